//! A sheet's cells as the reader sees them: values (a formula's cached value, said so), and
//! errors naming the cell.

use calamine::{Data, Range};

use super::{WorkbookError, cell_name};

/// One sheet's values and formulas.
pub(super) struct Cells<'a> {
    sheet: &'a str,
    values: &'a Range<Data>,
    formulas: &'a Range<String>,
}

/// A cell's text as a label or word: text, or a number written out (whole numbers without `.0`).
pub(super) fn text_of(data: &Data) -> Option<String> {
    match data {
        Data::String(s) => Some(s.clone()),
        Data::Float(x) => Some(format!("{x}")),
        Data::Int(i) => Some(format!("{i}")),
        _ => None,
    }
}

/// What a cell holds, for messages.
pub(super) fn describe(data: &Data) -> String {
    match data {
        Data::String(s) => format!("the text `{s}`"),
        Data::Float(x) => format!("the number {x}"),
        Data::Int(i) => format!("the number {i}"),
        Data::Bool(b) => format!("the value {}", if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(_) | Data::DateTimeIso(_) => "a date".into(),
        Data::DurationIso(_) => "a duration".into(),
        Data::Error(e) => format!("the error {e}"),
        Data::Empty => "nothing".into(),
    }
}

impl<'a> Cells<'a> {
    pub(super) fn new(
        sheet: &'a str,
        values: &'a Range<Data>,
        formulas: &'a Range<String>,
    ) -> Self {
        Cells {
            sheet,
            values,
            formulas,
        }
    }

    /// The last row with anything in it (0-based), if any.
    pub(super) fn last_row(&self) -> Option<u32> {
        let values = self.values.end().map(|(r, _)| r);
        let formulas = self.formulas.end().map(|(r, _)| r);
        values.max(formulas)
    }

    /// The value at `(row, col)` (0-based): a formula's calculated value, with a warning pushed
    /// to `warnings`; refused when the formula has none, or the cell holds an error.
    pub(super) fn get(
        &self,
        row: u32,
        col: u32,
        warnings: &mut Vec<String>,
    ) -> Result<Data, WorkbookError> {
        let value = self
            .values
            .get_value((row, col))
            .cloned()
            .unwrap_or(Data::Empty);
        let formula = self
            .formulas
            .get_value((row, col))
            .filter(|f| !f.is_empty());
        if let Data::Error(e) = &value {
            return Err(self.error(
                row,
                col,
                format!("the cell shows the error {e}; give a value"),
            ));
        }
        if let Some(f) = formula {
            if value == Data::Empty {
                return Err(self.error(
                    row,
                    col,
                    format!("a formula (={f}) with no calculated value (the program that wrote the workbook did not calculate it): type the value, or open and save the workbook in Excel"),
                ));
            }
            warnings.push(format!(
                "{}!{}: a formula (={f}); its calculated value, {}, is used",
                self.sheet,
                cell_name(row, col),
                describe(&value)
            ));
        }
        Ok(value)
    }

    /// An error at `(row, col)`.
    pub(super) fn error(&self, row: u32, col: u32, message: impl Into<String>) -> WorkbookError {
        WorkbookError::Cell {
            sheet: self.sheet.into(),
            cell: cell_name(row, col),
            message: message.into(),
        }
    }

    /// The cell name `Sheet!E4`.
    pub(super) fn name(&self, row: u32, col: u32) -> String {
        format!("{}!{}", self.sheet, cell_name(row, col))
    }
}
