//! Councils' DSG balances and reserves for `dsg national` (not published per council): a CSV the
//! user fills in, and its template.

use std::collections::BTreeMap;
use std::path::Path;

use dsg_core::money::parse_amount;
use dsg_data::public::{Level, Panel};

use crate::error::bad_input;

/// The columns of the balances CSV.
pub const COLUMNS: [&str; 4] = ["code", "name", "opening_balance", "usable_reserves"];

/// One council's balances, where given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Balance {
    /// The cumulative DSG balance at the base year's end (negative = deficit).
    pub opening_balance: Option<f64>,
    /// Usable general-fund reserves.
    pub usable_reserves: Option<f64>,
}

/// Writes the template: every local authority of `panel` with blank amounts. An existing file is
/// not overwritten.
pub fn write_template(panel: &Panel, file: &Path) -> anyhow::Result<()> {
    if file.exists() {
        return Err(bad_input(format!(
            "{} exists already: give a new file name",
            file.display()
        )));
    }
    let mut w = csv::Writer::from_path(file)
        .map_err(|e| bad_input(format!("cannot write {}: {e}", file.display())))?;
    w.write_record(COLUMNS)?;
    for area in panel.areas().into_iter().filter(|a| a.level == Level::La) {
        if !panel.successors(&area.code).is_empty() {
            continue; // ended at a boundary change: not in a run from the latest count
        }
        w.write_record([area.code.as_str(), area.name.as_str(), "", ""])?;
    }
    w.flush()?;
    Ok(())
}

/// Reads a balances CSV: by council code.
pub fn read(file: &Path) -> anyhow::Result<BTreeMap<String, Balance>> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| bad_input(format!("cannot read {}: {e}", file.display())))?;
    parse(&text, &file.display().to_string())
}

/// Parses a balances CSV's text; `file` names it in messages.
pub fn parse(text: &str, file: &str) -> anyhow::Result<BTreeMap<String, Balance>> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = r.headers()?.clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(code), Some(opening), Some(reserves)) = (
        column("code"),
        column("opening_balance"),
        column("usable_reserves"),
    ) else {
        return Err(bad_input(format!(
            "{file}: the balances file needs the columns {} (dsg national --balances-template writes one)",
            COLUMNS.join(", ")
        )));
    };
    let mut out = BTreeMap::new();
    for (i, record) in r.records().enumerate() {
        let record = record.map_err(|e| bad_input(format!("{file}: {e}")))?;
        let line = i + 2;
        let amount = |at: usize, what: &str| -> anyhow::Result<Option<f64>> {
            let cell = record.get(at).unwrap_or("");
            if cell.is_empty() {
                return Ok(None);
            }
            parse_amount(cell).map(Some).ok_or_else(|| {
                bad_input(format!(
                    "{file}, line {line}: {what} `{cell}` is not an amount (e.g. -60m or 110000000)"
                ))
            })
        };
        let balance = Balance {
            opening_balance: amount(opening, "opening_balance")?,
            usable_reserves: amount(reserves, "usable_reserves")?,
        };
        let code = record.get(code).unwrap_or("").to_string();
        if code.is_empty() {
            return Err(bad_input(format!("{file}, line {line}: no council code")));
        }
        if out.insert(code.clone(), balance).is_some() {
            return Err(bad_input(format!(
                "{file}, line {line}: {code} is given twice"
            )));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_a_finance_officer_types_them_and_blanks_stay_unknown() {
        let text = "code,name,opening_balance,usable_reserves\nE1,A,-60m,110m\nE2,B,,\n";
        let b = parse(text, "b.csv").unwrap();
        assert_eq!(b["E1"].opening_balance, Some(-60e6));
        assert_eq!(b["E1"].usable_reserves, Some(110e6));
        assert_eq!(b["E2"], Balance::default());
    }

    #[test]
    fn a_bad_amount_names_its_line() {
        let text = "code,name,opening_balance,usable_reserves\nE1,A,lots,\n";
        let err = parse(text, "b.csv").unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("lots"), "{err}");
    }

    #[test]
    fn missing_columns_are_named() {
        let err = parse("code,name\n", "b.csv").unwrap_err().to_string();
        assert!(err.contains("opening_balance"), "{err}");
    }
}
