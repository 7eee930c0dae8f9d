//! Children by age band within each provision (docs/model.md section 14): the validated form of
//! a scenario's `[ages]`.

use serde::Serialize;

use crate::params::ParamId;

/// One age band: ages `from` to `to` (both included), or from `from` up when `to` is `None`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgeBand {
    /// As written: `"5-10"`, `"20+"`.
    pub name: String,
    /// The youngest age in the band.
    pub from: u32,
    /// The oldest age in the band; `None` for an open band (nobody ages out of it).
    pub to: Option<u32>,
}

impl AgeBand {
    /// The share of the band that reaches the next age band each year: 1 / width (0 for an open
    /// band).
    ///
    /// ```
    /// use dsg_core::scenario::AgeBand;
    /// let b = AgeBand { name: "5-10".into(), from: 5, to: Some(10) };
    /// assert_eq!(b.ageing_share(), 1.0 / 6.0);
    /// assert_eq!(AgeBand { name: "0+".into(), from: 0, to: None }.ageing_share(), 0.0);
    /// ```
    pub fn ageing_share(&self) -> f64 {
        match self.to {
            Some(to) => 1.0 / f64::from(to + 1 - self.from),
            None => 0.0,
        }
    }
}

/// The DSG management plan's five age bands (under 5, 5-10, 11-15, 16-19, 20-25): the lower ages.
pub const PLAN_BAND_STARTS: [u32; 5] = [0, 5, 11, 16, 20];

/// The ages at a phase transfer, where the reform reviews plans: a child reaching 5, 11 or 16.
pub const TRANSFER_AGES: [u32; 3] = [5, 11, 16];

/// A move between provisions at a phase transfer: each year the share `rate` of the children of
/// `from` who reached the band `band` (whose youngest age is the transfer age) moves to `to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgeTransfer {
    /// Origin provision.
    pub from: usize,
    /// Destination provision.
    pub to: usize,
    /// The band the children move into (its youngest age is the age of transfer).
    pub band: usize,
    /// The share of those reaching the band who move, per year.
    pub rate: ParamId,
}

/// Children by age band within each provision (docs/model.md section 14).
///
/// Per-provision arrays are laid out `[provision][band]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ages {
    /// The bands, youngest first.
    pub bands: Vec<AgeBand>,
    /// Per band: the share that ages into the next band each year (1 / width, 0 when open).
    pub ageing: Vec<f64>,
    /// The age mix of new plans (sums to 1).
    pub joiners: Vec<f64>,
    /// The opening caseload's mix by band, `[provision][band]` (each provision's sums to 1).
    pub opening: Vec<f64>,
    /// The leaving rate of each provision and band, `[provision][band]`: its own, the flow
    /// model's leaving rate of the provision, or none (net growth).
    pub leavers: Vec<Option<ParamId>>,
    /// Moves at a phase transfer.
    pub transfers: Vec<AgeTransfer>,
    /// The bands whose youngest age is a transfer age (5, 11, 16): the reform reviews the
    /// children reaching them. Empty when no band starts at one: the reform then acts on the
    /// whole caseload, as in the model without ages.
    pub reform_bands: Vec<usize>,
    /// Per band, the management plan's band it lies within (an index into
    /// [`PLAN_BAND_STARTS`]); empty when some band straddles two of them (then no series by
    /// band is reported).
    pub plan_band: Vec<usize>,
}

impl Ages {
    /// Number of bands.
    pub fn len(&self) -> usize {
        self.bands.len()
    }

    /// Whether there are no bands (never, in a validated scenario).
    pub fn is_empty(&self) -> bool {
        self.bands.is_empty()
    }
}
