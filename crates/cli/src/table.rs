//! Plain-text tables for the terminal.

use dsg_core::money::format_millions;
use dsg_core::{Forecast, Scenario, Series};

/// The deterministic forecast, year by year, in £m.
pub fn deterministic(s: &Scenario, f: &Forecast) -> String {
    let mut out = String::new();
    out.push_str(&format!("{}", s.name));
    if !s.authority.is_empty() {
        out.push_str(&format!(" ({})", s.authority));
    }
    out.push_str(&format!(
        "\nCentral projection, £m. Base year {}; opening cumulative balance {} (negative = deficit).\n\n",
        s.base_year,
        format_millions(f.mitigated.opening_balance)
    ));
    let headers = [
        "Year",
        "Funding",
        "Spend",
        "In-year",
        "Receipts",
        "Cumulative",
        "Headroom",
        "Unmit. in-year",
        "Unmit. cumul.",
    ];
    let mut rows: Vec<Vec<String>> = Vec::new();
    for t in 1..=s.horizon {
        let m = &f.mitigated;
        let u = &f.unmitigated;
        let year = s.year(t);
        let funding = m.get(Series::Allocation, t)
            + m.get(Series::Transfer, t)
            + m.get(Series::OtherIncome, t);
        let headroom = if year > s.override_ends {
            format_millions(m.get(Series::Headroom, t))
        } else {
            "override".to_string()
        };
        rows.push(vec![
            year.to_string(),
            format_millions(funding),
            format_millions(m.get(Series::SpendTotal, t)),
            format_millions(m.get(Series::InYear, t)),
            format_millions(m.get(Series::ReceiptsTotal, t)),
            format_millions(m.get(Series::Cumulative, t)),
            headroom,
            format_millions(u.get(Series::InYear, t)),
            format_millions(u.get(Series::Cumulative, t)),
        ]);
    }
    out.push_str(&render(&headers, &rows));
    out.push_str(&format!(
        "\nFunding = high-needs allocation + schools-block transfer + other income. Receipts = safety valve + contributions + write-off + central funding.\nHeadroom = usable reserves less the cumulative deficit, shown after the statutory override ends ({}).\n",
        s.override_ends
    ));
    out
}

/// Right-aligned columns (first column left-aligned) with a rule under the header.
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..headers.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([headers[c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| -> String {
        let mut s = String::new();
        for (c, cell) in cells.iter().enumerate() {
            if c == 0 {
                s.push_str(&format!("{cell:<w$}", w = widths[c]));
            } else {
                s.push_str(&format!("  {cell:>w$}", w = widths[c]));
            }
        }
        s.push('\n');
        s
    };
    let mut out = line(headers.to_vec());
    out.push_str(&format!(
        "{}\n",
        "-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1))
    ));
    for r in rows {
        out.push_str(&line(r.iter().map(|s| s.as_str()).collect()));
    }
    out
}
