//! Every chart rendered from real simulation results: SVG content (titles, axes, years, series,
//! legend), layout (nothing outside the canvas, year labels apart, legend clear of the plot),
//! the PNG files, skipping, drawing into part of a surface, and errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use dsg_plot::plotters::prelude::*;
use dsg_plot::{Chart, PlotError};

mod common;
use common::*;

// ---------------------------------------------------------------------------------------------
// Content of each chart.

#[test]
fn fan_chart_has_bands_median_central_reserves_override_and_committee_text() {
    let s = benchmark();
    let svg = svg(Chart::Fan, s);
    assert!(has_text(&svg, Chart::Fan.title()));
    assert!(has_text(&svg, "Cumulative deficit, £m"));
    assert!(has_text(&svg, "Balance at 31 March"));
    // Every year from the base year to the horizon is labelled (11 fit at this width).
    let years: HashSet<String> = year_labels(&svg).into_iter().map(|t| t.content).collect();
    for y in std::iter::once(s.scenario.base_year).chain(s.scenario.years.iter().copied()) {
        assert!(years.contains(&y.to_string()), "{y} missing: {years:?}");
    }
    // Three bands, one polygon each, in the blue sequential colours.
    assert_eq!(count(&svg, "<polygon"), 3);
    for c in ["#C6DBEF", "#94C1E0", "#5697CC"] {
        assert_eq!(
            count(&svg, &format!("fill=\"{c}\"")),
            2,
            "{c}: band + legend swatch"
        );
    }
    // Median line (plot + legend) in dark blue.
    assert_eq!(count(&svg, "stroke=\"#08306B\""), 2);
    for label in [
        "9 in 10 paths (5th\u{2013}95th percentile)",
        "8 in 10 (10th\u{2013}90th)",
        "Half (25th\u{2013}75th)",
        "Median",
        "Central plan (every input at its central value): ",
        "Usable general-fund reserves (£100.0m)",
        "Statutory override ends 31 March 2028",
    ] {
        assert!(has_text(&svg, label), "{label}");
    }
    // Subtitle: authority, scenario, paths, seed, version; and the source note.
    assert!(has_text(&svg, &s.scenario.authority));
    assert!(has_text(&svg, "2,000 simulated paths"));
    assert!(has_text(&svg, &format!("seed {}", s.run.seed)));
    assert!(has_text(&svg, &format!("dsg-forecast {}", s.version)));
    assert!(has_text(
        &svg,
        &format!(
            "Source: dsg-forecast {}, scenario Benchmark; 2,000 simulated paths",
            s.version
        )
    ));
}

#[test]
fn fan_chart_shows_history_up_to_the_opening_balance() {
    let Some(s) = cambridgeshire() else { return };
    let svg = svg(Chart::Fan, s);
    assert!(has_text(&svg, "Reported"));
    let history = s
        .scenario
        .history
        .iter()
        .filter(|(y, _)| *y < s.scenario.base_year)
        .count();
    // One marker per reported year, one at the opening balance, one in the legend.
    assert_eq!(count(&svg, "<circle"), history + 2);
    // The axis starts at the first reported year.
    let first = s.scenario.history[0].0.to_string();
    assert!(year_labels(&svg).iter().any(|t| t.content == first));
}

#[test]
fn fan_chart_splits_by_the_write_off_and_ranks_the_plan() {
    let Some(s) = cambridgeshire() else { return };
    let svg = svg(Chart::Fan, s);
    assert!(
        has_text(&svg, "Median if the write-off is approved ("),
        "no split"
    );
    assert!(has_text(&svg, "Median if not ("));
    assert!(has_text(&svg, "If the write-off is approved ("));
    assert!(has_text(&svg, "% of paths worse by 2036"));
    // The two medians: a line each on the plot and a swatch each in the legend.
    assert_eq!(count(&svg, "stroke=\"#009E73\""), 2);
    assert_eq!(count(&svg, "stroke=\"#CC79A7\""), 2);
    // Without an event there is nothing to split.
    let plain = svg_of_benchmark_fan();
    assert!(!has_text(&plain, "Median if not"));
}

fn svg_of_benchmark_fan() -> String {
    svg(Chart::Fan, benchmark())
}

#[test]
fn funding_chart_has_two_bands_two_medians_and_the_gap() {
    let s = benchmark();
    let svg = svg(Chart::FundingVsSpend, s);
    assert!(has_text(&svg, Chart::FundingVsSpend.title()));
    assert!(has_text(&svg, "£m a year"));
    assert!(has_text(&svg, "Financial year"));
    assert_eq!(count(&svg, "<polygon"), 2, "one P10-P90 band each");
    assert_eq!(count(&svg, "fill=\"#0072B2\""), 2 + s.scenario.years.len());
    for label in [
        "Spend (median)",
        "Spend, 8 in 10 paths",
        "High-needs allocation (median)",
        "Allocation, 8 in 10 paths",
        "Gap between the medians",
    ] {
        assert!(has_text(&svg, label), "{label}");
    }
    assert!(texts(&svg).iter().any(|t| t.content.starts_with("Gap £")));
    assert!(has_text(&svg, "Median spend grows"));
    let last = s.scenario.years.last().expect("years").to_string();
    assert!(year_labels(&svg).iter().any(|t| t.content == last));
}

#[test]
fn exceedance_chart_has_one_curve_per_exceedance_and_reserves() {
    let s = benchmark();
    assert_eq!(s.exceedance.len(), 2);
    let svg = svg(Chart::Exceedance, s);
    assert!(has_text(&svg, Chart::Exceedance.title()));
    assert!(has_text(&svg, "Cumulative deficit, £m"));
    assert!(has_text(&svg, "Chance the deficit is larger"));
    assert!(has_text(&svg, "100%") && has_text(&svg, "0%"));
    assert!(has_text(
        &svg,
        "At 31 March 2028, when the statutory override ends"
    ));
    assert!(has_text(&svg, "At 31 March 2036, the end of the forecast"));
    assert!(has_text(&svg, "Usable reserves £100.0m"));
    // Each curve: its line and its legend swatch, 3 pixels wide.
    for c in ["#009E73", "#0072B2"] {
        assert_eq!(
            count(&svg, &format!("stroke=\"{c}\" stroke-width=\"3\"")),
            2,
            "{c}"
        );
    }
}

#[test]
fn mitigations_chart_overlays_fans_and_has_one_bar_per_mitigation() {
    for (name, s) in summaries() {
        if s.scenario.mitigations.is_empty() {
            continue;
        }
        let text = svg(Chart::Mitigations, s);
        assert!(has_text(&text, Chart::Mitigations.title()), "{name}");
        assert!(has_text(
            &text,
            "Cumulative deficit with and without mitigations"
        ));
        assert!(has_text(&text, "Reduction in the deficit at 31 March 2036"));
        assert!(has_text(&text, "Without mitigations (median)"));
        assert!(has_text(&text, "With mitigations (median)"));
        let n = s.scenario.mitigations.len();
        assert_eq!(
            count(&text, "fill=\"#009E73\""),
            n + 1,
            "{name}: bars + legend"
        );
        assert_eq!(count(&text, "<polygon"), 1, "{name}: the mitigated band");
    }
    assert!(has_text(
        &svg(Chart::Mitigations, benchmark()),
        "Growth reduction"
    ));
    if let Some(c) = cambridgeshire() {
        let text = svg(Chart::Mitigations, c);
        assert!(has_text(&text, "INMSS commissioning"));
    }
}

#[test]
fn spend_chart_stacks_every_provision_every_year() {
    let s = benchmark();
    let svg = svg(Chart::SpendByProvision, s);
    assert!(has_text(&svg, Chart::SpendByProvision.title()));
    assert!(has_text(&svg, "£m a year (median of each line)"));
    for p in &s.scenario.provisions {
        let words: Vec<&str> = p.label.split_whitespace().collect();
        // Long labels wrap in the legend: look for the first word.
        assert!(
            texts(&svg).iter().any(|t| t.content.starts_with(words[0])),
            "{}",
            p.label
        );
    }
    let years = s.scenario.years.len();
    // The first provision's colour: one segment a year plus the legend swatch.
    assert_eq!(count(&svg, "fill=\"#CC6677\""), years + 1);
    assert!(has_text(&svg, "Other high-needs spend"));
}

#[test]
fn safety_valve_chart_has_one_bar_per_instalment_with_amounts() {
    let s = benchmark();
    let n = s.probabilities.safety_valve_instalments.len();
    assert_eq!(n, 4);
    let svg = svg(Chart::SafetyValve, s);
    assert!(has_text(&svg, Chart::SafetyValve.title()));
    assert!(has_text(&svg, "Chance of receiving it"));
    assert_eq!(
        texts(&svg)
            .iter()
            .filter(|t| t.content == "of £5.0m due")
            .count(),
        n
    );
    assert_eq!(count(&svg, "fill=\"#0072B2\""), n + 1, "bars + legend");
    assert!(has_text(&svg, "Expected receipts:"));
    for i in &s.probabilities.safety_valve_instalments {
        assert!(
            year_labels(&svg)
                .iter()
                .any(|t| t.content == i.year.to_string())
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Layout: what a committee member would stumble on.

#[test]
fn no_text_leaves_the_canvas_and_year_labels_never_touch() {
    let (w, h) = (
        f64::from(dsg_plot::SVG_SIZE.0),
        f64::from(dsg_plot::SVG_SIZE.1),
    );
    for (name, s) in summaries() {
        for chart in Chart::ALL {
            let Some(svg) = chart.to_svg_string(s).expect("renders") else {
                continue;
            };
            let all = texts(&svg);
            assert!(all.len() > 10, "{name}/{chart}: {} texts", all.len());
            for t in all {
                if t.rotated {
                    continue;
                }
                let (l, r) = span(&t);
                assert!(
                    l >= 0.0 && r <= w && t.y >= 0.0 && t.y <= h,
                    "{name}/{chart}: `{}` at ({}, {}) spans {l:.0}..{r:.0}",
                    t.content,
                    t.x,
                    t.y
                );
            }
            // Year ticks on one row: at least 6 pixels between neighbours.
            let mut ticks = year_labels(&svg);
            ticks.sort_by(|a, b| a.x.total_cmp(&b.x));
            for pair in ticks.windows(2) {
                if (pair[0].y - pair[1].y).abs() > 1.0 {
                    continue;
                }
                let (_, r0) = span(&pair[0]);
                let (l1, _) = span(&pair[1]);
                assert!(
                    l1 - r0 >= 6.0,
                    "{name}/{chart}: {} and {} overlap",
                    pair[0].content,
                    pair[1].content
                );
            }
        }
    }
}

#[test]
fn legends_sit_outside_the_plot() {
    for (name, s) in summaries() {
        // Below: every legend label is lower than the x-axis tick labels.
        let fan = svg(Chart::Fan, s);
        let tick_bottom = year_labels(&fan)
            .iter()
            .map(|t| t.y)
            .fold(f64::MIN, f64::max);
        let median = texts(&fan)
            .into_iter()
            .find(|t| t.content == "Median" || t.content == "Projection")
            .expect("legend entry");
        assert!(
            median.y > tick_bottom,
            "{name}: legend at {} above ticks at {tick_bottom}",
            median.y
        );
        // Right: every legend label is right of the last year label.
        let spend = svg(Chart::SpendByProvision, s);
        let tick_right = year_labels(&spend)
            .iter()
            .map(|t| span(t).1)
            .fold(f64::MIN, f64::max);
        let first = &s.scenario.provisions[0].label;
        let entry = texts(&spend)
            .into_iter()
            .find(|t| &t.content == first)
            .expect("legend entry");
        assert!(
            span(&entry).0 > tick_right,
            "{name}: legend overlaps the plot"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Files.

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dsg-plot-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn write_all_writes_png_and_svg_that_are_the_right_size_and_not_blank() {
    // The benchmark has a safety valve: every chart applies but the children's (it has no
    // assessment pipeline; tests/children_chart.rs draws that one) and the one by age (it has no
    // ages; tests/ages_chart.rs draws that one).
    let s = benchmark();
    let applying: Vec<Chart> = Chart::ALL.into_iter().filter(|c| c.applies_to(s)).collect();
    assert_eq!(applying.len(), Chart::ALL.len() - 2);
    assert!(!Chart::Children.applies_to(s) && !Chart::ByAge.applies_to(s));
    let dir = temp_dir("all");
    let written = dsg_plot::write_all(s, &dir).expect("writes");
    assert_eq!(written.len(), 14, "{written:?}");
    for chart in applying {
        for ext in ["png", "svg"] {
            let p = dir.join(format!("{}.{ext}", chart.file_stem()));
            assert!(written.contains(&p), "{}", p.display());
        }
    }
    assert!(written.iter().any(|p| p.to_string_lossy().contains("fan")));
    for p in written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
    {
        let decoder = png::Decoder::new(std::fs::File::open(p).expect("opens"));
        let mut reader = decoder.read_info().expect("png header");
        let info = reader.info();
        assert_eq!(
            (info.width, info.height),
            dsg_plot::PNG_SIZE,
            "{}",
            p.display()
        );
        let dims = info.pixel_dims.expect("pHYs chunk");
        assert_eq!(dims.xppu, 7559, "192 dpi");
        let mut buf = vec![0; reader.output_buffer_size()];
        let frame = reader.next_frame(&mut buf).expect("decodes");
        assert_eq!(frame.color_type, png::ColorType::Rgb);
        let pixels: Vec<[u8; 3]> = buf[..frame.buffer_size()]
            .chunks_exact(3)
            .map(|c| [c[0], c[1], c[2]])
            .collect();
        let distinct: HashSet<[u8; 3]> = pixels.iter().copied().collect();
        assert!(
            distinct.len() > 100,
            "{}: {} colours",
            p.display(),
            distinct.len()
        );
        let white = pixels.iter().filter(|c| **c == [255, 255, 255]).count() as f64;
        let share = white / pixels.len() as f64;
        assert!(
            share > 0.3 && share < 0.97,
            "{}: {share:.2} white",
            p.display()
        );
    }
    for p in written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
    {
        let text = std::fs::read_to_string(p).expect("reads");
        assert!(text.starts_with("<svg width=\"1200\" height=\"675\""));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn charts_that_do_not_apply_are_skipped_without_error() {
    let s = minimal();
    assert!(s.scenario.mitigations.is_empty());
    assert!(s.probabilities.safety_valve_instalments.is_empty());
    assert!(!Chart::Mitigations.applies_to(s));
    assert!(!Chart::SafetyValve.applies_to(s));
    assert_eq!(Chart::Mitigations.to_svg_string(s).expect("no error"), None);
    assert_eq!(Chart::SafetyValve.to_svg_string(s).expect("no error"), None);
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (600, 400)).into_drawing_area();
        assert!(!dsg_plot::draw_mitigations(&area, s).expect("no error"));
        assert!(!dsg_plot::draw_safety_valve(&area, s).expect("no error"));
        area.present().expect("present");
    }
    assert!(!out.contains("<text"), "nothing drawn");
    let dir = temp_dir("minimal");
    let written = dsg_plot::write_all(s, &dir).expect("writes");
    assert_eq!(
        written.len(),
        10,
        "fan, funding, exceedance, S-curve and spend, PNG and SVG"
    );
    assert!(!dir.join("mitigations.png").exists());
    assert!(!dir.join("safety-valve.svg").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_scenario_without_uncertainty_does_not_advertise_bands() {
    let fan = svg(Chart::Fan, minimal());
    assert!(!has_text(&fan, "9 in 10 paths"));
    assert!(has_text(&fan, "Every path is the same"));
    let funding = svg(Chart::FundingVsSpend, minimal());
    assert!(!has_text(&funding, "Spend, 8 in 10 paths"));
}

// ---------------------------------------------------------------------------------------------
// Drawing into someone else's surface.

#[test]
fn charts_draw_into_part_of_any_backend_and_stay_inside_it() {
    let s = benchmark();
    let (w, h) = (1600u32, 500u32);
    let mut pixels = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        let (left, _right) = root.split_horizontally(800);
        assert!(Chart::Exceedance.draw(&left, s).expect("draws"));
        root.present().expect("present");
    }
    let right_untouched = (0..h as usize).all(|y| {
        let row = &pixels[(y * w as usize + 800) * 3..(y * w as usize + w as usize) * 3];
        row.iter().all(|&b| b == 0)
    });
    assert!(right_untouched, "drew outside its area");
    let left_drawn = pixels
        .chunks_exact(3)
        .filter(|c| *c == [255, 255, 255])
        .count();
    assert!(left_drawn > 100_000, "background drawn");
}

#[test]
fn scale_follows_the_surface_width() {
    let s = benchmark();
    let size_of_title = |width: u32| {
        let mut out = String::new();
        {
            let area =
                SVGBackend::with_string(&mut out, (width, width * 9 / 16)).into_drawing_area();
            dsg_plot::draw_fan_chart(&area, s).expect("draws");
            area.present().expect("present");
        }
        texts(&out)
            .into_iter()
            .find(|t| t.content == Chart::Fan.title())
            .expect("title")
            .size
    };
    let (small, large) = (size_of_title(1200), size_of_title(2400));
    assert!((large / small - 2.0).abs() < 0.01, "{small} -> {large}");
}

// ---------------------------------------------------------------------------------------------
// Errors and names.

#[test]
fn a_summary_without_the_series_is_a_typed_error_not_a_panic() {
    let mut s = benchmark().clone();
    s.series.remove("balance.cumulative");
    match Chart::Fan.to_svg_string(&s) {
        Err(PlotError::MissingSeries(name)) => assert_eq!(name, "balance.cumulative"),
        other => panic!("expected MissingSeries, got {other:?}"),
    }
    let mut s = benchmark().clone();
    s.series.remove("spend.total");
    assert!(matches!(
        Chart::FundingVsSpend.to_svg_string(&s),
        Err(PlotError::MissingSeries(_))
    ));
    let mut s = benchmark().clone();
    s.exceedance.clear();
    assert!(matches!(
        Chart::Exceedance.to_svg_string(&s),
        Err(PlotError::NoData(_))
    ));
}

#[test]
fn write_errors_name_the_path() {
    let s = minimal();
    let path = Path::new("/nonexistent-dsg-plot-dir/fan-chart.png");
    match Chart::Fan.write_png(s, path) {
        Err(PlotError::Write { path: p, .. }) => assert_eq!(p, path),
        other => panic!("expected Write error, got {other:?}"),
    }
}

#[test]
fn file_stems_are_unique_and_round_trip() {
    let stems: HashSet<&str> = Chart::ALL.iter().map(|c| c.file_stem()).collect();
    assert_eq!(stems.len(), Chart::ALL.len());
    for c in Chart::ALL {
        assert_eq!(Chart::from_file_stem(c.file_stem()), Some(c));
        assert_eq!(c.to_string(), c.file_stem());
    }
    assert!(Chart::Fan.file_stem().contains("fan"));
}

#[test]
fn tiny_or_odd_surfaces_do_not_panic() {
    let s = cambridgeshire().unwrap_or_else(benchmark);
    for (w, h) in [(120u32, 80u32), (300, 900), (4000, 300)] {
        for chart in Chart::ALL {
            let mut out = String::new();
            let area = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
            // Drawing may be cramped, but it must return, not panic.
            let _ = chart.draw(&area, s);
        }
    }
}

#[test]
fn a_scenario_without_an_authority_has_no_dangling_dash_in_the_subtitle() {
    let mut s = minimal().clone();
    s.scenario.authority = String::new();
    let svg = svg(Chart::Fan, &s);
    let subtitle = texts(&svg)
        .into_iter()
        .find(|t| t.content.contains("simulated paths, seed"))
        .unwrap_or_else(|| panic!("no subtitle in {svg}"));
    assert!(
        subtitle.content.starts_with(&s.scenario.name),
        "{}",
        subtitle.content
    );
    assert!(
        !subtitle.content.contains('\u{2013}'),
        "{}",
        subtitle.content
    );
}

#[test]
fn a_mitigation_that_makes_things_worse_is_not_drawn_as_a_reduction() {
    let good = svg(Chart::Mitigations, benchmark());
    assert!(!has_text(&good, "Increase (median)"));
    let mut s = benchmark().clone();
    let key = s
        .series
        .keys()
        .find(|k| k.contains("impact"))
        .cloned()
        .unwrap_or_else(|| panic!("no impact series"));
    for y in s.series.get_mut(&key).into_iter().flatten() {
        (y.p10, y.p50, y.p90) = (-y.p90, -y.p50, -y.p10);
    }
    let worse = svg(Chart::Mitigations, &s);
    assert!(has_text(&worse, "Increase (median)"), "{worse}");
}
