//! One `project` call on a block of lanes (`aggregate::BLOCK` paths of the benchmark scenario
//! side by side, inputs drawn as the engine draws them): the mitigated run keeping every series
//! the engine reports, the unmitigated run keeping the four it reports, and a projection keeping
//! every series. Throughput is in path-years (elements).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dsg::core::{MitigationSet, Projection, Scenario, Series, Workspace, project};
use dsg::montecarlo::aggregate::BLOCK;
use dsg::montecarlo::sampler::PathSampler;
use dsg::montecarlo::stream::path_rng;

fn projection(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/benchmark.toml");
    let s = Scenario::load(path.as_ref()).unwrap();
    let sampler = PathSampler::new(&s).unwrap();
    let mut scratch = sampler.scratch();
    let mut inputs = s.params().central_inputs().with_lanes(BLOCK);
    for lane in 0..BLOCK {
        let mut rng = path_rng(1, lane as u64);
        sampler.fill(&mut rng, &mut scratch, &mut inputs, lane);
    }
    let mut ws = Workspace::with_lanes(&s, BLOCK);
    let reported: Vec<Series> = s
        .series()
        .into_iter()
        .map(|(series, _)| series)
        .filter(|series| !matches!(series, Series::UnitCost(_)))
        .collect();
    let unmitigated = [
        Series::CaseloadTotal,
        Series::SpendTotal,
        Series::InYear,
        Series::Cumulative,
    ];
    let all = MitigationSet::all(s.mitigations().len());
    let runs = [
        (
            "mitigated",
            all,
            Projection::recording(&s, BLOCK, &reported),
        ),
        (
            "unmitigated",
            MitigationSet::none(),
            Projection::recording(&s, BLOCK, &unmitigated),
        ),
        ("every_series", all, Projection::with_lanes(&s, BLOCK)),
    ];
    let mut group = c.benchmark_group("project");
    group.throughput(Throughput::Elements((BLOCK * s.horizon()) as u64));
    for (name, set, mut out) in runs {
        group.bench_function(format!("{name}_{BLOCK}_lanes"), |b| {
            b.iter(|| {
                project(&s, &inputs, set, &mut ws, &mut out);
                black_box(out.lanes_of(Series::Cumulative, s.horizon())[0])
            })
        });
    }
    group.finish();
}

criterion_group!(benches, projection);
criterion_main!(benches);
