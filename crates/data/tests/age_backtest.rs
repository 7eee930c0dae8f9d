//! The forecast by age band (issue 28): the band-share projection worked by hand, the bands
//! adding up to the total, and the measured scores on every council's published bands
//! (docs/forecast-evaluation.md, "By age band").
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_data::growth::{PooledFit, PooledSettings, Scores};
use dsg_data::public::{
    AgeEvaluation, AgeFigures, CouncilFigures, Panel, age_shares, band_forecast, evaluate_by_age,
    fit_leaving, project_bands,
};

fn show(label: &str, s: &Scores) {
    eprintln!(
        "{label}: n={} cov50={:.3} cov80={:.3} cov90={:.3} <P5={:.3} <P10={:.3} >P90={:.3} >P95={:.3} PIT={:.3} crps={:.4} skill(last)={:.3} skill(mean)={:.3}",
        s.forecasts,
        s.coverage_50,
        s.coverage_80,
        s.coverage_90,
        s.below_p5,
        s.below_p10,
        s.above_p90,
        s.above_p95,
        s.mean_pit,
        s.crps,
        s.skill_last_growth(),
        s.skill_mean_growth()
    );
}

/// Two bands, one council, known rates, worked by hand: bands of widths 2 and 4 (half of the
/// young band ages up each year, a quarter of the old one leaves at the top), 200 and 100 plans;
/// the young band gains 10% net new plans (rate -0.1), the old one loses 5% beyond ageing out.
/// Year 1: 200 (1 - 0.5 + 0.1) = 120; 100 (1 - 0.25 - 0.05) + 200 x 0.5 = 170 (290 in all).
/// Year 2: 120 x 0.6 = 72; 170 x 0.7 + 120 x 0.5 = 179 (251 in all).
#[test]
fn two_bands_by_hand() {
    let p = project_bands(&[200.0, 100.0], &[0.5, 0.25], &[-0.1, 0.05], 2);
    assert_eq!(p.len(), 2);
    let want = [[120.0, 170.0], [72.0, 179.0]];
    for (year, w) in p.iter().zip(want) {
        for (v, w) in year.iter().zip(w) {
            assert!((v - w).abs() < 1e-12, "{v} against {w}");
        }
    }
    // Their shares: 120 / 290 and 170 / 290, then 72 / 251 and 179 / 251; a band's forecast is
    // its share times the total's.
    let total = dsg_data::growth::LogForecast {
        mean_log: 1000f64.ln(),
        sd_log: 0.08,
        df: 5.0,
    };
    let young = band_forecast(&total, 72.0 / 251.0).unwrap();
    assert!((young.median() - 1000.0 * 72.0 / 251.0).abs() < 1e-9);
    assert!((young.quantile(0.05) - total.quantile(0.05) * 72.0 / 251.0).abs() < 1e-9);
    assert!((young.cdf(300.0) - total.cdf(300.0 * 251.0 / 72.0)).abs() < 1e-12);
    // A band that empties is never negative.
    assert_eq!(project_bands(&[10.0], &[0.5], &[0.8], 1)[0], vec![0.0]);
}

/// The five bands by hand for one year: rates fitted from two Januaries, then projected from
/// the second: the fitted pair's own shares come back when the counts do not change.
#[test]
fn five_bands_keep_a_steady_mix() {
    let a = [100.0, 300.0, 300.0, 200.0, 100.0];
    let rates = fit_leaving(&a, &a).unwrap();
    let (shares, drift) = age_shares(&a, Some(rates), 3);
    for s in &shares {
        for (k, v) in s.iter().enumerate() {
            assert!((v - a[k] / 1000.0).abs() < 2e-4, "{k}: {v}");
        }
    }
    assert!(drift.iter().all(|d| d.abs() < 1e-3), "{drift:?}");
    // Ageing alone (no rates): the under-5s drain, a fifth a year.
    let (shares, _) = age_shares(&a, None, 1);
    // 80; 250 + 20; 240 + 50; 150 + 60; 83.33 + 50.
    let sum = 80.0 + 270.0 + 290.0 + 210.0 + 100.0 * 5.0 / 6.0 + 50.0;
    assert!((shares[0][0] - 80.0 / sum).abs() < 1e-12);
}

/// A council's band forecasts add up to its total's: every quantile (and so the median) of the
/// five bands sums to the total's, each horizon, because the shares sum to 1.
#[test]
fn bands_add_up_to_the_total() {
    let panel = Panel::shipped().unwrap();
    let area = panel.find_area("Cambridgeshire").unwrap();
    let figures = CouncilFigures::from_panel(panel, area, Some(2022)).unwrap();
    let AgeFigures {
        year,
        counts,
        leaving,
        ..
    } = figures.ages.unwrap();
    assert_eq!(year, 2022);
    let (shares, _) = age_shares(&counts, leaving, 3);
    let fit = PooledFit::fit(&panel.levels("caseload"), 2022, PooledSettings::default()).unwrap();
    let council = fit.council(&area.code).unwrap();
    for (h, s) in (1..).zip(&shares) {
        assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let total = fit.forecast(council, h);
        for p in [0.05, 0.1, 0.5, 0.9, 0.95] {
            let sum: f64 = s
                .iter()
                .map(|&share| band_forecast(&total, share).unwrap().quantile(p))
                .sum();
            let want = total.quantile(p);
            assert!(
                (sum - want).abs() < 1e-9 * want,
                "h {h} p {p}: {sum} against {want}"
            );
        }
        // The shares are the opening mix held (the rates hold it, but for their rounding).
        let opening: f64 = counts.iter().sum();
        for k in 0..5 {
            assert!((s[k] - counts[k] / opening).abs() < 1e-4, "{k}: {s:?}");
        }
    }
}

fn measured() -> AgeEvaluation {
    let panel = Panel::shipped().unwrap();
    let origins: Vec<i32> = (2014..=2022).collect();
    evaluate_by_age(panel, &origins, 3, PooledSettings::default()).unwrap()
}

/// The scores on the shipped panel, origins 2014-2022, 1-3 years ahead, as
/// docs/forecast-evaluation.md reports them, held loosely: each band's 90% range holds fewer
/// than 90% of the outcomes (the shares have no uncertainty of their own); the rates hold the
/// opening shares, so the projection scores as the held shares do but where the 20-25 rate is
/// bounded (at the early origins, when that band was new and small); no band is projected empty
/// and the bands add up to the opening count.
#[test]
fn measured_scores_by_band() {
    let e = measured();
    eprintln!("projected {}", e.projected);
    for (h, d) in &e.total_drift {
        eprintln!("drift h{h}: mean abs {:.5} largest {:.5}", d.0, d.1);
    }
    for b in &e.bands {
        show(b.name, &b.evaluation.pooled);
        for (h, s) in &b.evaluation.by_horizon {
            show(&format!("  {} h{h}", b.name), s);
        }
        eprintln!("  projected empty: {}", b.projected_empty);
        show(&format!("  {} held", b.name), &b.held.pooled);
    }
    // About 150 councils from each of 9 origins (origin 2023 has no bands).
    assert!((1150..=1300).contains(&e.projected), "{}", e.projected);
    // Measured: 90% coverage 34.7%, 72.4%, 88.8%, 64.8%, 23.9% (before, with the rates fitted
    // from past years: 21.7%, 56.2%, 82.2%, 56.3%, 14.6%).
    let coverage_90 = [
        (0.30, 0.40),
        (0.67, 0.77),
        (0.84, 0.89),
        (0.60, 0.70),
        (0.19, 0.29),
    ];
    for (k, (b, (lo, hi))) in e.bands.iter().zip(coverage_90).enumerate() {
        let s = &b.evaluation.pooled;
        assert!(
            (lo..=hi).contains(&s.coverage_90),
            "{}: {}",
            b.name,
            s.coverage_90
        );
        // The held shares are scored on the same forecasts.
        assert_eq!(b.held.pooled.forecasts, s.forecasts, "{}", b.name);
        // Better than before for every band (measured CRPS 0.292, 0.102, 0.060, 0.121, 0.313;
        // before 0.465, 0.156, 0.092, 0.151, 0.584); up to half worse than the held shares for
        // 0-4 to 11-15 (0.261, 0.070, 0.059 held: the bounded 20-25 rates move the early
        // origins' shares), better for 16-19 and 20-25 (0.206, 0.369 held).
        let (projected, held) = (s.crps, b.held.pooled.crps);
        let before = [0.465, 0.156, 0.092, 0.151, 0.584][k];
        assert!(projected < 0.95 * before, "{}: {projected}", b.name);
        if k < 3 {
            assert!(projected < 1.5 * held, "{}: {projected} {held}", b.name);
        } else {
            assert!(projected < held, "{}: {projected} {held}", b.name);
        }
        assert_eq!(b.projected_empty, 0, "{}", b.name);
    }
    // Every band has more than a tenth of its outcomes beyond one tail, 0-4 and 20-25 over a
    // third.
    for (b, tail) in e.bands.iter().zip([0.35, 0.15, 0.05, 0.15, 0.35]) {
        let s = &b.evaluation.pooled;
        assert!(s.below_p5.max(s.above_p95) > tail, "{}: {s:?}", b.name);
    }
    let n: Vec<usize> = e
        .bands
        .iter()
        .map(|b| b.evaluation.pooled.forecasts)
        .collect();
    assert!(n[..4].iter().all(|&n| (3000..=3300).contains(&n)), "{n:?}");
    // 20-25: no plans before 2015 (before, 651 more were not scored, the band projected empty).
    assert!((2000..=2250).contains(&n[4]), "{n:?}");
    // The projected bands' sum stays at the opening count: 0.6% a year ahead on average, all of
    // it from the bounded 20-25 rates (before, 4.1%, largest 43%).
    let (mean, largest) = e.total_drift[&1];
    assert!(mean < 0.01 && largest < 0.1, "{mean} {largest}");
}

/// No bands are published for January 2023: no forecast from it, and none scored on it.
#[test]
fn the_2023_gap_is_skipped() {
    let panel = Panel::shipped().unwrap();
    let e = evaluate_by_age(panel, &[2023], 3, PooledSettings::default()).unwrap();
    assert_eq!(e.projected, 0);
    assert!(e.bands.iter().all(|b| b.evaluation.pooled.forecasts == 0));
    let e = evaluate_by_age(panel, &[2022], 3, PooledSettings::default()).unwrap();
    for b in &e.bands {
        let horizons: Vec<u32> = b.evaluation.by_horizon.keys().copied().collect();
        assert_eq!(horizons, [2, 3], "{}", b.name);
    }
}

/// The rates `dsg init --la` writes today (opening January 2025): the 20-25 rate is at least
/// 5/6 for many councils (the plans aged in from 16-19 outnumber the band's own plans kept), yet
/// with the plans aged in no council's band empties: each is held, or bounded so that the band
/// keeps at least -1/2 of its own plans.
#[test]
fn the_oldest_band_s_rates_today() {
    let panel = Panel::shipped().unwrap();
    let (mut councils, mut above) = (0, 0);
    for area in panel.areas() {
        if area.level != dsg_data::public::Level::La {
            continue;
        }
        let Ok(f) = CouncilFigures::from_panel(panel, area, None) else {
            continue;
        };
        let Some(AgeFigures {
            leaving: Some(r),
            year: 2025,
            counts,
            ..
        }) = f.ages
        else {
            continue;
        };
        councils += 1;
        above += usize::from(r[4] >= 5.0 / 6.0);
        assert!(r[4] <= 1.5 - 1.0 / 6.0 + 1e-12, "{}: {r:?}", area.name);
        let years = project_bands(&counts, &dsg_data::public::AGE_BAND_AGEING, &r, 10);
        assert!(
            years.iter().all(|y| y.iter().all(|v| *v > 0.0)),
            "{}",
            area.name
        );
    }
    eprintln!("{above} of {councils} councils' 20-25 rate at least 5/6");
    assert!(councils > 140, "{councils}");
    // Measured: 69 of 152 (57 of 151 with the rates fitted from past years).
    assert!((55..=80).contains(&above), "{above} of {councils}");
}
