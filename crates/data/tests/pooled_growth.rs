//! The pooled growth model (issue 26): its scores on every council's published EHCP history, a
//! panel simulated from the model, a change of regime, and no look-ahead.

use dsg_data::growth::{
    AreaLevels, PooledFit, PooledSettings, Scored, Scores, evaluate, evaluate_total, score,
};
use dsg_data::history::{ForecastSettings, Point, Series, fit, forecast};
use dsg_data::public::Panel;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;

fn show(label: &str, s: &Scores) {
    eprintln!(
        "{label}: n={} cov50={:.3} cov80={:.3} cov90={:.3} <P5={:.3} <P10={:.3} >P90={:.3} >P95={:.3} PIT={:.3} skill(last)={:.3} skill(mean)={:.3}",
        s.forecasts,
        s.coverage_50,
        s.coverage_80,
        s.coverage_90,
        s.below_p5,
        s.below_p10,
        s.above_p90,
        s.above_p95,
        s.mean_pit,
        s.skill_last_growth(),
        s.skill_mean_growth()
    );
}

/// Prints an evaluation pooled, by origin and by horizon, and its PIT histogram.
fn show_all(label: &str, e: &dsg_data::growth::Evaluation) {
    show(label, &e.pooled);
    for (o, s) in &e.by_origin {
        show(&format!("origin {o}"), s);
    }
    for (h, s) in &e.by_horizon {
        show(&format!("horizon {h}"), s);
    }
    eprintln!(
        "PIT histogram: {:?}",
        e.pooled
            .pit_histogram
            .map(|x| (x * 1000.0).round() / 1000.0)
    );
}

/// How far a share may stray from its stated rate in these tests: 4 points for the 80% range
/// and each 10% tail. On the simulated panel (4,050 forecasts, binomial sd 0.6 points) the
/// model's ranges are about 4 points narrower than stated (docs/forecast-evaluation.md); on the
/// published panel about 4 points wider.
const TOLERANCE: f64 = 0.04;

/// CRPS of a sorted sample for outcome `y`: mean |X - y| - mean |X - X'| / 2.
fn crps_sample(sorted: &[f64], y: f64) -> f64 {
    let n = sorted.len() as f64;
    let abs: f64 = sorted.iter().map(|x| (x - y).abs()).sum::<f64>() / n;
    // sum_{i<j} (x_j - x_i) = sum_i x_i (2i - n + 1) for sorted x.
    let pairs: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| x * (2.0 * i as f64 - n + 1.0))
        .sum();
    abs - pairs / (n * n)
}

/// The model before issue 26 (`dsg_data::history`: each council's own growths, every year,
/// parameter uncertainty), scored on the same forecasts as the pooled model.
fn old_model(areas: &[AreaLevels], origins: &[i32]) -> Scores {
    let mut all = Vec::new();
    for &origin in origins {
        for a in areas {
            let mut levels = a.levels.clone();
            levels.sort_by_key(|l| l.0);
            let points: Vec<Point> = levels
                .iter()
                .filter(|(y, _)| *y <= origin)
                .map(|&(year, value)| Point {
                    year,
                    label: year.to_string(),
                    value,
                    break_before: false,
                    line: 0,
                })
                .collect();
            if points.last().map(|p| p.year) != Some(origin) {
                continue;
            }
            let series = Series {
                name: a.area.clone(),
                points,
                sources: vec![],
                area: None,
            };
            let Ok(f) = fit(&series, Some(origin)) else {
                continue;
            };
            let settings = ForecastSettings {
                paths: 1000,
                horizon: 3,
                ..ForecastSettings::default()
            };
            let sim = forecast(&f, &settings);
            let own: Vec<f64> = series
                .points
                .windows(2)
                .filter(|w| w[1].year == w[0].year + 1)
                .map(|w| (w[1].value / w[0].value).ln())
                .collect();
            let (y0, last, mean) = (
                f.last_level,
                own[own.len() - 1],
                own.iter().sum::<f64>() / own.len() as f64,
            );
            for h in 1..=3u32 {
                let Some(&(_, outcome)) = levels.iter().find(|l| l.0 == origin + h as i32) else {
                    continue;
                };
                let sorted = &sim.levels[h as usize - 1];
                let below = sorted.partition_point(|x| *x < outcome) as f64 / sorted.len() as f64;
                let logs: Vec<f64> = sorted.iter().map(|x| x.max(1e-9).ln()).collect();
                let (hf, y) = (f64::from(h), outcome.ln());
                all.push(Scored {
                    origin,
                    horizon: h,
                    pit: below,
                    crps: crps_sample(&logs, y),
                    error_last_growth: (y0.ln() + hf * last - y).abs(),
                    error_mean_growth: (y0.ln() + hf * mean - y).abs(),
                });
            }
        }
    }
    score(&all)
}

#[test]
fn the_pooled_model_beats_the_old_one_on_the_same_forecasts() {
    let panel = Panel::shipped().unwrap();
    let areas = panel.levels("caseload");
    for origins in [2017..=2022, 2018..=2022, 2014..=2022] {
        let o: Vec<i32> = origins.clone().collect();
        let old = old_model(&areas, &o);
        let new = evaluate(&areas, &o, 3, PooledSettings::default())
            .unwrap()
            .pooled;
        show(&format!("old model, origins {origins:?}"), &old);
        // The first pooled version (normal forecasts, no reform windows), for the docs.
        let first = evaluate(&areas, &o, 3, normal_no_reforms()).unwrap().pooled;
        show(&format!("pooled v1, origins {origins:?}"), &first);
        show(&format!("pooled,    origins {origins:?}"), &new);
        // Closer to the stated 10% in the upper tail, and a lower CRPS.
        assert!((new.above_p90 - 0.1).abs() < (old.above_p90 - 0.1).abs());
        assert!(
            new.crps < old.crps,
            "CRPS {} against {}",
            new.crps,
            old.crps
        );
    }
}

#[test]
fn the_published_panel_is_covered_at_the_stated_rates_from_2017() {
    let panel = Panel::shipped().unwrap();
    let areas = panel.levels("caseload");
    let origins: Vec<i32> = (2017..=2022).collect();
    let e = evaluate(&areas, &origins, 3, PooledSettings::default()).unwrap();
    show_all("origins 2017-2022, horizons 1-3", &e);
    // The issue's two windows, for docs/forecast-evaluation.md.
    for (label, origins) in [
        ("origins 2018-2022", 2018..=2022),
        ("origins 2014-2022", 2014..=2022),
    ] {
        let o: Vec<i32> = origins.collect();
        show(
            label,
            &evaluate(&areas, &o, 3, PooledSettings::default())
                .unwrap()
                .pooled,
        );
    }
    let s = &e.pooled;
    assert!(s.forecasts > 2500, "{}", s.forecasts);
    // Each tail within 5 points of its stated 10% (the old model: 17.4% above P90, 1.5% below
    // P10 over 2018-2022), the 80% range within 7 points, the mean PIT within 0.06 of 0.5.
    assert!(
        (s.above_p90 - 0.10).abs() < 0.05,
        "above P90 {}",
        s.above_p90
    );
    assert!(
        (s.below_p10 - 0.10).abs() < 0.05,
        "below P10 {}",
        s.below_p10
    );
    assert!(
        (s.coverage_80 - 0.80).abs() < 0.07,
        "80% range {}",
        s.coverage_80
    );
    assert!((s.mean_pit - 0.5).abs() < 0.06, "mean PIT {}", s.mean_pit);
    // Better than carrying either growth forward.
    assert!(s.skill_last_growth() > 0.3 && s.skill_mean_growth() > 0.3);
}

/// The issue's goal (issue 26) on the shipped panel, origins 2014-2022 inclusive (across the
/// 2014 reform), horizons 1-3, default settings.
#[test]
fn the_issues_goal_holds_across_the_2014_reform() {
    let panel = Panel::shipped().unwrap();
    let areas = panel.levels("caseload");
    let origins: Vec<i32> = (2014..=2022).collect();
    let e = evaluate(&areas, &origins, 3, PooledSettings::default()).unwrap();
    show_all("origins 2014-2022, horizons 1-3", &e);
    let s = &e.pooled;
    assert!(s.forecasts > 4000, "{}", s.forecasts);
    assert!(
        (0.77..=0.83).contains(&s.coverage_80),
        "80% range {}",
        s.coverage_80
    );
    assert!(
        (0.07..=0.13).contains(&s.below_p10),
        "below P10 {}",
        s.below_p10
    );
    assert!(
        (0.07..=0.13).contains(&s.above_p90),
        "above P90 {}",
        s.above_p90
    );
    assert!(
        (0.47..=0.53).contains(&s.coverage_50),
        "50% range {}",
        s.coverage_50
    );
    assert!(
        (0.46..=0.54).contains(&s.mean_pit),
        "mean PIT {}",
        s.mean_pit
    );
    for (o, by) in &e.by_origin {
        assert!(
            by.coverage_80 >= 0.60,
            "origin {o}: 80% range {}",
            by.coverage_80
        );
    }
    // At least 0.3 better than the better naive forecast.
    assert!(
        s.skill_last_growth() >= 0.3 && s.skill_mean_growth() >= 0.3,
        "skill {} {}",
        s.skill_last_growth(),
        s.skill_mean_growth()
    );
}

/// England's count from 2010, forecast as the panel's growth: the issue's goal.
#[test]
fn englands_series_is_covered_and_beats_both_naive_forecasts() {
    let panel = Panel::shipped().unwrap();
    let areas = panel.levels("caseload");
    let england = panel
        .series("E92000001", "caseload")
        .into_iter()
        .filter_map(|(y, v)| v.number().map(|v| (y, v)))
        .collect::<Vec<_>>();
    assert_eq!(england.first().map(|p| p.0), Some(2010));
    let total = AreaLevels {
        area: "E92000001".into(),
        levels: england,
    };
    let origins: Vec<i32> = (2013..=2024).collect();
    let e = evaluate_total(&total, &areas, &origins, 3, PooledSettings::default()).unwrap();
    show("England, origins 2013-2024", &e.pooled);
    let first = evaluate_total(&total, &areas, &origins, 3, normal_no_reforms()).unwrap();
    show("England, pooled v1", &first.pooled);
    let s = &e.pooled;
    assert!(s.forecasts >= 30, "{}", s.forecasts);
    assert!(
        (0.65..=0.95).contains(&s.coverage_80),
        "80% range {}",
        s.coverage_80
    );
    assert!(s.skill_last_growth() > 0.0 && s.skill_mean_growth() > 0.0);
}

/// The model as it simulates: normal shocks, no reform windows (the simulated panels have
/// neither heavy tails nor a reform).
fn normal_no_reforms() -> PooledSettings {
    PooledSettings {
        tail_df: f64::INFINITY,
        reforms: &[],
        ..PooledSettings::default()
    }
}

/// A panel simulated from the model's own assumptions: national growth `national` each year,
/// councils' deviations with sd `between`, yearly noise with sd `noise`.
fn simulated(
    seed: u64,
    councils: usize,
    years: std::ops::RangeInclusive<i32>,
    national: &dyn Fn(i32) -> f64,
    between: f64,
    noise: f64,
    rho: f64,
) -> Vec<AreaLevels> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..councils)
        .map(|c| {
            // A council's deviation from the national growth: AR(1) with persistence `rho`
            // (1: lasting), stationary sd `between`.
            let mut dev: f64 = between * rng.sample::<f64, _>(StandardNormal);
            let mut log = 7.0;
            let levels = years
                .clone()
                .map(|y| {
                    let (z, e): (f64, f64) =
                        (rng.sample(StandardNormal), rng.sample(StandardNormal));
                    dev = rho * dev + (1.0 - rho * rho).sqrt() * between * e;
                    log += national(y) + dev + noise * z;
                    (y, log.exp())
                })
                .collect();
            AreaLevels {
                area: format!("C{c:03}"),
                levels,
            }
        })
        .collect()
}

#[test]
fn a_panel_simulated_with_lasting_deviations_gives_back_its_parameters() {
    let areas = simulated(7, 150, 2008..=2025, &|_| 0.09, 0.02, 0.05, 1.0);
    let fit = PooledFit::fit(&areas, 2025, PooledSettings::default()).unwrap();
    assert!(
        (fit.national - 0.09).abs() < 0.01,
        "national {}",
        fit.national
    );
    assert!(
        (fit.within_var.sqrt() - 0.05).abs() < 0.005,
        "within sd {}",
        fit.within_var.sqrt()
    );
    assert!(
        (fit.between_var.sqrt() - 0.02).abs() < 0.006,
        "between sd {}",
        fit.between_var.sqrt()
    );
}

#[test]
fn a_panel_simulated_from_the_model_is_covered_at_the_stated_rates() {
    // Deviations decaying at the model's persistence, 0.8.
    let areas = simulated(7, 150, 2008..=2025, &|_| 0.09, 0.03, 0.05, 0.8);
    let e = evaluate(
        &areas,
        &(2014..=2022).collect::<Vec<_>>(),
        3,
        normal_no_reforms(),
    )
    .unwrap();
    show("simulated", &e.pooled);
    let s = &e.pooled;
    assert!(s.forecasts > 4000);
    assert!(
        (s.coverage_80 - 0.80).abs() < TOLERANCE,
        "80% range {}",
        s.coverage_80
    );
    assert!(
        (s.above_p90 - 0.10).abs() < TOLERANCE,
        "above P90 {}",
        s.above_p90
    );
    assert!(
        (s.below_p10 - 0.10).abs() < TOLERANCE,
        "below P10 {}",
        s.below_p10
    );
    assert!((s.mean_pit - 0.5).abs() < 0.03, "mean PIT {}", s.mean_pit);
}

#[test]
fn a_change_of_regime_is_followed_within_two_years() {
    // National growth 1% a year to 2015, then 10% (the 2014 reform's shape).
    let areas = simulated(
        11,
        150,
        2008..=2025,
        &|y| if y <= 2015 { 0.01 } else { 0.10 },
        0.02,
        0.04,
        0.8,
    );
    for (origin, within) in [(2016, 0.03), (2017, 0.01)] {
        let fit = PooledFit::fit(&areas, origin, PooledSettings::default()).unwrap();
        assert!(
            (fit.national - 0.10).abs() < within,
            "origin {origin}: national growth {} (the new regime's 0.10)",
            fit.national
        );
    }
}

#[test]
fn an_origin_never_sees_data_after_it() {
    let mut areas = simulated(3, 40, 2010..=2025, &|_| 0.08, 0.02, 0.05, 0.8);
    let before = PooledFit::fit(&areas, 2020, PooledSettings::default()).unwrap();
    // Plant a huge value after the origin, in one council and in a new year for all.
    areas[0].levels.retain(|(y, _)| *y != 2022);
    areas[0].levels.push((2022, 1e12));
    for a in &mut areas {
        a.levels.push((2030, 1.0));
    }
    let after = PooledFit::fit(&areas, 2020, PooledSettings::default()).unwrap();
    assert_eq!(before, after);
}

#[test]
fn every_councils_scenario_growth_matches_its_one_and_three_year_ranges() {
    let panel = Panel::shipped().unwrap();
    let fit = PooledFit::fit(&panel.levels("caseload"), 2025, PooledSettings::default()).unwrap();
    assert!(fit.councils.len() > 150);
    // The t's P90 over the normal's, 5 degrees of freedom: t(0.9; 5) = 1.475884 in units of
    // its scale, times sqrt(3/5) to units of its sd, over 1.281552.
    let k = 1.475_884_048_8 * (3.0f64 / 5.0).sqrt() / 1.281_551_565_5;
    for c in fit.councils.iter().filter(|c| c.last.0 == 2025) {
        let g = fit.scenario_growth(c);
        let base = c.last.1.ln();
        for h in [1u32, 3] {
            let f = fit.forecast(c, h);
            let hf = f64::from(h);
            let var = hf * hf * g.path_sd.powi(2) + hf * g.yearly_sd.powi(2);
            // The scenario's spread is the t's, shrunk so that P10 and P90 are the t's.
            assert!(
                (var.sqrt() - k * f.sd_log).abs() < 1e-9,
                "{} h={h}: {} against {}",
                c.area,
                var.sqrt(),
                k * f.sd_log
            );
            if h == 3 {
                assert!(
                    (base + hf * g.mean - f.mean_log).abs() < 1e-12,
                    "{}",
                    c.area
                );
                let p90 = base + hf * g.mean + 1.281_551_565_5 * var.sqrt();
                assert!((p90 - f.quantile(0.9).ln()).abs() < 1e-8, "{}", c.area);
            }
        }
    }
}

/// The closed-form CRPS of the t forecast against a numerical integral of
/// (F(x) - 1{x >= y})^2 over the log level, and the normal's closed form in the limit.
#[test]
fn the_t_forecasts_crps_matches_its_definition() {
    use dsg_data::growth::LogForecast;
    for (df, mean, sd, y) in [
        (5.0, 0.0, 1.0, 0.3),
        (5.0, 2.0, 0.1, 2.35),
        (30.0, 1.0, 0.5, 0.2),
    ] {
        let f = LogForecast {
            mean_log: mean,
            sd_log: sd,
            df,
        };
        // Trapezoid over mean +- 200 sd (the t's tails fall slowly), split at the outcome
        // where the integrand jumps, 200,000 steps each side.
        let trapezoid = |a: f64, b: f64, above: f64| {
            let n = 200_000;
            let step = (b - a) / n as f64;
            let g = |x: f64| (f.cdf(x.exp()) - above).powi(2);
            (0..n)
                .map(|i| 0.5 * step * (g(a + i as f64 * step) + g(a + (i + 1) as f64 * step)))
                .sum::<f64>()
        };
        let integral = trapezoid(mean - 200.0 * sd, y, 0.0) + trapezoid(y, mean + 200.0 * sd, 1.0);
        let closed = f.crps_log(y.exp());
        assert!(
            (integral - closed).abs() < 1e-6,
            "df {df}: integral {integral} closed form {closed}"
        );
    }
    // Normal: z(2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi) at z = 1, sd 1: 0.6024...
    let normal = LogForecast {
        mean_log: 0.0,
        sd_log: 1.0,
        df: f64::INFINITY,
    };
    let z = 1.0f64;
    let phi = (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let expected =
        z * (2.0 * 0.841_344_746_068_542_9 - 1.0) + 2.0 * phi - 1.0 / std::f64::consts::PI.sqrt();
    let got = normal.crps_log(z.exp());
    assert!((got - expected).abs() < 1e-9, "{got} against {expected}");
}
