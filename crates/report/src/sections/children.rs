//! Section 4, the impact on children and families: children waiting for an assessment, weeks to
//! a plan, plans on time, and children placed in independent schools for lack of a maintained
//! place, by year and under each option.

use dsg_plot::Chart;

use super::{count, stats, year_end};
use crate::headline::override_index;
use crate::html::{Format, Src, Table, chance, chart, figure, lacking, para};
use crate::{OPTIONS_FILE, Report, ReportError};

const WAITING: &str = "children.waiting";
const WEEKS: &str = "children.weeks_to_plan";
const ON_TIME: &str = "children.within_20_weeks";
const PLACED: &str = "children.placed_for_lack_of_place";

fn weeks(x: f64, src: &Src) -> String {
    figure(x, src, Format::Decimal1, 1.0)
}

pub(crate) fn html(r: &Report<'_>) -> Result<String, ReportError> {
    let summary = r.summary;
    let pipeline = summary.series(WAITING).is_some();
    let placed = summary.series(PLACED).is_some();
    let mut out = String::new();
    let ages = super::ages::html(r)?;
    if !pipeline && !placed {
        out.push_str(&lacking(
            "The scenario models neither the assessment of children's needs (<code>[assessments]</code>) nor the capacity of maintained places, so the report cannot say how children and families wait for a plan or where they are placed.",
        ));
        out.push_str(&ages);
        return Ok(out);
    }
    let i = override_index(summary);
    let year = summary.scenario.years[i];
    let mut said = Vec::new();
    if pipeline {
        if let (Some(open), Some((w, wsrc))) = (
            summary.scenario.opening_children_waiting,
            stats(summary, WAITING, i),
        ) {
            said.push(format!(
                "At 31 March {}, {} children were waiting for an assessment of their needs; with every action the scenario plans, the median is {} by {}.",
                summary.scenario.base_year.end_year(),
                count(open, &Src::summary().at("scenario").at("opening_children_waiting")),
                count(w.p50, &wsrc.at("p50")),
                year_end(year),
            ));
        }
        if let (Some((wk, wksrc)), Some((ot, otsrc))) =
            (stats(summary, WEEKS, i), stats(summary, ON_TIME, i))
        {
            said.push(format!(
                "In {year}, a family would wait a median {} weeks from request to plan, and {} of plans would be issued within the statutory 20 weeks.",
                weeks(wk.p50, &wksrc.at("p50")),
                chance(ot.p50, &otsrc.at("p50")),
            ));
        }
    } else {
        out.push_str(&lacking(
            "The scenario does not model the assessment of children's needs (<code>[assessments]</code>), so the report cannot say how many children wait for a plan or for how long.",
        ));
    }
    if placed && let Some((p, psrc)) = stats(summary, PLACED, i) {
        said.push(format!(
            "In {year}, a median {} children would be placed in independent schools because a maintained place was full.",
            count(p.p50, &psrc.at("p50")),
        ));
    }
    if !said.is_empty() {
        out.push_str(&para(&said.join(" ")));
    }
    out.push_str(&by_year(r, pipeline, placed));
    out.push_str(&by_option(r));
    if let Some(svg) = Chart::Children.to_svg_string(summary)? {
        out.push_str(&chart(
            &svg,
            "children-chart",
            "Chart of the children waiting for an assessment and the share of plans issued within 20 weeks, by year, with and without the option that changes them.",
            "Figure 8. Children waiting for an assessment, and plans issued on time.",
        ));
    }
    out.push_str(&ages);
    Ok(out)
}

/// The children's figures year by year (medians, with every planned action).
fn by_year(r: &Report<'_>, pipeline: bool, placed: bool) -> String {
    let summary = r.summary;
    let mut headers = vec!["Year".to_string()];
    if pipeline {
        headers.extend([
            "Children waiting at year end".to_string(),
            "Weeks from request to plan".to_string(),
            "Plans within 20 weeks".to_string(),
        ]);
    }
    if placed {
        headers.push("Placed in independent schools for lack of a place".to_string());
    }
    let rows = summary
        .scenario
        .years
        .iter()
        .enumerate()
        .map(|(t, y)| {
            let mut row = vec![y.to_string()];
            let cell = |name: &str, f: fn(f64, &Src) -> String| {
                stats(summary, name, t)
                    .map_or("–".to_string(), |(s, src)| f(s.p50, &src.at("p50")))
            };
            if pipeline {
                row.push(cell(WAITING, count));
                row.push(cell(WEEKS, weeks));
                row.push(cell(ON_TIME, chance));
            }
            if placed {
                row.push(cell(PLACED, count));
            }
            row
        })
        .collect();
    Table {
        caption:
            "Children and families year by year, with every action the scenario plans (medians)"
                .to_string(),
        headers,
        rows,
        ..Table::default()
    }
    .html()
}

/// The children's figures under each option.
fn by_option(r: &Report<'_>) -> String {
    let Some(o) = r.options.filter(|o| !o.options.is_empty()) else {
        return String::new();
    };
    let waiting = o.options.iter().any(|x| x.children_waiting.is_some());
    let placed = o
        .options
        .iter()
        .any(|x| x.placed_for_lack_of_place.is_some());
    if !waiting && !placed {
        return String::new();
    }
    let at = o.override_ends.unwrap_or(o.horizon);
    let mut headers = vec!["Option".to_string()];
    if waiting {
        headers.extend([
            format!("Children waiting {}", year_end(at)),
            format!("Weeks to a plan {at}"),
            format!("Plans within 20 weeks {at}"),
        ]);
    }
    if placed {
        headers.push("Placed in independent schools for lack of a place, whole forecast".into());
    }
    let src = Src::of(OPTIONS_FILE);
    let rows = o
        .options
        .iter()
        .enumerate()
        .map(|(k, x)| {
            let s = src.at("options").at(k);
            let mut row = vec![crate::html::given(&x.name)];
            let cell = |v: Option<f64>, key: &str, f: fn(f64, &Src) -> String| {
                v.map_or("–".to_string(), |v| f(v, &s.at(key)))
            };
            if waiting {
                row.push(cell(x.children_waiting, "children_waiting", count));
                row.push(cell(x.weeks_to_plan, "weeks_to_plan", weeks));
                row.push(cell(x.within_20_weeks, "within_20_weeks", chance));
            }
            if placed {
                row.push(cell(
                    x.placed_for_lack_of_place,
                    "placed_for_lack_of_place",
                    count,
                ));
            }
            row
        })
        .collect();
    Table {
        caption: "Children and families under each option (medians, same simulated futures)"
            .to_string(),
        headers,
        rows,
        ..Table::default()
    }
    .html()
}
