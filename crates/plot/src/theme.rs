//! Fonts, colours and sizes shared by every chart.
//!
//! Sizes are given for a 1200-pixel-wide canvas (the SVG) and scaled with the width of the area
//! drawn on, so the 2400-pixel PNG has doubled fonts and lines. They are chosen so that a chart
//! printed at A4 width (about 17 cm) has tick labels of about 7 points.

use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::{FontDesc, FontFamily, FontStyle, register_font};

use crate::PlotError;

/// The family name charts use; the bundled DejaVu Sans is registered under it.
pub(crate) const FAMILY: &str = "sans-serif";

static REGULAR: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../assets/DejaVuSans-Bold.ttf");
static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();

/// Registers the bundled DejaVu Sans (regular and bold) as plotters' `sans-serif` family.
///
/// Every drawing function calls it; call it yourself only to draw your own text in the same
/// font before drawing a chart. It runs once per process; later calls return the first result.
///
/// ```
/// dsg_plot::register_fonts()?;
/// let font = plotters::style::FontDesc::new(
///     plotters::style::FontFamily::SansSerif, 20.0, plotters::style::FontStyle::Normal);
/// assert!(font.box_size("2026-27")?.0 > 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn register_fonts() -> Result<(), PlotError> {
    REGISTERED
        .get_or_init(|| {
            register_font(FAMILY, FontStyle::Normal, REGULAR)
                .map_err(|_| "the bundled DejaVuSans.ttf is not a valid font".to_string())?;
            register_font(FAMILY, FontStyle::Bold, BOLD)
                .map_err(|_| "the bundled DejaVuSans-Bold.ttf is not a valid font".to_string())
        })
        .clone()
        .map_err(PlotError::Font)
}

/// Width of the reference canvas that sizes are given for.
pub(crate) const BASE_WIDTH: f64 = 1200.0;

/// Font sizes on the reference canvas (plotters' size: about 1.2 times the em).
pub(crate) mod size {
    pub const TITLE: f64 = 31.0;
    pub const SUBTITLE: f64 = 19.0;
    pub const PANEL_TITLE: f64 = 19.0;
    pub const AXIS: f64 = 19.0;
    pub const TICK: f64 = 18.0;
    pub const LEGEND: f64 = 18.0;
    pub const LABEL: f64 = 17.0;
    pub const SOURCE: f64 = 15.0;
}

/// Okabe and Ito's colour-blind-safe palette, plus greys and a blue sequential scale (ColorBrewer
/// Blues) for the fan's bands.
pub(crate) mod colour {
    use plotters::style::RGBColor;

    pub const BLACK: RGBColor = RGBColor(0, 0, 0);
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    pub const GREEN: RGBColor = RGBColor(0, 158, 115);
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    pub const PURPLE: RGBColor = RGBColor(204, 121, 167);

    pub const TEXT: RGBColor = RGBColor(33, 33, 33);
    pub const MUTED: RGBColor = RGBColor(85, 85, 85);
    pub const AXIS: RGBColor = RGBColor(120, 120, 120);
    pub const GRID: RGBColor = RGBColor(225, 225, 225);
    pub const HISTORY: RGBColor = RGBColor(70, 70, 70);

    /// Fan bands, outermost (5th-95th percentile) first.
    pub const BAND_90: RGBColor = RGBColor(198, 219, 239);
    pub const BAND_80: RGBColor = RGBColor(148, 193, 224);
    pub const BAND_50: RGBColor = RGBColor(86, 151, 204);
    pub const MEDIAN: RGBColor = RGBColor(8, 48, 107);

    /// Paul Tol's "muted" qualitative scheme (colour-blind safe), in his recommended order: the
    /// layers of the stacked spend chart.
    pub const STACK: [RGBColor; 9] = [
        RGBColor(204, 102, 119),
        RGBColor(51, 34, 136),
        RGBColor(221, 204, 119),
        RGBColor(17, 119, 51),
        RGBColor(136, 204, 238),
        RGBColor(136, 34, 85),
        RGBColor(68, 170, 153),
        RGBColor(153, 153, 51),
        RGBColor(170, 68, 153),
    ];
    /// Lines that are not provisions (other high-needs spend, mitigation costs).
    pub const STACK_OTHER: [RGBColor; 2] = [RGBColor(187, 187, 187), RGBColor(110, 110, 110)];
}

/// Scale of one drawing: sizes on the reference canvas times `s`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Theme {
    s: f64,
}

impl Theme {
    /// Gets a drawing area ready for a chart: the bundled fonts registered and the theme scaled to
    /// the area's width.
    pub(crate) fn ready<DB: DrawingBackend>(
        area: &DrawingArea<DB, plotters::coord::Shift>,
    ) -> Result<Self, PlotError> {
        register_fonts()?;
        Ok(Theme::for_width(area.dim_in_pixel().0))
    }

    /// The theme for an area `width` pixels wide.
    pub fn for_width(width: u32) -> Self {
        Theme {
            s: (f64::from(width) / BASE_WIDTH).max(0.25),
        }
    }

    /// Pixels for `v` reference pixels.
    pub fn px(&self, v: f64) -> i32 {
        (v * self.s).round() as i32
    }

    /// Pixels for `v` reference pixels, at least 1.
    pub fn stroke(&self, v: f64) -> u32 {
        ((v * self.s).round() as u32).max(1)
    }

    /// A regular font of reference size `size`.
    pub fn font(&self, size: f64) -> FontDesc<'static> {
        FontDesc::new(FontFamily::SansSerif, size * self.s, FontStyle::Normal)
    }

    /// A bold font of reference size `size`.
    pub fn bold(&self, size: f64) -> FontDesc<'static> {
        FontDesc::new(FontFamily::SansSerif, size * self.s, FontStyle::Bold)
    }

    /// A line of reference width `w`.
    pub fn line(&self, colour: RGBColor, w: f64) -> ShapeStyle {
        colour.stroke_width(self.stroke(w))
    }
}

/// Width and height in pixels of `text` in `font`.
pub(crate) fn measure(font: &FontDesc<'_>, text: &str) -> Result<(i32, i32), PlotError> {
    if text.is_empty() {
        return Ok((0, 0));
    }
    let (w, h) = font
        .box_size(text)
        .map_err(|e| PlotError::Font(e.to_string()))?;
    Ok((w as i32, h as i32))
}

/// Splits `text` into lines no wider than `width` pixels (a word longer than that gets its own
/// line).
pub(crate) fn wrap(font: &FontDesc<'_>, text: &str, width: i32) -> Result<Vec<String>, PlotError> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && measure(font, &candidate)?.0 > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_within_the_width_and_keeps_every_word() {
        register_fonts().unwrap();
        let theme = Theme::for_width(1200);
        let font = theme.font(size::SUBTITLE);
        let text = "Cambridgeshire County Council (illustrative figures) – Cambridgeshire-like county: 12% demand against 7% funding, safety valve at risk.";
        let lines = wrap(&font, text, 400).unwrap();
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(measure(&font, l).unwrap().0 <= 400, "{l}");
        }
        assert_eq!(lines.join(" "), text);
        assert!(wrap(&font, "", 100).unwrap().is_empty());
    }

    #[test]
    fn sizes_scale_with_the_width() {
        let a = Theme::for_width(1200);
        let b = Theme::for_width(2400);
        assert_eq!(b.px(10.0), 2 * a.px(10.0));
        assert_eq!(b.stroke(1.5), 3);
        assert_eq!(Theme::for_width(10).stroke(0.1), 1);
    }
}
