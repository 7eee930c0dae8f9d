//! The approved budget (`[[budget]]`) against the forecast in every output of `dsg run`: the
//! terminal table (only when the scenario sets a budget), the `budget.*` rows of results.csv and
//! the Budget sheet of results.xlsx, each holding summary.json's figures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{arg, dsg, json, read, scenario, tempdir};

/// Runs `name` with 400 paths into `dir`; returns the terminal output.
fn run_into(name: &str, dir: &Path) -> String {
    let r = dsg(&[
        "run",
        &scenario(name),
        "--paths",
        "400",
        "--seed",
        "3",
        "--no-charts",
        "--no-report",
        "--out",
        &arg(dir),
    ]);
    r.expect_code(0);
    r.stdout
}

/// The county's 2026-27 budget by hand: mainstream top-up 4,273 plans at £8,960 = £38,286,080;
/// the seven provisions (4,273 x 8,960 + 328 x 18,540 + 655 x 21,630 + 1,503 x 26,780 + 320 x
/// 70,040 + 1,216 x 11,330 + 1,070 x 6,180 = £141,587,870), £26.0m of other lines and £1.5m of
/// mitigation costs, £169,087,870.
const MAINSTREAM_BUDGET: f64 = 38_286_080.0;
const TOTAL_BUDGET: f64 = 169_087_870.0;

#[test]
fn the_terminal_shows_the_budget_only_when_the_scenario_sets_one() {
    let tmp = tempdir();
    let out = run_into("cambridgeshire", &tmp.path().join("county"));
    assert!(
        out.contains("Forecast outturn against budget by line, 2026-27"),
        "{out}"
    );
    let line = |label: &str| {
        out.lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no `{label}` row in\n{out}"))
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // Line, budget (£m), ...: the budget column holds the hand-computed figures.
    assert_eq!(line("Mainstream top-up")[2], "38.3");
    assert_eq!(line("Total high-needs budget")[3], "169.1");
    assert!(
        out.contains("Variance = forecast outturn - budget"),
        "{out}"
    );

    let plain = run_into("benchmark", &tmp.path().join("benchmark"));
    assert!(!plain.contains("against budget"), "{plain}");
    assert!(!plain.contains("Variance = forecast outturn"), "{plain}");
}

/// summary.json's budget figures as (series, statistic, value) for results.csv's naming.
fn expected_rows(summary: &serde_json::Value) -> Vec<(String, String, f64)> {
    let b = &summary["budgets"][0];
    let mut rows = Vec::new();
    let lines = b["lines"].as_array().unwrap().iter().chain([&b["total"]]);
    for l in lines {
        let spend = l["series"].as_str().unwrap();
        let name = format!("budget.{}", spend.strip_prefix("spend.").unwrap());
        let f = |v: &serde_json::Value| v.as_f64().unwrap();
        rows.push((name.clone(), "budget".into(), f(&l["budget"])));
        for stat in ["overspend_probability", "overspend_se"] {
            rows.push((name.clone(), stat.into(), f(&l[stat])));
        }
        for (part, central) in [("outturn", "central"), ("variance", "central_variance")] {
            for stat in ["p5", "p10", "p25", "p50", "p75", "p90", "p95", "mean", "se"] {
                rows.push((format!("{name}.{part}"), stat.into(), f(&l[part][stat])));
            }
            rows.push((format!("{name}.{part}"), "central".into(), f(&l[central])));
        }
        if let Some(p) = l.get("planned") {
            for (series, stat, key) in [
                ("caseload", "budget", "caseload"),
                ("caseload", "mean", "caseload_mean"),
                ("unit_cost", "budget", "unit_cost"),
                ("volume", "mean", "volume"),
                ("volume", "central", "central_volume"),
                ("price", "mean", "price"),
                ("price", "central", "central_price"),
            ] {
                rows.push((format!("{name}.{series}"), stat.into(), f(&p[key])));
            }
        }
    }
    rows.push(("budget.unallocated".into(), "budget".into(), 0.0));
    rows
}

#[test]
fn results_csv_and_the_budget_sheet_hold_summary_json_figures() {
    let tmp = tempdir();
    let dir = tmp.path().join("county");
    run_into("cambridgeshire", &dir);
    let summary = json(&dir.join("summary.json"));
    let expected = expected_rows(&summary);
    // 9 lines and the total, each 3 + 2 x 10 rows, 7 of them with 7 planned rows; unallocated.
    assert_eq!(expected.len(), 10 * 23 + 7 * 7 + 1);

    let csv = read(&dir.join("results.csv"));
    let got: Vec<(String, String, f64)> = csv
        .lines()
        .filter(|l| l.starts_with("budget."))
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            assert_eq!(c.len(), 4, "{l}");
            assert_eq!(c[1], "2026-27", "{l}");
            (c[0].to_string(), c[2].to_string(), c[3].parse().unwrap())
        })
        .collect();
    assert_eq!(got, expected);
    let value = |series: &str, stat: &str| {
        got.iter()
            .find(|(s, t, _)| s == series && t == stat)
            .map(|r| r.2)
            .unwrap()
    };
    assert_eq!(
        value("budget.mainstream_top_up", "budget"),
        MAINSTREAM_BUDGET
    );
    assert_eq!(value("budget.total", "budget"), TOTAL_BUDGET);
    // Variance = outturn - budget, and volume + price = the mean variance.
    let mean = value("budget.inmss.outturn", "mean") - value("budget.inmss", "budget");
    assert!((value("budget.inmss.variance", "mean") - mean).abs() < 1e-6);
    let parts = value("budget.inmss.volume", "mean") + value("budget.inmss.price", "mean");
    assert!((parts - mean).abs() < 1e-3 * mean.abs().max(1.0));

    // The Budget sheet: one row per line, then the total.
    let mut wb: Xlsx<_> = open_workbook(dir.join("results.xlsx")).unwrap();
    assert!(wb.sheet_names().contains(&"Budget".to_string()));
    let sheet = wb.worksheet_range("Budget").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|d| d.to_string()).collect();
    assert_eq!(
        header[..4],
        ["Year", "Line", "Budget (£m)", "Forecast median (£m)"]
    );
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let number = |r: &[Data], c: usize| match r.get(c) {
        Some(Data::Float(x)) => *x,
        other => panic!("not a number: {other:?}"),
    };
    let b = &summary["budgets"][0];
    let lines = b["lines"].as_array().unwrap();
    for (k, l) in lines.iter().chain([&b["total"]]).enumerate() {
        let r = rows[1 + k];
        assert_eq!(r[0].to_string(), "2026-27");
        let f = |v: &serde_json::Value| v.as_f64().unwrap();
        assert_eq!(number(r, column("Budget (£m)")), f(&l["budget"]));
        assert_eq!(
            number(r, column("Forecast median (£m)")),
            f(&l["outturn"]["p50"])
        );
        assert_eq!(
            number(r, column("Variance median (£m)")),
            f(&l["variance"]["p50"])
        );
        assert_eq!(
            number(r, column("Variance mean (£m)")),
            f(&l["variance"]["mean"])
        );
        assert_eq!(
            number(r, column("Chance of overspend (%)")),
            f(&l["overspend_probability"])
        );
        if let Some(p) = l.get("planned") {
            assert_eq!(number(r, column("Volume, mean (£m)")), f(&p["volume"]));
            assert_eq!(number(r, column("Price, mean (£m)")), f(&p["price"]));
        }
    }
    let total = rows[1 + lines.len()];
    assert_eq!(total[1].to_string(), "Total high-needs budget");
    assert_eq!(number(total, column("Budget (£m)")), TOTAL_BUDGET);
    assert_eq!(number(rows[1], column("Budget (£m)")), MAINSTREAM_BUDGET);
}

#[test]
fn a_run_without_a_budget_writes_no_budget_rows_or_sheet() {
    let tmp = tempdir();
    let dir = tmp.path().join("benchmark");
    run_into("benchmark", &dir);
    let csv = read(&dir.join("results.csv"));
    assert!(!csv.lines().any(|l| l.starts_with("budget.")));
    let wb: Xlsx<_> = open_workbook(dir.join("results.xlsx")).unwrap();
    assert!(!wb.sheet_names().contains(&"Budget".to_string()));
}
