//! What is wrong with an assumptions workbook, naming the sheet and the cell.

/// An assumptions workbook that cannot be read (or written), naming the sheet and the cell as
/// a spreadsheet shows them (`Demand!E4`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkbookError {
    /// The file is not an XLSX workbook, or its parts cannot be read.
    #[error("cannot read the workbook: {message}")]
    Open {
        /// What went wrong.
        message: String,
    },
    /// A sheet the scenario needs is not in the workbook.
    #[error("no sheet `{sheet}` (a scenario needs it: {about})")]
    MissingSheet {
        /// The sheet's name.
        sheet: String,
        /// What it holds.
        about: String,
    },
    /// A sheet whose header row (row 1) lacks a column.
    #[error(
        "{sheet}!1: no column `{column}` in the header row (row 1 must name the columns: {expected})"
    )]
    MissingColumn {
        /// The sheet.
        sheet: String,
        /// The missing column.
        column: String,
        /// The columns the sheet must have.
        expected: String,
    },
    /// Merged cells: each row must give its own values.
    #[error(
        "{sheet}!{range}: merged cells; unmerge them (each row gives its own item, key and values)"
    )]
    Merged {
        /// The sheet.
        sheet: String,
        /// The merged range (`A3:A5`).
        range: String,
    },
    /// A cell that cannot be used.
    #[error("{sheet}!{cell}: {message}")]
    Cell {
        /// The sheet.
        sheet: String,
        /// The cell (`E4`).
        cell: String,
        /// What is wrong.
        message: String,
    },
    /// A sheet that cannot be used as a whole.
    #[error("sheet `{sheet}`: {message}")]
    Sheet {
        /// The sheet.
        sheet: String,
        /// What is wrong.
        message: String,
    },
    /// The rows read do not make a scenario (a required key has no row).
    #[error(
        "the workbook does not give a whole scenario: {message} (docs/scenario-reference.md lists the required keys)"
    )]
    Incomplete {
        /// What serde found missing or wrong.
        message: String,
    },
    /// The workbook could not be written.
    #[error("cannot write the workbook: {message}")]
    Write {
        /// What went wrong.
        message: String,
    },
}

impl WorkbookError {
    /// The cell the error names as `Sheet!E4` (`Sheet!1` for a header, the range for merged
    /// cells), when it names one.
    ///
    /// ```
    /// use dsg_data::workbook::WorkbookError;
    /// let e = WorkbookError::Cell { sheet: "Demand".into(), cell: "E4".into(), message: "x".into() };
    /// assert_eq!(e.cell().as_deref(), Some("Demand!E4"));
    /// ```
    pub fn cell(&self) -> Option<String> {
        match self {
            WorkbookError::Cell { sheet, cell, .. } => Some(format!("{sheet}!{cell}")),
            WorkbookError::Merged { sheet, range } => Some(format!("{sheet}!{range}")),
            WorkbookError::MissingColumn { sheet, .. } => Some(format!("{sheet}!1")),
            _ => None,
        }
    }
}

/// A cell's address as a spreadsheet shows it: row and column counted from 0 (`(3, 4)` is `E4`).
///
/// ```
/// assert_eq!(dsg_data::workbook::cell_name(3, 4), "E4");
/// assert_eq!(dsg_data::workbook::cell_name(0, 27), "AB1");
/// ```
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}
