//! The Quantiles sheet: every statistic of every series by year.

use dsg_core::series::Unit;
use dsg_montecarlo::{Quantile, Summary};

use crate::labels;
use crate::output::csv::{STATISTICS, statistic};

use super::{Formats, Res, Sheet, num, text, text_f, unit_name, year_columns, year_headers};

/// Friendly names of the statistics in [`STATISTICS`].
fn statistic_label(code: &str) -> &'static str {
    if let Some(q) = Quantile::parse(code) {
        return q.label();
    }
    match code {
        "mean" => "Mean",
        "se" => "Standard error of the mean",
        "central" => "Central projection",
        "central_rank" => "Share of futures below the central projection",
        _ => "",
    }
}

pub(super) fn quantiles_sheet(ws: &mut Sheet, f: &Formats, s: &Summary, source: &str) -> Res {
    ws.set_name("Quantiles")?;
    ws.set_column_width(0, 52)?;
    ws.set_column_width(1, 34)?;
    ws.set_column_width(2, 26)?;
    year_columns(ws, 3, s)?;
    text_f(ws, 0, 0, "Series", &f.header)?;
    text_f(ws, 0, 1, "Key", &f.header)?;
    text_f(ws, 0, 2, "Statistic", &f.header)?;
    year_headers(ws, f, 0, 3, s)?;
    let unit_col = 3 + s.scenario.years.len();
    ws.set_column_width(super::col(unit_col), 22)?;
    text_f(ws, 0, unit_col, "Unit", &f.header)?;
    ws.insert_note(
        0,
        0,
        &rust_xlsxwriter::Note::new(source).add_author_prefix(false),
    )?;
    ws.set_freeze_panes(1, 3)?;
    let mut r = 1;
    for name in s.series.keys() {
        let (label, unit) = labels::series(s, name);
        for stat in STATISTICS {
            text(ws, r, 0, &label)?;
            text(ws, r, 1, name)?;
            text(ws, r, 2, statistic_label(stat))?;
            let unit_text = match stat {
                "central_rank" => "share of futures",
                _ => unit_name(unit),
            };
            text(ws, r, unit_col, unit_text)?;
            let fmt = match (stat, unit) {
                ("central_rank", _) => &f.percent,
                ("se", Unit::Pounds) => &f.pounds,
                _ => f.unit(unit),
            };
            for i in 0..s.scenario.years.len() {
                if let Some(x) = statistic(s, name, i, stat) {
                    num(ws, r, 3 + i, x, fmt)?;
                }
            }
            r += 1;
        }
    }
    Ok(())
}
