//! The options chart: the deficit each option leaves at the end of the forecast, median and P80,
//! against doing nothing, with its cost.

use dsg_analysis::options::OptionsResult;
use dsg_core::money::format_pounds;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use crate::PlotError;
use crate::axes::Axis;
use crate::charts::bars::RowChart;
use crate::data::{extent, m, year_end};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, count, draw_frame};
use crate::theme::{Theme, colour, size};

/// The chart's title.
pub(crate) const TITLE: &str = "The options compared on the same futures";

/// One option's row: its name, the median and P80 deficit at the horizon (£m) and its cost
/// (pounds). The first row is doing nothing.
struct Row<'a> {
    name: &'a str,
    median: f64,
    p80: f64,
    cost: f64,
}

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &OptionsResult,
    who: &str,
) -> Result<(), PlotError> {
    let theme = Theme::ready(area)?;
    let rows: Vec<Row<'_>> = r
        .options
        .iter()
        .map(|o| Row {
            name: o.name.as_str(),
            median: m(o.deficit_at_horizon.0),
            p80: m(o.deficit_at_horizon.1),
            cost: o.cost,
        })
        .filter(|row| row.median.is_finite() && row.p80.is_finite())
        .collect();
    if rows.is_empty() {
        return Err(PlotError::NoData("no options to compare".to_string()));
    }
    let plot = draw_frame(area, &theme, &frame(r, &rows, who))?;
    draw_rows(&plot, &theme, &rows, &year_end(r.horizon))
}

/// The frame: title, the message naming the option that leaves the smallest median deficit, the
/// legend and the source.
fn frame(r: &OptionsResult, rows: &[Row<'_>], who: &str) -> Frame {
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
        .min_by(|a, b| a.median.total_cmp(&b.median))
        .map(|row| {
            format!(
                "{} leaves the smallest median deficit, {}",
                row.name,
                format_pounds(row.median * 1e6)
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
    Frame {
        title: TITLE.to_string(),
        subtitle,
        legend,
        legend_at: LegendAt::Below,
        source: format!(
            "Source: dsg-forecast {}, dsg options; {who}",
            env!("CARGO_PKG_VERSION")
        ),
    }
}

/// One bar per option (doing nothing in grey), its P80 as a whisker, and its figures and cost.
fn draw_rows<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    theme: &Theme,
    rows: &[Row<'_>],
    when: &str,
) -> Result<(), PlotError> {
    let (_, hi) = extent(rows.iter().flat_map(|r| [r.median, r.p80]).chain([0.0]))
        .ok_or_else(|| PlotError::NoData("no finite deficits".to_string()))?;
    let x = Axis::nice(
        0.0,
        hi * 1.3,
        6,
        true,
        format!("Cumulative deficit at {when}, £m"),
    );
    let mut chart = RowChart::build(plot, theme, rows.iter().map(|r| r.name), 28, &x, 0.0)?;
    for (i, row) in rows.iter().enumerate() {
        let fill = if i == 0 { colour::MUTED } else { colour::BLUE };
        chart.bar(i, (0.0, row.median), 0.3, fill)?;
        let style = theme.line(colour::TEXT, 2.5);
        chart.whisker(i, (row.median, row.p80), &[row.p80], 0.15, style)?;
    }
    let value_font = theme.font(size::LABEL);
    for (i, row) in rows.iter().enumerate() {
        let cost_text = if i == 0 {
            "no cost".to_string()
        } else {
            format!("cost {}", format_pounds(row.cost))
        };
        chart.value(
            i,
            (row.median.max(row.p80), theme.px(10.0)),
            &format!(
                "{} (P80 {}); {cost_text}",
                format_pounds(row.median * 1e6),
                format_pounds(row.p80 * 1e6)
            ),
            &value_font,
            HPos::Left,
        )?;
    }
    chart.finish(theme, 0.0)
}
