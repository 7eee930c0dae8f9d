//! `[assessments]` as written: the statutory assessment pipeline (docs/model.md section 9).

use serde::{Deserialize, Serialize};

use super::NumInput;

/// The EHC needs assessment pipeline: requests, the share agreed for assessment, the backlog,
/// case officers and what each completes, the share of completed assessments that lead to a plan,
/// and the minimum process time. Every number may be a distribution; the yearly ones may be
/// per-year tables. Every key is described in `docs/scenario-reference.md`.
///
/// ```
/// use dsg_core::raw::RawAssessments;
/// let a: RawAssessments = toml::from_str(
///     "requests = 2200\ncase_officers = 36\nassessments_per_officer = 50\n",
/// )?;
/// assert!(a.opening_backlog.is_none());
/// # Ok::<(), toml::de::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawAssessments {
    /// Requests for an EHC needs assessment in the base year, `R[0]`.
    pub requests: NumInput,
    /// Yearly growth of requests, `r[t]` (default: `demand.growth`, on the same draws).
    pub requests_growth: Option<NumInput>,
    /// Share of requests agreed for assessment, `a[t]` (default 1).
    pub agreed_share: Option<NumInput>,
    /// Assessments open at the end of the base year, `Q[0]` (default 0).
    pub opening_backlog: Option<NumInput>,
    /// Case-officer FTE by year, before any staffing mitigation.
    pub case_officers: NumInput,
    /// Assessments one full-time case officer completes in a year.
    pub assessments_per_officer: NumInput,
    /// Share of completed assessments that lead to a plan, `c[t]` (default 1).
    pub plan_share: Option<NumInput>,
    /// The shortest time from request to plan, in weeks, w0 (default 0).
    pub minimum_weeks: Option<NumInput>,
    /// The share of plans issued within 20 weeks with no backlog at all, `s_max[t]` (default
    /// 0.65, the best national year since 2014).
    pub max_within_20_weeks: Option<NumInput>,
    /// Flow model: new plans a year are the plans issued (`J[t] = P[t]`) instead of
    /// `[demand.joiners]` (default false).
    pub joiners_from_plans_issued: Option<bool>,
    /// Provisions that are mainstream settings, for the share of children in mainstream.
    pub mainstream_provisions: Option<Vec<String>>,
}
