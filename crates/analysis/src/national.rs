//! The share of councils' growth shocks that is national (docs/model.md section 15): rho in
//! `z_c = sqrt(rho) z_national + sqrt(1 - rho) z_own`, estimated from the panel's yearly log
//! growth of plans.
//!
//! Each council's yearly log growth is taken as its own mean plus a year effect shared by every
//! council plus its own noise, `g[c, t] = mu[c] + f[t] + e[c, t]`. Deviations from the council's
//! own mean are averaged across councils each year to give the year effects; the residuals give
//! the own variance (degrees of freedom for the council means and year effects taken off), and
//! the year effects' variance, less the noise their averages still carry, the national variance.
//! rho is the national variance over the sum: the correlation of two councils' growth deviations
//! in the same year.
//!
//! ```
//! use dsg_analysis::national::shock_share;
//! use dsg_data::growth::AreaLevels;
//! // Two councils whose growth moves together year by year: all of their shocks are national.
//! let path = [0.10, 0.05, 0.12, 0.02, 0.09];
//! let area = |name: &str, scale: f64| {
//!     let mut level = scale;
//!     let mut levels = vec![(2015, level)];
//!     for (i, g) in path.iter().enumerate() {
//!         level *= f64::exp(*g);
//!         levels.push((2016 + i as i32, level));
//!     }
//!     AreaLevels { area: name.into(), levels }
//! };
//! let share = shock_share(&[area("A", 100.0), area("B", 300.0)], 2011)?;
//! assert!((share.rho - 1.0).abs() < 1e-9);
//! # Ok::<(), dsg_analysis::AnalysisError>(())
//! ```

use std::collections::BTreeMap;

use dsg_data::growth::AreaLevels;

use crate::AnalysisError;

/// Fewest yearly growths a council needs to count.
///
/// ```
/// assert_eq!(dsg_analysis::national::MIN_GROWTHS, 4);
/// ```
pub const MIN_GROWTHS: usize = 4;

/// rho, with what it was estimated from.
#[derive(Debug, Clone, PartialEq)]
pub struct ShockShare {
    /// The share of a council's yearly growth-shock variance that is national, in `[0, 1]`.
    pub rho: f64,
    /// The sd of the year effects (the national factor), log growth.
    pub national_sd: f64,
    /// The sd of a council's own shocks, log growth.
    pub own_sd: f64,
    /// Councils used (at least [`MIN_GROWTHS`] growths from `first_year`).
    pub councils: usize,
    /// The years whose growth (into them) was used, first and last.
    pub years: (i32, i32),
    /// Year effects: each year's mean deviation.
    pub year_effects: Vec<(i32, f64)>,
}

/// Estimates rho from `areas`' levels, using growth into `first_year` and later.
///
/// # Errors
/// [`AnalysisError::Setting`] when fewer than two councils or three years have growths.
pub fn shock_share(areas: &[AreaLevels], first_year: i32) -> Result<ShockShare, AnalysisError> {
    let deviations = own_deviations(areas, first_year);
    let mut by_year: BTreeMap<i32, (f64, usize)> = BTreeMap::new();
    for d in &deviations {
        for &(y, x) in d {
            let e = by_year.entry(y).or_default();
            e.0 += x;
            e.1 += 1;
        }
    }
    let (c, t) = (deviations.len(), by_year.len());
    if c < 2 || t < 3 {
        return Err(AnalysisError::Setting(format!(
            "the share of growth shocks that is national needs at least two councils and three years of growth from {first_year}; the panel has {c} councils and {t} years"
        )));
    }
    let effects: BTreeMap<i32, f64> = by_year
        .iter()
        .map(|(&y, &(sum, n))| (y, sum / n as f64))
        .collect();
    let (mut squares, mut n) = (0.0, 0usize);
    for d in &deviations {
        for &(y, x) in d {
            let r = x - effects[&y];
            squares += r * r;
            n += 1;
        }
    }
    let own_var = squares / (n - c - t + 1).max(1) as f64;
    let per_year = n as f64 / t as f64;
    let raw = effects.values().map(|f| f * f).sum::<f64>() / (t - 1) as f64;
    let national_var = (raw - own_var / per_year).max(0.0);
    let total = national_var + own_var;
    Ok(ShockShare {
        rho: if total > 0.0 {
            national_var / total
        } else {
            0.0
        },
        national_sd: national_var.sqrt(),
        own_sd: own_var.sqrt(),
        councils: c,
        years: (
            *effects.keys().next().unwrap_or(&first_year),
            *effects.keys().next_back().unwrap_or(&first_year),
        ),
        year_effects: effects.into_iter().collect(),
    })
}

/// Each council's yearly log growths (into `first_year` and later, consecutive years only) less
/// their mean; councils with fewer than [`MIN_GROWTHS`] left out.
fn own_deviations(areas: &[AreaLevels], first_year: i32) -> Vec<Vec<(i32, f64)>> {
    let mut out = Vec::new();
    for area in areas {
        let levels: BTreeMap<i32, f64> = area
            .levels
            .iter()
            .filter(|(_, v)| v.is_finite() && *v > 0.0)
            .copied()
            .collect();
        let growths: Vec<(i32, f64)> = levels
            .iter()
            .filter(|(y, _)| **y >= first_year)
            .filter_map(|(&y, &v)| levels.get(&(y - 1)).map(|&p| (y, (v / p).ln())))
            .collect();
        if growths.len() < MIN_GROWTHS {
            continue;
        }
        let mean = growths.iter().map(|g| g.1).sum::<f64>() / growths.len() as f64;
        out.push(growths.into_iter().map(|(y, g)| (y, g - mean)).collect());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(name: &str, growths: &[f64]) -> AreaLevels {
        let mut level = 100.0;
        let mut levels = vec![(2015, level)];
        for (i, g) in growths.iter().enumerate() {
            level *= g.exp();
            levels.push((2016 + i as i32, level));
        }
        AreaLevels {
            area: name.into(),
            levels,
        }
    }

    #[test]
    fn independent_wobbles_have_no_national_share() {
        // Year effects exactly zero: each year one council is up as much as the other is down.
        let a = area("A", &[0.1, 0.0, 0.1, 0.0, 0.1, 0.0]);
        let b = area("B", &[0.0, 0.1, 0.0, 0.1, 0.0, 0.1]);
        let s = shock_share(&[a, b], 2011).unwrap();
        assert_eq!(s.rho, 0.0);
        assert!(s.year_effects.iter().all(|(_, f)| f.abs() < 1e-12));
        // Residuals +-0.05 each year: 12 squares of 0.0025, over 12 - 2 - 6 + 1 = 5 dof.
        assert!((s.own_sd - (12.0 * 0.0025 / 5.0f64).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn the_shipped_panel_gives_the_documented_share() {
        // docs/model.md section 15: 154 councils, growth into 2011-2025, rho 0.345 (computed
        // independently from data/public/panel.csv with a short Python script).
        let panel = dsg_data::public::Panel::shipped().unwrap();
        let s = shock_share(&panel.levels("caseload"), 2011).unwrap();
        assert_eq!(s.councils, 154);
        assert_eq!(s.years, (2011, 2025));
        assert!((s.rho - 0.3449).abs() < 5e-4, "{}", s.rho);
        assert!((s.own_sd - 0.0589).abs() < 5e-4 && (s.national_sd - 0.0427).abs() < 5e-4);
    }

    #[test]
    fn too_few_councils_are_refused() {
        let a = area("A", &[0.1, 0.0, 0.1, 0.0]);
        assert!(shock_share(&[a], 2011).is_err());
    }

    #[test]
    fn short_histories_are_left_out() {
        let a = area("A", &[0.1, 0.0, 0.1, 0.0, 0.1]);
        let b = area("B", &[0.0, 0.1, 0.0, 0.1, 0.0]);
        let c = area("C", &[0.3, 0.2]);
        assert_eq!(shock_share(&[a, b, c], 2011).unwrap().councils, 2);
    }
}
