//! A national run (docs/model.md section 15): every council's scenario on the same paths, with
//! shared national shocks, added up path by path into national totals.
//!
//! Paths run in chunks of [`CHUNK`]; within a chunk every council is projected in turn and its
//! values added into the chunk's national totals, so memory does not grow with the paths. Every
//! aggregate is made of integers (sums of values in sixteenths of a unit, counts, histogram
//! counts), so it is the same whatever the number of threads and however a run is split: two
//! halves of a run ([`NationalSettings::range`]) merge ([`NationalAggregate::merge`]) into the
//! whole run's aggregate exactly. Histogram ranges come from a pilot of the run's first
//! [`PILOT_PATHS`] paths, which every part of a split run computes alike.
//!
//! ```
//! use dsg_montecarlo::national::{Council, NationalSettings, Measure, run};
//! let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
//! let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
//! let councils = [Council { id: "A".into(), scenario: &s, group: None }, Council { id: "B".into(), scenario: &s, group: None }];
//! let agg = run(&councils, &NationalSettings { paths: 2_000, ..NationalSettings::default() })?;
//! let one = agg.council_mean(0, Measure::Ehcps, 1);
//! assert!((agg.national_mean(Measure::Ehcps, 1) - 2.0 * one).abs() < 1e-6);
//! # Ok::<(), dsg_montecarlo::McError>(())
//! ```

mod group;
mod hist;
mod pilot;
mod read;

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use dsg_core::{Inputs, MitigationSet, Projection, Scenario, Series, Workspace, project};
use serde::{Deserialize, Serialize};

pub use group::GroupAggregate;
pub use hist::Hist;

use crate::aggregate::CHUNK;
use crate::error::McError;
use crate::sampler::{NationalDraw, NationalShocks, PathSampler, SamplerScratch};
use crate::stream::{DEFAULT_SEED, path_rng};
use pilot::Pilot;

/// Paths projected together for one council (lanes): fewer than a run of one council's, so that
/// a council's inputs, workspace and projection stay in a core's cache between drawing and
/// projecting (64 measured fastest of 32, 64, 128 and 256; docs/scaling.md).
const BLOCK: usize = 64;

/// Paths of the pilot that sets every histogram's range.
pub const PILOT_PATHS: u64 = 1024;
/// Bins of each national histogram.
pub const NATIONAL_BINS: usize = 2048;
/// Bins of each group's (region's) histograms.
pub const GROUP_BINS: usize = 1024;
/// Bins of each council's histograms.
pub const COUNCIL_BINS: usize = 256;
/// Values are summed as integers in units of 1/`QUANTUM` (sixteenths of a pound or a plan).
pub const QUANTUM: f64 = 16.0;

/// What a national run adds up, per council and year.
///
/// ```
/// use dsg_montecarlo::national::Measure;
/// assert_eq!(Measure::InYear.name(), "in_year");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Measure {
    /// Plans (EHCPs) at the year's end.
    Ehcps,
    /// High-needs spend.
    Spend,
    /// Funding and other receipts.
    Funding,
    /// The in-year balance (negative = a gap).
    InYear,
    /// The cumulative DSG balance (negative = a deficit).
    Cumulative,
}

impl Measure {
    /// Every measure, in output order.
    pub const ALL: [Measure; 5] = [
        Measure::Ehcps,
        Measure::Spend,
        Measure::Funding,
        Measure::InYear,
        Measure::Cumulative,
    ];

    /// The measure's name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Ehcps => "ehcps",
            Measure::Spend => "spend",
            Measure::Funding => "funding",
            Measure::InYear => "in_year",
            Measure::Cumulative => "cumulative",
        }
    }

    fn series(self) -> Series {
        match self {
            Measure::Ehcps => Series::CaseloadTotal,
            Measure::Spend => Series::SpendTotal,
            Measure::Funding => Series::ReceiptsTotal,
            Measure::InYear => Series::InYear,
            Measure::Cumulative => Series::Cumulative,
        }
    }
}

const MEASURES: usize = Measure::ALL.len();

/// One council of a national run.
#[derive(Debug, Clone)]
pub struct Council<'s> {
    /// Its identity (the ONS code for a council from the panel): keys its own random streams.
    pub id: String,
    /// Its scenario. Every council of a run must share the base year and horizon.
    pub scenario: &'s Scenario,
    /// The group (a region) whose totals it counts in, numbered from 0; `None`: in none.
    pub group: Option<usize>,
}

/// How to run.
#[derive(Debug, Clone, PartialEq)]
pub struct NationalSettings {
    /// Paths of the whole run.
    pub paths: u64,
    /// The paths this part runs (`None`: all): a shard of a run split over machines.
    pub range: Option<Range<u64>>,
    /// The seed.
    pub seed: u64,
    /// Worker threads (`None`: all cores). Results do not depend on it.
    pub threads: Option<usize>,
    /// rho: the share of councils' growth shocks that is national.
    pub share: f64,
}

impl Default for NationalSettings {
    fn default() -> Self {
        NationalSettings {
            paths: 10_000,
            range: None,
            seed: DEFAULT_SEED,
            threads: None,
            share: 0.0,
        }
    }
}

/// One council's aggregates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CouncilAggregate {
    /// Sums over paths, `[measure * H + t - 1]`, in units of 1/[`QUANTUM`].
    pub sums: Vec<i128>,
    /// Plans in each year.
    pub ehcps: Vec<Hist>,
    /// The in-year balance per plan in each year.
    pub in_year_per_plan: Vec<Hist>,
    /// The in-year balance in each year.
    pub in_year: Vec<Hist>,
    /// The cumulative balance in each year.
    pub cumulative: Vec<Hist>,
    /// Paths whose deficit exceeds the usable reserves, each year.
    pub exceeds: Vec<u64>,
}

/// What a national run (or a part of one) keeps: integers only, so parts merge exactly (and
/// read back from JSON exactly: serde_json writes the 128-bit sums in full).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalAggregate {
    /// Years projected.
    pub horizon: usize,
    /// Paths counted.
    pub paths: u64,
    /// National totals' sums over paths, `[measure * H + t - 1]`, in units of 1/[`QUANTUM`].
    pub sums: Vec<i128>,
    /// Sums of squares of the national totals (units squared).
    pub squares: Vec<i128>,
    /// National totals, `[measure * H + t - 1]`.
    pub hists: Vec<Hist>,
    /// Each council's.
    pub councils: Vec<CouncilAggregate>,
    /// Each group's (region's) totals, on the same paths: group `g` is `groups[g]`.
    pub groups: Vec<GroupAggregate>,
}

/// Runs `councils` on the same paths.
///
/// # Errors
/// [`McError::Settings`] for no councils, councils with different base years or horizons, no
/// paths or a range outside the run; a council's scenario's errors as [`PathSampler::new`] and
/// [`PathSampler::with_national`] give them.
pub fn run(
    councils: &[Council<'_>],
    settings: &NationalSettings,
) -> Result<NationalAggregate, McError> {
    let plan = Plan::new(councils, settings)?;
    let pilot_end = settings.paths.min(PILOT_PATHS);
    let pilot = plan.execute(0..pilot_end, || Pilot::new(&plan), settings.threads)?;
    let range = settings.range.clone().unwrap_or(0..settings.paths);
    plan.execute(range, || pilot.aggregate(&plan), settings.threads)
}

/// The councils ready to draw and project.
struct Plan<'s> {
    councils: Vec<(&'s Scenario, PathSampler)>,
    /// Each council's group.
    groups: Vec<Option<usize>>,
    /// Groups: one more than the largest council's.
    n_groups: usize,
    /// Values a path's national inputs drawn on their own take, drawn once for all councils:
    /// the width of a path's row of shared draws.
    shared_width: usize,
    horizon: usize,
    seed: u64,
}

impl<'s> Plan<'s> {
    fn new(councils: &[Council<'s>], settings: &NationalSettings) -> Result<Self, McError> {
        let first = councils
            .first()
            .ok_or_else(|| McError::Settings("a national run needs at least one council".into()))?;
        let (base, horizon) = (first.scenario.base_year(), first.scenario.horizon());
        if settings.paths == 0 {
            return Err(McError::Settings(
                "a national run needs at least one path".into(),
            ));
        }
        if let Some(r) = &settings.range
            && (r.start >= r.end || r.end > settings.paths)
        {
            return Err(McError::Settings(format!(
                "the paths {}..{} are not a part of a run of {} paths",
                r.start, r.end, settings.paths
            )));
        }
        let mut out = Vec::with_capacity(councils.len());
        for c in councils {
            let s = c.scenario;
            if s.base_year() != base || s.horizon() != horizon {
                return Err(McError::Settings(format!(
                    "{}: every council of a national run must share the base year and horizon ({} and {} years here, {} and {} for the first)",
                    c.id,
                    s.base_year(),
                    s.horizon(),
                    base,
                    horizon
                )));
            }
            let shocks = NationalShocks {
                share: settings.share,
                council: c.id.clone(),
            };
            out.push((s, PathSampler::new(s)?.with_national(s, &shocks)?));
        }
        let shared_width = share_national_draws(&mut out);
        let groups: Vec<Option<usize>> = councils.iter().map(|c| c.group).collect();
        Ok(Plan {
            councils: out,
            shared_width,
            n_groups: groups.iter().flatten().max().map_or(0, |g| g + 1),
            groups,
            horizon,
            seed: settings.seed,
        })
    }

    /// Runs the paths `range` in chunks over `threads` threads, each with its own collector
    /// from `new`, merged at the end (merges are order-free).
    fn execute<C: Collector>(
        &self,
        range: Range<u64>,
        new: impl Fn() -> C + Sync,
        threads: Option<usize>,
    ) -> Result<C, McError> {
        let chunks = (range.end - range.start).div_ceil(CHUNK as u64);
        let threads = threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .clamp(1, chunks.max(1) as usize);
        let next = AtomicU64::new(0);
        let done: Mutex<Vec<C>> = Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    let mut worker = Buffers::new(self);
                    let mut collector = new();
                    loop {
                        let chunk = next.fetch_add(1, Ordering::Relaxed);
                        if chunk >= chunks {
                            break;
                        }
                        let first = range.start + chunk * CHUNK as u64;
                        let last = (first + CHUNK as u64).min(range.end);
                        worker.run_chunk(self, first..last, &mut collector);
                    }
                    done.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(collector);
                });
            }
        });
        let mut parts = done.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut whole = parts.pop().unwrap_or_else(&new);
        for p in &parts {
            whole.merge(p);
        }
        Ok(whole)
    }
}

/// Draws each national input drawn on its own once a path for all councils that define it the
/// same way (they would draw the same values from the path's stream), and the national factor of
/// demand growth once a path for all: the first such council writes the values to the path's
/// row of shared draws, the later ones copy them. Returns the row's width.
fn share_national_draws(councils: &mut [(&Scenario, PathSampler)]) -> usize {
    let mut first: Vec<(NationalDraw, usize)> = Vec::new();
    let mut factor_at = None;
    let mut width = 0;
    for (scenario, sampler) in councils.iter_mut() {
        let draws = sampler.national_draws(scenario);
        let (mut borrow, mut donate) = (Vec::new(), Vec::new());
        for (d, draw) in draws.iter().enumerate() {
            match first.iter().find(|(f, _)| f.same_draws(draw)) {
                Some(&(_, start)) => borrow.push((d, start)),
                None => {
                    donate.push((d, width));
                    first.push((draw.clone(), width));
                    width += draw.offsets.len();
                }
            }
        }
        let factor = sampler.mixes_factor().then(|| match factor_at {
            Some(start) => (start, false),
            None => {
                let start = width;
                factor_at = Some(start);
                width += sampler.factor_scores();
                (start, true)
            }
        });
        sampler.share_national(&draws, (&borrow, &donate), factor);
    }
    width
}

/// One thread's buffers: per council (made when first needed) and the chunk's national totals.
struct Buffers {
    councils: Vec<Option<CouncilBuffers>>,
    /// The chunk's national totals, `[(measure * H + t - 1) * CHUNK + path]`, 1/QUANTUM units.
    totals: Vec<i64>,
    /// The chunk's group totals, `[((group * MEASURES + measure) * H + t - 1) * CHUNK + path]`.
    group_totals: Vec<i64>,
    /// The chunk's shared national draws, `[path * width + i]`.
    shared_draws: Vec<f64>,
    /// The current block's sums for one council, `[measure * H + t - 1]` (at most BLOCK values
    /// of at most 2^63 / BLOCK each: the panel's largest council spends under 2^40 sixteenths).
    block_sums: Vec<i64>,
}

struct CouncilBuffers {
    inputs: Inputs,
    scratch: SamplerScratch,
    workspace: Workspace,
    projection: Projection,
}

/// The series a council's projection keeps.
const KEPT: [Series; 5] = [
    Series::CaseloadTotal,
    Series::SpendTotal,
    Series::ReceiptsTotal,
    Series::InYear,
    Series::UsableReserves,
];

impl Buffers {
    fn new(plan: &Plan<'_>) -> Self {
        Buffers {
            councils: (0..plan.councils.len()).map(|_| None).collect(),
            totals: vec![0; MEASURES * plan.horizon * CHUNK],
            group_totals: vec![0; plan.n_groups * MEASURES * plan.horizon * CHUNK],
            shared_draws: vec![0.0; plan.shared_width * CHUNK],
            block_sums: vec![0; MEASURES * plan.horizon],
        }
    }

    fn run_chunk<C: Collector>(&mut self, plan: &Plan<'_>, paths: Range<u64>, collector: &mut C) {
        let h = plan.horizon;
        self.totals.fill(0);
        self.group_totals.fill(0);
        let per_group = MEASURES * h * CHUNK;
        for (c, (scenario, sampler)) in plan.councils.iter().enumerate() {
            let group = plan.groups[c].map(|g| g * per_group);
            let b = self.councils[c].get_or_insert_with(|| CouncilBuffers {
                inputs: scenario.params().central_inputs().with_lanes(BLOCK),
                scratch: sampler.scratch(),
                workspace: Workspace::with_lanes(scenario, BLOCK),
                projection: Projection::recording(scenario, BLOCK, &KEPT),
            });
            let mut first = paths.start;
            while first < paths.end {
                let last = (first + BLOCK as u64).min(paths.end);
                let n = (last - first) as usize;
                let w = plan.shared_width;
                for (lane, k) in (first..last).enumerate() {
                    let mut rng = path_rng(plan.seed, k);
                    let at = (k - paths.start) as usize * w;
                    let row = &mut self.shared_draws[at..at + w];
                    sampler.fill_sharing(&mut rng, &mut b.scratch, &mut b.inputs, lane, row);
                }
                let all = MitigationSet::all(scenario.mitigations().len());
                project(
                    scenario,
                    &b.inputs,
                    all,
                    &mut b.workspace,
                    &mut b.projection,
                );
                let offset = (first - paths.start) as usize;
                for (m, measure) in Measure::ALL.iter().enumerate() {
                    for t in 1..=h {
                        let row = &b.projection.lanes_of(measure.series(), t)[..n];
                        let at = (m * h + t - 1) * CHUNK + offset;
                        let mut sum = 0i64;
                        // Each value quantized once, added to the national and group totals.
                        let mut into = group.map(|g| &mut self.group_totals[g + at..g + at + n]);
                        for (i, (total, &x)) in
                            self.totals[at..at + n].iter_mut().zip(row).enumerate()
                        {
                            let q = quantize(x);
                            *total += q;
                            sum += q;
                            if let Some(into) = into.as_deref_mut() {
                                into[i] += q;
                            }
                        }
                        self.block_sums[m * h + t - 1] = sum;
                    }
                }
                collector.council(c, &b.projection, &self.block_sums, n, h);
                first = last;
            }
        }
        let n = (paths.end - paths.start) as usize;
        collector.national(&self.totals, &self.group_totals, n, h);
    }
}

/// `x` in units of 1/[`QUANTUM`], truncated towards zero (saturating for values beyond i64; a
/// NaN is 0): exact integers, so sums do not depend on their order.
#[inline]
fn quantize(x: f64) -> i64 {
    (x * QUANTUM) as i64
}

/// What a pass over the paths gathers.
trait Collector: Send {
    /// A block of `n` paths of council `c`, with the block's sums of each measure and year.
    fn council(&mut self, c: usize, projection: &Projection, sums: &[i64], n: usize, h: usize);
    /// A chunk's national and group totals of `n` paths.
    fn national(&mut self, totals: &[i64], groups: &[i64], n: usize, h: usize);
    /// Adds another thread's.
    fn merge(&mut self, other: &Self);
}

/// A council's per-plan in-year balance on one path.
#[inline]
fn per_plan(in_year: f64, plans: f64) -> f64 {
    if plans > 0.0 { in_year / plans } else { 0.0 }
}

impl Collector for NationalAggregate {
    fn council(&mut self, c: usize, p: &Projection, sums: &[i64], n: usize, h: usize) {
        let a = &mut self.councils[c];
        for (total, &s) in a.sums.iter_mut().zip(sums) {
            *total += i128::from(s);
        }
        for t in 1..=h {
            let plans = &p.lanes_of(Series::CaseloadTotal, t)[..n];
            let in_year = &p.lanes_of(Series::InYear, t)[..n];
            let cumulative = &p.lanes_of(Series::Cumulative, t)[..n];
            let reserves = &p.lanes_of(Series::UsableReserves, t)[..n];
            for i in 0..n {
                a.ehcps[t - 1].add(plans[i]);
                a.in_year_per_plan[t - 1].add(per_plan(in_year[i], plans[i]));
                a.cumulative[t - 1].add(cumulative[i]);
                a.in_year[t - 1].add(in_year[i]);
                a.exceeds[t - 1] += u64::from(-cumulative[i] > reserves[i]);
            }
        }
    }

    fn national(&mut self, totals: &[i64], groups: &[i64], n: usize, h: usize) {
        self.paths += n as u64;
        let per_group = MEASURES * h * CHUNK;
        for (g, group) in self.groups.iter_mut().enumerate() {
            group.add(&groups[g * per_group..(g + 1) * per_group], n);
        }
        group::add_totals(
            (&mut self.sums, &mut self.squares, &mut self.hists),
            totals,
            n,
        );
    }

    fn merge(&mut self, other: &Self) {
        self.merge_counts(other);
    }
}

impl NationalAggregate {
    /// Adds another part of the same run (the same councils, seed and pilot; see
    /// [`NationalAggregate::mergeable`]).
    fn merge_counts(&mut self, other: &NationalAggregate) {
        self.paths += other.paths;
        group::merge_totals(
            (&mut self.sums, &mut self.squares, &mut self.hists),
            (&other.sums, &other.squares, &other.hists),
        );
        for (a, b) in self.groups.iter_mut().zip(&other.groups) {
            a.merge(b);
        }
        for (a, b) in self.councils.iter_mut().zip(&other.councils) {
            a.sums.iter_mut().zip(&b.sums).for_each(|(x, y)| *x += y);
            let hists = |x: &mut Vec<Hist>, y: &Vec<Hist>| {
                x.iter_mut().zip(y).for_each(|(p, q)| p.merge(q))
            };
            hists(&mut a.ehcps, &b.ehcps);
            hists(&mut a.in_year_per_plan, &b.in_year_per_plan);
            hists(&mut a.cumulative, &b.cumulative);
            hists(&mut a.in_year, &b.in_year);
            a.exceeds
                .iter_mut()
                .zip(&b.exceeds)
                .for_each(|(x, y)| *x += y);
        }
    }

    /// Whether `other` is a part of the same run: the same councils, years and histogram
    /// ranges.
    pub fn mergeable(&self, other: &NationalAggregate) -> bool {
        self.horizon == other.horizon
            && self.councils.len() == other.councils.len()
            && self.groups.len() == other.groups.len()
            && self
                .groups
                .iter()
                .zip(&other.groups)
                .all(|(a, b)| a.hists.iter().zip(&b.hists).all(|(x, y)| x.same_bins(y)))
            && self
                .hists
                .iter()
                .zip(&other.hists)
                .all(|(a, b)| a.same_bins(b))
            && self.councils.iter().zip(&other.councils).all(|(a, b)| {
                a.ehcps.iter().zip(&b.ehcps).all(|(x, y)| x.same_bins(y))
                    && a.cumulative
                        .iter()
                        .zip(&b.cumulative)
                        .all(|(x, y)| x.same_bins(y))
            })
    }

    /// Adds another part of the same run: the result is the aggregate of both parts' paths,
    /// exactly as if they had run as one.
    ///
    /// ```
    /// use dsg_montecarlo::national::{Council, Measure, NationalSettings, run};
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let councils = [Council { id: "A".into(), scenario: &s, group: None }];
    /// let part = |r| NationalSettings { paths: 2_000, range: Some(r), ..NationalSettings::default() };
    /// let mut first = run(&councils, &part(0..900))?;
    /// first.merge(&run(&councils, &part(900..2_000))?)?;
    /// let whole = run(&councils, &NationalSettings { paths: 2_000, ..NationalSettings::default() })?;
    /// assert_eq!(first, whole);
    /// # Ok::<(), dsg_montecarlo::McError>(())
    /// ```
    ///
    /// # Errors
    /// [`McError::Settings`] when `other` is not a part of the same run.
    pub fn merge(&mut self, other: &NationalAggregate) -> Result<(), McError> {
        if !self.mergeable(other) {
            return Err(McError::Settings(
                "these results are not parts of the same national run (councils, years or pilot differ)".into(),
            ));
        }
        self.merge_counts(other);
        Ok(())
    }
}
