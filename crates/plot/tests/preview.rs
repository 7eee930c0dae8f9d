//! Writes every chart as PNG into target/plot-preview (run with `--ignored` to look at them).

use std::path::Path;

use plotters::prelude::IntoDrawingArea;

#[test]
#[ignore]
fn preview() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let name = std::env::var("PREVIEW_SCENARIO").unwrap_or_else(|_| "cambridgeshire".to_string());
    let paths: u64 = std::env::var("PREVIEW_PATHS").ok().and_then(|p| p.parse().ok()).unwrap_or(2000);
    let scenario = dsg_core::Scenario::load(&root.join(format!("scenarios/{name}.toml"))).unwrap();
    let t = std::time::Instant::now();
    let summary = dsg_montecarlo::Simulation::new(&scenario)
        .unwrap()
        .run(&dsg_montecarlo::Settings { paths, ..Default::default() }, &|_| {})
        .unwrap();
    eprintln!("simulated in {:?}", t.elapsed());
    let out = root.join("target/plot-preview").join(&name);
    std::fs::create_dir_all(&out).unwrap();
    let t = std::time::Instant::now();
    let file = out.join("fan-chart.png");
    let area = plotters::prelude::BitMapBackend::new(&file, (2400, 1350)).into_drawing_area();
    dsg_plot::draw_fan_chart(&area, &summary).unwrap();
    area.present().unwrap();
    eprintln!("drawn in {:?}", t.elapsed());
}
