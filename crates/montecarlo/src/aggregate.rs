//! Turning many paths into statistics with bounded memory and results that do not depend on the
//! number of threads.
//!
//! Paths are simulated in chunks of [`CHUNK`], each a few blocks of [`BLOCK`] paths projected side
//! by side. A block's values are read metric by metric (one metric's values for the block side by
//! side), once, while they are still in cache:
//! - Means and standard errors: each metric's deviations from a fixed reference value (the central
//!   projection) are summed in four interleaved running sums that carry across the blocks of a
//!   chunk (value `i` of the chunk goes to sum `i % 4`), so a chunk's sums do not depend on the
//!   block size; chunk sums are combined in chunk order, so the total never depends on scheduling.
//! - Quantiles: exact (sorted values) when a run has at most [`EXACT_LIMIT`] paths. Larger runs
//!   keep the first [`EXACT_LIMIT`] paths (the pilot) to set each metric's range, then count every
//!   path into a histogram of [`BINS`] equal bins spanning the pilot's range widened by a tenth on
//!   each side (integer counts: exact and order-free). A value's bin is found with one
//!   multiply-add and the float-to-integer trick of adding 1.5 * 2^52 (the bin number is then the
//!   low bits of the sum), with one integer comparison to catch values outside the range; those
//!   (rare) are counted in the end bin and the exact extremes are kept. A quantile is read off the
//!   cumulative counts, interpolating linearly within its bin (each bin's paths taken as spread
//!   evenly across it) and clamped to the exact extremes. The error is below one bin width, 1/[`BINS`]
//!   of 1.2 times the pilot's span, and in practice far smaller; see `benches/quantile_accuracy.rs`
//!   for how it was measured against exact quantiles.
//! - A metric that was the same in every pilot path (a fixed input) is compared, not binned; if it
//!   never changes its quantiles are that value exactly, and values that do depart from it are
//!   binned as usual.

/// Paths per chunk: the unit of scheduling and of summation order.
pub const CHUNK: usize = 1024;
/// Paths per block: a chunk is simulated and aggregated a block at a time, so that a block's
/// inputs, projections and the histograms stay in a core's caches. A multiple of 4 dividing
/// [`CHUNK`].
pub const BLOCK: usize = 256;
/// Runs of at most this many paths get exact quantiles; larger runs use it to set ranges.
pub const EXACT_LIMIT: usize = 20 * CHUNK;
/// Histogram bins per metric for large runs (a power of two).
pub const BINS: usize = 512;
/// The quantiles reported for every series.
pub const QUANTILES: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

/// 1.5 * 2^52: adding it to a number of magnitude below 2^51 rounds it to an integer held in the
/// low bits of the sum.
const MAGIC: f64 = 6_755_399_441_055_744.0;

/// The values of a block of paths, one row per metric.
pub trait Rows {
    /// Number of metrics.
    fn metrics(&self) -> usize;
    /// The values of metric `m`, one per path of the block.
    fn metric(&self, m: usize) -> &[f64];
}

/// Adds the sums of deviations from `reference` of every metric of `rows` to `sums`
/// (`[s1.., s2..]`): the same sums as a [`Moments`] of one block.
pub fn add_moments(rows: &impl Rows, reference: &[f64], sums: &mut [f64]) {
    let metrics = rows.metrics();
    let (s1, s2) = sums.split_at_mut(metrics);
    for m in 0..metrics {
        let mut acc = [0.0; 8];
        add_deviations(&mut acc, rows.metric(m), reference[m]);
        s1[m] += (acc[0] + acc[1]) + (acc[2] + acc[3]);
        s2[m] += (acc[4] + acc[5]) + (acc[6] + acc[7]);
    }
}

/// Adds the deviations of `values` from `c` and their squares to the running sums `acc`
/// (`[a0..a3, b0..b3]`; value `i` goes to sums `i % 4`, then the remainder to sums 0, 1, 2).
#[inline]
fn add_deviations(acc: &mut [f64; 8], values: &[f64], c: f64) {
    let (mut a, mut b) = ([acc[0], acc[1], acc[2], acc[3]], [acc[4], acc[5], acc[6], acc[7]]);
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
    *acc = [a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]];
}

/// The running sums of deviations of one chunk, per metric.
#[derive(Debug, Clone)]
pub struct Moments {
    acc: Vec<[f64; 8]>,
}

impl Moments {
    /// Zero sums for `metrics` metrics.
    pub fn new(metrics: usize) -> Self {
        Moments {
            acc: vec![[0.0; 8]; metrics],
        }
    }

    /// Back to zero, for the next chunk.
    pub fn clear(&mut self) {
        self.acc.fill([0.0; 8]);
    }

    /// Adds every metric of a block (the blocks of a chunk in path order).
    pub fn add(&mut self, rows: &impl Rows, reference: &[f64]) {
        for (m, acc) in self.acc.iter_mut().enumerate() {
            add_deviations(acc, rows.metric(m), reference[m]);
        }
    }

    /// The chunk's sums `[s1.., s2..]` into `sums` (overwritten).
    pub fn finish(&self, sums: &mut [f64]) {
        let metrics = self.acc.len();
        let (s1, s2) = sums.split_at_mut(metrics);
        for (m, acc) in self.acc.iter().enumerate() {
            s1[m] = 0.0 + ((acc[0] + acc[1]) + (acc[2] + acc[3]));
            s2[m] = 0.0 + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
        }
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
    /// `lo` plus half a bin: `(x - centre) * inv_width + MAGIC` rounds to `x`'s bin.
    centre: Vec<f64>,
    constant: Vec<Option<f64>>,
}

impl Ranges {
    /// Ranges spanning the values in `blocks`, widened by a tenth of the span on each side.
    pub fn from_blocks<'b>(blocks: impl Iterator<Item = &'b Block> + Clone, metrics: usize) -> Self {
        let mut r = Ranges {
            lo: vec![0.0; metrics],
            inv_width: vec![0.0; metrics],
            width: vec![0.0; metrics],
            centre: vec![0.0; metrics],
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
            r.centre[m] = lo + 0.5 * r.width[m];
        }
        r
    }

    /// The bin of `x` in metric `m`'s histogram, or `None` outside the range (or NaN).
    #[inline]
    fn bin(&self, m: usize, x: f64) -> Option<usize> {
        let k = bin_key(x, self.centre[m], self.inv_width[m]).wrapping_sub(MAGIC.to_bits());
        (k < BINS as u64).then_some(k as usize)
    }
}

/// `x`'s bin plus the bits of [`MAGIC`] (anything not below `BINS` after subtracting them is out
/// of range, including NaN and infinities).
#[inline(always)]
fn bin_key(x: f64, centre: f64, inv_width: f64) -> u64 {
    ((x - centre) * inv_width + MAGIC).to_bits()
}

/// Counts of every metric's values in its bins, with exact extremes.
#[derive(Debug, Clone)]
pub struct Histograms {
    counts: Vec<[u32; BINS]>,
    at_constant: Vec<u64>,
    min: Vec<f64>,
    max: Vec<f64>,
    /// Scratch: the bin keys of one metric of a block.
    keys: Vec<u64>,
}

impl Histograms {
    /// Empty histograms for `metrics` metrics.
    pub fn new(metrics: usize) -> Self {
        Histograms {
            counts: vec![[0; BINS]; metrics],
            at_constant: vec![0; metrics],
            min: vec![f64::INFINITY; metrics],
            max: vec![f64::NEG_INFINITY; metrics],
            keys: Vec::new(),
        }
    }

    /// Counts every value of a block.
    pub fn add(&mut self, block: &impl Rows, ranges: &Ranges) {
        self.add_block(block, ranges, None);
    }

    /// Counts every value of a block and, with `moments`, adds the deviations of every metric from
    /// `reference` in the same pass over the values.
    pub fn add_block(&mut self, block: &impl Rows, ranges: &Ranges, mut moments: Option<(&mut Moments, &[f64])>) {
        for m in 0..block.metrics() {
            let values = block.metric(m);
            let acc = moments.as_mut().map(|(mo, reference)| (&mut mo.acc[m], reference[m]));
            if let Some(c) = ranges.constant[m] {
                let same = values.iter().fold(0usize, |n, &x| n + usize::from(x == c));
                self.at_constant[m] += same as u64;
                if let Some((acc, reference)) = acc {
                    // Every deviation is +0 when all values are the reference: nothing to add.
                    if !(same == values.len() && c == reference) {
                        add_deviations(acc, values, reference);
                    }
                }
                if same != values.len() {
                    for &x in values.iter().filter(|&&x| x != c) {
                        self.count_one(ranges, m, x);
                    }
                }
                continue;
            }
            self.keys.resize(values.len(), 0);
            let (centre, inv) = (ranges.centre[m], ranges.inv_width[m]);
            match acc {
                Some((acc, reference)) => {
                    keys_and_deviations(values, centre, inv, &mut self.keys, acc, reference);
                }
                None => {
                    for (k, &x) in self.keys.iter_mut().zip(values) {
                        *k = bin_key(x, centre, inv);
                    }
                }
            }
            let counts = &mut self.counts[m];
            let mut outside = false;
            for &key in &self.keys {
                let k = key.wrapping_sub(MAGIC.to_bits());
                if k < BINS as u64 {
                    counts[k as usize] += 1;
                } else {
                    outside = true;
                }
            }
            if outside {
                for &x in values {
                    if ranges.bin(m, x).is_none() {
                        self.count_outside(ranges, m, x);
                    }
                }
            }
        }
    }

    /// Counts one value (the slow path).
    fn count_one(&mut self, ranges: &Ranges, m: usize, x: f64) {
        match ranges.bin(m, x) {
            Some(b) => self.counts[m][b] += 1,
            None => self.count_outside(ranges, m, x),
        }
    }

    /// A value beyond the range (rare): counted in the end bin, extremes kept exactly. NaN is
    /// counted in the first bin.
    fn count_outside(&mut self, ranges: &Ranges, m: usize, x: f64) {
        self.min[m] = self.min[m].min(x);
        self.max[m] = self.max[m].max(x);
        let b = if x.is_nan() || x < ranges.lo[m] { 0 } else { BINS - 1 };
        self.counts[m][b] += 1;
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
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
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
        let counts = &self.counts[m];
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

/// One metric of a block: the bin key of every value, and the deviations from `c` added to `acc`
/// exactly as [`add_deviations`] adds them.
#[inline]
fn keys_and_deviations(values: &[f64], centre: f64, inv: f64, keys: &mut [u64], acc: &mut [f64; 8], c: f64) {
    let (mut a, mut b) = ([acc[0], acc[1], acc[2], acc[3]], [acc[4], acc[5], acc[6], acc[7]]);
    let mut quads = values.chunks_exact(4);
    let mut key_quads = keys.chunks_exact_mut(4);
    for (q, kq) in (&mut quads).zip(&mut key_quads) {
        for k in 0..4 {
            let d = q[k] - c;
            a[k] += d;
            b[k] += d * d;
            kq[k] = bin_key(q[k], centre, inv);
        }
    }
    for (k, (&x, key)) in quads.remainder().iter().zip(key_quads.into_remainder()).enumerate() {
        let d = x - c;
        a[k] += d;
        b[k] += d * d;
        *key = bin_key(x, centre, inv);
    }
    *acc = [a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]];
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
        let values: Vec<f64> = (0..1024).map(|i| ((i * 7919) % 1024) as f64 * 3.0).collect();
        let block = block_of(&values);
        let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
        let mut h = Histograms::new(1);
        h.add(&block, &ranges);
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for q in QUANTILES {
            let exact = sorted_quantile(&sorted, q);
            let approx = h.quantile(&ranges, 0, 1024, q);
            assert!(
                (exact - approx).abs() <= ranges.width[0] + 1e-9,
                "q {q}: {exact} vs {approx}"
            );
        }
    }

    #[test]
    fn the_bin_trick_agrees_with_floor_division() {
        let block = block_of(&[-3.0, 1.0e6]);
        let r = Ranges::from_blocks(std::iter::once(&block), 1);
        let mut x = r.lo[0];
        while x < r.lo[0] + (BINS as f64) * r.width[0] {
            let floor = ((x - r.lo[0]) * r.inv_width[0]).floor() as usize;
            let got = r.bin(0, x).unwrap();
            assert!(got == floor || (got as f64 - floor as f64).abs() == 1.0, "{x}: {got} vs {floor}");
            x += r.width[0] * 0.37;
        }
        assert_eq!(r.bin(0, r.lo[0] - r.width[0]), None);
        assert_eq!(r.bin(0, f64::NAN), None);
        assert_eq!(r.bin(0, f64::INFINITY), None);
        assert_eq!(r.bin(0, f64::NEG_INFINITY), None);
        assert_eq!(r.bin(0, 1e300), None);
        assert_eq!(r.bin(0, -1e300), None);
    }

    #[test]
    fn values_outside_the_range_keep_exact_extremes() {
        let block = block_of(&[0.0, 1.0, 2.0, 3.0]);
        let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
        let mut h = Histograms::new(1);
        h.add(&block_of(&[-50.0, 1.5, 80.0, f64::NAN, 2.0]), &ranges);
        assert_eq!(h.min[0], -50.0);
        assert_eq!(h.max[0], 80.0);
        assert_eq!(h.counts[0].iter().sum::<u32>(), 5);
        assert_eq!(h.quantile(&ranges, 0, 5, 1.0), 80.0);
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
    fn binning_with_moments_gives_the_moments_of_the_values() {
        let values: Vec<f64> = (0..103).map(|i| (i as f64 * 0.37).sin() * 10.0).collect();
        let block = block_of(&values);
        let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
        let mut fused = Moments::new(1);
        let mut h = Histograms::new(1);
        h.add_block(&block, &ranges, Some((&mut fused, &[1.0])));
        let mut alone = Moments::new(1);
        alone.add(&block, &[1.0]);
        let (mut a, mut b) = (vec![0.0; 2], vec![0.0; 2]);
        fused.finish(&mut a);
        alone.finish(&mut b);
        assert_eq!(a, b);
        let mut sums = vec![0.0; 2];
        add_moments(&block, &[1.0], &mut sums);
        assert_eq!(a, sums);
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
