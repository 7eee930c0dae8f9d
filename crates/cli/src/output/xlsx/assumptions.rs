//! The Assumptions sheet: every input of the scenario.

use dsg_core::{Per, Scenario, Shape};

use crate::labels;
use crate::load::Loaded;

use super::{Formats, Res, Sheet, row, text, text_f};

pub(super) fn assumptions_sheet(
    ws: &mut Sheet,
    f: &Formats,
    scenario: &Scenario,
    loaded: &Loaded,
) -> Res {
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
        "Which",
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
        if let Some(which) = &spec.meta.owner_name {
            text(ws, r, 5, which)?;
        }
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
