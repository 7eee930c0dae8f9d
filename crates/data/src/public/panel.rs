//! Joining the tables of one or more releases into one panel, and writing it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;

use super::Value;
use super::areas::{Area, Level};
use super::ehcp::{is_finance, is_stock};
use super::inputs::read_input;
use crate::DataError;

/// The collection a figure comes from: DfE's SEN2 return was aggregate up to January 2022 (and
/// calendar 2021's flows) and person-level from the 2023 collection (January 2023, calendar
/// 2022): the releases call this a break in the time series.
///
/// ```
/// use dsg_data::public::Collection;
/// assert_eq!(Collection::of("caseload", 2023), Collection::PersonLevel);
/// assert_eq!(Collection::of("new_plans", 2021), Collection::Aggregate);
/// assert_eq!(Collection::of("new_plans", 2022), Collection::PersonLevel);
/// assert_eq!(Collection::of("dsg.high_needs", 2023), Collection::Finance);
/// assert_eq!(Collection::of("population_2_18", 2021), Collection::Population);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    /// The aggregate return (before the 2023 collection).
    Aggregate,
    /// The person-level return (the 2023 collection on).
    PersonLevel,
    /// Not from the SEN2 return: money (DSG allocations, section 251 budget and outturn,
    /// high-needs formula allocations), whose year is a financial year (2023 = 2023-24).
    Finance,
    /// Not from the SEN2 return: ONS's population estimates or projections (mid-year).
    Population,
}

impl Collection {
    /// The collection of `series` in `year` (a January count's year, or a flow's calendar year).
    pub fn of(series: &str, year: i32) -> Collection {
        if is_finance(series) {
            return Collection::Finance;
        }
        if series.starts_with("population") {
            return Collection::Population;
        }
        let collected = if is_stock(series) { year } else { year + 1 };
        if collected >= 2023 {
            Collection::PersonLevel
        } else {
            Collection::Aggregate
        }
    }

    /// As the panel writes it: `aggregate`, `person-level`, `finance` or `population`.
    ///
    /// ```
    /// use dsg_data::public::Collection;
    /// assert_eq!(Collection::Aggregate.as_str(), "aggregate");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Collection::Aggregate => "aggregate",
            Collection::PersonLevel => "person-level",
            Collection::Finance => "finance",
            Collection::Population => "population",
        }
    }
}

/// One row of the panel: an area's series in a year.
///
/// ```
/// use dsg_data::public::{Area, Collection, Level, PanelRow, Value};
/// let row = PanelRow {
///     area: Area { code: "E92000001".into(), dfe_code: String::new(), name: "England".into(), level: Level::National },
///     series: "caseload".into(), year: 2025, value: Value::Number(638745.0),
///     collection: Collection::PersonLevel,
///     source_file: "education-health-and-care-plans_2025.zip".into(), source_table: "caseload.csv".into(),
/// };
/// assert_eq!(row.value.number(), Some(638745.0));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PanelRow {
    /// The area.
    pub area: Area,
    /// The series (docs/public-data.md lists them).
    pub series: String,
    /// The January of a count, or the calendar year of a flow.
    pub year: i32,
    /// The value, or missing.
    pub value: Value,
    /// Aggregate or person-level collection (the 2023 break).
    pub collection: Collection,
    /// The input file's name (no folder).
    pub source_file: String,
    /// The table's file name inside it.
    pub source_table: String,
}

/// The tidy panel: rows sorted by level (England, regions, local authorities), area code,
/// series and year.
///
/// ```
/// use dsg_data::public::Panel;
/// let panel = Panel::default();
/// let mut csv = Vec::new();
/// panel.write_csv(&mut csv).unwrap();
/// assert!(String::from_utf8(csv).unwrap().starts_with("area_code,dfe_code,name,level,series"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Panel {
    /// The rows.
    pub rows: Vec<PanelRow>,
}

/// The panel's header row.
pub const HEADER: [&str; 11] = [
    "area_code",
    "dfe_code",
    "name",
    "level",
    "series",
    "year",
    "value",
    "missing",
    "collection",
    "source_file",
    "source_table",
];

impl Panel {
    /// The row for an area (ONS code), series and year, if any.
    ///
    /// ```
    /// use dsg_data::public::Panel;
    /// assert!(Panel::default().find("E92000001", "caseload", 2025).is_none());
    /// ```
    pub fn find(&self, code: &str, series: &str, year: i32) -> Option<&PanelRow> {
        self.rows
            .iter()
            .find(|r| r.area.code == code && r.series == series && r.year == year)
    }

    /// Writes the panel as CSV (docs/public-data.md): a value as its shortest exact decimal,
    /// a missing one as a blank value with DfE's symbol in `missing`; text that a spreadsheet
    /// would run as a formula (`=...`) is written with a leading `'`.
    ///
    /// ```
    /// use dsg_data::public::Panel;
    /// let mut out = Vec::new();
    /// Panel::default().write_csv(&mut out).unwrap();
    /// assert_eq!(out.iter().filter(|b| **b == b'\n').count(), 1);
    /// ```
    pub fn write_csv(&self, out: impl Write) -> Result<(), DataError> {
        let err = |e: csv::Error| DataError::Invalid {
            file: "panel.csv".to_string(),
            row: None,
            message: format!("cannot write: {e}"),
        };
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        w.write_record(HEADER).map_err(err)?;
        for r in &self.rows {
            let (value, missing) = match &r.value {
                Value::Number(v) => (v.to_string(), String::new()),
                Value::Missing(s) => (String::new(), s.clone()),
            };
            let year = r.year.to_string();
            // Text from the files as a spreadsheet will show it, never run as a formula.
            let text = |t: &'_ str| crate::escape::spreadsheet_text(t).into_owned();
            w.write_record([
                text(&r.area.code),
                text(&r.area.dfe_code),
                text(&r.area.name),
                r.area.level.as_str().to_string(),
                r.series.clone(),
                year,
                value,
                text(&missing),
                r.collection.as_str().to_string(),
                text(&r.source_file),
                r.source_table.clone(),
            ])
            .map_err(err)?;
        }
        w.flush().map_err(|e| err(e.into()))
    }
}

/// What one input gave.
///
/// ```
/// use dsg_data::public::SourceSummary;
/// let s = SourceSummary { file: "a.zip".into(), release: 2025, tables: vec!["data/caseload.csv".into()], values: 3 };
/// assert_eq!(s.release, 2025);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSummary {
    /// The file's name (no folder).
    pub file: String,
    /// The release: the collection year of its newest figure (2025 for the 2025 release).
    pub release: i32,
    /// The tables read from it (their place in the zip).
    pub tables: Vec<String>,
    /// How many values it gave (before the newer releases' values replaced any).
    pub values: usize,
}

/// An import: the panel, what each input gave, and notes on what was not imported or was read
/// in a particular way.
#[derive(Debug, Clone, Default)]
pub struct Import {
    /// The panel.
    pub panel: Panel,
    /// Each input, in the order given.
    pub sources: Vec<SourceSummary>,
    /// Notes, sorted.
    pub notes: Vec<String>,
}

/// The most notes an import keeps (a damaged file could give one per row).
const MAX_NOTES: usize = 200;

/// A value kept for the panel, with the release it came from.
struct Kept {
    /// The release, then the publication date in the file's name (0 if none).
    release: (i32, i64),
    order: usize,
    row: PanelRow,
}

/// Imports the EHC plan release zips (or CSVs from them), ESFA's DSG allocation spreadsheets and
/// the high-needs benchmarking extract at `paths` into one panel.
///
/// Where inputs overlap, the newer release's value is kept (and the replacement noted); an
/// input given twice is read twice and its first reading kept.
///
/// # Errors
/// [`DataError::UnknownFile`] for a file that is not a release zip or one of its tables,
/// [`DataError::Archive`] for a damaged or truncated zip, [`DataError::Workbook`] for a damaged
/// or truncated spreadsheet, [`DataError::MissingColumns`] for a
/// table without a column the importer needs, [`DataError::Invalid`] for a row that cannot be
/// read, [`DataError::Io`] for a file that cannot be read.
///
/// ```no_run
/// let import = dsg_data::public::import_files(&["requests.csv".into()])?;
/// for note in &import.notes { eprintln!("{note}"); }
/// # Ok::<(), dsg_data::DataError>(())
/// ```
pub fn import_files(paths: &[PathBuf]) -> Result<Import, DataError> {
    let mut notes = BTreeSet::new();
    let mut kept: BTreeMap<(Level, String, String, i32), Kept> = BTreeMap::new();
    let mut sources = Vec::new();
    let mut replaced: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for (order, path) in paths.iter().enumerate() {
        let file = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let read = read_input(path, &file, &mut notes)?;
        let release = (read.release, read.published);
        for fact in read.facts {
            let row = PanelRow {
                collection: Collection::of(&fact.series, fact.year),
                series: fact.series,
                year: fact.year,
                value: fact.value,
                area: fact.area,
                source_file: file.clone(),
                source_table: fact.table,
            };
            keep(
                &mut kept,
                &mut replaced,
                Kept {
                    release,
                    order,
                    row,
                },
            );
        }
        sources.push(SourceSummary {
            file,
            release: read.release,
            tables: read.tables,
            values: read.values,
        });
    }
    for ((old, new), (n, differ)) in replaced {
        notes.insert(format!(
            "{n} values of {old} replaced by the newer release's in {new}, {differ} of them different (where releases overlap, the newer is kept)"
        ));
    }
    let mut rows: Vec<PanelRow> = kept.into_values().map(|k| k.row).collect();
    canonical_names(&mut rows);
    let mut notes: Vec<String> = notes.into_iter().collect();
    if notes.len() > MAX_NOTES {
        let more = notes.len() - MAX_NOTES;
        notes.truncate(MAX_NOTES);
        notes.push(format!("... and {more} more notes"));
    }
    Ok(Import {
        panel: Panel { rows },
        sources,
        notes,
    })
}

/// Keeps `new` unless a value from a newer release (or the same release, given earlier) is
/// already kept for its area, series and year.
fn keep(
    kept: &mut BTreeMap<(Level, String, String, i32), Kept>,
    replaced: &mut BTreeMap<(String, String), (usize, usize)>,
    new: Kept,
) {
    let key = (
        new.row.area.level,
        new.row.area.code.clone(),
        new.row.series.clone(),
        new.row.year,
    );
    match kept.get_mut(&key) {
        None => {
            kept.insert(key, new);
        }
        Some(old) => {
            let differ = usize::from(old.row.value != new.row.value);
            if new.release != old.release {
                let (older, newer) = if new.release > old.release {
                    (&old.row, &new.row)
                } else {
                    (&new.row, &old.row)
                };
                let e = replaced
                    .entry((older.source_file.clone(), newer.source_file.clone()))
                    .or_default();
                e.0 += 1;
                e.1 += differ;
            }
            if new.release > old.release || (new.release == old.release && new.order < old.order) {
                *old = new;
            }
        }
    }
}

/// Gives every row of an area the name and DfE code of its newest row (newest release, then
/// latest year), so that an area is spelt one way throughout.
fn canonical_names(rows: &mut [PanelRow]) {
    let mut newest: BTreeMap<String, (i32, i32, String, String)> = BTreeMap::new();
    for r in rows.iter() {
        let release = if is_stock(&r.series) {
            r.year
        } else {
            r.year + 1
        };
        let rank = (release, r.year);
        let e = newest
            .entry(r.area.code.clone())
            .or_insert_with(|| (rank.0, rank.1, r.area.name.clone(), r.area.dfe_code.clone()));
        if rank > (e.0, e.1) {
            *e = (rank.0, rank.1, r.area.name.clone(), r.area.dfe_code.clone());
        }
    }
    for r in rows.iter_mut() {
        if let Some((_, _, name, dfe)) = newest.get(&r.area.code) {
            r.area.name.clone_from(name);
            r.area.dfe_code.clone_from(dfe);
        }
    }
}
