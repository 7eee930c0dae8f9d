//! Text from data written safely into each output format: TOML strings and comments, and CSV
//! cells a spreadsheet will not run as formulas.
//!
//! Text that comes from a user's files (setting codes, plan ids, file names, scenario and series
//! names) must never change the structure of what it is written into: a quote and a new line in
//! a setting code must not start a new TOML table, and a cell beginning with `=` must not become
//! a formula when the CSV is opened in a spreadsheet. Every writer of those formats in the
//! project goes through this module.

use std::io::Write;

/// `text` as a TOML basic string, quotes included, with `"`, `\` and control characters
/// escaped.
///
/// ```
/// use dsg_data::escape::toml_string;
/// assert_eq!(toml_string("special"), r#""special""#);
/// assert_eq!(toml_string("x\"\n[scenario]"), r#""x\"\n[scenario]""#);
/// ```
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` for the rest of a TOML comment line: new lines and other control characters become
/// spaces, so the text cannot end the comment and start a key or a table.
///
/// ```
/// assert_eq!(dsg_data::escape::toml_comment("cases.csv\n[scenario]"), "cases.csv [scenario]");
/// ```
pub fn toml_comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A CSV cell that a spreadsheet shows as the text it is: text beginning with `=`, `+`, `-`,
/// `@`, a tab or a carriage return (which a spreadsheet would run as a formula) gets a leading
/// `'`, the mark spreadsheets use for "this is text". Numbers, negative ones included, are
/// written as they are.
///
/// ```
/// use dsg_data::escape::spreadsheet_text;
/// assert_eq!(spreadsheet_text("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(spreadsheet_text("-12.5"), "-12.5");
/// assert_eq!(spreadsheet_text("SEMH"), "SEMH");
/// ```
pub fn spreadsheet_text(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && text.trim().parse::<f64>().map_or(true, |x| !x.is_finite()) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The text [`spreadsheet_text`] was given, for a cell it wrote: a leading `'` before a character
/// a spreadsheet would run as a formula is taken off.
///
/// ```
/// use dsg_data::escape::{spreadsheet_text, spreadsheet_text_back};
/// assert_eq!(spreadsheet_text_back("'=SUM(A1)"), "=SUM(A1)");
/// assert_eq!(spreadsheet_text_back(&spreadsheet_text("-x")), "-x");
/// assert_eq!(spreadsheet_text_back("O'Neill"), "O'Neill");
/// ```
pub fn spreadsheet_text_back(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// A CSV writer whose every cell goes through [`spreadsheet_text`].
///
/// ```
/// let mut w = dsg_data::escape::CsvWriter::new(Vec::new());
/// w.write_record(["plan_id", "cost"])?;
/// w.write_record(["=1+1", "-5"])?;
/// let text = String::from_utf8(w.into_inner()?).unwrap_or_default();
/// assert_eq!(text, "plan_id,cost\n'=1+1,-5\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    /// A writer into `w`.
    pub fn new(w: W) -> Self {
        CsvWriter {
            inner: csv::Writer::from_writer(w),
        }
    }

    /// Writes one row.
    pub fn write_record<I, T>(&mut self, cells: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.inner.write_record(
            cells
                .into_iter()
                .map(|c| spreadsheet_text(c.as_ref()).into_owned()),
        )
    }

    /// Flushes and gives back the underlying writer.
    pub fn into_inner(self) -> Result<W, std::io::Error> {
        self.inner.into_inner().map_err(|e| e.into_error())
    }
}

impl CsvWriter<std::fs::File> {
    /// A writer into a new file at `path`.
    pub fn create(path: &std::path::Path) -> std::io::Result<Self> {
        Ok(CsvWriter::new(std::fs::File::create(path)?))
    }
}

impl<W: Write> CsvWriter<W> {
    /// Flushes what is written.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
