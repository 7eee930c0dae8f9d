//! `dsg calibrate` and `dsg backtest` end to end: outputs, bad history files (exit 2 naming the
//! file, line and column, nothing written), no NaN or infinity in any output.

mod common;

use common::{arg, dsg, names_in, read, repo_root, tempdir};

fn england() -> String {
    repo_root()
        .join("data/england-ehcp.csv")
        .display()
        .to_string()
}

#[test]
fn calibrate_writes_fragment_fit_and_updated_scenario() {
    let dir = tempdir();
    let out = dir.path().join("cal");
    let scenario = common::scenario("england");
    dsg(&[
        "calibrate",
        &england(),
        "--scenario",
        &scenario,
        "--out",
        &arg(&out),
    ])
    .expect_code(0);
    assert_eq!(
        names_in(&out),
        [
            "calibrated.toml",
            "fit.csv",
            "fit.json",
            "manifest.json",
            "scenario-calibrated.toml"
        ]
    );
    let fragment = read(&out.join("calibrated.toml"));
    assert!(fragment.contains("england-ehcp.csv (SHA-256"));
    assert!(fragment.contains("series break before 2023"));
    // The updated scenario is valid.
    dsg(&["validate", &arg(&out.join("scenario-calibrated.toml"))]).expect_code(0);
    for f in ["fit.json", "fit.csv"] {
        let text = read(&out.join(f));
        assert!(!text.contains("NaN") && !text.contains("inf"), "{f}");
    }
}

#[test]
fn backtest_writes_tables_and_charts() {
    let dir = tempdir();
    let out = dir.path().join("bt");
    let run = dsg(&[
        "backtest",
        &england(),
        "--paths",
        "500",
        "--out",
        &arg(&out),
    ]);
    run.expect_code(0);
    assert!(run.stdout.contains("horizon forecasts"));
    assert_eq!(
        names_in(&out),
        [
            "backtest-fan.png",
            "backtest-fan.svg",
            "backtest.csv",
            "backtest.json",
            "backtest.xlsx",
            "manifest.json",
            "pit.png",
            "pit.svg"
        ]
    );
    let json = read(&out.join("backtest.json"));
    assert!(!json.contains("NaN") && !json.contains("null,"));
}

#[test]
fn bad_history_is_exit_2_with_file_line_and_column() {
    let dir = tempdir();
    let cases = [
        (
            "series,year,value\ncaseload,2019,100\ncaseload,twenty,110\n",
            ":3: column `year`",
        ),
        (
            "series,year,value\ncaseload,2019,100\ncaseload,2020,-5\n",
            ":3: column `value`: must be from 0.001 to 1e13",
        ),
        (
            "series,year,value,colour\n",
            ":1: column `colour`: unknown column",
        ),
        (
            "series,year,value\ncaseload,2019,100\ncaseload,2019,110\n",
            ":3: column `year`: series `caseload` already has 2019",
        ),
        (
            "series,year,value\ncaseload,2019,100\n",
            "no series could be fitted",
        ),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("h{i}.csv"));
        std::fs::write(&file, text).unwrap();
        let out = dir.path().join(format!("out{i}"));
        for command in ["calibrate", "backtest"] {
            let run = dsg(&[command, &arg(&file), "--out", &arg(&out)]);
            run.expect_code(2);
            if !(command == "backtest" && i == 4) {
                assert!(
                    run.stderr.contains(expected),
                    "{command} {text:?}: {}",
                    run.stderr
                );
            }
            assert!(!out.exists(), "nothing is written");
        }
    }
}
