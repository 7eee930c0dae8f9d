//! A run's summary: quantiles, means, probabilities and exceedance, from what was gathered.

use std::collections::BTreeMap;

use dsg_core::{Series, SeriesKey};

use crate::aggregate::{
    BINS, EXACT_LIMIT, MAX_ATOMS, QUANTILES, Ranges, Rows, mean_and_se, sorted_quantile,
};
use crate::stream::RNG_DESCRIPTION;
use crate::summary::{
    Exceedance, ExceedancePoint, FORMAT, InstalmentProbability, Named, Probabilities, RunInfo,
    ScenarioInfo, Summary, YearProbability, YearStats,
};

use super::{Gathered, Simulation};

impl<'s> Simulation<'s> {
    pub(super) fn summarise(
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
