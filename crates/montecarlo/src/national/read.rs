//! Reading a national run's aggregate: means, standard errors and quantiles of the national,
//! group (regional) and council figures.

use super::{Measure, NationalAggregate, QUANTUM};

/// The standard error of the mean of `paths` values whose sum and sum of squares (in units of
/// 1/[`QUANTUM`]) are `sum` and `squares`.
fn standard_error(sum: i128, squares: i128, paths: u64) -> f64 {
    let n = paths as f64;
    let mean = sum as f64 / n;
    let var = (squares as f64 / n - mean * mean).max(0.0) * n / (n - 1.0).max(1.0);
    (var / n).sqrt() / QUANTUM
}

impl NationalAggregate {
    pub(super) fn at(&self, measure: Measure, t: usize) -> usize {
        let m = Measure::ALL.iter().position(|&x| x == measure).unwrap_or(0);
        m * self.horizon + t - 1
    }

    /// The national mean of `measure` in year `t` (1-based).
    pub fn national_mean(&self, measure: Measure, t: usize) -> f64 {
        self.sums[self.at(measure, t)] as f64 / QUANTUM / self.paths as f64
    }

    /// The standard error of [`NationalAggregate::national_mean`].
    pub fn national_se(&self, measure: Measure, t: usize) -> f64 {
        let i = self.at(measure, t);
        standard_error(self.sums[i], self.squares[i], self.paths)
    }

    /// The national `p` quantile of `measure` in year `t`.
    ///
    /// ```
    /// use dsg_montecarlo::national::{Council, Measure, NationalSettings, run};
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let councils = [Council { id: "A".into(), scenario: &s, group: None }];
    /// let agg = run(&councils, &NationalSettings { paths: 2_000, ..NationalSettings::default() })?;
    /// // Minimal's 2,000 plans grow a fixed 12% a year: every path has 2,240 after a year.
    /// assert!((agg.national_quantile(Measure::Ehcps, 1, 0.5) - 2_240.0).abs() < 1.0);
    /// assert!(agg.national_se(Measure::Ehcps, 1) < 1e-6);
    /// assert_eq!(agg.exceeds_reserves(0, 1), 0.0);
    /// # Ok::<(), dsg_montecarlo::McError>(())
    /// ```
    pub fn national_quantile(&self, measure: Measure, t: usize, p: f64) -> f64 {
        self.hists[self.at(measure, t)].quantile(p)
    }

    /// Council `c`'s mean of `measure` in year `t`.
    pub fn council_mean(&self, c: usize, measure: Measure, t: usize) -> f64 {
        self.councils[c].sums[self.at(measure, t)] as f64 / QUANTUM / self.paths as f64
    }

    /// Council `c`'s chance that its deficit exceeds its usable reserves in year `t`.
    pub fn exceeds_reserves(&self, c: usize, t: usize) -> f64 {
        self.councils[c].exceeds[t - 1] as f64 / self.paths as f64
    }

    /// Group `g`'s mean of `measure` in year `t` (its councils' totals, path by path).
    ///
    /// ```
    /// use dsg_montecarlo::national::{Council, Measure, NationalSettings, run};
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let councils = [
    ///     Council { id: "A".into(), scenario: &s, group: Some(1) },
    ///     Council { id: "B".into(), scenario: &s, group: Some(1) },
    ///     Council { id: "C".into(), scenario: &s, group: Some(0) },
    /// ];
    /// let agg = run(&councils, &NationalSettings { paths: 2_000, ..NationalSettings::default() })?;
    /// // Minimal's 2,000 plans grow a fixed 12% a year: 2,240 after a year, twice over in group 1.
    /// assert!((agg.group_mean(1, Measure::Ehcps, 1) - 4_480.0).abs() < 1.0);
    /// assert!((agg.group_quantile(0, Measure::Ehcps, 1, 0.5) - 2_240.0).abs() < 1.0);
    /// assert!(agg.group_se(0, Measure::Ehcps, 1) < 1e-6);
    /// # Ok::<(), dsg_montecarlo::McError>(())
    /// ```
    pub fn group_mean(&self, g: usize, measure: Measure, t: usize) -> f64 {
        self.groups[g].sums[self.at(measure, t)] as f64 / QUANTUM / self.paths as f64
    }

    /// The standard error of [`NationalAggregate::group_mean`].
    pub fn group_se(&self, g: usize, measure: Measure, t: usize) -> f64 {
        let i = self.at(measure, t);
        standard_error(
            self.groups[g].sums[i],
            self.groups[g].squares[i],
            self.paths,
        )
    }

    /// Group `g`'s `p` quantile of `measure` in year `t`.
    pub fn group_quantile(&self, g: usize, measure: Measure, t: usize, p: f64) -> f64 {
        self.groups[g].hists[self.at(measure, t)].quantile(p)
    }
}
