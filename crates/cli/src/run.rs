//! `dsg run`: forecast one scenario, print the headline and the year-by-year table, and save the
//! results with `--out`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use dsg_montecarlo::{Precision, Settings, Summary};

use crate::headline::Headline;
use crate::load::{Loaded, load_under};
use crate::output::atomic::announce;
use crate::output::manifest::{Manifest, PrecisionEntry, ScenarioEntry, Timings, threads_used};
use crate::output::{charts, csv, plan, relative_names, write_json, xlsx};
use crate::{RunArgs, progress, table};

/// What a run writes into its --out folder.
#[derive(Debug, Clone, Copy)]
struct Outputs {
    /// results.csv, probabilities.csv, results.xlsx.
    tables: bool,
    /// The charts folder.
    charts: bool,
    /// report.html and what it draws on.
    report: bool,
    /// report.pdf.
    pdf: bool,
}

/// Runs `dsg run`.
pub fn run(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let outputs = Outputs {
        tables: true,
        charts: !args.no_charts,
        report: !args.no_report,
        pdf: args.pdf && !args.no_report,
    };
    if args.pdf && args.no_report {
        return Err(crate::error::bad_input(
            "--pdf prints the report: it cannot go with --no-report".to_string(),
        ));
    }
    simulate_and_write(args, outputs)
}

/// Runs `dsg report`: a run that writes the report and what it draws on, without the tables
/// and charts.
pub fn report(args: &crate::ReportArgs) -> anyhow::Result<ExitCode> {
    if args.sim.out.is_none() {
        return Err(crate::error::bad_input(
            "dsg report writes a file: give the folder to write it in with --out DIR".to_string(),
        ));
    }
    let run_args = RunArgs {
        scenario: args.scenario.clone(),
        sim: args.sim.clone(),
        no_charts: true,
        target_se: None,
        analyse: false,
        no_report: false,
        pdf: args.pdf,
    };
    let outputs = Outputs {
        tables: false,
        charts: false,
        report: true,
        pdf: args.pdf,
    };
    simulate_and_write(&run_args, outputs)
}

fn simulate_and_write(args: &RunArgs, outputs: Outputs) -> anyhow::Result<ExitCode> {
    if outputs.pdf {
        // Before any work: without a browser there is no PDF, and nothing is written.
        crate::browser::require().map_err(|e| crate::error::bad_input(format!("--pdf: {e:#}")))?;
    }
    let loaded = load_under(&args.scenario, args.sim.policy.as_deref())?;
    crate::load::print_warnings(&loaded);
    let (staging, threads) = args.sim.prepare(&args.scenario)?;
    let precision = match &args.target_se {
        Some(t) => Some(Precision {
            series: dsg_core::SeriesKey::parse(&t.series, &loaded.scenario).ok_or_else(|| {
                crate::error::bad_input(format!(
                    "--target-se: no series is called `{}`; try balance.cumulative or spend.total",
                    t.series
                ))
            })?,
            target_se: t.target_se,
        }),
        None => None,
    };
    let settings = Settings {
        paths: args.sim.paths,
        seed: args.sim.seed,
        threads,
        precision,
    };
    // The report shows what drives the deficit: record the paths for it when there are enough.
    let reporting = outputs.report && args.sim.out.is_some();
    let record = if args.analyse
        || (reporting && args.sim.paths as usize >= dsg_analysis::sensitivity::MIN_PATHS)
    {
        Some(crate::analysis::record(&loaded.scenario, args.sim.paths)?)
    } else {
        None
    };
    let (summary, paths, simulate_seconds) = progress::simulate_recording(
        &loaded.scenario,
        &settings,
        record.as_ref(),
        "Simulating",
        args.sim.quiet,
    )?;
    let analysis = match record {
        Some(_) => Some(
            dsg_analysis::sensitivity(&paths, &loaded.scenario)
                .map_err(|e| crate::error::bad_input(e.to_string()))?,
        ),
        None => None,
    };
    let headline = Headline::of(&summary)
        .context("the results have no cumulative balance")?
        .sentences();

    let mut written = None;
    if let Some(staging) = staging {
        let started = Instant::now();
        let files = write_all(
            &summary,
            &loaded,
            &headline,
            analysis.as_deref(),
            staging.path(),
            (args, outputs, threads),
            (simulate_seconds, started),
        )?;
        let outcome = staging.commit()?;
        written = Some((files, outcome));
    }

    let mut report = headline.join("\n");
    report.push('\n');
    if !args.sim.quiet && outputs.tables {
        report.push('\n');
        report.push_str(&table::forecast(&summary));
        report.push_str(&table::reserves_run_out(&summary));
        report.push_str(&table::budgets(&summary));
        report.push_str(&table::children(&summary));
        report.push_str(&table::calibration(&summary));
    }
    if let Some(results) = analysis.as_ref().filter(|_| args.analyse) {
        report.push_str(&crate::analysis::report(results));
    }
    crate::print(&report)?;

    if let Some(precision) = &summary.run.precision
        && !args.sim.quiet
    {
        eprintln!("Precision: {precision}.");
    }
    if !args.sim.quiet {
        eprintln!(
            "Simulated {} {} in {:.2} s.",
            dsg_core::money::group_thousands(&summary.run.paths.to_string()),
            if summary.run.paths == 1 {
                "path"
            } else {
                "paths"
            },
            simulate_seconds
        );
    }
    if let (Some(dir), Some((files, outcome))) = (&args.sim.out, written) {
        announce(dir, outcome, &describe(&files), args.sim.quiet);
    }
    Ok(ExitCode::SUCCESS)
}

/// The files written, charts counted rather than listed: `summary.json, ..., and 12 charts in
/// charts/`.
fn describe(files: &[String]) -> String {
    let prefix = format!("{}/", charts::FOLDER);
    let (charts, other): (Vec<&String>, Vec<&String>) =
        files.iter().partition(|f| f.starts_with(&prefix));
    let mut text = other
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if !charts.is_empty() {
        text.push_str(&format!(" and {} charts in {prefix}", charts.len()));
    }
    text
}

/// Writes every output file into `dir` (the staging folder); returns their names.
fn write_all(
    summary: &Summary,
    loaded: &Loaded,
    headline: &[String],
    analysis: Option<&[dsg_analysis::Sensitivity]>,
    dir: &Path,
    (args, outputs, threads): (&RunArgs, Outputs, Option<usize>),
    (simulate_seconds, started): (f64, Instant),
) -> anyhow::Result<Vec<String>> {
    let fail = |name: &str| format!("cannot write {name}");
    let mut files: Vec<PathBuf> = Vec::new();
    // What --analyse writes; the report, which also reads the analysis, writes analysis.json.
    let (for_report, analysis) = (analysis, analysis.filter(|_| args.analyse));
    let path = dir.join("summary.json");
    write_json(&path, summary).with_context(|| fail("summary.json"))?;
    files.push(path);
    if outputs.tables {
        let path = dir.join("results.csv");
        csv::results(summary, &path).with_context(|| fail("results.csv"))?;
        files.push(path);
        let path = dir.join("probabilities.csv");
        csv::probabilities(summary, &path).with_context(|| fail("probabilities.csv"))?;
        files.push(path);
        let path = dir.join("results.xlsx");
        xlsx::results(summary, loaded, headline, analysis, &path)
            .with_context(|| fail("results.xlsx"))?;
        files.push(path);
        // The DSG management plan's tables.
        let (children, finance) = (plan::children(summary), plan::finance(summary));
        for (name, table) in [
            ("management-plan-children.csv", &children),
            ("management-plan-finance.csv", &finance),
        ] {
            let path = dir.join(name);
            plan::write_csv(summary, table, &path).with_context(|| fail(name))?;
            files.push(path);
        }
        let path = dir.join("management-plan.xlsx");
        xlsx::management_plan(summary, loaded, (&children, &finance), &path)
            .with_context(|| fail("management-plan.xlsx"))?;
        files.push(path);
    }
    if let Some(results) = analysis {
        files.extend(crate::analysis::write(results, dir)?);
    }
    if outputs.charts {
        files.extend(charts::run(summary, dir)?);
        if let Some(results) = analysis {
            files.extend(charts::tornado(results, summary, dir)?);
        }
    }
    if outputs.report {
        let extras = crate::report::extras(loaded, summary, threads)?;
        if let (Some(results), None) = (for_report, analysis) {
            let path = dir.join(dsg_report::ANALYSIS_FILE);
            write_json(&path, &results).with_context(|| fail("analysis.json"))?;
            files.push(path);
        }
        files.extend(crate::report::write(
            dir,
            loaded,
            summary,
            for_report,
            &extras,
            (args.sim.policy.as_deref(), outputs.pdf),
        )?);
    }
    let path = dir.join("manifest.json");
    files.push(path.clone());
    let names = relative_names(dir, &files);
    let manifest = Manifest {
        format: crate::output::manifest::FORMAT,
        command: if outputs.tables { "run" } else { "report" },
        dsg_version: env!("CARGO_PKG_VERSION"),
        scenario: Some(ScenarioEntry::of(loaded)),
        scenarios: Vec::new(),
        seed: summary.run.seed,
        paths: summary.run.paths,
        max_paths: args.target_se.as_ref().map(|_| args.sim.paths),
        precision: args.target_se.as_ref().map(|t| PrecisionEntry {
            series: t.series.clone(),
            target_se: t.target_se,
            outcome: summary.run.precision.clone(),
        }),
        threads: threads_used(args.sim.threads),
        rng: summary.run.rng.clone(),
        timings_seconds: Timings {
            load: loaded.seconds,
            simulate: simulate_seconds,
            write: started.elapsed().as_secs_f64(),
        },
        files: names.clone(),
    };
    write_json(&path, &manifest).with_context(|| fail("manifest.json"))?;
    Ok(names)
}
