//! One national or regional series in one year, with the quantiles reported.

use serde::Serialize;

/// The quantiles reported.
pub(super) const QUANTILES: [(f64, &str); 7] = [
    (0.05, "p5"),
    (0.10, "p10"),
    (0.25, "p25"),
    (0.50, "p50"),
    (0.75, "p75"),
    (0.90, "p90"),
    (0.95, "p95"),
];

/// One national series in one year.
#[derive(Serialize)]
pub(super) struct NationalRow {
    pub(super) measure: &'static str,
    pub(super) year: String,
    pub(super) mean: f64,
    pub(super) se: f64,
    pub(super) quantiles: Vec<f64>,
}
