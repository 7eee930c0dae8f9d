//! # dsg-montecarlo
//!
//! The Monte Carlo engine for DSG forecasts (docs/model.md section 7): draws every uncertain input
//! of a scenario per path (or per path-year, with AR(1) persistence and a Gaussian copula for
//! correlations), runs the core projection for each path in parallel, mitigated and unmitigated on
//! the same draws, and aggregates the paths into quantiles, means with standard errors,
//! probabilities and exceedance curves.
//!
//! Reproducible: path `k` draws only from its own xoshiro256++ stream derived from `(seed, k)`, and
//! every statistic is accumulated in an order that does not depend on the number of threads, so
//! the same scenario, seed and version give the same numbers bit for bit.
//!
//! ```
//! use dsg_montecarlo::{Settings, Simulation};
//! let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml")).unwrap();
//! let scenario = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml").unwrap();
//! let summary = Simulation::new(&scenario)?.run(&Settings { paths: 1_000, ..Settings::default() })?;
//! let p50 = summary.at_horizon("balance.cumulative").unwrap().p50;
//! println!("median cumulative balance at the horizon: {}", dsg_core::money::format_pounds(p50));
//! # Ok::<(), dsg_montecarlo::McError>(())
//! ```

pub mod aggregate;
pub mod draw;
pub mod engine;
pub mod error;
pub mod national;
pub mod sampler;
pub mod stream;
pub mod summary;

pub use engine::{
    InputColumn, OutcomeColumn, PathTable, Precision, RECORD_PATHS, Record, Settings, Simulation,
};
pub use error::McError;
pub use summary::{
    BudgetLineResult, BudgetResult, EventSplit, NonFinite, Placement, PlannedLine, Quantile,
    SplitSide, SplitYear, Spread, Summary, YearStats,
};
pub use summary::{Coverage, SeriesRef};
