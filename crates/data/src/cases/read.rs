//! Reading a case list from CSV or XLSX: every row that can be used becomes a [`CaseRecord`];
//! every row that cannot is left out and listed with its row number, column and reason.

use std::collections::HashMap;
use std::io::Read;
use std::marker::PhantomData;
use std::path::Path;

use super::date::Date;
use super::record::{COLUMNS, CaseRecord, Need, RowProblem, Status};
use crate::DataError;

mod ods;
mod sheet;

use sheet::SheetRows;
pub use sheet::{MAX_COLUMNS, MAX_ROWS};

/// A case list as read: the usable records, the rows left out and why, and the columns ignored.
///
/// ```
/// use dsg_data::cases::CaseList;
/// let csv = "plan_id,child_id,date_of_birth,setting,primary_need,start_date,status,annual_cost,notes\n\
///            P1,C1,2015-05-01,SPEC,ASD,2022-09-01,active,25000,\n\
///            P2,C2,31/02/2014,SPEC,ASD,2022-09-01,active,25000,\n";
/// let list = CaseList::from_csv(csv.as_bytes(), "cases.csv")?;
/// assert_eq!(list.records.len(), 1);
/// assert_eq!(list.problems[0].row, 3);
/// assert_eq!(list.unknown_columns, ["notes"]);
/// # Ok::<(), dsg_data::DataError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct CaseList {
    /// The file, as given.
    pub source: String,
    /// Data rows in the file (not counting the header).
    pub rows_read: usize,
    /// The rows that could be read, in file order.
    pub records: Vec<CaseRecord>,
    /// The council's setting codes, each once, in order of first appearance.
    pub settings: Vec<String>,
    /// Rows left out, with the reason (one entry per bad value).
    pub problems: Vec<RowProblem>,
    /// Header names that are not [`COLUMNS`]: ignored.
    pub unknown_columns: Vec<String>,
}

/// One cell of a row, from CSV text or a spreadsheet.
#[derive(Debug, Clone, Copy)]
enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Date(Date),
}

/// Where each known column is in the file's rows.
#[derive(Debug, Default)]
struct Layout {
    at: [Option<usize>; COLUMNS.len()],
}

const PLAN: usize = 0;
const CHILD: usize = 1;
const BIRTH: usize = 2;
const AGE: usize = 3;
const SETTING: usize = 4;
const NEED: usize = 5;
const START: usize = 6;
const END: usize = 7;
const CEASED: usize = 8;
const STATUS: usize = 9;
const COST: usize = 10;

impl Layout {
    /// The layout of `header`, the row on line (or spreadsheet row) `row`.
    fn of(
        header: &[String],
        row: usize,
        file: &str,
        unknown: &mut Vec<String>,
    ) -> Result<Layout, DataError> {
        let mut layout = Layout::default();
        for (i, name) in header.iter().enumerate() {
            let name = name
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase();
            match COLUMNS.iter().position(|c| *c == name) {
                Some(k) if layout.at[k].is_some() => {
                    return Err(DataError::Invalid {
                        file: file.to_string(),
                        row: Some(row),
                        message: format!("column `{name}` appears twice"),
                    });
                }
                Some(k) => layout.at[k] = Some(i),
                None if name.is_empty() => {}
                // Named, never echoed whole (a header cell may hold anything).
                None => unknown.push(shown(&name)),
            }
        }
        let mut missing: Vec<&str> = [PLAN, CHILD, SETTING, NEED, START, STATUS]
            .into_iter()
            .filter(|&k| layout.at[k].is_none())
            .map(|k| COLUMNS[k])
            .collect();
        if layout.at[BIRTH].is_none() && layout.at[AGE].is_none() {
            missing.push("date_of_birth (or age)");
        }
        if !missing.is_empty() {
            return Err(DataError::MissingColumns {
                file: file.to_string(),
                row,
                missing: missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                expected: "plan_id, child_id, date_of_birth or age, setting, primary_need, start_date, status (and optionally end_date, ceased_date, annual_cost)".into(),
            });
        }
        Ok(layout)
    }
}

impl CaseList {
    /// Reads a case list from a file: `.xlsx`, `.xlsm`, `.xls` or `.ods` as a spreadsheet (its
    /// first sheet), anything else as CSV.
    ///
    /// ```no_run
    /// let list = dsg_data::cases::CaseList::read(std::path::Path::new("data/cases-example.csv"))?;
    /// println!("{} rows, {} left out", list.rows_read, list.problems.len());
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn read(path: &Path) -> Result<CaseList, DataError> {
        let file = path.display().to_string();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
            return CaseList::read_workbook(path);
        }
        let f = std::fs::File::open(path).map_err(|source| DataError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        CaseList::from_csv(std::io::BufReader::with_capacity(1 << 20, f), &file)
    }

    /// Reads a case list from CSV text; `source` names it in messages.
    ///
    /// ```
    /// let err = dsg_data::cases::CaseList::from_csv("a,b\n1,2\n".as_bytes(), "x.csv").err();
    /// assert!(err.map(|e| e.to_string()).unwrap_or_default().contains("x.csv, row 1: no column `plan_id`"));
    /// ```
    pub fn from_csv(reader: impl Read, source: &str) -> Result<CaseList, DataError> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .comment(Some(b'#'))
            .has_headers(false)
            .from_reader(reader);
        let mut record = csv::ByteRecord::new();
        let mut list = CaseList {
            source: source.to_string(),
            ..CaseList::default()
        };
        let read_err = |e: csv::Error, row: usize| DataError::Invalid {
            file: source.to_string(),
            row: Some(row),
            message: format!("not readable as CSV: {e}"),
        };
        if !rdr
            .read_byte_record(&mut record)
            .map_err(|e| read_err(e, 1))?
        {
            return Err(DataError::Invalid {
                file: source.to_string(),
                row: None,
                message: "the file is empty: it needs a header row naming the columns".into(),
            });
        }
        let mut row = header_line(&record, &rdr);
        if record.len() > MAX_COLUMNS {
            return Err(DataError::Invalid {
                file: source.to_string(),
                row: Some(row),
                message: format!(
                    "the header row has {} columns: a case list has at most {MAX_COLUMNS}",
                    record.len()
                ),
            });
        }
        check_utf8(&record, source, row, "the header row")?;
        let header: Vec<String> = record
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        let layout = Layout::of(&header, row, source, &mut list.unknown_columns)?;
        let mut interner = Interner::default();
        loop {
            match rdr.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(read_err(e, row + 1)),
            }
            // The line the row starts on, as a spreadsheet or text editor numbers it (the csv
            // reader skips blank lines, which a spreadsheet shows as empty rows).
            row = record
                .position()
                .map_or(row + 1, |p| usize::try_from(p.line()).unwrap_or(row + 1));
            if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            check_utf8(&record, source, row, "this row")?;
            list.rows_read += 1;
            if list.rows_read > MAX_ROWS {
                return Err(DataError::Invalid {
                    file: source.to_string(),
                    row: Some(row),
                    message: format!(
                        "more than {MAX_ROWS} rows: a case list has one row per plan (England has about 640,000)"
                    ),
                });
            }
            let cell = |k: usize| -> Result<Cell<'_>, ()> {
                let Some(bytes) = layout.at[k].and_then(|i| record.get(i)) else {
                    return Ok(Cell::Empty);
                };
                let text = std::str::from_utf8(bytes).map_err(|_| ())?.trim();
                Ok(if text.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(text)
                })
            };
            parse_row(row, cell, &mut interner, &mut list);
        }
        list.settings = interner.names;
        Ok(list)
    }

    fn read_workbook(path: &Path) -> Result<CaseList, DataError> {
        use calamine::{Data, Reader, Xlsx, open_workbook, open_workbook_auto};
        let file = path.display().to_string();
        let wb_err = |message: String| DataError::Workbook {
            file: file.clone(),
            message,
        };
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let mut sheet_rows = SheetRows::new(&file);
        // XLSX and XLSB cell by cell from the sheet's records: a sheet whose used range is
        // declared (or made by one far cell) as 16,384 columns by 1,048,576 rows allocates
        // nothing for the empty cells, and cells beyond the header's columns are never kept.
        macro_rules! cell_by_cell {
            ($kind:ty, $error:ty) => {{
                let mut wb: $kind =
                    open_workbook(path).map_err(|e: $error| wb_err(e.to_string()))?;
                let Some(sheet) = wb.sheet_names().first().cloned() else {
                    return Err(wb_err("it has no sheets".into()));
                };
                let sheet_err = |e: $error| wb_err(format!("sheet `{sheet}`: {e}"));
                let mut cells = wb.worksheet_cells_reader(&sheet).map_err(sheet_err)?;
                while let Some(cell) = cells.next_cell().map_err(sheet_err)? {
                    let (row, column) = cell.get_position();
                    sheet_rows.cell(row, column, Data::from(cell.get_value().clone()))?;
                }
                return sheet_rows.finish(&sheet);
            }};
        }
        type Buffered = std::io::BufReader<std::fs::File>;
        match ext.as_str() {
            "xlsx" | "xlsm" => cell_by_cell!(Xlsx<Buffered>, calamine::XlsxError),
            "xlsb" => cell_by_cell!(calamine::Xlsb<Buffered>, calamine::XlsbError),
            _ => {}
        }
        if ext == "ods" {
            // Cell by cell from the sheet's XML, as XLSX (calamine builds a dense range).
            let sheet = ods::read_first_sheet(path, &mut sheet_rows)?;
            return sheet_rows.finish(&sheet);
        }
        let mut wb = open_workbook_auto(path).map_err(|e| wb_err(e.to_string()))?;
        let Some(sheet) = wb.sheet_names().first().cloned() else {
            return Err(wb_err("it has no sheets".into()));
        };
        let range = wb
            .worksheet_range(&sheet)
            .map_err(|e| wb_err(format!("sheet `{sheet}`: {e}")))?;
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        for (i, cells) in range.rows().enumerate() {
            for (j, c) in cells.iter().enumerate() {
                if !matches!(c, Data::Empty) {
                    sheet_rows.cell(first_row + i as u32, first_column + j as u32, c.clone())?;
                }
            }
        }
        sheet_rows.finish(&sheet)
    }
}

/// Setting codes, each held once.
#[derive(Default)]
struct Interner {
    index: HashMap<Box<str>, u32>,
    names: Vec<String>,
}

impl Interner {
    fn get(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.index.insert(name.into(), i);
        self.names.push(name.to_string());
        i
    }
}

/// Parses one row through `cell` (which gives the cell of a column, or `Err` for text that is
/// not UTF-8), pushing the record or its problems onto `list`.
fn parse_row<'a>(
    row: usize,
    cell: impl Fn(usize) -> Result<Cell<'a>, ()>,
    interner: &mut Interner,
    list: &mut CaseList,
) {
    let before = list.problems.len();
    let mut r = Row {
        row,
        cell,
        problems: &mut list.problems,
        cells: PhantomData,
    };
    let plan_id = r.text(PLAN);
    let child_id = r.text(CHILD);
    let setting = r.text(SETTING);
    let need = r.need();
    let status = r.status();
    let start = r.date(START, true);
    let end = r.date(END, false);
    let ceased = r.date(CEASED, false);
    let birth = r.birth(start);
    let cost = r.cost();
    r.check_dates(status, start, (end, ceased));
    if list.problems.len() > before {
        return;
    }
    let (
        Some(plan_id),
        Some(child_id),
        Some(birth),
        Some(setting),
        Some(need),
        Some(start),
        Some(status),
    ) = (plan_id, child_id, birth, setting, need, start, status)
    else {
        return;
    };
    let setting = interner.get(&setting);
    list.records.push(CaseRecord {
        row,
        plan_id,
        child_id,
        birth,
        setting,
        need,
        start,
        end,
        ceased,
        status,
        cost,
    });
}

/// Refuses a CSV record that is not UTF-8 text: a case list saved by Excel as "CSV (Comma
/// delimited)" is in Windows-1252, where £, é or a curly quote are single bytes that are not
/// UTF-8. Refused as a whole, naming the first such row and column, rather than leaving out every
/// row that has one.
fn check_utf8(
    record: &csv::ByteRecord,
    source: &str,
    row: usize,
    what: &str,
) -> Result<(), DataError> {
    if std::str::from_utf8(record.as_slice()).is_ok() {
        return Ok(());
    }
    let column = record
        .iter()
        .position(|f| std::str::from_utf8(f).is_err())
        .map_or(String::new(), |i| format!(" (column {})", i + 1));
    Err(DataError::Invalid {
        file: source.to_string(),
        row: Some(row),
        message: format!(
            "{what}{column} is not UTF-8 text: the file looks saved in another encoding (Excel's \"CSV (Comma delimited)\" uses Windows-1252). Save it as \"CSV UTF-8 (Comma delimited)\" and try again"
        ),
    })
}

/// The line a CSV file's header row is on, just read by `reader`. The reader gives a record the
/// position where it began to look for it, before the comment lines it skipped; where the header
/// ends is certain, so the header is on the line before the next (or, in a file of one line
/// with no line end, its own).
pub(crate) fn header_line<R: Read>(record: &csv::ByteRecord, reader: &csv::Reader<R>) -> usize {
    let start = record
        .position()
        .map_or(1, |p| usize::try_from(p.line()).unwrap_or(1));
    let next = usize::try_from(reader.position().line()).unwrap_or(1);
    // Line ends inside quoted cells: the header began that many lines before its last.
    let inside = record
        .iter()
        .map(|f| f.iter().filter(|b| **b == b'\n').count())
        .sum::<usize>();
    if next > start {
        (next - 1).saturating_sub(inside).max(start)
    } else {
        start
    }
}

/// The most an annual cost may be (£10m for one child a year; the dearest placements cost about
/// £0.5m). A larger figure is a unit mistake (pence, or a total typed into a row), and figures up
/// to 1e308 would make the sums infinite.
pub const MAX_ANNUAL_COST: f64 = 1e7;

/// The longest text an id, code or word may be, in characters. Longer text is left out with a
/// problem that gives its length, never echoed whole into the outputs.
pub const MAX_TEXT: usize = 200;

/// `text` as quoted in a problem: at most 60 characters, then `...`.
pub(crate) fn shown(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

/// One row being read: its cells, column by column, and the problems found in them (in the
/// order they are found).
struct Row<'a, 'p, F> {
    row: usize,
    cell: F,
    problems: &'p mut Vec<RowProblem>,
    cells: PhantomData<Cell<'a>>,
}

impl<'a, F: Fn(usize) -> Result<Cell<'a>, ()>> Row<'a, '_, F> {
    fn problem(&mut self, k: usize, message: String) {
        self.problems.push(RowProblem {
            row: self.row,
            column: COLUMNS[k].to_string(),
            message,
        });
    }

    /// Column `k`'s cell; text that is not UTF-8 is a problem and reads as blank.
    fn get(&mut self, k: usize) -> Cell<'a> {
        (self.cell)(k).unwrap_or_else(|()| {
            self.problem(k, "not valid UTF-8 text".into());
            Cell::Empty
        })
    }

    /// A required text column (a number or date in it read as written).
    fn text(&mut self, k: usize) -> Option<String> {
        match self.get(k) {
            Cell::Empty => {
                self.problem(k, "blank".into());
                None
            }
            Cell::Text(t) if t.chars().count() > MAX_TEXT => {
                let n = t.chars().count();
                self.problem(
                    k,
                    format!(
                        "{n} characters: longer than the {MAX_TEXT} an id, code or word may have"
                    ),
                );
                None
            }
            Cell::Text(t) => Some(t.to_string()),
            Cell::Number(x) => Some(number_text(x)),
            Cell::Date(d) => Some(d.to_string()),
        }
    }

    /// The primary need, one of the DfE's codes.
    fn need(&mut self) -> Option<Need> {
        let t = self.text(NEED)?;
        let n = Need::parse(&t);
        if n.is_none() {
            self.problem(
                NEED,
                format!("unknown primary need `{}` (expected one of SEMH, ASD, SLCN, MLD, SpLD, SLD, PMLD, HI, VI, MSI, PD, OTH, NSA)", shown(&t)),
            );
        }
        n
    }

    /// The plan's status: active, dormant or ceased.
    fn status(&mut self) -> Option<Status> {
        let t = self.text(STATUS)?;
        let s = Status::parse(&t);
        if s.is_none() {
            self.problem(
                STATUS,
                format!(
                    "unknown status `{}` (expected active, dormant or ceased)",
                    shown(&t)
                ),
            );
        }
        s
    }

    /// A date column: a spreadsheet date or serial number, or text in `YYYY-MM-DD` or
    /// `DD/MM/YYYY`; blank is a problem only when `required`.
    fn date(&mut self, k: usize, required: bool) -> Option<Date> {
        match self.get(k) {
            Cell::Empty if required => {
                self.problem(k, "blank".into());
                None
            }
            Cell::Empty => None,
            Cell::Date(d) => Some(d),
            Cell::Number(x) => {
                let d = Date::from_excel(x);
                if d.is_none() {
                    self.problem(k, format!("not a date: `{}`", number_text(x)));
                }
                d
            }
            Cell::Text(t) => {
                let d = Date::parse(t);
                if d.is_none() {
                    self.problem(
                        k,
                        format!(
                            "not a date: `{}` (expected YYYY-MM-DD or DD/MM/YYYY)",
                            shown(t)
                        ),
                    );
                }
                d
            }
        }
    }

    /// The date of birth, or where it is blank one estimated from the age at the plan's `start`.
    fn birth(&mut self, start: Option<Date>) -> Option<Date> {
        if !matches!(self.get(BIRTH), Cell::Empty) {
            return self.date(BIRTH, false);
        }
        let age = match self.get(AGE) {
            Cell::Empty => {
                self.problem(BIRTH, "blank (give date_of_birth or age)".into());
                return None;
            }
            Cell::Number(x) => Some(x),
            Cell::Text(t) => t.parse::<f64>().ok(),
            Cell::Date(_) => None,
        };
        match (age, start) {
            (Some(a), Some(s)) if a.is_finite() && (0.0..=120.0).contains(&a) => {
                // Age on the start date: born half a year before that birthday.
                let days = (a.floor() * 365.25 + 182.0) as i32;
                Some(s.add_days(-days))
            }
            (_, None) => None,
            _ => {
                self.problem(AGE, "not an age in years from 0 to 120".into());
                None
            }
        }
    }

    /// The annual cost in pounds, if given: a number, or text such as `£25,000` or `(1,200)`.
    fn cost(&mut self) -> Option<f64> {
        let x = match self.get(COST) {
            Cell::Empty => return None,
            Cell::Date(d) => {
                self.problem(COST, format!("not an amount: `{d}`"));
                return None;
            }
            Cell::Number(x) => Some(x),
            Cell::Text(t) => parse_amount(t),
        };
        match x {
            Some(x) if !x.is_finite() => {
                self.problem(COST, "not a finite amount in pounds".into());
                None
            }
            Some(x) if x < 0.0 => {
                self.problem(COST, format!("negative cost: {}", number_text(x)));
                None
            }
            Some(x) if x > MAX_ANNUAL_COST => {
                self.problem(
                    COST,
                    format!(
                        "£{} a year is more than £10m for one child: check the units (pounds a year)",
                        number_text(x)
                    ),
                );
                None
            }
            // `+ 0.0` turns a cost of -0 into 0 (it would show as "-0" in the outputs).
            Some(x) => Some(x + 0.0),
            None => {
                self.problem(COST, "not an amount in pounds".into());
                None
            }
        }
    }

    /// The dates in order: no end or cessation before the start, and a ceased plan with one of
    /// them.
    fn check_dates(
        &mut self,
        status: Option<Status>,
        start: Option<Date>,
        (end, ceased): (Option<Date>, Option<Date>),
    ) {
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            self.problem(END, format!("ends ({e}) before it starts ({s})"));
        }
        if let (Some(s), Some(c)) = (start, ceased)
            && c < s
        {
            self.problem(CEASED, format!("ceased ({c}) before it started ({s})"));
        }
        if status == Some(Status::Ceased) && end.is_none() && ceased.is_none() {
            self.problem(
                STATUS,
                "ceased, but neither end_date nor ceased_date is given".into(),
            );
        }
    }
}

/// A number as text: whole numbers without a decimal point (ids typed into a spreadsheet).
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else if x.abs() >= 1e15 {
        // 1e308 in full is 309 digits.
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// An amount in pounds, allowing a `£` sign, thousands commas and a leading minus or brackets.
fn parse_amount(text: &str) -> Option<f64> {
    let t = text.trim();
    let (neg, t) = match t.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        Some(inner) => (true, inner),
        None => (false, t),
    };
    let t = t.replace(['£', ','], "");
    let x: f64 = t.trim().parse().ok()?;
    Some(if neg { -x } else { x })
}

#[cfg(test)]
mod tests;
