//! The keys under which reported series travel: a series and the forecast it comes from
//! (with every mitigation, without them, or one mitigation's effect), with their stable names.

use super::{Kind, Names, Series, Unit};

/// Position of the mitigation called `name`.
fn mitigation_called<N: Names + ?Sized>(names: &N, name: &str) -> Option<usize> {
    (0..)
        .map_while(|i| names.mitigation(i))
        .position(|n| n == name)
}

/// Which forecast a reported series comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// With every mitigation (the forecast itself). Named as the series: `balance.cumulative`.
    Mitigated,
    /// With no mitigation: `unmitigated.balance.cumulative`.
    Unmitigated,
    /// What mitigation `i` does: the series with every mitigation less the series with every
    /// mitigation but `i`. `mitigation.<name>.impact` for the cumulative balance (the one the
    /// engine reports), `mitigation.<name>.impact.<series>` for any other.
    Impact(usize),
}

/// A reported series: which series, from which forecast. Results are keyed by it; its string
/// form ([`SeriesKey::name`], the only one: the key has no serde form of its own) appears only
/// where they are serialised (`summary.json`, CSV).
///
/// ```
/// use dsg_core::{Series, SeriesKey};
/// let provisions = ["special"];
/// let key = SeriesKey::unmitigated(Series::Cumulative);
/// let name = key.name(&provisions[..]).unwrap();
/// assert_eq!(name, "unmitigated.balance.cumulative");
/// assert_eq!(SeriesKey::parse(&name, &provisions[..]), Some(key));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SeriesKey {
    /// The series.
    pub series: Series,
    /// The forecast it comes from.
    pub variant: Variant,
}

/// Prefix of the names of unmitigated series.
const UNMITIGATED: &str = "unmitigated.";
/// Prefix and suffix of the names of a mitigation's impact.
const IMPACT: (&str, &str) = ("mitigation.", ".impact");

impl SeriesKey {
    /// `series` in the forecast with every mitigation.
    pub const fn mitigated(series: Series) -> Self {
        SeriesKey {
            series,
            variant: Variant::Mitigated,
        }
    }

    /// `series` in the forecast without mitigations.
    pub const fn unmitigated(series: Series) -> Self {
        SeriesKey {
            series,
            variant: Variant::Unmitigated,
        }
    }

    /// The effect of mitigation `i` on the cumulative balance.
    pub const fn impact(i: usize) -> Self {
        SeriesKey {
            series: Series::Cumulative,
            variant: Variant::Impact(i),
        }
    }

    /// What the numbers count (an impact counts what its series counts).
    pub fn unit(self) -> Unit {
        self.series.unit()
    }

    /// Flow, level or rate, as its series.
    pub fn kind(self) -> Kind {
        self.series.kind()
    }

    /// The stable name, as `summary.json` and `results.csv` key results: `spend.total`,
    /// `unmitigated.spend.total`, `mitigation.<name>.impact`; `None` for a provision or
    /// mitigation that `names` lacks.
    pub fn name<N: Names + ?Sized>(self, names: &N) -> Option<String> {
        let series = self.series.name(names)?;
        match self.variant {
            Variant::Mitigated => Some(series),
            Variant::Unmitigated => Some(format!("{UNMITIGATED}{series}")),
            Variant::Impact(i) => {
                let m = names.mitigation(i)?;
                let (before, after) = IMPACT;
                Some(if self.series == Series::Cumulative {
                    format!("{before}{m}{after}")
                } else {
                    format!("{before}{m}{after}.{series}")
                })
            }
        }
    }

    /// The key whose [`name`](SeriesKey::name) is `text`, if any, among the series of a scenario
    /// with provisions and mitigations `names`.
    pub fn parse<N: Names + ?Sized>(text: &str, names: &N) -> Option<SeriesKey> {
        if let Some(base) = text.strip_prefix(UNMITIGATED) {
            return Series::parse(base, names).map(SeriesKey::unmitigated);
        }
        let (before, after) = IMPACT;
        if let Some(rest) = text.strip_prefix(before) {
            // A mitigation's name may contain dots: try each `.impact` in turn.
            return rest.match_indices(after).find_map(|(at, _)| {
                let i = mitigation_called(names, &rest[..at])?;
                let series = match &rest[at + after.len()..] {
                    "" => Series::Cumulative,
                    tail => Series::parse(tail.strip_prefix('.')?, names)
                        .filter(|s| *s != Series::Cumulative)?,
                };
                Some(SeriesKey {
                    series,
                    variant: Variant::Impact(i),
                })
            });
        }
        Series::parse(text, names).map(SeriesKey::mitigated)
    }

    /// The label for people: `Cumulative DSG balance`, `Spend: Special schools without
    /// mitigations`, ``Mitigation `early_help`: effect on the cumulative balance``.
    pub fn label<N: Names + ?Sized>(self, names: &N) -> String {
        let series = self.series.label(names);
        match self.variant {
            Variant::Mitigated => series,
            Variant::Unmitigated => format!("{series} without mitigations"),
            Variant::Impact(i) => {
                let m = names
                    .mitigation(i)
                    .map_or_else(|| i.to_string(), str::to_string);
                if self.series == Series::Cumulative {
                    format!("Mitigation `{m}`: effect on the cumulative balance")
                } else {
                    format!("Mitigation `{m}`: effect on {series}")
                }
            }
        }
    }
}
