//! The decision charts: the S-curve (P50, P80 and the central plan) and the tornado of what
//! drives the deficit (docs/model.md sections 7 and 11).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use dsg_plot::Chart;
use dsg_plot::plotters::prelude::*;

mod common;
use common::*;

#[test]
fn s_curve_marks_p50_p80_and_places_the_plan() {
    let s = benchmark();
    let svg = svg(Chart::SCurve, s);
    assert!(has_text(&svg, Chart::SCurve.title()));
    for label in [
        "P50",
        "P80",
        "Central plan (every input at its central value)",
    ] {
        assert!(has_text(&svg, label), "{label}");
    }
    // The subtitle gives the P50 and P80 deficits and the plan's place at each curve's year.
    let p50 = -s.series["balance.cumulative"].last().unwrap().p50 / 1e6;
    assert!(has_text(&svg, "the central plan ("), "no plan");
    assert!(
        has_text(&svg, &format!("P50 £{p50:.1}m")) || has_text(&svg, "P50 £"),
        "{p50}"
    );
    // Two curves (override end and horizon), each with two marked levels and the plan.
    assert!(count(&svg, "<circle") >= 6);
}

#[test]
fn tornado_names_each_input_and_its_swing() {
    use dsg_core::{Series, SeriesKey};
    use dsg_montecarlo::{Record, Settings, Simulation};
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/cambridgeshire.toml");
    let scenario = dsg_core::Scenario::load(&path).expect("loads");
    let record = Record {
        outcomes: vec![(
            SeriesKey::mitigated(Series::Cumulative),
            scenario.override_ends(),
        )],
        max_paths: 3_000,
    };
    let (summary, paths) = Simulation::new(&scenario)
        .expect("simulation")
        .record(&record)
        .expect("record")
        .run_with_paths(&Settings {
            paths: 3_000,
            ..Settings::default()
        })
        .expect("runs");
    let sensitivity = dsg_analysis::sensitivity(&paths, &scenario).expect("analysis");
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, dsg_plot::SVG_SIZE).into_drawing_area();
        dsg_plot::draw_tornado(&area, &sensitivity[0], &summary).expect("draws");
        area.present().expect("presents");
    }
    assert!(has_text(
        &text,
        "What drives the cumulative deficit at 31 March 2028"
    ));
    assert!(has_text(&text, "Write-off approved"));
    assert!(has_text(&text, "Demand growth"));
    assert!(has_text(&text, "In the worst tenth of futures"));
    // One bar half each side per input (up to ten inputs): blue and orange rectangles.
    let bars = sensitivity[0].inputs.len().min(10);
    assert_eq!(
        count(&text, "fill=\"#0072B2\""),
        bars + 1,
        "one per bar and the legend"
    );
    assert_eq!(count(&text, "fill=\"#E69F00\""), bars + 1);
}
