//! Turning many paths into statistics with bounded memory and results that do not depend on the
//! number of threads.
//!
//! Paths are simulated in chunks of [`CHUNK`]. Each chunk's values are held metric-major (one
//! metric's values for the chunk side by side) so that binning touches one histogram at a time.
//! - Means and standard errors: each chunk's sums of deviations from a fixed reference value are
//!   stored by chunk index and added in chunk order, so the total never depends on scheduling.
//! - Quantiles: exact (sorted values) when a run has at most [`EXACT_LIMIT`] paths. Larger runs
//!   keep the first [`EXACT_LIMIT`] paths to set each metric's range, then count every path into a
//!   histogram of [`BINS`] bins (integer counts: exact and order-free); a quantile is read off the
//!   histogram, interpolating within its bin. The error is below one bin width: 1/[`BINS`] of
//!   1.2 times the range the first paths spanned.
//! - A metric that was the same in every one of the first paths (a fixed input) is compared, not
//!   binned; if it never changes its quantiles are that value exactly.

/// Paths per chunk: the unit of scheduling and of summation order.
pub const CHUNK: usize = 1024;
/// Paths per block: a chunk is simulated and binned a block at a time, so that one block of every
/// metric's values stays in a core's L2 cache.
pub const BLOCK: usize = 256;
/// Runs of at most this many paths get exact quantiles; larger runs use it to set ranges.
pub const EXACT_LIMIT: usize = 20 * CHUNK;
/// Histogram bins per metric for large runs.
pub const BINS: usize = 2048;
/// The quantiles reported for every series.
pub const QUANTILES: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

/// The values of a block of paths, one row per metric.
pub trait Rows {
    /// Number of metrics.
    fn metrics(&self) -> usize;
    /// The values of metric `m`, one per path of the block.
    fn metric(&self, m: usize) -> &[f64];
}

/// Adds the sums of deviations from `reference` of every metric of `rows` to `sums`
/// (`[s1.., s2..]`).
#[inline(never)]
pub fn add_moments(rows: &impl Rows, reference: &[f64], sums: &mut [f64]) {
    let metrics = rows.metrics();
    let (s1, s2) = sums.split_at_mut(metrics);
    for m in 0..metrics {
        let c = reference[m];
        // Four running sums in a fixed pattern: vectorisable, and still independent of threads.
        let (mut a, mut b) = ([0.0; 4], [0.0; 4]);
        let values = rows.metric(m);
        let mut quads = values.chunks_exact(4);
        for q in &mut quads {
            for k in 0..4 {
                let d = q[k] - c;
                a[k] += d;
                b[k] += d * d;
            }
        }
        for (k, &x) in quads.remainder().iter().enumerate() {
            let d = x - c;
            a[k] += d;
            b[k] += d * d;
        }
        s1[m] += (a[0] + a[1]) + (a[2] + a[3]);
        s2[m] += (b[0] + b[1]) + (b[2] + b[3]);
    }
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
        let paths = if metrics == 0 { 0 } else { rows.metric(0).len() };
        let mut values = Vec::with_capacity(metrics * paths);
        for m in 0..metrics {
            values.extend_from_slice(rows.metric(m));
        }
        Block { metrics, paths, values }
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

/// Where each metric's histogram lies, set from the first paths.
#[derive(Debug, Clone)]
pub struct Ranges {
    lo: Vec<f64>,
    inv_width: Vec<f64>,
    width: Vec<f64>,
    constant: Vec<Option<f64>>,
}

impl Ranges {
    /// Ranges spanning the values in `blocks`, widened by a tenth of the span on each side.
    pub fn from_blocks<'b>(blocks: impl Iterator<Item = &'b Block> + Clone, metrics: usize) -> Self {
        let mut r = Ranges {
            lo: vec![0.0; metrics],
            inv_width: vec![0.0; metrics],
            width: vec![0.0; metrics],
            constant: vec![None; metrics],
        };
        for m in 0..metrics {
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for b in blocks.clone() {
                for &x in b.metric(m) {
                    lo = lo.min(x);
                    hi = hi.max(x);
                }
            }
            let span = hi - lo;
            let (lo, hi) = if span > 0.0 {
                r.constant[m] = None;
                (lo - 0.1 * span, hi + 0.1 * span)
            } else {
                r.constant[m] = Some(lo);
                let pad = (lo.abs() * 0.01).max(1.0);
                (lo - pad, lo + pad)
            };
            r.lo[m] = lo;
            r.width[m] = (hi - lo) / BINS as f64;
            r.inv_width[m] = BINS as f64 / (hi - lo);
        }
        r
    }
}

/// Counts of every metric's values in its bins, with exact extremes.
#[derive(Debug, Clone)]
pub struct Histograms {
    counts: Vec<u32>,
    at_constant: Vec<u64>,
    min: Vec<f64>,
    max: Vec<f64>,
}

impl Histograms {
    /// Empty histograms for `metrics` metrics.
    pub fn new(metrics: usize) -> Self {
        Histograms {
            counts: vec![0; metrics * BINS],
            at_constant: vec![0; metrics],
            min: vec![f64::INFINITY; metrics],
            max: vec![f64::NEG_INFINITY; metrics],
        }
    }

    /// Counts every value of a block.
    #[inline(never)]
    pub fn add(&mut self, block: &impl Rows, ranges: &Ranges) {
        for m in 0..block.metrics() {
            let values = block.metric(m);
            let mut same = 0;
            if let Some(c) = ranges.constant[m] {
                same = values.iter().filter(|&&x| x == c).count();
                self.at_constant[m] += same as u64;
                if same == values.len() {
                    continue;
                }
            }
            let counts = &mut self.counts[m * BINS..(m + 1) * BINS];
            let (lo, inv) = (ranges.lo[m], ranges.inv_width[m]);
            let (mut lo_seen, mut hi_seen) = (self.min[m], self.max[m]);
            for &x in values {
                let bin = ((x - lo) * inv) as i64;
                if (0..BINS as i64).contains(&bin) {
                    counts[bin as usize] += 1;
                } else {
                    // Beyond the range (rare): counted in the end bin, extremes kept exactly.
                    lo_seen = lo_seen.min(x);
                    hi_seen = hi_seen.max(x);
                    counts[bin.clamp(0, BINS as i64 - 1) as usize] += 1;
                }
            }
            self.min[m] = lo_seen;
            self.max[m] = hi_seen;
            if let Some(c) = ranges.constant[m] {
                // Values equal to the constant were counted above; they belong to `at_constant`.
                counts[bin_of(c, ranges, m)] -= same as u32;
            }
        }
    }

    /// Records the extremes of values already seen (the first paths, which set the ranges).
    pub fn see_extremes<'b>(&mut self, blocks: impl Iterator<Item = &'b Block>) {
        for b in blocks {
            for m in 0..b.metrics() {
                for &x in b.metric(m) {
                    self.min[m] = self.min[m].min(x);
                    self.max[m] = self.max[m].max(x);
                }
            }
        }
    }

    /// Adds another worker's counts (integer addition: the order does not matter).
    pub fn merge(&mut self, other: &Histograms) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for (a, b) in self.at_constant.iter_mut().zip(&other.at_constant) {
            *a += b;
        }
        for m in 0..self.min.len() {
            self.min[m] = self.min[m].min(other.min[m]);
            self.max[m] = self.max[m].max(other.max[m]);
        }
    }

    /// Quantile `q` of metric `m` over `n` paths.
    pub fn quantile(&self, ranges: &Ranges, m: usize, n: u64, q: f64) -> f64 {
        if let Some(c) = ranges.constant[m] {
            if self.at_constant[m] == n {
                return c;
            }
        }
        let counts = &self.counts[m * BINS..(m + 1) * BINS];
        let constant_bin = ranges.constant[m].map(|c| bin_of(c, ranges, m));
        // Position of the wanted value among the n sorted values (as numpy's linear method),
        // read as the middle of the unit of mass it falls in.
        let target = q * (n as f64 - 1.0) + 0.5;
        let mut below = 0.0;
        for (b, &count) in counts.iter().enumerate() {
            let mut count = f64::from(count);
            if constant_bin == Some(b) {
                count += self.at_constant[m] as f64;
            }
            if count > 0.0 && below + count >= target {
                let within = ((target - below) / count).clamp(0.0, 1.0);
                let x = ranges.lo[m] + (b as f64 + within) * ranges.width[m];
                return x.clamp(self.min[m], self.max[m]);
            }
            below += count;
        }
        self.max[m]
    }
}

fn bin_of(x: f64, ranges: &Ranges, m: usize) -> usize {
    ((x - ranges.lo[m]) * ranges.inv_width[m]).clamp(0.0, (BINS - 1) as f64) as usize
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

#[cfg(test)]
mod tests {
    use super::*;

    fn block_of(values: &[f64]) -> Block {
        Block {
            metrics: 1,
            paths: values.len(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn histogram_quantiles_are_within_a_bin_of_exact() {
        let values: Vec<f64> = (0..BLOCK)
            .map(|i| ((i * 7919) % BLOCK) as f64 * 3.0)
            .collect();
        let block = block_of(&values);
        let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
        let mut h = Histograms::new(1);
        h.add(&block, &ranges);
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for q in QUANTILES {
            let exact = sorted_quantile(&sorted, q);
            let approx = h.quantile(&ranges, 0, BLOCK as u64, q);
            assert!(
                (exact - approx).abs() <= ranges.width[0] + 1e-9,
                "q {q}: {exact} vs {approx}"
            );
        }
    }

    #[test]
    fn constant_metrics_give_their_value_exactly() {
        let block = block_of(&[42.5; 10]);
        let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
        let mut h = Histograms::new(1);
        h.add(&block, &ranges);
        assert_eq!(h.quantile(&ranges, 0, 10, 0.05), 42.5);
        assert_eq!(h.quantile(&ranges, 0, 10, 0.95), 42.5);
    }

    #[test]
    fn a_rare_departure_from_a_constant_is_still_counted() {
        let block = block_of(&[0.0; 100]);
        let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
        let mut h = Histograms::new(1);
        h.add(&block, &ranges);
        let mut later = vec![0.0; 100];
        later[3] = 1e6;
        h.add(&block_of(&later), &ranges);
        assert_eq!(h.max[0], 1e6);
        assert_eq!(h.quantile(&ranges, 0, 200, 0.5), 0.0);
    }

    #[test]
    fn mean_and_se_match_the_textbook_formula() {
        let xs = [1.0, 2.0, 3.0, 4.0, 10.0];
        let block = block_of(&xs);
        let mut sums = vec![0.0; 2];
        add_moments(&block, &[3.0], &mut sums);
        let (mean, se) = mean_and_se(3.0, sums[0], sums[1], 5);
        let m = 4.0;
        let var = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / 4.0;
        assert!((mean - m).abs() < 1e-12);
        assert!((se - (var / 5.0).sqrt()).abs() < 1e-12);
    }
}
