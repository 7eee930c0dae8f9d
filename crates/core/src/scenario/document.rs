//! Editing a scenario file's text in place: [`ScenarioDocument`] changes the value at a key path
//! and keeps every comment, blank line and key order of the file as written (what `dsg calibrate
//! --scenario` writes with its fitted inputs).

use std::fmt;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, Value};

use crate::dist::Dist;
use crate::error::{Problem, ScenarioError};
use crate::raw::RawScenario;

use super::Scenario;

/// A value to write at a key path of a [`ScenarioDocument`].
///
/// ```
/// use dsg_core::{Dist, scenario::EditValue};
/// let _ = EditValue::from(0.07);
/// let _ = EditValue::from(Dist::Normal { mean: 0.12, sd: 0.02 });
/// let _ = EditValue::toml("{ dist = \"normal\", mean = 0.12, sd = 0.02, per = \"year\" }");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EditValue {
    /// A fixed number, written as a TOML float (`0.07`) or integer when whole (`2000`).
    Number(f64),
    /// A distribution, written as an inline table: `{ dist = "normal", mean = 0.12, sd = 0.02 }`.
    Dist(Dist),
    /// Any TOML value as text, e.g. a fitted growth with `per` and `persistence`, or a table of
    /// parameter distributions (`{ dist = "lognormal", mu = { dist = "normal", ... }, ... }`).
    Toml(String),
}

impl EditValue {
    /// A value given as TOML text (checked when it is set).
    pub fn toml(text: impl Into<String>) -> Self {
        EditValue::Toml(text.into())
    }

    fn to_value(&self) -> Result<Value, String> {
        match self {
            EditValue::Number(x) => number(*x),
            EditValue::Dist(d) => Ok(Value::InlineTable(dist_table(d)?)),
            EditValue::Toml(text) => text
                .parse::<Value>()
                .map_err(|e| format!("not a TOML value: {}", e.message().trim())),
        }
    }
}

impl From<f64> for EditValue {
    fn from(x: f64) -> Self {
        EditValue::Number(x)
    }
}

impl From<Dist> for EditValue {
    fn from(d: Dist) -> Self {
        EditValue::Dist(d)
    }
}

/// A finite number as a TOML value: an integer when whole and small enough to be exact.
fn number(x: f64) -> Result<Value, String> {
    if !x.is_finite() {
        return Err(format!("{x} is not a finite number"));
    }
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Ok(Value::from(x as i64))
    } else {
        Ok(Value::from(x))
    }
}

fn float(x: f64) -> Result<Value, String> {
    if x.is_finite() {
        Ok(Value::from(x))
    } else {
        Err(format!("{x} is not a finite number"))
    }
}

/// A distribution as the inline table a scenario file gives it, parameters in the order the
/// scenario reference lists them.
fn dist_table(d: &Dist) -> Result<InlineTable, String> {
    let mut t = InlineTable::new();
    t.insert("dist", Value::from(d.name()));
    let fields: Vec<(&str, f64)> = match *d {
        Dist::Fixed { value } => vec![("value", value)],
        Dist::Uniform { min, max } => vec![("min", min), ("max", max)],
        Dist::Normal { mean, sd } => vec![("mean", mean), ("sd", sd)],
        Dist::Lognormal {
            mu,
            sigma,
            shift: 0.0,
        } => {
            vec![("mu", mu), ("sigma", sigma)]
        }
        Dist::Lognormal { mu, sigma, shift } => {
            vec![("mu", mu), ("sigma", sigma), ("shift", shift)]
        }
        Dist::TruncatedNormal { mean, sd, min, max } => {
            vec![("mean", mean), ("sd", sd), ("min", min), ("max", max)]
        }
        Dist::Triangular { min, mode, max } | Dist::Pert { min, mode, max } => {
            vec![("min", min), ("mode", mode), ("max", max)]
        }
        Dist::Bernoulli { p } => vec![("p", p)],
        Dist::Discrete {
            ref values,
            ref probabilities,
        } => {
            for (name, xs) in [("values", values), ("probabilities", probabilities)] {
                let mut a = toml_edit::Array::new();
                for x in xs {
                    a.push(float(*x)?);
                }
                t.insert(name, Value::Array(a));
            }
            Vec::new()
        }
    };
    for (name, x) in fields {
        t.insert(name, float(x)?);
    }
    Ok(t)
}

/// Which element of an array of tables: by position or by its `name`.
#[derive(Debug, Clone, PartialEq)]
enum Selector {
    Index(usize),
    Name(String),
}

/// One part of a key path: `growth`, `provisions[2]`, `provisions[name = "inmss"]`.
#[derive(Debug, Clone, PartialEq)]
struct Segment {
    name: String,
    select: Option<Selector>,
}

/// Splits a key path into its parts; `None` when it is malformed.
fn parse_path(key: &str) -> Option<Vec<Segment>> {
    let mut segments = Vec::new();
    let mut rest = key;
    loop {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let name = rest[..end].trim();
        if name.is_empty() {
            return None;
        }
        rest = &rest[end..];
        let mut select = None;
        if let Some(inside) = rest.strip_prefix('[') {
            let close = closing_bracket(inside)?;
            select = Some(parse_selector(inside[..close].trim())?);
            rest = &inside[close + 1..];
        }
        segments.push(Segment {
            name: name.to_string(),
            select,
        });
        if rest.is_empty() {
            return Some(segments);
        }
        rest = rest.strip_prefix('.')?;
    }
}

/// The position of the `]` closing a selector, skipping a quoted name.
fn closing_bracket(inside: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in inside.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ']' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

fn parse_selector(text: &str) -> Option<Selector> {
    if let Ok(i) = text.parse::<usize>() {
        return Some(Selector::Index(i));
    }
    let value = text
        .strip_prefix("name")?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    let name = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    (!name.is_empty()).then(|| Selector::Name(name.to_string()))
}

/// A scenario file's text, editable in place: comments, blank lines and key order are kept; only
/// the values set change (with, optionally, the comment above them).
///
/// Key paths are the scenario's own, as in error messages and [`crate::ParamSpec`]'s `key`:
/// `demand.growth`, `demand.joiners.growth`, `provisions[2].unit_cost`,
/// `assessments.requests_growth`; an element of an array of tables may also be chosen by name,
/// `provisions[name = "inmss"].growth`. Missing tables on the way are created (as `[section]`
/// headers after their parent's keys); whether the result is a valid scenario is for
/// [`ScenarioDocument::validate`] to say.
///
/// ```
/// use dsg_core::{Dist, scenario::ScenarioDocument};
/// let text = "# My council\n[demand]\n# twelve per cent\ngrowth = 0.12   # a year\n";
/// let mut doc = ScenarioDocument::parse(text, "mine.toml")?;
/// doc.set("demand.growth", Dist::Normal { mean: 0.12, sd: 0.02 })?;
/// assert_eq!(
///     doc.to_string(),
///     "# My council\n[demand]\n# twelve per cent\ngrowth = { dist = \"normal\", mean = 0.12, sd = 0.02 }   # a year\n"
/// );
/// doc.set_with_comment("demand.growth", 0.1, "from the council's plan")?;
/// assert!(doc.to_string().ends_with("[demand]\n\n# from the council's plan\ngrowth = 0.1\n"));
/// assert!(doc.set("demand.grwoth", 0.1).is_err());
///
/// let minimal = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml"))?;
/// let mut doc = ScenarioDocument::parse(&minimal, "minimal.toml")?;
/// doc.set("provisions[name = \"special\"].unit_cost", 26000.0)?;
/// assert!(doc.to_string().contains("\nunit_cost = 26000              # pounds per plan per year"));
/// let scenario = doc.validate()?;
/// assert_eq!(scenario.provision_index("special"), Some(0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct ScenarioDocument {
    doc: DocumentMut,
    file: PathBuf,
}

impl ScenarioDocument {
    /// Parses a scenario's text (TOML syntax only: validation is [`ScenarioDocument::validate`]).
    /// `file` names it in errors.
    pub fn parse(text: &str, file: impl AsRef<Path>) -> Result<Self, ScenarioError> {
        let file = file.as_ref().to_path_buf();
        let doc = text.parse::<DocumentMut>().map_err(|e| {
            let map = crate::locate::SourceMap::new(text);
            let mut problem = Problem::new("", e.message().trim().to_string());
            if let Some(span) = e.span() {
                problem.position = Some(map.line_column(span.start));
            }
            ScenarioError::Invalid {
                file: file.clone(),
                problems: vec![problem],
            }
        })?;
        Ok(ScenarioDocument { doc, file })
    }

    /// Reads a scenario file for editing.
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            file: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Sets the input at `key` to `value`, keeping the key's comments (above it and after the
    /// value) and everything else in the file. An input not yet in the file is added at the end
    /// of its table. A key path the scenario format does not have (`demand.grwoth`), a value
    /// that is not TOML, or an element that does not exist (`provisions[9]`,
    /// `provisions[name = "nosuch"]`) is a [`ScenarioError::Edit`], and the document is left as
    /// it was.
    pub fn set(&mut self, key: &str, value: impl Into<EditValue>) -> Result<(), ScenarioError> {
        self.edit(key, &value.into(), None)
    }

    /// As [`ScenarioDocument::set`], and `comment` (one or more lines, written `# line`) replaces
    /// the comments directly above the key and after its value, which described the value
    /// replaced. The comment follows one blank line.
    pub fn set_with_comment(
        &mut self,
        key: &str,
        value: impl Into<EditValue>,
        comment: &str,
    ) -> Result<(), ScenarioError> {
        let mut prefix = String::from("\n");
        for line in comment.lines() {
            if line.is_empty() {
                prefix.push_str("#\n");
            } else {
                prefix.push_str("# ");
                prefix.push_str(line);
                prefix.push('\n');
            }
        }
        self.edit(key, &value.into(), Some(&prefix))
    }

    /// The key path with any `[name = ...]` selector replaced by the element's position, as
    /// validation and error messages write it: `provisions[name = "inmss"].growth` in a file
    /// whose fifth provision is `inmss` is `provisions[4].growth`.
    ///
    /// ```
    /// let text = "[[provisions]]\nname = \"a\"\n[[provisions]]\nname = \"b\"\n";
    /// let doc = dsg_core::scenario::ScenarioDocument::parse(text, "x.toml")?;
    /// assert_eq!(doc.canonical_key("provisions[name = \"b\"].growth")?, "provisions[1].growth");
    /// assert!(doc.canonical_key("provisions[name = \"c\"].growth").is_err());
    /// # Ok::<(), dsg_core::ScenarioError>(())
    /// ```
    pub fn canonical_key(&self, key: &str) -> Result<String, ScenarioError> {
        let segments = parse_path(key).ok_or_else(|| self.malformed(key))?;
        let mut out = String::new();
        let mut table: Option<&dyn TableLike> = Some(self.doc.as_table());
        for (n, s) in segments.iter().enumerate() {
            if n > 0 {
                out.push('.');
            }
            out.push_str(&s.name);
            let item = table.and_then(|t| t.get(&s.name));
            table = match &s.select {
                Some(select) => {
                    let (i, element) = self.element(item, key, &s.name, select)?;
                    out.push_str(&format!("[{i}]"));
                    Some(element)
                }
                None => item.and_then(|i| i.as_table_like()),
            };
        }
        Ok(out)
    }

    /// Whether the table holding `key` is in the file (`demand.joiners` for
    /// `demand.joiners.growth`; the named element for `provisions[name = "x"].growth`).
    ///
    /// ```
    /// let doc = dsg_core::scenario::ScenarioDocument::parse("[demand]\ngrowth = 0.1\n", "x.toml")?;
    /// assert!(doc.has_table_for("demand.growth"));
    /// assert!(!doc.has_table_for("demand.joiners.growth"));
    /// # Ok::<(), dsg_core::ScenarioError>(())
    /// ```
    pub fn has_table_for(&self, key: &str) -> bool {
        let Some(segments) = parse_path(key) else {
            return false;
        };
        let mut table: &dyn TableLike = self.doc.as_table();
        for s in &segments[..segments.len().saturating_sub(1)] {
            let item = table.get(&s.name);
            let next = match &s.select {
                Some(select) => self
                    .element(item, key, &s.name, select)
                    .ok()
                    .map(|(_, t)| t),
                None => item.and_then(|i| i.as_table_like()),
            };
            match next {
                Some(t) => table = t,
                None => return false,
            }
        }
        true
    }

    /// Whether `key` (a canonical key path, see [`ScenarioDocument::canonical_key`]) is named in
    /// one of the file's `[[correlations]]`.
    ///
    /// ```
    /// let text = "[[correlations]]\nbetween = [\"demand.growth\", \"cost.inflation\"]\nrho = 0.3\n";
    /// let doc = dsg_core::scenario::ScenarioDocument::parse(text, "x.toml")?;
    /// assert!(doc.is_correlated("cost.inflation"));
    /// assert!(!doc.is_correlated("funding.growth"));
    /// # Ok::<(), dsg_core::ScenarioError>(())
    /// ```
    pub fn is_correlated(&self, key: &str) -> bool {
        self.doc
            .get("correlations")
            .and_then(|c| c.as_array_of_tables())
            .is_some_and(|a| {
                a.iter()
                    .filter_map(|t| t.get("between").and_then(|b| b.as_array()))
                    .flat_map(|b| b.iter().filter_map(|v| v.as_str()))
                    .any(|k| k == key)
            })
    }

    /// Validates the edited text as a scenario file: every problem with its key path, line and
    /// column, as [`Scenario::from_toml_str`] reports them.
    pub fn validate(&self) -> Result<Scenario, ScenarioError> {
        Scenario::from_toml_str(&self.doc.to_string(), &self.file)
    }

    fn malformed(&self, key: &str) -> ScenarioError {
        self.edit_error(
            key,
            "not a key path: write it as in the scenario, e.g. `demand.growth`, `provisions[2].unit_cost` or `provisions[name = \"special\"].growth`",
        )
    }

    fn edit_error(&self, key: &str, message: impl Into<String>) -> ScenarioError {
        ScenarioError::Edit {
            file: self.file.clone(),
            key: key.to_string(),
            message: message.into(),
        }
    }

    /// The element of the array of tables `item` (called `name`) that `select` picks, with its
    /// position.
    fn element<'a>(
        &self,
        item: Option<&'a Item>,
        key: &str,
        name: &str,
        select: &Selector,
    ) -> Result<(usize, &'a dyn TableLike), ScenarioError> {
        let elements: Vec<&dyn TableLike> = match item {
            Some(Item::ArrayOfTables(a)) => a.iter().map(|t| t as &dyn TableLike).collect(),
            Some(Item::Value(Value::Array(a))) => a
                .iter()
                .filter_map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
                .collect(),
            _ => {
                return Err(self.edit_error(key, format!("the scenario has no list `{name}`")));
            }
        };
        let found = match select {
            Selector::Index(i) => elements.get(*i).map(|t| (*i, *t)),
            Selector::Name(wanted) => elements.iter().enumerate().find_map(|(i, t)| {
                (t.get("name").and_then(|n| n.as_str()) == Some(wanted.as_str())).then_some((i, *t))
            }),
        };
        found.ok_or_else(|| {
            let which = match select {
                Selector::Index(i) => format!("no `{name}[{i}]` (it has {})", elements.len()),
                Selector::Name(n) => format!("no `{name}` entry with name = \"{n}\""),
            };
            self.edit_error(key, format!("the scenario has {which}"))
        })
    }

    /// Sets the value at `key`, checks that the scenario format has that key, and undoes the
    /// change when it does not.
    fn edit(
        &mut self,
        key: &str,
        value: &EditValue,
        comment: Option<&str>,
    ) -> Result<(), ScenarioError> {
        let canonical = self.canonical_key(key)?;
        let segments = parse_path(&canonical).ok_or_else(|| self.malformed(key))?;
        let new = value
            .to_value()
            .map_err(|message| self.edit_error(key, message))?;
        let before = self.doc.clone();
        if let Err(message) = write(&mut self.doc, &segments, new, comment) {
            self.doc = before;
            return Err(self.edit_error(key, message));
        }
        if let Err(message) = check_known(&self.doc, &before, &canonical) {
            self.doc = before;
            return Err(self.edit_error(key, message));
        }
        Ok(())
    }
}

impl fmt::Display for ScenarioDocument {
    /// The edited text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.doc, f)
    }
}

/// Writes `new` at the (canonical) key path, creating missing tables on the way.
fn write(
    doc: &mut DocumentMut,
    segments: &[Segment],
    mut new: Value,
    comment: Option<&str>,
) -> Result<(), String> {
    let Some((last, parents)) = segments.split_last() else {
        return Err("an empty key path".into());
    };
    if last.select.is_some() {
        return Err(format!(
            "`{}[...]` is a table, not an input: name one of its keys",
            last.name
        ));
    }
    let mut table: &mut dyn TableLike = doc.as_table_mut();
    for s in parents {
        if !table.contains_key(&s.name) {
            if s.select.is_some() {
                return Err(format!("the scenario has no list `{}`", s.name));
            }
            table.insert(&s.name, Item::Table(Table::new()));
        }
        let item = table
            .get_mut(&s.name)
            .ok_or_else(|| format!("the scenario has no `{}`", s.name))?;
        table = match s.select {
            Some(Selector::Index(i)) => match item {
                Item::ArrayOfTables(a) => a.get_mut(i).map(|t| t as &mut dyn TableLike),
                Item::Value(Value::Array(a)) => a
                    .get_mut(i)
                    .and_then(|v| v.as_inline_table_mut())
                    .map(|t| t as &mut dyn TableLike),
                _ => None,
            }
            .ok_or_else(|| format!("the scenario has no `{}[{i}]`", s.name))?,
            Some(Selector::Name(_)) => return Err("a name selector left unresolved".into()),
            None => item
                .as_table_like_mut()
                .ok_or_else(|| format!("`{}` is a value, not a table", s.name))?,
        };
    }
    match table.get_mut(&last.name) {
        Some(Item::Value(old)) => {
            if comment.is_none() {
                *new.decor_mut() = old.decor().clone();
            }
            *old = new;
        }
        Some(Item::None) | None => {
            table.insert(&last.name, Item::Value(new));
        }
        Some(_) => {
            return Err(format!(
                "`{}` is a table, not an input: name one of its keys",
                last.name
            ));
        }
    }
    if let Some(prefix) = comment
        && let Some(mut k) = table.key_mut(&last.name)
    {
        k.leaf_decor_mut().set_prefix(prefix);
    }
    Ok(())
}

/// Checks that the edited document has no unknown key on `key`'s path (met before any other
/// error in reading it as a scenario), and that it reads as a scenario if it did before the
/// change (so that a value of the wrong type is refused).
fn check_known(doc: &DocumentMut, before: &DocumentMut, key: &str) -> Result<(), String> {
    let read = |d: &DocumentMut| {
        let text = d.to_string();
        match toml::Deserializer::parse(&text) {
            Ok(de) => {
                let (raw, unknown) = RawScenario::read_unknown(de);
                (
                    raw.map(|_| ()).map_err(|e| e.message().trim().to_string()),
                    unknown,
                )
            }
            Err(e) => (Err(e.message().trim().to_string()), Vec::new()),
        }
    };
    let (read_after, unknown) = read(doc);
    let on_path = |u: &&String| {
        key == u.as_str()
            || key
                .strip_prefix(u.as_str())
                .is_some_and(|rest| rest.starts_with(['.', '[']))
    };
    if let Some(u) = unknown.iter().find(on_path) {
        return Err(format!(
            "the scenario format has no `{u}` (docs/scenario-reference.md lists every key)"
        ));
    }
    match read_after {
        Err(message) if read(before).0.is_ok() => {
            Err(format!("not a value this key takes: {message}"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_paths_parse() {
        let s = parse_path("provisions[name = \"a.b\"].growth").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].select, Some(Selector::Name("a.b".into())));
        assert_eq!(s[1].name, "growth");
        let s = parse_path("demand.joiners.growth").unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(
            parse_path("provisions[2].unit_cost").unwrap()[0].select,
            Some(Selector::Index(2))
        );
        for bad in [
            "",
            "demand.",
            ".growth",
            "provisions[",
            "provisions[x].a",
            "a..b",
            "a[1]b",
        ] {
            assert!(parse_path(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn numbers_are_written_as_toml_numbers() {
        assert_eq!(number(2000.0).unwrap().to_string(), "2000");
        assert_eq!(number(0.07).unwrap().to_string(), "0.07");
        assert!(number(f64::NAN).is_err());
    }
}
