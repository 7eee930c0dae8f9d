//! # dsg-analysis
//!
//! Decision analysis for DSG forecasts (MODEL.md section 11): what drives the deficit, what the
//! worst futures have in common, and what it takes to meet the budget.
//!
//! - [`sensitivity()`]: from the paths of the main run (no extra draws), each uncertain input's
//!   rank correlation with an outcome, its contribution to the outcome's variance and its swing,
//!   and [`drivers_sentence`], the drivers of the bad case in words.
//! - [`goal_seek`]: the smallest value of a [`Lever`] (savings a year, a contribution, a growth
//!   reduction, a mitigation's delivery) meeting a [`Target`] with a given probability, on
//!   common random numbers.
//! - [`backtest::backtest`] and [`scores`]: rolling-origin backtests of growth models fitted
//!   to a council's history (MODEL.md section 12): coverage, PIT, CRPS, DfE accuracy, skill.
//! - [`options::compare_options`]: doing nothing and each of the scenario's `[[options]]` on the
//!   same simulated futures: cost, deficit at P50 and P80, chances, deficit avoided per pound.
//!
//! ```
//! use dsg_core::{Series, SeriesKey};
//! use dsg_montecarlo::{Record, Settings, Simulation};
//! let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml")).unwrap();
//! let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml").unwrap();
//! let horizon = s.year(s.horizon());
//! let record = Record { outcomes: vec![(SeriesKey::mitigated(Series::Cumulative), horizon)], max_paths: 10_000 };
//! let (_, paths) = Simulation::new(&s)?.record(&record)?.run_with_paths(&Settings::default(), &|_| {})?;
//! let result = dsg_analysis::sensitivity(&paths, &s).unwrap();
//! println!("{}", dsg_analysis::drivers_sentence(&result[0]));
//! # Ok::<(), dsg_montecarlo::McError>(())
//! ```

pub mod backtest;
mod blocks;
pub mod drivers;
pub mod error;
pub mod goal;
pub mod options;
pub mod scores;
pub mod sensitivity;

pub use drivers::drivers_sentence;
pub use dsg_core::InputUnit;
pub use error::AnalysisError;
pub use goal::{GoalResult, Lever, Target, goal_seek};
pub use sensitivity::{InputEffect, Sensitivity, sensitivity};
