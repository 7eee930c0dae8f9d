//! Changing a validated scenario in code: the change is made to the scenario as written and
//! validated again, so a `Scenario` is never invalid.

use crate::error::{Problem, ScenarioError};
use crate::raw::{NumInput, RawCorrelation, RawScenario};

use super::Scenario;

impl Scenario {
    /// The scenario as written (before validation), e.g. to change it in code and validate it
    /// again with [`Scenario::from_raw`].
    pub fn raw(&self) -> &RawScenario {
        &self.raw
    }

    /// A copy of this scenario with the input at `key` (its key path, as in the file and in
    /// error messages: `funding.allocation`, `provisions[1].unit_cost`, `demand.growth`,
    /// `mitigations[0].delivery`) set to `value`, validated again. Every rule a file must follow
    /// applies: an invalid value or an unknown key is a [`ScenarioError`], never a panic.
    ///
    /// An input named in a correlation (`[[correlations]]`) can be changed like any other. Made
    /// a fixed number, it is no longer drawn and correlates with nothing, so its correlations go
    /// with it (a file giving a fixed number a correlation is refused; here the change says what
    /// is meant). Given as a distribution, the new value replaces the whole of the old one,
    /// `per` and `persistence` included (say them with [`NumInput::distribution`]).
    ///
    /// ```
    /// use dsg_core::{Dist, Scenario};
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml"))?;
    /// let scenario = Scenario::from_toml_str(&text, "minimal.toml")?;
    /// let richer = scenario.with_input("funding.allocation", 140e6)?;
    /// let uncertain = richer.with_input("demand.growth", Dist::Normal { mean: 0.12, sd: 0.02 })?;
    /// assert_eq!(uncertain.name(), scenario.name());
    ///
    /// let err = scenario.with_input("funding.allocation", -1.0).unwrap_err();
    /// assert_eq!(err.problems()[0].key, "funding.allocation");
    /// assert!(scenario.with_input("funding.alocation", 1.0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_input(
        &self,
        key: &str,
        value: impl Into<NumInput>,
    ) -> Result<Scenario, ScenarioError> {
        let value: NumInput = value.into();
        let invalid = |message: String| ScenarioError::Invalid {
            file: self.file_label(),
            problems: vec![Problem::new(key, message)],
        };
        let mut tree = toml::Value::try_from(&self.raw)
            .map_err(|e| invalid(format!("the scenario cannot be changed: {e}")))?;
        let new = toml::Value::try_from(&value)
            .map_err(|e| invalid(format!("not a value an input can take: {e}")))?;
        let slot = locate_mut(&mut tree, key).ok_or_else(|| {
            invalid(format!(
                "this scenario has no input `{key}`; use a key path such as `funding.allocation` or `provisions[0].unit_cost`"
            ))
        })?;
        *slot = new;
        let (mut raw, unknown) = RawScenario::read(tree).map_err(|e| {
            invalid(format!(
                "`{key}` is not an input of a scenario: {}",
                e.message().trim()
            ))
        })?;
        if !unknown.is_empty() {
            return Err(invalid(format!(
                "this scenario has no input `{key}`; use a key path such as `funding.allocation` or `provisions[0].unit_cost`"
            )));
        }
        if is_fixed(&value) {
            raw.correlations
                .retain(|c| !c.between.iter().any(|name| name == key));
        }
        Scenario::from_raw(&raw).map_err(|e| e.for_file(self.file_label()))
    }

    /// A copy of this scenario with the inputs at key paths `a` and `b` correlated at `rho`
    /// (a rank correlation from -1 to 1, docs/model.md section 7), validated again. A correlation
    /// the pair already has (in either order) is replaced. The rules of `[[correlations]]` apply:
    /// both inputs uncertain, drawn at the same frequency, and the correlations together
    /// possible (a positive semi-definite matrix); a break is a [`ScenarioError`] naming the
    /// problem.
    ///
    /// ```
    /// use dsg_core::Scenario;
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml"))?;
    /// let county = Scenario::from_toml_str(&text, "cambridgeshire.toml")?;
    /// assert_eq!(county.correlations().pairs[0].rho, 0.3);
    /// let stronger = county.with_correlation("cost.inflation", "demand.growth", 0.6)?;
    /// assert_eq!(stronger.correlations().pairs.len(), 1); // the pair's correlation, replaced
    /// assert_eq!(stronger.correlations().pairs[0].rho, 0.6);
    ///
    /// let err = county.with_correlation("demand.growth", "cost.inflation", 1.5).unwrap_err();
    /// assert_eq!(err.problems()[0].key, "correlations[0].rho");
    /// assert!(county.with_correlation("demand.growth", "no.such.input", 0.2).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_correlation(&self, a: &str, b: &str, rho: f64) -> Result<Scenario, ScenarioError> {
        let mut raw = self.raw.clone();
        let pair = RawCorrelation {
            between: vec![a.to_string(), b.to_string()],
            rho,
        };
        match raw.correlations.iter_mut().find(|c| is_pair(c, a, b)) {
            Some(existing) => *existing = pair,
            None => raw.correlations.push(pair),
        }
        Scenario::from_raw(&raw).map_err(|e| e.for_file(self.file_label()))
    }

    /// A copy of this scenario without the correlation between the inputs at key paths `a` and
    /// `b` (in either order), validated again: they are then drawn independently. A pair the
    /// scenario does not correlate is a [`ScenarioError`] at `correlations`.
    ///
    /// ```
    /// use dsg_core::Scenario;
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml"))?;
    /// let county = Scenario::from_toml_str(&text, "cambridgeshire.toml")?;
    /// let independent = county.without_correlation("cost.inflation", "demand.growth")?;
    /// assert!(independent.correlations().is_empty());
    /// assert!(independent.raw().correlations.is_empty());
    ///
    /// let err = independent.without_correlation("demand.growth", "cost.inflation").unwrap_err();
    /// assert_eq!(err.problems()[0].key, "correlations");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn without_correlation(&self, a: &str, b: &str) -> Result<Scenario, ScenarioError> {
        let mut raw = self.raw.clone();
        let before = raw.correlations.len();
        raw.correlations.retain(|c| !is_pair(c, a, b));
        if raw.correlations.len() == before {
            return Err(ScenarioError::Invalid {
                file: self.file_label(),
                problems: vec![Problem::new(
                    "correlations",
                    format!("`{a}` and `{b}` are not correlated in this scenario"),
                )],
            });
        }
        Scenario::from_raw(&raw).map_err(|e| e.for_file(self.file_label()))
    }

    /// The national policy set inherited: its name, or `none` (the standing rules only).
    pub fn policy(&self) -> &str {
        &self.policy
    }

    /// The inherited policy set with the scenario's `[policy]` overrides (every value with its
    /// date and source), when the scenario names one.
    pub fn policy_set(&self) -> Option<&crate::policy::PolicySet> {
        self.policy_set.as_ref()
    }

    /// A copy of this scenario under another national policy set (`None` or `Some("none")`: no
    /// set, the standing rules only), validated again: what `dsg run --policy NAME` runs.
    ///
    /// ```
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml"))?;
    /// let now = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml")?;
    /// assert_eq!(now.policy(), "england-2026-06");
    /// let before = now.with_policy(Some("england-2025"))?;
    /// assert_eq!(before.policy(), "england-2025");
    /// assert!(now.with_policy(Some("england-1997")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_policy(&self, name: Option<&str>) -> Result<Scenario, ScenarioError> {
        let mut raw = self.raw.clone();
        raw.scenario.policy = name.map(str::to_string);
        Scenario::from_raw(&raw).map_err(|e| e.for_file(self.file_label()))
    }

    fn file_label(&self) -> std::path::PathBuf {
        std::path::PathBuf::from(format!("<scenario `{}` changed in code>", self.name))
    }
}

/// Whether `c` correlates `a` with `b`, in either order.
fn is_pair(c: &RawCorrelation, a: &str, b: &str) -> bool {
    matches!(&c.between[..], [x, y] if (x == a && y == b) || (x == b && y == a))
}

/// Whether an input given as `value` is a fixed number in every year (nothing in it is drawn).
fn is_fixed(value: &NumInput) -> bool {
    match value {
        NumInput::Number(_) => true,
        NumInput::Distribution(d) => d.dist.is_fixed() && d.hyper.is_empty(),
        NumInput::ByYear(years) => years.values().all(is_fixed),
        NumInput::Unreadable(_) => false,
    }
}

/// The value at key path `key` (`a.b[2].c`) in a TOML tree, created as an entry of an existing
/// table when missing (an optional input not given in the file); `None` when the path does not
/// lead to a table.
fn locate_mut<'a>(tree: &'a mut toml::Value, key: &str) -> Option<&'a mut toml::Value> {
    let mut here = tree;
    let parts: Vec<&str> = key.split('.').collect();
    for (n, part) in parts.iter().enumerate() {
        let (name, index) = match part.split_once('[') {
            Some((name, rest)) => (name, Some(rest.strip_suffix(']')?.parse::<usize>().ok()?)),
            None => (*part, None),
        };
        let last = n + 1 == parts.len() && index.is_none();
        let table = here.as_table_mut()?;
        if !table.contains_key(name) {
            if !last {
                return None;
            }
            table.insert(name.to_string(), toml::Value::Float(0.0));
        }
        here = table.get_mut(name)?;
        if let Some(i) = index {
            here = here.as_array_mut()?.get_mut(i)?;
        }
    }
    Some(here)
}
