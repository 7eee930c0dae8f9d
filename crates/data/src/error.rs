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
}
