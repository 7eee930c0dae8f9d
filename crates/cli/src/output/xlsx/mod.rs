//! Excel workbooks laid out as a finance officer expects: years across, figures down, money in £
//! with one decimal of millions, probabilities as percentages. Cells hold the exact values in
//! pounds (the format only changes how they look), so they can be used in further calculations.

use std::path::Path;

use dsg_core::series::Unit;
use dsg_core::{Series, SeriesKey};
use dsg_montecarlo::{Summary, YearStats};
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::comparison::{ROWS, Value};
use crate::headline::Headline;
use crate::load::Loaded;

mod assumptions;
mod budget;
mod checks;
mod children;
mod decision;
mod mitigations;
mod plan;
mod probabilities;
mod quantiles;
mod summary;

use assumptions::assumptions_sheet;
use budget::budget_sheet;
use checks::checks_sheet;
use children::children_sheet;
use mitigations::mitigations_sheet;
use probabilities::probabilities_sheet;
use quantiles::quantiles_sheet;
use summary::summary_sheet;

pub use decision::{goal, options};
pub use plan::management_plan;

/// Money as £m with one decimal; negative (deficit) figures in red.
const MONEY: &str = "£#,##0.0,,\"m\";[Red]-£#,##0.0,,\"m\";£0.0,,\"m\"";
/// Counts of plans.
const PLANS: &str = "#,##0";
/// Probabilities.
const PERCENT: &str = "0%";
/// Standard errors of probabilities: small, so two decimals (0.35%), never a bare "0%".
const PERCENT_SE: &str = "0.00%";
/// Small sums such as standard errors, in pounds.
const POUNDS: &str = "£#,##0;[Red]-£#,##0";
/// Weeks, FTE and plans per officer: one decimal.
const ONE_DECIMAL: &str = "#,##0.0";

/// The cell formats used throughout.
struct Formats {
    title: Format,
    bold: Format,
    header: Format,
    header_right: Format,
    note: Format,
    wrap: Format,
    money: Format,
    plans: Format,
    percent: Format,
    percent_se: Format,
    pounds: Format,
    one_decimal: Format,
}

impl Formats {
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_border_bottom(FormatBorder::Thin)
            .set_text_wrap();
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            header_right: header.clone().set_align(FormatAlign::Right),
            header,
            note: Format::new().set_italic(),
            wrap: Format::new().set_text_wrap(),
            money: Format::new().set_num_format(MONEY),
            plans: Format::new().set_num_format(PLANS),
            percent: Format::new().set_num_format(PERCENT),
            percent_se: Format::new().set_num_format(PERCENT_SE),
            pounds: Format::new().set_num_format(POUNDS),
            one_decimal: Format::new().set_num_format(ONE_DECIMAL),
        }
    }

    fn unit(&self, unit: Unit) -> &Format {
        match unit {
            Unit::Pounds => &self.money,
            Unit::Plans | Unit::Children => &self.plans,
            Unit::PoundsPerPlan => &self.pounds,
            Unit::Share => &self.percent,
            Unit::Weeks | Unit::Fte | Unit::PlansPerOfficer => &self.one_decimal,
        }
    }
}

type Sheet = Worksheet;
type Res = Result<(), rust_xlsxwriter::XlsxError>;

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

fn row(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

fn text(ws: &mut Sheet, r: usize, c: usize, s: &str) -> Res {
    ws.write_string(row(r), col(c), s).map(|_| ())
}

fn text_f(ws: &mut Sheet, r: usize, c: usize, s: &str, f: &Format) -> Res {
    ws.write_string_with_format(row(r), col(c), s, f)
        .map(|_| ())
}

fn num(ws: &mut Sheet, r: usize, c: usize, x: f64, f: &Format) -> Res {
    if x.is_finite() {
        ws.write_number_with_format(row(r), col(c), x, f)
            .map(|_| ())
    } else {
        text(ws, r, c, &x.to_string())
    }
}

/// A unit's name, for a Unit column.
fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Pounds => "£ (shown as £m)",
        Unit::Plans => "plans",
        Unit::Children => "children",
        Unit::PoundsPerPlan => "£ per plan a year",
        Unit::Share => "share (shown as %)",
        Unit::Weeks => "weeks",
        Unit::Fte => "FTE",
        Unit::PlansPerOfficer => "plans per officer",
    }
}

/// Two note lines from row `r`: the sheet's units, and where its figures come from.
fn footer(ws: &mut Sheet, f: &Formats, r: usize, units: &str, source: &str) -> Res {
    text_f(ws, r, 0, units, &f.note)?;
    text_f(ws, r + 1, 0, source, &f.note)
}

/// The years of a run as a header row starting at column `first`.
fn year_headers(ws: &mut Sheet, f: &Formats, r: usize, first: usize, s: &Summary) -> Res {
    for (i, y) in s.scenario.years.iter().enumerate() {
        text_f(ws, r, first + i, &y.to_string(), &f.header_right)?;
    }
    Ok(())
}

fn year_columns(ws: &mut Sheet, first: usize, s: &Summary) -> Res {
    for i in 0..s.scenario.years.len() {
        ws.set_column_width(col(first + i), 11)?;
    }
    Ok(())
}

/// True when every statistic of a series is zero in every year (e.g. no schools-block transfer).
fn all_zero(s: &Summary, name: &str) -> bool {
    let stats = s.series(name).unwrap_or_default();
    let central = s.central.get(name).map(Vec::as_slice).unwrap_or_default();
    stats
        .iter()
        .all(|y: &YearStats| y.quantiles().iter().all(|x| *x == 0.0) && y.mean == 0.0)
        && central.iter().all(|x| *x == 0.0)
}

/// Sets the workbook's title (`<title>: <scenario>`) and comment, and returns the source line its
/// sheets carry: the version, paths, seed, scenario file and its SHA-256.
fn describe(wb: &mut Workbook, title: &str, summary: &Summary, loaded: &Loaded) -> String {
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{title}: {}", summary.scenario.name))
            .set_comment(format!(
                "Written by dsg {} from {} (SHA-256 {})",
                env!("CARGO_PKG_VERSION"),
                loaded.path.display(),
                loaded.sha256
            )),
    );
    format!(
        "Source: dsg {}, {} simulated futures (seed {}) of {} (SHA-256 {}).",
        env!("CARGO_PKG_VERSION"),
        summary.run.paths,
        summary.run.seed,
        loaded.path.display(),
        loaded.sha256
    )
}

/// `results.xlsx` for one run.
pub fn results(
    summary: &Summary,
    loaded: &Loaded,
    headline: &[String],
    analysis: Option<&[dsg_analysis::Sensitivity]>,
    path: &Path,
) -> anyhow::Result<()> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let source = describe(&mut wb, "DSG forecast", summary, loaded);
    summary_sheet(wb.add_worksheet(), &f, summary, loaded, headline)?;
    quantiles_sheet(wb.add_worksheet(), &f, summary, &source)?;
    probabilities_sheet(wb.add_worksheet(), &f, summary, &source)?;
    if budget::applies(summary) {
        budget_sheet(wb.add_worksheet(), &f, summary, &source)?;
    }
    mitigations_sheet(wb.add_worksheet(), &f, summary, &source)?;
    if children::applies(summary) {
        children_sheet(wb.add_worksheet(), &f, summary, &source)?;
    }
    assumptions_sheet(wb.add_worksheet(), &f, &loaded.scenario, loaded)?;
    checks_sheet(wb.add_worksheet(), &f, summary, &source)?;
    if let Some(results) = analysis {
        decision::sensitivity_sheet(wb.add_worksheet(), &f, results)?;
    }
    wb.save(path)?;
    Ok(())
}

/// `comparison.xlsx`: the headline figures side by side, and each scenario's cumulative balance.
pub fn comparison(
    summaries: &[Summary],
    heads: &[Headline],
    loaded: &[Loaded],
    path: &Path,
) -> anyhow::Result<()> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_title("DSG forecast comparison"));
    headline_sheet(wb.add_worksheet(), &f, summaries, heads, loaded)?;
    balance_sheet(wb.add_worksheet(), &f, summaries)?;
    scenarios_sheet(wb.add_worksheet(), &f, loaded)?;
    wb.save(path)?;
    Ok(())
}

/// The comparison's first sheet: the headline figures of every scenario side by side.
fn headline_sheet(
    ws: &mut Sheet,
    f: &Formats,
    summaries: &[Summary],
    heads: &[Headline],
    loaded: &[Loaded],
) -> Res {
    let files: Vec<String> = loaded
        .iter()
        .map(|l| l.path.display().to_string())
        .collect();
    ws.set_name("Comparison")?;
    ws.set_column_width(0, 56)?;
    for c in 0..heads.len() {
        ws.set_column_width(col(1 + c), 22)?;
    }
    text_f(ws, 0, 0, "DSG forecast comparison", &f.title)?;
    let (paths, seed) = summaries
        .first()
        .map_or((0, 0), |s| (s.run.paths, s.run.seed));
    text(
        ws,
        1,
        0,
        &format!(
            "Every scenario run on the same {} simulated futures (seed {}). Deficits positive.",
            dsg_core::money::group_thousands(&paths.to_string()),
            seed
        ),
    )?;
    let r = 3;
    text_f(ws, r, 0, "Scenario", &f.header)?;
    for (c, h) in heads.iter().enumerate() {
        text_f(ws, r, 1 + c, &h.name, &f.header_right)?;
    }
    text_f(ws, r + 1, 0, "File", &f.note)?;
    for (c, file) in files.iter().enumerate() {
        text_f(ws, r + 1, 1 + c, file, &f.note)?;
    }
    for (k, row) in ROWS.iter().enumerate() {
        let rr = r + 2 + k;
        text(ws, rr, 0, row.long_label)?;
        for (c, h) in heads.iter().enumerate() {
            let value = (row.value)(h);
            match value {
                Value::Pounds { pounds, .. } => num(ws, rr, 1 + c, pounds, &f.money)?,
                Value::Chance { p, .. } => num(ws, rr, 1 + c, p, &f.percent)?,
                Value::Year(_) | Value::Absent(_) => {
                    text_f(ws, rr, 1 + c, &value.text(), &f.header_right)?
                }
            }
        }
    }
    Ok(())
}

/// Each scenario's cumulative balance (P5, median, P95) year by year.
fn balance_sheet(ws: &mut Sheet, f: &Formats, summaries: &[Summary]) -> Res {
    ws.set_name("Cumulative balance")?;
    ws.set_column_width(0, 44)?;
    ws.set_column_width(1, 14)?;
    let mut years: Vec<_> = summaries
        .iter()
        .flat_map(|s| s.scenario.years.iter().copied())
        .collect();
    years.sort();
    years.dedup();
    text_f(ws, 0, 0, "Scenario", &f.header)?;
    text_f(ws, 0, 1, "Statistic", &f.header)?;
    for (i, y) in years.iter().enumerate() {
        ws.set_column_width(col(2 + i), 11)?;
        text_f(ws, 0, 2 + i, &y.to_string(), &f.header_right)?;
    }
    ws.set_freeze_panes(1, 2)?;
    let mut r = 1;
    for s in summaries {
        let Some(stats) = s.stats(SeriesKey::mitigated(Series::Cumulative)) else {
            continue;
        };
        for (label, pick) in [
            ("P5", (|y: &YearStats| y.p5) as fn(&YearStats) -> f64),
            ("Median", |y| y.p50),
            ("P95", |y| y.p95),
        ] {
            text(ws, r, 0, &s.scenario.name)?;
            text(ws, r, 1, label)?;
            for y in stats {
                if let Some(i) = years.iter().position(|x| *x == y.year) {
                    num(ws, r, 2 + i, pick(y), &f.money)?;
                }
            }
            r += 1;
        }
    }
    Ok(())
}

/// Each scenario's name, authority, file and SHA-256.
fn scenarios_sheet(ws: &mut Sheet, f: &Formats, loaded: &[Loaded]) -> Res {
    ws.set_name("Scenarios")?;
    for (c, (h, w)) in [
        ("Scenario", 40),
        ("Authority", 30),
        ("File", 40),
        ("SHA-256 of the file", 66),
    ]
    .iter()
    .enumerate()
    {
        ws.set_column_width(col(c), *w)?;
        text_f(ws, 0, c, h, &f.header)?;
    }
    for (i, l) in loaded.iter().enumerate() {
        text(ws, 1 + i, 0, l.scenario.name())?;
        text(ws, 1 + i, 1, l.scenario.authority())?;
        text(ws, 1 + i, 2, &l.path.display().to_string())?;
        text(ws, 1 + i, 3, &l.sha256)?;
    }
    Ok(())
}
