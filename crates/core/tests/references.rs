//! A misspelt provision name is reported once, with no false follow-on problem (a name not found
//! used to stand for the first provision, so `overflow = "inmms"` on that provision also gave "a
//! provision cannot overflow into itself").
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_core::{Scenario, ScenarioError};

const BASE: &str = r#"
[scenario]
name = "names"
base_year = "2025-26"
horizon_years = 5

[[provisions]]
name = "special"
caseload = 100
unit_cost = 25000
EXTRA

[[provisions]]
name = "inmss"
caseload = 10
unit_cost = 60000

[funding]
allocation = 2500000

[dsg]
opening_balance = -1000000

[general_fund]
usable_reserves = 5000000
TAIL
"#;

fn problems(extra: &str, tail: &str) -> Vec<String> {
    let text = BASE.replace("EXTRA", extra).replace("TAIL", tail);
    match Scenario::from_toml_str(&text, "names.toml") {
        Ok(_) => Vec::new(),
        Err(ScenarioError::Invalid { problems, .. }) => problems
            .iter()
            .map(|p| format!("{}: {}", p.key, p.message))
            .collect(),
        Err(e) => vec![e.to_string()],
    }
}

fn assert_only_unknown_name(found: &[String], key: &str) {
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with(key), "{found:#?}");
    assert!(
        found[0].contains("no provision is called `inmms`"),
        "{found:#?}"
    );
}

#[test]
fn misspelt_overflow_of_the_first_provision_is_reported_once() {
    let found = problems("capacity = 90\noverflow = \"inmms\"", "");
    assert_only_unknown_name(&found, "provisions[0].overflow");
}

#[test]
fn misspelt_mover_destination_is_reported_once() {
    let tail = "[[movers]]\nfrom = \"special\"\nto = \"inmms\"\nrate = 0.01";
    assert_only_unknown_name(&problems("", tail), "movers[0].to");
}

#[test]
fn misspelt_placement_shift_destination_is_reported_once() {
    let tail = "[[mitigations]]\nname = \"shift\"\nkind = \"placement_shift\"\nfrom = \"special\"\nto = \"inmms\"\neffect = 5\nstart = \"2026-27\"";
    assert_only_unknown_name(&problems("", tail), "mitigations[0].to");
}

#[test]
fn misspelt_capacity_added_provision_is_reported_once() {
    let tail = "[[mitigations]]\nname = \"places\"\nkind = \"capacity_added\"\nprovision = \"inmms\"\neffect = 5\nstart = \"2026-27\"";
    assert_only_unknown_name(&problems("", tail), "mitigations[0].provision");
}
