//! The Budget sheet: each approved budget (`[[budget]]`) against the forecast outturn, one row per
//! line, with the figures of the committee report's "which areas overspend" table and of
//! `summary.json`'s `budgets`.

use dsg_montecarlo::{BudgetLineResult, Summary};

use super::{Formats, Res, Sheet, col, num, text, text_f};

/// The columns after Year and Line: header (with its unit), and how to read the value and its
/// format from a line.
type Column = (&'static str, fn(&BudgetLineResult) -> Option<f64>, Kind);

/// How a column's cells are formatted.
#[derive(Clone, Copy)]
enum Kind {
    Money,
    Percent,
    PercentSe,
    Pounds,
    Plans,
}

const COLUMNS: [Column; 16] = [
    ("Budget (£m)", |l| Some(l.budget), Kind::Money),
    ("Forecast median (£m)", |l| Some(l.outturn.p50), Kind::Money),
    ("Forecast mean (£m)", |l| Some(l.outturn.mean), Kind::Money),
    ("Central plan (£m)", |l| Some(l.central), Kind::Money),
    ("Variance P10 (£m)", |l| Some(l.variance.p10), Kind::Money),
    (
        "Variance median (£m)",
        |l| Some(l.variance.p50),
        Kind::Money,
    ),
    ("Variance P90 (£m)", |l| Some(l.variance.p90), Kind::Money),
    ("Variance mean (£m)", |l| Some(l.variance.mean), Kind::Money),
    (
        "Central plan variance (£m)",
        |l| Some(l.central_variance),
        Kind::Money,
    ),
    (
        "Chance of overspend (%)",
        |l| Some(l.overspend_probability),
        Kind::Percent,
    ),
    (
        "Volume, mean (£m)",
        |l| l.planned.map(|p| p.volume),
        Kind::Money,
    ),
    (
        "Price, mean (£m)",
        |l| l.planned.map(|p| p.price),
        Kind::Money,
    ),
    (
        "Plans budgeted (plans)",
        |l| l.planned.map(|p| p.caseload),
        Kind::Plans,
    ),
    (
        "Plans forecast, mean (plans)",
        |l| l.planned.map(|p| p.caseload_mean),
        Kind::Plans,
    ),
    (
        "Cost per plan budgeted (£)",
        |l| l.planned.map(|p| p.unit_cost),
        Kind::Pounds,
    ),
    (
        "Chance of overspend: standard error (%)",
        |l| Some(l.overspend_se),
        Kind::PercentSe,
    ),
];

/// Whether the run has a budget to show.
pub(super) fn applies(s: &Summary) -> bool {
    !s.budgets.is_empty()
}

pub(super) fn budget_sheet(ws: &mut Sheet, f: &Formats, s: &Summary, source: &str) -> Res {
    ws.set_name("Budget")?;
    ws.set_column_width(0, 9)?;
    ws.set_column_width(1, 44)?;
    text_f(ws, 0, 0, "Year", &f.header)?;
    text_f(ws, 0, 1, "Line", &f.header)?;
    for (c, (header, _, _)) in COLUMNS.iter().enumerate() {
        ws.set_column_width(col(2 + c), 14)?;
        text_f(ws, 0, 2 + c, header, &f.header_right)?;
    }
    ws.set_freeze_panes(1, 2)?;
    let mut r = 1;
    for b in &s.budgets {
        let year = b.year.to_string();
        for line in &b.lines {
            line_row(ws, f, r, &year, &line.label, line)?;
            r += 1;
        }
        if b.unallocated > 0.0 {
            text(ws, r, 0, &year)?;
            text(ws, r, 1, "Not allocated to a line (contingency)")?;
            num(ws, r, 2, b.unallocated, &f.money)?;
            r += 1;
        }
        line_row(ws, f, r, &year, "Total high-needs budget", &b.total)?;
        r += 1;
    }
    r += 1;
    let sources: Vec<String> = s
        .budgets
        .iter()
        .filter(|b| !b.source.is_empty())
        .map(|b| format!("{}: {}", b.year, b.source))
        .collect();
    let notes = [
        "Money in £m with one decimal (cells hold pounds); chances as percentages of the simulated futures; plans as counts.".to_string(),
        "Variance = forecast outturn - budget: positive = an overspend. P10 to P90 holds the variance in 8 futures out of 10.".to_string(),
        "Volume is the cost of more or fewer plans than budgeted, at the budgeted cost per plan; price is the cost of paying more or less per plan than budgeted, on the plans there are. They are shown where the budget gives planned numbers and costs, and add up to the mean variance.".to_string(),
        "Central plan = every uncertain input at its central value.".to_string(),
        format!("Budget: {}.", sources.join("; ")),
        "The Checks sheet reconciles each total with its lines and with the Quantiles sheet's spend.".to_string(),
        source.to_string(),
    ];
    for note in notes.iter().filter(|n| n.as_str() != "Budget: .") {
        text_f(ws, r, 1, note, &f.note)?;
        r += 1;
    }
    Ok(())
}

/// One line's row.
fn line_row(
    ws: &mut Sheet,
    f: &Formats,
    r: usize,
    year: &str,
    label: &str,
    line: &BudgetLineResult,
) -> Res {
    text(ws, r, 0, year)?;
    text(ws, r, 1, label)?;
    for (c, (_, value, kind)) in COLUMNS.iter().enumerate() {
        let fmt = match kind {
            Kind::Money => &f.money,
            Kind::Percent => &f.percent,
            Kind::PercentSe => &f.percent_se,
            Kind::Pounds => &f.pounds,
            Kind::Plans => &f.plans,
        };
        if let Some(x) = value(line) {
            num(ws, r, 2 + c, x, fmt)?;
        }
    }
    Ok(())
}
