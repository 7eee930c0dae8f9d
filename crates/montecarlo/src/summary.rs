//! The results of a run as plain data: what `summary.json` holds (format `dsg-summary/1`).
//!
//! Stable format: series are keyed by name (`balance.cumulative`, `caseload.<provision>`, ...),
//! each a list of years with quantiles `p5` to `p95`, `mean` and `se` (standard error of the
//! mean), all in pounds or plans. New fields may be added; existing ones keep their meaning.

use std::collections::BTreeMap;

use dsg_core::series::Names;
use dsg_core::{FinancialYear, SeriesKey};
use serde::{Deserialize, Serialize};

mod lookup;

pub use lookup::{Coverage, SeriesRef};

/// Identifies the format of [`Summary`] in JSON.
pub const FORMAT: &str = "dsg-summary/1";

/// One of the quantiles a run reports for every series and year, as `summary.json` names them.
///
/// ```
/// use dsg_montecarlo::Quantile;
/// assert_eq!(Quantile::P90.name(), "p90");
/// assert_eq!(Quantile::P90.value(), 0.90);
/// assert_eq!(Quantile::parse("p5"), Some(Quantile::P5));
/// assert_eq!(Quantile::ALL.map(Quantile::value), dsg_montecarlo::aggregate::QUANTILES);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Quantile {
    /// 5th percentile.
    P5,
    /// 10th percentile.
    P10,
    /// 25th percentile.
    P25,
    /// Median.
    P50,
    /// 75th percentile.
    P75,
    /// 90th percentile.
    P90,
    /// 95th percentile.
    P95,
}

impl Quantile {
    /// Every quantile, lowest first (the order of [`crate::aggregate::QUANTILES`]).
    pub const ALL: [Quantile; 7] = [
        Quantile::P5,
        Quantile::P10,
        Quantile::P25,
        Quantile::P50,
        Quantile::P75,
        Quantile::P90,
        Quantile::P95,
    ];

    /// Its name in `summary.json` and `results.csv`: `p5` ... `p95`.
    pub fn name(self) -> &'static str {
        match self {
            Quantile::P5 => "p5",
            Quantile::P10 => "p10",
            Quantile::P25 => "p25",
            Quantile::P50 => "p50",
            Quantile::P75 => "p75",
            Quantile::P90 => "p90",
            Quantile::P95 => "p95",
        }
    }

    /// The probability below it: 0.05 ... 0.95.
    pub fn value(self) -> f64 {
        crate::aggregate::QUANTILES[self as usize]
    }

    /// Its name for people: `P5`, `Median (P50)`, `P95`.
    ///
    /// ```
    /// assert_eq!(dsg_montecarlo::Quantile::P50.label(), "Median (P50)");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            Quantile::P5 => "P5",
            Quantile::P10 => "P10",
            Quantile::P25 => "P25",
            Quantile::P50 => "Median (P50)",
            Quantile::P75 => "P75",
            Quantile::P90 => "P90",
            Quantile::P95 => "P95",
        }
    }

    /// The quantile called `name` (`p5` ... `p95`), if any.
    pub fn parse(name: &str) -> Option<Quantile> {
        Quantile::ALL.into_iter().find(|q| q.name() == name)
    }
}

/// Statistics of one series in one year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct YearStats {
    /// The financial year.
    pub year: FinancialYear,
    /// 5th percentile.
    pub p5: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Mean over paths.
    pub mean: f64,
    /// Standard error of the mean.
    pub se: f64,
}

impl YearStats {
    /// The quantiles in the order of [`crate::aggregate::QUANTILES`].
    pub fn quantiles(&self) -> [f64; 7] {
        Quantile::ALL.map(|q| self.get(q))
    }

    /// The quantile `q`.
    ///
    /// ```
    /// use dsg_montecarlo::{Quantile, YearStats};
    /// let y = YearStats { year: "2026-27".parse().unwrap(), p5: 1.0, p10: 2.0, p25: 3.0, p50: 4.0, p75: 5.0, p90: 6.0, p95: 7.0, mean: 4.0, se: 0.1 };
    /// assert_eq!(y.get(Quantile::P90), 6.0);
    /// ```
    pub fn get(&self, q: Quantile) -> f64 {
        match q {
            Quantile::P5 => self.p5,
            Quantile::P10 => self.p10,
            Quantile::P25 => self.p25,
            Quantile::P50 => self.p50,
            Quantile::P75 => self.p75,
            Quantile::P90 => self.p90,
            Quantile::P95 => self.p95,
        }
    }
}

/// A probability in one year, with its Monte Carlo standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct YearProbability {
    /// The financial year.
    pub year: FinancialYear,
    /// Share of paths.
    pub probability: f64,
    /// Standard error `sqrt(p (1 - p) / n)`.
    pub se: f64,
}

/// The chance of receiving one safety-valve instalment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InstalmentProbability {
    /// Year due.
    pub year: FinancialYear,
    /// Amount in the central case (pounds).
    pub amount: f64,
    /// Share of paths in which it was received (on time, or later when deferred).
    pub probability: f64,
}

/// Probabilities that matter to a committee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probabilities {
    /// Cumulative deficit above the usable reserves, per year (empty when the scenario gives no
    /// reserves to compare with).
    pub deficit_exceeds_reserves: Vec<YearProbability>,
    /// When the reserves run out: the share of futures whose deficit first exceeds the usable
    /// reserves in each year (the rest never do within the forecast; empty without reserves).
    #[serde(default)]
    pub reserves_first_exceeded: Vec<YearProbability>,
    /// In-year balance (no in-year deficit) reached in that year or earlier.
    pub in_year_balance_reached_by: Vec<YearProbability>,
    /// Each safety-valve instalment received.
    pub safety_valve_instalments: Vec<InstalmentProbability>,
    /// Every instalment received (absent without a safety valve).
    pub all_instalments_received: Option<f64>,
    /// Expected safety-valve receipts over the projection (pounds).
    pub expected_safety_valve_receipts: f64,
}

/// One point of an exceedance curve: the chance the cumulative deficit exceeds `deficit`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ExceedancePoint {
    /// Deficit (pounds, positive).
    pub deficit: f64,
    /// Chance the deficit is larger.
    pub probability: f64,
}

/// The distribution of the cumulative deficit at the end of one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exceedance {
    /// The year.
    pub year: FinancialYear,
    /// Points from 1% to 99% exceedance, largest deficit first.
    pub points: Vec<ExceedancePoint>,
}

/// Quantiles `p5` to `p95` of one series in one year, without the mean.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// 5th percentile.
    pub p5: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl Spread {
    /// From the quantiles in the order of [`crate::aggregate::QUANTILES`].
    pub fn from_quantiles(q: &[f64]) -> Option<Spread> {
        match *q {
            [p5, p10, p25, p50, p75, p90, p95] => Some(Spread {
                p5,
                p10,
                p25,
                p50,
                p75,
                p90,
                p95,
            }),
            _ => None,
        }
    }

    /// The quantiles in the order of [`crate::aggregate::QUANTILES`].
    pub fn quantiles(&self) -> [f64; 7] {
        [
            self.p5, self.p10, self.p25, self.p50, self.p75, self.p90, self.p95,
        ]
    }
}

/// One side of an [`EventSplit`] in one year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SplitSide {
    /// Spread of the cumulative balance in the futures on this side.
    pub balance: Spread,
    /// Share of those futures whose deficit exceeds the usable reserves (absent without
    /// reserves to compare with).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deficit_exceeds_reserves: Option<f64>,
}

/// The cumulative balance in one year, split by a yes/no event.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SplitYear {
    /// The year.
    pub year: FinancialYear,
    /// In the futures where the event happens (absent if it happened in none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub happens: Option<SplitSide>,
    /// In the futures where it does not (absent if it happened in all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<SplitSide>,
}

/// The outcome with and without a yes/no event drawn once per path, from the same run
/// (docs/model.md section 7): when an event such as a write-off's approval moves the balance by
/// tens of millions, the distribution has two humps that a median and a 90% range hide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSplit {
    /// The input drawn, e.g. `write_off.probability`.
    pub key: String,
    /// What happens, in words: "the write-off is approved".
    pub label: String,
    /// The event's probability as the scenario gives it.
    pub probability: f64,
    /// Share of the simulated futures in which it happened.
    pub share: f64,
    /// Per projected year.
    pub years: Vec<SplitYear>,
}

/// A published figure placed on a run's distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    /// Who published it, and where.
    pub source: String,
    /// The figure in words.
    pub figure: String,
    /// The series it is a value of.
    pub series: String,
    /// The year.
    pub year: FinancialYear,
    /// The figure's value.
    pub value: f64,
    /// The policy set it was made under, when not the scenario's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The scenario's value: its own base-year figure, or the forecast's median; absent when the
    /// figure was made under another policy set than the run's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ours: Option<f64>,
    /// The forecast's 90% range (P5, P95) in that year (absent for a base-year figure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<(f64, f64)>,
    /// Share of simulated futures below the figure: its percentile rank (absent for a base-year
    /// figure, or one made under another policy set than the run's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_below: Option<f64>,
    /// Whether the figure should lie inside the 90% range.
    pub inside_90: bool,
    /// Where the scenario states it falls (percent), to be checked against `share_below`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentile: Option<f64>,
    /// For a base-year figure, how far the scenario's value may be (a share of the figure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
}

/// A provision's identifier and label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Named {
    /// Identifier used in series names.
    pub name: String,
    /// Label for tables and charts.
    pub label: String,
}

/// What was run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    /// Scenario name.
    pub name: String,
    /// Authority.
    pub authority: String,
    /// Base year.
    pub base_year: FinancialYear,
    /// Projected years, in order.
    pub years: Vec<FinancialYear>,
    /// Last year of the statutory override.
    pub override_ends: FinancialYear,
    /// The national policy set the scenario inherited (`none`: the standing rules only).
    #[serde(default = "no_policy")]
    pub policy: String,
    /// Provisions.
    pub provisions: Vec<Named>,
    /// Mitigations (name and description).
    pub mitigations: Vec<Named>,
    /// Opening cumulative balance in the central case.
    pub opening_balance: f64,
    /// Whether that balance is the council's (false: not known, taken as 0; the cumulative
    /// balance then counts only what builds up after the base year).
    #[serde(default = "known", skip_serializing_if = "is_known")]
    pub opening_balance_known: bool,
    /// Past cumulative balances given in the scenario.
    pub history: Vec<(FinancialYear, f64)>,
    /// Children waiting for an EHC needs assessment at the end of the base year in the central
    /// case (the opening backlog), when the scenario has an assessment pipeline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening_children_waiting: Option<f64>,
}

/// How it was run (everything that fixes the numbers; the thread count does not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// The seed.
    pub seed: u64,
    /// Paths simulated.
    pub paths: u64,
    /// The generator and how path streams are derived.
    pub rng: String,
    /// How quantiles were computed.
    pub quantile_method: String,
    /// Why the run stopped where it did, when a precision target was given.
    pub precision: Option<String>,
}

/// One line of an approved budget set against the forecast outturn (docs/model.md section 10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetLineResult {
    /// The spend series the line is set against: `spend.<provision>`, `spend.other_lines`,
    /// `spend.mitigation_costs`, or `spend.total` for the whole budget.
    pub series: String,
    /// What the line is, for people.
    pub label: String,
    /// Pounds budgeted.
    pub budget: f64,
    /// The forecast outturn: the series' statistics in the budget's year.
    pub outturn: YearStats,
    /// The central plan's outturn (every input at its central value).
    pub central: f64,
    /// Variance = outturn - budget (positive = an overspend): its quantiles and mean, exactly
    /// the outturn's less the budget (the budget is a constant).
    pub variance: YearStats,
    /// The central plan's variance.
    pub central_variance: f64,
    /// Share of futures in which the outturn exceeds the budget.
    pub overspend_probability: f64,
    /// Its standard error `sqrt(p (1 - p) / n)`.
    pub overspend_se: f64,
    /// The caseload and unit cost budgeted, when the budget gives them (left out otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned: Option<PlannedLine>,
}

/// A budget line built from a planned caseload and unit cost, and its variance split into
/// volume `(N - N_b) * u_b` and price `(u - u_b) * N` (mean over futures; the two add up to
/// the mean variance).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlannedLine {
    /// Plans budgeted for, `N_b`.
    pub caseload: f64,
    /// Pounds per plan budgeted for, `u_b`.
    pub unit_cost: f64,
    /// Mean caseload `E[N]` in the budget's year.
    pub caseload_mean: f64,
    /// Mean volume variance `(E[N] - N_b) * u_b`.
    pub volume: f64,
    /// Mean price variance `E[N u] - u_b E[N]`.
    pub price: f64,
    /// The central plan's volume variance.
    pub central_volume: f64,
    /// The central plan's price variance.
    pub central_price: f64,
}

/// An approved budget for one year set against the forecast, line by line and in total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetResult {
    /// The year budgeted.
    pub year: FinancialYear,
    /// Where it was approved.
    pub source: String,
    /// Each line, provisions first in the scenario's order.
    pub lines: Vec<BudgetLineResult>,
    /// The whole budget against high-needs spend (`spend.total`).
    pub total: BudgetLineResult,
    /// The part of the total not allocated to a line (a contingency), pounds.
    pub unallocated: f64,
}

/// Everything a run reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Always [`FORMAT`].
    pub format: String,
    /// Version of dsg-montecarlo that produced it.
    pub version: String,
    /// What was run.
    pub scenario: ScenarioInfo,
    /// How.
    pub run: RunInfo,
    /// Every series by name, per year.
    pub series: BTreeMap<String, Vec<YearStats>>,
    /// The deterministic central projection of the same series.
    pub central: BTreeMap<String, Vec<f64>>,
    /// Where the central projection stands among the simulated futures: for each series and
    /// year, the share of paths below its central value (a tie counts half), from 0 to 1. For a
    /// balance that is the share of futures worse than the plan; for spend or caseload, better
    /// (docs/model.md section 7).
    #[serde(default)]
    pub central_rank: BTreeMap<String, Vec<f64>>,
    /// The cumulative balance split by each yes/no event drawn once per path (a write-off's
    /// approval): its spread in the futures where the event happens and where it does not, from
    /// the same run.
    #[serde(default)]
    pub splits: Vec<EventSplit>,
    /// The scenario's published figures (`[[calibration]]`), each placed on this run's
    /// distribution.
    #[serde(default)]
    pub calibration: Vec<Placement>,
    /// Committee probabilities.
    pub probabilities: Probabilities,
    /// Exceedance curves of the cumulative deficit at the horizon and at the end of the override.
    pub exceedance: Vec<Exceedance>,
    /// Each approved budget (`[[budget]]`) set against the forecast outturn.
    #[serde(default)]
    pub budgets: Vec<BudgetResult>,
}

impl Summary {
    /// The statistics of series `name`, if it exists.
    pub fn series(&self, name: &str) -> Option<&[YearStats]> {
        self.series.get(name).map(|v| v.as_slice())
    }

    /// The statistics of series `name` in its last year.
    pub fn at_horizon(&self, name: &str) -> Option<&YearStats> {
        self.series(name).and_then(|v| v.last())
    }

    /// The statistics of the series `key`, if the run reported it.
    ///
    /// ```
    /// use dsg_core::{Series, SeriesKey};
    /// # let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// # let scenario = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// # let sim = dsg_montecarlo::Simulation::new(&scenario).unwrap();
    /// # let summary = sim.run(&dsg_montecarlo::Settings { paths: 200, ..Default::default() }).unwrap();
    /// let balance = summary.stats(SeriesKey::mitigated(Series::Cumulative)).unwrap();
    /// assert_eq!(balance.len(), summary.scenario.years.len());
    /// ```
    pub fn stats(&self, key: SeriesKey) -> Option<&[YearStats]> {
        self.series(&key.name(self)?)
    }

    /// The central projection of the series `key`, if the run reported it.
    pub fn central_of(&self, key: SeriesKey) -> Option<&[f64]> {
        self.central.get(&key.name(self)?).map(Vec::as_slice)
    }

    /// The key of the reported series called `name`, when it names one of this run's series.
    pub fn key(&self, name: &str) -> Option<SeriesKey> {
        SeriesKey::parse(name, self)
    }
}

/// The provisions and mitigations of the run, which name its series.
impl Names for Summary {
    fn provision(&self, p: usize) -> Option<(&str, &str)> {
        self.scenario
            .provisions
            .get(p)
            .map(|x| (x.name.as_str(), x.label.as_str()))
    }

    fn mitigation(&self, i: usize) -> Option<&str> {
        self.scenario.mitigations.get(i).map(|m| m.name.as_str())
    }
}

/// What summaries written before policy sets were recorded inherited.
fn no_policy() -> String {
    "none".to_string()
}

/// Where a summary holds a value that is not finite: the series (or statistic) and the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonFinite {
    /// The series or statistic, then what of it in brackets when that helps, e.g.
    /// `balance.cumulative (p50)`, `deficit_exceeds_reserves (probability)` or
    /// `expected_safety_valve_receipts`: the name before the brackets is a key of `summary.json`.
    pub series: String,
    /// The year, when the value belongs to one.
    pub year: Option<FinancialYear>,
}

impl Summary {
    /// The first value in the summary that is not finite (infinite or NaN), if any: a cheap check
    /// of the aggregated results (docs/model.md section 8), not of every path.
    pub fn first_non_finite(&self) -> Option<NonFinite> {
        let at = |series: String, year: Option<FinancialYear>| Some(NonFinite { series, year });
        if !self.scenario.opening_balance.is_finite() {
            return at("opening_balance".to_string(), None);
        }
        if self
            .scenario
            .opening_children_waiting
            .is_some_and(|x| !x.is_finite())
        {
            return at("opening_children_waiting".to_string(), None);
        }
        if let Some((year, _)) = self.scenario.history.iter().find(|(_, v)| !v.is_finite()) {
            return at("history".to_string(), Some(*year));
        }
        for (name, years) in &self.series {
            for y in years {
                let named = Quantile::ALL
                    .map(|q| (q.name(), y.get(q)))
                    .into_iter()
                    .chain([("mean", y.mean), ("se", y.se)]);
                if let Some((stat, _)) = named.into_iter().find(|(_, v)| !v.is_finite()) {
                    return at(format!("{name} ({stat})"), Some(y.year));
                }
            }
        }
        for (name, values) in &self.central {
            if let Some(t) = values.iter().position(|v| !v.is_finite()) {
                let year = self.scenario.years.get(t).copied();
                return at(format!("{name} (central projection)"), year);
            }
        }
        let p = &self.probabilities;
        for (what, list) in [
            ("deficit_exceeds_reserves", &p.deficit_exceeds_reserves),
            ("in_year_balance_reached_by", &p.in_year_balance_reached_by),
            ("reserves_first_exceeded", &p.reserves_first_exceeded),
        ] {
            if let Some(y) = list
                .iter()
                .find(|y| !y.probability.is_finite() || !y.se.is_finite())
            {
                return at(format!("{what} (probability)"), Some(y.year));
            }
        }
        if let Some(i) = p
            .safety_valve_instalments
            .iter()
            .find(|i| !i.amount.is_finite() || !i.probability.is_finite())
        {
            return at(
                "safety_valve_instalments (amount or probability)".to_string(),
                Some(i.year),
            );
        }
        if p.all_instalments_received.is_some_and(|x| !x.is_finite()) {
            return at("all_instalments_received (probability)".to_string(), None);
        }
        if !p.expected_safety_valve_receipts.is_finite() {
            return at("expected_safety_valve_receipts".to_string(), None);
        }
        for (name, values) in &self.central_rank {
            if let Some(t) = values.iter().position(|v| !v.is_finite()) {
                let year = self.scenario.years.get(t).copied();
                return at(format!("{name} (rank of the central projection)"), year);
            }
        }
        for split in &self.splits {
            for y in &split.years {
                let sides = [y.happens, y.not];
                let bad = sides.iter().flatten().any(|side| {
                    side.balance.quantiles().iter().any(|v| !v.is_finite())
                        || side
                            .deficit_exceeds_reserves
                            .is_some_and(|p| !p.is_finite())
                });
                if bad {
                    return at(
                        format!("balance.cumulative (split by {})", split.key),
                        Some(y.year),
                    );
                }
            }
        }
        for c in &self.calibration {
            let numbers = [Some(c.value), c.ours, c.share_below]
                .into_iter()
                .chain(c.range.map(|r| Some(r.0)))
                .chain(c.range.map(|r| Some(r.1)));
            if numbers.flatten().any(|v| !v.is_finite()) {
                return at(format!("{} (calibration)", c.series), Some(c.year));
            }
        }
        for e in &self.exceedance {
            if e.points
                .iter()
                .any(|pt| !pt.deficit.is_finite() || !pt.probability.is_finite())
            {
                return at("balance.cumulative (exceedance)".to_string(), Some(e.year));
            }
        }
        None
    }
}

/// `opening_balance_known`'s default: a summary written before it existed had a known balance.
fn known() -> bool {
    true
}

/// Left out of summary.json when true (as before it existed).
fn is_known(known: &bool) -> bool {
    *known
}
