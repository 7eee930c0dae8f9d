//! Balances, receipts and general-fund exposure (MODEL.md section 5): the safety valve,
//! contributions, the write-off, central funding, the cumulative balance, interest and headroom.

use crate::params::Inputs;
use crate::scenario::{OnMiss, Scenario, Target};
use crate::series::Series;

use super::Projection;
use super::layout::disjoint;
use super::workspace::Workspace;

/// Balances and receipts (MODEL.md section 5); writes every yearly total to `out`.
pub(super) fn project_balance(
    s: &Scenario,
    x: &Inputs,
    t: usize,
    ws: &mut Workspace,
    out: &mut Projection,
) {
    let n = ws.lanes;
    let st = &mut ws.lane;
    let contributions = &x.year_lanes(s.contributions, t)[..n];
    if out.records(Series::Contributions) {
        out.row_mut(Series::Contributions, t)
            .copy_from_slice(contributions);
    }
    match &s.central_funding {
        Some(c) if t >= c.from => {
            let share = x.scalar_lanes(c.share);
            let [central, in_year] = out.rows_rw(t, [Series::CentralFunding, Series::InYear], 1);
            for l in 0..n {
                central[l] = share[l] * (-in_year[l]).max(0.0);
            }
        }
        _ => out.zero_row(Series::CentralFunding, t),
    }
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
                        st.balance[l] + in_year[l] + contributions[l] + central[l] >= floor
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
    match &s.write_off {
        Some(w) if w.paid_in == t => {
            let approved = x.scalar_lanes(w.approved);
            let share = x.scalar_lanes(w.share);
            if w.measured_at == 0 {
                let write_off = out.row_mut(Series::WriteOff, t);
                for l in 0..n {
                    write_off[l] = approved[l] * share[l] * (-st.opening[l]).max(0.0);
                }
            } else if w.measured_at < t {
                let ranges = [
                    out.range(Series::WriteOff, t),
                    out.range(Series::Cumulative, w.measured_at),
                ];
                out.zero[ranges[0].start / n.max(1)] = false;
                let [write_off, measured] = disjoint(&mut out.values, ranges);
                for l in 0..n {
                    write_off[l] = approved[l] * share[l] * (-measured[l]).max(0.0);
                }
            } else {
                let [write_off, safety_valve, central, in_year] = out.rows_rw(
                    t,
                    [
                        Series::WriteOff,
                        Series::SafetyValve,
                        Series::CentralFunding,
                        Series::InYear,
                    ],
                    1,
                );
                for l in 0..n {
                    let measured = st.balance[l]
                        + in_year[l]
                        + safety_valve[l]
                        + contributions[l]
                        + central[l];
                    write_off[l] = approved[l] * share[l] * (-measured).max(0.0);
                }
            }
        }
        _ => out.zero_row(Series::WriteOff, t),
    }
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
        in_year,
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
            Series::InYear,
        ],
        4,
    );
    let rows = [interest, receipts, cumulative, headroom];
    let parts = [
        &*safety_valve,
        contributions,
        &*write_off,
        &*central,
        &*in_year,
    ];
    if all {
        balance_lanes::<true>(&mut st.balance[..n], rate, reserves, parts, rows);
    } else {
        balance_lanes::<false>(&mut st.balance[..n], rate, reserves, parts, rows);
    }
}

/// The year's interest, receipts, cumulative balance and headroom for every lane; `ALL`: write the
/// interest, receipts and headroom rows too (only the cumulative balance otherwise).
#[inline(always)]
pub(super) fn balance_lanes<const ALL: bool>(
    balance: &mut [f64],
    rate: &[f64],
    reserves: &[f64],
    [safety_valve, contributions, write_off, central, in_year]: [&[f64]; 5],
    [interest, receipts, cumulative, headroom]: [&mut [f64]; 4],
) {
    let n = balance.len();
    let (rate, reserves, cumulative) = (&rate[..n], &reserves[..n], &mut cumulative[..n]);
    let (safety_valve, contributions, write_off, central, in_year) = (
        &safety_valve[..n],
        &contributions[..n],
        &write_off[..n],
        &central[..n],
        &in_year[..n],
    );
    let m = if ALL { n } else { 0 };
    let (interest, receipts, headroom) =
        (&mut interest[..m], &mut receipts[..m], &mut headroom[..m]);
    for l in 0..n {
        if ALL {
            interest[l] = rate[l] * (-balance[l]).max(0.0);
        }
        let received = safety_valve[l] + contributions[l] + write_off[l] + central[l];
        balance[l] += in_year[l] + received;
        cumulative[l] = balance[l];
        if ALL {
            receipts[l] = received;
            headroom[l] = reserves[l] - (-balance[l]).max(0.0);
        }
    }
}
