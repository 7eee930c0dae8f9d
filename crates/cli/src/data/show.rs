//! `dsg data show`: a council's public-data history as tables for the terminal (or CSV), and the
//! list of every area in the panel.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use dsg_data::public::{Area, BOUNDARY_CHANGES, Level, Panel, PanelRow, Value};

use super::{load_panel, panel_name};
use crate::error::bad_input;

mod table;
use table::{Cell, Fmt, Line, Table, WIDTH, shown_symbol, wrap};

/// `dsg data show`.
#[derive(Args)]
pub struct ShowArgs {
    /// The council (or England, or a region): its name, ONS code (E10000003) or DfE code (873).
    #[arg(
        long = "la",
        value_name = "NAME|CODE",
        required_unless_present = "list"
    )]
    pub la: Option<String>,
    /// List every area: ONS code, DfE code, name, level, first and last year.
    #[arg(long, conflicts_with = "la")]
    pub list: bool,
    /// A panel written by `dsg data import` instead of the one built in.
    #[arg(long, value_name = "FILE")]
    pub panel: Option<PathBuf>,
    /// Text tables (the default) or CSV (table, row, column, value, missing) on standard output.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Same as --format csv.
    #[arg(long)]
    pub csv: bool,
}

/// How `dsg data show` writes its tables.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables for a terminal of 100 columns.
    Text,
    /// One CSV row per cell.
    Csv,
}

/// The first January of the person-level collection (flows: the calendar year before).
const PERSON_LEVEL: i32 = 2023;

/// One area's rows, by series and year.
struct AreaRows<'a> {
    rows: BTreeMap<(&'a str, i32), &'a PanelRow>,
}

impl<'a> AreaRows<'a> {
    fn new(panel: &'a Panel, code: &str) -> Self {
        let rows = panel
            .rows
            .iter()
            .filter(|r| r.area.code == code)
            .map(|r| ((r.series.as_str(), r.year), r))
            .collect();
        AreaRows { rows }
    }

    fn cell(&self, series: &str, year: i32, fmt: Fmt) -> Cell {
        match self.rows.get(&(series, year)).map(|r| &r.value) {
            Some(Value::Number(v)) => Cell::Num(*v, fmt),
            Some(Value::Missing(s)) => Cell::Missing(s.clone()),
            None => Cell::Empty,
        }
    }

    fn number(&self, series: &str, year: i32) -> Option<f64> {
        self.rows
            .get(&(series, year))
            .and_then(|r| r.value.number())
    }

    /// The growth of `series` into `year` from the year before.
    fn growth(&self, series: &str, year: i32) -> Cell {
        match (self.number(series, year - 1), self.number(series, year)) {
            (Some(a), Some(b)) if a > 0.0 => Cell::Num(b / a - 1.0, Fmt::Growth),
            _ => Cell::Empty,
        }
    }

    /// The years in which any of `series` has a row.
    fn years(&self, series: &[&str]) -> Vec<i32> {
        let set: BTreeSet<i32> = self
            .rows
            .keys()
            .filter(|(s, _)| series.contains(s))
            .map(|(_, y)| *y)
            .collect();
        set.into_iter().collect()
    }

    /// The series with `prefix`, sorted.
    fn with_prefix(&self, prefix: &str) -> Vec<&'a str> {
        let set: BTreeSet<&str> = self
            .rows
            .keys()
            .filter(|(s, _)| s.starts_with(prefix))
            .map(|(s, _)| *s)
            .collect();
        set.into_iter().collect()
    }
}

/// A table with years down: `columns` of (header, the cell of a year), the break ruled before
/// `break_year`.
fn years_down(
    title: &str,
    area: &AreaRows<'_>,
    series: &[&str],
    columns: &[(&str, &dyn Fn(i32) -> Cell)],
    break_year: i32,
    rule: &str,
) -> Option<Table> {
    let years = area.years(series);
    if years.is_empty() {
        return None;
    }
    let mut lines = Vec::new();
    for (k, y) in years.iter().enumerate() {
        if *y == break_year || (k > 0 && years[k - 1] < break_year && *y > break_year) {
            lines.push(Line::Rule(rule.to_string()));
        }
        let mut cells = vec![Cell::Text(y.to_string())];
        cells.extend(columns.iter().map(|(_, f)| f(*y)));
        lines.push(Line::Cells(cells));
    }
    let mut headers = vec!["year".to_string()];
    headers.extend(columns.iter().map(|(h, _)| (*h).to_string()));
    Some(Table {
        title: title.to_string(),
        columns: headers,
        lines,
        notes: Vec::new(),
    })
}

/// The plans tables: by placement (with growth), and special schools by sector.
fn plans_tables(area: &AreaRows<'_>) -> Vec<Table> {
    const RULE: &str = "person-level collection from January 2023 (DfE: a break in the series)";
    let c = |s: &'static str| move |y: i32| area.cell(s, y, Fmt::Count);
    let (all, ms, sp, ap, fe, ey) = (
        c("caseload"),
        c("caseload.mainstream"),
        c("caseload.special"),
        c("caseload.ap_pru"),
        c("caseload.fe"),
        c("caseload.early_years"),
    );
    let growth = |y: i32| area.growth("caseload", y);
    let placement: [(&str, &dyn Fn(i32) -> Cell); 7] = [
        ("all plans", &all),
        ("growth", &growth),
        ("mainstream", &ms),
        ("special", &sp),
        ("AP/PRU", &ap),
        ("FE", &fe),
        ("early years", &ey),
    ];
    let mut tables = Vec::new();
    let stock = [
        "caseload",
        "caseload.mainstream",
        "caseload.special",
        "caseload.ap_pru",
        "caseload.fe",
        "caseload.early_years",
    ];
    if let Some(mut t) = years_down(
        "EHC plans at January, by placement (growth: all plans on the January before)",
        area,
        &stock,
        &placement,
        PERSON_LEVEL,
        RULE,
    ) {
        t.notes.push(
            "Statements of SEN are counted with EHC plans up to 2018, as DfE's totals do. FE: further education and post-16; AP/PRU: alternative provision and pupil referral units.".into(),
        );
        tables.push(t);
    }
    let (la, ac, ind, nm) = (
        c("caseload.special_la_maintained"),
        c("caseload.special_academy_free"),
        c("caseload.special_independent"),
        c("caseload.special_non_maintained"),
    );
    let sectors: [(&str, &dyn Fn(i32) -> Cell); 5] = [
        ("special", &sp),
        ("LA maintained", &la),
        ("academy/free", &ac),
        ("independent", &ind),
        ("non-maintained", &nm),
    ];
    let split = [
        "caseload.special_la_maintained",
        "caseload.special_academy_free",
        "caseload.special_independent",
        "caseload.special_non_maintained",
    ];
    if let Some(mut t) = years_down(
        "EHC plans at January in special schools, by sector",
        area,
        &split,
        &sectors,
        PERSON_LEVEL,
        RULE,
    ) {
        t.notes
            .push("LA maintained includes hospital schools.".into());
        tables.push(t);
    }
    tables
}

/// The flows table: requests, new plans and plans issued within 20 weeks, by calendar year.
fn flows_table(area: &AreaRows<'_>) -> Option<Table> {
    let c = |s: &'static str, f: Fmt| move |y: i32| area.cell(s, y, f);
    let (rq, np, iss, w20, pct) = (
        c("requests", Fmt::Count),
        c("new_plans", Fmt::Count),
        c("issued_excl_exceptions", Fmt::Count),
        c("within_20_weeks", Fmt::Count),
        c("within_20_weeks_pct", Fmt::Pct),
    );
    let (grq, gnp) = (
        |y: i32| area.growth("requests", y),
        |y: i32| area.growth("new_plans", y),
    );
    let columns: [(&str, &dyn Fn(i32) -> Cell); 7] = [
        ("requests", &rq),
        ("growth", &grq),
        ("new plans", &np),
        ("growth", &gnp),
        ("issued", &iss),
        ("in 20 weeks", &w20),
        ("% in 20 wks", &pct),
    ];
    let series = [
        "requests",
        "new_plans",
        "issued_excl_exceptions",
        "within_20_weeks",
        "within_20_weeks_pct",
    ];
    let mut t = years_down(
        "Requests for assessment, new EHC plans and plans issued within 20 weeks, by calendar year",
        area,
        &series,
        &columns,
        PERSON_LEVEL - 1,
        "person-level collection from calendar 2022 (DfE: a break in the series)",
    )?;
    t.notes.push(
        "issued: plans issued excluding exceptions to the 20-week limit; % in 20 wks: of those, the share issued within 20 weeks (DfE's headline measure).".into(),
    );
    Some(t)
}

/// A table of the series with `prefix` (DSG allocations, section 251 lines), series down and
/// financial years across, in pounds shown in millions; none if the area has none.
fn money_table(area: &AreaRows<'_>, prefix: &str, title: &str) -> Option<Table> {
    let series = area.with_prefix(prefix);
    if series.is_empty() {
        return None;
    }
    let years = area.years(&series);
    let mut columns = vec!["series".to_string()];
    columns.extend(
        years
            .iter()
            .map(|y| format!("{y}-{:02}", (y + 1).rem_euclid(100))),
    );
    let lines = series
        .iter()
        .map(|s| {
            let mut cells = vec![Cell::Text(s.trim_start_matches(prefix).to_string())];
            cells.extend(years.iter().map(|y| area.cell(s, *y, Fmt::Money)));
            Line::Cells(cells)
        })
        .collect();
    Some(Table {
        title: title.to_string(),
        columns,
        lines,
        notes: Vec::new(),
    })
}

/// Every table of an area, the DSG and section 251 ones only when the panel has them.
fn tables(area: &AreaRows<'_>) -> Vec<Table> {
    let mut out = plans_tables(area);
    out.extend(flows_table(area));
    out.extend(money_table(
        area,
        "dsg.",
        "DSG allocations, £ million, by financial year",
    ));
    out.extend(money_table(
        area,
        "s251.outturn.",
        "Section 251 outturn (spend), £ million, by financial year",
    ));
    out.extend(money_table(
        area,
        "s251.budget.",
        "Section 251 budget, £ million, by financial year",
    ));
    out
}

/// What the header says of a boundary change: the successors of an area that ended, or where a
/// successor's history starts.
fn boundary_note(area: &Area) -> Option<String> {
    let list = |areas: &[(&str, &str, &str)]| {
        areas
            .iter()
            .map(|(code, dfe, name)| format!("{name} ({code}, DfE {dfe})"))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    for c in BOUNDARY_CHANGES {
        if c.before.iter().any(|b| b.0 == area.code) {
            return Some(format!(
                "{} ended at the boundary change of April {}: its last count is January {} (flows to calendar {}). It was replaced by {}: see `dsg data show --la {}`.",
                area.name,
                c.first_january - 1,
                c.first_january - 1,
                c.first_january - 2,
                list(c.after),
                c.after[0].0
            ));
        }
        if c.after.iter().any(|a| a.0 == area.code) {
            return Some(format!(
                "{} was formed at the boundary change of April {}: its history starts with January {} (flows from calendar {}); before, its area was in {}.",
                area.name,
                c.first_january - 1,
                c.first_january,
                c.first_january - 1,
                list(c.before)
            ));
        }
    }
    None
}

/// The sources of an area's rows: each file and table with the series and years it gave.
fn sources(area: &AreaRows<'_>) -> Vec<String> {
    let mut by: BTreeMap<(&str, &str), (BTreeSet<&str>, i32, i32)> = BTreeMap::new();
    for r in area.rows.values() {
        let e = by
            .entry((r.source_file.as_str(), r.source_table.as_str()))
            .or_insert((BTreeSet::new(), r.year, r.year));
        e.0.insert(r.series.as_str());
        e.1 = e.1.min(r.year);
        e.2 = e.2.max(r.year);
    }
    by.into_iter()
        .map(|((file, table), (series, first, last))| {
            let placements = series.iter().filter(|s| s.starts_with("caseload.")).count();
            let mut names: Vec<String> = series
                .iter()
                .filter(|s| !s.starts_with("caseload."))
                .map(|s| (*s).to_string())
                .collect();
            if placements > 0 {
                names.push(format!("{placements} placement series"));
            }
            format!("{file}: {table} ({}; {first}-{last})", names.join(", "))
        })
        .collect()
}

/// The whole text shown for an area.
fn area_text(panel: &Panel, area: &Area, from: &str) -> String {
    let rows = AreaRows::new(panel, &area.code);
    let years: Vec<i32> = rows.rows.keys().map(|(_, y)| *y).collect();
    let (first, last) = (
        years.iter().min().copied().unwrap_or(0),
        years.iter().max().copied().unwrap_or(0),
    );
    let level = match area.level {
        Level::National => "England".to_string(),
        Level::Regional => "region".to_string(),
        Level::La => format!("local authority, DfE code {}", area.dfe_code),
    };
    let mut out = format!("{} ({}; {level}): {first}-{last}\n", area.name, area.code);
    if let Some(note) = boundary_note(area) {
        out.push_str(&wrap(&note, WIDTH));
    }
    out.push('\n');
    for t in tables(&rows) {
        out.push_str(&t.render());
    }
    let mut symbols: BTreeSet<&str> = BTreeSet::new();
    for r in rows.rows.values() {
        if let Value::Missing(s) = &r.value {
            symbols.insert(shown_symbol(s));
        }
    }
    if !symbols.is_empty() {
        let meaning = |s: &str| match s {
            "x" => "x not available",
            "z" => "z not applicable",
            "c" => "c confidential",
            "low" => "low: too few to publish",
            "-" => "- a blank cell",
            "rt" => {
                "rt the region's total given as the council's (a publication error: docs/public-data.md)"
            }
            _ => "",
        };
        let known: Vec<String> = symbols
            .iter()
            .map(|s| match meaning(s) {
                "" => format!("{s} as published"),
                m => m.to_string(),
            })
            .collect();
        out.push_str(&wrap(
            &format!(
                "Missing values, as DfE marks them (never 0): {}. An empty cell: no figure for that year.",
                known.join("; ")
            ),
            WIDTH,
        ));
    }
    out.push_str(&format!(
        "Sources: DfE \"Education, health and care plans\", read from {from}:\n"
    ));
    for s in sources(&rows) {
        out.push_str(&wrap(&format!("  {s}"), WIDTH));
    }
    out
}

/// The tables of an area as CSV: one row per cell (table, row, column, value, missing).
fn area_csv(panel: &Panel, area: &Area) -> anyhow::Result<String> {
    let rows = AreaRows::new(panel, &area.code);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(["area", "table", "row", "column", "value", "missing"])?;
    for t in tables(&rows) {
        for line in &t.lines {
            let Line::Cells(cells) = line else { continue };
            let label = cells.first().map(Cell::text).unwrap_or_default();
            for (column, cell) in t.columns.iter().zip(cells).skip(1) {
                let (value, missing) = match cell {
                    Cell::Num(v, _) => (v.to_string(), String::new()),
                    Cell::Missing(s) => (String::new(), s.clone()),
                    Cell::Text(_) | Cell::Empty => continue,
                };
                w.write_record([
                    area.code.as_str(),
                    t.title.as_str(),
                    label.as_str(),
                    column.as_str(),
                    value.as_str(),
                    missing.as_str(),
                ])?;
            }
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// Every area: code, DfE code, name, level, first and last year, and a boundary change.
fn list(panel: &Panel, csv: bool) -> anyhow::Result<String> {
    let mut span: BTreeMap<&str, (i32, i32)> = BTreeMap::new();
    for r in &panel.rows {
        let e = span.entry(r.area.code.as_str()).or_insert((r.year, r.year));
        e.0 = e.0.min(r.year);
        e.1 = e.1.max(r.year);
    }
    let areas = panel.areas();
    let change = |code: &str| {
        BOUNDARY_CHANGES.iter().find_map(|c| {
            if c.before.iter().any(|b| b.0 == code) {
                Some(format!("ended {}", c.first_january - 1))
            } else if c.after.iter().any(|a| a.0 == code) {
                Some(format!("formed {}", c.first_january - 1))
            } else {
                None
            }
        })
    };
    let rows: Vec<[String; 7]> = areas
        .iter()
        .map(|a| {
            let (first, last) = span.get(a.code.as_str()).copied().unwrap_or_default();
            [
                a.code.clone(),
                a.dfe_code.clone(),
                a.name.clone(),
                a.level.as_str().to_string(),
                first.to_string(),
                last.to_string(),
                change(&a.code).unwrap_or_default(),
            ]
        })
        .collect();
    let head = ["code", "dfe", "name", "level", "first", "last", "boundary"];
    if csv {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record(head)?;
        for r in &rows {
            w.write_record(r)?;
        }
        return Ok(String::from_utf8(w.into_inner()?)?);
    }
    let name_width = rows.iter().map(|r| r[2].chars().count()).max().unwrap_or(4);
    let mut out = format!(
        "{:<9}  {:<3}  {:<name_width$}  {:<8}  {:>5}  {:>5}  boundary\n",
        "code", "dfe", "name", "level", "first", "last"
    );
    for r in &rows {
        out.push_str(
            format!(
                "{:<9}  {:<3}  {:<name_width$}  {:<8}  {:>5}  {:>5}  {}\n",
                r[0], r[1], r[2], r[3], r[4], r[5], r[6]
            )
            .trim_end(),
        );
        out.push('\n');
    }
    out.push_str(&format!(
        "{} areas. `dsg data show --la CODE` shows one; a name or a DfE code also finds it.\n",
        rows.len()
    ));
    Ok(out)
}

/// Runs `dsg data show`.
pub fn show(args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let panel = load_panel(args.panel.as_deref())?;
    let csv = args.csv || args.format == Format::Csv;
    let text = match &args.la {
        None => list(&panel, csv)?,
        Some(q) => {
            let area = panel
                .find_area(q)
                .map_err(|e| bad_input(format!("--la: {e}")))?;
            if csv {
                area_csv(&panel, area)?
            } else {
                area_text(&panel, area, &panel_name(args.panel.as_deref()))
            }
        }
    };
    crate::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
