//! The DSG reserve and what flows into it: the opening balance and its history, the general
//! fund, safety-valve instalments, the deficit write-off and central funding (MODEL.md section 5).

use crate::params::{ParamId, Shape};
use crate::raw::{RawSafetyValve, RawScenario, Word};
use crate::scenario::types::{CentralFunding, Instalment, OnMiss, SafetyValve, Target, WriteOff};
use crate::year::FinancialYear;

use super::Builder;
use super::inputs::{FRACTION, Fallback, NON_NEGATIVE, Rule};

/// The balance, the general fund and the receipts of a scenario, validated.
pub(super) struct Receipts {
    pub opening_balance: ParamId,
    pub history: Vec<(FinancialYear, f64)>,
    pub usable_reserves: ParamId,
    pub borrowing_rate: ParamId,
    pub override_ends: FinancialYear,
    pub contributions: ParamId,
    pub safety_valve: Option<SafetyValve>,
    pub write_off: Option<WriteOff>,
    pub central_funding: Option<CentralFunding>,
}

impl Builder {
    /// The opening balance, the general fund and the receipts.
    pub(super) fn receipts(&mut self, raw: &RawScenario) -> Receipts {
        let base = self.base;
        let opening_balance =
            self.scalar("dsg.opening_balance", &raw.dsg.opening_balance, Rule::Any);
        let mut history = Vec::new();
        for (k, v) in &raw.dsg.history {
            let key = format!("dsg.history.{k}");
            let Some(y) = self.year(&key, k) else {
                continue;
            };
            if y > base {
                self.problem(
                    &key,
                    format!("history must be for years up to the base year {base}"),
                );
            } else if !v.is_finite() {
                self.problem(&key, "must be a finite number");
            } else {
                history.push((y, *v));
            }
        }
        history.sort_by_key(|(y, _)| *y);

        let gf = &raw.general_fund;
        let usable_reserves = self.yearly(
            "general_fund.usable_reserves",
            Some(&gf.usable_reserves),
            Fallback::EveryYear,
            NON_NEGATIVE,
        );
        let borrowing_rate = self.yearly(
            "general_fund.borrowing_rate",
            gf.borrowing_rate.as_ref(),
            Fallback::Value(0.0),
            FRACTION,
        );
        let override_ends = match gf.statutory_override_ends.as_deref() {
            Some(text) => self
                .year("general_fund.statutory_override_ends", text)
                .unwrap_or(base),
            None => self.policy.override_ends,
        };
        let contributions = self.yearly(
            "general_fund.contributions",
            gf.contributions.as_ref(),
            Fallback::Value(0.0),
            NON_NEGATIVE,
        );

        let safety_valve = raw.safety_valve.as_ref().map(|sv| self.safety_valve(sv));
        let write_off = raw.write_off.as_ref().map(|w| {
            let measured = self
                .year("write_off.deficit_at_end_of", &w.deficit_at_end_of)
                .map(|y| base.offset_to(y));
            let measured_at = match measured {
                Some(off) if (0..=self.horizon as i32).contains(&off) => off as usize,
                Some(_) => {
                    self.problem(
                        "write_off.deficit_at_end_of",
                        format!(
                            "must be from the base year {base} to the last projected year {}",
                            base + self.horizon as u16
                        ),
                    );
                    0
                }
                None => 0,
            };
            let paid_in = match &w.paid_in {
                Some(text) => self.projection_year("write_off.paid_in", text),
                None => measured_at.max(1),
            };
            if paid_in < measured_at {
                self.problem(
                    "write_off.paid_in",
                    "the grant cannot be paid before the deficit it writes off is measured",
                );
            }
            WriteOff {
                measured_at,
                paid_in,
                share: self.scalar("write_off.share", &w.share, FRACTION),
                approved: self.event("write_off.probability", w.probability, Shape::Scalar),
            }
        });
        let central_funding = raw.central_funding.as_ref().map(|c| CentralFunding {
            from: self.projection_year("central_funding.from", &c.from),
            share: self.scalar("central_funding.share", &c.share, FRACTION),
        });

        Receipts {
            opening_balance,
            history,
            usable_reserves,
            borrowing_rate,
            override_ends,
            contributions,
            safety_valve,
            write_off,
            central_funding,
        }
    }

    fn safety_valve(&mut self, sv: &RawSafetyValve) -> SafetyValve {
        let on_miss = match sv.on_miss.clone().unwrap_or(Word::Known(OnMiss::Withhold)) {
            Word::Known(on_miss) => on_miss,
            Word::Unknown(other) => {
                self.problem(
                    "safety_valve.on_miss",
                    format!("`{other}` is not allowed; use \"withhold\" or \"defer\""),
                );
                OnMiss::Withhold
            }
        };
        let mut instalments = Vec::new();
        for (i, inst) in sv.instalments.iter().enumerate() {
            let key = format!("safety_valve.instalments[{i}]");
            let t = self.projection_year(&format!("{key}.year"), &inst.year);
            let target = match (inst.max_in_year_deficit, inst.min_cumulative_balance) {
                (Some(x), None) if x.is_finite() && x >= 0.0 => Target::MaxInYearDeficit(x),
                (Some(x), None) => {
                    self.problem(
                        format!("{key}.max_in_year_deficit"),
                        format!("must be a deficit in pounds, zero or more (got {x}); 15000000 means an in-year deficit of at most £15m"),
                    );
                    Target::MaxInYearDeficit(0.0)
                }
                (None, Some(y)) if y.is_finite() => Target::MinCumulativeBalance(y),
                (None, Some(_)) => {
                    self.problem(
                        format!("{key}.min_cumulative_balance"),
                        "must be a finite number",
                    );
                    Target::MinCumulativeBalance(0.0)
                }
                _ => {
                    self.problem(&key, "give exactly one target: `max_in_year_deficit` or `min_cumulative_balance`");
                    Target::MaxInYearDeficit(0.0)
                }
            };
            instalments.push(Instalment {
                year: self.base + t as u16,
                t,
                amount: self.scalar(&format!("{key}.amount"), &inst.amount, NON_NEGATIVE),
                target,
            });
        }
        instalments.sort_by_key(|i| i.t);
        SafetyValve {
            on_miss,
            instalments,
        }
    }
}
