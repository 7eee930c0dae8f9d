//! The committee report in a real browser: `dsg report` must write a page that loads without a
//! console error or a failed request, whose five sections each render to a non-blank screenshot,
//! and that prints to a PDF with each section starting a new page.
//!
//! Needs a headless Chromium (or Chrome; `DSG_BROWSER` names another) and poppler's `pdfinfo` and
//! `pdftotext`. Without them the tests print a note and pass, unless `CI` or `DSG_REQUIRE_BROWSER`
//! is set: then they fail, naming the packages to install (`.ci/run` installs them).
//!
//! Set `DSG_SCREENSHOT_DIR` to keep the section screenshots (for the documentation).

mod common;

#[path = "../src/browser/mod.rs"]
mod browser;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{dsg, tempdir};

/// The shipped scenario the report is made from.
const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scenarios/cambridgeshire.toml"
);

/// The report's sections, in order: the start of each section's first heading.
const HEADINGS: [&str; 5] = [
    "1. The likely overspend",
    "2. Which areas overspend",
    "3. The options to meet the budget limit",
    "4. Impact on children and families",
    "5. Assumptions and reproducibility",
];

/// The most pages the printed report may have.
const MAX_PAGES: usize = 30;

/// The width of the section screenshots, in pixels.
const SHOT_WIDTH: u32 = 1200;

/// The tallest screenshot taken, in pixels; a taller section is cut off there.
const MAX_SHOT_HEIGHT: u32 = 12_000;

/// The packages that provide what these tests need, on Debian and Ubuntu.
const PACKAGES: &str = "apt-get install chromium poppler-utils";

/// Whether the browser and the PDF tools are here. If not, panics when `CI` or
/// `DSG_REQUIRE_BROWSER` is set, and otherwise prints a note saying that `test` is skipped.
fn tools_here(test: &str) -> bool {
    let mut missing = Vec::new();
    if browser::find().is_none() {
        missing.push(match std::env::var_os(browser::BROWSER_ENV) {
            Some(v) if !v.is_empty() => format!(
                "the browser {} named by {}",
                Path::new(&v).display(),
                browser::BROWSER_ENV
            ),
            _ => format!("a headless browser ({})", browser::CANDIDATES.join(", ")),
        });
    }
    for tool in ["pdfinfo", "pdftotext"] {
        if Command::new(tool).arg("-v").output().is_err() {
            missing.push(tool.to_owned());
        }
    }
    if missing.is_empty() {
        return true;
    }
    assert!(
        !browser::skipping_refused(),
        "{test} needs {} (CI or DSG_REQUIRE_BROWSER is set, so it may not be skipped): \
         install them with `{PACKAGES}`, or set {} to the browser's path",
        missing.join(" and "),
        browser::BROWSER_ENV
    );
    eprintln!(
        "note: skipping {test}: {} not found (install with `{PACKAGES}`)",
        missing.join(" and ")
    );
    false
}

#[test]
fn the_report_loads_cleanly_screenshots_and_prints_one_section_a_page() {
    if !tools_here("the report's browser test") {
        return;
    }
    let dir = tempdir();
    let out = dir.path().join("report");
    let out_arg = out.display().to_string();
    let run = dsg(&[
        "report", SCENARIO, "--out", &out_arg, "--paths", "2000", "--pdf",
    ]);
    run.expect_code(0);
    let html = out.join("report.html");
    assert!(html.is_file(), "no report.html in {}", out.display());

    let errors = browser::console_errors(&html).expect("load the report in the browser");
    assert!(
        errors.is_empty(),
        "the report has console errors or failed requests:\n{}",
        errors.join("\n")
    );

    let shots = section_screenshots(&html, dir.path()).unwrap_or_else(|e| panic!("{e}"));
    keep_screenshots(&shots, &dir.path().join("screenshots"));
    if let Some(docs) = std::env::var_os("DSG_SCREENSHOT_DIR").filter(|d| !d.is_empty()) {
        keep_screenshots(&shots, Path::new(&docs));
    }

    let pdf = out.join("report.pdf");
    assert!(pdf.is_file(), "dsg report --pdf wrote no report.pdf");
    let pages = check_pdf(&pdf).unwrap_or_else(|e| panic!("report.pdf: {e}"));
    eprintln!("report.pdf: {pages} pages");
}

/// A page shaped like the report: a header, then the five sections with the print stylesheet's
/// page breaks (or without them, if `breaks` is false), each with a little text and a chart.
fn fixture(breaks: bool) -> String {
    let print = if breaks {
        "@media print { .report-section { break-before: page; } \
         .report-section:first-child { break-before: auto; } }"
    } else {
        ""
    };
    let sections: String = HEADINGS
        .iter()
        .enumerate()
        .map(|(i, heading)| {
            let bar = 80 + 60 * i;
            format!(
                "<section class=\"report-section\" id=\"section-{n}\"><h2>{heading}</h2>\
                 <p>Paragraph {n} of the committee report, with enough words to wrap \
                 across the page at least once when printed on A4 paper.</p>\
                 <svg role=\"img\" aria-label=\"Chart {n}\" width=\"400\" height=\"120\" \
                 viewBox=\"0 0 400 120\"><rect x=\"10\" y=\"20\" width=\"{bar}\" height=\"40\" \
                 fill=\"#1d70b8\"/><text x=\"10\" y=\"100\">Chart {n}</text></svg>\
                 <h3>Detail</h3><p>More text.</p></section>",
                n = i + 1
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>DSG report</title><style>body {{ font-family: sans-serif; margin: 2em; }} \
         h2 {{ color: #0b0c0c; }} {print}</style></head><body>\
         <header><h1>Dedicated Schools Grant: the high-needs forecast</h1></header>\
         <main>{sections}</main></body></html>"
    )
}

#[test]
fn the_helpers_split_screenshot_and_check_a_report_shaped_page() {
    if !tools_here("the browser helpers' test") {
        return;
    }
    let dir = tempdir();
    let html = dir.path().join("report.html");
    std::fs::write(&html, fixture(true)).expect("write the fixture");

    assert_eq!(
        browser::console_errors(&html).expect("console errors"),
        Vec::<String>::new()
    );

    let shots = section_screenshots(&html, dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(shots.len(), 5);
    let kept = dir.path().join("screenshots");
    keep_screenshots(&shots, &kept);
    assert_eq!(common::names_in(&kept).len(), 5);

    let pdf = dir.path().join("report.pdf");
    browser::print_to_pdf(&html, &pdf).expect("print the fixture");
    // The header and the first section on the first page, then one page per section.
    assert_eq!(check_pdf(&pdf), Ok(5));

    // Without the page breaks everything fits on one page and no heading starts a page.
    std::fs::write(&html, fixture(false)).expect("write the fixture");
    browser::print_to_pdf(&html, &pdf).expect("print the fixture");
    let error = check_pdf(&pdf).expect_err("no page breaks");
    assert!(
        error.contains("2. Which areas overspend") && error.contains("top of a page"),
        "{error}"
    );
}

#[test]
fn a_blank_screenshot_is_caught() {
    if !tools_here("the blank screenshot test") {
        return;
    }
    let dir = tempdir();
    let html = dir.path().join("blank.html");
    std::fs::write(
        &html,
        "<!doctype html><html><head></head><body></body></html>",
    )
    .expect("write the page");
    let png = dir.path().join("blank.png");
    browser::screenshot(&html, &png, 300, 200).expect("screenshot");
    let error = check_png(&png, 300, 200).expect_err("a blank page");
    assert!(error.contains("blank"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Sections and screenshots.

/// Cuts the report `html` into one page per section (the report's `<head>` and the section), in
/// `work/sections/`, and takes a [`SHOT_WIDTH`]-pixel-wide screenshot of each as tall as the
/// section, checked non-blank. Returns the screenshots, named `report-N-ID.png`.
fn section_screenshots(html: &Path, work: &Path) -> Result<Vec<PathBuf>, String> {
    let text = std::fs::read_to_string(html).map_err(|e| format!("{}: {e}", html.display()))?;
    let pages = split_sections(&text)?;
    let folder = work.join("sections");
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let mut shots = Vec::new();
    for (n, (id, page)) in pages.iter().enumerate() {
        let name = format!("report-{}-{}", n + 1, file_name_part(id));
        let section_html = folder.join(format!("{name}.html"));
        std::fs::write(&section_html, page)
            .map_err(|e| format!("{}: {e}", section_html.display()))?;
        let height = browser::content_height(&section_html, SHOT_WIDTH)
            .map_err(|e| format!("section {id}: {e:#}"))?
            .min(MAX_SHOT_HEIGHT);
        let png = folder.join(format!("{name}.png"));
        browser::screenshot(&section_html, &png, SHOT_WIDTH, height)
            .map_err(|e| format!("section {id}: {e:#}"))?;
        check_png(&png, SHOT_WIDTH, height).map_err(|e| format!("section {id}: {e}"))?;
        shots.push(png);
    }
    Ok(shots)
}

/// The report's sections, each as its id and a standalone page: the report's `<head>` (its
/// styles) and the section. Checks that there are five, each with the expected first heading,
/// an `<h2>`.
fn split_sections(html: &str) -> Result<Vec<(String, String)>, String> {
    let doc = scraper::Html::parse_document(html);
    let select = |s: &str| scraper::Selector::parse(s).map_err(|e| format!("{s}: {e}"));
    let head = doc
        .select(&select("head")?)
        .next()
        .map(|h| h.html())
        .ok_or("the report has no <head>")?;
    let lang = doc
        .select(&select("html")?)
        .next()
        .and_then(|h| h.attr("lang"))
        .unwrap_or("en")
        .to_owned();
    let headings = select("h1, h2, h3, h4, h5, h6")?;
    let sections: Vec<_> = doc.select(&select("section.report-section")?).collect();
    if sections.len() != HEADINGS.len() {
        return Err(format!(
            "the report has {} sections (section.report-section), not {}",
            sections.len(),
            HEADINGS.len()
        ));
    }
    let mut pages = Vec::new();
    for (section, expected) in sections.iter().zip(HEADINGS) {
        let id = section.attr("id").unwrap_or("").to_owned();
        if id.is_empty() {
            return Err(format!("the section headed {expected:?} has no id"));
        }
        let first = section
            .select(&headings)
            .next()
            .ok_or_else(|| format!("section {id} has no heading"))?;
        let text = squeeze(&first.text().collect::<String>());
        if first.value().name() != "h2" || !text.starts_with(expected) {
            return Err(format!(
                "section {id} should start with <h2>{expected}</h2>, not <{}>{text}",
                first.value().name()
            ));
        }
        let page = format!(
            "<!doctype html>\n<html lang=\"{lang}\">{head}<body>{}</body></html>\n",
            section.html()
        );
        pages.push((id, page));
    }
    Ok(pages)
}

/// `id` with anything but letters, digits, `-` and `_` replaced, for a file name.
fn file_name_part(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Checks that `png` is a `width` × `height` image with something drawn on it: at least two
/// colours, and at least 0.2% of the pixels differing from the top-left one (the background).
fn check_png(png: &Path, width: u32, height: u32) -> Result<(), String> {
    let file = std::fs::File::open(png).map_err(|e| format!("{}: {e}", png.display()))?;
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("{}: not a PNG: {e}", png.display()))?;
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("{}: cannot decode: {e}", png.display()))?;
    if (info.width, info.height) != (width, height) {
        return Err(format!(
            "{} is {} × {} pixels, not {width} × {height}",
            png.display(),
            info.width,
            info.height
        ));
    }
    let bytes = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf
        .get(..info.buffer_size())
        .unwrap_or_default()
        .chunks_exact(bytes)
        .collect();
    let background = pixels.first().copied().unwrap_or_default();
    let drawn = pixels.iter().filter(|p| **p != background).count();
    if drawn * 500 < pixels.len() {
        return Err(format!(
            "{} is blank: only {drawn} of {} pixels differ from the background",
            png.display(),
            pixels.len()
        ));
    }
    Ok(())
}

/// Copies the screenshots `shots` into the folder `to`, made if need be.
fn keep_screenshots(shots: &[PathBuf], to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("cannot make {}: {e}", to.display()));
    for shot in shots {
        let name = shot.file_name().unwrap_or_default();
        std::fs::copy(shot, to.join(name))
            .unwrap_or_else(|e| panic!("cannot copy {} to {}: {e}", shot.display(), to.display()));
    }
}

// ---------------------------------------------------------------------------------------------
// The PDF.

/// Checks the printed report `pdf`: at most [`MAX_PAGES`] pages, none without text (a blank page
/// means a bad page break), and each of the five section headings, in order, as the first line
/// of a page of its own (the first may follow the title on page 1). Returns the number of pages.
fn check_pdf(pdf: &Path) -> Result<usize, String> {
    let pages = page_count(pdf)?;
    if pages == 0 || pages > MAX_PAGES {
        return Err(format!(
            "{pages} pages: the report should have 1 to {MAX_PAGES}"
        ));
    }
    let mut first_lines = Vec::new();
    // The first section follows the title on page 1.
    let mut title_page = String::new();
    for page in 1..=pages {
        let text = page_text(pdf, page)?;
        if page == 1 {
            title_page = text.lines().map(squeeze).collect::<Vec<_>>().join("\n");
        }
        let first = text
            .lines()
            .map(squeeze)
            .find(|line| !line.is_empty())
            .ok_or_else(|| format!("page {page} of {pages} has no text (a blank page)"))?;
        first_lines.push(first);
    }
    let mut after = 0;
    for heading in HEADINGS {
        if heading == HEADINGS[0] && title_page.lines().any(|l| l.starts_with(heading)) {
            after = 1;
            continue;
        }
        let starts: Vec<usize> = first_lines
            .iter()
            .enumerate()
            .filter(|(_, line)| line.starts_with(heading))
            .map(|(i, _)| i + 1)
            .collect();
        match starts.as_slice() {
            [page] if *page > after => after = *page,
            [page] => {
                return Err(format!(
                    "{heading:?} starts page {page}, before the section ahead of it (page {after})"
                ));
            }
            [] => {
                return Err(format!(
                    "{heading:?} is not at the top of a page; the pages start with: {first_lines:?}"
                ));
            }
            many => return Err(format!("{heading:?} starts pages {many:?}")),
        }
    }
    Ok(pages)
}

/// The number of pages of `pdf`, from `pdfinfo`.
fn page_count(pdf: &Path) -> Result<usize, String> {
    let info = run_tool(Command::new("pdfinfo").arg(pdf))?;
    info.lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| format!("pdfinfo gives no page count:\n{info}"))
}

/// The text of page `page` of `pdf`, from `pdftotext -layout`.
fn page_text(pdf: &Path, page: usize) -> Result<String, String> {
    let page = page.to_string();
    run_tool(
        Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8", "-f", &page, "-l", &page])
            .arg(pdf)
            .arg("-"),
    )
}

/// Runs a PDF tool and returns its output.
fn run_tool(command: &mut Command) -> Result<String, String> {
    let out = command.output().map_err(|e| {
        format!(
            "cannot run {:?} ({e}): install it with `{PACKAGES}`",
            command
        )
    })?;
    if !out.status.success() {
        return Err(format!(
            "{command:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `text` with its runs of white space made single spaces, trimmed, and typographic ligatures
/// spelled out (PDF text may keep them).
fn squeeze(text: &str) -> String {
    text.replace('\u{FB00}', "ff")
        .replace('\u{FB01}', "fi")
        .replace('\u{FB02}', "fl")
        .replace('\u{FB03}', "ffi")
        .replace('\u{FB04}', "ffl")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
