//! Named packages of mitigations and levers a council may choose between (`[[options]]`), run
//! side by side on the same simulated futures.

use serde::Serialize;

use crate::year::FinancialYear;

/// So many pounds a year from a year on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearlyAmount {
    /// Pounds a year.
    pub amount: f64,
    /// The first year.
    pub from: FinancialYear,
}

/// One option, validated.
///
/// ```
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml")).unwrap();
/// let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml").unwrap();
/// assert!(s.options().len() >= 3);
/// assert!(s.options().iter().all(|o| !o.name.is_empty()));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionPackage {
    /// Its name, e.g. "Early support and new places".
    pub name: String,
    /// What it is, in a sentence.
    pub description: String,
    /// The positions of the scenario's mitigations it includes (the others are off).
    pub mitigations: Vec<usize>,
    /// Their names.
    pub mitigation_names: Vec<String>,
    /// Savings taken off high-needs spend.
    pub savings: Option<YearlyAmount>,
    /// Extra contributions from the general fund.
    pub contribution: Option<YearlyAmount>,
}
