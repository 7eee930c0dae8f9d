//! The assumptions workbook (issue 29): every scenario survives TOML -> workbook -> scenario, a
//! workbook written by another program reads, and a malformed one is refused naming its cell.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use dsg_core::raw::RawScenario;
use dsg_data::workbook::{WorkbookError, read_workbook, scenario_toml, write_workbook};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

#[allow(dead_code)]
#[path = "../../core/tests/common/generate.rs"]
mod generate;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn raw_of(text: &str) -> RawScenario {
    let (raw, unknown) =
        RawScenario::read(toml::Deserializer::parse(text).expect("TOML")).expect("a scenario");
    assert!(unknown.is_empty(), "{unknown:?}");
    raw
}

/// TOML -> raw -> workbook -> raw: the same raw scenario, the same validated scenario (compared
/// through its canonical TOML and its central projection).
fn round_trip(name: &str, text: &str) {
    let raw = raw_of(text);
    let bytes = write_workbook(&raw).unwrap_or_else(|e| panic!("{name}: {e}"));
    let read = read_workbook(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(read.raw, raw, "{name}: the raw scenario changed");
    assert!(read.warnings.is_empty(), "{name}: {:?}", read.warnings);
    let from_toml = dsg_core::Scenario::from_toml_str(text, name).expect("valid");
    let from_book = read
        .validate(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        scenario_toml(from_book.raw()).expect("TOML"),
        scenario_toml(from_toml.raw()).expect("TOML"),
        "{name}"
    );
    // And back to TOML: the text written reads as the same scenario.
    let again = scenario_toml(&read.raw).expect("TOML");
    assert_eq!(
        raw_of(&again),
        raw,
        "{name}: TOML written from the workbook"
    );
}

#[test]
fn every_shipped_scenario_round_trips() {
    let mut n = 0;
    for entry in std::fs::read_dir(root().join("scenarios")).expect("scenarios/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).expect("read");
            round_trip(&path.display().to_string(), &text);
            n += 1;
        }
    }
    assert!(n >= 4, "found {n} scenarios");
}

#[test]
fn the_reform_and_reported_deficits_round_trip() {
    let text = std::fs::read_to_string(root().join("scenarios/minimal.toml")).expect("read");
    let text = format!(
        "{text}\n[write_off]\nprobability = 0.7\nreported = [94000000, 101000000]\n\n[reform]\nfrom = \"2030-31\"\nprobability = 0.6\ndelay_years = {{ dist = \"pert\", min = 0, mode = 0.5, max = 2 }}\nending_share = 0.4\ntransfer_share = 0.17\nprotected_share = 0.3\n"
    );
    let raw = raw_of(&text);
    let book = read_workbook(&write_workbook(&raw).expect("written")).expect("read");
    assert_eq!(book.raw, raw);
    let toml = scenario_toml(&book.raw).expect("TOML");
    assert!(
        toml.contains("[reform]") && toml.contains("reported"),
        "{toml}"
    );
    round_trip("minimal with a reform", &text);
}

#[test]
fn every_council_scenario_round_trips() {
    use dsg_data::public::{
        CouncilFigures, Level, Panel, ScenarioSettings, scenario_toml as la_toml,
    };
    let panel = Panel::shipped().expect("the shipped panel");
    let mut n = 0;
    for area in panel.areas().into_iter().filter(|a| a.level == Level::La) {
        let Ok(figures) = CouncilFigures::from_panel(panel, area, None) else {
            continue; // a council that ended at a boundary change
        };
        let text = la_toml(&figures, &ScenarioSettings::default());
        round_trip(&area.name, &text);
        n += 1;
    }
    assert!(n > 100, "only {n} councils");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    /// The generated scenarios of the property tests: every section, every mitigation kind,
    /// per-year tables.
    #[test]
    fn every_generated_scenario_round_trips(spec in generate::spec()) {
        round_trip("generated", &spec.to_toml());
    }
}

/// Every scenario of the malformed corpus that reads as a raw scenario comes back from the
/// workbook unchanged, with the same problems: a workbook hides nothing validation would find.
#[test]
fn malformed_scenarios_keep_their_problems() {
    let mut n = 0;
    let mut refused = 0;
    for entry in std::fs::read_dir(root().join("tests/malformed")).expect("tests/malformed") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let Ok(Ok((raw, unknown))) = toml::Deserializer::parse(&text).map(RawScenario::read) else {
            continue;
        };
        if !unknown.is_empty() {
            continue;
        }
        let Ok(bytes) = write_workbook(&raw) else {
            continue; // an input that could not be read has no row (NaN is refused as TOML too)
        };
        let read = match read_workbook(&bytes) {
            Ok(read) => read,
            Err(e) => {
                // Refused by the workbook itself (two provisions of one name): at a cell.
                assert!(e.cell().is_some(), "{}: {e}", path.display());
                refused += 1;
                continue;
            }
        };
        assert_eq!(read.raw, raw, "{}", path.display());
        let keys = |e: dsg_core::ScenarioError| match e {
            dsg_core::ScenarioError::Invalid { problems, .. } => {
                problems.into_iter().map(|p| p.message).collect::<Vec<_>>()
            }
            other => vec![other.to_string()],
        };
        let from_toml = dsg_core::Scenario::from_raw(&raw).err().map(keys);
        let from_book = read.validate("x.xlsx").err().map(keys);
        assert_eq!(from_book, from_toml, "{}", path.display());
        n += 1;
    }
    assert!(n > 40, "only {n} read");
    assert!(refused <= 2, "{refused} refused");
}

/// A hand-built workbook: each sheet's rows of cells.
enum C {
    S(&'static str),
    N(f64),
    Date,
    Formula(&'static str, f64),
}

fn book(sheets: &[(&str, Vec<Vec<C>>)], merge: Option<(&str, u32, u32)>) -> Vec<u8> {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    C::S("") => {}
                    C::S(s) => {
                        ws.write_string(r, c, *s).expect("cell");
                    }
                    C::N(x) => {
                        ws.write_number(r, c, *x).expect("cell");
                    }
                    C::Date => {
                        let d = ExcelDateTime::from_ymd(2026, 4, 1).expect("date");
                        ws.write_datetime_with_format(r, c, &d, &date)
                            .expect("cell");
                    }
                    C::Formula(f, v) => {
                        let f = Formula::new(*f).set_result(v.to_string());
                        ws.write_formula(r, c, f).expect("cell");
                    }
                }
            }
        }
        if let Some((sheet, first, last)) = merge
            && sheet == *name
        {
            ws.merge_range(first, 0, last, 0, "special", &Format::new())
                .expect("merge");
        }
    }
    wb.save_to_buffer().expect("workbook")
}

fn header(item: bool) -> Vec<C> {
    let mut h = vec![
        C::S("Key"),
        C::S("Year"),
        C::S("Kind"),
        C::S("Value"),
        C::S("Low"),
        C::S("High"),
        C::S("SD"),
    ];
    if item {
        h.insert(0, C::S("Item"));
    }
    h
}

/// A small valid scenario's sheets, `edit` applied to them first.
fn sheets(edit: impl FnOnce(&mut Vec<(&'static str, Vec<Vec<C>>)>)) -> Vec<u8> {
    use C::{N, S};
    let mut s: Vec<(&'static str, Vec<Vec<C>>)> = vec![
        (
            "Scenario",
            vec![
                header(false),
                vec![S("name"), S(""), S("text"), S("Small")],
                vec![S("base_year"), S(""), S("text"), S("2025-26")],
                vec![S("horizon_years"), S(""), S("number"), N(5.0)],
            ],
        ),
        (
            "Provisions",
            vec![
                header(true),
                vec![S("special"), S("caseload"), S(""), S("number"), N(100.0)],
                vec![
                    S("special"),
                    S("unit_cost"),
                    S(""),
                    S("number"),
                    N(20_000.0),
                ],
                vec![S("mainstream"), S("caseload"), S(""), S("number"), N(300.0)],
                vec![
                    S("mainstream"),
                    S("unit_cost"),
                    S(""),
                    S("number"),
                    N(8_000.0),
                ],
            ],
        ),
        (
            "Demand",
            vec![
                header(false),
                vec![
                    S("growth"),
                    S("2026-27"),
                    S("normal"),
                    N(0.1),
                    S(""),
                    S(""),
                    N(0.02),
                ],
                vec![S("growth"), S("other_years"), S("number"), N(0.08)],
            ],
        ),
        (
            "Funding",
            vec![
                header(false),
                vec![S("allocation"), S(""), S("number"), N(5.0e6)],
            ],
        ),
        (
            "DSG",
            vec![
                header(false),
                vec![S("opening_balance"), S(""), S("number"), N(-1.0e6)],
            ],
        ),
    ];
    edit(&mut s);
    book(&s, None)
}

fn cell_error(bytes: &[u8]) -> (String, String) {
    match read_workbook(bytes) {
        Err(e) => (e.cell().unwrap_or_default(), e.to_string()),
        Ok(_) => panic!("read a malformed workbook"),
    }
}

#[test]
fn a_hand_built_workbook_reads_as_the_scenario_it_shows() {
    let read = read_workbook(&sheets(|_| {})).expect("reads");
    let expected = raw_of(
        "[scenario]\nname = \"Small\"\nbase_year = \"2025-26\"\nhorizon_years = 5\n\
         [demand]\ngrowth = { \"2026-27\" = { dist = \"normal\", mean = 0.1, sd = 0.02 }, other_years = 0.08 }\n\
         [[provisions]]\nname = \"special\"\ncaseload = 100\nunit_cost = 20000\n\
         [[provisions]]\nname = \"mainstream\"\ncaseload = 300\nunit_cost = 8000\n\
         [funding]\nallocation = 5e6\n[dsg]\nopening_balance = -1e6\n",
    );
    assert_eq!(read.raw, expected);
    assert!(read.validate("small.xlsx").is_ok());
}

#[test]
fn text_in_a_number_cell_is_named_by_its_cell() {
    let bytes = sheets(|s| s[3].1[1][3] = C::S("£5m"));
    let (cell, message) = cell_error(&bytes);
    assert_eq!(cell, "Funding!D2");
    assert!(
        message.contains("the text `£5m` where a number is needed"),
        "{message}"
    );
}

#[test]
fn a_formula_uses_its_calculated_value_and_says_so() {
    let bytes = sheets(|s| s[3].1[1][3] = C::Formula("=2*2500000", 5.0e6));
    let read = read_workbook(&bytes).expect("reads");
    assert_eq!(read.raw.funding.allocation, 5.0e6.into());
    assert_eq!(read.warnings.len(), 1);
    assert!(
        read.warnings[0].starts_with("Funding!D2: a formula (=2*2500000)"),
        "{:?}",
        read.warnings
    );
}

#[test]
fn merged_cells_are_refused() {
    let mut s = Vec::new();
    let _ = sheets(|sh| s = std::mem::take(sh));
    let bytes = book(&s, Some(("Provisions", 1, 2)));
    let (cell, message) = cell_error(&bytes);
    assert_eq!(cell, "Provisions!A2:A3");
    assert!(message.contains("merged cells"), "{message}");
}

#[test]
fn a_missing_sheet_is_named() {
    let bytes = sheets(|s| {
        s.remove(4);
    });
    let err = read_workbook(&bytes).expect_err("no DSG sheet");
    assert!(
        matches!(&err, WorkbookError::MissingSheet { sheet, .. } if sheet == "DSG"),
        "{err}"
    );
}

#[test]
fn dates_where_years_belong_are_refused() {
    let (cell, message) = cell_error(&sheets(|s| s[2].1[1][1] = C::Date));
    assert_eq!(cell, "Demand!B2");
    assert!(
        message.contains("a date where a financial year is needed"),
        "{message}"
    );
    let (cell, message) = cell_error(&sheets(|s| s[2].1[1][1] = C::S("01/04/2026")));
    assert_eq!(cell, "Demand!B2");
    assert!(message.contains("a date written as text"), "{message}");
    let (cell, _) = cell_error(&sheets(|s| s[0].1[2][3] = C::Date));
    assert_eq!(cell, "Scenario!D3");
}

#[test]
fn rows_out_of_order_are_refused() {
    // An item's rows split by another's.
    let (cell, message) = cell_error(&sheets(|s| s[1].1.swap(2, 3)));
    assert_eq!(cell, "Provisions!A4");
    assert!(
        message.contains("row out of order: `special` already has rows from row 2"),
        "{message}"
    );
    // Years going back.
    let bytes = sheets(|s| {
        s[2].1[2] = vec![C::S("growth"), C::S("2028-29"), C::S("number"), C::N(0.08)];
        s[2].1.push(vec![
            C::S("growth"),
            C::S("2027-28"),
            C::S("number"),
            C::N(0.07),
        ]);
    });
    let (cell, message) = cell_error(&bytes);
    assert_eq!(cell, "Demand!B4");
    assert!(
        message.contains("2027-28 comes after 2028-29 (row 3)"),
        "{message}"
    );
}

#[test]
fn a_wrong_kind_an_unknown_key_and_a_stray_parameter_are_named() {
    let (cell, message) = cell_error(&sheets(|s| s[1].1[1][3] = C::S("text")));
    assert_eq!(cell, "Provisions!D2");
    assert!(
        message.contains("`caseload` takes a number or a distribution, not `text`"),
        "{message}"
    );
    let (cell, message) = cell_error(&sheets(|s| {
        s[1].1.insert(
            2,
            vec![
                C::S("special"),
                C::S("caseloads"),
                C::S(""),
                C::S("number"),
                C::N(1.0),
            ],
        );
    }));
    assert_eq!(cell, "Provisions!E3");
    assert!(
        message.contains("unknown key `provisions[0].caseloads`"),
        "{message}"
    );
    let (cell, message) = cell_error(&sheets(|s| s[3].1[1].extend([C::S(""), C::N(1.0)])));
    assert_eq!(cell, "Funding!F2");
    assert!(
        message.contains("a value in `High`, which a `number` row does not take"),
        "{message}"
    );
}

#[test]
fn a_problem_of_the_scenario_names_its_cell() {
    let read = read_workbook(&sheets(|s| s[1].1[1][4] = C::N(-5.0))).expect("reads");
    let err = read
        .validate("small.xlsx")
        .expect_err("a negative caseload");
    let text = err.to_string();
    assert!(
        text.contains("Provisions!E2 provisions[0].caseload"),
        "{text}"
    );
}
