//! # dsg-core
//!
//! The arithmetic of a Dedicated Schools Grant (DSG) forecast, as docs/model.md sets it out:
//! financial years, the scenario schema and its validation, and the deterministic projection of
//! caseloads, costs, funding, balances, receipts and general-fund exposure. No randomness and no
//! I/O beyond reading a scenario: the Monte Carlo engine (`dsg-montecarlo`) drives [`project`] with
//! drawn inputs.
//!
//! ```
//! use dsg_core::{Forecast, Scenario, Series};
//! let scenario = Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml").as_ref())?;
//! let forecast = Forecast::central(&scenario);
//! let last = scenario.horizon();
//! println!("cumulative balance in {}: {}", scenario.year(last),
//!     dsg_core::money::format_pounds(forecast.mitigated.get(Series::Cumulative, last)));
//! # Ok::<(), dsg_core::ScenarioError>(())
//! ```

pub mod ages;
pub mod agreements;
pub mod budget;
pub mod calibration;
pub mod correlation;
pub mod dist;
pub mod error;
pub mod input;
pub mod kinds;
mod locate;
pub mod money;
pub mod options;
pub mod params;
pub mod policy;
pub mod projection;
pub mod raw;
pub mod reform;
pub mod scenario;
pub mod series;
pub mod text;
pub mod year;

pub use dist::{Dist, Per};
pub use error::{Problem, ScenarioError};
pub use input::{Field, InputId, InputMeta, InputUnit, Owner};
pub use params::{Hyper, Inputs, ParamId, ParamSpec, ParamTable, Shape, Slot};
pub use policy::{
    PolicyCentralFunding, PolicyDate, PolicyError, PolicyOverrides, PolicySet, PolicyWriteOff,
};
pub use projection::{Forecast, MitigationSet, Projection, Workspace, project};
pub use scenario::Scenario;
pub use series::{Series, SeriesKey, Variant};
pub use year::FinancialYear;
