//! End-to-end tests of `dsg compare`.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{arg, dsg, json, names_in, read, scenario, tempdir};

#[test]
fn sets_scenarios_side_by_side() {
    let r = dsg(&[
        "compare",
        &scenario("minimal"),
        &scenario("benchmark"),
        "--paths",
        "500",
    ]);
    r.expect_code(0);
    let out = &r.stdout;
    for name in ["Minimal: 12% demand against 7% funding", "Benchmark"] {
        assert!(out.contains(name), "no {name:?} in\n{out}");
    }
    for row in [
        "Median deficit when the override ends",
        "P90 deficit when the override ends",
        "Median deficit at the end of the forecast",
        "P90 deficit at the end of the forecast",
        "Chance deficit exceeds reserves when override ends",
        "Chance of every safety-valve instalment",
        "Median in-year balance in the last year",
    ] {
        assert!(out.contains(row), "no row {row:?} in\n{out}");
    }
    // Columns are named by file.
    let header = out
        .lines()
        .find(|l| l.starts_with("£m"))
        .unwrap_or_default();
    assert!(
        header.contains("minimal") && header.contains("benchmark"),
        "{out}"
    );
    assert!(
        out.contains("no agreement"),
        "minimal has no safety valve:\n{out}"
    );
}

#[test]
fn the_same_scenario_twice_gives_the_same_figures() {
    let tmp = tempdir();
    let copy = tmp.path().join("copy.toml");
    std::fs::copy(scenario("benchmark"), &copy).unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("cmp");
    dsg(&[
        "compare",
        &scenario("benchmark"),
        &arg(&copy),
        "--paths",
        "500",
        "--out",
        &arg(&dir),
    ])
    .expect_code(0);
    let csv = read(&dir.join("comparison.csv"));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("scenario,file,measure,year,value"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2 * 7);
    // Common random numbers: identical scenarios give identical values.
    for k in 0..7 {
        assert_eq!(rows[k][2..], rows[7 + k][2..], "{csv}");
    }
}

#[test]
fn out_writes_csv_xlsx_and_manifest() {
    let tmp = tempdir();
    let dir = tmp.path().join("comparison");
    let r = dsg(&[
        "compare",
        &scenario("minimal"),
        &scenario("benchmark"),
        "--paths",
        "500",
        "--seed",
        "11",
        "--out",
        &arg(&dir),
    ]);
    r.expect_code(0);
    let files = names_in(&dir);
    for f in ["comparison.csv", "comparison.xlsx", "manifest.json"] {
        assert!(files.iter().any(|x| x == f), "{f} missing: {files:?}");
    }
    assert_eq!(names_in(tmp.path()), ["comparison"]);
    let csv = read(&dir.join("comparison.csv"));
    assert!(csv.contains("Benchmark,"));
    assert!(csv.contains("deficit_median_override_end,2027-28,"));
    let m = json(&dir.join("manifest.json"));
    assert_eq!(m["command"], "compare");
    assert_eq!(m["seed"], 11);
    assert_eq!(m["scenarios"].as_array().map(Vec::len), Some(2));
    assert_eq!(m["scenarios"][1]["name"], "Benchmark");
    assert_eq!(m["scenarios"][0]["sha256"].as_str().map(str::len), Some(64));

    let mut wb: Xlsx<_> = open_workbook(dir.join("comparison.xlsx"))
        .unwrap_or_else(|e| panic!("comparison.xlsx: {e}"));
    assert_eq!(
        wb.sheet_names(),
        ["Comparison", "Cumulative balance", "Scenarios"]
    );
    let sheet = wb
        .worksheet_range("Comparison")
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<Data> = sheet
        .rows()
        .find(|r| r.first() == Some(&Data::String("Scenario".into())))
        .map(|r| r.to_vec())
        .unwrap_or_default();
    assert_eq!(
        names.get(1..3),
        Some(
            &[
                Data::String("Minimal: 12% demand against 7% funding".into()),
                Data::String("Benchmark".into())
            ][..]
        )
    );
}

#[test]
fn needs_two_scenarios_and_reports_every_bad_one() {
    dsg(&["compare", &scenario("minimal")]).expect_code(2);
    let tmp = tempdir();
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "[scenario]\nname = 3\n").unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("out");
    let r = dsg(&[
        "compare",
        &scenario("minimal"),
        &arg(&bad),
        "no-such.toml",
        "--out",
        &arg(&dir),
    ]);
    r.expect_code(2);
    assert!(r.stderr.contains("bad.toml"), "{}", r.stderr);
    assert!(r.stderr.contains("no-such.toml"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert_eq!(names_in(tmp.path()), ["bad.toml"]);
}
