//! What the mitigations change: unmitigated and mitigated fans, and each mitigation's impact.

use dsg_core::money::format_pounds;
use dsg_core::{Series, SeriesKey};
use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::PlotError;
use crate::axes::{Axis, Grid, build};
use crate::charts::{Deficits, draw_row_labels, label_at, row_axis, row_labels, vertical_marker};
use crate::data::{extent, humanize, m, series, year_end};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, draw_frame};
use crate::theme::{Theme, colour, measure, size};

/// Title of the mitigations chart.
pub(crate) const TITLE: &str = "What the mitigations change";

const BAND_ALPHA: f64 = 0.25;

/// Whether the summary has mitigations to show.
pub(crate) fn applies(summary: &Summary) -> bool {
    !summary.scenario.mitigations.is_empty()
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
    let mut impacts = Vec::new();
    for (i, mi) in sc.mitigations.iter().enumerate() {
        let stats = series(summary, SeriesKey::impact(i))?;
        if let Some(last) = stats.last() {
            impacts.push((humanize(&mi.name), m(last.p10), m(last.p50), m(last.p90)));
        }
    }
    let horizon = sc.years.last().copied().unwrap_or(sc.base_year);
    let k = with.xs.len() - 1;
    let (w50, u50) = (with.q[3][k], without.q[3][k]);
    let message = format!(
        "Median deficit at {}: {} without the mitigations, {} with them ({} {}). The bars show what each mitigation alone takes off the deficit (or, in red, adds to it), with the others in place.",
        year_end(horizon),
        format_pounds(u50 * 1e6),
        format_pounds(w50 * 1e6),
        format_pounds((u50 - w50).abs() * 1e6),
        if u50 >= w50 { "less" } else { "more" },
    );
    let flat = with.is_degenerate() && without.is_degenerate();
    let mut legend = vec![LegendItem::new(
        Swatch::Line {
            colour: colour::VERMILLION,
            width: 3.0,
        },
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
        Swatch::Line {
            colour: colour::BLUE,
            width: 3.0,
        },
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
    if impacts.iter().any(|(_, _, p50, _)| *p50 < 0.0) {
        legend.push(LegendItem::new(
            Swatch::Fill(colour::VERMILLION.to_rgba()),
            "Increase (median)",
        ));
    }
    if !flat {
        legend.push(LegendItem::new(
            Swatch::Line {
                colour: colour::TEXT,
                width: 2.0,
            },
            "Effect, 8 in 10 paths",
        ));
    }
    let plot = draw_frame(
        area,
        &theme,
        &Frame::for_run(summary, TITLE, message, legend, LegendAt::Below),
    )?;
    let (pw, _) = plot.dim_in_pixel();
    let (left, right) = plot.split_horizontally(pw as i32 * 56 / 100);
    let panel_font = theme.bold(size::PANEL_TITLE);
    let title_h = measure(&panel_font, "Ag")?.1 + theme.px(12.0);
    let panel_title =
        |a: &DrawingArea<DB, Shift>, text: &str| -> Result<DrawingArea<DB, Shift>, PlotError> {
            a.draw(&Text::new(
                text.to_string(),
                (theme.px(14.0), theme.px(2.0)),
                panel_font
                    .color(&colour::TEXT)
                    .pos(Pos::new(HPos::Left, VPos::Top)),
            ))?;
            let (w, h) = a.dim_in_pixel();
            Ok(a.clone()
                .shrink((0, title_h), (w, h.saturating_sub(title_h as u32))))
        };

    // Left: the two fans.
    let left = panel_title(&left, "Cumulative deficit with and without mitigations")?;
    let (lo, hi) = extent(with.values(1, 5).chain(without.values(1, 5)).chain([0.0]))
        .ok_or_else(|| PlotError::NoData("no finite cumulative balance".to_string()))?;
    let first = sc.base_year.start_year();
    let x = Axis::years(first, horizon.start_year(), 0.3, "Balance at 31 March");
    let y = Axis::nice(lo, hi + (hi - lo) * 0.08, 7, true, "Cumulative deficit, £m");
    let mut chart = build(&left, &theme, &x, &y, Grid::default())?;
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
    for (d, c) in [(&without, colour::VERMILLION), (&with, colour::BLUE)] {
        chart.draw_series(LineSeries::new(d.line(3), theme.line(c, 3.0)))?;
    }
    vertical_marker(
        &mut chart,
        &theme,
        f64::from(sc.override_ends.start_year()),
        "Override ends",
        colour::MUTED,
        true,
    )?;

    // Right: one bar per mitigation, first at the top.
    let right = panel_title(
        &right,
        &format!("Reduction in the deficit at {}", year_end(horizon)),
    )?;
    let (rw, _) = right.dim_in_pixel();
    let (labels, label_w) = row_labels(
        &theme,
        impacts.iter().map(|i| i.0.as_str()),
        rw as i32 * 38 / 100,
    )?;
    let (vlo, vhi) = extent(
        impacts
            .iter()
            .flat_map(|(_, a, b, c)| [*a, *b, *c])
            .chain([0.0]),
    )
    .ok_or_else(|| PlotError::NoData("no finite mitigation impacts".to_string()))?;
    let n = impacts.len();
    let mut bx = Axis::nice(vlo, vhi + (vhi - vlo) * 0.22, 6, true, "£m");
    bx.desc = "£m".to_string();
    // At least three rows' worth of height, so that one or two bars are not slabs.
    let by = row_axis(n, 3.0);
    let mut bars = build(
        &right,
        &theme,
        &bx,
        &by,
        Grid {
            x: true,
            no_y: true,
            y_label_w: label_w,
        },
    )?;
    let row = |i: usize| (n - 1 - i) as f64;
    let half = 0.28;
    bars.draw_series(impacts.iter().enumerate().map(|(i, (_, _, p50, _))| {
        let fill = if *p50 < 0.0 {
            colour::VERMILLION
        } else {
            colour::GREEN
        };
        Rectangle::new([(0.0, row(i) - half), (*p50, row(i) + half)], fill.filled())
    }))?;
    for (i, (_, p10, _, p90)) in impacts.iter().enumerate() {
        let yv = row(i);
        let cap = 0.12;
        let style = theme.line(colour::TEXT, 2.0);
        bars.draw_series(LineSeries::new(vec![(*p10, yv), (*p90, yv)], style))?;
        bars.draw_series(LineSeries::new(
            vec![(*p10, yv - cap), (*p10, yv + cap)],
            style,
        ))?;
        bars.draw_series(LineSeries::new(
            vec![(*p90, yv - cap), (*p90, yv + cap)],
            style,
        ))?;
    }
    let value_font = theme.bold(size::LABEL);
    for (i, (_, _, p50, p90)) in impacts.iter().enumerate() {
        label_at(
            &mut bars,
            (p50.max(*p90).max(0.0), row(i)),
            (theme.px(8.0), 0),
            &format_pounds(p50 * 1e6),
            value_font
                .color(&colour::TEXT)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        )?;
    }
    draw_row_labels(&mut bars, &theme, &labels, bx.range.start)?;
    Ok(true)
}
