//! Helpers shared by the integration tests: small scenarios from TOML text, tolerant comparisons
//! and the balance identities of docs/model.md section 5.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod generate;
pub mod oracle;

use std::path::PathBuf;

use dsg_core::{Forecast, Projection, Scenario, Series};

/// Relative tolerance for money and caseloads computed by hand: a few rounding steps of f64.
pub const REL: f64 = 1e-12;

/// The `[scenario]` table of a test scenario: base year 2025-26, so year t is 2025-26 + t.
pub fn header(horizon: usize) -> String {
    format!("[scenario]\nname = \"test\"\nbase_year = \"2025-26\"\nhorizon_years = {horizon}\n\n")
}

/// Validates a scenario given as text, failing the test with every problem listed.
pub fn scenario(text: &str) -> Scenario {
    match Scenario::from_toml_str(text, "test.toml") {
        Ok(s) => s,
        Err(e) => panic!("scenario does not validate:\n{e}\n--- text ---\n{text}"),
    }
}

/// The central deterministic forecast of a scenario given as text.
pub fn central(text: &str) -> (Scenario, Forecast) {
    let s = scenario(text);
    let f = Forecast::central(&s);
    (s, f)
}

/// True when `a` and `b` agree to `rel` relative to the larger of 1 and |b|.
pub fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(a.abs()).max(1.0)
}

/// Asserts `actual` is `expected` to `rel` (relative, absolute below 1).
#[track_caller]
pub fn assert_close(actual: f64, expected: f64, rel: f64, what: &str) {
    assert!(
        close(actual, expected, rel),
        "{what}: got {actual}, expected {expected} (difference {})",
        actual - expected
    );
}

/// Asserts a series over years 1..=H equals `expected` (one value per year).
#[track_caller]
pub fn assert_series(p: &Projection, series: Series, expected: &[f64], what: &str) {
    assert_eq!(
        expected.len(),
        p.horizon(),
        "{what}: one expected value per year"
    );
    for (t, e) in (1..=p.horizon()).zip(expected) {
        assert_close(p.get(series, t), *e, REL, &format!("{what}, year {t}"));
    }
}

/// The values of a series for years 1..=H.
pub fn values(p: &Projection, series: Series) -> Vec<f64> {
    p.series(series).to_vec()
}

/// Checks docs/model.md section 5 identities in every year, to a relative tolerance of the size of
/// the terms:
/// - `B[t] = B[t-1] + I[t] + A[t] + C[t] + W[t] + central[t]`;
/// - receipts = A + C + W + central;
/// - `I[t] = F + T + income - S + blocks`;
/// - `S = placements + other lines + mitigation costs`, placements = sum of provision spends;
/// - total caseload = sum of provision caseloads; spend(p) = caseload(p) * unit cost paid(p).
pub fn check_identities(s: &Scenario, p: &Projection) -> Result<(), String> {
    let rel = 1e-11;
    let mut prev = p.opening_balance;
    for t in 1..=p.horizon() {
        let g = |series| p.get(series, t);
        let (i, a, c, w, cf) = (
            g(Series::InYear),
            g(Series::SafetyValve),
            g(Series::Contributions),
            g(Series::WriteOff),
            g(Series::CentralFunding),
        );
        let b = g(Series::Cumulative);
        let scale = prev.abs() + i.abs() + a + c + w.abs() + cf.abs() + 1.0;
        let check = |name: &str, lhs: f64, rhs: f64, scale: f64| -> Result<(), String> {
            if (lhs - rhs).abs() <= rel * scale {
                Ok(())
            } else {
                Err(format!(
                    "{}: {name} fails in year {t}: {lhs} vs {rhs} (difference {})",
                    s.name(),
                    lhs - rhs
                ))
            }
        };
        check(
            "B[t] = B[t-1] + I + A + C + W + central",
            b,
            prev + i + a + c + w + cf,
            scale,
        )?;
        check(
            "B[t] - B[t-1] = I + receipts",
            b - prev,
            i + g(Series::ReceiptsTotal),
            scale,
        )?;
        check(
            "receipts = A + C + W + central",
            g(Series::ReceiptsTotal),
            a + c + w + cf,
            scale,
        )?;
        let (f, tr, inc, sp, bl) = (
            g(Series::Allocation),
            g(Series::Transfer),
            g(Series::OtherIncome),
            g(Series::SpendTotal),
            g(Series::OtherBlocks),
        );
        let scale_i = f.abs() + tr.abs() + inc.abs() + sp.abs() + bl.abs() + 1.0;
        check(
            "I = F + T + income - S + blocks",
            i,
            f + tr + inc - sp + bl,
            scale_i,
        )?;
        let (pl, ol, mc) = (
            g(Series::SpendPlacements),
            g(Series::SpendOtherLines),
            g(Series::SpendMitigations),
        );
        check(
            "S = placements + lines + mitigation costs",
            sp,
            pl + ol + mc,
            scale_i,
        )?;
        let n = s.provisions().len();
        let sum_spend: f64 = (0..n).map(|k| g(Series::Spend(k))).sum();
        check(
            "placements = sum of spend(p)",
            pl,
            sum_spend,
            pl.abs() + 1.0,
        )?;
        let sum_case: f64 = (0..n).map(|k| g(Series::Caseload(k))).sum();
        let total = g(Series::CaseloadTotal);
        check(
            "caseload total = sum of caseloads",
            total,
            sum_case,
            total.abs() + 1.0,
        )?;
        for k in 0..n {
            let spend = g(Series::Spend(k));
            check(
                &format!("spend({k}) = caseload * unit cost paid"),
                spend,
                g(Series::Caseload(k)) * g(Series::UnitCost(k)),
                spend.abs() + 1.0,
            )?;
        }
        prev = b;
    }
    Ok(())
}

/// Every scenario shipped in `scenarios/` (read afresh, so new files are picked up).
pub fn shipped_scenarios() -> Vec<(PathBuf, Scenario)> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios"));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let s = Scenario::load(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, s)
        })
        .collect()
}
