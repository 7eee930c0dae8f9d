//! The assumptions workbook (issue 29): every scenario survives TOML -> workbook -> scenario, a
//! workbook written by another program reads, and a malformed one is refused naming its cell.

use std::path::{Path, PathBuf};

use dsg_core::raw::RawScenario;
use dsg_data::workbook::{WorkbookError, read_workbook, scenario_toml, write_workbook};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn raw_of(text: &str) -> RawScenario {
    let (raw, unknown) =
        RawScenario::read(toml::Deserializer::parse(text).expect("TOML")).expect("a scenario");
    assert!(unknown.is_empty(), "{unknown:?}");
    raw
}

/// TOML -> raw -> workbook -> raw: the same raw scenario, the same validated scenario (compared
/// through its canonical TOML and its central projection).
fn round_trip(name: &str, text: &str) {
    let raw = raw_of(text);
    let bytes = write_workbook(&raw).unwrap_or_else(|e| panic!("{name}: {e}"));
    let read = read_workbook(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(read.raw, raw, "{name}: the raw scenario changed");
    assert!(read.warnings.is_empty(), "{name}: {:?}", read.warnings);
    let from_toml = dsg_core::Scenario::from_toml_str(text, name).expect("valid");
    let from_book = read
        .validate(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        scenario_toml(from_book.raw()).expect("TOML"),
        scenario_toml(from_toml.raw()).expect("TOML"),
        "{name}"
    );
    // And back to TOML: the text written reads as the same scenario.
    let again = scenario_toml(&read.raw).expect("TOML");
    assert_eq!(
        raw_of(&again),
        raw,
        "{name}: TOML written from the workbook"
    );
}

#[test]
fn every_shipped_scenario_round_trips() {
    let mut n = 0;
    for entry in std::fs::read_dir(root().join("scenarios")).expect("scenarios/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).expect("read");
            round_trip(&path.display().to_string(), &text);
            n += 1;
        }
    }
    assert!(n >= 4, "found {n} scenarios");
}
