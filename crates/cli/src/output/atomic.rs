//! Writing a results folder all at once.
//!
//! Files are written into a hidden staging folder beside the destination
//! (`.NAME.tmp-<pid>.<random>` in the same parent, made by [`tempfile`], so the final rename never
//! crosses file systems) and the folder is renamed into place only when everything is written. A
//! run that fails leaves neither the destination nor the staging folder behind (the
//! [`tempfile::TempDir`] removes it when dropped, also when a panic unwinds), and earlier results
//! stay as they were. Earlier results are replaced by swapping the two folders in one step where
//! the platform can (Linux), so the destination always holds one complete copy. A run killed
//! outright (`kill -9`) cannot clean up after itself: the next run to the same destination puts
//! back earlier results a killed commit had moved aside, then removes the folders of processes
//! no longer running. Ctrl-C and SIGTERM remove the staging folder before exiting. An
//! existing destination is replaced only if it is empty or holds earlier dsg results and nothing
//! else (every file in it is listed in its `manifest.json`), so that `--out` pointed at the wrong
//! folder, or at results someone has since added their own files to, never deletes them.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use tempfile::TempDir;

use crate::error::bad_input;

/// A destination folder and the hidden folder the results are written into first.
///
/// Dropping it without [`Staging::commit`] removes the hidden folder, then any parent folders
/// [`Staging::prepare`] created for the destination (fields drop in declaration order).
#[derive(Debug)]
pub struct Staging {
    dest: PathBuf,
    /// The staging folder; removed when dropped unless kept by [`Staging::commit`].
    temp: TempDir,
    /// Parent folders created for the destination (removed again on failure, after `temp`).
    created: CreatedParents,
}

/// Parent folders created for a destination, deepest last: removed when dropped, if still empty,
/// unless [`CreatedParents::keep`] was called.
#[derive(Debug, Default)]
struct CreatedParents(Vec<PathBuf>);

impl CreatedParents {
    /// Keeps the folders (the results were moved into place).
    fn keep(mut self) {
        self.0.clear();
    }
}

impl Drop for CreatedParents {
    fn drop(&mut self) {
        for dir in self.0.iter().rev() {
            // Only if still empty: never delete anything else.
            let _ = fs::remove_dir(dir);
        }
    }
}

/// What [`Staging::commit`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The destination did not exist.
    Created,
    /// Earlier results in the destination were replaced.
    Replaced,
}

/// Tells the user where the results went (on stderr): always when earlier results were replaced,
/// and the list of files unless `quiet`.
pub fn announce(dir: &std::path::Path, outcome: Outcome, listing: &str, quiet: bool) {
    if outcome == Outcome::Replaced {
        eprintln!("Replaced previous results in {}.", dir.display());
    }
    if !quiet {
        eprintln!("Results written to {}: {listing}.", dir.display());
    }
}

/// Staging folders being written, for the Ctrl-C handler to remove.
static UNFINISHED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn unfinished() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    UNFINISHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes every staging folder still being written (on an interrupt, before exiting).
pub fn remove_unfinished() {
    for dir in unfinished().drain(..) {
        let _ = fs::remove_dir_all(dir);
    }
}

impl Staging {
    /// Checks `dest` and creates the hidden folder beside it. `protect` lists files the results
    /// must not replace (the scenario files being run).
    pub fn prepare(dest: &Path, protect: &[PathBuf]) -> anyhow::Result<Staging> {
        let shown = dest.display();
        let dest = if dest.exists() {
            dest.canonicalize()
                .with_context(|| format!("cannot find the full path of {shown}"))?
        } else {
            dest.to_path_buf()
        };
        let Some(name) = dest.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return Err(bad_input(format!(
                "--out {shown}: name a folder for the results, e.g. --out results"
            )));
        };
        if dest.exists() {
            check_replaceable(&dest, &shown.to_string(), protect)?;
        }
        let parent = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut missing = Vec::new();
        let mut p = parent.as_path();
        while !p.as_os_str().is_empty() && !p.exists() {
            missing.push(p.to_path_buf());
            match p.parent() {
                Some(up) => p = up,
                None => break,
            }
        }
        missing.reverse();
        let mut created = CreatedParents::default();
        for dir in missing {
            if let Err(e) = fs::create_dir(&dir) {
                if e.kind() != std::io::ErrorKind::AlreadyExists {
                    return Err(e).with_context(|| {
                        format!("cannot create the folder {} for the results", dir.display())
                    });
                }
            } else {
                created.0.push(dir);
            }
        }
        if parent.is_file() {
            return Err(bad_input(format!(
                "--out {shown}: {} is a file, not a folder",
                parent.display()
            )));
        }
        remove_stale(&parent, &name);
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}.tmp-{}.", std::process::id()))
            .tempdir_in(&parent)
            .with_context(|| {
                format!(
                    "cannot write the results beside {shown} (creating a hidden folder in {})",
                    parent.display()
                )
            })?;
        unfinished().push(temp.path().to_path_buf());
        Ok(Staging {
            dest,
            temp,
            created,
        })
    }

    /// The hidden folder to write the results into.
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// Moves the results into place, replacing earlier results.
    pub fn commit(self) -> anyhow::Result<Outcome> {
        // On an early return `temp` and `created` drop: the staging folder is removed.
        // From here the folder is being moved into place, not left unfinished (a Staging dropped
        // on an error is removed by its TempDir; a stale entry in the list is harmless).
        unfinished().retain(|p| p != self.temp.path());
        let Staging {
            dest,
            temp,
            created,
        } = self;
        let outcome = if dest.exists() {
            replace(temp.path(), &dest)?;
            Outcome::Replaced
        } else {
            fs::rename(temp.path(), &dest)
                .with_context(|| format!("cannot move the new results into {}", dest.display()))?;
            Outcome::Created
        };
        // The staging folder is now the destination: nothing left to remove.
        let _ = temp.keep();
        created.keep();
        Ok(outcome)
    }
}

/// Puts the complete results in `new` at `dest` in place of the earlier results there, so that
/// `dest` always holds one complete copy, whenever the process is stopped.
///
/// Where the platform can swap two folders in one step (Linux's `renameat2` with
/// `RENAME_EXCHANGE`), `dest` goes from the earlier results to the new ones at once and the
/// earlier ones, now at `new`'s path, are deleted. Elsewhere (or on a file system that cannot
/// swap), the earlier results are moved aside to `.NAME.old-<pid>` and the new ones into place:
/// a process killed between the two renames leaves `dest` missing and the earlier results
/// complete beside it, and [`remove_stale`] puts them back before anything is deleted.
fn replace(new: &Path, dest: &Path) -> anyhow::Result<()> {
    match exchange(new, dest) {
        Ok(()) => {
            // `new`'s path now holds the earlier results.
            if let Err(e) = fs::remove_dir_all(new) {
                eprintln!(
                    "warning: could not delete the earlier results moved to {}: {e}",
                    new.display()
                );
            }
            return Ok(());
        }
        Err(e) if !can_fall_back(&e) => {
            return Err(e)
                .with_context(|| format!("cannot move the new results into {}", dest.display()));
        }
        Err(_) => {}
    }
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let old = new.with_file_name(format!(".{name}.old-{}", std::process::id()));
    if old.exists() {
        let _ = fs::remove_dir_all(&old);
    }
    fs::rename(dest, &old).with_context(|| {
        format!(
            "cannot move the earlier results in {} aside",
            dest.display()
        )
    })?;
    if let Err(e) = fs::rename(new, dest) {
        // Put the earlier results back rather than leave nothing.
        let _ = fs::rename(&old, dest);
        return Err(e)
            .with_context(|| format!("cannot move the new results into {}", dest.display()));
    }
    if let Err(e) = fs::remove_dir_all(&old) {
        eprintln!(
            "warning: could not delete the earlier results moved to {}: {e}",
            old.display()
        );
    }
    Ok(())
}

/// Swaps two folders in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Swaps two folders in one step: not available here, so [`replace`] renames twice.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Whether a failed swap means "this platform or file system cannot swap" (then rename twice),
/// not a real failure such as permissions.
fn can_fall_back(e: &std::io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    e.kind() == std::io::ErrorKind::Unsupported || matches!(e.raw_os_error(), Some(EINVAL | ENOSYS))
}

/// Removes hidden folders beside the destination left by interrupted runs (Ctrl-C, a killed
/// process): `.NAME.tmp-<pid>.<random>` (or `.NAME.tmp-<pid>`, from earlier versions) and
/// `.NAME.old-<pid>` whose process is no longer running. Only
/// where running processes can be checked (Linux); elsewhere only this process's own leftovers.
fn remove_stale(parent: &Path, name: &str) {
    let own = std::process::id();
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let mut stale_tmp = Vec::new();
    let mut stale_old = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let (pid, old) = match (rest.strip_prefix("tmp-"), rest.strip_prefix("old-")) {
            (Some(p), _) => (p.split_once('.').map_or(p, |(pid, _random)| pid), false),
            (None, Some(p)) => (p, true),
            (None, None) => continue,
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid == own || !process_running(pid) {
            if old { &mut stale_old } else { &mut stale_tmp }.push(entry.path());
        }
    }
    // A run killed between moving the earlier results aside and moving the new ones in left the
    // destination missing: the earlier results (complete) go back first, so that deleting the
    // rest never deletes the only complete copy. Each step is one rename, so a clean-up that is
    // itself interrupted leaves the same or a better state for the next run.
    let dest = parent.join(name);
    if !dest.exists() {
        stale_old.sort_by_key(|p| fs::metadata(p).and_then(|m| m.modified()).ok());
        if let Some(newest) = stale_old.pop() {
            let _ = fs::rename(&newest, &dest);
        }
    }
    if dest.exists() {
        for dir in stale_old {
            let _ = fs::remove_dir_all(dir);
        }
    }
    for dir in stale_tmp {
        let _ = fs::remove_dir_all(dir);
    }
}

/// Whether process `pid` is running; `true` when that cannot be known.
fn process_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if cfg!(target_os = "linux") && proc.join("self").exists() {
        proc.join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Refuses to replace `dest` unless it is a folder of earlier dsg results (or empty) that holds
/// none of the `protect` files.
fn check_replaceable(dest: &Path, shown: &str, protect: &[PathBuf]) -> anyhow::Result<()> {
    if !dest.is_dir() {
        return Err(bad_input(format!(
            "--out {shown}: a file of that name exists; give the name of a folder for the results"
        )));
    }
    for file in protect {
        if let Ok(f) = file.canonicalize()
            && f.starts_with(dest)
        {
            return Err(bad_input(format!(
                "--out {shown}: the folder holds the scenario {}, which replacing the results would delete; choose another folder",
                file.display()
            )));
        }
    }
    let empty = fs::read_dir(dest)
        .with_context(|| format!("cannot read the folder {shown}"))?
        .next()
        .is_none();
    if empty {
        return Ok(());
    }
    let Some(listed) = files_listed_in_manifest(dest) else {
        return Err(bad_input(format!(
            "--out {shown}: the folder exists and holds files that are not dsg results (it has no manifest.json, or none dsg can read); \
             to keep them safe dsg will not replace it. Choose a new folder, or delete this one first"
        )));
    };
    let mut found = Vec::new();
    files_under(dest, Path::new(""), &mut found)
        .with_context(|| format!("cannot read the folder {shown}"))?;
    let foreign: Vec<String> = found.into_iter().filter(|f| !listed.contains(f)).collect();
    if !foreign.is_empty() {
        let shown_files = foreign
            .iter()
            .take(3)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        let more = if foreign.len() > 3 {
            format!(" and {} more", foreign.len() - 3)
        } else {
            String::new()
        };
        return Err(bad_input(format!(
            "--out {shown}: the folder holds earlier dsg results but also files dsg did not write ({shown_files}{more}); \
             to keep them safe dsg will not replace it. Move them out, or choose a new folder"
        )));
    }
    Ok(())
}

/// The files a results folder's `manifest.json` lists (relative paths with `/`), or `None` when
/// there is no manifest or it cannot be read as one.
fn files_listed_in_manifest(dir: &Path) -> Option<Vec<String>> {
    /// The part of [`crate::output::manifest::Manifest`] that says what the folder holds.
    #[derive(serde::Deserialize)]
    struct Listing {
        files: Vec<String>,
    }
    let text = fs::read_to_string(dir.join("manifest.json")).ok()?;
    serde_json::from_str::<Listing>(&text).ok().map(|l| l.files)
}

/// Every file under `dir` (recursively), as paths relative to the results folder joined by `/`.
pub(crate) fn files_under(dir: &Path, prefix: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let relative = prefix.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            files_under(&entry.path(), &relative, out)?;
        } else {
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tempdir() -> tempfile::TempDir {
        match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => panic!("tempdir: {e}"),
        }
    }

    #[test]
    fn failure_leaves_nothing_behind() {
        let root = tempdir();
        let dest = root.path().join("a/b/results");
        {
            let Ok(s) = Staging::prepare(&dest, &[]) else {
                panic!("prepare")
            };
            assert!(s.path().is_dir());
            let _ = fs::write(s.path().join("x.txt"), "x");
        }
        assert!(!dest.exists());
        assert!(
            !root.path().join("a").exists(),
            "created parents are removed"
        );
    }

    #[test]
    fn commit_replaces_earlier_results_only() {
        let root = tempdir();
        let dest = root.path().join("results");
        let _ = fs::create_dir_all(dest.join("charts"));
        let _ = fs::write(
            dest.join("manifest.json"),
            r#"{"files": ["manifest.json", "old.txt", "charts/fan.png"]}"#,
        );
        let _ = fs::write(dest.join("old.txt"), "old");
        let _ = fs::write(dest.join("charts/fan.png"), "png");
        let Ok(s) = Staging::prepare(&dest, &[]) else {
            panic!("prepare")
        };
        let _ = fs::write(s.path().join("new.txt"), "new");
        assert_eq!(s.commit().ok(), Some(Outcome::Replaced));
        assert!(dest.join("new.txt").is_file());
        assert!(!dest.join("old.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(root.path())
            .map(|r| r.filter_map(Result::ok).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn leftovers_of_interrupted_runs_are_removed() {
        let root = tempdir();
        // No process has id 4294967295 (above Linux's pid_max).
        let stale = root.path().join(".results.tmp-4294967295");
        let _ = fs::create_dir(&stale);
        let stale_random = root.path().join(".results.tmp-4294967295.Ab12Cd");
        let _ = fs::create_dir(&stale_random);
        let other = root.path().join(".other.tmp-4294967295");
        let _ = fs::create_dir(&other);
        let dest = root.path().join("results");
        let Ok(s) = Staging::prepare(&dest, &[]) else {
            panic!("prepare")
        };
        if cfg!(target_os = "linux") {
            assert!(!stale.exists());
            assert!(!stale_random.exists());
        }
        let own = s
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        let own = own.unwrap_or_default();
        assert!(
            own.starts_with(&format!(".results.tmp-{}.", std::process::id())),
            "{own}"
        );
        assert!(other.exists(), "another destination's folder is left alone");
        drop(s);
    }

    /// Issue 30, fault 11: a run killed between the two renames of the fallback commit left the
    /// destination missing, the earlier results aside and the new ones in staging; the next run
    /// deleted both. Now the earlier results go back into place first.
    #[test]
    fn a_run_killed_mid_commit_loses_no_results() {
        let root = tempdir();
        // No process has id 4294967295 (above Linux's pid_max).
        let old = root.path().join(".results.old-4294967295");
        let _ = fs::create_dir(&old);
        let _ = fs::write(old.join("manifest.json"), r#"{"files": ["manifest.json"]}"#);
        let tmp = root.path().join(".results.tmp-4294967295.Xy12");
        let _ = fs::create_dir(&tmp);
        let _ = fs::write(tmp.join("manifest.json"), r#"{"files": ["manifest.json"]}"#);
        let dest = root.path().join("results");
        let Ok(s) = Staging::prepare(&dest, &[]) else {
            panic!("prepare")
        };
        if cfg!(target_os = "linux") {
            assert!(
                dest.join("manifest.json").is_file(),
                "earlier results restored"
            );
            assert!(!old.exists() && !tmp.exists());
        }
        drop(s);
        assert!(dest.join("manifest.json").is_file());
    }

    /// Where two folders can be swapped in one step, the commit does so: no moment without a
    /// complete copy at the destination, and nothing left beside it.
    #[cfg(target_os = "linux")]
    #[test]
    fn commit_swaps_in_one_step() {
        let root = tempdir();
        let a = root.path().join("a");
        let b = root.path().join("b");
        let _ = fs::create_dir(&a);
        let _ = fs::create_dir(&b);
        let _ = fs::write(a.join("x"), "a");
        let _ = fs::write(b.join("x"), "b");
        assert!(exchange(&a, &b).is_ok());
        assert_eq!(fs::read_to_string(a.join("x")).ok().as_deref(), Some("b"));
        assert_eq!(fs::read_to_string(b.join("x")).ok().as_deref(), Some("a"));
    }

    #[test]
    fn refuses_earlier_results_holding_a_users_own_file() {
        let root = tempdir();
        let dest = root.path().join("results");
        let _ = fs::create_dir_all(dest.join("charts"));
        let _ = fs::write(
            dest.join("manifest.json"),
            r#"{"files": ["manifest.json", "summary.json"]}"#,
        );
        let _ = fs::write(dest.join("summary.json"), "{}");
        let _ = fs::write(dest.join("charts/committee-paper.docx"), "precious");
        let err = Staging::prepare(&dest, &[]).err().map(|e| e.to_string());
        let err = err.unwrap_or_default();
        assert!(err.contains("charts/committee-paper.docx"), "{err}");
        assert!(dest.join("charts/committee-paper.docx").is_file());
    }

    #[test]
    fn refuses_a_folder_whose_manifest_is_not_one() {
        let root = tempdir();
        let _ = fs::write(root.path().join("manifest.json"), "not json");
        let _ = fs::write(root.path().join("notes.txt"), "precious");
        assert!(Staging::prepare(root.path(), &[]).is_err());
        assert!(root.path().join("notes.txt").is_file());
    }

    #[test]
    fn refuses_a_folder_of_other_files() {
        let root = tempdir();
        let _ = fs::write(root.path().join("budget.xlsx"), "precious");
        let err = Staging::prepare(root.path(), &[]);
        assert!(err.is_err());
        assert!(root.path().join("budget.xlsx").is_file());
    }
}
