//! The reform at phase transfer as a validated scenario holds it (docs/model.md section 14),
//! re-exported as `dsg_core::scenario::Reform`.
//!
//! ```
//! let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml")).unwrap();
//! let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml").unwrap();
//! let reform: &dsg_core::scenario::Reform = s.reform().expect("england-2026-06 has it");
//! assert_eq!(s.year(reform.from).to_string(), "2029-30");
//! ```

use serde::Serialize;

use crate::params::ParamId;

/// The reform at phase transfer (docs/model.md section 14): from year `from`, once the drawn
/// delay has passed and if it goes ahead, each year a share `transfer_share x ending_share x
/// (1 - protected_share)` of every provision's plans ends or moves to support without a plan.
///
/// The aggregate model has no ages, so the share reviewed at a transfer stands for the plans at
/// the transfer ages (4-5, 10-11, 15-16); a model with ages applies the same dated values to
/// those ages alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reform {
    /// The first year index (1-based) the reform may act in.
    pub from: usize,
    /// Whether it goes ahead (an event).
    pub happens: ParamId,
    /// Delay of the start, in years (fractions act on part of a year).
    pub delay_years: ParamId,
    /// Share of each year's plans reviewed at a phase transfer.
    pub transfer_share: ParamId,
    /// Share of those reviewed whose plan ends or moves to support without a plan.
    pub ending_share: ParamId,
    /// Share of those reviewed the protected cohort keeps.
    pub protected_share: ParamId,
}
