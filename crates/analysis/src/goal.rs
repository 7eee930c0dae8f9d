//! Goal seek on common random numbers (docs/model.md section 11): the smallest value of a lever (a
//! saving a year, a contribution, a growth reduction, a mitigation's delivery) that meets a
//! target with a given probability.
//!
//! Each path is drawn once. Its outcome moves one way with the lever, so the path has a critical
//! value: the least lever value that meets the target in that future (infinite if none up to the
//! lever's maximum does). The lanes of a block bisect their own critical values side by side, a
//! projection per step and no redraw. The answer is then a quantile of the critical values: the
//! smallest value met in at least a share `p` of the futures. Its Monte Carlo range is the
//! values whose probability lies within two standard errors of `p`. Critical values depend only
//! on the path, so the answer is the same for any number of threads.

use crate::blocks::draw_block;
use dsg_core::money::parse_amount;
use dsg_core::{
    FinancialYear, Inputs, MitigationSet, ParamId, Projection, Scenario, Series, SeriesKey,
    Workspace, project,
};
use dsg_montecarlo::Settings;
use dsg_montecarlo::aggregate::BLOCK;
use dsg_montecarlo::sampler::PathSampler;
use rayon::prelude::*;
use serde::Serialize;

use crate::error::AnalysisError;

/// Bisection steps: the lever's range is cut to a 2^-20 (a millionth) of itself.
const STEPS: usize = 20;

/// What the council can change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Lever {
    /// Savings of v pounds a year taken off high-needs spend from a year on.
    Savings {
        /// The first year of the saving.
        from: FinancialYear,
    },
    /// An extra contribution of v pounds a year from the general fund from a year on.
    Contribution {
        /// The first year.
        from: FinancialYear,
    },
    /// Demand growth reduced by v (a fraction: 0.01 = one point) a year from a year on.
    GrowthReduction {
        /// The first year.
        from: FinancialYear,
    },
    /// A mitigation delivered at v (0 to 1) of its intended effect.
    Delivery {
        /// The mitigation's name.
        mitigation: String,
    },
}

/// A target: a series in a year at least (or at most) a value. The series is one of a scenario's
/// (with every mitigation): build a target with [`Target::parse`] or [`Target::new`], which check
/// it against the scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// The series.
    #[serde(skip)]
    series: SeriesKey,
    /// Its name, e.g. `balance.cumulative`.
    #[serde(rename = "series")]
    name: String,
    /// At least (`true`) or at most.
    pub at_least: bool,
    /// The value (pounds or plans).
    pub value: f64,
    /// The year.
    pub year: FinancialYear,
}

impl Target {
    /// The target `series` of `scenario` at least (`at_least`) or at most `value` in `year`; an
    /// error if the scenario does not report the series (with every mitigation).
    ///
    /// ```
    /// use dsg_core::{Series, SeriesKey};
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let t = dsg_analysis::goal::Target::new(&s, SeriesKey::mitigated(Series::InYear), true, 0.0, s.year(2)).unwrap();
    /// assert_eq!(t.series_name(), "balance.in_year");
    /// ```
    pub fn new(
        scenario: &Scenario,
        series: SeriesKey,
        at_least: bool,
        value: f64,
        year: FinancialYear,
    ) -> Result<Target, AnalysisError> {
        let name = series
            .name(scenario)
            .filter(|_| series.variant == dsg_core::Variant::Mitigated)
            .filter(|_| scenario.has_series(series.series))
            .ok_or_else(|| {
                AnalysisError::Setting(format!(
                    "`{}` is not a series this scenario reports with every mitigation; try balance.cumulative or balance.in_year",
                    series.label(scenario)
                ))
            })?;
        Ok(Target {
            series,
            name,
            at_least,
            value,
            year,
        })
    }

    /// Reads `"balance.cumulative >= -50m in 2028-29"`: a series of `scenario` by name, `>=` or
    /// `<=`, an amount (with `k`, `m` or `bn`, a leading `£`, commas allowed) and `in` a year.
    ///
    /// ```
    /// use dsg_core::{Series, SeriesKey};
    /// use dsg_analysis::goal::Target;
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let t = Target::parse("balance.cumulative >= -£50m in 2028-29", &s).unwrap();
    /// assert_eq!(t.series(), SeriesKey::mitigated(Series::Cumulative));
    /// assert_eq!((t.at_least, t.value), (true, -50e6));
    /// assert_eq!(t.year.to_string(), "2028-29");
    /// let unknown = Target::parse("balance.nowhere >= 0 in 2028-29", &s).unwrap_err();
    /// assert!(unknown.to_string().contains("no series is called `balance.nowhere`"));
    /// ```
    pub fn parse(text: &str, scenario: &Scenario) -> Result<Target, AnalysisError> {
        let bad = |why: &str| {
            AnalysisError::Setting(format!(
                "cannot read the target `{text}`: {why}; write it like \"balance.cumulative >= -50m in 2028-29\""
            ))
        };
        let (lhs, year) = text
            .rsplit_once(" in ")
            .ok_or_else(|| bad("no ` in YEAR`"))?;
        let year: FinancialYear = year.trim().parse().map_err(|_| bad("the year"))?;
        let (series, at_least, amount) = if let Some((a, b)) = lhs.split_once(">=") {
            (a, true, b)
        } else if let Some((a, b)) = lhs.split_once("<=") {
            (a, false, b)
        } else {
            return Err(bad("no `>=` or `<=`"));
        };
        let value = parse_amount(amount).ok_or_else(|| bad("the amount"))?;
        let name = series.trim();
        let series = SeriesKey::parse(name, scenario)
            .filter(|k| k.variant == dsg_core::Variant::Mitigated && scenario.has_series(k.series))
            .ok_or_else(|| {
                AnalysisError::Setting(format!(
                    "no series is called `{name}`; try balance.cumulative or balance.in_year"
                ))
            })?;
        Target::new(scenario, series, at_least, value, year)
    }

    /// The series.
    pub fn series(&self) -> SeriesKey {
        self.series
    }

    /// The series' name, e.g. `balance.cumulative`.
    pub fn series_name(&self) -> &str {
        &self.name
    }

    fn met(&self, x: f64) -> bool {
        if self.at_least {
            x >= self.value
        } else {
            x <= self.value
        }
    }
}

/// The answer of a goal seek.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalResult {
    /// The lever.
    pub lever: Lever,
    /// The target.
    pub target: Target,
    /// The probability asked for.
    pub confidence: f64,
    /// The smallest lever value meeting the target in at least `confidence` of the futures.
    pub value: f64,
    /// Values whose probability lies within two standard errors of `confidence` (the upper end
    /// at most `max_value`).
    pub range: (f64, f64),
    /// Share of futures meeting the target with the lever at zero (its lowest).
    pub without: f64,
    /// Share meeting it at the lever's maximum.
    pub at_most: f64,
    /// The lever's maximum considered.
    pub max_value: f64,
    /// Paths simulated.
    pub paths: u64,
    /// The seed.
    pub seed: u64,
}

/// How a lever acts on the inputs of a scenario.
struct Plan {
    /// Slots the lever writes, each with how it combines with the drawn value.
    slots: Vec<usize>,
    mode: Mode,
    max: f64,
}

#[derive(Clone, Copy)]
enum Mode {
    Add,
    Subtract,
    Set,
}

fn plan(scenario: &Scenario, lever: &Lever) -> Result<Plan, AnalysisError> {
    let from_slots = |id: ParamId, from: FinancialYear| -> Result<Vec<usize>, AnalysisError> {
        let t = scenario.index_of(from).filter(|&t| t >= 1).ok_or_else(|| {
            AnalysisError::Setting(format!(
                "{from} is not a projected year ({} to {})",
                scenario.year(1),
                scenario.year(scenario.horizon())
            ))
        })?;
        Ok((t..=scenario.horizon())
            .map(|t| id.offset() + t - 1)
            .collect())
    };
    let central = dsg_core::Forecast::central(scenario).mitigated;
    let h = scenario.horizon();
    // A contribution ranges up to the largest yearly spend of the central plan, twice over: no
    // contribution beyond it is a plan.
    let spend_max = (1..=h)
        .map(|t| central.get(Series::SpendTotal, t))
        .fold(0.0, f64::max)
        .max(1.0);
    Ok(match lever {
        // A saving comes off high-needs spend: no saving beyond the spend of the leanest year
        // it applies to (in the central plan) is a plan, so a target that needs more is out of
        // reach rather than met by negative spending.
        Lever::Savings { from } => Plan {
            slots: from_slots(scenario.savings(), *from)?,
            mode: Mode::Add,
            max: savings_max(scenario, &central, *from),
        },
        Lever::Contribution { from } => Plan {
            slots: from_slots(scenario.contributions(), *from)?,
            mode: Mode::Add,
            max: 2.0 * spend_max,
        },
        Lever::GrowthReduction { from } => Plan {
            slots: from_slots(scenario.demand_growth(), *from)?,
            mode: Mode::Subtract,
            max: 0.5,
        },
        Lever::Delivery { mitigation } => {
            let m = scenario
                .mitigations()
                .iter()
                .find(|m| &m.name == mitigation)
                .ok_or_else(|| {
                    AnalysisError::Setting(format!(
                        "no mitigation is called `{mitigation}`; the scenario has {}",
                        scenario
                            .mitigations()
                            .iter()
                            .map(|m| format!("`{}`", m.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?;
            Plan {
                slots: vec![m.delivery.offset()],
                mode: Mode::Set,
                max: 1.0,
            }
        }
    })
}

/// The most a saving from `from` on can be: the smallest yearly high-needs spend of the central
/// plan (`central`) from that year to the horizon (at least £1, so a seek has a range).
fn savings_max(scenario: &Scenario, central: &dsg_core::Projection, from: FinancialYear) -> f64 {
    let first = scenario.index_of(from).unwrap_or(1).max(1);
    (first..=scenario.horizon())
        .map(|t| central.get(Series::SpendTotal, t))
        .fold(f64::INFINITY, f64::min)
        .max(1.0)
}

/// One thread's buffers.
struct Lanes {
    inputs: Inputs,
    base: Vec<f64>,
    workspace: Workspace,
    out: Projection,
    scratch: dsg_montecarlo::sampler::SamplerScratch,
}

/// The series and year a target reads, checked against the scenario.
fn target_row(scenario: &Scenario, target: &Target) -> Result<(SeriesKey, usize), AnalysisError> {
    // A target is checked against the scenario it was made for; this may be another.
    let key = Some(target.series)
        .filter(|k| k.variant == dsg_core::Variant::Mitigated && scenario.has_series(k.series))
        .filter(|k| {
            k.series
                .provision()
                .is_none_or(|p| p < scenario.provisions().len())
        })
        .ok_or_else(|| {
            AnalysisError::Setting(format!(
                "no series is called `{}`; try balance.cumulative or balance.in_year",
                target.name
            ))
        })?;
    let t = scenario
        .index_of(target.year)
        .filter(|&t| t >= 1)
        .ok_or_else(|| {
            AnalysisError::Setting(format!("{} is not a projected year", target.year))
        })?;
    Ok((key, t))
}

/// Runs `per_block` on every block of `paths` paths, each drawn once; it gets the block's size
/// and an `outcome` function that projects the block with the lever at a value per lane and
/// returns the target's series in the target's year. Results in path order.
#[allow(clippy::too_many_arguments)]
fn over_blocks<T: Send>(
    scenario: &Scenario,
    lever: &Lever,
    target: &Target,
    paths: u64,
    seed: u64,
    threads: Option<usize>,
    per_block: impl Fn(usize, &mut dyn FnMut(&[f64], &mut [f64])) -> Vec<T> + Sync,
) -> Result<(Vec<T>, f64), AnalysisError> {
    let plan = plan(scenario, lever)?;
    let (key, t) = target_row(scenario, target)?;
    let sampler = PathSampler::new(scenario)?;
    let pool = crate::blocks::pool(threads)?;
    let blocks = paths.div_ceil(BLOCK as u64) as usize;
    let n_mit = scenario.mitigations().len();
    let central = scenario.params().central_inputs();
    let results: Vec<Vec<T>> = pool.install(|| {
        (0..blocks)
            .into_par_iter()
            .map_init(
                || Lanes {
                    inputs: central.with_lanes(BLOCK),
                    base: vec![0.0; plan.slots.len() * BLOCK],
                    workspace: Workspace::with_lanes(scenario, BLOCK),
                    out: Projection::recording(scenario, BLOCK, &[key.series]),
                    scratch: sampler.scratch(),
                },
                |w, b| {
                    let first = (b * BLOCK) as u64;
                    let last = (first + BLOCK as u64).min(paths);
                    let n = (last - first) as usize;
                    draw_block(
                        &sampler,
                        &mut w.scratch,
                        &mut w.inputs,
                        &central,
                        plan.slots.iter().copied(),
                        seed,
                        (first, last),
                    );
                    for (i, &slot) in plan.slots.iter().enumerate() {
                        w.base[i * BLOCK..i * BLOCK + n].copy_from_slice(&w.inputs.slot(slot)[..n]);
                    }
                    // The outcome of each lane with the lever at `v`, into `y`.
                    let mut outcome = |v: &[f64], y: &mut [f64]| {
                        for (i, &slot) in plan.slots.iter().enumerate() {
                            for (lane, &v) in v.iter().enumerate().take(n) {
                                let base = w.base[i * BLOCK + lane];
                                let x = match plan.mode {
                                    Mode::Add => base + v,
                                    Mode::Subtract => base - v,
                                    Mode::Set => v,
                                };
                                w.inputs.set(slot, lane, x);
                            }
                        }
                        project(
                            scenario,
                            &w.inputs,
                            MitigationSet::all(n_mit),
                            &mut w.workspace,
                            &mut w.out,
                        );
                        y.copy_from_slice(&w.out.lanes_of(key.series, t)[..n]);
                    };
                    per_block(n, &mut outcome)
                },
            )
            .collect()
    });
    Ok((results.into_iter().flatten().collect(), plan.max))
}

/// Each path's outcome (the target's series in its year) with the lever at `value`, in path
/// order, on the same draws as every other value.
pub fn outcomes_at(
    scenario: &Scenario,
    lever: &Lever,
    target: &Target,
    value: f64,
    paths: u64,
    seed: u64,
) -> Result<Vec<f64>, AnalysisError> {
    over_blocks(scenario, lever, target, paths, seed, None, |n, outcome| {
        let mut y = vec![0.0; n];
        outcome(&vec![value; n], &mut y);
        y
    })
    .map(|(v, _)| v)
}

/// Each path's critical lever value (`f64::INFINITY` where even the maximum fails), in path
/// order: the least value meeting `target`, to a millionth of the lever's range; and the
/// lever's maximum.
pub fn critical_values(
    scenario: &Scenario,
    lever: &Lever,
    target: &Target,
    paths: u64,
    seed: u64,
    threads: Option<usize>,
) -> Result<(Vec<f64>, f64), AnalysisError> {
    let max = plan(scenario, lever)?.max;
    over_blocks(
        scenario,
        lever,
        target,
        paths,
        seed,
        threads,
        |n, outcome| {
            // The block's buffers, once: no allocation in the bisection.
            let (mut lo, mut hi, mut mid, mut y) =
                (vec![0.0; n], vec![max; n], vec![0.0; n], vec![0.0; n]);
            outcome(&lo, &mut y);
            let at_zero: Vec<bool> = y.iter().map(|&x| target.met(x)).collect();
            outcome(&hi, &mut y);
            let at_max: Vec<bool> = y.iter().map(|&x| target.met(x)).collect();
            for _ in 0..STEPS {
                for l in 0..n {
                    mid[l] = 0.5 * (lo[l] + hi[l]);
                }
                outcome(&mid, &mut y);
                for l in 0..n {
                    if target.met(y[l]) {
                        hi[l] = mid[l];
                    } else {
                        lo[l] = mid[l];
                    }
                }
            }
            (0..n)
                .map(|l| {
                    if at_zero[l] {
                        0.0
                    } else if !at_max[l] {
                        f64::INFINITY
                    } else {
                        hi[l]
                    }
                })
                .collect()
        },
    )
}

/// How sure the council wants to be in the standard goal question: 80%, the confidence finance
/// officers plan to (P80).
pub const STANDARD_CONFIDENCE: f64 = 0.8;

/// A goal seek to make: the lever, the target, how sure to be and on how many futures.
///
/// [`GoalSeek::new`] gives the usual settings ([`STANDARD_CONFIDENCE`], and the paths and seed
/// of [`Settings::default`]); the setters change one thing each.
///
/// ```
/// use dsg_analysis::goal::{GoalSeek, Lever, Target};
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml"))?;
/// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml")?;
/// let lever = Lever::Savings { from: "2026-27".parse()? };
/// let target = Target::parse("balance.cumulative >= -10m in 2030-31", &s)?;
/// let seek = GoalSeek::new(lever, target).confidence(0.9).paths(2_000).seed(7);
/// assert_eq!((seek.confidence, seek.settings.paths, seek.settings.seed), (0.9, 2_000, 7));
/// assert_eq!(seek.settings.threads, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GoalSeek {
    /// What the council can change.
    pub lever: Lever,
    /// What it must meet.
    pub target: Target,
    /// The share of futures in which the target must be met (strictly between 0 and 1).
    pub confidence: f64,
    /// Paths, seed and threads (a goal seek runs all its paths: `precision` must be `None`).
    pub settings: Settings,
}

impl GoalSeek {
    /// Seeks `lever`'s smallest value meeting `target` with [`STANDARD_CONFIDENCE`], on the
    /// paths and seed of [`Settings::default`].
    pub fn new(lever: Lever, target: Target) -> Self {
        GoalSeek {
            lever,
            target,
            confidence: STANDARD_CONFIDENCE,
            settings: Settings::default(),
        }
    }

    /// The same seek with another confidence (e.g. 0.9: met in nine futures in ten).
    pub fn confidence(mut self, confidence: f64) -> Self {
        self.confidence = confidence;
        self
    }

    /// The same seek on `paths` futures.
    pub fn paths(mut self, paths: u64) -> Self {
        self.settings.paths = paths;
        self
    }

    /// The same seek on the futures of another seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.settings.seed = seed;
        self
    }

    /// The same seek on `threads` worker threads (`None`: all cores). The answer does not
    /// depend on it.
    pub fn threads(mut self, threads: Option<usize>) -> Self {
        self.settings.threads = threads;
        self
    }

    /// The same seek with other run settings (paths, seed and threads).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }
}

/// The standard goal question, the one the committee report answers: the smallest yearly
/// saving on high-needs spend, from the first projected year, that makes the council
/// [`STANDARD_CONFIDENCE`] sure of no in-year DSG deficit in the first year after the statutory
/// override ends (the last projected year if the forecast stops before). `None` when the
/// forecast has no year to aim at.
///
/// ```
/// use dsg_analysis::goal::{Lever, standard_question};
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml");
/// let scenario = dsg_core::Scenario::load(path.as_ref())?;
/// let question = standard_question(&scenario).expect("a projected year");
/// assert_eq!(question.target.series_name(), "balance.in_year");
/// assert_eq!(question.target.year.to_string(), "2028-29"); // the override ends in 2027-28
/// assert!((question.target.at_least, question.target.value) == (true, 0.0));
/// assert_eq!(question.lever, Lever::Savings { from: scenario.year(1) });
/// assert_eq!(question.confidence, 0.8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn standard_question(scenario: &Scenario) -> Option<GoalSeek> {
    let h = scenario.horizon();
    if h == 0 {
        return None;
    }
    let after = scenario
        .index_of(scenario.override_ends())
        .map_or(h, |t| (t + 1).clamp(1, h));
    let target = Target::new(
        scenario,
        SeriesKey::mitigated(Series::InYear),
        true,
        0.0,
        scenario.year(after),
    )
    .ok()?;
    Some(GoalSeek::new(
        Lever::Savings {
            from: scenario.year(1),
        },
        target,
    ))
}

/// Refuses settings a fixed-size analysis cannot follow: no paths, or a precision to stop at.
pub(crate) fn fixed_paths(settings: &Settings, what: &str) -> Result<(), AnalysisError> {
    if settings.precision.is_some() {
        return Err(AnalysisError::Setting(format!(
            "{what} runs all the paths asked for: leave `precision` unset and choose `paths`"
        )));
    }
    if settings.paths == 0 {
        return Err(AnalysisError::Setting(
            "paths must be at least 1".to_string(),
        ));
    }
    if settings.threads == Some(0) {
        return Err(AnalysisError::Setting(
            "threads must be at least 1".to_string(),
        ));
    }
    Ok(())
}

/// The smallest value of `seek.lever` meeting `seek.target` in at least `seek.confidence` of
/// `seek.settings.paths` futures.
///
/// ```
/// use dsg_analysis::goal::{GoalSeek, Lever, Target, goal_seek};
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml"))?;
/// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml")?;
/// let target = Target::parse("balance.cumulative >= -10m in 2030-31", &s)?;
/// let lever = Lever::Savings { from: "2026-27".parse()? };
/// let r = goal_seek(&s, &GoalSeek::new(lever, target).paths(1_000).seed(1))?;
/// assert!(r.value > 0.0);
/// assert_eq!((r.paths, r.seed, r.confidence), (1_000, 1, 0.8));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn goal_seek(scenario: &Scenario, seek: &GoalSeek) -> Result<GoalResult, AnalysisError> {
    let GoalSeek {
        lever,
        target,
        confidence,
        settings,
    } = seek;
    let confidence = *confidence;
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(AnalysisError::Setting(format!(
            "the confidence must be between 0 and 1, e.g. 0.8 (got {confidence})"
        )));
    }
    fixed_paths(settings, "a goal seek")?;
    let Settings {
        paths,
        seed,
        threads,
        ..
    } = *settings;
    let (mut values, max) = critical_values(scenario, lever, target, paths, seed, threads)?;
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let share_met = |v: f64| values.partition_point(|&c| c <= v) as f64 / n as f64;
    let without = share_met(0.0);
    let at_most = share_met(max);
    let at = |p: f64| -> f64 {
        let k = ((p * n as f64).ceil() as usize).clamp(1, n);
        values[k - 1]
    };
    let value = at(confidence);
    if !value.is_finite() {
        return Err(AnalysisError::Unreachable {
            target: format!(
                "{} {} {} in {}",
                target.name,
                if target.at_least { ">=" } else { "<=" },
                target.value,
                target.year
            ),
            confidence,
            best: at_most,
            max,
        });
    }
    let se = (confidence * (1.0 - confidence) / n as f64).sqrt();
    // The upper end is at most the lever's maximum (beyond it, some futures never meet it).
    let range = (
        at((confidence - 2.0 * se).max(0.0)),
        at((confidence + 2.0 * se).min(1.0)).min(max),
    );
    Ok(GoalResult {
        lever: lever.clone(),
        target: target.clone(),
        confidence,
        value,
        range,
        without,
        at_most,
        max_value: max,
        paths,
        seed,
    })
}
