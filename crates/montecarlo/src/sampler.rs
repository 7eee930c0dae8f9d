//! Filling one path's [`Inputs`] from the scenario's distributions (MODEL.md section 7): per-path
//! or per-year draws, AR(1) persistence and a Gaussian copula for correlated inputs.
//!
//! Draw order within a path (part of the value-stability promise): the normal scores of the
//! correlated inputs drawn per path; then each other uncertain per-path input in scenario order;
//! then, year by year, the normal scores of the correlated and persistent yearly inputs, followed
//! by each other uncertain yearly input in scenario order.

use dsg_core::correlation::CorrelationMatrix;
use dsg_core::{Dist, Inputs, Per, Scenario, Slot};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};
use statrs::distribution::{ContinuousCDF, Normal as NormalCdf};

use crate::draw::{Drawer, REJECTION_MIN_MASS};
use crate::error::McError;
use crate::stream::path_rng;

/// One uncertain input: a drawer for each of its slots that is uncertain (`None` for slots that
/// are fixed or shared with another input).
#[derive(Debug, Clone)]
struct Uncertain {
    /// Position of the input in the parameter table.
    index: usize,
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
            index,
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
    /// `sqrt(1 - phi^2)` of each member's persistence `phi`.
    innovation: Vec<f64>,
    /// Lower Cholesky factor, `n x n` row-major.
    lower: Vec<f64>,
    /// For a yearly group, what each member writes in year `t + 1`, `[t * n + member]`.
    yearly: Vec<Option<ScoreSlot>>,
}

/// One uncertain slot driven by a normal score.
#[derive(Debug, Clone)]
struct ScoreSlot {
    offset: usize,
    map: FromScore,
}

/// How a slot's value follows from its normal score: [`Drawer::from_normal_score`], with the
/// normal distribution's `mean + sd * z` written out so that it inlines (same arithmetic).
#[derive(Debug, Clone)]
enum FromScore {
    Normal { mean: f64, sd: f64 },
    Drawer(Drawer),
}

impl FromScore {
    fn new(dist: &Dist, drawer: &Drawer) -> Self {
        match *dist {
            Dist::Normal { mean, sd } if sd != 0.0 => FromScore::Normal { mean, sd },
            _ => FromScore::Drawer(drawer.clone()),
        }
    }

    #[inline(always)]
    fn value(&self, z: f64) -> f64 {
        match self {
            FromScore::Normal { mean, sd } => mean + sd * z,
            FromScore::Drawer(d) => d.from_normal_score(z),
        }
    }
}

/// Draws every uncertain input of a path. Build once per run; [`PathSampler::fill`] allocates
/// nothing.
#[derive(Debug, Clone)]
pub struct PathSampler {
    path_group: ScoreGroup,
    path_inputs: Vec<Uncertain>,
    year_group: ScoreGroup,
    year_inputs: Vec<Uncertain>,
    /// The uncertain slots of `year_inputs` in year `t + 1`, in scenario order:
    /// `year_draws[year_starts[t]..year_starts[t + 1]]`.
    year_draws: Vec<(usize, Independent)>,
    year_starts: Vec<usize>,
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
            let innovation = persistence
                .iter()
                .map(|phi| (1.0 - phi * phi).sqrt())
                .collect();
            let mut yearly = Vec::new();
            for t in 0..scenario.horizon {
                for member in &members {
                    let spec = &params.specs()[member.index];
                    yearly.push(match (member.drawers.get(t), spec.slots.get(t)) {
                        (Some(Some(drawer)), Some(Slot::Own(dist))) => Some(ScoreSlot {
                            offset: member.base + t,
                            map: FromScore::new(dist, drawer),
                        }),
                        _ => None,
                    });
                }
            }
            Ok(ScoreGroup {
                members,
                persistence,
                innovation,
                lower,
                yearly,
            })
        };
        let mut year_draws = Vec::new();
        let mut year_starts = vec![0];
        for t in 0..scenario.horizon {
            for u in &year_inputs {
                if let (Some(Some(d)), Some(Slot::Own(dist))) =
                    (u.drawers.get(t), params.specs()[u.index].slots.get(t))
                {
                    year_draws.push((u.base + t, Independent::new(dist, d)));
                }
            }
            year_starts.push(year_draws.len());
        }
        Ok(PathSampler {
            path_group: build_group(&path_matrix, Vec::new())?,
            path_inputs,
            year_group: build_group(&year_matrix, year_persistent)?,
            year_inputs,
            year_draws,
            year_starts,
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
    pub fn fill<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        scratch: &mut SamplerScratch,
        inputs: &mut Inputs,
        lane: usize,
    ) {
        // Per path: correlated scores, then independent draws.
        let g = &self.path_group;
        if !g.members.is_empty() {
            let n = g.members.len();
            correlated_scores(g, rng, &mut scratch.normals[..n], &mut scratch.scores[..n]);
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

        // Per year: scores (correlated, persistent), then independent draws. Small groups use
        // fixed-size arrays (the same arithmetic in the same order).
        match self.year_group.members.len() {
            0 => self.fill_years::<R, 0>(rng, inputs, lane),
            1 => self.fill_years::<R, 1>(rng, inputs, lane),
            2 => self.fill_years::<R, 2>(rng, inputs, lane),
            3 => self.fill_years::<R, 3>(rng, inputs, lane),
            4 => self.fill_years::<R, 4>(rng, inputs, lane),
            _ => self.fill_years_any(rng, scratch, inputs, lane),
        }
        if !self.shared.is_empty() {
            inputs.copy_shared(&self.shared, lane);
        }
    }

    /// The yearly draws of a path whose yearly score group has `N` members.
    #[inline(always)]
    fn fill_years<R: Rng + ?Sized, const N: usize>(
        &self,
        rng: &mut R,
        inputs: &mut Inputs,
        lane: usize,
    ) {
        let g = &self.year_group;
        let lower: [&[f64]; N] = std::array::from_fn(|i| &g.lower[i * N..i * N + i + 1]);
        let persistence: [f64; N] = std::array::from_fn(|i| g.persistence[i]);
        let innovation: [f64; N] = std::array::from_fn(|i| g.innovation[i]);
        let mut state = [0.0; N];
        for t in 0..self.horizon {
            if N > 0 {
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
                    let phi = persistence[m];
                    // AR(1) on unit-variance scores, starting from the stationary distribution.
                    let e = if t == 0 || phi == 0.0 {
                        score
                    } else {
                        phi * state[m] + innovation[m] * score
                    };
                    state[m] = e;
                    if let Some(slot) = &slots[m] {
                        inputs.set(slot.offset, lane, slot.map.value(e));
                    }
                }
            }
            for (offset, d) in &self.year_draws[self.year_starts[t]..self.year_starts[t + 1]] {
                inputs.set(*offset, lane, d.sample(rng));
            }
        }
    }

    /// The yearly draws of a path, for a score group of any size.
    fn fill_years_any<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
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
        let (persistence, innovation) = (&g.persistence[..n], &g.innovation[..n]);
        for t in 0..self.horizon {
            if n > 0 {
                correlated_scores(g, rng, normals, scores);
                let slots = &g.yearly[t * n..(t + 1) * n];
                for m in 0..n {
                    let phi = persistence[m];
                    // AR(1) on unit-variance scores, starting from the stationary distribution.
                    let e = if t == 0 || phi == 0.0 {
                        scores[m]
                    } else {
                        phi * state[m] + innovation[m] * scores[m]
                    };
                    state[m] = e;
                    if let Some(slot) = &slots[m] {
                        inputs.set(slot.offset, lane, slot.map.value(e));
                    }
                }
            }
            for (offset, d) in &self.year_draws[self.year_starts[t]..self.year_starts[t + 1]] {
                inputs.set(*offset, lane, d.sample(rng));
            }
        }
    }
}

/// An input drawn independently each year: [`Drawer::sample`], with the normal and the truncated
/// normal drawn by rejection written out here so that they inline. Each is used only if it gives
/// the drawer's own values (checked when the sampler is built).
#[derive(Debug, Clone)]
enum Independent {
    Normal { mean: f64, sd: f64 },
    Truncated(Truncated),
    Drawer(Drawer),
}

/// A truncated normal drawn by rejection, as [`Drawer::sample`] draws one keeping at least
/// [`REJECTION_MIN_MASS`] of the probability (including its inverse-CDF fallback).
#[derive(Debug, Clone)]
struct Truncated {
    mean: f64,
    sd: f64,
    min: f64,
    max: f64,
    mirrored: bool,
    p_low: f64,
    mass: f64,
}

/// Rejection attempts before the fallback (as in `draw.rs`).
const MAX_REJECTION_TRIES: u32 = 100;

impl Truncated {
    fn new(mean: f64, sd: f64, min: f64, max: f64) -> Option<Self> {
        let phi = |z: f64| NormalCdf::standard().cdf(z);
        let (a, b) = ((min - mean) / sd, (max - mean) / sd);
        let mirrored = a + b > 0.0;
        let (low, high) = if mirrored { (-b, -a) } else { (a, b) };
        let p_low = phi(low);
        let mass = phi(high) - p_low;
        (mass >= REJECTION_MIN_MASS && mass.is_finite()).then_some(Truncated {
            mean,
            sd,
            min,
            max,
            mirrored,
            p_low,
            mass,
        })
    }

    #[inline(always)]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        for _ in 0..MAX_REJECTION_TRIES {
            let z: f64 = rng.sample(StandardNormal);
            let x = self.mean + self.sd * z;
            if self.min <= x && x <= self.max {
                return x;
            }
        }
        self.fallback(rng.random())
    }

    #[cold]
    fn fallback(&self, u: f64) -> f64 {
        let p = (self.p_low + u * self.mass).min(1.0);
        let t = NormalCdf::standard().inverse_cdf(p);
        let x = if self.mirrored {
            self.mean - self.sd * t
        } else {
            self.mean + self.sd * t
        };
        x.max(self.min).min(self.max)
    }
}

impl Independent {
    fn new(dist: &Dist, drawer: &Drawer) -> Self {
        let fast = match *dist {
            Dist::Normal { mean, sd } if sd != 0.0 => Some(Independent::Normal { mean, sd }),
            Dist::TruncatedNormal { mean, sd, min, max } => {
                Truncated::new(mean, sd, min, max).map(Independent::Truncated)
            }
            _ => None,
        };
        match fast {
            Some(f) if f.agrees_with(drawer) => f,
            _ => Independent::Drawer(drawer.clone()),
        }
    }

    /// Whether this gives the same values as `drawer` from the same streams.
    fn agrees_with(&self, drawer: &Drawer) -> bool {
        (0..256u64).all(|k| {
            let (mut a, mut b) = (path_rng(0x5EED, k), path_rng(0x5EED, k));
            (0..4).all(|_| self.sample(&mut a).to_bits() == drawer.sample(&mut b).to_bits())
        })
    }

    #[inline(always)]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Independent::Normal { mean, sd } => {
                let z: f64 = rng.sample(StandardNormal);
                mean + sd * z
            }
            Independent::Truncated(t) => t.sample(rng),
            Independent::Drawer(d) => d.sample(rng),
        }
    }
}

/// Draws `normals.len()` standard normals and correlates them: `scores = lower * normals`.
#[inline(always)]
fn correlated_scores<R: Rng + ?Sized>(
    g: &ScoreGroup,
    rng: &mut R,
    normals: &mut [f64],
    scores: &mut [f64],
) {
    let n = normals.len();
    for z in normals.iter_mut() {
        *z = StandardNormal.sample(rng);
    }
    for (i, score) in scores.iter_mut().enumerate().take(n) {
        let row = &g.lower[i * n..i * n + i + 1];
        *score = row.iter().zip(&normals[..=i]).map(|(l, z)| l * z).sum();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn fast_independent_draws_are_the_drawers_own() {
        let dists = [
            Dist::Normal {
                mean: 0.07,
                sd: 0.02,
            },
            Dist::TruncatedNormal {
                mean: 0.07,
                sd: 0.02,
                min: 0.03,
                max: 0.11,
            },
            Dist::TruncatedNormal {
                mean: 0.0,
                sd: 1.0,
                min: 0.5,
                max: 3.0,
            },
            // Little mass inside the bounds: drawn by the drawer's inverse CDF.
            Dist::TruncatedNormal {
                mean: 0.0,
                sd: 1.0,
                min: 2.5,
                max: 9.0,
            },
            Dist::Pert {
                min: 0.3,
                mode: 0.7,
                max: 1.0,
            },
        ];
        for dist in &dists {
            let drawer = Drawer::new(dist).unwrap();
            let fast = Independent::new(dist, &drawer);
            let expect_fast = !matches!(dist, Dist::Pert { .. })
                && !matches!(dist, Dist::TruncatedNormal { min, .. } if *min == 2.5);
            assert_eq!(
                !matches!(fast, Independent::Drawer(_)),
                expect_fast,
                "{dist:?}"
            );
            for k in 0..2_000 {
                let (mut a, mut b) = (path_rng(9, k), path_rng(9, k));
                for _ in 0..3 {
                    assert_eq!(
                        fast.sample(&mut a).to_bits(),
                        drawer.sample(&mut b).to_bits(),
                        "{dist:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_truncated_fallback_is_the_drawers_inverse_cdf() {
        let t = Truncated::new(0.07, 0.02, 0.03, 0.11).unwrap();
        // The drawer's quantile at the same probability: through a normal score mapped back.
        let d = Drawer::new(&Dist::TruncatedNormal {
            mean: 0.07,
            sd: 0.02,
            min: 0.03,
            max: 0.11,
        })
        .unwrap();
        for u in [0.001, 0.2, 0.5, 0.9, 0.999] {
            let z = NormalCdf::standard().inverse_cdf(u);
            let via_drawer = d.from_normal_score(z);
            assert!((t.fallback(u) - via_drawer).abs() < 1e-9, "{u}");
        }
    }

    #[test]
    fn score_maps_are_the_drawers_own() {
        for dist in [
            Dist::Normal {
                mean: 0.12,
                sd: 0.025,
            },
            Dist::Uniform { min: 0.0, max: 2.0 },
        ] {
            let drawer = Drawer::new(&dist).unwrap();
            let map = FromScore::new(&dist, &drawer);
            for i in -40..=40 {
                let z = f64::from(i) / 10.0;
                assert_eq!(
                    map.value(z).to_bits(),
                    drawer.from_normal_score(z).to_bits()
                );
            }
        }
    }
}
