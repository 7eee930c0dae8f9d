//! One dated, sourced value of a set, and the values' types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::PolicyDate;
#[cfg(doc)]
use super::PolicySet;
use crate::year::FinancialYear;

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
    /// The document states the value and is among the project's cited sources (docs/domain.md).
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
/// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policy/england-2026-02.toml"));
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
/// `deficit_at_end_of` is met by a one-off grant paid in `paid_in` (docs/model.md section 5).
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
/// deficit is met centrally (docs/model.md section 5).
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

pub(super) fn view<'a, T>(
    key: &'static str,
    e: &'a Entry<T>,
    show: impl Fn(&T) -> String,
) -> EntryView<'a> {
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
