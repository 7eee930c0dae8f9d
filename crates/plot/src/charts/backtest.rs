//! Backtest charts (docs/model.md section 12): each origin's forecast fan against what happened,
//! and the histogram of PIT values (flat when the forecasts are calibrated).

use dsg_analysis::backtest::Backtest;
use plotters::coord::Shift;
use plotters::prelude::*;

use std::path::Path;

use crate::axes::{Axis, Fmt, Grid, build};
use crate::data::extent;
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, count, draw_frame};
use crate::theme::{Theme, colour};
use crate::{PNG_SIZE, PlotError, SVG_SIZE, write_error, write_png_file};

/// Title of the fan chart.
pub(crate) const FAN_TITLE: &str = "How the forecasts compared with what happened";
/// Title of the PIT histogram.
pub(crate) const PIT_TITLE: &str = "Where the outcomes fell in their forecasts";

fn source(b: &Backtest) -> String {
    format!(
        "Source: dsg-forecast {}, dsg backtest; {} paths per forecast, seed {}",
        env!("CARGO_PKG_VERSION"),
        count(b.settings.paths as u64),
        b.settings.seed
    )
}

fn plain_years(first: i32, last: i32, desc: &str) -> Axis {
    let (a, b) = (f64::from(first), f64::from(last.max(first)));
    Axis {
        range: (a - 0.5)..(b + 0.5),
        ticks: (first..=last.max(first)).map(f64::from).collect(),
        fmt: Fmt::Plain,
        desc: desc.to_string(),
    }
}

pub(crate) fn draw_fan<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    b: &Backtest,
) -> Result<(), PlotError> {
    let theme = Theme::ready(area)?;
    let k = 1e3; // thousands
    let (first, last) = match (b.actuals.first(), b.actuals.last()) {
        (Some(f), Some(l)) => (f.0, l.0),
        _ => return Err(PlotError::NoData("no actual values".to_string())),
    };
    let all = b.summary.first();
    let (_, hi) = extent(
        b.actuals
            .iter()
            .map(|a| a.1 / k)
            .chain(b.fans.iter().flat_map(|f| {
                f.bands
                    .iter()
                    .filter(|(y, _)| *y <= last)
                    .map(|(_, q)| q[4] / k)
            })),
    )
    .ok_or_else(|| PlotError::NoData("no finite values".to_string()))?;
    let (lo, _) = extent(b.actuals.iter().map(|a| a.1 / k))
        .ok_or_else(|| PlotError::NoData("no finite values".to_string()))?;
    let x = plain_years(first, last, "Year");
    let y = Axis::nice(
        lo * 0.8,
        hi * 1.05,
        6,
        true,
        format!("{}, thousands", b.series),
    );
    let message = match all {
        Some(a) => format!(
            "From each origin the model was refitted on the years up to it only. Of {} forecasts up to {} years ahead, {:.0}% of outcomes fell inside the 90% range and {:.0}% inside the 50% range.",
            a.forecasts,
            b.settings.horizons,
            100.0 * a.coverage[2],
            100.0 * a.coverage[0]
        ),
        None => String::new(),
    };
    let legend = vec![
        LegendItem::new(
            Swatch::Fill(colour::BAND_90.mix(0.6)),
            "Each origin's 90% range (P5 to P95)",
        ),
        LegendItem::new(
            Swatch::Line {
                colour: colour::BLUE,
                width: 1.5,
            },
            "Its median",
        ),
        LegendItem::new(
            Swatch::Marker {
                colour: colour::TEXT,
                width: 2.5,
            },
            "What happened",
        ),
    ];
    let plot = draw_frame(
        area,
        &theme,
        &Frame {
            title: FAN_TITLE.to_string(),
            subtitle: vec![message],
            legend,
            legend_at: LegendAt::Below,
            source: source(b),
        },
    )?;
    let mut chart = build(&plot, &theme, &x, &y, Grid::default())?;
    for fan in &b.fans {
        let shown: Vec<&(i32, [f64; 5])> = fan.bands.iter().filter(|(y, _)| *y <= last).collect();
        if shown.is_empty() {
            continue;
        }
        let start = (f64::from(fan.origin.0), fan.origin.1 / k);
        let mut poly = vec![start];
        poly.extend(shown.iter().map(|(y, q)| (f64::from(*y), q[4] / k)));
        poly.extend(shown.iter().rev().map(|(y, q)| (f64::from(*y), q[0] / k)));
        chart.draw_series(std::iter::once(Polygon::new(
            poly,
            colour::BAND_90.mix(0.35).filled(),
        )))?;
        let mut median = vec![start];
        median.extend(shown.iter().map(|(y, q)| (f64::from(*y), q[2] / k)));
        chart.draw_series(LineSeries::new(median, theme.line(colour::BLUE, 1.5)))?;
    }
    // Actuals, broken at series breaks.
    let mut segment: Vec<(f64, f64)> = Vec::new();
    for (year, value, brk) in &b.actuals {
        if *brk && !segment.is_empty() {
            chart.draw_series(LineSeries::new(
                segment.clone(),
                theme.line(colour::TEXT, 2.5),
            ))?;
            segment.clear();
        }
        segment.push((f64::from(*year), value / k));
    }
    chart.draw_series(LineSeries::new(segment, theme.line(colour::TEXT, 2.5)))?;
    let r = theme.px(4.0).max(2);
    chart.draw_series(b.actuals.iter().map(|(year, value, _)| {
        Circle::new((f64::from(*year), value / k), r, colour::TEXT.filled())
    }))?;
    Ok(())
}

pub(crate) fn draw_pit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    b: &Backtest,
) -> Result<(), PlotError> {
    let theme = Theme::ready(area)?;
    let Some(all) = b.summary.first() else {
        return Err(PlotError::NoData("no forecasts scored".to_string()));
    };
    let hist = &all.pit_histogram;
    let bins = hist.len().max(1);
    let n: usize = hist.iter().sum();
    let expected = n as f64 / bins as f64;
    let top = hist.iter().copied().max().unwrap_or(0) as f64;
    let x = Axis::nice(
        0.0,
        100.0,
        10,
        false,
        "PIT: the forecast's probability of a value at most the outcome",
    );
    let mut y = Axis::nice(0.0, top.max(expected) * 1.15 + 1.0, 5, true, "Forecasts");
    y.fmt = Fmt::Plain;
    // Counts: only whole-number ticks (a 2.5 step would be labelled 2, 5, 8).
    y.ticks.retain(|t| t.fract() == 0.0);
    let message = format!(
        "{n} forecasts of {}. Calibrated forecasts give a flat histogram; a U shape means ranges too narrow, a hump in the middle ranges too wide, a slope a bias.",
        b.series
    );
    let legend = super::track_record::pit_legend();
    let plot = draw_frame(
        area,
        &theme,
        &Frame {
            title: PIT_TITLE.to_string(),
            subtitle: vec![message],
            legend,
            legend_at: LegendAt::Below,
            source: source(b),
        },
    )?;
    let mut chart = build(&plot, &theme, &x, &y, Grid::default())?;
    let w = 100.0 / bins as f64;
    chart.draw_series(hist.iter().enumerate().map(|(i, c)| {
        let x0 = i as f64 * w;
        Rectangle::new(
            [(x0 + w * 0.05, 0.0), (x0 + w * 0.95, *c as f64)],
            colour::BLUE.filled(),
        )
    }))?;
    super::track_record::reference_line(
        &mut chart,
        &theme,
        vec![(0.0, expected), (100.0, expected)],
    )?;
    Ok(())
}

/// Writes both charts of each backtest (see [`crate::write_backtest`]).
pub(crate) fn write(
    results: &[dsg_analysis::backtest::Backtest],
    dir: &Path,
) -> Result<Vec<String>, PlotError> {
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let mut written = Vec::new();
    for (i, b) in results.iter().enumerate() {
        let suffix = if i == 0 {
            String::new()
        } else {
            format!("-{}", b.series.replace('.', "-"))
        };
        for (stem, pit) in [("backtest-fan", false), ("pit", true)] {
            let stem = format!("{stem}{suffix}");
            let (w, h) = PNG_SIZE;
            let mut pixels = vec![0u8; w as usize * h as usize * 3];
            {
                let area = BitMapBackend::with_buffer(&mut pixels, PNG_SIZE).into_drawing_area();
                if pit {
                    draw_pit(&area, b)?;
                } else {
                    draw_fan(&area, b)?;
                }
                area.present()?;
            }
            let png = dir.join(format!("{stem}.png"));
            write_png_file(&png, &pixels, PNG_SIZE)?;
            let mut svg = String::new();
            {
                let area = SVGBackend::with_string(&mut svg, SVG_SIZE).into_drawing_area();
                if pit {
                    draw_pit(&area, b)?;
                } else {
                    draw_fan(&area, b)?;
                }
                area.present()?;
            }
            let path = dir.join(format!("{stem}.svg"));
            std::fs::write(&path, svg).map_err(|e| write_error(&path, e))?;
            written.push(format!("{stem}.png"));
            written.push(format!("{stem}.svg"));
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use dsg_analysis::backtest::{BacktestSettings, backtest};
    use dsg_data::history::History;
    use plotters::prelude::*;

    #[test]
    fn both_charts_render_to_svg() {
        let mut text = String::from("series,year,value,break\n");
        for (i, v) in [
            100.0, 110.0, 119.0, 131.0, 142.0, 158.0, 171.0, 200.0, 220.0,
        ]
        .iter()
        .enumerate()
        {
            let brk = if i == 7 { "break" } else { "" };
            text.push_str(&format!("caseload,{},{v},{brk}\n", 2015 + i));
        }
        let h = History::from_csv_str(&text, "h.csv").unwrap();
        let b = backtest(
            &h.series[0],
            &BacktestSettings {
                paths: 300,
                ..Default::default()
            },
            0,
        )
        .unwrap();
        for (pit, title) in [(false, super::FAN_TITLE), (true, super::PIT_TITLE)] {
            let mut svg = String::new();
            {
                let area = SVGBackend::with_string(&mut svg, crate::SVG_SIZE).into_drawing_area();
                if pit {
                    super::draw_pit(&area, &b).unwrap();
                } else {
                    super::draw_fan(&area, &b).unwrap();
                }
                area.present().unwrap();
            }
            assert!(svg.contains(title), "{title}");
            assert!(svg.contains("dsg backtest"));
        }
    }
}
