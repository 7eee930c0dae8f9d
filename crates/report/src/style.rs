//! The report's stylesheet: plain, high-contrast, readable on screen and printed on A4, each
//! section starting a new page, charts scaled to the page and never split across pages.

/// The stylesheet, inlined into the document's head.
pub(crate) const CSS: &str = r#"
:root { --ink: #1d1d1b; --muted: #505a5f; --rule: #b1b4b6; --accent: #1d4f91; --over: #a8201a; --under: #00703c; --panel: #f3f2f1; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; color: var(--ink); background: #fff; font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; line-height: 1.45; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
header.report-header { border-bottom: 4px solid var(--accent); padding-bottom: 0.75rem; margin-bottom: 1.25rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 0.4rem; }
h2 { font-size: 1.5rem; margin: 2.25rem 0 0.75rem; padding-top: 0.5rem; border-top: 2px solid var(--rule); }
h3 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
p { margin: 0 0 0.75rem; max-width: 46rem; }
.meta { color: var(--muted); font-size: 0.9rem; margin: 0.15rem 0; }
.key-messages { background: var(--panel); border-left: 6px solid var(--accent); padding: 0.75rem 1rem 0.5rem; margin: 0 0 1.25rem; }
.key-messages h3 { margin-top: 0.25rem; }
.key-messages ul { margin: 0.25rem 0 0.5rem 1.1rem; padding: 0; }
.key-messages li { margin-bottom: 0.4rem; }
.lacking { background: var(--panel); border-left: 6px solid var(--rule); padding: 0.5rem 0.75rem; font-style: italic; }
.note { color: var(--muted); font-size: 0.85rem; margin-top: 0.35rem; }
.over { color: var(--over); font-weight: bold; }
.under { color: var(--under); font-weight: bold; }
data { font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; margin: 0.75rem 0 1.25rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
caption { caption-side: top; text-align: left; font-weight: bold; font-size: 0.95rem; padding-bottom: 0.35rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.3rem 0.45rem; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); text-align: right; font-weight: bold; }
thead th:first-child { text-align: left; }
tbody th { text-align: left; font-weight: normal; min-width: 8.5rem; }
thead th.text { text-align: left; }
td { text-align: right; white-space: nowrap; }
td.text { text-align: left; white-space: normal; }
tr.total th, tr.total td { font-weight: bold; border-top: 2px solid var(--ink); }
figure.chart { margin: 1rem 0 1.5rem; }
figure.chart svg { display: block; width: 100%; height: auto; max-height: 34rem; border: 1px solid #dedede; }
figure.chart svg text { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; }
figcaption { font-size: 0.85rem; color: var(--muted); margin-top: 0.35rem; max-width: 46rem; }
dl.glossary { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; font-size: 0.9rem; }
dl.glossary dt { font-weight: bold; }
dl.glossary dd { margin: 0; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.85em; overflow-wrap: anywhere; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  html { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  .report-section { break-before: page; }
  header.report-header + .report-section { break-before: auto; }
  h2 { border-top: none; margin-top: 0; padding-top: 0; }
  h2, h3 { break-after: avoid; }
  figure.chart, .key-messages, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  figure.chart svg { max-height: 120mm; border: none; }
  .table-wrap { overflow: visible; }
  td { white-space: normal; }
  a { color: inherit; text-decoration: none; }
}
"#;
