//! The DSG management plan's tables: children and young people by placement category and age
//! band, and the financial summary by block, for every forecast year. Laid out as the DfE
//! template's tables are: one row per line, the forecast years across, and a key column for
//! look-ups (`special|11_15|mean`). Written as CSV (`management-plan-children.csv`,
//! `management-plan-finance.csv`) and as the sheets of `management-plan.xlsx`.

use std::path::Path;

use dsg_core::series::BY_AGE;
use dsg_core::{Series, SeriesKey};
use dsg_montecarlo::{Quantile, Summary, YearStats};

/// The statistics of every line, in the order the tables give them: the mean, then the
/// quantiles. Each is `(key, label)`.
pub const STATISTICS: [(&str, &str); 8] = [
    ("mean", "Mean"),
    ("p5", "P5"),
    ("p10", "P10"),
    ("p25", "P25"),
    ("p50", "Median"),
    ("p75", "P75"),
    ("p90", "P90"),
    ("p95", "P95"),
];

/// The management plan's five age bands: key and label, youngest first (as [`BY_AGE`]).
pub const BANDS: [(&str, &str); 5] = [
    ("under_5", "Under 5"),
    ("5_10", "5 to 10"),
    ("11_15", "11 to 15"),
    ("16_19", "16 to 19"),
    ("20_25", "20 to 25"),
];

/// The key and label of a line that adds up every age band, or every placement.
const ALL_AGES: (&str, &str) = ("all", "All ages");
const ALL_PLACEMENTS: (&str, &str) = ("all", "All placements");

/// One line of a table: its key (without the statistic), its two labels (category and band, or
/// block and line) and the series it reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The key, `<category>|<band>` or `<block>|<series>`; the statistic is appended to it.
    pub key: String,
    /// The first label: the placement category, or the block.
    pub group: String,
    /// The second label: the age band, or the line of the block.
    pub item: String,
    /// The series the line reads, with every mitigation.
    pub series: SeriesKey,
}

/// A table of the management plan: lines down, years across, each line given for every
/// statistic of [`STATISTICS`].
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Its title.
    pub title: &'static str,
    /// What it says and how its figures add up.
    pub note: String,
    /// The headings of the two label columns.
    pub headings: [&'static str; 2],
    /// Its lines, in order.
    pub lines: Vec<Line>,
}

/// The children table: each placement category's plans by age band and in all, then every
/// placement's by band and in all. Without ages (no series by band) only the "All ages" lines.
pub fn children(summary: &Summary) -> Table {
    let has = |series: Series| summary.stats(SeriesKey::mitigated(series)).is_some();
    let by_age = BY_AGE.iter().all(|&b| has(b));
    let mut lines = Vec::new();
    let mut push = |(gk, g): (&str, &str), (ik, i): (&str, &str), series: Series| {
        lines.push(Line {
            key: format!("{gk}|{ik}"),
            group: g.to_string(),
            item: i.to_string(),
            series: SeriesKey::mitigated(series),
        });
    };
    for (p, named) in summary.scenario.provisions.iter().enumerate() {
        let category = (named.name.as_str(), named.label.as_str());
        if by_age {
            for (k, &band) in BANDS.iter().enumerate() {
                push(category, band, Series::CaseloadByAge(p, k));
            }
        }
        push(category, ALL_AGES, Series::Caseload(p));
    }
    if by_age {
        for (&band, &series) in BANDS.iter().zip(&BY_AGE) {
            push(ALL_PLACEMENTS, band, series);
        }
    }
    push(ALL_PLACEMENTS, ALL_AGES, Series::CaseloadTotal);
    let note = if by_age {
        "Plans (EHCPs) at 31 March of each year, by placement category and the management plan's \
         age bands. The means add up (a category's bands to its All ages line, each band's \
         categories to All placements); quantiles of a sum are not the sum of quantiles."
    } else {
        "Plans (EHCPs) at 31 March of each year, by placement category. The scenario has no \
         [ages] section, so there are no age bands: `dsg init --la` writes one from the \
         council's published plans by age."
    };
    Table {
        title: "Children and young people with EHC plans by placement and age",
        note: note.to_string(),
        headings: ["Placement category", "Age band"],
        lines: lines
            .into_iter()
            .filter(|l| summary.stats(l.series).is_some())
            .collect(),
    }
}

/// The blocks of the financial summary and the series of each, in order; a series the run does
/// not report is left out.
fn finance_blocks(summary: &Summary) -> Vec<(&'static str, &'static str, Vec<Series>)> {
    let provisions = summary.scenario.provisions.len();
    let mut high_needs = vec![Series::Allocation, Series::Transfer, Series::OtherIncome];
    high_needs.extend((0..provisions).map(Series::Spend));
    high_needs.extend([
        Series::SpendOtherLines,
        Series::SpendMitigations,
        Series::SpendTotal,
    ]);
    vec![
        ("high_needs", "High needs block", high_needs),
        (
            "other_blocks",
            "Other DSG blocks",
            vec![Series::OtherBlocks],
        ),
        (
            "dsg",
            "DSG",
            vec![
                Series::InYear,
                Series::SafetyValve,
                Series::Contributions,
                Series::WriteOff,
                Series::CentralFunding,
                Series::Cumulative,
            ],
        ),
        (
            "general_fund",
            "General fund",
            vec![
                Series::Interest,
                Series::GeneralFundMitigationCosts,
                Series::UsableReserves,
                Series::Headroom,
            ],
        ),
    ]
}

/// The financial summary: the high-needs block's income and spend (by placement category), the
/// other blocks, the DSG's in-year and cumulative balance with the receipts outside the
/// allocation, and the general fund's costs.
pub fn finance(summary: &Summary) -> Table {
    let mut lines = Vec::new();
    for (block_key, block, series) in finance_blocks(summary) {
        for series in series {
            let key = SeriesKey::mitigated(series);
            let (Some(_), Some(name)) = (summary.stats(key), key.name(summary)) else {
                continue;
            };
            lines.push(Line {
                key: format!("{block_key}|{name}"),
                group: block.to_string(),
                item: series.label(summary),
                series: key,
            });
        }
    }
    Table {
        title: "Financial summary by block",
        note: "Pounds in each year (balances at 31 March); a deficit is negative. The means add \
               up; quantiles of a sum are not the sum of quantiles."
            .to_string(),
        headings: ["Block", "Line"],
        lines,
    }
}

/// The value of statistic `key` (one of [`STATISTICS`]) in `y`.
pub fn value(y: &YearStats, key: &str) -> f64 {
    match Quantile::parse(key) {
        Some(q) => y.get(q),
        None => y.mean,
    }
}

/// Every row of `table`: statistic by statistic, each line with its key
/// (`<line key>|<statistic>`), labels, the statistic's label and its value in every year.
pub fn rows<'a>(
    summary: &'a Summary,
    table: &'a Table,
) -> impl Iterator<Item = (String, &'a Line, &'static str, Vec<f64>)> + 'a {
    STATISTICS.iter().flat_map(move |&(stat, label)| {
        table.lines.iter().map(move |line| {
            let values = summary
                .stats(line.series)
                .unwrap_or_default()
                .iter()
                .map(|y| value(y, stat))
                .collect();
            (format!("{}|{stat}", line.key), line, label, values)
        })
    })
}

/// Writes `table` as CSV: key, the two label columns, statistic, then one column per year.
pub fn write_csv(summary: &Summary, table: &Table, path: &Path) -> anyhow::Result<()> {
    let mut w = dsg_data::escape::CsvWriter::create(path)?;
    let mut header = vec![
        "key".to_string(),
        table.headings[0].to_string(),
        table.headings[1].to_string(),
        "Statistic".to_string(),
    ];
    header.extend(summary.scenario.years.iter().map(|y| y.to_string()));
    w.write_record(&header)?;
    for (key, line, stat, values) in rows(summary, table) {
        let mut record = vec![key, line.group.clone(), line.item.clone(), stat.to_string()];
        record.extend(values.iter().map(|v| v.to_string()));
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}
