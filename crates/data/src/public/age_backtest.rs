//! The rolling-origin evaluation of the forecast by age band (issue 28; docs/forecast-evaluation.md,
//! "By age band"), made as the product makes it: at each origin T the band leaving rates are
//! fitted as `dsg init --la` fits them for a scenario opening at T (the rates that hold the
//! council's age mix at T, docs/model.md section 14), each council's bands are projected with the
//! model's ageing arithmetic, and a band's forecast is its projected share of the plans times the
//! pooled model's forecast of the count of all plans, fitted up to T. Net growth multiplies every
//! band by the same factor, so a band's log level is the total's shifted by the log of its share:
//! the same Student's t, no uncertainty of its own in the share.

use std::collections::BTreeMap;

use super::{
    AGE_BAND_AGEING, AGE_BAND_NAMES, AGE_BANDS, Level, Panel, age_figures, project_bands,
    written_rate,
};
use crate::DataError;
use crate::growth::{
    AreaLevels, Evaluation, LogForecast, PooledFit, PooledSettings, Scored,
    evaluate::score_outcomes,
};

/// The series whose forecast the bands share: the count of all plans.
const TOTAL: &str = "caseload";

/// One band's evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct BandEvaluation {
    /// The panel's series (`caseload.age.under_5`, ...).
    pub series: &'static str,
    /// The band as a scenario writes it (`0-4`, ...).
    pub name: &'static str,
    /// Its forecasts scored, pooled, by horizon and by origin.
    pub evaluation: Evaluation,
    /// The same forecasts with the band's share held at the origin's directly (no ageing, no
    /// leaving rates): what the projection with the held rates gives but for the rates' rounding
    /// to four decimals and their bounds of -5 and 5.
    pub held: Evaluation,
    /// Forecasts not scored because the band was projected to hold no plans (its log is not
    /// defined) while its outcome was published.
    pub projected_empty: usize,
}

/// The evaluation by age band: one per band, youngest first, and how far the product's own
/// total strays from the pooled model's.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeEvaluation {
    /// Each band's evaluation.
    pub bands: Vec<BandEvaluation>,
    /// By horizon: the mean absolute and the largest absolute log of the ratio of the projected bands'
    /// sum to the opening count, over every council and origin projected. The product's bands,
    /// multiplied by the total's growth without being scaled back, add up to the pooled forecast
    /// times this ratio (the shares scored here add up to 1); the held rates conserve the total,
    /// so it is about 0 but for their rounding.
    pub total_drift: BTreeMap<u32, (f64, f64)>,
    /// Councils and origins whose bands were projected.
    pub projected: usize,
}

/// One council's published bands: the panel's rows of the five band series (for the rates'
/// fit) and each band's positive counts by year (for the outcomes and the naive forecasts).
struct CouncilBands {
    rows: Panel,
    levels: [BTreeMap<i32, f64>; 5],
}

/// Every local authority's bands in `panel`.
fn council_bands(panel: &Panel) -> BTreeMap<&str, CouncilBands> {
    let mut out: BTreeMap<&str, CouncilBands> = BTreeMap::new();
    for r in &panel.rows {
        let Some(k) = AGE_BANDS.iter().position(|s| *s == r.series) else {
            continue;
        };
        if r.area.level != Level::La {
            continue;
        }
        let c = out
            .entry(r.area.code.as_str())
            .or_insert_with(|| CouncilBands {
                rows: Panel::default(),
                levels: Default::default(),
            });
        c.rows.rows.push(r.clone());
        if let Some(v) = r.value.number().filter(|v| *v > 0.0) {
            c.levels[k].insert(r.year, v);
        }
    }
    out
}

/// Each band's share of the plans 1..=`horizons` years ahead, as the product projects a
/// council's five bands from `counts` (plans by band at the opening January, youngest first)
/// with the net leaving rates `leaving` as `[ages]` writes them (within -5 to 5, to 4 decimals;
/// none: ageing alone), and the log of the ratio of the projected bands' sum to the opening
/// count, each year.
///
/// ```
/// use dsg_data::public::age_shares;
/// // A steady state: the rates fitted from a year to the same counts keep the shares.
/// let counts = [100.0, 120.0, 100.0, 80.0, 120.0];
/// let rates = dsg_data::public::fit_leaving(&counts, &counts);
/// let (shares, drift) = age_shares(&counts, rates, 3);
/// assert!((shares[2][1] - 120.0 / 520.0).abs() < 1e-4);
/// assert!(drift[2].abs() < 1e-4);
/// ```
pub fn age_shares(
    counts: &[f64; 5],
    leaving: Option<[f64; 5]>,
    horizons: u32,
) -> (Vec<[f64; 5]>, Vec<f64>) {
    let rates = leaving.unwrap_or([0.0; 5]).map(written_rate);
    let opening: f64 = counts.iter().sum();
    let path = project_bands(counts, &AGE_BAND_AGEING, &rates, horizons);
    let mut shares = Vec::with_capacity(path.len());
    let mut drift = Vec::with_capacity(path.len());
    for year in &path {
        let sum: f64 = year.iter().sum();
        let mut s = [0.0; 5];
        for (k, v) in year.iter().enumerate().take(5) {
            s[k] = if sum > 0.0 { v / sum } else { 0.0 };
        }
        shares.push(s);
        drift.push(if sum > 0.0 && opening > 0.0 {
            (sum / opening).ln()
        } else {
            0.0
        });
    }
    (shares, drift)
}

/// A band's forecast: the total's log-level forecast shifted by the log of the band's share
/// (None for a share not above 0). Its quantiles are the total's times the share, so the bands'
/// quantiles add up to the total's when their shares add up to 1.
///
/// ```
/// use dsg_data::growth::LogForecast;
/// use dsg_data::public::band_forecast;
/// let total = LogForecast { mean_log: 1000f64.ln(), sd_log: 0.1, df: 5.0 };
/// let band = band_forecast(&total, 0.25).unwrap();
/// assert!((band.median() - 250.0).abs() < 1e-9);
/// assert!((band.quantile(0.9) - 0.25 * total.quantile(0.9)).abs() < 1e-9);
/// assert!(band_forecast(&total, 0.0).is_none());
/// ```
pub fn band_forecast(total: &LogForecast, share: f64) -> Option<LogForecast> {
    (share > 0.0 && share.is_finite()).then(|| LogForecast {
        mean_log: total.mean_log + share.ln(),
        ..*total
    })
}

/// A council's band shares from `origin` (see [`age_shares`]), with the rates `dsg init --la`
/// fits for a scenario opening that January: None unless all five bands are published then.
/// Returns the opening shares too.
fn shares(c: &CouncilBands, origin: i32, horizons: u32) -> Option<Opening> {
    let area = &c.rows.rows.first()?.area;
    let figures = age_figures(&c.rows, area, origin)?;
    if figures.year != origin {
        return None;
    }
    let total: f64 = figures.counts.iter().sum();
    let (shares, drift) = age_shares(&figures.counts, figures.leaving, horizons);
    Some((figures.counts.map(|c| c / total), shares, drift))
}

/// A council's opening shares, projected shares and drift of the projected sum (see
/// [`age_shares`]).
type Opening = ([f64; 5], Vec<[f64; 5]>, Vec<f64>);

/// Evaluates the forecast of each council's plans by age band on `panel` at each origin,
/// horizons 1..=`horizons`: the pooled model is fitted on every council's count of all plans up
/// to the origin ([`PooledFit::fit`]), and a council is forecast from an origin when the model
/// forecasts it from there (a count that January and a growth before it) and all five of its
/// bands are published that January. A band's forecast is its projected share (see the module
/// notes) times the total's forecast, scored where the band's outcome is published, against
/// the naive forecasts of the band itself (its last and its mean growth since the model's first
/// year carried forward). A band with no plans at the origin or projected to none is not scored
/// (its log is not defined). No bands are published for January 2023, so origin 2023 and
/// outcomes in 2023 are skipped.
///
/// # Errors
/// What [`PooledFit::fit`] returns at an origin with too little data.
///
/// ```
/// use dsg_data::growth::PooledSettings;
/// use dsg_data::public::evaluate_by_age;
/// let panel = dsg_data::public::Panel::shipped()?;
/// let e = evaluate_by_age(panel, &[2019], 2, PooledSettings::default())?;
/// assert_eq!(e.bands.len(), 5);
/// assert_eq!(e.bands[0].name, "0-4");
/// // From January 2019: outcomes in 2020 and 2021 for about 150 councils.
/// let under_5 = &e.bands[0].evaluation;
/// assert!(under_5.by_horizon[&1].forecasts > 140);
/// // 11-15: a large, steady band; even so its 90% ranges hold less than 90% of the outcomes.
/// let (lo, hi) = (0.6, 0.9);
/// assert!((lo..hi).contains(&e.bands[2].evaluation.pooled.coverage_90));
/// # Ok::<(), dsg_data::DataError>(())
/// ```
pub fn evaluate_by_age(
    panel: &Panel,
    origins: &[i32],
    horizons: u32,
    settings: PooledSettings,
) -> Result<AgeEvaluation, DataError> {
    let areas: Vec<AreaLevels> = panel.levels(TOTAL);
    let bands = council_bands(panel);
    let mut out: [Band; 5] = Default::default();
    let mut drift: BTreeMap<u32, Vec<f64>> = BTreeMap::new();
    let mut projected = 0;
    for &origin in origins {
        let fit = PooledFit::fit(&areas, origin, settings)?;
        for council in fit.councils.iter().filter(|c| c.last.0 == origin) {
            let Some(c) = bands.get(council.area.as_str()) else {
                continue;
            };
            let Some((opening, shares, ratios)) = shares(c, origin, horizons) else {
                continue;
            };
            projected += 1;
            for (h, r) in (1..).zip(&ratios) {
                drift.entry(h).or_default().push(*r);
            }
            for (k, band) in out.iter_mut().enumerate() {
                let share = |h: u32| shares.get(h as usize - 1).map_or(0.0, |s| s[k]);
                let forecast = |h: u32| band_forecast(&fit.forecast(council, h), share(h));
                // The benchmark on the same forecasts: the opening share held.
                let held = |h: u32| {
                    (share(h) > 0.0)
                        .then(|| band_forecast(&fit.forecast(council, h), opening[k]))?
                };
                let series = &c.levels[k];
                let area = &council.area;
                let scored =
                    score_outcomes(origin, settings.first_year, series, horizons, &forecast);
                band.scored
                    .extend(scored.into_iter().map(|s| (area.clone(), s)));
                let scored = score_outcomes(origin, settings.first_year, series, horizons, &held);
                band.held
                    .extend(scored.into_iter().map(|s| (area.clone(), s)));
                if series.contains_key(&origin) {
                    band.empty += (1..=horizons)
                        .filter(|h| share(*h) <= 0.0 && series.contains_key(&(origin + *h as i32)))
                        .count();
                }
            }
        }
    }
    let bands = out
        .into_iter()
        .enumerate()
        .map(|(k, b)| BandEvaluation {
            series: AGE_BANDS[k],
            name: AGE_BAND_NAMES[k],
            evaluation: Evaluation::from_forecasts(b.scored),
            held: Evaluation::from_forecasts(b.held),
            projected_empty: b.empty,
        })
        .collect();
    let total_drift = drift
        .into_iter()
        .map(|(h, v)| {
            let mean = v.iter().map(|x| x.abs()).sum::<f64>() / v.len().max(1) as f64;
            let largest = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            (h, (mean, largest))
        })
        .collect();
    Ok(AgeEvaluation {
        bands,
        total_drift,
        projected,
    })
}

/// One band's scored forecasts while the evaluation runs.
#[derive(Default)]
struct Band {
    scored: Vec<(String, Scored)>,
    held: Vec<(String, Scored)>,
    empty: usize,
}
