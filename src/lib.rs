//! # dsg: forecast a council's Dedicated Schools Grant and high-needs deficit
//!
//! One dependency gives the whole library. The model is the one in MODEL.md: demand for plans
//! grows by provision, unit costs with inflation, the high-needs allocation with its own growth;
//! receipts (safety valve, write-off, central funding, contributions) and mitigations change the
//! balance; uncertain inputs are drawn path by path.
//!
//! ## A forecast in four steps
//!
//! 1. **A scenario**: [`Scenario::load`] a TOML file, or [`Scenario::from_toml_str`]. It is
//!    validated in one step: every problem is reported with its key path and line, and a
//!    validated scenario cannot be made invalid afterwards (its fields are read through
//!    accessors).
//! 2. **Change it in code** with [`Scenario::with_input`], which validates again: the key paths
//!    are those of the file (`funding.allocation`, `provisions[0].unit_cost`), and a value may be
//!    a number or a [`Dist`].
//! 3. **The central projection** ([`Forecast::central`]): every input at its central value,
//!    mitigated, unmitigated and with each mitigation switched off.
//! 4. **The uncertainty** ([`Simulation`]): many paths on reproducible streams, summarised as
//!    quantiles, means with standard errors, probabilities and exceedance curves ([`Summary`]).
//!
//! ```
//! use dsg::{Scenario, Settings, Simulation};
//!
//! let scenario = Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/cambridgeshire.toml").as_ref())?
//!     .with_input("funding.allocation", 130e6)?;
//! let central = dsg::Forecast::central(&scenario);
//! let horizon = scenario.horizon();
//! let plan = central.mitigated.get(dsg::Series::Cumulative, horizon);
//!
//! let summary = Simulation::new(&scenario)?.run(&Settings { paths: 2_000, ..Settings::default() }, &|_| {})?;
//! let at_horizon = summary.at_horizon("balance.cumulative").expect("every run reports the balance");
//! println!(
//!     "{}: central plan £{}m, median £{}m",
//!     scenario.year(horizon),
//!     dsg::core::money::format_millions(plan),
//!     dsg::core::money::format_millions(at_horizon.p50),
//! );
//!
//! // A mistake in code is a typed error, not a panic.
//! let err = scenario.with_input("provisions[0].unit_cost", -5.0).unwrap_err();
//! assert!(matches!(err, dsg::core::ScenarioError::Invalid { .. }));
//! # Ok::<(), dsg::Error>(())
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
pub use dsg_core::{Dist, FinancialYear, Forecast, MitigationSet, Per, Scenario, Series};
#[doc(inline)]
pub use dsg_montecarlo::{Settings, Simulation, Summary, YearStats};

/// Anything the library can fail with; `?` converts each crate's error into it.
///
/// ```
/// fn run() -> Result<(), dsg::Error> {
///     let scenario = dsg::Scenario::from_toml_str("not toml", "broken.toml")?;
///     dsg::Simulation::new(&scenario)?;
///     Ok(())
/// }
/// assert!(matches!(run(), Err(dsg::Error::Scenario(_))));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A scenario could not be read or is not valid.
    #[error(transparent)]
    Scenario(#[from] dsg_core::ScenarioError),
    /// A simulation could not be set up or run.
    #[error(transparent)]
    Simulation(#[from] dsg_montecarlo::McError),
    /// A data file (case list, history) could not be read or used.
    #[error(transparent)]
    Data(#[from] dsg_data::DataError),
    /// A chart could not be drawn or written.
    #[error(transparent)]
    Plot(#[from] dsg_plot::PlotError),
    /// The committee report could not be written.
    #[error(transparent)]
    Report(#[from] dsg_report::ReportError),
}
