//! Demand: provisions, their caseload models and capacity, new plans and movers.

use crate::input::{Field, Owner};
use crate::params::{ParamId, Slot};
use crate::raw::{ModelName, RawProvision, RawScenario, Word};
use crate::scenario::types::{DemandModel, Joiners, Mover, Provision};
use crate::series::Series;

use super::Builder;
use super::inputs::{FRACTION, Fallback, NON_NEGATIVE, Rule, entry, wide};

/// The demand side of a scenario, validated.
pub(super) struct Demand {
    pub growth: ParamId,
    pub cost_inflation: ParamId,
    pub provisions: Vec<Provision>,
    pub joiners: Option<Joiners>,
    pub movers: Vec<Mover>,
    pub capacity_order: Vec<usize>,
}

/// What the flow-model provisions say about new plans, gathered while reading them.
#[derive(Default)]
struct Flows {
    /// Some provision uses the flow model.
    any: bool,
    /// The sum of their `joiner_share`.
    share_sum: f64,
}

impl Builder {
    /// Demand: the scenario-wide growth and inflation, provisions, new plans and movers
    /// (docs/model.md sections 2 and 3).
    pub(super) fn demand(&mut self, raw: &RawScenario) -> Demand {
        let demand = raw.demand.as_ref();
        let demand_growth = self.yearly(
            wide(Owner::Demand, Field::Growth),
            demand.and_then(|d| d.growth.as_ref()),
            Fallback::Value(self.policy.demand_growth),
            Rule::Rate,
        );
        let cost_inflation = self.yearly(
            wide(Owner::Cost, Field::Inflation),
            raw.cost.as_ref().and_then(|c| c.inflation.as_ref()),
            Fallback::Value(0.0),
            Rule::Rate,
        );
        self.provision_names(raw);
        let names: Vec<String> = raw.provisions.iter().map(|p| p.name.clone()).collect();
        let mut flows = Flows::default();
        let provisions: Vec<Provision> = raw
            .provisions
            .iter()
            .enumerate()
            .map(|(i, p)| self.provision(i, p, demand_growth, &names, &mut flows))
            .collect();
        let joiners = self.joiners(raw, &flows, demand_growth);
        let capacity_order = self.capacity_order(&provisions);
        let movers = self.movers(raw, &names, &provisions);
        self.check_outflows(&provisions, &movers);

        Demand {
            growth: demand_growth,
            cost_inflation,
            provisions,
            joiners,
            movers,
            capacity_order,
        }
    }

    /// At least one provision, each with a unique name that no series or mitigation reserves.
    fn provision_names(&mut self, raw: &RawScenario) {
        if raw.provisions.is_empty() {
            self.problem("provisions", "a scenario needs at least one provision");
        }
        self.unique_names("provisions", raw.provisions.iter().map(|p| p.name.as_str()));
        for (i, p) in raw.provisions.iter().enumerate() {
            if p.name == "all" {
                self.problem(
                    format!("provisions[{i}].name"),
                    "`all` is reserved (a mitigation on `all` means every provision); choose another name",
                );
            } else if Series::clashes_with_provision(&p.name) {
                self.problem(
                    format!("provisions[{i}].name"),
                    format!(
                        "`{}` is reserved: the results already have a series called caseload.{0} or spend.{0} for all provisions together; choose another name",
                        p.name
                    ),
                );
            }
        }
    }

    /// Provision `i`: its opening caseload and unit cost, drift, demand model, capacity and
    /// overflow.
    fn provision(
        &mut self,
        i: usize,
        p: &RawProvision,
        demand_growth: ParamId,
        names: &[String],
        flows: &mut Flows,
    ) -> Provision {
        let key = format!("provisions[{i}]");
        let label = p.label.clone().unwrap_or_else(|| p.name.replace('_', " "));
        let at = |field| entry(Owner::Provision(i), &label, field);
        let caseload = self.scalar(at(Field::Caseload), &p.caseload, NON_NEGATIVE);
        let unit_cost = self.scalar(at(Field::UnitCost), &p.unit_cost, NON_NEGATIVE);
        let drift = self.yearly(
            at(Field::Drift),
            p.drift.as_ref(),
            Fallback::Value(0.0),
            Rule::Rate,
        );
        let demand = self.demand_model(i, p, &label, demand_growth, flows);
        let capacity = p.capacity.as_ref().map(|c| {
            self.yearly(
                at(Field::Capacity),
                Some(c),
                Fallback::EveryYear,
                NON_NEGATIVE,
            )
        });
        let overflow = p
            .overflow
            .as_deref()
            .and_then(|o| self.provision_ref(&format!("{key}.overflow"), o, names));
        if p.overflow.is_some() && capacity.is_none() {
            self.problem(
                format!("{key}.overflow"),
                "an overflow needs a `capacity` to overflow from",
            );
        }
        if capacity.is_some() && p.overflow.is_none() {
            self.problem(
                format!("{key}.capacity"),
                "say where plans above capacity go with `overflow = \"<provision>\"`",
            );
        }
        if overflow == Some(i) {
            self.problem(
                format!("{key}.overflow"),
                "a provision cannot overflow into itself",
            );
        }
        Provision {
            name: p.name.clone(),
            label,
            caseload,
            unit_cost,
            demand,
            drift,
            capacity,
            overflow,
        }
    }

    /// How provision `i` (labelled `label`) grows: its own net growth (or the scenario's), or
    /// joiners and leavers.
    fn demand_model(
        &mut self,
        i: usize,
        p: &RawProvision,
        label: &str,
        demand_growth: ParamId,
        flows: &mut Flows,
    ) -> DemandModel {
        let key = format!("provisions[{i}]");
        let at = |field| entry(Owner::Provision(i), label, field);
        let model = p
            .model
            .clone()
            .unwrap_or(Word::Known(if p.joiner_share.is_some() {
                ModelName::Flows
            } else {
                ModelName::NetGrowth
            }));
        match model {
            Word::Known(ModelName::NetGrowth) => {
                for (field, present) in [
                    ("joiner_share", p.joiner_share.is_some()),
                    ("leaver_rate", p.leaver_rate.is_some()),
                ] {
                    if present {
                        self.problem(
                            format!("{key}.{field}"),
                            format!("`{field}` belongs to the flow model; set `model = \"flows\"`"),
                        );
                    }
                }
                DemandModel::NetGrowth {
                    growth: self.yearly(
                        at(Field::Growth),
                        p.growth.as_ref(),
                        Fallback::SameAs(demand_growth),
                        Rule::Rate,
                    ),
                }
            }
            Word::Known(ModelName::Flows) => {
                flows.any = true;
                if p.growth.is_some() {
                    self.problem(
                        format!("{key}.growth"),
                        "a flow-model provision grows through joiners and leavers, not `growth`",
                    );
                }
                let share = p.joiner_share.unwrap_or(0.0);
                if !(0.0..=1.0).contains(&share) || !share.is_finite() {
                    self.problem(
                        format!("{key}.joiner_share"),
                        format!("must be between 0 and 1 (got {share})"),
                    );
                }
                flows.share_sum += share;
                DemandModel::Flows {
                    joiner_share: share,
                    leaver_rate: self.yearly(
                        at(Field::LeaverRate),
                        p.leaver_rate.as_ref(),
                        Fallback::Value(0.0),
                        FRACTION,
                    ),
                }
            }
            Word::Unknown(other) => {
                self.problem(
                    format!("{key}.model"),
                    format!("`{other}` is not a demand model; use \"net_growth\" or \"flows\""),
                );
                DemandModel::NetGrowth {
                    growth: demand_growth,
                }
            }
        }
    }

    /// New plans of the flow model: `[demand.joiners]`, or the plans issued by the assessment
    /// pipeline.
    fn joiners(
        &mut self,
        raw: &RawScenario,
        flows: &Flows,
        demand_growth: ParamId,
    ) -> Option<Joiners> {
        // docs/model.md section 9: new plans may come from the assessment pipeline instead.
        let from_plans = raw
            .assessments
            .as_ref()
            .is_some_and(|a| a.joiners_from_plans_issued == Some(true));
        let share_sum = flows.share_sum;
        let shares = |b: &mut Builder| {
            if (share_sum - 1.0).abs() > 1e-9 {
                b.problem("provisions", format!("the `joiner_share` of the flow-model provisions must sum to 1 (they sum to {share_sum:.6})"));
            }
        };
        match (
            raw.demand.as_ref().and_then(|d| d.joiners.as_ref()),
            flows.any,
        ) {
            (Some(_), true) if from_plans => {
                self.problem(
                    "demand.joiners",
                    "new plans come from the plans issued (`joiners_from_plans_issued = true` in [assessments]); remove [demand.joiners]",
                );
                None
            }
            (None, true) if from_plans => {
                shares(self);
                None
            }
            (Some(j), true) => {
                shares(self);
                Some(Joiners {
                    opening: self.scalar(
                        wide(Owner::Joiners, Field::Opening),
                        &j.opening,
                        NON_NEGATIVE,
                    ),
                    growth: self.yearly(
                        wide(Owner::Joiners, Field::Growth),
                        j.growth.as_ref(),
                        Fallback::SameAs(demand_growth),
                        Rule::Rate,
                    ),
                })
            }
            (None, true) => {
                self.problem("demand", "flow-model provisions need `[demand.joiners]` with the `opening` number of new plans a year");
                None
            }
            (Some(_), false) => {
                self.problem(
                    "demand.joiners",
                    "joiners are only used by provisions with `model = \"flows\"`",
                );
                None
            }
            (None, false) => None,
        }
    }

    /// Moves between provisions; a move naming an unknown provision is reported and left out.
    fn movers(
        &mut self,
        raw: &RawScenario,
        names: &[String],
        provisions: &[Provision],
    ) -> Vec<Mover> {
        let mut movers = Vec::new();
        for (i, m) in raw.movers.iter().enumerate() {
            let key = format!("movers[{i}]");
            let from = self.provision_ref(&format!("{key}.from"), &m.from, names);
            let to = self.provision_ref(&format!("{key}.to"), &m.to, names);
            if from.is_some() && from == to {
                self.problem(&key, "a move must be between two different provisions");
            }
            let label = |p: Option<usize>| {
                p.and_then(|p| provisions.get(p))
                    .map_or("?", |p| p.label.as_str())
            };
            let name = format!("{} to {}", label(from), label(to));
            let rate = self.yearly(
                entry(Owner::Mover(i), &name, Field::Rate),
                Some(&m.rate),
                Fallback::Value(0.0),
                FRACTION,
            );
            if let (Some(from), Some(to)) = (from, to) {
                movers.push(Mover { from, to, rate });
            }
        }
        movers
    }

    /// Orders provisions so that each comes before the one it overflows into; a cycle is an error.
    fn capacity_order(&mut self, provisions: &[Provision]) -> Vec<usize> {
        let n = provisions.len();
        let mut order = Vec::with_capacity(n);
        let mut state = vec![0u8; n]; // 0 new, 1 visiting, 2 done
        fn visit(i: usize, p: &[Provision], state: &mut [u8], order: &mut Vec<usize>) -> bool {
            match state[i] {
                2 => return true,
                1 => return false,
                _ => {}
            }
            state[i] = 1;
            if let Some(j) = p[i].overflow
                && j < p.len()
                && j != i
                && !visit(j, p, state, order)
            {
                return false;
            }
            state[i] = 2;
            order.push(i);
            true
        }
        for i in 0..n {
            if !visit(i, provisions, &mut state, &mut order) {
                self.problem(
                    format!("provisions[{i}].overflow"),
                    "overflows go round in a circle; plans would have nowhere to go",
                );
                return (0..n).collect();
            }
        }
        // `visit` pushes a target before its sources; capacity is applied sources first.
        order.reverse();
        order
    }

    fn check_outflows(&mut self, provisions: &[Provision], movers: &[Mover]) {
        for (i, p) in provisions.iter().enumerate() {
            let max_of = |b: &Builder, id: ParamId| -> f64 {
                b.params.specs()[id.index()]
                    .slots
                    .iter()
                    .map(|s| match s {
                        Slot::Own(d) => d.support().1,
                        Slot::Shared { .. } => 0.0,
                    })
                    .fold(0.0, f64::max)
            };
            let mut out = match p.demand {
                DemandModel::Flows { leaver_rate, .. } => max_of(self, leaver_rate),
                DemandModel::NetGrowth { .. } => 0.0,
            };
            for m in movers.iter().filter(|m| m.from == i) {
                out += max_of(self, m.rate);
            }
            if out > 1.0 + 1e-12 {
                self.problem(
                    format!("provisions[{i}]"),
                    format!("leavers and movers out of `{}` can exceed its whole caseload (rates add up to {out})", p.name),
                );
            }
        }
    }
}
