//! What a committee is shown beside the medians (docs/model.md section 7, issue 10): the central
//! projection's rank among the simulated futures, the outcome split by a yes/no event, and no
//! comparison with reserves a scenario does not give.
//!
//! Statistical checks use fixed seeds and 4-standard-error bounds (a false alarm about once in
//! 16,000 seeds for each).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_core::Scenario;
use dsg_montecarlo::aggregate::EXACT_LIMIT;
use dsg_montecarlo::{Settings, Simulation, Summary};

/// A minimal scenario, everything fixed, with `extra` appended and `opening` as the opening
/// balance.
fn scenario(opening: &str, extra: &str) -> Scenario {
    let text = format!(
        r#"
[scenario]
name = "test"
base_year = "2025-26"
horizon_years = 4
policy = "england-2026-02"
[demand]
growth = 0.12
[[provisions]]
name = "special"
caseload = 2000
unit_cost = 25000
[funding]
allocation = 50000000
growth = 0.07
[dsg]
opening_balance = {opening}
[general_fund]
usable_reserves = 15000000
{extra}
"#
    );
    Scenario::from_toml_str(&text, "test.toml").unwrap()
}

fn run(s: &Scenario, paths: u64, seed: u64) -> Summary {
    let settings = Settings {
        paths,
        seed,
        ..Settings::default()
    };
    Simulation::new(s).unwrap().run(&settings).unwrap()
}

#[test]
fn with_nothing_uncertain_the_plan_sits_in_the_middle() {
    let s = scenario("-10000000", "[write_off]\nprobability = 1.0");
    let summary = run(&s, 500, 1);
    assert!(!summary.central_rank.is_empty());
    for (name, ranks) in &summary.central_rank {
        assert!(ranks.iter().all(|&r| r == 0.5), "{name}: {ranks:?}");
    }
}

#[test]
fn the_plan_at_a_triangular_mode_ranks_at_its_cdf() {
    // The opening balance is triangular(-9m, -6m, 0): the central projection takes the mode, whose
    // CDF is 3/9. The rest is fixed, so every year's balance ranks there: exactly in a small run
    // (sorted values), within a bin in a large one (histograms).
    let s = scenario(
        r#"{ dist = "triangular", min = -9000000, mode = -6000000, max = 0 }"#,
        "[write_off]\nprobability = 1.0",
    );
    for paths in [10_000, 40_000] {
        let summary = run(&s, paths, 7);
        let ranks = &summary.central_rank["balance.cumulative"];
        let se = (1.0 / 3.0 * 2.0 / 3.0 / paths as f64).sqrt();
        for &r in ranks {
            assert!(
                (r - 1.0 / 3.0).abs() < 4.0 * se + 1e-3,
                "{paths} paths: {ranks:?}"
            );
        }
    }
}

#[test]
fn exact_and_histogram_ranks_agree_on_the_county() {
    let path = format!(
        "{}/../../scenarios/cambridgeshire.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let s = Scenario::load(path.as_ref()).unwrap();
    // EXACT_LIMIT (1,024) paths are ranked exactly; one more go through the histograms. The first
    // paths are the same, so the ranks differ by the one extra path (1e-3) and the binning alone:
    // a bin's paths are taken as spread evenly across it, so a central value inside a bin of a
    // few paths (a count of children, with many ties) is placed within those few paths. A rank is
    // reported to the whole percentile, so half a percentile is the tolerance.
    let exact = run(&s, EXACT_LIMIT as u64, 3);
    let binned = run(&s, EXACT_LIMIT as u64 + 1, 3);
    for (name, a) in &exact.central_rank {
        let b = &binned.central_rank[name];
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 5e-3, "{name}: {a:?} vs {b:?}");
        }
    }
}

#[test]
fn a_write_off_splits_the_balance_into_its_two_outcomes() {
    // Everything fixed but the approval: each side must be exactly the projection with the
    // write-off certain, or certainly refused.
    let with = run(
        &scenario("-10000000", "[write_off]\nprobability = 1.0"),
        50,
        1,
    );
    let without = run(
        &scenario("-10000000", "[write_off]\nprobability = 0.0"),
        50,
        1,
    );
    let s = scenario("-10000000", "[write_off]\nprobability = 0.3");
    for paths in [10_000, 30_000] {
        let summary = run(&s, paths, 11);
        assert_eq!(summary.splits.len(), 1);
        let split = &summary.splits[0];
        assert_eq!(split.key, "write_off.probability");
        assert_eq!(split.label, "the write-off is approved");
        let se = (0.3 * 0.7 / paths as f64).sqrt();
        assert!((split.share - 0.3).abs() < 4.0 * se, "{}", split.share);
        for (t, y) in split.years.iter().enumerate() {
            let yes = y.happens.unwrap();
            let no = y.not.unwrap();
            let a = with.central["balance.cumulative"][t];
            let b = without.central["balance.cumulative"][t];
            assert!(yes.balance.quantiles().iter().all(|&q| q == a), "{t}");
            assert!(no.balance.quantiles().iter().all(|&q| q == b), "{t}");
            // Reserves of £15m: each side either exceeds them or not, in every future.
            let exceeds = |balance: f64| if -balance > 15e6 { 1.0 } else { 0.0 };
            assert_eq!(yes.deficit_exceeds_reserves, Some(exceeds(a)));
            assert_eq!(no.deficit_exceeds_reserves, Some(exceeds(b)));
        }
        // The write-off is paid in 2027-28: the sides differ from then on.
        assert!(
            split.years[1].happens.unwrap().balance.p50 > split.years[1].not.unwrap().balance.p50
        );
    }
}

#[test]
fn a_certain_event_does_not_split_anything() {
    let summary = run(
        &scenario("-10000000", "[write_off]\nprobability = 1.0"),
        200,
        1,
    );
    assert!(summary.splits.is_empty());
}

#[test]
fn without_reserves_nothing_is_compared_with_them() {
    let s = scenario("-10000000", "[write_off]\nprobability = 0.5")
        .with_input("general_fund.usable_reserves", 0.0)
        .unwrap();
    assert!(s.compares_reserves());
    let text = std::fs::read_to_string(format!(
        "{}/../../scenarios/minimal.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replace("usable_reserves = 40000000", "");
    let s = Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    assert!(!s.compares_reserves());
    let summary = run(&s, 300, 1);
    assert!(summary.probabilities.deficit_exceeds_reserves.is_empty());
    assert!(!summary.series.contains_key("general_fund.headroom"));
    assert!(!summary.series.contains_key("general_fund.usable_reserves"));
    assert!(summary.series.contains_key("balance.cumulative"));
}

#[test]
fn the_year_reserves_run_out_is_counted_once_per_future() {
    // Everything fixed: every future's deficit first exceeds the £15m reserves in the same year,
    // the first year the central projection's does.
    let s = scenario("-10000000", "[write_off]\nprobability = 1.0");
    let summary = run(&s, 300, 1);
    let central = &summary.central["balance.cumulative"];
    let first = central.iter().position(|&b| -b > 15e6);
    assert!(first.is_some(), "{central:?}");
    let shares: Vec<f64> = summary
        .probabilities
        .reserves_first_exceeded
        .iter()
        .map(|y| y.probability)
        .collect();
    assert_eq!(shares.len(), central.len());
    for (t, &p) in shares.iter().enumerate() {
        assert_eq!(
            p,
            if Some(t) == first { 1.0 } else { 0.0 },
            "{shares:?} {central:?}"
        );
    }
    // Uncertain inputs: the shares of first years add up to the chance of ever exceeding, which
    // is at least the chance in any one year.
    let county = Scenario::load(
        format!(
            "{}/../../scenarios/cambridgeshire.toml",
            env!("CARGO_MANIFEST_DIR")
        )
        .as_ref(),
    )
    .unwrap();
    let summary = run(&county, 2_000, 3);
    let p = &summary.probabilities;
    let ever: f64 = p
        .reserves_first_exceeded
        .iter()
        .map(|y| y.probability)
        .sum();
    assert!(ever <= 1.0 + 1e-12);
    for y in &p.deficit_exceeds_reserves {
        assert!(y.probability <= ever + 1e-12);
    }
}
