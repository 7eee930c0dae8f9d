//! A council's assessment pipeline from its published year: calibrated so that the base year
//! reproduces its requests, new plans and share within 20 weeks (docs/model.md section 9).

use super::areas::Area;
use super::figures::Sourced;
use super::panel::Panel;
use dsg_core::projection::{PipelineCalibration, PublishedPipeline, calibrate_pipeline};

/// The minimum time from request to plan a calibrated pipeline assumes, in weeks (ILLUSTRATIVE:
/// the statutory steps cannot be done much faster; docs/council-scenario.md).
pub const MINIMUM_WEEKS: f64 = 12.0;

/// The council's pipeline calibrated on its published base year (docs/model.md section 9), with
/// s_max its best published share since 2014 (at least the base year's), every request taken as
/// agreed for assessment (the agreed share is not in the panel).
pub(super) fn calibrated(
    requests: Option<&Sourced>,
    new_plans: Option<&Sourced>,
    share: Option<&Sourced>,
    best: Option<&Sourced>,
    notes: &mut Vec<String>,
) -> Option<PipelineCalibration> {
    let (r, p, s) = (requests?.value, new_plans?.value, share?.value);
    let s_max = best.map_or(s, |b| b.value).max(s);
    let published = PublishedPipeline::new(r, p, s, MINIMUM_WEEKS).with_max_within_20_weeks(s_max);
    match calibrate_pipeline(&published) {
        Ok(c) => {
            notes.extend(
                c.notes()
                    .into_iter()
                    .map(|n| format!("assessment pipeline: {n}")),
            );
            Some(c)
        }
        Err(e) => {
            notes.push(format!(
                "the assessment pipeline is left out: its published figures cannot be reproduced ({e})"
            ));
            None
        }
    }
}

/// The best share within 20 weeks the council published from 2014 to the year before `as_at`.
pub(super) fn best_share(panel: &Panel, area: &Area, as_at: i32) -> Option<Sourced> {
    panel
        .series(&area.code, "within_20_weeks_pct")
        .into_iter()
        .filter(|(y, _)| *y >= 2014 && *y < as_at)
        .filter_map(|(y, v)| v.number().map(|v| (y, v)))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(year, v)| Sourced {
            value: v / 100.0,
            source: format!("DfE, Education, health and care plans: the council's best year since 2014 ({year}, {v}%)"),
        })
}
