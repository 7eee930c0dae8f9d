//! Calibrating a council's pipeline to its published base year (docs/model.md section 9):
//! `dsg_core::projection::calibrate_pipeline`'s steady state, projected, gives back the published
//! requests, new plans and share within 20 weeks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{central, header};
use dsg_core::Series;
use dsg_core::projection::{
    PipelineCalibration, PipelineCalibrationError, PublishedPipeline, WaitLimit, calibrate_pipeline,
};
use proptest::prelude::*;

/// A scenario of `years` whose pipeline is the calibration, requests not growing, the team one
/// officer completing K a year.
fn calibrated(years: usize, c: &PipelineCalibration) -> String {
    format!(
        r#"{}
[demand]
growth = 0.0

[[provisions]]
name = "mainstream"
caseload = 1000
unit_cost = 0

[funding]
allocation = 0

[dsg]
opening_balance = 0

[general_fund]
usable_reserves = 0

[assessments]
requests = {:?}
requests_growth = 0.0
agreed_share = {:?}
opening_backlog = {:?}
case_officers = 1
assessments_per_officer = {:?}
plan_share = {:?}
minimum_weeks = {:?}
max_within_20_weeks = {:?}
"#,
        header(years),
        c.requests,
        c.agreed_share,
        c.opening_backlog,
        c.capacity,
        c.plan_share,
        c.minimum_weeks,
        c.max_within_20_weeks,
    )
}

/// The published figures back from `years` projected years of the calibrated pipeline: requests,
/// plans issued and the share within 20 weeks in each year, and the children waiting.
fn project(years: usize, c: &PipelineCalibration) -> Vec<[f64; 4]> {
    let (_, f) = central(&calibrated(years, c));
    let m = &f.mitigated;
    (1..=years)
        .map(|t| {
            [
                m.get(Series::AssessmentRequests, t),
                m.get(Series::PlansIssued, t),
                m.get(Series::WithinTwentyWeeks, t),
                m.get(Series::ChildrenWaiting, t),
            ]
        })
        .collect()
}

#[test]
fn a_county_s_figures_come_back_from_one_projected_year() {
    // 2,200 requests, 75% agreed: C = K = 1,650. 1,050 new plans: c = 1,050 / 1,650 = 0.6363...
    // 40% within 20 weeks against a best of 87.5%, w0 = 12: 1 - exp(-8 / W) = 0.4 / 0.875,
    // W = -8 / ln(0.542857...) = 8 / 0.610909... = 13.0952... weeks; Q = W x 1,650 / 52 = 415.52...
    let p = PublishedPipeline::new(2200.0, 1050.0, 0.4, 12.0)
        .with_max_within_20_weeks(0.875)
        .with_agreed_share(0.75);
    let c = calibrate_pipeline(&p).unwrap();
    let w = -8.0 / (1.0f64 - 0.4 / 0.875).ln();
    assert!((c.backlog_weeks - w).abs() < 1e-12);
    assert!((w - 13.0952).abs() < 1e-4, "{w}");
    assert!(
        (c.opening_backlog - 415.52).abs() < 1e-2,
        "{}",
        c.opening_backlog
    );
    assert!((c.opening_backlog - w * 1650.0 / 52.0).abs() < 1e-9);
    assert!((c.plan_share - 1050.0 / 1650.0).abs() < 1e-15);
    let [r, plans, share, waiting] = project(1, &c)[0];
    assert!((r - 2200.0).abs() <= 1e-9 * 2200.0, "R {r}");
    assert!((plans - 1050.0).abs() <= 1e-9 * 1050.0, "P {plans}");
    assert!((share - 0.4).abs() <= 1e-9, "s {share}");
    // The steady state: the backlog stays where it started.
    assert!((waiting - c.opening_backlog).abs() <= 1e-9 * c.opening_backlog);
}

#[test]
fn above_s_max_the_share_comes_back_as_s_max() {
    // 70% against the national best of 65%: no backlog, and 65% is what the pipeline gives.
    let c = calibrate_pipeline(&PublishedPipeline::new(1000.0, 800.0, 0.7, 12.0)).unwrap();
    assert_eq!(c.wait_limit, Some(WaitLimit::AboveMax));
    let [_, plans, share, waiting] = project(1, &c)[0];
    assert_eq!((share, waiting), (0.65, 0.0));
    assert!((plans - 800.0).abs() <= 1e-9 * 800.0);
}

#[test]
fn more_plans_than_requests_is_refused() {
    let e = calibrate_pipeline(&PublishedPipeline::new(100.0, 120.0, 0.5, 12.0)).unwrap_err();
    assert!(matches!(
        e,
        PipelineCalibrationError::MorePlansThanRequests { .. }
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any published year the calibration meets exactly (no clamp, no limit) comes back from a
    /// projected year, and stays: requests, plans issued and the share within 1e-9 (counts
    /// relative) in each of three years with zero growth.
    #[test]
    fn a_projected_year_reproduces_the_published_figures(
        requests in 1.0..20_000.0f64,
        agreed in 0.3..=1.0f64,
        plans_of_completed in 0.0..=1.0f64,
        s_max in 0.05..=1.0f64,
        share_of_max in 0.02..0.99f64,
        w0 in 0.0..19.5f64,
    ) {
        let plans = plans_of_completed * agreed * requests;
        let share = share_of_max * s_max;
        let p = PublishedPipeline::new(requests, plans, share, w0)
            .with_max_within_20_weeks(s_max)
            .with_agreed_share(agreed);
        let c = calibrate_pipeline(&p).unwrap();
        prop_assume!(c.wait_limit.is_none());
        prop_assert!(!c.plan_share_clamped);
        for (t, [r, issued, on_time, _]) in project(3, &c).into_iter().enumerate() {
            prop_assert!((r - requests).abs() <= 1e-9 * requests, "year {}: R {r} vs {requests}", t + 1);
            prop_assert!((issued - plans).abs() <= 1e-9 * plans.max(1.0), "year {}: P {issued} vs {plans}", t + 1);
            prop_assert!((on_time - share).abs() <= 1e-9, "year {}: s {on_time} vs {share}", t + 1);
        }
    }
}
