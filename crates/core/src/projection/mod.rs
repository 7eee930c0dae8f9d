//! The deterministic projection (docs/model.md sections 2 to 6): one path, year by year.
//!
//! Built to be called millions of times by the Monte Carlo engine: the caller owns a
//! [`Workspace`] and a [`Projection`] and reuses them, so a call allocates nothing. One kernel,
//! [`project`], for one path or many side by side ("lanes"); library users who want the central
//! forecast use [`Forecast`].
//!
//! Each year runs these steps in order, one module each:
//! - `mitigations`: the year's mitigation effects and costs (section 6);
//! - `assessments`: the assessment pipeline, when the scenario has one (section 9): requests,
//!   completions, the backlog, plans issued (the year's new plans when they feed the flow model),
//!   weeks to a plan, the share within 20 weeks;
//! - `demand`: new plans, caseloads, movers, placement shifts, capacity overflow (section 2);
//! - `cost`: unit costs, placement spend, other lines, total spend (section 3), then
//!   `assessments` again for plans per case officer and the share in mainstream settings;
//! - `funding`: allocation, transfer, other income, other blocks, in-year balance (section 4);
//! - `balance`: receipts, cumulative balance, interest and headroom (section 5).
//!
//! `layout` stores the results ([`Projection`]), `workspace` the running totals ([`Workspace`]).
//! `pipeline_calibration` ([`calibrate_pipeline`]) finds the assessment pipeline's steady state
//! that reproduces a council's published base year (section 9).
//! `crates/core/tests/oracle.rs` checks the kernel against a plain scalar reference written from
//! docs/model.md.

mod ages;
mod assessments;
mod balance;
mod cost;
mod demand;
mod funding;
mod layout;
mod mitigations;
mod pipeline_calibration;
#[cfg(test)]
mod tests;
mod workspace;

pub use assessments::{
    NATIONAL_BEST_WITHIN_20_WEEKS, STATUTORY_WEEKS, backlog_weeks, share_within_20_weeks,
};
pub use layout::Projection;
pub use mitigations::ramp;
pub use pipeline_calibration::{
    MAX_CALIBRATED_WAIT_WEEKS, PipelineCalibration, PipelineCalibrationError, PublishedPipeline,
    WaitLimit, calibrate_pipeline,
};
pub use workspace::Workspace;

use crate::params::Inputs;
use crate::scenario::{MitigationKind, Scenario};
use crate::series::Series;

use mitigations::Active;

/// Which mitigations are switched on (bit `i` = mitigation `i`).
///
/// ```
/// use dsg_core::MitigationSet;
/// let all = MitigationSet::all(3);
/// assert!(all.contains(2));
/// assert!(!all.without(2).contains(2));
/// assert!(!MitigationSet::none().contains(0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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

    /// This set with mitigation `i` (below 64) switched on.
    ///
    /// ```
    /// use dsg_core::MitigationSet;
    /// assert!(MitigationSet::none().with(3).contains(3));
    /// ```
    pub fn with(self, i: usize) -> Self {
        if i < 64 {
            MitigationSet(self.0 | (1u64 << i))
        } else {
            self
        }
    }

    /// Whether mitigation `i` is on.
    #[inline]
    pub fn contains(self, i: usize) -> bool {
        i < 64 && self.0 & (1u64 << i) != 0
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
/// let inputs = s.params().central_inputs();
/// let (mut ws, mut out) = (Workspace::new(&s), Projection::new(&s));
/// project(&s, &inputs, MitigationSet::all(s.mitigations().len()), &mut ws, &mut out);
/// assert!(out.get(Series::Cumulative, s.horizon()) < out.opening_balance);
/// ```
pub fn project(
    s: &Scenario,
    x: &Inputs,
    on: MitigationSet,
    ws: &mut Workspace,
    out: &mut Projection,
) {
    project_on_this_cpu(s, x, on, ws, out);
}

/// [`project`]'s body, compiled twice by `multiversion`: for any x86-64, and for one with AVX2
/// (x86-64-v3), chosen when the program runs. The steps it calls (`project_caseload`,
/// `project_spend`, ...) are always inlined, so each build has its own copy. Rust never fuses a
/// multiply and an add unless asked to, so both builds give the same bits (checked by the pinned
/// seeded values, pinned from the generic build, and by comparing whole runs of the two builds).
#[multiversion::multiversion(targets(
    "x86_64+avx2+avx+fma+bmi1+bmi2+lzcnt+popcnt+movbe+f16c+sse4.2+sse4.1+ssse3+sse3"
))]
fn project_on_this_cpu(
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
    // docs/model.md section 5: the DSG opening balance is the high-needs block's, less what the
    // scenario states as the other blocks' own opening balances.
    st.opening
        .copy_from_slice(x.scalar_lanes(s.opening_balance));
    st.balance_other.fill(0.0);
    for block in &s.other_blocks {
        let opening = &x.scalar_lanes(block.opening_balance)[..n];
        for (b, o) in st.balance_other.iter_mut().zip(opening) {
            *b += o;
        }
    }
    for ((b, opening), other) in st
        .balance
        .iter_mut()
        .zip(&st.opening)
        .zip(&st.balance_other)
    {
        *b = opening - other;
    }
    if s.write_off.as_ref().is_some_and(|w| w.measured_at == 0) {
        st.measured.copy_from_slice(&st.balance);
    }
    st.deferred.fill(0.0);
    if let Some(a) = &s.assessments {
        st.requests.copy_from_slice(x.scalar_lanes(a.requests));
        st.backlog
            .copy_from_slice(x.scalar_lanes(a.opening_backlog));
    }
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
    if let Some(a) = &s.ages {
        ages::open(a, s.provisions.len(), ws);
    }

    for t in 1..=s.horizon {
        mitigations::mitigation_effects(s, x, on, active, t, ws, out);
        assessments::project_pipeline(s, x, active, t, ws, out);
        demand::project_caseload(s, x, on, active, t, ws, out);
        cost::project_spend(s, x, active, t, ws, out);
        assessments::project_children(s, t, ws, out);
        cost::project_other_spend(s, x, t, ws, out);
        funding::project_funding(s, x, t, ws, out);
        balance::project_balance(s, x, t, ws, out);
        std::mem::swap(&mut ws.previous, &mut ws.caseload);
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
    /// assert_eq!(f.without_each.len(), s.mitigations().len());
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
        self.impact_on(i, Series::Cumulative)
    }

    /// What mitigation `i` changes in `series` each year, on the same inputs: the series with
    /// every mitigation less the series with every mitigation but `i` (for children waiting, a
    /// negative value is fewer children waiting).
    ///
    /// ```
    /// use dsg_core::Series;
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let f = dsg_core::Forecast::central(&s);
    /// for i in 0..s.mitigations().len() {
    ///     assert_eq!(f.impact_on(i, Series::Cumulative), f.impact(i));
    /// }
    /// ```
    pub fn impact_on(&self, i: usize, series: Series) -> Vec<f64> {
        let with = self.mitigated.series(series);
        let without = self.without_each[i].series(series);
        with.iter().zip(&without).map(|(a, b)| a - b).collect()
    }
}
