//! What a council's plans cost and what it is given: unit costs from its own section 251
//! outturn where published (national figures otherwise, labelled), and its high-needs
//! allocation carried to the base year (`dsg init --la`).

use super::areas::Area;
use super::figures::{Placement, Sourced};
use super::panel::Panel;

/// National high-needs allocations before deductions by financial year (its first year), in
/// pounds, with sources (docs/domain.md): used to carry a council's latest ESFA figure forward to
/// the base year by the national change, and as the estimate where none is published.
pub const NATIONAL_HIGH_NEEDS: &[(i32, f64, &str)] = &[
    (
        2019,
        6_279e6,
        "ESFA DSG allocations, before deductions, 2019-20",
    ),
    (
        2020,
        7_063e6,
        "ESFA DSG allocations, before deductions, 2020-21",
    ),
    (
        2021,
        7_906e6,
        "ESFA DSG allocations, before deductions, 2021-22",
    ),
    (
        2022,
        8_988e6,
        "ESFA DSG allocations, before deductions, 2022-23",
    ),
    (
        2023,
        9_952e6,
        "ESFA DSG allocations, before deductions, 2023-24",
    ),
    (
        2024,
        10_500e6,
        "DfE: £10.5bn high-needs funding for 2024-25",
    ),
    (
        2025,
        12_000e6,
        "DfE: over £12bn high-needs funding for 2025-26",
    ),
];

/// National unit costs, pounds per plan per year, by category, with what each is: national
/// averages where published, otherwise labelled as a local example or illustrative.
const UNIT_COSTS: [(&str, f64, &str); 7] = [
    (
        "mainstream",
        8_700.0,
        "not a national figure: a local example's mean mainstream top-up, £8,662 (2022-23, docs/domain.md); no national average is published",
    ),
    (
        "resourced_provision",
        18_000.0,
        "£10,000 place funding (national rule) plus an illustrative £8,000 top-up",
    ),
    (
        "special",
        26_000.0,
        "national average cost per pupil in maintained and academy special schools, about £26k (DfE written answers, 2023-24)",
    ),
    (
        "independent_special",
        64_000.0,
        "national average cost per pupil in independent and non-maintained special schools, about £64k (DfE written answers, 2024-25)",
    ),
    (
        "alternative_provision",
        20_000.0,
        "£10,000 place funding (national rule) plus an illustrative £10,000 top-up",
    ),
    (
        "post16",
        11_000.0,
        "illustrative: £6,000 element 2 plus a £5,000 top-up",
    ),
    (
        "other",
        6_000.0,
        "illustrative: early years, education otherwise than at school and children awaiting provision",
    ),
];

/// The national (or labelled illustrative) unit cost of a placement category, with what it is.
pub(super) fn national_unit_cost(name: &str) -> (f64, &'static str) {
    UNIT_COSTS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map_or((0.0, ""), |(_, c, s)| (*c, *s))
}

/// How a category's unit cost is made from the council's section 251 outturn (DfE high-needs
/// benchmarking): the top-up lines paid for it, the benchmarking plan counts they are shared
/// over, and whether £10,000 place funding is added (the national rule for special schools,
/// resourced provision and AP; the outturn holds only the places the council pays itself).
const S251_COSTS: [(&str, &[&str], &[&str], bool); 6] = [
    (
        "mainstream",
        &[
            "top_up_maintained_primary",
            "top_up_maintained_secondary",
            "top_up_independent_primary",
            "top_up_independent_secondary",
        ],
        &["mainstream", "resourced_provision"],
        false,
    ),
    (
        "resourced_provision",
        &[
            "top_up_maintained_primary",
            "top_up_maintained_secondary",
            "top_up_independent_primary",
            "top_up_independent_secondary",
        ],
        &["mainstream", "resourced_provision"],
        true,
    ),
    (
        "special",
        &["top_up_maintained_special"],
        &["special"],
        true,
    ),
    (
        "independent_special",
        &["top_up_independent_special"],
        &["independent"],
        false,
    ),
    (
        "alternative_provision",
        &["top_up_maintained_ap", "top_up_independent_ap"],
        &["hospital_ap"],
        true,
    ),
    (
        "post16",
        &[
            "top_up_maintained_post_school",
            "top_up_independent_post_school",
        ],
        &["post_16"],
        false,
    ),
];

/// Place funding a year for a place in a special school, resourced provision or AP (national rule).
const PLACE_FUNDING: f64 = 10_000.0;

/// Yearly growth that carries a section 251 unit cost to the base year (ILLUSTRATIVE: pay and
/// prices, as `cost.inflation`'s 2% plus a point for rising needs).
const S251_UPRATING: f64 = 0.03;

/// Unit costs from the council's own section 251 outturn where it is published and gives a
/// figure between £1,000 and £250,000 a plan; the national figures otherwise (as labelled).
pub(super) fn own_unit_costs(panel: &Panel, area: &Area, as_at: i32, placements: &mut [Placement]) {
    let value = |series: String, year: i32| {
        panel
            .find(&area.code, &series, year)
            .and_then(|r| r.value.number().map(|v| (v, r)))
    };
    for (name, lines, plans, place) in S251_COSTS {
        let Some(p) = placements.iter_mut().find(|p| p.name == name) else {
            continue;
        };
        // The outturn's financial year and the count shared over (January of its end).
        let Some(year) = (2015..as_at)
            .rev()
            .find(|y| value(format!("s251.outturn.{}", lines[0]), *y).is_some())
        else {
            continue;
        };
        let spend: Option<f64> = lines
            .iter()
            .map(|l| value(format!("s251.outturn.{l}"), year).map(|v| v.0))
            .sum();
        let count: Option<f64> = plans
            .iter()
            .map(|c| value(format!("benchmark.ehcp.{c}"), year + 1).map(|v| v.0))
            .sum();
        let (Some(spend), Some(count)) = (spend, count) else {
            continue;
        };
        if count < 1.0 {
            continue;
        }
        let years = as_at - 1 - year;
        let top_up = spend / count * (1.0 + S251_UPRATING).powi(years);
        let cost = (top_up + if place { PLACE_FUNDING } else { 0.0 }).round();
        if !(1_000.0..=250_000.0).contains(&cost) {
            continue;
        }
        let file = value(format!("s251.outturn.{}", lines[0]), year)
            .map_or(String::new(), |v| v.1.source_file.clone());
        p.unit_cost = Sourced {
            value: cost,
            source: format!(
                "the council's own: section 251 outturn {}-{:02} ({file}), {} over its {} plans (January {}): £{:.0} a plan, carried {years} years at an ILLUSTRATIVE 3% a year{}",
                year,
                (year + 1).rem_euclid(100),
                lines.join(" + "),
                plans.join(" + "),
                year + 1,
                spend / count,
                if place {
                    ", plus £10,000 place funding"
                } else {
                    ""
                }
            ),
        };
    }
}

/// The base year's high-needs allocation: the council's latest ESFA figure (before deductions)
/// carried to the base year by the national change, or, where none is published, the council's
/// share of plans of the national allocation (an estimate, noted).
pub(super) fn allocation(
    panel: &Panel,
    area: &Area,
    as_at: i32,
    plans: f64,
    notes: &mut Vec<String>,
) -> (Sourced, bool) {
    let base = as_at - 1;
    let national = |year: i32| NATIONAL_HIGH_NEEDS.iter().find(|n| n.0 == year);
    let own = panel
        .series(&area.code, "dsg.high_needs_before_deductions")
        .into_iter()
        .filter(|(y, _)| *y <= base)
        .filter_map(|(y, v)| v.number().map(|v| (y, v)))
        .next_back();
    if let Some((year, value)) = own
        && let (Some(from), Some(to)) = (national(year), national(base))
    {
        let row = panel.find(&area.code, "dsg.high_needs_before_deductions", year);
        let file = row.map_or(String::new(), |r| {
            format!("{}, {}", r.source_file, r.source_table)
        });
        let carried = value * to.1 / from.1;
        let how = if year == base {
            String::new()
        } else {
            format!(
                ", carried to {}-{:02} by the national change ({} to {})",
                base,
                (base + 1).rem_euclid(100),
                from.2,
                to.2
            )
        };
        return (
            Sourced {
                value: carried.round(),
                source: format!(
                    "{file}: high needs before deductions {}-{:02}, £{}{how}",
                    year,
                    (year + 1).rem_euclid(100),
                    value
                ),
            },
            true,
        );
    }
    let england = panel
        .find("E92000001", "caseload", as_at)
        .and_then(|r| r.value.number());
    let (value, source) = match (national(base), england) {
        (Some(n), Some(all)) if all > 0.0 => (
            (n.1 * plans / all).round(),
            format!(
                "ESTIMATE, not the council's figure: its share of England's plans at January {as_at} ({plans} of {all}) of the national allocation ({})",
                n.2
            ),
        ),
        _ => (
            0.0,
            "no allocation found: set funding.allocation to the council's high-needs allocation"
                .to_string(),
        ),
    };
    notes.push(format!(
        "{}'s own high-needs allocation is not in the panel: funding.allocation is an estimate; replace it with the ESFA figure",
        area.name
    ));
    (Sourced { value, source }, false)
}
