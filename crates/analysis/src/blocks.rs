//! What goal seek and options share: a block of paths drawn once into lanes, levers put back
//! first, on a pool of the threads asked for.

use dsg_core::Inputs;
use dsg_montecarlo::sampler::{PathSampler, SamplerScratch};
use dsg_montecarlo::stream::path_rng;

use crate::error::AnalysisError;

/// A pool of `threads` worker threads (all cores when `None`).
pub(crate) fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool, AnalysisError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| AnalysisError::Setting(e.to_string()))
}

/// Draws paths `first..last` into the first lanes of `inputs`, each from its own stream. The
/// `levers` slots are first put back to their values in `central`: a fixed slot is not redrawn,
/// and an earlier block on this thread may have left a lever's values there.
#[allow(clippy::too_many_arguments)]
pub(crate) fn draw_block(
    sampler: &PathSampler,
    scratch: &mut SamplerScratch,
    inputs: &mut Inputs,
    central: &Inputs,
    levers: impl Iterator<Item = usize>,
    seed: u64,
    (first, last): (u64, u64),
) {
    let n = (last - first) as usize;
    for slot in levers {
        let value = central.slot(slot)[0];
        for lane in 0..n {
            inputs.set(slot, lane, value);
        }
    }
    for (lane, k) in (first..last).enumerate() {
        let mut rng = path_rng(seed, k);
        sampler.fill(&mut rng, scratch, inputs, lane);
    }
}
