//! Reading numbers and settings from the command line the way a finance officer types them:
//! `10,000` and `10_000` are 10000, `£500k` is 500000.

use dsg_core::money::parse_amount;
use dsg_montecarlo::engine::MAX_PATHS;

/// Most worker threads accepted.
const MAX_THREADS: usize = 1024;

/// A precision target: stop when the standard error of `series` in the last year is at most
/// `target_se`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Series name, e.g. `balance.cumulative`.
    pub series: String,
    /// Standard error to reach (pounds or plans).
    pub target_se: f64,
}

/// Removes thousands separators.
fn plain(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect()
}

/// A whole number from `text`, with thousands separators allowed.
fn whole(text: &str) -> Option<u64> {
    let t = plain(text);
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// `--paths`: a whole number from 1 to [`MAX_PATHS`].
pub fn parse_paths(text: &str) -> Result<u64, String> {
    match whole(text) {
        Some(n) if (1..=MAX_PATHS).contains(&n) => Ok(n),
        Some(0) => Err("must be at least 1 (try 10000)".to_string()),
        Some(_) => Err(format!(
            "must be at most {} (try 100000; more rarely changes the figures)",
            dsg_core::money::group_thousands(&MAX_PATHS.to_string())
        )),
        None => Err("must be a whole number of simulated futures, e.g. 10000".to_string()),
    }
}

/// `--threads`: a whole number from 1 to [`MAX_THREADS`].
pub fn parse_threads(text: &str) -> Result<usize, String> {
    match whole(text).map(usize::try_from) {
        Some(Ok(n)) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        Some(Ok(0)) => Err("must be at least 1 (leave it out to use every core)".to_string()),
        Some(_) => Err(format!("must be at most {MAX_THREADS}")),
        None => Err("must be a whole number of cores, e.g. 2".to_string()),
    }
}

/// Reads `--policy`: `none` or the name of a shipped policy set (checked here, so that an unknown
/// name is blamed on the option, not on the scenario file's `scenario.policy`).
pub fn parse_policy(text: &str) -> Result<String, String> {
    let name = text.trim();
    if name == "none" {
        return Ok(name.to_string());
    }
    dsg_core::policy::PolicySet::named(name)
        .map(|_| name.to_string())
        .map_err(|e| format!("{e} (or none for the standing rules alone)"))
}

/// Reads `--confidence`: a share strictly between 0 and 1 (`0.8`) or a percentage (`80%`).
pub fn parse_confidence(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let value = match t.strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f64>().map(|p| p / 100.0),
        None => t.parse::<f64>(),
    };
    match value {
        Ok(p) if p > 0.0 && p < 1.0 => Ok(p),
        Ok(_) => Err("must be between 0 and 1 (not either end), e.g. 0.8 or 80%".to_string()),
        Err(_) => Err("must be a share such as 0.8 (or 80%)".to_string()),
    }
}

/// The worker threads to use: what `--threads` asked for, but no more than the machine's cores
/// (more only adds memory and switching; the figures are the same for any number), with a note
/// to show when it was reduced.
pub fn threads_to_use(asked: Option<usize>, cores: usize) -> (Option<usize>, Option<String>) {
    match asked {
        Some(n) if n > cores.max(1) => (
            Some(cores.max(1)),
            Some(format!(
                "note: using {} threads, one per core of this machine, not the {n} asked for (the figures are the same; more threads would only be slower)",
                cores.max(1)
            )),
        ),
        other => (other, None),
    }
}

/// The cores this machine offers.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// `--seed`: any whole number from 0 to 18446744073709551615.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    whole(text)
        .ok_or_else(|| "must be a whole number from 0 to 18446744073709551615, e.g. 42".to_string())
}

/// `--target-se SERIES=SE`.
pub fn parse_target(text: &str) -> Result<Target, String> {
    let example = "write SERIES=SE, e.g. balance.cumulative=500000";
    let Some((series, se)) = text.split_once('=') else {
        return Err(format!("no `=` found: {example}"));
    };
    let series = series.trim();
    if series.is_empty() {
        return Err(format!("no series named: {example}"));
    }
    match parse_amount(se) {
        Some(x) if x > 0.0 => Ok(Target {
            series: series.to_string(),
            target_se: x,
        }),
        Some(_) => Err(format!("the standard error must be above 0: {example}")),
        None => Err(format!("`{}` is not an amount: {example}", se.trim())),
    }
}

#[cfg(test)]
mod tests {
    /// Issue 30, fault 13: `--policy nope` was blamed on the scenario file's `scenario.policy`.
    #[test]
    fn policy_names_are_checked_as_arguments() {
        use super::parse_policy;
        assert_eq!(parse_policy("england-2025").as_deref(), Ok("england-2025"));
        assert_eq!(parse_policy("none").as_deref(), Ok("none"));
        let err = parse_policy("nope").unwrap_err();
        assert!(
            err.contains("no policy set is named `nope`") && err.contains("england-2026-02"),
            "{err}"
        );
    }

    /// Issue 30, fault 13: `--confidence -0.1` was taken for an option `-0`.
    #[test]
    fn confidence_is_a_share_strictly_between_0_and_1() {
        use super::parse_confidence;
        assert_eq!(parse_confidence("0.8"), Ok(0.8));
        assert_eq!(parse_confidence("95%"), Ok(0.95));
        for bad in ["-0.1", "0", "1", "100%", "1.5", "nan", "inf"] {
            assert!(
                parse_confidence(bad).is_err_and(|e| e.contains("between 0 and 1")),
                "{bad}"
            );
        }
        assert!(parse_confidence("high").is_err_and(|e| e.contains("share")));
    }

    #[test]
    fn threads_beyond_the_cores_are_reduced_with_a_note() {
        assert_eq!(super::threads_to_use(None, 2), (None, None));
        assert_eq!(super::threads_to_use(Some(2), 2), (Some(2), None));
        let (n, note) = super::threads_to_use(Some(1000), 2);
        assert_eq!(n, Some(2));
        assert!(note.is_some_and(|n| n.contains("1000")));
    }

    use super::*;

    #[test]
    fn paths_accept_separators_and_refuse_zero() {
        assert_eq!(parse_paths("10,000"), Ok(10_000));
        assert_eq!(parse_paths("10_000"), Ok(10_000));
        assert!(parse_paths("0").is_err_and(|e| e.contains("at least 1")));
        assert!(parse_paths("-5").is_err());
        assert!(parse_paths("1e4").is_err());
        assert!(parse_paths("1000000000").is_err_and(|e| e.contains("at most")));
    }

    #[test]
    fn threads_must_be_positive() {
        assert_eq!(parse_threads("2"), Ok(2));
        assert!(parse_threads("0").is_err_and(|e| e.contains("at least 1")));
        assert!(parse_threads("two").is_err());
    }

    #[test]
    fn targets_read_amounts_as_written() {
        let t = parse_target("balance.cumulative=500000");
        assert_eq!(
            t,
            Ok(Target {
                series: "balance.cumulative".into(),
                target_se: 500_000.0
            })
        );
        assert_eq!(
            parse_target("spend.total=£0.5m").map(|t| t.target_se),
            Ok(500_000.0)
        );
        assert_eq!(
            parse_target("spend.total=250k").map(|t| t.target_se),
            Ok(250_000.0)
        );
        assert_eq!(parse_target("x=1,000").map(|t| t.target_se), Ok(1_000.0));
        assert!(parse_target("balance.cumulative").is_err());
        assert!(parse_target("balance.cumulative=0").is_err());
        assert!(parse_target("=5").is_err());
        assert!(parse_target("x=abc").is_err());
        // The amount grammar is the library's: `bn` and a sign are read, and a negative
        // standard error is refused as one, not as an unreadable amount.
        assert_eq!(
            parse_target("x=£0.001bn").map(|t| t.target_se),
            Ok(1_000_000.0)
        );
        assert!(parse_target("x=-5k").is_err_and(|e| e.contains("above 0")));
        assert!(parse_target("x=--5k").is_err_and(|e| e.contains("not an amount")));
    }
}
