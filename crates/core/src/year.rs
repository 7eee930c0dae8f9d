//! English financial years (April to March), written `2025-26`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A financial year, April to March, identified by the calendar year in which it starts.
///
/// ```
/// use dsg_core::FinancialYear;
/// let y: FinancialYear = "2025-26".parse().unwrap();
/// assert_eq!(y.start_year(), 2025);
/// assert_eq!((y + 2).to_string(), "2027-28");
/// assert_eq!(y.offset_to(y + 3), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(u16);

/// Why a string is not a financial year.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{text}` is not a financial year: write it as `2025-26` (the April start year, a dash, the next year's last two digits)"
)]
pub struct FinancialYearError {
    /// The text that failed to parse.
    pub text: String,
}

impl FinancialYear {
    /// The year starting in April of `start_year` (1900 to 2999).
    ///
    /// ```
    /// use dsg_core::FinancialYear;
    /// assert_eq!(FinancialYear::new(2027).unwrap().to_string(), "2027-28");
    /// assert!(FinancialYear::new(1066).is_none());
    /// ```
    pub fn new(start_year: u16) -> Option<Self> {
        (1900..=2999)
            .contains(&start_year)
            .then_some(Self(start_year))
    }

    /// The calendar year in which this financial year starts (April).
    pub fn start_year(self) -> u16 {
        self.0
    }

    /// The calendar year in which this financial year ends (31 March).
    ///
    /// ```
    /// use dsg_core::FinancialYear;
    /// assert_eq!("2027-28".parse::<FinancialYear>().unwrap().end_year(), 2028);
    /// ```
    pub fn end_year(self) -> u16 {
        self.0 + 1
    }

    /// Whole years from `self` to `later` (negative when `later` is earlier).
    pub fn offset_to(self, later: FinancialYear) -> i32 {
        i32::from(later.0) - i32::from(self.0)
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.0, (self.0 + 1) % 100)
    }
}

impl FromStr for FinancialYear {
    type Err = FinancialYearError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || FinancialYearError {
            text: text.to_string(),
        };
        let (start, end) = text.trim().split_once('-').ok_or_else(err)?;
        if start.len() != 4 || end.len() != 2 {
            return Err(err());
        }
        let start: u16 = start.parse().map_err(|_| err())?;
        let end: u16 = end.parse().map_err(|_| err())?;
        if (start + 1) % 100 != end {
            return Err(err());
        }
        FinancialYear::new(start).ok_or_else(err)
    }
}

impl std::ops::Add<u16> for FinancialYear {
    type Output = FinancialYear;
    fn add(self, years: u16) -> FinancialYear {
        FinancialYear(self.0 + years)
    }
}

impl Serialize for FinancialYear {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FinancialYear {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        let y: FinancialYear = "2025-26".parse().unwrap();
        assert_eq!(y.start_year(), 2025);
        assert_eq!(y.to_string(), "2025-26");
        assert_eq!(
            "1999-00".parse::<FinancialYear>().unwrap().to_string(),
            "1999-00"
        );
    }

    #[test]
    fn rejects_malformed_years() {
        for bad in [
            "2025",
            "2025-27",
            "25-26",
            "2025/26",
            "2025-2026",
            "abcd-ef",
            "",
        ] {
            assert!(bad.parse::<FinancialYear>().is_err(), "{bad}");
        }
    }

    #[test]
    fn orders_and_adds() {
        let a: FinancialYear = "2025-26".parse().unwrap();
        let b = a + 3;
        assert!(a < b);
        assert_eq!(b.to_string(), "2028-29");
        assert_eq!(a.offset_to(b), 3);
        assert_eq!(b.offset_to(a), -3);
    }

    #[test]
    fn serde_round_trip() {
        let y: FinancialYear = "2030-31".parse().unwrap();
        let json = serde_json::to_string(&y).unwrap();
        assert_eq!(json, "\"2030-31\"");
        assert_eq!(serde_json::from_str::<FinancialYear>(&json).unwrap(), y);
    }
}
