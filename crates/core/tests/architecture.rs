//! The shape of the workspace, read from the source and the manifests:
//! - crate dependencies point one way (cli -> report -> plot -> analysis -> data, montecarlo ->
//!   core; see `LAYERS`), so a new dependency that points back fails here with the edge named;
//! - in every crate, no two modules depend on each other in a circle, at any level of nesting
//!   (the modules under one parent, each taken with everything below it), so a new `use` that
//!   closes a circle fails here with the circle named;
//! - the validated scenario types of dsg-core form a leaf.
//!
//! Each checker has a self-test that plants what it looks for in a synthetic input.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crates of the workspace, lowest first: a crate may depend only on crates of a lower layer.
/// dsg-data sits above dsg-montecarlo so that history forecasting may use the engine's streams.
const LAYERS: &[(&str, u8)] = &[
    ("dsg-core", 0),
    ("dsg-montecarlo", 1),
    ("dsg-data", 2),
    ("dsg-analysis", 3),
    ("dsg-plot", 4),
    ("dsg-report", 5),
    ("dsg-cli", 6),
    ("dsg", 7),
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every package of the workspace: the root facade and each directory under `crates/`.
fn packages() -> Vec<PathBuf> {
    let root = workspace();
    let mut out = vec![root.clone()];
    let dir = root.join("crates");
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.map(|e| e.path()).unwrap_or_default();
        if path.join("Cargo.toml").is_file() {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The package name and the workspace crates (`dsg-*`) a manifest depends on, in any section
/// (normal, build, dev, target-specific), in either form (`dsg-x.workspace = true` or
/// `[dependencies.dsg-x]`).
fn manifest(text: &str) -> (String, BTreeSet<String>) {
    let mut name = String::new();
    let mut deps = BTreeSet::new();
    let mut section = String::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if let Some(header) = line.strip_prefix('[') {
            section = header.trim_end_matches(']').trim().to_string();
            if let Some((table, dep)) = section.rsplit_once('.')
                && table.ends_with("dependencies")
                && dep.starts_with("dsg")
            {
                deps.insert(dep.to_string());
            }
            continue;
        }
        let key: String = line
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if section == "package" && key == "name" {
            name = line.split('"').nth(1).unwrap_or_default().to_string();
        } else if section.ends_with("dependencies")
            && !section.starts_with("workspace")
            && (key == "dsg" || key.starts_with("dsg-"))
        {
            deps.insert(key);
        }
    }
    (name, deps)
}

fn layer(name: &str) -> Option<u8> {
    LAYERS.iter().find(|(n, _)| *n == name).map(|(_, l)| *l)
}

/// The dependencies of the manifest that do not point to a lower layer, as `from -> to`.
fn backward_edges(manifest_text: &str) -> Vec<String> {
    let (name, deps) = manifest(manifest_text);
    let Some(own) = layer(&name) else {
        return vec![format!("{name}: not in LAYERS (place it there)")];
    };
    deps.iter()
        .filter(|d| layer(d).is_none_or(|l| l >= own))
        .map(|d| format!("{name} -> {d}"))
        .collect()
}

#[test]
fn crate_dependencies_point_one_way() {
    let mut names = BTreeSet::new();
    let mut wrong = Vec::new();
    for dir in packages() {
        let text = read(&dir.join("Cargo.toml"));
        names.insert(manifest(&text).0);
        wrong.extend(backward_edges(&text));
    }
    let layered: BTreeSet<String> = LAYERS.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(names, layered, "the workspace's crates and LAYERS differ");
    assert!(wrong.is_empty(), "dependencies pointing back: {wrong:#?}");
}

#[test]
fn the_layer_check_finds_a_dependency_pointing_back() {
    let core = "[package]\nname = \"dsg-core\"\n\n[dependencies]\nserde.workspace = true\n\
                dsg-montecarlo.workspace = true\n";
    assert_eq!(backward_edges(core), ["dsg-core -> dsg-montecarlo"]);
    let plot =
        "[package]\nname = \"dsg-plot\"\n[dev-dependencies.dsg-report]\npath = \"../report\"\n";
    assert_eq!(backward_edges(plot), ["dsg-plot -> dsg-report"]);
    let data =
        "[package]\nname = \"dsg-data\"\n[dependencies]\ndsg-montecarlo = { path = \"x\" }\n";
    assert!(backward_edges(data).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Modules

/// A module's path inside its crate (`[]` for the crate root, `["output", "xlsx"]` for
/// `output/xlsx/mod.rs` or `output/xlsx.rs`).
type ModPath = Vec<String>;

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

fn module_path(rel: &Path) -> ModPath {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| {
            c.as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string()
        })
        .collect();
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        parts.clear();
    } else if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a source file: comments, and the test module at its end, removed.
fn code(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        let next = lines[i + 1..]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty());
        if line.trim() == "#[cfg(test)]" && next.is_some_and(|l| l.contains("mod ")) {
            break;
        }
        out.push_str(line.split("//").next().unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Every module file of the crate whose sources are in `src`, with its code.
fn crate_modules(src: &Path) -> BTreeMap<ModPath, String> {
    let mut files = Vec::new();
    sources(src, &mut files);
    files
        .iter()
        .filter_map(|f| {
            let rel = f.strip_prefix(src).ok()?;
            Some((module_path(rel), code(&read(f))))
        })
        .collect()
}

/// Reads the path tree starting at `at` (after `crate::`, `super::` or `self::`): identifiers
/// joined by `::`, with `{a, b::c, self}` groups; pushes each full path (from `prefix`) to `out`.
fn path_tree(s: &[char], mut at: usize, prefix: &mut ModPath, out: &mut Vec<ModPath>) -> usize {
    let skip_ws = |mut i: usize| {
        while i < s.len() && s[i].is_whitespace() {
            i += 1;
        }
        i
    };
    let depth = prefix.len();
    loop {
        at = skip_ws(at);
        if at < s.len() && s[at] == '{' {
            at += 1;
            loop {
                at = skip_ws(at);
                if at >= s.len() || s[at] == '}' {
                    at += 1;
                    break;
                }
                if s[at] == ',' {
                    at += 1;
                    continue;
                }
                at = path_tree(s, at, prefix, out);
            }
            break;
        }
        let start = at;
        while at < s.len() && (s[at].is_alphanumeric() || s[at] == '_') {
            at += 1;
        }
        let ident: String = s[start..at].iter().collect();
        match ident.as_str() {
            "" => {
                at += usize::from(at < s.len() && s[at] == '*');
                out.push(prefix.clone());
                break;
            }
            "self" => {}
            "super" => {
                prefix.pop();
            }
            _ => prefix.push(ident),
        }
        let next = skip_ws(at);
        if s.get(next) == Some(&':') && s.get(next + 1) == Some(&':') {
            at = next + 2;
        } else {
            out.push(prefix.clone());
            break;
        }
    }
    prefix.truncate(depth);
    at
}

/// Every path `module`'s code names through `crate::`, `super::` or `self::`, made absolute.
fn references(module: &[String], code: &str) -> Vec<ModPath> {
    let s: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let boundary =
            i == 0 || !(s[i - 1].is_alphanumeric() || s[i - 1] == '_' || s[i - 1] == '$');
        let rest = |word: &str| s[i..].iter().take(word.len()).copied().eq(word.chars());
        let start: Option<(usize, ModPath)> = if !boundary {
            None
        } else if rest("crate::") {
            Some((7, Vec::new()))
        } else if rest("super::") {
            Some((7, module[..module.len().saturating_sub(1)].to_vec()))
        } else if rest("self::") {
            Some((6, module.to_vec()))
        } else {
            None
        };
        match start {
            Some((len, mut prefix)) => i = path_tree(&s, i + len, &mut prefix, &mut out),
            None => i += 1,
        }
    }
    out
}

/// The dependencies between sibling modules: `a::b -> a::c` when anything in `a::b` (or below
/// it) names anything in `a::c` (or below it). A module naming its parent, an ancestor or its own
/// children is not an edge: only siblings can close a circle that matters.
fn module_graph(modules: &BTreeMap<ModPath, String>) -> BTreeMap<String, BTreeSet<String>> {
    let known: BTreeSet<&[String]> = modules
        .keys()
        .flat_map(|m| (1..=m.len()).map(move |n| &m[..n]))
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in modules {
        for target in references(module, code) {
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common >= module.len() || common >= target.len() {
                continue;
            }
            let to = &target[..=common];
            if known.contains(to) {
                let from = module[..=common].join("::");
                graph.entry(from).or_default().insert(to.join("::"));
            }
        }
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

fn circles(modules: &BTreeMap<ModPath, String>) -> Vec<String> {
    let graph = module_graph(modules);
    graph
        .keys()
        .filter_map(|m| circle(&graph, m))
        .map(|c| c.join(" -> "))
        .collect()
}

#[test]
fn no_modules_depend_on_each_other_in_a_circle_in_any_crate() {
    let mut found = Vec::new();
    let mut edges = 0;
    for dir in packages() {
        let name = manifest(&read(&dir.join("Cargo.toml"))).0;
        let modules = crate_modules(&dir.join("src"));
        edges += module_graph(&modules)
            .values()
            .map(BTreeSet::len)
            .sum::<usize>();
        found.extend(
            circles(&modules)
                .into_iter()
                .map(|c| format!("{name}: {c}")),
        );
    }
    // The checker sees the real imports (dsg-core alone has dozens of edges between modules).
    assert!(edges > 50, "only {edges} module dependencies found");
    assert!(found.is_empty(), "modules in a circle: {found:#?}");
}

fn synthetic(files: &[(&str, &str)]) -> BTreeMap<ModPath, String> {
    files
        .iter()
        .map(|(path, text)| (module_path(Path::new(path)), code(text)))
        .collect()
}

#[test]
fn the_circle_check_finds_a_planted_circle() {
    // Top level, one side through a `{self, ..}` group.
    let top = synthetic(&[
        ("lib.rs", "mod a;\nmod b;\n"),
        ("a.rs", "use crate::b::f;\n"),
        ("b.rs", "use super::a::{self, g};\n"),
    ]);
    assert_eq!(circles(&top), ["a -> b -> a", "b -> a -> b"]);
    // Between siblings below the top, one side an inline path, the other `super::`.
    let nested = synthetic(&[
        ("lib.rs", "mod n;\n"),
        ("n/mod.rs", "mod x;\nmod y;\npub use x::T;\n"),
        ("n/x.rs", "use super::y::U;\npub struct T;\n"),
        ("n/y/mod.rs", "pub fn f() { crate::n::x::g() }\n"),
    ]);
    assert_eq!(
        circles(&nested),
        ["n::x -> n::y -> n::x", "n::y -> n::x -> n::y"]
    );
    // Through three modules.
    let three = synthetic(&[
        ("a.rs", "use crate::{b::B, c};\n"),
        ("b.rs", "use crate::c::C;\n"),
        ("c/mod.rs", "// use crate::a::A; is a comment\n"),
        ("c/inner.rs", "fn f() -> crate::a::A { todo!() }\n"),
    ]);
    assert_eq!(circles(&three).len(), 3);
}

#[test]
fn parents_children_comments_and_tests_close_no_circle() {
    let fine = synthetic(&[
        ("lib.rs", "mod n;\nuse crate::n::x::T;\n"),
        (
            "n/mod.rs",
            "mod x;\nmod y;\npub use x::T;\nuse self::y::U;\n",
        ),
        (
            "n/x.rs",
            "use super::*;\nuse super::y::U;\n// use super::y::{T}; crate::n::x\n",
        ),
        (
            "n/y.rs",
            "use crate::n::Thing;\npub struct U;\n#[cfg(test)]\nmod tests {\n    use crate::n::x::T;\n}\n",
        ),
    ]);
    assert!(circles(&fine).is_empty(), "{:?}", circles(&fine));
    assert_eq!(module_graph(&fine).len(), 1, "{:?}", module_graph(&fine));
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
