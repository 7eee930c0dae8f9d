//! Drawing from the input distributions of [`dsg_core::Dist`] (docs/model.md section 7).
//!
//! The core crate only describes distributions; a [`Drawer`] validates one once, precomputes what
//! drawing needs, and then draws quickly and without allocating, either
//!
//! * independently, with [`Drawer::sample`], or
//! * from a standard normal score, with [`Drawer::from_normal_score`]: the value whose cumulative
//!   probability is `Phi(z)`. Correlated inputs (a Gaussian copula) and persistent inputs (AR(1)
//!   shocks) are drawn this way, because correlation and persistence act on the scores.
//!
//! Samplers come from `rand_distr` and quantile functions from `statrs`; only the truncated normal
//! and the discrete distribution are written here, because neither crate has them.
//!
//! # Randomness consumed
//!
//! A fixed (zero-width) distribution never consumes randomness. Every other kind consumes a
//! number of generator outputs that may vary from draw to draw (the ziggurat behind normal draws
//! and the rejection sampler of the truncated normal occasionally need more than one), so
//! reproducibility rests on each path having its own stream, never on counting draws.
//!
//! ```
//! use dsg_core::Dist;
//! use dsg_montecarlo::draw::Drawer;
//! use rand::SeedableRng;
//! use rand_xoshiro::Xoshiro256PlusPlus;
//!
//! let growth = Drawer::new(&Dist::TruncatedNormal { mean: 0.07, sd: 0.02, min: 0.03, max: 0.11 })?;
//! let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
//! let x = growth.sample(&mut rng);
//! assert!((0.03..=0.11).contains(&x));
//! assert!((growth.from_normal_score(0.0) - 0.07).abs() < 1e-12); // the median
//! # Ok::<(), dsg_montecarlo::draw::DrawError>(())
//! ```

use dsg_core::Dist;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};
use statrs::distribution::{Beta as BetaCdf, ContinuousCDF, Normal as NormalCdf};

/// A truncated normal keeping at least this probability mass inside its bounds is drawn by
/// rejection from the untruncated normal (at most 1 / 0.25 = 4 normal draws on average); one
/// keeping less is drawn by inverse CDF. The choice depends only on the parameters.
///
/// ```
/// assert_eq!(dsg_montecarlo::draw::REJECTION_MIN_MASS, 0.25);
/// ```
pub const REJECTION_MIN_MASS: f64 = 0.25;

/// Rejection attempts before the truncated normal falls back to one inverse-CDF draw. With a mass
/// of at least [`REJECTION_MIN_MASS`] the fallback has probability below 0.75^100 ~ 3e-13; it only
/// guarantees that a draw ends even with a degenerate generator. Both routes draw exactly from
/// the truncated normal, so the fallback does not change the distribution.
const MAX_REJECTION_TRIES: u32 = 100;

/// Why a distribution cannot be drawn from.
///
/// ```
/// use dsg_core::Dist;
/// use dsg_montecarlo::draw::{DrawError, Drawer};
///
/// let err = Drawer::new(&Dist::Uniform { min: 2.0, max: 1.0 }).unwrap_err();
/// assert!(matches!(err, DrawError::InvalidParameters { dist: "uniform", .. }));
/// assert!(err.to_string().contains("min <= max"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DrawError {
    /// The parameters fail [`Dist::validate`]; `message` is its explanation.
    #[error("invalid {dist} distribution: {message}")]
    InvalidParameters {
        /// The distribution's name in scenario files (`dist = "..."`).
        dist: &'static str,
        /// What is wrong, in a finance officer's words.
        message: String,
    },
    /// The parameters pass validation but cannot be drawn from in floating point (for example a
    /// range so wide that `max - min` overflows, or truncation bounds holding no representable
    /// probability).
    #[error("cannot draw from the {dist} distribution: {message}")]
    Unrepresentable {
        /// The distribution's name in scenario files (`dist = "..."`).
        dist: &'static str,
        /// What went wrong.
        message: String,
    },
}

/// A distribution ready to draw from (parameters validated, helpers precomputed).
///
/// ```
/// use dsg_core::Dist;
/// use dsg_montecarlo::draw::Drawer;
/// use rand::SeedableRng;
/// use rand_xoshiro::Xoshiro256PlusPlus;
///
/// let share = Drawer::new(&Dist::Pert { min: 0.3, mode: 0.7, max: 1.0 })?;
/// let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
/// let draws: Vec<f64> = (0..1000).map(|_| share.sample(&mut rng)).collect();
/// assert!(draws.iter().all(|x| (0.3..=1.0).contains(x)));
/// # Ok::<(), dsg_montecarlo::draw::DrawError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Drawer {
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    /// Always this value; consumes no randomness.
    Fixed(f64),
    Uniform {
        sampler: rand_distr::Uniform<f64>,
        quantile: statrs::distribution::Uniform,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    Lognormal {
        sampler: rand_distr::LogNormal<f64>,
        mu: f64,
        sigma: f64,
        shift: f64,
    },
    TruncatedNormal(TruncatedNormal),
    Triangular {
        sampler: rand_distr::Triangular<f64>,
        quantile: statrs::distribution::Triangular,
    },
    Pert {
        /// Gamma(alpha, 1) and Gamma(beta, 1): `x / (x + y)` is the unit Beta(alpha, beta)
        /// behind the PERT, exactly (about half the cost of rand_distr's Beta, Cheng's BB).
        x: rand_distr::Gamma<f64>,
        y: rand_distr::Gamma<f64>,
        /// The unit beta behind the PERT, for its quantile function.
        quantile: BetaCdf,
        min: f64,
        max: f64,
    },
    Discrete(Discrete),
    Bernoulli {
        sampler: rand_distr::Bernoulli,
        p: f64,
    },
}

/// How a truncated normal is drawn by [`Drawer::sample`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TruncatedMethod {
    /// Draw the untruncated normal until the value lands inside the bounds.
    Rejection,
    /// `Phi^-1(Phi(a) + u (Phi(b) - Phi(a)))`.
    InverseCdf,
}

/// Normal(`mean`, `sd`) restricted to `[min, max]`.
///
/// The inverse CDF works in standard-normal units on the side of the mean nearer the window, so
/// that `Phi` of a far upper-tail window is not computed as `1 - tiny`: when the window's centre
/// lies above the mean (`mirrored`), it works with the mirror image `[-b, -a]` and maps back with
/// `mean - sd * t`.
#[derive(Clone, Debug)]
struct TruncatedNormal {
    mean: f64,
    sd: f64,
    min: f64,
    max: f64,
    method: TruncatedMethod,
    mirrored: bool,
    /// `Phi` of the working window's lower end.
    p_low: f64,
    /// Probability mass inside the window.
    mass: f64,
}

impl TruncatedNormal {
    fn new(mean: f64, sd: f64, min: f64, max: f64) -> Result<Self, DrawError> {
        let (a, b) = ((min - mean) / sd, (max - mean) / sd);
        let mirrored = a + b > 0.0;
        let (low, high) = if mirrored { (-b, -a) } else { (a, b) };
        let p_low = phi(low);
        let mass = phi(high) - p_low;
        if !(mass > 0.0 && mass.is_finite()) {
            return Err(DrawError::Unrepresentable {
                dist: "truncated_normal",
                message: format!(
                    "the bounds [{min}, {max}] keep no representable probability of normal({mean}, {sd})"
                ),
            });
        }
        let method = if mass >= REJECTION_MIN_MASS {
            TruncatedMethod::Rejection
        } else {
            TruncatedMethod::InverseCdf
        };
        Ok(TruncatedNormal {
            mean,
            sd,
            min,
            max,
            method,
            mirrored,
            p_low,
            mass,
        })
    }

    #[inline(always)]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        if self.method == TruncatedMethod::Rejection {
            for _ in 0..MAX_REJECTION_TRIES {
                let z: f64 = rng.sample(StandardNormal);
                let x = self.mean + self.sd * z;
                if self.min <= x && x <= self.max {
                    return x;
                }
            }
        }
        let u: f64 = rng.random();
        self.quantile(u)
    }

    /// The value at probability `u` of the working orientation (increasing in `u` unless
    /// mirrored, when it decreases).
    #[inline]
    fn quantile(&self, u: f64) -> f64 {
        let p = (self.p_low + u * self.mass).min(1.0);
        let t = phi_inverse(p);
        let x = if self.mirrored {
            self.mean - self.sd * t
        } else {
            self.mean + self.sd * t
        };
        // Accuracy guard only: `t` lies in the standardized window up to the accuracy of statrs'
        // normal CDF and quantile (about 1e-11 relative in statrs 0.19) and of the rounding, so
        // `x` can leave [min, max] only by that much. The distribution is never clamped.
        x.max(self.min).min(self.max)
    }

    fn quantile_of_score(&self, z: f64) -> f64 {
        // Phi(-z) = 1 - Phi(z), computed without cancellation.
        let u = if self.mirrored { phi(-z) } else { phi(z) };
        self.quantile(u)
    }
}

/// A discrete distribution as a quantile table: values in increasing order and the cumulative
/// probability after each.
#[derive(Clone, Debug)]
struct Discrete {
    values: Vec<f64>,
    /// `cumulative[i]` = P(X <= values[i]), normalized by the total; infinite from the last value
    /// with positive probability on, so that any `u` in [0, 1] finds a value and values with zero
    /// probability are never drawn.
    cumulative: Vec<f64>,
}

impl Discrete {
    fn new(values: &[f64], probabilities: &[f64]) -> Self {
        let mut pairs: Vec<(f64, f64)> = values
            .iter()
            .copied()
            .zip(probabilities.iter().copied())
            .collect();
        pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
        let total: f64 = pairs.iter().map(|(_, p)| p).sum();
        let last_positive = pairs.iter().rposition(|(_, p)| *p > 0.0).unwrap_or(0);
        let mut running = 0.0;
        let cumulative = pairs
            .iter()
            .enumerate()
            .map(|(i, (_, p))| {
                running += p;
                if i >= last_positive {
                    f64::INFINITY
                } else {
                    running / total
                }
            })
            .collect();
        Discrete {
            values: pairs.iter().map(|(v, _)| *v).collect(),
            cumulative,
        }
    }

    /// The smallest value whose cumulative probability exceeds `u` (`u` in [0, 1]).
    #[inline]
    fn quantile(&self, u: f64) -> f64 {
        let i = self.cumulative.partition_point(|c| *c <= u);
        let i = i.min(self.values.len().saturating_sub(1));
        self.values.get(i).copied().unwrap_or(f64::NAN)
    }

    /// The single value drawn with certainty, if there is one.
    fn certain_value(&self) -> Option<f64> {
        let first = self.quantile(0.0);
        (self.quantile(1.0) == first).then_some(first)
    }
}

/// Standard normal cumulative distribution function.
#[inline]
fn phi(z: f64) -> f64 {
    NormalCdf::standard().cdf(z)
}

/// Standard normal quantile function; `p` must lie in [0, 1].
#[inline]
fn phi_inverse(p: f64) -> f64 {
    NormalCdf::standard().inverse_cdf(p)
}

fn unrepresentable(dist: &Dist, err: impl std::fmt::Display) -> DrawError {
    DrawError::Unrepresentable {
        dist: dist.name(),
        message: err.to_string(),
    }
}

impl Drawer {
    /// Validates `dist` (with [`Dist::validate`]) and prepares it for drawing.
    ///
    /// Zero-width distributions (a fixed value, a uniform or triangular with `min == max`, a
    /// normal with `sd = 0`, a lognormal with `sigma = 0`, a Bernoulli with `p` 0 or 1, a discrete
    /// whose only value with positive probability is one number) become fixed: see
    /// [`Drawer::is_fixed`].
    ///
    /// ```
    /// use dsg_core::Dist;
    /// use dsg_montecarlo::draw::Drawer;
    ///
    /// assert!(Drawer::new(&Dist::Normal { mean: 0.1, sd: 0.02 }).is_ok());
    /// assert!(Drawer::new(&Dist::Bernoulli { p: 1.5 }).is_err());
    /// ```
    pub fn new(dist: &Dist) -> Result<Drawer, DrawError> {
        dist.validate()
            .map_err(|message| DrawError::InvalidParameters {
                dist: dist.name(),
                message,
            })?;
        let kind = match *dist {
            Dist::Fixed { value } => Kind::Fixed(value),
            Dist::Uniform { min, max } if min == max => Kind::Fixed(min),
            Dist::Uniform { min, max } => Kind::Uniform {
                sampler: rand_distr::Uniform::new(min, max)
                    .map_err(|e| unrepresentable(dist, e))?,
                quantile: statrs::distribution::Uniform::new(min, max)
                    .map_err(|e| unrepresentable(dist, e))?,
            },
            Dist::Normal { mean, sd: 0.0 } => Kind::Fixed(mean),
            Dist::Normal { mean, sd } => Kind::Normal { mean, sd },
            Dist::Lognormal {
                mu,
                sigma: 0.0,
                shift,
            } => Kind::Fixed(shift + mu.exp()),
            Dist::Lognormal { mu, sigma, shift } => Kind::Lognormal {
                sampler: rand_distr::LogNormal::new(mu, sigma)
                    .map_err(|e| unrepresentable(dist, e))?,
                mu,
                sigma,
                shift,
            },
            Dist::TruncatedNormal { mean, sd, min, max } => {
                Kind::TruncatedNormal(TruncatedNormal::new(mean, sd, min, max)?)
            }
            Dist::Triangular { min, max, .. } if min == max => Kind::Fixed(min),
            Dist::Triangular { min, mode, max } => Kind::Triangular {
                sampler: rand_distr::Triangular::new(min, max, mode)
                    .map_err(|e| unrepresentable(dist, e))?,
                quantile: statrs::distribution::Triangular::new(min, max, mode)
                    .map_err(|e| unrepresentable(dist, e))?,
            },
            Dist::Pert { min, mode, max } => {
                let range = max - min;
                let alpha = 1.0 + 4.0 * (mode - min) / range;
                let beta = 1.0 + 4.0 * (max - mode) / range;
                Kind::Pert {
                    x: rand_distr::Gamma::new(alpha, 1.0).map_err(|e| unrepresentable(dist, e))?,
                    y: rand_distr::Gamma::new(beta, 1.0).map_err(|e| unrepresentable(dist, e))?,
                    quantile: BetaCdf::new(alpha, beta).map_err(|e| unrepresentable(dist, e))?,
                    min,
                    max,
                }
            }
            Dist::Discrete {
                ref values,
                ref probabilities,
            } => {
                let table = Discrete::new(values, probabilities);
                match table.certain_value() {
                    Some(value) => Kind::Fixed(value),
                    None => Kind::Discrete(table),
                }
            }
            Dist::Bernoulli { p } if p == 0.0 || p == 1.0 => Kind::Fixed(p),
            Dist::Bernoulli { p } => Kind::Bernoulli {
                sampler: rand_distr::Bernoulli::new(p).map_err(|e| unrepresentable(dist, e))?,
                p,
            },
        };
        Ok(Drawer { kind })
    }

    /// One independent draw. Never allocates; a fixed distribution consumes no randomness.
    ///
    /// ```
    /// use dsg_core::Dist;
    /// use dsg_montecarlo::draw::Drawer;
    /// use rand::SeedableRng;
    /// use rand_xoshiro::Xoshiro256PlusPlus;
    ///
    /// let d = Drawer::new(&Dist::Discrete { values: vec![0.0, 5.0], probabilities: vec![0.9, 0.1] })?;
    /// let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    /// let x = d.sample(&mut rng);
    /// assert!(x == 0.0 || x == 5.0);
    /// # Ok::<(), dsg_montecarlo::draw::DrawError>(())
    /// ```
    // Always inlined: the sampler calls it for every uncertain slot of every path.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.kind {
            Kind::Fixed(value) => *value,
            Kind::Uniform { sampler, .. } => sampler.sample(rng),
            Kind::Normal { mean, sd } => {
                let z: f64 = rng.sample(StandardNormal);
                mean + sd * z
            }
            Kind::Lognormal { sampler, shift, .. } => shift + sampler.sample(rng),
            Kind::TruncatedNormal(t) => t.sample(rng),
            Kind::Triangular { sampler, .. } => sampler.sample(rng),
            Kind::Pert { x, y, min, max, .. } => {
                let (a, b) = (x.sample(rng), y.sample(rng));
                // Rounding guard only: min + range * beta can pass max by an ulp.
                (min + (max - min) * (a / (a + b))).max(*min).min(*max)
            }
            Kind::Discrete(table) => table.quantile(rng.random()),
            Kind::Bernoulli { sampler, .. } => {
                if sampler.sample(rng) {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// The value whose cumulative probability is `Phi(z)` (inverse-CDF of the standard normal
    /// score `z`): used for correlated (Gaussian copula) and persistent (AR(1)) inputs.
    ///
    /// Nondecreasing in `z`, so a positive correlation between scores is a positive dependence
    /// between values. For a discrete or Bernoulli input it is the usual generalized inverse (the
    /// smallest value whose cumulative probability reaches `Phi(z)`). Infinite scores give the
    /// ends of the support; a NaN score gives NaN.
    ///
    /// ```
    /// use dsg_core::Dist;
    /// use dsg_montecarlo::draw::Drawer;
    ///
    /// let d = Drawer::new(&Dist::Normal { mean: 0.07, sd: 0.02 })?;
    /// assert!((d.from_normal_score(1.0) - 0.09).abs() < 1e-15);
    /// let event = Drawer::new(&Dist::Bernoulli { p: 0.1 })?;
    /// assert_eq!(event.from_normal_score(0.0), 0.0);
    /// assert_eq!(event.from_normal_score(1.5), 1.0); // Phi(1.5) > 0.9
    /// # Ok::<(), dsg_montecarlo::draw::DrawError>(())
    /// ```
    #[inline(always)]
    pub fn from_normal_score(&self, z: f64) -> f64 {
        if z.is_nan() {
            return f64::NAN;
        }
        match &self.kind {
            Kind::Fixed(value) => *value,
            Kind::Uniform { quantile, .. } => quantile.inverse_cdf(phi(z)),
            Kind::Normal { mean, sd } => mean + sd * z,
            Kind::Lognormal {
                mu, sigma, shift, ..
            } => shift + (mu + sigma * z).exp(),
            Kind::TruncatedNormal(t) => t.quantile_of_score(z),
            Kind::Triangular { quantile, .. } => quantile.inverse_cdf(phi(z)),
            Kind::Pert {
                quantile, min, max, ..
            } => (min + (max - min) * quantile.inverse_cdf(phi(z)))
                .max(*min)
                .min(*max),
            Kind::Discrete(table) => table.quantile(phi(z)),
            Kind::Bernoulli { p, .. } => {
                // The event happens in the upper tail of the score: P(Phi(-z) < p) = p.
                if phi(-z) < *p { 1.0 } else { 0.0 }
            }
        }
    }

    /// True when every draw gives the same value.
    ///
    /// ```
    /// use dsg_core::Dist;
    /// use dsg_montecarlo::draw::Drawer;
    ///
    /// assert!(Drawer::new(&Dist::Uniform { min: 2.0, max: 2.0 })?.is_fixed());
    /// assert!(!Drawer::new(&Dist::Uniform { min: 2.0, max: 3.0 })?.is_fixed());
    /// # Ok::<(), dsg_montecarlo::draw::DrawError>(())
    /// ```
    #[inline]
    pub fn is_fixed(&self) -> bool {
        matches!(self.kind, Kind::Fixed(_))
    }
}

/// A [`Drawer`] is a `rand` distribution too, so it works with `sample_iter` and friends.
///
/// ```
/// use dsg_core::Dist;
/// use dsg_montecarlo::draw::Drawer;
/// use rand::{RngExt, SeedableRng};
/// use rand_xoshiro::Xoshiro256PlusPlus;
///
/// let d = Drawer::new(&Dist::Uniform { min: 0.0, max: 1.0 })?;
/// let rng = Xoshiro256PlusPlus::seed_from_u64(5);
/// let first: Vec<f64> = rng.sample_iter(&d).take(3).collect();
/// assert_eq!(first.len(), 3);
/// # Ok::<(), dsg_montecarlo::draw::DrawError>(())
/// ```
impl Distribution<f64> for Drawer {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        Drawer::sample(self, rng)
    }
}

/// AR(1) persistence on standard normal scores (docs/model.md section 7), the one used for every
/// persistent yearly input and for history forecasts: `e_t = phi e_(t-1) + sqrt(1 - phi^2) z_t`
/// with `z_t` standard normal, so that each `e_t` is standard normal too; the first year (no
/// previous score) and a persistence of 0 take `z_t` itself.
///
/// ```
/// use dsg_montecarlo::draw::Ar1;
/// let ar1 = Ar1::new(0.6);
/// assert_eq!(ar1.next(None, 1.5), 1.5);
/// assert!((ar1.next(Some(1.0), 0.5) - (0.6 + 0.8 * 0.5)).abs() < 1e-15);
/// assert_eq!(Ar1::new(0.0).next(Some(9.0), 0.25), 0.25);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ar1 {
    phi: f64,
    /// `sqrt(1 - phi^2)`.
    innovation: f64,
}

impl Ar1 {
    /// AR(1) with coefficient `phi` (between -1 and 1).
    #[inline]
    pub fn new(phi: f64) -> Self {
        Ar1 {
            phi,
            innovation: (1.0 - phi * phi).sqrt(),
        }
    }

    /// The coefficient.
    #[inline]
    pub fn phi(&self) -> f64 {
        self.phi
    }

    /// This year's score from last year's (`None` in the first year) and a fresh standard
    /// normal `z`.
    #[inline(always)]
    pub fn next(&self, previous: Option<f64>, z: f64) -> f64 {
        match previous {
            Some(e) if self.phi != 0.0 => self.phi * e + self.innovation * z,
            _ => z,
        }
    }
}
