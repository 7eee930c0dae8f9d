//! `dsg validate`: check scenario files and list every problem found.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::EXIT_BAD_INPUT;
use crate::load::load;

/// Runs `dsg validate`: `OK` on stdout for each good file, every problem on stderr.
pub fn validate(paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    let mut report = String::new();
    for path in paths {
        match load(path) {
            Ok(l) => {
                crate::load::print_warnings(&l);
                report.push_str(&format!(
                    "{}: OK ({}; national policy: {})\n",
                    path.display(),
                    l.scenario.name(),
                    l.scenario.policy()
                ));
            }
            Err(e) => {
                failed = true;
                eprintln!("{e}");
            }
        }
    }
    crate::print(&report)?;
    Ok(if failed {
        ExitCode::from(EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}
