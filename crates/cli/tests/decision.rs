//! End-to-end tests of the decision commands (issue 11): `dsg run --analyse`, `dsg goal` and
//! `dsg options`: what they print, the files they write, and their refusals.

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use common::{arg, dsg, json, names_in, read, scenario, tempdir};

#[test]
fn analyse_says_what_drives_the_balance_and_saves_it() {
    let tmp = tempdir();
    let dir = tmp.path().join("results");
    let r = dsg(&[
        "run",
        &scenario("cambridgeshire"),
        "--paths",
        "3000",
        "--analyse",
        "--no-charts",
        "--out",
        &arg(&dir),
    ]);
    r.expect_code(0);
    assert!(
        r.stdout
            .contains("What drives the cumulative balance at 31 March 2028"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Write-off approved"), "{}", r.stdout);
    assert!(
        r.stdout.contains("In the worst tenth of futures"),
        "{}",
        r.stdout
    );
    let analysis = json(&dir.join("analysis.json"));
    let outcomes = analysis.as_array().unwrap_or_else(|| panic!("{analysis}"));
    assert_eq!(outcomes.len(), 2, "override end and horizon");
    assert!(
        outcomes[0]["inputs"]
            .as_array()
            .is_some_and(|i| i.len() >= 5)
    );
    let csv = read(&dir.join("sensitivity.csv"));
    assert!(csv.starts_with("outcome,year,input,label,rank_correlation"));
    let wb: Xlsx<_> = open_workbook(dir.join("results.xlsx")).unwrap_or_else(|e| panic!("{e}"));
    assert!(wb.sheet_names().iter().any(|n| n == "Sensitivity"));
    // Too few paths to analyse: refused, nothing written.
    let few = dsg(&["run", &scenario("minimal"), "--paths", "50", "--analyse"]);
    few.expect_code(2);
    assert!(
        few.stderr.contains("--analyse needs at least 200 paths"),
        "{}",
        few.stderr
    );
}

#[test]
fn goal_finds_the_saving_and_refuses_the_impossible() {
    let r = dsg(&[
        "goal",
        &scenario("cambridgeshire"),
        "--target",
        "balance.cumulative >= -150m in 2028-29",
        "--paths",
        "2000",
    ]);
    r.expect_code(0);
    assert!(
        r.stdout.starts_with("To be 80% sure that the cumulative DSG balance is at least -£150.0m at 31 March 2029, the council must save £"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("a year from 2026-27 (Monte Carlo range £")
    );
    let tmp = tempdir();
    let dir = tmp.path().join("goal");
    let saved = dsg(&[
        "goal",
        &scenario("minimal"),
        "--target",
        "balance.cumulative >= -10m in 2030-31",
        "--paths",
        "200",
        "--out",
        &arg(&dir),
    ]);
    saved.expect_code(0);
    assert!(
        json(&dir.join("goal.json"))["value"]
            .as_f64()
            .is_some_and(|v| v > 0.0)
    );
    assert!(dir.join("goal.xlsx").exists());
    let impossible = dsg(&[
        "goal",
        &scenario("cambridgeshire"),
        "--target",
        "balance.cumulative >= -150m in 2028-29",
        "--lever",
        "delivery:early_support_in_mainstream",
        "--paths",
        "500",
    ]);
    impossible.expect_code(2);
    assert!(
        impossible
            .stderr
            .contains("is out of reach with 80% confidence"),
        "{}",
        impossible.stderr
    );
    let unknown = dsg(&[
        "goal",
        &scenario("minimal"),
        "--target",
        "balance.cumulative >= 0 in 2030-31",
        "--lever",
        "magic",
    ]);
    unknown.expect_code(2);
    assert!(
        unknown.stderr.contains("is not a lever"),
        "{}",
        unknown.stderr
    );
    let unreadable = dsg(&[
        "goal",
        &scenario("minimal"),
        "--target",
        "balance at least 0",
    ]);
    unreadable.expect_code(2);
    assert!(
        unreadable.stderr.contains("cannot read the target"),
        "{}",
        unreadable.stderr
    );
}

#[test]
fn options_are_compared_side_by_side_and_saved() {
    let tmp = tempdir();
    let dir = tmp.path().join("options");
    let r = dsg(&[
        "options",
        &scenario("cambridgeshire"),
        "--paths",
        "2000",
        "--out",
        &arg(&dir),
    ]);
    r.expect_code(0);
    for name in [
        "No action",
        "As planned",
        "Early support only",
        "Places and commissioning",
    ] {
        assert!(
            r.stdout.lines().any(|l| l.starts_with(name)),
            "no {name} row:\n{}",
            r.stdout
        );
    }
    assert!(r.stdout.contains("Deficit avoided"), "{}", r.stdout);
    let json = json(&dir.join("options.json"));
    assert_eq!(json["options"].as_array().map(Vec::len), Some(6));
    assert!(r.stdout.contains("Children waiting"), "{}", r.stdout);
    assert!(dir.join("charts/options.png").exists() && dir.join("charts/options.svg").exists());
    assert!(dir.join("options.xlsx").exists());
    // A scenario without options is told so.
    let none = dsg(&["options", &scenario("minimal")]);
    none.expect_code(2);
    assert!(none.stderr.contains("no [[options]]"), "{}", none.stderr);
}

/// Issue 30, fault 8: `--analyse` on a scenario with no uncertain input (the shipped minimal
/// scenario), charts and all, ran into "cannot draw the tornado charts: nothing to draw" and exit
/// 1. It says there is nothing to rank, writes every other output and draws no tornado.
#[test]
fn analyse_without_uncertain_inputs_says_so_and_draws_no_tornado() {
    let tmp = tempdir();
    let dir = tmp.path().join("results");
    let r = dsg(&[
        "run",
        &scenario("minimal"),
        "--paths",
        "2000",
        "--analyse",
        "--out",
        &arg(&dir),
    ]);
    r.expect_code(0);
    assert!(
        r.stdout.contains("no uncertain inputs") && r.stdout.contains("nothing to rank"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("no single input stands out"),
        "{}",
        r.stdout
    );
    assert!(dir.join("charts").join("fan-chart.png").exists());
    let charts: Vec<String> = names_in(&dir.join("charts"));
    assert!(
        charts.iter().all(|n| !n.starts_with("tornado")),
        "{charts:?}"
    );
    let csv = read(&dir.join("sensitivity.csv"));
    assert_eq!(csv.lines().count(), 1, "header only: {csv}");
}

/// Issue 30, fault 7: an in-year balance of +£500m in 2026-27 against about £184m of high-needs
/// spend answered "save £560.9m a year", more than the council spends. A saving cannot exceed the
/// spend it comes off: the target is out of reach, exit 2, saying why.
#[test]
fn goal_beyond_the_spend_is_out_of_reach() {
    let r = dsg(&[
        "goal",
        &scenario("cambridgeshire"),
        "--target",
        "balance.in_year >= 500m in 2026-27",
        "--paths",
        "500",
    ]);
    r.expect_code(2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr.contains("is out of reach") && r.stderr.contains("high-needs spend it comes off"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("£560"), "{}", r.stderr);
    // A negative confidence is a value, not an option `-0` (issue 30, fault 13).
    let negative = dsg(&[
        "goal",
        &scenario("minimal"),
        "--target",
        "balance.cumulative >= -10m in 2030-31",
        "--confidence",
        "-0.1",
    ]);
    negative.expect_code(2);
    assert!(
        negative.stderr.contains("--confidence") && negative.stderr.contains("between 0 and 1"),
        "{}",
        negative.stderr
    );
}
