//! Forecasts of a series' future levels by simulation from a fitted growth model.
//!
//! Each path draws the model's parameters once (with [`Uncertainty::Parameters`]):
//! sigma^2 = s^2 (n - 1) / X with X chi-square on n - 1 degrees of freedom (restricted to its
//! upper 99.5%, so that the levels have finite moments and CRPS is defined), the persistence
//! phi from normal(phi_hat, se) kept within +-0.95, and mu from normal(mu_hat, sigma k / sqrt(n)),
//! k the persistence factor of [`GrowthFit::persistence_factor`]. With a normal prior-free
//! reading this is the posterior of (mu, sigma), so the predictive spread widens honestly with
//! the horizon: the error in mu compounds. Then, year by year, the deviation from mu follows the
//! AR(1), starting from the last observed deviation (g_last - mu) when the growth into the origin
//! was used, and from its stationary distribution otherwise. [`Uncertainty::PlugIn`] uses the
//! estimates as if they were known.
//!
//! Randomness: the Monte Carlo engine's own streams and AR(1) (`dsg_montecarlo::stream`,
//! `dsg_montecarlo::draw::Ar1`): path k of a forecast draws from the stream the engine gives the
//! scenario input the series calibrates (`demand.growth` for `caseload`: see
//! [`crate::history::target_key`]) within path k of `stream_seed(seed, stream)`, so stream 0 gives
//! path k the very draws the engine makes for that input in its path k for the same seed, and the
//! yearly deviations follow the engine's AR(1) on standard normal scores. A series that
//! calibrates no input by key draws from the stream of its own name. The same fit, settings and
//! stream give the same paths bit for bit.

use dsg_montecarlo::draw::Ar1;
use dsg_montecarlo::stream::{DEFAULT_SEED, input_rng, path_rng, stream_id, stream_seed};
use rand::{Rng, RngExt};
use rand_distr::{ChiSquared, Distribution, StandardNormal};
use serde::Serialize;
use statrs::distribution::{ChiSquared as ChiSquaredCdf, ContinuousCDF};

use crate::error::DataError;
use crate::history::fit::{GrowthFit, MAX_PERSISTENCE};

/// Whether the parameters' estimation error enters the forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Uncertainty {
    /// The estimates taken as the truth (the narrow "plug-in" forecast).
    PlugIn,
    /// Mean, sd and persistence drawn once per path from their estimation distributions.
    Parameters,
}

/// How to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ForecastSettings {
    /// Paths.
    pub paths: usize,
    /// Years ahead.
    pub horizon: usize,
    /// Seed.
    pub seed: u64,
    /// Stream number (e.g. one per series and origin in a backtest): see
    /// `dsg_montecarlo::stream::stream_seed`. Stream 0 draws path k as the engine draws its path
    /// k for the same seed.
    pub stream: u64,
    /// Plug-in or with parameter uncertainty.
    pub uncertainty: Uncertainty,
}

impl Default for ForecastSettings {
    fn default() -> Self {
        ForecastSettings {
            paths: 5_000,
            horizon: 5,
            seed: DEFAULT_SEED,
            stream: 0,
            uncertainty: Uncertainty::Parameters,
        }
    }
}

/// Simulated levels: `levels[h - 1]` holds every path's level h years after the origin, sorted
/// in increasing order (paths are exchangeable, so sorting loses nothing a score needs).
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// Sorted simulated levels by horizon.
    pub levels: Vec<Vec<f64>>,
}

impl Forecast {
    /// The `p` quantile (0..=1) at horizon `h` (1-based), interpolating between order statistics.
    pub fn quantile(&self, h: usize, p: f64) -> f64 {
        sorted_quantile(&self.levels[h - 1], p)
    }

    /// An error naming `series` when a simulated level overflowed (kept at the largest finite
    /// value by [`forecast()`], so the quantiles and scores made from it would be meaningless or
    /// infinite): the fitted growths vary too much to forecast that far.
    ///
    /// ```
    /// use dsg_data::history::Forecast;
    /// assert!(Forecast { levels: vec![vec![1.0, 2.0]] }.check_finite("caseload").is_ok());
    /// let e = Forecast { levels: vec![vec![1.0, f64::MAX]] }.check_finite("caseload").unwrap_err();
    /// assert!(e.to_string().starts_with("series `caseload`: a simulated level overflows in year 1"));
    /// ```
    pub fn check_finite(&self, series: &str) -> Result<(), DataError> {
        match self
            .levels
            .iter()
            .position(|l| l.iter().any(|x| !x.is_finite() || x.abs() == f64::MAX))
        {
            Some(h) => Err(DataError::NotFinite {
                series: series.to_string(),
                message: format!(
                    "a simulated level overflows in year {} of the forecast (the fitted growths vary too much to forecast that far); not written",
                    h + 1
                ),
            }),
            None => Ok(()),
        }
    }
}

/// The `p` quantile of sorted values (linear interpolation between order statistics; NaN when
/// empty).
///
/// ```
/// assert_eq!(dsg_data::history::sorted_quantile(&[1.0, 2.0, 3.0], 0.5), 2.0);
/// assert_eq!(dsg_data::history::sorted_quantile(&[1.0, 2.0], 0.25), 1.25);
/// ```
pub fn sorted_quantile(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let x = p.clamp(0.0, 1.0) * (n - 1) as f64;
            let i = (x.floor() as usize).min(n - 2);
            let w = x - i as f64;
            sorted[i] + w * (sorted[i + 1] - sorted[i])
        }
    }
}

/// Simulates `settings.paths` futures of the series from `fit`.
///
/// ```
/// use dsg_data::history::{History, fit, forecast, ForecastSettings, Uncertainty};
/// let h = History::from_csv_str("series,year,value\nc,2020,100\nc,2021,110\nc,2022,120\nc,2023,133\nc,2024,145\n".replace("c,", "caseload,").as_str(), "h.csv")?;
/// let f = fit(&h.series[0], None)?;
/// let wide = forecast(&f, &ForecastSettings::default());
/// let narrow = forecast(&f, &ForecastSettings { uncertainty: Uncertainty::PlugIn, ..Default::default() });
/// let width = |x: &dsg_data::history::Forecast| x.quantile(5, 0.95) - x.quantile(5, 0.05);
/// assert!(width(&narrow) < width(&wide));
/// # Ok::<(), dsg_data::DataError>(())
/// ```
pub fn forecast(fit: &GrowthFit, settings: &ForecastSettings) -> Forecast {
    let seed = stream_seed(settings.seed, settings.stream);
    let parameters = ParameterDraws::new(fit);
    let input = stream_id(&input_key(&fit.series));
    let mut levels = vec![Vec::with_capacity(settings.paths); settings.horizon];
    for k in 0..settings.paths {
        let mut rng = input_rng(path_rng(seed, k as u64).next_u64(), input);
        let (mu, sigma, phi) = match settings.uncertainty {
            Uncertainty::PlugIn => (fit.mean, fit.sd, fit.persistence),
            Uncertainty::Parameters => parameters.draw(fit, &mut rng),
        };
        let ar1 = Ar1::new(phi);
        // The deviation from mu as a standard normal score: the last observed one when the growth
        // into the origin was used, else none (the first year starts from the stationary
        // distribution).
        let mut e = fit
            .last_growth
            .filter(|_| sigma > 0.0)
            .map(|g| (g - mu) / sigma);
        let mut level = fit.last_level;
        for slot in levels.iter_mut() {
            let z: f64 = rng.sample(StandardNormal);
            let next = ar1.next(e, z);
            e = Some(next);
            level *= (mu + sigma * next).exp();
            slot.push(level);
        }
    }
    for slot in &mut levels {
        // Levels are finite unless the history itself is extreme; keep any overflow at the
        // largest finite value so that no score or output holds an infinity.
        for x in slot.iter_mut() {
            if !x.is_finite() {
                *x = f64::MAX;
            }
        }
        slot.sort_by(f64::total_cmp);
    }
    Forecast { levels }
}

/// The key of the scenario input whose random stream a series' forecast draws from: the input it
/// calibrates where that has a fixed key, else the series' own name.
fn input_key(series: &str) -> String {
    match crate::history::target_key(series) {
        crate::history::Target::Input(id) => id.key(),
        _ => series.to_string(),
    }
}

/// The estimation distributions of a fit's parameters, drawn once per path.
struct ParameterDraws {
    /// Degrees of freedom of sigma's estimate and its chi-square (none below 1).
    dof: f64,
    chi: Option<ChiSquared<f64>>,
    /// The lower 0.5% of X (the upper 0.5% of sigma) is not drawn.
    floor: f64,
    /// Growths behind the mean.
    n: f64,
}

impl ParameterDraws {
    fn new(fit: &GrowthFit) -> Self {
        let n = fit.growths.max(2) as f64;
        let dof = (n - 1.0).max(1.0);
        ParameterDraws {
            dof,
            chi: ChiSquared::new(dof).ok(),
            floor: ChiSquaredCdf::new(dof)
                .map(|c| c.inverse_cdf(0.005))
                .unwrap_or(0.0),
            n,
        }
    }

    /// (mu, sigma, phi) for one path: sigma from the chi-square, phi from its normal kept within
    /// +-[`MAX_PERSISTENCE`], then mu from normal(mu_hat, sigma k / sqrt(n)).
    fn draw<R: rand::Rng + ?Sized>(&self, fit: &GrowthFit, rng: &mut R) -> (f64, f64, f64) {
        let x = match &self.chi {
            Some(chi) => {
                let mut x = chi.sample(rng);
                let mut tries = 0;
                while x < self.floor && tries < 100 {
                    x = chi.sample(rng);
                    tries += 1;
                }
                x.max(self.floor)
            }
            None => self.dof,
        };
        let sigma = if x > 0.0 {
            fit.sd * (self.dof / x).sqrt()
        } else {
            fit.sd
        };
        let phi = match fit.persistence_se {
            Some(se) => {
                let z: f64 = rng.sample(StandardNormal);
                (fit.persistence + se * z).clamp(-MAX_PERSISTENCE, MAX_PERSISTENCE)
            }
            None => 0.0,
        };
        let z: f64 = rng.sample(StandardNormal);
        let k = GrowthFit::persistence_factor(phi);
        (fit.mean + sigma * k / self.n.sqrt() * z, sigma, phi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::fit::fit;
    use crate::history::read::History;

    fn history() -> History {
        let text = "series,year,value\ncaseload,2015,100\ncaseload,2016,108\ncaseload,2017,119\ncaseload,2018,127\ncaseload,2019,141\n";
        History::from_csv_str(text, "h.csv").unwrap()
    }

    #[test]
    fn reproducible_and_wider_with_parameter_uncertainty() {
        let f = fit(&history().series[0], None).unwrap();
        let s = ForecastSettings::default();
        assert_eq!(forecast(&f, &s), forecast(&f, &s));
        let other = forecast(&f, &ForecastSettings { stream: 1, ..s });
        assert_ne!(forecast(&f, &s), other);
        let plug = forecast(
            &f,
            &ForecastSettings {
                uncertainty: Uncertainty::PlugIn,
                ..s
            },
        );
        let wide = forecast(&f, &s);
        let width = |x: &Forecast, h| x.quantile(h, 0.95) - x.quantile(h, 0.05);
        // The ratio of widths falls with the horizon: the error in the mean compounds.
        let r1 = width(&plug, 1) / width(&wide, 1);
        let r5 = width(&plug, 5) / width(&wide, 5);
        assert!(r5 < r1 && r1 < 1.0, "{r1} {r5}");
        // Plug-in, no persistence: log level at h is normal(h mu, sqrt(h) sigma).
        let median = plug.quantile(4, 0.5);
        let expected = f.last_level * (4.0 * f.mean).exp();
        assert!(
            (median / expected - 1.0).abs() < 0.01,
            "{median} {expected}"
        );
    }
}
