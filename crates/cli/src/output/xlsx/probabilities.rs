//! The Probabilities sheet.

use dsg_montecarlo::Summary;

use super::{Formats, Res, Sheet, footer, num, text, text_f};

pub(super) fn probabilities_sheet(ws: &mut Sheet, f: &Formats, s: &Summary, source: &str) -> Res {
    ws.set_name("Probabilities")?;
    ws.set_column_width(0, 44)?;
    for c in 1..=5 {
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
    ws.set_freeze_panes(3, 1)?;
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
    text_f(
        ws,
        r,
        5,
        "Chance the deficit first exceeds reserves in this year",
        &f.header_right,
    )?;
    r += 1;
    // Every year has an in-year chance; the reserves columns only when the scenario gives
    // reserves to compare with.
    for (i, b) in p.in_year_balance_reached_by.iter().enumerate() {
        text(ws, r, 0, &b.year.to_string())?;
        if let Some(y) = p.deficit_exceeds_reserves.get(i) {
            num(ws, r, 1, y.probability, &f.percent)?;
            num(ws, r, 2, y.se, &f.percent_se)?;
        }
        num(ws, r, 3, b.probability, &f.percent)?;
        num(ws, r, 4, b.se, &f.percent_se)?;
        if let Some(y) = p.reserves_first_exceeded.get(i) {
            num(ws, r, 5, y.probability, &f.percent)?;
        }
        r += 1;
    }
    if p.deficit_exceeds_reserves.is_empty() {
        text_f(
            ws,
            r,
            0,
            "No usable reserves are given, so the deficit is not compared with reserves.",
            &f.note,
        )?;
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
    footer(
        ws,
        f,
        r + 1,
        "Units: chances as percentages of the simulated futures; deficits in £m (cells hold pounds).",
        source,
    )
}
