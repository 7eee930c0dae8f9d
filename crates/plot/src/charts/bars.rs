//! The scaffold the bar charts share (options, tornado, the mitigations' impacts): one row per
//! item, the first at the top, its name wrapped left of the bars; bars, whiskers and value labels
//! drawn on a row.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::PlotError;
use crate::axes::{Axis, Chart2d, Fmt, Grid, build};
use crate::charts::label_at;
use crate::theme::{Theme, colour, measure, size};

/// A bar chart of one row per item, built on an area with its names laid out.
pub(crate) struct RowChart<'a, DB: DrawingBackend> {
    /// The chart, x the value axis, row `i` at y = `n - 1 - i`.
    pub chart: Chart2d<'a, DB>,
    labels: Vec<Vec<String>>,
}

impl<'a, DB: DrawingBackend> RowChart<'a, DB> {
    /// Builds the chart on `area`: one row per name, each name wrapped to `label_share` percent
    /// of the area's width, the value axis `x`, and at least `min_rows` rows' height (so that one
    /// or two bars are not slabs).
    pub fn build<'n>(
        area: &'a DrawingArea<DB, Shift>,
        theme: &Theme,
        names: impl Iterator<Item = &'n str>,
        label_share: i32,
        x: &Axis,
        min_rows: f64,
    ) -> Result<Self, PlotError> {
        let (w, _) = area.dim_in_pixel();
        let (labels, label_w) = row_labels(theme, names, w as i32 * label_share / 100)?;
        let y = row_axis(labels.len(), min_rows);
        let grid = Grid {
            x: true,
            no_y: true,
            y_label_w: label_w,
        };
        let chart = build(area, theme, x, &y, grid)?;
        Ok(RowChart { chart, labels })
    }

    /// The y value of row `i`.
    pub fn y(&self, i: usize) -> f64 {
        (self.labels.len() - 1 - i) as f64
    }

    /// Draws row `i`'s bar from `from` to `to`, `half` a row high on each side of its centre.
    pub fn bar(
        &mut self,
        i: usize,
        (from, to): (f64, f64),
        half: f64,
        fill: RGBColor,
    ) -> Result<(), PlotError> {
        let y = self.y(i);
        self.chart.draw_series(std::iter::once(Rectangle::new(
            [(from, y - half), (to, y + half)],
            fill.filled(),
        )))?;
        Ok(())
    }

    /// Draws a whisker on row `i` from `from` to `to`, with a cap `cap` rows high on each side
    /// at each of `caps`.
    pub fn whisker(
        &mut self,
        i: usize,
        (from, to): (f64, f64),
        caps: &[f64],
        cap: f64,
        style: ShapeStyle,
    ) -> Result<(), PlotError> {
        let y = self.y(i);
        self.chart
            .draw_series(LineSeries::new(vec![(from, y), (to, y)], style))?;
        for &at in caps {
            self.chart
                .draw_series(LineSeries::new(vec![(at, y - cap), (at, y + cap)], style))?;
        }
        Ok(())
    }

    /// Writes `text` on row `i` at `x`, shifted `dx` pixels, anchored on its side `h` (left: the
    /// text runs right of the point).
    pub fn value(
        &mut self,
        i: usize,
        (x, dx): (f64, i32),
        text: &str,
        font: &FontDesc<'static>,
        h: HPos,
    ) -> Result<(), PlotError> {
        let y = self.y(i);
        label_at(
            &mut self.chart,
            (x, y),
            (dx, 0),
            text,
            font.color(&colour::TEXT).pos(Pos::new(h, VPos::Center)),
        )
    }

    /// Draws the names left of `x0` (the start of the value axis), each row's lines centred on
    /// the row.
    pub fn finish(mut self, theme: &Theme, x0: f64) -> Result<(), PlotError> {
        let font = theme.font(size::TICK);
        let line_h = theme.px(size::TICK * 1.2);
        let n = self.labels.len();
        for (i, lines) in self.labels.iter().enumerate() {
            let top = -(line_h * (lines.len() as i32 - 1)) / 2;
            for (j, l) in lines.iter().enumerate() {
                label_at(
                    &mut self.chart,
                    (x0, (n - 1 - i) as f64),
                    (-theme.px(10.0), top + j as i32 * line_h),
                    l,
                    font.color(&colour::TEXT)
                        .pos(Pos::new(HPos::Right, VPos::Center)),
                )?;
            }
        }
        Ok(())
    }
}

/// The y axis of a bar chart of `n` rows (row `i`, first at the top, at y = `n - 1 - i`), no
/// ticks, padded to at least `min_rows` rows' height.
fn row_axis(n: usize, min_rows: f64) -> Axis {
    let spare = (min_rows - n as f64).max(0.0) / 2.0;
    Axis {
        range: (-0.5 - spare)..(n as f64 - 0.5 + spare),
        ticks: Vec::new(),
        fmt: Fmt::None,
        desc: String::new(),
    }
}

/// The names of a bar chart's rows, each wrapped to `max_width` pixels, and the widest line.
fn row_labels<'a>(
    theme: &Theme,
    names: impl Iterator<Item = &'a str>,
    max_width: i32,
) -> Result<(Vec<Vec<String>>, i32), PlotError> {
    let font = theme.font(size::TICK);
    let mut labels = Vec::new();
    let mut widest = 0;
    for name in names {
        let lines = crate::theme::wrap(&font, name, max_width)?;
        for l in &lines {
            widest = widest.max(measure(&font, l)?.0);
        }
        labels.push(lines);
    }
    Ok((labels, widest))
}
