//! Every input knows itself: owner, field, unit, label and key path set at validation.

use dsg_core::input::{Field, InputId, InputUnit, Owner};
use dsg_core::{ParamSpec, Scenario};

fn shipped(name: &str) -> Scenario {
    let path = format!("{}/../../scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Scenario::from_toml_str(&text, name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn spec<'a>(s: &'a Scenario, key: &str) -> &'a ParamSpec {
    let id = s
        .params()
        .find(key)
        .unwrap_or_else(|| panic!("no input {key}"));
    &s.params().specs()[id.index()]
}

#[test]
fn every_input_of_every_shipped_scenario_has_metadata_matching_its_key() {
    let dir = format!("{}/../../scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    for name in names {
        let s = shipped(&name);
        for (i, spec) in s.params().specs().iter().enumerate() {
            assert_eq!(spec.meta.key(), spec.key, "{name}");
            assert!(!spec.meta.label.is_empty(), "{name}: {}", spec.key);
            // The typed identity finds the same input as the key path.
            assert_eq!(
                s.params().find_input(spec.meta.id).map(|id| id.index()),
                Some(i)
            );
            // An entry of a list names its owner; a section does not.
            assert_eq!(
                spec.meta.owner_name.is_some(),
                spec.meta.id.owner.entry().is_some(),
                "{name}: {}",
                spec.key
            );
        }
    }
}

#[test]
fn chosen_inputs_say_what_they_are() {
    let s = shipped("cambridgeshire.toml");
    let growth = spec(&s, "demand.growth");
    assert_eq!(growth.meta.id, InputId::new(Owner::Demand, Field::Growth));
    assert_eq!(growth.meta.unit, InputUnit::Rate);
    assert_eq!(growth.meta.label, "Demand growth");

    let cost = spec(&s, "provisions[1].unit_cost");
    assert_eq!(cost.meta.id.owner, Owner::Provision(1));
    assert_eq!(cost.meta.id.field, Field::UnitCost);
    assert_eq!(cost.meta.unit, InputUnit::Money);
    assert_eq!(cost.meta.label, "Resourced provision / units: unit cost");
    assert_eq!(
        cost.meta.owner_name.as_deref(),
        Some("Resourced provision / units")
    );

    let delivery = spec(&s, "mitigations[0].delivery");
    assert_eq!(
        delivery.meta.id,
        InputId::new(Owner::Mitigation(0), Field::Delivery)
    );
    assert_eq!(delivery.meta.unit, InputUnit::Share);
    assert_eq!(delivery.meta.label, "Early support in mainstream: delivery");

    let officers = spec(&s, "assessments.case_officers");
    assert_eq!(officers.meta.id.owner, Owner::Assessments);
    assert_eq!(officers.meta.unit, InputUnit::Fte);

    let slip = spec(&s, "mitigations[1].slippage_years");
    assert_eq!(slip.meta.unit, InputUnit::Years);
    assert!(
        slip.meta.label.ends_with(": delay (years)"),
        "{}",
        slip.meta.label
    );

    let approved = spec(&s, "write_off.probability");
    assert_eq!(approved.meta.unit, InputUnit::Probability);
    assert_eq!(approved.meta.label, "Write-off approved");
}

#[test]
fn a_mitigation_effect_takes_the_unit_of_its_kind() {
    let s = shipped("cambridgeshire.toml");
    let units: Vec<InputUnit> = s
        .params()
        .specs()
        .iter()
        .filter(|p| p.meta.id.field == Field::Effect)
        .map(|p| p.meta.unit)
        .collect();
    // growth reduction (a share), capacity added (places), unit-cost saving (a share), staffing
    // (officers), in the order of the file.
    assert_eq!(
        units,
        [
            InputUnit::Share,
            InputUnit::Count,
            InputUnit::Share,
            InputUnit::Fte
        ]
    );
}
