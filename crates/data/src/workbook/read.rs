//! Reading an assumptions workbook (calamine) back into a scenario as written.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};
use toml::Value;

use super::cells::{Cells, text_of};
use super::layout::{ABOUT, COLUMNS, SHEETS, Sheet};
use super::rows::{ITEM, KEY, KIND, VALUE, WIDTH};
use super::{WorkbookError, cell_name};

/// A workbook read: the scenario as written, the warnings met, and the cell of every input.
#[derive(Debug, Clone)]
pub struct ReadWorkbook {
    /// The scenario as written.
    pub raw: dsg_core::raw::RawScenario,
    /// What was used but should be looked at (formulas, ignored sheets), each naming its cell.
    pub warnings: Vec<String>,
    /// The cell (`Provisions!E3`) of each key path (`provisions[0].caseload`).
    pub cells: BTreeMap<String, String>,
}

impl ReadWorkbook {
    /// The cell that gives the key path `key` (a scenario problem's key), or the nearest key
    /// above it that has one.
    ///
    /// ```
    /// # let mut cells = std::collections::BTreeMap::new();
    /// cells.insert("provisions[0].caseload".to_string(), "Provisions!E2".to_string());
    /// let read = dsg_data::workbook::ReadWorkbook { raw: Default::default(), warnings: vec![], cells };
    /// assert_eq!(read.cell_of("provisions[0].caseload.sd"), Some("Provisions!E2"));
    /// assert_eq!(read.cell_of("funding.allocation"), None);
    /// ```
    pub fn cell_of(&self, key: &str) -> Option<&str> {
        let mut key = key;
        loop {
            if let Some(cell) = self.cells.get(key) {
                return Some(cell);
            }
            let cut = key.rfind(['.', '['])?;
            key = &key[..cut];
        }
    }
}

/// Reads the workbook's bytes.
pub fn read(bytes: &[u8]) -> Result<ReadWorkbook, WorkbookError> {
    let open = |e: calamine::XlsxError| WorkbookError::Open {
        message: e.to_string(),
    };
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(open)?;
    let names = book.sheet_names();
    let mut warnings = Vec::new();
    for name in &names {
        if name != ABOUT && !SHEETS.iter().any(|s| s.name == name) {
            warnings.push(format!(
                "sheet `{name}` is not one of the scenario's sheets and is not read"
            ));
        }
    }
    let mut root = toml::Table::new();
    let mut cells = BTreeMap::new();
    for sheet in SHEETS {
        if !names.iter().any(|n| n == sheet.name) {
            if sheet.required {
                return Err(WorkbookError::MissingSheet {
                    sheet: sheet.name.into(),
                    about: sheet.about.into(),
                });
            }
            continue;
        }
        if let Some(d) = book
            .merge_cells_by_sheet_name(sheet.name)
            .map_err(open)?
            .first()
        {
            return Err(WorkbookError::Merged {
                sheet: sheet.name.into(),
                range: format!(
                    "{}:{}",
                    cell_name(d.start.0, d.start.1),
                    cell_name(d.end.0, d.end.1)
                ),
            });
        }
        let values = book.worksheet_range(sheet.name).map_err(open)?;
        let formulas = book.worksheet_formula(sheet.name).map_err(open)?;
        let mut reader = SheetReader {
            sheet,
            cells: Cells::new(sheet.name, &values, &formulas),
            columns: columns(sheet, &values)?,
            found: Vec::new(),
            warnings: &mut warnings,
            cell_map: &mut cells,
        };
        match (reader.read()?, sheet.item) {
            (Some(value), _) => insert_section(&mut root, sheet.section, value),
            // A required list with no rows is an empty list: validation says what it needs.
            (None, Some(_)) if sheet.required => {
                insert_section(&mut root, sheet.section, Value::Array(Vec::new()));
            }
            (None, _) => {}
        }
    }
    let (raw, unknown) =
        dsg_core::raw::RawScenario::read(Value::Table(root)).map_err(|e| WorkbookError::Sheet {
            sheet: "(workbook)".into(),
            message: e.to_string(),
        })?;
    let read = ReadWorkbook {
        raw,
        warnings,
        cells,
    };
    if let Some(key) = unknown.first() {
        let more = match unknown.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let message = format!(
            "unknown key `{key}`{more}: see the scenario reference for the keys of this sheet"
        );
        return Err(match read.cell_of(key).and_then(|c| c.split_once('!')) {
            Some((sheet, cell)) => WorkbookError::Cell {
                sheet: sheet.into(),
                cell: cell.into(),
                message,
            },
            None => WorkbookError::Incomplete { message },
        });
    }
    Ok(read)
}

/// Puts a section's value at its dotted path (`safety_valve.instalments`).
fn insert_section(root: &mut toml::Table, path: &str, value: Value) {
    let (parent, last) = match path.rsplit_once('.') {
        Some((parent, last)) => (Some(parent), last),
        None => (None, path),
    };
    let mut table = root;
    if let Some(parent) = parent {
        for part in parent.split('.') {
            let entry = table
                .entry(part.to_string())
                .or_insert_with(|| Value::Table(toml::Table::new()));
            if !entry.is_table() {
                *entry = Value::Table(toml::Table::new());
            }
            let Value::Table(t) = entry else { return };
            table = t;
        }
    }
    table.insert(last.to_string(), value);
}

/// The logical column of each physical column, from the header row.
fn columns(sheet: &Sheet, values: &Range<Data>) -> Result<Vec<Option<usize>>, WorkbookError> {
    let (row0, col0) = values.start().unwrap_or((0, 0));
    let width = values.end().map_or(0, |(_, c)| c + 1);
    let mut out = vec![None; width as usize];
    let mut seen = BTreeSet::new();
    if row0 == 0 {
        for c in col0..width {
            let Some(text) = values.get_value((0, c)).and_then(text_of) else {
                continue;
            };
            let name = text.trim().to_lowercase();
            if let Some(logical) = COLUMNS.iter().position(|(n, _)| n.to_lowercase() == name) {
                if !seen.insert(logical) {
                    return Err(WorkbookError::Cell {
                        sheet: sheet.name.into(),
                        cell: cell_name(0, c),
                        message: format!("a second `{}` column", COLUMNS[logical].0),
                    });
                }
                out[c as usize] = Some(logical);
            }
        }
    }
    let mut needed = vec![KEY, KIND, VALUE];
    if sheet.item.is_some() {
        needed.insert(0, ITEM);
    }
    if let Some(missing) = needed.iter().find(|c| !seen.contains(c)) {
        return Err(WorkbookError::MissingColumn {
            sheet: sheet.name.into(),
            column: COLUMNS[*missing].0.into(),
            expected: needed
                .iter()
                .map(|c| COLUMNS[*c].0)
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    debug_assert!(out.iter().flatten().all(|c| *c < WIDTH));
    Ok(out)
}

/// Reading one sheet's rows into its section's value.
pub(super) struct SheetReader<'a> {
    pub(super) sheet: &'a Sheet,
    pub(super) cells: Cells<'a>,
    /// Logical column of each physical column.
    pub(super) columns: Vec<Option<usize>>,
    /// Items found so far on a sheet of items: label, first row, its table.
    pub(super) found: Vec<(String, u32, toml::Table)>,
    pub(super) warnings: &'a mut Vec<String>,
    pub(super) cell_map: &'a mut BTreeMap<String, String>,
}
