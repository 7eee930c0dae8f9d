//! Charts, drawn by dsg-plot into a `charts` folder of the results.

use std::path::{Path, PathBuf};

use anyhow::Context;
use dsg_montecarlo::Summary;

/// The folder of the results that holds the charts.
pub const FOLDER: &str = "charts";

/// Draws every chart that applies to `summary` (PNG and SVG) into `dir/charts`; returns the files
/// written.
pub fn run(summary: &Summary, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let folder = dir.join(FOLDER);
    dsg_plot::write_all(summary, &folder).context("cannot draw the charts")
}

/// Draws the tornado chart of each analysed outcome into `dir/charts`.
pub fn tornado(
    results: &[dsg_analysis::Sensitivity],
    summary: &Summary,
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    dsg_plot::write_tornado(results, summary, &dir.join(FOLDER))
        .context("cannot draw the tornado charts")
}
