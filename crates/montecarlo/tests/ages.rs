//! Children by age band (docs/model.md section 14) in the Monte Carlo engine: the county with one
//! open band and no transfer gives the aggregate model's results bit for bit on the same seed
//! (every series, quantile, rank and probability), and with the five management-plan bands its
//! caseload by band adds up to the total caseload.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_core::Scenario;
use dsg_montecarlo::{Settings, Simulation, Summary};

fn county_text() -> String {
    let path = format!(
        "{}/../../scenarios/cambridgeshire.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

fn run(s: &Scenario) -> Summary {
    let settings = Settings {
        paths: 1_000,
        seed: 20_261_207,
        ..Default::default()
    };
    Simulation::new(s).unwrap().run(&settings).unwrap()
}

#[test]
fn one_open_band_is_the_aggregate_model_bit_for_bit_on_the_same_seed() {
    let text = county_text();
    let aggregate = Scenario::from_toml_str(&text, "county.toml").unwrap();
    let aged = Scenario::from_toml_str(
        &format!("{text}\n[ages]\nbands = [\"0+\"]\n"),
        "county-ages.toml",
    )
    .unwrap();
    let (a, b) = (run(&aggregate), run(&aged));
    assert!(!a.series.is_empty());
    // Debug writes every f64 so that it reads back to the same bits (and -0 apart from 0).
    let show = |s: &Summary| {
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            s.series, s.central, s.central_rank, s.probabilities, s.splits
        )
    };
    assert_eq!(show(&a), show(&b));
}

#[test]
fn the_county_by_age_band_adds_up_to_its_caseload() {
    let text = county_text();
    let names = [
        "mainstream_top_up",
        "resourced_provision",
        "maintained_special",
        "academy_special",
        "inmss",
        "post16_fe",
        "other_settings",
    ];
    let mut ages =
        String::from("\n[ages]\nbands = [\"0-4\", \"5-10\", \"11-15\", \"16-19\", \"20-25\"]\n");
    for name in names {
        ages.push_str(&format!(
            "[[ages.provisions]]\nname = \"{name}\"\ncaseload = [5, 40, 35, 15, 5]\n"
        ));
    }
    let s = Scenario::from_toml_str(&format!("{text}{ages}"), "county-bands.toml").unwrap();
    let summary = run(&s);
    let mean = |name: &str| -> Vec<f64> { summary.series[name].iter().map(|y| y.mean).collect() };
    let total = mean("caseload.total");
    let bands: Vec<Vec<f64>> = ["under_5", "5_10", "11_15", "16_19", "20_25"]
        .iter()
        .map(|b| mean(&format!("caseload.age.{b}")))
        .collect();
    for (t, total) in total.iter().enumerate() {
        let sum: f64 = bands.iter().map(|b| b[t]).sum();
        assert!(
            (sum - total).abs() <= 1e-6 * total,
            "year {t}: {sum} against {total}"
        );
    }
}
