//! The assumptions workbook from the command line (issue 29): a run from the workbook gives the
//! same results as from the TOML, bit for bit; `dsg convert` and `dsg init --xlsx`; a workbook
//! written by Python's openpyxl reads; a malformed workbook exits 2 naming its cell, with
//! nothing written.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{arg, dsg, read, scenario, tempdir};

/// `dsg run` of `file` into `out`, 2,000 paths, seed 1, no charts.
fn run(file: &str, out: &Path) {
    dsg(&[
        "run",
        file,
        "--paths",
        "2000",
        "--seed",
        "1",
        "--no-charts",
        "-q",
        "--out",
        &arg(out),
    ])
    .expect_code(0);
}

#[test]
fn a_run_from_the_workbook_matches_the_run_from_toml_bit_for_bit() {
    let dir = tempdir();
    for name in ["minimal", "cambridgeshire"] {
        let book = dir.path().join(format!("{name}.xlsx"));
        dsg(&["convert", &scenario(name), &arg(&book)]).expect_code(0);
        let (a, b) = (
            dir.path().join(format!("{name}-toml")),
            dir.path().join(format!("{name}-xlsx")),
        );
        run(&scenario(name), &a);
        run(&arg(&book), &b);
        for file in ["results.csv", "summary.json", "probabilities.csv"] {
            assert!(
                read(&a.join(file)) == read(&b.join(file)),
                "{name}: {file} differs between the TOML and the workbook"
            );
        }
    }
}

#[test]
fn convert_goes_both_ways_and_init_writes_a_workbook() {
    let dir = tempdir();
    let book = dir.path().join("county.xlsx");
    let back = dir.path().join("county.toml");
    dsg(&["convert", &scenario("cambridgeshire"), &arg(&book)]).expect_code(0);
    dsg(&["convert", &arg(&book), &arg(&back)]).expect_code(0);
    // The TOML written from the workbook is the same scenario as the one shipped.
    let raw = |path: &Path| {
        let text = read(path);
        let parsed = toml::Deserializer::parse(&text).expect("TOML");
        dsg_core::raw::RawScenario::read(parsed).expect("a scenario")
    };
    assert_eq!(raw(&back), raw(Path::new(&scenario("cambridgeshire"))));
    // An existing file is not replaced without --force.
    let again = dsg(&["convert", &scenario("minimal"), &arg(&book)]);
    again.expect_code(2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    dsg(&["convert", &scenario("minimal"), &arg(&book), "--force"]).expect_code(0);
    // dsg init --xlsx, from the template and from a council's published figures.
    let template = dir.path().join("template.xlsx");
    dsg(&["init", "--xlsx", &arg(&template)]).expect_code(0);
    dsg(&["validate", &arg(&template)]).expect_code(0);
    let council = dir.path().join("council.xlsx");
    dsg(&["init", "--la", "Cambridgeshire", "--xlsx", &arg(&council)]).expect_code(0);
    let checked = dsg(&["validate", &arg(&council)]);
    checked.expect_code(0);
    assert!(
        checked.stdout.contains("Cambridgeshire"),
        "{}",
        checked.stdout
    );
}

/// A Python with openpyxl (`DSG_PYTHON`, `python3`, `/usr/bin/python3`), or `None` with a
/// message, failing instead when `DSG_REQUIRE_OPENPYXL=1` (CI installs python3-openpyxl).
fn python_with_openpyxl() -> Option<String> {
    let candidates = std::env::var("DSG_PYTHON")
        .into_iter()
        .chain(["python3".to_string(), "/usr/bin/python3".to_string()]);
    for python in candidates {
        let ok = std::process::Command::new(&python)
            .args(["-c", "import openpyxl"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Some(python);
        }
    }
    assert!(
        std::env::var("DSG_REQUIRE_OPENPYXL").as_deref() != Ok("1"),
        "DSG_REQUIRE_OPENPYXL=1 but no python3 with openpyxl (apt-get install python3-openpyxl)"
    );
    eprintln!("skipped: no python3 with openpyxl (apt-get install python3-openpyxl)");
    None
}

/// The minimal scenario as openpyxl writes it, by hand: columns in another order than dsg's,
/// whole numbers as Python ints, a booleans-free sheet of notes that is not read, and `extra`
/// Python lines run before saving (to break it).
fn openpyxl_workbook(python: &str, path: &Path, extra: &str) {
    let script = format!(
        r#"
import openpyxl, sys
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Scenario"
ws.append(["Kind", "Key", "Value"])
ws.append(["text", "name", "Minimal: 12% demand against 7% funding"])
ws.append(["text", "authority", "Illustrative council"])
ws.append(["text", "base_year", "2025-26"])
ws.append(["number", "horizon_years", 5])
p = wb.create_sheet("Provisions")
p.append(["Item", "Key", "Kind", "Value"])
p.append(["special", "label", "text", "All EHCP placements"])
p.append(["special", "caseload", "number", 2000])
p.append(["special", "unit_cost", "number", 25000])
d = wb.create_sheet("Demand")
d.append(["Key", "Kind", "Value"])
d.append(["growth", "number", 0.12])
f = wb.create_sheet("Funding")
f.append(["Key", "Kind", "Value"])
f.append(["allocation", "number", 50000000])
f.append(["growth", "number", 0.07])
s = wb.create_sheet("DSG")
s.append(["Key", "Kind", "Value"])
s.append(["opening_balance", "number", -10000000])
g = wb.create_sheet("General fund")
g.append(["Key", "Kind", "Value"])
g.append(["usable_reserves", "number", 40000000])
g.append(["statutory_override_ends", "text", "2027-28"])
n = wb.create_sheet("My notes")
n.append(["Checked with the finance team"])
{extra}
wb.save(sys.argv[1])
"#
    );
    let out = std::process::Command::new(python)
        .args(["-c", &script, &arg(path)])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_workbook_written_by_openpyxl_reads_as_the_same_scenario() {
    let Some(python) = python_with_openpyxl() else {
        return;
    };
    let dir = tempdir();
    let book = dir.path().join("from-python.xlsx");
    openpyxl_workbook(&python, &book, "");
    let checked = dsg(&["validate", &arg(&book)]);
    checked.expect_code(0);
    assert!(
        checked
            .stderr
            .contains("sheet `My notes` is not one of the scenario's sheets"),
        "{}",
        checked.stderr
    );
    let (a, b) = (dir.path().join("toml"), dir.path().join("python"));
    run(&scenario("minimal"), &a);
    run(&arg(&book), &b);
    for file in ["results.csv", "summary.json"] {
        assert!(read(&a.join(file)) == read(&b.join(file)), "{file} differs");
    }
    // A formula openpyxl writes has no calculated value: refused, at its cell.
    let formula = dir.path().join("formula.xlsx");
    openpyxl_workbook(&python, &formula, r#"f["C2"] = "=2*25000000""#);
    let out = dir.path().join("out");
    let refused = dsg(&["run", &arg(&formula), "--out", &arg(&out)]);
    refused.expect_code(2);
    assert!(
        refused
            .stderr
            .contains("`Funding!C2`: a formula (=2*25000000) with no calculated value"),
        "{}",
        refused.stderr
    );
    assert!(!out.exists(), "nothing is written");
}

/// Malformed workbooks, each written by openpyxl: exit 2, the cell named, nothing written.
#[test]
fn malformed_workbooks_exit_2_naming_the_cell_with_nothing_written() {
    let Some(python) = python_with_openpyxl() else {
        return;
    };
    let dir = tempdir();
    let cases = [
        (
            "text",
            r#"p["D3"] = "2,000 plans""#,
            "`Provisions!D3`: the text `2,000 plans` where a number is needed",
        ),
        (
            "merged",
            r#"p.merge_cells("A2:A4")"#,
            "`Provisions!A2:A4`: merged cells",
        ),
        ("missing", r#"del wb["Funding"]"#, "no sheet `Funding`"),
        (
            "date",
            "import datetime\nd.append([\"growth\", \"number\", 0.1])\nd[\"A3\"] = \"growth\"\nd.insert_cols(2)\nd[\"B1\"] = \"Year\"\nd[\"B3\"] = datetime.date(2026, 4, 1)",
            "`Demand!B3`: a date where a financial year is needed",
        ),
        (
            "order",
            r#"p.append(["other", "caseload", "number", 5]); p.append(["special", "drift", "number", 0.01])"#,
            "`Provisions!A6`: row out of order",
        ),
    ];
    for (name, extra, expected) in cases {
        let book = dir.path().join(format!("{name}.xlsx"));
        openpyxl_workbook(&python, &book, extra);
        let out = dir.path().join(format!("{name}-out"));
        let refused = dsg(&["run", &arg(&book), "--out", &arg(&out)]);
        refused.expect_code(2);
        assert!(
            refused.stderr.contains(expected),
            "{name}: {}",
            refused.stderr
        );
        assert!(!out.exists(), "{name}: nothing is written");
        let converted = dir.path().join(format!("{name}.toml"));
        dsg(&["convert", &arg(&book), &arg(&converted)]).expect_code(2);
        assert!(!converted.exists(), "{name}: nothing is converted");
    }
}

/// results.xlsx read back with calamine: its totals reconcile, recomputed here from the
/// Quantiles and Budget sheets' own cells, and its Checks sheet says so on every row.
#[test]
fn the_totals_of_results_xlsx_reconcile() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempdir();
    for name in ["cambridgeshire", "england", "benchmark"] {
        let out = dir.path().join(name);
        run(&scenario(name), &out);
        let mut wb: Xlsx<_> = open_workbook(out.join("results.xlsx")).expect("results.xlsx");
        let number = |d: Option<&Data>| match d {
            Some(Data::Float(x)) => *x,
            Some(Data::Int(i)) => *i as f64,
            _ => 0.0,
        };
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (a.abs() + b.abs()) + 1e-6;
        // Quantiles: the Mean rows, by key; years from column 3.
        let q = wb.worksheet_range("Quantiles").expect("Quantiles");
        let rows: Vec<&[Data]> = q.rows().collect();
        let years: Vec<String> = rows[0][3..]
            .iter()
            .filter_map(|d| match d {
                Data::String(s) if s.len() == 7 => Some(s.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            rows[0].last(),
            Some(&Data::String("Unit".into())),
            "{name}: a Unit column"
        );
        let mean = |key: &str, i: usize| {
            rows.iter()
                .find(|r| r[1] == Data::String(key.into()) && r[2] == Data::String("Mean".into()))
                .map_or(0.0, |r| number(r.get(3 + i)))
        };
        let keys: Vec<String> = rows
            .iter()
            .filter_map(|r| match &r[1] {
                Data::String(k) if k.starts_with("spend.") => Some(k.clone()),
                _ => None,
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let aggregates = [
            "spend.total",
            "spend.placements",
            "spend.other_lines",
            "spend.mitigation_costs",
        ];
        for (i, year) in years.iter().enumerate() {
            let placements: f64 = keys
                .iter()
                .filter(|k| !aggregates.contains(&k.as_str()))
                .map(|k| mean(k, i))
                .sum();
            let total =
                placements + mean("spend.other_lines", i) + mean("spend.mitigation_costs", i);
            assert!(
                close(mean("spend.total", i), total),
                "{name} {year}: spend adds up"
            );
            let income = mean("funding.allocation", i)
                + mean("funding.transfer", i)
                + mean("funding.other_income", i);
            assert!(
                close(mean("balance.in_year", i), income - mean("spend.total", i)),
                "{name} {year}: the in-year balance is income less spend"
            );
        }
        // Budget: each year's total is its lines' sum, and its forecast is the Quantiles' spend.
        if let Ok(b) = wb.worksheet_range("Budget") {
            let rows: Vec<&[Data]> = b.rows().collect();
            let header: Vec<String> = rows[0].iter().map(|d| d.to_string()).collect();
            let column = |h: &str| header.iter().position(|x| x == h).expect("a column");
            let (budget, forecast) = (column("Budget (£m)"), column("Forecast mean (£m)"));
            for (i, year) in years.iter().enumerate() {
                let lines: Vec<&&[Data]> = rows
                    .iter()
                    .filter(|r| r[0] == Data::String(year.clone()))
                    .collect();
                let Some(total) = lines
                    .iter()
                    .find(|r| r[1] == Data::String("Total high-needs budget".into()))
                else {
                    continue;
                };
                let parts: Vec<&&&[Data]> = lines
                    .iter()
                    .filter(|r| r[1] != Data::String("Total high-needs budget".into()))
                    .collect();
                let sum = |c: usize| parts.iter().map(|r| number(r.get(c))).sum::<f64>();
                assert!(
                    close(number(total.get(budget)), sum(budget)),
                    "{name} {year}: budget lines add up"
                );
                assert!(
                    close(number(total.get(forecast)), mean("spend.total", i)),
                    "{name} {year}: the budget's forecast is the spend forecast"
                );
            }
        }
        let checks = wb.worksheet_range("Checks").expect("Checks");
        let verdicts: Vec<String> = checks
            .rows()
            .skip(1)
            .filter(|r| r.len() > 5 && r[1] != Data::Empty)
            .map(|r| r[5].to_string())
            .collect();
        assert!(
            verdicts.len() >= 4 * years.len(),
            "{name}: {} checks",
            verdicts.len()
        );
        assert!(verdicts.iter().all(|v| v == "yes"), "{name}: {verdicts:?}");
    }
}

/// A council's scenario with ages (`[ages]`, its bands, mixes, leaving rates and moves at 16)
/// goes to a workbook and back as the same scenario, and runs the same from either.
#[test]
fn a_council_with_ages_goes_to_a_workbook_and_back() {
    let dir = tempdir();
    let toml_path = dir.path().join("council.toml");
    dsg(&["init", "--la", "873", &arg(&toml_path)]).expect_code(0);
    assert!(read(&toml_path).contains("[[ages.transfers]]"));
    let book = dir.path().join("council.xlsx");
    let back = dir.path().join("back.toml");
    dsg(&["convert", &arg(&toml_path), &arg(&book)]).expect_code(0);
    dsg(&["convert", &arg(&book), &arg(&back)]).expect_code(0);
    let raw = |path: &Path| {
        let text = read(path);
        let parsed = toml::Deserializer::parse(&text).expect("TOML");
        dsg_core::raw::RawScenario::read(parsed).expect("a scenario")
    };
    let (a, b) = (raw(&toml_path), raw(&back));
    assert!(a.0.ages.is_some());
    assert_eq!(a, b);
    let (x, y) = (dir.path().join("x"), dir.path().join("y"));
    run(&arg(&toml_path), &x);
    run(&arg(&book), &y);
    let csv = read(&x.join("management-plan-children.csv"));
    assert!(csv.contains("post16|16_19|mean"));
    assert!(csv == read(&y.join("management-plan-children.csv")));
}
