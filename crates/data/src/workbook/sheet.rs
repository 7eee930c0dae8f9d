//! One sheet's rows read into its section: each row's item, key, year and value, checked cell
//! by cell.

use std::collections::BTreeMap;

use calamine::Data;
use toml::Value;

use super::WorkbookError;
use super::cells::{describe, text_of};
use super::layout::{COLUMNS, KINDS, Type, help, is_distribution};
use super::read::SheetReader;
use super::rows::{
    HYPER, ITEM, KEY, KIND, PER, PERSISTENCE, VALUE, WIDTH, YEAR, is_year, params, split_key,
};

/// One row's cells by logical column, with the physical column of each.
struct Row {
    r: u32,
    data: Vec<Data>,
    col: Vec<u32>,
}

impl Row {
    fn has(&self, c: usize) -> bool {
        self.data[c] != Data::Empty
    }
}

/// A number as TOML: a whole number as an integer (so that `horizon_years` reads), any other as
/// a float; the same f64 either way.
fn toml_number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 && !(x == 0.0 && x.is_sign_negative()) {
        Value::Integer(x as i64)
    } else {
        Value::Float(x)
    }
}

impl SheetReader<'_> {
    /// The section's value (a table, or a list of items), `None` when the sheet has no rows.
    pub(super) fn read(&mut self) -> Result<Option<Value>, WorkbookError> {
        let mut section = toml::Table::new();
        let mut any = false;
        let mut last_year: BTreeMap<(String, String), (String, u32)> = BTreeMap::new();
        let Some(last) = self.cells.last_row() else {
            return Ok(None);
        };
        for r in 1..=last {
            let Some(row) = self.row(r)? else { continue };
            any = true;
            self.place(&row, &mut section, &mut last_year)?;
        }
        if !any {
            return Ok(None);
        }
        Ok(Some(match self.sheet.item {
            None => Value::Table(section),
            Some(_) => Value::Array(
                std::mem::take(&mut self.found)
                    .into_iter()
                    .map(|(_, _, t)| Value::Table(t))
                    .collect(),
            ),
        }))
    }

    /// Row `r`'s cells, `None` when it is empty.
    fn row(&mut self, r: u32) -> Result<Option<Row>, WorkbookError> {
        let mut row = Row {
            r,
            data: vec![Data::Empty; WIDTH],
            col: vec![0; WIDTH],
        };
        for (c, logical) in self.columns.iter().enumerate() {
            let Some(l) = logical else { continue };
            row.data[*l] = self.cells.get(r, c as u32, self.warnings)?;
            row.col[*l] = c as u32;
        }
        // A column missing from the header reads as empty: point errors at where it would be.
        for l in 0..WIDTH {
            if !self.columns.contains(&Some(l)) {
                row.col[l] = self.columns.len() as u32 + l as u32;
            }
        }
        Ok(row.data.iter().any(|d| *d != Data::Empty).then_some(row))
    }

    fn error(&self, row: &Row, c: usize, message: impl Into<String>) -> WorkbookError {
        self.cells.error(row.r, row.col[c], message)
    }

    /// Puts one row's value into the section (into its item, on a sheet of items), checking the
    /// order of items and years.
    fn place(
        &mut self,
        row: &Row,
        section: &mut toml::Table,
        last_year: &mut BTreeMap<(String, String), (String, u32)>,
    ) -> Result<(), WorkbookError> {
        let label = self.item(row)?;
        if label.is_some() && (KEY..WIDTH).all(|c| !row.has(c)) {
            return Ok(()); // an item with nothing but its name
        }
        let key_text = match &row.data[KEY] {
            Data::String(s) if !s.trim().is_empty() => s.trim().to_string(),
            Data::Empty => {
                return Err(self.error(row, KEY, "no key: say which input this row gives"));
            }
            other => {
                return Err(self.error(
                    row,
                    KEY,
                    format!(
                        "{} where a key such as `caseload` is needed",
                        describe(other)
                    ),
                ));
            }
        };
        let Some(mut path) = split_key(&key_text) else {
            return Err(self.error(
                row,
                KEY,
                format!("`{key_text}` is not a key (dotted words, such as joiners.opening)"),
            ));
        };
        let year = self.year(row)?;
        let (value, list) = self.value(row, &path)?;
        let hyper = matches!(&value, Value::Table(t) if t.contains_key("dist"))
            && path.len() > 1
            && path.last().is_some_and(|p| HYPER.contains(&p.as_str()));
        if let Some(y) = &year {
            let at = if hyper { path.len() - 1 } else { path.len() };
            path.insert(at, y.clone());
            let slot = (label.clone().unwrap_or_default(), key_text.clone());
            if y != "other_years" {
                if let Some((before, before_row)) = last_year.get(&slot)
                    && y < before
                {
                    return Err(self.error(row, YEAR, format!("row out of order: {y} comes after {before} (row {}) for `{key_text}`; list the years in order", before_row + 1)));
                }
                last_year.insert(slot, (y.clone(), row.r));
            }
        }
        let prefix = match &label {
            None => self.sheet.section.to_string(),
            Some(_) => format!("{}[{}]", self.sheet.section, self.found.len() - 1),
        };
        let value_cell = self.cells.name(row.r, row.col[VALUE]);
        let full = format!("{prefix}.{}", path.join("."));
        self.cell_map.entry(full).or_insert(value_cell.clone());
        let target = match self.found.last_mut() {
            Some((_, _, t)) if label.is_some() => t,
            _ => section,
        };
        insert(target, &path, value, list).map_err(|m| {
            let of_item = label
                .map(|l| format!(" of `{l}` (two items of the same name?)"))
                .unwrap_or_default();
            let for_year = year.map(|y| format!(" for {y}")).unwrap_or_default();
            self.error(row, KEY, format!("`{key_text}`{for_year}{of_item}: {m}"))
        })
    }

    /// The row's item on a sheet of items (starting a new one when it changes), `None` on a
    /// table's sheet.
    fn item(&mut self, row: &Row) -> Result<Option<String>, WorkbookError> {
        let Some(item_key) = self.sheet.item else {
            return Ok(None);
        };
        let label = match &row.data[ITEM] {
            Data::Empty => {
                return Err(self.error(
                    row,
                    ITEM,
                    "no item: every row names its item (a name, a year, or a number)",
                ));
            }
            d => text_of(d).map(|s| s.trim().to_string()).ok_or_else(|| {
                self.error(
                    row,
                    ITEM,
                    format!("{} where an item's name or number is needed", describe(d)),
                )
            })?,
        };
        if self.found.last().is_some_and(|(l, _, _)| *l == label) {
            return Ok(Some(label));
        }
        if let Some((_, first, _)) = self.found.iter().find(|(l, _, _)| *l == label) {
            return Err(self.error(row, ITEM, format!(
                "row out of order: `{label}` already has rows from row {}, and another item's rows come between; keep an item's rows together",
                first + 1
            )));
        }
        let mut table = toml::Table::new();
        if !item_key.is_empty() {
            table.insert(item_key.to_string(), Value::String(label.clone()));
            let key = format!("{}[{}].{item_key}", self.sheet.section, self.found.len());
            self.cell_map
                .insert(key, self.cells.name(row.r, row.col[ITEM]));
        }
        self.found.push((label.clone(), row.r, table));
        Ok(Some(label))
    }

    /// The row's year, `None` when the value is for every year.
    fn year(&self, row: &Row) -> Result<Option<String>, WorkbookError> {
        match &row.data[YEAR] {
            Data::Empty => Ok(None),
            Data::String(s) if is_year(s.trim()) => Ok(Some(s.trim().to_string())),
            Data::String(s) if s.contains('/') || s.trim().len() == 10 => Err(self.error(row, YEAR, format!(
                "a date written as text (`{s}`) where a financial year is needed: write 2026-27 for April 2026 to March 2027"
            ))),
            Data::DateTime(_) | Data::DateTimeIso(_) => Err(self.error(row, YEAR,
                "a date where a financial year is needed: format the cell as text and write the year as 2026-27")),
            other => Err(self.error(row, YEAR, format!(
                "{} where a financial year (2026-27) or other_years is needed", describe(other)
            ))),
        }
    }

    /// The row's kind: the `Kind` cell, or what the value is when it is empty.
    fn kind(&self, row: &Row) -> Result<String, WorkbookError> {
        let kind = match (&row.data[KIND], &row.data[VALUE]) {
            (Data::String(s), _) => s.trim().to_lowercase(),
            (Data::Empty, Data::Float(_) | Data::Int(_)) => "number".into(),
            (Data::Empty, Data::String(_)) => "text".into(),
            (Data::Empty, Data::Bool(_)) => "yes/no".into(),
            (Data::Empty, _) => {
                return Err(self.error(
                    row,
                    KIND,
                    "no kind: say number, text, yes/no, list or a distribution",
                ));
            }
            (other, _) => {
                return Err(self.error(
                    row,
                    KIND,
                    format!("{} where a kind is needed", describe(other)),
                ));
            }
        };
        if !KINDS.contains(&kind.as_str()) {
            return Err(self.error(
                row,
                KIND,
                format!("unknown kind `{kind}`; use one of {}", KINDS.join(", ")),
            ));
        }
        Ok(kind)
    }

    /// The row's value, and whether it is one entry of a list.
    fn value(&self, row: &Row, path: &[String]) -> Result<(Value, bool), WorkbookError> {
        let kind = self.kind(row)?;
        self.check_type(row, path, &kind)?;
        let used: Vec<usize> = if is_distribution(&kind) {
            params(&kind)
                .iter()
                .map(|(c, _)| *c)
                .chain([PER, PERSISTENCE])
                .collect()
        } else {
            vec![VALUE]
        };
        if let Some(c) = (VALUE..WIDTH).find(|c| row.has(*c) && !used.contains(c)) {
            return Err(self.error(
                row,
                c,
                format!(
                    "a value in `{}`, which a `{kind}` row does not take; clear it",
                    COLUMNS[c].0
                ),
            ));
        }
        // An empty text is an empty cell (a spreadsheet keeps no empty strings).
        if !is_distribution(&kind) && kind != "text" && !row.has(VALUE) {
            return Err(self.error(row, VALUE, "no value"));
        }
        let value = match kind.as_str() {
            "number" => toml_number(self.number(row, VALUE)?.unwrap_or_default()),
            "text" if !row.has(VALUE) => Value::String(String::new()),
            // A list of numbers (`write_off.reported`) keeps its numbers as numbers.
            "list" if matches!(row.data[VALUE], Data::Float(_) | Data::Int(_)) => {
                toml_number(self.number(row, VALUE)?.unwrap_or_default())
            }
            "text" | "list" => Value::String(self.text(row, VALUE)?),
            "yes/no" => Value::Boolean(self.yes_no(row)?),
            _ => Value::Table(self.distribution(row, &kind)?),
        };
        Ok((value, kind == "list"))
    }

    /// Refuses a kind the key's type cannot take (`caseload` given as text).
    fn check_type(&self, row: &Row, path: &[String], kind: &str) -> Result<(), WorkbookError> {
        let section = self.sheet.section.replace(".instalments", "");
        let key = format!("{section}.{}", path.join("."));
        let Some(expected) = help(&key).and_then(|h| h.kind) else {
            return Ok(());
        };
        let fits = match expected {
            Type::Input => kind == "number" || is_distribution(kind),
            Type::Number => kind == "number",
            Type::Text => kind == "text",
            Type::YesNo => kind == "yes/no",
            Type::List => kind == "list",
        };
        if fits {
            return Ok(());
        }
        let takes = match expected {
            Type::Input => "a number or a distribution",
            Type::Number => "a number",
            Type::Text => "text",
            Type::YesNo => "yes/no",
            Type::List => "a list (one row per entry, kind list)",
        };
        Err(self.error(
            row,
            KIND,
            format!("`{}` takes {takes}, not `{kind}`", path.join(".")),
        ))
    }

    fn number(&self, row: &Row, c: usize) -> Result<Option<f64>, WorkbookError> {
        match &row.data[c] {
            Data::Empty => Ok(None),
            Data::Float(x) => Ok(Some(*x)),
            Data::Int(i) => Ok(Some(*i as f64)),
            Data::String(s) => Err(self.error(row, c, format!(
                "the text `{s}` where a number is needed: type the number itself, without £ or % (12% is 0.12), in a cell formatted as a number"
            ))),
            other => Err(self.error(row, c, format!("{} where a number is needed", describe(other)))),
        }
    }

    fn text(&self, row: &Row, c: usize) -> Result<String, WorkbookError> {
        match &row.data[c] {
            Data::DateTime(_) | Data::DateTimeIso(_) => Err(self.error(
                row,
                c,
                "a date where text is needed: format the cell as text (a year is written 2026-27)",
            )),
            d => text_of(d)
                .ok_or_else(|| self.error(row, c, format!("{} where text is needed", describe(d)))),
        }
    }

    fn yes_no(&self, row: &Row) -> Result<bool, WorkbookError> {
        match &row.data[VALUE] {
            Data::Bool(b) => Ok(*b),
            Data::String(s) => match s.trim().to_lowercase().as_str() {
                "yes" | "true" => Ok(true),
                "no" | "false" => Ok(false),
                _ => Err(self.error(row, VALUE, format!("`{s}` where yes or no is needed"))),
            },
            other => Err(self.error(
                row,
                VALUE,
                format!("{} where yes or no is needed", describe(other)),
            )),
        }
    }

    /// A distribution's table from its columns.
    fn distribution(&self, row: &Row, kind: &str) -> Result<toml::Table, WorkbookError> {
        let mut table = toml::Table::new();
        table.insert("dist".into(), Value::String(kind.into()));
        for (c, param) in params(kind) {
            let value = if *param == "values" || *param == "probabilities" {
                self.number_list(row, *c)?
            } else {
                self.number(row, *c)?.map(toml_number)
            };
            if let Some(v) = value {
                table.insert((*param).into(), v);
            }
        }
        if row.has(PER) {
            table.insert(
                "per".into(),
                Value::String(self.text(row, PER)?.trim().to_lowercase()),
            );
        }
        if let Some(phi) = self.number(row, PERSISTENCE)? {
            table.insert("persistence".into(), Value::Float(phi));
        }
        Ok(table)
    }

    /// Numbers separated by `;` (or one number).
    fn number_list(&self, row: &Row, c: usize) -> Result<Option<Value>, WorkbookError> {
        match &row.data[c] {
            Data::Empty => Ok(None),
            Data::String(s) => {
                let list: Result<Vec<Value>, _> = s
                    .split(';')
                    .map(|x| x.trim().parse::<f64>().map(toml_number))
                    .collect();
                list.map(|l| Some(Value::Array(l))).map_err(|_| {
                    self.error(
                        row,
                        c,
                        format!("`{s}` is not numbers separated by ; (such as 0.05; 0.1)"),
                    )
                })
            }
            _ => Ok(self
                .number(row, c)?
                .map(|x| Value::Array(vec![toml_number(x)]))),
        }
    }
}

/// Sets `path` in `table` to `value` (appends it, for a list entry); a distribution's table
/// meets its parameters' rows. Refuses a value given twice.
fn insert(
    table: &mut toml::Table,
    path: &[String],
    value: Value,
    list: bool,
) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        return Err("an empty key".into());
    };
    let mut table = table;
    for part in parents {
        let entry = table
            .entry(part.clone())
            .or_insert_with(|| Value::Table(toml::Table::new()));
        let Value::Table(t) = entry else {
            return Err(format!(
                "`{part}` is given a value of its own on another row"
            ));
        };
        table = t;
    }
    match (table.get_mut(last), value) {
        (None, value) if list => {
            table.insert(last.clone(), Value::Array(vec![value]));
        }
        (None, value) => {
            table.insert(last.clone(), value);
        }
        (Some(Value::Array(items)), value) if list => items.push(value),
        (Some(Value::Table(existing)), Value::Table(new)) => {
            for (k, v) in new {
                if existing.contains_key(&k) {
                    return Err(format!("`{k}` given twice"));
                }
                existing.insert(k, v);
            }
        }
        _ => return Err("given twice (another row gives it too)".into()),
    }
    Ok(())
}
