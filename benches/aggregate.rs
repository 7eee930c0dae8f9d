//! The cost of aggregation alone, per value: a block of 256 paths of 310 metrics (the metrics the
//! benchmark scenario bins: 31 uncertain series x 10 years) with normally distributed values, as
//! the engine aggregates each block of a large run:
//! - `sums_only`: the sums of deviations behind means and standard errors;
//! - `bin_and_sum`: the same sums plus every value counted into its metric's histogram.
//!
//! The difference is the price of quantiles: one scattered increment per value, which does not
//! vectorise. Throughput is in values (elements): divide by 310 for paths.
//!
//! `exact_quantiles`: the seven reported quantiles of one metric's stored values in a small run
//! (1,024 paths, the exact-quantile limit, and 20,480, the limit before issue 16), by selection
//! (`selected_quantiles`, used before issue 16) and through a histogram of the values
//! (`exact_quantiles`, used now); both give the same bits.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dsg::montecarlo::aggregate::{
    BLOCK, Block, ExactScratch, Histograms, Moments, QUANTILES, Ranges, Rows, exact_quantiles,
    selected_quantiles,
};
use dsg::montecarlo::stream::path_rng;
use rand_distr::{Distribution, Normal};

/// Uncertain metrics of the benchmark scenario (31 series x 10 years).
const METRICS: usize = 310;

/// `paths` values of every metric: metric `m` is Normal(m, 1 + m / 100), so that each metric has
/// its own range.
struct Synthetic {
    values: Vec<Vec<f64>>,
}

impl Synthetic {
    fn new(paths: usize, seed: u64) -> Self {
        let values = (0..METRICS)
            .map(|m| {
                let d = Normal::new(m as f64, 1.0 + m as f64 / 100.0).unwrap();
                let mut rng = path_rng(seed, m as u64);
                (0..paths).map(|_| d.sample(&mut rng)).collect()
            })
            .collect();
        Synthetic { values }
    }
}

impl Rows for Synthetic {
    fn metrics(&self) -> usize {
        METRICS
    }

    fn metric(&self, m: usize) -> &[f64] {
        &self.values[m]
    }
}

fn aggregate(c: &mut Criterion) {
    // Ranges from a pilot of 20 blocks, as a large run sets them.
    let pilot: Vec<Block> = (0..20)
        .map(|i| Block::copy_of(&Synthetic::new(BLOCK, 100 + i)))
        .collect();
    let ranges = Ranges::from_blocks(pilot.iter(), METRICS);
    let block = Synthetic::new(BLOCK, 1);
    let reference: Vec<f64> = (0..METRICS).map(|m| m as f64).collect();
    let mut moments = Moments::new(METRICS);
    let mut histograms = Histograms::new(METRICS);
    histograms.see_pilot(&ranges);

    let mut group = c.benchmark_group("aggregate");
    group.sample_size(50);
    group.throughput(Throughput::Elements((METRICS * BLOCK) as u64));
    group.bench_function("sums_only_310_metrics_x_256_paths", |b| {
        b.iter(|| {
            moments.add(&block, &reference);
            black_box(&moments);
        })
    });
    group.bench_function("bin_and_sum_310_metrics_x_256_paths", |b| {
        b.iter(|| {
            histograms.add_block(&block, &ranges, Some((&mut moments, &reference)));
            black_box(&histograms);
        })
    });
    group.finish();

    let mut group = c.benchmark_group("exact_quantiles");
    for n in [1_024usize, 20_480] {
        let values = Synthetic::new(n, 7).values.swap_remove(42);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("selection_{n}"), |b| {
            let mut copy = values.clone();
            b.iter(|| {
                copy.copy_from_slice(&values);
                black_box(selected_quantiles(&mut copy, &QUANTILES))
            })
        });
        group.bench_function(format!("histogram_{n}"), |b| {
            let mut scratch = ExactScratch::default();
            b.iter(|| black_box(exact_quantiles(&values, &QUANTILES, &mut scratch)))
        });
    }
    group.finish();
}

criterion_group!(benches, aggregate);
criterion_main!(benches);
