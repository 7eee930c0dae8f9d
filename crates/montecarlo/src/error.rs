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
    /// A result overflowed (to infinity or NaN): some input is too large for the arithmetic
    /// (MODEL.md section 8). Nothing should be reported from such a run.
    #[error(
        "the results overflow: {series}{} is not a finite number; check the inputs feeding it for values too large to represent (caseloads, unit costs, allocations, amounts, growth rates and distribution parameters such as lognormal mu and sigma or a normal sd)",
        year.map(|y| format!(" in {y}")).unwrap_or_default()
    )]
    NonFinite {
        /// The series (and statistic) that overflowed.
        series: String,
        /// The year, when known.
        year: Option<dsg_core::FinancialYear>,
    },
    /// The thread pool could not be started.
    #[error("could not start the worker threads: {0}")]
    Threads(String),
}
