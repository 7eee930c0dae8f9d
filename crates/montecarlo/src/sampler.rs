//! Filling one path's [`Inputs`] from the scenario's distributions (MODEL.md section 7): per-path
//! or per-year draws, AR(1) persistence and a Gaussian copula for correlated inputs.
//!
//! Draw order within a path (part of the value-stability promise): the normal scores of the
//! correlated inputs drawn per path; then each other uncertain per-path input in scenario order;
//! then, year by year, the normal scores of the correlated and persistent yearly inputs, followed
//! by each other uncertain yearly input in scenario order.

use dsg_core::correlation::CorrelationMatrix;
use dsg_core::{Inputs, Per, Scenario, Slot};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::draw::Drawer;
use crate::error::McError;

/// One uncertain input: a drawer for each of its slots that is uncertain (`None` for slots that
/// are fixed or shared with another input).
#[derive(Debug, Clone)]
struct Uncertain {
    /// Offset of the input's first slot.
    base: usize,
    /// One entry per slot (per year for a yearly input).
    drawers: Vec<Option<Drawer>>,
    /// Every slot has the same distribution (a per-path input can then draw once).
    uniform: bool,
}

impl Uncertain {
    fn new(scenario: &Scenario, index: usize) -> Result<Self, McError> {
        let params = &scenario.params;
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
    members: Vec<Uncertain>,
    persistence: Vec<f64>,
    /// Lower Cholesky factor, `n x n` row-major.
    lower: Vec<f64>,
}

/// Draws every uncertain input of a path. Build once per run; [`PathSampler::fill`] allocates
/// nothing.
#[derive(Debug, Clone)]
pub struct PathSampler {
    path_group: ScoreGroup,
    path_inputs: Vec<Uncertain>,
    year_group: ScoreGroup,
    year_inputs: Vec<Uncertain>,
    shared: Vec<(usize, usize)>,
    horizon: usize,
}

/// Per-thread scratch for [`PathSampler::fill`].
#[derive(Debug, Clone)]
pub struct SamplerScratch {
    normals: Vec<f64>,
    scores: Vec<f64>,
    state: Vec<f64>,
}

impl PathSampler {
    /// Prepares the drawers of every uncertain input of `scenario`.
    pub fn new(scenario: &Scenario) -> Result<Self, McError> {
        let params = &scenario.params;
        let path_matrix = CorrelationMatrix::for_per(&scenario.correlations, params, Per::Path)?;
        let year_matrix = CorrelationMatrix::for_per(&scenario.correlations, params, Per::Year)?;
        let mut path_inputs = Vec::new();
        let mut year_inputs = Vec::new();
        let mut year_persistent = Vec::new();
        for (index, spec) in params.specs().iter().enumerate() {
            if spec.is_fixed() {
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
                Per::Year if spec.persistence == 0.0 => year_inputs.push(u),
                Per::Year => year_persistent.push((u, spec.persistence)),
            }
        }
        let build_group = |matrix: &CorrelationMatrix,
                           extra: Vec<(Uncertain, f64)>|
         -> Result<ScoreGroup, McError> {
            let mut members = Vec::new();
            let mut persistence = Vec::new();
            for &ix in &matrix.members {
                members.push(Uncertain::new(scenario, ix)?);
                persistence.push(params.specs()[ix].persistence);
            }
            let n0 = members.len();
            let n = n0 + extra.len();
            let mut lower = vec![0.0; n * n];
            for i in 0..n0 {
                for j in 0..n0 {
                    lower[i * n + j] = matrix.lower[i * n0 + j];
                }
            }
            for (k, (u, phi)) in extra.into_iter().enumerate() {
                lower[(n0 + k) * n + n0 + k] = 1.0;
                members.push(u);
                persistence.push(phi);
            }
            Ok(ScoreGroup {
                members,
                persistence,
                lower,
            })
        };
        Ok(PathSampler {
            path_group: build_group(&path_matrix, Vec::new())?,
            path_inputs,
            year_group: build_group(&year_matrix, year_persistent)?,
            year_inputs,
            shared: params.shared_slots(),
            horizon: scenario.horizon,
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
        }
    }

    /// True when the scenario has no uncertain input: every path equals the central projection.
    pub fn is_deterministic(&self) -> bool {
        self.path_group.members.is_empty()
            && self.path_inputs.is_empty()
            && self.year_group.members.is_empty()
            && self.year_inputs.is_empty()
    }

    /// Overwrites every uncertain slot of `lane` in `inputs` with a draw from `rng`. Fixed slots
    /// are left as they are (start from the scenario's central inputs).
    #[inline(never)]
    pub fn fill<R: Rng + ?Sized>(&self, rng: &mut R, scratch: &mut SamplerScratch, inputs: &mut Inputs, lane: usize) {
        // Per path: correlated scores, then independent draws.
        let g = &self.path_group;
        if !g.members.is_empty() {
            correlated_scores(g, rng, scratch);
            for (member, &z) in g.members.iter().zip(&scratch.scores) {
                member.fill_all(inputs, lane, |d| d.from_normal_score(z));
            }
        }
        for u in &self.path_inputs {
            if u.uniform {
                let first = u.drawers.iter().flatten().next();
                if let Some(v) = first.map(|d| d.sample(rng)) {
                    u.fill_all(inputs, lane, |_| v);
                }
            } else {
                // Different distributions in different years: one score maps through each.
                let z: f64 = StandardNormal.sample(rng);
                u.fill_all(inputs, lane, |d| d.from_normal_score(z));
            }
        }

        // Per year: scores (correlated, persistent), then independent draws.
        let g = &self.year_group;
        for t in 0..self.horizon {
            if !g.members.is_empty() {
                correlated_scores(g, rng, scratch);
                for (m, member) in g.members.iter().enumerate() {
                    let phi = g.persistence[m];
                    // AR(1) on unit-variance scores, starting from the stationary distribution.
                    let e = if t == 0 || phi == 0.0 {
                        scratch.scores[m]
                    } else {
                        phi * scratch.state[m] + (1.0 - phi * phi).sqrt() * scratch.scores[m]
                    };
                    scratch.state[m] = e;
                    if let Some(d) = &member.drawers[t] {
                        inputs.set(member.base + t, lane, d.from_normal_score(e));
                    }
                }
            }
            for u in &self.year_inputs {
                if let Some(d) = &u.drawers[t] {
                    inputs.set(u.base + t, lane, d.sample(rng));
                }
            }
        }
        inputs.copy_shared(&self.shared, lane);
    }
}

#[inline]
fn correlated_scores<R: Rng + ?Sized>(g: &ScoreGroup, rng: &mut R, scratch: &mut SamplerScratch) {
    let n = g.members.len();
    for z in scratch.normals[..n].iter_mut() {
        *z = StandardNormal.sample(rng);
    }
    for i in 0..n {
        let row = &g.lower[i * n..i * n + i + 1];
        scratch.scores[i] = row
            .iter()
            .zip(&scratch.normals[..=i])
            .map(|(l, z)| l * z)
            .sum();
    }
}
