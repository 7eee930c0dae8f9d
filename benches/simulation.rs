//! Issue 3's benchmark: the benchmark scenario (`scenarios/benchmark.toml`) at 100,000 paths x 10
//! years through `Simulation::run`, simulation and aggregation together, on one thread and on
//! two. Throughput is in path-years (elements). Run with
//! `cargo bench --bench simulation -- --warm-up-time 1 --measurement-time 3`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dsg::core::Scenario;
use dsg::montecarlo::{Settings, Simulation};

const PATHS: u64 = 100_000;

fn benchmark_scenario() -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/benchmark.toml");
    Scenario::load(path.as_ref()).unwrap()
}

fn simulation(c: &mut Criterion) {
    let scenario = benchmark_scenario();
    let sim = Simulation::new(&scenario).unwrap();
    let mut group = c.benchmark_group("simulation");
    group.sample_size(10);
    group.throughput(Throughput::Elements(PATHS * scenario.horizon() as u64));
    for threads in [1, 2] {
        let settings = Settings {
            paths: PATHS,
            threads: Some(threads),
            ..Settings::default()
        };
        group.bench_function(format!("benchmark_100k_paths/{threads}_threads"), |b| {
            b.iter(|| sim.run(&settings).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, simulation);
criterion_main!(benches);
