//! Sensitivity and drivers against cases with a known answer
//! (docs/model.md section 11), and results that do not depend on the thread count.
//!
//! Statistical checks use a fixed seed and bounds of at least 4 standard errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_analysis::{drivers_sentence, sensitivity};
use dsg_core::{Scenario, Series, SeriesKey, Shape};
use dsg_montecarlo::{InputColumn, OutcomeColumn, PathTable, Record, Settings, Simulation};
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

fn shipped(name: &str) -> Scenario {
    let path = format!("{}/../../scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
    Scenario::load(path.as_ref()).unwrap()
}

/// Three standard normal inputs `x1`, `x2`, `unused` and the outcome `f(x1, x2)`.
fn synthetic(n: usize, f: impl Fn(f64, f64) -> f64) -> PathTable {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(42);
    let mut cols: Vec<Vec<f32>> = (0..3).map(|_| Vec::with_capacity(n)).collect();
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let z: Vec<f64> = (0..3).map(|_| StandardNormal.sample(&mut rng)).collect();
        for (c, v) in cols.iter_mut().zip(&z) {
            c.push(*v as f32);
        }
        y.push(f(z[0], z[1]) as f32);
    }
    let year = "2030-31".parse().unwrap();
    PathTable {
        paths: n,
        inputs: ["x1", "x2", "unused"]
            .iter()
            .zip(cols)
            .map(|(k, c)| InputColumn {
                key: k.to_string(),
                shape: Shape::Scalar,
                values: vec![c],
            })
            .collect(),
        outcomes: vec![OutcomeColumn {
            key: dsg_core::SeriesKey::mitigated(dsg_core::Series::Cumulative),
            name: "balance.cumulative".into(),
            year,
            values: y,
        }],
    }
}

fn effect<'a>(s: &'a dsg_analysis::Sensitivity, key: &str) -> &'a dsg_analysis::InputEffect {
    s.inputs.iter().find(|i| i.key == key).unwrap()
}

#[test]
fn a_linear_model_splits_its_variance_as_the_analysis_says() {
    // y = 2 x1 + x2: x1 explains 4/5 of the variance, x2 1/5, `unused` nothing.
    let table = synthetic(50_000, |a, b| 2.0 * a + b);
    let s = &sensitivity(&table, &shipped("minimal.toml")).unwrap()[0];
    let (x1, x2, unused) = (effect(s, "x1"), effect(s, "x2"), effect(s, "unused"));
    // 20 bins lose a little of each input's effect (the variation within a bin).
    assert!((x1.contribution - 0.8).abs() < 0.02, "{}", x1.contribution);
    assert!((x2.contribution - 0.2).abs() < 0.02, "{}", x2.contribution);
    assert!(unused.contribution < 0.002, "{}", unused.contribution);
    // Spearman of a normal pair with correlation rho is (6 / pi) asin(rho / 2).
    let expected = |rho: f64| 6.0 / std::f64::consts::PI * (rho / 2.0).asin();
    assert!((x1.rank_correlation - expected(2.0 / 5f64.sqrt())).abs() < 0.01);
    assert!((x2.rank_correlation - expected(1.0 / 5f64.sqrt())).abs() < 0.01);
    // 4 standard errors of a rank correlation of independent variables at 50,000 paths: 0.018.
    assert!(
        unused.rank_correlation.abs() < 0.018,
        "{}",
        unused.rank_correlation
    );
    // Swing: the outcome's median with x1 in its lowest and highest tenth, about
    // 2 * E[x1 | x1 in the tenth] = -/+ 2 * 1.755.
    assert!((x1.swing_low + 3.51).abs() < 0.1 && (x1.swing_high - 3.51).abs() < 0.1);
    assert_eq!(s.inputs[0].key, "x1", "the widest swing comes first");
}

#[test]
fn with_one_input_its_contribution_is_near_one() {
    // The binned index (docs/model.md section 11: bin means over 20 equal-count bins) of y = x1. A
    // skewed response loses variance inside the wide end bins (exp(x1) keeps 0.77 of it; the
    // county's compounding demand growth 0.84); the rank correlation still shows 1 there.
    let table = synthetic(20_000, |a, _| 3.0 * a - 1.0);
    let s = &sensitivity(&table, &shipped("minimal.toml")).unwrap()[0];
    let x1 = effect(s, "x1");
    assert!(x1.contribution > 0.97, "{}", x1.contribution);
    assert!((x1.rank_correlation - 1.0).abs() < 1e-9);
}

#[test]
fn in_the_model_one_uncertain_input_explains_nearly_everything() {
    // The minimal scenario with only the opening balance uncertain: the balance moves one for
    // one with it.
    let path = format!(
        "{}/../../scenarios/minimal.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap().replace(
        "opening_balance = -10000000",
        "opening_balance = { dist = \"normal\", mean = -10000000, sd = 2000000 }",
    );
    let s = Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    let record = Record {
        outcomes: vec![(
            SeriesKey::mitigated(Series::Cumulative),
            s.year(s.horizon()),
        )],
        max_paths: 10_000,
    };
    let (_, table) = Simulation::new(&s)
        .unwrap()
        .record(&record)
        .unwrap()
        .run_with_paths(&Settings::default())
        .unwrap();
    assert_eq!(table.inputs.len(), 1);
    let result = sensitivity(&table, &s).unwrap();
    let opening = &result[0].inputs[0];
    assert_eq!(opening.label, "Opening balance");
    assert!(opening.contribution > 0.97, "{}", opening.contribution);
    assert!((opening.rank_correlation - 1.0).abs() < 1e-9);
}

#[test]
fn the_drivers_of_the_bad_case_are_the_inputs_that_move_it() {
    // In the lowest tenth of y = x1, the median of x1 is its 5th percentile, -1.645 standard
    // deviations: named; the rest not.
    let table = synthetic(20_000, |a, _| a);
    let s = &sensitivity(&table, &shipped("minimal.toml")).unwrap()[0];
    let drivers = s.drivers();
    assert_eq!(drivers.len(), 1);
    assert_eq!(drivers[0].key, "x1");
    assert!(
        (drivers[0].driver_score + 1.645).abs() < 0.05,
        "{}",
        drivers[0].driver_score
    );
    let sentence = drivers_sentence(s);
    assert!(sentence.starts_with("In the worst tenth of futures (a cumulative "));
    assert!(sentence.contains("): "), "{sentence}");
    assert!(
        sentence.contains("X1 is ") || sentence.contains("x1 is "),
        "{sentence}"
    );
}

#[test]
fn too_few_paths_is_an_error_not_a_guess() {
    let table = synthetic(50, |a, _| a);
    assert!(sensitivity(&table, &shipped("minimal.toml")).is_err());
}

fn county_analysis(threads: usize) -> (PathTable, Vec<dsg_analysis::Sensitivity>) {
    let s = shipped("cambridgeshire.toml");
    let record = Record {
        outcomes: vec![
            (SeriesKey::mitigated(Series::Cumulative), s.override_ends()),
            (
                SeriesKey::mitigated(Series::Cumulative),
                s.year(s.horizon()),
            ),
        ],
        max_paths: 30_000,
    };
    let settings = Settings {
        paths: 40_000,
        threads: Some(threads),
        ..Settings::default()
    };
    let (_, table) = Simulation::new(&s)
        .unwrap()
        .record(&record)
        .unwrap()
        .run_with_paths(&settings)
        .unwrap();
    let result = sensitivity(&table, &s).unwrap();
    (table, result)
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let (t1, s1) = county_analysis(1);
    let (t2, s2) = county_analysis(2);
    assert_eq!(t1.paths, 30_000);
    assert_eq!(t1, t2);
    assert_eq!(s1, s2);
}

#[test]
fn the_county_deficit_is_driven_by_demand_and_the_write_off() {
    let (_, result) = county_analysis(2);
    // When the override ends, the write-off (paid in 2027-28) dominates.
    let at_override = &result[0];
    let write_off = effect(at_override, "write_off.probability");
    assert!(write_off.contribution > 0.3, "{}", write_off.contribution);
    assert!(write_off.rank_correlation > 0.3);
    // Faster demand growth, a lower balance.
    let growth = effect(at_override, "demand.growth");
    assert!(
        growth.rank_correlation < -0.1,
        "{}",
        growth.rank_correlation
    );
    let sentence = drivers_sentence(at_override);
    assert!(sentence.contains("write-off approved in "), "{sentence}");
    assert!(sentence.contains("% of all futures"), "{sentence}");
}
