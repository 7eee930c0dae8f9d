//! Exceedance curves: the chance the cumulative deficit is larger than each amount.

use dsg_core::money::format_pounds;
use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::PlotError;
use crate::axes::{Axis, Grid, build};
use crate::charts::{label_at, vertical_marker};
use crate::data::{central, extent, m, percent, year_end};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, draw_frame, run_line, source_line};
use crate::theme::{Theme, colour, register_fonts, size};

/// Title of the exceedance chart.
pub(crate) const TITLE: &str = "How likely is a deficit of at least a given size?";

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<(), PlotError> {
    register_fonts()?;
    let theme = Theme::for_width(area.dim_in_pixel().0);
    let sc = &summary.scenario;
    let curves: Vec<_> = summary
        .exceedance
        .iter()
        .filter(|c| !c.points.is_empty())
        .collect();
    if curves.is_empty() {
        return Err(PlotError::NoData("the summary has no exceedance curves".to_string()));
    }
    let horizon = sc.years.last().copied();
    let reserves_of = |year| -> Option<f64> {
        let i = sc.years.iter().position(|y| *y == year)?;
        central(summary, "general_fund.usable_reserves", sc.years.len())
            .and_then(|c| c.get(i).copied())
            .or_else(|| {
                summary
                    .series("general_fund.usable_reserves")
                    .and_then(|v| v.get(i))
                    .map(|s| s.p50)
            })
            .filter(|v| v.is_finite())
            .map(m)
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
    y.range = 0.0..110.0;

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
            Swatch::Line { colour: colour_of(i, c.year), width: 3.0 },
            when,
        ));
        if let (Some(p), Some(_)) = (chance_above_reserves(c.year), reserves) {
            message.push(format!("{} by {}", percent(p), year_end(c.year)));
        }
    }
    if let Some(r) = reserves {
        legend.push(LegendItem::new(
            Swatch::Line { colour: colour::VERMILLION, width: 2.5 },
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
    let mut chart = build(&plot, &theme, &x, &y, Grid {
            x: true,
            ..Grid::default()
        })?;

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
    // Where each curve crosses the reserves: a dot and the chance, alternately left and right so
    // that two close values do not collide.
    if let Some(r) = reserves {
        for (i, c) in curves.iter().enumerate() {
            let Some(p) = chance_above_reserves(c.year) else {
                continue;
            };
            let col = colour_of(i, c.year);
            let at = (r, p * 100.0);
            chart.draw_series(std::iter::once(Circle::new(at, theme.px(6.0), col.filled())))?;
            let (dx, h) = if i % 2 == 0 {
                (-theme.px(10.0), HPos::Right)
            } else {
                (theme.px(10.0), HPos::Left)
            };
            label_at(
                &mut chart,
                at,
                (dx, 0),
                &percent(p),
                theme.bold(size::LABEL).color(&col).pos(Pos::new(h, VPos::Center)),
            )?;
        }
    }
    Ok(())
}
