//! The committee report (`dsg report`, and `dsg run --out` unless `--no-report`): the options
//! and the goal seek it needs, computed on the run's seed, their results files, `report.html`
//! and, with `--pdf`, `report.pdf` printed from it by a headless browser.

use std::path::{Path, PathBuf};

use anyhow::Context;
use dsg_analysis::options::{MAX_OPTION_PATHS, compare_options};
use dsg_analysis::{AnalysisError, Sensitivity, goal_seek, standard_question};
use dsg_montecarlo::{Settings, Summary};
use dsg_report::{GoalAnswer, Provenance, Report};

use crate::error::bad_input;
use crate::load::Loaded;
use crate::output::write_json;

/// What the report needs beyond the run: the options compared and the goal seek, on the run's
/// seed and (up to the options' limit) its number of paths.
pub struct Extras {
    /// The options compared, when the scenario has any.
    pub options: Option<dsg_analysis::options::OptionsResult>,
    /// The standard goal seek's answer.
    pub goal: Option<GoalAnswer>,
}

/// Compares the options and seeks the standard goal.
pub fn extras(
    loaded: &Loaded,
    summary: &Summary,
    threads: Option<usize>,
) -> anyhow::Result<Extras> {
    let s = &loaded.scenario;
    let settings = Settings {
        paths: summary.run.paths.min(MAX_OPTION_PATHS),
        seed: summary.run.seed,
        threads,
        precision: None,
    };
    let options = if s.options().is_empty() {
        None
    } else {
        Some(compare_options(s, &settings).map_err(|e| bad_input(e.to_string()))?)
    };
    let goal = match standard_question(s) {
        None => None,
        Some(question) => {
            let question = question.settings(settings);
            match goal_seek(s, &question) {
                Ok(r) => Some(GoalAnswer::Found(r)),
                Err(e @ AnalysisError::Unreachable { .. }) => Some(GoalAnswer::Unreachable {
                    target: format!("no in-year DSG deficit in {}", question.target.year),
                    reason: e.to_string(),
                }),
                Err(e) => return Err(bad_input(e.to_string())),
            }
        }
    };
    Ok(Extras { options, goal })
}

/// Writes `options.json`, `goal.json`, `track-record.json` (for a scenario with an
/// `area_code`) and `report.html` into `dir` (the summary and the analysis are written by the
/// run), and `report.pdf` with `pdf`; returns the paths.
pub fn write(
    dir: &Path,
    loaded: &Loaded,
    summary: &Summary,
    sensitivity: Option<&[Sensitivity]>,
    extras: &Extras,
    (policy, pdf): (Option<&str>, bool),
) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if let Some(o) = &extras.options {
        let path = dir.join(dsg_report::OPTIONS_FILE);
        write_json(&path, o).context("cannot write options.json")?;
        files.push(path);
    }
    if let Some(GoalAnswer::Found(g)) = &extras.goal {
        let path = dir.join(dsg_report::GOAL_FILE);
        write_json(&path, g).context("cannot write goal.json")?;
        files.push(path);
    }
    // The growth model's record, for a scenario built on a council's published data.
    let track_record = match loaded.scenario.area_code() {
        Some(code) => {
            let t = crate::track_record::for_council(code)
                .context("cannot score the growth model's track record")?;
            files.push(crate::track_record::write_json(dir, &t)?);
            Some(t)
        }
        None => None,
    };
    let report = Report {
        scenario: &loaded.scenario,
        summary,
        provenance: Provenance {
            file: loaded.path.display().to_string(),
            sha256: loaded.sha256.clone(),
            command: command(loaded, summary, policy),
        },
        sensitivity,
        options: extras.options.as_ref(),
        goal: extras.goal.as_ref(),
        track_record: track_record.as_ref(),
    };
    let html = report.html().context("cannot write the report")?;
    let path = dir.join(dsg_report::REPORT_FILE);
    std::fs::write(&path, html).context("cannot write report.html")?;
    files.push(path.clone());
    if pdf {
        let out = dir.join("report.pdf");
        // A browser that fails is, like one that is missing, for the user to fix (exit 2).
        crate::browser::print_to_pdf(&path, &out).map_err(|e| {
            crate::error::bad_input(format!(
                "--pdf: {e:#}. Point {} at a working Chromium or Chrome, or leave out --pdf",
                crate::browser::BROWSER_ENV
            ))
        })?;
        files.push(out);
    }
    Ok(files)
}

/// The command that makes the same report again.
fn command(loaded: &Loaded, summary: &Summary, policy: Option<&str>) -> String {
    let mut c = format!(
        "dsg report {} --seed {} --paths {}",
        loaded.path.display(),
        summary.run.seed,
        summary.run.paths
    );
    if let Some(p) = policy {
        c.push_str(&format!(" --policy {p}"));
    }
    c.push_str(" --out DIR");
    c
}
