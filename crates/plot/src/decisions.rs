//! The charts of decisions and track record, drawn from dsg-analysis results rather than a run's
//! summary alone: the tornado of what drives an outcome, the options compared, and the backtest's
//! fan and PIT histogram.

use std::path::{Path, PathBuf};

use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::track_record::TrackRecord;
use crate::{PlotError, charts, svg_of, write_error, write_png_of};

/// Draws the tornado chart of one outcome's sensitivity (from `dsg_analysis::sensitivity`): a
/// bar per uncertain input, from the median outcome with the input in its lowest tenth to the
/// median with it in its highest, widest first, with the drivers of the bad case in the subtitle.
///
/// ```
/// # use dsg_core::{Series, SeriesKey};
/// # use dsg_montecarlo::{Record, Settings, Simulation};
/// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml"))?;
/// # let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml")?;
/// # let record = Record { outcomes: vec![(SeriesKey::mitigated(Series::Cumulative), s.year(s.horizon()))], max_paths: 2_000 };
/// # let (summary, paths) = Simulation::new(&s)?.record(&record)?.run_with_paths(&Settings { paths: 2_000, ..Default::default() })?;
/// use dsg_plot::plotters::prelude::*;
/// let sensitivity = dsg_analysis::sensitivity(&paths, &s)?;
/// let mut svg = String::new();
/// {
///     let area = SVGBackend::with_string(&mut svg, dsg_plot::SVG_SIZE).into_drawing_area();
///     dsg_plot::draw_tornado(&area, &sensitivity[0], &summary)?;
///     area.present()?;
/// }
/// assert!(svg.contains("Demand growth"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn draw_tornado<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sensitivity: &dsg_analysis::Sensitivity,
    summary: &Summary,
) -> Result<(), PlotError> {
    charts::tornado::draw(area, sensitivity, summary)
}

/// Writes a tornado chart for each outcome into `dir`, as `tornado-<year>.png` and `.svg`
/// (`tornado-2027-28.png`); returns the paths written. An outcome with no uncertain input to rank
/// (every future the same) has no chart.
pub fn write_tornado(
    results: &[dsg_analysis::Sensitivity],
    summary: &Summary,
    dir: &Path,
) -> Result<Vec<PathBuf>, PlotError> {
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let mut written = Vec::new();
    for s in results.iter().filter(|s| charts::tornado::has_bars(s)) {
        let stem = format!("tornado-{}", s.year);
        let png = dir.join(format!("{stem}.png"));
        write_png_of(&png, |area| draw_tornado(area, s, summary))?;
        written.push(png);
        let svg = tornado_svg(s, summary)?;
        let path = dir.join(format!("{stem}.svg"));
        std::fs::write(&path, svg).map_err(|e| write_error(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

/// The tornado chart of one analysed outcome as an SVG document of [`SVG_SIZE`](crate::SVG_SIZE).
pub fn tornado_svg(
    sensitivity: &dsg_analysis::Sensitivity,
    summary: &Summary,
) -> Result<String, PlotError> {
    svg_of(|area| draw_tornado(area, sensitivity, summary))
}

/// The options chart as an SVG document of [`SVG_SIZE`](crate::SVG_SIZE); `who` names the authority and
/// scenario in the subtitle.
pub fn options_svg(
    result: &dsg_analysis::options::OptionsResult,
    who: &str,
) -> Result<String, PlotError> {
    svg_of(|area| draw_options(area, result, who))
}

/// Draws the options chart (from `dsg_analysis::options::compare_options`): each option's median
/// deficit at the end of the forecast with its P80, against no action, and its cost; `who` names
/// the authority and scenario in the subtitle.
///
/// ```
/// use dsg_plot::plotters::prelude::*;
/// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml"))?;
/// # let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml")?;
/// let result = dsg_analysis::options::compare_options(&s, &dsg_montecarlo::Settings { paths: 1_000, seed: 1, ..Default::default() })?;
/// let mut svg = String::new();
/// {
///     let area = SVGBackend::with_string(&mut svg, dsg_plot::SVG_SIZE).into_drawing_area();
///     dsg_plot::draw_options(&area, &result, "Cambridgeshire-like county")?;
///     area.present()?;
/// }
/// assert!(svg.contains("No action") && svg.contains("As planned"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn draw_options<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    result: &dsg_analysis::options::OptionsResult,
    who: &str,
) -> Result<(), PlotError> {
    charts::options::draw(area, result, who)
}

/// Writes the options chart into `dir` as `options.png` and `options.svg`; returns the paths.
pub fn write_options(
    result: &dsg_analysis::options::OptionsResult,
    who: &str,
    dir: &Path,
) -> Result<Vec<PathBuf>, PlotError> {
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let png = dir.join("options.png");
    write_png_of(&png, |area| draw_options(area, result, who))?;
    let svg = options_svg(result, who)?;
    let path = dir.join("options.svg");
    std::fs::write(&path, svg).map_err(|e| write_error(&path, e))?;
    Ok(vec![png, path])
}

/// Draws one backtest's fan chart (each origin's forecast against what happened).
pub fn draw_backtest_fan<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    backtest: &dsg_analysis::backtest::Backtest,
) -> Result<(), PlotError> {
    charts::backtest::draw_fan(area, backtest)
}

/// Draws one backtest's PIT histogram.
pub fn draw_pit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    backtest: &dsg_analysis::backtest::Backtest,
) -> Result<(), PlotError> {
    charts::backtest::draw_pit(area, backtest)
}

/// Writes the backtest charts of each series into `dir`: `backtest-fan.png`/`.svg` and
/// `pit.png`/`.svg` for the first series, `backtest-fan-<series>` and `pit-<series>` for the
/// others; returns the file names written.
pub fn write_backtest(
    results: &[dsg_analysis::backtest::Backtest],
    dir: &Path,
) -> Result<Vec<String>, PlotError> {
    charts::backtest::write(results, dir)
}

/// The reliability diagram of a track record as an SVG document of
/// [`SVG_SIZE`](crate::SVG_SIZE) (for embedding in a report).
///
/// ```
/// let t = dsg_plot::TrackRecord {
///     subject: "EHC plans in 3 councils".into(),
///     forecasts: 30,
///     ranges: vec![(0.5, 0.47), (0.8, 0.8), (0.9, 0.93)],
///     by_line: vec![],
///     pit_shares: vec![0.1; 10],
///     source: "Source: a test".into(),
/// };
/// let svg = dsg_plot::reliability_svg(&t)?;
/// assert!(svg.contains("How often the forecast ranges held what happened"));
/// # Ok::<(), dsg_plot::PlotError>(())
/// ```
pub fn reliability_svg(track: &TrackRecord) -> Result<String, PlotError> {
    svg_of(|area| charts::track_record::draw_reliability(area, track))
}

/// Writes a track record's two charts into `dir`: `reliability.png`/`.svg` (stated against
/// observed coverage of the central ranges) and `pit-shares.png`/`.svg` (the PIT histogram);
/// returns the file names written.
///
/// ```
/// let t = dsg_plot::TrackRecord {
///     subject: "EHC plans in 3 councils".into(),
///     forecasts: 30,
///     ranges: vec![(0.5, 0.47), (0.8, 0.8)],
///     by_line: vec![],
///     pit_shares: vec![0.1; 10],
///     source: "Source: a test".into(),
/// };
/// let dir = std::env::temp_dir().join("dsg-plot-doc-track-record");
/// let written = dsg_plot::write_track_record(&t, &dir)?;
/// assert_eq!(written.len(), 4);
/// # Ok::<(), dsg_plot::PlotError>(())
/// ```
pub fn write_track_record(track: &TrackRecord, dir: &Path) -> Result<Vec<String>, PlotError> {
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let mut written = Vec::new();
    for (stem, pit) in [("reliability", false), ("pit-shares", true)] {
        write_png_of(&dir.join(format!("{stem}.png")), |area| {
            charts::track_record::draw(area, track, pit)
        })?;
        let svg = svg_of(|area| charts::track_record::draw(area, track, pit))?;
        let path = dir.join(format!("{stem}.svg"));
        std::fs::write(&path, svg).map_err(|e| write_error(&path, e))?;
        written.push(format!("{stem}.png"));
        written.push(format!("{stem}.svg"));
    }
    Ok(written)
}
