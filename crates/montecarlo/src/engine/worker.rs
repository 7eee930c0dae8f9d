//! One thread's share of a run: blocks of paths projected, binned and counted.

use std::sync::Mutex;

use dsg_core::{Inputs, MitigationSet, Projection, Series, Variant, Workspace, project};

use crate::aggregate::{BLOCK, Block, CHUNK, Histograms, Moments, Rows};
use crate::sampler::SamplerScratch;
use crate::stream::path_rng;

use super::split::SplitRows;
use super::{Events, RunRanges, Simulation, Totals, lock};

/// One thread's buffers, reused for every block of paths it runs.
pub(super) struct Worker<'a> {
    sim: &'a Simulation<'a>,
    seed: u64,
    paths: u64,
    inputs: Inputs,
    scratch: SamplerScratch,
    workspace: Workspace,
    mitigated: Projection,
    unmitigated: Projection,
    without: Vec<Projection>,
    /// Impact of each mitigation on each impact series (the cumulative balance first),
    /// `[series][mitigation][year][lane]`.
    impact: Vec<f64>,
    /// Paths in the current block.
    block_paths: usize,
    /// Whether each lane has reached an in-year balance yet (scratch for counting events).
    reached: Vec<bool>,
    /// Whether each lane's deficit has exceeded the reserves yet (scratch).
    exceeded: Vec<bool>,
    pub(super) histograms: Option<Histograms>,
    /// The running sums of deviations of the current chunk.
    running: Moments,
    pub(super) events: Events,
    pub(super) kept: Vec<(usize, Block)>,
    /// The current block's cumulative balances sorted by each event's outcome.
    split_rows: SplitRows,
    pub(super) split_histograms: Option<Histograms>,
    pub(super) split_kept: Vec<SplitRows>,
    /// Recorded paths of this worker's blocks.
    pub(super) recorded: Vec<super::record::RecordedBlock>,
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
            Variant::Impact(j) => {
                let m = w.sim.scenario.mitigations().len();
                let row = (w.sim.impact_slot[d] * m + j) * h + t - 1;
                &w.impact[row * BLOCK..(row + 1) * BLOCK]
            }
        };
        &row[..w.block_paths]
    }
}

impl<'a> Worker<'a> {
    pub(super) fn new(sim: &'a Simulation<'a>, seed: u64, paths: u64, binned: bool) -> Self {
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
            unmitigated: Projection::recording(s, BLOCK, &sim.unmitigated_series),
            without: if m >= 2 {
                (0..m)
                    .map(|_| Projection::recording(s, BLOCK, &sim.impact_series))
                    .collect()
            } else {
                Vec::new()
            },
            impact: vec![0.0; sim.impact_series.len() * m * s.horizon() * BLOCK],
            block_paths: 0,
            reached: vec![false; BLOCK],
            exceeded: vec![false; BLOCK],
            histograms: binned.then(|| Histograms::new(sim.metrics())),
            running: Moments::new(sim.metrics()),
            events: sim.no_events(),
            kept: Vec::new(),
            split_rows: SplitRows::new(sim.splits.len(), s.horizon()),
            split_histograms: binned.then(|| Histograms::new(2 * sim.splits.len() * s.horizon())),
            split_kept: Vec::new(),
            recorded: Vec::new(),
        }
    }

    /// Runs the paths of one chunk, a block at a time; returns how many paths it ran.
    pub(super) fn run_chunk(
        &mut self,
        chunk: usize,
        ranges: Option<&RunRanges>,
        totals: &Mutex<Totals>,
    ) -> u64 {
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
                            &r.main,
                            Some((&mut running, reference)),
                        );
                    }
                    self.histograms = h;
                    if let Some(h) = self.split_histograms.as_mut() {
                        h.add(&self.split_rows, &r.split);
                    }
                    self.count_tied(&r.tied);
                }
                None => {
                    running.add(&rows, reference);
                    let copy = Block::copy_of(&rows);
                    self.kept.push((chunk, copy));
                    if !self.sim.splits.is_empty() {
                        self.split_kept.push(self.split_rows.clone());
                    }
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
        for (k, &series) in self.sim.impact_series.iter().enumerate() {
            for j in 0..n {
                let off = if n == 1 {
                    &self.unmitigated
                } else {
                    &self.without[j]
                };
                for t in 1..=h {
                    let with = self.mitigated.lanes_of(series, t);
                    let without = off.lanes_of(series, t);
                    let at = (k * n + j) * h + t - 1;
                    let row = &mut self.impact[at * BLOCK..(at + 1) * BLOCK];
                    for ((r, a), b) in row.iter_mut().zip(with).zip(without) {
                        *r = a - b;
                    }
                }
            }
        }
        self.count_events();
        if let Some(plan) = &self.sim.record
            && first < plan.max_paths
        {
            let n = (last.min(plan.max_paths) - first) as usize;
            self.recorded
                .push(plan.block(first, n, &self.inputs, &self.mitigated));
        }
        if !self.sim.splits.is_empty() {
            let e = &mut self.events;
            self.split_rows.fill(
                &self.sim.splits,
                &self.inputs,
                &self.mitigated,
                self.block_paths,
                (&mut e.split_exceeds, &mut e.split_paths),
            );
        }
    }

    /// Counts the block's paths below and equal to the central value of each tied metric.
    fn count_tied(&mut self, tied: &[usize]) {
        if self.events.tied.len() != 2 * tied.len() {
            self.events.tied = vec![0; 2 * tied.len()];
        }
        for (k, &m) in tied.iter().enumerate() {
            let (below, equal) = {
                let rows = BlockRows { worker: self };
                crate::aggregate::count_against(rows.metric(m), self.sim.reference[m])
            };
            self.events.tied[2 * k] += below;
            self.events.tied[2 * k + 1] += equal;
        }
    }

    fn count_events(&mut self) {
        let p = &self.mitigated;
        let e = &mut self.events;
        let paths = self.block_paths;
        let reached = &mut self.reached[..paths];
        reached.fill(false);
        let exceeded = &mut self.exceeded[..paths];
        exceeded.fill(false);
        for t in 1..=p.horizon() {
            let balance = &p.lanes_of(Series::Cumulative, t)[..paths];
            let reserves = &p.lanes_of(Series::UsableReserves, t)[..paths];
            let in_year = &p.lanes_of(Series::InYear, t)[..paths];
            let (mut exceeds, mut first) = (0u64, 0u64);
            for ((&b, &r), seen) in balance.iter().zip(reserves).zip(exceeded.iter_mut()) {
                let over = -b > r;
                exceeds += u64::from(over);
                first += u64::from(over && !*seen);
                *seen |= over;
            }
            e.deficit_exceeds_reserves[t - 1] += exceeds;
            e.first_exceeds[t - 1] += first;
            let mut count = 0u64;
            for (r, &i) in reached.iter_mut().zip(in_year) {
                *r |= i >= 0.0;
                count += u64::from(*r);
            }
            e.in_year_reached_by[t - 1] += count;
        }
        for ((t, series, amount), count) in
            super::budget_lines(self.sim.scenario).zip(e.overspend.iter_mut())
        {
            let spend = &p.lanes_of(series, t)[..paths];
            *count += spend.iter().map(|&x| u64::from(x > amount)).sum::<u64>();
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
