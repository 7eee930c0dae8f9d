//! The assumptions workbook from the command line (issue 29): a run from the workbook gives the
//! same results as from the TOML, bit for bit; `dsg convert` and `dsg init --xlsx`; a workbook
//! written by Python's openpyxl reads; a malformed workbook exits 2 naming its cell, with
//! nothing written.

mod common;

use std::path::Path;

use common::{arg, dsg, read, scenario, tempdir};

/// `dsg run` of `file` into `out`, 2,000 paths, seed 1, no charts.
fn run(file: &str, out: &Path) {
    dsg(&[
        "run",
        file,
        "--paths",
        "2000",
        "--seed",
        "1",
        "--no-charts",
        "-q",
        "--out",
        &arg(out),
    ])
    .expect_code(0);
}

#[test]
fn a_run_from_the_workbook_matches_the_run_from_toml_bit_for_bit() {
    let dir = tempdir();
    for name in ["minimal", "cambridgeshire"] {
        let book = dir.path().join(format!("{name}.xlsx"));
        dsg(&["convert", &scenario(name), &arg(&book)]).expect_code(0);
        let (a, b) = (
            dir.path().join(format!("{name}-toml")),
            dir.path().join(format!("{name}-xlsx")),
        );
        run(&scenario(name), &a);
        run(&arg(&book), &b);
        for file in ["results.csv", "summary.json", "probabilities.csv"] {
            assert!(
                read(&a.join(file)) == read(&b.join(file)),
                "{name}: {file} differs between the TOML and the workbook"
            );
        }
    }
}

#[test]
fn convert_goes_both_ways_and_init_writes_a_workbook() {
    let dir = tempdir();
    let book = dir.path().join("county.xlsx");
    let back = dir.path().join("county.toml");
    dsg(&["convert", &scenario("cambridgeshire"), &arg(&book)]).expect_code(0);
    dsg(&["convert", &arg(&book), &arg(&back)]).expect_code(0);
    // The TOML written from the workbook is the same scenario as the one shipped.
    let raw = |path: &Path| {
        let text = read(path);
        let parsed = toml::Deserializer::parse(&text).expect("TOML");
        dsg_core::raw::RawScenario::read(parsed).expect("a scenario")
    };
    assert_eq!(raw(&back), raw(Path::new(&scenario("cambridgeshire"))));
    // An existing file is not replaced without --force.
    let again = dsg(&["convert", &scenario("minimal"), &arg(&book)]);
    again.expect_code(2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    dsg(&["convert", &scenario("minimal"), &arg(&book), "--force"]).expect_code(0);
    // dsg init --xlsx, from the template and from a council's published figures.
    let template = dir.path().join("template.xlsx");
    dsg(&["init", "--xlsx", &arg(&template)]).expect_code(0);
    dsg(&["validate", &arg(&template)]).expect_code(0);
    let council = dir.path().join("council.xlsx");
    dsg(&["init", "--la", "Cambridgeshire", "--xlsx", &arg(&council)]).expect_code(0);
    let checked = dsg(&["validate", &arg(&council)]);
    checked.expect_code(0);
    assert!(
        checked.stdout.contains("Cambridgeshire"),
        "{}",
        checked.stdout
    );
}
