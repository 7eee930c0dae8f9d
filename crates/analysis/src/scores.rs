//! Scores of probabilistic forecasts against what happened (docs/model.md section 12): interval
//! coverage, the PIT value, the CRPS from samples, the DfE accuracy and skill against a
//! benchmark. Every function takes the forecast's samples sorted in increasing order.

/// The CRPS of a sample forecast at `y`: E|X - y| - E|X - X'| / 2 over the empirical
/// distribution of `sorted`, by the O(n) formula on sorted samples
/// (E|X - X'| / 2 = sum_i (2i - n - 1) x_(i) / n^2, i = 1..n). 0 for no samples.
///
/// ```
/// use dsg_analysis::scores::crps_sorted;
/// assert_eq!(crps_sorted(&[3.0], 5.0), 2.0); // a point forecast: the absolute error
/// assert!((crps_sorted(&[0.0, 1.0], 0.5) - 0.25).abs() < 1e-12);
/// ```
pub fn crps_sorted(sorted: &[f64], y: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    let nf = n as f64;
    let mut abs_error = 0.0;
    let mut spread = 0.0;
    for (i, x) in sorted.iter().enumerate() {
        abs_error += (x - y).abs();
        spread += (2.0 * (i + 1) as f64 - nf - 1.0) * x;
    }
    abs_error / nf - spread / (nf * nf)
}

/// The PIT value F(y): the share of samples at most `y` (ties counted half, so a point forecast
/// equal to the outcome gives 0.5).
///
/// ```
/// use dsg_analysis::scores::pit_sorted;
/// assert_eq!(pit_sorted(&[1.0, 2.0, 3.0, 4.0], 2.5), 0.5);
/// ```
pub fn pit_sorted(sorted: &[f64], y: f64) -> f64 {
    if sorted.is_empty() {
        return 0.5;
    }
    let below = sorted.partition_point(|x| *x < y);
    let at_most = sorted.partition_point(|x| *x <= y);
    (below + at_most) as f64 / 2.0 / sorted.len() as f64
}

/// The `p` quantile of sorted samples (linear interpolation between order statistics).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    dsg_data::history::sorted_quantile(sorted, p)
}

/// Whether `y` lies in the central `level` interval (e.g. 0.8: from the 10% to the 90% quantile).
///
/// ```
/// use dsg_analysis::scores::covers;
/// let s: Vec<f64> = (0..=100).map(f64::from).collect();
/// assert!(covers(&s, 0.8, 50.0) && !covers(&s, 0.8, 95.0));
/// ```
pub fn covers(sorted: &[f64], level: f64, y: f64) -> bool {
    let lo = quantile_sorted(sorted, (1.0 - level) / 2.0);
    let hi = quantile_sorted(sorted, (1.0 + level) / 2.0);
    lo <= y && y <= hi
}

/// The DfE's accuracy measure of a forecast: 1 - |median - y| / y.
///
/// ```
/// assert!((dsg_analysis::scores::dfe_accuracy(110.0, 100.0) - 0.9).abs() < 1e-12);
/// ```
pub fn dfe_accuracy(median: f64, y: f64) -> f64 {
    1.0 - (median - y).abs() / y
}

/// Skill against a benchmark: 1 - score / benchmark score (positive = better than the
/// benchmark); 0 when both are 0, and NaN-free: a zero benchmark score with a positive model
/// score gives -1e300 clipped to -1e9.
///
/// ```
/// assert_eq!(dsg_analysis::scores::skill(1.0, 4.0), 0.75);
/// ```
pub fn skill(score: f64, benchmark: f64) -> f64 {
    if benchmark > 0.0 {
        (1.0 - score / benchmark).max(-1e9)
    } else if score > 0.0 {
        -1e9
    } else {
        0.0
    }
}

/// Counts of PIT values in `bins` equal bins of [0, 1] (a value of 1 goes in the last bin).
///
/// ```
/// assert_eq!(dsg_analysis::scores::pit_histogram(&[0.05, 0.5, 0.95, 1.0], 2), vec![1, 3]);
/// ```
pub fn pit_histogram(pits: &[f64], bins: usize) -> Vec<usize> {
    let mut counts = vec![0; bins.max(1)];
    for p in pits {
        let i = ((p.clamp(0.0, 1.0) * bins as f64) as usize).min(bins.saturating_sub(1));
        counts[i] += 1;
    }
    counts
}

/// The Kolmogorov-Smirnov statistic of `values` against the uniform distribution on [0, 1]:
/// the largest distance between their empirical CDF and the diagonal.
///
/// ```
/// let d = dsg_analysis::scores::ks_uniform(&[0.25, 0.75]);
/// assert!((d - 0.25).abs() < 1e-12);
/// ```
pub fn ks_uniform(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len() as f64;
    v.iter()
        .enumerate()
        .map(|(i, x)| (x - i as f64 / n).abs().max(((i + 1) as f64 / n - x).abs()))
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, StandardNormal};
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn normals(n: usize, rng: &mut Xoshiro256PlusPlus) -> Vec<f64> {
        let mut v: Vec<f64> = (0..n).map(|_| StandardNormal.sample(rng)).collect();
        v.sort_by(f64::total_cmp);
        v
    }

    #[test]
    fn crps_of_a_point_forecast_is_the_absolute_error() {
        for (x, y) in [(3.0, 5.0), (5.0, 3.0), (-1.5, 2.0), (7.0, 7.0)] {
            assert_eq!(crps_sorted(&[x], y), (x - y).abs());
            assert!((crps_sorted(&[x; 10], y) - (x - y).abs()).abs() < 1e-12);
        }
    }

    #[test]
    fn crps_of_a_normal_matches_the_closed_form() {
        // CRPS(N(0,1), 0) = 2 phi(0) - 1/sqrt(pi) = 0.2336949...
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let s = normals(200_000, &mut rng);
        let exact = 2.0 / (2.0 * std::f64::consts::PI).sqrt() - 1.0 / std::f64::consts::PI.sqrt();
        assert!((crps_sorted(&s, 0.0) - exact).abs() < 0.003);
    }

    #[test]
    fn pit_of_the_true_distribution_is_uniform_and_coverage_is_binomial() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(dsg_montecarlo::stream::DEFAULT_SEED);
        let cases = 2_000;
        let mut pits = Vec::with_capacity(cases);
        let mut covered = [0usize; 3];
        for _ in 0..cases {
            let sample = normals(1_000, &mut rng);
            let y: f64 = StandardNormal.sample(&mut rng);
            pits.push(pit_sorted(&sample, y));
            for (c, level) in covered.iter_mut().zip([0.5, 0.8, 0.9]) {
                *c += usize::from(covers(&sample, level, y));
            }
        }
        // KS critical value at the 1% level: 1.63 / sqrt(n).
        let d = ks_uniform(&pits);
        assert!(d < 1.63 / (cases as f64).sqrt(), "KS {d}");
        for (c, level) in covered.iter().zip([0.5, 0.8, 0.9]) {
            let rate = *c as f64 / cases as f64;
            let se = (level * (1.0 - level) / cases as f64).sqrt();
            assert!((rate - level).abs() < 3.0 * se, "{level}: {rate}");
        }
    }

    #[test]
    fn histogram_skill_and_accuracy() {
        assert_eq!(
            pit_histogram(&[0.0, 0.09, 0.1, 0.99], 10),
            vec![2, 1, 0, 0, 0, 0, 0, 0, 0, 1]
        );
        assert_eq!(skill(0.0, 0.0), 0.0);
        assert!(skill(1.0, 0.0).is_finite());
        assert_eq!(dfe_accuracy(100.0, 100.0), 1.0);
    }
}
