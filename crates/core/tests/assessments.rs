//! The assessment pipeline (docs/model.md section 9), worked by hand, and its link to spend.
//!
//! Every scenario is base year 2025-26, so projection year t is 2025-26 + t. The expected numbers
//! are worked out in the comments: R requests, a the share agreed, Q the backlog (children
//! waiting), K = officers x per_officer the capacity, C = min(Q[t-1] + a R, K) completions,
//! P = c C plans issued, W = 52 (Q[t-1] + Q[t]) / 2 / C weeks of backlog, w0 the minimum process
//! time, share within 20 weeks = s_max (1 - exp(-(20 - w0) / W)), s_max the share with no backlog
//! (`max_within_20_weeks`, default 0.65; s_max itself when W = 0).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::generate::spec;
use common::{REL, assert_close, assert_series, central, check_identities, header, scenario};
use dsg_core::projection::share_within_20_weeks;
use dsg_core::{Forecast, MitigationSet, Projection, Series, Workspace, project};
use proptest::prelude::*;

/// One net-growth provision (no growth, no cost), no money: isolates the pipeline.
fn pipeline(horizon: usize, assessments: &str, extra: &str) -> String {
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
growth = 0

[dsg]
opening_balance = 0

[general_fund]
usable_reserves = 0

[assessments]
{assessments}
{extra}"#,
        header(horizon)
    )
}

#[test]
fn capacity_above_demand_leaves_no_backlog_and_the_share_at_its_cap() {
    // R = 100 a year (no growth), a = 0.8: 80 assessments start; K = 2 x 50 = 100 > 80.
    // C = min(0 + 80, 100) = 80, Q = 0, P = 0.9 x 80 = 72, W = 0: weeks = w0 = 12, share = s_max,
    // the default 0.65: no backlog at all, yet only 65% on time.
    let text = pipeline(
        3,
        "requests = 100\nrequests_growth = 0.0\nagreed_share = 0.8\ncase_officers = 2\n\
         assessments_per_officer = 50\nplan_share = 0.9\nminimum_weeks = 12",
        "",
    );
    let (_, f) = central(&text);
    let m = &f.mitigated;
    assert_series(m, Series::AssessmentRequests, &[100.0; 3], "requests");
    assert_series(m, Series::AssessmentsCompleted, &[80.0; 3], "completions");
    assert_series(m, Series::ChildrenWaiting, &[0.0; 3], "children waiting");
    assert_series(m, Series::PlansIssued, &[72.0; 3], "plans issued");
    assert_series(m, Series::WeeksToPlan, &[12.0; 3], "weeks to a plan");
    assert_series(m, Series::WithinTwentyWeeks, &[0.65; 3], "within 20 weeks");
    assert_series(m, Series::CaseOfficers, &[2.0; 3], "case officers");
    // 1,000 plans (no growth) over 2 officers.
    assert_series(m, Series::PlansPerOfficer, &[500.0; 3], "plans per officer");
}

#[test]
fn capacity_below_demand_grows_the_backlog_by_the_shortfall_each_year() {
    // R[0] = 100 growing 10%: 110, 121, 133.1; every request agreed; K = 1 x 100 = 100.
    // Shortfall a R - K = 10, 21, 33.1: Q = 50 + 10 = 60, 60 + 21 = 81, 81 + 33.1 = 114.1.
    // C = 100 each year. W = 52 (Q[t-1] + Q[t]) / 2 / 100: 52 x 110 / 200 = 28.6,
    // 52 x 141 / 200 = 36.66, 52 x 195.1 / 200 = 50.726; weeks = 6 + W;
    // share = 0.65 (1 - exp(-14 / W)).
    let text = pipeline(
        3,
        "requests = 100\nrequests_growth = 0.1\nopening_backlog = 50\ncase_officers = 1\n\
         assessments_per_officer = 100\nminimum_weeks = 6",
        "",
    );
    let (_, f) = central(&text);
    let m = &f.mitigated;
    assert_series(m, Series::AssessmentRequests, &[110.0, 121.0, 133.1], "R");
    assert_series(m, Series::AssessmentsCompleted, &[100.0; 3], "C");
    assert_series(m, Series::ChildrenWaiting, &[60.0, 81.0, 114.1], "Q");
    // Every completed assessment leads to a plan (plan_share defaults to 1).
    assert_series(m, Series::PlansIssued, &[100.0; 3], "P");
    assert_series(
        m,
        Series::WeeksToPlan,
        &[6.0 + 28.6, 6.0 + 36.66, 6.0 + 50.726],
        "weeks",
    );
    let mut before = 50.0;
    for t in 1..=3 {
        let q = m.get(Series::ChildrenWaiting, t);
        let shortfall = m.get(Series::AssessmentRequests, t) - 100.0;
        assert_close(
            q - before,
            shortfall,
            REL,
            &format!("growth of Q, year {t}"),
        );
        let wait = m.get(Series::WeeksToPlan, t) - 6.0;
        let share = 0.65 * (1.0 - (-(20.0 - 6.0) / wait).exp());
        assert_close(
            m.get(Series::WithinTwentyWeeks, t),
            share,
            REL,
            &format!("share, year {t}"),
        );
        before = q;
    }
}

/// A backlog of 200 that capacity only keeps level (R = K = 100), and a temporary team of
/// 2 officers for 2026-27 at £50,000 each, charged to the general fund.
fn clearing(extra_flows: bool) -> String {
    let team = r#"
[[mitigations]]
name = "backlog_team"
kind = "staffing"
effect = 2
cost_per_fte = 50000
start = "2026-27"
end = "2026-27"
costs_charged_to = "general_fund"
"#;
    let assessments = "requests = 100\nrequests_growth = 0.0\nopening_backlog = 200\n\
                       case_officers = 1\nassessments_per_officer = 100\nminimum_weeks = 10";
    if !extra_flows {
        return pipeline(3, assessments, team);
    }
    // The flow model taking its new plans from the plans issued: one provision of 1,000 plans at
    // £20,000, no leavers.
    format!(
        r#"{}
[[provisions]]
name = "special"
model = "flows"
joiner_share = 1.0
caseload = 1000
unit_cost = 20000

[funding]
allocation = 0
growth = 0

[dsg]
opening_balance = 0

[general_fund]
usable_reserves = 0

[assessments]
{assessments}
joiners_from_plans_issued = true
{team}"#,
        header(3)
    )
}

#[test]
fn extra_staff_clear_a_backlog_and_plans_issued_rise_then_fall_back() {
    // Without the team: K = 100 = a R, so C = 100, Q stays 200, P = 100 every year;
    // W = 52 x 400 / 2 / 100 = 104 weeks, weeks = 114, share = 0.65 (1 - exp(-10 / 104)).
    // With it in 2026-27: K = 3 x 100 = 300, C = min(200 + 100, 300) = 300, Q = 0, P = 300;
    // W = 52 x 200 / 2 / 300 = 17.333..; from 2027-28 K = 100 again: C = P = 100, Q = 0, W = 0,
    // and the share is s_max = 0.65: the backlog cleared, the process delays remain.
    let (s, f) = central(&clearing(false));
    let (with, without) = (&f.mitigated, &f.unmitigated);
    assert_series(with, Series::CaseOfficers, &[3.0, 1.0, 1.0], "officers");
    assert_series(
        with,
        Series::AssessmentsCompleted,
        &[300.0, 100.0, 100.0],
        "C",
    );
    assert_series(
        with,
        Series::PlansIssued,
        &[300.0, 100.0, 100.0],
        "P rises then falls back",
    );
    assert_series(with, Series::ChildrenWaiting, &[0.0; 3], "Q cleared");
    assert_series(
        with,
        Series::WeeksToPlan,
        &[10.0 + 52.0 * 200.0 / 2.0 / 300.0, 10.0, 10.0],
        "weeks",
    );
    let first = 0.65 * (1.0 - (-10.0f64 / (52.0 * 200.0 / 2.0 / 300.0)).exp());
    assert_series(
        with,
        Series::WithinTwentyWeeks,
        &[first, 0.65, 0.65],
        "share",
    );
    let before = 0.65 * (1.0 - (-10.0f64 / 104.0).exp());
    assert_series(
        without,
        Series::WithinTwentyWeeks,
        &[before; 3],
        "share without",
    );
    assert_series(without, Series::PlansIssued, &[100.0; 3], "P without");
    assert_series(without, Series::ChildrenWaiting, &[200.0; 3], "Q without");
    assert_series(without, Series::WeeksToPlan, &[114.0; 3], "weeks without");
    // The team's effect on the same inputs: 200 fewer children waiting every year (the backlog
    // stays cleared), and its salaries, 2 x £50,000 in 2026-27 only, on the general fund.
    assert_eq!(f.impact_on(0, Series::ChildrenWaiting), [-200.0; 3]);
    assert_series(
        with,
        Series::GeneralFundMitigationCosts,
        &[100_000.0, 0.0, 0.0],
        "general-fund costs",
    );
    // Charged to the general fund: the DSG does not move.
    assert_eq!(f.impact(0), [0.0; 3]);
    check_identities(&s, with).unwrap();
}

#[test]
fn more_staff_raise_spend_in_the_years_the_backlog_clears() {
    // The same pipeline feeding the flow model (J[t] = P[t]). Without the team: 100 new plans a
    // year, N = 1,100, 1,200, 1,300. With it: 300 in 2026-27, then 100: N = 1,300, 1,400, 1,500.
    // Spend = N x £20,000: £4m more in 2026-27, the year the backlog clears, and the extra 200
    // children keep their plans (and their cost) after.
    let (s, f) = central(&clearing(true));
    let (with, without) = (&f.mitigated, &f.unmitigated);
    assert_series(with, Series::Joiners, &[300.0, 100.0, 100.0], "J = P");
    assert_series(without, Series::Joiners, &[100.0; 3], "J without");
    assert_series(with, Series::CaseloadTotal, &[1300.0, 1400.0, 1500.0], "N");
    assert_series(
        without,
        Series::CaseloadTotal,
        &[1100.0, 1200.0, 1300.0],
        "N without",
    );
    for t in 1..=3 {
        let extra = with.get(Series::SpendTotal, t) - without.get(Series::SpendTotal, t);
        assert_close(
            extra,
            200.0 * 20_000.0,
            REL,
            &format!("extra spend, year {t}"),
        );
    }
    // One step forward, two steps back: the DSG is worse off by the cost of the plans issued
    // sooner, £4m a year: -4m, -8m, -12m cumulative.
    assert_eq!(f.impact(0), [-4e6, -8e6, -12e6]);
    check_identities(&s, with).unwrap();
}

#[test]
fn a_growth_reduction_slows_requests_when_they_feed_the_flow_model() {
    // Requests grow 10% less 4 points = 6% when new plans come from the plans issued: R = 106.
    // Capacity is ample, so P = R = 106 and the caseload gains 106.
    let text = clearing(true)
        .replace("requests_growth = 0.0", "requests_growth = 0.1")
        .replace("opening_backlog = 200", "opening_backlog = 0")
        .replace("case_officers = 1", "case_officers = 5")
        + r#"
[[mitigations]]
name = "early_help"
kind = "growth_reduction"
effect = 0.04
start = "2026-27"
"#;
    let s = scenario(&text);
    let mut ws = Workspace::new(&s);
    let mut out = Projection::new(&s);
    let x = s.params().central_inputs();
    // Early help alone (the team off).
    project(&s, &x, MitigationSet::all(2).without(0), &mut ws, &mut out);
    assert_close(out.get(Series::AssessmentRequests, 1), 106.0, REL, "R");
    assert_close(out.get(Series::Joiners, 1), 106.0, REL, "J");
    assert_close(out.get(Series::CaseloadTotal, 1), 1106.0, REL, "N");
}

#[test]
fn the_20_week_share_follows_the_formula() {
    // Q[0] = Q[1] = 30 with C = K = 130 (R = 130, all agreed): W = 52 x 60 / 2 / 130 = 12 weeks.
    // w0 = 8: share = 0.65 (1 - exp(-(20 - 8) / 12)) = 0.65 (1 - exp(-1)). w0 = 20 or more: none
    // on time.
    for (w0, share) in [
        (8.0, 0.65 * (1.0 - (-1.0f64).exp())),
        (14.0, 0.65 * (1.0 - (-0.5f64).exp())),
        (20.0, 0.0),
        (25.0, 0.0),
    ] {
        let text = pipeline(
            1,
            &format!(
                "requests = 130\nrequests_growth = 0.0\nopening_backlog = 30\ncase_officers = 1\n\
                 assessments_per_officer = 130\nminimum_weeks = {w0:?}"
            ),
            "",
        );
        let (_, f) = central(&text);
        let m = &f.mitigated;
        assert_close(m.get(Series::ChildrenWaiting, 1), 30.0, REL, "Q");
        assert_close(m.get(Series::WeeksToPlan, 1), w0 + 12.0, REL, "weeks");
        assert_close(m.get(Series::WithinTwentyWeeks, 1), share, REL, "share");
    }
    assert_eq!(share_within_20_weeks(19.0, 0.0, 0.65), 0.65);
    assert_eq!(share_within_20_weeks(19.0, 0.0, 1.0), 1.0);
}

#[test]
fn the_share_is_capped_by_the_share_with_no_backlog_year_by_year() {
    // The backlog of the formula test: W = 12 weeks, w0 = 8, so 1 - exp(-12 / 12) = 1 - e^-1 of
    // the uncapped share. s_max 0.5 in 2026-27 and 0.8 in 2027-28: 0.5 (1 - e^-1), 0.8 (1 - e^-1).
    let text = pipeline(
        2,
        "requests = 130\nrequests_growth = 0.0\nopening_backlog = 30\ncase_officers = 1\n\
         assessments_per_officer = 130\nminimum_weeks = 8\n\
         max_within_20_weeks = { \"2026-27\" = 0.5, \"2027-28\" = 0.8 }",
        "",
    );
    let (s, f) = central(&text);
    let e = 1.0 - (-1.0f64).exp();
    assert_series(
        &f.mitigated,
        Series::WithinTwentyWeeks,
        &[0.5 * e, 0.8 * e],
        "share",
    );
    // The weeks to a plan do not depend on s_max.
    assert_series(&f.mitigated, Series::WeeksToPlan, &[20.0; 2], "weeks");
    // Typed metadata: a share, with a label of its own, under its key path.
    let a = s.assessments().unwrap();
    let meta = &s.params().specs()[a.max_within_20_weeks.index()].meta;
    assert_eq!(meta.key(), "assessments.max_within_20_weeks");
    assert_eq!(meta.unit, dsg_core::InputUnit::Share);
    assert_eq!(meta.label, "Share within 20 weeks with no backlog");
}

/// No backlog (capacity ample, none waiting), s_max 0.6, and a process mitigation.
fn process(effect: &str, max: f64) -> String {
    pipeline(
        3,
        &format!(
            "requests = 100\nrequests_growth = 0.0\ncase_officers = 2\n\
             assessments_per_officer = 100\nminimum_weeks = 10\nmax_within_20_weeks = {max:?}"
        ),
        &format!(
            "[[mitigations]]\nname = \"faster_advice\"\nkind = \"process\"\n{effect}\n\
             start = \"2026-27\"\nyearly_cost = 20000\none_off_cost = 5000\n"
        ),
    )
}

#[test]
fn a_process_mitigation_raises_the_share_with_no_backlog_and_costs_what_it_costs() {
    // No wait, so the share is s_max itself. Effect 0.3 (points), ramp 2 years, delivery 0.8:
    // lift 0.3 x 1/2 x 0.8 = 0.12 in 2026-27, 0.3 x 1 x 0.8 = 0.24 after: 0.72, 0.84, 0.84.
    let (s, f) = central(&process(
        "effect = 0.3\nramp_years = 2\ndelivery = 0.8",
        0.6,
    ));
    assert_series(
        &f.mitigated,
        Series::WithinTwentyWeeks,
        &[0.72, 0.84, 0.84],
        "share",
    );
    assert_series(
        &f.unmitigated,
        Series::WithinTwentyWeeks,
        &[0.6; 3],
        "without",
    );
    let impact = f.impact_on(0, Series::WithinTwentyWeeks);
    for (got, want) in impact.iter().zip([0.12, 0.24, 0.24]) {
        assert_close(*got, want, REL, "impact on the share");
    }
    // It changes nothing else of the pipeline.
    assert_series(&f.mitigated, Series::ChildrenWaiting, &[0.0; 3], "Q");
    assert_series(&f.mitigated, Series::WeeksToPlan, &[10.0; 3], "weeks");
    // Its costs, as any mitigation's: yearly £20,000, and £5,000 once in its first year.
    assert_series(
        &f.mitigated,
        Series::SpendMitigations,
        &[25_000.0, 20_000.0, 20_000.0],
        "costs",
    );
    assert_eq!(f.impact(0), [-25_000.0, -45_000.0, -65_000.0]);
    check_identities(&s, &f.mitigated).unwrap();
    // The effect is a share: its metadata says so.
    let meta = &s.params().specs()[s.mitigations()[0].effect.index()].meta;
    assert_eq!(meta.unit, dsg_core::InputUnit::Share);
}

#[test]
fn a_process_mitigation_never_takes_the_share_above_one() {
    // s_max 0.9 + 0.3 = 1.2: capped at 1 (with no backlog, every plan within 20 weeks).
    let (_, f) = central(&process("effect = 0.3", 0.9));
    assert_series(&f.mitigated, Series::WithinTwentyWeeks, &[1.0; 3], "share");
}

#[test]
fn process_mitigations_and_s_max_are_checked() {
    let problems = |text: &str| -> Vec<(String, String)> {
        match dsg_core::Scenario::from_toml_str(text, "test.toml") {
            Ok(_) => Vec::new(),
            Err(e) => e
                .problems()
                .iter()
                .map(|p| (p.key.clone(), p.message.clone()))
                .collect(),
        }
    };
    let text = process("effect = 0.3", 0.6);
    let found = problems(&text.replace("max_within_20_weeks = 0.6", "max_within_20_weeks = 1.2"));
    assert!(
        found
            .iter()
            .any(|(k, _)| k == "assessments.max_within_20_weeks"),
        "{found:?}"
    );
    let found = problems(&text.replace("effect = 0.3", "effect = 1.5"));
    assert!(
        found.iter().any(|(k, _)| k == "mitigations[0].effect"),
        "{found:?}"
    );
    let found = problems(&text.replace(
        "kind = \"process\"",
        "kind = \"process\"\nprovision = \"all\"",
    ));
    assert!(
        found
            .iter()
            .any(|(k, m)| k == "mitigations[0].provision" && m.contains("takes no `provision`")),
        "{found:?}"
    );
    let without = text.replace("[assessments]", "[ignored]");
    let without: String = without
        .split("[ignored]")
        .next()
        .unwrap_or_default()
        .to_string()
        + "[[mitigations]]\nname = \"faster_advice\"\nkind = \"process\"\neffect = 0.1\nstart = \"2026-27\"\n";
    let found = problems(&without);
    assert!(
        found
            .iter()
            .any(|(k, m)| k == "mitigations[0].kind" && m.contains("[assessments]")),
        "{found:?}"
    );
}

#[test]
fn zero_requests_give_no_wait_and_nothing_undefined() {
    // Nothing to assess: C = 0, Q = 0, W = 0 (not 0 / 0), weeks = w0, the share s_max (0.65).
    let text = pipeline(
        2,
        "requests = 0\ncase_officers = 3\nassessments_per_officer = 40\nminimum_weeks = 9",
        "",
    );
    let (_, f) = central(&text);
    let m = &f.mitigated;
    for series in [
        Series::AssessmentRequests,
        Series::AssessmentsCompleted,
        Series::ChildrenWaiting,
        Series::PlansIssued,
    ] {
        assert_series(m, series, &[0.0; 2], &format!("{series:?}"));
    }
    assert_series(m, Series::WeeksToPlan, &[9.0; 2], "weeks");
    assert_series(m, Series::WithinTwentyWeeks, &[0.65; 2], "share");
    // A backlog with no new requests is worked off: C = min(50, 120) = 50, W = 52 x 50 / 2 / 50.
    let text = text.replace("requests = 0", "requests = 0\nopening_backlog = 50");
    let (_, f) = central(&text);
    assert_series(
        &f.mitigated,
        Series::AssessmentsCompleted,
        &[50.0, 0.0],
        "C",
    );
    assert_series(
        &f.mitigated,
        Series::WeeksToPlan,
        &[9.0 + 26.0, 9.0],
        "weeks",
    );
}

#[test]
fn children_placed_for_lack_of_a_place_and_the_share_in_mainstream() {
    // Special: 500 plans, 520 places, growing 10%: 550 -> 30 overflow to INMSS; next year the
    // capped 520 grow to 572 -> 52 more. Mainstream 1,000 -> 1,100 -> 1,210; INMSS 100 -> 110 +
    // 30 = 140 -> 154 + 52 = 206. Share in mainstream = 1,100 / 1,760, 1,210 / 1,936.
    let text = format!(
        r#"{}
[demand]
growth = 0.1

[[provisions]]
name = "mainstream"
caseload = 1000
unit_cost = 0

[[provisions]]
name = "special"
caseload = 500
unit_cost = 0
capacity = 520
overflow = "inmss"

[[provisions]]
name = "inmss"
caseload = 100
unit_cost = 0

[funding]
allocation = 0

[dsg]
opening_balance = 0

[general_fund]
usable_reserves = 0

[assessments]
requests = 0
case_officers = 4
assessments_per_officer = 10
mainstream_provisions = ["mainstream"]
"#,
        header(2)
    );
    let (s, f) = central(&text);
    let m = &f.mitigated;
    assert_series(m, Series::PlacedForLackOfPlace, &[30.0, 52.0], "placed");
    assert_series(m, Series::Caseload(2), &[140.0, 206.0], "INMSS");
    assert_series(
        m,
        Series::MainstreamShare,
        &[1100.0 / 1760.0, 1210.0 / 1936.0],
        "share in mainstream",
    );
    assert_series(
        m,
        Series::PlansPerOfficer,
        &[440.0, 484.0],
        "plans per officer",
    );
    assert!(s.has_series(Series::MainstreamShare));
    // Without `mainstream_provisions` the share is not reported.
    let s = scenario(&text.replace("mainstream_provisions = [\"mainstream\"]\n", ""));
    assert!(!s.has_series(Series::MainstreamShare) && s.has_series(Series::ChildrenWaiting));
}

#[test]
fn a_scenario_without_assessments_reports_no_children_series() {
    let text = pipeline(
        2,
        "requests = 1\ncase_officers = 1\nassessments_per_officer = 1",
        "",
    );
    let without = text
        .split("[assessments]")
        .next()
        .unwrap_or_default()
        .to_string();
    let s = scenario(&without);
    assert!(s.series().iter().all(|(k, _)| !k.is_children()));
    let f = Forecast::central(&s);
    // Not kept by its projections either.
    assert!(!f.mitigated.records(Series::ChildrenWaiting));
    assert!(f.mitigated.records(Series::Cumulative));
}

// ---------------------------------------------------------------------------------------------
// Properties on generated scenarios with a pipeline (every section, staffing mitigations, the
// flow model fed by the plans issued)
// ---------------------------------------------------------------------------------------------

/// The pipeline's invariants in every year of one projection of `s` (central inputs).
fn pipeline_invariants(s: &dsg_core::Scenario, p: &Projection) -> Result<(), TestCaseError> {
    let Some(a) = s.assessments() else {
        return Ok(());
    };
    let x = s.params().central_inputs();
    let w0 = x.scalar(a.minimum_weeks);
    let mut before = x.scalar(a.opening_backlog);
    for t in 1..=s.horizon() {
        let g = |series| p.get(series, t);
        let (q, c, plans) = (
            g(Series::ChildrenWaiting),
            g(Series::AssessmentsCompleted),
            g(Series::PlansIssued),
        );
        let capacity = g(Series::CaseOfficers) * x.year(a.per_officer, t);
        prop_assert!(q >= 0.0, "year {t}: backlog {q} below zero");
        prop_assert!(
            c >= 0.0 && c <= capacity,
            "year {t}: completions {c} above capacity {capacity}"
        );
        prop_assert!(
            plans <= c,
            "year {t}: plans issued {plans} above completions {c}"
        );
        let started = x.year(a.agreed_share, t) * g(Series::AssessmentRequests);
        let flow = before + started - c;
        prop_assert!(
            (q - flow).abs() <= 1e-9 * (1.0 + before.abs() + started.abs()),
            "year {t}: Q = {q}, Q[t-1] + a R - C = {flow}"
        );
        let (weeks, share) = (g(Series::WeeksToPlan), g(Series::WithinTwentyWeeks));
        prop_assert!(weeks.is_finite() && weeks >= w0, "year {t}: weeks {weeks}");
        prop_assert!((0.0..=1.0).contains(&share), "year {t}: share {share}");
        for series in dsg_core::series::CHILDREN
            .into_iter()
            .filter(|&c| s.has_series(c))
        {
            prop_assert!(
                g(series).is_finite(),
                "year {t}: {series:?} is {}",
                g(series)
            );
        }
        before = q;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// docs/model.md section 9: clearing a backlog alone (any staffing, any capacity) never takes
    /// the share within 20 weeks above s_max, in any year of any projection; with a process
    /// mitigation, never above min(1, s_max + its full effect).
    #[test]
    fn clearing_a_backlog_alone_never_takes_the_share_above_s_max(
        spec in spec().prop_filter("with a pipeline", |s| s.assessments.is_some())
    ) {
        let lift = spec
            .assessments
            .as_ref()
            .and_then(|a| a.process)
            .map_or(0.0, |(effect, _, _, delivery)| effect * delivery);
        let mut alone = spec.clone();
        if let Some(a) = alone.assessments.as_mut() {
            a.process = None;
        }
        for (spec, lift) in [(alone, 0.0), (spec, lift)] {
            let text = spec.to_toml();
            let (s, f) = central(&text);
            let a = s.assessments().unwrap();
            let x = s.params().central_inputs();
            for p in std::iter::once(&f.mitigated).chain([&f.unmitigated]).chain(&f.without_each) {
                for t in 1..=s.horizon() {
                    let share = p.get(Series::WithinTwentyWeeks, t);
                    let s_max = x.year(a.max_within_20_weeks, t);
                    let bound = if lift == 0.0 { s_max } else { (s_max + lift).min(1.0) + 1e-12 };
                    prop_assert!(
                        share <= bound,
                        "year {t}: share {share} above {bound} (s_max {s_max})\n{text}"
                    );
                }
            }
        }
    }

    /// The backlog is never negative, completions never exceed capacity, plans issued never
    /// exceed completions, the backlog moves by what starts less what is completed, and every
    /// children's figure is finite, in every projection of the forecast.
    #[test]
    fn the_pipeline_keeps_its_invariants(
        spec in spec().prop_filter("with a pipeline", |s| s.assessments.is_some())
    ) {
        let text = spec.to_toml();
        let (s, f) = central(&text);
        for p in std::iter::once(&f.mitigated).chain([&f.unmitigated]).chain(&f.without_each) {
            pipeline_invariants(&s, p).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        }
    }
}
