//! Shared national shocks (docs/model.md section 15): councils' demand-growth scores mix a
//! national factor with their own; national inputs are drawn once for all councils on a path;
//! a run without national shocks draws as before.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_core::Scenario;
use dsg_montecarlo::sampler::{NationalShocks, PathSampler};
use dsg_montecarlo::stream::path_rng;

/// A council whose demand growth is normal(0.10, 0.04) each year and whose cost inflation is
/// normal(0.02, 0.01) each year.
fn council(name: &str) -> Scenario {
    council_with(name, 0.01)
}

/// [`council`] with cost inflation's sd `inflation_sd`.
fn council_with(name: &str, inflation_sd: f64) -> Scenario {
    let text = format!(
        r#"
[scenario]
name = "{name}"
base_year = "2024-25"
horizon_years = 3

[demand]
growth = {{ dist = "normal", mean = 0.10, sd = 0.04, per = "year" }}

[cost]
inflation = {{ dist = "normal", mean = 0.02, sd = {inflation_sd}, per = "year" }}

[[provisions]]
name = "special"
caseload = 1000
unit_cost = 25000

[funding]
allocation = 30000000
growth = 0.05

[dsg]
opening_balance = 0
"#
    );
    Scenario::from_toml_str(&text, format!("{name}.toml")).unwrap()
}

/// Each path's (demand growth, cost inflation) in `year` (1 = the first projected year).
fn draws(scenario: &Scenario, sampler: &PathSampler, paths: u64, year: usize) -> Vec<(f64, f64)> {
    let params = scenario.params();
    let growth = params.find("demand.growth").unwrap();
    let inflation = params.find("cost.inflation").unwrap();
    let mut inputs = params.central_inputs();
    let mut scratch = sampler.scratch();
    (0..paths)
        .map(|k| {
            let mut rng = path_rng(7, k);
            sampler.fill(&mut rng, &mut scratch, &mut inputs, 0);
            (inputs.year(growth, year), inputs.year(inflation, year))
        })
        .collect()
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

fn sampler(s: &Scenario, share: Option<(f64, &str)>) -> PathSampler {
    let plain = PathSampler::new(s).unwrap();
    match share {
        None => plain,
        Some((share, council)) => plain
            .with_national(
                s,
                &NationalShocks {
                    share,
                    council: council.into(),
                },
            )
            .unwrap(),
    }
}

#[test]
fn two_councils_growth_correlates_at_the_national_share_and_share_inflation() {
    let (a, b) = (council("A"), council("B"));
    let n = 20_000;
    let rho = 0.35;
    let da = draws(&a, &sampler(&a, Some((rho, "A"))), n, 1);
    let db = draws(&b, &sampler(&b, Some((rho, "B"))), n, 1);
    let ga: Vec<f64> = da.iter().map(|d| d.0).collect();
    let gb: Vec<f64> = db.iter().map(|d| d.0).collect();
    // The correlation of two councils' scores is sqrt(rho)^2 = rho; its standard error at
    // 20,000 paths is about (1 - rho^2) / sqrt(n) = 0.006.
    let r = correlation(&ga, &gb);
    assert!((r - rho).abs() < 0.03, "correlation {r}");
    // Each council keeps its growth's distribution: mean 0.10, sd 0.04.
    let mean = ga.iter().sum::<f64>() / n as f64;
    let sd = (ga.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
    assert!(
        (mean - 0.10).abs() < 0.001 && (sd - 0.04).abs() < 0.001,
        "{mean} {sd}"
    );
    // Inflation is national: the same draw for both councils on every path.
    assert!(da.iter().zip(&db).all(|(x, y)| x.1 == y.1));
}

#[test]
fn without_a_national_share_councils_own_shocks_are_independent() {
    let (a, b) = (council("A"), council("B"));
    let n = 20_000;
    let ga: Vec<f64> = draws(&a, &sampler(&a, Some((0.0, "A"))), n, 1)
        .iter()
        .map(|d| d.0)
        .collect();
    let gb: Vec<f64> = draws(&b, &sampler(&b, Some((0.0, "B"))), n, 1)
        .iter()
        .map(|d| d.0)
        .collect();
    assert!(correlation(&ga, &gb).abs() < 0.03);
}

#[test]
fn a_run_without_national_shocks_draws_as_before() {
    // With no national shocks the council's name plays no part: the streams are the path's
    // (the golden results hold the values themselves).
    let (a, b) = (council("A"), council("B"));
    let da = draws(&a, &sampler(&a, None), 200, 3);
    let db = draws(&b, &sampler(&b, None), 200, 3);
    assert_eq!(da, db);
    // And a national run's council differs from it in its own growth, not in inflation.
    let dn = draws(&a, &sampler(&a, Some((0.35, "A"))), 200, 3);
    assert!(da.iter().zip(&dn).all(|(x, y)| x.0 != y.0 && x.1 == y.1));
}

#[test]
fn a_share_outside_zero_to_one_is_refused() {
    let a = council("A");
    let err = PathSampler::new(&a)
        .unwrap()
        .with_national(
            &a,
            &NationalShocks {
                share: 1.5,
                council: "A".into(),
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("between 0 and 1"), "{err}");
}

mod runs {
    use super::{council, council_with};
    use dsg_core::Scenario;
    use dsg_montecarlo::national::{Council, Measure, NationalSettings, run};
    use dsg_montecarlo::sampler::NationalShocks;
    use dsg_montecarlo::{Settings, Simulation};

    fn councils(scenarios: &[Scenario]) -> Vec<Council<'_>> {
        scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| Council {
                id: format!("C{i}"),
                scenario: s,
                group: Some(i % 2),
            })
            .collect()
    }

    fn settings(paths: u64) -> NationalSettings {
        NationalSettings {
            paths,
            seed: 11,
            share: 0.35,
            ..NationalSettings::default()
        }
    }

    #[test]
    fn national_means_are_the_sums_of_councils_means_on_the_same_paths() {
        let scenarios = [council("A"), council("B"), council("C")];
        let agg = run(&councils(&scenarios), &settings(3_000)).unwrap();
        assert_eq!(agg.paths, 3_000);
        for (m, _) in Measure::ALL.iter().enumerate() {
            for t in 0..3 {
                let i = m * 3 + t;
                // Integer sums (sixteenths): the national sum is the councils' sums exactly.
                let councils: i128 = agg.councils.iter().map(|c| c.sums[i]).sum();
                assert_eq!(agg.sums[i], councils);
            }
        }
        // Three councils of 1,000 plans growing about 10% a year: about 3,300 plans after a year.
        let plans = agg.national_mean(Measure::Ehcps, 1);
        assert!((plans - 3_300.0).abs() < 10.0, "{plans}");
    }

    #[test]
    fn groups_add_up_to_the_national_totals_on_every_path() {
        let scenarios = [council("A"), council("B"), council("C")];
        // C0 and C2 in group 0, C1 in group 1.
        let agg = run(&councils(&scenarios), &settings(3_000)).unwrap();
        assert_eq!(agg.groups.len(), 2);
        for i in 0..agg.sums.len() {
            let groups: i128 = agg.groups.iter().map(|g| g.sums[i]).sum();
            assert_eq!(groups, agg.sums[i]);
            // Group 1 is council C1 alone.
            assert_eq!(agg.groups[1].sums[i], agg.councils[1].sums[i]);
        }
        let (m, t) = (Measure::Spend, 2);
        let sum = agg.group_mean(0, m, t) + agg.group_mean(1, m, t);
        assert!((sum - agg.national_mean(m, t)).abs() < 1e-6 * sum.abs());
        // Every council in one group: its totals are the national totals path by path, so their
        // sums of squares agree exactly too.
        let one: Vec<Council<'_>> = councils(&scenarios)
            .into_iter()
            .map(|c| Council {
                group: Some(0),
                ..c
            })
            .collect();
        let agg = run(&one, &settings(3_000)).unwrap();
        assert_eq!(agg.groups[0].sums, agg.sums);
        assert_eq!(agg.groups[0].squares, agg.squares);
        // And a council in no group counts in none.
        let none: Vec<Council<'_>> = councils(&scenarios)
            .into_iter()
            .map(|c| Council { group: None, ..c })
            .collect();
        assert!(run(&none, &settings(1_000)).unwrap().groups.is_empty());
    }

    /// Checks council `c` of a run of `scenarios` against its run alone (2,000 paths, seed 11,
    /// share 0.35).
    fn council_equals_its_single_run(scenarios: &[Scenario], c: usize) {
        let agg = run(&councils(scenarios), &settings(2_000)).unwrap();
        let shocks = NationalShocks {
            share: 0.35,
            council: format!("C{c}"),
        };
        let alone = Simulation::new(&scenarios[c])
            .unwrap()
            .with_national(&shocks)
            .unwrap()
            .run(&Settings {
                paths: 2_000,
                seed: 11,
                threads: Some(1),
                precision: None,
            })
            .unwrap();
        for (name, measure) in [
            ("caseload.total", Measure::Ehcps),
            ("balance.cumulative", Measure::Cumulative),
        ] {
            let series = alone.series(name).unwrap();
            for t in 1..=3 {
                let single = series[t - 1].mean;
                let national = agg.council_mean(c, measure, t);
                // Sums of values rounded to sixteenths: within 1/32 per path on average.
                assert!(
                    (single - national).abs() < 0.04,
                    "{name} year {t}: {single} alone, {national} in the national run"
                );
            }
        }
        // Any other draw would move the mean by far more: the same council without national
        // shocks.
        let plain = Simulation::new(&scenarios[c]).unwrap().run(&Settings {
            paths: 2_000,
            seed: 11,
            threads: Some(1),
            precision: None,
        });
        let plain = plain.unwrap().series("balance.cumulative").unwrap()[2].mean;
        assert!((plain - agg.council_mean(c, Measure::Cumulative, 3)).abs() > 1_000.0);
    }

    #[test]
    fn a_councils_paths_are_those_of_its_single_run_at_the_same_seed() {
        // C1 takes its cost inflation from C0's draws on each path (the same definition).
        council_equals_its_single_run(&[council("A"), council("B")], 1);
    }

    #[test]
    fn a_council_defining_a_national_input_differently_draws_its_own() {
        // C1's cost inflation has another sd: drawn from the same stream but not the same
        // values, so it is not taken from C0's; C2's is C0's again.
        let scenarios = [council("A"), council_with("B", 0.03), council("C")];
        council_equals_its_single_run(&scenarios, 1);
        council_equals_its_single_run(&scenarios, 2);
    }

    #[test]
    fn the_same_results_with_one_thread_or_two() {
        let scenarios = [council("A"), council("B")];
        let one = run(
            &councils(&scenarios),
            &NationalSettings {
                threads: Some(1),
                ..settings(5_000)
            },
        )
        .unwrap();
        let two = run(
            &councils(&scenarios),
            &NationalSettings {
                threads: Some(2),
                ..settings(5_000)
            },
        )
        .unwrap();
        assert_eq!(one, two);
    }

    #[test]
    fn two_half_runs_merge_into_the_whole_run() {
        let scenarios = [council("A"), council("B")];
        let whole = run(&councils(&scenarios), &settings(5_000)).unwrap();
        let half = |range| {
            run(
                &councils(&scenarios),
                &NationalSettings {
                    range: Some(range),
                    ..settings(5_000)
                },
            )
            .unwrap()
        };
        // A split that does not fall on a chunk boundary.
        let mut first = half(0..2_345);
        let second = half(2_345..5_000);
        // A part written by one process as JSON and read by another is the same part.
        let text = serde_json::to_string(&second).unwrap();
        let second: dsg_montecarlo::national::NationalAggregate =
            serde_json::from_str(&text).unwrap();
        first.merge(&second).unwrap();
        assert_eq!(first, whole);
        // A part of another run is refused.
        let other = run(&councils(&scenarios[..1]), &settings(5_000)).unwrap();
        assert!(first.merge(&other).is_err());
    }
}
