//! A national run split over machines (docs/scaling.md): `--part K/N` runs a range of the paths
//! and writes its aggregates; `--merge` adds the parts into the whole run, exactly.

use std::ops::Range;
use std::path::{Path, PathBuf};

use dsg_montecarlo::national::{Council, NationalAggregate, NationalSettings};
use serde::{Deserialize, Serialize};

use crate::error::bad_input;

/// What part.json holds.
#[derive(Serialize, Deserialize)]
struct PartFile {
    format: String,
    /// The councils' identities, in run order.
    councils: Vec<String>,
    /// The whole run's paths.
    paths: u64,
    /// This part's paths.
    range: Range<u64>,
    seed: u64,
    share: f64,
    aggregate: NationalAggregate,
}

/// Version 2: the aggregate holds the regions and each council's in-year histogram.
const FORMAT: &str = "dsg-national-part/2";

/// Reads `K/N` (1 <= K <= N).
pub fn parse_part(text: &str) -> Result<(u64, u64), String> {
    let (k, n) = text
        .split_once('/')
        .ok_or_else(|| "must be K/N, e.g. 3/100".to_string())?;
    let (k, n): (u64, u64) = (
        k.trim()
            .parse()
            .map_err(|_| "K must be a whole number".to_string())?,
        n.trim()
            .parse()
            .map_err(|_| "N must be a whole number".to_string())?,
    );
    if k == 0 || k > n {
        return Err(format!("K must be from 1 to N ({n}), not {k}"));
    }
    Ok((k, n))
}

/// The paths of part `k` of `n` of a run of `paths`: `[(k-1) paths / n, k paths / n)`.
pub fn range(k: u64, n: u64, paths: u64) -> Range<u64> {
    let at = |i: u64| (u128::from(i) * u128::from(paths) / u128::from(n)) as u64;
    at(k - 1)..at(k)
}

/// Writes `dir`/part.json.
pub fn write(
    dir: &Path,
    councils: &[Council<'_>],
    settings: &NationalSettings,
    aggregate: &NationalAggregate,
) -> anyhow::Result<()> {
    let part = PartFile {
        format: FORMAT.into(),
        councils: councils.iter().map(|c| c.id.clone()).collect(),
        paths: settings.paths,
        range: settings.range.clone().unwrap_or(0..settings.paths),
        seed: settings.seed,
        share: settings.share,
        aggregate: aggregate.clone(),
    };
    std::fs::write(dir.join("part.json"), serde_json::to_string(&part)?)?;
    Ok(())
}

/// Merges the parts in `files`, checking they are parts of one run of `councils` that together
/// cover every path once; returns the whole aggregate and the run's settings.
pub fn merge(
    files: &[PathBuf],
    councils: &[Council<'_>],
) -> anyhow::Result<(NationalAggregate, NationalSettings)> {
    let ids: Vec<String> = councils.iter().map(|c| c.id.clone()).collect();
    let mut parts = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f)
            .map_err(|e| bad_input(format!("cannot read {}: {e}", f.display())))?;
        let part: PartFile = serde_json::from_str(&text)
            .map_err(|e| bad_input(format!("{} is not a part.json: {e}", f.display())))?;
        if part.format != FORMAT || part.councils != ids {
            return Err(bad_input(format!(
                "{} is not a part of a run of these councils (run --merge with the same councils as --part)",
                f.display()
            )));
        }
        parts.push((f, part));
    }
    parts.sort_by_key(|(_, p)| p.range.start);
    let Some((_, first)) = parts.first() else {
        return Err(bad_input("--merge needs at least one part.json"));
    };
    let settings = NationalSettings {
        paths: first.paths,
        range: None,
        seed: first.seed,
        threads: None,
        share: first.share,
    };
    let mut next = 0;
    let mut whole: Option<NationalAggregate> = None;
    for (f, p) in &parts {
        if p.range.start != next
            || p.paths != settings.paths
            || p.seed != settings.seed
            || p.share != settings.share
        {
            return Err(bad_input(format!(
                "{}: its paths {:?} do not follow on from the parts before (at {next}), or its --paths, --seed or --share differ",
                f.display(),
                p.range
            )));
        }
        next = p.range.end;
        match whole.as_mut() {
            None => whole = Some(p.aggregate.clone()),
            Some(w) => w
                .merge(&p.aggregate)
                .map_err(|e| bad_input(format!("{}: {e}", f.display())))?,
        }
    }
    if next != settings.paths {
        return Err(bad_input(format!(
            "the parts cover paths 0..{next} of {}: a part is missing",
            settings.paths
        )));
    }
    let whole = whole.ok_or_else(|| bad_input("--merge needs at least one part.json"))?;
    Ok((whole, settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cover_every_path_once() {
        let ranges: Vec<Range<u64>> = (1..=3).map(|k| range(k, 3, 10)).collect();
        assert_eq!(ranges, vec![0..3, 3..6, 6..10]);
        assert_eq!(parse_part("2/5"), Ok((2, 5)));
        assert!(
            parse_part("0/5").is_err() && parse_part("6/5").is_err() && parse_part("x").is_err()
        );
    }
}
