//! Reading one DfE table (CSV bytes) into observations: columns found by name, the all-children
//! rows selected, DfE's symbols read as missing values, unknown columns and codes noted.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::areas::{Area, Level, current_code};
use super::ehcp::{
    ESTABLISHMENTS, ESTABLISHMENTS_SKIPPED, GEOGRAPHY, IGNORED, Select, Table, age_band_series,
    is_stock,
};
use super::{Value, missing_symbol};
use crate::DataError;

/// One value read from a table: an area's series in a year.
#[derive(Debug, Clone)]
pub(crate) struct Observation {
    pub area: Area,
    /// The region's ONS code (blank for England).
    pub region: String,
    pub series: &'static str,
    pub year: i32,
    pub value: Value,
}

/// What one table gave.
#[derive(Debug, Default)]
pub(crate) struct TableRead {
    pub observations: Vec<Observation>,
    /// The collection year of the newest figure (a January count's year, a calendar year's
    /// flow plus one): the release the table comes from.
    pub release: i32,
}

/// The columns of a table, by lower-case name.
struct Columns {
    index: HashMap<String, usize>,
}

impl Columns {
    fn get(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

/// Reads `bytes`, the table `table` of the file `file` (as shown in messages), adding notes.
pub(crate) fn read_table(
    file: &str,
    table: &Table,
    bytes: &[u8],
    notes: &mut BTreeSet<String>,
) -> Result<TableRead, DataError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let invalid = |row: Option<usize>, message: String| DataError::Invalid {
        file: file.to_string(),
        row,
        message,
    };
    let header = reader
        .headers()
        .map_err(|e| invalid(Some(1), format!("cannot read the header row: {e}")))?;
    let columns = Columns {
        index: header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim().to_ascii_lowercase(), i))
            .collect(),
    };
    check_columns(file, table, &columns, notes)?;
    let mut acc: BTreeMap<(String, &'static str, i32), (Observation, bool)> = BTreeMap::new();
    let mut read = TableRead::default();
    let mut record = csv::StringRecord::new();
    let mut row = 1;
    loop {
        row += 1;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(invalid(Some(row), format!("cannot read the row: {e}"))),
        }
        let cell = |name: &str| columns.get(name).and_then(|i| record.get(i)).unwrap_or("");
        let Some(series_of) = select(file, table, &cell, notes) else {
            continue;
        };
        let Some(area) = area_of(file, &cell, notes) else {
            continue;
        };
        let region = cell("region_code").trim().to_string();
        let year = year_of(cell("time_period")).ok_or_else(|| {
            invalid(
                Some(row),
                format!(
                    "column time_period: `{}` is not a year (2019) or an academic year (201819)",
                    cell("time_period")
                ),
            )
        })?;
        // A row read into a series of its own (an establishment type, an age) gives one value:
        // the table's headline column, added into that series.
        let columns_read = if series_of.is_some() {
            1
        } else {
            table.values.len()
        };
        for col in &table.values[..columns_read] {
            let series = series_of.unwrap_or(col.series);
            let Some(i) = columns.get(col.column) else {
                continue;
            };
            let raw = record.get(i).unwrap_or("");
            let value = parse_value(raw).unwrap_or_else(|| {
                notes.insert(format!(
                    "{file}: column {}: values that are neither numbers nor DfE's symbols (x, z, c, low) read as missing (as written, in the panel's `missing`)",
                    col.column
                ));
                Value::Missing(raw.trim().to_string())
            });
            let release = if is_stock(series) { year } else { year + 1 };
            read.release = read.release.max(release);
            add(
                &mut acc,
                file,
                Observation {
                    area: area.clone(),
                    region: region.clone(),
                    series,
                    year,
                    value,
                },
                series_of.is_some(),
                notes,
            );
        }
    }
    read.observations = acc.into_values().map(|(o, _)| o).collect();
    flag_region_totals(file, &mut read.observations, notes);
    Ok(read)
}

/// Marks missing (`region-total`, noted) the local authority values that repeat their region's
/// total: where two or more authorities of a region give exactly the region's (non-zero) figure
/// for a series and year, the file has the region's total in their rows, a publication error
/// (the 2025 release's newplans.csv has the 6,078 new plans of Yorkshire and The Humber in 2022
/// in each of its 15 authorities' rows).
fn flag_region_totals(file: &str, observations: &mut [Observation], notes: &mut BTreeSet<String>) {
    let regional: HashMap<(&str, &str, i32), f64> = observations
        .iter()
        .filter(|o| o.area.level == Level::Regional)
        .filter_map(|o| Some(((o.area.code.as_str(), o.series, o.year), o.value.number()?)))
        .collect();
    let mut repeats: BTreeMap<(String, &'static str, i32), Vec<usize>> = BTreeMap::new();
    for (i, o) in observations.iter().enumerate() {
        if o.area.level != Level::La {
            continue;
        }
        if let (Some(v), Some(r)) = (
            o.value.number(),
            regional.get(&(o.region.as_str(), o.series, o.year)),
        ) && v == *r
            && v != 0.0
        {
            repeats
                .entry((o.region.clone(), o.series, o.year))
                .or_default()
                .push(i);
        }
    }
    for ((region, series, year), rows) in repeats {
        if rows.len() < 2 {
            continue;
        }
        let value = observations[rows[0]].value.clone();
        for &i in &rows {
            observations[i].value = Value::Missing("region-total".to_string());
        }
        notes.insert(format!(
            "{file}: {series} {year}: {} local authorities of region {region} each give {value}, the region's total (a publication error): read as missing (`region-total`)",
            rows.len()
        ));
    }
}

/// Adds an observation; in sums (establishment types adding into one series) values add up,
/// otherwise a second value for the same area, series and year is noted and the first kept.
fn add(
    acc: &mut BTreeMap<(String, &'static str, i32), (Observation, bool)>,
    file: &str,
    obs: Observation,
    sums: bool,
    notes: &mut BTreeSet<String>,
) {
    let key = (obs.area.code.clone(), obs.series, obs.year);
    match acc.get_mut(&key) {
        None => {
            acc.insert(key, (obs, sums));
        }
        Some((first, true)) => first.value = first.value.plus(&obs.value),
        Some((first, false)) => {
            if first.value != obs.value {
                notes.insert(format!(
                    "{file}: {} {} {}: two rows; the first ({}) kept",
                    first.area.name, obs.series, obs.year, first.value
                ));
            }
        }
    }
}

/// Refuses a table without the columns it needs; notes missing optional and unknown columns.
fn check_columns(
    file: &str,
    table: &Table,
    columns: &Columns,
    notes: &mut BTreeSet<String>,
) -> Result<(), DataError> {
    let mut needed: Vec<&str> = GEOGRAPHY.to_vec();
    match table.select {
        Select::Where { column, .. } => needed.push(column),
        Select::Ages {
            column, age_column, ..
        } => needed.extend([column, age_column]),
        Select::Establishment => needed.extend(["establishment_type", "establishment_group"]),
        Select::All => {}
    }
    needed.extend(table.values.iter().filter(|c| c.required).map(|c| c.column));
    let missing: Vec<String> = needed
        .iter()
        .filter(|c| columns.get(c).is_none())
        .map(|c| format!("`{c}`"))
        .collect();
    if !missing.is_empty() {
        return Err(DataError::MissingColumns {
            file: file.to_string(),
            // DfE's tables have their header on the first line.
            row: 1,
            missing: missing.join(", "),
            expected: format!(
                "the columns of DfE's {} ({})",
                table.name,
                needed.join(", ")
            ),
        });
    }
    for col in table.values.iter().filter(|c| !c.required) {
        if columns.get(col.column).is_none() {
            notes.insert(format!(
                "{file}: no column {}: series {} not imported from it",
                col.column, col.series
            ));
        }
    }
    let mut unknown: Vec<&str> = columns
        .index
        .keys()
        .map(String::as_str)
        .filter(|c| {
            !needed.contains(c)
                && !IGNORED.contains(c)
                && !table.known.contains(c)
                && !table.values.iter().any(|v| v.column == *c)
        })
        .collect();
    unknown.sort_unstable();
    if !unknown.is_empty() {
        notes.insert(format!(
            "{file}: columns not known to the importer, not imported: {}",
            unknown.join(", ")
        ));
    }
    Ok(())
}

/// Whether a row is read: `None` to skip it, `Some(None)` to read it into the table's series,
/// `Some(Some(series))` to read it into `series` (establishment types).
fn select<'a>(
    file: &str,
    table: &Table,
    cell: &dyn Fn(&str) -> &'a str,
    notes: &mut BTreeSet<String>,
) -> Option<Option<&'static str>> {
    match table.select {
        Select::All => Some(None),
        Select::Where {
            column,
            value,
            others,
        } => {
            let got = cell(column).trim();
            if got == value {
                Some(None)
            } else {
                if !others.contains(&got) {
                    notes.insert(format!(
                        "{file}: column {column}: `{got}` not known to the importer: rows skipped"
                    ));
                }
                None
            }
        }
        Select::Ages {
            column,
            value,
            ages,
            age_column,
            others,
        } => {
            let got = cell(column).trim();
            if got == value {
                return Some(None);
            }
            if ages.is_empty() || got == ages {
                let age = cell(age_column).trim();
                let band = age_band_series(age);
                if band.is_none() {
                    notes.insert(format!(
                        "{file}: column {age_column}: age `{age}` not known to the importer: rows skipped"
                    ));
                }
                return band.map(Some);
            }
            if !others.contains(&got) {
                notes.insert(format!(
                    "{file}: column {column}: `{got}` not known to the importer: rows skipped"
                ));
            }
            None
        }
        Select::Establishment => {
            let (kind, group) = (
                cell("establishment_type").trim(),
                cell("establishment_group").trim(),
            );
            let found = ESTABLISHMENTS
                .iter()
                .find(|(t, g, _)| *t == kind && (kind != "Total" || *g == group));
            match found {
                Some((_, _, series)) => series.map(Some),
                None => {
                    if !ESTABLISHMENTS_SKIPPED.contains(&kind) {
                        notes.insert(format!(
                            "{file}: establishment type `{kind}` (group `{group}`) not known to the importer: not imported"
                        ));
                    }
                    None
                }
            }
        }
    }
}

/// The area a row describes, or `None` (noted) for a level or code the importer does not know.
fn area_of<'a>(
    file: &str,
    cell: &dyn Fn(&str) -> &'a str,
    notes: &mut BTreeSet<String>,
) -> Option<Area> {
    let level = cell("geographic_level").trim();
    let (level, code, dfe, name) = match level {
        "National" => (
            Level::National,
            cell("country_code"),
            "",
            cell("country_name"),
        ),
        "Regional" => (
            Level::Regional,
            cell("region_code"),
            "",
            cell("region_name"),
        ),
        "Local authority" => (
            Level::La,
            cell("new_la_code"),
            cell("old_la_code"),
            cell("la_name"),
        ),
        other => {
            notes.insert(format!(
                "{file}: geographic level `{other}` not known to the importer: rows skipped"
            ));
            return None;
        }
    };
    let code = code.trim();
    if code.is_empty() {
        notes.insert(format!(
            "{file}: a {} row without its ONS code ({}): skipped",
            level.as_str(),
            name.trim()
        ));
        return None;
    }
    let current = current_code(code);
    if current != code {
        notes.insert(format!(
            "{file}: {}: ONS code {code} read as {current} (the same area under its current code)",
            name.trim()
        ));
    }
    Some(Area {
        code: current.to_string(),
        dfe_code: dfe.trim().to_string(),
        name: name.trim().to_string(),
        level,
    })
}

/// The year of a `time_period`: `2019` is 2019; an academic year `201819` is 2019 (its January).
pub(crate) fn year_of(text: &str) -> Option<i32> {
    let text = text.trim();
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match text.len() {
        4 => text.parse().ok(),
        6 => {
            let first: i32 = text[..4].parse().ok()?;
            let second: i32 = text[4..].parse().ok()?;
            ((first + 1) % 100 == second).then_some(first + 1)
        }
        _ => None,
    }
}

/// A cell's value: a finite number, or one of DfE's symbols (or a blank) as missing; `None`
/// for anything else.
fn parse_value(raw: &str) -> Option<Value> {
    let text = raw.trim();
    if let Some(symbol) = missing_symbol(text) {
        return Some(Value::Missing(symbol.to_string()));
    }
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Value::Number)
}
