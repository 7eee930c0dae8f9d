//! National policy as data, inherited by scenarios: what a named set brings, what a scenario may
//! override, and the problems when the two do not fit.

use dsg_core::{Forecast, Scenario, ScenarioError, Series};

const BASE: &str = r#"
[scenario]
name = "Policy test"
base_year = "2025-26"
horizon_years = 5
POLICY
[[provisions]]
name = "special"
caseload = 2000
unit_cost = 25000
[funding]
allocation = 50000000
GROWTH
[dsg]
opening_balance = -10000000
[general_fund]
usable_reserves = 40000000
EXTRA
"#;

fn scenario(policy: &str, growth: &str, extra: &str) -> Result<Scenario, ScenarioError> {
    let text = BASE
        .replace("POLICY", policy)
        .replace("GROWTH", growth)
        .replace("EXTRA", extra);
    Scenario::from_toml_str(&text, "policy.toml")
}

fn keys(err: ScenarioError) -> Vec<String> {
    err.problems().iter().map(|p| p.key.clone()).collect()
}

fn allocation_growth(s: &Scenario, t: usize) -> f64 {
    let f = Forecast::central(s).mitigated;
    // Every scenario here opens with an allocation of £50m.
    let previous = if t == 1 {
        50_000_000.0
    } else {
        f.get(Series::Allocation, t - 1)
    };
    f.get(Series::Allocation, t) / previous - 1.0
}

const APPROVAL: &str = "[write_off]\nprobability = 0.7";

#[test]
fn a_scenario_naming_no_set_has_the_standing_rules_and_no_events() {
    let s = scenario("", "growth = 0.05", "").unwrap();
    assert_eq!(s.policy(), "none");
    assert!(s.policy_set().is_none());
    assert_eq!(s.override_ends().to_string(), "2027-28");
    assert!(s.write_off().is_none() && s.central_funding().is_none());
    assert!((allocation_growth(&s, 1) - 0.05).abs() < 1e-12);
    // `policy = "none"` says the same in so many words.
    let said = scenario("policy = \"none\"", "growth = 0.05", "").unwrap();
    assert_eq!(said.policy(), "none");
    assert!(said.write_off().is_none());
    // With no growth given, the standing default: 7%.
    let d = scenario("", "", "").unwrap();
    assert!((allocation_growth(&d, 1) - 0.07).abs() < 1e-12);
}

#[test]
fn a_named_set_brings_its_rollover_write_off_and_central_funding() {
    let s = scenario("policy = \"england-2026-02\"", "growth = 0.05", APPROVAL).unwrap();
    assert_eq!(s.policy(), "england-2026-02");
    // 2026-27 rolled over: 0%; the scenario's 5% for the other years.
    assert_eq!(allocation_growth(&s, 1), 0.0);
    assert!((allocation_growth(&s, 2) - 0.05).abs() < 1e-12);
    let w = s.write_off().unwrap();
    assert_eq!((w.measured_at, w.paid_in), (0, 2));
    let c = s.central_funding().unwrap();
    assert_eq!(c.from, 3);
    // The write-off of 90% of the opening £10m deficit, paid in 2027-28 (approval 0.7 >= 0.5).
    let f = Forecast::central(&s).mitigated;
    assert!((f.get(Series::WriteOff, 2) - 9_000_000.0).abs() < 1e-6);
}

#[test]
fn a_year_the_scenario_lists_wins_over_the_set() {
    let s = scenario(
        "policy = \"england-2026-02\"",
        "growth = { \"2026-27\" = 0.03, other_years = 0.05 }",
        APPROVAL,
    )
    .unwrap();
    assert!((allocation_growth(&s, 1) - 0.03).abs() < 1e-12);
}

#[test]
fn policy_overrides_replace_the_sets_values() {
    let s = scenario(
        "policy = \"england-2026-02\"",
        "growth = 0.05",
        &format!("{APPROVAL}\n[policy]\nstatutory_override_ends = \"2029-30\"\nhigh_needs_funding_growth = {{ \"2026-27\" = 0.02 }}"),
    )
    .unwrap();
    assert_eq!(s.override_ends().to_string(), "2029-30");
    assert!((allocation_growth(&s, 1) - 0.02).abs() < 1e-12);
    // The scenario's own key still wins over the set and its overrides.
    let own = scenario(
        "policy = \"england-2026-02\"",
        "growth = 0.05",
        &format!("{APPROVAL}\n[policy]\nstatutory_override_ends = \"2029-30\""),
    )
    .unwrap()
    .with_input("general_fund.statutory_override_ends", 0.0);
    assert!(own.is_err(), "a year is text, not a number");
}

#[test]
fn the_rules_before_february_2026_have_no_write_off() {
    let now = scenario("policy = \"england-2026-02\"", "growth = 0.05", APPROVAL).unwrap();
    let before = now.with_policy(Some("england-2025")).unwrap();
    assert!(before.write_off().is_none() && before.central_funding().is_none());
    assert!((allocation_growth(&before, 1) - 0.05).abs() < 1e-12);
    assert!(
        Forecast::central(&before)
            .mitigated
            .get(Series::Cumulative, 5)
            < Forecast::central(&now).mitigated.get(Series::Cumulative, 5)
    );
}

#[test]
fn mistakes_are_named() {
    let unknown = scenario("policy = \"england-1997\"", "", "").unwrap_err();
    assert_eq!(keys(unknown), ["scenario.policy"]);
    let no_set = scenario("", "", "[policy]\nforum_transfer_limit = 0.01").unwrap_err();
    assert_eq!(keys(no_set), ["policy"]);
    let no_approval = scenario("policy = \"england-2026-02\"", "", "").unwrap_err();
    assert_eq!(keys(no_approval), ["write_off"]);
    let bad = scenario(
        "policy = \"england-2026-02\"",
        "",
        &format!("{APPROVAL}\n[policy]\nforum_transfer_limit = 1.5"),
    )
    .unwrap_err();
    assert_eq!(keys(bad), ["policy"]);
}

#[test]
fn a_safety_valve_under_a_set_that_ended_the_programme_is_warned_about() {
    let schedule = "[safety_valve]\ninstalments = [{ year = \"2026-27\", amount = 1000000, max_in_year_deficit = 0 }]";
    let ended = scenario(
        "policy = \"england-2026-02\"",
        "",
        &format!("{APPROVAL}\n{schedule}"),
    )
    .unwrap();
    let warning = ended
        .warnings()
        .iter()
        .find(|w| w.key == "safety_valve.instalments")
        .expect("a warning");
    assert!(
        warning
            .message
            .contains("ends the safety valve programme (2026-02)")
    );
    assert!(warning.message.contains("from 2026-27"));
    // Before the announcement the programme ran: no warning.
    let before = scenario("policy = \"england-2025\"", "", schedule).unwrap();
    assert!(
        before
            .warnings()
            .iter()
            .all(|w| !w.key.starts_with("safety_valve"))
    );
}
