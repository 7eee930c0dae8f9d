//! Hand-computed checks of each mechanism of the deterministic projection against docs/model.md.
//!
//! Every scenario is base year 2025-26, so projection year t is 2025-26 + t (t = 1 is 2026-27).
//! The expected numbers are worked out by hand in the comments; they are compared with
//! [`common::REL`] (relative 1e-12, absolute below 1).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{REL, assert_close, assert_series, central, check_identities, header, scenario};
use dsg_core::projection::ramp;
use dsg_core::{Forecast, MitigationSet, Projection, Series, Workspace, project};

/// Funding that stays at zero, a zero opening balance and no reserves: isolates the spend side.
const NO_MONEY: &str = r#"
[funding]
allocation = 0
growth = 0

[dsg]
opening_balance = 0

[general_fund]
usable_reserves = 0
"#;

// ---------------------------------------------------------------------------------------------
// Section 2: demand
// ---------------------------------------------------------------------------------------------

#[test]
fn net_growth_compounds_caseload_and_spend() {
    let text = format!(
        r#"{}
[demand]
growth = 0.10

[[provisions]]
name = "a"
caseload = 100
unit_cost = 1000
{NO_MONEY}"#,
        header(3)
    );
    let (_, f) = central(&text);
    let m = &f.mitigated;
    // 100 * 1.10 = 110; 110 * 1.10 = 121; 121 * 1.10 = 133.1
    assert_series(m, Series::Caseload(0), &[110.0, 121.0, 133.1], "caseload");
    assert_series(m, Series::CaseloadTotal, &[110.0, 121.0, 133.1], "total");
    // No inflation: spend = caseload * 1000.
    assert_series(m, Series::Spend(0), &[110e3, 121e3, 133.1e3], "spend");
    assert_series(m, Series::SpendTotal, &[110e3, 121e3, 133.1e3], "S");
    assert_eq!(m.opening_caseload, 100.0);
}

#[test]
fn defaults_are_twelve_percent_demand_and_seven_percent_funding() {
    let text = format!(
        r#"{}
[[provisions]]
name = "a"
caseload = 100
unit_cost = 10

[funding]
allocation = 1000

[dsg]
opening_balance = 0

[general_fund]
usable_reserves = 0
"#,
        header(2)
    );
    let (_, f) = central(&text);
    // 100 * 1.12 = 112; 112 * 1.12 = 125.44
    assert_series(&f.mitigated, Series::Caseload(0), &[112.0, 125.44], "N");
    // 1000 * 1.07 = 1070; 1070 * 1.07 = 1144.9
    assert_series(&f.mitigated, Series::Allocation, &[1070.0, 1144.9], "F");
}

#[test]
fn per_provision_growth_table_leaves_unlisted_years_to_the_scenario_wide_growth() {
    let text = format!(
        r#"{}
[demand]
growth = 0.10

[[provisions]]
name = "a"
caseload = 100
unit_cost = 1

[[provisions]]
name = "b"
caseload = 100
unit_cost = 1
growth = {{ "2027-28" = 0.0 }}

[[provisions]]
name = "c"
caseload = 100
unit_cost = 1
growth = {{ other_years = 0.05, "2026-27" = 0.20 }}
{NO_MONEY}"#,
        header(3)
    );
    let (_, f) = central(&text);
    let m = &f.mitigated;
    // a: the scenario-wide 10%: 110, 121, 133.1
    assert_series(m, Series::Caseload(0), &[110.0, 121.0, 133.1], "a");
    // b: 10% in 2026-27 (unlisted), 0% in 2027-28, 10% in 2028-29 (unlisted):
    // 100 * 1.1 = 110; 110 * 1.0 = 110; 110 * 1.1 = 121
    assert_series(m, Series::Caseload(1), &[110.0, 110.0, 121.0], "b");
    // c: 20% then its own other_years 5%: 120; 120 * 1.05 = 126; 126 * 1.05 = 132.3
    assert_series(m, Series::Caseload(2), &[120.0, 126.0, 132.3], "c");
}

#[test]
fn per_provision_override_shares_each_year_of_a_per_year_scenario_growth() {
    let text = format!(
        r#"{}
[demand]
growth = {{ other_years = 0.10, "2027-28" = 0.20 }}

[[provisions]]
name = "a"
caseload = 100
unit_cost = 1

[[provisions]]
name = "b"
caseload = 100
unit_cost = 1
growth = {{ "2026-27" = 0.0 }}
{NO_MONEY}"#,
        header(3)
    );
    let (_, f) = central(&text);
    let m = &f.mitigated;
    // a: 100 * 1.1 = 110; 110 * 1.2 = 132; 132 * 1.1 = 145.2
    assert_series(m, Series::Caseload(0), &[110.0, 132.0, 145.2], "a");
    // b: 0% in 2026-27, then the scenario-wide year values 20% and 10%:
    // 100; 100 * 1.2 = 120; 120 * 1.1 = 132
    assert_series(m, Series::Caseload(1), &[100.0, 120.0, 132.0], "b");
}

#[test]
fn flows_joiners_with_a_mix_leavers_and_movers() {
    let text = format!(
        r#"{}
[demand]
growth = 0.10

[demand.joiners]
opening = 50
growth = 0.20

[[provisions]]
name = "ms"
model = "flows"
caseload = 1000
unit_cost = 10
joiner_share = 0.6
leaver_rate = 0.1

[[provisions]]
name = "sp"
model = "flows"
caseload = 200
unit_cost = 100
joiner_share = 0.4
leaver_rate = 0.05

[[movers]]
from = "ms"
to = "sp"
rate = 0.02
{NO_MONEY}"#,
        header(2)
    );
    let (_, f) = central(&text);
    let m = &f.mitigated;
    // Joiners: 50 * 1.2 = 60; 60 * 1.2 = 72 (their own growth, not the 10% demand growth).
    assert_series(m, Series::Joiners, &[60.0, 72.0], "joiners");
    // Year 1: ms = 1000 - 0.1*1000 + 0.6*60 - 0.02*1000 = 1000 - 100 + 36 - 20 = 916
    //         sp =  200 - 0.05*200 + 0.4*60 + 20        =  200 -  10 + 24 + 20 = 234
    // Year 2: ms = 916 - 91.6 + 0.6*72 - 0.02*916 = 916 - 91.6 + 43.2 - 18.32 = 849.28
    //         sp = 234 - 11.7 + 0.4*72 + 18.32    = 234 - 11.7 + 28.8 + 18.32 = 269.42
    assert_series(m, Series::Caseload(0), &[916.0, 849.28], "ms");
    assert_series(m, Series::Caseload(1), &[234.0, 269.42], "sp");
    // Spend: 916*10 + 234*100 = 9160 + 23400 = 32560; 8492.8 + 26942 = 35434.8
    assert_series(
        m,
        Series::SpendPlacements,
        &[32560.0, 35434.8],
        "placements",
    );
}

#[test]
fn joiners_grow_at_the_demand_growth_when_they_have_none_of_their_own() {
    let text = format!(
        r#"{}
[demand]
growth = 0.10

[demand.joiners]
opening = 50

[[provisions]]
name = "pupils"
model = "flows"
caseload = 100
unit_cost = 1
joiner_share = 1.0
{NO_MONEY}"#,
        header(2)
    );
    let (_, f) = central(&text);
    // J: 50 * 1.1 = 55; 55 * 1.1 = 60.5. No leavers: N = 100 + 55 = 155; 155 + 60.5 = 215.5
    assert_series(&f.mitigated, Series::Joiners, &[55.0, 60.5], "joiners");
    assert_series(&f.mitigated, Series::Caseload(0), &[155.0, 215.5], "N");
}

/// Three provisions, the first overflowing into the second, the second (whose places rise from
/// 60 to 80 in 2027-28 only) into the third. Same numbers whatever the order in the file.
fn chain_text(reversed: bool) -> String {
    let a = r#"
[[provisions]]
name = "a"
caseload = 120
unit_cost = 1
capacity = 100
overflow = "b"
"#;
    let b = r#"
[[provisions]]
name = "b"
caseload = 50
unit_cost = 1
capacity = { other_years = 60, "2027-28" = 80 }
overflow = "c"
"#;
    let c = r#"
[[provisions]]
name = "c"
caseload = 10
unit_cost = 1
"#;
    let provisions = if reversed {
        format!("{c}{b}{a}")
    } else {
        format!("{a}{b}{c}")
    };
    format!(
        "{}[demand]\ngrowth = 0.10\n{provisions}{NO_MONEY}",
        header(3)
    )
}

fn check_chain(reversed: bool) {
    let (s, f) = central(&chain_text(reversed));
    let m = &f.mitigated;
    let (a, b, c) = (
        s.provision_index("a").unwrap(),
        s.provision_index("b").unwrap(),
        s.provision_index("c").unwrap(),
    );
    // Year 1: a = 120*1.1 = 132 > 100: a = 100, 32 overflow to b.
    //         b = 50*1.1 + 32 = 87 > 60: b = 60, 27 overflow to c.
    //         c = 10*1.1 + 27 = 38.
    // Year 2: a = 110 > 100: a = 100, 10 to b; b = 60*1.1 + 10 = 76 <= 80 places (2027-28).
    //         c = 38*1.1 = 41.8.
    // Year 3: a = 110 -> 100, 10 to b; b = 76*1.1 + 10 = 93.6 > 60: b = 60, 33.6 to c.
    //         c = 41.8*1.1 + 33.6 = 45.98 + 33.6 = 79.58.
    assert_series(m, Series::Caseload(a), &[100.0, 100.0, 100.0], "a");
    assert_series(m, Series::Caseload(b), &[60.0, 76.0, 60.0], "b");
    assert_series(m, Series::Caseload(c), &[38.0, 41.8, 79.58], "c");
    // Overflow moves plans, never creates them: 180 * 1.1^t = 198, 217.8, 239.58.
    assert_series(m, Series::CaseloadTotal, &[198.0, 217.8, 239.58], "total");
}

#[test]
fn capacity_overflow_chain_with_places_rising_in_one_year() {
    check_chain(false);
}

#[test]
fn capacity_overflow_chain_does_not_depend_on_file_order() {
    check_chain(true);
}

#[test]
fn movers_never_create_plans() {
    let text = format!(
        r#"{}
[demand]
growth = 0.0

[[provisions]]
name = "a"
caseload = 100
unit_cost = 1
growth = -0.5

[[provisions]]
name = "b"
caseload = 0
unit_cost = 1

[[movers]]
from = "a"
to = "b"
rate = 0.6
{NO_MONEY}"#,
        header(1)
    );
    let (_, f) = central(&text);
    let m = &f.mitigated;
    // a shrinks to 100 * 0.5 = 50 plans; 0.6 * 100 = 60 are due to move, but only 50 exist.
    // A move can only take the plans there are: a = 0, b = 50, total 50.
    // (The code gives a = max(0, 50 - 60) = 0 and b = 60: 10 plans appear from nowhere.)
    assert_close(m.get(Series::Caseload(0), 1), 0.0, REL, "a");
    assert_close(m.get(Series::CaseloadTotal, 1), 50.0, REL, "total plans");
    assert_close(m.get(Series::Caseload(1), 1), 50.0, REL, "b");
}

#[test]
fn a_steep_fall_is_floored_at_zero_before_plans_move_in() {
    let text = |opening_b: f64| {
        format!(
            r#"{}
[demand]
growth = 0.0

[[provisions]]
name = "a"
caseload = 1000
unit_cost = 1

[[provisions]]
name = "b"
caseload = {opening_b:?}
unit_cost = 1
growth = -0.5

[[movers]]
from = "a"
to = "b"
rate = 0.1

[[mitigations]]
name = "b_falls"
kind = "growth_reduction"
provision = "b"
effect = 0.6
start = "2026-27"
{NO_MONEY}"#,
            header(1)
        )
    };
    // b's own factor: 1 - 0.5 - 0.6 = -0.1, so b's existing plans all go (floored at 0); then
    // 0.1 * 1000 = 100 plans move in from a: b = 100 whatever b opened with.
    // (The code gives b = 200 * (-0.1) + 100 = 80 when b opens with 200, and 100 when it opens
    // with 0: more plans at the start, fewer plans a year later.)
    for opening_b in [0.0, 200.0] {
        let (_, f) = central(&text(opening_b));
        assert_close(
            f.mitigated.get(Series::Caseload(1), 1),
            100.0,
            REL,
            &format!("b, opening with {opening_b}"),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Section 3: cost
// ---------------------------------------------------------------------------------------------

#[test]
fn unit_cost_inflation_plus_drift_and_a_saving_that_is_a_level() {
    let text = format!(
        r#"{}
[demand]
growth = 0

[cost]
inflation = 0.03

[[provisions]]
name = "a"
caseload = 10
unit_cost = 1000
drift = 0.02

[[provisions]]
name = "b"
caseload = 10
unit_cost = 1000

[[mitigations]]
name = "cheaper_a"
kind = "unit_cost_saving"
provision = "a"
effect = 0.10
start = "2027-28"
{NO_MONEY}"#,
        header(3)
    );
    let (_, f) = central(&text);
    let m = &f.mitigated;
    // a: u = 1000 * 1.05 = 1050; 1050 * 1.05 = 1102.5; 1102.5 * 1.05 = 1157.625
    // paid: 1050 (before the saving starts); 1102.5 * 0.9 = 992.25; 1157.625 * 0.9 = 1041.8625
    // (a level: compounding would give 1157.625 * 0.81 = 937.67625 in year 3)
    assert_series(
        m,
        Series::UnitCost(0),
        &[1050.0, 992.25, 1041.8625],
        "a paid",
    );
    assert_series(
        m,
        Series::Spend(0),
        &[10500.0, 9922.5, 10418.625],
        "a spend",
    );
    // b: inflation only: 1030; 1060.9; 1092.727
    assert_series(
        m,
        Series::UnitCost(1),
        &[1030.0, 1060.9, 1092.727],
        "b paid",
    );
    // Unmitigated a pays the full unit cost.
    assert_series(
        &f.unmitigated,
        Series::UnitCost(0),
        &[1050.0, 1102.5, 1157.625],
        "a unmitigated",
    );
}

#[test]
fn unit_cost_savings_for_all_and_for_one_provision_add_up() {
    let text = format!(
        r#"{}
[demand]
growth = 0

[[provisions]]
name = "a"
caseload = 1
unit_cost = 1000

[[provisions]]
name = "b"
caseload = 1
unit_cost = 1000

[[mitigations]]
name = "everyone"
kind = "unit_cost_saving"
provision = "all"
effect = 0.05
start = "2026-27"

[[mitigations]]
name = "a_only"
kind = "unit_cost_saving"
provision = "a"
effect = 0.10
start = "2026-27"
{NO_MONEY}"#,
        header(1)
    );
    let (_, f) = central(&text);
    // a: 1000 * (1 - 0.05 - 0.10) = 850; b: 1000 * (1 - 0.05) = 950
    assert_close(f.mitigated.get(Series::UnitCost(0), 1), 850.0, REL, "a");
    assert_close(f.mitigated.get(Series::UnitCost(1), 1), 950.0, REL, "b");
}

#[test]
fn other_high_needs_lines_grow_at_their_own_rates() {
    let text = format!(
        r#"{}
[demand]
growth = 0

[[provisions]]
name = "a"
caseload = 1
unit_cost = 100

[[other_lines]]
name = "sen_support"
amount = 1000
growth = 0.05

[[other_lines]]
name = "hospital"
amount = 500
growth = {{ other_years = 0.0, "2027-28" = 0.10 }}
{NO_MONEY}"#,
        header(3)
    );
    let (_, f) = central(&text);
    let m = &f.mitigated;
    // sen_support: 1050; 1102.5; 1157.625. hospital: 500; 550; 550.
    // Sum: 1550; 1652.5; 1707.625. S = 100 + lines.
    assert_series(
        m,
        Series::SpendOtherLines,
        &[1550.0, 1652.5, 1707.625],
        "lines",
    );
    assert_series(m, Series::SpendTotal, &[1650.0, 1752.5, 1807.625], "S");
}

// ---------------------------------------------------------------------------------------------
// Section 4: funding
// ---------------------------------------------------------------------------------------------

/// One provision costing exactly 100,000 a year (100 plans at 1,000, no growth) against an
/// allocation of 100,000 whose growth the test sets, with the given extra TOML.
fn balanced(horizon: usize, funding_growth: &str, opening: f64, extra: &str) -> String {
    format!(
        r#"{}
[demand]
growth = 0

[[provisions]]
name = "a"
caseload = 100
unit_cost = 1000

[funding]
allocation = 100000
growth = {funding_growth}

[dsg]
opening_balance = {opening:?}
{extra}"#,
        header(horizon)
    )
}

#[test]
fn funding_growth_with_a_zero_year() {
    let text = balanced(
        3,
        r#"{ other_years = 0.07, "2026-27" = 0.0 }"#,
        0.0,
        "[general_fund]\nusable_reserves = 0\n",
    );
    let (_, f) = central(&text);
    // 100000 rolled over in 2026-27; 100000 * 1.07 = 107000; 107000 * 1.07 = 114490
    assert_series(
        &f.mitigated,
        Series::Allocation,
        &[100e3, 107e3, 114490.0],
        "F",
    );
    // I = F - 100000: 0; 7000; 14490
    assert_series(&f.mitigated, Series::InYear, &[0.0, 7000.0, 14490.0], "I");
}

fn transfer_text(rate: &str, probability: Option<f64>) -> String {
    let approval = probability.map_or(String::new(), |p| format!("approval_probability = {p}\n"));
    balanced(
        2,
        "0",
        0.0,
        &format!(
            "[general_fund]\nusable_reserves = 0\n\n[transfer]\nschools_block = 100000\nschools_block_growth = 0.02\nrate = {rate}\n{approval}"
        ),
    )
}

#[test]
fn block_transfer_above_half_a_percent_approved() {
    let (_, f) = central(&transfer_text("0.01", Some(0.6)));
    // SB: 100000 * 1.02 = 102000; 102000 * 1.02 = 104040. T = 1% of SB: 1020; 1040.4
    assert_series(&f.mitigated, Series::Transfer, &[1020.0, 1040.4], "T");
    // I = F + T - S = T (F = S = 100000)
    assert_series(&f.mitigated, Series::InYear, &[1020.0, 1040.4], "I");
    assert_series(&f.mitigated, Series::Cumulative, &[1020.0, 2060.4], "B");
}

#[test]
fn block_transfer_refused_falls_back_to_what_the_schools_forum_can_agree() {
    let (_, f) = central(&transfer_text("0.01", Some(0.4)));
    // Refused (0.4 < 0.5): only 0.5% moves: 0.005 * 102000 = 510; 0.005 * 104040 = 520.2
    assert_series(&f.mitigated, Series::Transfer, &[510.0, 520.2], "T");
    assert_series(&f.mitigated, Series::InYear, &[510.0, 520.2], "I");
}

#[test]
fn block_transfer_within_the_forum_limit_needs_no_approval() {
    let (_, f) = central(&transfer_text("0.004", None));
    // 0.004 * 102000 = 408; 0.004 * 104040 = 416.16
    assert_series(&f.mitigated, Series::Transfer, &[408.0, 416.16], "T");
}

#[test]
fn block_transfer_refusal_applies_only_to_years_above_the_limit() {
    let (_, f) = central(&transfer_text(
        r#"{ other_years = 0.003, "2027-28" = 0.015 }"#,
        Some(0.3),
    ));
    // 2026-27: 0.3% needs no approval: 0.003 * 102000 = 306.
    // 2027-28: 1.5% refused -> 0.5%: 0.005 * 104040 = 520.2
    assert_series(&f.mitigated, Series::Transfer, &[306.0, 520.2], "T");
}

#[test]
fn other_income_and_other_blocks_add_to_the_in_year_balance() {
    let extra = r#"
[general_fund]
usable_reserves = 0

[[other_income]]
name = "health"
amount = 200
growth = 0.10

[[other_blocks]]
name = "schools"
funding = 1000
funding_growth = 0.02
spend = 1000
spend_growth = 0.03
"#;
    let (_, f) = central(&balanced(2, "0", 0.0, extra));
    let m = &f.mitigated;
    // Income: 200 * 1.1 = 220; 242.
    assert_series(m, Series::OtherIncome, &[220.0, 242.0], "income");
    // Block: (1020 - 1030) = -10; (1040.4 - 1060.9) = -20.5
    assert_series(m, Series::OtherBlocks, &[-10.0, -20.5], "blocks");
    // I = F - S + income + blocks = 0 + 220 - 10 = 210; 242 - 20.5 = 221.5
    assert_series(m, Series::InYear, &[210.0, 221.5], "I");
    assert_series(m, Series::Cumulative, &[210.0, 431.5], "B");
}

// ---------------------------------------------------------------------------------------------
// Section 5: receipts, balances and general-fund exposure
// ---------------------------------------------------------------------------------------------

/// In-year balances -20000, 0, -10000 (funding falls 20%, rises 25%, falls 10% against spend of
/// 100000: F = 80000, 100000, 90000) and three instalments of 5000: the first missed (limit
/// 15000), the second met (limit 15000), the third missed (limit 5000).
fn safety_valve_text(on_miss: &str) -> String {
    let extra = format!(
        r#"
[general_fund]
usable_reserves = 0

[safety_valve]
on_miss = "{on_miss}"
instalments = [
  {{ year = "2026-27", amount = 5000, max_in_year_deficit = 15000 }},
  {{ year = "2027-28", amount = 5000, max_in_year_deficit = 15000 }},
  {{ year = "2028-29", amount = 5000, max_in_year_deficit = 5000 }},
]
"#
    );
    balanced(
        3,
        r#"{ "2026-27" = -0.2, "2027-28" = 0.25, "2028-29" = -0.1 }"#,
        -50000.0,
        &extra,
    )
}

#[test]
fn safety_valve_withhold_loses_a_missed_instalment() {
    let (s, f) = central(&safety_valve_text("withhold"));
    let m = &f.mitigated;
    assert_series(m, Series::InYear, &[-20000.0, 0.0, -10000.0], "I");
    // Missed, met, missed: 0, 5000, 0.
    assert_series(m, Series::SafetyValve, &[0.0, 5000.0, 0.0], "A");
    assert_eq!(m.instalments_paid, vec![false, true, false]);
    // B: -50000 - 20000 = -70000; -70000 + 0 + 5000 = -65000; -65000 - 10000 = -75000
    assert_series(m, Series::Cumulative, &[-70000.0, -65000.0, -75000.0], "B");
    check_identities(&s, m).unwrap();
}

#[test]
fn safety_valve_defer_pays_a_missed_instalment_with_the_next_met_one() {
    let (s, f) = central(&safety_valve_text("defer"));
    let m = &f.mitigated;
    // Year 1 missed and deferred; year 2 met: 5000 + 5000 = 10000; year 3 missed, no later
    // instalment to carry it: lost.
    assert_series(m, Series::SafetyValve, &[0.0, 10000.0, 0.0], "A");
    assert_eq!(m.instalments_paid, vec![true, true, false]);
    // B: -70000; -70000 + 10000 = -60000; -60000 - 10000 = -70000
    assert_series(m, Series::Cumulative, &[-70000.0, -60000.0, -70000.0], "B");
    check_identities(&s, m).unwrap();
}

fn cumulative_target_text(floor: f64) -> String {
    let extra = format!(
        r#"
[general_fund]
usable_reserves = 0
contributions = 2000

[safety_valve]
instalments = [ {{ year = "2026-27", amount = 5000, min_cumulative_balance = {floor:?} }} ]
"#
    );
    balanced(1, "-0.2", -50000.0, &extra)
}

#[test]
fn safety_valve_min_cumulative_balance_target() {
    // Balance before the instalment: -50000 + I (-20000) + C (2000) = -68000.
    // Target at least -68000: met (boundary included).
    let (_, f) = central(&cumulative_target_text(-68000.0));
    assert_close(f.mitigated.get(Series::SafetyValve, 1), 5000.0, REL, "met");
    assert_eq!(f.mitigated.instalments_paid, vec![true]);
    // -68000 + 5000 = -63000
    assert_close(f.mitigated.get(Series::Cumulative, 1), -63000.0, REL, "B");
    // Target at least -67500: missed, judged on the balance before the instalment itself
    // (-68000), even though -68000 + 5000 would meet it (scenario.rs `Target` documents this).
    let (_, f) = central(&cumulative_target_text(-67500.0));
    assert_close(f.mitigated.get(Series::SafetyValve, 1), 0.0, REL, "missed");
    assert_eq!(f.mitigated.instalments_paid, vec![false]);
    assert_close(f.mitigated.get(Series::Cumulative, 1), -68000.0, REL, "B");
}

#[test]
fn contributions_follow_their_schedule() {
    let extra = r#"
[general_fund]
usable_reserves = 0
contributions = { "2026-27" = 1000, "2028-29" = 3000 }
"#;
    let (s, f) = central(&balanced(3, "0", -10000.0, extra));
    let m = &f.mitigated;
    // Unlisted years contribute nothing.
    assert_series(m, Series::Contributions, &[1000.0, 0.0, 3000.0], "C");
    assert_series(m, Series::ReceiptsTotal, &[1000.0, 0.0, 3000.0], "receipts");
    // I = 0: B = -9000; -9000; -6000
    assert_series(m, Series::Cumulative, &[-9000.0, -9000.0, -6000.0], "B");
    check_identities(&s, m).unwrap();
}

fn write_off_text(end_of: &str, paid_in: Option<&str>, probability: f64) -> String {
    let paid = paid_in.map_or(String::new(), |y| format!("paid_in = \"{y}\"\n"));
    let extra = format!(
        r#"
[general_fund]
usable_reserves = 0

[write_off]
deficit_at_end_of = "{end_of}"
{paid}share = 0.9
probability = {probability}
"#
    );
    // Funding falls 10% in 2026-27 and stays: I = 90000 - 100000 = -10000 every year.
    balanced(
        3,
        r#"{ other_years = 0, "2026-27" = -0.1 }"#,
        -100000.0,
        &extra,
    )
}

#[test]
fn write_off_measured_at_the_base_year_and_paid_later() {
    let (s, f) = central(&write_off_text("2025-26", Some("2027-28"), 0.6));
    let m = &f.mitigated;
    assert_series(m, Series::InYear, &[-10000.0; 3], "I");
    // 90% of the base-year deficit of 100000, paid in 2027-28: 90000.
    assert_series(m, Series::WriteOff, &[0.0, 90000.0, 0.0], "W");
    // B: -110000; -110000 - 10000 + 90000 = -30000; -40000
    assert_series(m, Series::Cumulative, &[-110000.0, -30000.0, -40000.0], "B");
    check_identities(&s, m).unwrap();
}

#[test]
fn write_off_measured_in_a_projected_year() {
    let (_, f) = central(&write_off_text("2026-27", Some("2027-28"), 0.6));
    // Deficit at the end of 2026-27: 110000; 0.9 * 110000 = 99000 paid in 2027-28.
    // B: -110000; -110000 - 10000 + 99000 = -21000; -31000
    assert_series(&f.mitigated, Series::WriteOff, &[0.0, 99000.0, 0.0], "W");
    assert_series(
        &f.mitigated,
        Series::Cumulative,
        &[-110000.0, -21000.0, -31000.0],
        "B",
    );
    // Paid in the year it is measured (paid_in omitted): measured before the grant itself,
    // 0.9 * 110000 = 99000 in 2026-27; B: -11000; -21000; -31000.
    let (_, f) = central(&write_off_text("2026-27", None, 0.6));
    assert_series(&f.mitigated, Series::WriteOff, &[99000.0, 0.0, 0.0], "W");
    assert_series(
        &f.mitigated,
        Series::Cumulative,
        &[-11000.0, -21000.0, -31000.0],
        "B",
    );
}

#[test]
fn write_off_below_even_odds_is_not_in_the_central_case() {
    let (_, f) = central(&write_off_text("2025-26", Some("2027-28"), 0.4));
    assert_series(&f.mitigated, Series::WriteOff, &[0.0; 3], "W");
    assert_series(
        &f.mitigated,
        Series::Cumulative,
        &[-110000.0, -120000.0, -130000.0],
        "B",
    );
}

#[test]
fn central_funding_meets_a_share_of_each_in_year_deficit_from_a_year() {
    let extra = r#"
[general_fund]
usable_reserves = 0

[central_funding]
from = "2027-28"
share = 0.5
"#;
    // F: 90000; 90000; 90000 * 1.2 = 108000. I: -10000; -10000; +8000.
    let text = balanced(
        3,
        r#"{ other_years = 0, "2026-27" = -0.1, "2028-29" = 0.2 }"#,
        0.0,
        extra,
    );
    let (s, f) = central(&text);
    let m = &f.mitigated;
    assert_series(m, Series::InYear, &[-10000.0, -10000.0, 8000.0], "I");
    // Before 2027-28 nothing; 0.5 * 10000 = 5000; a surplus gets nothing.
    assert_series(m, Series::CentralFunding, &[0.0, 5000.0, 0.0], "central");
    // B: -10000; -10000 - 10000 + 5000 = -15000; -15000 + 8000 = -7000
    assert_series(m, Series::Cumulative, &[-10000.0, -15000.0, -7000.0], "B");
    check_identities(&s, m).unwrap();
}

/// High needs: 100 plans at 100,000 (10m) against an allocation of 9m, no growth: I_HN = -1m a
/// year. An early-years block funded 30m with `block_spend` of spend a year. The DSG opens at
/// -20m, of which the early-years block's own balance is `block_opening` (when given).
fn early_years_text(block_spend: f64, block_opening: Option<f64>, extra: &str) -> String {
    let opening = block_opening.map_or(String::new(), |o| format!("opening_balance = {o:?}\n"));
    format!(
        r#"{}
[demand]
growth = 0

[[provisions]]
name = "a"
caseload = 100
unit_cost = 100000

[funding]
allocation = 9000000
growth = 0

[[other_blocks]]
name = "early_years"
funding = 30000000
spend = {block_spend:?}
{opening}
[dsg]
opening_balance = -20000000

[general_fund]
usable_reserves = 0
{extra}"#,
        header(3)
    )
}

/// docs/model.md section 5 (DfE explanatory note, February 2026): the write-off is 90% of the
/// high-needs deficit; an early-years overspend of 1m a year is not written off.
#[test]
fn an_early_years_deficit_is_not_written_off() {
    let write_off = |end_of: &str| {
        format!(
            "\n[write_off]\ndeficit_at_end_of = \"{end_of}\"\npaid_in = \"2027-28\"\nshare = 0.9\nprobability = 1\n"
        )
    };
    // The early-years block's own opening balance is -2m: high needs opens at -18m.
    let (s, f) = central(&early_years_text(
        31_000_000.0,
        Some(-2_000_000.0),
        &write_off("2026-27"),
    ));
    let m = &f.mitigated;
    assert_eq!(m.opening_balance, -20_000_000.0, "B[0] is the DSG's");
    assert_series(m, Series::OtherBlocks, &[-1e6; 3], "early years");
    // I = I_HN + early years = -1m - 1m = -2m a year.
    assert_series(m, Series::InYear, &[-2e6; 3], "I");
    // End of 2026-27: B_HN = -18m - 1m = -19m, B_other = -2m - 1m = -3m, B = -22m.
    // Written off in 2027-28: 0.9 * 19m = 17.1m (not 0.9 * 22m = 19.8m).
    assert_series(m, Series::WriteOff, &[0.0, 17.1e6, 0.0], "W");
    // B_HN: -19m; -19m - 1m + 17.1m = -2.9m; -3.9m. B_other: -3m; -4m; -5m.
    // B = -22m; -6.9m; -8.9m.
    assert_series(m, Series::Cumulative, &[-22e6, -6.9e6, -8.9e6], "B");
    check_identities(&s, m).unwrap();

    // No opening balance stated for the block: the whole -20m is high needs'. Measured at the
    // end of the base year: 0.9 * 20m = 18m, however the early-years block has fared since.
    let (s, f) = central(&early_years_text(31_000_000.0, None, &write_off("2025-26")));
    let m = &f.mitigated;
    assert_series(m, Series::WriteOff, &[0.0, 18e6, 0.0], "W");
    // B: -22m; -22m - 2m + 18m = -6m; -8m.
    assert_series(m, Series::Cumulative, &[-22e6, -6e6, -8e6], "B");
    check_identities(&s, m).unwrap();

    // Stated, and measured at the end of the base year: 0.9 * 18m = 16.2m.
    let (_, f) = central(&early_years_text(
        31_000_000.0,
        Some(-2_000_000.0),
        &write_off("2025-26"),
    ));
    assert_series(&f.mitigated, Series::WriteOff, &[0.0, 16.2e6, 0.0], "W");
}

/// Central funding meets a share of the high-needs in-year deficit, whatever the other blocks
/// do: neither their overspend adds to it nor their surplus takes from it.
#[test]
fn central_funding_meets_a_share_of_the_high_needs_deficit_only() {
    let central_funding = "\n[central_funding]\nfrom = \"2026-27\"\nshare = 0.5\n";
    // Early years overspends 1m a year: I = -2m, central funding 0.5 * 1m = 0.5m (not 1m).
    let (s, f) = central(&early_years_text(31_000_000.0, None, central_funding));
    let m = &f.mitigated;
    assert_series(m, Series::CentralFunding, &[0.5e6; 3], "central");
    // B: -20m - 2m + 0.5m = -21.5m; -23m; -24.5m.
    assert_series(m, Series::Cumulative, &[-21.5e6, -23e6, -24.5e6], "B");
    check_identities(&s, m).unwrap();
    // Early years has a 1m surplus: I = 0, yet high needs is 1m short: 0.5m (not 0).
    let (s, f) = central(&early_years_text(29_000_000.0, None, central_funding));
    let m = &f.mitigated;
    assert_series(m, Series::InYear, &[0.0; 3], "I");
    assert_series(m, Series::CentralFunding, &[0.5e6; 3], "central");
    // B: -20m + 0.5m = -19.5m; -19m; -18.5m.
    assert_series(m, Series::Cumulative, &[-19.5e6, -19e6, -18.5e6], "B");
    check_identities(&s, m).unwrap();
}

#[test]
fn interest_is_the_borrowing_rate_on_last_years_deficit_and_stays_out_of_the_balance() {
    let extra = r#"
[general_fund]
usable_reserves = 0
borrowing_rate = 0.05
"#;
    // I = 90000 - 100000 = -10000 a year from an opening deficit of 100000.
    let text = balanced(
        3,
        r#"{ other_years = 0, "2026-27" = -0.1 }"#,
        -100000.0,
        extra,
    );
    let (_, f) = central(&text);
    let m = &f.mitigated;
    // B[0] = -100000: interest 0.05 * 100000 = 5000; B[1] = -110000: 5500; B[2] = -120000: 6000.
    assert_series(m, Series::Interest, &[5000.0, 5500.0, 6000.0], "interest");
    // Interest is general-fund exposure, not DSG spend: B falls by I only.
    assert_series(
        m,
        Series::Cumulative,
        &[-110000.0, -120000.0, -130000.0],
        "B",
    );

    // A balance in surplus carries no interest: opening +5000, I = -10000 a year.
    let text = balanced(2, r#"{ other_years = 0, "2026-27" = -0.1 }"#, 5000.0, extra);
    let (_, f) = central(&text);
    // Year 1: B[0] = +5000 -> 0. Year 2: B[1] = -5000 -> 0.05 * 5000 = 250.
    assert_series(&f.mitigated, Series::Interest, &[0.0, 250.0], "interest");
}

#[test]
fn headroom_after_the_statutory_override_ends() {
    let extra = r#"
[general_fund]
usable_reserves = { other_years = 100000, "2028-29" = 50000 }
statutory_override_ends = "2026-27"
"#;
    let text = balanced(
        3,
        r#"{ other_years = 0, "2026-27" = -0.1 }"#,
        -100000.0,
        extra,
    );
    let (s, f) = central(&text);
    let m = &f.mitigated;
    assert_eq!(s.override_ends().to_string(), "2026-27");
    assert_series(
        m,
        Series::UsableReserves,
        &[100000.0, 100000.0, 50000.0],
        "R",
    );
    // After the override (2027-28 on): 100000 - 120000 = -20000; 50000 - 130000 = -80000.
    assert_close(
        m.get(Series::Headroom, 2),
        -20000.0,
        REL,
        "headroom 2027-28",
    );
    assert_close(
        m.get(Series::Headroom, 3),
        -80000.0,
        REL,
        "headroom 2028-29",
    );

    // A surplus takes nothing from the reserves: headroom = reserves.
    let text = balanced(3, "0", 3000.0, extra);
    let (_, f) = central(&text);
    assert_close(
        f.mitigated.get(Series::Headroom, 2),
        100000.0,
        REL,
        "headroom",
    );
    assert_close(
        f.mitigated.get(Series::Headroom, 3),
        50000.0,
        REL,
        "headroom",
    );
}

// ---------------------------------------------------------------------------------------------
// Section 6: mitigations
// ---------------------------------------------------------------------------------------------

#[test]
fn ramp_is_linear_from_the_slipped_start() {
    // k = t - (start + slippage) + 1; ramp = min(1, k / ramp_years), 0 when k <= 0.
    assert_eq!(ramp(1, 1, 0.0, 2.0), 0.5);
    assert_eq!(ramp(2, 1, 0.0, 2.0), 1.0);
    assert_eq!(ramp(1, 1, 0.0, 3.0), 1.0 / 3.0);
    assert_eq!(ramp(2, 1, 0.0, 3.0), 2.0 / 3.0);
    assert_eq!(ramp(5, 1, 0.0, 3.0), 1.0);
    // A ramp of 0 or 1 years: full effect in the first year.
    assert_eq!(ramp(1, 1, 0.0, 0.0), 1.0);
    assert_eq!(ramp(1, 1, 0.0, 1.0), 1.0);
    // Integer slippage moves the start: nothing in the start year, then the ramp.
    assert_eq!(ramp(1, 1, 1.0, 2.0), 0.0);
    assert_eq!(ramp(2, 1, 1.0, 2.0), 0.5);
    // Fractional slippage: k = 1 - 1.5 + 1 = 0.5 -> 0.25; k = 1.5 -> 0.75; k = 2.5 -> 1.
    assert_eq!(ramp(1, 1, 0.5, 2.0), 0.25);
    assert_eq!(ramp(2, 1, 0.5, 2.0), 0.75);
    assert_eq!(ramp(3, 1, 0.5, 2.0), 1.0);
}

fn growth_reduction_text(slippage: Option<f64>) -> String {
    let slip = slippage.map_or(String::new(), |s| format!("slippage_years = {s:?}\n"));
    format!(
        r#"{}
[demand]
growth = 0.10

[[provisions]]
name = "a"
caseload = 1000
unit_cost = 1

[[mitigations]]
name = "early_support"
kind = "growth_reduction"
provision = "all"
effect = 0.04
start = "2026-27"
ramp_years = 2
delivery = 0.5
{slip}{NO_MONEY}"#,
        header(3)
    )
}

#[test]
fn growth_reduction_ramps_in_with_partial_delivery() {
    let (_, f) = central(&growth_reduction_text(None));
    // m = 0.04 * ramp * 0.5: 0.04 * 0.5 * 0.5 = 0.01; then 0.04 * 1 * 0.5 = 0.02; 0.02.
    // N: 1000 * 1.09 = 1090; 1090 * 1.08 = 1177.2; 1177.2 * 1.08 = 1271.376
    assert_series(
        &f.mitigated,
        Series::Caseload(0),
        &[1090.0, 1177.2, 1271.376],
        "N",
    );
    assert_series(
        &f.unmitigated,
        Series::Caseload(0),
        &[1100.0, 1210.0, 1331.0],
        "N0",
    );
}

#[test]
fn growth_reduction_with_a_year_of_slippage() {
    let (_, f) = central(&growth_reduction_text(Some(1.0)));
    // m: 0; 0.01; 0.02. N: 1100; 1100 * 1.09 = 1199; 1199 * 1.08 = 1294.92
    assert_series(
        &f.mitigated,
        Series::Caseload(0),
        &[1100.0, 1199.0, 1294.92],
        "N",
    );
}

#[test]
fn growth_reduction_with_half_a_year_of_slippage() {
    let (_, f) = central(&growth_reduction_text(Some(0.5)));
    // ramp 0.25, 0.75, 1 -> m = 0.04 * ramp * 0.5 = 0.005, 0.015, 0.02
    // N: 1000 * 1.095 = 1095; 1095 * 1.085 = 1188.075; 1188.075 * 1.08 = 1283.121
    assert_series(
        &f.mitigated,
        Series::Caseload(0),
        &[1095.0, 1188.075, 1283.121],
        "N",
    );
}

#[test]
fn growth_reduction_on_one_provision_leaves_the_others_alone() {
    let text = format!(
        r#"{}
[demand]
growth = 0.10

[[provisions]]
name = "a"
caseload = 100
unit_cost = 1

[[provisions]]
name = "b"
caseload = 100
unit_cost = 1

[[mitigations]]
name = "b_only"
kind = "growth_reduction"
provision = "b"
effect = 0.06
start = "2026-27"
{NO_MONEY}"#,
        header(2)
    );
    let (_, f) = central(&text);
    // a: 110, 121. b: 100 * 1.04 = 104; 104 * 1.04 = 108.16
    assert_series(&f.mitigated, Series::Caseload(0), &[110.0, 121.0], "a");
    assert_series(&f.mitigated, Series::Caseload(1), &[104.0, 108.16], "b");
}

#[test]
fn growth_reduction_for_all_slows_new_plans_in_the_flow_model() {
    let text = format!(
        r#"{}
[demand]
growth = 0.10

[demand.joiners]
opening = 100

[[provisions]]
name = "a"
model = "flows"
caseload = 1000
unit_cost = 1
joiner_share = 1.0
leaver_rate = 0.1

[[mitigations]]
name = "fewer_new_plans"
kind = "growth_reduction"
effect = 0.05
start = "2026-27"
{NO_MONEY}"#,
        header(2)
    );
    let (_, f) = central(&text);
    // J: 100 * (1 + 0.10 - 0.05) = 105; 105 * 1.05 = 110.25
    assert_series(&f.mitigated, Series::Joiners, &[105.0, 110.25], "J");
    // N: 1000 - 100 + 105 = 1005; 1005 - 100.5 + 110.25 = 1014.75
    assert_series(&f.mitigated, Series::Caseload(0), &[1005.0, 1014.75], "N");
}

#[test]
fn placement_shift_is_capped_at_the_caseload_and_happens_before_capacity() {
    let text = format!(
        r#"{}
[demand]
growth = 0

[[provisions]]
name = "a"
caseload = 30
unit_cost = 1

[[provisions]]
name = "b"
caseload = 0
unit_cost = 1
capacity = 25
overflow = "c"

[[provisions]]
name = "c"
caseload = 0
unit_cost = 1

[[mitigations]]
name = "move_to_b"
kind = "placement_shift"
from = "a"
to = "b"
effect = 20
start = "2026-27"
{NO_MONEY}"#,
        header(3)
    );
    let (_, f) = central(&text);
    let m = &f.mitigated;
    // Year 1: 20 move: a = 10, b = 20 (within its 25 places).
    // Year 2: only 10 are left to move: a = 0, b = 30 -> 25 places, 5 overflow to c.
    // Year 3: nothing left to move.
    assert_series(m, Series::Caseload(0), &[10.0, 0.0, 0.0], "a");
    assert_series(m, Series::Caseload(1), &[20.0, 25.0, 25.0], "b");
    assert_series(m, Series::Caseload(2), &[0.0, 5.0, 5.0], "c");
    assert_series(m, Series::CaseloadTotal, &[30.0, 30.0, 30.0], "total");
}

#[test]
fn placement_shift_ramps_and_scales_with_delivery() {
    let text = format!(
        r#"{}
[demand]
growth = 0

[[provisions]]
name = "inmss"
caseload = 100
unit_cost = 60000

[[provisions]]
name = "special"
caseload = 100
unit_cost = 25000

[[mitigations]]
name = "bring_back"
kind = "placement_shift"
from = "inmss"
to = "special"
effect = 10
start = "2026-27"
ramp_years = 2
delivery = 0.8
{NO_MONEY}"#,
        header(2)
    );
    let (_, f) = central(&text);
    // Year 1: 10 * 0.5 * 0.8 = 4 move: 96, 104. Year 2: 10 * 1 * 0.8 = 8 more: 88, 112.
    assert_series(&f.mitigated, Series::Caseload(0), &[96.0, 88.0], "inmss");
    assert_series(
        &f.mitigated,
        Series::Caseload(1),
        &[104.0, 112.0],
        "special",
    );
    // Spend: 96*60000 + 104*25000 = 5760000 + 2600000 = 8360000;
    //        88*60000 + 112*25000 = 5280000 + 2800000 = 8080000
    assert_series(
        &f.mitigated,
        Series::SpendPlacements,
        &[8.36e6, 8.08e6],
        "P",
    );
}

#[test]
fn capacity_added_by_a_mitigation() {
    let text = format!(
        r#"{}
[demand]
growth = 0.10

[[provisions]]
name = "special"
caseload = 120
unit_cost = 1
capacity = 100
overflow = "inmss"

[[provisions]]
name = "inmss"
caseload = 0
unit_cost = 1

[[mitigations]]
name = "new_school"
kind = "capacity_added"
provision = "special"
effect = 10
start = "2027-28"
ramp_years = 2
{NO_MONEY}"#,
        header(3)
    );
    let (_, f) = central(&text);
    // Year 1: special 132 -> 100, inmss 32.
    // Year 2: places 100 + 10 * 0.5 = 105: special 110 -> 105, 5 over; inmss 32*1.1 + 5 = 40.2
    // Year 3: places 110: special 105*1.1 = 115.5 -> 110, 5.5 over; inmss 44.22 + 5.5 = 49.72
    assert_series(
        &f.mitigated,
        Series::Caseload(0),
        &[100.0, 105.0, 110.0],
        "special",
    );
    assert_series(
        &f.mitigated,
        Series::Caseload(1),
        &[32.0, 40.2, 49.72],
        "inmss",
    );
    // Without it: special stays 100; inmss 32; 35.2 + 10 = 45.2; 49.72 + 10 = 59.72
    assert_series(&f.unmitigated, Series::Caseload(0), &[100.0; 3], "special0");
    assert_series(
        &f.unmitigated,
        Series::Caseload(1),
        &[32.0, 45.2, 59.72],
        "inmss0",
    );
}

fn costs_text(charged_to: &str, slippage: f64) -> String {
    format!(
        r#"{}
[demand]
growth = 0

[[provisions]]
name = "a"
caseload = 1
unit_cost = 100

[[mitigations]]
name = "team"
kind = "unit_cost_saving"
effect = 0
start = "2027-28"
ramp_years = 3
slippage_years = {slippage:?}
one_off_cost = 5000
yearly_cost = 1000
costs_charged_to = "{charged_to}"
{NO_MONEY}"#,
        header(4)
    )
}

#[test]
fn mitigation_costs_charged_to_the_dsg_are_high_needs_spend() {
    let (s, f) = central(&costs_text("dsg", 0.0));
    let m = &f.mitigated;
    // Nothing before the start (2027-28); one-off + yearly in the first year: 6000; then 1000.
    assert_series(
        m,
        Series::SpendMitigations,
        &[0.0, 6000.0, 1000.0, 1000.0],
        "DSG costs",
    );
    assert_series(m, Series::SpendTotal, &[100.0, 6100.0, 1100.0, 1100.0], "S");
    assert_series(m, Series::GeneralFundMitigationCosts, &[0.0; 4], "GF costs");
    // B: -100; -6200; -7300; -8400
    assert_series(
        m,
        Series::Cumulative,
        &[-100.0, -6200.0, -7300.0, -8400.0],
        "B",
    );
    // Switched off: no costs.
    assert_series(&f.unmitigated, Series::SpendMitigations, &[0.0; 4], "off");
    check_identities(&s, m).unwrap();
}

#[test]
fn mitigation_costs_charged_to_the_general_fund_stay_out_of_the_dsg() {
    let (_, f) = central(&costs_text("general_fund", 0.0));
    let m = &f.mitigated;
    assert_series(m, Series::SpendMitigations, &[0.0; 4], "DSG costs");
    assert_series(
        m,
        Series::GeneralFundMitigationCosts,
        &[0.0, 6000.0, 1000.0, 1000.0],
        "GF costs",
    );
    assert_series(
        m,
        Series::Cumulative,
        &[-100.0, -200.0, -300.0, -400.0],
        "B",
    );
}

#[test]
fn mitigation_costs_follow_a_slipped_start() {
    // A year's slippage: first year of effect 2028-29.
    let (_, f) = central(&costs_text("dsg", 1.0));
    assert_series(
        &f.mitigated,
        Series::SpendMitigations,
        &[0.0, 0.0, 6000.0, 1000.0],
        "DSG costs",
    );
    // Half a year's slippage: k = 0.5 in 2027-28, its first (part) year: 6000 then 1000.
    let (_, f) = central(&costs_text("dsg", 0.5));
    assert_series(
        &f.mitigated,
        Series::SpendMitigations,
        &[0.0, 6000.0, 1000.0, 1000.0],
        "DSG costs",
    );
}

/// 100 plans at 1000 growing 10%, no funding; m0 cuts growth by 5 points, m1 unit cost by 10%.
fn two_mitigations() -> String {
    format!(
        r#"{}
[demand]
growth = 0.10

[[provisions]]
name = "a"
caseload = 100
unit_cost = 1000

[[mitigations]]
name = "slower"
kind = "growth_reduction"
effect = 0.05
start = "2026-27"

[[mitigations]]
name = "cheaper"
kind = "unit_cost_saving"
effect = 0.10
start = "2026-27"
{NO_MONEY}"#,
        header(2)
    )
}

#[test]
fn unmitigated_forecast_and_each_mitigations_own_impact() {
    let (_, f) = central(&two_mitigations());
    // Both on: N = 105, 110.25; paid 900: S = 94500, 99225; B = -94500, -193725.
    assert_series(
        &f.mitigated,
        Series::Cumulative,
        &[-94500.0, -193725.0],
        "both",
    );
    // Both off: N = 110, 121 at 1000: B = -110000, -231000.
    assert_series(
        &f.unmitigated,
        Series::Cumulative,
        &[-110000.0, -231000.0],
        "none",
    );
    // Without m0: N = 110, 121 at 900: S = 99000, 108900; B = -99000, -207900.
    assert_series(
        &f.without_each[0],
        Series::Cumulative,
        &[-99000.0, -207900.0],
        "w/o 0",
    );
    // Without m1: N = 105, 110.25 at 1000: B = -105000, -215250.
    assert_series(
        &f.without_each[1],
        Series::Cumulative,
        &[-105000.0, -215250.0],
        "w/o 1",
    );
    // Impact = mitigated - without: m0: -94500 + 99000 = 4500; -193725 + 207900 = 14175
    //                               m1: -94500 + 105000 = 10500; -193725 + 215250 = 21525
    let i0 = f.impact(0);
    let i1 = f.impact(1);
    for (t, (got, want)) in i0.iter().zip([4500.0, 14175.0]).enumerate() {
        assert_close(*got, want, REL, &format!("impact 0, year {}", t + 1));
    }
    for (t, (got, want)) in i1.iter().zip([10500.0, 21525.0]).enumerate() {
        assert_close(*got, want, REL, &format!("impact 1, year {}", t + 1));
    }
}

#[test]
fn a_reused_workspace_gives_the_same_projection_as_a_fresh_one() {
    let s = scenario(&two_mitigations());
    let x = s.params().central_inputs();
    let fresh = |set| {
        let mut out = Projection::new(&s);
        project(&s, &x, set, &mut Workspace::new(&s), &mut out);
        out
    };
    let mut ws = Workspace::new(&s);
    let mut out = Projection::new(&s);
    for set in [
        MitigationSet::all(2),
        MitigationSet::none(),
        MitigationSet::all(2).without(0),
        MitigationSet::all(2),
    ] {
        project(&s, &x, set, &mut ws, &mut out);
        assert_eq!(out, fresh(set));
    }
    assert_eq!(Forecast::central(&s), Forecast::central(&s));
}

// ---------------------------------------------------------------------------------------------
// Interactions worth knowing about (behaviour that follows from the contract)
// ---------------------------------------------------------------------------------------------

/// A mitigation with no costs can leave the balance worse in a year: with `on_miss = "defer"`,
/// getting an instalment on time (rather than deferred) lowers a deficit that a write-off grant
/// later measures, so the grant is smaller. This follows from docs/model.md section 5 as written.
#[test]
fn an_earlier_safety_valve_instalment_shrinks_a_later_write_off() {
    let text = format!(
        r#"{}
[demand]
growth = 0

[[provisions]]
name = "a"
caseload = 100
unit_cost = 1000

[[mitigations]]
name = "tiny_saving"
kind = "unit_cost_saving"
effect = 0.001
start = "2026-27"

[funding]
allocation = 100000
growth = {{ "2026-27" = -0.2, "2027-28" = 0.25 }}

[dsg]
opening_balance = -100000

[general_fund]
usable_reserves = 0

[safety_valve]
on_miss = "defer"
instalments = [
  {{ year = "2026-27", amount = 5000, max_in_year_deficit = 19950 }},
  {{ year = "2027-28", amount = 5000, max_in_year_deficit = 19950 }},
]

[write_off]
deficit_at_end_of = "2026-27"
paid_in = "2027-28"
share = 0.9
probability = 1
"#,
        header(2)
    );
    let (_, f) = central(&text);
    // Without the saving: I = 80000 - 100000 = -20000 (misses 19950), deferred; year 2 I = 0,
    //   met: 10000. B1 = -120000; W = 0.9 * 120000 = 108000; B2 = -120000 + 10000 + 108000
    //   = -2000.
    assert_series(
        &f.unmitigated,
        Series::Cumulative,
        &[-120000.0, -2000.0],
        "off",
    );
    // With it: S = 99900, I1 = -19900 (met): 5000. B1 = -100000 - 19900 + 5000 = -114900;
    //   W = 0.9 * 114900 = 103410; I2 = 100 and 5000 met: B2 = -114900 + 100 + 5000 + 103410
    //   = -6390: worse than without it by 4390.
    assert_series(
        &f.mitigated,
        Series::Cumulative,
        &[-114900.0, -6390.0],
        "on",
    );
    assert_close(f.impact(0)[1], -4390.0, REL, "impact in year 2");
}

// ---------------------------------------------------------------------------------------------
// docs/model.md section 8: checks the arithmetic must pass
// ---------------------------------------------------------------------------------------------

/// Tight: thirty compounding steps against `powi` differ by a few ulps.
const POWER_LAW: f64 = 1e-13;

#[test]
fn net_growth_without_mitigations_is_a_power_law() {
    let text = format!(
        r#"{}
[demand]
growth = 0.12

[[provisions]]
name = "a"
caseload = 2000
unit_cost = 25000

[[provisions]]
name = "b"
caseload = 333
unit_cost = 60000
growth = 0.05

[funding]
allocation = 50000000
growth = 0.07

[dsg]
opening_balance = -10000000

[general_fund]
usable_reserves = 0
"#,
        header(30)
    );
    let (_, f) = central(&text);
    let m = &f.mitigated;
    for t in [1usize, 2, 5, 10, 17, 30] {
        let n = t as i32;
        // N[t] = N[0] (1 + g)^t; F[t] = F[0] (1 + f)^t
        assert_close(
            m.get(Series::Caseload(0), t),
            2000.0 * 1.12f64.powi(n),
            POWER_LAW,
            &format!("N[a, {t}]"),
        );
        assert_close(
            m.get(Series::Caseload(1), t),
            333.0 * 1.05f64.powi(n),
            POWER_LAW,
            &format!("N[b, {t}]"),
        );
        assert_close(
            m.get(Series::Allocation, t),
            50e6 * 1.07f64.powi(n),
            POWER_LAW,
            &format!("F[{t}]"),
        );
    }
}

#[test]
fn every_shipped_scenario_keeps_the_balance_identity() {
    let shipped = common::shipped_scenarios();
    assert!(!shipped.is_empty(), "no scenarios found in scenarios/");
    for (path, s) in &shipped {
        let f = Forecast::central(s);
        let all = std::iter::once(&f.mitigated)
            .chain(std::iter::once(&f.unmitigated))
            .chain(&f.without_each);
        for p in all {
            if let Err(e) = check_identities(s, p) {
                panic!("{}: {e}", path.display());
            }
        }
    }
}
