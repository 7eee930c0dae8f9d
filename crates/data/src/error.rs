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
    #[error("{file}, row {row}: no column {missing} (the header row must name {expected})")]
    MissingColumns {
        /// The file, as given.
        file: String,
        /// The header's row: 1 in a spreadsheet, its line in a CSV file (comment lines above it
        /// counted).
        row: usize,
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
    /// A history file (issue 13) with a value that cannot be used: the line in the file (1 = the
    /// first line, comments included), the column and what is wrong.
    #[error("{file}:{line}: column `{column}`: {message}")]
    History {
        /// The file, as given.
        file: String,
        /// The line in the file.
        line: usize,
        /// The column (`series`, `year`, `value`, `break`, ...).
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A series too short (or too broken up by breaks) to fit a growth model.
    #[error("series `{series}`: {message}")]
    TooShort {
        /// The series.
        series: String,
        /// What is missing.
        message: String,
    },
    /// A series whose fit, forecast or scores are not finite numbers (a history too extreme to
    /// fit or forecast): refused rather than written.
    #[error("series `{series}`: {message}")]
    NotFinite {
        /// The series.
        series: String,
        /// What is not finite, and why.
        message: String,
    },
    /// A public data file (issue 25) that is not one the importer knows: its name is not one of
    /// DfE's tables, or a zip holds none of them.
    #[error("{file}: {message}")]
    UnknownFile {
        /// The file, as given.
        file: String,
        /// What was expected instead.
        message: String,
    },
    /// A zip archive that cannot be read (truncated, damaged, or not a zip).
    #[error("{file}: cannot read the zip archive ({message}); download the release again")]
    Archive {
        /// The file, as given.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// An area (`--la`) that is not in the panel: the closest names, if any.
    #[error("no council matches `{query}` in the panel{}", suggest(suggestions))]
    UnknownArea {
        /// What was asked for.
        query: String,
        /// The closest areas' names, best first (at most a few).
        suggestions: Vec<String>,
    },
}

/// "; did you mean A, B or C?" for suggestions, or a hint for none.
fn suggest(names: &[String]) -> String {
    match names {
        [] => "; give the council's name, ONS code (E10000003) or DfE code (873): `dsg data show --list` lists them".to_string(),
        [one] => format!("; did you mean {one}?"),
        [init @ .., last] => format!("; did you mean {} or {last}?", init.join(", ")),
    }
}
