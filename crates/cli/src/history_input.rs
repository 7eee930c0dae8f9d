//! The history file a `dsg calibrate` or `dsg backtest` reads: loading it, choosing its areas,
//! and pooling its count of plans with every council's published counts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dsg_data::history::{History, Pool, Series, is_pooled};

use crate::error::bad_input;

/// Reads a history file; a file that cannot be used is bad input (exit code 2).
pub fn load_history(path: &Path) -> anyhow::Result<History> {
    History::load(path).map_err(|e| bad_input(e.to_string()))
}

/// The history of the areas asked for (all when `wanted` is empty), and the council a history
/// without an `area` column is (one `wanted` code: its place among the councils' published
/// counts). An area the history does not hold, or several asked of a history without an `area`
/// column, is bad input naming some it has.
pub fn select_areas(
    history: History,
    wanted: &[String],
    path: &Path,
) -> anyhow::Result<(History, Option<String>)> {
    if wanted.is_empty() {
        return Ok((history, None));
    }
    if history.areas.is_empty() {
        return match wanted {
            [code] => Ok((history, Some(code.clone()))),
            _ => Err(bad_input(format!(
                "--area: {} has no `area` column (it holds one area's series): give one --area, the council's code",
                path.display()
            ))),
        };
    }
    for w in wanted {
        if !history.areas.iter().any(|a| a == w) {
            let some: Vec<&str> = history.areas.iter().take(5).map(String::as_str).collect();
            return Err(bad_input(format!(
                "--area {w}: {} has no such area; it holds {} areas ({}{})",
                path.display(),
                history.areas.len(),
                some.join(", "),
                if history.areas.len() > 5 { ", ..." } else { "" }
            )));
        }
    }
    Ok((history.only_areas(|a| wanted.iter().any(|w| w == a)), None))
}

/// The pools of the history's counts of plans, by series: the built-in panel's councils with
/// each of the history's series in its council's place (a series without an area as the council
/// `code`, e.g. a scenario's `area_code`, or as one more council when `None`).
pub fn pools(history: &History, code: Option<&str>) -> anyhow::Result<BTreeMap<String, Pool>> {
    let mut out = BTreeMap::new();
    let names: Vec<&str> = history
        .series
        .iter()
        .map(|s| s.name.as_str())
        .filter(|n| is_pooled(n))
        .collect();
    if names.is_empty() {
        return Ok(out);
    }
    let panel = dsg_data::public::Panel::shipped()?;
    for name in names {
        if out.contains_key(name) {
            continue;
        }
        let members: Vec<(Option<&str>, &Series)> = history
            .series
            .iter()
            .filter(|s| s.name == name)
            .map(|s| (s.area.as_deref().or(code), s))
            .collect();
        let councils = panel.levels(name);
        // A provision the panel does not publish: the series' own model.
        if councils.len() >= 2 {
            out.insert(name.to_string(), Pool::new(councils, &members));
        }
    }
    Ok(out)
}

/// The code of the council a scenario names (`[scenario] area_code`), if any.
pub fn scenario_code(path: Option<&PathBuf>) -> anyhow::Result<Option<String>> {
    Ok(match path {
        Some(p) => crate::load::load(p)?
            .scenario
            .area_code()
            .map(str::to_string),
        None => None,
    })
}
