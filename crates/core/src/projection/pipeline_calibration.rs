//! Calibrating a council's assessment pipeline (docs/model.md section 9) so that its base year
//! reproduces its published figures: requests, new plans issued and the share of plans issued
//! within 20 weeks. The answer is the pipeline's steady state: a year in which the backlog neither
//! grows nor shrinks (`Q[t-1] = Q[t]`) and capacity just meets what is agreed for assessment.
//!
//! Pure arithmetic on numbers; writing the result into a scenario is the caller's business
//! (`dsg init --la`).

use super::assessments::{NATIONAL_BEST_WITHIN_20_WEEKS, STATUTORY_WEEKS};

/// Weeks a year, as in the pipeline's Little's law.
const WEEKS_A_YEAR: f64 = 52.0;

/// The longest backlog wait a calibration returns, in weeks (ten years): a published share of 0
/// (or one so small that the wait would be longer) is met with this wait instead of an endless
/// one, and [`PipelineCalibration::wait_limit`] says so.
pub const MAX_CALIBRATED_WAIT_WEEKS: f64 = 520.0;

/// The longest minimum process time accepted, in weeks (as `assessments.minimum_weeks`).
const MAX_MINIMUM_WEEKS: f64 = 52.0;

/// A council's published base-year figures, and the assumptions the calibration needs.
///
/// ```
/// use dsg_core::projection::PublishedPipeline;
/// let p = PublishedPipeline::new(2200.0, 1400.0, 0.46, 12.0);
/// assert_eq!(p.max_within_20_weeks, 0.65); // the national best, without a council figure
/// assert_eq!(p.agreed_share, 1.0);
/// let p = p.with_max_within_20_weeks(0.875).with_agreed_share(0.75);
/// assert_eq!((p.max_within_20_weeks, p.agreed_share), (0.875, 0.75));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublishedPipeline {
    /// Requests for an EHC needs assessment in the base year, R (above 0).
    pub requests: f64,
    /// New plans issued in the base year, P (0 to R).
    pub new_plans: f64,
    /// Share of those plans issued within 20 weeks, s (0 to 1; 0.46 for 46%).
    pub within_20_weeks: f64,
    /// The shortest time from request to plan, w0, in weeks (0 to 52).
    pub minimum_weeks: f64,
    /// The share within 20 weeks with no backlog at all, s_max (0 to 1; default
    /// [`NATIONAL_BEST_WITHIN_20_WEEKS`]).
    pub max_within_20_weeks: f64,
    /// Share of requests agreed for assessment, a (above 0, at most 1; default 1).
    pub agreed_share: f64,
}

impl PublishedPipeline {
    /// Published requests, new plans and share within 20 weeks, with a minimum process time;
    /// s_max the national best (0.65) and every request agreed for assessment (a = 1).
    pub fn new(requests: f64, new_plans: f64, within_20_weeks: f64, minimum_weeks: f64) -> Self {
        PublishedPipeline {
            requests,
            new_plans,
            within_20_weeks,
            minimum_weeks,
            max_within_20_weeks: NATIONAL_BEST_WITHIN_20_WEEKS,
            agreed_share: 1.0,
        }
    }

    /// The same figures with the council's own share within 20 weeks with no backlog.
    pub fn with_max_within_20_weeks(self, max_within_20_weeks: f64) -> Self {
        PublishedPipeline {
            max_within_20_weeks,
            ..self
        }
    }

    /// The same figures with a share of requests agreed for assessment.
    pub fn with_agreed_share(self, agreed_share: f64) -> Self {
        PublishedPipeline {
            agreed_share,
            ..self
        }
    }
}

/// Why the backlog wait could not reproduce the published share exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitLimit {
    /// The published share is above s_max: no backlog can reach it, so the wait is 0 and the
    /// pipeline reproduces s_max instead.
    AboveMax,
    /// The published share is 0, or so small that the wait would exceed
    /// [`MAX_CALIBRATED_WAIT_WEEKS`]: the wait is that cap, and the share reproduced is a little
    /// above the published one.
    Capped,
}

/// The steady-state pipeline inputs that reproduce a council's base year (docs/model.md
/// section 9): with them, and requests not growing, a projected year has requests R, plans
/// issued P and a share within 20 weeks s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PipelineCalibration {
    /// `assessments.requests`: R.
    pub requests: f64,
    /// `assessments.agreed_share`: a.
    pub agreed_share: f64,
    /// Assessments completed a year, C = a R.
    pub completions: f64,
    /// `assessments.plan_share`: c = P / C, at most 1.
    pub plan_share: f64,
    /// True when P / C was above 1 (more plans than assessments agreed) and c was set to 1: the
    /// pipeline then issues C = a R plans, fewer than published. Raise the agreed share.
    pub plan_share_clamped: bool,
    /// Weeks of backlog, W, from s = s_max (1 - exp(-(20 - w0) / W)).
    pub backlog_weeks: f64,
    /// Set when W could not reproduce s exactly (and why).
    pub wait_limit: Option<WaitLimit>,
    /// `assessments.opening_backlog`: Q = W C / 52, the backlog that stays level.
    pub opening_backlog: f64,
    /// Assessments the case officers complete a year, K = C: officers x
    /// `assessments_per_officer` must equal it.
    pub capacity: f64,
    /// `assessments.minimum_weeks`: w0.
    pub minimum_weeks: f64,
    /// `assessments.max_within_20_weeks`: s_max.
    pub max_within_20_weeks: f64,
}

impl PipelineCalibration {
    /// `assessments_per_officer` for a team of `officers` FTE, so that officers x per officer
    /// = K; `None` unless `officers` is above 0 and finite.
    ///
    /// ```
    /// use dsg_core::projection::{PublishedPipeline, calibrate_pipeline};
    /// let c = calibrate_pipeline(&PublishedPipeline::new(2000.0, 1500.0, 0.5, 12.0))?;
    /// assert_eq!(c.assessments_per_officer(40.0), Some(50.0));
    /// assert_eq!(c.assessments_per_officer(0.0), None);
    /// # Ok::<(), dsg_core::projection::PipelineCalibrationError>(())
    /// ```
    pub fn assessments_per_officer(&self, officers: f64) -> Option<f64> {
        (officers > 0.0 && officers.is_finite()).then(|| self.capacity / officers)
    }

    /// What the calibration could not reproduce, in plain words (empty when it reproduces every
    /// published figure).
    ///
    /// ```
    /// use dsg_core::projection::{PublishedPipeline, calibrate_pipeline};
    /// let c = calibrate_pipeline(&PublishedPipeline::new(2000.0, 1500.0, 0.7, 12.0))?;
    /// assert_eq!(c.notes().len(), 1); // 70% is above the national best of 65%
    /// # Ok::<(), dsg_core::projection::PipelineCalibrationError>(())
    /// ```
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.plan_share_clamped {
            notes.push(format!(
                "more new plans than assessments agreed ({:.0}): plan_share set to 1, so the pipeline issues {:.0} plans a year; raise agreed_share",
                self.completions, self.completions
            ));
        }
        match self.wait_limit {
            Some(WaitLimit::AboveMax) => notes.push(format!(
                "the published share within 20 weeks is above max_within_20_weeks ({}): no backlog can reach it, so the opening backlog is 0 and the pipeline reproduces {} instead",
                self.max_within_20_weeks, self.max_within_20_weeks
            )),
            Some(WaitLimit::Capped) => notes.push(format!(
                "the published share within 20 weeks needs a wait longer than {MAX_CALIBRATED_WAIT_WEEKS} weeks: the backlog is set for that wait"
            )),
            None => {}
        }
        notes
    }
}

/// Published figures a pipeline cannot be calibrated to.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineCalibrationError {
    /// A figure is not a finite number.
    #[error("`{input}` is not a finite number (got {value})")]
    NotFinite {
        /// The figure's name, as in [`PublishedPipeline`].
        input: &'static str,
        /// What was given.
        value: f64,
    },
    /// A figure is outside the values it may take.
    #[error("`{input}` must be from {min} to {max} (got {value})")]
    OutOfRange {
        /// The figure's name, as in [`PublishedPipeline`].
        input: &'static str,
        /// What was given.
        value: f64,
        /// The smallest value allowed.
        min: f64,
        /// The largest value allowed.
        max: f64,
    },
    /// No requests, or none agreed for assessment: there is no pipeline to calibrate.
    #[error(
        "no assessments in the base year (requests {requests} x agreed share {agreed_share}): there is no pipeline to calibrate"
    )]
    NoAssessments {
        /// Requests given.
        requests: f64,
        /// Agreed share given.
        agreed_share: f64,
    },
    /// More new plans than requests: no steady state issues them.
    #[error(
        "more new plans ({new_plans}) than requests ({requests}): every plan needs a request; check the figures are for the same year"
    )]
    MorePlansThanRequests {
        /// New plans given.
        new_plans: f64,
        /// Requests given.
        requests: f64,
    },
    /// A share above 0 within 20 weeks with a minimum process time of 20 weeks or more.
    #[error(
        "a minimum process time of {minimum_weeks} weeks leaves no plan within 20 weeks, but the published share is {share}"
    )]
    ShareUnreachable {
        /// Minimum weeks given.
        minimum_weeks: f64,
        /// Published share given.
        share: f64,
    },
}

/// Checks that each figure is finite and in range.
fn check(p: &PublishedPipeline) -> Result<(), PipelineCalibrationError> {
    let inputs = [
        ("requests", p.requests, 0.0, f64::INFINITY),
        ("new_plans", p.new_plans, 0.0, f64::INFINITY),
        ("within_20_weeks", p.within_20_weeks, 0.0, 1.0),
        ("minimum_weeks", p.minimum_weeks, 0.0, MAX_MINIMUM_WEEKS),
        ("max_within_20_weeks", p.max_within_20_weeks, 0.0, 1.0),
        ("agreed_share", p.agreed_share, 0.0, 1.0),
    ];
    for (input, value, min, max) in inputs {
        if !value.is_finite() {
            return Err(PipelineCalibrationError::NotFinite { input, value });
        }
        if !(min..=max).contains(&value) {
            return Err(PipelineCalibrationError::OutOfRange {
                input,
                value,
                min,
                max,
            });
        }
    }
    if p.requests * p.agreed_share <= 0.0 {
        return Err(PipelineCalibrationError::NoAssessments {
            requests: p.requests,
            agreed_share: p.agreed_share,
        });
    }
    if p.new_plans > p.requests {
        return Err(PipelineCalibrationError::MorePlansThanRequests {
            new_plans: p.new_plans,
            requests: p.requests,
        });
    }
    if p.minimum_weeks >= STATUTORY_WEEKS && p.within_20_weeks > 0.0 {
        return Err(PipelineCalibrationError::ShareUnreachable {
            minimum_weeks: p.minimum_weeks,
            share: p.within_20_weeks,
        });
    }
    Ok(())
}

/// The backlog wait W that gives share `s` (docs/model.md section 9):
/// s = s_max (1 - exp(-(20 - w0) / W)), so W = -(20 - w0) / ln(1 - s / s_max); 0 when
/// s >= s_max (or w0 >= 20, when the share is 0 whatever the wait); the cap when s = 0.
fn wait_for(s: f64, s_max: f64, w0: f64) -> (f64, Option<WaitLimit>) {
    if w0 >= STATUTORY_WEEKS || s == s_max {
        return (0.0, None);
    }
    if s > s_max {
        return (0.0, Some(WaitLimit::AboveMax));
    }
    if s <= 0.0 {
        return (MAX_CALIBRATED_WAIT_WEEKS, Some(WaitLimit::Capped));
    }
    let wait = -(STATUTORY_WEEKS - w0) / (-s / s_max).ln_1p();
    if wait.is_finite() && wait <= MAX_CALIBRATED_WAIT_WEEKS {
        (wait, None)
    } else {
        (MAX_CALIBRATED_WAIT_WEEKS, Some(WaitLimit::Capped))
    }
}

/// The steady-state pipeline inputs that reproduce a council's published base year
/// (docs/model.md section 9): completions C = a R; plan share c = P / C (at most 1, flagged when
/// clamped); the backlog wait W solving s = s_max (1 - exp(-(20 - w0) / W)) (0 when s >= s_max,
/// [`MAX_CALIBRATED_WAIT_WEEKS`] when s = 0, flagged when s cannot be met); the opening backlog
/// Q = W C / 52, which stays level (`Q[t-1] = Q[t]`); and capacity K = C, so that officers x
/// assessments per officer = C. Projected with requests not growing, a year then has requests R,
/// plans issued P and share within 20 weeks s.
///
/// Errors: a figure not finite or out of range, no requests (or none agreed), more new plans
/// than requests, or a share above 0 with a minimum process time of 20 weeks or more.
///
/// ```
/// use dsg_core::projection::{PublishedPipeline, calibrate_pipeline};
/// // 2,000 requests, all agreed; 1,500 new plans; 0.65 x (1 - e^-1) of them within 20 weeks with
/// // a 12-week minimum: 8 weeks of backlog wait, so 2,000 x 8 / 52 children waiting.
/// let share = 0.65 * (1.0 - (-1.0f64).exp());
/// let c = calibrate_pipeline(&PublishedPipeline::new(2000.0, 1500.0, share, 12.0))?;
/// assert_eq!(c.completions, 2000.0);
/// assert_eq!(c.plan_share, 0.75);
/// assert!((c.backlog_weeks - 8.0).abs() < 1e-12);
/// assert!((c.opening_backlog - 2000.0 * 8.0 / 52.0).abs() < 1e-9);
/// assert_eq!(c.capacity, 2000.0);
/// assert!(c.notes().is_empty());
/// # Ok::<(), dsg_core::projection::PipelineCalibrationError>(())
/// ```
pub fn calibrate_pipeline(
    p: &PublishedPipeline,
) -> Result<PipelineCalibration, PipelineCalibrationError> {
    check(p)?;
    let completions = p.agreed_share * p.requests;
    let share = p.new_plans / completions;
    let plan_share_clamped = share > 1.0;
    let (backlog_weeks, wait_limit) =
        wait_for(p.within_20_weeks, p.max_within_20_weeks, p.minimum_weeks);
    Ok(PipelineCalibration {
        requests: p.requests,
        agreed_share: p.agreed_share,
        completions,
        plan_share: share.min(1.0),
        plan_share_clamped,
        backlog_weeks,
        wait_limit,
        opening_backlog: backlog_weeks * completions / WEEKS_A_YEAR,
        capacity: completions,
        minimum_weeks: p.minimum_weeks,
        max_within_20_weeks: p.max_within_20_weeks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calibrate(p: PublishedPipeline) -> PipelineCalibration {
        match calibrate_pipeline(&p) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn hand_computed_steady_state() {
        // R = 1,000, a = 0.8: C = 800 = K; P = 600: c = 0.75. s_max = 0.8, w0 = 10:
        // s = 0.8 (1 - e^-2) needs (20 - 10) / W = 2, W = 5 weeks; Q = 5 x 800 / 52 = 76.923...
        let s = 0.8 * (1.0 - (-2.0f64).exp());
        let c = calibrate(
            PublishedPipeline::new(1000.0, 600.0, s, 10.0)
                .with_max_within_20_weeks(0.8)
                .with_agreed_share(0.8),
        );
        assert_eq!(c.completions, 800.0);
        assert_eq!(c.capacity, 800.0);
        assert_eq!(c.plan_share, 0.75);
        assert!(!c.plan_share_clamped);
        assert!((c.backlog_weeks - 5.0).abs() < 1e-12, "{}", c.backlog_weeks);
        assert!((c.opening_backlog - 4000.0 / 52.0).abs() < 1e-10);
        assert_eq!(c.wait_limit, None);
        assert_eq!(c.assessments_per_officer(16.0), Some(50.0));
    }

    #[test]
    fn half_of_s_max_is_a_wait_of_the_margin_over_ln_2() {
        // s = s_max / 2: 1 - exp(-8 / W) = 1/2, W = 8 / ln 2 = 11.5416...; C = 520: Q = 10 W.
        let c = calibrate(PublishedPipeline::new(520.0, 520.0, 0.325, 12.0));
        assert!((c.backlog_weeks - 8.0 / 2f64.ln()).abs() < 1e-12);
        assert!((c.opening_backlog - 80.0 / 2f64.ln()).abs() < 1e-10);
        assert_eq!(c.plan_share, 1.0);
    }

    #[test]
    fn a_share_at_or_above_s_max_needs_no_backlog() {
        let at = calibrate(PublishedPipeline::new(100.0, 50.0, 0.65, 12.0));
        assert_eq!(
            (at.backlog_weeks, at.opening_backlog, at.wait_limit),
            (0.0, 0.0, None)
        );
        let above = calibrate(PublishedPipeline::new(100.0, 50.0, 0.9, 12.0));
        assert_eq!(above.backlog_weeks, 0.0);
        assert_eq!(above.wait_limit, Some(WaitLimit::AboveMax));
        assert_eq!(above.notes().len(), 1);
    }

    #[test]
    fn a_share_of_zero_takes_the_stated_cap() {
        // C = 52: Q = 520 x 52 / 52 = 520.
        let c = calibrate(PublishedPipeline::new(52.0, 40.0, 0.0, 6.0));
        assert_eq!(c.backlog_weeks, MAX_CALIBRATED_WAIT_WEEKS);
        assert_eq!(c.opening_backlog, 520.0);
        assert_eq!(c.wait_limit, Some(WaitLimit::Capped));
        // So small a share that the wait would pass the cap: capped too.
        let tiny = calibrate(PublishedPipeline::new(52.0, 40.0, 1e-6, 6.0));
        assert_eq!(tiny.wait_limit, Some(WaitLimit::Capped));
        // With w0 at 20 weeks or more, a share of 0 is met with no backlog at all.
        let slow = calibrate(PublishedPipeline::new(52.0, 40.0, 0.0, 20.0));
        assert_eq!((slow.backlog_weeks, slow.wait_limit), (0.0, None));
    }

    #[test]
    fn more_plans_than_agreed_assessments_clamps_the_plan_share() {
        // R = 100, a = 0.5: C = 50 < P = 60 <= R: c = 1.2 clamped to 1, and said so.
        let c = calibrate(PublishedPipeline::new(100.0, 60.0, 0.3, 10.0).with_agreed_share(0.5));
        assert_eq!(c.plan_share, 1.0);
        assert!(c.plan_share_clamped);
        assert!(c.notes()[0].contains("agreed_share"));
    }

    #[test]
    fn impossible_figures_are_typed_errors() {
        use PipelineCalibrationError as E;
        let base = PublishedPipeline::new(100.0, 60.0, 0.3, 10.0);
        let err = |p: PublishedPipeline| calibrate_pipeline(&p).err();
        assert!(matches!(
            err(PublishedPipeline {
                requests: 0.0,
                ..base
            }),
            Some(E::NoAssessments { .. })
        ));
        assert!(matches!(
            err(base.with_agreed_share(0.0)),
            Some(E::NoAssessments { .. })
        ));
        assert!(matches!(
            err(PublishedPipeline {
                new_plans: 101.0,
                ..base
            }),
            Some(E::MorePlansThanRequests { .. })
        ));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(matches!(
                err(PublishedPipeline {
                    within_20_weeks: bad,
                    ..base
                }),
                Some(E::NotFinite {
                    input: "within_20_weeks",
                    ..
                })
            ));
            assert!(matches!(
                err(PublishedPipeline {
                    requests: bad,
                    ..base
                }),
                Some(E::NotFinite {
                    input: "requests",
                    ..
                })
            ));
        }
        assert!(matches!(
            err(base.with_max_within_20_weeks(1.5)),
            Some(E::OutOfRange {
                input: "max_within_20_weeks",
                ..
            })
        ));
        assert!(matches!(
            err(PublishedPipeline {
                new_plans: -1.0,
                ..base
            }),
            Some(E::OutOfRange {
                input: "new_plans",
                ..
            })
        ));
        assert!(matches!(
            err(PublishedPipeline {
                minimum_weeks: 20.0,
                ..base
            }),
            Some(E::ShareUnreachable { .. })
        ));
        let text = err(PublishedPipeline {
            new_plans: 101.0,
            ..base
        })
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            text.contains("more new plans (101) than requests (100)"),
            "{text}"
        );
    }
}
