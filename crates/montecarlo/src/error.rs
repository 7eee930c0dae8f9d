//! Errors from setting up or running a simulation.

use dsg_core::correlation::NotPositiveSemiDefinite;

/// Why a simulation could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum McError {
    /// An input's distribution cannot be drawn from.
    #[error("`{key}`: {message}")]
    Input {
        /// Key path of the input.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// The correlations cannot all hold at once.
    #[error(transparent)]
    Correlation(#[from] NotPositiveSemiDefinite),
    /// A setting is out of range.
    #[error("{0}")]
    Settings(String),
    /// The thread pool could not be started.
    #[error("could not start the worker threads: {0}")]
    Threads(String),
}
