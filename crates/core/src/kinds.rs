//! The words a scenario file chooses from (`model`, `kind`, `on_miss`, `costs_charged_to`), as
//! serde enums shared by the raw scenario and the validated one: a leaf module.

use serde::{Deserialize, Serialize};

/// How a provision's caseload moves (`model = "net_growth" | "flows"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelName {
    /// Net growth.
    NetGrowth,
    /// Joiners, leavers and movers.
    Flows,
}

/// The kinds of mitigation (`kind = "..."`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KindName {
    /// Lowers growth.
    #[default]
    GrowthReduction,
    /// Moves plans between provisions.
    PlacementShift,
    /// Adds places.
    CapacityAdded,
    /// Cuts the unit cost paid.
    UnitCostSaving,
    /// Adds case officers to the assessment pipeline (docs/model.md section 9).
    Staffing,
    /// Raises the share of plans issued within 20 weeks with no backlog (docs/model.md section 9).
    Process,
}

impl KindName {
    /// The word used in scenario files.
    pub fn word(self) -> &'static str {
        match self {
            KindName::GrowthReduction => "growth_reduction",
            KindName::PlacementShift => "placement_shift",
            KindName::CapacityAdded => "capacity_added",
            KindName::UnitCostSaving => "unit_cost_saving",
            KindName::Staffing => "staffing",
            KindName::Process => "process",
        }
    }
}

/// What happens to a safety-valve instalment whose target is missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnMiss {
    /// The instalment is lost.
    Withhold,
    /// It is added to the next instalment whose target is met.
    Defer,
}

/// Who pays a mitigation's costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargedTo {
    /// The DSG (high-needs spend).
    Dsg,
    /// The authority's general fund (reported, not in the DSG balance).
    GeneralFund,
}
