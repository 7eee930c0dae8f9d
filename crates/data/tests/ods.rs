//! A case list in an OpenDocument spreadsheet (`.ods`), read cell by cell (issue 30): as its CSV
//! reads, text with entities and spaces as written, and a tiny file declaring a far cell read in
//! no time (through calamine's dense range it took 34 s and 6.1 GB).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::time::{Duration, Instant};

use dsg_data::cases::CaseList;

/// Writes an ODS file whose first sheet holds `rows` (table-row elements) into `dir`.
fn write_ods(dir: &std::path::Path, name: &str, rows: &str) -> std::path::PathBuf {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Cases">{rows}</table:table><table:table table:name="Other"><table:table-row><table:table-cell office:value-type="string"><text:p>not read</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
    path
}

fn text(v: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>"#
    )
}

/// The shipped example case list as ODS rows: costs as numbers, dates as date cells.
fn example_rows() -> String {
    let csv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/cases-example.csv"
    ))
    .unwrap();
    let mut rows = String::new();
    for (i, line) in csv.lines().filter(|l| !l.starts_with('#')).enumerate() {
        rows.push_str("<table:table-row>");
        for (j, v) in line.split(',').enumerate() {
            rows.push_str(&match (i, j, v.len()) {
                (_, _, 0) => "<table:table-cell/>".to_string(),
                (1.., 9, _) => format!(
                    r#"<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#
                ),
                (1.., 2 | 5 | 6 | 7, 10) => format!(
                    r#"<table:table-cell office:value-type="date" office:date-value="{v}"><text:p>{v}</text:p></table:table-cell>"#
                ),
                _ => text(v),
            });
        }
        rows.push_str("</table:table-row>");
    }
    rows
}

#[test]
fn an_ods_case_list_reads_like_its_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_ods(dir.path(), "cases.ods", &example_rows());
    let ods = CaseList::read(&path).unwrap();
    let csv = CaseList::read(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/cases-example.csv").as_ref(),
    )
    .unwrap();
    assert!(ods.records.len() > 300, "{}", ods.records.len());
    assert_eq!(ods.rows_read, csv.rows_read);
    // The CSV has a comment line above its header: its rows are numbered one further on.
    let shifted: Vec<_> = csv
        .records
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.row -= 1;
            format!("{r:?}")
        })
        .collect();
    let read: Vec<_> = ods.records.iter().map(|r| format!("{r:?}")).collect();
    let first_difference = read.iter().zip(&shifted).position(|(a, b)| a != b);
    assert_eq!(
        first_difference,
        None,
        "{:?}",
        first_difference.map(|i| (&read[i], &shifted[i]))
    );
    assert_eq!(read.len(), shifted.len());
    assert_eq!(ods.settings, csv.settings);
    assert_eq!(ods.problems.len(), csv.problems.len());
}

#[test]
fn text_cells_keep_entities_spaces_and_repeats() {
    let dir = tempfile::tempdir().unwrap();
    let header = "plan_id,child_id,date_of_birth,setting,primary_need,start_date,status";
    let mut rows = format!(
        "<table:table-row>{}</table:table-row>",
        header.split(',').map(text).collect::<String>()
    );
    // Two identical rows given once with number-rows-repeated; a setting with an entity, a
    // character reference and repeated spaces.
    rows.push_str(&format!(
        r#"<table:table-row table:number-rows-repeated="2">{}{}{}{}{}{}{}</table:table-row>"#,
        text("P1"),
        text("C1"),
        text("2015-05-01"),
        r#"<table:table-cell office:value-type="string"><text:p>A&amp;B<text:s text:c="2"/>&#163;</text:p></table:table-cell>"#,
        text("ASD"),
        text("2022-09-01"),
        text("active"),
    ));
    let path = write_ods(dir.path(), "text.ods", &rows);
    let list = CaseList::read(&path).unwrap();
    assert_eq!(list.rows_read, 2);
    assert_eq!(list.settings, vec!["A&B  £".to_string()]);
}

/// A 2 KB file whose first sheet declares a cell at the far corner (6,000 repeated rows of
/// 16,384 empty cells, then one cell in the last column) and another at row 1,048,576.
#[test]
fn far_cells_cost_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let header = "plan_id,child_id,date_of_birth,setting,primary_need,start_date,status";
    for rows_repeated in [6_000u32, 1_048_574] {
        let rows = format!(
            r#"<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="{rows_repeated}"><table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/>{}</table:table-row>"#,
            header.split(',').map(text).collect::<String>(),
            text("x")
        );
        let path = write_ods(dir.path(), "far.ods", &rows);
        assert!(std::fs::metadata(&path).unwrap().len() < 4_000);
        let started = Instant::now();
        let list = CaseList::read(&path).unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(list.records.len(), 0);
    }
}
