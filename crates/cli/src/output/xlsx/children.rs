//! The Children sheet (docs/model.md section 9): the assessment pipeline, timeliness and placements
//! year by year, with and without the mitigations, and what each mitigation changes for
//! children. Written only when the scenario has an `[assessments]` section.

use dsg_core::series::{CHILDREN, CHILDREN_IMPACTS};
use dsg_core::{Series, SeriesKey, Variant};
use dsg_montecarlo::Summary;

use super::{Formats, Res, Sheet, num, row, text, text_f, year_columns, year_headers};

/// Whether the run has the children's series (an assessment pipeline).
pub(super) fn applies(s: &Summary) -> bool {
    s.stats(SeriesKey::mitigated(Series::ChildrenWaiting))
        .is_some()
}

pub(super) fn children_sheet(ws: &mut Sheet, f: &Formats, s: &Summary, source: &str) -> Res {
    ws.set_name("Children")?;
    // Units are in each series' name (children, weeks, FTE, shares as percentages).
    ws.insert_note(
        0,
        0,
        &rust_xlsxwriter::Note::new(source).add_author_prefix(false),
    )?;
    ws.set_column_width(0, 62)?;
    ws.set_column_width(1, 22)?;
    year_columns(ws, 2, s)?;
    text_f(
        ws,
        0,
        0,
        "Children and families: assessments, timeliness and placements",
        &f.title,
    )?;
    text(
        ws,
        1,
        0,
        "The statutory assessment pipeline (requests, children waiting, plans issued and how many \
         within 20 weeks) and where children are placed, from the same simulated futures as the money.",
    )?;
    let mut r = 3;
    text_f(ws, r, 0, "Series", &f.header)?;
    text_f(ws, r, 1, "Statistic", &f.header)?;
    year_headers(ws, f, r, 2, s)?;
    ws.set_freeze_panes(row(r + 1), 2)?;
    r += 1;
    for series in CHILDREN {
        let key = SeriesKey::mitigated(series);
        let Some(stats) = s.stats(key) else {
            continue;
        };
        let fmt = f.unit(series.unit());
        let label = key.label(s);
        let central = s.central_of(key);
        for statistic in ["Median", "P5", "P95", "Central projection"] {
            text(ws, r, 0, &label)?;
            text(ws, r, 1, statistic)?;
            for i in 0..s.scenario.years.len() {
                let value = match statistic {
                    "Median" => stats.get(i).map(|y| y.p50),
                    "P5" => stats.get(i).map(|y| y.p5),
                    "P95" => stats.get(i).map(|y| y.p95),
                    _ => central.and_then(|c| c.get(i)).copied(),
                };
                if let Some(x) = value {
                    num(ws, r, 2 + i, x, fmt)?;
                }
            }
            r += 1;
        }
    }
    if s.scenario.mitigations.is_empty() {
        return Ok(());
    }
    r += 1;
    text_f(ws, r, 0, "Without the mitigations (median)", &f.bold)?;
    r += 1;
    for series in CHILDREN {
        let key = SeriesKey::unmitigated(series);
        let Some(stats) = s.stats(key) else {
            continue;
        };
        text(ws, r, 0, &key.label(s))?;
        text(ws, r, 1, "Median")?;
        for (i, y) in stats.iter().enumerate() {
            num(ws, r, 2 + i, y.p50, f.unit(series.unit()))?;
        }
        r += 1;
    }
    r += 1;
    text_f(
        ws,
        r,
        0,
        "What each mitigation changes for children: its effect with the other mitigations in \
         place, on the same futures (median; negative = fewer children waiting, fewer weeks, a \
         lower share)",
        &f.bold,
    )?;
    r += 1;
    text_f(ws, r, 0, "Mitigation: effect on", &f.header)?;
    text_f(ws, r, 1, "Statistic", &f.header)?;
    year_headers(ws, f, r, 2, s)?;
    r += 1;
    for (i, m) in s.scenario.mitigations.iter().enumerate() {
        for series in CHILDREN_IMPACTS {
            let key = SeriesKey {
                series,
                variant: Variant::Impact(i),
            };
            let Some(stats) = s.stats(key) else {
                continue;
            };
            text(ws, r, 0, &format!("{}: {}", m.name, series.row().short))?;
            text(ws, r, 1, "Median")?;
            for (k, y) in stats.iter().enumerate() {
                num(ws, r, 2 + k, y.p50, f.unit(series.unit()))?;
            }
            r += 1;
        }
    }
    Ok(())
}
