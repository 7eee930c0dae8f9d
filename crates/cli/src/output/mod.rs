//! Everything written with `--out`: JSON, CSV, XLSX, charts and the manifest, into a folder that
//! appears whole or not at all.

pub mod atomic;
pub mod charts;
pub mod csv;
pub mod manifest;
pub mod plan;
pub mod xlsx;

use std::path::{Path, PathBuf};

/// The names of `files` relative to `dir`, sorted (files outside `dir` keep their full path).
pub fn relative_names(dir: &Path, files: &[PathBuf]) -> Vec<String> {
    let mut names: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(dir)
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    names.sort();
    names
}

/// Writes `value` as pretty JSON to `path`, with a final newline.
pub fn write_json(path: &Path, value: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    std::fs::write(path, bytes)?;
    Ok(())
}

/// Draws the backtest charts (each origin's fan against the actuals, the PIT histogram) into
/// `dir`; returns the file names written.
pub fn backtest_charts(
    dir: &Path,
    results: &[dsg_analysis::backtest::Backtest],
) -> anyhow::Result<Vec<String>> {
    use anyhow::Context;
    dsg_plot::write_backtest(results, dir).context("cannot draw the backtest charts")
}
