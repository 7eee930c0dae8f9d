//! End-to-end: the children-and-families outputs of `dsg run` (docs/model.md section 9) for the
//! county scenario, which has an assessment pipeline and a staffing option, and their absence for
//! one without: the terminal's second table, summary.json, results.csv, the workbook's Children
//! sheet and the children chart.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{arg, dsg, names_in, read, scenario, tempdir};
use dsg_montecarlo::Summary;

const CHILDREN_SERIES: [&str; 10] = [
    "children.requests",
    "children.assessments_completed",
    "children.waiting",
    "children.plans_issued",
    "children.weeks_to_plan",
    "children.within_20_weeks",
    "children.case_officers",
    "children.plans_per_officer",
    "children.mainstream_share",
    "children.placed_for_lack_of_place",
];

#[test]
fn a_scenario_with_assessments_reports_children_and_families_everywhere() {
    let tmp = tempdir();
    let dir = tmp.path().join("results");
    let r = dsg(&[
        "run",
        &scenario("cambridgeshire"),
        "--paths",
        "1000",
        "--out",
        &arg(&dir),
    ]);
    r.expect_code(0);
    let out = &r.stdout;
    for needle in [
        "Children and families",
        "Requests",
        "Children",
        "waiting",
        "20 weeks",
        "Plans per",
        "mainstream",
        "What each mitigation changes for children",
        "- clear_the_assessment_backlog: -",
    ] {
        assert!(out.contains(needle), "no {needle:?} in\n{out}");
    }
    // The money table comes first, the children's after it.
    let money = out.find("Means add up").unwrap_or(usize::MAX);
    let children = out.find("Children and families").unwrap_or(0);
    assert!(money < children, "{out}");

    let summary: Summary = serde_json::from_str(&read(&dir.join("summary.json")))
        .unwrap_or_else(|e| panic!("summary.json: {e}"));
    // The county's opening backlog (scenarios/cambridgeshire.toml: 2,993 children).
    assert_eq!(summary.scenario.opening_children_waiting, Some(2993.0));
    for name in CHILDREN_SERIES {
        let stats = summary.series.get(name);
        assert!(
            stats.is_some_and(|v| v.len() == 10),
            "no {name} in summary.json"
        );
        assert!(summary.central.contains_key(name), "no central {name}");
    }
    for effect in [
        "waiting",
        "weeks_to_plan",
        "within_20_weeks",
        "placed_for_lack_of_place",
        "mainstream_share",
    ] {
        let name = format!("mitigation.clear_the_assessment_backlog.impact.children.{effect}");
        assert!(summary.series.contains_key(&name), "no {name}");
    }
    // The team clears children from the backlog in its year: fewer waiting, on the same futures.
    let first =
        summary.series["mitigation.clear_the_assessment_backlog.impact.children.waiting"][0];
    assert!(first.p50 < 0.0 && first.p95 <= 0.0, "{first:?}");
    // Charged to the general fund: the DSG balance does not move.
    let dsg = &summary.series["mitigation.clear_the_assessment_backlog.impact"];
    assert!(dsg.iter().all(|y| y.p5 == 0.0 && y.p95 == 0.0), "{dsg:?}");
    let share = &summary.series["children.within_20_weeks"];
    assert!(
        share
            .iter()
            .all(|y| (0.0..=1.0).contains(&y.p5) && (0.0..=1.0).contains(&y.p95))
    );

    let csv = read(&dir.join("results.csv"));
    assert!(
        csv.lines()
            .any(|l| l.starts_with("children.waiting,2026-27,p50,"))
    );
    assert!(csv.lines().any(|l| l.starts_with(
        "mitigation.clear_the_assessment_backlog.impact.children.within_20_weeks,2035-36,mean,"
    )));

    let mut wb: Xlsx<_> =
        open_workbook(dir.join("results.xlsx")).unwrap_or_else(|e| panic!("results.xlsx: {e}"));
    assert!(
        wb.sheet_names().iter().any(|n| n == "Children"),
        "{:?}",
        wb.sheet_names()
    );
    let sheet = wb
        .worksheet_range("Children")
        .unwrap_or_else(|e| panic!("Children sheet: {e}"));
    let text = |r: &[Data], c: usize| match r.get(c) {
        Some(Data::String(t)) => t.clone(),
        _ => String::new(),
    };
    let median = summary.series["children.waiting"][0].p50;
    assert!(
        sheet
            .rows()
            .any(|r| text(r, 0).starts_with("Children waiting")
                && text(r, 1) == "Median"
                && r.get(2) == Some(&Data::Float(median))),
        "the Children sheet should give the median children waiting"
    );
    assert!(
        sheet
            .rows()
            .any(|r| text(r, 0) == "clear_the_assessment_backlog: Children waiting"),
        "the Children sheet should give the option's effect"
    );

    let charts = names_in(&dir.join("charts"));
    assert!(charts.iter().any(|c| c == "children.png"), "{charts:?}");
    assert!(charts.iter().any(|c| c == "children.svg"), "{charts:?}");
}

#[test]
fn a_scenario_without_assessments_reports_no_children() {
    let tmp = tempdir();
    let dir = tmp.path().join("results");
    let r = dsg(&[
        "run",
        &scenario("benchmark"),
        "--paths",
        "300",
        "--out",
        &arg(&dir),
    ]);
    r.expect_code(0);
    assert!(!r.stdout.contains("Children and families"), "{}", r.stdout);
    let summary: Summary = serde_json::from_str(&read(&dir.join("summary.json")))
        .unwrap_or_else(|e| panic!("summary.json: {e}"));
    assert!(summary.series.keys().all(|k| !k.contains("children")));
    assert_eq!(summary.scenario.opening_children_waiting, None);
    assert!(!read(&dir.join("summary.json")).contains("opening_children_waiting"));
    let wb: Xlsx<_> =
        open_workbook(dir.join("results.xlsx")).unwrap_or_else(|e| panic!("results.xlsx: {e}"));
    assert!(!wb.sheet_names().iter().any(|n| n == "Children"));
    assert!(
        !names_in(&dir.join("charts"))
            .iter()
            .any(|c| c.starts_with("children"))
    );
}
