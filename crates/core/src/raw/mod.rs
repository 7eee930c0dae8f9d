//! The scenario as written: serde structures that mirror the TOML file, unknown keys rejected.
//! Nothing here is checked beyond types; [`crate::Scenario::from_raw`] turns it into a valid
//! [`crate::Scenario`]. Build one in code to embed the model without a file:
//!
//! ```
//! use dsg_core::raw::*;
//! let raw = RawScenario {
//!     scenario: RawMeta { name: "In code".into(), base_year: "2025-26".into(), horizon_years: 5, ..Default::default() },
//!     provisions: vec![RawProvision { name: "special".into(), caseload: 120.0.into(), unit_cost: 26_000.0.into(), ..Default::default() }],
//!     funding: RawFunding { allocation: 3_000_000.0.into(), ..Default::default() },
//!     general_fund: RawGeneralFund { usable_reserves: Some(1_000_000.0.into()), ..Default::default() },
//!     ..Default::default()
//! };
//! let scenario = dsg_core::Scenario::from_raw(&raw)?;
//! assert_eq!(scenario.horizon(), 5);
//! # Ok::<(), dsg_core::ScenarioError>(())
//! ```
//!
//! Every key is described in `docs/scenario-reference.md`.
#![allow(missing_docs)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::kinds::{ChargedTo, KindName, ModelName, OnMiss};

mod assessments;
mod input;

pub use assessments::RawAssessments;
pub use input::{DistInput, NumInput};

/// A numeric input as written: a number, or a table (a distribution such as
/// `{ dist = "normal", mean = 0.12, sd = 0.025 }`, or a per-year table such as
/// `{ other_years = 0.07, "2026-27" = 0.0 }`).
/// A word from a fixed list as written: the choice it names, or the word itself when it names
/// none of them (validation then says which words are allowed, beside every other problem).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word<T> {
    /// One of the allowed words.
    Known(T),
    /// Something else.
    Unknown(String),
}

impl<T: Default> Default for Word<T> {
    fn default() -> Self {
        Word::Known(T::default())
    }
}

impl<T> From<T> for Word<T> {
    fn from(value: T) -> Self {
        Word::Known(value)
    }
}

impl<T: Serialize> Serialize for Word<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Word::Known(t) => t.serialize(serializer),
            Word::Unknown(w) => serializer.serialize_str(w),
        }
    }
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Word<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::IntoDeserializer;
        let word = String::deserialize(deserializer)?;
        let known: Result<T, serde::de::value::Error> =
            T::deserialize(word.as_str().into_deserializer());
        Ok(known.map_or(Word::Unknown(word), Word::Known))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawScenario {
    pub scenario: RawMeta,
    pub demand: Option<RawDemand>,
    pub cost: Option<RawCost>,
    pub provisions: Vec<RawProvision>,
    #[serde(default)]
    pub movers: Vec<RawMover>,
    #[serde(default)]
    pub other_lines: Vec<RawLine>,
    pub funding: RawFunding,
    pub transfer: Option<RawTransfer>,
    #[serde(default)]
    pub other_income: Vec<RawLine>,
    #[serde(default)]
    pub other_blocks: Vec<RawBlock>,
    pub dsg: RawDsg,
    #[serde(default)]
    pub general_fund: RawGeneralFund,
    pub safety_valve: Option<RawSafetyValve>,
    pub write_off: Option<RawWriteOff>,
    pub central_funding: Option<RawCentralFunding>,
    /// The reform at phase transfer (docs/model.md section 14): local replacements of the
    /// policy set's values.
    pub reform: Option<RawReform>,
    /// Overrides of the inherited policy set's values (`docs/policy.md`).
    pub policy: Option<crate::policy::PolicyOverrides>,
    #[serde(default)]
    pub mitigations: Vec<RawMitigation>,
    #[serde(default)]
    pub correlations: Vec<RawCorrelation>,
    /// The statutory assessment pipeline (docs/model.md section 9).
    pub assessments: Option<RawAssessments>,
    /// Children by age band (docs/model.md section 14), when the scenario has ages.
    pub ages: Option<RawAges>,
    /// Published figures the scenario is checked against.
    #[serde(default)]
    pub calibration: Vec<RawCalibration>,
    /// Named packages of mitigations and levers to compare.
    #[serde(default)]
    pub options: Vec<RawOption>,
    /// The approved budget for one or more projected years (docs/model.md section 10).
    #[serde(default)]
    pub budget: Vec<RawBudget>,
}

/// One row of `[[budget]]`: the approved high-needs budget for a year.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawBudget {
    pub year: String,
    pub source: Option<String>,
    /// The total; without it, the lines must cover every provision and line.
    pub total: Option<f64>,
    /// All other high-needs lines together.
    pub other_lines: Option<f64>,
    /// Mitigation costs charged to the DSG.
    pub mitigation_costs: Option<f64>,
    /// Per provision, by name.
    #[serde(default)]
    pub provisions: BTreeMap<String, RawBudgetLine>,
}

/// A provision's budget: a sum, or a planned caseload and unit cost.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawBudgetLine {
    pub amount: Option<f64>,
    pub caseload: Option<f64>,
    pub unit_cost: Option<f64>,
}

/// One row of `[[options]]`: a package of the scenario's mitigations and levers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawOption {
    pub name: String,
    pub description: Option<String>,
    /// The mitigations in the package (the others are off).
    #[serde(default)]
    pub mitigations: Vec<String>,
    pub savings: Option<RawLeverAmount>,
    pub contribution: Option<RawLeverAmount>,
}

/// A lever in an option: so many pounds a year from a year on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawLeverAmount {
    pub amount: f64,
    pub from: String,
}

/// One row of `[[calibration]]`: a published figure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawCalibration {
    pub source: String,
    pub figure: String,
    pub series: String,
    pub year: String,
    pub value: f64,
    pub policy: Option<String>,
    #[serde(default)]
    pub inside_90: bool,
    pub percentile: Option<f64>,
    pub tolerance: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawMeta {
    pub name: String,
    pub authority: Option<String>,
    /// The ONS code of the council whose published data the scenario is built on
    /// (`dsg init --la` writes it): the report then shows the growth model's track record there.
    pub area_code: Option<String>,
    pub description: Option<String>,
    pub base_year: String,
    pub horizon_years: i64,
    #[serde(default)]
    pub sources: Vec<String>,
    /// The national policy set the scenario inherits (`docs/policy.md`); none: only the standing
    /// rules (forum limit, override end, default growths), no national events.
    pub policy: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawDemand {
    pub growth: Option<NumInput>,
    pub joiners: Option<RawJoiners>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawJoiners {
    pub opening: NumInput,
    pub growth: Option<NumInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawCost {
    pub inflation: Option<NumInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawProvision {
    pub name: String,
    pub label: Option<String>,
    pub caseload: NumInput,
    pub unit_cost: NumInput,
    pub model: Option<Word<ModelName>>,
    pub growth: Option<NumInput>,
    pub joiner_share: Option<f64>,
    pub leaver_rate: Option<NumInput>,
    pub drift: Option<NumInput>,
    pub capacity: Option<NumInput>,
    pub overflow: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawMover {
    pub from: String,
    pub to: String,
    pub rate: NumInput,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawLine {
    pub name: String,
    pub amount: NumInput,
    pub growth: Option<NumInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawFunding {
    pub allocation: NumInput,
    pub growth: Option<NumInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawTransfer {
    pub schools_block: NumInput,
    pub schools_block_growth: Option<NumInput>,
    pub rate: NumInput,
    pub approval_probability: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawBlock {
    pub name: String,
    pub funding: NumInput,
    pub funding_growth: Option<NumInput>,
    pub spend: NumInput,
    pub spend_growth: Option<NumInput>,
    /// The block's own cumulative balance at the end of the base year, part of
    /// `dsg.opening_balance` (0 when not given: the whole opening balance is high needs').
    pub opening_balance: Option<NumInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawDsg {
    pub opening_balance: NumInput,
    /// `false` when the council's balance is not known (not published per council): the
    /// opening balance must then be 0, and outputs say the cumulative balance counts only what
    /// builds up after the base year.
    #[serde(default)]
    pub opening_balance_known: Option<bool>,
    #[serde(default)]
    pub history: RawHistory,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawGeneralFund {
    /// Absent: no reserves to compare the deficit with (a national scenario pools none).
    #[serde(default)]
    pub usable_reserves: Option<NumInput>,
    pub borrowing_rate: Option<NumInput>,
    pub statutory_override_ends: Option<String>,
    pub contributions: Option<NumInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawSafetyValve {
    pub on_miss: Option<Word<OnMiss>>,
    pub instalments: Vec<RawInstalment>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawInstalment {
    pub year: String,
    pub amount: NumInput,
    pub max_in_year_deficit: Option<f64>,
    pub min_cumulative_balance: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawWriteOff {
    pub deficit_at_end_of: Option<String>,
    pub paid_in: Option<String>,
    pub share: Option<NumInput>,
    pub probability: f64,
    /// The high-needs deficits (positive pounds) the council has reported for the date the
    /// deficit is measured (s251 return, DSG note, accounts): the grant is paid on the lowest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reported: Vec<f64>,
}

/// `[ages]`: caseload by age band within each provision (docs/model.md section 14).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawAges {
    /// The bands, youngest first, each `"a-b"` (ages a to b, both included) or `"a+"` (no upper
    /// age: nobody ages out); the first starts at 0 and each starts where the last ended.
    pub bands: Vec<String>,
    /// The age mix of new plans, one number a band (counts or shares; scaled to sum to 1).
    pub joiners: Option<Vec<f64>>,
    /// Each provision's opening caseload by band.
    #[serde(default)]
    pub provisions: Vec<RawAgeProvision>,
    /// Leaving rates by provision and band.
    #[serde(default)]
    pub leavers: Vec<RawAgeLeavers>,
    /// Moves between provisions at a phase transfer.
    #[serde(default)]
    pub transfers: Vec<RawAgeTransfer>,
}

/// One row of `[[ages.provisions]]`: a provision's opening caseload by band.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawAgeProvision {
    pub name: String,
    /// One number a band (counts or shares; scaled to the provision's caseload).
    pub caseload: Vec<f64>,
}

/// One row of `[[ages.leavers]]`: the yearly share of a provision's plans in a band that end.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawAgeLeavers {
    pub provision: String,
    pub band: String,
    pub leaver_rate: NumInput,
}

/// One row of `[[ages.transfers]]`: the share of the children reaching age `at` in a year that
/// move from one provision to another.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawAgeTransfer {
    pub from: String,
    pub to: String,
    pub at: u32,
    pub rate: NumInput,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawReform {
    pub from: Option<String>,
    pub probability: Option<f64>,
    pub delay_years: Option<NumInput>,
    pub transfer_share: Option<NumInput>,
    pub ending_share: Option<NumInput>,
    pub protected_share: Option<NumInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawCentralFunding {
    pub from: Option<String>,
    pub share: Option<NumInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawMitigation {
    pub name: String,
    pub kind: Word<KindName>,
    pub provision: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub effect: NumInput,
    pub start: String,
    pub ramp_years: Option<f64>,
    pub delivery: Option<NumInput>,
    pub slippage_years: Option<NumInput>,
    pub one_off_cost: Option<NumInput>,
    pub yearly_cost: Option<NumInput>,
    pub costs_charged_to: Option<Word<ChargedTo>>,
    pub description: Option<String>,
    /// Staffing only: pounds a year per FTE in post.
    pub cost_per_fte: Option<NumInput>,
    /// Staffing only: the last year of effect (a temporary team).
    pub end: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawCorrelation {
    pub between: Vec<String>,
    pub rho: f64,
}

/// Cumulative balances of past years, for charts (`history = { "2022-23" = -12e6 }`).
pub type RawHistory = BTreeMap<String, f64>;

impl RawScenario {
    /// Reads a scenario as written, with the key path of every key it does not know
    /// (`provisions[0].caseloads`): a misspelt key is reported, never silently ignored, and every
    /// one of them is found, not just the first.
    ///
    /// ```
    /// use dsg_core::raw::RawScenario;
    /// let text = "[scenario]\nname = \"x\"\nbase_year = \"2025-26\"\nhorizon_years = 1\ncolour = \"red\"\n\
    ///     [[provisions]]\nname = \"a\"\ncaseload = 1\nunit_cost = 1\nsize = 3\n\
    ///     [funding]\nallocation = 1\n[dsg]\nopening_balance = 0\n[general_fund]\nusable_reserves = 0\n";
    /// let (raw, unknown) = RawScenario::read(toml::Deserializer::parse(text)?)?;
    /// assert_eq!(raw.scenario.name, "x");
    /// assert_eq!(unknown, ["provisions[0].size", "scenario.colour"]);
    /// # Ok::<(), toml::de::Error>(())
    /// ```
    pub fn read<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<(RawScenario, Vec<String>), D::Error> {
        let mut unknown = Vec::new();
        let raw = serde_ignored::deserialize(deserializer, |path| unknown.push(key_path(&path)))?;
        Ok((raw, unknown))
    }

    /// As [`RawScenario::read`], with the unknown keys met before any error too (a file still
    /// missing a section has its misspelt keys named): for the scenario editor.
    pub(crate) fn read_unknown<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> (Result<RawScenario, D::Error>, Vec<String>) {
        let mut unknown = Vec::new();
        let raw = serde_ignored::deserialize(deserializer, |path| unknown.push(key_path(&path)));
        (raw, unknown)
    }
}

/// A serde_ignored path as a scenario key path: `provisions[0].caseloads`.
fn key_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", key_path(parent)),
        Path::Map { parent, key } => {
            let parent = key_path(parent);
            if parent.is_empty() {
                key.to_string()
            } else {
                format!("{parent}.{key}")
            }
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => key_path(parent),
    }
}
