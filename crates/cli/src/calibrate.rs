//! `dsg calibrate`: fits the growth model to each series of a history file and writes the fitted
//! scenario inputs (a commented fragment, or an updated copy of a scenario).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use dsg_core::scenario::{EditValue, ScenarioDocument};
use dsg_data::DataError;
use dsg_data::history::{
    ForecastSettings, GrowthFit, History, Target, Uncertainty, describe, fit, forecast, fragment,
    plug_in_value, scenario_value, target_key,
};
use serde::Serialize;

use crate::error::bad_input;
use crate::load::sha256_of;
use crate::output::atomic::{Staging, announce};

/// `dsg calibrate`.
#[derive(Args)]
pub struct CalibrateArgs {
    /// The history file (CSV with columns series, year, value and optionally break, source, note).
    #[arg(value_name = "HISTORY")]
    pub history: PathBuf,
    /// A scenario whose inputs to update: an updated copy is written into --out (the scenario
    /// itself is never changed).
    #[arg(long, value_name = "SCENARIO")]
    pub scenario: Option<PathBuf>,
    /// Folder to save fit.json, fit.csv, calibrated.toml (and the updated scenario) in.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed for the forecast ranges shown in the report.
    #[arg(long, value_name = "S", default_value_t = dsg_montecarlo::stream::DEFAULT_SEED)]
    pub seed: u64,
    /// Fit on the data up to this year only (e.g. 2019), as a forecast made then could have.
    #[arg(long, value_name = "YEAR")]
    pub origin: Option<i32>,
    /// Years ahead for the forecast ranges shown in the report and fit.json (1 to 30).
    #[arg(long, value_name = "H", default_value_t = 5)]
    pub horizon: usize,
    /// Print only the fitted values.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The fit of one series with its five-year forecast ranges.
#[derive(Serialize)]
struct FitEntry {
    fit: GrowthFit,
    /// Scenario input this series' growth sets (`demand.growth`, `provisions[special].growth`...).
    input: Option<String>,
    /// The value with parameter uncertainty, and the plug-in value.
    value: String,
    plug_in_value: String,
    /// Per horizon 1..H: (year offset, P5, P50, P95 with parameter uncertainty, P5, P95 plug-in).
    ranges: Vec<[f64; 6]>,
}

/// Reads a history file; a file that cannot be used is bad input (exit code 2).
pub fn load_history(path: &Path) -> anyhow::Result<History> {
    History::load(path).map_err(|e| bad_input(e.to_string()))
}

/// The scenario key path a series' fitted growth sets (`demand.growth`,
/// `provisions[name = "special"].growth`...), if any: the one place the series' target is read.
fn input_name(series: &str) -> Option<String> {
    match target_key(series) {
        Target::Input(id) => Some(id.key()),
        Target::Provision(p) => Some(format!("provisions[name = \"{p}\"].growth")),
        Target::None => None,
    }
}

/// Runs `dsg calibrate`.
pub fn calibrate(args: &CalibrateArgs) -> anyhow::Result<ExitCode> {
    if args.horizon == 0 || args.horizon > 30 {
        return Err(bad_input("--horizon must be from 1 to 30"));
    }
    let history = load_history(&args.history)?;
    let hash = sha256_of(&args.history)?;
    let mut protect = vec![args.history.clone()];
    protect.extend(args.scenario.clone());
    let staging = match &args.out {
        Some(dir) => Some(Staging::prepare(dir, &protect)?),
        None => None,
    };
    let mut entries = Vec::new();
    let mut report = String::new();
    for (i, series) in history.series.iter().enumerate() {
        match fit(series, args.origin) {
            Ok(f) => entries.push(fit_entry(f, i, args, &mut report)?),
            // A series too short is left out with a note; one too extreme to fit is refused.
            Err(e @ DataError::TooShort { .. }) => report.push_str(&format!("{e}: not fitted\n\n")),
            Err(e) => return Err(bad_input(format!("{}: {e}", args.history.display()))),
        }
    }
    if entries.is_empty() {
        return Err(bad_input(format!(
            "{}: no series could be fitted:\n{report}",
            args.history.display()
        )));
    }
    let fits: Vec<GrowthFit> = entries.iter().map(|e| e.fit.clone()).collect();
    // The file's name goes into TOML comments: no new line in it may end one.
    let source = format!(
        "{} (SHA-256 {hash})",
        dsg_data::escape::toml_comment(&args.history.display().to_string())
    );
    let version = concat!("dsg ", env!("CARGO_PKG_VERSION"));
    let text = fragment(&fits, &source, version);
    let updated = match &args.scenario {
        Some(path) => Some(update_scenario(path, &fits, &source)?),
        None => None,
    };
    if let Some(staging) = staging {
        let dir = staging.path();
        std::fs::write(dir.join("calibrated.toml"), &text)?;
        crate::output::write_json(&dir.join("fit.json"), &entries)?;
        write_fit_csv(&dir.join("fit.csv"), &entries)?;
        let mut files = vec!["calibrated.toml", "fit.json", "fit.csv"];
        if let Some((updated, _)) = &updated {
            std::fs::write(dir.join("scenario-calibrated.toml"), updated)?;
            files.push("scenario-calibrated.toml");
        }
        files.push("manifest.json");
        crate::output::write_json(
            &dir.join("manifest.json"),
            &serde_json::json!({
                "format": "dsg-manifest/1",
                "command": "calibrate",
                "dsg_version": env!("CARGO_PKG_VERSION"),
                "history": { "file": args.history.display().to_string(), "sha256": hash },
                "seed": args.seed,
                "files": files,
            }),
        )?;
        let outcome = staging.commit()?;
        if let Some(dir) = &args.out {
            announce(dir, outcome, &files.join(", "), args.quiet);
        }
    }
    if !args.quiet {
        crate::print(&report)?;
        if let Some((_, notes)) = &updated {
            for n in notes {
                eprintln!("{n}");
            }
        }
    } else {
        crate::print(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Forecasts one fitted series (`i`: its place in the history, which picks its random stream),
/// adds its lines to the report and returns what the outputs record of it; a forecast that
/// overflows is bad input naming the series (nothing is written).
fn fit_entry(
    f: GrowthFit,
    i: usize,
    args: &CalibrateArgs,
    report: &mut String,
) -> anyhow::Result<FitEntry> {
    let settings = ForecastSettings {
        seed: args.seed,
        stream: i as u64,
        horizon: args.horizon,
        ..Default::default()
    };
    let wide = forecast(&f, &settings);
    let plug = forecast(
        &f,
        &ForecastSettings {
            uncertainty: Uncertainty::PlugIn,
            ..settings
        },
    );
    let ranges: Vec<[f64; 6]> = (1..=settings.horizon)
        .map(|h| {
            [
                h as f64,
                wide.quantile(h, 0.05),
                wide.quantile(h, 0.5),
                wide.quantile(h, 0.95),
                plug.quantile(h, 0.05),
                plug.quantile(h, 0.95),
            ]
        })
        .collect();
    for check in [wide.check_finite(&f.series), plug.check_finite(&f.series)] {
        check.map_err(|e| bad_input(format!("{}: {e}", args.history.display())))?;
    }
    for line in describe(&f) {
        report.push_str(line.trim_start_matches("# "));
        report.push('\n');
    }
    if let Some(last) = ranges.last() {
        report.push_str(&format!(
            "  in {} years: median {:.0}, 90% range {:.0} to {:.0} with parameter uncertainty; {:.0} to {:.0} plug-in (plug-in width {:.0}% of it)\n",
            settings.horizon,
            last[2],
            last[1],
            last[3],
            last[4],
            last[5],
            100.0 * (last[5] - last[4]) / (last[3] - last[1]).max(f64::MIN_POSITIVE)
        ));
    }
    report.push_str(&format!(
        "  {}: {}\n\n",
        input_name(&f.series).unwrap_or_else(|| "(no scenario input)".into()),
        scenario_value(&f)
    ));
    Ok(FitEntry {
        input: input_name(&f.series),
        value: scenario_value(&f),
        plug_in_value: plug_in_value(&f),
        fit: f,
        ranges,
    })
}

fn write_fit_csv(path: &Path, entries: &[FitEntry]) -> anyhow::Result<()> {
    let mut w = dsg_data::escape::CsvWriter::create(path)?;
    w.write_record([
        "series",
        "input",
        "points",
        "growths",
        "first_year",
        "last_year",
        "mean",
        "mean_se",
        "sd",
        "sd_se",
        "persistence",
        "persistence_se",
        "value",
        "notes",
    ])?;
    for e in entries {
        let f = &e.fit;
        w.write_record([
            f.series.clone(),
            e.input.clone().unwrap_or_default(),
            f.points.to_string(),
            f.growths.to_string(),
            f.first_year.clone(),
            f.last_year.clone(),
            f.mean.to_string(),
            f.mean_se.to_string(),
            f.sd.to_string(),
            f.sd_se.to_string(),
            f.persistence.to_string(),
            f.persistence_se.map(|s| s.to_string()).unwrap_or_default(),
            e.value.clone(),
            f.notes.join("; "),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// An updated copy of the scenario at `path` with each fitted input set (with its parameter
/// uncertainty; the fit and the plug-in form in a comment above it), checked by validating it;
/// and notes on what was not applied. The library's [`ScenarioDocument`] makes the changes, so
/// the file's other comments and layout are kept.
fn update_scenario(
    path: &Path,
    fits: &[GrowthFit],
    source: &str,
) -> anyhow::Result<(String, Vec<String>)> {
    let mut doc = ScenarioDocument::load(path).map_err(|e| bad_input(e.to_string()))?;
    let mut notes = Vec::new();
    for f in fits {
        let Some(input) = input_name(&f.series) else {
            notes.push(format!(
                "note: `{}` sets no scenario input; it was fitted for checking only",
                f.series
            ));
            continue;
        };
        // Inputs correlated with others cannot take parameter uncertainty yet: they get the
        // plug-in form.
        let key = doc.canonical_key(&input).ok();
        let plug = key.as_ref().is_some_and(|k| doc.is_correlated(k));
        if plug {
            notes.push(format!(
                "note: `{}` is correlated with other inputs in the scenario, which parameter uncertainty does not support yet: it takes the plug-in form (parameters taken as known)",
                key.clone().unwrap_or_default()
            ));
        }
        let (value, other, other_label) = if plug {
            (
                plug_in_value(f),
                scenario_value(f),
                "with parameter uncertainty (not yet possible for a correlated input)",
            )
        } else {
            (
                scenario_value(f),
                plug_in_value(f),
                "plug-in (parameters taken as known)",
            )
        };
        let mut comment = format!("Fitted by dsg calibrate from {source}:\n");
        for line in describe(f) {
            comment.push_str(line.strip_prefix("# ").unwrap_or(&line));
            comment.push('\n');
        }
        comment.push_str(&format!("{other_label}: {other}"));
        let value = EditValue::toml(value);
        // A table the file lacks is made only when the scenario stays valid with it (an optional
        // section such as `[cost]`, not `[demand.joiners]`, which needs more than a growth).
        let placed = match &key {
            Some(k) if doc.has_table_for(k) => Some(k),
            Some(k) => {
                let mut trial = doc.clone();
                let valid = trial.set(k, value.clone()).is_ok() && trial.validate().is_ok();
                valid.then_some(k)
            }
            None => None,
        };
        match placed {
            Some(k) => {
                doc.set_with_comment(k, value, &comment)
                    .map_err(|e| bad_input(e.to_string()))?;
                notes.push(format!("updated `{input}` from series `{}`", f.series));
            }
            None => notes.push(format!(
                "note: the scenario has no place for `{input}` (series `{}`); not applied",
                f.series
            )),
        }
    }
    doc.validate().map_err(|e| {
        bad_input(format!(
            "the scenario updated with the fitted inputs is not valid: {e}"
        ))
    })?;
    Ok((doc.to_string(), notes))
}
