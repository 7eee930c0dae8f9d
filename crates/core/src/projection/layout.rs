//! Storage of a projection's results: every series, year and lane in one table of rows.

use crate::scenario::Scenario;
use crate::series::Series;

/// The yearly results of a projection of one or more paths ("lanes").
///
/// Holds, for each series and year, the values of every lane side by side: the values of one
/// series in one year for every lane sit next to each other, which is what the Monte Carlo
/// aggregator reads. A deterministic projection has one lane.
///
/// A projection made with [`Projection::recording`] keeps only the series it was asked for (the
/// others are still computed, into one scratch row per series that each year overwrites): the
/// Monte Carlo engine uses it for the runs whose other series it does not report.
#[derive(Debug, Clone)]
pub struct Projection {
    pub(super) horizon: usize,
    pub(super) provisions: usize,
    pub(super) lanes: usize,
    pub(super) values: Vec<f64>,
    /// Per row of `values`: known to hold zero in every lane (so that a reused projection does not
    /// zero it again). Set when [`project`](super::project) zeroes a row, cleared whenever it may write one.
    pub(super) zero: Vec<bool>,
    /// Row of `values` (in units of `lanes`) holding each series in each year, indexed
    /// `series * horizon + t - 1`. A series that is not recorded has one scratch row for all years.
    pub(super) rows: Vec<u32>,
    /// Whether each series (by index) is kept for every year.
    pub(super) recorded: Vec<bool>,
    /// Whether each safety-valve instalment was received (on time or, when deferred, later),
    /// `[instalment][lane]`.
    pub instalments_paid: Vec<bool>,
    /// Cumulative balance at the end of the base year (lane 0).
    pub opening_balance: f64,
    /// Plans at the end of the base year, all provisions (lane 0).
    pub opening_caseload: f64,
}

impl Projection {
    /// An empty one-lane projection sized for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        Projection::with_lanes(scenario, 1)
    }

    /// An empty projection of `lanes` paths side by side.
    #[doc(hidden)]
    pub fn with_lanes(scenario: &Scenario, lanes: usize) -> Self {
        Projection::build(scenario, lanes, |_| true)
    }

    /// An empty projection of `lanes` paths that keeps only `series` (and the cumulative balance,
    /// always kept). Reading any other series panics. Smaller and quicker to fill than
    /// [`Projection::with_lanes`] when few series are wanted.
    ///
    /// ```
    /// use dsg_core::{project, MitigationSet, Projection, Series, Workspace};
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let inputs = s.params().central_inputs();
    /// let mut some = Projection::recording(&s, 1, &[Series::SpendTotal]);
    /// let mut all = Projection::new(&s);
    /// let mut ws = Workspace::new(&s);
    /// project(&s, &inputs, MitigationSet::none(), &mut ws, &mut some);
    /// project(&s, &inputs, MitigationSet::none(), &mut ws, &mut all);
    /// assert_eq!(some.series(Series::SpendTotal), all.series(Series::SpendTotal));
    /// assert_eq!(some.series(Series::Cumulative), all.series(Series::Cumulative));
    /// assert!(some.records(Series::SpendTotal) && !some.records(Series::InYear));
    /// ```
    #[doc(hidden)]
    pub fn recording(scenario: &Scenario, lanes: usize, series: &[Series]) -> Self {
        Projection::build(scenario, lanes, |s| {
            s == Series::Cumulative || series.contains(&s)
        })
    }

    fn build(scenario: &Scenario, lanes: usize, keep: impl Fn(Series) -> bool) -> Self {
        let provisions = scenario.provisions.len();
        let horizon = scenario.horizon;
        let instalments = scenario
            .safety_valve
            .as_ref()
            .map_or(0, |sv| sv.instalments.len());
        let all = Series::in_index_order(provisions);
        let present: Vec<bool> = all.iter().map(|&s| scenario.has_series(s)).collect();
        let recorded: Vec<bool> = all
            .iter()
            .zip(&present)
            .map(|(&s, &here)| here && keep(s))
            .collect();
        let mut rows = Vec::with_capacity(all.len() * horizon);
        let mut next = 0u32;
        for (&kept, &here) in recorded.iter().zip(&present) {
            if !here {
                // A series the scenario does not have (the children's without `[assessments]`):
                // never written, it shares one row of zeros with the others, placed last.
                rows.extend(std::iter::repeat_n(u32::MAX, horizon));
                continue;
            }
            for t in 0..horizon {
                rows.push(next);
                if kept || t + 1 == horizon {
                    next += 1;
                }
            }
            if !kept {
                // Every year of a series not recorded shares one row.
                let shared = next - 1;
                let start = rows.len() - horizon;
                rows[start..].fill(shared);
            }
        }
        if present.iter().any(|&here| !here) {
            for row in rows.iter_mut().filter(|r| **r == u32::MAX) {
                *row = next;
            }
            next += 1;
        }
        Projection {
            horizon,
            provisions,
            lanes,
            values: vec![0.0; next as usize * lanes],
            zero: vec![true; next as usize],
            rows,
            recorded,
            instalments_paid: vec![false; instalments * lanes],
            opening_balance: 0.0,
            opening_caseload: 0.0,
        }
    }

    /// Whether `series` is kept: every series the scenario has (see
    /// [`Scenario::has_series`](crate::Scenario::has_series)), unless made by
    /// [`Projection::recording`].
    pub fn records(&self, series: Series) -> bool {
        self.recorded[series.index(self.provisions)]
    }

    /// The value of `series` in projection year `t` (1-based), lane 0.
    ///
    /// # Panics
    ///
    /// If `series` is not kept (see [`Projection::records`]) or `t` is not in `1..=horizon`: both
    /// are mistakes in the calling code, as an index out of bounds is.
    #[inline]
    pub fn get(&self, series: Series, t: usize) -> f64 {
        self.values[self.row_start(series, t)]
    }

    /// The values of `series` for years 1..=H, lane 0.
    ///
    /// # Panics
    ///
    /// If `series` is not kept (see [`Projection::records`]).
    pub fn series(&self, series: Series) -> Vec<f64> {
        (1..=self.horizon).map(|t| self.get(series, t)).collect()
    }

    /// The values of `series` in year `t` for every lane.
    ///
    /// # Panics
    ///
    /// If `series` is not kept (see [`Projection::records`]) or `t` is not in `1..=horizon`: both
    /// are mistakes in the calling code, as an index out of bounds is.
    #[doc(hidden)]
    #[inline]
    pub fn lanes_of(&self, series: Series, t: usize) -> &[f64] {
        let start = self.row_start(series, t);
        &self.values[start..start + self.lanes]
    }

    /// Number of paths held side by side.
    #[doc(hidden)]
    pub fn lanes(&self) -> usize {
        self.lanes
    }

    /// Years projected.
    pub fn horizon(&self) -> usize {
        self.horizon
    }

    #[inline]
    fn row_start(&self, series: Series, t: usize) -> usize {
        let s = series.index(self.provisions);
        assert!(
            self.recorded[s],
            "series {series:?} is not recorded by this projection"
        );
        self.rows[s * self.horizon + t - 1] as usize * self.lanes
    }

    /// Where the row of `series` in year `t` lies in `values`, recorded or scratch.
    #[inline]
    pub(super) fn range(&self, series: Series, t: usize) -> std::ops::Range<usize> {
        let start =
            self.rows[series.index(self.provisions) * self.horizon + t - 1] as usize * self.lanes;
        start..start + self.lanes
    }

    /// The rows of several different series in year `t`, to write.
    /// The rows of several different series in year `t`, to write.
    #[inline]
    pub(super) fn rows_mut<const K: usize>(
        &mut self,
        t: usize,
        series: [Series; K],
    ) -> [&mut [f64]; K] {
        self.rows_rw(t, series, K)
    }

    /// The rows of several different series in year `t`: the first `writes` to write, the others
    /// only read.
    #[inline(always)]
    pub(super) fn rows_rw<const K: usize>(
        &mut self,
        t: usize,
        series: [Series; K],
        writes: usize,
    ) -> [&mut [f64]; K] {
        let ranges = series.map(|s| self.range(s, t));
        for r in ranges.iter().take(writes) {
            self.zero[r.start / self.lanes.max(1)] = false;
        }
        disjoint(&mut self.values, ranges)
    }

    /// Sets the row of `series` in year `t` to zero (if not known to be zero already).
    #[inline]
    pub(super) fn zero_row(&mut self, series: Series, t: usize) {
        let r = self.range(series, t);
        let row = r.start / self.lanes.max(1);
        if !self.zero[row] {
            self.values[r].fill(0.0);
            self.zero[row] = true;
        }
    }

    #[inline]
    pub(super) fn row_mut(&mut self, series: Series, t: usize) -> &mut [f64] {
        let [row] = self.rows_mut(t, [series]);
        row
    }
}

/// Several rows of `values` at once, to write. Rows of different series (or of different years of
/// a recorded series) never overlap.
#[inline]
pub(super) fn disjoint<const K: usize>(
    values: &mut [f64],
    ranges: [std::ops::Range<usize>; K],
) -> [&mut [f64]; K] {
    match values.get_disjoint_mut(ranges) {
        Ok(rows) => rows,
        Err(_) => unreachable!("rows of different series overlap"),
    }
}

/// Projections are equal when they hold the same series with the same values (scratch rows of
/// series not recorded do not count).
impl PartialEq for Projection {
    fn eq(&self, other: &Self) -> bool {
        let same_shape = self.horizon == other.horizon
            && self.provisions == other.provisions
            && self.lanes == other.lanes
            && self.recorded == other.recorded
            && self.instalments_paid == other.instalments_paid
            && self.opening_balance == other.opening_balance
            && self.opening_caseload == other.opening_caseload;
        same_shape
            && Series::in_index_order(self.provisions)
                .into_iter()
                .filter(|&s| self.records(s))
                .all(|s| (1..=self.horizon).all(|t| self.lanes_of(s, t) == other.lanes_of(s, t)))
    }
}
