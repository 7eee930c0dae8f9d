//! The pooled growth model ([`crate::growth`]; docs/forecast-evaluation.md) applied to a history
//! file's series of plans: the series joins the councils' published counts (the built-in panel)
//! and is fitted with them, so `dsg calibrate` and `dsg backtest HISTORY` use the model that
//! `dsg init --la` uses and the panel backtest scores.
//!
//! The count of plans (`caseload`) takes its council's place in the pool (the council named by
//! the history's `area` column, or by the scenario's `area_code`), or joins it as one more
//! council when its council is not named. Only its points from its last
//! series break (at or before the origin) on are used: the level re-bases at a break, and the
//! model shrinks a short history towards the panel. England's own count (area `E92000001`) is a
//! total of councils, so it follows the panel's growth with no deviation or volatility of its
//! own, as the panel backtest scores it.

use crate::DataError;
use crate::growth::{
    AreaLevels, CouncilFit, LogForecast, PooledFit, PooledSettings, ScenarioGrowth,
};
use crate::history::read::Series;

/// England's ONS code: a history of England's count follows the panel's growth.
pub const ENGLAND: &str = "E92000001";

/// The pool's name for a series whose council is not named.
pub const UNNAMED: &str = "(this history)";

/// Whether the pooled model forecasts series `name`: the count of all plans, the series it is
/// evaluated on. Plans by placement keep their own history's model: DfE redefined the
/// placements in 2023, a break the councils' published series would need marked too.
///
/// ```
/// use dsg_data::history::is_pooled;
/// assert!(is_pooled("caseload"));
/// assert!(!is_pooled("caseload.special") && !is_pooled("funding"));
/// ```
pub fn is_pooled(name: &str) -> bool {
    name == "caseload"
}

/// The councils one series is pooled with: a panel's levels of the series (e.g.
/// `dsg_data::public::Panel::levels`), with a history's series in their councils' places.
///
/// ```
/// use dsg_data::growth::AreaLevels;
/// use dsg_data::history::{History, Pool};
/// // Ten councils growing 10% a year with irregular wobbles, and a history growing 20% a year.
/// let panel: Vec<AreaLevels> = (0..10)
///     .map(|k| AreaLevels {
///         area: format!("C{k}"),
///         levels: (2010..=2020)
///             .map(|y| (y, 100.0 * (0.1 * (y - 2010) as f64 + 0.03 * ((y * 7 + k * 3) % 5) as f64).exp()))
///             .collect(),
///     })
///     .collect();
/// let mut text = String::from("series,year,value\n");
/// for y in 2014..=2020 {
///     text.push_str(&format!("caseload,{y},{}\n", 50.0 * (0.2 * (y - 2014) as f64).exp()));
/// }
/// let history = History::from_csv_str(&text, "h.csv")?;
/// let pool = Pool::new(panel, &[(None, &history.series[0])]);
/// let fit = pool.fit(None, None)?;
/// // Its own growth is shrunk towards the panel's 10%, not all the way.
/// let one_year = fit.forecast(1).median() / (50.0 * 1.2f64.exp());
/// assert!(one_year.ln() > 0.11 && one_year.ln() < 0.2);
/// # Ok::<(), dsg_data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    panel: Vec<AreaLevels>,
    members: Vec<(String, Series)>,
}

/// A series fitted by the pooled model.
#[derive(Debug, Clone, PartialEq)]
pub struct PooledSeriesFit {
    /// The series.
    pub series: String,
    /// Its code in the pool ([`UNNAMED`] when its council was not named).
    pub area: String,
    /// The model fitted at the series' last year used.
    pub fit: PooledFit,
    /// The series' own part of the fit.
    pub council: CouncilFit,
    /// The scenario input that draws it.
    pub scenario: ScenarioGrowth,
    /// The first year of the points used (after the last break at or before the origin).
    pub first_year: i32,
    /// Whether a break left out points before `first_year`.
    pub broken: bool,
}

impl Pool {
    /// The pool of `panel` with each of `members` (its council's code, if named, and its
    /// series) in its council's place. A member named [`ENGLAND`] is not pooled: it follows.
    pub fn new(panel: Vec<AreaLevels>, members: &[(Option<&str>, &Series)]) -> Pool {
        let members: Vec<(String, Series)> = members
            .iter()
            .map(|(code, s)| (code.unwrap_or(UNNAMED).to_string(), (*s).clone()))
            .collect();
        let panel = panel
            .into_iter()
            .filter(|a| !members.iter().any(|(code, _)| *code == a.area))
            .collect();
        Pool { panel, members }
    }

    /// Fits the member `code` ([`UNNAMED`] when `None`) at the last year of its series at or
    /// before `origin` (its last year when `None`), on data up to that year only.
    ///
    /// # Errors
    /// [`DataError::TooShort`] when the member is not in the pool, has no point at or before the
    /// origin, or the pool is too short to fit; [`DataError::NotFinite`] for a level not above 0.
    pub fn fit(
        &self,
        code: Option<&str>,
        origin: Option<i32>,
    ) -> Result<PooledSeriesFit, DataError> {
        let code = code.unwrap_or(UNNAMED);
        let Some((_, series)) = self.members.iter().find(|(c, _)| c == code) else {
            return Err(DataError::TooShort {
                series: code.to_string(),
                message: "not in the pool".to_string(),
            });
        };
        let (first_year, own) = levels_at(series, origin).ok_or_else(|| DataError::TooShort {
            series: series.name.clone(),
            message: "no point at or before the origin".to_string(),
        })?;
        let at = own.last().map_or(0, |p| p.0);
        let mut areas = self.panel.clone();
        areas.extend(
            self.members
                .iter()
                .filter(|(c, _)| c != ENGLAND)
                .filter_map(|(c, s)| {
                    let (_, levels) = levels_at(s, Some(at))?;
                    Some(AreaLevels {
                        area: c.clone(),
                        levels,
                    })
                }),
        );
        let fit = PooledFit::fit(&areas, at, PooledSettings::default())?;
        let last = (at, own.last().map_or(0.0, |p| p.1));
        let council = if code == ENGLAND {
            fit.follower(ENGLAND, last)
        } else {
            fit.council(code)
                .cloned()
                .ok_or_else(|| DataError::TooShort {
                    series: series.name.clone(),
                    message: format!("no level at or before {at}"),
                })?
        };
        Ok(PooledSeriesFit {
            series: series.name.clone(),
            area: code.to_string(),
            scenario: fit.scenario_growth(&council),
            fit,
            council,
            first_year,
            broken: series.points.first().is_some_and(|p| p.year < first_year),
        })
    }
}

/// The levels of `series` at or before `origin`, from its last break on, with their first year;
/// `None` without such a point.
fn levels_at(series: &Series, origin: Option<i32>) -> Option<(i32, Vec<(i32, f64)>)> {
    let upto: Vec<_> = series
        .points
        .iter()
        .filter(|p| origin.is_none_or(|o| p.year <= o))
        .collect();
    let start = upto.iter().rposition(|p| p.break_before).unwrap_or(0);
    let levels: Vec<(i32, f64)> = upto[start..].iter().map(|p| (p.year, p.value)).collect();
    Some((levels.first()?.0, levels))
}

impl PooledSeriesFit {
    /// The predictive distribution of the log level `h` years after the series' last year.
    pub fn forecast(&self, h: u32) -> LogForecast {
        self.fit.forecast(&self.council, h)
    }

    /// The scenario input (see [`ScenarioGrowth::scenario_value`]).
    pub fn value(&self) -> String {
        self.scenario.scenario_value()
    }

    /// The comment lines describing the fit (each starting `# `).
    pub fn describe(&self) -> Vec<String> {
        let pct = |x: f64| format!("{:.1}%", 100.0 * x.exp_m1());
        let f = &self.fit;
        let councils = f.panel_growth.last().map_or(0, |p| p.2);
        let mut lines = vec![format!(
            "# `{}`: the pooled growth model (docs/forecast-evaluation.md) fitted to {} on {} councils' counts with this series ({} to {} used): the councils' growth, recent years weighted more, {} a year",
            self.series,
            f.origin,
            councils,
            self.first_year,
            self.council.last.0,
            pct(f.national)
        )];
        if self.area == ENGLAND {
            lines.push(
                "#   England's count is a total of councils: it follows their growth, with no deviation or volatility of its own".to_string(),
            );
        } else {
            lines.push(format!(
                "#   its own deviation from it {:+.1} points a year, shrunk {:.0}% of the way towards the councils', fading by a fifth a year; its yearly sd {:.1} points",
                100.0 * self.council.deviation,
                100.0 * (1.0 - self.council.shrinkage),
                100.0 * self.council.volatility_var.sqrt()
            ));
        }
        if self.broken {
            lines.push(format!(
                "#   series break before {}: the points before it are not used (the level re-bases)",
                self.first_year
            ));
        }
        let yearly = if self.scenario.yearly_sd < 5e-5 {
            "no yearly noise".to_string()
        } else {
            format!("then each year sd {:.4}", self.scenario.yearly_sd)
        };
        lines.push(format!(
            "#   drawn as log growth normal: mean {} (once a path, sd {:.4}: the uncertainty of the level), {yearly}; its P10 and P90 are the model's at one and three years ahead",
            pct(self.scenario.mean),
            self.scenario.path_sd,
        ));
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::History;

    fn panel() -> Vec<AreaLevels> {
        (0..12)
            .map(|k| AreaLevels {
                area: format!("C{k}"),
                levels: (2010..=2020)
                    .map(|y| {
                        let wobble = 0.04 * f64::from((y * 7 + k * 3) % 5) - 0.08;
                        (y, 100.0 * (0.1 * f64::from(y - 2010) + wobble).exp())
                    })
                    .collect(),
            })
            .collect()
    }

    fn history(text: &str) -> History {
        History::from_csv_str(text, "h.csv").unwrap()
    }

    #[test]
    fn a_named_council_takes_its_place_and_an_unnamed_one_joins() {
        // C0's history, growing 30% a year, replaces the panel's C0: the pool keeps 12 councils.
        let mut text = String::from("series,year,value\n");
        for y in 2015..=2020 {
            text.push_str(&format!("caseload,{y},{}\n", 80.0 * 1.3f64.powi(y - 2015)));
        }
        let h = history(&text);
        let named = Pool::new(panel(), &[(Some("C0"), &h.series[0])]);
        let fit = named.fit(Some("C0"), None).unwrap();
        assert_eq!(fit.fit.councils.len(), 12);
        assert_eq!(fit.council.last, (2020, 80.0 * 1.3f64.powi(5)));
        assert!(fit.council.deviation > 0.0);
        let unnamed = Pool::new(panel(), &[(None, &h.series[0])]);
        assert_eq!(unnamed.fit(None, None).unwrap().fit.councils.len(), 13);
        // A code the pool does not hold is an error, not a panic.
        assert!(named.fit(Some("C9"), None).is_err());
    }

    #[test]
    fn the_origin_sees_nothing_after_it() {
        let base = "series,year,value\ncaseload,2015,100\ncaseload,2016,110\ncaseload,2017,121\ncaseload,2018,133\n";
        let planted = format!("{base}caseload,2019,5000\n");
        let (a, b) = (history(base), history(&planted));
        let fit_a = Pool::new(panel(), &[(None, &a.series[0])])
            .fit(None, Some(2018))
            .unwrap();
        let fit_b = Pool::new(panel(), &[(None, &b.series[0])])
            .fit(None, Some(2018))
            .unwrap();
        assert_eq!(fit_a.forecast(3), fit_b.forecast(3));
        assert_eq!(fit_a.fit.origin, 2018);
    }

    #[test]
    fn a_break_rebases_the_level() {
        // A tenfold jump at a marked break is not growth: the forecast follows the panel.
        let text = "series,year,value,break\ncaseload,2015,100,\ncaseload,2016,110,\ncaseload,2017,1210,yes\ncaseload,2018,1331,\ncaseload,2019,1464,\ncaseload,2020,1610,\n";
        let h = history(text);
        let fit = Pool::new(panel(), &[(None, &h.series[0])])
            .fit(None, None)
            .unwrap();
        assert_eq!(fit.first_year, 2017);
        assert!(fit.broken);
        assert!(fit.describe()[2].contains("series break before 2017"));
        let growth = (fit.forecast(1).median() / 1610.0).ln();
        assert!((0.05..0.15).contains(&growth), "{growth}");
    }

    #[test]
    fn england_follows_the_councils() {
        let text = "series,year,value\ncaseload,2016,1000\ncaseload,2017,1300\ncaseload,2018,1500\ncaseload,2019,1700\ncaseload,2020,2000\n";
        let h = history(text);
        let fit = Pool::new(panel(), &[(Some(ENGLAND), &h.series[0])])
            .fit(Some(ENGLAND), None)
            .unwrap();
        assert_eq!(fit.fit.councils.len(), 12);
        assert_eq!(fit.council.deviation, 0.0);
        let growth = (fit.forecast(1).median() / 2000.0).ln();
        assert!((growth - fit.fit.national).abs() < 1e-12);
        assert!(fit.describe()[1].contains("total of councils"));
    }

    #[test]
    fn a_history_past_the_panel_is_still_pooled_on_the_panel_years() {
        // The history runs to 2022, two years past the panel: those years are not the
        // councils' growth (one council's own), so the councils' growth stays near 10%.
        let mut text = String::from("series,year,value\n");
        for y in 2012..=2022 {
            text.push_str(&format!("caseload,{y},{}\n", 100.0 * 1.5f64.powi(y - 2012)));
        }
        let h = history(&text);
        let fit = Pool::new(panel(), &[(None, &h.series[0])])
            .fit(None, None)
            .unwrap();
        assert_eq!(fit.council.last.0, 2022);
        assert!(
            (fit.fit.national - 0.1).abs() < 0.05,
            "{}",
            fit.fit.national
        );
        assert!(fit.fit.panel_growth.iter().all(|p| p.0 <= 2020));
    }
}
