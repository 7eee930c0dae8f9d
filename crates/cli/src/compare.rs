//! `dsg compare`: run several scenarios on the same simulated futures (the same seed and number
//! of paths, so that path k draws from the same random stream in each) and set their headline
//! figures side by side.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use dsg_montecarlo::{Settings, Summary};

use crate::headline::Headline;
use crate::load::load_all;
use crate::output::atomic::{Staging, announce};
use crate::output::manifest::{Manifest, ScenarioEntry, Timings, threads_used};
use crate::output::{csv, relative_names, write_json, xlsx};
use crate::{CompareArgs, progress, table};

/// Runs `dsg compare`.
pub fn compare(args: &CompareArgs) -> anyhow::Result<ExitCode> {
    let loaded = load_all(&args.scenarios, args.sim.policy.as_deref())?;
    let staging = match &args.sim.out {
        Some(dir) => Some(Staging::prepare(dir, &args.scenarios)?),
        None => None,
    };
    let (threads, note) = crate::args::threads_to_use(args.sim.threads, crate::args::cores());
    if let Some(note) = note {
        eprintln!("{note}");
    }
    let settings = Settings {
        paths: args.sim.paths,
        seed: args.sim.seed,
        threads,
        precision: None,
    };
    let files: Vec<String> = loaded
        .iter()
        .map(|l| l.path.display().to_string())
        .collect();
    let names = table::column_names(&files);
    let mut summaries: Vec<Summary> = Vec::new();
    let mut simulate_seconds = 0.0;
    for (l, name) in loaded.iter().zip(&names) {
        let (summary, seconds) =
            progress::simulate(&l.scenario, &settings, name, args.sim.quiet)
                .with_context(|| format!("cannot simulate {}", l.path.display()))?;
        simulate_seconds += seconds;
        summaries.push(summary);
    }
    let heads: Vec<Headline> = summaries
        .iter()
        .map(|s| Headline::of(s).context("the results have no cumulative balance"))
        .collect::<anyhow::Result<_>>()?;

    let mut written = None;
    if let Some(staging) = staging {
        let started = Instant::now();
        let dir = staging.path().to_path_buf();
        let fail = |name: &str| format!("cannot write {name}");
        let mut out: Vec<PathBuf> = Vec::new();
        let path = dir.join("comparison.csv");
        csv::comparison(&heads, &files, &path).with_context(|| fail("comparison.csv"))?;
        out.push(path);
        let path = dir.join("comparison.xlsx");
        xlsx::comparison(&summaries, &heads, &loaded, &path)
            .with_context(|| fail("comparison.xlsx"))?;
        out.push(path);
        let path = dir.join("manifest.json");
        out.push(path.clone());
        let names = relative_names(&dir, &out);
        let manifest = Manifest {
            format: crate::output::manifest::FORMAT,
            command: "compare",
            dsg_version: env!("CARGO_PKG_VERSION"),
            scenario: None,
            scenarios: loaded.iter().map(ScenarioEntry::of).collect(),
            seed: args.sim.seed,
            paths: args.sim.paths,
            max_paths: None,
            precision: None,
            threads: threads_used(args.sim.threads),
            rng: summaries
                .first()
                .map(|s| s.run.rng.clone())
                .unwrap_or_default(),
            timings_seconds: Timings {
                load: loaded.iter().map(|l| l.seconds).sum(),
                simulate: simulate_seconds,
                write: started.elapsed().as_secs_f64(),
            },
            files: names.clone(),
        };
        write_json(&path, &manifest).with_context(|| fail("manifest.json"))?;
        written = Some((names, staging.commit()?));
    }

    let mut report = table::comparison(&heads, &files, args.sim.paths, args.sim.seed);
    if args.sim.quiet {
        report = heads
            .iter()
            .zip(&names)
            .map(|(h, n)| format!("{n}: {}\n", h.sentences().join(" ")))
            .collect();
    }
    crate::print(&report)?;
    if let (Some(dir), Some((files, outcome))) = (&args.sim.out, written) {
        announce(dir, outcome, &files.join(", "), args.sim.quiet);
    }
    Ok(ExitCode::SUCCESS)
}
