//! National policy as dated, sourced data (OpenFisca-style).
//!
//! The rules that shape every council's forecast (the schools forum's transfer limit, the end of
//! the statutory override, the 2026-27 allocation rollover, the February 2026 write-off, central
//! funding of deficits, the end of the safety valve programme) and the modelling defaults for
//! growth live in `crates/core/policy/*.toml`, one file per *policy set*, compiled into the
//! program. Each value carries its unit, its date (in force from and/or announced), a reference
//! (publisher and title) and a note; parts no cited document gives are listed as illustrative.
//! docs/policy.md describes the sets and every value.
//!
//! A shipped set is parsed and validated once, at first use:
//!
//! ```
//! use dsg_core::policy::PolicySet;
//! let policy = PolicySet::named("england-2026-02")?;
//! assert_eq!(policy.forum_transfer_limit(), 0.005);
//! assert_eq!(policy.override_ends().to_string(), "2027-28");
//! let write_off = policy.write_off().expect("announced in February 2026");
//! assert_eq!(write_off.share, 0.9);
//! assert_eq!(policy.funding_growth("2026-27".parse()?), 0.0); // allocations rolled over
//! assert_eq!(policy.funding_growth("2027-28".parse()?), 0.07); // the modelling default
//! assert!(PolicySet::named("england-2025")?.write_off().is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A scenario names a set and may override any value with the same keys as the data files
//! ([`PolicyOverrides`], [`PolicySet::with_overrides`]).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::year::FinancialYear;

/// The shipped policy sets: name and file text, oldest first.
const SHIPPED: &[(&str, &str)] = &[
    ("england-2025", include_str!("../policy/england-2025.toml")),
    (
        "england-2026-02",
        include_str!("../policy/england-2026-02.toml"),
    ),
];

/// Why a policy set could not be found or read.
///
/// ```
/// use dsg_core::policy::{PolicyError, PolicySet};
/// match PolicySet::named("wales-2026") {
///     Err(PolicyError::Unknown { known, .. }) => assert!(known.contains(&"england-2025".to_string())),
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// No shipped set has this name.
    #[error("no policy set is named `{name}`; the known sets are: {}", known.join(", "))]
    Unknown {
        /// The name asked for.
        name: String,
        /// The names of the shipped sets.
        known: Vec<String>,
    },
    /// The text is not TOML of the policy-set shape (syntax, an unknown key, a wrong type).
    #[error("policy set `{name}`: {message}")]
    Parse {
        /// The set's name (or `<text>` when the text names none).
        name: String,
        /// What the TOML reader found wrong, with its line and column.
        message: String,
    },
    /// The set reads but breaks the rules (a share above 1, a value with no date, ...).
    #[error("policy set `{name}` is not valid:\n{}", problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The set's name.
        name: String,
        /// Every problem found, each starting with its key path (e.g. `write_off.value.share`).
        problems: Vec<String>,
    },
}

/// A date with the precision its source gives: a year (`2025`), a month (`2026-02`) or a day
/// (`2026-02-15`). Earlier precision sorts first within the same year or month.
///
/// ```
/// use dsg_core::policy::PolicyDate;
/// let d: PolicyDate = "2026-02".parse().unwrap();
/// assert_eq!((d.year(), d.month(), d.day()), (2026, Some(2), None));
/// assert_eq!(d.to_string(), "2026-02");
/// assert!("2026-13".parse::<PolicyDate>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PolicyDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

impl PolicyDate {
    /// The calendar year.
    ///
    /// ```
    /// use dsg_core::policy::PolicyDate;
    /// assert_eq!("2026-02-15".parse::<PolicyDate>().unwrap().year(), 2026);
    /// ```
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month (1-12), when the source gives it.
    ///
    /// ```
    /// use dsg_core::policy::PolicyDate;
    /// assert_eq!("2025".parse::<PolicyDate>().unwrap().month(), None);
    /// ```
    pub fn month(self) -> Option<u8> {
        self.month
    }

    /// The day of the month, when the source gives it.
    ///
    /// ```
    /// use dsg_core::policy::PolicyDate;
    /// assert_eq!("2026-02-15".parse::<PolicyDate>().unwrap().day(), Some(15));
    /// ```
    pub fn day(self) -> Option<u8> {
        self.day
    }

    /// The financial year (April to March) the date falls in; a date given only as a year has
    /// none.
    ///
    /// ```
    /// use dsg_core::policy::PolicyDate;
    /// let d: PolicyDate = "2026-02".parse().unwrap();
    /// assert_eq!(d.financial_year().unwrap().to_string(), "2025-26");
    /// ```
    pub fn financial_year(self) -> Option<FinancialYear> {
        let month = self.month?;
        FinancialYear::new(if month >= 4 { self.year } else { self.year - 1 })
    }
}

impl fmt::Display for PolicyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// Why a string is not a [`PolicyDate`].
///
/// ```
/// use dsg_core::policy::PolicyDate;
/// let err = "Feb 2026".parse::<PolicyDate>().unwrap_err();
/// assert!(err.to_string().contains("2026-02"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date: write `2026`, `2026-02` or `2026-02-15`")]
pub struct PolicyDateError {
    /// The text that failed to parse.
    pub text: String,
}

impl FromStr for PolicyDate {
    type Err = PolicyDateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || PolicyDateError {
            text: text.to_string(),
        };
        let mut parts = text.trim().split('-');
        let year = parts.next().ok_or_else(err)?;
        if year.len() != 4 {
            return Err(err());
        }
        let year: u16 = year.parse().map_err(|_| err())?;
        if !(1900..=2999).contains(&year) {
            return Err(err());
        }
        let mut two = |max: u8| -> Result<Option<u8>, PolicyDateError> {
            match parts.next() {
                None => Ok(None),
                Some(p) if p.len() == 2 => match p.parse::<u8>() {
                    Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
                    _ => Err(err()),
                },
                Some(_) => Err(err()),
            }
        };
        let month = two(12)?;
        let day = two(31)?;
        if parts.next().is_some() {
            return Err(err());
        }
        Ok(PolicyDate { year, month, day })
    }
}

impl Serialize for PolicyDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PolicyDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// How far a reference is to be trusted.
///
/// ```
/// use dsg_core::policy::{PolicySet, SourceStatus};
/// let policy = PolicySet::named("england-2026-02")?;
/// let unverified: Vec<&str> = policy.entries().into_iter()
///     .filter(|e| e.reference.status == SourceStatus::Unverified)
///     .map(|e| e.key)
///     .collect();
/// assert_eq!(unverified, ["forum_transfer_limit"]);
/// # Ok::<(), dsg_core::policy::PolicyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceStatus {
    /// The document states the value and is among the project's cited sources (DOMAIN.md).
    Published,
    /// The value is in the project's sources, but the document named here is not among them and
    /// has not been checked: verify before quoting it.
    Unverified,
    /// A scenario replaced the national value (see [`Entry::replaced`]).
    Scenario,
}

/// The document a value comes from.
///
/// ```
/// use dsg_core::policy::PolicySet;
/// let policy = PolicySet::named("england-2026-02")?;
/// let write_off = policy.entries().into_iter().find(|e| e.key == "write_off").unwrap();
/// assert_eq!(write_off.reference.publisher, "Department for Education");
/// assert_eq!(write_off.reference.title, "Explanatory note on DSG deficits (February 2026)");
/// # Ok::<(), dsg_core::policy::PolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// Who published it (e.g. `Department for Education`).
    pub publisher: String,
    /// Its title (with its date where the title needs one).
    pub title: String,
    /// How far it is to be trusted.
    pub status: SourceStatus,
}

/// One policy value with its unit, date, source and history.
///
/// At least one of `in_force_from` and `announced` is set in a shipped set.
///
/// ```
/// use dsg_core::policy::Entry;
/// let text = include_str!("../policy/england-2026-02.toml");
/// let file: toml::Table = toml::from_str(text).unwrap();
/// let entry: Entry<f64> = file["forum_transfer_limit"].clone().try_into().unwrap();
/// assert_eq!(entry.value, 0.005);
/// assert_eq!(entry.in_force_from.map(|y| y.to_string()).as_deref(), Some("2018-19"));
/// assert_eq!(entry.illustrative, ["in_force_from"]); // no cited document gives the start year
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "T: Deserialize<'de>"))]
pub struct Entry<T> {
    /// The value.
    pub value: T,
    /// What the value measures, in words (e.g. `share of the schools block, per year`).
    pub unit: String,
    /// The first financial year the value applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force_from: Option<FinancialYear>,
    /// When it was announced (or stated by the reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<PolicyDate>,
    /// The document that states it.
    pub reference: Reference,
    /// The parts no cited document gives (`value`, a field of the value such as `paid_in`,
    /// `in_force_from` or `announced`): modelling choices to revisit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub illustrative: Vec<String>,
    /// What the value means and any caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// How the value got here, oldest first; in a shipped set the last change has the current
    /// value. After [`PolicySet::with_overrides`] the national value replaced is the last one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Change<T>>,
    /// Set when a scenario replaced the national value: by whom.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub replaced: Option<Replaced>,
}

/// An earlier (or the current) value of a rule, with its date and source.
///
/// ```
/// use dsg_core::policy::PolicySet;
/// let first = &PolicySet::named("england-2026-02")?.override_history()[0];
/// assert_eq!(first.value.to_string(), "2022-23");
/// assert_eq!(first.in_force_from.map(|y| y.to_string()).as_deref(), Some("2020-21"));
/// # Ok::<(), dsg_core::policy::PolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "T: Deserialize<'de>"))]
pub struct Change<T> {
    /// The value from this change on.
    pub value: T,
    /// The first financial year it applied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force_from: Option<FinancialYear>,
    /// When it was announced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<PolicyDate>,
    /// The document that states it.
    pub reference: Reference,
    /// The parts no cited document gives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub illustrative: Vec<String>,
    /// What changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Who replaced a national value.
///
/// ```
/// use dsg_core::policy::{PolicyOverrides, PolicySet};
/// let overrides = PolicyOverrides { default_demand_growth: Some(0.1), ..Default::default() };
/// let set = PolicySet::named("england-2025")?.with_overrides(&overrides, "county.toml")?;
/// let entry = set.entries().into_iter().find(|e| e.key == "default_demand_growth").unwrap();
/// assert_eq!(entry.replaced.map(|r| r.by.as_str()), Some("county.toml"));
/// # Ok::<(), dsg_core::policy::PolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replaced {
    /// The scenario (or other caller) that gave the value, as passed to
    /// [`PolicySet::with_overrides`].
    pub by: String,
}

/// The February 2026 write-off: `share` of the high-needs deficit recorded at the end of
/// `deficit_at_end_of` is met by a one-off grant paid in `paid_in` (MODEL.md section 5).
///
/// Whether the council's local SEND reform plan is approved is a local assumption (a scenario's
/// probability), not part of national policy.
///
/// ```
/// use dsg_core::policy::PolicySet;
/// let w = PolicySet::named("england-2026-02")?.write_off().unwrap();
/// assert_eq!((w.share, w.deficit_at_end_of.to_string(), w.paid_in.to_string()),
///     (0.9, "2025-26".to_string(), "2027-28".to_string()));
/// # Ok::<(), dsg_core::policy::PolicyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyWriteOff {
    /// Share of the deficit written off (0 to 1).
    pub share: f64,
    /// The year at whose end (31 March) the deficit is measured.
    pub deficit_at_end_of: FinancialYear,
    /// The year the grant is paid (after `deficit_at_end_of`).
    pub paid_in: FinancialYear,
}

/// Central funding of high-needs deficits: from `from`, `share` of each in-year high-needs
/// deficit is met centrally (MODEL.md section 5).
///
/// ```
/// use dsg_core::policy::PolicySet;
/// let c = PolicySet::named("england-2026-02")?.central_funding().unwrap();
/// assert_eq!((c.from.to_string(), c.share), ("2028-29".to_string(), 1.0));
/// # Ok::<(), dsg_core::policy::PolicyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyCentralFunding {
    /// The first year covered.
    pub from: FinancialYear,
    /// Share of each in-year deficit met centrally (0 to 1).
    pub share: f64,
}

/// Yearly high-needs funding growth for named years (e.g. 0 for 2026-27, the rollover).
///
/// ```
/// use dsg_core::policy::FundingGrowthByYear;
/// let years: FundingGrowthByYear = [("2026-27".parse().unwrap(), 0.0)].into();
/// assert_eq!(years.len(), 1);
/// ```
pub type FundingGrowthByYear = BTreeMap<FinancialYear, f64>;

/// A named set of national policy values, validated: every value has a unit, a date and a
/// reference, and lies in its range.
///
/// ```
/// use dsg_core::policy::PolicySet;
/// let policy = PolicySet::named("england-2026-02")?;
/// assert_eq!(policy.name(), "england-2026-02");
/// let central = policy.central_funding().expect("from 2028-29");
/// assert_eq!(central.from.to_string(), "2028-29");
/// assert_eq!(policy.safety_valve_ends().map(|d| d.to_string()).as_deref(), Some("2026-02"));
/// for entry in policy.entries() {
///     println!("{} = {} ({}; {}, '{}')", entry.key, entry.value, entry.unit,
///         entry.reference.publisher, entry.reference.title);
/// }
/// # Ok::<(), dsg_core::policy::PolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SetData", into = "SetData")]
pub struct PolicySet(SetData);

/// The fields of a policy file, before validation (a [`PolicySet`] is one that passed it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SetData {
    name: String,
    description: String,
    as_at: PolicyDate,
    forum_transfer_limit: Entry<f64>,
    statutory_override_ends: Entry<FinancialYear>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    high_needs_funding_growth: Option<Entry<FundingGrowthByYear>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    write_off: Option<Entry<PolicyWriteOff>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    central_funding: Option<Entry<PolicyCentralFunding>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    safety_valve_ends: Option<Entry<PolicyDate>>,
    default_demand_growth: Entry<f64>,
    default_funding_growth: Entry<f64>,
}

/// One value of a set, described uniformly (for listings, manifests and reports).
///
/// ```
/// use dsg_core::policy::PolicySet;
/// for e in PolicySet::named("england-2026-02")?.entries() {
///     let date = e.in_force_from.map(|y| format!("from {y}"))
///         .or(e.announced.map(|d| format!("announced {d}")))
///         .unwrap_or_default();
///     println!("{:<26} {:<12} {date:<20} {}", e.key, e.value, e.reference.title);
/// }
/// # Ok::<(), dsg_core::policy::PolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryView<'a> {
    /// The key in the data file and in a scenario's `[policy]` table.
    pub key: &'static str,
    /// The value, written as in the data file.
    pub value: String,
    /// What it measures.
    pub unit: &'a str,
    /// The first financial year it applies to.
    pub in_force_from: Option<FinancialYear>,
    /// When it was announced.
    pub announced: Option<PolicyDate>,
    /// Its source.
    pub reference: &'a Reference,
    /// The parts no cited document gives.
    pub illustrative: &'a [String],
    /// What it means.
    pub note: Option<&'a str>,
    /// How many earlier changes are recorded.
    pub changes: usize,
    /// Who replaced the national value, if anyone.
    pub replaced: Option<&'a Replaced>,
}

/// Values a scenario gives in place of its policy set's, with the same keys as the data files
/// (each the `value` of that key). Planned scenario syntax: a `[policy]` table.
///
/// ```
/// use dsg_core::policy::{PolicyOverrides, PolicySet};
/// let overrides: PolicyOverrides = toml::from_str(r#"
///     statutory_override_ends = "2029-30"
///     write_off = { share = 0.9, deficit_at_end_of = "2025-26", paid_in = "2026-27" }
/// "#)?;
/// let policy = PolicySet::named("england-2026-02")?.with_overrides(&overrides, "my-scenario")?;
/// assert_eq!(policy.override_ends().to_string(), "2029-30");
/// assert_eq!(policy.write_off().map(|w| w.paid_in.to_string()).as_deref(), Some("2026-27"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyOverrides {
    /// Replaces `forum_transfer_limit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forum_transfer_limit: Option<f64>,
    /// Replaces `statutory_override_ends`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statutory_override_ends: Option<FinancialYear>,
    /// Merged into `high_needs_funding_growth`: the years listed take these values, the set's
    /// other years stay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_needs_funding_growth: Option<FundingGrowthByYear>,
    /// Replaces (or adds) `write_off`; a share of 0 switches it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_off: Option<PolicyWriteOff>,
    /// Replaces (or adds) `central_funding`; a share of 0 switches it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub central_funding: Option<PolicyCentralFunding>,
    /// Replaces (or adds) `safety_valve_ends`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_valve_ends: Option<PolicyDate>,
    /// Replaces `default_demand_growth`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_demand_growth: Option<f64>,
    /// Replaces `default_funding_growth`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_funding_growth: Option<f64>,
}

impl PolicyOverrides {
    /// Whether no value is overridden.
    ///
    /// ```
    /// use dsg_core::policy::PolicyOverrides;
    /// assert!(PolicyOverrides::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        *self == PolicyOverrides::default()
    }
}

/// The shipped sets, parsed and validated on first use.
fn shipped() -> &'static [Result<PolicySet, PolicyError>] {
    static SETS: OnceLock<Vec<Result<PolicySet, PolicyError>>> = OnceLock::new();
    SETS.get_or_init(|| {
        SHIPPED
            .iter()
            .map(|(name, text)| {
                let set = PolicySet::from_toml(text)?;
                if set.0.name != *name {
                    return Err(PolicyError::Invalid {
                        name: (*name).to_string(),
                        problems: vec![format!(
                            "`name`: the file says `{}`, the set is shipped as `{name}`",
                            set.0.name
                        )],
                    });
                }
                Ok(set)
            })
            .collect()
    })
}

impl PolicySet {
    /// The shipped set called `name` (see [`PolicySet::names`]).
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let err = PolicySet::named("england-1997").unwrap_err();
    /// assert!(err.to_string().contains("england-2026-02"), "{err}");
    /// ```
    pub fn named(name: &str) -> Result<&'static PolicySet, PolicyError> {
        let Some(index) = SHIPPED.iter().position(|(n, _)| *n == name) else {
            return Err(PolicyError::Unknown {
                name: name.to_string(),
                known: Self::names().map(str::to_string).collect(),
            });
        };
        match shipped().get(index) {
            Some(Ok(set)) => Ok(set),
            Some(Err(e)) => Err(e.clone()),
            None => Err(PolicyError::Unknown {
                name: name.to_string(),
                known: Self::names().map(str::to_string).collect(),
            }),
        }
    }

    /// The names of the shipped sets, oldest first.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let names: Vec<_> = PolicySet::names().collect();
    /// assert_eq!(names, ["england-2025", "england-2026-02"]);
    /// ```
    pub fn names() -> impl Iterator<Item = &'static str> {
        SHIPPED.iter().map(|(name, _)| *name)
    }

    /// Reads and validates a set from the text of a policy file (the shape of
    /// `crates/core/policy/*.toml`), e.g. one a user keeps for a rule not yet shipped.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let text = include_str!("../policy/england-2025.toml");
    /// let set = PolicySet::from_toml(text)?;
    /// assert_eq!(set.name(), "england-2025");
    /// assert!(PolicySet::from_toml("name = 1").is_err());
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn from_toml(text: &str) -> Result<PolicySet, PolicyError> {
        let data: SetData = toml::from_str(text).map_err(|e| PolicyError::Parse {
            name: name_in(text),
            message: e.to_string().trim_end().to_string(),
        })?;
        PolicySet::try_from(data)
    }

    /// The set's name, e.g. `england-2026-02`.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let set = PolicySet::named("england-2025")?;
    /// assert_eq!(set.name(), "england-2025");
    /// assert_eq!(set.as_at().to_string(), "2025");
    /// assert!(set.description().contains("before the February 2026 announcement"));
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// What the set is, in a sentence or two.
    pub fn description(&self) -> &str {
        &self.0.description
    }

    /// The date the set describes the rules at.
    pub fn as_at(&self) -> PolicyDate {
        self.0.as_at
    }

    /// The share of the schools block a schools forum may move to high needs in a year without
    /// the Secretary of State's disapplication (0.005 = 0.5%).
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let limit = PolicySet::named("england-2026-02")?.forum_transfer_limit();
    /// let schools_block = 400_000_000.0;
    /// assert_eq!(limit * schools_block, 2_000_000.0); // £2m without a disapplication
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn forum_transfer_limit(&self) -> f64 {
        self.0.forum_transfer_limit.value
    }

    /// The last year of the statutory override: deficits stay out of the general fund until 31
    /// March at its end.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let policy = PolicySet::named("england-2026-02")?;
    /// assert_eq!(policy.override_ends().end_year(), 2028);
    /// let extensions: Vec<String> =
    ///     policy.override_history().iter().map(|c| c.value.to_string()).collect();
    /// assert_eq!(extensions, ["2022-23", "2025-26", "2027-28"]);
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn override_ends(&self) -> FinancialYear {
        self.0.statutory_override_ends.value
    }

    /// The statutory override's history: its end as first set and at each extension, oldest
    /// first.
    pub fn override_history(&self) -> &[Change<FinancialYear>] {
        &self.0.statutory_override_ends.history
    }

    /// The high-needs funding growth national policy sets for `year` (e.g. 0 for 2026-27, when
    /// allocations were rolled over), or `None` when it sets none.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let policy = PolicySet::named("england-2026-02")?;
    /// assert_eq!(policy.funding_growth_for("2026-27".parse()?), Some(0.0));
    /// assert_eq!(policy.funding_growth_for("2027-28".parse()?), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn funding_growth_for(&self, year: FinancialYear) -> Option<f64> {
        self.0
            .high_needs_funding_growth
            .as_ref()
            .and_then(|e| e.value.get(&year).copied())
    }

    /// The years with a funding growth set by national policy, and their values.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let years: Vec<String> = PolicySet::named("england-2026-02")?
    ///     .funding_growth_by_year().map(|(y, g)| format!("{y}: {g}")).collect();
    /// assert_eq!(years, ["2026-27: 0"]);
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn funding_growth_by_year(&self) -> impl Iterator<Item = (FinancialYear, f64)> + '_ {
        self.0
            .high_needs_funding_growth
            .iter()
            .flat_map(|e| e.value.iter().map(|(y, g)| (*y, *g)))
    }

    /// High-needs funding growth for `year`: the year's own value, else the default.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let before = PolicySet::named("england-2025")?;
    /// assert_eq!(before.funding_growth("2026-27".parse()?), 0.07); // no rollover yet
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn funding_growth(&self, year: FinancialYear) -> f64 {
        self.funding_growth_for(year)
            .unwrap_or(self.0.default_funding_growth.value)
    }

    /// The write-off of high-needs deficits, if the set has one.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let w = PolicySet::named("england-2026-02")?.write_off().unwrap();
    /// let deficit_at_31_march_2026 = 94_000_000.0;
    /// assert_eq!(w.share * deficit_at_31_march_2026, 84_600_000.0); // if the plan is approved
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn write_off(&self) -> Option<PolicyWriteOff> {
        self.0.write_off.as_ref().map(|e| e.value)
    }

    /// Central funding of high-needs deficits, if the set has it.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// assert!(PolicySet::named("england-2025")?.central_funding().is_none());
    /// let from = PolicySet::named("england-2026-02")?.central_funding().map(|c| c.from);
    /// assert_eq!(from.map(|y| y.start_year()), Some(2028));
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn central_funding(&self) -> Option<PolicyCentralFunding> {
        self.0.central_funding.as_ref().map(|e| e.value)
    }

    /// When the safety valve programme ended, if it has.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// assert!(PolicySet::named("england-2025")?.safety_valve_ends().is_none());
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn safety_valve_ends(&self) -> Option<PolicyDate> {
        self.0.safety_valve_ends.as_ref().map(|e| e.value)
    }

    /// Demand growth for a scenario that gives none (a modelling default, 0.12 = 12%).
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let set = PolicySet::named("england-2026-02")?;
    /// assert_eq!((set.default_demand_growth(), set.default_funding_growth()), (0.12, 0.07));
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn default_demand_growth(&self) -> f64 {
        self.0.default_demand_growth.value
    }

    /// Funding growth for years neither the scenario nor the set gives (a modelling default).
    pub fn default_funding_growth(&self) -> f64 {
        self.0.default_funding_growth.value
    }

    /// Every value of the set with its unit, dates and source, in file order.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let keys: Vec<&str> = PolicySet::named("england-2025")?.entries().iter().map(|e| e.key).collect();
    /// assert_eq!(keys, ["forum_transfer_limit", "statutory_override_ends",
    ///     "default_demand_growth", "default_funding_growth"]);
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn entries(&self) -> Vec<EntryView<'_>> {
        let mut out = vec![
            view(
                "forum_transfer_limit",
                &self.0.forum_transfer_limit,
                |v: &f64| format!("{v:?}"),
            ),
            view(
                "statutory_override_ends",
                &self.0.statutory_override_ends,
                FinancialYear::to_string,
            ),
        ];
        if let Some(e) = &self.0.high_needs_funding_growth {
            out.push(view("high_needs_funding_growth", e, |m| {
                let years: Vec<String> =
                    m.iter().map(|(y, g)| format!("\"{y}\" = {g:?}")).collect();
                format!("{{ {} }}", years.join(", "))
            }));
        }
        if let Some(e) = &self.0.write_off {
            out.push(view("write_off", e, |w| {
                format!(
                    "{{ share = {:?}, deficit_at_end_of = \"{}\", paid_in = \"{}\" }}",
                    w.share, w.deficit_at_end_of, w.paid_in
                )
            }));
        }
        if let Some(e) = &self.0.central_funding {
            out.push(view("central_funding", e, |c| {
                format!("{{ from = \"{}\", share = {:?} }}", c.from, c.share)
            }));
        }
        if let Some(e) = &self.0.safety_valve_ends {
            out.push(view("safety_valve_ends", e, PolicyDate::to_string));
        }
        out.push(view(
            "default_demand_growth",
            &self.0.default_demand_growth,
            |v: &f64| format!("{v:?}"),
        ));
        out.push(view(
            "default_funding_growth",
            &self.0.default_funding_growth,
            |v: &f64| format!("{v:?}"),
        ));
        out
    }

    /// This set with `overrides` in place of its values, each marked as replaced by `by` (a
    /// scenario's name), the national value kept as the last change of its history.
    ///
    /// ```
    /// use dsg_core::policy::{PolicyOverrides, PolicySet};
    /// let overrides = PolicyOverrides { forum_transfer_limit: Some(0.01), ..Default::default() };
    /// let national = PolicySet::named("england-2026-02")?;
    /// let local = national.with_overrides(&overrides, "cambridgeshire")?;
    /// assert_eq!(local.forum_transfer_limit(), 0.01);
    /// let entry = &local.entries()[0];
    /// assert_eq!(entry.replaced.map(|r| r.by.as_str()), Some("cambridgeshire"));
    /// let bad = PolicyOverrides { forum_transfer_limit: Some(1.5), ..Default::default() };
    /// assert!(national.with_overrides(&bad, "typo").is_err());
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn with_overrides(
        &self,
        overrides: &PolicyOverrides,
        by: &str,
    ) -> Result<PolicySet, PolicyError> {
        let mut set = self.clone();
        let PolicyOverrides {
            forum_transfer_limit,
            statutory_override_ends,
            high_needs_funding_growth,
            write_off,
            central_funding,
            safety_valve_ends,
            default_demand_growth,
            default_funding_growth,
        } = overrides;
        if let Some(v) = forum_transfer_limit {
            replace(&mut set.0.forum_transfer_limit, *v, by);
        }
        if let Some(v) = statutory_override_ends {
            replace(&mut set.0.statutory_override_ends, *v, by);
        }
        if let Some(years) = high_needs_funding_growth {
            let mut merged = set
                .0
                .high_needs_funding_growth
                .as_ref()
                .map(|e| e.value.clone())
                .unwrap_or_default();
            merged.extend(years.iter().map(|(y, g)| (*y, *g)));
            replace_or_add(
                &mut set.0.high_needs_funding_growth,
                merged,
                by,
                "yearly growth of the high-needs allocation (fraction), for the financial years listed",
            );
        }
        if let Some(v) = write_off {
            replace_or_add(
                &mut set.0.write_off,
                *v,
                by,
                "share (fraction) of the high-needs deficit at the end of `deficit_at_end_of`, paid in `paid_in`",
            );
        }
        if let Some(v) = central_funding {
            replace_or_add(
                &mut set.0.central_funding,
                *v,
                by,
                "share (fraction) of each in-year high-needs deficit met centrally, from `from`",
            );
        }
        if let Some(v) = safety_valve_ends {
            replace_or_add(
                &mut set.0.safety_valve_ends,
                *v,
                by,
                "date the safety valve programme ended",
            );
        }
        if let Some(v) = default_demand_growth {
            replace(&mut set.0.default_demand_growth, *v, by);
        }
        if let Some(v) = default_funding_growth {
            replace(&mut set.0.default_funding_growth, *v, by);
        }
        let problems = set.problems(false);
        if problems.is_empty() {
            Ok(set)
        } else {
            Err(PolicyError::Invalid {
                name: format!("{} with the overrides of {by}", self.0.name),
                problems,
            })
        }
    }

    /// Everything wrong with the set. `shipped`: also demand what a data file must give (a
    /// date for every value, a history ending at the current value).
    fn problems(&self, shipped: bool) -> Vec<String> {
        let mut p = Vec::new();
        if self.0.name.trim().is_empty() {
            p.push("`name`: give the set a name".to_string());
        }
        if self.0.description.trim().is_empty() {
            p.push("`description`: say what the set is".to_string());
        }
        let check_share = |key: &str, v: f64, p: &mut Vec<String>| {
            if !(0.0..=1.0).contains(&v) {
                p.push(format!("`{key}`: {v} is not a share between 0 and 1"));
            }
        };
        check_share(
            "forum_transfer_limit.value",
            self.0.forum_transfer_limit.value,
            &mut p,
        );
        if let Some(e) = &self.0.write_off {
            check_share("write_off.value.share", e.value.share, &mut p);
            if e.value.paid_in <= e.value.deficit_at_end_of {
                p.push(format!(
                    "`write_off.value.paid_in`: {} is not after the year the deficit is measured ({})",
                    e.value.paid_in, e.value.deficit_at_end_of
                ));
            }
        }
        if let Some(e) = &self.0.central_funding {
            check_share("central_funding.value.share", e.value.share, &mut p);
        }
        let growth = |key: String, v: f64, p: &mut Vec<String>| {
            if !(v.is_finite() && v > -1.0 && v <= 1.0) {
                p.push(format!(
                    "`{key}`: {v} is not a yearly growth (a fraction above -1 and at most 1, e.g. 0.07 for 7%)"
                ));
            }
        };
        growth(
            "default_demand_growth.value".into(),
            self.0.default_demand_growth.value,
            &mut p,
        );
        growth(
            "default_funding_growth.value".into(),
            self.0.default_funding_growth.value,
            &mut p,
        );
        for (year, g) in self.funding_growth_by_year() {
            growth(
                format!("high_needs_funding_growth.value.\"{year}\""),
                g,
                &mut p,
            );
        }
        if shipped {
            check_entry(
                "forum_transfer_limit",
                &self.0.forum_transfer_limit,
                &[],
                &mut p,
            );
            check_entry(
                "statutory_override_ends",
                &self.0.statutory_override_ends,
                &[],
                &mut p,
            );
            if let Some(e) = &self.0.high_needs_funding_growth {
                let years: Vec<String> = e.value.keys().map(|y| y.to_string()).collect();
                let years: Vec<&str> = years.iter().map(String::as_str).collect();
                check_entry("high_needs_funding_growth", e, &years, &mut p);
            }
            if let Some(e) = &self.0.write_off {
                let fields = ["share", "deficit_at_end_of", "paid_in"];
                check_entry("write_off", e, &fields, &mut p);
            }
            if let Some(e) = &self.0.central_funding {
                check_entry("central_funding", e, &["from", "share"], &mut p);
            }
            if let Some(e) = &self.0.safety_valve_ends {
                check_entry("safety_valve_ends", e, &[], &mut p);
            }
            check_entry(
                "default_demand_growth",
                &self.0.default_demand_growth,
                &[],
                &mut p,
            );
            check_entry(
                "default_funding_growth",
                &self.0.default_funding_growth,
                &[],
                &mut p,
            );
        }
        p
    }
}

impl TryFrom<SetData> for PolicySet {
    type Error = PolicyError;

    /// Validates a data file's fields: every value dated and sourced, and in its range.
    fn try_from(data: SetData) -> Result<PolicySet, PolicyError> {
        let set = PolicySet(data);
        let problems = set.problems(true);
        if problems.is_empty() {
            Ok(set)
        } else {
            Err(PolicyError::Invalid {
                name: set.0.name,
                problems,
            })
        }
    }
}

impl From<PolicySet> for SetData {
    fn from(set: PolicySet) -> SetData {
        set.0
    }
}

/// The `name` a policy file gives, for an error message before it parses.
fn name_in(text: &str) -> String {
    #[derive(Deserialize)]
    struct Named {
        name: String,
    }
    text.lines()
        .find(|l| l.trim_start().starts_with("name"))
        .and_then(|l| toml::from_str::<Named>(l).ok())
        .map_or_else(|| "<text>".to_string(), |n| n.name)
}

fn view<'a, T>(key: &'static str, e: &'a Entry<T>, show: impl Fn(&T) -> String) -> EntryView<'a> {
    EntryView {
        key,
        value: show(&e.value),
        unit: &e.unit,
        in_force_from: e.in_force_from,
        announced: e.announced,
        reference: &e.reference,
        illustrative: &e.illustrative,
        note: e.note.as_deref(),
        changes: e.history.len(),
        replaced: e.replaced.as_ref(),
    }
}

/// The value a scenario gives for an entry: the national entry moves into the history. A value
/// equal to the national one leaves the entry (and its source) as it is.
fn replace<T: Clone + PartialEq>(entry: &mut Entry<T>, value: T, by: &str) {
    if entry.value == value {
        return;
    }
    let national = Change {
        value: entry.value.clone(),
        in_force_from: entry.in_force_from,
        announced: entry.announced,
        reference: entry.reference.clone(),
        illustrative: entry.illustrative.clone(),
        note: Some(format!("the national value, replaced by {by}")),
    };
    entry.history.push(national);
    entry.value = value;
    entry.in_force_from = None;
    entry.announced = None;
    entry.reference = scenario_reference(by);
    entry.illustrative = Vec::new();
    entry.note = Some(format!("given by {by} in place of the national value"));
    entry.replaced = Some(Replaced { by: by.to_string() });
}

fn replace_or_add<T: Clone + PartialEq>(
    entry: &mut Option<Entry<T>>,
    value: T,
    by: &str,
    unit: &str,
) {
    match entry {
        Some(e) => replace(e, value, by),
        None => {
            *entry = Some(Entry {
                value,
                unit: unit.to_string(),
                in_force_from: None,
                announced: None,
                reference: scenario_reference(by),
                illustrative: Vec::new(),
                note: Some(format!(
                    "given by {by}; the national policy set has no such value"
                )),
                history: Vec::new(),
                replaced: Some(Replaced { by: by.to_string() }),
            });
        }
    }
}

fn scenario_reference(by: &str) -> Reference {
    Reference {
        publisher: "scenario".to_string(),
        title: by.to_string(),
        status: SourceStatus::Scenario,
    }
}

/// What a data file must give for every value: a unit, a date, a reference, known illustrative
/// parts, and a history of dated, sourced changes ending at the current value.
fn check_entry<T: PartialEq>(key: &str, e: &Entry<T>, fields: &[&str], p: &mut Vec<String>) {
    if e.unit.trim().is_empty() {
        p.push(format!("`{key}.unit`: say what the value measures"));
    }
    check_dated(
        key,
        e.in_force_from,
        e.announced,
        &e.reference,
        &e.illustrative,
        fields,
        p,
    );
    for (i, c) in e.history.iter().enumerate() {
        let at = format!("{key}.history[{i}]");
        check_dated(
            &at,
            c.in_force_from,
            c.announced,
            &c.reference,
            &c.illustrative,
            fields,
            p,
        );
    }
    if let Some(last) = e.history.last()
        && last.value != e.value
    {
        p.push(format!(
            "`{key}.history`: the last change must have the current value (the history ends where the value now is)"
        ));
    }
}

fn check_dated(
    key: &str,
    in_force_from: Option<FinancialYear>,
    announced: Option<PolicyDate>,
    reference: &Reference,
    illustrative: &[String],
    fields: &[&str],
    p: &mut Vec<String>,
) {
    if in_force_from.is_none() && announced.is_none() {
        p.push(format!(
            "`{key}`: give a date: `in_force_from` (a financial year) or `announced` (e.g. \"2026-02\")"
        ));
    }
    if reference.publisher.trim().is_empty() || reference.title.trim().is_empty() {
        p.push(format!(
            "`{key}.reference`: give the publisher and title of the document that states the value"
        ));
    }
    if reference.status == SourceStatus::Scenario {
        p.push(format!(
            "`{key}.reference.status`: \"scenario\" is for values a scenario replaces; a data file says \"published\" or \"unverified\""
        ));
    }
    for part in illustrative {
        let known = part == "value"
            || (part == "in_force_from" && in_force_from.is_some())
            || (part == "announced" && announced.is_some())
            || fields.contains(&part.as_str());
        // An illustrative `announced` with no date given says the date is not known.
        let unknown_date = part == "announced" && announced.is_none();
        if !known && !unknown_date {
            p.push(format!(
                "`{key}.illustrative`: `{part}` is not a part of this value (use `value`, `in_force_from`, `announced`{})",
                fields
                    .iter()
                    .map(|f| format!(", `{f}`"))
                    .collect::<String>()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fy(s: &str) -> FinancialYear {
        s.parse().unwrap()
    }

    #[test]
    fn every_shipped_set_parses_and_every_value_is_dated_and_sourced() {
        assert_eq!(SHIPPED.len(), PolicySet::names().count());
        for name in PolicySet::names() {
            let set = PolicySet::named(name).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(set.name(), name);
            assert!(!set.description().is_empty());
            let entries = set.entries();
            assert!(entries.len() >= 4, "{name}");
            for e in entries {
                let at = format!("{name}: {}", e.key);
                assert!(!e.unit.trim().is_empty(), "{at}: unit");
                assert!(
                    e.in_force_from.is_some() || e.announced.is_some(),
                    "{at}: date"
                );
                assert!(!e.reference.publisher.is_empty(), "{at}: publisher");
                assert!(!e.reference.title.is_empty(), "{at}: title");
                assert_ne!(e.reference.status, SourceStatus::Scenario, "{at}");
                assert!(e.replaced.is_none(), "{at}");
                // No addresses: sources are cited by publisher and title.
                for text in [&e.reference.title, &e.reference.publisher] {
                    assert!(!text.contains("http"), "{at}: {text}");
                }
            }
        }
    }

    #[test]
    fn shipped_sets_match_the_constants_they_replace() {
        for name in PolicySet::names() {
            let set = PolicySet::named(name).unwrap();
            // The constants these values replaced, which seeded results were made with: a set
            // that changes one is a value-breaking change.
            assert_eq!(set.forum_transfer_limit(), 0.005);
            assert_eq!(set.default_demand_growth(), 0.12);
            assert_eq!(set.default_funding_growth(), 0.07);
            assert_eq!(set.override_ends(), fy("2027-28"));
        }
    }

    #[test]
    fn february_2026_values() {
        let set = PolicySet::named("england-2026-02").unwrap();
        assert_eq!(
            set.write_off(),
            Some(PolicyWriteOff {
                share: 0.9,
                deficit_at_end_of: fy("2025-26"),
                paid_in: fy("2027-28"),
            })
        );
        assert_eq!(
            set.central_funding(),
            Some(PolicyCentralFunding {
                from: fy("2028-29"),
                share: 1.0,
            })
        );
        assert_eq!(set.funding_growth_for(fy("2026-27")), Some(0.0));
        assert_eq!(set.funding_growth_for(fy("2025-26")), None);
        assert_eq!(set.funding_growth(fy("2026-27")), 0.0);
        assert_eq!(set.funding_growth(fy("2030-31")), 0.07);
        assert_eq!(
            set.funding_growth_by_year().collect::<Vec<_>>(),
            [(fy("2026-27"), 0.0)]
        );
        assert_eq!(set.safety_valve_ends(), Some("2026-02".parse().unwrap()));
        assert_eq!(set.as_at().to_string(), "2026-02");
        let history: Vec<_> = set.override_history().iter().map(|c| c.value).collect();
        assert_eq!(history, [fy("2022-23"), fy("2025-26"), fy("2027-28")]);
        let values: Vec<(&str, String)> = set
            .entries()
            .into_iter()
            .map(|e| (e.key, e.value))
            .collect();
        assert_eq!(
            values,
            [
                ("forum_transfer_limit", "0.005".to_string()),
                ("statutory_override_ends", "2027-28".into()),
                ("high_needs_funding_growth", "{ \"2026-27\" = 0.0 }".into()),
                (
                    "write_off",
                    "{ share = 0.9, deficit_at_end_of = \"2025-26\", paid_in = \"2027-28\" }"
                        .into()
                ),
                (
                    "central_funding",
                    "{ from = \"2028-29\", share = 1.0 }".into()
                ),
                ("safety_valve_ends", "2026-02".into()),
                ("default_demand_growth", "0.12".into()),
                ("default_funding_growth", "0.07".into()),
            ]
        );
        // The paid-in year of the write-off is not in the cited sources: marked illustrative.
        let write_off = set.entries().into_iter().find(|e| e.key == "write_off");
        assert!(
            write_off
                .map(|e| e.illustrative.contains(&"paid_in".to_string()))
                .unwrap_or(false)
        );
    }

    #[test]
    fn before_february_2026_there_is_no_write_off_or_central_funding() {
        let set = PolicySet::named("england-2025").unwrap();
        assert_eq!(set.write_off(), None);
        assert_eq!(set.central_funding(), None);
        assert_eq!(set.safety_valve_ends(), None);
        assert_eq!(set.funding_growth_for(fy("2026-27")), None);
        assert_eq!(set.funding_growth(fy("2026-27")), 0.07);
    }

    #[test]
    fn an_unknown_name_lists_the_known_ones() {
        let err = PolicySet::named("england-2026").unwrap_err();
        assert_eq!(
            err,
            PolicyError::Unknown {
                name: "england-2026".into(),
                known: vec!["england-2025".into(), "england-2026-02".into()],
            }
        );
        let text = err.to_string();
        assert!(text.contains("`england-2026`"), "{text}");
        assert!(text.contains("england-2025, england-2026-02"), "{text}");
    }

    #[test]
    fn parsing_is_done_once() {
        let a = PolicySet::named("england-2026-02").unwrap();
        let b = PolicySet::named("england-2026-02").unwrap();
        assert!(std::ptr::eq(a, b));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        let good = include_str!("../policy/england-2026-02.toml");
        let typo = good.replace("[forum_transfer_limit]", "[forum_transfer_limt]");
        let err = PolicySet::from_toml(&typo).unwrap_err();
        assert!(matches!(err, PolicyError::Parse { .. }), "{err}");
        assert!(err.to_string().contains("england-2026-02"), "{err}");

        let extra = good.replace("value = 0.005", "value = 0.005\nsource = \"x\"");
        assert!(PolicySet::from_toml(&extra).is_err());

        let share = good.replace("share = 0.9,", "share = 9,");
        let err = PolicySet::from_toml(&share).unwrap_err();
        assert!(err.to_string().contains("write_off.value.share"), "{err}");
        // Deserialising a set directly validates it too.
        let err = toml::from_str::<PolicySet>(&share).unwrap_err();
        assert!(err.to_string().contains("write_off.value.share"), "{err}");
        assert!(toml::from_str::<PolicySet>(good).is_ok());

        let undated = good.replace("announced = \"2026-02\"\nreference = { publisher = \"Department for Education\", title = \"Explanatory note on DSG deficits (February 2026)\", status = \"published\" }\nnote = \"The same note", "reference = { publisher = \"Department for Education\", title = \"Explanatory note on DSG deficits (February 2026)\", status = \"published\" }\nnote = \"The same note");
        assert_ne!(undated, good);
        let err = PolicySet::from_toml(&undated).unwrap_err();
        assert!(
            err.to_string().contains("`safety_valve_ends`: give a date"),
            "{err}"
        );

        let part = good.replace(
            "illustrative = [\"paid_in\"]",
            "illustrative = [\"paid_on\"]",
        );
        let err = PolicySet::from_toml(&part).unwrap_err();
        assert!(err.to_string().contains("paid_on"), "{err}");

        let history = good.replace(
            "value = \"2027-28\"\nannounced = \"2024-12\"",
            "value = \"2026-27\"\nannounced = \"2024-12\"",
        );
        assert_ne!(history, good);
        let err = PolicySet::from_toml(&history).unwrap_err();
        assert!(
            err.to_string().contains("statutory_override_ends.history"),
            "{err}"
        );
    }

    #[test]
    fn overrides_replace_values_and_keep_the_national_one() {
        let national = PolicySet::named("england-2026-02").unwrap();
        let overrides: PolicyOverrides = toml::from_str(
            r#"
            high_needs_funding_growth = { "2027-28" = 0.02 }
            central_funding = { from = "2029-30", share = 0.5 }
            default_demand_growth = 0.1
            "#,
        )
        .unwrap();
        assert!(!overrides.is_empty());
        let local = national.with_overrides(&overrides, "test").unwrap();
        assert_eq!(local.funding_growth_for(fy("2026-27")), Some(0.0), "merged");
        assert_eq!(local.funding_growth_for(fy("2027-28")), Some(0.02));
        assert_eq!(
            local.central_funding(),
            Some(PolicyCentralFunding {
                from: fy("2029-30"),
                share: 0.5
            })
        );
        assert_eq!(local.default_demand_growth(), 0.1);
        assert_eq!(local.forum_transfer_limit(), 0.005, "not overridden");
        let same = PolicyOverrides {
            forum_transfer_limit: Some(0.005),
            ..Default::default()
        };
        assert_eq!(
            &national.with_overrides(&same, "test").unwrap(),
            national,
            "a value equal to the national one keeps its source"
        );
        let entry = local
            .entries()
            .into_iter()
            .find(|e| e.key == "central_funding")
            .unwrap();
        assert_eq!(entry.reference.status, SourceStatus::Scenario);
        assert_eq!(entry.changes, 1, "the national value is kept");
        // The shipped set itself is untouched.
        assert_eq!(national.central_funding().map(|c| c.share), Some(1.0));

        // Adding a write-off to the rules before February 2026.
        let add = PolicyOverrides {
            write_off: Some(PolicyWriteOff {
                share: 0.9,
                deficit_at_end_of: fy("2025-26"),
                paid_in: fy("2026-27"),
            }),
            ..Default::default()
        };
        let before = PolicySet::named("england-2025").unwrap();
        let with = before.with_overrides(&add, "test").unwrap();
        assert_eq!(with.write_off().map(|w| w.share), Some(0.9));

        let bad = PolicyOverrides {
            write_off: Some(PolicyWriteOff {
                share: 0.9,
                deficit_at_end_of: fy("2025-26"),
                paid_in: fy("2025-26"),
            }),
            ..Default::default()
        };
        let err = national.with_overrides(&bad, "test").unwrap_err();
        assert!(err.to_string().contains("paid_in"), "{err}");

        assert!(toml::from_str::<PolicyOverrides>("forum_limit = 0.01").is_err());
    }

    #[test]
    fn the_documented_policy_table_is_valid() {
        let doc = include_str!("../../../docs/policy.md");
        let start = doc
            .find("[policy]\n")
            .expect("docs/policy.md shows a [policy] table");
        let table = &doc[start..];
        let table = &table[..table.find("```").unwrap_or(table.len())];
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Scenario {
            policy: PolicyOverrides,
        }
        let scenario: Scenario = toml::from_str(table).unwrap_or_else(|e| panic!("{e}"));
        let set = PolicySet::named("england-2026-02").unwrap();
        let local = set.with_overrides(&scenario.policy, "docs").unwrap();
        assert_eq!(local.override_ends(), fy("2029-30"));
        assert_eq!(local.funding_growth(fy("2026-27")), 0.0);
    }

    #[test]
    fn serialises_with_its_sources() {
        let set = PolicySet::named("england-2026-02").unwrap();
        let json = serde_json::to_value(set).unwrap();
        assert_eq!(json["write_off"]["value"]["share"], 0.9);
        assert_eq!(
            json["write_off"]["reference"]["title"],
            "Explanatory note on DSG deficits (February 2026)"
        );
        // What is written back reads again as the same set.
        let text = toml::to_string(set).unwrap();
        assert_eq!(&PolicySet::from_toml(&text).unwrap(), set);
    }

    #[test]
    fn dates() {
        for (text, fy_) in [
            ("2026", None),
            ("2026-02", Some("2025-26")),
            ("2026-04-01", Some("2026-27")),
        ] {
            let d: PolicyDate = text.parse().unwrap();
            assert_eq!(d.to_string(), text);
            assert_eq!(d.financial_year().map(|y| y.to_string()).as_deref(), fy_);
        }
        for bad in [
            "26",
            "2026-2",
            "2026-00",
            "2026-02-32",
            "2026-02-01-01",
            "",
            "x",
        ] {
            assert!(bad.parse::<PolicyDate>().is_err(), "{bad}");
        }
        let y: PolicyDate = "2026".parse().unwrap();
        let m: PolicyDate = "2026-02".parse().unwrap();
        assert!(y < m);
    }
}
