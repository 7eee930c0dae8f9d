//! The tables of DfE's "Education, health and care plans" releases that the importer reads, the
//! columns it takes from each and the series they become (docs/public-data.md lists them).
//!
//! Two shapes of release are known: the 2025 release (person-level collection, with the
//! aggregate years 2019-2022 re-published beside it) and the 2022 release (the aggregate SEN2
//! collection, 2010-2022). Columns are found by name, whatever their order or letter case.

/// The columns naming the time and place of a row, in every table of both releases.
pub(crate) const GEOGRAPHY: &[&str] = &[
    "time_period",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
];

/// Columns every table may have that the importer does not need.
pub(crate) const IGNORED: &[&str] = &["time_identifier"];

/// A column read into a series.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col {
    /// The column's name (lower case).
    pub column: &'static str,
    /// The series it becomes.
    pub series: &'static str,
    /// Whether a file without it is refused (the table's headline figure) or only noted.
    pub required: bool,
}

const fn req(column: &'static str, series: &'static str) -> Col {
    Col {
        column,
        series,
        required: true,
    }
}

const fn opt(column: &'static str, series: &'static str) -> Col {
    Col {
        column,
        series,
        required: false,
    }
}

/// Which rows of a table are read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Select {
    /// Rows whose `column` holds `value` (the all-children total); `others` are the values known
    /// and skipped; any other value is reported in a note.
    Where {
        column: &'static str,
        value: &'static str,
        others: &'static [&'static str],
    },
    /// `sen2_estab_caseload.csv`: the series is given by the establishment type and group
    /// ([`ESTABLISHMENTS`]); the value is in the table's one value column.
    Establishment,
    /// Every row (one per area and year).
    All,
    /// Rows whose `column` holds `value` (the all-children total, read into the table's series)
    /// and rows by age, whose `column` holds `ages` and whose `age_column` names the age or the
    /// age band: read (single years summed) into the management plan's age bands
    /// ([`age_band_series`]). `others` are the values of `column` known and skipped.
    Ages {
        column: &'static str,
        value: &'static str,
        ages: &'static str,
        age_column: &'static str,
        others: &'static [&'static str],
    },
}

/// The series of the caseload in the DSG management plan's five age bands (docs/public-data.md).
pub(crate) const AGE_BAND_SERIES: [&str; 5] = [
    "caseload.age.under_5",
    "caseload.age.5_10",
    "caseload.age.11_15",
    "caseload.age.16_19",
    "caseload.age.20_25",
];

/// The age band series a published age or age band falls in: the 2022 release's bands
/// (`Under 5`, `Age 5 to 10`, ...) or the 2025 release's single years (`under 3`, `age 3`, ...,
/// `age 25`).
pub(crate) fn age_band_series(text: &str) -> Option<&'static str> {
    let t = text.trim().to_ascii_lowercase();
    let band = |age: u32| match age {
        0..=4 => Some(0),
        5..=10 => Some(1),
        11..=15 => Some(2),
        16..=19 => Some(3),
        20..=25 => Some(4),
        _ => None,
    };
    let k = match t.as_str() {
        "under 5" | "under 3" => Some(0),
        "age 5 to 10" => Some(1),
        "age 11 to 15" => Some(2),
        "age 16 to 19" => Some(3),
        "age 20 to 25" => Some(4),
        _ => t
            .strip_prefix("age ")
            .and_then(|a| a.trim().parse().ok())
            .and_then(band),
    }?;
    Some(AGE_BAND_SERIES[k])
}

/// A table the importer reads.
#[derive(Debug)]
pub(crate) struct Table {
    /// Its file name, as in the release zip's `data/` folder.
    pub name: &'static str,
    /// Which rows are read.
    pub select: Select,
    /// The columns read and the series they become.
    pub values: &'static [Col],
    /// Columns known and not imported (anything else is noted as unknown).
    pub known: &'static [&'static str],
}

const PLACEMENT_COLUMNS: &[&str] = &[
    "mainstream_la_maintained_resourced_provision",
    "mainstream_la_maintained_senunit",
    "mainstream_academy_resourced_provision",
    "mainstream_academy_senunit",
    "mainstream_free_school_resourced_provision",
    "mainstream_free_school_senunit",
    "mainstream_total_pc",
    "special_total_pc",
    "ap_pru_academy",
    "ap_pru_free_school",
    "ap_pru_la_maintained",
    "ap_pru_total_pc",
    "general_fe_tertiary_colleges",
    "specialist_post_16_institutions",
    "ukrlp_provider",
    "fe_total_pc",
    "elective_home_education",
    "other_arrangements_la",
    "other_arrangements_parents",
    "online_provider",
    "w_settings",
    "other_schools",
    "other_placement_settings",
    "neet",
    "neet_ntci",
    "neet_other",
    "neet_other_csa",
    "ed_elsewhere",
    "ed_elsewhere_pc",
    "nm_early_years_pc",
    "placement_unknown",
    "placement_unknown_pc",
    "await_prov_2022",
    "perm_ex_2022",
    "breakdown",
];

/// Placement columns of `caseload.csv` (2025 release), after the total.
const PLACEMENTS: &[Col] = &[
    opt("mainstream_total", "caseload.mainstream"),
    opt(
        "mainstream_la_maintained",
        "caseload.mainstream_la_maintained",
    ),
    opt("mainstream_academy", "caseload.mainstream_academy"),
    opt("mainstream_free_school", "caseload.mainstream_free_school"),
    opt("mainstream_independent", "caseload.mainstream_independent"),
    opt("special_total", "caseload.special"),
    opt("special_la_maintained", "caseload.special_la_maintained"),
    opt("special_academy_free", "caseload.special_academy_free"),
    opt("special_independent", "caseload.special_independent"),
    opt("special_non_maintained", "caseload.special_non_maintained"),
    opt("ap_pru_total", "caseload.ap_pru"),
    opt("fe_total", "caseload.fe"),
    opt("nm_early_years", "caseload.early_years"),
];

const CASELOAD_2025: &[Col] = &{
    let mut all = [req("ehcplans", "caseload"); 1 + PLACEMENTS.len()];
    let mut i = 0;
    while i < PLACEMENTS.len() {
        all[i + 1] = PLACEMENTS[i];
        i += 1;
    }
    all
};

const CHARACTERISTICS: &[&str] = &[
    "Age when plan started",
    "Child or young persons age",
    "Ethnicity",
    "Sex",
    "Years EHC plan in place",
    "Primary need",
    "Type of need",
];

/// The tables of the 2025 release (and later releases in its shape).
pub(crate) const TABLES_2025: &[Table] = &[
    Table {
        name: "caseload.csv",
        select: Select::Ages {
            column: "breakdown_topic",
            value: "All EHC plans",
            ages: "Child or young persons age",
            age_column: "breakdown",
            others: CHARACTERISTICS,
        },
        values: CASELOAD_2025,
        known: PLACEMENT_COLUMNS,
    },
    Table {
        name: "requests.csv",
        select: Select::Where {
            column: "breakdown_topic",
            value: "All requests for EHC needs assessments",
            others: CHARACTERISTICS,
        },
        values: &[req("requests_received_in_year", "requests")],
        known: &[
            "breakdown",
            "requests_rya",
            "requests_decided_to_assess",
            "requests_decided_not_to_assess",
            "requests_decision_not_made",
            "requests_withdrawn",
            "request_assess_pc",
            "request_not_assess_pc",
            "request_outstanding_pc",
            "request_withdrawn_pc",
            "request_outcome_six_weeks",
            "request_outcome_over_6_weeks",
            "request_outcome_six_weeks_pc",
            "request_outcome_over_6_weeks_pc",
            "mediation_related_request",
            "tribunal_related_request",
            "tribunal_after_mediation_request",
        ],
    },
    Table {
        name: "newplans.csv",
        select: Select::Where {
            column: "breakdown_topic",
            value: "New EHC plans",
            others: CHARACTERISTICS,
        },
        values: &[req("new_ehc_plans", "new_plans")],
        known: NEWPLANS_KNOWN,
    },
    Table {
        name: "timeliness_20_week.csv",
        select: Select::Where {
            column: "breakdown_topic",
            value: "All EHC plans issued",
            others: CHARACTERISTICS,
        },
        values: &[
            req("plans_issued_den_ex", "issued_excl_exceptions"),
            req("plans_issued_20_weeks_ex", "within_20_weeks"),
            req("pc_plans_issued_20_weeks_ex", "within_20_weeks_pct"),
            opt("plans_issued_den", "issued"),
            opt(
                "plans_issued_within_20_weeks",
                "within_20_weeks_incl_exceptions",
            ),
            opt(
                "pc_plans_issued_within_20_weeks",
                "within_20_weeks_incl_exceptions_pct",
            ),
        ],
        known: &[
            "breakdown",
            "plans_issued_gt20weeks_ltyear",
            "plans_issued_gt20weeks_ltyear_ex",
            "pc_plans_issued_gt20weeks_ltyear",
            "pc_plans_issued_gt20weeks_ltyear_ex",
            "plans_issued_gt_1_year",
            "plans_issued_gt_1_year_ex",
            "pc_plans_issued_gt_1_year",
            "pc_plans_issued_gt_1_year_ex",
        ],
    },
];

const NEWPLANS_KNOWN: &[&str] = &{
    let mut all = [""; PLACEMENT_COLUMNS.len() + 13];
    let mut i = 0;
    while i < PLACEMENT_COLUMNS.len() {
        all[i] = PLACEMENT_COLUMNS[i];
        i += 1;
    }
    let mut j = 0;
    while j < PLACEMENTS.len() {
        all[i + j] = PLACEMENTS[j].column;
        j += 1;
    }
    all
};

/// The tables of the 2022 release (the aggregate SEN2 collection).
pub(crate) const TABLES_2022: &[Table] = &[
    Table {
        name: "sen2_age_caseload.csv",
        select: Select::Ages {
            column: "characteristic_age",
            value: "Total",
            ages: "",
            age_column: "characteristic_age",
            others: &[],
        },
        values: &[req("total_all", "caseload")],
        known: &[
            "total_st",
            "total_st_pc",
            "total_ehc",
            "total_ehc_pc",
            "total_all_pc",
        ],
    },
    Table {
        name: "sen2_estab_caseload.csv",
        select: Select::Establishment,
        values: &[req("total_all", "")],
        known: &[
            "total_st",
            "total_st_pc",
            "total_ehc",
            "total_ehc_pc",
            "total_all_pc",
        ],
    },
    Table {
        name: "sen2_mi.csv",
        select: Select::All,
        values: &[
            req("inreqehc", "requests"),
            req("newallehc", "new_plans"),
            req("totnoexcehc", "issued_excl_exceptions"),
            req("noexc20weekehc", "within_20_weeks"),
            req("noexc20weekrate", "within_20_weeks_pct"),
            opt("totincexcehc", "issued"),
            opt("incexc20weekehc", "within_20_weeks_incl_exceptions"),
            opt("incexc20weekrate", "within_20_weeks_incl_exceptions_pct"),
        ],
        known: SEN2_MI_KNOWN,
    },
];

const SEN2_MI_KNOWN: &[&str] = &[
    "newallehc_pc",
    "newallehc_assnoneehc_sum",
    "assnoneehc",
    "assnoneehc_pc",
    "assnodecisionehc",
    "assrefusedehc",
    "assrefusedehc_pc",
    "assnone",
    "assnodecision",
    "assrefused",
    "mtosi",
    "sitom",
    "mtopar",
    "sitopar",
    "dislea",
    "dismet",
    "disoth",
    "disleft",
    "mtosiehc",
    "sitomehc",
    "mtoparehc",
    "sitoparehc",
    "disleaehc",
    "dismetehc",
    "disothehc",
    "disleftehc",
    "inreqryaehc",
    "totincexc",
    "incexc26week",
    "totnoexc",
    "noexc26week",
    "statementstoehc",
    "statementstonoehc",
    "personalbudgets",
    "orgarrangements",
    "directpayeducation",
    "directpaysocialcare",
    "directpayhealth",
    "directpayintegrated",
    "newehcmediation",
    "newehctribunal",
    "newehctribunal_pc",
];

/// `sen2_estab_caseload.csv`: the series an establishment type (and, for the `Total` type, its
/// group) becomes. Several types may add into one series: hospital schools are counted with LA
/// maintained special schools, as the 2025 release counts them; special academies and special
/// free schools, published apart in some years, add into `caseload.special_academy_free`.
pub(crate) const ESTABLISHMENTS: &[(&str, &str, Option<&str>)] = &[
    ("Total", "Total", None),
    ("Total", "Mainstream school", Some("caseload.mainstream")),
    ("Total", "Special school", Some("caseload.special")),
    (
        "Total",
        "Alternative provision/Pupil referral unit",
        Some("caseload.ap_pru"),
    ),
    ("Total", "Further education", Some("caseload.fe")),
    (
        "Total",
        "Non-maintained early years",
        Some("caseload.early_years"),
    ),
    ("Total", "Educated elsewhere", None),
    ("Total", "NEET", None),
    ("Total", "Other", None),
    ("Total", "Unknown", None),
    (
        "Mainstream - LA maintained",
        "",
        Some("caseload.mainstream_la_maintained"),
    ),
    (
        "Mainstream - Academy",
        "",
        Some("caseload.mainstream_academy"),
    ),
    (
        "Mainstream - Free school",
        "",
        Some("caseload.mainstream_free_school"),
    ),
    (
        "Mainstream - Independent",
        "",
        Some("caseload.mainstream_independent"),
    ),
    (
        "Special - LA maintained",
        "",
        Some("caseload.special_la_maintained"),
    ),
    (
        "Hospital School",
        "",
        Some("caseload.special_la_maintained"),
    ),
    (
        "Special - Academy/free",
        "",
        Some("caseload.special_academy_free"),
    ),
    (
        "Special - Academy",
        "",
        Some("caseload.special_academy_free"),
    ),
    (
        "Special - Free school",
        "",
        Some("caseload.special_academy_free"),
    ),
    (
        "Special - Independent",
        "",
        Some("caseload.special_independent"),
    ),
    (
        "Special - Non-maintained",
        "",
        Some("caseload.special_non_maintained"),
    ),
];

/// Establishment types known and not imported (their groups' totals are, where comparable).
pub(crate) const ESTABLISHMENTS_SKIPPED: &[&str] = &[
    "AP/PRU - Academy",
    "AP/PRU - Free school",
    "AP/PRU - LA maintained",
    "Apprenticeship",
    "Awaiting provision - above compulsory school age and in education",
    "Awaiting provision - above compulsory school age and not in education",
    "Awaiting provision - below compulsory school age and in education",
    "Awaiting provision - below compulsory school age and not in education",
    "Awaiting provision - compulsory school age and in education",
    "Awaiting provision - compulsory school age and not in education",
    "Awaiting provision - total",
    "Elective home education",
    "General FE and tertiary colleges/HE",
    "Independent specialist providers",
    "Mainstream - Academy - Resourced Provision",
    "Mainstream - Academy - SEN unit",
    "Mainstream - Free school - Resourced provision",
    "Mainstream - Free school - SEN unit",
    "Mainstream - LA maintained - Resourced provision",
    "Mainstream - LA maintained - SEN unit",
    "NEET",
    "Non-maintained early years",
    "Other",
    "Other FE",
    "Other arrangements by local authority",
    "Other arrangements by parents",
    "Permanently excluded",
    "Sixth form college",
    "Specialist post-16 institutions",
    "Supported Internship",
    "Traineeship",
    "Work-based learning",
];

/// Every table the importer reads, of both releases.
pub(crate) fn table(name: &str) -> Option<&'static Table> {
    TABLES_2025
        .iter()
        .chain(TABLES_2022)
        .find(|t| t.name.eq_ignore_ascii_case(name))
}

/// The names of every table the importer reads, for messages.
pub(crate) fn table_names() -> String {
    TABLES_2025
        .iter()
        .chain(TABLES_2022)
        .map(|t| t.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a series counts plans at January (a stock), rather than a calendar year's flow.
pub(crate) fn is_stock(series: &str) -> bool {
    series == "caseload" || series.starts_with("caseload.") || series.starts_with("benchmark.ehcp")
}

/// Whether `series` is money by financial year (2023 = 2023-24): DSG allocations, section 251
/// lines, high-needs formula allocations.
pub(crate) fn is_finance(series: &str) -> bool {
    series.starts_with("dsg.") || series.starts_with("s251.") || series == "hn_formula_allocation"
}
