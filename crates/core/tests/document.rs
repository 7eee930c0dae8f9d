//! The text-preserving scenario editor: every byte but the changed value is kept, unknown key
//! paths are typed errors, and the edited text validates as a scenario.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_core::scenario::{EditValue, ScenarioDocument};
use dsg_core::{Dist, Forecast, Scenario, ScenarioError, Series, Slot};

fn scenario_text(name: &str) -> String {
    let path = format!("{}/../../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// The text with the one occurrence of `old` replaced by `new` (the expected edit, by hand).
fn replaced_once(text: &str, old: &str, new: &str) -> String {
    assert_eq!(text.matches(old).count(), 1, "{old}");
    text.replacen(old, new, 1)
}

/// A flow-model scenario with new plans a year (`[demand.joiners]`) and no money.
const FLOWS: &str = r#"# A flow-model council.
[scenario]
name = "flows"
base_year = "2025-26"
horizon_years = 2

[demand]
growth = 0.10   # every provision

[demand.joiners]
# new plans a year in 2025-26
opening = 50

[[provisions]]
name = "pupils"
model = "flows"
caseload = 100
unit_cost = 1
joiner_share = 1.0

[funding]
allocation = 0
growth = 0

[dsg]
opening_balance = 0

[general_fund]
usable_reserves = 0
"#;

#[test]
fn only_the_changed_value_changes() {
    let text = scenario_text("cambridgeshire");
    let mut doc = ScenarioDocument::parse(&text, "cambridgeshire.toml").unwrap();
    assert_eq!(doc.to_string(), text, "parsing alone changes nothing");
    doc.set(
        "demand.growth",
        Dist::Normal {
            mean: 0.1,
            sd: 0.02,
        },
    )
    .unwrap();
    let expected = replaced_once(
        &text,
        "growth = { dist = \"lognormal\", mu = 0.098407, sigma = 0.041519, shift = -1, per = \"year\", persistence = 0.336 }",
        "growth = { dist = \"normal\", mean = 0.1, sd = 0.02 }",
    );
    assert_eq!(doc.to_string(), expected);
    // A value with a comment after it keeps the comment and the spacing before it.
    let minimal = scenario_text("minimal");
    let mut doc = ScenarioDocument::parse(&minimal, "minimal.toml").unwrap();
    doc.set("funding.growth", 0.065).unwrap();
    let expected = replaced_once(
        &minimal,
        "growth = 0.07                  # allocation",
        "growth = 0.065                  # allocation",
    );
    assert_eq!(doc.to_string(), expected);
}

#[test]
fn unknown_key_paths_are_typed_errors_and_change_nothing() {
    let text = scenario_text("minimal");
    let mut doc = ScenarioDocument::parse(&text, "minimal.toml").unwrap();
    for key in [
        "demand.grwoth",
        "fundng.growth",
        "provisions[3].unit_cost",
        "provisions[name = \"nosuch\"].growth",
        "provisions[0].unit_cots",
        "demand",
        "provisions[0]",
        "demand..growth",
    ] {
        match doc.set(key, 0.1) {
            Err(ScenarioError::Edit { key: k, file, .. }) => {
                assert_eq!(k, key);
                assert_eq!(file, std::path::Path::new("minimal.toml"));
            }
            other => panic!("{key}: {other:?}"),
        }
        assert_eq!(doc.to_string(), text, "{key} left a change behind");
    }
    // A value the key cannot take, and text that is not TOML.
    assert!(matches!(
        doc.set("funding.growth", EditValue::toml("\"seven\"")),
        Err(ScenarioError::Edit { .. })
    ));
    assert!(matches!(
        doc.set("funding.growth", EditValue::toml("{ dist = ")),
        Err(ScenarioError::Edit { .. })
    ));
    assert_eq!(doc.to_string(), text);
}

#[test]
fn per_provision_values_by_position_and_by_name() {
    let text = scenario_text("cambridgeshire");
    let mut doc = ScenarioDocument::parse(&text, "cambridgeshire.toml").unwrap();
    // The fifth provision is `inmss`: the same key two ways.
    assert_eq!(
        doc.canonical_key("provisions[name = \"inmss\"].unit_cost")
            .unwrap(),
        "provisions[4].unit_cost"
    );
    doc.set("provisions[4].unit_cost", 70000.0).unwrap();
    let by_position = doc.to_string();
    let mut doc = ScenarioDocument::parse(&text, "cambridgeshire.toml").unwrap();
    doc.set("provisions[name = \"inmss\"].unit_cost", 70000.0)
        .unwrap();
    assert_eq!(doc.to_string(), by_position);
    // Only inmss's line changed: the text before its block is the same, and its unit cost is
    // the one written.
    let start = text.find("name = \"inmss\"").unwrap();
    assert_eq!(by_position[..start], text[..start]);
    let scenario = Scenario::from_toml_str(&by_position, "c.toml").unwrap();
    let id = scenario.params().find("provisions[4].unit_cost").unwrap();
    let spec = &scenario.params().specs()[id.index()];
    assert_eq!(spec.slots[0], Slot::Own(Dist::Fixed { value: 70000.0 }));
}

#[test]
fn nested_joiners_growth_is_added_to_its_table() {
    let mut doc = ScenarioDocument::parse(FLOWS, "flows.toml").unwrap();
    assert!(doc.has_table_for("demand.joiners.growth"));
    doc.set("demand.joiners.growth", 0.05).unwrap();
    let expected = replaced_once(FLOWS, "opening = 50\n", "opening = 50\ngrowth = 0.05\n");
    assert_eq!(doc.to_string(), expected);
    // Round trip: the edited text validates, and the new plans grow 5%, not demand's 10%:
    // J = 50 * 1.05 = 52.5; no leavers, so N = 100 + 52.5 = 152.5, then 152.5 + 55.125 = 207.625.
    let scenario = Scenario::from_toml_str(&doc.to_string(), "flows.toml").unwrap();
    let f = Forecast::central(&scenario);
    let n = |t| f.mitigated.get(Series::Caseload(0), t);
    assert!((n(1) - 152.5).abs() < 1e-9, "{}", n(1));
    assert!((n(2) - 207.625).abs() < 1e-9, "{}", n(2));
    assert_eq!(doc.validate().unwrap().name(), "flows");
}

#[test]
fn missing_tables_are_created() {
    let text = FLOWS.replace(
        "[demand.joiners]\n# new plans a year in 2025-26\nopening = 50\n\n",
        "",
    );
    let mut doc = ScenarioDocument::parse(&text, "flows.toml").unwrap();
    assert!(!doc.has_table_for("demand.joiners.growth"));
    doc.set("demand.joiners.opening", 50.0).unwrap();
    // The new table comes straight after its parent's keys.
    let expected = replaced_once(
        &text,
        "# every provision\n",
        "# every provision\n\n[demand.joiners]\nopening = 50\n",
    );
    assert_eq!(doc.to_string(), expected);
    assert_eq!(doc.validate().unwrap().name(), "flows");
}

#[test]
fn fitted_text_with_a_comment_replaces_the_old_comment() {
    let text = scenario_text("minimal");
    let mut doc = ScenarioDocument::parse(&text, "minimal.toml").unwrap();
    let fitted = "{ dist = \"lognormal\", mu = 0.09, sigma = 0.02, shift = -1, per = \"year\", persistence = 0.3 }";
    doc.set_with_comment(
        "provisions[name = \"special\"].growth",
        EditValue::toml(fitted),
        "fitted from history h.csv\n  two lines",
    )
    .unwrap();
    // `growth` was not in the provision: it comes after its last key, after the comment.
    let expected = replaced_once(
        &text,
        "per year (national average special ~£26k)\n",
        &format!(
            "per year (national average special ~£26k)\n\n# fitted from history h.csv\n#   two lines\ngrowth = {fitted}\n"
        ),
    );
    assert_eq!(doc.to_string(), expected);
    // Setting it again replaces the comment written above it.
    doc.set_with_comment("provisions[0].growth", 0.1, "by hand")
        .unwrap();
    let expected = replaced_once(
        &text,
        "per year (national average special ~£26k)\n",
        "per year (national average special ~£26k)\n\n# by hand\ngrowth = 0.1\n",
    );
    assert_eq!(doc.to_string(), expected);
    let scenario = doc.validate().unwrap();
    assert!(scenario.params().find("provisions[0].growth").is_some());
}

#[test]
fn validation_errors_name_the_line() {
    let text = scenario_text("minimal");
    let mut doc = ScenarioDocument::parse(&text, "minimal.toml").unwrap();
    doc.set("funding.allocation", -5.0).unwrap();
    let err = doc.validate().unwrap_err();
    let problem = &err.problems()[0];
    assert_eq!(problem.key, "funding.allocation");
    // `allocation = ...` is line 21 of minimal.toml.
    let line = text
        .lines()
        .position(|l| l.starts_with("allocation ="))
        .unwrap()
        + 1;
    assert_eq!(line, 21);
    assert_eq!(problem.position.map(|p| p.0), Some(line));
}

#[test]
fn syntax_errors_have_a_position() {
    let err = ScenarioDocument::parse("[demand]\ngrowth = = 1\n", "bad.toml").unwrap_err();
    assert_eq!(err.problems()[0].position.map(|p| p.0), Some(2));
}
