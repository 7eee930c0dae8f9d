//! Reading a summary by series and year: [`Summary::at`], [`Summary::range`] and the
//! [`Coverage`] of a range.

use dsg_core::{FinancialYear, SeriesKey};

use super::{Summary, YearStats};

/// A series of a run, named either way: by its typed key ([`SeriesKey`], or a [`Series`] of the
/// forecast with every mitigation) or by its name in `summary.json` (`"balance.cumulative"`).
/// What [`Summary::at`] and [`Summary::range`] take.
///
/// [`Series`]: dsg_core::Series
pub trait SeriesRef {
    /// The series' name in `summary`, when the run reported a series of that key or name.
    fn name_in(&self, summary: &Summary) -> Option<String>;
}

impl SeriesRef for SeriesKey {
    fn name_in(&self, summary: &Summary) -> Option<String> {
        self.name(summary)
    }
}

impl SeriesRef for dsg_core::Series {
    fn name_in(&self, summary: &Summary) -> Option<String> {
        SeriesKey::mitigated(*self).name(summary)
    }
}

impl SeriesRef for str {
    fn name_in(&self, _: &Summary) -> Option<String> {
        Some(self.to_string())
    }
}

impl SeriesRef for String {
    fn name_in(&self, _: &Summary) -> Option<String> {
        Some(self.clone())
    }
}

impl<T: SeriesRef + ?Sized> SeriesRef for &T {
    fn name_in(&self, summary: &Summary) -> Option<String> {
        (**self).name_in(summary)
    }
}

/// How much of the simulated futures a range holds, centred on the median: the range from
/// P25 to P75 holds half of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coverage {
    /// Half the futures: P25 to P75.
    Half,
    /// Four in five: P10 to P90.
    FourInFive,
    /// Nine in ten: P5 to P95.
    NineInTen,
}

impl Coverage {
    /// The share of futures the range holds: 0.5, 0.8 or 0.9.
    ///
    /// ```
    /// assert_eq!(dsg_montecarlo::Coverage::FourInFive.share(), 0.8);
    /// ```
    pub fn share(self) -> f64 {
        match self {
            Coverage::Half => 0.5,
            Coverage::FourInFive => 0.8,
            Coverage::NineInTen => 0.9,
        }
    }
}

impl YearStats {
    /// The range holding `coverage` of the futures, as (low, high): (P25, P75), (P10, P90) or
    /// (P5, P95).
    ///
    /// ```
    /// use dsg_montecarlo::{Coverage, YearStats};
    /// let y = YearStats {
    ///     year: "2026-27".parse().unwrap(),
    ///     p5: 1.0, p10: 2.0, p25: 3.0, p50: 4.0, p75: 5.0, p90: 6.0, p95: 7.0,
    ///     mean: 4.0, se: 0.1,
    /// };
    /// assert_eq!(y.range(Coverage::Half), (3.0, 5.0));
    /// assert_eq!(y.range(Coverage::FourInFive), (2.0, 6.0));
    /// assert_eq!(y.range(Coverage::NineInTen), (1.0, 7.0));
    /// ```
    pub fn range(&self, coverage: Coverage) -> (f64, f64) {
        match coverage {
            Coverage::Half => (self.p25, self.p75),
            Coverage::FourInFive => (self.p10, self.p90),
            Coverage::NineInTen => (self.p5, self.p95),
        }
    }
}

impl Summary {
    /// The statistics of `series` in `year`: `None` when the run reported no such series or
    /// the year is not one of the forecast's. `series` is a [`SeriesKey`], a
    /// [`Series`](dsg_core::Series) (of the forecast with every mitigation) or a name as in
    /// `summary.json`.
    ///
    /// ```
    /// use dsg_core::{Series, SeriesKey};
    /// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// # let scenario = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// # let summary = dsg_montecarlo::Simulation::new(&scenario).unwrap()
    /// #     .run(&dsg_montecarlo::Settings { paths: 400, ..Default::default() }).unwrap();
    /// let second = scenario.year(2);
    /// let by_series = summary.at(Series::Cumulative, second).unwrap();
    /// let by_name = summary.at("balance.cumulative", second).unwrap();
    /// let by_key = summary.at(SeriesKey::mitigated(Series::Cumulative), second).unwrap();
    /// assert_eq!(by_series, by_name);
    /// assert_eq!(by_key, by_name);
    /// assert_eq!(by_name.year, second);
    /// assert_eq!(by_name, &summary.series("balance.cumulative").unwrap()[1]);
    /// assert!(summary.at("balance.cumulative", "2090-91".parse().unwrap()).is_none());
    /// assert!(summary.at("no.such.series", second).is_none());
    /// ```
    pub fn at(&self, series: impl SeriesRef, year: FinancialYear) -> Option<&YearStats> {
        let name = series.name_in(self)?;
        self.series(&name)?.iter().find(|y| y.year == year)
    }

    /// The range (low, high) of `series` in `year` holding `coverage` of the futures, e.g.
    /// (P10, P90) for [`Coverage::FourInFive`]; `None` as for [`Summary::at`].
    ///
    /// ```
    /// use dsg_core::Series;
    /// use dsg_montecarlo::Coverage;
    /// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// # let scenario = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// # let summary = dsg_montecarlo::Simulation::new(&scenario).unwrap()
    /// #     .run(&dsg_montecarlo::Settings { paths: 400, ..Default::default() }).unwrap();
    /// let last = scenario.year(scenario.horizon());
    /// let (low, high) = summary.range(Series::Cumulative, last, Coverage::FourInFive).unwrap();
    /// let stats = summary.at(Series::Cumulative, last).unwrap();
    /// assert_eq!((low, high), (stats.p10, stats.p90));
    /// let (wide_low, wide_high) = summary.range(Series::Cumulative, last, Coverage::NineInTen).unwrap();
    /// assert!(wide_low <= low && high <= wide_high);
    /// ```
    pub fn range(
        &self,
        series: impl SeriesRef,
        year: FinancialYear,
        coverage: Coverage,
    ) -> Option<(f64, f64)> {
        self.at(series, year).map(|y| y.range(coverage))
    }
}
