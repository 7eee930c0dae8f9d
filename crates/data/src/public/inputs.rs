//! One input of an import, known by what it holds (not by its name): a DfE EHC plan release (a
//! zip of CSVs, or one CSV from it), an ESFA DSG allocations spreadsheet (a sheet summarising the
//! blocks before and after deductions) or the high-needs benchmarking data sheet (a sheet naming
//! `LA code` and `Section 251 budget`), `.ods` or `.xlsx` either.

use std::collections::BTreeSet;
use std::io::BufReader;
use std::path::Path;

use super::fact::Fact;
use super::grid::{MAX_FILE_BYTES, Sheet, is_zip, read_ods, read_xlsx};
use super::read::read_table;
use super::source::tables_in;
use super::{allocations, benchmarking};
use crate::DataError;

/// What one input gave.
pub(crate) struct FileRead {
    /// The release: a release's collection year of its newest figure, or a spreadsheet's
    /// financial year (by the year it starts).
    pub release: i32,
    /// The tables read (their place in a zip), or the sheet.
    pub tables: Vec<String>,
    /// How many values it gave.
    pub values: usize,
    /// The publication date (`yyyymmdd`) from a `_2024_07_20` in the file's name, or 0: between
    /// two inputs of the same release (the same financial year's allocations), the later wins.
    pub published: i64,
    pub facts: Vec<Fact>,
}

/// Reads the input at `path`, shown in messages as `file`.
pub(crate) fn read_input(
    path: &Path,
    file: &str,
    notes: &mut BTreeSet<String>,
) -> Result<FileRead, DataError> {
    let io = |source| DataError::Io {
        path: path.to_path_buf(),
        source,
    };
    if !is_zip(path).map_err(io)? {
        if spreadsheet_extension(path) {
            return Err(DataError::Workbook {
                file: file.to_string(),
                message: "not a spreadsheet (.ods and .xlsx are zip archives): the file is damaged or truncated, or not what its name says".into(),
            });
        }
        return read_release(path, file, notes);
    }
    // A spreadsheet's size is checked before it is opened (a release zip's tables have limits
    // of their own, source.rs).
    let size = std::fs::metadata(path).map_err(io)?.len();
    if extension(path) != "zip" && size > MAX_FILE_BYTES {
        return Err(DataError::Invalid {
            file: file.to_string(),
            row: None,
            message: format!(
                "larger than {} MB, far larger than ESFA's or DfE's spreadsheets: not read",
                MAX_FILE_BYTES >> 20
            ),
        });
    }
    let archive = std::fs::File::open(path)
        .map_err(io)
        .map(|f| zip::ZipArchive::new(BufReader::new(f)));
    let mut archive = match archive? {
        Ok(a) => a,
        // A release zip's errors are DataError::Archive, as before.
        Err(_) if !spreadsheet_extension(path) && extension(path) == "zip" => {
            return read_release(path, file, notes);
        }
        Err(e) => {
            return Err(DataError::Workbook {
                file: file.to_string(),
                message: format!("{e} (the file is damaged or truncated)"),
            });
        }
    };
    let is_ods = archive.index_for_name("content.xml").is_some();
    let is_xlsx = archive.index_for_name("xl/workbook.xml").is_some();
    if !is_ods && !is_xlsx {
        return read_release(path, file, notes);
    }
    let sheets = if is_ods {
        read_ods(&mut archive, file)?
    } else {
        drop(archive);
        read_xlsx(path, file)?
    };
    read_sheets(file, &sheets, notes)
}

/// Reads a spreadsheet's sheets: the allocations summary or the benchmarking data, whichever
/// it holds.
fn read_sheets(
    file: &str,
    sheets: &[Sheet],
    notes: &mut BTreeSet<String>,
) -> Result<FileRead, DataError> {
    let (year, table, rows) = if let Some(sheet) = allocations::find(sheets) {
        let (year, rows) = allocations::read(file, sheet, notes)?;
        (year, sheet.name.clone(), rows)
    } else if let Some(sheet) = benchmarking::find(sheets) {
        let (year, rows) = benchmarking::read(file, sheet, notes)?;
        (year, sheet.name.clone(), rows)
    } else {
        return Err(DataError::UnknownFile {
            file: file.to_string(),
            message: "a spreadsheet holding neither ESFA's DSG allocations summary (a header naming `High needs block` and `Total DSG allocation`) nor DfE's high-needs benchmarking data (`LA code` and `Section 251 budget`)".into(),
        });
    };
    Ok(FileRead {
        release: year,
        tables: vec![table],
        values: rows.len(),
        published: published(file),
        facts: rows,
    })
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn spreadsheet_extension(path: &Path) -> bool {
    matches!(extension(path).as_str(), "ods" | "xlsx" | "xlsm")
}

/// The date `yyyymmdd` written `_2024_07_20` (or `-2024-07-20`) in a file's name, or 0.
///
/// The last such date wins; the month and day must be plausible.
pub(crate) fn published(file: &str) -> i64 {
    let b = file.as_bytes();
    let mut found = 0;
    for i in 0..b.len() {
        let Some(s) = b.get(i..i + 10) else {
            break;
        };
        let digits = |r: std::ops::Range<usize>| s[r].iter().all(u8::is_ascii_digit);
        let sep = |x: u8| x == b'_' || x == b'-';
        if digits(0..4) && sep(s[4]) && digits(5..7) && sep(s[7]) && digits(8..10) {
            let num = |r: std::ops::Range<usize>| {
                std::str::from_utf8(&s[r])
                    .ok()
                    .and_then(|t| t.parse::<i64>().ok())
                    .unwrap_or(0)
            };
            let (y, m, d) = (num(0..4), num(5..7), num(8..10));
            if (1..=12).contains(&m) && (1..=31).contains(&d) {
                found = y * 10_000 + m * 100 + d;
            }
        }
    }
    found
}

/// Reads an EHC plan release (a zip, or one CSV from it).
fn read_release(
    path: &Path,
    file: &str,
    notes: &mut BTreeSet<String>,
) -> Result<FileRead, DataError> {
    let found = tables_in(path, file, notes)?;
    let mut reads = Vec::new();
    for f in &found {
        let label = if found.len() == 1 && f.place == file {
            file.to_string()
        } else {
            format!("{file}: {}", f.place)
        };
        reads.push((f, read_table(&label, f.table, &f.bytes, notes)?));
    }
    let release = reads.iter().map(|(_, r)| r.release).max().unwrap_or(0);
    let mut facts = Vec::new();
    for (f, read) in reads {
        facts.extend(read.observations.into_iter().map(|obs| Fact {
            series: obs.series.to_string(),
            year: obs.year,
            value: obs.value,
            area: obs.area,
            table: f.table.name.to_string(),
        }));
    }
    Ok(FileRead {
        release,
        tables: found.iter().map(|f| f.place.clone()).collect(),
        values: facts.len(),
        published: 0,
        facts,
    })
}

#[cfg(test)]
mod tests {
    use super::published;

    #[test]
    fn dates_in_names() {
        assert_eq!(
            published("dedicated-schools-grant_2024_07_20.ods"),
            20240720
        );
        assert_eq!(published("dsg-2023-03-01.ods"), 20230301);
        assert_eq!(published("dsg_2024_13_20.ods"), 0);
        assert_eq!(published("allocations.ods"), 0);
    }
}
