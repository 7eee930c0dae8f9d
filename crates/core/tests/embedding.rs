//! The embedding API: a validated scenario changed in code is validated again, and every mistake
//! is a typed error naming the key.

use dsg_core::raw::NumInput;
use dsg_core::{Dist, Forecast, Scenario, ScenarioError, Series};

fn county() -> Scenario {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/cambridgeshire.toml"
    );
    Scenario::load(path.as_ref())
        .unwrap_or_else(|e| panic!("the shipped county scenario is valid: {e}"))
}

fn problem_keys(err: &ScenarioError) -> Vec<String> {
    err.problems().iter().map(|p| p.key.clone()).collect()
}

#[test]
fn a_changed_input_changes_the_projection_and_nothing_else() {
    let s = county();
    let more = s.with_input("funding.allocation", 200e6).unwrap();
    let h = s.horizon();
    let before = Forecast::central(&s).mitigated.get(Series::Allocation, 1);
    let after = Forecast::central(&more)
        .mitigated
        .get(Series::Allocation, 1);
    assert!(after > before, "{after} <= {before}");
    assert_eq!(more.horizon(), h);
    assert_eq!(more.provisions(), s.provisions());
    // Unchanged inputs are the same.
    let same = s.with_input("funding.allocation", s.raw().funding.allocation.clone());
    assert_eq!(same.unwrap(), s);
}

#[test]
fn an_input_not_in_the_file_can_be_given() {
    let s = county();
    assert!(s.raw().mitigations[2].slippage_years.is_none());
    let slipped = s.with_input("mitigations[2].slippage_years", 1.0).unwrap();
    assert_ne!(
        Forecast::central(&slipped).mitigated,
        Forecast::central(&s).mitigated
    );
}

#[test]
fn a_distribution_and_a_year_can_be_set() {
    let s = county();
    let uncertain = s
        .with_input(
            "demand.growth",
            Dist::Normal {
                mean: 0.12,
                sd: 0.02,
            },
        )
        .unwrap();
    let id = uncertain.params().find("demand.growth").unwrap();
    assert!(!uncertain.params().specs()[id.index()].is_fixed());
    let one_year = s
        .with_input(
            "funding.growth",
            NumInput::ByYear([("2027-28".to_string(), NumInput::Number(0.2))].into()),
        )
        .unwrap();
    let c = Forecast::central(&one_year).mitigated;
    let base = Forecast::central(&s).mitigated;
    // Years not listed take the default growth; 2027-28 grows by 20%.
    assert!(c.get(Series::Allocation, 2) > base.get(Series::Allocation, 2));
    let growth = c.get(Series::Allocation, 2) / c.get(Series::Allocation, 1) - 1.0;
    assert!((growth - 0.2).abs() < 1e-12, "{growth}");
    // A fixed value for an input the scenario correlates with another is refused.
    let err = s.with_input("demand.growth", 0.1).unwrap_err();
    assert_eq!(problem_keys(&err), ["correlations[0].between"]);
}

#[test]
fn mistakes_are_typed_errors_naming_the_key() {
    let s = county();
    let err = s.with_input("funding.allocation", -1.0).unwrap_err();
    assert_eq!(problem_keys(&err), ["funding.allocation"]);
    let err = s.with_input("funding.alocation", 1.0).unwrap_err();
    assert_eq!(problem_keys(&err), ["funding.alocation"]);
    let err = s.with_input("provisions[99].unit_cost", 1.0).unwrap_err();
    assert_eq!(problem_keys(&err), ["provisions[99].unit_cost"]);
    let err = s
        .with_input(
            "demand.growth",
            Dist::Pert {
                min: 0.2,
                mode: 0.1,
                max: 0.3,
            },
        )
        .unwrap_err();
    assert_eq!(problem_keys(&err), ["demand.growth"]);
    let err = s.with_input("scenario.horizon_years", 31.0).unwrap_err();
    assert!(matches!(err, ScenarioError::Invalid { .. }));
    assert!(err.to_string().contains("changed in code"), "{err}");
}
