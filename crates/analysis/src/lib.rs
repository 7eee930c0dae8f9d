//! # dsg-analysis
//!
//! Decision analysis for DSG forecasts (docs/model.md section 11): what drives the deficit, what
//! the worst futures have in common, and what it takes to meet the budget.
//!
//! - [`sensitivity_of`]: in one call from a scenario, each uncertain input's rank correlation
//!   with an outcome, its contribution to the outcome's variance and its swing;
//!   [`sensitivity()`] reads the same from the paths of a run already made (no extra draws), and
//!   [`drivers_sentence`] gives the drivers of the bad case in words.
//! - [`goal_seek`]: the smallest value of a [`Lever`] (savings a year, a contribution, a growth
//!   reduction, a mitigation's delivery) meeting a [`Target`] with a given probability, on
//!   common random numbers, asked as a [`GoalSeek`]; [`standard_question`] is the one the
//!   committee report answers.
//! - [`backtest::backtest`] and [`scores`]: rolling-origin backtests of growth models fitted
//!   to a council's history (docs/model.md section 12): coverage, PIT, CRPS, DfE accuracy, skill.
//! - [`compare_options`]: doing nothing and each of the scenario's `[[options]]` on the
//!   same simulated futures: cost, deficit at P50 and P80, chances, deficit avoided per pound.
//!
//! Each takes its paths, seed and threads as a [`dsg_montecarlo::Settings`].
//!
//! ```
//! use dsg_analysis::{SensitivitySettings, goal_seek, sensitivity_of, standard_question};
//! let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml"))?;
//! let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml")?;
//! let result = sensitivity_of(&s, &SensitivitySettings::default().paths(2_000))?;
//! println!("{}", dsg_analysis::drivers_sentence(&result[0]));
//! let question = standard_question(&s).expect("a projected year").paths(2_000);
//! let saving = goal_seek(&s, &question)?;
//! assert!(saving.value > 0.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod backtest;
mod blocks;
pub mod drivers;
pub mod error;
pub mod goal;
pub mod national;
pub mod options;
pub mod scores;
pub mod sensitivity;

pub use drivers::drivers_sentence;
pub use dsg_core::InputUnit;
pub use error::AnalysisError;
pub use goal::{GoalResult, GoalSeek, Lever, Target, goal_seek, standard_question};
pub use options::{OptionsResult, compare_options};
pub use sensitivity::{InputEffect, Sensitivity, SensitivitySettings, sensitivity, sensitivity_of};
