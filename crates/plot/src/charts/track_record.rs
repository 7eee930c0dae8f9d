//! A growth model's track record over many forecasts (docs/forecast-evaluation.md): the
//! reliability diagram (each central range's stated coverage against the share of outcomes it
//! held) and the PIT histogram as shares (flat at 10% when calibrated).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::PlotError;
use crate::axes::{Axis, Chart2d, Fmt, Grid, build};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, count, draw_frame};
use crate::theme::{Theme, colour};

/// Title of the reliability diagram.
pub(crate) const RELIABILITY_TITLE: &str = "How often the forecast ranges held what happened";
/// Title of the PIT histogram.
pub(crate) const PIT_SHARES_TITLE: &str = "Where the outcomes fell in their forecast ranges";

/// The scores the two charts show, as plain data.
///
/// ```
/// let t = dsg_plot::TrackRecord {
///     subject: "EHC plans, 3 councils".into(),
///     forecasts: 30,
///     ranges: vec![(0.5, 0.5), (0.8, 0.8)],
///     by_line: vec![],
///     pit_shares: vec![0.1; 10],
///     source: "Source: a test".into(),
/// };
/// assert_eq!(t.pit_shares.len(), 10);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TrackRecord {
    /// What was forecast, for the subtitles ("EHC plans in 152 councils, January 2015-2025").
    pub subject: String,
    /// How many forecasts were scored.
    pub forecasts: usize,
    /// Central ranges: (stated coverage, share of outcomes inside), both 0-1.
    pub ranges: Vec<(f64, f64)>,
    /// More lines of the same (for example by horizon): a label and its ranges.
    pub by_line: Vec<(String, Vec<(f64, f64)>)>,
    /// Shares of PIT values in equal bins over 0-1 (ten bins: each 0.1 when calibrated).
    pub pit_shares: Vec<f64>,
    /// The source line.
    pub source: String,
}

/// The dashed line of what calibrated forecasts would show (the diagonal, the flat PIT level).
pub(crate) fn reference_line<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    theme: &Theme,
    points: Vec<(f64, f64)>,
) -> Result<(), PlotError> {
    chart.draw_series(DashedLineSeries::new(
        points,
        theme.px(8.0).max(2) as u32,
        theme.px(5.0).max(2) as u32,
        theme.line(colour::TEXT, 2.0),
    ))?;
    Ok(())
}

/// The PIT histograms' legend: the bars and the calibrated level.
pub(crate) fn pit_legend() -> Vec<LegendItem> {
    vec![
        LegendItem::new(
            Swatch::Fill(colour::BLUE.to_rgba()),
            "Forecasts in each tenth",
        ),
        LegendItem::new(
            Swatch::Dashed {
                colour: colour::TEXT,
                width: 2.0,
            },
            "Expected if calibrated",
        ),
    ]
}

/// Draws the PIT histogram (`pit`) or the reliability diagram.
pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &TrackRecord,
    pit: bool,
) -> Result<(), PlotError> {
    if pit {
        draw_pit_shares(area, t)
    } else {
        draw_reliability(area, t)
    }
}

/// Draws the reliability diagram.
pub(crate) fn draw_reliability<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &TrackRecord,
) -> Result<(), PlotError> {
    if t.ranges.is_empty() {
        return Err(PlotError::NoData("no ranges scored".to_string()));
    }
    let theme = Theme::ready(area)?;
    let x = Axis::nice(0.0, 100.0, 10, false, "Stated: the range's probability");
    let y = Axis::nice(0.0, 100.0, 10, false, "Observed: outcomes inside the range");
    let mut legend = vec![
        LegendItem::new(
            Swatch::Marker {
                colour: colour::BLUE,
                width: 2.5,
            },
            "All forecasts",
        ),
        LegendItem::new(
            Swatch::Dashed {
                colour: colour::TEXT,
                width: 2.0,
            },
            "Stated = observed",
        ),
    ];
    let others = [
        colour::ORANGE,
        colour::GREEN,
        colour::PURPLE,
        colour::VERMILLION,
    ];
    for ((label, _), c) in t.by_line.iter().zip(others) {
        legend.push(LegendItem::new(
            Swatch::Line {
                colour: c,
                width: 1.5,
            },
            label.clone(),
        ));
    }
    let message = format!(
        "{} forecasts of {}. A point above the line: ranges wider than needed; below: too narrow.",
        count(t.forecasts as u64),
        t.subject
    );
    let plot = draw_frame(
        area,
        &theme,
        &Frame {
            title: RELIABILITY_TITLE.to_string(),
            subtitle: vec![message],
            legend,
            legend_at: LegendAt::Below,
            source: t.source.clone(),
        },
    )?;
    let mut chart = build(&plot, &theme, &x, &y, Grid::default())?;
    reference_line(&mut chart, &theme, vec![(0.0, 0.0), (100.0, 100.0)])?;
    let pct = |v: &[(f64, f64)]| -> Vec<(f64, f64)> {
        v.iter().map(|(s, o)| (100.0 * s, 100.0 * o)).collect()
    };
    for ((_, ranges), c) in t.by_line.iter().zip(others) {
        chart.draw_series(LineSeries::new(pct(ranges), theme.line(c, 1.5)))?;
    }
    let points = pct(&t.ranges);
    chart.draw_series(LineSeries::new(
        points.clone(),
        theme.line(colour::BLUE, 2.5),
    ))?;
    let r = theme.px(5.0).max(2);
    chart.draw_series(
        points
            .iter()
            .map(|p| Circle::new(*p, r, colour::BLUE.filled())),
    )?;
    Ok(())
}

/// Draws the PIT histogram as shares of the forecasts.
pub(crate) fn draw_pit_shares<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &TrackRecord,
) -> Result<(), PlotError> {
    let bins = t.pit_shares.len();
    if bins == 0 {
        return Err(PlotError::NoData("no forecasts scored".to_string()));
    }
    let theme = Theme::ready(area)?;
    let expected = 100.0 / bins as f64;
    let top = t.pit_shares.iter().fold(0.0f64, |a, b| a.max(100.0 * b));
    let x = Axis::nice(
        0.0,
        100.0,
        10,
        false,
        "PIT: the forecast's probability of a value at most the outcome",
    );
    let mut y = Axis::nice(0.0, top.max(expected) * 1.2, 5, false, "Share of forecasts");
    y.fmt = Fmt::Percent;
    let message = format!(
        "{} forecasts of {}. Calibrated forecasts give a flat histogram; a U shape means ranges too narrow, a hump ranges too wide, a slope a bias.",
        count(t.forecasts as u64),
        t.subject
    );
    let legend = pit_legend();
    let plot = draw_frame(
        area,
        &theme,
        &Frame {
            title: PIT_SHARES_TITLE.to_string(),
            subtitle: vec![message],
            legend,
            legend_at: LegendAt::Below,
            source: t.source.clone(),
        },
    )?;
    let mut chart = build(&plot, &theme, &x, &y, Grid::default())?;
    let w = 100.0 / bins as f64;
    chart.draw_series(t.pit_shares.iter().enumerate().map(|(i, s)| {
        let x0 = i as f64 * w;
        Rectangle::new(
            [(x0 + w * 0.05, 0.0), (x0 + w * 0.95, 100.0 * s)],
            colour::BLUE.filled(),
        )
    }))?;
    reference_line(&mut chart, &theme, vec![(0.0, expected), (100.0, expected)])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> TrackRecord {
        TrackRecord {
            subject: "EHC plans in 3 test councils".into(),
            forecasts: 1234,
            ranges: vec![(0.5, 0.48), (0.8, 0.83), (0.9, 0.91)],
            by_line: vec![("1 year ahead".into(), vec![(0.5, 0.5), (0.8, 0.8)])],
            pit_shares: vec![0.08, 0.1, 0.12, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
            source: "Source: a test".into(),
        }
    }

    #[test]
    fn both_charts_render_to_svg_with_their_titles_and_counts() {
        let t = record();
        let rel = crate::svg_of(|a| draw_reliability(a, &t)).unwrap();
        assert!(rel.contains(RELIABILITY_TITLE));
        assert!(rel.contains("1,234 forecasts of EHC plans in 3 test councils"));
        assert!(rel.contains("1 year ahead"));
        let pit = crate::svg_of(|a| draw_pit_shares(a, &t)).unwrap();
        assert!(pit.contains(PIT_SHARES_TITLE));
        assert!(pit.contains("Source: a test"));
    }

    #[test]
    fn nothing_to_draw_is_an_error_not_an_empty_chart() {
        let mut t = record();
        t.ranges.clear();
        t.pit_shares.clear();
        assert!(crate::svg_of(|a| draw_reliability(a, &t)).is_err());
        assert!(crate::svg_of(|a| draw_pit_shares(a, &t)).is_err());
    }
}
