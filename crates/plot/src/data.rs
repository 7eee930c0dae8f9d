//! Reading what the charts need out of a [`Summary`].

use dsg_core::{FinancialYear, Series, SeriesKey};
use dsg_montecarlo::{Summary, YearStats};

use crate::PlotError;

/// The statistics of `key`, or an error naming the series.
pub(crate) fn series(summary: &Summary, key: SeriesKey) -> Result<&[YearStats], PlotError> {
    match summary.stats(key) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(PlotError::MissingSeries(
            key.name(summary).unwrap_or_else(|| format!("{key:?}")),
        )),
    }
}

/// The central projection of `key`, when it has one value per year of `stats`.
pub(crate) fn central(summary: &Summary, key: SeriesKey, years: usize) -> Option<&[f64]> {
    summary.central_of(key).filter(|v| v.len() == years)
}

/// Usable reserves in £m, one per year: the central projection, else the median.
pub(crate) fn reserves(summary: &Summary) -> Option<Vec<f64>> {
    let key = SeriesKey::mitigated(Series::UsableReserves);
    let years = summary.scenario.years.len();
    central(summary, key, years)
        .map(|c| c.to_vec())
        .or_else(|| {
            summary
                .stats(key)
                .filter(|v| v.len() == years)
                .map(|v| v.iter().map(|s| s.p50).collect())
        })
        .map(|v| v.into_iter().map(m).collect())
}

/// Position of a financial year on an x axis.
pub(crate) fn x_of(y: FinancialYear) -> f64 {
    f64::from(y.start_year())
}

/// Pounds to millions.
pub(crate) fn m(pounds: f64) -> f64 {
    pounds / 1e6
}

/// `31 March 2028`, the end of financial year `y`.
pub(crate) fn year_end(y: FinancialYear) -> String {
    format!("31 March {}", y.end_year())
}

/// Smallest and largest finite values, if any.
pub(crate) fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// `early_support_in_mainstream` as `Early support in mainstream`; known acronyms upper case.
pub(crate) fn humanize(name: &str) -> String {
    const ACRONYMS: [&str; 9] = [
        "inmss", "send", "sen", "ehcp", "ap", "fe", "dsg", "sv", "dbv",
    ];
    let words: Vec<String> = name
        .split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| {
            if ACRONYMS.contains(&w.to_ascii_lowercase().as_str()) {
                w.to_ascii_uppercase()
            } else if i == 0 {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            } else {
                w.to_string()
            }
        })
        .collect();
    words.join(" ")
}

/// A probability as a whole percentage, as the report writes it (`under 1%`, `over 99%` at the
/// ends).
pub(crate) use dsg_core::money::format_percent as percent;

/// Compound growth a year from `first` to `last` over `years` years.
pub(crate) fn cagr(first: f64, last: f64, years: usize) -> Option<f64> {
    (first > 0.0 && last > 0.0 && years > 0).then(|| (last / first).powf(1.0 / years as f64) - 1.0)
}

/// Whether the 10th and 90th percentiles coincide in every year (no uncertainty).
pub(crate) fn is_flat(stats: &[YearStats]) -> bool {
    stats
        .iter()
        .all(|s| (s.p90 - s.p10).abs() <= s.p50.abs().max(1.0) * 1e-9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_labels() {
        assert_eq!(
            humanize("early_support_in_mainstream"),
            "Early support in mainstream"
        );
        assert_eq!(humanize("inmss_commissioning"), "INMSS commissioning");
        assert_eq!(humanize("growth_reduction"), "Growth reduction");
        assert_eq!(humanize(""), "");
    }

    #[test]
    fn probabilities_and_growth() {
        assert_eq!(percent(0.28), "28%");
        assert_eq!(percent(0.001), "under 1%");
        assert_eq!(percent(0.999), "over 99%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1.0), "100%");
        let g = cagr(100.0, 121.0, 2).unwrap_or(0.0);
        assert!((g - 0.1).abs() < 1e-12);
        assert_eq!(cagr(0.0, 1.0, 2), None);
        assert_eq!(extent([3.0, f64::NAN, -1.0]), Some((-1.0, 3.0)));
        assert_eq!(extent([f64::NAN]), None);
        let y = FinancialYear::new(2027).unwrap_or_else(|| unreachable!());
        assert_eq!(year_end(y), "31 March 2028");
    }
}
