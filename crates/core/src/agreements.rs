//! The validated form of a scenario's agreements and national policy events
//! (docs/model.md section 5): a safety-valve agreement and its instalments, a write-off and
//! central funding. A leaf module: it depends only on years, kinds and the parameter table.

use serde::Serialize;

use crate::kinds::OnMiss;
use crate::params::ParamId;
use crate::year::FinancialYear;

/// The condition a safety-valve instalment is paid on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// In-year deficit at most this many pounds: `I[t] >= -x`.
    MaxInYearDeficit(f64),
    /// Cumulative balance, before this year's safety-valve and write-off receipts, at least this.
    MinCumulativeBalance(f64),
}

/// One scheduled safety-valve instalment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instalment {
    /// Year due.
    pub year: FinancialYear,
    /// Projection year index (1-based).
    pub t: usize,
    /// Amount (pounds).
    pub amount: ParamId,
    /// The condition.
    pub target: Target,
}

/// A safety-valve agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SafetyValve {
    /// Withhold or defer a missed instalment.
    pub on_miss: OnMiss,
    /// Instalments in year order.
    pub instalments: Vec<Instalment>,
}

/// A one-off grant writing off a share of the high-needs deficit recorded at the end of a year
/// (docs/model.md section 5: other blocks' deficits are excluded).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WriteOff {
    /// Year index (0 = base year) at whose end the deficit is measured.
    pub measured_at: usize,
    /// Year index (1-based) in which the grant is received.
    pub paid_in: usize,
    /// Share of the high-needs deficit written off.
    pub share: ParamId,
    /// Whether the plan it depends on is approved (an event).
    pub approved: ParamId,
    /// The lowest high-needs deficit (positive pounds) the council has reported for the date
    /// the deficit is measured, when it listed any: the grant is paid on the lower of this and
    /// the projected deficit (the High Needs Stability Grant's rule).
    pub lowest_reported: Option<f64>,
}

/// Central government meeting a share of each in-year high-needs deficit from a year on (other
/// blocks' in-year balances are excluded).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CentralFunding {
    /// First year index (1-based).
    pub from: usize,
    /// Share of the in-year high-needs deficit met.
    pub share: ParamId,
}
