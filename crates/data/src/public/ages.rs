//! A council's plans by the DSG management plan's five age bands (under 5, 5-10, 11-15, 16-19,
//! 20-25), and the net leaving rate of each band fitted from two successive Januaries (docs/model.md
//! section 14, with the fit).

use super::areas::Area;
use super::panel::Panel;

/// The panel's series of plans by age band, youngest first.
pub const AGE_BANDS: [&str; 5] = [
    "caseload.age.under_5",
    "caseload.age.5_10",
    "caseload.age.11_15",
    "caseload.age.16_19",
    "caseload.age.20_25",
];

/// The bands as a scenario writes them.
pub const AGE_BAND_NAMES: [&str; 5] = ["0-4", "5-10", "11-15", "16-19", "20-25"];

/// The years whose pairs of successive Januaries the leaving rates average over: recent ones
/// (the years after the 2014 reforms, when plans reached 20-25 for the first time, were not
/// steady).
const FIT_YEARS: i32 = 6;

/// The share of each of [`AGE_BANDS`] that reaches the next each year: 1 / its width in years
/// (the top band's share leaves at 26).
///
/// ```
/// assert_eq!(dsg_data::public::AGE_BAND_AGEING[3], 0.25); // 16-19: four years
/// ```
pub const AGE_BAND_AGEING: [f64; 5] = [1.0 / 5.0, 1.0 / 6.0, 1.0 / 5.0, 1.0 / 4.0, 1.0 / 6.0];

/// Short name for the ageing shares.
const AGEING: [f64; 5] = AGE_BAND_AGEING;

/// A council's plans by age band, and the net leaving rates fitted from them.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeFigures {
    /// The January of the counts.
    pub year: i32,
    /// Plans in each band at that January.
    pub counts: [f64; 5],
    /// Where the counts come from.
    pub source: String,
    /// The net leaving rate of each band (negative: more new plans in the band than leavers):
    /// the mean of the rates fitted from each pair of successive Januaries in the six years to
    /// `year`; `None` without two successive years of counts.
    pub leaving: Option<[f64; 5]>,
    /// The first January of the first pair fitted from.
    pub fitted_from: i32,
    /// How many pairs of successive Januaries the rates average.
    pub pairs: usize,
}

/// The bands at January `year`, when every one is published.
fn counts(panel: &Panel, code: &str, year: i32) -> Option<([f64; 5], String)> {
    let mut out = [0.0; 5];
    let mut source = String::new();
    for (k, series) in AGE_BANDS.iter().enumerate() {
        let row = panel.find(code, series, year)?;
        out[k] = row.value.number()?;
        source = format!("{}, {}, January {year}", row.source_file, row.source_table);
    }
    (out.iter().sum::<f64>() > 0.0).then_some((out, source))
}

/// The net leaving rate of each band from the counts of two successive Januaries, `a` then `b`:
/// each band keeps `1 - 1/width` of its plans and takes `1/width` of the band below (the top
/// band's share leaves at 26); the rate is what must leave for the kept and aged-in plans to
/// become next year's band scaled to this year's total, so that the rates move plans between ages
/// and leave the total to the growth:
/// `r_b = (a_b (1 - 1/w_b) + a_(b-1) / w_(b-1) - b_b x sum(a) / sum(b)) / a_b`.
///
/// ```
/// use dsg_data::public::fit_leaving;
/// // A steady state: the same counts each year leave each band's outflow to its leavers.
/// let a = [100.0, 120.0, 100.0, 80.0, 120.0];
/// let r = fit_leaving(&a, &a).unwrap();
/// assert!((r[0] - (-0.2 + 0.0)).abs() < 1e-12); // under 5: 20 age out, none in: 20 new plans
/// assert!(r[4].abs() < 1e-12); // 20-25: 20 in from 16-19, 20 out at 26: no other leavers
/// ```
pub fn fit_leaving(a: &[f64; 5], b: &[f64; 5]) -> Option<[f64; 5]> {
    let (sa, sb): (f64, f64) = (a.iter().sum(), b.iter().sum());
    if sa <= 0.0 || sb <= 0.0 || a.iter().any(|&x| x <= 0.0) {
        return None;
    }
    let mut r = [0.0; 5];
    for k in 0..5 {
        let came = if k > 0 { a[k - 1] * AGEING[k - 1] } else { 0.0 };
        let kept = a[k] - a[k] * AGEING[k] + came;
        r[k] = (kept - b[k] * sa / sb) / a[k];
    }
    Some(r)
}

/// Bands' counts projected `years` years ahead with the model's ageing arithmetic and fixed net
/// leaving rates, before growth (docs/model.md section 14): each year band b becomes
/// `max(0, N_b (1 - ageing_b - leaving_b) + N_(b-1) ageing_(b-1))`. Returns the counts after
/// 1, 2, .., `years` years. Net growth multiplies every band by the same factor, so a band's
/// share of the total at each year is its share of these counts.
///
/// `counts`, `ageing` and `leaving` are given youngest band first and must be the same length
/// (the shortest is used otherwise).
///
/// ```
/// use dsg_data::public::project_bands;
/// // Two bands of widths 2 and 3 (1/2 of the first ages into the second each year, 1/3 of the
/// // second leaves at the top); the first gains 10% net new plans, the second loses none more.
/// let p = project_bands(&[100.0, 60.0], &[0.5, 1.0 / 3.0], &[-0.1, 0.0], 1);
/// // 100 (1 - 0.5 + 0.1) = 60; 60 (1 - 1/3) + 100 x 0.5 = 90.
/// assert!((p[0][0] - 60.0).abs() < 1e-12 && (p[0][1] - 90.0).abs() < 1e-12);
/// ```
pub fn project_bands(counts: &[f64], ageing: &[f64], leaving: &[f64], years: u32) -> Vec<Vec<f64>> {
    let n = counts.len().min(ageing.len()).min(leaving.len());
    let mut now: Vec<f64> = counts[..n].to_vec();
    let mut out = Vec::with_capacity(years as usize);
    for _ in 0..years {
        let next: Vec<f64> = (0..n)
            .map(|b| {
                let came = if b > 0 {
                    now[b - 1] * ageing[b - 1]
                } else {
                    0.0
                };
                (now[b] - now[b] * ageing[b] + came - now[b] * leaving[b]).max(0.0)
            })
            .collect();
        out.push(next.clone());
        now = next;
    }
    out
}

/// `area`'s plans by age band at `as_at` (or the latest January before it with every band), and
/// the rates fitted from the successive Januaries of the six years to it, averaged.
pub(crate) fn age_figures(panel: &Panel, area: &Area, as_at: i32) -> Option<AgeFigures> {
    let (year, (counts_now, source)) = (2010..=as_at)
        .rev()
        .find_map(|y| counts(panel, &area.code, y).map(|c| (y, c)))?;
    // Every pair of successive Januaries in the six years to the counts, averaged: one pair
    // alone is noisy (a band's count may jump at the 2023 change of collection).
    let pairs: Vec<(i32, [f64; 5])> = (year - FIT_YEARS + 1..=year)
        .filter_map(|y| {
            let (a, _) = counts(panel, &area.code, y - 1)?;
            let (b, _) = counts(panel, &area.code, y)?;
            fit_leaving(&a, &b).map(|r| (y - 1, r))
        })
        .collect();
    let leaving = (!pairs.is_empty()).then(|| {
        let mut mean = [0.0; 5];
        for (_, r) in &pairs {
            for k in 0..5 {
                mean[k] += r[k] / pairs.len() as f64;
            }
        }
        mean
    });
    Some(AgeFigures {
        year,
        counts: counts_now,
        source,
        leaving,
        fitted_from: pairs.first().map_or(year, |(y, _)| *y),
        pairs: pairs.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked by hand: from 100, 300, 300, 200, 100 (1,000) to 130, 320, 290, 190, 110 (1,040),
    /// scaled back to 1,000 the second year is 125, 307.69, 278.85, 182.69, 105.77. Kept and aged
    /// in: 80; 250 + 20 = 270; 240 + 50 = 290; 150 + 60 = 210; 83.33 + 50 = 133.33.
    #[test]
    fn rates_by_hand() {
        let a = [100.0, 300.0, 300.0, 200.0, 100.0];
        let b = [130.0, 320.0, 290.0, 190.0, 110.0];
        let r = fit_leaving(&a, &b).unwrap();
        let s = 1000.0 / 1040.0;
        let want = [
            (80.0 - 130.0 * s) / 100.0,
            (270.0 - 320.0 * s) / 300.0,
            (290.0 - 290.0 * s) / 300.0,
            (210.0 - 190.0 * s) / 200.0,
            (100.0 - 100.0 / 6.0 + 50.0 - 110.0 * s) / 100.0,
        ];
        for k in 0..5 {
            assert!(
                (r[k] - want[k]).abs() < 1e-12,
                "{k}: {} against {}",
                r[k],
                want[k]
            );
        }
        // The rates move plans between ages only: what leaves adds up to the top band's sixth
        // leaving at 26, taken back.
        let left: f64 = (0..5).map(|k| r[k] * a[k]).sum();
        assert!((left + 100.0 / 6.0).abs() < 1e-9);
        assert!(fit_leaving(&[0.0, 1.0, 1.0, 1.0, 1.0], &b).is_none());
    }

    /// Every council's scenario with its ages, as `dsg init --la` writes it, validates.
    #[test]
    fn every_council_s_ages_validate() {
        use crate::public::{CouncilFigures, Level, ScenarioSettings, ages_toml, scenario_toml};
        let panel = Panel::shipped().unwrap();
        let mut with_ages = 0;
        for area in panel.areas().into_iter().filter(|a| a.level == Level::La) {
            let Ok(figures) = CouncilFigures::from_panel(panel, area, None) else {
                continue;
            };
            let text = scenario_toml(&figures, &ScenarioSettings::default()) + &ages_toml(&figures);
            let s = dsg_core::Scenario::from_toml_str(&text, "council.toml")
                .unwrap_or_else(|e| panic!("{}: {e}", area.name));
            with_ages += usize::from(s.ages().is_some());
        }
        assert!(with_ages > 140, "only {with_ages} councils have ages");
    }

    #[test]
    fn the_county_has_bands_and_rates() {
        let panel = Panel::shipped().unwrap();
        let area = panel.find_area("E10000003").unwrap();
        let f = age_figures(panel, area, 2025).unwrap();
        assert_eq!(f.year, 2025);
        // January 2025: 197, 2,578, 3,023, 1,554, 655 (education-health-and-care-plans_2025.zip).
        assert_eq!(f.counts, [197.0, 2578.0, 3023.0, 1554.0, 655.0]);
        // Pairs 2019-2020 to 2021-2022 (the aggregate collection) and 2024-2025 (no bands are
        // published for January 2023).
        assert_eq!((f.fitted_from, f.pairs), (2019, 4));
        let last = fit_leaving(&[320.0, 2457.0, 2757.0, 1303.0, 481.0], &f.counts).unwrap();
        let r = f.leaving.unwrap();
        let c = |y| counts(panel, "E10000003", y).unwrap().0;
        let years = [2020, 2021, 2022, 2025];
        for k in 0..5 {
            let mean = years
                .iter()
                .map(|&y| fit_leaving(&c(y - 1), &c(y)).unwrap()[k] / 4.0)
                .sum::<f64>();
            assert!((r[k] - mean).abs() < 1e-12);
            assert!(r[k] != last[k]);
        }
        assert!(counts(panel, "E10000003", 2023).is_none());
    }
}
