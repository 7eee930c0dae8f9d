//! The sums of every chunk's deviations, added in chunk order: the totals behind the means and
//! standard errors never depend on which thread finished first.

/// The sums of deviations of every chunk, added in chunk order as chunks complete (whatever
/// thread ran them), so that memory stays bounded and the totals never depend on scheduling.
#[derive(Debug)]
pub(super) struct Totals {
    /// `[s1.., s2..]` over chunks `0..next`.
    pub(super) sums: Vec<f64>,
    /// The next chunk to add.
    next: usize,
    /// Chunks done but not yet added (a later chunk finished before an earlier one).
    waiting: Vec<(usize, Vec<f64>)>,
    /// Buffers to reuse.
    spare: Vec<Vec<f64>>,
}

impl Totals {
    pub(super) fn new(metrics: usize) -> Self {
        Totals {
            sums: vec![0.0; 2 * metrics],
            next: 0,
            waiting: Vec::new(),
            spare: Vec::new(),
        }
    }

    /// Records chunk `chunk`'s sums; adds every chunk that is next in order.
    pub(super) fn submit(&mut self, chunk: usize, sums: Vec<f64>) {
        self.waiting.push((chunk, sums));
        while let Some(i) = self.waiting.iter().position(|(c, _)| *c == self.next) {
            let (_, sums) = self.waiting.swap_remove(i);
            for (total, x) in self.sums.iter_mut().zip(&sums) {
                *total += x;
            }
            self.spare.push(sums);
            self.next += 1;
        }
    }

    /// A buffer for a chunk's sums.
    pub(super) fn buffer(&mut self) -> Vec<f64> {
        let n = self.sums.len();
        let mut b = self.spare.pop().unwrap_or_default();
        b.resize(n, 0.0);
        b
    }
}
