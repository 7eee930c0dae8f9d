//! The charts, one module each, and pieces they share.

pub(crate) mod exceedance;
pub(crate) mod fan;
pub(crate) mod funding;
pub(crate) mod mitigations;
pub(crate) mod safety_valve;
pub(crate) mod spend;

use dsg_montecarlo::Summary;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::PlotError;
use crate::axes::Chart2d;
use crate::data::{m, series, x_of};
use crate::theme::{Theme, measure, size};

/// Cumulative deficits (positive = deficit, £m) of one balance series, starting from the base
/// year's opening balance: quantiles in the order p5 .. p95 of the *deficit*.
pub(crate) struct Deficits {
    pub xs: Vec<f64>,
    /// `q[k][i]`: the k-th quantile (p5, p10, p25, p50, p75, p90, p95) of the deficit at `xs[i]`.
    pub q: [Vec<f64>; 7],
}

impl Deficits {
    /// Reads `name` (a cumulative balance series, negative = deficit).
    pub fn of(summary: &Summary, name: &str) -> Result<Self, PlotError> {
        let stats = series(summary, name)?;
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
        let lower = self.xs.iter().copied().zip(self.q[lo].iter().copied()).rev();
        upper.chain(lower).collect()
    }

    /// The line of quantile `k`.
    pub fn line(&self, k: usize) -> Vec<(f64, f64)> {
        self.xs.iter().copied().zip(self.q[k].iter().copied()).collect()
    }

    /// Every value.
    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.q.iter().flatten().copied()
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
