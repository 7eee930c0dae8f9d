//! "How far to trust these ranges" (section 5): the growth model's track record on the
//! scenario's own council and over every council, in plain words and one chart (issue 26,
//! item 4). Shown when the scenario's growth of plans comes from the pooled model (`dsg init
//! --la` names the council in `[scenario] area_code`).

use crate::html::{Format, Src, chart, figure, para};
use crate::{RecordLine, Report, ReportError, TRACK_RECORD_FILE};

/// The subsection, or nothing when the report has no track record.
pub(crate) fn html(r: &Report<'_>) -> Result<String, ReportError> {
    let Some(t) = r.track_record else {
        return Ok(String::new());
    };
    let mut out = String::from("<h3>How far to trust these ranges</h3>\n");
    const WORDS: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let years = match t.horizons {
        0 | 1 => "one year".to_string(),
        h => match WORDS.get(h as usize - 1) {
            Some(w) => format!("one to {w} years"),
            None => format!("one to {h} years"),
        },
    };
    out.push_str(&para(&format!(
        "The growth of plans in this forecast comes from a model fitted on every council's published counts. To test it, the same model was fitted at each January from {} to {} on the counts up to then only, and its forecasts {years} ahead were set against what happened. An honest 80% range should hold about 8 in 10 outcomes, with about 1 in 10 above it and 1 in 10 below.",
        t.origins.0, t.origins.1
    )));
    out.push_str(&para(&line_text(
        &t.pooled,
        &Src::of(TRACK_RECORD_FILE).at("pooled"),
    )));
    match &t.council {
        Some(c) => {
            out.push_str(&para(&line_text(
                c,
                &Src::of(TRACK_RECORD_FILE).at("council"),
            )));
            out.push_str(&para(&format!(
                "One council's {} forecasts are few, and made in the same years, so they move together: read its figures as a check, and the figures over every council as the model's record.",
                c.forecasts
            )));
        }
        None => out.push_str(&para(
            "The scenario's council has no published outcomes to score the model on.",
        )),
    }
    let worst = match t.worst_origin {
        Some((o, share)) => format!(
            " Its worst year was the forecasts made in January {o}, whose 80% ranges held {} of outcomes.",
            figure(
                share,
                &Src::of(TRACK_RECORD_FILE)
                    .at("worst_origin")
                    .at("coverage_80"),
                Format::Percent,
                1.0
            )
        ),
        None => String::new(),
    };
    out.push_str(&para(&format!(
        "The record does not cover what the past did not hold: a national reform changes growth in ways the counts before it cannot show, as the 2014 reform did.{worst} The forecast's ranges also carry the uncertainty of costs, funding and policy, which this record does not test."
    )));
    let svg = dsg_plot::reliability_svg(&t.chart)?;
    out.push_str(&chart(
        &svg,
        "track-record",
        &format!(
            "Reliability diagram: for each range from 10% to 95%, the share of {} past forecasts' outcomes it held, against the share stated; the points lie close to the diagonal.",
            t.pooled.forecasts
        ),
        "Figure 9. How often the growth model's ranges held what happened, over every council: a point on the dashed line means a range held outcomes as often as it said; above it, ranges wider than needed; below, too narrow.",
    ));
    Ok(out)
}

/// One line of the record in words, its figures tagged with `src`.
fn line_text(l: &RecordLine, src: &Src) -> String {
    let pct = |v: f64, key: &str| figure(v, &src.at(key), Format::Percent, 1.0);
    format!(
        "{}: of {} forecasts, {} of outcomes fell inside the 80% range, {} above it and {} below it.",
        crate::html::escape(&l.who),
        dsg_core::money::group_thousands(&l.forecasts.to_string()),
        pct(l.coverage_80, "coverage_80"),
        pct(l.above_p90, "above_p90"),
        pct(l.below_p10, "below_p10"),
    )
}

#[cfg(test)]
mod tests {
    use crate::{Provenance, RecordLine, Report, TrackRecord};

    fn record(council: bool) -> TrackRecord {
        let line = |who: &str, n, c80, below, above| RecordLine {
            who: who.into(),
            forecasts: n,
            coverage_80: c80,
            below_p10: below,
            above_p90: above,
        };
        TrackRecord {
            origins: (2014, 2022),
            horizons: 3,
            pooled: line("Over 150 councils", 4059, 0.8219, 0.0729, 0.1052),
            council: council.then(|| line("In Somewhere", 27, 0.963, 0.0, 0.037)),
            worst_origin: Some((2015, 0.721)),
            chart: dsg_plot::TrackRecord {
                subject: "test".into(),
                forecasts: 4059,
                ranges: vec![(0.5, 0.507), (0.8, 0.822), (0.9, 0.927)],
                by_line: vec![],
                pit_shares: vec![0.1; 10],
                source: "Source: a test".into(),
            },
        }
    }

    #[test]
    fn the_record_is_told_in_words_with_tagged_figures_and_one_chart() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml");
        let scenario = dsg_core::Scenario::load(path.as_ref()).unwrap();
        let summary = dsg_montecarlo::Simulation::new(&scenario)
            .unwrap()
            .run(&dsg_montecarlo::Settings {
                paths: 200,
                ..Default::default()
            })
            .unwrap();
        let mut report = Report::new(&scenario, &summary, Provenance::default());
        let none = super::html(&report).unwrap();
        assert!(none.is_empty(), "no record, no subsection");
        let t = record(true);
        report.track_record = Some(&t);
        let html = super::html(&report).unwrap();
        assert!(html.contains("How far to trust these ranges"));
        assert!(html.contains("one to three years ahead"));
        // 82.19% shows as 82%, tagged with where it comes from.
        assert!(html.contains(
            r#"<data value="0.8219" data-src="track-record.json#/pooled/coverage_80" data-format="percent">82%</data>"#
        ));
        assert!(html.contains("track-record.json#/council/above_p90"));
        assert!(html.contains("January 2015"));
        assert!(html.contains("track-record.json#/worst_origin/coverage_80"));
        assert_eq!(html.matches("<figure").count(), 1);
        let t = record(false);
        report.track_record = Some(&t);
        let html = super::html(&report).unwrap();
        assert!(html.contains("no published outcomes"));
        assert!(!html.contains("#/council/"));
    }
}
