//! The pilot pass of a national run: each measure's smallest and largest value over the first
//! [`PILOT_PATHS`](super::PILOT_PATHS) paths, which set the ranges of every histogram of the run proper.

use dsg_core::{Projection, Series};

use super::hist::Hist;
use super::{
    COUNCIL_BINS, Collector, CouncilAggregate, GROUP_BINS, GroupAggregate, MEASURES, NATIONAL_BINS,
    NationalAggregate, Plan, QUANTUM, per_plan,
};
use crate::aggregate::CHUNK;

/// The pilot: each metric's smallest and largest value.
pub(super) struct Pilot {
    national: Vec<(f64, f64)>,
    /// Per group, as `national`.
    groups: Vec<Vec<(f64, f64)>>,
    /// Per council: ehcps, in-year per plan, cumulative and in-year, `[kind * H + t - 1]`.
    councils: Vec<Vec<(f64, f64)>>,
}

const EMPTY: (f64, f64) = (f64::INFINITY, f64::NEG_INFINITY);

fn widen(r: &mut (f64, f64), x: f64) {
    if x.is_finite() {
        r.0 = r.0.min(x);
        r.1 = r.1.max(x);
    }
}

impl Pilot {
    pub(super) fn new(plan: &Plan<'_>) -> Self {
        let h = plan.horizon;
        Pilot {
            national: vec![EMPTY; MEASURES * h],
            groups: vec![vec![EMPTY; MEASURES * h]; plan.n_groups],
            councils: vec![vec![EMPTY; 4 * h]; plan.councils.len()],
        }
    }

    /// Empty aggregates with histograms over the pilot's ranges.
    pub(super) fn aggregate(&self, plan: &Plan<'_>) -> NationalAggregate {
        let h = plan.horizon;
        let hist = |r: &(f64, f64), bins| Hist::around(r.0, r.1, bins);
        NationalAggregate {
            horizon: h,
            paths: 0,
            sums: vec![0; MEASURES * h],
            squares: vec![0; MEASURES * h],
            hists: self
                .national
                .iter()
                .map(|r| hist(r, NATIONAL_BINS))
                .collect(),
            councils: self
                .councils
                .iter()
                .map(|r| CouncilAggregate {
                    sums: vec![0; MEASURES * h],
                    ehcps: r[..h].iter().map(|r| hist(r, COUNCIL_BINS)).collect(),
                    in_year_per_plan: r[h..2 * h].iter().map(|r| hist(r, COUNCIL_BINS)).collect(),
                    cumulative: r[2 * h..3 * h]
                        .iter()
                        .map(|r| hist(r, COUNCIL_BINS))
                        .collect(),
                    in_year: r[3 * h..].iter().map(|r| hist(r, COUNCIL_BINS)).collect(),
                    exceeds: vec![0; h],
                })
                .collect(),
            groups: self
                .groups
                .iter()
                .map(|g| GroupAggregate {
                    sums: vec![0; MEASURES * h],
                    squares: vec![0; MEASURES * h],
                    hists: g.iter().map(|r| hist(r, GROUP_BINS)).collect(),
                })
                .collect(),
        }
    }
}

impl Collector for Pilot {
    fn council(&mut self, c: usize, p: &Projection, _sums: &[i64], n: usize, h: usize) {
        let r = &mut self.councils[c];
        for t in 1..=h {
            let plans = &p.lanes_of(Series::CaseloadTotal, t)[..n];
            let in_year = &p.lanes_of(Series::InYear, t)[..n];
            let cumulative = &p.lanes_of(Series::Cumulative, t)[..n];
            for i in 0..n {
                widen(&mut r[t - 1], plans[i]);
                widen(&mut r[h + t - 1], per_plan(in_year[i], plans[i]));
                widen(&mut r[2 * h + t - 1], cumulative[i]);
                widen(&mut r[3 * h + t - 1], in_year[i]);
            }
        }
    }

    fn national(&mut self, totals: &[i64], groups: &[i64], n: usize, h: usize) {
        let per_group = MEASURES * h * CHUNK;
        let ranges = std::iter::once((&mut self.national, totals)).chain(
            self.groups
                .iter_mut()
                .enumerate()
                .map(|(g, r)| (r, &groups[g * per_group..(g + 1) * per_group])),
        );
        for (ranges, totals) in ranges {
            for (m, r) in ranges.iter_mut().enumerate() {
                for &x in &totals[m * CHUNK..m * CHUNK + n] {
                    widen(r, x as f64 / QUANTUM);
                }
            }
        }
    }

    fn merge(&mut self, other: &Self) {
        let both = |a: &mut Vec<(f64, f64)>, b: &Vec<(f64, f64)>| {
            for (x, y) in a.iter_mut().zip(b) {
                *x = (x.0.min(y.0), x.1.max(y.1));
            }
        };
        both(&mut self.national, &other.national);
        for (a, b) in self.councils.iter_mut().zip(&other.councils) {
            both(a, b);
        }
        for (a, b) in self.groups.iter_mut().zip(&other.groups) {
            both(a, b);
        }
    }
}
