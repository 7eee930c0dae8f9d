//! What the chart tests share: shipped scenarios run once, SVG rendering, and reading the
//! `<text>` elements of a plotters SVG back with their positions.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::OnceLock;

use dsg_montecarlo::{Settings, Simulation, Summary};
use dsg_plot::Chart;
use dsg_plot::plotters::style::{FontDesc, FontFamily, FontStyle};

pub fn run(name: &str, paths: u64) -> Summary {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(format!("{name}.toml"));
    let scenario = dsg_core::Scenario::load(&path).expect("scenario loads");
    Simulation::new(&scenario)
        .expect("simulation")
        .run(&Settings {
            paths,
            ..Default::default()
        })
        .expect("run")
}

pub fn benchmark() -> &'static Summary {
    static S: OnceLock<Summary> = OnceLock::new();
    S.get_or_init(|| run("benchmark", 2000))
}

/// The richest shipped scenario: history, write-off, mitigations.
pub fn cambridgeshire() -> Option<&'static Summary> {
    static S: OnceLock<Option<Summary>> = OnceLock::new();
    S.get_or_init(|| {
        let exists = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../scenarios/cambridgeshire.toml")
            .exists();
        exists.then(|| run("cambridgeshire", 2000))
    })
    .as_ref()
}

/// No uncertainty, no mitigations, no safety valve, no history.
pub fn minimal() -> &'static Summary {
    static S: OnceLock<Summary> = OnceLock::new();
    S.get_or_init(|| run("minimal", 300))
}

pub fn summaries() -> Vec<(&'static str, &'static Summary)> {
    let mut v = vec![("benchmark", benchmark()), ("minimal", minimal())];
    if let Some(c) = cambridgeshire() {
        v.push(("cambridgeshire", c));
    }
    v
}

pub fn svg(chart: Chart, summary: &Summary) -> String {
    chart
        .to_svg_string(summary)
        .expect("renders")
        .expect("applies")
}

/// A `<text>` element of a plotters SVG.
#[derive(Debug, Clone)]
pub struct SvgText {
    pub x: f64,
    pub y: f64,
    pub anchor: String,
    pub size: f64,
    pub bold: bool,
    pub rotated: bool,
    pub content: String,
}

pub fn attr(tag: &str, name: &str) -> Option<String> {
    let tag = format!(" {tag}");
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}

pub fn texts(svg: &str) -> Vec<SvgText> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|chunk| {
            let (tag, rest) = chunk.split_once('>')?;
            let (content, _) = rest.split_once("</text>")?;
            Some(SvgText {
                x: attr(tag, "x")?.parse().ok()?,
                y: attr(tag, "y")?.parse().ok()?,
                anchor: attr(tag, "text-anchor").unwrap_or_default(),
                size: attr(tag, "font-size")?.parse().ok()?,
                bold: attr(tag, "font-weight").is_some_and(|w| w == "bold"),
                rotated: attr(tag, "transform").is_some(),
                content: content
                    .trim()
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">"),
            })
        })
        .collect()
}

/// Width in pixels of a text as the library laid it out (plotters writes size / 1.24 to SVG).
pub fn width(t: &SvgText) -> f64 {
    dsg_plot::register_fonts().expect("fonts");
    let style = if t.bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    let font = FontDesc::new(FontFamily::SansSerif, t.size * 1.24, style);
    f64::from(font.box_size(&t.content).expect("measures").0)
}

/// Left and right edges of a text.
pub fn span(t: &SvgText) -> (f64, f64) {
    let w = width(t);
    match t.anchor.as_str() {
        "end" => (t.x - w, t.x),
        "middle" => (t.x - w / 2.0, t.x + w / 2.0),
        _ => (t.x, t.x + w),
    }
}

pub fn is_year(s: &str) -> bool {
    s.len() == 7
        && s.as_bytes()[4] == b'-'
        && s[..4].parse::<u16>().is_ok()
        && s[5..].parse::<u8>().is_ok()
}

pub fn year_labels(svg: &str) -> Vec<SvgText> {
    texts(svg)
        .into_iter()
        .filter(|t| is_year(&t.content))
        .collect()
}

pub fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

pub fn has_text(svg: &str, s: &str) -> bool {
    texts(svg).iter().any(|t| t.content.contains(s))
}
