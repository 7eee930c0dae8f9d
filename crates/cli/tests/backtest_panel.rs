//! `dsg backtest --panel` (issue 26, item 2): the pooled growth model's track record over every
//! council's published count of plans: the files agree with each other, --area chooses whose
//! forecasts count, and bad requests are exit 2 with nothing written.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{arg, dsg, names_in, read, tempdir};

/// The `all` row's value of `column` in panel-scores.csv.
fn scores_cell(text: &str, group: &str, key: &str, column: &str) -> f64 {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let i = header.iter().position(|h| *h == column).unwrap();
    let row = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| r[0] == group && r[1] == key)
        .unwrap_or_else(|| panic!("no row {group}/{key}"));
    row[i].parse().unwrap()
}

#[test]
fn the_panel_backtest_writes_scores_that_agree_with_its_forecasts() {
    let dir = tempdir();
    let out = dir.path().join("bt");
    let started = std::time::Instant::now();
    let run = dsg(&["backtest", "--panel", "--out", &arg(&out)]);
    let took = started.elapsed().as_secs_f64();
    run.expect_code(0);
    // The goal: the whole panel in under 30 s (it takes well under 1 s).
    assert!(took < 30.0, "{took:.1} s");
    for f in [
        "panel-backtest.csv",
        "panel-scores.csv",
        "reliability.png",
        "reliability.svg",
        "pit-shares.png",
        "pit-shares.svg",
        "manifest.json",
    ] {
        assert!(names_in(&out).contains(&f.to_string()), "{f}");
    }
    assert!(run.stdout.contains("from 2015") && run.stdout.contains("England"));
    // Recount the 80% range and the upper tail from every forecast's PIT.
    let forecasts = read(&out.join("panel-backtest.csv"));
    let pits: Vec<f64> = forecasts
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap().parse().unwrap())
        .collect();
    assert!(pits.len() > 4000, "{}", pits.len());
    let n = pits.len() as f64;
    let inside = pits.iter().filter(|p| (0.1..=0.9).contains(*p)).count() as f64 / n;
    let above = pits.iter().filter(|p| **p > 0.9).count() as f64 / n;
    let scores = read(&out.join("panel-scores.csv"));
    assert!((scores_cell(&scores, "all", "", "coverage_80") - inside).abs() < 1e-6);
    assert!((scores_cell(&scores, "all", "", "above_p90") - above).abs() < 1e-6);
    // The goal, as written to the file.
    assert!((0.77..=0.83).contains(&inside), "{inside}");
    // Per area: Cambridgeshire's row is there with its name.
    assert!(
        scores.contains("area,E10000003,") && scores.contains("Cambridgeshire"),
        "no Cambridgeshire row"
    );
    let svg = read(&out.join("reliability.svg"));
    assert!(svg.contains("How often the forecast ranges held what happened"));
    let count = pits.len();
    let thousands = format!("{},{:03}", count / 1000, count % 1000);
    assert!(
        svg.contains(&format!("{thousands} forecasts")),
        "{thousands}"
    );
}

#[test]
fn area_chooses_whose_forecasts_count_and_the_fit_still_uses_every_council() {
    let run = dsg(&[
        "backtest",
        "--panel",
        "--area",
        "E10000003",
        "--origins",
        "2017-2022",
        "--quiet",
    ]);
    run.expect_code(0);
    // Six origins, three horizons, outcomes to 2025: 6 + 6 + 6 = 18 forecasts.
    assert!(run.stdout.starts_with("18 forecasts:"), "{}", run.stdout);
}

#[test]
fn bad_requests_are_exit_2_with_nothing_written() {
    let dir = tempdir();
    let out = dir.path().join("bt");
    for args in [
        vec!["backtest", "--panel", "--origins", "2022-2014"],
        vec!["backtest", "--panel", "--origins", "last year"],
        vec!["backtest", "--panel", "--area", "E99999999"],
        vec!["backtest", "--panel", "--horizons", "0"],
        vec!["backtest", "--panel", "--origins", "2030-2031"],
        vec!["backtest", "--panel", "--origins", "2000-2005"],
        vec![
            "backtest",
            "--panel",
            "--panel-file",
            "/nonexistent/panel.csv",
        ],
    ] {
        let mut args: Vec<String> = args.into_iter().map(String::from).collect();
        args.extend(["--out".to_string(), arg(&out)]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = dsg(&refs);
        run.expect_code(2);
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
    // --panel with a history file, or a simulation setting, is refused by the parser.
    dsg(&["backtest", "--panel", "history.csv"]).expect_code(2);
    dsg(&["backtest", "--panel", "--paths", "1000"]).expect_code(2);
}

/// `--by-age` (issue 28): each band's scores and every forecast, agreeing with each other, and a
/// manifest; --area chooses whose forecasts count.
#[test]
fn by_age_writes_each_band_s_scores_and_forecasts() {
    let dir = tempdir();
    let out = dir.path().join("age");
    let run = dsg(&["backtest", "--panel", "--by-age", "--out", &arg(&out)]);
    run.expect_code(0);
    assert_eq!(
        names_in(&out),
        ["age-backtest.csv", "age-scores.csv", "manifest.json"]
    );
    assert!(run.stdout.contains("20-25") && run.stdout.contains("held at the origin"));
    let manifest = read(&out.join("manifest.json"));
    assert!(
        manifest.contains("\"backtest --panel --by-age\"")
            && manifest.contains("caseload.age.16_19")
    );
    // Recount the 90% coverage of 11-15 from its forecasts.
    let forecasts = read(&out.join("age-backtest.csv"));
    let pits: Vec<f64> = forecasts
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("11-15,"))
        .map(|l| l.split(',').nth(4).unwrap().parse().unwrap())
        .collect();
    assert!(pits.len() > 3000, "{}", pits.len());
    let inside =
        pits.iter().filter(|p| (0.05..=0.95).contains(*p)).count() as f64 / pits.len() as f64;
    let scores = read(&out.join("age-scores.csv"));
    let row = scores
        .lines()
        .find(|l| l.starts_with("11-15,projected,all,,"))
        .unwrap();
    let cell: f64 = row.split(',').nth(7).unwrap().parse().unwrap();
    assert!((cell - inside).abs() < 1e-6, "{cell} {inside}");
    assert!(scores.lines().any(|l| l.starts_with("0-4,held,horizon,3,")));
    // One council, origins 2017-2022: three outcomes from 2017-2019, two from 2020-2022 (none in
    // 2023): 15.
    let run = dsg(&[
        "backtest",
        "--panel",
        "--by-age",
        "--area",
        "E10000003",
        "--origins",
        "2017-2022",
        "--quiet",
    ]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("0-4: 15 forecasts:"),
        "{}",
        run.stdout
    );
    // --by-age needs --panel; an origin with no bands scores nothing.
    dsg(&["backtest", "--by-age", "history.csv"]).expect_code(2);
    let run = dsg(&[
        "backtest",
        "--panel",
        "--by-age",
        "--origins",
        "2023",
        "--out",
        &arg(&out.join("x")),
    ]);
    run.expect_code(2);
    assert!(!out.join("x").exists());
}
