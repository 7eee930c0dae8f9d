//! Which failures are the user's to fix (exit code 2) and which are ours (exit code 1).

use std::fmt;

use dsg_core::ScenarioError;
use dsg_montecarlo::McError;

use crate::{EXIT_BAD_INPUT, EXIT_INTERNAL};

/// Something the user can fix: a setting, a file name, a folder that is in the way.
#[derive(Debug)]
pub struct BadInput(pub String);

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// The problems of one or more scenario files.
#[derive(Debug)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

/// A [`BadInput`] error with `message`.
pub fn bad_input(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(BadInput(message.into()))
}

/// The message of `err` and its causes, each cause once (an error that already quotes its cause
/// is not followed by it again).
pub fn render(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// The exit code for `err`: 2 when anything in its chain is the user's to fix, else 1.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let bad = err.chain().any(|e| {
        e.is::<BadInput>()
            || e.is::<ScenarioError>()
            || e.is::<ScenarioErrors>()
            || matches!(
                e.downcast_ref::<McError>(),
                Some(
                    McError::Input { .. }
                        | McError::Correlation(_)
                        | McError::Settings(_)
                        | McError::NonFinite { .. }
                )
            )
    });
    if bad { EXIT_BAD_INPUT } else { EXIT_INTERNAL }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn user_errors_exit_2_even_when_wrapped() {
        let err = Err::<(), _>(bad_input("no")).context("while running");
        let Err(err) = err else { return };
        assert_eq!(exit_code(&err), EXIT_BAD_INPUT);
        let settings = anyhow::Error::new(McError::Settings("paths".into()));
        assert_eq!(exit_code(&settings), EXIT_BAD_INPUT);
        let overflow = anyhow::Error::new(McError::NonFinite {
            series: "balance.cumulative (p50)".into(),
            year: None,
        });
        assert_eq!(exit_code(&overflow), EXIT_BAD_INPUT);
    }

    #[test]
    fn causes_already_quoted_are_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "not found");
        let err = anyhow::Error::new(ScenarioError::Read {
            file: "x.toml".into(),
            source: io,
        })
        .context("while loading");
        assert_eq!(
            render(&err),
            "while loading: x.toml: cannot read the scenario: not found"
        );
    }

    #[test]
    fn other_errors_exit_1() {
        let io = anyhow::Error::new(std::io::Error::other("disk full"));
        assert_eq!(exit_code(&io), EXIT_INTERNAL);
        let threads = anyhow::Error::new(McError::Threads("no".into()));
        assert_eq!(exit_code(&threads), EXIT_INTERNAL);
    }
}
