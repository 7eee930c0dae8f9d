//! The national report's summary in plain sentences, for a committee: what the middle of the
//! simulated futures shows, how wide the range is, where the published figures fall, how the
//! base year reconciles to DfE's count, and which regions carry the largest gap per child.

use dsg_core::money::group_thousands;

use super::tables::{Results, bn};

/// "a gap of £1.3bn", "a surplus of £0.8bn": a gap or deficit `x` in words.
fn gap(x: f64, gap: &str) -> String {
    if x < 0.0 {
        format!("a surplus of {}", bn(-x))
    } else {
        format!("{gap} of {}", bn(x))
    }
}

/// "88%", or "all" and "none" at the ends.
fn share(f: f64) -> String {
    match (100.0 * f).round() {
        p if p >= 100.0 => "all".to_string(),
        p if p <= 0.0 => "none".to_string(),
        p => format!("{p:.0}%"),
    }
}

impl Results {
    /// The summary's paragraphs, as plain text (escape them for HTML).
    pub fn prose(&self) -> Vec<String> {
        let y = &self.report_year;
        let mut out = Vec::new();
        let gap_at = |measure: &str| {
            self.national
                .iter()
                .find(|r| r.measure == measure && r.year == *y)
                .map(|r| (-r.quantiles[3], -r.quantiles[6], -r.quantiles[0]))
        };
        if let Some((mid, low, high)) = gap_at("in_year") {
            out.push(format!(
                "In the middle of the simulated futures, councils in England spend {} more on high needs in {y} than their funding (the in-year gap). In nine futures out of ten the figure lies between {} and {}.",
                bn(mid),
                gap(low, "a gap"),
                gap(high, "a gap")
            ));
        }
        if let Some((mid, low, high)) = gap_at("cumulative") {
            let start = if self.balances_given {
                "from the balances given"
            } else {
                "from a balance of zero for every council (no balances were given, so the deficits councils already carry are not counted)"
            };
            out.push(format!(
                "Built up year by year {start}, the deficit at the end of {y} is {} in the middle future, and between {} and {} in nine futures out of ten.",
                bn(mid),
                gap(low, "a deficit"),
                gap(high, "a deficit")
            ));
        }
        let placed: Vec<String> = self
            .published
            .iter()
            .filter_map(|p| {
                let f = p.futures_below?;
                let what = p
                    .what
                    .replace(", low", " (low end)")
                    .replace(", high", " (high end)");
                Some(format!(
                    "the {}'s {what} for {}, {}, is above {} of them",
                    p.source,
                    p.year,
                    bn(p.figure),
                    share(f)
                ))
            })
            .collect();
        if !placed.is_empty() {
            out.push(format!(
                "The published estimates are set against the simulated futures: {}.",
                placed.join("; ")
            ));
        }
        out.extend(self.reconciled());
        out.extend(self.regional());
        out
    }

    /// The base year's plans against DfE's England figure, and who is not in the run.
    fn reconciled(&self) -> Option<String> {
        let r = &self.reconciliation;
        let (year, england) = r.england?;
        let mut text = format!(
            "The {} councils' plans at January {year} add up to {}; DfE's figure for England is {}.",
            r.councils,
            group_thousands(&format!("{:.0}", r.sum_of_councils)),
            group_thousands(&format!("{england:.0}"))
        );
        if !r.left_out.is_empty() {
            let names: Vec<&str> = r
                .left_out
                .iter()
                .map(|(n, _)| n.split(" (").next().unwrap_or(n))
                .collect();
            text.push_str(&format!(
                " {} ended at boundary changes and are counted through the councils that replaced them.",
                names.join(", ")
            ));
        }
        Some(text)
    }

    /// The regions with the largest and smallest median gap per child.
    fn regional(&self) -> Option<String> {
        let mut per_child: Vec<(&str, f64)> = self
            .regions
            .iter()
            .filter_map(|r| Some((r.name, r.gap_per_child_p50?)))
            .collect();
        per_child.sort_by(|a, b| b.1.total_cmp(&a.1));
        let (top, bottom) = (per_child.first()?, per_child.last()?);
        let year = self.population_year?;
        let per = |x: f64| {
            if x < 0.0 {
                format!("a surplus of £{:.0} a child", -x)
            } else {
                format!("£{x:.0} a child")
            }
        };
        Some(format!(
            "By region, the in-year gap in {} for each child aged 2-18 (children counted in {year}) is largest in the {} ({} in the middle future) and smallest in the {} ({}).",
            self.report_year,
            top.0,
            per(top.1),
            bottom.0,
            per(bottom.1)
        ))
    }
}
