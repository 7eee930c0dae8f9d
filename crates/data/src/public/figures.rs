//! A figure with its source, and a placement category's plans and cost: what a council's
//! scenario is made of (`dsg init --la`).

/// A figure with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced {
    /// The figure.
    pub value: f64,
    /// The file, table and year it came from, or how it was estimated.
    pub source: String,
}

/// One of the DSG management plan's placement categories, with the council's plans in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// The provision's name in the scenario (`special`).
    pub name: &'static str,
    /// Its label.
    pub label: &'static str,
    /// Plans at January of the base year, and the series they were added from.
    pub caseload: Sourced,
    /// Pounds per plan per year, and where the figure comes from.
    pub unit_cost: Sourced,
}
