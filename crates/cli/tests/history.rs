//! `dsg calibrate` and `dsg backtest` end to end: outputs, bad history files (exit 2 naming the
//! file, line and column, nothing written), no NaN or infinity in any output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

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

#[test]
fn calibrate_fits_plans_with_the_pooled_model() {
    // England's count follows the councils' growth: the input is the pooled model's, with its
    // level drawn once a path; the fit says so.
    let dir = tempdir();
    let out = dir.path().join("cal");
    let run = dsg(&[
        "calibrate",
        &england(),
        "--area",
        "E92000001",
        "--out",
        &arg(&out),
    ]);
    run.expect_code(0);
    assert!(run.stdout.contains("pooled growth model"), "{}", run.stdout);
    assert!(run.stdout.contains("total of councils"));
    let fit: serde_json::Value = serde_json::from_str(&read(&out.join("fit.json"))).unwrap();
    assert_eq!(fit[0]["model"], "pooled");
    assert_eq!(fit[0]["pooled"]["deviation"], 0.0);
    let mean = fit[0]["pooled"]["mean"].as_f64().unwrap();
    assert!((0.05..0.15).contains(&mean), "{mean}");
    let fragment = read(&out.join("calibrated.toml"));
    let line = fragment
        .lines()
        .find(|l| l.starts_with("growth = "))
        .expect("a growth line");
    assert!(line.contains("mu = { dist = \"normal\""), "{line}");
    // Without the area named, England joins the councils as one more (its own deviation).
    let joined = dir.path().join("joined");
    dsg(&["calibrate", &england(), "--out", &arg(&joined)]).expect_code(0);
    let fit: serde_json::Value = serde_json::from_str(&read(&joined.join("fit.json"))).unwrap();
    assert_eq!(fit[0]["model"], "pooled");
    assert!(fit[0]["pooled"]["shrinkage"].as_f64().unwrap() > 0.0);
}

/// (origin, horizon) -> PIT of one area's forecasts in a CSV with columns origin, horizon, pit
/// (and area, when `area` is given).
fn pits(path: &std::path::Path, area: Option<&str>) -> std::collections::BTreeMap<(i32, u32), f64> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let head = r.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (o, h, p) = (col("origin"), col("horizon"), col("pit"));
    let a = area.map(|_| col("area"));
    r.records()
        .map(|x| x.unwrap())
        .filter(|x| a.is_none_or(|a| Some(&x[a]) == area))
        .map(|x| {
            (
                (x[o].parse().unwrap(), x[h].parse().unwrap()),
                x[p].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_councils_history_backtest_agrees_with_the_panel_backtest() {
    // Two code paths, one model: the council's own history backtested with the pooled model
    // places each outcome where the panel backtest places it (PIT within the resolution of the
    // 2,000 evenly spaced quantiles the history backtest reads).
    let dir = tempdir();
    let history = dir.path().join("cambs.csv");
    dsg(&[
        "data",
        "history",
        "--la",
        "E10000003",
        "--out",
        &arg(&history),
    ])
    .expect_code(0);
    let bt = dir.path().join("bt");
    dsg(&[
        "backtest",
        &arg(&history),
        "--area",
        "E10000003",
        "--series",
        "caseload",
        "--horizons",
        "3",
        "--paths",
        "2000",
        "--no-charts",
        "--out",
        &arg(&bt),
    ])
    .expect_code(0);
    let panel = dir.path().join("panel");
    dsg(&["backtest", "--panel", "--out", &arg(&panel), "--no-charts"]).expect_code(0);
    let own = pits(&bt.join("backtest.csv"), None);
    let pooled = pits(&panel.join("panel-backtest.csv"), Some("E10000003"));
    let common: Vec<_> = own.keys().filter(|k| pooled.contains_key(k)).collect();
    assert!(common.len() >= 20, "{} forecasts in common", common.len());
    for k in common {
        assert!(
            (own[k] - pooled[k]).abs() < 1e-3,
            "{k:?}: history {} panel {}",
            own[k],
            pooled[k]
        );
    }
    // The one-series model on the same history scores differently.
    let one = dir.path().join("one");
    dsg(&[
        "backtest",
        &arg(&history),
        "--model",
        "one-series",
        "--series",
        "caseload",
        "--horizons",
        "3",
        "--paths",
        "2000",
        "--no-charts",
        "--out",
        &arg(&one),
    ])
    .expect_code(0);
    assert!(read(&one.join("backtest.json")).contains("\"model\": \"one series\""));
    assert_ne!(pits(&one.join("backtest.csv"), None), own);
}
