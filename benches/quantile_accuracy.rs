//! How accurate the histogram quantiles of a large run are (issue 3): runs the benchmark scenario
//! through `Simulation::run` (1,000,000 paths by default), then simulates the same paths again
//! with the public pieces (each path's own stream, the sampler, `project` with and without the
//! mitigations), keeps the values of the checked series, sorts them and compares the exact
//! quantiles (numpy's linear method) with the run's. Each error is measured against the Monte
//! Carlo standard error of that quantile, estimated from the order statistics as
//! `(x[k + d] - x[k - d]) / 2` with `d = sqrt(n q (1 - q))` ranks (one binomial standard deviation).
//!
//! Not a criterion benchmark: `cargo bench --bench quantile_accuracy` prints a table and the worst
//! error. Environment: `DSG_ACCURACY_PATHS` (default 1000000), `DSG_ACCURACY_YEARS` (`all`, or a
//! comma-separated list of years 1..=H; default `1,2,5,10`), `DSG_ACCURACY_SEED` (default 1).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use dsg::core::{
    MitigationSet, Projection, Scenario, Series, SeriesKey, Variant, Workspace, project,
};
use dsg::montecarlo::aggregate::{BLOCK, QUANTILES, sorted_quantile};
use dsg::montecarlo::sampler::PathSampler;
use dsg::montecarlo::stream::path_rng;
use dsg::montecarlo::{Settings, Simulation};

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| default.to_string())
}

/// The values of `metrics` (series, year) for paths `0..paths`, one vector per metric.
fn exact_values(
    s: &Scenario,
    seed: u64,
    paths: u64,
    metrics: &[(SeriesKey, usize)],
) -> Vec<Vec<f64>> {
    let sampler = PathSampler::new(s).unwrap();
    let mut scratch = sampler.scratch();
    let mut inputs = s.params().central_inputs().with_lanes(BLOCK);
    let mut ws = Workspace::with_lanes(s, BLOCK);
    let mut with = Projection::with_lanes(s, BLOCK);
    let mut without = Projection::with_lanes(s, BLOCK);
    let n = s.mitigations().len();
    let mut out: Vec<Vec<f64>> = metrics
        .iter()
        .map(|_| Vec::with_capacity(paths as usize))
        .collect();
    let mut first = 0;
    while first < paths {
        let last = (first + BLOCK as u64).min(paths);
        let lanes = (last - first) as usize;
        for (lane, k) in (first..last).enumerate() {
            let mut rng = path_rng(seed, k);
            sampler.fill(&mut rng, &mut scratch, &mut inputs, lane);
        }
        project(s, &inputs, MitigationSet::all(n), &mut ws, &mut with);
        project(s, &inputs, MitigationSet::none(), &mut ws, &mut without);
        for (values, &(key, t)) in out.iter_mut().zip(metrics) {
            match key.variant {
                Variant::Mitigated => {
                    values.extend_from_slice(&with.lanes_of(key.series, t)[..lanes])
                }
                Variant::Unmitigated => {
                    values.extend_from_slice(&without.lanes_of(key.series, t)[..lanes])
                }
                Variant::Impact(i) => {
                    let cumulative =
                        |p: &Projection| p.lanes_of(Series::Cumulative, t)[..lanes].to_vec();
                    let off = if n == 1 {
                        cumulative(&without)
                    } else {
                        let mut p = Projection::with_lanes(s, BLOCK);
                        project(
                            s,
                            &inputs,
                            MitigationSet::all(n).without(i),
                            &mut ws,
                            &mut p,
                        );
                        cumulative(&p)
                    };
                    values.extend(cumulative(&with).iter().zip(off).map(|(a, b)| a - b));
                }
            }
        }
        first = last;
    }
    out
}

/// Monte Carlo standard error of quantile `q` of `sorted`, from the order statistics one binomial
/// standard deviation either side.
fn quantile_se(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len() as f64;
    let d = (n * q * (1.0 - q)).sqrt();
    let k = q * (n - 1.0);
    let at = |r: f64| sorted[(r.round().max(0.0) as usize).min(sorted.len() - 1)];
    (at(k + d) - at(k - d)) / 2.0
}

fn main() {
    let paths: u64 = env_or("DSG_ACCURACY_PATHS", "1000000").parse().unwrap();
    let seed: u64 = env_or("DSG_ACCURACY_SEED", "1").parse().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/benchmark.toml");
    let s = Scenario::load(path.as_ref()).unwrap();
    let h = s.horizon();
    let years: Vec<usize> = match env_or("DSG_ACCURACY_YEARS", "1,2,5,10").as_str() {
        "all" => (1..=h).collect(),
        list => list
            .split(',')
            .map(|y| y.trim().parse().unwrap())
            .filter(|&t| t >= 1 && t <= h)
            .collect(),
    };

    let started = std::time::Instant::now();
    let settings = Settings {
        paths,
        seed,
        threads: None,
        precision: None,
    };
    let summary = Simulation::new(&s).unwrap().run(&settings).unwrap();
    println!(
        "{paths} paths, seed {seed}: run in {:.2} s; method: {}",
        started.elapsed().as_secs_f64(),
        summary.run.quantile_method
    );

    // Every reported series, by name.
    let mut keys: Vec<SeriesKey> = Vec::new();
    for series in Series::in_index_order(s.provisions().len()) {
        keys.extend([SeriesKey::mitigated(series), SeriesKey::unmitigated(series)]);
    }
    keys.extend((0..s.mitigations().len()).map(SeriesKey::impact));
    let sources: Vec<(String, SeriesKey)> = keys
        .into_iter()
        .filter_map(|key| key.name(&s).map(|name| (name, key)))
        .filter(|(name, _)| summary.series.contains_key(name))
        .collect();
    let metrics: Vec<(String, SeriesKey, usize)> = sources
        .iter()
        .flat_map(|(name, source)| years.iter().map(move |&t| (name.clone(), *source, t)))
        .collect();

    println!(
        "{:<44} {:>4} {:>5} {:>16} {:>16} {:>12} {:>8}",
        "series", "year", "q", "exact", "histogram", "quantile se", "err/se"
    );
    let (mut worst, mut worst_at) = (0.0f64, String::new());
    let (mut checked, mut within_tenth, mut exact_discrete, mut discrete) = (0, 0, 0, 0);
    let mut worst_mean = 0.0f64;
    for group in metrics.chunks(24) {
        let wanted: Vec<(SeriesKey, usize)> =
            group.iter().map(|(_, source, t)| (*source, *t)).collect();
        let values = exact_values(&s, seed, paths, &wanted);
        for ((name, _, t), mut v) in group.iter().zip(values) {
            let stats = &summary.series[name][t - 1];
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            if stats.se > 0.0 {
                worst_mean = worst_mean.max((stats.mean - mean).abs() / stats.se);
            }
            v.sort_by(f64::total_cmp);
            for (q, approx) in QUANTILES.iter().zip(stats.quantiles()) {
                let exact = sorted_quantile(&v, *q);
                let se = quantile_se(&v, *q);
                let err = (approx - exact).abs();
                checked += 1;
                let ratio = if se > 0.0 {
                    err / se
                } else {
                    discrete += 1;
                    if err == 0.0 {
                        exact_discrete += 1;
                        0.0
                    } else {
                        f64::INFINITY
                    }
                };
                if ratio <= 0.1 {
                    within_tenth += 1;
                }
                if ratio > worst || worst_at.is_empty() {
                    worst = worst.max(ratio);
                    worst_at = format!(
                        "{name} year {t} q{q}: exact {exact:.6e}, histogram {approx:.6e}, se {se:.3e}"
                    );
                }
                if ratio > 0.05 || !ratio.is_finite() {
                    println!(
                        "{name:<44} {t:>4} {q:>5} {exact:>16.6e} {approx:>16.6e} {se:>12.3e} {ratio:>8.3}"
                    );
                }
            }
        }
    }
    println!("(rows shown: error above 0.05 standard errors)");
    println!(
        "{checked} quantiles checked; {within_tenth} within 0.1 standard errors; {discrete} where the \
         exact quantile sits on a point mass (se 0), {exact_discrete} of them exact"
    );
    println!("worst error: {worst:.4} standard errors ({worst_at})");
    println!("worst mean difference: {worst_mean:.2e} standard errors of the mean");
}
