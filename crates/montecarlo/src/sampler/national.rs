//! Shared national shocks (docs/model.md section 15): in a national run every council draws its
//! own inputs from streams keyed by the council as well as the path, the national inputs from the
//! path's streams alone (the same draw for every council on a path), and its demand growth's
//! normal scores as a mix of a national factor and its own:
//! `z = sqrt(rho) * z_national + sqrt(1 - rho) * z_own`.
//!
//! In a run of many councils the values every council would draw alike (a national input two
//! councils define the same way, the national factor's scores) are drawn once a path by the
//! first council and copied by the others: the same values, drawn once.

use dsg_core::params::{ParamSpec, Shape, Slot};
use dsg_core::{Dist, Inputs, Per, Scenario};
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
    /// National inputs this council takes from an earlier council of the run on the same path
    /// (their definitions are the same, so are their draws): their streams, and where each
    /// value goes, `(index in the path's row of shared draws, offset)`.
    borrowed: Vec<u64>,
    borrow: Vec<(usize, usize)>,
    /// National inputs this council draws for later councils: `(index in the row, offset)`.
    donate: Vec<(usize, usize)>,
    /// Where the national factor's scores of demand growth sit in the row, and whether this
    /// council draws them (the first council with a demand growth) or copies them.
    factor: Option<(usize, bool)>,
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
            borrowed: Vec::new(),
            borrow: Vec::new(),
            donate: Vec::new(),
            factor: None,
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

/// A national draw placed in a path's row of shared draws: `(index in
/// [`PathSampler::national_draws`], first index in the row)`.
pub(crate) type Placed = (usize, usize);

/// The national factor's scores of demand growth on the path keyed `path` (the same for every
/// council): the level score, then one a year, as many as `scores` holds.
fn draw_factor(path: u64, scores: &mut [f64]) {
    let mut rng = input_rng(path, stream_id(NATIONAL_GROWTH_STREAM));
    for z in scores {
        *z = StandardNormal.sample(&mut rng);
    }
}

/// A national input drawn on its own: two councils whose definitions are equal draw the same
/// values on a path (its stream is keyed by the path alone).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NationalDraw {
    stream: u64,
    definition: Definition,
    /// The slots it writes, in the order it writes them.
    pub(crate) offsets: Vec<usize>,
}

impl NationalDraw {
    /// True when `other` draws the same values into as many slots.
    pub(crate) fn same_draws(&self, other: &NationalDraw) -> bool {
        self.stream == other.stream
            && self.definition == other.definition
            && self.offsets.len() == other.offsets.len()
    }
}

/// What an input's draws depend on: its key (its stream), distributions and persistence, and
/// its parameter uncertainty.
#[derive(Debug, Clone, PartialEq)]
struct Definition {
    key: String,
    shape: Shape,
    slots: Vec<Slot>,
    per: Per,
    persistence: f64,
    hyper: Option<(Option<Dist>, Option<Dist>)>,
}

impl Definition {
    fn of(spec: &ParamSpec, hyper: Option<&dsg_core::Hyper>) -> Self {
        Definition {
            key: spec.key.clone(),
            shape: spec.shape,
            slots: spec.slots.clone(),
            per: spec.per,
            persistence: spec.persistence,
            hyper: hyper.map(|h| (h.location.clone(), h.scale.clone())),
        }
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

    /// [`PathSampler::fill`] in a national run. With `row` (the path's shared national draws, as
    /// the run's engine keeps them), the national inputs an earlier council has drawn are copied
    /// from it rather than drawn again, and those a later council will copy are written to it;
    /// without, every input is drawn here. Either way the values are the same.
    #[inline(never)]
    pub(super) fn fill_national(
        &self,
        plan: &NationalPlan,
        path: u64,
        scratch: &mut SamplerScratch,
        inputs: &mut Inputs,
        lane: usize,
        mut row: Option<&mut [f64]>,
    ) {
        let own = splitmix64(path ^ plan.salt);
        let growth = plan.growth.map(|_| stream_id(GROWTH_KEY));
        let sharing = row.is_some();
        self.fill_from(
            |stream| plan.key(stream, path, own),
            |stream| Some(stream) == growth || (sharing && plan.borrowed.contains(&stream)),
            scratch,
            inputs,
            lane,
        );
        if let Some(form) = plan.growth {
            let n = self.factor_scores();
            let factor = match (row.as_deref_mut(), plan.factor) {
                (Some(row), Some((start, first))) => {
                    let scores = &mut row[start..start + n];
                    if first {
                        draw_factor(path, scores);
                    }
                    &*scores
                }
                _ => {
                    let scores = &mut scratch.factor[..n];
                    draw_factor(path, scores);
                    &*scores
                }
            };
            let mut mine = input_rng(own, stream_id(GROWTH_KEY));
            self.mix_growth(plan, form, (factor, &mut mine), inputs, lane);
        }
        if let Some(row) = row {
            for &(j, offset) in &plan.donate {
                row[j] = inputs.slot(offset)[lane];
            }
            for &(j, offset) in &plan.borrow {
                inputs.set(offset, lane, row[j]);
            }
        }
        if !self.shared.is_empty() {
            inputs.copy_shared(&self.shared, lane);
        }
    }

    /// [`PathSampler::fill`] in a national run whose engine keeps each path's shared national
    /// draws in `row` (see [`PathSampler::share_national`]).
    #[inline]
    pub(crate) fn fill_sharing<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        scratch: &mut SamplerScratch,
        inputs: &mut Inputs,
        lane: usize,
        row: &mut [f64],
    ) {
        let path = rng.next_u64();
        match &self.national {
            Some(plan) => self.fill_national(plan, path, scratch, inputs, lane, Some(row)),
            None => {
                self.fill_from(|_| path, |_| false, scratch, inputs, lane);
                if !self.shared.is_empty() {
                    inputs.copy_shared(&self.shared, lane);
                }
            }
        }
    }

    /// The national factor's scores of demand growth a path draws: a level score, then one a
    /// year.
    pub(crate) fn factor_scores(&self) -> usize {
        self.horizon + 1
    }

    /// Whether this sampler mixes a national factor into its demand growth.
    pub(crate) fn mixes_factor(&self) -> bool {
        self.national.as_ref().is_some_and(|p| p.growth.is_some())
    }

    /// The national inputs this sampler draws on their own (not correlated with others): what
    /// defines their draws and the slots they write.
    pub(crate) fn national_draws(&self, scenario: &Scenario) -> Vec<NationalDraw> {
        let params = scenario.params();
        let mut out = Vec::new();
        for (index, spec) in params.specs().iter().enumerate() {
            if !is_national(&spec.key) {
                continue;
            }
            let stream = stream_id(&spec.key);
            let Some(offsets) = self.written_offsets(stream) else {
                continue;
            };
            out.push(NationalDraw {
                stream,
                definition: Definition::of(spec, params.hyper_of(index)),
                offsets,
            });
        }
        out
    }

    /// The slots the input drawn from `stream` writes, when it is drawn on its own.
    fn written_offsets(&self, stream: u64) -> Option<Vec<usize>> {
        if let Some(u) = self.path_inputs.iter().find(|u| u.stream == stream) {
            let drawn = u.drawers.iter().enumerate().filter(|(_, d)| d.is_some());
            return Some(drawn.map(|(i, _)| u.base + i).collect());
        }
        if let Some(p) = self.year_persistent.iter().find(|p| p.stream == stream) {
            return Some(p.yearly.iter().flatten().map(|s| s.offset).collect());
        }
        if let Some(y) = self.year_inputs.iter().find(|y| y.stream == stream) {
            return Some(y.draws.iter().map(|(offset, _)| *offset).collect());
        }
        let h = self.hyper_inputs.iter().find(|h| h.stream == stream)?;
        let drawn = (0..self.horizon).filter(|&t| h.drawn.get(t).copied().unwrap_or(true));
        Some(drawn.map(|t| h.base + t).collect())
    }

    /// Sets which national inputs this sampler takes from the path's shared draws (`borrow`)
    /// and which it writes there (`donate`), each as `(national draw, first index in the row)`
    /// of [`PathSampler::national_draws`]. Does nothing outside a national run.
    /// `factor` places the national factor's scores of demand growth in the row: `(first index,
    /// whether this sampler draws them)`.
    pub(crate) fn share_national(
        &mut self,
        draws: &[NationalDraw],
        (borrow, donate): (&[Placed], &[Placed]),
        factor: Option<(usize, bool)>,
    ) {
        let Some(plan) = self.national.as_mut() else {
            return;
        };
        let pairs = |list: &[Placed]| -> Vec<(usize, usize)> {
            list.iter()
                .flat_map(|&(d, start)| {
                    draws[d]
                        .offsets
                        .iter()
                        .enumerate()
                        .map(move |(i, &offset)| (start + i, offset))
                })
                .collect()
        };
        plan.borrowed = borrow.iter().map(|&(d, _)| draws[d].stream).collect();
        plan.borrow = pairs(borrow);
        plan.donate = pairs(donate);
        plan.factor = factor;
    }

    /// Redraws the demand growth from mixed scores. The national stream gives a level score
    /// first, then one score a year; every form of growth reads them in that order.
    fn mix_growth<R: Rng>(
        &self,
        plan: &NationalPlan,
        form: GrowthForm,
        (national, mine): (&[f64], &mut R),
        inputs: &mut Inputs,
        lane: usize,
    ) {
        let mut national = national.iter().copied();
        let mut score = |mine: &mut R| {
            let zn = national.next().unwrap_or(0.0);
            let zo: f64 = StandardNormal.sample(mine);
            plan.mix(zn, zo)
        };
        let level = score(mine);
        match form {
            GrowthForm::Hyper(i) => {
                let h = &self.hyper_inputs[i];
                let location = h.location.from_normal_score(level);
                let scale = h.scale.sample(mine);
                let mut previous = None;
                for t in 0..self.horizon {
                    let e = h.ar1.next(previous, score(mine));
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
                    let e = p.ar1.next(previous, score(mine));
                    previous = Some(e);
                    if let Some(slot) = slot {
                        inputs.set(slot.offset, lane, slot.map.from_normal_score(e));
                    }
                }
            }
            GrowthForm::Yearly(i) => {
                for (offset, d) in &self.year_inputs[i].draws {
                    inputs.set(*offset, lane, d.from_normal_score(score(mine)));
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
