//! A council's own published figures, gathered for a scenario (`dsg init --la`, issue 25): its
//! plans by the DSG management plan's placement categories, the growth of its plans, its
//! assessment pipeline and its high-needs allocation, each with the file, table and year it
//! came from. [`crate::public::scenario_toml`] writes them as a scenario.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use super::Value;
use super::areas::{Area, Level};
use super::assessment;
use super::costs::{self, national_unit_cost};
use super::figures::{Placement, Sourced};
use super::panel::{Panel, PanelRow};
use crate::DataError;
use crate::growth::{CouncilFit, PooledFit, PooledSettings, ScenarioGrowth};
use dsg_core::projection::PipelineCalibration;

/// A council's figures for a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct CouncilFigures {
    /// The council.
    pub area: Area,
    /// The January whose count the scenario opens from (2025: January 2025).
    pub as_at: i32,
    /// All plans at that January.
    pub caseload: Sourced,
    /// Plans by placement category; they add up to `caseload`.
    pub placements: Vec<Placement>,
    /// The growth of all plans: the pooled model (`dsg_data::growth`) fitted on every council's
    /// published counts to `as_at`, this council's part of it, and the scenario input matching it.
    pub growth: PooledGrowth,
    /// Requests for an assessment in the calendar year before `as_at`.
    pub requests: Option<Sourced>,
    /// New plans in that year.
    pub new_plans: Option<Sourced>,
    /// The share of plans issued within 20 weeks in that year (a fraction).
    pub within_20_weeks: Option<Sourced>,
    /// The best share within 20 weeks the council has published since 2014 (a fraction).
    pub best_within_20_weeks: Option<Sourced>,
    /// The assessment pipeline calibrated so that the base year reproduces the published
    /// requests, new plans and share within 20 weeks (none without all three).
    pub pipeline: Option<PipelineCalibration>,
    /// The high-needs allocation of the base year (the financial year ending in March of `as_at`).
    pub allocation: Sourced,
    /// Whether the allocation is the council's own (ESFA) figure, not an estimate.
    pub allocation_published: bool,
    /// The growth of its funding after the years the policy set fixes.
    pub funding_growth: super::FundingGrowth,
    /// Plans by the management plan's age bands and the net leaving rates fitted from them
    /// (docs/model.md section 14), when the council's bands are published.
    pub ages: Option<super::AgeFigures>,
    /// Things the user should know: figures estimated, short histories, missing values.
    pub notes: Vec<String>,
}

/// The seven categories: (name, label, series added, series taken off).
const CATEGORIES: [(&str, &str, &[&str], &[&str]); 7] = [
    (
        "mainstream",
        "Mainstream schools",
        &[
            "caseload.mainstream_la_maintained",
            "caseload.mainstream_academy",
            "caseload.mainstream_free_school",
            "caseload.mainstream_independent",
        ],
        &[],
    ),
    (
        "resourced_provision",
        "Resourced provision and SEN units",
        &["caseload.mainstream"],
        &[
            "caseload.mainstream_la_maintained",
            "caseload.mainstream_academy",
            "caseload.mainstream_free_school",
            "caseload.mainstream_independent",
        ],
    ),
    (
        "special",
        "Maintained special schools and special academies",
        &[
            "caseload.special_la_maintained",
            "caseload.special_academy_free",
        ],
        &[],
    ),
    (
        "independent_special",
        "Independent and non-maintained special schools",
        &[
            "caseload.special_independent",
            "caseload.special_non_maintained",
        ],
        &[],
    ),
    (
        "alternative_provision",
        "Hospital schools, alternative provision and PRUs",
        &["caseload.ap_pru"],
        &[],
    ),
    ("post16", "Post-16 further education", &["caseload.fe"], &[]),
    (
        "other",
        "Other (early years, elsewhere, awaiting provision)",
        &["caseload"],
        &[
            "caseload.mainstream",
            "caseload.special",
            "caseload.ap_pru",
            "caseload.fe",
        ],
    ),
];

impl CouncilFigures {
    /// Gathers `area`'s figures from `panel`, opening at January `as_at` (the latest January the
    /// council has a count for when `None`).
    ///
    /// # Errors
    /// [`DataError::Invalid`] for an area that is not a local authority, has no count at
    /// `as_at` (an area that ended names its successors), or whose placements are not published
    /// that year; [`DataError::TooShort`] for a history too short to fit a growth.
    ///
    /// ```
    /// use dsg_data::public::{CouncilFigures, Panel};
    /// let panel = Panel::shipped()?;
    /// let area = panel.find_area("Cambridgeshire")?;
    /// let figures = CouncilFigures::from_panel(panel, area, None)?;
    /// let total: f64 = figures.placements.iter().map(|p| p.caseload.value).sum();
    /// assert_eq!(total, figures.caseload.value);
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn from_panel(
        panel: &Panel,
        area: &Area,
        as_at: Option<i32>,
    ) -> Result<CouncilFigures, DataError> {
        Self::from_fits(&mut PooledFits::new(panel), area, as_at)
    }

    /// [`CouncilFigures::from_panel`] for many councils of one panel: the pooled growth model
    /// is fitted once for each January in `fits` (what a national run of every council does).
    ///
    /// # Errors
    /// As [`CouncilFigures::from_panel`].
    ///
    /// ```
    /// use dsg_data::public::{CouncilFigures, Panel, PooledFits};
    /// let panel = Panel::shipped()?;
    /// let mut fits = PooledFits::new(panel);
    /// for name in ["Cambridgeshire", "Norfolk"] {
    ///     let area = panel.find_area(name)?;
    ///     let shared = CouncilFigures::from_fits(&mut fits, area, None)?;
    ///     assert_eq!(shared, CouncilFigures::from_panel(panel, area, None)?);
    /// }
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn from_fits(
        fits: &mut PooledFits<'_>,
        area: &Area,
        as_at: Option<i32>,
    ) -> Result<CouncilFigures, DataError> {
        let panel = fits.panel;
        let invalid = |message: String| DataError::Invalid {
            file: "the public data panel".to_string(),
            row: None,
            message,
        };
        if area.level != Level::La {
            return Err(invalid(format!(
                "{} is not a local authority: `init --la` starts a council's scenario (scenarios/england.toml is the national one)",
                area.name
            )));
        }
        // The council's own rows (and England's), gathered once: every look-up below but the
        // pooled growth's is over them, not over the whole panel.
        let own = Panel {
            rows: panel
                .rows
                .iter()
                .filter(|r| r.area.code == area.code || r.area.level == Level::National)
                .cloned()
                .collect(),
        };
        let (whole, panel) = (panel, &own);
        let counts = panel.series(&area.code, "caseload");
        let latest = counts
            .iter()
            .rev()
            .find(|(_, v)| v.number().is_some())
            .map(|(y, _)| *y);
        let successors = panel.successors(&area.code);
        if as_at.is_none() && !successors.is_empty() {
            let names: Vec<&str> = successors.iter().map(|s| s.2).collect();
            return Err(invalid(format!(
                "{} ended at a boundary change (its last count is January {}): start from {} instead, or give --as-at for a year it counted",
                area.name,
                latest.unwrap_or_default(),
                names.join(" or ")
            )));
        }
        let as_at = match (as_at, latest) {
            (Some(y), _) => y,
            (None, Some(y)) => y,
            (None, None) => {
                return Err(invalid(format!(
                    "{} has no published count of plans",
                    area.name
                )));
            }
        };
        let Some(total) = number_at(panel, &area.code, "caseload", as_at) else {
            return Err(invalid(no_count_message(panel, area, as_at, latest)));
        };
        let mut notes = Vec::new();
        let mut placements = placements_scaled(panel, area, as_at, &total, &mut notes)?;
        costs::own_unit_costs(panel, area, as_at, &mut placements);
        let growth = pooled_growth(fits.get(as_at)?, area, as_at)?;
        let flow = |series: &str, scale: f64| {
            number_at(panel, &area.code, series, as_at - 1).map(|(v, row)| Sourced {
                value: v / scale,
                source: cite(row, &format!("calendar year {}", as_at - 1)),
            })
        };
        let requests = flow("requests", 1.0);
        let new_plans = flow("new_plans", 1.0);
        let within_20_weeks = flow("within_20_weeks_pct", 100.0);
        for (what, v) in [
            ("requests", &requests),
            ("new plans", &new_plans),
            ("the share within 20 weeks", &within_20_weeks),
        ] {
            if v.is_none() {
                notes.push(format!(
                    "{} has no published figure for {what} in {}: the assessment pipeline is left out",
                    area.name,
                    as_at - 1
                ));
            }
        }
        let best_within_20_weeks = assessment::best_share(panel, area, as_at);
        let pipeline = assessment::calibrated(
            requests.as_ref(),
            new_plans.as_ref(),
            within_20_weeks.as_ref(),
            best_within_20_weeks.as_ref(),
            &mut notes,
        );
        let (allocation, allocation_published) =
            costs::allocation(panel, area, as_at, total.0, &mut notes);
        Ok(CouncilFigures {
            area: area.clone(),
            as_at,
            caseload: Sourced {
                value: total.0,
                source: cite(total.1, &format!("January {as_at}")),
            },
            placements,
            growth,
            requests,
            new_plans,
            within_20_weeks,
            best_within_20_weeks,
            pipeline,
            allocation,
            allocation_published,
            funding_growth: super::FundingGrowth::fit(whole, &area.code, as_at),
            ages: super::ages::age_figures(panel, area, as_at),
            notes,
        })
    }

    /// The scenario's base year: the financial year ending in March after the January count
    /// (`2024-25` for January 2025).
    ///
    /// ```
    /// # use dsg_data::public::{CouncilFigures, Panel};
    /// # let panel = Panel::shipped()?;
    /// # let figures = CouncilFigures::from_panel(panel, panel.find_area("873")?, Some(2025))?;
    /// assert_eq!(figures.base_year(), "2024-25");
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn base_year(&self) -> String {
        format!("{}-{:02}", self.as_at - 1, self.as_at.rem_euclid(100))
    }
}

/// The value of a series in a year, with its row, when published.
fn number_at<'a>(
    panel: &'a Panel,
    code: &str,
    series: &str,
    year: i32,
) -> Option<(f64, &'a PanelRow)> {
    let row = panel.find(code, series, year)?;
    row.value.number().map(|v| (v, row))
}

/// "education-health-and-care-plans_2025.zip, caseload.csv, January 2025".
fn cite(row: &PanelRow, when: &str) -> String {
    format!("{}, {}, {when}", row.source_file, row.source_table)
}

/// Why a council has no count at `as_at`: it ended (naming its successors), it had not started,
/// or the year is outside the panel.
fn no_count_message(panel: &Panel, area: &Area, as_at: i32, latest: Option<i32>) -> String {
    let successors = panel.successors(&area.code);
    if !successors.is_empty() && latest.is_some_and(|l| as_at > l) {
        let names: Vec<&str> = successors.iter().map(|s| s.2).collect();
        return format!(
            "{} ended at a boundary change (its last count is January {}); start from {} instead",
            area.name,
            latest.unwrap_or(as_at),
            names.join(" or ")
        );
    }
    match latest {
        Some(l) => format!(
            "{} has no published count of plans for January {as_at} (its counts run to January {l}); give --as-at {l} or earlier",
            area.name
        ),
        None => format!("{} has no published count of plans", area.name),
    }
}

/// The council's plans by the seven categories at January `as_at`; where that year's placements
/// are not published (DfE marks two councils' 2025 placements `x`), the latest year's that are,
/// scaled to the `as_at` total (whole plans, largest remainders), and a note says so.
fn placements_scaled(
    panel: &Panel,
    area: &Area,
    as_at: i32,
    total: &(f64, &PanelRow),
    notes: &mut Vec<String>,
) -> Result<Vec<Placement>, DataError> {
    let first_error = match placements(panel, area, as_at, total, notes) {
        Ok(p) => return Ok(p),
        Err(e) => e,
    };
    for year in (as_at - 3..as_at).rev() {
        let Some(then) = number_at(panel, &area.code, "caseload", year) else {
            continue;
        };
        let mut scratch = Vec::new();
        let Ok(mut found) = placements(panel, area, year, &then, &mut scratch) else {
            continue;
        };
        let scale = total.0 / then.0;
        let shares: Vec<f64> = found.iter().map(|p| p.caseload.value * scale).collect();
        for (p, whole) in found.iter_mut().zip(largest_remainders(&shares, total.0)) {
            p.caseload.value = whole;
            p.caseload.source = format!(
                "{} (January {year}'s split: January {as_at}'s is not published), scaled to the January {as_at} total",
                p.caseload.source
            );
        }
        notes.extend(scratch);
        notes.push(format!(
            "{}'s placements at January {as_at} are not published (x): January {year}'s split is used, scaled to the {} plans of January {as_at}",
            area.name, total.0
        ));
        return Ok(found);
    }
    Err(first_error)
}

/// Whole numbers near `shares` adding up to `total` (a whole number): floors, then one more to
/// the largest remainders.
fn largest_remainders(shares: &[f64], total: f64) -> Vec<f64> {
    let mut out: Vec<f64> = shares.iter().map(|s| s.floor()).collect();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        (shares[b] - out[b])
            .total_cmp(&(shares[a] - out[a]))
            .then(a.cmp(&b))
    });
    let short = (total - out.iter().sum::<f64>()).round().max(0.0) as usize;
    for &i in order.iter().cycle().take(short) {
        out[i] += 1.0;
    }
    out
}

/// The council's plans by the seven categories at January `as_at`, adding up to `total`.
fn placements(
    panel: &Panel,
    area: &Area,
    as_at: i32,
    total: &(f64, &PanelRow),
    notes: &mut Vec<String>,
) -> Result<Vec<Placement>, DataError> {
    let mut out = Vec::with_capacity(CATEGORIES.len());
    for (name, label, plus, minus) in CATEGORIES {
        let value_of = |series: &str| -> Result<f64, DataError> {
            match panel.find(&area.code, series, as_at).map(|r| &r.value) {
                Some(Value::Number(v)) => Ok(*v),
                Some(Value::Missing(why)) if why == "z" || why == "blank" => Ok(0.0),
                Some(Value::Missing(why)) => Err(DataError::Invalid {
                    file: "the public data panel".to_string(),
                    row: None,
                    message: format!(
                        "{}: plans `{series}` at January {as_at} are not published ({why}); give another --as-at",
                        area.name
                    ),
                }),
                None => Err(DataError::Invalid {
                    file: "the public data panel".to_string(),
                    row: None,
                    message: format!(
                        "{}: no plans by placement (`{series}`) at January {as_at}",
                        area.name
                    ),
                }),
            }
        };
        let mut value = 0.0;
        for s in plus {
            value += value_of(s)?;
        }
        for s in minus {
            value -= value_of(s)?;
        }
        if value < 0.0 {
            notes.push(format!(
                "{label}: the published parts add up to more than their total at January {as_at} ({value}); taken as 0"
            ));
            value = 0.0;
        }
        let series = if minus.is_empty() {
            plus.join(" + ")
        } else {
            format!("{} less {}", plus.join(" + "), minus.join(", "))
        };
        let (cost, cost_source) = national_unit_cost(name);
        out.push(Placement {
            name,
            label,
            caseload: Sourced {
                value,
                source: format!(
                    "{}, {}, January {as_at}: {series}",
                    total.1.source_file, total.1.source_table
                ),
            },
            unit_cost: Sourced {
                value: cost,
                source: cost_source.to_string(),
            },
        });
    }
    Ok(out)
}

/// A council's growth under the pooled model.
#[derive(Debug, Clone, PartialEq)]
pub struct PooledGrowth {
    /// The panel's forecast log growth a year, m^.
    pub national: f64,
    /// The council's part of the fit.
    pub council: CouncilFit,
    /// The scenario input: log growth normal, its mean drawn once a path.
    pub scenario: ScenarioGrowth,
    /// How many councils the panel's growth pooled in the origin year.
    pub councils: usize,
}

/// The pooled model fitted on every council's published counts to January `as_at`.
/// The pooled growth model fitted to a panel's counts of plans, once for each January it is
/// fitted at (see [`CouncilFigures::from_fits`]).
///
/// ```
/// use dsg_data::public::{Panel, PooledFits};
/// let mut fits = PooledFits::new(Panel::shipped()?);
/// assert!(fits.get(2025)?.council("E10000003").is_some());
/// # Ok::<(), dsg_data::DataError>(())
/// ```
#[derive(Debug)]
pub struct PooledFits<'p> {
    panel: &'p Panel,
    fits: BTreeMap<i32, PooledFit>,
}

impl<'p> PooledFits<'p> {
    /// No fits yet, for `panel`.
    pub fn new(panel: &'p Panel) -> Self {
        PooledFits {
            panel,
            fits: BTreeMap::new(),
        }
    }

    /// The model fitted to the counts to January `as_at` (fitted on first use).
    ///
    /// # Errors
    /// As [`PooledFit::fit`].
    pub fn get(&mut self, as_at: i32) -> Result<&PooledFit, DataError> {
        match self.fits.entry(as_at) {
            Entry::Occupied(fit) => Ok(fit.into_mut()),
            Entry::Vacant(slot) => {
                let levels = self.panel.levels("caseload");
                Ok(slot.insert(PooledFit::fit(&levels, as_at, PooledSettings::default())?))
            }
        }
    }
}

fn pooled_growth(fit: &PooledFit, area: &Area, as_at: i32) -> Result<PooledGrowth, DataError> {
    let Some(council) = fit.council(&area.code) else {
        return Err(DataError::TooShort {
            series: format!("{} caseload", area.name),
            message: format!("no count at or before January {as_at}"),
        });
    };
    let councils = fit.panel_growth.last().map_or(0, |p| p.2);
    Ok(PooledGrowth {
        national: fit.national,
        scenario: fit.scenario_growth(council),
        council: council.clone(),
        councils,
    })
}
