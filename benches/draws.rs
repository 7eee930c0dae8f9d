//! The floor: the random draws alone. The sampler fills the inputs of 100,000 paths of the
//! benchmark scenario (31 draws a path: correlated AR(1) demand growth and inflation, truncated
//! normal funding growth each year, PERT delivery), each path from its own stream, into a block of
//! lanes as the engine does, without projecting or aggregating. For reference, the same streams
//! giving 31 standard normals a path, and the pieces of a path's draws one at a time (seeding its
//! stream; its 20 normal scores; its 10 truncated-normal funding growths; its PERT delivery), each
//! including the seeding. Throughput is in paths (elements).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dsg::core::{Dist, Scenario};
use dsg::montecarlo::aggregate::BLOCK;
use dsg::montecarlo::draw::Drawer;
use dsg::montecarlo::sampler::PathSampler;
use dsg::montecarlo::stream::path_rng;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

const PATHS: u64 = 100_000;

fn draws(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/benchmark.toml");
    let scenario = Scenario::load(path.as_ref()).unwrap();
    let sampler = PathSampler::new(&scenario).unwrap();
    let mut scratch = sampler.scratch();
    let mut inputs = scenario.params().central_inputs().with_lanes(BLOCK);
    let mut group = c.benchmark_group("draws");
    group.sample_size(20);
    group.throughput(Throughput::Elements(PATHS));
    group.bench_function("sampler_fill_100k_paths", |b| {
        b.iter(|| {
            for k in 0..PATHS {
                let mut rng = path_rng(1, k);
                sampler.fill(&mut rng, &mut scratch, &mut inputs, k as usize % BLOCK);
            }
            black_box(inputs.slot(0)[0])
        })
    });
    group.bench_function("reference_31_standard_normals_100k_paths", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for k in 0..PATHS {
                let mut rng = path_rng(1, k);
                for _ in 0..31 {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    sum += z;
                }
            }
            black_box(sum)
        })
    });
    group.finish();

    let mut parts = c.benchmark_group("draw_parts");
    parts.sample_size(20);
    parts.throughput(Throughput::Elements(PATHS));
    let funding = Drawer::new(&Dist::TruncatedNormal {
        mean: 0.07,
        sd: 0.02,
        min: 0.03,
        max: 0.11,
    })
    .unwrap();
    let delivery = Drawer::new(&Dist::Pert {
        min: 0.3,
        mode: 0.7,
        max: 1.0,
    })
    .unwrap();
    parts.bench_function("seeding_only", |b| {
        b.iter(|| {
            let mut x = 0u64;
            for k in 0..PATHS {
                x ^= path_rng(1, k).next_u64();
            }
            black_box(x)
        })
    });
    parts.bench_function("seeding_and_20_normals", |b| {
        b.iter(|| per_path(|rng| (0..20).map(|_| -> f64 { StandardNormal.sample(rng) }).sum()))
    });
    parts.bench_function("seeding_and_10_truncated_normals", |b| {
        b.iter(|| per_path(|rng| (0..10).map(|_| funding.sample(rng)).sum()))
    });
    parts.bench_function("seeding_and_1_pert", |b| {
        b.iter(|| per_path(|rng| delivery.sample(rng)))
    });
    parts.finish();
}

/// Sums `draw` over paths `0..PATHS`, each from its own stream.
fn per_path(mut draw: impl FnMut(&mut dsg::montecarlo::stream::PathRng) -> f64) -> f64 {
    let mut sum = 0.0;
    for k in 0..PATHS {
        let mut rng = path_rng(1, k);
        sum += draw(&mut rng);
    }
    black_box(sum)
}

criterion_group!(benches, draws);
criterion_main!(benches);
