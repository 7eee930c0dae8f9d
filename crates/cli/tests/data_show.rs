//! `dsg data show` and `dsg data history` end to end: a council's tables (numbers checked by hand
//! against data/public/panel.csv), boundary changes, unknown and ambiguous councils refused with
//! exit 2, the history file read back by dsg_data's reader, every council with an `area` column,
//! and `dsg calibrate` / `dsg backtest` per area with pooled scores.

mod common;

use common::{arg, dsg, names_in, read, tempdir};
use dsg_data::history::History;
use dsg_data::public::Panel;

/// The first `n` lines of `text` with every run of spaces and new lines as one space.
fn words(text: &str, n: usize) -> String {
    let head: Vec<&str> = text.lines().take(n).collect();
    head.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The line of `text` starting with `start`.
fn line_of<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start:?} in\n{text}"))
}

#[test]
fn cambridgeshire_tables_match_the_panel() {
    let run = dsg(&["data", "show", "--la", "Cambridgeshire"]);
    run.expect_code(0);
    let out = &run.stdout;
    assert!(
        out.starts_with("Cambridgeshire (E10000003; local authority, DfE code 873): 2010-2025")
    );
    // panel.csv: E10000003 caseload 2025 = 8007, 2024 = 7318: growth 8007/7318 - 1 = +9.4%.
    // The 2025 placements are `x` in the panel: shown as x, never 0.
    let y2025 = line_of(out, "2025");
    assert!(
        y2025.contains("8,007") && y2025.contains("+9.4%"),
        "{y2025}"
    );
    assert!(y2025.ends_with('x') && !y2025.contains(" 0"), "{y2025}");
    // Flows: within_20_weeks_pct 2024 = 8.8 (50 of 565), requests 2024 = 1,869 (1702 -> +9.8%).
    let flows = &out[out.find("Requests for assessment").unwrap()..];
    let y2024 = line_of(flows, "2024");
    for expect in ["1,869", "+9.8%", "565", "50", "8.8"] {
        assert!(y2024.contains(expect), "{expect} in {y2024}");
    }
    // Requests 2014 and 2015: `z` (not applicable) in the panel.
    assert!(line_of(flows, "2014").contains(" z"));
    // The break is ruled before January 2023 (plans) and calendar 2022 (flows).
    let plans = &out[..out.find("Requests for assessment").unwrap()];
    let rule = plans
        .find("-- person-level collection from January 2023")
        .unwrap();
    assert!(plans.find("\n2022").unwrap() < rule && rule < plans.find("\n2023").unwrap());
    assert!(flows.contains("-- person-level collection from calendar 2022"));
    // Sources name files and tables; no line wider than 100 columns.
    assert!(out.contains("education-health-and-care-plans_2025.zip: caseload.csv"));
    assert!(out.contains("education-health-and-care-plans_2022.zip: sen2_mi.csv"));
    assert!(out.contains("x not available; z not applicable"));
    for l in out.lines() {
        assert!(
            l.chars().count() <= 100,
            "{} columns: {l}",
            l.chars().count()
        );
    }
    // By code and by DfE code: the same tables.
    assert_eq!(dsg(&["data", "show", "--la", "E10000003"]).stdout, *out);
    assert_eq!(dsg(&["data", "show", "--la", "873"]).stdout, *out);
}

#[test]
fn the_csv_holds_the_same_numbers() {
    let run = dsg(&["data", "show", "--la", "E10000003", "--csv"]);
    run.expect_code(0);
    assert!(
        run.stdout
            .starts_with("area,table,row,column,value,missing\n")
    );
    assert!(run.stdout.contains(",2025,all plans,8007,\n"));
    assert!(run.stdout.contains(",2025,special,,x\n"));
    assert!(run.stdout.contains(",2024,% in 20 wks,8.8,\n"));
}

#[test]
fn boundary_changes_name_successors_and_predecessors() {
    let run = dsg(&["data", "show", "--la", "Northamptonshire"]);
    run.expect_code(0);
    let head = words(&run.stdout, 4);
    assert!(head.contains("2010-2021"), "{head}");
    for name in [
        "North Northamptonshire (E06000061, DfE 940)",
        "West Northamptonshire (E06000062, DfE 941)",
    ] {
        assert!(head.contains(name), "{name}: {head}");
    }
    let run = dsg(&["data", "show", "--la", "E06000061"]);
    run.expect_code(0);
    let head = words(&run.stdout, 4);
    assert!(
        head.contains("its history starts with January 2022")
            && head.contains("Northamptonshire (E10000021"),
        "{head}"
    );
}

#[test]
fn unknown_and_ambiguous_councils_exit_2_with_suggestions() {
    let run = dsg(&["data", "show", "--la", "Northampton"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains(
            "did you mean North Northamptonshire, West Northamptonshire or Northamptonshire?"
        ),
        "{}",
        run.stderr
    );
    let run = dsg(&["data", "show", "--la", "Cambridgshire"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("did you mean Cambridgeshire"),
        "{}",
        run.stderr
    );
    let run = dsg(&["data", "show", "--la", "Qqqqq"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("`dsg data show --list` lists them"),
        "{}",
        run.stderr
    );
    // Nothing written by a history asked of an unknown council.
    let dir = tempdir();
    let out = dir.path().join("h.csv");
    let run = dsg(&[
        "data",
        "history",
        "--la",
        "Northampton",
        "--out",
        &arg(&out),
    ]);
    run.expect_code(2);
    assert!(names_in(dir.path()).is_empty());
}

#[test]
fn the_list_names_every_area() {
    let run = dsg(&["data", "show", "--list"]);
    run.expect_code(0);
    let cambs = line_of(&run.stdout, "E10000003");
    assert!(
        cambs.contains("873")
            && cambs.contains("Cambridgeshire")
            && words(cambs, 1).ends_with("la 2010 2025"),
        "{cambs}"
    );
    assert!(line_of(&run.stdout, "E10000021").ends_with("ended 2021"));
    let panel = Panel::shipped().unwrap();
    assert!(
        run.stdout
            .contains(&format!("{} areas.", panel.areas().len()))
    );
}

#[test]
fn a_history_reads_back_with_the_panels_values() {
    let dir = tempdir();
    let out = dir.path().join("cambs.csv");
    dsg(&[
        "data",
        "history",
        "--la",
        "Cambridgeshire",
        "--out",
        &arg(&out),
    ])
    .expect_code(0);
    let h = History::load(&out).unwrap();
    assert!(h.areas.is_empty(), "one council: no area column");
    let caseload = h.get("caseload").unwrap();
    let panel = Panel::shipped().unwrap();
    let expected: Vec<(i32, f64)> = panel
        .series("E10000003", "caseload")
        .into_iter()
        .filter_map(|(y, v)| v.number().map(|v| (y, v)))
        .collect();
    let got: Vec<(i32, f64)> = caseload.points.iter().map(|p| (p.year, p.value)).collect();
    assert_eq!(got, expected);
    assert_eq!(got.last(), Some(&(2025, 8007.0)));
    // The total caseload is not broken; requests break at calendar 2022 (the person-level
    // collection); new plans start in 2015.
    assert!(caseload.points.iter().all(|p| !p.break_before));
    let requests = h.get("requests").unwrap();
    let broken: Vec<i32> = requests
        .points
        .iter()
        .filter(|p| p.break_before)
        .map(|p| p.year)
        .collect();
    assert_eq!(broken, [2022]);
    assert_eq!(h.get("new_plans").unwrap().points[0].year, 2015);
    assert!(caseload.sources.iter().any(|s| s.contains("caseload.csv")));
    // Placements under the scenarios' provision names: inmss = independent + non-maintained
    // special (2024: 244 + 6 = 250), a break at January 2023; 2025 (`x`) left out.
    let out2 = dir.path().join("cambs-placements.csv");
    dsg(&[
        "data",
        "history",
        "--la",
        "873",
        "--placements",
        "--out",
        &arg(&out2),
    ])
    .expect_code(0);
    let h = History::load(&out2).unwrap();
    let inmss = h.get("caseload.inmss").unwrap();
    let last = inmss.points.last().unwrap();
    assert_eq!((last.year, last.value), (2024, 250.0));
    assert!(
        inmss
            .points
            .iter()
            .any(|p| p.year == 2023 && p.break_before)
    );
}

#[test]
fn every_council_with_an_area_column_then_backtest_and_calibrate_pool_them() {
    let dir = tempdir();
    let out = dir.path().join("all.csv");
    let start = std::time::Instant::now();
    dsg(&["data", "history", "--all", "--out", &arg(&out)]).expect_code(0);
    assert!(start.elapsed().as_secs_f64() < 5.0);
    let h = History::load(&out).unwrap();
    assert!(h.areas.len() >= 150, "{} areas", h.areas.len());
    let cambs = h.get_in(Some("E10000003"), "caseload").unwrap();
    assert_eq!(cambs.points.last().unwrap().value, 8007.0);
    assert!(
        read(&out)
            .lines()
            .any(|l| l == "area,series,year,value,break,source")
    );
    // Two councils by name: an area column too.
    let two = dir.path().join("two.csv");
    dsg(&[
        "data",
        "history",
        "--la",
        "Cambridgeshire",
        "--la",
        "Peterborough",
        "--out",
        &arg(&two),
    ])
    .expect_code(0);
    assert_eq!(
        History::load(&two).unwrap().areas,
        ["E10000003", "E06000031"]
    );

    let bt = dir.path().join("bt");
    let run = dsg(&[
        "backtest",
        &arg(&out),
        "--series",
        "caseload",
        "--paths",
        "200",
        "--horizons",
        "2",
        "--out",
        &arg(&bt),
    ]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("Series `caseload` pooled over"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("below P10"));
    let pooled = read(&bt.join("backtest-pooled.csv"));
    assert!(pooled.starts_with("series,horizon,areas,forecasts,coverage_50"));
    let all = pooled.lines().nth(1).unwrap();
    assert!(all.starts_with("caseload,all,"), "{all}");
    let csv = read(&bt.join("backtest.csv"));
    assert!(csv.starts_with("area,series,origin,"));
    // The pooled count is every area's forecasts.
    assert_eq!(
        all.split(',').nth(3).unwrap().parse::<usize>().unwrap(),
        csv.lines().count() - 1
    );

    let cal = dir.path().join("cal");
    let run = dsg(&["calibrate", &arg(&two), "--out", &arg(&cal)]);
    run.expect_code(0);
    assert_eq!(
        names_in(&cal),
        ["fit.csv", "fit.json", "manifest.json", "pooled.csv"]
    );
    assert!(read(&cal.join("fit.csv")).starts_with("area,series,input,"));
    assert!(read(&cal.join("pooled.csv")).contains("\ncaseload,2,"));
    // Updating a scenario needs one area.
    let scenario = common::repo_root().join("scenarios/minimal.toml");
    let run = dsg(&["calibrate", &arg(&two), "--scenario", &arg(&scenario)]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("choose the one whose fit updates the scenario with --area CODE")
    );
    let one = dir.path().join("one");
    dsg(&[
        "calibrate",
        &arg(&two),
        "--area",
        "E06000031",
        "--scenario",
        &arg(&scenario),
        "--out",
        &arg(&one),
    ])
    .expect_code(0);
    assert!(read(&one.join("scenario-calibrated.toml")).contains("Fitted by dsg calibrate"));
    let run = dsg(&["calibrate", &arg(&two), "--area", "E99999999"]);
    run.expect_code(2);
    assert!(run.stderr.contains("has no such area"), "{}", run.stderr);
}

#[test]
fn a_bad_row_in_a_history_with_areas_names_file_line_and_column() {
    let dir = tempdir();
    let path = dir.path().join("h.csv");
    std::fs::write(
        &path,
        "area,series,year,value\nA,caseload,2020,100\nA,caseload,2021,-5\n",
    )
    .unwrap();
    let run = dsg(&["calibrate", &arg(&path)]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("h.csv:3: column `value`: must be from"),
        "{}",
        run.stderr
    );
    std::fs::write(
        &path,
        "area,series,year,value\nA,caseload,2020,100\n,caseload,2021,5\n",
    )
    .unwrap();
    let run = dsg(&["backtest", &arg(&path)]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("h.csv:3: column `area`: empty"),
        "{}",
        run.stderr
    );
}

#[test]
fn dsg_and_section_251_series_get_their_own_tables() {
    let dir = tempdir();
    let panel = dir.path().join("panel.csv");
    let head = dsg_data::public::HEADER.join(",");
    let row = |series: &str, year: i32, value: &str, missing: &str| {
        format!(
            "E10000003,873,Cambridgeshire,la,{series},{year},{value},{missing},person-level,f.xlsx,t\n"
        )
    };
    let mut text = format!("{head}\n");
    text.push_str(&row("caseload", 2024, "7318", ""));
    text.push_str(&row("dsg.high_needs", 2023, "101500000", ""));
    text.push_str(&row("dsg.high_needs", 2024, "", "x"));
    text.push_str(&row("s251.outturn.top_up_funding", 2023, "42000000", ""));
    std::fs::write(&panel, text).unwrap();
    let run = dsg(&[
        "data",
        "show",
        "--la",
        "Cambridgeshire",
        "--panel",
        &arg(&panel),
    ]);
    run.expect_code(0);
    let dsg_at = run.stdout.find("DSG allocations").expect("a DSG table");
    let high = line_of(&run.stdout[dsg_at..], "high_needs");
    assert!(high.contains("101.50") && high.ends_with('x'), "{high}");
    assert!(run.stdout.contains("2023-24"));
    assert!(line_of(&run.stdout, "top_up_funding").contains("42.00"));
    assert!(!run.stdout.contains("Section 251 budget"));
    // The built-in panel has them too (ESFA's allocations and the benchmarking extract).
    let run = dsg(&["data", "show", "--la", "Cambridgeshire"]);
    assert!(run.stdout.contains("DSG allocations"));
}
