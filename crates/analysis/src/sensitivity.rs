//! What drives an outcome, from the paths of the main run without extra draws (docs/model.md
//! section 11): each uncertain input's Spearman rank correlation with the outcome, its
//! contribution to the outcome's variance (a binned first-order index), its swing (the outcome's
//! median with the input in its lowest and highest tenth) and how far it sits from its median in
//! the worst tenth of futures.

use dsg_core::{FinancialYear, InputUnit, Scenario, Series, SeriesKey};
use dsg_montecarlo::{PathTable, RECORD_PATHS, Record, Settings, Simulation};
use serde::Serialize;

use crate::error::AnalysisError;

/// Equal-count bins for the first-order index.
pub const BINS: usize = 20;
/// An input is named among the drivers of the bad case when, in the worst tenth of futures, its
/// median is at least this many standard deviations from its overall median.
pub const DRIVER_THRESHOLD: f64 = 0.5;
/// Fewest paths worth analysing.
pub const MIN_PATHS: usize = 200;

/// One input's effect on one outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputEffect {
    /// The input's key, e.g. `demand.growth`.
    pub key: String,
    /// Its name in words, e.g. "Demand growth".
    pub label: String,
    /// What it measures (from the input's metadata). Written in `analysis.json` with the names
    /// of earlier versions: `rate` (a rate or share), `pounds`, `count`, `years`, `event` (a
    /// probability), `number` (anything else).
    #[serde(serialize_with = "unit_name")]
    pub unit: InputUnit,
    /// Spearman rank correlation with the outcome (-1 to 1).
    pub rank_correlation: f64,
    /// Share of the outcome's variance explained by the input alone: Var(E[Y | X in bin]) /
    /// Var(Y), with X cut into [`BINS`] equal-count bins (or its distinct values, if fewer).
    /// Bin means lose the variation inside a bin, which matters only in the wide end bins of a
    /// skewed response: compounding growth keeps about 0.85 of an effect that is all its own
    /// (the rank correlation still shows 1 there).
    pub contribution: f64,
    /// Median outcome among the paths with the input in its lowest tenth.
    pub swing_low: f64,
    /// Median outcome among the paths with the input in its highest tenth.
    pub swing_high: f64,
    /// The input's median (for an event: how often it happens) over all paths.
    pub typical: f64,
    /// Its median (for an event: how often it happens) in the worst tenth of futures.
    pub in_worst: f64,
    /// (median in the worst tenth - median) / standard deviation of the input.
    pub driver_score: f64,
}

impl InputEffect {
    /// The swing's width: how far apart the two medians are.
    pub fn swing(&self) -> f64 {
        (self.swing_high - self.swing_low).abs()
    }
}

/// `unit` as `analysis.json` names it (the names it has always had).
fn unit_name<S: serde::Serializer>(unit: &InputUnit, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match unit {
        InputUnit::Rate | InputUnit::Share => "rate",
        InputUnit::Money => "pounds",
        InputUnit::Count => "count",
        InputUnit::Years => "years",
        InputUnit::Probability => "event",
        InputUnit::Weeks | InputUnit::Fte | InputUnit::Number => "number",
    })
}

/// What drives one outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The outcome's series.
    #[serde(skip)]
    pub outcome_key: SeriesKey,
    /// The outcome's series by name, e.g. `balance.cumulative`.
    pub outcome: String,
    /// Its year.
    pub year: FinancialYear,
    /// Whether a lower value is worse (a balance) or a higher one (spend).
    pub lower_is_worse: bool,
    /// Paths analysed.
    pub paths: usize,
    /// The outcome's median.
    pub median: f64,
    /// The threshold of the worst tenth (P10 of a balance, P90 of spend).
    pub worst_tenth_beyond: f64,
    /// Every uncertain input, widest swing first.
    pub inputs: Vec<InputEffect>,
}

impl Sensitivity {
    /// The inputs named as drivers of the bad case (|score| at least [`DRIVER_THRESHOLD`]),
    /// strongest first.
    pub fn drivers(&self) -> Vec<&InputEffect> {
        let mut d: Vec<&InputEffect> = self
            .inputs
            .iter()
            .filter(|i| i.driver_score.abs() >= DRIVER_THRESHOLD)
            .collect();
        d.sort_by(|a, b| b.driver_score.abs().total_cmp(&a.driver_score.abs()));
        d
    }
}

/// Whether a lower value of the series `key` is worse (a balance, the headroom, receipts;
/// whichever forecast it comes from).
///
/// ```
/// use dsg_core::{Series, SeriesKey};
/// assert!(dsg_analysis::sensitivity::lower_is_worse(SeriesKey::mitigated(Series::Cumulative)));
/// assert!(!dsg_analysis::sensitivity::lower_is_worse(SeriesKey::mitigated(Series::SpendTotal)));
/// ```
pub fn lower_is_worse(key: SeriesKey) -> bool {
    key.series.lower_is_worse()
}

/// The sensitivity of each outcome recorded in `table` to each of its uncertain inputs.
///
/// ```
/// use dsg_core::{Series, SeriesKey};
/// use dsg_montecarlo::{Record, Settings, Simulation};
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml")).unwrap();
/// let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml").unwrap();
/// let record = Record { outcomes: vec![(SeriesKey::mitigated(Series::Cumulative), s.year(s.horizon()))], max_paths: 5_000 };
/// let (_, table) = Simulation::new(&s)?.record(&record)?.run_with_paths(&Settings { paths: 5_000, ..Default::default() })?;
/// let result = dsg_analysis::sensitivity(&table, &s).unwrap();
/// let growth = result[0].inputs.iter().find(|i| i.label == "Demand growth").unwrap();
/// // Faster growth, a larger deficit: a lower balance.
/// assert!(growth.rank_correlation < -0.3);
/// # Ok::<(), dsg_montecarlo::McError>(())
/// ```
pub fn sensitivity(
    table: &PathTable,
    scenario: &Scenario,
) -> Result<Vec<Sensitivity>, AnalysisError> {
    if table.paths < MIN_PATHS {
        return Err(AnalysisError::TooFewPaths {
            paths: table.paths,
            needed: MIN_PATHS,
        });
    }
    table
        .outcomes
        .iter()
        .enumerate()
        .map(|(k, outcome)| {
            let y: Vec<f64> = outcome.values.iter().map(|&v| f64::from(v)).collect();
            if y.iter().any(|v| !v.is_finite()) {
                return Err(AnalysisError::NonFinite(outcome.name.clone()));
            }
            let lower = lower_is_worse(outcome.key);
            let y_ranks = ranks(&y);
            let mut sorted = y.clone();
            sorted.sort_by(f64::total_cmp);
            let median = quantile(&sorted, 0.5);
            let beyond = quantile(&sorted, if lower { 0.1 } else { 0.9 });
            // The worst tenth: the lowest tenth of a balance, the highest of spend.
            let mut order: Vec<usize> = (0..y.len()).collect();
            order.sort_by(|&a, &b| y[a].total_cmp(&y[b]).then(a.cmp(&b)));
            let tenth = (y.len() / 10).max(1);
            let worst: Vec<usize> = if lower {
                order[..tenth].to_vec()
            } else {
                order[order.len() - tenth..].to_vec()
            };
            let mut inputs: Vec<InputEffect> = table
                .inputs
                .iter()
                .map(|col| {
                    let x: Vec<f64> = col.values[k].iter().map(|&v| f64::from(v)).collect();
                    effect(&col.key, scenario, &x, &y, &y_ranks, &worst)
                })
                .collect();
            inputs.sort_by(|a, b| b.swing().total_cmp(&a.swing()).then(a.key.cmp(&b.key)));
            Ok(Sensitivity {
                outcome_key: outcome.key,
                outcome: outcome.name.clone(),
                year: outcome.year,
                lower_is_worse: lower,
                paths: y.len(),
                median,
                worst_tenth_beyond: beyond,
                inputs,
            })
        })
        .collect()
}

fn effect(
    key: &str,
    scenario: &Scenario,
    x: &[f64],
    y: &[f64],
    y_ranks: &[f64],
    worst: &[usize],
) -> InputEffect {
    // Every recorded input is one of the scenario's: its metadata says what it is.
    let meta = scenario
        .params()
        .find(key)
        .map(|id| &scenario.params().specs()[id.index()].meta);
    let unit = meta.map_or(InputUnit::Number, |m| m.unit);
    let n = x.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
    let tenth = (n / 10).max(1);
    let median_of = |idx: &[usize]| {
        let mut v: Vec<f64> = idx.iter().map(|&i| y[i]).collect();
        v.sort_by(f64::total_cmp);
        quantile(&v, 0.5)
    };
    let swing_low = median_of(&order[..tenth]);
    let swing_high = median_of(&order[n - tenth..]);
    let event = unit == InputUnit::Probability;
    // An event is summarised by how often it happens; anything else by its median.
    let summary = |idx: &mut dyn Iterator<Item = usize>| -> f64 {
        let mut v: Vec<f64> = idx.map(|i| x[i]).collect();
        if event {
            v.iter().sum::<f64>() / v.len().max(1) as f64
        } else {
            v.sort_by(f64::total_cmp);
            quantile(&v, 0.5)
        }
    };
    let typical = summary(&mut (0..n));
    let in_worst = summary(&mut worst.iter().copied());
    let (mean, sd) = mean_sd(x);
    let centre = if event { mean } else { typical };
    let driver_score = if sd > 0.0 {
        (in_worst - centre) / sd
    } else {
        0.0
    };
    InputEffect {
        key: key.to_string(),
        label: meta.map_or_else(|| key.to_string(), |m| m.label.clone()),
        unit,
        rank_correlation: pearson(&ranks(x), y_ranks),
        contribution: first_order(x, y, &order),
        swing_low,
        swing_high,
        typical,
        in_worst,
        driver_score,
    }
}

/// Ranks from 1, ties given their average rank.
pub fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &o in &order[i..=j] {
            r[o] = rank;
        }
        i = j + 1;
    }
    r
}

/// Pearson correlation (0 when either side does not vary).
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let (ma, sa) = mean_sd(a);
    let (mb, sb) = mean_sd(b);
    if sa == 0.0 || sb == 0.0 {
        return 0.0;
    }
    let n = a.len() as f64;
    let cov: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - ma) * (y - mb))
        .sum::<f64>()
        / (n - 1.0);
    (cov / (sa * sb)).clamp(-1.0, 1.0)
}

/// Mean and sample standard deviation.
fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    if v.is_empty() {
        return (0.0, 0.0);
    }
    let mean = v.iter().sum::<f64>() / n;
    if v.len() < 2 {
        return (mean, 0.0);
    }
    let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

/// Var(E[Y | X in bin]) / Var(Y): `order` sorts the paths by X. Bins are equal-count, except
/// that paths with equal X stay together and an input with at most [`BINS`] distinct values is
/// binned by value.
pub fn first_order(x: &[f64], y: &[f64], order: &[usize]) -> f64 {
    let n = y.len();
    let (my, sy) = mean_sd(y);
    if sy == 0.0 || n < 2 {
        return 0.0;
    }
    let total: f64 = y.iter().map(|v| (v - my) * (v - my)).sum();
    let mut between = 0.0;
    let mut start = 0;
    while start < n {
        let mut end = ((start + n / BINS).max(start + 1)).min(n);
        // Keep equal values of X in one bin.
        while end < n && x[order[end]] == x[order[end - 1]] {
            end += 1;
        }
        let m = (end - start) as f64;
        let mean = order[start..end].iter().map(|&i| y[i]).sum::<f64>() / m;
        between += m * (mean - my) * (mean - my);
        start = end;
    }
    (between / total).clamp(0.0, 1.0)
}

/// Quantile `q` of sorted values (linear interpolation).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    dsg_montecarlo::aggregate::sorted_quantile(sorted, q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_their_average_rank() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    }

    #[test]
    fn a_perfect_monotone_relation_has_rank_correlation_one() {
        let x: Vec<f64> = (0..100).map(f64::from).collect();
        let y: Vec<f64> = x.iter().map(|v| v.exp().min(1e300)).collect();
        assert!((pearson(&ranks(&x), &ranks(&y)) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_two_valued_input_explains_its_share_by_value() {
        // y = x exactly, x half 0 and half 1: the bins by value explain everything.
        let x: Vec<f64> = (0..1000).map(|i| f64::from(i % 2)).collect();
        let mut order: Vec<usize> = (0..1000).collect();
        order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
        assert!((first_order(&x, &x, &order) - 1.0).abs() < 1e-12);
    }
}

/// A sensitivity analysis to run from a scenario: the outcomes, and the run they are read from.
///
/// ```
/// use dsg_analysis::SensitivitySettings;
/// use dsg_core::{Series, SeriesKey};
/// let year = "2027-28".parse()?;
/// let asked = SensitivitySettings::default()
///     .outcome(SeriesKey::mitigated(Series::SpendTotal), year)
///     .paths(4_000)
///     .seed(3);
/// assert_eq!(asked.outcomes, vec![(SeriesKey::mitigated(Series::SpendTotal), year)]);
/// assert_eq!((asked.settings.paths, asked.settings.seed), (4_000, 3));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SensitivitySettings {
    /// The outcomes, each a series of the forecast with every mitigation and a year; none: the
    /// cumulative balance at the horizon.
    pub outcomes: Vec<(SeriesKey, FinancialYear)>,
    /// The run: paths, seed, threads (and a precision to stop at, if wanted). The first
    /// [`RECORD_PATHS`] paths at most are analysed.
    pub settings: Settings,
}

impl SensitivitySettings {
    /// The same analysis with one more outcome: `series` in `year`.
    pub fn outcome(mut self, series: SeriesKey, year: FinancialYear) -> Self {
        self.outcomes.push((series, year));
        self
    }

    /// The same analysis on `paths` futures.
    pub fn paths(mut self, paths: u64) -> Self {
        self.settings.paths = paths;
        self
    }

    /// The same analysis on the futures of another seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.settings.seed = seed;
        self
    }
}

/// Runs `scenario`, recording each path's inputs and outcomes, and returns the
/// [`sensitivity()`] of each outcome asked for (in the order asked), in one call.
///
/// ```
/// use dsg_analysis::{SensitivitySettings, sensitivity_of};
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml"))?;
/// let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml")?;
/// let result = sensitivity_of(&s, &SensitivitySettings::default().paths(3_000))?;
/// assert_eq!(result.len(), 1);
/// assert_eq!(result[0].outcome, "balance.cumulative");
/// assert_eq!(result[0].year, s.year(s.horizon()));
/// assert_eq!(result[0].paths, 3_000);
/// // Faster growth, a larger deficit: a lower balance.
/// let growth = result[0].inputs.iter().find(|i| i.key == "demand.growth").expect("uncertain");
/// assert!(growth.rank_correlation < -0.3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sensitivity_of(
    scenario: &Scenario,
    asked: &SensitivitySettings,
) -> Result<Vec<Sensitivity>, AnalysisError> {
    let outcomes = if asked.outcomes.is_empty() {
        vec![(
            SeriesKey::mitigated(Series::Cumulative),
            scenario.year(scenario.horizon()),
        )]
    } else {
        asked.outcomes.clone()
    };
    let record = Record {
        outcomes,
        max_paths: asked.settings.paths.clamp(1, RECORD_PATHS),
    };
    let (_, table) = Simulation::new(scenario)?
        .record(&record)?
        .run_with_paths(&asked.settings)?;
    sensitivity(&table, scenario)
}
