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
//! - Quantiles: exact (sorted values) when a run has at most [`EXACT_LIMIT`] paths. Larger runs
//!   keep the first [`EXACT_LIMIT`] paths (the pilot) to set each metric's range, then count every
//!   path into a histogram of [`BINS`] equal bins spanning the pilot's range widened by a tenth on
//!   each side (integer counts: exact and order-free).
//!   - Binning is three passes over a metric's block of values: the deviations (above) together
//!     with the block's extremes; the bin of every value by one subtract-multiply and the
//!     float-to-integer trick of adding 1.5 * 2^52 (the bin number is then the low bits of the
//!     sum); and the counting, with no test per value when the extremes (and the sums, which a NaN
//!     or an infinity would spoil) show every value inside the bins. Otherwise the block is counted
//!     value by value: values beyond the range (rare) go to the end bin and the exact extremes are
//!     kept.
//!   - A quantile is read off the cumulative counts, interpolating linearly within its bin (each
//!     bin's paths taken as spread evenly across it) and clamped to the exact extremes.
//!   - A metric taking at most [`MAX_ATOMS`] distinct values in the pilot (a fixed input, a
//!     safety-valve instalment received or not) counts those values exactly, by comparison, as
//!     point masses: its quantiles are then exact. Values that depart from them are binned as
//!     usual, and the quantile walk places each point mass at its value within its bin.
//!
//!   Accuracy, measured by `benches/quantile_accuracy.rs` on the benchmark scenario at 1,000,000
//!   paths against exact sorted quantiles of the same paths (seed 1, every series in years 1, 2, 5
//!   and 10: 1,176 quantiles): the largest error is 0.17 Monte Carlo standard errors of the
//!   quantile, 99% are within 0.1, and all 392 quantiles that sit on a point mass are exact. The
//!   error comes from the paths' positions within a bin (the bins are a few standard errors
//!   wide), so it grows only as the square root of the bin width.

/// Paths per chunk: the unit of scheduling and of summation order.
pub const CHUNK: usize = 1024;
/// Paths per block: a chunk is simulated and aggregated a block at a time, so that a block's
/// inputs, projections and the histograms stay in a core's caches. A multiple of 4 dividing
/// [`CHUNK`].
pub const BLOCK: usize = 256;
/// Runs of at most this many paths get exact quantiles; larger runs use it to set ranges.
pub const EXACT_LIMIT: usize = 20 * CHUNK;
/// Histogram bins per metric for large runs (a power of two).
pub const BINS: usize = 2048;
/// A metric taking at most this many distinct values in the pilot (a fixed input, an instalment
/// paid or not) has them counted as point masses, not binned.
pub const MAX_ATOMS: usize = 4;
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
    accumulate::<false>(acc, values, c);
}

/// [`add_deviations`], also returning the smallest and largest of `values` (NaN ignored).
#[inline]
fn add_deviations_and_extremes(acc: &mut [f64; 8], values: &[f64], c: f64) -> (f64, f64) {
    accumulate::<true>(acc, values, c)
}

/// The one summing loop behind both: `EXTREMES` adds the min/max tracking at compile time, so
/// the sums are the same bits either way and the plain variant pays nothing for it.
#[inline(always)]
fn accumulate<const EXTREMES: bool>(acc: &mut [f64; 8], values: &[f64], c: f64) -> (f64, f64) {
    let (mut a, mut b) = (
        [acc[0], acc[1], acc[2], acc[3]],
        [acc[4], acc[5], acc[6], acc[7]],
    );
    let (mut lo, mut hi) = ([f64::INFINITY; 4], [f64::NEG_INFINITY; 4]);
    let mut add = |k: usize, x: f64| {
        let d = x - c;
        a[k] += d;
        b[k] += d * d;
        if EXTREMES {
            lo[k] = if x < lo[k] { x } else { lo[k] };
            hi[k] = if x > hi[k] { x } else { hi[k] };
        }
    };
    let mut quads = values.chunks_exact(4);
    for q in &mut quads {
        for (k, &x) in q.iter().enumerate() {
            add(k, x);
        }
    }
    for (k, &x) in quads.remainder().iter().enumerate() {
        add(k, x);
    }
    *acc = [a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]];
    (
        lo[0].min(lo[1]).min(lo[2].min(lo[3])),
        hi[0].max(hi[1]).max(hi[2].max(hi[3])),
    )
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

/// Where each metric's histogram lies, set from the first paths.
#[derive(Debug, Clone)]
pub struct Ranges {
    lo: Vec<f64>,
    inv_width: Vec<f64>,
    width: Vec<f64>,
    /// `lo` plus half a bin: `(x - centre) * inv_width + MAGIC` rounds to `x`'s bin.
    centre: Vec<f64>,
    /// Values in `[inner.0, inner.1]` are inside the bins, a thousandth of a bin from either end.
    inner: Vec<(f64, f64)>,
    /// The distinct values of each metric in the pilot, ascending, when there are at most
    /// [`MAX_ATOMS`] of them (none otherwise).
    atoms: Vec<Atoms>,
    /// The smallest and largest values the first paths took.
    seen: Vec<(f64, f64)>,
}

/// A few values a metric takes with positive probability.
#[derive(Debug, Clone, Copy, Default)]
struct Atoms {
    values: [f64; MAX_ATOMS],
    len: usize,
}

impl Atoms {
    fn values(&self) -> &[f64] {
        &self.values[..self.len]
    }

    /// Adds the distinct values of `xs`; `false` once there are more than [`MAX_ATOMS`].
    fn collect(&mut self, xs: &[f64]) -> bool {
        for &x in xs {
            if self.values().contains(&x) {
                continue;
            }
            if self.len == MAX_ATOMS || x.is_nan() {
                return false;
            }
            self.values[self.len] = x;
            self.len += 1;
        }
        true
    }
}

impl Ranges {
    /// Ranges spanning the values in `blocks`, widened by a tenth of the span on each side.
    pub fn from_blocks<'b>(
        blocks: impl Iterator<Item = &'b Block> + Clone,
        metrics: usize,
    ) -> Self {
        let mut r = Ranges {
            lo: vec![0.0; metrics],
            inv_width: vec![0.0; metrics],
            width: vec![0.0; metrics],
            centre: vec![0.0; metrics],
            atoms: vec![Atoms::default(); metrics],
            inner: vec![(0.0, 0.0); metrics],
            seen: vec![(f64::INFINITY, f64::NEG_INFINITY); metrics],
        };
        let mut discrete = vec![true; metrics];
        for b in blocks {
            for (m, seen) in r.seen.iter_mut().enumerate() {
                let (lo, hi) = extremes(b.metric(m));
                *seen = (seen.0.min(lo), seen.1.max(hi));
                discrete[m] = discrete[m] && r.atoms[m].collect(b.metric(m));
            }
        }
        for (m, &discrete) in discrete.iter().enumerate() {
            if discrete {
                let atoms = &mut r.atoms[m];
                atoms.values[..atoms.len].sort_by(f64::total_cmp);
            } else {
                r.atoms[m] = Atoms::default();
            }
            let (lo, hi) = r.seen[m];
            let span = hi - lo;
            let (lo, hi) = if span > 0.0 {
                (lo - 0.1 * span, hi + 0.1 * span)
            } else {
                let pad = (lo.abs() * 0.01).max(1.0);
                (lo - pad, lo + pad)
            };
            r.lo[m] = lo;
            r.width[m] = (hi - lo) / BINS as f64;
            r.inv_width[m] = BINS as f64 / (hi - lo);
            r.centre[m] = lo + 0.5 * r.width[m];
            let margin = 1e-3 * r.width[m];
            r.inner[m] = (lo + margin, hi - margin);
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

/// The smallest and largest of `values` (NaN ignored; infinities for an empty slice), in a loop
/// that vectorises.
fn extremes(values: &[f64]) -> (f64, f64) {
    let (mut lo, mut hi) = ([f64::INFINITY; 4], [f64::NEG_INFINITY; 4]);
    let mut quads = values.chunks_exact(4);
    for q in &mut quads {
        for k in 0..4 {
            lo[k] = if q[k] < lo[k] { q[k] } else { lo[k] };
            hi[k] = if q[k] > hi[k] { q[k] } else { hi[k] };
        }
    }
    for &x in quads.remainder() {
        lo[0] = if x < lo[0] { x } else { lo[0] };
        hi[0] = if x > hi[0] { x } else { hi[0] };
    }
    (
        lo[0].min(lo[1]).min(lo[2].min(lo[3])),
        hi[0].max(hi[1]).max(hi[2].max(hi[3])),
    )
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
    /// Paths at each of the metric's point masses ([`Ranges`]' atoms).
    at_atom: Vec<[u64; MAX_ATOMS]>,
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
            at_atom: vec![[0; MAX_ATOMS]; metrics],
            min: vec![f64::INFINITY; metrics],
            max: vec![f64::NEG_INFINITY; metrics],
            keys: vec![0; BLOCK.max(CHUNK)],
        }
    }

    /// Counts every value of a block.
    pub fn add(&mut self, block: &impl Rows, ranges: &Ranges) {
        self.add_block(block, ranges, None);
    }

    /// Counts every value of a block and, with `moments`, adds the deviations of every metric from
    /// `reference` in the same pass over the values.
    pub fn add_block(
        &mut self,
        block: &impl Rows,
        ranges: &Ranges,
        mut moments: Option<(&mut Moments, &[f64])>,
    ) {
        for m in 0..block.metrics() {
            let values = block.metric(m);
            let acc = moments
                .as_mut()
                .map(|(mo, reference)| (&mut mo.acc[m], reference[m]));
            let atoms = ranges.atoms[m].values();
            if !atoms.is_empty() {
                let mut same = 0;
                for (k, &c) in atoms.iter().enumerate() {
                    let at = values.iter().fold(0usize, |n, &x| n + usize::from(x == c));
                    self.at_atom[m][k] += at as u64;
                    same += at;
                }
                if let Some((acc, reference)) = acc {
                    // Every deviation is +0 when all values are the reference: nothing to add.
                    if !(same == values.len() && atoms.len() == 1 && atoms[0] == reference) {
                        add_deviations(acc, values, reference);
                    }
                }
                if same != values.len() {
                    for &x in values.iter().filter(|x| !atoms.contains(x)) {
                        self.count_one(ranges, m, x);
                    }
                }
                continue;
            }
            let keys = &mut self.keys[..values.len()];
            let (centre, inv) = (ranges.centre[m], ranges.inv_width[m]);
            let inside = match acc {
                Some((acc, reference)) => {
                    // The extremes come with the deviations; a NaN or infinite value shows in the
                    // sums. Then every key is in range if the extremes are, with a margin.
                    let (lo, hi) = add_deviations_and_extremes(acc, values, reference);
                    for (key, &x) in keys.iter_mut().zip(values) {
                        *key = bin_key(x, centre, inv);
                    }
                    let (low, high) = ranges.inner[m];
                    acc.iter().all(|a| a.is_finite()) && low <= lo && hi <= high
                }
                None => {
                    // Bin numbers (in the low bits of each key) and whether all of them are in
                    // range, in a loop that vectorises; `u` is the bin number less a half, rounded
                    // by MAGIC.
                    let (lowest, highest) = (-0.5, BINS as f64 - 0.5);
                    let mut inside = true;
                    for (key, &x) in keys.iter_mut().zip(values) {
                        let u = (x - centre) * inv;
                        inside &= (u >= lowest) & (u < highest);
                        *key = (u + MAGIC).to_bits();
                    }
                    inside
                }
            };
            let counts = &mut self.counts[m];
            if inside {
                for &key in keys.iter() {
                    counts[key as usize & (BINS - 1)] += 1;
                }
            } else {
                for &x in values {
                    self.count_one(ranges, m, x);
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
        let b = if x.is_nan() || x < ranges.lo[m] {
            0
        } else {
            BINS - 1
        };
        self.counts[m][b] += 1;
    }

    /// Records the extremes of values already seen (the first paths, which set the ranges).
    pub fn see_extremes<'b>(&mut self, blocks: impl Iterator<Item = &'b Block>) {
        for b in blocks {
            for m in 0..b.metrics() {
                let (lo, hi) = extremes(b.metric(m));
                self.min[m] = self.min[m].min(lo);
                self.max[m] = self.max[m].max(hi);
            }
        }
    }

    /// Records the extremes of the first paths, which set `ranges`.
    pub fn see_pilot(&mut self, ranges: &Ranges) {
        for (m, &(lo, hi)) in ranges.seen.iter().enumerate() {
            self.min[m] = self.min[m].min(lo);
            self.max[m] = self.max[m].max(hi);
        }
    }

    /// Adds another worker's counts (integer addition: the order does not matter).
    pub fn merge(&mut self, other: &Histograms) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        for (a, b) in self.at_atom.iter_mut().zip(&other.at_atom) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        for m in 0..self.min.len() {
            self.min[m] = self.min[m].min(other.min[m]);
            self.max[m] = self.max[m].max(other.max[m]);
        }
    }

    /// Quantile `q` of metric `m` over `n` paths: the bins' paths are taken as spread evenly
    /// across each bin, the point masses at their exact values.
    pub fn quantile(&self, ranges: &Ranges, m: usize, n: u64, q: f64) -> f64 {
        let counts = &self.counts[m];
        let (lo, width) = (ranges.lo[m], ranges.width[m]);
        let atoms = ranges.atoms[m].values();
        let at_atom = &self.at_atom[m];
        // Position of the wanted value among the n sorted values (as numpy's linear method),
        // read as the middle of the unit of mass it falls in.
        let target = q * (n as f64 - 1.0) + 0.5;
        let clamp = |x: f64| {
            if self.min[m] <= self.max[m] {
                x.clamp(self.min[m], self.max[m])
            } else {
                x
            }
        };
        let mut below = 0.0;
        let mut next_atom = 0;
        for (b, &count) in counts.iter().enumerate() {
            let spread = f64::from(count);
            if next_atom < atoms.len() && bin_of(atoms[next_atom], ranges, m) == b {
                // Spread paths up to each point mass in this bin, then the point mass.
                let (start, end) = (lo + b as f64 * width, lo + (b + 1) as f64 * width);
                let (mut at, mut left) = (start, spread);
                while next_atom < atoms.len() && bin_of(atoms[next_atom], ranges, m) == b {
                    let c = atoms[next_atom].clamp(start, end);
                    let part = (spread * (c - at) / width).min(left);
                    if part > 0.0 && below + part >= target {
                        return clamp(at + (target - below) / part * (c - at));
                    }
                    below += part;
                    left -= part;
                    at = c;
                    let mass = at_atom[next_atom] as f64;
                    if mass > 0.0 && below + mass >= target {
                        return atoms[next_atom];
                    }
                    below += mass;
                    next_atom += 1;
                }
                if left > 0.0 && below + left >= target {
                    return clamp(at + (target - below) / left * (end - at));
                }
                below += left;
                continue;
            }
            if spread > 0.0 && below + spread >= target {
                let within = ((target - below) / spread).clamp(0.0, 1.0);
                return clamp(lo + (b as f64 + within) * width);
            }
            below += spread;
        }
        if self.min[m] <= self.max[m] {
            self.max[m]
        } else {
            lo + BINS as f64 * width
        }
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
        let values: Vec<f64> = (0..1024)
            .map(|i| ((i * 7919) % 1024) as f64 * 3.0)
            .collect();
        let block = block_of(&values);
        let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
        let mut h = Histograms::new(1);
        h.see_pilot(&ranges);
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
        for i in 0..(BINS * 10) {
            // Points inside bins, away from their edges.
            let u = i as f64 / 10.0 + 0.05;
            let x = r.lo[0] + u * r.width[0];
            assert_eq!(r.bin(0, x), Some(u.floor() as usize), "{x}");
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
        let block = block_of(&[0.0, 1.0, 2.0, 3.0, 0.5, 2.5]);
        let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
        let mut h = Histograms::new(1);
        h.see_pilot(&ranges);
        h.add(&block_of(&[-50.0, 1.5, 80.0, f64::NAN, 2.0]), &ranges);
        assert_eq!(h.min[0], -50.0);
        assert_eq!(h.max[0], 80.0);
        assert_eq!(h.counts[0].iter().sum::<u32>(), 5);
        // Values beyond the range are counted in the end bins.
        assert!(h.quantile(&ranges, 0, 5, 1.0) <= 80.0);
        assert!(h.quantile(&ranges, 0, 5, 0.0) >= -50.0);
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
        h.see_pilot(&ranges);
        h.add(&block, &ranges);
        let mut later = vec![0.0; 100];
        later[3] = 1e6;
        h.add(&block_of(&later), &ranges);
        assert_eq!(h.max[0], 1e6);
        assert_eq!(h.quantile(&ranges, 0, 200, 0.5), 0.0);
    }

    #[test]
    fn a_few_values_are_point_masses_with_exact_quantiles() {
        // An instalment received in 30% of paths, and a value never seen in the pilot.
        let pilot: Vec<f64> = (0..100)
            .map(|i| if i % 10 < 3 { 5e6 } else { 0.0 })
            .collect();
        let block = block_of(&pilot);
        let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
        assert_eq!(ranges.atoms[0].values(), &[0.0, 5e6]);
        let mut h = Histograms::new(1);
        h.see_pilot(&ranges);
        h.add(&block, &ranges);
        let mut later = pilot.clone();
        later[0] = 2.5e6;
        h.add(&block_of(&later), &ranges);
        let mut all = [pilot, later].concat();
        all.sort_by(f64::total_cmp);
        for q in [0.05, 0.5, 0.69, 0.72, 0.95] {
            assert_eq!(
                h.quantile(&ranges, 0, 200, q),
                sorted_quantile(&all, q),
                "q {q}"
            );
        }
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
