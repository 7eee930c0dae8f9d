//! Correlations between uncertain inputs as one matrix per drawing frequency, factorised once
//! (Cholesky) so that correlated normal scores cost one small matrix product per draw.

use serde::Serialize;

use crate::dist::Per;
use crate::params::ParamTable;

/// A correlation between two uncertain inputs (Gaussian copula on their normal scores).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    /// First input (index into the parameter table).
    pub a: usize,
    /// Second input.
    pub b: usize,
    /// Correlation coefficient.
    pub rho: f64,
}

/// A scenario's correlations: the pairs as written and, factorised once at validation, the
/// matrix of the inputs drawn per path and of those drawn per year.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Correlations {
    /// The pairs, as the scenario gives them.
    pub pairs: Vec<Correlation>,
    #[serde(skip)]
    path: CorrelationMatrix,
    #[serde(skip)]
    year: CorrelationMatrix,
}

impl Correlations {
    /// Checks and factorises the matrices of `pairs` (inputs drawn per path and per year form
    /// separate blocks).
    pub fn new(
        pairs: Vec<Correlation>,
        params: &ParamTable,
    ) -> Result<Self, NotPositiveSemiDefinite> {
        let path = CorrelationMatrix::for_per(&pairs, params, Per::Path)?;
        let year = CorrelationMatrix::for_per(&pairs, params, Per::Year)?;
        Ok(Correlations { pairs, path, year })
    }

    /// The factorised matrix of the correlated inputs drawn at frequency `per`.
    ///
    /// ```
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/benchmark.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "benchmark.toml").unwrap();
    /// let m = s.correlations().matrix(dsg_core::Per::Year);
    /// assert_eq!(m.members.len(), 2);
    /// assert!((m.lower[2] - 0.3).abs() < 1e-12); // L[1][0] = rho
    /// ```
    pub fn matrix(&self, per: Per) -> &CorrelationMatrix {
        match per {
            Per::Path => &self.path,
            Per::Year => &self.year,
        }
    }

    /// True when no inputs are correlated.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// Largest negative pivot tolerated as rounding in the positive semi-definite check.
pub const PSD_TOLERANCE: f64 = 1e-10;

/// The correlation matrix of the inputs drawn at one frequency, with its lower Cholesky factor.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CorrelationMatrix {
    /// Indices (into the parameter table) of the correlated inputs, in matrix order.
    pub members: Vec<usize>,
    /// Lower-triangular factor `L` (row-major, `n x n`) with `L L^T` = the matrix.
    pub lower: Vec<f64>,
}

/// The correlations asked for cannot all hold at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the correlation matrix of {} is not positive semi-definite: these correlations cannot all hold at once; weaken some of them",
    inputs.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
)]
pub struct NotPositiveSemiDefinite {
    /// Key paths of the inputs in the matrix.
    pub inputs: Vec<String>,
}

impl CorrelationMatrix {
    /// The matrix of the correlated inputs drawn at frequency `per`.
    pub fn for_per(
        pairs: &[Correlation],
        params: &ParamTable,
        per: Per,
    ) -> Result<Self, NotPositiveSemiDefinite> {
        let specs = params.specs();
        let mut members: Vec<usize> = Vec::new();
        for c in pairs.iter().filter(|c| specs[c.a].per == per) {
            for ix in [c.a, c.b] {
                if !members.contains(&ix) {
                    members.push(ix);
                }
            }
        }
        let n = members.len();
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            a[i * n + i] = 1.0;
        }
        for c in pairs.iter().filter(|c| specs[c.a].per == per) {
            let (i, j) = (pos(&members, c.a), pos(&members, c.b));
            a[i * n + j] = c.rho;
            a[j * n + i] = c.rho;
        }
        let lower = cholesky(&a, n).ok_or_else(|| NotPositiveSemiDefinite {
            inputs: members.iter().map(|&m| specs[m].key.clone()).collect(),
        })?;
        Ok(CorrelationMatrix { members, lower })
    }
}

fn pos(members: &[usize], ix: usize) -> usize {
    members.iter().position(|&m| m == ix).unwrap_or(0)
}

/// Cholesky factor of a symmetric positive semi-definite matrix; `None` when it is not PSD.
fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let d = a[j * n + j] - (0..j).map(|k| l[j * n + k] * l[j * n + k]).sum::<f64>();
        if d < -PSD_TOLERANCE {
            return None;
        }
        let pivot = d.max(0.0).sqrt();
        l[j * n + j] = pivot;
        for i in j + 1..n {
            let r = a[i * n + j] - (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum::<f64>();
            if pivot > 1e-12 {
                l[i * n + j] = r / pivot;
            } else if r.abs() > 1e-9 {
                return None;
            }
        }
    }
    Some(l)
}

#[cfg(test)]
mod tests {
    use super::cholesky;

    #[test]
    fn factorises_a_valid_matrix() {
        let l = cholesky(&[1.0, 0.5, 0.5, 1.0], 2).unwrap();
        assert!((l[2] - 0.5).abs() < 1e-15);
        assert!((l[3] - 0.75f64.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn accepts_perfect_correlation_and_rejects_impossible_ones() {
        assert!(cholesky(&[1.0, 1.0, 1.0, 1.0], 2).is_some());
        // a~b 0.9, b~c 0.9, a~c -0.9: impossible.
        let m = [1.0, 0.9, -0.9, 0.9, 1.0, 0.9, -0.9, 0.9, 1.0];
        assert!(cholesky(&m, 3).is_none());
    }
}
