//! Golden results: the deterministic projection of every shipped scenario, held in
//! `tests/golden/<scenario>.json`. A change to any number fails this test; when the change is
//! meant, regenerate the files on purpose and say why in CHANGELOG.md:
//!
//! ```text
//! DSG_UPDATE_GOLDEN=1 cargo test --test golden
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dsg::core::series::CHILDREN_IMPACTS;
use dsg::core::{Forecast, Scenario, Series, SeriesKey, Variant};

/// Every series of the central projection the scenario reports, mitigated and unmitigated, and
/// each mitigation's impact (on the cumulative balance and, with an assessment pipeline, on the
/// children's series), by name.
fn golden_of(s: &Scenario) -> BTreeMap<String, Vec<f64>> {
    let f = Forecast::central(s);
    let mut out = BTreeMap::new();
    let mut put = |key: SeriesKey, values: Vec<f64>| {
        if let Some(name) = key.name(s) {
            out.insert(name, values);
        }
    };
    for series in Series::in_index_order(s.provisions().len()) {
        if !s.has_series(series) {
            continue;
        }
        put(SeriesKey::mitigated(series), f.mitigated.series(series));
        put(SeriesKey::unmitigated(series), f.unmitigated.series(series));
    }
    for i in 0..s.mitigations().len() {
        put(SeriesKey::impact(i), f.impact(i));
        for series in CHILDREN_IMPACTS {
            if s.has_series(series) {
                let key = SeriesKey {
                    series,
                    variant: Variant::Impact(i),
                };
                put(key, f.impact_on(i, series));
            }
        }
    }
    out.insert("opening.balance".into(), vec![f.mitigated.opening_balance]);
    out
}

fn shipped() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn shipped_scenarios_match_their_golden_projections() {
    let update = std::env::var_os("DSG_UPDATE_GOLDEN").is_some();
    let files = shipped();
    assert!(
        files.len() >= 4,
        "expected the shipped scenarios, found {files:?}"
    );
    let mut failures = Vec::new();
    for file in files {
        let s = Scenario::load(&file).unwrap();
        let actual = golden_of(&s);
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let golden =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{stem}.json"));
        if update {
            std::fs::write(
                &golden,
                serde_json::to_string_pretty(&actual).unwrap() + "\n",
            )
            .unwrap();
            continue;
        }
        let text = std::fs::read_to_string(&golden).unwrap_or_else(|_| {
            panic!(
                "no golden file {}: run DSG_UPDATE_GOLDEN=1 cargo test --test golden",
                golden.display()
            )
        });
        let expected: BTreeMap<String, Vec<f64>> = serde_json::from_str(&text).unwrap();
        if expected.keys().ne(actual.keys()) {
            failures.push(format!("{stem}: the series differ"));
            continue;
        }
        for (name, want) in &expected {
            let got = &actual[name];
            // serde_json writes f64 so that it reads back exactly: compare to the bit.
            if got != want {
                let year = got.iter().zip(want).position(|(a, b)| a != b).unwrap_or(0);
                failures.push(format!(
                    "{stem}: {name} year {} is {} (golden {})",
                    year + 1,
                    got[year],
                    want[year]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "golden projections changed:\n{}",
        failures.join("\n")
    );
}
