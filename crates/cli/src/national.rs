//! `dsg national`: every council forecast on the same paths, with shared national shocks, added
//! up into the national picture (docs/model.md section 15, issue 27).

mod balances;
mod council;
mod html;
mod parts;
mod prose;
mod regions;
mod row;
mod tables;
mod workbook;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use dsg_core::Scenario;
use dsg_data::public::{CouncilFigures, Level, Panel, PooledFits, ScenarioSettings, scenario_toml};
use dsg_montecarlo::national::{Council, NationalAggregate, NationalSettings, run as run_national};

use crate::args::{parse_paths, parse_seed, parse_threads};
use crate::error::bad_input;
use crate::output::atomic::{Staging, announce};

pub use balances::Balance;

/// The first year whose growth (into it) the national share is estimated from: the pooled
/// growth model's (docs/model.md section 15).
const SHARE_FIRST_YEAR: i32 = 2011;

/// `dsg national`.
#[derive(Args)]
pub struct NationalArgs {
    /// A folder of scenario files to run instead of every council in the shipped panel (each
    /// `*.toml`, named by its file).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Simulated futures (paths), shared by every council.
    #[arg(long, value_name = "N", default_value = "10000", value_parser = parse_paths)]
    pub paths: u64,
    /// Random seed. A council's paths are those of its run alone with the same seed and share.
    #[arg(long, value_name = "S", default_value_t = dsg_montecarlo::stream::DEFAULT_SEED, value_parser = parse_seed)]
    pub seed: u64,
    /// Worker threads (default: every core). The figures do not depend on it.
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// The share of councils' growth shocks that is national, 0 to 1 (default: estimated from
    /// the panel, 0.345).
    #[arg(long, value_name = "RHO")]
    pub share: Option<f64>,
    /// Councils' DSG balances and usable reserves (CSV: code, name, opening_balance,
    /// usable_reserves; blanks allowed). Write one to fill in with --balances-template.
    #[arg(long, value_name = "FILE.csv")]
    pub balances: Option<PathBuf>,
    /// Write the balances CSV for every council in the panel, to fill in, and stop.
    #[arg(long, value_name = "FILE.csv", conflicts_with_all = ["dir", "balances", "out"])]
    pub balances_template: Option<PathBuf>,
    /// The January count to start every council from (default: the latest, 2025).
    #[arg(long, value_name = "YEAR")]
    pub as_at: Option<i32>,
    /// Run only part K of N of the paths (K from 1 to N, e.g. 3/100: one task of an array job)
    /// and write its aggregates as part.json in --out, to merge with --merge (docs/scaling.md).
    #[arg(long, value_name = "K/N", value_parser = parts::parse_part, conflicts_with = "merge")]
    pub part: Option<(u64, u64)>,
    /// Merge the part.json files of a run split with --part (given the same councils, --paths,
    /// --seed and --share) and write the whole run's results.
    #[arg(long, value_name = "PART.json", num_args = 1..)]
    pub merge: Vec<PathBuf>,
    /// Folder to write national.csv, councils.csv, regions.csv, national.json, national.html and
    /// national.xlsx in.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write this council's full series (its `dsg run` results.csv, on the run's paths) in
    /// OUT/councils/CODE/ (repeatable).
    #[arg(long = "council", value_name = "CODE", conflicts_with = "part")]
    pub councils: Vec<String>,
    /// Print only the headline.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A council of the run, with what the tables need beside its scenario.
pub struct Member {
    /// ONS code (panel) or file stem (folder).
    pub code: String,
    /// Its name.
    pub name: String,
    /// Plans at the base year's January count.
    pub base_ehcps: f64,
    /// Its scenario.
    pub scenario: Scenario,
    /// Its region: an index into [`dsg_data::public::REGIONS`].
    pub region: Option<usize>,
    /// Children aged 2-18 at the panel's latest population year ([`Members::population_year`]).
    pub population: Option<f64>,
}

/// The councils of a run and those left out, with why.
pub struct Members {
    /// In the run.
    pub councils: Vec<Member>,
    /// Left out: name and reason.
    pub left_out: Vec<(String, String)>,
    /// England's published count at the base year's January, when from the panel.
    pub england: Option<(i32, f64)>,
    /// The year of the children aged 2-18 counted, when from the panel.
    pub population_year: Option<i32>,
    /// Each region's children aged 2-18 (by [`dsg_data::public::REGIONS`]), where known.
    pub region_population: Vec<Option<f64>>,
}

/// Runs `dsg national`.
pub fn run(args: &NationalArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let panel = Panel::shipped().map_err(anyhow::Error::from)?;
    if let Some(file) = &args.balances_template {
        balances::write_template(panel, file)?;
        crate::print(&format!(
            "Wrote {}: fill in each council's opening_balance (its cumulative DSG balance at the base year's end, negative for a deficit) and usable_reserves, then run dsg national --balances {}\n",
            file.display(),
            file.display()
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    let share = match args.share {
        Some(s) if (0.0..=1.0).contains(&s) => s,
        Some(s) => return Err(bad_input(format!("--share must be from 0 to 1, not {s}"))),
        None => {
            dsg_analysis::national::shock_share(&panel.levels("caseload"), SHARE_FIRST_YEAR)?.rho
        }
    };
    if args.dir.is_some() && args.balances.is_some() {
        return Err(bad_input(
            "--balances applies to the panel's councils: a folder's scenarios give their own balances and reserves",
        ));
    }
    let given = match &args.balances {
        Some(file) => balances::read(file)?,
        None => BTreeMap::new(),
    };
    if args.part.is_some() && args.out.is_none() {
        return Err(bad_input("--part writes part.json: give --out DIR"));
    }
    let staging = match &args.out {
        Some(dir) => {
            let mut protect: Vec<PathBuf> = args.balances.iter().cloned().collect();
            protect.extend(args.dir.iter().cloned());
            protect.extend(args.merge.iter().cloned());
            Some(Staging::prepare(dir, &protect)?)
        }
        None => None,
    };
    let members = match &args.dir {
        Some(dir) => from_folder(dir)?,
        None => from_panel(panel, args.as_at, &given)?,
    };
    let asked = council::find(&members.councils, &args.councils)?;
    if !asked.is_empty() && args.out.is_none() {
        return Err(bad_input(
            "--council writes into OUT/councils/CODE/: give --out DIR",
        ));
    }
    let built = started.elapsed().as_secs_f64();
    let councils: Vec<Council<'_>> = members
        .councils
        .iter()
        .map(|m| Council {
            id: m.code.clone(),
            scenario: &m.scenario,
            group: m.region,
        })
        .collect();
    let mut settings = NationalSettings {
        paths: args.paths,
        range: args.part.map(|(k, n)| parts::range(k, n, args.paths)),
        seed: args.seed,
        threads: args.threads,
        share,
    };
    let aggregate = if args.merge.is_empty() {
        run_national(&councils, &settings)?
    } else {
        let (aggregate, merged) = parts::merge(&args.merge, &councils)?;
        settings = merged;
        aggregate
    };
    let ran = started.elapsed().as_secs_f64() - built;
    let Some(staging) = staging else {
        let results =
            tables::Results::new(&members, &aggregate, &settings, args.balances.is_some());
        crate::print(&results.headline(built, ran))?;
        return Ok(ExitCode::SUCCESS);
    };
    let listing = if args.part.is_some() {
        parts::write(staging.path(), &councils, &settings, &aggregate)?;
        crate::print(&format!(
            "Part {} of {}: paths {:?} of {}, {} councils, in {ran:.2} s.\n",
            args.part.map_or(0, |p| p.0),
            args.part.map_or(0, |p| p.1),
            settings.range.clone().unwrap_or(0..settings.paths),
            settings.paths,
            councils.len()
        ))?;
        "part.json"
    } else {
        let results =
            tables::Results::new(&members, &aggregate, &settings, args.balances.is_some());
        crate::print(&results.headline(built, ran))?;
        write_all(
            staging.path(),
            &results,
            &members,
            &asked,
            (&aggregate, &settings),
        )?
    };
    write_manifest(staging.path(), args, &settings, councils.len())?;
    let outcome = staging.commit()?;
    if let Some(dir) = &args.out {
        announce(dir, outcome, listing, args.quiet);
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `manifest.json` into `dir` (last): the run's settings, the inputs' hashes and every
/// file written, so that a later run into the same folder knows it holds dsg results.
fn write_manifest(
    dir: &Path,
    args: &NationalArgs,
    settings: &NationalSettings,
    councils: usize,
) -> anyhow::Result<()> {
    let mut files = Vec::new();
    crate::output::atomic::files_under(dir, Path::new(""), &mut files)?;
    files.sort();
    let balances = match &args.balances {
        Some(file) => Some(serde_json::json!({
            "file": file.display().to_string(),
            "sha256": crate::load::sha256_of(file)?,
        })),
        None => None,
    };
    crate::output::manifest::write_listing(
        dir,
        "national",
        serde_json::json!({
            "scenarios": args.dir.as_ref().map(|d| d.display().to_string()),
            "councils": councils,
            "paths": settings.paths,
            "path_range": settings.range.as_ref().map(|r| [r.start, r.end]),
            "seed": settings.seed,
            "national_share": settings.share,
            "rng": dsg_montecarlo::stream::RNG_DESCRIPTION,
            "balances": balances,
            "merged": args.merge.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        }),
        &files,
    )
}

/// Writes a whole run's files into `dir`, with the full series of the councils `asked` (by
/// position); returns their listing.
fn write_all(
    dir: &Path,
    results: &tables::Results,
    members: &Members,
    asked: &[usize],
    (aggregate, settings): (&NationalAggregate, &NationalSettings),
) -> anyhow::Result<&'static str> {
    results.write(dir)?;
    std::fs::write(dir.join("national.html"), html::page(results))?;
    for &c in asked {
        council::write(dir, &members.councils[c], c, aggregate, settings)?;
    }
    Ok(if asked.is_empty() {
        "national.csv, councils.csv, regions.csv, national.json, national.html, national.xlsx"
    } else {
        "national.csv, councils.csv, regions.csv, national.json, national.html, national.xlsx and councils/"
    })
}

/// Every local authority of `panel` with a count at `as_at`, its scenario built as `init --la`
/// builds it (in memory), on two threads.
fn from_panel(
    panel: &Panel,
    as_at: Option<i32>,
    given: &BTreeMap<String, Balance>,
) -> anyhow::Result<Members> {
    let areas: Vec<_> = panel
        .areas()
        .into_iter()
        .filter(|a| a.level == Level::La)
        .collect();
    let half = areas.len().div_ceil(2);
    // Each thread fits the pooled growth model once (per January) for all its councils.
    let build = |part: &[&dsg_data::public::Area]| -> Vec<Result<Member, (String, String)>> {
        let mut fits = PooledFits::new(panel);
        part.iter()
            .map(|area| member_of(&mut fits, area, as_at, given.get(&area.code)))
            .collect()
    };
    let (first, second) = std::thread::scope(|s| {
        let h = s.spawn(|| build(&areas[half..]));
        let first = build(&areas[..half]);
        (first, h.join())
    });
    let second = second.map_err(|_| anyhow::anyhow!("building the councils' scenarios failed"))?;
    let mut members = Members {
        councils: Vec::new(),
        left_out: Vec::new(),
        england: None,
        population_year: None,
        region_population: Vec::new(),
    };
    for m in first.into_iter().chain(second) {
        match m {
            Ok(m) => members.councils.push(m),
            Err(e) => members.left_out.push(e),
        }
    }
    let year = as_at.unwrap_or(2025);
    members.england = panel
        .find("E92000001", "caseload", year)
        .and_then(|r| r.value.number())
        .map(|v| (year, v));
    regions::add_population(panel, &mut members);
    Ok(members)
}

/// One council's scenario from the panel, or why it is left out.
fn member_of(
    fits: &mut PooledFits<'_>,
    area: &dsg_data::public::Area,
    as_at: Option<i32>,
    balance: Option<&Balance>,
) -> Result<Member, (String, String)> {
    let left_out = |e: String| (format!("{} ({})", area.name, area.code), e);
    let figures =
        CouncilFigures::from_fits(fits, area, as_at).map_err(|e| left_out(e.to_string()))?;
    let settings = ScenarioSettings {
        opening_balance: balance.and_then(|b| b.opening_balance),
        reserves: balance.and_then(|b| b.usable_reserves),
        command: "dsg national".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    };
    let text = scenario_toml(&figures, &settings);
    let scenario = Scenario::from_toml_str(&text, format!("{}.toml", area.code)).map_err(|e| {
        left_out(format!(
            "its scenario does not validate (a fault in dsg): {e}"
        ))
    })?;
    Ok(Member {
        code: area.code.clone(),
        name: area.name.clone(),
        base_ehcps: figures.caseload.value,
        scenario,
        region: regions::region_index(&area.code),
        population: None,
    })
}

/// Every `*.toml` in `dir`, in name order, each council named by its file stem.
fn from_folder(dir: &Path) -> anyhow::Result<Members> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| bad_input(format!("cannot read the folder {}: {e}", dir.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(bad_input(format!(
            "{} has no scenario files (*.toml)",
            dir.display()
        )));
    }
    let mut councils = Vec::new();
    for file in files {
        let loaded = crate::load::load(&file)?;
        let scenario = loaded.scenario;
        let code = file
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let inputs = scenario.params().central_inputs();
        let base_ehcps = scenario
            .provisions()
            .iter()
            .map(|p| inputs.scalar(p.caseload))
            .sum();
        councils.push(Member {
            name: if scenario.authority().is_empty() {
                scenario.name().to_string()
            } else {
                scenario.authority().to_string()
            },
            code,
            base_ehcps,
            scenario,
            region: None,
            population: None,
        });
    }
    Ok(Members {
        councils,
        left_out: Vec::new(),
        england: None,
        population_year: None,
        region_population: Vec::new(),
    })
}
