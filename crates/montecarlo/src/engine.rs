//! The parallel runner: many projections driven by drawn inputs, mitigated and unmitigated on
//! common random numbers, aggregated in bounded memory.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use dsg_core::{
    Forecast, Inputs, MitigationSet, Projection, Scenario, Series, SeriesKey, Variant, Workspace,
    project,
};

use crate::aggregate::{
    BINS, BLOCK, Block, CHUNK, EXACT_LIMIT, Histograms, MAX_ATOMS, Moments, QUANTILES, Ranges,
    Rows, mean_and_se, sorted_quantile,
};
use crate::error::McError;
use crate::sampler::{PathSampler, SamplerScratch};
use crate::stream::{RNG_DESCRIPTION, path_rng};
use crate::summary::{
    Exceedance, ExceedancePoint, FORMAT, InstalmentProbability, Named, Probabilities, RunInfo,
    ScenarioInfo, Summary, YearProbability, YearStats,
};

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
#[derive(Debug, Clone, PartialEq)]
pub struct Precision {
    /// Series name, e.g. `balance.cumulative`.
    pub series: String,
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

/// A prepared simulation of one scenario.
///
/// ```
/// use dsg_montecarlo::{Settings, Simulation};
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml")).unwrap();
/// let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml").unwrap();
/// let sim = Simulation::new(&scenario).unwrap();
/// let summary = sim.run(&Settings { paths: 2_000, ..Settings::default() }, &|_| {}).unwrap();
/// let last = summary.at_horizon("balance.cumulative").unwrap();
/// assert!(last.p5 < last.p50 && last.p50 < last.p95);
/// ```
pub struct Simulation<'s> {
    scenario: &'s Scenario,
    sampler: PathSampler,
    /// The reported series, each with its name in the summary.
    recorded: Vec<(SeriesKey, String)>,
    central: Forecast,
    central_inputs: Inputs,
    /// Central value of every metric (series-major: `series * H + t - 1`).
    reference: Vec<f64>,
    /// The series the mitigated projection keeps.
    mitigated_series: Vec<Series>,
}

/// Counts of events, per worker, added up at the end (integers: order-free).
#[derive(Debug, Clone)]
struct Events {
    deficit_exceeds_reserves: Vec<u64>,
    in_year_reached_by: Vec<u64>,
    instalments: Vec<u64>,
    all_instalments: u64,
}

impl Events {
    fn new(horizon: usize, instalments: usize) -> Self {
        Events {
            deficit_exceeds_reserves: vec![0; horizon],
            in_year_reached_by: vec![0; horizon],
            instalments: vec![0; instalments],
            all_instalments: 0,
        }
    }

    fn merge(&mut self, other: &Events) {
        let add = |a: &mut Vec<u64>, b: &Vec<u64>| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(
            &mut self.deficit_exceeds_reserves,
            &other.deficit_exceeds_reserves,
        );
        add(&mut self.in_year_reached_by, &other.in_year_reached_by);
        add(&mut self.instalments, &other.instalments);
        self.all_instalments += other.all_instalments;
    }
}

/// The sums of deviations of every chunk, added in chunk order as chunks complete (whatever
/// thread ran them), so that memory stays bounded and the totals never depend on scheduling.
#[derive(Debug)]
struct Totals {
    /// `[s1.., s2..]` over chunks `0..next`.
    sums: Vec<f64>,
    /// The next chunk to add.
    next: usize,
    /// Chunks done but not yet added (a later chunk finished before an earlier one).
    waiting: Vec<(usize, Vec<f64>)>,
    /// Buffers to reuse.
    spare: Vec<Vec<f64>>,
}

impl Totals {
    fn new(metrics: usize) -> Self {
        Totals {
            sums: vec![0.0; 2 * metrics],
            next: 0,
            waiting: Vec::new(),
            spare: Vec::new(),
        }
    }

    /// Records chunk `chunk`'s sums; adds every chunk that is next in order.
    fn submit(&mut self, chunk: usize, sums: Vec<f64>) {
        self.waiting.push((chunk, sums));
        while let Some(i) = self.waiting.iter().position(|(c, _)| *c == self.next) {
            let (_, sums) = self.waiting.swap_remove(i);
            for (total, x) in self.sums.iter_mut().zip(&sums) {
                *total += x;
            }
            self.spare.push(sums);
            self.next += 1;
        }
    }

    /// A buffer for a chunk's sums.
    fn buffer(&mut self) -> Vec<f64> {
        let n = self.sums.len();
        let mut b = self.spare.pop().unwrap_or_default();
        b.resize(n, 0.0);
        b
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

/// One thread's buffers, reused for every block of paths it runs.
struct Worker<'a> {
    sim: &'a Simulation<'a>,
    seed: u64,
    paths: u64,
    inputs: Inputs,
    scratch: SamplerScratch,
    workspace: Workspace,
    mitigated: Projection,
    unmitigated: Projection,
    without: Vec<Projection>,
    /// Impact of each mitigation on the cumulative balance, `[mitigation][year][lane]`.
    impact: Vec<f64>,
    /// Paths in the current block.
    block_paths: usize,
    /// Whether each lane has reached an in-year balance yet (scratch for counting events).
    reached: Vec<bool>,
    histograms: Option<Histograms>,
    /// The running sums of deviations of the current chunk.
    running: Moments,
    events: Events,
    kept: Vec<(usize, Block)>,
}

/// The current block's values, read straight from the projections.
struct BlockRows<'w, 'a> {
    worker: &'w Worker<'a>,
}

impl Rows for BlockRows<'_, '_> {
    fn metrics(&self) -> usize {
        self.worker.sim.metrics()
    }

    #[inline]
    fn metric(&self, m: usize) -> &[f64] {
        let w = self.worker;
        let h = w.sim.scenario.horizon();
        let (d, t) = (m / h, m % h + 1);
        let key = w.sim.recorded[d].0;
        let row = match key.variant {
            Variant::Mitigated => w.mitigated.lanes_of(key.series, t),
            Variant::Unmitigated => w.unmitigated.lanes_of(key.series, t),
            // Only the cumulative balance's impacts are recorded.
            Variant::Impact(j) => &w.impact[(j * h + t - 1) * BLOCK..(j * h + t) * BLOCK],
        };
        &row[..w.block_paths]
    }
}

impl<'a> Worker<'a> {
    fn new(sim: &'a Simulation<'a>, seed: u64, paths: u64, binned: bool) -> Self {
        let s = sim.scenario;
        let m = s.mitigations().len();
        Worker {
            sim,
            seed,
            paths,
            inputs: sim.central_inputs.with_lanes(BLOCK),
            scratch: sim.sampler.scratch(),
            workspace: Workspace::with_lanes(s, BLOCK),
            mitigated: Projection::recording(s, BLOCK, &sim.mitigated_series),
            unmitigated: Projection::recording(s, BLOCK, &UNMITIGATED),
            without: if m >= 2 {
                (0..m)
                    .map(|_| Projection::recording(s, BLOCK, &[Series::Cumulative]))
                    .collect()
            } else {
                Vec::new()
            },
            impact: vec![0.0; m * s.horizon() * BLOCK],
            block_paths: 0,
            reached: vec![false; BLOCK],
            histograms: binned.then(|| Histograms::new(sim.metrics())),
            running: Moments::new(sim.metrics()),
            events: Events::new(s.horizon(), sim.central.mitigated.instalments_paid.len()),
            kept: Vec::new(),
        }
    }

    /// Runs the paths of one chunk, a block at a time; returns how many paths it ran.
    fn run_chunk(&mut self, chunk: usize, ranges: Option<&Ranges>, totals: &Mutex<Totals>) -> u64 {
        let start = (chunk * CHUNK) as u64;
        let end = (start + CHUNK as u64).min(self.paths);
        let mut first = start;
        let mut running = std::mem::replace(&mut self.running, Moments::new(0));
        running.clear();
        while first < end {
            let last = (first + BLOCK as u64).min(end);
            self.run_block(first, last);
            let rows = BlockRows { worker: self };
            let reference = &self.sim.reference;
            // Within a chunk, blocks are added in path order: the sums do not depend on threads.
            match ranges {
                Some(r) => {
                    let mut h = self.histograms.take();
                    if let Some(h) = h.as_mut() {
                        h.add_block(
                            &BlockRows { worker: self },
                            r,
                            Some((&mut running, reference)),
                        );
                    }
                    self.histograms = h;
                }
                None => {
                    running.add(&rows, reference);
                    let copy = Block::copy_of(&rows);
                    self.kept.push((chunk, copy));
                }
            }
            first = last;
        }
        let mut sums = lock(totals).buffer();
        running.finish(&mut sums);
        self.running = running;
        lock(totals).submit(chunk, sums);
        end - start
    }

    /// Draws the inputs of paths `first..last` into lanes and projects them together.
    fn run_block(&mut self, first: u64, last: u64) {
        let s = self.sim.scenario;
        let n = s.mitigations().len();
        let h = s.horizon();
        self.block_paths = (last - first) as usize;
        for (lane, k) in (first..last).enumerate() {
            let mut rng = path_rng(self.seed, k);
            self.sim
                .sampler
                .fill(&mut rng, &mut self.scratch, &mut self.inputs, lane);
        }
        project(
            s,
            &self.inputs,
            MitigationSet::all(n),
            &mut self.workspace,
            &mut self.mitigated,
        );
        if n > 0 {
            project(
                s,
                &self.inputs,
                MitigationSet::none(),
                &mut self.workspace,
                &mut self.unmitigated,
            );
        }
        for (j, out) in self.without.iter_mut().enumerate() {
            project(
                s,
                &self.inputs,
                MitigationSet::all(n).without(j),
                &mut self.workspace,
                out,
            );
        }
        for j in 0..n {
            let off = if n == 1 {
                &self.unmitigated
            } else {
                &self.without[j]
            };
            for t in 1..=h {
                let with = self.mitigated.lanes_of(Series::Cumulative, t);
                let without = off.lanes_of(Series::Cumulative, t);
                let row = &mut self.impact[(j * h + t - 1) * BLOCK..(j * h + t) * BLOCK];
                for ((r, a), b) in row.iter_mut().zip(with).zip(without) {
                    *r = a - b;
                }
            }
        }
        self.count_events();
    }

    fn count_events(&mut self) {
        let p = &self.mitigated;
        let e = &mut self.events;
        let paths = self.block_paths;
        let reached = &mut self.reached[..paths];
        reached.fill(false);
        for t in 1..=p.horizon() {
            let balance = &p.lanes_of(Series::Cumulative, t)[..paths];
            let reserves = &p.lanes_of(Series::UsableReserves, t)[..paths];
            let in_year = &p.lanes_of(Series::InYear, t)[..paths];
            let exceeds = balance
                .iter()
                .zip(reserves)
                .fold(0u64, |n, (&b, &r)| n + u64::from(-b > r));
            e.deficit_exceeds_reserves[t - 1] += exceeds;
            let mut count = 0u64;
            for (r, &i) in reached.iter_mut().zip(in_year) {
                *r |= i >= 0.0;
                count += u64::from(*r);
            }
            e.in_year_reached_by[t - 1] += count;
        }
        let instalments = e.instalments.len();
        if instalments > 0 {
            // `reached` becomes "every instalment paid so far".
            reached.fill(true);
            for i in 0..instalments {
                let paid = &p.instalments_paid[i * BLOCK..i * BLOCK + paths];
                let mut count = 0u64;
                for (all, &paid) in reached.iter_mut().zip(paid) {
                    count += u64::from(paid);
                    *all &= paid;
                }
                e.instalments[i] += count;
            }
            e.all_instalments += reached.iter().map(|&a| u64::from(a)).sum::<u64>();
        }
    }
}

/// Everything gathered from a set of chunks.
struct Gathered {
    histograms: Option<Histograms>,
    events: Events,
    kept: Vec<(usize, Block)>,
}

impl<'s> Simulation<'s> {
    /// Prepares the samplers and the central forecast of `scenario`.
    pub fn new(scenario: &'s Scenario) -> Result<Self, McError> {
        let sampler = PathSampler::new(scenario)?;
        let mut keys: Vec<SeriesKey> = Series::in_index_order(scenario.provisions().len())
            .into_iter()
            .filter(|s| !matches!(s, Series::UnitCost(_)))
            .map(SeriesKey::mitigated)
            .collect();
        if !scenario.mitigations().is_empty() {
            keys.extend(UNMITIGATED.map(SeriesKey::unmitigated));
        }
        keys.extend((0..scenario.mitigations().len()).map(SeriesKey::impact));
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
            .collect();
        let mut sim = Simulation {
            scenario,
            sampler,
            recorded,
            central,
            central_inputs,
            reference: Vec::new(),
            mitigated_series,
        };
        sim.reference = (0..sim.recorded.len())
            .flat_map(|d| sim.central_series(d))
            .collect();
        Ok(sim)
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
            Variant::Impact(i) => f.impact(i),
        }
    }

    /// Runs the simulation. `progress` is called with the number of paths done so far.
    pub fn run(
        &self,
        settings: &Settings,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Summary, McError> {
        if settings.paths == 0 || settings.paths > MAX_PATHS {
            return Err(McError::Settings(format!(
                "paths must be from 1 to {MAX_PATHS} (got {})",
                settings.paths
            )));
        }
        if settings.threads == Some(0) {
            return Err(McError::Settings("threads must be at least 1".to_string()));
        }
        let precision_series = match &settings.precision {
            Some(p) => {
                if !(p.target_se > 0.0 && p.target_se.is_finite()) {
                    return Err(McError::Settings(format!(
                        "the precision target must be a positive number (got {})",
                        p.target_se
                    )));
                }
                let d = SeriesKey::parse(&p.series, self.scenario)
                    .and_then(|key| self.position(key))
                    .ok_or_else(|| {
                        McError::Settings(format!(
                            "no series is called `{}`; try balance.cumulative or spend.total",
                            p.series
                        ))
                    })?;
                Some((d, p.target_se))
            }
            None => None,
        };
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
        let ranges = (max_paths > first)
            .then(|| Ranges::from_blocks(all.kept.iter().map(|(_, b)| b), self.metrics()));
        // Phase 2: the rest, counted into histograms, in batches when a precision is asked for.
        if let Some(ranges) = &ranges {
            let mut h = Histograms::new(self.metrics());
            for (_, b) in &all.kept {
                h.add(b, ranges);
            }
            h.see_pilot(ranges);
            all.histograms = Some(h);
            // The pilot's values are counted: free them.
            all.kept = Vec::new();
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
                if let (Some(h), Some(mh)) = (all.histograms.as_mut(), more.histograms.as_ref()) {
                    h.merge(mh);
                }
                all.events.merge(&more.events);
                paths = end;
            }
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
        Ok(self.summarise(
            &all,
            &sums,
            ranges.as_ref(),
            paths,
            settings.seed,
            stop_note,
        ))
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
        ranges: Option<&Ranges>,
        totals: &Mutex<Totals>,
        tick: &(dyn Fn(u64) + Sync),
    ) -> Gathered {
        let next = AtomicUsize::new(range.start);
        let mut workers: Vec<Worker<'_>> = (0..threads.min(range.len()).max(1))
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
        let s = self.scenario;
        let mut g = Gathered {
            histograms: None,
            events: Events::new(s.horizon(), self.central.mitigated.instalments_paid.len()),
            kept: Vec::new(),
        };
        for w in workers {
            g.kept.extend(w.kept);
            g.events.merge(&w.events);
            match (g.histograms.as_mut(), w.histograms) {
                (Some(h), Some(wh)) => h.merge(&wh),
                (None, Some(wh)) => g.histograms = Some(wh),
                _ => {}
            }
        }
        // Stable: blocks of one chunk stay in path order.
        g.kept.sort_by_key(|(c, _)| *c);
        g
    }

    fn summarise(
        &self,
        all: &Gathered,
        sums: &[f64],
        ranges: Option<&Ranges>,
        paths: u64,
        seed: u64,
        precision: Option<String>,
    ) -> Summary {
        let s = self.scenario;
        let h = s.horizon();
        let m = self.metrics();
        let (s1, s2) = sums.split_at(m);
        // Quantiles of metric i at each q.
        let mut sorted_buf: Vec<f64> = Vec::new();
        let mut quantiles_of = |i: usize, qs: &[f64]| -> Vec<f64> {
            match (ranges, all.histograms.as_ref()) {
                (Some(r), Some(hist)) => {
                    qs.iter().map(|&q| hist.quantile(r, i, paths, q)).collect()
                }
                _ => {
                    sorted_buf.clear();
                    for (_, b) in &all.kept {
                        sorted_buf.extend_from_slice(b.metric(i));
                    }
                    sorted_buf.sort_by(f64::total_cmp);
                    qs.iter()
                        .map(|&q| sorted_quantile(&sorted_buf, q))
                        .collect()
                }
            }
        };
        let mut series = BTreeMap::new();
        let mut central = BTreeMap::new();
        for (d, (_, name)) in self.recorded.iter().enumerate() {
            let years: Vec<YearStats> = (0..h)
                .map(|t| {
                    let i = d * h + t;
                    let q = quantiles_of(i, &QUANTILES);
                    let (mean, se) = mean_and_se(self.reference[i], s1[i], s2[i], paths);
                    YearStats {
                        year: s.year(t + 1),
                        p5: q[0],
                        p10: q[1],
                        p25: q[2],
                        p50: q[3],
                        p75: q[4],
                        p90: q[5],
                        p95: q[6],
                        mean,
                        se,
                    }
                })
                .collect();
            series.insert(name.clone(), years);
            central.insert(name.clone(), self.central_series(d));
        }
        // The cumulative balance is always recorded; without it there would be no curve to draw.
        let cumulative = self.position(SeriesKey::mitigated(Series::Cumulative));
        let mut exceedance = Vec::new();
        let override_t = s.index_of(s.override_ends()).filter(|&t| t >= 1 && t < h);
        let ends = cumulative
            .into_iter()
            .flat_map(|c| override_t.into_iter().chain([h]).map(move |t| (c, t)));
        for (cumulative, t) in ends {
            let qs: Vec<f64> = (1..=99).map(|p| f64::from(p) / 100.0).collect();
            let balance = quantiles_of(cumulative * h + t - 1, &qs);
            exceedance.push(Exceedance {
                year: s.year(t),
                points: qs
                    .iter()
                    .zip(balance)
                    .map(|(&p, b)| ExceedancePoint {
                        deficit: (-b).max(0.0),
                        probability: p,
                    })
                    .collect(),
            });
        }
        let n = paths as f64;
        let prob = |count: u64, t: usize| {
            let p = count as f64 / n;
            YearProbability {
                year: s.year(t + 1),
                probability: p,
                se: (p * (1.0 - p) / n).sqrt(),
            }
        };
        let e = &all.events;
        let sv_mean: f64 = self
            .position(SeriesKey::mitigated(Series::SafetyValve))
            .and_then(|d| series.get(&self.recorded[d].1))
            .map_or(0.0, |v: &Vec<YearStats>| v.iter().map(|y| y.mean).sum());
        let instalments = s
            .safety_valve()
            .iter()
            .flat_map(|sv| &sv.instalments)
            .zip(&e.instalments)
            .map(|(inst, &count)| InstalmentProbability {
                year: inst.year,
                amount: self.central_inputs.scalar(inst.amount),
                probability: count as f64 / n,
            })
            .collect();
        Summary {
            format: FORMAT.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: ScenarioInfo {
                name: s.name().to_string(),
                authority: s.authority().to_string(),
                base_year: s.base_year(),
                years: (1..=h).map(|t| s.year(t)).collect(),
                override_ends: s.override_ends(),
                policy: s.policy().to_string(),
                provisions: s
                    .provisions()
                    .iter()
                    .map(|p| Named {
                        name: p.name.clone(),
                        label: p.label.clone(),
                    })
                    .collect(),
                mitigations: s
                    .mitigations()
                    .iter()
                    .map(|m| Named {
                        name: m.name.clone(),
                        label: m.description.clone(),
                    })
                    .collect(),
                opening_balance: self.central.mitigated.opening_balance,
                history: s.history().to_vec(),
            },
            run: RunInfo {
                seed,
                paths,
                rng: RNG_DESCRIPTION.to_string(),
                quantile_method: if ranges.is_some() {
                    format!(
                        "histogram of {BINS} equal bins per series and year spanning the range of the first {EXACT_LIMIT} paths widened by a tenth on each side (values beyond it counted in the end bins, exact extremes kept), interpolated linearly within a bin; a series taking at most {MAX_ATOMS} values in those paths counts them exactly as point masses"
                    )
                } else {
                    "exact (linear interpolation between order statistics)".to_string()
                },
                precision,
            },
            series,
            central,
            probabilities: Probabilities {
                deficit_exceeds_reserves: e
                    .deficit_exceeds_reserves
                    .iter()
                    .enumerate()
                    .map(|(t, &c)| prob(c, t))
                    .collect(),
                in_year_balance_reached_by: e
                    .in_year_reached_by
                    .iter()
                    .enumerate()
                    .map(|(t, &c)| prob(c, t))
                    .collect(),
                safety_valve_instalments: instalments,
                all_instalments_received: s
                    .safety_valve()
                    .as_ref()
                    .map(|_| e.all_instalments as f64 / n),
                expected_safety_valve_receipts: sv_mean,
            },
            exceedance,
        }
    }
}

/// Number of chunks covering `paths` paths.
fn chunks(paths: u64) -> usize {
    paths.div_ceil(CHUNK as u64) as usize
}
