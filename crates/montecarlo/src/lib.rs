//! # dsg-montecarlo
//!
//! The Monte Carlo engine for DSG forecasts (MODEL.md section 7).

pub mod draw;
