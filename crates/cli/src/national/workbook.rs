//! national.xlsx: the national run's tables as a workbook (About, National, Councils), for
//! analysts who compare councils in a spreadsheet.

use std::path::Path;

use rust_xlsxwriter::Workbook;

/// A sheet: its name, header and rows.
pub type Sheet<'a> = (&'a str, Vec<String>, Vec<Vec<String>>);

/// Writes `path`: a sheet of the findings' lines, then each table (header, rows), numbers as
/// numbers.
pub fn write(path: &Path, findings: &str, tables: &[Sheet<'_>]) -> anyhow::Result<()> {
    let mut book = Workbook::new();
    let about = book.add_worksheet().set_name("About")?;
    for (r, line) in findings.lines().enumerate() {
        about.write_string(r as u32, 0, line)?;
    }
    for (name, header, rows) in tables {
        let sheet = book.add_worksheet().set_name(*name)?;
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, h)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match cell.parse::<f64>() {
                    Ok(x) if x.is_finite() => sheet.write_number(r, c, x)?,
                    _ => sheet.write_string(r, c, cell)?,
                };
            }
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    book.save(path)?;
    Ok(())
}
