//! Errors from reading and validating a scenario: each names the file, the key path and, where
//! known, the line and column.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong with a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the scenario, as a key path such as `provisions[2].unit_cost` (empty when the
    /// problem is with the whole file).
    pub key: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// 1-based line and column in the file, when known.
    pub position: Option<(usize, usize)>,
}

impl Problem {
    /// A problem at `key`, position not yet known.
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            key: key.into(),
            message: message.into(),
            position: None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.position {
            write!(f, "{line}:{column}: ")?;
        }
        if !self.key.is_empty() {
            write!(f, "`{}`: ", self.key)?;
        }
        f.write_str(&self.message)
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{}: cannot read the scenario: {source}", file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is not a valid scenario: TOML syntax, unknown keys, wrong types or values that
    /// break the rules. Every problem found is listed.
    #[error("{}", render_problems(file, problems))]
    Invalid {
        /// The file (or `<memory>` for a scenario given as text).
        file: PathBuf,
        /// Everything found wrong, in file order where positions are known.
        problems: Vec<Problem>,
    },
    /// A change to a scenario's text that cannot be made (see
    /// [`crate::scenario::ScenarioDocument`]): a key path the scenario format does not have, an
    /// element that is not there, or a value that is not TOML. The text is left as it was.
    #[error("{}: cannot set `{key}`: {message}", file.display())]
    Edit {
        /// The file being edited.
        file: PathBuf,
        /// The key path as given.
        key: String,
        /// Why, in plain words.
        message: String,
    },
}

impl ScenarioError {
    /// The same error, naming `file` as the scenario it is about (for a scenario changed in code
    /// or under another policy set, where the problems are the same but the origin differs).
    ///
    /// ```
    /// use dsg_core::{Problem, ScenarioError};
    /// let e = ScenarioError::Invalid { file: "a.toml".into(), problems: vec![Problem::new("x", "bad")] };
    /// let e = e.for_file("b.toml");
    /// assert!(e.to_string().starts_with("b.toml"));
    /// assert_eq!(e.problems().len(), 1);
    /// ```
    pub fn for_file(self, file: impl Into<std::path::PathBuf>) -> Self {
        match self {
            ScenarioError::Invalid { problems, .. } => ScenarioError::Invalid {
                file: file.into(),
                problems,
            },
            other => other,
        }
    }

    /// The problems found (empty for a read error or an edit that could not be made).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScenarioError::Read { .. } | ScenarioError::Edit { .. } => &[],
            ScenarioError::Invalid { problems, .. } => problems,
        }
    }
}

fn render_problems(file: &std::path::Path, problems: &[Problem]) -> String {
    let mut out = format!(
        "{}: {} problem{} found",
        file.display(),
        crate::money::group_thousands(&problems.len().to_string()),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems.iter().take(MAX_PROBLEMS_SHOWN) {
        let sep = if p.position.is_some() { ":" } else { ": " };
        out.push_str(&format!("\n  {}{sep}{p}", file.display()));
    }
    if problems.len() > MAX_PROBLEMS_SHOWN {
        out.push_str(&format!(
            "\n  ... and {} more (the first {MAX_PROBLEMS_SHOWN} are shown: fix them and check again)",
            crate::money::group_thousands(&(problems.len() - MAX_PROBLEMS_SHOWN).to_string())
        ));
    }
    out
}

/// The most problems a scenario error lists (all are kept in [`ScenarioError::Invalid`]).
const MAX_PROBLEMS_SHOWN: usize = 100;
