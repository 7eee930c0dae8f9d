//! Demand (docs/model.md section 2): caseloads by provision, new plans, movers, placement shifts
//! and capacity overflow.

use crate::params::Inputs;
use crate::scenario::{DemandModel, MitigationKind, Scenario};
use crate::series::Series;

use super::ages::{self, Growth};
use super::mitigations::Active;
use super::workspace::Workspace;
use super::{MitigationSet, Projection, item, item_mut};

/// Demand (docs/model.md section 2): growth or flows from last year's caseload, then placement
/// shifts and capacity overflow. Leaves this year's caseload in `ws.caseload`.
#[inline(always)]
pub(super) fn project_caseload(
    s: &Scenario,
    x: &Inputs,
    on: MitigationSet,
    active: Active,
    t: usize,
    ws: &mut Workspace,
    out: &mut Projection,
) {
    joiners(s, x, active, t, ws, out);
    grow_caseloads(s, x, active, t, ws);
    let p = s.provisions.len();
    // docs/model.md section 14: with ages, the reform acts on the children reaching a transfer
    // age, when some band starts at one; otherwise on every provision's plans.
    let reform_by_age = s.ages.as_ref().is_some_and(|a| !a.reform_bands.is_empty());
    if let Some(a) = &s.ages {
        if reform_by_age {
            ages::reform(s, a, x, t, ws);
        }
        ages::transfer(a, x, t, ws);
        ages::keep_sums(ws);
    }
    move_plans(s, x, on, t, ws);
    if !reform_by_age {
        reform(s, x, t, ws);
    }
    overflow_capacity(s, x, t, ws, out);
    if let Some(a) = &s.ages {
        ages::reconcile(a, p, ws);
        ages::record(a, p, t, ws, out);
    }
}

/// This year's joiners (flows model): last year's grown by the joiners' growth, less any growth
/// cut of every provision; written to [`Series::Joiners`].
#[inline(always)]
fn joiners(
    s: &Scenario,
    x: &Inputs,
    active: Active,
    t: usize,
    ws: &mut Workspace,
    out: &mut Projection,
) {
    let n = ws.lanes;
    let st = &mut ws.lane;
    match &s.joiners {
        Some(j) => {
            let joiners_row = out.row_mut(Series::Joiners, t);
            let growth = &x.year_lanes(j.growth, t)[..n];
            let (joiners, cut, row) = (
                &mut st.joiners[..n],
                &st.growth_cut_all[..n],
                &mut joiners_row[..n],
            );
            if active.cut_all {
                for l in 0..n {
                    joiners[l] = (joiners[l] * (1.0 + growth[l] - cut[l])).max(0.0);
                    row[l] = joiners[l];
                }
            } else {
                for l in 0..n {
                    joiners[l] = (joiners[l] * (1.0 + growth[l])).max(0.0);
                    row[l] = joiners[l];
                }
            }
        }
        // The pipeline has set this year's new plans to the plans issued (docs/model.md section 9).
        None if s.assessments.as_ref().is_some_and(|a| a.joiners_from_plans) => {}
        None => out.zero_row(Series::Joiners, t),
    }
}

/// Each provision's caseload from last year's: net growth (less the active growth cuts) or flows
/// (leavers out, the provision's share of joiners in), never negative.
#[inline(always)]
fn grow_caseloads(s: &Scenario, x: &Inputs, active: Active, t: usize, ws: &mut Workspace) {
    let n = ws.lanes;
    for (p, prov) in s.provisions.iter().enumerate() {
        let prev = item(&ws.previous, p, n);
        match prov.demand {
            DemandModel::NetGrowth { growth } => {
                let row = ws.factor_row[p];
                if row == p {
                    // `1 + g - cut_all - cut_own`, the cuts no active mitigation makes left out.
                    let g = &x.year_lanes(growth, t)[..n];
                    let all = &ws.lane.growth_cut_all[..n];
                    let cut = item(&ws.growth_cut, p, n);
                    let f = item_mut(&mut ws.factors, p, n);
                    match (active.cut_all, ws.cut_one[p]) {
                        (true, true) => (0..n).for_each(|l| f[l] = 1.0 + g[l] - all[l] - cut[l]),
                        (true, false) => (0..n).for_each(|l| f[l] = 1.0 + g[l] - all[l]),
                        (false, true) => (0..n).for_each(|l| f[l] = 1.0 + g[l] - cut[l]),
                        (false, false) => (0..n).for_each(|l| f[l] = 1.0 + g[l]),
                    }
                }
                if let Some(a) = &s.ages {
                    ages::grow(a, x, t, p, Growth::Net(row), ws);
                    continue;
                }
                let f = item(&ws.factors, row, n);
                let cur = &mut ws.caseload[p * n..(p + 1) * n];
                for l in 0..n {
                    // Growth cut below -100% still leaves no plans, never negative ones.
                    cur[l] = (prev[l] * f[l]).max(0.0);
                }
            }
            DemandModel::Flows {
                joiner_share,
                leaver_rate,
            } => {
                if let Some(a) = &s.ages {
                    ages::grow(a, x, t, p, Growth::Flows(joiner_share), ws);
                    continue;
                }
                let leave = x.year_lanes(leaver_rate, t);
                let cur = &mut ws.caseload[p * n..(p + 1) * n];
                for l in 0..n {
                    cur[l] =
                        (prev[l] - prev[l] * leave[l] + ws.lane.joiners[l] * joiner_share).max(0.0);
                }
            }
        }
    }
}

/// Movers between provisions, then the placement shifts of active mitigations: each moves a share
/// of plans, never more than there are.
#[inline(always)]
fn move_plans(s: &Scenario, x: &Inputs, on: MitigationSet, t: usize, ws: &mut Workspace) {
    let n = ws.lanes;
    for m in &s.movers {
        let rate = x.year_lanes(m.rate, t);
        for (l, &rate) in rate.iter().enumerate().take(n) {
            // A move takes a share of last year's plans, but never more than are there now.
            let moved = (rate * ws.previous[m.from * n + l]).min(ws.caseload[m.from * n + l]);
            ws.caseload[m.from * n + l] -= moved;
            ws.caseload[m.to * n + l] += moved;
        }
    }
    // Placement shifts, never more plans than there are.
    for (i, mit) in s.mitigations.iter().enumerate() {
        if let MitigationKind::PlacementShift { from, to } = mit.kind
            && on.contains(i)
        {
            for l in 0..n {
                let moved = ws.shift[i * n + l].min(ws.caseload[from * n + l]).max(0.0);
                ws.caseload[from * n + l] -= moved;
                ws.caseload[to * n + l] += moved;
            }
        }
    }
}

/// The reform at phase transfer (docs/model.md section 14): once it has started, the share
/// `transfer x ending x (1 - protected)` of every provision's plans ends, scaled by the part of
/// the year after the drawn delay; nothing before its first year or on paths where it does not
/// go ahead.
#[inline(always)]
fn reform(s: &Scenario, x: &Inputs, t: usize, ws: &mut Workspace) {
    let Some(r) = &s.reform else {
        return;
    };
    if t < r.from {
        return;
    }
    let n = ws.lanes;
    let happens = x.scalar_lanes(r.happens);
    let delay = x.scalar_lanes(r.delay_years);
    let transfer = x.scalar_lanes(r.transfer_share);
    let ending = x.scalar_lanes(r.ending_share);
    let protected = x.scalar_lanes(r.protected_share);
    // Years the reform has run by the end of year t, before the delay.
    let elapsed = (t + 1 - r.from) as f64;
    for l in 0..n {
        let started = (elapsed - delay[l]).clamp(0.0, 1.0);
        let ends = happens[l] * started * transfer[l] * ending[l] * (1.0 - protected[l]);
        if ends > 0.0 {
            for p in 0..s.provisions.len() {
                ws.caseload[p * n + l] *= 1.0 - ends;
            }
        }
    }
}

/// Capacity: plans above the places overflow, each provision before its overflow target.
#[inline(always)]
fn overflow_capacity(s: &Scenario, x: &Inputs, t: usize, ws: &mut Workspace, out: &mut Projection) {
    let n = ws.lanes;
    // With an assessment pipeline, the children who end in a provision without a capacity of
    // its own (independent schools) for lack of a place are counted (docs/model.md section 9).
    let children = s.assessments.is_some();
    if children {
        out.row_mut(Series::PlacedForLackOfPlace, t).fill(0.0);
    }
    for &p in &s.capacity_order {
        let prov = &s.provisions[p];
        if let (Some(cap), Some(dest)) = (prov.capacity, prov.overflow) {
            let places = x.year_lanes(cap, t);
            if children && s.provisions[dest].capacity.is_none() {
                let placed = &mut out.row_mut(Series::PlacedForLackOfPlace, t)[..n];
                for (l, &places) in places.iter().enumerate().take(n) {
                    let limit = places + ws.extra_places[p * n + l];
                    let excess = (ws.caseload[p * n + l] - limit).max(0.0);
                    ws.caseload[p * n + l] -= excess;
                    ws.caseload[dest * n + l] += excess;
                    placed[l] += excess;
                }
            } else {
                for (l, &places) in places.iter().enumerate().take(n) {
                    let limit = places + ws.extra_places[p * n + l];
                    let excess = (ws.caseload[p * n + l] - limit).max(0.0);
                    ws.caseload[p * n + l] -= excess;
                    ws.caseload[dest * n + l] += excess;
                }
            }
        }
    }
}
