//! Plain-text tables for the terminal.

use dsg_core::money::format_millions;
use dsg_core::{Series, SeriesKey};
use dsg_montecarlo::{Summary, YearStats};

use crate::comparison::ROWS;
use crate::headline::{Headline, percent};

/// The statistics of `series` (with mitigations) in year index `i`, when present.
fn stats(s: &Summary, series: Series, i: usize) -> Option<&YearStats> {
    s.stats(SeriesKey::mitigated(series)).and_then(|v| v.get(i))
}

/// The central projection of `key` in year index `i`, when present.
fn central(s: &Summary, key: SeriesKey, i: usize) -> Option<f64> {
    s.central_of(key).and_then(|v| v.get(i)).copied()
}

fn millions(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), format_millions)
}

/// Whether `series` is ever other than zero (in any statistic of any year).
fn ever_nonzero(s: &Summary, series: Series) -> bool {
    s.stats(SeriesKey::mitigated(series)).is_some_and(|v| {
        v.iter()
            .any(|y| y.p5 != 0.0 || y.p95 != 0.0 || y.mean != 0.0)
    })
}

/// The year-by-year forecast of a run, in £m.
///
/// The flows are **means** over the simulated futures, because means add up: funding less spend
/// (plus other blocks) is the in-year balance, and each year's cumulative balance is the last
/// one plus the in-year balance and the receipts, as a finance officer checks a table. Medians do
/// not add up (the median of a sum is not the sum of the medians, and an event such as a
/// write-off gives the balance two humps), so the spread of the cumulative balance is shown
/// beside them by its median and 90% range, under their own heading.
pub fn forecast(s: &Summary) -> String {
    let mut out = String::new();
    out.push_str(&s.scenario.name);
    if !s.scenario.authority.is_empty() {
        out.push_str(&format!(" – {}", s.scenario.authority));
    }
    let opening = if s.scenario.opening_balance_known {
        format!(
            "opening cumulative balance {}",
            format_millions(s.scenario.opening_balance)
        )
    } else {
        "opening cumulative balance NOT KNOWN, counted from 0".to_string()
    };
    out.push_str(&format!(
        "\n£m; negative = deficit. {} simulated futures (seed {}); {opening} at 31 March {}.\n\n",
        dsg_core::money::group_thousands(&s.run.paths.to_string()),
        s.run.seed,
        s.scenario.base_year.end_year()
    ));
    let blocks = ever_nonzero(s, Series::OtherBlocks);
    let reserves = !s.probabilities.deficit_exceeds_reserves.is_empty();
    let cumulative = SeriesKey::mitigated(Series::Cumulative);
    let unmitigated = s
        .stats(SeriesKey::unmitigated(Series::Cumulative))
        .filter(|_| !s.scenario.mitigations.is_empty());
    let mut headers = vec!["\n\nYear", "Means\n\nFunding", "\n\nSpend"];
    if blocks {
        headers.push("\nOther\nblocks");
    }
    headers.extend([
        "\nIn-year\nbalance",
        "\n\nReceipts",
        "\nCumulative\nbalance",
        "Cumulative balance\n\nmedian",
        "\n90% range\n(P5 to P95)",
        "Central plan\n\nbalance",
        "\nfutures\nworse",
    ]);
    if unmitigated.is_some() {
        headers.push("Mean if no\nmitigations\ncumulative");
    }
    if reserves {
        headers.push("\nHeadroom\nmedian");
    }
    let mean = |series: Series, i: usize| stats(s, series, i).map(|y| y.mean);
    let mut rows = Vec::new();
    for (i, year) in s.scenario.years.iter().enumerate() {
        let funding = [Series::Allocation, Series::Transfer, Series::OtherIncome]
            .into_iter()
            .map(|series| mean(series, i))
            .try_fold(0.0, |acc, x| x.map(|x| acc + x));
        let spread = stats(s, Series::Cumulative, i);
        let range = spread.map_or_else(
            || "-".to_string(),
            |y| format!("{} to {}", format_millions(y.p5), format_millions(y.p95)),
        );
        let worse = s
            .central_rank
            .get("balance.cumulative")
            .and_then(|r| r.get(i))
            .map_or_else(|| "-".to_string(), |&p| percent(p));
        let mut row = vec![
            year.to_string(),
            millions(funding),
            millions(mean(Series::SpendTotal, i)),
        ];
        if blocks {
            row.push(millions(mean(Series::OtherBlocks, i)));
        }
        row.extend([
            millions(mean(Series::InYear, i)),
            millions(mean(Series::ReceiptsTotal, i)),
            millions(mean(Series::Cumulative, i)),
            millions(spread.map(|y| y.p50)),
            range,
            millions(central(s, cumulative, i)),
            worse,
        ]);
        if let Some(u) = unmitigated {
            row.push(millions(u.get(i).map(|y| y.mean)));
        }
        if reserves {
            // Headroom only bites once the statutory override has ended.
            row.push(if *year > s.scenario.override_ends {
                millions(stats(s, Series::Headroom, i).map(|y| y.p50))
            } else {
                "override".to_string()
            });
        }
        rows.push(row);
    }
    let header_refs: Vec<&str> = headers.to_vec();
    out.push_str(&render(&header_refs, &rows));
    out.push_str(&format!(
        "\nMeans add up: Funding - Spend{} = In-year balance, and last year's Cumulative balance + In-year balance + Receipts\n\
         = this year's (to rounding). Medians do not add up (the median of a sum is not the sum of the medians), so the spread\n\
         of the cumulative balance is shown beside them. Funding = high-needs allocation + schools-block transfer + other income.\n\
         Receipts = safety valve, contributions, write-off and central funding. Central plan = every uncertain input at its\n\
         central value (a spreadsheet's single forecast); futures worse = the share of simulated futures with a lower balance.\n",
        if blocks { " + Other blocks" } else { "" }
    ));
    if reserves {
        out.push_str(
            "Headroom = usable reserves less the deficit, once the statutory override has ended.\n",
        );
    }
    out
}

/// When the reserves run out: the years in which the deficit first exceeds them, with their
/// chances, or nothing without reserves.
pub fn reserves_run_out(s: &Summary) -> String {
    let p = &s.probabilities.reserves_first_exceeded;
    if p.is_empty() {
        return String::new();
    }
    let ever: f64 = p.iter().map(|y| y.probability).sum();
    let years: Vec<String> = p
        .iter()
        .filter(|y| y.probability >= 0.005)
        .map(|y| format!("{} {}", y.year, percent(y.probability)))
        .collect();
    let last = s
        .scenario
        .years
        .last()
        .map(|y| y.to_string())
        .unwrap_or_default();
    format!(
        "\nWhen the reserves run out (the year the deficit first exceeds usable reserves, share of futures): {}{}never by {last} {}.\n",
        years.join(", "),
        if years.is_empty() { "" } else { "; " },
        percent((1.0 - ever).max(0.0))
    )
}

/// Each approved budget (`[[budget]]`) against the forecast outturn, line by line, in £m, with
/// the figures and words of the committee report's "which areas overspend" table; empty when
/// the scenario sets no budget.
pub fn budgets(s: &Summary) -> String {
    let mut out = String::new();
    for b in &s.budgets {
        out.push_str(&format!(
            "\nForecast outturn against budget by line, {} (£m; positive variance = overspend):\n",
            b.year
        ));
        let mut rows: Vec<Vec<String>> = b.lines.iter().map(budget_row).collect();
        if b.unallocated > 0.0 {
            let mut row = vec![String::new(); 9];
            row[0] = "Not allocated to a line (contingency)".to_string();
            row[1] = format_millions(b.unallocated);
            rows.push(row);
        }
        let mut total = budget_row(&b.total);
        total[0] = "Total high-needs budget".to_string();
        rows.push(total);
        out.push_str(&render(
            &[
                "\nLine",
                "\nBudget",
                "Forecast\nmedian",
                "Forecast\nmean",
                "Variance\nmedian",
                "Variance:\n8 in 10 futures",
                "Chance of\noverspend",
                "Volume\n(mean)",
                "Price\n(mean)",
            ],
            &rows,
        ));
        if !b.source.is_empty() {
            out.push_str(&format!("Budget: {}.\n", b.source));
        }
    }
    if !out.is_empty() {
        out.push_str(
            "Variance = forecast outturn - budget. Volume is the cost of more or fewer plans than budgeted, at the budgeted cost\n\
             per plan; price is the cost of paying more or less per plan than budgeted, on the plans there are (shown where the\n\
             budget gives planned numbers and costs; they add up to the mean variance).\n",
        );
    }
    out
}

/// One budget line's row: budget, forecast median and mean, variance median and 80% range,
/// chance of an overspend, volume and price.
fn budget_row(l: &dsg_montecarlo::BudgetLineResult) -> Vec<String> {
    let v = &l.variance;
    let (volume, price) = l.planned.map_or_else(
        || ("-".to_string(), "-".to_string()),
        |p| (format_millions(p.volume), format_millions(p.price)),
    );
    vec![
        l.label.clone(),
        format_millions(l.budget),
        format_millions(l.outturn.p50),
        format_millions(l.outturn.mean),
        format_millions(v.p50),
        format!("{} to {}", format_millions(v.p10), format_millions(v.p90)),
        percent(l.overspend_probability),
        volume,
        price,
    ]
}

/// A count of children or plans: `1,234`.
fn count(x: Option<f64>) -> String {
    x.map_or_else(
        || "-".to_string(),
        |x| dsg_core::money::group_thousands(&format!("{x:.0}")),
    )
}

/// A share as a whole percentage: `46%`.
fn share(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{:.0}%", x * 100.0))
}

/// A number with one decimal (weeks, plans per officer).
fn one_decimal(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{x:.1}"))
}

/// The children-and-families table (docs/model.md section 9), year by year, and what each
/// mitigation changes for children; empty when the run has no assessment pipeline.
///
/// Counts in the year (requests, plans issued, children placed for lack of a place) are means,
/// which add up over years; levels and rates (children waiting, weeks to a plan, the share on
/// time, plans per officer, the share in mainstream) are medians, with the 90% range of the
/// children waiting.
pub fn children(s: &Summary) -> String {
    if stats(s, Series::ChildrenWaiting, 0).is_none() {
        return String::new();
    }
    let mainstream = stats(s, Series::MainstreamShare, 0).is_some();
    let unmitigated = s
        .stats(SeriesKey::unmitigated(Series::WithinTwentyWeeks))
        .filter(|_| !s.scenario.mitigations.is_empty());
    let mut headers = vec![
        "\n\nYear",
        "Means\n\nRequests",
        "\nPlans\nissued",
        "Placed in\nindependent\nfor lack of place",
        "Medians\nChildren\nwaiting",
        "\n90% range\n(P5 to P95)",
        "\nWeeks to\na plan",
        "\nWithin\n20 weeks",
    ];
    if unmitigated.is_some() {
        headers.push("Within 20\nweeks if no\nmitigations");
    }
    headers.push("\nPlans per\nofficer");
    if mainstream {
        headers.push("\nIn\nmainstream");
    }
    let mean = |series: Series, i: usize| stats(s, series, i).map(|y| y.mean);
    let median = |series: Series, i: usize| stats(s, series, i).map(|y| y.p50);
    let mut rows = Vec::new();
    for (i, year) in s.scenario.years.iter().enumerate() {
        let range = stats(s, Series::ChildrenWaiting, i).map_or_else(
            || "-".to_string(),
            |y| format!("{} to {}", count(Some(y.p5)), count(Some(y.p95))),
        );
        let mut row = vec![
            year.to_string(),
            count(mean(Series::AssessmentRequests, i)),
            count(mean(Series::PlansIssued, i)),
            count(mean(Series::PlacedForLackOfPlace, i)),
            count(median(Series::ChildrenWaiting, i)),
            range,
            one_decimal(median(Series::WeeksToPlan, i)),
            share(median(Series::WithinTwentyWeeks, i)),
        ];
        if let Some(u) = unmitigated {
            row.push(share(u.get(i).map(|y| y.p50)));
        }
        row.push(one_decimal(median(Series::PlansPerOfficer, i)));
        if mainstream {
            row.push(share(median(Series::MainstreamShare, i)));
        }
        rows.push(row);
    }
    let mut out = String::from("\nChildren and families\n\n");
    out.push_str(&render(&headers, &rows));
    out.push_str(
        "\nRequests for an EHC needs assessment, new plans issued and children placed in independent schools because a\n\
         maintained place was full are means over the year; children waiting at 31 March, weeks from request to plan, the\n\
         share of plans issued within the statutory 20 weeks, plans per case officer and the share in mainstream are medians.\n",
    );
    let effects = children_effects(s);
    if !effects.is_empty() {
        out.push('\n');
        out.push_str(&effects);
    }
    out
}

/// One line per mitigation that changes anything for children: its largest median effect on
/// each children's series, with the year.
fn children_effects(s: &Summary) -> String {
    let mut lines = Vec::new();
    for (i, m) in s.scenario.mitigations.iter().enumerate() {
        let mut parts = Vec::new();
        for series in dsg_core::series::CHILDREN_IMPACTS {
            let key = SeriesKey {
                series,
                variant: dsg_core::Variant::Impact(i),
            };
            let Some(years) = s.stats(key) else {
                continue;
            };
            let Some((y, p50)) = years
                .iter()
                .map(|y| (y.year, y.p50))
                .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            else {
                continue;
            };
            let text = match series.unit() {
                dsg_core::series::Unit::Share if p50.abs() >= 0.005 => {
                    format!(
                        "{:+.0} points {}",
                        p50 * 100.0,
                        series.row().short.to_lowercase()
                    )
                }
                dsg_core::series::Unit::Weeks if p50.abs() >= 0.05 => {
                    format!("{p50:+.1} {}", series.row().short.to_lowercase())
                }
                dsg_core::series::Unit::Children if p50.abs() >= 0.5 => format!(
                    "{}{} {}",
                    if p50 < 0.0 { "-" } else { "+" },
                    count(Some(p50.abs())),
                    series.row().short.to_lowercase()
                ),
                _ => continue,
            };
            parts.push(format!("{text} ({y})"));
        }
        if !parts.is_empty() {
            lines.push(format!("- {}: {}", m.name, parts.join("; ")));
        }
    }
    if lines.is_empty() {
        return String::new();
    }
    format!(
        "What each mitigation changes for children (median effect on the same futures, in the year it is largest):\n{}\n",
        lines.join("\n")
    )
}

/// The scenario's published figures placed on the forecast, or nothing when it has none.
pub fn calibration(s: &Summary) -> String {
    if s.calibration.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\nPublished figures placed on this forecast ([[calibration]] in the scenario):\n",
    );
    for c in &s.calibration {
        let amount = |x: f64| {
            if c.series.starts_with("caseload") {
                format!(
                    "{} plans",
                    dsg_core::money::group_thousands(&format!("{x:.0}"))
                )
            } else {
                format_millions(x)
            }
        };
        let under = c
            .policy
            .as_ref()
            .map(|p| format!(", under {p}"))
            .unwrap_or_default();
        out.push_str(&format!("- {} ({}{under})\n  ", c.figure, c.source));
        let line = match (c.ours, c.range, c.share_below) {
            (Some(ours), None, None) => format!(
                "base year {}: published {}; the scenario's own {}.",
                c.year,
                amount(c.value),
                amount(ours)
            ),
            (Some(median), Some((p5, p95)), Some(share)) => format!(
                "{}: published {} against a median of {} (90% range {} to {}): {}{}.",
                c.year,
                amount(c.value),
                amount(median),
                amount(p5),
                amount(p95),
                if share < 0.005 {
                    "below every simulated future but a few".to_string()
                } else if share > 0.995 {
                    "above every simulated future but a few".to_string()
                } else {
                    format!("the {} percentile", crate::headline::ordinal(share))
                },
                if (0.05..=0.95).contains(&share) {
                    ", inside the 90% range"
                } else {
                    ", outside the 90% range"
                }
            ),
            _ => format!(
                "{}: published {}; made under {}, so run with `--policy {}` to place it.",
                c.year,
                amount(c.value),
                c.policy.as_deref().unwrap_or("another policy set"),
                c.policy.as_deref().unwrap_or("NAME")
            ),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A short column name for each scenario: its file name when those differ, else A, B, C...
pub fn column_names(files: &[String]) -> Vec<String> {
    let stems: Vec<String> = files
        .iter()
        .map(|f| {
            std::path::Path::new(f)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    let distinct = stems
        .iter()
        .enumerate()
        .all(|(i, a)| !a.is_empty() && stems[..i].iter().all(|b| b != a));
    if distinct {
        stems
    } else {
        (0..files.len()).map(letter).collect()
    }
}

fn letter(i: usize) -> String {
    let mut n = i;
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s
}

/// The side-by-side table of `compare`, with a key naming each column's scenario and file.
pub fn comparison(heads: &[Headline], files: &[String], paths: u64, seed: u64) -> String {
    let names = column_names(files);
    let mut out = String::new();
    out.push_str(&format!(
        "Comparison of {} scenarios on the same {} simulated futures (seed {}).\n\n",
        heads.len(),
        dsg_core::money::group_thousands(&paths.to_string()),
        seed
    ));
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for ((n, h), f) in names.iter().zip(heads).zip(files) {
        out.push_str(&format!("  {n:<width$}  {} ({f})\n", h.name));
    }
    out.push('\n');
    let mut headers: Vec<&str> = vec!["£m (deficits as positive amounts)"];
    headers.extend(names.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = ROWS
        .iter()
        .map(|row| {
            std::iter::once(row.label.to_string())
                .chain(heads.iter().map(|h| (row.value)(h).text()))
                .collect()
        })
        .collect();
    out.push_str(&render(&headers, &rows));
    out.push_str(
        "\nDeficits are shown as positive amounts; P90 deficit: a 1 in 10 chance of a larger deficit.\nThe in-year balance is a balance: negative = an in-year deficit.\n",
    );
    out
}

/// Right-aligned columns (first column left-aligned) with a rule under the header. A header may
/// span several lines (separated by `\n`); lines are aligned at the bottom.
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let header_lines: Vec<Vec<&str>> = headers.iter().map(|h| h.split('\n').collect()).collect();
    let depth = header_lines.iter().map(Vec::len).max().unwrap_or(1);
    let widths: Vec<usize> = (0..headers.len())
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .chain(header_lines[c].iter().map(|l| l.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[&str]| -> String {
        let mut s = String::new();
        for (c, cell) in cells.iter().enumerate() {
            let w = widths.get(c).copied().unwrap_or(0);
            if c == 0 {
                s.push_str(&format!("{cell:<w$}"));
            } else {
                s.push_str(&format!("  {cell:>w$}"));
            }
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut out = String::new();
    for l in 0..depth {
        let cells: Vec<&str> = header_lines
            .iter()
            .map(|h| {
                let pad = depth - h.len();
                if l < pad { "" } else { h[l - pad] }
            })
            .collect();
        if cells.iter().any(|c| !c.is_empty()) {
            out.push_str(&line(&cells));
        }
    }
    out.push_str(&format!(
        "{}\n",
        "-".repeat(widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1))
    ));
    for r in rows {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        out.push_str(&line(&cells));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_may_span_lines() {
        let t = render(
            &["Year", "Cumulative\nmedian"],
            &[vec!["2026-27".into(), "-1.0".into()]],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "         Cumulative");
        assert_eq!(lines[1], "Year         median");
        assert_eq!(lines[3], "2026-27        -1.0");
    }

    #[test]
    fn columns_are_named_by_file_unless_names_clash() {
        let files = ["a/minimal.toml".to_string(), "b/county.toml".to_string()];
        assert_eq!(column_names(&files), ["minimal", "county"]);
        let same = ["a/x.toml".to_string(), "b/x.toml".to_string()];
        assert_eq!(column_names(&same), ["A", "B"]);
        assert_eq!(letter(26), "AA");
    }
}
