//! The charts, one module each, and pieces they share.

pub(crate) mod ages;
pub(crate) mod backtest;
pub(crate) mod bars;
pub(crate) mod children;
pub(crate) mod exceedance;
pub(crate) mod fan;
pub(crate) mod funding;
pub(crate) mod mitigations;
pub(crate) mod options;
pub(crate) mod s_curve;
pub(crate) mod safety_valve;
pub(crate) mod spend;
pub(crate) mod tornado;
pub(crate) mod track_record;

use dsg_core::SeriesKey;
use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::PlotError;
use crate::axes::Chart2d;
use crate::data::{m, series, x_of};
use crate::theme::{Theme, colour, measure, size};

/// Cumulative deficits (positive = deficit, £m) of one balance series, starting from the base
/// year's opening balance: quantiles in the order p5 .. p95 of the *deficit*.
pub(crate) struct Deficits {
    pub xs: Vec<f64>,
    /// `q[k][i]`: the k-th quantile (p5, p10, p25, p50, p75, p90, p95) of the deficit at `xs[i]`.
    pub q: [Vec<f64>; 7],
}

impl Deficits {
    /// Reads `key` (a cumulative balance series, negative = deficit).
    pub fn of(summary: &Summary, key: SeriesKey) -> Result<Self, PlotError> {
        let stats = series(summary, key)?;
        let open = -m(summary.scenario.opening_balance);
        let mut xs = vec![x_of(summary.scenario.base_year)];
        let mut q: [Vec<f64>; 7] = Default::default();
        for v in q.iter_mut() {
            v.push(open);
        }
        for s in stats {
            xs.push(x_of(s.year));
            // The deficit's p5 is the balance's p95, and so on.
            let bq = s.quantiles();
            for (k, v) in q.iter_mut().enumerate() {
                v.push(-m(bq[6 - k]));
            }
        }
        Ok(Deficits { xs, q })
    }

    /// The band between quantiles `lo` and `hi` (indices into `q`) as a polygon.
    pub fn band(&self, lo: usize, hi: usize) -> Vec<(f64, f64)> {
        let upper = self.xs.iter().copied().zip(self.q[hi].iter().copied());
        let lower = self
            .xs
            .iter()
            .copied()
            .zip(self.q[lo].iter().copied())
            .rev();
        upper.chain(lower).collect()
    }

    /// The line of quantile `k`.
    pub fn line(&self, k: usize) -> Vec<(f64, f64)> {
        self.xs
            .iter()
            .copied()
            .zip(self.q[k].iter().copied())
            .collect()
    }

    /// Every value of quantiles `lo..=hi` (indices into `q`).
    pub fn values(&self, lo: usize, hi: usize) -> impl Iterator<Item = f64> + '_ {
        self.q[lo..=hi.min(6)].iter().flatten().copied()
    }

    /// Whether every path gave the same balance (a scenario without uncertainty): the bands
    /// have no width.
    pub fn is_degenerate(&self) -> bool {
        let scale = self.values(0, 6).fold(1.0, |a: f64, v| a.max(v.abs()));
        self.q[0]
            .iter()
            .zip(&self.q[6])
            .all(|(lo, hi)| (hi - lo).abs() <= scale * 1e-9)
    }
}

/// Draws a text label in data coordinates, shifted by a pixel offset.
pub(crate) fn label_at<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    at: (f64, f64),
    offset: (i32, i32),
    text: &str,
    style: TextStyle<'static>,
) -> Result<(), PlotError> {
    chart.draw_series(std::iter::once(
        EmptyElement::at(at) + Text::new(text.to_string(), offset, style),
    ))?;
    Ok(())
}

/// Writes a panel's title at the top left of `area` (one of a chart's side-by-side panels) and
/// returns the area below it.
pub(crate) fn panel_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    text: &str,
) -> Result<DrawingArea<DB, Shift>, PlotError> {
    let font = theme.bold(size::PANEL_TITLE);
    let title_h = measure(&font, "Ag")?.1 + theme.px(12.0);
    area.draw(&Text::new(
        text.to_string(),
        (theme.px(14.0), theme.px(2.0)),
        font.color(&colour::TEXT)
            .pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    let (w, h) = area.dim_in_pixel();
    Ok(area
        .clone()
        .shrink((0, title_h), (w, h.saturating_sub(title_h as u32))))
}

/// Draws a text label on a white box (so that it reads over hatching or bands), in data
/// coordinates shifted by a pixel offset, anchored at `pos`.
pub(crate) fn boxed_label_at<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    theme: &Theme,
    at: (f64, f64),
    offset: (i32, i32),
    text: &str,
    style: TextStyle<'static>,
) -> Result<(), PlotError> {
    let (w, h) = measure(&style.font, text)?;
    let (dx, dy) = offset;
    let x0 = match style.pos.h_pos {
        HPos::Left => dx,
        HPos::Center => dx - w / 2,
        HPos::Right => dx - w,
    };
    let y0 = match style.pos.v_pos {
        VPos::Top => dy,
        VPos::Center => dy - h / 2,
        VPos::Bottom => dy - h,
    };
    let pad = theme.px(5.0);
    chart.draw_series(std::iter::once(
        EmptyElement::at(at)
            + Rectangle::new(
                [(x0 - pad, y0 - pad), (x0 + w + pad, y0 + h + pad)],
                WHITE.mix(0.9).filled(),
            )
            + Text::new(text.to_string(), offset, style),
    ))?;
    Ok(())
}

/// Draws a vertical marker line (dashed or solid) at `x` with `label` at the top, on the side
/// with room for it (left when there is).
pub(crate) fn vertical_marker<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    theme: &Theme,
    x: f64,
    label: &str,
    colour_: RGBColor,
    dashed: bool,
) -> Result<(), PlotError> {
    let xr = chart.x_range();
    let yr = chart.y_range();
    if !(x > xr.start && x < xr.end) {
        return Ok(());
    }
    let ends = vec![(x, yr.start), (x, yr.end)];
    if dashed {
        chart.draw_series(DashedLineSeries::new(
            ends,
            theme.px(9.0),
            theme.px(6.0),
            theme.line(colour_, 2.0),
        ))?;
    } else {
        chart.draw_series(LineSeries::new(ends, theme.line(colour_, 2.5)))?;
    }
    let font = theme.font(size::LABEL);
    let (label_w, _) = measure(&font, label)?;
    let (px, _) = chart.backend_coord(&(x, yr.end));
    let (left, _) = chart.backend_coord(&(xr.start, yr.end));
    let gap = theme.px(7.0);
    let (hpos, dx) = if px - left >= label_w + 2 * gap {
        (HPos::Right, -gap)
    } else {
        (HPos::Left, gap)
    };
    label_at(
        chart,
        (x, yr.end),
        (dx, theme.px(6.0)),
        label,
        font.color(&colour_).pos(Pos::new(hpos, VPos::Top)),
    )
}

/// Hatches the region between polylines `a` and `b` (same x values, in data coordinates) with
/// diagonal lines, drawn in pixels on `area`, the area `chart` was built on.
pub(crate) fn hatch_between<DB: DrawingBackend>(
    chart: &Chart2d<'_, DB>,
    area: &DrawingArea<DB, Shift>,
    a: &[(f64, f64)],
    b: &[(f64, f64)],
    style: ShapeStyle,
    spacing: i32,
) -> Result<(), PlotError> {
    if a.len() < 2 || a.len() != b.len() {
        return Ok(());
    }
    let (bx, by) = area.get_base_pixel();
    let to_px = |p: &(f64, f64)| {
        let (x, y) = chart.backend_coord(p);
        (f64::from(x - bx), f64::from(y - by))
    };
    let pa: Vec<(f64, f64)> = a.iter().map(to_px).collect();
    let pb: Vec<(f64, f64)> = b.iter().map(to_px).collect();
    let at = |pts: &[(f64, f64)], x: f64| -> f64 {
        for w in pts.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            if x >= x0 && x <= x1 {
                let t = if x1 > x0 { (x - x0) / (x1 - x0) } else { 0.0 };
                return y0 + t * (y1 - y0);
            }
        }
        pts.last().map_or(0.0, |p| p.1)
    };
    let x_lo = pa[0].0.ceil() as i32;
    let x_hi = pa[pa.len() - 1].0.floor() as i32;
    let ys = pa.iter().chain(&pb).map(|p| p.1);
    let y_lo = ys.clone().fold(f64::INFINITY, f64::min).floor() as i32;
    let y_hi = ys.fold(f64::NEG_INFINITY, f64::max).ceil() as i32;
    let spacing = spacing.max(2);
    // Lines y = k - x ("/"), k on a fixed grid so the pattern does not depend on the data.
    let mut k = (x_lo + y_lo).div_euclid(spacing) * spacing;
    let mut segments = Vec::new();
    while k <= x_hi + y_hi {
        let mut start: Option<i32> = None;
        for x in x_lo..=x_hi + 1 {
            let inside = x <= x_hi && {
                let y = f64::from(k - x);
                let (ya, yb) = (at(&pa, f64::from(x)), at(&pb, f64::from(x)));
                y >= ya.min(yb) && y <= ya.max(yb)
            };
            match (inside, start) {
                (true, None) => start = Some(x),
                (false, Some(s)) => {
                    if x - 1 > s {
                        segments.push(vec![(s, k - s), (x - 1, k - x + 1)]);
                    }
                    start = None;
                }
                _ => {}
            }
        }
        k += spacing;
    }
    for seg in segments {
        area.draw(&PathElement::new(seg, style))?;
    }
    Ok(())
}
