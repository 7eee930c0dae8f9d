//! Dates with the precision their source gives.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::year::FinancialYear;

/// A date with the precision its source gives: a year (`2025`), a month (`2026-02`) or a day
/// (`2026-02-15`). Earlier precision sorts first within the same year or month.
///
/// ```
/// use dsg_core::policy::PolicyDate;
/// let d: PolicyDate = "2026-02".parse().unwrap();
/// assert_eq!((d.year(), d.month(), d.day()), (2026, Some(2), None));
/// assert_eq!(d.to_string(), "2026-02");
/// assert!("2026-13".parse::<PolicyDate>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PolicyDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

impl PolicyDate {
    /// The calendar year.
    ///
    /// ```
    /// use dsg_core::policy::PolicyDate;
    /// assert_eq!("2026-02-15".parse::<PolicyDate>().unwrap().year(), 2026);
    /// ```
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month (1-12), when the source gives it.
    ///
    /// ```
    /// use dsg_core::policy::PolicyDate;
    /// assert_eq!("2025".parse::<PolicyDate>().unwrap().month(), None);
    /// ```
    pub fn month(self) -> Option<u8> {
        self.month
    }

    /// The day of the month, when the source gives it.
    ///
    /// ```
    /// use dsg_core::policy::PolicyDate;
    /// assert_eq!("2026-02-15".parse::<PolicyDate>().unwrap().day(), Some(15));
    /// ```
    pub fn day(self) -> Option<u8> {
        self.day
    }

    /// The financial year (April to March) the date falls in; a date given only as a year has
    /// none.
    ///
    /// ```
    /// use dsg_core::policy::PolicyDate;
    /// let d: PolicyDate = "2026-02".parse().unwrap();
    /// assert_eq!(d.financial_year().unwrap().to_string(), "2025-26");
    /// ```
    pub fn financial_year(self) -> Option<FinancialYear> {
        let month = self.month?;
        FinancialYear::new(if month >= 4 { self.year } else { self.year - 1 })
    }
}

impl fmt::Display for PolicyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// Why a string is not a [`PolicyDate`].
///
/// ```
/// use dsg_core::policy::PolicyDate;
/// let err = "Feb 2026".parse::<PolicyDate>().unwrap_err();
/// assert!(err.to_string().contains("2026-02"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date: write `2026`, `2026-02` or `2026-02-15`")]
pub struct PolicyDateError {
    /// The text that failed to parse.
    pub text: String,
}

impl FromStr for PolicyDate {
    type Err = PolicyDateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || PolicyDateError {
            text: text.to_string(),
        };
        let mut parts = text.trim().split('-');
        let year = parts.next().ok_or_else(err)?;
        if year.len() != 4 {
            return Err(err());
        }
        let year: u16 = year.parse().map_err(|_| err())?;
        if !(1900..=2999).contains(&year) {
            return Err(err());
        }
        let mut two = |max: u8| -> Result<Option<u8>, PolicyDateError> {
            match parts.next() {
                None => Ok(None),
                Some(p) if p.len() == 2 => match p.parse::<u8>() {
                    Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
                    _ => Err(err()),
                },
                Some(_) => Err(err()),
            }
        };
        let month = two(12)?;
        let day = two(31)?;
        if parts.next().is_some() {
            return Err(err());
        }
        Ok(PolicyDate { year, month, day })
    }
}

impl Serialize for PolicyDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PolicyDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
