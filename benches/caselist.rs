//! Issue 14's speed: a synthetic case list of about 1,000,000 rows (the size of England's) read
//! from CSV, checked and summarised (baseline, flows, DfE tables), from bytes in memory so that
//! the disk does not count. Run with
//! `cargo bench --bench caselist -- --warm-up-time 1 --measurement-time 10`.
//! Peak memory of the whole command is measured with `/usr/bin/time -v dsg baseline ...`
//! (docs/case-list.md).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dsg::data::cases::generate::{Spec, Synthetic};
use dsg::data::cases::{Baseline, CaseList, Date, Mapping, dfe_tables};

fn caselist(c: &mut Criterion) {
    let as_at = Date::from_ymd(2026, 3, 31).unwrap();
    let mut group = c.benchmark_group("caselist_read_check_summarise");
    group.sample_size(10);
    for rows in [100_000usize, 1_052_000] {
        let s = Synthetic::generate(&Spec {
            rows,
            seed: 2,
            errors: 10,
            as_at,
            years: 6,
        });
        let mut csv = Vec::new();
        s.write_csv(&mut csv).unwrap();
        let map = Mapping::from_csv(s.mapping_csv().as_bytes(), "map.csv").unwrap();
        group.throughput(Throughput::Elements(s.rows() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(s.rows()), &csv, |b, csv| {
            b.iter(|| {
                let list = CaseList::from_csv(&csv[..], "cases.csv").unwrap();
                let base = Baseline::build(&list, &map, as_at, 3);
                let tables = dfe_tables::tables(&list, &base.quality, &map, as_at, 6);
                (base.rows, tables.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, caselist);
criterion_main!(benches);
