//! DfE's public EHC plan statistics (issue 25): the shipped panel against DfE's published national
//! figures, the sums over councils, missing values, re-importing the raw releases byte for byte
//! (when ../shared/data/public is present), and bad inputs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use dsg_data::DataError;
use dsg_data::public::{Collection, Level, Panel, Value, import_files};

/// One row of the shipped panel, as text.
struct Row {
    code: String,
    level: String,
    series: String,
    year: i32,
    value: String,
    missing: String,
    collection: String,
    source_file: String,
}

fn shipped() -> Vec<Row> {
    let path = common::repo().join("data/public/panel.csv");
    let mut r = csv::Reader::from_path(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header, dsg_data::public::HEADER);
    r.records()
        .map(|rec| {
            let rec = rec.expect("a panel row");
            Row {
                code: rec[0].to_string(),
                level: rec[3].to_string(),
                series: rec[4].to_string(),
                year: rec[5].parse().expect("a year"),
                value: rec[6].to_string(),
                missing: rec[7].to_string(),
                collection: rec[8].to_string(),
                source_file: rec[9].to_string(),
            }
        })
        .collect()
}

fn national<'a>(rows: &'a [Row], series: &str, year: i32) -> &'a Row {
    rows.iter()
        .find(|r| r.code == "E92000001" && r.series == series && r.year == year)
        .unwrap_or_else(|| panic!("no national {series} {year}"))
}

const R2022: &str = "education-health-and-care-plans_2022.zip";
const R2025: &str = "education-health-and-care-plans_2025.zip";

#[test]
fn national_rows_equal_dfe_published_figures() {
    let rows = shipped();
    // DfE, "Education, health and care plans", 26 June 2025: 638,745 plans at January 2025;
    // 97,747 new plans in calendar 2024, 46.4% of them within 20 weeks (excluding exceptions).
    let caseload = national(&rows, "caseload", 2025);
    assert_eq!(caseload.value, "638745");
    assert_eq!(caseload.source_file, R2025);
    assert_eq!(caseload.collection, "person-level");
    assert_eq!(national(&rows, "new_plans", 2024).value, "97747");
    assert_eq!(national(&rows, "within_20_weeks_pct", 2024).value, "46.4");
    // The share from the counts: 39,407 of 84,866 = 46.43%.
    let within: f64 = national(&rows, "within_20_weeks", 2024)
        .value
        .parse()
        .unwrap();
    let issued: f64 = national(&rows, "issued_excl_exceptions", 2024)
        .value
        .parse()
        .unwrap();
    assert_eq!((within, issued), (39407.0, 84866.0));
    assert!((100.0 * within / issued - 46.4).abs() < 0.05);
    // From the 2022 release (the aggregate collection): 319,819 statements and EHC plans at
    // January 2018; 48,907 new plans in 2018, 60.1% within 20 weeks.
    let jan2018 = national(&rows, "caseload", 2018);
    assert_eq!(
        (jan2018.value.as_str(), jan2018.source_file.as_str()),
        ("319819", R2022)
    );
    assert_eq!(jan2018.collection, "aggregate");
    assert_eq!(national(&rows, "new_plans", 2018).value, "48907");
    assert_eq!(national(&rows, "within_20_weeks_pct", 2018).value, "60.1");
    // Where the releases overlap (January 2019-2022, calendar 2019-2021) the 2025 release is kept.
    assert_eq!(national(&rows, "caseload", 2022).source_file, R2025);
    assert_eq!(national(&rows, "new_plans", 2021).source_file, R2025);
    assert_eq!(national(&rows, "new_plans", 2021).value, "62180");
}

fn la_sum(rows: &[Row], series: &str, year: i32) -> (f64, usize) {
    let las: Vec<&Row> = rows
        .iter()
        .filter(|r| r.level == "la" && r.series == series && r.year == year)
        .collect();
    let sum = las.iter().filter_map(|r| r.value.parse::<f64>().ok()).sum();
    (sum, las.iter().filter(|r| r.value.is_empty()).count())
}

#[test]
fn councils_add_up_to_england() {
    let rows = shipped();
    // January 2025: 153 councils, none suppressed, adding up exactly.
    assert_eq!(la_sum(&rows, "caseload", 2025), (638_745.0, 0));
    assert_eq!(la_sum(&rows, "new_plans", 2024), (97_747.0, 0));
    assert_eq!(la_sum(&rows, "caseload", 2018), (319_819.0, 0));
    // Calendar 2022: Yorkshire and The Humber's 15 councils each carry the region's 6,078 new
    // plans in the 2025 release (a publication error): read as missing, not as 15 x 6,078.
    let (sum, missing) = la_sum(&rows, "new_plans", 2022);
    assert_eq!(missing, 15);
    assert_eq!(sum, 66_706.0 - 6_078.0);
}

#[test]
fn dfe_symbols_are_missing_not_zero() {
    let rows = shipped();
    // Requests for assessment were not collected in 2014 (`z` in sen2_mi.csv).
    let r = national(&rows, "requests", 2014);
    assert_eq!((r.value.as_str(), r.missing.as_str()), ("", "z"));
    assert!(
        rows.iter()
            .all(|r| r.value.is_empty() != r.missing.is_empty())
    );
}

#[test]
fn boundary_and_code_changes() {
    let rows = shipped();
    let years = |code: &str| {
        let mut y: Vec<i32> = rows
            .iter()
            .filter(|r| r.code == code && r.series == "caseload")
            .map(|r| r.year)
            .collect();
        y.sort_unstable();
        y
    };
    // Cumbria counted to January 2023, Cumberland from January 2024.
    assert_eq!(years("E10000006").last(), Some(&2023));
    assert_eq!(years("E06000063").first(), Some(&2024));
    // Northamptonshire to January 2021; North Northamptonshire from January 2022.
    assert_eq!(years("E10000021").last(), Some(&2021));
    assert_eq!(years("E06000061").first(), Some(&2022));
    // Bournemouth to January 2019; BCP from January 2020.
    assert_eq!(years("E06000028").last(), Some(&2019));
    assert_eq!(years("E06000058").first(), Some(&2020));
    // Recoded areas under their current code only, every year.
    for old in ["E06000048", "E08000020", "E10000002"] {
        assert!(years(old).is_empty(), "{old} still in the panel");
    }
    assert_eq!(years("E06000060"), (2010..=2025).collect::<Vec<_>>());
    assert_eq!(years("E06000057"), (2010..=2025).collect::<Vec<_>>());
}

#[test]
fn reimporting_the_raw_releases_gives_the_shipped_panel_byte_for_byte() {
    let Some(dir) = common::raw_folder(&[R2022, R2025], "re-import test") else {
        return;
    };
    let start = std::time::Instant::now();
    let import = import_files(&[dir.join(R2022), dir.join(R2025)]).expect("import");
    let seconds = start.elapsed().as_secs_f64();
    eprintln!("both releases imported in {seconds:.2} s");
    assert!(seconds < 10.0, "import took {seconds:.1} s");
    let mut csv = Vec::new();
    import.panel.write_csv(&mut csv).expect("write");
    // The shipped panel's rows from the releases (tests/public_finance.rs re-imports all its
    // files, the DSG allocations and benchmarking extract too).
    let shipped =
        std::fs::read_to_string(common::repo().join("data/public/panel.csv")).expect("shipped");
    let releases: String = shipped
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.contains(",education-health-and-care-plans_"))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    assert!(
        csv == releases.as_bytes(),
        "re-imported panel differs from data/public/panel.csv: rebuild it (README)"
    );
    let england = import
        .panel
        .find("E92000001", "caseload", 2025)
        .expect("row");
    assert_eq!(england.value, Value::Number(638_745.0));
    assert_eq!(england.area.level, Level::National);
    // Given in the other order, the newer release is still kept: the same panel.
    let reversed = import_files(&[dir.join(R2025), dir.join(R2022)]).expect("import");
    assert!(reversed.panel == import.panel);
}

// ---- small files written by the tests ----

const HEADER_2025: &str = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown_topic,breakdown,ehcplans,special_total";

fn caseload_csv(year: &str, rows: &[(&str, &str, &str, &str, &str)]) -> String {
    // (level, code, dfe code, name, values "ehcplans,special_total")
    let mut text = format!("\u{feff}{HEADER_2025}\n");
    for (level, code, dfe, name, values) in rows {
        let geo = match *level {
            "National" => "E92000001,England,,,,,".to_string(),
            "Regional" => format!("E92000001,England,{code},{name},,,"),
            _ => format!("E92000001,England,E12000006,East of England,{code},{dfe},{name}"),
        };
        text.push_str(&format!(
            "{year},Academic year,{level},{geo},All EHC plans,All EHC plans,{values}\n"
        ));
    }
    text
}

fn two_councils(cambs: &str, pboro: &str) -> String {
    caseload_csv(
        "202425",
        &[
            ("National", "", "", "", "300,120"),
            ("Regional", "E12000006", "", "East of England", "300,120"),
            (
                "Local authority",
                "E10000003",
                "873",
                "Cambridgeshire",
                cambs,
            ),
            ("Local authority", "E06000031", "874", "Peterborough", pboro),
        ],
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary folder")
}

#[test]
fn a_csv_from_the_zip_is_read_by_column_name() {
    let dir = tempdir();
    let text = two_councils("200,x", "100,low");
    // A characteristic row is skipped, whatever it holds.
    let text = format!(
        "{text}202425,Academic year,Local authority,E92000001,England,E12000006,East of England,E06000031,874,Peterborough,Sex,Female,40,z\n"
    );
    let import = import_files(&[write(dir.path(), "caseload.csv", &text)]).expect("import");
    let p = &import.panel;
    let value = |code: &str, series: &str| p.find(code, series, 2025).map(|r| r.value.clone());
    assert_eq!(value("E10000003", "caseload"), Some(Value::Number(200.0)));
    assert_eq!(value("E06000031", "caseload"), Some(Value::Number(100.0)));
    assert_eq!(
        value("E10000003", "caseload.special"),
        Some(Value::Missing("x".into()))
    );
    assert_eq!(
        value("E06000031", "caseload.special"),
        Some(Value::Missing("low".into()))
    );
    let row = p.find("E10000003", "caseload", 2025).expect("row");
    assert_eq!(row.area.dfe_code, "873");
    assert_eq!(row.collection, Collection::PersonLevel);
    assert_eq!(
        (row.source_file.as_str(), row.source_table.as_str()),
        ("caseload.csv", "caseload.csv")
    );
    assert_eq!(p.rows.len(), 8);
    assert_eq!(import.sources[0].release, 2025);
    // Optional placement columns not in the file are noted, not refused.
    assert!(
        import
            .notes
            .iter()
            .any(|n| n.contains("no column mainstream_total")),
        "{:?}",
        import.notes
    );
}

#[test]
fn unknown_columns_and_codes_are_notes() {
    let dir = tempdir();
    let text = two_councils("200,80", "100,40")
        .replace("special_total\n", "special_total,special_academy\n")
        .replace(",120\n", ",120,5\n")
        .replace(",80\n", ",80,3\n")
        .replace(",40\n", ",40,2\n");
    let text = format!(
        "{text}202425,Academic year,Ward,E92000001,England,E12000006,East of England,E05000001,,Somewhere,All EHC plans,All EHC plans,1,1,1\n\
         202425,Academic year,National,E92000001,England,,,,,,Down syndrome,All,1,1,1\n"
    );
    let import = import_files(&[write(dir.path(), "caseload.csv", &text)]).expect("import");
    let notes = import.notes.join("\n");
    assert!(
        notes.contains("columns not known to the importer, not imported: special_academy"),
        "{notes}"
    );
    assert!(notes.contains("geographic level `Ward`"), "{notes}");
    assert!(notes.contains("`Down syndrome` not known"), "{notes}");
    assert_eq!(import.panel.rows.len(), 8);
}

#[test]
fn the_newer_release_is_kept_where_releases_overlap() {
    let dir = tempdir();
    std::fs::create_dir(dir.path().join("old")).unwrap();
    std::fs::create_dir(dir.path().join("new")).unwrap();
    let old = caseload_csv(
        "202324",
        &[(
            "Local authority",
            "E10000003",
            "873",
            "Cambridgeshire (old)",
            "190,70",
        )],
    );
    let old = format!(
        "{old}202425,Academic year,Local authority,E92000001,England,E12000006,East of England,E10000003,873,Cambridgeshire (old),All EHC plans,All EHC plans,199,79\n"
    );
    let new = caseload_csv(
        "202526",
        &[(
            "Local authority",
            "E10000003",
            "873",
            "Cambridgeshire",
            "220,90",
        )],
    );
    let new = format!(
        "{new}202425,Academic year,Local authority,E92000001,England,E12000006,East of England,E10000003,873,Cambridgeshire,All EHC plans,All EHC plans,200,80\n"
    );
    let old = write(&dir.path().join("old"), "caseload.csv", &old);
    let new = write(&dir.path().join("new"), "caseload.csv", &new);
    for order in [[old.clone(), new.clone()], [new.clone(), old.clone()]] {
        let import = import_files(&order).expect("import");
        let p = &import.panel;
        assert_eq!(
            p.find("E10000003", "caseload", 2024).unwrap().value,
            Value::Number(190.0)
        );
        assert_eq!(
            p.find("E10000003", "caseload", 2025).unwrap().value,
            Value::Number(200.0)
        );
        assert_eq!(
            p.find("E10000003", "caseload", 2026).unwrap().value,
            Value::Number(220.0)
        );
        // One spelling of the name throughout: the newest release's.
        assert!(p.rows.iter().all(|r| r.area.name == "Cambridgeshire"));
        assert!(
            import
                .notes
                .iter()
                .any(|n| n.contains("2 values of caseload.csv replaced")),
            "{:?}",
            import.notes
        );
    }
}

#[test]
fn councils_repeating_their_region_total_are_missing() {
    let dir = tempdir();
    let text = two_councils("300,120", "300,10");
    let import = import_files(&[write(dir.path(), "caseload.csv", &text)]).expect("import");
    let p = &import.panel;
    assert_eq!(
        p.find("E10000003", "caseload", 2025).unwrap().value,
        Value::Missing("region-total".into())
    );
    assert_eq!(
        p.find("E06000031", "caseload", 2025).unwrap().value,
        Value::Missing("region-total".into())
    );
    // One council equal to its region (the other none) is not an error.
    assert_eq!(
        p.find("E10000003", "caseload.special", 2025).unwrap().value,
        Value::Number(120.0)
    );
}

fn zip_of(path: &Path, entries: &[(&str, &str)]) {
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    for (name, text) in entries {
        zip.start_file(*name, options).expect("entry");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.finish().expect("finish");
}

#[test]
fn a_release_zip_is_read_and_damage_refused() {
    let dir = tempdir();
    let zip = dir.path().join("education-health-and-care-plans_2025.zip");
    zip_of(
        &zip,
        &[
            ("data/caseload.csv", &two_councils("200,80", "100,40")),
            ("data/annual_reviews.csv", "a,b\n1,2\n"),
            ("data-guidance/data-guidance.txt", "guidance"),
        ],
    );
    let import = import_files(std::slice::from_ref(&zip)).expect("import");
    assert_eq!(
        import
            .panel
            .find("E92000001", "caseload", 2025)
            .unwrap()
            .value,
        Value::Number(300.0)
    );
    assert_eq!(import.panel.rows[0].source_table, "caseload.csv");
    assert_eq!(import.sources[0].tables, ["data/caseload.csv"]);
    assert!(
        import
            .notes
            .iter()
            .any(|n| n.ends_with("not imported: annual_reviews.csv"))
    );
    // Truncated: the archive's directory at its end is gone.
    let bytes = std::fs::read(&zip).unwrap();
    let cut = dir.path().join("cut.zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = import_files(&[cut]).unwrap_err();
    assert!(matches!(err, DataError::Archive { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("cut.zip: cannot read the zip archive"),
        "{err}"
    );
    // A zip of something else.
    let other = dir.path().join("other.zip");
    zip_of(&other, &[("notes.txt", "hello")]);
    let err = import_files(&[other]).unwrap_err();
    assert!(matches!(err, DataError::UnknownFile { .. }), "{err}");
}

#[test]
fn a_renamed_file_or_missing_column_is_refused_naming_it() {
    let dir = tempdir();
    let renamed = write(
        dir.path(),
        "caseload-2025.csv",
        &two_councils("200,80", "100,40"),
    );
    let err = import_files(&[renamed]).unwrap_err();
    assert!(matches!(err, DataError::UnknownFile { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("caseload-2025.csv: not a table the importer knows"),
        "{err}"
    );
    let text = two_councils("200,80", "100,40").replace("ehcplans", "plans");
    let err = import_files(&[write(dir.path(), "caseload.csv", &text)]).unwrap_err();
    assert!(matches!(err, DataError::MissingColumns { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("caseload.csv, row 1: no column `ehcplans`"),
        "{err}"
    );
    let text = two_councils("200,80", "100,40").replace("202425,", "2024-25,");
    let err = import_files(&[write(dir.path(), "caseload.csv", &text)]).unwrap_err();
    assert!(
        err.to_string().contains("row 2: column time_period"),
        "{err}"
    );
}

#[test]
fn an_empty_panel_writes_its_header() {
    let mut out = Vec::new();
    Panel::default().write_csv(&mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "area_code,dfe_code,name,level,series,year,value,missing,collection,source_file,source_table\n"
    );
}

#[test]
fn special_school_types_add_up_to_special_schools() {
    // Hospital schools are counted with LA maintained special schools, and special academies and
    // free schools published apart (2012-2016 in the 2022 release) add into one series: then the
    // four types make up the special-school total in every year, in both releases.
    let rows = shipped();
    let parts = [
        "caseload.special_la_maintained",
        "caseload.special_academy_free",
        "caseload.special_independent",
        "caseload.special_non_maintained",
    ];
    for year in 2010..=2025 {
        let total: f64 = national(&rows, "caseload.special", year)
            .value
            .parse()
            .unwrap();
        let sum: f64 = rows
            .iter()
            .filter(|r| {
                r.code == "E92000001" && r.year == year && parts.contains(&r.series.as_str())
            })
            .map(|r| r.value.parse::<f64>().unwrap())
            .sum();
        assert_eq!(sum, total, "{year}");
    }
    // January 2018 by hand: 82,669 + 90 (hospital) + 28,718 + 11,785 + 3,698 = 126,960.
    assert_eq!(
        national(&rows, "caseload.special_la_maintained", 2018).value,
        "82759"
    );
    assert_eq!(national(&rows, "caseload.special", 2018).value, "126960");
}

#[test]
fn an_unknown_symbol_is_missing_and_noted() {
    let dir = tempdir();
    let text = two_councils("200,..", "100,0");
    let import = import_files(&[write(dir.path(), "caseload.csv", &text)]).expect("import");
    let p = &import.panel;
    assert_eq!(
        p.find("E10000003", "caseload.special", 2025).unwrap().value,
        Value::Missing("..".into())
    );
    // A published zero stays a zero.
    assert_eq!(
        p.find("E06000031", "caseload.special", 2025).unwrap().value,
        Value::Number(0.0)
    );
    assert!(
        import
            .notes
            .iter()
            .any(|n| n.contains("column special_total: values that are neither numbers")),
        "{:?}",
        import.notes
    );
}

#[test]
fn text_a_spreadsheet_would_run_is_written_inert() {
    let dir = tempdir();
    let text = two_councils("200,80", "100,=1+1")
        .replace("Peterborough", "\"=HYPERLINK(\"\"http://x\"\")\"");
    let import = import_files(&[write(dir.path(), "caseload.csv", &text)]).expect("import");
    let mut out = Vec::new();
    import.panel.write_csv(&mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("E06000031,874,\"'=HYPERLINK(\"\"http://x\"\")\",la,caseload,2025,100,"),
        "{out}"
    );
    assert!(out.contains(",caseload.special,2025,,'=1+1,"), "{out}");
    assert!(!out.contains(",=") && !out.contains("\"="), "{out}");
}
