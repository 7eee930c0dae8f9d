//! Why a data file could not be read or used.

use std::path::PathBuf;

/// A data file that cannot be read or used, and why. Row numbers count the header as row 1, as a
/// spreadsheet shows them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// The file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A row or column that cannot be used.
    #[error("{file}{}: {message}", row.map(|r| format!(", row {r}")).unwrap_or_default())]
    Invalid {
        /// The file, as given.
        file: String,
        /// The row (1 = the header), where there is one.
        row: Option<usize>,
        /// What is wrong, naming the column.
        message: String,
    },
    /// A case list or mapping file whose header row lacks columns that must be there.
    #[error("{file}, row 1: no column {missing} (the header row must name {expected})")]
    MissingColumns {
        /// The file, as given.
        file: String,
        /// The missing columns, quoted and joined.
        missing: String,
        /// The columns the file must have.
        expected: String,
    },
    /// A spreadsheet (XLSX) that cannot be opened or has no sheet to read.
    #[error("{file}: cannot read the workbook: {message}")]
    Workbook {
        /// The file, as given.
        file: String,
        /// What went wrong.
        message: String,
    },
}
