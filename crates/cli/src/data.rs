//! `dsg data`: DfE's public statistics on every council, imported into a tidy panel (issue 25).

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Subcommand};
use dsg_data::public::{Import, Level, Panel, import_files};

mod history;
mod show;

use crate::error::bad_input;
use crate::load::sha256_of;
use crate::output::atomic::{Staging, announce};

/// The `dsg data` commands.
#[derive(Subcommand)]
pub enum DataCommand {
    /// Import DfE's "Education, health and care plans" releases (the zips as published, or CSVs
    /// taken out of them), ESFA's DSG allocation spreadsheets (.ods) and DfE's high-needs
    /// benchmarking extract (.xlsx) into one tidy panel: every council's plans at January by
    /// placement, requests, new plans, plans issued within 20 weeks, DSG blocks, section 251
    /// high-needs budget and outturn lines, with the file and table of each value.
    #[command(after_help = IMPORT_HELP, after_long_help = IMPORT_HELP)]
    Import(ImportArgs),
    /// Show a council's history from the public data as tables: plans at January by placement,
    /// requests, new plans, plans issued within 20 weeks (and DSG allocations and section 251
    /// spend, when the panel has them), with their sources; or list every area (--list).
    #[command(after_help = SHOW_HELP, after_long_help = SHOW_HELP)]
    Show(show::ShowArgs),
    /// Write a council's public series (plans, requests, new plans; by placement with
    /// --placements) as a history file for `dsg calibrate` and `dsg backtest`; several councils,
    /// or every one (--all), with an `area` column.
    #[command(after_help = HISTORY_HELP, after_long_help = HISTORY_HELP)]
    History(history::HistoryArgs),
}

const SHOW_HELP: &str = concat!(
    "Examples:
  dsg data show --la Cambridgeshire
  dsg data show --la E10000003 --csv > cambridgeshire.csv
  dsg data show --list

A missing value is shown as DfE's symbol (x not available, z not applicable, c confidential,
low), never as 0; the 2023 change to the person-level collection is marked in each table.
docs/public-data.md describes the panel.

",
    exit_codes!()
);

const HISTORY_HELP: &str = concat!(
    "Examples:
  dsg data history --la Cambridgeshire --out cambs.csv && dsg calibrate cambs.csv
  dsg data history --all --out all-las.csv && dsg backtest all-las.csv --no-charts

docs/history-format.md describes the file (the `area` column, the breaks marked).

",
    exit_codes!()
);

/// The panel of `--panel FILE`, or the one built in.
pub(crate) fn load_panel(path: Option<&Path>) -> anyhow::Result<Cow<'static, Panel>> {
    match path {
        None => Ok(Cow::Borrowed(
            Panel::shipped().map_err(|e| anyhow::anyhow!("{e}"))?,
        )),
        Some(p) => {
            let text = std::fs::read(p)
                .map_err(|e| bad_input(format!("--panel {}: cannot read: {e}", p.display())))?;
            let text = String::from_utf8(text).map_err(|_| {
                bad_input(format!(
                    "--panel {}: not UTF-8 text (a panel.csv written by `dsg data import`)",
                    p.display()
                ))
            })?;
            let panel = Panel::read_csv(&text, &p.display().to_string())
                .map_err(|e| bad_input(format!("--panel: {e}")))?;
            Ok(Cow::Owned(panel))
        }
    }
}

/// How the outputs name the panel read.
pub(crate) fn panel_name(path: Option<&Path>) -> String {
    match path {
        None => "data/public/panel.csv (built in)".to_string(),
        Some(p) => p.display().to_string(),
    }
}

/// Whether `a` and `b` name the same existing file.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so that an earlier
/// file there is replaced only by a complete one.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(bad_input(format!(
            "--out {}: a folder; give a file name (history.csv)",
            path.display()
        )));
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| bad_input(format!("--out {}: cannot write there: {e}", path.display())))?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| {
        bad_input(format!(
            "--out {}: cannot write: {}",
            path.display(),
            e.error
        ))
    })?;
    Ok(())
}

const IMPORT_HELP: &str = concat!(
    "Files are known by what they hold, not by their names. Columns are read by name; DfE's `x`,
`z`, `c` and `low`, blanks and text in number cells (`#N/A`) are missing values, never zeros;
columns, codes and files the importer does not know are listed as notes. Where files overlap
the newer release's (or the later-dated allocation file's) figures are kept. Money is by
financial year, by the year it starts (2023 = 2023-24). docs/public-data.md describes the panel.

What --out writes: panel.csv (area_code, dfe_code, name, level, series, year, value, missing,
collection, source_file, source_table), manifest.json (each input's SHA-256, the notes) and
README.md (provenance and licence). Without --out the import is checked and summarised only.

Example (rebuilds the shipped panel, from the repository root):
  D=../shared/data/public
  dsg data import $D/education-health-and-care-plans_2022.zip \\
      $D/education-health-and-care-plans_2025.zip $D/dedicated-schools-grant_2021_11_18.ods \\
      $D/dedicated-schools-grant_2022_07_18.ods $D/dedicated-schools-grant_2023_07_20.ods \\
      $D/dedicated-schools-grant_2024_07_20.ods \\
      $D/high-needs-benchmarking-outturn-2021-22.xlsx --out data/public

",
    exit_codes!()
);

/// `dsg data import`.
#[derive(Args)]
pub struct ImportArgs {
    /// The release zips as published (education-health-and-care-plans_2025.zip...) or CSVs taken
    /// out of them under their own names (caseload.csv, sen2_mi.csv...); ESFA's DSG allocation
    /// spreadsheets (dedicated-schools-grant_2024_07_20.ods...); the high-needs benchmarking
    /// extract (high-needs-benchmarking-outturn-2021-22.xlsx).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Folder to write panel.csv, manifest.json and README.md in. Created if missing; earlier
    /// results there are replaced only once the new ones are complete.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print nothing but warnings and errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs a `dsg data` command.
pub fn data(command: &DataCommand) -> anyhow::Result<ExitCode> {
    match command {
        DataCommand::Import(args) => import(args),
        DataCommand::Show(args) => show::show(args),
        DataCommand::History(args) => history::history(args),
    }
}

/// Runs `dsg data import`.
fn import(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let hashes = args
        .files
        .iter()
        .map(|f| sha256_of(f))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let staging = match &args.out {
        Some(dir) => Some(Staging::prepare(dir, &args.files)?),
        None => None,
    };
    let start = Instant::now();
    let import = import_files(&args.files).map_err(|e| bad_input(e.to_string()))?;
    let seconds = start.elapsed().as_secs_f64();
    if let Some(staging) = staging {
        let dir = staging.path();
        let mut csv = Vec::new();
        import.panel.write_csv(&mut csv)?;
        std::fs::write(dir.join("panel.csv"), &csv)?;
        let files = ["README.md", "manifest.json", "panel.csv"];
        std::fs::write(dir.join("README.md"), readme(&import, &hashes))?;
        crate::output::write_json(
            &dir.join("manifest.json"),
            &manifest(&import, &hashes, &csv, &files),
        )?;
        let outcome = staging.commit()?;
        if let Some(out) = &args.out {
            announce(out, outcome, &files.join(", "), args.quiet);
        }
    }
    if !args.quiet {
        crate::print(&summary(&import, seconds, args.out.as_deref()))?;
        for note in &import.notes {
            eprintln!("note: {note}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What was imported, for the terminal.
fn summary(import: &Import, seconds: f64, out: Option<&Path>) -> String {
    let rows = &import.panel.rows;
    let count = |level: Level| {
        let mut codes: Vec<&str> = rows
            .iter()
            .filter(|r| r.area.level == level)
            .map(|r| r.area.code.as_str())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes.len()
    };
    let mut series: Vec<&str> = rows.iter().map(|r| r.series.as_str()).collect();
    series.sort_unstable();
    series.dedup();
    let first = rows.iter().map(|r| r.year).min().unwrap_or(0);
    let last = rows.iter().map(|r| r.year).max().unwrap_or(0);
    let mut text = format!(
        "Imported {} file(s) in {seconds:.2} s: {} values ({} missing) for {} national, {} regional and {} local authority areas; {} series, {first}-{last}.\n",
        import.sources.len(),
        rows.len(),
        rows.iter().filter(|r| r.value.number().is_none()).count(),
        count(Level::National),
        count(Level::Regional),
        count(Level::La),
        series.len(),
    );
    for s in &import.sources {
        text.push_str(&format!(
            "  {}: release {}, {} values from {}\n",
            s.file,
            s.release,
            s.values,
            s.tables.join(", ")
        ));
    }
    if out.is_none() {
        text.push_str("Nothing written: give --out DIR to write the panel.\n");
    }
    text
}

fn manifest(import: &Import, hashes: &[String], csv: &[u8], files: &[&str]) -> serde_json::Value {
    use sha2::{Digest, Sha256};
    let inputs: Vec<serde_json::Value> = import
        .sources
        .iter()
        .zip(hashes)
        .map(|(s, h)| {
            serde_json::json!({
                "file": s.file, "sha256": h, "release": s.release,
                "tables": s.tables, "values": s.values,
            })
        })
        .collect();
    let digest: String = Sha256::digest(csv)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    serde_json::json!({
        "format": "dsg-manifest/1",
        "command": "data import",
        "dsg_version": env!("CARGO_PKG_VERSION"),
        "inputs": inputs,
        "panel": { "file": "panel.csv", "rows": import.panel.rows.len(), "sha256": digest },
        "notes": import.notes,
        "files": files,
    })
}

/// The provenance and licence note written beside the panel.
fn readme(import: &Import, hashes: &[String]) -> String {
    let mut inputs = String::new();
    for (s, h) in import.sources.iter().zip(hashes) {
        inputs.push_str(&format!(
            "| `{}` | {} | `{h}` |\n",
            s.file,
            source_kind(import, s)
        ));
    }
    format!(
        "# Public data: every council's EHC plan and high-needs funding figures

`panel.csv` is derived by `dsg data import` from the Department for Education's statistics
\"Education, health and care plans\" (explore-education-statistics), the Education and Skills
Funding Agency's \"Dedicated schools grant (DSG): allocations\" and the data behind DfE's
high-needs benchmarking tool, from these files, unchanged as published:

| file | what | SHA-256 |
|---|---|---|
{inputs}
Contains public sector information licensed under the Open Government Licence v3.0
(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/). Source:
Department for Education; Education and Skills Funding Agency. The panel is a reshaping of the
published figures (the all-children rows, by area, series and year; money in pounds by financial
year, 2023 = 2023-24); DfE's `x`, `z`, `c` and `low`, and spreadsheet errors such as `#N/A`, are
kept as missing values.

The format, the series and how the files join (the 2023 break, the boundary and code changes,
DfE codes read to ONS codes) are in docs/public-data.md; `manifest.json` lists each input's
SHA-256 and the importer's notes. To rebuild, from the repository root with the raw files in
../shared/data/public:

    D=../shared/data/public
    dsg data import $D/education-health-and-care-plans_2022.zip \\
        $D/education-health-and-care-plans_2025.zip $D/dedicated-schools-grant_2021_11_18.ods \\
        $D/dedicated-schools-grant_2022_07_18.ods $D/dedicated-schools-grant_2023_07_20.ods \\
        $D/dedicated-schools-grant_2024_07_20.ods \\
        $D/high-needs-benchmarking-outturn-2021-22.xlsx --out data/public
"
    )
}

/// What an input is, for the provenance note: an EHC plan release (its tables are CSVs), the
/// benchmarking extract (it gave section 251 lines) or a DSG allocations file.
fn source_kind(import: &Import, s: &dsg_data::public::SourceSummary) -> String {
    let fy = |y: i32| format!("{y}-{:02}", (y + 1) % 100);
    if s.tables.iter().all(|t| t.ends_with(".csv")) {
        format!("DfE, EHC plans, release {}", s.release)
    } else if import
        .panel
        .rows
        .iter()
        .any(|r| r.source_file == s.file && r.series.starts_with("s251."))
    {
        format!("DfE, high-needs benchmarking, budget {}", fy(s.release))
    } else {
        format!("ESFA, DSG allocations {}", fy(s.release))
    }
}
