//! The June 2026 additions: the multi-year settlement, the 2027 Spending Review and the reform at
//! phase transfer (docs/model.md section 14), with their ranges.

use serde::{Deserialize, Serialize};

#[cfg(doc)]
use super::PolicySet;
use crate::year::FinancialYear;

/// An uncertain national value: least, most likely and greatest (drawn as a PERT when the least
/// and greatest differ, docs/model.md section 7).
///
/// ```
/// use dsg_core::policy::PolicyRange;
/// let r = PolicyRange { min: 0.2, mode: 0.4, max: 0.6 };
/// assert!(r.is_ordered());
/// assert!(!PolicyRange { min: 0.5, mode: 0.4, max: 0.6 }.is_ordered());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRange {
    /// The least value.
    pub min: f64,
    /// The most likely value.
    pub mode: f64,
    /// The greatest value.
    pub max: f64,
}

impl PolicyRange {
    /// Whether `min <= mode <= max`, all finite.
    pub fn is_ordered(&self) -> bool {
        self.min.is_finite()
            && self.max.is_finite()
            && self.min <= self.mode
            && self.mode <= self.max
    }

    /// Whether every value lies in `lo..=hi`.
    pub(super) fn within(&self, lo: f64, hi: f64) -> bool {
        [self.min, self.mode, self.max]
            .iter()
            .all(|v| (lo..=hi).contains(v))
    }

    /// As written in a data file.
    pub(super) fn show(&self) -> String {
        format!(
            "{{ min = {:?}, mode = {:?}, max = {:?} }}",
            self.min, self.mode, self.max
        )
    }
}

/// A settlement covering several financial years, `from` to `to` (both included).
///
/// ```
/// use dsg_core::policy::PolicySet;
/// let s = PolicySet::named("england-2026-06")?.settlement().unwrap();
/// assert_eq!((s.from.to_string(), s.to.to_string()), ("2026-27".into(), "2028-29".into()));
/// # Ok::<(), dsg_core::policy::PolicyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySettlement {
    /// The first year settled.
    pub from: FinancialYear,
    /// The last year settled.
    pub to: FinancialYear,
}

/// Budgets set at a spending review from `budgets_from`: high-needs funding growth in those years
/// is not yet known, only its range.
///
/// ```
/// use dsg_core::policy::PolicySet;
/// let sr = PolicySet::named("england-2026-06")?.spending_review().unwrap();
/// assert_eq!(sr.budgets_from.to_string(), "2028-29");
/// assert!(sr.funding_growth.min <= sr.funding_growth.max);
/// # Ok::<(), dsg_core::policy::PolicyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySpendingReview {
    /// The first year whose budget the review sets.
    pub budgets_from: FinancialYear,
    /// The range of yearly high-needs funding growth the review may give.
    pub funding_growth: PolicyRange,
}

/// The reform at phase transfer (Schools White Paper, February 2026; docs/model.md section 14):
/// from `from`, with probability `probability` and after a delay of `delay_years`, each year the
/// share `transfer_share` of plans reviewed at a phase transfer, times `ending_share` (those whose
/// plan ends or moves to support without a plan), less the share `protected_share` kept by the
/// protected cohort, leaves the caseload.
///
/// ```
/// use dsg_core::policy::PolicySet;
/// let r = PolicySet::named("england-2026-06")?.reform().unwrap();
/// assert_eq!(r.from.to_string(), "2029-30");
/// let yearly = r.transfer_share * r.ending_share.mode * (1.0 - r.protected_share.mode);
/// assert!(yearly > 0.0 && yearly < r.transfer_share);
/// assert!(PolicySet::named("england-2026-02")?.reform().is_none());
/// # Ok::<(), dsg_core::policy::PolicyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyReform {
    /// The first financial year with plans reviewed under the reform (September 2029: 2029-30).
    pub from: FinancialYear,
    /// The chance the reform goes ahead at all (0 to 1).
    pub probability: f64,
    /// Delay of the start, in years (0 = from `from`; fractions start part-way through a year).
    pub delay_years: PolicyRange,
    /// Share of each year's plans reviewed at a phase transfer (ages 4-5, 10-11, 15-16).
    pub transfer_share: f64,
    /// Share of the plans reviewed that end or move to support without a plan.
    pub ending_share: PolicyRange,
    /// Share of the plans reviewed that the protected cohort keeps (existing placements).
    pub protected_share: PolicyRange,
}

impl PolicyReform {
    /// As written in a data file.
    pub(super) fn show(&self) -> String {
        format!(
            "{{ from = \"{}\", probability = {:?}, delay_years = {}, transfer_share = {:?}, ending_share = {}, protected_share = {} }}",
            self.from,
            self.probability,
            self.delay_years.show(),
            self.transfer_share,
            self.ending_share.show(),
            self.protected_share.show()
        )
    }

    /// Every problem with the values, each starting with its key path.
    pub(super) fn problems(&self, p: &mut Vec<String>) {
        let share = |key: &str, v: f64, p: &mut Vec<String>| {
            if !(0.0..=1.0).contains(&v) {
                p.push(format!(
                    "`reform.value.{key}`: {v} is not a share between 0 and 1"
                ));
            }
        };
        share("probability", self.probability, p);
        share("transfer_share", self.transfer_share, p);
        for (key, r, hi) in [
            ("ending_share", self.ending_share, 1.0),
            ("protected_share", self.protected_share, 1.0),
            ("delay_years", self.delay_years, 10.0),
        ] {
            if !r.is_ordered() || !r.within(0.0, hi) {
                p.push(format!(
                    "`reform.value.{key}`: {} must have 0 <= min <= mode <= max <= {hi}",
                    r.show()
                ));
            }
        }
    }
}

/// Every problem with a spending review's values.
pub(super) fn spending_review_problems(sr: &PolicySpendingReview, p: &mut Vec<String>) {
    let g = sr.funding_growth;
    if !g.is_ordered() || !g.within(-0.5, 1.0) {
        p.push(format!(
            "`spending_review.value.funding_growth`: {} must have -0.5 <= min <= mode <= max <= 1",
            g.show()
        ));
    }
}

/// Every problem with a settlement's years.
pub(super) fn settlement_problems(s: &PolicySettlement, p: &mut Vec<String>) {
    if s.to < s.from {
        p.push(format!(
            "`multi_year_settlement.value.to`: {} is before `from` ({})",
            s.to, s.from
        ));
    }
}
