//! Children and families (docs/model.md section 9): children waiting for an EHC needs assessment
//! and the share of plans issued within the statutory 20 weeks, with their ranges, with and without
//! the option that changes them (the staffing option of a scenario with one).

use dsg_core::money::group_thousands;
use dsg_core::{FinancialYear, Series, SeriesKey, Variant};
use dsg_montecarlo::{Summary, YearStats};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::PlotError;
use crate::axes::{Axis, Grid, build};
use crate::charts::panel_title;
use crate::data::{extent, humanize, is_flat, series, x_of, year_end};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, draw_frame};
use crate::theme::{Theme, colour};

/// Title of the children chart.
pub(crate) const TITLE: &str = "Children waiting for an assessment, and plans issued on time";

const BAND_ALPHA: f64 = 0.25;

/// Whether the summary has an assessment pipeline to show.
pub(crate) fn applies(summary: &Summary) -> bool {
    summary
        .stats(SeriesKey::mitigated(Series::ChildrenWaiting))
        .is_some_and(|v| !v.is_empty())
}

/// `1,234` children.
fn children(x: f64) -> String {
    group_thousands(&format!("{:.0}", x.abs()))
}

/// The median, 10th and 90th percentiles of one series, scaled, by year.
struct Fan {
    xs: Vec<f64>,
    p10: Vec<f64>,
    p50: Vec<f64>,
    p90: Vec<f64>,
}

impl Fan {
    /// The fan of `stats` times `scale`, starting from `opening` at the base year when known.
    fn of(stats: &[YearStats], scale: f64, opening: Option<(f64, f64)>) -> Fan {
        let start = opening.into_iter();
        Fan {
            xs: start
                .clone()
                .map(|o| o.0)
                .chain(stats.iter().map(|s| x_of(s.year)))
                .collect(),
            p10: start
                .clone()
                .map(|o| o.1)
                .chain(stats.iter().map(|s| s.p10 * scale))
                .collect(),
            p50: start
                .clone()
                .map(|o| o.1)
                .chain(stats.iter().map(|s| s.p50 * scale))
                .collect(),
            p90: start
                .map(|o| o.1)
                .chain(stats.iter().map(|s| s.p90 * scale))
                .collect(),
        }
    }

    fn line(&self, v: &[f64]) -> Vec<(f64, f64)> {
        self.xs.iter().copied().zip(v.iter().copied()).collect()
    }

    fn band(&self) -> Vec<(f64, f64)> {
        let mut p = self.line(&self.p90);
        p.extend(self.line(&self.p10).into_iter().rev());
        p
    }

    fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.p10.iter().chain(&self.p50).chain(&self.p90).copied()
    }
}

/// The mitigations whose effect on children waiting or on the share on time is not zero in some
/// future, by index.
fn changing(summary: &Summary) -> Vec<usize> {
    (0..summary.scenario.mitigations.len())
        .filter(|&i| {
            [Series::ChildrenWaiting, Series::WithinTwentyWeeks]
                .into_iter()
                .any(|series| {
                    summary
                        .stats(SeriesKey {
                            series,
                            variant: Variant::Impact(i),
                        })
                        .is_some_and(|v| v.iter().any(|y| y.p5 != 0.0 || y.p95 != 0.0))
                })
        })
        .collect()
}

/// The year and median of the largest median effect of mitigation `i` on `series`.
fn largest_effect(summary: &Summary, i: usize, series: Series) -> Option<(FinancialYear, f64)> {
    summary
        .stats(SeriesKey {
            series,
            variant: Variant::Impact(i),
        })?
        .iter()
        .map(|y| (y.year, y.p50))
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
}

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<bool, PlotError> {
    if !applies(summary) {
        return Ok(false);
    }
    let theme = Theme::ready(area)?;
    let waiting_stats = series(summary, SeriesKey::mitigated(Series::ChildrenWaiting))?;
    let on_time_stats = series(summary, SeriesKey::mitigated(Series::WithinTwentyWeeks))?;
    let sc = &summary.scenario;
    // Children waiting start from the base year's backlog; the share on time has no base-year
    // figure.
    let opening = sc
        .opening_children_waiting
        .filter(|x| x.is_finite())
        .map(|x| (x_of(sc.base_year), x));
    let waiting = Fan::of(waiting_stats, 1.0, opening);
    let on_time = Fan::of(on_time_stats, 100.0, None);
    // Without the option(s): the forecast with no mitigation. When one mitigation alone changes
    // the pipeline, that is the forecast without it.
    let movers = changing(summary);
    let without = |series| {
        summary
            .stats(SeriesKey::unmitigated(series))
            .filter(|v| v.len() == waiting_stats.len() && !movers.is_empty())
    };
    let waiting_without = without(Series::ChildrenWaiting).map(|v| Fan::of(v, 1.0, opening));
    let on_time_without = without(Series::WithinTwentyWeeks).map(|v| Fan::of(v, 100.0, None));
    let flat = is_flat(waiting_stats) && is_flat(on_time_stats);
    // The option by name (in quotes, as the scenario calls it) when it alone changes the
    // pipeline.
    let option = match movers.as_slice() {
        [i] => sc.mitigations.get(*i).map_or_else(
            || "the option".to_string(),
            |m| format!("\u{201c}{}\u{201d}", humanize(&m.name)),
        ),
        _ => "the mitigations".to_string(),
    };

    // The message: where things end, then what the option changes.
    let last = waiting.xs.len() - 1;
    let horizon = waiting_stats[waiting_stats.len() - 1].year;
    let on_time_last = on_time.p50[on_time.p50.len() - 1];
    let mut message = format!(
        "Median children waiting at {}: {}{}; plans issued within 20 weeks in {horizon}: {:.0}%.",
        year_end(horizon),
        children(waiting.p50[last]),
        if flat {
            String::new()
        } else {
            format!(
                " (8 in 10 futures between {} and {})",
                children(waiting.p10[last]),
                children(waiting.p90[last])
            )
        },
        on_time_last,
    );
    if let Some((_, q0)) = opening {
        message.push_str(&format!(
            " {} were waiting at {}.",
            children(q0),
            year_end(sc.base_year)
        ));
    }
    if let [i] = movers.as_slice() {
        let fewer = largest_effect(summary, *i, Series::ChildrenWaiting);
        let sooner = largest_effect(summary, *i, Series::WithinTwentyWeeks);
        if let Some((y, e)) = fewer.filter(|(_, e)| e.abs() >= 0.5) {
            message.push_str(&format!(
                " With {option}: a median of {} {} children waiting at {}",
                children(e),
                if e < 0.0 { "fewer" } else { "more" },
                year_end(y)
            ));
            match sooner.filter(|(_, e)| e.abs() >= 0.005) {
                Some((y, e)) => message.push_str(&format!(
                    ", and {:.0} percentage points {} of the plans issued on time in {y}.",
                    (e * 100.0).abs(),
                    if e > 0.0 { "more" } else { "fewer" }
                )),
                None => message.push('.'),
            }
        }
    }

    let mut legend = vec![LegendItem::new(
        Swatch::Line {
            colour: colour::BLUE,
            width: 3.0,
        },
        if movers.is_empty() {
            "Median".to_string()
        } else {
            "With every mitigation (median)".to_string()
        },
    )];
    if !flat {
        legend.push(LegendItem::new(
            Swatch::Fill(colour::BLUE.mix(BAND_ALPHA)),
            if movers.is_empty() {
                "8 in 10 futures (10th\u{2013}90th percentile)"
            } else {
                "With every mitigation: 8 in 10 futures (10th\u{2013}90th percentile)"
            },
        ));
    }
    if let Some((_, q0)) = opening {
        legend.push(LegendItem::new(
            Swatch::Marker {
                colour: colour::HISTORY,
                width: 0.0,
            },
            format!(
                "Waiting at {} (the scenario's figure: {})",
                year_end(sc.base_year),
                children(q0)
            ),
        ));
    }
    if waiting_without.is_some() {
        legend.push(LegendItem::new(
            Swatch::Line {
                colour: colour::VERMILLION,
                width: 3.0,
            },
            format!("Without {option} (median, same futures)"),
        ));
    }
    let plot = draw_frame(
        area,
        &theme,
        &Frame::for_run(summary, TITLE, message, legend, LegendAt::Below),
    )?;
    let (pw, _) = plot.dim_in_pixel();
    let (left, right) = plot.split_horizontally(pw as i32 / 2);
    let first = waiting.xs.first().copied().unwrap_or(x_of(sc.base_year)) as u16;
    let x_axis = || Axis::years(first, horizon.start_year(), 0.3, "Financial year");

    // Left: children waiting at 31 March.
    let left = panel_title(
        &left,
        &theme,
        "Children waiting for an assessment, 31 March",
    )?;
    let (_, hi) = extent(
        waiting
            .values()
            .chain(waiting_without.iter().flat_map(Fan::values))
            .chain([0.0]),
    )
    .ok_or_else(|| PlotError::NoData("no finite children waiting".to_string()))?;
    let y = Axis::nice(0.0, hi.max(1.0) * 1.05, 6, true, "Children");
    draw_panel(
        &left,
        &theme,
        (&x_axis(), &y),
        &waiting,
        waiting_without.as_ref(),
        (flat, opening),
    )?;

    // Right: the share on time, 0 to 100%.
    let right = panel_title(&right, &theme, "Plans issued within 20 weeks")?;
    let y = Axis::nice(0.0, 100.0, 5, false, "Share of plans issued");
    draw_panel(
        &right,
        &theme,
        (&x_axis(), &y),
        &on_time,
        on_time_without.as_ref(),
        (flat, None),
    )?;
    Ok(true)
}

/// One panel: the fan with every mitigation (band filled, median solid) and, when given, the
/// median without, drawn first so that "with" is on top; the known opening value marked. The range is drawn once, for the
/// forecast itself: two overlapping ranges of a share that can reach 100% read as one.
fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (x, y): (&Axis, &Axis),
    with: &Fan,
    without: Option<&Fan>,
    (flat, opening): (bool, Option<(f64, f64)>),
) -> Result<(), PlotError> {
    let mut chart = build(area, theme, x, y, Grid::default())?;
    if !flat {
        chart.draw_series(std::iter::once(Polygon::new(
            with.band(),
            colour::BLUE.mix(BAND_ALPHA).filled(),
        )))?;
    }
    if let Some(w) = without {
        chart.draw_series(LineSeries::new(
            w.line(&w.p50),
            theme.line(colour::VERMILLION, 3.0),
        ))?;
    }
    chart.draw_series(LineSeries::new(
        with.line(&with.p50),
        theme.line(colour::BLUE, 3.0),
    ))?;
    if let Some(at) = opening {
        // The known starting point, as the fan chart marks reported figures.
        chart.draw_series(std::iter::once(Circle::new(
            at,
            theme.px(5.0),
            colour::HISTORY.filled(),
        )))?;
    }
    Ok(())
}
