//! The Mitigations sheet.

use dsg_core::{Series, SeriesKey};
use dsg_montecarlo::Summary;

use super::{Formats, Res, Sheet, footer, num, text, text_f};

pub(super) fn mitigations_sheet(ws: &mut Sheet, f: &Formats, s: &Summary, source: &str) -> Res {
    const UNITS: &str = "Units: £m (cells hold pounds); a positive effect is a smaller deficit.";
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
        return footer(ws, f, 4, UNITS, source);
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
    ws.set_freeze_panes(4, 1)?;
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
    footer(ws, f, r + 1, UNITS, source)
}
