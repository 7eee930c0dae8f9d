//! What a policy set says: its values, read by name and listed.

use super::entry::view;
use super::{
    Change, EntryView, PolicyCentralFunding, PolicyDate, PolicyError, PolicyReform, PolicySet,
    PolicySettlement, PolicySpendingReview, PolicyWriteOff, SHIPPED, SetData, name_in, shipped,
};
use crate::year::FinancialYear;

impl PolicySet {
    /// The shipped set called `name` (see [`PolicySet::names`]).
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let err = PolicySet::named("england-1997").unwrap_err();
    /// assert!(err.to_string().contains("england-2026-02"), "{err}");
    /// ```
    pub fn named(name: &str) -> Result<&'static PolicySet, PolicyError> {
        let Some(index) = SHIPPED.iter().position(|(n, _)| *n == name) else {
            return Err(PolicyError::Unknown {
                name: name.to_string(),
                known: Self::names().map(str::to_string).collect(),
            });
        };
        match shipped().get(index) {
            Some(Ok(set)) => Ok(set),
            Some(Err(e)) => Err(e.clone()),
            None => Err(PolicyError::Unknown {
                name: name.to_string(),
                known: Self::names().map(str::to_string).collect(),
            }),
        }
    }

    /// The names of the shipped sets, oldest first.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let names: Vec<_> = PolicySet::names().collect();
    /// assert_eq!(names, ["england-2025", "england-2026-02", "england-2026-06"]);
    /// ```
    pub fn names() -> impl Iterator<Item = &'static str> {
        SHIPPED.iter().map(|(name, _)| *name)
    }

    /// Reads and validates a set from the text of a policy file (the shape of
    /// `crates/core/policy/*.toml`), e.g. one a user keeps for a rule not yet shipped.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policy/england-2025.toml"));
    /// let set = PolicySet::from_toml(text)?;
    /// assert_eq!(set.name(), "england-2025");
    /// assert!(PolicySet::from_toml("name = 1").is_err());
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn from_toml(text: &str) -> Result<PolicySet, PolicyError> {
        let data: SetData = toml::from_str(text).map_err(|e| PolicyError::Parse {
            name: name_in(text),
            message: e.to_string().trim_end().to_string(),
        })?;
        PolicySet::try_from(data)
    }

    /// The set's name, e.g. `england-2026-02`.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let set = PolicySet::named("england-2025")?;
    /// assert_eq!(set.name(), "england-2025");
    /// assert_eq!(set.as_at().to_string(), "2025");
    /// assert!(set.description().contains("before the February 2026 announcement"));
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// What the set is, in a sentence or two.
    pub fn description(&self) -> &str {
        &self.0.description
    }

    /// The date the set describes the rules at.
    pub fn as_at(&self) -> PolicyDate {
        self.0.as_at
    }

    /// The share of the schools block a schools forum may move to high needs in a year without
    /// the Secretary of State's disapplication (0.005 = 0.5%).
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let limit = PolicySet::named("england-2026-02")?.forum_transfer_limit();
    /// let schools_block = 400_000_000.0;
    /// assert_eq!(limit * schools_block, 2_000_000.0); // £2m without a disapplication
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn forum_transfer_limit(&self) -> f64 {
        self.0.forum_transfer_limit.value
    }

    /// The last year of the statutory override: deficits stay out of the general fund until 31
    /// March at its end.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let policy = PolicySet::named("england-2026-02")?;
    /// assert_eq!(policy.override_ends().end_year(), 2028);
    /// let extensions: Vec<String> =
    ///     policy.override_history().iter().map(|c| c.value.to_string()).collect();
    /// assert_eq!(extensions, ["2022-23", "2025-26", "2027-28"]);
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn override_ends(&self) -> FinancialYear {
        self.0.statutory_override_ends.value
    }

    /// The statutory override's history: its end as first set and at each extension, oldest
    /// first.
    pub fn override_history(&self) -> &[Change<FinancialYear>] {
        &self.0.statutory_override_ends.history
    }

    /// The high-needs funding growth national policy sets for `year` (e.g. 0 for 2026-27, when
    /// allocations were rolled over), or `None` when it sets none.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let policy = PolicySet::named("england-2026-02")?;
    /// assert_eq!(policy.funding_growth_for("2026-27".parse()?), Some(0.0));
    /// assert_eq!(policy.funding_growth_for("2027-28".parse()?), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn funding_growth_for(&self, year: FinancialYear) -> Option<f64> {
        self.0
            .high_needs_funding_growth
            .as_ref()
            .and_then(|e| e.value.get(&year).copied())
    }

    /// The years with a funding growth set by national policy, and their values.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let years: Vec<String> = PolicySet::named("england-2026-02")?
    ///     .funding_growth_by_year().map(|(y, g)| format!("{y}: {g}")).collect();
    /// assert_eq!(years, ["2026-27: 0"]);
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn funding_growth_by_year(&self) -> impl Iterator<Item = (FinancialYear, f64)> + '_ {
        self.0
            .high_needs_funding_growth
            .iter()
            .flat_map(|e| e.value.iter().map(|(y, g)| (*y, *g)))
    }

    /// High-needs funding growth for `year`: the year's own value, else the default.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let before = PolicySet::named("england-2025")?;
    /// assert_eq!(before.funding_growth("2026-27".parse()?), 0.07); // no rollover yet
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn funding_growth(&self, year: FinancialYear) -> f64 {
        self.funding_growth_for(year)
            .unwrap_or(self.0.default_funding_growth.value)
    }

    /// The write-off of high-needs deficits, if the set has one.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let w = PolicySet::named("england-2026-02")?.write_off().unwrap();
    /// let deficit_at_31_march_2026 = 94_000_000.0;
    /// assert_eq!(w.share * deficit_at_31_march_2026, 84_600_000.0); // if the plan is approved
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn write_off(&self) -> Option<PolicyWriteOff> {
        self.0.write_off.as_ref().map(|e| e.value)
    }

    /// Central funding of high-needs deficits, if the set has it.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// assert!(PolicySet::named("england-2025")?.central_funding().is_none());
    /// let from = PolicySet::named("england-2026-02")?.central_funding().map(|c| c.from);
    /// assert_eq!(from.map(|y| y.start_year()), Some(2028));
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn central_funding(&self) -> Option<PolicyCentralFunding> {
        self.0.central_funding.as_ref().map(|e| e.value)
    }

    /// When the safety valve programme ended, if it has.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// assert!(PolicySet::named("england-2025")?.safety_valve_ends().is_none());
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn safety_valve_ends(&self) -> Option<PolicyDate> {
        self.0.safety_valve_ends.as_ref().map(|e| e.value)
    }

    /// The multi-year settlement, if the set has one.
    pub fn settlement(&self) -> Option<PolicySettlement> {
        self.0.multi_year_settlement.as_ref().map(|e| e.value)
    }

    /// The spending review that sets later budgets, if the set has one.
    pub fn spending_review(&self) -> Option<PolicySpendingReview> {
        self.0.spending_review.as_ref().map(|e| e.value)
    }

    /// The reform at phase transfer, if the set has it (docs/model.md section 14).
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let r = PolicySet::named("england-2026-06")?.reform().unwrap();
    /// assert_eq!(r.from.start_year(), 2029);
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn reform(&self) -> Option<PolicyReform> {
        self.0.reform.as_ref().map(|e| e.value)
    }

    /// Demand growth for a scenario that gives none (a modelling default, 0.12 = 12%).
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let set = PolicySet::named("england-2026-02")?;
    /// assert_eq!((set.default_demand_growth(), set.default_funding_growth()), (0.12, 0.07));
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn default_demand_growth(&self) -> f64 {
        self.0.default_demand_growth.value
    }

    /// Funding growth for years neither the scenario nor the set gives (a modelling default).
    pub fn default_funding_growth(&self) -> f64 {
        self.0.default_funding_growth.value
    }

    /// Every value of the set with its unit, dates and source, in file order.
    ///
    /// ```
    /// use dsg_core::policy::PolicySet;
    /// let keys: Vec<&str> = PolicySet::named("england-2025")?.entries().iter().map(|e| e.key).collect();
    /// assert_eq!(keys, ["forum_transfer_limit", "statutory_override_ends",
    ///     "default_demand_growth", "default_funding_growth"]);
    /// # Ok::<(), dsg_core::policy::PolicyError>(())
    /// ```
    pub fn entries(&self) -> Vec<EntryView<'_>> {
        let mut out = vec![
            view(
                "forum_transfer_limit",
                &self.0.forum_transfer_limit,
                |v: &f64| format!("{v:?}"),
            ),
            view(
                "statutory_override_ends",
                &self.0.statutory_override_ends,
                FinancialYear::to_string,
            ),
        ];
        if let Some(e) = &self.0.high_needs_funding_growth {
            out.push(view("high_needs_funding_growth", e, |m| {
                let years: Vec<String> =
                    m.iter().map(|(y, g)| format!("\"{y}\" = {g:?}")).collect();
                format!("{{ {} }}", years.join(", "))
            }));
        }
        if let Some(e) = &self.0.write_off {
            out.push(view("write_off", e, |w| {
                format!(
                    "{{ share = {:?}, deficit_at_end_of = \"{}\", paid_in = \"{}\" }}",
                    w.share, w.deficit_at_end_of, w.paid_in
                )
            }));
        }
        if let Some(e) = &self.0.central_funding {
            out.push(view("central_funding", e, |c| {
                format!("{{ from = \"{}\", share = {:?} }}", c.from, c.share)
            }));
        }
        if let Some(e) = &self.0.safety_valve_ends {
            out.push(view("safety_valve_ends", e, PolicyDate::to_string));
        }
        if let Some(e) = &self.0.multi_year_settlement {
            out.push(view("multi_year_settlement", e, |s| {
                format!("{{ from = \"{}\", to = \"{}\" }}", s.from, s.to)
            }));
        }
        if let Some(e) = &self.0.spending_review {
            out.push(view("spending_review", e, |s| {
                format!(
                    "{{ budgets_from = \"{}\", funding_growth = {} }}",
                    s.budgets_from,
                    s.funding_growth.show()
                )
            }));
        }
        if let Some(e) = &self.0.reform {
            out.push(view("reform", e, PolicyReform::show));
        }
        out.push(view(
            "default_demand_growth",
            &self.0.default_demand_growth,
            |v: &f64| format!("{v:?}"),
        ));
        out.push(view(
            "default_funding_growth",
            &self.0.default_funding_growth,
            |v: &f64| format!("{v:?}"),
        ));
        out
    }
}
