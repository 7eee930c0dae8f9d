//! A spreadsheet's cells gathered row by row and read as case-list rows, within limits on what a
//! file may make the reader allocate.

use super::{CaseList, Cell, Date, Interner, Layout, parse_row};
use crate::DataError;

/// The most rows a case list may hold: one row per plan, and England has about 640,000 plans.
/// A longer sheet is refused before it can take the memory and minutes of a runaway file.
pub const MAX_ROWS: usize = 2_000_000;

/// The most columns a case list's header may name (the columns the list uses, and others).
pub const MAX_COLUMNS: usize = 1_000;

/// A spreadsheet's cells, gathered row by row (in the order a sheet stores them) and parsed as
/// case-list rows: the first row with any cell is the header; cells beyond its last column are
/// not kept; at most [`MAX_ROWS`] rows.
pub(super) struct SheetRows<'f> {
    file: &'f str,
    header: Option<(Layout, usize)>,
    row: Option<u32>,
    cells: Vec<calamine::Data>,
    list: CaseList,
    interner: Interner,
    texts: Vec<String>,
    /// [`MAX_ROWS`], lower in tests.
    max_rows: usize,
}

impl<'f> SheetRows<'f> {
    pub(super) fn new(file: &'f str) -> Self {
        SheetRows {
            file,
            header: None,
            row: None,
            cells: Vec::new(),
            list: CaseList {
                source: file.to_string(),
                ..CaseList::default()
            },
            interner: Interner::default(),
            texts: Vec::new(),
            max_rows: MAX_ROWS,
        }
    }

    fn too_big(&self, message: String) -> DataError {
        DataError::Workbook {
            file: self.file.to_string(),
            message,
        }
    }

    /// One cell (0-based row and column), in row order.
    pub(super) fn cell(
        &mut self,
        row: u32,
        column: u32,
        value: calamine::Data,
    ) -> Result<(), DataError> {
        if matches!(value, calamine::Data::Empty) {
            return Ok(());
        }
        if self.row != Some(row) {
            self.end_row()?;
            self.row = Some(row);
        }
        let column = column as usize;
        let width = match &self.header {
            Some((_, width)) => *width,
            None => MAX_COLUMNS,
        };
        if column >= width {
            if self.header.is_none() {
                return Err(self.too_big(format!(
                    "the header row has a cell in column {}: a case list has at most {MAX_COLUMNS} columns",
                    column + 1
                )));
            }
            return Ok(());
        }
        if self.cells.len() <= column {
            self.cells.resize(column + 1, calamine::Data::Empty);
        }
        self.cells[column] = value;
        Ok(())
    }

    /// Parses the row gathered so far (the header, or a case).
    fn end_row(&mut self) -> Result<(), DataError> {
        let Some(row) = self.row else { return Ok(()) };
        if self.cells.is_empty() {
            return Ok(());
        }
        let cells = std::mem::take(&mut self.cells);
        let Some((layout, _)) = &self.header else {
            let header: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
            let layout = Layout::of(
                &header,
                row as usize + 1,
                self.file,
                &mut self.list.unknown_columns,
            )?;
            self.header = Some((layout, header.len()));
            return Ok(());
        };
        self.list.rows_read += 1;
        if self.list.rows_read > self.max_rows {
            return Err(self.too_big(format!(
                "more than {} rows: a case list has one row per plan (England has about 640,000)",
                self.max_rows
            )));
        }
        parse_sheet_row(
            row as usize + 1,
            &cells,
            layout,
            &mut self.texts,
            &mut self.interner,
            &mut self.list,
        );
        self.cells = cells;
        self.cells.clear();
        Ok(())
    }

    pub(super) fn finish(mut self, sheet: &str) -> Result<CaseList, DataError> {
        self.end_row()?;
        if self.header.is_none() {
            return Err(self.too_big(format!("sheet `{sheet}` is empty: it needs a header row")));
        }
        self.list.settings = self.interner.names;
        Ok(self.list)
    }
}

/// Parses one spreadsheet row (`row` numbered as the spreadsheet shows it).
fn parse_sheet_row(
    row: usize,
    cells: &[calamine::Data],
    layout: &Layout,
    texts: &mut Vec<String>,
    interner: &mut Interner,
    list: &mut CaseList,
) {
    use calamine::Data;
    texts.clear();
    texts.extend(cells.iter().map(|c| match c {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
        Data::Bool(b) => b.to_string(),
        _ => String::new(),
    }));
    let texts = &*texts;
    let cell = |k: usize| -> Result<Cell<'_>, ()> {
        let Some(i) = layout.at[k] else {
            return Ok(Cell::Empty);
        };
        Ok(match cells.get(i) {
            None | Some(Data::Empty) => Cell::Empty,
            Some(Data::Int(n)) => Cell::Number(*n as f64),
            Some(Data::Float(x)) => Cell::Number(*x),
            Some(Data::DateTime(d)) => match Date::from_excel(d.as_f64()) {
                Some(d) => Cell::Date(d),
                None => Cell::Number(d.as_f64()),
            },
            Some(_) => match texts.get(i).map(|s| s.trim()) {
                Some("") | None => Cell::Empty,
                Some(t) => Cell::Text(t),
            },
        })
    };
    parse_row(row, cell, interner, list);
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "plan_id,child_id,date_of_birth,setting,primary_need,start_date,end_date,ceased_date,status,annual_cost";

    /// A sheet longer than the limit is refused (a 3-million-row workbook took 49 s and 2.7 GB).
    #[test]
    fn a_sheet_past_the_row_limit_is_refused() {
        use calamine::Data;
        let mut rows = SheetRows::new("big.xlsx");
        rows.max_rows = 3;
        let mut result = Ok(());
        for (c, h) in HEADER.split(',').enumerate() {
            result = result.and(rows.cell(0, c as u32, Data::String(h.into())));
        }
        for r in 1..=4u32 {
            result = result.and(rows.cell(r, 0, Data::String(format!("P{r}"))));
        }
        let err = result.and_then(|()| rows.finish("Sheet1").map(|_| ()));
        let err = err.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("more than 3 rows"), "{err}");
    }
}
