//! The DSG reserve and what flows into it: the opening balance and its history, the general
//! fund, safety-valve instalments, the deficit write-off and central funding
//! (docs/model.md section 5).

use crate::agreements::{CentralFunding, Instalment, SafetyValve, Target, WriteOff};
use crate::input::{Field, Owner};
use crate::params::{ParamId, Shape};
use crate::raw::{NumInput, RawCentralFunding, RawSafetyValve, RawScenario, Word};
use crate::scenario::types::OnMiss;
use crate::year::FinancialYear;

use super::Builder;
use super::inputs::{FRACTION, Fallback, NON_NEGATIVE, Rule, entry, wide};

/// The balance, the general fund and the receipts of a scenario, validated.
pub(super) struct Receipts {
    pub opening_balance: ParamId,
    pub opening_balance_known: bool,
    pub history: Vec<(FinancialYear, f64)>,
    pub usable_reserves: ParamId,
    pub compares_reserves: bool,
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
        let opening_balance = self.scalar(
            wide(Owner::Dsg, Field::OpeningBalance),
            &raw.dsg.opening_balance,
            Rule::Any,
        );
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
        // Without reserves there is nothing to compare the deficit with: the input stays in the
        // table (fixed at zero, so the order of the drawn inputs is the same) but is not reported.
        // A level has no default year: a table must cover every year.
        let fallback = match gf.usable_reserves {
            Some(_) => Fallback::EveryYear,
            None => Fallback::Value(0.0),
        };
        let usable_reserves = self.yearly(
            wide(Owner::GeneralFund, Field::UsableReserves),
            gf.usable_reserves.as_ref(),
            fallback,
            NON_NEGATIVE,
        );
        let compares_reserves = gf.usable_reserves.is_some();
        let borrowing_rate = self.yearly(
            wide(Owner::GeneralFund, Field::BorrowingRate),
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
            wide(Owner::GeneralFund, Field::Contributions),
            gf.contributions.as_ref(),
            Fallback::Value(0.0),
            NON_NEGATIVE,
        );

        let safety_valve = raw.safety_valve.as_ref().map(|sv| self.safety_valve(sv));
        let write_off = self.write_off(raw);
        let central_funding = self.central_funding(raw);

        let opening_balance_known = raw.dsg.opening_balance_known.unwrap_or(true);
        if !opening_balance_known && raw.dsg.opening_balance != NumInput::Number(0.0) {
            self.problem(
                "dsg.opening_balance",
                "must be 0 when `opening_balance_known = false` (a balance that is not known is not guessed); give the balance and remove `opening_balance_known`",
            );
        }
        Receipts {
            opening_balance,
            opening_balance_known,
            history,
            usable_reserves,
            compares_reserves,
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
            let year = self.base + t as u16;
            instalments.push(Instalment {
                year,
                t,
                amount: self.scalar(
                    entry(Owner::Instalment(i), &format!("due {year}"), Field::Amount),
                    &inst.amount,
                    NON_NEGATIVE,
                ),
                target,
            });
        }
        instalments.sort_by_key(|i| i.t);
        let ended = self
            .policy
            .set
            .as_ref()
            .and_then(|set| set.safety_valve_ends());
        if let (Some(ended), Some(first)) = (ended, instalments.first()) {
            self.warning(
                "safety_valve.instalments",
                format!(
                    "the policy set `{}` ends the safety valve programme ({ended}); these instalments from {} assume the DfE still pays them under the existing agreement. Keep them only if the DfE has confirmed it; otherwise leave the schedule out",
                    self.policy.name, first.year
                ),
            );
        }
        SafetyValve {
            on_miss,
            instalments,
        }
    }

    /// The deficit write-off: the scenario's `[write_off]`, taking what it does not say from the
    /// policy set (the share and the years); the chance of approval is always the scenario's.
    fn write_off(&mut self, raw: &RawScenario) -> Option<WriteOff> {
        let national = self.policy.write_off;
        let Some(w) = raw.write_off.as_ref() else {
            if let Some(p) = national {
                self.problem(
                    "write_off",
                    format!(
                        "the policy set `{}` writes off {:.0}% of the high-needs deficit at 31 March {} if the council's local SEND reform plan is approved: give the chance of approval in a [write_off] section (`probability = 0.7`), or switch the write-off off with `write_off = {{ share = 0, deficit_at_end_of = \"{}\", paid_in = \"{}\" }}` in [policy]",
                        self.policy.name,
                        p.share * 100.0,
                        p.deficit_at_end_of.end_year(),
                        p.deficit_at_end_of,
                        p.paid_in
                    ),
                );
            }
            return None;
        };
        if national.is_none() && w.deficit_at_end_of.is_none() && w.share.is_none() {
            // The section only gives the local chance of approval of a national write-off, and
            // the policy set (e.g. the rules before February 2026) has none.
            return None;
        }
        let base = self.base;
        if let Some(p) = national
            && w.deficit_at_end_of.is_none()
            && w.paid_in.is_none()
            && (base.offset_to(p.deficit_at_end_of) < 0
                || base.offset_to(p.paid_in) > self.horizon as i32)
        {
            // The national write-off falls outside this projection: before it (already in the
            // opening balance) or after it.
            return None;
        }
        let measured_text = match (&w.deficit_at_end_of, national) {
            (Some(text), _) => Some(text.clone()),
            (None, Some(p)) => Some(p.deficit_at_end_of.to_string()),
            (None, None) => {
                self.problem(
                    "write_off",
                    "say at the end of which year the deficit is measured: `deficit_at_end_of = \"2025-26\"` (no policy set gives it)",
                );
                None
            }
        };
        let measured = measured_text
            .and_then(|text| self.year("write_off.deficit_at_end_of", &text))
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
        let paid_text = w
            .paid_in
            .clone()
            .or_else(|| national.map(|p| p.paid_in.to_string()));
        let paid_in = match paid_text {
            Some(text) => self.projection_year("write_off.paid_in", &text),
            None => measured_at.max(1),
        };
        if paid_in < measured_at {
            self.problem(
                "write_off.paid_in",
                "the grant cannot be paid before the deficit it writes off is measured",
            );
        }
        let share = match (&w.share, national) {
            (Some(share), _) => self.scalar(wide(Owner::WriteOff, Field::Share), share, FRACTION),
            (None, Some(p)) => self.fixed_scalar(wide(Owner::WriteOff, Field::Share), p.share),
            (None, None) => {
                self.problem(
                    "write_off",
                    "give the `share` of the deficit written off, e.g. `share = 0.9` (no policy set gives it)",
                );
                self.fixed_scalar(wide(Owner::WriteOff, Field::Share), 0.0)
            }
        };
        let lowest_reported = self.lowest_reported(&w.reported);
        Some(WriteOff {
            measured_at,
            paid_in,
            lowest_reported,
            share,
            approved: self.event(
                wide(Owner::WriteOff, Field::Probability),
                w.probability,
                Shape::Scalar,
            ),
        })
    }

    /// The lowest of the high-needs deficits the council has reported, each a positive number
    /// of pounds; `None` when it lists none.
    fn lowest_reported(&mut self, reported: &[f64]) -> Option<f64> {
        let mut lowest: Option<f64> = None;
        for (i, &v) in reported.iter().enumerate() {
            if v.is_finite() && v >= 0.0 {
                lowest = Some(lowest.map_or(v, |l| l.min(v)));
            } else {
                self.problem(
                    format!("write_off.reported[{i}]"),
                    format!("must be a deficit in pounds, zero or more (got {v}); 94000000 means a reported deficit of £94m"),
                );
            }
        }
        lowest
    }

    /// Central funding of in-year deficits: the scenario's `[central_funding]` or the policy
    /// set's, each key taken from the scenario where it gives it.
    fn central_funding(&mut self, raw: &RawScenario) -> Option<CentralFunding> {
        let national = self.policy.central_funding;
        let c = match (raw.central_funding.as_ref(), national) {
            (Some(c), _) => c.clone(),
            (None, Some(_)) => RawCentralFunding::default(),
            (None, None) => return None,
        };
        let from = match (&c.from, national) {
            (Some(text), _) => self.projection_year("central_funding.from", text),
            (None, Some(p)) => {
                let off = self.base.offset_to(p.from);
                if off > self.horizon as i32 {
                    // Starts after the projection: nothing to fund within it.
                    return None;
                }
                off.max(1) as usize
            }
            // The section only gives local assumptions about a national scheme the policy set
            // does not have (e.g. the rules before February 2026).
            (None, None) => return None,
        };
        let share = match (&c.share, national) {
            (Some(share), _) => {
                self.scalar(wide(Owner::CentralFunding, Field::Share), share, FRACTION)
            }
            (None, Some(p)) => {
                self.fixed_scalar(wide(Owner::CentralFunding, Field::Share), p.share)
            }
            (None, None) => {
                self.problem(
                    "central_funding",
                    "give the `share` of each in-year deficit met centrally (no policy set gives it)",
                );
                self.fixed_scalar(wide(Owner::CentralFunding, Field::Share), 0.0)
            }
        };
        Some(CentralFunding { from, share })
    }
}
