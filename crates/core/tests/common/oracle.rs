//! A reference projection written straight from docs/model.md sections 2 to 6 and 9 (and the
//! choices the scenario reference documents where docs/model.md leaves one open): plain f64 loops
//! over one path, one year at a time, no lanes, no skipped work, no shared scratch. It is slow and
//! obvious on purpose: the kernel (`dsg_core::project`) is checked against it.

use dsg_core::scenario::{ChargedTo, DemandModel, MitigationKind, OnMiss, Scope, Target};
use dsg_core::{Inputs, MitigationSet, ParamId, Scenario, Series};

/// Every series of one path, `values[series index][t - 1]`, and the instalments received.
#[derive(Debug, Clone)]
pub struct Reference {
    provisions: usize,
    values: Vec<Vec<f64>>,
    /// Per safety-valve instalment: received (on time or, deferred, later).
    pub instalments_paid: Vec<bool>,
}

impl Reference {
    /// The value of `series` in year `t` (1-based).
    pub fn get(&self, series: Series, t: usize) -> f64 {
        self.values[series.index(self.provisions)][t - 1]
    }

    fn set(&mut self, series: Series, t: usize, v: f64) {
        self.values[series.index(self.provisions)][t - 1] = v;
    }
}

/// Section 9's series in one year.
#[derive(Debug, Clone, Default)]
struct Children {
    requests: f64,
    completed: f64,
    waiting: f64,
    plans: f64,
    weeks: f64,
    within: f64,
    officers: f64,
    per_officer: f64,
    mainstream: f64,
    placed: f64,
}

/// Section 6: the share of full effect in year `t`, 0 before the (slipped) start, then
/// `min(1, k / ramp_years)` in the k-th year of effect.
fn ramp(t: usize, start: usize, slippage: f64, ramp_years: f64) -> f64 {
    let k = t as f64 - (start as f64 + slippage) + 1.0;
    if k <= 0.0 {
        0.0
    } else {
        (k / ramp_years.max(1.0)).min(1.0)
    }
}

/// Projects lane `lane` of `x` for `s` with the mitigations `on`.
pub fn reference(s: &Scenario, x: &Inputs, lane: usize, on: MitigationSet) -> Reference {
    let scalar = |id: ParamId| x.scalar_lanes(id)[lane];
    let yearly = |id: ParamId, t: usize| x.year_lanes(id, t)[lane];
    let h = s.horizon();
    let np = s.provisions().len();
    let mut r = Reference {
        provisions: np,
        values: vec![vec![0.0; h]; Series::count(np)],
        instalments_paid: vec![false; s.safety_valve().as_ref().map_or(0, |v| v.instalments.len())],
    };

    // Opening values, as at the end of the base year.
    let mut caseload: Vec<f64> = s.provisions().iter().map(|p| scalar(p.caseload)).collect();
    let mut unit_cost: Vec<f64> = s.provisions().iter().map(|p| scalar(p.unit_cost)).collect();
    let mut joiners = s.joiners().as_ref().map_or(0.0, |j| scalar(j.opening));
    let mut lines: Vec<f64> = s.other_lines().iter().map(|l| scalar(l.amount)).collect();
    let mut allocation = scalar(s.funding().allocation);
    let mut schools_block = s
        .transfer()
        .as_ref()
        .map_or(0.0, |tr| scalar(tr.schools_block));
    let mut income: Vec<f64> = s.other_income().iter().map(|l| scalar(l.amount)).collect();
    let mut block_funding: Vec<f64> = s.other_blocks().iter().map(|b| scalar(b.funding)).collect();
    let mut block_spend: Vec<f64> = s.other_blocks().iter().map(|b| scalar(b.spend)).collect();
    // Section 5: the opening balance belongs to the high-needs block, less the other blocks' own
    // opening balances where the scenario states them (they are part of the DSG's).
    let opening = scalar(s.opening_balance());
    let mut balance_other = 0.0;
    for b in s.other_blocks() {
        balance_other += scalar(b.opening_balance);
    }
    let mut balance_hn = opening - balance_other;
    let mut balance_hn_at = vec![balance_hn]; // B_HN[t] for t = 0..
    let mut deferred = 0.0;
    let mut pending = vec![false; r.instalments_paid.len()];
    // Section 9: requests R[0] and the backlog Q[0].
    let (mut requests, mut backlog) = match s.assessments() {
        Some(a) => (scalar(a.requests), scalar(a.opening_backlog)),
        None => (0.0, 0.0),
    };

    for t in 1..=h {
        // Section 6: mitigation effects and costs in year t.
        let mut cut_all = 0.0;
        let mut cut = vec![0.0; np];
        let mut saving_all = 0.0;
        let mut saving = vec![0.0; np];
        let mut extra_places = vec![0.0; np];
        let mut shift = vec![0.0; s.mitigations().len()];
        let mut costs_dsg = 0.0;
        let mut costs_gf = 0.0;
        let mut extra_officers = 0.0;
        let mut process_lift = 0.0;
        for (i, m) in s.mitigations().iter().enumerate() {
            if !on.contains(i) {
                continue;
            }
            // Section 9: a staffing team works up to the end of its last year, then goes.
            if let MitigationKind::Staffing { until, .. } = m.kind
                && t > until
            {
                continue;
            }
            let slippage = scalar(m.slippage);
            let share = ramp(t, m.start, slippage, m.ramp_years);
            if share <= 0.0 {
                continue;
            }
            let level = scalar(m.effect) * share * scalar(m.delivery);
            match m.kind {
                MitigationKind::GrowthReduction(Scope::All) => cut_all += level,
                MitigationKind::GrowthReduction(Scope::One(p)) => cut[p] += level,
                MitigationKind::UnitCostSaving(Scope::All) => saving_all += level,
                MitigationKind::UnitCostSaving(Scope::One(p)) => saving[p] += level,
                MitigationKind::CapacityAdded(p) => extra_places[p] += level,
                MitigationKind::PlacementShift { .. } => shift[i] += level,
                MitigationKind::Staffing { .. } => extra_officers += level,
                MitigationKind::Process => process_lift += level,
            }
            // Costs fall in every year of effect; the one-off cost in the first. Staff cost their
            // salary while in post: cost per FTE x the FTE in post, on top.
            let first_year = t as f64 - (m.start as f64 + slippage) + 1.0 <= 1.0;
            let mut cost = match m.kind {
                MitigationKind::Staffing { cost_per_fte, .. } => {
                    scalar(cost_per_fte) * level + scalar(m.yearly_cost)
                }
                _ => scalar(m.yearly_cost),
            };
            if first_year {
                cost += scalar(m.one_off_cost);
            }
            match m.charged_to {
                ChargedTo::Dsg => costs_dsg += cost,
                ChargedTo::GeneralFund => costs_gf += cost,
            }
        }

        // Section 9: the assessment pipeline, before demand.
        let mut children = Children::default();
        if let Some(a) = s.assessments() {
            // A growth reduction on all slows new plans; when they come from the pipeline, it
            // slows the requests that lead to them.
            let cut = if a.joiners_from_plans { cut_all } else { 0.0 };
            requests = (requests * (1.0 + yearly(a.requests_growth, t) - cut)).max(0.0);
            let started = yearly(a.agreed_share, t) * requests;
            let officers = yearly(a.case_officers, t) + extra_officers;
            let capacity = officers * yearly(a.per_officer, t);
            let before = backlog;
            let completed = (before + started).min(capacity).max(0.0);
            backlog = (before + started - completed).max(0.0);
            let plans = yearly(a.plan_share, t) * completed;
            // Little's law: weeks of backlog; nothing to assess, no wait.
            let wait = if completed > 0.0 {
                52.0 * (before + backlog) / 2.0 / completed
            } else {
                0.0
            };
            // Share within 20 weeks: s_max (1 - exp(-(20 - w0) / W)), s_max the share with no
            // backlog, raised by process mitigations but never above 1; s_max itself when W = 0.
            let w0 = scalar(a.minimum_weeks);
            let s_max = (yearly(a.max_within_20_weeks, t) + process_lift).min(1.0);
            let within = if w0 >= 20.0 {
                0.0
            } else if wait == 0.0 {
                s_max
            } else {
                s_max * (1.0 - (-(20.0 - w0) / wait).exp())
            };
            children = Children {
                requests,
                completed,
                waiting: backlog,
                plans,
                weeks: w0 + wait,
                within,
                officers,
                ..Children::default()
            };
            if a.joiners_from_plans {
                joiners = plans;
            }
        }

        // Section 2: demand. New plans first (flow model).
        if let Some(j) = &s.joiners() {
            joiners = (joiners * (1.0 + yearly(j.growth, t) - cut_all)).max(0.0);
        }
        let previous = caseload.clone();
        for (p, prov) in s.provisions().iter().enumerate() {
            caseload[p] = match prov.demand {
                DemandModel::NetGrowth { growth } => {
                    previous[p] * (1.0 + yearly(growth, t) - cut_all - cut[p])
                }
                DemandModel::Flows {
                    joiner_share,
                    leaver_rate,
                } => previous[p] - previous[p] * yearly(leaver_rate, t) + joiners * joiner_share,
            }
            .max(0.0);
        }
        // Movers: a share of last year's plans, never more than are there now.
        for mv in s.movers() {
            let moved = (yearly(mv.rate, t) * previous[mv.from]).min(caseload[mv.from]);
            caseload[mv.from] -= moved;
            caseload[mv.to] += moved;
        }
        // Placement shifts, in the order listed, never more plans than there are.
        for (i, m) in s.mitigations().iter().enumerate() {
            if let MitigationKind::PlacementShift { from, to } = m.kind
                && on.contains(i)
            {
                let moved = shift[i].min(caseload[from]).max(0.0);
                caseload[from] -= moved;
                caseload[to] += moved;
            }
        }
        // Section 14: the reform at phase transfer takes its share of every provision's plans,
        // from its first year, once the drawn delay has passed.
        if let Some(r) = s.reform()
            && t >= r.from
        {
            let started = ((t - r.from + 1) as f64 - scalar(r.delay_years)).clamp(0.0, 1.0);
            let ends = scalar(r.happens)
                * started
                * scalar(r.transfer_share)
                * scalar(r.ending_share)
                * (1.0 - scalar(r.protected_share));
            if ends > 0.0 {
                for plans in caseload.iter_mut() {
                    *plans *= 1.0 - ends;
                }
            }
        }
        // Capacity: plans above the places overflow, each provision before its overflow target.
        for &p in s.capacity_order() {
            let prov = &s.provisions()[p];
            if let (Some(cap), Some(dest)) = (prov.capacity, prov.overflow) {
                let excess = (caseload[p] - (yearly(cap, t) + extra_places[p])).max(0.0);
                caseload[p] -= excess;
                caseload[dest] += excess;
                // Section 9: children who end where there is no capacity (independent
                // schools) because a place was full.
                if s.provisions()[dest].capacity.is_none() {
                    children.placed += excess;
                }
            }
        }

        // Section 3: cost.
        let inflation = yearly(s.cost_inflation(), t);
        let mut placements = 0.0;
        let mut total_caseload = 0.0;
        for (p, prov) in s.provisions().iter().enumerate() {
            unit_cost[p] *= 1.0 + inflation + yearly(prov.drift, t);
            let paid = unit_cost[p] * (1.0 - saving_all - saving[p]).max(0.0);
            let spend = caseload[p] * paid;
            placements += spend;
            total_caseload += caseload[p];
            r.set(Series::Caseload(p), t, caseload[p]);
            r.set(Series::UnitCost(p), t, paid);
            r.set(Series::Spend(p), t, spend);
        }
        // Section 9: plans per case officer, the share in mainstream settings.
        if let Some(a) = s.assessments() {
            children.per_officer = if children.officers > 0.0 {
                total_caseload / children.officers
            } else {
                0.0
            };
            let mut mainstream = 0.0;
            for &p in &a.mainstream {
                mainstream += caseload[p];
            }
            children.mainstream = if total_caseload > 0.0 {
                mainstream / total_caseload
            } else {
                0.0
            };
        }
        let mut other_lines = 0.0;
        for (k, line) in s.other_lines().iter().enumerate() {
            lines[k] *= 1.0 + yearly(line.growth, t);
            other_lines += lines[k];
        }
        // Savings not attributed to a mitigation: a lever, zero unless set.
        let spend_total = placements + other_lines + costs_dsg - yearly(s.savings(), t);

        // Section 4: funding.
        allocation *= 1.0 + yearly(s.funding().growth, t);
        let transfer = match &s.transfer() {
            Some(tr) => {
                schools_block *= 1.0 + yearly(tr.schools_block_growth, t);
                let mut rate = yearly(tr.rate, t);
                // A refused disapplication leaves the share the schools forum can agree.
                // The limit is national policy (0.5%), resolved into the scenario.
                if rate > tr.forum_limit && yearly(tr.approved, t) < 0.5 {
                    rate = tr.forum_limit;
                }
                rate * schools_block
            }
            None => 0.0,
        };
        let mut other_income = 0.0;
        for (k, line) in s.other_income().iter().enumerate() {
            income[k] *= 1.0 + yearly(line.growth, t);
            other_income += income[k];
        }
        let mut other_blocks = 0.0;
        for (b, block) in s.other_blocks().iter().enumerate() {
            block_funding[b] *= 1.0 + yearly(block.funding_growth, t);
            block_spend[b] *= 1.0 + yearly(block.spend_growth, t);
            other_blocks += block_funding[b] - block_spend[b];
        }

        // Section 5: balances and receipts.
        let in_year_hn = allocation + transfer + other_income - spend_total;
        let in_year = in_year_hn + other_blocks;
        let contributions = yearly(s.contributions(), t);
        let central = match &s.central_funding() {
            Some(c) if t >= c.from => scalar(c.share) * (-in_year_hn).max(0.0),
            _ => 0.0,
        };
        let mut safety_valve = 0.0;
        if let Some(sv) = &s.safety_valve() {
            for (i, inst) in sv.instalments.iter().enumerate() {
                if inst.t != t {
                    continue;
                }
                let met = match inst.target {
                    Target::MaxInYearDeficit(limit) => in_year >= -limit,
                    // The cumulative balance before this year's safety-valve and write-off
                    // receipts (docs/scenario-reference.md).
                    Target::MinCumulativeBalance(floor) => {
                        balance_hn + balance_other + in_year + contributions + central >= floor
                    }
                };
                if met {
                    safety_valve += scalar(inst.amount) + deferred;
                    deferred = 0.0;
                    r.instalments_paid[i] = true;
                    // Instalments deferred earlier are received with this one.
                    for (j, waiting) in pending.iter_mut().enumerate().take(i) {
                        if *waiting {
                            *waiting = false;
                            r.instalments_paid[j] = true;
                        }
                    }
                } else if sv.on_miss == OnMiss::Defer {
                    deferred += scalar(inst.amount);
                    pending[i] = true;
                }
            }
        }
        let write_off = match &s.write_off() {
            Some(w) if w.paid_in == t => {
                // The high-needs deficit at the end of the measured year; measured in the year
                // it is paid, that year's balance before the write-off itself.
                let measured = if w.measured_at < t {
                    balance_hn_at[w.measured_at]
                } else {
                    balance_hn + in_year_hn + safety_valve + contributions + central
                };
                // The grant is paid on the lowest deficit the council has reported, if lower.
                let deficit = w
                    .lowest_reported
                    .map_or((-measured).max(0.0), |r| (-measured).max(0.0).min(r));
                scalar(w.approved) * scalar(w.share) * deficit
            }
            _ => 0.0,
        };
        let receipts = safety_valve + contributions + write_off + central;
        let interest = yearly(s.borrowing_rate(), t) * (-(balance_hn + balance_other)).max(0.0);
        balance_hn += in_year_hn + receipts;
        balance_other += other_blocks;
        balance_hn_at.push(balance_hn);
        let cumulative = balance_hn + balance_other;
        let reserves = yearly(s.usable_reserves(), t);

        for (series, v) in [
            (Series::CaseloadTotal, total_caseload),
            (Series::Joiners, joiners),
            (Series::SpendPlacements, placements),
            (Series::SpendOtherLines, other_lines),
            (Series::SpendMitigations, costs_dsg),
            (Series::SpendTotal, spend_total),
            (Series::Allocation, allocation),
            (Series::Transfer, transfer),
            (Series::OtherIncome, other_income),
            (Series::OtherBlocks, other_blocks),
            (Series::InYear, in_year),
            (Series::SafetyValve, safety_valve),
            (Series::Contributions, contributions),
            (Series::WriteOff, write_off),
            (Series::CentralFunding, central),
            (Series::ReceiptsTotal, receipts),
            (Series::Cumulative, cumulative),
            (Series::Interest, interest),
            (Series::GeneralFundMitigationCosts, costs_gf),
            (Series::UsableReserves, reserves),
            (Series::Headroom, reserves - (-cumulative).max(0.0)),
            (Series::AssessmentRequests, children.requests),
            (Series::AssessmentsCompleted, children.completed),
            (Series::ChildrenWaiting, children.waiting),
            (Series::PlansIssued, children.plans),
            (Series::WeeksToPlan, children.weeks),
            (Series::WithinTwentyWeeks, children.within),
            (Series::CaseOfficers, children.officers),
            (Series::PlansPerOfficer, children.per_officer),
            (Series::MainstreamShare, children.mainstream),
            (Series::PlacedForLackOfPlace, children.placed),
        ] {
            r.set(series, t, v);
        }
    }
    r
}
