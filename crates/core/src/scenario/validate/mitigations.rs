//! Mitigations: what each changes, when, how surely, and at what cost (docs/model.md section 6).

use crate::input::{Field, InputUnit, Owner};
use crate::raw::{KindName, RawMitigation, RawScenario, Word};
use crate::scenario::MAX_HORIZON;
use crate::scenario::MAX_MITIGATIONS;
use crate::scenario::types::{
    ChargedTo, DemandModel, Mitigation, MitigationKind, Provision, Scope,
};

use super::Builder;
use super::inputs::{FRACTION, NON_NEGATIVE, Rule, entry};

impl Builder {
    /// Every mitigation; those naming an unknown provision (reported) are left out.
    pub(super) fn mitigations(
        &mut self,
        raw: &RawScenario,
        names: &[String],
        provisions: &[Provision],
    ) -> Vec<Mitigation> {
        if raw.mitigations.len() > MAX_MITIGATIONS {
            self.problem(
                "mitigations",
                format!("at most {MAX_MITIGATIONS} mitigations are supported"),
            );
        }
        self.unique_names(
            "mitigations",
            raw.mitigations.iter().map(|m| m.name.as_str()),
        );
        raw.mitigations
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                self.mitigation(i, m, names, provisions, raw.assessments.is_some())
            })
            .collect()
    }

    /// Mitigation `i`: its kind, the terms it is delivered on, its effect and costs, and for a
    /// staffing mitigation its team; `None` when its kind could not be resolved.
    fn mitigation(
        &mut self,
        i: usize,
        m: &RawMitigation,
        names: &[String],
        provisions: &[Provision],
        pipeline: bool,
    ) -> Option<Mitigation> {
        let key = format!("mitigations[{i}]");
        let (kind, effect_rule, effect_unit) =
            self.mitigation_kind(&key, m, names, provisions, pipeline);
        let (ramp_years, charged_to) = self.mitigation_terms(&key, m);
        let start = self.projection_year(&format!("{key}.start"), &m.start);
        let at = |field| entry(Owner::Mitigation(i), &m.name, field);
        let mitigation = Mitigation {
            name: m.name.clone(),
            description: m.description.clone().unwrap_or_default(),
            // Replaced below; a mitigation whose kind could not be resolved is not kept.
            kind: MitigationKind::GrowthReduction(Scope::All),
            effect: self.scalar(
                at(Field::Effect).with_unit(effect_unit),
                &m.effect,
                effect_rule,
            ),
            start,
            ramp_years,
            delivery: self.scalar_or(at(Field::Delivery), m.delivery.as_ref(), 1.0, FRACTION),
            slippage: self.scalar_or(
                at(Field::SlippageYears),
                m.slippage_years.as_ref(),
                0.0,
                Rule::Within(0.0, MAX_HORIZON as f64),
            ),
            one_off_cost: self.scalar_or(
                at(Field::OneOffCost),
                m.one_off_cost.as_ref(),
                0.0,
                NON_NEGATIVE,
            ),
            yearly_cost: self.scalar_or(
                at(Field::YearlyCost),
                m.yearly_cost.as_ref(),
                0.0,
                NON_NEGATIVE,
            ),
            charged_to,
        };
        // docs/model.md section 9: the staffing's cost per FTE is read after every other input of
        // the mitigation, so that the other kinds keep their places in the parameter table.
        let kind = match kind {
            Some(MitigationKind::Staffing { .. }) => Some(self.staffing_team(i, m, start)),
            other => other,
        };
        kind.map(|kind| Mitigation { kind, ..mitigation })
    }

    /// What a mitigation changes, the values its effect may take and the effect's unit. The kind
    /// is `None` when it names an unknown provision or is not a known kind (both reported).
    fn mitigation_kind(
        &mut self,
        key: &str,
        m: &RawMitigation,
        names: &[String],
        provisions: &[Provision],
        pipeline: bool,
    ) -> (Option<MitigationKind>, Rule, InputUnit) {
        let word = match &m.kind {
            Word::Known(kind) => kind.word(),
            Word::Unknown(_) => "",
        };
        let need = |b: &mut Builder, field: &str, value: &Option<String>| -> Option<usize> {
            match value {
                Some(name) => b.provision_ref(&format!("{key}.{field}"), name, names),
                None => {
                    b.problem(key, format!("a {word} mitigation needs `{field}`"));
                    None
                }
            }
        };
        match &m.kind {
            Word::Known(KindName::GrowthReduction) => {
                let scope = self.scope(&format!("{key}.provision"), m.provision.as_deref(), names);
                if let Scope::One(p) = scope
                    && matches!(
                        provisions.get(p).map(|p| &p.demand),
                        Some(DemandModel::Flows { .. })
                    )
                {
                    self.problem(
                        format!("{key}.provision"),
                        "a growth reduction on one flow-model provision is not defined; use `provision = \"all\"` to slow the growth of new plans",
                    );
                }
                let kind = MitigationKind::GrowthReduction(scope);
                (Some(kind), FRACTION, InputUnit::Share)
            }
            Word::Known(KindName::PlacementShift) => {
                let from = need(self, "from", &m.from);
                let to = need(self, "to", &m.to);
                if from.is_some() && from == to {
                    self.problem(
                        format!("{key}.to"),
                        "a placement shift must move plans between two different provisions",
                    );
                }
                // A mitigation naming an unknown provision (reported above) is not kept.
                let kind = from
                    .zip(to)
                    .map(|(from, to)| MitigationKind::PlacementShift { from, to });
                (kind, NON_NEGATIVE, InputUnit::Count)
            }
            Word::Known(KindName::CapacityAdded) => {
                let p = need(self, "provision", &m.provision);
                if p.and_then(|p| provisions.get(p))
                    .is_some_and(|p| p.capacity.is_none())
                {
                    self.problem(
                        format!("{key}.provision"),
                        "capacity can only be added to a provision that has a `capacity`",
                    );
                }
                let kind = p.map(MitigationKind::CapacityAdded);
                (kind, NON_NEGATIVE, InputUnit::Count)
            }
            Word::Known(KindName::UnitCostSaving) => {
                let scope = self.scope(&format!("{key}.provision"), m.provision.as_deref(), names);
                let kind = MitigationKind::UnitCostSaving(scope);
                (Some(kind), FRACTION, InputUnit::Share)
            }
            Word::Known(KindName::Staffing) => {
                if m.provision.is_some() {
                    self.problem(
                        format!("{key}.provision"),
                        "a staffing mitigation adds case officers to the assessment pipeline; it takes no `provision`",
                    );
                }
                if !pipeline {
                    self.problem(
                        format!("{key}.kind"),
                        "a staffing mitigation adds case officers to the assessment pipeline: the scenario needs an [assessments] section",
                    );
                }
                // Completed by `staffing_team`, once its cost per FTE is read.
                let kind = MitigationKind::Staffing {
                    cost_per_fte: self.params.id(0),
                    until: 0,
                };
                (Some(kind), NON_NEGATIVE, InputUnit::Fte)
            }
            Word::Known(KindName::Process) => {
                if m.provision.is_some() {
                    self.problem(
                        format!("{key}.provision"),
                        "a process mitigation raises the share of plans issued within 20 weeks; it takes no `provision`",
                    );
                }
                if !pipeline {
                    self.problem(
                        format!("{key}.kind"),
                        "a process mitigation raises the share of plans issued within 20 weeks: the scenario needs an [assessments] section",
                    );
                }
                (Some(MitigationKind::Process), FRACTION, InputUnit::Share)
            }
            Word::Unknown(other) => {
                self.problem(
                    format!("{key}.kind"),
                    format!("`{other}` is not a mitigation kind; use growth_reduction, placement_shift, capacity_added, unit_cost_saving, staffing or process"),
                );
                (None, Rule::Any, InputUnit::Number)
            }
        }
    }

    /// The terms a mitigation is delivered on: the keys its kind takes, its ramp (years, at
    /// least 1) and who pays its costs.
    fn mitigation_terms(&mut self, key: &str, m: &RawMitigation) -> (f64, ChargedTo) {
        let shift = m.kind == Word::Known(KindName::PlacementShift);
        if shift && m.provision.is_some() {
            self.problem(
                format!("{key}.provision"),
                "a placement shift names `from` and `to`, not `provision`",
            );
        }
        if !shift && (m.from.is_some() || m.to.is_some()) {
            self.problem(key, "only a placement shift takes `from` and `to`");
        }
        let ramp_years = m.ramp_years.unwrap_or(1.0);
        if !(0.0..=MAX_HORIZON as f64).contains(&ramp_years) {
            self.problem(
                format!("{key}.ramp_years"),
                format!("must be from 0 to {MAX_HORIZON} years (got {ramp_years})"),
            );
        }
        let charged_to = match m
            .costs_charged_to
            .clone()
            .unwrap_or(Word::Known(ChargedTo::Dsg))
        {
            Word::Known(charged_to) => charged_to,
            Word::Unknown(other) => {
                self.problem(
                    format!("{key}.costs_charged_to"),
                    format!("`{other}` is not allowed; use \"dsg\" or \"general_fund\""),
                );
                ChargedTo::Dsg
            }
        };
        let staffing = m.kind == Word::Known(KindName::Staffing);
        for (field, present) in [
            ("cost_per_fte", m.cost_per_fte.is_some()),
            ("end", m.end.is_some()),
        ] {
            if present && !staffing {
                self.problem(
                    format!("{key}.{field}"),
                    format!("only a staffing mitigation takes `{field}`"),
                );
            }
        }
        (ramp_years.max(1.0), charged_to)
    }

    /// A staffing mitigation's team (mitigation `i`, starting in projection year `start`): its
    /// cost per FTE and the last year it is in post.
    fn staffing_team(&mut self, i: usize, m: &RawMitigation, start: usize) -> MitigationKind {
        let key = format!("mitigations[{i}]");
        let cost_per_fte = self.scalar_or(
            entry(Owner::Mitigation(i), &m.name, Field::CostPerFte),
            m.cost_per_fte.as_ref(),
            0.0,
            NON_NEGATIVE,
        );
        let until = match &m.end {
            Some(end) => {
                let until = self.projection_year(&format!("{key}.end"), end);
                if until < start {
                    self.problem(
                        format!("{key}.end"),
                        format!("the team cannot end before it starts ({})", m.start),
                    );
                }
                until
            }
            None => self.horizon,
        };
        MitigationKind::Staffing {
            cost_per_fte,
            until,
        }
    }
}
