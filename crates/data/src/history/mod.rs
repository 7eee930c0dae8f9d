//! History series and their fits (issue 13; docs/model.md sections 7 and 12).
//!
//! - [`History`]: a tidy CSV of yearly series (caseload in total and by provision, new plans,
//!   requests, unit costs, high-needs funding, spend) with optional series-break markers.
//! - [`fit()`]: the log-growth model of one series with the standard errors of its estimates.
//! - [`forecast()`]: future levels simulated from a fit, with or without parameter uncertainty.
//! - [`Pool`]: the pooled growth model (docs/forecast-evaluation.md) for a series of plans,
//!   fitted with every council's published counts; [`SeriesFit`] holds a series' fits.
//! - [`fragment`]: a commented scenario fragment giving each fitted series' scenario input.
//!
//! ```
//! use dsg_data::history::{History, fit, scenario_value};
//! let h = History::from_csv_str("series,year,value\nfunding,2020-21,100\nfunding,2021-22,107\nfunding,2022-23,115\n", "h.csv")?;
//! let f = fit(&h.series[0], None)?;
//! assert!(scenario_value(&f).starts_with("{ dist = \"lognormal\", mu = { dist = \"normal\""));
//! # Ok::<(), dsg_data::DataError>(())
//! ```

use dsg_core::Scenario;
use dsg_core::input::{Field, InputId, Owner};

mod fit;
mod forecast;
mod pooled;
mod read;

pub use fit::{GrowthFit, MAX_PERSISTENCE, MIN_LAG_PAIRS, MIN_POINTS, fit};
pub use forecast::{Forecast, ForecastSettings, Uncertainty, forecast, sorted_quantile};
pub use pooled::{ENGLAND, Pool, PooledSeriesFit, UNNAMED, is_pooled};
pub use read::{
    History, MAX_AREA, MAX_AREAS, MAX_HISTORY_BYTES, MAX_LEVEL, MAX_NOTE, MAX_SERIES,
    MAX_TOTAL_SERIES, MAX_YEAR_ON_YEAR, MIN_LEVEL, Point, SERIES_NAMES, Series,
};

/// Where a series' fitted growth goes in a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A scenario-wide input, e.g. `demand.growth` (owner [`Owner::Demand`], field
    /// [`Field::Growth`]); its key path is [`InputId::key`].
    Input(InputId),
    /// The `growth` of the `[[provisions]]` entry with this name.
    Provision(String),
    /// No scenario input takes it (spend, other series): the fit is for checking only.
    None,
}

impl Target {
    /// The input of `scenario` this target sets, if the scenario has it (a provision by its
    /// name, with its own `growth`).
    ///
    /// ```
    /// use dsg_core::input::{Field, InputId, Owner};
    /// use dsg_data::history::target_key;
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// assert_eq!(target_key("caseload").input_in(&s), Some(InputId::new(Owner::Demand, Field::Growth)));
    /// assert_eq!(target_key("caseload.nowhere").input_in(&s), None);
    /// ```
    pub fn input_in(&self, scenario: &Scenario) -> Option<InputId> {
        let input = match self {
            Target::Input(id) => *id,
            Target::Provision(name) => InputId::new(
                Owner::Provision(scenario.provision_index(name)?),
                Field::Growth,
            ),
            Target::None => return None,
        };
        scenario.params().find_input(input).map(|_| input)
    }
}

/// The scenario input a series' growth describes.
///
/// ```
/// use dsg_core::input::{Field, InputId, Owner};
/// use dsg_data::history::{Target, target_key};
/// assert_eq!(target_key("caseload"), Target::Input(InputId::new(Owner::Demand, Field::Growth)));
/// assert_eq!(target_key("new_plans"), Target::Input(InputId::new(Owner::Joiners, Field::Growth)));
/// assert_eq!(target_key("caseload.special"), Target::Provision("special".into()));
/// assert_eq!(target_key("spend"), Target::None);
/// ```
pub fn target_key(series: &str) -> Target {
    let input = |owner, field| Target::Input(InputId::new(owner, field));
    match series {
        "caseload" => input(Owner::Demand, Field::Growth),
        "new_plans" => input(Owner::Joiners, Field::Growth),
        "requests" => input(Owner::Assessments, Field::RequestsGrowth),
        "unit_cost" => input(Owner::Cost, Field::Inflation),
        "funding" => input(Owner::Funding, Field::Growth),
        other => match other.strip_prefix("caseload.") {
            Some(p) => Target::Provision(p.to_string()),
            None => Target::None,
        },
    }
}

/// Rounds to 6 significant digits for a scenario file.
fn short(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return "0.0".into();
    }
    let digits = (5 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let text = format!("{x:.digits$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').to_string()
    } else {
        format!("{text}.")
    };
    if text.ends_with('.') {
        format!("{text}0")
    } else {
        text
    }
}

/// The scenario value of a fitted series: a yearly growth rate whose 1 + g is lognormal, with its
/// log-mean drawn once per path from normal(mu, se) and its log-sd drawn once per path from a
/// lognormal matching sigma's estimation error (median s, log-sd 1 / sqrt(2 (n - 1))), drawn
/// each year with the fitted persistence.
pub fn scenario_value(fit: &GrowthFit) -> String {
    let dof = fit.dof().max(1) as f64;
    let mut text = format!(
        "{{ dist = \"lognormal\", mu = {{ dist = \"normal\", mean = {}, sd = {} }}, sigma = {{ dist = \"lognormal\", mu = {}, sigma = {} }}, shift = -1, per = \"year\"",
        short(fit.mean),
        short(fit.mean_se),
        short(fit.sd.max(1e-9).ln()),
        short(1.0 / (2.0 * dof).sqrt()),
    );
    if fit.persistence != 0.0 {
        text.push_str(&format!(", persistence = {}", short(fit.persistence)));
    }
    text.push_str(" }");
    text
}

/// The scenario value of a fitted series with its parameters taken as known (the plug-in form):
/// 1 + g lognormal(mu, sigma), drawn each year with the fitted
/// persistence.
pub fn plug_in_value(fit: &GrowthFit) -> String {
    let mut text = format!(
        "{{ dist = \"lognormal\", mu = {}, sigma = {}, shift = -1, per = \"year\"",
        short(fit.mean),
        short(fit.sd)
    );
    if fit.persistence != 0.0 {
        text.push_str(&format!(", persistence = {}", short(fit.persistence)));
    }
    text.push_str(" }");
    text
}

/// The comment lines describing a fit (each starting `# `).
pub fn describe(fit: &GrowthFit) -> Vec<String> {
    let mut lines = vec![format!(
        "# `{}`: {} points from {} to {}, {} growths used; log growth mean {} (se {}), sd {} (se {}), {}",
        fit.series,
        fit.points,
        fit.first_year,
        fit.last_year,
        fit.growths,
        short(fit.mean),
        short(fit.mean_se),
        short(fit.sd),
        short(fit.sd_se),
        match fit.persistence_se {
            Some(se) => format!(
                "persistence {} (se {}, from {} pairs)",
                short(fit.persistence),
                short(se),
                fit.lag_pairs
            ),
            None => "persistence not estimated".to_string(),
        }
    )];
    lines.extend(fit.notes.iter().map(|n| format!("#   {n}")));
    lines
}

/// A series' fits: the one-series model's, and for a series of plans ([`is_pooled`]) the pooled
/// model's, which then gives the scenario input.
///
/// ```
/// use dsg_data::history::{History, SeriesFit, fit};
/// let h = History::from_csv_str("series,year,value\nfunding,2020,100\nfunding,2021,107\nfunding,2022,115\n", "h.csv")?;
/// let f = SeriesFit { fit: fit(&h.series[0], None)?, pooled: None };
/// assert!(f.value().contains("sigma = { dist = \"lognormal\""));
/// assert!(f.plug_in().contains("sigma = 0."));
/// # Ok::<(), dsg_data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesFit {
    /// The one-series model (its benchmarks and description).
    pub fit: GrowthFit,
    /// The pooled model, for a series of plans.
    pub pooled: Option<PooledSeriesFit>,
}

impl SeriesFit {
    /// The scenario input: the pooled model's when there is one.
    pub fn value(&self) -> String {
        match &self.pooled {
            Some(p) => p.value(),
            None => scenario_value(&self.fit),
        }
    }

    /// The plug-in form of the input (parameters taken as known): for an input correlated
    /// with others, which cannot take a drawn parameter.
    pub fn plug_in(&self) -> String {
        match &self.pooled {
            Some(p) => p.scenario.plug_in_value(),
            None => plug_in_value(&self.fit),
        }
    }

    /// The comment lines describing the fit that gives the input (each starting `# `).
    pub fn describe(&self) -> Vec<String> {
        match &self.pooled {
            Some(p) => p.describe(),
            None => describe(&self.fit),
        }
    }
}

/// A commented scenario fragment with the fitted inputs, naming the data and the fit. `source`
/// identifies the data (file name and SHA-256), `version` the program.
///
/// ```
/// use dsg_data::history::{History, SeriesFit, fit, fragment};
/// let h = History::from_csv_str("series,year,value\ncaseload,2020,100\ncaseload,2021,110\ncaseload,2022,119\n", "h.csv")?;
/// let text = fragment(&[SeriesFit { fit: fit(&h.series[0], None)?, pooled: None }], "h.csv", "dsg 0.1.0");
/// assert!(text.contains("\ngrowth = { dist = \"lognormal\""));
/// # Ok::<(), dsg_data::DataError>(())
/// ```
pub fn fragment(fits: &[SeriesFit], source: &str, version: &str) -> String {
    let mut out = format!(
        "# Scenario inputs fitted by `dsg calibrate` ({version}) from {source}.\n\
         # Each growth is a yearly rate whose 1 + g is lognormal. The count of all plans takes the\n\
         # pooled growth model, fitted with every council's published counts (docs/forecast-evaluation.md):\n\
         # its mean `mu` is drawn once per path, its yearly sd is `sigma`. Other series take their\n\
         # own history's model: log growth g_t = ln(y_t / y_(t-1)) has mean `mu` and sd `sigma`, both\n\
         # drawn once per path from their estimation error (docs/model.md section 7), so the range\n\
         # widens with the horizon; `persistence` is the AR(1) coefficient of the yearly deviations\n\
         # (0 when too few years to estimate it).\n\
         # Copy each line into the section named, or run `dsg calibrate --scenario` to update a\n\
         # scenario file.\n"
    );
    let mut sections: Vec<(&'static str, Vec<String>)> = Vec::new();
    let mut unused: Vec<String> = Vec::new();
    for sf in fits {
        let f = &sf.fit;
        match target_key(&f.series) {
            Target::Input(id) => {
                // Every input a series sets is scenario-wide (see `target_key`).
                let section = id.owner.section().unwrap_or_default();
                let key = id.field.name();
                let mut lines = sf.describe();
                lines.push(format!(
                    "# plug-in (parameters taken as known; narrower than the evidence supports):\n# {key} = {}",
                    sf.plug_in()
                ));
                lines.push(format!("{key} = {}", sf.value()));
                match sections.iter_mut().find(|(s, _)| *s == section) {
                    Some((_, existing)) => existing.extend(lines),
                    None => sections.push((section, lines)),
                }
            }
            Target::Provision(p) => {
                let mut lines = sf.describe();
                lines.push(format!(
                    "# in the [[provisions]] entry with name = \"{p}\":\n# growth = {}",
                    sf.value()
                ));
                unused.extend(lines);
            }
            Target::None => {
                let mut lines = sf.describe();
                lines.push(format!(
                    "# (no scenario input takes `{}`; its growth would be {})",
                    f.series,
                    sf.value()
                ));
                unused.extend(lines);
            }
        }
    }
    for (section, lines) in sections {
        out.push_str(&format!("\n[{section}]\n"));
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
    }
    if !unused.is_empty() {
        out.push('\n');
        for l in unused {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_read_back() {
        for x in [0.098844, -0.207, 1.5e-5, 123456.7, 0.0] {
            let t = short(x);
            let back: f64 = t.parse().unwrap();
            assert!((back - x).abs() <= x.abs() * 1e-5, "{x} {t}");
            assert!(t.contains('.'), "{t} must be a TOML float");
        }
    }
}
