//! Plan-level case lists (issue 14): one row per plan or placement episode, read from CSV or
//! XLSX, checked, and turned into a scenario's opening caseloads, unit costs and flow rates.
//!
//! - [`date`]: the small date type and the school-year conventions;
//! - [`record`]: one row, its status and primary need;
//! - [`read`]: reading a file, leaving out (and listing) rows that cannot be used.

pub mod date;
pub mod read;
pub mod record;

pub use date::Date;
pub use read::CaseList;
pub use record::{COLUMNS, CaseRecord, Need, RowProblem, Status};
