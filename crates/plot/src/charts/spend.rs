//! Where the money goes: median spend by provision, stacked per year.

use dsg_core::money::format_pounds;
use dsg_core::{Series, SeriesKey};
use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::PlotError;
use crate::axes::{Axis, Grid, build};
use crate::data::{cagr, m, series, x_of};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, draw_frame};
use crate::theme::{Theme, colour};

/// Title of the spend chart.
pub(crate) const TITLE: &str = "Where the money goes: high-needs spend by provision";

/// One layer of the stack.
struct Layer {
    label: String,
    colour: RGBColor,
    values: Vec<f64>,
}

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<(), PlotError> {
    let theme = Theme::ready(area)?;
    let sc = &summary.scenario;
    let years = &sc.years;
    if years.is_empty() {
        return Err(PlotError::NoData("no projected years".to_string()));
    }
    let n = years.len();
    let values = |which: Series| -> Result<Vec<f64>, PlotError> {
        let s = series(summary, SeriesKey::mitigated(which))?;
        Ok((0..n)
            .map(|i| s.get(i).map_or(0.0, |v| m(v.p50)))
            .map(|v| if v.is_finite() { v.max(0.0) } else { 0.0 })
            .collect())
    };
    let mut layers = Vec::new();
    for i in 0..sc.provisions.len() {
        layers.push(Layer {
            label: Series::Spend(i).short_label(summary),
            colour: colour::STACK[i % colour::STACK.len()],
            values: values(Series::Spend(i))?,
        });
    }
    for (j, other) in [Series::SpendOtherLines, Series::SpendMitigations]
        .into_iter()
        .enumerate()
    {
        if summary.stats(SeriesKey::mitigated(other)).is_some() {
            let v = values(other)?;
            if v.iter().any(|x| *x > 0.0) {
                layers.push(Layer {
                    label: other.short_label(summary),
                    colour: colour::STACK_OTHER[j],
                    values: v,
                });
            }
        }
    }
    if layers.is_empty() {
        return Err(PlotError::NoData(
            "the scenario has no provisions".to_string(),
        ));
    }

    let totals: Vec<f64> = (0..n)
        .map(|i| layers.iter().map(|l| l.values[i]).sum())
        .collect();
    let top = totals.iter().copied().fold(0.0, f64::max);
    let x = Axis::years(
        years[0].start_year(),
        years[n - 1].start_year(),
        0.5,
        "Financial year",
    );
    let y = Axis::nice(0.0, top * 1.03, 7, true, "£m a year (median of each line)");

    let last = years[n - 1];
    let mut message = String::from("Median spend on each line, stacked.");
    if let Some(big) = layers
        .iter()
        .max_by(|a, b| a.values[n - 1].total_cmp(&b.values[n - 1]))
    {
        let share = if totals[n - 1] > 0.0 {
            big.values[n - 1] / totals[n - 1] * 100.0
        } else {
            0.0
        };
        message.push_str(&format!(
            " In {last} the largest is {} at {} ({share:.0}% of the total shown).",
            big.label,
            format_pounds(big.values[n - 1] * 1e6)
        ));
    }
    if n > 1 {
        let fastest = layers
            .iter()
            .filter_map(|l| cagr(l.values[0], l.values[n - 1], n - 1).map(|g| (l, g)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((l, g)) = fastest {
            message.push_str(&format!(
                " Fastest growing: {}, {:.1}% a year from {} to {last}.",
                l.label,
                g * 100.0,
                years[0]
            ));
        }
    }

    // Legend in a column to the right, top of the stack first, as the eye reads the bars.
    let legend = layers
        .iter()
        .rev()
        .map(|l| LegendItem::new(Swatch::Fill(l.colour.to_rgba()), l.label.clone()))
        .collect();
    let plot = draw_frame(
        area,
        &theme,
        &Frame::for_run(summary, TITLE, message, legend, LegendAt::Right),
    )?;
    let mut chart = build(&plot, &theme, &x, &y, Grid::default())?;
    let half = 0.36;
    for (i, year) in years.iter().enumerate() {
        let xc = x_of(*year);
        let mut base = 0.0;
        for l in &layers {
            let v = l.values[i];
            if v > 0.0 {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(xc - half, base), (xc + half, base + v)],
                    l.colour.filled(),
                )))?;
            }
            base += v;
        }
    }
    Ok(())
}
