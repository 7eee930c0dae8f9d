//! Children and young people with plans by the DSG management plan's five age bands: each band's
//! median, with the range of 8 in 10 simulated futures (docs/model.md section 14).

use dsg_core::SeriesKey;
use dsg_core::series::BY_AGE;
use dsg_montecarlo::{Summary, YearStats};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::PlotError;
use crate::axes::{Axis, Grid, build};
use crate::data::{cagr, extent, series, x_of};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, draw_frame};
use crate::theme::{Theme, colour};

/// Title of the chart by age band.
pub(crate) const TITLE: &str = "Children and young people with plans, by age";

const BAND_ALPHA: f64 = 0.18;

/// The bands' colours, youngest first (colour-blind safe, as the theme's).
const COLOURS: [RGBColor; 5] = [
    colour::ORANGE,
    colour::GREEN,
    colour::BLUE,
    colour::VERMILLION,
    colour::PURPLE,
];

/// Whether the summary has the caseload by age band.
pub(crate) fn applies(summary: &Summary) -> bool {
    BY_AGE.iter().all(|&s| {
        summary
            .stats(SeriesKey::mitigated(s))
            .is_some_and(|v| !v.is_empty())
    })
}

/// The subtitle: the band growing fastest and the one growing slowest (medians).
fn message(bands: &[&[YearStats]]) -> String {
    let growth: Vec<(usize, f64)> = bands
        .iter()
        .enumerate()
        .filter_map(|(k, v)| {
            let (first, last) = (v.first()?, v.last()?);
            cagr(first.p50, last.p50, v.len() - 1).map(|g| (k, g))
        })
        .collect();
    let fastest = growth.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    let slowest = growth.iter().min_by(|a, b| a.1.total_cmp(&b.1));
    let label = |k: usize| BY_AGE[k].row().short.to_lowercase();
    match (fastest, slowest) {
        (Some(&(f, gf)), Some(&(s, gs))) if f != s => format!(
            "Median plans grow fastest {} ({:+.1}% a year) and slowest {} ({:+.1}% a year).",
            label(f),
            gf * 100.0,
            label(s),
            gs * 100.0
        ),
        _ => "Median plans in each age band, with the range of 8 in 10 simulated futures."
            .to_string(),
    }
}

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<bool, PlotError> {
    if !applies(summary) {
        return Ok(false);
    }
    let theme = Theme::ready(area)?;
    let bands: Vec<&[YearStats]> = BY_AGE
        .iter()
        .map(|&s| series(summary, SeriesKey::mitigated(s)))
        .collect::<Result<_, _>>()?;
    let years = &bands[0];
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return Err(PlotError::NoData("no projected years".to_string()));
    };
    let (_, hi) = extent(bands.iter().flat_map(|v| v.iter().map(|s| s.p90)))
        .ok_or_else(|| PlotError::NoData("no finite plans by age".to_string()))?;
    let x = Axis::years(
        first.year.start_year(),
        last.year.start_year(),
        0.3,
        "Financial year (plans at 31 March)",
    );
    let y = Axis::nice(0.0, hi.max(1.0) * 1.05, 6, true, "Plans (EHCPs)");
    let mut legend: Vec<LegendItem> = BY_AGE
        .iter()
        .zip(COLOURS)
        .map(|(s, c)| {
            LegendItem::new(
                Swatch::Line {
                    colour: c,
                    width: 3.0,
                },
                s.row().short,
            )
        })
        .collect();
    legend.push(LegendItem::new(
        Swatch::Fill(colour::MUTED.mix(BAND_ALPHA)),
        "8 in 10 paths",
    ));
    let plot = draw_frame(
        area,
        &theme,
        &Frame::for_run(summary, TITLE, message(&bands), legend, LegendAt::Below),
    )?;
    let mut chart = build(&plot, &theme, &x, &y, Grid::default())?;
    for (v, c) in bands.iter().zip(COLOURS) {
        let line = |f: fn(&YearStats) -> f64| -> Vec<(f64, f64)> {
            v.iter().map(|s| (x_of(s.year), f(s))).collect()
        };
        let mut band = line(|s| s.p90);
        band.extend(line(|s| s.p10).into_iter().rev());
        chart.draw_series(std::iter::once(Polygon::new(
            band,
            c.mix(BAND_ALPHA).filled(),
        )))?;
        let median = line(|s| s.p50);
        chart.draw_series(LineSeries::new(median.clone(), theme.line(c, 3.0)))?;
        chart.draw_series(
            median
                .iter()
                .map(|&p| Circle::new(p, theme.px(4.0), c.filled())),
        )?;
    }
    Ok(true)
}
