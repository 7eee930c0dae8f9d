//! Validation: the raw scenario checked and resolved area by area into a [`Scenario`]. Every
//! problem found is recorded with its key path; nothing stops at the first.
//!
//! The areas are read in a fixed order (demand, other lines, funding, receipts, mitigations, the
//! assessment pipeline, correlations, calibration), because each numeric input takes the next
//! place in the parameter table, and the Monte Carlo engine's streams follow that order:
//! reordering them would change seeded results.

mod ages;
mod assessments;
mod budget;
mod calibration;
mod correlations;
mod demand;
mod funding;
mod inputs;
mod mitigations;
mod options;
mod receipts;
mod reform;

use crate::error::Problem;
use crate::input::{Field, Owner};
use crate::params::ParamTable;
use crate::policy::{
    PolicyCentralFunding, PolicyReform, PolicySet, PolicySpendingReview, PolicyWriteOff,
};
use crate::raw::RawScenario;
use crate::scenario::MAX_HORIZON;
use crate::scenario::types::{Scenario, Scope};
use crate::year::FinancialYear;

/// The national values a scenario inherits where it does not say: from the policy set it names
/// (with its `[policy]` overrides), or, when it names none, only the standing rules of
/// [`STANDING_RULES`] and no national events.
pub(super) struct PolicyValues {
    /// The set's name, or `none`.
    pub name: String,
    /// The resolved set, when the scenario names one.
    pub set: Option<PolicySet>,
    pub demand_growth: f64,
    pub funding_growth: f64,
    pub forum_transfer_limit: f64,
    pub override_ends: FinancialYear,
    /// Funding growth fixed nationally for named years (the 2026-27 rollover).
    pub funding_years: Vec<(FinancialYear, f64)>,
    pub write_off: Option<PolicyWriteOff>,
    pub central_funding: Option<PolicyCentralFunding>,
    /// The reform at phase transfer (docs/model.md section 14).
    pub reform: Option<PolicyReform>,
    /// The spending review setting budgets from a year, with its range of funding growth.
    pub spending_review: Option<PolicySpendingReview>,
}

/// The set whose standing rules (forum transfer limit, end of the override, default growths) a
/// scenario naming no policy set inherits.
pub const STANDING_RULES: &str = crate::policy::DEFAULT_POLICY;

impl PolicyValues {
    fn empty() -> Self {
        PolicyValues {
            name: String::new(),
            set: None,
            demand_growth: 0.0,
            funding_growth: 0.0,
            forum_transfer_limit: 0.0,
            override_ends: FinancialYear::new(2025).unwrap_or_else(|| unreachable!()),
            funding_years: Vec::new(),
            write_off: None,
            central_funding: None,
            reform: None,
            spending_review: None,
        }
    }

    fn from_set(set: &PolicySet, named: bool) -> Self {
        PolicyValues {
            name: if named {
                set.name().to_string()
            } else {
                "none".to_string()
            },
            demand_growth: set.default_demand_growth(),
            funding_growth: set.default_funding_growth(),
            forum_transfer_limit: set.forum_transfer_limit(),
            override_ends: set.override_ends(),
            funding_years: if named {
                set.funding_growth_by_year().collect()
            } else {
                Vec::new()
            },
            write_off: if named {
                set.write_off().filter(|w| w.share > 0.0)
            } else {
                None
            },
            central_funding: if named {
                set.central_funding().filter(|c| c.share > 0.0)
            } else {
                None
            },
            reform: if named { set.reform() } else { None },
            spending_review: if named { set.spending_review() } else { None },
            set: named.then(|| set.clone()),
        }
    }
}

/// Validates `raw`: the scenario, or every problem found.
pub(super) fn validate(raw: &RawScenario) -> Result<Scenario, Vec<Problem>> {
    let mut builder = Builder::new();
    let mut scenario = builder.build(raw);
    if builder.problems.is_empty() {
        scenario.warnings = std::mem::take(&mut builder.warnings);
        Ok(scenario)
    } else {
        Err(builder.problems)
    }
}

struct Builder {
    problems: Vec<Problem>,
    /// Values accepted but almost certainly not meant (a growth of 12 for 12%).
    warnings: Vec<Problem>,
    params: ParamTable,
    base: FinancialYear,
    horizon: usize,
    policy: PolicyValues,
    /// Set while reading a yearly input given as one distribution: the only place where a
    /// parameter may itself be a distribution (parameter uncertainty).
    hyper_ok: bool,
}

impl Builder {
    fn new() -> Self {
        let year = |text: &str| text.parse().unwrap_or_else(|_| unreachable!());
        Builder {
            problems: Vec::new(),
            warnings: Vec::new(),
            params: ParamTable::new(),
            // Replaced as soon as the scenario section is read.
            base: year("2025-26"),
            horizon: 1,
            // Replaced by the scenario's policy as soon as the scenario section is read.
            policy: PolicyValues::empty(),
            hyper_ok: false,
        }
    }

    /// The policy the scenario inherits: the set it names with its `[policy]` overrides, or the
    /// standing rules alone.
    fn resolve_policy(&mut self, raw: &RawScenario) -> PolicyValues {
        let standing = match PolicySet::named(STANDING_RULES) {
            Ok(set) => set,
            Err(e) => {
                // Shipped data, checked by the tests: only a broken build gets here.
                self.problem("scenario.policy", e.to_string());
                return PolicyValues::empty();
            }
        };
        let Some(name) = raw.scenario.policy.as_deref().filter(|n| *n != "none") else {
            if raw.policy.as_ref().is_some_and(|o| !o.is_empty()) {
                self.problem(
                    "policy",
                    format!(
                        "name the policy set these values override with `policy = \"...\"` in [scenario] ({})",
                        PolicySet::names().collect::<Vec<_>>().join(", ")
                    ),
                );
            }
            return PolicyValues::from_set(standing, false);
        };
        let set = match PolicySet::named(name) {
            Ok(set) => set,
            Err(e) => {
                self.problem("scenario.policy", e.to_string());
                return PolicyValues::from_set(standing, false);
            }
        };
        let overrides = raw.policy.clone().unwrap_or_default();
        match set.with_overrides(&overrides, &raw.scenario.name) {
            Ok(local) => PolicyValues::from_set(&local, true),
            Err(e) => {
                self.problem("policy", e.to_string());
                PolicyValues::from_set(set, true)
            }
        }
    }

    pub(super) fn warning(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Problem::new(key, message));
    }

    /// How many problems have been found so far.
    pub(super) fn problem_count(&self) -> usize {
        self.problems.len()
    }

    pub(super) fn problem(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(key, message));
    }

    pub(super) fn year(&mut self, key: &str, text: &str) -> Option<FinancialYear> {
        match text.parse() {
            Ok(y) => Some(y),
            Err(e) => {
                self.problem(key, e.to_string());
                None
            }
        }
    }

    /// Index (1..=H) of a year that must fall inside the projection.
    pub(super) fn projection_year(&mut self, key: &str, text: &str) -> usize {
        let Some(y) = self.year(key, text) else {
            return 1;
        };
        let off = self.base.offset_to(y);
        if off < 1 || off > self.horizon as i32 {
            self.problem(
                key,
                format!(
                    "{y} is outside the projection ({} to {})",
                    self.base + 1,
                    self.base + self.horizon as u16
                ),
            );
            return 1;
        }
        off as usize
    }

    /// The index of provision `name`, or `None` with a problem recorded (checks comparing
    /// provisions then have nothing to compare, so an unknown name is reported once).
    pub(super) fn provision_ref(
        &mut self,
        key: &str,
        name: &str,
        names: &[String],
    ) -> Option<usize> {
        match names.iter().position(|n| n == name) {
            Some(i) => Some(i),
            None => {
                self.problem(
                    key,
                    format!(
                        "no provision is called `{name}` (the provisions are: {})",
                        names.join(", ")
                    ),
                );
                None
            }
        }
    }

    pub(super) fn scope(&mut self, key: &str, name: Option<&str>, names: &[String]) -> Scope {
        match name {
            None | Some("all") => Scope::All,
            // An unknown name (already reported) stands for all, which no later check questions.
            Some(n) => self
                .provision_ref(key, n, names)
                .map_or(Scope::All, Scope::One),
        }
    }

    pub(super) fn unique_names<'a>(&mut self, key: &str, names: impl Iterator<Item = &'a str>) {
        let mut seen: Vec<&str> = Vec::new();
        for (i, name) in names.enumerate() {
            if name.trim().is_empty() {
                self.problem(format!("{key}[{i}].name"), "a name must not be empty");
            } else if name.chars().count() > MAX_NAME_CHARS {
                self.problem(format!("{key}[{i}].name"), too_long(name, MAX_NAME_CHARS));
            } else if seen.contains(&name) {
                self.problem(
                    format!("{key}[{i}].name"),
                    format!("the name `{name}` is used twice"),
                );
            }
            seen.push(name);
        }
    }

    fn build(&mut self, raw: &RawScenario) -> Scenario {
        let meta = &raw.scenario;
        if meta.name.trim().is_empty() {
            self.problem("scenario.name", "a scenario needs a name");
        } else if meta.name.chars().count() > MAX_NAME_CHARS {
            self.problem("scenario.name", too_long(&meta.name, MAX_NAME_CHARS));
        }
        let texts = [
            (
                "scenario.authority",
                meta.authority.as_deref(),
                MAX_NAME_CHARS,
            ),
            (
                "scenario.description",
                meta.description.as_deref(),
                MAX_TEXT_CHARS,
            ),
        ];
        for (key, text, limit) in texts {
            if let Some(text) = text
                && text.chars().count() > limit
            {
                self.problem(key, too_long(text, limit));
            }
        }
        for (i, p) in raw.provisions.iter().enumerate() {
            if let Some(label) = &p.label
                && label.chars().count() > MAX_NAME_CHARS
            {
                self.problem(
                    format!("provisions[{i}].label"),
                    too_long(label, MAX_NAME_CHARS),
                );
            }
        }
        for (i, m) in raw.mitigations.iter().enumerate() {
            if let Some(text) = &m.description
                && text.chars().count() > MAX_TEXT_CHARS
            {
                self.problem(
                    format!("mitigations[{i}].description"),
                    too_long(text, MAX_TEXT_CHARS),
                );
            }
        }
        if let Some(base) = self.year("scenario.base_year", &meta.base_year) {
            self.base = base;
        }
        if !(1..=MAX_HORIZON as i64).contains(&meta.horizon_years) {
            self.problem(
                "scenario.horizon_years",
                format!(
                    "must be from 1 to {MAX_HORIZON} years (got {})",
                    meta.horizon_years
                ),
            );
            // Check the rest against the longest horizon so that years are not also reported.
            self.horizon = MAX_HORIZON;
        } else {
            self.horizon = meta.horizon_years as usize;
        }
        if let Some(code) = &meta.area_code
            && !is_area_code(code)
        {
            self.problem(
                "scenario.area_code",
                format!(
                    "`{code}` is not an ONS area code (a letter and eight digits, such as E10000003 for Cambridgeshire; `dsg data show --list` lists them)"
                ),
            );
        }
        self.policy = self.resolve_policy(raw);
        let demand = self.demand(raw);
        let other_lines = self.lines("other_lines", Owner::OtherLine, &raw.other_lines);
        let funding = self.funding(raw);
        let receipts = self.receipts(raw);
        let names: Vec<String> = raw.provisions.iter().map(|p| p.name.clone()).collect();
        let mitigations = self.mitigations(raw, &names, &demand.provisions);
        // New in issue 12: after every earlier area, so that scenarios without it keep their
        // parameters' places (and seeded results); before correlations, which may name its inputs.
        let assessments = self.assessments(raw, &demand.provisions, demand.growth);
        // Ages (docs/model.md section 14), new in issue 28: for the same reasons.
        let ages = self.ages(raw, &demand.provisions);
        let correlations = self.correlations(&raw.correlations);
        let calibration = self.calibration(&raw.calibration);
        let mitigation_names: Vec<String> =
            raw.mitigations.iter().map(|m| m.name.clone()).collect();
        let options = self.options(&raw.options, &mitigation_names);
        let charges_dsg = mitigations
            .iter()
            .any(|m| m.charged_to == crate::kinds::ChargedTo::Dsg);
        let budgets = self.budgets(&raw.budget, &names, !other_lines.is_empty(), charges_dsg);
        // Levers come last: fixed, they draw nothing, and the inputs before them keep their
        // places (the order of the draws, and so every seeded result, is unchanged).
        let savings = self.fixed_yearly(inputs::wide(Owner::Levers, Field::Savings), 0.0);
        // The reform's inputs come after the levers, for the same reason.
        let reform = self.reform(raw);

        Scenario {
            warnings: Vec::new(),
            name: meta.name.clone(),
            authority: meta.authority.clone().unwrap_or_default(),
            area_code: meta.area_code.clone().filter(|c| is_area_code(c)),
            description: meta.description.clone().unwrap_or_default(),
            sources: meta.sources.clone(),
            base_year: self.base,
            horizon: self.horizon,
            provisions: demand.provisions,
            joiners: demand.joiners,
            demand_growth: demand.growth,
            cost_inflation: demand.cost_inflation,
            movers: demand.movers,
            other_lines,
            funding: funding.funding,
            transfer: funding.transfer,
            other_income: funding.other_income,
            other_blocks: funding.other_blocks,
            opening_balance: receipts.opening_balance,
            opening_balance_known: receipts.opening_balance_known,
            history: receipts.history,
            usable_reserves: receipts.usable_reserves,
            compares_reserves: receipts.compares_reserves,
            borrowing_rate: receipts.borrowing_rate,
            override_ends: receipts.override_ends,
            contributions: receipts.contributions,
            savings,
            safety_valve: receipts.safety_valve,
            write_off: receipts.write_off,
            central_funding: receipts.central_funding,
            reform,
            ages,
            mitigations,
            assessments,
            params: std::mem::replace(&mut self.params, ParamTable::new()),
            correlations,
            capacity_order: demand.capacity_order,
            calibration,
            options,
            budgets,
            policy: std::mem::take(&mut self.policy.name),
            policy_set: self.policy.set.take(),
            raw: raw.clone(),
        }
    }
}

/// The longest name (of a scenario, authority, provision, mitigation, line or block) or label:
/// names become sheet cells, chart legends, CSV columns and series keys, and a name this long is
/// a paste gone wrong rather than a name. Well inside an XLSX cell's 32,767 characters.
pub const MAX_NAME_CHARS: usize = 200;

/// The longest free text (a scenario's or a mitigation's description): an XLSX cell holds at most
/// 32,767 characters; a description is a paragraph, not a document.
pub const MAX_TEXT_CHARS: usize = 2_000;

fn too_long(text: &str, limit: usize) -> String {
    format!(
        "is {} characters long; at most {limit} are allowed (outputs such as the XLSX workbook cannot hold very long text)",
        text.chars().count()
    )
}

/// An ONS area code: a capital letter and eight digits (E10000003).
fn is_area_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 9 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)
}
