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
    /// (docs/model.md section 8). Nothing should be reported from such a run.
    #[error(
        "the results overflow: {}{} is not a finite number; check the inputs feeding it for values too large to represent (caseloads, unit costs, allocations, amounts, growth rates and distribution parameters such as lognormal mu and sigma or a normal sd)",
        quoted(series),
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

/// A series named in backticks like every other key, what of it left outside:
/// `` `balance.cumulative` (p50) ``.
fn quoted(series: &str) -> String {
    match series.split_once(" (") {
        Some((name, what)) => format!("`{name}` ({what}"),
        None => format!("`{series}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overflow_names_the_series_in_backticks() {
        let year = dsg_core::FinancialYear::new(2027);
        let err = McError::NonFinite {
            series: "balance.cumulative (p50)".into(),
            year,
        };
        assert!(
            err.to_string()
                .starts_with("the results overflow: `balance.cumulative` (p50) in 2027-28 is not a finite number;"),
            "{err}"
        );
        let err = McError::NonFinite {
            series: "expected_safety_valve_receipts".into(),
            year: None,
        };
        assert!(
            err.to_string()
                .starts_with("the results overflow: `expected_safety_valve_receipts` is not"),
            "{err}"
        );
    }
}
