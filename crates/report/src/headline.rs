//! The figures a committee asks for first, and the sentences that state them.
//!
//! A deficit is the negative of the cumulative DSG balance (`balance.cumulative`), so the deficit's
//! median is `-p50`, its 90% range runs from `-p95` to `-p5`, and its P90 (a 1 in 10 chance of
//! worse) is `-p10`.

use dsg_core::money::format_pounds;
use dsg_core::{FinancialYear, Series, SeriesKey};
use dsg_montecarlo::{Summary, YearStats};

/// The cumulative deficit in one year (pounds, positive = deficit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deficit {
    /// The year, at whose end (31 March) it is measured.
    pub year: FinancialYear,
    /// Median.
    pub median: f64,
    /// 5th percentile (the low end of the 90% range).
    pub low: f64,
    /// 95th percentile (the high end of the 90% range).
    pub high: f64,
    /// 90th percentile: a 1 in 10 chance of a larger deficit.
    pub p90: f64,
}

impl Deficit {
    fn from_balance(s: &YearStats) -> Self {
        Deficit {
            year: s.year,
            median: -s.p50,
            low: -s.p95,
            high: -s.p5,
            p90: -s.p10,
        }
    }
}

/// Where the central plan stands among the simulated futures in one year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// The plan's cumulative deficit (positive = deficit).
    pub deficit: f64,
    /// Share of simulated futures with a worse (lower) balance: its percentile rank.
    pub worse: f64,
}

/// The outcome with and without a yes/no event, in the year of the override's end (or, for an
/// event that acts only later, such as the reform at phase transfer, in the last projected year).
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// The year of the medians when it is not the override's (the reform at phase transfer,
    /// which acts only from 2029-30: the last projected year).
    pub year: Option<FinancialYear>,
    /// What happens, in words ("the write-off is approved").
    pub label: String,
    /// Its probability as the scenario gives it (the medians are of the futures on each side).
    pub share: f64,
    /// Median deficit if it happens, and if not.
    pub median: (f64, f64),
    /// Chance the deficit exceeds the reserves if it happens, and if not.
    pub exceeds_reserves: Option<(f64, f64)>,
}

/// The headline figures of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// Scenario name.
    pub name: String,
    /// When the statutory override ends, as the scenario says.
    pub override_ends: FinancialYear,
    /// The deficit when the override ends (or in the nearest projected year).
    pub at_override: Deficit,
    /// The deficit at the end of the forecast.
    pub at_horizon: Deficit,
    /// Chance the deficit exceeds usable reserves in the year of `at_override` (none when the
    /// scenario gives no reserves, as a national one does not).
    pub exceeds_reserves: Option<f64>,
    /// The central plan in the year of `at_override`.
    pub plan: Option<Plan>,
    /// The outcome split by each yes/no event that moves the median by at least £0.1m.
    pub splits: Vec<Split>,
    /// Chance of receiving every safety-valve instalment (none without a safety valve).
    pub all_instalments: Option<f64>,
    /// Median in-year balance in the last year (negative = in-year deficit).
    pub last_in_year: f64,
    /// The in-year deficit in the year of `at_override`.
    pub in_year_at_override: Deficit,
    /// Whether the opening balance is the council's; when not (not published per council), the
    /// headline is the in-year deficit and says the cumulative figures start from 0.
    pub balance_known: bool,
    /// Paths simulated.
    pub paths: u64,
    /// The base year: the opening balance is at its end.
    pub base_year: FinancialYear,
}

/// Fewer simulated futures than this get a caution: their ranges and chances are rough, and equal
/// low and high ends do not show that no input is uncertain.
pub const FEW_PATHS: u64 = 100;

/// Index of the projected year closest to the end of the override: the override year itself when
/// it is projected, else the first or last year.
pub fn override_index(summary: &Summary) -> usize {
    let years = &summary.scenario.years;
    let end = summary.scenario.override_ends;
    match years.iter().position(|y| *y == end) {
        Some(i) => i,
        None if years.first().is_some_and(|y| end < *y) => 0,
        None => years.len().saturating_sub(1),
    }
}

impl Headline {
    /// The headline figures of `summary`; `None` when it lacks the cumulative balance (never for
    /// a summary from the engine).
    pub fn of(summary: &Summary) -> Option<Headline> {
        let balance = summary.stats(SeriesKey::mitigated(Series::Cumulative))?;
        let in_year = summary.stats(SeriesKey::mitigated(Series::InYear))?;
        let i = override_index(summary);
        let key = SeriesKey::mitigated(Series::Cumulative);
        let plan = summary
            .central_of(key)
            .and_then(|c| c.get(i))
            .zip(
                summary
                    .central_rank
                    .get("balance.cumulative")
                    .and_then(|r| r.get(i)),
            )
            .map(|(&c, &worse)| Plan { deficit: -c, worse });
        let splits = summary
            .splits
            .iter()
            .filter_map(|split| {
                // An event that acts only after the override (the reform at phase transfer) is
                // told at the end of the forecast: before it acts, the two sides differ by noise.
                let late = split.key.starts_with("reform.");
                let at = if late {
                    split.years.len().checked_sub(1)?
                } else {
                    i
                };
                let y = split.years.get(at)?;
                let (yes, no) = (y.happens?, y.not?);
                let median = (-yes.balance.p50, -no.balance.p50);
                ((median.0 - median.1).abs() >= 50_000.0).then(|| Split {
                    year: late.then_some(y.year),
                    label: split.label.clone(),
                    share: split.probability,
                    median,
                    exceeds_reserves: if late {
                        None
                    } else {
                        yes.deficit_exceeds_reserves
                            .zip(no.deficit_exceeds_reserves)
                    },
                })
            })
            .collect();
        Some(Headline {
            name: summary.scenario.name.clone(),
            override_ends: summary.scenario.override_ends,
            at_override: Deficit::from_balance(balance.get(i)?),
            at_horizon: Deficit::from_balance(balance.last()?),
            exceeds_reserves: summary
                .probabilities
                .deficit_exceeds_reserves
                .get(i)
                .map(|p| p.probability),
            plan,
            splits,
            all_instalments: summary.probabilities.all_instalments_received,
            last_in_year: in_year.last()?.p50,
            in_year_at_override: Deficit::from_balance(in_year.get(i)?),
            balance_known: summary.scenario.opening_balance_known,
            paths: summary.run.paths,
            base_year: summary.scenario.base_year,
        })
    }

    /// The date the opening balance is at: 31 March of the base year's end.
    fn opening_date(&self) -> String {
        format!("31 March {}", self.base_year.end_year())
    }

    /// The headline sentences, one per line.
    pub fn sentences(&self) -> Vec<String> {
        let d = &self.at_override;
        let when = format!("31 March {}", d.year.end_year());
        let first = if d.low == d.high {
            let why = if self.paths >= FEW_PATHS {
                "the same in every simulated future: no input is uncertain"
            } else {
                "the same in every simulated future"
            };
            format!(
                "{} at {when}: {} ({why}).",
                if d.median >= 0.0 {
                    "Cumulative deficit"
                } else {
                    "Cumulative balance"
                },
                deficit_words(d.median)
            )
        } else if d.median >= 0.0 {
            format!(
                "Median cumulative deficit at {when}: {} (90% range {} to {}).",
                format_pounds(d.median),
                deficit_words(d.low),
                deficit_words(d.high)
            )
        } else {
            format!(
                "Median cumulative balance at {when}: a surplus of {} (90% range {} to {}).",
                format_pounds(-d.median),
                deficit_words(d.low),
                deficit_words(d.high)
            )
        };
        let ends = if d.year == self.override_ends {
            format!("when the statutory override ends ({when})")
        } else {
            format!("at {when}")
        };
        let first = if self.balance_known {
            first
        } else {
            let y = &self.in_year_at_override;
            format!(
                "The DSG balance at the start is not known (it is not published per council: give it as dsg.opening_balance), so the cumulative figures count only what builds up from {}. In-year deficit in {} (median): {} (90% range {} to {}).",
                self.opening_date(),
                y.year,
                deficit_words(y.median),
                deficit_words(y.low),
                deficit_words(y.high)
            )
        };
        let mut out = vec![first];
        // Cumulative figures from an unknown start are not headlines.
        let splits = if self.balance_known {
            &self.splits[..]
        } else {
            &[]
        };
        for split in splits {
            let when = split
                .year
                .map_or_else(|| when.clone(), |y| format!("31 March {}", y.end_year()));
            out.push(format!(
                "If {} ({} likely), the median deficit at {when} is {}; if not ({}), {}.",
                split.label,
                percent(split.share),
                deficit_words(split.median.0),
                percent(1.0 - split.share),
                deficit_words(split.median.1)
            ));
        }
        if let Some(plan) = self.plan.filter(|_| d.low != d.high && self.balance_known) {
            out.push(format!(
                "The central plan (every input at its central value, as a spreadsheet would set it) gives {} at {when}; it sits at the {} percentile: {} of simulated futures are worse.",
                deficit_words(plan.deficit),
                ordinal(plan.worse),
                percent(plan.worse)
            ));
        }
        match self.exceeds_reserves {
            Some(p) => {
                let by_event = self
                    .splits
                    .iter()
                    .find_map(|s| s.exceeds_reserves.map(|e| (s, e)))
                    .map(|(s, (yes, no))| {
                        format!(
                            " ({} if {}, {} if not)",
                            percent(yes),
                            s.label,
                            percent(no)
                        )
                    })
                    .unwrap_or_default();
                out.push(format!(
                    "Chance the deficit exceeds usable reserves {ends}: {}{by_event}.",
                    percent(p)
                ));
            }
            None => out.push(
                "The deficit is not compared with reserves: the scenario gives none (as for a national scenario, whose pooled reserves would hide the councils whose deficits exceed their own)."
                    .to_string(),
            ),
        }
        if let Some(p) = self.all_instalments {
            out.push(format!(
                "Chance of receiving every safety-valve instalment: {}.",
                percent(p)
            ));
        }
        if self.paths < FEW_PATHS {
            out.push(format!(
                "Caution: only {} simulated {}, so these ranges and chances are rough; the default is 10,000.",
                self.paths,
                if self.paths == 1 { "future" } else { "futures" }
            ));
        }
        out
    }
}

/// A share as a percentile rank: `72nd`, `1st`, `under 1st`... never rounding to 0th or 100th.
pub fn ordinal(p: f64) -> String {
    let n = (p * 100.0).round().clamp(1.0, 99.0) as u32;
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A deficit that may turn out to be a surplus: `£12.3m`, or `a surplus of £1.0m`.
pub fn deficit_words(deficit: f64) -> String {
    if deficit < 0.0 && format_pounds(deficit).starts_with('-') {
        format!("a surplus of {}", format_pounds(-deficit))
    } else {
        format_pounds(deficit.max(0.0))
    }
}

/// A probability as a whole percentage, never rounding a possibility away: `0%`, `under 1%`,
/// `37%`, `over 99%`, `100%` (the charts write it the same way).
///
/// ```
/// assert_eq!(dsg_report::headline::percent(0.004), "under 1%");
/// ```
pub use dsg_core::money::format_percent as percent;

/// A probability in the words of the UK's probability yardstick, widened to leave no gaps:
/// `a remote chance` (under 5%), `highly unlikely` (5-20%), `unlikely` (20-37.5%), `a realistic
/// possibility` (37.5-52.5%), `likely` (52.5-77.5%), `highly likely` (77.5-92.5%), `almost
/// certain` (92.5% or more); `certain` and `no chance` only at exactly 1 and 0.
///
/// ```
/// use dsg_report::headline::likelihood;
/// assert_eq!(likelihood(0.93), "almost certain");
/// assert_eq!(likelihood(0.6), "likely");
/// assert_eq!(likelihood(0.0), "no chance");
/// ```
pub fn likelihood(p: f64) -> &'static str {
    match p {
        p if p <= 0.0 => "no chance",
        p if p < 0.05 => "a remote chance",
        p if p < 0.2 => "highly unlikely",
        p if p < 0.375 => "unlikely",
        p if p < 0.525 => "a realistic possibility",
        p if p < 0.775 => "likely",
        p if p < 0.925 => "highly likely",
        p if p < 1.0 => "almost certain",
        _ => "certain",
    }
}

/// The bands of [`likelihood`], for a glossary: words and range.
pub const LIKELIHOOD_BANDS: [(&str, &str); 7] = [
    ("a remote chance", "under 5%"),
    ("highly unlikely", "5% to 20%"),
    ("unlikely", "20% to 37.5%"),
    ("a realistic possibility", "37.5% to 52.5%"),
    ("likely", "52.5% to 77.5%"),
    ("highly likely", "77.5% to 92.5%"),
    ("almost certain", "92.5% or more"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_ordinals_that_never_reach_the_ends() {
        assert_eq!(ordinal(0.72), "72nd");
        assert_eq!(ordinal(0.111), "11th");
        assert_eq!(ordinal(0.21), "21st");
        assert_eq!(ordinal(0.0), "1st");
        assert_eq!(ordinal(1.0), "99th");
        assert_eq!(ordinal(0.03), "3rd");
    }

    #[test]
    fn surpluses_are_named() {
        assert_eq!(deficit_words(12_345_678.0), "£12.3m");
        assert_eq!(deficit_words(-2_000_000.0), "a surplus of £2.0m");
        assert_eq!(deficit_words(-10.0), "£0.0m");
    }
}
