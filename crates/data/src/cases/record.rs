//! One row of a case list: a plan or placement episode, and the codes it uses.

use super::date::Date;

/// The columns of a case list, by the names its header row must use (any order; case and
/// surrounding spaces are ignored). `date_of_birth` or `age` must be present; `end_date`,
/// `ceased_date` and `annual_cost` may be left blank on any row.
///
/// ```
/// assert!(dsg_data::cases::COLUMNS.contains(&"plan_id"));
/// ```
pub const COLUMNS: [&str; 11] = [
    "plan_id",
    "child_id",
    "date_of_birth",
    "age",
    "setting",
    "primary_need",
    "start_date",
    "end_date",
    "ceased_date",
    "status",
    "annual_cost",
];

/// The state of a plan as the case-management system records it.
///
/// ```
/// use dsg_data::cases::Status;
/// assert_eq!(Status::parse("Active"), Some(Status::Active));
/// assert_eq!(Status::Ceased.as_str(), "ceased");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The plan is in force and the placement is being paid for.
    Active,
    /// The plan is held but no placement is being provided or paid for (for example the child
    /// has moved away and the plan has not yet been ceased).
    Dormant,
    /// The plan or this placement episode has ended.
    Ceased,
}

impl Status {
    /// Parses `active`, `dormant` or `ceased` (any case; also `open`, `closed`, `ended`).
    ///
    /// ```
    /// assert!(dsg_data::cases::Status::parse("pending").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Status> {
        match text.trim().to_ascii_lowercase().as_str() {
            "active" | "open" | "live" => Some(Status::Active),
            "dormant" => Some(Status::Dormant),
            "ceased" | "closed" | "ended" => Some(Status::Ceased),
            _ => None,
        }
    }

    /// The name as written in a case list.
    ///
    /// ```
    /// assert_eq!(dsg_data::cases::Status::Dormant.as_str(), "dormant");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Dormant => "dormant",
            Status::Ceased => "ceased",
        }
    }
}

/// The primary types of need of the DfE's SEN2 and school census returns.
///
/// ```
/// use dsg_data::cases::Need;
/// assert_eq!(Need::parse("asd"), Some(Need::Asd));
/// assert_eq!(Need::ALL.len(), 13);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Need {
    /// Social, emotional and mental health.
    Semh,
    /// Autistic spectrum disorder.
    Asd,
    /// Speech, language and communication needs.
    Slcn,
    /// Moderate learning difficulty.
    Mld,
    /// Specific learning difficulty.
    Spld,
    /// Severe learning difficulty.
    Sld,
    /// Profound and multiple learning difficulty.
    Pmld,
    /// Hearing impairment.
    Hi,
    /// Visual impairment.
    Vi,
    /// Multi-sensory impairment.
    Msi,
    /// Physical disability.
    Pd,
    /// Other difficulty or disability.
    Oth,
    /// SEN support but no specialist assessment of type of need.
    Nsa,
}

impl Need {
    /// Every need, in the order of the DfE tables.
    pub const ALL: [Need; 13] = [
        Need::Semh,
        Need::Asd,
        Need::Slcn,
        Need::Mld,
        Need::Spld,
        Need::Sld,
        Need::Pmld,
        Need::Hi,
        Need::Vi,
        Need::Msi,
        Need::Pd,
        Need::Oth,
        Need::Nsa,
    ];

    /// Parses the DfE code (`SEMH`, `ASD`, ..., any case).
    ///
    /// ```
    /// assert!(dsg_data::cases::Need::parse("autism").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Need> {
        let t = text.trim();
        Need::ALL
            .into_iter()
            .find(|n| n.code().eq_ignore_ascii_case(t))
    }

    /// The DfE code.
    ///
    /// ```
    /// assert_eq!(dsg_data::cases::Need::Slcn.code(), "SLCN");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Need::Semh => "SEMH",
            Need::Asd => "ASD",
            Need::Slcn => "SLCN",
            Need::Mld => "MLD",
            Need::Spld => "SpLD",
            Need::Sld => "SLD",
            Need::Pmld => "PMLD",
            Need::Hi => "HI",
            Need::Vi => "VI",
            Need::Msi => "MSI",
            Need::Pd => "PD",
            Need::Oth => "OTH",
            Need::Nsa => "NSA",
        }
    }
}

/// One plan or placement episode that could be read. Text fields that repeat (setting codes) are
/// held once in [`super::CaseList::settings`] and referred to by index.
///
/// ```
/// use dsg_data::cases::{CaseRecord, Date, Need, Status};
/// let r = CaseRecord {
///     row: 2,
///     plan_id: "P1".into(),
///     child_id: "C1".into(),
///     birth: Date::from_ymd(2015, 5, 1).ok_or("")?,
///     setting: 0,
///     need: Need::Asd,
///     start: Date::from_ymd(2022, 9, 1).ok_or("")?,
///     end: None,
///     ceased: None,
///     status: Status::Active,
///     cost: Some(25_000.0),
/// };
/// assert!(r.open_on(Date::from_ymd(2026, 3, 31).ok_or("")?));
/// # Ok::<(), &'static str>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRecord {
    /// The row in the file (the header is row 1).
    pub row: usize,
    /// The plan or placement episode's identifier.
    pub plan_id: String,
    /// The child or young person's identifier (the same on every episode of one child).
    pub child_id: String,
    /// Date of birth (estimated from `age` when only that is given).
    pub birth: Date,
    /// Index of the council's setting code in [`super::CaseList::settings`].
    pub setting: u32,
    /// Primary type of need.
    pub need: Need,
    /// First day of the plan or placement episode.
    pub start: Date,
    /// Last day of the placement episode, if it has ended or has a planned end.
    pub end: Option<Date>,
    /// The day the plan ceased, if it has.
    pub ceased: Option<Date>,
    /// Recorded status.
    pub status: Status,
    /// Annual cost in pounds (`None` when blank).
    pub cost: Option<f64>,
}

impl CaseRecord {
    /// Whether the episode is open on `date` by its dates: started on or before it, and neither
    /// ended nor ceased before it.
    ///
    /// ```
    /// # use dsg_data::cases::{CaseRecord, Date, Need, Status};
    /// # let d = |s: &str| Date::parse(s).ok_or("");
    /// # let mut r = CaseRecord { row: 2, plan_id: "P1".into(), child_id: "C1".into(),
    /// #     birth: d("2015-05-01")?, setting: 0, need: Need::Asd, start: d("2022-09-01")?,
    /// #     end: None, ceased: None, status: Status::Active, cost: None };
    /// r.end = Some(d("2026-03-30")?);
    /// assert!(!r.open_on(d("2026-03-31")?));
    /// # Ok::<(), &'static str>(())
    /// ```
    pub fn open_on(&self, date: Date) -> bool {
        self.start <= date
            && self.end.is_none_or(|e| e >= date)
            && self.ceased.is_none_or(|c| c > date)
    }

    /// The day the episode stopped (the earlier of its end and ceased dates), if any.
    ///
    /// ```
    /// # use dsg_data::cases::{CaseRecord, Date, Need, Status};
    /// # let d = |s: &str| Date::parse(s).ok_or("");
    /// # let r = CaseRecord { row: 2, plan_id: "P1".into(), child_id: "C1".into(),
    /// #     birth: d("2015-05-01")?, setting: 0, need: Need::Asd, start: d("2022-09-01")?,
    /// #     end: Some(d("2025-07-20")?), ceased: None, status: Status::Ceased, cost: None };
    /// assert_eq!(r.stopped(), Some(d("2025-07-20")?));
    /// # Ok::<(), &'static str>(())
    /// ```
    pub fn stopped(&self) -> Option<Date> {
        match (self.end, self.ceased) {
            (Some(e), Some(c)) => Some(e.min(c)),
            (e, c) => e.or(c),
        }
    }
}

/// A row, or a value in it, that could not be used: it is left out, and the report lists it.
///
/// ```
/// use dsg_data::cases::RowProblem;
/// let p = RowProblem { row: 7, column: "start_date".into(), message: "not a date: `2026-02-30`".into() };
/// assert_eq!(p.to_string(), "row 7, column start_date: not a date: `2026-02-30`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The row (the header is row 1).
    pub row: usize,
    /// The column, by its header name.
    pub column: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "row {}, column {}: {}",
            self.row, self.column, self.message
        )
    }
}
