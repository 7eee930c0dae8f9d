//! `dsg init --la`: a scenario from a council's own published figures (issue 25, item 5): the
//! file validates and runs, opens from the council's count, and every bad request (an unknown,
//! ambiguous or ended council, a year without figures, an existing file) is exit 2 with nothing
//! written.

mod common;

use common::{arg, dsg, names_in, read, tempdir};

#[test]
fn a_council_by_name_gives_a_scenario_that_runs() {
    let dir = tempdir();
    let path = dir.path().join("cambs.toml");
    let started = std::time::Instant::now();
    let run = dsg(&[
        "init",
        "--la",
        "cambridgeshire county council",
        "--opening-balance",
        "-60m",
        "--reserves",
        "£110m",
        &arg(&path),
    ]);
    let took = started.elapsed().as_secs_f64();
    run.expect_code(0);
    assert!(took < 1.0, "init --la took {took:.2} s (goal: under 1 s)");
    assert!(
        run.stdout.contains("E10000003") && run.stdout.contains("8007 plans"),
        "{}",
        run.stdout
    );
    let text = read(&path);
    // The council's count at January 2025 (DfE caseload.csv: 8,007), the base year it closes,
    // the balance and reserves given, the file and table named.
    assert!(text.contains("base_year = \"2024-25\""), "{text}");
    assert!(text.contains("opening_balance = -60000000"), "{text}");
    assert!(text.contains("usable_reserves = 110000000"), "{text}");
    assert!(
        text.contains("education-health-and-care-plans_2025.zip, caseload.csv"),
        "{text}"
    );
    let caseloads: f64 = text
        .lines()
        .filter_map(|l| l.strip_prefix("caseload = "))
        // The provisions' plans, not their age mixes (`[ages.provisions]`, lists).
        .filter(|v| !v.starts_with('['))
        .map(|v| v.parse::<f64>().unwrap())
        .sum();
    assert_eq!(caseloads, 8007.0);
    // DfE did not publish Cambridgeshire's 2025 placements (x): said, not hidden.
    assert!(run.stderr.contains("not published (x)"), "{}", run.stderr);
    dsg(&["validate", &arg(&path)]).expect_code(0);
    let out = dir.path().join("results");
    dsg(&[
        "run",
        &arg(&path),
        "--paths",
        "200",
        "--no-charts",
        "--no-report",
        "--out",
        &arg(&out),
    ])
    .expect_code(0);
}

#[test]
fn without_a_balance_the_scenario_says_it_is_not_published() {
    let dir = tempdir();
    let path = dir.path().join("e.toml");
    let run = dsg(&["init", "--la", "E06000061", &arg(&path)]);
    run.expect_code(0);
    assert!(
        run.stderr.contains("DSG balance is not published"),
        "{}",
        run.stderr
    );
    let text = read(&path);
    assert!(text.contains("NOT PUBLISHED per council") && text.contains("opening_balance = 0"));
    assert!(text.contains("opening_balance_known = false"), "{text}");
    // Every output then leads with the in-year deficit and says the balance is not known; no
    // cumulative deficit is made up.
    let out = dir.path().join("results");
    let run = dsg(&[
        "run",
        &arg(&path),
        "--paths",
        "200",
        "--no-charts",
        "--out",
        &arg(&out),
    ]);
    run.expect_code(0);
    let report = read(&out.join("report.html"));
    assert!(report.contains("is not known (it is not published per council), so this report states no cumulative deficit"));
    assert!(report.contains("the in-year high-needs deficit is most likely"));
    assert!(!report.contains("the cumulative DSG deficit is most likely"));
    assert!(
        run.stdout
            .contains("The DSG balance at the start is not known"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("In-year deficit in 2027-28 (median)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("Median cumulative"), "{}", run.stdout);
    assert!(
        run.stdout.contains("opening cumulative balance NOT KNOWN"),
        "{}",
        run.stdout
    );
}

#[test]
fn bad_requests_exit_2_and_write_nothing() {
    let dir = tempdir();
    let path = dir.path().join("x.toml");
    let p = arg(&path);
    for (args, says) in [
        (vec!["init", "--la", "Northampton", &p], "did you mean"),
        (
            vec!["init", "--la", "Atlantis", &p],
            "no council matches `Atlantis`",
        ),
        (
            vec!["init", "--la", "Cumbria", &p],
            "Cumberland or Westmorland and Furness",
        ),
        (
            vec!["init", "--la", "873", "--as-at", "2030", &p],
            "no published count of plans for January 2030",
        ),
        (vec!["init", "--la", "England", &p], "not a local authority"),
        (
            vec!["init", "--la", "873", "--opening-balance", "lots", &p],
            "not an amount of money",
        ),
    ] {
        let run = dsg(&args);
        run.expect_code(2);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert!(
            names_in(dir.path()).is_empty(),
            "{args:?} left {:?}",
            names_in(dir.path())
        );
    }
    std::fs::write(&path, "keep me").unwrap();
    dsg(&["init", "--la", "873", &p]).expect_code(2);
    assert_eq!(read(&path), "keep me");
}
