//! Issue 11's benchmark: the whole decision pack for the county scenario at 100,000 paths (the
//! main run with sensitivity and drivers, a goal seek and the scenario's options), each part and
//! one plain run, side by side in one group so that the pack can be read as a multiple of the
//! plain run. Run with `cargo bench --bench decision -- --warm-up-time 1 --measurement-time 5`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use dsg::analysis::goal::{GoalSeek, Lever, Target};
use dsg::core::{Scenario, Series, SeriesKey};
use dsg::montecarlo::{RECORD_PATHS, Record, Settings, Simulation};

const PATHS: u64 = 100_000;

fn county() -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/cambridgeshire.toml");
    Scenario::load(path.as_ref()).unwrap()
}

fn decision(c: &mut Criterion) {
    let s = county();
    let settings = Settings {
        paths: PATHS,
        ..Settings::default()
    };
    let key = SeriesKey::mitigated(Series::Cumulative);
    let record = Record {
        outcomes: vec![(key, s.override_ends()), (key, s.year(s.horizon()))],
        max_paths: RECORD_PATHS,
    };
    let target = Target::parse("balance.cumulative >= -150m in 2028-29", &s).unwrap();
    let lever = Lever::Savings { from: s.year(1) };
    let mut group = c.benchmark_group("decision_pack_county_100k");
    group.sample_size(10);
    group.bench_function("plain_run", |b| {
        let sim = Simulation::new(&s).unwrap();
        b.iter(|| sim.run(&settings).unwrap())
    });
    group.bench_function("run_with_sensitivity_and_drivers", |b| {
        let sim = Simulation::new(&s).unwrap().record(&record).unwrap();
        b.iter(|| {
            let (_, paths) = sim.run_with_paths(&settings).unwrap();
            let result = dsg::analysis::sensitivity(&paths, &s).unwrap();
            dsg::analysis::drivers_sentence(&result[0])
        })
    });
    let seek = GoalSeek::new(lever, target).settings(settings.clone());
    group.bench_function("goal_seek", |b| {
        b.iter(|| dsg::analysis::goal_seek(&s, &seek).unwrap())
    });
    group.bench_function("options", |b| {
        b.iter(|| dsg::analysis::compare_options(&s, &settings).unwrap())
    });
    group.finish();
}

criterion_group!(benches, decision);
criterion_main!(benches);
