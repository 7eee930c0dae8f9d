//! `dsg init`: write a commented scenario to start from, copied from one of the shipped
//! scenarios (built into the program, so it works wherever dsg is installed).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;

use crate::error::bad_input;

/// A shipped scenario to start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Template {
    /// The smallest useful scenario: one placement type, demand growing faster than funding.
    Minimal,
    /// A county council with a safety-valve agreement, mitigations and uncertainty.
    County,
    /// The national position with the February 2026 policy events.
    England,
}

impl Template {
    /// The scenario text.
    pub fn text(self) -> &'static str {
        match self {
            Template::Minimal => include_str!("../../../scenarios/minimal.toml"),
            Template::County => include_str!("../../../scenarios/cambridgeshire.toml"),
            Template::England => include_str!("../../../scenarios/england.toml"),
        }
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Template::Minimal => "minimal",
            Template::County => "county",
            Template::England => "england",
        }
    }
}

/// The file `dsg init` writes: a short header, then the template.
pub fn contents(template: Template) -> String {
    format!(
        "# Written by `dsg init --template {}` (dsg {}). Change the figures to your council's,\n\
         # then check the file with `dsg validate` and forecast it with `dsg run`.\n\
         #\n{}",
        template.name(),
        env!("CARGO_PKG_VERSION"),
        template.text()
    )
}

/// Runs `dsg init`: writes the template to `path`, never over an existing file.
pub fn init(template: Template, path: &Path) -> anyhow::Result<ExitCode> {
    let shown = path.display();
    if path.exists() {
        return Err(bad_input(format!(
            "{shown} already exists; dsg init never overwrites a file. Choose another name, or delete it first"
        )));
    }
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
        && !parent.is_dir()
    {
        return Err(bad_input(format!(
            "cannot write {shown}: the folder {} does not exist",
            parent.display()
        )));
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(bad_input(format!(
                "{shown} already exists; dsg init never overwrites a file"
            )));
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {shown}")),
    };
    let written = file
        .write_all(contents(template).as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(e).with_context(|| format!("cannot write {shown}"));
    }
    crate::print(&format!(
        "Wrote {shown} from the `{}` template.\nNext: edit the figures, then run\n  dsg validate {shown}\n  dsg run {shown}\n",
        template.name()
    ))?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_a_valid_scenario() {
        for t in [Template::Minimal, Template::County, Template::England] {
            let result = dsg_core::Scenario::from_toml_str(&contents(t), "template.toml");
            assert!(result.is_ok(), "{}: {:?}", t.name(), result.err());
        }
    }
}
