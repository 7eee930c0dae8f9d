//! The chart by age band (docs/model.md section 14) rendered from a simulation of the county with
//! the management plan's five bands: its title, legend and bands, every text on the canvas, and
//! that it is skipped for a scenario without ages.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg_montecarlo::{Settings, Simulation, Summary};
use dsg_plot::Chart;

mod common;
use common::*;

fn county_by_age() -> Summary {
    let path = format!(
        "{}/../../scenarios/cambridgeshire.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut text = std::fs::read_to_string(path).unwrap();
    text.push_str("\n[ages]\nbands = [\"0-4\", \"5-10\", \"11-15\", \"16-19\", \"20-25\"]\n");
    for name in [
        "mainstream_top_up",
        "resourced_provision",
        "maintained_special",
        "academy_special",
        "inmss",
        "post16_fe",
        "other_settings",
    ] {
        text.push_str(&format!(
            "[[ages.provisions]]\nname = \"{name}\"\ncaseload = [5, 40, 35, 15, 5]\n"
        ));
    }
    text.push_str("[[ages.leavers]]\nprovision = \"all\"\nband = \"5-10\"\nleaver_rate = -0.1\n");
    let s = dsg_core::Scenario::from_toml_str(&text, "county-ages.toml").unwrap();
    Simulation::new(&s)
        .unwrap()
        .run(&Settings {
            paths: 1_000,
            ..Default::default()
        })
        .unwrap()
}

#[test]
fn the_chart_by_age_shows_each_band_with_its_range() {
    let s = county_by_age();
    assert!(Chart::ByAge.applies_to(&s));
    let svg = Chart::ByAge.to_svg_string(&s).unwrap().unwrap();
    let all = texts(&svg);
    for needle in [
        Chart::ByAge.title(),
        "Under 5",
        "Aged 5-10",
        "Aged 11-15",
        "Aged 16-19",
        "Aged 20-25",
        "8 in 10 paths",
        "Plans (EHCPs)",
        // With no leaving rates but the 5-10s', nothing joins the under-5s: a fifth age out each
        // year and none come in, while the 20-25s take what ages into them.
        "Median plans grow fastest aged 20-25",
        "slowest under 5 (-",
    ] {
        assert!(
            all.iter().any(|t| t.content.contains(needle)),
            "no {needle:?} in {all:#?}"
        );
    }
    // A filled range per band.
    assert!(svg.matches("<polygon").count() >= 5, "{svg}");
    let (w, h) = (
        f64::from(dsg_plot::SVG_SIZE.0),
        f64::from(dsg_plot::SVG_SIZE.1),
    );
    for t in all.iter().filter(|t| !t.rotated) {
        let (l, r) = span(t);
        assert!(
            l >= 0.0 && r <= w && t.y >= 0.0 && t.y <= h,
            "`{}` leaves the canvas",
            t.content
        );
    }
    let dir = std::env::temp_dir().join(format!("dsg-ages-chart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    assert!(
        Chart::ByAge
            .write_png(&s, &dir.join("plans-by-age.png"))
            .unwrap()
    );
}

#[test]
fn without_ages_there_is_no_chart_by_age() {
    let s = run("benchmark", 300);
    assert!(!Chart::ByAge.applies_to(&s));
    assert!(Chart::ByAge.to_svg_string(&s).unwrap().is_none());
}
