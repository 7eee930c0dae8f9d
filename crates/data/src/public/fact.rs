//! A value read from an input, before it is a panel row (panel.rs adds the file, the collection
//! and the release), and the reading of a spreadsheet's value cells.

use std::collections::{BTreeMap, BTreeSet};

use super::areas::Area;
use super::grid::Cell;
use super::{Value, missing_symbol};

/// One value of an input: an area's series in a year, from a table or sheet.
#[derive(Debug, Clone)]
pub(crate) struct Fact {
    pub area: Area,
    pub series: String,
    pub year: i32,
    pub value: Value,
    /// The table's file name in a release (`caseload.csv`), or the sheet's name.
    pub table: String,
}

/// A value cell: a number; a blank, or text (DfE's symbols or anything else, counted in `odd`),
/// missing.
pub(crate) fn value_of(cell: Option<&Cell>, odd: &mut BTreeMap<String, usize>) -> Value {
    match cell {
        Some(Cell::Number(v)) => Value::Number(*v),
        None => Value::Missing("blank".into()),
        Some(Cell::Text(t)) => {
            if let Ok(v) = t.trim().parse::<f64>()
                && v.is_finite()
            {
                return Value::Number(v);
            }
            match missing_symbol(t) {
                Some(symbol) => Value::Missing(symbol.into()),
                None => {
                    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
                    *odd.entry(t.clone()).or_default() += 1;
                    Value::Missing(t)
                }
            }
        }
    }
}

/// Notes the texts found in number cells (read as missing, as written).
pub(crate) fn note_odd(file: &str, odd: &BTreeMap<String, usize>, notes: &mut BTreeSet<String>) {
    if odd.is_empty() {
        return;
    }
    let list: Vec<String> = odd
        .iter()
        .take(10)
        .map(|(t, n)| format!("`{t}` ({n})"))
        .collect();
    notes.insert(format!(
        "{file}: text in number cells read as missing, as written in the panel's `missing`: {}{}",
        list.join(", "),
        if odd.len() > 10 { ", ..." } else { "" }
    ));
}
