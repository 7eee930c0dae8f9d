//! Section 1, the likely overspend: the headline figures in plain English, the fan chart,
//! funding against spend, and where the central plan stands among the simulated futures.

use dsg_montecarlo::{BudgetResult, Summary, YearStats};
use dsg_plot::Chart;

use dsg_core::money::format_pounds;

use super::{stats, year_end};
use crate::headline::{likelihood, override_index};
use crate::html::{Src, chance, chart, deficit, lacking, pounds};
use crate::{Report, ReportError};

pub(crate) fn html(r: &Report<'_>) -> Result<String, ReportError> {
    let summary = r.summary;
    let i = override_index(summary);
    let missing = || ReportError::Missing("the cumulative balance".to_string());
    let (at, src) = stats(summary, "balance.cumulative", i).ok_or_else(missing)?;
    let when = year_end(at.year);
    let mut out = key_messages(summary, i, (at, &src));
    out.push_str(&fan_chart(summary)?);
    out.push_str(&funding_chart(summary)?);
    out.push_str(&central_plan(summary, i, &when)?);
    Ok(out)
}

/// The key messages: each budget against the forecast, the likely deficit when the override
/// ends and its range, the chance it exceeds the reserves, the events much turns on, and the
/// deficit at the end of the forecast (`at`: the cumulative balance in year `i`, the override's
/// end).
fn key_messages(summary: &Summary, i: usize, (at, src): (&YearStats, &Src)) -> String {
    let mut messages: Vec<String> = Vec::new();
    for (b, budget) in summary.budgets.iter().enumerate() {
        messages.push(budget_message(budget, &Src::summary().at("budgets").at(b)));
    }
    let when = year_end(at.year);
    let ends = if at.year == summary.scenario.override_ends {
        format!("{when}, when the statutory override ends")
    } else {
        when.clone()
    };
    if !summary.scenario.opening_balance_known {
        return unknown_balance(summary, i, messages);
    }
    messages.push(format!(
        "By {ends}, the cumulative DSG deficit is most likely to be about {} (the median); in 9 futures out of 10 it lies between {} and {}.",
        deficit(at.p50, &src.at("p50")),
        deficit(at.p95, &src.at("p95")),
        deficit(at.p5, &src.at("p5")),
    ));
    if let (Some(p), Some((reserves, rsrc))) = (
        summary.probabilities.deficit_exceeds_reserves.get(i),
        stats(summary, "general_fund.usable_reserves", i),
    ) {
        let psrc = Src::summary()
            .at("probabilities")
            .at("deficit_exceeds_reserves")
            .at(i)
            .at("probability");
        messages.push(format!(
            "That the deficit is then larger than the council's usable reserves (median {}) is {} ({}): once the override ends, a deficit the reserves cannot cover threatens the council's general finances.",
            pounds(reserves.p50, &rsrc.at("p50")),
            likelihood(p.probability),
            chance(p.probability, &psrc),
        ));
    }
    for (k, split) in summary.splits.iter().enumerate() {
        // The reform at phase transfer acts only from 2029-30: told at the end of the forecast.
        let at_i = if split.key.starts_with("reform.") {
            split.years.len().saturating_sub(1)
        } else {
            i
        };
        let Some(y) = split.years.get(at_i) else {
            continue;
        };
        let when = if at_i == i {
            when.clone()
        } else {
            year_end(y.year)
        };
        let (Some(yes), Some(no)) = (y.happens, y.not) else {
            continue;
        };
        if (yes.balance.p50 - no.balance.p50).abs() < 50_000.0 {
            continue;
        }
        let ysrc = Src::summary().at("splits").at(k).at("years").at(at_i);
        messages.push(format!(
            "Much turns on whether {} (taken as {} likely): if so, the median deficit at {when} is {}; if not, {}.",
            crate::html::escape(&split.label),
            chance(split.probability, &Src::summary().at("splits").at(k).at("probability")),
            deficit(yes.balance.p50, &ysrc.at("happens").at("balance").at("p50")),
            deficit(no.balance.p50, &ysrc.at("not").at("balance").at("p50")),
        ));
    }
    if let Some(last) = summary.series("balance.cumulative").and_then(|v| v.last())
        && last.year != at.year
    {
        let k = summary.scenario.years.len() - 1;
        let lsrc = Src::summary().at("series").at("balance.cumulative").at(k);
        messages.push(format!(
            "By {}, the end of the forecast, the median deficit is {}; in 9 futures out of 10 it lies between {} and {}.",
            year_end(last.year),
            deficit(last.p50, &lsrc.at("p50")),
            deficit(last.p95, &lsrc.at("p95")),
            deficit(last.p5, &lsrc.at("p5")),
        ));
    }
    let mut out = String::from("<div class=\"key-messages\">\n<h3>Key messages</h3>\n<ul>\n");
    for m in &messages {
        out.push_str(&format!("<li>{m}</li>\n"));
    }
    out.push_str("</ul>\n</div>\n");
    if summary.budgets.is_empty() {
        out.push_str(&lacking(
            "The scenario sets no budget (<code>[[budget]]</code>), so the forecast cannot be set against one: the figures here are the deficit.",
        ));
    }

    out
}

/// The key messages when the council's opening balance is not known (not published per
/// council): the in-year deficit, and no cumulative deficit stated.
fn unknown_balance(summary: &Summary, i: usize, mut messages: Vec<String>) -> String {
    if let Some((y, src)) = stats(summary, "balance.in_year", i) {
        messages.push(format!(
            "In {}, the in-year high-needs deficit is most likely to be about {} (the median); in 9 futures out of 10 it lies between {} and {}.",
            y.year,
            deficit(y.p50, &src.at("p50")),
            deficit(y.p95, &src.at("p95")),
            deficit(y.p5, &src.at("p5")),
        ));
    }
    messages.push(format!(
        "The council's DSG balance at 31 March {} is not known (it is not published per council), so this report states no cumulative deficit: the cumulative figures in the charts and tables count only what builds up after that date.",
        summary.scenario.base_year.end_year()
    ));
    let mut out = String::from("<div class=\"key-messages\">\n<h3>Key messages</h3>\n<ul>\n");
    for m in &messages {
        out.push_str(&format!("<li>{m}</li>\n"));
    }
    out.push_str("</ul>\n</div>\n");
    out
}

/// Figure 1, the fan chart of the cumulative deficit, with its description.
fn fan_chart(summary: &Summary) -> Result<String, ReportError> {
    let mut out = String::new();
    let first = stats(summary, "balance.cumulative", 0).map(|(y, _)| y.p50);
    let last = summary
        .series("balance.cumulative")
        .and_then(|v| v.last())
        .map(|y| (y.year, y.p50, y.p5, y.p95));
    if let (Some(svg), Some(first), Some((ly, lp50, lp5, lp95))) =
        (Chart::Fan.to_svg_string(summary)?, first, last)
    {
        out.push_str(&chart(
            &svg,
            "fan-chart",
            &format!(
                "Fan chart of the cumulative DSG deficit by year. The median deficit moves from {} at the end of the first year to {} by {}, with the 90% range at that point from {} to {}. The statutory override's end and the usable reserves are marked.",
                format_pounds(-first),
                format_pounds(-lp50),
                year_end(ly),
                format_pounds(-lp95),
                format_pounds(-lp5)
            ),
            "Figure 1. The range of outcomes for the cumulative deficit. The darkest band holds half of the simulated futures, the lighter bands 8 and 9 in 10; the line in the middle is the median. The dashed line is the central plan, with every input at its central value.",
        ));
    }

    Ok(out)
}

/// Figure 2, funding against spend, with its description.
fn funding_chart(summary: &Summary) -> Result<String, ReportError> {
    let mut out = String::new();
    let (alloc, spend) = (
        summary.series("funding.allocation"),
        summary.series("spend.total"),
    );
    if let (Some(svg), Some(a), Some(s)) = (
        Chart::FundingVsSpend.to_svg_string(summary)?,
        alloc.and_then(|v| v.last()),
        spend.and_then(|v| v.last()),
    ) {
        out.push_str(&chart(
            &svg,
            "funding-vs-spend",
            &format!(
                "Line chart of the high-needs allocation against high-needs spend by year. By {}, median spend is {} against an allocation of {}.",
                a.year,
                format_pounds(s.p50),
                format_pounds(a.p50)
            ),
            "Figure 2. High-needs funding against spend. The gap between the lines is the yearly shortfall that adds to the deficit.",
        ));
    }

    Ok(out)
}

/// Where the central plan stands among the futures in year `i`, and Figure 3, the S-curve.
fn central_plan(summary: &Summary, i: usize, when: &str) -> Result<String, ReportError> {
    let mut out = String::new();
    let plan = summary
        .central
        .get("balance.cumulative")
        .and_then(|c| c.get(i))
        .zip(
            summary
                .central_rank
                .get("balance.cumulative")
                .and_then(|c| c.get(i)),
        );
    if let Some((&central, &worse)) = plan {
        let csrc = Src::summary().at("central").at("balance.cumulative").at(i);
        let rsrc = Src::summary()
            .at("central_rank")
            .at("balance.cumulative")
            .at(i);
        out.push_str(&format!(
            "<h3>Where the central plan stands</h3>\n<p>A spreadsheet forecast sets every input at its central value. Done that way, this forecast gives a deficit of {} at {when}. Among the simulated futures, {} are worse than that plan: a single central figure {} the risk.</p>\n",
            deficit(central, &csrc),
            chance(worse, &rsrc),
            if worse > 0.5 { "understates" } else { "does not understate" },
        ));
        if let Some(svg) = Chart::SCurve.to_svg_string(summary)? {
            out.push_str(&chart(
                &svg,
                "s-curve",
                &format!(
                    "S-curve of the chance that the deficit at {when} is at most each amount, with the median, the P80 (a 1 in 5 chance of worse) and the central plan of {} marked.",
                    format_pounds(-central)
                ),
                "Figure 3. How likely each size of deficit is. Read across from a chance to the deficit that will not be exceeded with that chance.",
            ));
        }
    }
    Ok(out)
}

/// The key message of one budget: forecast against budget, the chance of an overspend and its
/// likely size and range.
fn budget_message(b: &BudgetResult, src: &Src) -> String {
    let t = &b.total;
    let tsrc = src.at("total");
    let v = &t.variance;
    let vsrc = tsrc.at("variance");
    let size = if v.p50 >= 0.0 {
        format!("the likely overspend is {}", pounds(v.p50, &vsrc.at("p50")))
    } else {
        format!(
            "the most likely outcome is an underspend of {}",
            crate::html::figure(v.p50, &vsrc.at("p50"), crate::html::Format::Pounds, -1.0)
        )
    };
    format!(
        "High-needs spend in {} is forecast at {} (median) against a budget of {}. An overspend is {} ({}); {size}, and in 8 futures out of 10 the outcome lies between {} and {}.",
        b.year,
        pounds(t.outturn.p50, &tsrc.at("outturn").at("p50")),
        pounds(t.budget, &tsrc.at("budget")),
        likelihood(t.overspend_probability),
        chance(t.overspend_probability, &tsrc.at("overspend_probability")),
        variance_words(v.p10, &vsrc.at("p10")),
        variance_words(v.p90, &vsrc.at("p90")),
    )
}

/// A variance in words (a committee reads "-£5.2m" as a typo): "an overspend of £17.9m", "an
/// underspend of £5.2m", or "on budget".
fn variance_words(variance: f64, src: &Src) -> String {
    use crate::html::{Format, figure};
    if variance > 0.0 {
        format!(
            "an overspend of {}",
            figure(variance, src, Format::Pounds, 1.0)
        )
    } else if variance < 0.0 {
        format!(
            "an underspend of {}",
            figure(variance, src, Format::Pounds, -1.0)
        )
    } else {
        format!("on budget ({})", figure(variance, src, Format::Pounds, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::variance_words;
    use crate::html::Src;

    #[test]
    fn a_variance_is_an_overspend_or_an_underspend_in_words() {
        let src = Src::summary().at("v");
        let under = variance_words(-5_200_000.0, &src);
        assert!(
            under.starts_with("an underspend of <data value=\"-5200000\""),
            "{under}"
        );
        assert!(
            under.contains(">£5.2m</data>") && !under.contains("-£"),
            "{under}"
        );
        let over = variance_words(17_900_000.0, &src);
        assert!(
            over.starts_with("an overspend of ") && over.contains(">£17.9m</data>"),
            "{over}"
        );
    }
}
