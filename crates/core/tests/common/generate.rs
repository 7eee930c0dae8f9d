//! Random scenarios for property tests, written as TOML text so that the whole path from file to
//! numbers is exercised: every section of a scenario and every mitigation kind.

use std::fmt::Write as _;

use proptest::prelude::*;

/// Longest horizon generated.
pub const MAX_H: usize = 8;

/// Financial year of projection year `t` (base year 2025-26).
pub fn year(t: usize) -> String {
    let start = 2025 + t;
    format!("{start}-{:02}", (start + 1) % 100)
}

/// A yearly input written as a table listing every projected year.
pub fn per_year(values: &[f64], horizon: usize) -> String {
    let cells: Vec<String> = (1..=horizon)
        .map(|t| format!("\"{}\" = {:?}", year(t), values[t - 1]))
        .collect();
    format!("{{ {} }}", cells.join(", "))
}

#[derive(Debug, Clone)]
pub struct Prov {
    pub caseload: f64,
    pub unit_cost: f64,
    pub growth: Option<f64>,
    pub drift: f64,
    /// Some((joiner weight, leaver rate)) for the flow model.
    pub flows: Option<(f64, f64)>,
    /// Some((places, which later provision it overflows into)).
    pub capacity: Option<(f64, usize)>,
}

#[derive(Debug, Clone)]
pub struct Mit {
    pub kind: usize,
    pub a: usize,
    pub b: usize,
    pub effect: f64,
    pub start: usize,
    pub ramp: f64,
    pub delivery: f64,
    pub slippage: f64,
    pub one_off: f64,
    pub yearly: f64,
    pub general_fund: bool,
}

#[derive(Debug, Clone)]
pub struct Inst {
    pub t: usize,
    pub amount: f64,
    /// Some(limit) for an in-year target, None for a cumulative one at `floor`.
    pub limit: Option<f64>,
    pub floor: f64,
}

/// An assessment pipeline (docs/model.md section 9).
#[derive(Debug, Clone)]
pub struct Pipe {
    pub requests: f64,
    /// None: requests grow at the demand growth.
    pub growth: Option<f64>,
    pub agreed: f64,
    pub backlog: f64,
    /// Case officers by year (FTE).
    pub officers: Vec<f64>,
    pub per_officer: f64,
    pub plan_share: f64,
    pub minimum_weeks: f64,
    /// The share within 20 weeks with no backlog, s_max (None: the default 0.65).
    pub max_within: Option<f64>,
    /// A process mitigation raising s_max: (effect in points, start, ramp years, delivery).
    pub process: Option<(f64, usize, f64, f64)>,
    /// New plans come from the plans issued (when some provision is on the flow model).
    pub feed: bool,
    /// Provisions (indices, wrapped) that are mainstream settings.
    pub mainstream: Vec<usize>,
}

/// A staffing mitigation (needs a pipeline).
#[derive(Debug, Clone)]
pub struct Staff {
    pub fte: f64,
    pub cost_per_fte: f64,
    pub start: usize,
    /// Years after the start that the team ends, if it does.
    pub lasts: Option<usize>,
    pub ramp: f64,
    pub delivery: f64,
    pub slippage: f64,
    pub one_off: f64,
    pub general_fund: bool,
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub horizon: usize,
    /// false: one scenario-wide number (`growth[0]`); true: a per-year table of `growth`.
    pub growth_by_year: bool,
    pub growth: Vec<f64>,
    pub inflation: f64,
    pub provisions: Vec<Prov>,
    pub joiners: (f64, Option<f64>),
    pub movers: Vec<(usize, usize, f64)>,
    pub lines: Vec<(f64, f64)>,
    pub allocation: f64,
    pub funding_growth: Vec<f64>,
    pub transfer: Option<(f64, f64, f64, f64)>,
    pub income: Vec<(f64, f64)>,
    /// (funding, funding growth, spend, spend growth, the block's own opening balance if stated).
    pub blocks: Vec<(f64, f64, f64, f64, Option<f64>)>,
    pub opening: f64,
    pub reserves: f64,
    pub borrowing: f64,
    pub contributions: Vec<f64>,
    pub defer: bool,
    pub instalments: Vec<Inst>,
    pub write_off: Option<(usize, usize, f64, f64)>,
    pub central: Option<(usize, f64)>,
    pub mitigations: Vec<Mit>,
    pub assessments: Option<Pipe>,
    /// Written after the other mitigations, only with a pipeline.
    pub staffing: Vec<Staff>,
}

impl Spec {
    pub fn growth_at(&self, t: usize) -> f64 {
        if self.growth_by_year {
            self.growth[t - 1]
        } else {
            self.growth[0]
        }
    }

    /// The scenario as TOML text. Raw numbers that would break a validation rule are mapped
    /// into range here (year indices wrap into the horizon, mitigation kinds fall back to one
    /// that fits), so every generated spec is a valid scenario.
    pub fn to_toml(&self) -> String {
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
        let feed = any_flows && self.assessments.as_ref().is_some_and(|a| a.feed);
        if any_flows && !feed {
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
        for (i, &(f, fg, sp, sg, opening)) in self.blocks.iter().enumerate() {
            writeln!(
                s,
                "[[other_blocks]]\nname = \"b{i}\"\nfunding = {f:?}\nfunding_growth = {fg:?}\nspend = {sp:?}\nspend_growth = {sg:?}"
            )
            .unwrap();
            if let Some(o) = opening {
                writeln!(s, "opening_balance = {o:?}").unwrap();
            }
            writeln!(s).unwrap();
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
        if let Some(a) = &self.assessments {
            writeln!(
                s,
                "[assessments]\nrequests = {:?}\nagreed_share = {:?}\nopening_backlog = {:?}\ncase_officers = {}\nassessments_per_officer = {:?}\nplan_share = {:?}\nminimum_weeks = {:?}\njoiners_from_plans_issued = {feed}",
                a.requests,
                a.agreed,
                a.backlog,
                per_year(&a.officers, h),
                a.per_officer,
                a.plan_share,
                a.minimum_weeks,
            )
            .unwrap();
            if let Some(g) = a.growth {
                writeln!(s, "requests_growth = {g:?}").unwrap();
            }
            if let Some(m) = a.max_within {
                writeln!(s, "max_within_20_weeks = {m:?}").unwrap();
            }
            let mut mainstream: Vec<usize> = a.mainstream.iter().map(|k| k % n).collect();
            mainstream.sort_unstable();
            mainstream.dedup();
            if !mainstream.is_empty() {
                let names: Vec<String> = mainstream.iter().map(|k| format!("\"p{k}\"")).collect();
                writeln!(s, "mainstream_provisions = [{}]", names.join(", ")).unwrap();
            }
            writeln!(s).unwrap();
            for (i, m) in self.staffing.iter().enumerate() {
                let start = wrap(m.start);
                writeln!(
                    s,
                    "[[mitigations]]\nname = \"staff{i}\"\nkind = \"staffing\"\neffect = {:?}\ncost_per_fte = {:?}\nstart = \"{}\"\nramp_years = {:?}\ndelivery = {:?}\nslippage_years = {:?}\none_off_cost = {:?}\ncosts_charged_to = \"{}\"",
                    m.fte,
                    m.cost_per_fte,
                    year(start),
                    m.ramp,
                    m.delivery,
                    m.slippage,
                    m.one_off,
                    if m.general_fund { "general_fund" } else { "dsg" }
                )
                .unwrap();
                if let Some(k) = m.lasts {
                    writeln!(s, "end = \"{}\"", year((start + k).min(h))).unwrap();
                }
                writeln!(s).unwrap();
            }
            if let Some((effect, start, ramp, delivery)) = a.process {
                writeln!(
                    s,
                    "[[mitigations]]\nname = \"process\"\nkind = \"process\"\neffect = {effect:?}\nstart = \"{}\"\nramp_years = {ramp:?}\ndelivery = {delivery:?}\nyearly_cost = 1000.0\n",
                    year(wrap(start)),
                )
                .unwrap();
            }
        }
        s
    }
}

pub fn prov() -> impl Strategy<Value = Prov> {
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

pub fn mitigation() -> impl Strategy<Value = Mit> {
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

pub fn pipe() -> impl Strategy<Value = Pipe> {
    (
        (
            prop_oneof![Just(0.0), 0.0..3000.0f64],
            prop::option::of(-0.2..0.3f64),
            0.0..=1.0f64,
            prop_oneof![Just(0.0), 0.0..2000.0f64],
        ),
        (
            prop::collection::vec(0.5..40.0f64, MAX_H),
            1.0..80.0f64,
            0.0..=1.0f64,
            prop_oneof![Just(0.0), 0.0..30.0f64],
        ),
        (any::<bool>(), prop::collection::vec(0usize..8, 0..=2)),
        (
            prop::option::of(0.0..=1.0f64),
            prop::option::of((0.0..=0.6f64, 0usize..MAX_H, 0.0..3.0f64, 0.0..=1.0f64)),
        ),
    )
        .prop_map(
            |(
                (requests, growth, agreed, backlog),
                (officers, per_officer, plan_share, minimum_weeks),
                (feed, mainstream),
                (max_within, process),
            )| Pipe {
                requests,
                growth,
                agreed,
                backlog,
                officers,
                per_officer,
                plan_share,
                minimum_weeks,
                max_within,
                process,
                feed,
                mainstream,
            },
        )
}

pub fn staff() -> impl Strategy<Value = Staff> {
    (
        (0.0..20.0f64, 0.0..80000.0f64, 0usize..MAX_H),
        (prop::option::of(0usize..3), 0.0..3.0f64, 0.0..=1.0f64),
        (0.0..1.5f64, 0.0..1e5f64, any::<bool>()),
    )
        .prop_map(
            |(
                (fte, cost_per_fte, start),
                (lasts, ramp, delivery),
                (slippage, one_off, general_fund),
            )| Staff {
                fte,
                cost_per_fte,
                start,
                lasts,
                ramp,
                delivery,
                slippage,
                one_off,
                general_fund,
            },
        )
}

pub fn instalment() -> impl Strategy<Value = Inst> {
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
pub fn spec() -> impl Strategy<Value = Spec> {
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
            (
                0.0..1e8f64,
                -0.05..0.1f64,
                0.0..1e8f64,
                -0.05..0.1f64,
                prop::option::of(-5e7..2e7f64),
            ),
            0..=2,
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
        (
            prop::option::weighted(0.5, pipe()),
            prop::collection::vec(staff(), 0..=2),
        ),
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
                (assessments, staffing),
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
                staffing: if assessments.is_some() {
                    staffing
                } else {
                    Vec::new()
                },
                assessments,
            },
        )
}
