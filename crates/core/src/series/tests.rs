//! The table of series and the keys of reported series: indices, names and labels.

use super::*;

/// Provision and mitigation names for the tests.
struct Both;

impl Names for Both {
    fn provision(&self, p: usize) -> Option<(&str, &str)> {
        [("special", "Special schools"), ("mainstream", "Mainstream")]
            .get(p)
            .copied()
    }

    fn mitigation(&self, i: usize) -> Option<&str> {
        ["early_help", "v2.impact.plan"].get(i).copied()
    }
}

#[test]
fn the_index_is_the_place_in_the_table() {
    for provisions in [0, 1, 3] {
        let all = Series::in_index_order(provisions);
        assert_eq!(all.len(), Series::count(provisions));
        for (k, s) in all.iter().enumerate() {
            assert_eq!(s.index(provisions), k, "{s:?}");
            let p = s.provision().unwrap_or(0);
            assert_eq!(
                s.row().series.with_provision(p),
                *s,
                "{s:?} has another row"
            );
        }
    }
    for (k, row) in FIXED.iter().enumerate() {
        assert_eq!(row.series.index(5), k, "{row:?}");
        assert_eq!(row.series.row(), row);
    }
    assert_eq!(FIXED.len(), 36);
    for (k, s) in CHILDREN.iter().enumerate() {
        assert_eq!(s.index(0), 21 + k, "{s:?}");
    }
    // The caseloads by age band come after every earlier series, youngest first.
    for (k, s) in BY_AGE.iter().enumerate() {
        assert_eq!(s.index(0), 31 + k, "{s:?}");
        assert!(s.is_by_age() && !s.is_children());
    }
}

#[test]
fn every_series_has_a_unique_name_and_a_label() {
    let all = Series::all(&["special", "mainstream"]);
    assert_eq!(all.len(), Series::count(2));
    for (i, (s, name)) in all.iter().enumerate() {
        assert!(
            all[..i].iter().all(|(t, n)| t != s && n != name),
            "{name} twice"
        );
        assert!(!s.label(&Both).is_empty() && !s.short_label(&Both).is_empty());
        assert!(!s.label(&Both).contains('.'), "{name} has no label");
    }
    for row in FIXED.iter().chain(&PER_PROVISION) {
        assert!(!row.label.is_empty() && !row.short.is_empty(), "{row:?}");
    }
}

#[test]
fn names_and_keys_round_trip() {
    let mut keys = Vec::new();
    for s in Series::in_index_order(2) {
        keys.push(SeriesKey::mitigated(s));
        keys.push(SeriesKey::unmitigated(s));
        for i in 0..2 {
            keys.push(SeriesKey {
                series: s,
                variant: Variant::Impact(i),
            });
        }
    }
    let mut names = Vec::new();
    for key in keys {
        let Some(name) = key.name(&Both) else {
            panic!("{key:?} has no name")
        };
        assert_eq!(SeriesKey::parse(&name, &Both), Some(key), "{name}");
        assert!(!names.contains(&name), "{name} twice");
        names.push(name);
    }
    assert!(SeriesKey::parse("balance.nothing", &Both).is_none());
    assert!(SeriesKey::parse("mitigation.absent.impact", &Both).is_none());
    assert!(SeriesKey::parse("unmitigated.caseload.absent", &Both).is_none());
    assert!(SeriesKey::parse("mitigation.early_help.impact.balance.cumulative", &Both).is_none());
    assert_eq!(SeriesKey::impact(7).name(&Both), None);
    assert_eq!(Series::Spend(2).name(&Both), None);
}

#[test]
fn names_and_labels_are_those_of_summary_json() {
    let name = |k: SeriesKey| k.name(&Both).unwrap_or_default();
    assert_eq!(
        name(SeriesKey::mitigated(Series::Cumulative)),
        "balance.cumulative"
    );
    assert_eq!(
        name(SeriesKey::unmitigated(Series::SpendTotal)),
        "unmitigated.spend.total"
    );
    assert_eq!(name(SeriesKey::impact(0)), "mitigation.early_help.impact");
    assert_eq!(
        name(SeriesKey::impact(1)),
        "mitigation.v2.impact.plan.impact"
    );
    assert_eq!(
        name(SeriesKey::mitigated(Series::UnitCost(1))),
        "unit_cost.mainstream"
    );
    assert_eq!(
        SeriesKey::unmitigated(Series::Spend(0)).label(&Both),
        "Spend: Special schools without mitigations"
    );
    assert_eq!(
        SeriesKey::impact(0).label(&Both),
        "Mitigation `early_help`: effect on the cumulative balance"
    );
    assert_eq!(Series::CaseloadTotal.unit(), Unit::Plans);
    assert_eq!(Series::UnitCost(0).unit(), Unit::PoundsPerPlan);
    assert_eq!(Series::Headroom.kind(), Kind::Level);
}

#[test]
fn a_provisions_caseload_by_age_band_has_its_own_name() {
    let s = Series::CaseloadByAge(1, 2);
    assert_eq!(
        s.name(&Both).as_deref(),
        Some("caseload.age.11_15.mainstream")
    );
    assert_eq!(
        Series::parse("caseload.age.11_15.mainstream", &Both),
        Some(s)
    );
    assert_eq!(
        s.label(&Both),
        "Plans of children aged 11 to 15: Mainstream"
    );
    assert_eq!(s.unit(), Unit::Plans);
    assert!(s.is_by_age() && s.provision() == Some(1));
    // Its index follows the unit costs: band by band, provision by provision.
    assert_eq!(s.index(2), FIXED.len() + 3 * 2 + 2 * 2 + 1);
    // A provision whose name would read as another's band is refused.
    assert!(Series::clashes_with_provision("age.11_15.special"));
    assert!(Series::clashes_with_provision("age.under_5"));
    assert!(!Series::clashes_with_provision("age_group"));
}
