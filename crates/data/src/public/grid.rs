//! The ESFA and DfE spreadsheets (`.ods`, `.xlsx`) read cell by cell into sparse sheets: only
//! the cells with content are kept, so a sheet declaring a far cell (repeated empty rows and
//! columns) costs nothing, and a file with more than [`MAX_CELLS`] cells with content is refused
//! before they are expanded. (calamine's dense range on an `.ods` grows with the farthest cell:
//! crates/data/src/cases/read/ods.rs has the measure.)

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::DataError;
use crate::ods_xml::{attr, entity, local, repeat};

/// The largest spreadsheet read, 64 MB: ESFA's allocation files are about 180 KB and the
/// benchmarking extract 170 KB.
pub(crate) const MAX_FILE_BYTES: u64 = 64 << 20;
/// The largest `content.xml` unpacked from an `.ods` (its 2024 file's is 2.4 MB).
const MAX_CONTENT_BYTES: u64 = 512 << 20;
/// The most cells with content read from one file (ESFA's files have about 60,000).
pub(crate) const MAX_CELLS: usize = 2_000_000;
/// Cells beyond this column (0-based) are not read.
const MAX_COLUMNS: u32 = 1_024;

/// A cell's content: a number, or text (a spreadsheet error such as `#N/A` is its text).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Number(f64),
    Text(String),
}

/// One sheet: its name and its cells with content, by (row, column), 0-based.
#[derive(Debug, Default)]
pub(crate) struct Sheet {
    pub name: String,
    pub cells: BTreeMap<(u32, u32), Cell>,
}

impl Sheet {
    /// The cell at `row`, `column`, if it has content.
    pub fn get(&self, row: u32, column: u32) -> Option<&Cell> {
        self.cells.get(&(row, column))
    }

    /// A cell's text, normalised: lower case, runs of white space as one space, trimmed (a
    /// number as written by Rust).
    pub fn label(&self, row: u32, column: u32) -> String {
        match self.get(row, column) {
            Some(Cell::Text(t)) => norm(t),
            Some(Cell::Number(v)) => v.to_string(),
            None => String::new(),
        }
    }

    /// A cell's text as written, white space runs as one space, trimmed.
    pub fn text(&self, row: u32, column: u32) -> String {
        match self.get(row, column) {
            Some(Cell::Text(t)) => t.split_whitespace().collect::<Vec<_>>().join(" "),
            Some(Cell::Number(v)) => v.to_string(),
            None => String::new(),
        }
    }

    /// The cells of `row` with content, left to right.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &Cell)> {
        self.cells
            .range((row, 0)..=(row, u32::MAX))
            .map(|((_, c), cell)| (*c, cell))
    }

    /// The rows with content, top to bottom.
    pub fn rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.cells.keys().map(|(r, _)| *r).collect();
        rows.dedup();
        rows
    }

    /// The first cell (by row, then column) whose normalised text satisfies `test`.
    pub fn find(&self, test: impl Fn(&str) -> bool) -> Option<(u32, u32)> {
        self.cells.iter().find_map(|(at, cell)| match cell {
            Cell::Text(t) if test(&norm(t)) => Some(*at),
            _ => None,
        })
    }
}

/// Text normalised for matching headers: lower case, white space runs (line breaks included)
/// as one space, trimmed.
pub(crate) fn norm(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The sheets of an OpenDocument spreadsheet, `archive` (a zip holding `content.xml`).
pub(crate) fn read_ods<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    file: &str,
) -> Result<Vec<Sheet>, DataError> {
    let err = |message: String| DataError::Workbook {
        file: file.to_string(),
        message,
    };
    let content = archive.by_name("content.xml").map_err(|e| {
        err(format!(
            "content.xml: {e} (the file is damaged or truncated)"
        ))
    })?;
    let mut xml = Reader::from_reader(BufReader::new(content.take(MAX_CONTENT_BYTES)));
    let mut state = Ods::default();
    let mut buf = Vec::new();
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| {
            err(format!(
                "content.xml: {e} (the file is damaged or truncated)"
            ))
        })?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => state.start(&e, empty, file)?,
            Event::End(e) => state.end(local(&e.local_name()), file)?,
            Event::Text(t) if state.in_text > 0 => state.text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if state.in_text > 0 => {
                if let Some(c) = entity(&r.xml10_content()) {
                    state.text.push(c);
                }
            }
            _ => {}
        }
        buf.clear();
    }
    if state.depth != 0 {
        return Err(err(
            "content.xml ends inside a sheet (the file is truncated)".into(),
        ));
    }
    Ok(state.sheets)
}

/// Where the ODS reader is.
#[derive(Default)]
struct Ods {
    sheets: Vec<Sheet>,
    /// Depth of open `table:table` elements (nested tables are read into their sheet).
    depth: u32,
    row: u32,
    row_repeat: u32,
    /// The current row's cells: (column, content, times repeated).
    cells: Vec<(u32, Cell, u32)>,
    column: u32,
    /// The open cell: its number (if a number), how many times it repeats.
    cell: Option<(Option<f64>, u32)>,
    in_text: u32,
    text: String,
    /// Cells with content so far.
    count: usize,
}

impl Ods {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool, file: &str) -> Result<(), DataError> {
        match local(&e.local_name()) {
            b"table" => {
                if self.depth == 0 {
                    self.sheets.push(Sheet {
                        name: attr(e, b"name").unwrap_or_default(),
                        ..Sheet::default()
                    });
                    self.row = 0;
                }
                if !empty {
                    self.depth += 1;
                }
            }
            b"table-row" if self.depth > 0 => {
                self.cells.clear();
                self.column = 0;
                self.row_repeat = repeat(e, b"number-rows-repeated");
                if empty {
                    self.end(b"table-row", file)?;
                }
            }
            b"table-cell" | b"covered-table-cell" if self.depth > 0 => {
                let number = match attr(e, b"value-type").as_deref() {
                    Some("float" | "percentage" | "currency") => attr(e, b"value")
                        .and_then(|v| v.trim().parse::<f64>().ok())
                        .filter(|v| v.is_finite()),
                    _ => None,
                };
                self.cell = Some((number, repeat(e, b"number-columns-repeated")));
                self.text.clear();
                if empty {
                    self.end(b"table-cell", file)?;
                }
            }
            b"p" if self.cell.is_some() && !empty => {
                if !self.text.is_empty() {
                    self.text.push('\n');
                }
                self.in_text += 1;
            }
            b"s" if self.in_text > 0 => self.text.push(' '),
            b"tab" if self.in_text > 0 => self.text.push('\t'),
            b"line-break" if self.in_text > 0 => self.text.push('\n'),
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8], file: &str) -> Result<(), DataError> {
        match name {
            b"table" => self.depth = self.depth.saturating_sub(1),
            b"p" if self.in_text > 0 => self.in_text -= 1,
            b"table-cell" | b"covered-table-cell" => {
                if let Some((number, times)) = self.cell.take() {
                    let content = match number {
                        Some(v) => Some(Cell::Number(v)),
                        None if self.text.trim().is_empty() => None,
                        None => Some(Cell::Text(std::mem::take(&mut self.text))),
                    };
                    if let Some(content) = content
                        && self.column < MAX_COLUMNS
                    {
                        let times = times.min(MAX_COLUMNS - self.column);
                        self.cells.push((self.column, content, times));
                    }
                    self.column = self.column.saturating_add(times);
                }
            }
            b"table-row" if self.depth > 0 => {
                let per_row: usize = self.cells.iter().map(|(_, _, t)| *t as usize).sum();
                let total = per_row.saturating_mul(self.row_repeat as usize);
                if per_row > 0 && self.count.saturating_add(total) > MAX_CELLS {
                    return Err(too_many(file));
                }
                self.count += total;
                let repeat = if per_row > 0 { self.row_repeat } else { 0 };
                if let Some(sheet) = self.sheets.last_mut() {
                    for r in 0..repeat {
                        for (column, content, times) in &self.cells {
                            for c in *column..column + times {
                                sheet.cells.insert((self.row + r, c), content.clone());
                            }
                        }
                    }
                }
                self.row = self.row.saturating_add(self.row_repeat);
            }
            _ => {}
        }
        Ok(())
    }
}

fn too_many(file: &str) -> DataError {
    DataError::Workbook {
        file: file.to_string(),
        message: format!(
            "more than {MAX_CELLS} cells with content, far more than ESFA's or DfE's files: not read"
        ),
    }
}

/// The sheets of an Excel workbook (`.xlsx`) at `path`, read cell by cell.
pub(crate) fn read_xlsx(path: &std::path::Path, file: &str) -> Result<Vec<Sheet>, DataError> {
    use calamine::{Data, Reader, Xlsx};
    let err = |message: String| DataError::Workbook {
        file: file.to_string(),
        message,
    };
    let reader = std::fs::File::open(path).map_err(|e| DataError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mut wb: Xlsx<BufReader<std::fs::File>> = Xlsx::new(BufReader::new(reader))
        .map_err(|e| err(format!("{e} (the file is damaged or truncated)")))?;
    let mut sheets = Vec::new();
    let mut count = 0usize;
    for name in wb.sheet_names() {
        let mut sheet = Sheet {
            name: name.clone(),
            ..Sheet::default()
        };
        let mut cells = wb
            .worksheet_cells_reader(&name)
            .map_err(|e| err(format!("sheet `{name}`: {e}")))?;
        while let Some(cell) = cells
            .next_cell()
            .map_err(|e| err(format!("sheet `{name}`: {e}")))?
        {
            let (row, column) = cell.get_position();
            if column >= MAX_COLUMNS {
                continue;
            }
            let content = match Data::from(cell.get_value().clone()) {
                Data::Empty => continue,
                Data::Float(v) if v.is_finite() => Cell::Number(v),
                Data::Int(v) => Cell::Number(v as f64),
                Data::String(s) if s.trim().is_empty() => continue,
                Data::String(s) => Cell::Text(s),
                Data::Error(e) => Cell::Text(e.to_string()),
                other => Cell::Text(other.to_string()),
            };
            count += 1;
            if count > MAX_CELLS {
                return Err(too_many(file));
            }
            sheet.cells.insert((row, column), content);
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// Whether the file at `path` starts as a zip archive does (`.ods`, `.xlsx` and release zips).
pub(crate) fn is_zip(path: &std::path::Path) -> std::io::Result<bool> {
    let mut head = [0u8; 4];
    let mut reader = BufReader::new(std::fs::File::open(path)?);
    let got = reader.fill_buf()?;
    let n = got.len().min(4);
    head[..n].copy_from_slice(&got[..n]);
    Ok(&head == b"PK\x03\x04")
}

/// The financial year a text names, by the year it starts: `2023 to 2024` or `2023-24` is 2023.
pub(crate) fn financial_years(text: &str) -> Vec<i32> {
    let b = text.as_bytes();
    let digits = |i: usize, n: usize| -> Option<i32> {
        let s = b.get(i..i + n)?;
        if s.iter().all(u8::is_ascii_digit)
            && !b.get(i + n).is_some_and(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit())
        {
            std::str::from_utf8(s).ok()?.parse().ok()
        } else {
            None
        }
    };
    let mut found = Vec::new();
    for i in 0..b.len() {
        let Some(first) = digits(i, 4) else {
            continue;
        };
        let rest = &text[i + 4..];
        if let Some(after) = rest.strip_prefix(" to ")
            && let Some(second) = digits(i + 8, 4)
            && after.len() >= 4
            && second == first + 1
        {
            found.push(first);
        } else if rest.starts_with('-')
            && let Some(second) = digits(i + 5, 2)
            && second == (first + 1) % 100
        {
            found.push(first);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::financial_years;

    #[test]
    fn financial_years_in_text() {
        assert_eq!(financial_years("2023 to 2024 DSG allocations"), vec![2023]);
        assert_eq!(financial_years("Year 2021-22"), vec![2021]);
        assert_eq!(
            financial_years("values for 2016-17, 2019-20 and 2020-21"),
            vec![2016, 2019, 2020]
        );
        assert!(financial_years("2023 to 2025, 12023-24, 2021-23").is_empty());
    }
}
