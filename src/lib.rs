//! # dsg: forecast a council's Dedicated Schools Grant and high-needs deficit
//!
//! One dependency gives the whole library. The model is the one in docs/model.md: demand for
//! plans grows by provision, unit costs with inflation, the high-needs allocation with its own
//! growth; receipts (safety valve, write-off, central funding, contributions) and mitigations
//! change the balance; uncertain inputs are drawn path by path.
//!
//! `use dsg::prelude::*` brings in what a program needs, and every error of every crate
//! converts into [`dsg::Error`](Error), so `?` works throughout a function returning
//! `Result<_, dsg::Error>`.
//!
//! ## From a scenario to a decision, step by step
//!
//! The same steps, printing their results, are `examples/analysis.rs`
//! (`cargo run --example analysis`).
//!
//! 1. **Load a scenario**: [`Scenario::load`] a TOML file, or [`Scenario::from_toml_str`]. It
//!    is validated in one step: every problem is reported with its key path and line, and a
//!    validated scenario cannot be made invalid afterwards (its fields are read through
//!    accessors).
//! 2. **Change it in code**: [`Scenario::with_input`] sets an input by its key path as in the
//!    file (`funding.allocation`, `provisions[0].unit_cost`, `demand.growth`) to a number, a
//!    [`Dist`] or a [`NumInput`](core::raw::NumInput) (a distribution with its `per` and
//!    `persistence`); [`Scenario::with_correlation`] and [`Scenario::without_correlation`]
//!    change the `[[correlations]]`. Each change is validated again and a mistake is a typed
//!    [`ScenarioError`](core::ScenarioError), never a panic.
//! 3. **Run** the uncertainty: [`Simulation::run`] draws the paths of [`Settings`] (no progress
//!    callback needed; [`Simulation::on_progress`] adds one) into a [`Summary`]. Read a year
//!    with [`Summary::at`] (a [`Series`], a [`SeriesKey`] or a name such as
//!    `"balance.cumulative"`) and a range with [`Summary::range`] ([`Coverage`]: half, four in
//!    five or nine in ten of the futures). [`Forecast::central`] is the deterministic projection.
//! 4. **Goal seek**: [`goal_seek`] finds the smallest value of a [`Lever`] meeting a [`Target`]
//!    with a given confidence, asked as a [`GoalSeek`]; [`standard_question`] is the committee
//!    report's own.
//! 5. **Sensitivity**: [`sensitivity_of`] runs the scenario, records each path's inputs and
//!    ranks them by their effect on the outcomes of [`SensitivitySettings`] (by default the
//!    cumulative balance at the horizon).
//! 6. **Options**: [`compare_options`] runs doing nothing and each of the scenario's
//!    `[[options]]` on the same futures.
//!
//! ```
//! use dsg::prelude::*;
//!
//! fn main() -> Result<(), dsg::Error> {
//!     // 1. Load.
//!     let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/cambridgeshire.toml");
//!     let county = Scenario::load(path.as_ref())?;
//!
//!     // 2. Change a correlated input (demand growth goes with cost inflation) and the
//!     //    correlation itself.
//!     let slower = NumInput::distribution(Dist::Normal { mean: 0.10, sd: 0.025 }, Some(Per::Year), 0.5);
//!     let scenario = county
//!         .with_input("demand.growth", slower)?
//!         .with_correlation("demand.growth", "cost.inflation", 0.5)?;
//!     assert_eq!(scenario.correlations().pairs[0].rho, 0.5);
//!     // A mistake is a typed error, not a panic.
//!     let err = scenario.with_input("provisions[0].unit_cost", -5.0).unwrap_err();
//!     assert!(matches!(err, dsg::core::ScenarioError::Invalid { .. }));
//!
//!     // 3. Run, with no progress callback, and read a year and a range.
//!     let settings = Settings { paths: 2_000, ..Settings::default() };
//!     let summary = Simulation::new(&scenario)?.run(&settings)?;
//!     let horizon = scenario.year(scenario.horizon());
//!     let balance = summary.at(Series::Cumulative, horizon).expect("every run reports the balance");
//!     let (low, high) = summary
//!         .range("balance.cumulative", horizon, Coverage::FourInFive)
//!         .expect("the same series, by name");
//!     assert!(low <= balance.p50 && balance.p50 <= high);
//!     // Slower growth than the file's 12%: a smaller deficit than the county's own.
//!     let before = Simulation::new(&county)?.run(&settings)?;
//!     assert!(balance.p50 > before.at(Series::Cumulative, horizon).expect("reported").p50);
//!
//!     // 4. Goal seek: the smallest yearly saving keeping the deficit within £150m in 2028-29
//!     //    in four futures out of five.
//!     let target = Target::parse("balance.cumulative >= -150m in 2028-29", &scenario)?;
//!     let seek = GoalSeek::new(Lever::Savings { from: scenario.year(1) }, target)
//!         .confidence(0.8)
//!         .settings(settings.clone());
//!     let saving = goal_seek(&scenario, &seek)?;
//!     assert!(saving.value >= 0.0 && saving.range.0 <= saving.value);
//!
//!     // 5. Sensitivity: the inputs driving the balance at the horizon, widest swing first.
//!     let ranked = sensitivity_of(&scenario, &SensitivitySettings::default().paths(2_000))?;
//!     let growth = ranked[0].inputs.iter().find(|i| i.key == "demand.growth").expect("uncertain");
//!     assert!(growth.rank_correlation < 0.0); // faster growth, a lower balance
//!
//!     // 6. Options on the same futures: doing nothing first.
//!     let options = compare_options(&scenario, &settings)?;
//!     assert_eq!(options.options[0].name, "No action");
//!     Ok(())
//! }
//! ```
//!
//! The crates behind it, for what this page does not re-export:
//! - [`core`] (`dsg-core`): financial years, scenarios and their validation, the deterministic
//!   projection, the table of output series;
//! - [`montecarlo`] (`dsg-montecarlo`): uncertainty, reproducible parallel paths, results;
//! - [`analysis`] (`dsg-analysis`): sensitivity, drivers of the bad case, goal seek, options;
//! - [`data`] (`dsg-data`): case lists, history series, data-quality checks, calibration;
//! - [`plot`] (`dsg-plot`): committee-ready charts;
//! - [`report`] (`dsg-report`): the committee report, one self-contained HTML file.

pub use dsg_analysis as analysis;
pub use dsg_core as core;
pub use dsg_data as data;
pub use dsg_montecarlo as montecarlo;
pub use dsg_plot as plot;
pub use dsg_report as report;

#[doc(inline)]
pub use dsg_analysis::{
    GoalResult, GoalSeek, InputEffect, Lever, OptionsResult, Sensitivity, SensitivitySettings,
    Target, compare_options, drivers_sentence, goal_seek, sensitivity, sensitivity_of,
    standard_question,
};
#[doc(inline)]
pub use dsg_core::{
    Dist, FinancialYear, Forecast, MitigationSet, Per, Scenario, Series, SeriesKey, Variant,
};
#[doc(inline)]
pub use dsg_montecarlo::{
    Coverage, PathTable, Precision, RECORD_PATHS, Record, SeriesRef, Settings, Simulation, Summary,
    YearStats,
};

/// What a program embedding the library needs, in one `use`: the scenario and its inputs, the
/// run and its results, goal seek, sensitivity, options and the one error type.
///
/// ```
/// use dsg::prelude::*;
///
/// fn balance_in(path: &str, year: FinancialYear) -> Result<Option<YearStats>, Error> {
///     let scenario = Scenario::load(path.as_ref())?.with_input("demand.growth", 0.08)?;
///     let summary = Simulation::new(&scenario)?.run(&Settings { paths: 500, ..Settings::default() })?;
///     Ok(summary.at(Series::Cumulative, year).copied())
/// }
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/cambridgeshire.toml");
/// let stats = balance_in(path, "2027-28".parse().unwrap())?.expect("a projected year");
/// // Growth fixed at 8%: fixed inputs remain (inflation, funding), so the futures still differ.
/// assert!(stats.p5 < stats.p95);
/// # Ok::<(), dsg::Error>(())
/// ```
pub mod prelude {
    #[doc(no_inline)]
    pub use crate::Error;
    #[doc(no_inline)]
    pub use crate::core::raw::NumInput;
    #[doc(no_inline)]
    pub use crate::{
        Coverage, Dist, FinancialYear, Forecast, GoalResult, GoalSeek, Lever, MitigationSet,
        OptionsResult, Per, Record, Scenario, Sensitivity, SensitivitySettings, Series, SeriesKey,
        Settings, Simulation, Summary, Target, YearStats, compare_options, goal_seek, sensitivity,
        sensitivity_of, standard_question,
    };
}

/// Anything the library can fail with: every error a public call of its crates returns
/// converts into it, so `?` works on all of them in a function returning
/// `Result<_, dsg::Error>`.
///
/// ```
/// fn run() -> Result<(), dsg::Error> {
///     let scenario = dsg::Scenario::from_toml_str("not toml", "broken.toml")?;
///     dsg::Simulation::new(&scenario)?;
///     Ok(())
/// }
/// assert!(matches!(run(), Err(dsg::Error::Scenario(_))));
///
/// fn seek() -> Result<(), dsg::Error> {
///     let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/minimal.toml");
///     let scenario = dsg::Scenario::load(path.as_ref())?;
///     dsg::Target::parse("balance.cumulative above zero", &scenario)?;
///     Ok(())
/// }
/// assert!(matches!(seek(), Err(dsg::Error::Analysis(_))));
///
/// fn policy() -> Result<(), dsg::Error> {
///     dsg::core::PolicySet::named("england-1997")?;
///     Ok(())
/// }
/// assert!(matches!(policy(), Err(dsg::Error::Policy(_))));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A scenario could not be read or is not valid.
    #[error(transparent)]
    Scenario(#[from] dsg_core::ScenarioError),
    /// A national policy set could not be found or read.
    #[error(transparent)]
    Policy(#[from] dsg_core::PolicyError),
    /// A policy date could not be read.
    #[error(transparent)]
    PolicyDate(#[from] dsg_core::policy::PolicyDateError),
    /// Correlations that cannot all hold at once.
    #[error(transparent)]
    Correlation(#[from] dsg_core::correlation::NotPositiveSemiDefinite),
    /// Published figures an assessment pipeline cannot be calibrated to.
    #[error(transparent)]
    PipelineCalibration(#[from] dsg_core::projection::PipelineCalibrationError),
    /// A simulation could not be set up or run.
    #[error(transparent)]
    Simulation(#[from] dsg_montecarlo::McError),
    /// A distribution cannot be drawn from.
    #[error(transparent)]
    Draw(#[from] dsg_montecarlo::draw::DrawError),
    /// A goal seek, sensitivity analysis, options comparison or backtest could not be made.
    #[error(transparent)]
    Analysis(#[from] dsg_analysis::AnalysisError),
    /// A data file (case list, history) could not be read or used.
    #[error(transparent)]
    Data(#[from] dsg_data::DataError),
    /// A chart could not be drawn or written.
    #[error(transparent)]
    Plot(#[from] dsg_plot::PlotError),
    /// The committee report could not be written.
    #[error(transparent)]
    Report(#[from] dsg_report::ReportError),
    /// Writing a generated file (a synthetic case list) failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
