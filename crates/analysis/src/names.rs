//! Inputs named as a finance officer would name them, and their values written in their units.

use dsg_core::Scenario;
use dsg_core::money::format_pounds;
use serde::Serialize;

/// What an input measures, for writing its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputUnit {
    /// A rate or share: `12.0%`.
    Rate,
    /// Pounds: `£1.5m`.
    Pounds,
    /// Years: `1.2 years`.
    Years,
    /// Plans or places: `1,200`.
    Count,
    /// A yes/no event (1 = happens).
    Event,
    /// Anything else.
    Number,
}

impl InputUnit {
    /// The unit of the input called `key`.
    ///
    /// ```
    /// use dsg_analysis::InputUnit;
    /// assert_eq!(InputUnit::of("demand.growth"), InputUnit::Rate);
    /// assert_eq!(InputUnit::of("write_off.probability"), InputUnit::Event);
    /// assert_eq!(InputUnit::of("mitigations[1].slippage_years"), InputUnit::Years);
    /// ```
    pub fn of(key: &str) -> InputUnit {
        let last = key.rsplit('.').next().unwrap_or(key);
        match last {
            "probability" => InputUnit::Event,
            "slippage_years" => InputUnit::Years,
            "caseload" | "capacity" | "requests" | "opening_backlog" => InputUnit::Count,
            "unit_cost" | "amount" | "opening_balance" | "allocation" | "usable_reserves"
            | "contributions" | "one_off_cost" | "yearly_cost" | "schools_block" => {
                InputUnit::Pounds
            }
            l if l.contains("growth")
                || l.contains("inflation")
                || l.contains("share")
                || l.contains("rate")
                || l == "delivery"
                || l == "drift"
                || l == "persistence" =>
            {
                InputUnit::Rate
            }
            _ => InputUnit::Number,
        }
    }

    /// `x` written in this unit.
    ///
    /// ```
    /// use dsg_analysis::InputUnit;
    /// assert_eq!(InputUnit::Rate.format(0.1512), "15.1%");
    /// assert_eq!(InputUnit::Years.format(1.0), "1.0 years");
    /// ```
    pub fn format(self, x: f64) -> String {
        match self {
            InputUnit::Rate | InputUnit::Event => format!("{:.1}%", x * 100.0),
            InputUnit::Pounds => format_pounds(x),
            InputUnit::Years => format!("{x:.1} years"),
            InputUnit::Count => dsg_core::money::group_thousands(&format!("{x:.0}")),
            InputUnit::Number => format!("{x:.3}"),
        }
    }
}

/// A name for the input called `key` in `scenario`, as a finance officer would say it:
/// `demand.growth` is "Demand growth", `mitigations[0].delivery` is "Early support in
/// mainstream: delivery".
///
/// ```
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml")).unwrap();
/// let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml").unwrap();
/// assert_eq!(dsg_analysis::input_label(&s, "demand.growth"), "Demand growth");
/// assert_eq!(dsg_analysis::input_label(&s, "mitigations[0].delivery"), "Early support in mainstream: delivery");
/// ```
pub fn input_label(scenario: &Scenario, key: &str) -> String {
    let fixed = match key {
        "demand.growth" => Some("Demand growth"),
        "cost.inflation" => Some("Cost inflation"),
        "funding.growth" => Some("High-needs funding growth"),
        "funding.allocation" => Some("High-needs allocation"),
        "dsg.opening_balance" => Some("Opening balance"),
        "write_off.probability" => Some("Write-off approved"),
        "write_off.share" => Some("Share written off"),
        "central_funding.share" => Some("Share of deficits funded centrally"),
        "general_fund.usable_reserves" => Some("Usable reserves"),
        "general_fund.borrowing_rate" => Some("Borrowing rate"),
        "general_fund.contributions" => Some("Council contributions"),
        "transfer.approval_probability" => Some("Transfer approved"),
        _ => None,
    };
    if let Some(f) = fixed {
        return f.to_string();
    }
    let indexed = |prefix: &str| -> Option<(usize, &str)> {
        let rest = key.strip_prefix(prefix)?;
        let (i, field) = rest.split_once("].")?;
        Some((i.parse().ok()?, field))
    };
    if let Some((i, field)) = indexed("mitigations[")
        && let Some(m) = scenario.mitigations().get(i)
    {
        return format!("{}: {}", words(&m.name), field_words(field));
    }
    if let Some((i, field)) = indexed("provisions[")
        && let Some(p) = scenario.provisions().get(i)
    {
        return format!("{}: {}", p.label, field_words(field));
    }
    capitalise(&key.replace(['.', '_'], " "))
}

fn field_words(field: &str) -> String {
    match field {
        "slippage_years" => "delay (years)".to_string(),
        "unit_cost" => "unit cost".to_string(),
        other => other.replace('_', " "),
    }
}

/// `early_support_in_mainstream` as "Early support in mainstream"; `inmss_commissioning` as
/// "INMSS commissioning".
fn words(name: &str) -> String {
    const ACRONYMS: [&str; 8] = ["inmss", "sen", "send", "ehcp", "ap", "dsg", "sv", "fe"];
    let text: Vec<String> = name
        .split('_')
        .map(|w| {
            if ACRONYMS.contains(&w) {
                w.to_uppercase()
            } else {
                w.to_string()
            }
        })
        .collect();
    capitalise(&text.join(" "))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
