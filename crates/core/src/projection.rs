//! The deterministic projection (MODEL.md sections 2 to 6): one path, year by year.
//!
//! Built to be called millions of times by the Monte Carlo engine: the caller owns a
//! [`Workspace`] and a [`Projection`] and reuses them, so a call allocates nothing.

use serde::Serialize;

use crate::params::Inputs;
use crate::scenario::{
    ChargedTo, DemandModel, FORUM_TRANSFER_LIMIT, MitigationKind, OnMiss, Scenario, Scope, Target,
};

/// A yearly output of the projection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Series {
    /// Plans in all provisions.
    CaseloadTotal,
    /// New plans in the year (flow model; 0 otherwise).
    Joiners,
    /// Placement spend, all provisions.
    SpendPlacements,
    /// Other high-needs lines.
    SpendOtherLines,
    /// Mitigation costs charged to the DSG.
    SpendMitigations,
    /// High-needs spend `S[t]`.
    SpendTotal,
    /// High-needs block allocation `F[t]`.
    Allocation,
    /// Transfer from the schools block `T[t]`.
    Transfer,
    /// Other income.
    OtherIncome,
    /// In-year balance of the other DSG blocks.
    OtherBlocks,
    /// In-year balance `I[t]`.
    InYear,
    /// Safety-valve instalments received `A[t]`.
    SafetyValve,
    /// General-fund contributions `C[t]`.
    Contributions,
    /// Deficit write-off grant `W[t]`.
    WriteOff,
    /// Central funding of the in-year deficit.
    CentralFunding,
    /// All receipts outside the allocation.
    ReceiptsTotal,
    /// Cumulative DSG balance `B[t]` (negative = deficit).
    Cumulative,
    /// Carrying cost of the deficit to the general fund.
    Interest,
    /// Mitigation costs charged to the general fund.
    GeneralFundMitigationCosts,
    /// Usable general-fund reserves.
    UsableReserves,
    /// Usable reserves less the cumulative deficit (meaningful once the override has ended).
    Headroom,
    /// Plans in provision `p`.
    Caseload(usize),
    /// Placement spend in provision `p`.
    Spend(usize),
    /// Unit cost paid in provision `p` (after savings).
    UnitCost(usize),
}

const FIXED_SERIES: [(Series, &str); 21] = [
    (Series::CaseloadTotal, "caseload.total"),
    (Series::Joiners, "caseload.joiners"),
    (Series::SpendPlacements, "spend.placements"),
    (Series::SpendOtherLines, "spend.other_lines"),
    (Series::SpendMitigations, "spend.mitigation_costs"),
    (Series::SpendTotal, "spend.total"),
    (Series::Allocation, "funding.allocation"),
    (Series::Transfer, "funding.transfer"),
    (Series::OtherIncome, "funding.other_income"),
    (Series::OtherBlocks, "funding.other_blocks_balance"),
    (Series::InYear, "balance.in_year"),
    (Series::SafetyValve, "receipts.safety_valve"),
    (Series::Contributions, "receipts.contributions"),
    (Series::WriteOff, "receipts.write_off"),
    (Series::CentralFunding, "receipts.central_funding"),
    (Series::ReceiptsTotal, "receipts.total"),
    (Series::Cumulative, "balance.cumulative"),
    (Series::Interest, "general_fund.interest"),
    (
        Series::GeneralFundMitigationCosts,
        "general_fund.mitigation_costs",
    ),
    (Series::UsableReserves, "general_fund.usable_reserves"),
    (Series::Headroom, "general_fund.headroom"),
];

impl Series {
    /// Position of this series in a projection of a scenario with `provisions` provisions.
    #[inline]
    pub fn index(self, provisions: usize) -> usize {
        let fixed = FIXED_SERIES.len();
        match self {
            Series::Caseload(p) => fixed + p,
            Series::Spend(p) => fixed + provisions + p,
            Series::UnitCost(p) => fixed + 2 * provisions + p,
            Series::CaseloadTotal => 0,
            Series::Joiners => 1,
            Series::SpendPlacements => 2,
            Series::SpendOtherLines => 3,
            Series::SpendMitigations => 4,
            Series::SpendTotal => 5,
            Series::Allocation => 6,
            Series::Transfer => 7,
            Series::OtherIncome => 8,
            Series::OtherBlocks => 9,
            Series::InYear => 10,
            Series::SafetyValve => 11,
            Series::Contributions => 12,
            Series::WriteOff => 13,
            Series::CentralFunding => 14,
            Series::ReceiptsTotal => 15,
            Series::Cumulative => 16,
            Series::Interest => 17,
            Series::GeneralFundMitigationCosts => 18,
            Series::UsableReserves => 19,
            Series::Headroom => 20,
        }
    }

    /// Every series of a scenario with its stable name (`caseload.<provision>`, ...), in index
    /// order.
    ///
    /// ```
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let all = dsg_core::Series::all(&s);
    /// assert_eq!(all[0].1, "caseload.total");
    /// assert!(all.iter().any(|(_, n)| n == "balance.cumulative"));
    /// ```
    pub fn all(scenario: &Scenario) -> Vec<(Series, String)> {
        let mut out: Vec<(Series, String)> = FIXED_SERIES
            .iter()
            .map(|(s, n)| (*s, n.to_string()))
            .collect();
        let names = || scenario.provisions.iter().enumerate();
        out.extend(names().map(|(i, p)| (Series::Caseload(i), format!("caseload.{}", p.name))));
        out.extend(names().map(|(i, p)| (Series::Spend(i), format!("spend.{}", p.name))));
        out.extend(names().map(|(i, p)| (Series::UnitCost(i), format!("unit_cost.{}", p.name))));
        out
    }

    /// Number of series for a scenario with `provisions` provisions.
    pub fn count(provisions: usize) -> usize {
        FIXED_SERIES.len() + 3 * provisions
    }
}

/// Which mitigations are switched on (bit `i` = mitigation `i`).
///
/// ```
/// use dsg_core::MitigationSet;
/// let all = MitigationSet::all(3);
/// assert!(all.contains(2));
/// assert!(!all.without(2).contains(2));
/// assert!(!MitigationSet::none().contains(0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MitigationSet(u64);

impl MitigationSet {
    /// The first `n` mitigations (n at most 64).
    pub fn all(n: usize) -> Self {
        MitigationSet(if n >= 64 { u64::MAX } else { (1u64 << n) - 1 })
    }

    /// No mitigation: the unmitigated forecast.
    pub fn none() -> Self {
        MitigationSet(0)
    }

    /// This set with mitigation `i` switched off.
    pub fn without(self, i: usize) -> Self {
        MitigationSet(self.0 & !(1u64 << i))
    }

    /// Whether mitigation `i` is on.
    #[inline]
    pub fn contains(self, i: usize) -> bool {
        i < 64 && self.0 & (1u64 << i) != 0
    }
}

/// The yearly results of one projection.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    horizon: usize,
    provisions: usize,
    values: Vec<f64>,
    /// Whether each safety-valve instalment was received (on time or, when deferred, later).
    pub instalments_paid: Vec<bool>,
    /// Cumulative balance at the end of the base year.
    pub opening_balance: f64,
    /// Plans at the end of the base year, all provisions.
    pub opening_caseload: f64,
}

impl Projection {
    /// An empty projection sized for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        let provisions = scenario.provisions.len();
        Projection {
            horizon: scenario.horizon,
            provisions,
            values: vec![0.0; Series::count(provisions) * scenario.horizon],
            instalments_paid: vec![
                false;
                scenario
                    .safety_valve
                    .as_ref()
                    .map_or(0, |sv| sv.instalments.len())
            ],
            opening_balance: 0.0,
            opening_caseload: 0.0,
        }
    }

    /// The value of `series` in projection year `t` (1-based).
    #[inline]
    pub fn get(&self, series: Series, t: usize) -> f64 {
        self.values[series.index(self.provisions) * self.horizon + t - 1]
    }

    /// The values of `series` for years 1..=H.
    pub fn series(&self, series: Series) -> &[f64] {
        let start = series.index(self.provisions) * self.horizon;
        &self.values[start..start + self.horizon]
    }

    /// All values, series-major (series `i`, year `t` at `i * H + t - 1`).
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Years projected.
    pub fn horizon(&self) -> usize {
        self.horizon
    }

    #[inline]
    fn set(&mut self, series: Series, t: usize, value: f64) {
        let i = series.index(self.provisions) * self.horizon + t - 1;
        self.values[i] = value;
    }
}

/// Scratch space for [`project`], sized once for a scenario and reused across calls.
#[derive(Debug, Clone)]
pub struct Workspace {
    previous: Vec<f64>,
    caseload: Vec<f64>,
    unit_cost: Vec<f64>,
    growth_cut: Vec<f64>,
    saving: Vec<f64>,
    extra_places: Vec<f64>,
    shift: Vec<f64>,
    lines: Vec<f64>,
    income: Vec<f64>,
    block_funding: Vec<f64>,
    block_spend: Vec<f64>,
    deferred: Vec<usize>,
}

impl Workspace {
    /// Scratch space for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        let p = scenario.provisions.len();
        Workspace {
            previous: vec![0.0; p],
            caseload: vec![0.0; p],
            unit_cost: vec![0.0; p],
            growth_cut: vec![0.0; p],
            saving: vec![0.0; p],
            extra_places: vec![0.0; p],
            shift: vec![0.0; scenario.mitigations.len()],
            lines: vec![0.0; scenario.other_lines.len()],
            income: vec![0.0; scenario.other_income.len()],
            block_funding: vec![0.0; scenario.other_blocks.len()],
            block_spend: vec![0.0; scenario.other_blocks.len()],
            deferred: Vec::with_capacity(
                scenario
                    .safety_valve
                    .as_ref()
                    .map_or(0, |sv| sv.instalments.len()),
            ),
        }
    }
}

/// Mitigation effects in one year, summed over the active mitigations.
struct YearEffects {
    growth_cut_all: f64,
    saving_all: f64,
    dsg_costs: f64,
    general_fund_costs: f64,
}

/// Projects `scenario` with the given input values and mitigations, writing every series into
/// `out`. Allocates nothing.
///
/// ```
/// use dsg_core::{project, MitigationSet, Projection, Series, Workspace};
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
/// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
/// let inputs = s.params.central_inputs();
/// let (mut ws, mut out) = (Workspace::new(&s), Projection::new(&s));
/// project(&s, &inputs, MitigationSet::all(s.mitigations.len()), &mut ws, &mut out);
/// assert!(out.get(Series::Cumulative, s.horizon) < out.opening_balance);
/// ```
pub fn project(
    s: &Scenario,
    x: &Inputs,
    on: MitigationSet,
    ws: &mut Workspace,
    out: &mut Projection,
) {
    for (p, prov) in s.provisions.iter().enumerate() {
        ws.previous[p] = x.scalar(prov.caseload);
        ws.unit_cost[p] = x.scalar(prov.unit_cost);
    }
    for (v, line) in ws.lines.iter_mut().zip(&s.other_lines) {
        *v = x.scalar(line.amount);
    }
    for (v, line) in ws.income.iter_mut().zip(&s.other_income) {
        *v = x.scalar(line.amount);
    }
    for (b, block) in s.other_blocks.iter().enumerate() {
        ws.block_funding[b] = x.scalar(block.funding);
        ws.block_spend[b] = x.scalar(block.spend);
    }
    ws.deferred.clear();
    out.instalments_paid.fill(false);
    let mut joiners = s.joiners.as_ref().map_or(0.0, |j| x.scalar(j.opening));
    let mut allocation = x.scalar(s.funding.allocation);
    let mut schools_block = s
        .transfer
        .as_ref()
        .map_or(0.0, |t| x.scalar(t.schools_block));
    let opening_balance = x.scalar(s.opening_balance);
    let mut balance = opening_balance;
    let mut deferred_amount = 0.0;
    out.opening_balance = opening_balance;
    out.opening_caseload = ws.previous.iter().sum();

    for t in 1..=s.horizon {
        let fx = mitigation_effects(s, x, on, t, ws);

        // Demand (section 2): growth or flows from last year's caseload.
        if let Some(j) = &s.joiners {
            joiners = (joiners * (1.0 + x.year(j.growth, t) - fx.growth_cut_all)).max(0.0);
        }
        for (p, prov) in s.provisions.iter().enumerate() {
            let prev = ws.previous[p];
            ws.caseload[p] = match prov.demand {
                DemandModel::NetGrowth { growth } => {
                    prev * (1.0 + x.year(growth, t) - fx.growth_cut_all - ws.growth_cut[p])
                }
                DemandModel::Flows {
                    joiner_share,
                    leaver_rate,
                } => prev - prev * x.year(leaver_rate, t) + joiners * joiner_share,
            };
        }
        for m in &s.movers {
            let moved = x.year(m.rate, t) * ws.previous[m.from];
            ws.caseload[m.from] -= moved;
            ws.caseload[m.to] += moved;
        }
        for n in ws.caseload.iter_mut() {
            *n = n.max(0.0);
        }
        // Placement shifts, never more plans than there are.
        for (i, mit) in s.mitigations.iter().enumerate() {
            if let MitigationKind::PlacementShift { from, to } = mit.kind {
                if on.contains(i) {
                    let moved = ws.shift[i].min(ws.caseload[from]).max(0.0);
                    ws.caseload[from] -= moved;
                    ws.caseload[to] += moved;
                }
            }
        }
        // Capacity: plans above the places overflow, each provision before its overflow target.
        for &p in &s.capacity_order {
            let prov = &s.provisions[p];
            if let (Some(cap), Some(dest)) = (prov.capacity, prov.overflow) {
                let places = x.year(cap, t) + ws.extra_places[p];
                let excess = ws.caseload[p] - places;
                if excess > 0.0 {
                    ws.caseload[p] = places;
                    ws.caseload[dest] += excess;
                }
            }
        }

        // Cost (section 3).
        let inflation = x.year(s.cost_inflation, t);
        let (mut placements, mut caseload_total) = (0.0, 0.0);
        for (p, prov) in s.provisions.iter().enumerate() {
            ws.unit_cost[p] *= 1.0 + inflation + x.year(prov.drift, t);
            let paid = ws.unit_cost[p] * (1.0 - fx.saving_all - ws.saving[p]).max(0.0);
            let spend = ws.caseload[p] * paid;
            placements += spend;
            caseload_total += ws.caseload[p];
            out.set(Series::Caseload(p), t, ws.caseload[p]);
            out.set(Series::Spend(p), t, spend);
            out.set(Series::UnitCost(p), t, paid);
        }
        let other_lines = grow_lines(&mut ws.lines, &s.other_lines, x, t);
        let spend_total = placements + other_lines + fx.dsg_costs;

        // Funding (section 4).
        allocation *= 1.0 + x.year(s.funding.growth, t);
        let transfer = match &s.transfer {
            Some(tr) => {
                schools_block *= 1.0 + x.year(tr.schools_block_growth, t);
                let mut rate = x.year(tr.rate, t);
                if rate > FORUM_TRANSFER_LIMIT && x.year(tr.approved, t) < 0.5 {
                    rate = FORUM_TRANSFER_LIMIT;
                }
                rate * schools_block
            }
            None => 0.0,
        };
        let other_income = grow_lines(&mut ws.income, &s.other_income, x, t);
        let mut other_blocks = 0.0;
        for (b, block) in s.other_blocks.iter().enumerate() {
            ws.block_funding[b] *= 1.0 + x.year(block.funding_growth, t);
            ws.block_spend[b] *= 1.0 + x.year(block.spend_growth, t);
            other_blocks += ws.block_funding[b] - ws.block_spend[b];
        }

        // Balances and receipts (section 5).
        let in_year = allocation + transfer + other_income - spend_total + other_blocks;
        let interest = x.year(s.borrowing_rate, t) * (-balance).max(0.0);
        let contributions = x.year(s.contributions, t);
        let central = match &s.central_funding {
            Some(c) if t >= c.from => x.scalar(c.share) * (-in_year).max(0.0),
            _ => 0.0,
        };
        let mut safety_valve = 0.0;
        if let Some(sv) = &s.safety_valve {
            for (i, inst) in sv
                .instalments
                .iter()
                .enumerate()
                .filter(|(_, inst)| inst.t == t)
            {
                let met = match inst.target {
                    Target::MaxInYearDeficit(limit) => in_year >= -limit,
                    Target::MinCumulativeBalance(floor) => {
                        balance + in_year + contributions + central >= floor
                    }
                };
                let amount = x.scalar(inst.amount);
                if met {
                    safety_valve += amount + deferred_amount;
                    deferred_amount = 0.0;
                    out.instalments_paid[i] = true;
                    for &d in &ws.deferred {
                        out.instalments_paid[d] = true;
                    }
                    ws.deferred.clear();
                } else if sv.on_miss == OnMiss::Defer {
                    deferred_amount += amount;
                    ws.deferred.push(i);
                }
            }
        }
        let write_off = match &s.write_off {
            Some(w) if w.paid_in == t => {
                let measured = if w.measured_at == 0 {
                    opening_balance
                } else if w.measured_at < t {
                    out.get(Series::Cumulative, w.measured_at)
                } else {
                    balance + in_year + safety_valve + contributions + central
                };
                x.scalar(w.approved) * x.scalar(w.share) * (-measured).max(0.0)
            }
            _ => 0.0,
        };
        let receipts = safety_valve + contributions + write_off + central;
        balance += in_year + receipts;
        let reserves = x.year(s.usable_reserves, t);

        out.set(Series::CaseloadTotal, t, caseload_total);
        out.set(Series::Joiners, t, joiners);
        out.set(Series::SpendPlacements, t, placements);
        out.set(Series::SpendOtherLines, t, other_lines);
        out.set(Series::SpendMitigations, t, fx.dsg_costs);
        out.set(Series::SpendTotal, t, spend_total);
        out.set(Series::Allocation, t, allocation);
        out.set(Series::Transfer, t, transfer);
        out.set(Series::OtherIncome, t, other_income);
        out.set(Series::OtherBlocks, t, other_blocks);
        out.set(Series::InYear, t, in_year);
        out.set(Series::SafetyValve, t, safety_valve);
        out.set(Series::Contributions, t, contributions);
        out.set(Series::WriteOff, t, write_off);
        out.set(Series::CentralFunding, t, central);
        out.set(Series::ReceiptsTotal, t, receipts);
        out.set(Series::Cumulative, t, balance);
        out.set(Series::Interest, t, interest);
        out.set(Series::GeneralFundMitigationCosts, t, fx.general_fund_costs);
        out.set(Series::UsableReserves, t, reserves);
        out.set(Series::Headroom, t, reserves - (-balance).max(0.0));

        std::mem::swap(&mut ws.previous, &mut ws.caseload);
    }
}

/// Grows each line by its own rate and returns the year's total.
fn grow_lines(values: &mut [f64], lines: &[crate::scenario::Line], x: &Inputs, t: usize) -> f64 {
    let mut total = 0.0;
    for (v, line) in values.iter_mut().zip(lines) {
        *v *= 1.0 + x.year(line.growth, t);
        total += *v;
    }
    total
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

fn mitigation_effects(
    s: &Scenario,
    x: &Inputs,
    on: MitigationSet,
    t: usize,
    ws: &mut Workspace,
) -> YearEffects {
    ws.growth_cut.fill(0.0);
    ws.saving.fill(0.0);
    ws.extra_places.fill(0.0);
    let mut fx = YearEffects {
        growth_cut_all: 0.0,
        saving_all: 0.0,
        dsg_costs: 0.0,
        general_fund_costs: 0.0,
    };
    for (i, m) in s.mitigations.iter().enumerate() {
        ws.shift[i] = 0.0;
        if !on.contains(i) {
            continue;
        }
        let slippage = x.scalar(m.slippage);
        let share = ramp(t, m.start, slippage, m.ramp_years);
        if share <= 0.0 {
            continue;
        }
        let level = x.scalar(m.effect) * share * x.scalar(m.delivery);
        let first_year = t as f64 - (m.start as f64 + slippage) + 1.0 <= 1.0;
        let cost = x.scalar(m.yearly_cost)
            + if first_year {
                x.scalar(m.one_off_cost)
            } else {
                0.0
            };
        match m.charged_to {
            ChargedTo::Dsg => fx.dsg_costs += cost,
            ChargedTo::GeneralFund => fx.general_fund_costs += cost,
        }
        match m.kind {
            MitigationKind::GrowthReduction(Scope::All) => fx.growth_cut_all += level,
            MitigationKind::GrowthReduction(Scope::One(p)) => ws.growth_cut[p] += level,
            MitigationKind::UnitCostSaving(Scope::All) => fx.saving_all += level,
            MitigationKind::UnitCostSaving(Scope::One(p)) => ws.saving[p] += level,
            MitigationKind::CapacityAdded(p) => ws.extra_places[p] += level,
            MitigationKind::PlacementShift { .. } => ws.shift[i] = level,
        }
    }
    fx
}

/// The deterministic forecast: the central projection with mitigations, without them, and with
/// each mitigation switched off alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// Every mitigation on.
    pub mitigated: Projection,
    /// Every mitigation off.
    pub unmitigated: Projection,
    /// Mitigation `i` off, the others on.
    pub without_each: Vec<Projection>,
}

impl Forecast {
    /// Projects `scenario` at the central value of every input.
    ///
    /// ```
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let f = dsg_core::Forecast::central(&s);
    /// assert_eq!(f.without_each.len(), s.mitigations.len());
    /// ```
    pub fn central(scenario: &Scenario) -> Forecast {
        Forecast::with_inputs(scenario, &scenario.params.central_inputs())
    }

    /// Projects `scenario` with the given input values.
    pub fn with_inputs(scenario: &Scenario, inputs: &Inputs) -> Forecast {
        let mut ws = Workspace::new(scenario);
        let n = scenario.mitigations.len();
        let run = |set: MitigationSet, ws: &mut Workspace| {
            let mut out = Projection::new(scenario);
            project(scenario, inputs, set, ws, &mut out);
            out
        };
        Forecast {
            mitigated: run(MitigationSet::all(n), &mut ws),
            unmitigated: run(MitigationSet::none(), &mut ws),
            without_each: (0..n)
                .map(|i| run(MitigationSet::all(n).without(i), &mut ws))
                .collect(),
        }
    }

    /// How much mitigation `i` improves the cumulative balance in each year (positive = better).
    pub fn impact(&self, i: usize) -> Vec<f64> {
        let with = self.mitigated.series(Series::Cumulative);
        let without = self.without_each[i].series(Series::Cumulative);
        with.iter().zip(without).map(|(a, b)| a - b).collect()
    }
}
