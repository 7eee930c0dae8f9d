//! Decision sheets: the Sensitivity sheet of `results.xlsx` (`--analyse`), `goal.xlsx` and
//! `options.xlsx`.

use std::path::Path;

use dsg_analysis::Sensitivity;
use dsg_analysis::goal::GoalResult;
use dsg_analysis::options::OptionsResult;
use rust_xlsxwriter::{DocProperties, Workbook};

use super::{Formats, Res, Sheet, num, text, text_f};

/// What drives each analysed outcome: one block per outcome, one row per input.
pub(super) fn sensitivity_sheet(ws: &mut Sheet, f: &Formats, results: &[Sensitivity]) -> Res {
    ws.set_name("Sensitivity")?;
    ws.set_column_width(0, 46)?;
    for c in 1..=6 {
        ws.set_column_width(c, 20)?;
    }
    text_f(ws, 0, 0, "What drives the cumulative balance", &f.title)?;
    let mut r = 2;
    for s in results {
        text_f(
            ws,
            r,
            0,
            &format!(
                "At 31 March {} ({} simulated futures)",
                s.year.end_year(),
                s.paths
            ),
            &f.bold,
        )?;
        r += 1;
        text_f(ws, r, 0, &dsg_analysis::drivers_sentence(s), &f.wrap)?;
        r += 1;
        for (c, h) in [
            "Input",
            "Rank correlation",
            "Share of variance",
            "Median if input in lowest tenth",
            "Median if input in highest tenth",
            "Median in the worst tenth",
            "Usual value",
        ]
        .iter()
        .enumerate()
        {
            text_f(
                ws,
                r,
                c,
                h,
                if c == 0 { &f.header } else { &f.header_right },
            )?;
        }
        r += 1;
        for i in &s.inputs {
            text(ws, r, 0, &i.label)?;
            num(ws, r, 1, i.rank_correlation, &f.bold)?;
            num(ws, r, 2, i.contribution, &f.percent)?;
            num(ws, r, 3, i.swing_low, &f.money)?;
            num(ws, r, 4, i.swing_high, &f.money)?;
            text(ws, r, 5, &i.unit.format(i.in_worst))?;
            text(ws, r, 6, &i.unit.format(i.typical))?;
            r += 1;
        }
        r += 1;
    }
    Ok(())
}

/// `goal.xlsx`: the answer of a goal seek.
pub fn goal(result: &GoalResult, sentence: &str, path: &Path) -> anyhow::Result<()> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_title("DSG goal seek"));
    let ws = wb.add_worksheet();
    ws.set_name("Goal")?;
    ws.set_column_width(0, 48)?;
    ws.set_column_width(1, 24)?;
    text_f(ws, 0, 0, "What it takes to meet the target", &f.title)?;
    text_f(ws, 1, 0, sentence, &f.wrap)?;
    let money = !matches!(
        result.lever,
        dsg_analysis::Lever::GrowthReduction { .. } | dsg_analysis::Lever::Delivery { .. }
    );
    let fmt = if money { &f.money } else { &f.percent };
    let rows: [(&str, f64, &rust_xlsxwriter::Format); 7] = [
        ("Lever value", result.value, fmt),
        ("Monte Carlo range: low", result.range.0, fmt),
        ("Monte Carlo range: high", result.range.1, fmt),
        ("Confidence asked for", result.confidence, &f.percent),
        ("Chance without the lever", result.without, &f.percent),
        ("Chance at the lever's maximum", result.at_most, &f.percent),
        ("Simulated futures", result.paths as f64, &f.plans),
    ];
    for (i, (label, value, format)) in rows.iter().enumerate() {
        text(ws, 3 + i, 0, label)?;
        num(ws, 3 + i, 1, *value, format)?;
    }
    text(ws, 11, 0, "Target")?;
    text(
        ws,
        11,
        1,
        &format!(
            "{} {} {} in {}",
            result.target.series_name(),
            if result.target.at_least { ">=" } else { "<=" },
            result.target.value,
            result.target.year
        ),
    )?;
    text(ws, 12, 0, "Seed")?;
    text(ws, 12, 1, &result.seed.to_string())?;
    wb.save(path)?;
    Ok(())
}

/// `options.xlsx`: the options side by side.
pub fn options(result: &OptionsResult, path: &Path) -> anyhow::Result<()> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_title("DSG options"));
    let ws = wb.add_worksheet();
    ws.set_name("Options")?;
    ws.set_column_width(0, 48)?;
    for c in 1..=8 {
        ws.set_column_width(c, 18)?;
    }
    text_f(
        ws,
        0,
        0,
        "The options compared on the same futures",
        &f.title,
    )?;
    text(
        ws,
        1,
        0,
        &format!(
            "No action and each option on the same {} simulated futures (seed {}); deficits positive.",
            result.paths, result.seed
        ),
    )?;
    let at_override = result
        .override_ends
        .map(|y| format!("31 March {}", y.end_year()))
        .unwrap_or_default();
    let at_horizon = format!("31 March {}", result.horizon.end_year());
    let headers = [
        "Option".to_string(),
        "Cost".to_string(),
        format!("Median deficit {at_override}"),
        format!("P80 deficit {at_override}"),
        format!("Median deficit {at_horizon}"),
        format!("P80 deficit {at_horizon}"),
        format!("Chance deficit exceeds reserves {at_override}"),
        "Deficit avoided per £1 spent".to_string(),
        "Description".to_string(),
    ];
    for (c, h) in headers.iter().enumerate() {
        text_f(
            ws,
            3,
            c,
            h,
            if c == 0 { &f.header } else { &f.header_right },
        )?;
    }
    for (i, o) in result.options.iter().enumerate() {
        let r = 4 + i;
        text(ws, r, 0, &o.name)?;
        num(ws, r, 1, o.cost, &f.money)?;
        if let Some((m, p80)) = o.deficit_at_override {
            num(ws, r, 2, m, &f.money)?;
            num(ws, r, 3, p80, &f.money)?;
        }
        num(ws, r, 4, o.deficit_at_horizon.0, &f.money)?;
        num(ws, r, 5, o.deficit_at_horizon.1, &f.money)?;
        if let Some(p) = o.exceeds_reserves {
            num(ws, r, 6, p, &f.percent)?;
        }
        if let Some(x) = o.avoided_per_pound {
            num(ws, r, 7, x, &f.bold)?;
        }
        text(ws, r, 8, &o.description)?;
    }
    wb.save(path)?;
    Ok(())
}
