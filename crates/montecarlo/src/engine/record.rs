//! Keeping each path's uncertain inputs and outcomes, for analysis of what drives the outcome
//! (docs/model.md section 11).
//!
//! Memory stays bounded: only the first [`Record::max_paths`] paths are kept (100,000 by default),
//! as `f32` columns. Paths are independent and identically drawn, so the first paths are a
//! uniform random sample of the run, the same whatever the number of threads (a path's number,
//! not the thread that ran it, decides), and a rank correlation from 100,000 paths has a standard
//! error of about 0.003: far below what a committee reads. `f32` keeps seven significant figures,
//! plenty for ranks, bins and medians, at half the memory: 100,000 paths of 20 inputs and two
//! outcomes take about 16 MB.

use dsg_core::{FinancialYear, ParamSpec, Projection, Scenario, SeriesKey, Shape, Slot, Variant};

use crate::aggregate::BLOCK;
use crate::error::McError;

/// Paths kept by default.
pub const RECORD_PATHS: u64 = 100_000;

/// What to keep of each path.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The outcomes: a mitigated series and a year.
    pub outcomes: Vec<(SeriesKey, FinancialYear)>,
    /// Keep the first this many paths (at least 1).
    pub max_paths: u64,
}

/// One uncertain input, summarised per path.
#[derive(Debug, Clone, PartialEq)]
pub struct InputColumn {
    /// The input's key, e.g. `demand.growth`.
    pub key: String,
    /// Drawn once per path (`Scalar`), or a yearly input summarised by its mean.
    pub shape: Shape,
    /// One column per outcome: the path's draw, or for a yearly input its mean over the years up
    /// to the outcome's year.
    pub values: Vec<Vec<f32>>,
}

/// One outcome, per path.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeColumn {
    /// The series.
    pub key: SeriesKey,
    /// The series' name, e.g. `balance.cumulative`.
    pub name: String,
    /// The year.
    pub year: FinancialYear,
    /// The outcome of each recorded path, in path order.
    pub values: Vec<f32>,
}

/// The recorded paths: inputs and outcomes as columns, in path order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PathTable {
    /// Paths kept (the first of the run).
    pub paths: usize,
    /// Each uncertain input.
    pub inputs: Vec<InputColumn>,
    /// Each outcome.
    pub outcomes: Vec<OutcomeColumn>,
}

/// The validated plan: which slots to read and which rows.
#[derive(Debug, Clone)]
pub(crate) struct RecordPlan {
    pub max_paths: u64,
    /// Uncertain inputs: key, shape, first slot, number of slots.
    inputs: Vec<(String, Shape, usize, usize)>,
    /// Outcomes: key, name, year, year index (1-based).
    outcomes: Vec<(SeriesKey, String, FinancialYear, usize)>,
}

/// One block's recorded values: the number of its first path, its paths, and the columns
/// (inputs by outcome, then outcomes), each `paths` long.
pub(crate) type RecordedBlock = (u64, usize, Vec<f32>);

impl RecordPlan {
    pub fn new(scenario: &Scenario, record: &Record) -> Result<Self, McError> {
        if record.max_paths == 0 {
            return Err(McError::Settings(
                "keep at least one path for analysis".to_string(),
            ));
        }
        let mut outcomes = Vec::new();
        for (key, year) in &record.outcomes {
            let name = key
                .name(scenario)
                .ok_or_else(|| McError::Settings(format!("no series {key:?} in this scenario")))?;
            if !scenario.has_series(key.series) {
                return Err(McError::Settings(format!(
                    "`{name}` is not reported for this scenario"
                )));
            }
            if key.variant != Variant::Mitigated {
                return Err(McError::Settings(format!(
                    "`{name}`: only the forecast with mitigations can be analysed"
                )));
            }
            let t = scenario
                .index_of(*year)
                .filter(|&t| t >= 1)
                .ok_or_else(|| {
                    McError::Settings(format!(
                        "{year} is not a projected year ({} to {})",
                        scenario.year(1),
                        scenario.year(scenario.horizon())
                    ))
                })?;
            outcomes.push((*key, name, *year, t));
        }
        let params = scenario.params();
        let inputs = params
            .specs()
            .iter()
            .enumerate()
            .filter(|(_, spec)| varies(spec))
            .map(|(i, spec)| {
                (
                    spec.key.clone(),
                    spec.shape,
                    params.id(i).offset(),
                    spec.slots.len(),
                )
            })
            .collect();
        Ok(RecordPlan {
            max_paths: record.max_paths,
            inputs,
            outcomes,
        })
    }

    fn columns(&self) -> usize {
        self.inputs.len() * self.outcomes.len() + self.outcomes.len()
    }

    /// The values of lanes `0..n` of the block whose first path is `first`.
    pub fn block(
        &self,
        first: u64,
        n: usize,
        inputs: &dsg_core::Inputs,
        projection: &Projection,
    ) -> RecordedBlock {
        let mut out = Vec::with_capacity(self.columns() * n);
        for (_, shape, offset, slots) in &self.inputs {
            for (_, _, _, t) in &self.outcomes {
                match shape {
                    Shape::Scalar => {
                        out.extend(inputs.slot(*offset)[..n].iter().map(|&x| x as f32));
                    }
                    Shape::Yearly => {
                        let years = (*t).min(*slots);
                        let mut sum = [0.0f64; BLOCK];
                        for y in 0..years {
                            for (s, &x) in sum.iter_mut().zip(&inputs.slot(offset + y)[..n]) {
                                *s += x;
                            }
                        }
                        out.extend(sum[..n].iter().map(|&s| (s / years as f64) as f32));
                    }
                }
            }
        }
        for (key, _, _, t) in &self.outcomes {
            out.extend(
                projection.lanes_of(key.series, *t)[..n]
                    .iter()
                    .map(|&x| x as f32),
            );
        }
        (first, n, out)
    }

    /// The table of `blocks` (any order).
    pub fn table(&self, mut blocks: Vec<RecordedBlock>) -> PathTable {
        blocks.sort_by_key(|b| b.0);
        let paths: usize = blocks.iter().map(|b| b.1).sum();
        let column = |c: usize| -> Vec<f32> {
            let mut v = Vec::with_capacity(paths);
            for (_, n, values) in &blocks {
                v.extend_from_slice(&values[c * n..(c + 1) * n]);
            }
            v
        };
        let o = self.outcomes.len();
        PathTable {
            paths,
            inputs: self
                .inputs
                .iter()
                .enumerate()
                .map(|(i, (key, shape, _, _))| InputColumn {
                    key: key.clone(),
                    shape: *shape,
                    values: (0..o).map(|k| column(i * o + k)).collect(),
                })
                .collect(),
            outcomes: self
                .outcomes
                .iter()
                .enumerate()
                .map(|(k, (key, name, year, _))| OutcomeColumn {
                    key: *key,
                    name: name.clone(),
                    year: *year,
                    values: column(self.inputs.len() * o + k),
                })
                .collect(),
        }
    }
}

/// Whether an input may differ between paths.
fn varies(spec: &ParamSpec) -> bool {
    spec.slots
        .iter()
        .any(|s| matches!(s, Slot::Own(d) if !d.is_fixed()))
}
