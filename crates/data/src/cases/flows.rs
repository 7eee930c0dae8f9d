//! Joiners, leavers and movers by financial year, from the dated episodes, and the flow model's
//! rates pooled over the last complete years.

use super::date::Date;
use super::quality::Quality;
use super::read::CaseList;

/// Days between one episode's end and the next one's start within which the child is taken to
/// have moved (rather than left and later rejoined).
pub const MOVE_GAP_DAYS: i32 = 31;

/// The flows of one financial year (April to March).
#[derive(Debug, Clone, PartialEq)]
pub struct YearFlows {
    /// The year, by its first calendar year (2025 for 2025-26).
    pub year: i32,
    /// Plans open at the start of the year (on 31 March), by provision.
    pub opening: Vec<u64>,
    /// New plans in the year, by provision.
    pub joiners: Vec<u64>,
    /// Plans ceased in the year, by provision.
    pub leavers: Vec<u64>,
    /// Moves in the year, `movers[from][to]`.
    pub movers: Vec<Vec<u64>>,
}

/// Flows by year and the pooled rates.
///
/// ```
/// use dsg_data::cases::{CaseList, Date, Flows, Mapping, Quality};
/// let csv = "plan_id,child_id,date_of_birth,setting,primary_need,start_date,end_date,ceased_date,status\n\
///            P1,C1,2012-05-01,A,ASD,2023-09-01,2024-06-30,,ceased\n\
///            P2,C1,2012-05-01,B,ASD,2024-07-01,,,active\n\
///            P3,C2,2013-02-11,A,ASD,2023-09-01,2025-01-31,2025-01-31,ceased\n";
/// let list = CaseList::from_csv(csv.as_bytes(), "c.csv")?;
/// let map = Mapping::identity(&list.settings);
/// let as_at = Date::parse("2025-03-31").ok_or("")?;
/// let q = Quality::check(&list, &map, as_at);
/// let f = Flows::of(&list, &q, map.provisions.len(), as_at, 3);
/// let y = f.years.last().ok_or("")?;
/// assert_eq!((y.year, y.opening[0], y.leavers[0], y.movers[0][1]), (2024, 2, 1, 1));
/// assert_eq!(f.leaver_rate[0], 0.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Flows {
    /// Every complete financial year in the data, oldest first.
    pub years: Vec<YearFlows>,
    /// The years pooled for the rates (the last `years` complete ones), as first calendar years.
    pub pooled: Vec<i32>,
    /// Leavers / opening caseload, pooled, by provision.
    pub leaver_rate: Vec<f64>,
    /// Movers / the origin's opening caseload, pooled, `mover_rate[from][to]`.
    pub mover_rate: Vec<Vec<f64>>,
    /// Each provision's share of new plans, pooled.
    pub joiner_share: Vec<f64>,
    /// New plans in the last complete year.
    pub joiners_last_year: u64,
}

impl Flows {
    /// The flows of the records `quality` does not mark as copies and whose setting is mapped,
    /// for the complete financial years up to `as_at`, pooling the last `pool_years`.
    pub fn of(
        list: &CaseList,
        quality: &Quality,
        provisions: usize,
        as_at: Date,
        pool_years: usize,
    ) -> Flows {
        let recs = &list.records;
        let mut idx: Vec<usize> = (0..recs.len())
            .filter(|&i| !quality.copy[i] && quality.provision[i].is_some())
            .collect();
        let Some(first_start) = idx.iter().map(|&i| recs[i].start).min() else {
            return Flows::default();
        };
        let last_year = as_at.add_days(1).financial_year() - 1;
        // At most the last 20 years (a mistyped start date in 1900 does not make a century of
        // empty years).
        let first_year = (first_start.financial_year() + 1).max(last_year - 19);
        if last_year < first_year {
            return Flows::default();
        }
        let ny = (last_year - first_year + 1) as usize;
        let zero = |n: usize| vec![0u64; n];
        let mut years: Vec<YearFlows> = (0..ny)
            .map(|k| YearFlows {
                year: first_year + k as i32,
                opening: zero(provisions),
                joiners: zero(provisions),
                leavers: zero(provisions),
                movers: vec![zero(provisions); provisions],
            })
            .collect();
        let slot = |d: Date| -> Option<usize> {
            let y = d.financial_year();
            (first_year..=last_year)
                .contains(&y)
                .then(|| (y - first_year) as usize)
        };
        let mar31 = |y: i32| Date::from_ymd(y, 3, 31);
        idx.sort_unstable_by(|&a, &b| {
            (recs[a].child_id.as_str(), recs[a].start)
                .cmp(&(recs[b].child_id.as_str(), recs[b].start))
        });
        for (pos, &i) in idx.iter().enumerate() {
            let r = &recs[i];
            let Some(p) = quality.provision[i] else {
                continue;
            };
            let same = |j: usize| recs[j].child_id == r.child_id;
            // Opening caseloads.
            for y in years.iter_mut() {
                if mar31(y.year).is_some_and(|d| r.open_on(d)) {
                    y.opening[p] += 1;
                }
            }
            // Joiner: no earlier episode of this child ending within the gap before the start.
            let prev = pos.checked_sub(1).map(|k| idx[k]).filter(|&j| same(j));
            let joined = prev.is_none_or(|j| {
                recs[j]
                    .stopped()
                    .is_some_and(|s| s.add_days(MOVE_GAP_DAYS) < r.start)
            });
            if joined && let Some(k) = slot(r.start) {
                years[k].joiners[p] += 1;
            }
            // Leaver or mover: what follows the end of this episode.
            let Some(stop) = r.stopped() else { continue };
            let Some(k) = slot(stop) else { continue };
            let next = idx.get(pos + 1).copied().filter(|&j| same(j));
            match next {
                Some(j) if recs[j].start <= stop.add_days(MOVE_GAP_DAYS) => {
                    if let Some(q) = quality.provision[j]
                        && q != p
                    {
                        years[k].movers[p][q] += 1;
                    }
                }
                _ => years[k].leavers[p] += 1,
            }
        }
        let pool = &years[ny.saturating_sub(pool_years.max(1))..];
        let sum = |f: &dyn Fn(&YearFlows) -> u64| pool.iter().map(f).sum::<u64>();
        let rate = |num: u64, den: u64| {
            if den == 0 {
                0.0
            } else {
                num as f64 / den as f64
            }
        };
        let opening: Vec<u64> = (0..provisions).map(|p| sum(&|y| y.opening[p])).collect();
        let joiners: Vec<u64> = (0..provisions).map(|p| sum(&|y| y.joiners[p])).collect();
        let all_joiners: u64 = joiners.iter().sum();
        Flows {
            pooled: pool.iter().map(|y| y.year).collect(),
            leaver_rate: (0..provisions)
                .map(|p| rate(sum(&|y| y.leavers[p]), opening[p]))
                .collect(),
            mover_rate: (0..provisions)
                .map(|p| {
                    (0..provisions)
                        .map(|q| rate(sum(&|y| y.movers[p][q]), opening[p]))
                        .collect()
                })
                .collect(),
            joiner_share: joiners.iter().map(|&j| rate(j, all_joiners)).collect(),
            joiners_last_year: years.last().map_or(0, |y| y.joiners.iter().sum()),
            years,
        }
    }
}
