//! The `dsg` command: forecasts a council's Dedicated Schools Grant and high-needs deficit from a
//! scenario file.
//!
//! `main` only parses the command line, hands over to a command module and turns the outcome into
//! an exit code: 0 success, 2 bad input or usage, 1 internal error.

mod analysis;
mod args;
mod backtest;
mod backtest_panel;
mod baseline;
mod browser;
mod calibrate;
mod compare;
mod comparison;
mod convert;
mod error;
mod goal;
mod history_input;
mod init;
mod load;
mod national;
mod options;
mod output;
mod progress;
mod report;
mod run;
mod table;
mod track_record;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use dsg_report::{headline, labels};

use crate::args::{Target, parse_paths, parse_seed, parse_target, parse_threads};

/// Exit code for bad input or usage: the scenario or the command line needs fixing.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for an internal failure: a bug, or a problem writing the results.
pub const EXIT_INTERNAL: u8 = 1;

/// The exit codes, as every command's help shows them.
macro_rules! exit_codes {
    () => {
        "Exit codes:
  0  success
  2  bad input or usage: the message says which file, setting or line to fix; nothing is written
  1  internal error, or the results could not be written (for example, no permission)
  130  interrupted (Ctrl-C): nothing is written"
    };
}

// After `exit_codes!`, which its help uses.
mod data;

const MAIN_HELP: &str = concat!(
    exit_codes!(),
    "

Examples:
  dsg init --template county my-council.toml     start a scenario from a worked example
  dsg validate my-council.toml                   check it
  dsg run my-council.toml --out results          forecast it and save tables, workbook and charts
  dsg compare plan-a.toml plan-b.toml            set two plans side by side
  dsg run my-council.toml --analyse              what drives the deficit, and the worst futures
  dsg goal my-council.toml --target \"balance.cumulative >= -50m in 2028-29\"
                                                 what it takes to meet a target, 80% sure
  dsg options my-council.toml                    the scenario's options side by side
  dsg report my-council.toml --out report        the committee report (HTML; --pdf for PDF)
  dsg baseline cases.csv --as-at 2026-03-31 --mapping map.csv --out baseline
                                                 caseloads, costs and flows from a case list
  dsg calibrate history.csv --scenario my-council.toml
                                                 growth inputs fitted from the council's history
  dsg backtest history.csv                       how often forecasts like these were right

Run `dsg help run` (or any other command) for its options."
);

const RUN_HELP: &str = concat!(
    "What it prints:
  A few headline sentences (the likely deficit when the statutory override ends, with and without
  a yes/no event such as the write-off's approval, where the central plan stands among the
  simulated futures, the chance the deficit exceeds usable reserves, the chance of receiving
  every safety-valve instalment), then a table year by year in £m whose means add up (funding,
  spend, in-year balance, receipts, cumulative balance), the cumulative balance's median and 90%
  range, the central plan and the share of futures worse than it; when the reserves run out; and
  the scenario's published figures placed on the forecast. Negative balances are deficits.
  With --analyse: what drives the balance (rank correlation, share of variance, swing per input)
  and what the worst tenth of futures have in common.

What --out writes (into the folder, replacing earlier results only once the new ones are
complete):
  summary.json       every statistic, for other programs
  results.csv        one row per series, year and statistic (p5 ... p95, mean, se, central)
  probabilities.csv  the chances a committee asks about, year by year
  results.xlsx       an Excel workbook: Summary, Quantiles, Probabilities, Mitigations, Assumptions
                     (and Sensitivity with --analyse)
  charts/            charts for a committee paper, PNG and SVG (unless --no-charts): the fan
                     chart of the deficit, funding against spend, the chance of each size of
                     deficit, the S-curve (P50, P80), the mitigations, spend by placement and the
                     safety valve (and a tornado per outcome with --analyse)
  report.html        the committee report (unless --no-report; report.pdf too with --pdf), with
                     what it draws on: analysis.json, goal.json and options.json (with [[options]])
  analysis.json, sensitivity.csv   with --analyse: what drives the balance
  manifest.json      what produced the results: scenario file and its SHA-256, seed, paths,
                     version, timings

Examples:
  dsg run scenarios/cambridgeshire.toml
  dsg run my-council.toml --paths 50000 --out results/march-2026
  dsg run my-council.toml --target-se balance.cumulative=500000 --paths 200000

",
    exit_codes!()
);

const REPORT_HELP: &str = concat!(
    "The report is written for councillors, in plain English, in five sections: 1. the likely
overspend (headline figures, the fan chart, funding against spend, where the central plan stands);
2. which areas overspend (variance against the scenario's [[budget]] by line, with its chance,
volume and price; spend by provision; the fastest-growing lines; what drives the uncertainty);
3. the options to meet the budget limit (the saving a year that makes the council 80% sure of no
in-year deficit in the first year after the statutory override ends, the scenario's [[options]]
compared, each mitigation's effect and delivery risk); 4. the impact on children and families
(children waiting, weeks to a plan, plans on time, children placed in independent schools for lack
of a place, under each option); 5. assumptions and reproducibility. A section whose data the
scenario lacks says so in one line.

One self-contained file: charts and styles inline, no scripts, nothing fetched; it prints to A4
with each section on a new page. Every figure in it is tagged with the results file and entry it
comes from (summary.json, options.json, goal.json, analysis.json, written beside it).

What --out writes: report.html, summary.json, analysis.json, options.json (with [[options]]),
goal.json, manifest.json, and report.pdf with --pdf. `dsg run --out` writes the report too.

Examples:
  dsg report scenarios/cambridgeshire.toml --out report
  dsg report my-council.toml --paths 50000 --out committee-march-2027 --pdf

",
    exit_codes!()
);

const COMPARE_HELP: &str = concat!(
    "Every scenario is run with the same seed and number of paths, so the differences you see
come from the scenarios, not from chance.

What --out writes: comparison.csv (one row per scenario and figure), comparison.xlsx (the same
table, each scenario's cumulative balance by year, and the scenario files with their SHA-256) and
manifest.json.

Examples:
  dsg compare plan-a.toml plan-b.toml
  dsg compare scenarios/minimal.toml scenarios/cambridgeshire.toml --paths 20000 --out comparison

",
    exit_codes!()
);

const GOAL_HELP: &str = concat!(
    "Each simulated future is drawn once; the lever is then raised in every future until it meets
the target, so every value is tried on the same futures. The answer is the smallest value that
meets the target in the share of futures asked for, with its Monte Carlo range. A target that no
value of the lever can meet with that confidence is refused as out of reach, saying how often the
most gets there: a saving is at most the high-needs spend of the leanest year it applies to, a
contribution at most twice the largest yearly spend, a growth reduction at most 50 points, a
delivery at most 100%.

What --out writes: goal.json (the answer, the range, the chance without the lever and at its
maximum, the seed and paths).

Examples:
  dsg goal scenarios/cambridgeshire.toml --target \"balance.cumulative >= -150m in 2028-29\"
  dsg goal my-council.toml --target \"balance.in_year >= 0 in 2028-29\" --confidence 0.8 --lever savings --from 2026-27
  dsg goal my-council.toml --target \"balance.cumulative >= -100m in 2030-31\" --lever delivery:early_support_in_mainstream

",
    exit_codes!()
);

const CALIBRATE_HELP: &str = concat!(
    "For each series: points used, the mean and sd of log growth with their standard errors, the
persistence (AR(1), either sign) when there are enough years, series breaks respected (the growth
across a break is not used), a warning with fewer than 6 points, and the five-year range with and
without parameter uncertainty.

What --out writes: calibrated.toml (a commented scenario fragment naming the data and the fit),
fit.json, fit.csv, with --scenario an updated copy scenario-calibrated.toml, and manifest.json.

Examples:
  dsg calibrate data/england-ehcp.csv
  dsg calibrate my-history.csv --scenario my-council.toml --out calibrated

",
    exit_codes!()
);

const BACKTEST_HELP: &str = concat!(
    "From each origin the model is refitted on the data up to it only and scored on the years that
followed (horizons 1 to 5), never across a series break: coverage of the central 50/80/90%
intervals, PIT values and their histogram, CRPS, DfE accuracy (1 - |median - actual| / actual)
and skill (1 - CRPS / benchmark CRPS) against the last observed growth and the mean historical
growth carried forward.

What --out writes: backtest.csv (one row per forecast), backtest.json, backtest.xlsx, charts
backtest-fan.png/.svg and pit.png/.svg, manifest.json.

Examples:
  dsg backtest data/england-ehcp.csv --out backtest
  dsg backtest my-history.csv --scenario my-council.toml --series caseload

",
    exit_codes!()
);

const VALIDATE_HELP: &str =
    "Prints `OK` for each good file, and every problem found in the others (file, line, setting and
what is wrong).

Examples:
  dsg validate my-council.toml
  dsg validate scenarios/*.toml

Exit codes:
  0  every file is a valid scenario
  2  at least one file has a problem (each is listed)";

const NATIONAL_HELP: &str = concat!(
    "Every council in the shipped panel is forecast from the scenario `dsg init --la` writes for it
(or every scenario in DIR), on the same simulated futures: councils share national shocks (a
share of their growth shocks, estimated from the panel, and the inputs decided once for England),
and national totals are the sums of the councils' values on each future (docs/model.md section
15). A council's futures are those of its run alone at the same seed.

What --out writes: national.csv (EHCPs, spend, funding, in-year and cumulative balance by year:
mean, standard error, P5 to P95), councils.csv (a row per council: plans, growth, in-year gap
per plan at P50 and P90, deficit, the chance it exceeds reserves where given, rank) and
national.json (also the base year's count reconciled to DfE's England figure and the published
national figures placed on the distribution).

Examples:
  dsg national --paths 100000 --out national
  dsg national --balances-template balances.csv
  dsg national --balances balances.csv --out national
  dsg national my-scenarios/ --out national

",
    exit_codes!()
);

const INIT_HELP: &str =
    "Every line of the new file is commented: change the figures to your council's, then check the
file with `dsg validate`. An existing file is never overwritten.

With --la, the scenario starts from the council's own published figures, built into dsg
(data/public/panel.csv, docs/public-data.md): its plans at January by the DSG management plan's
placement categories, their growth fitted from its history, its assessment figures and its
high-needs allocation, each commented with its file, table and year. What is not published per
council is marked ESTIMATE or ILLUSTRATIVE (unit costs where its own are not published); its DSG
balance is not published: give it with --opening-balance.

Examples:
  dsg init my-council.toml
  dsg init --template county my-council.toml
  dsg init --la Cambridgeshire --opening-balance -60m --reserves 110m cambs.toml
  dsg init --la E06000061 --as-at 2024 north-northants.toml
  dsg init --la Cambridgeshire --xlsx cambs.xlsx   (an assumptions workbook)

Exit codes:
  0  the file was written
  2  the file exists already, its folder does not exist, or the council is not found (the
     closest names are suggested) or has no published figures for --as-at
  1  the file could not be written";

const CONVERT_HELP: &str =
    "A workbook has an About sheet, then one sheet per section of the scenario (Scenario,
Provisions, Demand, ... Budget), one row per input, with drop-down lists and each key's help as
a note (docs/workbook.md). `dsg run`, `validate`, `goal`, `options` and `report` read a workbook
directly. The scenario read is validated first: nothing is written from one with a problem.
Comments in a TOML file are not kept.

Examples:
  dsg convert my-council.toml my-council.xlsx
  dsg convert my-council.xlsx my-council.toml --force

Exit codes:
  0  the file was written
  2  the scenario has a problem (a workbook's names its sheet and cell: Demand!E4), or OUT
     exists already (without --force) or is neither .xlsx nor .toml
  1  the file could not be written";

#[derive(Parser)]
#[command(
    name = "dsg",
    version,
    about = "Forecast a council's Dedicated Schools Grant (DSG) and its high-needs deficit",
    long_about = "Forecast a council's Dedicated Schools Grant (DSG) and its high-needs (SEND) deficit.\n\n\
                  A scenario file describes the council's placements, costs, funding, agreements and \
                  mitigations, with the uncertain inputs given as ranges. dsg simulates thousands of \
                  possible futures and reports the likely deficit, its range, and the chances a \
                  committee asks about.",
    after_help = MAIN_HELP,
    after_long_help = MAIN_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Forecast one scenario: headline figures and a year-by-year table, optionally saved.
    #[command(after_help = RUN_HELP, after_long_help = RUN_HELP)]
    Run(RunArgs),
    /// Run several scenarios on the same simulated futures and set their headline figures side by
    /// side.
    #[command(after_help = COMPARE_HELP, after_long_help = COMPARE_HELP)]
    Compare(CompareArgs),
    /// Find what it takes to meet a target with a given confidence: the smallest saving,
    /// contribution, growth reduction or mitigation delivery, on the same simulated futures.
    #[command(after_help = GOAL_HELP, after_long_help = GOAL_HELP)]
    Goal(GoalArgs),
    /// Write the committee report: the likely overspend, which areas overspend, the options to
    /// meet the budget limit, the impact on children and families, and the assumptions, as one
    /// self-contained HTML file (and PDF with --pdf).
    #[command(after_help = REPORT_HELP, after_long_help = REPORT_HELP)]
    Report(ReportArgs),
    /// Compare the scenario's [[options]] and doing nothing on the same simulated futures: cost,
    /// deficit at P50 and P80, chances, deficit avoided per pound spent.
    Options(OptionsArgs),
    /// Fit the growth model to each series of a council's history (CSV: series, year, value,
    /// optional break) with its parameter uncertainty, and write the fitted scenario inputs.
    #[command(after_help = CALIBRATE_HELP, after_long_help = CALIBRATE_HELP)]
    Calibrate(calibrate::CalibrateArgs),
    /// How often have forecasts like this been right? Rolling-origin backtests of the fitted
    /// growth model on a council's history: coverage, PIT, CRPS, DfE accuracy, skill.
    #[command(after_help = BACKTEST_HELP, after_long_help = BACKTEST_HELP)]
    Backtest(backtest::BacktestArgs),
    /// Check scenario files and list every problem found.
    #[command(after_help = VALIDATE_HELP, after_long_help = VALIDATE_HELP)]
    Validate {
        /// One or more scenario files.
        #[arg(required = true, value_name = "SCENARIO")]
        scenarios: Vec<PathBuf>,
    },
    /// Build a scenario's opening caseloads, unit costs and flow rates from a plan-level case
    /// list (CSV or XLSX), with a data-quality report for auditors.
    #[command(after_help = BASELINE_HELP, after_long_help = BASELINE_HELP)]
    Baseline(BaselineArgs),
    /// Public statistics on every council: `import` reads DfE's and ESFA's files into a tidy
    /// panel, `show` prints a council's history, `history` writes it for calibrate and backtest.
    Data {
        /// What to do.
        #[command(subcommand)]
        command: data::DataCommand,
    },
    /// Write a synthetic case list with planted errors (no real children's data), to try
    /// `dsg baseline` on.
    SynthCases(SynthArgs),
    /// Forecast every council on the same simulated futures and add them up: the national
    /// picture, with a table of councils.
    #[command(after_help = NATIONAL_HELP, after_long_help = NATIONAL_HELP)]
    National(national::NationalArgs),
    /// Write a commented scenario file (or an assumptions workbook, --xlsx) to start from.
    #[command(after_help = INIT_HELP, after_long_help = INIT_HELP)]
    Init(init::InitArgs),
    /// Turn a scenario from TOML into an assumptions workbook (XLSX) or back, by the files'
    /// extensions (docs/workbook.md).
    #[command(after_help = CONVERT_HELP, after_long_help = CONVERT_HELP)]
    Convert(convert::ConvertArgs),
}

/// Settings shared by `run` and `compare`.
#[derive(Args, Clone)]
pub struct SimArgs {
    /// How many possible futures to simulate. More give steadier figures but take longer; 10,000
    /// is usually enough.
    #[arg(long, value_name = "N", default_value = "10000", value_parser = parse_paths, allow_negative_numbers = true)]
    pub paths: u64,
    /// Random seed. The same scenario, seed, paths and dsg version always give the same figures.
    #[arg(long, value_name = "S", default_value_t = dsg_montecarlo::stream::DEFAULT_SEED, value_parser = parse_seed, allow_negative_numbers = true)]
    pub seed: u64,
    /// Processor cores to use (default: all). Does not change the figures, only the speed.
    #[arg(long, value_name = "N", value_parser = parse_threads, allow_negative_numbers = true)]
    pub threads: Option<usize>,
    /// Folder to save the results in. Created if missing; earlier results there are replaced
    /// only once the new ones are complete.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print only the headline sentences: no progress bar, no table, no notes (warnings are still
    /// shown).
    #[arg(long, short)]
    pub quiet: bool,
    /// Run under another national policy set than the scenario names, e.g. `england-2025` for
    /// the rules before the February 2026 announcement, or `none` for the standing rules alone
    /// (docs/policy.md lists the sets).
    #[arg(long, value_name = "NAME", value_parser = args::parse_policy)]
    pub policy: Option<String>,
}

impl SimArgs {
    /// Before a run that may save results: the staging folder for `--out` (failing early if it
    /// cannot be made, before any work), and the threads to use (a note when reduced to the
    /// cores).
    pub fn prepare(
        &self,
        scenario: &std::path::Path,
    ) -> anyhow::Result<(Option<output::atomic::Staging>, Option<usize>)> {
        let staging = match &self.out {
            Some(dir) => Some(output::atomic::Staging::prepare(
                dir,
                &[scenario.to_path_buf()],
            )?),
            None => None,
        };
        let (threads, note) = args::threads_to_use(self.threads, args::cores());
        if let Some(note) = note {
            eprintln!("{note}");
        }
        Ok((staging, threads))
    }
}

/// `dsg run`.
#[derive(Args)]
pub struct RunArgs {
    /// The scenario file (TOML), for example scenarios/cambridgeshire.toml.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Simulation and output settings.
    #[command(flatten)]
    pub sim: SimArgs,
    /// Do not draw charts into the --out folder (faster).
    #[arg(long)]
    pub no_charts: bool,
    /// Stop as soon as the figures are precise enough: SERIES=SE stops when the standard error of
    /// the mean of SERIES in the last year is at most SE (pounds or plans); --paths is then the
    /// most that will be run. Example: --target-se balance.cumulative=500000
    #[arg(long, visible_alias = "precision", value_name = "SERIES=SE", value_parser = parse_target)]
    pub target_se: Option<Target>,
    /// Also say what drives the cumulative balance, when the override ends and at the end of the
    /// forecast: each uncertain input's rank correlation, share of the variance and swing, and
    /// what the worst tenth of futures have in common (from the first 100,000 paths of the run;
    /// no extra draws). With --out, writes analysis.json, sensitivity.csv, a Sensitivity sheet
    /// and the tornado chart.
    #[arg(long, visible_alias = "analyze")]
    pub analyse: bool,
    /// Do not write the committee report (report.html) into the --out folder.
    #[arg(long)]
    pub no_report: bool,
    /// Also print the committee report to PDF (report.pdf), with a headless Chromium or Chrome
    /// (set DSG_BROWSER to its path if it is not found).
    #[arg(long)]
    pub pdf: bool,
}

/// `dsg report`.
#[derive(Args)]
pub struct ReportArgs {
    /// The scenario file (TOML), for example scenarios/cambridgeshire.toml.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Simulation and output settings (--out is required: the report is a file).
    #[command(flatten)]
    pub sim: SimArgs,
    /// Also print the report to PDF (report.pdf), with a headless Chromium or Chrome (set
    /// DSG_BROWSER to its path if it is not found).
    #[arg(long)]
    pub pdf: bool,
}

/// `dsg goal`.
#[derive(Args)]
pub struct GoalArgs {
    /// The scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// What must be met, e.g. "balance.cumulative >= -50m in 2028-29" or
    /// "balance.in_year >= 0 in 2028-29" (amounts in pounds, with k, m or bn).
    #[arg(long, value_name = "TARGET")]
    pub target: String,
    /// How sure the council wants to be: the share of simulated futures meeting the target.
    #[arg(long, value_name = "P", default_value = "0.8", value_parser = args::parse_confidence, allow_negative_numbers = true)]
    pub confidence: f64,
    /// What to change: savings (pounds a year off high-needs spend), contribution (pounds a year
    /// from the general fund), growth_reduction (points off demand growth) or
    /// delivery:MITIGATION (the share of a mitigation's intended effect delivered).
    #[arg(long, value_name = "LEVER", default_value = "savings")]
    pub lever: String,
    /// The first year of the saving, contribution or growth reduction (default: the first
    /// projected year).
    #[arg(long, value_name = "YEAR")]
    pub from: Option<String>,
    /// Simulation and output settings.
    #[command(flatten)]
    pub sim: SimArgs,
}

/// `dsg options`.
#[derive(Args)]
pub struct OptionsArgs {
    /// The scenario file (TOML), with [[options]].
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Simulation and output settings.
    #[command(flatten)]
    pub sim: SimArgs,
}

/// `dsg compare`.
#[derive(Args)]
pub struct CompareArgs {
    /// Two or more scenario files.
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Simulation and output settings.
    #[command(flatten)]
    pub sim: SimArgs,
}

const BASELINE_HELP: &str = concat!(
    "docs/case-list.md describes the columns, the setting map and every check.

What --out writes (into the folder, replacing earlier results only once the new ones are
complete):
  baseline.toml      [[provisions]] caseload and unit_cost, [demand.joiners] and [[movers]] flow
                     rates, commented with the case list's name, SHA-256, the date and the rows used
  quality.html       the data-quality report for auditors: each check's count, examples and effect
                     on the baseline in children and pounds, and the rows left out
  quality.csv        one row per check; quality-rows.csv: every row found and every value not read
  dfe-tables.csv     plans by placement category by age group (age at 31 August) and by primary
  dfe-tables.xlsx    need, each January census, with a lookup key for the DfE template
  manifest.json      what produced them
Without --out, a summary and the scenario fragment are printed.

Examples:
  dsg baseline data/cases-example.csv --as-at 2026-03-31 --mapping data/setting-map.csv
  dsg baseline cases.xlsx --as-at 2026-03-31 --mapping map.csv --out baseline-2026
  dsg synth-cases --rows 1000000 --seed 1 --errors 10 big.csv --map map.csv --truth planted.csv

",
    exit_codes!()
);

/// `dsg baseline`.
#[derive(Args)]
pub struct BaselineArgs {
    /// The case list: CSV, or a workbook (.xlsx) whose first sheet holds it.
    #[arg(value_name = "CASES")]
    pub cases: PathBuf,
    /// The date to count plans on (YYYY-MM-DD), usually the end of the base year.
    #[arg(long, value_name = "DATE")]
    pub as_at: String,
    /// CSV mapping the council's setting codes to scenario provisions (columns setting,
    /// provision, optionally dfe_category). Without it each code is its own provision.
    #[arg(long, value_name = "MAP.csv")]
    pub mapping: Option<PathBuf>,
    /// Folder for baseline.toml, the quality report and the DfE tables.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Complete financial years pooled for the flow rates.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub years: usize,
    /// Print nothing but warnings and errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `dsg synth-cases`.
#[derive(Args)]
pub struct SynthArgs {
    /// The CSV file to write.
    #[arg(value_name = "OUT.csv")]
    pub output: PathBuf,
    /// About how many rows.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub rows: usize,
    /// Random seed: the same seed and settings give the same list.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Errors to plant of each kind (duplicates, ceased still active, dormant, missing costs,
    /// outliers, unknown settings, ages, overlaps, past end date, bad dates, negative costs).
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub errors: usize,
    /// The extract date the list runs to.
    #[arg(long, value_name = "DATE", default_value = "2026-03-31")]
    pub as_at: String,
    /// Also write the setting map for the list.
    #[arg(long, value_name = "MAP.csv")]
    pub map: Option<PathBuf>,
    /// Also write what was planted where (kind,row).
    #[arg(long, value_name = "TRUTH.csv")]
    pub truth: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    on_interrupt();
    let outcome = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Report(args) => run::report(&args),
        Command::Compare(args) => compare::compare(&args),
        Command::Goal(args) => goal::goal(&args),
        Command::Options(args) => options::options(&args),
        Command::Calibrate(args) => calibrate::calibrate(&args),
        Command::Backtest(args) if args.panel => backtest_panel::run(&args),
        Command::Backtest(args) => backtest::run(&args),
        Command::Validate { scenarios } => validate::validate(&scenarios),
        Command::Init(args) => init::run(&args),
        Command::Convert(args) => convert::convert(&args),
        Command::National(args) => national::run(&args),
        Command::Baseline(args) => baseline::baseline(&args),
        Command::SynthCases(args) => baseline::synth(&args),
        Command::Data { command } => data::data(&command),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {}", error::render(&err));
            ExitCode::from(error::exit_code(&err))
        }
    }
}

/// SIGINT (Ctrl-C) and SIGTERM (`kill`, a batch scheduler stopping the job) are handled alike:
/// the unfinished results folder is removed (a `TempDir` is not dropped when the process exits
/// from a signal), a message says so, and the exit code is 128 + the signal (130, 143), as a
/// shell reports a process ended by it.
fn on_interrupt() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            browser::end_all();
            output::atomic::remove_unfinished();
            let what = if signal == SIGTERM {
                "stopped (SIGTERM)"
            } else {
                "interrupted"
            };
            eprintln!("\n{what}: nothing was written");
            std::process::exit(128 + signal);
        }
    });
}

/// Prints `text` to stdout. A closed pipe (`dsg run ... | head`) is not an error.
pub fn print(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
