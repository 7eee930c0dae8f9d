//! Writes every chart of a scenario into target/plot-preview/<scenario> for a person to look at:
//! `PREVIEW_SCENARIO=cambridgeshire cargo test -p dsg-plot --test preview -- --ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

#[test]
#[ignore]
fn preview() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let name = std::env::var("PREVIEW_SCENARIO").unwrap_or_else(|_| "cambridgeshire".to_string());
    let paths: u64 = std::env::var("PREVIEW_PATHS")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(2000);
    let scenario = dsg_core::Scenario::load(&root.join(format!("scenarios/{name}.toml"))).unwrap();
    let summary = dsg_montecarlo::Simulation::new(&scenario)
        .unwrap()
        .run(&dsg_montecarlo::Settings {
            paths,
            ..Default::default()
        })
        .unwrap();
    let out = root.join("target/plot-preview").join(&name);
    for p in dsg_plot::write_all(&summary, &out).unwrap() {
        eprintln!("{}", p.display());
    }
}
