//! `management-plan.xlsx`: the DSG management plan's tables (see [`crate::output::plan`]), one
//! sheet each, laid out as the DfE template's: a key column for look-ups, the labels, the
//! statistic, then the forecast years across.

use std::path::Path;

use dsg_montecarlo::Summary;
use rust_xlsxwriter::Workbook;

use super::{
    Formats, Res, Sheet, col, describe, num, row, text, text_f, year_columns, year_headers,
};
use crate::load::Loaded;
use crate::output::plan::{self, Table};

/// Writes the management plan's tables (`plan::children`, `plan::finance`) into a workbook at
/// `path`.
pub fn management_plan(
    summary: &Summary,
    loaded: &Loaded,
    (children, finance): (&Table, &Table),
    path: &Path,
) -> anyhow::Result<()> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let source = describe(&mut wb, "DSG management plan tables", summary, loaded);
    for (name, table) in [
        ("Children by age", children),
        ("Financial summary", finance),
    ] {
        table_sheet(wb.add_worksheet(), &f, summary, name, table, &source)?;
    }
    wb.save(path)?;
    Ok(())
}

/// One table on its own sheet, filterable by its header row.
fn table_sheet(
    ws: &mut Sheet,
    f: &Formats,
    s: &Summary,
    name: &str,
    table: &Table,
    source: &str,
) -> Res {
    ws.set_name(name)?;
    for (c, width) in [(0, 40), (1, 34), (2, 52), (3, 10)] {
        ws.set_column_width(col(c), width)?;
    }
    year_columns(ws, 4, s)?;
    text_f(ws, 0, 0, table.title, &f.title)?;
    text(ws, 1, 0, &table.note)?;
    text_f(ws, 2, 0, source, &f.note)?;
    let header = 4;
    for (c, h) in ["Key", table.headings[0], table.headings[1], "Statistic"]
        .iter()
        .enumerate()
    {
        text_f(ws, header, c, h, &f.header)?;
    }
    year_headers(ws, f, header, 4, s)?;
    ws.set_freeze_panes(row(header + 1), 4)?;
    let mut r = header + 1;
    for (key, line, stat, values) in plan::rows(s, table) {
        text(ws, r, 0, &key)?;
        text(ws, r, 1, &line.group)?;
        text(ws, r, 2, &line.item)?;
        text(ws, r, 3, stat)?;
        let fmt = f.unit(line.series.unit());
        for (i, v) in values.iter().enumerate() {
            num(ws, r, 4 + i, *v, fmt)?;
        }
        r += 1;
    }
    let last = 3 + s.scenario.years.len();
    ws.autofilter(
        row(header),
        0,
        row(r.saturating_sub(1).max(header)),
        col(last),
    )?;
    Ok(())
}
