//! The DSG management plan's tables (issue 28, item 3): a council's scenario from `dsg init --la`
//! (with its ages) gives children by placement category and age band, and the financial summary
//! by block, every forecast year, as CSV and as a workbook; the tables reconcile with the
//! caseload series, and post-16 further education keeps its share of the 16-19s (the move at 16).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{arg, dsg, names_in, read, tempdir};
use dsg_montecarlo::Summary;

/// The rows of a management-plan CSV by key: labels and statistic, then the yearly values.
fn table(path: &Path) -> (Vec<String>, BTreeMap<String, Vec<f64>>) {
    let text = read(path);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let values: Vec<f64> = record.iter().skip(4).map(|v| v.parse().unwrap()).collect();
        assert!(values.iter().all(|v| v.is_finite()), "{record:?}");
        let old = rows.insert(record[0].to_string(), values);
        assert!(old.is_none(), "key {} twice", &record[0]);
    }
    (header, rows)
}

#[test]
fn a_councils_tables_by_placement_and_age_reconcile() {
    let dir = tempdir();
    let path = dir.path().join("cambs.toml");
    dsg(&["init", "--la", "873", &arg(&path)]).expect_code(0);
    let text = read(&path);
    assert!(text.contains("[[ages.transfers]]") && text.contains("to = \"post16\""));
    let out = dir.path().join("results");
    dsg(&[
        "run",
        &arg(&path),
        "--paths",
        "1000",
        "--no-charts",
        "--no-report",
        "--out",
        &arg(&out),
    ])
    .expect_code(0);
    let names = names_in(&out);
    for file in [
        "management-plan-children.csv",
        "management-plan-finance.csv",
        "management-plan.xlsx",
    ] {
        assert!(names.iter().any(|n| n == file), "{names:?}");
    }
    let summary: Summary = serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    let years = summary.scenario.years.len();
    let (header, children) = table(&out.join("management-plan-children.csv"));
    assert_eq!(
        &header[..4],
        ["key", "Placement category", "Age band", "Statistic"]
    );
    assert_eq!(header[4], summary.scenario.years[0].to_string());
    let provisions: Vec<String> = summary
        .scenario
        .provisions
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(provisions.len(), 7, "the seven placement categories");
    let bands = ["under_5", "5_10", "11_15", "16_19", "20_25"];
    // (7 categories + all placements) x (5 bands + all ages) x 8 statistics.
    assert_eq!(children.len(), 8 * 6 * 8);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    let get = |key: &str| -> &Vec<f64> { children.get(key).unwrap_or_else(|| panic!("{key}")) };
    for t in 0..years {
        for p in &provisions {
            let sum: f64 = bands.iter().map(|b| get(&format!("{p}|{b}|mean"))[t]).sum();
            assert!(
                close(sum, get(&format!("{p}|all|mean"))[t]),
                "{p}, year {t}"
            );
        }
        for b in bands.iter().chain(["all"].iter()) {
            let sum: f64 = provisions
                .iter()
                .map(|p| get(&format!("{p}|{b}|mean"))[t])
                .sum();
            assert!(
                close(sum, get(&format!("all|{b}|mean"))[t]),
                "{b}, year {t}"
            );
        }
        // The total is the caseload series itself.
        let total = &summary.series["caseload.total"][t];
        assert_eq!(get("all|all|mean")[t], total.mean);
        assert_eq!(get("all|all|p90")[t], total.p90);
        // Quantiles in order on every line.
        for key in children.keys().filter(|k| k.ends_with("|p5")) {
            let line = key.trim_end_matches("|p5");
            let q: Vec<f64> = ["p5", "p10", "p25", "p50", "p75", "p90", "p95"]
                .iter()
                .map(|s| get(&format!("{line}|{s}"))[t])
                .collect();
            assert!(q.windows(2).all(|w| w[0] <= w[1]), "{line}: {q:?}");
        }
        // Further education keeps its share of the 16-19s near the published 47%.
        let fe = get("post16|16_19|mean")[t] / get("all|16_19|mean")[t];
        assert!(
            (0.40..0.55).contains(&fe),
            "year {t}: post-16 FE holds {fe:.3} of 16-19"
        );
    }

    let (header, finance) = table(&out.join("management-plan-finance.csv"));
    assert_eq!(&header[..4], ["key", "Block", "Line", "Statistic"]);
    let cumulative = &summary.series["balance.cumulative"];
    let median = &finance["dsg|balance.cumulative|p50"];
    for t in 0..years {
        assert_eq!(median[t], cumulative[t].p50);
        let spend: f64 = provisions
            .iter()
            .map(|p| finance[&format!("high_needs|spend.{p}|mean")][t])
            .sum();
        let placements = summary.series["spend.placements"][t].mean;
        assert!(
            close(spend, placements),
            "year {t}: {spend} against {placements}"
        );
    }

    // The workbook holds the same tables, a sheet each, with the key in column A.
    let mut wb: Xlsx<_> = open_workbook(out.join("management-plan.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), ["Children by age", "Financial summary"]);
    for (sheet, rows) in [
        ("Children by age", &children),
        ("Financial summary", &finance),
    ] {
        let range = wb.worksheet_range(sheet).unwrap();
        let mut found = 0;
        for r in range.rows() {
            let Some(Data::String(key)) = r.first() else {
                continue;
            };
            let Some(values) = rows.get(key) else {
                continue;
            };
            found += 1;
            for (t, v) in values.iter().enumerate() {
                assert_eq!(r.get(4 + t), Some(&Data::Float(*v)), "{sheet}: {key}");
            }
        }
        assert_eq!(found, rows.len(), "{sheet}: every line of the CSV");
    }
}

#[test]
fn without_ages_the_children_table_has_placements_only() {
    let dir = tempdir();
    let out = dir.path().join("results");
    dsg(&[
        "run",
        &common::scenario("cambridgeshire"),
        "--paths",
        "300",
        "--no-charts",
        "--no-report",
        "--out",
        &arg(&out),
    ])
    .expect_code(0);
    let (_, children) = table(&out.join("management-plan-children.csv"));
    assert!(
        children.keys().all(|k| k.contains("|all|")),
        "{:?}",
        children.keys()
    );
    // Seven categories and all placements, 8 statistics.
    assert_eq!(children.len(), 8 * 8);
}

/// Section 4 of the report gives a council's plans by age band in words, a table and a chart;
/// every figure in it is the one in summary.json.
#[test]
fn the_report_shows_plans_by_age_band_from_the_results() {
    use scraper::{Html, Selector};
    let dir = tempdir();
    let path = dir.path().join("cambs.toml");
    dsg(&["init", "--la", "873", &arg(&path)]).expect_code(0);
    let out = dir.path().join("report");
    dsg(&[
        "report",
        &arg(&path),
        "--paths",
        "1000",
        "--quiet",
        "--out",
        &arg(&out),
    ])
    .expect_code(0);
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    let doc = Html::parse_document(&read(&out.join("report.html")));
    let sel = |s: &str| Selector::parse(s).unwrap();
    let section = doc
        .select(&sel("section#children"))
        .next()
        .expect("section 4");
    assert!(
        section
            .select(&sel("h3"))
            .any(|h| h.text().collect::<String>() == "Children and young people with plans, by age")
    );
    let table = section
        .select(&sel("table"))
        .find(|t| t.text().collect::<String>().contains("by age band"))
        .expect("the table by age band");
    let headers: Vec<String> = table
        .select(&sel("thead th"))
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(
        headers,
        [
            "Year",
            "Under 5",
            "Aged 5-10",
            "Aged 11-15",
            "Aged 16-19",
            "Aged 20-25"
        ]
    );
    // A row a year and the horizon's range.
    let years = summary["scenario"]["years"].as_array().unwrap().len();
    assert_eq!(table.select(&sel("tbody tr")).count(), years + 1);
    let mut checked = 0;
    for d in section.select(&sel("data")) {
        let src = d.value().attr("data-src").unwrap();
        let Some(pointer) = src.strip_prefix("summary.json#") else {
            continue;
        };
        if !pointer.contains("caseload.age.") {
            continue;
        }
        let value: f64 = d.value().attr("value").unwrap().parse().unwrap();
        assert_eq!(
            summary.pointer(pointer).and_then(|v| v.as_f64()),
            Some(value),
            "{src}"
        );
        checked += 1;
    }
    // The words (5 bands, twice), the table (5 a year and 10 for the range).
    assert!(checked >= 10 + 5 * years + 10, "{checked} figures by age");
    assert!(
        section
            .select(&sel("figure#ages-chart svg, #ages-chart svg"))
            .next()
            .is_some()
    );
}
