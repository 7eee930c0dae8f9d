//! Helpers shared by the data crate's tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The folder holding the raw public files `files`: $DSG_PUBLIC_DATA, or ../shared/data/public
/// beside the repository; `None` (with a note naming `skipped`) when they are not there, which
/// under CI (the `CI` variable set) fails the test instead.
pub fn raw_folder(files: &[&str], skipped: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("DSG_PUBLIC_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/data/public"));
    if files.iter().all(|f| dir.join(f).exists()) {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but the raw files are not in {}",
        dir.display()
    );
    eprintln!(
        "note: {} not found (set DSG_PUBLIC_DATA): {skipped} skipped",
        dir.display()
    );
    None
}
