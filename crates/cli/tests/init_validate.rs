//! End-to-end tests of `dsg init` and `dsg validate`.

mod common;

use common::{arg, dsg, dsg_in, read, scenario, tempdir};

#[test]
fn init_writes_a_scenario_that_validates_and_runs() {
    let tmp = tempdir();
    for template in ["minimal", "county", "england"] {
        let file = format!("{template}.toml");
        let r = dsg_in(tmp.path(), &["init", "--template", template, &file]);
        r.expect_code(0);
        assert!(r.stdout.contains(&format!("Wrote {file}")), "{}", r.stdout);
        let text = read(&tmp.path().join(&file));
        assert!(text.starts_with("# Written by `dsg init"), "{text}");
        let v = dsg_in(tmp.path(), &["validate", &file]);
        v.expect_code(0);
        assert!(v.stdout.contains(&format!("{file}: OK")), "{}", v.stdout);
    }
    dsg_in(
        tmp.path(),
        &["run", "county.toml", "--paths", "500", "--quiet"],
    )
    .expect_code(0);
}

#[test]
fn init_defaults_to_the_minimal_template() {
    let tmp = tempdir();
    dsg_in(tmp.path(), &["init", "new.toml"]).expect_code(0);
    assert!(read(&tmp.path().join("new.toml")).contains("name = \"Minimal"));
}

#[test]
fn init_never_overwrites_a_file() {
    let tmp = tempdir();
    let path = tmp.path().join("mine.toml");
    std::fs::write(&path, "my own work").unwrap_or_else(|e| panic!("{e}"));
    let r = dsg(&["init", &arg(&path)]);
    r.expect_code(2);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert_eq!(read(&path), "my own work");
}

#[test]
fn init_refuses_a_missing_folder_and_an_unknown_template() {
    let tmp = tempdir();
    let r = dsg(&["init", &arg(&tmp.path().join("nowhere/new.toml"))]);
    r.expect_code(2);
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
    let r = dsg(&[
        "init",
        "--template",
        "city",
        &arg(&tmp.path().join("x.toml")),
    ]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("minimal"),
        "lists the templates: {}",
        r.stderr
    );
    assert!(
        std::fs::read_dir(tmp.path())
            .map(|d| d.count())
            .unwrap_or(1)
            == 0
    );
}

#[test]
fn validate_says_ok_or_lists_the_problems() {
    let r = dsg(&["validate", &scenario("minimal"), &scenario("benchmark")]);
    r.expect_code(0);
    assert_eq!(r.stdout.matches(": OK").count(), 2, "{}", r.stdout);
    let tmp = tempdir();
    let bad = tmp.path().join("bad.toml");
    let text = read(std::path::Path::new(&scenario("minimal")))
        .replace("unit_cost = 25000", "unit_cost = -1");
    std::fs::write(&bad, text).unwrap_or_else(|e| panic!("{e}"));
    let r = dsg(&["validate", &scenario("minimal"), &arg(&bad)]);
    r.expect_code(2);
    assert!(r.stdout.contains("minimal.toml: OK"), "{}", r.stdout);
    assert!(
        r.stderr.contains("bad.toml") && r.stderr.contains("`provisions[0].unit_cost`"),
        "{}",
        r.stderr
    );
    dsg(&["validate"]).expect_code(2);
}

/// Plausibility warnings: accepted (exit 0) but each named with its file, line and key.
#[test]
fn implausible_values_are_warned_about_but_accepted() {
    let tmp = tempdir();
    let text = std::fs::read_to_string(scenario("minimal")).unwrap_or_else(|e| panic!("{e}"));
    let cases = [
        (
            "growth = 0.12 ",
            "growth = 12 ",
            "demand.growth",
            "did you mean 0.12",
        ),
        (
            "unit_cost = 25000",
            "unit_cost = 2000000",
            "provisions[0].unit_cost",
            "above £1m",
        ),
        (
            "caseload = 2000 ",
            "caseload = 3000000 ",
            "provisions[0].caseload",
            "more than England",
        ),
        (
            "allocation = 50000000 ",
            "allocation = 200000000000 ",
            "funding.allocation",
            "above £100bn",
        ),
    ];
    for (from, to, key, says) in cases {
        assert!(text.contains(from), "{from}");
        let path = tmp.path().join("w.toml");
        std::fs::write(&path, text.replace(from, to)).unwrap_or_else(|e| panic!("{e}"));
        let file = path.display().to_string();
        for args in [
            vec!["validate", file.as_str()],
            vec!["run", file.as_str(), "--paths", "50", "--quiet"],
        ] {
            let r = dsg(&args);
            r.expect_code(0);
            assert!(
                r.stderr.contains("warning: ")
                    && r.stderr.contains(&format!("`{key}`"))
                    && r.stderr.contains(says),
                "{to}: {}",
                r.stderr
            );
            assert!(r.stderr.contains("w.toml:"), "{}", r.stderr);
        }
    }
    // The shipped scenarios draw no warning.
    for name in ["minimal", "benchmark", "cambridgeshire", "england"] {
        let r = dsg(&["validate", &scenario(name)]);
        r.expect_code(0);
        assert!(!r.stderr.contains("warning"), "{name}: {}", r.stderr);
    }
}
