//! Reading a scenario file once: its parsed scenario and the SHA-256 of its bytes (recorded in
//! every output so results can be traced to the exact file).

use std::path::{Path, PathBuf};
use std::time::Instant;

use dsg_core::{Problem, Scenario, ScenarioError};
use dsg_data::workbook::{ReadWorkbook, WorkbookError, is_workbook, read_workbook};
use sha2::{Digest, Sha256};

use crate::error::{ScenarioErrors, bad_input};

/// A scenario read from a file.
pub struct Loaded {
    /// The file, as given on the command line.
    pub path: PathBuf,
    /// The validated scenario.
    pub scenario: Scenario,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// Seconds spent reading and validating.
    pub seconds: f64,
    /// The workbook read, when the scenario is an assumptions workbook (`.xlsx`): its warnings
    /// and the cell of each input.
    pub workbook: Option<ReadWorkbook>,
}

/// Reads and validates the scenario at `path`, under the policy set `policy` when given (`none`:
/// no set) instead of the one it names.
pub fn load_under(path: &Path, policy: Option<&str>) -> Result<Loaded, ScenarioError> {
    let mut loaded = load(path)?;
    if let Some(name) = policy {
        loaded.scenario = loaded
            .scenario
            .with_policy(Some(name))
            .map_err(|e| e.for_file(path))?;
    }
    Ok(loaded)
}

/// Reads and validates the scenario at `path`: a TOML file, or an assumptions workbook when its
/// name ends `.xlsx`.
pub fn load(path: &Path) -> Result<Loaded, ScenarioError> {
    if is_workbook(path) {
        return load_workbook(path);
    }
    let started = Instant::now();
    let read_error = |source| ScenarioError::Read {
        file: path.to_path_buf(),
        source,
    };
    let bytes = dsg_core::scenario::read_limited(path)?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let text = String::from_utf8(bytes).map_err(|_| {
        read_error(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the file is not text (UTF-8); save it as plain text",
        ))
    })?;
    let scenario = Scenario::from_toml_str(&text, path)?;
    Ok(Loaded {
        path: path.to_path_buf(),
        scenario,
        sha256,
        seconds: started.elapsed().as_secs_f64(),
        workbook: None,
    })
}

/// The largest assumptions workbook read (a generated one is about 90 KB).
const MAX_WORKBOOK_BYTES: u64 = 32 * 1024 * 1024;

/// Reads and validates the assumptions workbook at `path`; a problem names its sheet and cell.
fn load_workbook(path: &Path) -> Result<Loaded, ScenarioError> {
    use std::io::Read;
    let started = Instant::now();
    let read_error = |source| ScenarioError::Read {
        file: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_WORKBOOK_BYTES + 1).read_to_end(&mut bytes))
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
        return Err(workbook_error(
            path,
            WorkbookError::Open {
                message: format!(
                    "the file is larger than {} MB: is it the right file?",
                    MAX_WORKBOOK_BYTES >> 20
                ),
            },
        ));
    }
    let sha256 = hex(&Sha256::digest(&bytes));
    let read = read_workbook(&bytes).map_err(|e| workbook_error(path, e))?;
    let scenario = read.validate(path)?;
    Ok(Loaded {
        path: path.to_path_buf(),
        scenario,
        sha256,
        seconds: started.elapsed().as_secs_f64(),
        workbook: Some(read),
    })
}

/// A workbook that cannot be read, as a scenario problem at its cell (exit code 2).
pub fn workbook_error(path: &Path, e: WorkbookError) -> ScenarioError {
    let key = e.cell().unwrap_or_default();
    let text = e.to_string();
    let message = text
        .strip_prefix(&format!("{key}: "))
        .unwrap_or(&text)
        .to_string();
    ScenarioError::Invalid {
        file: path.to_path_buf(),
        problems: vec![Problem::new(key, message)],
    }
}

/// Reads every file, reporting the problems of all of them (not just the first) on failure.
pub fn load_all(paths: &[PathBuf], policy: Option<&str>) -> Result<Vec<Loaded>, ScenarioErrors> {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match load_under(p, policy) {
            Ok(l) => loaded.push(l),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(loaded)
    } else {
        Err(ScenarioErrors(errors))
    }
}

/// SHA-256 of a data file's bytes (a case list, a history, a setting map), lower-case hex, read
/// in 1 MB pieces so that a large case list is not held twice; a file that cannot be read is
/// bad input (exit code 2).
pub fn sha256_of(path: &Path) -> anyhow::Result<String> {
    use anyhow::Context;
    use std::io::Read;
    if path.is_dir() {
        return Err(crate::error::bad_input(format!(
            "{}: is a folder; give the file itself",
            path.display()
        )));
    }
    let mut f = std::fs::File::open(path)
        .map_err(|e| bad_input(format!("{}: cannot read it: {e}", path.display())))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f
            .read(&mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Prints the scenario's plausibility warnings to stderr: `warning: file:line: `key`: ...`.
/// They never change the exit code.
pub fn print_warnings(loaded: &Loaded) {
    if let Some(book) = &loaded.workbook {
        for note in &book.warnings {
            eprintln!("warning: {}: {note}", loaded.path.display());
        }
        for w in loaded.scenario.warnings() {
            let cell = book
                .cell_of(&w.key)
                .map(|c| format!("{c} "))
                .unwrap_or_default();
            eprintln!(
                "warning: {}: {cell}`{}`: {}",
                loaded.path.display(),
                w.key,
                w.message
            );
        }
        return;
    }
    for w in loaded.scenario.warnings() {
        match w.position {
            Some((line, _)) => eprintln!(
                "warning: {}:{line}: `{}`: {}",
                loaded.path.display(),
                w.key,
                w.message
            ),
            None => eprintln!(
                "warning: {}: `{}`: {}",
                loaded.path.display(),
                w.key,
                w.message
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_sha256_of_the_bytes() {
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
