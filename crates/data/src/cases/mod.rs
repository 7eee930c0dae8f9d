//! Plan-level case lists (issue 14): one row per plan or placement episode, read from CSV or
//! XLSX, checked, and turned into a scenario's opening caseloads, unit costs and flow rates.
//!
//! - [`date`]: the small date type and the school-year conventions;
//! - [`record`]: one row, its status and primary need;
//! - [`read`]: reading a file, leaving out (and listing) rows that cannot be used;
//! - [`mapping`]: the council's setting codes to the scenario's provisions;
//! - [`quality`]: the data-quality checks and their effect on the baseline;
//! - [`baseline`]: caseloads and unit costs at a date, and the scenario fragment;
//! - [`flows`]: joiners, leavers and movers by year, and the flow model's rates;
//! - [`dfe_tables`]: the DSG management plan template's children-and-young-people tables;
//! - [`report`]: the data-quality report as HTML and CSV;
//! - [`generate`]: synthetic case lists with planted errors and their ground truth.

pub mod baseline;
pub mod date;
pub mod dfe_tables;
pub mod flows;
pub mod generate;
pub mod mapping;
pub mod quality;
pub mod read;
pub mod record;
pub mod report;

pub use baseline::{Baseline, Provenance, ProvisionBaseline};
pub use date::Date;
pub use flows::{Flows, YearFlows};
pub use mapping::{MapEntry, Mapping};
pub use quality::{Check, Finding, Quality};
pub use read::CaseList;
pub use record::{COLUMNS, CaseRecord, Need, RowProblem, Status};
