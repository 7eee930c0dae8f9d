//! The growth model fitted to one series, with the uncertainty of its parameters.
//!
//! Log growth g_t = ln(y_t / y_{t-1}) has mean `mu` and standard deviation `sigma`; deviations
//! from the mean may follow an AR(1) with coefficient `phi` (either sign, |phi| < 1). A growth
//! across a series break, or across a missing year, is not used: the level re-bases there.
//!
//! Estimates: `mu` the mean of the growths used (n of them), `sigma` their sample standard
//! deviation (n - 1 degrees of freedom), `phi` the lag-one autocorrelation of the deviations over
//! pairs of consecutive growths within one unbroken stretch, estimated only with at least
//! [`MIN_LAG_PAIRS`] pairs (else 0, with a note) and kept within +-[`MAX_PERSISTENCE`].
//! Standard errors: `mu`: sigma / sqrt(n), inflated by sqrt((1 + phi) / (1 - phi)) for a positive
//! phi (never deflated: a negative phi fitted from a few points is itself uncertain);
//! `sigma`: sigma / sqrt(2 (n - 1)); `phi`: sqrt((1 - phi^2) / pairs).

use serde::Serialize;

use crate::error::DataError;
use crate::history::read::Series;

/// Fewer points than this (levels used) draws a warning in the fit report.
pub const MIN_POINTS: usize = 6;
/// Persistence is estimated only from at least this many pairs of consecutive growths.
pub const MIN_LAG_PAIRS: usize = 6;
/// The fitted persistence is kept within +-0.95.
pub const MAX_PERSISTENCE: f64 = 0.95;

/// A fitted growth model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrowthFit {
    /// The series.
    pub series: String,
    /// Levels that entered a growth used.
    pub points: usize,
    /// Growths used, n.
    pub growths: usize,
    /// Pairs of consecutive growths used for the persistence.
    pub lag_pairs: usize,
    /// The first and last years used, as written.
    pub first_year: String,
    /// The last year used (the forecast origin), as written.
    pub last_year: String,
    /// The last year used as a number.
    pub origin: i32,
    /// The level in the last year used: forecasts start from it.
    pub last_level: f64,
    /// The growth into the last year, when it was used (it conditions the first forecast year
    /// through the persistence).
    pub last_growth: Option<f64>,
    /// Mean log growth, mu.
    pub mean: f64,
    /// Standard error of `mean`.
    pub mean_se: f64,
    /// Standard deviation of log growth, sigma.
    pub sd: f64,
    /// Standard error of `sd`.
    pub sd_se: f64,
    /// AR(1) coefficient of the deviations (0 when not estimated).
    pub persistence: f64,
    /// Its standard error, when estimated.
    pub persistence_se: Option<f64>,
    /// Years before which the series breaks (growth across not used), as written.
    pub breaks: Vec<String>,
    /// Warnings and notes for the report.
    pub notes: Vec<String>,
}

impl GrowthFit {
    /// Degrees of freedom of `sd`: n - 1.
    pub fn dof(&self) -> usize {
        self.growths.saturating_sub(1)
    }

    /// The factor that inflates the standard error of the mean for positive persistence
    /// (1 otherwise).
    pub fn persistence_factor(phi: f64) -> f64 {
        if phi > 0.0 {
            ((1.0 + phi) / (1.0 - phi)).sqrt()
        } else {
            1.0
        }
    }
}

/// Fits the growth model to `series`, using the points up to and including year `upto` (all of
/// them when `None`): the data a forecast made at that origin could have used.
///
/// ```
/// use dsg_data::history::{History, fit};
/// let h = History::from_csv_str("series,year,value\ncaseload,2020,100\ncaseload,2021,110\ncaseload,2022,121\ncaseload,2023,133.1\n", "h.csv")?;
/// let f = fit(&h.series[0], None)?;
/// assert!((f.mean - 1.1f64.ln()).abs() < 1e-9);
/// assert_eq!(f.growths, 3);
/// assert!(f.notes[0].contains("fewer than 6 points"));
/// # Ok::<(), dsg_data::DataError>(())
/// ```
pub fn fit(series: &Series, upto: Option<i32>) -> Result<GrowthFit, DataError> {
    let points: Vec<_> = series
        .points
        .iter()
        .filter(|p| upto.is_none_or(|o| p.year <= o))
        .collect();
    let too_short = |message: String| DataError::TooShort {
        series: series.name.clone(),
        message,
    };
    let Some(last) = points.last() else {
        return Err(too_short("no points up to the origin".into()));
    };
    // Growths, each with whether the growth before it is its lag-one partner.
    let mut growths: Vec<(f64, bool)> = Vec::new();
    let mut used = vec![false; points.len()];
    let mut breaks = Vec::new();
    let mut gaps = Vec::new();
    let mut previous_used = false;
    for i in 1..points.len() {
        let (a, b) = (points[i - 1], points[i]);
        if b.break_before {
            breaks.push(b.label.clone());
            previous_used = false;
            continue;
        }
        if b.year != a.year + 1 {
            gaps.push(format!("{} to {}", a.label, b.label));
            previous_used = false;
            continue;
        }
        growths.push(((b.value / a.value).ln(), previous_used));
        used[i - 1] = true;
        used[i] = true;
        previous_used = true;
    }
    let n = growths.len();
    if n < 2 {
        return Err(too_short(format!(
            "{n} growth{} up to {} (at least 2 consecutive years' growths, outside breaks, are needed to fit a spread)",
            if n == 1 { "" } else { "s" },
            last.label
        )));
    }
    let nf = n as f64;
    let mean = growths.iter().map(|g| g.0).sum::<f64>() / nf;
    let ss: f64 = growths.iter().map(|g| (g.0 - mean).powi(2)).sum();
    let sd = (ss / (nf - 1.0)).sqrt();
    let pairs: Vec<(f64, f64)> = growths
        .windows(2)
        .filter(|w| w[1].1)
        .map(|w| (w[0].0 - mean, w[1].0 - mean))
        .collect();
    let mut notes = Vec::new();
    let points_used = used.iter().filter(|u| **u).count();
    if points_used < MIN_POINTS {
        notes.push(format!(
            "warning: fewer than {MIN_POINTS} points ({points_used}): the estimates are rough and the forecast range is wide"
        ));
    }
    let (persistence, persistence_se) = if pairs.len() >= MIN_LAG_PAIRS && ss > 0.0 {
        let r = pairs.iter().map(|(a, b)| a * b).sum::<f64>() / ss;
        let phi = r.clamp(-MAX_PERSISTENCE, MAX_PERSISTENCE);
        let se = ((1.0 - phi * phi) / pairs.len() as f64).sqrt();
        (phi, Some(se))
    } else {
        notes.push(format!(
            "persistence not estimated: {} pair{} of consecutive growths (at least {MIN_LAG_PAIRS} needed); years taken as independent",
            pairs.len(),
            if pairs.len() == 1 { "" } else { "s" }
        ));
        (0.0, None)
    };
    for label in &breaks {
        notes.push(format!(
            "series break before {label}: the growth across it is not used (the level re-bases)"
        ));
    }
    for gap in &gaps {
        notes.push(format!(
            "missing years between {gap}: the growth across the gap is not used"
        ));
    }
    let last_growth = growths
        .last()
        .filter(|_| used[points.len() - 1] && !last.break_before)
        .map(|g| g.0);
    let first_used = used.iter().position(|u| *u).unwrap_or(0);
    let fitted = GrowthFit {
        series: series.name.clone(),
        points: points_used,
        growths: n,
        lag_pairs: pairs.len(),
        first_year: points[first_used].label.clone(),
        last_year: last.label.clone(),
        origin: last.year,
        last_level: last.value,
        last_growth,
        mean,
        mean_se: sd / nf.sqrt() * GrowthFit::persistence_factor(persistence),
        sd,
        sd_se: sd / (2.0 * (nf - 1.0)).sqrt(),
        persistence,
        persistence_se,
        breaks,
        notes,
    };
    check_finite(&fitted)?;
    Ok(fitted)
}

/// Refuses a fit with an estimate that is not a finite number: a series read from a file cannot
/// make one (its levels and steps are bounded: see [`crate::history::MAX_LEVEL`] and
/// [`crate::history::MAX_YEAR_ON_YEAR`]), but a series built otherwise could, and nothing
/// non-finite may reach an output.
fn check_finite(f: &GrowthFit) -> Result<(), DataError> {
    let estimates = [
        ("the last level", Some(f.last_level)),
        ("the last growth", f.last_growth),
        ("the mean log growth", Some(f.mean)),
        ("its standard error", Some(f.mean_se)),
        ("the sd of log growth", Some(f.sd)),
        ("its standard error", Some(f.sd_se)),
        ("the persistence", Some(f.persistence)),
        ("its standard error", f.persistence_se),
    ];
    match estimates
        .iter()
        .find(|(_, x)| x.is_some_and(|x| !x.is_finite()))
    {
        Some((what, x)) => Err(DataError::NotFinite {
            series: f.series.clone(),
            message: format!(
                "{what} is {} (the levels are too extreme to fit); not fitted",
                x.unwrap_or_default()
            ),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::read::Point;
    use rand::SeedableRng;
    use rand_distr::{Distribution, StandardNormal};
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// A series whose log growth is AR(1) around `mu` with marginal sd `sigma`.
    pub(crate) fn synthetic(n: usize, mu: f64, sigma: f64, phi: f64, seed: u64) -> Series {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut level = 1000.0;
        let mut e = 0.0;
        let mut points = Vec::new();
        for i in 0..n {
            if i > 0 {
                let z: f64 = StandardNormal.sample(&mut rng);
                e = if i == 1 {
                    sigma * z
                } else {
                    phi * e + (1.0 - phi * phi).sqrt() * sigma * z
                };
                level *= (mu + e).exp();
            }
            points.push(Point {
                year: 2000 + i as i32,
                label: (2000 + i).to_string(),
                value: level,
                break_before: false,
                line: i + 2,
            });
        }
        Series {
            name: "caseload".into(),
            area: None,
            points,
            sources: vec![],
        }
    }

    #[test]
    fn estimates_lie_within_their_standard_errors() {
        // 200 series of 40 points: each estimate within 2 standard errors of the truth in about
        // 95% of series (the persistence's large-sample se is approximate: allow 88%).
        let (mu, sigma, phi) = (0.08, 0.03, 0.4);
        let mut within = [0usize; 3];
        let reps = 200;
        for seed in 0..reps {
            let f = fit(&synthetic(41, mu, sigma, phi, seed), None).unwrap();
            within[0] += usize::from((f.mean - mu).abs() < 2.0 * f.mean_se);
            within[1] += usize::from((f.sd - sigma).abs() < 2.0 * f.sd_se);
            within[2] += usize::from((f.persistence - phi).abs() < 2.0 * f.persistence_se.unwrap());
        }
        for (i, w) in within.iter().enumerate() {
            assert!(
                *w as f64 / reps as f64 > 0.88,
                "parameter {i}: {w}/{reps} within 2 se"
            );
        }
    }

    #[test]
    fn negative_and_positive_persistence_are_recovered() {
        for phi in [-0.7, 0.7] {
            let estimates: Vec<f64> = (0..50)
                .map(|seed| {
                    fit(&synthetic(61, 0.1, 0.02, phi, seed), None)
                        .unwrap()
                        .persistence
                })
                .collect();
            let mean = estimates.iter().sum::<f64>() / 50.0;
            // The lag-one estimator is biased towards 0 by about (1 + 3 phi) / n: allow 0.1.
            assert!((mean - phi).abs() < 0.1, "phi {phi}: mean estimate {mean}");
            assert!(estimates.iter().all(|e| e.signum() == phi.signum()));
        }
    }

    #[test]
    fn breaks_and_gaps_are_not_used_and_short_series_warn() {
        let mut s = synthetic(8, 0.1, 0.02, 0.0, 1);
        s.points[4].break_before = true;
        s.points[4].value *= 3.0; // a jump at the break must not move the mean
        let f = fit(&s, None).unwrap();
        assert_eq!(f.growths, 6);
        assert!(f.mean < 0.2);
        assert!(
            f.notes
                .iter()
                .any(|n| n.contains("series break before 2004"))
        );
        assert_eq!(f.persistence, 0.0);
        let f = fit(&s, Some(2003)).unwrap();
        assert_eq!((f.growths, f.last_year.as_str()), (3, "2003"));
        assert!(f.notes[0].starts_with("warning: fewer than 6 points"));
        s.points.remove(2);
        let f = fit(&s, Some(2003)).unwrap_err();
        assert!(f.to_string().contains("1 growth up to 2003"));
    }

    #[test]
    fn a_non_finite_estimate_is_an_error_naming_the_series() {
        // Built in code, past the reader's limits: growths of +-ln(1e300 / 1e-300) overflow the
        // sum of squares.
        let mut s = synthetic(12, 0.0, 0.0, 0.0, 1);
        for (i, p) in s.points.iter_mut().enumerate() {
            p.value = if i % 2 == 0 { 1e-300 } else { 1e300 };
        }
        let e = fit(&s, None).unwrap_err().to_string();
        // The growth into the last year (1e300 / 1e-300 = 1e600) is ln(inf) = inf, and the mean of
        // +inf and -inf growths is NaN: the first estimate checked after the level names it.
        assert_eq!(
            e,
            "series `caseload`: the last growth is inf (the levels are too extreme to fit); not fitted"
        );
        s.points[3].value = f64::INFINITY;
        let e = fit(&s, None).unwrap_err().to_string();
        assert!(e.starts_with("series `caseload`: "), "{e}");
    }
}
