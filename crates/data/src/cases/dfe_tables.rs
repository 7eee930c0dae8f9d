//! The children-and-young-people tables of the DfE's DSG management plan template: plans by
//! placement category and age group (age at 31 August), and by primary need, on each January
//! census day, in a long layout with a lookup key.

use super::date::Date;
use super::mapping::Mapping;
use super::quality::Quality;
use super::read::CaseList;
use super::record::Status;

/// The template's age groups (age at 31 August before the census), and a last group for ages
/// outside them.
pub const AGE_GROUPS: [&str; 6] = ["under 5", "5-10", "11-15", "16-19", "20-25", "other ages"];

/// One cell of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DfeRow {
    /// The census year (January).
    pub census_year: i32,
    /// `age` (category by age group) or `need` (category by primary need).
    pub table: &'static str,
    /// The placement category.
    pub category: String,
    /// The age group or the need's code.
    pub group: String,
    /// Plans open on the census day.
    pub plans: u64,
}

impl DfeRow {
    /// `year|table|category|group`, for a lookup from the template.
    ///
    /// ```
    /// let r = dsg_data::cases::dfe_tables::DfeRow { census_year: 2026, table: "age", category: "Mainstream".into(), group: "5-10".into(), plans: 3 };
    /// assert_eq!(r.key(), "2026|age|Mainstream|5-10");
    /// ```
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.census_year, self.table, self.category, self.group
        )
    }
}

/// The age group of someone born on `birth` in the census of `year`.
///
/// ```
/// use dsg_data::cases::{Date, dfe_tables::age_group};
/// // Aged 4 on 31 August 2025: under 5 in the January 2026 census.
/// assert_eq!(age_group(Date::parse("2020-09-01").ok_or("")?, 2026), "under 5");
/// assert_eq!(age_group(Date::parse("2020-08-31").ok_or("")?, 2026), "5-10");
/// # Ok::<(), &'static str>(())
/// ```
pub fn age_group(birth: Date, year: i32) -> &'static str {
    let aug31 = Date::from_ymd(year - 1, 8, 31).unwrap_or(birth);
    match aug31.years_since(birth) {
        0..=4 => AGE_GROUPS[0],
        5..=10 => AGE_GROUPS[1],
        11..=15 => AGE_GROUPS[2],
        16..=19 => AGE_GROUPS[3],
        20..=25 => AGE_GROUPS[4],
        _ => AGE_GROUPS[5],
    }
}

/// The tables for the last `years` census days on or before `as_at` within the data: every
/// record that is not a copy, has a mapped setting, is not dormant, and is open on the day.
///
/// ```
/// use dsg_data::cases::{CaseList, Date, Mapping, Quality, dfe_tables::tables};
/// let csv = "plan_id,child_id,date_of_birth,setting,primary_need,start_date,status\n\
///            P1,C1,2015-05-01,special,ASD,2022-09-01,active\n";
/// let list = CaseList::from_csv(csv.as_bytes(), "c.csv")?;
/// let map = Mapping::identity(&list.settings);
/// let as_at = Date::parse("2026-03-31").ok_or("")?;
/// let rows = tables(&list, &Quality::check(&list, &map, as_at), &map, as_at, 1);
/// assert!(rows.iter().any(|r| r.key() == "2026|age|special|5-10" && r.plans == 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tables(
    list: &CaseList,
    q: &Quality,
    map: &Mapping,
    as_at: Date,
    years: usize,
) -> Vec<DfeRow> {
    let category: Vec<Option<&str>> = list
        .settings
        .iter()
        .map(|s| map.get(s).map(|e| e.dfe_category.as_str()))
        .collect();
    let mut cats: Vec<&str> = Vec::new();
    for c in category.iter().flatten() {
        if !cats.contains(c) {
            cats.push(c);
        }
    }
    let first = list.records.iter().map(|r| r.start).min();
    let Some(first) = first else {
        return Vec::new();
    };
    let (last_year, _, _) = as_at.ymd();
    let census: Vec<(i32, Date)> = (0..years as i32)
        .rev()
        .map(|k| last_year - k)
        .filter_map(|y| Date::census_day(y).map(|d| (y, d)))
        .filter(|&(_, d)| d <= as_at && d >= first)
        .collect();
    let mut out = Vec::new();
    for (year, day) in census {
        let mut by_age = vec![[0u64; AGE_GROUPS.len()]; cats.len()];
        let mut by_need = vec![[0u64; 13]; cats.len()];
        for (i, r) in list.records.iter().enumerate() {
            if q.copy[i] || r.status == Status::Dormant || !r.open_on(day) {
                continue;
            }
            let Some(c) = category.get(r.setting as usize).copied().flatten() else {
                continue;
            };
            let Some(k) = cats.iter().position(|x| *x == c) else {
                continue;
            };
            let g = AGE_GROUPS
                .iter()
                .position(|a| *a == age_group(r.birth, year))
                .unwrap_or(5);
            by_age[k][g] += 1;
            let n = super::record::Need::ALL
                .iter()
                .position(|n| *n == r.need)
                .unwrap_or(12);
            by_need[k][n] += 1;
        }
        for (k, cat) in cats.iter().enumerate() {
            for (g, group) in AGE_GROUPS.iter().enumerate() {
                out.push(DfeRow {
                    census_year: year,
                    table: "age",
                    category: cat.to_string(),
                    group: group.to_string(),
                    plans: by_age[k][g],
                });
            }
            for (n, need) in super::record::Need::ALL.iter().enumerate() {
                out.push(DfeRow {
                    census_year: year,
                    table: "need",
                    category: cat.to_string(),
                    group: need.code().to_string(),
                    plans: by_need[k][n],
                });
            }
        }
    }
    out
}

/// The tables as CSV: `lookup_key,census_year,table,category,group,plans`.
///
/// ```
/// assert!(dsg_data::cases::dfe_tables::to_csv(&[]).starts_with("lookup_key,"));
/// ```
pub fn to_csv(rows: &[DfeRow]) -> String {
    let mut w = crate::escape::CsvWriter::new(Vec::new());
    let _ = w.write_record([
        "lookup_key",
        "census_year",
        "table",
        "category",
        "group",
        "plans",
    ]);
    for r in rows {
        let _ = w.write_record([
            r.key(),
            r.census_year.to_string(),
            r.table.to_string(),
            r.category.clone(),
            r.group.clone(),
            r.plans.to_string(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_open_plans_on_each_census_day_by_age_at_31_august() {
        // Census days: 16 Jan 2025 and 15 Jan 2026. Ages at 31 August 2025 for 2026.
        let csv = "plan_id,child_id,date_of_birth,setting,primary_need,start_date,end_date,status\n\
                   P1,C1,2020-09-01,MS,ASD,2024-09-01,,active\n\
                   P2,C2,2020-08-31,MS,ASD,2024-09-01,,active\n\
                   P3,C3,2005-09-01,FE,SEMH,2024-09-01,,active\n\
                   P4,C4,2010-01-01,SP,MLD,2023-01-01,2025-12-31,ceased\n\
                   P5,C5,2010-01-01,SP,MLD,2023-01-01,,dormant\n";
        let list = CaseList::from_csv(csv.as_bytes(), "c.csv").unwrap_or_default();
        let map = Mapping::from_csv(
            "setting,provision,dfe_category\nMS,mainstream,Mainstream\nFE,post16,Post-16\nSP,special,Special\n"
                .as_bytes(),
            "m.csv",
        )
        .unwrap_or_default();
        let as_at = Date::from_ymd(2026, 3, 31).unwrap_or(Date::from_days(0));
        let rows = tables(&list, &Quality::check(&list, &map, as_at), &map, as_at, 2);
        let get = |key: &str| rows.iter().find(|r| r.key() == key).map(|r| r.plans);
        assert_eq!(get("2026|age|Mainstream|under 5"), Some(1));
        assert_eq!(get("2026|age|Mainstream|5-10"), Some(1));
        // Born 1 September 2005: 19 on 31 August 2025, 20 the next day.
        assert_eq!(get("2026|age|Post-16|16-19"), Some(1));
        assert_eq!(get("2026|age|Special|11-15"), Some(0)); // ended 31 Dec 2025; P5 dormant
        assert_eq!(get("2025|age|Special|11-15"), Some(1)); // P4 open in January 2025
        assert_eq!(get("2026|need|Mainstream|ASD"), Some(2));
        assert_eq!(get("2026|need|Post-16|SEMH"), Some(1));
    }
}
