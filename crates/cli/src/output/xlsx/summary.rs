//! The Summary sheet: the headline, the scenario and the main series by year.

use dsg_core::{Series, SeriesKey, Variant};
use dsg_montecarlo::Summary;

use crate::load::Loaded;

use super::{Formats, Res, Sheet, all_zero, num, row, text, text_f, year_columns, year_headers};

/// The series shown on the Summary sheet, in order.
const HEADLINE_SERIES: [SeriesKey; 12] = [
    SeriesKey::mitigated(Series::Cumulative),
    SeriesKey::mitigated(Series::InYear),
    SeriesKey::mitigated(Series::Allocation),
    SeriesKey::mitigated(Series::Transfer),
    SeriesKey::mitigated(Series::OtherIncome),
    SeriesKey::mitigated(Series::SpendTotal),
    SeriesKey::mitigated(Series::CaseloadTotal),
    SeriesKey::mitigated(Series::ReceiptsTotal),
    SeriesKey::mitigated(Series::UsableReserves),
    SeriesKey::mitigated(Series::Headroom),
    SeriesKey::unmitigated(Series::Cumulative),
    SeriesKey::unmitigated(Series::SpendTotal),
];

pub(super) fn summary_sheet(
    ws: &mut Sheet,
    f: &Formats,
    s: &Summary,
    loaded: &Loaded,
    headline: &[String],
) -> Res {
    ws.set_name("Summary")?;
    ws.set_column_width(0, 52)?;
    ws.set_column_width(1, 30)?;
    year_columns(ws, 2, s)?;
    text_f(
        ws,
        0,
        0,
        &format!("DSG forecast: {}", s.scenario.name),
        &f.title,
    )?;
    let mut sub = String::new();
    if !s.scenario.authority.is_empty() {
        sub.push_str(&format!("{}. ", s.scenario.authority));
    }
    sub.push_str(&format!(
        "Base year {}. {} simulated futures, seed {}. dsg {}.",
        s.scenario.base_year,
        dsg_core::money::group_thousands(&s.run.paths.to_string()),
        s.run.seed,
        env!("CARGO_PKG_VERSION")
    ));
    text(ws, 1, 0, &sub)?;
    text_f(
        ws,
        2,
        0,
        &format!(
            "Scenario file {} (SHA-256 {})",
            loaded.path.display(),
            loaded.sha256
        ),
        &f.note,
    )?;
    let mut r = 4;
    for sentence in headline {
        text_f(ws, r, 0, sentence, &f.bold)?;
        r += 1;
    }
    r = medians(ws, f, s, r + 1)?;
    r = central(ws, f, s, r + 1)?;
    r = chances(ws, f, s, r + 1)?;
    r += 1;
    text_f(
        ws,
        r,
        0,
        "Money in £m (cells hold pounds). The Quantiles sheet has every series and percentile; \
         Assumptions lists every input.",
        &f.note,
    )?;
    Ok(())
}

/// The medians of the headline series, from row `r` (a header row, then one row a series);
/// returns the row after them.
fn medians(
    ws: &mut Sheet,
    f: &Formats,
    s: &Summary,
    mut r: usize,
) -> Result<usize, rust_xlsxwriter::XlsxError> {
    text_f(
        ws,
        r,
        0,
        "Median of the simulated futures (negative = deficit)",
        &f.header,
    )?;
    text_f(ws, r, 1, "Series", &f.header)?;
    year_headers(ws, f, r, 2, s)?;
    ws.set_freeze_panes(row(r + 1), 2)?;
    r += 1;
    for key in HEADLINE_SERIES {
        let Some(name) = key.name(s) else {
            continue;
        };
        let Some(years) = s.series(&name) else {
            continue;
        };
        if all_zero(s, &name) {
            continue;
        }
        text(ws, r, 0, &key.label(s))?;
        text(ws, r, 1, &name)?;
        for (i, y) in years.iter().enumerate() {
            num(ws, r, 2 + i, y.p50, f.unit(key.unit()))?;
        }
        r += 1;
    }
    Ok(r)
}

/// The central projection's cumulative balance with and without mitigations, from row `r`;
/// returns the row after them.
fn central(
    ws: &mut Sheet,
    f: &Formats,
    s: &Summary,
    mut r: usize,
) -> Result<usize, rust_xlsxwriter::XlsxError> {
    text_f(
        ws,
        r,
        0,
        "Central projection (every input at its central value)",
        &f.header,
    )?;
    text_f(ws, r, 1, "Series", &f.header)?;
    year_headers(ws, f, r, 2, s)?;
    r += 1;
    for key in [
        SeriesKey::mitigated(Series::Cumulative),
        SeriesKey::unmitigated(Series::Cumulative),
    ] {
        let (Some(name), Some(values)) = (key.name(s), s.central_of(key)) else {
            continue;
        };
        let label = match key.variant {
            Variant::Mitigated => format!("{} with mitigations", key.label(s)),
            _ => key.label(s),
        };
        text(ws, r, 0, &label)?;
        text(ws, r, 1, &name)?;
        for (i, x) in values.iter().enumerate() {
            num(ws, r, 2 + i, *x, &f.money)?;
        }
        r += 1;
    }
    Ok(r)
}

/// The chances of the deficit exceeding reserves and of an in-year balance, year by year, from
/// row `r`; returns the row after them.
fn chances(
    ws: &mut Sheet,
    f: &Formats,
    s: &Summary,
    mut r: usize,
) -> Result<usize, rust_xlsxwriter::XlsxError> {
    text_f(ws, r, 0, "Chances (share of simulated futures)", &f.header)?;
    text_f(ws, r, 1, "", &f.header)?;
    year_headers(ws, f, r, 2, s)?;
    r += 1;
    let p = &s.probabilities;
    for (label, list) in [
        (
            "Chance the deficit exceeds usable reserves",
            &p.deficit_exceeds_reserves,
        ),
        (
            "Chance of an in-year balance by this year",
            &p.in_year_balance_reached_by,
        ),
    ] {
        text(ws, r, 0, label)?;
        for (i, y) in list.iter().enumerate() {
            num(ws, r, 2 + i, y.probability, &f.percent)?;
        }
        r += 1;
    }
    Ok(r)
}
