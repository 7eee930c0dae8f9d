//! A case list read from a workbook as from CSV: text and date cells, numbers, bad cells by row.

use dsg_data::cases::{CaseList, Date};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// The columns every case list has, then `extra`, written as the sheet's header row.
fn write_header(ws: &mut Worksheet, extra: &[&str]) -> Result<(), XlsxError> {
    let required = [
        "plan_id",
        "child_id",
        "date_of_birth",
        "setting",
        "primary_need",
        "start_date",
        "status",
    ];
    for (c, h) in required.iter().chain(extra).enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    Ok(())
}

#[test]
fn a_workbook_reads_like_its_csv() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("dsg-data-xlsx-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("cases.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_header(ws, &["annual_cost", "notes"])?;
    let date = Format::new().set_num_format("dd/mm/yyyy");
    // Row 2: a date cell and a number; row 3: dates as text; row 4: a bad date and a negative cost.
    ws.write_string(1, 0, "P1")?;
    ws.write_number(1, 1, 1001.0)?;
    ws.write_datetime_with_format(1, 2, ExcelDateTime::from_ymd(2015, 5, 1)?, &date)?;
    ws.write_string(1, 3, "SP")?;
    ws.write_string(1, 4, "ASD")?;
    ws.write_datetime_with_format(1, 5, ExcelDateTime::from_ymd(2022, 9, 1)?, &date)?;
    ws.write_string(1, 6, "Active")?;
    ws.write_number(1, 7, 25_000.0)?;
    for (c, v) in [
        "P2",
        "C2",
        "01/06/2014",
        "SP",
        "SEMH",
        "2023-09-01",
        "active",
        "£30,000",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *v)?;
    }
    for (c, v) in [
        "P3",
        "C3",
        "2014-02-30",
        "SP",
        "SEMH",
        "2023-09-01",
        "active",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(3, c as u16, *v)?;
    }
    ws.write_number(3, 7, -10.0)?;
    wb.save(&path)?;
    let list = CaseList::read(&path)?;
    std::fs::remove_dir_all(&dir)?;
    assert_eq!(list.rows_read, 3);
    assert_eq!(list.records.len(), 2, "{:?}", list.problems);
    let r = &list.records[0];
    assert_eq!(
        (r.row, r.child_id.as_str(), r.cost),
        (2, "1001", Some(25_000.0))
    );
    assert_eq!(Some(r.birth), Date::from_ymd(2015, 5, 1));
    assert_eq!(Some(r.start), Date::from_ymd(2022, 9, 1));
    assert_eq!(list.records[1].cost, Some(30_000.0));
    let bad: Vec<(usize, &str)> = list
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str()))
        .collect();
    assert_eq!(bad, [(4, "date_of_birth"), (4, "annual_cost")]);
    assert_eq!(list.unknown_columns, ["notes"]);
    Ok(())
}

/// Issue 30, fault 1: a 2 KB workbook holding the header row and one cell at XFD1048576 (the
/// last cell a sheet can have) made the reader allocate 16,384 x 1,048,576 cells and abort. It
/// is read cell by cell now: the far cell is beyond the header's columns and ignored.
#[test]
fn a_cell_in_the_far_corner_allocates_nothing() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("dsg-data-xlsx-far-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("cases.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_header(ws, &[])?;
    ws.write_string(1_048_575, 16_383, "x")?;
    wb.save(&path)?;
    assert!(std::fs::metadata(&path)?.len() < 20_000);
    let started = std::time::Instant::now();
    let list = CaseList::read(&path)?;
    assert!(started.elapsed().as_secs_f64() < 2.0);
    assert_eq!(list.rows_read, 0);
    // A header cell past the limit on columns is refused by name, not allocated.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_header(ws, &[])?;
    ws.write_string(0, 16_383, "far")?;
    wb.save(&path)?;
    let err = CaseList::read(&path)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("column 16384") && err.contains("at most"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
