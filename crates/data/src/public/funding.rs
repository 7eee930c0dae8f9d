//! A council's high-needs funding growth for `dsg init --la` (issue 26, item 3), fitted from the
//! ESFA allocations: the national allocations' growth with an uncertain level (its mean drawn
//! once a path: a run of generous or of lean settlements), plus the council's own lasting
//! deviation from the councils' mean growth (the formula's floors and caps), shrunk towards 0.
//! Years the policy set fixes (the 2026-27 rollover) are taken as announced by the scenario.

use std::collections::BTreeMap;

use super::costs::NATIONAL_HIGH_NEEDS;
use super::panel::Panel;
use crate::growth::sample_var;

/// The series of each council's high-needs allocation before deductions.
pub(crate) const ALLOCATION_SERIES: &str = "dsg.high_needs_before_deductions";

/// A council's funding growth: yearly growth normal with an uncertain level.
///
/// ```
/// let panel = dsg_data::public::Panel::shipped()?;
/// let f = dsg_data::public::FundingGrowth::fit(panel, "E10000003", 2025);
/// assert!(f.level_sd > 0.0 && f.level_sd < f.yearly_sd);
/// assert!((f.national - 0.114).abs() < 0.01);
/// # Ok::<(), dsg_data::DataError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FundingGrowth {
    /// The national allocations' mean yearly growth.
    pub national: f64,
    /// The council's deviation from the councils' mean growth, shrunk towards 0.
    pub deviation: f64,
    /// The shrinkage factor (0: the national growth; 1: its own).
    pub shrinkage: f64,
    /// How many growths of the council's own the deviation rests on.
    pub own_years: usize,
    /// The uncertainty of the level (the standard error of the national mean), drawn once a
    /// path.
    pub level_sd: f64,
    /// The yearly sd of growth about the level.
    pub yearly_sd: f64,
    /// The first and last financial years (their starting calendar years) of the national series.
    pub years: (i32, i32),
}

impl FundingGrowth {
    /// The growth's mean: the national level plus the council's deviation.
    pub fn mean(&self) -> f64 {
        self.national + self.deviation
    }

    /// Fits the council `code`'s funding growth from the national allocations and every
    /// council's allocations in `panel` (a council with none gets the national growth), using
    /// the financial years known by January `as_at` (those starting in `as_at` or before,
    /// announced the December before; at least the first three national years).
    pub fn fit(panel: &Panel, code: &str, as_at: i32) -> FundingGrowth {
        let known = NATIONAL_HIGH_NEEDS
            .iter()
            .filter(|n| n.0 <= as_at)
            .count()
            .max(3);
        let national_years = &NATIONAL_HIGH_NEEDS[..known.min(NATIONAL_HIGH_NEEDS.len())];
        let g: Vec<f64> = national_years
            .windows(2)
            .map(|w| w[1].1 / w[0].1 - 1.0)
            .collect();
        let n = g.len() as f64;
        let national = g.iter().sum::<f64>() / n;
        let var = g.iter().map(|x| (x - national).powi(2)).sum::<f64>() / (n - 1.0);
        let (deviation, shrinkage, own_years) = deviation(panel, code, as_at);
        FundingGrowth {
            national,
            deviation,
            shrinkage,
            own_years,
            level_sd: (var / n).sqrt(),
            yearly_sd: var.sqrt(),
            years: (
                national_years[0].0,
                national_years[national_years.len() - 1].0,
            ),
        }
    }
}

/// The council's mean deviation from the councils' yearly mean growth, shrunk by empirical Bayes
/// (between-council variance against within-council noise): (deviation, shrinkage, its years).
fn deviation(panel: &Panel, code: &str, as_at: i32) -> (f64, f64, usize) {
    let mut by_area: BTreeMap<String, BTreeMap<i32, f64>> = BTreeMap::new();
    for a in panel.levels(ALLOCATION_SERIES) {
        let known = a.levels.into_iter().filter(|(y, _)| *y <= as_at).collect();
        by_area.insert(a.area, known);
    }
    let growths: BTreeMap<&str, BTreeMap<i32, f64>> = by_area
        .iter()
        .map(|(a, s)| {
            let g = s
                .iter()
                .filter_map(|(y, v)| s.get(&(y - 1)).map(|b| (*y, (v / b).ln())))
                .collect();
            (a.as_str(), g)
        })
        .collect();
    let mut per_year: BTreeMap<i32, Vec<f64>> = BTreeMap::new();
    for g in growths.values() {
        for (y, v) in g {
            per_year.entry(*y).or_default().push(*v);
        }
    }
    let mean: BTreeMap<i32, f64> = per_year
        .iter()
        .map(|(y, v)| (*y, v.iter().sum::<f64>() / v.len() as f64))
        .collect();
    let devs: BTreeMap<&str, Vec<f64>> = growths
        .iter()
        .map(|(a, g)| (*a, g.iter().map(|(y, v)| v - mean[y]).collect()))
        .collect();
    let within: Vec<f64> = devs.values().filter_map(|d| sample_var(d)).collect();
    let Some(own) = devs.get(code).filter(|d| !d.is_empty()) else {
        return (0.0, 0.0, 0);
    };
    if within.len() < 2 {
        return (0.0, 0.0, own.len());
    }
    let s = within.iter().sum::<f64>() / within.len() as f64;
    let means: Vec<f64> = devs
        .values()
        .filter(|d| !d.is_empty())
        .map(|d| d.iter().sum::<f64>() / d.len() as f64)
        .collect();
    let noise = devs
        .values()
        .filter(|d| !d.is_empty())
        .map(|d| s / d.len() as f64)
        .sum::<f64>()
        / means.len() as f64;
    let b = (sample_var(&means).unwrap_or(0.0) - noise).max(1e-8);
    let k = b / (b + s / own.len() as f64);
    let own_mean = own.iter().sum::<f64>() / own.len() as f64;
    (k * own_mean, k, own.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_level_and_its_uncertainty_are_the_allocations_own() {
        let panel = Panel::shipped().unwrap();
        let f = FundingGrowth::fit(panel, "E10000003", 2025);
        // Hand computed from NATIONAL_HIGH_NEEDS's growths (docs/domain.md).
        let g: Vec<f64> = NATIONAL_HIGH_NEEDS
            .windows(2)
            .map(|w| w[1].1 / w[0].1 - 1.0)
            .collect();
        let m = g.iter().sum::<f64>() / g.len() as f64;
        assert!((f.national - m).abs() < 1e-12);
        assert!((f.level_sd * (g.len() as f64).sqrt() - f.yearly_sd).abs() < 1e-12);
        // Cambridgeshire has three growths of its own (2021-22 to 2023-24), shrunk part way.
        assert_eq!(f.own_years, 3);
        assert!(f.shrinkage > 0.0 && f.shrinkage < 1.0, "{}", f.shrinkage);
        assert!(f.deviation.abs() < 0.03, "{}", f.deviation);
    }

    #[test]
    fn a_fit_as_at_an_earlier_january_uses_only_the_years_known_then() {
        let panel = Panel::shipped().unwrap();
        let f = FundingGrowth::fit(panel, "E10000003", 2022);
        // National years 2019-20 to 2022-23: three growths.
        assert_eq!(f.years, (2019, 2022));
        let g: Vec<f64> = NATIONAL_HIGH_NEEDS[..4]
            .windows(2)
            .map(|w| w[1].1 / w[0].1 - 1.0)
            .collect();
        assert!((f.national - g.iter().sum::<f64>() / 3.0).abs() < 1e-12);
        // The council's own allocations to 2022-23: two growths.
        assert_eq!(f.own_years, 2);
    }

    #[test]
    fn a_council_without_allocations_takes_the_national_growth() {
        let panel = Panel::shipped().unwrap();
        let f = FundingGrowth::fit(panel, "E99999999", 2025);
        assert_eq!((f.deviation, f.shrinkage, f.own_years), (0.0, 0.0, 0));
        assert_eq!(f.mean(), f.national);
    }
}
