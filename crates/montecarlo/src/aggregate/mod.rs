//! Turning many paths into statistics with bounded memory and results that do not depend on the
//! number of threads.
//!
//! Paths are simulated in chunks of [`CHUNK`], each a few blocks of [`BLOCK`] paths projected side
//! by side. A block's values are read metric by metric (one metric's values for the block side by
//! side) while they are still in cache:
//! - Means and standard errors: each metric's deviations from a fixed reference value (the central
//!   projection) are summed in four interleaved running sums that carry across the blocks of a
//!   chunk (value `i` of the chunk goes to sum `i % 4`), so a chunk's sums do not depend on the
//!   block size; chunk sums are combined in chunk order, so the total never depends on scheduling.
//! - Quantiles: exact when a run has at most [`EXACT_LIMIT`] paths (1,024: the values are kept
//!   and their order statistics found through a histogram of the values themselves, see
//!   [`exact_quantiles`]). Larger runs keep the first [`EXACT_LIMIT`] paths (the pilot) to set
//!   each metric's range, then count every path into a histogram of [`BINS`] equal bins spanning
//!   the pilot's range widened by a tenth on each side (integer counts: exact and order-free).
//!   - Binning is one pass over a metric's block of values, four at a time (whole-vector
//!     operations): the deviations (above), each value's bin from one subtract-multiply and the
//!     float-to-integer trick of adding 1.5 * 2^52 (the bin number is then the low bits of the
//!     sum), and whether every bin number is in range (false for a NaN or an infinity). The
//!     bins of 256 values are then counted with no test per value; when one was out of range
//!     those values are counted one by one instead: values beyond the range (rare) go to the
//!     end bin and the exact extremes are kept.
//!   - Counts are 16-bit (a worker's histograms then take half the cache), settled into 32-bit
//!     counts before any bin could reach 65,536.
//!   - A quantile is read off the cumulative counts, interpolating linearly within its bin (each
//!     bin's paths taken as spread evenly across it) and clamped to the exact extremes.
//!   - A metric taking at most [`MAX_ATOMS`] distinct values in the pilot (a fixed input, a
//!     safety-valve instalment received or not) counts those values exactly, by comparison, as
//!     point masses: its quantiles are then exact. Values that depart from them are binned as
//!     usual, and the quantile walk places each point mass at its value within its bin.
//!
//!   Accuracy, measured by `benches/quantile_accuracy.rs` on the benchmark scenario at 1,000,000
//!   paths against exact sorted quantiles of the same paths (seed 1, every series in years 1, 2, 5
//!   and 10: 1,400 quantiles): the largest error is 0.097 Monte Carlo standard errors of the
//!   quantile, all are within 0.1, and all 392 quantiles that sit on a point mass are exact. The
//!   error comes from the paths' positions within a bin (the bins are a few standard errors
//!   wide), so it grows only as the square root of the bin width.

mod exact;
mod histogram;
mod moments;

pub use exact::{ExactScratch, exact_quantiles, exact_quantiles_and_rank};
pub use histogram::{Histograms, Ranges};
pub use moments::{Moments, add_moments};

/// Paths per chunk: the unit of scheduling and of summation order.
pub const CHUNK: usize = 1024;
/// Paths per block: a chunk is simulated and aggregated a block at a time, so that a block's
/// inputs, projections and the histograms stay in a core's caches. A multiple of 4 dividing
/// [`CHUNK`].
pub const BLOCK: usize = 256;
/// Runs of at most this many paths get exact quantiles; larger runs use it to set ranges.
pub const EXACT_LIMIT: usize = CHUNK;
/// Histogram bins per metric for large runs (a power of two).
pub const BINS: usize = 2048;
/// A metric taking at most this many distinct values in the pilot (a fixed input, an instalment
/// paid or not) has them counted as point masses, not binned.
pub const MAX_ATOMS: usize = 4;
/// 1.5 * 2^52: adding it to a number of magnitude below 2^51 rounds it to an integer held in the
/// low bits of the sum (how a value's bin is found without a conversion).
const MAGIC: f64 = 6_755_399_441_055_744.0;
/// The quantiles reported for every series.
pub const QUANTILES: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

/// The values of a block of paths, one row per metric.
pub trait Rows {
    /// Number of metrics.
    fn metrics(&self) -> usize;
    /// The values of metric `m`, one per path of the block.
    fn metric(&self, m: usize) -> &[f64];
}

/// A copy of a block's values, metric-major (kept for exact quantiles and to set ranges).
#[derive(Debug, Clone)]
pub struct Block {
    metrics: usize,
    /// Paths filled in this chunk.
    pub paths: usize,
    values: Vec<f64>,
}

impl Block {
    /// A copy of `rows`.
    pub fn copy_of(rows: &impl Rows) -> Self {
        let metrics = rows.metrics();
        let paths = if metrics == 0 {
            0
        } else {
            rows.metric(0).len()
        };
        let mut values = Vec::with_capacity(metrics * paths);
        for m in 0..metrics {
            values.extend_from_slice(rows.metric(m));
        }
        Block {
            metrics,
            paths,
            values,
        }
    }
}

impl Rows for Block {
    fn metrics(&self) -> usize {
        self.metrics
    }

    #[inline]
    fn metric(&self, m: usize) -> &[f64] {
        &self.values[m * self.paths..(m + 1) * self.paths]
    }
}

/// Quantile `q` of sorted values, interpolating linearly between order statistics (numpy's
/// default method).
///
/// ```
/// use dsg_montecarlo::aggregate::sorted_quantile;
/// assert_eq!(sorted_quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
/// assert_eq!(sorted_quantile(&[7.0], 0.9), 7.0);
/// ```
pub fn sorted_quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let pos = q * (n - 1) as f64;
            let i = (pos.floor() as usize).min(n - 2);
            let frac = pos - i as f64;
            sorted[i] + (sorted[i + 1] - sorted[i]) * frac
        }
    }
}

/// Quantiles `qs` (ascending) of `values`, equal bit for bit to [`sorted_quantile`] of the
/// sorted values, by selection rather than a full sort: each needed order statistic is put in
/// place with `select_nth_unstable` on what lies beyond the last one, and its successor is the
/// smallest value after it. Reorders `values`.
///
/// ```
/// use dsg_montecarlo::aggregate::{selected_quantiles, sorted_quantile};
/// let mut v = vec![4.0, 1.0, 3.0, 2.0, 2.0];
/// let mut sorted = v.clone();
/// sorted.sort_by(f64::total_cmp);
/// let q = selected_quantiles(&mut v, &[0.1, 0.5, 0.9]);
/// assert_eq!(q, [0.1, 0.5, 0.9].map(|q| sorted_quantile(&sorted, q)));
/// ```
pub fn selected_quantiles(values: &mut [f64], qs: &[f64]) -> Vec<f64> {
    let n = values.len();
    match n {
        0 => return vec![f64::NAN; qs.len()],
        1 => return vec![values[0]; qs.len()],
        _ => {}
    }
    // Positions before `start` hold their sorted values.
    let mut start = 0;
    qs.iter()
        .map(|&q| {
            let pos = q * (n - 1) as f64;
            let i = (pos.floor() as usize).min(n - 2);
            let frac = pos - i as f64;
            if i + 1 >= start {
                let from = start.min(i);
                if i >= start {
                    values[from..].select_nth_unstable_by(i - from, f64::total_cmp);
                }
                // The successor: the smallest value after position i, moved next to it.
                let next = (i + 1..n)
                    .min_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)))
                    .unwrap_or(i + 1);
                values.swap(i + 1, next);
                start = i + 2;
            }
            values[i] + (values[i + 1] - values[i]) * frac
        })
        .collect()
}

/// Share of `values` below `x`, a value equal to `x` counting half (any order).
pub fn share_below(values: &[f64], x: f64) -> f64 {
    if values.is_empty() || x.is_nan() {
        return f64::NAN;
    }
    let (below, equal) = count_against(values, x);
    (below as f64 + 0.5 * equal as f64) / values.len() as f64
}

/// How many of `values` are below `x`, and how many equal to it (compiled for x86-64 and for
/// AVX2, chosen when the program runs: the engine counts every tied metric's paths so).
#[multiversion::multiversion(targets(
    "x86_64+avx2+avx+fma+bmi1+bmi2+lzcnt+popcnt+movbe+f16c+sse4.2+sse4.1+ssse3+sse3"
))]
pub(crate) fn count_against(values: &[f64], x: f64) -> (u64, u64) {
    values.iter().fold((0, 0), |(below, equal), &v| {
        (below + u64::from(v < x), equal + u64::from(v == x))
    })
}

/// Mean and standard error from chunk sums of deviations from `reference`.
pub fn mean_and_se(reference: f64, s1: f64, s2: f64, n: u64) -> (f64, f64) {
    let n = n as f64;
    let mean_dev = s1 / n;
    let mean = reference + mean_dev;
    if n < 2.0 {
        return (mean, 0.0);
    }
    let var = ((s2 - s1 * mean_dev) / (n - 1.0)).max(0.0);
    (mean, (var / n).sqrt())
}
