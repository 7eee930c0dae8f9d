//! # dsg-report: the committee report
//!
//! One self-contained HTML file (inline CSS, inline SVG charts, no scripts and nothing fetched
//! from elsewhere) answering what a committee asks for (seed 004): the likely overspend, which
//! areas overspend, the options to meet the budget limit, the impact on children and families,
//! and the assumptions behind it all. It reads on screen and prints to A4, one section per page
//! or more.
//!
//! The report draws only from results already made: the run's [`Summary`], and where given the
//! sensitivity analysis, the options compared and the goal seek. It never recomputes the model.
//! Every figure in it is tagged with the results file and JSON pointer it comes from (see
//! [`html::figure`]), so that a test can check each one.
//!
//! ```
//! use dsg_report::{Provenance, Report};
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml");
//! let scenario = dsg_core::Scenario::load(path.as_ref())?;
//! let summary = dsg_montecarlo::Simulation::new(&scenario)?
//!     .run(&dsg_montecarlo::Settings { paths: 500, ..Default::default() })?;
//! let report = Report::new(&scenario, &summary, Provenance::default());
//! let html = report.html()?;
//! assert!(html.starts_with("<!DOCTYPE html>"));
//! assert!(html.contains("1. The likely overspend"));
//! // Without [[options]], the options section says so in one line.
//! assert!(html.contains("The scenario compares no options"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod headline;
pub mod html;
pub mod labels;
mod sections;
mod style;

use dsg_analysis::Sensitivity;
use dsg_analysis::goal::GoalResult;
use dsg_analysis::options::OptionsResult;
use dsg_core::Scenario;
use dsg_montecarlo::Summary;

/// The results file the run's figures come from.
pub const SUMMARY_FILE: &str = "summary.json";
/// The results file of the options compared.
pub const OPTIONS_FILE: &str = "options.json";
/// The results file of the goal seek.
pub const GOAL_FILE: &str = "goal.json";
/// The results file of the sensitivity analysis.
pub const ANALYSIS_FILE: &str = "analysis.json";
/// The results file of the growth model's track record.
pub const TRACK_RECORD_FILE: &str = "track-record.json";
/// The report's file name.
pub const REPORT_FILE: &str = "report.html";

/// How sure the council wants to be in the report's goal seek: 80%, the confidence finance
/// officers plan to (P80). The report's goal seek is
/// [`dsg_analysis::goal::standard_question`].
pub const GOAL_CONFIDENCE: f64 = dsg_analysis::goal::STANDARD_CONFIDENCE;

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A chart could not be drawn.
    #[error("cannot draw a chart for the report: {0}")]
    Chart(#[from] dsg_plot::PlotError),
    /// A figure the report needs is missing from the results.
    #[error("the results lack {0}")]
    Missing(String),
}

/// Where the results came from, for the reproducibility section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// The scenario file as given.
    pub file: String,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// The command that makes this report again.
    pub command: String,
}

/// The report's goal seek: what it takes to meet the budget limit.
#[derive(Debug, Clone, PartialEq)]
pub enum GoalAnswer {
    /// The smallest lever value meeting the target with the confidence asked.
    Found(GoalResult),
    /// No value up to the lever's maximum meets it: why.
    Unreachable {
        /// The target in words.
        target: String,
        /// The reason, from the goal seek.
        reason: String,
    },
}

/// One line of a growth model's track record: how often its ranges held what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordLine {
    /// Whose forecasts ("Cambridgeshire", "152 councils").
    pub who: String,
    /// How many forecasts were scored.
    pub forecasts: usize,
    /// The share of outcomes inside the 80% range (P10 to P90).
    pub coverage_80: f64,
    /// The share below P10.
    pub below_p10: f64,
    /// The share above P90.
    pub above_p90: f64,
}

/// The growth model's track record behind a scenario's growth of plans, for "How far to trust
/// these ranges": its forecasts from past origins scored against what happened, over every
/// council and on the scenario's own council. Written to [`TRACK_RECORD_FILE`] with the same
/// fields (`pooled`, `council`), which the report's figures point into.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackRecord {
    /// First and last origin (January counts).
    pub origins: (i32, i32),
    /// Horizons 1 to this many years.
    pub horizons: u32,
    /// Over every council.
    pub pooled: RecordLine,
    /// On the scenario's own council, if it has outcomes.
    pub council: Option<RecordLine>,
    /// The origin whose forecasts held the fewest outcomes in their 80% range, and that share
    /// (over every council).
    pub worst_origin: Option<(i32, f64)>,
    /// The reliability diagram's data.
    pub chart: dsg_plot::TrackRecord,
}

/// The sections of the report, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// 1. The likely overspend.
    Overspend,
    /// 2. Which areas overspend.
    Areas,
    /// 3. The options to meet the budget limit.
    Options,
    /// 4. Impact on children and families.
    Children,
    /// 5. Assumptions and reproducibility.
    Assumptions,
}

impl Section {
    /// Every section, in order.
    pub const ALL: [Section; 5] = [
        Section::Overspend,
        Section::Areas,
        Section::Options,
        Section::Children,
        Section::Assumptions,
    ];

    /// The section's heading, numbered: `1. The likely overspend`.
    ///
    /// ```
    /// assert_eq!(dsg_report::Section::Children.heading(), "4. Impact on children and families");
    /// ```
    pub fn heading(self) -> &'static str {
        match self {
            Section::Overspend => "1. The likely overspend",
            Section::Areas => "2. Which areas overspend",
            Section::Options => "3. The options to meet the budget limit",
            Section::Children => "4. Impact on children and families",
            Section::Assumptions => "5. Assumptions and reproducibility",
        }
    }

    /// The section's HTML id: `likely-overspend`.
    pub fn id(self) -> &'static str {
        match self {
            Section::Overspend => "likely-overspend",
            Section::Areas => "areas",
            Section::Options => "options",
            Section::Children => "children",
            Section::Assumptions => "assumptions",
        }
    }
}

/// Everything the report is written from.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    /// The scenario run.
    pub scenario: &'a Scenario,
    /// The run's results.
    pub summary: &'a Summary,
    /// Where they came from.
    pub provenance: Provenance,
    /// What drives the uncertainty (`dsg run --analyse`), if analysed.
    pub sensitivity: Option<&'a [Sensitivity]>,
    /// The scenario's options compared, if it has any.
    pub options: Option<&'a OptionsResult>,
    /// What it takes to meet the budget limit, if sought.
    pub goal: Option<&'a GoalAnswer>,
    /// The growth model's track record, when the scenario's growth comes from it.
    pub track_record: Option<&'a TrackRecord>,
}

impl<'a> Report<'a> {
    /// A report of `summary` alone; add the analyses with the public fields.
    pub fn new(scenario: &'a Scenario, summary: &'a Summary, provenance: Provenance) -> Self {
        Report {
            scenario,
            summary,
            provenance,
            sensitivity: None,
            options: None,
            goal: None,
            track_record: None,
        }
    }

    /// The whole report: one HTML document.
    pub fn html(&self) -> Result<String, ReportError> {
        let mut body = sections::header(self);
        for section in Section::ALL {
            body.push_str(&self.section_html(section)?);
        }
        Ok(page(&self.title(), &body))
    }

    /// One section as a document of its own (the report's head and styles, that section
    /// alone), for a screenshot or a paper on its own.
    pub fn section_page(&self, section: Section) -> Result<String, ReportError> {
        Ok(page(&self.title(), &self.section_html(section)?))
    }

    /// The `<section>` element of `section`.
    fn section_html(&self, section: Section) -> Result<String, ReportError> {
        let inner = match section {
            Section::Overspend => sections::overspend::html(self)?,
            Section::Areas => sections::areas::html(self)?,
            Section::Options => sections::options::html(self)?,
            Section::Children => sections::children::html(self)?,
            Section::Assumptions => sections::assumptions::html(self)?,
        };
        Ok(format!(
            "<section class=\"report-section\" id=\"{}\" aria-labelledby=\"{}-heading\">\n<h2 id=\"{}-heading\">{}</h2>\n{inner}</section>\n",
            section.id(),
            section.id(),
            section.id(),
            html::escape(section.heading())
        ))
    }

    /// The document's title.
    fn title(&self) -> String {
        let s = self.scenario;
        let who = if s.authority().is_empty() {
            s.name().to_string()
        } else {
            s.authority().to_string()
        };
        format!("High-needs DSG forecast: report to committee – {who}")
    }
}

/// An HTML document with the report's styles around `body`.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"dsg {}\">\n<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        html::escape(title),
        style::CSS
    )
}
