//! The finance officer's assumptions workbook (issue 29): a scenario as an XLSX workbook, one
//! sheet per section and one row per input, and back.
//!
//! [`write_workbook`] writes a scenario as written ([`RawScenario`]) as a workbook: an About
//! sheet, then one sheet per section (Scenario, Provisions, Demand, ... Budget, Calibration),
//! each with the columns Item (on sheets of items), Key, Year, Kind, Value, Low, High, SD, Shift,
//! Values, Probabilities, Per and Persistence; drop-down lists for the kind, the year and `per`;
//! each key's help (from `docs/scenario-reference.md`) as a note on its cell; the header row
//! locked. [`read_workbook`] reads one back, from this program or any other (columns are found
//! by their header, in any order), and names the sheet and cell of anything it cannot use:
//! text in a number cell, a formula with no calculated value (a formula with one is used, and
//! said so in a warning), merged cells, a missing sheet, a date where a year or a number belongs,
//! an item's rows split up or years out of order. `docs/workbook.md` shows the layout.
//!
//! ```
//! use dsg_data::workbook::{read_workbook, write_workbook};
//! let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml"))?;
//! let (raw, _) = dsg_core::raw::RawScenario::read(toml::Deserializer::parse(&text)?)?;
//! let bytes = write_workbook(&raw)?;
//! let read = read_workbook(&bytes)?;
//! assert_eq!(read.raw, raw);
//! let scenario = read.validate("minimal.xlsx")?;
//! assert_eq!(scenario.horizon(), raw.scenario.horizon_years as usize);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::Path;

use dsg_core::raw::RawScenario;
use dsg_core::{Scenario, ScenarioError};

mod cells;
mod error;
mod layout;
mod read;
mod rows;
mod sheet;
mod write;

pub use error::{WorkbookError, cell_name};
pub use layout::{KINDS, SHEETS, Sheet};
pub use read::ReadWorkbook;

/// Writes the scenario as an assumptions workbook, returning the file's bytes.
///
/// ```
/// let raw = dsg_core::raw::RawScenario::default();
/// let bytes = dsg_data::workbook::write_workbook(&raw)?;
/// assert_eq!(&bytes[..2], b"PK"); // a zip, as every XLSX file is
/// # Ok::<(), dsg_data::workbook::WorkbookError>(())
/// ```
pub fn write_workbook(raw: &RawScenario) -> Result<Vec<u8>, WorkbookError> {
    write::write(raw)
}

/// Reads an assumptions workbook's bytes: the scenario as written, the warnings met (formulas
/// whose calculated values were used, sheets not read), and the cell of each input.
///
/// ```
/// let err = dsg_data::workbook::read_workbook(b"not a workbook").unwrap_err();
/// assert!(err.to_string().starts_with("cannot read the workbook"));
/// ```
pub fn read_workbook(bytes: &[u8]) -> Result<ReadWorkbook, WorkbookError> {
    read::read(bytes)
}

/// Whether `path` names a workbook (ends `.xlsx`, in any case).
///
/// ```
/// assert!(dsg_data::workbook::is_workbook(std::path::Path::new("plan.XLSX")));
/// assert!(!dsg_data::workbook::is_workbook(std::path::Path::new("plan.toml")));
/// ```
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// The scenario as TOML text, every key in the scenario format's order (comments are not kept:
/// a workbook has none).
///
/// ```
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml"))?;
/// let (raw, _) = dsg_core::raw::RawScenario::read(toml::Deserializer::parse(&text)?)?;
/// let again = dsg_data::workbook::scenario_toml(&raw)?;
/// let (back, _) = dsg_core::raw::RawScenario::read(toml::Deserializer::parse(&again)?)?;
/// assert_eq!(back, raw);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn scenario_toml(raw: &RawScenario) -> Result<String, WorkbookError> {
    toml::to_string(raw).map_err(|e| WorkbookError::Write {
        message: format!("cannot write the scenario as TOML: {e}"),
    })
}

impl ReadWorkbook {
    /// Validates the scenario read, as `dsg validate` does a TOML file; each problem's key names
    /// its cell too (`Provisions!E3 provisions[0].caseload`).
    pub fn validate(&self, file: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        Scenario::from_raw(&self.raw).map_err(|e| match e {
            ScenarioError::Invalid { problems, .. } => ScenarioError::Invalid {
                file: file.as_ref().to_path_buf(),
                problems: problems
                    .into_iter()
                    .map(|mut p| {
                        if let Some(cell) = self.cell_of(&p.key) {
                            p.key = format!("{cell} {}", p.key);
                        }
                        p
                    })
                    .collect(),
            },
            other => other,
        })
    }
}
