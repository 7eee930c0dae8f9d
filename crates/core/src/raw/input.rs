//! A numeric input as written: a number, a distribution, or a table of years. Distributions are
//! read by serde (the [`Dist`] enum, tagged by its `dist` key); what cannot be read is kept as the
//! problems found, so that validation reports every one of them with its key path, not just the
//! first.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, IntoDeserializer};
use serde::{Deserialize, Serialize};

use crate::dist::{Dist, Per};

/// A numeric input: a number, a distribution, or a table of years (yearly inputs only).
///
/// ```
/// use dsg_core::raw::NumInput;
/// use dsg_core::{Dist, Per};
/// let growth = NumInput::distribution(Dist::Normal { mean: 0.12, sd: 0.02 }, Some(Per::Year), 0.5);
/// let table: NumInput = toml::from_str::<toml::Table>("x = { dist = \"normal\", mean = 0.12, sd = 0.02, per = \"year\", persistence = 0.5 }")
///     .unwrap()["x"].clone().try_into().unwrap();
/// assert_eq!(growth, table);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum NumInput {
    /// A fixed number.
    Number(f64),
    /// A distribution, with how often it is drawn.
    Distribution(DistInput),
    /// A value per year, keyed `2026-27` etc., with `other_years` for the years not listed.
    ByYear(BTreeMap<String, NumInput>),
    /// What the file gave here could not be read: each problem with the key below this input
    /// where it lies (empty for the input itself) and what is wrong.
    Unreadable(Vec<(String, String)>),
}

/// A distribution as written, with its drawing frequency and persistence.
#[derive(Debug, Clone, PartialEq)]
pub struct DistInput {
    /// The distribution.
    pub dist: Dist,
    /// `per = "path" | "year"`, when given.
    pub per: Option<Per>,
    /// `persistence`, the AR(1) coefficient of a yearly input, when given.
    pub persistence: Option<f64>,
    /// Parameter uncertainty (docs/model.md section 7): parameters given as distributions
    /// themselves, drawn once per path (`mean`/`sd` of a normal, `mu`/`sigma` of a lognormal). In
    /// `dist` each such parameter holds the central value of its distribution.
    pub hyper: Vec<(String, Dist)>,
}

impl Default for NumInput {
    fn default() -> Self {
        NumInput::Number(0.0)
    }
}

impl From<f64> for NumInput {
    fn from(x: f64) -> Self {
        NumInput::Number(x)
    }
}

impl From<Dist> for NumInput {
    fn from(dist: Dist) -> Self {
        NumInput::Distribution(DistInput {
            dist,
            per: None,
            persistence: None,
            hyper: Vec::new(),
        })
    }
}

impl NumInput {
    /// A distribution drawn at frequency `per` (the input's default when `None`) with AR(1)
    /// `persistence` (0 for independent years).
    pub fn distribution(dist: Dist, per: Option<Per>, persistence: f64) -> Self {
        NumInput::Distribution(DistInput {
            dist,
            per,
            persistence: (persistence != 0.0).then_some(persistence),
            hyper: Vec::new(),
        })
    }
}

impl Serialize for NumInput {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeMap};
        match self {
            NumInput::Number(x) => serializer.serialize_f64(*x),
            NumInput::Distribution(d) => {
                let mut table = match toml::Value::try_from(&d.dist) {
                    Ok(toml::Value::Table(t)) => t,
                    _ => return Err(S::Error::custom("a distribution that cannot be written")),
                };
                if let Some(per) = d.per {
                    let word = match per {
                        Per::Path => "path",
                        Per::Year => "year",
                    };
                    table.insert("per".into(), toml::Value::String(word.into()));
                }
                if let Some(phi) = d.persistence {
                    table.insert("persistence".into(), toml::Value::Float(phi));
                }
                for (k, hyper) in &d.hyper {
                    if let Ok(v) = toml::Value::try_from(hyper) {
                        table.insert(k.clone(), v);
                    }
                }
                table.serialize(serializer)
            }
            NumInput::ByYear(years) => {
                let mut map = serializer.serialize_map(Some(years.len()))?;
                for (k, v) in years {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            NumInput::Unreadable(_) => Err(S::Error::custom("an unreadable input")),
        }
    }
}

impl<'de> Deserialize<'de> for NumInput {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(deserializer)? {
            toml::Value::Float(x) => Ok(NumInput::Number(x)),
            toml::Value::Integer(i) => Ok(NumInput::Number(i as f64)),
            toml::Value::Table(t) if t.contains_key("dist") => Ok(read_distribution(t)),
            toml::Value::Table(t) => Ok(NumInput::ByYear(
                t.into_iter().map(|(k, v)| (k, read_year(v))).collect(),
            )),
            other => Err(de::Error::custom(format!(
                "expected a number or a table such as {{ dist = \"normal\", mean = 0.1, sd = 0.02 }}, found {}",
                other.type_str()
            ))),
        }
    }
}

impl TryFrom<toml::Value> for NumInput {
    type Error = toml::de::Error;

    fn try_from(value: toml::Value) -> Result<Self, Self::Error> {
        NumInput::deserialize(value)
    }
}

/// One year's value in a table of years.
fn read_year(value: toml::Value) -> NumInput {
    match value {
        toml::Value::Float(x) => NumInput::Number(x),
        toml::Value::Integer(i) => NumInput::Number(i as f64),
        toml::Value::Table(t) if t.contains_key("dist") => read_distribution(t),
        toml::Value::Table(_) => NumInput::Unreadable(vec![(
            String::new(),
            "a year's value must be a number or a distribution with `dist = \"...\"`".into(),
        )]),
        _ => NumInput::Unreadable(vec![(
            String::new(),
            "must be a number or a distribution table".into(),
        )]),
    }
}

/// The names of the distributions, for messages.
const DISTRIBUTIONS: &str =
    "fixed, uniform, normal, lognormal, truncated_normal, triangular, pert, discrete, bernoulli";

/// Reads a distribution table: `per` and `persistence` by hand (they sit beside the
/// distribution's own keys), the distribution itself by serde.
fn read_distribution(mut table: toml::Table) -> NumInput {
    let mut problems: Vec<(String, String)> = Vec::new();
    let per = match table.remove("per") {
        None => None,
        Some(v) => match v.as_str() {
            Some("path") => Some(Per::Path),
            Some("year") => Some(Per::Year),
            _ => {
                problems.push(("per".into(), "`per` must be \"path\" or \"year\"".into()));
                None
            }
        },
    };
    let persistence = match table.remove("persistence") {
        None => None,
        Some(v) => match number(&v) {
            Some(phi) => Some(phi),
            None => {
                problems.push((
                    "persistence".into(),
                    "`persistence` must be a number from just above -1 to just under 1".into(),
                ));
                None
            }
        },
    };
    let name = match table.get("dist").and_then(toml::Value::as_str) {
        Some(name) => name.to_string(),
        None => {
            problems.push((
                "dist".into(),
                "`dist` must be a string naming a distribution".into(),
            ));
            return NumInput::Unreadable(problems);
        }
    };
    // Types first, so that a word where a number belongs is named by its key.
    let mut fields: Vec<(String, Field)> = Vec::with_capacity(table.len());
    let mut hyper: Vec<(String, Dist)> = Vec::new();
    for (k, v) in table {
        let field = match (k.as_str(), v) {
            ("dist", _) => Field::Word(name.clone()),
            (_, toml::Value::Table(t)) if t.contains_key("dist") => match read_distribution(t) {
                NumInput::Distribution(d)
                    if d.per.is_none() && d.persistence.is_none() && d.hyper.is_empty() =>
                {
                    let central = d.dist.central();
                    hyper.push((k.clone(), d.dist));
                    Field::Number(central)
                }
                NumInput::Unreadable(inner) => {
                    for (below, message) in inner {
                        let at = if below.is_empty() {
                            k.clone()
                        } else {
                            format!("{k}.{below}")
                        };
                        problems.push((at, message));
                    }
                    continue;
                }
                _ => {
                    problems.push((
                        k.clone(),
                        format!("the distribution of `{k}` is drawn once per path: it takes no `per`, `persistence` or distributions of its own"),
                    ));
                    continue;
                }
            },
            (_, toml::Value::Array(items)) => {
                match items.iter().map(number).collect::<Option<Vec<f64>>>() {
                    Some(list) => Field::List(list),
                    None => {
                        problems.push((k.clone(), format!("`{k}` must be a list of numbers")));
                        continue;
                    }
                }
            }
            (_, v) => match number(&v) {
                Some(x) => Field::Number(x),
                None => {
                    problems.push((k.clone(), format!("`{k}` must be a number")));
                    continue;
                }
            },
        };
        fields.push((k, field));
    }
    if !problems.is_empty() {
        return NumInput::Unreadable(problems);
    }
    let deserializer = de::value::MapDeserializer::new(fields.into_iter());
    match Dist::deserialize(deserializer) {
        Ok(dist) => {
            let allowed: &[&str] = match dist {
                Dist::Normal { .. } => &["mean", "sd"],
                Dist::Lognormal { .. } => &["mu", "sigma"],
                _ => &[],
            };
            let wrong: Vec<(String, String)> = hyper
                .iter()
                .filter(|(k, _)| !allowed.contains(&k.as_str()))
                .map(|(k, _)| {
                    (
                        k.clone(),
                        format!(
                            "parameter uncertainty applies to the `mean` and `sd` of a normal or the `mu` and `sigma` of a lognormal; `{k}` of a {name} must be a number"
                        ),
                    )
                })
                .collect();
            if !wrong.is_empty() {
                return NumInput::Unreadable(wrong);
            }
            NumInput::Distribution(DistInput {
                dist,
                per,
                persistence,
                hyper,
            })
        }
        Err(e) => {
            let (key, message) = match e {
                ReadError::UnknownVariant(other) => (
                    "dist".to_string(),
                    format!("unknown distribution `{other}`; use one of {DISTRIBUTIONS}"),
                ),
                ReadError::MissingField(field) => (
                    String::new(),
                    if name == "discrete" {
                        format!("a discrete distribution needs `{field}` as a list of numbers")
                    } else {
                        format!("a {name} distribution needs `{field}`")
                    },
                ),
                ReadError::UnknownField(field, expected) => {
                    let takes: Vec<&str> =
                        expected.iter().copied().filter(|f| *f != "shift").collect();
                    (
                        field.clone(),
                        format!(
                            "unknown key `{field}` for a {name} distribution (it takes {})",
                            takes.join(", ")
                        ),
                    )
                }
                ReadError::Other(message) => (String::new(), message),
            };
            NumInput::Unreadable(vec![(key, message)])
        }
    }
}

fn number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Float(x) => Some(*x),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

/// One value of a distribution table, already checked for type.
enum Field {
    Word(String),
    Number(f64),
    List(Vec<f64>),
}

impl<'de> IntoDeserializer<'de, ReadError> for Field {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Field {
    type Error = ReadError;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self {
            Field::Word(w) => visitor.visit_string(w),
            Field::Number(x) => visitor.visit_f64(x),
            Field::List(list) => {
                de::value::SeqDeserializer::new(list.into_iter()).deserialize_any(visitor)
            }
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// What serde found wrong with a distribution table, kept structured for the message.
#[derive(Debug)]
enum ReadError {
    UnknownVariant(String),
    MissingField(&'static str),
    UnknownField(String, &'static [&'static str]),
    Other(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::UnknownVariant(v) => write!(f, "unknown distribution `{v}`"),
            ReadError::MissingField(k) => write!(f, "missing `{k}`"),
            ReadError::UnknownField(k, _) => write!(f, "unknown key `{k}`"),
            ReadError::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ReadError::Other(msg.to_string())
    }

    fn unknown_variant(variant: &str, _expected: &'static [&'static str]) -> Self {
        ReadError::UnknownVariant(variant.to_string())
    }

    fn missing_field(field: &'static str) -> Self {
        ReadError::MissingField(field)
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        ReadError::UnknownField(field.to_string(), expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> NumInput {
        let table: toml::Table = toml::from_str(text).unwrap();
        NumInput::try_from(table["x"].clone()).unwrap()
    }

    #[test]
    fn reads_each_form() {
        assert_eq!(read("x = 3"), NumInput::Number(3.0));
        assert_eq!(
            read("x = { dist = \"pert\", min = 0, mode = 1, max = 2 }"),
            NumInput::from(Dist::Pert {
                min: 0.0,
                mode: 1.0,
                max: 2.0
            })
        );
        assert_eq!(
            read("x = { dist = \"lognormal\", mu = 0, sigma = 1 }"),
            NumInput::from(Dist::Lognormal {
                mu: 0.0,
                sigma: 1.0,
                shift: 0.0
            })
        );
        let NumInput::ByYear(years) = read("x = { 2026-27 = 0, other_years = 0.07 }") else {
            panic!("a table of years")
        };
        assert_eq!(years["other_years"], NumInput::Number(0.07));
    }

    #[test]
    fn every_problem_names_its_key() {
        let problems = |text| match read(text) {
            NumInput::Unreadable(p) => p,
            other => panic!("read {other:?}"),
        };
        assert_eq!(
            problems("x = { dist = \"normal\", mean = 0 }"),
            vec![(String::new(), "a normal distribution needs `sd`".into())]
        );
        assert_eq!(
            problems("x = { dist = \"gaussian\", mean = 0 }")[0].0,
            "dist"
        );
        let two = problems("x = { dist = \"normal\", mean = \"a\", sd = true, per = \"day\" }");
        let keys: Vec<&str> = two.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["per", "mean", "sd"]);
        let unknown = problems("x = { dist = \"normal\", mean = 0, sd = 1, spread = 2 }");
        assert_eq!(unknown[0].0, "spread");
        assert!(
            unknown[0].1.contains("it takes mean, sd"),
            "{}",
            unknown[0].1
        );
    }
}
