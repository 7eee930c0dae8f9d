//! National reforms as dated data (docs/forecast-evaluation.md, "Reforms"): while a reform that
//! changes who may have a plan is settling in, the panel's past growth says little about its
//! future growth, so a forecast made from an origin inside the reform's window widens the
//! national growth's uncertainty and moves its centre in the direction the reform is known to
//! push. The values are kept apart from the formulas (`pooled.rs`) with their sources.

/// A reform that changes the national growth of plans for a few years.
///
/// ```
/// let r = &dsg_data::growth::REFORMS[0];
/// assert!(r.applies(2015) && !r.applies(2017));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reform {
    /// What it is.
    pub name: &'static str,
    /// Where the dates come from.
    pub source: &'static str,
    /// The first origin (January count) at which forecasts are made under it: the count just
    /// before it came into force, when it was already law.
    pub first_origin: i32,
    /// The last origin whose data do not yet show the new regime's growth.
    pub last_origin: i32,
    /// The yearly log growth it is expected to add, on top of the panel's past growth.
    pub growth_shift: f64,
    /// The standard deviation of the national log growth it adds, each year ahead.
    pub growth_sd: f64,
}

impl Reform {
    /// Whether a forecast from `origin` is made while the reform settles in.
    pub fn applies(&self, origin: i32) -> bool {
        (self.first_origin..=self.last_origin).contains(&origin)
    }
}

/// The reforms the shipped panel spans. The 2029 reform at phase transfer is a policy event in
/// a scenario's policy set, not a growth-model window.
pub const REFORMS: &[Reform] = &[Reform {
    name: "Children and Families Act 2014: EHC plans from 0 to 25 replace statements (0 to 19)",
    source: "Children and Families Act 2014, Part 3 (Royal Assent 13 March 2014, in force 1 \
             September 2014; statements converted by 1 April 2018). Window: origins 2014-2016, \
             the January counts before the panel's growth showed the new regime (1.2% into \
             2015, 8.0% into 2016, 11.7% into 2017). Shift and sd chosen on this one reform's \
             outcomes (docs/forecast-evaluation.md): they cannot be validated out of sample.",
    first_origin: 2014,
    last_origin: 2016,
    growth_shift: 0.015,
    growth_sd: 0.07,
}];
