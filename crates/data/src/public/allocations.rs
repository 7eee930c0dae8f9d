//! ESFA's "Dedicated schools grant (DSG): allocations" spreadsheets (`.ods`): the
//! `Allocations_summary` sheet, every authority's blocks before and after deductions, read by
//! header name into the panel's `dsg.*` series (docs/public-data.md).

use std::collections::{BTreeMap, BTreeSet};

use super::areas::{Area, Level};
use super::codes::{la_of_dfe_code, region_of_name};
use super::fact::{Fact, note_odd, value_of};
use super::grid::{Cell, Sheet, financial_years};
use crate::DataError;

/// Which part of the summary a column is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// DSG allocations before recoupment and deductions.
    Before,
    /// After deductions for academies recoupment, rates and directly funded places.
    After,
}

/// The columns read: part, the header's start (normalised, `(£s)` dropped), the series, and the
/// header as ESFA writes it (for messages).
const COLUMNS: &[(Part, &str, &str, &str)] = &[
    (
        Part::Before,
        "schools block",
        "dsg.schools",
        "Schools block (£s)",
    ),
    (
        Part::Before,
        "central school services block",
        "dsg.central_school_services",
        "Central school services block (£s)",
    ),
    (
        Part::Before,
        "high needs block",
        "dsg.high_needs_before_deductions",
        "High needs block (£s)",
    ),
    (
        Part::Before,
        "early years block",
        "dsg.early_years",
        "Early years block (£s)",
    ),
    (
        Part::Before,
        "total dsg allocation",
        "dsg.total",
        "Total DSG allocation (£s)",
    ),
    (
        Part::After,
        "high needs block",
        "dsg.high_needs",
        "High needs block allocation (£s)",
    ),
    (
        Part::After,
        "total dsg allocation",
        "dsg.total_after_deductions",
        "Total DSG allocation (£s)",
    ),
];

/// Rows of authority types, not areas: not imported.
const GROUPS: &[&str] = &[
    "metropolitan authorities",
    "unitary authorities",
    "upper tier authorities",
];

/// Whether a row of `sheet` is the summary's header (it names the high needs block and the
/// total allocation).
fn header_row(sheet: &Sheet) -> Option<u32> {
    let (row, _) = sheet.find(|t| t.starts_with("total dsg allocation"))?;
    sheet
        .row(row)
        .any(|(c, _)| sheet.label(row, c).starts_with("high needs block"))
        .then_some(row)
}

/// The allocations summary among `sheets`, if one is: the sheet named `Allocations_summary`, or
/// else the first whose header names the blocks and the total.
pub(crate) fn find(sheets: &[Sheet]) -> Option<&Sheet> {
    sheets
        .iter()
        .filter(|s| header_row(s).is_some())
        .find(|s| s.name.eq_ignore_ascii_case("allocations_summary"))
        .or_else(|| sheets.iter().find(|s| header_row(s).is_some()))
}

/// Reads the summary sheet `sheet` of `file` into panel rows; the financial year (by the year it
/// starts) is returned with them.
pub(crate) fn read(
    file: &str,
    sheet: &Sheet,
    notes: &mut BTreeSet<String>,
) -> Result<(i32, Vec<Fact>), DataError> {
    let header = header_row(sheet).ok_or_else(|| DataError::UnknownFile {
        file: file.to_string(),
        message: "no DSG allocations summary found".into(),
    })?;
    let columns = columns(file, sheet, header)?;
    let year = sheet
        .cells
        .range(..(header, 0))
        .find_map(|(_, cell)| match cell {
            Cell::Text(t) => financial_years(t).first().copied(),
            Cell::Number(_) => None,
        })
        .ok_or_else(|| DataError::Invalid {
            file: file.to_string(),
            row: Some(header as usize),
            message: format!(
                "sheet {}: no financial year (`2023 to 2024`) in the title rows above the header",
                sheet.name
            ),
        })?;
    let first_value = columns.iter().map(|(c, _)| *c).min().unwrap_or(0);
    let mut kept: BTreeMap<(String, &str), Fact> = BTreeMap::new();
    let mut odd: BTreeMap<String, usize> = BTreeMap::new();
    for row in sheet.rows().into_iter().filter(|r| *r > header) {
        let Some(area) = area_of(file, sheet, row, first_value, &columns, notes) else {
            continue;
        };
        for (column, series) in &columns {
            let value = value_of(sheet.get(row, *column), &mut odd);
            let row = Fact {
                area: area.clone(),
                series: (*series).to_string(),
                year,
                value,
                table: sheet.name.clone(),
            };
            match kept.get(&(area.code.clone(), *series)) {
                Some(first) if first.value != row.value => {
                    notes.insert(format!(
                        "{file}: {} {series}: two rows; the first ({}) kept",
                        area.name, first.value
                    ));
                }
                Some(_) => {}
                None => {
                    kept.insert((area.code.clone(), *series), row);
                }
            }
        }
    }
    note_odd(file, &odd, notes);
    Ok((year, kept.into_values().collect()))
}

/// The value columns: (column, series); refuses a summary without one of them, naming it.
fn columns(file: &str, sheet: &Sheet, header: u32) -> Result<Vec<(u32, &'static str)>, DataError> {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (part, start, series, shown) in COLUMNS {
        let column = sheet.row(header).find_map(|(c, _)| {
            let label = sheet.label(header, c);
            (label.starts_with(start) && part_of(sheet, header, c) == Some(*part)).then_some(c)
        });
        match column {
            Some(c) => found.push((c, *series)),
            None => missing.push(format!(
                "`{shown}` ({})",
                match part {
                    Part::Before => "before deductions",
                    Part::After => "after deductions",
                }
            )),
        }
    }
    if !missing.is_empty() {
        return Err(DataError::MissingColumns {
            file: format!("{file}: sheet {}", sheet.name),
            row: header as usize + 1,
            missing: missing.join(", "),
            expected: "ESFA's five blocks and total before deductions, and the high needs block and total after, under headings naming `before` and `after` deductions".into(),
        });
    }
    Ok(found)
}

/// The part a header column is in: the heading above it (the nearest at or left of it in the
/// row above) says `before` or `after` deductions.
fn part_of(sheet: &Sheet, header: u32, column: u32) -> Option<Part> {
    let above = header.checked_sub(1)?;
    let heading = sheet
        .row(above)
        .filter(|(c, _)| *c <= column)
        .filter_map(|(c, _)| {
            let t = sheet.label(above, c);
            (!t.is_empty()).then_some(t)
        })
        .last()?;
    if heading.contains("before") {
        Some(Part::Before)
    } else if heading.contains("after") {
        Some(Part::After)
    } else {
        None
    }
}

/// The area a data row names (its code, or England, or a region, in the cells left of the
/// values), or `None` to skip it (noted when it has figures but names no known area).
fn area_of(
    file: &str,
    sheet: &Sheet,
    row: u32,
    first_value: u32,
    columns: &[(u32, &str)],
    notes: &mut BTreeSet<String>,
) -> Option<Area> {
    let texts: Vec<String> = sheet
        .row(row)
        .filter(|(c, _)| *c < first_value)
        .map(|(c, _)| sheet.text(row, c))
        .filter(|t| !t.is_empty())
        .collect();
    let shown = texts.first()?;
    let first = &shown.to_lowercase();
    let name = texts.get(1).cloned().unwrap_or_default();
    let has_figures = columns
        .iter()
        .any(|(c, _)| matches!(sheet.get(row, *c), Some(Cell::Number(_))));
    if first.len() == 3 && first.bytes().all(|b| b.is_ascii_digit()) {
        return match la_of_dfe_code(first) {
            Some((code, known)) => Some(Area {
                code: code.to_string(),
                dfe_code: first.clone(),
                name: known.to_string(),
                level: Level::La,
            }),
            None => {
                notes.insert(format!(
                    "{file}: DfE code {first} ({name}) not known to the importer: row skipped"
                ));
                None
            }
        };
    }
    if first == "england" {
        return Some(Area {
            code: "E92000001".into(),
            dfe_code: String::new(),
            name: "England".into(),
            level: Level::National,
        });
    }
    if let Some((code, known)) = region_of_name(first) {
        return Some(Area {
            code: code.into(),
            dfe_code: String::new(),
            name: known.into(),
            level: Level::Regional,
        });
    }
    if GROUPS.contains(&first.as_str()) {
        notes.insert(format!(
            "{file}: totals by type of authority (metropolitan, unitary, upper tier) not imported"
        ));
    } else if has_figures {
        notes.insert(format!(
            "{file}: row {}: `{shown}` is not an area the importer knows: skipped",
            row + 1
        ));
    }
    None
}
