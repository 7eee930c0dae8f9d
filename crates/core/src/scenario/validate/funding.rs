//! Funding: the high-needs allocation, the transfer from the schools block, other income, other
//! DSG blocks, and the other high-needs spend lines (docs/model.md sections 3 and 4).

use crate::dist::Dist;
use crate::input::{Field, Owner};
use crate::params::{ParamId, Shape, Slot};
use crate::raw::{NumInput, RawLine, RawScenario};
use crate::scenario::types::{Block, Funding, Line, Transfer};
use crate::year::FinancialYear;

use super::Builder;
use super::inputs::{FRACTION, Fallback, NON_NEGATIVE, Rule, entry, wide};

/// The funding side of a scenario, validated.
pub(super) struct FundingPart {
    pub funding: Funding,
    pub transfer: Option<Transfer>,
    pub other_income: Vec<Line>,
    pub other_blocks: Vec<Block>,
}

impl Builder {
    /// Lines with an opening amount and a growth rate, under `key` (`other_lines`,
    /// `other_income`), entry `i` owned by `owner(i)`.
    pub(super) fn lines(
        &mut self,
        key: &str,
        owner: fn(usize) -> Owner,
        raw: &[RawLine],
    ) -> Vec<Line> {
        self.unique_names(key, raw.iter().map(|l| l.name.as_str()));
        raw.iter()
            .enumerate()
            .map(|(i, l)| self.line(owner(i), l))
            .collect()
    }

    fn line(&mut self, owner: Owner, raw: &RawLine) -> Line {
        Line {
            name: raw.name.clone(),
            amount: self.scalar(
                entry(owner, &raw.name, Field::Amount),
                &raw.amount,
                NON_NEGATIVE,
            ),
            growth: self.yearly(
                entry(owner, &raw.name, Field::Growth),
                raw.growth.as_ref(),
                Fallback::Value(0.0),
                Rule::Rate,
            ),
        }
    }

    /// The allocation, the transfer, other income and other blocks.
    pub(super) fn funding(&mut self, raw: &RawScenario) -> FundingPart {
        let allocation = self.scalar(
            wide(Owner::Funding, Field::Allocation),
            &raw.funding.allocation,
            NON_NEGATIVE,
        );
        let growth = self.yearly(
            wide(Owner::Funding, Field::Growth),
            raw.funding.growth.as_ref(),
            Fallback::Value(self.policy.funding_growth),
            Rule::Rate,
        );
        self.national_funding_years(growth, raw.funding.growth.as_ref());
        let funding = Funding { allocation, growth };
        let forum_limit = self.policy.forum_transfer_limit;
        let transfer = raw.transfer.as_ref().map(|t| {
            let rate = self.yearly(wide(Owner::Transfer, Field::Rate), Some(&t.rate), Fallback::Value(0.0), FRACTION);
            let needs_approval = self.params.specs()[rate.index()].slots.iter().any(|s| match s {
                Slot::Own(d) => d.support().1 > forum_limit,
                Slot::Shared { .. } => false,
            });
            let probability = match t.approval_probability {
                Some(p) => p,
                None if needs_approval => {
                    self.problem(
                        "transfer.approval_probability",
                        "a transfer above 0.5% of the schools block needs the Secretary of State's approval: give `approval_probability`",
                    );
                    0.0
                }
                None => 1.0,
            };
            Transfer {
                schools_block: self.scalar(wide(Owner::Transfer, Field::SchoolsBlock), &t.schools_block, NON_NEGATIVE),
                schools_block_growth: self.yearly(
                    wide(Owner::Transfer, Field::SchoolsBlockGrowth),
                    t.schools_block_growth.as_ref(),
                    Fallback::Value(0.0),
                    Rule::Rate,
                ),
                rate,
                approved: self.event(wide(Owner::Transfer, Field::ApprovalProbability), probability, Shape::Yearly),
                forum_limit,
            }
        });
        let other_income = self.lines("other_income", Owner::OtherIncome, &raw.other_income);
        self.unique_names(
            "other_blocks",
            raw.other_blocks.iter().map(|l| l.name.as_str()),
        );
        let other_blocks: Vec<Block> = raw
            .other_blocks
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let at = |field| entry(Owner::OtherBlock(i), &b.name, field);
                Block {
                    name: b.name.clone(),
                    funding: self.scalar(at(Field::Funding), &b.funding, NON_NEGATIVE),
                    funding_growth: self.yearly(
                        at(Field::FundingGrowth),
                        b.funding_growth.as_ref(),
                        Fallback::Value(0.0),
                        Rule::Rate,
                    ),
                    spend: self.scalar(at(Field::Spend), &b.spend, NON_NEGATIVE),
                    spend_growth: self.yearly(
                        at(Field::SpendGrowth),
                        b.spend_growth.as_ref(),
                        Fallback::Value(0.0),
                        Rule::Rate,
                    ),
                    opening_balance: self.scalar_or(
                        at(Field::OpeningBalance),
                        b.opening_balance.as_ref(),
                        0.0,
                        Rule::Any,
                    ),
                }
            })
            .collect();

        FundingPart {
            funding,
            transfer,
            other_income,
            other_blocks,
        }
    }

    /// Years whose funding growth national policy fixes (the 2026-27 rollover) take that value,
    /// unless the scenario lists the year itself: a scenario's single growth rate, or its
    /// `other_years`, is for the years policy leaves open.
    fn national_funding_years(&mut self, growth: ParamId, input: Option<&NumInput>) {
        let listed: Vec<FinancialYear> = match input {
            Some(NumInput::ByYear(years)) => years.keys().filter_map(|k| k.parse().ok()).collect(),
            _ => Vec::new(),
        };
        let base = self.base;
        let horizon = self.horizon;
        let fixed: Vec<(usize, f64)> = self
            .policy
            .funding_years
            .iter()
            .filter(|(year, _)| !listed.contains(year))
            .filter_map(|&(year, value)| {
                let off = base.offset_to(year);
                (1..=horizon as i32)
                    .contains(&off)
                    .then_some((off as usize, value))
            })
            .collect();
        // A scenario that gives no funding growth of its own takes the spending review's range
        // for the years whose budgets it sets (drawn each year), not the modelling default.
        let review = self
            .policy
            .spending_review
            .filter(|sr| input.is_none() && sr.funding_growth.min < sr.funding_growth.max);
        let spec = self.params.spec_mut(growth);
        if let Some(sr) = review {
            let r = sr.funding_growth;
            let from = base.offset_to(sr.budgets_from).max(1) as usize;
            for t in from..=horizon {
                if let Some(slot) = spec.slots.get_mut(t - 1) {
                    *slot = Slot::Own(Dist::Pert {
                        min: r.min,
                        mode: r.mode,
                        max: r.max,
                    });
                }
            }
        }
        for (t, value) in fixed {
            if let Some(slot) = spec.slots.get_mut(t - 1) {
                *slot = Slot::Own(Dist::Fixed { value });
            }
        }
    }
}
