//! Filling one path's [`Inputs`] from the scenario's distributions
//! (docs/model.md section 7): per-path or per-year draws, AR(1) persistence and a Gaussian copula
//! for correlated inputs.
//!
//! Streams (part of the value-stability promise): each uncertain input draws from its own
//! generator, derived from the path's generator and the input's key ([`crate::stream::input_rng`]),
//! and so do the correlated inputs drawn per path and those drawn per year (each group one
//! generator, named `correlations.per_path` and `correlations.per_year`). An input's draws
//! therefore depend on the seed, the path and its own key and distribution only: a policy set or
//! a `[policy]` override that adds, removes or fixes another input (a write-off, central funding,
//! a year of funding growth) changes no draw of this one. Within an input's stream: a per-path
//! input draws once (or one normal score mapped through each year's distribution); a yearly input
//! draws each uncertain year in order, a persistent one a normal score each year; an input with
//! parameter uncertainty draws its location and scale, then each year's score.

use dsg_core::correlation::CorrelationMatrix;
use dsg_core::{Dist, Inputs, Per, Scenario, Slot};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::draw::{Ar1, Drawer};
use crate::error::McError;
use crate::stream::{PathRng, input_rng, splitmix64, stream_id};

pub(crate) use national::NationalDraw;
use national::NationalPlan;
pub use national::{GROWTH_KEY, NATIONAL_KEYS, NationalShocks};

mod national;

/// Stream name of the correlated inputs drawn once per path.
const PATH_GROUP: &str = "correlations.per_path";
/// Stream name of the correlated inputs drawn each year.
const YEAR_GROUP: &str = "correlations.per_year";

/// One uncertain input: a drawer for each of its slots that is uncertain (`None` for slots that
/// are fixed or shared with another input).
#[derive(Debug, Clone)]
struct Uncertain {
    /// Position of the input in the parameter table.
    index: usize,
    /// The input's stream within a path ([`stream_id`] of its key).
    stream: u64,
    /// Offset of the input's first slot.
    base: usize,
    /// One entry per slot (per year for a yearly input).
    drawers: Vec<Option<Drawer>>,
    /// Every slot has the same distribution (a per-path input can then draw once).
    uniform: bool,
}

impl Uncertain {
    fn new(scenario: &Scenario, index: usize) -> Result<Self, McError> {
        let params = &scenario.params();
        let spec = &params.specs()[index];
        let mut drawers = Vec::with_capacity(spec.slots.len());
        for slot in &spec.slots {
            drawers.push(match slot {
                Slot::Own(dist) if !dist.is_fixed() => {
                    Some(Drawer::new(dist).map_err(|e| McError::Input {
                        key: spec.key.clone(),
                        message: e.to_string(),
                    })?)
                }
                _ => None,
            });
        }
        let first = spec.slots.first();
        Ok(Uncertain {
            index,
            stream: stream_id(&spec.key),
            base: params.id(index).offset(),
            drawers,
            uniform: spec.slots.iter().all(|s| Some(s) == first),
        })
    }

    /// Writes `value_of(drawer)` into every uncertain slot of `lane`.
    #[inline]
    fn fill_all(&self, inputs: &mut Inputs, lane: usize, mut value_of: impl FnMut(&Drawer) -> f64) {
        for (i, d) in self.drawers.iter().enumerate() {
            if let Some(d) = d {
                inputs.set(self.base + i, lane, value_of(d));
            }
        }
    }
}

/// Inputs driven by normal scores: correlated inputs and persistent ones.
#[derive(Debug, Clone)]
struct ScoreGroup {
    /// The group's stream within a path.
    stream: u64,
    members: Vec<Uncertain>,
    /// Each member's persistence.
    ar1: Vec<Ar1>,
    /// Lower Cholesky factor, `n x n` row-major.
    lower: Vec<f64>,
    /// For a yearly group, what each member writes in year `t + 1`, `[t * n + member]`.
    yearly: Vec<Option<ScoreSlot>>,
}

/// One uncertain slot driven by a normal score.
#[derive(Debug, Clone)]
struct ScoreSlot {
    offset: usize,
    map: Drawer,
}

/// A yearly input with parameter uncertainty: location and scale drawn once per path, then each
/// year's value around them, with AR(1) persistence on the standard normal scores.
#[derive(Debug, Clone)]
struct HyperInput {
    /// The input's stream within a path.
    stream: u64,
    base: usize,
    location: Drawer,
    scale: Drawer,
    /// `Some(shift)` for a lognormal (value = shift + exp(location + scale * e)); `None` for a
    /// normal (value = location + scale * e).
    lognormal_shift: Option<f64>,
    ar1: Ar1,
    /// Whether year `t + 1` takes the draw: a year national policy fixes (the 2026-27 funding
    /// rollover) keeps its value, though its score is still drawn so the other years' draws do
    /// not depend on it.
    drawn: Vec<bool>,
}

impl HyperInput {
    fn new(scenario: &Scenario, hyper: &dsg_core::Hyper) -> Result<Self, McError> {
        let params = scenario.params();
        let spec = &params.specs()[hyper.index];
        let input_error = |message: String| McError::Input {
            key: spec.key.clone(),
            message,
        };
        let own = |slot: &Slot| match slot {
            Slot::Own(Dist::Normal { mean, sd }) => Some((*mean, *sd, None)),
            Slot::Own(Dist::Lognormal { mu, sigma, shift }) => Some((*mu, *sigma, Some(*shift))),
            _ => None,
        };
        let Some((loc, scale, shift)) = spec.slots.iter().find_map(own) else {
            return Err(input_error(
                "parameter uncertainty applies to a normal or lognormal yearly input".into(),
            ));
        };
        let drawn = spec.slots.iter().map(|s| own(s).is_some()).collect();
        let drawer = |d: &Option<Dist>, fixed: f64| -> Result<Drawer, McError> {
            let d = d.clone().unwrap_or(Dist::Fixed { value: fixed });
            Drawer::new(&d).map_err(|e| input_error(e.to_string()))
        };
        Ok(HyperInput {
            stream: stream_id(&spec.key),
            base: params.id(hyper.index).offset(),
            location: drawer(&hyper.location, loc)?,
            scale: drawer(&hyper.scale, scale)?,
            lognormal_shift: shift,
            ar1: Ar1::new(spec.persistence),
            drawn,
        })
    }
}

/// A persistent yearly input not correlated with others: AR(1) on its own normal scores.
#[derive(Debug, Clone)]
struct Persistent {
    stream: u64,
    ar1: Ar1,
    /// What it writes in year `t + 1`.
    yearly: Vec<Option<ScoreSlot>>,
}

/// A yearly input drawn afresh each year: its uncertain slots in year order.
#[derive(Debug, Clone)]
struct YearDraws {
    stream: u64,
    draws: Vec<(usize, Drawer)>,
}

/// Draws every uncertain input of a path. Build once per run; [`PathSampler::fill`] allocates
/// nothing.
#[derive(Debug, Clone)]
pub struct PathSampler {
    path_group: ScoreGroup,
    path_inputs: Vec<Uncertain>,
    /// The correlated yearly inputs.
    year_group: ScoreGroup,
    year_persistent: Vec<Persistent>,
    year_inputs: Vec<YearDraws>,
    shared: Vec<(usize, usize)>,
    horizon: usize,
    hyper_inputs: Vec<HyperInput>,
    /// Shared national shocks, in a national run (docs/model.md section 15); `None` draws as a
    /// run of one council always has.
    national: Option<NationalPlan>,
}

/// Per-thread scratch for [`PathSampler::fill`].
#[derive(Debug, Clone)]
pub struct SamplerScratch {
    normals: Vec<f64>,
    scores: Vec<f64>,
    state: Vec<f64>,
    /// A national run's factor scores of demand growth (docs/model.md section 15).
    factor: Vec<f64>,
}

/// What each member of `members` writes in each year: `[t * members.len() + member]`.
fn score_slots(scenario: &Scenario, members: &[Uncertain]) -> Vec<Option<ScoreSlot>> {
    let params = scenario.params();
    let mut yearly = Vec::new();
    for t in 0..scenario.horizon() {
        for member in members {
            let spec = &params.specs()[member.index];
            yearly.push(match (member.drawers.get(t), spec.slots.get(t)) {
                (Some(Some(drawer)), Some(Slot::Own(_))) => Some(ScoreSlot {
                    offset: member.base + t,
                    map: drawer.clone(),
                }),
                _ => None,
            });
        }
    }
    yearly
}

/// The correlated inputs of `matrix`, drawn from the stream named `name`.
fn score_group(
    scenario: &Scenario,
    matrix: &CorrelationMatrix,
    name: &str,
) -> Result<ScoreGroup, McError> {
    let params = scenario.params();
    let mut members = Vec::new();
    let mut ar1 = Vec::new();
    for &ix in &matrix.members {
        members.push(Uncertain::new(scenario, ix)?);
        ar1.push(Ar1::new(params.specs()[ix].persistence));
    }
    Ok(ScoreGroup {
        stream: stream_id(name),
        yearly: score_slots(scenario, &members),
        lower: matrix.lower.clone(),
        members,
        ar1,
    })
}

impl PathSampler {
    /// Prepares the drawers of every uncertain input of `scenario`.
    pub fn new(scenario: &Scenario) -> Result<Self, McError> {
        let params = &scenario.params();
        // Factorised once, when the scenario was validated.
        let path_matrix = scenario.correlations().matrix(Per::Path);
        let year_matrix = scenario.correlations().matrix(Per::Year);
        let mut path_inputs = Vec::new();
        let mut year_inputs = Vec::new();
        let mut year_persistent = Vec::new();
        let mut hyper_inputs = Vec::new();
        for hyper in params.hyper() {
            if path_matrix.members.contains(&hyper.index)
                || year_matrix.members.contains(&hyper.index)
            {
                return Err(McError::Input {
                    key: params.specs()[hyper.index].key.clone(),
                    message: "an input with parameter uncertainty cannot be correlated with others (not yet supported)".into(),
                });
            }
            hyper_inputs.push(HyperInput::new(scenario, hyper)?);
        }
        for (index, spec) in params.specs().iter().enumerate() {
            if spec.is_fixed() || params.hyper_of(index).is_some() {
                continue;
            }
            let correlated =
                path_matrix.members.contains(&index) || year_matrix.members.contains(&index);
            if correlated {
                continue; // placed in a score group below
            }
            let u = Uncertain::new(scenario, index)?;
            match spec.per {
                Per::Path => path_inputs.push(u),
                Per::Year if spec.persistence == 0.0 => year_inputs.push(YearDraws {
                    stream: u.stream,
                    draws: u
                        .drawers
                        .iter()
                        .enumerate()
                        .filter_map(|(t, d)| d.as_ref().map(|d| (u.base + t, d.clone())))
                        .collect(),
                }),
                Per::Year => {
                    year_persistent.push(Persistent {
                        stream: u.stream,
                        ar1: Ar1::new(spec.persistence),
                        yearly: score_slots(scenario, std::slice::from_ref(&u)),
                    });
                }
            }
        }
        Ok(PathSampler {
            path_group: score_group(scenario, path_matrix, PATH_GROUP)?,
            path_inputs,
            year_group: score_group(scenario, year_matrix, YEAR_GROUP)?,
            year_persistent,
            year_inputs,
            shared: params.shared_slots(),
            horizon: scenario.horizon(),
            hyper_inputs,
            national: None,
        })
    }

    /// Scratch space sized for this sampler.
    pub fn scratch(&self) -> SamplerScratch {
        let n = self
            .path_group
            .members
            .len()
            .max(self.year_group.members.len());
        SamplerScratch {
            normals: vec![0.0; n],
            scores: vec![0.0; n],
            state: vec![0.0; n],
            factor: vec![0.0; self.horizon + 1],
        }
    }

    /// True when the scenario has no uncertain input: every path equals the central projection.
    pub fn is_deterministic(&self) -> bool {
        self.path_group.members.is_empty()
            && self.path_inputs.is_empty()
            && self.year_group.members.is_empty()
            && self.year_persistent.is_empty()
            && self.year_inputs.is_empty()
            && self.hyper_inputs.is_empty()
    }

    /// Overwrites every uncertain slot of `lane` in `inputs` with a draw. `rng` is the path's
    /// generator: its first output keys the path, and each input then draws from its own
    /// stream ([`crate::stream::input_rng`]). Fixed slots are left as they are (start from the
    /// scenario's central inputs).
    #[inline(never)]
    pub fn fill<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        scratch: &mut SamplerScratch,
        inputs: &mut Inputs,
        lane: usize,
    ) {
        let path = rng.next_u64();
        if let Some(plan) = &self.national {
            return self.fill_national(plan, path, scratch, inputs, lane, None);
        }
        self.fill_from(|_| path, |_| false, scratch, inputs, lane);
        if !self.shared.is_empty() {
            inputs.copy_shared(&self.shared, lane);
        }
    }

    /// [`PathSampler::fill`] with each input's stream keyed by `key(stream)` (the path's first
    /// output in a run of one council), the uncorrelated inputs whose streams `skip` (a national
    /// run's demand growth, drawn afterwards, and the national inputs taken from an earlier
    /// council) left out, shared slots not yet copied.
    #[inline(always)]
    fn fill_from(
        &self,
        key: impl Fn(u64) -> u64,
        skip: impl Fn(u64) -> bool,
        scratch: &mut SamplerScratch,
        inputs: &mut Inputs,
        lane: usize,
    ) {
        // Per path: correlated scores, then independent draws.
        let g = &self.path_group;
        if !g.members.is_empty() {
            let n = g.members.len();
            let mut rng = input_rng(key(g.stream), g.stream);
            correlated_scores(
                g,
                &mut rng,
                &mut scratch.normals[..n],
                &mut scratch.scores[..n],
            );
            for (member, &z) in g.members.iter().zip(&scratch.scores) {
                member.fill_all(inputs, lane, |d| d.from_normal_score(z));
            }
        }
        for u in &self.path_inputs {
            if skip(u.stream) {
                continue;
            }
            let mut rng = input_rng(key(u.stream), u.stream);
            if u.uniform {
                let first = u.drawers.iter().flatten().next();
                if let Some(v) = first.map(|d| d.sample(&mut rng)) {
                    u.fill_all(inputs, lane, |_| v);
                }
            } else {
                // Different distributions in different years: one score maps through each.
                let z: f64 = StandardNormal.sample(&mut rng);
                u.fill_all(inputs, lane, |d| d.from_normal_score(z));
            }
        }

        // Per year: correlated scores (small groups use fixed-size arrays: the same arithmetic
        // in the same order), then each persistent input, then each independent one.
        if !self.year_group.members.is_empty() {
            let mut rng = input_rng(key(self.year_group.stream), self.year_group.stream);
            match self.year_group.members.len() {
                1 => self.fill_years::<1>(&mut rng, inputs, lane),
                2 => self.fill_years::<2>(&mut rng, inputs, lane),
                3 => self.fill_years::<3>(&mut rng, inputs, lane),
                4 => self.fill_years::<4>(&mut rng, inputs, lane),
                _ => self.fill_years_any(&mut rng, scratch, inputs, lane),
            }
        }
        for p in &self.year_persistent {
            if skip(p.stream) {
                continue;
            }
            let mut rng = input_rng(key(p.stream), p.stream);
            let mut previous = None;
            for slot in &p.yearly {
                let z: f64 = StandardNormal.sample(&mut rng);
                // AR(1) on unit-variance scores, starting from the stationary distribution.
                let e = p.ar1.next(previous, z);
                previous = Some(e);
                if let Some(slot) = slot {
                    inputs.set(slot.offset, lane, slot.map.from_normal_score(e));
                }
            }
        }
        for y in &self.year_inputs {
            if skip(y.stream) {
                continue;
            }
            let mut rng = input_rng(key(y.stream), y.stream);
            for (offset, d) in &y.draws {
                inputs.set(*offset, lane, d.sample(&mut rng));
            }
        }
        for h in &self.hyper_inputs {
            if skip(h.stream) {
                continue;
            }
            let mut rng = input_rng(key(h.stream), h.stream);
            let location = h.location.sample(&mut rng);
            let scale = h.scale.sample(&mut rng);
            let mut previous = None;
            for t in 0..self.horizon {
                let z: f64 = StandardNormal.sample(&mut rng);
                let e = h.ar1.next(previous, z);
                previous = Some(e);
                if !h.drawn.get(t).copied().unwrap_or(true) {
                    continue;
                }
                let x = location + scale * e;
                let value = match h.lognormal_shift {
                    Some(shift) => shift + x.exp(),
                    None => x,
                };
                inputs.set(h.base + t, lane, value);
            }
        }
    }

    /// The correlated yearly draws of a path whose yearly score group has `N` members.
    #[inline(always)]
    fn fill_years<const N: usize>(&self, rng: &mut PathRng, inputs: &mut Inputs, lane: usize) {
        let g = &self.year_group;
        let lower: [&[f64]; N] = std::array::from_fn(|i| &g.lower[i * N..i * N + i + 1]);
        let ar1: [Ar1; N] = std::array::from_fn(|i| g.ar1[i]);
        let mut state = [0.0; N];
        for t in 0..self.horizon {
            let mut normals = [0.0; N];
            for z in normals.iter_mut() {
                *z = StandardNormal.sample(rng);
            }
            let slots = &g.yearly[t * N..(t + 1) * N];
            for m in 0..N {
                let score: f64 = lower[m]
                    .iter()
                    .zip(&normals[..=m])
                    .map(|(l, z)| l * z)
                    .sum();
                // AR(1) on unit-variance scores, starting from the stationary distribution.
                let e = ar1[m].next((t > 0).then_some(state[m]), score);
                state[m] = e;
                if let Some(slot) = &slots[m] {
                    inputs.set(slot.offset, lane, slot.map.from_normal_score(e));
                }
            }
        }
    }

    /// The correlated yearly draws of a path, for a score group of any size.
    fn fill_years_any(
        &self,
        rng: &mut PathRng,
        scratch: &mut SamplerScratch,
        inputs: &mut Inputs,
        lane: usize,
    ) {
        let g = &self.year_group;
        let n = g.members.len();
        let (state, scores, normals) = (
            &mut scratch.state[..n],
            &mut scratch.scores[..n],
            &mut scratch.normals[..n],
        );
        let ar1 = &g.ar1[..n];
        for t in 0..self.horizon {
            correlated_scores(g, rng, normals, scores);
            let slots = &g.yearly[t * n..(t + 1) * n];
            for m in 0..n {
                // AR(1) on unit-variance scores, starting from the stationary distribution.
                let e = ar1[m].next((t > 0).then_some(state[m]), scores[m]);
                state[m] = e;
                if let Some(slot) = &slots[m] {
                    inputs.set(slot.offset, lane, slot.map.from_normal_score(e));
                }
            }
        }
    }
}

/// Draws `normals.len()` standard normals and correlates them: `scores = lower * normals`.
#[inline(always)]
fn correlated_scores(g: &ScoreGroup, rng: &mut PathRng, normals: &mut [f64], scores: &mut [f64]) {
    let n = normals.len();
    for z in normals.iter_mut() {
        *z = StandardNormal.sample(rng);
    }
    for (i, score) in scores.iter_mut().enumerate().take(n) {
        let row = &g.lower[i * n..i * n + i + 1];
        *score = row.iter().zip(&normals[..=i]).map(|(l, z)| l * z).sum();
    }
}
