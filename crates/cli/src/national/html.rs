//! national.html: the national picture on one self-contained page (inline SVG): a summary in
//! plain sentences, England's in-year gap and cumulative deficit as fans with the published
//! figures marked, the regions' gaps, every council's plans as small multiples grouped by region,
//! and a ranked dot plot of the in-year gap per plan.

use std::fmt::Write as _;

use super::tables::{CouncilRow, Results};

/// Colours: bands, median, published figures.
const OUTER: &str = "#c6dbef";
const INNER: &str = "#6baed6";
const MEDIAN: &str = "#08306b";
const MARK: &str = "#d94801";

/// Escapes text for HTML.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A plotting frame: `x` from 0 to `n - 1` steps, `y` from `lo` to `hi`, in a box.
struct Frame {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    n: usize,
    lo: f64,
    hi: f64,
}

impl Frame {
    fn px(&self, i: usize) -> f64 {
        self.x + self.w * i as f64 / (self.n.max(2) - 1) as f64
    }

    fn py(&self, v: f64) -> f64 {
        let f = ((v - self.lo) / (self.hi - self.lo)).clamp(-0.05, 1.05);
        self.y + self.h * (1.0 - f)
    }

    /// A band between quantile columns `a` and `b` of `fan`.
    fn band(&self, fan: &[[f64; 5]], a: usize, b: usize, colour: &str) -> String {
        let mut pts: Vec<String> = fan
            .iter()
            .enumerate()
            .map(|(i, q)| format!("{:.1},{:.1}", self.px(i), self.py(q[a])))
            .collect();
        pts.extend(
            fan.iter()
                .enumerate()
                .rev()
                .map(|(i, q)| format!("{:.1},{:.1}", self.px(i), self.py(q[b]))),
        );
        format!("<polygon points=\"{}\" fill=\"{colour}\"/>", pts.join(" "))
    }

    /// The fan: P5-P95 and P25-P75 bands and the median line.
    fn fan(&self, fan: &[[f64; 5]], width: f64) -> String {
        let median: Vec<String> = fan
            .iter()
            .enumerate()
            .map(|(i, q)| format!("{:.1},{:.1}", self.px(i), self.py(q[2])))
            .collect();
        format!(
            "{}{}<polyline points=\"{}\" fill=\"none\" stroke=\"{MEDIAN}\" stroke-width=\"{width}\"/>",
            self.band(fan, 0, 4, OUTER),
            self.band(fan, 1, 3, INNER),
            median.join(" ")
        )
    }
}

/// England's fan of a measure as a gap (minus the balance), in £bn, with published figures.
fn national_fan(r: &Results, measure: &str, title: &str, marks: &[Mark<'_>]) -> String {
    let rows: Vec<_> = r.national.iter().filter(|x| x.measure == measure).collect();
    // Quantiles P5..P95 of the balance are P95..P5 of the gap.
    let fan: Vec<[f64; 5]> = rows
        .iter()
        .map(|x| [6, 4, 3, 2, 0].map(|i| -x.quantiles[i] / 1e9))
        .collect();
    let hi = fan
        .iter()
        .map(|q| q[4])
        .chain(marks.iter().map(|m| m.2 / 1e9))
        .fold(1.0f64, f64::max)
        * 1.1;
    let lo = fan.iter().map(|q| q[0]).fold(0.0f64, f64::min);
    let f = Frame {
        x: 50.0,
        y: 30.0,
        w: 470.0,
        h: 220.0,
        n: fan.len(),
        lo,
        hi,
    };
    let mut s = format!(
        "<svg width=\"560\" height=\"300\" role=\"img\" aria-label=\"{}\"><text x=\"10\" y=\"18\" font-weight=\"bold\">{}</text>",
        esc(title),
        esc(title)
    );
    let step = nice_step(hi - lo);
    let mut v = (lo / step).ceil() * step;
    while v <= hi {
        let _ = write!(
            s,
            "<line x1=\"50\" x2=\"520\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"45\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{}£{}bn</text>",
            f.py(v) + 4.0,
            if v < 0.0 { "-" } else { "" },
            v.abs(),
            y = f.py(v)
        );
        v += step;
    }
    s.push_str(&f.fan(&fan, 2.0));
    for (i, x) in rows.iter().enumerate() {
        if i % 2 == 0 {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"268\" text-anchor=\"middle\" font-size=\"11\">{}</text>",
                f.px(i),
                x.year
            );
        }
    }
    let median: Vec<(f64, f64)> = fan
        .iter()
        .enumerate()
        .map(|(i, q)| (f.px(i), f.py(q[2])))
        .collect();
    s.push_str(&published_marks(&f, &rows, marks, &median));
    s.push_str("</svg>");
    s
}

/// A published figure on a national chart: year, low and high (equal for a single figure; a
/// range is drawn as a bar), label.
type Mark<'a> = (&'a str, f64, f64, &'a str);

/// A label's box: left, top, right, bottom.
type Box4 = (f64, f64, f64, f64);

fn overlaps(a: &Box4, b: &Box4) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Whether the polyline `line` (points left to right) passes through the box `b`: over the box's
/// width a piecewise-linear line spans the heights at the box's edges and at its vertices inside.
fn crosses(line: &[(f64, f64)], b: &Box4) -> bool {
    let at = |x: f64| -> Option<f64> {
        line.windows(2).find_map(|w| {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            (x0 <= x && x <= x1 && x1 > x0).then(|| y0 + (y1 - y0) * (x - x0) / (x1 - x0))
        })
    };
    let ys: Vec<f64> = [at(b.0), at(b.2)]
        .into_iter()
        .flatten()
        .chain(line.iter().filter(|p| b.0 < p.0 && p.0 < b.2).map(|p| p.1))
        .collect();
    let (lo, hi) = ys
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &y| {
            (lo.min(y), hi.max(y))
        });
    lo <= b.3 && hi >= b.1
}

/// The published figures: a dot or a bar each, labelled beside it where the label overlaps no
/// other label or mark and does not cross the `median` line (right, left, then further up or
/// down), on a white halo over the fan.
fn published_marks(
    f: &Frame,
    rows: &[&super::tables::NationalRow],
    marks: &[Mark<'_>],
    median: &[(f64, f64)],
) -> String {
    let mut s = String::new();
    let mut taken: Vec<Box4> = Vec::new();
    let placed: Vec<(f64, f64, f64, &str)> = marks
        .iter()
        .filter_map(|(year, lo, hi, label)| {
            let i = rows.iter().position(|x| x.year == *year)?;
            Some((f.px(i), f.py(lo / 1e9), f.py(hi / 1e9), *label))
        })
        .collect();
    for &(cx, y_lo, y_hi, _) in &placed {
        taken.push((cx - 5.0, y_hi - 5.0, cx + 5.0, y_lo + 5.0));
        if (y_lo - y_hi).abs() > 0.5 {
            let _ = write!(
                s,
                "<line x1=\"{cx:.1}\" x2=\"{cx:.1}\" y1=\"{y_lo:.1}\" y2=\"{y_hi:.1}\" stroke=\"{MARK}\" stroke-width=\"3\"/>"
            );
        }
        for y in [y_lo, y_hi] {
            let _ = write!(
                s,
                "<circle cx=\"{cx:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{MARK}\"/>"
            );
        }
    }
    for &(cx, y_lo, y_hi, label) in &placed {
        let (w, mid) = (6.3 * label.chars().count() as f64, 0.5 * (y_lo + y_hi));
        let candidates = [0.0, -14.0, 14.0, -28.0, 28.0, -42.0, 42.0]
            .into_iter()
            .flat_map(|dy| [(true, dy), (false, dy)]);
        let mut choice = (cx + 8.0, mid, true);
        for (right, dy) in candidates {
            let x = if right { cx + 8.0 } else { cx - 8.0 - w };
            let b = (x, mid + dy - 8.0, x + w, mid + dy + 5.0);
            if !taken.iter().any(|t| overlaps(t, &b)) && !crosses(median, &b) {
                choice = (x, mid + dy, right);
                taken.push(b);
                break;
            }
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"{MARK}\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
            choice.0,
            choice.1 + 4.0,
            esc(label)
        );
    }
    s
}

/// A round step giving four to ten grid lines over `span`.
fn nice_step(span: f64) -> f64 {
    let raw = (span / 5.0).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 10.0)
        .unwrap_or(10.0 * mag)
}

/// The kind of council an ONS code names.
fn kind(code: &str) -> &'static str {
    match code.get(..3) {
        Some("E09") => "London boroughs",
        Some("E08") => "Metropolitan districts",
        Some("E10") => "Counties",
        _ => "Unitary authorities",
    }
}

/// The groups of the small multiples: the regions, or (for a folder run, without regions) the
/// kinds of council.
fn groups(councils: &[CouncilRow]) -> Vec<(String, Vec<&CouncilRow>)> {
    let by_region = councils.iter().all(|c| !c.region.is_empty());
    let names: Vec<String> = if by_region {
        dsg_data::public::REGIONS
            .iter()
            .map(|r| r.1.to_string())
            .collect()
    } else {
        [
            "Counties",
            "Unitary authorities",
            "Metropolitan districts",
            "London boroughs",
        ]
        .map(String::from)
        .to_vec()
    };
    names
        .into_iter()
        .map(|g| {
            let mut members: Vec<&CouncilRow> = councils
                .iter()
                .filter(|c| {
                    if by_region {
                        c.region == g
                    } else {
                        kind(&c.code) == g
                    }
                })
                .collect();
            members.sort_by(|a, b| a.name.cmp(&b.name));
            (g, members)
        })
        .filter(|(_, m)| !m.is_empty())
        .collect()
}

/// Small multiples: each council's plans as an index (base year = 100), grouped by region.
fn small_multiples(councils: &[CouncilRow]) -> String {
    let index = |c: &CouncilRow| -> Vec<[f64; 5]> {
        let base = c.ehcps_base.max(1.0);
        std::iter::once([100.0; 5])
            .chain(c.ehcps_fan.iter().map(|q| q.map(|x| 100.0 * x / base)))
            .collect()
    };
    // One scale for all, to the 90th percentile of councils' highest P95 (the few councils
    // above it, the smallest, are clipped at the top).
    let mut tops: Vec<f64> = councils
        .iter()
        .map(|c| index(c).iter().map(|q| q[4]).fold(200.0f64, f64::max))
        .collect();
    tops.sort_by(f64::total_cmp);
    let hi = tops.get(tops.len() * 9 / 10).copied().unwrap_or(400.0);
    let mut s = String::new();
    for (group, members) in groups(councils) {
        let _ = write!(
            s,
            "<h3>{} ({})</h3><div class=\"tiles\">",
            esc(&group),
            members.len()
        );
        for c in members {
            let fan = index(c);
            let f = Frame {
                x: 4.0,
                y: 18.0,
                w: 132.0,
                h: 60.0,
                n: fan.len(),
                lo: 100.0,
                hi,
            };
            let _ = write!(
                s,
                "<svg width=\"140\" height=\"84\" class=\"tile\"><title>{name}: plans, index (base year = 100), P5-P95, P25-P75 and median</title><text x=\"4\" y=\"12\" font-size=\"10\">{short}</text><line x1=\"4\" x2=\"136\" y1=\"{y200:.1}\" y2=\"{y200:.1}\" stroke=\"#ddd\"/>{fan}</svg>",
                name = esc(&c.name),
                short = esc(&c.name.chars().take(24).collect::<String>()),
                y200 = f.py(200.0),
                fan = f.fan(&fan, 1.2)
            );
        }
        s.push_str("</div>");
    }
    s
}

/// Councils ranked by the median in-year gap per plan, each a dot (P50) and a line to P90.
fn dot_plot(councils: &[CouncilRow], year: &str) -> String {
    let mut rows: Vec<&CouncilRow> = councils.iter().collect();
    rows.sort_by_key(|c| c.rank);
    let hi = rows
        .iter()
        .map(|c| c.gap_per_plan_p90)
        .fold(1.0f64, f64::max)
        * 1.05;
    let lo = rows
        .iter()
        .map(|c| c.gap_per_plan_p50)
        .fold(0.0f64, f64::min);
    let (left, width, row) = (210.0, 540.0, 9.0);
    let x = |v: f64| left + width * (v - lo) / (hi - lo);
    let height = 40.0 + row * rows.len() as f64;
    let mut s = format!(
        "<svg width=\"780\" height=\"{height:.0}\" role=\"img\" aria-label=\"Councils ranked by in-year gap per plan\">"
    );
    let step = nice_step(hi - lo);
    let mut v = (lo / step).ceil() * step;
    while v <= hi {
        let _ = write!(
            s,
            "<line x1=\"{p:.1}\" x2=\"{p:.1}\" y1=\"24\" y2=\"{height:.0}\" stroke=\"#eee\"/><text x=\"{p:.1}\" y=\"16\" text-anchor=\"middle\" font-size=\"10\">£{}k</text>",
            v / 1e3,
            p = x(v)
        );
        v += step;
    }
    for (i, c) in rows.iter().enumerate() {
        let y = 30.0 + row * i as f64;
        let _ = write!(
            s,
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"8\">{} {}</text><line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{INNER}\" stroke-width=\"2\"/><circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"2.6\" fill=\"{MEDIAN}\"><title>{}: £{:.0} a plan (P50), £{:.0} (P90) in {year}</title></circle>",
            left - 6.0,
            y + 3.0,
            c.rank,
            esc(&c.name),
            x(c.gap_per_plan_p50),
            x(c.gap_per_plan_p90),
            x(c.gap_per_plan_p50),
            esc(&c.name),
            c.gap_per_plan_p50,
            c.gap_per_plan_p90
        );
    }
    s.push_str("</svg>");
    s
}

/// The page.
pub fn page(r: &Results) -> String {
    let year = &r.report_year;
    let in_year = national_fan(
        r,
        "in_year",
        "England: in-year gap (£bn)",
        &[
            ("2027-28", 2.9e9, 3.9e9, "NAO £2.9-3.9bn"),
            ("2028-29", 6.3e9, 6.3e9, "OBR £6.3bn"),
        ],
    );
    let cumulative = national_fan(
        r,
        "cumulative",
        "England: cumulative deficit (£bn)",
        &[
            ("2027-28", 8e9, 8e9, "IFS £8bn"),
            ("2027-28", 14e9, 14e9, "OBR £14bn"),
        ],
    );
    let summary: String = r
        .prose()
        .iter()
        .map(|p| format!("<p>{}</p>", esc(p)))
        .collect();
    let notes: String = r
        .notes
        .iter()
        .map(|n| format!("<p class=\"note\">{}</p>", esc(n)))
        .collect();
    let grouping = if r.regions.is_empty() {
        "Grouped by kind of council (these councils have no regions)."
    } else {
        "Grouped by region."
    };
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>The national picture: every council, one run</title>\
<style>body{{font-family:system-ui,sans-serif;margin:24px;max-width:1140px;color:#222}}.summary p{{font-size:16px;line-height:1.45;max-width:900px}}\
.note{{font-size:13px;color:#555;max-width:900px}}table{{border-collapse:collapse;font-size:14px}}td,th{{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}}td:first-child,th:first-child{{text-align:left}}\
.tiles{{display:flex;flex-wrap:wrap;gap:2px}}.tile{{background:#fafafa}}h3{{margin:18px 0 6px}}</style></head><body>\
<h1>The national picture: every council, one run</h1>\
<div class=\"summary\">{summary}</div><div style=\"display:flex;flex-wrap:wrap\">{in_year}{cumulative}</div>\
<p class=\"note\">{n} councils forecast from their own published figures on the same {paths} simulated futures; councils share national shocks (share {share:.3}); national totals are sums over councils on each future. Bands: 90% and 50% of futures; line: median. Dots: published estimates.</p>{notes}\
{regions}<h2>Every council's plans (index, base year = 100)</h2><p>{grouping} One scale for all.</p>{tiles}\
<h2>In-year gap per plan in {year}, councils ranked</h2><p>Dot: median; line to the 90th percentile (a bad case).</p>{dots}</body></html>",
        n = r.councils.len(),
        paths = dsg_core::money::group_thousands(&r.paths.to_string()),
        share = r.national_share,
        regions = region_table(r),
        tiles = small_multiples(&r.councils),
        dots = dot_plot(&r.councils, year),
    )
}

/// The regions' in-year gaps in the report year: total and per child aged 2-18.
fn region_table(r: &Results) -> String {
    if r.regions.is_empty() {
        return String::new();
    }
    let year = &r.report_year;
    let mut s = format!(
        "<h2>Regions in {year}</h2><table><tr><th>Region</th><th>Councils</th><th>Plans, {base}</th><th>In-year gap, median</th><th>In-year gap, 90th percentile</th><th>Gap per child aged 2-18, median</th><th>per child, 90th percentile</th></tr>",
        base = r
            .reconciliation
            .england
            .map_or_else(|| "base year".to_string(), |e| format!("January {}", e.0))
    );
    for g in &r.regions {
        let at = g
            .series
            .iter()
            .find(|x| x.measure == "in_year" && x.year == *year);
        let gap = |i: usize| at.map_or_else(String::new, |x| pounds(-x.quantiles[i]));
        let child = |x: Option<f64>| x.map_or_else(String::new, pounds);
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(g.name),
            g.councils,
            dsg_core::money::group_thousands(&format!("{:.0}", g.ehcps_base)),
            gap(3),
            gap(1),
            child(g.gap_per_child_p50),
            child(g.gap_per_child_p90)
        );
    }
    s.push_str("</table><p class=\"note\">A negative gap is a surplus. The 90th percentile is a bad case: a gap exceeded in one future in ten.</p>");
    s
}

/// Pounds for a table: £1.2bn, £345m, £0.5m or £67, a minus sign before the pound sign.
fn pounds(x: f64) -> String {
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    if a >= 1e9 {
        format!("{sign}£{:.1}bn", a / 1e9)
    } else if a >= 1e7 {
        format!("{sign}£{:.0}m", a / 1e6)
    } else if a >= 1e5 {
        format!("{sign}£{:.1}m", a / 1e6)
    } else {
        format!("{sign}£{a:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::national::tables::NationalRow;

    /// The labels' boxes (as `published_marks` estimates them) and the marks' positions.
    fn text_boxes(svg: &str) -> Vec<(f64, f64, f64, f64)> {
        svg.split("<text ")
            .skip(1)
            .map(|t| {
                let attr = |name: &str| -> f64 {
                    let at = t.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                    t[at..].split('"').next().unwrap().parse().unwrap()
                };
                let label = t.split('>').nth(1).unwrap().split('<').next().unwrap();
                let (x, y) = (attr("x"), attr("y") - 4.0);
                let w = 6.3 * label.replace("&amp;", "&").chars().count() as f64;
                (x, y - 8.0, x + w, y + 5.0)
            })
            .collect()
    }

    #[test]
    fn published_labels_do_not_overlap_each_other_or_the_marks() {
        let rows: Vec<NationalRow> = (0..10)
            .map(|t| NationalRow {
                measure: "in_year",
                year: format!("{}-{:02}", 2025 + t, (26 + t) % 100),
                mean: 0.0,
                se: 0.0,
                quantiles: vec![0.0; 7],
            })
            .collect();
        let refs: Vec<&NationalRow> = rows.iter().collect();
        // A scale on which the NAO range and the OBR figure a year on sit close together, as on
        // the report's chart.
        let f = Frame {
            x: 50.0,
            y: 30.0,
            w: 470.0,
            h: 220.0,
            n: 10,
            lo: -1.0,
            hi: 21.0,
        };
        let marks = [
            ("2027-28", 2.9e9, 3.9e9, "NAO £2.9-3.9bn"),
            ("2028-29", 6.3e9, 6.3e9, "OBR £6.3bn"),
            ("2028-29", 5.8e9, 5.8e9, "Another £5.8bn"),
        ];
        // A median line passing through the NAO bar's middle, where its label would first go.
        let median: Vec<(f64, f64)> = (0..10).map(|i| (f.px(i), f.py(3.4))).collect();
        let svg = published_marks(&f, &refs, &marks, &median);
        let labels = text_boxes(&svg);
        assert_eq!(labels.len(), 3);
        for label in &labels {
            assert!(
                !crosses(&median, label),
                "{label:?} crosses the median\n{svg}"
            );
        }
        // The check itself: a box the line runs through, and one above it.
        let y = f.py(3.4);
        assert!(crosses(&median, &(100.0, y - 5.0, 160.0, y + 5.0)));
        assert!(!crosses(&median, &(100.0, y - 20.0, 160.0, y - 10.0)));
        let dots: Vec<(f64, f64, f64, f64)> = [(2, 2.9), (2, 3.9), (3, 6.3), (3, 5.8)]
            .iter()
            .map(|&(i, v)| {
                let (x, y) = (f.px(i), f.py(v));
                (x - 4.0, y - 4.0, x + 4.0, y + 4.0)
            })
            .collect();
        for (i, a) in labels.iter().enumerate() {
            for b in labels.iter().skip(i + 1).chain(&dots) {
                assert!(!overlaps(a, b), "{a:?} overlaps {b:?}\n{svg}");
            }
        }
    }
}
