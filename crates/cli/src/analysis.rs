//! `dsg run --analyse`: what drives the cumulative balance, printed and saved.

use std::path::{Path, PathBuf};

use anyhow::Context;
use dsg_analysis::Sensitivity;
use dsg_core::money::format_millions;
use dsg_core::{Scenario, Series, SeriesKey};
use dsg_montecarlo::{RECORD_PATHS, Record};

use crate::error::bad_input;
use crate::table::render;

/// Inputs shown in the terminal for each outcome (all are saved).
const SHOWN: usize = 8;

/// The paths and outcomes to record: the cumulative balance when the override ends (when it is a
/// projected year) and at the end of the forecast.
pub fn record(scenario: &Scenario, paths: u64) -> anyhow::Result<Record> {
    if (paths as usize) < dsg_analysis::sensitivity::MIN_PATHS {
        return Err(bad_input(format!(
            "--analyse needs at least {} paths (got {paths})",
            dsg_analysis::sensitivity::MIN_PATHS
        )));
    }
    let key = SeriesKey::mitigated(Series::Cumulative);
    let last = scenario.year(scenario.horizon());
    let mut outcomes = Vec::new();
    if scenario
        .index_of(scenario.override_ends())
        .is_some_and(|t| t >= 1 && t < scenario.horizon())
    {
        outcomes.push((key, scenario.override_ends()));
    }
    outcomes.push((key, last));
    Ok(Record {
        outcomes,
        max_paths: RECORD_PATHS,
    })
}

/// The sensitivity tables and the drivers of the bad case, for the terminal.
pub fn report(results: &[Sensitivity]) -> String {
    let mut out = String::new();
    for s in results {
        if s.inputs.is_empty() {
            out.push_str(&format!("\n{}\n", dsg_analysis::drivers_sentence(s)));
            continue;
        }
        out.push_str(&format!(
            "\nWhat drives the cumulative balance at 31 March {} (median {}; {} simulated futures):\n\n",
            s.year.end_year(),
            dsg_core::money::format_pounds(s.median),
            dsg_core::money::group_thousands(&s.paths.to_string())
        ));
        let headers = [
            "Input",
            "Rank\ncorrelation",
            "Share of\nvariance",
            "£m median if input\nin its lowest tenth",
            "£m median if input\nin its highest tenth",
        ];
        let rows: Vec<Vec<String>> = s
            .inputs
            .iter()
            .take(SHOWN)
            .map(|i| {
                vec![
                    i.label.clone(),
                    format!("{:+.2}", i.rank_correlation),
                    format!("{:.0}%", i.contribution * 100.0),
                    format_millions(i.swing_low),
                    format_millions(i.swing_high),
                ]
            })
            .collect();
        out.push_str(&render(&headers, &rows));
        if s.inputs.len() > SHOWN {
            out.push_str(&format!(
                "... and {} more inputs with narrower swings (all in analysis.json).\n",
                s.inputs.len() - SHOWN
            ));
        }
        out.push('\n');
        out.push_str(&dsg_analysis::drivers_sentence(s));
        out.push('\n');
    }
    out.push_str(
        "\nRank correlation: -1 to 1, negative when a higher input means a lower balance. Share of variance: how much of\n\
         the spread the input explains alone (inputs that act together can add up to more or less than 100%).\n",
    );
    out
}

/// Writes `analysis.json` and `sensitivity.csv` into `dir`; returns their paths.
pub fn write(results: &[Sensitivity], dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let json = dir.join("analysis.json");
    crate::output::write_json(&json, &results).context("cannot write analysis.json")?;
    let csv_path = dir.join("sensitivity.csv");
    let mut w =
        dsg_data::escape::CsvWriter::create(&csv_path).context("cannot write sensitivity.csv")?;
    w.write_record([
        "outcome",
        "year",
        "input",
        "label",
        "rank_correlation",
        "contribution",
        "swing_low",
        "swing_high",
        "typical",
        "in_worst_tenth",
        "driver_score",
    ])?;
    for s in results {
        for i in &s.inputs {
            w.write_record([
                s.outcome.clone(),
                s.year.to_string(),
                i.key.clone(),
                i.label.clone(),
                i.rank_correlation.to_string(),
                i.contribution.to_string(),
                i.swing_low.to_string(),
                i.swing_high.to_string(),
                i.typical.to_string(),
                i.in_worst.to_string(),
                i.driver_score.to_string(),
            ])?;
        }
    }
    w.flush()?;
    Ok(vec![json, csv_path])
}
