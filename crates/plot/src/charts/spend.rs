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
    let mut provisions = Vec::new();
    for i in 0..sc.provisions.len() {
        provisions.push((
            Series::Spend(i).short_label(summary),
            values(Series::Spend(i))?,
        ));
    }
    let mut layers = provision_layers(provisions);
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

/// One layer per provision while the palette has a distinct colour for each; beyond that, the
/// largest in the last year keep theirs (in scenario order) and the rest are summed into one
/// "other provisions" layer, so that no two layers share a colour and the legend stays short.
fn provision_layers(provisions: Vec<(String, Vec<f64>)>) -> Vec<Layer> {
    let room = colour::STACK.len();
    let last = |v: &[f64]| v.last().copied().unwrap_or(0.0);
    let mut keep: Vec<usize> = (0..provisions.len()).collect();
    if provisions.len() > room {
        keep.sort_by(|&a, &b| last(&provisions[b].1).total_cmp(&last(&provisions[a].1)));
        keep.truncate(room - 1);
        keep.sort_unstable();
    }
    let mut layers = Vec::new();
    let mut rest: Option<(usize, Vec<f64>)> = None;
    for (i, (label, values)) in provisions.into_iter().enumerate() {
        if keep.contains(&i) {
            layers.push(Layer {
                label,
                colour: colour::STACK[layers.len()],
                values,
            });
        } else {
            let (count, sum) = rest.get_or_insert_with(|| (0, vec![0.0; values.len()]));
            *count += 1;
            for (s, v) in sum.iter_mut().zip(&values) {
                *s += v;
            }
        }
    }
    if let Some((count, values)) = rest {
        layers.push(Layer {
            label: format!("{count} other provisions"),
            colour: colour::STACK[room - 1],
            values,
        });
    }
    layers
}

#[cfg(test)]
mod tests {
    use super::provision_layers;

    #[test]
    fn more_provisions_than_colours_share_one_other_layer() {
        let few: Vec<(String, Vec<f64>)> =
            (0..3).map(|i| (format!("p{i}"), vec![i as f64])).collect();
        assert_eq!(provision_layers(few).len(), 3);
        let many: Vec<(String, Vec<f64>)> = (0..12)
            .map(|i| (format!("p{i}"), vec![1.0, i as f64]))
            .collect();
        let layers = provision_layers(many);
        assert_eq!(layers.len(), 9);
        let colours: std::collections::BTreeSet<(u8, u8, u8)> = layers
            .iter()
            .map(|l| (l.colour.0, l.colour.1, l.colour.2))
            .collect();
        assert_eq!(colours.len(), 9, "no colour used twice");
        // The eight largest in the last year keep their own layers; p0..p3 are summed.
        assert_eq!(layers[8].label, "4 other provisions");
        assert_eq!(layers[8].values, vec![4.0, 0.0 + 1.0 + 2.0 + 3.0]);
        assert_eq!(layers[0].label, "p4");
    }
}
