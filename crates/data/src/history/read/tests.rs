//! Unit tests of the reader.

use super::*;

fn read(text: &str) -> Result<History, DataError> {
    History::from_csv_str(text, "h.csv")
}

#[test]
fn reads_series_breaks_and_comments() {
    let h = read(
        "# a comment\nseries,year,value,break,source\ncaseload,2021,110,,A\ncaseload,2020,100,,A\ncaseload,2022,130,break,B\nfunding,2020-21,5e6,,\n",
    )
    .unwrap();
    let c = h.get("caseload").unwrap();
    assert_eq!(
        c.points.iter().map(|p| p.year).collect::<Vec<_>>(),
        [2020, 2021, 2022]
    );
    assert!(c.points[2].break_before);
    assert_eq!(c.points[2].line, 5);
    assert_eq!(c.sources, ["A", "B"]);
    assert_eq!(h.get("funding").unwrap().points[0].year, 2020);
}

#[test]
fn bad_input_names_file_line_and_column() {
    let cases = [
        (
            "series,year,value,colour\n",
            "column `colour`: unknown column",
        ),
        ("series,year\n", "column `value`: missing column"),
        (
            "series,year,value\ncaseload,20x1,5\n",
            "h.csv:2: column `year`",
        ),
        (
            "series,year,value\ncaseload,2020,0\n",
            "h.csv:2: column `value`: must be from 0.001 to 1e13",
        ),
        (
            "series,year,value\ncaseload,2020,abc\n",
            "h.csv:2: column `value`: `abc` is not a number",
        ),
        (
            "series,year,value\ncaseload,2020,nan\n",
            "column `value`: must be from 0.001 to 1e13",
        ),
        (
            "series,year,value\ncaseload,2020,1e308\n",
            "h.csv:2: column `value`: must be from 0.001 to 1e13 (a count or an amount; growth is fitted on logarithms); got 1e308",
        ),
        (
            "series,year,value\ncaseload,2020,1e-300\n",
            "h.csv:2: column `value`: must be from",
        ),
        (
            "series,year,value\ncaseload,2020,inf\n",
            "h.csv:2: column `value`: must be from",
        ),
        (
            "series,year,value\ncaseload,2020,10000000000001\n",
            "h.csv:2: column `value`: must be from",
        ),
        (
            "series,year,value\ncaseload,2021,2e6\ncaseload,2020,1000\n",
            "h.csv:2: column `value`: 2000000 is 2000 times 1000 (2020): series `caseload` may rise at most 1000-fold",
        ),
        (
            "series,year,value\nfunding,2020-21,5\nfunding,2021-22,0.004\n",
            "h.csv:3: column `value`: 0.004 is 1/1250 of 5 (2020-21): series `funding` may fall at most 1000-fold",
        ),
        (
            "series,year,value\ncaseload,2020,1\ncaseload,2020,2\n",
            "h.csv:3: column `year`: series `caseload` already has 2020 (line 2)",
        ),
        (
            "series,year,value\ncaseloads,2020,1\n",
            "column `series`: unknown series `caseloads`",
        ),
        (
            "series,year,value,break\ncaseload,2020,1,maybe\n",
            "column `break`",
        ),
        (
            "series,year,value\ncaseload,2020,1\ncaseload,2021-22,2\n",
            "mixes calendar years",
        ),
        (
            "series,year,value\ncaseload,2020\n",
            "h.csv:2: column `row`",
        ),
    ];
    for (text, expected) in cases {
        let e = read(text).unwrap_err().to_string();
        assert!(e.contains(expected), "{text:?}: {e}");
    }
}

#[test]
fn limits_admit_their_edges_and_steps_across_breaks_and_gaps() {
    // The bounds themselves are allowed, and a thousandfold step exactly.
    let h = read("series,year,value\nspend,2020,0.001\nspend,2021,1\nspend,2022,1000\n").unwrap();
    assert_eq!(h.series[0].points[2].value, 1000.0);
    read("series,year,value\nspend,2020,1e13\nspend,2021,1e10\n").unwrap();
    // A larger step is allowed across a break or a missing year (that growth is not used).
    read("series,year,value,break\nspend,2020,1,\nspend,2021,1e6,break\nspend,2023,1,\n").unwrap();
    let e = read("series,year,value,break\nspend,2020,1,\nspend,2021,1e6,\n").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("h.csv:3: column `value`: 1000000 is 1000000 times 1 (2020)"),
        "{e}"
    );
}

#[test]
fn the_header_is_named_by_its_line_after_comments() {
    let e = read("# one\n# two\nseries,year,colour\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "h.csv:3: column `colour`: unknown column; use series, year, value and optionally area, break, source, note"
    );
    let e = read("# a comment only\n").unwrap_err().to_string();
    assert!(
        e.starts_with("h.csv:1: column `header`: the file is empty"),
        "{e}"
    );
    let h =
        read("# a\nseries,year,value\n\n# b\n# c\ncaseload,2020,1\n\ncaseload,2021,2\n").unwrap();
    let lines: Vec<usize> = h.series[0].points.iter().map(|p| p.line).collect();
    assert_eq!(lines, [6, 8]);
    let e = read("series,year,value\ncaseload,\"20\n19\",1\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "h.csv:2: column `year`: `20\\n19` is not a year; write a calendar year such as 2019 or a financial year such as 2025-26"
    );
}

#[test]
fn long_text_is_refused_and_quoted_short() {
    let long = "x".repeat(10_000);
    for (text, expected) in [
        (
            format!("series,year,value\ncaseload,2020,{long}\n"),
            "h.csv:2: column `value`: `xxxx",
        ),
        (
            format!("series,year,value\n{long},2020,1\n"),
            "h.csv:2: column `series`: unknown series `xxx",
        ),
        (
            format!("series,year,value\ncaseload,{long},1\n"),
            "h.csv:2: column `year`: `xxx",
        ),
        (
            format!("series,year,value,source\ncaseload,2020,1,{long}\n"),
            "h.csv:2: column `source`: 10000 characters: longer than the 500",
        ),
        (
            format!("series,year,value,{long}\n"),
            "h.csv:1: column `xxx",
        ),
    ] {
        let e = read(&text).unwrap_err().to_string();
        assert!(e.contains(expected), "{e}");
        assert!(e.len() < 400, "{} characters: {e}", e.len());
    }
}

#[test]
fn at_most_max_series_and_max_bytes() {
    let mut text = String::from("series,year,value\n");
    for i in 0..=MAX_SERIES {
        text.push_str(&format!("other.s{i},2020,1\n"));
    }
    let e = read(&text).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!(
            "h.csv:{}: column `series`: more than 1000 series",
            MAX_SERIES + 2
        )),
        "{e}"
    );
    let big = format!(
        "series,year,value\n#{}\n",
        "x".repeat(MAX_HISTORY_BYTES as usize)
    );
    let e = read(&big).unwrap_err().to_string();
    assert_eq!(
        e,
        "h.csv:1: column `file`: larger than 64 MiB: a history holds one row per series and year"
    );
}

#[test]
fn areas_group_series_and_keep_them_apart() {
    let h = read(
        "area,series,year,value,break\nB,caseload,2020,10,\nA,caseload,2020,100,\nB,requests,2020,3,\nA,caseload,2021,110,\nB,caseload,2021,12,\n",
    )
    .unwrap();
    assert_eq!(h.areas, ["B", "A"]);
    let named: Vec<(Option<&str>, &str, usize)> = h
        .series
        .iter()
        .map(|s| (s.area.as_deref(), s.name.as_str(), s.points.len()))
        .collect();
    assert_eq!(
        named,
        [
            (Some("B"), "caseload", 2),
            (Some("B"), "requests", 1),
            (Some("A"), "caseload", 2)
        ]
    );
    assert_eq!(
        h.get_in(Some("A"), "caseload").unwrap().points[1].value,
        110.0
    );
    assert!(h.get_in(None, "caseload").is_none());
    // A file without areas: no area anywhere.
    let plain = read("series,year,value\ncaseload,2020,1\n").unwrap();
    assert!(plain.areas.is_empty() && plain.series[0].area.is_none());
}

#[test]
fn bad_areas_name_file_line_and_column() {
    let cases = [
        (
            "area,series,year,value\nA,caseload,2020,1\nA,caseload,2020,2\n",
            "h.csv:3: column `year`: series `caseload` of area `A` already has 2020 (line 2): one value per area, series and year",
        ),
        (
            "area,series,year,value\nA,caseload,2020,1\n,caseload,2021,2\n",
            "h.csv:3: column `area`: empty",
        ),
        (
            "area,series,year,value\nA,caseload,2020,1\nA,caseload,2021,5000\n",
            "h.csv:3: column `value`: 5000 is 5000 times 1 (2020): series `caseload` of area `A` may rise",
        ),
    ];
    for (text, expected) in cases {
        let e = read(text).unwrap_err().to_string();
        assert!(e.starts_with(expected), "{text:?}: {e}");
    }
    let long = "x".repeat(MAX_AREA + 1);
    let e = read(&format!("area,series,year,value\n{long},caseload,2020,1\n")).unwrap_err();
    assert!(e.to_string().contains("column `area`: `xxx"), "{e}");
    // The same series and year in two areas is fine.
    read("area,series,year,value\nA,caseload,2020,1\nB,caseload,2020,1\n").unwrap();
}

#[test]
fn limits_per_area_and_in_all() {
    // MAX_SERIES in each of two areas is fine; one more in an area is refused.
    let mut text = String::from("area,series,year,value\n");
    for a in ["A", "B"] {
        for i in 0..MAX_SERIES {
            text.push_str(&format!("{a},other.s{i},2020,1\n"));
        }
    }
    let h = read(&text).unwrap();
    assert_eq!(h.series.len(), 2 * MAX_SERIES);
    text.push_str("A,other.extra,2020,1\n");
    let e = read(&text).unwrap_err().to_string();
    assert!(
        e.contains(&format!(
            "column `series`: more than {MAX_SERIES} series: a history file holds at most {MAX_SERIES} per area"
        )),
        "{e}"
    );
    let mut text = String::from("area,series,year,value\n");
    for i in 0..=MAX_AREAS {
        text.push_str(&format!("a{i},caseload,2020,1\n"));
    }
    let e = read(&text).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!(
            "h.csv:{}: column `area`: more than {MAX_AREAS} areas",
            MAX_AREAS + 2
        )),
        "{e}"
    );
    // In all: MAX_TOTAL_SERIES over the areas.
    let mut text = String::from("area,series,year,value\n");
    let per = MAX_TOTAL_SERIES / MAX_AREAS;
    for a in 0..MAX_AREAS {
        for i in 0..per {
            text.push_str(&format!("a{a},other.s{i},2020,1\n"));
        }
    }
    read(&text).unwrap();
    text.push_str("a0,other.extra,2020,1\n");
    let e = read(&text).unwrap_err().to_string();
    assert!(e.contains("more than 50000 series in all"), "{e}");
}

#[test]
fn a_file_not_in_utf8_names_its_line() {
    let path = std::env::temp_dir().join(format!("dsg-{}-latin1.csv", std::process::id()));
    std::fs::write(
        &path,
        b"series,year,value,source\ncaseload,2020,1,ok\ncaseload,2021,2,Caf\xe9\n",
    )
    .unwrap();
    let e = History::load(&path).unwrap_err().to_string();
    let _ = std::fs::remove_file(&path);
    assert!(
        e.ends_with("latin1.csv:3: column `file`: not UTF-8 text: save the file as CSV UTF-8"),
        "{e}"
    );
}
