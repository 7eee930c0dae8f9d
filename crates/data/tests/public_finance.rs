//! ESFA's DSG allocation spreadsheets and DfE's high-needs benchmarking extract (issue 25): the
//! shipped panel against the files' own totals and hand-read cells, and small spreadsheets
//! written by the tests for the newer file winning, unknown codes, renamed, damaged and
//! incomplete files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use dsg_data::DataError;
use dsg_data::public::{Collection, Level, Panel, Value, import_files};

/// The shipped panel, read back as (code, series, year) -> (value, missing, source_file).
struct Shipped {
    rows: Vec<csv::StringRecord>,
}

impl Shipped {
    fn load() -> Shipped {
        let path = common::repo().join("data/public/panel.csv");
        let mut r = csv::Reader::from_path(&path).expect("shipped panel");
        Shipped {
            rows: r.records().map(|r| r.expect("row")).collect(),
        }
    }

    fn get(&self, code: &str, series: &str, year: i32) -> &csv::StringRecord {
        let year = year.to_string();
        self.rows
            .iter()
            .find(|r| &r[0] == code && &r[4] == series && r[5] == *year)
            .unwrap_or_else(|| panic!("no row {code} {series} {year}"))
    }

    fn value(&self, code: &str, series: &str, year: i32) -> f64 {
        self.get(code, series, year)[6]
            .parse()
            .unwrap_or_else(|_| panic!("{code} {series} {year} is missing"))
    }

    fn la_sum(&self, series: &str, year: i32) -> (f64, usize) {
        let year = year.to_string();
        let las: Vec<_> = self
            .rows
            .iter()
            .filter(|r| &r[3] == "la" && &r[4] == series && r[5] == *year)
            .collect();
        (
            las.iter().map(|r| r[6].parse::<f64>().unwrap()).sum(),
            las.len(),
        )
    }
}

#[test]
fn high_needs_2023_24_councils_add_up_to_esfa_national_total() {
    let p = Shipped::load();
    // dedicated-schools-grant_2024_07_20.ods, sheet Allocations_summary, row ENGLAND, column [C]
    // "High needs block (£s)" before deductions: 9,952,172,126 (the same figure as the sheet
    // High_needs_block's "Total high needs block before deductions"). 151 councils (no City of
    // London, no Isles of Scilly).
    let national = 9_952_172_126.0;
    assert_eq!(
        p.value("E92000001", "dsg.high_needs_before_deductions", 2023),
        national
    );
    assert_eq!(
        p.la_sum("dsg.high_needs_before_deductions", 2023),
        (national, 151)
    );
    // After deductions ([H]): 8,872,813,235; total DSG before ([E]): 57,135,884,056.
    assert_eq!(p.la_sum("dsg.high_needs", 2023).0, 8_872_813_235.0);
    assert_eq!(p.la_sum("dsg.total", 2023).0, 57_135_884_056.0);
    // 2020-21 (the 2021_11_18 file): 7,063,230,381 over 149 councils.
    assert_eq!(
        p.la_sum("dsg.high_needs_before_deductions", 2020),
        (7_063_230_381.0, 149)
    );
    // Regions as published: Yorkshire and the Humber's total 2023-24.
    assert_eq!(p.value("E12000003", "dsg.total", 2023), 5_634_403_559.0);
    let row = p.get("E92000001", "dsg.total", 2023);
    assert_eq!(&row[8], Collection::Finance.as_str());
    assert_eq!(&row[9], "dedicated-schools-grant_2024_07_20.ods");
    assert_eq!(&row[10], "Allocations_summary");
}

#[test]
fn cambridgeshire_by_hand() {
    let p = Shipped::load();
    let c = |series: &str, year: i32| p.value("E10000003", series, year);
    // dedicated-schools-grant_2024_07_20.ods, Allocations_summary, row 873 Cambridgeshire.
    assert_eq!(c("dsg.schools", 2023), 452_819_986.0);
    assert_eq!(c("dsg.central_school_services", 2023), 5_563_315.0);
    assert_eq!(c("dsg.high_needs_before_deductions", 2023), 104_164_500.0);
    assert_eq!(c("dsg.early_years", 2023), 39_574_161.0);
    assert_eq!(c("dsg.total", 2023), 602_121_962.0);
    assert_eq!(c("dsg.high_needs", 2023), 87_550_665.0);
    assert_eq!(c("dsg.total_after_deductions", 2023), 271_306_829.0);
    // [E] = [A] + [B] + [C] + [D].
    assert_eq!(
        452_819_986.0 + 5_563_315.0 + 104_164_500.0 + 39_574_161.0,
        602_121_962.0
    );
    // 2020-21 (the 2021_11_18 file): high needs before deductions 75,410,195.
    assert_eq!(c("dsg.high_needs_before_deductions", 2020), 75_410_195.0);
    assert_eq!(&p.get("E10000003", "dsg.total", 2023)[1], "873");
    // The benchmarking extract, row 873: 5,292 plans (January 2021, as the EHC plan release's
    // caseload for January 2021), 2,060 of them in mainstream schools.
    assert_eq!(c("benchmark.ehcp", 2021), 5_292.0);
    assert_eq!(c("benchmark.ehcp", 2021), c("caseload", 2021));
    assert_eq!(c("benchmark.ehcp.mainstream", 2021), 2_060.0);
    // Section 251 budget 2021-22: top-up funding for independent settings 14,536,512 = its
    // phases (576,851 + 784,013 + 0 + 99,496 + 61,674 + 13,746,520) less income 732,042.
    assert_eq!(c("s251.budget.top_up_independent", 2021), 14_536_512.0);
    assert_eq!(
        576_851.0 + 784_013.0 + 99_496.0 + 61_674.0 + 13_746_520.0 - 732_042.0,
        14_536_512.0
    );
    assert_eq!(c("s251.budget.top_up_independent_income", 2021), 732_042.0);
    // Outturn 2020-21 (the latest year the sheet's note names): place funding 5,895,816.
    assert_eq!(c("s251.outturn.place", 2020), 5_895_816.0);
    // Formula allocations: every cell #REF! in the published file: missing, never zero.
    let nff = p.get("E10000003", "hn_formula_allocation", 2021);
    assert_eq!((&nff[6], &nff[7]), ("", "#REF!"));
}

#[test]
fn boundary_changes_follow_the_files_years() {
    let p = Shipped::load();
    // 2020-21 allocated to Northamptonshire (928); 2021-22 on to North Northamptonshire (940).
    assert!(p.value("E10000021", "dsg.total", 2020) > 0.0);
    assert!(p.value("E06000061", "dsg.total", 2021) > 0.0);
    assert!(
        p.rows
            .iter()
            .all(|r| !(&r[0] == "E10000021" && r[4].starts_with("dsg.") && &r[5] != "2020"))
    );
    // Cumbria (909) to 2022-23; Cumberland (942) from 2023-24.
    assert!(p.value("E10000006", "dsg.total", 2022) > 0.0);
    assert!(p.value("E06000063", "dsg.total", 2023) > 0.0);
}

// ---- spreadsheets written by the tests ----

fn cell(text: &str) -> String {
    if text.is_empty() {
        return "<table:table-cell/>".into();
    }
    match text.parse::<f64>() {
        Ok(v) => format!(
            "<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{text}</text:p></table:table-cell>"
        ),
        Err(_) => format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{text}</text:p></table:table-cell>"
        ),
    }
}

/// An ODS file at `path` with the sheets given (rows of cells; a number is a float cell), and a
/// far empty cell repeated over a million rows and 16,384 columns after each sheet's rows.
fn ods(path: &Path, sheets: &[(&str, Vec<Vec<String>>)]) {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:spreadsheet>",
    );
    for (name, rows) in sheets {
        xml.push_str(&format!("<table:table table:name=\"{name}\">"));
        for row in rows {
            xml.push_str("<table:table-row>");
            for c in row {
                xml.push_str(&cell(c));
            }
            xml.push_str("</table:table-row>");
        }
        xml.push_str("<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row></table:table>");
    }
    xml.push_str("</office:spreadsheet></office:body></office:document-content>");
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("mimetype", options).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", options).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_string()).collect()
}

/// An allocations summary for 2023-24 as ESFA lays it out: England, Cambridgeshire (high needs
/// `cambs_hn` before deductions), and `extra` rows.
fn summary(cambs_hn: &str, extra: &[Vec<String>]) -> Vec<(&'static str, Vec<Vec<String>>)> {
    let mut rows = vec![
        row(&[
            "Dedicated schools grant: 2023 to 2024 allocations local authority summary",
            "",
            "2023 to 2024 DSG allocations, before recoupment and deductions",
            "",
            "",
            "",
            "",
            "2023 to 2024 DSG allocations, after deductions for academies recoupment",
        ]),
        row(&[
            "",
            "",
            "Schools block (£s)",
            "Central school services block (£s)",
            "High needs block (£s)",
            "Early years block (£s)",
            "Total DSG allocation (£s)",
            "Schools block (£s)",
            "Central school services block allocation (£s)",
            "High needs block allocation (£s)",
            "Early years block (£s)",
            "Total DSG allocation (£s)",
        ]),
        row(&[" ", " ", "[A]", "[B]", "[C]", "[D]", "[E]"]),
        row(&[
            "ENGLAND", "", "400", "10", "100", "40", "550", "200", "10", "80", "40", "330",
        ]),
        row(&[
            "873",
            "Cambridgeshire",
            "300",
            "6",
            cambs_hn,
            "30",
            "400",
            "100",
            "6",
            "50",
            "30",
            "186",
        ]),
    ];
    rows.extend(extra.iter().cloned());
    vec![
        ("Information_2023_to_2024", vec![row(&["", "About"])]),
        ("Allocations_summary", rows),
    ]
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary folder")
}

fn value(panel: &Panel, code: &str, series: &str, year: i32) -> Value {
    panel
        .find(code, series, year)
        .unwrap_or_else(|| panic!("no {code} {series} {year}"))
        .value
        .clone()
}

#[test]
fn an_allocations_file_by_header_name_far_cells_cost_nothing() {
    let dir = tempdir();
    let path = dir.path().join("dedicated-schools-grant_2024_07_20.ods");
    ods(&path, &summary("64", &[]));
    let start = std::time::Instant::now();
    let import = import_files(std::slice::from_ref(&path)).expect("import");
    assert!(start.elapsed().as_secs_f64() < 2.0, "{:?}", start.elapsed());
    let p = &import.panel;
    assert_eq!(
        value(p, "E10000003", "dsg.high_needs_before_deductions", 2023),
        Value::Number(64.0)
    );
    assert_eq!(
        value(p, "E10000003", "dsg.high_needs", 2023),
        Value::Number(50.0)
    );
    assert_eq!(
        value(p, "E92000001", "dsg.total_after_deductions", 2023),
        Value::Number(330.0)
    );
    let england = p.find("E92000001", "dsg.total", 2023).unwrap();
    assert_eq!(england.area.level, Level::National);
    assert_eq!(england.area.name, "England");
    assert_eq!(england.collection, Collection::Finance);
    assert_eq!(import.sources[0].release, 2023);
    assert_eq!(import.sources[0].tables, ["Allocations_summary"]);
    // 7 series for England and Cambridgeshire.
    assert_eq!(p.rows.len(), 14);
}

#[test]
fn the_newer_allocations_file_wins_whatever_the_order() {
    let dir = tempdir();
    let older = dir.path().join("dedicated-schools-grant_2023_03_01.ods");
    let newer = dir.path().join("dedicated-schools-grant_2023_07_20.ods");
    ods(&older, &summary("64", &[]));
    ods(&newer, &summary("65", &[]));
    for files in [
        [older.clone(), newer.clone()],
        [newer.clone(), older.clone()],
    ] {
        let import = import_files(&files).expect("import");
        let row = import
            .panel
            .find("E10000003", "dsg.high_needs_before_deductions", 2023)
            .unwrap();
        assert_eq!(row.value, Value::Number(65.0));
        assert_eq!(row.source_file, "dedicated-schools-grant_2023_07_20.ods");
        assert!(
            import.notes.iter().any(|n| n.starts_with(
                "14 values of dedicated-schools-grant_2023_03_01.ods replaced by the newer release's in dedicated-schools-grant_2023_07_20.ods, 1 of them different"
            )),
            "{:?}",
            import.notes
        );
    }
}

#[test]
fn unknown_codes_and_text_are_noted_not_fatal() {
    let dir = tempdir();
    let path = dir.path().join("dsg.ods");
    let extra = [
        row(&[
            "999", "Nowhere", "1", "1", "1", "1", "4", "1", "1", "1", "1", "4",
        ]),
        row(&[
            "METROPOLITAN AUTHORITIES",
            "",
            "1",
            "1",
            "1",
            "1",
            "4",
            "1",
            "1",
            "1",
            "1",
            "4",
        ]),
    ];
    ods(&path, &summary("x", &extra));
    let import = import_files(&[path]).expect("import");
    assert!(
        import.notes.contains(
            &"dsg.ods: DfE code 999 (Nowhere) not known to the importer: row skipped".to_string()
        ),
        "{:?}",
        import.notes
    );
    assert!(import.panel.rows.iter().all(|r| r.area.dfe_code != "999"));
    // DfE's `x` is missing, not zero.
    assert_eq!(
        value(
            &import.panel,
            "E10000003",
            "dsg.high_needs_before_deductions",
            2023
        ),
        Value::Missing("x".into())
    );
    assert_eq!(import.panel.rows.len(), 14);
}

#[test]
fn a_renamed_spreadsheet_is_read_by_what_it_holds() {
    let dir = tempdir();
    let path = dir.path().join("allocations.xlsx");
    ods(&path, &summary("64", &[]));
    let import = import_files(&[path]).expect("an ODS named .xlsx is still read");
    assert_eq!(
        value(
            &import.panel,
            "E10000003",
            "dsg.high_needs_before_deductions",
            2023
        ),
        Value::Number(64.0)
    );
    // ESFA's 2024 file under another name gives the same figures.
    let raw = common::raw_folder(&RAW, "the raw-file test");
    let Some(raw) = raw else { return };
    let copy = dir.path().join("dsg-latest.bin");
    std::fs::copy(raw.join("dedicated-schools-grant_2024_07_20.ods"), &copy).unwrap();
    let import = import_files(&[copy]).expect("renamed");
    assert_eq!(
        value(
            &import.panel,
            "E10000003",
            "dsg.high_needs_before_deductions",
            2023
        ),
        Value::Number(104_164_500.0)
    );
    assert_eq!(import.panel.rows[0].source_file, "dsg-latest.bin");
}

#[test]
fn a_summary_without_a_column_is_refused_naming_it() {
    let dir = tempdir();
    let path = dir.path().join("dsg.ods");
    let mut sheets = summary("64", &[]);
    sheets[1].1[1][9] = "High needs (£s)".into();
    ods(&path, &sheets);
    let err = import_files(&[path]).unwrap_err();
    assert!(matches!(err, DataError::MissingColumns { .. }), "{err}");
    assert!(
        err.to_string().starts_with(
            "dsg.ods: sheet Allocations_summary, row 2: no column `High needs block allocation (£s)` (after deductions)"
        ),
        "{err}"
    );
    // No financial year in the title.
    let path = dir.path().join("dsg2.ods");
    let mut sheets = summary("64", &[]);
    sheets[1].1[0] = row(&[
        "DSG",
        "",
        "before deductions",
        "",
        "",
        "",
        "",
        "after deductions",
    ]);
    ods(&path, &sheets);
    let err = import_files(&[path]).unwrap_err();
    assert!(err.to_string().contains("no financial year"), "{err}");
    // A spreadsheet of something else.
    let path = dir.path().join("other.ods");
    ods(&path, &[("Sheet1", vec![row(&["name", "value"])])]);
    let err = import_files(&[path]).unwrap_err();
    assert!(matches!(err, DataError::UnknownFile { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("other.ods: a spreadsheet holding neither")
    );
}

#[test]
fn damaged_spreadsheets_are_refused_naming_the_file() {
    let dir = tempdir();
    let path = dir.path().join("dsg.ods");
    ods(&path, &summary("64", &[]));
    let bytes = std::fs::read(&path).unwrap();
    for (name, cut) in [
        ("cut.ods", &bytes[..bytes.len() / 2]),
        ("cut.xlsx", &bytes[..bytes.len() - 30]),
        ("empty.ods", &bytes[..0]),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, cut).unwrap();
        let err = import_files(&[p]).unwrap_err();
        assert!(matches!(err, DataError::Workbook { .. }), "{name}: {err}");
        assert!(
            err.to_string()
                .starts_with(&format!("{name}: cannot read the workbook")),
            "{err}"
        );
    }
    // Over 64 MB (a sparse file: nothing is written to disk but its first bytes): refused unread.
    let big = dir.path().join("big.ods");
    let file = std::fs::File::create(&big).unwrap();
    (&file).write_all(b"PK\x03\x04").unwrap();
    file.set_len(65 << 20).unwrap();
    let err = import_files(&[big]).unwrap_err();
    assert!(
        err.to_string().starts_with("big.ods: larger than 64 MB"),
        "{err}"
    );
    let Some(raw) = common::raw_folder(&RAW, "the raw-file test") else {
        return;
    };
    let bytes = std::fs::read(raw.join("high-needs-benchmarking-outturn-2021-22.xlsx")).unwrap();
    let p = dir.path().join("benchmarking.xlsx");
    std::fs::write(&p, &bytes[..bytes.len() - 2000]).unwrap();
    let err = import_files(&[p]).unwrap_err();
    assert!(matches!(err, DataError::Workbook { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("benchmarking.xlsx: cannot read the workbook"),
        "{err}"
    );
}

/// A benchmarking data sheet written with rust_xlsxwriter: the real layout, two councils.
fn benchmarking(path: &Path, la_name: &str) {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let text = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, t: &str| {
        ws.write_string(r, c, t).unwrap();
    };
    text(ws, 1, 1, "Year");
    text(ws, 1, 2, "2021-22");
    text(ws, 2, 6, "Section 251 budget");
    text(ws, 2, 10, "Section 251 outturn");
    text(ws, 1, 10, "This table has values for 2019-20 and 2020-21");
    for (c, l) in [
        (6, "Place funding"),
        (
            7,
            "Top up funding (maintained schools, academies, free schools and colleges)",
        ),
        (
            8,
            "Top up funding (non-maintained\nand independent schools and colleges)",
        ),
        (9, "Income (2)"),
        (10, "Place funding"),
        (
            11,
            "Top up funding (maintained schools, academies, free schools and colleges)",
        ),
        (
            12,
            "Top up funding (non-maintained\nand independent schools and colleges)",
        ),
    ] {
        text(ws, 3, c, l);
    }
    text(ws, 4, 1, "LA code");
    text(ws, 4, 2, la_name);
    text(ws, 4, 3, "2-18 Population (ONS mid-2021 projection)");
    text(ws, 4, 4, "No. aged up to 25 with SEN statement or EHCP");
    text(ws, 4, 5, "of these, placements in:");
    text(ws, 5, 5, "Post 16");
    let rows: [(f64, &str, [f64; 10]); 2] = [
        (
            873.0,
            "Cambridgeshire",
            [1000.0, 52.0, 10.0, 7.0, 8.0, 9.0, 1.0, 3.0, 4.0, 5.0],
        ),
        (837.0, "Bournemouth", [0.0; 10]),
    ];
    for (i, (code, name, values)) in rows.iter().enumerate() {
        let r = 7 + i as u32;
        ws.write_number(r, 1, *code).unwrap();
        text(ws, r, 2, name);
        for (j, v) in values.iter().enumerate() {
            ws.write_number(r, 3 + j as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn a_benchmarking_sheet_by_header_name() {
    let dir = tempdir();
    let path = dir.path().join("hn.xlsx");
    benchmarking(&path, "LA name");
    let import = import_files(std::slice::from_ref(&path)).expect("import");
    let p = &import.panel;
    assert_eq!(
        value(p, "E10000003", "population_2_18", 2021),
        Value::Number(1000.0)
    );
    assert_eq!(
        value(p, "E10000003", "benchmark.ehcp", 2021),
        Value::Number(52.0)
    );
    assert_eq!(
        value(p, "E10000003", "benchmark.ehcp.post_16", 2021),
        Value::Number(10.0)
    );
    assert_eq!(
        value(p, "E10000003", "s251.budget.place", 2021),
        Value::Number(7.0)
    );
    assert_eq!(
        value(
            p,
            "E10000003",
            "s251.budget.top_up_independent_income",
            2021
        ),
        Value::Number(1.0)
    );
    assert_eq!(
        value(p, "E10000003", "s251.outturn.place", 2020),
        Value::Number(3.0)
    );
    assert_eq!(
        value(p, "E10000003", "s251.outturn.top_up_independent", 2020),
        Value::Number(5.0)
    );
    // Bournemouth's row has no figure (it ended in 2019): not imported, noted.
    assert!(p.rows.iter().all(|r| r.area.dfe_code != "837"));
    assert!(
        import
            .notes
            .iter()
            .any(|n| n.contains("not imported: Bournemouth"))
    );
    assert_eq!(import.sources[0].release, 2021);
    // Without `LA name`: refused, naming it.
    benchmarking(&path, "Authority");
    let err = import_files(&[path]).unwrap_err();
    assert!(matches!(err, DataError::MissingColumns { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("hn.xlsx: sheet Sheet1, row 5: no column `LA name`"),
        "{err}"
    );
}

/// The files the shipped panel is built from, in the order of the rebuild command.
const RAW: [&str; 7] = [
    "education-health-and-care-plans_2022.zip",
    "education-health-and-care-plans_2025.zip",
    "dedicated-schools-grant_2021_11_18.ods",
    "dedicated-schools-grant_2022_07_18.ods",
    "dedicated-schools-grant_2023_07_20.ods",
    "dedicated-schools-grant_2024_07_20.ods",
    "high-needs-benchmarking-outturn-2021-22.xlsx",
];

#[test]
fn reimporting_every_raw_file_gives_the_shipped_panel_byte_for_byte() {
    let Some(dir) = common::raw_folder(&RAW, "the raw-file test") else {
        return;
    };
    let files: Vec<PathBuf> = RAW.iter().map(|f| dir.join(f)).collect();
    let start = std::time::Instant::now();
    let import = import_files(&files).expect("import");
    let seconds = start.elapsed().as_secs_f64();
    eprintln!("the seven files imported in {seconds:.2} s");
    assert!(seconds < 10.0, "import took {seconds:.1} s");
    let mut csv = Vec::new();
    import.panel.write_csv(&mut csv).expect("write");
    let shipped =
        std::fs::read(common::repo().join("data/public/panel.csv")).expect("shipped panel");
    assert!(
        csv == shipped,
        "re-imported panel differs from data/public/panel.csv: rebuild it (docs/public-data.md)"
    );
    // In the reverse order: the same panel.
    let reversed: Vec<PathBuf> = files.into_iter().rev().collect();
    assert!(import_files(&reversed).expect("import").panel == import.panel);
}
