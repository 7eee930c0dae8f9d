//! `dsg national --council CODE`: one council's full series beside the national run, in
//! OUT/councils/CODE/: `results.csv`, the table `dsg run` writes, from the council's run alone on
//! the same paths (the same seed, paths and national shocks: its paths are those of the national
//! run), and `national.csv`, the national run's own figures for the council, to check them by.

use std::path::Path;

use dsg_montecarlo::national::{Measure, NationalAggregate, NationalSettings};
use dsg_montecarlo::sampler::NationalShocks;
use dsg_montecarlo::{Settings, Simulation};

use super::Member;
use crate::error::bad_input;

/// The `results.csv` series each national measure is.
pub const SERIES: [(Measure, &str); 5] = [
    (Measure::Ehcps, "caseload.total"),
    (Measure::Spend, "spend.total"),
    (Measure::Funding, "receipts.total"),
    (Measure::InYear, "balance.in_year"),
    (Measure::Cumulative, "balance.cumulative"),
];

/// The councils asked for, by position in the run: each code must be a council of the run.
pub fn find(members: &[Member], codes: &[String]) -> anyhow::Result<Vec<usize>> {
    codes
        .iter()
        .map(|code| {
            members
                .iter()
                .position(|m| m.code.eq_ignore_ascii_case(code.trim()))
                .ok_or_else(|| {
                    bad_input(format!(
                        "--council {code}: no council of the run has that code (councils.csv lists them: ONS codes such as E10000003)"
                    ))
                })
        })
        .collect()
}

/// Writes `dir`/councils/CODE/results.csv and national.csv for council `c`.
pub fn write(
    dir: &Path,
    member: &Member,
    c: usize,
    agg: &NationalAggregate,
    settings: &NationalSettings,
) -> anyhow::Result<()> {
    let shocks = NationalShocks {
        share: settings.share,
        council: member.code.clone(),
    };
    let summary = Simulation::new(&member.scenario)?
        .with_national(&shocks)?
        .run(&Settings {
            paths: settings.paths,
            seed: settings.seed,
            threads: settings.threads,
            precision: None,
        })?;
    let folder = dir.join("councils").join(&member.code);
    std::fs::create_dir_all(&folder)?;
    crate::output::csv::results(&summary, &folder.join("results.csv"))?;
    let mut w = csv::Writer::from_path(folder.join("national.csv"))?;
    w.write_record(["series", "year", "mean", "p5", "p25", "p50", "p75", "p95"])?;
    let a = &agg.councils[c];
    for (measure, name) in SERIES {
        for t in 1..=agg.horizon {
            // The run keeps the distribution of plans, the in-year and the cumulative balance.
            let hist = match measure {
                Measure::Ehcps => Some(&a.ehcps[t - 1]),
                Measure::InYear => Some(&a.in_year[t - 1]),
                Measure::Cumulative => Some(&a.cumulative[t - 1]),
                Measure::Spend | Measure::Funding => None,
            };
            let mut rec = vec![
                name.to_string(),
                member.scenario.year(t).to_string(),
                agg.council_mean(c, measure, t).to_string(),
            ];
            rec.extend(
                [0.05, 0.25, 0.5, 0.75, 0.95]
                    .map(|p| hist.map_or_else(String::new, |h| format!("{:.0}", h.quantile(p)))),
            );
            w.write_record(rec)?;
        }
    }
    w.flush()?;
    Ok(())
}
