//! The deterministic projection (MODEL.md sections 2 to 6): one path, year by year.
//!
//! Built to be called millions of times by the Monte Carlo engine: the caller owns a
//! [`Workspace`] and a [`Projection`] and reuses them, so a call allocates nothing.

use crate::params::Inputs;
use crate::scenario::{
    ChargedTo, DemandModel, FORUM_TRANSFER_LIMIT, MitigationKind, OnMiss, Scenario, Scope, Target,
};
use crate::series::Series;

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
/// Holds, for each series and year, the values of every lane side by side: the values of one
/// series in one year for every lane sit next to each other, which is what the Monte Carlo
/// aggregator reads. A deterministic projection has one lane.
///
/// A projection made with [`Projection::recording`] keeps only the series it was asked for (the
/// others are still computed, into one scratch row per series that each year overwrites): the
/// Monte Carlo engine uses it for the runs whose other series it does not report.
#[derive(Debug, Clone)]
pub struct Projection {
    horizon: usize,
    provisions: usize,
    lanes: usize,
    values: Vec<f64>,
    /// Per row of `values`: known to hold zero in every lane (so that a reused projection does not
    /// zero it again). Set when [`project`] zeroes a row, cleared whenever it may write one.
    zero: Vec<bool>,
    /// Row of `values` (in units of `lanes`) holding each series in each year, indexed
    /// `series * horizon + t - 1`. A series that is not recorded has one scratch row for all years.
    rows: Vec<u32>,
    /// Whether each series (by index) is kept for every year.
    recorded: Vec<bool>,
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
        Projection::build(scenario, lanes, |_| true)
    }

    /// An empty projection of `lanes` paths that keeps only `series` (and the cumulative balance,
    /// always kept). Reading any other series panics. Smaller and quicker to fill than
    /// [`Projection::with_lanes`] when few series are wanted.
    ///
    /// ```
    /// use dsg_core::{project, MitigationSet, Projection, Series, Workspace};
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let inputs = s.params.central_inputs();
    /// let mut some = Projection::recording(&s, 1, &[Series::SpendTotal]);
    /// let mut all = Projection::new(&s);
    /// let mut ws = Workspace::new(&s);
    /// project(&s, &inputs, MitigationSet::none(), &mut ws, &mut some);
    /// project(&s, &inputs, MitigationSet::none(), &mut ws, &mut all);
    /// assert_eq!(some.series(Series::SpendTotal), all.series(Series::SpendTotal));
    /// assert_eq!(some.series(Series::Cumulative), all.series(Series::Cumulative));
    /// assert!(some.records(Series::SpendTotal) && !some.records(Series::InYear));
    /// ```
    pub fn recording(scenario: &Scenario, lanes: usize, series: &[Series]) -> Self {
        Projection::build(scenario, lanes, |s| {
            s == Series::Cumulative || series.contains(&s)
        })
    }

    fn build(scenario: &Scenario, lanes: usize, keep: impl Fn(Series) -> bool) -> Self {
        let provisions = scenario.provisions.len();
        let horizon = scenario.horizon;
        let instalments = scenario
            .safety_valve
            .as_ref()
            .map_or(0, |sv| sv.instalments.len());
        let all = Series::in_index_order(provisions);
        let recorded: Vec<bool> = all.iter().map(|&s| keep(s)).collect();
        let mut rows = Vec::with_capacity(all.len() * horizon);
        let mut next = 0u32;
        for &kept in &recorded {
            for t in 0..horizon {
                rows.push(next);
                if kept || t + 1 == horizon {
                    next += 1;
                }
            }
            if !kept {
                // Every year of a series not recorded shares one row.
                let shared = next - 1;
                let start = rows.len() - horizon;
                rows[start..].fill(shared);
            }
        }
        Projection {
            horizon,
            provisions,
            lanes,
            values: vec![0.0; next as usize * lanes],
            zero: vec![true; next as usize],
            rows,
            recorded,
            instalments_paid: vec![false; instalments * lanes],
            opening_balance: 0.0,
            opening_caseload: 0.0,
        }
    }

    /// Whether `series` is kept (always, unless made by [`Projection::recording`]).
    pub fn records(&self, series: Series) -> bool {
        self.recorded[series.index(self.provisions)]
    }

    /// The value of `series` in projection year `t` (1-based), lane 0.
    ///
    /// # Panics
    ///
    /// If `series` is not kept (see [`Projection::records`]) or `t` is not in `1..=horizon`: both
    /// are mistakes in the calling code, as an index out of bounds is.
    #[inline]
    pub fn get(&self, series: Series, t: usize) -> f64 {
        self.values[self.row_start(series, t)]
    }

    /// The values of `series` for years 1..=H, lane 0.
    ///
    /// # Panics
    ///
    /// If `series` is not kept (see [`Projection::records`]).
    pub fn series(&self, series: Series) -> Vec<f64> {
        (1..=self.horizon).map(|t| self.get(series, t)).collect()
    }

    /// The values of `series` in year `t` for every lane.
    ///
    /// # Panics
    ///
    /// If `series` is not kept (see [`Projection::records`]) or `t` is not in `1..=horizon`: both
    /// are mistakes in the calling code, as an index out of bounds is.
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
        let s = series.index(self.provisions);
        assert!(
            self.recorded[s],
            "series {series:?} is not recorded by this projection"
        );
        self.rows[s * self.horizon + t - 1] as usize * self.lanes
    }

    /// Where the row of `series` in year `t` lies in `values`, recorded or scratch.
    #[inline]
    fn range(&self, series: Series, t: usize) -> std::ops::Range<usize> {
        let start =
            self.rows[series.index(self.provisions) * self.horizon + t - 1] as usize * self.lanes;
        start..start + self.lanes
    }

    /// The rows of several different series in year `t`, to write.
    /// The rows of several different series in year `t`, to write.
    #[inline]
    fn rows_mut<const K: usize>(&mut self, t: usize, series: [Series; K]) -> [&mut [f64]; K] {
        self.rows_rw(t, series, K)
    }

    /// The rows of several different series in year `t`: the first `writes` to write, the others
    /// only read.
    #[inline]
    fn rows_rw<const K: usize>(
        &mut self,
        t: usize,
        series: [Series; K],
        writes: usize,
    ) -> [&mut [f64]; K] {
        let ranges = series.map(|s| self.range(s, t));
        for r in ranges.iter().take(writes) {
            self.zero[r.start / self.lanes.max(1)] = false;
        }
        disjoint(&mut self.values, ranges)
    }

    /// Sets the row of `series` in year `t` to zero (if not known to be zero already).
    #[inline]
    fn zero_row(&mut self, series: Series, t: usize) {
        let r = self.range(series, t);
        let row = r.start / self.lanes.max(1);
        if !self.zero[row] {
            self.values[r].fill(0.0);
            self.zero[row] = true;
        }
    }

    #[inline]
    fn row_mut(&mut self, series: Series, t: usize) -> &mut [f64] {
        let [row] = self.rows_mut(t, [series]);
        row
    }
}

/// Several rows of `values` at once, to write. Rows of different series (or of different years of
/// a recorded series) never overlap.
#[inline]
fn disjoint<const K: usize>(
    values: &mut [f64],
    ranges: [std::ops::Range<usize>; K],
) -> [&mut [f64]; K] {
    match values.get_disjoint_mut(ranges) {
        Ok(rows) => rows,
        Err(_) => unreachable!("rows of different series overlap"),
    }
}

/// Projections are equal when they hold the same series with the same values (scratch rows of
/// series not recorded do not count).
impl PartialEq for Projection {
    fn eq(&self, other: &Self) -> bool {
        let same_shape = self.horizon == other.horizon
            && self.provisions == other.provisions
            && self.lanes == other.lanes
            && self.recorded == other.recorded
            && self.instalments_paid == other.instalments_paid
            && self.opening_balance == other.opening_balance
            && self.opening_caseload == other.opening_caseload;
        same_shape
            && Series::in_index_order(self.provisions)
                .into_iter()
                .filter(|&s| self.records(s))
                .all(|s| (1..=self.horizon).all(|t| self.lanes_of(s, t) == other.lanes_of(s, t)))
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
    /// Per provision: whether an active mitigation cuts its own growth / saves on its unit cost.
    cut_one: Vec<bool>,
    saving_one: Vec<bool>,
    /// Growth factors `1 + g - cut` of the year, `[provision][lane]`; a provision sharing its
    /// growth input (and no cut of its own) with an earlier one uses that one's row.
    factors: Vec<f64>,
    /// Per provision: the row of `factors` holding its growth factor (its own, or that of the
    /// first provision with the same growth input and no cut of its own).
    factor_row: Vec<usize>,
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
    /// `1 + inflation` of the year.
    inflation: Vec<f64>,
    /// `max(0, 1 - saving)` of the provision being costed.
    keep: Vec<f64>,
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
            pending: vec![
                false;
                scenario
                    .safety_valve
                    .as_ref()
                    .map_or(0, |sv| sv.instalments.len())
                    * lanes
            ],
            cut_one: vec![false; scenario.provisions.len()],
            saving_one: vec![false; scenario.provisions.len()],
            factors: vec![0.0; p],
            factor_row: (0..scenario.provisions.len()).collect(),
            lane: LaneState {
                joiners: l(),
                allocation: l(),
                schools_block: l(),
                balance: l(),
                opening: l(),
                deferred: l(),
                growth_cut_all: l(),
                saving_all: l(),
                inflation: l(),
                keep: l(),
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

/// Which mitigation effects can be non-zero in a projection: decided by the scenario and the
/// mitigations switched on, never by the inputs. An effect no active mitigation writes stays at
/// zero, and the arithmetic skips it only where skipping gives the same bits (`x - 0 = x`,
/// `x * max(0, 1 - 0 - 0) = x`).
#[derive(Debug, Clone, Copy)]
struct Active {
    cut_all: bool,
    saving_all: bool,
    dsg_costs: bool,
    general_fund_costs: bool,
}

impl Active {
    fn of(s: &Scenario, on: MitigationSet, ws: &mut Workspace) -> Active {
        let mut a = Active {
            cut_all: false,
            saving_all: false,
            dsg_costs: false,
            general_fund_costs: false,
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
pub fn project(
    s: &Scenario,
    x: &Inputs,
    on: MitigationSet,
    ws: &mut Workspace,
    out: &mut Projection,
) {
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
    st.allocation
        .copy_from_slice(x.scalar_lanes(s.funding.allocation));
    match &s.transfer {
        Some(tr) => st
            .schools_block
            .copy_from_slice(x.scalar_lanes(tr.schools_block)),
        None => st.schools_block.fill(0.0),
    }
    st.opening
        .copy_from_slice(x.scalar_lanes(s.opening_balance));
    st.balance.copy_from_slice(&st.opening);
    st.deferred.fill(0.0);
    ws.pending.fill(false);
    out.instalments_paid.fill(false);
    out.opening_balance = st.opening[0];
    out.opening_caseload = (0..s.provisions.len()).map(|p| ws.previous[p * n]).sum();
    // Places added by a mitigation that is switched off stay at zero all along.
    for m in &s.mitigations {
        if let MitigationKind::CapacityAdded(p) = m.kind {
            item_mut(&mut ws.extra_places, p, n).fill(0.0);
        }
    }
    let active = Active::of(s, on, ws);

    for t in 1..=s.horizon {
        mitigation_effects(s, x, on, active, t, ws, out);
        project_caseload(s, x, on, active, t, ws, out);
        project_spend(s, x, active, t, ws, out);
        project_other_spend(s, x, t, ws, out);
        project_funding(s, x, t, ws, out);
        project_balance(s, x, t, ws, out);
        std::mem::swap(&mut ws.previous, &mut ws.caseload);
    }
}

/// Demand (MODEL.md section 2): growth or flows from last year's caseload, then placement shifts
/// and capacity overflow. Leaves this year's caseload in `ws.caseload`.
fn project_caseload(
    s: &Scenario,
    x: &Inputs,
    on: MitigationSet,
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
        None => out.zero_row(Series::Joiners, t),
    }
    for (p, prov) in s.provisions.iter().enumerate() {
        let prev = item(&ws.previous, p, n);
        let cur = &mut ws.caseload[p * n..(p + 1) * n];
        match prov.demand {
            DemandModel::NetGrowth { growth } => {
                let row = ws.factor_row[p];
                if row == p {
                    // `1 + g - cut_all - cut_own`, the cuts no active mitigation makes left out.
                    let g = &x.year_lanes(growth, t)[..n];
                    let all = &st.growth_cut_all[..n];
                    let cut = item(&ws.growth_cut, p, n);
                    let f = item_mut(&mut ws.factors, p, n);
                    match (active.cut_all, ws.cut_one[p]) {
                        (true, true) => (0..n).for_each(|l| f[l] = 1.0 + g[l] - all[l] - cut[l]),
                        (true, false) => (0..n).for_each(|l| f[l] = 1.0 + g[l] - all[l]),
                        (false, true) => (0..n).for_each(|l| f[l] = 1.0 + g[l] - cut[l]),
                        (false, false) => (0..n).for_each(|l| f[l] = 1.0 + g[l]),
                    }
                }
                let f = item(&ws.factors, row, n);
                for l in 0..n {
                    // Growth cut below -100% still leaves no plans, never negative ones.
                    cur[l] = (prev[l] * f[l]).max(0.0);
                }
            }
            DemandModel::Flows {
                joiner_share,
                leaver_rate,
            } => {
                let leave = x.year_lanes(leaver_rate, t);
                for l in 0..n {
                    cur[l] = (prev[l] - prev[l] * leave[l] + st.joiners[l] * joiner_share).max(0.0);
                }
            }
        }
    }
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
    // Capacity: plans above the places overflow, each provision before its overflow target.
    for &p in &s.capacity_order {
        let prov = &s.provisions[p];
        if let (Some(cap), Some(dest)) = (prov.capacity, prov.overflow) {
            let places = x.year_lanes(cap, t);
            for (l, &places) in places.iter().enumerate().take(n) {
                let limit = places + ws.extra_places[p * n + l];
                let excess = (ws.caseload[p * n + l] - limit).max(0.0);
                ws.caseload[p * n + l] -= excess;
                ws.caseload[dest * n + l] += excess;
            }
        }
    }
}

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
fn cost_lanes<const FIRST: bool, const KEEP: bool, const ROWS: bool>(
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

/// Cost (MODEL.md section 3): unit costs, placement spend, other lines, total spend.
fn project_spend(
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

/// Other lines and total spend (MODEL.md section 3), once placement spend is known.
fn project_other_spend(
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
    // The mitigation costs row holds zero when no active mitigation charges the DSG.
    for l in 0..n {
        total[l] = placements[l] + lines[l] + costs[l];
    }
}

/// Funding (MODEL.md section 4): allocation, transfer, other income, other blocks; then the
/// in-year balance.
fn project_funding(s: &Scenario, x: &Inputs, t: usize, ws: &mut Workspace, out: &mut Projection) {
    let n = ws.lanes;
    let st = &mut ws.lane;
    let growth = &x.year_lanes(s.funding.growth, t)[..n];
    let allocation = &mut st.allocation[..n];
    if out.records(Series::Allocation) {
        let allocation_row = &mut out.row_mut(Series::Allocation, t)[..n];
        for l in 0..n {
            let a = allocation[l] * (1.0 + growth[l]);
            allocation[l] = a;
            allocation_row[l] = a;
        }
    } else {
        for l in 0..n {
            allocation[l] *= 1.0 + growth[l];
        }
    }
    match &s.transfer {
        Some(tr) => {
            let transfer_row = out.row_mut(Series::Transfer, t);
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
                transfer_row[l] = r * st.schools_block[l];
            }
        }
        None => out.zero_row(Series::Transfer, t),
    }
    if s.other_income.is_empty() {
        out.zero_row(Series::OtherIncome, t);
    } else {
        let income_row = out.row_mut(Series::OtherIncome, t);
        grow_lines(&mut ws.income, &s.other_income, x, t, income_row);
    }
    if s.other_blocks.is_empty() {
        out.zero_row(Series::OtherBlocks, t);
    } else {
        out.row_mut(Series::OtherBlocks, t).fill(0.0);
    }
    let [blocks_row] = out.rows_rw(t, [Series::OtherBlocks], 0);
    for (b, block) in s.other_blocks.iter().enumerate() {
        let fg = x.year_lanes(block.funding_growth, t);
        let sg = x.year_lanes(block.spend_growth, t);
        for l in 0..n {
            ws.block_funding[b * n + l] *= 1.0 + fg[l];
            ws.block_spend[b * n + l] *= 1.0 + sg[l];
            blocks_row[l] += ws.block_funding[b * n + l] - ws.block_spend[b * n + l];
        }
    }
    let [in_year, transfer, income, spend, blocks] = out.rows_rw(
        t,
        [
            Series::InYear,
            Series::Transfer,
            Series::OtherIncome,
            Series::SpendTotal,
            Series::OtherBlocks,
        ],
        1,
    );
    let (in_year, allocation, transfer) = (&mut in_year[..n], &st.allocation[..n], &transfer[..n]);
    let (income, spend, blocks) = (&income[..n], &spend[..n], &blocks[..n]);
    for l in 0..n {
        in_year[l] = allocation[l] + transfer[l] + income[l] - spend[l] + blocks[l];
    }
}

/// Balances and receipts (MODEL.md section 5); writes every yearly total to `out`.
fn project_balance(s: &Scenario, x: &Inputs, t: usize, ws: &mut Workspace, out: &mut Projection) {
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
fn balance_lanes<const ALL: bool>(
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

/// Grows each line by its own rate and puts the year's total per lane in `total`.
fn grow_lines(
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
fn mitigation_effects(
    s: &Scenario,
    x: &Inputs,
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
    // Costs are added only to rows just cleared for writing (some mitigation charges them).
    let [dsg_costs, general_fund_costs] = out.rows_rw(
        t,
        [Series::SpendMitigations, Series::GeneralFundMitigationCosts],
        0,
    );
    // Only the per-provision effects an active mitigation targets are read: zero just those.
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
            | MitigationKind::UnitCostSaving(Scope::All) => {}
        }
    }
    for (i, m) in s.mitigations.iter().enumerate() {
        if !on.contains(i) {
            continue;
        }
        let slippage = &x.scalar_lanes(m.slippage)[..n];
        let effect = &x.scalar_lanes(m.effect)[..n];
        let delivery = &x.scalar_lanes(m.delivery)[..n];
        let one_off = &x.scalar_lanes(m.one_off_cost)[..n];
        let yearly = &x.scalar_lanes(m.yearly_cost)[..n];
        let target: &mut [f64] = match m.kind {
            MitigationKind::GrowthReduction(Scope::All) => &mut st.growth_cut_all,
            MitigationKind::GrowthReduction(Scope::One(p)) => item_mut(&mut ws.growth_cut, p, n),
            MitigationKind::UnitCostSaving(Scope::All) => &mut st.saving_all,
            MitigationKind::UnitCostSaving(Scope::One(p)) => item_mut(&mut ws.saving, p, n),
            MitigationKind::CapacityAdded(p) => item_mut(&mut ws.extra_places, p, n),
            MitigationKind::PlacementShift { .. } => item_mut(&mut ws.shift, i, n),
        };
        let costs: &mut [f64] = match m.charged_to {
            ChargedTo::Dsg => dsg_costs,
            ChargedTo::GeneralFund => general_fund_costs,
        };
        let (target, costs) = (&mut target[..n], &mut costs[..n]);
        // Branch-free so that it vectorises: adding +0 to an effect or a cost summed from +0 leaves
        // it unchanged, so lanes before the start add +0 instead of nothing.
        for l in 0..n {
            let share = ramp(t, m.start, slippage[l], m.ramp_years);
            let started = share > 0.0;
            target[l] += if started {
                effect[l] * share * delivery[l]
            } else {
                0.0
            };
            let first_year = t as f64 - (m.start as f64 + slippage[l]) + 1.0 <= 1.0;
            let cost = yearly[l] + if first_year { one_off[l] } else { 0.0 };
            costs[l] += if started { cost } else { 0.0 };
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A shipped scenario with every uncertain input moved off its central value in each lane.
    fn perturbed(file: &str, lanes: usize) -> (Scenario, Inputs) {
        let path = format!("{}/../../scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
        let s = Scenario::load(path.as_ref()).unwrap();
        let mut x = s.params.central_inputs().with_lanes(lanes);
        let mut offset = 0;
        let mut state = 7u64;
        for spec in s.params.specs() {
            for (i, slot) in spec.slots.iter().enumerate() {
                if matches!(slot, crate::params::Slot::Own(_)) && !spec.is_fixed() {
                    for lane in 0..lanes {
                        state = state
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1);
                        let u = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                        let c = x.slot(offset + i)[lane];
                        x.set(offset + i, lane, c + u * c.abs().max(0.05));
                    }
                }
            }
            offset += spec.slots.len();
        }
        let shared = s.params.shared_slots();
        for lane in 0..lanes {
            x.copy_shared(&shared, lane);
        }
        (s, x)
    }

    fn bits(p: &Projection, series: Series, t: usize) -> Vec<u64> {
        p.lanes_of(series, t).iter().map(|v| v.to_bits()).collect()
    }

    #[test]
    fn reused_and_partial_projections_match_fresh_ones_bit_for_bit() {
        for file in [
            "benchmark.toml",
            "cambridgeshire.toml",
            "england.toml",
            "minimal.toml",
        ] {
            let lanes = 9;
            let (s, x) = perturbed(file, lanes);
            let n = s.mitigations.len();
            let mut sets = vec![MitigationSet::all(n), MitigationSet::none()];
            sets.extend((0..n).map(|i| MitigationSet::all(n).without(i)));
            let mut ws = Workspace::with_lanes(&s, lanes);
            let mut reused = Projection::with_lanes(&s, lanes);
            let some = [
                Series::SpendTotal,
                Series::InYear,
                Series::Caseload(0),
                Series::WriteOff,
            ];
            let mut partial = Projection::recording(&s, lanes, &some);
            for &set in sets.iter().chain(sets.iter().rev()) {
                let mut fresh = Projection::with_lanes(&s, lanes);
                project(
                    &s,
                    &x,
                    set,
                    &mut Workspace::with_lanes(&s, lanes),
                    &mut fresh,
                );
                project(&s, &x, set, &mut ws, &mut reused);
                project(&s, &x, set, &mut ws, &mut partial);
                for (series, name) in s.series() {
                    for t in 1..=s.horizon {
                        assert_eq!(
                            bits(&fresh, series, t),
                            bits(&reused, series, t),
                            "{file} {name} {t}"
                        );
                        if partial.records(series) {
                            assert_eq!(
                                bits(&fresh, series, t),
                                bits(&partial, series, t),
                                "{file} {name} {t}"
                            );
                        }
                    }
                }
                assert_eq!(fresh, reused);
                assert_eq!(fresh.instalments_paid, partial.instalments_paid);
            }
        }
    }

    #[test]
    #[should_panic(expected = "not recorded")]
    fn reading_a_series_not_recorded_panics() {
        let (s, x) = perturbed("minimal.toml", 1);
        let mut p = Projection::recording(&s, 1, &[Series::SpendTotal]);
        project(
            &s,
            &x,
            MitigationSet::none(),
            &mut Workspace::new(&s),
            &mut p,
        );
        let _ = p.get(Series::InYear, 1);
    }
}
