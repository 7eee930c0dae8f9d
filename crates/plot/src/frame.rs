//! The parts every chart shares: white page, title, subtitle, legend outside the plot, source
//! note at the bottom.

use dsg_core::money::group_thousands;
use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBAColor;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::PlotError;
use crate::theme::{Theme, colour, measure, size, wrap};

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    /// A filled box (bands, bars, areas).
    Fill(RGBAColor),
    /// A line of reference width `width`.
    Line { colour: RGBColor, width: f64 },
    /// A dashed line.
    Dashed { colour: RGBColor, width: f64 },
    /// A line with a round marker.
    Marker { colour: RGBColor, width: f64 },
    /// Diagonal hatching.
    Hatch(RGBAColor),
}

/// One legend entry.
#[derive(Debug, Clone)]
pub(crate) struct LegendItem {
    pub swatch: Swatch,
    pub label: String,
}

impl LegendItem {
    pub fn new(swatch: Swatch, label: impl Into<String>) -> Self {
        LegendItem {
            swatch,
            label: label.into(),
        }
    }
}

/// Where the legend goes: never over the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LegendAt {
    /// In rows below the plot.
    Below,
    /// In a column to the right of the plot, first entry at the top.
    Right,
}

/// The text around a chart.
pub(crate) struct Frame {
    pub title: String,
    /// Paragraphs, each wrapped to the width.
    pub subtitle: Vec<String>,
    pub legend: Vec<LegendItem>,
    pub legend_at: LegendAt,
    pub source: String,
}

impl Frame {
    /// The frame of a chart of one run: its title, a message, the line naming the run, the legend
    /// and the source note.
    pub(crate) fn for_run(
        summary: &Summary,
        title: &str,
        message: String,
        legend: Vec<LegendItem>,
        legend_at: LegendAt,
    ) -> Self {
        Frame {
            title: title.to_string(),
            subtitle: vec![message, run_line(summary)],
            legend,
            legend_at,
            source: source_line(summary),
        }
    }
}

/// `12,345`.
pub(crate) fn count(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// The subtitle line every chart carries: who, what, how.
pub(crate) fn run_line(summary: &Summary) -> String {
    let who = match summary.scenario.authority.trim() {
        "" => summary.scenario.name.clone(),
        authority => format!("{authority} \u{2013} {}", summary.scenario.name),
    };
    format!(
        "{who}. {} simulated paths, seed {}, dsg-forecast {}.",
        count(summary.run.paths),
        summary.run.seed,
        summary.version
    )
}

/// The source note at the bottom of every chart.
pub(crate) fn source_line(summary: &Summary) -> String {
    format!(
        "Source: dsg-forecast {}, scenario {}; {} simulated paths, seed {}",
        summary.version,
        summary.scenario.name,
        count(summary.run.paths),
        summary.run.seed
    )
}

/// Spacing and width of hatching lines (reference pixels).
pub(crate) const HATCH_SPACING: f64 = 8.0;
pub(crate) const HATCH_WIDTH: f64 = 1.3;
const SWATCH_W: f64 = 34.0;
const SWATCH_GAP: f64 = 9.0;
const ITEM_GAP: f64 = 28.0;
const PAD_X: f64 = 26.0;

/// Draws the page and the text around the chart; returns the area left for the plot.
pub(crate) fn draw_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame,
) -> Result<DrawingArea<DB, Shift>, PlotError> {
    area.fill(&WHITE)?;
    let plot_top = draw_heading(area, theme, frame)?;
    let source_top = draw_source(area, theme, &frame.source)?;
    let between = (plot_top, source_top);
    match frame.legend_at {
        LegendAt::Below => legend_below(area, theme, &frame.legend, between),
        LegendAt::Right => legend_right(area, theme, &frame.legend, between),
    }
}

/// The left margin and the width of text between the margins.
fn text_column<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, theme: &Theme) -> (i32, i32) {
    let pad = theme.px(PAD_X);
    (pad, area.dim_in_pixel().0 as i32 - 2 * pad)
}

/// The title and the subtitle's paragraphs, wrapped, at the top; returns where the plot may
/// start.
fn draw_heading<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame,
) -> Result<i32, PlotError> {
    let (pad, inner) = text_column(area, theme);
    let top_left = Pos::new(HPos::Left, VPos::Top);
    let mut y = theme.px(18.0);
    let title_font = theme.bold(size::TITLE);
    for line in wrap(&title_font, &frame.title, inner)? {
        area.draw(&Text::new(
            line,
            (pad, y),
            title_font.color(&colour::TEXT).pos(top_left),
        ))?;
        y += theme.px(size::TITLE * 1.2);
    }
    y += theme.px(4.0);
    let sub_font = theme.font(size::SUBTITLE);
    for paragraph in &frame.subtitle {
        for line in wrap(&sub_font, paragraph, inner)? {
            area.draw(&Text::new(
                line,
                (pad, y),
                sub_font.color(&colour::MUTED).pos(top_left),
            ))?;
            y += theme.px(size::SUBTITLE * 1.3);
        }
    }
    Ok(y + theme.px(10.0))
}

/// The source note, wrapped, at the bottom left; returns where it starts.
fn draw_source<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    source: &str,
) -> Result<i32, PlotError> {
    let (pad, inner) = text_column(area, theme);
    let h = area.dim_in_pixel().1 as i32;
    let source_font = theme.font(size::SOURCE);
    let source = wrap(&source_font, source, inner)?;
    let line_h = theme.px(size::SOURCE * 1.3);
    let mut sy = h - theme.px(12.0) - line_h * source.len() as i32;
    let source_top = sy;
    for line in source {
        area.draw(&Text::new(
            line,
            (pad, sy),
            source_font
                .color(&colour::MUTED)
                .pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        sy += line_h;
    }
    Ok(source_top)
}

/// A legend's measures in pixels: its font, the height of a row, and the width of a swatch and
/// of the gap after it.
struct Measures {
    font: FontDesc<'static>,
    row_h: i32,
    swatch_w: i32,
    swatch_gap: i32,
}

impl Measures {
    fn of(theme: &Theme) -> Measures {
        Measures {
            font: theme.font(size::LEGEND),
            row_h: theme.px(size::LEGEND * 1.5),
            swatch_w: theme.px(SWATCH_W),
            swatch_gap: theme.px(SWATCH_GAP),
        }
    }
}

/// Draws a legend entry's label left-aligned at `x`, centred on `yc`.
fn legend_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    label: String,
    (x, yc): (i32, i32),
) -> Result<(), PlotError> {
    area.draw(&Text::new(
        label,
        (x, yc),
        theme
            .font(size::LEGEND)
            .color(&colour::TEXT)
            .pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    Ok(())
}

/// The legend in rows, left to right, above the source note (between `plot_top` and
/// `source_top`); returns the area above it for the plot.
fn legend_below<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    legend: &[LegendItem],
    (plot_top, source_top): (i32, i32),
) -> Result<DrawingArea<DB, Shift>, PlotError> {
    let (pad, inner) = text_column(area, theme);
    let Measures {
        font: legend_font,
        row_h,
        swatch_w,
        swatch_gap,
    } = Measures::of(theme);
    let mut rows: Vec<Vec<(&LegendItem, i32)>> = vec![Vec::new()];
    let mut x = 0;
    for item in legend {
        let text_w = measure(&legend_font, &item.label)?.0;
        let item_w = swatch_w + swatch_gap + text_w;
        if x > 0 && x + item_w > inner {
            rows.push(Vec::new());
            x = 0;
        }
        if let Some(row) = rows.last_mut() {
            row.push((item, x));
        }
        x += item_w + theme.px(ITEM_GAP);
    }
    let n_rows = rows.iter().filter(|r| !r.is_empty()).count() as i32;
    let legend_top = source_top - theme.px(12.0) - n_rows * row_h;
    for (r, row) in rows.iter().enumerate() {
        let yc = legend_top + r as i32 * row_h + row_h / 2;
        for (item, x) in row {
            draw_swatch(area, theme, item.swatch, pad + x, yc)?;
            let at = (pad + x + swatch_w + swatch_gap, yc);
            legend_text(area, theme, item.label.clone(), at)?;
        }
    }
    let bottom = if legend.is_empty() {
        source_top - theme.px(8.0)
    } else {
        legend_top - theme.px(6.0)
    };
    let w = area.dim_in_pixel().0;
    Ok(area
        .clone()
        .shrink((0, plot_top), (w, (bottom - plot_top).max(1) as u32)))
}

/// The legend in one column at the right, long labels wrapped; returns the area left of it for
/// the plot.
fn legend_right<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    legend: &[LegendItem],
    (plot_top, source_top): (i32, i32),
) -> Result<DrawingArea<DB, Shift>, PlotError> {
    let (pad, _) = text_column(area, theme);
    let w = area.dim_in_pixel().0 as i32;
    let Measures {
        font: legend_font,
        row_h,
        swatch_w,
        swatch_gap,
    } = Measures::of(theme);
    let max_text = (w as f64 * 0.2) as i32;
    let mut laid = Vec::new();
    let mut col_w = 0;
    for item in legend {
        let lines = wrap(&legend_font, &item.label, max_text)?;
        for l in &lines {
            col_w = col_w.max(measure(&legend_font, l)?.0);
        }
        laid.push((item, lines));
    }
    let col_w = col_w + swatch_w + swatch_gap;
    let x0 = w - pad - col_w;
    let mut yy = plot_top + theme.px(8.0);
    let text_line_h = theme.px(size::LEGEND * 1.25);
    for (item, lines) in laid {
        let n = lines.len().max(1) as i32;
        let block = text_line_h * (n - 1) + row_h;
        let yc = yy + row_h / 2;
        draw_swatch(area, theme, item.swatch, x0, yc)?;
        for (i, l) in lines.into_iter().enumerate() {
            let at = (x0 + swatch_w + swatch_gap, yc + i as i32 * text_line_h);
            legend_text(area, theme, l, at)?;
        }
        yy += block + theme.px(4.0);
    }
    let bottom = source_top - theme.px(8.0);
    let right = if legend.is_empty() {
        w
    } else {
        x0 - theme.px(12.0)
    };
    Ok(area.clone().shrink(
        (0, plot_top),
        (right.max(1) as u32, (bottom - plot_top).max(1) as u32),
    ))
}

/// Draws one legend swatch with its left edge at `x`, centred on `yc`.
fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    swatch: Swatch,
    x: i32,
    yc: i32,
) -> Result<(), PlotError> {
    let w = theme.px(SWATCH_W);
    let half = theme.px(8.0);
    match swatch {
        Swatch::Fill(c) => {
            area.draw(&Rectangle::new(
                [(x, yc - half), (x + w, yc + half)],
                c.filled(),
            ))?;
        }
        Swatch::Line { colour, width } => {
            area.draw(&PathElement::new(
                vec![(x, yc), (x + w, yc)],
                theme.line(colour, width),
            ))?;
        }
        Swatch::Dashed { colour, width } => {
            let dash = theme.px(9.0);
            let gap = theme.px(4.0);
            let mut x1 = x;
            while x1 < x + w {
                let x2 = (x1 + dash).min(x + w);
                area.draw(&PathElement::new(
                    vec![(x1, yc), (x2, yc)],
                    theme.line(colour, width),
                ))?;
                x1 = x2 + gap;
            }
        }
        Swatch::Hatch(c) => {
            let (x0, x1, y0, y1) = (x, x + w, yc - half, yc + half);
            let spacing = theme.px(HATCH_SPACING).max(2);
            let style = c.stroke_width(theme.stroke(HATCH_WIDTH));
            let mut k = x0 + y0;
            while k < x1 + y1 {
                // The line y = k - x, clipped to the box.
                let xa = x0.max(k - y1);
                let xb = x1.min(k - y0);
                if xa < xb {
                    area.draw(&PathElement::new(vec![(xa, k - xa), (xb, k - xb)], style))?;
                }
                k += spacing;
            }
            area.draw(&Rectangle::new([(x0, y0), (x1, y1)], c.stroke_width(1)))?;
        }
        Swatch::Marker { colour, width } => {
            area.draw(&PathElement::new(
                vec![(x, yc), (x + w, yc)],
                theme.line(colour, width),
            ))?;
            area.draw(&Circle::new(
                (x + w / 2, yc),
                theme.px(4.5),
                colour.filled(),
            ))?;
        }
    }
    Ok(())
}
