//! Excel workbooks laid out as a finance officer expects: years across, figures down, money in £
//! with one decimal of millions, probabilities as percentages. Cells hold the exact values in
//! pounds (the format only changes how they look), so they can be used in further calculations.

use std::path::Path;

use dsg_core::series::Unit;
use dsg_core::{Per, Scenario, Series, SeriesKey, Shape, Variant};
use dsg_montecarlo::{Summary, YearStats};
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::comparison::{ROWS, Value};
use crate::headline::Headline;
use crate::labels;
use crate::load::Loaded;
use crate::output::csv::{STATISTICS, statistic};

/// Money as £m with one decimal; negative (deficit) figures in red.
const MONEY: &str = "£#,##0.0,,\"m\";[Red]-£#,##0.0,,\"m\";£0.0,,\"m\"";
/// Counts of plans.
const PLANS: &str = "#,##0";
/// Probabilities.
const PERCENT: &str = "0%";
/// Small sums such as standard errors, in pounds.
const POUNDS: &str = "£#,##0;[Red]-£#,##0";

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
    pounds: Format,
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
            pounds: Format::new().set_num_format(POUNDS),
        }
    }

    fn unit(&self, unit: Unit) -> &Format {
        match unit {
            Unit::Pounds => &self.money,
            Unit::Plans => &self.plans,
            Unit::PoundsPerPlan => &self.pounds,
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

/// `results.xlsx` for one run.
pub fn results(
    summary: &Summary,
    loaded: &Loaded,
    headline: &[String],
    path: &Path,
) -> anyhow::Result<()> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("DSG forecast: {}", summary.scenario.name))
            .set_comment(format!(
                "Written by dsg {} from {} (SHA-256 {})",
                env!("CARGO_PKG_VERSION"),
                loaded.path.display(),
                loaded.sha256
            )),
    );
    summary_sheet(wb.add_worksheet(), &f, summary, loaded, headline)?;
    quantiles_sheet(wb.add_worksheet(), &f, summary)?;
    probabilities_sheet(wb.add_worksheet(), &f, summary)?;
    mitigations_sheet(wb.add_worksheet(), &f, summary)?;
    assumptions_sheet(wb.add_worksheet(), &f, &loaded.scenario, loaded)?;
    wb.save(path)?;
    Ok(())
}

fn summary_sheet(
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
    r += 1;
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
    r += 1;
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
    r += 1;
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

/// Friendly names of the statistics in [`STATISTICS`].
fn statistic_label(code: &str) -> &'static str {
    match code {
        "p5" => "P5",
        "p10" => "P10",
        "p25" => "P25",
        "p50" => "Median (P50)",
        "p75" => "P75",
        "p90" => "P90",
        "p95" => "P95",
        "mean" => "Mean",
        "se" => "Standard error of the mean",
        "central" => "Central projection",
        _ => "",
    }
}

fn quantiles_sheet(ws: &mut Sheet, f: &Formats, s: &Summary) -> Res {
    ws.set_name("Quantiles")?;
    ws.set_column_width(0, 52)?;
    ws.set_column_width(1, 34)?;
    ws.set_column_width(2, 26)?;
    year_columns(ws, 3, s)?;
    text_f(ws, 0, 0, "Series", &f.header)?;
    text_f(ws, 0, 1, "Key", &f.header)?;
    text_f(ws, 0, 2, "Statistic", &f.header)?;
    year_headers(ws, f, 0, 3, s)?;
    ws.set_freeze_panes(1, 3)?;
    let mut r = 1;
    for name in s.series.keys() {
        let (label, unit) = labels::series(s, name);
        for stat in STATISTICS {
            text(ws, r, 0, &label)?;
            text(ws, r, 1, name)?;
            text(ws, r, 2, statistic_label(stat))?;
            let fmt = match (stat, unit) {
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

fn probabilities_sheet(ws: &mut Sheet, f: &Formats, s: &Summary) -> Res {
    ws.set_name("Probabilities")?;
    ws.set_column_width(0, 44)?;
    for c in 1..=4 {
        ws.set_column_width(c, 22)?;
    }
    let p = &s.probabilities;
    text_f(
        ws,
        0,
        0,
        "Chances, as a share of simulated futures",
        &f.title,
    )?;
    let mut r = 2;
    text_f(ws, r, 0, "Year", &f.header)?;
    text_f(
        ws,
        r,
        1,
        "Chance the deficit exceeds usable reserves",
        &f.header_right,
    )?;
    text_f(ws, r, 2, "Standard error", &f.header_right)?;
    text_f(
        ws,
        r,
        3,
        "Chance of an in-year balance by this year",
        &f.header_right,
    )?;
    text_f(ws, r, 4, "Standard error", &f.header_right)?;
    r += 1;
    for (i, y) in p.deficit_exceeds_reserves.iter().enumerate() {
        text(ws, r, 0, &y.year.to_string())?;
        num(ws, r, 1, y.probability, &f.percent)?;
        num(ws, r, 2, y.se, &f.percent)?;
        if let Some(b) = p.in_year_balance_reached_by.get(i) {
            num(ws, r, 3, b.probability, &f.percent)?;
            num(ws, r, 4, b.se, &f.percent)?;
        }
        r += 1;
    }
    r += 1;
    text_f(ws, r, 0, "Safety-valve instalments", &f.bold)?;
    r += 1;
    if p.safety_valve_instalments.is_empty() {
        text_f(
            ws,
            r,
            0,
            "This scenario has no safety-valve agreement.",
            &f.note,
        )?;
        r += 1;
    } else {
        text_f(ws, r, 0, "Year due", &f.header)?;
        text_f(ws, r, 1, "Amount (central)", &f.header_right)?;
        text_f(ws, r, 2, "Chance received", &f.header_right)?;
        r += 1;
        for i in &p.safety_valve_instalments {
            text(ws, r, 0, &i.year.to_string())?;
            num(ws, r, 1, i.amount, &f.money)?;
            num(ws, r, 2, i.probability, &f.percent)?;
            r += 1;
        }
        if let Some(all) = p.all_instalments_received {
            text_f(ws, r, 0, "Every instalment received", &f.bold)?;
            num(ws, r, 2, all, &f.percent)?;
            r += 1;
        }
        text(ws, r, 0, "Expected safety-valve receipts over the forecast")?;
        num(ws, r, 1, p.expected_safety_valve_receipts, &f.money)?;
        r += 1;
    }
    r += 1;
    text_f(
        ws,
        r,
        0,
        "How large the cumulative deficit could be",
        &f.bold,
    )?;
    r += 1;
    text_f(ws, r, 0, "Chance of a larger deficit", &f.header)?;
    for (c, e) in s.exceedance.iter().enumerate() {
        text_f(
            ws,
            r,
            1 + c,
            &format!("Deficit at 31 March {}", e.year.end_year()),
            &f.header_right,
        )?;
    }
    r += 1;
    let points = s.exceedance.first().map_or(0, |e| e.points.len());
    // Largest deficit first: 1% chance of worse at the top.
    for k in 0..points {
        let mut prob = None;
        for (c, e) in s.exceedance.iter().enumerate() {
            if let Some(pt) = e.points.get(k) {
                prob = Some(pt.probability);
                num(ws, r, 1 + c, pt.deficit, &f.money)?;
            }
        }
        if let Some(pr) = prob {
            num(ws, r, 0, pr, &f.percent)?;
        }
        r += 1;
    }
    Ok(())
}

fn mitigations_sheet(ws: &mut Sheet, f: &Formats, s: &Summary) -> Res {
    ws.set_name("Mitigations")?;
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 50)?;
    for c in 2..=6 {
        ws.set_column_width(c, 16)?;
    }
    text_f(ws, 0, 0, "Mitigations: what each changes", &f.title)?;
    if s.scenario.mitigations.is_empty() {
        text_f(
            ws,
            2,
            0,
            "This scenario has no mitigations: the forecasts with and without them are the same.",
            &f.note,
        )?;
        return Ok(());
    }
    let last = s.scenario.years.last().map(|y| y.end_year()).unwrap_or(0);
    text(
        ws,
        1,
        0,
        &format!(
            "Effect of each mitigation on the cumulative DSG balance at 31 March {last}, with the \
             other mitigations in place. Positive = a smaller deficit."
        ),
    )?;
    let mut r = 3;
    let heads = [
        "Mitigation",
        "Description",
        "Median",
        "P10",
        "P90",
        "Central projection",
    ];
    for (c, h) in heads.iter().enumerate() {
        text_f(ws, r, c, h, if c < 2 { &f.header } else { &f.header_right })?;
    }
    r += 1;
    for (i, m) in s.scenario.mitigations.iter().enumerate() {
        let key = SeriesKey::impact(i);
        text(ws, r, 0, &m.name)?;
        text_f(ws, r, 1, &m.label, &f.wrap)?;
        if let Some(y) = s.stats(key).and_then(|v| v.last()) {
            num(ws, r, 2, y.p50, &f.money)?;
            num(ws, r, 3, y.p10, &f.money)?;
            num(ws, r, 4, y.p90, &f.money)?;
        }
        if let Some(x) = s.central_of(key).and_then(|v| v.last()) {
            num(ws, r, 5, *x, &f.money)?;
        }
        r += 1;
    }
    r += 1;
    text_f(
        ws,
        r,
        0,
        "Cumulative DSG balance with and without mitigations",
        &f.bold,
    )?;
    r += 1;
    let heads = [
        "Year",
        "Without: median",
        "With: median",
        "Without: central projection",
        "With: central projection",
    ];
    for (c, h) in heads.iter().enumerate() {
        text_f(
            ws,
            r,
            c,
            h,
            if c == 0 { &f.header } else { &f.header_right },
        )?;
    }
    r += 1;
    let median = |key, i: usize| s.stats(key).and_then(|v| v.get(i)).map(|y| y.p50);
    let central = |key, i: usize| s.central_of(key).and_then(|v| v.get(i)).copied();
    let (with, without) = (
        SeriesKey::mitigated(Series::Cumulative),
        SeriesKey::unmitigated(Series::Cumulative),
    );
    for (i, y) in s.scenario.years.iter().enumerate() {
        text(ws, r, 0, &y.to_string())?;
        let cells = [
            median(without, i),
            median(with, i),
            central(without, i),
            central(with, i),
        ];
        for (c, x) in cells.iter().enumerate() {
            if let Some(x) = x {
                num(ws, r, 1 + c, *x, &f.money)?;
            }
        }
        r += 1;
    }
    Ok(())
}

fn assumptions_sheet(ws: &mut Sheet, f: &Formats, scenario: &Scenario, loaded: &Loaded) -> Res {
    ws.set_name("Assumptions")?;
    ws.set_column_width(0, 44)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 26)?;
    ws.set_column_width(3, 12)?;
    ws.set_column_width(4, 90)?;
    text_f(
        ws,
        0,
        0,
        "Assumptions: every input of the scenario",
        &f.title,
    )?;
    text(
        ws,
        1,
        0,
        &format!(
            "From {} (SHA-256 {}). Money in pounds; rates as fractions (0.12 = 12%); balances \
             negative = deficit.",
            loaded.path.display(),
            loaded.sha256
        ),
    )?;
    let mut r = 3;
    for (c, h) in [
        "Input (key in the scenario file)",
        "Shape",
        "Drawn",
        "Persistence",
        "Value or distribution",
    ]
    .iter()
    .enumerate()
    {
        text_f(ws, r, c, h, &f.header)?;
    }
    ws.set_freeze_panes(row(r + 1), 1)?;
    r += 1;
    for (i, spec) in scenario.params().specs().iter().enumerate() {
        text(ws, r, 0, &spec.key)?;
        text(
            ws,
            r,
            1,
            match spec.shape {
                Shape::Scalar => "one value",
                Shape::Yearly => "one per year",
            },
        )?;
        let drawn = if spec.is_fixed() {
            "fixed"
        } else {
            match spec.per {
                Per::Path => "once per simulated future",
                Per::Year => "afresh each year",
            }
        };
        text(ws, r, 2, drawn)?;
        if spec.per == Per::Year && spec.persistence != 0.0 && !spec.is_fixed() {
            ws.write_number(row(r), 3, spec.persistence)?;
        }
        text_f(ws, r, 4, &labels::input(scenario, i), &f.wrap)?;
        r += 1;
    }
    if !scenario.correlations().is_empty() {
        r += 1;
        text_f(ws, r, 0, "Correlations between inputs", &f.bold)?;
        r += 1;
        text_f(ws, r, 0, "Input", &f.header)?;
        text_f(ws, r, 1, "Correlation", &f.header)?;
        text_f(ws, r, 2, "With input", &f.header)?;
        r += 1;
        let specs = scenario.params().specs();
        let key = |i: usize| specs.get(i).map_or("?", |s| s.key.as_str());
        for c in &scenario.correlations().pairs {
            text(ws, r, 0, key(c.a))?;
            ws.write_number(row(r), 1, c.rho)?;
            text(ws, r, 2, key(c.b))?;
            r += 1;
        }
    }
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
    let files: Vec<String> = loaded
        .iter()
        .map(|l| l.path.display().to_string())
        .collect();
    {
        let ws = wb.add_worksheet();
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
    }
    {
        let ws = wb.add_worksheet();
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
    }
    {
        let ws = wb.add_worksheet();
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
    }
    wb.save(path)?;
    Ok(())
}
