//! A council's plans by the DSG management plan's five age bands (under 5, 5-10, 11-15, 16-19,
//! 20-25), and the net leaving rate of each band that holds the council's published age mix
//! (docs/model.md section 14, with the fit).

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

/// The share of each of [`AGE_BANDS`] that reaches the next each year: 1 / its width in years
/// (the top band's share leaves at 26).
///
/// ```
/// assert_eq!(dsg_data::public::AGE_BAND_AGEING[3], 0.25); // 16-19: four years
/// ```
pub const AGE_BAND_AGEING: [f64; 5] = [1.0 / 5.0, 1.0 / 6.0, 1.0 / 5.0, 1.0 / 4.0, 1.0 / 6.0];

/// Short name for the ageing shares.
const AGEING: [f64; 5] = AGE_BAND_AGEING;

/// A council's plans by age band, and the net leaving rates that hold their mix.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeFigures {
    /// The January of the counts.
    pub year: i32,
    /// Plans in each band at that January.
    pub counts: [f64; 5],
    /// Where the counts come from.
    pub source: String,
    /// The net leaving rate of each band (negative: more new plans in the band than leavers)
    /// that keeps every band at its count, so its share of the plans, each year:
    /// [`hold_leaving`]`(counts)`; `None` when a band has no plans.
    pub leaving: Option<[f64; 5]>,
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
/// `dsg init --la` writes `fit_leaving(c, c)`, `c` the opening counts, bounded (see
/// [`hold_leaving`]).
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

/// The most a band's net leaving rate may take beyond the band's own plans: a band keeps
/// `1 - 1/width - rate` of last year's plans, never less than `-HOLD_SWING` of them. Below -1 a
/// band see-saws with growing swings after any shock (the 20-25 band of a council whose plans
/// aged in from 16-19 are more than twice its count); at -1/2 a shock's swing halves each year.
pub const HOLD_SWING: f64 = 0.5;

/// The net leaving rates that hold a council's age mix at `counts` (plans by band, youngest
/// first): [`fit_leaving`]`(counts, counts)`, `r_b = N_(b-1) / (w_(b-1) N_b) - 1/w_b`, under which
/// each band keeps exactly its count (kept + aged in - leaving = its count), so the rates conserve
/// the total and the growth alone sets it. Each rate is bounded by `1 + HOLD_SWING - 1/w_b` (see
/// [`HOLD_SWING`]): a band whose plans aged in are more than `1 + HOLD_SWING` times its count
/// settles instead at those plans / (1 + `HOLD_SWING`), above its count. `None` when a band has no
/// plans.
///
/// ```
/// use dsg_data::public::{AGE_BAND_AGEING, hold_leaving, project_bands};
/// let counts = [100.0, 600.0, 600.0, 400.0, 150.0];
/// let r = hold_leaving(&counts).unwrap();
/// // 20-25: 100 of 16-19 age in, 25 age out at 26: 75 more leave, half the band.
/// assert!((r[4] - 0.5).abs() < 1e-12);
/// let years = project_bands(&counts, &AGE_BAND_AGEING, &r, 5);
/// assert!(years.iter().all(|y| (y[4] - 150.0).abs() < 1e-9));
/// // A 20-25 band of 40 against 100 aging in a year: bounded, it settles at 100 / 1.5.
/// let r = hold_leaving(&[100.0, 600.0, 600.0, 400.0, 40.0]).unwrap();
/// assert!((r[4] - (1.5 - 1.0 / 6.0)).abs() < 1e-12);
/// ```
pub fn hold_leaving(counts: &[f64; 5]) -> Option<[f64; 5]> {
    let mut r = fit_leaving(counts, counts)?;
    for (r, u) in r.iter_mut().zip(AGEING) {
        *r = r.min(1.0 + HOLD_SWING - u);
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
/// the rates that hold them ([`hold_leaving`]).
pub(crate) fn age_figures(panel: &Panel, area: &Area, as_at: i32) -> Option<AgeFigures> {
    let (year, (counts, source)) = (2010..=as_at)
        .rev()
        .find_map(|y| counts(panel, &area.code, y).map(|c| (y, c)))?;
    Some(AgeFigures {
        year,
        counts,
        source,
        leaving: hold_leaving(&counts),
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
        let c = [197.0, 2578.0, 3023.0, 1554.0, 655.0];
        assert_eq!(f.counts, c);
        // By hand: what ages in, per plan in the band, less the band's own ageing out.
        let want = [
            -0.2,
            197.0 / 5.0 / 2578.0 - 1.0 / 6.0,
            2578.0 / 6.0 / 3023.0 - 0.2,
            3023.0 / 5.0 / 1554.0 - 0.25,
            1554.0 / 4.0 / 655.0 - 1.0 / 6.0,
        ];
        let r = f.leaving.unwrap();
        for k in 0..5 {
            assert!((r[k] - want[k]).abs() < 1e-12, "{k}: {}", r[k]);
        }
        // The rates of the past, fitted from the last pair of Januaries, are not what is written.
        let last = fit_leaving(&[320.0, 2457.0, 2757.0, 1303.0, 481.0], &c).unwrap();
        assert!((0..5).all(|k| (r[k] - last[k]).abs() > 1e-3));
        assert!(counts(panel, "E10000003", 2023).is_none());
        // As at 2023 (no bands that January), the counts and rates of January 2022.
        let f = age_figures(panel, area, 2023).unwrap();
        assert_eq!(f.year, 2022);
        assert_eq!(f.leaving, hold_leaving(&f.counts));
    }

    /// The held rates keep each band exactly at its count, so the plans leaving (net of new
    /// plans) are the top band's sixth ageing out at 26, taken back: the rates conserve the total.
    #[test]
    fn held_rates_keep_every_band() {
        let c = [100.0, 300.0, 300.0, 200.0, 100.0];
        let r = fit_leaving(&c, &c).unwrap();
        let left: f64 = (0..5).map(|k| r[k] * c[k]).sum();
        assert!((left + 100.0 / 6.0).abs() < 1e-9);
        for year in project_bands(&c, &AGEING, &r, 20) {
            for k in 0..5 {
                assert!((year[k] - c[k]).abs() < 1e-9, "{k}: {}", year[k]);
            }
        }
    }

    /// Every council's rates as `dsg init --la` writes them today (opening January 2025, within
    /// -5 to 5, to four decimals), each band projected ten years with them: no band empties;
    /// every band whose rate is not bounded stays within 0.1% of its count, so the bands add up to
    /// the opening count; a bounded band (20-25, plans aged in more than 1.5 times its count)
    /// settles at those plans / 1.5.
    #[test]
    fn no_council_s_band_empties_or_drifts() {
        use crate::public::{Level, written_rate};
        let panel = Panel::shipped().unwrap();
        let (mut councils, mut bounded) = (0, Vec::new());
        for area in panel.areas().into_iter().filter(|a| a.level == Level::La) {
            let Some(f) = age_figures(panel, area, 2025) else {
                continue;
            };
            let (Some(r), 2025) = (f.leaving, f.year) else {
                continue;
            };
            councils += 1;
            let c = f.counts;
            let held = fit_leaving(&c, &c).unwrap();
            let years = project_bands(&c, &AGEING, &r.map(written_rate), 10);
            for k in 0..5 {
                let settles = if r[k] < held[k] {
                    bounded.push((area.name.clone(), k));
                    c[k - 1] * AGEING[k - 1] / (1.0 + HOLD_SWING)
                } else {
                    c[k]
                };
                let off = (years[9][k] / settles - 1.0).abs();
                assert!(off < 1e-3, "{} band {k}: {:?}", area.name, years[9]);
                assert!(years.iter().all(|y| y[k] > 0.0), "{}", area.name);
            }
        }
        eprintln!("bounded: {} of {councils}: {bounded:?}", bounded.len());
        assert!(councils > 140, "{councils}");
        // Measured: the 20-25 band of 24 of 152 councils.
        assert!(bounded.iter().all(|(_, k)| *k == 4), "{bounded:?}");
        assert!((18..=30).contains(&bounded.len()), "{bounded:?}");
    }
}
