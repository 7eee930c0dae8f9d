//! The validated types of a scenario: plain data, every reference resolved to an index and every
//! number checked. A leaf module: it depends only on years, distributions and the parameter table.

use serde::Serialize;

use crate::correlation::Correlations;
pub use crate::kinds::{ChargedTo, OnMiss};
use crate::params::{ParamId, ParamTable};
use crate::reform::Reform;
use crate::year::FinancialYear;

use crate::ages::Ages;
use crate::agreements::{CentralFunding, SafetyValve, WriteOff};

/// How a provision's caseload moves from year to year (docs/model.md section 2).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandModel {
    /// `N[t] = N[t-1] * (1 + g[t] - m[t])`.
    NetGrowth {
        /// Demand growth (the scenario-wide input unless overridden).
        growth: ParamId,
    },
    /// `N[t] = N[t-1] - leavers + joiners * share + moves in - moves out`.
    Flows {
        /// This provision's share of new plans (shares of all flow provisions sum to 1).
        joiner_share: f64,
        /// Share of last year's caseload whose plans cease or who age out, per year.
        leaver_rate: ParamId,
    },
}

/// A type of placement: mainstream top-up, special school, INMSS, ...
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provision {
    /// Identifier used in the file and in series names (`caseload.<name>`).
    pub name: String,
    /// Name for tables and charts.
    pub label: String,
    /// Plans at the end of the base year.
    pub caseload: ParamId,
    /// Pounds per plan per year at the end of the base year.
    pub unit_cost: ParamId,
    /// How caseload moves.
    pub demand: DemandModel,
    /// Real-terms unit-cost drift per year on top of inflation.
    pub drift: ParamId,
    /// Places available per year, when limited.
    pub capacity: Option<ParamId>,
    /// Where plans above capacity go (index into `Scenario::provisions`).
    pub overflow: Option<usize>,
}

/// New plans a year, for provisions on the flow model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Joiners {
    /// New plans in the base year.
    pub opening: ParamId,
    /// Yearly growth of new plans.
    pub growth: ParamId,
}

/// Plans moving between provisions each year, as a share of the origin's caseload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mover {
    /// Origin provision.
    pub from: usize,
    /// Destination provision.
    pub to: usize,
    /// Share of the origin's previous-year caseload moving per year.
    pub rate: ParamId,
}

/// A line with an opening amount growing at its own rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// Identifier.
    pub name: String,
    /// Amount in the base year (pounds).
    pub amount: ParamId,
    /// Yearly growth.
    pub growth: ParamId,
}

/// The high-needs block allocation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Funding {
    /// Allocation in the base year (pounds).
    pub allocation: ParamId,
    /// Yearly growth.
    pub growth: ParamId,
}

/// Transfer from the schools block to high needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transfer {
    /// Schools block in the base year (pounds).
    pub schools_block: ParamId,
    /// Yearly growth of the schools block.
    pub schools_block_growth: ParamId,
    /// Share of the schools block asked for, per year.
    pub rate: ParamId,
    /// Whether a request above `forum_limit` is approved (an event per year); when refused, the
    /// forum-agreed share still moves.
    pub approved: ParamId,
    /// The share of the schools block a schools forum may move without the Secretary of State's
    /// disapplication (national policy: 0.5%).
    pub forum_limit: f64,
}

/// Another DSG block with its own funding and spend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// Identifier.
    pub name: String,
    /// Funding in the base year.
    pub funding: ParamId,
    /// Yearly growth of funding.
    pub funding_growth: ParamId,
    /// Spend in the base year.
    pub spend: ParamId,
    /// Yearly growth of spend.
    pub spend_growth: ParamId,
    /// The block's cumulative balance at the end of the base year, part of the DSG opening
    /// balance (docs/model.md section 5): the high-needs block opens with the DSG opening balance
    /// less the other blocks' (0 when the scenario does not say).
    pub opening_balance: ParamId,
}

/// Which provisions a growth reduction or unit-cost saving applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every provision (and, for a growth reduction, the growth of new plans).
    All,
    /// One provision.
    One(usize),
}

/// What a mitigation changes (docs/model.md section 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MitigationKind {
    /// Lowers net growth (and joiners' growth) by `effect` (a fraction: 0.04 = 4 points).
    GrowthReduction(Scope),
    /// Moves `effect` plans a year from one provision to another.
    PlacementShift {
        /// From.
        from: usize,
        /// To.
        to: usize,
    },
    /// Adds `effect` places to a provision's capacity.
    CapacityAdded(usize),
    /// Cuts the unit cost paid by `effect` (a fraction, a level not compounded).
    UnitCostSaving(Scope),
    /// Adds `effect` case officers (FTE) to the assessment pipeline (docs/model.md section 9), each
    /// costing `cost_per_fte` a year while in post, up to the end of year `until`.
    Staffing {
        /// Pounds a year per FTE in post.
        cost_per_fte: ParamId,
        /// Last year index of effect (the horizon when the team is permanent).
        until: usize,
    },
    /// Raises the share of plans issued within 20 weeks with no backlog, `s_max`, by `effect`
    /// (a fraction: 0.1 = 10 points), capped at 1: faster advice, panels and drafting
    /// (docs/model.md section 9).
    Process,
}

/// The share of plans issued within 20 weeks with no backlog at all, `s_max`, when a scenario
/// gives no figure of its own (`assessments.max_within_20_weeks`): 0.65, the best national year
/// since 2014 (England, 64.9% in 2017; DfE "Education, health and care plans", in
/// `data/public/panel.csv`, series `within_20_weeks_pct`).
///
/// ```
/// assert_eq!(dsg_core::scenario::NATIONAL_BEST_WITHIN_20_WEEKS, 0.65);
/// ```
pub const NATIONAL_BEST_WITHIN_20_WEEKS: f64 = 0.65;

/// The statutory assessment pipeline (docs/model.md section 9): requests, assessments, the backlog,
/// case officers and plans issued.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessments {
    /// Requests for an EHC needs assessment in the base year, `R[0]`.
    pub requests: ParamId,
    /// Yearly growth of requests, `r[t]`.
    pub requests_growth: ParamId,
    /// Share of requests agreed for assessment, `a[t]` (yearly).
    pub agreed_share: ParamId,
    /// Assessments open at the end of the base year, `Q[0]`.
    pub opening_backlog: ParamId,
    /// Case-officer FTE by year, before staffing mitigations.
    pub case_officers: ParamId,
    /// Assessments a full-time case officer completes in a year (yearly).
    pub per_officer: ParamId,
    /// Share of completed assessments that lead to a plan, `c[t]` (yearly).
    pub plan_share: ParamId,
    /// The shortest time from request to plan, in weeks, w0.
    pub minimum_weeks: ParamId,
    /// The share of plans issued within 20 weeks with no backlog at all, `s_max[t]` (yearly).
    pub max_within_20_weeks: ParamId,
    /// Whether flow-model provisions take their new plans from the plans issued (`J[t] = P[t]`).
    pub joiners_from_plans: bool,
    /// Provisions that are mainstream settings (indices, ascending); empty when not given.
    pub mainstream: Vec<usize>,
}

/// A planned action and its uncertain delivery.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mitigation {
    /// Identifier.
    pub name: String,
    /// Plain description for reports.
    pub description: String,
    /// What it changes.
    pub kind: MitigationKind,
    /// Intended full effect (units depend on the kind).
    pub effect: ParamId,
    /// First year index of effect before slippage (1-based).
    pub start: usize,
    /// Years to full effect (linear; 0 and 1 both mean full effect in the first year).
    pub ramp_years: f64,
    /// Fraction delivered (1 = as planned).
    pub delivery: ParamId,
    /// Years of start slippage (fractions allowed: the first year then has part of a year's
    /// effect).
    pub slippage: ParamId,
    /// Cost in the first year of effect.
    pub one_off_cost: ParamId,
    /// Cost in every year of effect.
    pub yearly_cost: ParamId,
    /// Who pays the costs.
    pub charged_to: ChargedTo,
}

/// A validated scenario: every reference resolved, every number checked.
///
/// ```
/// let text = r#"
/// [scenario]
/// name = "Doc example"
/// base_year = "2025-26"
/// horizon_years = 3
/// [[provisions]]
/// name = "special"
/// caseload = 100
/// unit_cost = 25000
/// [funding]
/// allocation = 2500000
/// [dsg]
/// opening_balance = 0
/// [general_fund]
/// usable_reserves = 1000000
/// "#;
/// let scenario = dsg_core::Scenario::from_toml_str(text, "doc.toml").unwrap();
/// assert_eq!(scenario.horizon(), 3);
/// assert_eq!(scenario.year(1).to_string(), "2026-27");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Scenario name.
    pub(crate) name: String,
    /// The authority it is for.
    pub(crate) authority: String,
    /// The ONS code of the council whose published data it is built on, if any.
    pub(crate) area_code: Option<String>,
    /// Free text.
    pub(crate) description: String,
    /// Sources of the figures.
    pub(crate) sources: Vec<String>,
    /// Last year whose figures are known.
    pub(crate) base_year: FinancialYear,
    /// Years projected (1..=30).
    pub(crate) horizon: usize,
    /// Placements.
    pub(crate) provisions: Vec<Provision>,
    /// New plans a year (when any provision is on the flow model).
    pub(crate) joiners: Option<Joiners>,
    /// Scenario-wide demand growth.
    pub(crate) demand_growth: ParamId,
    /// Cost inflation.
    pub(crate) cost_inflation: ParamId,
    /// Movers between provisions.
    pub(crate) movers: Vec<Mover>,
    /// Other high-needs spend lines.
    pub(crate) other_lines: Vec<Line>,
    /// High-needs allocation.
    pub(crate) funding: Funding,
    /// Transfer from the schools block.
    pub(crate) transfer: Option<Transfer>,
    /// Other income lines.
    pub(crate) other_income: Vec<Line>,
    /// Other DSG blocks.
    pub(crate) other_blocks: Vec<Block>,
    /// Cumulative DSG balance at the end of the base year (negative = deficit).
    pub(crate) opening_balance: ParamId,
    /// Whether the opening balance is the council's (false: not known, taken as 0).
    pub(crate) opening_balance_known: bool,
    /// Cumulative balances of past years, oldest first, for charts.
    pub(crate) history: Vec<(FinancialYear, f64)>,
    /// Values accepted but almost certainly not meant (see [`Scenario::warnings`]).
    #[serde(skip)]
    pub(crate) warnings: Vec<crate::Problem>,
    /// Usable general-fund reserves per year (zero when none are given).
    pub(crate) usable_reserves: ParamId,
    /// Whether the scenario gives usable reserves to compare the deficit with.
    pub(crate) compares_reserves: bool,
    /// The authority's borrowing rate per year.
    pub(crate) borrowing_rate: ParamId,
    /// Last year of the statutory override.
    pub(crate) override_ends: FinancialYear,
    /// General-fund contributions to the DSG reserve per year.
    pub(crate) contributions: ParamId,
    /// Savings not attributed to a mitigation, taken off high-needs spend each year: zero in every
    /// scenario, set by a goal seek or an option (`levers.savings`).
    pub(crate) savings: ParamId,
    /// Safety-valve agreement.
    pub(crate) safety_valve: Option<SafetyValve>,
    /// Deficit write-off event.
    pub(crate) write_off: Option<WriteOff>,
    /// Central funding of later deficits.
    pub(crate) central_funding: Option<CentralFunding>,
    pub(crate) reform: Option<Reform>,
    /// Children by age band, when the scenario has `[ages]`.
    pub(crate) ages: Option<Ages>,
    /// Mitigations.
    pub(crate) mitigations: Vec<Mitigation>,
    /// The assessment pipeline, when the scenario has one.
    pub(crate) assessments: Option<Assessments>,
    /// Every numeric input.
    pub(crate) params: ParamTable,
    /// Correlations between uncertain inputs.
    pub(crate) correlations: Correlations,
    /// Provisions in the order capacity is applied (each before the one it overflows into).
    pub(crate) capacity_order: Vec<usize>,
    /// Published figures the scenario is checked against.
    pub(crate) calibration: Vec<crate::calibration::Calibration>,
    /// Packages of mitigations and levers to compare (`[[options]]`).
    pub(crate) options: Vec<crate::options::OptionPackage>,
    /// Approved budgets (`[[budget]]`).
    pub(crate) budgets: Vec<crate::budget::Budget>,
    /// The national policy set inherited (`none` when the scenario names none).
    pub(crate) policy: String,
    /// The policy set inherited, with the scenario's overrides, when it names one.
    #[serde(skip)]
    pub(crate) policy_set: Option<crate::policy::PolicySet>,
    /// The scenario as written, kept to validate a changed copy ([`Scenario::with_input`]).
    #[serde(skip)]
    pub(crate) raw: crate::raw::RawScenario,
}

/// Read access to a validated scenario: its fields are private, so that it cannot be made
/// invalid after validation (change an input with [`Scenario::with_input`](crate::Scenario::with_input), which validates
/// again).
impl Scenario {
    /// Scenario name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The authority it is for.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The ONS code of the council whose published data the scenario is built on
    /// (`[scenario] area_code`), if it names one.
    ///
    /// ```
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml"))?;
    /// let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml")?;
    /// assert_eq!(s.area_code(), Some("E10000003"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn area_code(&self) -> Option<&str> {
        self.area_code.as_deref()
    }

    /// Free text.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Sources of the figures.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// Last year whose figures are known.
    pub fn base_year(&self) -> FinancialYear {
        self.base_year
    }

    /// Years projected (1..=30).
    pub fn horizon(&self) -> usize {
        self.horizon
    }

    /// Placements.
    pub fn provisions(&self) -> &[Provision] {
        &self.provisions
    }

    /// New plans a year (when any provision is on the flow model).
    pub fn joiners(&self) -> Option<&Joiners> {
        self.joiners.as_ref()
    }

    /// Scenario-wide demand growth.
    pub fn demand_growth(&self) -> ParamId {
        self.demand_growth
    }

    /// Cost inflation.
    pub fn cost_inflation(&self) -> ParamId {
        self.cost_inflation
    }

    /// Movers between provisions.
    pub fn movers(&self) -> &[Mover] {
        &self.movers
    }

    /// Other high-needs spend lines.
    pub fn other_lines(&self) -> &[Line] {
        &self.other_lines
    }

    /// High-needs allocation.
    pub fn funding(&self) -> &Funding {
        &self.funding
    }

    /// Transfer from the schools block.
    pub fn transfer(&self) -> Option<&Transfer> {
        self.transfer.as_ref()
    }

    /// Other income lines.
    pub fn other_income(&self) -> &[Line] {
        &self.other_income
    }

    /// Other DSG blocks.
    pub fn other_blocks(&self) -> &[Block] {
        &self.other_blocks
    }

    /// Cumulative DSG balance at the end of the base year (negative = deficit).
    pub fn opening_balance(&self) -> ParamId {
        self.opening_balance
    }

    /// Whether the opening balance is known (`dsg.opening_balance_known`, true unless the
    /// scenario says otherwise): when not, it is 0 and the cumulative balance counts only what
    /// builds up after the base year.
    ///
    /// ```
    /// let text = "[scenario]\nname = \"x\"\nbase_year = \"2025-26\"\nhorizon_years = 1\n\
    ///     [[provisions]]\nname = \"a\"\ncaseload = 1\nunit_cost = 1\n[funding]\nallocation = 1\n\
    ///     [dsg]\nopening_balance = 0\nopening_balance_known = false\n";
    /// let s = dsg_core::Scenario::from_toml_str(text, "x.toml")?;
    /// assert!(!s.opening_balance_known());
    /// # Ok::<(), dsg_core::ScenarioError>(())
    /// ```
    pub fn opening_balance_known(&self) -> bool {
        self.opening_balance_known
    }

    /// Values accepted but almost certainly not meant, such as a growth rate above 1 (100% a
    /// year: "12" for 12%), a unit cost above £1m a child, a caseload above 2,000,000 or a sum
    /// above £100bn. Each names its key and, for a scenario read from a file, its line.
    pub fn warnings(&self) -> &[crate::Problem] {
        &self.warnings
    }

    /// Cumulative balances of past years, oldest first, for charts.
    pub fn history(&self) -> &[(FinancialYear, f64)] {
        &self.history
    }

    /// Usable general-fund reserves per year (fixed at zero when none are given).
    pub fn usable_reserves(&self) -> ParamId {
        self.usable_reserves
    }

    /// Whether the scenario gives usable reserves to compare the deficit with. A national
    /// scenario gives none: its deficit is spread over many councils, and pooled reserves would
    /// hide the councils whose deficits exceed their own (docs/domain.md).
    ///
    /// ```
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// assert!(s.compares_reserves());
    /// let without = text.replace("usable_reserves", "# usable_reserves");
    /// let s = dsg_core::Scenario::from_toml_str(&without, "minimal.toml").unwrap();
    /// assert!(!s.compares_reserves());
    /// ```
    pub fn compares_reserves(&self) -> bool {
        self.compares_reserves
    }

    /// The authority's borrowing rate per year.
    pub fn borrowing_rate(&self) -> ParamId {
        self.borrowing_rate
    }

    /// Last year of the statutory override.
    pub fn override_ends(&self) -> FinancialYear {
        self.override_ends
    }

    /// General-fund contributions to the DSG reserve per year.
    pub fn contributions(&self) -> ParamId {
        self.contributions
    }

    /// Savings not attributed to a mitigation, taken off high-needs spend each year (pounds):
    /// zero as written, the lever a goal seek or an option sets (`levers.savings`).
    ///
    /// ```
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let x = s.params().central_inputs();
    /// assert_eq!(x.year(s.savings(), 1), 0.0);
    /// ```
    pub fn savings(&self) -> ParamId {
        self.savings
    }

    /// Safety-valve agreement.
    pub fn safety_valve(&self) -> Option<&SafetyValve> {
        self.safety_valve.as_ref()
    }

    /// Deficit write-off event.
    pub fn write_off(&self) -> Option<&WriteOff> {
        self.write_off.as_ref()
    }

    /// Central funding of later deficits.
    pub fn central_funding(&self) -> Option<&CentralFunding> {
        self.central_funding.as_ref()
    }

    /// The reform at phase transfer, when the policy set or the scenario has it and it starts
    /// within the projection (docs/model.md section 14).
    pub fn reform(&self) -> Option<&Reform> {
        self.reform.as_ref()
    }

    /// Children by age band (docs/model.md section 14), when the scenario has `[ages]`.
    ///
    /// ```
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// assert!(s.ages().is_none());
    /// ```
    pub fn ages(&self) -> Option<&Ages> {
        self.ages.as_ref()
    }

    /// Mitigations.
    pub fn mitigations(&self) -> &[Mitigation] {
        &self.mitigations
    }

    /// The statutory assessment pipeline (docs/model.md section 9), when the scenario has an
    /// `[assessments]` section.
    ///
    /// ```
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// assert!(s.assessments().is_none());
    /// let with = format!("{text}\n[assessments]\nrequests = 300\ncase_officers = 5\nassessments_per_officer = 50\n");
    /// let s = dsg_core::Scenario::from_toml_str(&with, "minimal.toml").unwrap();
    /// assert!(s.assessments().is_some());
    /// ```
    pub fn assessments(&self) -> Option<&Assessments> {
        self.assessments.as_ref()
    }

    /// Every numeric input.
    pub fn params(&self) -> &ParamTable {
        &self.params
    }

    /// Packages of mitigations and levers to compare (`[[options]]`).
    pub fn options(&self) -> &[crate::options::OptionPackage] {
        &self.options
    }

    /// Approved budgets, one per budgeted year (`[[budget]]`, docs/model.md section 10).
    pub fn budgets(&self) -> &[crate::budget::Budget] {
        &self.budgets
    }

    /// Published figures the scenario is checked against (`[[calibration]]`).
    pub fn calibration(&self) -> &[crate::calibration::Calibration] {
        &self.calibration
    }

    /// The scenario's own value of a calibration series in the base year, every input at its
    /// central value: the opening balance, the plans open, the spend (placements at their unit
    /// costs and the other lines) and the high-needs in-year balance (the allocation less that
    /// spend). `None` for another series.
    ///
    /// ```
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let spend = s.base_year_value("spend.total").unwrap();
    /// let gap = s.base_year_value("balance.in_year").unwrap();
    /// assert!(spend > 0.0 && gap < spend);
    /// ```
    pub fn base_year_value(&self, series: &str) -> Option<f64> {
        let x = self.params.central_inputs();
        let caseload: f64 = self.provisions.iter().map(|p| x.scalar(p.caseload)).sum();
        let spend = self
            .provisions
            .iter()
            .map(|p| x.scalar(p.caseload) * x.scalar(p.unit_cost))
            .sum::<f64>()
            + self
                .other_lines
                .iter()
                .map(|l| x.scalar(l.amount))
                .sum::<f64>();
        match series {
            "balance.cumulative" => Some(x.scalar(self.opening_balance)),
            "caseload.total" => Some(caseload),
            "spend.total" => Some(spend),
            "balance.in_year" => Some(x.scalar(self.funding.allocation) - spend),
            _ => None,
        }
    }

    /// Correlations between uncertain inputs.
    pub fn correlations(&self) -> &Correlations {
        &self.correlations
    }

    /// Provisions in the order capacity is applied (each before the one it overflows into).
    pub fn capacity_order(&self) -> &[usize] {
        &self.capacity_order
    }
}
