//! # dsg-plot
//!
//! Committee-ready charts of a DSG forecast ([`dsg_montecarlo::Summary`]) drawn with plotters and a
//! bundled font (DejaVu Sans, no system font lookup).
mod axes;
mod charts;
mod data;
mod error;
mod frame;
mod theme;

pub use error::PlotError;
pub use theme::register_fonts;

use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draws the fan chart.
pub fn draw_fan_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<(), PlotError> {
    charts::fan::draw(area, summary)
}
