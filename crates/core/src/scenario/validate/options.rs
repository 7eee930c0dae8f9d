//! `[[options]]`: packages of the scenario's mitigations and levers to compare.

use crate::options::{OptionPackage, YearlyAmount};
use crate::raw::{RawLeverAmount, RawOption};

use super::{Builder, MAX_NAME_CHARS, MAX_TEXT_CHARS};

/// The most options a scenario may compare.
pub const MAX_OPTIONS: usize = 12;

impl Builder {
    /// The options, each naming mitigations the scenario has and levers in projected years.
    pub(super) fn options(
        &mut self,
        rows: &[RawOption],
        mitigations: &[String],
    ) -> Vec<OptionPackage> {
        if rows.len() > MAX_OPTIONS {
            self.problem(
                "options",
                format!(
                    "at most {MAX_OPTIONS} options can be compared (got {})",
                    rows.len()
                ),
            );
        }
        let mut out = Vec::new();
        for (i, row) in rows.iter().enumerate().take(MAX_OPTIONS) {
            let key = |k: &str| format!("options[{i}].{k}");
            let before = self.problem_count();
            if row.name.trim().is_empty() {
                self.problem(key("name"), "an option needs a name");
            } else if row.name.chars().count() > MAX_NAME_CHARS {
                self.problem(
                    key("name"),
                    format!("is longer than {MAX_NAME_CHARS} characters"),
                );
            } else if rows[..i].iter().any(|r| r.name == row.name) {
                self.problem(key("name"), format!("`{}` names two options", row.name));
            }
            if row
                .description
                .as_ref()
                .is_some_and(|d| d.chars().count() > MAX_TEXT_CHARS)
            {
                self.problem(
                    key("description"),
                    format!("is longer than {MAX_TEXT_CHARS} characters"),
                );
            }
            let mut set = Vec::new();
            for (j, name) in row.mitigations.iter().enumerate() {
                match mitigations.iter().position(|m| m == name) {
                    Some(m) => set.push(m),
                    None => self.problem(
                        format!("options[{i}].mitigations[{j}]"),
                        format!(
                            "no mitigation is called `{name}`; the scenario has {}",
                            if mitigations.is_empty() {
                                "none".to_string()
                            } else {
                                mitigations
                                    .iter()
                                    .map(|m| format!("`{m}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            }
                        ),
                    ),
                }
            }
            let savings = row
                .savings
                .as_ref()
                .and_then(|l| self.lever_amount(&key("savings"), l));
            let contribution = row
                .contribution
                .as_ref()
                .and_then(|l| self.lever_amount(&key("contribution"), l));
            if self.problem_count() == before {
                out.push(OptionPackage {
                    name: row.name.clone(),
                    description: row.description.clone().unwrap_or_default(),
                    mitigations: set,
                    mitigation_names: row.mitigations.clone(),
                    savings,
                    contribution,
                });
            }
        }
        out
    }

    fn lever_amount(&mut self, key: &str, l: &RawLeverAmount) -> Option<YearlyAmount> {
        if !(l.amount.is_finite() && l.amount >= 0.0 && l.amount <= 1e12) {
            self.problem(
                format!("{key}.amount"),
                format!("must be pounds a year, from 0 to 1e12 (got {})", l.amount),
            );
            return None;
        }
        let t = self.projection_year(&format!("{key}.from"), &l.from);
        (t >= 1).then(|| YearlyAmount {
            amount: l.amount,
            from: self.base + t as u16,
        })
    }
}
