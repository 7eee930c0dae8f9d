//! Plain-English names for series, statistics and distributions, as tables and workbooks show
//! them.

use dsg_core::series::Unit;
use dsg_core::{Dist, Scenario, Shape, Slot};
use dsg_montecarlo::Summary;

/// The label and unit of the series called `name` in `summary`, from the table of series
/// (`balance.cumulative` -> "Cumulative DSG balance", pounds); a name that is none of the run's
/// series (a summary from a later version) stands as its own label, in pounds.
pub fn series(summary: &Summary, name: &str) -> (String, Unit) {
    summary.key(name).map_or_else(
        || (name.to_string(), Unit::Pounds),
        |key| (key.label(summary), key.unit()),
    )
}

/// A number as written in a scenario file, with thousands separators from 10,000:
/// `0.025`, `1,800,000`.
pub fn number(x: f64) -> String {
    let text = format!("{x}");
    if x.abs() < 10_000.0 || text.contains('e') {
        return text;
    }
    match text.strip_prefix('-') {
        Some(rest) => format!("-{}", dsg_core::money::group_thousands(rest)),
        None => dsg_core::money::group_thousands(&text),
    }
}

fn list(xs: &[f64]) -> String {
    xs.iter().map(|x| number(*x)).collect::<Vec<_>>().join(", ")
}

/// A distribution in words: `normal(mean 0.12, sd 0.025)`.
pub fn dist(d: &Dist) -> String {
    let n = number;
    match d {
        Dist::Fixed { value } => format!("fixed at {}", n(*value)),
        Dist::Uniform { min, max } => format!("uniform(min {}, max {})", n(*min), n(*max)),
        Dist::Normal { mean, sd } => format!("normal(mean {}, sd {})", n(*mean), n(*sd)),
        Dist::Lognormal { mu, sigma, shift } if *shift == 0.0 => {
            format!("lognormal(mu {}, sigma {})", n(*mu), n(*sigma))
        }
        Dist::Lognormal { mu, sigma, shift } => format!(
            "lognormal(mu {}, sigma {}, shift {})",
            n(*mu),
            n(*sigma),
            n(*shift)
        ),
        Dist::TruncatedNormal { mean, sd, min, max } => format!(
            "truncated normal(mean {}, sd {}, min {}, max {})",
            n(*mean),
            n(*sd),
            n(*min),
            n(*max)
        ),
        Dist::Triangular { min, mode, max } => format!(
            "triangular(min {}, mode {}, max {})",
            n(*min),
            n(*mode),
            n(*max)
        ),
        Dist::Pert { min, mode, max } => {
            format!("pert(min {}, mode {}, max {})", n(*min), n(*mode), n(*max))
        }
        Dist::Discrete {
            values,
            probabilities,
        } => format!(
            "discrete(values {} with probabilities {})",
            list(values),
            list(probabilities)
        ),
        Dist::Bernoulli { p } => format!("happens with probability {}", n(*p)),
    }
}

/// The key and year of the slot at `offset` in the scenario's parameter table.
fn slot_name(scenario: &Scenario, offset: usize) -> String {
    let mut start = 0;
    for spec in scenario.params().specs() {
        let len = spec.slots.len();
        if offset < start + len {
            return match spec.shape {
                Shape::Scalar => format!("`{}`", spec.key),
                Shape::Yearly => format!("`{}` in {}", spec.key, scenario.year(offset - start + 1)),
            };
        }
        start += len;
    }
    format!("input slot {offset}")
}

/// One slot in words.
fn slot(scenario: &Scenario, s: &Slot) -> String {
    match s {
        Slot::Own(d) => dist(d),
        Slot::Shared { offset } => format!("same draw as {}", slot_name(scenario, *offset)),
    }
}

/// Every distinct slot of input `index` in words: one distribution, or runs of years
/// (`2026-27 to 2027-28: fixed at 1,800,000; 2028-29: fixed at 0`).
pub fn input(scenario: &Scenario, index: usize) -> String {
    let spec = &scenario.params().specs()[index];
    let words: Vec<String> = spec.slots.iter().map(|s| slot(scenario, s)).collect();
    if spec.shape == Shape::Scalar || words.windows(2).all(|w| w[0] == w[1]) {
        return words.first().cloned().unwrap_or_default();
    }
    let mut runs: Vec<(usize, usize, &str)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        match runs.last_mut() {
            Some((_, end, text)) if *text == w.as_str() => *end = i,
            _ => runs.push((i, i, w)),
        }
    }
    runs.iter()
        .map(|(a, b, text)| {
            let (ya, yb) = (scenario.year(a + 1), scenario.year(b + 1));
            if a == b {
                format!("{ya}: {text}")
            } else {
                format!("{ya} to {yb}: {text}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The authority and scenario as a chart's subtitle names them: `Authority – Scenario`, or the
/// scenario's name alone when it names no authority.
pub fn who(scenario: &Scenario) -> String {
    if scenario.authority().is_empty() {
        scenario.name().to_string()
    } else {
        format!("{} – {}", scenario.authority(), scenario.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distributions_read_as_words() {
        assert_eq!(
            dist(&Dist::Normal {
                mean: 0.12,
                sd: 0.025
            }),
            "normal(mean 0.12, sd 0.025)"
        );
        assert_eq!(dist(&Dist::Fixed { value: 118e6 }), "fixed at 118,000,000");
        assert_eq!(
            dist(&Dist::Pert {
                min: 0.3,
                mode: 0.7,
                max: 1.0
            }),
            "pert(min 0.3, mode 0.7, max 1)"
        );
    }

    #[test]
    fn numbers_keep_their_precision() {
        assert_eq!(number(-40_000_000.0), "-40,000,000");
        assert_eq!(number(1234.5), "1234.5");
        assert_eq!(number(12345.25), "12,345.25");
    }

    #[test]
    fn yearly_inputs_group_equal_years() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scenarios/benchmark.toml"
        ))
        .unwrap_or_default();
        let Ok(s) = Scenario::from_toml_str(&text, "benchmark.toml") else {
            panic!("benchmark.toml should load")
        };
        let Some(id) = s.params().find("demand.growth") else {
            panic!("demand.growth should be an input")
        };
        assert_eq!(input(&s, id.index()), "normal(mean 0.12, sd 0.025)");
        let Some(id) = s.params().find("general_fund.contributions") else {
            panic!("contributions should be an input")
        };
        let words = input(&s, id.index());
        assert!(
            words.starts_with("2026-27 to 2030-31: fixed at 1,800,000"),
            "{words}"
        );
    }
}
