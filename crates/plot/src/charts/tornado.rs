//! The tornado chart: what drives the deficit, one bar per uncertain input, widest first.

use dsg_analysis::Sensitivity;
use dsg_core::money::format_pounds;
use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::PlotError;
use crate::axes::{Axis, Grid, build};
use crate::charts::{draw_row_labels, label_at, row_axis, row_labels, vertical_marker};
use crate::data::{extent, m, year_end};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, draw_frame};
use crate::theme::{Theme, colour, size};

/// The most inputs drawn.
pub(crate) const MAX_BARS: usize = 10;

/// The chart's title.
pub(crate) fn title(s: &Sensitivity) -> String {
    format!("What drives the cumulative deficit at {}", year_end(s.year))
}

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Sensitivity,
    summary: &Summary,
) -> Result<(), PlotError> {
    let theme = Theme::ready(area)?;
    // The deficit is the negative of the balance; drawn as a positive amount, as on the fan chart.
    let sign = if s.lower_is_worse { -1.0 } else { 1.0 };
    let bars: Vec<(&str, f64, f64)> = s
        .inputs
        .iter()
        .take(MAX_BARS)
        .map(|i| {
            (
                i.label.as_str(),
                m(sign * i.swing_low),
                m(sign * i.swing_high),
            )
        })
        .filter(|(_, a, b)| a.is_finite() && b.is_finite())
        .collect();
    if bars.is_empty() {
        return Err(PlotError::NoData("no uncertain inputs to rank".to_string()));
    }
    let median = m(sign * s.median);
    let legend = vec![
        LegendItem::new(
            Swatch::Fill(colour::BLUE.to_rgba()),
            "Input in its lowest tenth (a yes/no event: it does not happen)",
        ),
        LegendItem::new(
            Swatch::Fill(colour::ORANGE.to_rgba()),
            "Input in its highest tenth (it happens)",
        ),
        LegendItem::new(
            Swatch::Line {
                colour: colour::TEXT,
                width: 2.5,
            },
            format!("Median of all futures ({})", format_pounds(median * 1e6)),
        ),
    ];
    let message = format!(
        "Each bar runs from the median deficit in the futures where the input is in its lowest tenth to the median where it is in its highest tenth: the longer the bar, the more the input moves the deficit. {}",
        dsg_analysis::drivers_sentence(s)
    );
    let plot = draw_frame(
        area,
        &theme,
        &Frame::for_run(summary, &title(s), message, legend, LegendAt::Below),
    )?;
    let (pw, _) = plot.dim_in_pixel();
    let (labels, label_w) = row_labels(&theme, bars.iter().map(|b| b.0), pw as i32 * 30 / 100)?;
    let (lo, hi) = extent(bars.iter().flat_map(|(_, a, b)| [*a, *b]).chain([median]))
        .ok_or_else(|| PlotError::NoData("no finite swings".to_string()))?;
    let pad = (hi - lo).max(1.0) * 0.12;
    let x = Axis::nice(lo - pad, hi + pad, 7, true, "Cumulative deficit, £m");
    let n = bars.len();
    let y = row_axis(n, 3.0);
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
    let half = 0.32;
    for (i, (_, low, high)) in bars.iter().enumerate() {
        for (end, c) in [(*low, colour::BLUE), (*high, colour::ORANGE)] {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(median, row(i) - half), (end, row(i) + half)],
                c.filled(),
            )))?;
        }
    }
    vertical_marker(&mut chart, &theme, median, "", colour::TEXT, false)?;
    let value_font = theme.font(size::LABEL);
    for (i, (_, low, high)) in bars.iter().enumerate() {
        // The smaller end's value left of the bar, the larger's right of it (both ends may lie
        // on one side of the median).
        let (small, large) = (low.min(*high), low.max(*high));
        for (value, at, right) in [
            (small, small.min(median), false),
            (large, large.max(median), true),
        ] {
            label_at(
                &mut chart,
                (at, row(i)),
                (if right { theme.px(6.0) } else { -theme.px(6.0) }, 0),
                &format_pounds(value * 1e6),
                value_font.color(&colour::TEXT).pos(Pos::new(
                    if right { HPos::Left } else { HPos::Right },
                    VPos::Center,
                )),
            )?;
        }
    }
    draw_row_labels(&mut chart, &theme, &labels, x.range.start)?;
    Ok(())
}
