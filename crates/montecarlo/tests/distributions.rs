//! Statistical and value-stability tests of `dsg_montecarlo::draw`.
//!
//! Every test uses a fixed seed, so its outcome is deterministic; the false-alarm rates below say
//! how likely a *correct* implementation would have been flagged by the seeds chosen.
//!
//! * Kolmogorov-Smirnov, 10^6 draws, against the exact CDF: 13 continuous distributions, each
//!   drawn with `sample` and with `from_normal_score` of a standard normal score, so 26 tests at
//!   alpha = 0.001 each, D_crit = sqrt(-ln(alpha / 2) / 2) / sqrt(n) ~ 1.95 / sqrt(n) = 0.00195.
//! * Chi-square goodness of fit, 10^6 draws: discrete and Bernoulli, each with both methods, so 4
//!   tests at alpha = 0.001 each.
//! * Means, 10^6 draws: within 4 standard errors of `Dist::mean()` (two-sided alpha 6.3e-5 each),
//!   in the same 30 runs plus 2 fixed distributions (exact, no false alarm possible).
//!
//! Family-wise false-alarm rate (union bound): 30 x 0.001 + 30 x 6.3e-5 ~ 0.032.
//!
//! The 10^6-draw tests are ignored in debug builds; run them with
//! `cargo test --release -p dsg-montecarlo --test distributions`.

// Tests fail loudly on a broken invariant, as elsewhere in the workspace's test files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_core::Dist;
use dsg_montecarlo::draw::{DrawError, Drawer};
use rand::{Rng, RngExt, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;
use statrs::distribution::{
    Beta, ChiSquared, ContinuousCDF, LogNormal, Normal, Triangular, Uniform,
};

/// Draws per statistical test.
const N: usize = 1_000_000;
/// False-alarm rate of each KS and chi-square test.
const ALPHA: f64 = 0.001;
/// Means must lie within this many standard errors.
const MEAN_TOLERANCE_SE: f64 = 4.0;

fn rng(seed: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed)
}

fn drawer(dist: &Dist) -> Drawer {
    match Drawer::new(dist) {
        Ok(d) => d,
        Err(e) => panic!("{dist:?} should be drawable: {e}"),
    }
}

#[derive(Clone, Copy, Debug)]
enum Method {
    /// `Drawer::sample`.
    Sample,
    /// `Drawer::from_normal_score(z)` with `z` standard normal.
    NormalScore,
}

fn draws(dist: &Dist, method: Method, seed: u64, n: usize) -> Vec<f64> {
    let d = drawer(dist);
    let mut rng = rng(seed);
    (0..n)
        .map(|_| match method {
            Method::Sample => d.sample(&mut rng),
            Method::NormalScore => {
                let z: f64 = rng.sample(StandardNormal);
                d.from_normal_score(z)
            }
        })
        .collect()
}

/// The exact CDF of a continuous distribution, from statrs building blocks.
fn exact_cdf(dist: &Dist) -> Box<dyn Fn(f64) -> f64> {
    let std = Normal::standard();
    match *dist {
        Dist::Uniform { min, max } => {
            let u = Uniform::new(min, max).unwrap();
            Box::new(move |x| u.cdf(x))
        }
        Dist::Normal { mean, sd } => {
            let n = Normal::new(mean, sd).unwrap();
            Box::new(move |x| n.cdf(x))
        }
        Dist::Lognormal { mu, sigma, shift } => {
            let ln = LogNormal::new(mu, sigma).unwrap();
            Box::new(move |x| ln.cdf(x - shift))
        }
        Dist::TruncatedNormal { mean, sd, min, max } => {
            let (a, b) = ((min - mean) / sd, (max - mean) / sd);
            if a > 0.0 {
                // Upper-tail window: survival functions avoid 1 - tiny.
                let (sa, sb) = (std.sf(a), std.sf(b));
                Box::new(move |x| ((sa - std.sf((x - mean) / sd)) / (sa - sb)).clamp(0.0, 1.0))
            } else {
                let (ca, cb) = (std.cdf(a), std.cdf(b));
                Box::new(move |x| ((std.cdf((x - mean) / sd) - ca) / (cb - ca)).clamp(0.0, 1.0))
            }
        }
        Dist::Triangular { min, mode, max } => {
            let t = Triangular::new(min, max, mode).unwrap();
            Box::new(move |x| t.cdf(x))
        }
        Dist::Pert { min, mode, max } => {
            let range = max - min;
            let beta = Beta::new(
                1.0 + 4.0 * (mode - min) / range,
                1.0 + 4.0 * (max - mode) / range,
            )
            .unwrap();
            Box::new(move |x| beta.cdf(((x - min) / range).clamp(0.0, 1.0)))
        }
        _ => panic!("{dist:?} is not continuous"),
    }
}

/// Kolmogorov-Smirnov statistic of `xs` against `cdf`.
fn ks_statistic(mut xs: Vec<f64>, cdf: &dyn Fn(f64) -> f64) -> f64 {
    xs.sort_unstable_by(f64::total_cmp);
    let n = xs.len() as f64;
    xs.iter().enumerate().fold(0.0, |d, (i, &x)| {
        let f = cdf(x);
        d.max((i as f64 + 1.0) / n - f).max(f - i as f64 / n)
    })
}

/// Asymptotic KS critical value for the two-sided test at `ALPHA`.
fn ks_critical(n: usize) -> f64 {
    (-(ALPHA / 2.0).ln() / 2.0).sqrt() / (n as f64).sqrt()
}

/// Checks the sample mean of `xs` against `dist.mean()`.
fn check_mean(label: &str, dist: &Dist, xs: &[f64]) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let se = (var / n).sqrt();
    let expected = dist.mean();
    eprintln!(
        "mean {label}: {mean:.6e} vs {expected:.6e} ({:.2} SE)",
        (mean - expected) / se
    );
    assert!(
        (mean - expected).abs() <= MEAN_TOLERANCE_SE * se,
        "{label}: sample mean {mean} is more than {MEAN_TOLERANCE_SE} SE ({se}) from {expected}"
    );
}

/// Every draw lies within the distribution's support.
fn check_support(label: &str, dist: &Dist, xs: &[f64]) {
    let (lo, hi) = dist.support();
    if let Some(bad) = xs.iter().find(|x| !(lo <= **x && **x <= hi)) {
        panic!("{label}: draw {bad} outside the support [{lo}, {hi}]");
    }
}

fn check_continuous(name: &str, dist: &Dist, method: Method, seed: u64) {
    let label = format!("{name}/{method:?}");
    let xs = draws(dist, method, seed, N);
    check_support(&label, dist, &xs);
    check_mean(&label, dist, &xs);
    let d = ks_statistic(xs, &*exact_cdf(dist));
    let crit = ks_critical(N);
    eprintln!("KS {label}: D = {d:.6} (critical {crit:.6})");
    assert!(d < crit, "{label}: KS D = {d} >= {crit} ({dist:?})");
}

/// One KS + mean + support test per method for each continuous distribution.
macro_rules! continuous_tests {
    ($($name:ident: $dist:expr, seed $seed:literal;)*) => {$(
        mod $name {
            use super::*;

            #[test]
            #[cfg_attr(debug_assertions, ignore = "slow: run in release mode")]
            fn sample() {
                check_continuous(stringify!($name), &$dist, Method::Sample, $seed);
            }

            #[test]
            #[cfg_attr(debug_assertions, ignore = "slow: run in release mode")]
            fn normal_score() {
                check_continuous(stringify!($name), &$dist, Method::NormalScore, $seed + 1);
            }
        }
    )*};
}

continuous_tests! {
    uniform: Dist::Uniform { min: -1.0, max: 3.0 }, seed 100;
    normal: Dist::Normal { mean: 0.07, sd: 0.02 }, seed 110;
    lognormal_growth_factor: Dist::Lognormal { mu: 0.0, sigma: 0.5, shift: -1.0 }, seed 120;
    lognormal_unshifted: Dist::Lognormal { mu: 2.0, sigma: 0.1, shift: 0.0 }, seed 130;
    // Mass 0.954: rejection.
    truncated_benchmark: Dist::TruncatedNormal { mean: 0.07, sd: 0.02, min: 0.03, max: 0.11 }, seed 140;
    // Mass 0.5, one-sided: rejection.
    truncated_half_normal: Dist::TruncatedNormal { mean: 0.0, sd: 1.0, min: 0.0, max: 50.0 }, seed 150;
    // Mass 0.0062, far upper tail: inverse CDF (mirrored).
    truncated_far_upper_tail: Dist::TruncatedNormal { mean: 0.0, sd: 1.0, min: 2.5, max: 4.0 }, seed 160;
    // Mass 0.0062, far lower tail: inverse CDF.
    truncated_far_lower_tail: Dist::TruncatedNormal { mean: 0.0, sd: 1.0, min: -4.0, max: -2.5 }, seed 170;
    // Mass 0.119, narrow window across the mean: inverse CDF.
    truncated_narrow_central: Dist::TruncatedNormal { mean: 10.0, sd: 2.0, min: 9.8, max: 10.4 }, seed 180;
    triangular: Dist::Triangular { min: 0.3, mode: 0.5, max: 1.0 }, seed 190;
    triangular_mode_at_min: Dist::Triangular { min: 0.0, mode: 0.0, max: 2.0 }, seed 200;
    pert: Dist::Pert { min: 0.3, mode: 0.7, max: 1.0 }, seed 210;
    pert_mode_at_max: Dist::Pert { min: -5.0, mode: 5.0, max: 5.0 }, seed 220;
    // The two-gamma construction (since 0.9) at its edges: alpha = 1 (an exponential gamma) and
    // a strongly skewed pair of shapes (1.27, 4.73).
    pert_mode_at_min: Dist::Pert { min: 0.0, mode: 0.0, max: 10.0 }, seed 230;
    pert_skewed: Dist::Pert { min: 100.0, mode: 120.0, max: 400.0 }, seed 240;
}

/// Chi-square goodness of fit of draws from a finite distribution; values with zero probability
/// must never appear.
fn check_finite(name: &str, dist: &Dist, method: Method, seed: u64) {
    let label = format!("{name}/{method:?}");
    let (values, probabilities) = match dist {
        Dist::Discrete {
            values,
            probabilities,
        } => (values.clone(), probabilities.clone()),
        Dist::Bernoulli { p } => (vec![0.0, 1.0], vec![1.0 - p, *p]),
        _ => panic!("{dist:?} is not finite"),
    };
    let xs = draws(dist, method, seed, N);
    check_mean(&label, dist, &xs);
    let mut counts = vec![0u64; values.len()];
    for x in &xs {
        match values.iter().position(|v| v == x) {
            Some(i) => counts[i] += 1,
            None => panic!("{label}: drew {x}, not one of {values:?}"),
        }
    }
    let mut chi2 = 0.0;
    let mut categories = 0;
    for ((v, p), c) in values.iter().zip(&probabilities).zip(&counts) {
        if *p == 0.0 {
            assert_eq!(*c, 0, "{label}: value {v} has probability 0 but was drawn");
        } else {
            let expected = p * N as f64;
            chi2 += (*c as f64 - expected).powi(2) / expected;
            categories += 1;
        }
    }
    let df = f64::from(categories - 1);
    let crit = ChiSquared::new(df).unwrap().inverse_cdf(1.0 - ALPHA);
    eprintln!("chi-square {label}: {chi2:.3} on {df} df (critical {crit:.3}), counts {counts:?}");
    assert!(chi2 < crit, "{label}: chi-square {chi2} >= {crit}");
}

/// Unsorted values, a zero-probability value and a small probability.
fn discrete_example() -> Dist {
    Dist::Discrete {
        values: vec![5.0, -2.0, 100.0, 0.0, 7.5],
        probabilities: vec![0.4, 0.25, 0.0, 0.3, 0.05],
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "slow: run in release mode")]
fn discrete_frequencies_sample() {
    check_finite("discrete", &discrete_example(), Method::Sample, 300);
}

#[test]
#[cfg_attr(debug_assertions, ignore = "slow: run in release mode")]
fn discrete_frequencies_normal_score() {
    check_finite("discrete", &discrete_example(), Method::NormalScore, 301);
}

#[test]
#[cfg_attr(debug_assertions, ignore = "slow: run in release mode")]
fn bernoulli_frequencies_sample() {
    check_finite(
        "bernoulli",
        &Dist::Bernoulli { p: 0.15 },
        Method::Sample,
        310,
    );
}

#[test]
#[cfg_attr(debug_assertions, ignore = "slow: run in release mode")]
fn bernoulli_frequencies_normal_score() {
    check_finite(
        "bernoulli",
        &Dist::Bernoulli { p: 0.15 },
        Method::NormalScore,
        311,
    );
}

#[test]
fn fixed_distributions_give_their_value_exactly() {
    for (dist, value) in [
        (Dist::Fixed { value: 1.25 }, 1.25),
        (Dist::Uniform { min: 3.0, max: 3.0 }, 3.0),
    ] {
        for method in [Method::Sample, Method::NormalScore] {
            let xs = draws(&dist, method, 400, 1000);
            assert!(xs.iter().all(|x| *x == value), "{dist:?} {method:?}");
            assert_eq!(dist.mean(), value);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fast tests (debug and release).

/// Changing any of these numbers is a value-breaking change: every forecast drawn with the same
/// seed changes. Record it in CHANGELOG.md. (They are the first draws of
/// `Xoshiro256PlusPlus::seed_from_u64(42)`, a fresh generator per distribution.)
#[test]
fn first_draws_are_pinned() {
    let pinned: [(Dist, [f64; 3]); 9] = [
        (
            Dist::Normal {
                mean: 0.07,
                sd: 0.02,
            },
            [0.08668795093687592, 0.0597007414370541, 0.098154551462395],
        ),
        (
            Dist::Lognormal {
                mu: 0.0,
                sigma: 0.5,
                shift: -1.0,
            },
            [0.5177041622039129, -0.22700404562322807, 1.0215484689973438],
        ),
        (
            Dist::TruncatedNormal {
                mean: 0.07,
                sd: 0.02,
                min: 0.03,
                max: 0.11,
            },
            [0.08668795093687592, 0.0597007414370541, 0.098154551462395],
        ),
        (
            Dist::TruncatedNormal {
                mean: 0.0,
                sd: 1.0,
                min: 2.5,
                max: 4.0,
            },
            [2.5715346866297284, 2.8779495483697346, 2.505717329945245],
        ),
        (
            Dist::Uniform {
                min: -1.0,
                max: 3.0,
            },
            [2.257220580491639, 0.2752841602466445, 2.9355766727099546],
        ),
        (
            Dist::Triangular {
                min: 0.3,
                mode: 0.5,
                max: 1.0,
            },
            [0.7450623621216719, 0.5117248357960251, 0.9249197686612585],
        ),
        (
            Dist::Pert {
                min: 0.3,
                mode: 0.7,
                max: 1.0,
            },
            [0.6270475243347997, 0.8993188961308112, 0.5955814685222365],
        ),
        (discrete_example(), [5.0, 0.0, 7.5]),
        (Dist::Bernoulli { p: 0.5 }, [0.0, 1.0, 0.0]),
    ];
    let mut failures = Vec::new();
    for (dist, expected) in &pinned {
        let got = draws(dist, Method::Sample, 42, 3);
        if got != expected {
            failures.push(format!("{dist:?}: got {got:?}, pinned {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Quantiles at fixed scores are pinned too (same rule: a change goes in CHANGELOG.md).
#[test]
fn normal_score_values_are_pinned() {
    let pinned: [(Dist, [f64; 3]); 4] = [
        (
            Dist::TruncatedNormal {
                mean: 0.07,
                sd: 0.02,
                min: 0.03,
                max: 0.11,
            },
            [0.042749684924211884, 0.07, 0.08511056435033869],
        ),
        (
            Dist::TruncatedNormal {
                mean: 0.0,
                sd: 1.0,
                min: 2.5,
                max: 4.0,
            },
            [2.5242706893156295, 2.734825434599722, 3.0021244720241334],
        ),
        (
            Dist::Pert {
                min: 0.3,
                mode: 0.7,
                max: 1.0,
            },
            [0.47698581169019155, 0.6872667932357, 0.7994891250917038],
        ),
        (
            Dist::Triangular {
                min: 0.3,
                mode: 0.5,
                max: 1.0,
            },
            [0.39671095169652615, 0.5816699867329622, 0.7276961448834915],
        ),
    ];
    let mut failures = Vec::new();
    for (dist, expected) in &pinned {
        let d = drawer(dist);
        let got = [-1.5, 0.0, 0.8].map(|z| d.from_normal_score(z));
        if got != *expected {
            failures.push(format!("{dist:?}: got {got:?}, pinned {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every kind of distribution, drawable and not fixed.
fn all_kinds() -> Vec<Dist> {
    vec![
        Dist::Uniform {
            min: -1.0,
            max: 3.0,
        },
        Dist::Normal {
            mean: 0.07,
            sd: 0.02,
        },
        Dist::Lognormal {
            mu: 0.0,
            sigma: 0.5,
            shift: -1.0,
        },
        Dist::TruncatedNormal {
            mean: 0.07,
            sd: 0.02,
            min: 0.03,
            max: 0.11,
        },
        Dist::TruncatedNormal {
            mean: 0.0,
            sd: 1.0,
            min: 2.5,
            max: 4.0,
        },
        Dist::TruncatedNormal {
            mean: 0.0,
            sd: 1.0,
            min: -4.0,
            max: -2.5,
        },
        Dist::TruncatedNormal {
            mean: 0.0,
            sd: 1.0,
            min: 6.0,
            max: 7.0,
        },
        Dist::TruncatedNormal {
            mean: 0.0,
            sd: 1.0,
            min: -7.0,
            max: -6.0,
        },
        Dist::Triangular {
            min: 0.3,
            mode: 0.5,
            max: 1.0,
        },
        Dist::Triangular {
            min: 0.0,
            mode: 2.0,
            max: 2.0,
        },
        Dist::Pert {
            min: 0.3,
            mode: 0.7,
            max: 1.0,
        },
        Dist::Pert {
            min: 0.0,
            mode: 0.0,
            max: 1.0,
        },
        discrete_example(),
        Dist::Bernoulli { p: 0.15 },
    ]
}

#[test]
fn draws_stay_within_the_support() {
    for (i, dist) in all_kinds().iter().enumerate() {
        for method in [Method::Sample, Method::NormalScore] {
            let xs = draws(dist, method, 500 + i as u64, 20_000);
            check_support(&format!("{dist:?}/{method:?}"), dist, &xs);
        }
    }
}

#[test]
fn normal_scores_map_monotonically_onto_the_support() {
    let grid: Vec<f64> = (-400..=400).map(|i| f64::from(i) * 0.02).collect();
    for dist in all_kinds() {
        let d = drawer(&dist);
        let xs: Vec<f64> = grid.iter().map(|z| d.from_normal_score(*z)).collect();
        assert!(
            xs.windows(2).all(|w| w[0] <= w[1]),
            "{dist:?}: from_normal_score is not nondecreasing"
        );
        let (lo, hi) = dist.support();
        let (bottom, top) = (
            d.from_normal_score(f64::NEG_INFINITY),
            d.from_normal_score(f64::INFINITY),
        );
        assert!(lo <= bottom && top <= hi, "{dist:?}: [{bottom}, {top}]");
        // The ends are reached up to the accuracy of statrs 0.19's normal CDF and quantile
        // (about 1e-11 relative; statrs PR #412 improves it).
        let near = |x: f64, y: f64| (x - y).abs() <= 1e-9 * (1.0 + y.abs());
        if lo.is_finite() && !matches!(dist, Dist::Discrete { .. }) {
            assert!(
                near(bottom, lo),
                "{dist:?}: score -inf gives {bottom}, not the minimum"
            );
        }
        if hi.is_finite() && !matches!(dist, Dist::Discrete { .. }) {
            assert!(
                near(top, hi),
                "{dist:?}: score +inf gives {top}, not the maximum"
            );
        }
        assert!(d.from_normal_score(f64::NAN).is_nan());
    }
}

#[test]
fn normal_and_lognormal_scores_use_the_closed_forms() {
    let normal = drawer(&Dist::Normal {
        mean: 0.07,
        sd: 0.02,
    });
    let lognormal = drawer(&Dist::Lognormal {
        mu: 0.1,
        sigma: 0.3,
        shift: -1.0,
    });
    for z in [-2.0, -0.5, 0.0, 1.3] {
        assert_eq!(normal.from_normal_score(z), 0.07 + 0.02 * z);
        assert_eq!(lognormal.from_normal_score(z), -1.0 + (0.1 + 0.3 * z).exp());
    }
}

#[test]
fn symmetric_distributions_have_their_centre_at_score_zero() {
    for (dist, median) in [
        (
            Dist::TruncatedNormal {
                mean: 0.07,
                sd: 0.02,
                min: 0.03,
                max: 0.11,
            },
            0.07,
        ),
        (Dist::Uniform { min: 1.0, max: 3.0 }, 2.0),
        (
            Dist::Triangular {
                min: 0.0,
                mode: 1.0,
                max: 2.0,
            },
            1.0,
        ),
        (
            Dist::Pert {
                min: 0.0,
                mode: 1.0,
                max: 2.0,
            },
            1.0,
        ),
    ] {
        let got = drawer(&dist).from_normal_score(0.0);
        assert!((got - median).abs() < 1e-12, "{dist:?}: {got}");
    }
}

#[test]
fn truncated_normal_chooses_its_method_from_the_parameters() {
    let method = |mean, sd, min, max| {
        let d = drawer(&Dist::TruncatedNormal { mean, sd, min, max });
        let debug = format!("{d:?}");
        if debug.contains("Rejection") {
            "rejection"
        } else if debug.contains("InverseCdf") {
            "inverse"
        } else {
            panic!("no method in {debug}")
        }
    };
    assert_eq!(method(0.07, 0.02, 0.03, 0.11), "rejection");
    assert_eq!(method(0.0, 1.0, 0.0, 50.0), "rejection");
    assert_eq!(method(0.0, 1.0, -0.6745, 0.0), "rejection"); // mass 0.25
    assert_eq!(method(0.0, 1.0, -0.674, 0.0), "inverse"); // mass just under 0.25
    assert_eq!(method(0.0, 1.0, 2.5, 4.0), "inverse");
    assert_eq!(method(0.0, 1.0, -4.0, -2.5), "inverse");
}

#[test]
fn fixed_and_zero_width_distributions_consume_no_randomness() {
    let degenerate = [
        (Dist::Fixed { value: 2.5 }, 2.5),
        (Dist::Uniform { min: 1.0, max: 1.0 }, 1.0),
        (Dist::Normal { mean: 0.3, sd: 0.0 }, 0.3),
        (
            Dist::Lognormal {
                mu: 0.0,
                sigma: 0.0,
                shift: -1.0,
            },
            0.0,
        ),
        (
            Dist::Triangular {
                min: 4.0,
                mode: 4.0,
                max: 4.0,
            },
            4.0,
        ),
        (
            Dist::Discrete {
                values: vec![7.0, 7.0],
                probabilities: vec![0.5, 0.5],
            },
            7.0,
        ),
        (
            Dist::Discrete {
                values: vec![3.0, 9.0],
                probabilities: vec![0.0, 1.0],
            },
            9.0,
        ),
        (Dist::Bernoulli { p: 0.0 }, 0.0),
        (Dist::Bernoulli { p: 1.0 }, 1.0),
    ];
    for (dist, value) in degenerate {
        let d = drawer(&dist);
        assert!(d.is_fixed(), "{dist:?} should be fixed");
        let mut used = rng(9);
        let mut untouched = rng(9);
        for _ in 0..10 {
            assert_eq!(d.sample(&mut used), value, "{dist:?}");
        }
        assert_eq!(
            used.next_u64(),
            untouched.next_u64(),
            "{dist:?} consumed randomness"
        );
        for z in [-3.0, 0.0, 2.0] {
            assert_eq!(d.from_normal_score(z), value, "{dist:?}");
        }
    }
    for dist in all_kinds() {
        assert!(!drawer(&dist).is_fixed(), "{dist:?} should not be fixed");
    }
}

#[test]
fn invalid_parameters_are_reported_with_the_validation_message() {
    let bad = [
        Dist::Uniform { min: 2.0, max: 1.0 },
        Dist::Normal {
            mean: 0.0,
            sd: -1.0,
        },
        Dist::Lognormal {
            mu: f64::NAN,
            sigma: 0.1,
            shift: 0.0,
        },
        Dist::TruncatedNormal {
            mean: 0.0,
            sd: 1.0,
            min: 60.0,
            max: 61.0,
        },
        Dist::Pert {
            min: 1.0,
            mode: 0.5,
            max: 0.8,
        },
        Dist::Discrete {
            values: vec![1.0, 2.0],
            probabilities: vec![0.5, 0.6],
        },
        Dist::Bernoulli { p: -0.1 },
    ];
    for dist in bad {
        let message = dist.validate().unwrap_err();
        match Drawer::new(&dist) {
            Err(DrawError::InvalidParameters {
                dist: name,
                message: m,
            }) => {
                assert_eq!(name, dist.name());
                assert_eq!(m, message);
            }
            other => panic!("{dist:?}: expected InvalidParameters, got {other:?}"),
        }
    }
}

#[test]
fn discrete_never_draws_a_value_of_probability_zero() {
    let d = drawer(&discrete_example());
    let mut rng = rng(600);
    assert!((0..50_000).all(|_| d.sample(&mut rng) != 100.0));
    assert!(
        (-800..=800)
            .map(|i| d.from_normal_score(f64::from(i) * 0.01))
            .all(|x| x != 100.0)
    );
}

#[test]
fn drawer_works_behind_a_dyn_generator() {
    let d = drawer(&Dist::Normal { mean: 0.0, sd: 1.0 });
    let mut concrete = rng(700);
    let dynamic: &mut dyn Rng = &mut concrete;
    assert!(d.sample(dynamic).is_finite());
}

/// Draws `n` paths of a yearly input with parameter uncertainty from `growth` (a TOML value
/// for `demand.growth` in the minimal scenario); returns each path's years 1..=5.
fn hyper_paths(growth: &str, n: usize) -> Vec<[f64; 5]> {
    use dsg_montecarlo::sampler::PathSampler;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/minimal.toml"
    ))
    .unwrap()
    .replace("growth = 0.12 ", &format!("growth = {growth} "));
    let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    let id = s.params().find("demand.growth").unwrap();
    let sampler = PathSampler::new(&s).unwrap();
    let mut scratch = sampler.scratch();
    let mut inputs = s.params().central_inputs();
    let mut r = rng(20_261_301);
    (0..n)
        .map(|_| {
            sampler.fill(&mut r, &mut scratch, &mut inputs, 0);
            std::array::from_fn(|t| inputs.year(id, t + 1))
        })
        .collect()
}

/// Parameter uncertainty (docs/model.md section 7): a normal whose mean is normal(m, s1), drawn
/// once per path, and sd s2 has the marginal normal(m, sqrt(s1^2 + s2^2)) in every year (KS), and
/// two years of one path have covariance s1^2 (they share the path's mean).
#[test]
#[cfg_attr(debug_assertions, ignore = "10^6 draws: run in release")]
fn parameter_uncertainty_marginal_is_normal_with_summed_variance() {
    let (m, s1, s2): (f64, f64, f64) = (0.1, 0.02, 0.03);
    let paths = hyper_paths(
        "{ dist = \"normal\", mean = { dist = \"normal\", mean = 0.1, sd = 0.02 }, sd = 0.03, per = \"year\" }",
        N / 5,
    );
    let total = (s1 * s1 + s2 * s2).sqrt();
    let normal = Normal::new(m, total).unwrap();
    for t in [0, 4] {
        let xs: Vec<f64> = paths.iter().map(|p| p[t]).collect();
        let d = ks_statistic(xs, &|x| normal.cdf(x));
        assert!(d < ks_critical(N / 5), "year {}: KS D = {d}", t + 1);
    }
    let n = paths.len() as f64;
    let (a, b): (Vec<f64>, Vec<f64>) = paths.iter().map(|p| (p[0], p[4])).unzip();
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov = a
        .iter()
        .zip(&b)
        .map(|(x, y)| (x - ma) * (y - mb))
        .sum::<f64>()
        / n;
    // se of a sample covariance ~ total^2 / sqrt(n).
    assert!(
        (cov - s1 * s1).abs() < 4.0 * total * total / n.sqrt(),
        "cov {cov}"
    );
}

/// A lognormal whose sigma is drawn once per path, with negative persistence: the log of 1 + g
/// has mean mu in every year, and (the location being fixed, the scale a common factor of both
/// years) the lag-one correlation within a path is phi.
#[test]
#[cfg_attr(debug_assertions, ignore = "10^6 draws: run in release")]
fn parameter_uncertainty_on_the_scale_keeps_the_mean_and_persistence() {
    let paths = hyper_paths(
        "{ dist = \"lognormal\", mu = 0.09, sigma = { dist = \"lognormal\", mu = -4.0, sigma = 0.3 }, shift = -1, per = \"year\", persistence = -0.5 }",
        N / 5,
    );
    let logs: Vec<[f64; 5]> = paths.iter().map(|p| p.map(|g| (1.0 + g).ln())).collect();
    let n = logs.len() as f64;
    let mean = logs.iter().map(|p| p[2]).sum::<f64>() / n;
    assert!((mean - 0.09).abs() < 4.0 * 0.03 / n.sqrt(), "mean {mean}");
    let (a, b): (Vec<f64>, Vec<f64>) = logs.iter().map(|p| (p[1] - 0.09, p[2] - 0.09)).unzip();
    let r = a.iter().zip(&b).map(|(x, y)| x * y).sum::<f64>()
        / (a.iter().map(|x| x * x).sum::<f64>() * b.iter().map(|y| y * y).sum::<f64>()).sqrt();
    assert!((r + 0.5).abs() < 0.01, "lag-one correlation {r}");
}
