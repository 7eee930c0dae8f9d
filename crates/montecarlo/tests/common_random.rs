//! Common random numbers across policy sets (issue 24, item 5): choosing a policy set or
//! overriding `[policy]` changes no draw of an input the policy does not act on. The shipped
//! county under the February 2026 rules has a write-off, central funding and a fixed 2026-27
//! funding growth; under the rules before it has none of them; yet its caseload, cost and
//! mitigation draws, path by path, and so its caseload quantiles, must be the same.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_core::Scenario;
use dsg_montecarlo::sampler::PathSampler;
use dsg_montecarlo::stream::path_rng;
use dsg_montecarlo::{Settings, Simulation, Summary};

fn county_text() -> String {
    let path = format!(
        "{}/../../scenarios/cambridgeshire.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

fn county() -> Scenario {
    Scenario::from_toml_str(&county_text(), "cambridgeshire.toml").unwrap()
}

/// The county with a `[policy]` override switching the national write-off and the reform at
/// phase transfer off (so their inputs are no longer created).
fn county_overridden() -> Scenario {
    let mut text = county_text();
    assert!(
        !text.contains("\n[policy]"),
        "the shipped county has no [policy] table"
    );
    text.push_str(
        "\n[policy]\nwrite_off = { share = 0, deficit_at_end_of = \"2025-26\", paid_in = \"2027-28\" }\n\
         reform = { from = \"2029-30\", probability = 0.0, delay_years = { min = 0.0, mode = 0.0, max = 0.0 }, \
         transfer_share = 0.0, ending_share = { min = 0.0, mode = 0.0, max = 0.0 }, \
         protected_share = { min = 0.0, mode = 0.0, max = 0.0 } }\n",
    );
    Scenario::from_toml_str(&text, "cambridgeshire-override.toml").unwrap()
}

/// Every drawn value of every input, by key, for paths `0..paths`: `[path][slot]`.
fn draws(s: &Scenario, paths: u64, seed: u64) -> Vec<(String, Vec<Vec<f64>>)> {
    let sampler = PathSampler::new(s).unwrap();
    let mut scratch = sampler.scratch();
    let mut inputs = s.params().central_inputs();
    let params = s.params();
    let mut out: Vec<(String, Vec<Vec<f64>>)> = params
        .specs()
        .iter()
        .map(|spec| (spec.key.clone(), Vec::new()))
        .collect();
    for k in 0..paths {
        sampler.fill(&mut path_rng(seed, k), &mut scratch, &mut inputs, 0);
        for (index, spec) in params.specs().iter().enumerate() {
            let offset = params.id(index).offset();
            let values = (0..spec.slots.len())
                .map(|i| inputs.slot(offset + i)[0])
                .collect();
            out[index].1.push(values);
        }
    }
    out
}

/// Asserts that every input `a` and `b` both have, with the same distributions, drew the same
/// values on every path; returns how many inputs were compared.
fn assert_shared_draws_equal(a: &Scenario, b: &Scenario) -> usize {
    let (da, db) = (draws(a, 64, 7), draws(b, 64, 7));
    let mut compared = 0;
    for (index, spec) in a.params().specs().iter().enumerate() {
        let Some(other) = b.params().find(&spec.key) else {
            continue;
        };
        let other_spec = &b.params().specs()[other.index()];
        if spec != other_spec || spec.is_fixed() {
            continue; // the policy acts on this input, or it draws nothing
        }
        assert_eq!(
            da[index].1,
            db[other.index()].1,
            "input `{}` drew differently",
            spec.key
        );
        compared += 1;
    }
    compared
}

#[test]
fn another_policy_set_redraws_no_shared_input() {
    let now = county();
    let before = now.with_policy(Some("england-2025")).unwrap();
    assert!(now.write_off().is_some() && before.write_off().is_none());
    assert!(now.central_funding().is_some() && before.central_funding().is_none());
    let compared = assert_shared_draws_equal(&now, &before);
    // Demand growth, inflation, the mitigations' deliveries, ...: the inputs both sets share.
    assert!(compared >= 3, "only {compared} shared uncertain inputs");
}

#[test]
fn a_policy_override_redraws_no_shared_input() {
    let now = county();
    let overridden = county_overridden();
    assert!(overridden.write_off().is_none() && overridden.reform().is_none());
    let compared = assert_shared_draws_equal(&now, &overridden);
    assert!(compared >= 3, "only {compared} shared uncertain inputs");
}

fn run(s: &Scenario) -> Summary {
    let settings = Settings {
        paths: 2_000,
        seed: 20_260_401,
        ..Default::default()
    };
    Simulation::new(s).unwrap().run(&settings).unwrap()
}

/// The policy does not act on caseload (the reform at phase transfer aside, which
/// `england-2026-06` adds: the comparison is under February 2026's set): its quantiles, every
/// year, are the same numbers.
#[test]
fn caseload_quantiles_are_the_same_under_either_policy_set() {
    let now = county().with_policy(Some("england-2026-02")).unwrap();
    let before = now.with_policy(Some("england-2025")).unwrap();
    let overridden = county_overridden();
    let (a, b, c) = (run(&now), run(&before), run(&overridden));
    let caseload = |s: &Summary| s.series["caseload.total"].clone();
    let (ya, yb, yc) = (caseload(&a), caseload(&b), caseload(&c));
    assert_eq!(ya.len(), now.horizon());
    for ((x, y), z) in ya.iter().zip(&yb).zip(&yc) {
        assert_eq!((x.mean, x.p5, x.p50, x.p95), (y.mean, y.p5, y.p50, y.p95));
        assert_eq!((x.mean, x.p5, x.p50, x.p95), (z.mean, z.p5, z.p50, z.p95));
    }
}
