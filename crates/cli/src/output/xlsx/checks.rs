//! The Checks sheet: the totals of the workbook reconciled, year by year, with the figures they
//! are the sum of: spend by placement and line, the in-year and cumulative balance, receipts, and
//! each budget's total and lines. Means add up exactly (medians do not), so the checks are on the
//! means of the simulated futures, as on the Quantiles sheet's `Mean` rows.

use dsg_montecarlo::Summary;

use super::{Formats, Res, Sheet, col, num, text, text_f};

/// One reconciliation: a total, and the sum of its parts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Check {
    /// What is checked, naming the sheet and rows.
    what: String,
    /// The financial year.
    year: String,
    /// The total as shown.
    total: f64,
    /// The sum of its parts as shown.
    parts: f64,
}

impl Check {
    /// Whether the two agree, to the rounding of adding up a few dozen figures.
    fn reconciles(&self) -> bool {
        (self.total - self.parts).abs() <= 1e-9 * (self.total.abs() + self.parts.abs()) + 1e-6
    }
}

/// The mean of `name` in year index `i`, 0 when the run has no such series.
fn mean(s: &Summary, name: &str, i: usize) -> f64 {
    s.series(name)
        .and_then(|v| v.get(i))
        .map_or(0.0, |y| y.mean)
}

/// Every check of the run.
fn checks(s: &Summary) -> Vec<Check> {
    let mut out = Vec::new();
    let provisions: Vec<String> = s
        .scenario
        .provisions
        .iter()
        .map(|p| format!("spend.{}", p.name))
        .collect();
    let receipts: Vec<&String> = s
        .series
        .keys()
        .filter(|k| k.starts_with("receipts.") && *k != "receipts.total")
        .collect();
    for (i, year) in s.scenario.years.iter().enumerate() {
        let year = year.to_string();
        let m = |name: &str| mean(s, name, i);
        let mut check = |what: &str, total: f64, parts: f64| {
            out.push(Check {
                what: what.to_string(),
                year: year.clone(),
                total,
                parts,
            });
        };
        check(
            "Quantiles, Mean: spend.placements = the sum of spend.<placement>",
            m("spend.placements"),
            provisions.iter().map(|p| m(p)).sum(),
        );
        check(
            "Quantiles, Mean: spend.total = spend.placements + spend.other_lines + spend.mitigation_costs",
            m("spend.total"),
            m("spend.placements") + m("spend.other_lines") + m("spend.mitigation_costs"),
        );
        check(
            "Quantiles, Mean: balance.in_year = funding.allocation + funding.transfer + funding.other_income - spend.total",
            m("balance.in_year"),
            m("funding.allocation") + m("funding.transfer") + m("funding.other_income")
                - m("spend.total"),
        );
        check(
            "Quantiles, Mean: receipts.total = the sum of receipts.<kind>",
            m("receipts.total"),
            receipts.iter().map(|k| m(k)).sum(),
        );
        if i > 0 {
            check(
                "Quantiles, Mean: balance.cumulative = last year's + balance.in_year + receipts.total",
                m("balance.cumulative"),
                mean(s, "balance.cumulative", i - 1) + m("balance.in_year") + m("receipts.total"),
            );
        }
    }
    budget_checks(s, &mut out);
    out
}

/// Each budget's total against its lines, and against the Quantiles sheet's spend.
fn budget_checks(s: &Summary, out: &mut Vec<Check>) {
    for b in &s.budgets {
        let year = b.year.to_string();
        let Some(i) = s.scenario.years.iter().position(|y| *y == b.year) else {
            continue;
        };
        let mut check = |what: String, total: f64, parts: f64| {
            out.push(Check {
                what,
                year: year.clone(),
                total,
                parts,
            });
        };
        check(
            "Budget: the total budget = the lines' budgets + not allocated".into(),
            b.total.budget,
            b.lines.iter().map(|l| l.budget).sum::<f64>() + b.unallocated,
        );
        check(
            "Budget: the total's forecast mean = the lines' forecast means".into(),
            b.total.outturn.mean,
            b.lines.iter().map(|l| l.outturn.mean).sum(),
        );
        check(
            "Budget and Quantiles: the total's forecast mean = spend.total's mean".into(),
            b.total.outturn.mean,
            mean(s, "spend.total", i),
        );
        for line in b.lines.iter().chain([&b.total]) {
            check(
                format!(
                    "Budget, {}: variance mean = forecast mean - budget",
                    line.label
                ),
                line.variance.mean,
                line.outturn.mean - line.budget,
            );
            if let Some(p) = &line.planned {
                check(
                    format!("Budget, {}: variance mean = volume + price", line.label),
                    line.variance.mean,
                    p.volume + p.price,
                );
            }
        }
    }
}

/// The Checks sheet.
pub(super) fn checks_sheet(ws: &mut Sheet, f: &Formats, s: &Summary, source: &str) -> Res {
    ws.set_name("Checks")?;
    let headers = [
        ("Check", 90),
        ("Year", 9),
        ("Total (£)", 16),
        ("Sum of its parts (£)", 18),
        ("Difference (£)", 14),
        ("Reconciles", 11),
    ];
    for (c, (h, w)) in headers.iter().enumerate() {
        ws.set_column_width(col(c), *w)?;
        text_f(ws, 0, c, h, &f.header)?;
    }
    ws.set_freeze_panes(1, 2)?;
    let all = checks(s);
    for (k, check) in all.iter().enumerate() {
        let r = k + 1;
        text(ws, r, 0, &check.what)?;
        text(ws, r, 1, &check.year)?;
        num(ws, r, 2, check.total, &f.pounds)?;
        num(ws, r, 3, check.parts, &f.pounds)?;
        num(ws, r, 4, check.total - check.parts, &f.pounds)?;
        text(ws, r, 5, if check.reconciles() { "yes" } else { "NO" })?;
    }
    let r = all.len() + 2;
    text_f(
        ws,
        r,
        0,
        "Units: pounds (cells hold exact pounds). Checks are on the means of the simulated futures, which add up exactly; medians and percentiles do not add up across lines.",
        &f.note,
    )?;
    text_f(ws, r + 1, 0, source, &f.note)?;
    Ok(())
}
