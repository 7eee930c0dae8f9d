//! The projection kernel against a plain scalar reference written from
//! docs/model.md sections 2 to 6 and 9 (`common/oracle.rs`): every series, every year, every
//! mitigation set (all on, all off, each off alone), on every shipped scenario and on generated
//! ones (with assessment pipelines and staffing mitigations).
//!
//! Tolerance: a value agrees when it is within `REL` = 1e-12 of the reference, relative to the
//! size of the year's figures of its kind (plans for caseloads and plans issued, the unit cost
//! before savings for a unit cost, the largest count of the assessment pipeline for its counts,
//! its own size for weeks, shares and officers, the largest money figure of the year or the year
//! before for money), so that a figure near zero left by cancelling large ones is not held to more
//! digits than its terms have.
//! Where the reference adds in the kernel's order the values agree to the bit: the shipped
//! scenarios are checked bit for bit too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::generate::spec;
use common::oracle::{Reference, reference};
use common::{REL, scenario, shipped_scenarios};
use dsg_core::{Inputs, MitigationSet, Projection, Scenario, Series, Workspace, project};
use proptest::prelude::*;

/// Every mitigation set a forecast projects: all on, all off, each off alone.
fn mitigation_sets(s: &Scenario) -> Vec<MitigationSet> {
    let n = s.mitigations().len();
    let mut sets = vec![MitigationSet::all(n), MitigationSet::none()];
    sets.extend((0..n).map(|i| MitigationSet::all(n).without(i)));
    sets
}

fn is_caseload(series: Series) -> bool {
    matches!(
        series,
        Series::Caseload(_)
            | Series::CaseloadTotal
            | Series::Joiners
            | Series::PlansIssued
            | Series::PlacedForLackOfPlace
    )
}

/// A count of the assessment pipeline (requests, assessments, children waiting): held to the
/// size of the year's largest such count.
fn is_pipeline_count(series: Series) -> bool {
    matches!(
        series,
        Series::AssessmentRequests | Series::AssessmentsCompleted | Series::ChildrenWaiting
    )
}

/// A ratio of the pipeline (weeks, shares, officers, plans per officer): held to its own size.
fn is_pipeline_ratio(series: Series) -> bool {
    series.is_children() && !is_pipeline_count(series) && !is_caseload(series)
}

/// The first value of lane `lane` of `kernel` that differs from `oracle` by more than the
/// tolerance (or, with `bits`, at all), described.
fn compare(
    s: &Scenario,
    kernel: &Projection,
    lane: usize,
    oracle: &Reference,
    bits: bool,
) -> Result<(), String> {
    let series = s.series();
    for t in 1..=s.horizon() {
        let year_scale = |caseload: bool| {
            let mut scale: f64 = 1.0;
            for &(k, _) in &series {
                if is_caseload(k) == caseload
                    && !matches!(k, Series::UnitCost(_))
                    && !is_pipeline_count(k)
                    && !is_pipeline_ratio(k)
                {
                    scale = scale.max(oracle.get(k, t).abs());
                    if t > 1 {
                        scale = scale.max(oracle.get(k, t - 1).abs());
                    }
                }
            }
            scale
        };
        let (plans, money) = (year_scale(true), year_scale(false));
        let mut counts: f64 = 1.0;
        for &(k, _) in series.iter().filter(|(k, _)| is_pipeline_count(*k)) {
            counts = counts.max(oracle.get(k, t).abs());
            if t > 1 {
                counts = counts.max(oracle.get(k, t - 1).abs());
            }
        }
        let money = money.max(kernel.opening_balance.abs());
        for (k, name) in &series {
            let got = kernel.lanes_of(*k, t)[lane];
            let want = oracle.get(*k, t);
            let scale = match k {
                Series::UnitCost(_) => 1.0 + got.abs().max(want.abs()) + unpaid(oracle, *k, t),
                k if is_pipeline_count(*k) => counts,
                k if is_pipeline_ratio(*k) => 1.0 + got.abs().max(want.abs()),
                k if is_caseload(*k) => plans,
                _ => money,
            };
            let ok = if bits {
                got.to_bits() == want.to_bits()
            } else {
                (got - want).abs() <= REL * scale
            };
            if !ok {
                return Err(format!(
                    "{name} in year {t} ({}), lane {lane}: kernel {got:?}, reference {want:?} \
                     (difference {:e}, {:e} of the scale {scale:e})",
                    s.year(t),
                    got - want,
                    (got - want).abs() / scale
                ));
            }
        }
    }
    Ok(())
}

/// The unit cost of the provision of `series` before savings (spend over caseload, or the cost
/// paid when there is no caseload): the scale of its unit cost paid.
fn unpaid(oracle: &Reference, series: Series, t: usize) -> f64 {
    let Series::UnitCost(p) = series else {
        return 0.0;
    };
    let n = oracle.get(Series::Caseload(p), t);
    if n > 0.0 {
        (oracle.get(Series::Spend(p), t) / n).abs()
    } else {
        0.0
    }
}

/// Projects every lane of `x` with every mitigation set and checks each lane against the
/// reference.
fn check(s: &Scenario, x: &Inputs, bits: bool) -> Result<(), String> {
    let lanes = x.lanes();
    let mut ws = Workspace::with_lanes(s, lanes);
    let mut out = Projection::with_lanes(s, lanes);
    for on in mitigation_sets(s) {
        project(s, x, on, &mut ws, &mut out);
        for lane in 0..lanes {
            let r = reference(s, x, lane, on);
            compare(s, &out, lane, &r, bits).map_err(|e| format!("{on:?}: {e}"))?;
            let paid: Vec<bool> = (0..r.instalments_paid.len())
                .map(|i| out.instalments_paid[i * lanes + lane])
                .collect();
            if paid != r.instalments_paid {
                return Err(format!(
                    "{on:?}, lane {lane}: instalments received {paid:?}, reference {:?}",
                    r.instalments_paid
                ));
            }
        }
    }
    Ok(())
}

/// `x` with every uncertain input moved off its central value, differently in each lane (a fixed
/// pseudo-random sequence; events and shares may leave their range, which the arithmetic does not
/// mind).
fn perturbed(s: &Scenario, lanes: usize) -> Inputs {
    let mut x = s.params().central_inputs().with_lanes(lanes);
    let mut offset = 0;
    let mut state = 11u64;
    for spec in s.params().specs() {
        for (i, slot) in spec.slots.iter().enumerate() {
            if matches!(slot, dsg_core::Slot::Own(_)) && !spec.is_fixed() {
                for lane in 1..lanes {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    let u = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                    let c = x.slot(offset + i)[lane];
                    x.set(offset + i, lane, c + u * c.abs().max(0.05));
                }
            }
        }
        offset += spec.slots.len();
    }
    let shared = s.params().shared_slots();
    for lane in 0..lanes {
        x.copy_shared(&shared, lane);
    }
    x
}

#[test]
fn every_shipped_scenario_matches_the_reference_bit_for_bit() {
    for (path, s) in shipped_scenarios() {
        let x = s.params().central_inputs();
        if let Err(e) = check(&s, &x, true) {
            panic!("{}, central inputs: {e}", path.display());
        }
        // Lane 0 central, the others perturbed: lanes do not leak into each other.
        let x = perturbed(&s, 5);
        if let Err(e) = check(&s, &x, true) {
            panic!("{}, perturbed inputs: {e}", path.display());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Generated scenarios (every section, every mitigation kind, other DSG blocks with their
    /// opening balances beside a write-off and central funding), central inputs.
    #[test]
    fn generated_scenarios_match_the_reference(spec in spec()) {
        let text = spec.to_toml();
        let s = scenario(&text);
        if let Err(e) = check(&s, &s.params().central_inputs(), false) {
            prop_assert!(false, "{e}\n--- scenario ---\n{text}");
        }
    }
}

/// docs/model.md section 5 (DfE explanatory note, February 2026): the write-off and central funding
/// apply to the high-needs deficit only, B_HN and I_HN, excluding the other blocks' balances; the
/// other blocks' stated opening balances come out of the high-needs opening. The kernel and the
/// reference agree to the bit on a scenario with an overspending other block beside both
/// receipts, with and without the block's own opening balance.
#[test]
fn receipts_follow_the_high_needs_deficit_only() {
    for opening in ["", "opening_balance = -3000000\n"] {
        let text = format!(
            "{}[demand]\ngrowth = 0.0\n\n[cost]\ninflation = 0.0\n\n\
             [[provisions]]\nname = \"p0\"\ncaseload = 1000\nunit_cost = 50000\n\n\
             [funding]\nallocation = 40000000\ngrowth = 0.0\n\n\
             [[other_blocks]]\nname = \"b0\"\nfunding = 0\nspend = 5000000\n{opening}\n\
             [dsg]\nopening_balance = -20000000\n\n\
             [general_fund]\nusable_reserves = 0\n\n\
             [write_off]\ndeficit_at_end_of = \"2026-27\"\npaid_in = \"2027-28\"\nshare = 0.9\nprobability = 1\n\n\
             [central_funding]\nfrom = \"2026-27\"\nshare = 0.5\n",
            common::header(2)
        );
        let s = scenario(&text);
        if let Err(e) = check(&s, &s.params().central_inputs(), true) {
            panic!("{e}\n--- scenario ---\n{text}");
        }
    }
}
