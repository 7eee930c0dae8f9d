//! Children by age band (docs/model.md section 14): the bands, the opening caseload and new plans
//! by band, leaving rates by provision and band, and moves at a phase transfer.

use crate::ages::{AgeBand, AgeTransfer, Ages, PLAN_BAND_STARTS, TRANSFER_AGES};
use crate::input::{Field, Owner};
use crate::params::ParamId;
use crate::raw::{RawAges, RawScenario};
use crate::scenario::types::{DemandModel, Provision};

use super::Builder;
use super::inputs::{FRACTION, Fallback, Rule, entry};

/// The largest net rate a band's leaving rate may give, either way: -5 is five times the band's
/// plans in new plans in a year, 5 five times its plans leaving (beside those aged in).
const MAX_NET_RATE: f64 = 5.0;

/// The oldest age a plan may have (a plan ends at 26 at the latest).
const OLDEST: u32 = 25;

/// Parses a band as written: `"5-10"` or `"20+"`.
fn parse_band(text: &str) -> Option<AgeBand> {
    let t = text.trim();
    let (from, to) = match t.strip_suffix('+') {
        Some(from) => (from.trim().parse().ok()?, None),
        None => {
            let (a, b) = t.split_once('-')?;
            let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            if b < a {
                return None;
            }
            (a, Some(b))
        }
    };
    Some(AgeBand {
        name: t.to_string(),
        from,
        to,
    })
}

/// `values` scaled to sum to 1, or `None` when they are not non-negative numbers with a positive
/// sum.
fn mix(values: &[f64]) -> Option<Vec<f64>> {
    let sum: f64 = values.iter().sum();
    if values.iter().any(|v| !v.is_finite() || *v < 0.0) || sum <= 0.0 || !sum.is_finite() {
        return None;
    }
    Some(values.iter().map(|v| v / sum).collect())
}

impl Builder {
    /// `[ages]`, when the scenario has it: `None` (and no parameter created) otherwise, so that a
    /// scenario without ages keeps its parameter table as it was. Read before correlations, which
    /// may name its inputs.
    pub(super) fn ages(&mut self, raw: &RawScenario, provisions: &[Provision]) -> Option<Ages> {
        let a = raw.ages.as_ref()?;
        let bands = self.age_bands(a)?;
        let b = bands.len();
        let names: Vec<String> = provisions.iter().map(|p| p.name.clone()).collect();
        let flows = provisions
            .iter()
            .any(|p| matches!(p.demand, DemandModel::Flows { .. }));
        let joiners = match &a.joiners {
            _ if b == 1 && a.joiners.is_none() => vec![1.0],
            // Net growth alone: no new plans to place by age.
            None if !flows => vec![1.0 / b as f64; b],
            Some(j) if j.len() == b => mix(j).unwrap_or_else(|| {
                self.problem(
                    "ages.joiners",
                    "give non-negative numbers with a positive sum",
                );
                vec![1.0 / b as f64; b]
            }),
            Some(j) => {
                self.problem(
                    "ages.joiners",
                    format!("give one number a band ({b} bands, {} numbers)", j.len()),
                );
                vec![1.0 / b as f64; b]
            }
            None => {
                self.problem(
                    "ages.joiners",
                    "give the age mix of new plans, one number a band",
                );
                vec![1.0 / b as f64; b]
            }
        };
        let opening = self.age_opening(a, b, &names);
        let leavers = self.age_leavers(a, &bands, provisions, &names);
        let transfers = self.age_transfers(a, &bands, provisions, &names);
        let reform_bands = (0..b)
            .filter(|&i| TRANSFER_AGES.contains(&bands[i].from))
            .collect();
        let plan_band = plan_bands(&bands);
        Some(Ages {
            ageing: bands.iter().map(AgeBand::ageing_share).collect(),
            bands,
            joiners,
            opening,
            leavers,
            transfers,
            reform_bands,
            plan_band,
        })
    }

    /// The bands: contiguous from age 0, the last ending at 25 or open.
    fn age_bands(&mut self, a: &RawAges) -> Option<Vec<AgeBand>> {
        if a.bands.is_empty() {
            self.problem(
                "ages.bands",
                "give at least one band, e.g. [\"0-4\", \"5-10\", \"11-15\", \"16-19\", \"20-25\"]",
            );
            return None;
        }
        let mut bands = Vec::with_capacity(a.bands.len());
        let mut next = 0;
        for (i, text) in a.bands.iter().enumerate() {
            let key = format!("ages.bands[{i}]");
            let Some(band) = parse_band(text) else {
                self.problem(
                    key,
                    format!("`{text}` is not a band: write \"5-10\" or \"20+\""),
                );
                return None;
            };
            let last = i + 1 == a.bands.len();
            if band.from != next {
                self.problem(key, format!("the band should start at age {next}"));
                return None;
            }
            match band.to {
                Some(to) if to > OLDEST => {
                    self.problem(key, format!("plans end at {} at the latest", OLDEST + 1));
                    return None;
                }
                Some(to) if last && to != OLDEST => {
                    self.problem(
                        key,
                        format!(
                            "the last band ends at {OLDEST} (or is open: \"{}+\")",
                            band.from
                        ),
                    );
                    return None;
                }
                None if !last => {
                    self.problem(key, "only the last band may be open");
                    return None;
                }
                Some(to) => next = to + 1,
                None => {}
            }
            bands.push(band);
        }
        Some(bands)
    }

    /// Each provision's opening mix by band, `[provision][band]`.
    fn age_opening(&mut self, a: &RawAges, b: usize, names: &[String]) -> Vec<f64> {
        let mut opening = vec![f64::NAN; names.len() * b];
        for (i, row) in a.provisions.iter().enumerate() {
            let key = format!("ages.provisions[{i}]");
            let Some(p) = self.provision_ref(&format!("{key}.name"), &row.name, names) else {
                continue;
            };
            if row.caseload.len() != b {
                self.problem(
                    format!("{key}.caseload"),
                    format!(
                        "give one number a band ({b} bands, {} numbers)",
                        row.caseload.len()
                    ),
                );
                continue;
            }
            match mix(&row.caseload) {
                Some(m) if opening[p * b].is_nan() => {
                    opening[p * b..(p + 1) * b].copy_from_slice(&m)
                }
                Some(_) => self.problem(&key, format!("`{}` is listed twice", row.name)),
                None => self.problem(
                    format!("{key}.caseload"),
                    "give non-negative numbers with a positive sum",
                ),
            }
        }
        for (p, name) in names.iter().enumerate() {
            if opening[p * b].is_nan() {
                if b > 1 {
                    self.problem(
                        "ages.provisions",
                        format!("give the opening caseload of `{name}` by band"),
                    );
                }
                opening[p * b..(p + 1) * b].fill(1.0 / b as f64);
            }
        }
        opening
    }

    /// The leaving rate of each provision and band: `[[ages.leavers]]`, else the provision's own
    /// (flow model), else none.
    fn age_leavers(
        &mut self,
        a: &RawAges,
        bands: &[AgeBand],
        provisions: &[Provision],
        names: &[String],
    ) -> Vec<Option<ParamId>> {
        let b = bands.len();
        let mut leavers: Vec<Option<ParamId>> = provisions
            .iter()
            .flat_map(|p| {
                let own = match p.demand {
                    DemandModel::Flows { leaver_rate, .. } => Some(leaver_rate),
                    DemandModel::NetGrowth { .. } => None,
                };
                std::iter::repeat_n(own, b)
            })
            .collect();
        let mut given = vec![false; leavers.len()];
        for (i, row) in a.leavers.iter().enumerate() {
            let key = format!("ages.leavers[{i}]");
            // `all`: every provision.
            let targets: Vec<usize> = if row.provision == "all" {
                (0..provisions.len()).collect()
            } else {
                self.provision_ref(&format!("{key}.provision"), &row.provision, names)
                    .into_iter()
                    .collect()
            };
            let band = bands.iter().position(|x| x.name == row.band.trim());
            if band.is_none() {
                self.problem(
                    format!("{key}.band"),
                    format!("`{}` is not one of the bands in `ages.bands`", row.band),
                );
            }
            let name = format!("{} aged {}", row.provision, row.band);
            // docs/model.md section 14: a net rate, negative where a band gains more new plans
            // than it loses (net growth provisions), above 1 where more leave than the band held
            // (those aged in during the year leave too).
            let rate = self.yearly(
                entry(Owner::AgeLeavers(i), &name, Field::LeaverRate),
                Some(&row.leaver_rate),
                Fallback::Value(0.0),
                Rule::Within(-MAX_NET_RATE, MAX_NET_RATE),
            );
            let Some(band) = band else { continue };
            for p in targets {
                if given[p * b + band] {
                    self.problem(
                        &key,
                        format!("`{}` aged {} has two leaving rates", names[p], row.band),
                    );
                }
                given[p * b + band] = true;
                leavers[p * b + band] = Some(rate);
            }
        }
        leavers
    }

    /// Moves between provisions at a phase transfer.
    fn age_transfers(
        &mut self,
        a: &RawAges,
        bands: &[AgeBand],
        provisions: &[Provision],
        names: &[String],
    ) -> Vec<AgeTransfer> {
        let mut transfers = Vec::new();
        for (i, m) in a.transfers.iter().enumerate() {
            let key = format!("ages.transfers[{i}]");
            let from = self.provision_ref(&format!("{key}.from"), &m.from, names);
            let to = self.provision_ref(&format!("{key}.to"), &m.to, names);
            if from.is_some() && from == to {
                self.problem(&key, "a move must be between two different provisions");
            }
            let band = bands.iter().position(|x| x.from == m.at && x.from > 0);
            if band.is_none() {
                self.problem(
                    format!("{key}.at"),
                    format!(
                        "no band starts at age {} (a transfer moves the children reaching a band)",
                        m.at
                    ),
                );
            }
            let label = |p: Option<usize>| p.map_or("?", |p| provisions[p].label.as_str());
            let name = format!("{} to {} at {}", label(from), label(to), m.at);
            let rate = self.yearly(
                entry(Owner::AgeTransfer(i), &name, Field::Rate),
                Some(&m.rate),
                Fallback::Value(0.0),
                FRACTION,
            );
            if let (Some(from), Some(to), Some(band)) = (from, to, band) {
                transfers.push(AgeTransfer {
                    from,
                    to,
                    band,
                    rate,
                });
            }
        }
        transfers
    }
}

/// Per band, the management plan's band it lies within; empty when one straddles two.
fn plan_bands(bands: &[AgeBand]) -> Vec<usize> {
    let within = |band: &AgeBand| {
        let k = PLAN_BAND_STARTS.iter().rposition(|&s| s <= band.from)?;
        let end = PLAN_BAND_STARTS.get(k + 1).map_or(OLDEST, |next| next - 1);
        let fits = band
            .to
            .map_or(k + 1 == PLAN_BAND_STARTS.len(), |to| to <= end);
        fits.then_some(k)
    };
    bands
        .iter()
        .map(within)
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_read_and_map_onto_the_plan_bands() {
        let b = |t: &str| parse_band(t).unwrap();
        assert_eq!((b("5-10").from, b("5-10").to), (5, Some(10)));
        assert_eq!((b("20+").from, b("20+").to), (20, None));
        assert!(parse_band("10-5").is_none() && parse_band("x").is_none());
        let five: Vec<AgeBand> = ["0-4", "5-10", "11-15", "16-19", "20-25"].map(b).to_vec();
        assert_eq!(plan_bands(&five), vec![0, 1, 2, 3, 4]);
        let years: Vec<AgeBand> = (0..26).map(|a| b(&format!("{a}-{a}"))).collect();
        assert_eq!(plan_bands(&years)[4..6], [0, 1]);
        assert_eq!(plan_bands(&years)[25], 4);
        assert!(plan_bands(&[b("0+")]).is_empty());
        assert_eq!(
            plan_bands(&[b("0-4"), b("5-10"), b("11-15"), b("16-19"), b("20+")])[4],
            4
        );
        assert!(plan_bands(&[b("0-7"), b("8-25")]).is_empty());
    }
}
