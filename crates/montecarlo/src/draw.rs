//! Placeholder: drawing from input distributions (being written).
