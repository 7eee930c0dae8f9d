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
        for (m, hist) in self.hists.iter_mut().enumerate() {
            for &x in &totals[m * CHUNK..m * CHUNK + n] {
                let x128 = i128::from(x);
                self.sums[m] += x128;
                self.squares[m] += x128 * x128;
                hist.add(x as f64 / QUANTUM);
            }
        }
    }

    pub(super) fn merge(&mut self, other: &GroupAggregate) {
        let add = |a: &mut Vec<i128>, b: &Vec<i128>| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.sums, &other.sums);
        add(&mut self.squares, &other.squares);
        self.hists
            .iter_mut()
            .zip(&other.hists)
            .for_each(|(a, b)| a.merge(b));
    }
}
