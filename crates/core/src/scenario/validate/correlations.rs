//! Correlations between uncertain inputs (docs/model.md section 7), factorised once here.

use crate::correlation::{Correlation, Correlations};
use crate::raw::RawCorrelation;

use super::Builder;

impl Builder {
    pub(super) fn correlations(&mut self, raw: &[RawCorrelation]) -> Correlations {
        let mut out = Vec::new();
        for (i, c) in raw.iter().enumerate() {
            let key = format!("correlations[{i}]");
            if c.between.len() != 2 {
                self.problem(
                    format!("{key}.between"),
                    "name exactly two inputs, e.g. [\"demand.growth\", \"cost.inflation\"]",
                );
                continue;
            }
            if !(-1.0..=1.0).contains(&c.rho) {
                self.problem(
                    format!("{key}.rho"),
                    format!("a correlation must be between -1 and 1 (got {})", c.rho),
                );
                continue;
            }
            let mut ids = Vec::new();
            for name in &c.between {
                match self.params.specs().iter().position(|s| &s.key == name) {
                    Some(ix) if self.params.specs()[ix].is_fixed() => self.problem(
                        format!("{key}.between"),
                        format!("`{name}` is a fixed number; only uncertain inputs can be correlated"),
                    ),
                    Some(ix) if self.params.hyper_of(ix).is_some() => self.problem(
                        format!("{key}.between"),
                        format!("`{name}` has parameter uncertainty (a mean or sd given as a distribution); such inputs cannot be correlated yet"),
                    ),
                    Some(ix) => ids.push(ix),
                    None => self.problem(
                        format!("{key}.between"),
                        format!("no input is called `{name}`; use its key path, e.g. `demand.growth` or `mitigations[0].delivery`"),
                    ),
                }
            }
            if let [a, b] = ids[..] {
                let specs = self.params.specs();
                if a == b {
                    self.problem(
                        format!("{key}.between"),
                        "an input cannot be correlated with itself",
                    );
                } else if specs[a].per != specs[b].per {
                    self.problem(
                        format!("{key}.between"),
                        format!(
                            "`{}` and `{}` must both be drawn per path or both per year",
                            specs[a].key, specs[b].key
                        ),
                    );
                } else if out
                    .iter()
                    .any(|x: &Correlation| (x.a, x.b) == (a, b) || (x.a, x.b) == (b, a))
                {
                    self.problem(format!("{key}.between"), "this pair is correlated twice");
                } else {
                    out.push(Correlation { a, b, rho: c.rho });
                }
            }
        }
        match Correlations::new(out, &self.params) {
            Ok(correlations) => correlations,
            Err(names) => {
                self.problem("correlations", names.to_string());
                Correlations::default()
            }
        }
    }
}
