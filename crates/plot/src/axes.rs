//! Axes: tick positions chosen here (not by plotters) so that financial years never overlap and
//! money reads as `1,250` (£m).

use std::ops::Range;

use dsg_core::FinancialYear;
use dsg_core::money::group_thousands;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;

use crate::PlotError;
use crate::theme::{Theme, colour, measure, size};

/// The chart type every chart here uses: two `f64` axes with ticks at given points.
pub(crate) type Chart2d<'a, DB> = ChartContext<'a, DB, Cartesian2d<Ticked, Ticked>>;

/// A linear `f64` axis whose ticks are exactly the given points (plotters' own choice of "nice"
/// points would put labels on half years).
#[derive(Debug, Clone)]
pub(crate) struct Ticked {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span.abs() < f64::EPSILON || !v.is_finite() {
            return (limit.0 + limit.1) / 2;
        }
        let t = (v - self.lo) / span;
        limit.0 + (f64::from(limit.1 - limit.0) * t).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// How tick labels read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Fmt {
    /// A financial year given by its start year: `2026-27`.
    Year,
    /// Millions of pounds with thousands separators and this many decimals.
    Millions(usize),
    /// A percentage, whole numbers.
    Percent,
    /// No labels (categories labelled by the chart itself).
    None,
    /// A whole number as written, without separators (a calendar year).
    Plain,
}

impl Fmt {
    pub fn label(self, v: f64) -> String {
        match self {
            Fmt::Year => year_label(v),
            Fmt::Millions(d) => millions(v, d),
            Fmt::Percent => format!("{:.0}%", v),
            Fmt::None => String::new(),
            Fmt::Plain => format!("{v:.0}"),
        }
    }
}

/// `2026-27` for 2026.0; empty for anything that is not a whole year.
pub(crate) fn year_label(v: f64) -> String {
    if (v - v.round()).abs() > 1e-6 || !(1900.0..=2999.0).contains(&v) {
        return String::new();
    }
    FinancialYear::new(v.round() as u16)
        .map(|y| y.to_string())
        .unwrap_or_default()
}

/// `1,234` or `-12.5` (already in millions).
pub(crate) fn millions(v: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, v.abs());
    let grouped = group_thousands(&text);
    let zero = !text.chars().any(|c| c.is_ascii_digit() && c != '0');
    if v < 0.0 && !zero {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// One axis: its range, ticks, label format and title.
#[derive(Debug, Clone)]
pub(crate) struct Axis {
    pub range: Range<f64>,
    pub ticks: Vec<f64>,
    pub fmt: Fmt,
    pub desc: String,
}

impl Axis {
    /// A value axis covering `lo..hi` with round ticks, at most `max_intervals` between them.
    pub fn nice(
        lo: f64,
        hi: f64,
        max_intervals: usize,
        money: bool,
        desc: impl Into<String>,
    ) -> Self {
        let (range, ticks, step) = nice_ticks(lo, hi, max_intervals);
        let decimals = if step >= 1.0 {
            0
        } else if step >= 0.1 {
            1
        } else {
            2
        };
        Axis {
            range,
            ticks,
            fmt: if money {
                Fmt::Millions(decimals)
            } else {
                Fmt::Percent
            },
            desc: desc.into(),
        }
    }

    /// A year axis from `first` to `last` (start years), padded by `pad` years each side; every
    /// year is a candidate tick and [`build`] thins them so labels never touch.
    pub fn years(first: u16, last: u16, pad: f64, desc: impl Into<String>) -> Self {
        let (a, b) = (f64::from(first), f64::from(last.max(first)));
        Axis {
            range: (a - pad)..(b + pad),
            ticks: (first..=last.max(first)).map(f64::from).collect(),
            fmt: Fmt::Year,
            desc: desc.into(),
        }
    }
}

/// Range widened to whole steps, the ticks in it, and the step: the smallest round step (1, 2,
/// 2.5 or 5 times a power of ten) that needs at most `max_intervals` intervals.
pub(crate) fn nice_ticks(lo: f64, hi: f64, max_intervals: usize) -> (Range<f64>, Vec<f64>, f64) {
    let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    if hi - lo < 1e-9 {
        let d = if hi.abs() > 0.0 { hi.abs() * 0.1 } else { 1.0 };
        lo -= d;
        hi += d;
    }
    let max_intervals = max_intervals.max(1) as f64;
    let raw = (hi - lo) / max_intervals;
    let mag = 10f64.powf(raw.log10().floor());
    let bounds = |step: f64| ((lo / step + 1e-9).floor(), (hi / step - 1e-9).ceil());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0]
        .iter()
        .map(|m| m * mag)
        .find(|&step| {
            let (a, b) = bounds(step);
            b - a <= max_intervals
        })
        .unwrap_or(100.0 * mag);
    let (first, last) = bounds(step);
    let ticks: Vec<f64> = (0..=((last - first) as i64))
        .map(|i| (first + i as f64) * step)
        .map(|v| if v.abs() < step * 1e-9 { 0.0 } else { v })
        .collect();
    ((first * step)..(last * step), ticks, step)
}

/// Options for the grid and label areas.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Grid {
    /// Vertical grid lines at the x ticks.
    pub x: bool,
    /// Horizontal grid lines at the y ticks are drawn unless this is set.
    pub no_y: bool,
    /// Width in pixels reserved for labels left of the y axis, at least (for labels the chart
    /// draws itself, such as category names).
    pub y_label_w: i32,
}

/// Builds a chart on `area` with the given axes, draws its grid, ticks and axis titles.
pub(crate) fn build<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    x: &Axis,
    y: &Axis,
    grid: Grid,
) -> Result<Chart2d<'a, DB>, PlotError> {
    let tick_font = theme.font(size::TICK);
    let desc_font = theme.font(size::AXIS);
    let (area_w, _) = area.dim_in_pixel();

    let mut y_label_w = grid.y_label_w;
    for &t in &y.ticks {
        y_label_w = y_label_w.max(measure(&tick_font, &y.fmt.label(t))?.0);
    }
    let desc_h = measure(&desc_font, "£m 2026-27")?.1;
    let tick_h = measure(&tick_font, "2026-27 £m")?.1;
    let y_area = y_label_w
        + theme.px(14.0)
        + if y.desc.is_empty() {
            0
        } else {
            desc_h + theme.px(14.0)
        };
    let x_area = tick_h
        + theme.px(14.0)
        + if x.desc.is_empty() {
            0
        } else {
            desc_h + theme.px(12.0)
        };
    let margin_left = theme.px(14.0);
    let margin_right = theme.px(30.0);

    // Thin year ticks so that labels keep a gap between them; keep the last year.
    let mut x_ticks = x.ticks.clone();
    if x.fmt == Fmt::Year && x_ticks.len() > 1 {
        let plot_w = f64::from(area_w as i32 - y_area - margin_left - margin_right);
        let span = x.range.end - x.range.start;
        let per_year = plot_w / span.max(1e-9);
        let label_w = f64::from(measure(&tick_font, "2026-27")?.0);
        let need = label_w + f64::from(theme.px(12.0));
        let step = (need / per_year).ceil().max(1.0) as usize;
        let last = x_ticks.len() - 1;
        x_ticks = x_ticks
            .iter()
            .enumerate()
            .filter(|(i, _)| (last - i).is_multiple_of(step))
            .map(|(_, v)| *v)
            .collect();
    }

    let mut chart = ChartBuilder::on(area)
        .margin_top(theme.px(8.0))
        .margin_left(margin_left)
        .margin_right(margin_right)
        .margin_bottom(theme.px(2.0))
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            Ticked {
                lo: x.range.start,
                hi: x.range.end,
                ticks: x_ticks,
            },
            Ticked {
                lo: y.range.start,
                hi: y.range.end,
                ticks: y.ticks.clone(),
            },
        )?;

    let xf = x.fmt;
    let yf = y.fmt;
    let x_formatter = move |v: &f64| xf.label(*v);
    let y_formatter = move |v: &f64| yf.label(*v);
    let mut mesh = chart.configure_mesh();
    mesh.x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .label_style(tick_font.color(&colour::TEXT))
        .axis_desc_style(desc_font.color(&colour::TEXT))
        .bold_line_style(theme.line(colour::GRID, 1.0))
        .light_line_style(TRANSPARENT)
        .axis_style(theme.line(colour::AXIS, 1.2))
        .set_all_tick_mark_size(theme.px(5.0));
    if !x.desc.is_empty() {
        mesh.x_desc(x.desc.clone());
    }
    if !y.desc.is_empty() {
        mesh.y_desc(y.desc.clone());
    }
    if !grid.x {
        mesh.disable_x_mesh();
    }
    if grid.no_y {
        mesh.disable_y_mesh();
    }
    mesh.draw()?;
    Ok(chart)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_cover_the_data_and_respect_the_limit() {
        let (range, ticks, step) = nice_ticks(0.0, 648.0, 7);
        assert_eq!(step, 100.0);
        assert_eq!(range, 0.0..700.0);
        assert_eq!(ticks.len(), 8);
        let (range, _, step) = nice_ticks(-12.0, 497.0, 7);
        assert_eq!(step, 100.0);
        assert_eq!(range, -100.0..500.0);
        let (_, ticks, _) = nice_ticks(0.0, 100.0, 5);
        assert_eq!(ticks, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        for (lo, hi, max) in [
            (0.0, 1.0, 6),
            (3.3, 3.3, 6),
            (-5e9, 2e9, 7),
            (0.001, 0.002, 4),
        ] {
            let (range, ticks, _) = nice_ticks(lo, hi, max);
            assert!(range.start <= lo && range.end >= hi, "{lo} {hi}");
            assert!(ticks.len() <= max + 1, "{lo} {hi}: {ticks:?}");
        }
        let (range, _, _) = nice_ticks(f64::NAN, 1.0, 5);
        assert!(range.start.is_finite() && range.end.is_finite());
    }

    #[test]
    fn labels_read_as_a_finance_officer_writes_them() {
        assert_eq!(year_label(2026.0), "2026-27");
        assert_eq!(year_label(1999.0), "1999-00");
        assert_eq!(year_label(2026.5), "");
        assert_eq!(millions(1250.0, 0), "1,250");
        assert_eq!(millions(-12.5, 1), "-12.5");
        assert_eq!(millions(-0.01, 0), "0");
        assert_eq!(Fmt::Percent.label(40.0), "40%");
        assert_eq!(Fmt::None.label(3.0), "");
    }
}
