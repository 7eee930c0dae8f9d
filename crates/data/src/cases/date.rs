//! A calendar date as days since 1 January 1970, parsed from `YYYY-MM-DD` or `DD/MM/YYYY`, with
//! the English school-year conventions the case list needs (age at 31 August, financial years,
//! the January census day).

use std::fmt;

/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
///
/// ```
/// use dsg_data::cases::Date;
/// let d = Date::parse("2026-03-31").ok_or("bad")?;
/// assert_eq!(Date::parse("31/03/2026"), Some(d));
/// assert_eq!(d.to_string(), "2026-03-31");
/// assert_eq!(d.ymd(), (2026, 3, 31));
/// # Ok::<(), &'static str>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// The date `year`-`month`-`day`, or `None` if there is no such day.
    ///
    /// ```
    /// use dsg_data::cases::Date;
    /// assert!(Date::from_ymd(2024, 2, 29).is_some());
    /// assert!(Date::from_ymd(2025, 2, 29).is_none());
    /// ```
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !(1000..=9999).contains(&year) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = month as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    /// Days since 1970-01-01.
    ///
    /// ```
    /// assert_eq!(dsg_data::cases::Date::from_days(1).days(), 1);
    /// ```
    pub fn days(self) -> i32 {
        self.0
    }

    /// The date `days` after 1970-01-01.
    ///
    /// ```
    /// use dsg_data::cases::Date;
    /// assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
    /// ```
    pub fn from_days(days: i32) -> Date {
        Date(days)
    }

    /// The date `n` days later (earlier if negative).
    ///
    /// ```
    /// use dsg_data::cases::Date;
    /// assert_eq!(Date::from_days(0).add_days(31).to_string(), "1970-02-01");
    /// ```
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0.saturating_add(n))
    }

    /// Year, month and day.
    ///
    /// ```
    /// assert_eq!(dsg_data::cases::Date::from_days(59).ymd(), (1970, 3, 1));
    /// ```
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }

    /// Parses `YYYY-MM-DD` (also with a time after it, `2026-03-31T00:00:00`) or `DD/MM/YYYY`
    /// (the English order); `None` if it is neither or no such day.
    ///
    /// ```
    /// use dsg_data::cases::Date;
    /// assert!(Date::parse("2026-02-30").is_none());
    /// assert!(Date::parse("03/31/2026").is_none()); // American order: no 31st month
    /// assert_eq!(Date::parse("1/9/2025").map(|d| d.ymd()), Some((2025, 9, 1)));
    /// ```
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let text = text.split(['T', ' ']).next().unwrap_or(text);
        let num = |s: &str| -> Option<u32> {
            if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        };
        if let Some((y, rest)) = text.split_once('-') {
            let (m, d) = rest.split_once('-')?;
            if y.len() != 4 {
                return None;
            }
            return Date::from_ymd(num(y)? as i32, num(m)?, num(d)?);
        }
        let mut parts = text.split('/');
        let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || d.len() > 2 || m.len() > 2 {
            return None;
        }
        Date::from_ymd(num(y)? as i32, num(m)?, num(d)?)
    }

    /// The date of an Excel serial day number (days since 1899-12-30, the 1900 date system);
    /// the fraction of a day is ignored.
    ///
    /// ```
    /// use dsg_data::cases::Date;
    /// assert_eq!(Date::from_excel(46112.0).map(|d| d.to_string()), Some("2026-03-31".into()));
    /// ```
    pub fn from_excel(serial: f64) -> Option<Date> {
        if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
            return None;
        }
        Some(Date(serial.floor() as i32 - 25_569))
    }

    /// Whole years from `birth` to this date (the age on this date of someone born on `birth`).
    ///
    /// ```
    /// use dsg_data::cases::Date;
    /// let birth = Date::from_ymd(2010, 9, 1).ok_or("")?;
    /// assert_eq!(Date::from_ymd(2020, 8, 31).ok_or("")?.years_since(birth), 9);
    /// assert_eq!(Date::from_ymd(2020, 9, 1).ok_or("")?.years_since(birth), 10);
    /// # Ok::<(), &'static str>(())
    /// ```
    pub fn years_since(self, birth: Date) -> i32 {
        let (y1, m1, d1) = birth.ymd();
        let (y2, m2, d2) = self.ymd();
        let mut years = y2 - y1;
        if (m2, d2) < (m1, d1) {
            years -= 1;
        }
        years
    }

    /// The financial year (April to March) holding this date, named by its first calendar year:
    /// 2025 for 2025-26.
    ///
    /// ```
    /// use dsg_data::cases::Date;
    /// assert_eq!(Date::from_ymd(2026, 3, 31).ok_or("")?.financial_year(), 2025);
    /// assert_eq!(Date::from_ymd(2026, 4, 1).ok_or("")?.financial_year(), 2026);
    /// # Ok::<(), &'static str>(())
    /// ```
    pub fn financial_year(self) -> i32 {
        let (y, m, _) = self.ymd();
        if m >= 4 { y } else { y - 1 }
    }

    /// Day of the week, 0 = Monday ... 6 = Sunday.
    ///
    /// ```
    /// use dsg_data::cases::Date;
    /// assert_eq!(Date::from_ymd(2026, 1, 15).ok_or("")?.weekday(), 3); // a Thursday
    /// # Ok::<(), &'static str>(())
    /// ```
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// The January school census day of `year`: the third Thursday of January.
    ///
    /// ```
    /// use dsg_data::cases::Date;
    /// assert_eq!(Date::census_day(2026).map(|d| d.to_string()), Some("2026-01-15".into()));
    /// ```
    pub fn census_day(year: i32) -> Option<Date> {
        let first = Date::from_ymd(year, 1, 1)?;
        let to_thursday = (3 + 7 - first.weekday() as i32) % 7;
        Some(first.add_days(to_thursday + 14))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_day_for_centuries() {
        for days in -100_000..100_000 {
            let d = Date(days);
            let (y, m, dd) = d.ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Some(d));
        }
    }

    #[test]
    fn refuses_nonsense() {
        for bad in [
            "",
            "2026",
            "2026-13-01",
            "31-03-2026",
            "2026/03/31",
            "x/y/z",
            "1/1/26",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
    }
}
