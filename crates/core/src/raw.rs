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
//!     general_fund: RawGeneralFund { usable_reserves: 1_000_000.0.into(), ..Default::default() },
//!     ..Default::default()
//! };
//! let scenario = dsg_core::Scenario::from_raw(&raw)?;
//! assert_eq!(scenario.horizon, 5);
//! # Ok::<(), dsg_core::ScenarioError>(())
//! ```
//!
//! Every key is described in `docs/scenario-reference.md`.
#![allow(missing_docs)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dist::Dist;

/// A numeric input as written: a number, or a table (a distribution such as
/// `{ dist = "normal", mean = 0.12, sd = 0.025 }`, or a per-year table such as
/// `{ other_years = 0.07, "2026-27" = 0.0 }`).
#[derive(Debug, Clone, PartialEq)]
pub enum NumInput {
    /// A plain number.
    Number(f64),
    /// A table, interpreted during validation.
    Table(toml::Table),
}

impl Default for NumInput {
    fn default() -> Self {
        NumInput::Number(0.0)
    }
}

impl From<f64> for NumInput {
    fn from(x: f64) -> Self {
        NumInput::Number(x)
    }
}

impl NumInput {
    /// A distribution, drawn per path (`per = None`) or as `per` says, with optional AR(1)
    /// `persistence`.
    ///
    /// ```
    /// use dsg_core::{raw::NumInput, Dist, Per};
    /// let growth = NumInput::distribution(&Dist::Normal { mean: 0.12, sd: 0.02 }, Some(Per::Year), 0.5);
    /// assert!(matches!(growth, NumInput::Table(_)));
    /// ```
    pub fn distribution(dist: &Dist, per: Option<crate::Per>, persistence: f64) -> Self {
        let mut table = match toml::Value::try_from(dist) {
            Ok(toml::Value::Table(t)) => t,
            _ => toml::Table::new(),
        };
        if let Some(per) = per {
            let word = match per {
                crate::Per::Path => "path",
                crate::Per::Year => "year",
            };
            table.insert("per".into(), toml::Value::String(word.into()));
        }
        if persistence != 0.0 {
            table.insert("persistence".into(), toml::Value::Float(persistence));
        }
        NumInput::Table(table)
    }
}

impl Serialize for NumInput {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            NumInput::Number(x) => serializer.serialize_f64(*x),
            NumInput::Table(t) => t.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for NumInput {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(deserializer)? {
            toml::Value::Float(x) => Ok(NumInput::Number(x)),
            toml::Value::Integer(i) => Ok(NumInput::Number(i as f64)),
            toml::Value::Table(t) => Ok(NumInput::Table(t)),
            other => Err(serde::de::Error::custom(format!(
                "expected a number or a table such as {{ dist = \"normal\", mean = 0.1, sd = 0.02 }}, found {}",
                other.type_str()
            ))),
        }
    }
}

/// The whole scenario file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    pub general_fund: RawGeneralFund,
    pub safety_valve: Option<RawSafetyValve>,
    pub write_off: Option<RawWriteOff>,
    pub central_funding: Option<RawCentralFunding>,
    #[serde(default)]
    pub mitigations: Vec<RawMitigation>,
    #[serde(default)]
    pub correlations: Vec<RawCorrelation>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub name: String,
    pub authority: Option<String>,
    pub description: Option<String>,
    pub base_year: String,
    pub horizon_years: i64,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDemand {
    pub growth: Option<NumInput>,
    pub joiners: Option<RawJoiners>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawJoiners {
    pub opening: NumInput,
    pub growth: Option<NumInput>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCost {
    pub inflation: Option<NumInput>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProvision {
    pub name: String,
    pub label: Option<String>,
    pub caseload: NumInput,
    pub unit_cost: NumInput,
    pub model: Option<String>,
    pub growth: Option<NumInput>,
    pub joiner_share: Option<f64>,
    pub leaver_rate: Option<NumInput>,
    pub drift: Option<NumInput>,
    pub capacity: Option<NumInput>,
    pub overflow: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMover {
    pub from: String,
    pub to: String,
    pub rate: NumInput,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLine {
    pub name: String,
    pub amount: NumInput,
    pub growth: Option<NumInput>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFunding {
    pub allocation: NumInput,
    pub growth: Option<NumInput>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTransfer {
    pub schools_block: NumInput,
    pub schools_block_growth: Option<NumInput>,
    pub rate: NumInput,
    pub approval_probability: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBlock {
    pub name: String,
    pub funding: NumInput,
    pub funding_growth: Option<NumInput>,
    pub spend: NumInput,
    pub spend_growth: Option<NumInput>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDsg {
    pub opening_balance: NumInput,
    #[serde(default)]
    pub history: RawHistory,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGeneralFund {
    pub usable_reserves: NumInput,
    pub borrowing_rate: Option<NumInput>,
    pub statutory_override_ends: Option<String>,
    pub contributions: Option<NumInput>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSafetyValve {
    pub on_miss: Option<String>,
    pub instalments: Vec<RawInstalment>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInstalment {
    pub year: String,
    pub amount: NumInput,
    pub max_in_year_deficit: Option<f64>,
    pub min_cumulative_balance: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWriteOff {
    pub deficit_at_end_of: String,
    pub paid_in: Option<String>,
    pub share: NumInput,
    pub probability: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCentralFunding {
    pub from: String,
    pub share: NumInput,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMitigation {
    pub name: String,
    pub kind: String,
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
    pub costs_charged_to: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrelation {
    pub between: Vec<String>,
    pub rho: f64,
}

/// Cumulative balances of past years, for charts (`history = { "2022-23" = -12e6 }`).
pub type RawHistory = BTreeMap<String, f64>;
