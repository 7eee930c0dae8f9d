//! A run's summary: quantiles, means, probabilities and exceedance, from what was gathered.

use std::collections::BTreeMap;

use dsg_core::{Series, SeriesKey};

use crate::aggregate::{
    BINS, EXACT_LIMIT, ExactScratch, Histograms, MAX_ATOMS, QUANTILES, Ranges, Rows,
    exact_quantiles_and_rank, mean_and_se,
};
use crate::stream::RNG_DESCRIPTION;
use dsg_core::budget::PlannedCost;

use crate::summary::{
    BudgetLineResult, BudgetResult, EventSplit, Exceedance, ExceedancePoint, FORMAT,
    InstalmentProbability, Named, Placement, PlannedLine, Probabilities, RunInfo, ScenarioInfo,
    SplitSide, SplitYear, Spread, Summary, YearProbability, YearStats,
};

use super::split::{event_label, split_metric};
use super::{Events, Gathered, RunRanges, Simulation};

/// The quantiles of every metric and the share of its paths below a value: exactly in small runs
/// (from the kept paths), from the histograms in large ones.
struct Quantiles<'a> {
    all: &'a Gathered,
    ranges: Option<&'a Ranges>,
    /// Central value of every metric.
    reference: &'a [f64],
    /// Metrics whose ranks at the central value were counted exactly, each with its position
    /// among them.
    tied: BTreeMap<usize, usize>,
    paths: u64,
    /// Every metric's standard quantiles ([`QUANTILES`]) and the rank of its central value.
    standard: Vec<(Vec<f64>, f64)>,
    scratch: ExactScratch,
}

impl<'a> Quantiles<'a> {
    fn new(
        sim: &'a Simulation<'_>,
        all: &'a Gathered,
        ranges: Option<&'a RunRanges>,
        paths: u64,
    ) -> Self {
        let mut q = Quantiles {
            all,
            ranges: ranges.map(|r| &r.main),
            reference: &sim.reference,
            tied: ranges
                .map(|r| r.tied.iter().enumerate().map(|(k, &m)| (m, k)).collect())
                .unwrap_or_default(),
            paths,
            standard: Vec::new(),
            scratch: ExactScratch::default(),
        };
        q.standard = q.standard_of_all(sim.metrics());
        q
    }

    /// The share of metric `i`'s paths below `x`, from the histograms: counted exactly at a tied
    /// metric's central value.
    fn histogram_rank(&self, r: &Ranges, hist: &Histograms, i: usize, x: f64) -> f64 {
        match self.tied.get(&i) {
            Some(&k) if x == self.reference[i] => {
                let tied = &self.all.events.tied;
                let (below, equal) = (tied[2 * k], tied[2 * k + 1]);
                (below as f64 + 0.5 * equal as f64) / self.paths as f64
            }
            _ => hist.share_below(r, i, self.paths, x),
        }
    }

    /// Every metric's quantiles and the rank of its central value, in parallel over metrics (each
    /// metric on its own, so the figures do not depend on the threads; one buffer per thread).
    fn standard_of_all(&self, metrics: usize) -> Vec<(Vec<f64>, f64)> {
        use rayon::prelude::*;
        (0..metrics)
            .into_par_iter()
            .map_init(
                Default::default,
                |(parts, scratch): &mut (Vec<&[f64]>, _), i| {
                    let reference = self.reference[i];
                    match (self.ranges, self.all.histograms.as_ref()) {
                        (Some(r), Some(hist)) => (
                            hist.quantiles(r, i, self.paths, &QUANTILES),
                            self.histogram_rank(r, hist, i, reference),
                        ),
                        _ => {
                            parts.clear();
                            parts.extend(self.all.kept.iter().map(|(_, b)| b.metric(i)));
                            exact_quantiles_and_rank(parts, &QUANTILES, reference, scratch)
                        }
                    }
                },
            )
            .collect()
    }

    /// Metric `i`'s quantiles at `qs` and the share of its paths below `x` (NaN without `x`).
    fn of(&mut self, i: usize, qs: &[f64], x: Option<f64>) -> (Vec<f64>, f64) {
        if let Some((q, rank)) = self.standard.get(i)
            && qs == QUANTILES
            && x.is_none_or(|x| x == self.reference[i])
        {
            return (q.clone(), if x.is_some() { *rank } else { f64::NAN });
        }
        match (self.ranges, self.all.histograms.as_ref()) {
            (Some(r), Some(hist)) => (
                hist.quantiles(r, i, self.paths, qs),
                x.map_or(f64::NAN, |x| self.histogram_rank(r, hist, i, x)),
            ),
            _ => {
                let parts: Vec<&[f64]> = self.all.kept.iter().map(|(_, b)| b.metric(i)).collect();
                exact_quantiles_and_rank(&parts, qs, x.unwrap_or(f64::NAN), &mut self.scratch)
            }
        }
    }
}

/// Each recorded series by name: its statistics per year, its central projection and where the
/// central projection ranks among the paths.
#[derive(Default)]
struct SeriesStats {
    series: BTreeMap<String, Vec<YearStats>>,
    central: BTreeMap<String, Vec<f64>>,
    central_rank: BTreeMap<String, Vec<f64>>,
}

impl Simulation<'_> {
    pub(super) fn summarise(
        &self,
        all: &Gathered,
        sums: &[f64],
        ranges: Option<&RunRanges>,
        paths: u64,
        seed: u64,
        precision: Option<String>,
    ) -> Summary {
        let mut quantiles = Quantiles::new(self, all, ranges, paths);
        let stats = self.series_stats(&mut quantiles, sums, paths);
        let calibration = self.calibration_of(&mut quantiles);
        let exceedance = self.exceedance_of(&mut quantiles);
        let probabilities = self.probabilities_of(&all.events, &stats.series, paths);
        let budgets = self.budgets_of(&stats.series, &stats.central, &all.events.overspend, paths);
        Summary {
            format: FORMAT.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: self.scenario_info(),
            run: run_info(seed, paths, ranges.is_some(), precision),
            series: stats.series,
            central: stats.central,
            central_rank: stats.central_rank,
            splits: self.splits_of(all, ranges),
            calibration,
            probabilities,
            exceedance,
            budgets,
        }
    }

    /// Every recorded series' quantiles, mean and standard error per year, from the per-path
    /// sums of values (`sums`: the sums, then the sums of squares, one per metric).
    fn series_stats(&self, quantiles: &mut Quantiles<'_>, sums: &[f64], paths: u64) -> SeriesStats {
        let s = self.scenario;
        let h = s.horizon();
        let (s1, s2) = sums.split_at(self.metrics());
        let mut out = SeriesStats::default();
        for (d, (_, name)) in self.recorded.iter().enumerate() {
            let plan = self.central_series(d);
            let mut ranks = Vec::with_capacity(h);
            let years: Vec<YearStats> = (0..h)
                .map(|t| {
                    let i = d * h + t;
                    let (q, rank) = quantiles.of(i, &QUANTILES, Some(plan[t]));
                    ranks.push(rank);
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
            out.series.insert(name.clone(), years);
            out.central.insert(name.clone(), plan);
            out.central_rank.insert(name.clone(), ranks);
        }
        out
    }

    /// Each published figure the scenario calibrates against, placed among the simulated
    /// futures (a base-year figure against the scenario's own value).
    fn calibration_of(&self, quantiles: &mut Quantiles<'_>) -> Vec<Placement> {
        let s = self.scenario;
        let h = s.horizon();
        let mut calibration = Vec::new();
        for c in s.calibration() {
            let t = s.base_year().offset_to(c.year);
            let same_policy = c.policy.as_deref().is_none_or(|p| p == s.policy());
            let (mut ours, mut range, mut share_below) = (None, None, None);
            if t <= 0 {
                ours = s.base_year_value(&c.series);
            } else if same_policy
                && let Some(d) = SeriesKey::parse(&c.series, s).and_then(|k| self.position(k))
            {
                let i = d * h + t as usize - 1;
                let (q, share) = quantiles.of(i, &[0.05, 0.5, 0.95], Some(c.value));
                ours = Some(q[1]);
                range = Some((q[0], q[2]));
                share_below = Some(share);
            }
            calibration.push(Placement {
                source: c.source.clone(),
                figure: c.figure.clone(),
                series: c.series.clone(),
                year: c.year,
                value: c.value,
                policy: c.policy.clone(),
                ours,
                range,
                share_below,
                inside_90: c.inside_90,
                percentile: c.percentile,
                tolerance: c.tolerance,
            });
        }
        calibration
    }

    /// The chance of each size of cumulative deficit, at the end of the override (when it ends
    /// inside the horizon) and at the horizon.
    fn exceedance_of(&self, quantiles: &mut Quantiles<'_>) -> Vec<Exceedance> {
        let s = self.scenario;
        let h = s.horizon();
        // The cumulative balance is always recorded; without it there would be no curve to draw.
        let cumulative = self.position(SeriesKey::mitigated(Series::Cumulative));
        let mut exceedance = Vec::new();
        let override_t = s.index_of(s.override_ends()).filter(|&t| t >= 1 && t < h);
        let ends = cumulative
            .into_iter()
            .flat_map(|c| override_t.into_iter().chain([h]).map(move |t| (c, t)));
        for (cumulative, t) in ends {
            let qs: Vec<f64> = (1..=99).map(|p| f64::from(p) / 100.0).collect();
            let (balance, _) = quantiles.of(cumulative * h + t - 1, &qs, None);
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
        exceedance
    }

    /// The counted chances: the deficit exceeding the reserves, the in-year balance reached,
    /// the safety valve's instalments received.
    fn probabilities_of(
        &self,
        e: &Events,
        series: &BTreeMap<String, Vec<YearStats>>,
        paths: u64,
    ) -> Probabilities {
        let s = self.scenario;
        let n = paths as f64;
        let prob = |count: u64, t: usize| {
            let p = count as f64 / n;
            YearProbability {
                year: s.year(t + 1),
                probability: p,
                se: (p * (1.0 - p) / n).sqrt(),
            }
        };
        let per_year = |counts: &[u64]| -> Vec<YearProbability> {
            counts
                .iter()
                .enumerate()
                .map(|(t, &c)| prob(c, t))
                .collect()
        };
        // Without reserves to compare with, nothing is said about them.
        let with_reserves = |v: Vec<YearProbability>| {
            if self.compares_reserves() {
                v
            } else {
                Vec::new()
            }
        };
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
        Probabilities {
            deficit_exceeds_reserves: with_reserves(per_year(&e.deficit_exceeds_reserves)),
            reserves_first_exceeded: with_reserves(per_year(&e.first_exceeds)),
            in_year_balance_reached_by: per_year(&e.in_year_reached_by),
            safety_valve_instalments: instalments,
            all_instalments_received: s
                .safety_valve()
                .as_ref()
                .map(|_| e.all_instalments as f64 / n),
            expected_safety_valve_receipts: sv_mean,
        }
    }

    /// What the summary records of the scenario: its names, years, policy, provisions and
    /// mitigations, and the central opening figures.
    fn scenario_info(&self) -> ScenarioInfo {
        let s = self.scenario;
        let h = s.horizon();
        ScenarioInfo {
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
            opening_balance_known: s.opening_balance_known(),
            history: s.history().to_vec(),
            opening_children_waiting: s
                .assessments()
                .map(|a| self.central_inputs.scalar(a.opening_backlog)),
        }
    }

    /// Each budget set against the outturn: the outturn's statistics shifted by the budget, the
    /// counted chance of an overspend, and the volume/price split from the means of caseload and
    /// spend (exact, because spend = caseload x unit cost on every path).
    fn budgets_of(
        &self,
        series: &BTreeMap<String, Vec<YearStats>>,
        central: &BTreeMap<String, Vec<f64>>,
        overspend: &[u64],
        paths: u64,
    ) -> Vec<BudgetResult> {
        let s = self.scenario;
        let n = paths as f64;
        let mut counts = overspend.iter();
        let mut line = |t: usize, key: Series, budget: f64, plan: Option<PlannedCost>| {
            let count = counts.next().copied().unwrap_or(0);
            let name = SeriesKey::mitigated(key).name(s)?;
            let outturn = *series.get(&name)?.get(t - 1)?;
            let central_outturn = *central.get(&name)?.get(t - 1)?;
            let shift = |y: &YearStats| YearStats {
                year: y.year,
                p5: y.p5 - budget,
                p10: y.p10 - budget,
                p25: y.p25 - budget,
                p50: y.p50 - budget,
                p75: y.p75 - budget,
                p90: y.p90 - budget,
                p95: y.p95 - budget,
                mean: y.mean - budget,
                se: y.se,
            };
            let planned = match (plan, key.provision()) {
                (Some(plan), Some(p)) => {
                    let caseload = SeriesKey::mitigated(Series::Caseload(p)).name(s)?;
                    let n_mean = series.get(&caseload)?.get(t - 1)?.mean;
                    let n_central = *central.get(&caseload)?.get(t - 1)?;
                    let volume = (n_mean - plan.caseload) * plan.unit_cost;
                    let central_volume = (n_central - plan.caseload) * plan.unit_cost;
                    Some(PlannedLine {
                        caseload: plan.caseload,
                        unit_cost: plan.unit_cost,
                        caseload_mean: n_mean,
                        volume,
                        price: outturn.mean - budget - volume,
                        central_volume,
                        central_price: central_outturn - budget - central_volume,
                    })
                }
                _ => None,
            };
            let p = count as f64 / n;
            Some(BudgetLineResult {
                series: name,
                label: key_label(s, key),
                budget,
                outturn,
                central: central_outturn,
                variance: shift(&outturn),
                central_variance: central_outturn - budget,
                overspend_probability: p,
                overspend_se: (p * (1.0 - p) / n).sqrt(),
                planned,
            })
        };
        let mut out = Vec::new();
        for b in s.budgets() {
            // Every line is counted in order, even one whose series is missing.
            let lines: Vec<Option<BudgetLineResult>> = b
                .lines
                .iter()
                .map(|l| line(b.t, l.series, l.amount, l.plan))
                .collect();
            let total = line(b.t, Series::SpendTotal, b.total, None);
            if let Some(total) = total {
                out.push(BudgetResult {
                    year: b.year,
                    source: b.source.clone(),
                    lines: lines.into_iter().flatten().collect(),
                    total,
                    unallocated: b.unallocated(),
                });
            }
        }
        out
    }
}

/// How the run was made: seed, paths, generator and how the quantiles were found (from
/// histograms when the run was large enough to bin).
fn run_info(seed: u64, paths: u64, binned: bool, precision: Option<String>) -> RunInfo {
    RunInfo {
        seed,
        paths,
        rng: RNG_DESCRIPTION.to_string(),
        quantile_method: if binned {
            format!(
                "histogram of {BINS} equal bins per series and year spanning the range of the first {EXACT_LIMIT} paths widened by a tenth on each side (values beyond it counted in the end bins, exact extremes kept), interpolated linearly within a bin; a series taking at most {MAX_ATOMS} values in those paths counts them exactly as point masses"
            )
        } else {
            "exact (linear interpolation between order statistics)".to_string()
        },
        precision,
    }
}

/// A budget line's label for people: the provision's own label (`Special schools`), or the
/// series' label (`Spend on other high-needs lines`, `High-needs spend`).
fn key_label(s: &dsg_core::Scenario, key: Series) -> String {
    match key.provision() {
        Some(_) => key.short_label(s),
        None => key.label(s),
    }
}

impl Simulation<'_> {
    /// The cumulative balance split by each event, per year and side.
    fn splits_of(&self, all: &Gathered, ranges: Option<&RunRanges>) -> Vec<EventSplit> {
        let s = self.scenario;
        let h = s.horizon();
        let e = &all.events;
        let mut scratch = ExactScratch::default();
        self.splits
            .iter()
            .enumerate()
            .map(|(k, event)| {
                let on = |happens: bool| e.split_paths[2 * k + usize::from(!happens)];
                let total = on(true) + on(false);
                let side =
                    |happens: bool, t: usize, scratch: &mut ExactScratch| -> Option<SplitSide> {
                        let n = on(happens);
                        if n == 0 {
                            return None;
                        }
                        let m = split_metric(k, happens, t, h);
                        let q: Vec<f64> = match (ranges, all.split_histograms.as_ref()) {
                            (Some(r), Some(hist)) => hist.quantiles(&r.split, m, n, &QUANTILES),
                            _ => {
                                let parts: Vec<&[f64]> =
                                    all.split_kept.iter().map(|b| b.metric(m)).collect();
                                exact_quantiles_and_rank(&parts, &QUANTILES, f64::NAN, scratch).0
                            }
                        };
                        Some(SplitSide {
                            balance: Spread::from_quantiles(&q)?,
                            deficit_exceeds_reserves: self
                                .compares_reserves()
                                .then(|| e.split_exceeds[m] as f64 / n as f64),
                        })
                    };
                EventSplit {
                    key: event.key.clone(),
                    label: event_label(&event.key),
                    probability: event.probability,
                    share: if total == 0 {
                        0.0
                    } else {
                        on(true) as f64 / total as f64
                    },
                    years: (0..h)
                        .map(|t| SplitYear {
                            year: s.year(t + 1),
                            happens: side(true, t, &mut scratch),
                            not: side(false, t, &mut scratch),
                        })
                        .collect(),
                }
            })
            .collect()
    }
}
