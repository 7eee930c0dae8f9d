//! Exceedance curves: the chance the cumulative deficit is larger than each amount.

use dsg_core::money::format_pounds;
use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::PlotError;
use crate::axes::{Axis, Grid, build};
use crate::charts::{label_at, vertical_marker};
use crate::data::{extent, m, percent, reserves, year_end};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, draw_frame, run_line, source_line};
use crate::theme::{Theme, colour, measure, size};

/// Title of the exceedance chart.
pub(crate) const TITLE: &str = "How likely is a deficit of at least a given size?";

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<(), PlotError> {
    let theme = Theme::ready(area)?;
    let sc = &summary.scenario;
    let curves: Vec<_> = summary
        .exceedance
        .iter()
        .filter(|c| !c.points.is_empty())
        .collect();
    if curves.is_empty() {
        return Err(PlotError::NoData(
            "the summary has no exceedance curves".to_string(),
        ));
    }
    let horizon = sc.years.last().copied();
    let reserves_of = |year| -> Option<f64> {
        let i = sc.years.iter().position(|y| *y == year)?;
        reserves(summary)
            .and_then(|r| r.get(i).copied())
            .filter(|v| v.is_finite())
    };
    let reserves = curves.iter().find_map(|c| reserves_of(c.year));

    let palette = [colour::GREEN, colour::BLUE, colour::PURPLE, colour::ORANGE];
    let colour_of = |i: usize, year| {
        if Some(year) == horizon {
            colour::BLUE
        } else if year == sc.override_ends {
            colour::GREEN
        } else {
            palette[i % palette.len()]
        }
    };
    let chance_above_reserves = |year| {
        summary
            .probabilities
            .deficit_exceeds_reserves
            .iter()
            .find(|p| p.year == year)
            .map(|p| p.probability)
    };

    let (_, hi) = extent(
        curves
            .iter()
            .flat_map(|c| c.points.iter().map(|p| m(p.deficit)))
            .chain(reserves),
    )
    .ok_or_else(|| PlotError::NoData("no finite deficits".to_string()))?;
    let x = Axis::nice(0.0, hi * 1.03, 7, true, "Cumulative deficit, £m");
    let mut y = Axis::nice(0.0, 100.0, 5, false, "Chance the deficit is larger");
    // Room above 100% for the reserves label.
    y.range = 0.0..115.0;

    let mut legend = Vec::new();
    let mut message = Vec::new();
    for (i, c) in curves.iter().enumerate() {
        let when = if c.year == sc.override_ends {
            format!("At {}, when the statutory override ends", year_end(c.year))
        } else if Some(c.year) == horizon {
            format!("At {}, the end of the forecast", year_end(c.year))
        } else {
            format!("At {}", year_end(c.year))
        };
        legend.push(LegendItem::new(
            Swatch::Line {
                colour: colour_of(i, c.year),
                width: 3.0,
            },
            when,
        ));
        if let (Some(p), Some(_)) = (chance_above_reserves(c.year), reserves) {
            message.push(format!("{} at {}", percent(p), year_end(c.year)));
        }
    }
    if let Some(r) = reserves {
        legend.push(LegendItem::new(
            Swatch::Line {
                colour: colour::VERMILLION,
                width: 2.5,
            },
            format!("Usable general-fund reserves ({})", format_pounds(r * 1e6)),
        ));
    }
    let mut subtitle = vec![
        "Read up from an amount to the chance that the cumulative deficit is larger than it."
            .to_string(),
    ];
    if !message.is_empty() {
        subtitle[0].push_str(&format!(
            " Chance it exceeds usable reserves: {}.",
            message.join("; ")
        ));
    }
    subtitle.push(run_line(summary));

    let plot = draw_frame(
        area,
        &theme,
        &Frame {
            title: TITLE.to_string(),
            subtitle,
            legend,
            legend_at: LegendAt::Below,
            source: source_line(summary),
        },
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

    if let Some(r) = reserves {
        vertical_marker(
            &mut chart,
            &theme,
            r,
            &format!("Usable reserves {}", format_pounds(r * 1e6)),
            colour::VERMILLION,
            false,
        )?;
    }
    for (i, c) in curves.iter().enumerate() {
        let col = colour_of(i, c.year);
        chart.draw_series(LineSeries::new(
            c.points
                .iter()
                .map(|p| (m(p.deficit), p.probability * 100.0)),
            theme.line(col, 3.0),
        ))?;
    }
    // Where each curve crosses the reserves: a dot and the chance, its label put in the first
    // corner around the dot that is inside the plot and clear of the curves, the reserves label
    // and the other labels.
    if let Some(r) = reserves {
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let mut obstacles: Vec<(i32, i32)> = Vec::new();
        for c in &curves {
            let px: Vec<(i32, i32)> = c
                .points
                .iter()
                .map(|p| chart.backend_coord(&(m(p.deficit), p.probability * 100.0)))
                .collect();
            for w in px.windows(2) {
                let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                let steps = ((x1 - x0).abs().max((y1 - y0).abs()) / 3).max(1);
                for k in 0..=steps {
                    obstacles.push((x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps));
                }
            }
        }
        // The reserves label sits at the top on either side of its line.
        let (rx, _) = chart.backend_coord(&(r, 0.0));
        let reserves_w = measure(&theme.font(size::LABEL), "Usable reserves £1,000.0m")?.0;
        let mut taken = vec![(
            rx - reserves_w - theme.px(10.0),
            ys.start,
            rx + reserves_w + theme.px(10.0),
            ys.start + theme.px(size::LABEL * 1.2 + 8.0),
        )];
        let font = theme.bold(size::AXIS);
        let d = theme.px(8.0);
        let clear = theme.px(3.0);
        for (i, c) in curves.iter().enumerate() {
            let Some(p) = chance_above_reserves(c.year) else {
                continue;
            };
            let col = colour_of(i, c.year);
            let at = (r, p * 100.0);
            chart.draw_series(std::iter::once(Circle::new(
                at,
                theme.px(6.0),
                col.filled(),
            )))?;
            let text = percent(p);
            let (w, h) = measure(&font, &text)?;
            let (px, py) = chart.backend_coord(&at);
            // Corners as (right?, below?); the curves fall to the right, so below-left and
            // above-right are usually clear.
            let order = if i % 2 == 0 {
                [(false, true), (true, false), (false, false), (true, true)]
            } else {
                [(true, false), (false, true), (true, true), (false, false)]
            };
            let rect = |(right, below): (bool, bool)| {
                let x0 = if right { px + d } else { px - d - w };
                let y0 = if below { py + d } else { py - d - h };
                (x0, y0, x0 + w, y0 + h)
            };
            let fits = |b: (i32, i32, i32, i32)| {
                let inside = b.0 >= xs.start && b.2 <= xs.end && b.1 >= ys.start && b.3 <= ys.end;
                let hits_curve = obstacles.iter().any(|&(x, y)| {
                    x >= b.0 - clear && x <= b.2 + clear && y >= b.1 - clear && y <= b.3 + clear
                });
                let hits_label = taken
                    .iter()
                    .any(|t| b.0 < t.2 && b.2 > t.0 && b.1 < t.3 && b.3 > t.1);
                inside && !hits_curve && !hits_label
            };
            let corner = order
                .iter()
                .copied()
                .find(|&k| fits(rect(k)))
                .unwrap_or(order[0]);
            taken.push(rect(corner));
            let (right, below) = corner;
            let offset = (if right { d } else { -d }, if below { d } else { -d });
            let pos = Pos::new(
                if right { HPos::Left } else { HPos::Right },
                if below { VPos::Top } else { VPos::Bottom },
            );
            label_at(&mut chart, at, offset, &text, font.color(&col).pos(pos))?;
        }
    }
    Ok(())
}
