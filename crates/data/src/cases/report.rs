//! The data-quality report a finance officer can hand to auditors: a self-contained HTML page
//! (inline CSS, no scripts) and CSV tables.

use std::fmt::Write as _;

use super::baseline::{Baseline, Provenance};
use super::quality::Check;
use super::read::CaseList;

/// Examples shown per check.
const EXAMPLES: usize = 10;
/// Rows left out listed in the HTML page (the CSV lists them all).
const LEFT_OUT_SHOWN: usize = 200;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn pounds(x: f64) -> String {
    let whole = x.abs().round() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}£{out}", if x < 0.0 { "-" } else { "" })
}

/// One line per check: `check,title,count,children,pounds,treatment,example_rows`.
///
/// ```
/// # use dsg_data::cases::{Baseline, CaseList, Date, Mapping, report};
/// let list = CaseList::from_csv("plan_id,child_id,age,setting,primary_need,start_date,status\nP1,C1,5,S,ASD,2024-01-01,dormant\n".as_bytes(), "c.csv")?;
/// let b = Baseline::build(&list, &Mapping::identity(&list.settings), Date::parse("2026-03-31").ok_or("")?, 3);
/// assert!(report::quality_csv(&b, &list).contains("dormant,Dormant plans,1,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn quality_csv(b: &Baseline, list: &CaseList) -> String {
    let mut w = crate::escape::CsvWriter::new(Vec::new());
    let _ = w.write_record([
        "check",
        "title",
        "count",
        "children",
        "pounds",
        "treatment",
        "example_rows",
    ]);
    for c in Check::ALL {
        let found: Vec<_> = b.quality.of(c).collect();
        let children: u32 = found.iter().map(|f| f.children).sum();
        // From +0: an empty f64 sum is -0, which would show as "-0" pounds.
        let pounds: f64 = found.iter().map(|f| f.pounds).fold(0.0, |a, x| a + x);
        let rows: Vec<String> = found
            .iter()
            .take(EXAMPLES)
            .map(|f| list.records[f.record].row.to_string())
            .collect();
        let _ = w.write_record([
            c.key().to_string(),
            c.title().to_string(),
            found.len().to_string(),
            children.to_string(),
            format!("{pounds:.0}"),
            c.treatment().to_string(),
            rows.join(" "),
        ]);
    }
    let mut left: Vec<usize> = list.problems.iter().map(|p| p.row).collect();
    left.dedup();
    let _ = w.write_record([
        "rows_left_out".to_string(),
        "Rows that could not be read".to_string(),
        left.len().to_string(),
        String::new(),
        String::new(),
        "left out of everything".to_string(),
        left.iter()
            .take(EXAMPLES)
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
            .join(" "),
    ]);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Every row found: `check,row,plan_id,child_id,detail,children,pounds`, then every unreadable
/// value as `rows_left_out,row,,,column: message,,`.
///
/// ```
/// # use dsg_data::cases::{Baseline, CaseList, Date, Mapping, report};
/// let list = CaseList::from_csv("plan_id,child_id,age,setting,primary_need,start_date,status\nP1,C1,5,S,ASD,2024-13-01,active\n".as_bytes(), "c.csv")?;
/// let b = Baseline::build(&list, &Mapping::identity(&list.settings), Date::parse("2026-03-31").ok_or("")?, 3);
/// assert!(report::findings_csv(&b, &list).contains("rows_left_out,2,,,start_date: not a date"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn findings_csv(b: &Baseline, list: &CaseList) -> String {
    let mut w = crate::escape::CsvWriter::new(Vec::new());
    let _ = w.write_record([
        "check", "row", "plan_id", "child_id", "detail", "children", "pounds",
    ]);
    for f in &b.quality.findings {
        let r = &list.records[f.record];
        let _ = w.write_record([
            f.check.key().to_string(),
            r.row.to_string(),
            r.plan_id.clone(),
            r.child_id.clone(),
            f.detail.clone(),
            f.children.to_string(),
            format!("{:.0}", f.pounds),
        ]);
    }
    for p in &list.problems {
        let _ = w.write_record([
            "rows_left_out".to_string(),
            p.row.to_string(),
            String::new(),
            String::new(),
            format!("{}: {}", p.column, p.message),
            String::new(),
            String::new(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The report as one self-contained HTML page.
///
/// ```
/// # use dsg_data::cases::{Baseline, CaseList, Date, Mapping, report};
/// let list = CaseList::from_csv("plan_id,child_id,age,setting,primary_need,start_date,status\nP1,C1,5,S,ASD,2024-01-01,active\n".as_bytes(), "c.csv")?;
/// let b = Baseline::build(&list, &Mapping::identity(&list.settings), Date::parse("2026-03-31").ok_or("")?, 3);
/// let html = report::quality_html(&b, &list, &Default::default());
/// assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<caption>"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn quality_html(b: &Baseline, list: &CaseList, from: &Provenance) -> String {
    let mut h = String::new();
    let (read, bad, counted) = b.rows;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Case list data quality, as at {}</title>\n<style>\nbody {{ font-family: Arial, Helvetica, sans-serif; max-width: 60rem; margin: 2rem auto; color: #1b1b1b; }}\ntable {{ border-collapse: collapse; margin: 1rem 0; }}\ncaption {{ text-align: left; font-weight: bold; padding: 0.3rem 0; }}\nth, td {{ border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: left; }}\ntd.n {{ text-align: right; }}\nth {{ background: #e8e8e8; }}\n</style>\n</head>\n<body>\n<main>\n<h1>Case list data quality, as at {}</h1>\n",
        b.as_at, b.as_at
    );
    let _ = write!(
        h,
        "<p>Case list: {} (SHA-256 <code>{}</code>). {}</p>\n<p>{read} rows read; {bad} rows could not be read and were left out; {counted} plans counted open on {}.</p>\n",
        esc(&from.file),
        esc(&from.sha256),
        match &from.mapping {
            Some((f, s)) => format!("Setting map: {} (SHA-256 <code>{}</code>).", esc(f), esc(s)),
            None => "No setting map: each setting code was taken as its own provision, so unknown codes are not checked.".into(),
        },
        b.as_at
    );
    h.push_str("<h2>Summary of the checks</h2>\n<table>\n<caption>Each check: rows found, and the effect on the baseline in children and pounds a year</caption>\n<thead><tr><th scope=\"col\">Check</th><th scope=\"col\">Rows found</th><th scope=\"col\">Children</th><th scope=\"col\">Pounds a year</th><th scope=\"col\">Treatment in the baseline</th></tr></thead>\n<tbody>\n");
    for c in Check::ALL {
        let found: Vec<_> = b.quality.of(c).collect();
        let children: u32 = found.iter().map(|f| f.children).sum();
        // From +0: an empty f64 sum is -0, which would show as "-0" pounds.
        let p: f64 = found.iter().map(|f| f.pounds).fold(0.0, |a, x| a + x);
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{children}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            c.title(),
            found.len(),
            pounds(p),
            esc(c.treatment())
        );
    }
    let _ = writeln!(
        h,
        "<tr><th scope=\"row\">Rows that could not be read</th><td class=\"n\">{bad}</td><td class=\"n\"></td><td class=\"n\"></td><td>left out of everything</td></tr>\n</tbody>\n</table>"
    );
    h.push_str("<h2>Baseline</h2>\n<table>\n<caption>Plans open and annual cost by provision</caption>\n<thead><tr><th scope=\"col\">Provision</th><th scope=\"col\">Plans</th><th scope=\"col\">With a cost</th><th scope=\"col\">Mean</th><th scope=\"col\">Median</th><th scope=\"col\">10th percentile</th><th scope=\"col\">90th percentile</th></tr></thead>\n<tbody>\n");
    for p in &b.provisions {
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&p.name),
            p.caseload,
            p.costed,
            pounds(p.mean),
            pounds(p.median),
            pounds(p.p10),
            pounds(p.p90)
        );
    }
    h.push_str("</tbody>\n</table>\n<h2>What each check found</h2>\n");
    for c in Check::ALL {
        let found: Vec<_> = b.quality.of(c).collect();
        let _ = writeln!(h, "<h3>{}</h3>", c.title());
        if found.is_empty() {
            h.push_str("<p>None found.</p>\n");
            continue;
        }
        let _ = writeln!(
            h,
            "<table>\n<caption>{}: {} rows (first {} shown; quality-rows.csv lists them all)</caption>\n<thead><tr><th scope=\"col\">Row</th><th scope=\"col\">Plan</th><th scope=\"col\">Child</th><th scope=\"col\">What was found</th></tr></thead>\n<tbody>",
            c.title(),
            found.len(),
            found.len().min(EXAMPLES)
        );
        for f in found.iter().take(EXAMPLES) {
            let r = &list.records[f.record];
            let _ = writeln!(
                h,
                "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.row,
                esc(&r.plan_id),
                esc(&r.child_id),
                esc(&f.detail)
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("<h2>Rows left out</h2>\n");
    if !list.unknown_columns.is_empty() {
        let cols: Vec<String> = list
            .unknown_columns
            .iter()
            .map(|c| format!("<code>{}</code>", esc(c)))
            .collect();
        let _ = writeln!(
            h,
            "<p>Columns in the header (row 1) that are not case-list columns, ignored: {}.</p>",
            cols.join(", ")
        );
    }
    if list.problems.is_empty() {
        h.push_str("<p>Every row could be read.</p>\n");
    } else {
        let _ = writeln!(
            h,
            "<table>\n<caption>Values that could not be read: {} (first {} shown; quality-rows.csv lists them all)</caption>\n<thead><tr><th scope=\"col\">Row</th><th scope=\"col\">Column</th><th scope=\"col\">Problem</th></tr></thead>\n<tbody>",
            list.problems.len(),
            list.problems.len().min(LEFT_OUT_SHOWN)
        );
        for p in list.problems.iter().take(LEFT_OUT_SHOWN) {
            let _ = writeln!(
                h,
                "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                p.row,
                esc(&p.column),
                esc(&p.message)
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}
