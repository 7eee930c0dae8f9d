//! The data-quality report.
