//! Numeric inputs: a number, a distribution or a table of years, checked against the values the
//! input may take, and entered in the scenario's parameter table.

use crate::dist::{Dist, Per};
use crate::input::{Field, InputId, InputMeta, InputUnit, Owner};
use crate::params::{Hyper, ParamId, ParamSpec, Shape, Slot};
use crate::raw::{DistInput, NumInput};
use crate::year::FinancialYear;

use super::Builder;

/// What values an input may take.
#[derive(Clone, Copy)]
pub(super) enum Rule {
    /// Every possible value within `[lo, hi]` (a bounded distribution is needed for a finite bound).
    Within(f64, f64),
    /// A rate: the central value above -1 (no more than everything lost in a year).
    Rate,
    /// Every possible value above 0 (a divisor: case officers, assessments per officer).
    Positive,
    /// Any finite number.
    Any,
}

/// The largest size of any value an input other than a rate may take (its central value, mean,
/// bounds, or a normal's standard deviation): 1e15, a million billion pounds or plans, far beyond
/// any council's or England's figures (England's high-needs spending is about 1e10 pounds a year)
/// and small enough that caseload x unit cost x growth over 30 years stays finite.
pub const MAX_MAGNITUDE: f64 = 1e15;

/// The largest size of a rate (growth, inflation): 100, i.e. 10,000% a year. (1 + 100)^30 is about
/// 1e60, so compounding stays finite.
pub const MAX_RATE: f64 = 100.0;

/// The values of `dist` whose size must stay within the limits: central value, mean, finite
/// bounds and, for a normal, the standard deviation (a normal's draws reach a few dozen
/// standard deviations at most). Lognormal draws are held by the limit on the mean.
fn magnitudes(dist: &Dist) -> Vec<f64> {
    let (lo, hi) = dist.support();
    let mut out = vec![dist.central(), dist.mean()];
    out.extend([lo, hi].into_iter().filter(|x| x.is_finite()));
    if let Dist::Normal { sd, .. } | Dist::TruncatedNormal { sd, .. } = *dist {
        out.push(sd);
    }
    out
}

/// A rate above this (100% a year) draws a warning: probably "12" meant 12%.
pub const PLAUSIBLE_RATE: f64 = 1.0;
/// A unit cost above this (£1m a child a year) draws a warning.
pub const PLAUSIBLE_UNIT_COST: f64 = 1e6;
/// A caseload above this (more children than England has plans, three times over) draws a warning.
pub const PLAUSIBLE_CASELOAD: f64 = 2e6;
/// A sum of money above this (£100bn, more than England's whole DSG) draws a warning.
pub const PLAUSIBLE_MONEY: f64 = 1e11;

/// Zero or more.
pub(super) const NON_NEGATIVE: Rule = Rule::Within(0.0, f64::INFINITY);
/// From 0 to 1.
pub(super) const FRACTION: Rule = Rule::Within(0.0, 1.0);

/// What a yearly input takes in years it does not list.
pub(super) enum Fallback {
    Value(f64),
    SameAs(ParamId),
    /// A level (places, reserves) has no sensible default: a per-year table must cover every year
    /// or give `other_years`.
    EveryYear,
}

enum FillWith {
    Slot(Slot),
    Shared(ParamId),
}

/// The parameter-table entry of the input `meta`: its key path is derived from its metadata.
fn spec(meta: InputMeta, shape: Shape, slots: Vec<Slot>, per: Per, persistence: f64) -> ParamSpec {
    ParamSpec {
        key: meta.key(),
        meta,
        shape,
        slots,
        per,
        persistence,
    }
}

impl Builder {
    fn placeholder(&mut self, meta: InputMeta, shape: Shape) -> ParamId {
        let n = if shape == Shape::Scalar {
            1
        } else {
            self.horizon
        };
        let slots = vec![Slot::Own(Dist::Fixed { value: 0.0 }); n];
        self.params.push(spec(meta, shape, slots, Per::Path, 0.0))
    }

    /// Checks one value (or one year's value, under `key`) of the input `what` against `rule`.
    fn check_rule(&mut self, key: &str, what: &InputMeta, dist: &Dist, rule: Rule) {
        if let Err(message) = dist.validate() {
            self.problem(key, message);
            return;
        }
        if !dist.mean().is_finite() || !dist.central().is_finite() {
            self.problem(
                key,
                format!(
                    "this {} has a mean too large to represent; check its parameters",
                    dist.name()
                ),
            );
            return;
        }
        // docs/model.md section 8: values so large that the projection would overflow are refused
        // here, before the run. A rate compounds over up to 30 years, so it has a tighter limit.
        let limit = if matches!(rule, Rule::Rate) {
            MAX_RATE
        } else {
            MAX_MAGNITUDE
        };
        if let Some(x) = magnitudes(dist).into_iter().find(|x| x.abs() > limit) {
            let what = if dist.is_fixed() {
                format!("got {x}")
            } else {
                format!("this {} reaches {x}", dist.name())
            };
            let limit_text = if matches!(rule, Rule::Rate) {
                "100 (10,000% a year)".to_string()
            } else {
                "1e15 (a million billion) in size".to_string()
            };
            self.problem(
                key,
                format!("is too large for the arithmetic: must be at most {limit_text}; {what}"),
            );
            return;
        }
        self.plausibility(key, what, dist, rule);
        match rule {
            Rule::Any => {}
            Rule::Rate => {
                if dist.central() <= -1.0 {
                    self.problem(
                        key,
                        format!("a rate must be above -1 (-100%); got {}", dist.central()),
                    );
                }
            }
            Rule::Positive => {
                let (s_lo, _) = dist.support();
                // A lognormal with no negative shift never reaches its lower bound.
                let open = matches!(*dist, Dist::Lognormal { shift, .. } if shift >= 0.0);
                if !(s_lo > 0.0 || open) {
                    let what = if dist.is_fixed() {
                        format!("got {}", dist.central())
                    } else if s_lo.is_infinite() {
                        format!(
                            "a {} can take any value; use a bounded distribution such as truncated_normal, pert or uniform with a minimum above 0",
                            dist.name()
                        )
                    } else {
                        format!("this {} reaches {s_lo}", dist.name())
                    };
                    self.problem(key, format!("must be above 0: {what}"));
                }
            }
            Rule::Within(lo, hi) => {
                let (s_lo, s_hi) = dist.support();
                if s_lo < lo || s_hi > hi {
                    let range = match (lo, hi) {
                        (lo, hi) if hi.is_infinite() => format!("at least {lo}"),
                        (lo, hi) => format!("between {lo} and {hi}"),
                    };
                    let what = if dist.is_fixed() {
                        format!("got {}", dist.central())
                    } else if s_lo.is_infinite() || s_hi.is_infinite() {
                        format!(
                            "a {} can take any value; use a bounded distribution such as truncated_normal, pert or uniform",
                            dist.name()
                        )
                    } else {
                        format!("this {} ranges from {s_lo} to {s_hi}", dist.name())
                    };
                    self.problem(key, format!("must be {range}: {what}"));
                }
            }
        }
    }

    /// Warns (without refusing) about a value a finance officer almost certainly did not mean,
    /// judged by what the input is (its rule, field and unit), named at `key`.
    fn plausibility(&mut self, key: &str, what: &InputMeta, dist: &Dist, rule: Rule) {
        let x = dist.central().abs().max(dist.mean().abs());
        let message = if matches!(rule, Rule::Rate) {
            (x > PLAUSIBLE_RATE).then(|| {
                format!(
                    "a rate of {} is {:.0}% a year; rates are fractions (0.12 = 12%): did you mean {}?",
                    dist.central(),
                    dist.central() * 100.0,
                    dist.central() / 100.0
                )
            })
        } else if what.id.field == Field::UnitCost {
            (x > PLAUSIBLE_UNIT_COST).then(|| {
                format!("a unit cost of £{x:.0} a child is above £1m; check the units (pounds per child per year)")
            })
        } else if what.id.field == Field::Caseload {
            (x > PLAUSIBLE_CASELOAD).then(|| {
                format!("a caseload of {x:.0} is more than England's (about 640,000 plans); check the figure")
            })
        } else if what.unit == InputUnit::Money {
            (x > PLAUSIBLE_MONEY).then(|| {
                format!("{x:.0} is above £100bn (more than England's whole DSG); check the units (pounds)")
            })
        } else {
            None
        };
        if let Some(message) = message {
            self.warning(key, message);
        }
    }

    /// Reads a number or a distribution; `None` (with the problems recorded) when it cannot be
    /// used.
    fn dist(
        &mut self,
        key: &str,
        what: &InputMeta,
        input: &NumInput,
        rule: Rule,
    ) -> Option<(Dist, Option<Per>, f64)> {
        let (dist, per, persistence) = match input {
            NumInput::Number(x) => (Dist::Fixed { value: *x }, None, 0.0),
            NumInput::Distribution(DistInput {
                dist,
                per,
                persistence,
                hyper,
            }) => {
                if !hyper.is_empty() && !self.hyper_ok {
                    self.problem(
                        format!("{key}.{}", hyper[0].0),
                        "a parameter given as a distribution (parameter uncertainty) is allowed only on a yearly input given as one distribution, not on a single value or in a per-year table",
                    );
                    return None;
                }
                let phi = persistence.unwrap_or(0.0);
                // docs/model.md section 7: -1 < phi < 1 (a negative phi alternates high and low
                // years).
                if phi.is_nan() || phi.abs() >= 1.0 {
                    self.problem(
                        format!("{key}.persistence"),
                        "`persistence` must be a number from just above -1 to just under 1",
                    );
                    return None;
                }
                (dist.clone(), *per, phi)
            }
            NumInput::ByYear(_) => {
                self.problem(
                    key,
                    "a table here must be a distribution with `dist = \"...\"` (per-year tables are for yearly inputs)",
                );
                return None;
            }
            NumInput::Unreadable(problems) => {
                self.unreadable(key, problems);
                return None;
            }
        };
        if let Dist::Fixed { value } = dist
            && !value.is_finite()
        {
            self.problem(key, format!("must be a finite number, not {value}"));
            return None;
        }
        self.check_rule(key, what, &dist, rule);
        Some((dist, per, persistence))
    }

    /// Records the problems found reading an input.
    fn unreadable(&mut self, key: &str, problems: &[(String, String)]) {
        for (below, message) in problems {
            let at = if below.is_empty() {
                key.to_string()
            } else {
                format!("{key}.{below}")
            };
            self.problem(at, message.clone());
        }
    }

    /// An input with one value per path: a number or a distribution.
    pub(super) fn scalar(&mut self, meta: InputMeta, input: &NumInput, rule: Rule) -> ParamId {
        let key = meta.key();
        let Some((dist, per, persistence)) = self.dist(&key, &meta, input, rule) else {
            return self.placeholder(meta, Shape::Scalar);
        };
        if per == Some(Per::Year) || persistence != 0.0 {
            self.problem(key, "this input has one value per path: `per = \"year\"` and `persistence` do not apply");
        }
        let slots = vec![Slot::Own(dist)];
        self.params
            .push(spec(meta, Shape::Scalar, slots, Per::Path, 0.0))
    }

    /// An input with one value per path fixed at `value` (a default, or a policy set's value).
    pub(super) fn fixed_scalar(&mut self, meta: InputMeta, value: f64) -> ParamId {
        let slots = vec![Slot::Own(Dist::Fixed { value })];
        self.params
            .push(spec(meta, Shape::Scalar, slots, Per::Path, 0.0))
    }

    /// [`Builder::scalar`] when the scenario gives the input, else fixed at `default`.
    pub(super) fn scalar_or(
        &mut self,
        meta: InputMeta,
        input: Option<&NumInput>,
        default: f64,
        rule: Rule,
    ) -> ParamId {
        match input {
            Some(i) => self.scalar(meta, i, rule),
            None => self.fixed_scalar(meta, default),
        }
    }

    /// A yearly input fixed at `value` that no scenario key sets (a lever).
    pub(super) fn fixed_yearly(&mut self, meta: InputMeta, value: f64) -> ParamId {
        let slots = vec![Slot::Own(Dist::Fixed { value }); self.horizon];
        self.params
            .push(spec(meta, Shape::Yearly, slots, Per::Year, 0.0))
    }

    /// A yes/no event happening with `probability`, once per path or each year.
    pub(super) fn event(&mut self, meta: InputMeta, probability: f64, shape: Shape) -> ParamId {
        if !(0.0..=1.0).contains(&probability) {
            self.problem(
                meta.key(),
                format!("a probability must be between 0 and 1 (got {probability})"),
            );
        }
        let p = probability.clamp(0.0, 1.0);
        let n = if shape == Shape::Scalar {
            1
        } else {
            self.horizon
        };
        let per = if shape == Shape::Scalar {
            Per::Path
        } else {
            Per::Year
        };
        let slots = vec![Slot::Own(Dist::Bernoulli { p }); n];
        self.params.push(spec(meta, shape, slots, per, 0.0))
    }

    /// A yearly input: a number, a distribution, or a table of years (each a number or a
    /// distribution) with `other_years` for the rest.
    pub(super) fn yearly(
        &mut self,
        meta: InputMeta,
        input: Option<&NumInput>,
        fallback: Fallback,
        rule: Rule,
    ) -> ParamId {
        let horizon = self.horizon;
        let input = match input {
            Some(i) => i,
            None => match fallback {
                Fallback::SameAs(id) => return id,
                Fallback::EveryYear => return self.placeholder(meta, Shape::Yearly),
                Fallback::Value(v) => return self.fixed_yearly(meta, v),
            },
        };
        let key = &meta.key();
        let mut pers: Vec<(Option<Per>, f64)> = Vec::new();
        let slots: Vec<Slot> = if let NumInput::ByYear(table) = input {
            let mut slots: Vec<Option<Slot>> = vec![None; horizon];
            let mut other: Option<Slot> = None;
            for (k, value) in table {
                let sub_key = format!("{key}.{k}");
                if matches!(value, NumInput::ByYear(_)) {
                    self.problem(
                        &sub_key,
                        "a year's value must be a number or a distribution with `dist = \"...\"`",
                    );
                    continue;
                }
                let Some((dist, per, phi)) = self.dist(&sub_key, &meta, value, rule) else {
                    continue;
                };
                pers.push((per, phi));
                if k == "other_years" {
                    other = Some(Slot::Own(dist));
                } else if let Some(t) = self.year_in_projection(&sub_key, k) {
                    slots[t - 1] = Some(Slot::Own(dist));
                }
            }
            let fill = match (other, fallback) {
                (Some(slot), _) => FillWith::Slot(slot),
                (None, Fallback::Value(v)) => FillWith::Slot(Slot::Own(Dist::Fixed { value: v })),
                (None, Fallback::SameAs(id)) => FillWith::Shared(id),
                (None, Fallback::EveryYear) => {
                    if slots.iter().any(Option::is_none) {
                        self.problem(
                            key,
                            format!(
                                "give a value for every year from {} to {}, or `other_years` for the years not listed",
                                self.base + 1,
                                self.base + horizon as u16
                            ),
                        );
                    }
                    FillWith::Slot(Slot::Own(Dist::Fixed { value: 0.0 }))
                }
            };
            slots
                .into_iter()
                .enumerate()
                .map(|(i, s)| match (s, &fill) {
                    (Some(s), _) => s,
                    (None, FillWith::Slot(slot)) => slot.clone(),
                    (None, FillWith::Shared(id)) => Slot::Shared {
                        offset: id.offset() + i,
                    },
                })
                .collect()
        } else {
            self.hyper_ok = true;
            let read = self.dist(key, &meta, input, rule);
            self.hyper_ok = false;
            let Some((dist, per, phi)) = read else {
                return self.placeholder(meta, Shape::Yearly);
            };
            pers.push((per, phi));
            vec![Slot::Own(dist); horizon]
        };
        let hyper = match input {
            NumInput::Distribution(d) if !d.hyper.is_empty() => self.hyper(key, d, per_of(input)),
            _ => None,
        };
        let uncertain: Vec<(Option<Per>, f64)> = pers;
        let per = uncertain.iter().find_map(|(p, _)| *p).unwrap_or(Per::Year);
        // The persistence given (years that give none are 0); differing ones are refused below.
        let persistence = uncertain
            .iter()
            .map(|(_, phi)| *phi)
            .find(|phi| *phi != 0.0)
            .unwrap_or(0.0);
        if uncertain
            .iter()
            .any(|(p, phi)| p.is_some_and(|p| p != per) || (*phi != 0.0 && *phi != persistence))
        {
            self.problem(
                key,
                "every year of one input must share the same `per` and `persistence`",
            );
        }
        if per == Per::Path && persistence != 0.0 {
            self.problem(
                key,
                "`persistence` applies to inputs drawn each year (`per = \"year\"`)",
            );
        }
        let id = self
            .params
            .push(spec(meta, Shape::Yearly, slots, per, persistence));
        if let Some((location, scale)) = hyper {
            self.params.set_hyper(Hyper {
                index: id.index(),
                location,
                scale,
            });
        }
        id
    }

    /// Checks the distributions of a yearly input's parameters (parameter uncertainty): each
    /// valid, the scale never below 0, the input drawn each year. Returns (location, scale).
    fn hyper(
        &mut self,
        key: &str,
        input: &DistInput,
        per: Option<Per>,
    ) -> Option<(Option<Dist>, Option<Dist>)> {
        let mut location = None;
        let mut scale = None;
        let mut ok = true;
        for (name, d) in &input.hyper {
            let at = format!("{key}.{name}");
            if let Err(message) = d.validate() {
                self.problem(&at, message);
                ok = false;
                continue;
            }
            if !d.mean().is_finite() {
                self.problem(&at, "this distribution has a mean too large to represent");
                ok = false;
                continue;
            }
            if let Some(x) = magnitudes(d).into_iter().find(|x| x.abs() > MAX_RATE) {
                self.problem(
                    &at,
                    format!(
                        "is too large for the arithmetic: must be at most 100 in size; reaches {x}"
                    ),
                );
                ok = false;
                continue;
            }
            let is_scale = name == "sd" || name == "sigma";
            if is_scale {
                let (lo, _) = d.support();
                if lo < 0.0 {
                    self.problem(
                        &at,
                        format!(
                            "a standard deviation must not be negative: use a distribution bounded below by 0 (lognormal, truncated_normal with min = 0, pert, uniform); this {} reaches {lo}",
                            d.name()
                        ),
                    );
                    ok = false;
                    continue;
                }
                scale = Some(d.clone());
            } else {
                location = Some(d.clone());
            }
        }
        if per == Some(Per::Path) {
            self.problem(
                key,
                "parameter uncertainty needs an input drawn each year (`per = \"year\"`): its mean and sd are drawn once per path, its value each year",
            );
            ok = false;
        }
        ok.then_some((location, scale))
    }

    /// The projection index (1..=H) of a year key such as `2026-27` in a table of years.
    fn year_in_projection(&mut self, key: &str, text: &str) -> Option<usize> {
        let Ok(year) = text.parse::<FinancialYear>() else {
            self.problem(
                key,
                format!("`{text}` is neither a financial year such as `2026-27` nor `other_years`"),
            );
            return None;
        };
        let off = self.base.offset_to(year);
        if off < 1 || off > self.horizon as i32 {
            self.problem(
                key,
                format!(
                    "{year} is outside the projection ({} to {})",
                    self.base + 1,
                    self.base + self.horizon as u16
                ),
            );
            return None;
        }
        Some(off as usize)
    }
}

/// The `per` written on a distribution input.
fn per_of(input: &NumInput) -> Option<Per> {
    match input {
        NumInput::Distribution(d) => d.per,
        _ => None,
    }
}

/// The scenario-wide input `field` of the section `owner`.
pub(super) fn wide(owner: Owner, field: Field) -> InputMeta {
    InputMeta::new(InputId::new(owner, field), None)
}

/// The input `field` of the list entry `owner`, called `name`.
pub(super) fn entry(owner: Owner, name: &str, field: Field) -> InputMeta {
    InputMeta::new(InputId::new(owner, field), Some(name))
}
