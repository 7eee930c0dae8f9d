//! What `dsg national` reports: national totals by year with quantiles, a row per council, the
//! published national figures placed on the distribution, and the base year's count reconciled
//! to DfE's national figure.

use std::path::Path;

use dsg_core::money::group_thousands;
use dsg_montecarlo::national::{Measure, NationalAggregate, NationalSettings};
use serde::Serialize;

use super::Members;
use super::regions::{self, RegionRow};
pub(super) use super::row::{NationalRow, QUANTILES};

/// The year the council table and the published figures are read at: ending March 2028.
const REPORT_YEAR: &str = "2027-28";

/// One council.
#[derive(Serialize)]
pub(super) struct CouncilRow {
    pub(super) code: String,
    pub(super) name: String,
    /// Its region's name (blank for a council of a folder run).
    pub(super) region: String,
    pub(super) ehcps_base: f64,
    ehcps_p50: f64,
    ehcps_p90: f64,
    growth_a_year: f64,
    pub(super) gap_per_plan_p50: f64,
    pub(super) gap_per_plan_p90: f64,
    /// The in-year gap per child aged 2-18 (children at the panel's latest population year).
    gap_per_child_p50: Option<f64>,
    gap_per_child_p90: Option<f64>,
    deficit_p50: f64,
    deficit_p90: f64,
    chance_exceeds_reserves: Option<f64>,
    pub(super) rank: usize,
    /// Plans each year: P5, P25, P50, P75, P95.
    pub(super) ehcps_fan: Vec<[f64; 5]>,
}

/// A published national figure and where it falls.
#[derive(Serialize)]
pub(super) struct Placement {
    pub(super) source: &'static str,
    pub(super) what: &'static str,
    pub(super) year: &'static str,
    pub(super) figure: f64,
    /// Share of simulated futures with a gap or deficit below the figure.
    pub(super) futures_below: Option<f64>,
}

/// The base year's count against DfE's national figure.
#[derive(Serialize)]
pub(super) struct Reconciliation {
    pub(super) councils: usize,
    pub(super) sum_of_councils: f64,
    pub(super) england: Option<(i32, f64)>,
    pub(super) difference: Option<f64>,
    pub(super) left_out: Vec<(String, String)>,
}

/// Everything a national run reports.
#[derive(Serialize)]
pub struct Results {
    pub(super) format: &'static str,
    pub(super) dsg_version: &'static str,
    pub(super) paths: u64,
    pub(super) seed: u64,
    pub(super) national_share: f64,
    pub(super) report_year: String,
    pub(super) balances_given: bool,
    pub(super) notes: Vec<String>,
    pub(super) reconciliation: Reconciliation,
    pub(super) published: Vec<Placement>,
    pub(super) national: Vec<NationalRow>,
    pub(super) councils: Vec<CouncilRow>,
    /// The year of the children aged 2-18 the gaps per child are over.
    pub(super) population_year: Option<i32>,
    pub(super) regions: Vec<RegionRow>,
}

/// The published figures to place (docs/domain.md): source, what, year, figure as a gap or
/// deficit in pounds, and the measure.
const PUBLISHED: [(&str, &str, &str, f64, Measure); 5] = [
    ("NAO", "in-year gap, low", "2027-28", 2.9e9, Measure::InYear),
    (
        "NAO",
        "in-year gap, high",
        "2027-28",
        3.9e9,
        Measure::InYear,
    ),
    (
        "OBR",
        "spending above funding",
        "2028-29",
        6.3e9,
        Measure::InYear,
    ),
    (
        "IFS",
        "cumulative deficit",
        "2027-28",
        8e9,
        Measure::Cumulative,
    ),
    (
        "OBR",
        "cumulative deficit",
        "2027-28",
        14e9,
        Measure::Cumulative,
    ),
];

impl Results {
    /// Gathers the tables from a run's aggregate.
    pub fn new(
        members: &Members,
        agg: &NationalAggregate,
        settings: &NationalSettings,
        balances_given: bool,
    ) -> Self {
        let first = &members.councils[0].scenario;
        let h = agg.horizon;
        let year = |t: usize| first.year(t).to_string();
        let t_report = (1..=h).find(|&t| year(t) == REPORT_YEAR).unwrap_or(h);
        let national = Measure::ALL
            .iter()
            .flat_map(|&m| {
                (1..=h).map(move |t| NationalRow {
                    measure: m.name(),
                    year: year(t),
                    mean: agg.national_mean(m, t),
                    se: agg.national_se(m, t),
                    quantiles: QUANTILES
                        .iter()
                        .map(|(p, _)| agg.national_quantile(m, t, *p))
                        .collect(),
                })
            })
            .collect();
        let published = PUBLISHED
            .iter()
            .map(|&(source, what, y, figure, m)| Placement {
                source,
                what,
                year: y,
                figure,
                futures_below: (1..=h).find(|&t| year(t) == y).map(|t| {
                    let i = Measure::ALL.iter().position(|&x| x == m).unwrap_or(0) * h + t - 1;
                    // A gap below the figure is a balance above minus the figure.
                    1.0 - agg.hists[i].fraction_below(-figure)
                }),
            })
            .collect();
        let sum: f64 = members.councils.iter().map(|m| m.base_ehcps).sum();
        let mut notes = Vec::new();
        if let Some(py) = members.population_year {
            notes.push(format!("Gaps per child: the in-year gap over the children aged 2-18 in {py} (ONS mid-{py} projection, from DfE's high-needs benchmarking {py}-{:02}), the latest year the panel has; blank for a council without that figure. A region's children include those of its councils with a figure, and Cumbria's for Cumberland and Westmorland and Furness.", (py + 1) % 100));
        }
        if !balances_given {
            notes.push("No balances given: each council opens at a DSG balance of 0, so cumulative figures count only what builds up after the base year, not the deficits councils already carry (give --balances; the published cumulative figures include them).".to_string());
        }
        Results {
            format: "dsg-national/1",
            dsg_version: env!("CARGO_PKG_VERSION"),
            paths: settings.paths,
            seed: settings.seed,
            national_share: settings.share,
            report_year: year(t_report),
            balances_given,
            notes,
            reconciliation: Reconciliation {
                councils: members.councils.len(),
                sum_of_councils: sum,
                england: members.england,
                difference: members.england.map(|(_, e)| sum - e),
                left_out: members.left_out.clone(),
            },
            published,
            national,
            councils: council_rows(members, agg, t_report),
            population_year: members.population_year,
            regions: regions::rows(members, agg, year, t_report),
        }
    }
}

/// The council table at year `t`, ranked by the median in-year gap per plan (1 = largest).
fn council_rows(members: &Members, agg: &NationalAggregate, t: usize) -> Vec<CouncilRow> {
    let h = agg.horizon;
    let mut rows: Vec<CouncilRow> = members
        .councils
        .iter()
        .zip(&agg.councils)
        .enumerate()
        .map(|(c, (m, a))| {
            let horizon_mean = agg.council_mean(c, Measure::Ehcps, h);
            let per_child = |p: f64| {
                m.population
                    .filter(|c| *c > 0.0)
                    .map(|c| -a.in_year[t - 1].quantile(p) / c)
            };
            CouncilRow {
                code: m.code.clone(),
                name: m.name.clone(),
                region: m
                    .region
                    .and_then(|r| dsg_data::public::REGIONS.get(r))
                    .map_or_else(String::new, |r| r.1.to_string()),
                ehcps_base: m.base_ehcps,
                ehcps_p50: a.ehcps[t - 1].quantile(0.5),
                ehcps_p90: a.ehcps[t - 1].quantile(0.9),
                growth_a_year: (horizon_mean / m.base_ehcps).powf(1.0 / h as f64) - 1.0,
                gap_per_plan_p50: -a.in_year_per_plan[t - 1].quantile(0.5),
                gap_per_plan_p90: -a.in_year_per_plan[t - 1].quantile(0.1),
                gap_per_child_p50: per_child(0.5),
                gap_per_child_p90: per_child(0.1),
                deficit_p50: -a.cumulative[t - 1].quantile(0.5),
                deficit_p90: -a.cumulative[t - 1].quantile(0.1),
                chance_exceeds_reserves: m
                    .scenario
                    .compares_reserves()
                    .then(|| agg.exceeds_reserves(c, t)),
                rank: 0,
                ehcps_fan: a
                    .ehcps
                    .iter()
                    .map(|hist| [0.05, 0.25, 0.5, 0.75, 0.95].map(|p| hist.quantile(p)))
                    .collect(),
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        rows[b]
            .gap_per_plan_p50
            .total_cmp(&rows[a].gap_per_plan_p50)
            .then(rows[a].code.cmp(&rows[b].code))
    });
    for (rank, &i) in order.iter().enumerate() {
        rows[i].rank = rank + 1;
    }
    rows
}

/// £bn with one decimal, a minus sign before the pound sign.
pub(super) fn bn(x: f64) -> String {
    let sign = if x < -0.05e9 { "-" } else { "" };
    format!("{sign}£{:.1}bn", x.abs() / 1e9)
}

impl Results {
    fn row(&self, measure: &str, year: &str) -> Option<&NationalRow> {
        self.national
            .iter()
            .find(|r| r.measure == measure && r.year == year)
    }

    /// The lines printed after a run.
    pub fn headline(&self, built: f64, ran: f64) -> String {
        let mut out = format!(
            "National run: {} councils, {} paths each, national share of growth shocks {:.3}; scenarios built in {built:.2} s, simulated in {ran:.2} s.\n",
            self.reconciliation.councils,
            group_thousands(&self.paths.to_string()),
            self.national_share
        );
        out.push_str(&self.findings());
        out
    }

    /// The findings: reconciliation, national figures, published figures placed, notes.
    pub fn findings(&self) -> String {
        let r = &self.reconciliation;
        let mut out = String::new();
        if let Some((year, england)) = r.england {
            out.push_str(&format!(
                "Plans at January {year}: {} across the councils run; DfE's England figure {} (difference {}).\n",
                group_thousands(&format!("{:.0}", r.sum_of_councils)),
                group_thousands(&format!("{england:.0}")),
                r.sum_of_councils - england
            ));
        }
        if !r.left_out.is_empty() {
            let names: Vec<&str> = r.left_out.iter().map(|(n, _)| n.as_str()).collect();
            out.push_str(&format!(
                "Not in the run (no count at the base year; ended at boundary changes): {}.\n",
                names.join(", ")
            ));
        }
        let y = &self.report_year;
        for (measure, what, sign) in [
            ("in_year", "In-year gap", -1.0),
            ("cumulative", "Cumulative deficit", -1.0),
        ] {
            if let Some(row) = self.row(measure, y) {
                let q = |i: usize| sign * row.quantiles[i];
                out.push_str(&format!(
                    "{what} in {y}, England (median): {} (90% range {} to {}).\n",
                    bn(q(3)),
                    bn(q(6)),
                    bn(q(0))
                ));
            }
        }
        for p in &self.published {
            if let Some(f) = p.futures_below {
                out.push_str(&format!(
                    "  {} {} {}: {} is above {:.0}% of simulated futures.\n",
                    p.source,
                    p.what,
                    p.year,
                    bn(p.figure),
                    100.0 * f
                ));
            }
        }
        for n in &self.notes {
            out.push_str(&format!("Note: {n}\n"));
        }
        out
    }

    /// The national table: header and rows.
    fn national_table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header: Vec<String> = ["measure", "year", "mean", "se"].map(String::from).to_vec();
        header.extend(QUANTILES.iter().map(|q| q.1.to_string()));
        let rows = self
            .national
            .iter()
            .map(|r| {
                let mut rec = vec![
                    r.measure.to_string(),
                    r.year.clone(),
                    num(r.mean),
                    num(r.se),
                ];
                rec.extend(r.quantiles.iter().map(|&x| num(x)));
                rec
            })
            .collect();
        (header, rows)
    }

    /// The council table, by rank: header and rows.
    fn council_table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let y = &self.report_year;
        let header = [
            "rank".to_string(),
            "code".into(),
            "name".into(),
            "region".into(),
            "ehcps_base".into(),
            format!("ehcps_p50_{y}"),
            format!("ehcps_p90_{y}"),
            "growth_a_year".into(),
            "gap_per_plan_p50".into(),
            "gap_per_plan_p90".into(),
            format!("gap_per_child_2_18_{}_p50", self.child_year()),
            format!("gap_per_child_2_18_{}_p90", self.child_year()),
            "deficit_p50".into(),
            "deficit_p90".into(),
            "chance_exceeds_reserves".into(),
        ]
        .to_vec();
        let mut rows: Vec<&CouncilRow> = self.councils.iter().collect();
        rows.sort_by_key(|r| r.rank);
        let rows = rows
            .into_iter()
            .map(|r| {
                vec![
                    r.rank.to_string(),
                    r.code.clone(),
                    r.name.clone(),
                    r.region.clone(),
                    num(r.ehcps_base),
                    num(r.ehcps_p50),
                    num(r.ehcps_p90),
                    fixed(r.growth_a_year, 4),
                    num(r.gap_per_plan_p50),
                    num(r.gap_per_plan_p90),
                    r.gap_per_child_p50
                        .map_or_else(String::new, |x| fixed(x, 2)),
                    r.gap_per_child_p90
                        .map_or_else(String::new, |x| fixed(x, 2)),
                    num(r.deficit_p50),
                    num(r.deficit_p90),
                    r.chance_exceeds_reserves
                        .map_or_else(String::new, |p| format!("{p:.4}")),
                ]
            })
            .collect();
        (header, rows)
    }

    /// The population year in column names: `2021`, or `na` when no council has one.
    fn child_year(&self) -> String {
        self.population_year
            .map_or_else(|| "na".to_string(), |y| y.to_string())
    }

    /// The regions' table: each region's series as the national table's, then its in-year
    /// balance per child aged 2-18 (negative = a gap) where its children are known.
    fn region_table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header: Vec<String> = ["region_code", "region", "measure", "year", "mean", "se"]
            .map(String::from)
            .to_vec();
        header.extend(QUANTILES.iter().map(|q| q.1.to_string()));
        let mut rows = Vec::new();
        for g in &self.regions {
            let mut record = |measure: &str, r: &NationalRow, scale: f64, digits: usize| {
                let mut rec = vec![
                    g.code.to_string(),
                    g.name.to_string(),
                    measure.to_string(),
                    r.year.clone(),
                    fixed(r.mean / scale, digits),
                    fixed(r.se / scale, digits),
                ];
                rec.extend(r.quantiles.iter().map(|&x| fixed(x / scale, digits)));
                rows.push(rec);
            };
            for r in &g.series {
                record(r.measure, r, 1.0, 0);
            }
            if let Some(children) = g.children_2_18.filter(|c| *c > 0.0) {
                let name = format!("in_year_per_child_2_18_{}", self.child_year());
                for r in g.series.iter().filter(|r| r.measure == "in_year") {
                    record(&name, r, children, 2);
                }
            }
        }
        (header, rows)
    }

    /// Writes national.csv, councils.csv, regions.csv, national.json and national.xlsx into
    /// `dir`.
    pub fn write(&self, dir: &Path) -> anyhow::Result<()> {
        let (national, councils) = (self.national_table(), self.council_table());
        let regions = self.region_table();
        for (file, (header, rows)) in [
            ("national.csv", &national),
            ("councils.csv", &councils),
            ("regions.csv", &regions),
        ] {
            let mut w = csv::Writer::from_path(dir.join(file))?;
            w.write_record(header)?;
            for row in rows {
                w.write_record(row)?;
            }
            w.flush()?;
        }
        std::fs::write(
            dir.join("national.json"),
            serde_json::to_string_pretty(self)?,
        )?;
        super::workbook::write(
            &dir.join("national.xlsx"),
            &self.findings(),
            &[
                ("National", national.0, national.1),
                ("Councils", councils.0, councils.1),
                ("Regions", regions.0, regions.1),
            ],
        )?;
        Ok(())
    }
}

/// A number for a CSV: whole units (blank if not a finite number).
fn num(x: f64) -> String {
    fixed(x, 0)
}

/// A number with `digits` decimals (blank if not a finite number).
fn fixed(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else {
        String::new()
    }
}
