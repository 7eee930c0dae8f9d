//! Each council's region (issue 27): every local authority of the shipped panel has one, the
//! counts per region are England's, and (when ../shared/data/public is present) the table is the
//! one the raw EHC plan releases give.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use dsg_data::public::{LA_REGIONS, Level, Panel, REGIONS, current_code, region_of_la};

#[test]
fn every_council_in_the_panel_has_a_region() {
    let panel = Panel::shipped().unwrap();
    let las: Vec<_> = panel
        .areas()
        .into_iter()
        .filter(|a| a.level == Level::La)
        .collect();
    assert_eq!(las.len(), LA_REGIONS.len());
    let mut per_region: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &las {
        let (_, name) = region_of_la(&a.code).unwrap_or_else(|| panic!("{} has no region", a.name));
        *per_region.entry(name).or_default() += 1;
    }
    // London: the 32 boroughs and the City. The North East: 12 authorities.
    assert_eq!(per_region["London"], 33);
    assert_eq!(per_region["North East"], 12);
    assert_eq!(per_region.len(), REGIONS.len());
    assert_eq!(region_of_la("E06000052"), Some(("E12000009", "South West"))); // Cornwall
    assert_eq!(
        region_of_la("E10000021"),
        Some(("E12000004", "East Midlands"))
    ); // Northamptonshire
}

const R2022: &str = "education-health-and-care-plans_2022.zip";
const R2025: &str = "education-health-and-care-plans_2025.zip";

/// Local authority code (current) to region code, from `entry` of the zip `file`.
fn raw_regions(file: &Path, entry: &str, into: &mut BTreeMap<String, String>) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(entry)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (level, la, region) = (
        col("geographic_level"),
        col("new_la_code"),
        col("region_code"),
    );
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[level] != "Local authority" {
            continue;
        }
        let code = current_code(&rec[la]).to_string();
        let old = into.insert(code.clone(), rec[region].to_string());
        assert!(
            old.is_none_or(|o| o == rec[region]),
            "{code} has two regions in {entry}"
        );
    }
}

#[test]
fn the_table_is_the_raw_releases_regions() {
    let Some(dir) = common::raw_folder(&[R2022, R2025], "region check against the raw files")
    else {
        return;
    };
    let mut raw = BTreeMap::new();
    raw_regions(&dir.join(R2022), "data/sen2_age_caseload.csv", &mut raw);
    raw_regions(&dir.join(R2025), "data/caseload.csv", &mut raw);
    for (la, region) in LA_REGIONS {
        assert_eq!(raw.get(*la).map(String::as_str), Some(*region), "{la}");
    }
}
