//! The cumulative balance split by yes/no events drawn once per path (docs/model.md section 7): a
//! write-off approved in 70% of futures gives a balance with two humps, which a median and a 90%
//! range hide. Each event's futures are sorted into "happens" and "not" as a block is run, and
//! counted like any other metric (kept whole in small runs, binned in large ones), so the split
//! costs a copy of one series per event and comes from the same paths.

use dsg_core::{Dist, Inputs, ParamId, Projection, Scenario, Series, Shape, Slot};

use crate::aggregate::{BLOCK, Rows};

/// A yes/no input drawn once per path with a probability strictly between 0 and 1.
#[derive(Debug, Clone)]
pub(crate) struct SplitEvent {
    pub id: ParamId,
    pub key: String,
    pub probability: f64,
}

/// The per-path events of `scenario` that may split its outcome.
pub(crate) fn split_events(scenario: &Scenario) -> Vec<SplitEvent> {
    let params = scenario.params();
    params
        .specs()
        .iter()
        .enumerate()
        .filter_map(|(i, spec)| match spec.slots.as_slice() {
            [Slot::Own(Dist::Bernoulli { p })]
                if spec.shape == Shape::Scalar && *p > 0.0 && *p < 1.0 =>
            {
                Some(SplitEvent {
                    id: params.id(i),
                    key: spec.key.clone(),
                    probability: *p,
                })
            }
            _ => None,
        })
        .collect()
}

/// What an event's key means, in words for a headline.
pub(crate) fn event_label(key: &str) -> String {
    match key {
        "write_off.probability" => "the write-off is approved".to_string(),
        "reform.probability" => "the reform at phase transfer goes ahead".to_string(),
        other => format!("`{other}` happens"),
    }
}

/// Metric index of event `e`, side `happens`, year index `t` (0-based) among `h` years.
pub(crate) fn split_metric(e: usize, happens: bool, t: usize, h: usize) -> usize {
    (2 * e + usize::from(!happens)) * h + t
}

/// One block's cumulative balances sorted by each event's outcome: metric
/// [`split_metric`]`(e, side, t)` holds the balances in year `t` of the block's paths on that side.
#[derive(Debug, Clone)]
pub(crate) struct SplitRows {
    values: Vec<f64>,
    lens: Vec<usize>,
}

impl SplitRows {
    /// Empty rows for `events` events over `h` years.
    pub fn new(events: usize, h: usize) -> Self {
        SplitRows {
            values: vec![0.0; 2 * events * h * BLOCK],
            lens: vec![0; 2 * events * h],
        }
    }

    /// Sorts the first `paths` lanes of `projection`'s cumulative balance by each event's draw in
    /// `inputs`. Counts, per event and side, the paths and those whose deficit exceeds the
    /// reserves (`exceeds[metric]`, `paths_on[2 * e + side]`).
    pub fn fill(
        &mut self,
        events: &[SplitEvent],
        inputs: &Inputs,
        projection: &Projection,
        paths: usize,
        counts: (&mut [u64], &mut [u64]),
    ) {
        let (exceeds, paths_on) = counts;
        let h = projection.horizon();
        for (e, event) in events.iter().enumerate() {
            let drawn = &inputs.scalar_lanes(event.id)[..paths];
            let happened = drawn.iter().filter(|&&x| x != 0.0).count();
            paths_on[2 * e] += happened as u64;
            paths_on[2 * e + 1] += (paths - happened) as u64;
            for t in 0..h {
                let balance = &projection.lanes_of(Series::Cumulative, t + 1)[..paths];
                let reserves = &projection.lanes_of(Series::UsableReserves, t + 1)[..paths];
                for happens in [true, false] {
                    let m = split_metric(e, happens, t, h);
                    let row = &mut self.values[m * BLOCK..(m + 1) * BLOCK];
                    let mut n = 0;
                    let mut over = 0u64;
                    for ((&b, &r), &x) in balance.iter().zip(reserves).zip(drawn) {
                        if (x != 0.0) == happens {
                            row[n] = b;
                            n += 1;
                            over += u64::from(-b > r);
                        }
                    }
                    self.lens[m] = n;
                    exceeds[m] += over;
                }
            }
        }
    }
}

impl Rows for SplitRows {
    fn metrics(&self) -> usize {
        self.lens.len()
    }

    fn metric(&self, m: usize) -> &[f64] {
        &self.values[m * BLOCK..m * BLOCK + self.lens[m]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_laid_out_event_side_year() {
        let h = 3;
        let all: Vec<usize> = (0..2)
            .flat_map(|e| {
                [true, false]
                    .into_iter()
                    .flat_map(move |s| (0..h).map(move |t| split_metric(e, s, t, h)))
            })
            .collect();
        assert_eq!(all, (0..12).collect::<Vec<_>>());
    }

    #[test]
    fn labels_name_the_write_off() {
        assert_eq!(
            event_label("write_off.probability"),
            "the write-off is approved"
        );
        assert_eq!(event_label("x.y"), "`x.y` happens");
    }
}
