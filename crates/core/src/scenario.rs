//! The validated scenario: built in one step from the raw file, it cannot be invalid.
//!
//! Every problem found is reported, with its key path, and the line and column where known.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::dist::{Dist, Per};
use crate::error::{Problem, ScenarioError};
use crate::locate::SourceMap;
use crate::params::{ParamId, ParamSpec, ParamTable, Shape, Slot};
use crate::raw::{self, NumInput, RawScenario};
use crate::year::FinancialYear;

/// Longest projection allowed, in years.
pub const MAX_HORIZON: usize = 30;
/// Most mitigations a scenario may list (they are switched on and off as bits of a `u64`).
pub const MAX_MITIGATIONS: usize = 64;
/// The share of the schools block a schools forum may move to high needs without the Secretary of
/// State's disapplication.
pub const FORUM_TRANSFER_LIMIT: f64 = 0.005;
/// Demand growth when a scenario does not say (MODEL.md section 2).
pub const DEFAULT_DEMAND_GROWTH: f64 = 0.12;
/// High-needs funding growth when a scenario does not say (MODEL.md section 4).
pub const DEFAULT_FUNDING_GROWTH: f64 = 0.07;
/// The end of the statutory override when a scenario does not say (31 March 2028).
pub const DEFAULT_OVERRIDE_END: &str = "2027-28";

/// How a provision's caseload moves from year to year (MODEL.md section 2).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandModel {
    /// `N[t] = N[t-1] * (1 + g[t] - m[t])`.
    NetGrowth {
        /// Demand growth (the scenario-wide input unless overridden).
        growth: ParamId,
    },
    /// `N[t] = N[t-1] - leavers + joiners * share + moves in - moves out`.
    Flows {
        /// This provision's share of new plans (shares of all flow provisions sum to 1).
        joiner_share: f64,
        /// Share of last year's caseload whose plans cease or who age out, per year.
        leaver_rate: ParamId,
    },
}

/// A type of placement: mainstream top-up, special school, INMSS, ...
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provision {
    /// Identifier used in the file and in series names (`caseload.<name>`).
    pub name: String,
    /// Name for tables and charts.
    pub label: String,
    /// Plans at the end of the base year.
    pub caseload: ParamId,
    /// Pounds per plan per year at the end of the base year.
    pub unit_cost: ParamId,
    /// How caseload moves.
    pub demand: DemandModel,
    /// Real-terms unit-cost drift per year on top of inflation.
    pub drift: ParamId,
    /// Places available per year, when limited.
    pub capacity: Option<ParamId>,
    /// Where plans above capacity go (index into `Scenario::provisions`).
    pub overflow: Option<usize>,
}

/// New plans a year, for provisions on the flow model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Joiners {
    /// New plans in the base year.
    pub opening: ParamId,
    /// Yearly growth of new plans.
    pub growth: ParamId,
}

/// Plans moving between provisions each year, as a share of the origin's caseload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mover {
    /// Origin provision.
    pub from: usize,
    /// Destination provision.
    pub to: usize,
    /// Share of the origin's previous-year caseload moving per year.
    pub rate: ParamId,
}

/// A line with an opening amount growing at its own rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// Identifier.
    pub name: String,
    /// Amount in the base year (pounds).
    pub amount: ParamId,
    /// Yearly growth.
    pub growth: ParamId,
}

/// The high-needs block allocation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Funding {
    /// Allocation in the base year (pounds).
    pub allocation: ParamId,
    /// Yearly growth.
    pub growth: ParamId,
}

/// Transfer from the schools block to high needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transfer {
    /// Schools block in the base year (pounds).
    pub schools_block: ParamId,
    /// Yearly growth of the schools block.
    pub schools_block_growth: ParamId,
    /// Share of the schools block asked for, per year.
    pub rate: ParamId,
    /// Whether a request above [`FORUM_TRANSFER_LIMIT`] is approved (an event per year); when
    /// refused, the forum-agreed 0.5% still moves.
    pub approved: ParamId,
}

/// Another DSG block with its own funding and spend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// Identifier.
    pub name: String,
    /// Funding in the base year.
    pub funding: ParamId,
    /// Yearly growth of funding.
    pub funding_growth: ParamId,
    /// Spend in the base year.
    pub spend: ParamId,
    /// Yearly growth of spend.
    pub spend_growth: ParamId,
}

/// What happens to a safety-valve instalment whose target is missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnMiss {
    /// The instalment is lost.
    Withhold,
    /// It is added to the next instalment whose target is met.
    Defer,
}

/// The condition a safety-valve instalment is paid on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// In-year deficit at most this many pounds: `I[t] >= -x`.
    MaxInYearDeficit(f64),
    /// Cumulative balance, before this year's safety-valve and write-off receipts, at least this.
    MinCumulativeBalance(f64),
}

/// One scheduled safety-valve instalment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instalment {
    /// Year due.
    pub year: FinancialYear,
    /// Projection year index (1-based).
    pub t: usize,
    /// Amount (pounds).
    pub amount: ParamId,
    /// The condition.
    pub target: Target,
}

/// A safety-valve agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SafetyValve {
    /// Withhold or defer a missed instalment.
    pub on_miss: OnMiss,
    /// Instalments in year order.
    pub instalments: Vec<Instalment>,
}

/// A one-off grant writing off a share of the deficit recorded at the end of a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WriteOff {
    /// Year index (0 = base year) at whose end the deficit is measured.
    pub measured_at: usize,
    /// Year index (1-based) in which the grant is received.
    pub paid_in: usize,
    /// Share of the deficit written off.
    pub share: ParamId,
    /// Whether the plan it depends on is approved (an event).
    pub approved: ParamId,
}

/// Central government meeting a share of each in-year deficit from a year on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CentralFunding {
    /// First year index (1-based).
    pub from: usize,
    /// Share of the in-year deficit met.
    pub share: ParamId,
}

/// Which provisions a growth reduction or unit-cost saving applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every provision (and, for a growth reduction, the growth of new plans).
    All,
    /// One provision.
    One(usize),
}

/// What a mitigation changes (MODEL.md section 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MitigationKind {
    /// Lowers net growth (and joiners' growth) by `effect` (a fraction: 0.04 = 4 points).
    GrowthReduction(Scope),
    /// Moves `effect` plans a year from one provision to another.
    PlacementShift {
        /// From.
        from: usize,
        /// To.
        to: usize,
    },
    /// Adds `effect` places to a provision's capacity.
    CapacityAdded(usize),
    /// Cuts the unit cost paid by `effect` (a fraction, a level not compounded).
    UnitCostSaving(Scope),
}

/// Who pays a mitigation's costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargedTo {
    /// The DSG (high-needs spend).
    Dsg,
    /// The authority's general fund (reported, not in the DSG balance).
    GeneralFund,
}

/// A planned action and its uncertain delivery.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mitigation {
    /// Identifier.
    pub name: String,
    /// Plain description for reports.
    pub description: String,
    /// What it changes.
    pub kind: MitigationKind,
    /// Intended full effect (units depend on the kind).
    pub effect: ParamId,
    /// First year index of effect before slippage (1-based).
    pub start: usize,
    /// Years to full effect (linear; 0 and 1 both mean full effect in the first year).
    pub ramp_years: f64,
    /// Fraction delivered (1 = as planned).
    pub delivery: ParamId,
    /// Years of start slippage (fractions allowed: the first year then has part of a year's
    /// effect).
    pub slippage: ParamId,
    /// Cost in the first year of effect.
    pub one_off_cost: ParamId,
    /// Cost in every year of effect.
    pub yearly_cost: ParamId,
    /// Who pays the costs.
    pub charged_to: ChargedTo,
}

/// A correlation between two uncertain inputs (Gaussian copula on their normal scores).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    /// First input (index into the parameter table).
    pub a: usize,
    /// Second input.
    pub b: usize,
    /// Correlation coefficient.
    pub rho: f64,
}

/// A validated scenario: every reference resolved, every number checked.
///
/// ```
/// let text = r#"
/// [scenario]
/// name = "Doc example"
/// base_year = "2025-26"
/// horizon_years = 3
/// [[provisions]]
/// name = "special"
/// caseload = 100
/// unit_cost = 25000
/// [funding]
/// allocation = 2500000
/// [dsg]
/// opening_balance = 0
/// [general_fund]
/// usable_reserves = 1000000
/// "#;
/// let scenario = dsg_core::Scenario::from_toml_str(text, "doc.toml").unwrap();
/// assert_eq!(scenario.horizon, 3);
/// assert_eq!(scenario.year(1).to_string(), "2026-27");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Scenario name.
    pub name: String,
    /// The authority it is for.
    pub authority: String,
    /// Free text.
    pub description: String,
    /// Sources of the figures.
    pub sources: Vec<String>,
    /// Last year whose figures are known.
    pub base_year: FinancialYear,
    /// Years projected (1..=30).
    pub horizon: usize,
    /// Placements.
    pub provisions: Vec<Provision>,
    /// New plans a year (when any provision is on the flow model).
    pub joiners: Option<Joiners>,
    /// Scenario-wide demand growth.
    pub demand_growth: ParamId,
    /// Cost inflation.
    pub cost_inflation: ParamId,
    /// Movers between provisions.
    pub movers: Vec<Mover>,
    /// Other high-needs spend lines.
    pub other_lines: Vec<Line>,
    /// High-needs allocation.
    pub funding: Funding,
    /// Transfer from the schools block.
    pub transfer: Option<Transfer>,
    /// Other income lines.
    pub other_income: Vec<Line>,
    /// Other DSG blocks.
    pub other_blocks: Vec<Block>,
    /// Cumulative DSG balance at the end of the base year (negative = deficit).
    pub opening_balance: ParamId,
    /// Cumulative balances of past years, oldest first, for charts.
    pub history: Vec<(FinancialYear, f64)>,
    /// Usable general-fund reserves per year.
    pub usable_reserves: ParamId,
    /// The authority's borrowing rate per year.
    pub borrowing_rate: ParamId,
    /// Last year of the statutory override.
    pub override_ends: FinancialYear,
    /// General-fund contributions to the DSG reserve per year.
    pub contributions: ParamId,
    /// Safety-valve agreement.
    pub safety_valve: Option<SafetyValve>,
    /// Deficit write-off event.
    pub write_off: Option<WriteOff>,
    /// Central funding of later deficits.
    pub central_funding: Option<CentralFunding>,
    /// Mitigations.
    pub mitigations: Vec<Mitigation>,
    /// Every numeric input.
    pub params: ParamTable,
    /// Correlations between uncertain inputs.
    pub correlations: Vec<Correlation>,
    /// Provisions in the order capacity is applied (each before the one it overflows into).
    pub capacity_order: Vec<usize>,
}

impl Scenario {
    /// Reads and validates a scenario file.
    ///
    /// ```no_run
    /// let scenario = dsg_core::Scenario::load("scenarios/minimal.toml".as_ref())?;
    /// # Ok::<(), dsg_core::ScenarioError>(())
    /// ```
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            file: path.to_path_buf(),
            source,
        })?;
        Scenario::from_toml_str(&text, path)
    }

    /// Validates a scenario given as TOML text; `file` names it in errors.
    pub fn from_toml_str(text: &str, file: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        let file: PathBuf = file.as_ref().to_path_buf();
        let map = SourceMap::new(text);
        let raw: RawScenario = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let mut problem = Problem::new("", e.message().trim().to_string());
                if let Some(span) = e.span() {
                    problem.key = map.path_at(span.start);
                    problem.position = Some(map.line_column(span.start));
                }
                return Err(ScenarioError::Invalid {
                    file,
                    problems: vec![problem],
                });
            }
        };
        let mut builder = Builder::new();
        let scenario = builder.build(&raw);
        let mut problems = builder.problems;
        if problems.is_empty()
            && let Some(s) = scenario
        {
            return Ok(s);
        }
        for p in &mut problems {
            p.position = map.position_of(&p.key);
        }
        problems.sort_by_key(|p| p.position.unwrap_or((usize::MAX, 0)));
        Err(ScenarioError::Invalid { file, problems })
    }

    /// Validates a scenario built in code (see [`crate::raw`]).
    pub fn from_raw(raw: &RawScenario) -> Result<Scenario, ScenarioError> {
        let mut builder = Builder::new();
        let scenario = builder.build(raw);
        match scenario {
            Some(s) if builder.problems.is_empty() => Ok(s),
            _ => Err(ScenarioError::Invalid {
                file: PathBuf::from("<scenario built in code>"),
                problems: builder.problems,
            }),
        }
    }

    /// The financial year of projection year `t` (0 = base year).
    pub fn year(&self, t: usize) -> FinancialYear {
        self.base_year + t as u16
    }

    /// Projection year index of `year` (0 = base year), if inside the horizon.
    pub fn index_of(&self, year: FinancialYear) -> Option<usize> {
        let off = self.base_year.offset_to(year);
        (0..=self.horizon as i32)
            .contains(&off)
            .then_some(off as usize)
    }

    /// Every output series of this scenario with its stable name, in index order.
    pub fn series(&self) -> Vec<(crate::Series, String)> {
        let names: Vec<&str> = self.provisions.iter().map(|p| p.name.as_str()).collect();
        crate::Series::all(&names)
    }

    /// Index of the provision called `name`.
    pub fn provision_index(&self, name: &str) -> Option<usize> {
        self.provisions.iter().position(|p| p.name == name)
    }
}

/// What values an input may take.
#[derive(Clone, Copy)]
enum Rule {
    /// Every possible value within `[lo, hi]` (a bounded distribution is needed for a finite bound).
    Within(f64, f64),
    /// A rate: the central value above -1 (no more than everything lost in a year).
    Rate,
    /// Any finite number.
    Any,
}

const NON_NEGATIVE: Rule = Rule::Within(0.0, f64::INFINITY);
const FRACTION: Rule = Rule::Within(0.0, 1.0);

/// What a yearly input takes in years it does not list.
enum Fallback {
    Value(f64),
    SameAs(ParamId),
    /// A level (places, reserves) has no sensible default: a per-year table must cover every year
    /// or give `other_years`.
    EveryYear,
}

struct Builder {
    problems: Vec<Problem>,
    params: ParamTable,
    base: FinancialYear,
    horizon: usize,
}

impl Builder {
    fn new() -> Self {
        Builder {
            problems: Vec::new(),
            params: ParamTable::new(),
            // Replaced as soon as the scenario section is read.
            base: FinancialYear::new(2025).unwrap_or_else(|| unreachable!()),
            horizon: 1,
        }
    }

    fn problem(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(key, message));
    }

    fn year(&mut self, key: &str, text: &str) -> Option<FinancialYear> {
        match text.parse() {
            Ok(y) => Some(y),
            Err(e) => {
                self.problem(key, e.to_string());
                None
            }
        }
    }

    /// Index (1..=H) of a year that must fall inside the projection.
    fn projection_year(&mut self, key: &str, text: &str) -> usize {
        let Some(y) = self.year(key, text) else {
            return 1;
        };
        let off = self.base.offset_to(y);
        if off < 1 || off > self.horizon as i32 {
            self.problem(
                key,
                format!(
                    "{y} is outside the projection ({} to {})",
                    self.base + 1,
                    self.base + self.horizon as u16
                ),
            );
            return 1;
        }
        off as usize
    }

    fn placeholder(&mut self, key: &str, shape: Shape) -> ParamId {
        let n = if shape == Shape::Scalar {
            1
        } else {
            self.horizon
        };
        self.params.push(ParamSpec {
            key: key.to_string(),
            shape,
            slots: vec![Slot::Own(Dist::Fixed { value: 0.0 }); n],
            per: Per::Path,
            persistence: 0.0,
        })
    }

    fn check_rule(&mut self, key: &str, dist: &Dist, rule: Rule) {
        if let Err(message) = dist.validate() {
            self.problem(key, message);
            return;
        }
        if !dist.mean().is_finite() || !dist.central().is_finite() {
            self.problem(
                key,
                format!(
                    "this {} has a mean too large to represent; check its parameters",
                    dist.name()
                ),
            );
            return;
        }
        match rule {
            Rule::Any => {}
            Rule::Rate => {
                if dist.central() <= -1.0 {
                    self.problem(
                        key,
                        format!("a rate must be above -1 (-100%); got {}", dist.central()),
                    );
                }
            }
            Rule::Within(lo, hi) => {
                let (s_lo, s_hi) = dist.support();
                if s_lo < lo || s_hi > hi {
                    let range = match (lo, hi) {
                        (lo, hi) if hi.is_infinite() => format!("at least {lo}"),
                        (lo, hi) => format!("between {lo} and {hi}"),
                    };
                    let what = if dist.is_fixed() {
                        format!("got {}", dist.central())
                    } else if s_lo.is_infinite() || s_hi.is_infinite() {
                        format!(
                            "a {} can take any value; use a bounded distribution such as truncated_normal, pert or uniform",
                            dist.name()
                        )
                    } else {
                        format!("this {} ranges from {s_lo} to {s_hi}", dist.name())
                    };
                    self.problem(key, format!("must be {range}: {what}"));
                }
            }
        }
    }

    /// Reads a number or a distribution table.
    fn dist(
        &mut self,
        key: &str,
        input: &NumInput,
        rule: Rule,
    ) -> Option<(Dist, Option<Per>, f64)> {
        let (dist, per, persistence) = match input {
            NumInput::Number(x) => (Dist::Fixed { value: *x }, None, 0.0),
            NumInput::Table(t) => {
                if !t.contains_key("dist") {
                    self.problem(
                        key,
                        "a table here must be a distribution with `dist = \"...\"` (per-year tables are for yearly inputs)",
                    );
                    return None;
                }
                self.dist_table(key, t)?
            }
        };
        if let Dist::Fixed { value } = dist
            && !value.is_finite()
        {
            self.problem(key, format!("must be a finite number, not {value}"));
            return None;
        }
        self.check_rule(key, &dist, rule);
        Some((dist, per, persistence))
    }

    fn dist_table(&mut self, key: &str, t: &toml::Table) -> Option<(Dist, Option<Per>, f64)> {
        let name = match t.get("dist").and_then(|v| v.as_str()) {
            Some(n) => n,
            None => {
                self.problem(
                    format!("{key}.dist"),
                    "`dist` must be a string naming a distribution",
                );
                return None;
            }
        };
        let wanted: &[&str] = match name {
            "fixed" => &["value"],
            "uniform" => &["min", "max"],
            "normal" => &["mean", "sd"],
            "lognormal" => &["mu", "sigma"],
            "truncated_normal" => &["mean", "sd", "min", "max"],
            "triangular" | "pert" => &["min", "mode", "max"],
            "discrete" => &[],
            "bernoulli" => &["p"],
            other => {
                self.problem(
                    format!("{key}.dist"),
                    format!(
                        "unknown distribution `{other}`; use one of fixed, uniform, normal, lognormal, truncated_normal, triangular, pert, discrete, bernoulli"
                    ),
                );
                return None;
            }
        };
        let optional: &[&str] = match name {
            "lognormal" => &["shift"],
            "discrete" => &["values", "probabilities"],
            _ => &[],
        };
        let mut ok = true;
        for k in t.keys() {
            if k != "dist"
                && k != "per"
                && k != "persistence"
                && !wanted.contains(&k.as_str())
                && !optional.contains(&k.as_str())
            {
                self.problem(
                    format!("{key}.{k}"),
                    format!(
                        "unknown key `{k}` for a {name} distribution (it takes {})",
                        wanted.join(", ")
                    ),
                );
                ok = false;
            }
        }
        let mut num = |b: &mut Builder, k: &str| -> f64 {
            match t.get(k) {
                Some(toml::Value::Float(x)) => *x,
                Some(toml::Value::Integer(i)) => *i as f64,
                Some(_) => {
                    b.problem(format!("{key}.{k}"), format!("`{k}` must be a number"));
                    ok = false;
                    0.0
                }
                None => {
                    b.problem(key, format!("a {name} distribution needs `{k}`"));
                    ok = false;
                    0.0
                }
            }
        };
        let dist = match name {
            "fixed" => Dist::Fixed {
                value: num(self, "value"),
            },
            "uniform" => Dist::Uniform {
                min: num(self, "min"),
                max: num(self, "max"),
            },
            "normal" => Dist::Normal {
                mean: num(self, "mean"),
                sd: num(self, "sd"),
            },
            "lognormal" => Dist::Lognormal {
                mu: num(self, "mu"),
                sigma: num(self, "sigma"),
                shift: if t.contains_key("shift") {
                    num(self, "shift")
                } else {
                    0.0
                },
            },
            "truncated_normal" => Dist::TruncatedNormal {
                mean: num(self, "mean"),
                sd: num(self, "sd"),
                min: num(self, "min"),
                max: num(self, "max"),
            },
            "triangular" => Dist::Triangular {
                min: num(self, "min"),
                mode: num(self, "mode"),
                max: num(self, "max"),
            },
            "pert" => Dist::Pert {
                min: num(self, "min"),
                mode: num(self, "mode"),
                max: num(self, "max"),
            },
            "bernoulli" => Dist::Bernoulli { p: num(self, "p") },
            _ => {
                let list = |b: &mut Builder, k: &str| -> Vec<f64> {
                    match t.get(k).and_then(|v| v.as_array()) {
                        Some(a) => a
                            .iter()
                            .filter_map(|v| {
                                v.as_float()
                                    .or_else(|| v.as_integer().map(|i| i as f64))
                                    .or_else(|| {
                                        b.problem(
                                            format!("{key}.{k}"),
                                            format!("`{k}` must be a list of numbers"),
                                        );
                                        None
                                    })
                            })
                            .collect(),
                        None => {
                            b.problem(
                                key,
                                format!("a discrete distribution needs `{k}` as a list of numbers"),
                            );
                            Vec::new()
                        }
                    }
                };
                Dist::Discrete {
                    values: list(self, "values"),
                    probabilities: list(self, "probabilities"),
                }
            }
        };
        let per = match t.get("per") {
            None => None,
            Some(v) => match v.as_str() {
                Some("path") => Some(Per::Path),
                Some("year") => Some(Per::Year),
                _ => {
                    self.problem(format!("{key}.per"), "`per` must be \"path\" or \"year\"");
                    None
                }
            },
        };
        let persistence = match t.get("persistence") {
            None => 0.0,
            Some(v) => match v.as_float().or_else(|| v.as_integer().map(|i| i as f64)) {
                Some(phi) if (0.0..1.0).contains(&phi) => phi,
                _ => {
                    self.problem(
                        format!("{key}.persistence"),
                        "`persistence` must be a number from 0 to just under 1",
                    );
                    0.0
                }
            },
        };
        ok.then_some((dist, per, persistence))
    }

    fn scalar(&mut self, key: &str, input: &NumInput, rule: Rule) -> ParamId {
        let Some((dist, per, persistence)) = self.dist(key, input, rule) else {
            return self.placeholder(key, Shape::Scalar);
        };
        if per == Some(Per::Year) || persistence != 0.0 {
            self.problem(key, "this input has one value per path: `per = \"year\"` and `persistence` do not apply");
        }
        self.params.push(ParamSpec {
            key: key.to_string(),
            shape: Shape::Scalar,
            slots: vec![Slot::Own(dist)],
            per: Per::Path,
            persistence: 0.0,
        })
    }

    fn fixed_scalar(&mut self, key: &str, value: f64) -> ParamId {
        self.params.push(ParamSpec {
            key: key.to_string(),
            shape: Shape::Scalar,
            slots: vec![Slot::Own(Dist::Fixed { value })],
            per: Per::Path,
            persistence: 0.0,
        })
    }

    fn scalar_or(
        &mut self,
        key: &str,
        input: Option<&NumInput>,
        default: f64,
        rule: Rule,
    ) -> ParamId {
        match input {
            Some(i) => self.scalar(key, i, rule),
            None => self.fixed_scalar(key, default),
        }
    }

    fn event(&mut self, key: &str, probability: f64, shape: Shape) -> ParamId {
        if !(0.0..=1.0).contains(&probability) {
            self.problem(
                key,
                format!("a probability must be between 0 and 1 (got {probability})"),
            );
        }
        let p = probability.clamp(0.0, 1.0);
        let n = if shape == Shape::Scalar {
            1
        } else {
            self.horizon
        };
        self.params.push(ParamSpec {
            key: key.to_string(),
            shape,
            slots: vec![Slot::Own(Dist::Bernoulli { p }); n],
            per: if shape == Shape::Scalar {
                Per::Path
            } else {
                Per::Year
            },
            persistence: 0.0,
        })
    }

    /// A yearly input: a number, a distribution, or a table of years (each a number or a
    /// distribution) with `other_years` for the rest.
    fn yearly(
        &mut self,
        key: &str,
        input: Option<&NumInput>,
        fallback: Fallback,
        rule: Rule,
    ) -> ParamId {
        let horizon = self.horizon;
        let input = match input {
            Some(i) => i,
            None => match fallback {
                Fallback::SameAs(id) => return id,
                Fallback::EveryYear => return self.placeholder(key, Shape::Yearly),
                Fallback::Value(v) => {
                    return self.params.push(ParamSpec {
                        key: key.to_string(),
                        shape: Shape::Yearly,
                        slots: vec![Slot::Own(Dist::Fixed { value: v }); horizon],
                        per: Per::Year,
                        persistence: 0.0,
                    });
                }
            },
        };
        let is_year_table = matches!(input, NumInput::Table(t) if !t.contains_key("dist"));
        let mut pers: Vec<(Option<Per>, f64)> = Vec::new();
        let slots: Vec<Slot> = if !is_year_table {
            let Some((dist, per, phi)) = self.dist(key, input, rule) else {
                return self.placeholder(key, Shape::Yearly);
            };
            pers.push((per, phi));
            vec![Slot::Own(dist); horizon]
        } else {
            let NumInput::Table(table) = input else {
                unreachable!()
            };
            let mut slots: Vec<Option<Slot>> = vec![None; horizon];
            let mut other: Option<Slot> = None;
            for (k, v) in table {
                let sub_key = format!("{key}.{k}");
                let value = match v {
                    toml::Value::Float(x) => NumInput::Number(*x),
                    toml::Value::Integer(i) => NumInput::Number(*i as f64),
                    toml::Value::Table(t) => NumInput::Table(t.clone()),
                    _ => {
                        self.problem(&sub_key, "must be a number or a distribution table");
                        continue;
                    }
                };
                if matches!(&value, NumInput::Table(t) if !t.contains_key("dist")) {
                    self.problem(
                        &sub_key,
                        "a year's value must be a number or a distribution with `dist = \"...\"`",
                    );
                    continue;
                }
                let Some((dist, per, phi)) = self.dist(&sub_key, &value, rule) else {
                    continue;
                };
                pers.push((per, phi));
                if k == "other_years" {
                    other = Some(Slot::Own(dist));
                } else {
                    let Ok(year) = k.parse::<FinancialYear>() else {
                        self.problem(
                            &sub_key,
                            format!("`{k}` is neither a financial year such as `2026-27` nor `other_years`"),
                        );
                        continue;
                    };
                    let off = self.base.offset_to(year);
                    if off < 1 || off > horizon as i32 {
                        self.problem(
                            &sub_key,
                            format!(
                                "{year} is outside the projection ({} to {})",
                                self.base + 1,
                                self.base + horizon as u16
                            ),
                        );
                        continue;
                    }
                    slots[off as usize - 1] = Some(Slot::Own(dist));
                }
            }
            let fill = match (other, fallback) {
                (Some(slot), _) => FillWith::Slot(slot),
                (None, Fallback::Value(v)) => FillWith::Slot(Slot::Own(Dist::Fixed { value: v })),
                (None, Fallback::SameAs(id)) => FillWith::Shared(id),
                (None, Fallback::EveryYear) => {
                    if slots.iter().any(Option::is_none) {
                        self.problem(
                            key,
                            format!(
                                "give a value for every year from {} to {}, or `other_years` for the years not listed",
                                self.base + 1,
                                self.base + horizon as u16
                            ),
                        );
                    }
                    FillWith::Slot(Slot::Own(Dist::Fixed { value: 0.0 }))
                }
            };
            slots
                .into_iter()
                .enumerate()
                .map(|(i, s)| match (s, &fill) {
                    (Some(s), _) => s,
                    (None, FillWith::Slot(slot)) => slot.clone(),
                    (None, FillWith::Shared(id)) => Slot::Shared {
                        offset: id.offset() + i,
                    },
                })
                .collect()
        };
        let uncertain: Vec<(Option<Per>, f64)> = pers;
        let per = uncertain.iter().find_map(|(p, _)| *p).unwrap_or(Per::Year);
        let persistence = uncertain.iter().map(|(_, phi)| *phi).fold(0.0, f64::max);
        if uncertain
            .iter()
            .any(|(p, phi)| p.is_some_and(|p| p != per) || (*phi != 0.0 && *phi != persistence))
        {
            self.problem(
                key,
                "every year of one input must share the same `per` and `persistence`",
            );
        }
        if per == Per::Path && persistence != 0.0 {
            self.problem(
                key,
                "`persistence` applies to inputs drawn each year (`per = \"year\"`)",
            );
        }
        self.params.push(ParamSpec {
            key: key.to_string(),
            shape: Shape::Yearly,
            slots,
            per,
            persistence,
        })
    }

    /// The index of provision `name`, or `None` with a problem recorded (checks comparing
    /// provisions then have nothing to compare, so an unknown name is reported once).
    fn provision_ref(&mut self, key: &str, name: &str, names: &[String]) -> Option<usize> {
        match names.iter().position(|n| n == name) {
            Some(i) => Some(i),
            None => {
                self.problem(
                    key,
                    format!(
                        "no provision is called `{name}` (the provisions are: {})",
                        names.join(", ")
                    ),
                );
                None
            }
        }
    }

    fn scope(&mut self, key: &str, name: Option<&str>, names: &[String]) -> Scope {
        match name {
            None | Some("all") => Scope::All,
            // An unknown name (already reported) stands for all, which no later check questions.
            Some(n) => self
                .provision_ref(key, n, names)
                .map_or(Scope::All, Scope::One),
        }
    }

    fn line(&mut self, key: &str, raw: &raw::RawLine) -> Line {
        Line {
            name: raw.name.clone(),
            amount: self.scalar(&format!("{key}.amount"), &raw.amount, NON_NEGATIVE),
            growth: self.yearly(
                &format!("{key}.growth"),
                raw.growth.as_ref(),
                Fallback::Value(0.0),
                Rule::Rate,
            ),
        }
    }

    fn unique_names<'a>(&mut self, key: &str, names: impl Iterator<Item = &'a str>) {
        let mut seen: Vec<&str> = Vec::new();
        for (i, name) in names.enumerate() {
            if name.trim().is_empty() {
                self.problem(format!("{key}[{i}].name"), "a name must not be empty");
            } else if seen.contains(&name) {
                self.problem(
                    format!("{key}[{i}].name"),
                    format!("the name `{name}` is used twice"),
                );
            }
            seen.push(name);
        }
    }

    fn build(&mut self, raw: &RawScenario) -> Option<Scenario> {
        let meta = &raw.scenario;
        if meta.name.trim().is_empty() {
            self.problem("scenario.name", "a scenario needs a name");
        }
        if let Some(base) = self.year("scenario.base_year", &meta.base_year) {
            self.base = base;
        }
        if !(1..=MAX_HORIZON as i64).contains(&meta.horizon_years) {
            self.problem(
                "scenario.horizon_years",
                format!(
                    "must be from 1 to {MAX_HORIZON} years (got {})",
                    meta.horizon_years
                ),
            );
            // Check the rest against the longest horizon so that years are not also reported.
            self.horizon = MAX_HORIZON;
        } else {
            self.horizon = meta.horizon_years as usize;
        }
        let base = self.base;

        let demand = raw.demand.as_ref();
        let demand_growth = self.yearly(
            "demand.growth",
            demand.and_then(|d| d.growth.as_ref()),
            Fallback::Value(DEFAULT_DEMAND_GROWTH),
            Rule::Rate,
        );
        let cost_inflation = self.yearly(
            "cost.inflation",
            raw.cost.as_ref().and_then(|c| c.inflation.as_ref()),
            Fallback::Value(0.0),
            Rule::Rate,
        );

        // Provisions.
        if raw.provisions.is_empty() {
            self.problem("provisions", "a scenario needs at least one provision");
        }
        self.unique_names("provisions", raw.provisions.iter().map(|p| p.name.as_str()));
        let names: Vec<String> = raw.provisions.iter().map(|p| p.name.clone()).collect();
        for (i, p) in raw.provisions.iter().enumerate() {
            if p.name == "all" {
                self.problem(
                    format!("provisions[{i}].name"),
                    "`all` is reserved (a mitigation on `all` means every provision); choose another name",
                );
            } else if crate::series::Series::clashes_with_provision(&p.name) {
                self.problem(
                    format!("provisions[{i}].name"),
                    format!(
                        "`{}` is reserved: the results already have a series called caseload.{0} or spend.{0} for all provisions together; choose another name",
                        p.name
                    ),
                );
            }
        }
        let mut provisions = Vec::with_capacity(raw.provisions.len());
        let mut share_sum = 0.0;
        let mut any_flows = false;
        for (i, p) in raw.provisions.iter().enumerate() {
            let key = format!("provisions[{i}]");
            let caseload = self.scalar(&format!("{key}.caseload"), &p.caseload, NON_NEGATIVE);
            let unit_cost = self.scalar(&format!("{key}.unit_cost"), &p.unit_cost, NON_NEGATIVE);
            let drift = self.yearly(
                &format!("{key}.drift"),
                p.drift.as_ref(),
                Fallback::Value(0.0),
                Rule::Rate,
            );
            let model = p.model.as_deref().unwrap_or(if p.joiner_share.is_some() {
                "flows"
            } else {
                "net_growth"
            });
            let demand_model = match model {
                "net_growth" => {
                    for (field, present) in [
                        ("joiner_share", p.joiner_share.is_some()),
                        ("leaver_rate", p.leaver_rate.is_some()),
                    ] {
                        if present {
                            self.problem(
                                format!("{key}.{field}"),
                                format!(
                                    "`{field}` belongs to the flow model; set `model = \"flows\"`"
                                ),
                            );
                        }
                    }
                    DemandModel::NetGrowth {
                        growth: self.yearly(
                            &format!("{key}.growth"),
                            p.growth.as_ref(),
                            Fallback::SameAs(demand_growth),
                            Rule::Rate,
                        ),
                    }
                }
                "flows" => {
                    any_flows = true;
                    if p.growth.is_some() {
                        self.problem(format!("{key}.growth"), "a flow-model provision grows through joiners and leavers, not `growth`");
                    }
                    let share = p.joiner_share.unwrap_or(0.0);
                    if !(0.0..=1.0).contains(&share) || !share.is_finite() {
                        self.problem(
                            format!("{key}.joiner_share"),
                            format!("must be between 0 and 1 (got {share})"),
                        );
                    }
                    share_sum += share;
                    DemandModel::Flows {
                        joiner_share: share,
                        leaver_rate: self.yearly(
                            &format!("{key}.leaver_rate"),
                            p.leaver_rate.as_ref(),
                            Fallback::Value(0.0),
                            FRACTION,
                        ),
                    }
                }
                other => {
                    self.problem(
                        format!("{key}.model"),
                        format!("`{other}` is not a demand model; use \"net_growth\" or \"flows\""),
                    );
                    DemandModel::NetGrowth {
                        growth: demand_growth,
                    }
                }
            };
            let capacity = p.capacity.as_ref().map(|c| {
                self.yearly(
                    &format!("{key}.capacity"),
                    Some(c),
                    Fallback::EveryYear,
                    NON_NEGATIVE,
                )
            });
            let overflow = p
                .overflow
                .as_deref()
                .and_then(|o| self.provision_ref(&format!("{key}.overflow"), o, &names));
            if p.overflow.is_some() && capacity.is_none() {
                self.problem(
                    format!("{key}.overflow"),
                    "an overflow needs a `capacity` to overflow from",
                );
            }
            if capacity.is_some() && p.overflow.is_none() {
                self.problem(
                    format!("{key}.capacity"),
                    "say where plans above capacity go with `overflow = \"<provision>\"`",
                );
            }
            if overflow == Some(i) {
                self.problem(
                    format!("{key}.overflow"),
                    "a provision cannot overflow into itself",
                );
            }
            provisions.push(Provision {
                name: p.name.clone(),
                label: p.label.clone().unwrap_or_else(|| p.name.replace('_', " ")),
                caseload,
                unit_cost,
                demand: demand_model,
                drift,
                capacity,
                overflow,
            });
        }
        let joiners = match (demand.and_then(|d| d.joiners.as_ref()), any_flows) {
            (Some(j), true) => {
                if (share_sum - 1.0).abs() > 1e-9 {
                    self.problem("provisions", format!("the `joiner_share` of the flow-model provisions must sum to 1 (they sum to {share_sum:.6})"));
                }
                Some(Joiners {
                    opening: self.scalar("demand.joiners.opening", &j.opening, NON_NEGATIVE),
                    growth: self.yearly(
                        "demand.joiners.growth",
                        j.growth.as_ref(),
                        Fallback::SameAs(demand_growth),
                        Rule::Rate,
                    ),
                })
            }
            (None, true) => {
                self.problem("demand", "flow-model provisions need `[demand.joiners]` with the `opening` number of new plans a year");
                None
            }
            (Some(_), false) => {
                self.problem(
                    "demand.joiners",
                    "joiners are only used by provisions with `model = \"flows\"`",
                );
                None
            }
            (None, false) => None,
        };
        let capacity_order = self.capacity_order(&provisions);

        let mut movers = Vec::new();
        for (i, m) in raw.movers.iter().enumerate() {
            let key = format!("movers[{i}]");
            let from = self.provision_ref(&format!("{key}.from"), &m.from, &names);
            let to = self.provision_ref(&format!("{key}.to"), &m.to, &names);
            if from.is_some() && from == to {
                self.problem(&key, "a move must be between two different provisions");
            }
            let rate = self.yearly(
                &format!("{key}.rate"),
                Some(&m.rate),
                Fallback::Value(0.0),
                FRACTION,
            );
            // A move naming an unknown provision is reported above and goes no further.
            if let (Some(from), Some(to)) = (from, to) {
                movers.push(Mover { from, to, rate });
            }
        }
        self.check_outflows(&provisions, &movers);

        self.unique_names(
            "other_lines",
            raw.other_lines.iter().map(|l| l.name.as_str()),
        );
        let other_lines = raw
            .other_lines
            .iter()
            .enumerate()
            .map(|(i, l)| self.line(&format!("other_lines[{i}]"), l))
            .collect();

        let funding = Funding {
            allocation: self.scalar("funding.allocation", &raw.funding.allocation, NON_NEGATIVE),
            growth: self.yearly(
                "funding.growth",
                raw.funding.growth.as_ref(),
                Fallback::Value(DEFAULT_FUNDING_GROWTH),
                Rule::Rate,
            ),
        };
        let transfer = raw.transfer.as_ref().map(|t| {
            let rate = self.yearly("transfer.rate", Some(&t.rate), Fallback::Value(0.0), FRACTION);
            let needs_approval = self.params.specs()[rate.index()].slots.iter().any(|s| match s {
                Slot::Own(d) => d.support().1 > FORUM_TRANSFER_LIMIT,
                Slot::Shared { .. } => false,
            });
            let probability = match t.approval_probability {
                Some(p) => p,
                None if needs_approval => {
                    self.problem(
                        "transfer.approval_probability",
                        "a transfer above 0.5% of the schools block needs the Secretary of State's approval: give `approval_probability`",
                    );
                    0.0
                }
                None => 1.0,
            };
            Transfer {
                schools_block: self.scalar("transfer.schools_block", &t.schools_block, NON_NEGATIVE),
                schools_block_growth: self.yearly(
                    "transfer.schools_block_growth",
                    t.schools_block_growth.as_ref(),
                    Fallback::Value(0.0),
                    Rule::Rate,
                ),
                rate,
                approved: self.event("transfer.approval_probability", probability, Shape::Yearly),
            }
        });
        self.unique_names(
            "other_income",
            raw.other_income.iter().map(|l| l.name.as_str()),
        );
        let other_income = raw
            .other_income
            .iter()
            .enumerate()
            .map(|(i, l)| self.line(&format!("other_income[{i}]"), l))
            .collect();
        self.unique_names(
            "other_blocks",
            raw.other_blocks.iter().map(|l| l.name.as_str()),
        );
        let other_blocks = raw
            .other_blocks
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let key = format!("other_blocks[{i}]");
                Block {
                    name: b.name.clone(),
                    funding: self.scalar(&format!("{key}.funding"), &b.funding, NON_NEGATIVE),
                    funding_growth: self.yearly(
                        &format!("{key}.funding_growth"),
                        b.funding_growth.as_ref(),
                        Fallback::Value(0.0),
                        Rule::Rate,
                    ),
                    spend: self.scalar(&format!("{key}.spend"), &b.spend, NON_NEGATIVE),
                    spend_growth: self.yearly(
                        &format!("{key}.spend_growth"),
                        b.spend_growth.as_ref(),
                        Fallback::Value(0.0),
                        Rule::Rate,
                    ),
                }
            })
            .collect();

        let opening_balance =
            self.scalar("dsg.opening_balance", &raw.dsg.opening_balance, Rule::Any);
        let mut history = Vec::new();
        for (k, v) in &raw.dsg.history {
            let key = format!("dsg.history.{k}");
            let Some(y) = self.year(&key, k) else {
                continue;
            };
            if y > base {
                self.problem(
                    &key,
                    format!("history must be for years up to the base year {base}"),
                );
            } else if !v.is_finite() {
                self.problem(&key, "must be a finite number");
            } else {
                history.push((y, *v));
            }
        }
        history.sort_by_key(|(y, _)| *y);

        let gf = &raw.general_fund;
        let usable_reserves = self.yearly(
            "general_fund.usable_reserves",
            Some(&gf.usable_reserves),
            Fallback::EveryYear,
            NON_NEGATIVE,
        );
        let borrowing_rate = self.yearly(
            "general_fund.borrowing_rate",
            gf.borrowing_rate.as_ref(),
            Fallback::Value(0.0),
            FRACTION,
        );
        let override_ends = self
            .year(
                "general_fund.statutory_override_ends",
                gf.statutory_override_ends
                    .as_deref()
                    .unwrap_or(DEFAULT_OVERRIDE_END),
            )
            .unwrap_or(base);
        let contributions = self.yearly(
            "general_fund.contributions",
            gf.contributions.as_ref(),
            Fallback::Value(0.0),
            NON_NEGATIVE,
        );

        let safety_valve = raw.safety_valve.as_ref().map(|sv| self.safety_valve(sv));
        let write_off = raw.write_off.as_ref().map(|w| {
            let measured = self
                .year("write_off.deficit_at_end_of", &w.deficit_at_end_of)
                .map(|y| base.offset_to(y));
            let measured_at = match measured {
                Some(off) if (0..=self.horizon as i32).contains(&off) => off as usize,
                Some(_) => {
                    self.problem(
                        "write_off.deficit_at_end_of",
                        format!(
                            "must be from the base year {base} to the last projected year {}",
                            base + self.horizon as u16
                        ),
                    );
                    0
                }
                None => 0,
            };
            let paid_in = match &w.paid_in {
                Some(text) => self.projection_year("write_off.paid_in", text),
                None => measured_at.max(1),
            };
            if paid_in < measured_at {
                self.problem(
                    "write_off.paid_in",
                    "the grant cannot be paid before the deficit it writes off is measured",
                );
            }
            WriteOff {
                measured_at,
                paid_in,
                share: self.scalar("write_off.share", &w.share, FRACTION),
                approved: self.event("write_off.probability", w.probability, Shape::Scalar),
            }
        });
        let central_funding = raw.central_funding.as_ref().map(|c| CentralFunding {
            from: self.projection_year("central_funding.from", &c.from),
            share: self.scalar("central_funding.share", &c.share, FRACTION),
        });

        if raw.mitigations.len() > MAX_MITIGATIONS {
            self.problem(
                "mitigations",
                format!("at most {MAX_MITIGATIONS} mitigations are supported"),
            );
        }
        self.unique_names(
            "mitigations",
            raw.mitigations.iter().map(|m| m.name.as_str()),
        );
        let mitigations = raw
            .mitigations
            .iter()
            .enumerate()
            .map(|(i, m)| self.mitigation(&format!("mitigations[{i}]"), m, &names, &provisions))
            .collect();

        let correlations = self.correlations(&raw.correlations);

        Some(Scenario {
            name: meta.name.clone(),
            authority: meta.authority.clone().unwrap_or_default(),
            description: meta.description.clone().unwrap_or_default(),
            sources: meta.sources.clone(),
            base_year: base,
            horizon: self.horizon,
            provisions,
            joiners,
            demand_growth,
            cost_inflation,
            movers,
            other_lines,
            funding,
            transfer,
            other_income,
            other_blocks,
            opening_balance,
            history,
            usable_reserves,
            borrowing_rate,
            override_ends,
            contributions,
            safety_valve,
            write_off,
            central_funding,
            mitigations,
            params: std::mem::replace(&mut self.params, ParamTable::new()),
            correlations,
            capacity_order,
        })
    }

    /// Orders provisions so that each comes before the one it overflows into; a cycle is an error.
    fn capacity_order(&mut self, provisions: &[Provision]) -> Vec<usize> {
        let n = provisions.len();
        let mut order = Vec::with_capacity(n);
        let mut state = vec![0u8; n]; // 0 new, 1 visiting, 2 done
        fn visit(i: usize, p: &[Provision], state: &mut [u8], order: &mut Vec<usize>) -> bool {
            match state[i] {
                2 => return true,
                1 => return false,
                _ => {}
            }
            state[i] = 1;
            if let Some(j) = p[i].overflow
                && j < p.len()
                && j != i
                && !visit(j, p, state, order)
            {
                return false;
            }
            state[i] = 2;
            order.push(i);
            true
        }
        for i in 0..n {
            if !visit(i, provisions, &mut state, &mut order) {
                self.problem(
                    format!("provisions[{i}].overflow"),
                    "overflows go round in a circle; plans would have nowhere to go",
                );
                return (0..n).collect();
            }
        }
        // `visit` pushes a target before its sources; capacity is applied sources first.
        order.reverse();
        order
    }

    fn check_outflows(&mut self, provisions: &[Provision], movers: &[Mover]) {
        for (i, p) in provisions.iter().enumerate() {
            let max_of = |b: &Builder, id: ParamId| -> f64 {
                b.params.specs()[id.index()]
                    .slots
                    .iter()
                    .map(|s| match s {
                        Slot::Own(d) => d.support().1,
                        Slot::Shared { .. } => 0.0,
                    })
                    .fold(0.0, f64::max)
            };
            let mut out = match p.demand {
                DemandModel::Flows { leaver_rate, .. } => max_of(self, leaver_rate),
                DemandModel::NetGrowth { .. } => 0.0,
            };
            for m in movers.iter().filter(|m| m.from == i) {
                out += max_of(self, m.rate);
            }
            if out > 1.0 + 1e-12 {
                self.problem(
                    format!("provisions[{i}]"),
                    format!("leavers and movers out of `{}` can exceed its whole caseload (rates add up to {out})", p.name),
                );
            }
        }
    }

    fn safety_valve(&mut self, sv: &raw::RawSafetyValve) -> SafetyValve {
        let on_miss = match sv.on_miss.as_deref().unwrap_or("withhold") {
            "withhold" => OnMiss::Withhold,
            "defer" => OnMiss::Defer,
            other => {
                self.problem(
                    "safety_valve.on_miss",
                    format!("`{other}` is not allowed; use \"withhold\" or \"defer\""),
                );
                OnMiss::Withhold
            }
        };
        let mut instalments = Vec::new();
        for (i, inst) in sv.instalments.iter().enumerate() {
            let key = format!("safety_valve.instalments[{i}]");
            let t = self.projection_year(&format!("{key}.year"), &inst.year);
            let target = match (inst.max_in_year_deficit, inst.min_cumulative_balance) {
                (Some(x), None) if x.is_finite() && x >= 0.0 => Target::MaxInYearDeficit(x),
                (Some(x), None) => {
                    self.problem(
                        format!("{key}.max_in_year_deficit"),
                        format!("must be a deficit in pounds, zero or more (got {x}); 15000000 means an in-year deficit of at most £15m"),
                    );
                    Target::MaxInYearDeficit(0.0)
                }
                (None, Some(y)) if y.is_finite() => Target::MinCumulativeBalance(y),
                (None, Some(_)) => {
                    self.problem(
                        format!("{key}.min_cumulative_balance"),
                        "must be a finite number",
                    );
                    Target::MinCumulativeBalance(0.0)
                }
                _ => {
                    self.problem(&key, "give exactly one target: `max_in_year_deficit` or `min_cumulative_balance`");
                    Target::MaxInYearDeficit(0.0)
                }
            };
            instalments.push(Instalment {
                year: self.base + t as u16,
                t,
                amount: self.scalar(&format!("{key}.amount"), &inst.amount, NON_NEGATIVE),
                target,
            });
        }
        instalments.sort_by_key(|i| i.t);
        SafetyValve {
            on_miss,
            instalments,
        }
    }

    fn mitigation(
        &mut self,
        key: &str,
        m: &raw::RawMitigation,
        names: &[String],
        provisions: &[Provision],
    ) -> Mitigation {
        let need = |b: &mut Builder, field: &str, value: &Option<String>| -> Option<usize> {
            match value {
                Some(name) => b.provision_ref(&format!("{key}.{field}"), name, names),
                None => {
                    b.problem(key, format!("a {} mitigation needs `{field}`", m.kind));
                    None
                }
            }
        };
        let (kind, effect_rule) = match m.kind.as_str() {
            "growth_reduction" => {
                let scope = self.scope(&format!("{key}.provision"), m.provision.as_deref(), names);
                if let Scope::One(p) = scope
                    && matches!(
                        provisions.get(p).map(|p| &p.demand),
                        Some(DemandModel::Flows { .. })
                    )
                {
                    self.problem(
                        format!("{key}.provision"),
                        "a growth reduction on one flow-model provision is not defined; use `provision = \"all\"` to slow the growth of new plans",
                    );
                }
                (MitigationKind::GrowthReduction(scope), FRACTION)
            }
            "placement_shift" => {
                let from = need(self, "from", &m.from);
                let to = need(self, "to", &m.to);
                if from.is_some() && from == to {
                    self.problem(
                        format!("{key}.to"),
                        "a placement shift must move plans between two different provisions",
                    );
                }
                // An unknown provision (already reported) is held as the first: the scenario
                // is refused, so the stand-in is never projected.
                let (from, to) = (from.unwrap_or(0), to.unwrap_or(0));
                (MitigationKind::PlacementShift { from, to }, NON_NEGATIVE)
            }
            "capacity_added" => {
                let p = need(self, "provision", &m.provision);
                if p.and_then(|p| provisions.get(p))
                    .is_some_and(|p| p.capacity.is_none())
                {
                    self.problem(
                        format!("{key}.provision"),
                        "capacity can only be added to a provision that has a `capacity`",
                    );
                }
                // As for a placement shift: a stand-in for an unknown (reported) provision.
                (MitigationKind::CapacityAdded(p.unwrap_or(0)), NON_NEGATIVE)
            }
            "unit_cost_saving" => (
                MitigationKind::UnitCostSaving(self.scope(
                    &format!("{key}.provision"),
                    m.provision.as_deref(),
                    names,
                )),
                FRACTION,
            ),
            other => {
                self.problem(
                    format!("{key}.kind"),
                    format!("`{other}` is not a mitigation kind; use growth_reduction, placement_shift, capacity_added or unit_cost_saving"),
                );
                (MitigationKind::GrowthReduction(Scope::All), Rule::Any)
            }
        };
        let uses_provision = matches!(
            m.kind.as_str(),
            "growth_reduction" | "capacity_added" | "unit_cost_saving"
        );
        if !uses_provision && m.provision.is_some() {
            self.problem(
                format!("{key}.provision"),
                "a placement shift names `from` and `to`, not `provision`",
            );
        }
        if m.kind != "placement_shift" && (m.from.is_some() || m.to.is_some()) {
            self.problem(key, "only a placement shift takes `from` and `to`");
        }
        let ramp_years = m.ramp_years.unwrap_or(1.0);
        if !(0.0..=MAX_HORIZON as f64).contains(&ramp_years) {
            self.problem(
                format!("{key}.ramp_years"),
                format!("must be from 0 to {MAX_HORIZON} years (got {ramp_years})"),
            );
        }
        let charged_to = match m.costs_charged_to.as_deref().unwrap_or("dsg") {
            "dsg" => ChargedTo::Dsg,
            "general_fund" => ChargedTo::GeneralFund,
            other => {
                self.problem(
                    format!("{key}.costs_charged_to"),
                    format!("`{other}` is not allowed; use \"dsg\" or \"general_fund\""),
                );
                ChargedTo::Dsg
            }
        };
        Mitigation {
            name: m.name.clone(),
            description: m.description.clone().unwrap_or_default(),
            kind,
            effect: self.scalar(&format!("{key}.effect"), &m.effect, effect_rule),
            start: self.projection_year(&format!("{key}.start"), &m.start),
            ramp_years: ramp_years.max(1.0),
            delivery: self.scalar_or(
                &format!("{key}.delivery"),
                m.delivery.as_ref(),
                1.0,
                FRACTION,
            ),
            slippage: self.scalar_or(
                &format!("{key}.slippage_years"),
                m.slippage_years.as_ref(),
                0.0,
                Rule::Within(0.0, MAX_HORIZON as f64),
            ),
            one_off_cost: self.scalar_or(
                &format!("{key}.one_off_cost"),
                m.one_off_cost.as_ref(),
                0.0,
                NON_NEGATIVE,
            ),
            yearly_cost: self.scalar_or(
                &format!("{key}.yearly_cost"),
                m.yearly_cost.as_ref(),
                0.0,
                NON_NEGATIVE,
            ),
            charged_to,
        }
    }

    fn correlations(&mut self, raw: &[raw::RawCorrelation]) -> Vec<Correlation> {
        let mut out = Vec::new();
        for (i, c) in raw.iter().enumerate() {
            let key = format!("correlations[{i}]");
            if c.between.len() != 2 {
                self.problem(
                    format!("{key}.between"),
                    "name exactly two inputs, e.g. [\"demand.growth\", \"cost.inflation\"]",
                );
                continue;
            }
            if !(-1.0..=1.0).contains(&c.rho) {
                self.problem(
                    format!("{key}.rho"),
                    format!("a correlation must be between -1 and 1 (got {})", c.rho),
                );
                continue;
            }
            let mut ids = Vec::new();
            for name in &c.between {
                match self.params.specs().iter().position(|s| &s.key == name) {
                    Some(ix) if self.params.specs()[ix].is_fixed() => self.problem(
                        format!("{key}.between"),
                        format!("`{name}` is a fixed number; only uncertain inputs can be correlated"),
                    ),
                    Some(ix) => ids.push(ix),
                    None => self.problem(
                        format!("{key}.between"),
                        format!("no input is called `{name}`; use its key path, e.g. `demand.growth` or `mitigations[0].delivery`"),
                    ),
                }
            }
            if let [a, b] = ids[..] {
                let specs = self.params.specs();
                if a == b {
                    self.problem(
                        format!("{key}.between"),
                        "an input cannot be correlated with itself",
                    );
                } else if specs[a].per != specs[b].per {
                    self.problem(
                        format!("{key}.between"),
                        format!(
                            "`{}` and `{}` must both be drawn per path or both per year",
                            specs[a].key, specs[b].key
                        ),
                    );
                } else if out
                    .iter()
                    .any(|x: &Correlation| (x.a, x.b) == (a, b) || (x.a, x.b) == (b, a))
                {
                    self.problem(format!("{key}.between"), "this pair is correlated twice");
                } else {
                    out.push(Correlation { a, b, rho: c.rho });
                }
            }
        }
        if !out.is_empty()
            && let Err(names) =
                crate::correlation::CorrelationMatrix::from_pairs(&out, &self.params)
        {
            self.problem("correlations", names.to_string());
        }
        out
    }
}

enum FillWith {
    Slot(Slot),
    Shared(ParamId),
}
