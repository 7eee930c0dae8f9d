//! `dsg data history`: a council's series from the public-data panel written as a history file
//! (docs/history-format.md) for `dsg calibrate` and `dsg backtest`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use dsg_data::public::{Area, Level, Panel, PanelRow, Value};

use super::{load_panel, panel_name};
use crate::error::bad_input;

/// `dsg data history`.
#[derive(Args)]
pub struct HistoryArgs {
    /// The council (or England, or a region): its name, ONS code (E10000003) or DfE code (873).
    /// May be repeated.
    #[arg(long = "la", value_name = "NAME|CODE", required_unless_present = "all")]
    pub la: Vec<String>,
    /// Every local authority in the panel (the file then has an `area` column).
    #[arg(long, conflicts_with = "la")]
    pub all: bool,
    /// Also write plans by placement, under the shipped scenarios' provision names
    /// (caseload.mainstream_top_up, caseload.maintained_special, caseload.academy_special,
    /// caseload.inmss, caseload.alternative_provision, caseload.post16_fe, caseload.early_years).
    #[arg(long)]
    pub placements: bool,
    /// A panel written by `dsg data import` instead of the one built in.
    #[arg(long, value_name = "FILE")]
    pub panel: Option<PathBuf>,
    /// The history file to write (CSV).
    #[arg(long, value_name = "FILE.csv")]
    pub out: PathBuf,
    /// Print nothing but warnings and errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A history series and where it comes from in the panel.
pub struct Mapping {
    /// The history series.
    pub series: &'static str,
    /// The panel series summed into it.
    pub from: &'static [&'static str],
    /// The first year of the new collection, marked `break`, if the series breaks there.
    pub break_at: Option<i32>,
    /// The first year written (earlier years left out).
    pub first: i32,
}

/// The first January of the person-level collection (flows: the calendar year before).
const PERSON_LEVEL: i32 = 2023;

/// The series always written: plans (no break: see docs/history-format.md), requests and new
/// plans (a break at calendar 2022, the first year of the person-level collection; new plans from
/// 2015, the first whole year of EHC plans).
pub const SERIES: &[Mapping] = &[
    Mapping {
        series: "caseload",
        from: &["caseload"],
        break_at: None,
        first: 0,
    },
    Mapping {
        series: "requests",
        from: &["requests"],
        break_at: Some(PERSON_LEVEL - 1),
        first: 0,
    },
    Mapping {
        series: "new_plans",
        from: &["new_plans"],
        break_at: Some(PERSON_LEVEL - 1),
        // EHC plans began in September 2014: calendar 2014 is a part year (1,359 new plans in
        // England, 24,654 in 2015).
        first: 2015,
    },
];

/// The placements written with `--placements`, named as the shipped scenarios' provisions; the
/// placement groups were redefined with the person-level collection: a break at January 2023.
pub const PLACEMENTS: &[Mapping] = &[
    Mapping {
        series: "caseload.mainstream_top_up",
        from: &["caseload.mainstream"],
        break_at: Some(PERSON_LEVEL),
        first: 0,
    },
    Mapping {
        series: "caseload.maintained_special",
        from: &["caseload.special_la_maintained"],
        break_at: Some(PERSON_LEVEL),
        first: 0,
    },
    Mapping {
        series: "caseload.academy_special",
        from: &["caseload.special_academy_free"],
        break_at: Some(PERSON_LEVEL),
        first: 0,
    },
    Mapping {
        series: "caseload.inmss",
        from: &[
            "caseload.special_independent",
            "caseload.special_non_maintained",
        ],
        break_at: Some(PERSON_LEVEL),
        first: 0,
    },
    Mapping {
        series: "caseload.alternative_provision",
        from: &["caseload.ap_pru"],
        break_at: Some(PERSON_LEVEL),
        first: 0,
    },
    Mapping {
        series: "caseload.post16_fe",
        from: &["caseload.fe"],
        break_at: Some(PERSON_LEVEL),
        first: 0,
    },
    Mapping {
        series: "caseload.early_years",
        from: &["caseload.early_years"],
        break_at: Some(PERSON_LEVEL),
        first: 0,
    },
];

/// One row of the history file.
struct Row {
    year: i32,
    value: f64,
    brk: bool,
    source: String,
}

/// The rows of one mapped series of an area (`rows`: the area's panel rows): missing values and
/// zeros left out (a level of 0 has no log growth), `break` on the first year written from the
/// break year on, when an earlier year is written.
fn series_rows(rows: &[&PanelRow], m: &Mapping) -> Vec<Row> {
    let mut by_year: std::collections::BTreeMap<i32, Vec<&PanelRow>> = Default::default();
    for r in rows.iter().filter(|r| m.from.contains(&r.series.as_str())) {
        by_year.entry(r.year).or_default().push(r);
    }
    let mut out: Vec<Row> = Vec::new();
    for (year, parts) in by_year.range(m.first..) {
        let year = *year;
        // Every part must be there and published.
        if parts.len() != m.from.len() {
            continue;
        }
        let mut total = 0.0;
        let mut published = true;
        for p in parts {
            match p.value {
                Value::Number(v) => total += v,
                Value::Missing(_) => published = false,
            }
        }
        if !published || total <= 0.0 {
            continue;
        }
        let mut source = format!(
            "DfE EHC plans {}: {}",
            parts[0].source_file, parts[0].source_table
        );
        if m.from.len() > 1 {
            let cols: Vec<&str> = m
                .from
                .iter()
                .map(|s| s.trim_start_matches("caseload."))
                .collect();
            source.push_str(&format!(" ({})", cols.join(" + ")));
        }
        let brk = m
            .break_at
            .is_some_and(|b| year >= b && out.last().is_some_and(|l| l.year < b));
        out.push(Row {
            year,
            value: total,
            brk,
            source,
        });
    }
    out
}

/// The history file's text for `areas` (with an `area` column when `with_area`).
pub fn history_text(
    panel: &Panel,
    areas: &[&Area],
    mappings: &[&Mapping],
    with_area: bool,
    from: &str,
) -> String {
    let mut by_area: HashMap<&str, Vec<&PanelRow>> = HashMap::new();
    for r in &panel.rows {
        by_area.entry(r.area.code.as_str()).or_default().push(r);
    }
    let mut text = format!(
        "# Written by `dsg data history` (dsg {}) from {from}: DfE \"Education, health and care plans\".\n\
         # caseload: plans at January; requests, new_plans: calendar years. Missing values (x, z, c, low)\n\
         # and zeros are left out. `break`: the person-level collection (calendar 2022 flows; January\n\
         # 2023 for placements); the total caseload is not marked (docs/history-format.md).\n",
        env!("CARGO_PKG_VERSION")
    );
    for a in areas {
        let dfe = if a.dfe_code.is_empty() {
            String::new()
        } else {
            format!(", DfE {}", a.dfe_code)
        };
        text.push_str(&format!(
            "# {}: {}{dfe}\n",
            a.code,
            dsg_data::escape::toml_comment(&a.name)
        ));
    }
    text.push_str(if with_area {
        "area,series,year,value,break,source\n"
    } else {
        "series,year,value,break,source\n"
    });
    let empty = Vec::new();
    for a in areas {
        let rows = by_area.get(a.code.as_str()).unwrap_or(&empty);
        for m in mappings {
            for r in series_rows(rows, m) {
                if with_area {
                    text.push_str(&a.code);
                    text.push(',');
                }
                text.push_str(&format!(
                    "{},{},{},{},{}\n",
                    m.series,
                    r.year,
                    r.value,
                    if r.brk { "break" } else { "" },
                    csv_field(&r.source)
                ));
            }
        }
    }
    text
}

/// A CSV field, quoted when it holds a comma or a quote.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Runs `dsg data history`.
pub fn history(args: &HistoryArgs) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    if args
        .panel
        .as_ref()
        .is_some_and(|p| super::same_file(p, &args.out))
    {
        return Err(bad_input(format!(
            "--out {}: that is the panel read (--panel); give another file",
            args.out.display()
        )));
    }
    let panel = load_panel(args.panel.as_deref())?;
    let areas: Vec<&Area> = if args.all {
        panel
            .areas()
            .into_iter()
            .filter(|a| a.level == Level::La)
            .collect()
    } else {
        let mut found: Vec<&Area> = Vec::new();
        for q in &args.la {
            let a = panel
                .find_area(q)
                .map_err(|e| bad_input(format!("--la: {e}")))?;
            if !found.iter().any(|f| f.code == a.code) {
                found.push(a);
            }
        }
        found
    };
    if areas.is_empty() {
        return Err(bad_input("the panel holds no local authority"));
    }
    let with_area = args.all || areas.len() > 1;
    let mut mappings: Vec<&Mapping> = SERIES.iter().collect();
    if args.placements {
        mappings.extend(PLACEMENTS);
    }
    let from = panel_name(args.panel.as_deref());
    let text = history_text(&panel, &areas, &mappings, with_area, &from);
    // What is written reads back as a history (the limits on levels and steps hold).
    let out = args.out.display().to_string();
    let read = dsg_data::history::History::from_csv_str(&text, &out)
        .map_err(|e| anyhow::anyhow!("the history written does not read back: {e}"))?;
    super::write_file(&args.out, text.as_bytes())?;
    if !args.quiet {
        let rows = read.series.iter().map(|s| s.points.len()).sum::<usize>();
        eprintln!(
            "Wrote {out}: {} series, {rows} values for {} area(s) in {:.2} s",
            read.series.len(),
            areas.len(),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}
