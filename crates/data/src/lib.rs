//! # dsg-data
//!
//! Reading what councils hold, checking it and turning it into scenario inputs:
//!
//! - [`cases`]: plan-level case lists (one row per plan or placement episode), the baseline
//!   caseloads, unit costs and flows they imply, and a data-quality report (issue 14).
//! - [`history`]: yearly history series (caseload, new plans, unit costs, funding, spend), the
//!   growth models fitted to them with their parameter uncertainty, and backtests (issue 13).
//! - [`public`]: DfE's published EHC plan statistics (release zips or their CSVs) imported into
//!   one tidy panel of every council's figures (issue 25).
//! - [`workbook`]: a scenario as an assumptions workbook (XLSX), one sheet per section, and
//!   back, every problem named by its sheet and cell (issue 29).
//! - [`escape`]: text from data written safely into TOML, and CSV that a spreadsheet will not
//!   run as formulas.
//!
//! The crate depends on `dsg-core` only (ARCHITECTURE.md: data -> core).

pub mod cases;
pub mod error;
pub mod escape;
pub mod growth;
pub mod history;
mod ods_xml;
pub mod public;
pub mod workbook;

pub use error::DataError;
