//! `[[budget]]`: the approved budget for one or more projected years (docs/model.md section 10).

use crate::budget::{Budget, BudgetLine, PlannedCost};
use crate::raw::{RawBudget, RawBudgetLine};
use crate::series::Series;

use super::{Builder, MAX_TEXT_CHARS};

/// The largest sum a budget line or total may hold (pounds): far above any council's high-needs
/// budget (England's is about £12bn), low enough that a typo in the exponent is caught.
const MAX_BUDGET: f64 = 1e12;
/// The largest planned caseload of a line.
const MAX_CASELOAD: f64 = 1e7;
/// The largest planned unit cost (pounds per plan per year).
const MAX_UNIT_COST: f64 = 1e7;

impl Builder {
    /// The budgets: each for a projected year (one per year), its lines naming the scenario's
    /// provisions, each line a sum or a planned caseload and unit cost; the total given or the
    /// sum of lines covering every provision and line the scenario has.
    pub(super) fn budgets(
        &mut self,
        rows: &[RawBudget],
        provisions: &[String],
        has_other_lines: bool,
        charges_dsg: bool,
    ) -> Vec<Budget> {
        let mut out = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let key = |k: &str| format!("budget[{i}].{k}");
            let before = self.problem_count();
            let t = self.projection_year(&key("year"), &row.year);
            if rows[..i].iter().any(|r| r.year.trim() == row.year.trim()) {
                self.problem(key("year"), format!("{} has two budgets", row.year));
            }
            if row
                .source
                .as_ref()
                .is_some_and(|d| d.chars().count() > MAX_TEXT_CHARS)
            {
                self.problem(
                    key("source"),
                    format!("is longer than {MAX_TEXT_CHARS} characters"),
                );
            }
            let mut lines = Vec::new();
            for (name, line) in &row.provisions {
                let line_key = format!("budget[{i}].provisions.{name}");
                let Some(p) = provisions.iter().position(|n| n == name) else {
                    self.problem(
                        line_key,
                        format!(
                            "no provision is called `{name}`; the scenario has {}",
                            provisions
                                .iter()
                                .map(|n| format!("`{n}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    continue;
                };
                if let Some(l) = self.budget_line(&line_key, line, Series::Spend(p)) {
                    lines.push(l);
                }
            }
            // Provisions in the scenario's order, whatever the order of the table.
            lines.sort_by_key(|l| match l.series {
                Series::Spend(p) => p,
                _ => usize::MAX,
            });
            for (k, series, amount) in [
                ("other_lines", Series::SpendOtherLines, row.other_lines),
                (
                    "mitigation_costs",
                    Series::SpendMitigations,
                    row.mitigation_costs,
                ),
            ] {
                if let Some(a) = amount
                    && self.budget_amount(&key(k), a)
                {
                    lines.push(BudgetLine {
                        series,
                        amount: a,
                        plan: None,
                    });
                }
            }
            let sum: f64 = lines.iter().map(|l| l.amount).sum();
            let total = match row.total {
                Some(total) => {
                    if self.budget_amount(&key("total"), total) && sum > total * (1.0 + 1e-12) {
                        self.problem(
                            key("total"),
                            format!(
                                "the lines add up to {}, more than the total {}",
                                crate::money::format_pounds(sum),
                                crate::money::format_pounds(total)
                            ),
                        );
                    }
                    total
                }
                None => {
                    let mut missing: Vec<String> = provisions
                        .iter()
                        .filter(|n| !row.provisions.contains_key(n.as_str()))
                        .map(|n| format!("provisions.{n}"))
                        .collect();
                    if has_other_lines && row.other_lines.is_none() {
                        missing.push("other_lines".into());
                    }
                    if charges_dsg && row.mitigation_costs.is_none() {
                        missing.push("mitigation_costs".into());
                    }
                    if !missing.is_empty() {
                        self.problem(
                            key("total"),
                            format!(
                                "without a total, the budget must cover every line; it has none for {} (give them, or give `total`)",
                                missing.join(", ")
                            ),
                        );
                    }
                    sum
                }
            };
            if self.problem_count() == before
                && let Some(year) = self.year(&key("year"), &row.year)
            {
                out.push(Budget {
                    year,
                    t,
                    source: row.source.clone().unwrap_or_default(),
                    lines,
                    total,
                    total_given: row.total.is_some(),
                });
            }
        }
        out
    }

    /// Whether `amount` is a sum a budget may hold; a problem under `key` if not.
    fn budget_amount(&mut self, key: &str, amount: f64) -> bool {
        let ok = amount.is_finite() && (0.0..=MAX_BUDGET).contains(&amount);
        if !ok {
            self.problem(
                key,
                format!("must be pounds, from 0 to 1e12 (got {amount})"),
            );
        }
        ok
    }

    fn budget_line(
        &mut self,
        key: &str,
        line: &RawBudgetLine,
        series: Series,
    ) -> Option<BudgetLine> {
        match (line.amount, line.caseload, line.unit_cost) {
            (Some(amount), None, None) => self
                .budget_amount(&format!("{key}.amount"), amount)
                .then_some(BudgetLine {
                    series,
                    amount,
                    plan: None,
                }),
            (None, Some(caseload), Some(unit_cost)) => {
                let mut ok = true;
                if !(caseload.is_finite() && (0.0..=MAX_CASELOAD).contains(&caseload)) {
                    self.problem(
                        format!("{key}.caseload"),
                        format!("must be a number of plans, from 0 to 1e7 (got {caseload})"),
                    );
                    ok = false;
                }
                if !(unit_cost.is_finite() && (0.0..=MAX_UNIT_COST).contains(&unit_cost)) {
                    self.problem(
                        format!("{key}.unit_cost"),
                        format!("must be pounds per plan a year, from 0 to 1e7 (got {unit_cost})"),
                    );
                    ok = false;
                }
                ok.then_some(BudgetLine {
                    series,
                    amount: caseload * unit_cost,
                    plan: Some(PlannedCost {
                        caseload,
                        unit_cost,
                    }),
                })
            }
            _ => {
                self.problem(
                    key,
                    "give either `amount` (pounds) or both `caseload` and `unit_cost`",
                );
                None
            }
        }
    }
}
