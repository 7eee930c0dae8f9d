//! The pooled growth model's track record on the shipped panel: the charts' data for `dsg
//! backtest --panel`, and "How far to trust these ranges" for the committee report (a scenario
//! built on a council's published data names it in `[scenario] area_code`).

use std::path::Path;

use dsg_data::growth::{Evaluation, PooledSettings, Scores, evaluate, reliability, score};
use dsg_data::public::Panel;
use dsg_report::{RecordLine, TrackRecord};

/// The origins and horizons the report's record scores: the evaluation's window
/// (docs/forecast-evaluation.md).
pub const ORIGINS: (i32, i32) = (2014, 2022);
/// Horizons 1 to this many years.
pub const HORIZONS: u32 = 3;

/// The reliability diagram's and PIT histogram's data for `e`.
pub fn chart_data(e: &Evaluation, subject: &str) -> dsg_plot::TrackRecord {
    let pits = |h: Option<u32>| -> Vec<f64> {
        e.forecasts
            .iter()
            .filter(|(_, s)| h.is_none_or(|h| s.horizon == h))
            .map(|(_, s)| s.pit)
            .collect()
    };
    dsg_plot::TrackRecord {
        subject: subject.to_string(),
        forecasts: e.pooled.forecasts,
        ranges: reliability(&pits(None)),
        by_line: e
            .by_horizon
            .keys()
            .map(|h| {
                let label = if *h == 1 {
                    "1 year ahead".to_string()
                } else {
                    format!("{h} years ahead")
                };
                (label, reliability(&pits(Some(*h))))
            })
            .collect(),
        pit_shares: e.pooled.pit_histogram.to_vec(),
        source: format!(
            "Source: DfE, Education, health and care plans (January counts); dsg-forecast {}, dsg backtest --panel",
            env!("CARGO_PKG_VERSION")
        ),
    }
}

fn line(who: String, s: &Scores) -> RecordLine {
    RecordLine {
        who,
        forecasts: s.forecasts,
        coverage_80: s.coverage_80,
        below_p10: s.below_p10,
        above_p90: s.above_p90,
    }
}

/// The record for a scenario built on the council `area_code`'s published data: over every
/// council in the shipped panel and on that council.
pub fn for_council(area_code: &str) -> anyhow::Result<TrackRecord> {
    let panel = Panel::shipped()?;
    let origins: Vec<i32> = (ORIGINS.0..=ORIGINS.1).collect();
    let e = evaluate(
        &panel.levels("caseload"),
        &origins,
        HORIZONS,
        PooledSettings::default(),
    )?;
    let own: Vec<_> = e
        .forecasts
        .iter()
        .filter(|(a, _)| a == area_code)
        .map(|(_, s)| *s)
        .collect();
    let name = panel
        .areas()
        .into_iter()
        .find(|a| a.code == area_code)
        .map_or_else(|| area_code.to_string(), |a| a.name.clone());
    let councils = e
        .forecasts
        .iter()
        .map(|(a, _)| a.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let worst_origin = e
        .by_origin
        .iter()
        .map(|(o, s)| (*o, s.coverage_80))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    Ok(TrackRecord {
        origins: ORIGINS,
        horizons: HORIZONS,
        pooled: line(format!("Over {councils} councils"), &e.pooled),
        council: (!own.is_empty()).then(|| line(format!("In {name}"), &score(&own))),
        worst_origin,
        chart: chart_data(
            &e,
            &format!("{councils} councils' EHC plans, 1-{HORIZONS} years ahead"),
        ),
    })
}

/// Writes `track-record.json`: the figures the report's subsection points into.
pub fn write_json(dir: &Path, t: &TrackRecord) -> anyhow::Result<std::path::PathBuf> {
    let line = |l: &RecordLine| {
        serde_json::json!({
            "who": l.who,
            "forecasts": l.forecasts,
            "coverage_80": l.coverage_80,
            "below_p10": l.below_p10,
            "above_p90": l.above_p90,
        })
    };
    let path = dir.join(dsg_report::TRACK_RECORD_FILE);
    crate::output::write_json(
        &path,
        &serde_json::json!({
            "format": "dsg-track-record/1",
            "model": "pooled growth of EHC plans (docs/forecast-evaluation.md)",
            "origins": [t.origins.0, t.origins.1],
            "horizons": t.horizons,
            "pooled": line(&t.pooled),
            "council": t.council.as_ref().map(line),
            "worst_origin": t.worst_origin.map(|(o, c)| serde_json::json!({"origin": o, "coverage_80": c})),
            "reliability": t.chart.ranges,
        }),
    )?;
    Ok(path)
}
