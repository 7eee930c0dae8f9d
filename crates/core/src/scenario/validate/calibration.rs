//! `[[calibration]]`: published figures the scenario is checked against.

use crate::calibration::{CALIBRATION_SERIES, Calibration};
use crate::policy::PolicySet;
use crate::raw::RawCalibration;

use super::Builder;

impl Builder {
    /// The published figures, each checked for a known series, a year the scenario covers and a
    /// known policy set.
    pub(super) fn calibration(&mut self, rows: &[RawCalibration]) -> Vec<Calibration> {
        let mut out = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let key = |k: &str| format!("calibration[{i}].{k}");
            let before = self.problem_count();
            if !CALIBRATION_SERIES.contains(&row.series.as_str()) {
                self.problem(
                    key("series"),
                    format!(
                        "`{}` cannot be checked against a published figure; use one of {}",
                        row.series,
                        CALIBRATION_SERIES.join(", ")
                    ),
                );
            }
            let year = self.year(&key("year"), &row.year);
            if let Some(y) = year {
                let t = self.base.offset_to(y);
                if t < 0 || t > self.horizon as i32 {
                    self.problem(
                        key("year"),
                        format!(
                            "must be the base year {} or one of the {} projected years after it",
                            self.base, self.horizon
                        ),
                    );
                } else if y == self.base && row.series == "balance.in_year" && row.policy.is_some()
                {
                    self.problem(
                        key("policy"),
                        "a base-year figure does not depend on the policy set",
                    );
                }
            }
            if !row.value.is_finite() {
                self.problem(key("value"), "must be a finite number");
            }
            if let Some(p) = &row.policy
                && p != "none"
                && let Err(e) = PolicySet::named(p)
            {
                self.problem(key("policy"), e.to_string());
            }
            if let Some(p) = row.percentile
                && !(0.0..=100.0).contains(&p)
            {
                self.problem(key("percentile"), "must be from 0 to 100");
            }
            if let Some(t) = row.tolerance
                && !(t >= 0.0 && t.is_finite())
            {
                self.problem(key("tolerance"), "must be a share of the figure, 0 or more");
            }
            if let (Some(year), true) = (year, self.problem_count() == before) {
                out.push(Calibration {
                    source: row.source.clone(),
                    figure: row.figure.clone(),
                    series: row.series.clone(),
                    year,
                    value: row.value,
                    policy: row.policy.clone(),
                    inside_90: row.inside_90,
                    percentile: row.percentile,
                    tolerance: row.tolerance,
                });
            }
        }
        out
    }
}
