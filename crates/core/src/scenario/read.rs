//! Reading a scenario file safely: a bound on its size (so that no file can make the program
//! allocate without limit) and parse errors in plain words, naming the key where the parser
//! does not.

use std::io::Read;
use std::path::Path;

use crate::error::{Problem, ScenarioError};

/// The largest scenario file read, in bytes (4 MiB): about 200 times the largest shipped scenario
/// (21.6 KB). Reading a TOML document takes about 70 times its size in memory at its peak (a 4
/// MiB file of one long list: 290 MB), so this bounds what any file can make the program hold.
pub const MAX_SCENARIO_BYTES: usize = 4 * 1024 * 1024;

/// Reads the bytes of the scenario file at `path`, refusing one larger than
/// [`MAX_SCENARIO_BYTES`] (without reading more than that, whatever the file is).
///
/// ```
/// let bytes = dsg_core::scenario::read_limited(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml").as_ref())?;
/// assert!(bytes.starts_with(b"#"));
/// # Ok::<(), dsg_core::ScenarioError>(())
/// ```
pub fn read_limited(path: &Path) -> Result<Vec<u8>, ScenarioError> {
    let read_error = |source| ScenarioError::Read {
        file: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_SCENARIO_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    check_size(bytes.len(), path)?;
    Ok(bytes)
}

/// Refuses a scenario text of `len` bytes when it is larger than [`MAX_SCENARIO_BYTES`].
pub(crate) fn check_size(len: usize, file: &Path) -> Result<(), ScenarioError> {
    if len <= MAX_SCENARIO_BYTES {
        return Ok(());
    }
    Err(ScenarioError::Invalid {
        file: file.to_path_buf(),
        problems: vec![Problem::new(
            "",
            format!(
                "the file is larger than {} MB, the most a scenario may be (the largest shipped scenario is 22 KB): is it the right file?",
                MAX_SCENARIO_BYTES / (1024 * 1024)
            ),
        )],
    })
}

/// A TOML parser's message in plain words: the key of a duplicate named (`quoted` is the text the
/// error points at), Rust's type names as a finance officer would say them.
pub(crate) fn plain_message(message: &str, quoted: Option<&str>) -> String {
    let message = message.trim();
    if message == "duplicate key" {
        return match quoted.map(str::trim).filter(|q| is_short_key(q)) {
            Some(key) => format!(
                "duplicate key `{key}`: it is written twice (each key and each [table] once)"
            ),
            None => "duplicate key: a key or [table] is written twice".to_string(),
        };
    }
    if message.starts_with("cannot recurse further") {
        return "arrays or tables nested too deeply within each other".to_string();
    }
    if message.contains(" as i128, expected ") || message.contains(" as u128, expected ") {
        let number = message.split('`').nth(1).unwrap_or("the number");
        return format!("{number} is too large to be read here");
    }
    message
        .replace("expected i64", "expected a whole number")
        .replace("expected u64", "expected a whole number")
        .replace("expected u32", "expected a whole number")
        .replace("expected usize", "expected a whole number")
        .replace("expected f64", "expected a number")
}

/// A key as written in a file: short, on one line.
fn is_short_key(text: &str) -> bool {
    !text.is_empty() && text.len() <= 100 && !text.contains('\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_in_plain_words() {
        assert_eq!(
            plain_message("duplicate key", Some("name")),
            "duplicate key `name`: it is written twice (each key and each [table] once)"
        );
        assert_eq!(
            plain_message("duplicate key", Some(&"x".repeat(500))),
            "duplicate key: a key or [table] is written twice"
        );
        assert_eq!(
            plain_message(
                "invalid type: integer `99999999999999999999999` as i128, expected i64",
                None
            ),
            "99999999999999999999999 is too large to be read here"
        );
        assert_eq!(
            plain_message("invalid type: string \"x\", expected i64", None),
            "invalid type: string \"x\", expected a whole number"
        );
        assert!(
            plain_message("cannot recurse further; max recursion depth met", None)
                .contains("nested too deeply")
        );
    }

    #[test]
    fn a_file_above_the_limit_is_refused_without_reading_it_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.toml");
        std::fs::write(&path, vec![b'#'; MAX_SCENARIO_BYTES + 10]).unwrap();
        let err = read_limited(&path).unwrap_err();
        assert!(err.to_string().contains("larger than 4 MB"), "{err}");
        std::fs::write(&path, vec![b'#'; MAX_SCENARIO_BYTES]).unwrap();
        assert_eq!(read_limited(&path).unwrap().len(), MAX_SCENARIO_BYTES);
    }
}
