//! One simulator: a history forecast draws path k from the engine's stream for the input it
//! calibrates in path k and carries the yearly deviations with the engine's AR(1), so a forecast and a Monte Carlo run of a
//! scenario given the same fitted growth produce the same futures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_core::scenario::{EditValue, ScenarioDocument};
use dsg_data::history::{
    ForecastSettings, GrowthFit, History, Uncertainty, fit, forecast, plug_in_value,
};
use dsg_montecarlo::sampler::PathSampler;
use dsg_montecarlo::stream::{DEFAULT_SEED, path_rng};

/// A fit of the given (round) parameters, starting from the stationary distribution as the
/// engine's yearly inputs do.
fn fitted(mean: f64, sd: f64, persistence: f64) -> GrowthFit {
    let text = "series,year,value\ncaseload,2018,100\ncaseload,2019,108\ncaseload,2020,119\ncaseload,2021,127\ncaseload,2022,141\ncaseload,2023,150\n";
    let h = History::from_csv_str(text, "h.csv").unwrap();
    let mut f = fit(&h.series[0], None).unwrap();
    f.mean = mean;
    f.sd = sd;
    f.persistence = persistence;
    f.last_growth = None;
    f.last_level = 2000.0;
    f
}

/// The caseload paths of the minimal scenario (2,000 plans, one provision, no other uncertain
/// input) with `demand.growth` set to the fit's plug-in value, as the engine draws them: sorted
/// per year, for paths `0..paths` of `seed`.
fn engine_levels(f: &GrowthFit, seed: u64, paths: u64) -> Vec<Vec<f64>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml");
    let mut doc = ScenarioDocument::load(path.as_ref()).unwrap();
    doc.set("demand.growth", EditValue::toml(plug_in_value(f)))
        .unwrap();
    let scenario = doc.validate().unwrap();
    let sampler = PathSampler::new(&scenario).unwrap();
    let mut scratch = sampler.scratch();
    let mut inputs = scenario.params().central_inputs();
    let id = scenario.params().find("demand.growth").unwrap();
    let mut levels = vec![Vec::new(); scenario.horizon()];
    for k in 0..paths {
        sampler.fill(&mut path_rng(seed, k), &mut scratch, &mut inputs, 0);
        let mut level = f.last_level;
        for (t, slot) in levels.iter_mut().enumerate() {
            level *= 1.0 + inputs.year(id, t + 1);
            slot.push(level);
        }
    }
    for slot in &mut levels {
        slot.sort_by(f64::total_cmp);
    }
    levels
}

fn largest_relative_gap(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .flat_map(|(x, y)| {
            assert_eq!(x.len(), y.len());
            x.iter().zip(y).map(|(p, q)| (p / q - 1.0).abs())
        })
        .fold(0.0, f64::max)
}

#[test]
fn the_history_forecast_draws_the_engines_paths() {
    // Round values that the scenario text carries exactly: 8% mean log growth, sd 3 points,
    // persistence 0.4 (so the AR(1) is exercised).
    let f = fitted(0.08, 0.03, 0.4);
    assert_eq!(
        plug_in_value(&f),
        "{ dist = \"lognormal\", mu = 0.08, sigma = 0.03, shift = -1, per = \"year\", persistence = 0.4 }"
    );
    let paths = 400;
    let settings = ForecastSettings {
        paths: paths as usize,
        horizon: 5,
        seed: DEFAULT_SEED,
        stream: 0,
        uncertainty: Uncertainty::PlugIn,
    };
    let history = forecast(&f, &settings).levels;
    let engine = engine_levels(&f, DEFAULT_SEED, paths);
    // The same normals through the same AR(1): equal but for the rounding of 1 + (-1 + exp(x))
    // against exp(x).
    let same = largest_relative_gap(&history, &engine);
    assert!(same < 1e-13, "{same}");
    // Another stream, or another seed, draws other futures.
    let other = forecast(
        &f,
        &ForecastSettings {
            stream: 1,
            ..settings
        },
    )
    .levels;
    assert!(largest_relative_gap(&other, &engine) > 1e-3);
    let reseeded = engine_levels(&f, DEFAULT_SEED + 1, paths);
    assert!(largest_relative_gap(&history, &reseeded) > 1e-3);
}

#[test]
fn without_persistence_too() {
    let f = fitted(0.05, 0.02, 0.0);
    let settings = ForecastSettings {
        paths: 300,
        horizon: 5,
        seed: 11,
        stream: 0,
        uncertainty: Uncertainty::PlugIn,
    };
    let gap = largest_relative_gap(&forecast(&f, &settings).levels, &engine_levels(&f, 11, 300));
    assert!(gap < 1e-13, "{gap}");
}
