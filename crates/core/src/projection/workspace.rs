//! Scratch space of the projection, sized once and reused from call to call.

use crate::scenario::Scenario;

/// Scratch space for [`project`](super::project), sized once for a scenario and a number of lanes
/// and reused: lanes machinery of the Monte Carlo engine, which library users need not touch
/// ([`Forecast`](super::Forecast) makes its own).
/// Per-lane arrays are laid out `[item][lane]`.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Workspace {
    pub(super) lanes: usize,
    pub(super) previous: Vec<f64>,
    pub(super) caseload: Vec<f64>,
    pub(super) unit_cost: Vec<f64>,
    pub(super) growth_cut: Vec<f64>,
    pub(super) saving: Vec<f64>,
    pub(super) extra_places: Vec<f64>,
    pub(super) shift: Vec<f64>,
    pub(super) lines: Vec<f64>,
    pub(super) income: Vec<f64>,
    pub(super) block_funding: Vec<f64>,
    pub(super) block_spend: Vec<f64>,
    pub(super) pending: Vec<bool>,
    /// Per provision: whether an active mitigation cuts its own growth / saves on its unit cost.
    pub(super) cut_one: Vec<bool>,
    pub(super) saving_one: Vec<bool>,
    /// Growth factors `1 + g - cut` of the year, `[provision][lane]`; a provision sharing its
    /// growth input (and no cut of its own) with an earlier one uses that one's row.
    pub(super) factors: Vec<f64>,
    /// Per provision: the row of `factors` holding its growth factor (its own, or that of the
    /// first provision with the same growth input and no cut of its own).
    pub(super) factor_row: Vec<usize>,
    /// Plans by provision and age band, `[provision][band][lane]` (docs/model.md section 14);
    /// empty without ages.
    pub(super) bands: Vec<f64>,
    /// The children who reached each band in the year (aged in from the band below),
    /// `[provision][band][lane]`; empty without ages.
    pub(super) aged_in: Vec<f64>,
    /// Each provision's caseload as its bands add up to, before movers, placement shifts and
    /// capacity, `[provision][lane]`; empty without ages.
    pub(super) band_sums: Vec<f64>,
    pub(super) lane: LaneState,
}

/// One value per lane for each running total of the projection.
#[derive(Debug, Clone)]
pub(super) struct LaneState {
    pub(super) joiners: Vec<f64>,
    pub(super) allocation: Vec<f64>,
    pub(super) schools_block: Vec<f64>,
    /// The high-needs block's cumulative balance B_HN (docs/model.md section 5).
    pub(super) balance: Vec<f64>,
    /// The other blocks' cumulative balance B_other; the DSG's is `balance + balance_other`.
    pub(super) balance_other: Vec<f64>,
    /// The DSG cumulative balance at the end of the base year, B[0].
    pub(super) opening: Vec<f64>,
    /// The year's high-needs in-year balance I_HN (the DSG's less the other blocks').
    pub(super) in_year_hn: Vec<f64>,
    /// B_HN at the end of the write-off's measured year, once that year is projected.
    pub(super) measured: Vec<f64>,
    pub(super) deferred: Vec<f64>,
    pub(super) growth_cut_all: Vec<f64>,
    pub(super) saving_all: Vec<f64>,
    /// `1 + inflation` of the year.
    pub(super) inflation: Vec<f64>,
    /// `max(0, 1 - saving)` of the provision being costed.
    pub(super) keep: Vec<f64>,
    /// Requests for an assessment in the year, R[t] (docs/model.md section 9).
    pub(super) requests: Vec<f64>,
    /// Open assessments at the end of the year, Q[t].
    pub(super) backlog: Vec<f64>,
    /// Case officers added by staffing mitigations in the year (FTE).
    pub(super) extra_officers: Vec<f64>,
    /// Points added to the share within 20 weeks with no backlog by process mitigations in the
    /// year (docs/model.md section 9).
    pub(super) process_lift: Vec<f64>,
    /// Ages (docs/model.md section 14): each lane's `caseload / sum of bands` of the provision
    /// being reconciled, and what its bands below the oldest hold (before that, the share of
    /// the children reaching a transfer age whose plans the reform ends).
    pub(super) band_ratio: Vec<f64>,
    pub(super) band_placed: Vec<f64>,
}

impl Workspace {
    /// Scratch space for one path of `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        Workspace::with_lanes(scenario, 1)
    }

    /// Scratch space for `lanes` paths of `scenario` side by side.
    pub fn with_lanes(scenario: &Scenario, lanes: usize) -> Self {
        let p = scenario.provisions.len() * lanes;
        let v = |items: usize| vec![0.0; items * lanes];
        let l = || vec![0.0; lanes];
        Workspace {
            lanes,
            previous: vec![0.0; p],
            caseload: vec![0.0; p],
            unit_cost: vec![0.0; p],
            growth_cut: vec![0.0; p],
            saving: vec![0.0; p],
            extra_places: vec![0.0; p],
            shift: v(scenario.mitigations.len()),
            lines: v(scenario.other_lines.len()),
            income: v(scenario.other_income.len()),
            block_funding: v(scenario.other_blocks.len()),
            block_spend: v(scenario.other_blocks.len()),
            pending: vec![
                false;
                scenario
                    .safety_valve
                    .as_ref()
                    .map_or(0, |sv| sv.instalments.len())
                    * lanes
            ],
            cut_one: vec![false; scenario.provisions.len()],
            saving_one: vec![false; scenario.provisions.len()],
            factors: vec![0.0; p],
            factor_row: (0..scenario.provisions.len()).collect(),
            bands: vec![0.0; p * scenario.ages().map_or(0, |a| a.len())],
            aged_in: vec![0.0; p * scenario.ages().map_or(0, |a| a.len())],
            band_sums: vec![0.0; if scenario.ages().is_some() { p } else { 0 }],
            lane: LaneState {
                joiners: l(),
                allocation: l(),
                schools_block: l(),
                balance: l(),
                balance_other: l(),
                opening: l(),
                in_year_hn: l(),
                measured: l(),
                deferred: l(),
                growth_cut_all: l(),
                saving_all: l(),
                inflation: l(),
                keep: l(),
                requests: l(),
                backlog: l(),
                extra_officers: l(),
                process_lift: l(),
                band_ratio: l(),
                band_placed: l(),
            },
        }
    }
}
