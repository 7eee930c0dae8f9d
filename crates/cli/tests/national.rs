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
    for file in ["national.csv", "councils.csv", "national.json"] {
        assert_eq!(read(&one.join(file)), read(&two.join(file)), "{file}");
    }
    // The workbook: a zip (xlsx) beside them.
    let xlsx = std::fs::read(one.join("national.xlsx")).unwrap();
    assert!(xlsx.starts_with(b"PK"));
    // The report: England's fans with the published figures, a tile per council, the dot plot.
    let html = read(&one.join("national.html"));
    assert!(
        html.contains("OBR £14bn") && html.contains("Counties (23)"),
        "national.html"
    );
    assert_eq!(html.matches("class=\"tile\"").count(), 153);
    // A row per council, ranked 1 to 153.
    let councils = read(&one.join("councils.csv"));
    assert_eq!(councils.lines().count(), 154);
    assert!(councils.lines().nth(1).unwrap().starts_with("1,"));
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
    for file in ["national.csv", "councils.csv"] {
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
