//! Values a scenario gives in place of its policy set's.

use serde::{Deserialize, Serialize};

use super::{
    Change, Entry, FundingGrowthByYear, PolicyCentralFunding, PolicyDate, PolicyError,
    PolicyReform, PolicySet, PolicyWriteOff, Reference, Replaced, SourceStatus,
};
use crate::year::FinancialYear;

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
    /// Replaces (or adds) `reform`; a probability of 0 switches it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reform: Option<PolicyReform>,
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

impl PolicySet {
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
            reform,
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
        if let Some(v) = reform {
            replace_or_add(
                &mut set.0.reform,
                *v,
                by,
                "the reform at phase transfer: first year, chance, delay, and the shares reviewed, ending and protected",
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
