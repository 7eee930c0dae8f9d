//! Why an analysis could not be made.

/// An analysis that cannot be made, and why.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// Too few paths to say anything.
    #[error(
        "only {paths} paths were recorded; at least {needed} are needed for a sensitivity analysis"
    )]
    TooFewPaths {
        /// Paths recorded.
        paths: usize,
        /// Paths needed.
        needed: usize,
    },
    /// An outcome held a value that is not finite.
    #[error("the outcome `{0}` is not finite in some path")]
    NonFinite(String),
    /// The engine failed.
    #[error(transparent)]
    Simulation(#[from] dsg_montecarlo::McError),
    /// No lever value up to its maximum meets the target with the probability asked.
    #[error(
        "no value of the lever up to {max} meets `{target}` with probability {confidence}: even at {max} it is met in {:.1}% of the simulated futures",
        best * 100.0
    )]
    Unreachable {
        /// The target, as written.
        target: String,
        /// The probability asked for.
        confidence: f64,
        /// The share of futures meeting it at the lever's maximum.
        best: f64,
        /// The lever's maximum.
        max: f64,
    },
    /// A goal, lever or option that cannot be used.
    #[error("{0}")]
    Setting(String),
    /// A history series that cannot be backtested.
    #[error("{0}")]
    Data(#[from] dsg_data::DataError),
}
