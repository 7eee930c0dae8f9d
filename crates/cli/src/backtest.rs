//! `dsg backtest`: rolling-origin backtests of the growth model fitted to each series of a
//! history file (docs/model.md section 12), with the model's scores against the benchmarks.
//! The count of all plans is forecast by the pooled growth model, as `dsg calibrate` fits it; the
//! one-series model with its parameters taken as known is scored beside it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use dsg_analysis::backtest::{
    Aggregate, Backtest, BacktestSettings, Model, Pooled, backtest, backtest_with, pool,
};
use dsg_data::history::Uncertainty;
use rust_xlsxwriter::Workbook;
use serde::Serialize;

use crate::error::bad_input;
use crate::history_input::load_history;
use crate::load::sha256_of;
use crate::output::atomic::{Staging, announce};

/// `dsg backtest`.
#[derive(Args)]
pub struct BacktestArgs {
    /// The history file (CSV with columns series, year, value and optionally area, break, source, note).
    #[arg(value_name = "HISTORY", required_unless_present = "panel")]
    pub history: Option<PathBuf>,
    /// Backtest the pooled growth model on every council's published count of EHC plans (the
    /// panel built into the program, or --panel-file) instead of a history file.
    #[arg(long, conflicts_with_all = ["history", "scenario", "series", "paths", "seed"])]
    pub panel: bool,
    /// With --panel: a panel CSV written by `dsg data import` instead of the built-in one.
    #[arg(long, value_name = "FILE", requires = "panel")]
    pub panel_file: Option<PathBuf>,
    /// With --panel: backtest the forecast by age band (the five bands of the DSG management
    /// plan, as `init --la` writes them) instead of the count of all plans.
    #[arg(long, requires = "panel")]
    pub by_age: bool,
    /// With --panel: the origins, FROM-TO (default 2014-2022).
    #[arg(long, value_name = "FROM-TO", requires = "panel")]
    pub origins: Option<String>,
    /// The scenario the fitted inputs are for: only the series whose growth it takes are
    /// backtested, and it is recorded in the manifest.
    #[arg(long, value_name = "SCENARIO")]
    pub scenario: Option<PathBuf>,
    /// Backtest only this series (may be repeated).
    #[arg(long, value_name = "NAME")]
    pub series: Vec<String>,
    /// In a history with an `area` column: backtest only this area (may be repeated). In one
    /// without: the council it is (its ONS code; E92000001 for England), whose place it takes
    /// among the councils' published counts (default: the scenario's `area_code`).
    #[arg(long, value_name = "CODE")]
    pub area: Vec<String>,
    /// The growth model for the count of all plans: `pooled` (with every council's published
    /// counts, as `dsg calibrate` fits it) or `one-series` (its own history only, the model every
    /// other series takes), to compare the two on the same forecasts.
    #[arg(long, value_enum, default_value_t = GrowthModel::Pooled)]
    pub model: GrowthModel,
    /// Simulated paths per forecast.
    #[arg(long, value_name = "N", default_value_t = 5_000)]
    pub paths: usize,
    /// Random seed.
    #[arg(long, value_name = "S", default_value_t = dsg_montecarlo::stream::DEFAULT_SEED)]
    pub seed: u64,
    /// Horizons 1 to this many years (default 5; 3 with --panel).
    #[arg(long, value_name = "H")]
    pub horizons: Option<usize>,
    /// Folder to save backtest.csv, backtest.json, backtest.xlsx and the charts in.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Do not draw charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Print only the summary lines.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--model`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GrowthModel {
    /// The pooled growth model.
    Pooled,
    /// The series' own history only.
    OneSeries,
}

/// What backtest.json holds.
#[derive(Serialize)]
struct Output<'a> {
    format: &'static str,
    history: String,
    sha256: String,
    dsg_version: &'static str,
    backtests: &'a [Backtest],
    /// The same backtests with the parameters taken as known (plug-in), all horizons (in a
    /// history with areas, named `area/series`).
    plug_in: Vec<(String, Aggregate)>,
    /// In a history with areas: each series' scores pooled over the areas.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pooled: Vec<Pooled>,
}

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// One line per aggregate.
fn line(a: &Aggregate) -> String {
    format!(
        "{:>7} {:>9} {:>5} {:>5} {:>5} {:>12.0} {:>12.0} {:>12.0} {:>8.2} {:>8.2} {:>6.3}",
        if a.horizon == 0 {
            "all".to_string()
        } else {
            a.horizon.to_string()
        },
        a.forecasts,
        pct(a.coverage[0]),
        pct(a.coverage[1]),
        pct(a.coverage[2]),
        a.crps,
        a.crps_last_growth,
        a.crps_mean_growth,
        a.skill_last_growth,
        a.skill_mean_growth,
        a.dfe_accuracy
    )
}

/// Runs `dsg backtest`.
pub fn run(args: &BacktestArgs) -> anyhow::Result<ExitCode> {
    // `dsg backtest --panel` (no history file) is `backtest_panel::run`.
    let Some(history_path) = &args.history else {
        return Err(bad_input("give a history file, or --panel"));
    };
    let horizons = args.horizons.unwrap_or(5);
    if args.paths < 100 || args.paths > 1_000_000 {
        return Err(bad_input("--paths must be from 100 to 1,000,000"));
    }
    if horizons == 0 || horizons > 10 {
        return Err(bad_input("--horizons must be from 1 to 10"));
    }
    let (history, named) =
        crate::history_input::select_areas(load_history(history_path)?, &args.area, history_path)?;
    let hash = sha256_of(history_path)?;
    let scenario = match &args.scenario {
        Some(p) => Some(crate::load::load(p)?),
        None => None,
    };
    let code = named.or_else(|| {
        scenario
            .as_ref()
            .and_then(|l| l.scenario.area_code())
            .map(str::to_string)
    });
    let pools = match args.model {
        GrowthModel::Pooled => crate::history_input::pools(&history, code.as_deref())?,
        GrowthModel::OneSeries => Default::default(),
    };
    for name in &args.series {
        if history.get(name).is_none() {
            return Err(bad_input(format!(
                "--series {name}: {} has no such series",
                history_path.display()
            )));
        }
    }
    let mut protect = vec![history_path.clone()];
    protect.extend(args.scenario.clone());
    let staging = match &args.out {
        Some(dir) => Some(Staging::prepare(dir, &protect)?),
        None => None,
    };
    let settings = BacktestSettings {
        horizons,
        paths: args.paths,
        seed: args.seed,
        ..Default::default()
    };
    let mut results = Vec::new();
    let mut plug_in = Vec::new();
    let mut report = String::new();
    for (i, series) in history.series.iter().enumerate() {
        if !args.series.is_empty() && !args.series.contains(&series.name) {
            continue;
        }
        if let Some(l) = &scenario
            && !takes(&l.scenario, &series.name)
        {
            continue;
        }
        let model = match pools.get(&series.name) {
            Some(pool) => Model::Pooled {
                pool,
                code: series.area.as_deref().or(code.as_deref()),
            },
            None => Model::OneSeries,
        };
        let Some((b, p)) = backtest_both(series, &settings, i as u64, model, &mut report)
            .map_err(|e| bad_input(format!("{}: {e}", history_path.display())))?
        else {
            continue;
        };
        let pa = &p.summary[0];
        // Several areas: a line each, then the pooled scores; one area: its full report.
        if history.areas.len() > 1 {
            report.push_str(&area_line(&b, pa));
        } else {
            report.push_str(&series_report(&b, pa));
        }
        match &b.area {
            Some(area) => plug_in.push((format!("{area}/{}", b.series), pa.clone())),
            None => plug_in.push((b.series.clone(), pa.clone())),
        }
        results.push(b);
    }
    if results.is_empty() {
        return Err(bad_input(format!(
            "{}: no series could be backtested\n{report}",
            history_path.display()
        )));
    }
    let pooled = if history.areas.len() < 2 {
        Vec::new()
    } else {
        pool(&results)
    };
    for p in &pooled {
        report.push_str(&pooled_report(p));
    }
    if let Some(staging) = staging {
        let out = Output {
            format: "dsg-backtest/1",
            history: history_path.display().to_string(),
            sha256: hash,
            dsg_version: env!("CARGO_PKG_VERSION"),
            backtests: &results,
            plug_in,
            pooled,
        };
        save(args, staging, &out, history.areas.len())?;
    }
    crate::print(&report)?;
    Ok(ExitCode::SUCCESS)
}

/// The backtest of one series with `model` and, beside it, the one-series model with its
/// parameters taken as known; `None` (with a line in `report`) when it cannot be backtested.
/// Scores that overflow are an error naming the series.
fn backtest_both(
    series: &dsg_data::history::Series,
    settings: &BacktestSettings,
    stream: u64,
    model: Model<'_>,
    report: &mut String,
) -> anyhow::Result<Option<(Backtest, Backtest)>> {
    let b = match backtest_with(series, settings, stream, model) {
        Ok(b) => b,
        Err(e) => {
            match &series.area {
                Some(area) => report.push_str(&format!("{area}: {e}\n")),
                None => report.push_str(&format!("{e}\n")),
            }
            return Ok(None);
        }
    };
    let p = backtest(
        series,
        &BacktestSettings {
            uncertainty: Uncertainty::PlugIn,
            ..*settings
        },
        stream,
    )?;
    for scored in [&b, &p] {
        check_scores(scored).map_err(|e| {
            anyhow::anyhow!(
                "series `{}`: {e} (the history's growths vary too much to forecast); nothing written",
                series.name
            )
        })?;
    }
    Ok(Some((b, p)))
}

/// What the terminal shows of one series' backtest: the scores by horizon, the plug-in
/// forecast's (`plug_in`: over all horizons), the PIT histogram and any notes.
fn series_report(b: &Backtest, plug_in: &Aggregate) -> String {
    let mut report = format!(
        "Series `{}`: {} forecasts from {} origins by the {} model (refitted at each origin on the data up to it)\n",
        b.series,
        b.scored.len(),
        b.fans.len(),
        b.model
    );
    report.push_str("horizon forecasts   50%   80%   90%         CRPS  CRPS (last)  CRPS (mean)  skill vs last  vs mean  DfE acc.\n");
    for a in &b.summary {
        report.push_str(&line(a));
        report.push('\n');
    }
    report.push_str(&format!(
        "the one-series model with its parameters taken as known: coverage {} / {} / {}, CRPS {:.0}\n",
        pct(plug_in.coverage[0]),
        pct(plug_in.coverage[1]),
        pct(plug_in.coverage[2]),
        plug_in.crps
    ));
    report.push_str(&format!(
        "PIT histogram (10 bins): {:?}\n",
        b.summary[0].pit_histogram
    ));
    for n in &b.notes {
        report.push_str(&format!("note: {n}\n"));
    }
    report.push('\n');
    report
}

/// One line of a history with areas: the area, the series and its scores over all horizons.
fn area_line(b: &Backtest, plug_in: &Aggregate) -> String {
    let a = &b.summary[0];
    format!(
        "{:<12} {:<20} {:>4} forecasts  coverage {:>4} {:>4} {:>4}  CRPS {:>9.1}  skill vs last {:>6.2}, vs mean {:>6.2}  (plug-in 80%: {})\n",
        b.area.as_deref().unwrap_or_default(),
        b.series,
        a.forecasts,
        pct(a.coverage[0]),
        pct(a.coverage[1]),
        pct(a.coverage[2]),
        a.crps,
        a.skill_last_growth,
        a.skill_mean_growth,
        pct(plug_in.coverage[1]),
    )
}

/// What the terminal shows of one series pooled over areas.
fn pooled_report(p: &Pooled) -> String {
    let mut report = format!(
        "\nSeries `{}` pooled over {} areas: {} forecasts\n",
        p.series, p.areas, p.summary[0].forecasts
    );
    report.push_str("horizon forecasts   50%   80%   90%         CRPS  CRPS (last)  CRPS (mean)  skill vs last  vs mean  DfE acc.\n");
    for a in &p.summary {
        report.push_str(&line(a));
        report.push('\n');
    }
    report.push_str(&format!(
        "below P10 {}, above P90 {} (10% each when calibrated); mean PIT {:.3}; PIT histogram (10 bins): {:?}\n",
        pct(p.below_p10),
        pct(p.above_p90),
        p.mean_pit,
        p.summary[0].pit_histogram
    ));
    report
}

/// Writes backtest.json, .csv, .xlsx, the charts (unless `--no-charts`; in a history with areas,
/// only for one area) and the manifest into the staging folder, then moves it into place.
fn save(
    args: &BacktestArgs,
    staging: Staging,
    out: &Output<'_>,
    areas: usize,
) -> anyhow::Result<()> {
    let dir = staging.path();
    crate::output::write_json(&dir.join("backtest.json"), out)?;
    write_csv(&dir.join("backtest.csv"), out.backtests)?;
    write_xlsx(&dir.join("backtest.xlsx"), out.backtests)?;
    let mut files: Vec<String> = ["backtest.json", "backtest.csv", "backtest.xlsx"]
        .map(String::from)
        .to_vec();
    if !out.pooled.is_empty() {
        write_pooled_csv(&dir.join("backtest-pooled.csv"), &out.pooled)?;
        files.push("backtest-pooled.csv".into());
    }
    if !args.no_charts && areas <= 1 {
        files.extend(crate::output::backtest_charts(dir, out.backtests)?);
    }
    crate::output::manifest::write_listing(
        dir,
        "backtest",
        serde_json::json!({
            "history": { "file": out.history, "sha256": out.sha256 },
            "scenario": args.scenario.as_ref().map(|p| p.display().to_string()),
            "seed": args.seed,
            "paths": args.paths,
        }),
        &files,
    )?;
    files.push("manifest.json".into());
    let outcome = staging.commit()?;
    if let Some(dir) = &args.out {
        announce(dir, outcome, &files.join(", "), args.quiet);
    }
    Ok(())
}

/// Refuses a backtest with a number that is not finite, or that sits at the largest finite value
/// (a forecast level that overflowed and was kept there): no such number may be written.
fn check_scores(b: &Backtest) -> Result<(), String> {
    let bad = |x: &f64| !x.is_finite() || x.abs() == f64::MAX;
    for s in &b.scored {
        let numbers = [
            ("actual", s.actual),
            ("PIT", s.pit),
            ("CRPS", s.crps),
            ("DfE accuracy", s.dfe_accuracy),
            ("last-growth forecast", s.last_growth),
            ("mean-growth forecast", s.mean_growth),
        ];
        let quantiles = s.quantiles.iter().map(|q| ("forecast quantile", *q));
        if let Some((what, x)) = numbers.into_iter().chain(quantiles).find(|(_, x)| bad(x)) {
            return Err(format!(
                "the {what} of the forecast from {} for {} is {x}",
                s.origin, s.year
            ));
        }
    }
    for a in &b.summary {
        let numbers = [
            a.crps,
            a.crps_last_growth,
            a.crps_mean_growth,
            a.skill_last_growth,
            a.skill_mean_growth,
            a.dfe_accuracy,
        ];
        let all = numbers.iter().chain(&a.coverage).chain(&a.coverage_se);
        if let Some(x) = all.into_iter().find(|x| bad(x)) {
            return Err(format!("a score over horizon {} is {x}", a.horizon));
        }
    }
    let fans = b
        .fans
        .iter()
        .flat_map(|f| std::iter::once(&f.origin.1).chain(f.bands.iter().flat_map(|(_, q)| q)));
    if let Some(x) = fans.into_iter().find(|x| bad(x)) {
        return Err(format!("a forecast fan holds {x}"));
    }
    Ok(())
}

/// Whether the scenario has the input a series' growth sets.
fn takes(scenario: &dsg_core::Scenario, series: &str) -> bool {
    dsg_data::history::target_key(series)
        .input_in(scenario)
        .is_some()
}

/// The pooled scores: one row per series and horizon (`all` for every horizon).
fn write_pooled_csv(path: &Path, pooled: &[Pooled]) -> anyhow::Result<()> {
    let mut w = dsg_data::escape::CsvWriter::create(path)?;
    w.write_record([
        "series",
        "horizon",
        "areas",
        "forecasts",
        "coverage_50",
        "coverage_80",
        "coverage_90",
        "below_p10",
        "above_p90",
        "mean_pit",
        "crps",
        "crps_last_growth",
        "crps_mean_growth",
        "skill_last_growth",
        "skill_mean_growth",
        "dfe_accuracy",
    ])?;
    for p in pooled {
        for a in &p.summary {
            let all = a.horizon == 0;
            let extra = |x: f64| if all { x.to_string() } else { String::new() };
            w.write_record([
                p.series.clone(),
                if all {
                    "all".into()
                } else {
                    a.horizon.to_string()
                },
                p.areas.to_string(),
                a.forecasts.to_string(),
                a.coverage[0].to_string(),
                a.coverage[1].to_string(),
                a.coverage[2].to_string(),
                extra(p.below_p10),
                extra(p.above_p90),
                extra(p.mean_pit),
                a.crps.to_string(),
                a.crps_last_growth.to_string(),
                a.crps_mean_growth.to_string(),
                a.skill_last_growth.to_string(),
                a.skill_mean_growth.to_string(),
                a.dfe_accuracy.to_string(),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

fn write_csv(path: &Path, results: &[Backtest]) -> anyhow::Result<()> {
    let mut w = dsg_data::escape::CsvWriter::create(path)?;
    let areas = results.iter().any(|b| b.area.is_some());
    let mut head = Vec::new();
    if areas {
        head.push("area");
    }
    head.extend([
        "series",
        "origin",
        "horizon",
        "year",
        "actual",
        "p5",
        "p10",
        "p25",
        "p50",
        "p75",
        "p90",
        "p95",
        "pit",
        "crps",
        "in_50",
        "in_80",
        "in_90",
        "dfe_accuracy",
        "last_growth_forecast",
        "mean_growth_forecast",
    ]);
    w.write_record(head)?;
    for b in results {
        for s in &b.scored {
            let mut row: Vec<String> = b.area.iter().cloned().collect();
            row.extend([
                s.series.clone(),
                s.origin.clone(),
                s.horizon.to_string(),
                s.year.clone(),
                s.actual.to_string(),
            ]);
            row.extend(s.quantiles.iter().map(|q| q.to_string()));
            row.push(s.pit.to_string());
            row.push(s.crps.to_string());
            row.extend(s.covered.iter().map(|c| c.to_string()));
            row.push(s.dfe_accuracy.to_string());
            row.push(s.last_growth.to_string());
            row.push(s.mean_growth.to_string());
            w.write_record(row)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// A backtest's series as the workbook names it: `area/series` in a history with areas.
fn label(b: &Backtest) -> String {
    match &b.area {
        Some(area) => format!("{area}/{}", b.series),
        None => b.series.clone(),
    }
}

fn write_xlsx(path: &Path, results: &[Backtest]) -> anyhow::Result<()> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Summary")?;
    let head = [
        "Series",
        "Horizon",
        "Forecasts",
        "Coverage 50%",
        "Coverage 80%",
        "Coverage 90%",
        "CRPS",
        "CRPS last growth",
        "CRPS mean growth",
        "Skill vs last growth",
        "Skill vs mean growth",
        "DfE accuracy",
    ];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    let mut r = 1u32;
    for b in results {
        for a in &b.summary {
            sheet.write_string(r, 0, label(b))?;
            if a.horizon == 0 {
                sheet.write_string(r, 1, "all")?;
            } else {
                sheet.write_number(r, 1, a.horizon as f64)?;
            }
            let values = [
                a.forecasts as f64,
                a.coverage[0],
                a.coverage[1],
                a.coverage[2],
                a.crps,
                a.crps_last_growth,
                a.crps_mean_growth,
                a.skill_last_growth,
                a.skill_mean_growth,
                a.dfe_accuracy,
            ];
            for (c, v) in values.iter().enumerate() {
                sheet.write_number(r, 2 + c as u16, *v)?;
            }
            r += 1;
        }
    }
    let sheet = book.add_worksheet().set_name("Forecasts")?;
    let head = [
        "Series",
        "Origin",
        "Horizon",
        "Year",
        "Actual",
        "P5",
        "P10",
        "P25",
        "P50",
        "P75",
        "P90",
        "P95",
        "PIT",
        "CRPS",
        "In 50%",
        "In 80%",
        "In 90%",
        "DfE accuracy",
    ];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    let mut r = 1u32;
    for b in results {
        for s in &b.scored {
            sheet.write_string(r, 0, label(b))?;
            sheet.write_string(r, 1, &s.origin)?;
            sheet.write_number(r, 2, s.horizon as f64)?;
            sheet.write_string(r, 3, &s.year)?;
            sheet.write_number(r, 4, s.actual)?;
            for (k, q) in s.quantiles.iter().enumerate() {
                sheet.write_number(r, 5 + k as u16, *q)?;
            }
            sheet.write_number(r, 12, s.pit)?;
            sheet.write_number(r, 13, s.crps)?;
            for (k, c) in s.covered.iter().enumerate() {
                sheet.write_boolean(r, 14 + k as u16, *c)?;
            }
            sheet.write_number(r, 17, s.dfe_accuracy)?;
            r += 1;
        }
    }
    book.save(path)?;
    Ok(())
}
