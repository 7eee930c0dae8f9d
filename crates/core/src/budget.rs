//! The approved budget (`[[budget]]`, docs/model.md section 10): per provision (a sum, or a planned
//! caseload and unit cost), per other line, and in total, for one or more projected years. The
//! forecast outturn is set against it line by line: variance = forecast - budget (positive = an
//! overspend), split into volume and price where the budget plans caseload and unit cost.

use serde::Serialize;

use crate::series::Series;
use crate::year::FinancialYear;

/// A budget line's planned caseload and unit cost, when the budget was built from them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlannedCost {
    /// Plans budgeted for.
    pub caseload: f64,
    /// Pounds per plan budgeted for.
    pub unit_cost: f64,
}

/// One line of a budget: the series whose outturn it is set against, and the sum budgeted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetLine {
    /// The spend series the line is compared with: `Spend(p)` for a provision,
    /// `SpendOtherLines`, `SpendMitigations`.
    #[serde(skip)]
    pub series: Series,
    /// Pounds budgeted.
    pub amount: f64,
    /// The caseload and unit cost behind `amount`, when the budget gives them
    /// (`amount = caseload * unit_cost`).
    pub plan: Option<PlannedCost>,
}

/// An approved budget for one projected year.
///
/// ```
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml")).unwrap();
/// let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml").unwrap();
/// let b = &s.budgets()[0];
/// assert_eq!(b.year.to_string(), "2026-27");
/// let lines: f64 = b.lines.iter().map(|l| l.amount).sum();
/// assert!(b.total >= lines);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Budget {
    /// The year budgeted.
    pub year: FinancialYear,
    /// Its position in the projection (1 = the first projected year).
    pub t: usize,
    /// Where it was approved (a cabinet or council meeting, a budget book).
    pub source: String,
    /// The lines budgeted, provisions first in the scenario's order.
    pub lines: Vec<BudgetLine>,
    /// The total high-needs budget: as given, or the sum of the lines.
    pub total: f64,
    /// Whether `total` was given (it may then exceed the lines: a contingency not allocated to
    /// a line) or is the sum of the lines.
    pub total_given: bool,
}

impl Budget {
    /// The part of the total not allocated to a line (0 when the total is the sum of the lines).
    ///
    /// ```
    /// use dsg_core::budget::{Budget, BudgetLine};
    /// let b = Budget {
    ///     year: "2026-27".parse().unwrap(), t: 1, source: String::new(),
    ///     lines: vec![BudgetLine { series: dsg_core::Series::Spend(0), amount: 90.0, plan: None }],
    ///     total: 100.0, total_given: true,
    /// };
    /// assert_eq!(b.unallocated(), 10.0);
    /// ```
    pub fn unallocated(&self) -> f64 {
        (self.total - self.lines.iter().map(|l| l.amount).sum::<f64>()).max(0.0)
    }
}

/// The variance of a provision's outturn against a planned caseload and unit cost, split into
/// volume `(N - N_b) * u_b` and price `(u - u_b) * N` (docs/model.md section 10): the two add up to
/// `N * u - N_b * u_b`, the whole variance.
///
/// ```
/// use dsg_core::budget::{PlannedCost, volume_price};
/// let plan = PlannedCost { caseload: 100.0, unit_cost: 20_000.0 };
/// let (volume, price) = volume_price(110.0, 21_000.0, plan);
/// assert_eq!(volume, 200_000.0); // 10 more plans at the budgeted cost
/// assert_eq!(price, 110_000.0); // £1,000 more on each of the 110 plans
/// assert_eq!(volume + price, 110.0 * 21_000.0 - 100.0 * 20_000.0);
/// ```
pub fn volume_price(caseload: f64, unit_cost: f64, plan: PlannedCost) -> (f64, f64) {
    (
        (caseload - plan.caseload) * plan.unit_cost,
        (unit_cost - plan.unit_cost) * caseload,
    )
}
