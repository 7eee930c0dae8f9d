//! Options compared on common random numbers (docs/model.md section 11): each of a scenario's
//! `[[options]]`, and doing nothing, projected on the same drawn futures, so that the
//! differences come from the options and not from chance.

use crate::blocks::draw_block;
use dsg_core::options::OptionPackage;
use dsg_core::{
    FinancialYear, Inputs, MitigationSet, ParamId, Projection, Scenario, Series, Workspace, project,
};
use dsg_montecarlo::Settings;
use dsg_montecarlo::aggregate::{BLOCK, sorted_quantile};
use dsg_montecarlo::sampler::PathSampler;
use rayon::prelude::*;
use serde::Serialize;

use crate::error::AnalysisError;

/// Most paths an options run keeps (each path's outcomes are kept for exact quantiles).
pub const MAX_OPTION_PATHS: u64 = 1_000_000;

/// One option's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionResult {
    /// Its name ("No action" for the baseline).
    pub name: String,
    /// What it is.
    pub description: String,
    /// Mean cost over the projection: mitigation costs (DSG and general fund) and contributions,
    /// pounds. Savings are not costed (their cost is not in the scenario).
    pub cost: f64,
    /// Savings a year taken off spend, if any.
    pub savings: Option<f64>,
    /// Deficit (positive) at the override's end: median and P80 (a 1 in 5 chance of worse).
    pub deficit_at_override: Option<(f64, f64)>,
    /// Deficit at the horizon: median and P80.
    pub deficit_at_horizon: (f64, f64),
    /// Mean deficit at the horizon.
    pub mean_deficit_at_horizon: f64,
    /// Chance of an in-year balance (no in-year deficit) in each year or earlier.
    pub in_year_balance_by: Vec<(FinancialYear, f64)>,
    /// Chance the deficit exceeds usable reserves when the override ends (absent without
    /// reserves, or when the override ends outside the projection).
    pub exceeds_reserves: Option<f64>,
    /// Mean deficit avoided at the horizon, against doing nothing, per pound of cost (absent for
    /// doing nothing and for options without cost).
    pub avoided_per_pound: Option<f64>,
    /// Children waiting for an assessment when the override ends (else at the horizon), median;
    /// only with an assessment pipeline.
    pub children_waiting: Option<f64>,
    /// Share of plans issued within 20 weeks in that year, median; only with a pipeline.
    pub within_20_weeks: Option<f64>,
    /// Weeks from request to plan in that year, median; only with a pipeline.
    #[serde(default)]
    pub weeks_to_plan: Option<f64>,
    /// Children placed in independent schools for lack of a maintained place, added up over the
    /// forecast, median; only when a provision has a capacity.
    #[serde(default)]
    pub placed_for_lack_of_place: Option<f64>,
}

/// The options compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionsResult {
    /// The year the override ends (when projected).
    pub override_ends: Option<FinancialYear>,
    /// The last year.
    pub horizon: FinancialYear,
    /// Paths.
    pub paths: u64,
    /// Seed.
    pub seed: u64,
    /// Doing nothing first, then each option in the scenario's order.
    pub options: Vec<OptionResult>,
}

/// Per-path outcomes of one option.
#[derive(Default)]
struct Outcomes {
    at_override: Vec<f64>,
    at_horizon: Vec<f64>,
    cost: Vec<f64>,
    /// First year index (1-based) with an in-year balance, or `h + 1`.
    first_balanced: Vec<usize>,
    exceeds: Vec<bool>,
    /// Children waiting, the share on time and the weeks to a plan when the override ends
    /// (empty without a pipeline).
    waiting: Vec<f64>,
    on_time: Vec<f64>,
    weeks: Vec<f64>,
    /// Children placed for lack of a place over the forecast (empty without capacities).
    placed: Vec<f64>,
}

const RECORDED: [Series; 9] = [
    Series::Cumulative,
    Series::InYear,
    Series::UsableReserves,
    Series::SpendMitigations,
    Series::GeneralFundMitigationCosts,
    Series::ChildrenWaiting,
    Series::WithinTwentyWeeks,
    Series::WeeksToPlan,
    Series::PlacedForLackOfPlace,
];

/// Runs doing nothing and every option of `scenario` on the same futures: `settings.paths` of
/// them (at most [`MAX_OPTION_PATHS`]) drawn from `settings.seed`, on `settings.threads`
/// (`precision` must be `None`: every path is run).
///
/// ```
/// use dsg_montecarlo::Settings;
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/cambridgeshire.toml"))?;
/// let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml")?;
/// let r = dsg_analysis::options::compare_options(&s, &Settings { paths: 2_000, seed: 1, ..Settings::default() })?;
/// assert_eq!(r.options[0].name, "No action");
/// assert_eq!(r.options.len(), s.options().len() + 1);
/// assert_eq!((r.paths, r.seed), (2_000, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn compare_options(
    scenario: &Scenario,
    settings: &Settings,
) -> Result<OptionsResult, AnalysisError> {
    crate::goal::fixed_paths(settings, "comparing options")?;
    let Settings {
        paths,
        seed,
        threads,
        ..
    } = *settings;
    if paths > MAX_OPTION_PATHS {
        return Err(AnalysisError::Setting(format!(
            "options are compared on 1 to {MAX_OPTION_PATHS} paths (got {paths})"
        )));
    }
    let h = scenario.horizon();
    let nothing = OptionPackage {
        name: "No action".to_string(),
        description: "No mitigation, saving or extra contribution".to_string(),
        mitigations: Vec::new(),
        mitigation_names: Vec::new(),
        savings: None,
        contribution: None,
    };
    let packages: Vec<&OptionPackage> = std::iter::once(&nothing)
        .chain(scenario.options())
        .collect();
    let override_t = scenario
        .index_of(scenario.override_ends())
        .filter(|&t| t >= 1 && t <= h);
    let sampler = PathSampler::new(scenario)?;
    let pool = crate::blocks::pool(threads)?;
    let central = scenario.params().central_inputs();
    let lever_ids = [scenario.savings(), scenario.contributions()];
    let blocks = paths.div_ceil(BLOCK as u64) as usize;
    // Per block, per option, the block's outcomes.
    let per_block: Vec<Vec<Outcomes>> = pool.install(|| {
        (0..blocks)
            .into_par_iter()
            .map_init(
                || {
                    (
                        central.with_lanes(BLOCK),
                        Workspace::with_lanes(scenario, BLOCK),
                        Projection::recording(
                            scenario,
                            BLOCK,
                            &RECORDED
                                .into_iter()
                                .filter(|&x| scenario.has_series(x))
                                .collect::<Vec<_>>(),
                        ),
                        sampler.scratch(),
                        vec![0.0; 2 * h * BLOCK],
                    )
                },
                |(inputs, ws, out, scratch, base), b| {
                    let first = (b * BLOCK) as u64;
                    let last = (first + BLOCK as u64).min(paths);
                    let n = (last - first) as usize;
                    let lever_slots = lever_ids
                        .iter()
                        .flat_map(|id| (0..h).map(move |y| id.offset() + y));
                    draw_block(
                        &sampler,
                        scratch,
                        inputs,
                        &central,
                        lever_slots,
                        seed,
                        (first, last),
                    );
                    save_levers(inputs, &lever_ids, h, n, base);
                    packages
                        .iter()
                        .map(|p| {
                            set_levers(scenario, inputs, &lever_ids, p, n, base);
                            let set = p
                                .mitigations
                                .iter()
                                .fold(MitigationSet::none(), |set, &m| set.with(m));
                            project(scenario, inputs, set, ws, out);
                            outcomes(out, override_t, n, p, scenario)
                        })
                        .collect()
                },
            )
            .collect()
    });
    let options = (0..packages.len())
        .map(|i| {
            let mut all = Outcomes::default();
            for block in &per_block {
                all.append(&block[i]);
            }
            all
        })
        .collect::<Vec<_>>();
    let n = paths as f64;
    let nothing_mean = -options[0].at_horizon.iter().sum::<f64>() / n;
    Ok(OptionsResult {
        override_ends: override_t.map(|t| scenario.year(t)),
        horizon: scenario.year(h),
        paths,
        seed,
        options: packages
            .iter()
            .zip(&options)
            .map(|(p, o)| summarise(scenario, p, o, (n, override_t), nothing_mean))
            .collect(),
    })
}

impl Outcomes {
    /// Adds the outcomes of the next block of paths.
    fn append(&mut self, o: &Outcomes) {
        self.at_override.extend_from_slice(&o.at_override);
        self.at_horizon.extend_from_slice(&o.at_horizon);
        self.cost.extend_from_slice(&o.cost);
        self.first_balanced.extend_from_slice(&o.first_balanced);
        self.exceeds.extend_from_slice(&o.exceeds);
        self.waiting.extend_from_slice(&o.waiting);
        self.on_time.extend_from_slice(&o.on_time);
        self.weeks.extend_from_slice(&o.weeks);
        self.placed.extend_from_slice(&o.placed);
    }
}

/// One option's result from its outcomes on `n` paths (`override_t`: the override's last year,
/// when projected), against doing nothing's mean deficit `nothing_mean`.
fn summarise(
    scenario: &Scenario,
    p: &OptionPackage,
    o: &Outcomes,
    (n, override_t): (f64, Option<usize>),
    nothing_mean: f64,
) -> OptionResult {
    let h = scenario.horizon();
    let deficit = |v: &[f64]| -> (f64, f64) {
        let mut d: Vec<f64> = v.iter().map(|x| -x).collect();
        d.sort_by(f64::total_cmp);
        (sorted_quantile(&d, 0.5), sorted_quantile(&d, 0.8))
    };
    let mean_deficit = -o.at_horizon.iter().sum::<f64>() / n;
    let median = |v: &[f64]| -> Option<f64> {
        (!v.is_empty()).then(|| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            sorted_quantile(&v, 0.5)
        })
    };
    let cost = o.cost.iter().sum::<f64>() / n;
    OptionResult {
        name: p.name.clone(),
        description: p.description.clone(),
        cost,
        savings: p.savings.map(|s| s.amount),
        deficit_at_override: override_t.map(|_| deficit(&o.at_override)),
        deficit_at_horizon: deficit(&o.at_horizon),
        mean_deficit_at_horizon: mean_deficit,
        in_year_balance_by: (1..=h)
            .map(|t| {
                let k = o.first_balanced.iter().filter(|&&f| f <= t).count();
                (scenario.year(t), k as f64 / n)
            })
            .collect(),
        exceeds_reserves: (scenario.compares_reserves() && override_t.is_some())
            .then(|| o.exceeds.iter().filter(|&&e| e).count() as f64 / n),
        avoided_per_pound: (cost > 0.0 && !p.name.eq("No action"))
            .then(|| (nothing_mean - mean_deficit) / cost),
        children_waiting: median(&o.waiting),
        within_20_weeks: median(&o.on_time),
        weeks_to_plan: median(&o.weeks),
        placed_for_lack_of_place: median(&o.placed),
    }
}

/// Keeps the drawn values of the lever slots (savings, contributions) of `n` lanes.
fn save_levers(inputs: &Inputs, ids: &[ParamId; 2], h: usize, n: usize, base: &mut [f64]) {
    for (k, id) in ids.iter().enumerate() {
        for t in 1..=h {
            let at = (k * h + t - 1) * BLOCK;
            base[at..at + n].copy_from_slice(&inputs.year_lanes(*id, t)[..n]);
        }
    }
}

/// The lever slots as `p` sets them: the drawn values plus its amounts from its years.
fn set_levers(
    s: &Scenario,
    inputs: &mut Inputs,
    ids: &[ParamId; 2],
    p: &OptionPackage,
    n: usize,
    base: &[f64],
) {
    let h = s.horizon();
    for (k, (id, lever)) in ids.iter().zip([p.savings, p.contribution]).enumerate() {
        for t in 1..=h {
            let extra = lever
                .filter(|l| s.year(t) >= l.from)
                .map_or(0.0, |l| l.amount);
            let at = (k * h + t - 1) * BLOCK;
            for lane in 0..n {
                inputs.set(id.offset() + t - 1, lane, base[at + lane] + extra);
            }
        }
    }
}

/// The outcomes of `n` lanes of a projection of option `p`.
fn outcomes(
    out: &Projection,
    override_t: Option<usize>,
    n: usize,
    p: &OptionPackage,
    s: &Scenario,
) -> Outcomes {
    let h = out.horizon();
    let mut o = Outcomes {
        at_override: override_t.map_or_else(Vec::new, |t| {
            out.lanes_of(Series::Cumulative, t)[..n].to_vec()
        }),
        at_horizon: out.lanes_of(Series::Cumulative, h)[..n].to_vec(),
        cost: vec![0.0; n],
        first_balanced: vec![h + 1; n],
        exceeds: Vec::new(),
        waiting: Vec::new(),
        on_time: Vec::new(),
        weeks: Vec::new(),
        placed: Vec::new(),
    };
    if s.has_series(Series::ChildrenWaiting) {
        // When the override ends, where most options act on children (else the last year).
        let t = override_t.unwrap_or(h);
        o.waiting = out.lanes_of(Series::ChildrenWaiting, t)[..n].to_vec();
        o.on_time = out.lanes_of(Series::WithinTwentyWeeks, t)[..n].to_vec();
        o.weeks = out.lanes_of(Series::WeeksToPlan, t)[..n].to_vec();
    }
    if s.has_series(Series::PlacedForLackOfPlace) {
        o.placed = vec![0.0; n];
        for t in 1..=h {
            let placed = &out.lanes_of(Series::PlacedForLackOfPlace, t)[..n];
            o.placed.iter_mut().zip(placed).for_each(|(a, &x)| *a += x);
        }
    }
    for t in 1..=h {
        let dsg = &out.lanes_of(Series::SpendMitigations, t)[..n];
        let gf = &out.lanes_of(Series::GeneralFundMitigationCosts, t)[..n];
        let contribution = p
            .contribution
            .filter(|c| s.year(t) >= c.from)
            .map_or(0.0, |c| c.amount);
        let in_year = &out.lanes_of(Series::InYear, t)[..n];
        for l in 0..n {
            o.cost[l] += dsg[l] + gf[l] + contribution;
            if in_year[l] >= 0.0 && o.first_balanced[l] > h {
                o.first_balanced[l] = t;
            }
        }
    }
    if let Some(t) = override_t {
        let b = &out.lanes_of(Series::Cumulative, t)[..n];
        let r = &out.lanes_of(Series::UsableReserves, t)[..n];
        o.exceeds = b.iter().zip(r).map(|(&b, &r)| -b > r).collect();
    }
    o
}
