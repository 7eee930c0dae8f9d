//! The statutory assessment pipeline (docs/model.md section 9): requests, the share agreed for
//! assessment, the backlog, case officers, plans issued, the minimum process time and the share
//! within 20 weeks with no backlog.
//!
//! Read after every other area's inputs (and before correlations, so that its inputs can be
//! correlated): a scenario without `[assessments]` creates no parameter here and keeps every
//! input's place in the parameter table, and so its seeded results.

use crate::input::{Field, Owner};
use crate::params::ParamId;
use crate::raw::{RawAssessments, RawScenario};
use crate::scenario::types::{Assessments, DemandModel, NATIONAL_BEST_WITHIN_20_WEEKS, Provision};

use super::Builder;
use super::inputs::{FRACTION, Fallback, NON_NEGATIVE, Rule, wide};

/// The longest minimum process time accepted, in weeks: a year (the statutory limit is 20).
const MAX_MINIMUM_WEEKS: f64 = 52.0;

impl Builder {
    /// The pipeline, or `None` when the scenario has no `[assessments]` section.
    pub(super) fn assessments(
        &mut self,
        raw: &RawScenario,
        provisions: &[Provision],
        demand_growth: ParamId,
    ) -> Option<Assessments> {
        let a: &RawAssessments = raw.assessments.as_ref()?;
        let key = |k: &str| format!("assessments.{k}");
        let at = |field| wide(Owner::Assessments, field);
        let requests = self.scalar(at(Field::Requests), &a.requests, NON_NEGATIVE);
        let requests_growth = self.yearly(
            at(Field::RequestsGrowth),
            a.requests_growth.as_ref(),
            Fallback::SameAs(demand_growth),
            Rule::Rate,
        );
        let agreed_share = self.yearly(
            at(Field::AgreedShare),
            a.agreed_share.as_ref(),
            Fallback::Value(1.0),
            FRACTION,
        );
        let opening_backlog = self.scalar_or(
            at(Field::OpeningBacklog),
            a.opening_backlog.as_ref(),
            0.0,
            NON_NEGATIVE,
        );
        let case_officers = self.yearly(
            at(Field::CaseOfficers),
            Some(&a.case_officers),
            Fallback::EveryYear,
            Rule::Positive,
        );
        let per_officer = self.yearly(
            at(Field::AssessmentsPerOfficer),
            Some(&a.assessments_per_officer),
            Fallback::EveryYear,
            Rule::Positive,
        );
        let plan_share = self.yearly(
            at(Field::PlanShare),
            a.plan_share.as_ref(),
            Fallback::Value(1.0),
            FRACTION,
        );
        let minimum_weeks = self.scalar_or(
            at(Field::MinimumWeeks),
            a.minimum_weeks.as_ref(),
            0.0,
            Rule::Within(0.0, MAX_MINIMUM_WEEKS),
        );
        // Read last, after every input the pipeline had before it: they keep their places in
        // the parameter table (and their draws, which follow the key path).
        let max_within_20_weeks = self.yearly(
            at(Field::MaxWithin20Weeks),
            a.max_within_20_weeks.as_ref(),
            Fallback::Value(NATIONAL_BEST_WITHIN_20_WEEKS),
            FRACTION,
        );
        let joiners_from_plans = a.joiners_from_plans_issued.unwrap_or(false);
        let flows = provisions
            .iter()
            .any(|p| matches!(p.demand, DemandModel::Flows { .. }));
        if joiners_from_plans && !flows {
            self.problem(
                key("joiners_from_plans_issued"),
                "new plans join the caseload only on the flow model: give at least one provision `model = \"flows\"` with a `joiner_share`",
            );
        }
        let names: Vec<String> = provisions.iter().map(|p| p.name.clone()).collect();
        let mut mainstream = Vec::new();
        for (i, name) in a.mainstream_provisions.iter().flatten().enumerate() {
            let at = format!("{}[{i}]", key("mainstream_provisions"));
            if let Some(p) = self.provision_ref(&at, name, &names) {
                if mainstream.contains(&p) {
                    self.problem(at, format!("`{name}` is listed twice"));
                } else {
                    mainstream.push(p);
                }
            }
        }
        mainstream.sort_unstable();
        Some(Assessments {
            requests,
            requests_growth,
            agreed_share,
            opening_backlog,
            case_officers,
            per_officer,
            plan_share,
            minimum_weeks,
            max_within_20_weeks,
            joiners_from_plans,
            mainstream,
        })
    }
}
