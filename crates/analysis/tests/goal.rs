//! Goal seek (docs/model.md section 11) against values solved by hand, its refusals, its Monte
//! Carlo reading, thread independence, and monotonicity on common random numbers (property tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_analysis::AnalysisError;
use dsg_analysis::goal::{GoalSeek, Lever, Target, critical_values, goal_seek, outcomes_at};
use dsg_core::{Forecast, Scenario, Series};
use proptest::prelude::*;

fn shipped(name: &str) -> Scenario {
    let path = format!("{}/../../scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
    Scenario::load(path.as_ref()).unwrap()
}

/// A goal seek with everything given, as the tests before `GoalSeek` wrote it.
fn seek(
    lever: Lever,
    target: Target,
    confidence: f64,
    paths: u64,
    seed: u64,
    threads: Option<usize>,
) -> GoalSeek {
    GoalSeek::new(lever, target)
        .confidence(confidence)
        .paths(paths)
        .seed(seed)
        .threads(threads)
}

fn year(s: &str) -> dsg_core::FinancialYear {
    s.parse().unwrap()
}

#[test]
fn a_fixed_scenario_needs_the_saving_solved_by_hand() {
    // minimal.toml: nothing uncertain, no national events. A saving of v a year from 2026-27
    // raises the balance at 31 March 2031 by 5v exactly, so v = (target - B5) / 5.
    let s = shipped("minimal.toml");
    let b5 = Forecast::central(&s).mitigated.get(Series::Cumulative, 5);
    let target = Target::parse("balance.cumulative >= -10m in 2030-31", &s).unwrap();
    let by_hand = (-10e6 - b5) / 5.0;
    assert!(by_hand > 0.0, "the target must need a saving: B5 = {b5}");
    for lever in [
        Lever::Savings {
            from: year("2026-27"),
        },
        Lever::Contribution {
            from: year("2026-27"),
        },
    ] {
        let r = goal_seek(&s, &seek(lever.clone(), target.clone(), 0.8, 300, 1, None)).unwrap();
        // Bisection to a millionth of the lever's range, from above.
        let tolerance = r.max_value * 2f64.powi(-19);
        assert!(
            r.value >= by_hand - 1e-6 && r.value - by_hand <= tolerance,
            "{lever:?}: {} vs {by_hand}",
            r.value
        );
        assert_eq!(r.without, 0.0);
        assert_eq!(r.at_most, 1.0);
        // Every future is the same: the range is the value.
        assert_eq!(r.range, (r.value, r.value));
    }
    // From a later year, fewer years of saving: v = (target - B5) / 3.
    let later = goal_seek(
        &s,
        &seek(
            Lever::Savings {
                from: year("2028-29"),
            },
            target.clone(),
            0.5,
            100,
            1,
            None,
        ),
    )
    .unwrap();
    assert!((later.value - (-10e6 - b5) / 3.0).abs() <= later.max_value * 2f64.powi(-19));
}

#[test]
fn a_growth_reduction_meets_the_target_exactly_at_the_answer() {
    let s = shipped("minimal.toml");
    let target = Target::parse("balance.in_year >= 0 in 2030-31", &s).unwrap();
    let lever = Lever::GrowthReduction {
        from: year("2026-27"),
    };
    let r = goal_seek(&s, &seek(lever.clone(), target.clone(), 0.8, 100, 1, None)).unwrap();
    let at = outcomes_at(&s, &lever, &target, r.value, 1, 1).unwrap()[0];
    let below = outcomes_at(
        &s,
        &lever,
        &target,
        r.value - r.max_value * 2f64.powi(-18),
        1,
        1,
    )
    .unwrap()[0];
    assert!(at >= 0.0 && below < 0.0, "{at} {below}");
}

#[test]
fn an_unreachable_target_is_refused_saying_so() {
    let s = shipped("minimal.toml");
    let target = Target::parse("balance.cumulative >= 1bn in 2026-27", &s).unwrap();
    let err = goal_seek(
        &s,
        &seek(
            Lever::Savings {
                from: year("2026-27"),
            },
            target.clone(),
            0.8,
            100,
            1,
            None,
        ),
    )
    .unwrap_err();
    assert!(
        matches!(err, AnalysisError::Unreachable { best, .. } if best == 0.0),
        "{err}"
    );
    assert!(err.to_string().contains("no value of the lever"), "{err}");
    // A saving is at most the spend it comes off (the central plan's leanest year from the
    // lever's first year): a target needing more is out of reach, not met by negative spending.
    let spend = Forecast::central(&s).mitigated;
    let leanest = (1..=s.horizon())
        .map(|t| spend.get(Series::SpendTotal, t))
        .fold(f64::INFINITY, f64::min);
    let beyond = Target::parse("balance.in_year >= 0 in 2026-27", &s).unwrap();
    let need = -Forecast::central(&s).mitigated.get(Series::InYear, 1);
    let too_far = Target::parse(
        &format!("balance.in_year >= {} in 2026-27", leanest - need + 1e6),
        &s,
    )
    .unwrap();
    let lever = Lever::Savings {
        from: year("2026-27"),
    };
    let err = goal_seek(&s, &seek(lever.clone(), too_far, 0.8, 100, 1, None)).unwrap_err();
    assert!(
        matches!(err, AnalysisError::Unreachable { max, .. } if max == leanest),
        "{err}"
    );
    let fine = goal_seek(&s, &seek(lever, beyond, 0.8, 100, 1, None)).unwrap();
    assert_eq!(fine.max_value, leanest);
    assert!(Target::parse("balance >= in 2026-27", &s).is_err());
    assert!(
        goal_seek(
            &s,
            &seek(
                Lever::Delivery {
                    mitigation: "nope".into()
                },
                target.clone(),
                0.8,
                10,
                1,
                None
            )
        )
        .is_err()
    );
}

#[test]
fn on_the_county_the_answer_meets_the_confidence_and_not_less() {
    let s = shipped("cambridgeshire.toml");
    let target = Target::parse("balance.cumulative >= -150m in 2028-29", &s).unwrap();
    let lever = Lever::Savings {
        from: year("2026-27"),
    };
    let paths = 4_000;
    let r = goal_seek(
        &s,
        &seek(lever.clone(), target.clone(), 0.8, paths, 7, None),
    )
    .unwrap();
    let share = |v: f64| {
        let y = outcomes_at(&s, &lever, &target, v, paths, 7).unwrap();
        y.iter().filter(|&&x| x >= -150e6).count() as f64 / y.len() as f64
    };
    assert!(share(r.value) >= 0.8, "{}", share(r.value));
    assert!(share(r.value * 0.99) < 0.8);
    assert!(r.range.0 <= r.value && r.value <= r.range.1);
    assert!(r.without < 0.8);
}

#[test]
fn critical_values_do_not_depend_on_the_thread_count() {
    let s = shipped("cambridgeshire.toml");
    let target = Target::parse("balance.cumulative >= -150m in 2028-29", &s).unwrap();
    let lever = Lever::Savings {
        from: year("2026-27"),
    };
    let (one, _) = critical_values(&s, &lever, &target, 2_000, 3, Some(1)).unwrap();
    let (two, _) = critical_values(&s, &lever, &target, 2_000, 3, Some(2)).unwrap();
    assert_eq!(one.len(), 2_000);
    let differ = one
        .iter()
        .zip(&two)
        .position(|(a, b)| a.to_bits() != b.to_bits());
    assert_eq!(differ, None, "path {differ:?} differs");
}

#[test]
fn goal_seek_settings_it_cannot_follow_are_refused() {
    let s = shipped("minimal.toml");
    let target = Target::parse("balance.cumulative >= -10m in 2030-31", &s).unwrap();
    let lever = Lever::Savings {
        from: year("2026-27"),
    };
    let asked = GoalSeek::new(lever, target).paths(100);
    for bad in [
        asked.clone().confidence(1.0),
        asked.clone().confidence(0.0),
        asked.clone().paths(0),
        asked.clone().threads(Some(0)),
        asked.clone().settings(dsg_montecarlo::Settings {
            paths: 100,
            precision: Some(dsg_montecarlo::Precision {
                series: dsg_core::SeriesKey::mitigated(dsg_core::Series::Cumulative),
                target_se: 1e6,
            }),
            ..Default::default()
        }),
    ] {
        let err = goal_seek(&s, &bad).unwrap_err();
        assert!(matches!(err, AnalysisError::Setting(_)), "{bad:?}: {err}");
    }
    // The defaults: 80% sure, on the engine's default paths and seed.
    assert_eq!(asked.confidence, 0.8);
    assert_eq!(
        asked.settings.seed,
        dsg_montecarlo::Settings::default().seed
    );
}

#[test]
fn the_standard_question_aims_at_the_year_after_the_override() {
    // cambridgeshire.toml: the override ends in 2027-28, so the year aimed at is 2028-29, the
    // third projected year; the saving starts in the first, 2026-27.
    let s = shipped("cambridgeshire.toml");
    let q = dsg_analysis::standard_question(&s).unwrap();
    assert_eq!(q.target.year, year("2028-29"));
    assert_eq!(
        q.lever,
        Lever::Savings {
            from: year("2026-27")
        }
    );
    assert!(q.target.at_least && q.target.value == 0.0);
    assert_eq!(q.confidence, 0.8);
    // An override ending in the last projected year (2030-31 in minimal.toml): no year after
    // it is projected, so the last year is aimed at.
    let text = std::fs::read_to_string(format!(
        "{}/../../scenarios/minimal.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replace(
        "statutory_override_ends = \"2027-28\"",
        "statutory_override_ends = \"2030-31\"",
    );
    let late = Scenario::from_toml_str(&text, "late.toml").unwrap();
    assert_eq!(late.override_ends(), year("2030-31"));
    let q = dsg_analysis::standard_question(&late).unwrap();
    assert_eq!(q.target.year, year("2030-31"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// On common random numbers every future's balance rises with the saving, the contribution
    /// and the growth reduction.
    #[test]
    fn outcomes_are_monotone_in_the_lever(a in 0.0f64..60e6, b in 0.0f64..60e6, g in 0.0f64..0.05, h in 0.0f64..0.05) {
        let s = shipped("cambridgeshire.toml");
        let target = Target::parse("balance.cumulative >= 0 in 2030-31", &s).unwrap();
        let from = year("2026-27");
        for (lever, lo, hi) in [
            (Lever::Savings { from }, a.min(b), a.max(b)),
            (Lever::Contribution { from }, a.min(b), a.max(b)),
            (Lever::GrowthReduction { from }, g.min(h), g.max(h)),
        ] {
            let low = outcomes_at(&s, &lever, &target, lo, 300, 5).unwrap();
            let high = outcomes_at(&s, &lever, &target, hi, 300, 5).unwrap();
            for (x, y) in low.iter().zip(&high) {
                prop_assert!(y >= x, "{lever:?}: {x} at {lo} but {y} at {hi}");
            }
        }
    }
}
