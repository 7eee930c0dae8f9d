//! Embedding dsg-forecast in another Rust program: build a scenario in code (no file), run 10,000
//! Monte Carlo paths, and print the median and 90th-percentile cumulative deficit.
//!
//! ```text
//! cargo run --release --example library
//! ```

use dsg::core::raw::{
    RawDemand, RawDsg, RawFunding, RawGeneralFund, RawMeta, RawProvision, RawScenario,
};
use dsg::core::{Dist, Per, Scenario};
use dsg::montecarlo::{Settings, Simulation};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let provision = |name: &str, caseload: f64, unit_cost: f64| RawProvision {
        name: name.into(),
        caseload: caseload.into(),
        unit_cost: unit_cost.into(),
        ..Default::default()
    };
    let raw = RawScenario {
        scenario: RawMeta {
            name: "Built in code".into(),
            authority: Some("Example council".into()),
            base_year: "2025-26".into(),
            horizon_years: 8,
            ..Default::default()
        },
        demand: Some(RawDemand {
            // Demand growth around 12% a year, drawn each year, a bad year tending to follow a bad one.
            growth: Some(dsg::core::raw::NumInput::distribution(
                Dist::Normal {
                    mean: 0.12,
                    sd: 0.025,
                },
                Some(Per::Year),
                0.5,
            )),
            ..Default::default()
        }),
        provisions: vec![
            provision("mainstream_top_up", 1_800.0, 8_700.0),
            provision("special", 900.0, 26_000.0),
            provision("inmss", 300.0, 64_000.0),
        ],
        funding: RawFunding {
            allocation: 60_000_000.0.into(),
            // Funding growth around 7%, within the formula's floor and cap.
            growth: Some(dsg::core::raw::NumInput::distribution(
                Dist::TruncatedNormal {
                    mean: 0.07,
                    sd: 0.02,
                    min: 0.03,
                    max: 0.11,
                },
                Some(Per::Year),
                0.0,
            )),
        },
        dsg: RawDsg {
            opening_balance: (-15_000_000.0).into(),
            ..Default::default()
        },
        general_fund: RawGeneralFund {
            usable_reserves: Some(50_000_000.0.into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let scenario = Scenario::from_raw(&raw)?;
    let summary = Simulation::new(&scenario)?.run(&Settings {
        paths: 10_000,
        ..Settings::default()
    })?;

    for stats in summary.series("balance.cumulative").unwrap_or_default() {
        // A deficit is a negative balance: its median is minus the balance's median, and its 90th
        // percentile is minus the balance's 10th percentile.
        println!(
            "{}: median deficit {:>8}, 90th percentile {:>8}",
            stats.year,
            dsg::core::money::format_pounds(-stats.p50),
            dsg::core::money::format_pounds(-stats.p10)
        );
    }
    Ok(())
}
