//! `dsg goal`: what it takes to meet a target with a given confidence.

use std::process::ExitCode;

use dsg_analysis::goal::{GoalResult, Lever, Target};
use dsg_analysis::{AnalysisError, GoalSeek, goal_seek};
use dsg_core::money::format_pounds;
use dsg_core::series::Unit;
use dsg_core::{FinancialYear, Scenario, Series, SeriesKey};

use crate::GoalArgs;
use crate::error::bad_input;
use crate::headline::percent;
use crate::load::load_under;
use crate::output::atomic::announce;

/// The lever named on the command line.
fn lever(args: &GoalArgs, scenario: &Scenario) -> anyhow::Result<Lever> {
    let from = match &args.from {
        Some(y) => y
            .parse::<FinancialYear>()
            .map_err(|e| bad_input(format!("--from: {e}")))?,
        None => scenario.year(1),
    };
    let name = args.lever.as_str();
    Ok(match name {
        "savings" => Lever::Savings { from },
        "contribution" => Lever::Contribution { from },
        "growth_reduction" | "growth-reduction" => Lever::GrowthReduction { from },
        _ => match name.strip_prefix("delivery:") {
            Some(m) => Lever::Delivery {
                mitigation: m.to_string(),
            },
            None => {
                return Err(bad_input(format!(
                    "--lever: `{name}` is not a lever; use savings, contribution, growth_reduction or delivery:MITIGATION"
                )));
            }
        },
    })
}

/// A lever value in its unit: `£32.8m a year`, `11.39 points`, `100%`.
fn amount(lever: &Lever, v: f64) -> String {
    match lever {
        Lever::Savings { .. } | Lever::Contribution { .. } => {
            format!("{} a year", format_pounds(v))
        }
        Lever::GrowthReduction { .. } => format!("{:.2} points", v * 100.0),
        Lever::Delivery { .. } => format!("{:.0}%", v * 100.0),
    }
}

/// The answer in words.
pub fn sentence(r: &GoalResult) -> String {
    const CUMULATIVE: SeriesKey = SeriesKey::mitigated(Series::Cumulative);
    const IN_YEAR: SeriesKey = SeriesKey::mitigated(Series::InYear);
    let t = &r.target;
    let when = if t.series() == CUMULATIVE {
        format!("at 31 March {}", t.year.end_year())
    } else {
        format!("in {}", t.year)
    };
    let what = match t.series() {
        CUMULATIVE => "the cumulative DSG balance".to_string(),
        IN_YEAR => "the in-year DSG balance".to_string(),
        _ => format!("`{}`", t.series_name()),
    };
    let bound = {
        format!(
            "{} {}",
            if t.at_least { "at least" } else { "at most" },
            if t.series().unit() == Unit::Pounds {
                format_pounds(t.value)
            } else {
                format!("{}", t.value)
            }
        )
    };
    let (act, low, high) = match &r.lever {
        Lever::Savings { from } => (
            format!("save {} a year from {from}", format_pounds(r.value)),
            format_pounds(r.range.0),
            format_pounds(r.range.1),
        ),
        Lever::Contribution { from } => (
            format!(
                "contribute {} a year from its general fund from {from}",
                format_pounds(r.value)
            ),
            format_pounds(r.range.0),
            format_pounds(r.range.1),
        ),
        Lever::GrowthReduction { from } => (
            format!(
                "reduce demand growth by {:.2} points a year from {from}",
                r.value * 100.0
            ),
            format!("{:.2}", r.range.0 * 100.0),
            format!("{:.2} points", r.range.1 * 100.0),
        ),
        Lever::Delivery { mitigation } => (
            format!(
                "deliver `{mitigation}` at {:.0}% of its intended effect",
                r.value * 100.0
            ),
            format!("{:.0}%", r.range.0 * 100.0),
            format!("{:.0}%", r.range.1 * 100.0),
        ),
    };
    let lowest = match &r.lever {
        Lever::Delivery { .. } => "with no delivery at all",
        _ => "without it",
    };
    let aim = if t.series() == IN_YEAR && t.at_least && t.value == 0.0 {
        format!("of no in-year DSG deficit {when}")
    } else {
        format!("that {what} is {bound} {when}")
    };
    format!(
        "To be {} sure {aim}, the council must {act} (Monte Carlo range {low} to {high}, from {} simulated futures on the same random numbers; seed {}). {}, the chance is {}.",
        percent(r.confidence),
        dsg_core::money::group_thousands(&r.paths.to_string()),
        r.seed,
        dsg_core::text::capitalise(lowest),
        percent(r.without)
    )
}

/// Runs `dsg goal`.
pub fn goal(args: &GoalArgs) -> anyhow::Result<ExitCode> {
    let loaded = load_under(&args.scenario, args.sim.policy.as_deref())?;
    crate::load::print_warnings(&loaded);
    let s = &loaded.scenario;
    let target = Target::parse(&args.target, s).map_err(|e| bad_input(e.to_string()))?;
    let lever = lever(args, s)?;
    let (staging, threads) = args.sim.prepare(&args.scenario)?;
    let started = std::time::Instant::now();
    let seek = GoalSeek::new(lever.clone(), target)
        .confidence(args.confidence)
        .paths(args.sim.paths)
        .seed(args.sim.seed)
        .threads(threads);
    let result = goal_seek(s, &seek).map_err(|e| match e {
        AnalysisError::Unreachable {
            confidence,
            best,
            max,
            ..
        } => bad_input(format!(
            "the target `{}` is out of reach with {} confidence by this lever: even at {} it is met in {:.1}% of the simulated futures{}",
            args.target,
            percent(confidence),
            amount(&lever, max),
            best * 100.0,
            match &lever {
                Lever::Savings { from } => format!(
                    " (a saving cannot be more than the high-needs spend it comes off: {} in the central plan's leanest year from {from})",
                    format_pounds(max)
                ),
                _ => String::new(),
            }
        )),
        AnalysisError::Setting(_) => bad_input(e.to_string()),
        other => anyhow::Error::new(other),
    })?;
    let seconds = started.elapsed().as_secs_f64();
    if let Some(staging) = staging {
        let path = staging.path().join("goal.json");
        crate::output::write_json(&path, &result)?;
        crate::output::xlsx::goal(
            &result,
            &sentence(&result),
            &staging.path().join("goal.xlsx"),
        )?;
        let outcome = staging.commit()?;
        if let Some(dir) = &args.sim.out {
            announce(dir, outcome, "goal.json and goal.xlsx", args.sim.quiet);
        }
    }
    crate::print(&format!("{}\n", sentence(&result)))?;
    if !args.sim.quiet {
        eprintln!("Goal seek over {} paths in {seconds:.2} s.", result.paths);
    }
    Ok(ExitCode::SUCCESS)
}
