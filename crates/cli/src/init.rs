//! `dsg init`: write a commented scenario to start from, copied from one of the shipped
//! scenarios (built into the program, so it works wherever dsg is installed).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use dsg_data::public::{CouncilFigures, Panel, ScenarioSettings, ages_toml, scenario_toml};

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

/// `dsg init`'s arguments.
#[derive(Args)]
pub struct InitArgs {
    /// Which worked example to start from.
    #[arg(long, value_enum, default_value_t = Template::Minimal, conflicts_with = "la")]
    pub template: Template,
    /// Start from a council's own published figures: its name (loosely matched), ONS code
    /// (E10000003) or DfE code (873). `dsg data show --list` lists them.
    #[arg(long, value_name = "NAME|CODE")]
    pub la: Option<String>,
    /// The January count to start from (default: the council's latest, 2025 in the shipped
    /// data); the base year is the financial year ending that March.
    #[arg(long, value_name = "YEAR", requires = "la", value_parser = clap::value_parser!(i32).range(2010..=2100))]
    pub as_at: Option<i32>,
    /// The council's cumulative DSG balance at the end of the base year, negative for a deficit
    /// (-94m, -£94,000,000). Not published per council; without it the scenario opens at 0 and
    /// says so.
    #[arg(long, value_name = "AMOUNT", requires = "la", allow_hyphen_values = true, value_parser = parse_money)]
    pub opening_balance: Option<f64>,
    /// The council's usable general-fund reserves (110m).
    #[arg(long, value_name = "AMOUNT", requires = "la", value_parser = parse_money)]
    pub reserves: Option<f64>,
    /// A panel written by `dsg data import` to read instead of the one built in.
    #[arg(long, value_name = "FILE", requires = "la")]
    pub panel: Option<std::path::PathBuf>,
    /// Write an assumptions workbook (XLSX, docs/workbook.md) to FILE instead of a TOML file.
    #[arg(long, value_name = "FILE", conflicts_with = "path")]
    pub xlsx: Option<std::path::PathBuf>,
    /// The new scenario file (for example my-council.toml; a name ending .xlsx writes a
    /// workbook). It must not exist yet.
    #[arg(required_unless_present = "xlsx")]
    pub path: Option<std::path::PathBuf>,
}

impl InitArgs {
    /// The file to write.
    fn target(&self) -> &Path {
        self.xlsx
            .as_deref()
            .or(self.path.as_deref())
            .unwrap_or(Path::new("scenario.toml"))
    }
}

/// An amount of money as `--opening-balance` and `--reserves` take it.
fn parse_money(text: &str) -> Result<f64, String> {
    match dsg_core::money::parse_amount(text) {
        Some(v) if v.is_finite() && v.abs() < 1e13 => Ok(v),
        _ => Err(format!(
            "`{text}` is not an amount of money (examples: -94m, 110m, -£94,000,000)"
        )),
    }
}

/// Runs `dsg init`.
pub fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let Some(la) = &args.la else {
        return init(args.template, args.target());
    };
    let target = args.target();
    let started = std::time::Instant::now();
    let loaded;
    let panel: &Panel = match &args.panel {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| bad_input(format!("cannot read {}: {e}", file.display())))?;
            loaded = Panel::read_csv(&text, &file.display().to_string()).map_err(data_error)?;
            &loaded
        }
        None => Panel::shipped().map_err(anyhow::Error::from)?,
    };
    let area = panel.find_area(la).map_err(data_error)?;
    let figures = CouncilFigures::from_panel(panel, area, args.as_at).map_err(data_error)?;
    let settings = ScenarioSettings {
        opening_balance: args.opening_balance,
        reserves: args.reserves,
        command: std::iter::once("dsg".to_string())
            .chain(std::env::args().skip(1))
            .collect::<Vec<_>>()
            .join(" "),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    // The council's plans by age band (docs/model.md section 14), when published.
    let text = scenario_toml(&figures, &settings) + &ages_toml(&figures);
    // What is written must run: a scenario that does not validate is a bug here, not bad input.
    if let Err(e) = dsg_core::Scenario::from_toml_str(&text, target.display().to_string()) {
        anyhow::bail!(
            "the scenario written for {} does not validate (a fault in dsg; nothing written): {e}",
            area.name
        );
    }
    write_scenario(target, &text)?;
    for note in &figures.notes {
        eprintln!("warning: {note}");
    }
    if args.opening_balance.is_none() {
        eprintln!(
            "warning: {}'s DSG balance is not published: the scenario opens at 0, so its cumulative balance is only what builds up from {}; give --opening-balance",
            area.name,
            figures.base_year()
        );
    }
    let shown = target.display();
    crate::print(&format!(
        "Wrote {shown} for {} ({}, DfE {}) from its published figures to January {} ({} plans) in {:.2} s.\n\
         Next: check the figures marked ESTIMATE or ILLUSTRATIVE, then run\n  dsg validate {shown}\n  dsg run {shown}\n",
        area.name,
        area.code,
        area.dfe_code,
        figures.as_at,
        figures.caseload.value,
        started.elapsed().as_secs_f64()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// A public-data error as bad input (exit 2).
fn data_error(e: dsg_data::DataError) -> anyhow::Error {
    bad_input(e.to_string())
}

/// Runs `dsg init --template`: writes the template to `path`, never over an existing file.
pub fn init(template: Template, path: &Path) -> anyhow::Result<ExitCode> {
    write_scenario(path, &contents(template))?;
    crate::print(&format!(
        "Wrote {} from the `{}` template.\nNext: edit the figures, then run\n  dsg validate {}\n  dsg run {}\n",
        path.display(),
        template.name(),
        path.display(),
        path.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the scenario `text` to a new file at `path`: as an assumptions workbook when its name
/// ends `.xlsx` (comments are not kept), else as it is.
fn write_scenario(path: &Path, text: &str) -> anyhow::Result<()> {
    if !dsg_data::workbook::is_workbook(path) {
        return write_new(path, text.as_bytes());
    }
    let scenario = dsg_core::Scenario::from_toml_str(text, path)
        .context("the scenario to write does not validate (a fault in dsg; nothing written)")?;
    write_new(path, &dsg_data::workbook::write_workbook(scenario.raw())?)
}

/// Writes `bytes` to a new file at `path`, never over an existing one; nothing is left behind
/// when the write fails.
fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
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
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(e).with_context(|| format!("cannot write {shown}"));
    }
    Ok(())
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
