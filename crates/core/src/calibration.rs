//! Published figures a scenario is checked against: each row names its source, the figure in
//! words, the series and year it is a value of, and (optionally) the policy set it was made
//! under. A run places each figure on its simulated distribution; a test reads the shipped
//! scenarios' rows and holds them to what they state.

use serde::Serialize;

use crate::year::FinancialYear;

/// The series a published figure may be a value of.
pub const CALIBRATION_SERIES: [&str; 4] = [
    "balance.cumulative",
    "balance.in_year",
    "caseload.total",
    "spend.total",
];

/// One published figure, validated.
///
/// ```
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml")).unwrap();
/// let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml").unwrap();
/// let opening = s.calibration().iter().find(|c| c.year == s.base_year()).unwrap();
/// assert_eq!(s.base_year_value(&opening.series), Some(opening.value));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Who published it, and where.
    pub source: String,
    /// The figure as published, in words.
    pub figure: String,
    /// The series it is a value of (one of [`CALIBRATION_SERIES`]).
    pub series: String,
    /// The year at whose end (or, for flows, in which) it is measured: the base year for a
    /// figure the scenario's inputs should reproduce, a projected year for a forecast.
    pub year: FinancialYear,
    /// The value in the series' units (pounds, negative = deficit; plans).
    pub value: f64,
    /// The policy set the figure was made under, when it is not the scenario's own (a forecast
    /// published before February 2026 assumed no write-off).
    pub policy: Option<String>,
    /// Whether the figure must lie inside the forecast's central 90% range.
    pub inside_90: bool,
    /// Where the scenario states the figure falls: its percentile rank among the simulated
    /// futures (the share of futures below it, in percent), at the default run.
    pub percentile: Option<f64>,
    /// For a base-year figure, how far (a share of the figure) the scenario's own value may be.
    pub tolerance: Option<f64>,
}
