//! End-to-end tests of `dsg run`: what it prints, the files `--out` writes and their contents,
//! writing them atomically, exit codes, and results that do not depend on the thread count.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{arg, dsg, dsg_in, json, names_in, read, scenario, tempdir};
use dsg_montecarlo::Summary;
use sha2::{Digest, Sha256};

#[test]
fn prints_the_headline_and_a_table_year_by_year() {
    let r = dsg(&["run", &scenario("benchmark"), "--paths", "500"]);
    r.expect_code(0);
    let out = &r.stdout;
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("Median cumulative deficit at 31 March 2028: £")
            && first.contains("(90% range £"),
        "{out}"
    );
    assert!(
        out.contains("Chance the deficit exceeds usable reserves when the statutory override ends (31 March 2028): "),
        "{out}"
    );
    assert!(
        out.contains("Chance of receiving every safety-valve instalment: "),
        "{out}"
    );
    assert!(
        out.contains("The central plan (every input at its central value")
            && out.contains("percentile:"),
        "{out}"
    );
    for heading in [
        "90% range",
        "In-year",
        "Funding",
        "Spend",
        "Receipts",
        "Central plan",
        "worse",
        "mitigations",
        "Means add up",
    ] {
        assert!(out.contains(heading), "no {heading:?} in\n{out}");
    }
    for year in ["2026-27", "2035-36"] {
        assert!(
            out.lines().any(|l| l.starts_with(year)),
            "no row for {year}:\n{out}"
        );
    }
    assert!(r.stderr.contains("Simulated 500 paths"), "{}", r.stderr);
}

#[test]
fn omits_the_safety_valve_sentence_without_an_agreement() {
    let r = dsg(&["run", &scenario("minimal"), "--paths", "500"]);
    r.expect_code(0);
    assert!(!r.stdout.contains("safety-valve"), "{}", r.stdout);
    assert!(r.stdout.contains("31 March 2028"), "{}", r.stdout);
}

#[test]
fn quiet_prints_only_the_headline() {
    let r = dsg(&["run", &scenario("benchmark"), "--paths", "500", "--quiet"]);
    r.expect_code(0);
    // The median, the central plan's rank, reserves and the safety valve: no table.
    assert_eq!(r.stdout.lines().count(), 4, "{}", r.stdout);
    assert!(!r.stdout.contains("2026-27"), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn out_writes_every_file_with_consistent_contents() {
    let tmp = tempdir();
    let dir = tmp.path().join("results");
    let file = scenario("benchmark");
    let r = dsg(&[
        "run",
        &file,
        "--paths",
        "500",
        "--seed",
        "7",
        "--no-charts",
        "--out",
        &arg(&dir),
    ]);
    r.expect_code(0);
    // The committee report by default, with the analyses it draws on (500 paths: enough to
    // analyse what drives the deficit; the benchmark scenario has no options).
    assert_eq!(
        names_in(&dir),
        [
            "analysis.json",
            "goal.json",
            "management-plan-children.csv",
            "management-plan-finance.csv",
            "management-plan.xlsx",
            "manifest.json",
            "probabilities.csv",
            "report.html",
            "results.csv",
            "results.xlsx",
            "summary.json"
        ]
    );
    assert_eq!(
        names_in(tmp.path()),
        ["results"],
        "no temporary folder left"
    );

    // summary.json is the engine's Summary.
    let summary: Summary = serde_json::from_str(&read(&dir.join("summary.json")))
        .unwrap_or_else(|e| panic!("summary.json: {e}"));
    assert_eq!(summary.run.paths, 500);
    assert_eq!(summary.run.seed, 7);
    assert_eq!(summary.scenario.name, "Benchmark");
    let years = summary.scenario.years.len();
    assert_eq!(years, 10);

    // results.csv: one row per series x year x statistic.
    let csv = read(&dir.join("results.csv"));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("series,year,statistic,value"));
    assert_eq!(lines.count(), summary.series.len() * years * 11);
    let median_first = summary.series["balance.cumulative"][0].p50;
    assert!(
        csv.lines()
            .any(|l| l == format!("balance.cumulative,2026-27,p50,{median_first}")),
        "results.csv lacks the first median"
    );
    let central_first = summary.central["balance.cumulative"][0];
    assert!(csv.contains(&format!(
        "balance.cumulative,2026-27,central,{central_first}"
    )));

    // probabilities.csv.
    let probs = read(&dir.join("probabilities.csv"));
    assert_eq!(
        probs.lines().next(),
        Some("measure,year,probability,se,amount")
    );
    assert!(probs.contains("deficit_exceeds_reserves,2027-28,"));
    assert!(probs.contains("all_safety_valve_instalments_received,,"));
    assert_eq!(
        probs.lines().count(),
        1 + 3 * years + summary.probabilities.safety_valve_instalments.len() + 1
    );

    // manifest.json records what produced the results.
    let m = json(&dir.join("manifest.json"));
    let hash = Sha256::digest(std::fs::read(&file).unwrap_or_default());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(m["scenario"]["sha256"], hex.as_str());
    assert_eq!(m["scenario"]["name"], "Benchmark");
    assert_eq!(m["scenario"]["file"], file.as_str());
    assert_eq!(m["seed"], 7);
    assert_eq!(m["paths"], 500);
    assert!(m["threads"].as_u64().is_some_and(|t| t >= 1));
    assert_eq!(m["dsg_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["rng"], summary.run.rng.as_str());
    for stage in ["load", "simulate", "write"] {
        assert!(
            m["timings_seconds"][stage]
                .as_f64()
                .is_some_and(|s| s >= 0.0),
            "{m}"
        );
    }
    let listed: Vec<&str> = m["files"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(listed, names_in(&dir));

    // results.xlsx.
    let mut wb: Xlsx<_> =
        open_workbook(dir.join("results.xlsx")).unwrap_or_else(|e| panic!("results.xlsx: {e}"));
    assert_eq!(
        wb.sheet_names(),
        [
            "Summary",
            "Quantiles",
            "Probabilities",
            "Mitigations",
            "Assumptions",
            "Checks"
        ]
    );
    let sheet = wb
        .worksheet_range("Summary")
        .unwrap_or_else(|e| panic!("Summary sheet: {e}"));
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let cell = |r: &[Data], c: usize| r.get(c).cloned().unwrap_or(Data::Empty);
    assert!(
        matches!(cell(rows[0], 0), Data::String(ref t) if t == "DSG forecast: Benchmark"),
        "title: {:?}",
        rows[0]
    );
    assert!(
        rows.iter().any(|r| matches!(cell(r, 0), Data::String(ref t) if t.starts_with("Median cumulative deficit at 31 March 2028"))),
        "the Summary sheet should state the headline"
    );
    let header = rows
        .iter()
        .position(|r| matches!(cell(r, 1), Data::String(ref t) if t == "Series"))
        .unwrap_or_else(|| panic!("no header row on the Summary sheet"));
    assert_eq!(cell(rows[header], 2), Data::String("2026-27".into()));
    assert_eq!(
        cell(rows[header], 2 + years - 1),
        Data::String("2035-36".into())
    );
    let balance = rows
        .iter()
        .position(|r| matches!(cell(r, 1), Data::String(ref t) if t == "balance.cumulative"))
        .unwrap_or_else(|| panic!("no cumulative balance row"));
    assert!(balance > header);
    assert_eq!(cell(rows[balance], 2), Data::Float(median_first));
    let last = summary.series["balance.cumulative"][years - 1].p50;
    assert_eq!(cell(rows[balance], 2 + years - 1), Data::Float(last));

    let quantiles = wb
        .worksheet_range("Quantiles")
        .unwrap_or_else(|e| panic!("Quantiles sheet: {e}"));
    assert_eq!(quantiles.height(), 1 + summary.series.len() * 11);
    let q: Vec<&[Data]> = quantiles.rows().collect();
    assert_eq!(cell(q[0], 3), Data::String("2026-27".into()));

    let assumptions = wb
        .worksheet_range("Assumptions")
        .unwrap_or_else(|e| panic!("Assumptions sheet: {e}"));
    let growth = assumptions
        .rows()
        .find(|r| matches!(cell(r, 0), Data::String(ref t) if t == "demand.growth"))
        .unwrap_or_else(|| panic!("demand.growth is not listed"));
    assert_eq!(
        cell(growth, 4),
        Data::String("normal(mean 0.12, sd 0.025)".into())
    );
    assert_eq!(cell(growth, 2), Data::String("afresh each year".into()));
    assert_eq!(cell(growth, 3), Data::Float(0.5));
    // Inputs of a list name what they belong to, not only its index.
    let first_caseload = assumptions
        .rows()
        .find(|r| matches!(cell(r, 0), Data::String(ref t) if t == "provisions[0].caseload"))
        .unwrap_or_else(|| panic!("provisions[0].caseload is not listed"));
    assert!(
        matches!(cell(first_caseload, 5), Data::String(ref t) if !t.is_empty()),
        "{:?}",
        cell(first_caseload, 5)
    );

    let mitigations = wb
        .worksheet_range("Mitigations")
        .unwrap_or_else(|e| panic!("Mitigations sheet: {e}"));
    let impact = summary.series["mitigation.growth_reduction.impact"][years - 1].p50;
    assert!(
        mitigations.rows().any(
            |r| matches!(cell(r, 0), Data::String(ref t) if t == "growth_reduction")
                && cell(r, 2) == Data::Float(impact)
        ),
        "the Mitigations sheet should give the median impact at the horizon"
    );
    let probabilities = wb
        .worksheet_range("Probabilities")
        .unwrap_or_else(|e| panic!("Probabilities sheet: {e}"));
    assert!(probabilities.height() > years);
}

#[test]
fn out_replaces_earlier_results_and_says_so() {
    let tmp = tempdir();
    let dir = tmp.path().join("results");
    let first = dsg(&[
        "run",
        &scenario("minimal"),
        "--paths",
        "500",
        "--no-charts",
        "--out",
        &arg(&dir),
    ]);
    first.expect_code(0);
    assert!(!first.stderr.contains("Replaced"), "{}", first.stderr);
    let second = dsg(&[
        "run",
        &scenario("benchmark"),
        "--paths",
        "500",
        "--no-charts",
        "--out",
        &arg(&dir),
    ]);
    second.expect_code(0);
    assert!(
        second
            .stderr
            .contains(&format!("Replaced previous results in {}", dir.display())),
        "{}",
        second.stderr
    );
    let summary = json(&dir.join("summary.json"));
    assert_eq!(summary["scenario"]["name"], "Benchmark");
    assert_eq!(
        names_in(tmp.path()),
        ["results"],
        "no folder left beside it"
    );
}

/// One path of an uncertain scenario used to be described as "no input is uncertain".
#[test]
fn a_run_of_few_paths_is_cautioned_and_claims_no_certainty() {
    let r = dsg(&["run", &scenario("cambridgeshire"), "--paths", "1"]);
    r.expect_code(0);
    assert!(!r.stdout.contains("no input is uncertain"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Caution: only 1 simulated future"),
        "{}",
        r.stdout
    );
    let many = dsg(&["run", &scenario("minimal"), "--paths", "2000"]);
    many.expect_code(0);
    assert!(
        many.stdout.contains("no input is uncertain"),
        "{}",
        many.stdout
    );
    assert!(!many.stdout.contains("Caution"), "{}", many.stdout);
}

#[test]
fn out_never_deletes_a_file_added_to_earlier_results() {
    let tmp = tempdir();
    let dir = tmp.path().join("results");
    let run = || {
        dsg(&[
            "run",
            &scenario("minimal"),
            "--paths",
            "500",
            "--no-charts",
            "--out",
            &arg(&dir),
        ])
    };
    run().expect_code(0);
    let paper = dir.join("committee-paper.docx");
    std::fs::write(&paper, "keep me").unwrap_or_else(|e| panic!("{e}"));
    let again = run();
    again.expect_code(2);
    assert!(
        again.stderr.contains("committee-paper.docx"),
        "{}",
        again.stderr
    );
    assert_eq!(read(&paper), "keep me");
    assert!(dir.join("summary.json").is_file(), "earlier results kept");
}

#[test]
fn out_never_replaces_a_folder_of_other_files() {
    let tmp = tempdir();
    let precious = tmp.path().join("budget.xlsx");
    std::fs::write(&precious, "keep me").unwrap_or_else(|e| panic!("{e}"));
    let r = dsg(&[
        "run",
        &scenario("minimal"),
        "--paths",
        "500",
        "--out",
        &arg(tmp.path()),
    ]);
    r.expect_code(2);
    assert!(r.stderr.contains("no manifest.json"), "{}", r.stderr);
    assert_eq!(read(&precious), "keep me");
    assert_eq!(names_in(tmp.path()), ["budget.xlsx"]);
}

#[test]
fn a_scenario_that_fails_validation_writes_nothing() {
    let tmp = tempdir();
    let bad = tmp.path().join("bad.toml");
    let text = read(std::path::Path::new(&scenario("minimal")))
        .replace("caseload = 2000", "caseload = -5");
    std::fs::write(&bad, text).unwrap_or_else(|e| panic!("{e}"));
    let r = dsg_in(
        tmp.path(),
        &["run", "bad.toml", "--paths", "500", "--out", "out/results"],
    );
    r.expect_code(2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr.contains("bad.toml") && r.stderr.contains("`provisions[0].caseload`"),
        "{}",
        r.stderr
    );
    assert_eq!(names_in(tmp.path()), ["bad.toml"]);
}

#[test]
fn a_failing_run_leaves_no_output_folder() {
    let tmp = tempdir();
    // An unknown series for the precision target fails after the output folder was prepared.
    let r = dsg_in(
        tmp.path(),
        &[
            "run",
            &scenario("minimal"),
            "--paths",
            "500",
            "--target-se",
            "no.such.series=5",
            "--out",
            "new/results",
        ],
    );
    r.expect_code(2);
    assert!(r.stderr.contains("no.such.series"), "{}", r.stderr);
    assert!(
        names_in(tmp.path()).is_empty(),
        "{:?}",
        names_in(tmp.path())
    );

    // A parent that is a file.
    std::fs::write(tmp.path().join("file"), "x").unwrap_or_else(|e| panic!("{e}"));
    let r = dsg_in(
        tmp.path(),
        &[
            "run",
            &scenario("minimal"),
            "--paths",
            "500",
            "--out",
            "file/results",
        ],
    );
    r.expect_code(2);
    assert_eq!(names_in(tmp.path()), ["file"]);
}

#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_output_folder_is_an_error_with_exit_code_1() {
    let r = dsg(&[
        "run",
        &scenario("minimal"),
        "--paths",
        "500",
        "--out",
        "/proc/dsg-cannot-write-here/results",
    ]);
    r.expect_code(1);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let tmp = tempdir();
    let run = |threads: &str, paths: &str| {
        let dir = tmp.path().join(format!("t{threads}-{paths}"));
        dsg(&[
            "run",
            &scenario("benchmark"),
            "--paths",
            paths,
            "--threads",
            threads,
            "--no-charts",
            "--quiet",
            "--out",
            &arg(&dir),
        ])
        .expect_code(0);
        std::fs::read(dir.join("summary.json")).unwrap_or_default()
    };
    // Exact quantiles (at most 1,024 paths) and histogram quantiles (more).
    for paths in ["1000", "22000"] {
        let one = run("1", paths);
        let two = run("2", paths);
        assert!(!one.is_empty());
        assert!(
            one == two,
            "summary.json differs between 1 and 2 threads at {paths} paths"
        );
    }
}

#[test]
fn a_precision_target_stops_early_and_is_recorded() {
    let tmp = tempdir();
    let dir = tmp.path().join("results");
    let r = dsg(&[
        "run",
        &scenario("benchmark"),
        "--paths",
        "100,000",
        "--target-se",
        "balance.cumulative=£50m",
        "--no-charts",
        "--out",
        &arg(&dir),
    ]);
    r.expect_code(0);
    assert!(r.stderr.contains("Precision: stopped at"), "{}", r.stderr);
    let m = json(&dir.join("manifest.json"));
    assert_eq!(m["max_paths"], 100_000);
    assert_eq!(m["precision"]["series"], "balance.cumulative");
    assert_eq!(m["precision"]["target_se"], 50_000_000.0);
    assert!(m["paths"].as_u64().is_some_and(|p| p < 100_000), "{m}");
}

#[test]
fn bad_flags_are_refused_with_exit_code_2() {
    let file = scenario("minimal");
    for (flag, value, words) in [
        ("--paths", "0", "at least 1"),
        ("--paths", "lots", "whole number"),
        ("--threads", "0", "at least 1"),
        ("--seed", "-1", "whole number"),
        ("--target-se", "balance.cumulative", "SERIES=SE"),
        ("--target-se", "balance.cumulative=0", "above 0"),
    ] {
        let r = dsg(&["run", &file, flag, value]);
        r.expect_code(2);
        assert!(
            r.stderr.contains(flag) && r.stderr.contains(words),
            "{flag} {value}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
    dsg(&["run", &file, "--no-such-flag"]).expect_code(2);
    dsg(&["run"]).expect_code(2);
    dsg(&["frobnicate"]).expect_code(2);
}

#[test]
fn a_missing_scenario_file_is_bad_input() {
    let r = dsg(&["run", "no-such-scenario.toml"]);
    r.expect_code(2);
    assert!(
        r.stderr
            .contains("no-such-scenario.toml: cannot read the scenario"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.matches("No such file").count(), 1, "{}", r.stderr);
}

#[test]
fn help_reads_well_and_documents_exit_codes() {
    for args in [
        vec!["--help"],
        vec!["run", "--help"],
        vec!["compare", "--help"],
        vec!["validate", "--help"],
        vec!["init", "--help"],
    ] {
        let r = dsg(&args);
        r.expect_code(0);
        assert!(r.stdout.contains("Exit codes:"), "{args:?}:\n{}", r.stdout);
        assert!(r.stdout.contains("Example"), "{args:?}:\n{}", r.stdout);
        assert!(r.stdout.contains("  2  "), "{args:?}:\n{}", r.stdout);
    }
    let r = dsg(&["run", "--help"]);
    for flag in [
        "--paths",
        "--seed",
        "--threads",
        "--out",
        "--no-charts",
        "--quiet",
        "--target-se",
    ] {
        assert!(r.stdout.contains(flag), "run --help lacks {flag}");
    }
}

#[test]
fn charts_are_drawn_into_the_results_folder() {
    let tmp = tempdir();
    let dir = tmp.path().join("results");
    dsg(&[
        "run",
        &scenario("benchmark"),
        "--paths",
        "500",
        "--quiet",
        "--out",
        &arg(&dir),
    ])
    .expect_code(0);
    let charts = names_in(&dir.join("charts"));
    for chart in ["fan-chart.png", "fan-chart.svg", "safety-valve.png"] {
        assert!(
            charts.iter().any(|c| c == chart),
            "{chart} missing: {charts:?}"
        );
    }
    let png = std::fs::read(dir.join("charts/fan-chart.png")).unwrap_or_default();
    assert!(png.starts_with(b"\x89PNG"), "fan-chart.png is not a PNG");
    let m = json(&dir.join("manifest.json"));
    let listed: Vec<&str> = m["files"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    for chart in &charts {
        assert!(
            listed.contains(&format!("charts/{chart}").as_str()),
            "manifest.json does not list charts/{chart}"
        );
    }
    assert_eq!(names_in(tmp.path()), ["results"]);
}

#[test]
fn policy_runs_the_same_scenario_under_another_set_and_is_recorded() {
    let tmp = tempdir();
    let file = scenario("cambridgeshire");
    let now = dsg(&["run", &file, "--paths", "500", "--quiet"]);
    now.expect_code(0);
    let dir = tmp.path().join("before");
    let before = dsg(&[
        "run",
        &file,
        "--paths",
        "500",
        "--quiet",
        "--no-charts",
        "--policy",
        "england-2025",
        "--out",
        &arg(&dir),
    ]);
    before.expect_code(0);
    // No write-off before February 2026: a larger deficit.
    assert_ne!(now.stdout, before.stdout);
    let summary = json(&dir.join("summary.json"));
    assert_eq!(summary["scenario"]["policy"], "england-2025");
    let manifest = json(&dir.join("manifest.json"));
    assert_eq!(manifest["scenario"]["policy"], "england-2025", "{manifest}");
    let none = dsg(&[
        "run", &file, "--paths", "500", "--quiet", "--policy", "none",
    ]);
    none.expect_code(0);
    assert_eq!(
        none.stdout, before.stdout,
        "no set and the 2025 set have no events"
    );
    let unknown = dsg(&["run", &file, "--paths", "500", "--policy", "england-1997"]);
    unknown.expect_code(2);
    assert!(
        unknown.stderr.contains("england-2026-02"),
        "{}",
        unknown.stderr
    );
}

/// Starts a long run into a fresh folder, waits for its hidden staging folder, sends `signal`
/// and returns the exit status, the message and what is left in the folder.
fn interrupt_a_run(signal: &str) -> (std::process::ExitStatus, String, Vec<String>) {
    use std::io::Read;
    let tmp = tempdir();
    let dir = tmp.path().join("results");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dsg"))
        .args([
            "run",
            &scenario("benchmark"),
            "--paths",
            "50000000",
            "--quiet",
            "--no-charts",
            "--out",
            &arg(&dir),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run dsg: {e}"));
    // Wait until the hidden staging folder exists, then interrupt.
    let started = std::time::Instant::now();
    while names_in(tmp.path()).is_empty() && started.elapsed().as_secs() < 20 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        !names_in(tmp.path()).is_empty(),
        "no staging folder appeared"
    );
    let killed = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("cannot run kill: {e}"));
    assert!(killed.success());
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    (status, stderr, names_in(tmp.path()))
}

#[test]
fn ctrl_c_leaves_nothing_behind() {
    let (status, stderr, left) = interrupt_a_run("-INT");
    assert_eq!(status.code(), Some(130));
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// Issue 30, fault 10: SIGTERM (a scheduler stopping the job, `kill`) is handled like Ctrl-C:
/// a message, exit 143 (128 + 15), and no staging folder left beside `--out`.
#[test]
fn sigterm_leaves_nothing_behind_and_says_so() {
    let (status, stderr, left) = interrupt_a_run("-TERM");
    assert_eq!(status.code(), Some(143), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// docs/model.md section 8: an input that makes the results overflow is bad input (exit 2), named,
/// and nothing is written.
#[test]
fn an_input_that_overflows_is_bad_input_and_writes_nothing() {
    let tmp = tempdir();
    let bad = tmp.path().join("bad.toml");
    let text = read(std::path::Path::new(&scenario("minimal")))
        .replace("caseload = 2000", "caseload = 1e308");
    std::fs::write(&bad, text).unwrap_or_else(|e| panic!("{e}"));
    let r = dsg_in(
        tmp.path(),
        &["run", "bad.toml", "--paths", "200", "--out", "out/results"],
    );
    r.expect_code(2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("caseload"), "{}", r.stderr);
    assert_eq!(names_in(tmp.path()), ["bad.toml"]);
}

/// The table's columns add up as its note says: funding less spend is the in-year balance, and
/// the last cumulative balance plus the in-year balance and receipts is the next (to the 0.1 of
/// rounding each figure to £0.1m).
#[test]
fn the_table_reconciles_year_by_year() {
    let r = dsg(&["run", &scenario("cambridgeshire"), "--paths", "2000"]);
    r.expect_code(0);
    let out = &r.stdout;
    let opening: f64 = out
        .split("opening cumulative balance ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|x| x.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("no opening balance in\n{out}"));
    let number = |cell: &str| -> f64 {
        cell.replace(',', "")
            .parse()
            .unwrap_or_else(|e| panic!("{cell:?}: {e}"))
    };
    let mut last = opening;
    let mut rows = 0;
    // The money table only: the children's table follows it.
    let money = out
        .split("Children and families")
        .next()
        .unwrap_or_default();
    for line in money
        .lines()
        .filter(|l| l.starts_with("20") && l.len() > 40)
    {
        let cells: Vec<&str> = line.split_whitespace().collect();
        // Year, funding, spend, in-year, receipts, cumulative (means), then the spread.
        let (funding, spend, in_year, receipts, cumulative) = (
            number(cells[1]),
            number(cells[2]),
            number(cells[3]),
            number(cells[4]),
            number(cells[5]),
        );
        assert!((funding - spend - in_year).abs() <= 0.15, "{line}");
        assert!(
            (last + in_year + receipts - cumulative).abs() <= 0.25,
            "{line}"
        );
        last = cumulative;
        rows += 1;
    }
    assert_eq!(rows, 10, "{out}");
}

/// The county's headline splits the outcome by the write-off and says where the plan stands.
#[test]
fn the_headline_splits_by_the_write_off_and_ranks_the_plan() {
    let r = dsg(&["run", &scenario("cambridgeshire"), "--paths", "2000", "-q"]);
    r.expect_code(0);
    let out = &r.stdout;
    assert!(
        out.contains("If the write-off is approved (")
            && out.contains(" likely), the median deficit at 31 March 2028 is £")
            && out.contains("; if not ("),
        "{out}"
    );
    assert!(out.contains("% if the write-off is approved, "), "{out}");
    assert!(!out.contains("safety-valve"), "{out}");
    let england = dsg(&["run", &scenario("england"), "--paths", "2000", "-q"]);
    england.expect_code(0);
    assert!(
        england
            .stdout
            .contains("The deficit is not compared with reserves"),
        "{}",
        england.stdout
    );
    assert!(!england.stdout.contains("Chance the deficit exceeds"));
}

/// Issue 30, fault 13: `--policy nope` was reported as a problem of the scenario file's
/// `scenario.policy`; it is the option that is wrong.
#[test]
fn an_unknown_policy_option_is_blamed_on_the_option() {
    let r = dsg(&[
        "run",
        &scenario("minimal"),
        "--policy",
        "nope",
        "--paths",
        "100",
    ]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("--policy") && r.stderr.contains("no policy set is named `nope`"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("scenario.policy"), "{}", r.stderr);
    assert!(!r.stderr.contains("minimal.toml"), "{}", r.stderr);
}

#[test]
fn a_year_national_policy_fixes_keeps_its_value_under_a_drawn_growth_level() {
    // The county's funding growth draws its level once a path; the policy set holds 2026-27's
    // allocation flat (the rollover): in every future it equals the base year's £125.6m, and the
    // next year's varies.
    let dir = tempdir();
    let out = dir.path().join("run");
    dsg(&[
        "run",
        &scenario("cambridgeshire"),
        "--paths",
        "400",
        "--no-charts",
        "--quiet",
        "--out",
        &arg(&out),
    ])
    .expect_code(0);
    let text = read(&out.join("results.csv"));
    let value = |year: &str, stat: &str| -> f64 {
        let prefix = format!("funding.allocation,{year},{stat},");
        text.lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    for stat in ["p5", "p50", "p95"] {
        assert_eq!(value("2026-27", stat), 125_600_000.0, "{stat}");
    }
    assert!(value("2027-28", "p95") > value("2027-28", "p5") + 1.0);
}
