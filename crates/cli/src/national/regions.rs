//! Regions in `dsg national`: each council's region (dsg_data's table, derived from DfE's EHC
//! plan releases), the children aged 2-18 the gaps per child are over, and the regions' totals
//! on the same paths as the national totals.

use std::collections::BTreeMap;

use dsg_data::public::{BOUNDARY_CHANGES, Panel, REGIONS, region_of_la};
use dsg_montecarlo::national::{Measure, NationalAggregate};
use serde::Serialize;

use super::Members;
use super::row::{NationalRow, QUANTILES};

/// The panel's series of children aged 2-18 (DfE high-needs benchmarking).
const POPULATION: &str = "population_2_18";

/// The index in [`REGIONS`] of the region of the council with ONS code `code`.
pub fn region_index(code: &str) -> Option<usize> {
    let (region, _) = region_of_la(code)?;
    REGIONS.iter().position(|(c, _)| *c == region)
}

/// Sets each council's children aged 2-18 at the panel's latest year of them, and each
/// region's: the sum over its councils, with an authority ended at a boundary change standing
/// for successors that have no figure of their own (Cumbria for Cumberland and Westmorland and
/// Furness). A council with no figure (the City of London, the Isles of Scilly: a few hundred
/// children) is left out of its region's children but not of its gap.
pub fn add_population(panel: &Panel, members: &mut Members) {
    let levels = panel.levels(POPULATION);
    let Some(year) = levels
        .iter()
        .flat_map(|a| a.levels.iter().map(|l| l.0))
        .max()
    else {
        return;
    };
    let at: BTreeMap<&str, f64> = levels
        .iter()
        .filter_map(|a| {
            let v = a.levels.iter().find(|l| l.0 == year)?.1;
            Some((a.area.as_str(), v))
        })
        .collect();
    let mut regions = vec![None; REGIONS.len()];
    let mut add = |region: usize, v: f64| {
        let r: &mut Option<f64> = &mut regions[region];
        *r = Some(r.unwrap_or(0.0) + v);
    };
    for m in &mut members.councils {
        m.population = at.get(m.code.as_str()).copied();
        if let (Some(r), Some(v)) = (m.region, m.population) {
            add(r, v);
        }
    }
    let run_without = |code: &str| {
        members
            .councils
            .iter()
            .any(|m| m.code == code && m.population.is_none())
    };
    for change in BOUNDARY_CHANGES {
        let after: Vec<Option<usize>> = change.after.iter().map(|a| region_index(a.0)).collect();
        let before: Option<f64> = change.before.iter().map(|b| at.get(b.0).copied()).sum();
        if let (Some(v), Some(&Some(r))) = (before, after.first())
            && after.iter().all(|x| *x == Some(r))
            && change.after.iter().all(|a| run_without(a.0))
        {
            add(r, v);
        }
    }
    members.population_year = Some(year);
    members.region_population = regions;
}

/// One region's totals.
#[derive(Serialize)]
pub struct RegionRow {
    /// ONS code.
    pub code: &'static str,
    /// Name.
    pub name: &'static str,
    /// Councils in the run.
    pub councils: usize,
    /// Plans at the base year, summed over its councils.
    pub ehcps_base: f64,
    /// Children aged 2-18 (see the notes), where known.
    pub children_2_18: Option<f64>,
    /// The in-year gap per child aged 2-18 in the report year: median and 90th percentile.
    pub gap_per_child_p50: Option<f64>,
    /// See `gap_per_child_p50`.
    pub gap_per_child_p90: Option<f64>,
    /// Every measure and year, as the national table.
    pub series: Vec<NationalRow>,
}

/// The regions' rows: those with councils in the run, in [`REGIONS`] order.
pub fn rows(
    members: &Members,
    agg: &NationalAggregate,
    year: impl Fn(usize) -> String,
    t_report: usize,
) -> Vec<RegionRow> {
    let h = agg.horizon;
    (0..agg.groups.len())
        .filter_map(|g| {
            let in_region: Vec<_> = members
                .councils
                .iter()
                .filter(|m| m.region == Some(g))
                .collect();
            let (code, name) = *REGIONS.get(g)?;
            let children = members.region_population.get(g).copied().flatten();
            let per_child = |p: f64| {
                children
                    .filter(|c| *c > 0.0)
                    .map(|c| -agg.group_quantile(g, Measure::InYear, t_report, p) / c)
            };
            let mut series = Vec::new();
            for m in Measure::ALL {
                for t in 1..=h {
                    series.push(NationalRow {
                        measure: m.name(),
                        year: year(t),
                        mean: agg.group_mean(g, m, t),
                        se: agg.group_se(g, m, t),
                        quantiles: QUANTILES
                            .iter()
                            .map(|(p, _)| agg.group_quantile(g, m, t, *p))
                            .collect(),
                    });
                }
            }
            Some(RegionRow {
                code,
                name,
                councils: in_region.len(),
                ehcps_base: in_region.iter().map(|m| m.base_ehcps).sum(),
                children_2_18: children,
                gap_per_child_p50: per_child(0.5),
                gap_per_child_p90: per_child(0.1),
                series,
            })
        })
        .collect()
}
