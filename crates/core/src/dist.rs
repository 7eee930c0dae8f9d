//! Distributions of uncertain inputs, as data: their parameters, validation, central value and
//! analytic mean. Drawing from them is the Monte Carlo crate's job; the core never draws.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF, Normal};

/// How often an uncertain input is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// Once per path: the same value in every year of that path.
    Path,
    /// Afresh in every year of a path (optionally with AR(1) persistence).
    Year,
}

/// A distribution of one numeric input (docs/model.md section 7).
///
/// ```
/// use dsg_core::Dist;
/// let d = Dist::Pert { min: 0.3, mode: 0.7, max: 1.0 };
/// assert!(d.validate().is_ok());
/// assert_eq!(d.central(), 0.7); // PERT and triangular: the mode
/// assert!((d.mean() - (0.3 + 4.0 * 0.7 + 1.0) / 6.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum Dist {
    /// Always `value`.
    Fixed {
        /// The value.
        value: f64,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Normal with mean `mean` and standard deviation `sd`.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// `shift + exp(X)` with `X` normal(`mu`, `sigma`): `shift = -1` makes a growth *factor*
    /// lognormal.
    Lognormal {
        /// Mean of the logarithm.
        mu: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
        /// Added to the lognormal draw (default 0).
        #[serde(default)]
        shift: f64,
    },
    /// Normal(`mean`, `sd`) restricted to `[min, max]` (drawn within the bounds, never clamped).
    TruncatedNormal {
        /// Mean of the untruncated normal.
        mean: f64,
        /// Standard deviation of the untruncated normal.
        sd: f64,
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Triangular on `[min, max]` with its peak at `mode`.
    Triangular {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// PERT (a scaled beta with shape 4) on `[min, max]` with most likely value `mode`.
    Pert {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// One of `values`, with the matching `probabilities` (summing to 1).
    Discrete {
        /// The possible values.
        values: Vec<f64>,
        /// Their probabilities.
        probabilities: Vec<f64>,
    },
    /// 1 with probability `p`, else 0: an event.
    Bernoulli {
        /// Probability of the event.
        p: f64,
    },
}

/// Probabilities in a discrete distribution may sum to 1 within this tolerance.
pub const PROBABILITY_SUM_TOLERANCE: f64 = 1e-9;

impl Dist {
    /// Checks the parameters; the message says what is wrong in a finance officer's words.
    ///
    /// ```
    /// use dsg_core::Dist;
    /// let bad = Dist::Pert { min: 1.0, mode: 0.5, max: 0.8 };
    /// assert!(bad.validate().unwrap_err().contains("min <= mode <= max"));
    /// ```
    pub fn validate(&self) -> Result<(), String> {
        let numbers = self.parameters();
        if let Some(bad) = numbers.iter().find(|x| !x.is_finite()) {
            return Err(format!(
                "every parameter must be a finite number (found {bad})"
            ));
        }
        match *self {
            Dist::Fixed { .. } => Ok(()),
            Dist::Uniform { min, max } if min > max => {
                Err(format!("uniform needs min <= max (min {min}, max {max})"))
            }
            Dist::Normal { sd, .. } if sd < 0.0 => Err(format!("normal needs sd >= 0 (sd {sd})")),
            Dist::Lognormal { sigma, .. } if sigma < 0.0 => {
                Err(format!("lognormal needs sigma >= 0 (sigma {sigma})"))
            }
            Dist::TruncatedNormal { sd, min, max, .. } => {
                if sd <= 0.0 {
                    Err(format!("truncated_normal needs sd > 0 (sd {sd})"))
                } else if min >= max {
                    Err(format!(
                        "truncated_normal needs min < max (min {min}, max {max})"
                    ))
                } else if self.truncated_mass() < 1e-12 {
                    Err("truncated_normal bounds leave no probability to draw from".to_string())
                } else {
                    Ok(())
                }
            }
            Dist::Triangular { min, mode, max } | Dist::Pert { min, mode, max }
                if !(min <= mode && mode <= max) =>
            {
                Err(format!(
                    "{} needs min <= mode <= max (min {min}, mode {mode}, max {max})",
                    self.name()
                ))
            }
            Dist::Pert { min, max, .. } if min == max => Err(format!(
                "pert needs min < max (both {min}); use a number for a fixed value"
            )),
            Dist::Discrete {
                ref values,
                ref probabilities,
            } => {
                if values.is_empty() || values.len() != probabilities.len() {
                    Err(format!(
                        "discrete needs as many probabilities as values, at least one (values {}, probabilities {})",
                        values.len(),
                        probabilities.len()
                    ))
                } else if probabilities.iter().any(|p| *p < 0.0) {
                    Err("discrete probabilities must not be negative".to_string())
                } else if (probabilities.iter().sum::<f64>() - 1.0).abs()
                    > PROBABILITY_SUM_TOLERANCE
                {
                    Err(format!(
                        "discrete probabilities must sum to 1 (they sum to {})",
                        probabilities.iter().sum::<f64>()
                    ))
                } else {
                    Ok(())
                }
            }
            Dist::Bernoulli { p } if !(0.0..=1.0).contains(&p) => {
                Err(format!("a probability must be between 0 and 1 (got {p})"))
            }
            _ => Ok(()),
        }
    }

    /// The name used in scenario files (`dist = "..."`).
    pub fn name(&self) -> &'static str {
        match self {
            Dist::Fixed { .. } => "fixed",
            Dist::Uniform { .. } => "uniform",
            Dist::Normal { .. } => "normal",
            Dist::Lognormal { .. } => "lognormal",
            Dist::TruncatedNormal { .. } => "truncated_normal",
            Dist::Triangular { .. } => "triangular",
            Dist::Pert { .. } => "pert",
            Dist::Discrete { .. } => "discrete",
            Dist::Bernoulli { .. } => "bernoulli",
        }
    }

    fn parameters(&self) -> Vec<f64> {
        match self {
            Dist::Fixed { value } => vec![*value],
            Dist::Uniform { min, max } => vec![*min, *max],
            Dist::Normal { mean, sd } => vec![*mean, *sd],
            Dist::Lognormal { mu, sigma, shift } => vec![*mu, *sigma, *shift],
            Dist::TruncatedNormal { mean, sd, min, max } => vec![*mean, *sd, *min, *max],
            Dist::Triangular { min, mode, max } | Dist::Pert { min, mode, max } => {
                vec![*min, *mode, *max]
            }
            Dist::Discrete {
                values,
                probabilities,
            } => values.iter().chain(probabilities).copied().collect(),
            Dist::Bernoulli { p } => vec![*p],
        }
    }

    /// True when the distribution always gives the same value.
    pub fn is_fixed(&self) -> bool {
        match self {
            Dist::Fixed { .. } => true,
            Dist::Uniform { min, max } => min == max,
            Dist::Normal { sd, .. } => *sd == 0.0,
            Dist::Lognormal { sigma, .. } => *sigma == 0.0,
            Dist::Triangular { min, max, .. } => min == max,
            Dist::Discrete {
                values,
                probabilities,
            } => {
                // Values that can never be drawn do not count.
                let mut possible = values
                    .iter()
                    .zip(probabilities)
                    .filter(|(_, p)| **p > 0.0)
                    .map(|(v, _)| v);
                let first = possible.next();
                possible.all(|v| Some(v) == first)
            }
            Dist::Bernoulli { p } => *p == 0.0 || *p == 1.0,
            Dist::TruncatedNormal { .. } | Dist::Pert { .. } => false,
        }
    }

    /// The value the deterministic projection uses: the mean, except the mode for triangular and
    /// PERT (the "most likely" figure a finance officer gives) and, for an event, 1 when its
    /// probability is at least one half (an event either happens or not in a central case).
    ///
    /// ```
    /// use dsg_core::Dist;
    /// assert_eq!(Dist::Normal { mean: 0.12, sd: 0.02 }.central(), 0.12);
    /// assert_eq!(Dist::Bernoulli { p: 0.5 }.central(), 1.0);
    /// assert_eq!(Dist::Bernoulli { p: 0.4 }.central(), 0.0);
    /// ```
    pub fn central(&self) -> f64 {
        match *self {
            Dist::Triangular { mode, .. } | Dist::Pert { mode, .. } => mode,
            Dist::Bernoulli { p } => {
                if p >= 0.5 {
                    1.0
                } else {
                    0.0
                }
            }
            _ => self.mean(),
        }
    }

    /// The analytic mean.
    ///
    /// ```
    /// use dsg_core::Dist;
    /// let d = Dist::Lognormal { mu: 0.0, sigma: 0.5, shift: -1.0 };
    /// assert!((d.mean() - ((0.125f64).exp() - 1.0)).abs() < 1e-12);
    /// ```
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed { value } => value,
            Dist::Uniform { min, max } => 0.5 * (min + max),
            Dist::Normal { mean, .. } => mean,
            Dist::Lognormal { mu, sigma, shift } => shift + (mu + 0.5 * sigma * sigma).exp(),
            Dist::TruncatedNormal { mean, sd, min, max } => {
                let (a, b) = ((min - mean) / sd, (max - mean) / sd);
                let z = self.truncated_mass();
                mean + sd * (std_normal().pdf(a) - std_normal().pdf(b)) / z
            }
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Dist::Pert { min, mode, max } => (min + 4.0 * mode + max) / 6.0,
            Dist::Discrete {
                ref values,
                ref probabilities,
            } => values.iter().zip(probabilities).map(|(v, p)| v * p).sum(),
            Dist::Bernoulli { p } => p,
        }
    }

    /// The smallest and largest values the distribution can give (infinite when unbounded).
    ///
    /// ```
    /// use dsg_core::Dist;
    /// assert_eq!(Dist::Uniform { min: 1.0, max: 2.0 }.support(), (1.0, 2.0));
    /// assert_eq!(Dist::Normal { mean: 0.0, sd: 1.0 }.support().1, f64::INFINITY);
    /// ```
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Fixed { value } => (value, value),
            Dist::Uniform { min, max }
            | Dist::TruncatedNormal { min, max, .. }
            | Dist::Triangular { min, max, .. }
            | Dist::Pert { min, max, .. } => (min, max),
            Dist::Normal { mean, sd: 0.0 } => (mean, mean),
            Dist::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Dist::Lognormal {
                shift,
                sigma: 0.0,
                mu,
            } => (shift + mu.exp(), shift + mu.exp()),
            Dist::Lognormal { shift, .. } => (shift, f64::INFINITY),
            Dist::Discrete { ref values, .. } => values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(*v), hi.max(*v))
                }),
            Dist::Bernoulli { .. } => (0.0, 1.0),
        }
    }

    /// Probability mass a truncated normal keeps inside its bounds (1 for other kinds).
    fn truncated_mass(&self) -> f64 {
        match *self {
            Dist::TruncatedNormal { mean, sd, min, max } => {
                let n = std_normal();
                let (a, b) = ((min - mean) / sd, (max - mean) / sd);
                // Above the mean, subtract survival probabilities: cdf values near 1 lose digits.
                if a > 0.0 {
                    n.sf(a) - n.sf(b)
                } else {
                    n.cdf(b) - n.cdf(a)
                }
            }
            _ => 1.0,
        }
    }
}

fn std_normal() -> Normal {
    Normal::standard()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_normal_mean_is_symmetric_and_shifts_toward_bounds() {
        let sym = Dist::TruncatedNormal {
            mean: 0.07,
            sd: 0.02,
            min: 0.03,
            max: 0.11,
        };
        assert!((sym.mean() - 0.07).abs() < 1e-15);
        let one_sided = Dist::TruncatedNormal {
            mean: 0.0,
            sd: 1.0,
            min: 0.0,
            max: 50.0,
        };
        // Half-normal mean: sqrt(2/pi).
        assert!((one_sided.mean() - (2.0 / std::f64::consts::PI).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn validation_catches_each_kind_of_mistake() {
        let bad = [
            Dist::Uniform { min: 2.0, max: 1.0 },
            Dist::Normal {
                mean: 0.0,
                sd: -1.0,
            },
            Dist::Normal {
                mean: f64::NAN,
                sd: 1.0,
            },
            Dist::Lognormal {
                mu: 0.0,
                sigma: -0.1,
                shift: 0.0,
            },
            Dist::TruncatedNormal {
                mean: 0.0,
                sd: 1.0,
                min: 1.0,
                max: 1.0,
            },
            Dist::TruncatedNormal {
                mean: 0.0,
                sd: 1.0,
                min: 60.0,
                max: 61.0,
            },
            Dist::Triangular {
                min: 0.0,
                mode: 2.0,
                max: 1.0,
            },
            Dist::Pert {
                min: 1.0,
                mode: 0.5,
                max: 0.8,
            },
            Dist::Pert {
                min: 1.0,
                mode: 1.0,
                max: 1.0,
            },
            Dist::Discrete {
                values: vec![1.0, 2.0],
                probabilities: vec![0.5],
            },
            Dist::Discrete {
                values: vec![1.0, 2.0],
                probabilities: vec![0.5, 0.6],
            },
            Dist::Discrete {
                values: vec![1.0, 2.0],
                probabilities: vec![-0.5, 1.5],
            },
            Dist::Bernoulli { p: 1.5 },
        ];
        for d in bad {
            assert!(d.validate().is_err(), "{d:?} should be rejected");
        }
    }

    #[test]
    fn central_values_follow_the_documented_rule() {
        assert_eq!(
            Dist::Triangular {
                min: 0.0,
                mode: 0.2,
                max: 1.0
            }
            .central(),
            0.2
        );
        assert_eq!(Dist::Uniform { min: 0.0, max: 1.0 }.central(), 0.5);
        let disc = Dist::Discrete {
            values: vec![0.0, 10.0],
            probabilities: vec![0.75, 0.25],
        };
        assert_eq!(disc.central(), 2.5);
    }
}
