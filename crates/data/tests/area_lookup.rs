//! Councils found by name or code in the shipped panel (`--la`, issue 25).

use dsg_data::DataError;
use dsg_data::public::Panel;

fn find(query: &str) -> Result<String, DataError> {
    Panel::shipped()?.find_area(query).map(|a| a.code.clone())
}

fn suggestions(query: &str) -> Vec<String> {
    match find(query) {
        Err(DataError::UnknownArea { suggestions, .. }) => suggestions,
        other => panic!("{query}: expected no match, got {other:?}"),
    }
}

#[test]
fn codes_and_names_find_the_council() {
    assert_eq!(find("E10000003").unwrap(), "E10000003");
    assert_eq!(find("e10000003").unwrap(), "E10000003");
    assert_eq!(find("873").unwrap(), "E10000003");
    assert_eq!(find("  Cambridgeshire ").unwrap(), "E10000003");
    assert_eq!(find("CAMBRIDGESHIRE COUNTY COUNCIL").unwrap(), "E10000003");
    // DfE's "Kingston upon Hull, City of" by its everyday name, and a unique part of a name.
    assert_eq!(find("Kingston upon Hull").unwrap(), "E06000010");
    assert_eq!(find("hull").unwrap(), "E06000010");
    assert_eq!(find("Brighton & Hove").unwrap(), "E06000043");
    // Buckinghamshire's old county code reads as the current unitary.
    assert_eq!(find("E10000002").unwrap(), "E06000060");
    // England and a region are areas too.
    assert_eq!(find("England").unwrap(), "E92000001");
}

#[test]
fn a_name_two_areas_shared_is_the_current_one() {
    // Dorset county (E10000009, to 2019) and Dorset unitary (E06000059, from 2020).
    assert_eq!(find("Dorset").unwrap(), "E06000059");
    assert_eq!(find("E10000009").unwrap(), "E10000009");
}

#[test]
fn ambiguous_and_unknown_names_suggest() {
    let s = suggestions("Northampton");
    assert!(s.contains(&"North Northamptonshire".to_string()), "{s:?}");
    assert!(s.contains(&"West Northamptonshire".to_string()), "{s:?}");
    let s = suggestions("Cambrigdeshire");
    assert_eq!(
        s.first().map(String::as_str),
        Some("Cambridgeshire"),
        "{s:?}"
    );
    assert!(suggestions("Atlantis").is_empty());
    assert!(suggestions("").is_empty());
    let message = find("Northampton").unwrap_err().to_string();
    assert!(
        message.contains("did you mean") && message.contains(" or "),
        "{message}"
    );
}

#[test]
fn successors_of_an_ended_council() {
    let panel = Panel::shipped().unwrap();
    let names: Vec<&str> = panel.successors("E10000006").iter().map(|a| a.2).collect();
    assert_eq!(names, ["Cumberland", "Westmorland and Furness"]);
    assert!(panel.successors("E10000003").is_empty());
}
