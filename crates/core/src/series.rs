//! The output series of a projection: what each is called.

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
    /// Plans in provision `p`.
    Caseload(usize),
    /// Placement spend in provision `p`.
    Spend(usize),
    /// Unit cost paid in provision `p` (after savings).
    UnitCost(usize),
}

const FIXED_SERIES: [(Series, &str); 21] = [
    (Series::CaseloadTotal, "caseload.total"),
    (Series::Joiners, "caseload.joiners"),
    (Series::SpendPlacements, "spend.placements"),
    (Series::SpendOtherLines, "spend.other_lines"),
    (Series::SpendMitigations, "spend.mitigation_costs"),
    (Series::SpendTotal, "spend.total"),
    (Series::Allocation, "funding.allocation"),
    (Series::Transfer, "funding.transfer"),
    (Series::OtherIncome, "funding.other_income"),
    (Series::OtherBlocks, "funding.other_blocks_balance"),
    (Series::InYear, "balance.in_year"),
    (Series::SafetyValve, "receipts.safety_valve"),
    (Series::Contributions, "receipts.contributions"),
    (Series::WriteOff, "receipts.write_off"),
    (Series::CentralFunding, "receipts.central_funding"),
    (Series::ReceiptsTotal, "receipts.total"),
    (Series::Cumulative, "balance.cumulative"),
    (Series::Interest, "general_fund.interest"),
    (
        Series::GeneralFundMitigationCosts,
        "general_fund.mitigation_costs",
    ),
    (Series::UsableReserves, "general_fund.usable_reserves"),
    (Series::Headroom, "general_fund.headroom"),
];

impl Series {
    /// Whether a provision called `name` would give one of its series (`caseload.<name>`,
    /// `spend.<name>`, `unit_cost.<name>`) the name of a scenario-wide series, such as
    /// `caseload.total` or `spend.placements`.
    ///
    /// ```
    /// use dsg_core::Series;
    /// assert!(Series::clashes_with_provision("total"));
    /// assert!(Series::clashes_with_provision("placements"));
    /// assert!(!Series::clashes_with_provision("special"));
    /// ```
    pub fn clashes_with_provision(name: &str) -> bool {
        FIXED_SERIES.iter().any(|(_, series)| {
            ["caseload.", "spend.", "unit_cost."]
                .iter()
                .any(|prefix| series.strip_prefix(prefix) == Some(name))
        })
    }

    /// Position of this series in a projection of a scenario with `provisions` provisions.
    #[inline]
    pub fn index(self, provisions: usize) -> usize {
        let fixed = FIXED_SERIES.len();
        match self {
            Series::Caseload(p) => fixed + p,
            Series::Spend(p) => fixed + provisions + p,
            Series::UnitCost(p) => fixed + 2 * provisions + p,
            Series::CaseloadTotal => 0,
            Series::Joiners => 1,
            Series::SpendPlacements => 2,
            Series::SpendOtherLines => 3,
            Series::SpendMitigations => 4,
            Series::SpendTotal => 5,
            Series::Allocation => 6,
            Series::Transfer => 7,
            Series::OtherIncome => 8,
            Series::OtherBlocks => 9,
            Series::InYear => 10,
            Series::SafetyValve => 11,
            Series::Contributions => 12,
            Series::WriteOff => 13,
            Series::CentralFunding => 14,
            Series::ReceiptsTotal => 15,
            Series::Cumulative => 16,
            Series::Interest => 17,
            Series::GeneralFundMitigationCosts => 18,
            Series::UsableReserves => 19,
            Series::Headroom => 20,
        }
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
        let mut out: Vec<(Series, String)> = FIXED_SERIES
            .iter()
            .map(|(s, n)| (*s, n.to_string()))
            .collect();
        let names = || provisions.iter().map(AsRef::as_ref).enumerate();
        out.extend(names().map(|(i, p)| (Series::Caseload(i), format!("caseload.{p}"))));
        out.extend(names().map(|(i, p)| (Series::Spend(i), format!("spend.{p}"))));
        out.extend(names().map(|(i, p)| (Series::UnitCost(i), format!("unit_cost.{p}"))));
        out
    }

    /// Every series of a scenario with `provisions` provisions, in index order.
    pub fn in_index_order(provisions: usize) -> Vec<Series> {
        let mut all: Vec<Series> = FIXED_SERIES.iter().map(|(s, _)| *s).collect();
        all.extend((0..provisions).map(Series::Caseload));
        all.extend((0..provisions).map(Series::Spend));
        all.extend((0..provisions).map(Series::UnitCost));
        all
    }

    /// Number of series for a scenario with `provisions` provisions.
    pub fn count(provisions: usize) -> usize {
        FIXED_SERIES.len() + 3 * provisions
    }
}
