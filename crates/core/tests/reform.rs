//! The June 2026 policy set's mechanisms, checked against values worked by hand: the High Needs
//! Stability Grant on the lowest deficit the council has reported, and the reform at phase
//! transfer (docs/model.md sections 5 and 14).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_core::{Dist, Forecast, Scenario, Series, Slot};

/// 1,000 plans at £10,000 with no growth, a £10m allocation with no growth, a £10m deficit.
const BASE: &str = r#"
[scenario]
name = "Reform test"
base_year = "2025-26"
horizon_years = 6
policy = "POLICY"
[demand]
growth = 0
[[provisions]]
name = "special"
caseload = 1000
unit_cost = 10000
[funding]
allocation = 10000000
growth = 0
[dsg]
opening_balance = -10000000
[general_fund]
usable_reserves = 40000000
[write_off]
probability = 1
WRITE_OFF
EXTRA
"#;

fn scenario(policy: &str, write_off: &str, extra: &str) -> Scenario {
    let text = BASE
        .replace("POLICY", policy)
        .replace("WRITE_OFF", write_off)
        .replace("EXTRA", extra);
    Scenario::from_toml_str(&text, "reform.toml").unwrap()
}

fn reform(probability: f64, delay: f64, ending: f64) -> String {
    format!(
        "[reform]\nprobability = {probability}\ndelay_years = {delay}\ntransfer_share = 0.2\nending_share = {ending}\nprotected_share = 0.5"
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn the_stability_grant_is_paid_in_2026_27_on_the_lowest_reported_deficit() {
    let no_reform = reform(0.0, 0.0, 0.0);
    // Reported £9m and £8m against a £10m opening deficit: 90% of £8m, in 2026-27.
    let s = scenario(
        "england-2026-06",
        "reported = [9000000, 8000000]",
        &no_reform,
    );
    let f = Forecast::central(&s).mitigated;
    assert!(close(f.get(Series::WriteOff, 1), 7_200_000.0));
    assert_eq!(f.get(Series::WriteOff, 2), 0.0);
    // No figure reported: the opening deficit, £10m, is the only one: £9m.
    let s = scenario("england-2026-06", "", &no_reform);
    let f = Forecast::central(&s).mitigated;
    assert!(close(f.get(Series::WriteOff, 1), 9_000_000.0));
    // A reported figure above the projected deficit changes nothing.
    let s = scenario("england-2026-06", "reported = [12000000]", &no_reform);
    assert!(close(
        Forecast::central(&s).mitigated.get(Series::WriteOff, 1),
        9_000_000.0
    ));
    // February 2026's set pays the same grant a year later: not a second grant.
    let s = scenario("england-2026-02", "", "");
    let f = Forecast::central(&s).mitigated;
    assert_eq!(f.get(Series::WriteOff, 1), 0.0);
    assert!(close(f.get(Series::WriteOff, 2), 9_000_000.0));
    let total: f64 = (1..=6).map(|t| f.get(Series::WriteOff, t)).sum();
    assert!(close(total, 9_000_000.0));
}

#[test]
fn the_reform_takes_its_share_from_2029_30_only() {
    // 0.2 reviewed x 0.5 ending x (1 - 0.5 protected) = 5% of plans a year from 2029-30 (t = 4).
    let s = scenario("england-2026-06", "", &reform(1.0, 0.0, 0.5));
    let f = Forecast::central(&s).mitigated;
    let expected = [1000.0, 1000.0, 1000.0, 950.0, 902.5, 857.375];
    for (t, want) in (1..=6).zip(expected) {
        assert!(close(f.get(Series::CaseloadTotal, t), want), "year {t}");
        // Spend follows: £10,000 a plan, no inflation.
        assert!(
            close(f.get(Series::Spend(0), t), want * 10_000.0),
            "year {t}"
        );
    }
    // Half a year's delay: half the first year's share, then the full share.
    let s = scenario("england-2026-06", "", &reform(1.0, 0.5, 0.5));
    let f = Forecast::central(&s).mitigated;
    assert!(close(f.get(Series::CaseloadTotal, 3), 1000.0));
    assert!(close(f.get(Series::CaseloadTotal, 4), 975.0));
    assert!(close(f.get(Series::CaseloadTotal, 5), 926.25));
}

#[test]
fn with_the_reform_off_every_series_is_the_run_without_it() {
    let off = scenario("england-2026-06", "", &reform(0.0, 0.0, 0.5));
    assert!(off.reform().is_none());
    // Present, but ending nothing: the same numbers.
    let none_end = scenario("england-2026-06", "", &reform(1.0, 0.0, 0.0));
    assert!(none_end.reform().is_some());
    let on = scenario("england-2026-06", "", &reform(1.0, 0.0, 0.5));
    let (a, b, c) = (
        Forecast::central(&off).mitigated,
        Forecast::central(&none_end).mitigated,
        Forecast::central(&on).mitigated,
    );
    for series in Series::in_index_order(1) {
        if !off.has_series(series) {
            continue;
        }
        assert_eq!(a.series(series), b.series(series), "{series:?}");
        // Before 2029-30 the reform changes nothing at all.
        for t in 1..=3 {
            assert_eq!(a.get(series, t), c.get(series, t), "{series:?} year {t}");
        }
    }
    assert!(c.get(Series::CaseloadTotal, 4) < a.get(Series::CaseloadTotal, 4));
}

#[test]
fn the_default_set_brings_its_reform_and_the_old_sets_none() {
    let s = scenario("england-2026-06", "", "");
    let r = s.reform().expect("the set's reform falls within six years");
    assert_eq!(r.from, 4); // 2029-30
    let keys: Vec<&str> = s.params().specs().iter().map(|p| p.key.as_str()).collect();
    assert!(keys.contains(&"reform.probability"), "{keys:?}");
    assert!(scenario("england-2026-02", "", "").reform().is_none());
    // A shorter projection ends before the reform: nothing to apply.
    let short = BASE
        .replace("horizon_years = 6", "horizon_years = 3")
        .replace("POLICY", "england-2026-06")
        .replace("WRITE_OFF", "")
        .replace("EXTRA", "");
    assert!(
        Scenario::from_toml_str(&short, "short.toml")
            .unwrap()
            .reform()
            .is_none()
    );
}

#[test]
fn without_its_own_funding_growth_a_scenario_draws_2028_29_on_from_the_spending_review() {
    let growth_slots = |policy: &str, growth: &str| {
        let text = BASE
            .replace("POLICY", policy)
            .replace("growth = 0\n[dsg]", &format!("{growth}\n[dsg]"))
            .replace("WRITE_OFF", "")
            .replace("EXTRA", "");
        let s = Scenario::from_toml_str(&text, "sr.toml").unwrap();
        let spec = s
            .params()
            .specs()
            .iter()
            .find(|p| p.key == "funding.growth")
            .unwrap();
        spec.slots.clone()
    };
    let fixed = |value: f64| Slot::Own(Dist::Fixed { value });
    let review = Slot::Own(Dist::Pert {
        min: 0.0,
        mode: 0.07,
        max: 0.137,
    });
    // 2026-27 rolled over, 2027-28 the default, 2028-29 to 2031-32 the review's range.
    let slots = growth_slots("england-2026-06", "");
    assert_eq!(slots[..2], [fixed(0.0), fixed(0.07)]);
    assert!(slots[2..].iter().all(|s| *s == review), "{slots:?}");
    // A scenario's own growth is kept (the rollover still applies to 2026-27).
    let own = growth_slots("england-2026-06", "growth = 0.05");
    assert_eq!(own[0], fixed(0.0));
    assert!(own[1..].iter().all(|s| *s == fixed(0.05)), "{own:?}");
    // February 2026's set has no review: the default throughout.
    let feb = growth_slots("england-2026-02", "");
    assert!(feb[1..].iter().all(|s| *s == fixed(0.07)), "{feb:?}");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// For any shares and delay: nothing changes before 2029-30; from then each year keeps
        /// exactly `1 - share x started` of the plans the run without the reform has (no growth
        /// here), and never more.
        #[test]
        fn the_reform_only_ever_takes_its_share_from_2029_30(
            transfer in 0.0f64..=1.0,
            ending in 0.0f64..=1.0,
            protected in 0.0f64..=1.0,
            delay in 0.0f64..=3.0,
        ) {
            let text = format!(
                "[reform]\nprobability = 1\ndelay_years = {delay}\ntransfer_share = {transfer}\nending_share = {ending}\nprotected_share = {protected}"
            );
            let on = Forecast::central(&scenario("england-2026-06", "", &text)).mitigated;
            let off = Forecast::central(&scenario("england-2026-06", "", &reform(0.0, 0.0, 0.0))).mitigated;
            let rate = transfer * ending * (1.0 - protected);
            let mut expected = 1000.0;
            for t in 1..=6 {
                let with = on.get(Series::CaseloadTotal, t);
                prop_assert_eq!(off.get(Series::CaseloadTotal, t), 1000.0);
                if t < 4 {
                    prop_assert_eq!(with, 1000.0);
                } else {
                    let started = ((t - 3) as f64 - delay).clamp(0.0, 1.0);
                    expected *= 1.0 - rate * started;
                    prop_assert!((with - expected).abs() <= 1e-9 * 1000.0, "year {t}: {with} against {expected}");
                    prop_assert!(with <= 1000.0);
                }
            }
        }
    }
}
