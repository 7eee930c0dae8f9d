//! High-needs allocation against spend: the "12% against 7%" picture.

use dsg_core::money::format_pounds;
use dsg_core::{Series, SeriesKey};
use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::PlotError;
use crate::axes::{Axis, Grid, build};
use crate::charts::{boxed_label_at, hatch_between};
use crate::data::{cagr, extent, is_flat, m, series, x_of};
use crate::frame::{Frame, HATCH_SPACING, HATCH_WIDTH, LegendAt, LegendItem, Swatch, draw_frame};
use crate::theme::{Theme, colour, size};

/// Title of the funding chart.
pub(crate) const TITLE: &str = "High-needs funding against spend";

const BAND_ALPHA: f64 = 0.22;
const GAP_ALPHA: f64 = 0.75;
const GAP_COLOUR: RGBColor = colour::MUTED;

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<(), PlotError> {
    let theme = Theme::ready(area)?;
    let funding = series(summary, SeriesKey::mitigated(Series::Allocation))?;
    let spend = series(summary, SeriesKey::mitigated(Series::SpendTotal))?;
    let n = funding.len().min(spend.len());
    let (funding, spend) = (&funding[..n], &spend[..n]);
    let xs: Vec<f64> = funding.iter().map(|s| x_of(s.year)).collect();
    let line =
        |v: &[dsg_montecarlo::YearStats],
         f: fn(&dsg_montecarlo::YearStats) -> f64|
         -> Vec<(f64, f64)> { xs.iter().copied().zip(v.iter().map(|s| m(f(s)))).collect() };
    let band = |v: &[dsg_montecarlo::YearStats]| -> Vec<(f64, f64)> {
        let mut p = line(v, |s| s.p90);
        p.extend(line(v, |s| s.p10).into_iter().rev());
        p
    };
    let f50 = line(funding, |s| s.p50);
    let s50 = line(spend, |s| s.p50);

    let (_, hi) = extent(
        funding
            .iter()
            .chain(spend)
            .flat_map(|s| [m(s.p90), m(s.p50), m(s.p10)]),
    )
    .ok_or_else(|| PlotError::NoData("no finite funding or spend".to_string()))?;
    let first = funding.first().map(|s| s.year);
    let last = funding.last().map(|s| s.year);
    let (Some(first), Some(last)) = (first, last) else {
        return Err(PlotError::NoData("no projected years".to_string()));
    };
    let x = Axis::years(first.start_year(), last.start_year(), 0.3, "Financial year");
    let y = Axis::nice(0.0, hi * 1.04, 7, true, "£m a year");

    let (f_first, f_last) = (f50[0].1, f50[n - 1].1);
    let (s_first, s_last) = (s50[0].1, s50[n - 1].1);
    let mut message = String::new();
    if let (Some(gs), Some(gf)) = (cagr(s_first, s_last, n - 1), cagr(f_first, f_last, n - 1)) {
        message.push_str(&format!(
            "Median spend grows {:.1}% a year against {:.1}% for the high-needs allocation ({} to {}). ",
            gs * 100.0,
            gf * 100.0,
            first,
            last
        ));
    }
    let gap_last = s_last - f_last;
    message.push_str(&if gap_last >= 0.0 {
        format!(
            "By {last} spend exceeds the allocation by {} a year (medians).",
            format_pounds(gap_last * 1e6)
        )
    } else {
        format!(
            "By {last} the allocation exceeds spend by {} a year (medians).",
            format_pounds(-gap_last * 1e6)
        )
    });

    let flat = is_flat(funding) && is_flat(spend);
    let mut legend = vec![LegendItem::new(
        Swatch::Line {
            colour: colour::VERMILLION,
            width: 3.0,
        },
        "Spend (median)",
    )];
    if !flat {
        legend.push(LegendItem::new(
            Swatch::Fill(colour::VERMILLION.mix(BAND_ALPHA)),
            "Spend, 8 in 10 paths",
        ));
    }
    legend.push(LegendItem::new(
        Swatch::Line {
            colour: colour::BLUE,
            width: 3.0,
        },
        "High-needs allocation (median)",
    ));
    if !flat {
        legend.push(LegendItem::new(
            Swatch::Fill(colour::BLUE.mix(BAND_ALPHA)),
            "Allocation, 8 in 10 paths",
        ));
    }
    legend.push(LegendItem::new(
        Swatch::Hatch(GAP_COLOUR.mix(GAP_ALPHA)),
        "Gap between the medians",
    ));
    let plot = draw_frame(
        area,
        &theme,
        &Frame::for_run(summary, TITLE, message, legend, LegendAt::Below),
    )?;
    let mut chart = build(&plot, &theme, &x, &y, Grid::default())?;
    chart.draw_series(std::iter::once(Polygon::new(
        band(funding),
        colour::BLUE.mix(BAND_ALPHA).filled(),
    )))?;
    chart.draw_series(std::iter::once(Polygon::new(
        band(spend),
        colour::VERMILLION.mix(BAND_ALPHA).filled(),
    )))?;
    hatch_between(
        &chart,
        &plot,
        &s50,
        &f50,
        GAP_COLOUR
            .mix(GAP_ALPHA)
            .stroke_width(theme.stroke(HATCH_WIDTH)),
        theme.px(HATCH_SPACING),
    )?;
    chart.draw_series(LineSeries::new(f50.clone(), theme.line(colour::BLUE, 3.0)))?;
    chart.draw_series(LineSeries::new(
        s50.clone(),
        theme.line(colour::VERMILLION, 3.0),
    ))?;
    chart.draw_series(
        f50.iter()
            .map(|&p| Circle::new(p, theme.px(4.5), colour::BLUE.filled())),
    )?;
    chart.draw_series(
        s50.iter()
            .map(|&p| Circle::new(p, theme.px(4.5), colour::VERMILLION.filled())),
    )?;

    // Name the gap at the last year, just left of the last point.
    let xl = xs[n - 1];
    boxed_label_at(
        &mut chart,
        &theme,
        (xl, (s_last + f_last) / 2.0),
        (-theme.px(14.0), 0),
        &format!("Gap {}", format_pounds(gap_last.abs() * 1e6)),
        theme
            .bold(size::LABEL)
            .color(&colour::TEXT)
            .pos(Pos::new(HPos::Right, VPos::Center)),
    )?;
    Ok(())
}
