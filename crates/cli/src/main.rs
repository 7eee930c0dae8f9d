//! The `dsg` command: forecasts a council's Dedicated Schools Grant and high-needs deficit from a
//! scenario file.

mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dsg_core::{Forecast, Scenario, ScenarioError};

/// Exit code for bad input or usage: the scenario or the command line needs fixing.
const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for an internal failure: a bug or a problem writing outputs.
const EXIT_INTERNAL: u8 = 1;

#[derive(Parser)]
#[command(
    name = "dsg",
    version,
    about = "Forecast a council's Dedicated Schools Grant (DSG) and its high-needs deficit",
    after_help = "Exit codes: 0 success; 2 bad input or usage (the message says what to fix); 1 internal error.\n\nExample:\n  dsg run scenarios/minimal.toml"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and print the year-by-year forecast in £m.
    #[command(after_help = "Example:\n  dsg run scenarios/cambridgeshire.toml")]
    Run {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Number of simulated paths (futures drawn from the scenario's uncertain inputs).
        #[arg(long, default_value_t = 10_000)]
        paths: u64,
        /// Random seed; the same scenario, seed and version give the same numbers.
        #[arg(long, default_value_t = dsg_montecarlo::stream::DEFAULT_SEED)]
        seed: u64,
        /// Worker threads (default: all cores). Does not change the results.
        #[arg(long)]
        threads: Option<usize>,
        /// Folder to write the results into (summary.json, ...).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Do not draw charts.
        #[arg(long)]
        no_charts: bool,
        /// Print less.
        #[arg(long)]
        quiet: bool,
    },
    /// Check scenario files and list every problem found.
    #[command(after_help = "Example:\n  dsg validate scenarios/*.toml")]
    Validate {
        /// One or more scenario files.
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            let bad_input = err
                .chain()
                .any(|e| e.downcast_ref::<ScenarioError>().is_some());
            eprintln!("error: {err:#}");
            ExitCode::from(if bad_input {
                EXIT_BAD_INPUT
            } else {
                EXIT_INTERNAL
            })
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run {
            scenario,
            paths,
            seed,
            threads,
            out,
            no_charts: _,
            quiet,
        } => {
            let scenario = Scenario::load(&scenario)?;
            let forecast = Forecast::central(&scenario);
            let started = std::time::Instant::now();
            let settings = dsg_montecarlo::Settings {
                paths,
                seed,
                threads,
                precision: None,
            };
            let summary = dsg_montecarlo::Simulation::new(&scenario)?.run(&settings, &|_| {})?;
            let engine = started.elapsed();
            if !quiet {
                print!("{}", table::deterministic(&scenario, &forecast));
            }
            if let Some(dir) = out {
                std::fs::create_dir_all(&dir)?;
                std::fs::write(
                    dir.join("summary.json"),
                    serde_json::to_vec_pretty(&summary)?,
                )?;
            }
            eprintln!(
                "engine {:.3} s for {} paths",
                engine.as_secs_f64(),
                summary.run.paths
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { scenarios } => {
            let mut failed = false;
            for path in &scenarios {
                match Scenario::load(path) {
                    Ok(_) => println!("{}: OK", path.display()),
                    Err(e) => {
                        failed = true;
                        eprintln!("{e}");
                    }
                }
            }
            Ok(if failed {
                ExitCode::from(EXIT_BAD_INPUT)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
