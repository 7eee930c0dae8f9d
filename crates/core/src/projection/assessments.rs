//! Assessments, timeliness and children (docs/model.md section 9): requests, the backlog, case
//! officers, completions, plans issued, weeks to a plan and the share within 20 weeks (capped by
//! the share with no backlog, which a process mitigation may raise); then, once
//! caseloads are known, plans per case officer and the share in mainstream settings.
//!
//! Runs only for a scenario with an `[assessments]` section: for any other, nothing here is
//! touched and the children-and-families rows stay at zero (they are not reported).

use crate::params::Inputs;
pub use crate::scenario::NATIONAL_BEST_WITHIN_20_WEEKS;
use crate::scenario::Scenario;
use crate::series::Series;

use super::Projection;
use super::mitigations::Active;
use super::workspace::Workspace;

/// The statutory limit: a plan within 20 weeks of the request.
pub const STATUTORY_WEEKS: f64 = 20.0;

/// Weeks a year, to turn a backlog over a year's completions into weeks.
const WEEKS_A_YEAR: f64 = 52.0;

/// Weeks of waiting for an assessment (Little's law): the average backlog over the year,
/// `(Q[t-1] + Q[t]) / 2`, over the year's completions, in weeks; 0 when nothing is completed
/// (there is nothing to assess: officers are positive).
///
/// ```
/// use dsg_core::projection::backlog_weeks;
/// assert_eq!(backlog_weeks(100.0, 300.0, 1040.0), 10.0);
/// assert_eq!(backlog_weeks(0.0, 0.0, 0.0), 0.0);
/// ```
#[inline]
pub fn backlog_weeks(before: f64, after: f64, completed: f64) -> f64 {
    if completed > 0.0 {
        WEEKS_A_YEAR * (before + after) / 2.0 / completed
    } else {
        0.0
    }
}

/// Share of plans issued within 20 weeks when the time to a plan is the minimum process time
/// `w0` plus an exponential wait of mean `wait` weeks, capped by `max_share` (`s_max`, the share
/// within 20 weeks with no backlog at all: process delays other than the backlog):
/// `max_share * (1 - exp(-(20 - w0) / wait))` for `w0 < 20`; 0 when `w0 >= 20`; `max_share` when
/// there is no wait (docs/model.md section 9). Never above `max_share`, however short the wait.
///
/// ```
/// use dsg_core::projection::share_within_20_weeks;
/// assert_eq!(share_within_20_weeks(12.0, 0.0, 0.65), 0.65);
/// assert_eq!(share_within_20_weeks(20.0, 5.0, 0.65), 0.0);
/// let s = share_within_20_weeks(12.0, 8.0, 1.0);
/// assert!((s - (1.0 - (-1.0f64).exp())).abs() < 1e-15);
/// let s = share_within_20_weeks(12.0, 8.0, 0.5);
/// assert!((s - 0.5 * (1.0 - (-1.0f64).exp())).abs() < 1e-15);
/// ```
#[inline]
pub fn share_within_20_weeks(w0: f64, wait: f64, max_share: f64) -> f64 {
    if w0 >= STATUTORY_WEEKS {
        0.0
    } else if wait == 0.0 {
        max_share
    } else {
        max_share * (1.0 - (-(STATUTORY_WEEKS - w0) / wait).exp())
    }
}

/// The pipeline in year `t`, before demand: requests, completions, the backlog, plans issued,
/// weeks to a plan, the share within 20 weeks and the case officers in post. When new plans
/// come from the plans issued, sets the year's joiners to them.
#[inline(always)]
pub(super) fn project_pipeline(
    s: &Scenario,
    x: &Inputs,
    active: Active,
    t: usize,
    ws: &mut Workspace,
    out: &mut Projection,
) {
    let Some(a) = &s.assessments else {
        return;
    };
    let n = ws.lanes;
    let st = &mut ws.lane;
    let growth = &x.year_lanes(a.requests_growth, t)[..n];
    let agreed = &x.year_lanes(a.agreed_share, t)[..n];
    let officers_in = &x.year_lanes(a.case_officers, t)[..n];
    let per_officer = &x.year_lanes(a.per_officer, t)[..n];
    let plan_share = &x.year_lanes(a.plan_share, t)[..n];
    let w0 = &x.scalar_lanes(a.minimum_weeks)[..n];
    let max_share = &x.year_lanes(a.max_within_20_weeks, t)[..n];
    // A growth reduction on every provision slows new plans: when they come from the pipeline,
    // it slows the requests that lead to them (docs/model.md section 2's m[t]).
    let cut = a.joiners_from_plans && active.cut_all;
    let [
        requests,
        completed,
        waiting,
        plans,
        weeks,
        on_time,
        officers,
    ] = out.rows_mut(
        t,
        [
            Series::AssessmentRequests,
            Series::AssessmentsCompleted,
            Series::ChildrenWaiting,
            Series::PlansIssued,
            Series::WeeksToPlan,
            Series::WithinTwentyWeeks,
            Series::CaseOfficers,
        ],
    );
    for l in 0..n {
        let factor = if cut {
            1.0 + growth[l] - st.growth_cut_all[l]
        } else {
            1.0 + growth[l]
        };
        let r = (st.requests[l] * factor).max(0.0);
        st.requests[l] = r;
        let fte = if active.staffing {
            officers_in[l] + st.extra_officers[l]
        } else {
            officers_in[l]
        };
        let capacity = fte * per_officer[l];
        let before = st.backlog[l];
        let open = before + agreed[l] * r;
        // C = min(Q[t-1] + a R, K); never below zero, nor the backlog left.
        let done = open.min(capacity).max(0.0);
        let after = (open - done).max(0.0);
        st.backlog[l] = after;
        let wait = backlog_weeks(before, after, done);
        requests[l] = r;
        completed[l] = done;
        waiting[l] = after;
        plans[l] = plan_share[l] * done;
        weeks[l] = w0[l] + wait;
        // A process mitigation raises s_max, never above 1 (docs/model.md section 9).
        let cap = if active.process {
            (max_share[l] + st.process_lift[l]).min(1.0)
        } else {
            max_share[l]
        };
        on_time[l] = share_within_20_weeks(w0[l], wait, cap);
        officers[l] = fte;
    }
    if a.joiners_from_plans {
        let [joiners, plans] = out.rows_rw(t, [Series::Joiners, Series::PlansIssued], 1);
        joiners[..n].copy_from_slice(&plans[..n]);
        st.joiners[..n].copy_from_slice(&plans[..n]);
    }
}

/// Plans per case officer and the share of children in mainstream settings in year `t`, once
/// this year's caseloads and their total are known.
#[inline(always)]
pub(super) fn project_children(s: &Scenario, t: usize, ws: &Workspace, out: &mut Projection) {
    let Some(a) = &s.assessments else {
        return;
    };
    let n = ws.lanes;
    let [per_officer, total, officers] = out.rows_rw(
        t,
        [
            Series::PlansPerOfficer,
            Series::CaseloadTotal,
            Series::CaseOfficers,
        ],
        1,
    );
    for l in 0..n {
        per_officer[l] = if officers[l] > 0.0 {
            total[l] / officers[l]
        } else {
            0.0
        };
    }
    if !a.mainstream.is_empty() {
        let [share, total] = out.rows_rw(t, [Series::MainstreamShare, Series::CaseloadTotal], 1);
        for l in 0..n {
            let mut mainstream = 0.0;
            for &p in &a.mainstream {
                mainstream += ws.caseload[p * n + l];
            }
            share[l] = if total[l] > 0.0 {
                mainstream / total[l]
            } else {
                0.0
            };
        }
    }
}
