//! The rolling-origin evaluation of the pooled model over a panel (docs/model.md section 12;
//! docs/forecast-evaluation.md): at each origin the model is fitted on the years up to it only,
//! each council's level 1..H years ahead is forecast, and the outcomes are scored.

use std::collections::BTreeMap;

use super::pooled::{AreaLevels, CouncilFit, LogForecast, PooledFit, PooledSettings};
use crate::DataError;

/// Scores of a set of forecasts.
///
/// ```
/// let s = dsg_data::growth::Scores::default();
/// assert_eq!(s.forecasts, 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// Forecasts scored.
    pub forecasts: usize,
    /// Shares of outcomes inside the central 50%, 80% and 90% ranges.
    pub coverage_50: f64,
    /// Inside P10-P90.
    pub coverage_80: f64,
    /// Inside P5-P95.
    pub coverage_90: f64,
    /// Below P5.
    pub below_p5: f64,
    /// Below P10.
    pub below_p10: f64,
    /// Above P90.
    pub above_p90: f64,
    /// Above P95.
    pub above_p95: f64,
    /// Mean probability integral transform (0.5 when unbiased).
    pub mean_pit: f64,
    /// PIT histogram: shares in ten bins of width 0.1 (each 0.1 when calibrated).
    pub pit_histogram: [f64; 10],
    /// Mean CRPS of the log level (about the relative error: 0.05 is about 5% of the outcome,
    /// so every council weighs alike).
    pub crps: f64,
    /// Mean absolute log error of the last growth carried forward (its CRPS).
    pub crps_last_growth: f64,
    /// Mean absolute log error of the council's mean growth carried forward.
    pub crps_mean_growth: f64,
}

impl Scores {
    /// CRPS skill against the last growth carried forward: 1 - CRPS / CRPS(last growth).
    pub fn skill_last_growth(&self) -> f64 {
        1.0 - self.crps / self.crps_last_growth
    }
    /// CRPS skill against the mean growth carried forward.
    pub fn skill_mean_growth(&self) -> f64 {
        1.0 - self.crps / self.crps_mean_growth
    }
}

/// One scored forecast.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    /// Origin year.
    pub origin: i32,
    /// Years ahead.
    pub horizon: u32,
    /// Probability integral transform of the outcome.
    pub pit: f64,
    /// CRPS of the log level.
    pub crps: f64,
    /// Absolute log error of the last growth carried forward.
    pub error_last_growth: f64,
    /// Absolute log error of the mean growth carried forward.
    pub error_mean_growth: f64,
}

/// An evaluation: every forecast, and their scores pooled, by horizon and by origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Every forecast scored, with its area.
    pub forecasts: Vec<(String, Scored)>,
    /// All pooled.
    pub pooled: Scores,
    /// By horizon.
    pub by_horizon: BTreeMap<u32, Scores>,
    /// By origin.
    pub by_origin: BTreeMap<i32, Scores>,
}

/// The central ranges a reliability diagram shows: 10% to 90% in steps of 10, and 95%.
pub const RELIABILITY_RANGES: [f64; 10] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

/// The reliability of a set of forecasts: for each central range in [`RELIABILITY_RANGES`]
/// (stated coverage p: from P(50 - 100p/2) to P(50 + 100p/2)), the share of outcomes inside.
///
/// ```
/// let pits: Vec<f64> = (0..1000).map(|i| (i as f64 + 0.5) / 1000.0).collect();
/// let r = dsg_data::growth::reliability(&pits);
/// assert!(r.iter().all(|(stated, observed)| (stated - observed).abs() < 0.002));
/// ```
pub fn reliability(pits: &[f64]) -> Vec<(f64, f64)> {
    let n = pits.len().max(1) as f64;
    RELIABILITY_RANGES
        .iter()
        .map(|&p| {
            let (lo, hi) = (0.5 - p / 2.0, 0.5 + p / 2.0);
            let inside = pits.iter().filter(|x| (lo..=hi).contains(*x)).count();
            (p, inside as f64 / n)
        })
        .collect()
}

/// Scores a set of forecasts.
pub fn score(forecasts: &[Scored]) -> Scores {
    let n = forecasts.len();
    if n == 0 {
        return Scores::default();
    }
    let share =
        |f: &dyn Fn(&Scored) -> bool| forecasts.iter().filter(|s| f(s)).count() as f64 / n as f64;
    let mean = |f: &dyn Fn(&Scored) -> f64| forecasts.iter().map(f).sum::<f64>() / n as f64;
    let mut hist = [0.0; 10];
    for s in forecasts {
        let bin = ((s.pit * 10.0) as usize).min(9);
        hist[bin] += 1.0 / n as f64;
    }
    Scores {
        forecasts: n,
        coverage_50: share(&|s| (0.25..=0.75).contains(&s.pit)),
        coverage_80: share(&|s| (0.1..=0.9).contains(&s.pit)),
        coverage_90: share(&|s| (0.05..=0.95).contains(&s.pit)),
        below_p5: share(&|s| s.pit < 0.05),
        below_p10: share(&|s| s.pit < 0.1),
        above_p90: share(&|s| s.pit > 0.9),
        above_p95: share(&|s| s.pit > 0.95),
        mean_pit: mean(&|s| s.pit),
        pit_histogram: hist,
        crps: mean(&|s| s.crps),
        crps_last_growth: mean(&|s| s.error_last_growth),
        crps_mean_growth: mean(&|s| s.error_mean_growth),
    }
}

/// Evaluates the pooled model on `areas` at each origin, horizons 1..=`horizons`: a council is
/// forecast from an origin when it has a level that year and at least one growth before it, and
/// scored where the outcome is published.
///
/// # Errors
/// What [`PooledFit::fit`] returns at an origin with too little data.
///
/// ```
/// use dsg_data::growth::{AreaLevels, PooledSettings, evaluate};
/// let area = |a: &str, g: f64| AreaLevels {
///     area: a.into(),
///     levels: (2012..=2020).map(|y| (y, 100.0 * (g * (y - 2012) as f64 + 0.02 * ((y * 7) % 5) as f64).exp())).collect(),
/// };
/// let e = evaluate(&[area("A", 0.08), area("B", 0.12), area("C", 0.1)], &[2016, 2017], 2, PooledSettings::default())?;
/// assert_eq!(e.pooled.forecasts, 12);
/// # Ok::<(), dsg_data::DataError>(())
/// ```
pub fn evaluate(
    areas: &[AreaLevels],
    origins: &[i32],
    horizons: u32,
    settings: PooledSettings,
) -> Result<Evaluation, DataError> {
    let levels: BTreeMap<&str, BTreeMap<i32, f64>> = areas
        .iter()
        .map(|a| (a.area.as_str(), a.levels.iter().copied().collect()))
        .collect();
    let mut all = Vec::new();
    for &origin in origins {
        let fit = PooledFit::fit(areas, origin, settings)?;
        for council in &fit.councils {
            if let Some(series) = levels.get(council.area.as_str()) {
                let scored = score_series(&fit, council, series, horizons);
                all.extend(scored.into_iter().map(|s| (council.area.clone(), s)));
            }
        }
    }
    Ok(Evaluation::from_forecasts(all))
}

/// Evaluates the model's forecast of a total that follows the panel's growth (England's count:
/// the panel's growth with no council deviation of its own), fitted on `areas` at each origin.
///
/// # Errors
/// What [`PooledFit::fit`] returns at an origin with too little data.
///
/// ```
/// use dsg_data::growth::{AreaLevels, PooledSettings, evaluate_total};
/// let area = |a: &str, g: f64| AreaLevels {
///     area: a.into(),
///     levels: (2012..=2020).map(|y| (y, 100.0 * (g * (y - 2012) as f64 + 0.02 * ((y * 7) % 5) as f64).exp())).collect(),
/// };
/// let areas = [area("A", 0.08), area("B", 0.12), area("C", 0.1)];
/// let total = area("T", 0.1);
/// let e = evaluate_total(&total, &areas, &[2016, 2017], 2, PooledSettings::default())?;
/// assert_eq!(e.pooled.forecasts, 4);
/// # Ok::<(), dsg_data::DataError>(())
/// ```
pub fn evaluate_total(
    total: &AreaLevels,
    areas: &[AreaLevels],
    origins: &[i32],
    horizons: u32,
    settings: PooledSettings,
) -> Result<Evaluation, DataError> {
    let series: BTreeMap<i32, f64> = total.levels.iter().copied().collect();
    let mut all = Vec::new();
    for &origin in origins {
        let fit = PooledFit::fit(areas, origin, settings)?;
        let Some(last) = series.range(..=origin).next_back().map(|(y, v)| (*y, *v)) else {
            continue;
        };
        let council = fit.follower(&total.area, last);
        let scored = score_series(&fit, &council, &series, horizons);
        all.extend(scored.into_iter().map(|s| (total.area.clone(), s)));
    }
    Ok(Evaluation::from_forecasts(all))
}

/// One series' forecasts from `fit`'s origin, scored against its published outcomes, with the
/// naive forecasts (its last and its mean growth since the model's first year carried forward).
fn score_series(
    fit: &PooledFit,
    council: &CouncilFit,
    series: &BTreeMap<i32, f64>,
    horizons: u32,
) -> Vec<Scored> {
    if council.last.0 != fit.origin {
        return Vec::new();
    }
    score_outcomes(
        fit.origin,
        fit.settings.first_year,
        series,
        horizons,
        &|h| Some(fit.forecast(council, h)),
    )
}

/// A series' forecasts `forecast(h)` from `origin`, h = 1..=`horizons`, scored where the outcome
/// is published, with the naive forecasts of the series itself: its last and its mean growth
/// since `first_year` carried forward from its level at the origin. None where the series has no
/// level at the origin or no growth before it; a horizon is skipped where `forecast` gives None
/// or the outcome is not published.
pub(crate) fn score_outcomes(
    origin: i32,
    first_year: i32,
    series: &BTreeMap<i32, f64>,
    horizons: u32,
    forecast: &dyn Fn(u32) -> Option<LogForecast>,
) -> Vec<Scored> {
    let Some(y0) = series.get(&origin).map(|v| v.ln()) else {
        return Vec::new();
    };
    let own: Vec<f64> = series
        .range(first_year..=origin)
        .filter_map(|(y, v)| series.get(&(y - 1)).map(|b| (v / b).ln()))
        .collect();
    let Some(&last_growth) = own.last() else {
        return Vec::new();
    };
    let mean_growth = own.iter().sum::<f64>() / own.len() as f64;
    (1..=horizons)
        .filter_map(|h| {
            let outcome = *series.get(&(origin + h as i32))?;
            let f = forecast(h)?;
            let (hf, y) = (f64::from(h), outcome.ln());
            Some(Scored {
                origin,
                horizon: h,
                pit: f.cdf(outcome),
                crps: f.crps_log(outcome),
                error_last_growth: (y0 + hf * last_growth - y).abs(),
                error_mean_growth: (y0 + hf * mean_growth - y).abs(),
            })
        })
        .collect()
}

impl Evaluation {
    /// Scores `all` (area, forecast) pooled, by horizon and by origin (for example a subset of
    /// another evaluation's forecasts).
    ///
    /// ```
    /// use dsg_data::growth::{Evaluation, Scored};
    /// let s = |origin, horizon, pit| Scored { origin, horizon, pit, crps: 0.1, error_last_growth: 0.2, error_mean_growth: 0.2 };
    /// let e = Evaluation::from_forecasts(vec![("A".into(), s(2020, 1, 0.5)), ("A".into(), s(2020, 2, 0.95))]);
    /// assert_eq!(e.by_horizon.len(), 2);
    /// assert_eq!(e.pooled.coverage_80, 0.5);
    /// ```
    pub fn from_forecasts(all: Vec<(String, Scored)>) -> Evaluation {
        let only: Vec<Scored> = all.iter().map(|(_, s)| *s).collect();
        let mut by_horizon: BTreeMap<u32, Vec<Scored>> = BTreeMap::new();
        let mut by_origin: BTreeMap<i32, Vec<Scored>> = BTreeMap::new();
        for s in &only {
            by_horizon.entry(s.horizon).or_default().push(*s);
            by_origin.entry(s.origin).or_default().push(*s);
        }
        Evaluation {
            pooled: score(&only),
            forecasts: all,
            by_horizon: by_horizon
                .into_iter()
                .map(|(h, v)| (h, score(&v)))
                .collect(),
            by_origin: by_origin.into_iter().map(|(o, v)| (o, score(&v))).collect(),
        }
    }
}
