//! Cost (docs/model.md section 3): unit costs, placement spend, other lines and total spend.

use crate::params::Inputs;
use crate::scenario::Scenario;
use crate::series::Series;

use super::mitigations::Active;
use super::workspace::Workspace;
use super::{Projection, item_mut};

/// Calls `f::<A, B, C>(args...)` with the const parameters that match three run-time flags, so
/// that each combination gets its own loop with the unused work compiled out.
macro_rules! with_flags {
    ($f:ident, ($a:expr, $b:expr, $c:expr), ($($arg:expr),*)) => {
        match ($a, $b, $c) {
            (false, false, false) => $f::<false, false, false>($($arg),*),
            (false, false, true) => $f::<false, false, true>($($arg),*),
            (false, true, false) => $f::<false, true, false>($($arg),*),
            (false, true, true) => $f::<false, true, true>($($arg),*),
            (true, false, false) => $f::<true, false, false>($($arg),*),
            (true, false, true) => $f::<true, false, true>($($arg),*),
            (true, true, false) => $f::<true, true, false>($($arg),*),
            (true, true, true) => $f::<true, true, true>($($arg),*),
        }
    };
}

/// One provision's unit cost, placement spend and its share of the totals, for every lane.
/// `FIRST`: the totals start here; `KEEP`: a saving applies (`keep` = `max(0, 1 - saving)`);
/// `ROWS`: the provision's own rows are recorded.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(super) fn cost_lanes<const FIRST: bool, const KEEP: bool, const ROWS: bool>(
    cases: &[f64],
    unit: &mut [f64],
    inflation: &[f64],
    drift: &[f64],
    keep: &[f64],
    [placements, total, case_row, paid_row, spend_row]: [&mut [f64]; 5],
) {
    let n = cases.len();
    let (unit, inflation, drift) = (&mut unit[..n], &inflation[..n], &drift[..n]);
    let (placements, total) = (&mut placements[..n], &mut total[..n]);
    let keep = if KEEP { &keep[..n] } else { &keep[..0] };
    let (case_row, paid_row, spend_row) = if ROWS {
        (&mut case_row[..n], &mut paid_row[..n], &mut spend_row[..n])
    } else {
        (&mut case_row[..0], &mut paid_row[..0], &mut spend_row[..0])
    };
    for l in 0..n {
        let u = unit[l] * (inflation[l] + drift[l]);
        unit[l] = u;
        let cost = if KEEP { u * keep[l] } else { u };
        let c = cases[l];
        let spend = c * cost;
        if FIRST {
            // A sum from zero, as docs/model.md writes it: `0 + x` is `x` except that it turns a -0
            // into +0, so the totals have the same bits as adding every provision to zero.
            placements[l] = 0.0 + spend;
            total[l] = 0.0 + c;
        } else {
            placements[l] += spend;
            total[l] += c;
        }
        if ROWS {
            case_row[l] = c;
            paid_row[l] = cost;
            spend_row[l] = spend;
        }
    }
}

/// Cost (docs/model.md section 3): unit costs, placement spend, other lines, total spend.
#[inline(always)]
pub(super) fn project_spend(
    s: &Scenario,
    x: &Inputs,
    active: Active,
    t: usize,
    ws: &mut Workspace,
    out: &mut Projection,
) {
    let n = ws.lanes;
    let st = &mut ws.lane;
    let inflation = &x.year_lanes(s.cost_inflation, t)[..n];
    for (o, &i) in st.inflation.iter_mut().zip(inflation) {
        *o = 1.0 + i;
    }
    if s.provisions.is_empty() {
        let [placements, total] = out.rows_mut(t, [Series::SpendPlacements, Series::CaseloadTotal]);
        placements.fill(0.0);
        total.fill(0.0);
    }
    for (p, prov) in s.provisions.iter().enumerate() {
        let drift = x.year_lanes(prov.drift, t);
        let cases = &ws.caseload[p * n..(p + 1) * n];
        let unit = &mut ws.unit_cost[p * n..(p + 1) * n];
        let saving = ws.saving_one[p];
        if saving || active.saving_all {
            let own = &ws.saving[p * n..(p + 1) * n];
            let all = &st.saving_all[..n];
            let keep = &mut st.keep[..n];
            match (active.saving_all, saving) {
                (true, true) => (0..n).for_each(|l| keep[l] = (1.0 - all[l] - own[l]).max(0.0)),
                (true, false) => (0..n).for_each(|l| keep[l] = (1.0 - all[l]).max(0.0)),
                _ => (0..n).for_each(|l| keep[l] = (1.0 - own[l]).max(0.0)),
            }
        }
        let own_rows = out.records(Series::Caseload(p))
            || out.records(Series::UnitCost(p))
            || out.records(Series::Spend(p));
        let rows = out.rows_mut(
            t,
            [
                Series::SpendPlacements,
                Series::CaseloadTotal,
                Series::Caseload(p),
                Series::UnitCost(p),
                Series::Spend(p),
            ],
        );
        let keep = &st.keep;
        let inf = &st.inflation;
        with_flags!(
            cost_lanes,
            (p == 0, saving || active.saving_all, own_rows),
            (cases, unit, inf, drift, keep, rows)
        );
    }
}

/// Other lines and total spend (docs/model.md section 3), once placement spend is known.
#[inline(always)]
pub(super) fn project_other_spend(
    s: &Scenario,
    x: &Inputs,
    t: usize,
    ws: &mut Workspace,
    out: &mut Projection,
) {
    let n = ws.lanes;
    if s.other_lines.is_empty() {
        out.zero_row(Series::SpendOtherLines, t);
    } else {
        let [lines_total] = out.rows_mut(t, [Series::SpendOtherLines]);
        grow_lines(&mut ws.lines, &s.other_lines, x, t, lines_total);
    }
    let [total, placements, lines, costs] = out.rows_rw(
        t,
        [
            Series::SpendTotal,
            Series::SpendPlacements,
            Series::SpendOtherLines,
            Series::SpendMitigations,
        ],
        1,
    );
    let (total, placements, lines, costs) =
        (&mut total[..n], &placements[..n], &lines[..n], &costs[..n]);
    let savings = &x.year_lanes(s.savings, t)[..n];
    // The mitigation costs row holds zero when no active mitigation charges the DSG; savings are
    // zero unless a goal seek or an option sets them (x - 0.0 is x, bit for bit).
    for l in 0..n {
        total[l] = placements[l] + lines[l] + costs[l] - savings[l];
    }
}

/// Grows each line by its own rate and puts the year's total per lane in `total`.
#[inline(always)]
pub(super) fn grow_lines(
    values: &mut [f64],
    lines: &[crate::scenario::Line],
    x: &Inputs,
    t: usize,
    total: &mut [f64],
) {
    let n = total.len();
    total.fill(0.0);
    for (k, line) in lines.iter().enumerate() {
        let g = &x.year_lanes(line.growth, t)[..n];
        let v = item_mut(values, k, n);
        for l in 0..n {
            v[l] *= 1.0 + g[l];
            total[l] += v[l];
        }
    }
}
