//! Fan chart of the cumulative DSG deficit.

use dsg_core::money::format_pounds;
use dsg_core::{Series, SeriesKey};
use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::PlotError;
use crate::axes::{Axis, Grid, build};
use crate::charts::{Deficits, vertical_marker};
use crate::data::{central, extent, m, percent, reserves, series, x_of, year_end};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, draw_frame};
use crate::theme::{Theme, colour};

/// Title of the fan chart.
pub(crate) const TITLE: &str = "Cumulative high-needs DSG deficit: the range of outcomes";

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<(), PlotError> {
    let theme = Theme::ready(area)?;
    let sc = &summary.scenario;
    let cumulative = SeriesKey::mitigated(Series::Cumulative);
    let fan = Deficits::of(summary, cumulative)?;
    let stats = series(summary, cumulative)?;
    let base_x = x_of(sc.base_year);
    let open = -m(sc.opening_balance);

    let central_line: Option<Vec<(f64, f64)>> =
        central(summary, cumulative, stats.len()).map(|c| {
            std::iter::once((base_x, open))
                .chain(stats.iter().zip(c).map(|(s, v)| (x_of(s.year), -m(*v))))
                .collect()
        });
    let history: Vec<(f64, f64)> = sc
        .history
        .iter()
        .filter(|(y, _)| *y < sc.base_year)
        .map(|(y, v)| (x_of(*y), -m(*v)))
        .chain(std::iter::once((base_x, open)))
        .collect();
    let history = if history.len() > 1 {
        history
    } else {
        Vec::new()
    };
    let reserves = reserves(summary).filter(|r| r.iter().all(|v| v.is_finite()));
    // The first yes/no event that splits the outcome: the medians with and without it.
    let split = split_medians(summary, stats.len());

    let first_x = history.first().map_or(base_x, |p| p.0);
    let last_x = fan.xs.last().copied().unwrap_or(base_x);
    let (lo, hi) = extent(
        fan.values(0, 6)
            .chain(history.iter().map(|p| p.1))
            .chain(central_line.iter().flatten().map(|p| p.1))
            .chain(
                split
                    .iter()
                    .flat_map(|s| s.lines.iter().flatten().map(|p| p.1)),
            )
            .chain(reserves.iter().flatten().copied())
            .chain([0.0]),
    )
    .ok_or_else(|| PlotError::NoData("no finite cumulative balance".to_string()))?;
    // Headroom for the override label above the fan.
    let y = Axis::nice(lo, hi + (hi - lo) * 0.08, 7, true, "Cumulative deficit, £m");
    let x = Axis::years(
        first_x as u16,
        last_x as u16,
        0.35,
        "Balance at 31 March, the end of each financial year",
    );

    // Subtitle: the message, then who and how.
    let horizon = stats.last().map(|s| s.year).unwrap_or(sc.base_year);
    let k_last = fan.xs.len() - 1;
    let degenerate = fan.is_degenerate();
    let mut message = if degenerate {
        format!(
            "Deficit at {}: {}. Every path is the same: the scenario has no uncertain inputs.",
            year_end(horizon),
            format_pounds(fan.q[3][k_last] * 1e6),
        )
    } else {
        format!(
            "Median deficit at {}: {} (8 in 10 paths between {} and {}).",
            year_end(horizon),
            format_pounds(fan.q[3][k_last] * 1e6),
            format_pounds(fan.q[1][k_last] * 1e6),
            format_pounds(fan.q[5][k_last] * 1e6),
        )
    };
    if let Some(p) = summary
        .probabilities
        .deficit_exceeds_reserves
        .iter()
        .find(|p| p.year == sc.override_ends)
    {
        message.push_str(&format!(
            " Chance it exceeds usable reserves when the statutory override ends ({}): {}.",
            year_end(sc.override_ends),
            percent(p.probability)
        ));
    }

    let mut legend = Vec::new();
    if !degenerate {
        legend.extend([
            LegendItem::new(
                Swatch::Fill(colour::BAND_90.to_rgba()),
                "9 in 10 paths (5th\u{2013}95th percentile)",
            ),
            LegendItem::new(
                Swatch::Fill(colour::BAND_80.to_rgba()),
                "8 in 10 (10th\u{2013}90th)",
            ),
            LegendItem::new(
                Swatch::Fill(colour::BAND_50.to_rgba()),
                "Half (25th\u{2013}75th)",
            ),
        ]);
    }
    legend.push(LegendItem::new(
        Swatch::Line {
            colour: colour::MEDIAN,
            width: 3.0,
        },
        if degenerate { "Projection" } else { "Median" },
    ));
    if let Some(s) = &split {
        message.push_str(&format!(
            " If {} ({}), the median at {} is {}; if not, {}.",
            s.label,
            percent(s.share),
            year_end(s.year),
            format_pounds(s.at_year.0 * 1e6),
            format_pounds(s.at_year.1 * 1e6),
        ));
    }
    if central_line.is_some() && !degenerate {
        let rank = summary
            .central_rank
            .get("balance.cumulative")
            .and_then(|r| r.last())
            .filter(|r| r.is_finite());
        legend.push(LegendItem::new(
            Swatch::Dashed {
                colour: colour::BLACK,
                width: 2.0,
            },
            match rank {
                Some(r) => format!(
                    "Central plan (every input at its central value): {} of paths worse by {}",
                    percent(*r),
                    horizon.end_year()
                ),
                None => "Central plan (every input at its central value)".to_string(),
            },
        ));
    }
    if let Some(s) = &split {
        for (k, (c, words)) in [
            (
                colour::GREEN,
                format!("Median if {} ({})", s.label, percent(s.share)),
            ),
            (
                colour::PURPLE,
                format!("Median if not ({})", percent(1.0 - s.share)),
            ),
        ]
        .into_iter()
        .enumerate()
        {
            if !s.lines[k].is_empty() {
                legend.push(LegendItem::new(
                    Swatch::Line {
                        colour: c,
                        width: 2.5,
                    },
                    words,
                ));
            }
        }
    }
    if !history.is_empty() {
        legend.push(LegendItem::new(
            Swatch::Marker {
                colour: colour::HISTORY,
                width: 2.0,
            },
            "Reported",
        ));
    }
    if let Some(r) = &reserves {
        legend.push(LegendItem::new(
            Swatch::Line {
                colour: colour::VERMILLION,
                width: 2.5,
            },
            format!(
                "Usable general-fund reserves ({})",
                format_pounds(r[0] * 1e6)
            ),
        ));
    }

    let plot = draw_frame(
        area,
        &theme,
        &Frame::for_run(summary, TITLE, message, legend, LegendAt::Below),
    )?;
    let mut chart = build(&plot, &theme, &x, &y, Grid::default())?;

    // Bands, outermost first, then the lines on top.
    for (lo_k, hi_k, c) in [
        (0, 6, colour::BAND_90),
        (1, 5, colour::BAND_80),
        (2, 4, colour::BAND_50),
    ] {
        chart.draw_series(std::iter::once(Polygon::new(
            fan.band(lo_k, hi_k),
            c.filled(),
        )))?;
    }
    if let Some(r) = &reserves {
        let constant = r.iter().all(|v| (v - r[0]).abs() < 1e-9);
        let points: Vec<(f64, f64)> = if constant {
            vec![(x.range.start, r[0]), (x.range.end, r[0])]
        } else {
            std::iter::once((base_x, r[0]))
                .chain(stats.iter().zip(r).map(|(s, v)| (x_of(s.year), *v)))
                .collect()
        };
        chart.draw_series(LineSeries::new(points, theme.line(colour::VERMILLION, 2.5)))?;
    }
    if let Some(c) = central_line.filter(|_| !degenerate) {
        chart.draw_series(DashedLineSeries::new(
            c,
            theme.px(10.0),
            theme.px(6.0),
            theme.line(colour::BLACK, 2.0),
        ))?;
    }
    if let Some(s) = &split {
        for (line, c) in s.lines.iter().zip([colour::GREEN, colour::PURPLE]) {
            if !line.is_empty() {
                chart.draw_series(LineSeries::new(line.clone(), theme.line(c, 2.5)))?;
            }
        }
    }
    chart.draw_series(LineSeries::new(
        fan.line(3),
        theme.line(colour::MEDIAN, 3.0),
    ))?;
    if !history.is_empty() {
        chart.draw_series(LineSeries::new(
            history.clone(),
            theme.line(colour::HISTORY, 2.0),
        ))?;
        chart.draw_series(
            history
                .iter()
                .map(|&p| Circle::new(p, theme.px(4.5), colour::HISTORY.filled())),
        )?;
    }
    vertical_marker(
        &mut chart,
        &theme,
        x_of(sc.override_ends),
        &format!("Statutory override ends {}", year_end(sc.override_ends)),
        colour::MUTED,
        true,
    )?;
    Ok(())
}

/// The medians of the cumulative deficit (in £m, positive = deficit) with and without the first
/// yes/no event whose sides differ by at least £0.1m somewhere.
struct SplitLines {
    label: String,
    share: f64,
    /// The year stated (the override's end, else where the sides differ most) and the medians.
    year: dsg_core::FinancialYear,
    at_year: (f64, f64),
    /// The medians from the base year: if it happens, and if not.
    lines: [Vec<(f64, f64)>; 2],
}

fn split_medians(summary: &Summary, years: usize) -> Option<SplitLines> {
    let sc = &summary.scenario;
    let open = (x_of(sc.base_year), -m(sc.opening_balance));
    summary.splits.iter().find_map(|split| {
        if split.years.len() != years {
            return None;
        }
        let side = |happens: bool| -> Vec<(f64, f64)> {
            let points: Option<Vec<(f64, f64)>> = split
                .years
                .iter()
                .map(|y| {
                    let s = if happens { y.happens } else { y.not };
                    s.map(|s| (x_of(y.year), -m(s.balance.p50)))
                })
                .collect();
            points.map_or_else(Vec::new, |p| std::iter::once(open).chain(p).collect())
        };
        let lines = [side(true), side(false)];
        let gaps: Vec<f64> = lines[0]
            .iter()
            .zip(&lines[1])
            .map(|(a, b)| (a.1 - b.1).abs())
            .collect();
        let widest = gaps.iter().copied().fold(0.0, f64::max);
        // Stated when the statutory override ends, as in the headline, else where widest.
        let i = split
            .years
            .iter()
            .position(|y| y.year == sc.override_ends)
            .map(|t| t + 1)
            .or_else(|| gaps.iter().position(|&g| g == widest))?;
        (widest >= 0.1 && i >= 1 && i < lines[0].len()).then(|| SplitLines {
            label: split.label.clone(),
            share: split.probability,
            year: split.years[i - 1].year,
            at_year: (lines[0][i].1, lines[1][i].1),
            lines,
        })
    })
}
