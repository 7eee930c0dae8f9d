//! An OpenDocument spreadsheet (`.ods`) read cell by cell from its XML, as XLSX is: calamine
//! builds the whole sheet as one dense range, so a 2.4 KB file declaring a far cell (repeated
//! empty rows and columns) took 34 s and 6.1 GB. Here repeated empty rows and cells cost nothing,
//! cells beyond the header's columns are dropped by [`SheetRows`], and a repeated row with content
//! counts against [`super::sheet::MAX_ROWS`] as it is given.

use std::io::{BufReader, Read};

use calamine::Data;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::sheet::{MAX_COLUMNS, MAX_ROWS, SheetRows};
use crate::DataError;
use crate::ods_xml::{attr, entity, local, repeat};

/// The largest `content.xml` read (uncompressed), 1 GB: far above a 2,000,000-row list (about
/// 600 MB), and a bound on a compressed file that unpacks without end.
const MAX_CONTENT_BYTES: u64 = 1 << 30;

/// Reads the first sheet of the ODS file at `path` into `rows`; returns the sheet's name.
pub(super) fn read_first_sheet(
    path: &std::path::Path,
    rows: &mut SheetRows<'_>,
) -> Result<String, DataError> {
    let file = path.display().to_string();
    let err = |message: String| DataError::Workbook {
        file: file.clone(),
        message,
    };
    let zip_file = std::fs::File::open(path).map_err(|e| err(e.to_string()))?;
    let mut archive = zip::ZipArchive::new(BufReader::new(zip_file))
        .map_err(|e| err(format!("not an OpenDocument spreadsheet: {e}")))?;
    let content = archive.by_name("content.xml").map_err(|e| {
        err(format!(
            "not an OpenDocument spreadsheet (content.xml: {e})"
        ))
    })?;
    let mut xml = Reader::from_reader(BufReader::new(content.take(MAX_CONTENT_BYTES)));
    let mut sheet = Sheet::default();
    let mut buf = Vec::new();
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| err(format!("content.xml: {e}")))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Eof => break,
            // The first sheet's end ends the reading.
            Event::Start(e) | Event::Empty(e) if sheet.start(&e, empty, rows)? => break,
            Event::End(e) => sheet.end(local(e.local_name().as_ref()), rows)?,
            Event::Text(t) if sheet.in_text > 0 => sheet.text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if sheet.in_text > 0 => {
                if let Some(c) = entity(&r.xml10_content()) {
                    sheet.text.push(c);
                }
            }
            _ => {}
        }
        buf.clear();
    }
    sheet.name.ok_or_else(|| err("it has no sheets".into()))
}

/// Where the reader is in the first sheet.
#[derive(Default)]
struct Sheet {
    /// The first sheet's name, once met.
    name: Option<String>,
    /// Inside the first sheet.
    inside: bool,
    /// The current row (0-based) and how many times it repeats.
    row: u32,
    row_repeat: u32,
    /// The current row's cells: (column, value, times repeated).
    cells: Vec<(u32, Data, u32)>,
    column: u32,
    /// The open cell: its typed value (if not text), how many times it repeats.
    cell: Option<(Option<Data>, u32)>,
    /// Depth inside `text:p` elements of the open cell, and the text gathered.
    in_text: u32,
    text: String,
}

impl Sheet {
    /// An element starts (`empty`: it also ends). Returns true once the first sheet has ended.
    fn start(
        &mut self,
        e: &BytesStart<'_>,
        empty: bool,
        rows: &mut SheetRows<'_>,
    ) -> Result<bool, DataError> {
        match local(e.local_name().as_ref()) {
            b"table" if self.name.is_none() => {
                self.name = Some(attr(e, b"name").unwrap_or_else(|| "Sheet1".into()));
                self.inside = !empty;
                return Ok(empty);
            }
            b"table" => return Ok(true),
            b"table-row" if self.inside => {
                self.cells.clear();
                self.column = 0;
                self.row_repeat = repeat(e, b"number-rows-repeated");
                if empty {
                    self.end(b"table-row", rows)?;
                }
            }
            b"table-cell" | b"covered-table-cell" if self.inside => {
                let times = repeat(e, b"number-columns-repeated");
                self.cell = Some((typed_value(e), times));
                self.text.clear();
                if empty {
                    self.end(b"table-cell", rows)?;
                }
            }
            b"p" if self.cell.is_some() && !empty => {
                if !self.text.is_empty() {
                    self.text.push('\n');
                }
                self.in_text += 1;
            }
            b"s" if self.in_text > 0 => {
                let spaces = repeat(e, b"c").min(1_000) as usize;
                self.text.push_str(&" ".repeat(spaces));
            }
            b"tab" if self.in_text > 0 => self.text.push('\t'),
            b"line-break" if self.in_text > 0 => self.text.push('\n'),
            _ => {}
        }
        Ok(false)
    }

    /// An element ends.
    fn end(&mut self, name: &[u8], rows: &mut SheetRows<'_>) -> Result<(), DataError> {
        match name {
            b"table" => self.inside = false,
            b"p" if self.in_text > 0 => self.in_text -= 1,
            b"table-cell" | b"covered-table-cell" => {
                if let Some((typed, times)) = self.cell.take() {
                    let value = match typed {
                        Some(v) => v,
                        None if self.text.is_empty() => Data::Empty,
                        None => Data::String(std::mem::take(&mut self.text)),
                    };
                    if !matches!(value, Data::Empty) {
                        self.cells.push((self.column, value, times));
                    }
                    self.column = self.column.saturating_add(times);
                }
            }
            b"table-row" if self.inside => {
                if !self.cells.is_empty() {
                    // A repeated row with content is given once per repeat (rows beyond
                    // MAX_ROWS are refused by `rows`); repeated cells up to MAX_COLUMNS.
                    for _ in 0..self.row_repeat.min(MAX_ROWS as u32 + 1) {
                        for (column, value, times) in &self.cells {
                            let end = column.saturating_add(*times).min(MAX_COLUMNS as u32 + 1);
                            for c in *column..end {
                                rows.cell(self.row, c, value.clone())?;
                            }
                        }
                        self.row = self.row.saturating_add(1);
                    }
                } else {
                    self.row = self.row.saturating_add(self.row_repeat);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// A cell's value from its attributes (numbers, dates, booleans); `None` for text, which is in
/// its paragraphs.
fn typed_value(e: &BytesStart<'_>) -> Option<Data> {
    let attr = |name: &[u8]| attr(e, name);
    match attr(b"value-type").as_deref() {
        Some("float" | "percentage" | "currency") => {
            let value = attr(b"value")?;
            Some(match value.trim().parse::<f64>() {
                Ok(x) => Data::Float(x),
                Err(_) => Data::String(value),
            })
        }
        Some("date") => attr(b"date-value").map(Data::DateTimeIso),
        Some("time") => attr(b"time-value").map(Data::DurationIso),
        Some("boolean") => attr(b"boolean-value").map(|b| Data::Bool(b == "true")),
        _ => None,
    }
}
