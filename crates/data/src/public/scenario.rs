//! A council's figures written as a scenario file (`dsg init --la`, issue 25): every number
//! commented with its source, and what is not the council's own marked ESTIMATE or ILLUSTRATIVE.

use std::fmt::Write as _;

use super::ages::AGE_BAND_NAMES;
use super::council::CouncilFigures;
use super::figures::Placement;
use crate::escape::{toml_comment, toml_string};

/// The policy set a new scenario runs under: the newest (docs/policy.md).
pub const CURRENT_POLICY: &str = dsg_core::policy::DEFAULT_POLICY;

/// The projection's length, in years, of a scenario written from a council's figures.
pub const HORIZON_YEARS: u32 = 10;

/// What the user gives beside the council: its balance and reserves, which are not published per
/// council, and the command line to record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScenarioSettings {
    /// The cumulative DSG balance at the end of the base year (negative = deficit), if known.
    pub opening_balance: Option<f64>,
    /// Usable general-fund reserves, if known.
    pub reserves: Option<f64>,
    /// The command that wrote the file, for its header.
    pub command: String,
    /// The program's version, for its header.
    pub version: String,
}

/// The scenario text for `figures`.
///
/// ```
/// use dsg_data::public::{CouncilFigures, Panel, ScenarioSettings, scenario_toml};
/// let panel = Panel::shipped()?;
/// let figures = CouncilFigures::from_panel(panel, panel.find_area("Cambridgeshire")?, None)?;
/// let text = scenario_toml(&figures, &ScenarioSettings::default());
/// assert!(text.contains("base_year = \"2024-25\""));
/// # Ok::<(), dsg_data::DataError>(())
/// ```
pub fn scenario_toml(figures: &CouncilFigures, settings: &ScenarioSettings) -> String {
    let mut t = String::new();
    header(&mut t, figures, settings);
    demand(&mut t, figures);
    for p in &figures.placements {
        provision(&mut t, p);
    }
    funding(&mut t, figures);
    balances(&mut t, figures, settings);
    assessments(&mut t, figures);
    t
}

/// `[ages]` for `figures` (docs/model.md section 14), to append to [`scenario_toml`]'s text:
/// `dsg init --la` writes it; the national run's councils have no ages (their run time and
/// results stay those of the aggregate model).
///
/// ```
/// use dsg_data::public::{CouncilFigures, Panel, ScenarioSettings, ages_toml, scenario_toml};
/// let panel = Panel::shipped()?;
/// let figures = CouncilFigures::from_panel(panel, panel.find_area("Cambridgeshire")?, None)?;
/// let text = scenario_toml(&figures, &ScenarioSettings::default()) + &ages_toml(&figures);
/// let s = dsg_core::Scenario::from_toml_str(&text, "cambridgeshire.toml").unwrap();
/// assert_eq!(s.ages().unwrap().len(), 5);
/// # Ok::<(), dsg_data::DataError>(())
/// ```
pub fn ages_toml(figures: &CouncilFigures) -> String {
    let mut t = String::new();
    ages(&mut t, figures);
    t
}

/// The largest net leaving rate, either way, a scenario accepts for a band.
const MAX_NET_RATE: f64 = 5.0;

/// `[ages]`: the council's plans by the management plan's five age bands (docs/model.md section
/// 14, with the fit). Post-16 further education takes its plans from 16-19 and
/// 20-25 in their proportion; every other provision has the rest of the council's age mix.
fn ages(t: &mut String, f: &CouncilFigures) {
    let Some(a) = &f.ages else {
        let _ = writeln!(
            t,
            "\n# No plans by age band are published for {}: the scenario has no ages.",
            toml_comment(&f.area.name)
        );
        return;
    };
    let list = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{x}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        t,
        "\n[ages]\n\
         # Plans by the DSG management plan's age bands at January {} ({}): {}.\n\
         # Each year a band keeps 1 - 1/width of its plans and takes 1/width of the band below; a\n\
         # sixth of 20-25 leaves at 26 (docs/model.md section 14).",
        a.year,
        toml_comment(&a.source),
        list(&a.counts)
    );
    let _ = writeln!(
        t,
        "bands = [{}]",
        AGE_BAND_NAMES
            .iter()
            .map(|b| format!("\"{b}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let post16: f64 = f
        .placements
        .iter()
        .filter(|p| p.name == "post16")
        .map(|p| p.caseload.value)
        .sum();
    let scale = f.caseload.value / a.counts.iter().sum::<f64>();
    let c: Vec<f64> = a.counts.iter().map(|x| x * scale).collect();
    let older = c[3] + c[4];
    let fe = if older > 0.0 {
        [0.0, 0.0, 0.0, post16 * c[3] / older, post16 * c[4] / older]
    } else {
        [0.0, 0.0, 0.0, post16 / 2.0, post16 / 2.0]
    };
    let rest: Vec<f64> = (0..5).map(|k| round1((c[k] - fe[k]).max(0.0))).collect();
    let rest = if rest.iter().sum::<f64>() > 0.0 {
        rest
    } else {
        vec![1.0; 5]
    };
    for p in &f.placements {
        let mix: Vec<f64> = if p.name == "post16" {
            fe.iter().map(|x| round1(*x)).collect()
        } else {
            rest.clone()
        };
        let mix = if mix.iter().sum::<f64>() > 0.0 {
            mix
        } else {
            vec![0.0, 0.0, 0.0, 1.0, 1.0]
        };
        let _ = writeln!(
            t,
            "[[ages.provisions]]\nname = \"{}\"\ncaseload = [{}]",
            p.name,
            list(&mix)
        );
    }
    transfers_at_16(t, f, fe[3] / c[3], &rest);
    let Some(r) = a.leaving else {
        let _ = writeln!(
            t,
            "# A band has no plans: no leaving rates by band (ageing alone)."
        );
        return;
    };
    let _ = writeln!(
        t,
        "# Net leaving rate of each band, every provision: what leaves the band beyond ageing, new\n\
         # plans taken off (negative: more new plans than leavers), set so that each band keeps\n\
         # exactly its January {} count (kept + aged in - leaving = its count): the bands hold\n\
         # their published shares and the growth above alone sets the total (docs/model.md\n\
         # section 14). A rate is at most 1.5 - 1/width, so that the band keeps at least -1/2 of\n\
         # its own plans (steadier after a shock); a band at that bound settles above its count.\n\
         # Held shares forecast the bands better than rates fitted from past years\n\
         # (docs/forecast-evaluation.md, \"By age band\"); a band's range is only as wide as the\n\
         # total's, too narrow.",
        a.year
    );
    for (band, rate) in AGE_BAND_NAMES.iter().zip(r) {
        let _ = writeln!(
            t,
            "[[ages.leavers]]\nprovision = \"all\"\nband = \"{band}\"\nleaver_rate = {}",
            written_rate(rate)
        );
    }
}

/// The move from school to further education at 16: from every provision with plans aged 11-15,
/// the share of those reaching 16 that post-16 further education holds of the council's 16-19
/// plans, so that its share of them stays as published (plans by age are not published by
/// placement, so this is the one rate the data fix).
fn transfers_at_16(t: &mut String, f: &CouncilFigures, fe_share: f64, rest: &[f64]) {
    let has_post16 = f.placements.iter().any(|p| p.name == "post16");
    if !has_post16 || !fe_share.is_finite() || fe_share <= 0.0 || rest[2] <= 0.0 {
        return;
    }
    let rate = round4(fe_share.min(1.0));
    let _ = writeln!(
        t,
        "# At 16, the share of those reaching 16 in school who move to further education: post-16\n\
         # further education's share of the council's 16-19 plans ({:.0}%), which keeps it steady.",
        fe_share * 100.0
    );
    for p in f.placements.iter().filter(|p| p.name != "post16") {
        let _ = writeln!(
            t,
            "[[ages.transfers]]\nfrom = \"{}\"\nto = \"post16\"\nat = 16\nrate = {rate}",
            p.name
        );
    }
}

/// A band's net leaving rate as `[ages]` writes it: within the range a scenario accepts, to 4
/// decimals (the rate the product runs with, and the one the backtest by age band projects with).
pub(crate) fn written_rate(rate: f64) -> f64 {
    round4(rate.clamp(-MAX_NET_RATE, MAX_NET_RATE))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn header(t: &mut String, f: &CouncilFigures, s: &ScenarioSettings) {
    let area = &f.area;
    let _ = writeln!(
        t,
        "# Written by `{}` (dsg {}) from the public data built into dsg\n\
         # (data/public/panel.csv: DfE, 'Education, health and care plans', and ESFA figures where\n\
         # imported; Open Government Licence v3.0). Each figure names its file, table and year.\n\
         # Figures marked ESTIMATE or ILLUSTRATIVE are not the council's own: replace them with its\n\
         # figures before a forecast is relied on. Money is in pounds; rates are fractions.",
        toml_comment(&s.command),
        toml_comment(&s.version)
    );
    for note in &f.notes {
        let _ = writeln!(t, "# NOTE: {}", toml_comment(note));
    }
    let _ = writeln!(t, "\n[scenario]");
    let _ = writeln!(
        t,
        "name = {}",
        toml_string(&format!(
            "{}: from its published figures to January {}",
            area.name, f.as_at
        ))
    );
    let _ = writeln!(
        t,
        "authority = {}",
        toml_string(&format!(
            "{} (ONS {}, DfE {})",
            area.name, area.code, area.dfe_code
        ))
    );
    let _ = writeln!(
        t,
        "# Its ONS code: the committee report shows the growth model's track record there.\narea_code = {}",
        toml_string(&area.code)
    );
    let _ = writeln!(
        t,
        "description = {}",
        toml_string(&format!(
            "High-needs forecast for {} from its published plans ({} at January {}), their growth and its assessment figures; unit costs national where the council's are not published.",
            area.name, f.caseload.value, f.as_at
        ))
    );
    let _ = writeln!(
        t,
        "base_year = \"{}\"          # opening values are at 31 March {} (plans: the January {} count)",
        f.base_year(),
        f.as_at,
        f.as_at
    );
    let _ = writeln!(t, "horizon_years = {HORIZON_YEARS}");
    let _ = writeln!(
        t,
        "policy = \"{CURRENT_POLICY}\"     # the national policy set in force (docs/policy.md)"
    );
    let _ = writeln!(t, "sources = [");
    let _ = writeln!(
        t,
        "  \"DfE, 'Education, health and care plans' (explore-education-statistics), 2022 and 2025 releases: plans at January by placement, requests, new plans, timeliness\","
    );
    if f.allocation_published {
        let _ = writeln!(
            t,
            "  \"ESFA, 'Dedicated schools grant (DSG): allocations'\","
        );
    }
    let _ = writeln!(
        t,
        "  \"DfE written answers on per-pupil costs: special ~£26k (2023-24), independent and non-maintained special ~£64k (2024-25)\","
    );
    let _ = writeln!(t, "]");
}

fn demand(t: &mut String, f: &CouncilFigures) {
    let g = &f.growth;
    let pct = |x: f64| format!("{:.1}%", 100.0 * x.exp_m1());
    let _ = writeln!(
        t,
        "\n[demand]\n\
         # Growth of all plans: the pooled growth model (docs/forecast-evaluation.md), fitted on every\n\
         # council's published counts to January {} (data/public/panel.csv). The {} councils' growth,\n\
         # recent years weighted more: {} a year; {}'s own deviation from it, shrunk {:.0}% of the way\n\
         # towards the panel: {:+.1} points a year now, fading by a fifth a year. Drawn as log growth\n\
         # normal: its mean once a path (mean {}, sd {:.4}: the uncertainty of the level), then each\n\
         # year (sd {:.4}); its P10 and P90 are the model's at one and three years ahead. The model's\n\
         # 80% ranges held 82% of 4,059 outcomes from origins 2014-2022, 81% from 2017-2022 (`dsg\n\
         # backtest --panel`). Every provision grows at it.",
        f.as_at,
        g.councils,
        pct(g.national),
        toml_comment(&f.area.name),
        100.0 * (1.0 - g.council.shrinkage),
        100.0 * g.council.deviation,
        pct(g.scenario.mean),
        g.scenario.path_sd,
        g.scenario.yearly_sd
    );
    let _ = writeln!(t, "growth = {}", g.scenario.scenario_value());
    let _ = writeln!(
        t,
        "\n[cost]\n# ILLUSTRATIVE: pay and price inflation on unit costs, mean 2% (the inflation target), sd 1 point.\n\
         inflation = {{ dist = \"normal\", mean = 0.02, sd = 0.01, per = \"year\" }}"
    );
}

fn provision(t: &mut String, p: &Placement) {
    let _ = writeln!(t, "\n[[provisions]]");
    if p.caseload.value <= 0.0 {
        let _ = writeln!(
            t,
            "# No plans in this category at the count ({}).",
            toml_comment(&p.caseload.source)
        );
    }
    let _ = writeln!(t, "name = \"{}\"", p.name);
    let _ = writeln!(t, "label = {}", toml_string(p.label));
    let _ = writeln!(t, "# {}", toml_comment(&p.caseload.source));
    let _ = writeln!(t, "caseload = {}", p.caseload.value);
    let source = &p.unit_cost.source;
    let marked = if source.starts_with("national") || source.starts_with("the council's own") {
        source.clone()
    } else {
        let rest = source.strip_prefix("illustrative: ").unwrap_or(source);
        format!("ILLUSTRATIVE: {rest}")
    };
    let _ = writeln!(t, "# {}", toml_comment(&marked));
    let _ = writeln!(t, "unit_cost = {}", p.unit_cost.value);
}

fn funding(t: &mut String, f: &CouncilFigures) {
    let _ = writeln!(
        t,
        "\n[funding]\n# High-needs allocation {}: {}",
        f.base_year(),
        toml_comment(&f.allocation.source)
    );
    let _ = writeln!(t, "allocation = {}", f.allocation.value);
    let g = &f.funding_growth;
    let own = if g.own_years == 0 {
        "it has no allocations of its own in the panel: no deviation of its own".to_string()
    } else {
        format!(
            "its own allocations grew {:+.1} points a year against the councils' mean over {} years,\n# shrunk {:.0}% of the way to 0 (the councils' spread against the years' noise): {:+.1} points",
            100.0 * g.deviation / g.shrinkage.max(1e-12),
            g.own_years,
            100.0 * (1.0 - g.shrinkage),
            100.0 * g.deviation
        )
    };
    let _ = writeln!(
        t,
        "# Yearly growth after the years the policy set fixes (fitted from the ESFA allocations): the\n\
         # national high-needs allocations grew {:.1}% a year from {}-{:02} to {}-{:02} (sd {:.1} points);\n\
         # {}.\n\
         # The level is drawn once a path (sd {:.1} points: the standard error of the national mean, a\n\
         # run of generous or lean settlements), then each year's growth about it (sd {:.1} points).\n\
         growth = {{ dist = \"normal\", mean = {{ dist = \"normal\", mean = {}, sd = {} }}, sd = {}, per = \"year\" }}",
        100.0 * g.national,
        g.years.0,
        (g.years.0 + 1) % 100,
        g.years.1,
        (g.years.1 + 1) % 100,
        100.0 * g.yearly_sd,
        own,
        100.0 * g.level_sd,
        100.0 * g.yearly_sd,
        round4(g.mean()),
        round4(g.level_sd),
        round4(g.yearly_sd)
    );
}

fn balances(t: &mut String, f: &CouncilFigures, s: &ScenarioSettings) {
    let _ = writeln!(t, "\n[dsg]");
    match s.opening_balance {
        Some(b) => {
            let _ = writeln!(
                t,
                "# Cumulative DSG balance at 31 March {} (negative = deficit): given with --opening-balance.\nopening_balance = {b}",
                f.as_at
            );
        }
        None => {
            let _ = writeln!(
                t,
                "# NOT PUBLISHED per council: the cumulative DSG balance at 31 March {}. Set to 0 here, so\n\
                 # the cumulative balance in the outputs is only what builds up after the base year, not the\n\
                 # council's deficit: read the in-year gap, or give the balance (`dsg init --la ... --opening-balance -60m`).\n\
                 # `opening_balance_known = false` makes every output say so; remove it when you set the balance.\n\
                 opening_balance = 0\nopening_balance_known = false",
                f.as_at
            );
        }
    }
    let _ = writeln!(
        t,
        "\n[write_off]\n# The policy set's write-off: 90% of the high-needs deficit at 31 March 2026, if the DfE approves\n\
         # the council's local SEND reform plan. ILLUSTRATIVE chance of approval: the national scenario's\n\
         # 0.8 (scenarios/england.toml); set the council's own view.\nprobability = 0.8"
    );
    if let Some(r) = s.reserves {
        let _ = writeln!(
            t,
            "\n[general_fund]\n# Usable general-fund reserves: given with --reserves.\nusable_reserves = {r}"
        );
    }
}

/// Case officers' yearly completions a calibrated pipeline assumes (ILLUSTRATIVE: the county
/// scenario's most likely 45); the officers are then the capacity over it.
const ASSESSMENTS_PER_OFFICER: f64 = 45.0;

fn assessments(t: &mut String, f: &CouncilFigures) {
    let (Some(c), Some(r), Some(p), Some(s)) =
        (&f.pipeline, &f.requests, &f.new_plans, &f.within_20_weeks)
    else {
        return;
    };
    // To a tenth of an FTE, at least a tenth (the Isles of Scilly have a handful of requests).
    let officers = ((c.capacity / ASSESSMENTS_PER_OFFICER * 10.0).round() / 10.0).max(0.1);
    let per_officer = c
        .assessments_per_officer(officers)
        .unwrap_or(ASSESSMENTS_PER_OFFICER);
    let best = f
        .best_within_20_weeks
        .as_ref()
        .map_or("the base year's own share".to_string(), |b| {
            b.source.clone()
        });
    let _ = writeln!(
        t,
        "\n[assessments]\n\
         # The statutory assessment pipeline (docs/model.md section 9), calibrated so that its base year\n\
         # reproduces the council's published figures for calendar {}:\n\
         #   requests {} ({})\n\
         #   new plans {} ({})\n\
         #   issued within 20 weeks {:.1}% ({})\n\
         # The backlog that stays level with those figures is {:.1} weeks of waiting: {:.0} children.\n\
         # Every request is taken as agreed for assessment (the agreed share is not published per\n\
         # council), so plan_share is new plans over requests. Case officers are held at the number\n\
         # that completes the base year's assessments at an ILLUSTRATIVE 45 a year: as requests grow,\n\
         # the backlog grows unless officers are added.",
        f.as_at - 1,
        r.value,
        toml_comment(&r.source),
        p.value,
        toml_comment(&p.source),
        100.0 * s.value,
        toml_comment(&s.source),
        c.backlog_weeks,
        c.opening_backlog
    );
    let _ = writeln!(t, "requests = {}", round4(c.requests));
    let _ = writeln!(t, "plan_share = {}", c.plan_share);
    let _ = writeln!(t, "opening_backlog = {}", c.opening_backlog);
    let _ = writeln!(
        t,
        "minimum_weeks = {}            # ILLUSTRATIVE: the statutory steps cannot be done much faster",
        c.minimum_weeks
    );
    let _ = writeln!(
        t,
        "# The share within 20 weeks with no backlog at all: {}.\nmax_within_20_weeks = {}",
        toml_comment(&best),
        c.max_within_20_weeks
    );
    let _ = writeln!(t, "case_officers = {officers}");
    let _ = writeln!(t, "assessments_per_officer = {per_officer}");
}

/// Rounds to 4 decimals for a scenario file.
fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}
