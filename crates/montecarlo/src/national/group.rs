//! A group's (a region's) totals in a national run.

use serde::{Deserialize, Serialize};

use super::{CHUNK, Hist, QUANTUM};

/// A group's (a region's) totals: its councils' values added path by path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupAggregate {
    /// Sums over paths, `[measure * H + t - 1]`, in units of 1/[`QUANTUM`].
    pub sums: Vec<i128>,
    /// Sums of squares (units squared).
    pub squares: Vec<i128>,
    /// The totals, `[measure * H + t - 1]`.
    pub hists: Vec<Hist>,
}

impl GroupAggregate {
    pub(super) fn add(&mut self, totals: &[i64], n: usize) {
        add_totals(
            (&mut self.sums, &mut self.squares, &mut self.hists),
            totals,
            n,
        );
    }

    pub(super) fn merge(&mut self, other: &GroupAggregate) {
        merge_totals(
            (&mut self.sums, &mut self.squares, &mut self.hists),
            (&other.sums, &other.squares, &other.hists),
        );
    }
}

/// Adds a chunk's `n` paths of totals (`[measure * CHUNK + path]`, in 1/[`QUANTUM`]) to the
/// sums, sums of squares and histograms of totals (national or a group's: they are kept alike).
pub(super) fn add_totals(
    (sums, squares, hists): (&mut [i128], &mut [i128], &mut [Hist]),
    totals: &[i64],
    n: usize,
) {
    for (m, hist) in hists.iter_mut().enumerate() {
        for &x in &totals[m * CHUNK..m * CHUNK + n] {
            let x128 = i128::from(x);
            sums[m] += x128;
            squares[m] += x128 * x128;
            hist.add(x as f64 / QUANTUM);
        }
    }
}

/// Adds another part's sums, sums of squares and histograms of totals to these (national or a
/// group's: they are kept alike).
pub(super) fn merge_totals(
    (sums, squares, hists): (&mut [i128], &mut [i128], &mut [Hist]),
    (other_sums, other_squares, other_hists): (&[i128], &[i128], &[Hist]),
) {
    sums.iter_mut().zip(other_sums).for_each(|(x, y)| *x += y);
    squares
        .iter_mut()
        .zip(other_squares)
        .for_each(|(x, y)| *x += y);
    hists
        .iter_mut()
        .zip(other_hists)
        .for_each(|(a, b)| a.merge(b));
}
