//! Property tests of the deterministic projection on randomly generated scenarios (written as
//! TOML text, so the whole path from file to numbers is exercised):
//!
//! - (a) the balance identities of docs/model.md section 5 hold in every year;
//! - (b) more demand never lowers spend;
//! - (c) no caseload is ever negative;
//! - (d) a mitigation with no costs never makes the cumulative balance worse;
//! - (e) moves, placement shifts and overflow conserve plans.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::generate::{Spec, spec};
use common::{check_identities, scenario};
use dsg_core::{Forecast, Projection, Series};
use proptest::prelude::*;

/// Cases per property: keeps the debug test run to a few seconds.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

/// Every projection of the central forecast: mitigated, unmitigated, each mitigation off alone.
fn all_projections(f: &Forecast) -> impl Iterator<Item = &Projection> {
    std::iter::once(&f.mitigated)
        .chain(std::iter::once(&f.unmitigated))
        .chain(&f.without_each)
}

/// `hi >= lo` allowing for rounding relative to their size.
fn at_least(hi: f64, lo: f64) -> bool {
    hi >= lo - 1e-9 * (1.0 + hi.abs().max(lo.abs()))
}

/// A spec in which switching a cost-free mitigation on can only help (see property (d)):
/// net-growth provisions sharing the scenario-wide growth, unit costs rising with the index and
/// no real-terms drift (so the order holds every year), overflow only into a later, dearer
/// provision, placement shifts only from a dearer provision into a cheaper one without a
/// capacity, growth reductions and savings for every provision, no costs, no movers, and no
/// deferred instalments together with a write-off (an instalment received earlier would lower
/// the deficit a later write-off measures: see mechanisms.rs). Mitigations that move plans
/// compete for them (the first in the file takes them, so a second shift out of the same
/// provision, or places added upstream of a shift, can leave plans where they cost more): a
/// spec has one placement shift or capacity additions, not both.
fn helpful_spec() -> impl Strategy<Value = Spec> {
    spec().prop_map(|mut s| {
        let mut costs: Vec<f64> = s.provisions.iter().map(|p| p.unit_cost).collect();
        costs.sort_by(f64::total_cmp);
        for (p, c) in s.provisions.iter_mut().zip(costs) {
            p.unit_cost = c;
            p.growth = None;
            p.drift = 0.0;
            p.flows = None;
        }
        s.movers.clear();
        // Staff cost money and, feeding the flow model, raise spend: not a "helpful" mitigation.
        s.assessments = None;
        s.staffing.clear();
        if s.write_off.is_some() {
            s.defer = false;
        }
        let n = s.provisions.len();
        let no_capacity: Vec<usize> = (0..n)
            .filter(|&k| s.provisions[k].capacity.is_none() || k + 1 == n)
            .collect();
        let any_capacity = (0..n).any(|k| s.provisions[k].capacity.is_some() && k + 1 < n);
        // Mitigations that move plans compete for them: one shift, or capacity additions only.
        let first_mover = s
            .mitigations
            .iter()
            .map(|m| m.kind % 4)
            .find(|&k| k == 1 || k == 2);
        let mut shifts = 0;
        for m in &mut s.mitigations {
            m.one_off = 0.0;
            m.yearly = 0.0;
            match m.kind % 4 {
                2 if any_capacity && first_mover == Some(2) => {}
                1 if n >= 2 && first_mover == Some(1) && shifts == 0 => {
                    shifts += 1;
                    // From a dearer provision into a cheaper one that has no capacity.
                    let to = no_capacity[m.b % no_capacity.len()];
                    if to + 1 < n {
                        let from = to + 1 + m.a % (n - to - 1);
                        // to_toml writes to = (from + 1 + b % (n - 1)) % n, so b must be
                        // (to - from - 1) mod n = to + n - from - 1, which is below n - 1.
                        m.a = from;
                        m.b = to + n - from - 1;
                    } else {
                        m.kind = 3;
                        m.a = n;
                    }
                }
                // Growth reductions and savings apply to every provision; a plan-moving
                // mitigation that is not allowed becomes a saving.
                k => {
                    if k == 1 || k == 2 {
                        m.kind = 3;
                    }
                    m.a = n;
                }
            }
        }
        s
    })
}

/// Property (b) for one spec: more demand (growth or opening plans) never lowers spend.
fn more_demand_check(
    spec: &Spec,
    extra_growth: f64,
    which: usize,
    extra_plans: f64,
    raise_growth: bool,
) -> Result<(), TestCaseError> {
    let mut more = spec.clone();
    if raise_growth {
        for g in &mut more.growth {
            *g += extra_growth;
        }
    } else {
        let n = more.provisions.len();
        more.provisions[which % n].caseload += extra_plans;
    }
    let (lo_text, hi_text) = (spec.to_toml(), more.to_toml());
    let lo = Forecast::central(&scenario(&lo_text));
    let hi = Forecast::central(&scenario(&hi_text));
    for (a, b) in all_projections(&hi).zip(all_projections(&lo)) {
        for t in 1..=spec.horizon {
            for series in [
                Series::SpendTotal,
                Series::SpendPlacements,
                Series::CaseloadTotal,
            ] {
                prop_assert!(
                    at_least(a.get(series, t), b.get(series, t)),
                    "{series:?} fell in year {t}: {} -> {}\n--- less demand ---\n{lo_text}",
                    b.get(series, t),
                    a.get(series, t)
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// (a) B[t] = B[t-1] + I + A + C + W + central and I = F + T + income - S + blocks, with the
    /// sub-totals adding up, in every year of every projection.
    #[test]
    fn balance_identities_hold(spec in spec()) {
        let text = spec.to_toml();
        let s = scenario(&text);
        let f = Forecast::central(&s);
        for p in all_projections(&f) {
            if let Err(e) = check_identities(&s, p) {
                prop_assert!(false, "{e}\n{text}");
            }
        }
    }

    /// (b) Raising the scenario-wide demand growth, or one provision's opening caseload, never
    /// lowers high-needs spend in any year, with or without the mitigations. Growth reductions
    /// are kept small enough (at most 4 x 0.12 points) that no provision's net growth factor
    /// `1 + g - m` goes below zero: see `more_demand_never_lowers_spend_even_in_a_steep_fall`.
    #[test]
    fn more_demand_never_lowers_spend(
        spec in spec(),
        extra_growth in 0.0..0.2f64,
        which in 0usize..4,
        extra_plans in 0.0..2000.0f64,
        raise_growth in any::<bool>(),
    ) {
        let mut spec = spec;
        for m in &mut spec.mitigations {
            if m.kind % 4 == 0 {
                m.effect *= 0.12;
            }
        }
        more_demand_check(&spec, extra_growth, which, extra_plans, raise_growth)?;
    }

    /// (b) without the limit on growth reductions.
    #[test]
    fn more_demand_never_lowers_spend_even_in_a_steep_fall(
        spec in spec(),
        extra_growth in 0.0..0.2f64,
        which in 0usize..4,
        extra_plans in 0.0..2000.0f64,
        raise_growth in any::<bool>(),
    ) {
        more_demand_check(&spec, extra_growth, which, extra_plans, raise_growth)?;
    }

    /// (c) No caseload, and no number of new plans, is ever negative.
    #[test]
    fn no_caseload_is_ever_negative(spec in spec()) {
        let text = spec.to_toml();
        let s = scenario(&text);
        let f = Forecast::central(&s);
        for p in all_projections(&f) {
            for t in 1..=s.horizon() {
                for k in 0..s.provisions().len() {
                    let n = p.get(Series::Caseload(k), t);
                    prop_assert!(n >= 0.0, "caseload {k} in year {t} is {n}\n{text}");
                }
                prop_assert!(p.get(Series::Joiners, t) >= 0.0);
                prop_assert!(p.get(Series::CaseloadTotal, t) >= 0.0);
            }
        }
    }

    /// (d) Switching on a mitigation that costs nothing never makes the cumulative balance worse
    /// (each mitigation against the forecast without it, and all of them against none).
    #[test]
    fn a_cost_free_mitigation_never_worsens_the_balance(spec in helpful_spec()) {
        let text = spec.to_toml();
        let s = scenario(&text);
        let f = Forecast::central(&s);
        for t in 1..=s.horizon() {
            let with = f.mitigated.get(Series::Cumulative, t);
            for (i, without) in f.without_each.iter().enumerate() {
                let b = without.get(Series::Cumulative, t);
                prop_assert!(
                    at_least(with, b),
                    "mitigation {i} worsens the balance in year {t}: {b} -> {with}\n{text}"
                );
                prop_assert!(at_least(f.impact(i)[t - 1], 0.0));
            }
            let none = f.unmitigated.get(Series::Cumulative, t);
            prop_assert!(
                at_least(with, none),
                "the mitigations worsen the balance in year {t}: {none} -> {with}\n{text}"
            );
        }
    }

    /// (e) With non-negative growth, no flows and no growth reductions, total plans follow the
    /// scenario-wide growth exactly: moves, placement shifts and overflow neither create nor
    /// lose plans.
    #[test]
    fn moves_shifts_and_overflow_conserve_plans(spec in spec()) {
        let mut spec = spec;
        for g in &mut spec.growth {
            *g = g.abs();
        }
        for p in &mut spec.provisions {
            p.flows = None;
            p.growth = None;
        }
        for m in &mut spec.mitigations {
            if m.kind % 4 == 0 {
                m.kind = 3;
            }
        }
        let text = spec.to_toml();
        let s = scenario(&text);
        let f = Forecast::central(&s);
        for p in all_projections(&f) {
            let mut expected = p.opening_caseload;
            for t in 1..=s.horizon() {
                expected *= 1.0 + spec.growth_at(t);
                let total = p.get(Series::CaseloadTotal, t);
                prop_assert!(
                    (total - expected).abs() <= 1e-9 * (1.0 + expected),
                    "year {t}: {total} plans, expected {expected}\n{text}"
                );
            }
        }
    }
}
