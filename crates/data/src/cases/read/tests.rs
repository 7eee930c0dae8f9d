//! Unit tests of the reader.

use super::*;

const HEADER: &str = "plan_id,child_id,date_of_birth,setting,primary_need,start_date,end_date,ceased_date,status,annual_cost";

fn read(rows: &str) -> CaseList {
    let text = format!("{HEADER}\n{rows}");
    match CaseList::from_csv(text.as_bytes(), "t.csv") {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn bad_values_are_reported_with_row_and_column() {
    let l = read(
        "P1,C1,2015-05-01,S,ASD,2022-09-01,,,active,\"£25,000\"\n\
         P2,C2,2015-05-01,S,ASD,2022-13-01,,,active,100\n\
         P3,C3,2015-05-01,S,ASD,2022-09-01,,,active,-5\n\
         P4,C4,2015-05-01,S,XYZ,2022-09-01,,,maybe,5\n\
         P5,C5,2015-05-01,S,ASD,2022-09-01,,,ceased,5\n\
         ,C6,2015-05-01,S,ASD,2022-09-01,2021-01-01,,active,5\n",
    );
    assert_eq!(l.rows_read, 6);
    assert_eq!(l.records.len(), 1);
    assert_eq!(l.records[0].cost, Some(25_000.0));
    let got: Vec<(usize, &str)> = l
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (3, "start_date"),
            (4, "annual_cost"),
            (5, "primary_need"),
            (5, "status"),
            (6, "status"),
            (7, "plan_id"),
            (7, "end_date")
        ]
    );
}

#[test]
fn the_header_is_named_by_the_line_it_starts_on() {
    let err = |text: &str| {
        CaseList::from_csv(text.as_bytes(), "t.csv")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    // After two comment lines the header is on line 3; a quoted cell over three lines does
    // not move it.
    assert!(err("# a\n# b\nplan_id,x\n1,2\n").starts_with("t.csv, row 3: no column `child_id`"));
    assert!(err("# a\nplan_id,\"x\n\ny\",z\n1,2,3\n").starts_with("t.csv, row 2: no column"));
    assert!(err("plan_id").starts_with("t.csv, row 1: no column"));
    // A header cell of any length is named in at most 60 characters.
    let long = "z".repeat(10_000);
    let l = read_with_header(&format!("{HEADER},{long}"), "");
    assert_eq!(l.unknown_columns, [format!("{}...", &long[..60])]);
    let m = crate::cases::Mapping::from_csv(
        format!("# map\nsetting,provision,dfe_category\nA,special,{long}\n").as_bytes(),
        "m.csv",
    );
    let e = m.err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        e,
        "m.csv, row 3: column `dfe_category`: 10000 characters: longer than the 200 a code or name may have"
    );
    let m = crate::cases::Mapping::from_csv("# map\nsetting\n".as_bytes(), "m.csv");
    let e = m.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        e.starts_with("m.csv, row 2: no column `setting` or `provision`"),
        "{e}"
    );
}

fn read_with_header(header: &str, rows: &str) -> CaseList {
    let text = format!("{header}\n{rows}");
    match CaseList::from_csv(text.as_bytes(), "t.csv") {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn age_stands_in_for_a_date_of_birth() {
    let text = "plan_id,child_id,age,setting,primary_need,start_date,status\nP1,C1,7,S,ASD,2022-09-01,active\n";
    let l = CaseList::from_csv(text.as_bytes(), "t.csv").unwrap_or_default();
    let Some(r) = l.records.first() else {
        panic!("{:?}", l.problems)
    };
    assert_eq!(r.start.years_since(r.birth), 7);
}

#[test]
fn short_rows_and_blank_lines_do_not_panic() {
    let l = read("P1,C1\n\n,,,,\nP2,C2,2015-05-01,S,ASD,2022-09-01\n");
    assert_eq!(l.records.len(), 0);
    assert!(l.problems.iter().any(|p| p.row == 2));
    assert!(
        l.problems
            .iter()
            .any(|p| p.row == 5 && p.column == "status")
    );
}

proptest::proptest! {
    #[test]
    fn any_bytes_are_read_or_refused_without_a_panic(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        let mut text = format!("{HEADER}\n").into_bytes();
        text.extend(body);
        if let Ok(l) = CaseList::from_csv(&text[..], "p.csv") {
            proptest::prop_assert!(l.records.len() <= l.rows_read);
        }
    }

    #[test]
    fn rows_of_plausible_fields_never_panic(fields in proptest::collection::vec("[0-9A-Za-z/£,.-]{0,12}", 10)) {
        let row = fields.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(",");
        let text = format!("{HEADER}\n{row}\n");
        let l = CaseList::from_csv(text.as_bytes(), "p.csv");
        proptest::prop_assert!(l.is_ok());
    }
}
