//! Growth that earns its ranges on real councils' histories (issue 26; docs/model.md section 13;
//! docs/forecast-evaluation.md): a pooled model of councils' log growth — the panel's growth,
//! recent years weighted more, plus each council's own deviation shrunk towards it — fitted at
//! an origin from data up to that origin only, and its rolling-origin evaluation over the panel.
//!
//! ```
//! use dsg_data::growth::{PooledFit, PooledSettings};
//! let panel = dsg_data::public::Panel::shipped()?;
//! let areas = panel.levels("caseload");
//! let fit = PooledFit::fit(&areas, 2024, PooledSettings::default())?;
//! let cambs = fit.council("E10000003").unwrap();
//! let next = fit.forecast(cambs, 1);
//! assert!(next.median() > 7318.0); // Cambridgeshire's 7,318 plans in January 2024
//! # Ok::<(), dsg_data::DataError>(())
//! ```

pub(crate) mod evaluate;
mod pooled;
mod reforms;

pub use evaluate::{
    Evaluation, RELIABILITY_RANGES, Scored, Scores, evaluate, evaluate_total, reliability, score,
};
pub(crate) use pooled::sample_var;
pub use pooled::{AreaLevels, CouncilFit, LogForecast, PooledFit, PooledSettings, ScenarioGrowth};
pub use reforms::{REFORMS, Reform};
