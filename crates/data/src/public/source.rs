//! Opening an input: a release zip as published (its tables found by name) or one CSV taken out
//! of it (named as in the zip).

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use super::ehcp::{Table, table, table_names};
use crate::DataError;

/// Largest table read out of a zip (the largest in the 2022 release is 11 MB).
const MAX_TABLE_BYTES: u64 = 256 << 20;

/// A table found in an input, with its bytes.
pub(crate) struct Found {
    /// Where it is: `data/caseload.csv` in a zip, or the CSV's own name.
    pub place: String,
    pub table: &'static Table,
    pub bytes: Vec<u8>,
}

/// The tables in the file at `path`, shown in messages as `file`; files in a zip that are not
/// imported are noted.
pub(crate) fn tables_in(
    path: &Path,
    file: &str,
    notes: &mut BTreeSet<String>,
) -> Result<Vec<Found>, DataError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let io = |source| DataError::Io {
        path: path.to_path_buf(),
        source,
    };
    match ext.as_str() {
        "zip" => zip_tables(std::fs::File::open(path).map_err(io)?, file, notes),
        "csv" => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some(table) = table(&name) else {
                return Err(DataError::UnknownFile {
                    file: file.to_string(),
                    message: format!(
                        "not a table the importer knows; give the release zip, or a CSV from it under its own name ({})",
                        table_names()
                    ),
                });
            };
            let size = std::fs::metadata(path).map_err(io)?.len();
            if size >= MAX_TABLE_BYTES {
                return Err(too_large(file));
            }
            let bytes = std::fs::read(path).map_err(io)?;
            Ok(vec![Found {
                place: name,
                table,
                bytes,
            }])
        }
        _ => Err(DataError::UnknownFile {
            file: file.to_string(),
            message: "not a file the importer knows: give DfE's release zip (.zip) or a CSV taken out of it".to_string(),
        }),
    }
}

fn too_large(file: &str) -> DataError {
    DataError::Invalid {
        file: file.to_string(),
        row: None,
        message: format!(
            "larger than {} MB, far larger than any DfE table: not read",
            MAX_TABLE_BYTES >> 20
        ),
    }
}

fn zip_tables(
    reader: std::fs::File,
    file: &str,
    notes: &mut BTreeSet<String>,
) -> Result<Vec<Found>, DataError> {
    let archive_err = |e: &dyn std::fmt::Display| DataError::Archive {
        file: file.to_string(),
        message: e.to_string(),
    };
    let mut archive =
        zip::ZipArchive::new(std::io::BufReader::new(reader)).map_err(|e| archive_err(&e))?;
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| archive_err(&e))?;
        if entry.is_dir() {
            continue;
        }
        let place = entry.name().map_err(|e| archive_err(&e))?.into_owned();
        let base = place.rsplit('/').next().unwrap_or(&place).to_string();
        let Some(table) = table(&base) else {
            if place.starts_with("data/") {
                skipped.push(base);
            }
            continue;
        };
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0).min(1 << 26));
        (&mut entry)
            .take(MAX_TABLE_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| archive_err(&format!("{place}: {e}")))?;
        if bytes.len() as u64 >= MAX_TABLE_BYTES {
            return Err(too_large(&format!("{file}: {place}")));
        }
        found.push(Found {
            place,
            table,
            bytes,
        });
    }
    if found.is_empty() {
        return Err(DataError::UnknownFile {
            file: file.to_string(),
            message: format!(
                "holds none of the tables of DfE's EHC plan releases ({})",
                table_names()
            ),
        });
    }
    if !skipped.is_empty() {
        skipped.sort();
        notes.insert(format!("{file}: not imported: {}", skipped.join(", ")));
    }
    Ok(found)
}
