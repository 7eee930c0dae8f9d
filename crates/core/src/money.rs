//! Showing money the way a finance officer reads it: £m with one decimal, thousands separated.

/// Formats pounds as `£12.3m` (or `-£4.5m`); amounts under £100k as `£56k`.
///
/// ```
/// use dsg_core::money::format_pounds;
/// assert_eq!(format_pounds(-40_000_000.0), "-£40.0m");
/// assert_eq!(format_pounds(1_234_567_890.0), "£1,234.6m");
/// assert_eq!(format_pounds(56_400.0), "£56k");
/// assert_eq!(format_pounds(0.0), "£0.0m");
/// ```
pub fn format_pounds(pounds: f64) -> String {
    let abs = pounds.abs();
    let body = if abs > 0.0 && abs < 100_000.0 {
        format!("£{}k", group_thousands(&format!("{:.0}", abs / 1e3)))
    } else {
        format!("£{}m", group_thousands(&format!("{:.1}", abs / 1e6)))
    };
    // "-£0.0m" would read as a deficit that does not exist.
    let shows_zero = !body.chars().any(|c| c.is_ascii_digit() && c != '0');
    if pounds < 0.0 && !shows_zero {
        format!("-{body}")
    } else {
        body
    }
}

/// Formats pounds as millions with one decimal and thousands separators, no symbol: `-1,234.5`.
///
/// ```
/// use dsg_core::money::format_millions;
/// assert_eq!(format_millions(-1_234_500_000.0), "-1,234.5");
/// assert_eq!(format_millions(-10_000.0), "0.0");
/// ```
pub fn format_millions(pounds: f64) -> String {
    let text = format!("{:.1}", pounds / 1e6);
    if text == "-0.0" {
        return "0.0".to_string();
    }
    match text.strip_prefix('-') {
        Some(rest) => format!("-{}", group_thousands(rest)),
        None => group_thousands(&text),
    }
}

/// Inserts commas every three digits in the integer part of an unsigned decimal string.
///
/// ```
/// use dsg_core::money::group_thousands;
/// assert_eq!(group_thousands("1234567.8"), "1,234,567.8");
/// assert_eq!(group_thousands("999"), "999");
/// ```
pub fn group_thousands(digits: &str) -> String {
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut out = String::with_capacity(digits.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}
