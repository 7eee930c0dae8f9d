//! Mutation test of the shipped scenarios (issue 10, "Honest numbers"): every numeric value of
//! each `scenarios/*.toml` is replaced in turn by `nan`, `inf`, `-inf`, `1e308`, `-1e308`, `0`,
//! `-1` and `1e-300`, and every line is deleted and duplicated. Each mutated file is run through
//! the built `dsg` binary (`dsg run <file> --paths 20 --seed 1 --out out`, charts and all), and
//! every run must
//! end in one of two ways:
//!
//! - exit 0, with only finite numbers in everything written: `summary.json` and `manifest.json`
//!   (every number finite, no `null` but the documented optional fields), `results.csv` and
//!   `probabilities.csv` (every numeric field finite, probabilities between 0 and 1), every cell
//!   of `results.xlsx`, stdout, the committee report (`report.html`, `options.json`, `goal.json`:
//!   every figure finite, none shown as NaN or infinity), and every chart (a PNG and an SVG with no
//!   non-finite coordinate or label); or
//! - exit 2, with an `error:` on stderr naming the key (a key path in backticks, or the file and
//!   line of a TOML syntax error), nothing on stdout, and nothing written: no `out` folder and no
//!   hidden staging folder left beside it. A replaced value must be pointed at: its file and line,
//!   its key or one it belongs to in backticks, or the overflowing results series.
//!
//! Anything else (exit 1, another code, a signal, `panicked` on stderr) fails. Failures are
//! collected over the whole matrix and reported together at the end.
//!
//! The scenarios are read when the test runs (they are recalibrated from time to time), so the
//! matrix follows them; [`MIN_SCENARIOS`], [`MIN_NUMBERS`] and [`MIN_RUNS`] keep it from passing
//! with nothing to test. Numbers are found with `toml_edit` (the span of every integer and float
//! value, in tables, inline tables, arrays and arrays of tables; never in keys such as `"2026-27"`,
//! comments or strings). A deleted or duplicated line that leaves the document the same (a blank
//! line, a comment) is not run.
//!
//! Speed: a run takes about 10-20 ms without charts and about 100 ms with them (drawing the
//! charts as PNG and SVG dominates), but charts are drawn only by runs that get that far, about a
//! quarter of the 2,200 runs of the matrix: measured on two cores shared with another build, the
//! whole matrix takes about 50 s with charts and 25 s with `--no-charts` everywhere but a subset.
//! Charts have arithmetic of their own (axis ranges and ticks from degenerate or extreme
//! results), so every run draws them. Runs are spread over two threads, each `dsg` on one thread
//! (`--threads 1`), to use two cores.

mod common;

use std::ops::Range;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Run, dsg_in, names_in, read, repo_root, tempdir};
use serde_json::Value;

/// What each number is replaced by, in turn (TOML spellings).
const VALUES: [&str; 8] = ["nan", "inf", "-inf", "1e308", "-1e308", "0", "-1", "1e-300"];

/// Paths per run: enough for spread, few enough to be quick.
const PATHS: &str = "20";

/// Threads running mutations side by side.
const THREADS: usize = 2;

/// At least this many shipped scenarios.
const MIN_SCENARIOS: usize = 3;

/// At least this many numbers in each shipped scenario.
const MIN_NUMBERS: usize = 5;

/// At least this many runs in all.
const MIN_RUNS: usize = 1500;

/// How many failures are listed in full (all are counted).
const LISTED: usize = 60;

/// How many problems of one run are listed.
const PROBLEMS_LISTED: usize = 8;

/// A numeric value in a TOML document: where it is and which key it belongs to.
#[derive(Debug, Clone, PartialEq)]
struct Literal {
    /// Byte range of the value's text.
    span: Range<usize>,
    /// Its key path, for reports (`provisions[2].capacity."2026-27"`).
    key: String,
}

/// Every integer and float value in `text`, in document order.
fn numeric_literals(text: &str) -> Result<Vec<Literal>, String> {
    let doc = toml_edit::Document::parse(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    literals_in_table(doc.as_table(), "", &mut out)?;
    out.sort_by_key(|l| l.span.start);
    Ok(out)
}

/// `parent.key`, with the key quoted when it is not bare.
fn join(parent: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    let key = if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    if parent.is_empty() {
        key
    } else {
        format!("{parent}.{key}")
    }
}

fn literals_in_table(
    table: &toml_edit::Table,
    path: &str,
    out: &mut Vec<Literal>,
) -> Result<(), String> {
    for (key, item) in table.iter() {
        let path = join(path, key);
        match item {
            toml_edit::Item::None => {}
            toml_edit::Item::Value(v) => literals_in_value(v, &path, out)?,
            toml_edit::Item::Table(t) => literals_in_table(t, &path, out)?,
            toml_edit::Item::ArrayOfTables(a) => {
                for (i, t) in a.iter().enumerate() {
                    literals_in_table(t, &format!("{path}[{i}]"), out)?;
                }
            }
        }
    }
    Ok(())
}

fn literals_in_value(
    value: &toml_edit::Value,
    path: &str,
    out: &mut Vec<Literal>,
) -> Result<(), String> {
    let span = match value {
        toml_edit::Value::Integer(x) => x.span(),
        toml_edit::Value::Float(x) => x.span(),
        toml_edit::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                literals_in_value(v, &format!("{path}[{i}]"), out)?;
            }
            return Ok(());
        }
        toml_edit::Value::InlineTable(t) => {
            for (key, v) in t.iter() {
                literals_in_value(v, &join(path, key), out)?;
            }
            return Ok(());
        }
        _ => return Ok(()),
    };
    let span = span.ok_or_else(|| format!("`{path}` has no span"))?;
    out.push(Literal {
        span,
        key: path.to_string(),
    });
    Ok(())
}

/// The 1-based line of byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// One mutated scenario to run.
struct Case {
    /// The scenario's file name (the mutated copy keeps it).
    file: String,
    /// The line mutated (1-based).
    line: usize,
    /// The key path of the value replaced (none for a line deleted or duplicated).
    key: Option<String>,
    /// What was done, for reports.
    what: String,
    /// The mutated text.
    text: String,
}

/// Every `scenarios/*.toml`: file name and text, sorted by name.
fn shipped() -> Vec<(String, String)> {
    let dir = repo_root().join("scenarios");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, read(&p))
        })
        .collect();
    files.sort();
    files
}

/// Each number of `text` replaced by each of [`VALUES`] (a replacement that leaves the text as it
/// was is skipped).
fn value_cases(file: &str, text: &str) -> Vec<Case> {
    let literals =
        numeric_literals(text).unwrap_or_else(|e| panic!("{file} is not valid TOML: {e}"));
    assert!(
        literals.len() >= MIN_NUMBERS,
        "{file}: only {} numbers found; the scanner is broken or the scenario is too small",
        literals.len()
    );
    let mut cases = Vec::new();
    for lit in &literals {
        let old = &text[lit.span.clone()];
        for value in VALUES {
            if old == value {
                continue;
            }
            cases.push(Case {
                file: file.to_string(),
                line: line_of(text, lit.span.start),
                key: Some(lit.key.clone()),
                what: format!("`{}` = {old} -> {value}", lit.key),
                text: format!(
                    "{}{value}{}",
                    &text[..lit.span.start],
                    &text[lit.span.end..]
                ),
            });
        }
    }
    cases
}

/// Each line of `text` deleted and duplicated, when that changes the document; also returns how
/// many were skipped because it did not.
fn line_cases(file: &str, text: &str) -> (Vec<Case>, usize) {
    let original: toml::Table =
        toml::from_str(text).unwrap_or_else(|e| panic!("{file} is not valid TOML: {e}"));
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut cases = Vec::new();
    let mut skipped = 0;
    for (i, line) in lines.iter().enumerate() {
        let before = lines[..i].concat();
        let after = lines[i + 1..].concat();
        let ended = if line.ends_with('\n') {
            line.to_string()
        } else {
            format!("{line}\n")
        };
        for (what, mutated) in [
            ("deleted", format!("{before}{after}")),
            ("duplicated", format!("{before}{ended}{line}{after}")),
        ] {
            if toml::from_str::<toml::Table>(&mutated).is_ok_and(|t| t == original) {
                skipped += 1;
                continue;
            }
            cases.push(Case {
                file: file.to_string(),
                line: i + 1,
                key: None,
                what: format!("line {what}: {:?}", line.trim_end()),
                text: mutated,
            });
        }
    }
    (cases, skipped)
}

/// How a run ended, when it ended well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Exit 0 and honest outputs.
    Ran,
    /// Exit 2, named, nothing written.
    Refused,
}

/// Runs `case` in a fresh folder under `root` and checks how it ended.
fn run_case(root: &Path, index: usize, case: &Case) -> Result<Outcome, String> {
    let dir = root.join(index.to_string());
    std::fs::create_dir(&dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    std::fs::write(dir.join(&case.file), &case.text)
        .map_err(|e| format!("cannot write the scenario: {e}"))?;
    let args = [
        "run",
        &case.file,
        "--paths",
        PATHS,
        "--seed",
        "1",
        "--threads",
        "1",
        "--out",
        "out",
    ];
    let run = dsg_in(&dir, &args);
    let problems = if run.stderr.contains("panicked") {
        vec!["dsg panicked".to_string()]
    } else {
        match run.code {
            Some(0) => ran_problems(&dir, case, &run),
            Some(2) => refused_problems(&dir, case, &run),
            _ => vec!["exit code is neither 0 nor 2".to_string()],
        }
    };
    let outcome = if run.code == Some(0) {
        Outcome::Ran
    } else {
        Outcome::Refused
    };
    if problems.is_empty() {
        // Keep the disk small: thousands of runs.
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(outcome);
    }
    // Lines cut short: a message may quote a 309-digit number.
    let stderr: Vec<String> = run
        .stderr
        .lines()
        .take(6)
        .map(|l| match l.char_indices().nth(300) {
            Some((at, _)) => format!("{}...", &l[..at]),
            None => l.to_string(),
        })
        .collect();
    let more = problems.len().saturating_sub(PROBLEMS_LISTED);
    let mut problems = problems;
    problems.truncate(PROBLEMS_LISTED);
    if more > 0 {
        problems.push(format!("... and {more} more"));
    }
    Err(format!(
        "{}:{}: {}\n  exit code {:?}\n  - {}\n  stderr: {}",
        case.file,
        case.line,
        case.what,
        run.code,
        problems.join("\n  - "),
        stderr.join("\n          ")
    ))
}

/// Whether `text` shows a number that is not finite, as Rust or a person writes it: `NaN`
/// anywhere (`£NaNm`), a word `nan`, `inf` or `infinity` in any case, `inf` with a unit (`£infm`,
/// `infbn`), or the sign `∞`. Returns what it found.
fn non_finite_word(text: &str) -> Option<String> {
    for sign in ["NaN", "∞"] {
        if text.contains(sign) {
            return Some(sign.to_string());
        }
    }
    text.split(|c: char| !c.is_alphanumeric())
        .find(|w| {
            let w = w.to_ascii_lowercase();
            matches!(w.as_str(), "nan" | "infinity")
                || w.strip_prefix("inf")
                    .is_some_and(|unit| matches!(unit, "" | "m" | "bn" | "k"))
        })
        .map(str::to_string)
}

/// Problems with a run that exited 0.
fn ran_problems(dir: &Path, case: &Case, run: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    let out = dir.join("out");
    if let Some(line) = run.stdout.lines().find(|l| non_finite_word(l).is_some()) {
        problems.push(format!("stdout shows a non-finite number: {line:?}"));
    }
    let expected = [
        "charts",
        "management-plan-children.csv",
        "management-plan-finance.csv",
        "management-plan.xlsx",
        "manifest.json",
        "probabilities.csv",
        "report.html",
        "results.csv",
        "results.xlsx",
        "summary.json",
    ];
    // Written when the scenario has options, when the goal seek finds an answer, and when it
    // names its council (`area_code`: the growth model's track record).
    let optional = ["goal.json", "options.json", "track-record.json"];
    if !out.is_dir() {
        problems.push("no out folder".to_string());
        return problems;
    }
    let names = names_in(&out);
    let required: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !optional.contains(n))
        .collect();
    if required != expected {
        problems.push(format!("out holds {names:?}, expected {expected:?}"));
    }
    let beside = names_in(dir);
    if beside != ["out", case.file.as_str()] && beside != [case.file.as_str(), "out"] {
        problems.push(format!("left beside the results: {beside:?}"));
    }
    type Check = fn(&Path, &mut Vec<String>);
    let checks: [(&str, Check); 7] = [
        ("summary.json", summary_problems),
        ("report.html", report_problems),
        ("manifest.json", manifest_problems),
        ("results.csv", results_csv_problems),
        ("probabilities.csv", probabilities_csv_problems),
        ("results.xlsx", xlsx_problems),
        ("charts", chart_problems),
    ];
    // The first problem of each output, and how many more it has.
    for (name, check) in checks {
        let mut found = Vec::new();
        check(&out, &mut found);
        match found.as_slice() {
            [] => {}
            [one] => problems.push(one.clone()),
            [first, rest @ ..] => {
                problems.push(format!("{first} (and {} more in {name})", rest.len()));
            }
        }
    }
    problems
}

/// `report.html` (and the options and goal files it draws on): no non-finite number shown, every
/// tagged figure's value finite, every number in `options.json` and `goal.json` finite.
fn report_problems(out: &Path, problems: &mut Vec<String>) {
    let html = match std::fs::read_to_string(out.join("report.html")) {
        Ok(h) => h,
        Err(e) => return problems.push(format!("report.html: {e}")),
    };
    for line in html.lines() {
        if line.contains("<svg") || line.starts_with('<') && line.contains("points=") {
            continue;
        }
        if let Some(word) = non_finite_word(line) {
            problems.push(format!("report.html shows {word}: {line:.120}"));
            break;
        }
    }
    for part in html.split("<data value=\"").skip(1) {
        let value = part.split('"').next().unwrap_or_default();
        if !value.parse::<f64>().is_ok_and(f64::is_finite) {
            problems.push(format!("report.html: a figure of value {value:?}"));
        }
    }
    for file in ["options.json", "goal.json"] {
        if let Ok(text) = std::fs::read_to_string(out.join(file)) {
            match serde_json::from_str::<Value>(&text) {
                Ok(v) => json_problems(&v, file, &|_| true, problems),
                Err(e) => problems.push(format!("{file}: {e}")),
            }
        }
    }
}

/// Every number in `v` finite and every `null` allowed by `null_ok` (given the path).
fn json_problems(
    v: &Value,
    path: &str,
    null_ok: &dyn Fn(&str) -> bool,
    problems: &mut Vec<String>,
) {
    match v {
        Value::Null if !null_ok(path) => problems.push(format!("null at {path}")),
        Value::Number(n) if !n.as_f64().is_some_and(f64::is_finite) => {
            problems.push(format!("{n} at {path}"));
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                json_problems(x, &format!("{path}[{i}]"), null_ok, problems);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                json_problems(x, &format!("{path}.{k}"), null_ok, problems);
            }
        }
        _ => {}
    }
}

/// A JSON file, or a problem.
fn json_file(path: &Path, problems: &mut Vec<String>) -> Option<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    match serde_json::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(format!("{} is not JSON: {e}", path.display()));
            None
        }
    }
}

/// `summary.json`: serde_json writes a NaN or an infinity as `null`, so `null` is allowed only
/// where `Summary` has an optional field: `run.precision` (no precision target here) and
/// `probabilities.all_instalments_received` when there are no safety-valve instalments.
fn summary_problems(out: &Path, problems: &mut Vec<String>) {
    let Some(summary) = json_file(&out.join("summary.json"), problems) else {
        return;
    };
    let no_instalments = summary["probabilities"]["safety_valve_instalments"]
        .as_array()
        .is_some_and(Vec::is_empty);
    json_problems(
        &summary,
        "summary",
        &|p| {
            p == "summary.run.precision"
                || (no_instalments && p == "summary.probabilities.all_instalments_received")
        },
        problems,
    );
    if let Err(e) = serde_json::from_value::<dsg_montecarlo::Summary>(summary) {
        problems.push(format!("summary.json is not a Summary: {e}"));
    }
}

/// `manifest.json`: no optional field is written as `null` (they are left out).
fn manifest_problems(out: &Path, problems: &mut Vec<String>) {
    if let Some(m) = json_file(&out.join("manifest.json"), problems) {
        json_problems(&m, "manifest", &|_| false, problems);
    }
}

/// The records of a CSV file after its header, or a problem.
fn csv_records(path: &Path, header: &[&str], problems: &mut Vec<String>) -> Vec<Vec<String>> {
    let name = path.display();
    let mut reader = match csv::Reader::from_path(path) {
        Ok(r) => r,
        Err(e) => {
            problems.push(format!("cannot read {name}: {e}"));
            return Vec::new();
        }
    };
    match reader.headers() {
        Ok(h) if h.iter().eq(header.iter().copied()) => {}
        other => problems.push(format!("{name}: header {other:?}, expected {header:?}")),
    }
    let mut records = Vec::new();
    for r in reader.records() {
        match r {
            Ok(r) => records.push(r.iter().map(str::to_string).collect()),
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    records
}

/// A CSV field that must be a finite number.
fn finite_field(field: &str, what: &str, problems: &mut Vec<String>) -> Option<f64> {
    match field.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            problems.push(format!("{what}: {field:?} is not a finite number"));
            None
        }
    }
}

/// `results.csv`: every value a finite number.
fn results_csv_problems(out: &Path, problems: &mut Vec<String>) {
    let path = out.join("results.csv");
    let records = csv_records(&path, &["series", "year", "statistic", "value"], problems);
    if records.is_empty() {
        problems.push("results.csv has no rows".to_string());
    }
    for r in &records {
        let what = format!("results.csv {}", r.join(","));
        match r.as_slice() {
            [_, _, _, value] => {
                finite_field(value, &what, problems);
            }
            _ => problems.push(format!("{what}: not 4 fields")),
        }
    }
}

/// `probabilities.csv`: probabilities finite and between 0 and 1, standard errors and amounts
/// finite where a measure has them, empty where it has none.
fn probabilities_csv_problems(out: &Path, problems: &mut Vec<String>) {
    let path = out.join("probabilities.csv");
    let header = ["measure", "year", "probability", "se", "amount"];
    for r in &csv_records(&path, &header, problems) {
        let what = format!("probabilities.csv {}", r.join(","));
        let [measure, _, probability, se, amount] = r.as_slice() else {
            problems.push(format!("{what}: not 5 fields"));
            continue;
        };
        if finite_field(probability, &what, problems).is_some_and(|p| !(0.0..=1.0).contains(&p)) {
            problems.push(format!("{what}: a probability outside 0 to 1"));
        }
        let (has_se, has_amount) = match measure.as_str() {
            "deficit_exceeds_reserves"
            | "in_year_balance_reached_by"
            | "reserves_first_exceeded" => (true, false),
            "safety_valve_instalment_received" => (false, true),
            "all_safety_valve_instalments_received" => (false, false),
            other => {
                problems.push(format!("{what}: unknown measure {other:?}"));
                continue;
            }
        };
        for (field, has, name) in [(se, has_se, "se"), (amount, has_amount, "amount")] {
            if has {
                finite_field(field, &what, problems);
            } else if !field.is_empty() {
                problems.push(format!("{what}: {name} should be empty"));
            }
        }
    }
}

/// `results.xlsx`: every number finite, no error cell, no text showing a non-finite number.
fn xlsx_problems(out: &Path, problems: &mut Vec<String>) {
    let mut wb: Xlsx<_> = match open_workbook(out.join("results.xlsx")) {
        Ok(wb) => wb,
        Err(e) => {
            problems.push(format!("results.xlsx: {e}"));
            return;
        }
    };
    for (sheet, range) in wb.worksheets() {
        for (row, col, cell) in range.used_cells() {
            let at = format!("results.xlsx {sheet}!R{}C{}", row + 1, col + 1);
            match cell {
                Data::Float(x) if !x.is_finite() => problems.push(format!("{at}: {x}")),
                Data::Error(e) => problems.push(format!("{at}: error {e:?}")),
                Data::String(s) => {
                    if let Some(w) = non_finite_word(s) {
                        problems.push(format!("{at}: {w:?} in {s:?}"));
                    }
                }
                _ => {}
            }
        }
    }
}

/// `charts/`: PNGs and SVGs, no SVG with a non-finite coordinate or label.
fn chart_problems(out: &Path, problems: &mut Vec<String>) {
    let dir = out.join("charts");
    if !dir.is_dir() {
        problems.push("no charts folder".to_string());
        return;
    }
    let names = names_in(&dir);
    let pngs = names.iter().filter(|n| n.ends_with(".png")).count();
    let svgs = names.iter().filter(|n| n.ends_with(".svg")).count();
    if pngs == 0 || pngs != svgs {
        problems.push(format!("charts: {names:?}"));
    }
    for name in &names {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).unwrap_or_default();
        if name.ends_with(".png") && !bytes.starts_with(b"\x89PNG") {
            problems.push(format!("charts/{name} is not a PNG"));
        }
        if name.ends_with(".svg")
            && let Some(w) = non_finite_word(&String::from_utf8_lossy(&bytes))
        {
            problems.push(format!("charts/{name} shows {w:?}"));
        }
    }
}

/// Whether `line` names a key: a key path in backticks (no spaces inside), or `<file>:<line>:`.
fn names_a_key(line: &str, file: &str) -> bool {
    let backticked = line
        .split('`')
        .skip(1)
        .step_by(2)
        .any(|k| !k.is_empty() && !k.contains(char::is_whitespace));
    let located = line.match_indices(&format!("{file}:")).any(|(i, m)| {
        let rest = &line[i + m.len()..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && rest[digits..].starts_with(':')
    });
    backticked || located
}

/// Whether a refusal of the value at `line` of `file`, key path `key`, points at it: the file and
/// line (`plan.toml:17:`), or the key or one it belongs to in backticks (`demand.growth` for
/// `demand.growth.sd`: only uncertain inputs can be correlated), or the results that overflowed
/// (the guard names an output series, not an input).
fn names_the_mutated_value(stderr: &str, file: &str, line: usize, key: &str) -> bool {
    let belongs = |k: &str| {
        key.strip_prefix(k)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    };
    stderr.contains(&format!("{file}:{line}:"))
        || stderr.contains("the results overflow")
        || stderr.split('`').skip(1).step_by(2).any(belongs)
}

/// Problems with a run that exited 2.
fn refused_problems(dir: &Path, case: &Case, run: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    if !run.stdout.is_empty() {
        problems.push(format!("stdout is not empty: {:?}", run.stdout));
    }
    if !run.stderr.lines().any(|l| l.starts_with("error: ")) {
        problems.push("no `error: ` line on stderr".to_string());
    }
    if !run.stderr.lines().any(|l| names_a_key(l, &case.file)) {
        problems.push("stderr names no key (`key`) and no line (file:line:)".to_string());
    }
    if let Some(key) = &case.key
        && !names_the_mutated_value(&run.stderr, &case.file, case.line, key)
    {
        problems.push(format!(
            "stderr points neither at line {} nor at `{key}` (or a key it belongs to)",
            case.line
        ));
    }
    let names = names_in(dir);
    if names != [case.file.as_str()] {
        problems.push(format!("something was written: {names:?}"));
    }
    problems
}

/// The test itself.
#[test]
fn every_mutation_of_the_shipped_scenarios_runs_cleanly_or_is_refused_by_name() {
    let started = std::time::Instant::now();
    let scenarios = shipped();
    assert!(
        scenarios.len() >= MIN_SCENARIOS,
        "only {} scenarios in scenarios/",
        scenarios.len()
    );
    let mut cases = Vec::new();
    let mut plan = Vec::new();
    for (file, text) in &scenarios {
        let values = value_cases(file, text);
        let (lines, skipped) = line_cases(file, text);
        plan.push(format!(
            "{file}: {} value mutations, {} line mutations ({skipped} left the document as it was)",
            values.len(),
            lines.len()
        ));
        cases.extend(values);
        cases.extend(lines);
    }
    assert!(
        cases.len() >= MIN_RUNS,
        "only {} mutations:\n{}",
        cases.len(),
        plan.join("\n")
    );

    let tmp = tempdir();
    let results: Vec<(usize, Result<Outcome, String>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let (cases, root) = (&cases, tmp.path());
                s.spawn(move || {
                    cases
                        .iter()
                        .enumerate()
                        .skip(t)
                        .step_by(THREADS)
                        .map(|(i, c)| (i, run_case(root, i, c)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|_| panic!("a worker panicked")))
            .collect()
    });
    let mut results = results;
    results.sort_by_key(|(i, _)| *i);

    let count = |o: Outcome| {
        results
            .iter()
            .filter(|(_, r)| r.as_ref().is_ok_and(|x| *x == o))
            .count()
    };
    let (ran, refused) = (count(Outcome::Ran), count(Outcome::Refused));
    let failures: Vec<&String> = results
        .iter()
        .filter_map(|(_, r)| r.as_ref().err())
        .collect();
    eprintln!(
        "{}\n{} mutations in {:.1} s: {ran} ran, {refused} refused, {} failed",
        plan.join("\n"),
        cases.len(),
        started.elapsed().as_secs_f64(),
        failures.len()
    );
    if !failures.is_empty() {
        let listed: Vec<&str> = failures.iter().take(LISTED).map(|f| f.as_str()).collect();
        panic!(
            "{} of {} mutations failed{}:\n\n{}",
            failures.len(),
            cases.len(),
            if failures.len() > LISTED {
                format!(" (the first {LISTED} listed)")
            } else {
                String::new()
            },
            listed.join("\n\n")
        );
    }
    // Both endings are exercised: the test is not passing on runs that all fail to start.
    assert!(ran >= 100, "only {ran} mutations ran to the end");
    assert!(refused >= 100, "only {refused} mutations were refused");
}

/// The unmutated scenarios run cleanly, charts and all, under the same checks.
#[test]
fn the_shipped_scenarios_themselves_pass_the_checks() {
    let tmp = tempdir();
    for (i, (file, text)) in shipped().into_iter().enumerate() {
        let case = Case {
            file,
            line: 1,
            key: None,
            what: "unmutated".to_string(),
            text,
        };
        assert_eq!(run_case(tmp.path(), i, &case), Ok(Outcome::Ran));
    }
}

#[test]
fn the_scanner_finds_every_number_and_nothing_else() {
    let text = r#"# 12 in a comment, 3.5 too
[scenario]
name = "Plan 2 at 7%"          # 99
horizon_years = 10
base_year = "2025-26"
when = 1979-05-27
flag = true

[demand]
growth = { dist = "normal", mean = 0.12, sd = 2.5e-2, per = "year" }
shift = -3
big = 1_000_000
hex = 0x1F
plus = +4.0
odd = inf
history = { "2019-20" = -26000000, "2020-21" = 1e6 }
list = [1, [2, 3.0], { x = 4 }]
a.b = 5

[[items]]
v = 6
[[items]]
v = 7
"#;
    let found: Vec<(String, &str)> = numeric_literals(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|l| (l.key, &text[l.span]))
        .collect();
    let expected = [
        ("scenario.horizon_years", "10"),
        ("demand.growth.mean", "0.12"),
        ("demand.growth.sd", "2.5e-2"),
        ("demand.shift", "-3"),
        ("demand.big", "1_000_000"),
        ("demand.hex", "0x1F"),
        ("demand.plus", "+4.0"),
        ("demand.odd", "inf"),
        ("demand.history.\"2019-20\"", "-26000000"),
        ("demand.history.\"2020-21\"", "1e6"),
        ("demand.list[0]", "1"),
        ("demand.list[1][0]", "2"),
        ("demand.list[1][1]", "3.0"),
        ("demand.list[2].x", "4"),
        ("demand.a.b", "5"),
        ("items[0].v", "6"),
        ("items[1].v", "7"),
    ];
    let found: Vec<(&str, &str)> = found.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(found, expected);
    assert_eq!(line_of(text, text.find("0x1F").unwrap_or(0)), 13);
}

#[test]
fn a_line_mutation_that_changes_nothing_is_skipped() {
    let text = "# comment\n\n[a]\nx = 1\ny = [\n  2,\n]";
    let (cases, skipped) = line_cases("t.toml", text);
    // The comment and the blank line, deleted or duplicated: 4 skipped. `[a]` deleted moves x
    // and y to the root; duplicated, it is an error. Deleting `  2,` changes y; duplicating it
    // adds an element; the last line, without a newline, is duplicated on a line of its own.
    assert_eq!(skipped, 4);
    assert_eq!(cases.len(), 10);
    assert!(cases.iter().all(|c| c.text != text));
    let dup_last = cases
        .iter()
        .find(|c| c.line == 7 && c.what.starts_with("line duplicated"))
        .map(|c| c.text.as_str());
    assert_eq!(dup_last, Some("# comment\n\n[a]\nx = 1\ny = [\n  2,\n]\n]"));
}

#[test]
fn a_key_is_named_by_backticks_or_by_file_and_line() {
    let file = "plan.toml";
    assert!(names_a_key(
        "  plan.toml:17:12: `provisions[0].caseload`: must be a finite number, not NaN",
        file
    ));
    assert!(names_a_key("  plan.toml:18:1: duplicate key", file));
    assert!(names_a_key(
        "error: the results overflow: `balance.cumulative` (p50) in 2027-28 is not a finite number",
        file
    ));
    assert!(!names_a_key("error: something went wrong", file));
    assert!(!names_a_key("error: plan.toml: 1 problem found", file));
    assert!(!names_a_key("error: ` ` is empty", file));
    let err = "  plan.toml:105:11: `correlations[0].between`: `demand.growth` is a fixed number";
    assert!(names_the_mutated_value(err, file, 14, "demand.growth.sd"));
    assert!(names_the_mutated_value(err, file, 105, "cost.inflation.sd"));
    assert!(!names_the_mutated_value(err, file, 14, "cost.inflation.sd"));
    assert!(!names_the_mutated_value(
        err,
        file,
        10,
        "demand.growth_rate"
    ));
    assert!(!names_the_mutated_value(err, file, 10, "correlations"));
    assert_eq!(non_finite_word("£NaNm"), Some("NaN".to_string()));
    assert_eq!(non_finite_word("£-infm"), Some("infm".to_string()));
    assert_eq!(
        non_finite_word("inflation info -inf"),
        Some("inf".to_string())
    );
    assert_eq!(non_finite_word("£∞"), Some("∞".to_string()));
    assert_eq!(
        non_finite_word("inflation, information, infinite care, nanny"),
        None
    );
}
