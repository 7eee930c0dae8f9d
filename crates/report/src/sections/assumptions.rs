//! Section 5, assumptions and reproducibility: every input and its distribution, the national
//! policy set and its sources, the scenario's own sources, and what it takes to make the same
//! figures again (seed, paths, version, the scenario's hash).

use std::collections::BTreeSet;

use crate::Report;
use crate::headline::LIKELIHOOD_BANDS;
use crate::html::{Table, escape, para};

pub(crate) fn html(r: &Report<'_>) -> Result<String, crate::ReportError> {
    let mut out = super::trust::html(r)?;
    out.push_str(&inputs(r.scenario));
    out.push_str(&policy(r.scenario));
    out.push_str(&sources(r.scenario));
    out.push_str(&reproducing(r));
    out.push_str(&glossary());
    Ok(out)
}

/// Every input with its name, key and distribution: the uncertain ones, then the fixed.
fn inputs(s: &dsg_core::Scenario) -> String {
    let mut out = para(
        "Every input of the forecast is listed below with the range it was given. An input with a single value is fixed; the others were drawn afresh in each simulated future, within the ranges shown.",
    );
    let specs = s.params().specs();
    let (uncertain, fixed): (Vec<usize>, Vec<usize>) =
        (0..specs.len()).partition(|&k| !specs[k].is_fixed());
    for (title, which, caption) in [
        (
            "Uncertain inputs",
            &uncertain,
            "Uncertain inputs and their distributions",
        ),
        (
            "Fixed inputs",
            &fixed,
            "Inputs fixed at one value (or one a year)",
        ),
    ] {
        if which.is_empty() {
            continue;
        }
        out.push_str(&format!("<h3>{title}</h3>\n"));
        let rows: Vec<Vec<String>> = which
            .iter()
            .map(|&k| {
                let spec = &specs[k];
                vec![
                    escape(&spec.meta.label),
                    format!("<code>{}</code>", escape(&spec.key)),
                    escape(&crate::labels::input(s, k)),
                ]
            })
            .collect();
        out.push_str(
            &Table {
                caption: format!("{caption} ({} inputs)", which.len()),
                headers: vec![
                    "Input".into(),
                    "Key in the scenario file".into(),
                    "Value or distribution".into(),
                ],
                rows,
                note: Some(
                    "Rates are fractions (0.12 = 12% a year); money is in pounds a year; a yearly input lists its years where they differ."
                        .to_string(),
                ),
                text_columns: vec![1, 2],
                ..Table::default()
            }
            .html(),
        );
    }
    out
}

/// The national policy set the forecast applies, rule by rule with its source.
fn policy(s: &dsg_core::Scenario) -> String {
    let mut out = String::new();
    out.push_str("<h3>National policy</h3>\n");
    match s.policy_set() {
        Some(p) => {
            out.push_str(&para(&format!(
                "Policy set <code>{}</code>: {} (as at {}).",
                escape(p.name()),
                escape(p.description()),
                p.as_at()
            )));
            let rows = p
                .entries()
                .into_iter()
                .map(|e| {
                    vec![
                        format!("<code>{}</code>", escape(e.key)),
                        escape(&format!("{} ({})", e.value, e.unit)),
                        format!(
                            "{}: {}",
                            escape(&e.reference.publisher),
                            escape(&e.reference.title)
                        ),
                    ]
                })
                .collect();
            out.push_str(
                &Table {
                    caption: "National policy as the forecast applies it".to_string(),
                    headers: vec!["Rule".into(), "Value".into(), "Source".into()],
                    rows,
                    text_columns: vec![1, 2],
                    ..Table::default()
                }
                .html(),
            );
        }
        None => out.push_str(&para(&format!(
            "Policy set <code>{}</code>: the standing rules alone.",
            escape(s.policy())
        ))),
    }
    out
}

/// The sources the scenario names for its budgets and calibration figures.
fn sources(s: &dsg_core::Scenario) -> String {
    let mut out = String::new();
    let mut sources: BTreeSet<String> = BTreeSet::new();
    for b in s.budgets() {
        if !b.source.is_empty() {
            sources.insert(format!("Budget {}: {}", b.year, b.source));
        }
    }
    for c in s.calibration() {
        sources.insert(format!("{} ({}): {}", c.figure, c.year, c.source));
    }
    out.push_str("<h3>Sources of the scenario's figures</h3>\n");
    if sources.is_empty() {
        out.push_str(&para("The scenario names no sources for its figures."));
    } else {
        out.push_str("<ul>\n");
        for src in &sources {
            out.push_str(&format!("<li>{}</li>\n", escape(src)));
        }
        out.push_str("</ul>\n");
    }
    out
}

/// What it takes to make the same figures again.
fn reproducing(r: &Report<'_>) -> String {
    let s = r.scenario;
    let mut out = String::new();
    let run = &r.summary.run;
    let p = &r.provenance;
    out.push_str("<h3>Reproducing these figures</h3>\n");
    out.push_str(&para(
        "The same scenario file, seed, number of simulated futures and dsg version give the same figures to the last digit, on any computer and with any number of processor cores.",
    ));
    let mut rows = vec![
        vec!["Scenario".to_string(), escape(s.name())],
        vec![
            "Scenario file".to_string(),
            if p.file.is_empty() {
                "–".to_string()
            } else {
                format!("<code>{}</code>", escape(&p.file))
            },
        ],
        vec![
            "Its SHA-256".to_string(),
            if p.sha256.is_empty() {
                "–".to_string()
            } else {
                format!("<code>{}</code>", escape(&p.sha256))
            },
        ],
        vec!["Seed".to_string(), run.seed.to_string()],
        vec![
            "Simulated futures".to_string(),
            dsg_core::money::group_thousands(&run.paths.to_string()),
        ],
        vec!["dsg version".to_string(), escape(&r.summary.version)],
        vec!["Random numbers".to_string(), escape(&run.rng)],
        vec!["Percentiles".to_string(), escape(&run.quantile_method)],
    ];
    if !p.command.is_empty() {
        rows.push(vec![
            "Command".to_string(),
            format!("<code>{}</code>", escape(&p.command)),
        ]);
    }
    out.push_str(
        &Table {
            caption: "How this report was made".to_string(),
            headers: vec!["Item".into(), "Value".into()],
            rows,
            text_columns: vec![1],
            ..Table::default()
        }
        .html(),
    );
    out
}

/// The words used for chances and statistics.
fn glossary() -> String {
    let mut out = String::new();
    out.push_str("<h3>Words used for chances</h3>\n<dl class=\"glossary\">\n");
    for (words, range) in LIKELIHOOD_BANDS {
        out.push_str(&format!("<dt>{}</dt><dd>{range}</dd>\n", escape(words)));
    }
    out.push_str("</dl>\n");
    out.push_str(&para(
        "<strong>Median</strong>: the middle outcome. <strong>8 in 10 futures</strong>: between the 10th and 90th percentiles. <strong>1 in 5 chance of worse</strong> (P80): the 80th percentile of the deficit. <strong>Variance</strong>: forecast less budget, positive for an overspend. <strong>Central plan</strong>: the forecast with every input at its central value, as a spreadsheet would make it.",
    ));
    out
}
