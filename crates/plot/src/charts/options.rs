//! The options chart: the deficit each option leaves at the end of the forecast, median and P80,
//! against doing nothing, with its cost.

use dsg_analysis::options::OptionsResult;
use dsg_core::money::format_pounds;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::PlotError;
use crate::axes::{Axis, Grid, build};
use crate::charts::{draw_row_labels, label_at, row_axis, row_labels};
use crate::data::{extent, m, year_end};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, count, draw_frame};
use crate::theme::{Theme, colour, size};

/// The chart's title.
pub(crate) const TITLE: &str = "The options compared on the same futures";

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &OptionsResult,
    who: &str,
) -> Result<(), PlotError> {
    let theme = Theme::ready(area)?;
    let rows: Vec<(&str, f64, f64, f64)> = r
        .options
        .iter()
        .map(|o| {
            (
                o.name.as_str(),
                m(o.deficit_at_horizon.0),
                m(o.deficit_at_horizon.1),
                o.cost,
            )
        })
        .filter(|(_, a, b, _)| a.is_finite() && b.is_finite())
        .collect();
    if rows.is_empty() {
        return Err(PlotError::NoData("no options to compare".to_string()));
    }
    let when = year_end(r.horizon);
    let legend = vec![
        LegendItem::new(
            Swatch::Fill(colour::BLUE.to_rgba()),
            format!("Median deficit at {when}"),
        ),
        LegendItem::new(
            Swatch::Line {
                colour: colour::TEXT,
                width: 2.5,
            },
            "P80: a 1 in 5 chance of a larger deficit",
        ),
    ];
    let best = rows
        .iter()
        .skip(1)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(name, med, ..)| {
            format!(
                "{name} leaves the smallest median deficit, {}",
                format_pounds(med * 1e6)
            )
        });
    let subtitle = vec![
        format!(
            "Each option and no action, run on the same {} simulated futures (seed {}), so the differences come from the options, not from chance. {}. Costs over the forecast are shown beside each bar.",
            count(r.paths),
            r.seed,
            best.unwrap_or_default()
        ),
        who.to_string(),
    ];
    let plot = draw_frame(
        area,
        &theme,
        &Frame {
            title: TITLE.to_string(),
            subtitle,
            legend,
            legend_at: LegendAt::Below,
            source: format!(
                "Source: dsg-forecast {}, dsg options; {who}",
                env!("CARGO_PKG_VERSION")
            ),
        },
    )?;
    let (pw, _) = plot.dim_in_pixel();
    let (labels, label_w) = row_labels(&theme, rows.iter().map(|r| r.0), pw as i32 * 28 / 100)?;
    let (_, hi) = extent(rows.iter().flat_map(|(_, a, b, _)| [*a, *b]).chain([0.0]))
        .ok_or_else(|| PlotError::NoData("no finite deficits".to_string()))?;
    let x = Axis::nice(
        0.0,
        hi * 1.3,
        6,
        true,
        format!("Cumulative deficit at {when}, £m"),
    );
    let n = rows.len();
    let y = row_axis(n, 0.0);
    let mut chart = build(
        &plot,
        &theme,
        &x,
        &y,
        Grid {
            x: true,
            no_y: true,
            y_label_w: label_w,
        },
    )?;
    let row = |i: usize| (n - 1 - i) as f64;
    let half = 0.3;
    for (i, (_, med, p80, _)) in rows.iter().enumerate() {
        let fill = if i == 0 { colour::MUTED } else { colour::BLUE };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, row(i) - half), (*med, row(i) + half)],
            fill.filled(),
        )))?;
        let style = theme.line(colour::TEXT, 2.5);
        chart.draw_series(LineSeries::new(vec![(*med, row(i)), (*p80, row(i))], style))?;
        chart.draw_series(LineSeries::new(
            vec![(*p80, row(i) - 0.15), (*p80, row(i) + 0.15)],
            style,
        ))?;
    }
    let value_font = theme.font(size::LABEL);
    for (i, (_, med, p80, cost)) in rows.iter().enumerate() {
        let cost_text = if i == 0 {
            "no cost".to_string()
        } else {
            format!("cost {}", format_pounds(*cost))
        };
        label_at(
            &mut chart,
            (med.max(*p80), row(i)),
            (theme.px(10.0), 0),
            &format!(
                "{} (P80 {}); {cost_text}",
                format_pounds(med * 1e6),
                format_pounds(p80 * 1e6)
            ),
            value_font
                .color(&colour::TEXT)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        )?;
    }
    draw_row_labels(&mut chart, &theme, &labels, 0.0)?;
    Ok(())
}
