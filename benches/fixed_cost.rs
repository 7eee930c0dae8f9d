//! Issue 16's per-run cost: the benchmark scenario run end to end through `Simulation` at 1,000
//! to 1,000,000 paths on two threads, so that the fixed cost of a run (set-up, the pilot, the
//! summary) and the step at the exact-quantile limit (`EXACT_LIMIT` = 1,024 paths exact; one more
//! through the histograms) show beside the per-path cost. A run of N paths should never take
//! longer than one of N + 1. Run with
//! `cargo bench --bench fixed_cost -- --warm-up-time 1 --measurement-time 3`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dsg::core::Scenario;
use dsg::montecarlo::aggregate::EXACT_LIMIT;
use dsg::montecarlo::{Settings, Simulation};

fn fixed_cost(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/benchmark.toml");
    let scenario = Scenario::load(path.as_ref()).unwrap();
    let mut group = c.benchmark_group("run_by_paths");
    group.sample_size(10);
    let limit = EXACT_LIMIT as u64;
    for paths in [
        1_000,
        limit,
        limit + 1,
        2_048,
        2_049,
        10_000,
        20_480,
        20_481,
        100_000,
        1_000_000,
    ] {
        group.throughput(Throughput::Elements(paths));
        group.bench_with_input(BenchmarkId::from_parameter(paths), &paths, |b, &paths| {
            let settings = Settings {
                paths,
                threads: Some(2),
                ..Settings::default()
            };
            b.iter(|| {
                // Set-up included: a run is what a user waits for.
                Simulation::new(&scenario).unwrap().run(&settings).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, fixed_cost);
criterion_main!(benches);
