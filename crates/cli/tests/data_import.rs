//! `dsg data import` end to end: the panel, manifest and provenance note written into --out;
//! bad inputs (a truncated zip, .ods or .xlsx, a renamed file, a CSV or sheet missing a column)
//! refused with exit 2, naming the file (and column), nothing written.

mod common;

use std::path::{Path, PathBuf};

use common::{arg, dsg, json, names_in, read, repo_root, tempdir};

const CASELOAD: &str = "\u{feff}time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown_topic,breakdown,ehcplans,special_total
202425,Academic year,National,E92000001,England,,,,,,All EHC plans,All EHC plans,300,120
202425,Academic year,Regional,E92000001,England,E12000006,East of England,,,,All EHC plans,All EHC plans,300,120
202425,Academic year,Local authority,E92000001,England,E12000006,East of England,E10000003,873,Cambridgeshire,All EHC plans,All EHC plans,200,x
202425,Academic year,Local authority,E92000001,England,E12000006,East of England,E06000031,874,Peterborough,All EHC plans,All EHC plans,100,z
";

fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path
}

#[test]
fn import_writes_panel_manifest_and_note() {
    let dir = tempdir();
    let csv = write(dir.path(), "caseload.csv", CASELOAD.as_bytes());
    let out = dir.path().join("public");
    let run = dsg(&["data", "import", &arg(&csv), "--out", &arg(&out)]);
    run.expect_code(0);
    assert!(run.stdout.contains("Imported 1 file(s)"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("note: caseload.csv: no column mainstream_total"),
        "{}",
        run.stderr
    );
    assert_eq!(names_in(&out), ["README.md", "manifest.json", "panel.csv"]);
    let panel = read(&out.join("panel.csv"));
    let lines: Vec<&str> = panel.lines().collect();
    assert_eq!(
        lines[0],
        "area_code,dfe_code,name,level,series,year,value,missing,collection,source_file,source_table"
    );
    assert_eq!(lines.len(), 9);
    assert!(lines.contains(
        &"E10000003,873,Cambridgeshire,la,caseload,2025,200,,person-level,caseload.csv,caseload.csv"
    ));
    assert!(lines.contains(&"E10000003,873,Cambridgeshire,la,caseload.special,2025,,x,person-level,caseload.csv,caseload.csv"));
    assert!(lines.contains(&"E06000031,874,Peterborough,la,caseload.special,2025,,z,person-level,caseload.csv,caseload.csv"));
    let manifest = json(&out.join("manifest.json"));
    assert_eq!(manifest["command"], "data import");
    assert_eq!(manifest["inputs"][0]["file"], "caseload.csv");
    // SHA-256 of the input's bytes (sha256sum of the CASELOAD text).
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(CASELOAD.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(manifest["inputs"][0]["sha256"], digest.as_str());
    assert_eq!(manifest["panel"]["rows"], 8);
    let note = read(&out.join("README.md"));
    assert!(note.contains("Open Government Licence v3.0"));
    assert!(note.contains(&digest));
    // Again into the same folder: earlier results replaced.
    dsg(&["data", "import", &arg(&csv), "--out", &arg(&out)]).expect_code(0);
    assert_eq!(read(&out.join("panel.csv")), panel);
}

#[test]
fn without_out_nothing_is_written() {
    let dir = tempdir();
    let csv = write(dir.path(), "caseload.csv", CASELOAD.as_bytes());
    let run = dsg(&["data", "import", &arg(&csv)]);
    run.expect_code(0);
    assert!(run.stdout.contains("Nothing written"), "{}", run.stdout);
    assert_eq!(names_in(dir.path()), ["caseload.csv"]);
}

/// Runs an import of `file` into a new folder: exit 2, the message contains `expect`, nothing
/// written.
fn refused(dir: &Path, file: &Path, expect: &[&str]) {
    let out = dir.join("out");
    let run = dsg(&["data", "import", &arg(file), "--out", &arg(&out)]);
    run.expect_code(2);
    for e in expect {
        assert!(run.stderr.contains(e), "expected `{e}` in:\n{}", run.stderr);
    }
    assert!(!out.exists(), "nothing is written");
    assert!(
        names_in(dir).iter().all(|n| !n.starts_with(".out")),
        "no staging folder left: {:?}",
        names_in(dir)
    );
}

#[test]
fn bad_inputs_exit_2_naming_the_file_and_writing_nothing() {
    let dir = tempdir();
    // A zip cut short (its directory, at the end, is gone).
    let cut = write(
        dir.path(),
        "education-health-and-care-plans_2025.zip",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00truncated",
    );
    refused(
        dir.path(),
        &cut,
        &["education-health-and-care-plans_2025.zip: cannot read the zip archive"],
    );
    // A renamed file.
    let renamed = write(dir.path(), "caseload_2025.csv", CASELOAD.as_bytes());
    refused(
        dir.path(),
        &renamed,
        &["caseload_2025.csv: not a table the importer knows"],
    );
    // A CSV without a column it needs.
    let text = CASELOAD.replace("ehcplans", "ehc_plans");
    let missing = write(dir.path(), "caseload.csv", text.as_bytes());
    refused(
        dir.path(),
        &missing,
        &["caseload.csv, row 1: no column `ehcplans`"],
    );
    // A file of another kind.
    let other = write(dir.path(), "caseload.xlsx", b"not a workbook");
    refused(
        dir.path(),
        &other,
        &["caseload.xlsx: cannot read the workbook: not a spreadsheet"],
    );
    // A file that is not there.
    refused(
        dir.path(),
        &dir.path().join("absent.zip"),
        &["absent.zip: cannot read it"],
    );
}

#[test]
fn the_real_release_truncated_is_refused() {
    let raw = std::env::var_os("DSG_PUBLIC_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data/public"));
    let Ok(bytes) = std::fs::read(raw.join("education-health-and-care-plans_2025.zip")) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but {} is missing",
            raw.display()
        );
        eprintln!(
            "note: {} not found (set DSG_PUBLIC_DATA): test skipped",
            raw.display()
        );
        return;
    };
    let dir = tempdir();
    let cut = write(
        dir.path(),
        "education-health-and-care-plans_2025.zip",
        &bytes[..bytes.len() - 1000],
    );
    refused(
        dir.path(),
        &cut,
        &["education-health-and-care-plans_2025.zip: cannot read the zip archive"],
    );
}

#[test]
fn damaged_or_incomplete_spreadsheets_exit_2_naming_the_file() {
    let dir = tempdir();
    // An allocations file cut short: its zip directory, at the end, is gone.
    let cut = write(
        dir.path(),
        "dedicated-schools-grant_2024_07_20.ods",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00truncated",
    );
    refused(
        dir.path(),
        &cut,
        &[
            "dedicated-schools-grant_2024_07_20.ods: cannot read the workbook",
            "damaged or truncated",
        ],
    );
    // A benchmarking sheet whose header has no `LA name`.
    let path = dir.path().join("hn.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, c, t) in [
        (0, 0, "Year"),
        (0, 1, "2021-22"),
        (1, 2, "Section 251 budget"),
        (2, 2, "Place funding"),
        (3, 0, "LA code"),
        (3, 1, "Authority"),
    ] {
        ws.write_string(r, c, t).expect("cell");
    }
    ws.write_number(4, 0, 873.0).expect("cell");
    wb.save(&path).expect("save");
    refused(
        dir.path(),
        &path,
        &["hn.xlsx: sheet Sheet1, row 4: no column `LA name`"],
    );
}

#[test]
fn the_real_spreadsheets_truncated_are_refused() {
    let raw = std::env::var_os("DSG_PUBLIC_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data/public"));
    for name in [
        "dedicated-schools-grant_2024_07_20.ods",
        "high-needs-benchmarking-outturn-2021-22.xlsx",
    ] {
        let Ok(bytes) = std::fs::read(raw.join(name)) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but {} is missing",
                raw.display()
            );
            eprintln!(
                "note: {} not found (set DSG_PUBLIC_DATA): skipped",
                raw.display()
            );
            return;
        };
        let dir = tempdir();
        let cut = write(dir.path(), name, &bytes[..bytes.len() - 1000]);
        refused(
            dir.path(),
            &cut,
            &[&format!("{name}: cannot read the workbook")],
        );
        // Whole, it imports.
        let whole = write(dir.path(), name, &bytes);
        let run = dsg(&["data", "import", &arg(&whole)]);
        run.expect_code(0);
        assert!(run.stdout.contains("Imported 1 file(s)"), "{}", run.stdout);
    }
}
