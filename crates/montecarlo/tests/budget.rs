//! Budgets against the forecast outturn (docs/model.md section 10): the chance of an overspend
//! counted by the engine equals a path-by-path count from independent scalar projections, the
//! variance is the outturn less the budget, and the volume and price parts add up to it, by hand
//! and over the shipped county's illustrative budget.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_core::{Forecast, Scenario, Series};
use dsg_montecarlo::aggregate::EXACT_LIMIT;
use dsg_montecarlo::sampler::PathSampler;
use dsg_montecarlo::stream::path_rng;
use dsg_montecarlo::{Settings, Simulation, Summary};

fn county() -> Scenario {
    let path = format!(
        "{}/../../scenarios/cambridgeshire.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    Scenario::load(path.as_ref()).unwrap()
}

fn run(s: &Scenario, paths: u64, seed: u64) -> Summary {
    let settings = Settings {
        paths,
        seed,
        ..Default::default()
    };
    Simulation::new(s).unwrap().run(&settings).unwrap()
}

/// The minimal scenario (no uncertain input) with a budget worked by hand: 2,000 plans growing
/// 12% are 2,240 in 2026-27 at £25,000, £56.0m, against 2,200 plans at £24,000, £52.8m.
#[test]
fn a_certain_overspend_splits_into_volume_and_price_by_hand() {
    let path = format!(
        "{}/../../scenarios/minimal.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut text = std::fs::read_to_string(path).unwrap();
    text.push_str(
        "\n[[budget]]\nyear = \"2026-27\"\nsource = \"by hand\"\n[budget.provisions]\nspecial = { caseload = 2200, unit_cost = 24000 }\n",
    );
    let s = Scenario::from_toml_str(&text, "minimal-budget.toml").unwrap();
    let summary = run(&s, 50, 1);
    let b = &summary.budgets[0];
    assert_eq!(b.year.to_string(), "2026-27");
    assert_eq!(b.source, "by hand");
    let line = &b.lines[0];
    assert_eq!(line.series, "spend.special");
    assert_eq!(line.budget, 52_800_000.0);
    assert_eq!(line.outturn.mean, 56_000_000.0);
    assert_eq!(line.variance.p50, 3_200_000.0);
    assert_eq!(line.central_variance, 3_200_000.0);
    assert_eq!(line.overspend_probability, 1.0);
    let plan = line.planned.unwrap();
    // 40 plans more than budgeted at £24,000; £1,000 more on each of 2,240 plans.
    assert_eq!(plan.volume, 960_000.0);
    assert_eq!(plan.price, 2_240_000.0);
    assert_eq!(plan.caseload_mean, 2_240.0);
    // Without a total, the total is the sum of the lines.
    assert_eq!(b.total.budget, 52_800_000.0);
    assert_eq!(b.unallocated, 0.0);
    assert!(b.total.planned.is_none());
}

/// Each line's overspend count equals a count over independent scalar projections of the same
/// paths, in both quantile routes (exact below EXACT_LIMIT paths, histograms above); and spend =
/// caseload x unit cost on every path, which makes the volume/price split of the means exact.
#[test]
fn overspend_chances_equal_a_path_by_path_count() {
    let s = county();
    let budget = &s.budgets()[0];
    let sampler = PathSampler::new(&s).unwrap();
    let mut scratch = sampler.scratch();
    let mut inputs = s.params().central_inputs();
    for (paths, seed) in [(1_000u64, 11u64), (EXACT_LIMIT as u64 + 2_000, 12)] {
        let summary = run(&s, paths, seed);
        let result = &summary.budgets[0];
        let mut counts = vec![0u64; budget.lines.len() + 1];
        for k in 0..paths {
            sampler.fill(&mut path_rng(seed, k), &mut scratch, &mut inputs, 0);
            let f = Forecast::with_inputs(&s, &inputs);
            let at = |series: Series| f.mitigated.series(series)[budget.t - 1];
            for (line, count) in budget.lines.iter().zip(counts.iter_mut()) {
                *count += u64::from(at(line.series) > line.amount);
                if let Some(p) = line.series.provision() {
                    let (spend, n, u) = (
                        at(line.series),
                        at(Series::Caseload(p)),
                        at(Series::UnitCost(p)),
                    );
                    assert!(
                        (spend - n * u).abs() <= 1e-9 * spend,
                        "{spend} vs {n} x {u}"
                    );
                }
            }
            counts[budget.lines.len()] += u64::from(at(Series::SpendTotal) > budget.total);
        }
        let chances: Vec<f64> = result
            .lines
            .iter()
            .chain([&result.total])
            .map(|l| l.overspend_probability)
            .collect();
        let expected: Vec<f64> = counts.iter().map(|&c| c as f64 / paths as f64).collect();
        assert_eq!(chances, expected, "{paths} paths");
        // The county's budget is tight: an overspend is likely but not certain.
        assert!(
            result.total.overspend_probability > 0.5 && result.total.overspend_probability < 1.0
        );
    }
}

/// The variance is the outturn less the budget in every statistic; volume + price is the mean
/// variance; the lines' budgets add up to the total less what is not allocated.
#[test]
fn variance_identities_hold_for_the_county() {
    let s = county();
    let summary = run(&s, 4_000, 5);
    assert_eq!(summary.budgets.len(), s.budgets().len());
    for b in &summary.budgets {
        let lines: f64 = b.lines.iter().map(|l| l.budget).sum();
        assert!((lines + b.unallocated - b.total.budget).abs() < 1e-6);
        for l in b.lines.iter().chain([&b.total]) {
            let stats = summary.series(&l.series).unwrap();
            let outturn = stats.iter().find(|y| y.year == b.year).unwrap();
            assert_eq!(&l.outturn, outturn);
            for (v, o) in l.variance.quantiles().iter().zip(outturn.quantiles()) {
                assert_eq!(*v, o - l.budget);
            }
            assert_eq!(l.variance.mean, outturn.mean - l.budget);
            assert_eq!(l.central_variance, l.central - l.budget);
            if let Some(p) = l.planned {
                assert!((p.volume + p.price - l.variance.mean).abs() <= 1e-6 * l.budget);
                assert!(
                    (p.central_volume + p.central_price - l.central_variance).abs()
                        <= 1e-6 * l.budget
                );
                assert!((p.caseload * p.unit_cost - l.budget).abs() <= 1e-6 * l.budget);
            }
            assert!((0.0..=1.0).contains(&l.overspend_probability));
        }
    }
}

/// A scenario without a budget reports none, and its summary reads back from JSON without the
/// field (summaries written before budgets existed).
#[test]
fn no_budget_no_budgets() {
    let path = format!(
        "{}/../../scenarios/minimal.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let s = Scenario::load(path.as_ref()).unwrap();
    let summary = run(&s, 100, 1);
    assert!(summary.budgets.is_empty());
    let mut json: serde_json::Value = serde_json::to_value(&summary).unwrap();
    json.as_object_mut().unwrap().remove("budgets");
    let back: Summary = serde_json::from_value(json).unwrap();
    assert_eq!(back, summary);
}
