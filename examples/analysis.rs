//! The library from start to finish, as a Rust program embedding it would use it: load the
//! county scenario, change demand growth (an input correlated with cost inflation), run without
//! a progress callback, read a year and a range, seek the saving that meets a target, rank the
//! inputs driving the deficit and compare the scenario's options. Every error, whichever crate
//! it comes from, goes through `?` into `dsg::Error`. The crate documentation walks through the
//! same steps.
//!
//! `cargo run --example analysis` (4,000 paths: a few seconds).

use dsg::prelude::*;

/// Futures simulated by each step: enough to read medians and P80s to about a million pounds.
const PATHS: u64 = 4_000;

fn main() -> Result<(), dsg::Error> {
    // 1. Load the scenario: validated in one step, every problem reported with its key and line.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/cambridgeshire.toml");
    let county = Scenario::load(path.as_ref())?;

    // 2. Change it in code. Demand growth is correlated with cost inflation (0.3 in the file);
    //    give it a lower mean, keep it drawn each year with persistence 0.5, and strengthen the
    //    correlation. Each change is validated again.
    let slower = NumInput::distribution(
        Dist::Normal {
            mean: 0.10,
            sd: 0.025,
        },
        Some(Per::Year),
        0.5,
    );
    let scenario = county
        .with_input("demand.growth", slower)?
        .with_correlation("demand.growth", "cost.inflation", 0.5)?;

    // 3. Run: no progress callback needed.
    let settings = Settings {
        paths: PATHS,
        ..Settings::default()
    };
    let summary = Simulation::new(&scenario)?.run(&settings)?;
    let horizon = scenario.year(scenario.horizon());
    if let (Some(balance), Some((low, high))) = (
        summary.at(Series::Cumulative, horizon),
        summary.range("balance.cumulative", horizon, Coverage::FourInFive),
    ) {
        // A deficit is a negative balance: the higher balance is the smaller deficit.
        println!(
            "Deficit at the end of {horizon}: median £{}m, four futures in five between £{}m and £{}m",
            millions(-balance.p50),
            millions(-high),
            millions(-low)
        );
    }

    // 4. Goal seek: the smallest yearly saving from the first projected year that keeps the
    //    deficit within £150m in 2028-29 in four futures out of five.
    let target = Target::parse("balance.cumulative >= -150m in 2028-29", &scenario)?;
    let lever = Lever::Savings {
        from: scenario.year(1),
    };
    let seek = GoalSeek::new(lever, target)
        .confidence(0.8)
        .settings(settings.clone());
    let saving = goal_seek(&scenario, &seek)?;
    println!(
        "A saving of £{}m a year from {} meets it in {:.0}% of futures (without it: {:.0}%)",
        millions(saving.value),
        scenario.year(1),
        saving.confidence * 100.0,
        saving.without * 100.0
    );

    // 5. Sensitivity: which inputs drive the balance at the horizon (the paths are recorded by
    //    the call itself).
    let ranked = sensitivity_of(&scenario, &SensitivitySettings::default().paths(PATHS))?;
    if let Some(balance) = ranked.first() {
        for input in balance.inputs.iter().take(3) {
            println!(
                "  {:<40} rank correlation {:+.2}",
                input.label, input.rank_correlation
            );
        }
        println!("{}", dsg::analysis::drivers_sentence(balance));
    }

    // 6. Options: doing nothing and each of the scenario's options on the same futures.
    let options = compare_options(&scenario, &settings)?;
    for option in &options.options {
        let (median, p80) = option.deficit_at_horizon;
        println!(
            "  {}: deficit at the end of {} median £{}m, P80 £{}m",
            option.name,
            options.horizon,
            millions(median),
            millions(p80)
        );
    }
    Ok(())
}

/// Pounds as millions, e.g. `-123.4`.
fn millions(pounds: f64) -> String {
    dsg::core::money::format_millions(pounds)
}
