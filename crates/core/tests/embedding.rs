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
    // A fixed value for an input the scenario correlates with another is taken (it was refused
    // before issue 24): a fixed number is not drawn, so its correlation goes with it.
    let fixed = s.with_input("demand.growth", 0.1).unwrap();
    assert!(fixed.correlations().is_empty());
    let id = fixed.params().find("demand.growth").unwrap();
    assert!(fixed.params().specs()[id.index()].is_fixed());
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

/// The county with its funding growth drawn afresh each year (its own draws its level once a
/// path, which cannot be correlated): a third yearly input to correlate.
fn county_with_yearly_funding() -> Scenario {
    county()
        .with_input(
            "funding.growth",
            NumInput::distribution(
                Dist::Normal {
                    mean: 0.07,
                    sd: 0.02,
                },
                Some(dsg_core::Per::Year),
                0.0,
            ),
        )
        .unwrap_or_else(|e| panic!("a yearly funding growth is valid: {e}"))
}

#[test]
fn a_correlated_input_can_be_changed() {
    // cambridgeshire.toml correlates demand.growth with cost.inflation (0.3). Add a second pair,
    // demand.growth with funding.growth (both drawn per year), to see which pairs go.
    let s = county_with_yearly_funding()
        .with_correlation("demand.growth", "funding.growth", -0.2)
        .unwrap();
    assert_eq!(s.correlations().pairs.len(), 2);

    // A new distribution for a correlated input keeps both correlations.
    let wider = s
        .with_input(
            "demand.growth",
            NumInput::distribution(
                Dist::Normal {
                    mean: 0.10,
                    sd: 0.03,
                },
                Some(dsg_core::Per::Year),
                0.5,
            ),
        )
        .unwrap();
    assert_eq!(wider.raw().correlations, s.raw().correlations);
    assert_eq!(wider.correlations().pairs.len(), 2);

    // A fixed number is not drawn: the correlations naming it go, the others stay.
    let fixed = s.with_input("cost.inflation", 0.025).unwrap();
    assert_eq!(fixed.raw().correlations.len(), 1);
    assert_eq!(
        fixed.raw().correlations[0].between,
        ["demand.growth", "funding.growth"]
    );
    assert_eq!(fixed.raw().correlations[0].rho, -0.2);
    let central = Forecast::central(&fixed);
    assert!(central.mitigated.get(Series::SpendTotal, 1) > 0.0);
    // Fixed in every year (a table of numbers) counts as fixed; the growth's other pair goes.
    let mut years = std::collections::BTreeMap::new();
    years.insert("other_years".to_string(), NumInput::Number(0.11));
    let tabled = s
        .with_input("demand.growth", NumInput::ByYear(years))
        .unwrap();
    assert!(tabled.correlations().is_empty());
    assert!(tabled.raw().correlations.is_empty());
}

#[test]
fn correlations_can_be_added_changed_and_removed() {
    let s = county_with_yearly_funding();
    let added = s
        .with_correlation("funding.growth", "demand.growth", 0.4)
        .unwrap();
    assert_eq!(added.correlations().pairs.len(), 2);
    assert_eq!(added.correlations().pairs[1].rho, 0.4);
    // The same pair in the other order replaces it.
    let changed = added
        .with_correlation("demand.growth", "funding.growth", -0.1)
        .unwrap();
    assert_eq!(changed.correlations().pairs.len(), 2);
    assert_eq!(changed.correlations().pairs[1].rho, -0.1);
    let removed = changed
        .without_correlation("funding.growth", "demand.growth")
        .unwrap();
    assert_eq!(removed, s);
    let none = removed
        .without_correlation("demand.growth", "cost.inflation")
        .unwrap();
    assert!(none.correlations().is_empty());
}

#[test]
fn a_correlation_breaking_the_rules_is_a_typed_error() {
    let s = county_with_yearly_funding();
    // A fixed number (the allocation) cannot be correlated.
    let err = s
        .with_correlation("demand.growth", "funding.allocation", 0.2)
        .unwrap_err();
    assert!(matches!(err, ScenarioError::Invalid { .. }));
    assert_eq!(problem_keys(&err), ["correlations[1].between"]);
    assert!(err.problems()[0].message.contains("fixed number"), "{err}");
    // Drawn per path (a mitigation's delivery) against per year (demand growth).
    let err = s
        .with_correlation("demand.growth", "mitigations[0].delivery", 0.2)
        .unwrap_err();
    assert_eq!(problem_keys(&err), ["correlations[1].between"]);
    assert!(err.problems()[0].message.contains("per path"), "{err}");
    // Out of range, and an input with itself.
    assert_eq!(
        problem_keys(
            &s.with_correlation("demand.growth", "funding.growth", -1.5)
                .unwrap_err()
        ),
        ["correlations[1].rho"]
    );
    assert!(
        s.with_correlation("demand.growth", "demand.growth", 0.5)
            .is_err()
    );
    // Together impossible: a with b and b with c strongly, a with c strongly against.
    let err = s
        .with_correlation("demand.growth", "funding.growth", 0.95)
        .and_then(|x| x.with_correlation("cost.inflation", "funding.growth", 0.95))
        .and_then(|x| x.with_correlation("demand.growth", "cost.inflation", -0.95))
        .unwrap_err();
    assert_eq!(problem_keys(&err), ["correlations"]);
    // Removing a pair that is not there.
    let err = s
        .without_correlation("demand.growth", "funding.growth")
        .unwrap_err();
    assert_eq!(problem_keys(&err), ["correlations"]);
}
