//! Tidy CSV files: one observation per row, for spreadsheets and analysis tools.

use std::path::Path;

use dsg_montecarlo::{BudgetLineResult, Quantile, Summary, YearStats};

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
    for row in budget_rows(summary) {
        w.write_record([&row.0, &row.1, row.2, &row.3.to_string()])?;
    }
    w.flush()?;
    Ok(())
}

/// The name of a budget line in `results.csv`: `budget.<provision>`, `budget.other_lines`,
/// `budget.mitigation_costs`, or `budget.total` for the whole budget (its spend series with
/// `spend.` replaced by `budget.`).
pub fn budget_series(line: &BudgetLineResult) -> String {
    format!(
        "budget.{}",
        line.series.strip_prefix("spend.").unwrap_or(&line.series)
    )
}

/// One budget row of `results.csv`: series, year, statistic, value.
pub type BudgetRow = (String, String, &'static str, f64);

/// The budget rows of `results.csv`, every figure of `summary.budgets` (pounds unless named):
/// per line `L` (see [`budget_series`]), `L / budget`, `L / overspend_probability` (0 to 1),
/// `L / overspend_se`, `L.outturn` and `L.variance` with the statistics of every series (p5 to
/// mean, se; `central` = the central plan's), and where the budget plans a caseload and unit
/// cost, `L.caseload / budget, mean` (plans), `L.unit_cost / budget` and `L.volume`, `L.price /
/// mean, central`; and `budget.unallocated / budget`.
pub fn budget_rows(summary: &Summary) -> Vec<BudgetRow> {
    let mut rows = Vec::new();
    for b in &summary.budgets {
        let year = b.year.to_string();
        for line in b.lines.iter().chain(std::iter::once(&b.total)) {
            let name = budget_series(line);
            let mut push = |series: String, statistic: &'static str, value: f64| {
                rows.push((series, year.clone(), statistic, value));
            };
            push(name.clone(), "budget", line.budget);
            push(
                name.clone(),
                "overspend_probability",
                line.overspend_probability,
            );
            push(name.clone(), "overspend_se", line.overspend_se);
            let spreads = [
                ("outturn", &line.outturn, line.central),
                ("variance", &line.variance, line.central_variance),
            ];
            for (part, stats, central) in spreads {
                for (statistic, value) in stat_values(stats) {
                    push(format!("{name}.{part}"), statistic, value);
                }
                push(format!("{name}.{part}"), "central", central);
            }
            if let Some(p) = &line.planned {
                push(format!("{name}.caseload"), "budget", p.caseload);
                push(format!("{name}.caseload"), "mean", p.caseload_mean);
                push(format!("{name}.unit_cost"), "budget", p.unit_cost);
                push(format!("{name}.volume"), "mean", p.volume);
                push(format!("{name}.volume"), "central", p.central_volume);
                push(format!("{name}.price"), "mean", p.price);
                push(format!("{name}.price"), "central", p.central_price);
            }
        }
        rows.push((
            "budget.unallocated".to_string(),
            year,
            "budget",
            b.unallocated,
        ));
    }
    rows
}

/// The quantiles, mean and standard error of `y`, named as in [`STATISTICS`].
fn stat_values(y: &YearStats) -> [(&'static str, f64); 9] {
    [
        ("p5", y.p5),
        ("p10", y.p10),
        ("p25", y.p25),
        ("p50", y.p50),
        ("p75", y.p75),
        ("p90", y.p90),
        ("p95", y.p95),
        ("mean", y.mean),
        ("se", y.se),
    ]
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
