//! What each numeric input of a scenario is: its owner (a scenario-wide section, a provision, a
//! mitigation, a line...), its field, its unit, a name in words and its key path in the scenario
//! file. Set once, when the scenario is validated, on every [`ParamSpec`](crate::ParamSpec):
//! code that shows or edits an input reads this instead of parsing the key path back.
//!
//! ```
//! use dsg_core::input::{Field, InputId, InputUnit, Owner};
//! let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml")).unwrap();
//! let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml").unwrap();
//! let growth = s.params().specs().iter().find(|p| p.meta.id == InputId::new(Owner::Demand, Field::Growth)).unwrap();
//! assert_eq!(growth.key, "demand.growth");
//! assert_eq!(growth.meta.unit, InputUnit::Rate);
//! assert_eq!(growth.meta.label, "Demand growth");
//! ```

use serde::Serialize;

use crate::money::{format_pounds, group_thousands};
use crate::text::{capitalise, words};

/// Who an input belongs to: a scenario-wide section, or one entry of a list (by its position).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// `[demand]`.
    Demand,
    /// `[demand.joiners]`: new plans of the flow model.
    Joiners,
    /// `[cost]`.
    Cost,
    /// `[funding]`: the high-needs allocation.
    Funding,
    /// `[transfer]`: the transfer from the schools block.
    Transfer,
    /// `[dsg]`: the DSG reserve.
    Dsg,
    /// `[general_fund]`.
    GeneralFund,
    /// `[write_off]`.
    WriteOff,
    /// `[central_funding]`.
    CentralFunding,
    /// `[reform]`: the reform at phase transfer (docs/model.md section 14).
    Reform,
    /// `[assessments]`: the statutory assessment pipeline.
    Assessments,
    /// Levers no scenario key sets (savings set by a goal seek or an option).
    Levers,
    /// `provisions[i]`.
    Provision(usize),
    /// `mitigations[i]`.
    Mitigation(usize),
    /// `other_lines[i]`: another high-needs spend line.
    OtherLine(usize),
    /// `other_income[i]`.
    OtherIncome(usize),
    /// `other_blocks[i]`: another DSG block.
    OtherBlock(usize),
    /// `movers[i]`: a move between provisions.
    Mover(usize),
    /// `safety_valve.instalments[i]`.
    Instalment(usize),
    /// `ages.leavers[i]`: a leaving rate by provision and age band (docs/model.md section 14).
    AgeLeavers(usize),
    /// `ages.transfers[i]`: a move between provisions at a phase transfer.
    AgeTransfer(usize),
}

impl Owner {
    /// The section of a scenario-wide owner (`demand`, `demand.joiners`, `general_fund`...);
    /// `None` for an entry of a list.
    ///
    /// ```
    /// use dsg_core::input::Owner;
    /// assert_eq!(Owner::Joiners.section(), Some("demand.joiners"));
    /// assert_eq!(Owner::Provision(2).section(), None);
    /// ```
    pub fn section(self) -> Option<&'static str> {
        Some(match self {
            Owner::Demand => "demand",
            Owner::Joiners => "demand.joiners",
            Owner::Cost => "cost",
            Owner::Funding => "funding",
            Owner::Transfer => "transfer",
            Owner::Dsg => "dsg",
            Owner::GeneralFund => "general_fund",
            Owner::WriteOff => "write_off",
            Owner::CentralFunding => "central_funding",
            Owner::Reform => "reform",
            Owner::Assessments => "assessments",
            Owner::Levers => "levers",
            _ => return None,
        })
    }

    /// The list and position of an entry owner (`("provisions", 2)`); `None` for a section.
    ///
    /// ```
    /// use dsg_core::input::Owner;
    /// assert_eq!(Owner::Instalment(1).entry(), Some(("safety_valve.instalments", 1)));
    /// assert_eq!(Owner::Demand.entry(), None);
    /// ```
    pub fn entry(self) -> Option<(&'static str, usize)> {
        Some(match self {
            Owner::Provision(i) => ("provisions", i),
            Owner::Mitigation(i) => ("mitigations", i),
            Owner::OtherLine(i) => ("other_lines", i),
            Owner::OtherIncome(i) => ("other_income", i),
            Owner::OtherBlock(i) => ("other_blocks", i),
            Owner::Mover(i) => ("movers", i),
            Owner::Instalment(i) => ("safety_valve.instalments", i),
            Owner::AgeLeavers(i) => ("ages.leavers", i),
            Owner::AgeTransfer(i) => ("ages.transfers", i),
            _ => return None,
        })
    }

    /// The key path of the owner in the scenario file: `demand`, `provisions[2]`.
    ///
    /// ```
    /// use dsg_core::input::Owner;
    /// assert_eq!(Owner::Provision(2).path(), "provisions[2]");
    /// assert_eq!(Owner::GeneralFund.path(), "general_fund");
    /// ```
    pub fn path(self) -> String {
        match (self.section(), self.entry()) {
            (Some(section), _) => section.to_string(),
            (None, Some((list, i))) => format!("{list}[{i}]"),
            (None, None) => unreachable!("every owner is a section or an entry"),
        }
    }
}

macro_rules! fields {
    ($($variant:ident: $name:literal, $unit:ident, $doc:literal;)*) => {
        /// Which value of its owner an input is: the key's last part in the scenario file.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Field {
            $(#[doc = $doc] $variant,)*
        }

        impl Field {
            /// The key in the scenario file, e.g. `unit_cost`.
            ///
            /// ```
            /// assert_eq!(dsg_core::input::Field::SlippageYears.name(), "slippage_years");
            /// ```
            pub fn name(self) -> &'static str {
                match self {
                    $(Field::$variant => $name,)*
                }
            }

            /// What the field measures (a mitigation's `effect` depends on its kind: see
            /// [`InputMeta::unit`]).
            ///
            /// ```
            /// use dsg_core::input::{Field, InputUnit};
            /// assert_eq!(Field::UnitCost.unit(), InputUnit::Money);
            /// assert_eq!(Field::CaseOfficers.unit(), InputUnit::Fte);
            /// ```
            pub fn unit(self) -> InputUnit {
                match self {
                    $(Field::$variant => InputUnit::$unit,)*
                }
            }
        }
    };
}

fields! {
    Growth: "growth", Rate, "Yearly growth of a number of plans or an amount.";
    Inflation: "inflation", Rate, "Cost inflation.";
    Drift: "drift", Rate, "A provision's unit-cost growth above inflation.";
    LeaverRate: "leaver_rate", Rate, "The share of a provision's plans that end each year.";
    Rate: "rate", Rate, "A move's or the transfer's rate.";
    BorrowingRate: "borrowing_rate", Rate, "The council's borrowing rate.";
    RequestsGrowth: "requests_growth", Rate, "Growth of assessment requests.";
    SchoolsBlockGrowth: "schools_block_growth", Rate, "Growth of the schools block.";
    FundingGrowth: "funding_growth", Rate, "Growth of another block's funding.";
    SpendGrowth: "spend_growth", Rate, "Growth of another block's spend.";
    Share: "share", Share, "A share of the deficit (written off, funded centrally).";
    Delivery: "delivery", Share, "The share of a mitigation's effect delivered.";
    AgreedShare: "agreed_share", Share, "The share of requests agreed for assessment.";
    PlanShare: "plan_share", Share, "The share of assessments that end in a plan.";
    Caseload: "caseload", Count, "Plans at the start.";
    Capacity: "capacity", Count, "Places.";
    Opening: "opening", Count, "New plans in the first year.";
    Requests: "requests", Count, "Assessment requests in the first year.";
    OpeningBacklog: "opening_backlog", Count, "Assessments waiting at the start.";
    UnitCost: "unit_cost", Money, "Cost per plan per year.";
    Amount: "amount", Money, "An amount of a line or an instalment.";
    Allocation: "allocation", Money, "The high-needs allocation.";
    SchoolsBlock: "schools_block", Money, "The schools block.";
    Funding: "funding", Money, "Another block's funding.";
    Spend: "spend", Money, "Another block's spend.";
    OpeningBalance: "opening_balance", Money, "A balance at the start (negative = deficit).";
    UsableReserves: "usable_reserves", Money, "The council's usable reserves.";
    Contributions: "contributions", Money, "General-fund contributions to the DSG reserve.";
    OneOffCost: "one_off_cost", Money, "A mitigation's one-off cost.";
    YearlyCost: "yearly_cost", Money, "A mitigation's yearly cost.";
    CostPerFte: "cost_per_fte", Money, "A staffing mitigation's cost per full-time officer.";
    Savings: "savings", Money, "Savings not attributed to a mitigation.";
    ApprovalProbability: "approval_probability", Probability, "The chance the transfer is approved.";
    Probability: "probability", Probability, "The chance the write-off is approved or the reform goes ahead.";
    SlippageYears: "slippage_years", Years, "How late a mitigation starts.";
    DelayYears: "delay_years", Years, "How late the reform at phase transfer starts.";
    TransferShare: "transfer_share", Share, "The share of plans reviewed at a phase transfer each year.";
    EndingShare: "ending_share", Share, "The share of reviewed plans that end or move to support without a plan.";
    ProtectedShare: "protected_share", Share, "The share of reviewed plans the protected cohort keeps.";
    MinimumWeeks: "minimum_weeks", Weeks, "The shortest assessment.";
    CaseOfficers: "case_officers", Fte, "Case officers.";
    AssessmentsPerOfficer: "assessments_per_officer", Number, "Assessments a case officer completes a year.";
    Effect: "effect", Number, "What a mitigation changes (its unit follows its kind).";
    MaxWithin20Weeks: "max_within_20_weeks", Share, "The share of plans issued within 20 weeks with no backlog.";
}

/// What an input measures, for checking and writing its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputUnit {
    /// A yearly rate (growth, inflation, leavers, interest): `12.0%`.
    Rate,
    /// A share or fraction from 0 to 1 (delivery, share written off): `90.0%`.
    Share,
    /// Pounds: `£1.5m`.
    Money,
    /// Plans, places or requests: `1,200`.
    Count,
    /// Weeks: `6.0 weeks`.
    Weeks,
    /// Years: `1.2 years`.
    Years,
    /// A yes/no event drawn with a probability (1 = happens): `70.0%`.
    Probability,
    /// Full-time-equivalent staff: `12.5 FTE`.
    Fte,
    /// Anything else.
    Number,
}

impl InputUnit {
    /// `x` written in this unit.
    ///
    /// ```
    /// use dsg_core::input::InputUnit;
    /// assert_eq!(InputUnit::Rate.format(0.1512), "15.1%");
    /// assert_eq!(InputUnit::Money.format(1_500_000.0), "£1.5m");
    /// assert_eq!(InputUnit::Count.format(1234.4), "1,234");
    /// assert_eq!(InputUnit::Years.format(1.0), "1.0 years");
    /// ```
    pub fn format(self, x: f64) -> String {
        match self {
            InputUnit::Rate | InputUnit::Share | InputUnit::Probability => {
                format!("{:.1}%", x * 100.0)
            }
            InputUnit::Money => format_pounds(x),
            InputUnit::Count => group_thousands(&format!("{x:.0}")),
            InputUnit::Weeks => format!("{x:.1} weeks"),
            InputUnit::Years => format!("{x:.1} years"),
            InputUnit::Fte => format!("{x:.1} FTE"),
            InputUnit::Number => format!("{x:.3}"),
        }
    }
}

/// An input's identity: its owner and field. The key path follows from it ([`InputId::key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct InputId {
    /// Who it belongs to.
    pub owner: Owner,
    /// Which of the owner's values it is.
    pub field: Field,
}

impl InputId {
    /// The input `field` of `owner`.
    pub const fn new(owner: Owner, field: Field) -> Self {
        InputId { owner, field }
    }

    /// The key path in the scenario file: the one place it is written.
    ///
    /// ```
    /// use dsg_core::input::{Field, InputId, Owner};
    /// assert_eq!(InputId::new(Owner::Provision(2), Field::UnitCost).key(), "provisions[2].unit_cost");
    /// assert_eq!(InputId::new(Owner::Joiners, Field::Growth).key(), "demand.joiners.growth");
    /// ```
    pub fn key(self) -> String {
        format!("{}.{}", self.owner.path(), self.field.name())
    }
}

/// Everything known about one input, set once at validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputMeta {
    /// Its owner and field.
    pub id: InputId,
    /// What it measures.
    pub unit: InputUnit,
    /// Its name in words: "Demand growth", "Special schools: unit cost",
    /// "Early support in mainstream: delivery".
    pub label: String,
    /// Its owner's name, for an entry of a list: a provision's label, a mitigation's or a
    /// line's name, a move's "from to to", an instalment's "due 2027-28".
    pub owner_name: Option<String>,
}

impl InputMeta {
    /// The input `id`, owned by the entry called `owner_name` (for a list entry). The unit is the
    /// field's ([`Field::unit`]); the label is derived from the owner and field.
    ///
    /// ```
    /// use dsg_core::input::{Field, InputId, InputMeta, InputUnit, Owner};
    /// let m = InputMeta::new(InputId::new(Owner::Mitigation(0), Field::SlippageYears), Some("early_support"));
    /// assert_eq!(m.label, "Early support: delay (years)");
    /// assert_eq!(m.unit, InputUnit::Years);
    /// ```
    pub fn new(id: InputId, owner_name: Option<&str>) -> Self {
        InputMeta {
            id,
            unit: id.field.unit(),
            label: label(id, owner_name),
            owner_name: owner_name.map(str::to_string),
        }
    }

    /// The same input measured in `unit` (a mitigation's effect).
    pub fn with_unit(self, unit: InputUnit) -> Self {
        InputMeta { unit, ..self }
    }

    /// The key path in the scenario file, e.g. `provisions[2].unit_cost`.
    pub fn key(&self) -> String {
        self.id.key()
    }
}

/// The input's name in words.
fn label(id: InputId, owner_name: Option<&str>) -> String {
    let fixed = match (id.owner, id.field) {
        (Owner::Demand, Field::Growth) => Some("Demand growth"),
        (Owner::Cost, Field::Inflation) => Some("Cost inflation"),
        (Owner::Funding, Field::Growth) => Some("High-needs funding growth"),
        (Owner::Funding, Field::Allocation) => Some("High-needs allocation"),
        (Owner::Dsg, Field::OpeningBalance) => Some("Opening balance"),
        (Owner::WriteOff, Field::Probability) => Some("Write-off approved"),
        (Owner::WriteOff, Field::Share) => Some("Share written off"),
        (Owner::CentralFunding, Field::Share) => Some("Share of deficits funded centrally"),
        (Owner::Reform, Field::Probability) => Some("Reform at phase transfer goes ahead"),
        (Owner::Reform, Field::DelayYears) => Some("Reform: delay (years)"),
        (Owner::Reform, Field::TransferShare) => Some("Reform: share of plans at a phase transfer"),
        (Owner::Reform, Field::EndingShare) => Some("Reform: share of reviewed plans ending"),
        (Owner::Reform, Field::ProtectedShare) => Some("Reform: share of reviewed plans protected"),
        (Owner::GeneralFund, Field::UsableReserves) => Some("Usable reserves"),
        (Owner::GeneralFund, Field::BorrowingRate) => Some("Borrowing rate"),
        (Owner::GeneralFund, Field::Contributions) => Some("Council contributions"),
        (Owner::Transfer, Field::ApprovalProbability) => Some("Transfer approved"),
        (Owner::Assessments, Field::MaxWithin20Weeks) => {
            Some("Share within 20 weeks with no backlog")
        }
        _ => None,
    };
    if let Some(f) = fixed {
        return f.to_string();
    }
    let field = match id.field {
        Field::SlippageYears => "delay (years)".to_string(),
        other => other.name().replace('_', " "),
    };
    match (id.owner, owner_name) {
        (Owner::Mitigation(_), Some(name)) => format!("{}: {field}", words(name)),
        (Owner::Provision(_), Some(name)) => format!("{name}: {field}"),
        (Owner::AgeLeavers(_) | Owner::AgeTransfer(_), Some(name)) => format!("{name}: {field}"),
        _ => capitalise(&id.key().replace(['.', '_'], " ")),
    }
}
