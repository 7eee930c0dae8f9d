//! Shared national shocks (docs/model.md section 15): in a national run every council draws its
//! own inputs from streams keyed by the council as well as the path, the national inputs from the
//! path's streams alone (the same draw for every council on a path), and its demand growth's
//! normal scores as a mix of a national factor and its own:
//! `z = sqrt(rho) * z_national + sqrt(1 - rho) * z_own`.

use dsg_core::{Inputs, Scenario};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::{PathSampler, SamplerScratch, input_rng, splitmix64, stream_id};
use crate::error::McError;

/// The input whose scores mix the national factor with the council's own.
///
/// ```
/// assert_eq!(dsg_montecarlo::sampler::GROWTH_KEY, "demand.growth");
/// ```
pub const GROWTH_KEY: &str = "demand.growth";

/// Inputs that are national, not the council's: on a path, every council draws the same value
/// (a key matches when it equals an entry or starts with it followed by `.` or `[`). Pay and
/// price inflation, the national settlement's growth, the share of a deficit written off and
/// the share of cost pressures the centre takes and the reform at phase transfer are decided
/// once for England; a council's
/// approval of its own plan (`write_off.probability`) or of a transfer is its own event.
///
/// ```
/// assert!(dsg_montecarlo::sampler::NATIONAL_KEYS.contains(&"cost.inflation"));
/// ```
pub const NATIONAL_KEYS: &[&str] = &[
    "cost.inflation",
    "funding.growth",
    "write_off.value.share",
    "write_off.share",
    "central_funding",
    "reform",
];

/// Stream name of the national factor of demand growth.
const NATIONAL_GROWTH_STREAM: &str = "national.demand.growth";

/// How one council takes part in shared national shocks.
///
/// ```
/// use dsg_montecarlo::sampler::NationalShocks;
/// let s = NationalShocks { share: 0.3, council: "E10000003".into() };
/// assert_eq!(s.share, 0.3);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NationalShocks {
    /// rho: the share of the variance of a council's demand-growth scores that is national.
    pub share: f64,
    /// The council's identity (its ONS code in a national run from the panel): its own streams
    /// are keyed by it, so two councils' own draws are independent.
    pub council: String,
}

/// Where the demand growth is drawn.
#[derive(Debug, Clone, Copy)]
enum GrowthForm {
    /// A yearly input with parameter uncertainty (`hyper_inputs[i]`): level score, then years.
    Hyper(usize),
    /// A persistent yearly input (`year_persistent[i]`).
    Persistent(usize),
    /// A yearly input drawn afresh each year (`year_inputs[i]`).
    Yearly(usize),
    /// A per-path input (`path_inputs[i]`), one score.
    Path(usize),
}

/// [`NationalShocks`] prepared for a sampler.
#[derive(Debug, Clone)]
pub(super) struct NationalPlan {
    /// Keys the council's own streams: `splitmix64(path ^ salt)`.
    salt: u64,
    /// Streams of national inputs.
    national: Vec<u64>,
    /// sqrt(rho), sqrt(1 - rho).
    weights: (f64, f64),
    growth: Option<GrowthForm>,
}

impl NationalPlan {
    pub(super) fn new(scenario: &Scenario, shocks: &NationalShocks) -> Result<Self, McError> {
        let rho = shocks.share;
        if !(0.0..=1.0).contains(&rho) {
            return Err(McError::Settings(format!(
                "the national share of growth shocks must be between 0 and 1, not {rho}"
            )));
        }
        let params = scenario.params();
        let national = params
            .specs()
            .iter()
            .filter(|spec| is_national(&spec.key))
            .map(|spec| stream_id(&spec.key))
            .collect();
        Ok(NationalPlan {
            salt: stream_id(&format!("council.{}", shocks.council)),
            national,
            weights: (rho.sqrt(), (1.0 - rho).sqrt()),
            growth: None,
        })
    }

    /// The stream key of `stream` on a path keyed `path` whose council's key is `own`.
    #[inline]
    fn key(&self, stream: u64, path: u64, own: u64) -> u64 {
        if self.national.contains(&stream) {
            path
        } else {
            own
        }
    }

    /// Mixes a national and an own score.
    #[inline]
    fn mix(&self, national: f64, own: f64) -> f64 {
        self.weights.0 * national + self.weights.1 * own
    }
}

/// Whether `key` names a national input ([`NATIONAL_KEYS`]).
fn is_national(key: &str) -> bool {
    NATIONAL_KEYS.iter().any(|n| {
        key.strip_prefix(n)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
    })
}

impl PathSampler {
    /// This sampler with `shocks`: its council's own inputs draw from streams keyed by the
    /// council as well as the path, the national inputs ([`NATIONAL_KEYS`]) from the path's
    /// streams alone, and its demand growth's scores mix a national factor with its own
    /// (docs/model.md section 15).
    ///
    /// # Errors
    /// [`McError::Input`] when the demand growth is correlated with other inputs (a mix of the
    /// national factor and a copula is not supported); [`McError::Settings`] for a share outside
    /// `[0, 1]`.
    pub fn with_national(
        mut self,
        scenario: &Scenario,
        shocks: &NationalShocks,
    ) -> Result<Self, McError> {
        let mut plan = NationalPlan::new(scenario, shocks)?;
        plan.growth = self.locate_growth()?;
        self.national = Some(plan);
        Ok(self)
    }

    /// Where the demand growth is drawn.
    fn locate_growth(&self) -> Result<Option<GrowthForm>, McError> {
        let id = stream_id(GROWTH_KEY);
        let correlated = self
            .path_group
            .members
            .iter()
            .chain(&self.year_group.members)
            .any(|m| m.stream == id);
        if correlated {
            return Err(McError::Input {
                key: GROWTH_KEY.into(),
                message: "a national run cannot yet mix national shocks into a demand growth that is correlated with other inputs".into(),
            });
        }
        let form = if let Some(i) = self.hyper_inputs.iter().position(|h| h.stream == id) {
            Some(GrowthForm::Hyper(i))
        } else if let Some(i) = self.year_persistent.iter().position(|p| p.stream == id) {
            Some(GrowthForm::Persistent(i))
        } else if let Some(i) = self.year_inputs.iter().position(|y| y.stream == id) {
            Some(GrowthForm::Yearly(i))
        } else {
            self.path_inputs
                .iter()
                .position(|u| u.stream == id)
                .map(GrowthForm::Path)
        };
        Ok(form)
    }

    /// [`PathSampler::fill`] in a national run.
    #[inline(never)]
    pub(super) fn fill_national(
        &self,
        plan: &NationalPlan,
        path: u64,
        scratch: &mut SamplerScratch,
        inputs: &mut Inputs,
        lane: usize,
    ) {
        let own = splitmix64(path ^ plan.salt);
        let skip = plan.growth.map(|_| stream_id(GROWTH_KEY));
        self.fill_from(
            |stream| plan.key(stream, path, own),
            skip,
            scratch,
            inputs,
            lane,
        );
        if let Some(form) = plan.growth {
            let id = stream_id(GROWTH_KEY);
            let mut national = input_rng(path, stream_id(NATIONAL_GROWTH_STREAM));
            let mut mine = input_rng(own, id);
            self.mix_growth(plan, form, (&mut national, &mut mine), inputs, lane);
        }
        if !self.shared.is_empty() {
            inputs.copy_shared(&self.shared, lane);
        }
    }

    /// Redraws the demand growth from mixed scores. The national stream gives a level score
    /// first, then one score a year; every form of growth reads them in that order.
    fn mix_growth<R: Rng>(
        &self,
        plan: &NationalPlan,
        form: GrowthForm,
        (national, mine): (&mut R, &mut R),
        inputs: &mut Inputs,
        lane: usize,
    ) {
        let score = |national: &mut R, mine: &mut R| {
            let zn: f64 = StandardNormal.sample(national);
            let zo: f64 = StandardNormal.sample(mine);
            plan.mix(zn, zo)
        };
        let level = score(national, mine);
        match form {
            GrowthForm::Hyper(i) => {
                let h = &self.hyper_inputs[i];
                let location = h.location.from_normal_score(level);
                let scale = h.scale.sample(mine);
                let mut previous = None;
                for t in 0..self.horizon {
                    let e = h.ar1.next(previous, score(national, mine));
                    previous = Some(e);
                    let x = location + scale * e;
                    let value = match h.lognormal_shift {
                        Some(shift) => shift + x.exp(),
                        None => x,
                    };
                    inputs.set(h.base + t, lane, value);
                }
            }
            GrowthForm::Persistent(i) => {
                let p = &self.year_persistent[i];
                let mut previous = None;
                for slot in &p.yearly {
                    let e = p.ar1.next(previous, score(national, mine));
                    previous = Some(e);
                    if let Some(slot) = slot {
                        inputs.set(slot.offset, lane, slot.map.from_normal_score(e));
                    }
                }
            }
            GrowthForm::Yearly(i) => {
                for (offset, d) in &self.year_inputs[i].draws {
                    inputs.set(*offset, lane, d.from_normal_score(score(national, mine)));
                }
            }
            GrowthForm::Path(i) => {
                let u = &self.path_inputs[i];
                u.fill_all(inputs, lane, |d| d.from_normal_score(level));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_keys_match_whole_names() {
        assert!(is_national("cost.inflation"));
        assert!(is_national("funding.growth"));
        assert!(is_national("central_funding.share"));
        assert!(!is_national("cost.inflation_extra"));
        assert!(!is_national("demand.growth"));
        assert!(!is_national("write_off.probability"));
    }
}
