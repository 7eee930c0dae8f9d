//! The pieces the report is written with: escaped text, figures tagged with where they come
//! from, tables with captions and header cells, and charts with alt text.
//!
//! Every figure drawn from the results is written as
//! `<data value="-142177720" data-src="summary.json#/series/balance.cumulative/1/p50"
//! data-format="pounds" data-scale="-1">£142.2m</data>`: the value exactly as the results file
//! holds it, the file and JSON pointer it comes from, and how it is shown. A test reads every one
//! back and checks it against the file.

use dsg_core::money::{format_pounds, group_thousands};

use crate::headline::percent as percent_words;

/// Escapes `text` for HTML element content and attribute values.
///
/// ```
/// assert_eq!(dsg_report::html::escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Where a figure comes from: a results file and a JSON pointer into it.
///
/// ```
/// use dsg_report::html::Src;
/// let src = Src::summary().at("series").at("balance.cumulative").at(1).at("p50");
/// assert_eq!(src.to_string(), "summary.json#/series/balance.cumulative/1/p50");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Src {
    file: &'static str,
    pointer: String,
}

impl Src {
    /// The root of `file`.
    pub fn of(file: &'static str) -> Src {
        Src {
            file,
            pointer: String::new(),
        }
    }

    /// The root of `summary.json`.
    pub fn summary() -> Src {
        Src::of(crate::SUMMARY_FILE)
    }

    /// One step further down: an object key or an array index (RFC 6901 escaping).
    pub fn at(&self, step: impl std::fmt::Display) -> Src {
        let step = step.to_string().replace('~', "~0").replace('/', "~1");
        Src {
            file: self.file,
            pointer: format!("{}/{step}", self.pointer),
        }
    }
}

impl std::fmt::Display for Src {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}#{}", self.file, self.pointer)
    }
}

/// How a tagged figure is shown (the `data-format` attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `£12.3m`, `£56k` ([`format_pounds`]).
    Pounds,
    /// A whole percentage that never rounds a possibility away: `37%`, `under 1%`.
    Percent,
    /// A whole number with thousands separators: `1,234`.
    Count,
    /// One decimal: `27.4`.
    Decimal1,
    /// Pounds and pence per pound: `£6.94`.
    PerPound,
}

impl Format {
    /// The `data-format` name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Pounds => "pounds",
            Format::Percent => "percent",
            Format::Count => "count",
            Format::Decimal1 => "decimal1",
            Format::PerPound => "per-pound",
        }
    }

    /// `x` as shown.
    pub fn show(self, x: f64) -> String {
        match self {
            Format::Pounds => format_pounds(x),
            Format::Percent => percent_words(x),
            Format::Count => {
                let text = format!("{:.0}", x.abs());
                let sign = if x < 0.0 && text != "0" { "-" } else { "" };
                format!("{sign}{}", group_thousands(&text))
            }
            Format::Decimal1 => format!("{x:.1}"),
            Format::PerPound => format!("£{x:.2}"),
        }
    }
}

/// A figure from the results, tagged with its source: `value` as the file holds it, shown as
/// `format` of `scale * value` (a deficit is shown as `-1` times the balance).
///
/// ```
/// use dsg_report::html::{Format, Src, figure};
/// let src = Src::summary().at("probabilities").at("x");
/// let html = figure(0.93, &src, Format::Percent, 1.0);
/// assert_eq!(html, r#"<data value="0.93" data-src="summary.json#/probabilities/x" data-format="percent">93%</data>"#);
/// ```
pub fn figure(value: f64, src: &Src, format: Format, scale: f64) -> String {
    let scale_attr = if scale == 1.0 {
        String::new()
    } else {
        format!(r#" data-scale="{scale}""#)
    };
    format!(
        r#"<data value="{value}" data-src="{}" data-format="{}"{scale_attr}>{}</data>"#,
        escape(&src.to_string()),
        format.name(),
        escape(&format.show(scale * value))
    )
}

/// Pounds from the results ([`figure`] with [`Format::Pounds`]).
pub fn pounds(value: f64, src: &Src) -> String {
    figure(value, src, Format::Pounds, 1.0)
}

/// A deficit from a balance in the results: `-balance` in pounds.
pub fn deficit(balance: f64, src: &Src) -> String {
    figure(balance, src, Format::Pounds, -1.0)
}

/// A probability from the results.
pub fn chance(p: f64, src: &Src) -> String {
    figure(p, src, Format::Percent, 1.0)
}

/// A table: a caption, column headers, and rows whose first cell heads the row. Cells are HTML.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// What the table shows.
    pub caption: String,
    /// Column headers (plain text).
    pub headers: Vec<String>,
    /// Rows of HTML cells; the first is the row's header.
    pub rows: Vec<Vec<String>>,
    /// Rows (by index) to emphasise, as a total.
    pub total_rows: Vec<usize>,
    /// A note under the table (HTML).
    pub note: Option<String>,
    /// Columns (by index, after the first) of text rather than figures: left-aligned and wrapped.
    pub text_columns: Vec<usize>,
}

impl Table {
    /// The table as HTML: `<table>` with `<caption>`, `<thead>` of `<th scope="col">` and rows
    /// headed by `<th scope="row">`; every column but the first right-aligned.
    pub fn html(&self) -> String {
        let mut out = String::from("<div class=\"table-wrap\"><table>\n");
        out.push_str(&format!(
            "<caption>{}</caption>\n<thead><tr>",
            escape(&self.caption)
        ));
        for (j, h) in self.headers.iter().enumerate() {
            let class = if self.text_columns.contains(&j) {
                " class=\"text\""
            } else {
                ""
            };
            out.push_str(&format!("<th scope=\"col\"{class}>{}</th>", escape(h)));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for (i, row) in self.rows.iter().enumerate() {
            let class = if self.total_rows.contains(&i) {
                " class=\"total\""
            } else {
                ""
            };
            out.push_str(&format!("<tr{class}>"));
            for (j, cell) in row.iter().enumerate() {
                if j == 0 {
                    out.push_str(&format!("<th scope=\"row\">{cell}</th>"));
                } else if self.text_columns.contains(&j) {
                    out.push_str(&format!("<td class=\"text\">{cell}</td>"));
                } else {
                    out.push_str(&format!("<td>{cell}</td>"));
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table>");
        if let Some(note) = &self.note {
            out.push_str(&format!("<p class=\"note\">{note}</p>"));
        }
        out.push_str("</div>\n");
        out
    }
}

/// A chart drawn by dsg-plot, inlined: the SVG document given `role="img"`, a `<title>` with
/// the alt text and an `aria-labelledby` pointing at it, scaled to the page by CSS, inside a
/// `<figure>` with its caption.
///
/// ```
/// let svg = r#"<svg width="1200" height="675" viewBox="0 0 1200 675" xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#;
/// let html = dsg_report::html::chart(svg, "fan", "The deficit's range", "Figure 1. The range.");
/// assert!(html.contains(r#"<svg role="img" aria-labelledby="fan-title" viewBox="0 0 1200 675""#));
/// assert!(html.contains(r#"<title id="fan-title">The deficit&#39;s range</title>"#));
/// ```
pub fn chart(svg: &str, id: &str, alt: &str, caption: &str) -> String {
    // plotters opens with `<svg width=".." height=".." viewBox=".." xmlns="..">`: the fixed size
    // goes (CSS sizes the chart to the page), the viewBox keeps its proportions.
    let body = svg
        .split_once('>')
        .map_or(svg, |(_, rest)| rest)
        .trim_start();
    let view_box = svg
        .split_once("viewBox=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or("0 0 1200 675", |(v, _)| v);
    format!(
        "<figure class=\"chart\" id=\"{id}\">\n<svg role=\"img\" aria-labelledby=\"{id}-title\" viewBox=\"{view_box}\" xmlns=\"http://www.w3.org/2000/svg\" preserveAspectRatio=\"xMidYMid meet\">\n<title id=\"{id}-title\">{}</title>\n{body}\n<figcaption>{}</figcaption>\n</figure>\n",
        escape(alt),
        escape(caption)
    )
}

/// Text the scenario's author wrote (an option's name, a mitigation's description), marked as
/// such: figures in it are the author's words, not results.
pub fn given(text: &str) -> String {
    format!("<span class=\"given\">{}</span>", escape(text))
}

/// A paragraph of HTML.
pub fn para(html: &str) -> String {
    format!("<p>{html}</p>\n")
}

/// The one line a section shows when the scenario lacks its data.
pub fn lacking(html: &str) -> String {
    format!("<p class=\"lacking\">{html}</p>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        let src = Src::of("x.json").at("a/b").at("c~d");
        assert_eq!(src.to_string(), "x.json#/a~1b/c~0d");
    }

    #[test]
    fn formats_show_what_a_reader_expects() {
        assert_eq!(Format::Pounds.show(-142_177_720.0), "-£142.2m");
        assert_eq!(Format::Count.show(1234.4), "1,234");
        assert_eq!(Format::Count.show(-0.2), "0");
        assert_eq!(Format::Decimal1.show(27.44), "27.4");
        assert_eq!(Format::PerPound.show(6.944), "£6.94");
        assert_eq!(Format::Percent.show(0.001), "under 1%");
    }

    #[test]
    fn a_deficit_is_the_balance_turned_round() {
        let html = deficit(-2_000_000.0, &Src::summary());
        assert!(html.contains(r#"data-scale="-1""#) && html.ends_with(">£2.0m</data>"));
    }

    #[test]
    fn tables_have_captions_and_header_cells() {
        let t = Table {
            caption: "Spend <by> line".into(),
            headers: vec!["Line".into(), "£m".into()],
            rows: vec![vec!["A".into(), "1".into()]],
            ..Table::default()
        };
        let html = t.html();
        assert!(html.contains("<caption>Spend &lt;by&gt; line</caption>"));
        assert!(html.contains("<th scope=\"col\">£m</th>"));
        assert!(html.contains("<th scope=\"row\">A</th><td>1</td>"));
    }
}
