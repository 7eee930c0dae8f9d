//! Every numeric input of a scenario lives in one flat table of slots, so that the projection can
//! read any input with one index and the Monte Carlo engine can overwrite the uncertain ones for
//! each path without rebuilding the scenario.

use serde::Serialize;

use crate::dist::{Dist, Per};
use crate::input::{InputId, InputMeta};

/// Where an input's values sit in [`Inputs`]: an index into the scenario's parameter table and the
/// offset of its first slot. Copyable and cheap to read in the hot loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ParamId {
    index: u32,
    offset: u32,
}

impl ParamId {
    /// Position in [`ParamTable::specs`].
    pub fn index(self) -> usize {
        self.index as usize
    }

    /// Offset of the first slot in the inputs (see [`Inputs::slot`]).
    pub fn offset(self) -> usize {
        self.offset as usize
    }
}

/// Whether an input has one value or one per projection year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// One value (an opening figure, a share, a delivery fraction).
    Scalar,
    /// One value for each year 1..=H (a growth rate, a yearly amount, a capacity).
    Yearly,
}

/// Where one slot's value comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    /// Its own distribution.
    Own(Dist),
    /// The same value as the slot at this offset (of another input): used where a per-provision
    /// override leaves a year to the scenario-wide value, so both share one draw.
    Shared {
        /// Offset of the slot whose value is copied.
        offset: usize,
    },
}

/// One numeric input: what it is ([`InputMeta`]: owner, field, unit, label), its key path in the
/// scenario file and the distribution of each slot.
///
/// ```
/// use dsg_core::input::{InputUnit, Owner};
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml")).unwrap();
/// let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml").unwrap();
/// let spec = &s.params().specs()[s.params().find("provisions[1].unit_cost").unwrap().index()];
/// assert_eq!(spec.meta.id.owner, Owner::Provision(1));
/// assert_eq!(spec.meta.unit, InputUnit::Money);
/// assert_eq!(spec.meta.key(), spec.key);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamSpec {
    /// Key path in the scenario file, e.g. `provisions[2].unit_cost` (always `meta.key()`).
    pub key: String,
    /// What the input is: owner, field, unit and name in words. Not serialised (outputs list
    /// inputs by `key`).
    #[serde(skip)]
    pub meta: InputMeta,
    /// One value, or one per year.
    pub shape: Shape,
    /// The slots: one for a scalar, H for a yearly input (index `t - 1`).
    pub slots: Vec<Slot>,
    /// Drawn once per path or afresh each year.
    pub per: Per,
    /// AR(1) coefficient for yearly draws (0 = independent years).
    pub persistence: f64,
}

impl ParamSpec {
    /// True when no slot of this input is uncertain.
    pub fn is_fixed(&self) -> bool {
        self.slots.iter().all(|s| match s {
            Slot::Own(d) => d.is_fixed(),
            Slot::Shared { .. } => true,
        })
    }
}

/// Parameter uncertainty of one yearly input (docs/model.md section 7): its location (`mean` of a
/// normal, `mu` of a lognormal) and scale (`sd`, `sigma`) drawn once per path, each year's value
/// then drawn around them (with the input's persistence).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hyper {
    /// Position of the input in [`ParamTable::specs`].
    pub index: usize,
    /// The distribution of the location, when uncertain.
    pub location: Option<Dist>,
    /// The distribution of the scale, when uncertain (never below 0).
    pub scale: Option<Dist>,
}

/// All the inputs of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamTable {
    specs: Vec<ParamSpec>,
    len: usize,
    hyper: Vec<Hyper>,
}

impl ParamTable {
    pub(crate) fn new() -> Self {
        ParamTable {
            specs: Vec::new(),
            len: 0,
            hyper: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, spec: ParamSpec) -> ParamId {
        let id = ParamId {
            index: self.specs.len() as u32,
            offset: self.len as u32,
        };
        self.len += spec.slots.len();
        self.specs.push(spec);
        id
    }

    /// The input `id`, to adjust while validating.
    pub(crate) fn spec_mut(&mut self, id: ParamId) -> &mut ParamSpec {
        &mut self.specs[id.index()]
    }

    /// Records the parameter uncertainty of an input.
    pub(crate) fn set_hyper(&mut self, hyper: Hyper) {
        self.hyper.push(hyper);
    }

    /// The inputs with parameter uncertainty.
    pub fn hyper(&self) -> &[Hyper] {
        &self.hyper
    }

    /// The parameter uncertainty of the input at position `index`, if it has any.
    pub fn hyper_of(&self, index: usize) -> Option<&Hyper> {
        self.hyper.iter().find(|h| h.index == index)
    }

    /// The inputs, in the order they were read from the scenario.
    pub fn specs(&self) -> &[ParamSpec] {
        &self.specs
    }

    /// The id of the input at position `index`.
    pub fn id(&self, index: usize) -> ParamId {
        let offset: usize = self.specs[..index].iter().map(|s| s.slots.len()).sum();
        ParamId {
            index: index as u32,
            offset: offset as u32,
        }
    }

    /// The input whose key path is `key`, if any.
    pub fn find(&self, key: &str) -> Option<ParamId> {
        self.specs
            .iter()
            .position(|s| s.key == key)
            .map(|i| self.id(i))
    }

    /// The input `input` (an owner and a field), if the scenario has it.
    ///
    /// ```
    /// use dsg_core::input::{Field, InputId, Owner};
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml").unwrap();
    /// let id = s.params().find_input(InputId::new(Owner::Demand, Field::Growth)).unwrap();
    /// assert_eq!(s.params().specs()[id.index()].key, "demand.growth");
    /// ```
    pub fn find_input(&self, input: InputId) -> Option<ParamId> {
        self.specs
            .iter()
            .position(|s| s.meta.id == input)
            .map(|i| self.id(i))
    }

    /// Total number of slots.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the table has no inputs.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Pairs (destination, source) of slot offsets to copy after drawing, in table order.
    #[doc(hidden)]
    pub fn shared_slots(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut offset = 0;
        for spec in &self.specs {
            for (i, slot) in spec.slots.iter().enumerate() {
                if let Slot::Shared { offset: src } = slot {
                    out.push((offset + i, *src));
                }
            }
            offset += spec.slots.len();
        }
        out
    }

    /// Every input at its central value (see [`Dist::central`]): what the deterministic projection
    /// uses.
    pub fn central_inputs(&self) -> Inputs {
        let mut values = Vec::with_capacity(self.len);
        for spec in &self.specs {
            for slot in &spec.slots {
                values.push(match slot {
                    Slot::Own(d) => d.central(),
                    Slot::Shared { .. } => 0.0,
                });
            }
        }
        let mut inputs = Inputs { lanes: 1, values };
        inputs.copy_shared(&self.shared_slots(), 0);
        inputs
    }
}

/// The value of every input for a batch of paths ("lanes"): what the projection reads.
/// Laid out slot-major (`[slot][lane]`) so that the projection reads one input for every lane
/// from consecutive memory. A single path is one lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    lanes: usize,
    values: Vec<f64>,
}

impl Inputs {
    /// Number of paths held side by side.
    #[doc(hidden)]
    #[inline]
    pub fn lanes(&self) -> usize {
        self.lanes
    }

    /// The value of a scalar input (lane 0).
    #[inline]
    pub fn scalar(&self, id: ParamId) -> f64 {
        self.values[id.offset() * self.lanes]
    }

    /// The value of a yearly input in year `t` (1-based; lane 0).
    #[inline]
    pub fn year(&self, id: ParamId, t: usize) -> f64 {
        self.values[(id.offset() + t - 1) * self.lanes]
    }

    /// A scalar input for every lane.
    #[doc(hidden)]
    #[inline]
    pub fn scalar_lanes(&self, id: ParamId) -> &[f64] {
        self.slot(id.offset())
    }

    /// A yearly input in year `t` (1-based) for every lane.
    #[doc(hidden)]
    #[inline]
    pub fn year_lanes(&self, id: ParamId, t: usize) -> &[f64] {
        self.slot(id.offset() + t - 1)
    }

    /// The slot at `offset` for every lane.
    #[doc(hidden)]
    #[inline]
    pub fn slot(&self, offset: usize) -> &[f64] {
        &self.values[offset * self.lanes..(offset + 1) * self.lanes]
    }

    /// Sets slot `offset` of lane `lane` (what a sampler writes).
    #[doc(hidden)]
    #[inline]
    pub fn set(&mut self, offset: usize, lane: usize, value: f64) {
        self.values[offset * self.lanes + lane] = value;
    }

    /// The same values repeated in `lanes` lanes (from lane 0).
    ///
    /// ```
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let wide = s.params().central_inputs().with_lanes(4);
    /// assert_eq!(wide.lanes(), 4);
    /// ```
    #[doc(hidden)]
    pub fn with_lanes(&self, lanes: usize) -> Inputs {
        let slots = self.values.len() / self.lanes;
        let mut values = Vec::with_capacity(slots * lanes);
        for slot in 0..slots {
            values.extend(std::iter::repeat_n(self.values[slot * self.lanes], lanes));
        }
        Inputs { lanes, values }
    }

    /// Applies [`ParamTable::shared_slots`] to one lane after its owned slots have been filled.
    #[doc(hidden)]
    #[inline]
    pub fn copy_shared(&mut self, pairs: &[(usize, usize)], lane: usize) {
        for &(dst, src) in pairs {
            self.values[dst * self.lanes + lane] = self.values[src * self.lanes + lane];
        }
    }
}
