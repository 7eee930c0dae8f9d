//! Data-quality checks on a case list: each finding names the row, what is wrong, and what it
//! changes in the baseline (children and pounds).

use std::collections::HashMap;

use super::date::Date;
use super::mapping::Mapping;
use super::read::CaseList;
use super::record::{CaseRecord, Status};

/// The checks, in the order the report lists them.
///
/// ```
/// use dsg_data::cases::Check;
/// assert_eq!(Check::ALL.len(), 10);
/// assert_eq!(Check::Dormant.key(), "dormant");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// The same plan identifier on more than one row: later copies are left out.
    DuplicatePlan,
    /// The same child under two identifiers (same date of birth, setting, need, start date and
    /// cost): later copies are left out.
    DuplicatePerson,
    /// Status active, but a ceased date on or before the as-at date: left out.
    CeasedStillActive,
    /// Status dormant, open by its dates: left out of the caseload.
    Dormant,
    /// A counted plan with no cost or a zero cost: counted, but left out of the unit cost.
    MissingCost,
    /// A cost more than five robust standard deviations (of log cost) from its provision's
    /// median: counted as it is.
    CostOutlier,
    /// A setting code missing from the mapping: left out.
    UnknownSetting,
    /// Age below 0 or above 25 (at the as-at date, or when the episode stopped): left out.
    AgeOutOfRange,
    /// Two episodes of one child open at once: where both are open at the as-at date, the
    /// earlier is left out.
    OverlappingPlacements,
    /// Status active, not ceased, but the end date is before the as-at date: left out.
    PastEndDate,
}

impl Check {
    /// Every check.
    pub const ALL: [Check; 10] = [
        Check::DuplicatePlan,
        Check::DuplicatePerson,
        Check::CeasedStillActive,
        Check::Dormant,
        Check::MissingCost,
        Check::CostOutlier,
        Check::UnknownSetting,
        Check::AgeOutOfRange,
        Check::OverlappingPlacements,
        Check::PastEndDate,
    ];

    /// A short snake_case name (used in CSV files and by the generator's ground truth).
    ///
    /// ```
    /// assert_eq!(dsg_data::cases::Check::CostOutlier.key(), "cost_outlier");
    /// ```
    pub fn key(self) -> &'static str {
        match self {
            Check::DuplicatePlan => "duplicate_plan",
            Check::DuplicatePerson => "duplicate_person",
            Check::CeasedStillActive => "ceased_still_active",
            Check::Dormant => "dormant",
            Check::MissingCost => "missing_cost",
            Check::CostOutlier => "cost_outlier",
            Check::UnknownSetting => "unknown_setting",
            Check::AgeOutOfRange => "age_out_of_range",
            Check::OverlappingPlacements => "overlapping_placements",
            Check::PastEndDate => "past_end_date",
        }
    }

    /// A heading for a report.
    ///
    /// ```
    /// assert_eq!(dsg_data::cases::Check::Dormant.title(), "Dormant plans");
    /// ```
    pub fn title(self) -> &'static str {
        match self {
            Check::DuplicatePlan => "Duplicate plans",
            Check::DuplicatePerson => "Duplicate people",
            Check::CeasedStillActive => "Ceased plans still counted as active",
            Check::Dormant => "Dormant plans",
            Check::MissingCost => "Missing or zero costs",
            Check::CostOutlier => "Cost outliers",
            Check::UnknownSetting => "Unknown setting codes",
            Check::AgeOutOfRange => "Ages outside 0-25",
            Check::OverlappingPlacements => "Overlapping placements for one child",
            Check::PastEndDate => "Plans past their end date",
        }
    }

    /// What the baseline does with the rows found.
    ///
    /// ```
    /// assert!(dsg_data::cases::Check::MissingCost.treatment().contains("unit cost"));
    /// ```
    pub fn treatment(self) -> &'static str {
        match self {
            Check::DuplicatePlan | Check::DuplicatePerson => "later copies left out",
            Check::CeasedStillActive => "left out: the plan had ceased",
            Check::Dormant => "left out of the caseload (children and cost left out)",
            Check::MissingCost => {
                "counted; left out of the unit cost (pounds: at the provision's mean)"
            }
            Check::CostOutlier => "counted as recorded (pounds: the excess over the median)",
            Check::UnknownSetting => "left out: no provision to count it in",
            Check::AgeOutOfRange => "left out",
            Check::OverlappingPlacements => "the earlier of two open episodes left out",
            Check::PastEndDate => "left out: the placement had ended",
        }
    }
}

/// One row found by a check.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The check.
    pub check: Check,
    /// Index into [`CaseList::records`].
    pub record: usize,
    /// What was found, in words.
    pub detail: String,
    /// Children the baseline changes by because of it (0 or 1).
    pub children: u32,
    /// Pounds a year the baseline's spend changes by because of it.
    pub pounds: f64,
}

/// The outcome of every check, and which records the baseline counts.
///
/// ```
/// use dsg_data::cases::{CaseList, Mapping, Quality, Date};
/// let csv = "plan_id,child_id,date_of_birth,setting,primary_need,start_date,status,annual_cost\n\
///            P1,C1,2015-05-01,S,ASD,2022-09-01,active,25000\n\
///            P1,C1,2015-05-01,S,ASD,2022-09-01,active,25000\n";
/// let list = CaseList::from_csv(csv.as_bytes(), "c.csv")?;
/// let q = Quality::check(&list, &Mapping::identity(&list.settings), Date::parse("2026-03-31").ok_or("")?);
/// assert_eq!(q.findings.len(), 1);
/// assert_eq!(q.counted, [true, false]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Quality {
    /// Every finding, grouped by check in [`Check::ALL`] order, then by row.
    pub findings: Vec<Finding>,
    /// For each record: counted in the caseload at the as-at date.
    pub counted: Vec<bool>,
    /// For each record: a copy (duplicate plan or person), left out of everything.
    pub copy: Vec<bool>,
    /// For each record: its provision, if its setting is mapped.
    pub provision: Vec<Option<usize>>,
}

/// Robust outlier threshold in standard deviations of log cost.
const OUTLIER_SDS: f64 = 5.0;
/// Smallest spread of log cost assumed (so that banded costs, all equal, do not flag every
/// other value).
const MIN_MAD: f64 = 0.1;

impl Quality {
    /// Runs every check at `as_at`.
    pub fn check(list: &CaseList, map: &Mapping, as_at: Date) -> Quality {
        let recs = &list.records;
        let provision = provisions_of(list, map);
        let mut found = Found::new();
        let copy = find_copies(recs, &mut found);
        let excluded = find_left_out(list, map, &provision, &copy, as_at, &mut found);
        let mut counted: Vec<bool> = recs
            .iter()
            .enumerate()
            .map(|(i, r)| !excluded[i] && r.status != Status::Ceased && r.open_on(as_at))
            .collect();
        let overlap_effect = find_overlaps(recs, &copy, &mut counted, &mut found);
        let mut effect: Effects = overlap_effect
            .into_iter()
            .map(|(i, pounds)| ((Check::OverlappingPlacements, i), (1, pounds)))
            .collect();
        let costs = Costs {
            provision: &provision,
            copy: &copy,
            counted: &counted,
        };
        costs.find_problems(list, map.provisions.len(), &mut found, &mut effect);
        let mut findings = with_effects(recs, found, &effect, &counted, as_at);
        findings.sort_by_key(|f| (f.check, recs[f.record].row));
        Quality {
            findings,
            counted,
            copy,
            provision,
        }
    }

    /// The findings of `check`.
    ///
    /// ```
    /// use dsg_data::cases::{Check, Quality};
    /// assert_eq!(Quality::default().of(Check::Dormant).count(), 0);
    /// ```
    pub fn of(&self, check: Check) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.check == check)
    }
}

/// What the checks found, in the order they found it: the check, the record and the detail.
type Found = Vec<(Check, usize, String)>;

/// The children and pounds a finding changes the baseline by, where the check works it out
/// itself (otherwise [`with_effects`] does, from what the baseline leaves out).
type Effects = HashMap<(Check, usize), (u32, f64)>;

/// Each record's provision, if its setting is mapped.
fn provisions_of(list: &CaseList, map: &Mapping) -> Vec<Option<usize>> {
    let by_setting: Vec<Option<usize>> = list
        .settings
        .iter()
        .map(|s| map.get(s).map(|e| e.provision))
        .collect();
    list.records
        .iter()
        .map(|r| by_setting.get(r.setting as usize).copied().flatten())
        .collect()
}

/// Duplicate plans and people: marks the later copies (left out of everything).
fn find_copies(recs: &[CaseRecord], found: &mut Found) -> Vec<bool> {
    let n = recs.len();
    let mut copy = vec![false; n];
    let mut plans: HashMap<&str, usize> = HashMap::with_capacity(n);
    let mut people: HashMap<(i32, u32, u8, i32, u64), usize> = HashMap::with_capacity(n);
    for (i, r) in recs.iter().enumerate() {
        if let Some(&first) = plans.get(r.plan_id.as_str()) {
            copy[i] = true;
            found.push((
                Check::DuplicatePlan,
                i,
                format!("plan {} also on row {}", r.plan_id, recs[first].row),
            ));
            continue;
        }
        plans.insert(&r.plan_id, i);
        let key = (
            r.birth.days(),
            r.setting,
            r.need as u8,
            r.start.days(),
            r.cost.map_or(u64::MAX, f64::to_bits),
        );
        match people.get(&key) {
            Some(&first) if recs[first].child_id != r.child_id => {
                copy[i] = true;
                found.push((
                    Check::DuplicatePerson,
                    i,
                    format!(
                        "child {} looks like child {} on row {} (same birth date, setting, need, start and cost)",
                        r.child_id, recs[first].child_id, recs[first].row
                    ),
                ));
            }
            Some(_) => {}
            None => {
                people.insert(key, i);
            }
        }
    }
    copy
}

/// The rows the baseline leaves out besides copies: ceased or ended plans still marked active,
/// dormant plans, unknown settings and impossible ages. Returns which records are left out
/// (copies included).
fn find_left_out(
    list: &CaseList,
    map: &Mapping,
    provision: &[Option<usize>],
    copy: &[bool],
    as_at: Date,
    found: &mut Found,
) -> Vec<bool> {
    let mut excluded = copy.to_vec();
    for (i, r) in list.records.iter().enumerate() {
        if copy[i] {
            continue;
        }
        if r.status == Status::Active && r.ceased.is_some_and(|c| c <= as_at) {
            excluded[i] = true;
            found.push((
                Check::CeasedStillActive,
                i,
                format!("status active but ceased on {}", r.ceased.unwrap_or(as_at)),
            ));
        } else if r.status == Status::Active && r.end.is_some_and(|e| e < as_at) {
            excluded[i] = true;
            found.push((
                Check::PastEndDate,
                i,
                format!("status active but ended on {}", r.end.unwrap_or(as_at)),
            ));
        }
        if r.status == Status::Dormant && r.open_on(as_at) {
            excluded[i] = true;
            found.push((Check::Dormant, i, "status dormant".into()));
        }
        if provision[i].is_none() && map.checks_codes {
            excluded[i] = true;
            let code = list.settings.get(r.setting as usize).map_or("", |s| s);
            found.push((
                Check::UnknownSetting,
                i,
                format!("setting `{code}` is not in the mapping"),
            ));
        }
        let on = r.stopped().map_or(as_at, |s| s.min(as_at)).max(r.start);
        let age = on.years_since(r.birth);
        if r.birth > r.start || !(0..=25).contains(&age) {
            excluded[i] = true;
            found.push((
                Check::AgeOutOfRange,
                i,
                format!("born {}: age {age} on {on}", r.birth),
            ));
        }
    }
    excluded
}

/// Overlapping episodes of one child: where both are counted, the earlier is no longer counted.
/// Returns, for each later episode that displaced one, the displaced episode's cost.
fn find_overlaps(
    recs: &[CaseRecord],
    copy: &[bool],
    counted: &mut [bool],
    found: &mut Found,
) -> HashMap<usize, f64> {
    let mut order: Vec<usize> = (0..recs.len())
        .filter(|&i| !copy[i] && recs[i].status != Status::Dormant)
        .collect();
    order.sort_unstable_by(|&a, &b| {
        (recs[a].child_id.as_str(), recs[a].start).cmp(&(recs[b].child_id.as_str(), recs[b].start))
    });
    let mut overlap_effect: HashMap<usize, f64> = HashMap::new();
    for child in order.chunk_by(|&a, &b| recs[a].child_id == recs[b].child_id) {
        let mut open_until: Option<(Date, usize)> = None;
        for &i in child {
            let r = &recs[i];
            if let Some((until, prev)) = open_until
                && r.start <= until
            {
                found.push((
                    Check::OverlappingPlacements,
                    i,
                    format!(
                        "starts {} while plan {} (row {}) is open",
                        r.start, recs[prev].plan_id, recs[prev].row
                    ),
                ));
                if counted[prev] && counted[i] {
                    counted[prev] = false;
                    overlap_effect.insert(i, recs[prev].cost.unwrap_or(0.0));
                }
            }
            let until = r.stopped().unwrap_or(Date::from_days(i32::MAX));
            if open_until.is_none_or(|(u, _)| until > u) {
                open_until = Some((until, i));
            }
        }
    }
    overlap_effect
}

/// What the cost checks need to know of each record.
struct Costs<'a> {
    provision: &'a [Option<usize>],
    copy: &'a [bool],
    counted: &'a [bool],
}

impl Costs<'_> {
    /// Missing or zero costs of counted plans (priced at the provision's mean), and costs far
    /// from their provision's median (priced at the excess over it).
    fn find_problems(&self, list: &CaseList, np: usize, found: &mut Found, effect: &mut Effects) {
        let recs = &list.records;
        let mut logs: Vec<Vec<f64>> = vec![Vec::new(); np];
        for (i, r) in recs.iter().enumerate() {
            if let (Some(p), Some(c)) = (self.provision[i], r.cost)
                && c > 0.0
                && !self.copy[i]
            {
                logs[p].push(c.ln());
            }
        }
        let stats: Vec<(f64, f64)> = logs.iter_mut().map(|v| median_mad(v)).collect();
        let mean_cost = mean_cost_by_provision(list, self.provision, self.counted, np);
        for (i, r) in recs.iter().enumerate() {
            if self.copy[i] {
                continue;
            }
            match (self.provision[i], r.cost) {
                (p, None) | (p, Some(0.0)) if self.counted[i] => {
                    let est = p.and_then(|p| mean_cost.get(p).copied()).unwrap_or(0.0);
                    found.push((Check::MissingCost, i, "no annual cost".into()));
                    effect.insert((Check::MissingCost, i), (0, est));
                }
                (Some(p), Some(c)) if c > 0.0 => {
                    let (med, mad) = stats[p];
                    let sd = 1.4826 * mad.max(MIN_MAD);
                    if (c.ln() - med).abs() > OUTLIER_SDS * sd {
                        found.push((
                            Check::CostOutlier,
                            i,
                            format!(
                                "£{} against a median of £{}",
                                dsg_core::money::group_thousands(&format!("{c:.0}")),
                                dsg_core::money::group_thousands(&format!("{:.0}", med.exp()))
                            ),
                        ));
                        let excess = if self.counted[i] { c - med.exp() } else { 0.0 };
                        effect.insert((Check::CostOutlier, i), (0, excess));
                    }
                }
                _ => {}
            }
        }
    }
}

/// Each finding with the children and pounds it changes the baseline by: as its check worked
/// out, or else what the baseline leaves out that a count of active rows would have included.
fn with_effects(
    recs: &[CaseRecord],
    found: Found,
    effect: &Effects,
    counted: &[bool],
    as_at: Date,
) -> Vec<Finding> {
    found
        .into_iter()
        .map(|(check, i, detail)| {
            let r = &recs[i];
            let (children, pounds) = effect.get(&(check, i)).copied().unwrap_or_else(|| {
                // Rows left out that a count of active rows would have included.
                // Dormant plans: the children and cost the baseline leaves out.
                let naive =
                    (r.status == Status::Active || check == Check::Dormant) && r.start <= as_at;
                let left_out = match check {
                    Check::OverlappingPlacements => false,
                    _ => naive && !counted[i],
                };
                if left_out {
                    (1, r.cost.unwrap_or(0.0))
                } else {
                    (0, 0.0)
                }
            });
            Finding {
                check,
                record: i,
                detail,
                children,
                pounds,
            }
        })
        .collect()
}

/// Median and median absolute deviation of `v` (reordered); zeros when empty.
fn median_mad(v: &mut [f64]) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    let med = median(v);
    let mut dev: Vec<f64> = v.iter().map(|x| (x - med).abs()).collect();
    (med, median(&mut dev))
}

/// The median of `v` (reordered); 0 when empty.
pub(crate) fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mid = v.len() / 2;
    let (_, m, _) = v.select_nth_unstable_by(mid, f64::total_cmp);
    let m = *m;
    if v.len() % 2 == 1 {
        m
    } else {
        let below = v[..mid].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (below + m) / 2.0
    }
}

fn mean_cost_by_provision(
    list: &CaseList,
    provision: &[Option<usize>],
    counted: &[bool],
    np: usize,
) -> Vec<f64> {
    let mut sum = vec![(0.0, 0u64); np];
    for (i, r) in list.records.iter().enumerate() {
        if let (true, Some(p), Some(c)) = (counted[i], provision[i], r.cost)
            && c > 0.0
        {
            sum[p].0 += c;
            sum[p].1 += 1;
        }
    }
    sum.iter()
        .map(|&(s, k)| if k == 0 { 0.0 } else { s / k as f64 })
        .collect()
}
