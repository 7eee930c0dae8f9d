//! What can go wrong when drawing a chart.

use std::path::PathBuf;

use plotters::drawing::DrawingAreaErrorKind;

/// Why a chart could not be drawn or written.
///
/// ```
/// use dsg_plot::PlotError;
/// let e = PlotError::MissingSeries("balance.cumulative".to_string());
/// assert!(e.to_string().contains("balance.cumulative"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// The summary lacks a series the chart needs.
    #[error("the summary has no series `{0}`: was it produced by dsg-montecarlo?")]
    MissingSeries(String),
    /// The summary holds no projected years, or none with finite values.
    #[error("nothing to draw: {0}")]
    NoData(String),
    /// The bundled font could not be registered or measured.
    #[error("font error: {0}")]
    Font(String),
    /// The drawing backend failed (for example a bitmap could not be encoded).
    #[error("drawing failed: {0}")]
    Drawing(String),
    /// A file or folder could not be written.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for PlotError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        PlotError::Drawing(e.to_string())
    }
}
