//! What the mitigations change: unmitigated and mitigated fans, and each mitigation's impact.

use dsg_core::money::format_pounds;
use dsg_core::{FinancialYear, Series, SeriesKey};
use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use crate::PlotError;
use crate::axes::{Axis, Grid, build};
use crate::charts::bars::RowChart;
use crate::charts::{Deficits, panel_title, vertical_marker};
use crate::data::{extent, humanize, m, series, year_end};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, draw_frame};
use crate::theme::{Theme, colour, size};

/// Title of the mitigations chart.
pub(crate) const TITLE: &str = "What the mitigations change";

const BAND_ALPHA: f64 = 0.25;

/// Whether the summary has mitigations to show.
pub(crate) fn applies(summary: &Summary) -> bool {
    !summary.scenario.mitigations.is_empty()
}

/// What one mitigation alone takes off the deficit at the horizon (£m, negative: adds to it),
/// with the others in place.
struct Impact {
    name: String,
    p10: f64,
    p50: f64,
    p90: f64,
}

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<bool, PlotError> {
    if !applies(summary) {
        return Ok(false);
    }
    let theme = Theme::ready(area)?;
    let sc = &summary.scenario;
    let with = Deficits::of(summary, SeriesKey::mitigated(Series::Cumulative))?;
    let without = Deficits::of(summary, SeriesKey::unmitigated(Series::Cumulative))?;
    let impacts = impacts(summary)?;
    let horizon = sc.years.last().copied().unwrap_or(sc.base_year);
    let flat = with.is_degenerate() && without.is_degenerate();
    let increases = impacts.iter().any(|i| i.p50 < 0.0);
    let plot = draw_frame(
        area,
        &theme,
        &Frame::for_run(
            summary,
            TITLE,
            message(&with, &without, horizon),
            legend(flat, increases),
            LegendAt::Below,
        ),
    )?;
    let (pw, _) = plot.dim_in_pixel();
    let (left, right) = plot.split_horizontally(pw as i32 * 56 / 100);
    let left = panel_title(
        &left,
        &theme,
        "Cumulative deficit with and without mitigations",
    )?;
    draw_fans(&left, &theme, summary, (&with, &without), horizon)?;
    let right = panel_title(
        &right,
        &theme,
        &format!("Reduction in the deficit at {}", year_end(horizon)),
    )?;
    draw_impacts(&right, &theme, &impacts)?;
    Ok(true)
}

/// Each mitigation's impact in the last year, in the order of the scenario.
fn impacts(summary: &Summary) -> Result<Vec<Impact>, PlotError> {
    let mut impacts = Vec::new();
    for (i, mi) in summary.scenario.mitigations.iter().enumerate() {
        let stats = series(summary, SeriesKey::impact(i))?;
        if let Some(last) = stats.last() {
            impacts.push(Impact {
                name: humanize(&mi.name),
                p10: m(last.p10),
                p50: m(last.p50),
                p90: m(last.p90),
            });
        }
    }
    Ok(impacts)
}

/// The chart's message: the median deficit at the horizon with and without the mitigations.
fn message(with: &Deficits, without: &Deficits, horizon: FinancialYear) -> String {
    let k = with.xs.len() - 1;
    let (w50, u50) = (with.q[3][k], without.q[3][k]);
    format!(
        "Median deficit at {}: {} without the mitigations, {} with them ({} {}). The bars show what each mitigation alone takes off the deficit (or, in red, adds to it), with the others in place.",
        year_end(horizon),
        format_pounds(u50 * 1e6),
        format_pounds(w50 * 1e6),
        format_pounds((u50 - w50).abs() * 1e6),
        if u50 >= w50 { "less" } else { "more" },
    )
}

/// The legend: the bands only when the futures differ (`flat`: they do not), the increase only
/// when a mitigation adds to the deficit.
fn legend(flat: bool, increases: bool) -> Vec<LegendItem> {
    let line = |colour, width| Swatch::Line { colour, width };
    let mut legend = vec![LegendItem::new(
        line(colour::VERMILLION, 3.0),
        "Without mitigations (median)",
    )];
    if !flat {
        legend.push(LegendItem::new(
            Swatch::Dashed {
                colour: colour::VERMILLION,
                width: 1.8,
            },
            "Without, 8 in 10 paths",
        ));
    }
    legend.push(LegendItem::new(
        line(colour::BLUE, 3.0),
        "With mitigations (median)",
    ));
    if !flat {
        legend.push(LegendItem::new(
            Swatch::Fill(colour::BLUE.mix(BAND_ALPHA)),
            "With, 8 in 10 paths",
        ));
    }
    legend.push(LegendItem::new(
        Swatch::Fill(colour::GREEN.to_rgba()),
        "Reduction (median)",
    ));
    // A mitigation that makes the deficit larger is not drawn as a reduction.
    if increases {
        legend.push(LegendItem::new(
            Swatch::Fill(colour::VERMILLION.to_rgba()),
            "Increase (median)",
        ));
    }
    if !flat {
        legend.push(LegendItem::new(
            line(colour::TEXT, 2.0),
            "Effect, 8 in 10 paths",
        ));
    }
    legend
}

/// The left panel: the cumulative deficit's fans with and without the mitigations.
fn draw_fans<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    summary: &Summary,
    (with, without): (&Deficits, &Deficits),
    horizon: FinancialYear,
) -> Result<(), PlotError> {
    let sc = &summary.scenario;
    let (lo, hi) = extent(with.values(1, 5).chain(without.values(1, 5)).chain([0.0]))
        .ok_or_else(|| PlotError::NoData("no finite cumulative balance".to_string()))?;
    let first = sc.base_year.start_year();
    let x = Axis::years(first, horizon.start_year(), 0.3, "Balance at 31 March");
    let y = Axis::nice(lo, hi + (hi - lo) * 0.08, 7, true, "Cumulative deficit, £m");
    let mut chart = build(area, theme, &x, &y, Grid::default())?;
    // The mitigated band filled, the unmitigated one outlined: two translucent fills would mix
    // into a third colour that means nothing.
    chart.draw_series(std::iter::once(Polygon::new(
        with.band(1, 5),
        colour::BLUE.mix(BAND_ALPHA).filled(),
    )))?;
    for k in [1, 5] {
        chart.draw_series(DashedLineSeries::new(
            without.line(k),
            theme.px(8.0),
            theme.px(5.0),
            theme.line(colour::VERMILLION, 1.8),
        ))?;
    }
    for (d, c) in [(without, colour::VERMILLION), (with, colour::BLUE)] {
        chart.draw_series(LineSeries::new(d.line(3), theme.line(c, 3.0)))?;
    }
    vertical_marker(
        &mut chart,
        theme,
        f64::from(sc.override_ends.start_year()),
        "Override ends",
        colour::MUTED,
        true,
    )
}

/// The right panel: one bar per mitigation (its median impact, green for a reduction, red for an
/// increase), its 8-in-10 range as a whisker, and the median's value.
fn draw_impacts<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    impacts: &[Impact],
) -> Result<(), PlotError> {
    let (vlo, vhi) = extent(
        impacts
            .iter()
            .flat_map(|i| [i.p10, i.p50, i.p90])
            .chain([0.0]),
    )
    .ok_or_else(|| PlotError::NoData("no finite mitigation impacts".to_string()))?;
    let mut x = Axis::nice(vlo, vhi + (vhi - vlo) * 0.22, 6, true, "£m");
    x.desc = "£m".to_string();
    let names = impacts.iter().map(|i| i.name.as_str());
    let mut bars = RowChart::build(area, theme, names, 38, &x, 3.0)?;
    for (i, impact) in impacts.iter().enumerate() {
        let fill = if impact.p50 < 0.0 {
            colour::VERMILLION
        } else {
            colour::GREEN
        };
        bars.bar(i, (0.0, impact.p50), 0.28, fill)?;
    }
    for (i, impact) in impacts.iter().enumerate() {
        let (p10, p90) = (impact.p10, impact.p90);
        let style = theme.line(colour::TEXT, 2.0);
        bars.whisker(i, (p10, p90), &[p10, p90], 0.12, style)?;
    }
    let value_font = theme.bold(size::LABEL);
    for (i, impact) in impacts.iter().enumerate() {
        bars.value(
            i,
            (impact.p50.max(impact.p90).max(0.0), theme.px(8.0)),
            &format_pounds(impact.p50 * 1e6),
            &value_font,
            HPos::Left,
        )?;
    }
    bars.finish(theme, x.range.start)
}
