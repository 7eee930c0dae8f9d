//! Property tests of the deterministic projection on randomly generated scenarios (written as
//! TOML text, so the whole path from file to numbers is exercised):
//!
//! - (a) the balance identities of MODEL.md section 5 hold in every year;
//! - (b) more demand never lowers spend;
//! - (c) no caseload is ever negative;
//! - (d) a mitigation with no costs never makes the cumulative balance worse;
//! - (e) moves, placement shifts and overflow conserve plans.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fmt::Write as _;

use common::{check_identities, scenario};
use dsg_core::{Forecast, Projection, Series};
use proptest::prelude::*;

/// Longest horizon generated.
const MAX_H: usize = 8;

/// Cases per property: keeps the debug test run to a few seconds.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

/// Financial year of projection year `t` (base year 2025-26).
fn year(t: usize) -> String {
    let start = 2025 + t;
    format!("{start}-{:02}", (start + 1) % 100)
}

/// A yearly input written as a table listing every projected year.
fn per_year(values: &[f64], horizon: usize) -> String {
    let cells: Vec<String> = (1..=horizon)
        .map(|t| format!("\"{}\" = {:?}", year(t), values[t - 1]))
        .collect();
    format!("{{ {} }}", cells.join(", "))
}

#[derive(Debug, Clone)]
struct Prov {
    caseload: f64,
    unit_cost: f64,
    growth: Option<f64>,
    drift: f64,
    /// Some((joiner weight, leaver rate)) for the flow model.
    flows: Option<(f64, f64)>,
    /// Some((places, which later provision it overflows into)).
    capacity: Option<(f64, usize)>,
}

#[derive(Debug, Clone)]
struct Mit {
    kind: usize,
    a: usize,
    b: usize,
    effect: f64,
    start: usize,
    ramp: f64,
    delivery: f64,
    slippage: f64,
    one_off: f64,
    yearly: f64,
    general_fund: bool,
}

#[derive(Debug, Clone)]
struct Inst {
    t: usize,
    amount: f64,
    /// Some(limit) for an in-year target, None for a cumulative one at `floor`.
    limit: Option<f64>,
    floor: f64,
}

#[derive(Debug, Clone)]
struct Spec {
    horizon: usize,
    /// false: one scenario-wide number (`growth[0]`); true: a per-year table of `growth`.
    growth_by_year: bool,
    growth: Vec<f64>,
    inflation: f64,
    provisions: Vec<Prov>,
    joiners: (f64, Option<f64>),
    movers: Vec<(usize, usize, f64)>,
    lines: Vec<(f64, f64)>,
    allocation: f64,
    funding_growth: Vec<f64>,
    transfer: Option<(f64, f64, f64, f64)>,
    income: Vec<(f64, f64)>,
    blocks: Vec<(f64, f64, f64, f64)>,
    opening: f64,
    reserves: f64,
    borrowing: f64,
    contributions: Vec<f64>,
    defer: bool,
    instalments: Vec<Inst>,
    write_off: Option<(usize, usize, f64, f64)>,
    central: Option<(usize, f64)>,
    mitigations: Vec<Mit>,
}

impl Spec {
    fn growth_at(&self, t: usize) -> f64 {
        if self.growth_by_year {
            self.growth[t - 1]
        } else {
            self.growth[0]
        }
    }

    /// The scenario as TOML text. Raw numbers that would break a validation rule are mapped
    /// into range here (year indices wrap into the horizon, mitigation kinds fall back to one
    /// that fits), so every generated spec is a valid scenario.
    fn to_toml(&self) -> String {
        let h = self.horizon;
        let n = self.provisions.len();
        let wrap = |t: usize| 1 + t % h;
        let mut s = String::new();
        writeln!(
            s,
            "[scenario]\nname = \"prop\"\nbase_year = \"2025-26\"\nhorizon_years = {h}\n"
        )
        .unwrap();
        let growth = if self.growth_by_year {
            per_year(&self.growth, h)
        } else {
            format!("{:?}", self.growth[0])
        };
        writeln!(s, "[demand]\ngrowth = {growth}\n").unwrap();
        let any_flows = self.provisions.iter().any(|p| p.flows.is_some());
        if any_flows {
            writeln!(s, "[demand.joiners]\nopening = {:?}", self.joiners.0).unwrap();
            if let Some(g) = self.joiners.1 {
                writeln!(s, "growth = {g:?}").unwrap();
            }
            writeln!(s).unwrap();
        }
        writeln!(s, "[cost]\ninflation = {:?}\n", self.inflation).unwrap();
        let weights: f64 = self
            .provisions
            .iter()
            .filter_map(|p| p.flows.map(|f| f.0))
            .sum();
        let flow_count = self.provisions.iter().filter(|p| p.flows.is_some()).count();
        for (i, p) in self.provisions.iter().enumerate() {
            writeln!(
                s,
                "[[provisions]]\nname = \"p{i}\"\ncaseload = {:?}\nunit_cost = {:?}\ndrift = {:?}",
                p.caseload, p.unit_cost, p.drift
            )
            .unwrap();
            match p.flows {
                Some((w, leave)) => {
                    let share = if weights > 0.0 {
                        w / weights
                    } else {
                        1.0 / flow_count as f64
                    };
                    writeln!(
                        s,
                        "model = \"flows\"\njoiner_share = {share:?}\nleaver_rate = {leave:?}"
                    )
                    .unwrap();
                }
                None => {
                    if let Some(g) = p.growth {
                        writeln!(s, "growth = {g:?}").unwrap();
                    }
                }
            }
            if let Some((places, to)) = p.capacity
                && i + 1 < n
            {
                let dest = i + 1 + to % (n - i - 1);
                writeln!(s, "capacity = {places:?}\noverflow = \"p{dest}\"").unwrap();
            }
            writeln!(s).unwrap();
        }
        if n >= 2 {
            for &(a, b, rate) in &self.movers {
                let from = a % n;
                let to = (from + 1 + b % (n - 1)) % n;
                writeln!(
                    s,
                    "[[movers]]\nfrom = \"p{from}\"\nto = \"p{to}\"\nrate = {rate:?}\n"
                )
                .unwrap();
            }
        }
        for (i, &(amount, g)) in self.lines.iter().enumerate() {
            writeln!(
                s,
                "[[other_lines]]\nname = \"l{i}\"\namount = {amount:?}\ngrowth = {g:?}\n"
            )
            .unwrap();
        }
        writeln!(
            s,
            "[funding]\nallocation = {:?}\ngrowth = {}\n",
            self.allocation,
            per_year(&self.funding_growth, h)
        )
        .unwrap();
        if let Some((sb, sbg, rate, p)) = self.transfer {
            writeln!(
                s,
                "[transfer]\nschools_block = {sb:?}\nschools_block_growth = {sbg:?}\nrate = {rate:?}\napproval_probability = {p:?}\n"
            )
            .unwrap();
        }
        for (i, &(amount, g)) in self.income.iter().enumerate() {
            writeln!(
                s,
                "[[other_income]]\nname = \"i{i}\"\namount = {amount:?}\ngrowth = {g:?}\n"
            )
            .unwrap();
        }
        for (i, &(f, fg, sp, sg)) in self.blocks.iter().enumerate() {
            writeln!(
                s,
                "[[other_blocks]]\nname = \"b{i}\"\nfunding = {f:?}\nfunding_growth = {fg:?}\nspend = {sp:?}\nspend_growth = {sg:?}\n"
            )
            .unwrap();
        }
        writeln!(s, "[dsg]\nopening_balance = {:?}\n", self.opening).unwrap();
        writeln!(
            s,
            "[general_fund]\nusable_reserves = {:?}\nborrowing_rate = {:?}\ncontributions = {}\n",
            self.reserves,
            self.borrowing,
            per_year(&self.contributions, h)
        )
        .unwrap();
        if !self.instalments.is_empty() {
            let on_miss = if self.defer { "defer" } else { "withhold" };
            let list: Vec<String> = self
                .instalments
                .iter()
                .map(|i| {
                    let target = match i.limit {
                        Some(x) => format!("max_in_year_deficit = {x:?}"),
                        None => format!("min_cumulative_balance = {:?}", i.floor),
                    };
                    format!(
                        "{{ year = \"{}\", amount = {:?}, {target} }}",
                        year(wrap(i.t)),
                        i.amount
                    )
                })
                .collect();
            writeln!(
                s,
                "[safety_valve]\non_miss = \"{on_miss}\"\ninstalments = [ {} ]\n",
                list.join(", ")
            )
            .unwrap();
        }
        if let Some((m, later, share, p)) = self.write_off {
            let measured = m % (h + 1);
            let paid = (measured.max(1) + later).min(h);
            writeln!(
                s,
                "[write_off]\ndeficit_at_end_of = \"{}\"\npaid_in = \"{}\"\nshare = {share:?}\nprobability = {p:?}\n",
                year(measured),
                year(paid)
            )
            .unwrap();
        }
        if let Some((from, share)) = self.central {
            writeln!(
                s,
                "[central_funding]\nfrom = \"{}\"\nshare = {share:?}\n",
                year(wrap(from))
            )
            .unwrap();
        }
        for (i, m) in self.mitigations.iter().enumerate() {
            let with_capacity: Vec<usize> = (0..n)
                .filter(|&k| self.provisions[k].capacity.is_some() && k + 1 < n)
                .collect();
            let mut kind = m.kind % 4;
            if kind == 1 && n < 2 {
                kind = 3;
            }
            if kind == 2 && with_capacity.is_empty() {
                kind = 3;
            }
            let target = |k: usize| -> String {
                if k == n {
                    "all".to_string()
                } else {
                    format!("p{k}")
                }
            };
            let body = match kind {
                0 => {
                    // A growth reduction on one flow-model provision is not defined: use all.
                    let k = m.a % (n + 1);
                    let k = if k < n && self.provisions[k].flows.is_some() {
                        n
                    } else {
                        k
                    };
                    format!(
                        "kind = \"growth_reduction\"\nprovision = \"{}\"\neffect = {:?}",
                        target(k),
                        m.effect
                    )
                }
                1 => {
                    let from = m.a % n;
                    let to = (from + 1 + m.b % (n - 1)) % n;
                    format!(
                        "kind = \"placement_shift\"\nfrom = \"p{from}\"\nto = \"p{to}\"\neffect = {:?}",
                        m.effect * 1000.0
                    )
                }
                2 => format!(
                    "kind = \"capacity_added\"\nprovision = \"p{}\"\neffect = {:?}",
                    with_capacity[m.a % with_capacity.len()],
                    m.effect * 1000.0
                ),
                _ => format!(
                    "kind = \"unit_cost_saving\"\nprovision = \"{}\"\neffect = {:?}",
                    target(m.a % (n + 1)),
                    m.effect
                ),
            };
            writeln!(
                s,
                "[[mitigations]]\nname = \"m{i}\"\n{body}\nstart = \"{}\"\nramp_years = {:?}\ndelivery = {:?}\nslippage_years = {:?}\none_off_cost = {:?}\nyearly_cost = {:?}\ncosts_charged_to = \"{}\"\n",
                year(wrap(m.start)),
                m.ramp,
                m.delivery,
                m.slippage,
                m.one_off,
                m.yearly,
                if m.general_fund { "general_fund" } else { "dsg" }
            )
            .unwrap();
        }
        s
    }
}

fn prov() -> impl Strategy<Value = Prov> {
    (
        0.0..5000.0f64,
        0.0..80000.0f64,
        prop::option::of(-0.5..0.5f64),
        -0.02..0.04f64,
        prop::option::weighted(0.4, (0.0..1.0f64, 0.0..0.3f64)),
        prop::option::of((0.0..4000.0f64, 0usize..8)),
    )
        .prop_map(
            |(caseload, unit_cost, growth, drift, flows, capacity)| Prov {
                caseload,
                unit_cost,
                growth,
                drift,
                flows,
                capacity,
            },
        )
}

fn mitigation() -> impl Strategy<Value = Mit> {
    (
        (0usize..4, 0usize..8, 0usize..8, 0.0..1.0f64),
        (0usize..MAX_H, 0.0..4.0f64, 0.0..=1.0f64, 0.0..2.5f64),
        (0.0..1e5f64, 0.0..1e5f64, any::<bool>()),
    )
        .prop_map(
            |((kind, a, b, effect), (start, ramp, delivery, slippage), (one_off, yearly, gf))| {
                Mit {
                    kind,
                    a,
                    b,
                    effect,
                    start,
                    ramp,
                    delivery,
                    slippage,
                    one_off,
                    yearly,
                    general_fund: gf,
                }
            },
        )
}

fn instalment() -> impl Strategy<Value = Inst> {
    (
        0usize..MAX_H,
        0.0..5e6f64,
        prop::option::of(0.0..3e7f64),
        -2e8..0.0f64,
    )
        .prop_map(|(t, amount, limit, floor)| Inst {
            t,
            amount,
            limit,
            floor,
        })
}

/// Any scenario the generator can write: every section, every mitigation kind.
fn spec() -> impl Strategy<Value = Spec> {
    let demand = (
        1usize..=MAX_H,
        any::<bool>(),
        prop::collection::vec(-0.3..0.4f64, MAX_H),
        0.0..0.06f64,
        prop::collection::vec(prov(), 1..=4),
        (0.0..800.0f64, prop::option::of(-0.2..0.3f64)),
        prop::collection::vec((0usize..8, 0usize..8, 0.0..0.3f64), 0..=2),
        prop::collection::vec((0.0..1e7f64, -0.05..0.1f64), 0..=2),
    );
    let funding = (
        0.0..5e8f64,
        prop::collection::vec(-0.1..0.15f64, MAX_H),
        prop::option::of((0.0..3e8f64, -0.05..0.1f64, 0.0..0.02f64, 0.0..=1.0f64)),
        prop::collection::vec((0.0..5e6f64, -0.05..0.1f64), 0..=2),
        prop::collection::vec(
            (0.0..1e8f64, -0.05..0.1f64, 0.0..1e8f64, -0.05..0.1f64),
            0..=1,
        ),
    );
    let balances = (
        -2e8..2e7f64,
        0.0..2e8f64,
        0.0..0.08f64,
        prop::collection::vec(prop_oneof![Just(0.0), 0.0..2e6f64], MAX_H),
        any::<bool>(),
        prop::collection::vec(instalment(), 0..=3),
        prop::option::of((0usize..=MAX_H, 0usize..3, 0.0..=1.0f64, 0.0..=1.0f64)),
        prop::option::of((0usize..MAX_H, 0.0..=1.0f64)),
    );
    (
        demand,
        funding,
        balances,
        prop::collection::vec(mitigation(), 0..=4),
    )
        .prop_map(
            |(
                (horizon, growth_by_year, growth, inflation, provisions, joiners, movers, lines),
                (allocation, funding_growth, transfer, income, blocks),
                (
                    opening,
                    reserves,
                    borrowing,
                    contributions,
                    defer,
                    instalments,
                    write_off,
                    central,
                ),
                mitigations,
            )| Spec {
                horizon,
                growth_by_year,
                growth,
                inflation,
                provisions,
                joiners,
                movers,
                lines,
                allocation,
                funding_growth,
                transfer,
                income,
                blocks,
                opening,
                reserves,
                borrowing,
                contributions,
                defer,
                instalments,
                write_off,
                central,
                mitigations,
            },
        )
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
            for t in 1..=s.horizon {
                for k in 0..s.provisions.len() {
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
        for t in 1..=s.horizon {
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
            for t in 1..=s.horizon {
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
