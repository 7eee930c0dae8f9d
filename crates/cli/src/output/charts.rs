//! Charts, drawn by dsg-plot.

use std::path::{Path, PathBuf};

use dsg_montecarlo::Summary;

/// Draws the charts of a run into `dir`; returns the files written, or `None` when this build of
/// dsg-plot draws no charts.
pub fn run(summary: &Summary, dir: &Path) -> anyhow::Result<Option<Vec<PathBuf>>> {
    let _ = (summary, dir);
    Ok(None)
}

/// Draws a chart overlaying several runs into `dir`; `None` when dsg-plot offers none.
pub fn overlay(summaries: &[Summary], dir: &Path) -> anyhow::Result<Option<Vec<PathBuf>>> {
    let _ = (summaries, dir);
    Ok(None)
}
