//! Issue 30, fault 5: history values that made `dsg backtest` and `dsg calibrate` write NaN,
//! infinity or `null` (all values 1e308, one year 1e308, values alternating 1e-300 and 1e300)
//! are refused at the boundary: exit 2, an error naming the file, the line and column `value`,
//! nothing on stdout and nothing at `--out` (no hidden staging folder either). A history within
//! the limits whose forecast still overflows (a thousandfold swing every year, fitted on two
//! growths) is refused naming the series, in calibrate (the forecast overflows) and in backtest
//! (a score is not finite).

mod common;

use common::{arg, dsg, names_in, repo_root, tempdir};

/// `rows` (year, value) of series `caseload` as a history file's text.
fn history(rows: &[(i32, &str)]) -> String {
    let mut text = String::from("series,year,value\n");
    for (year, value) in rows {
        text.push_str(&format!("caseload,{year},{value}\n"));
    }
    text
}

/// Runs both commands on `text` (saved as `name`) and checks the refusal: exit 2, `expected` on
/// stderr, nothing on stdout, nothing left beside `--out`.
fn refused(name: &str, text: &str, expected: &str) {
    for command in ["backtest", "calibrate"] {
        let dir = tempdir();
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
        let out = dir.path().join("out");
        let mut args = vec![command, "--out"];
        let out_arg = arg(&out);
        args.push(&out_arg);
        let file_arg = arg(&file);
        args.push(&file_arg);
        if command == "backtest" {
            args.extend(["--paths", "200", "--no-charts"]);
        }
        let run = dsg(&args);
        run.expect_code(2);
        assert!(
            run.stderr.contains(expected),
            "{command} {name}: expected {expected:?} in:\n{}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "{command} {name}: nothing on stdout");
        assert_eq!(
            names_in(dir.path()),
            [name],
            "{command} {name}: nothing left"
        );
    }
}

#[test]
fn all_values_1e308_are_refused_naming_the_first_line() {
    let rows: Vec<(i32, &str)> = (2010..2022).map(|y| (y, "1e308")).collect();
    refused(
        "all.csv",
        &history(&rows),
        "all.csv:2: column `value`: must be from 0.001 to 1e13",
    );
}

#[test]
fn one_year_1e308_in_the_shipped_history_is_refused_naming_its_line() {
    let shipped = std::fs::read_to_string(repo_root().join("data/england-ehcp.csv"))
        .unwrap_or_else(|e| panic!("cannot read the shipped history: {e}"));
    // caseload 2020 is on line 14 of the shipped file (8 lines of comments and the header first).
    let line = shipped
        .lines()
        .position(|l| l.starts_with("caseload,2020,"))
        .map(|i| i + 1);
    assert_eq!(line, Some(14));
    let text = shipped.replace("caseload,2020,390100,", "caseload,2020,1e308,");
    assert_ne!(text, shipped);
    refused(
        "one.csv",
        &text,
        "one.csv:14: column `value`: must be from 0.001 to 1e13 (a count or an amount; growth is fitted on logarithms); got 1e308",
    );
}

#[test]
fn values_alternating_1e_minus_300_and_1e300_are_refused() {
    let rows: Vec<(i32, &str)> = (2010..2022)
        .map(|y| (y, if y % 2 == 0 { "1e-300" } else { "1e300" }))
        .collect();
    refused(
        "alternating.csv",
        &history(&rows),
        "alternating.csv:2: column `value`: must be from 0.001 to 1e13 (a count or an amount; growth is fitted on logarithms); got 1e-300",
    );
}

#[test]
fn a_step_beyond_a_thousandfold_is_refused_unless_marked_as_a_break() {
    let rows = [
        (2015, "100"),
        (2016, "110"),
        (2017, "1210000"),
        (2018, "1300000"),
    ];
    refused(
        "step.csv",
        &history(&rows),
        "step.csv:4: column `value`: 1210000 is 11000 times 110 (2016): series `caseload` may rise at most 1000-fold in a year",
    );
}

#[test]
fn a_forecast_that_overflows_is_refused_naming_the_series() {
    // Within every limit, but two growths of +-ln(1000) give sd 9.8 from one degree of freedom:
    // the parameter draws (sd up to 160 times that) overflow the levels in the first year.
    let dir = tempdir();
    let file = dir.path().join("swing.csv");
    let text = history(&[(2010, "1"), (2011, "1000"), (2012, "1")]);
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("cannot write: {e}"));
    let out = dir.path().join("out");
    let run = dsg(&["calibrate", &arg(&file), "--out", &arg(&out)]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("swing.csv: series `caseload`: a simulated level overflows in year 1"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
    assert_eq!(names_in(dir.path()), ["swing.csv"]);
}

#[test]
fn a_backtest_whose_scores_overflow_is_refused_naming_the_series() {
    // Within every limit: thousandfold swings each year. Refitted at 2013 on three growths
    // (sd 8, two degrees of freedom), the one-series model's forecast 6 years on overflows in
    // some paths, and the CRPS of levels kept at the largest finite value is not finite:
    // refused, never written. (The pooled model, the default for plans, shrinks the swings
    // towards the councils' and stays finite.)
    let dir = tempdir();
    let file = dir.path().join("swing.csv");
    let rows: Vec<(i32, &str)> = (2010..2020)
        .map(|y| (y, if y % 2 == 0 { "1" } else { "1000" }))
        .collect();
    std::fs::write(&file, history(&rows)).unwrap_or_else(|e| panic!("cannot write: {e}"));
    let out = dir.path().join("out");
    let run = dsg(&[
        "backtest",
        &arg(&file),
        "--model",
        "one-series",
        "--horizons",
        "10",
        "--no-charts",
        "--out",
        &arg(&out),
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("swing.csv: series `caseload`: the ")
            && run
                .stderr
                .contains("(the history's growths vary too much to forecast); nothing written"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
    assert_eq!(names_in(dir.path()), ["swing.csv"]);
}
