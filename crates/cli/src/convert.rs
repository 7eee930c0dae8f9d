//! `dsg convert`: a scenario from TOML to an assumptions workbook (XLSX) and back, by the files'
//! extensions. What is read is validated first: nothing is written from a scenario with a
//! problem.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use dsg_data::workbook::{is_workbook, scenario_toml, write_workbook};

use crate::error::bad_input;

/// `dsg convert`'s arguments.
#[derive(Args)]
pub struct ConvertArgs {
    /// The scenario to read: a TOML file, or an assumptions workbook (.xlsx).
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// The file to write: .xlsx for a workbook, .toml for TOML.
    #[arg(value_name = "OUT")]
    pub output: PathBuf,
    /// Replace OUT if it exists (by default an existing file is never overwritten).
    #[arg(long)]
    pub force: bool,
}

/// Runs `dsg convert`.
pub fn convert(args: &ConvertArgs) -> anyhow::Result<ExitCode> {
    let to_workbook = is_workbook(&args.output);
    if !to_workbook
        && !args
            .output
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        return Err(bad_input(format!(
            "{}: write a .xlsx (an assumptions workbook) or a .toml file",
            args.output.display()
        )));
    }
    if args.output.exists() && !args.force {
        return Err(bad_input(format!(
            "{} already exists; give --force to replace it, or choose another name",
            args.output.display()
        )));
    }
    let loaded = crate::load::load(&args.input)?;
    crate::load::print_warnings(&loaded);
    let raw = loaded.scenario.raw();
    let bytes = if to_workbook {
        write_workbook(raw)?
    } else {
        format!(
            "# Written by `dsg convert` (dsg {}) from {}.\n{}",
            env!("CARGO_PKG_VERSION"),
            args.input.display(),
            scenario_toml(raw)?
        )
        .into_bytes()
    };
    write_replacing(&args.output, &bytes)?;
    crate::print(&format!(
        "Wrote {} from {} ({}).\n",
        args.output.display(),
        args.input.display(),
        loaded.scenario.name()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Writes `bytes` to `path` through a temporary file beside it, so that a failed write leaves
/// no half-written file.
pub fn write_replacing(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context;
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
        && !parent.is_dir()
    {
        return Err(bad_input(format!(
            "cannot write {}: the folder {} does not exist",
            path.display(),
            parent.display()
        )));
    }
    let mut temp = path.as_os_str().to_owned();
    temp.push(".part");
    let temp = PathBuf::from(temp);
    let written = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}
