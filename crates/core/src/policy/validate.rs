//! The rules a policy set must keep.

use super::{Entry, PolicyDate, PolicySet, Reference, SourceStatus};
use crate::year::FinancialYear;

impl PolicySet {
    /// Everything wrong with the set. `shipped`: also demand what a data file must give (a
    /// date for every value, a history ending at the current value).
    pub(super) fn problems(&self, shipped: bool) -> Vec<String> {
        let mut p = Vec::new();
        if self.0.name.trim().is_empty() {
            p.push("`name`: give the set a name".to_string());
        }
        if self.0.description.trim().is_empty() {
            p.push("`description`: say what the set is".to_string());
        }
        let check_share = |key: &str, v: f64, p: &mut Vec<String>| {
            if !(0.0..=1.0).contains(&v) {
                p.push(format!("`{key}`: {v} is not a share between 0 and 1"));
            }
        };
        check_share(
            "forum_transfer_limit.value",
            self.0.forum_transfer_limit.value,
            &mut p,
        );
        if let Some(e) = &self.0.write_off {
            check_share("write_off.value.share", e.value.share, &mut p);
            if e.value.paid_in <= e.value.deficit_at_end_of {
                p.push(format!(
                    "`write_off.value.paid_in`: {} is not after the year the deficit is measured ({})",
                    e.value.paid_in, e.value.deficit_at_end_of
                ));
            }
        }
        if let Some(e) = &self.0.central_funding {
            check_share("central_funding.value.share", e.value.share, &mut p);
        }
        if let Some(e) = &self.0.multi_year_settlement {
            super::reform::settlement_problems(&e.value, &mut p);
        }
        if let Some(e) = &self.0.spending_review {
            super::reform::spending_review_problems(&e.value, &mut p);
        }
        if let Some(e) = &self.0.reform {
            e.value.problems(&mut p);
        }
        let growth = |key: String, v: f64, p: &mut Vec<String>| {
            if !(v.is_finite() && v > -1.0 && v <= 1.0) {
                p.push(format!(
                    "`{key}`: {v} is not a yearly growth (a fraction above -1 and at most 1, e.g. 0.07 for 7%)"
                ));
            }
        };
        growth(
            "default_demand_growth.value".into(),
            self.0.default_demand_growth.value,
            &mut p,
        );
        growth(
            "default_funding_growth.value".into(),
            self.0.default_funding_growth.value,
            &mut p,
        );
        for (year, g) in self.funding_growth_by_year() {
            growth(
                format!("high_needs_funding_growth.value.\"{year}\""),
                g,
                &mut p,
            );
        }
        if shipped {
            self.entry_problems(&mut p);
        }
        p
    }

    /// What a data file must give for each of the set's values (see [`check_entry`]).
    fn entry_problems(&self, p: &mut Vec<String>) {
        check_entry("forum_transfer_limit", &self.0.forum_transfer_limit, &[], p);
        check_entry(
            "statutory_override_ends",
            &self.0.statutory_override_ends,
            &[],
            p,
        );
        if let Some(e) = &self.0.high_needs_funding_growth {
            let years: Vec<String> = e.value.keys().map(|y| y.to_string()).collect();
            let years: Vec<&str> = years.iter().map(String::as_str).collect();
            check_entry("high_needs_funding_growth", e, &years, p);
        }
        if let Some(e) = &self.0.write_off {
            let fields = ["share", "deficit_at_end_of", "paid_in"];
            check_entry("write_off", e, &fields, p);
        }
        if let Some(e) = &self.0.central_funding {
            check_entry("central_funding", e, &["from", "share"], p);
        }
        if let Some(e) = &self.0.safety_valve_ends {
            check_entry("safety_valve_ends", e, &[], p);
        }
        if let Some(e) = &self.0.multi_year_settlement {
            check_entry("multi_year_settlement", e, &["from", "to"], p);
        }
        if let Some(e) = &self.0.spending_review {
            let fields = ["budgets_from", "funding_growth"];
            check_entry("spending_review", e, &fields, p);
        }
        if let Some(e) = &self.0.reform {
            let fields = [
                "from",
                "probability",
                "delay_years",
                "transfer_share",
                "ending_share",
                "protected_share",
            ];
            check_entry("reform", e, &fields, p);
        }
        check_entry(
            "default_demand_growth",
            &self.0.default_demand_growth,
            &[],
            p,
        );
        check_entry(
            "default_funding_growth",
            &self.0.default_funding_growth,
            &[],
            p,
        );
    }
}

/// What a data file must give for every value: a unit, a date, a reference, known illustrative
/// parts, and a history of dated, sourced changes ending at the current value.
fn check_entry<T: PartialEq>(key: &str, e: &Entry<T>, fields: &[&str], p: &mut Vec<String>) {
    if e.unit.trim().is_empty() {
        p.push(format!("`{key}.unit`: say what the value measures"));
    }
    check_dated(
        key,
        e.in_force_from,
        e.announced,
        &e.reference,
        &e.illustrative,
        fields,
        p,
    );
    for (i, c) in e.history.iter().enumerate() {
        let at = format!("{key}.history[{i}]");
        check_dated(
            &at,
            c.in_force_from,
            c.announced,
            &c.reference,
            &c.illustrative,
            fields,
            p,
        );
    }
    if let Some(last) = e.history.last()
        && last.value != e.value
    {
        p.push(format!(
            "`{key}.history`: the last change must have the current value (the history ends where the value now is)"
        ));
    }
}

fn check_dated(
    key: &str,
    in_force_from: Option<FinancialYear>,
    announced: Option<PolicyDate>,
    reference: &Reference,
    illustrative: &[String],
    fields: &[&str],
    p: &mut Vec<String>,
) {
    if in_force_from.is_none() && announced.is_none() {
        p.push(format!(
            "`{key}`: give a date: `in_force_from` (a financial year) or `announced` (e.g. \"2026-02\")"
        ));
    }
    if reference.publisher.trim().is_empty() || reference.title.trim().is_empty() {
        p.push(format!(
            "`{key}.reference`: give the publisher and title of the document that states the value"
        ));
    }
    if reference.status == SourceStatus::Scenario {
        p.push(format!(
            "`{key}.reference.status`: \"scenario\" is for values a scenario replaces; a data file says \"published\" or \"unverified\""
        ));
    }
    for part in illustrative {
        let known = part == "value"
            || (part == "in_force_from" && in_force_from.is_some())
            || (part == "announced" && announced.is_some())
            || fields.contains(&part.as_str());
        // An illustrative `announced` with no date given says the date is not known.
        let unknown_date = part == "announced" && announced.is_none();
        if !known && !unknown_date {
            p.push(format!(
                "`{key}.illustrative`: `{part}` is not a part of this value (use `value`, `in_force_from`, `announced`{})",
                fields
                    .iter()
                    .map(|f| format!(", `{f}`"))
                    .collect::<String>()
            ));
        }
    }
}
