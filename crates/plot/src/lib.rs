//! # dsg-plot
//!
//! Committee-ready charts of a DSG high-needs forecast ([`dsg_montecarlo::Summary`]), drawn with
//! [plotters](https://docs.rs/plotters) and a bundled font (DejaVu Sans, regular and bold: no
//! system font lookup, no system libraries).
//!
//! Seven charts ([`Chart`]): the fan chart of the cumulative deficit, funding against spend, the
//! exceedance curves, what the mitigations change, where the money goes, the safety-valve
//! instalments, and children waiting for an assessment with the share of plans on time. Each has a title, a subtitle naming the authority, scenario, paths, seed and
//! version, a legend outside the plot and a source note; money is in £m with thousands
//! separators, years read `2026-27`, colours are colour-blind safe (Okabe-Ito, Paul Tol, a blue
//! sequential scale for the fan).
//!
//! Every chart is drawn by a function generic over plotters' [`DrawingBackend`], so a program can
//! draw into its own surface; sizes scale with the width of that surface (1200 pixels is the
//! reference). The convenience functions write PNG (2400 x 1350, drawn at twice the scale) and
//! SVG (1200 x 675), or return the SVG as a string.
//!
//! ```
//! # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml"))?;
//! # let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml")?;
//! let summary = dsg_montecarlo::Simulation::new(&scenario)?
//!     .run(&dsg_montecarlo::Settings { paths: 500, ..Default::default() })?;
//! let dir = std::env::temp_dir().join("dsg-plot-doc-crate");
//! let written = dsg_plot::write_all(&summary, &dir)?;
//! assert!(written.iter().any(|p| p.ends_with("fan-chart.png")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod axes;
mod charts;
mod data;
mod decisions;
mod error;
mod frame;
mod theme;

use std::path::{Path, PathBuf};

use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;

pub use charts::track_record::TrackRecord;
pub use decisions::{
    draw_backtest_fan, draw_options, draw_pit, draw_tornado, options_svg, reliability_svg,
    tornado_svg, write_backtest, write_options, write_tornado, write_track_record,
};
pub use error::PlotError;
/// The plotters crate these charts are drawn with, for drawing into your own surfaces.
///
/// ```
/// use dsg_plot::plotters::prelude::*;
/// let mut svg = String::new();
/// let area = SVGBackend::with_string(&mut svg, (600, 400)).into_drawing_area();
/// area.fill(&WHITE).unwrap();
/// ```
pub use plotters;
pub use theme::register_fonts;

/// Size of the SVG files and strings, in pixels (the reference size charts are designed at).
///
/// ```
/// assert_eq!(dsg_plot::SVG_SIZE, (1200, 675));
/// ```
pub const SVG_SIZE: (u32, u32) = (1200, 675);

/// Size of the PNG files, in pixels: twice [`SVG_SIZE`], with fonts and lines doubled.
///
/// ```
/// assert_eq!(dsg_plot::PNG_SIZE, (2 * dsg_plot::SVG_SIZE.0, 2 * dsg_plot::SVG_SIZE.1));
/// ```
pub const PNG_SIZE: (u32, u32) = (2400, 1350);

/// Resolution written into the PNG files (pixels per metre, 192 dpi: twice screen resolution).
const PNG_PIXELS_PER_METRE: u32 = 7559;

/// One of the charts.
///
/// ```
/// use dsg_plot::Chart;
/// assert_eq!(Chart::ALL.len(), 9);
/// assert_eq!(Chart::Fan.file_stem(), "fan-chart");
/// assert_eq!(Chart::from_file_stem("safety-valve"), Some(Chart::SafetyValve));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chart {
    /// Fan chart of the cumulative DSG deficit with reserves, override end and history.
    Fan,
    /// High-needs allocation against spend, with the gap between the medians.
    FundingVsSpend,
    /// Chance the cumulative deficit exceeds each amount, at the end of the override and at the
    /// horizon.
    Exceedance,
    /// The S-curve: the chance the deficit is at most each amount, P50 and P80 marked and the
    /// central plan placed on it.
    SCurve,
    /// Unmitigated and mitigated fans, and each mitigation's impact (none without mitigations).
    Mitigations,
    /// Median spend by provision, stacked per year.
    SpendByProvision,
    /// Chance of receiving each safety-valve instalment (none without a safety valve).
    SafetyValve,
    /// Children waiting for an assessment and the share of plans issued within 20 weeks, with
    /// and without the option that changes them (none without an assessment pipeline).
    Children,
    /// Plans by the management plan's five age bands: medians and 8-in-10 ranges (none without
    /// ages in the scenario).
    ByAge,
}

impl Chart {
    /// Every chart, in the order a report would show them.
    ///
    /// ```
    /// assert_eq!(dsg_plot::Chart::ALL[0], dsg_plot::Chart::Fan);
    /// ```
    pub const ALL: [Chart; 9] = [
        Chart::Fan,
        Chart::FundingVsSpend,
        Chart::Exceedance,
        Chart::SCurve,
        Chart::Mitigations,
        Chart::SpendByProvision,
        Chart::SafetyValve,
        Chart::Children,
        Chart::ByAge,
    ];

    /// File name without extension: `fan-chart`, `funding-vs-spend`, `exceedance`,
    /// `mitigations`, `spend-by-provision`, `safety-valve`, `children`, `plans-by-age`.
    ///
    /// ```
    /// assert_eq!(dsg_plot::Chart::FundingVsSpend.file_stem(), "funding-vs-spend");
    /// ```
    pub fn file_stem(self) -> &'static str {
        match self {
            Chart::Fan => "fan-chart",
            Chart::FundingVsSpend => "funding-vs-spend",
            Chart::Exceedance => "exceedance",
            Chart::SCurve => "s-curve",
            Chart::Mitigations => "mitigations",
            Chart::SpendByProvision => "spend-by-provision",
            Chart::SafetyValve => "safety-valve",
            Chart::Children => "children",
            Chart::ByAge => "plans-by-age",
        }
    }

    /// The chart whose [`file_stem`](Chart::file_stem) is `stem`.
    ///
    /// ```
    /// assert_eq!(dsg_plot::Chart::from_file_stem("exceedance"), Some(dsg_plot::Chart::Exceedance));
    /// assert_eq!(dsg_plot::Chart::from_file_stem("pie"), None);
    /// ```
    pub fn from_file_stem(stem: &str) -> Option<Chart> {
        Chart::ALL.into_iter().find(|c| c.file_stem() == stem)
    }

    /// The chart's title, as drawn.
    ///
    /// ```
    /// assert!(dsg_plot::Chart::Fan.title().contains("deficit"));
    /// ```
    pub fn title(self) -> &'static str {
        match self {
            Chart::Fan => charts::fan::TITLE,
            Chart::FundingVsSpend => charts::funding::TITLE,
            Chart::Exceedance => charts::exceedance::TITLE,
            Chart::SCurve => charts::s_curve::TITLE,
            Chart::Mitigations => charts::mitigations::TITLE,
            Chart::SpendByProvision => charts::spend::TITLE,
            Chart::SafetyValve => charts::safety_valve::TITLE,
            Chart::Children => charts::children::TITLE,
            Chart::ByAge => charts::ages::TITLE,
        }
    }

    /// Whether `summary` has anything for this chart: the mitigations chart needs mitigations,
    /// the safety-valve chart instalments, the children chart an assessment pipeline, the chart by age ages; the others
    /// always apply.
    ///
    /// ```
    /// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml"))?;
    /// # let scenario = dsg_core::Scenario::from_toml_str(&text, "minimal.toml")?;
    /// # let summary = dsg_montecarlo::Simulation::new(&scenario)?
    /// #     .run(&dsg_montecarlo::Settings { paths: 200, ..Default::default() })?;
    /// assert!(dsg_plot::Chart::Fan.applies_to(&summary));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn applies_to(self, summary: &Summary) -> bool {
        match self {
            Chart::Mitigations => charts::mitigations::applies(summary),
            Chart::SafetyValve => charts::safety_valve::applies(summary),
            Chart::Children => charts::children::applies(summary),
            Chart::ByAge => charts::ages::applies(summary),
            _ => true,
        }
    }

    /// Draws the chart on `area` (any plotters backend). Returns `Ok(false)`, drawing nothing,
    /// when the chart does not apply to `summary` (see [`applies_to`](Chart::applies_to)).
    ///
    /// ```
    /// use dsg_plot::plotters::prelude::*;
    /// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml"))?;
    /// # let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml")?;
    /// # let summary = dsg_montecarlo::Simulation::new(&scenario)?
    /// #     .run(&dsg_montecarlo::Settings { paths: 500, ..Default::default() })?;
    /// let mut svg = String::new();
    /// {
    ///     let root = SVGBackend::with_string(&mut svg, (1600, 900)).into_drawing_area();
    ///     // Draw into the left half of your own page.
    ///     let (left, _right) = root.split_horizontally(800);
    ///     assert!(dsg_plot::Chart::Exceedance.draw(&left, &summary)?);
    ///     root.present()?;
    /// }
    /// assert!(svg.contains("Cumulative deficit, £m"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn draw<DB: DrawingBackend>(
        self,
        area: &DrawingArea<DB, Shift>,
        summary: &Summary,
    ) -> Result<bool, PlotError> {
        match self {
            Chart::Fan => draw_fan_chart(area, summary).map(|()| true),
            Chart::FundingVsSpend => draw_funding_vs_spend(area, summary).map(|()| true),
            Chart::Exceedance => draw_exceedance(area, summary).map(|()| true),
            Chart::SCurve => charts::s_curve::draw(area, summary).map(|()| true),
            Chart::Mitigations => draw_mitigations(area, summary),
            Chart::SpendByProvision => draw_spend_by_provision(area, summary).map(|()| true),
            Chart::SafetyValve => draw_safety_valve(area, summary),
            Chart::Children => draw_children(area, summary),
            Chart::ByAge => charts::ages::draw(area, summary),
        }
    }

    /// Renders the chart as an SVG document of [`SVG_SIZE`]; `None` when it does not apply.
    ///
    /// ```
    /// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml"))?;
    /// # let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml")?;
    /// # let summary = dsg_montecarlo::Simulation::new(&scenario)?
    /// #     .run(&dsg_montecarlo::Settings { paths: 500, ..Default::default() })?;
    /// let svg = dsg_plot::Chart::Fan.to_svg_string(&summary)?.expect("the fan chart always applies");
    /// assert!(svg.starts_with("<svg") && svg.contains("2027-28"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_svg_string(self, summary: &Summary) -> Result<Option<String>, PlotError> {
        if !self.applies_to(summary) {
            return Ok(None);
        }
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, SVG_SIZE).into_drawing_area();
            if !self.draw(&area, summary)? {
                return Ok(None);
            }
            area.present()?;
        }
        Ok(Some(svg))
    }

    /// Writes the chart as an SVG file of [`SVG_SIZE`]; `Ok(false)`, writing nothing, when it
    /// does not apply.
    ///
    /// ```
    /// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml"))?;
    /// # let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml")?;
    /// # let summary = dsg_montecarlo::Simulation::new(&scenario)?
    /// #     .run(&dsg_montecarlo::Settings { paths: 500, ..Default::default() })?;
    /// let path = std::env::temp_dir().join("dsg-plot-doc-fan.svg");
    /// assert!(dsg_plot::Chart::Fan.write_svg(&summary, &path)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_svg(self, summary: &Summary, path: &Path) -> Result<bool, PlotError> {
        let Some(svg) = self.to_svg_string(summary)? else {
            return Ok(false);
        };
        std::fs::write(path, svg).map_err(|e| write_error(path, e))?;
        Ok(true)
    }

    /// Writes the chart as a PNG file of [`PNG_SIZE`] (drawn at twice the SVG's scale, marked
    /// 192 dpi); `Ok(false)`, writing nothing, when it does not apply.
    ///
    /// ```
    /// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml"))?;
    /// # let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml")?;
    /// # let summary = dsg_montecarlo::Simulation::new(&scenario)?
    /// #     .run(&dsg_montecarlo::Settings { paths: 500, ..Default::default() })?;
    /// let path = std::env::temp_dir().join("dsg-plot-doc-fan.png");
    /// assert!(dsg_plot::Chart::Fan.write_png(&summary, &path)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_png(self, summary: &Summary, path: &Path) -> Result<bool, PlotError> {
        if !self.applies_to(summary) {
            return Ok(false);
        }
        let (w, h) = PNG_SIZE;
        let mut pixels = vec![0u8; w as usize * h as usize * 3];
        {
            let area = BitMapBackend::with_buffer(&mut pixels, PNG_SIZE).into_drawing_area();
            if !self.draw(&area, summary)? {
                return Ok(false);
            }
            area.present()?;
        }
        write_png_file(path, &pixels, PNG_SIZE)?;
        Ok(true)
    }
}

impl std::fmt::Display for Chart {
    /// The file stem.
    ///
    /// ```
    /// assert_eq!(dsg_plot::Chart::SpendByProvision.to_string(), "spend-by-provision");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.file_stem())
    }
}

/// Encodes RGB pixels as a PNG file, marked at 192 dpi.
pub(crate) fn write_png_file(
    path: &Path,
    pixels: &[u8],
    (w, h): (u32, u32),
) -> Result<(), PlotError> {
    let file = std::fs::File::create(path).map_err(|e| write_error(path, e))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: PNG_PIXELS_PER_METRE,
        yppu: PNG_PIXELS_PER_METRE,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header().map_err(|e| write_error(path, e))?;
    writer
        .write_image_data(pixels)
        .map_err(|e| write_error(path, e))?;
    writer.finish().map_err(|e| write_error(path, e))
}

pub(crate) fn write_error(path: &Path, e: impl std::fmt::Display) -> PlotError {
    PlotError::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Draws the fan chart of the cumulative deficit on `area`: bands 5th-95th, 10th-90th and
/// 25th-75th percentile, the median, the deterministic central projection (dashed), usable
/// reserves, the end of the statutory override, and the reported history leading to the base
/// year's opening balance. The deficit is shown positive, going up.
///
/// ```
/// use dsg_plot::plotters::prelude::*;
/// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml"))?;
/// # let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml")?;
/// # let summary = dsg_montecarlo::Simulation::new(&scenario)?
/// #     .run(&dsg_montecarlo::Settings { paths: 500, ..Default::default() })?;
/// let mut pixels = vec![0u8; 1200 * 675 * 3];
/// {
///     let area = BitMapBackend::with_buffer(&mut pixels, (1200, 675)).into_drawing_area();
///     dsg_plot::draw_fan_chart(&area, &summary)?;
///     area.present()?;
/// }
/// assert!(pixels.iter().any(|&b| b != 255));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn draw_fan_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<(), PlotError> {
    charts::fan::draw(area, summary)
}

/// Draws high-needs funding (`funding.allocation`) against spend (`spend.total`) on `area`:
/// medians with their 10th-90th percentile bands and the gap between the medians shaded.
///
/// ```
/// use dsg_plot::plotters::prelude::*;
/// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml"))?;
/// # let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml")?;
/// # let summary = dsg_montecarlo::Simulation::new(&scenario)?
/// #     .run(&dsg_montecarlo::Settings { paths: 500, ..Default::default() })?;
/// let mut svg = String::new();
/// {
///     let area = SVGBackend::with_string(&mut svg, (1200, 675)).into_drawing_area();
///     dsg_plot::draw_funding_vs_spend(&area, &summary)?;
///     area.present()?;
/// }
/// assert!(svg.contains("Gap between the medians"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn draw_funding_vs_spend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<(), PlotError> {
    charts::funding::draw(area, summary)
}

/// Draws the exceedance curves on `area`: the chance the cumulative deficit exceeds each amount,
/// one line per curve in `summary.exceedance` (end of the override, horizon), with usable
/// reserves marked and the chance of exceeding them labelled.
///
/// ```
/// use dsg_plot::plotters::prelude::*;
/// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml"))?;
/// # let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml")?;
/// # let summary = dsg_montecarlo::Simulation::new(&scenario)?
/// #     .run(&dsg_montecarlo::Settings { paths: 500, ..Default::default() })?;
/// let mut svg = String::new();
/// {
///     let area = SVGBackend::with_string(&mut svg, (1200, 675)).into_drawing_area();
///     dsg_plot::draw_exceedance(&area, &summary)?;
///     area.present()?;
/// }
/// assert!(svg.contains("Chance the deficit is larger"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn draw_exceedance<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<(), PlotError> {
    charts::exceedance::draw(area, summary)
}

/// Draws what the mitigations change on `area`, in two panels: the unmitigated and mitigated
/// fans overlaid (10th-90th percentile bands and medians), and each mitigation's impact at the
/// horizon as a bar (median) with a 10th-90th percentile whisker. Returns `Ok(false)`, drawing
/// nothing, when the scenario has no mitigations.
///
/// ```
/// use dsg_plot::plotters::prelude::*;
/// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml"))?;
/// # let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml")?;
/// # let summary = dsg_montecarlo::Simulation::new(&scenario)?
/// #     .run(&dsg_montecarlo::Settings { paths: 500, ..Default::default() })?;
/// let mut svg = String::new();
/// let drawn = {
///     let area = SVGBackend::with_string(&mut svg, (1200, 675)).into_drawing_area();
///     let drawn = dsg_plot::draw_mitigations(&area, &summary)?;
///     area.present()?;
///     drawn
/// };
/// assert!(drawn && svg.contains("Growth reduction"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn draw_mitigations<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<bool, PlotError> {
    charts::mitigations::draw(area, summary)
}

/// Draws where the money goes on `area`: the median spend of each provision (and of other
/// high-needs lines and mitigation costs, when there are any), stacked per year, with the
/// provisions' labels in a legend to the right.
///
/// ```
/// use dsg_plot::plotters::prelude::*;
/// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml"))?;
/// # let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml")?;
/// # let summary = dsg_montecarlo::Simulation::new(&scenario)?
/// #     .run(&dsg_montecarlo::Settings { paths: 500, ..Default::default() })?;
/// let mut svg = String::new();
/// {
///     let area = SVGBackend::with_string(&mut svg, (1200, 675)).into_drawing_area();
///     dsg_plot::draw_spend_by_provision(&area, &summary)?;
///     area.present()?;
/// }
/// assert!(svg.contains("Mainstream top-up"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn draw_spend_by_provision<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<(), PlotError> {
    charts::spend::draw(area, summary)
}

/// Draws the safety-valve chart on `area`: the chance of receiving each instalment as a bar per
/// year, labelled with the amount due, and the expected receipts in the subtitle. Returns
/// `Ok(false)`, drawing nothing, when the scenario has no safety valve.
///
/// ```
/// use dsg_plot::plotters::prelude::*;
/// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml"))?;
/// # let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml")?;
/// # let summary = dsg_montecarlo::Simulation::new(&scenario)?
/// #     .run(&dsg_montecarlo::Settings { paths: 500, ..Default::default() })?;
/// let mut svg = String::new();
/// {
///     let area = SVGBackend::with_string(&mut svg, (1200, 675)).into_drawing_area();
///     assert!(dsg_plot::draw_safety_valve(&area, &summary)?);
///     area.present()?;
/// }
/// assert!(svg.contains("£5.0m"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn draw_safety_valve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<bool, PlotError> {
    charts::safety_valve::draw(area, summary)
}

/// Draws children and families on `area` (docs/model.md section 9), in two panels: children waiting
/// for an EHC needs assessment at each 31 March, and the share of plans issued within the
/// statutory 20 weeks, each as a median with its 10th-90th percentile band, beside the same
/// without the mitigations that change them (named when only one does: the staffing option).
/// Returns `Ok(false)`, drawing nothing, when the scenario has no assessment pipeline.
///
/// ```
/// use dsg_plot::plotters::prelude::*;
/// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml"))?;
/// # let scenario = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml")?;
/// # let summary = dsg_montecarlo::Simulation::new(&scenario)?
/// #     .run(&dsg_montecarlo::Settings { paths: 500, ..Default::default() })?;
/// let mut svg = String::new();
/// {
///     let area = SVGBackend::with_string(&mut svg, (1200, 675)).into_drawing_area();
///     assert!(dsg_plot::draw_children(&area, &summary)?);
///     area.present()?;
/// }
/// assert!(svg.contains("Plans issued within 20 weeks"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn draw_children<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<bool, PlotError> {
    charts::children::draw(area, summary)
}

/// Writes every chart that applies to `summary` into `dir` (created if needed) as PNG and SVG,
/// named by [`Chart::file_stem`], and returns the paths written, PNG before SVG for each chart.
/// Charts that do not apply (no mitigations, no safety valve) are skipped without error.
///
/// ```
/// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml"))?;
/// # let scenario = dsg_core::Scenario::from_toml_str(&text, "minimal.toml")?;
/// # let summary = dsg_montecarlo::Simulation::new(&scenario)?
/// #     .run(&dsg_montecarlo::Settings { paths: 300, ..Default::default() })?;
/// let dir = std::env::temp_dir().join("dsg-plot-doc-write-all");
/// let written = dsg_plot::write_all(&summary, &dir)?;
/// assert!(written.len() >= 8 && written.iter().all(|p| p.exists()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_all(summary: &Summary, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let mut written = Vec::new();
    for chart in Chart::ALL {
        let png = dir.join(format!("{}.png", chart.file_stem()));
        if chart.write_png(summary, &png)? {
            written.push(png);
        }
        let svg = dir.join(format!("{}.svg", chart.file_stem()));
        if chart.write_svg(summary, &svg)? {
            written.push(svg);
        }
    }
    Ok(written)
}

/// Draws with `draw` on an SVG document of [`SVG_SIZE`] and returns it.
pub(crate) fn svg_of(
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), PlotError>,
) -> Result<String, PlotError> {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, SVG_SIZE).into_drawing_area();
        draw(&area)?;
        area.present()?;
    }
    Ok(svg)
}

/// Draws with `draw` on a PNG of [`PNG_SIZE`] and writes it to `path`.
pub(crate) fn write_png_of(
    path: &Path,
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), PlotError>,
) -> Result<(), PlotError> {
    let (w, h) = PNG_SIZE;
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, PNG_SIZE).into_drawing_area();
        draw(&area)?;
        area.present()?;
    }
    write_png_file(path, &pixels, PNG_SIZE)
}
