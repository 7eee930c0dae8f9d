//! The shape of dsg-core: no two modules depend on each other in a circle, and the validated
//! scenario types form a leaf. Read from the source, so a new `use` that closes a circle fails
//! here with the circle named.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.map(|e| e.path()).unwrap_or_default();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`scenario/validate/demand.rs` -> `scenario`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "lib").then_some(name)
}

/// Every top-level module named as `crate::<module>` in `text`, outside comments.
fn uses(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.chars().next().is_some_and(|c| c.is_lowercase()) {
                found.insert(name);
            }
        }
    }
    found
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(module) = module_of(&src, &file) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let entry = graph.entry(module.clone()).or_default();
        entry.extend(uses(&text).into_iter().filter(|m| *m != module));
    }
    graph
}

/// A circle through `start`, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_string(), vec![start.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in graph.get(&at).into_iter().flatten() {
            if next == start {
                let mut found = path.clone();
                found.push(start.to_string());
                return Some(found);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn no_modules_depend_on_each_other_in_a_circle() {
    let graph = graph();
    assert!(graph.contains_key("scenario") && graph.contains_key("projection"));
    let circles: Vec<String> = graph
        .keys()
        .filter_map(|m| circle(&graph, m))
        .map(|c| c.join(" -> "))
        .collect();
    assert!(circles.is_empty(), "modules in a circle: {circles:#?}");
}

#[test]
fn the_circle_check_finds_a_planted_circle() {
    let mut graph = graph();
    graph
        .entry("series".into())
        .or_default()
        .insert("projection".into());
    assert!(circle(&graph, "series").is_some());
}

#[test]
fn the_validated_scenario_types_are_a_leaf_of_the_scenario() {
    let types = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/scenario/types.rs");
    let text = std::fs::read_to_string(types).unwrap_or_default();
    for forbidden in [
        "super::",
        "crate::scenario",
        "crate::projection",
        "validate",
    ] {
        let hit = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .any(|l| l.contains(forbidden));
        assert!(!hit, "scenario/types.rs refers to `{forbidden}`");
    }
}
