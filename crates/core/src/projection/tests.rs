//! Unit tests of the kernel: reused and partial projections against fresh ones, bit for bit.

#![allow(clippy::unwrap_used)]

use super::*;

/// A shipped scenario with every uncertain input moved off its central value in each lane.
fn perturbed(file: &str, lanes: usize) -> (Scenario, Inputs) {
    let path = format!("{}/../../scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
    let s = Scenario::load(path.as_ref()).unwrap();
    let mut x = s.params.central_inputs().with_lanes(lanes);
    let mut offset = 0;
    let mut state = 7u64;
    for spec in s.params.specs() {
        for (i, slot) in spec.slots.iter().enumerate() {
            if matches!(slot, crate::params::Slot::Own(_)) && !spec.is_fixed() {
                for lane in 0..lanes {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    let u = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                    let c = x.slot(offset + i)[lane];
                    x.set(offset + i, lane, c + u * c.abs().max(0.05));
                }
            }
        }
        offset += spec.slots.len();
    }
    let shared = s.params.shared_slots();
    for lane in 0..lanes {
        x.copy_shared(&shared, lane);
    }
    (s, x)
}

fn bits(p: &Projection, series: Series, t: usize) -> Vec<u64> {
    p.lanes_of(series, t).iter().map(|v| v.to_bits()).collect()
}

#[test]
fn reused_and_partial_projections_match_fresh_ones_bit_for_bit() {
    for file in [
        "benchmark.toml",
        "cambridgeshire.toml",
        "england.toml",
        "minimal.toml",
    ] {
        let lanes = 9;
        let (s, x) = perturbed(file, lanes);
        let n = s.mitigations.len();
        let mut sets = vec![MitigationSet::all(n), MitigationSet::none()];
        sets.extend((0..n).map(|i| MitigationSet::all(n).without(i)));
        let mut ws = Workspace::with_lanes(&s, lanes);
        let mut reused = Projection::with_lanes(&s, lanes);
        let some = [
            Series::SpendTotal,
            Series::InYear,
            Series::Caseload(0),
            Series::WriteOff,
        ];
        let mut partial = Projection::recording(&s, lanes, &some);
        for &set in sets.iter().chain(sets.iter().rev()) {
            let mut fresh = Projection::with_lanes(&s, lanes);
            project(
                &s,
                &x,
                set,
                &mut Workspace::with_lanes(&s, lanes),
                &mut fresh,
            );
            project(&s, &x, set, &mut ws, &mut reused);
            project(&s, &x, set, &mut ws, &mut partial);
            for (series, name) in s.series() {
                for t in 1..=s.horizon {
                    assert_eq!(
                        bits(&fresh, series, t),
                        bits(&reused, series, t),
                        "{file} {name} {t}"
                    );
                    if partial.records(series) {
                        assert_eq!(
                            bits(&fresh, series, t),
                            bits(&partial, series, t),
                            "{file} {name} {t}"
                        );
                    }
                }
            }
            assert_eq!(fresh, reused);
            assert_eq!(fresh.instalments_paid, partial.instalments_paid);
        }
    }
}

#[test]
#[should_panic(expected = "not recorded")]
fn reading_a_series_not_recorded_panics() {
    let (s, x) = perturbed("minimal.toml", 1);
    let mut p = Projection::recording(&s, 1, &[Series::SpendTotal]);
    project(
        &s,
        &x,
        MitigationSet::none(),
        &mut Workspace::new(&s),
        &mut p,
    );
    let _ = p.get(Series::InYear, 1);
}
