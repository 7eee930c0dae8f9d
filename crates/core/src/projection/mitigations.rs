//! Mitigations (docs/model.md section 6): the ramp to full effect, and each year's effects and
//! costs.

use crate::params::Inputs;
use crate::scenario::{ChargedTo, DemandModel, Mitigation, MitigationKind, Scenario, Scope};
use crate::series::Series;

use super::workspace::Workspace;
use super::{MitigationSet, Projection, item_mut};

/// Which mitigation effects can be non-zero in a projection: decided by the scenario and the
/// mitigations switched on, never by the inputs. An effect no active mitigation writes stays at
/// zero, and the arithmetic skips it only where skipping gives the same bits (`x - 0 = x`,
/// `x * max(0, 1 - 0 - 0) = x`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Active {
    pub(super) cut_all: bool,
    pub(super) saving_all: bool,
    pub(super) dsg_costs: bool,
    pub(super) general_fund_costs: bool,
    /// A staffing mitigation adds case officers (docs/model.md section 9).
    pub(super) staffing: bool,
    /// A process mitigation raises the share within 20 weeks with no backlog (section 9).
    pub(super) process: bool,
}

impl Active {
    pub(super) fn of(s: &Scenario, on: MitigationSet, ws: &mut Workspace) -> Active {
        let mut a = Active {
            cut_all: false,
            saving_all: false,
            dsg_costs: false,
            general_fund_costs: false,
            staffing: false,
            process: false,
        };
        ws.cut_one.fill(false);
        ws.saving_one.fill(false);
        for (i, m) in s.mitigations.iter().enumerate() {
            if !on.contains(i) {
                continue;
            }
            match m.kind {
                MitigationKind::GrowthReduction(Scope::All) => a.cut_all = true,
                MitigationKind::GrowthReduction(Scope::One(p)) => ws.cut_one[p] = true,
                MitigationKind::UnitCostSaving(Scope::All) => a.saving_all = true,
                MitigationKind::UnitCostSaving(Scope::One(p)) => ws.saving_one[p] = true,
                MitigationKind::Staffing { .. } => a.staffing = true,
                MitigationKind::Process => a.process = true,
                MitigationKind::PlacementShift { .. } | MitigationKind::CapacityAdded(_) => {}
            }
            match m.charged_to {
                ChargedTo::Dsg => a.dsg_costs = true,
                ChargedTo::GeneralFund => a.general_fund_costs = true,
            }
        }
        // Provisions growing by the same input with no cut of their own share one growth factor.
        let growth_of = |p: usize| match s.provisions[p].demand {
            DemandModel::NetGrowth { growth } if !ws.cut_one[p] => Some(growth),
            _ => None,
        };
        for p in 0..s.provisions.len() {
            let shared = growth_of(p).and_then(|g| (0..p).find(|&q| growth_of(q) == Some(g)));
            ws.factor_row[p] = shared.unwrap_or(p);
        }
        a
    }
}

/// Share of a mitigation's full effect reached in year `t` (section 6): 0 before its (slipped)
/// start, then `min(1, k / ramp_years)` in its k-th year. Fractional slippage gives the first year
/// part of a year's effect.
///
/// ```
/// use dsg_core::projection::ramp;
/// assert_eq!(ramp(1, 2, 0.0, 2.0), 0.0); // before the start
/// assert_eq!(ramp(2, 2, 0.0, 2.0), 0.5); // first year of a two-year ramp
/// assert_eq!(ramp(3, 2, 0.0, 2.0), 1.0);
/// assert_eq!(ramp(3, 2, 1.0, 2.0), 0.5); // a year's slippage
/// ```
#[inline]
pub fn ramp(t: usize, start: usize, slippage: f64, ramp_years: f64) -> f64 {
    let k = t as f64 - (start as f64 + slippage) + 1.0;
    if k <= 0.0 {
        0.0
    } else {
        (k / ramp_years.max(1.0)).min(1.0)
    }
}

/// Mitigation effects in year `t`, summed over the active mitigations, per lane. Costs go straight
/// to the year's rows of mitigation costs.
#[inline(always)]
pub(super) fn mitigation_effects(
    s: &Scenario,
    x: &Inputs,
    on: MitigationSet,
    active: Active,
    t: usize,
    ws: &mut Workspace,
    out: &mut Projection,
) {
    let n = ws.lanes;
    clear_effects(s, on, active, t, ws, out);
    // Costs are added only to rows just cleared for writing (some mitigation charges them).
    let [dsg_costs, general_fund_costs] = out.rows_rw(
        t,
        [Series::SpendMitigations, Series::GeneralFundMitigationCosts],
        0,
    );
    let st = &mut ws.lane;
    for (i, m) in s.mitigations.iter().enumerate() {
        if !on.contains(i) {
            continue;
        }
        let lanes = MitigationLanes {
            slippage: &x.scalar_lanes(m.slippage)[..n],
            effect: &x.scalar_lanes(m.effect)[..n],
            delivery: &x.scalar_lanes(m.delivery)[..n],
            one_off: &x.scalar_lanes(m.one_off_cost)[..n],
            yearly: &x.scalar_lanes(m.yearly_cost)[..n],
        };
        let costs: &mut [f64] = match m.charged_to {
            ChargedTo::Dsg => dsg_costs,
            ChargedTo::GeneralFund => general_fund_costs,
        };
        if let MitigationKind::Staffing {
            cost_per_fte,
            until,
        } = m.kind
        {
            // Once the team has gone: no officers, no costs.
            if t <= until {
                let per_fte = &x.scalar_lanes(cost_per_fte)[..n];
                add_officers(
                    t,
                    m,
                    &lanes,
                    per_fte,
                    &mut st.extra_officers[..n],
                    &mut costs[..n],
                );
            }
            continue;
        }
        let target: &mut [f64] = match m.kind {
            MitigationKind::GrowthReduction(Scope::All) => &mut st.growth_cut_all,
            MitigationKind::GrowthReduction(Scope::One(p)) => item_mut(&mut ws.growth_cut, p, n),
            MitigationKind::UnitCostSaving(Scope::All) => &mut st.saving_all,
            MitigationKind::UnitCostSaving(Scope::One(p)) => item_mut(&mut ws.saving, p, n),
            MitigationKind::CapacityAdded(p) => item_mut(&mut ws.extra_places, p, n),
            MitigationKind::PlacementShift { .. } => item_mut(&mut ws.shift, i, n),
            MitigationKind::Process => &mut st.process_lift,
            // Handled above; never reached.
            MitigationKind::Staffing { .. } => &mut st.extra_officers,
        };
        add_effect(t, m, &lanes, &mut target[..n], &mut costs[..n]);
    }
}

/// One mitigation's uncertain inputs, lane by lane.
struct MitigationLanes<'x> {
    slippage: &'x [f64],
    effect: &'x [f64],
    delivery: &'x [f64],
    one_off: &'x [f64],
    yearly: &'x [f64],
}

impl<'x> MitigationLanes<'x> {
    /// The first `n` lanes of each (so that a loop over `0..n` needs no bounds checks).
    #[inline(always)]
    fn first(&self, n: usize) -> MitigationLanes<'x> {
        MitigationLanes {
            slippage: &self.slippage[..n],
            effect: &self.effect[..n],
            delivery: &self.delivery[..n],
            one_off: &self.one_off[..n],
            yearly: &self.yearly[..n],
        }
    }
}

/// Zeroes what the active mitigations add to in year `t`: the scenario-wide effects, the
/// per-provision effects an active mitigation targets (only those are read), and the year's rows
/// of mitigation costs (cleared for writing when some mitigation charges them).
#[inline(always)]
fn clear_effects(
    s: &Scenario,
    on: MitigationSet,
    active: Active,
    t: usize,
    ws: &mut Workspace,
    out: &mut Projection,
) {
    let n = ws.lanes;
    let st = &mut ws.lane;
    if active.cut_all {
        st.growth_cut_all.fill(0.0);
    }
    if active.saving_all {
        st.saving_all.fill(0.0);
    }
    if active.staffing {
        st.extra_officers.fill(0.0);
    }
    if active.process {
        st.process_lift.fill(0.0);
    }
    for (series, on) in [
        (Series::SpendMitigations, active.dsg_costs),
        (
            Series::GeneralFundMitigationCosts,
            active.general_fund_costs,
        ),
    ] {
        if on {
            out.row_mut(series, t).fill(0.0);
        } else {
            out.zero_row(series, t);
        }
    }
    for (i, m) in s.mitigations.iter().enumerate() {
        if !on.contains(i) {
            continue;
        }
        match m.kind {
            MitigationKind::GrowthReduction(Scope::One(p)) => {
                item_mut(&mut ws.growth_cut, p, n).fill(0.0)
            }
            MitigationKind::UnitCostSaving(Scope::One(p)) => {
                item_mut(&mut ws.saving, p, n).fill(0.0)
            }
            MitigationKind::CapacityAdded(p) => item_mut(&mut ws.extra_places, p, n).fill(0.0),
            MitigationKind::PlacementShift { .. } => item_mut(&mut ws.shift, i, n).fill(0.0),
            MitigationKind::GrowthReduction(Scope::All)
            | MitigationKind::UnitCostSaving(Scope::All)
            | MitigationKind::Staffing { .. }
            | MitigationKind::Process => {}
        }
    }
}

/// A staffing mitigation's officers in post in year `t` (the intended FTE ramped in and delivered
/// in part) added to `fte`, and their cost to `costs`: each officer costs `per_fte` while in
/// post (unlike the planned costs of other kinds), with the yearly and first-year costs.
#[inline(always)]
fn add_officers(
    t: usize,
    m: &Mitigation,
    x: &MitigationLanes<'_>,
    per_fte: &[f64],
    fte: &mut [f64],
    costs: &mut [f64],
) {
    let n = fte.len();
    let (x, per_fte, costs) = (x.first(n), &per_fte[..n], &mut costs[..n]);
    for l in 0..n {
        let share = ramp(t, m.start, x.slippage[l], m.ramp_years);
        let started = share > 0.0;
        let level = if started {
            x.effect[l] * share * x.delivery[l]
        } else {
            0.0
        };
        fte[l] += level;
        let first_year = t as f64 - (m.start as f64 + x.slippage[l]) + 1.0 <= 1.0;
        let cost = per_fte[l] * level + x.yearly[l] + if first_year { x.one_off[l] } else { 0.0 };
        costs[l] += if started { cost } else { 0.0 };
    }
}

/// A mitigation's effect in year `t` added to `target` and its planned costs to `costs`.
/// Branch-free so that it vectorises: adding +0 to an effect or a cost summed from +0 leaves it
/// unchanged, so lanes before the start add +0 instead of nothing.
#[inline(always)]
fn add_effect(
    t: usize,
    m: &Mitigation,
    x: &MitigationLanes<'_>,
    target: &mut [f64],
    costs: &mut [f64],
) {
    let n = target.len();
    let (x, costs) = (x.first(n), &mut costs[..n]);
    for l in 0..n {
        let share = ramp(t, m.start, x.slippage[l], m.ramp_years);
        let started = share > 0.0;
        target[l] += if started {
            x.effect[l] * share * x.delivery[l]
        } else {
            0.0
        };
        let first_year = t as f64 - (m.start as f64 + x.slippage[l]) + 1.0 <= 1.0;
        let cost = x.yearly[l] + if first_year { x.one_off[l] } else { 0.0 };
        costs[l] += if started { cost } else { 0.0 };
    }
}
