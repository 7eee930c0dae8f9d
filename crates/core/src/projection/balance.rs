//! Balances, receipts and general-fund exposure (docs/model.md section 5): the safety valve,
//! contributions, the write-off, central funding, the cumulative balance, interest and headroom.
//!
//! The high-needs block and the other blocks keep separate cumulative balances (`balance`, B_HN,
//! and `balance_other`, B_other): the write-off and central funding are measured on the
//! high-needs deficit only and every receipt is credited to it; the cumulative balance reported is
//! the DSG's, B = B_HN + B_other.

use crate::params::Inputs;
use crate::scenario::{OnMiss, Scenario, Target};
use crate::series::Series;

use super::Projection;
use super::layout::disjoint;
use super::workspace::Workspace;

/// Balances and receipts (docs/model.md section 5); writes every yearly total to `out`.
#[inline(always)]
pub(super) fn project_balance(
    s: &Scenario,
    x: &Inputs,
    t: usize,
    ws: &mut Workspace,
    out: &mut Projection,
) {
    let n = ws.lanes;
    let contributions = &x.year_lanes(s.contributions, t)[..n];
    if out.records(Series::Contributions) {
        out.row_mut(Series::Contributions, t)
            .copy_from_slice(contributions);
    }
    central_funding(s, x, t, ws, out);
    safety_valve(s, x, (t, contributions), ws, out);
    write_off(s, x, (t, contributions), ws, out);
    close_balances(s, x, (t, contributions), ws, out);
}

/// Central funding of a share of the year's high-needs in-year deficit, once it applies.
#[inline(always)]
fn central_funding(s: &Scenario, x: &Inputs, t: usize, ws: &Workspace, out: &mut Projection) {
    let n = ws.lanes;
    let st = &ws.lane;
    match &s.central_funding {
        Some(c) if t >= c.from => {
            let share = x.scalar_lanes(c.share);
            let central = out.row_mut(Series::CentralFunding, t);
            for l in 0..n {
                central[l] = share[l] * (-st.in_year_hn[l]).max(0.0);
            }
        }
        _ => out.zero_row(Series::CentralFunding, t),
    }
}

/// The safety valve's instalments due in year `t`: paid when the year meets its target (with any
/// deferred ones, under `on_miss = "defer"`), deferred or lost when it does not.
#[inline(always)]
fn safety_valve(
    s: &Scenario,
    x: &Inputs,
    (t, contributions): (usize, &[f64]),
    ws: &mut Workspace,
    out: &mut Projection,
) {
    let n = ws.lanes;
    let st = &mut ws.lane;
    let instalments_due = s
        .safety_valve
        .as_ref()
        .is_some_and(|sv| sv.instalments.iter().any(|i| i.t == t));
    if instalments_due {
        out.row_mut(Series::SafetyValve, t).fill(0.0);
    } else {
        out.zero_row(Series::SafetyValve, t);
    }
    let ranges = [
        out.range(Series::SafetyValve, t),
        out.range(Series::CentralFunding, t),
        out.range(Series::InYear, t),
    ];
    let [safety_valve, central, in_year] = disjoint(&mut out.values, ranges);
    if let Some(sv) = s.safety_valve.as_ref().filter(|_| instalments_due) {
        for (i, inst) in sv
            .instalments
            .iter()
            .enumerate()
            .filter(|(_, inst)| inst.t == t)
        {
            let amount = x.scalar_lanes(inst.amount);
            for l in 0..n {
                let met = match inst.target {
                    Target::MaxInYearDeficit(limit) => in_year[l] >= -limit,
                    Target::MinCumulativeBalance(floor) => {
                        st.balance[l]
                            + st.balance_other[l]
                            + in_year[l]
                            + contributions[l]
                            + central[l]
                            >= floor
                    }
                };
                if met {
                    safety_valve[l] += amount[l] + st.deferred[l];
                    st.deferred[l] = 0.0;
                    out.instalments_paid[i * n + l] = true;
                    for j in 0..i {
                        if ws.pending[j * n + l] {
                            ws.pending[j * n + l] = false;
                            out.instalments_paid[j * n + l] = true;
                        }
                    }
                } else if sv.on_miss == OnMiss::Defer {
                    st.deferred[l] += amount[l];
                    ws.pending[i * n + l] = true;
                }
            }
        }
    }
}

/// The write-off of a share of the high-needs deficit, in the year it is paid in.
#[inline(always)]
fn write_off(
    s: &Scenario,
    x: &Inputs,
    (t, contributions): (usize, &[f64]),
    ws: &Workspace,
    out: &mut Projection,
) {
    let n = ws.lanes;
    let st = &ws.lane;
    match &s.write_off {
        Some(w) if w.paid_in == t => {
            let approved = x.scalar_lanes(w.approved);
            let share = x.scalar_lanes(w.share);
            if w.measured_at < t {
                // B_HN at the end of the measured year (the base year's: the opening).
                let write_off = out.row_mut(Series::WriteOff, t);
                for l in 0..n {
                    let deficit = eligible((-st.measured[l]).max(0.0), w.lowest_reported);
                    write_off[l] = approved[l] * share[l] * deficit;
                }
            } else {
                // Measured in the year it is paid: that year's B_HN before the write-off itself.
                let [write_off, safety_valve, central] = out.rows_rw(
                    t,
                    [
                        Series::WriteOff,
                        Series::SafetyValve,
                        Series::CentralFunding,
                    ],
                    1,
                );
                for l in 0..n {
                    let measured = st.balance[l]
                        + st.in_year_hn[l]
                        + safety_valve[l]
                        + contributions[l]
                        + central[l];
                    let deficit = eligible((-measured).max(0.0), w.lowest_reported);
                    write_off[l] = approved[l] * share[l] * deficit;
                }
            }
        }
        _ => out.zero_row(Series::WriteOff, t),
    }
}

/// The deficit a write-off is paid on: the projected one, or the lowest the council has reported
/// when that is lower (the High Needs Stability Grant's rule, docs/model.md section 5).
#[inline(always)]
fn eligible(projected: f64, lowest_reported: Option<f64>) -> f64 {
    match lowest_reported {
        Some(reported) => projected.min(reported),
        None => projected,
    }
}

/// The year's receipts into the balances, interest on the DSG's cumulative balance and the
/// headroom against the usable reserves; keeps the balance the write-off is measured on.
#[inline(always)]
fn close_balances(
    s: &Scenario,
    x: &Inputs,
    (t, contributions): (usize, &[f64]),
    ws: &mut Workspace,
    out: &mut Projection,
) {
    let n = ws.lanes;
    let st = &mut ws.lane;
    let rate = &x.year_lanes(s.borrowing_rate, t)[..n];
    let reserves = &x.year_lanes(s.usable_reserves, t)[..n];
    if out.records(Series::UsableReserves) {
        out.row_mut(Series::UsableReserves, t)
            .copy_from_slice(reserves);
    }
    let all = out.records(Series::Interest)
        || out.records(Series::ReceiptsTotal)
        || out.records(Series::Headroom);
    let [
        interest,
        receipts,
        cumulative,
        headroom,
        safety_valve,
        write_off,
        central,
        blocks,
    ] = out.rows_rw(
        t,
        [
            Series::Interest,
            Series::ReceiptsTotal,
            Series::Cumulative,
            Series::Headroom,
            Series::SafetyValve,
            Series::WriteOff,
            Series::CentralFunding,
            Series::OtherBlocks,
        ],
        4,
    );
    let rows = [interest, receipts, cumulative, headroom];
    let parts = [
        &*safety_valve,
        contributions,
        &*write_off,
        &*central,
        &st.in_year_hn[..n],
        &*blocks,
    ];
    let balances = [&mut st.balance[..n], &mut st.balance_other[..n]];
    if all {
        balance_lanes::<true>(balances, rate, reserves, parts, rows);
    } else {
        balance_lanes::<false>(balances, rate, reserves, parts, rows);
    }
    if s.write_off.as_ref().is_some_and(|w| w.measured_at == t) {
        st.measured[..n].copy_from_slice(&st.balance[..n]);
    }
}

/// The year's interest, receipts, cumulative balances and headroom for every lane; `ALL`: write
/// the interest, receipts and headroom rows too (only the cumulative balance otherwise).
///
/// `balance_hn += in_year_hn + receipts`, `balance_other += blocks`, and the DSG's cumulative
/// balance (on which interest and headroom are reckoned) is their sum.
#[inline(always)]
pub(super) fn balance_lanes<const ALL: bool>(
    [balance_hn, balance_other]: [&mut [f64]; 2],
    rate: &[f64],
    reserves: &[f64],
    [
        safety_valve,
        contributions,
        write_off,
        central,
        in_year_hn,
        blocks,
    ]: [&[f64]; 6],
    [interest, receipts, cumulative, headroom]: [&mut [f64]; 4],
) {
    let n = balance_hn.len();
    let balance_other = &mut balance_other[..n];
    let (rate, reserves, cumulative) = (&rate[..n], &reserves[..n], &mut cumulative[..n]);
    let (safety_valve, contributions, write_off, central, in_year_hn, blocks) = (
        &safety_valve[..n],
        &contributions[..n],
        &write_off[..n],
        &central[..n],
        &in_year_hn[..n],
        &blocks[..n],
    );
    let m = if ALL { n } else { 0 };
    let (interest, receipts, headroom) =
        (&mut interest[..m], &mut receipts[..m], &mut headroom[..m]);
    for l in 0..n {
        if ALL {
            interest[l] = rate[l] * (-(balance_hn[l] + balance_other[l])).max(0.0);
        }
        let received = safety_valve[l] + contributions[l] + write_off[l] + central[l];
        balance_hn[l] += in_year_hn[l] + received;
        balance_other[l] += blocks[l];
        let balance = balance_hn[l] + balance_other[l];
        cumulative[l] = balance;
        if ALL {
            receipts[l] = received;
            headroom[l] = reserves[l] - (-balance).max(0.0);
        }
    }
}
