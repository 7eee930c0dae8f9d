//! `manifest.json`: what produced a results folder, so that anyone can trace the figures back to
//! the exact scenario file and settings, and reproduce them.

use serde::Serialize;

use crate::load::Loaded;

/// Identifies the format of [`Manifest`] in JSON.
pub const FORMAT: &str = "dsg-manifest/1";

/// A scenario that was run.
#[derive(Debug, Serialize)]
pub struct ScenarioEntry {
    /// Its name.
    pub name: String,
    /// The file, as given on the command line.
    pub file: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// The national policy set it ran under (`none`: the standing rules only).
    pub policy: String,
}

impl ScenarioEntry {
    /// The entry for a loaded scenario.
    pub fn of(l: &Loaded) -> Self {
        ScenarioEntry {
            name: l.scenario.name().to_string(),
            file: l.path.display().to_string(),
            sha256: l.sha256.clone(),
            policy: l.scenario.policy().to_string(),
        }
    }
}

/// Seconds spent in each stage.
#[derive(Debug, Serialize)]
pub struct Timings {
    /// Reading and validating the scenario(s).
    pub load: f64,
    /// Simulating.
    pub simulate: f64,
    /// Writing the results.
    pub write: f64,
}

/// The precision target of a run and how it ended.
#[derive(Debug, Serialize)]
pub struct PrecisionEntry {
    /// The series whose standard error was watched.
    pub series: String,
    /// The target standard error.
    pub target_se: f64,
    /// What happened.
    pub outcome: Option<String>,
}

/// Everything that produced a results folder.
#[derive(Debug, Serialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// `run` or `compare`.
    pub command: &'static str,
    /// Version of dsg.
    pub dsg_version: &'static str,
    /// The scenario (for `run`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<ScenarioEntry>,
    /// The scenarios (for `compare`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<ScenarioEntry>,
    /// Random seed.
    pub seed: u64,
    /// Paths simulated.
    pub paths: u64,
    /// Most paths allowed, when a precision target could stop the run earlier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_paths: Option<u64>,
    /// Precision target, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionEntry>,
    /// Worker threads used (the figures do not depend on it).
    pub threads: usize,
    /// The random number generator and how each path's stream is derived.
    pub rng: String,
    /// Seconds per stage.
    pub timings_seconds: Timings,
    /// Files in the folder, relative to it.
    pub files: Vec<String>,
}

/// The number of worker threads a run with `threads` uses.
pub fn threads_used(threads: Option<usize>) -> usize {
    threads.unwrap_or_else(|| {
        std::env::var("RAYON_NUM_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|n| *n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    })
}

/// Writes `dir/manifest.json` for a command whose results are not a run's: [`FORMAT`], the
/// command, dsg's version, the command's own `details` (a JSON object: its inputs and settings)
/// and the `files` written (`manifest.json` added).
pub fn write_listing(
    dir: &std::path::Path,
    command: &str,
    details: serde_json::Value,
    files: &[String],
) -> anyhow::Result<()> {
    let mut files = files.to_vec();
    files.push("manifest.json".into());
    let mut manifest = serde_json::json!({
        "format": FORMAT,
        "command": command,
        "dsg_version": env!("CARGO_PKG_VERSION"),
        "files": files,
    });
    if let (Some(all), serde_json::Value::Object(details)) = (manifest.as_object_mut(), details) {
        all.extend(details);
    }
    crate::output::write_json(&dir.join("manifest.json"), &manifest)
}
