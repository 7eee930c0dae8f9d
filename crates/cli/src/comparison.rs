//! The rows of a comparison, defined once: the terminal table, `comparison.csv` and
//! `comparison.xlsx` read the same list, so that they cannot fall out of step.

use dsg_core::FinancialYear;
use dsg_core::money::format_millions;

use crate::headline::{Headline, percent};

/// One scenario's figure in a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A year, such as the end of the override.
    Year(FinancialYear),
    /// Pounds (positive = deficit) measured in `year`.
    Pounds {
        /// When it is measured.
        year: FinancialYear,
        /// The amount.
        pounds: f64,
    },
    /// A probability, of something in `year` or (`None`) over the whole forecast.
    Chance {
        /// When it is measured.
        year: Option<FinancialYear>,
        /// Share of simulated futures.
        p: f64,
    },
    /// No figure, for the reason given (`no agreement`).
    Absent(&'static str),
}

impl Value {
    /// The figure as the terminal shows it: `£12.3m` as `12.3`, `37%`, `2027-28`.
    pub fn text(&self) -> String {
        match *self {
            Value::Year(y) => y.to_string(),
            Value::Pounds { pounds, .. } => format_millions(pounds),
            Value::Chance { p, .. } => percent(p),
            Value::Absent(why) => why.to_string(),
        }
    }

    /// The year and number of `comparison.csv` (blank where there is none).
    pub fn csv(&self) -> (String, Option<f64>) {
        match *self {
            Value::Year(y) => (y.to_string(), None),
            Value::Pounds { year, pounds } => (year.to_string(), Some(pounds)),
            Value::Chance { year, p } => (year.map(|y| y.to_string()).unwrap_or_default(), Some(p)),
            Value::Absent(_) => (String::new(), None),
        }
    }
}

/// One row of a comparison.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Label in the terminal table.
    pub label: &'static str,
    /// Label in the workbook, which has room to explain.
    pub long_label: &'static str,
    /// Code of the measure in `comparison.csv`; `None` for a row that describes the scenario
    /// rather than measures it.
    pub measure: Option<&'static str>,
    /// The scenario's figure.
    pub value: fn(&Headline) -> Value,
}

fn pounds(year: FinancialYear, pounds: f64) -> Value {
    Value::Pounds { year, pounds }
}

/// Every row of a comparison, in order.
pub const ROWS: [Row; 9] = [
    Row {
        label: "Statutory override ends",
        long_label: "Statutory override ends",
        measure: None,
        value: |h| Value::Year(h.override_ends),
    },
    Row {
        label: "Last year of the forecast",
        long_label: "Last year of the forecast",
        measure: None,
        value: |h| Value::Year(h.at_horizon.year),
    },
    Row {
        label: "Median deficit when the override ends",
        long_label: "Median deficit when the override ends",
        measure: Some("deficit_median_override_end"),
        value: |h| pounds(h.at_override.year, h.at_override.median),
    },
    Row {
        label: "P90 deficit when the override ends",
        long_label: "P90 deficit when the override ends (1 in 10 chance of worse)",
        measure: Some("deficit_p90_override_end"),
        value: |h| pounds(h.at_override.year, h.at_override.p90),
    },
    Row {
        label: "Median deficit at the end of the forecast",
        long_label: "Median deficit at the end of the forecast",
        measure: Some("deficit_median_end_of_forecast"),
        value: |h| pounds(h.at_horizon.year, h.at_horizon.median),
    },
    Row {
        label: "P90 deficit at the end of the forecast",
        long_label: "P90 deficit at the end of the forecast (1 in 10 chance of worse)",
        measure: Some("deficit_p90_end_of_forecast"),
        value: |h| pounds(h.at_horizon.year, h.at_horizon.p90),
    },
    Row {
        label: "Chance deficit exceeds reserves when override ends",
        long_label: "Chance the deficit exceeds usable reserves when the override ends",
        measure: Some("chance_deficit_exceeds_reserves_override_end"),
        value: |h| match h.exceeds_reserves {
            Some(p) => Value::Chance {
                year: Some(h.at_override.year),
                p,
            },
            None => Value::Absent("no reserves given"),
        },
    },
    Row {
        label: "Chance of every safety-valve instalment",
        long_label: "Chance of receiving every safety-valve instalment",
        measure: Some("chance_all_safety_valve_instalments"),
        value: |h| match h.all_instalments {
            Some(p) => Value::Chance { year: None, p },
            None => Value::Absent("no agreement"),
        },
    },
    Row {
        label: "Median in-year balance in the last year",
        long_label: "Median in-year balance in the last year (negative = in-year deficit)",
        measure: Some("in_year_balance_median_last_year"),
        value: |h| pounds(h.at_horizon.year, h.last_in_year),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_labelled_and_measures_unique() {
        for (i, row) in ROWS.iter().enumerate() {
            assert!(!row.label.is_empty() && row.long_label.starts_with(&row.label[..5]));
            if let Some(code) = row.measure {
                assert!(ROWS[..i].iter().all(|r| r.measure != Some(code)), "{code}");
            }
        }
    }
}
