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

/// The yearly results of a projection of one or more paths ("lanes").
///
/// Laid out `[series][year][lane]`: the values of one series in one year for every lane sit side
/// by side, which is what the Monte Carlo aggregator reads. A deterministic projection has one
/// lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    horizon: usize,
    provisions: usize,
    lanes: usize,
    values: Vec<f64>,
    /// Whether each safety-valve instalment was received (on time or, when deferred, later),
    /// `[instalment][lane]`.
    pub instalments_paid: Vec<bool>,
    /// Cumulative balance at the end of the base year (lane 0).
    pub opening_balance: f64,
    /// Plans at the end of the base year, all provisions (lane 0).
    pub opening_caseload: f64,
}

impl Projection {
    /// An empty one-lane projection sized for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        Projection::with_lanes(scenario, 1)
    }

    /// An empty projection of `lanes` paths side by side.
    pub fn with_lanes(scenario: &Scenario, lanes: usize) -> Self {
        let provisions = scenario.provisions.len();
        let instalments = scenario.safety_valve.as_ref().map_or(0, |sv| sv.instalments.len());
        Projection {
            horizon: scenario.horizon,
            provisions,
            lanes,
            values: vec![0.0; Series::count(provisions) * scenario.horizon * lanes],
            instalments_paid: vec![false; instalments * lanes],
            opening_balance: 0.0,
            opening_caseload: 0.0,
        }
    }

    /// The value of `series` in projection year `t` (1-based), lane 0.
    #[inline]
    pub fn get(&self, series: Series, t: usize) -> f64 {
        self.values[self.row_start(series, t)]
    }

    /// The values of `series` for years 1..=H, lane 0.
    pub fn series(&self, series: Series) -> Vec<f64> {
        (1..=self.horizon).map(|t| self.get(series, t)).collect()
    }

    /// The values of `series` in year `t` for every lane.
    #[inline]
    pub fn lanes_of(&self, series: Series, t: usize) -> &[f64] {
        let start = self.row_start(series, t);
        &self.values[start..start + self.lanes]
    }

    /// Number of paths held side by side.
    pub fn lanes(&self) -> usize {
        self.lanes
    }

    /// Years projected.
    pub fn horizon(&self) -> usize {
        self.horizon
    }

    #[inline]
    fn row_start(&self, series: Series, t: usize) -> usize {
        (series.index(self.provisions) * self.horizon + t - 1) * self.lanes
    }

    #[inline]
    fn row_mut(&mut self, series: Series, t: usize) -> &mut [f64] {
        let start = self.row_start(series, t);
        &mut self.values[start..start + self.lanes]
    }
}

/// Scratch space for [`project`], sized once for a scenario and a number of lanes and reused.
/// Per-lane arrays are laid out `[item][lane]`.
#[derive(Debug, Clone)]
pub struct Workspace {
    lanes: usize,
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
    pending: Vec<bool>,
    lane: LaneState,
}

/// One value per lane for each running total of the projection.
#[derive(Debug, Clone)]
struct LaneState {
    joiners: Vec<f64>,
    allocation: Vec<f64>,
    schools_block: Vec<f64>,
    balance: Vec<f64>,
    opening: Vec<f64>,
    deferred: Vec<f64>,
    growth_cut_all: Vec<f64>,
    saving_all: Vec<f64>,
    dsg_costs: Vec<f64>,
    general_fund_costs: Vec<f64>,
    // Totals of the year being projected.
    placements: Vec<f64>,
    caseload_total: Vec<f64>,
    other_lines: Vec<f64>,
    spend_total: Vec<f64>,
    transfer: Vec<f64>,
    other_income: Vec<f64>,
    other_blocks: Vec<f64>,
    in_year: Vec<f64>,
    contributions: Vec<f64>,
    central: Vec<f64>,
    safety_valve: Vec<f64>,
    write_off: Vec<f64>,
}

impl Workspace {
    /// Scratch space for one path of `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        Workspace::with_lanes(scenario, 1)
    }

    /// Scratch space for `lanes` paths of `scenario` side by side.
    pub fn with_lanes(scenario: &Scenario, lanes: usize) -> Self {
        let p = scenario.provisions.len() * lanes;
        let v = |items: usize| vec![0.0; items * lanes];
        let l = || vec![0.0; lanes];
        Workspace {
            lanes,
            previous: vec![0.0; p],
            caseload: vec![0.0; p],
            unit_cost: vec![0.0; p],
            growth_cut: vec![0.0; p],
            saving: vec![0.0; p],
            extra_places: vec![0.0; p],
            shift: v(scenario.mitigations.len()),
            lines: v(scenario.other_lines.len()),
            income: v(scenario.other_income.len()),
            block_funding: v(scenario.other_blocks.len()),
            block_spend: v(scenario.other_blocks.len()),
            pending: vec![false; scenario.safety_valve.as_ref().map_or(0, |sv| sv.instalments.len()) * lanes],
            lane: LaneState {
                joiners: l(),
                allocation: l(),
                schools_block: l(),
                balance: l(),
                opening: l(),
                deferred: l(),
                growth_cut_all: l(),
                saving_all: l(),
                dsg_costs: l(),
                general_fund_costs: l(),
                placements: l(),
                caseload_total: l(),
                other_lines: l(),
                spend_total: l(),
                transfer: l(),
                other_income: l(),
                other_blocks: l(),
                in_year: l(),
                contributions: l(),
                central: l(),
                safety_valve: l(),
                write_off: l(),
            },
        }
    }
}

/// Lanes `[i * n, (i + 1) * n)` of an `[item][lane]` array.
#[inline]
fn item(v: &[f64], i: usize, n: usize) -> &[f64] {
    &v[i * n..(i + 1) * n]
}

#[inline]
fn item_mut(v: &mut [f64], i: usize, n: usize) -> &mut [f64] {
    &mut v[i * n..(i + 1) * n]
}

/// Projects `scenario` for every lane of `x` with the given mitigations switched on, writing every
/// series into `out`. Allocates nothing; `ws` and `out` must have as many lanes as `x`.
///
/// Each step of a year runs across all lanes before the next step, so that many paths cost little
/// more than one: the Monte Carlo engine projects blocks of paths this way, and the deterministic
/// projection is the same code with one lane.
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
pub fn project(s: &Scenario, x: &Inputs, on: MitigationSet, ws: &mut Workspace, out: &mut Projection) {
    let n = x.lanes();
    assert!(
        ws.lanes == n && out.lanes == n,
        "inputs, workspace and projection must have the same number of lanes"
    );
    for (p, prov) in s.provisions.iter().enumerate() {
        item_mut(&mut ws.previous, p, n).copy_from_slice(x.scalar_lanes(prov.caseload));
        item_mut(&mut ws.unit_cost, p, n).copy_from_slice(x.scalar_lanes(prov.unit_cost));
    }
    for (k, line) in s.other_lines.iter().enumerate() {
        item_mut(&mut ws.lines, k, n).copy_from_slice(x.scalar_lanes(line.amount));
    }
    for (k, line) in s.other_income.iter().enumerate() {
        item_mut(&mut ws.income, k, n).copy_from_slice(x.scalar_lanes(line.amount));
    }
    for (b, block) in s.other_blocks.iter().enumerate() {
        item_mut(&mut ws.block_funding, b, n).copy_from_slice(x.scalar_lanes(block.funding));
        item_mut(&mut ws.block_spend, b, n).copy_from_slice(x.scalar_lanes(block.spend));
    }
    let st = &mut ws.lane;
    match &s.joiners {
        Some(j) => st.joiners.copy_from_slice(x.scalar_lanes(j.opening)),
        None => st.joiners.fill(0.0),
    }
    st.allocation.copy_from_slice(x.scalar_lanes(s.funding.allocation));
    match &s.transfer {
        Some(tr) => st.schools_block.copy_from_slice(x.scalar_lanes(tr.schools_block)),
        None => st.schools_block.fill(0.0),
    }
    st.opening.copy_from_slice(x.scalar_lanes(s.opening_balance));
    st.balance.copy_from_slice(&st.opening);
    st.deferred.fill(0.0);
    ws.pending.fill(false);
    out.instalments_paid.fill(false);
    out.opening_balance = st.opening[0];
    out.opening_caseload = (0..s.provisions.len()).map(|p| ws.previous[p * n]).sum();

    for t in 1..=s.horizon {
        mitigation_effects(s, x, on, t, ws);
        project_caseload(s, x, on, t, ws);
        project_spend(s, x, t, ws, out);
        project_funding(s, x, t, ws);
        project_balance(s, x, t, ws, out);
        std::mem::swap(&mut ws.previous, &mut ws.caseload);
    }
}

/// Demand (MODEL.md section 2): growth or flows from last year's caseload, then placement shifts
/// and capacity overflow. Leaves this year's caseload in `ws.caseload`.
fn project_caseload(s: &Scenario, x: &Inputs, on: MitigationSet, t: usize, ws: &mut Workspace) {
    let n = ws.lanes;
    let st = &mut ws.lane;
    if let Some(j) = &s.joiners {
        let growth = x.year_lanes(j.growth, t);
        for l in 0..n {
            st.joiners[l] = (st.joiners[l] * (1.0 + growth[l] - st.growth_cut_all[l])).max(0.0);
        }
    }
    for (p, prov) in s.provisions.iter().enumerate() {
        let prev = item(&ws.previous, p, n);
        let cur = &mut ws.caseload[p * n..(p + 1) * n];
        match prov.demand {
            DemandModel::NetGrowth { growth } => {
                let g = x.year_lanes(growth, t);
                let cut = &ws.growth_cut[p * n..(p + 1) * n];
                for l in 0..n {
                    // Growth cut below -100% still leaves no plans, never negative ones.
                    cur[l] = (prev[l] * (1.0 + g[l] - st.growth_cut_all[l] - cut[l])).max(0.0);
                }
            }
            DemandModel::Flows { joiner_share, leaver_rate } => {
                let leave = x.year_lanes(leaver_rate, t);
                for l in 0..n {
                    cur[l] = (prev[l] - prev[l] * leave[l] + st.joiners[l] * joiner_share).max(0.0);
                }
            }
        }
    }
    for m in &s.movers {
        let rate = x.year_lanes(m.rate, t);
        for l in 0..n {
            // A move takes a share of last year's plans, but never more than are there now.
            let moved = (rate[l] * ws.previous[m.from * n + l]).min(ws.caseload[m.from * n + l]);
            ws.caseload[m.from * n + l] -= moved;
            ws.caseload[m.to * n + l] += moved;
        }
    }
    // Placement shifts, never more plans than there are.
    for (i, mit) in s.mitigations.iter().enumerate() {
        if let MitigationKind::PlacementShift { from, to } = mit.kind {
            if on.contains(i) {
                for l in 0..n {
                    let moved = ws.shift[i * n + l].min(ws.caseload[from * n + l]).max(0.0);
                    ws.caseload[from * n + l] -= moved;
                    ws.caseload[to * n + l] += moved;
                }
            }
        }
    }
    // Capacity: plans above the places overflow, each provision before its overflow target.
    for &p in &s.capacity_order {
        let prov = &s.provisions[p];
        if let (Some(cap), Some(dest)) = (prov.capacity, prov.overflow) {
            let places = x.year_lanes(cap, t);
            for l in 0..n {
                let limit = places[l] + ws.extra_places[p * n + l];
                let excess = (ws.caseload[p * n + l] - limit).max(0.0);
                ws.caseload[p * n + l] -= excess;
                ws.caseload[dest * n + l] += excess;
            }
        }
    }
}

/// Cost (MODEL.md section 3): unit costs, placement spend, other lines, total spend.
fn project_spend(s: &Scenario, x: &Inputs, t: usize, ws: &mut Workspace, out: &mut Projection) {
    let n = ws.lanes;
    let st = &mut ws.lane;
    let inflation = x.year_lanes(s.cost_inflation, t);
    st.placements.fill(0.0);
    st.caseload_total.fill(0.0);
    for (p, prov) in s.provisions.iter().enumerate() {
        let drift = x.year_lanes(prov.drift, t);
        let cases = &ws.caseload[p * n..(p + 1) * n];
        let saving = &ws.saving[p * n..(p + 1) * n];
        let unit = &mut ws.unit_cost[p * n..(p + 1) * n];
        out.row_mut(Series::Caseload(p), t).copy_from_slice(cases);
        let paid = out.row_start(Series::UnitCost(p), t);
        let spend = out.row_start(Series::Spend(p), t);
        for l in 0..n {
            unit[l] *= 1.0 + inflation[l] + drift[l];
            let cost = unit[l] * (1.0 - st.saving_all[l] - saving[l]).max(0.0);
            out.values[paid + l] = cost;
            out.values[spend + l] = cases[l] * cost;
            st.placements[l] += cases[l] * cost;
            st.caseload_total[l] += cases[l];
        }
    }
    grow_lines(&mut ws.lines, &s.other_lines, x, t, &mut st.other_lines);
    for l in 0..n {
        st.spend_total[l] = st.placements[l] + st.other_lines[l] + st.dsg_costs[l];
    }
}

/// Funding (MODEL.md section 4): allocation, transfer, other income, other blocks; then the
/// in-year balance.
fn project_funding(s: &Scenario, x: &Inputs, t: usize, ws: &mut Workspace) {
    let n = ws.lanes;
    let st = &mut ws.lane;
    let growth = x.year_lanes(s.funding.growth, t);
    for l in 0..n {
        st.allocation[l] *= 1.0 + growth[l];
    }
    match &s.transfer {
        Some(tr) => {
            let g = x.year_lanes(tr.schools_block_growth, t);
            let rate = x.year_lanes(tr.rate, t);
            let approved = x.year_lanes(tr.approved, t);
            for l in 0..n {
                st.schools_block[l] *= 1.0 + g[l];
                // A refused disapplication still leaves the 0.5% the schools forum can agree.
                let r = if rate[l] > FORUM_TRANSFER_LIMIT && approved[l] < 0.5 {
                    FORUM_TRANSFER_LIMIT
                } else {
                    rate[l]
                };
                st.transfer[l] = r * st.schools_block[l];
            }
        }
        None => st.transfer.fill(0.0),
    }
    grow_lines(&mut ws.income, &s.other_income, x, t, &mut st.other_income);
    st.other_blocks.fill(0.0);
    for (b, block) in s.other_blocks.iter().enumerate() {
        let fg = x.year_lanes(block.funding_growth, t);
        let sg = x.year_lanes(block.spend_growth, t);
        for l in 0..n {
            ws.block_funding[b * n + l] *= 1.0 + fg[l];
            ws.block_spend[b * n + l] *= 1.0 + sg[l];
            st.other_blocks[l] += ws.block_funding[b * n + l] - ws.block_spend[b * n + l];
        }
    }
    for l in 0..n {
        st.in_year[l] =
            st.allocation[l] + st.transfer[l] + st.other_income[l] - st.spend_total[l] + st.other_blocks[l];
    }
}

/// Balances and receipts (MODEL.md section 5); writes every yearly total to `out`.
fn project_balance(s: &Scenario, x: &Inputs, t: usize, ws: &mut Workspace, out: &mut Projection) {
    let n = ws.lanes;
    let st = &mut ws.lane;
    st.contributions.copy_from_slice(x.year_lanes(s.contributions, t));
    match &s.central_funding {
        Some(c) if t >= c.from => {
            let share = x.scalar_lanes(c.share);
            for l in 0..n {
                st.central[l] = share[l] * (-st.in_year[l]).max(0.0);
            }
        }
        _ => st.central.fill(0.0),
    }
    st.safety_valve.fill(0.0);
    if let Some(sv) = &s.safety_valve {
        for (i, inst) in sv.instalments.iter().enumerate().filter(|(_, inst)| inst.t == t) {
            let amount = x.scalar_lanes(inst.amount);
            for l in 0..n {
                let met = match inst.target {
                    Target::MaxInYearDeficit(limit) => st.in_year[l] >= -limit,
                    Target::MinCumulativeBalance(floor) => {
                        st.balance[l] + st.in_year[l] + st.contributions[l] + st.central[l] >= floor
                    }
                };
                if met {
                    st.safety_valve[l] += amount[l] + st.deferred[l];
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
    st.write_off.fill(0.0);
    if let Some(w) = s.write_off.as_ref().filter(|w| w.paid_in == t) {
        let approved = x.scalar_lanes(w.approved);
        let share = x.scalar_lanes(w.share);
        for l in 0..n {
            let measured = if w.measured_at == 0 {
                st.opening[l]
            } else if w.measured_at < t {
                out.values[out.row_start(Series::Cumulative, w.measured_at) + l]
            } else {
                st.balance[l] + st.in_year[l] + st.safety_valve[l] + st.contributions[l] + st.central[l]
            };
            st.write_off[l] = approved[l] * share[l] * (-measured).max(0.0);
        }
    }
    let rate = x.year_lanes(s.borrowing_rate, t);
    let reserves = x.year_lanes(s.usable_reserves, t);
    let interest = out.row_start(Series::Interest, t);
    let receipts = out.row_start(Series::ReceiptsTotal, t);
    let cumulative = out.row_start(Series::Cumulative, t);
    let headroom = out.row_start(Series::Headroom, t);
    for l in 0..n {
        out.values[interest + l] = rate[l] * (-st.balance[l]).max(0.0);
        let received = st.safety_valve[l] + st.contributions[l] + st.write_off[l] + st.central[l];
        st.balance[l] += st.in_year[l] + received;
        out.values[receipts + l] = received;
        out.values[cumulative + l] = st.balance[l];
        out.values[headroom + l] = reserves[l] - (-st.balance[l]).max(0.0);
    }
    out.row_mut(Series::UsableReserves, t).copy_from_slice(reserves);
    for (series, values) in [
        (Series::CaseloadTotal, &st.caseload_total),
        (Series::Joiners, &st.joiners),
        (Series::SpendPlacements, &st.placements),
        (Series::SpendOtherLines, &st.other_lines),
        (Series::SpendMitigations, &st.dsg_costs),
        (Series::SpendTotal, &st.spend_total),
        (Series::Allocation, &st.allocation),
        (Series::Transfer, &st.transfer),
        (Series::OtherIncome, &st.other_income),
        (Series::OtherBlocks, &st.other_blocks),
        (Series::InYear, &st.in_year),
        (Series::SafetyValve, &st.safety_valve),
        (Series::Contributions, &st.contributions),
        (Series::WriteOff, &st.write_off),
        (Series::CentralFunding, &st.central),
        (Series::GeneralFundMitigationCosts, &st.general_fund_costs),
    ] {
        out.row_mut(series, t).copy_from_slice(values);
    }
}

/// Grows each line by its own rate and puts the year's total per lane in `total`.
fn grow_lines(values: &mut [f64], lines: &[crate::scenario::Line], x: &Inputs, t: usize, total: &mut [f64]) {
    let n = total.len();
    total.fill(0.0);
    for (k, line) in lines.iter().enumerate() {
        let g = x.year_lanes(line.growth, t);
        let v = item_mut(values, k, n);
        for l in 0..n {
            v[l] *= 1.0 + g[l];
            total[l] += v[l];
        }
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
    if k <= 0.0 { 0.0 } else { (k / ramp_years.max(1.0)).min(1.0) }
}

/// Mitigation effects in year `t`, summed over the active mitigations, per lane.
fn mitigation_effects(s: &Scenario, x: &Inputs, on: MitigationSet, t: usize, ws: &mut Workspace) {
    let n = ws.lanes;
    let st = &mut ws.lane;
    for v in [&mut st.growth_cut_all, &mut st.saving_all, &mut st.dsg_costs, &mut st.general_fund_costs] {
        v.fill(0.0);
    }
    // Only the per-provision effects some mitigation targets are ever written: zero just those.
    for (i, m) in s.mitigations.iter().enumerate() {
        match m.kind {
            MitigationKind::GrowthReduction(Scope::One(p)) => item_mut(&mut ws.growth_cut, p, n).fill(0.0),
            MitigationKind::UnitCostSaving(Scope::One(p)) => item_mut(&mut ws.saving, p, n).fill(0.0),
            MitigationKind::CapacityAdded(p) => item_mut(&mut ws.extra_places, p, n).fill(0.0),
            MitigationKind::PlacementShift { .. } => item_mut(&mut ws.shift, i, n).fill(0.0),
            MitigationKind::GrowthReduction(Scope::All) | MitigationKind::UnitCostSaving(Scope::All) => {}
        }
    }
    for (i, m) in s.mitigations.iter().enumerate() {
        if !on.contains(i) {
            continue;
        }
        let slippage = x.scalar_lanes(m.slippage);
        let effect = x.scalar_lanes(m.effect);
        let delivery = x.scalar_lanes(m.delivery);
        let one_off = x.scalar_lanes(m.one_off_cost);
        let yearly = x.scalar_lanes(m.yearly_cost);
        let target: &mut [f64] = match m.kind {
            MitigationKind::GrowthReduction(Scope::All) => &mut st.growth_cut_all,
            MitigationKind::GrowthReduction(Scope::One(p)) => item_mut(&mut ws.growth_cut, p, n),
            MitigationKind::UnitCostSaving(Scope::All) => &mut st.saving_all,
            MitigationKind::UnitCostSaving(Scope::One(p)) => item_mut(&mut ws.saving, p, n),
            MitigationKind::CapacityAdded(p) => item_mut(&mut ws.extra_places, p, n),
            MitigationKind::PlacementShift { .. } => item_mut(&mut ws.shift, i, n),
        };
        let costs = match m.charged_to {
            ChargedTo::Dsg => &mut st.dsg_costs,
            ChargedTo::GeneralFund => &mut st.general_fund_costs,
        };
        for l in 0..n {
            let share = ramp(t, m.start, slippage[l], m.ramp_years);
            if share > 0.0 {
                target[l] += effect[l] * share * delivery[l];
                let first_year = t as f64 - (m.start as f64 + slippage[l]) + 1.0 <= 1.0;
                costs[l] += yearly[l] + if first_year { one_off[l] } else { 0.0 };
            }
        }
    }
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
        with.iter().zip(&without).map(|(a, b)| a - b).collect()
    }
}
