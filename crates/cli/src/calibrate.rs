//! `dsg calibrate`: fits the growth model to each series of a history file and writes the fitted
//! scenario inputs (a commented fragment, or an updated copy of a scenario). The count of all
//! plans takes the pooled growth model, fitted with every council's published counts (the
//! built-in panel, the history's series in its council's place); other series their own
//! history's model.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use dsg_core::scenario::{EditValue, ScenarioDocument};
use dsg_data::DataError;
use dsg_data::history::{
    ForecastSettings, GrowthFit, History, Pool, PooledSeriesFit, SeriesFit, Target, Uncertainty,
    fit, forecast, fragment, target_key,
};
use serde::Serialize;

use crate::error::bad_input;
use crate::history_input::{load_history, pools, scenario_code, select_areas};
use crate::load::sha256_of;
use crate::output::atomic::{Staging, announce};

/// `dsg calibrate`.
#[derive(Args)]
pub struct CalibrateArgs {
    /// The history file (CSV with columns series, year, value and optionally area, break, source, note).
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
    /// In a history with an `area` column: fit only this area (needed with --scenario when the
    /// history holds several areas). In one without: the council it is (its ONS code; E92000001
    /// for England), whose place it takes among the councils' published counts (default: the
    /// scenario's `area_code`, else it joins them as one more council).
    #[arg(long, value_name = "CODE")]
    pub area: Option<String>,
    /// Print only the fitted values (with several areas: the pooled summary).
    #[arg(long, short)]
    pub quiet: bool,
}

/// The fit of one series with its five-year forecast ranges.
#[derive(Serialize)]
struct FitEntry {
    /// The area, in a history with areas.
    #[serde(skip_serializing_if = "Option::is_none")]
    area: Option<String>,
    /// The model that gives the value: `pooled` or `one series`.
    model: &'static str,
    /// The series' own history's model (it gives the value for a series that is not a count of
    /// plans, and the comparison for one that is).
    fit: GrowthFit,
    /// The pooled model, for a count of plans.
    #[serde(skip_serializing_if = "Option::is_none")]
    pooled: Option<PooledSummary>,
    #[serde(skip)]
    pooled_fit: Option<PooledSeriesFit>,
    /// Scenario input this series' growth sets (`demand.growth`, `provisions[special].growth`...).
    input: Option<String>,
    /// The value with parameter uncertainty, and the plug-in value.
    value: String,
    plug_in_value: String,
    /// Per horizon 1..H: (year offset, P5, P50, P95 of the model that gives the value, P5, P95
    /// of the one-series model with its parameters taken as known).
    ranges: Vec<[f64; 6]>,
}

/// What fit.json records of a pooled fit.
#[derive(Serialize)]
struct PooledSummary {
    /// The year fitted to, and the councils whose growth that year the panel's averages.
    origin: i32,
    councils: usize,
    /// The first year of the series used (after its last break).
    first_year: i32,
    /// The panel's forecast log growth a year.
    national: f64,
    /// The series' shrunk deviation from it, the shrinkage factor (1: its own) and its yearly sd.
    deviation: f64,
    shrinkage: f64,
    volatility_sd: f64,
    /// The scenario input: mean log growth (drawn once a path with sd `path_sd`), yearly sd.
    mean: f64,
    path_sd: f64,
    yearly_sd: f64,
}

impl PooledSummary {
    fn of(p: &PooledSeriesFit) -> PooledSummary {
        PooledSummary {
            origin: p.fit.origin,
            councils: p.fit.panel_growth.last().map_or(0, |g| g.2),
            first_year: p.first_year,
            national: p.fit.national,
            deviation: p.council.deviation,
            shrinkage: p.council.shrinkage,
            volatility_sd: p.council.volatility_var.sqrt(),
            mean: p.scenario.mean,
            path_sd: p.scenario.path_sd,
            yearly_sd: p.scenario.yearly_sd,
        }
    }
}

impl FitEntry {
    fn series_fit(&self) -> SeriesFit {
        SeriesFit {
            fit: self.fit.clone(),
            pooled: self.pooled_fit.clone(),
        }
    }
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
    let (history, named) = select_areas(
        load_history(&args.history)?,
        args.area.as_slice(),
        &args.history,
    )?;
    let several = history.areas.len() > 1;
    if several && args.scenario.is_some() {
        return Err(bad_input(format!(
            "--scenario: {} holds {} areas; choose the one whose fit updates the scenario with --area CODE",
            args.history.display(),
            history.areas.len()
        )));
    }
    let hash = sha256_of(&args.history)?;
    let mut protect = vec![args.history.clone()];
    protect.extend(args.scenario.clone());
    let staging = match &args.out {
        Some(dir) => Some(Staging::prepare(dir, &protect)?),
        None => None,
    };
    let code = match named {
        Some(code) => Some(code),
        None => scenario_code(args.scenario.as_ref())?,
    };
    let pools = pools(&history, code.as_deref())?;
    let (entries, mut report) = fit_all(&history, &pools, code.as_deref(), args, several)?;
    let fits: Vec<SeriesFit> = entries.iter().map(FitEntry::series_fit).collect();
    // The file's name goes into TOML comments: no new line in it may end one.
    let source = format!(
        "{} (SHA-256 {hash})",
        dsg_data::escape::toml_comment(&args.history.display().to_string())
    );
    let version = concat!("dsg ", env!("CARGO_PKG_VERSION"));
    // With several areas there is no one scenario fragment: the pooled summary instead.
    let pooled = several.then(|| pooled(&entries));
    let text = match &pooled {
        Some(p) => pooled_text(p, history.areas.len()),
        None => fragment(&fits, &source, version),
    };
    if several {
        report.push_str(&text);
    }
    let updated = match &args.scenario {
        Some(path) => Some(update_scenario(path, &fits, &source)?),
        None => None,
    };
    if let Some(staging) = staging {
        let dir = staging.path();
        let mut files = match &pooled {
            Some(p) => {
                write_pooled_csv(&dir.join("pooled.csv"), p)?;
                vec!["fit.json", "fit.csv", "pooled.csv"]
            }
            None => {
                std::fs::write(dir.join("calibrated.toml"), &text)?;
                vec!["calibrated.toml", "fit.json", "fit.csv"]
            }
        };
        crate::output::write_json(&dir.join("fit.json"), &entries)?;
        write_fit_csv(&dir.join("fit.csv"), &entries)?;
        if let Some((updated, _)) = &updated {
            std::fs::write(dir.join("scenario-calibrated.toml"), updated)?;
            files.push("scenario-calibrated.toml");
        }
        let names: Vec<String> = files.iter().map(|f| f.to_string()).collect();
        crate::output::manifest::write_listing(
            dir,
            "calibrate",
            serde_json::json!({
                "history": { "file": args.history.display().to_string(), "sha256": hash },
                "seed": args.seed,
            }),
            &names,
        )?;
        files.push("manifest.json");
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

/// Fits and forecasts every series of `history` (`several`: it holds several areas, reported a
/// line each); the entries and the report. No series fitted is bad input.
fn fit_all(
    history: &History,
    pools: &BTreeMap<String, Pool>,
    code: Option<&str>,
    args: &CalibrateArgs,
    several: bool,
) -> anyhow::Result<(Vec<FitEntry>, String)> {
    let mut entries = Vec::new();
    let mut report = String::new();
    for (i, series) in history.series.iter().enumerate() {
        let of = series
            .area
            .as_ref()
            .map_or(String::new(), |a| format!("area {a}: "));
        match fit(series, args.origin) {
            Ok(f) => {
                let pooled = match pools.get(&series.name) {
                    Some(pool) => Some(
                        pool.fit(series.area.as_deref().or(code), args.origin)
                            .map_err(|e| {
                                bad_input(format!("{}: {of}{e}", args.history.display()))
                            })?,
                    ),
                    None => None,
                };
                let entry = fit_entry(f, pooled, i, args, series.area.as_deref())?;
                report.push_str(&entry_report(&entry, args.horizon, several));
                entries.push(entry);
            }
            // A series too short is left out with a note; one too extreme to fit is refused.
            Err(e @ DataError::TooShort { .. }) => {
                report.push_str(&format!("{of}{e}: not fitted\n"));
                if !several {
                    report.push('\n');
                }
            }
            Err(e) => return Err(bad_input(format!("{}: {of}{e}", args.history.display()))),
        }
    }
    if entries.is_empty() {
        return Err(bad_input(format!(
            "{}: no series could be fitted:\n{report}",
            args.history.display()
        )));
    }
    Ok((entries, report))
}

/// Forecasts one fitted series (`i`: its place in the history, which picks its random stream;
/// `area`: its area, in a history with areas) and returns what the outputs record of it; a
/// forecast that overflows is bad input naming the series (nothing is written).
fn fit_entry(
    f: GrowthFit,
    pooled: Option<PooledSeriesFit>,
    i: usize,
    args: &CalibrateArgs,
    area: Option<&str>,
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
            let [p5, p50, p95] = match &pooled {
                Some(p) => {
                    let f = p.forecast(h as u32);
                    [0.05, 0.5, 0.95].map(|q| f.quantile(q))
                }
                None => [0.05, 0.5, 0.95].map(|q| wide.quantile(h, q)),
            };
            [
                h as f64,
                p5,
                p50,
                p95,
                plug.quantile(h, 0.05),
                plug.quantile(h, 0.95),
            ]
        })
        .collect();
    if ranges.iter().flatten().any(|x| !x.is_finite()) {
        return Err(bad_input(format!(
            "{}: series `{}`: a forecast level is not finite (the growths vary too much to forecast that far); nothing written",
            args.history.display(),
            f.series
        )));
    }
    let of = area.map_or(String::new(), |a| format!("area {a}: "));
    for check in [wide.check_finite(&f.series), plug.check_finite(&f.series)] {
        check.map_err(|e| bad_input(format!("{}: {of}{e}", args.history.display())))?;
    }
    let series_fit = SeriesFit { fit: f, pooled };
    Ok(FitEntry {
        area: area.map(str::to_string),
        model: if series_fit.pooled.is_some() {
            "pooled"
        } else {
            "one series"
        },
        input: input_name(&series_fit.fit.series),
        value: series_fit.value(),
        plug_in_value: series_fit.plug_in(),
        pooled: series_fit.pooled.as_ref().map(PooledSummary::of),
        pooled_fit: series_fit.pooled,
        fit: series_fit.fit,
        ranges,
    })
}

/// What the terminal shows of one fit: its description, the last horizon's ranges and the
/// scenario value; `compact` (a history with several areas): one line naming the area.
fn entry_report(e: &FitEntry, horizon: usize, compact: bool) -> String {
    let described = e.series_fit().describe();
    if compact {
        return format!(
            "{}: {}\n",
            e.area.as_deref().unwrap_or_default(),
            described[0].trim_start_matches("# ").replace('`', "")
        );
    }
    let mut report = String::new();
    for line in described {
        report.push_str(line.trim_start_matches("# "));
        report.push('\n');
    }
    if let Some(last) = e.ranges.last() {
        let this = if e.pooled.is_some() {
            "with the pooled model; its own history alone, parameters taken as known:"
        } else {
            "with parameter uncertainty;"
        };
        report.push_str(&format!(
            "  in {} years: median {:.0}, 90% range {:.0} to {:.0} {this} {:.0} to {:.0} plug-in (plug-in width {:.0}% of it)\n",
            horizon,
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
        e.input.as_deref().unwrap_or("(no scenario input)"),
        e.value
    ));
    report
}

/// One series' fitted growth pooled over areas.
struct PooledFit {
    series: String,
    areas: usize,
    /// Mean and sd over areas of the fitted log growth mean, and its P10, P50, P90.
    mean: f64,
    spread: f64,
    quantiles: [f64; 3],
    /// Mean over areas of the fitted sd of log growth (each area's year-to-year volatility).
    sd: f64,
}

/// Each series' fits pooled over areas, series in the order they first appear.
fn pooled(entries: &[FitEntry]) -> Vec<PooledFit> {
    let mut names: Vec<&str> = Vec::new();
    for e in entries {
        if !names.contains(&e.fit.series.as_str()) {
            names.push(&e.fit.series);
        }
    }
    names
        .into_iter()
        .map(|name| {
            let fits: Vec<&GrowthFit> = entries
                .iter()
                .map(|e| &e.fit)
                .filter(|f| f.series == name)
                .collect();
            let n = fits.len() as f64;
            let mut means: Vec<f64> = fits.iter().map(|f| f.mean).collect();
            means.sort_by(f64::total_cmp);
            let mean = means.iter().sum::<f64>() / n;
            let spread = if fits.len() > 1 {
                (means.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
            } else {
                0.0
            };
            PooledFit {
                series: name.to_string(),
                areas: fits.len(),
                mean,
                spread,
                quantiles: [0.1, 0.5, 0.9].map(|p| dsg_data::history::sorted_quantile(&means, p)),
                sd: fits.iter().map(|f| f.sd).sum::<f64>() / n,
            }
        })
        .collect()
}

/// The pooled fits as a table for the terminal.
fn pooled_text(pooled: &[PooledFit], areas: usize) -> String {
    let mut text = format!(
        "\nFitted log growth pooled over the {areas} areas (mean and sd over areas of each area's mean growth; P10, P50, P90 over areas; mean of each area's sd):\n{:<24} {:>5} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n",
        "series", "areas", "mean", "spread", "P10", "P50", "P90", "mean sd"
    );
    for p in pooled {
        text.push_str(&format!(
            "{:<24} {:>5} {:>8.4} {:>8.4} {:>8.4} {:>8.4} {:>8.4} {:>8.4}\n",
            p.series,
            p.areas,
            p.mean,
            p.spread,
            p.quantiles[0],
            p.quantiles[1],
            p.quantiles[2],
            p.sd
        ));
    }
    text
}

fn write_pooled_csv(path: &Path, pooled: &[PooledFit]) -> anyhow::Result<()> {
    let mut w = dsg_data::escape::CsvWriter::create(path)?;
    w.write_record([
        "series", "areas", "mean", "spread", "p10", "p50", "p90", "mean_sd",
    ])?;
    for p in pooled {
        w.write_record([
            p.series.clone(),
            p.areas.to_string(),
            p.mean.to_string(),
            p.spread.to_string(),
            p.quantiles[0].to_string(),
            p.quantiles[1].to_string(),
            p.quantiles[2].to_string(),
            p.sd.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

fn write_fit_csv(path: &Path, entries: &[FitEntry]) -> anyhow::Result<()> {
    let mut w = dsg_data::escape::CsvWriter::create(path)?;
    let areas = entries.iter().any(|e| e.area.is_some());
    let mut head = Vec::new();
    if areas {
        head.push("area");
    }
    head.extend([
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
    ]);
    w.write_record(head)?;
    for e in entries {
        let f = &e.fit;
        let mut row: Vec<String> = e.area.iter().cloned().collect();
        row.extend([
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
        ]);
        w.write_record(row)?;
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
    fits: &[SeriesFit],
    source: &str,
) -> anyhow::Result<(String, Vec<String>)> {
    let mut doc = ScenarioDocument::load(path).map_err(|e| bad_input(e.to_string()))?;
    let mut notes = Vec::new();
    for sf in fits {
        let f = &sf.fit;
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
                sf.plug_in(),
                sf.value(),
                "with parameter uncertainty (not yet possible for a correlated input)",
            )
        } else {
            (
                sf.value(),
                sf.plug_in(),
                "plug-in (parameters taken as known)",
            )
        };
        let mut comment = format!("Fitted by dsg calibrate from {source}:\n");
        for line in sf.describe() {
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
