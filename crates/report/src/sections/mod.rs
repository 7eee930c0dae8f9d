//! The report's header and its five sections, one module each.

pub(crate) mod ages;
pub(crate) mod areas;
pub(crate) mod assumptions;
pub(crate) mod children;
pub(crate) mod options;
pub(crate) mod overspend;
pub(crate) mod trust;

use dsg_core::FinancialYear;
use dsg_montecarlo::{Summary, YearStats};

use crate::Report;
use crate::html::{Format, Src, escape, figure};

/// The report's header: title, authority, scenario, what was run.
pub(crate) fn header(r: &Report<'_>) -> String {
    let s = r.scenario;
    let years = &r.summary.scenario.years;
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let mut out = String::from("<header class=\"report-header\">\n");
    out.push_str(&format!(
        "<h1>High-needs DSG forecast: report to committee</h1>\n<p class=\"meta\"><strong>{}</strong>{}</p>\n",
        escape(if s.authority().is_empty() {
            s.name()
        } else {
            s.authority()
        }),
        if s.authority().is_empty() {
            String::new()
        } else {
            format!(" – {}", escape(s.name()))
        }
    ));
    out.push_str(&format!(
        "<p class=\"meta\">Forecast for {span} from the position at 31 March {}, over {} simulated futures; national policy as in <code>{}</code>. Prepared with dsg {}.</p>\n",
        s.base_year().end_year(),
        dsg_core::money::group_thousands(&r.summary.run.paths.to_string()),
        escape(s.policy()),
        env!("CARGO_PKG_VERSION"),
    ));
    out.push_str(
        "<p class=\"meta\">Every figure comes from a simulation of many possible futures. “Median” is the middle outcome: half of the futures are better, half worse. Chances are the share of simulated futures; the words for them are explained in section 5.</p>\n</header>\n",
    );
    out
}

/// The statistics of series `name` in the year of index `i`, with their source.
pub(crate) fn stats<'s>(
    summary: &'s Summary,
    name: &str,
    i: usize,
) -> Option<(&'s YearStats, Src)> {
    let y = summary.series(name)?.get(i)?;
    Some((y, Src::summary().at("series").at(name).at(i)))
}

/// `31 March 2028` for the year 2027-28.
pub(crate) fn year_end(year: FinancialYear) -> String {
    format!("31 March {}", year.end_year())
}

/// A count of children or plans, tagged with its source.
pub(crate) fn count(x: f64, src: &Src) -> String {
    figure(x, src, Format::Count, 1.0)
}
