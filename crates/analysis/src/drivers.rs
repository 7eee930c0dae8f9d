//! The drivers of the bad case in one plain sentence (docs/model.md section 11).

use dsg_core::money::format_pounds;
use dsg_core::{InputUnit, Series, SeriesKey};

use crate::sensitivity::{InputEffect, Sensitivity};

/// How an input's value in the worst tenth reads against its usual value.
fn clause(i: &InputEffect) -> String {
    let label = lower_first(&i.label);
    match i.unit {
        InputUnit::Probability => format!(
            "{label} in {:.0}% of them, against {:.0}% of all futures",
            i.in_worst * 100.0,
            i.typical * 100.0
        ),
        unit => format!(
            "{label} is {}, not {}",
            unit.format(i.in_worst),
            unit.format(i.typical)
        ),
    }
}

fn lower_first(s: &str) -> String {
    // Keep a proper noun's capital ("INMSS ..."): only lower a capital followed by a lower case.
    let mut c = s.chars();
    match (c.next(), s.chars().nth(1)) {
        (Some(f), Some(n)) if f.is_uppercase() && n.is_lowercase() => {
            f.to_lowercase().chain(c).collect()
        }
        _ => s.to_string(),
    }
}

/// What [`drivers_sentence`] says when the scenario has no uncertain input to rank.
const NOTHING_UNCERTAIN: &str = "The scenario has no uncertain inputs: every simulated future is the same, so there is nothing to rank (give an input a distribution to see what drives the outcome).";

/// What the worst tenth of futures have in common, as a sentence: "In the worst tenth of
/// futures (a cumulative deficit above £224.9m at 31 March 2028): write-off approved in 0% of
/// them, against 70% of all futures; and demand growth is 14.1%, not 12.0%."
///
/// ```
/// use dsg_core::{Series, SeriesKey};
/// use dsg_montecarlo::{Record, Settings, Simulation};
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml")).unwrap();
/// let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml").unwrap();
/// let record = Record { outcomes: vec![(SeriesKey::mitigated(Series::Cumulative), s.year(s.horizon()))], max_paths: 5_000 };
/// let (_, table) = Simulation::new(&s)?.record(&record)?.run_with_paths(&Settings { paths: 5_000, ..Default::default() })?;
/// let result = dsg_analysis::sensitivity(&table, &s).unwrap();
/// assert!(dsg_analysis::drivers_sentence(&result[0]).contains("demand growth is"));
/// # Ok::<(), dsg_montecarlo::McError>(())
/// ```
pub fn drivers_sentence(s: &Sensitivity) -> String {
    // A balance's bad tenth is read as a deficit above an amount, as the charts show it.
    const CUMULATIVE: SeriesKey = SeriesKey::mitigated(Series::Cumulative);
    const IN_YEAR: SeriesKey = SeriesKey::mitigated(Series::InYear);
    let other = &s.outcome;
    let (what, word, bound) = match s.outcome_key {
        CUMULATIVE if s.worst_tenth_beyond < 0.0 => (
            "a cumulative deficit".to_string(),
            "above",
            -s.worst_tenth_beyond,
        ),
        IN_YEAR if s.worst_tenth_beyond < 0.0 => (
            "an in-year deficit".to_string(),
            "above",
            -s.worst_tenth_beyond,
        ),
        CUMULATIVE => (
            "a cumulative balance".to_string(),
            "below",
            s.worst_tenth_beyond,
        ),
        IN_YEAR => (
            "an in-year balance".to_string(),
            "below",
            s.worst_tenth_beyond,
        ),
        _ if s.lower_is_worse => (format!("`{other}`"), "below", s.worst_tenth_beyond),
        _ => (format!("`{other}`"), "above", s.worst_tenth_beyond),
    };
    let when = format!("31 March {}", s.year.end_year());
    let head = format!(
        "In the worst tenth of futures ({what} {word} {} at {when})",
        format_pounds(bound)
    );
    if s.inputs.is_empty() {
        return NOTHING_UNCERTAIN.to_string();
    }
    let drivers = s.drivers();
    if drivers.is_empty() {
        return format!(
            "{head}, no single input stands out: each is within half a standard deviation of its usual value."
        );
    }
    let clauses: Vec<String> = drivers.iter().take(4).map(|i| clause(i)).collect();
    let list = match clauses.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{}; and {last}", init.join("; ")),
        [] => String::new(),
    };
    format!("{head}: {list}.")
}
