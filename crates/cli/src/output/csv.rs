//! Tidy CSV files: one observation per row, for spreadsheets and analysis tools.

use std::path::Path;

use dsg_montecarlo::{Quantile, Summary};

use crate::comparison::ROWS;
use crate::headline::Headline;

/// The statistics written for every series and year, in column order of `results.csv`.
/// `central_rank` is the share of simulated futures below the central projection.
pub const STATISTICS: [&str; 11] = [
    "p5",
    "p10",
    "p25",
    "p50",
    "p75",
    "p90",
    "p95",
    "mean",
    "se",
    "central",
    "central_rank",
];

/// The value of `statistic` for series `name` in year index `i`.
pub fn statistic(summary: &Summary, name: &str, i: usize, statistic: &str) -> Option<f64> {
    if statistic == "central" {
        return summary.central.get(name).and_then(|v| v.get(i)).copied();
    }
    if statistic == "central_rank" {
        return summary
            .central_rank
            .get(name)
            .and_then(|v| v.get(i))
            .copied();
    }
    let y = summary.series(name)?.get(i)?;
    if let Some(q) = Quantile::parse(statistic) {
        return Some(y.get(q));
    }
    Some(match statistic {
        "mean" => y.mean,
        "se" => y.se,
        _ => return None,
    })
}

fn opt(x: Option<f64>) -> String {
    x.map(|x| x.to_string()).unwrap_or_default()
}

/// `results.csv`: series, year, statistic, value.
pub fn results(summary: &Summary, path: &Path) -> anyhow::Result<()> {
    let mut w = dsg_data::escape::CsvWriter::create(path)?;
    w.write_record(["series", "year", "statistic", "value"])?;
    for (name, years) in &summary.series {
        for (i, y) in years.iter().enumerate() {
            for stat in STATISTICS {
                w.write_record([
                    name.as_str(),
                    &y.year.to_string(),
                    stat,
                    &opt(statistic(summary, name, i, stat)),
                ])?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

/// `probabilities.csv`: measure, year, probability, se, amount.
pub fn probabilities(summary: &Summary, path: &Path) -> anyhow::Result<()> {
    let p = &summary.probabilities;
    let mut w = dsg_data::escape::CsvWriter::create(path)?;
    w.write_record(["measure", "year", "probability", "se", "amount"])?;
    for y in &p.deficit_exceeds_reserves {
        w.write_record([
            "deficit_exceeds_reserves",
            &y.year.to_string(),
            &y.probability.to_string(),
            &y.se.to_string(),
            "",
        ])?;
    }
    for y in &p.reserves_first_exceeded {
        w.write_record([
            "reserves_first_exceeded",
            &y.year.to_string(),
            &y.probability.to_string(),
            &y.se.to_string(),
            "",
        ])?;
    }
    for y in &p.in_year_balance_reached_by {
        w.write_record([
            "in_year_balance_reached_by",
            &y.year.to_string(),
            &y.probability.to_string(),
            &y.se.to_string(),
            "",
        ])?;
    }
    for i in &p.safety_valve_instalments {
        w.write_record([
            "safety_valve_instalment_received",
            &i.year.to_string(),
            &i.probability.to_string(),
            "",
            &i.amount.to_string(),
        ])?;
    }
    if let Some(all) = p.all_instalments_received {
        w.write_record([
            "all_safety_valve_instalments_received",
            "",
            &all.to_string(),
            "",
            "",
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// `comparison.csv`: scenario, file, measure, year, value.
pub fn comparison(heads: &[Headline], files: &[String], path: &Path) -> anyhow::Result<()> {
    let mut w = dsg_data::escape::CsvWriter::create(path)?;
    w.write_record(["scenario", "file", "measure", "year", "value"])?;
    for (h, f) in heads.iter().zip(files) {
        for row in &ROWS {
            let Some(code) = row.measure else { continue };
            let (year, value) = (row.value)(h).csv();
            w.write_record([h.name.as_str(), f, code, &year, &opt(value)])?;
        }
    }
    w.flush()?;
    Ok(())
}
