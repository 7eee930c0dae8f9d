//! The baseline at a date: caseload and unit cost by provision, the flow rates, and the
//! commented scenario fragment that records what it was built from.

use crate::escape::{toml_comment, toml_string};
use std::fmt::Write as _;

use super::date::Date;
use super::flows::Flows;
use super::mapping::Mapping;
use super::quality::{Quality, median};
use super::read::CaseList;

/// One provision at the as-at date.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionBaseline {
    /// The scenario's provision name.
    pub name: String,
    /// Plans counted open at the date.
    pub caseload: u64,
    /// Of those, plans with a cost above zero.
    pub costed: u64,
    /// Mean annual cost of the costed plans (the scenario's `unit_cost`: caseload x mean = spend).
    pub mean: f64,
    /// Median annual cost.
    pub median: f64,
    /// 10th percentile of annual cost.
    pub p10: f64,
    /// 90th percentile of annual cost.
    pub p90: f64,
}

/// Where the case list came from, for the fragment's comments.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// The case list file, as given.
    pub file: String,
    /// Its SHA-256, in hex.
    pub sha256: String,
    /// The mapping file and its SHA-256, if one was given.
    pub mapping: Option<(String, String)>,
}

/// Everything `dsg baseline` works out from a case list.
///
/// ```
/// use dsg_data::cases::{Baseline, CaseList, Date, Mapping};
/// let csv = "plan_id,child_id,date_of_birth,setting,primary_need,start_date,status,annual_cost\n\
///            P1,C1,2015-05-01,special,ASD,2022-09-01,active,20000\n\
///            P2,C2,2014-05-01,special,SEMH,2023-09-01,active,30000\n";
/// let list = CaseList::from_csv(csv.as_bytes(), "c.csv")?;
/// let map = Mapping::identity(&list.settings);
/// let b = Baseline::build(&list, &map, Date::parse("2026-03-31").ok_or("")?, 3);
/// assert_eq!((b.provisions[0].caseload, b.provisions[0].mean), (2, 25_000.0));
/// assert!(b.fragment(&Default::default()).contains("caseload = 2"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The date the caseload is counted on.
    pub as_at: Date,
    /// By provision, in the mapping's order.
    pub provisions: Vec<ProvisionBaseline>,
    /// The checks' findings.
    pub quality: Quality,
    /// Joiners, leavers and movers.
    pub flows: Flows,
    /// Data rows read, rows left out as unreadable, and rows counted.
    pub rows: (usize, usize, u64),
}

impl Baseline {
    /// Checks `list` and works out the baseline at `as_at`, pooling the flows of the last
    /// `pool_years` complete financial years.
    pub fn build(list: &CaseList, map: &Mapping, as_at: Date, pool_years: usize) -> Baseline {
        let quality = Quality::check(list, map, as_at);
        let np = map.provisions.len();
        let mut costs: Vec<Vec<f64>> = vec![Vec::new(); np];
        let mut caseload = vec![0u64; np];
        for (i, r) in list.records.iter().enumerate() {
            if !quality.counted[i] {
                continue;
            }
            let Some(p) = quality.provision[i] else {
                continue;
            };
            caseload[p] += 1;
            if let Some(c) = r.cost.filter(|&c| c > 0.0) {
                costs[p].push(c);
            }
        }
        let provisions = map
            .provisions
            .iter()
            .zip(caseload)
            .zip(costs.iter_mut())
            .map(|((name, caseload), c)| {
                let mean = if c.is_empty() {
                    0.0
                } else {
                    c.iter().sum::<f64>() / c.len() as f64
                };
                c.sort_unstable_by(f64::total_cmp);
                let pct = |q: f64| {
                    if c.is_empty() {
                        0.0
                    } else {
                        c[((c.len() - 1) as f64 * q).round() as usize]
                    }
                };
                ProvisionBaseline {
                    name: name.clone(),
                    caseload,
                    costed: c.len() as u64,
                    mean,
                    median: median(&mut c.clone()),
                    p10: pct(0.1),
                    p90: pct(0.9),
                }
            })
            .collect::<Vec<_>>();
        let flows = Flows::of(list, &quality, np, as_at, pool_years);
        let bad_rows = {
            let mut rows: Vec<usize> = list.problems.iter().map(|p| p.row).collect();
            rows.dedup();
            rows.len()
        };
        let counted = provisions.iter().map(|p| p.caseload).sum();
        Baseline {
            as_at,
            provisions,
            quality,
            flows,
            rows: (list.rows_read, bad_rows, counted),
        }
    }

    /// The commented scenario fragment: `[demand.joiners]`, `[[provisions]]` and `[[movers]]`
    /// (the flow model when there are complete years of flows, else caseloads and unit costs
    /// only), to paste into a scenario.
    pub fn fragment(&self, from: &Provenance) -> String {
        let mut s = String::new();
        let (read, bad, counted) = self.rows;
        let _ = writeln!(
            s,
            "# Baseline built by `dsg baseline` from a plan-level case list."
        );
        let _ = writeln!(
            s,
            "# Case list: {} (SHA-256 {})",
            toml_comment(&from.file),
            from.sha256
        );
        match &from.mapping {
            Some((f, h)) => {
                let _ = writeln!(s, "# Setting map: {} (SHA-256 {h})", toml_comment(f));
            }
            None => {
                let _ = writeln!(
                    s,
                    "# No setting map: each setting code is its own provision."
                );
            }
        }
        let _ = writeln!(
            s,
            "# As at {}: {read} rows read, {bad} left out as unreadable, {counted} plans counted open.",
            self.as_at
        );
        let _ = writeln!(
            s,
            "# Rows found by the data-quality checks are treated as quality.html says. Set [scenario] base_year to {}-{:02}.",
            self.as_at.financial_year(),
            (self.as_at.financial_year() + 1) % 100
        );
        let f = &self.flows;
        let flows = !f.pooled.is_empty() && f.joiners_last_year > 0;
        if flows {
            let first = f.pooled.first().copied().unwrap_or_default();
            let last = f.pooled.last().copied().unwrap_or_default();
            let _ = writeln!(
                s,
                "# Flow rates pooled over the financial years {first}-{:02} to {last}-{:02}.",
                (first + 1) % 100,
                (last + 1) % 100
            );
            let by_year: Vec<String> = f
                .years
                .iter()
                .map(|y| {
                    format!(
                        "{}-{:02} {}",
                        y.year,
                        (y.year + 1) % 100,
                        y.joiners.iter().sum::<u64>()
                    )
                })
                .collect();
            let _ = writeln!(s, "\n[demand.joiners]");
            let _ = writeln!(
                s,
                "opening = {}    # new plans in the last complete year (by year: {})",
                f.joiners_last_year,
                by_year.join(", ")
            );
        }
        let shares = rounded_shares(&f.joiner_share);
        for (p, b) in self.provisions.iter().enumerate() {
            let _ = writeln!(s, "\n[[provisions]]");
            let _ = writeln!(s, "name = {}", toml_string(&b.name));
            let _ = writeln!(
                s,
                "caseload = {}    # plans open on {}",
                b.caseload, self.as_at
            );
            let _ = writeln!(
                s,
                "unit_cost = {:.0}    # mean annual cost of {} plans with a cost; median {:.0}, 10th to 90th percentile {:.0} to {:.0}",
                b.mean, b.costed, b.median, b.p10, b.p90
            );
            if flows {
                let _ = writeln!(s, "model = \"flows\"");
                let _ = writeln!(
                    s,
                    "joiner_share = {}    # share of new plans placed here",
                    shares[p]
                );
                let _ = writeln!(
                    s,
                    "leaver_rate = {:.6}    # plans ceased a year / plans open at the year's start",
                    f.leaver_rate.get(p).copied().unwrap_or(0.0)
                );
            }
        }
        if flows {
            for (p, row) in f.mover_rate.iter().enumerate() {
                for (q, &rate) in row.iter().enumerate() {
                    if rate > 0.0 {
                        let _ = writeln!(
                            s,
                            "\n[[movers]]\nfrom = {}\nto = {}\nrate = {rate:.6}    # moves a year / plans open at the year's start",
                            toml_string(&self.provisions[p].name),
                            toml_string(&self.provisions[q].name)
                        );
                    }
                }
            }
        }
        s
    }
}

/// Shares rounded to 6 decimals that sum to exactly 1 (the largest absorbs the rounding).
fn rounded_shares(shares: &[f64]) -> Vec<String> {
    let mut micro: Vec<i64> = shares.iter().map(|x| (x * 1e6).round() as i64).collect();
    let total: i64 = micro.iter().sum();
    if total > 0
        && let Some(k) = (0..micro.len()).max_by_key(|&k| micro[k])
    {
        micro[k] += 1_000_000 - total;
    }
    micro
        .iter()
        .map(|m| format!("{}.{:06}", m / 1_000_000, m % 1_000_000))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::Check;

    /// Eleven rows worked by hand (see the comments).
    const LIST: &str = "plan_id,child_id,date_of_birth,setting,primary_need,start_date,end_date,ceased_date,status,annual_cost
P1,C1,2012-01-10,A,ASD,2020-09-01,,,active,20000
P2,C2,2013-05-05,A,SEMH,2021-09-01,,,active,30000
P3,C3,2011-03-03,B,ASD,2019-09-01,,,active,60000
P4,C4,2014-04-04,A,MLD,2022-01-01,2025-07-31,2025-07-31,ceased,25000
P5,C5,2010-02-02,B,SLD,2023-01-01,,,active,
P2,C2,2013-05-05,A,SEMH,2021-09-01,,,active,30000
P7,C7,2015-06-06,A,ASD,2024-09-01,,,dormant,10000
P8,C8,2009-09-09,X,ASD,2024-09-01,,,active,40000
P9,C9,2012-12-12,A,PD,2020-01-01,2025-12-31,,active,22000
P10,C10,2016-01-01,A,HI,2025-04-01,,,active,0
P11,C11,2014-02-02,B,SLCN,2026-04-01,,,active,70000
";

    #[test]
    fn a_small_list_checked_by_hand() {
        let list = CaseList::from_csv(LIST.as_bytes(), "hand.csv").unwrap_or_default();
        assert!(list.problems.is_empty(), "{:?}", list.problems);
        let map = Mapping::from_csv(
            "setting,provision\nA,special\nB,inmss\n".as_bytes(),
            "map.csv",
        )
        .unwrap_or_default();
        let as_at = Date::from_ymd(2026, 3, 31).unwrap_or(Date::from_days(0));
        let b = Baseline::build(&list, &map, as_at, 3);
        // special: P1, P2 and P10 (P4 ceased, the second P2 a copy, P7 dormant, P9 past its
        // end); costed: P1 and P2 (P10's cost is zero).
        let s = &b.provisions[0];
        assert_eq!(
            (s.caseload, s.costed, s.mean, s.median),
            (3, 2, 25_000.0, 25_000.0)
        );
        // inmss: P3 and P5 (P11 starts after the date); costed: P3.
        let i = &b.provisions[1];
        assert_eq!((i.caseload, i.costed, i.mean), (2, 1, 60_000.0));
        assert_eq!(b.rows, (11, 0, 5));
        let got = |c: Check| -> Vec<(usize, u32, f64)> {
            b.quality
                .of(c)
                .map(|f| (list.records[f.record].row, f.children, f.pounds))
                .collect()
        };
        assert_eq!(got(Check::DuplicatePlan), [(7, 1, 30_000.0)]);
        assert_eq!(got(Check::Dormant), [(8, 1, 10_000.0)]);
        assert_eq!(got(Check::UnknownSetting), [(9, 1, 40_000.0)]);
        assert_eq!(got(Check::PastEndDate), [(10, 1, 22_000.0)]);
        // Missing costs at the provision's mean: P5 (inmss, £60,000), P10 (special, £25,000).
        assert_eq!(
            got(Check::MissingCost),
            [(6, 0, 60_000.0), (11, 0, 25_000.0)]
        );
        for c in [
            Check::DuplicatePerson,
            Check::CeasedStillActive,
            Check::CostOutlier,
            Check::AgeOutOfRange,
            Check::OverlappingPlacements,
        ] {
            assert!(got(c).is_empty(), "{c:?}: {:?}", got(c));
        }
        let fragment = b.fragment(&Provenance::default());
        assert!(
            fragment.contains("name = \"special\"\ncaseload = 3"),
            "{fragment}"
        );
        assert!(fragment.contains("unit_cost = 25000"), "{fragment}");
    }

    #[test]
    fn shares_sum_to_exactly_one() {
        let s = rounded_shares(&[1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0]);
        let total: f64 = s.iter().filter_map(|x| x.parse::<f64>().ok()).sum();
        assert!((total - 1.0).abs() < 1e-12, "{s:?}");
    }
}
