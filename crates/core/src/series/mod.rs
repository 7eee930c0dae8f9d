//! The output series of a projection: the one table that says what each is called, how it reads
//! to people, its unit and its kind, and the typed keys under which results travel.
//!
//! Strings appear only where results are serialised: [`SeriesKey::name`] writes the stable name
//! (`balance.cumulative`, `unmitigated.spend.total`, `mitigation.<name>.impact`,
//! `caseload.<provision>`) and [`SeriesKey::parse`] reads it back.

use serde::Serialize;

/// A yearly output of the projection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Series {
    /// Plans in all provisions.
    CaseloadTotal,
    /// New plans in the year (flow model; 0 otherwise).
    Joiners,
    /// Placement spend, all provisions.
    SpendPlacements,
    /// Other high-needs lines.
    SpendOtherLines,
    /// Mitigation costs charged to the DSG.
    SpendMitigations,
    /// High-needs spend `S[t]`.
    SpendTotal,
    /// High-needs block allocation `F[t]`.
    Allocation,
    /// Transfer from the schools block `T[t]`.
    Transfer,
    /// Other income.
    OtherIncome,
    /// In-year balance of the other DSG blocks.
    OtherBlocks,
    /// In-year balance `I[t]`.
    InYear,
    /// Safety-valve instalments received `A[t]`.
    SafetyValve,
    /// General-fund contributions `C[t]`.
    Contributions,
    /// Deficit write-off grant `W[t]`.
    WriteOff,
    /// Central funding of the in-year deficit.
    CentralFunding,
    /// All receipts outside the allocation.
    ReceiptsTotal,
    /// Cumulative DSG balance `B[t]` (negative = deficit).
    Cumulative,
    /// Carrying cost of the deficit to the general fund.
    Interest,
    /// Mitigation costs charged to the general fund.
    GeneralFundMitigationCosts,
    /// Usable general-fund reserves.
    UsableReserves,
    /// Usable reserves less the cumulative deficit (meaningful once the override has ended).
    Headroom,
    /// Requests for an EHC needs assessment in the year, `R[t]` (docs/model.md section 9).
    AssessmentRequests,
    /// Assessments completed in the year, `C[t]`.
    AssessmentsCompleted,
    /// Children waiting for an assessment at the end of the year: the backlog `Q[t]`.
    ChildrenWaiting,
    /// New plans issued in the year, `P[t]`.
    PlansIssued,
    /// Weeks from request to plan, w0 + `W[t]`.
    WeeksToPlan,
    /// Share of plans issued within the statutory 20 weeks.
    WithinTwentyWeeks,
    /// Case officers in post (FTE), staffing mitigations included.
    CaseOfficers,
    /// Plans per case officer, `N_total[t] / officers[t]`.
    PlansPerOfficer,
    /// Share of children with plans in mainstream settings.
    MainstreamShare,
    /// Children placed in independent schools in the year because a maintained place was full:
    /// the capacity overflow into provisions without a capacity of their own.
    PlacedForLackOfPlace,
    /// Plans of children and young people under 5, all provisions (docs/model.md section 14;
    /// reported when the scenario has ages).
    CaseloadUnder5,
    /// Plans of those aged 5 to 10, all provisions.
    Caseload5To10,
    /// Plans of those aged 11 to 15, all provisions.
    Caseload11To15,
    /// Plans of those aged 16 to 19, all provisions.
    Caseload16To19,
    /// Plans of those aged 20 to 25, all provisions.
    Caseload20To25,
    /// Plans in provision `p`.
    Caseload(usize),
    /// Placement spend in provision `p`.
    Spend(usize),
    /// Unit cost paid in provision `p` (after savings).
    UnitCost(usize),
    /// Plans in provision `p` of those in the management plan's age band `k` (an index into
    /// [`BY_AGE`]): the DSG management plan's table of children by placement and age
    /// (docs/model.md section 14; reported when the scenario has ages).
    CaseloadByAge(usize, usize),
}

/// What the numbers of a series count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Pounds (shown as £m).
    Pounds,
    /// Plans (EHCPs).
    Plans,
    /// Pounds per plan per year.
    PoundsPerPlan,
    /// Children (requests, assessments, children waiting or placed).
    Children,
    /// Weeks.
    Weeks,
    /// A share, as a fraction (0.46 = 46%).
    Share,
    /// Full-time-equivalent staff.
    Fte,
    /// Plans per full-time case officer.
    PlansPerOfficer,
}

/// How a series is measured over the year, which says how it may be aggregated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An amount within the year (spend, income, receipts, new plans): years add up.
    Flow,
    /// A level at the end of the year, 31 March (balances, plans, reserves): years do not add up.
    Level,
    /// A price in the year (pounds per plan): neither added over years nor over provisions.
    Rate,
}

impl Kind {
    /// Whether the values of several years may be added up (a total over the forecast).
    ///
    /// ```
    /// use dsg_core::Series;
    /// assert!(Series::SafetyValve.kind().adds_over_years());
    /// assert!(!Series::Cumulative.kind().adds_over_years());
    /// ```
    pub fn adds_over_years(self) -> bool {
        self == Kind::Flow
    }
}

/// One row of the table of series: everything but the position, which is the row's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The series (for a per-provision series, that of provision 0).
    pub series: Series,
    /// Stable name: the whole name, or for a per-provision series the part before
    /// `.<provision>`.
    pub name: &'static str,
    /// Label for people; a per-provision series adds `: <provision label>`.
    pub label: &'static str,
    /// Shorter label where the context already says what is measured (a chart's legend); for a
    /// per-provision series the provision's label stands alone.
    pub short: &'static str,
    /// What the numbers count.
    pub unit: Unit,
    /// Flow in the year, level at its end, or rate.
    pub kind: Kind,
}

/// Declares the series that are not per provision, in index order, as the table [`FIXED`] and
/// [`Series::index`] with it: a row's position in the table is its index, so the two cannot
/// disagree (a local field-less enum with the same variants numbers them in the same order).
macro_rules! fixed_series {
    ($($variant:ident: $name:literal, $label:literal, $short:literal, $unit:ident, $kind:ident;)*) => {
        /// The series that are not per provision, in index order.
        pub const FIXED: &[Row] = &[$(Row {
            series: Series::$variant,
            name: $name,
            label: $label,
            short: $short,
            unit: Unit::$unit,
            kind: Kind::$kind,
        },)*];

        impl Series {
            /// Position of this series in a projection of a scenario with `provisions`
            /// provisions: its row in [`FIXED`], then caseloads, spends and unit costs by
            /// provision, then the caseloads by age band by band and provision.
            ///
            /// ```
            /// use dsg_core::Series;
            /// use dsg_core::series::FIXED;
            /// assert_eq!(FIXED[Series::Cumulative.index(3)].name, "balance.cumulative");
            /// assert_eq!(Series::Spend(1).index(3), FIXED.len() + 3 + 1);
            /// ```
            #[inline]
            pub const fn index(self, provisions: usize) -> usize {
                #[allow(dead_code)]
                enum Position {
                    $($variant,)*
                }
                let fixed = FIXED.len();
                match self {
                    Series::Caseload(p) => fixed + p,
                    Series::Spend(p) => fixed + provisions + p,
                    Series::UnitCost(p) => fixed + 2 * provisions + p,
                    Series::CaseloadByAge(p, k) => fixed + (3 + k) * provisions + p,
                    $(Series::$variant => Position::$variant as usize,)*
                }
            }
        }
    };
}

fixed_series! {
    CaseloadTotal: "caseload.total", "Plans (EHCPs), all placements", "All plans", Plans, Level;
    Joiners: "caseload.joiners", "New plans in the year", "New plans", Plans, Flow;
    SpendPlacements: "spend.placements", "Spend on placements", "Placements", Pounds, Flow;
    SpendOtherLines: "spend.other_lines", "Spend on other high-needs lines", "Other high-needs spend", Pounds, Flow;
    SpendMitigations: "spend.mitigation_costs", "Mitigation costs charged to the DSG", "Cost of mitigations", Pounds, Flow;
    SpendTotal: "spend.total", "High-needs spend", "Spend", Pounds, Flow;
    Allocation: "funding.allocation", "High-needs block allocation", "Allocation", Pounds, Flow;
    Transfer: "funding.transfer", "Transfer from the schools block", "Schools-block transfer", Pounds, Flow;
    OtherIncome: "funding.other_income", "Other income", "Other income", Pounds, Flow;
    OtherBlocks: "funding.other_blocks_balance", "In-year balance of the other DSG blocks", "Other blocks", Pounds, Flow;
    InYear: "balance.in_year", "In-year DSG balance", "In-year balance", Pounds, Flow;
    SafetyValve: "receipts.safety_valve", "Safety-valve instalments received", "Safety valve", Pounds, Flow;
    Contributions: "receipts.contributions", "Council contributions", "Contributions", Pounds, Flow;
    WriteOff: "receipts.write_off", "Deficit write-off grant", "Write-off", Pounds, Flow;
    CentralFunding: "receipts.central_funding", "Central funding of the deficit", "Central funding", Pounds, Flow;
    ReceiptsTotal: "receipts.total", "Receipts outside the allocation", "Receipts", Pounds, Flow;
    Cumulative: "balance.cumulative", "Cumulative DSG balance", "Cumulative balance", Pounds, Level;
    Interest: "general_fund.interest", "Cost of carrying the deficit (general fund)", "Carrying cost", Pounds, Flow;
    GeneralFundMitigationCosts: "general_fund.mitigation_costs", "Mitigation costs charged to the general fund", "Mitigation costs (general fund)", Pounds, Flow;
    UsableReserves: "general_fund.usable_reserves", "Usable reserves", "Usable reserves", Pounds, Level;
    Headroom: "general_fund.headroom", "Headroom: usable reserves less the deficit", "Headroom", Pounds, Level;
    AssessmentRequests: "children.requests", "Requests for an EHC needs assessment", "Requests", Children, Flow;
    AssessmentsCompleted: "children.assessments_completed", "EHC needs assessments completed", "Assessments completed", Children, Flow;
    ChildrenWaiting: "children.waiting", "Children waiting for an EHC needs assessment", "Children waiting", Children, Level;
    PlansIssued: "children.plans_issued", "New plans issued", "Plans issued", Plans, Flow;
    WeeksToPlan: "children.weeks_to_plan", "Weeks from request to plan", "Weeks to a plan", Weeks, Rate;
    WithinTwentyWeeks: "children.within_20_weeks", "Share of plans issued within 20 weeks", "Within 20 weeks", Share, Rate;
    CaseOfficers: "children.case_officers", "Case officers (FTE)", "Case officers", Fte, Level;
    PlansPerOfficer: "children.plans_per_officer", "Plans per case officer", "Plans per officer", PlansPerOfficer, Rate;
    MainstreamShare: "children.mainstream_share", "Share of children with plans in mainstream settings", "In mainstream", Share, Rate;
    PlacedForLackOfPlace: "children.placed_for_lack_of_place", "Children placed in independent schools because a maintained place was full", "Placed for lack of a place", Children, Flow;
    CaseloadUnder5: "caseload.age.under_5", "Plans of children under 5", "Under 5", Plans, Level;
    Caseload5To10: "caseload.age.5_10", "Plans of children aged 5 to 10", "Aged 5-10", Plans, Level;
    Caseload11To15: "caseload.age.11_15", "Plans of children aged 11 to 15", "Aged 11-15", Plans, Level;
    Caseload16To19: "caseload.age.16_19", "Plans of young people aged 16 to 19", "Aged 16-19", Plans, Level;
    Caseload20To25: "caseload.age.20_25", "Plans of young people aged 20 to 25", "Aged 20-25", Plans, Level;
}

/// The caseload by the DSG management plan's five age bands (docs/model.md section 14), youngest
/// first, as [`PLAN_BAND_STARTS`](crate::scenario::PLAN_BAND_STARTS): reported when the
/// scenario's age bands each lie within one of them.
pub const BY_AGE: [Series; 5] = [
    Series::CaseloadUnder5,
    Series::Caseload5To10,
    Series::Caseload11To15,
    Series::Caseload16To19,
    Series::Caseload20To25,
];

/// The children-and-families series (docs/model.md section 9), in index order: reported when the
/// scenario has an `[assessments]` section.
pub const CHILDREN: [Series; 10] = [
    Series::AssessmentRequests,
    Series::AssessmentsCompleted,
    Series::ChildrenWaiting,
    Series::PlansIssued,
    Series::WeeksToPlan,
    Series::WithinTwentyWeeks,
    Series::CaseOfficers,
    Series::PlansPerOfficer,
    Series::MainstreamShare,
    Series::PlacedForLackOfPlace,
];

/// The children-and-families series each mitigation's effect is reported on (besides the
/// cumulative balance), on the same draws: `mitigation.<name>.impact.children.waiting`.
pub const CHILDREN_IMPACTS: [Series; 5] = [
    Series::ChildrenWaiting,
    Series::WeeksToPlan,
    Series::WithinTwentyWeeks,
    Series::PlacedForLackOfPlace,
    Series::MainstreamShare,
];

/// The series kept for each provision, in index order after [`FIXED`]: caseload, spend, unit
/// cost, then the caseload in each of the management plan's age bands ([`BY_AGE`], youngest
/// first). Names are `<name>.<provision>`: `caseload.special`, `caseload.age.11_15.special`.
pub const PER_PROVISION: [Row; 8] = [
    Row {
        series: Series::Caseload(0),
        name: "caseload",
        label: "Plans",
        short: "Plans",
        unit: Unit::Plans,
        kind: Kind::Level,
    },
    Row {
        series: Series::Spend(0),
        name: "spend",
        label: "Spend",
        short: "Spend",
        unit: Unit::Pounds,
        kind: Kind::Flow,
    },
    Row {
        series: Series::UnitCost(0),
        name: "unit_cost",
        label: "Unit cost",
        short: "Unit cost",
        unit: Unit::PoundsPerPlan,
        kind: Kind::Rate,
    },
    by_age_row(0),
    by_age_row(1),
    by_age_row(2),
    by_age_row(3),
    by_age_row(4),
];

/// The per-provision row of age band `k`: named and labelled as the all-provision series of the
/// band (`caseload.age.under_5`, "Plans of children under 5").
const fn by_age_row(k: usize) -> Row {
    let all = &FIXED[BY_AGE[k].index(0)];
    Row {
        series: Series::CaseloadByAge(0, k),
        name: all.name,
        label: all.label,
        short: all.short,
        unit: Unit::Plans,
        kind: Kind::Level,
    }
}

/// The names a key needs to be written, read or labelled: the scenario's provisions and
/// mitigations, by position. A [`Scenario`](crate::Scenario) and a run's summary have them; so
/// does a list of provision identifiers (with no mitigations).
///
/// ```
/// use dsg_core::series::Names;
/// let provisions = ["special", "mainstream"];
/// assert_eq!(provisions[..].provision(1), Some(("mainstream", "mainstream")));
/// assert_eq!(provisions[..].mitigation(0), None);
/// ```
pub trait Names {
    /// Identifier and label of provision `p`, if there is one.
    fn provision(&self, p: usize) -> Option<(&str, &str)>;
    /// Identifier of mitigation `i`, if there is one.
    fn mitigation(&self, i: usize) -> Option<&str>;
}

/// Provision identifiers (each its own label) and no mitigations.
impl<S: AsRef<str>> Names for [S] {
    fn provision(&self, p: usize) -> Option<(&str, &str)> {
        self.get(p).map(|s| (s.as_ref(), s.as_ref()))
    }

    fn mitigation(&self, _: usize) -> Option<&str> {
        None
    }
}

impl Names for crate::Scenario {
    fn provision(&self, p: usize) -> Option<(&str, &str)> {
        self.provisions
            .get(p)
            .map(|x| (x.name.as_str(), x.label.as_str()))
    }

    fn mitigation(&self, i: usize) -> Option<&str> {
        self.mitigations.get(i).map(|m| m.name.as_str())
    }
}

/// Position of the provision called `name`.
fn provision_called<N: Names + ?Sized>(names: &N, name: &str) -> Option<usize> {
    (0..)
        .map_while(|p| names.provision(p))
        .position(|(n, _)| n == name)
}

impl Series {
    /// This series' row of the table (for a per-provision series, the row of its kind).
    ///
    /// ```
    /// use dsg_core::Series;
    /// use dsg_core::series::Unit;
    /// assert_eq!(Series::Caseload(2).row().unit, Unit::Plans);
    /// assert_eq!(Series::InYear.row().label, "In-year DSG balance");
    /// ```
    pub fn row(self) -> &'static Row {
        match self {
            Series::Caseload(_) => &PER_PROVISION[0],
            Series::Spend(_) => &PER_PROVISION[1],
            Series::UnitCost(_) => &PER_PROVISION[2],
            Series::CaseloadByAge(_, k) => &PER_PROVISION[3 + k],
            // `index` of a fixed series is its row in `FIXED` (provisions do not matter).
            fixed => &FIXED[fixed.index(0)],
        }
    }

    /// What the numbers count.
    pub fn unit(self) -> Unit {
        self.row().unit
    }

    /// Flow in the year, level at its end, or rate.
    pub fn kind(self) -> Kind {
        self.row().kind
    }

    /// Whether a lower value is worse: a balance, the headroom, receipts. For spend, plans and
    /// the other series a higher value is worse.
    ///
    /// ```
    /// use dsg_core::Series;
    /// assert!(Series::Cumulative.lower_is_worse());
    /// assert!(!Series::SpendTotal.lower_is_worse());
    /// ```
    pub fn lower_is_worse(self) -> bool {
        matches!(
            self,
            Series::InYear
                | Series::Cumulative
                | Series::Headroom
                | Series::SafetyValve
                | Series::Contributions
                | Series::WriteOff
                | Series::CentralFunding
                | Series::ReceiptsTotal
        )
    }

    /// Whether this is one of the children-and-families series ([`CHILDREN`]).
    ///
    /// ```
    /// use dsg_core::Series;
    /// assert!(Series::ChildrenWaiting.is_children());
    /// assert!(!Series::Cumulative.is_children());
    /// ```
    pub fn is_children(self) -> bool {
        CHILDREN.contains(&self)
    }

    /// Whether this is one of the caseloads by age band, of all provisions ([`BY_AGE`]) or of
    /// one ([`Series::CaseloadByAge`]).
    ///
    /// ```
    /// use dsg_core::Series;
    /// assert!(Series::Caseload16To19.is_by_age());
    /// assert!(Series::CaseloadByAge(2, 3).is_by_age());
    /// assert!(!Series::CaseloadTotal.is_by_age());
    /// ```
    pub fn is_by_age(self) -> bool {
        matches!(self, Series::CaseloadByAge(..)) || BY_AGE.contains(&self)
    }

    /// The provision of a per-provision series.
    pub fn provision(self) -> Option<usize> {
        match self {
            Series::Caseload(p)
            | Series::Spend(p)
            | Series::UnitCost(p)
            | Series::CaseloadByAge(p, _) => Some(p),
            _ => None,
        }
    }

    /// The same kind of per-provision series for provision `p`; a series that is not per
    /// provision stays as it is.
    fn with_provision(self, p: usize) -> Series {
        match self {
            Series::Caseload(_) => Series::Caseload(p),
            Series::Spend(_) => Series::Spend(p),
            Series::UnitCost(_) => Series::UnitCost(p),
            Series::CaseloadByAge(_, k) => Series::CaseloadByAge(p, k),
            other => other,
        }
    }

    /// The stable name (`spend.total`, `caseload.<provision>`); `None` for a provision that
    /// `names` lacks.
    ///
    /// ```
    /// use dsg_core::Series;
    /// assert_eq!(Series::Spend(1).name(&["special", "mainstream"][..]).as_deref(), Some("spend.mainstream"));
    /// assert_eq!(Series::Spend(2).name(&["special"][..]), None);
    /// ```
    pub fn name<N: Names + ?Sized>(self, names: &N) -> Option<String> {
        let row = self.row();
        match self.provision() {
            Some(p) => names.provision(p).map(|(n, _)| format!("{}.{n}", row.name)),
            None => Some(row.name.to_string()),
        }
    }

    /// The label for people: `Cumulative DSG balance`, `Plans: Special schools` (the provision's
    /// identifier when `names` has no label for it).
    pub fn label<N: Names + ?Sized>(self, names: &N) -> String {
        let row = self.row();
        match self.provision() {
            Some(p) => {
                let provision = names
                    .provision(p)
                    .map_or_else(|| p.to_string(), |(_, l)| l.to_string());
                format!("{}: {provision}", row.label)
            }
            None => row.label.to_string(),
        }
    }

    /// The shorter label of a chart's legend: the provision's own label for a per-provision
    /// series.
    pub fn short_label<N: Names + ?Sized>(self, names: &N) -> String {
        match self.provision() {
            Some(p) => names
                .provision(p)
                .map_or_else(|| p.to_string(), |(_, l)| l.to_string()),
            None => self.row().short.to_string(),
        }
    }

    /// The series whose stable name is `text`, among those of a scenario with provisions
    /// `names`.
    ///
    /// ```
    /// use dsg_core::Series;
    /// let provisions = ["special"];
    /// assert_eq!(Series::parse("caseload.special", &provisions[..]), Some(Series::Caseload(0)));
    /// assert_eq!(Series::parse("balance.cumulative", &provisions[..]), Some(Series::Cumulative));
    /// assert_eq!(Series::parse("caseload.other", &provisions[..]), None);
    /// ```
    pub fn parse<N: Names + ?Sized>(text: &str, names: &N) -> Option<Series> {
        if let Some(row) = FIXED.iter().find(|r| r.name == text) {
            return Some(row.series);
        }
        // A family's name may hold dots (`caseload.age.11_15`): try each family in turn.
        PER_PROVISION.iter().find_map(|row| {
            let provision = text.strip_prefix(row.name)?.strip_prefix('.')?;
            let p = provision_called(names, provision)?;
            Some(row.series.with_provision(p))
        })
    }

    /// Whether a provision called `name` would give one of its series (`caseload.<name>`,
    /// `spend.<name>`, `unit_cost.<name>`, `caseload.age.under_5.<name>`) the name of a
    /// scenario-wide series, such as `caseload.total` or `spend.placements`, or of another
    /// provision's series (a provision called `age.under_5.x` against `x`'s plans under 5).
    ///
    /// ```
    /// use dsg_core::Series;
    /// assert!(Series::clashes_with_provision("total"));
    /// assert!(Series::clashes_with_provision("placements"));
    /// assert!(Series::clashes_with_provision("age.under_5.special"));
    /// assert!(!Series::clashes_with_provision("special"));
    /// ```
    pub fn clashes_with_provision(name: &str) -> bool {
        let after = |whole: &'static str, family: &'static str| {
            whole
                .strip_prefix(family)
                .and_then(|rest| rest.strip_prefix('.'))
        };
        let fixed = FIXED.iter().any(|row| {
            PER_PROVISION
                .iter()
                .any(|family| after(row.name, family.name) == Some(name))
        });
        // `<family>.<name>` read as `<longer family>.<other provision>`.
        let families = PER_PROVISION.iter().any(|short| {
            PER_PROVISION.iter().any(|long| {
                after(long.name, short.name)
                    .and_then(|rest| name.strip_prefix(rest))
                    .is_some_and(|tail| tail.starts_with('.'))
            })
        });
        fixed || families
    }

    /// Every series of a scenario whose provisions are called `provisions`, with its stable name (`caseload.<provision>`, ...), in index
    /// order.
    ///
    /// ```
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/minimal.toml")).unwrap();
    /// let s = dsg_core::Scenario::from_toml_str(&text, "minimal.toml").unwrap();
    /// let all = s.series();
    /// assert_eq!(all[0].1, "caseload.total");
    /// assert!(all.iter().any(|(_, n)| n == "balance.cumulative"));
    /// ```
    pub fn all<S: AsRef<str>>(provisions: &[S]) -> Vec<(Series, String)> {
        Series::in_index_order(provisions.len())
            .into_iter()
            .filter_map(|s| s.name(provisions).map(|n| (s, n)))
            .collect()
    }

    /// Every series of a scenario with `provisions` provisions, in index order.
    pub fn in_index_order(provisions: usize) -> Vec<Series> {
        let per_provision = PER_PROVISION
            .iter()
            .flat_map(|row| (0..provisions).map(|p| row.series.with_provision(p)));
        FIXED
            .iter()
            .map(|row| row.series)
            .chain(per_provision)
            .collect()
    }

    /// Number of series for a scenario with `provisions` provisions.
    pub fn count(provisions: usize) -> usize {
        FIXED.len() + PER_PROVISION.len() * provisions
    }
}

mod key;
#[cfg(test)]
mod tests;

pub use key::{SeriesKey, Variant};
