//! Plain-text tables for the terminal.

use dsg_core::money::format_millions;
use dsg_core::{Series, SeriesKey};
use dsg_montecarlo::Summary;

use crate::comparison::ROWS;
use crate::headline::Headline;

/// The median of `series` (with mitigations) in year index `i`, when present.
fn median(s: &Summary, series: Series, i: usize) -> Option<f64> {
    s.stats(SeriesKey::mitigated(series))
        .and_then(|v| v.get(i))
        .map(|y| y.p50)
}

/// The central projection of `key` in year index `i`, when present.
fn central(s: &Summary, key: SeriesKey, i: usize) -> Option<f64> {
    s.central_of(key).and_then(|v| v.get(i)).copied()
}

fn millions(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), format_millions)
}

/// The year-by-year forecast of a run, in £m.
pub fn forecast(s: &Summary) -> String {
    let mut out = String::new();
    out.push_str(&s.scenario.name);
    if !s.scenario.authority.is_empty() {
        out.push_str(&format!(" – {}", s.scenario.authority));
    }
    out.push_str(&format!(
        "\n£m; negative = deficit. Medians and ranges of {} simulated futures (seed {}); opening cumulative balance {} at 31 March {}.\n\n",
        dsg_core::money::group_thousands(&s.run.paths.to_string()),
        s.run.seed,
        format_millions(s.scenario.opening_balance),
        s.scenario.base_year.end_year()
    ));
    let headers = [
        "\n\nYear",
        "Cumulative\nbalance\nmedian",
        "\n90% range\n(P5 to P95)",
        "In-year\nbalance\nmedian",
        "\n\nFunding",
        "\n\nSpend",
        "\nReceipts\nmedian",
        "\nHeadroom\nmedian",
        "Central\nprojection\nmitigated",
        "Central\nprojection\nunmitigated",
    ];
    let cumulative = SeriesKey::mitigated(Series::Cumulative);
    let unmitigated_cumulative = SeriesKey::unmitigated(Series::Cumulative);
    let has_unmitigated = s.central_of(unmitigated_cumulative).is_some();
    let mut rows = Vec::new();
    for (i, year) in s.scenario.years.iter().enumerate() {
        let range = s.stats(cumulative).and_then(|v| v.get(i)).map_or_else(
            || "-".to_string(),
            |y| format!("{} to {}", format_millions(y.p5), format_millions(y.p95)),
        );
        let funding = [Series::Allocation, Series::Transfer, Series::OtherIncome]
            .into_iter()
            .map(|series| median(s, series, i))
            .try_fold(0.0, |acc, x| x.map(|x| acc + x));
        let unmitigated = if has_unmitigated {
            central(s, unmitigated_cumulative, i)
        } else {
            central(s, cumulative, i)
        };
        // Headroom only bites once the statutory override has ended.
        let headroom = if *year > s.scenario.override_ends {
            millions(median(s, Series::Headroom, i))
        } else {
            "override".to_string()
        };
        rows.push(vec![
            year.to_string(),
            millions(median(s, Series::Cumulative, i)),
            range,
            millions(median(s, Series::InYear, i)),
            millions(funding),
            millions(median(s, Series::SpendTotal, i)),
            millions(median(s, Series::ReceiptsTotal, i)),
            headroom,
            millions(central(s, cumulative, i)),
            millions(unmitigated),
        ]);
    }
    out.push_str(&render(&headers, &rows));
    out.push_str(
        "\nFunding = high-needs allocation + schools-block transfer + other income (medians of each). Receipts = safety valve,\n\
         contributions, write-off and central funding. Headroom = usable reserves less the deficit, once the override has ended.\n\
         Central projection = every uncertain input at its central value; unmitigated = without the planned mitigations.\n",
    );
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
