//! The assumptions workbook's layout: its sheets (one per scenario section), its columns and the
//! words of its `Kind` column, and each key's help (read from `docs/scenario-reference.md`, built
//! into the program).

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// One sheet: the scenario section it holds and how its rows group.
#[derive(Debug, Clone, Copy)]
pub struct Sheet {
    /// The sheet's name in the workbook.
    pub name: &'static str,
    /// The section's key path in the scenario (`safety_valve.instalments`).
    pub section: &'static str,
    /// A list of items (`[[provisions]]`): `Some(key)` names the key the `Item` column gives
    /// (`""`: the item is only numbered); `None`: a single table.
    pub item: Option<&'static str>,
    /// The section must be there (the sheet must exist).
    pub required: bool,
    /// What the sheet is for, shown on the About sheet.
    pub about: &'static str,
}

const fn table(name: &'static str, section: &'static str, about: &'static str) -> Sheet {
    Sheet {
        name,
        section,
        item: None,
        required: false,
        about,
    }
}

const fn list(
    name: &'static str,
    section: &'static str,
    item: &'static str,
    about: &'static str,
) -> Sheet {
    Sheet {
        name,
        section,
        item: Some(item),
        required: false,
        about,
    }
}

const fn required(sheet: Sheet) -> Sheet {
    Sheet {
        required: true,
        ..sheet
    }
}

/// Every sheet, in workbook order.
pub const SHEETS: &[Sheet] = &[
    required(table(
        "Scenario",
        "scenario",
        "Name, base year, horizon, sources and the national policy set",
    )),
    required(list(
        "Provisions",
        "provisions",
        "name",
        "Placement types: caseload, unit cost and how each moves",
    )),
    table("Demand", "demand", "Demand growth and new plans a year"),
    table("Costs", "cost", "Cost inflation"),
    list(
        "Movers",
        "movers",
        "",
        "Children moving between placement types each year",
    ),
    list(
        "Other lines",
        "other_lines",
        "name",
        "Other high-needs spend lines",
    ),
    required(table(
        "Funding",
        "funding",
        "The high-needs block allocation and its growth",
    )),
    table("Transfer", "transfer", "The schools block transfer"),
    list(
        "Receipts",
        "other_income",
        "name",
        "Other income to the high-needs block",
    ),
    list(
        "Other blocks",
        "other_blocks",
        "name",
        "The DSG's other blocks: funding, spend and balance",
    ),
    required(table(
        "DSG",
        "dsg",
        "The opening DSG balance and past balances",
    )),
    table(
        "General fund",
        "general_fund",
        "Reserves, borrowing rate, override end and contributions",
    ),
    table(
        "Safety valve",
        "safety_valve",
        "What happens when a target is missed",
    ),
    list(
        "Instalments",
        "safety_valve.instalments",
        "",
        "Safety-valve instalments and their targets",
    ),
    table(
        "Write-off",
        "write_off",
        "A write-off of the deficit, and the deficits the council has reported",
    ),
    table(
        "Reform",
        "reform",
        "The reform at phase transfer: start, chance, delay and shares",
    ),
    table(
        "Central funding",
        "central_funding",
        "Central funding of the deficit",
    ),
    table(
        "Policy overrides",
        "policy",
        "Overrides of the national policy set's values",
    ),
    list(
        "Mitigations",
        "mitigations",
        "name",
        "Planned mitigations: effect, timing, delivery and cost",
    ),
    table(
        "Assessments",
        "assessments",
        "The EHC needs assessment pipeline",
    ),
    table(
        "Ages",
        "ages",
        "Children by age band: the bands and the age mix of new plans",
    ),
    list(
        "Ages by provision",
        "ages.provisions",
        "name",
        "Each provision's opening plans by age band",
    ),
    list(
        "Ages leavers",
        "ages.leavers",
        "",
        "Net leaving rates by provision and age band",
    ),
    list(
        "Ages transfers",
        "ages.transfers",
        "",
        "Moves between provisions at a phase transfer (11, 16)",
    ),
    list(
        "Correlations",
        "correlations",
        "",
        "Correlations between uncertain inputs",
    ),
    list(
        "Options",
        "options",
        "name",
        "Packages of mitigations and levers to compare",
    ),
    list(
        "Budget",
        "budget",
        "year",
        "The approved budget, by year and line",
    ),
    list(
        "Calibration",
        "calibration",
        "",
        "Published figures the scenario is checked against",
    ),
];

/// The first sheet: what the workbook is and how to fill it in (never read).
pub const ABOUT: &str = "About";

/// The columns of a sheet, in order; `Item` only on sheets of items.
pub const COLUMNS: &[(&str, &str)] = &[
    (
        "Item",
        "The item this row belongs to (a provision's or mitigation's name, a budget year, or a number for items without a name). Keep an item's rows together.",
    ),
    (
        "Key",
        "The input, as in the scenario reference (a dotted key such as joiners.opening for a key below another). Its note says what it is.",
    ),
    (
        "Year",
        "Empty for one value for every year; a financial year (2026-27) or other_years for a value per year, one row per year, years in order.",
    ),
    (
        "Kind",
        "number, text, yes/no, list (one row per list entry) or a distribution: fixed, uniform, normal, lognormal, truncated_normal, triangular, pert, discrete, bernoulli.",
    ),
    (
        "Value",
        "The number or text; for a distribution its centre: value (fixed), mean (normal, truncated_normal), mode (triangular, pert), mu (lognormal), p (bernoulli).",
    ),
    (
        "Low",
        "The lower bound (min) of a uniform, truncated_normal, triangular or pert distribution.",
    ),
    (
        "High",
        "The upper bound (max) of a uniform, truncated_normal, triangular or pert distribution.",
    ),
    (
        "SD",
        "The standard deviation: sd of a normal or truncated_normal, sigma of a lognormal.",
    ),
    (
        "Shift",
        "A lognormal's shift (added to the draw; -1 makes a growth factor a rate).",
    ),
    (
        "Values",
        "A discrete distribution's values, separated by ; (0.05; 0.1; 0.15).",
    ),
    (
        "Probabilities",
        "A discrete distribution's probabilities, separated by ;, summing to 1.",
    ),
    (
        "Per",
        "How often a distribution is drawn: path (once per simulated future) or year (every year).",
    ),
    (
        "Persistence",
        "How much of last year's deviation carries over (AR(1)), from just above -1 to just under 1; empty for 0.",
    ),
];

/// The words of the `Kind` column.
pub const KINDS: &[&str] = &[
    "number",
    "text",
    "yes/no",
    "list",
    "fixed",
    "uniform",
    "normal",
    "lognormal",
    "truncated_normal",
    "triangular",
    "pert",
    "discrete",
    "bernoulli",
];

/// The distributions among [`KINDS`].
pub fn is_distribution(kind: &str) -> bool {
    KINDS[4..].contains(&kind)
}

/// What type of value a key takes, as the scenario reference says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// A number or a distribution (`single` or `yearly` inputs).
    Input,
    /// A plain number.
    Number,
    /// Text or a year.
    Text,
    /// true/false.
    YesNo,
    /// A list of texts.
    List,
}

/// A key's help and type, from the scenario reference.
#[derive(Debug, Clone)]
pub struct Help {
    /// What the key is, its unit, default and allowed values.
    pub text: String,
    /// Its type, when the reference says it plainly.
    pub kind: Option<Type>,
    /// Its place in the reference, for the order of rows.
    pub order: usize,
}

/// The help for the key `path` (`provisions.caseload`, `demand.joiners.opening`), if the
/// reference describes it.
pub fn help(path: &str) -> Option<&'static Help> {
    static HELP: OnceLock<BTreeMap<String, Help>> = OnceLock::new();
    HELP.get_or_init(|| parse_reference(include_str!("../../../../docs/scenario-reference.md")))
        .get(path)
}

/// Where the key `path` (or the nearest key above it) comes in the reference: rows are written
/// in this order.
pub fn order(path: &str) -> usize {
    let mut path = path;
    loop {
        if let Some(h) = help(path) {
            return h.order;
        }
        match path.rfind('.') {
            Some(cut) => path = &path[..cut],
            None => return usize::MAX,
        }
    }
}

/// Reads the key tables of the scenario reference: under a heading `### \`[section]\``, rows
/// `| \`key\` | meaning | type | default | allowed |`.
fn parse_reference(text: &str) -> BTreeMap<String, Help> {
    let mut out = BTreeMap::new();
    let mut section: Option<String> = None;
    for line in text.lines() {
        if let Some(head) = line.strip_prefix("### ") {
            section = head
                .split('`')
                .nth(1)
                .map(|s| s.trim_matches(|c| c == '[' || c == ']').to_string());
            continue;
        }
        let Some(section) = &section else { continue };
        if !line.starts_with("| `") {
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 6 {
            continue;
        }
        let (meaning, ty, default, allowed) = (cells[2], cells[3], cells[4], cells[5]);
        let mut text = format!("{meaning}. Unit: {ty}. Default: {default}.");
        if !allowed.is_empty() {
            text.push_str(&format!(" Allowed: {allowed}."));
        }
        let text = text.replace(['`', '*'], "");
        for key in cells[1].split('`').skip(1).step_by(2) {
            let order = out.len();
            out.entry(format!("{section}.{key}")).or_insert(Help {
                text: text.clone(),
                kind: type_of(ty),
                order,
            });
        }
    }
    out
}

/// The type a reference row's type column names.
fn type_of(ty: &str) -> Option<Type> {
    let ty = ty.trim_matches('*');
    if ty.contains("true/false") {
        Some(Type::YesNo)
    } else if ty.starts_with("list of") && !ty.contains("table") {
        Some(Type::List)
    } else if ty.contains("yearly") || ty.starts_with("single") {
        Some(Type::Input)
    } else if ty.starts_with("plain number") || ty.starts_with("whole number") {
        Some(Type::Number)
    } else if ty == "text" || ty == "year" || ty.starts_with("provision name") {
        Some(Type::Text)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_gives_help_and_types() {
        let caseload = help("provisions.caseload").expect("caseload described");
        assert_eq!(caseload.kind, Some(Type::Input));
        assert!(caseload.text.contains("Plans at the end of the base year"));
        assert_eq!(
            help("scenario.base_year").map(|h| h.kind),
            Some(Some(Type::Text))
        );
        assert_eq!(
            help("scenario.horizon_years").map(|h| h.kind),
            Some(Some(Type::Number))
        );
        assert_eq!(
            help("scenario.sources").map(|h| h.kind),
            Some(Some(Type::List))
        );
        assert_eq!(
            help("dsg.opening_balance_known").map(|h| h.kind),
            Some(Some(Type::YesNo))
        );
        assert_eq!(
            help("demand.joiners.opening").map(|h| h.kind),
            Some(Some(Type::Input))
        );
        assert!(help("provisions.no_such_key").is_none());
    }
}
