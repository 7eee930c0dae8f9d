//! The S-curve: the chance the cumulative deficit is at most each amount, with the P50 and P80
//! budgets marked and the central plan placed on it (docs/model.md section 7; public bodies quote
//! budgets at P50 and P80).

use dsg_core::money::format_pounds;
use dsg_core::{FinancialYear, Series, SeriesKey};
use dsg_montecarlo::Summary;
use dsg_montecarlo::summary::Exceedance;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::PlotError;
use crate::axes::{Axis, Chart2d, Grid, build};
use crate::charts::label_at;
use crate::data::{extent, m, year_end};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, draw_frame};
use crate::theme::{Theme, colour, size};

/// Title of the S-curve.
pub(crate) const TITLE: &str = "How large a deficit to plan for: the S-curve";

/// The deficit (£m) with a chance `p` of not being exceeded, read off an exceedance curve.
fn deficit_at(c: &Exceedance, p: f64) -> Option<f64> {
    // Exceedance points hold the chance of a larger deficit: P(deficit <= x) = 1 - that.
    c.points
        .iter()
        .min_by(|a, b| {
            ((1.0 - a.probability) - p)
                .abs()
                .total_cmp(&((1.0 - b.probability) - p).abs())
        })
        .map(|pt| m(pt.deficit))
}

/// The central plan's deficit (£m) in `year` and its place on that year's curve (the chance, in
/// percent, of a deficit no larger).
fn plan(summary: &Summary, year: FinancialYear) -> Option<(f64, f64)> {
    let key = SeriesKey::mitigated(Series::Cumulative);
    let i = summary.scenario.years.iter().position(|y| *y == year)?;
    let deficit = -summary.central_of(key)?.get(i)?;
    let below = summary.central_rank.get("balance.cumulative")?.get(i)?;
    // A lower balance is a larger deficit: the plan's chance of not being exceeded.
    Some((m(deficit), (1.0 - below) * 100.0)).filter(|(d, p)| d.is_finite() && p.is_finite())
}

/// The curve at the end of the statutory override in green, any other in blue.
fn colour_of(summary: &Summary, c: &Exceedance) -> RGBColor {
    if c.year == summary.scenario.override_ends {
        colour::GREEN
    } else {
        colour::BLUE
    }
}

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<(), PlotError> {
    let theme = Theme::ready(area)?;
    let curves: Vec<&Exceedance> = summary
        .exceedance
        .iter()
        .filter(|c| !c.points.is_empty())
        .collect();
    if curves.is_empty() {
        return Err(PlotError::NoData(
            "the summary has no distribution of the deficit".to_string(),
        ));
    }
    let (lo, hi) = extent(
        curves
            .iter()
            .flat_map(|c| c.points.iter().map(|p| m(p.deficit)))
            .chain(
                curves
                    .iter()
                    .filter_map(|c| plan(summary, c.year).map(|p| p.0)),
            )
            .chain([0.0]),
    )
    .ok_or_else(|| PlotError::NoData("no finite deficits".to_string()))?;
    let x = Axis::nice(lo.min(0.0), hi * 1.05, 7, true, "Cumulative deficit, £m");
    let mut y = Axis::nice(0.0, 100.0, 5, false, "Chance the deficit is at most this");
    y.range = 0.0..104.0;
    let (legend, message) = legend_and_message(summary, &curves);
    let plot = draw_frame(
        area,
        &theme,
        &Frame::for_run(summary, TITLE, message, legend, LegendAt::Below),
    )?;
    let mut chart = build(
        &plot,
        &theme,
        &x,
        &y,
        Grid {
            x: true,
            ..Grid::default()
        },
    )?;
    draw_levels(&mut chart, &theme, &x)?;
    for c in &curves {
        draw_curve(&mut chart, &theme, summary, c)?;
    }
    Ok(())
}

/// One legend line per curve and the central plan; the message gives each curve's P50 and P80
/// and where the central plan sits.
fn legend_and_message(summary: &Summary, curves: &[&Exceedance]) -> (Vec<LegendItem>, String) {
    let sc = &summary.scenario;
    let mut legend = Vec::new();
    let mut message = Vec::new();
    for c in curves {
        let when = if c.year == sc.override_ends {
            format!("At {}, when the statutory override ends", year_end(c.year))
        } else {
            format!("At {}", year_end(c.year))
        };
        legend.push(LegendItem::new(
            Swatch::Line {
                colour: colour_of(summary, c),
                width: 3.0,
            },
            when,
        ));
        if let (Some(p50), Some(p80)) = (deficit_at(c, 0.5), deficit_at(c, 0.8)) {
            let mut text = format!(
                "At {}: P50 {}, P80 {}",
                year_end(c.year),
                format_pounds(p50 * 1e6),
                format_pounds(p80 * 1e6)
            );
            if let Some((d, p)) = plan(summary, c.year) {
                text.push_str(&format!(
                    "; the central plan ({}) is at P{:.0}",
                    format_pounds(d * 1e6),
                    p.clamp(1.0, 99.0)
                ));
            }
            message.push(text);
        }
    }
    legend.push(LegendItem::new(
        Swatch::Marker {
            colour: colour::BLACK,
            width: 2.0,
        },
        "Central plan (every input at its central value)",
    ));
    let message = format!(
        "Read across from a level of confidence to the deficit to plan for. {}.",
        message.join(". ")
    );
    (legend, message)
}

/// The P50 and P80 levels, dashed across the chart and named at the left.
fn draw_levels<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    theme: &Theme,
    x: &Axis,
) -> Result<(), PlotError> {
    for (level, name) in [(50.0, "P50"), (80.0, "P80")] {
        chart.draw_series(DashedLineSeries::new(
            vec![(x.range.start, level), (x.range.end, level)],
            theme.px(8.0),
            theme.px(6.0),
            theme.line(colour::MUTED, 1.5),
        ))?;
        label_at(
            chart,
            (x.range.start, level),
            (theme.px(8.0), -theme.px(4.0)),
            name,
            theme
                .bold(size::LABEL)
                .color(&colour::MUTED)
                .pos(Pos::new(HPos::Left, VPos::Bottom)),
        )?;
    }
    Ok(())
}

/// One year's S-curve, its P50 and P80 deficits marked and named, and the central plan on it.
fn draw_curve<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    theme: &Theme,
    summary: &Summary,
    c: &Exceedance,
) -> Result<(), PlotError> {
    let col = colour_of(summary, c);
    chart.draw_series(LineSeries::new(
        c.points
            .iter()
            .rev()
            .map(|p| (m(p.deficit), (1.0 - p.probability) * 100.0)),
        theme.line(col, 3.0),
    ))?;
    for level in [0.5, 0.8] {
        if let Some(d) = deficit_at(c, level) {
            chart.draw_series(std::iter::once(Circle::new(
                (d, level * 100.0),
                theme.px(5.0),
                col.filled(),
            )))?;
            label_at(
                chart,
                (d, level * 100.0),
                (theme.px(8.0), theme.px(4.0)),
                &format_pounds(d * 1e6),
                theme
                    .font(size::LABEL)
                    .color(&col)
                    .pos(Pos::new(HPos::Left, VPos::Top)),
            )?;
        }
    }
    if let Some((d, p)) = plan(summary, c.year) {
        chart.draw_series(std::iter::once(Circle::new(
            (d, p),
            theme.px(7.0),
            colour::BLACK.filled(),
        )))?;
    }
    Ok(())
}
