//! The pooled growth model (docs/forecast-evaluation.md; docs/model.md section 13): each
//! council's log growth is the panel's growth that year plus the council's own deviation.
//!
//! At an origin T, with growths g[a,t] = ln(y[a,t] / y[a,t-1]) of consecutive years up to T:
//! - the panel's growth m[t] is the mean over councils of g[a,t]; its forecast is the weighted
//!   mean m^ = sum w_t m[t] / sum w_t with w_t = `national_weight`^(T - t) (recent years weigh
//!   more, so a change of regime is followed within two or three years), with sampling variance
//!   s_m^2 / n_eff (s_m^2 the weighted variance of m[t] about m^, n_eff the weights' effective
//!   count), and the level drifts as a random walk whose yearly variance tau^2 is half the
//!   variance of the year-to-year changes of m;
//! - a council's deviation d[a,t] = g[a,t] - m[t] has the weighted mean d-bar_a (weights
//!   `council_weight`^(T - t), effective count n_a), shrunk towards 0 by k_a = B / (B + S / n_a)
//!   (S the mean within-council variance of deviations, B the variance between councils' means
//!   beyond what S explains), giving d^_a = k_a d-bar_a with variance k_a S / n_a; it decays
//!   by `persistence` a year into the future;
//! - a council's volatility s_a^2 is its own variance of deviations shrunk towards S with the
//!   weight of `volatility_prior` observations.
//!
//! The log level h years ahead has mean ln y[a,T] + h m^ + d^_a sum_{j<=h} rho^j and variance
//! h^2 s_m^2 / n_eff + tau^2 sum_{j<=h} j^2 + (sum_{j<=h} rho^j)^2 k_a S / n_a + h s_a^2; from an
//! origin inside a reform's window (`reforms.rs`) the mean gains h times the reform's shift and
//! the variance h^2 times its sd squared. Its distribution is Student's t with `tail_df` degrees
//! of freedom scaled to that variance: councils' growths have heavier tails than the normal's
//! (on the published panel a normal puts 57% of outcomes inside its central 50% range).

use std::collections::BTreeMap;

use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};
use statrs::function::beta::beta;
use statrs::function::erf::{erfc, erfc_inv};

use super::reforms::{REFORMS, Reform};
use crate::DataError;

/// The model's settings. The defaults are the ones docs/forecast-evaluation.md evaluates.
///
/// ```
/// let s = dsg_data::growth::PooledSettings::default();
/// assert_eq!(s.national_weight, 0.3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PooledSettings {
    /// The weight of a year's panel growth falls by this factor a year back (0.3: the last year
    /// counts 70% of the forecast of the panel's growth).
    pub national_weight: f64,
    /// The weight of a council's deviation falls by this factor a year back.
    pub council_weight: f64,
    /// A council's deviation from the panel decays by this factor a year ahead.
    pub persistence: f64,
    /// The panel's volatility counts as this many of a council's own observations.
    pub volatility_prior: f64,
    /// The first year whose growth (into it) is used.
    pub first_year: i32,
    /// Degrees of freedom of the forecast's Student's t (above 2; `f64::INFINITY` for a
    /// normal).
    pub tail_df: f64,
    /// The reforms whose windows widen the national growth's uncertainty.
    pub reforms: &'static [Reform],
}

impl Default for PooledSettings {
    fn default() -> Self {
        PooledSettings {
            national_weight: 0.3,
            council_weight: 0.7,
            persistence: 0.8,
            volatility_prior: 4.0,
            first_year: 2011,
            tail_df: 5.0,
            reforms: REFORMS,
        }
    }
}

/// One area's yearly levels (plans at January), in any order; values must be above 0.
///
/// ```
/// let a = dsg_data::growth::AreaLevels { area: "E1".into(), levels: vec![(2020, 100.0), (2021, 110.0)] };
/// assert_eq!(a.levels.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AreaLevels {
    /// The area's code.
    pub area: String,
    /// (year, level) pairs.
    pub levels: Vec<(i32, f64)>,
}

/// A predictive distribution of the log level: Student's t with `df` degrees of freedom (normal
/// when infinite), this mean and this standard deviation.
///
/// ```
/// let f = dsg_data::growth::LogForecast { mean_log: 0.0, sd_log: 1.0, df: 5.0 };
/// assert_eq!(f.median(), 1.0);
/// assert!((f.cdf(1.0) - 0.5).abs() < 1e-12);
/// // Heavier tails than the normal: the same sd, a narrower 80% range.
/// assert!(f.quantile(0.9).ln() < 1.2816);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogForecast {
    /// Mean of the log level.
    pub mean_log: f64,
    /// Standard deviation of the log level.
    pub sd_log: f64,
    /// Degrees of freedom (above 2; infinite for a normal).
    pub df: f64,
}

impl LogForecast {
    /// The median level.
    pub fn median(&self) -> f64 {
        self.mean_log.exp()
    }

    /// The standard t (a normal when `df` is infinite) and the scale that gives it the
    /// forecast's sd.
    fn standard(&self) -> (Standard, f64) {
        if self.df.is_finite() {
            // df > 2 is checked where it is set (`PooledFit::fit`); StudentsT::new fails only
            // for df not above 0.
            let df = self.df.max(2.000_001);
            match StudentsT::new(0.0, 1.0, df) {
                Ok(t) => (Standard::T(t), self.sd_log * ((df - 2.0) / df).sqrt()),
                Err(_) => (Standard::Normal, self.sd_log),
            }
        } else {
            (Standard::Normal, self.sd_log)
        }
    }

    /// The probability of a level at or below `level` (> 0).
    pub fn cdf(&self, level: f64) -> f64 {
        let (d, scale) = self.standard();
        d.cdf((level.ln() - self.mean_log) / scale)
    }

    /// The level with probability `p` below it (0 < p < 1).
    pub fn quantile(&self, p: f64) -> f64 {
        let (d, scale) = self.standard();
        (self.mean_log + scale * d.inverse_cdf(p)).exp()
    }

    /// The continuous ranked probability score of the log level for outcome `level` (> 0): in
    /// log units, about the relative error (0.05: about 5% of the outcome), so councils of every
    /// size weigh alike. Closed form for Student's t (Gneiting and Raftery, 2007).
    ///
    /// ```
    /// use dsg_data::growth::LogForecast;
    /// // A tight forecast scores about its distance from the outcome, in logs.
    /// let at = LogForecast { mean_log: 100f64.ln(), sd_log: 1e-9, df: 5.0 };
    /// assert!(at.crps_log(100.0) < 1e-8);
    /// assert!((at.crps_log(110.0) - 1.1f64.ln()).abs() < 1e-8);
    /// ```
    pub fn crps_log(&self, level: f64) -> f64 {
        let (d, scale) = self.standard();
        let z = (level.ln() - self.mean_log) / scale;
        let (density, spread) = match &d {
            Standard::T(t) => {
                let nu = t.freedom();
                (
                    2.0 * t.pdf(z) * (nu + z * z) / (nu - 1.0),
                    2.0 * nu.sqrt() * beta(0.5, nu - 0.5)
                        / ((nu - 1.0) * beta(0.5, nu / 2.0).powi(2)),
                )
            }
            Standard::Normal => (2.0 * d.pdf(z), 1.0 / std::f64::consts::PI.sqrt()),
        };
        scale * (z * (2.0 * d.cdf(z) - 1.0) + density - spread)
    }
}

/// A standard Student's t or normal.
enum Standard {
    T(StudentsT),
    Normal,
}

impl Standard {
    fn cdf(&self, z: f64) -> f64 {
        match self {
            Standard::T(t) => t.cdf(z),
            Standard::Normal => 0.5 * erfc(-z / std::f64::consts::SQRT_2),
        }
    }
    fn pdf(&self, z: f64) -> f64 {
        match self {
            Standard::T(t) => t.pdf(z),
            Standard::Normal => (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt(),
        }
    }
    fn inverse_cdf(&self, p: f64) -> f64 {
        match self {
            Standard::T(t) => t.inverse_cdf(p),
            Standard::Normal => -std::f64::consts::SQRT_2 * erfc_inv(2.0 * p),
        }
    }
}

/// One council's part of a fit.
#[derive(Debug, Clone, PartialEq)]
pub struct CouncilFit {
    /// The area's code.
    pub area: String,
    /// Its last level at or before the origin, and that year.
    pub last: (i32, f64),
    /// Its growths used.
    pub growths: usize,
    /// Its shrunk deviation from the panel's growth, d^_a.
    pub deviation: f64,
    /// The variance of `deviation`.
    pub deviation_var: f64,
    /// The shrinkage factor k_a (0: the panel's growth; 1: its own).
    pub shrinkage: f64,
    /// Its shrunk yearly variance of log growth about its expected growth, s_a^2.
    pub volatility_var: f64,
}

/// The model fitted at an origin.
#[derive(Debug, Clone, PartialEq)]
pub struct PooledFit {
    /// The origin: the last year used.
    pub origin: i32,
    /// The settings.
    pub settings: PooledSettings,
    /// The panel's growth by year, `m[t]`, and how many councils it averages.
    pub panel_growth: Vec<(i32, f64, usize)>,
    /// The forecast of the panel's log growth, m^.
    pub national: f64,
    /// Its sampling variance, s_m^2 / n_eff.
    pub national_var: f64,
    /// The yearly variance of the panel growth's random walk, tau^2.
    pub drift_var: f64,
    /// Mean within-council variance of deviations, S.
    pub within_var: f64,
    /// Variance between councils' mean deviations, B.
    pub between_var: f64,
    /// The councils with a level at or before the origin.
    pub councils: Vec<CouncilFit>,
}

/// Weights `factor^(origin - year)` and their effective count (sum w)^2 / sum w^2.
fn weights(years: &[i32], origin: i32, factor: f64) -> (Vec<f64>, f64) {
    let w: Vec<f64> = years.iter().map(|y| factor.powi(origin - y)).collect();
    let sum: f64 = w.iter().sum();
    let sq: f64 = w.iter().map(|x| x * x).sum();
    (w, if sq > 0.0 { sum * sum / sq } else { 0.0 })
}

/// Sample variance (n - 1), or None for fewer than two values.
pub(crate) fn sample_var(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    Some(xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0))
}

/// Growths of consecutive years from `first_year` to `origin`: year -> ln(y_t / y_(t-1)).
fn growths_of(levels: &BTreeMap<i32, f64>, first_year: i32, origin: i32) -> BTreeMap<i32, f64> {
    levels
        .iter()
        .filter(|(y, _)| **y >= first_year && **y <= origin)
        .filter_map(|(y, v)| {
            let before = levels.get(&(y - 1))?;
            Some((*y, (v / before).ln()))
        })
        .collect()
}

impl PooledFit {
    /// Fits the model to `areas` using only years up to `origin`.
    ///
    /// # Errors
    /// [`DataError::TooShort`] when fewer than two years of panel growth or fewer than two
    /// councils with growths are there to fit; [`DataError::NotFinite`] for a level that is not
    /// a finite number above 0.
    ///
    /// ```
    /// use dsg_data::growth::{AreaLevels, PooledFit, PooledSettings};
    /// let area = |a: &str, g: f64| AreaLevels {
    ///     area: a.into(),
    ///     levels: (2015..=2020).map(|y| (y, 100.0 * (g * (y - 2015) as f64).exp())).collect(),
    /// };
    /// let fit = PooledFit::fit(&[area("A", 0.08), area("B", 0.12)], 2020, PooledSettings::default())?;
    /// assert!((fit.national - 0.10).abs() < 1e-12);
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn fit(
        areas: &[AreaLevels],
        origin: i32,
        settings: PooledSettings,
    ) -> Result<PooledFit, DataError> {
        if settings.tail_df.is_nan() || settings.tail_df <= 2.0 {
            return Err(DataError::NotFinite {
                series: "the growth model's settings".to_string(),
                message: format!(
                    "tail_df {} must be above 2 (infinite for a normal)",
                    settings.tail_df
                ),
            });
        }
        let by_area = areas
            .iter()
            .map(|a| AreaGrowths::of(a, origin, settings.first_year))
            .collect::<Result<Vec<_>, _>>()?;
        let panel_growth = panel_growth(&by_area);
        if panel_growth.len() < 2 {
            return Err(too_short(format!(
                "{} year(s) of growth up to {origin}: at least 2 are needed",
                panel_growth.len()
            )));
        }
        let (national, national_var, drift_var) = national(&panel_growth, origin, settings);
        let m: BTreeMap<i32, f64> = panel_growth.iter().map(|p| (p.0, p.1)).collect();
        let devs: Vec<Deviations> = by_area
            .iter()
            .map(|a| Deviations::of(a, &m, origin, settings.council_weight))
            .collect();
        let within: Vec<f64> = devs.iter().filter_map(|d| sample_var(&d.devs)).collect();
        if within.len() < 2 {
            return Err(too_short(format!(
                "{} council(s) with two growths up to {origin}: at least 2 are needed",
                within.len()
            )));
        }
        let within_var = (within.iter().sum::<f64>() / within.len() as f64).max(1e-8);
        let with_data: Vec<&Deviations> = devs.iter().filter(|d| d.n_eff > 0.0).collect();
        let means: Vec<f64> = with_data.iter().map(|d| d.mean).collect();
        let noise =
            with_data.iter().map(|d| within_var / d.n_eff).sum::<f64>() / with_data.len() as f64;
        let between_var = (sample_var(&means).unwrap_or(0.0) - noise).max(1e-6);
        let councils = devs
            .iter()
            .filter_map(|d| d.council(within_var, between_var, settings.volatility_prior))
            .collect();
        Ok(PooledFit {
            origin,
            settings,
            panel_growth,
            national,
            national_var,
            drift_var,
            within_var,
            between_var,
            councils,
        })
    }

    /// The council fitted for `area`, if it has a level at or before the origin.
    pub fn council(&self, area: &str) -> Option<&CouncilFit> {
        self.councils.iter().find(|c| c.area == area)
    }

    /// A series that follows the panel's growth with no deviation or noise of its own (a total
    /// such as England's count), last at `last`: forecast it with [`PooledFit::forecast`].
    ///
    /// ```
    /// use dsg_data::growth::{AreaLevels, PooledFit, PooledSettings};
    /// let area = |a: &str, g: f64| AreaLevels {
    ///     area: a.into(),
    ///     levels: (2015..=2020).map(|y| (y, 100.0 * (g * (y - 2015) as f64).exp())).collect(),
    /// };
    /// let fit = PooledFit::fit(&[area("A", 0.08), area("B", 0.12)], 2020, PooledSettings::default())?;
    /// let england = fit.follower("England", (2020, 1000.0));
    /// assert!((fit.forecast(&england, 1).median() - 1000.0 * 0.10f64.exp()).abs() < 1e-9);
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn follower(&self, area: &str, last: (i32, f64)) -> CouncilFit {
        CouncilFit {
            area: area.to_string(),
            last,
            growths: 0,
            deviation: 0.0,
            deviation_var: 0.0,
            shrinkage: 0.0,
            volatility_var: 0.0,
        }
    }

    /// The predictive distribution of `council`'s log level `h` years after its last level
    /// (h >= 1).
    ///
    /// ```
    /// use dsg_data::growth::{AreaLevels, PooledFit, PooledSettings};
    /// let area = |a: &str, g: f64| AreaLevels {
    ///     area: a.into(),
    ///     levels: (2015..=2020).map(|y| (y, 100.0 * (g * (y - 2015) as f64).exp())).collect(),
    /// };
    /// let fit = PooledFit::fit(&[area("A", 0.08), area("B", 0.12)], 2020, PooledSettings::default())?;
    /// let a = fit.council("A").unwrap();
    /// let f1 = fit.forecast(a, 1);
    /// assert!(f1.median() > 100.0 * (0.08f64 * 5.0).exp());
    /// assert!(fit.forecast(a, 3).sd_log > f1.sd_log);
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn forecast(&self, council: &CouncilFit, h: u32) -> LogForecast {
        let rho = self.settings.persistence;
        let hf = f64::from(h);
        let decay: f64 = (1..=h).map(|j| rho.powi(j as i32)).sum();
        let squares: f64 = (1..=h).map(|j| f64::from(j).powi(2)).sum();
        let (shift, reform_var) = self
            .settings
            .reforms
            .iter()
            .filter(|r| r.applies(self.origin))
            .fold((0.0, 0.0), |(s, v), r| {
                (s + r.growth_shift, v + r.growth_sd * r.growth_sd)
            });
        let mean_log =
            council.last.1.ln() + hf * (self.national + shift) + council.deviation * decay;
        let var = hf * hf * (self.national_var + reform_var)
            + self.drift_var * squares
            + decay * decay * council.deviation_var
            + hf * council.volatility_var;
        LogForecast {
            mean_log,
            sd_log: var.sqrt(),
            df: self.settings.tail_df,
        }
    }

    /// The yearly log growth a scenario draws to match the forecast's centre and its 80% range
    /// (P10 and P90, the figures a committee reads) at one and three years ahead: the growth's
    /// mean (one draw a path, with sd `path_sd`) and its yearly sd, as `1 + g = exp(X)`, X
    /// normal. The scenario's variance h years ahead is h^2 path_sd^2 + h yearly_sd^2, set to the
    /// forecast's variance times the squared ratio of the t's P90 to the normal's (0.892 for 5
    /// degrees of freedom): the same P10-P90, a slightly wider 50% range and slightly narrower
    /// 90% range than the t's. Where no such pair matches both horizons (a drift much stronger
    /// than the yearly noise), the three-year range is matched with no yearly part.
    ///
    /// ```
    /// use dsg_data::growth::{AreaLevels, PooledFit, PooledSettings};
    /// // Ten councils growing 10% a year, each with its own irregular wobble.
    /// let area = |k: i32| AreaLevels {
    ///     area: format!("C{k}"),
    ///     levels: (2010..=2020).map(|y| (y, 100.0 * (0.1 * (y - 2010) as f64 + 0.03 * ((y * 7 + k * 3) % 5) as f64).exp())).collect(),
    /// };
    /// let areas: Vec<AreaLevels> = (0..10).map(area).collect();
    /// let fit = PooledFit::fit(&areas, 2020, PooledSettings::default())?;
    /// let a = fit.council("C0").unwrap();
    /// let g = fit.scenario_growth(a);
    /// // Three years ahead, the scenario's P90 is the forecast's.
    /// let f3 = fit.forecast(a, 3);
    /// let sd3 = (9.0 * g.path_sd.powi(2) + 3.0 * g.yearly_sd.powi(2)).sqrt();
    /// let p90 = a.last.1.ln() + 3.0 * g.mean + 1.2815515655446004 * sd3;
    /// assert!((p90 - f3.quantile(0.9).ln()).abs() < 1e-9);
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn scenario_growth(&self, council: &CouncilFit) -> ScenarioGrowth {
        let f1 = self.forecast(council, 1);
        let f3 = self.forecast(council, 3);
        let base = council.last.1.ln();
        let mean = (f3.mean_log - base) / 3.0;
        // The t's P90 in units of its sd, against the normal's.
        let unit = LogForecast {
            mean_log: 0.0,
            sd_log: 1.0,
            df: self.settings.tail_df,
        };
        let k2 = (unit.quantile(0.9).ln() / Z_90).powi(2);
        let (v1, v3) = (k2 * f1.sd_log.powi(2), k2 * f3.sd_log.powi(2));
        // V_h = h^2 A + h B at h = 1 and 3.
        let mut path_var = ((v3 - 3.0 * v1) / 6.0).max(0.0);
        let mut yearly_var = v1 - path_var;
        if yearly_var < 0.0 {
            // A drift too strong for the two parts to match both: the three-year range is kept
            // (the one-year range is then a little wide).
            path_var = v3 / 9.0;
            yearly_var = 0.0;
        }
        ScenarioGrowth {
            mean,
            path_sd: path_var.sqrt(),
            yearly_sd: yearly_var.sqrt(),
        }
    }
}

/// The standard normal's 90th percentile.
const Z_90: f64 = 1.281_551_565_544_600_4;

/// The panel too short to fit.
fn too_short(message: String) -> DataError {
    DataError::TooShort {
        series: "the panel".to_string(),
        message,
    }
}

/// One area's levels up to the origin and its growths.
struct AreaGrowths<'a> {
    area: &'a AreaLevels,
    levels: BTreeMap<i32, f64>,
    growths: BTreeMap<i32, f64>,
}

impl<'a> AreaGrowths<'a> {
    /// `area`'s levels up to `origin` (each checked finite and above 0) and growths from
    /// `first_year`.
    fn of(area: &'a AreaLevels, origin: i32, first_year: i32) -> Result<Self, DataError> {
        let mut levels = BTreeMap::new();
        for &(y, v) in &area.levels {
            if !(v.is_finite() && v > 0.0) {
                return Err(DataError::NotFinite {
                    series: area.area.clone(),
                    message: format!("level {v} in {y} is not a number above 0"),
                });
            }
            if y <= origin {
                levels.insert(y, v);
            }
        }
        let growths = growths_of(&levels, first_year, origin);
        Ok(AreaGrowths {
            area,
            levels,
            growths,
        })
    }
}

/// The panel's growth each year: the mean over areas, and how many areas.
fn panel_growth(areas: &[AreaGrowths<'_>]) -> Vec<(i32, f64, usize)> {
    let mut per_year: BTreeMap<i32, Vec<f64>> = BTreeMap::new();
    for a in areas {
        for (y, v) in &a.growths {
            per_year.entry(*y).or_default().push(*v);
        }
    }
    // A year few areas reach (a history running past the panel's last year) is no panel growth:
    // its mean would be one council's own growth.
    let most = per_year.values().map(Vec::len).max().unwrap_or(0);
    per_year
        .iter()
        .filter(|(_, v)| 2 * v.len() >= most)
        .map(|(y, v)| (*y, v.iter().sum::<f64>() / v.len() as f64, v.len()))
        .collect()
}

/// The forecast of the panel's growth, its sampling variance and the drift's yearly variance.
fn national(
    panel_growth: &[(i32, f64, usize)],
    origin: i32,
    settings: PooledSettings,
) -> (f64, f64, f64) {
    let years: Vec<i32> = panel_growth.iter().map(|p| p.0).collect();
    let (w, n_eff) = weights(&years, origin, settings.national_weight);
    let wsum: f64 = w.iter().sum();
    let national = panel_growth
        .iter()
        .zip(&w)
        .map(|(p, w)| w * p.1)
        .sum::<f64>()
        / wsum;
    let spread = panel_growth
        .iter()
        .zip(&w)
        .map(|(p, w)| w * (p.1 - national).powi(2))
        .sum::<f64>()
        / wsum;
    let national_var = spread.max(1e-4) / n_eff;
    let changes: Vec<f64> = panel_growth.windows(2).map(|p| p[1].1 - p[0].1).collect();
    let drift_var = match changes.len() {
        0 | 1 => 0.02f64.powi(2),
        n => {
            let mean = changes.iter().sum::<f64>() / n as f64;
            changes.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / n as f64 / 2.0
        }
    };
    (national, national_var, drift_var)
}

/// A council's deviations from the panel's growth, their weighted mean and its effective count.
struct Deviations<'a> {
    area: &'a AreaLevels,
    last: Option<(i32, f64)>,
    devs: Vec<f64>,
    mean: f64,
    n_eff: f64,
}

impl<'a> Deviations<'a> {
    fn of(a: &AreaGrowths<'a>, m: &BTreeMap<i32, f64>, origin: i32, weight: f64) -> Self {
        // Years without a panel growth (see `panel_growth`) give no deviation.
        let (years, devs): (Vec<i32>, Vec<f64>) = a
            .growths
            .iter()
            .filter_map(|(y, v)| Some((*y, v - m.get(y)?)))
            .unzip();
        let (w, n_eff) = weights(&years, origin, weight);
        let wsum: f64 = w.iter().sum();
        let mean = if wsum > 0.0 {
            devs.iter().zip(&w).map(|(d, w)| d * w).sum::<f64>() / wsum
        } else {
            0.0
        };
        Deviations {
            area: a.area,
            last: a.levels.iter().next_back().map(|(y, v)| (*y, *v)),
            devs,
            mean,
            n_eff,
        }
    }

    /// The council's fit: its deviation shrunk towards 0 and its volatility towards the panel's.
    fn council(&self, within_var: f64, between_var: f64, prior: f64) -> Option<CouncilFit> {
        let last = self.last?;
        let (shrinkage, deviation, deviation_var) = if self.n_eff > 0.0 {
            let k = between_var / (between_var + within_var / self.n_eff);
            (k, k * self.mean, k * within_var / self.n_eff)
        } else {
            (0.0, 0.0, between_var)
        };
        let n = self.devs.len() as f64;
        let own = sample_var(&self.devs).unwrap_or(within_var);
        let volatility_var = if n >= 2.0 {
            (prior * within_var + (n - 1.0) * own) / (prior + n - 1.0)
        } else {
            within_var
        };
        Some(CouncilFit {
            area: self.area.area.clone(),
            last,
            growths: self.devs.len(),
            deviation,
            deviation_var,
            shrinkage,
            volatility_var,
        })
    }
}

/// A council's growth as a scenario input: X = ln(1 + g) normal with mean drawn once a path from
/// normal(`mean`, `path_sd`) and sd `yearly_sd` each year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScenarioGrowth {
    /// Mean log growth a year.
    pub mean: f64,
    /// Its uncertainty, drawn once a path.
    pub path_sd: f64,
    /// The yearly sd of log growth.
    pub yearly_sd: f64,
}

impl ScenarioGrowth {
    /// The scenario input that draws this growth: the yearly rate whose `1 + g` is lognormal, its
    /// log-mean drawn once a path (figures rounded to 6 decimals).
    ///
    /// ```
    /// let g = dsg_data::growth::ScenarioGrowth { mean: 0.0953, path_sd: 0.0123456789, yearly_sd: 0.03 };
    /// assert_eq!(
    ///     g.scenario_value(),
    ///     "{ dist = \"lognormal\", mu = { dist = \"normal\", mean = 0.0953, sd = 0.012346 }, sigma = 0.03, shift = -1, per = \"year\" }"
    /// );
    /// ```
    pub fn scenario_value(&self) -> String {
        format!(
            "{{ dist = \"lognormal\", mu = {{ dist = \"normal\", mean = {:?}, sd = {:?} }}, sigma = {:?}, shift = -1, per = \"year\" }}",
            round6(self.mean),
            round6(self.path_sd),
            round6(self.yearly_sd)
        )
    }

    /// The scenario input with the level taken as known (the plug-in form, for an input
    /// correlated with others, which cannot take a drawn parameter): log growth normal with the
    /// mean and the yearly sd, no draw once a path; narrower than the evidence supports.
    ///
    /// ```
    /// let g = dsg_data::growth::ScenarioGrowth { mean: 0.0953, path_sd: 0.0123, yearly_sd: 0.03 };
    /// assert_eq!(
    ///     g.plug_in_value(),
    ///     "{ dist = \"lognormal\", mu = 0.0953, sigma = 0.03, shift = -1, per = \"year\" }"
    /// );
    /// ```
    pub fn plug_in_value(&self) -> String {
        format!(
            "{{ dist = \"lognormal\", mu = {:?}, sigma = {:?}, shift = -1, per = \"year\" }}",
            round6(self.mean),
            round6(self.yearly_sd)
        )
    }
}

/// Rounds to 6 decimals for a scenario file.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
