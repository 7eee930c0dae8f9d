//! Rolling-origin backtests of the growth model fitted to a history series
//! (docs/model.md section 12).
//!
//! From each origin o (a year with at least `min_growths` usable growths up to it), the model is
//! refitted on the data up to o only and its forecast simulated for horizons 1..H; every target
//! year with an actual value, reached from o without crossing a series break or a missing year,
//! is scored: coverage of the central 50/80/90% intervals, the PIT value, the CRPS, the DfE
//! accuracy; and the two benchmarks (the last observed growth and the mean historical growth
//! carried forward; deterministic, so their CRPS is the absolute error).
//!
//! The count of all plans is forecast by the pooled growth model ([`Model::Pooled`]): refitted at
//! each origin with the councils' counts up to that origin, its predictive distribution read at
//! `paths` evenly spaced probabilities (the (k + 1/2) / paths quantiles, no random draws).

use dsg_data::growth::{LogForecast, PooledSettings};
use dsg_data::history::{
    Forecast, ForecastSettings, Point, Pool, Series, Uncertainty, fit, forecast, sorted_quantile,
};
use serde::Serialize;

use crate::error::AnalysisError;
use crate::scores::{covers, crps_sorted, dfe_accuracy, pit_histogram, pit_sorted, skill};

/// How to backtest.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BacktestSettings {
    /// Horizons 1..=`horizons`.
    pub horizons: usize,
    /// Paths per forecast.
    pub paths: usize,
    /// Seed; each series and origin draws from its own stream.
    pub seed: u64,
    /// Origins need at least this many usable growths up to them.
    pub min_growths: usize,
    /// Plug-in or with parameter uncertainty.
    pub uncertainty: Uncertainty,
}

impl Default for BacktestSettings {
    fn default() -> Self {
        BacktestSettings {
            horizons: 5,
            paths: 5_000,
            seed: dsg_montecarlo::stream::DEFAULT_SEED,
            min_growths: 3,
            uncertainty: Uncertainty::Parameters,
        }
    }
}

/// The model a backtest forecasts with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model<'a> {
    /// The series' own history (docs/model.md section 7), simulated with the settings'
    /// uncertainty.
    OneSeries,
    /// The pooled growth model with these councils, the series being the pool's member `code`
    /// (see [`Pool::fit`]); the settings' uncertainty does not apply (the model carries its own).
    Pooled {
        /// The councils.
        pool: &'a Pool,
        /// The series' code in the pool.
        code: Option<&'a str>,
    },
}

impl Model<'_> {
    /// Its name in the outputs.
    pub fn name(&self) -> &'static str {
        match self {
            Model::OneSeries => "one series",
            Model::Pooled { .. } => "pooled",
        }
    }
}

/// The standard t's quantiles at (k + 1/2) / paths, in sd units, in increasing order.
fn unit_quantiles(paths: usize) -> Vec<f64> {
    let unit = LogForecast {
        mean_log: 0.0,
        sd_log: 1.0,
        df: PooledSettings::default().tail_df,
    };
    (0..paths)
        .map(|k| unit.quantile((k as f64 + 0.5) / paths as f64).ln())
        .collect()
}

/// The pooled forecast of `series` from `origin` as sorted levels for horizons 1..=`horizons`;
/// `None` when the pool cannot fit there.
fn pooled_levels(
    pool: &Pool,
    code: Option<&str>,
    origin: i32,
    horizons: usize,
    unit: &[f64],
) -> Option<Forecast> {
    let p = pool.fit(code, Some(origin)).ok()?;
    let levels = (1..=horizons as u32)
        .map(|h| {
            let f = p.forecast(h);
            unit.iter()
                .map(|z| (f.mean_log + f.sd_log * z).exp())
                .collect()
        })
        .collect();
    Some(Forecast { levels })
}

/// One forecast and what happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    /// The series.
    pub series: String,
    /// The origin year, as written.
    pub origin: String,
    /// Years ahead.
    pub horizon: usize,
    /// The target year, as written.
    pub year: String,
    /// The actual value.
    pub actual: f64,
    /// Forecast quantiles P5, P10, P25, P50, P75, P90, P95.
    pub quantiles: [f64; 7],
    /// PIT value F(actual).
    pub pit: f64,
    /// CRPS (in the series' units).
    pub crps: f64,
    /// Inside the central 50%, 80% and 90% intervals.
    pub covered: [bool; 3],
    /// DfE accuracy of the median.
    pub dfe_accuracy: f64,
    /// The last-growth benchmark's forecast.
    pub last_growth: f64,
    /// The mean-growth benchmark's forecast.
    pub mean_growth: f64,
}

/// Scores aggregated over forecasts (all horizons, or one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    /// The horizon, or 0 for every horizon together.
    pub horizon: usize,
    /// Forecasts scored.
    pub forecasts: usize,
    /// Share inside the central 50%, 80% and 90% intervals.
    pub coverage: [f64; 3],
    /// Binomial standard error of each coverage at its nominal level.
    pub coverage_se: [f64; 3],
    /// Mean CRPS of the model.
    pub crps: f64,
    /// Mean CRPS (absolute error) of the last-growth benchmark.
    pub crps_last_growth: f64,
    /// Mean CRPS (absolute error) of the mean-growth benchmark.
    pub crps_mean_growth: f64,
    /// Skill against the last-growth benchmark: 1 - CRPS / benchmark CRPS.
    pub skill_last_growth: f64,
    /// Skill against the mean-growth benchmark.
    pub skill_mean_growth: f64,
    /// Mean DfE accuracy of the median.
    pub dfe_accuracy: f64,
    /// PIT histogram in 10 bins.
    pub pit_histogram: Vec<usize>,
}

/// One origin's fan, for the chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fan {
    /// The origin year (as a number) and its level.
    pub origin: (i32, f64),
    /// Per horizon up to the next series break: (year as a number, P5, P25, P50, P75, P95).
    pub bands: Vec<(i32, [f64; 5])>,
}

/// A backtest of one series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    /// The model: `pooled` or `one series`.
    pub model: &'static str,
    /// The series.
    pub series: String,
    /// The area of the series, in a history with areas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// The settings used.
    pub settings: BacktestSettings,
    /// Every forecast scored.
    pub scored: Vec<Scored>,
    /// All horizons together, then each horizon with forecasts.
    pub summary: Vec<Aggregate>,
    /// Each origin's fan.
    pub fans: Vec<Fan>,
    /// The series' observations (year, value, break before).
    pub actuals: Vec<(i32, f64, bool)>,
    /// Notes (origins skipped, targets across breaks).
    pub notes: Vec<String>,
}

const LEVELS: [f64; 3] = [0.5, 0.8, 0.9];
const QUANTILES: [f64; 7] = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95];

/// Backtests `series` from every usable origin; `stream` separates series in one run.
///
/// ```
/// use dsg_analysis::backtest::{BacktestSettings, backtest};
/// let mut text = String::from("series,year,value\n");
/// for (i, v) in [100.0, 110.0, 119.0, 131.0, 142.0, 158.0, 171.0].iter().enumerate() {
///     text.push_str(&format!("caseload,{},{v}\n", 2015 + i));
/// }
/// let h = dsg_data::history::History::from_csv_str(&text, "h.csv")?;
/// let b = backtest(&h.series[0], &BacktestSettings { paths: 500, ..Default::default() }, 0)?;
/// assert_eq!(b.summary[0].horizon, 0);
/// assert!(b.summary[0].crps > 0.0);
/// # Ok::<(), dsg_analysis::AnalysisError>(())
/// ```
pub fn backtest(
    series: &Series,
    settings: &BacktestSettings,
    stream: u64,
) -> Result<Backtest, AnalysisError> {
    backtest_with(series, settings, stream, Model::OneSeries)
}

/// Backtests `series` from every usable origin with `model` (the one-series model's fit still
/// chooses the origins and gives the benchmarks).
///
/// ```
/// use dsg_analysis::backtest::{BacktestSettings, Model, backtest_with};
/// use dsg_data::growth::AreaLevels;
/// use dsg_data::history::{History, Pool};
/// let councils: Vec<AreaLevels> = (0..10)
///     .map(|k| AreaLevels {
///         area: format!("C{k}"),
///         levels: (2010..=2022)
///             .map(|y| (y, 100.0 * (0.1 * (y - 2010) as f64 + 0.03 * ((y * 7 + k * 3) % 5) as f64).exp()))
///             .collect(),
///     })
///     .collect();
/// let mut text = String::from("series,year,value\n");
/// for (i, v) in [100.0, 110.0, 119.0, 131.0, 142.0, 158.0, 171.0].iter().enumerate() {
///     text.push_str(&format!("caseload,{},{v}\n", 2015 + i));
/// }
/// let h = History::from_csv_str(&text, "h.csv")?;
/// let pool = Pool::new(councils, &[(None, &h.series[0])]);
/// let settings = BacktestSettings { paths: 500, ..Default::default() };
/// let b = backtest_with(&h.series[0], &settings, 0, Model::Pooled { pool: &pool, code: None })?;
/// assert_eq!(b.model, "pooled");
/// assert!(b.summary[0].crps > 0.0);
/// # Ok::<(), dsg_analysis::AnalysisError>(())
/// ```
pub fn backtest_with(
    series: &Series,
    settings: &BacktestSettings,
    stream: u64,
    model: Model<'_>,
) -> Result<Backtest, AnalysisError> {
    let points = &series.points;
    let unit = match model {
        Model::Pooled { .. } => unit_quantiles(settings.paths),
        Model::OneSeries => Vec::new(),
    };
    let mut scored = Vec::new();
    let mut fans = Vec::new();
    let mut notes = Vec::new();
    for (i, origin) in points.iter().enumerate() {
        let Ok(f) = fit(series, Some(origin.year)) else {
            continue;
        };
        if f.growths < settings.min_growths {
            continue;
        }
        let targets = targets(points, i, settings.horizons, &mut notes);
        if targets.is_empty() {
            continue;
        }
        let fc = match model {
            Model::OneSeries => forecast(
                &f,
                &ForecastSettings {
                    paths: settings.paths,
                    horizon: settings.horizons,
                    seed: settings.seed,
                    stream: stream * 10_000 + i as u64,
                    uncertainty: settings.uncertainty,
                },
            ),
            Model::Pooled { pool, code } => {
                match pooled_levels(pool, code, origin.year, settings.horizons, &unit) {
                    Some(fc) => fc,
                    None => continue,
                }
            }
        };
        let last = f.last_growth.unwrap_or(f.mean);
        let reach = points
            .iter()
            .skip(i + 1)
            .find(|p| p.break_before)
            .map_or(settings.horizons, |p| {
                ((p.year - origin.year - 1).max(0) as usize).min(settings.horizons)
            });
        fans.push(Fan {
            origin: (origin.year, origin.value),
            // Not drawn across a series break: the level re-bases there.
            bands: (1..=reach)
                .map(|h| {
                    let s = &fc.levels[h - 1];
                    (
                        origin.year + h as i32,
                        [0.05, 0.25, 0.5, 0.75, 0.95].map(|p| sorted_quantile(s, p)),
                    )
                })
                .collect(),
        });
        for (h, p) in targets {
            let s = &fc.levels[h - 1];
            let quantiles = QUANTILES.map(|q| sorted_quantile(s, q));
            scored.push(Scored {
                series: series.name.clone(),
                origin: origin.label.clone(),
                horizon: h,
                year: p.label.clone(),
                actual: p.value,
                quantiles,
                pit: pit_sorted(s, p.value),
                crps: crps_sorted(s, p.value),
                covered: LEVELS.map(|l| covers(s, l, p.value)),
                dfe_accuracy: dfe_accuracy(quantiles[3], p.value),
                last_growth: origin.value * (h as f64 * last).exp(),
                mean_growth: origin.value * (h as f64 * f.mean).exp(),
            });
        }
    }
    notes.dedup();
    if scored.is_empty() {
        return Err(AnalysisError::Setting(format!(
            "series `{}`: no forecast could be scored (each origin needs at least {} growths before it and a later value within {} years, not across a break)",
            series.name, settings.min_growths, settings.horizons
        )));
    }
    let mut summary = vec![aggregate(&scored, 0)];
    for h in 1..=settings.horizons {
        let of_h: Vec<Scored> = scored.iter().filter(|s| s.horizon == h).cloned().collect();
        if !of_h.is_empty() {
            summary.push(aggregate(&of_h, h));
        }
    }
    Ok(Backtest {
        model: model.name(),
        series: series.name.clone(),
        area: series.area.clone(),
        settings: *settings,
        scored,
        summary,
        fans,
        actuals: points
            .iter()
            .map(|p| (p.year, p.value, p.break_before))
            .collect(),
        notes,
    })
}

/// The targets of the forecast from `points[i]`: (horizon, point) reachable without a break or
/// a gap, up to `horizons` years; a note for a break that stops them.
fn targets<'a>(
    points: &'a [Point],
    i: usize,
    horizons: usize,
    notes: &mut Vec<String>,
) -> Vec<(usize, &'a Point)> {
    let origin = &points[i];
    let mut targets = Vec::new();
    for (j, p) in points.iter().enumerate().skip(i + 1) {
        let h = (p.year - origin.year) as usize;
        if h > horizons || p.break_before || h != j - i {
            if p.break_before && h <= horizons {
                notes.push(format!(
                    "from {}: targets from {} on are across the series break and not scored",
                    origin.label, p.label
                ));
            }
            break;
        }
        targets.push((h, p));
    }
    targets
}

/// Aggregates scored forecasts (`horizon` 0 for all).
pub fn aggregate(scored: &[Scored], horizon: usize) -> Aggregate {
    let n = scored.len().max(1) as f64;
    let mean = |f: &dyn Fn(&Scored) -> f64| scored.iter().map(f).sum::<f64>() / n;
    let coverage = [0, 1, 2].map(|k| mean(&|s| f64::from(u8::from(s.covered[k]))));
    let crps = mean(&|s| s.crps);
    let crps_last_growth = mean(&|s| (s.last_growth - s.actual).abs());
    let crps_mean_growth = mean(&|s| (s.mean_growth - s.actual).abs());
    let pits: Vec<f64> = scored.iter().map(|s| s.pit).collect();
    Aggregate {
        horizon,
        forecasts: scored.len(),
        coverage,
        coverage_se: LEVELS.map(|l| (l * (1.0 - l) / n).sqrt()),
        crps,
        crps_last_growth,
        crps_mean_growth,
        skill_last_growth: skill(crps, crps_last_growth),
        skill_mean_growth: skill(crps, crps_mean_growth),
        dfe_accuracy: mean(&|s| s.dfe_accuracy),
        pit_histogram: pit_histogram(&pits, 10),
    }
}

/// The scores of one series pooled over areas: every area's forecasts taken together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pooled {
    /// The series.
    pub series: String,
    /// The areas whose forecasts are pooled.
    pub areas: usize,
    /// All horizons together, then each horizon with forecasts (as [`Backtest::summary`]).
    pub summary: Vec<Aggregate>,
    /// The mean PIT value over all horizons (0.5 for a forecast centred on the outcomes).
    pub mean_pit: f64,
    /// The share of outcomes below the forecast's P10 (0.1 when calibrated).
    pub below_p10: f64,
    /// The share of outcomes above the forecast's P90 (0.1 when calibrated).
    pub above_p90: f64,
}

/// Pools backtests by series over their areas, series in the order they first appear.
///
/// The CRPS is in the series' units, so its pooled mean weighs large areas more; coverage, the
/// PIT and the shares outside P10-P90 weigh each forecast alike.
///
/// ```
/// use dsg_analysis::backtest::{BacktestSettings, backtest, pool};
/// let mut text = String::from("area,series,year,value\n");
/// for (area, k) in [("A", 1.0), ("B", 3.0)] {
///     for (i, v) in [100.0, 110.0, 119.0, 131.0, 142.0, 158.0, 171.0].iter().enumerate() {
///         text.push_str(&format!("{area},caseload,{},{}\n", 2015 + i, v * k));
///     }
/// }
/// let h = dsg_data::history::History::from_csv_str(&text, "h.csv")?;
/// let settings = BacktestSettings { paths: 500, ..Default::default() };
/// let b: Vec<_> = h.series.iter().enumerate().map(|(i, s)| backtest(s, &settings, i as u64)).collect::<Result<_, _>>()?;
/// let p = pool(&b);
/// assert_eq!((p[0].areas, p[0].summary[0].forecasts), (2, b[0].scored.len() + b[1].scored.len()));
/// # Ok::<(), dsg_analysis::AnalysisError>(())
/// ```
pub fn pool(backtests: &[Backtest]) -> Vec<Pooled> {
    let mut names: Vec<&str> = Vec::new();
    for b in backtests {
        if !names.contains(&b.series.as_str()) {
            names.push(&b.series);
        }
    }
    names
        .into_iter()
        .map(|name| {
            let of: Vec<&Backtest> = backtests.iter().filter(|b| b.series == name).collect();
            let scored: Vec<Scored> = of.iter().flat_map(|b| b.scored.iter().cloned()).collect();
            let horizons = of.iter().map(|b| b.settings.horizons).max().unwrap_or(0);
            let mut summary = vec![aggregate(&scored, 0)];
            for h in 1..=horizons {
                let of_h: Vec<Scored> = scored.iter().filter(|s| s.horizon == h).cloned().collect();
                if !of_h.is_empty() {
                    summary.push(aggregate(&of_h, h));
                }
            }
            let n = scored.len().max(1) as f64;
            let share =
                |f: &dyn Fn(&Scored) -> bool| scored.iter().filter(|s| f(s)).count() as f64 / n;
            Pooled {
                series: name.to_string(),
                areas: of.len(),
                summary,
                mean_pit: scored.iter().map(|s| s.pit).sum::<f64>() / n,
                below_p10: share(&|s| s.actual < s.quantiles[1]),
                above_p90: share(&|s| s.actual > s.quantiles[5]),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use dsg_data::history::{Point, Series};
    use rand::SeedableRng;
    use rand_distr::{Distribution, StandardNormal};
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn simulated(n: usize, mu: f64, sigma: f64, rng: &mut Xoshiro256PlusPlus) -> Series {
        let mut level = 1000.0;
        let points = (0..n)
            .map(|i| {
                if i > 0 {
                    let z: f64 = StandardNormal.sample(rng);
                    level *= (mu + sigma * z).exp();
                }
                Point {
                    year: 2010 + i as i32,
                    label: (2010 + i).to_string(),
                    value: level,
                    break_before: false,
                    line: i + 2,
                }
            })
            .collect();
        Series {
            name: "caseload".into(),
            area: None,
            points,
            sources: vec![],
        }
    }

    #[test]
    fn calibrated_when_the_model_is_right() {
        // Data simulated from the model itself (independent normal log growth): the 80%
        // intervals cover about 80%. Forecasts from one series share data, so the binomial error
        // is taken on the number of series (conservative).
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let settings = BacktestSettings {
            paths: 1_000,
            ..Default::default()
        };
        let reps = 300;
        let mut all = Vec::new();
        for r in 0..reps {
            let s = simulated(12, 0.08, 0.03, &mut rng);
            all.extend(backtest(&s, &settings, r).unwrap().scored);
        }
        let a = aggregate(&all, 0);
        let se = (0.8 * 0.2 / reps as f64).sqrt();
        assert!(
            (a.coverage[1] - 0.8).abs() < 3.0 * se,
            "80%: {}",
            a.coverage[1]
        );
        assert!(
            (a.coverage[2] - 0.9).abs() < 3.0 * (0.09 / reps as f64).sqrt(),
            "90%: {}",
            a.coverage[2]
        );
        // Plug-in forecasts from the same data are too narrow.
        let plug = BacktestSettings {
            uncertainty: Uncertainty::PlugIn,
            ..settings
        };
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut narrow = Vec::new();
        for r in 0..reps {
            let s = simulated(12, 0.08, 0.03, &mut rng);
            narrow.extend(backtest(&s, &plug, r).unwrap().scored);
        }
        assert!(aggregate(&narrow, 0).coverage[1] < a.coverage[1]);
    }

    #[test]
    fn pooled_scores_count_every_area_once() {
        // Two areas: the pooled counts are the sums, the shares their weighted means.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let settings = BacktestSettings {
            paths: 300,
            ..Default::default()
        };
        let mut b = Vec::new();
        for (i, area) in ["A", "B"].iter().enumerate() {
            let mut s = simulated(10, 0.05, 0.02, &mut rng);
            s.area = Some((*area).to_string());
            b.push(backtest(&s, &settings, i as u64).unwrap());
        }
        let p = pool(&b);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].areas, 2);
        let n = b[0].scored.len() + b[1].scored.len();
        assert_eq!(p[0].summary[0].forecasts, n);
        let covered: usize = b
            .iter()
            .flat_map(|x| &x.scored)
            .filter(|s| s.covered[1])
            .count();
        assert_eq!(p[0].summary[0].coverage[1], covered as f64 / n as f64);
        let outside = p[0].below_p10 + p[0].above_p90;
        assert!((outside - (1.0 - p[0].summary[0].coverage[1])).abs() < 1e-12);
        assert_eq!(b[0].area.as_deref(), Some("A"));
    }

    #[test]
    fn breaks_are_not_crossed() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut s = simulated(10, 0.1, 0.02, &mut rng);
        s.points[6].break_before = true;
        let b = backtest(
            &s,
            &BacktestSettings {
                paths: 200,
                ..Default::default()
            },
            0,
        )
        .unwrap();
        for sc in &b.scored {
            let (o, y): (i32, i32) = (sc.origin.parse().unwrap(), sc.year.parse().unwrap());
            assert!(!(o < 2016 && y >= 2016), "{o} -> {y} crosses the break");
        }
        assert!(
            b.notes
                .iter()
                .any(|n| n.contains("across the series break"))
        );
    }
}
