//! Before and between the phases of a run: the settings checked, the bins taken from the first
//! paths, and those paths counted into the bins.

use super::*;

impl Simulation<'_> {
    /// Refuses settings the run cannot follow; the recorded series and standard error to stop
    /// at, when a precision is asked for.
    pub(super) fn checked(&self, settings: &Settings) -> Result<Option<(usize, f64)>, McError> {
        if settings.paths == 0 || settings.paths > MAX_PATHS {
            return Err(McError::Settings(format!(
                "paths must be from 1 to {MAX_PATHS} (got {})",
                settings.paths
            )));
        }
        if settings.threads == Some(0) {
            return Err(McError::Settings("threads must be at least 1".to_string()));
        }
        let precision_series = match &settings.precision {
            Some(p) => {
                if !(p.target_se > 0.0 && p.target_se.is_finite()) {
                    return Err(McError::Settings(format!(
                        "the precision target must be a positive number (got {})",
                        p.target_se
                    )));
                }
                let d = self.position(p.series).ok_or_else(|| {
                    McError::Settings(format!(
                        "the run does not record `{}`; try balance.cumulative or spend.total",
                        p.series
                            .name(self.scenario)
                            .unwrap_or_else(|| p.series.label(self.scenario))
                    ))
                })?;
                Some((d, p.target_se))
            }
            None => None,
        };
        Ok(precision_series)
    }

    /// The bins of a large run, from its first paths (kept whole in `all`), and the first paths'
    /// share of the exact counts of tied metrics.
    pub(super) fn pilot_ranges(&self, all: &mut Gathered) -> RunRanges {
        let main = Ranges::from_blocks(all.kept.iter().map(|(_, b)| b), self.metrics());
        let split = main.select(&self.split_sources());
        let tied: Vec<usize> = (0..self.metrics())
            .filter(|&m| {
                let c = self.reference[m];
                all.kept.iter().any(|(_, b)| b.metric(m).contains(&c))
            })
            .collect();
        all.events.tied = vec![0; 2 * tied.len()];
        for (k, &m) in tied.iter().enumerate() {
            for (_, b) in &all.kept {
                let (below, equal) = count_against(b.metric(m), self.reference[m]);
                all.events.tied[2 * k] += below;
                all.events.tied[2 * k + 1] += equal;
            }
        }
        RunRanges { main, split, tied }
    }

    /// Counts the first paths (kept whole until the bins were known) into the histograms
    /// (integer counts: the order does not matter).
    pub(super) fn count_pilot(
        &self,
        all: &mut Gathered,
        ranges: &RunRanges,
        pilot: &[(usize, Block)],
        split_pilot: &[split::SplitRows],
    ) {
        let h = all
            .histograms
            .get_or_insert_with(|| Histograms::new(self.metrics()));
        for (_, b) in pilot {
            h.add(b, &ranges.main);
        }
        h.see_pilot(&ranges.main);
        let sh = all
            .split_histograms
            .get_or_insert_with(|| Histograms::new(ranges.split.len()));
        for b in split_pilot {
            sh.add(b, &ranges.split);
        }
        sh.see_pilot(&ranges.split);
    }
}
