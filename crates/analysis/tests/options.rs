//! Options on common random numbers: doing nothing and each option agree with the engine's own
//! runs of the same futures, costs add up, and results do not depend on the thread count.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_analysis::options::compare_options;
use dsg_core::{Scenario, Series, SeriesKey};
use dsg_montecarlo::{Settings, Simulation};

fn run(paths: u64, seed: u64, threads: Option<usize>) -> Settings {
    Settings {
        paths,
        seed,
        threads,
        precision: None,
    }
}

fn county() -> Scenario {
    let path = format!(
        "{}/../../scenarios/cambridgeshire.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    Scenario::load(path.as_ref()).unwrap()
}

#[test]
fn as_planned_and_no_action_match_the_engine_on_the_same_futures() {
    let s = county();
    let paths = 1_000;
    let r = compare_options(&s, &run(paths, 9, None)).unwrap();
    let summary = Simulation::new(&s)
        .unwrap()
        .run(&Settings {
            paths,
            seed: 9,
            ..Settings::default()
        })
        .unwrap();
    let h = s.horizon() - 1;
    let with = summary
        .stats(SeriesKey::mitigated(Series::Cumulative))
        .unwrap()[h];
    let without = summary
        .stats(SeriesKey::unmitigated(Series::Cumulative))
        .unwrap()[h];
    // The option with every mitigation of the scenario is the engine's mitigated forecast.
    let n = s.mitigations().len();
    let as_planned = r
        .options
        .iter()
        .zip(std::iter::once(&Vec::new()).chain(s.options().iter().map(|o| &o.mitigations)))
        .find(|(_, m)| m.len() == n)
        .map(|(o, _)| o)
        .unwrap();
    let nothing = &r.options[0];
    // The same paths, exact quantiles both (1,000 paths is within the engine's exact route).
    assert_eq!(as_planned.deficit_at_horizon.0, -with.p50);
    assert_eq!(nothing.deficit_at_horizon.0, -without.p50);
    assert!((as_planned.mean_deficit_at_horizon + with.mean).abs() < 1e-3 * with.mean.abs());
    // Costs: the engine's mean mitigation costs over the years.
    let cost: f64 = [Series::SpendMitigations, Series::GeneralFundMitigationCosts]
        .iter()
        .map(|&x| {
            summary
                .stats(SeriesKey::mitigated(x))
                .unwrap()
                .iter()
                .map(|y| y.mean)
                .sum::<f64>()
        })
        .sum();
    assert!(
        (as_planned.cost - cost).abs() < 1.0,
        "{} vs {cost}",
        as_planned.cost
    );
    assert_eq!(nothing.cost, 0.0);
    assert!(nothing.avoided_per_pound.is_none());
}

#[test]
fn a_contribution_adds_its_amount_to_every_future() {
    let s = county();
    let r = compare_options(&s, &run(2_000, 4, None)).unwrap();
    let planned = r.options.iter().find(|o| o.name == "As planned").unwrap();
    let more = r
        .options
        .iter()
        .find(|o| o.name.starts_with("As planned, with £10m"))
        .unwrap();
    // £10m a year from 2027-28 to 2035-36: nine years, £90m more in every future, at least
    // (central funding of later deficits then pays less, so the balance rises by less than the
    // contributions, but never by more).
    assert!((more.cost - planned.cost - 90e6).abs() < 1.0);
    let gain = planned.deficit_at_horizon.0 - more.deficit_at_horizon.0;
    assert!(gain > 0.0 && gain <= 90e6 + 1.0, "{gain}");
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let s = county();
    assert_eq!(
        compare_options(&s, &run(2_000, 2, Some(1))).unwrap(),
        compare_options(&s, &run(2_000, 2, Some(2))).unwrap()
    );
}

#[test]
fn settings_the_comparison_cannot_follow_are_refused() {
    let s = county();
    assert!(compare_options(&s, &run(0, 1, None)).is_err());
    assert!(compare_options(&s, &run(1_000_001, 1, None)).is_err());
    assert!(compare_options(&s, &run(100, 1, Some(0))).is_err());
    let with_precision = Settings {
        precision: Some(dsg_montecarlo::Precision {
            series: dsg_core::SeriesKey::mitigated(dsg_core::Series::Cumulative),
            target_se: 1e6,
        }),
        ..run(100, 1, None)
    };
    let err = compare_options(&s, &with_precision).unwrap_err();
    assert!(err.to_string().contains("precision"), "{err}");
}
