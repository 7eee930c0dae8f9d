//! Renders every chart of a scenario into a folder, as PNG (2400 x 1350) and SVG (1200 x 675).
//!
//! ```text
//! cargo run --release --example charts -- scenarios/cambridgeshire.toml target/charts/
//! cargo run --release --example charts -- scenarios/benchmark.toml out/ --paths 2000 --seed 7
//! cargo run --release --example charts -- scenarios/cambridgeshire.toml docs/ --only fan-chart --png-only
//! ```
//!
//! Options: `--paths N` (default 10,000), `--seed S` (default: the library's), `--only NAME`
//! (repeatable: fan-chart, funding-vs-spend, exceedance, mitigations, spend-by-provision,
//! safety-valve, children), `--png-only`. Charts that do not apply to the scenario (no
//! mitigations, no safety valve, no assessment pipeline) are skipped.

use std::path::PathBuf;

use dsg::core::Scenario;
use dsg::montecarlo::{Settings, Simulation};
use dsg::plot::Chart;

const USAGE: &str = "usage: charts <scenario.toml> <output folder> [--paths N] [--seed S] [--only NAME]... [--png-only]";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut positional = Vec::new();
    let mut settings = Settings::default();
    let mut only = Vec::new();
    let mut png_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or(format!("{flag} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--paths" => settings.paths = value("--paths")?.replace(',', "").parse()?,
            "--seed" => settings.seed = value("--seed")?.parse()?,
            "--only" => {
                let name = value("--only")?;
                let stems: Vec<&str> = Chart::ALL.iter().map(|c| c.file_stem()).collect();
                only.push(Chart::from_file_stem(&name).ok_or(format!(
                    "no chart is called `{name}`; choose from {}",
                    stems.join(", ")
                ))?);
            }
            "--png-only" => png_only = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ if arg.starts_with("--") => {
                return Err(format!("unknown option {arg}\n{USAGE}").into());
            }
            _ => positional.push(arg),
        }
    }
    let [scenario_path, dir] = <[String; 2]>::try_from(positional).map_err(|_| USAGE)?;
    let dir = PathBuf::from(dir);

    let scenario = Scenario::load(scenario_path.as_ref())?;
    let started = std::time::Instant::now();
    let summary = Simulation::new(&scenario)?.run(&settings)?;
    eprintln!(
        "simulated {} paths of {} in {:.1} s",
        summary.run.paths,
        scenario_path,
        started.elapsed().as_secs_f64()
    );

    let requested = if only.is_empty() {
        Chart::ALL.to_vec()
    } else {
        only.clone()
    };
    let written = if only.is_empty() && !png_only {
        dsg::plot::write_all(&summary, &dir)?
    } else {
        std::fs::create_dir_all(&dir)?;
        let charts = if only.is_empty() {
            Chart::ALL.to_vec()
        } else {
            only
        };
        let mut written = Vec::new();
        for chart in charts {
            let png = dir.join(format!("{}.png", chart.file_stem()));
            if chart.write_png(&summary, &png)? {
                written.push(png);
            }
            let svg = dir.join(format!("{}.svg", chart.file_stem()));
            if !png_only && chart.write_svg(&summary, &svg)? {
                written.push(svg);
            }
        }
        written
    };
    for chart in requested {
        if !chart.applies_to(&summary) {
            eprintln!("skipped {chart}: nothing to show for this scenario");
        }
    }
    for path in &written {
        println!("{}", path.display());
    }
    Ok(())
}
