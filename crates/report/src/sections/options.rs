//! Section 3, the options to meet the budget limit: the goal-seek answer, the options compared
//! on the same futures, and each mitigation's effect with its delivery risk.

use dsg_analysis::goal::Lever;
use dsg_core::input::{Field, InputId, Owner};
use dsg_core::{Series, SeriesKey};
use dsg_plot::Chart;

use super::{stats, year_end};
use crate::headline::override_index;
use crate::html::{
    Format, Src, Table, chance, chart, escape, figure, given, lacking, para, pounds,
};
use crate::{GOAL_FILE, GoalAnswer, OPTIONS_FILE, Report, ReportError};

pub(crate) fn html(r: &Report<'_>) -> Result<String, ReportError> {
    let mut out = String::from("<h3>What it takes to balance the books</h3>\n");
    out.push_str(&goal(r));
    out.push_str(&options(r)?);
    out.push_str(&mitigations(r)?);
    Ok(out)
}

/// The goal-seek answer in a sentence.
fn goal(r: &Report<'_>) -> String {
    let src = Src::of(GOAL_FILE);
    match r.goal {
        None => {
            lacking("What it would take to meet the budget limit was not sought for this report.")
        }
        Some(GoalAnswer::Unreachable { target, reason }) => para(&format!(
            "No saving the model allows meets the target “{}” with the confidence asked: {}.",
            escape(target),
            given(reason)
        )),
        Some(GoalAnswer::Found(g)) => {
            let what = match &g.lever {
                Lever::Savings { from } => format!(
                    "save {} a year on high-needs spend from {from}",
                    pounds(g.value, &src.at("value"))
                ),
                Lever::Contribution { from } => format!(
                    "contribute {} a year from the general fund from {from}",
                    pounds(g.value, &src.at("value"))
                ),
                Lever::GrowthReduction { from } => format!(
                    "cut demand growth by {} points a year from {from}",
                    figure(g.value, &src.at("value"), Format::Decimal1, 100.0)
                ),
                Lever::Delivery { mitigation } => format!(
                    "deliver {} of the intended effect of {}",
                    chance(g.value, &src.at("value")),
                    escape(mitigation)
                ),
            };
            let target = if g.target.series() == SeriesKey::mitigated(Series::InYear)
                && g.target.value == 0.0
            {
                format!("no in-year DSG deficit in {}", g.target.year)
            } else {
                format!(
                    "{} {} {} in {}",
                    escape(g.target.series_name()),
                    if g.target.at_least {
                        "at least"
                    } else {
                        "at most"
                    },
                    dsg_core::money::format_pounds(g.target.value),
                    g.target.year
                )
            };
            para(&format!(
                "To be {} sure of {target} — spending no more than the year's funding, the budget limit — the council must {what} (between {} and {} allowing for the simulation's own error). Without it, the chance is {}. This is the scale of change needed; the options below are what is on the table.",
                chance(g.confidence, &src.at("confidence")),
                pounds(g.range.0, &src.at("range").at(0)),
                pounds(g.range.1, &src.at("range").at(1)),
                chance(g.without, &src.at("without")),
            ))
        }
    }
}

/// The options compared on the same futures.
fn options(r: &Report<'_>) -> Result<String, ReportError> {
    let mut out = String::from("<h3>The options compared</h3>\n");
    let Some(o) = r.options.filter(|o| !o.options.is_empty()) else {
        out.push_str(&lacking(
            "The scenario compares no options (<code>[[options]]</code>), so none can be set side by side.",
        ));
        return Ok(out);
    };
    let src = Src::of(OPTIONS_FILE);
    out.push_str(&para(&format!(
        "Each option was run on the same {} simulated futures, so the differences between them come from the options, not from chance.",
        dsg_core::money::group_thousands(&o.paths.to_string())
    )));
    // The first year after the override ends: the year the budget limit bites.
    let by = o.override_ends.and_then(|end| {
        o.options
            .first()?
            .in_year_balance_by
            .iter()
            .position(|(y, _)| *y > end)
    });
    let mut headers: Vec<String> = vec!["Option".into(), "Cost over the forecast".into()];
    if let Some(end) = o.override_ends {
        headers.push(format!("Deficit {} (median)", year_end(end)));
        headers.push("Deficit with a 1 in 5 chance of worse (P80)".into());
    }
    headers.push(format!("Deficit {} (median)", year_end(o.horizon)));
    if let Some(k) = by
        && let Some((y, _)) = o.options[0].in_year_balance_by.get(k)
    {
        headers.push(format!("Chance of no in-year deficit by {y}"));
    }
    let reserves = o.options.iter().any(|x| x.exceeds_reserves.is_some());
    if reserves {
        headers.push("Chance the deficit exceeds reserves".into());
    }
    headers.push("Deficit avoided per £1 spent".into());
    let rows = o
        .options
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let s = src.at("options").at(i);
            let mut row = vec![
                format!(
                    "<strong>{}</strong><br><span class=\"note\">{}</span>",
                    given(&x.name),
                    given(&x.description)
                ),
                pounds(x.cost, &s.at("cost")),
            ];
            if let Some((m, p80)) = x.deficit_at_override {
                row.push(pounds(m, &s.at("deficit_at_override").at(0)));
                row.push(pounds(p80, &s.at("deficit_at_override").at(1)));
            } else if o.override_ends.is_some() {
                row.extend(["–".to_string(), "–".to_string()]);
            }
            row.push(pounds(
                x.deficit_at_horizon.0,
                &s.at("deficit_at_horizon").at(0),
            ));
            if let Some(k) = by {
                row.push(
                    x.in_year_balance_by
                        .get(k)
                        .map_or("–".to_string(), |(_, p)| {
                            chance(*p, &s.at("in_year_balance_by").at(k).at(1))
                        }),
                );
            }
            if reserves {
                row.push(
                    x.exceeds_reserves
                        .map_or("–".to_string(), |p| chance(p, &s.at("exceeds_reserves"))),
                );
            }
            row.push(x.avoided_per_pound.map_or("–".to_string(), |v| {
                figure(v, &s.at("avoided_per_pound"), Format::PerPound, 1.0)
            }));
            row
        })
        .collect();
    out.push_str(
        &Table {
            caption: "The options side by side (deficits positive)".to_string(),
            headers,
            rows,
            note: Some(
                "Cost: the mean cost over the forecast of the mitigations (to the DSG and the general fund) and of any contributions; savings are not costed. Deficit avoided per £1 spent: the mean deficit at the end of the forecast against no action, per pound of cost."
                    .to_string(),
            ),
            ..Table::default()
        }
        .html(),
    );
    let who = crate::labels::who(r.scenario);
    let svg = dsg_plot::options_svg(o, &who)?;
    out.push_str(&chart(
        &svg,
        "options-chart",
        &format!(
            "Bar chart of each option's median deficit at {} with the level it has a 1 in 5 chance of exceeding, against no action, and its cost.",
            year_end(o.horizon)
        ),
        "Figure 6. The options compared on the same simulated futures.",
    ));
    Ok(out)
}

/// Each mitigation's effect on the deficit, with its delivery risk.
fn mitigations(r: &Report<'_>) -> Result<String, ReportError> {
    let s = r.scenario;
    let summary = r.summary;
    let mut out = String::from("<h3>What each planned action does, and how sure it is</h3>\n");
    if s.mitigations().is_empty() {
        out.push_str(&lacking(
            "The scenario plans no mitigations (<code>[[mitigations]]</code>).",
        ));
        return Ok(out);
    }
    let i = override_index(summary);
    let h = summary.scenario.years.len().saturating_sub(1);
    let (at, last) = (summary.scenario.years[i], summary.scenario.years[h]);
    let words_of = |owner: Owner, field: Field| -> String {
        s.params()
            .find_input(InputId::new(owner, field))
            .map(|id| crate::labels::input(s, id.index()))
            .unwrap_or_else(|| "as planned".to_string())
    };
    let mut rows = Vec::new();
    for (k, m) in s.mitigations().iter().enumerate() {
        let name = format!("mitigation.{}.impact", m.name);
        let effect = |t: usize| -> String {
            match stats(summary, &name, t) {
                Some((y, src)) => format!(
                    "{}<br><span class=\"note\">8 in 10: {} to {}</span>",
                    pounds(y.p50, &src.at("p50")),
                    pounds(y.p10, &src.at("p10")),
                    pounds(y.p90, &src.at("p90"))
                ),
                None => "–".to_string(),
            }
        };
        rows.push(vec![
            format!(
                "<strong>{}</strong><br><span class=\"note\">{}</span>",
                given(&m.name.replace('_', " ")),
                given(&m.description)
            ),
            format!(
                "<span class=\"note\">Share delivered: {}<br>Delay (years): {}</span>",
                escape(&words_of(Owner::Mitigation(k), Field::Delivery)),
                escape(&words_of(Owner::Mitigation(k), Field::SlippageYears))
            ),
            effect(i),
            effect(h),
        ]);
    }
    let mut headers = vec![
        "Action".to_string(),
        "Delivery risk (as assumed)".to_string(),
        format!("Deficit reduced by {} (median)", year_end(at)),
    ];
    headers.push(format!("Deficit reduced by {} (median)", year_end(last)));
    out.push_str(
        &Table {
            caption: "Each planned action's effect on the cumulative deficit, on the same futures"
                .to_string(),
            headers,
            rows,
            text_columns: vec![1],
            note: Some(
                "The effect is the deficit with every action less the deficit with every action but this one, path by path; its range reflects the delivery risk and the other uncertainties together."
                    .to_string(),
            ),
            ..Table::default()
        }
        .html(),
    );
    if let Some(svg) = Chart::Mitigations.to_svg_string(summary)? {
        out.push_str(&chart(
            &svg,
            "mitigations",
            "Chart of the cumulative deficit with and without the planned actions, and each action's effect on it by year.",
            "Figure 7. The planned actions: the deficit with and without them, and what each contributes.",
        ));
    }
    Ok(out)
}
