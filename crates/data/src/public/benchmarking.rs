//! The data sheet behind DfE's high-needs benchmarking tool (`.xlsx`): per authority, the
//! section 251 high-needs budget and outturn by line, EHC plans by DSG-plan placement, the 2-18
//! population and the high-needs formula allocations, read by header name into the panel's
//! `s251.*`, `benchmark.ehcp*`, `population_2_18` and `hn_formula_allocation` series
//! (docs/public-data.md).

use std::collections::{BTreeMap, BTreeSet};

use super::Value;
use super::areas::{Area, Level};
use super::codes::la_of_dfe_code;
use super::fact::{Fact, note_odd, value_of};
use super::grid::{Cell, Sheet, financial_years};
use crate::DataError;

/// Section 251 lines by their heading (`(1)`/`(2)` dropped): the heading of a group's total,
/// and the group its sub-lines join.
const GROUP_TOTALS: &[(&str, &str)] = &[
    ("place funding", "place"),
    (
        "top up funding (maintained schools, academies, free schools and colleges)",
        "top_up_maintained",
    ),
    (
        "top up funding (non-maintained and independent schools and colleges)",
        "top_up_independent",
    ),
];

/// Sub-lines of a group: heading, suffix.
const SUB_LINES: &[(&str, &str)] = &[
    ("early years", "early_years"),
    ("primary", "primary"),
    ("secondary", "secondary"),
    ("special schools and academies", "special"),
    ("prus and ap academies", "ap"),
    ("post school", "post_school"),
    ("income", "income"),
];

/// Lines on their own.
const SERVICES: &[(&str, &str)] = &[
    ("sen support and inclusion services", "sen_support"),
    ("alternative provision services", "ap_services"),
    ("hospital education services", "hospital_education"),
    ("therapies and other health related services", "therapies"),
];

/// EHC plans by placement: sub-heading, category.
const PLACEMENTS: &[(&str, &str)] = &[
    ("mainstream schools or academies", "mainstream"),
    ("resourced provision or sen units", "resourced_provision"),
    ("maintained special schools or special academies", "special"),
    ("nmss or independent schools", "independent"),
    ("hospital schools or alternative provision", "hospital_ap"),
    ("post 16", "post_16"),
    ("other", "other"),
];

/// The lines a budget must have (the outturn's, if it has one, too).
const REQUIRED_LINES: &[&str] = &["place", "top_up_maintained", "top_up_independent"];

/// A column read: the column, its series and year.
type Column = (u32, String, i32);

/// The benchmarking data sheet among `sheets`, if one is: a sheet naming `LA code` and
/// `Section 251 budget`.
pub(crate) fn find(sheets: &[Sheet]) -> Option<&Sheet> {
    sheets.iter().find(|s| {
        s.find(|t| t == "la code").is_some() && s.find(|t| t == "section 251 budget").is_some()
    })
}

/// Reads the data sheet `sheet` of `file` into panel rows; returns the budget's financial year
/// (by the year it starts) with them.
pub(crate) fn read(
    file: &str,
    sheet: &Sheet,
    notes: &mut BTreeSet<String>,
) -> Result<(i32, Vec<Fact>), DataError> {
    let shown = format!("{file}: sheet {}", sheet.name);
    let missing = |row: u32, what: &str| {
        DataError::MissingColumns {
        file: shown.clone(),
        row: row as usize + 1,
        missing: what.to_string(),
        expected: "DfE's high-needs benchmarking columns (`LA code`, `LA name`, `Section 251 budget` with its place funding and top up funding lines)".into(),
    }
    };
    let (header, code_col) = sheet
        .find(|t| t == "la code")
        .ok_or_else(|| missing(0, "`LA code`"))?;
    let name_col = sheet
        .row(header)
        .find(|(c, _)| sheet.label(header, *c) == "la name")
        .map(|(c, _)| c)
        .ok_or_else(|| missing(header, "`LA name`"))?;
    let budget_year = budget_year(sheet, header).ok_or_else(|| DataError::Invalid {
        file: shown.clone(),
        row: None,
        message: "no budget year (a `Year` cell followed by `2021-22`) above the header".into(),
    })?;
    let mut columns = section_251(file, sheet, header, budget_year, notes)
        .map_err(|(row, what)| missing(row, &what))?;
    columns.extend(other_columns(file, sheet, header, budget_year, notes));
    let mut odd = BTreeMap::new();
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    let mut seen = BTreeSet::new();
    for row in sheet.rows().into_iter().filter(|r| *r > header + 1) {
        let Some(area) = area_of(file, sheet, row, code_col, name_col, notes) else {
            continue;
        };
        let values: Vec<Value> = columns
            .iter()
            .map(|(c, _, _)| value_of(sheet.get(row, *c), &mut odd))
            .collect();
        if values.iter().all(|v| v.number().is_none_or(|x| x == 0.0)) {
            skipped.push(area.name.clone());
            continue;
        }
        if !seen.insert(area.code.clone()) {
            notes.insert(format!("{file}: {}: two rows; the first kept", area.name));
            continue;
        }
        for ((_, series, year), value) in columns.iter().zip(values) {
            rows.push(Fact {
                area: area.clone(),
                series: series.clone(),
                year: *year,
                value,
                table: sheet.name.clone(),
            });
        }
    }
    if !skipped.is_empty() {
        notes.insert(format!(
            "{file}: rows with no figure (every value missing or zero: areas ended by a boundary change) not imported: {}",
            skipped.join(", ")
        ));
    }
    note_odd(file, &odd, notes);
    notes.insert(format!(
        "{file}: not imported: the deprivation, health and attainment factor counts, import/export adjustments and the per-head table 3b"
    ));
    Ok((budget_year, rows))
}

/// The budget's financial year: the cell after the first `Year` above the header.
fn budget_year(sheet: &Sheet, header: u32) -> Option<i32> {
    let (row, col) = sheet.find(|t| t == "year")?;
    if row >= header {
        return None;
    }
    sheet
        .row(row)
        .filter(|(c, _)| *c > col)
        .find_map(|(_, cell)| match cell {
            Cell::Text(t) => financial_years(t).first().copied(),
            Cell::Number(_) => None,
        })
}

/// The section 251 budget and outturn columns, by the line headings in the row under
/// `Section 251 budget` / `Section 251 outturn`; `Err((row, what))` names a missing line.
fn section_251(
    file: &str,
    sheet: &Sheet,
    header: u32,
    budget_year: i32,
    notes: &mut BTreeSet<String>,
) -> Result<Vec<Column>, (u32, String)> {
    let mut headings: Vec<(u32, u32, &str)> = ["budget", "outturn"]
        .into_iter()
        .filter_map(|block| {
            let heading = format!("section 251 {block}");
            let (row, col) = sheet.find(|t| t == heading)?;
            (row < header).then_some((col, row, block))
        })
        .collect();
    headings.sort_unstable();
    let mut columns = Vec::new();
    for (i, (start, row, block)) in headings.iter().enumerate() {
        let end = headings.get(i + 1).map_or(u32::MAX, |h| h.0);
        let lines = lines_of(file, sheet, *row + 1, *start, end, notes);
        for line in REQUIRED_LINES {
            if !lines.iter().any(|(_, l)| l == line) {
                return Err((*row + 1, format!("`{line}` line of `Section 251 {block}`")));
            }
        }
        let year = if *block == "budget" {
            budget_year
        } else {
            outturn_year(file, sheet, *row + 1, &lines, budget_year, notes)
        };
        columns.extend(
            lines
                .into_iter()
                .map(|(c, l)| (c, format!("s251.{block}.{l}"), year)),
        );
    }
    Ok(columns)
}

/// The lines of one section 251 block: the headings in `row` from column `start` to `end`.
fn lines_of(
    file: &str,
    sheet: &Sheet,
    row: u32,
    start: u32,
    end: u32,
    notes: &mut BTreeSet<String>,
) -> Vec<(u32, String)> {
    let mut lines: Vec<(u32, String)> = Vec::new();
    let mut group: Option<&str> = None;
    for (c, _) in sheet.row(row).filter(|(c, _)| (start..end).contains(c)) {
        let shown = sheet.text(row, c);
        let label = sheet.label(row, c);
        let label = label
            .strip_suffix(" (1)")
            .or_else(|| label.strip_suffix(" (2)"))
            .unwrap_or(&label);
        let line = if let Some((_, g)) = GROUP_TOTALS.iter().find(|(h, _)| *h == label) {
            group = Some(g);
            Some((*g).to_string())
        } else if let Some((_, s)) = SERVICES.iter().find(|(h, _)| *h == label) {
            group = None;
            Some((*s).to_string())
        } else if let (Some(g), Some((_, s))) = (group, SUB_LINES.iter().find(|(h, _)| *h == label))
        {
            Some(format!("{g}_{s}"))
        } else {
            None
        };
        match line {
            Some(line) if lines.iter().any(|(_, l)| *l == line) => {
                notes.insert(format!(
                    "{file}: row {}: line `{shown}` given twice: the first kept",
                    row + 1
                ));
            }
            Some(line) => lines.push((c, line)),
            None => {
                group = None;
                notes.insert(format!(
                    "{file}: row {}: column `{shown}` not known to the importer: not imported",
                    row + 1
                ));
            }
        }
    }
    lines
}

/// The outturn's financial year: the latest named above its lines (`values for 2016-17, ...,
/// 2020-21`), or else the year before the budget's (noted).
fn outturn_year(
    file: &str,
    sheet: &Sheet,
    line_row: u32,
    lines: &[(u32, String)],
    budget_year: i32,
    notes: &mut BTreeSet<String>,
) -> i32 {
    let first = lines.iter().map(|(c, _)| *c).min().unwrap_or(0);
    let last = lines.iter().map(|(c, _)| *c).max().unwrap_or(0);
    let named = sheet
        .cells
        .range(..(line_row, 0))
        .filter(|((_, c), _)| (first..=last).contains(c))
        .filter_map(|(_, cell)| match cell {
            Cell::Text(t) => financial_years(t).into_iter().max(),
            Cell::Number(_) => None,
        })
        .max();
    named.unwrap_or_else(|| {
        notes.insert(format!(
            "{file}: no year named above the section 251 outturn: read as {}-{:02}, the year before the budget's",
            budget_year - 1,
            budget_year % 100
        ));
        budget_year - 1
    })
}

/// The population, EHC plan and formula allocation columns, found by their headings in the
/// header row (and the placements in the row under it); a missing one is noted.
fn other_columns(
    file: &str,
    sheet: &Sheet,
    header: u32,
    budget_year: i32,
    notes: &mut BTreeSet<String>,
) -> Vec<Column> {
    let mut columns = Vec::new();
    let labels: Vec<(u32, String)> = sheet
        .row(header)
        .map(|(c, _)| (c, sheet.label(header, c)))
        .collect();
    match labels
        .iter()
        .find(|(_, l)| l.starts_with("2-18 population"))
    {
        Some((c, l)) => match mid_year(l) {
            Some(year) => columns.push((*c, "population_2_18".to_string(), year)),
            None => {
                notes.insert(format!(
                    "{file}: column `{l}` names no mid-year (`mid-2021`): not imported"
                ));
            }
        },
        None => {
            notes.insert(format!(
                "{file}: no column `2-18 Population`: series population_2_18 not imported"
            ));
        }
    }
    // EHC plans: January of the year the budget's financial year starts (docs/public-data.md).
    match labels
        .iter()
        .find(|(_, l)| l.starts_with("no. aged up to 25 with sen statement or ehcp"))
    {
        Some((c, _)) => columns.push((*c, "benchmark.ehcp".to_string(), budget_year)),
        None => {
            notes.insert(format!("{file}: no column `No. aged up to 25 with SEN statement or EHCP`: series benchmark.ehcp not imported"));
        }
    }
    if let Some(i) = labels
        .iter()
        .position(|(_, l)| l.starts_with("of these, placements in"))
    {
        let start = labels[i].0;
        let end = labels.get(i + 1).map_or(u32::MAX, |(c, _)| *c);
        for (c, _) in sheet
            .row(header + 1)
            .filter(|(c, _)| (start..end).contains(c))
        {
            let label = sheet.label(header + 1, c);
            let shown = sheet.text(header + 1, c);
            match PLACEMENTS.iter().find(|(h, _)| *h == label) {
                Some((_, cat)) => columns.push((c, format!("benchmark.ehcp.{cat}"), budget_year)),
                None => {
                    notes.insert(format!(
                        "{file}: placement `{shown}` not known to the importer: not imported"
                    ));
                }
            }
        }
    }
    for (c, l) in &labels {
        if l.starts_with("high needs nff")
            && l.ends_with("allocation")
            && let Some(year) = financial_years(l).first()
        {
            columns.push((*c, "hn_formula_allocation".to_string(), *year));
        }
    }
    columns
}

/// The year of `mid-2021` in a heading.
fn mid_year(label: &str) -> Option<i32> {
    let at = label.find("mid-")? + 4;
    let digits = label.get(at..at + 4)?;
    digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())
        .flatten()
}

/// The authority a data row names by its DfE code (England by name), or `None` (noted for an
/// unknown code).
fn area_of(
    file: &str,
    sheet: &Sheet,
    row: u32,
    code_col: u32,
    name_col: u32,
    notes: &mut BTreeSet<String>,
) -> Option<Area> {
    let code = sheet.text(row, code_col);
    let name = sheet.text(row, name_col);
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()) {
        return match la_of_dfe_code(&code) {
            Some((ons, known)) => Some(Area {
                code: ons.into(),
                dfe_code: code,
                name: known.into(),
                level: Level::La,
            }),
            None => {
                notes.insert(format!(
                    "{file}: DfE code {code} ({name}) not known to the importer: row skipped"
                ));
                None
            }
        };
    }
    if code.eq_ignore_ascii_case("england") || name.eq_ignore_ascii_case("england") {
        return Some(Area {
            code: "E92000001".into(),
            dfe_code: String::new(),
            name: "England".into(),
            level: Level::National,
        });
    }
    if !code.is_empty() {
        notes.insert(format!(
            "{file}: row {}: `{code}` is not a DfE code: skipped",
            row + 1
        ));
    }
    None
}
