//! Children by age band (docs/model.md section 14): one open band is the aggregate model bit for
//! bit; ageing conserves children (a three-year example worked by hand, and a property); the
//! reform at phase transfer acts only on the children reaching a transfer age, only from its
//! first year; moves at a phase transfer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_core::series::BY_AGE;
use dsg_core::{Forecast, Projection, Scenario, Series};
use proptest::prelude::*;

fn county_text() -> String {
    let path = format!(
        "{}/../../scenarios/cambridgeshire.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

/// Every series of `s` in `a` and `b` has the same bits, every year.
fn assert_same_bits(s: &Scenario, a: &Projection, b: &Projection, what: &str) {
    for (series, name) in s.series() {
        let (x, y) = (a.series(series), b.series(series));
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(
            bits(&x),
            bits(&y),
            "{what}: {name} differs: {x:?} against {y:?}"
        );
    }
    assert_eq!(a.opening_caseload.to_bits(), b.opening_caseload.to_bits());
}

fn assert_same_forecast(s: &Scenario, a: &Forecast, b: &Forecast) {
    assert_same_bits(s, &a.mitigated, &b.mitigated, "mitigated");
    assert_same_bits(s, &a.unmitigated, &b.unmitigated, "unmitigated");
    for (i, (x, y)) in a.without_each.iter().zip(&b.without_each).enumerate() {
        assert_same_bits(s, x, y, &format!("without mitigation {i}"));
    }
}

/// The county (net growth, capacity overflow, mitigations, the assessment pipeline, the reform)
/// with one open band and no transfer: every series of every forecast, bit for bit, at the
/// central values and at other values of every input.
#[test]
fn one_open_band_is_the_aggregate_model_bit_for_bit() {
    let text = county_text();
    let aggregate = Scenario::from_toml_str(&text, "county.toml").unwrap();
    let aged = Scenario::from_toml_str(
        &format!("{text}\n[ages]\nbands = [\"0+\"]\n"),
        "county-ages.toml",
    )
    .unwrap();
    assert!(aged.ages().is_some() && aggregate.ages().is_none());
    assert!(aggregate.reform().is_some(), "the county has the reform");
    // No management-plan band series from one open band: the two report the same series.
    assert_eq!(aged.series(), aggregate.series());
    assert_same_forecast(
        &aggregate,
        &Forecast::central(&aggregate),
        &Forecast::central(&aged),
    );
    // One closed band is not the aggregate model: a twenty-sixth of the plans ages out each year.
    let closed = Scenario::from_toml_str(
        &format!("{text}\n[ages]\nbands = [\"0-25\"]\n"),
        "county-closed.toml",
    )
    .unwrap();
    let (a, c) = (
        Forecast::central(&aggregate).unmitigated,
        Forecast::central(&closed).unmitigated,
    );
    assert!(c.get(Series::CaseloadTotal, 1) < a.get(Series::CaseloadTotal, 1));
    // Every input at the top of its range instead: other growths, overflows, the reform ahead.
    let mut high = aggregate.params().central_inputs();
    for (index, spec) in aggregate.params().specs().iter().enumerate() {
        let offset = aggregate.params().id(index).offset();
        for (i, slot) in spec.slots.iter().enumerate() {
            if let dsg_core::Slot::Own(d) = slot {
                let (lo, hi) = d.support();
                let v = if hi.is_finite() {
                    hi
                } else {
                    lo.max(0.0) + 1.0
                };
                high.set(offset + i, 0, v);
            }
        }
    }
    assert_same_forecast(
        &aggregate,
        &Forecast::with_inputs(&aggregate, &high),
        &Forecast::with_inputs(&aged, &high),
    );
}

/// A flow-model scenario (joiners, leavers, a mover) with and without one open band.
#[test]
fn one_open_band_is_the_flow_model_bit_for_bit() {
    let text = FLOWS.replace("AGES", "");
    let aggregate = Scenario::from_toml_str(&text, "flows.toml").unwrap();
    let aged = Scenario::from_toml_str(
        &FLOWS.replace("AGES", "[ages]\nbands = [\"0+\"]"),
        "flows-ages.toml",
    )
    .unwrap();
    assert_same_forecast(
        &aggregate,
        &Forecast::central(&aggregate),
        &Forecast::central(&aged),
    );
}

const FLOWS: &str = r#"
[scenario]
name = "Flows"
base_year = "2025-26"
horizon_years = 5
[demand.joiners]
opening = 130
growth = 0.04
[[provisions]]
name = "mainstream"
caseload = 700.3
unit_cost = 9000
model = "flows"
joiner_share = 0.7
leaver_rate = 0.07
[[provisions]]
name = "special"
caseload = 301.7
unit_cost = 25000
model = "flows"
joiner_share = 0.3
leaver_rate = 0.05
capacity = 320
overflow = "independent"
[[provisions]]
name = "independent"
caseload = 40
unit_cost = 60000
growth = 0.1
[[movers]]
from = "mainstream"
to = "special"
rate = 0.03
[funding]
allocation = 20000000
growth = 0.03
[dsg]
opening_balance = -1000000
[general_fund]
usable_reserves = 10000000
AGES
"#;

/// One flow-model provision of 1,000 plans in the five management-plan bands, 100 new plans a
/// year (half under 5, half 5-10), young people aged 16-19 leaving at 10% a year, nobody else.
const HAND: &str = r#"
[scenario]
name = "Ages by hand"
base_year = "2025-26"
horizon_years = 6
[demand.joiners]
opening = 100
growth = 0
[[provisions]]
name = "special"
caseload = 1000
unit_cost = 10000
model = "flows"
joiner_share = 1
leaver_rate = 0
[funding]
allocation = 10000000
growth = 0
[dsg]
opening_balance = 0
[general_fund]
usable_reserves = 10000000
[ages]
bands = ["0-4", "5-10", "11-15", "16-19", "20-25"]
joiners = [50, 50, 0, 0, 0]
[[ages.provisions]]
name = "special"
caseload = [100, 300, 300, 200, 100]
[[ages.leavers]]
provision = "special"
band = "16-19"
leaver_rate = 0.1
EXTRA
"#;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// Three years worked by hand. A band keeps `1 - 1/width` of its plans and takes `1/width` of
/// the band below (widths 5, 6, 5, 4, 6); 16-19 loses 10% of last year's; the top band loses a
/// sixth at 26.
///
/// Year 1 (2026-27), from 100, 300, 300, 200, 100:
/// - under 5:  100 - 100/5 + 50 new                    = 130
/// - 5-10:     300 - 300/6 + 100/5 + 50 new            = 320
/// - 11-15:    300 - 300/5 + 300/6                     = 290
/// - 16-19:    200 - 200/4 + 300/5 - 0.1 x 200         = 190
/// - 20-25:    100 - 100/6 + 200/4                     = 133.33...
/// - total 1,063.33... = 1,000 + 100 new - 20 leavers - 16.67 aged 26.
///
/// Year 2: 130 - 26 + 50 = 154; 320 - 53.33 + 26 + 50 = 342.67; 290 - 58 + 53.33 = 285.33;
/// 190 - 47.5 + 58 - 19 = 181.5; 133.33 - 22.22 + 47.5 = 158.61; total 1,122.11 = 1,063.33 +
/// 100 - 19 - 22.22.
///
/// Year 3: 154 - 30.8 + 50 = 173.2; 342.67 - 57.11 + 30.8 + 50 = 366.36; 285.33 - 57.07 +
/// 57.11 = 285.38; 181.5 - 45.38 + 57.07 - 18.15 = 175.04; 158.61 - 26.44 + 45.38 = 177.55;
/// total 1,177.53 = 1,122.11 + 100 - 18.15 - 26.44.
#[test]
fn ageing_three_years_by_hand() {
    let s = Scenario::from_toml_str(&HAND.replace("EXTRA", ""), "hand.toml").unwrap();
    let f = Forecast::central(&s).mitigated;
    let y1: [f64; 5] = [130.0, 320.0, 290.0, 190.0, 100.0 - 100.0 / 6.0 + 50.0];
    let y2: [f64; 5] = [
        130.0 - 26.0 + 50.0,
        320.0 - 320.0 / 6.0 + 26.0 + 50.0,
        290.0 - 58.0 + 320.0 / 6.0,
        190.0 - 47.5 + 58.0 - 19.0,
        y1[4] - y1[4] / 6.0 + 47.5,
    ];
    let y3: [f64; 5] = [
        y2[0] - y2[0] / 5.0 + 50.0,
        y2[1] - y2[1] / 6.0 + y2[0] / 5.0 + 50.0,
        y2[2] - y2[2] / 5.0 + y2[1] / 6.0,
        y2[3] - y2[3] / 4.0 + y2[2] / 5.0 - 0.1 * y2[3],
        y2[4] - y2[4] / 6.0 + y2[3] / 4.0,
    ];
    // The rounded figures of the comment.
    assert!((y3[0] - 173.2).abs() < 1e-9 && (y3[4] - 177.5509).abs() < 1e-4);
    let totals = [
        1000.0 + 100.0 - 20.0 - 100.0 / 6.0,
        1000.0 + 200.0 - 20.0 - 100.0 / 6.0 - 19.0 - y1[4] / 6.0,
        1000.0 + 300.0 - 20.0 - 100.0 / 6.0 - 19.0 - y1[4] / 6.0 - 18.15 - y2[4] / 6.0,
    ];
    for (t, (year, total)) in [y1, y2, y3].iter().zip(totals).enumerate() {
        let t = t + 1;
        for (k, &series) in BY_AGE.iter().enumerate() {
            assert!(
                close(f.get(series, t), year[k]),
                "year {t}, band {k}: {} against {}",
                f.get(series, t),
                year[k]
            );
        }
        assert!(close(f.get(Series::CaseloadTotal, t), total));
        assert!(close(year.iter().sum::<f64>(), total));
        assert!(close(f.get(Series::Caseload(0), t), total));
    }
}

/// The reform from 2029-30 (year 4): nothing changes before; in 2029-30 the plans of a quarter
/// (ending 50%, protected 50%) of the children who reached 5, 11 or 16 end, in those bands only.
#[test]
fn the_reform_acts_only_on_transfer_ages_from_2029_30() {
    let reform = "[reform]\nfrom = \"2029-30\"\nprobability = 1\ndelay_years = 0\ntransfer_share = 0.2\nending_share = 0.5\nprotected_share = 0.5";
    let with = Scenario::from_toml_str(&HAND.replace("EXTRA", reform), "with.toml").unwrap();
    let without = Scenario::from_toml_str(&HAND.replace("EXTRA", ""), "without.toml").unwrap();
    assert_eq!(
        with.year(with.reform().unwrap().from).to_string(),
        "2029-30"
    );
    let (a, b) = (
        Forecast::central(&with).mitigated,
        Forecast::central(&without).mitigated,
    );
    for t in 1..=3 {
        for series in BY_AGE.into_iter().chain([Series::CaseloadTotal]) {
            assert_eq!(a.get(series, t).to_bits(), b.get(series, t).to_bits());
        }
    }
    // 2029-30: the children who reached 5, 11 and 16 are those who left the band below, from
    // the 2028-29 figures (the same with and without the reform): a fifth of the under-5s, a
    // sixth of the 5-10s, a fifth of the 11-15s.
    let reached = [
        b.get(Series::CaseloadUnder5, 3) / 5.0,
        b.get(Series::Caseload5To10, 3) / 6.0,
        b.get(Series::Caseload11To15, 3) / 5.0,
    ];
    assert_eq!(
        a.get(Series::CaseloadUnder5, 4).to_bits(),
        b.get(Series::CaseloadUnder5, 4).to_bits()
    );
    assert_eq!(
        a.get(Series::Caseload20To25, 4).to_bits(),
        b.get(Series::Caseload20To25, 4).to_bits()
    );
    for (k, series) in [
        Series::Caseload5To10,
        Series::Caseload11To15,
        Series::Caseload16To19,
    ]
    .into_iter()
    .enumerate()
    {
        let ended = 0.25 * reached[k];
        assert!(close(b.get(series, 4) - a.get(series, 4), ended));
    }
    let ended: f64 = reached.iter().map(|r| 0.25 * r).sum();
    assert!(close(
        b.get(Series::CaseloadTotal, 4) - a.get(Series::CaseloadTotal, 4),
        ended
    ));
    // Without ages the same reform ends a share of every plan: 0.2 x 0.5 x 0.5 = 5%.
    let aggregate = |extra: &str| {
        let text = HAND.replace("EXTRA", extra);
        let text = text.split("[ages]").next().unwrap().to_string() + extra;
        Forecast::central(&Scenario::from_toml_str(&text, "agg.toml").unwrap()).mitigated
    };
    let (x, y) = (aggregate(reform), aggregate(""));
    assert!(close(
        x.get(Series::CaseloadTotal, 4),
        0.95 * (y.get(Series::CaseloadTotal, 4))
    ));
}

/// Half the children of mainstream who reach 11 move to special schools; in the first year
/// that is half of a sixth of mainstream's 5-10s.
#[test]
fn a_move_at_phase_transfer_takes_a_share_of_those_reaching_the_age() {
    let text = r#"
[scenario]
name = "Transfer"
base_year = "2025-26"
horizon_years = 3
[demand]
growth = 0
[[provisions]]
name = "mainstream"
caseload = 600
unit_cost = 8000
[[provisions]]
name = "special"
caseload = 400
unit_cost = 25000
[funding]
allocation = 10000000
growth = 0
[dsg]
opening_balance = 0
[general_fund]
usable_reserves = 10000000
[ages]
bands = ["0-4", "5-10", "11-15", "16-19", "20-25"]
[[ages.provisions]]
name = "mainstream"
caseload = [0, 600, 0, 0, 0]
[[ages.provisions]]
name = "special"
caseload = [0, 0, 400, 0, 0]
[[ages.transfers]]
from = "mainstream"
to = "special"
at = 11
rate = { dist = "pert", min = 0.4, mode = 0.5, max = 0.6 }
"#;
    let s = Scenario::from_toml_str(text, "transfer.toml").unwrap();
    let f = Forecast::central(&s).mitigated;
    // Mainstream 5-10: 600 - 100 aged 11, of whom 50 move: mainstream 550, special 400 - 80
    // (aged 16) + 50 = 370 in 11-15 and 80 in 16-19.
    assert!(close(f.get(Series::Caseload(0), 1), 550.0));
    assert!(close(f.get(Series::Caseload(1), 1), 450.0));
    assert!(close(f.get(Series::Caseload11To15, 1), 50.0 + 320.0 + 50.0));
    assert!(close(f.get(Series::Caseload16To19, 1), 80.0));
    // The rate is an input like any other, under its key path.
    assert!(
        s.params()
            .specs()
            .iter()
            .any(|p| p.key == "ages.transfers[0].rate")
    );
}

#[test]
fn ages_are_checked() {
    let bad = |ages: &str| {
        let text = HAND.replace("EXTRA", "");
        let text = text.split("[ages]").next().unwrap().to_string() + ages;
        Scenario::from_toml_str(&text, "bad.toml")
            .unwrap_err()
            .to_string()
    };
    let e = bad(
        "[ages]\nbands = [\"0-4\", \"6-25\"]\njoiners = [1, 1]\n[[ages.provisions]]\nname = \"special\"\ncaseload = [1, 1]",
    );
    assert!(
        e.contains("ages.bands[1]") && e.contains("start at age 5"),
        "{e}"
    );
    let e = bad("[ages]\nbands = [\"0-4\", \"5-25\"]\njoiners = [1, 1]");
    assert!(e.contains("opening caseload of `special`"), "{e}");
    let e = bad("[ages]\nbands = [\"0-4\", \"5-20\"]\njoiners = [1, 1]");
    assert!(e.contains("ends at 25"), "{e}");
    let e = bad(
        "[ages]\nbands = [\"0+\"]\n[[ages.transfers]]\nfrom = \"special\"\nto = \"special\"\nat = 11\nrate = 0.1",
    );
    assert!(e.contains("no band starts at age 11"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever the opening mix, new plans, leaving rates, moves and transfers, every year the
    /// bands add up to the total caseload, and the provisions too; each provision's bands add up to
    /// its caseload and each band's provisions to the band.
    #[test]
    fn bands_and_provisions_add_up_to_the_total(
        opening in proptest::collection::vec(0.0f64..500.0, 10),
        joiners in proptest::collection::vec(0.0f64..1.0, 5),
        leave in proptest::collection::vec(0.0f64..0.3, 5),
        transfer in 0.0f64..1.0,
        mover in 0.0f64..0.2,
        new in 0.0f64..400.0,
        capacity in 100.0f64..2000.0,
    ) {
        prop_assume!(opening[..5].iter().sum::<f64>() > 1.0 && opening[5..].iter().sum::<f64>() > 1.0);
        prop_assume!(joiners.iter().sum::<f64>() > 0.01);
        let list = |v: &[f64]| v.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", ");
        let mut text = FLOWS.replace("AGES", "").replace("rate = 0.03", &format!("rate = {mover:?}"))
            .replace("capacity = 320", &format!("capacity = {capacity:?}"))
            .replace("opening = 130", &format!("opening = {new:?}"));
        text.push_str(&format!(
            "[ages]\nbands = [\"0-4\", \"5-10\", \"11-15\", \"16-19\", \"20-25\"]\njoiners = [{}]\n\
             [[ages.provisions]]\nname = \"mainstream\"\ncaseload = [{}]\n\
             [[ages.provisions]]\nname = \"special\"\ncaseload = [{}]\n\
             [[ages.provisions]]\nname = \"independent\"\ncaseload = [1, 2, 3, 4, 5]\n\
             [[ages.transfers]]\nfrom = \"mainstream\"\nto = \"special\"\nat = 11\nrate = {transfer:?}\n",
            list(&joiners), list(&opening[..5]), list(&opening[5..])
        ));
        for (b, rate) in ["0-4", "5-10", "11-15", "16-19", "20-25"].iter().zip(&leave) {
            text.push_str(&format!("[[ages.leavers]]\nprovision = \"special\"\nband = \"{b}\"\nleaver_rate = {rate:?}\n"));
        }
        let s = Scenario::from_toml_str(&text, "prop.toml").unwrap();
        let f = Forecast::central(&s);
        for out in [&f.mitigated, &f.unmitigated] {
            for t in 1..=s.horizon() {
                let total = out.get(Series::CaseloadTotal, t);
                let bands: f64 = BY_AGE.iter().map(|&b| out.get(b, t)).sum();
                let provisions: f64 = (0..3).map(|p| out.get(Series::Caseload(p), t)).sum();
                prop_assert!((bands - total).abs() <= 1e-9 * total.max(1.0), "{bands} against {total}");
                prop_assert!((provisions - total).abs() <= 1e-9 * total.max(1.0));
                prop_assert!(BY_AGE.iter().all(|&b| out.get(b, t) >= 0.0));
                // The management plan's table: each provision's bands add up to its caseload,
                // and each band over the provisions to the band's series, exactly.
                for p in 0..3 {
                    let caseload = out.get(Series::Caseload(p), t);
                    let bands: f64 = (0..5).map(|k| out.get(Series::CaseloadByAge(p, k), t)).sum();
                    prop_assert!((bands - caseload).abs() <= 1e-9 * caseload.max(1.0), "{bands} against {caseload}");
                }
                for (k, &band) in BY_AGE.iter().enumerate() {
                    let sum = (0..3).fold(0.0, |sum, p| sum + out.get(Series::CaseloadByAge(p, k), t));
                    prop_assert_eq!(sum.to_bits(), out.get(band, t).to_bits());
                }
            }
        }
    }
}
