//! DfE's public EHC plan statistics, ESFA's DSG allocations and DfE's high-needs benchmarking
//! extract, imported as published (issue 25).
//!
//! [`import_files`] reads the "Education, health and care plans" release zips (or CSVs taken out
//! of them) and joins them into one tidy [`Panel`]: one row per area, series and year, with the
//! file and table each value came from. Columns are found by name; DfE's symbols `x`, `z`, `c`
//! and `low` (and blank cells) are missing values, never zeros; columns, codes and files the
//! importer does not know are reported as notes, not refused. Where two releases give the same
//! area, series and year, the newer release's value is kept. The spreadsheets (`.ods`, `.xlsx`)
//! are known by their content and read cell by cell; DfE's three-digit codes are read to ONS
//! codes by [`DFE_CODES`]; money is by financial year, by the year it starts (2023 = 2023-24).
//! docs/public-data.md describes the series, the format and how the files join.
//!
//! ```no_run
//! use dsg_data::public::import_files;
//! let import = import_files(&["education-health-and-care-plans_2025.zip".into()])?;
//! let england = import.panel.find("E92000001", "caseload", 2025).unwrap();
//! assert_eq!(england.value.number(), Some(638_745.0));
//! # Ok::<(), dsg_data::DataError>(())
//! ```

mod age_backtest;
mod ages;
mod allocations;
mod areas;
mod assessment;
mod benchmarking;
mod codes;
mod costs;
mod council;
mod ehcp;
mod fact;
mod figures;
mod funding;
mod grid;
mod inputs;
mod panel;
mod read;
mod regions;
mod scenario;
mod shipped;
mod source;

use std::fmt;

pub use age_backtest::{AgeEvaluation, BandEvaluation, age_shares, band_forecast, evaluate_by_age};
pub(crate) use ages::age_figures;
pub use ages::{
    AGE_BAND_AGEING, AGE_BAND_NAMES, AGE_BANDS, AgeFigures, HOLD_SWING, fit_leaving, hold_leaving,
    project_bands,
};
pub use areas::{Area, BOUNDARY_CHANGES, BoundaryChange, CODE_CHANGES, Level, current_code};
pub use codes::{DFE_CODES, REGIONS, la_of_dfe_code, region_of_name};
pub use costs::NATIONAL_HIGH_NEEDS;
pub use council::{CouncilFigures, PooledFits, PooledGrowth};
pub use figures::{Placement, Sourced};
pub use funding::FundingGrowth;
pub use panel::{Collection, HEADER, Import, Panel, PanelRow, SourceSummary, import_files};
pub use regions::{LA_REGIONS, region_of_la};
pub(crate) use scenario::written_rate;
pub use scenario::{CURRENT_POLICY, HORIZON_YEARS, ScenarioSettings, ages_toml, scenario_toml};
pub use shipped::SHIPPED_CSV;

/// A value as published: a number, or missing with DfE's symbol for why.
///
/// ```
/// use dsg_data::public::Value;
/// assert_eq!(Value::Number(46.4).number(), Some(46.4));
/// assert_eq!(Value::Missing("x".into()).number(), None);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A published figure.
    Number(f64),
    /// Not published: `x` (not available), `z` (not applicable), `c` (confidential), `low`, or
    /// `blank` for an empty cell (or the text found, if it was none of these).
    Missing(String),
}

impl Value {
    /// The figure, if published.
    ///
    /// ```
    /// use dsg_data::public::Value;
    /// assert_eq!(Value::Missing("z".into()).number(), None);
    /// ```
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Number(v) => Some(*v),
            Value::Missing(_) => None,
        }
    }

    /// The sum of two values: missing if either is (with the first missing one's symbol).
    pub(crate) fn plus(&self, other: &Value) -> Value {
        match (self, other) {
            (Value::Number(a), Value::Number(b)) => Value::Number(a + b),
            (Value::Missing(s), _) | (_, Value::Missing(s)) => Value::Missing(s.clone()),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(v) => write!(f, "{v}"),
            Value::Missing(s) => write!(f, "missing ({s})"),
        }
    }
}

/// DfE's symbol for a value not published, if `text` is one: `x`, `z`, `c`, `low` (any case),
/// or `blank` for an empty cell.
///
/// ```
/// use dsg_data::public::missing_symbol;
/// assert_eq!(missing_symbol("x"), Some("x"));
/// assert_eq!(missing_symbol(""), Some("blank"));
/// assert_eq!(missing_symbol("0"), None);
/// ```
pub fn missing_symbol(text: &str) -> Option<&'static str> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" => Some("blank"),
        "x" => Some("x"),
        "z" => Some("z"),
        "c" => Some("c"),
        "low" => Some("low"),
        _ => None,
    }
}
