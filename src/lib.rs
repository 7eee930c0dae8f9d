//! # dsg: forecast a council's Dedicated Schools Grant and high-needs deficit
//!
//! A thin facade over the workspace's crates, so that one dependency gives the whole library:
//! - [`core`] (`dsg-core`): financial years, scenarios and their validation, the deterministic
//!   projection;
//! - [`montecarlo`] (`dsg-montecarlo`): uncertainty, reproducible parallel paths, results;
//! - [`plot`] (`dsg-plot`): committee-ready charts.
//!
//! ```
//! let scenario = dsg::core::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/minimal.toml").as_ref())?;
//! let forecast = dsg::core::Forecast::central(&scenario);
//! assert_eq!(forecast.mitigated.horizon(), scenario.horizon);
//! # Ok::<(), dsg::core::ScenarioError>(())
//! ```

pub use dsg_core as core;
pub use dsg_montecarlo as montecarlo;
pub use dsg_plot as plot;
