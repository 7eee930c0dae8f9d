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
//! are optional. Any other column is refused. Lines starting with `#` are comments. Years are a
//! calendar year (`2019`, e.g. a January census) or a financial year (`2025-26`); one series uses
//! one form. Values must be finite and above 0 (every series is fitted on its log growth).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::error::DataError;

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
    /// The series, in the order they first appear.
    pub series: Vec<Series>,
}

impl History {
    /// Reads a history file.
    ///
    /// ```no_run
    /// let history = dsg_data::history::History::load("data/england-ehcp.csv".as_ref())?;
    /// println!("{} series", history.series.len());
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn load(path: &Path) -> Result<History, DataError> {
        let text = std::fs::read_to_string(path).map_err(|source| DataError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        History::from_csv_str(&text, &path.display().to_string())
    }

    /// Reads a history from CSV text; `file` names it in messages.
    ///
    /// ```
    /// use dsg_data::history::History;
    /// let h = History::from_csv_str("series,year,value\ncaseload,2020,100\ncaseload,2021,110\n", "h.csv")?;
    /// assert_eq!(h.series[0].points.len(), 2);
    /// let bad = History::from_csv_str("series,year,value\ncaseload,2020,-1\n", "h.csv").unwrap_err();
    /// assert_eq!(bad.to_string(), "h.csv:2: column `value`: must be above 0 (growth is fitted on logarithms); got -1");
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn from_csv_str(text: &str, file: &str) -> Result<History, DataError> {
        let err = |line: usize, column: &str, message: String| DataError::History {
            file: file.to_string(),
            line,
            column: column.to_string(),
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .flexible(false)
            .from_reader(text.as_bytes());
        let header_line = reader.position().line().max(1) as usize;
        let headers = reader
            .headers()
            .map_err(|e| err(header_line, "header", e.to_string()))?
            .clone();
        let header_line = headers
            .position()
            .map(|p| p.line() as usize)
            .unwrap_or(header_line);
        let mut columns: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, name) in headers.iter().enumerate() {
            let name = name.trim_start_matches('\u{feff}');
            if !["series", "year", "value", "break", "source", "note"].contains(&name) {
                return Err(err(
                    header_line,
                    name,
                    "unknown column; use series, year, value and optionally break, source, note"
                        .into(),
                ));
            }
            if columns.insert(name, i).is_some() {
                return Err(err(header_line, name, "the column appears twice".into()));
            }
        }
        for required in ["series", "year", "value"] {
            if !columns.contains_key(required) {
                return Err(err(
                    header_line,
                    required,
                    "missing column (series, year and value are required)".into(),
                ));
            }
        }
        let mut series: Vec<Series> = Vec::new();
        let mut forms: Vec<bool> = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                err(line, "row", e.to_string())
            })?;
            let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
            let get = |name: &str| {
                columns
                    .get(name)
                    .and_then(|i| record.get(*i))
                    .unwrap_or("")
                    .to_string()
            };
            let name = get("series");
            check_name(&name).map_err(|m| err(line, "series", m))?;
            let label = get("year");
            let (year, financial) = parse_year(&label).map_err(|m| err(line, "year", m))?;
            let text_value = get("value");
            let value: f64 = text_value
                .replace(',', "")
                .parse()
                .map_err(|_| err(line, "value", format!("`{text_value}` is not a number")))?;
            if !value.is_finite() || value <= 0.0 {
                return Err(err(
                    line,
                    "value",
                    format!("must be above 0 (growth is fitted on logarithms); got {text_value}"),
                ));
            }
            let break_before = match get("break").to_ascii_lowercase().as_str() {
                "" | "no" | "false" | "0" => false,
                "break" | "yes" | "true" | "1" => true,
                other => {
                    return Err(err(
                        line,
                        "break",
                        format!(
                            "`{other}` is not a break marker; write `break` (or leave it empty)"
                        ),
                    ));
                }
            };
            let source = get("source");
            let index = match series.iter().position(|s| s.name == name) {
                Some(i) => i,
                None => {
                    series.push(Series {
                        name: name.clone(),
                        points: Vec::new(),
                        sources: Vec::new(),
                    });
                    forms.push(financial);
                    series.len() - 1
                }
            };
            if forms[index] != financial {
                return Err(err(
                    line,
                    "year",
                    format!(
                        "series `{name}` mixes calendar years (2019) and financial years (2019-20); use one form"
                    ),
                ));
            }
            let s = &mut series[index];
            if let Some(other) = s.points.iter().find(|p| p.year == year) {
                return Err(err(
                    line,
                    "year",
                    format!(
                        "series `{name}` already has {label} (line {}): one value per series and year",
                        other.line
                    ),
                ));
            }
            if !source.is_empty() && !s.sources.contains(&source) {
                s.sources.push(source);
            }
            s.points.push(Point {
                year,
                label,
                value,
                break_before,
                line,
            });
        }
        if series.is_empty() {
            return Err(err(header_line, "series", "the file holds no rows".into()));
        }
        for s in &mut series {
            s.points.sort_by_key(|p| p.year);
        }
        Ok(History {
            file: file.to_string(),
            series,
        })
    }

    /// The series called `name`.
    pub fn get(&self, name: &str) -> Option<&Series> {
        self.series.iter().find(|s| s.name == name)
    }
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
            "unknown series `{name}`; use one of {SERIES_NAMES} (names in lower case, digits and _)"
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
            "`{text}` is not a year; write a calendar year such as 2019 or a financial year such as 2025-26"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<History, DataError> {
        History::from_csv_str(text, "h.csv")
    }

    #[test]
    fn reads_series_breaks_and_comments() {
        let h = read(
            "# a comment\nseries,year,value,break,source\ncaseload,2021,110,,A\ncaseload,2020,100,,A\ncaseload,2022,130,break,B\nfunding,2020-21,5e6,,\n",
        )
        .unwrap();
        let c = h.get("caseload").unwrap();
        assert_eq!(
            c.points.iter().map(|p| p.year).collect::<Vec<_>>(),
            [2020, 2021, 2022]
        );
        assert!(c.points[2].break_before);
        assert_eq!(c.points[2].line, 5);
        assert_eq!(c.sources, ["A", "B"]);
        assert_eq!(h.get("funding").unwrap().points[0].year, 2020);
    }

    #[test]
    fn bad_input_names_file_line_and_column() {
        let cases = [
            (
                "series,year,value,colour\n",
                "column `colour`: unknown column",
            ),
            ("series,year\n", "column `value`: missing column"),
            (
                "series,year,value\ncaseload,20x1,5\n",
                "h.csv:2: column `year`",
            ),
            (
                "series,year,value\ncaseload,2020,0\n",
                "h.csv:2: column `value`: must be above 0",
            ),
            (
                "series,year,value\ncaseload,2020,abc\n",
                "h.csv:2: column `value`: `abc` is not a number",
            ),
            (
                "series,year,value\ncaseload,2020,nan\n",
                "column `value`: must be above 0",
            ),
            (
                "series,year,value\ncaseload,2020,1\ncaseload,2020,2\n",
                "h.csv:3: column `year`: series `caseload` already has 2020 (line 2)",
            ),
            (
                "series,year,value\ncaseloads,2020,1\n",
                "column `series`: unknown series `caseloads`",
            ),
            (
                "series,year,value,break\ncaseload,2020,1,maybe\n",
                "column `break`",
            ),
            (
                "series,year,value\ncaseload,2020,1\ncaseload,2021-22,2\n",
                "mixes calendar years",
            ),
            (
                "series,year,value\ncaseload,2020\n",
                "h.csv:2: column `row`",
            ),
        ];
        for (text, expected) in cases {
            let e = read(text).unwrap_err().to_string();
            assert!(e.contains(expected), "{text:?}: {e}");
        }
    }
}
