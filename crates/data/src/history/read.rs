//! Reading a history file: a tidy CSV with one row per series and year.
//!
//! ```text
//! # England: EHCPs at the January census (DfE, Education, health and care plans)
//! series,year,value,break,source
//! caseload,2022,473255,,DfE EHCP statistics 2022
//! caseload,2023,517049,break,person-level collection from 2023
//! ```
//!
//! Columns: `series`, `year` and `value` are required; `break` (a series break *before* this
//! year: `break`, `yes`, `true` or `1`; empty, `no`, `false` or `0` for none), `source` and `note`
//! are optional. An optional `area` column (an ONS code such as `E10000003`, or any name) holds
//! several areas' series in one file: a series is then one area's, unique per area, series and
//! year, and [`History::areas`] lists the areas in the order they first appear. Any other column is refused. Lines starting with `#` are comments. Years are a
//! calendar year (`2019`, e.g. a January census) or a financial year (`2025-26`); one series uses
//! one form.
//!
//! Limits, checked as the file is read (each refusal names the file, the line and the column):
//! - a value is a level (a count of plans or requests, or an amount of pounds, in any unit from
//!   pounds to billions), fitted on its log growth: it must be a number from [`MIN_LEVEL`]
//!   (a thousandth) to [`MAX_LEVEL`] (ten trillion: a thousand times England's high-needs
//!   spend in pounds). Outside that range a value is a typing or unit mistake, and values such
//!   as 1e308 or 1e-300 made the growths, the fits and the scores infinite or NaN;
//! - from one year to the next within a series (no break or missing year between them) a level
//!   may change at most [`MAX_YEAR_ON_YEAR`]-fold either way, so every log growth used lies
//!   within +-ln(1000) = +-6.9 (a real series changes by a few percent a year; a step larger
//!   than a thousandfold is a unit change and needs a `break`);
//! - at most [`MAX_SERIES`] series per area (and [`MAX_AREAS`] areas, [`MAX_TOTAL_SERIES`]
//!   series in all), [`MAX_AREA`] characters in an area, [`MAX_NOTE`] characters in a `source` or `note`, and
//!   [`MAX_HISTORY_BYTES`] in the file; text quoted in a message is cut at 60 characters.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::error::DataError;

/// The smallest value a history may hold: a thousandth (a count is at least 1; an amount in
/// billions of pounds is still above it). Below it a value is a mistake, and its logarithm would
/// dominate every growth.
pub const MIN_LEVEL: f64 = 1e-3;

/// The largest value a history may hold: 1e13, ten trillion (England's high-needs spend is
/// about 1e10 pounds; a count of plans is below 1e7). Above it a value is a mistake, and values up
/// to 1e308 overflowed the forecasts and the scores.
pub const MAX_LEVEL: f64 = 1e13;

/// The most a level may change from one year to the next within a series, either way (the
/// growth into a year after a `break` or a missing year is not checked: it is not used).
pub const MAX_YEAR_ON_YEAR: f64 = 1_000.0;

/// The most series a history file may hold for one area (England's published series are about
/// ten).
pub const MAX_SERIES: usize = 1_000;

/// The most areas a history file may hold (England has about 150 local authorities).
pub const MAX_AREAS: usize = 1_000;

/// The most series a history file may hold over all its areas.
pub const MAX_TOTAL_SERIES: usize = 50_000;

/// The longest area, in characters.
pub const MAX_AREA: usize = 100;

/// The longest `source` or `note`, in characters.
pub const MAX_NOTE: usize = 500;

/// The largest history file read, in bytes (64 MiB): a history of [`MAX_SERIES`] series over
/// three centuries with long sources is below it; a real one is a few kilobytes.
pub const MAX_HISTORY_BYTES: u64 = 64 << 20;

/// The series names a history file may use: each is a yearly level whose growth a scenario input
/// describes (see [`crate::history::target_key`]).
pub const SERIES_NAMES: &str = "caseload, caseload.<provision>, new_plans, requests, unit_cost, unit_cost.<provision>, funding, spend, other.<name>";

/// One observation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The year as a number: the calendar year, or the first year of a financial year.
    pub year: i32,
    /// The year as written (`2019` or `2025-26`).
    pub label: String,
    /// The value (plans, pounds, requests...), above 0.
    pub value: f64,
    /// The series breaks before this year: the growth into it is not used.
    pub break_before: bool,
    /// The line of the file it came from.
    pub line: usize,
}

/// One series: its name and its points in year order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The series name, e.g. `caseload` or `unit_cost.special`.
    pub name: String,
    /// The area it belongs to, in a history file with an `area` column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Observations, in increasing year order, no two in one year.
    pub points: Vec<Point>,
    /// Sources named in the file for this series, in order, each once.
    pub sources: Vec<String>,
}

/// A history file: every series it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// The file, as given.
    pub file: String,
    /// The series, grouped by area (areas in the order they first appear), each area's in the
    /// order they first appear.
    pub series: Vec<Series>,
    /// The areas, in the order they first appear; empty for a file without an `area` column.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<String>,
}

impl History {
    /// Reads a history file (at most [`MAX_HISTORY_BYTES`], UTF-8 text).
    ///
    /// ```no_run
    /// let history = dsg_data::history::History::load("data/england-ehcp.csv".as_ref())?;
    /// println!("{} series", history.series.len());
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn load(path: &Path) -> Result<History, DataError> {
        use std::io::Read;
        let io = |source| DataError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = path.display().to_string();
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .map_err(io)?
            .take(MAX_HISTORY_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > MAX_HISTORY_BYTES {
            return Err(DataError::History {
                file,
                line: 1,
                column: "file".into(),
                message: format!(
                    "larger than {} MiB: a history holds one row per series and year",
                    MAX_HISTORY_BYTES >> 20
                ),
            });
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            DataError::History {
                file: file.clone(),
                line: valid.iter().filter(|b| **b == b'\n').count() + 1,
                column: "file".into(),
                message: "not UTF-8 text: save the file as CSV UTF-8".into(),
            }
        })?;
        History::from_csv_str(&text, &file)
    }

    /// Reads a history from CSV text; `file` names it in messages. Values are checked against
    /// [`MIN_LEVEL`], [`MAX_LEVEL`] and [`MAX_YEAR_ON_YEAR`] (see the module's documentation).
    ///
    /// ```
    /// use dsg_data::history::History;
    /// let h = History::from_csv_str("series,year,value\ncaseload,2020,100\ncaseload,2021,110\n", "h.csv")?;
    /// assert_eq!(h.series[0].points.len(), 2);
    /// let bad = History::from_csv_str("series,year,value\ncaseload,2020,-1\n", "h.csv").unwrap_err();
    /// assert_eq!(bad.to_string(), "h.csv:2: column `value`: must be from 0.001 to 1e13 (a count or an amount; growth is fitted on logarithms); got -1");
    /// let jump = History::from_csv_str("series,year,value\ncaseload,2020,100\ncaseload,2021,1e9\n", "h.csv").unwrap_err();
    /// assert!(jump.to_string().starts_with("h.csv:3: column `value`: 1000000000 is 10000000 times 100 (2020)"));
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn from_csv_str(text: &str, file: &str) -> Result<History, DataError> {
        if text.len() as u64 > MAX_HISTORY_BYTES {
            return Err(history_error(
                file,
                1,
                "file",
                format!(
                    "larger than {} MiB: a history holds one row per series and year",
                    MAX_HISTORY_BYTES >> 20
                ),
            ));
        }
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .flexible(false)
            .has_headers(false)
            .from_reader(text.as_bytes());
        let (columns, header_line) = read_header(&mut reader, text, file)?;
        let mut builder = Builder::default();
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map_or(0, |p| line_of(text, p));
                    return Err(history_error(file, line, "row", e.to_string()));
                }
            }
            let line = record.position().map_or(0, |p| line_of(text, p));
            builder
                .add(&record, &columns, line)
                .map_err(|(column, m)| history_error(file, line, column, m))?;
        }
        if builder.series.is_empty() {
            return Err(history_error(
                file,
                header_line,
                "series",
                "the file holds no rows".into(),
            ));
        }
        for s in &mut builder.series {
            s.points.sort_by_key(|p| p.year);
            check_steps(s, file)?;
        }
        let mut series = builder.series;
        // Grouped by area, in the order the areas first appear (a stable sort: each area's series
        // keep their order).
        series.sort_by_key(|s| s.area.as_ref().and_then(|a| builder.areas.get(a)).copied());
        let mut areas: Vec<(usize, String)> =
            builder.areas.into_iter().map(|(a, i)| (i, a)).collect();
        areas.sort_unstable();
        Ok(History {
            file: file.to_string(),
            series,
            areas: areas.into_iter().map(|(_, a)| a).collect(),
        })
    }

    /// The series called `name` (in a file with areas, the first area's that has it).
    pub fn get(&self, name: &str) -> Option<&Series> {
        self.series.iter().find(|s| s.name == name)
    }

    /// The series called `name` of `area` (`None` in a file without areas).
    ///
    /// ```
    /// use dsg_data::history::History;
    /// let h = History::from_csv_str("area,series,year,value\nA,caseload,2020,100\nB,caseload,2020,7\n", "h.csv")?;
    /// assert_eq!(h.areas, ["A", "B"]);
    /// assert_eq!(h.get_in(Some("B"), "caseload").unwrap().points[0].value, 7.0);
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn get_in(&self, area: Option<&str>, name: &str) -> Option<&Series> {
        self.series
            .iter()
            .find(|s| s.name == name && s.area.as_deref() == area)
    }

    /// The history of the areas for which `keep` is true (a file without areas is kept whole).
    ///
    /// ```
    /// use dsg_data::history::History;
    /// let h = History::from_csv_str("area,series,year,value\nA,caseload,2020,100\nB,caseload,2020,7\n", "h.csv")?;
    /// let b = h.only_areas(|a| a == "B");
    /// assert_eq!((b.areas.len(), b.series.len()), (1, 1));
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn only_areas(&self, keep: impl Fn(&str) -> bool) -> History {
        if self.areas.is_empty() {
            return self.clone();
        }
        History {
            file: self.file.clone(),
            series: self
                .series
                .iter()
                .filter(|s| s.area.as_deref().is_some_and(&keep))
                .cloned()
                .collect(),
            areas: self.areas.iter().filter(|a| keep(a)).cloned().collect(),
        }
    }
}

/// A [`DataError::History`].
fn history_error(file: &str, line: usize, column: &str, message: String) -> DataError {
    DataError::History {
        file: file.to_string(),
        line,
        column: column.to_string(),
        message,
    }
}

/// `text` as quoted in a message: on one line (control characters such as new lines escaped as
/// `\n`), at most 60 characters, then `...` and its length.
fn shown(text: &str) -> String {
    let one_line = |t: &str| -> String {
        t.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    };
    match text.char_indices().nth(60) {
        Some((i, _)) => format!(
            "{}... ({} characters)",
            one_line(&text[..i]),
            text.chars().count()
        ),
        None => one_line(text),
    }
}

/// The line a record starts on. The reader gives the position where it began to look for the
/// record, before the comment and blank lines it skipped: those are counted here.
fn line_of(text: &str, position: &csv::Position) -> usize {
    let mut line = position.line() as usize;
    let start = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let Some(rest) = text.get(start..) else {
        return line;
    };
    for l in rest.split_inclusive('\n') {
        let t = l.trim_end_matches(['\n', '\r']);
        if t.starts_with('#') || t.is_empty() {
            line += 1;
        } else {
            break;
        }
    }
    line
}

/// Reads the header: each column's place, and the header's line.
fn read_header(
    reader: &mut csv::Reader<&[u8]>,
    text: &str,
    file: &str,
) -> Result<(BTreeMap<&'static str, usize>, usize), DataError> {
    const KNOWN: [&str; 7] = ["area", "series", "year", "value", "break", "source", "note"];
    let mut headers = csv::StringRecord::new();
    match reader.read_record(&mut headers) {
        Ok(true) => {}
        Ok(false) => {
            return Err(history_error(
                file,
                1,
                "header",
                "the file is empty: it needs a header row naming the columns (series, year, value)"
                    .into(),
            ));
        }
        Err(e) => {
            let line = e.position().map_or(1, |p| line_of(text, p));
            return Err(history_error(file, line, "header", e.to_string()));
        }
    }
    // The line the header is on, comment lines above it counted.
    let header_line = headers.position().map_or(1, |p| line_of(text, p));
    let mut columns = BTreeMap::new();
    for (i, name) in headers.iter().enumerate() {
        let name = name.trim_start_matches('\u{feff}');
        let Some(known) = KNOWN.iter().find(|k| **k == name) else {
            return Err(history_error(
                file,
                header_line,
                &shown(name),
                "unknown column; use series, year, value and optionally area, break, source, note"
                    .into(),
            ));
        };
        if columns.insert(*known, i).is_some() {
            return Err(history_error(
                file,
                header_line,
                name,
                "the column appears twice".into(),
            ));
        }
    }
    for required in ["series", "year", "value"] {
        if !columns.contains_key(required) {
            return Err(history_error(
                file,
                header_line,
                required,
                "missing column (series, year and value are required)".into(),
            ));
        }
    }
    Ok((columns, header_line))
}

/// The series read so far.
#[derive(Default)]
struct Builder {
    series: Vec<Series>,
    /// Whether each series uses financial years.
    forms: Vec<bool>,
    /// Each series' place in `series`, by area (empty without an `area` column) and name.
    index: HashMap<(String, String), usize>,
    /// Each area's place in the order the areas first appear.
    areas: HashMap<String, usize>,
    /// The series of each area so far.
    per_area: HashMap<String, usize>,
    /// The sources recorded, by series (a lookup in constant time: a list searched for each row
    /// made a file of long, distinct sources quadratic).
    sources: HashSet<(usize, String)>,
}

impl Builder {
    /// Adds the row on `line` (`columns`: each column's place); an error names the column.
    fn add(
        &mut self,
        record: &csv::StringRecord,
        columns: &BTreeMap<&'static str, usize>,
        line: usize,
    ) -> Result<(), (&'static str, String)> {
        let get =
            |name: &str| -> &str { columns.get(name).and_then(|i| record.get(*i)).unwrap_or("") };
        let area = if columns.contains_key("area") {
            Some(check_area(get("area")).map_err(|m| ("area", m))?)
        } else {
            None
        };
        let name = get("series");
        check_name(name).map_err(|m| ("series", m))?;
        let label = get("year");
        let (year, financial) = parse_year(label).map_err(|m| ("year", m))?;
        let value = parse_level(get("value")).map_err(|m| ("value", m))?;
        let break_before = match get("break").to_ascii_lowercase().as_str() {
            "" | "no" | "false" | "0" => false,
            "break" | "yes" | "true" | "1" => true,
            other => {
                return Err((
                    "break",
                    format!(
                        "`{}` is not a break marker; write `break` (or leave it empty)",
                        shown(other)
                    ),
                ));
            }
        };
        for column in ["source", "note"] {
            let n = get(column).chars().count();
            if n > MAX_NOTE {
                return Err((
                    column,
                    format!("{n} characters: longer than the {MAX_NOTE} a {column} may have"),
                ));
            }
        }
        let key = (area.unwrap_or_default().to_string(), name.to_string());
        let index = match self.index.get(&key) {
            Some(i) => *i,
            None => self.new_series(area, name, financial)?,
        };
        if self.forms[index] != financial {
            return Err((
                "year",
                format!(
                    "series `{name}` mixes calendar years (2019) and financial years (2019-20); use one form"
                ),
            ));
        }
        let s = &mut self.series[index];
        if let Some(other) = s.points.iter().find(|p| p.year == year) {
            let of = area.map_or(String::new(), |a| format!(" of area `{}`", shown(a)));
            return Err((
                "year",
                format!(
                    "series `{name}`{of} already has {label} (line {}): one value per {}series and year",
                    other.line,
                    if area.is_some() { "area, " } else { "" }
                ),
            ));
        }
        let source = get("source");
        if !source.is_empty() && self.sources.insert((index, source.to_string())) {
            s.sources.push(source.to_string());
        }
        s.points.push(Point {
            year,
            label: label.to_string(),
            value,
            break_before,
            line,
        });
        Ok(())
    }
}

impl Builder {
    /// Starts series `name` (of `area`, if the file has areas), within the limits on series and
    /// areas; its place in `series`.
    fn new_series(
        &mut self,
        area: Option<&str>,
        name: &str,
        financial: bool,
    ) -> Result<usize, (&'static str, String)> {
        let a = area.unwrap_or_default();
        if let Some(area) = area
            && !self.areas.contains_key(area)
        {
            if self.areas.len() >= MAX_AREAS {
                return Err((
                    "area",
                    format!(
                        "more than {MAX_AREAS} areas: a history file holds at most {MAX_AREAS}"
                    ),
                ));
            }
            self.areas.insert(area.to_string(), self.areas.len());
        }
        let of_area = self.per_area.get(a).copied().unwrap_or(0);
        if of_area >= MAX_SERIES {
            let per = if area.is_some() { " per area" } else { "" };
            return Err((
                "series",
                format!(
                    "more than {MAX_SERIES} series: a history file holds at most {MAX_SERIES}{per}"
                ),
            ));
        }
        if self.series.len() >= MAX_TOTAL_SERIES {
            return Err((
                "series",
                format!(
                    "more than {MAX_TOTAL_SERIES} series in all: a history file holds at most {MAX_TOTAL_SERIES}"
                ),
            ));
        }
        self.per_area.insert(a.to_string(), of_area + 1);
        self.series.push(Series {
            name: name.to_string(),
            area: area.map(str::to_string),
            points: Vec::new(),
            sources: Vec::new(),
        });
        self.forms.push(financial);
        let i = self.series.len() - 1;
        self.index.insert((a.to_string(), name.to_string()), i);
        Ok(i)
    }
}

/// An area: not empty, at most [`MAX_AREA`] characters, no control characters.
fn check_area(text: &str) -> Result<&str, String> {
    if text.is_empty() {
        return Err("empty: in a file with an `area` column every row names its area".into());
    }
    let n = text.chars().count();
    if n > MAX_AREA || text.chars().any(char::is_control) {
        return Err(format!(
            "`{}` is not an area: at most {MAX_AREA} characters, on one line",
            shown(text)
        ));
    }
    Ok(text)
}

/// A value: a number (thousands separators allowed) from [`MIN_LEVEL`] to [`MAX_LEVEL`].
fn parse_level(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .replace(',', "")
        .parse()
        .map_err(|_| format!("`{}` is not a number", shown(text)))?;
    if !(MIN_LEVEL..=MAX_LEVEL).contains(&value) {
        return Err(format!(
            "must be from {MIN_LEVEL} to {MAX_LEVEL:e} (a count or an amount; growth is fitted on logarithms); got {}",
            shown(text)
        ));
    }
    Ok(value)
}

/// Refuses a step of more than [`MAX_YEAR_ON_YEAR`]-fold between consecutive years of a series
/// (sorted by year) with no break between them, naming the later year's line.
fn check_steps(s: &Series, file: &str) -> Result<(), DataError> {
    for w in s.points.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if b.break_before || b.year != a.year + 1 {
            continue;
        }
        let ratio = b.value / a.value;
        if !(1.0 / MAX_YEAR_ON_YEAR..=MAX_YEAR_ON_YEAR).contains(&ratio) {
            let (times, by) = if ratio > 1.0 {
                (format!("{ratio:.0} times"), "rise")
            } else {
                (format!("1/{:.0} of", 1.0 / ratio), "fall")
            };
            return Err(history_error(
                file,
                b.line,
                "value",
                format!(
                    "{} is {times} {} ({}): series `{}`{} may {by} at most {MAX_YEAR_ON_YEAR}-fold in a year; mark a `break` before {} if the unit or the collection changed",
                    b.value,
                    a.value,
                    a.label,
                    s.name,
                    s.area
                        .as_deref()
                        .map_or(String::new(), |x| format!(" of area `{}`", shown(x))),
                    b.label
                ),
            ));
        }
    }
    Ok(())
}

fn check_name(name: &str) -> Result<(), String> {
    let fixed = [
        "caseload",
        "new_plans",
        "requests",
        "unit_cost",
        "funding",
        "spend",
    ];
    let ok_rest = |rest: &str| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    let good = fixed.contains(&name)
        || ["caseload.", "unit_cost.", "other."]
            .iter()
            .any(|p| name.strip_prefix(p).is_some_and(ok_rest));
    if good {
        Ok(())
    } else {
        Err(format!(
            "unknown series `{}`; use one of {SERIES_NAMES} (names in lower case, digits and _)",
            shown(name)
        ))
    }
}

/// `2019` -> (2019, false); `2025-26` -> (2025, true).
fn parse_year(text: &str) -> Result<(i32, bool), String> {
    if let Ok(fy) = text.parse::<dsg_core::FinancialYear>() {
        return Ok((i32::from(fy.start_year()), true));
    }
    match text.parse::<i32>() {
        Ok(y) if (1900..=2200).contains(&y) => Ok((y, false)),
        _ => Err(format!(
            "`{}` is not a year; write a calendar year such as 2019 or a financial year such as 2025-26",
            shown(text)
        )),
    }
}

#[cfg(test)]
mod tests;
