//! Running sums of deviations from a reference, for means and standard errors.

use super::Rows;

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
#[inline(always)]
pub(super) fn add_deviations(acc: &mut [f64; 8], values: &[f64], c: f64) {
    let mut lanes = Lanes::of(acc);
    // The remainder as a padded quad: the padding adds +0, which changes no sum.
    let (quads, rest) = values.as_chunks::<4>();
    for q in quads {
        lanes.add(q.map(|x| x - c));
    }
    if !rest.is_empty() {
        let mut q = [c; 4];
        q[..rest.len()].copy_from_slice(rest);
        lanes.add(std::array::from_fn(|k| {
            if k < rest.len() { q[k] - c } else { 0.0 }
        }));
    }
    lanes.store(acc);
}

/// The four interleaved running sums of deviations and of their squares of a [`Moments`]
/// accumulator (`[a0..a3, b0..b3]`), taking four deviations at a time, lane by lane in separate
/// loops: this compiles to whole-vector operations.
pub(super) struct Lanes {
    a: [f64; 4],
    b: [f64; 4],
}

impl Lanes {
    #[inline(always)]
    pub(super) fn of(acc: &[f64; 8]) -> Self {
        Lanes {
            a: [acc[0], acc[1], acc[2], acc[3]],
            b: [acc[4], acc[5], acc[6], acc[7]],
        }
    }

    /// Adds deviation `d[k]` and its square to sums `k`.
    #[inline(always)]
    pub(super) fn add(&mut self, d: [f64; 4]) {
        for (a, d) in self.a.iter_mut().zip(d) {
            *a += d;
        }
        for (b, d) in self.b.iter_mut().zip(d) {
            *b += d * d;
        }
    }

    #[inline(always)]
    pub(super) fn store(&self, acc: &mut [f64; 8]) {
        let (a, b) = (self.a, self.b);
        *acc = [a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]];
    }
}

/// The running sums of deviations of one chunk, per metric.
#[derive(Debug, Clone)]
pub struct Moments {
    pub(super) acc: Vec<[f64; 8]>,
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
