//! The panel read back: from a `panel.csv` written by `dsg data import`, or the one built into the
//! program (data/public/panel.csv), with its areas found by name or code.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::Value;
use super::areas::{Area, BOUNDARY_CHANGES, Level, current_code};
use super::panel::{Collection, HEADER, Panel, PanelRow};
use crate::DataError;
use crate::growth::AreaLevels;

/// The panel shipped in data/public/panel.csv, as text (built into the program).
pub const SHIPPED_CSV: &str = include_str!("../../../../data/public/panel.csv");

/// The most rows a panel file may hold (the shipped one has about 50,000).
const MAX_ROWS: usize = 2_000_000;

impl Panel {
    /// Reads a panel written by [`Panel::write_csv`] (docs/public-data.md); `file` names it in
    /// errors.
    ///
    /// # Errors
    /// [`DataError::MissingColumns`] for a header that is not the panel's, [`DataError::Invalid`]
    /// for a row that cannot be read (naming its row and column).
    ///
    /// ```
    /// use dsg_data::public::Panel;
    /// let text = "area_code,dfe_code,name,level,series,year,value,missing,collection,source_file,source_table\n\
    ///             E92000001,,England,national,caseload,2025,638745,,person-level,a.zip,caseload.csv\n";
    /// let panel = Panel::read_csv(text, "panel.csv")?;
    /// assert_eq!(panel.find("E92000001", "caseload", 2025).unwrap().value.number(), Some(638745.0));
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn read_csv(text: &str, file: &str) -> Result<Panel, DataError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let invalid = |row: usize, message: String| DataError::Invalid {
            file: file.to_string(),
            row: Some(row),
            message,
        };
        let header = match records.next() {
            Some(Ok(h)) => h,
            Some(Err(e)) => return Err(invalid(1, format!("cannot read the header: {e}"))),
            None => return Err(invalid(1, "the file is empty".to_string())),
        };
        if header.iter().ne(HEADER.iter().copied()) {
            return Err(DataError::MissingColumns {
                file: file.to_string(),
                row: 1,
                missing: format!("`{}`", HEADER.join("`, `")),
                expected: "the panel's columns in order (docs/public-data.md)".to_string(),
            });
        }
        let mut rows = Vec::new();
        for (i, record) in records.enumerate() {
            let row = i + 2;
            if rows.len() >= MAX_ROWS {
                return Err(invalid(row, format!("more than {MAX_ROWS} rows")));
            }
            let record = record.map_err(|e| invalid(row, format!("cannot read: {e}")))?;
            rows.push(parse_row(&record).map_err(|m| invalid(row, m))?);
        }
        Ok(Panel { rows })
    }

    /// The panel built into the program: every council's figures as shipped in
    /// data/public/panel.csv (read once, then shared).
    ///
    /// # Errors
    /// [`DataError::Invalid`] if the built-in panel cannot be read (a build from a damaged
    /// checkout).
    ///
    /// ```
    /// let panel = dsg_data::public::Panel::shipped()?;
    /// let england = panel.find("E92000001", "caseload", 2025).unwrap();
    /// assert_eq!(england.value.number(), Some(638_745.0));
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn shipped() -> Result<&'static Panel, DataError> {
        static SHIPPED: OnceLock<Result<Panel, String>> = OnceLock::new();
        SHIPPED
            .get_or_init(|| Panel::read_csv(SHIPPED_CSV, "").map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|message| DataError::Invalid {
                file: "data/public/panel.csv (built in)".to_string(),
                row: None,
                message: message.clone(),
            })
    }

    /// An area's series: (year, value) in year order.
    ///
    /// ```
    /// let panel = dsg_data::public::Panel::shipped()?;
    /// let s = panel.series("E10000003", "caseload");
    /// assert!(s.iter().any(|(year, _)| *year == 2025));
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn series(&self, code: &str, series: &str) -> Vec<(i32, Value)> {
        let mut out: Vec<(i32, Value)> = self
            .rows
            .iter()
            .filter(|r| r.area.code == code && r.series == series)
            .map(|r| (r.year, r.value.clone()))
            .collect();
        out.sort_by_key(|(year, _)| *year);
        out
    }

    /// Every local authority's published values of `series`, as the growth model's levels
    /// (missing values and values not above 0 left out; a gap stops a growth).
    ///
    /// ```
    /// let panel = dsg_data::public::Panel::shipped()?;
    /// assert!(panel.levels("caseload").len() > 150);
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn levels(&self, series: &str) -> Vec<AreaLevels> {
        let mut out: BTreeMap<&str, Vec<(i32, f64)>> = BTreeMap::new();
        for r in &self.rows {
            if r.area.level == Level::La
                && r.series == series
                && let Some(v) = r.value.number()
                && v > 0.0
            {
                out.entry(r.area.code.as_str())
                    .or_default()
                    .push((r.year, v));
            }
        }
        out.into_iter()
            .map(|(area, levels)| AreaLevels {
                area: area.to_string(),
                levels,
            })
            .collect()
    }

    /// The series names an area has, sorted.
    ///
    /// ```
    /// let panel = dsg_data::public::Panel::shipped()?;
    /// assert!(panel.series_names("E92000001").contains(&"new_plans"));
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn series_names(&self, code: &str) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .rows
            .iter()
            .filter(|r| r.area.code == code)
            .map(|r| r.series.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Every area in the panel, once each, in the panel's order (England, regions, local
    /// authorities; by code).
    ///
    /// ```
    /// let panel = dsg_data::public::Panel::shipped()?;
    /// assert_eq!(panel.areas()[0].name, "England");
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn areas(&self) -> Vec<&Area> {
        let mut seen: BTreeMap<(Level, &str), &Area> = BTreeMap::new();
        for r in &self.rows {
            seen.entry((r.area.level, r.area.code.as_str()))
                .or_insert(&r.area);
        }
        seen.into_values().collect()
    }

    /// Finds an area by its ONS code (`E10000003`), DfE code (`873`) or name, matched loosely
    /// (letter case, punctuation, `&` for `and`, a leading "City of" or a trailing "County
    /// Council" do not matter; a part of a name that only one area has is enough).
    ///
    /// # Errors
    /// [`DataError::UnknownArea`] naming the closest areas when none or several match.
    ///
    /// ```
    /// let panel = dsg_data::public::Panel::shipped()?;
    /// assert_eq!(panel.find_area("cambridgeshire county council")?.code, "E10000003");
    /// assert_eq!(panel.find_area("873")?.name, "Cambridgeshire");
    /// let err = panel.find_area("Northampton").unwrap_err().to_string();
    /// assert!(err.contains("North Northamptonshire"), "{err}");
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn find_area(&self, query: &str) -> Result<&Area, DataError> {
        let areas = self.areas();
        let q = query.trim();
        let unknown = |suggestions: Vec<String>| DataError::UnknownArea {
            query: q.to_string(),
            suggestions,
        };
        if q.is_empty() {
            return Err(unknown(Vec::new()));
        }
        let code = current_code(&q.to_ascii_uppercase()).to_string();
        if let Some(a) = areas
            .iter()
            .find(|a| a.code == code || (!a.dfe_code.is_empty() && a.dfe_code == q))
        {
            return Ok(a);
        }
        let key = name_key(q);
        if key.is_empty() {
            return Err(unknown(Vec::new()));
        }
        let exact: Vec<&&Area> = areas.iter().filter(|a| name_key(&a.name) == key).collect();
        match exact.as_slice() {
            // A name shared by two areas (Dorset before and after 2019): the one still published.
            [one] => return Ok(one),
            [_, ..] => return Ok(latest(self, &exact)),
            [] => {}
        }
        // Whole words of a name first ("hull" is Kingston upon Hull, not Solihull), then any part.
        let words = |a: &&&Area| format!(" {} ", name_key(&a.name)).contains(&format!(" {key} "));
        let whole: Vec<&&Area> = areas.iter().filter(words).collect();
        if let [one] = whole.as_slice() {
            return Ok(one);
        }
        let partial: Vec<&&Area> = areas
            .iter()
            .filter(|a| name_key(&a.name).contains(&key))
            .collect();
        match partial.as_slice() {
            [one] => Ok(one),
            [] => Err(unknown(closest(&areas, &key))),
            many => Err(unknown(many.iter().map(|a| a.name.clone()).collect())),
        }
    }

    /// The areas that replaced `code` at a boundary change, if it ended in one.
    ///
    /// ```
    /// let panel = dsg_data::public::Panel::shipped()?;
    /// let names: Vec<&str> = panel.successors("E10000021").iter().map(|a| a.2).collect();
    /// assert_eq!(names, ["North Northamptonshire", "West Northamptonshire"]);
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn successors(&self, code: &str) -> &'static [(&'static str, &'static str, &'static str)] {
        BOUNDARY_CHANGES
            .iter()
            .find(|c| c.before.iter().any(|b| b.0 == code))
            .map_or(&[], |c| c.after)
    }
}

/// Of areas sharing a name, the one with the latest figure.
fn latest<'a>(panel: &Panel, areas: &[&&'a Area]) -> &'a Area {
    let last_year = |a: &Area| {
        panel
            .rows
            .iter()
            .filter(|r| r.area.code == a.code)
            .map(|r| r.year)
            .max()
            .unwrap_or(i32::MIN)
    };
    let mut best = areas[0];
    for a in areas {
        if last_year(a) > last_year(best) {
            best = a;
        }
    }
    best
}

/// Up to three names nearest to `key` (Jaro-Winkler on the loose form), best first.
fn closest(areas: &[&Area], key: &str) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = areas
        .iter()
        .map(|a| {
            (
                strsim::jaro_winkler(&name_key(&a.name), key),
                a.name.as_str(),
            )
        })
        .filter(|(s, _)| *s > 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(3)
        .map(|(_, n)| n.to_string())
        .collect()
}

/// A name's loose form: lower case letters and digits, words joined by single spaces, `&` as
/// `and`, without "city of", "county of", "council", "county council", "borough", "the", "royal
/// borough of", "metropolitan".
fn name_key(name: &str) -> String {
    const DROP: [&str; 8] = [
        "city",
        "of",
        "county",
        "council",
        "borough",
        "the",
        "royal",
        "metropolitan",
    ];
    let lower = name.to_lowercase().replace('&', " and ");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !DROP.contains(w))
        .collect();
    // "City of London" and "County Durham" keep their meaning when the rest is empty or short.
    if kept.is_empty() { words } else { kept }.join(" ")
}

/// One panel row from its record.
fn parse_row(record: &csv::StringRecord) -> Result<PanelRow, String> {
    let field = |i: usize| unquote(record.get(i).unwrap_or(""));
    if record.len() != HEADER.len() {
        return Err(format!(
            "{} columns where the panel has {}",
            record.len(),
            HEADER.len()
        ));
    }
    let level = match record.get(3).unwrap_or("") {
        "national" => Level::National,
        "regional" => Level::Regional,
        "la" => Level::La,
        other => {
            return Err(format!(
                "column `level`: `{other}` is not national, regional or la"
            ));
        }
    };
    let year: i32 = record
        .get(5)
        .unwrap_or("")
        .parse()
        .map_err(|_| format!("column `year`: `{}` is not a year", field(5)))?;
    let value = match (record.get(6).unwrap_or(""), field(7)) {
        ("", missing) if !missing.is_empty() => Value::Missing(missing),
        (text, missing) if missing.is_empty() => match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Value::Number(v),
            _ => return Err(format!("column `value`: `{text}` is not a number")),
        },
        _ => return Err("a row has a value or a `missing` reason, not both".to_string()),
    };
    let collection = match record.get(8).unwrap_or("") {
        "aggregate" => Collection::Aggregate,
        "person-level" => Collection::PersonLevel,
        "finance" => Collection::Finance,
        "population" => Collection::Population,
        other => {
            return Err(format!(
                "column `collection`: `{other}` is not aggregate, person-level, finance or population"
            ));
        }
    };
    Ok(PanelRow {
        area: Area {
            code: field(0),
            dfe_code: field(1),
            name: field(2),
            level,
        },
        series: field(4),
        year,
        value,
        collection,
        source_file: field(9),
        source_table: field(10),
    })
}

/// Text as written by the panel's writer, without the `'` that keeps a spreadsheet from running
/// it as a formula.
fn unquote(text: &str) -> String {
    crate::escape::spreadsheet_text_back(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_names() {
        assert_eq!(
            name_key("Kingston upon Hull, City of"),
            "kingston upon hull"
        );
        assert_eq!(name_key("Brighton & Hove"), "brighton and hove");
        assert_eq!(name_key("City of London"), "london");
        assert_eq!(name_key("Cambridgeshire County Council"), "cambridgeshire");
    }

    #[test]
    fn written_panel_reads_back_equal() {
        let panel = Panel::shipped().unwrap();
        let mut out = Vec::new();
        panel.write_csv(&mut out).unwrap();
        assert_eq!(out, SHIPPED_CSV.as_bytes());
    }

    #[test]
    fn bad_rows_name_row_and_column() {
        let header = HEADER.join(",");
        let text = format!("{header}\nE1,,A,la,caseload,20x5,1,,aggregate,f,t\n");
        let err = Panel::read_csv(&text, "p.csv").unwrap_err().to_string();
        assert!(
            err.contains("p.csv, row 2") && err.contains("`year`"),
            "{err}"
        );
        let text = format!("{header}\nE1,,A,la,caseload,2025,1,x,aggregate,f,t\n");
        assert!(Panel::read_csv(&text, "p.csv").is_err());
        assert!(Panel::read_csv("a,b\n", "p.csv").is_err());
    }
}
