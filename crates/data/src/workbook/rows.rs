//! A scenario section as rows of the workbook, and back: one row per input (one per year of a
//! per-year table, one per entry of a list), the distribution's parameters in their columns.

use toml::Value;

use super::WorkbookError;

/// Column indices (logical: `ITEM` is 0 even on sheets without an `Item` column).
pub const ITEM: usize = 0;
/// The key column.
pub const KEY: usize = 1;
/// The year column.
pub const YEAR: usize = 2;
/// The kind column.
pub const KIND: usize = 3;
/// The value column (a number, a text, or a distribution's centre).
pub const VALUE: usize = 4;
const LOW: usize = 5;
const HIGH: usize = 6;
const SD: usize = 7;
const SHIFT: usize = 8;
const VALUES: usize = 9;
const PROBABILITIES: usize = 10;
/// The per column.
pub const PER: usize = 11;
/// The persistence column.
pub const PERSISTENCE: usize = 12;
/// How many columns.
pub const WIDTH: usize = 13;

/// Which parameter of a distribution each column holds.
pub fn params(kind: &str) -> &'static [(usize, &'static str)] {
    match kind {
        "fixed" => &[(VALUE, "value")],
        "uniform" => &[(LOW, "min"), (HIGH, "max")],
        "normal" => &[(VALUE, "mean"), (SD, "sd")],
        "lognormal" => &[(VALUE, "mu"), (SD, "sigma"), (SHIFT, "shift")],
        "truncated_normal" => &[(VALUE, "mean"), (SD, "sd"), (LOW, "min"), (HIGH, "max")],
        "triangular" | "pert" => &[(VALUE, "mode"), (LOW, "min"), (HIGH, "max")],
        "discrete" => &[(VALUES, "values"), (PROBABILITIES, "probabilities")],
        "bernoulli" => &[(VALUE, "p")],
        _ => &[],
    }
}

/// Parameters that may be distributions themselves (parameter uncertainty): written on a row of
/// their own, keyed `caseload.mean`.
pub const HYPER: &[&str] = &["mean", "sd", "mu", "sigma"];

/// A cell's content as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    /// Nothing.
    Empty,
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
    /// true/false.
    Bool(bool),
}

/// One row as written: its key path below the section (for help), and its cells.
#[derive(Debug, Clone)]
pub struct OutRow {
    /// The key path below the item, years and parameters left out (`joiners.opening`).
    pub help_key: String,
    /// The cells, by logical column.
    pub cells: Vec<Out>,
}

/// Whether `key` is a financial year (`2026-27`) or `other_years`, a key of a per-year table.
pub fn is_year(key: &str) -> bool {
    let b = key.as_bytes();
    key == "other_years"
        || (b.len() == 7
            && b[4] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit()))
}

/// A key path as the `Key` column shows it: segments joined by dots, quoted when not bare.
pub fn join_key(segments: &[String]) -> String {
    let bare = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    segments
        .iter()
        .map(|s| {
            if bare(s) {
                s.clone()
            } else {
                format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Splits a `Key` cell into its segments (`budget."special school".amount`); `None` when its
/// quotes do not close or a segment is empty.
pub fn split_key(key: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = key.trim().chars();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '\\') => current.push(chars.next()?),
            (true, '"') => quoted = false,
            (false, '"') if current.is_empty() => {
                quoted = true;
                was_quoted = true;
            }
            (false, '.') => {
                if current.is_empty() && !was_quoted {
                    return None;
                }
                out.push(std::mem::take(&mut current));
                was_quoted = false;
            }
            (false, c) if c.is_whitespace() => {}
            (_, c) => current.push(c),
        }
    }
    if quoted || (current.is_empty() && !was_quoted) {
        return None;
    }
    out.push(current);
    Some(out)
}

/// The rows of the inputs in `table` below key path `prefix`, leaving out the keys in `skip`
/// (items written on sheets of their own).
pub fn flatten(
    prefix: &[String],
    table: &toml::Table,
    skip: &[&str],
    rows: &mut Vec<OutRow>,
) -> Result<(), WorkbookError> {
    for (k, v) in table {
        if prefix.is_empty() && skip.contains(&k.as_str()) {
            continue;
        }
        let mut path = prefix.to_vec();
        path.push(k.clone());
        value_rows(&path, None, v, rows)?;
    }
    Ok(())
}

fn value_rows(
    path: &[String],
    year: Option<&str>,
    value: &Value,
    rows: &mut Vec<OutRow>,
) -> Result<(), WorkbookError> {
    let plain = |kind: &str, cell: Out| {
        let mut cells = vec![Out::Empty; WIDTH];
        cells[KEY] = Out::Text(join_key(path));
        cells[YEAR] = year.map_or(Out::Empty, |y| Out::Text(y.to_string()));
        cells[KIND] = Out::Text(kind.to_string());
        cells[VALUE] = cell;
        OutRow {
            help_key: path.join("."),
            cells,
        }
    };
    match value {
        Value::Float(x) => rows.push(plain("number", finite(path, *x)?)),
        Value::Integer(i) => rows.push(plain("number", Out::Number(*i as f64))),
        Value::String(s) => rows.push(plain("text", Out::Text(s.clone()))),
        Value::Boolean(b) => rows.push(plain("yes/no", Out::Bool(*b))),
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::String(s) => rows.push(plain("list", Out::Text(s.clone()))),
                    Value::Float(x) => rows.push(plain("list", finite(path, *x)?)),
                    Value::Integer(i) => rows.push(plain("list", Out::Number(*i as f64))),
                    _ => return Err(unwritable(path, "a list of anything but text or numbers")),
                }
            }
        }
        Value::Table(t) if t.contains_key("dist") => distribution_rows(path, year, t, rows)?,
        Value::Table(t) if year.is_none() && !t.is_empty() && t.keys().all(|k| is_year(k)) => {
            for (y, v) in t {
                value_rows(path, Some(y), v, rows)?;
            }
        }
        Value::Table(t) if year.is_none() => flatten(path, t, &[], rows)?,
        _ => return Err(unwritable(path, "a table inside a year's value")),
    }
    Ok(())
}

/// A number cell; a spreadsheet has no cell for infinity or NaN.
fn finite(path: &[String], x: f64) -> Result<Out, WorkbookError> {
    if x.is_finite() {
        Ok(Out::Number(x))
    } else {
        Err(unwritable(path, &format!("{x}, not a finite number,")))
    }
}

fn unwritable(path: &[String], what: &str) -> WorkbookError {
    WorkbookError::Write {
        message: format!(
            "`{}` holds {what}, which the workbook has no row for",
            path.join(".")
        ),
    }
}

/// A distribution's row, then a row for each parameter that is a distribution itself.
fn distribution_rows(
    path: &[String],
    year: Option<&str>,
    table: &toml::Table,
    rows: &mut Vec<OutRow>,
) -> Result<(), WorkbookError> {
    let kind = table
        .get("dist")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut cells = vec![Out::Empty; WIDTH];
    cells[KEY] = Out::Text(join_key(path));
    cells[YEAR] = year.map_or(Out::Empty, |y| Out::Text(y.to_string()));
    cells[KIND] = Out::Text(kind.to_string());
    let mut hyper = Vec::new();
    for (k, v) in table {
        let column = match k.as_str() {
            "dist" => continue,
            "per" => PER,
            "persistence" => PERSISTENCE,
            _ => match params(kind).iter().find(|(_, p)| p == k) {
                Some((c, _)) => *c,
                None => return Err(unwritable(path, &format!("a parameter `{k}`"))),
            },
        };
        cells[column] = match v {
            Value::Float(x) => finite(path, *x)?,
            Value::Integer(i) => Out::Number(*i as f64),
            Value::String(s) => Out::Text(s.clone()),
            Value::Array(list) => Out::Text(
                number_list(list).ok_or_else(|| unwritable(path, "a list that is not numbers"))?,
            ),
            Value::Table(t) => {
                hyper.push((k.clone(), t));
                Out::Empty
            }
            _ => {
                return Err(unwritable(
                    path,
                    &format!("a parameter `{k}` of no known type"),
                ));
            }
        };
    }
    rows.push(OutRow {
        help_key: path.join("."),
        cells,
    });
    for (param, t) in hyper {
        let mut below = path.to_vec();
        below.push(param);
        let before = rows.len();
        distribution_rows(&below, year, t, rows)?;
        for row in &mut rows[before..] {
            row.help_key = path.join(".");
        }
    }
    Ok(())
}

/// Numbers joined by `; `, each written so that it reads back exactly.
fn number_list(list: &[Value]) -> Option<String> {
    let numbers: Option<Vec<String>> = list
        .iter()
        .map(|v| match v {
            Value::Float(x) if x.is_finite() => Some(format!("{x}")),
            Value::Integer(i) => Some(format!("{i}")),
            _ => None,
        })
        .collect();
    numbers.map(|n| n.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_split_and_join() {
        let segs = vec![
            "provisions".to_string(),
            "special school".to_string(),
            "amount".to_string(),
        ];
        let joined = join_key(&segs);
        assert_eq!(joined, "provisions.\"special school\".amount");
        assert_eq!(split_key(&joined), Some(segs));
        assert_eq!(
            split_key("joiners.opening"),
            Some(vec!["joiners".into(), "opening".into()])
        );
        assert_eq!(split_key("a..b"), None);
        assert_eq!(split_key("\"open"), None);
        assert_eq!(split_key(""), None);
    }

    #[test]
    fn years_are_recognised() {
        assert!(is_year("2026-27"));
        assert!(is_year("other_years"));
        assert!(!is_year("2026/27"));
        assert!(!is_year("special"));
    }
}
