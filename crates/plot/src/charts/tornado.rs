//! The tornado chart: what drives the deficit, one bar per uncertain input, widest first.

use dsg_analysis::Sensitivity;
use dsg_core::money::format_pounds;
use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use crate::PlotError;
use crate::axes::Axis;
use crate::charts::bars::RowChart;
use crate::charts::vertical_marker;
use crate::data::{extent, m, year_end};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, draw_frame};
use crate::theme::{Theme, colour, size};

/// The most inputs drawn.
pub(crate) const MAX_BARS: usize = 10;

/// The chart's title.
pub(crate) fn title(s: &Sensitivity) -> String {
    format!("What drives the cumulative deficit at {}", year_end(s.year))
}

/// The bars drawn: each of the widest inputs' lowest- and highest-tenth medians (as drawn, with
/// `sign`), inputs whose swings are not finite left out.
fn bars(s: &Sensitivity, sign: f64) -> Vec<(&str, f64, f64)> {
    s.inputs
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
        .collect()
}

/// True when the chart has a bar to draw (a scenario with no uncertain input has none).
pub(crate) fn has_bars(s: &Sensitivity) -> bool {
    !bars(s, 1.0).is_empty()
}

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Sensitivity,
    summary: &Summary,
) -> Result<(), PlotError> {
    let theme = Theme::ready(area)?;
    // The deficit is the negative of the balance; drawn as a positive amount, as on the fan chart.
    let sign = if s.lower_is_worse { -1.0 } else { 1.0 };
    let bars = bars(s, sign);
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
    let (lo, hi) = extent(bars.iter().flat_map(|(_, a, b)| [*a, *b]).chain([median]))
        .ok_or_else(|| PlotError::NoData("no finite swings".to_string()))?;
    let pad = (hi - lo).max(1.0) * 0.12;
    let x = Axis::nice(lo - pad, hi + pad, 7, true, "Cumulative deficit, £m");
    let mut chart = RowChart::build(&plot, &theme, bars.iter().map(|b| b.0), 30, &x, 3.0)?;
    for (i, (_, low, high)) in bars.iter().enumerate() {
        for (end, c) in [(*low, colour::BLUE), (*high, colour::ORANGE)] {
            chart.bar(i, (median, end), 0.32, c)?;
        }
    }
    vertical_marker(&mut chart.chart, &theme, median, "", colour::TEXT, false)?;
    let value_font = theme.font(size::LABEL);
    for (i, (_, low, high)) in bars.iter().enumerate() {
        // The smaller end's value left of the bar, the larger's right of it (both ends may lie
        // on one side of the median).
        let (small, large) = (low.min(*high), low.max(*high));
        for (value, at, right) in [
            (small, small.min(median), false),
            (large, large.max(median), true),
        ] {
            let (dx, h) = if right {
                (theme.px(6.0), HPos::Left)
            } else {
                (-theme.px(6.0), HPos::Right)
            };
            chart.value(i, (at, dx), &format_pounds(value * 1e6), &value_font, h)?;
        }
    }
    chart.finish(&theme, x.range.start)
}
