//! Writing a scenario as an assumptions workbook (rust_xlsxwriter).

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, Note, ProtectionOptions,
    Workbook, Worksheet, XlsxError,
};
use toml::Value;

use dsg_core::raw::RawScenario;

use super::WorkbookError;
use super::layout::{ABOUT, COLUMNS, KINDS, SHEETS, Sheet, help, order};
use super::rows::{ITEM, KEY, KIND, Out, OutRow, PER, WIDTH, YEAR, flatten};

/// The rows after the written ones that keep the drop-down lists, for inputs added by hand.
const SPARE_ROWS: u32 = 500;

fn xlsx(e: XlsxError) -> WorkbookError {
    WorkbookError::Write {
        message: e.to_string(),
    }
}

/// The workbook's bytes for `raw`.
pub fn write(raw: &RawScenario) -> Result<Vec<u8>, WorkbookError> {
    let root = match Value::try_from(raw) {
        Ok(Value::Table(t)) => t,
        Ok(_) => {
            return Err(WorkbookError::Write {
                message: "the scenario is not a table".into(),
            });
        }
        Err(e) => {
            return Err(WorkbookError::Write {
                message: e.to_string(),
            });
        }
    };
    let years = year_list(raw);
    let mut book = Workbook::new();
    about_sheet(book.add_worksheet(), raw)?;
    for sheet in SHEETS {
        let rows = sheet_rows(sheet, &root)?;
        let ws = book.add_worksheet();
        ws.set_name(sheet.name).map_err(xlsx)?;
        data_sheet(ws, sheet, &rows, &years)?;
    }
    book.save_to_buffer().map_err(xlsx)
}

/// The value at a dotted section path.
fn section<'a>(root: &'a toml::Table, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut value = root.get(parts.next()?)?;
    for part in parts {
        value = value.as_table()?.get(part)?;
    }
    Some(value)
}

/// The rows of one sheet, with the item of each (empty on a table's sheet).
fn sheet_rows(sheet: &Sheet, root: &toml::Table) -> Result<Vec<OutRow>, WorkbookError> {
    let mut rows = Vec::new();
    // Sections below this one that have sheets of their own.
    let own: Vec<&str> = SHEETS
        .iter()
        .filter_map(|s| s.section.strip_prefix(sheet.section)?.strip_prefix('.'))
        .collect();
    match (section(root, sheet.section), sheet.item) {
        (None, _) => {}
        (Some(Value::Table(t)), None) => {
            flatten(&[], t, &own, &mut rows)?;
            in_reference_order(sheet, &mut rows);
        }
        (Some(Value::Array(items)), Some(item_key)) => {
            for (i, item) in items.iter().enumerate() {
                let Value::Table(t) = item else {
                    return Err(WorkbookError::Write {
                        message: format!("`{}` holds a value that is not a table", sheet.section),
                    });
                };
                let label = match t.get(item_key) {
                    Some(Value::String(s)) if !item_key.is_empty() => Out::Text(s.clone()),
                    _ => Out::Number((i + 1) as f64),
                };
                let mut item_rows = Vec::new();
                flatten(&[], t, &[item_key], &mut item_rows)?;
                in_reference_order(sheet, &mut item_rows);
                if item_rows.is_empty() {
                    // An item with nothing but its name: a row with only its Item cell.
                    item_rows.push(OutRow {
                        help_key: String::new(),
                        cells: vec![Out::Empty; WIDTH],
                    });
                }
                for mut row in item_rows {
                    row.cells[ITEM] = label.clone();
                    rows.push(row);
                }
            }
        }
        (Some(_), _) => {
            return Err(WorkbookError::Write {
                message: format!("`{}` is not what its sheet holds", sheet.section),
            });
        }
    }
    Ok(rows)
}

/// Puts an item's rows in the order the scenario reference lists its keys (a stable sort: a
/// per-year table's years stay in order).
fn in_reference_order(sheet: &Sheet, rows: &mut [OutRow]) {
    let section = help_section(sheet);
    rows.sort_by_key(|row| order(&format!("{section}.{}", row.help_key)));
}

/// The section under which the reference lists a sheet's keys (the instalments' under
/// `[safety_valve]`).
fn help_section(sheet: &Sheet) -> String {
    sheet.section.replace(".instalments", "")
}

/// The years offered in the `Year` column's list: up to ten before the base year to the horizon,
/// and `other_years`.
fn year_list(raw: &RawScenario) -> Vec<String> {
    let start: Option<i64> = raw.scenario.base_year.get(..4).and_then(|y| y.parse().ok());
    let mut years: Vec<String> = match start {
        Some(base) => (base - 10..=base + raw.scenario.horizon_years.clamp(0, 30))
            .map(|y| format!("{y}-{:02}", (y + 1).rem_euclid(100)))
            .collect(),
        None => Vec::new(),
    };
    // Excel keeps a list of at most 255 characters: the earliest years go first.
    while years.len() * 8 + 11 > 255 {
        years.remove(0);
    }
    years.push("other_years".into());
    years
}

fn about_sheet(ws: &mut Worksheet, raw: &RawScenario) -> Result<(), WorkbookError> {
    ws.set_name(ABOUT).map_err(xlsx)?;
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    ws.set_column_width(0, 22).map_err(xlsx)?;
    ws.set_column_width(1, 100).map_err(xlsx)?;
    ws.write_with_format(0, 0, format!("Assumptions: {}", raw.scenario.name), &title)
        .map_err(xlsx)?;
    let lines = [
        "This workbook is a dsg scenario. Each sheet holds one section, one row per input (one row per year for an input that changes by year, one row per entry of a list).",
        "Read it with `dsg validate FILE.xlsx`, forecast it with `dsg run FILE.xlsx`, or turn it into TOML with `dsg convert FILE.xlsx FILE.toml`.",
        "Money is in pounds (not £k or £m); rates and shares are fractions (0.12 is 12%); years are financial years written as text, 2026-27. A deficit is negative.",
        "Each Key cell's note says what the input is, its unit, default and allowed values (docs/scenario-reference.md). Each header's note says what its column holds.",
        "Type values, not formulas: a formula's last calculated value is used, with a warning. Do not merge cells. Keep an item's rows together and years in order.",
    ];
    for (i, line) in lines.iter().enumerate() {
        ws.write_with_format(i as u32 + 2, 1, *line, &wrap)
            .map_err(xlsx)?;
    }
    let first = lines.len() as u32 + 3;
    ws.write_with_format(first, 0, "Sheet", &bold)
        .map_err(xlsx)?;
    ws.write_with_format(first, 1, "What it holds", &bold)
        .map_err(xlsx)?;
    for (i, sheet) in SHEETS.iter().enumerate() {
        let row = first + 1 + i as u32;
        ws.write(row, 0, sheet.name).map_err(xlsx)?;
        let needed = if sheet.required { " (required)" } else { "" };
        ws.write(row, 1, format!("{}{needed}", sheet.about))
            .map_err(xlsx)?;
    }
    let cols = first + SHEETS.len() as u32 + 2;
    ws.write_with_format(cols, 0, "Column", &bold)
        .map_err(xlsx)?;
    ws.write_with_format(cols, 1, "What it holds", &bold)
        .map_err(xlsx)?;
    for (i, (name, about)) in COLUMNS.iter().enumerate() {
        ws.write(cols + 1 + i as u32, 0, *name).map_err(xlsx)?;
        ws.write_with_format(cols + 1 + i as u32, 1, *about, &wrap)
            .map_err(xlsx)?;
    }
    ws.protect_with_options(&protection());
    Ok(())
}

fn protection() -> ProtectionOptions {
    ProtectionOptions {
        insert_rows: true,
        delete_rows: true,
        format_columns: true,
        format_rows: true,
        sort: true,
        use_autofilter: true,
        ..ProtectionOptions::default()
    }
}

/// One section's sheet: the header row locked, with notes; the rows; drop-down lists.
fn data_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    rows: &[OutRow],
    years: &[String],
) -> Result<(), WorkbookError> {
    let first = if sheet.item.is_some() { ITEM } else { KEY };
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_locked();
    let open = Format::new().set_unlocked();
    for (col, (name, about)) in COLUMNS.iter().enumerate().skip(first) {
        let c = (col - first) as u16;
        let width = match col {
            ITEM | KEY => 24.0,
            KIND => 16.0,
            _ => 12.0,
        };
        ws.set_column_width(c, width).map_err(xlsx)?;
        ws.set_column_format(c, &open).map_err(xlsx)?;
        ws.write_with_format(0, c, *name, &header).map_err(xlsx)?;
        ws.insert_note(0, c, &Note::new(*about).add_author_prefix(false))
            .map_err(xlsx)?;
    }
    ws.set_row_format(0, &header).map_err(xlsx)?;
    let mut last_help: Option<(Out, String)> = None;
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for col in first..WIDTH {
            let c = (col - first) as u16;
            match &row.cells[col] {
                Out::Empty => {}
                Out::Number(x) => {
                    ws.write_number_with_format(r, c, *x, &open).map_err(xlsx)?;
                }
                Out::Text(s) => {
                    ws.write_string_with_format(r, c, s, &open).map_err(xlsx)?;
                }
                Out::Bool(b) => {
                    ws.write_boolean_with_format(r, c, *b, &open)
                        .map_err(xlsx)?;
                }
            }
        }
        let this = (row.cells[ITEM].clone(), row.help_key.clone());
        if last_help.as_ref() != Some(&this) {
            let section = help_section(sheet);
            if let Some(h) = help(&format!("{section}.{}", row.help_key)) {
                let note = Note::new(&h.text).add_author_prefix(false).set_width(400);
                ws.insert_note(r, (KEY - first) as u16, &note)
                    .map_err(xlsx)?;
            }
            last_help = Some(this);
        }
    }
    let last = rows.len() as u32 + SPARE_ROWS;
    let lists: [(usize, Vec<String>, DataValidationErrorStyle); 3] = [
        (
            KIND,
            KINDS.iter().map(|k| k.to_string()).collect(),
            DataValidationErrorStyle::Stop,
        ),
        (
            PER,
            vec!["path".into(), "year".into()],
            DataValidationErrorStyle::Stop,
        ),
        (YEAR, years.to_vec(), DataValidationErrorStyle::Warning),
    ];
    for (col, words, style) in lists {
        let validation = DataValidation::new()
            .allow_list_strings(&words)
            .map_err(xlsx)?
            .set_error_style(style);
        ws.add_data_validation(
            1,
            (col - first) as u16,
            last,
            (col - first) as u16,
            &validation,
        )
        .map_err(xlsx)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    ws.protect_with_options(&protection());
    Ok(())
}
