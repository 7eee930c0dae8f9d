//! The reform at phase transfer (docs/model.md section 14): the policy set's dated values, each
//! replaced where the scenario's `[reform]` gives its own.

use crate::dist::Dist;
use crate::input::{Field, Owner};
use crate::params::Shape;
use crate::policy::PolicyRange;
use crate::raw::{DistInput, NumInput, RawScenario};
use crate::scenario::Reform;

use super::Builder;
use super::inputs::{FRACTION, Rule, wide};

/// The longest delay of the reform's start a scenario may give, in years.
const MAX_DELAY_YEARS: f64 = 10.0;

/// A national range as an input: a PERT drawn once a path, or the number when it is one value.
fn range_input(r: PolicyRange) -> NumInput {
    if r.min < r.max {
        NumInput::Distribution(DistInput {
            dist: Dist::Pert {
                min: r.min,
                mode: r.mode,
                max: r.max,
            },
            per: None,
            persistence: None,
            hyper: Vec::new(),
        })
    } else {
        NumInput::Number(r.mode)
    }
}

impl Builder {
    /// The reform: the scenario's `[reform]`, taking what it does not say from the policy set.
    /// `None` when neither has one, when it never goes ahead (probability 0) or when it starts
    /// after the projection. Its inputs come after every other (they draw from their own
    /// streams, and a scenario without a reform keeps its parameter table as it was).
    pub(super) fn reform(&mut self, raw: &RawScenario) -> Option<Reform> {
        let national = self.policy.reform;
        let local = raw.reform.clone().unwrap_or_default();
        if raw.reform.is_some() && national.is_none() && local.from.is_none() {
            self.problem(
                "reform",
                format!(
                    "the policy set `{}` has no reform at phase transfer: say when it starts (`from = \"2029-30\"`) and give its shares, or name a set that has one (england-2026-06)",
                    self.policy.name
                ),
            );
            return None;
        }
        if raw.reform.is_none() && national.is_none() {
            return None;
        }
        let from_text = local
            .from
            .clone()
            .or_else(|| national.map(|n| n.from.to_string()))?;
        let year = self.year("reform.from", &from_text)?;
        let off = self.base.offset_to(year);
        if off > self.horizon as i32 {
            // Starts after the projection: nothing changes within it.
            return None;
        }
        let probability = local
            .probability
            .or(national.map(|n| n.probability))
            .unwrap_or(1.0);
        if probability == 0.0 {
            return None;
        }
        let value = |b: &mut Builder,
                     field: Field,
                     given: Option<NumInput>,
                     n: Option<NumInput>,
                     rule: Rule| {
            let meta = wide(Owner::Reform, field);
            match given.or(n) {
                Some(input) => b.scalar(meta, &input, rule),
                None => {
                    b.problem(
                        meta.key(),
                        "give this value of the reform (no policy set gives it)",
                    );
                    b.fixed_scalar(meta, 0.0)
                }
            }
        };
        let happens = self.event(
            wide(Owner::Reform, Field::Probability),
            probability,
            Shape::Scalar,
        );
        let delay_years = value(
            self,
            Field::DelayYears,
            local.delay_years,
            national.map(|n| range_input(n.delay_years)),
            Rule::Within(0.0, MAX_DELAY_YEARS),
        );
        let transfer_share = value(
            self,
            Field::TransferShare,
            local.transfer_share,
            national.map(|n| NumInput::Number(n.transfer_share)),
            FRACTION,
        );
        let ending_share = value(
            self,
            Field::EndingShare,
            local.ending_share,
            national.map(|n| range_input(n.ending_share)),
            FRACTION,
        );
        let protected_share = value(
            self,
            Field::ProtectedShare,
            local.protected_share,
            national.map(|n| range_input(n.protected_share)),
            FRACTION,
        );
        Some(Reform {
            from: off.max(1) as usize,
            happens,
            delay_years,
            transfer_share,
            ending_share,
            protected_share,
        })
    }
}
