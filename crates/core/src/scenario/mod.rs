//! The validated scenario: built in one step from the raw file, it cannot be invalid.
//!
//! [`types`] holds the validated data (a leaf: it depends on nothing else of the scenario);
//! `validate` turns a [`RawScenario`] into it area by area (demand, funding, receipts,
//! mitigations, correlations), reporting every problem found with its key path, and the line and
//! column where known.

use std::path::{Path, PathBuf};

use crate::error::{Problem, ScenarioError};
use crate::locate::SourceMap;
use crate::raw::RawScenario;
use crate::year::FinancialYear;

mod document;
mod edit;
mod read;
pub mod types;
mod validate;

pub use crate::ages::*;
pub use crate::agreements::*;
pub use crate::correlation::Correlation;
pub use crate::reform::Reform;
pub use document::{EditValue, ScenarioDocument};
pub use read::{MAX_SCENARIO_BYTES, read_limited};
pub use types::*;

/// Longest projection allowed, in years.
pub const MAX_HORIZON: usize = 30;
/// Most mitigations a scenario may list (they are switched on and off as bits of a `u64`).
pub const MAX_MITIGATIONS: usize = 64;

impl Scenario {
    /// Reads and validates a scenario file.
    ///
    /// ```no_run
    /// let scenario = dsg_core::Scenario::load("scenarios/minimal.toml".as_ref())?;
    /// # Ok::<(), dsg_core::ScenarioError>(())
    /// ```
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = String::from_utf8(read_limited(path)?).map_err(|_| ScenarioError::Read {
            file: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the file is not text (UTF-8); save it as plain text",
            ),
        })?;
        Scenario::from_toml_str(&text, path)
    }

    /// Validates a scenario given as TOML text; `file` names it in errors. A text larger than
    /// [`MAX_SCENARIO_BYTES`] is refused.
    pub fn from_toml_str(text: &str, file: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        let file: PathBuf = file.as_ref().to_path_buf();
        read::check_size(text.len(), &file)?;
        let map = SourceMap::new(text);
        let read = toml::Deserializer::parse(text).and_then(RawScenario::read);
        let (raw, unknown) = match read {
            Ok(read) => read,
            Err(e) => {
                let quoted = e.span().and_then(|s| text.get(s));
                let mut problem = Problem::new("", read::plain_message(e.message(), quoted));
                if let Some(span) = e.span() {
                    problem.key = map.path_at(span.start);
                    problem.position = Some(map.line_column(span.start));
                }
                return Err(ScenarioError::Invalid {
                    file,
                    problems: vec![problem],
                });
            }
        };
        let mut problems: Vec<Problem> = unknown.iter().map(|key| unknown_key(key)).collect();
        match validate::validate(&raw) {
            Ok(mut scenario) if problems.is_empty() => {
                for w in &mut scenario.warnings {
                    w.position = map.position_of(&w.key);
                }
                scenario
                    .warnings
                    .sort_by_key(|w| w.position.unwrap_or((usize::MAX, 0)));
                return Ok(scenario);
            }
            Ok(_) => {}
            Err(found) => problems.extend(found),
        }
        for p in &mut problems {
            p.position = map.position_of(&p.key);
        }
        problems.sort_by_key(|p| p.position.unwrap_or((usize::MAX, 0)));
        Err(ScenarioError::Invalid { file, problems })
    }

    /// Validates a scenario built in code (see [`crate::raw`]).
    ///
    /// Keys a [`RawScenario`] does not have cannot be given in code; when reading a file,
    /// [`Scenario::from_toml_str`] reports every unknown key.
    pub fn from_raw(raw: &RawScenario) -> Result<Scenario, ScenarioError> {
        validate::validate(raw).map_err(|problems| ScenarioError::Invalid {
            file: PathBuf::from("<scenario built in code>"),
            problems,
        })
    }

    /// The financial year of projection year `t` (0 = base year).
    pub fn year(&self, t: usize) -> FinancialYear {
        self.base_year + t as u16
    }

    /// Projection year index of `year` (0 = base year), if inside the horizon.
    pub fn index_of(&self, year: FinancialYear) -> Option<usize> {
        let off = self.base_year.offset_to(year);
        (0..=self.horizon as i32)
            .contains(&off)
            .then_some(off as usize)
    }

    /// Every output series of this scenario with its stable name, in index order (the
    /// children-and-families series only when it has an `[assessments]` section: see
    /// [`Scenario::has_series`]).
    pub fn series(&self) -> Vec<(crate::Series, String)> {
        let names: Vec<&str> = self.provisions.iter().map(|p| p.name.as_str()).collect();
        crate::Series::all(&names)
            .into_iter()
            .filter(|(s, _)| self.has_series(*s))
            .collect()
    }

    /// Whether this scenario reports `series`: every series except the children-and-families
    /// ones, which need an `[assessments]` section (and, for the share in mainstream settings,
    /// its `mainstream_provisions`), and the caseloads by age band, which need `[ages]` with
    /// bands that each lie within one of the management plan's.
    ///
    /// ```
    /// use dsg_core::Series;
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// assert!(s.has_series(Series::Cumulative));
    /// assert!(!s.has_series(Series::ChildrenWaiting));
    /// ```
    pub fn has_series(&self, series: crate::Series) -> bool {
        use crate::Series;
        match series {
            Series::MainstreamShare => self
                .assessments
                .as_ref()
                .is_some_and(|a| !a.mainstream.is_empty()),
            s if s.is_children() => self.assessments.is_some(),
            s if s.is_by_age() => self.ages.as_ref().is_some_and(|a| !a.plan_band.is_empty()),
            _ => true,
        }
    }

    /// Index of the provision called `name`.
    pub fn provision_index(&self, name: &str) -> Option<usize> {
        self.provisions.iter().position(|p| p.name == name)
    }
}

/// The problem of a key the scenario format does not have.
pub(crate) fn unknown_key(key: &str) -> Problem {
    let name = key.rsplit('.').next().unwrap_or(key);
    Problem::new(
        key,
        format!(
            "unknown field `{name}`: not a key of this section (check the spelling; docs/scenario-reference.md lists every key)"
        ),
    )
}
