//! The parallel runner: many projections driven by drawn inputs, mitigated and unmitigated on
//! common random numbers, aggregated in bounded memory.

mod pilot;
mod record;
mod split;
mod summarise;
mod totals;
mod worker;

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use dsg_core::series::CHILDREN_IMPACTS;
use dsg_core::{Forecast, Inputs, Scenario, Series, SeriesKey, Variant};

use crate::aggregate::{
    Block, CHUNK, EXACT_LIMIT, Histograms, Ranges, Rows, count_against, mean_and_se,
};
use crate::error::McError;
use crate::sampler::PathSampler;
use crate::summary::Summary;
pub use record::{InputColumn, OutcomeColumn, PathTable, RECORD_PATHS, Record};

/// Fewest chunks worth a binning worker of its own (see [`Simulation::gather`]).
const CHUNKS_PER_BINNING_WORKER: usize = 8;

/// Most paths a run may ask for.
pub const MAX_PATHS: u64 = 100_000_000;

/// How many paths to run, or what precision to reach.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Paths to simulate (the maximum when `precision` is set).
    pub paths: u64,
    /// The seed (recorded in the results).
    pub seed: u64,
    /// Worker threads (`None` = all cores). Results do not depend on it.
    pub threads: Option<usize>,
    /// Stop early once a standard error is small enough.
    pub precision: Option<Precision>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            paths: 10_000,
            seed: crate::stream::DEFAULT_SEED,
            threads: None,
            precision: None,
        }
    }
}

/// Stop when the standard error of the mean of `series` in its last year falls to `target`.
///
/// ```
/// use dsg_core::{Series, SeriesKey};
/// use dsg_montecarlo::Precision;
/// let p = Precision { series: SeriesKey::mitigated(Series::Cumulative), target_se: 1e6 };
/// assert_eq!(p.series.series, Series::Cumulative);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Precision {
    /// The series, one the run records (e.g. the cumulative balance with every mitigation; a
    /// name such as `balance.cumulative` reads as a key with [`SeriesKey::parse`]).
    pub series: SeriesKey,
    /// Target standard error (pounds or plans).
    pub target_se: f64,
}

/// Series recorded for the unmitigated forecast.
const UNMITIGATED: [Series; 4] = [
    Series::CaseloadTotal,
    Series::SpendTotal,
    Series::InYear,
    Series::Cumulative,
];

/// Children's series also recorded for the unmitigated forecast, when the scenario has them.
const UNMITIGATED_CHILDREN: [Series; 3] = [
    Series::ChildrenWaiting,
    Series::WeeksToPlan,
    Series::WithinTwentyWeeks,
];

/// The series each mitigation's impact is reported on: the cumulative balance, then the
/// children's series of [`CHILDREN_IMPACTS`] the scenario has.
fn impact_series(scenario: &Scenario) -> Vec<Series> {
    std::iter::once(Series::Cumulative)
        .chain(
            CHILDREN_IMPACTS
                .into_iter()
                .filter(|&s| scenario.has_series(s)),
        )
        .collect()
}

/// A prepared simulation of one scenario.
///
/// ```
/// use dsg_montecarlo::{Settings, Simulation};
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml")).unwrap();
/// let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml").unwrap();
/// let sim = Simulation::new(&scenario).unwrap();
/// let summary = sim.run(&Settings { paths: 2_000, ..Settings::default() }).unwrap();
/// let last = summary.at_horizon("balance.cumulative").unwrap();
/// assert!(last.p5 < last.p50 && last.p50 < last.p95);
/// ```
pub struct Simulation<'s> {
    scenario: &'s Scenario,
    sampler: PathSampler,
    /// The reported series, each with its name in the summary.
    recorded: Vec<(SeriesKey, String)>,
    /// The series each mitigation's impact is reported on (the cumulative balance first).
    impact_series: Vec<Series>,
    /// Per recorded series: for an impact, the position of its series in `impact_series`.
    impact_slot: Vec<usize>,
    /// The series the unmitigated projection keeps (with one mitigation, it is also the
    /// projection without that mitigation, so it keeps the impact series too).
    unmitigated_series: Vec<Series>,
    central: Forecast,
    central_inputs: Inputs,
    /// Central value of every metric (series-major: `series * H + t - 1`).
    reference: Vec<f64>,
    /// The series the mitigated projection keeps.
    mitigated_series: Vec<Series>,
    /// Yes/no events drawn once per path, by which the cumulative balance is also reported.
    splits: Vec<split::SplitEvent>,
    /// What to keep of each path for analysis, if anything.
    record: Option<record::RecordPlan>,
    /// Called with the number of paths done so far, if anything is (see
    /// [`Simulation::on_progress`]).
    progress: Option<&'s (dyn Fn(u64) + Sync)>,
}

/// The bins of a large run: of every metric, and of the cumulative balance split by events.
struct RunRanges {
    main: Ranges,
    split: Ranges,
    /// Metrics some of whose first paths equal their central value exactly (a caseload held at
    /// its capacity, an input that is fixed in most futures): their paths below and equal to it
    /// are counted exactly, because a point mass spread across a bin would misplace the central
    /// projection's rank by up to the mass.
    tied: Vec<usize>,
}

/// Counts of events, per worker, added up at the end (integers: order-free).
#[derive(Debug, Clone)]
struct Events {
    deficit_exceeds_reserves: Vec<u64>,
    /// Paths whose deficit first exceeds the reserves in each year.
    first_exceeds: Vec<u64>,
    in_year_reached_by: Vec<u64>,
    instalments: Vec<u64>,
    all_instalments: u64,
    /// Per split metric: paths whose deficit exceeds the reserves.
    split_exceeds: Vec<u64>,
    /// Per event and side (`2 * e + side`, side 0 = happens): paths.
    split_paths: Vec<u64>,
    /// Per tied metric `k` ([`RunRanges::tied`]): paths below its central value (`2 * k`) and
    /// equal to it (`2 * k + 1`).
    tied: Vec<u64>,
    /// Per budget line, budget by budget, each budget's lines then its total: paths whose
    /// outturn exceeds the sum budgeted.
    overspend: Vec<u64>,
}

impl Events {
    fn new(horizon: usize, instalments: usize, splits: usize, budget_lines: usize) -> Self {
        Events {
            deficit_exceeds_reserves: vec![0; horizon],
            first_exceeds: vec![0; horizon],
            in_year_reached_by: vec![0; horizon],
            instalments: vec![0; instalments],
            all_instalments: 0,
            split_exceeds: vec![0; 2 * splits * horizon],
            split_paths: vec![0; 2 * splits],
            tied: Vec::new(),
            overspend: vec![0; budget_lines],
        }
    }

    fn merge(&mut self, other: &Events) {
        let add = |a: &mut Vec<u64>, b: &Vec<u64>| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(
            &mut self.deficit_exceeds_reserves,
            &other.deficit_exceeds_reserves,
        );
        add(&mut self.in_year_reached_by, &other.in_year_reached_by);
        add(&mut self.first_exceeds, &other.first_exceeds);
        add(&mut self.instalments, &other.instalments);
        add(&mut self.split_exceeds, &other.split_exceeds);
        add(&mut self.split_paths, &other.split_paths);
        add(&mut self.overspend, &other.overspend);
        if self.tied.len() < other.tied.len() {
            self.tied.resize(other.tied.len(), 0);
        }
        add(&mut self.tied, &other.tied);
        self.all_instalments += other.all_instalments;
    }
}

/// Locks `m`, carrying on after a panic elsewhere (the totals stay consistent: a chunk is added
/// whole or not at all).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}
use totals::Totals;
use worker::Worker;

/// Everything gathered from a set of chunks.
struct Gathered {
    histograms: Option<Histograms>,
    events: Events,
    kept: Vec<(usize, Block)>,
    /// The split balances: binned in large runs, kept whole in small ones.
    split_histograms: Option<Histograms>,
    split_kept: Vec<split::SplitRows>,
    /// Recorded paths (with [`Simulation::record`]).
    recorded: Vec<record::RecordedBlock>,
}

impl<'s> Simulation<'s> {
    /// Prepares the samplers and the central forecast of `scenario`.
    pub fn new(scenario: &'s Scenario) -> Result<Self, McError> {
        let sampler = PathSampler::new(scenario)?;
        let mut keys: Vec<SeriesKey> = Series::in_index_order(scenario.provisions().len())
            .into_iter()
            .filter(|&s| scenario.has_series(s))
            .map(SeriesKey::mitigated)
            .collect();
        if !scenario.compares_reserves() {
            // No reserves to compare with: neither they nor the headroom are reported.
            keys.retain(|k| !matches!(k.series, Series::Headroom | Series::UsableReserves));
        }
        let impact_series = impact_series(scenario);
        if !scenario.mitigations().is_empty() {
            keys.extend(UNMITIGATED.map(SeriesKey::unmitigated));
            // The children's series a committee compares with and without the mitigations.
            keys.extend(
                UNMITIGATED_CHILDREN
                    .into_iter()
                    .filter(|&s| scenario.has_series(s))
                    .map(SeriesKey::unmitigated),
            );
        }
        // Each mitigation's effect on the cumulative balance, then (with an assessment pipeline)
        // on the children's series, on the same draws.
        for &series in &impact_series {
            keys.extend((0..scenario.mitigations().len()).map(|i| SeriesKey {
                series,
                variant: Variant::Impact(i),
            }));
        }
        // Every key is of this scenario's provisions and mitigations, so each has a name.
        let recorded: Vec<(SeriesKey, String)> = keys
            .into_iter()
            .filter_map(|k| k.name(scenario).map(|n| (k, n)))
            .collect();
        let central_inputs = scenario.params().central_inputs();
        let central = Forecast::with_inputs(scenario, &central_inputs);
        let mitigated_series = recorded
            .iter()
            .filter(|(k, _)| k.variant == Variant::Mitigated)
            .map(|(k, _)| k.series)
            // Counting events reads these.
            .chain([Series::Cumulative, Series::UsableReserves, Series::InYear])
            .chain(budget_lines(scenario).map(|(_, series, _)| series))
            .collect();
        let impact_slot = recorded
            .iter()
            .map(|(k, _)| {
                impact_series
                    .iter()
                    .position(|&s| s == k.series)
                    .unwrap_or(0)
            })
            .collect();
        let unmitigated_series = recorded
            .iter()
            .filter(|(k, _)| k.variant == Variant::Unmitigated)
            .map(|(k, _)| k.series)
            .chain(impact_series.iter().copied())
            .collect();
        let mut sim = Simulation {
            scenario,
            sampler,
            impact_series,
            impact_slot,
            unmitigated_series,
            recorded,
            central,
            central_inputs,
            reference: Vec::new(),
            mitigated_series,
            splits: split::split_events(scenario),
            record: None,
            progress: None,
        };
        sim.reference = (0..sim.recorded.len())
            .flat_map(|d| sim.central_series(d))
            .collect();
        Ok(sim)
    }

    /// Whether the deficit is compared with usable reserves.
    fn compares_reserves(&self) -> bool {
        self.scenario.compares_reserves()
    }

    /// For each split metric, the metric of the cumulative balance it is a subset of.
    fn split_sources(&self) -> Vec<usize> {
        let h = self.scenario.horizon();
        let cumulative = self
            .position(SeriesKey::mitigated(Series::Cumulative))
            .unwrap_or(0);
        (0..2 * self.splits.len())
            .flat_map(|_| (0..h).map(move |t| cumulative * h + t))
            .collect()
    }

    /// Position of the series `key` among the recorded ones.
    fn position(&self, key: SeriesKey) -> Option<usize> {
        self.recorded.iter().position(|(k, _)| *k == key)
    }

    /// Number of metrics (series x years).
    fn metrics(&self) -> usize {
        self.recorded.len() * self.scenario.horizon()
    }

    /// The central projection of recorded series `d`.
    fn central_series(&self, d: usize) -> Vec<f64> {
        let f = &self.central;
        let key = self.recorded[d].0;
        match key.variant {
            Variant::Mitigated => f.mitigated.series(key.series).to_vec(),
            Variant::Unmitigated => f.unmitigated.series(key.series).to_vec(),
            Variant::Impact(i) => f.impact_on(i, key.series),
        }
    }

    /// Keeps each path's uncertain inputs and `record`'s outcomes, for the first
    /// `record.max_paths` paths of every run ([`Simulation::run_with_paths`]).
    ///
    /// ```
    /// use dsg_core::{Series, SeriesKey};
    /// use dsg_montecarlo::{Record, Settings, Simulation};
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml")).unwrap();
    /// let scenario = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml").unwrap();
    /// let last = scenario.year(scenario.horizon());
    /// let record = Record { outcomes: vec![(SeriesKey::mitigated(Series::Cumulative), last)], max_paths: 500 };
    /// let sim = Simulation::new(&scenario)?.record(&record)?;
    /// let (_, table) = sim.run_with_paths(&Settings { paths: 2_000, ..Settings::default() })?;
    /// assert_eq!(table.paths, 500);
    /// assert!(table.inputs.iter().any(|i| i.key == "demand.growth"));
    /// # Ok::<(), dsg_montecarlo::McError>(())
    /// ```
    pub fn record(mut self, record: &Record) -> Result<Self, McError> {
        self.record = Some(record::RecordPlan::new(self.scenario, record)?);
        Ok(self)
    }

    /// This simulation as one council of a national run: its own inputs drawn from streams
    /// keyed by the council too, the national inputs shared with every other council on the same
    /// path, and its demand growth mixing the national factor with its own (docs/model.md
    /// section 15). A run of the council alone with the same `shocks` and seed gives the paths it
    /// has in the national run.
    ///
    /// ```
    /// use dsg_montecarlo::{Settings, Simulation, sampler::NationalShocks};
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let scenario = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let shocks = NationalShocks { share: 0.3, council: "E10000003".into() };
    /// let sim = Simulation::new(&scenario)?.with_national(&shocks)?;
    /// let summary = sim.run(&Settings { paths: 500, ..Settings::default() })?;
    /// assert!(summary.at_horizon("balance.cumulative").is_some());
    /// # Ok::<(), dsg_montecarlo::McError>(())
    /// ```
    ///
    /// # Errors
    /// As [`crate::sampler::PathSampler::with_national`].
    pub fn with_national(
        mut self,
        shocks: &crate::sampler::NationalShocks,
    ) -> Result<Self, McError> {
        self.sampler = self.sampler.with_national(self.scenario, shocks)?;
        Ok(self)
    }

    /// Calls `progress` during every run with the number of paths done so far (from any
    /// worker thread, so calls may arrive out of order: keep the largest count seen). Without
    /// it a run reports nothing while it works.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use dsg_montecarlo::{Settings, Simulation};
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml"))?;
    /// let scenario = dsg_core::Scenario::from_toml_str(&text, "minimal.toml")?;
    /// let most = AtomicU64::new(0);
    /// let show = |done: u64| {
    ///     most.fetch_max(done, Ordering::Relaxed);
    /// };
    /// let summary = Simulation::new(&scenario)?
    ///     .on_progress(&show)
    ///     .run(&Settings { paths: 3_000, ..Settings::default() })?;
    /// assert_eq!(most.load(Ordering::Relaxed), 3_000);
    /// assert_eq!(summary.run.paths, 3_000);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on_progress(mut self, progress: &'s (dyn Fn(u64) + Sync)) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Runs the simulation and summarises it: quantiles, means, probabilities and exceedance
    /// curves of every reported series. Nothing is reported while it works unless
    /// [`Simulation::on_progress`] asked for it.
    ///
    /// ```
    /// use dsg_montecarlo::{Settings, Simulation};
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml"))?;
    /// let scenario = dsg_core::Scenario::from_toml_str(&text, "minimal.toml")?;
    /// let summary = Simulation::new(&scenario)?.run(&Settings { paths: 500, seed: 7, ..Settings::default() })?;
    /// assert_eq!((summary.run.paths, summary.run.seed), (500, 7));
    /// assert!(Simulation::new(&scenario)?.run(&Settings { paths: 0, ..Settings::default() }).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run(&self, settings: &Settings) -> Result<Summary, McError> {
        self.run_with_paths(settings).map(|(s, _)| s)
    }

    /// Runs the simulation, also returning the recorded paths (empty unless
    /// [`Simulation::record`] asked for them).
    pub fn run_with_paths(&self, settings: &Settings) -> Result<(Summary, PathTable), McError> {
        let progress = self.progress.unwrap_or(&|_| {});
        let precision_series = self.checked(settings)?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(settings.threads.unwrap_or(0))
            .build()
            .map_err(|e| McError::Threads(e.to_string()))?;
        let threads = pool.current_num_threads();
        let max_paths = settings.paths;
        let done = AtomicU64::new(0);
        let tick = |n: u64| progress(done.fetch_add(n, Ordering::Relaxed) + n);

        let totals = Mutex::new(Totals::new(self.metrics()));
        // Phase 1: the first paths, kept whole (exact quantiles, and ranges for larger runs).
        let first = max_paths.min(EXACT_LIMIT as u64);
        let mut all = self.gather(
            &pool,
            threads,
            (settings.seed, max_paths),
            0..chunks(first),
            None,
            &totals,
            &tick,
        );
        let mut paths = first;
        let mut stop_note = None;
        let ranges = (max_paths > first).then(|| self.pilot_ranges(&mut all));
        // Phase 2: the rest, counted into histograms, in batches when a precision is asked for.
        if let Some(ranges) = &ranges {
            // The pilot's values are counted below, into the first batch's histograms.
            let pilot = std::mem::take(&mut all.kept);
            let split_pilot = std::mem::take(&mut all.split_kept);
            let batch = match precision_series {
                Some(_) => 64 * CHUNK as u64,
                None => max_paths,
            };
            while paths < max_paths {
                if let Some((d, target)) = precision_series {
                    let se = self.standard_error(&lock(&totals).sums, d, paths);
                    if se <= target {
                        stop_note = Some(format!(
                            "stopped at {paths} paths: standard error {se:.0} <= target {target}"
                        ));
                        break;
                    }
                }
                let end = (paths + batch).min(max_paths);
                let more = self.gather(
                    &pool,
                    threads,
                    (settings.seed, max_paths),
                    chunks(paths)..chunks(end),
                    Some(ranges),
                    &totals,
                    &tick,
                );
                merge_into(&mut all.histograms, more.histograms);
                merge_into(&mut all.split_histograms, more.split_histograms);
                all.events.merge(&more.events);
                all.recorded.extend(more.recorded);
                paths = end;
            }
            self.count_pilot(&mut all, ranges, &pilot, &split_pilot);
        }
        if let (Some((d, target)), None) = (precision_series, &stop_note) {
            // The last batch (or a run within the first paths) may have met the target.
            let se = self.standard_error(&lock(&totals).sums, d, paths);
            stop_note = Some(if se <= target {
                format!(
                    "met the target at {paths} paths: standard error {se:.0} <= target {target}"
                )
            } else {
                format!(
                    "reached the maximum of {paths} paths before the precision target (standard error {se:.0} > target {target})"
                )
            });
        }
        // `gather` stops at `max_paths`, so a run cut short by precision ends on a chunk boundary:
        // every chunk has been added to the totals.
        let sums = std::mem::take(&mut lock(&totals).sums);
        // On the run's own threads: small runs take their exact quantiles metric by metric in
        // parallel (each metric on its own, so the figures do not depend on the threads).
        let summary = pool.install(|| {
            self.summarise(
                &all,
                &sums,
                ranges.as_ref(),
                paths,
                settings.seed,
                stop_note,
            )
        });
        // docs/model.md section 8: nothing non-finite is ever reported. Checked on the aggregated
        // results, not on every path, so the hot loop is untouched.
        if let Some(bad) = summary.first_non_finite() {
            return Err(McError::NonFinite {
                series: bad.series,
                year: bad.year,
            });
        }
        let table = match &self.record {
            Some(plan) => plan.table(std::mem::take(&mut all.recorded)),
            None => PathTable::default(),
        };
        Ok((summary, table))
    }

    /// Standard error of the mean of recorded series `d` in its last year, from the totals of
    /// sums of deviations `[s1.., s2..]`.
    fn standard_error(&self, sums: &[f64], d: usize, paths: u64) -> f64 {
        let m = self.metrics();
        let metric = d * self.scenario.horizon() + self.scenario.horizon() - 1;
        mean_and_se(
            self.reference[metric],
            sums[metric],
            sums[m + metric],
            paths,
        )
        .1
    }

    /// Runs chunks `range` of a run of `paths` paths seeded `seed` on the pool.
    #[allow(clippy::too_many_arguments)]
    fn gather(
        &self,
        pool: &rayon::ThreadPool,
        threads: usize,
        (seed, paths): (u64, u64),
        range: std::ops::Range<usize>,
        ranges: Option<&RunRanges>,
        totals: &Mutex<Totals>,
        tick: &(dyn Fn(u64) + Sync),
    ) -> Gathered {
        let next = AtomicUsize::new(range.start);
        // A worker that bins brings its own histograms (4 MB for the benchmark scenario: about
        // as long to set up and merge as 8 chunks take to run), so binning workers get at least
        // CHUNKS_PER_BINNING_WORKER chunks each. The results do not depend on it.
        let useful = match ranges {
            Some(_) => range.len().div_ceil(CHUNKS_PER_BINNING_WORKER),
            None => range.len(),
        };
        let mut workers: Vec<Worker<'_>> = (0..threads.min(useful).max(1))
            .map(|_| Worker::new(self, seed, paths, ranges.is_some()))
            .collect();
        pool.scope(|scope| {
            for w in workers.iter_mut() {
                let next = &next;
                let end = range.end;
                scope.spawn(move |_| {
                    loop {
                        let chunk = next.fetch_add(1, Ordering::Relaxed);
                        if chunk >= end {
                            break;
                        }
                        let ran = w.run_chunk(chunk, ranges, totals);
                        tick(ran);
                    }
                });
            }
        });
        let mut g = Gathered {
            histograms: None,
            events: self.no_events(),
            kept: Vec::new(),
            split_histograms: None,
            split_kept: Vec::new(),
            recorded: Vec::new(),
        };
        for w in workers {
            g.kept.extend(w.kept);
            g.split_kept.extend(w.split_kept);
            g.recorded.extend(w.recorded);
            g.events.merge(&w.events);
            merge_into(&mut g.histograms, w.histograms);
            merge_into(&mut g.split_histograms, w.split_histograms);
        }
        // Stable: blocks of one chunk stay in path order.
        g.kept.sort_by_key(|(c, _)| *c);
        g
    }
}

impl Simulation<'_> {
    /// No events counted yet.
    fn no_events(&self) -> Events {
        Events::new(
            self.scenario.horizon(),
            self.central.mitigated.instalments_paid.len(),
            self.splits.len(),
            budget_lines(self.scenario).count(),
        )
    }
}

/// Every budget line set against the outturn, budget by budget (each budget's lines, then its
/// total against [`Series::SpendTotal`]): the budget's position `t`, the series and the amount.
fn budget_lines(scenario: &Scenario) -> impl Iterator<Item = (usize, Series, f64)> + '_ {
    scenario.budgets().iter().flat_map(|b| {
        b.lines.iter().map(|l| (b.t, l.series, l.amount)).chain([(
            b.t,
            Series::SpendTotal,
            b.total,
        )])
    })
}

/// Adds `from`'s counts to `into` (taking them whole when `into` has none).
fn merge_into(into: &mut Option<Histograms>, from: Option<Histograms>) {
    match (into.as_mut(), from) {
        (Some(h), Some(wh)) => h.merge(&wh),
        (None, Some(wh)) => *into = Some(wh),
        _ => {}
    }
}

/// Number of chunks covering `paths` paths.
fn chunks(paths: u64) -> usize {
    paths.div_ceil(CHUNK as u64) as usize
}
