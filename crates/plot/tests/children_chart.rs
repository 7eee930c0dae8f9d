//! The children chart (docs/model.md section 9) rendered from real simulation results of the county
//! scenario, which has an assessment pipeline and a staffing option: its SVG text (titles,
//! panels, the opening backlog, what the option changes, the legend), its PNG, and that it is
//! skipped for a scenario without a pipeline.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;

use dsg_montecarlo::{Settings, Simulation, Summary};
use dsg_plot::Chart;
use dsg_plot::plotters::prelude::*;

mod common;
use common::*;

fn county() -> &'static Summary {
    static S: OnceLock<Summary> = OnceLock::new();
    S.get_or_init(|| run("cambridgeshire", 2000))
}

/// Whether any text element of `all` contains `needle`.
fn has(all: &[SvgText], needle: &str) -> bool {
    all.iter().any(|t| t.content.contains(needle))
}

#[test]
fn the_children_chart_shows_waiting_and_timeliness_with_and_without_the_staffing_option() {
    let s = county();
    assert!(Chart::Children.applies_to(s));
    let svg = Chart::Children
        .to_svg_string(s)
        .expect("renders")
        .expect("applies");
    let all = texts(&svg);
    for needle in [
        Chart::Children.title(),
        "Children waiting for an assessment, 31 March",
        "Plans issued within 20 weeks",
        "Share of plans issued",
        "100%",
        "Children",
        "2025-26",
        "2035-36",
        // The opening backlog of the scenario, in words.
        "2,993 were waiting at 31 March 2026",
        // What the staffing option changes, named as the scenario names it.
        "Clear the assessment backlog",
        // The year of the largest effect (depends on the backlog: 2029-30 at these paths).
        "fewer children waiting at 31 March 20",
        "With every mitigation (median)",
        "With every mitigation: 8 in 10 futures",
        "(median, same futures)",
    ] {
        assert!(has(&all, needle), "no {needle:?} in {all:#?}");
    }
    // Bands: the forecast's range in each panel, filled.
    assert!(svg.matches("<polygon").count() >= 2, "{svg}");
}

#[test]
fn the_children_chart_is_a_png_of_the_standard_size_and_not_blank() {
    let dir = std::env::temp_dir().join(format!("dsg-children-chart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("children.png");
    assert!(Chart::Children.write_png(county(), &path).expect("writes"));
    let decoder = png::Decoder::new(std::fs::File::open(&path).expect("opens"));
    let mut reader = decoder.read_info().expect("png header");
    assert_eq!(
        (reader.info().width, reader.info().height),
        dsg_plot::PNG_SIZE
    );
    let mut buf = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buf).expect("decodes");
    let pixels = &buf[..frame.buffer_size()];
    let white = pixels
        .chunks_exact(3)
        .filter(|c| *c == [255, 255, 255])
        .count() as f64;
    let share = white / (pixels.len() / 3) as f64;
    assert!(share > 0.3 && share < 0.97, "{share:.2} white");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_children_chart_is_skipped_without_an_assessment_pipeline() {
    let s = run("minimal", 200);
    assert!(!Chart::Children.applies_to(&s));
    assert_eq!(Chart::Children.to_svg_string(&s).expect("no error"), None);
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (600, 400)).into_drawing_area();
        assert!(!dsg_plot::draw_children(&area, &s).expect("no error"));
        area.present().expect("present");
    }
    assert!(!out.contains("<text"), "nothing drawn");
}

#[test]
fn without_uncertainty_the_chart_advertises_no_range() {
    // Every input fixed: one future, no band to show; the staffing option still named.
    let text = r#"
[scenario]
name = "Fixed pipeline"
base_year = "2025-26"
horizon_years = 5
[[provisions]]
name = "special"
caseload = 1000
unit_cost = 20000
[funding]
allocation = 20000000
[dsg]
opening_balance = 0
[general_fund]
usable_reserves = 0
[assessments]
requests = 400
opening_backlog = 150
case_officers = 7
assessments_per_officer = 50
minimum_weeks = 12
[[mitigations]]
name = "backlog_team"
kind = "staffing"
effect = 3
cost_per_fte = 50000
start = "2026-27"
end = "2026-27"
costs_charged_to = "general_fund"
"#;
    let scenario = dsg_core::Scenario::from_toml_str(text, "fixed.toml").expect("valid");
    let s = Simulation::new(&scenario)
        .expect("simulation")
        .run(&Settings {
            paths: 50,
            ..Default::default()
        })
        .expect("run");
    let svg = Chart::Children
        .to_svg_string(&s)
        .expect("renders")
        .expect("applies");
    let all = texts(&svg);
    assert!(!has(&all, "8 in 10 futures"), "{all:#?}");
    assert!(has(&all, "Median children waiting"), "{all:#?}");
    assert!(has(&all, "Backlog team"), "{all:#?}");
}
