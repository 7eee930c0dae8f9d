//! Embedding the model in a Rust program: a scenario from a string, two inputs changed in code
//! (each change validated again), 20,000 simulated futures, and the median and 90th-percentile
//! deficit at the horizon. A mistaken change is reported as a typed error, not a panic.
//!
//! `cargo run --release --example embed`

use dsg::{Dist, Scenario, Settings, Simulation};

const SCENARIO: &str = r#"
[scenario]
name = "Embedded example"
authority = "An illustrative council"
base_year = "2025-26"
horizon_years = 5

[demand]
growth = 0.10

[cost]
inflation = 0.03

[[provisions]]
name = "mainstream"
caseload = 1800
unit_cost = 9000

[[provisions]]
name = "special"
caseload = 900
unit_cost = 26000

[[provisions]]
name = "independent"
caseload = 250
unit_cost = 60000

[funding]
allocation = 60000000
growth = 0.07

[dsg]
opening_balance = -20000000

[general_fund]
usable_reserves = 40000000
"#;

fn main() -> Result<(), dsg::Error> {
    let scenario = Scenario::from_toml_str(SCENARIO, "embedded.toml")?
        // A bigger allocation than the file says...
        .with_input("funding.allocation", 64_000_000.0)?
        // ...and demand growth that is uncertain: 10% a year on average, drawn afresh each year.
        .with_input(
            "demand.growth",
            Dist::TruncatedNormal {
                mean: 0.10,
                sd: 0.03,
                min: -0.05,
                max: 0.30,
            },
        )?;

    let summary = Simulation::new(&scenario)?.run(&Settings {
        paths: 20_000,
        ..Settings::default()
    })?;
    let last = scenario.year(scenario.horizon());
    if let Some(balance) = summary.at_horizon("balance.cumulative") {
        // A deficit is a negative balance: the median deficit is minus the median balance, and the
        // 90th-percentile deficit is minus the balance's 10th percentile.
        println!(
            "{} at 31 March {}: median deficit £{}m, 90th percentile £{}m",
            scenario.name(),
            last.end_year(),
            dsg::core::money::format_millions(-balance.p50),
            dsg::core::money::format_millions(-balance.p10)
        );
    }

    // A change that breaks a rule is refused with the key and the reason.
    match scenario.with_input("provisions[1].unit_cost", -26_000.0) {
        Ok(_) => println!("unexpectedly accepted a negative unit cost"),
        Err(e) => println!("refused, as it should be:\n{e}"),
    }
    Ok(())
}
