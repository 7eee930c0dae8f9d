//! `dsg national` (issue 27): every council of the shipped panel on the same paths, its base
//! year's count reconciled to DfE's England figure, the same figures for one thread or two, a
//! balances template to fill in, and balances read back into the table.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{arg, dsg, read, tempdir};

fn national_json(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&read(&dir.join("national.json"))).unwrap()
}

#[test]
fn every_council_adds_up_to_englands_count_and_threads_do_not_change_the_figures() {
    let tmp = tempdir();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    for (dir, threads) in [(&one, "1"), (&two, "2")] {
        dsg(&[
            "national",
            "--paths",
            "300",
            "--threads",
            threads,
            "--out",
            &arg(dir),
            "-q",
        ])
        .expect_code(0);
    }
    let json = national_json(&one);
    let r = &json["reconciliation"];
    // DfE, caseload.csv, January 2025: England 638,745 plans; the 153 councils with a count add
    // up to it; the five areas ended at boundary changes are named.
    assert_eq!(r["councils"], 153);
    assert_eq!(r["sum_of_councils"], 638_745.0);
    assert_eq!(r["england"][1], 638_745.0);
    let left_out = r["left_out"].to_string();
    for name in [
        "Northamptonshire",
        "Cumbria",
        "Bournemouth",
        "Poole",
        "Dorset",
    ] {
        assert!(left_out.contains(name), "{left_out}");
    }
    for file in [
        "national.csv",
        "councils.csv",
        "regions.csv",
        "national.json",
    ] {
        assert_eq!(read(&one.join(file)), read(&two.join(file)), "{file}");
    }
    // The workbook: a zip (xlsx) beside them.
    let xlsx = std::fs::read(one.join("national.xlsx")).unwrap();
    assert!(xlsx.starts_with(b"PK"));
    // The report: England's fans with the published figures, a tile per council, the dot plot.
    let html = read(&one.join("national.html"));
    assert!(
        html.contains("OBR £14bn")
            && html.contains("London (33)")
            && html.contains("North East (12)"),
        "national.html"
    );
    assert_eq!(html.matches("class=\"tile\"").count(), 153);
    // The summary in sentences (no monospace block), and the regions' table.
    assert!(!html.contains("<pre>"), "national.html");
    assert!(
        html.contains("In the middle of the simulated futures")
            && html.contains("Regions in 2027-28"),
        "national.html"
    );
    // A row per council, ranked 1 to 153.
    let councils = read(&one.join("councils.csv"));
    assert_eq!(councils.lines().count(), 154);
    assert!(councils.lines().nth(1).unwrap().starts_with("1,"));
    // The manifest lists every file written, so a second run may replace the folder.
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&one.join("manifest.json"))).unwrap();
    assert_eq!(manifest["command"], "national");
    assert_eq!(manifest["paths"], 300);
    let files = manifest["files"].to_string();
    for file in [
        "national.html",
        "national.xlsx",
        "regions.csv",
        "manifest.json",
    ] {
        assert!(files.contains(file), "{files}");
    }
    dsg(&["national", "--paths", "200", "--out", &arg(&one), "-q"]).expect_code(0);
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&one.join("manifest.json"))).unwrap();
    assert_eq!(manifest["paths"], 200);
    // A file dsg did not write keeps the folder from being replaced.
    std::fs::write(two.join("my-notes.txt"), "mine").unwrap();
    dsg(&["national", "--paths", "200", "--out", &arg(&two), "-q"]).expect_code(2);
    assert_eq!(read(&two.join("my-notes.txt")), "mine");
}

#[test]
fn a_balances_template_filled_in_gives_the_chance_of_exceeding_reserves() {
    let tmp = tempdir();
    let template = tmp.path().join("balances.csv");
    dsg(&["national", "--balances-template", &arg(&template)]).expect_code(0);
    let text = read(&template);
    assert!(
        text.starts_with("code,name,opening_balance,usable_reserves\n"),
        "{text}"
    );
    assert!(text.contains("E10000003,Cambridgeshire,,"), "{text}");
    // Cambridgeshire with a £60m deficit and £1 of reserves: its deficit exceeds them in most
    // futures (not all: with the write-off approved and a generous run of settlements it can
    // clear it); the others are left blank.
    let filled = text.replace(
        "E10000003,Cambridgeshire,,",
        "E10000003,Cambridgeshire,-60m,1",
    );
    std::fs::write(&template, filled).unwrap();
    let out = tmp.path().join("out");
    dsg(&[
        "national",
        "--paths",
        "200",
        "--balances",
        &arg(&template),
        "--out",
        &arg(&out),
        "-q",
    ])
    .expect_code(0);
    let councils = read(&out.join("councils.csv"));
    let cambs = councils.lines().find(|l| l.contains("E10000003")).unwrap();
    let chance: f64 = cambs.rsplit(',').next().unwrap().parse().unwrap();
    assert!((0.5..=1.0).contains(&chance), "{cambs}");
    let others = councils.lines().find(|l| l.contains("E10000015")).unwrap();
    assert!(others.ends_with(','), "{others}");
    // An existing template is not overwritten.
    dsg(&["national", "--balances-template", &arg(&template)]).expect_code(2);
}

#[test]
fn a_run_split_in_two_parts_and_merged_gives_the_whole_runs_files() {
    let tmp = tempdir();
    let whole = tmp.path().join("whole");
    dsg(&["national", "--paths", "1500", "--out", &arg(&whole), "-q"]).expect_code(0);
    let mut parts = Vec::new();
    for k in ["1/2", "2/2"] {
        let dir = tmp.path().join(k.replace('/', "-of-"));
        dsg(&[
            "national",
            "--paths",
            "1500",
            "--part",
            k,
            "--out",
            &arg(&dir),
            "-q",
        ])
        .expect_code(0);
        parts.push(arg(&dir.join("part.json")));
    }
    let merged = tmp.path().join("merged");
    // Given in either order.
    dsg(&[
        "national",
        "--paths",
        "1500",
        "--merge",
        &parts[1],
        &parts[0],
        "--out",
        &arg(&merged),
        "-q",
    ])
    .expect_code(0);
    for file in ["national.csv", "councils.csv", "regions.csv"] {
        assert_eq!(read(&whole.join(file)), read(&merged.join(file)), "{file}");
    }
    // A part missing is refused.
    dsg(&[
        "national",
        "--merge",
        &parts[0],
        "--out",
        &arg(&tmp.path().join("x")),
        "-q",
    ])
    .expect_code(2);
}

#[test]
fn regions_add_up_to_england_and_no_output_holds_nan_or_inf() {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    dsg(&["national", "--paths", "400", "--out", &arg(&out), "-q"]).expect_code(0);
    let json = national_json(&out);
    let regions = json["regions"].as_array().unwrap();
    // England's nine regions; every council in one of them.
    assert_eq!(regions.len(), 9);
    let councils: u64 = regions
        .iter()
        .map(|r| r["councils"].as_u64().unwrap())
        .sum();
    assert_eq!(councils, 153);
    let london = regions.iter().find(|r| r["name"] == "London").unwrap();
    assert_eq!(london["councils"], 33);
    // The regions' means add up to the national mean, every measure and year: each path's
    // regional totals add up to its national total.
    for (i, row) in json["national"].as_array().unwrap().iter().enumerate() {
        let national = row["mean"].as_f64().unwrap();
        let sum: f64 = regions
            .iter()
            .map(|r| {
                let s = &r["series"][i];
                assert_eq!((&s["measure"], &s["year"]), (&row["measure"], &row["year"]));
                s["mean"].as_f64().unwrap()
            })
            .sum();
        assert!(
            (sum - national).abs() <= 1e-9 * national.abs().max(1.0),
            "{}: {sum} over regions, {national} national",
            row["measure"]
        );
    }
    // Base-year plans: the regions' add up to England's 638,745.
    let base: f64 = regions
        .iter()
        .map(|r| r["ehcps_base"].as_f64().unwrap())
        .sum();
    assert_eq!(base, 638_745.0);
    // Every council row names its region; the gap per child is blank where the panel has no
    // children aged 2-18 (the City of London) and present where it has (Cambridgeshire).
    let table = read(&out.join("councils.csv"));
    let header: Vec<&str> = table.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (region, per_child) = (col("region"), col("gap_per_child_2_18_2021_p50"));
    for line in table.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        assert!(!cells[region].is_empty(), "{line}");
        if line.contains("E09000001") {
            assert_eq!(cells[per_child], "", "{line}");
        }
        if line.contains("E10000003") {
            assert!(
                cells[per_child].parse::<f64>().unwrap().is_finite(),
                "{line}"
            );
        }
    }
    let regions_csv = read(&out.join("regions.csv"));
    assert!(regions_csv.contains("in_year_per_child_2_18_2021"));
    for file in [
        "national.csv",
        "councils.csv",
        "regions.csv",
        "national.json",
        "national.html",
    ] {
        // Rust writes a NaN as `NaN` and an infinity as `inf`; serde_json would write them as
        // null, so the JSON's numbers are checked by the sums above.
        let text = read(&out.join(file));
        for bad in ["NaN", ",inf", ",-inf", "inf,", "£inf", "£NaN"] {
            assert!(!text.contains(bad), "{file} holds {bad}");
        }
    }
}

#[test]
fn a_councils_full_series_is_its_single_run_on_the_same_paths() {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    dsg(&[
        "national",
        "--paths",
        "500",
        "--seed",
        "7",
        "--council",
        "E10000003",
        "--council",
        "E09000001",
        "--out",
        &arg(&out),
        "-q",
    ])
    .expect_code(0);
    for code in ["E10000003", "E09000001"] {
        let folder = out.join("councils").join(code);
        // results.csv: series, year, statistic, value (the table dsg run writes).
        let results = read(&folder.join("results.csv"));
        assert!(
            results.starts_with("series,year,statistic,value\n"),
            "{code}"
        );
        let mean = |series: &str, year: &str| -> f64 {
            let prefix = format!("{series},{year},mean,");
            let line = results.lines().find(|l| l.starts_with(&prefix)).unwrap();
            line[prefix.len()..].parse().unwrap()
        };
        let national = read(&folder.join("national.csv"));
        let mut checked = 0;
        for line in national.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            let alone = mean(cells[0], cells[1]);
            let in_national: f64 = cells[2].parse().unwrap();
            // The national run sums values truncated to sixteenths of a unit: its mean is within
            // 1/16 of the single run's on the same paths. A different path would differ by far
            // more (pounds by thousands, plans by more than one).
            assert!(
                (alone - in_national).abs() < 1.0 / 16.0,
                "{code} {} {}: {alone} alone, {in_national} in the national run",
                cells[0],
                cells[1]
            );
            checked += 1;
        }
        assert_eq!(checked, 50, "{code}: five series, ten years");
    }
    // An unknown code is refused before anything runs.
    dsg(&[
        "national",
        "--council",
        "E99999999",
        "--out",
        &arg(&tmp.path().join("x")),
        "-q",
    ])
    .expect_code(2);
}
