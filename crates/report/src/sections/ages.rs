//! Part of section 4: children and young people with plans by the DSG management plan's five age
//! bands (docs/model.md section 14), when the scenario has ages: what the forecast says in words,
//! the bands year by year, and the chart.

use dsg_core::series::BY_AGE;
use dsg_montecarlo::Summary;
use dsg_plot::Chart;

use super::areas::join;
use super::{count, stats, year_end};
use crate::headline::override_index;
use crate::html::{Table, chart, para};
use crate::{Report, ReportError};

/// The bands' names in `summary.json`, youngest first (as [`BY_AGE`]).
fn names(summary: &Summary) -> Vec<String> {
    BY_AGE.iter().filter_map(|s| s.name(summary)).collect()
}

/// The bands as a reader says them, youngest first.
const SAID: [&str; 5] = [
    "under 5",
    "aged 5 to 10",
    "aged 11 to 15",
    "aged 16 to 19",
    "aged 20 to 25",
];

/// The ages part of section 4; empty when the run has no caseload by age band.
pub(crate) fn html(r: &Report<'_>) -> Result<String, ReportError> {
    let summary = r.summary;
    let names = names(summary);
    if names.len() != BY_AGE.len() || names.iter().any(|n| summary.series(n).is_none()) {
        return Ok(String::new());
    }
    let mut out = String::from("<h3>Children and young people with plans, by age</h3>\n");
    let i = override_index(summary);
    let last = summary.scenario.years.len() - 1;
    let (year, end) = (summary.scenario.years[i], summary.scenario.years[last]);
    let mut said = Vec::new();
    let at = |t: usize| -> Vec<String> {
        names
            .iter()
            .zip(SAID)
            .filter_map(|(n, words)| {
                let (y, src) = stats(summary, n, t)?;
                Some(format!("{} {words}", count(y.p50, &src.at("p50"))))
            })
            .collect()
    };
    said.push(format!(
        "By {}, the median forecast is {} (plans at 31 March, the management plan's age bands).",
        year_end(year),
        join(&at(i))
    ));
    if last != i {
        said.push(format!("By {}: {}.", year_end(end), join(&at(last))));
    }
    if let Some(reform) = r.scenario.reform() {
        said.push(format!(
            "The reform of September {} reviews plans when children reach 5, 11 and 16, so it acts on the bands that start there, from {} on.",
            r.scenario.year(reform.from).start_year(),
            r.scenario.year(reform.from),
        ));
    }
    out.push_str(&para(&said.join(" ")));
    out.push_str(&table(summary, &names));
    if let Some(svg) = Chart::ByAge.to_svg_string(summary)? {
        out.push_str(&chart(
            &svg,
            "ages-chart",
            "Chart of the plans in each of the five age bands by year: the median of each, with the range of 8 in 10 simulated futures.",
            "Figure 8b. Children and young people with plans, by age band.",
        ));
    }
    Ok(out)
}

/// The bands year by year (medians) and, in the last row, the range of 8 in 10 futures at the
/// horizon.
fn table(summary: &Summary, names: &[String]) -> String {
    let mut headers = vec!["Year".to_string()];
    headers.extend(BY_AGE.iter().map(|s| s.row().short.to_string()));
    let mut rows: Vec<Vec<String>> = summary
        .scenario
        .years
        .iter()
        .enumerate()
        .map(|(t, y)| {
            let mut row = vec![y.to_string()];
            row.extend(names.iter().map(|n| {
                stats(summary, n, t)
                    .map_or("–".to_string(), |(s, src)| count(s.p50, &src.at("p50")))
            }));
            row
        })
        .collect();
    let last = summary.scenario.years.len() - 1;
    let mut range = vec![format!("{}: 8 in 10 futures", summary.scenario.years[last])];
    range.extend(names.iter().map(|n| {
        stats(summary, n, last).map_or("–".to_string(), |(s, src)| {
            format!(
                "{} to {}",
                count(s.p10, &src.at("p10")),
                count(s.p90, &src.at("p90"))
            )
        })
    }));
    rows.push(range);
    Table {
        caption: "Plans (EHCPs) at 31 March by age band (medians, with every action the scenario plans)"
            .to_string(),
        headers,
        total_rows: vec![rows.len() - 1],
        rows,
        note: Some(
            "The management plan's tables (every placement by age band, mean and quantiles) are in management-plan.xlsx."
                .to_string(),
        ),
        ..Table::default()
    }
    .html()
}
