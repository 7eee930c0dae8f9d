//! Histograms of large runs: ranges set from the pilot, binned counts, point masses, quantiles.

use super::moments::{Lanes, add_deviations};
use super::{BINS, Block, MAGIC, MAX_ATOMS, Moments, Rows};

/// Where each metric's histogram lies, set from the first paths.
#[derive(Debug, Clone)]
pub struct Ranges {
    lo: Vec<f64>,
    inv_width: Vec<f64>,
    width: Vec<f64>,
    /// `lo` plus half a bin: `(x - centre) * inv_width + MAGIC` rounds to `x`'s bin.
    centre: Vec<f64>,
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
        }
        r
    }

    /// Number of metrics.
    pub fn len(&self) -> usize {
        self.lo.len()
    }

    /// Whether there are no metrics.
    pub fn is_empty(&self) -> bool {
        self.lo.is_empty()
    }

    /// The ranges of the metrics `metrics` (in that order, repeats allowed): for counting a subset
    /// of a metric's paths, such as the futures in which an event happens, on the same bins.
    pub fn select(&self, metrics: &[usize]) -> Ranges {
        let pick = |v: &Vec<f64>| metrics.iter().map(|&m| v[m]).collect::<Vec<f64>>();
        Ranges {
            lo: pick(&self.lo),
            inv_width: pick(&self.inv_width),
            width: pick(&self.width),
            centre: pick(&self.centre),
            atoms: metrics.iter().map(|&m| self.atoms[m]).collect(),
            seen: metrics.iter().map(|&m| self.seen[m]).collect(),
        }
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
///
/// Values are counted into 16-bit counts, half the size of 32-bit ones, so that a worker's
/// histograms of a large scenario stay in a core's cache (counting is the engine's hottest loop);
/// they are settled into 32-bit counts before any bin could reach 65,536.
#[derive(Debug, Clone)]
pub struct Histograms {
    /// Counts since the last settling.
    recent: Vec<[u16; BINS]>,
    /// The most any bin of `recent` can hold: values added per metric since the last settling.
    pending: usize,
    /// Settled counts (empty until the first settling: runs too small to need it never allocate
    /// them).
    counts: Vec<[u32; BINS]>,
    /// Paths at each of the metric's point masses ([`Ranges`]' atoms).
    at_atom: Vec<[u64; MAX_ATOMS]>,
    min: Vec<f64>,
    max: Vec<f64>,
}

impl Histograms {
    /// Empty histograms for `metrics` metrics.
    pub fn new(metrics: usize) -> Self {
        Histograms {
            recent: vec![[0; BINS]; metrics],
            pending: 0,
            counts: Vec::new(),
            at_atom: vec![[0; MAX_ATOMS]; metrics],
            min: vec![f64::INFINITY; metrics],
            max: vec![f64::NEG_INFINITY; metrics],
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
        // No bin gains more than the longest metric's values (metrics may differ in length:
        // a split's metrics hold only the paths on one side of it). A block too long for the
        // 16-bit counts (the engine's never are) goes in parts of a multiple of 4 values, so
        // that value `i` still goes to sums `i % 4`.
        let paths = (0..block.metrics())
            .map(|m| block.metric(m).len())
            .max()
            .unwrap_or(0);
        let mut start = 0;
        while start < paths {
            let end = paths.min(start + MOST_AT_ONCE);
            if self.pending + (end - start) > usize::from(u16::MAX) {
                self.settle();
            }
            self.pending += end - start;
            let part = Part {
                rows: block,
                range: start..end,
            };
            let moments = moments.as_mut().map(|(m, r)| (&mut **m, *r));
            add_block_on_this_cpu(self, &part, ranges, moments);
            start = end;
        }
    }

    /// Moves the recent 16-bit counts into the 32-bit ones.
    fn settle(&mut self) {
        if self.counts.is_empty() {
            self.counts = vec![[0; BINS]; self.recent.len()];
        }
        for (settled, recent) in self.counts.iter_mut().zip(&mut self.recent) {
            for (s, r) in settled.iter_mut().zip(recent.iter_mut()) {
                *s += u32::from(std::mem::take(r));
            }
        }
        self.pending = 0;
    }

    /// Metric `m`'s counts, settled and recent.
    fn counts(&self, m: usize) -> [u32; BINS] {
        let mut all = self.recent[m].map(u32::from);
        if let Some(settled) = self.counts.get(m) {
            for (a, s) in all.iter_mut().zip(settled) {
                *a += s;
            }
        }
        all
    }

    /// Counts one value (the slow path).
    fn count_one(&mut self, ranges: &Ranges, m: usize, x: f64) {
        match ranges.bin(m, x) {
            Some(b) => self.recent[m][b] += 1,
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
        self.recent[m][b] += 1;
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
        if other.counts.is_empty() && self.pending + other.pending <= usize::from(u16::MAX) {
            // Small runs: the sums still fit the 16-bit counts, and no 32-bit ones are made.
            for (a, b) in self.recent.iter_mut().zip(&other.recent) {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
            }
            self.pending += other.pending;
        } else {
            self.settle();
            for (m, a) in self.counts.iter_mut().enumerate() {
                for (x, y) in a.iter_mut().zip(other.counts(m)) {
                    *x += y;
                }
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
        self.quantiles(ranges, m, n, &[q])[0]
    }

    /// Quantiles `qs` (fastest ascending) of metric `m` over `n` paths, in one walk over the bins: each
    /// equal, bit for bit, to [`Histograms::quantile`] of it alone (a quantile resumes the walk
    /// at the start of the bin where the previous one was found, with the same running count).
    pub fn quantiles(&self, ranges: &Ranges, m: usize, n: u64, qs: &[f64]) -> Vec<f64> {
        let counts = self.counts(m);
        let mut walk = Walk::default();
        let mut last = f64::NEG_INFINITY;
        qs.iter()
            .map(|&q| {
                if q < last {
                    // Out of order: start again from the first bin.
                    walk = Walk::default();
                }
                last = q;
                self.walk_to(&counts, ranges, m, n, q, &mut walk)
            })
            .collect()
    }

    /// Quantile `q`, walking on from `walk` (left at the start of the bin where it was found).
    fn walk_to(
        &self,
        counts: &[u32; BINS],
        ranges: &Ranges,
        m: usize,
        n: u64,
        q: f64,
        walk: &mut Walk,
    ) -> f64 {
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
        let Walk {
            mut below,
            mut next_atom,
            ..
        } = *walk;
        // Up to the next point mass's bin, while `below` is a whole number: the counts are added
        // as integers until the bin where the target falls. Every sum is exact either way, so
        // this gives the bits of adding them one by one as floats, without waiting on each
        // float addition.
        let mut from = walk.bin;
        if below == below.trunc() && below < EXACT_INTEGERS {
            let stop = match atoms.get(next_atom) {
                Some(&a) => bin_of(a, ranges, m),
                None => BINS,
            };
            let mut whole = below as u64;
            while from < stop {
                let count = u64::from(counts[from]);
                if count > 0 && (whole + count) as f64 >= target {
                    break;
                }
                whole += count;
                from += 1;
            }
            below = whole as f64;
        }
        for (b, &count) in counts.iter().enumerate().skip(from) {
            *walk = Walk {
                bin: b,
                below,
                next_atom,
            };
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
        *walk = Walk {
            bin: BINS,
            below,
            next_atom,
        };
        if self.min[m] <= self.max[m] {
            self.max[m]
        } else {
            lo + BINS as f64 * width
        }
    }
}

/// Where a walk over a histogram's bins stands: at the start of bin `bin`, with `below` paths
/// counted before it and the point masses before `next_atom` passed.
#[derive(Debug, Clone, Copy, Default)]
struct Walk {
    bin: usize,
    below: f64,
    next_atom: usize,
}

impl Histograms {
    /// Share of metric `m`'s `n` paths below `x`, a path equal to `x` counting half: each bin's
    /// paths taken as spread evenly across it, point masses at their values. Exact for a metric
    /// counted as point masses; otherwise within the share of paths in `x`'s bin.
    pub fn share_below(&self, ranges: &Ranges, m: usize, n: u64, x: f64) -> f64 {
        if n == 0 || x.is_nan() {
            return f64::NAN;
        }
        let (lo, width) = (ranges.lo[m], ranges.width[m]);
        let counts = self.counts(m);
        let mut below = 0.0;
        for (&a, &count) in ranges.atoms[m].values().iter().zip(&self.at_atom[m]) {
            let count = count as f64;
            if a < x {
                below += count;
            } else if a == x {
                below += 0.5 * count;
            }
        }
        let start = |b: usize| lo + b as f64 * width;
        if x > self.max[m] {
            // Everything binned lies below (integer sums: exact, as the float ones were).
            below += counts.iter().map(|&c| u64::from(c)).sum::<u64>() as f64;
        } else if x >= self.min[m] {
            // The bins wholly below `x` (a prefix: `x`'s share of a bin only falls with the bin)
            // count whole, added as integers; the same exact sum as adding them one by one.
            let whole = prefix_length(BINS, |b| {
                start(b) < x && ((x - start(b)) / width).clamp(0.0, 1.0) == 1.0
            });
            below += counts[..whole].iter().map(|&c| u64::from(c)).sum::<u64>() as f64;
            for (b, &count) in counts.iter().enumerate().skip(whole) {
                let start = start(b);
                if start >= x {
                    break;
                }
                let part = ((x - start) / width).clamp(0.0, 1.0);
                below += f64::from(count) * part;
            }
        }
        (below / n as f64).clamp(0.0, 1.0)
    }
}

/// The most paths counted into the 16-bit counts at once: a multiple of 4 below 65,536.
const MOST_AT_ONCE: usize = 65_532;

/// Values `range` of each metric of a block (fewer, or none, for a shorter metric).
struct Part<'a, R> {
    rows: &'a R,
    range: std::ops::Range<usize>,
}

impl<R: Rows> Rows for Part<'_, R> {
    fn metrics(&self) -> usize {
        self.rows.metrics()
    }

    #[inline]
    fn metric(&self, m: usize) -> &[f64] {
        let values = self.rows.metric(m);
        let end = self.range.end.min(values.len());
        &values[self.range.start.min(end)..end]
    }
}

/// Floats hold every whole number up to this one exactly (2^53).
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

/// How many of `0..len` satisfy `holds`, which holds on a prefix of them (a binary search).
fn prefix_length(len: usize, holds: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if holds(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

fn bin_of(x: f64, ranges: &Ranges, m: usize) -> usize {
    ((x - ranges.lo[m]) * ranges.inv_width[m]).clamp(0.0, (BINS - 1) as f64) as usize
}

/// [`Histograms::add_block`]'s body, compiled twice by `multiversion`: for any x86-64, and for
/// one with AVX2 (x86-64-v3), chosen when the program runs. The sums are the same bits either way
/// (no fused multiply-add).
#[multiversion::multiversion(targets(
    "x86_64+avx2+avx+fma+bmi1+bmi2+lzcnt+popcnt+movbe+f16c+sse4.2+sse4.1+ssse3+sse3"
))]
fn add_block_on_this_cpu<R: Rows>(
    h: &mut Histograms,
    block: &R,
    ranges: &Ranges,
    mut moments: Option<(&mut Moments, &[f64])>,
) {
    for m in 0..block.metrics() {
        let values = block.metric(m);
        let mut acc = moments
            .as_mut()
            .map(|(mo, reference)| (&mut mo.acc[m], reference[m]));
        let atoms = ranges.atoms[m].values();
        if !atoms.is_empty() {
            let mut same = 0;
            for (k, &c) in atoms.iter().enumerate() {
                let at = values.iter().fold(0usize, |n, &x| n + usize::from(x == c));
                h.at_atom[m][k] += at as u64;
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
                    h.count_one(ranges, m, x);
                }
            }
            continue;
        }
        let (centre, inv) = (ranges.centre[m], ranges.inv_width[m]);
        let mut keys = [0u16; KEYS];
        // Parts of a multiple of 4 values: value `i` of the block still goes to sums `i % 4`.
        for part in values.chunks(KEYS) {
            let keys = &mut keys[..part.len()];
            let inside = match acc.as_mut() {
                Some((acc, reference)) => {
                    bin_keys::<true>(keys, part, centre, inv, acc, *reference)
                }
                None => bin_keys::<false>(keys, part, centre, inv, &mut [0.0; 8], 0.0),
            };
            if inside {
                // No test per value: every key is a bin.
                let counts = &mut h.recent[m];
                for &k in keys.iter() {
                    counts[usize::from(k) & (BINS - 1)] += 1;
                }
            } else {
                for &x in part {
                    h.count_one(ranges, m, x);
                }
            }
        }
    }
}

/// Values binned at a time: their bins are found side by side, then counted.
const KEYS: usize = 256;

/// Puts the bin of each of `values` in `keys` (the low bits of [`bin_key`]) and tells whether
/// every value is inside the bins (false for a NaN or an infinity); with `SUMS`, adds the
/// deviations of `values` from `c` to `acc` as [`add_deviations`] does, in the same pass. Four
/// values at a time, lane by lane: this compiles to whole-vector operations.
#[inline(always)]
fn bin_keys<const SUMS: bool>(
    keys: &mut [u16],
    values: &[f64],
    centre: f64,
    inv: f64,
    acc: &mut [f64; 8],
    c: f64,
) -> bool {
    // `u` is the bin number less a half: the value rounds to a bin when it lies in this range.
    let (lowest, highest) = (-0.5, BINS as f64 - 0.5);
    let inside = |x: f64| {
        let u = (x - centre) * inv;
        (u >= lowest) & (u < highest)
    };
    let mut lanes = Lanes::of(acc);
    let mut all = [true; 4];
    let (quads, rest) = values.as_chunks::<4>();
    let (key_quads, key_rest) = keys.as_chunks_mut::<4>();
    for (q, k) in quads.iter().zip(key_quads) {
        if SUMS {
            lanes.add(q.map(|x| x - c));
        }
        for j in 0..4 {
            all[j] &= inside(q[j]);
        }
        for j in 0..4 {
            k[j] = bin_key(q[j], centre, inv) as u16;
        }
    }
    if SUMS {
        lanes.store(acc);
        add_deviations(acc, rest, c);
    }
    let mut all = all[0] & all[1] & all[2] & all[3];
    for (k, &x) in key_rest.iter_mut().zip(rest) {
        all &= inside(x);
        *k = bin_key(x, centre, inv) as u16;
    }
    all
}

#[cfg(test)]
mod tests;
