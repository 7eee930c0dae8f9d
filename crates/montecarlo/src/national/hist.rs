//! A histogram over a fixed range, with counts below and above it: integer counts, so two
//! halves of a run merge into the whole exactly, in any order.

use serde::{Deserialize, Serialize};

/// Counts of values in `bins` equal bins over `[lo, hi)`, plus one count below and one above.
///
/// ```
/// use dsg_montecarlo::national::Hist;
/// let mut h = Hist::new(0.0, 10.0, 10);
/// for x in 0..10 { h.add(x as f64 + 0.5); }
/// assert_eq!(h.count(), 10);
/// assert!((h.quantile(0.5) - 5.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "Parts")]
pub struct Hist {
    lo: f64,
    hi: f64,
    /// Bins per unit, `bins / (hi - lo)`.
    #[serde(skip)]
    scale: f64,
    /// `[below, bins.., above]`.
    counts: Vec<u64>,
}

/// What a histogram is read back from (its bins per unit recomputed).
#[derive(Deserialize)]
struct Parts {
    lo: f64,
    hi: f64,
    counts: Vec<u64>,
}

impl From<Parts> for Hist {
    fn from(p: Parts) -> Hist {
        let mut h = Hist::new(p.lo, p.hi, p.counts.len().saturating_sub(2));
        if h.counts.len() == p.counts.len() {
            h.counts = p.counts;
        }
        h
    }
}

impl Hist {
    /// An empty histogram of `bins` bins over `[lo, hi)` (`hi > lo`, `bins >= 1`; a range of
    /// zero width is widened to one unit).
    pub fn new(lo: f64, hi: f64, bins: usize) -> Self {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let bins = bins.max(1);
        Hist {
            lo,
            hi,
            scale: bins as f64 / (hi - lo),
            counts: vec![0; bins + 2],
        }
    }

    /// A histogram for values seen between `min` and `max` in a pilot: the range widened by half
    /// its width each side (and by at least a unit), so that later paths rarely fall outside.
    pub fn around(min: f64, max: f64, bins: usize) -> Self {
        if !(min.is_finite() && max.is_finite()) {
            return Hist::new(0.0, 1.0, bins);
        }
        let pad = (0.5 * (max - min))
            .max(1e-6 * min.abs().max(max.abs()))
            .max(1.0);
        Hist::new(min - pad, max + pad, bins)
    }

    /// Counts `x` (a NaN counts above the range).
    #[inline]
    pub fn add(&mut self, x: f64) {
        let bins = self.counts.len() - 2;
        let i = if x < self.lo {
            0
        } else if x < self.hi {
            1 + (((x - self.lo) * self.scale) as usize).min(bins - 1)
        } else {
            bins + 1
        };
        self.counts[i] += 1;
    }

    /// Values counted.
    pub fn count(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Values outside the range.
    pub fn outside(&self) -> u64 {
        self.counts[0] + self.counts[self.counts.len() - 1]
    }

    /// Whether `other` has the same range and bins (and so can be merged).
    pub fn same_bins(&self, other: &Hist) -> bool {
        self.lo.to_bits() == other.lo.to_bits()
            && self.hi.to_bits() == other.hi.to_bits()
            && self.counts.len() == other.counts.len()
    }

    /// Adds `other`'s counts (same bins: see [`Hist::same_bins`]).
    pub fn merge(&mut self, other: &Hist) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    /// The share of values below `x`, linear within its bin (the rank of a figure among the
    /// values); `NaN` when empty.
    ///
    /// ```
    /// use dsg_montecarlo::national::Hist;
    /// let mut h = Hist::new(0.0, 10.0, 10);
    /// for x in 0..10 { h.add(x as f64 + 0.5); }
    /// assert!((h.fraction_below(2.5) - 0.25).abs() < 1e-12);
    /// ```
    pub fn fraction_below(&self, x: f64) -> f64 {
        let n = self.count();
        if n == 0 {
            return f64::NAN;
        }
        let bins = self.counts.len() - 2;
        let mut below = self.counts[0] as f64;
        if x >= self.hi {
            below = (n - self.counts[bins + 1]) as f64;
        } else if x >= self.lo {
            let f = (x - self.lo) / (self.hi - self.lo) * bins as f64;
            let i = (f as usize).min(bins - 1);
            below += self.counts[1..=i].iter().sum::<u64>() as f64;
            below += self.counts[i + 1] as f64 * (f - i as f64);
        }
        below / n as f64
    }

    /// The `p` quantile, linear within its bin; a quantile that falls below or above the range
    /// reads as the range's end. `NaN` when empty.
    pub fn quantile(&self, p: f64) -> f64 {
        let n = self.count();
        if n == 0 {
            return f64::NAN;
        }
        let bins = self.counts.len() - 2;
        let width = (self.hi - self.lo) / bins as f64;
        let target = p.clamp(0.0, 1.0) * n as f64;
        let mut below = self.counts[0] as f64;
        if target <= below {
            return self.lo;
        }
        for (i, &c) in self.counts[1..=bins].iter().enumerate() {
            let c = c as f64;
            if target <= below + c {
                let frac = if c > 0.0 { (target - below) / c } else { 0.0 };
                return self.lo + (i as f64 + frac) * width;
            }
            below += c;
        }
        self.hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_within_bins_and_clamp_outside() {
        let mut h = Hist::new(0.0, 4.0, 4);
        for x in [0.5, 1.5, 1.5, 2.5, 10.0, -3.0] {
            h.add(x);
        }
        // Six values: one below, [0,1): 1, [1,2): 2, [2,3): 1, one above.
        assert_eq!(h.outside(), 2);
        assert_eq!(h.quantile(0.0), 0.0);
        // 50% = 3 values: one below, one in [0, 1), then one of the two in [1, 2): 1.5.
        assert!((h.quantile(0.5) - 1.5).abs() < 1e-12);
        assert_eq!(h.quantile(1.0), 4.0);
    }

    #[test]
    fn halves_merge_into_the_whole() {
        let (mut a, mut b, mut whole) = (
            Hist::new(0.0, 1.0, 8),
            Hist::new(0.0, 1.0, 8),
            Hist::new(0.0, 1.0, 8),
        );
        for k in 0..100 {
            let x = (k as f64 * 0.37) % 1.2;
            whole.add(x);
            if k < 50 { a.add(x) } else { b.add(x) }
        }
        a.merge(&b);
        assert_eq!(a, whole);
    }
}
