//! Section 2, which areas overspend: variance against budget by line with its chance, volume
//! and price; spend by provision; the fastest-growing lines; what drives the uncertainty.

use dsg_montecarlo::{BudgetLineResult, BudgetResult};
use dsg_plot::Chart;

use dsg_core::money::format_pounds;

use super::year_end;
use crate::html::{Format, Src, Table, chance, chart, escape, figure, lacking, para, pounds};
use crate::{ANALYSIS_FILE, Report, ReportError};

pub(crate) fn html(r: &Report<'_>) -> Result<String, ReportError> {
    let summary = r.summary;
    let mut out = String::new();
    if summary.budgets.is_empty() {
        out.push_str(&lacking(
            "The scenario sets no budget (<code>[[budget]]</code>), so no line can be set against one; spend by provision and its growth follow.",
        ));
    }
    for (b, budget) in summary.budgets.iter().enumerate() {
        out.push_str(&budget_table(budget, &Src::summary().at("budgets").at(b)));
    }
    if let Some(svg) = Chart::SpendByProvision.to_svg_string(summary)? {
        out.push_str(&chart(
            &svg,
            "spend-by-provision",
            "Stacked bar chart of median placement spend by provision in each year of the forecast.",
            "Figure 4. Where the money goes: median spend on placements by provision, each year.",
        ));
    }
    out.push_str(&growth_table(r));
    out.push_str(&drivers(r)?);
    Ok(out)
}

/// Variance by line of one budget.
fn budget_table(b: &BudgetResult, src: &Src) -> String {
    let mut out = format!("<h3>Forecast against the {} budget</h3>\n", b.year);
    let over: Vec<(usize, &BudgetLineResult)> = {
        let mut v: Vec<(usize, &BudgetLineResult)> = b
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.variance.mean > 0.0 && l.overspend_probability >= 0.5)
            .collect();
        v.sort_by(|a, b| b.1.variance.mean.total_cmp(&a.1.variance.mean));
        v
    };
    if over.is_empty() {
        out.push_str(&para("No line is more likely than not to overspend."));
    } else {
        let named: Vec<String> = over
            .iter()
            .take(3)
            .map(|(k, l)| {
                let lsrc = src.at("lines").at(k);
                format!(
                    "{} (mean overspend {}, chance {})",
                    escape(&l.label),
                    pounds(l.variance.mean, &lsrc.at("variance").at("mean")),
                    chance(l.overspend_probability, &lsrc.at("overspend_probability"))
                )
            })
            .collect();
        out.push_str(&para(&format!(
            "The largest overspends are forecast in {}.",
            join(&named)
        )));
    }
    let mut rows = Vec::new();
    for (k, l) in b.lines.iter().enumerate() {
        rows.push(line_row(l, &src.at("lines").at(k)));
    }
    if b.unallocated > 0.0 {
        rows.push(vec![
            "Not allocated to a line (contingency)".to_string(),
            pounds(b.unallocated, &src.at("unallocated")),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    let mut total = line_row(&b.total, &src.at("total"));
    total[0] = "Total high-needs budget".to_string();
    rows.push(total);
    let table = Table {
        caption: format!(
            "Forecast outturn against budget by line, {} (positive variance = overspend)",
            b.year
        ),
        headers: [
            "Line",
            "Budget",
            "Forecast (median)",
            "Variance (median)",
            "Variance: 8 in 10 futures",
            "Chance of overspend",
            "Volume (mean)",
            "Price (mean)",
        ]
        .map(String::from)
        .to_vec(),
        total_rows: vec![rows.len() - 1],
        rows,
        note: Some(format!(
            "Volume is the cost of more or fewer plans than budgeted, at the budgeted cost per plan; price is the cost of paying more or less per plan than budgeted, on the plans there are. They are shown where the budget gives planned numbers and costs, and add up to the mean variance. {}",
            if b.source.is_empty() {
                String::new()
            } else {
                format!("Budget: {}.", escape(&b.source))
            }
        )),
        ..Table::default()
    };
    out.push_str(&table.html());
    out
}

/// One line's row: budget, median outturn, variance median and 80% range, chance, volume, price.
fn line_row(l: &BudgetLineResult, src: &Src) -> Vec<String> {
    let v = &l.variance;
    let vsrc = src.at("variance");
    let class = if v.p50 > 0.0 { "over" } else { "under" };
    let (volume, price) = match &l.planned {
        Some(p) => (
            pounds(p.volume, &src.at("planned").at("volume")),
            pounds(p.price, &src.at("planned").at("price")),
        ),
        None => ("–".to_string(), "–".to_string()),
    };
    vec![
        escape(&l.label),
        pounds(l.budget, &src.at("budget")),
        pounds(l.outturn.p50, &src.at("outturn").at("p50")),
        format!(
            "<span class=\"{class}\">{}</span>",
            pounds(v.p50, &vsrc.at("p50"))
        ),
        format!(
            "{} to {}",
            pounds(v.p10, &vsrc.at("p10")),
            pounds(v.p90, &vsrc.at("p90"))
        ),
        chance(l.overspend_probability, &src.at("overspend_probability")),
        volume,
        price,
    ]
}

/// Provisions by the growth of their median spend over the forecast, fastest first.
fn growth_table(r: &Report<'_>) -> String {
    let summary = r.summary;
    let years = &summary.scenario.years;
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return String::new();
    };
    let n = years.len() - 1;
    if n == 0 {
        return String::new();
    }
    let mut rows: Vec<(f64, Vec<String>)> = Vec::new();
    for p in &summary.scenario.provisions {
        let name = format!("spend.{}", p.name);
        let Some(v) = summary.series(&name) else {
            continue;
        };
        let (Some(a), Some(b)) = (v.first(), v.last()) else {
            continue;
        };
        let s = Src::summary().at("series").at(&name);
        let growth = if a.p50 > 0.0 {
            (b.p50 / a.p50).powf(1.0 / n as f64) - 1.0
        } else {
            0.0
        };
        rows.push((
            growth,
            vec![
                escape(&p.label),
                pounds(a.p50, &s.at(0).at("p50")),
                pounds(b.p50, &s.at(n).at("p50")),
                // Derived from the two figures beside it: tagged with both and the formula.
                format!(
                    r#"<data value="{growth}" data-src="{} {}" data-formula="yearly-growth:{n}" data-format="percent">{}</data>"#,
                    escape(&s.at(0).at("p50").to_string()),
                    escape(&s.at(n).at("p50").to_string()),
                    escape(&Format::Percent.show(growth))
                ),
            ],
        ));
    }
    if rows.is_empty() {
        return String::new();
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    let table = Table {
        caption: format!("Median spend by provision, {first} and {last}, fastest-growing first"),
        headers: vec![
            "Provision".into(),
            format!("{first}"),
            format!("{last}"),
            "Average growth a year".into(),
        ],
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        ..Table::default()
    };
    format!("<h3>The fastest-growing lines</h3>\n{}", table.html())
}

/// What drives the uncertainty: the tornado chart and the main inputs, from the sensitivity
/// analysis of the deficit when the override ends.
fn drivers(r: &Report<'_>) -> Result<String, ReportError> {
    let mut out = String::from("<h3>What drives the uncertainty</h3>\n");
    let Some(analysed) = r.sensitivity.filter(|s| !s.is_empty()) else {
        out.push_str(&lacking(
            "What drives the uncertainty was not analysed for this report (run it with the sensitivity analysis, <code>dsg report</code> does by default).",
        ));
        return Ok(out);
    };
    let s = &analysed[0];
    if s.inputs.is_empty() {
        out.push_str(&lacking(
            "No input of the scenario is uncertain, so nothing drives a spread in the deficit.",
        ));
        return Ok(out);
    }
    let src = Src::of(ANALYSIS_FILE).at(0);
    out.push_str(&para(&format!(
        "The inputs below explain most of the spread in the deficit at {} (median {}, from {} simulated futures). For each, the median deficit is shown in the futures where the input is in its lowest tenth and in its highest tenth.",
        year_end(s.year),
        figure(s.median, &src.at("median"), Format::Pounds, -1.0),
        dsg_core::money::group_thousands(&s.paths.to_string()),
    )));
    let rows: Vec<Vec<String>> = s
        .inputs
        .iter()
        .enumerate()
        .take(6)
        .map(|(k, input)| {
            let isrc = src.at("inputs").at(k);
            vec![
                escape(&input.label),
                chance(input.contribution, &isrc.at("contribution")),
                figure(input.swing_low, &isrc.at("swing_low"), Format::Pounds, -1.0),
                figure(
                    input.swing_high,
                    &isrc.at("swing_high"),
                    Format::Pounds,
                    -1.0,
                ),
            ]
        })
        .collect();
    out.push_str(
        &Table {
            caption: format!("The main drivers of the deficit at {}", year_end(s.year)),
            headers: vec![
                "Input".into(),
                "Share of the spread it explains".into(),
                "Median deficit if input in lowest tenth".into(),
                "Median deficit if input in highest tenth".into(),
            ],
            rows,
            note: Some(
                "Shares are of the variance each input explains on its own; inputs that act together can add up to more or less than the whole."
                    .to_string(),
            ),
            ..Table::default()
        }
        .html(),
    );
    let svg = dsg_plot::tornado_svg(s, r.summary)?;
    let top = s
        .inputs
        .first()
        .map(|i| format!(" The widest bar is {}.", i.label))
        .unwrap_or_default();
    out.push_str(&chart(
        &svg,
        "tornado",
        &format!(
            "Tornado chart: for each uncertain input, the median deficit at {} when the input is low and when it is high, widest swing first.{top} The median deficit overall is {}.",
            year_end(s.year),
            format_pounds(-s.median)
        ),
        "Figure 5. What drives the uncertainty: the longer the bar, the more the deficit depends on that input.",
    ));
    Ok(out)
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
