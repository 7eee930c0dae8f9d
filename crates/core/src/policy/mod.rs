//! National policy as dated, sourced data (OpenFisca-style).
//!
//! The rules that shape every council's forecast (the schools forum's transfer limit, the end of
//! the statutory override, the 2026-27 allocation rollover, the February 2026 write-off, central
//! funding of deficits, the end of the safety valve programme; from June 2026 the multi-year
//! settlement, the 2027 Spending Review and the reform at phase transfer) and the modelling defaults for
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

mod date;
mod entry;
mod overrides;
mod reform;
mod set;
#[cfg(test)]
mod tests;
mod validate;

pub use date::{PolicyDate, PolicyDateError};
pub use entry::{
    Change, Entry, EntryView, FundingGrowthByYear, PolicyCentralFunding, PolicyWriteOff, Reference,
    Replaced, SourceStatus,
};
pub use overrides::PolicyOverrides;
pub use reform::{PolicyRange, PolicyReform, PolicySettlement, PolicySpendingReview};

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::year::FinancialYear;

/// The shipped policy sets: name and file text, oldest first.
const SHIPPED: &[(&str, &str)] = &[
    (
        "england-2025",
        include_str!("../../policy/england-2025.toml"),
    ),
    (
        "england-2026-02",
        include_str!("../../policy/england-2026-02.toml"),
    ),
    (
        "england-2026-06",
        include_str!("../../policy/england-2026-06.toml"),
    ),
];

/// The set a scenario's standing rules come from when it names none, and the set `dsg init`
/// writes: the newest shipped set.
///
/// ```
/// assert_eq!(dsg_core::policy::DEFAULT_POLICY, "england-2026-06");
/// ```
pub const DEFAULT_POLICY: &str = "england-2026-06";

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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    multi_year_settlement: Option<Entry<PolicySettlement>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    spending_review: Option<Entry<PolicySpendingReview>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reform: Option<Entry<PolicyReform>>,
    default_demand_growth: Entry<f64>,
    default_funding_growth: Entry<f64>,
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
