//! Showing money the way a finance officer reads it (£m with one decimal, thousands separated),
//! reading amounts the way one types them, and showing chances as whole percentages.

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

/// Reads an amount of pounds the way a finance officer types it: an optional minus sign, an
/// optional `£` (before or after the sign), digits with `,` or `_` between them, an optional
/// decimal part, and an optional scale `k` (thousands), `m` (millions) or `bn` (billions), in
/// either case. Anything else (two signs, exponents, `nan`, `inf`, an amount too large for a
/// number) is `None`.
///
/// ```
/// use dsg_core::money::parse_amount;
/// assert_eq!(parse_amount("£1.5bn"), Some(1.5e9));
/// assert_eq!(parse_amount("-£50m"), Some(-50e6));
/// assert_eq!(parse_amount("250k"), Some(250e3));
/// assert_eq!(parse_amount("1,000,000"), Some(1e6));
/// assert_eq!(parse_amount("--50m"), None);
/// ```
pub fn parse_amount(text: &str) -> Option<f64> {
    let t = text.trim();
    let (negative, t) = t.strip_prefix('-').map_or((false, t), |rest| (true, rest));
    let t = t.strip_prefix('£').unwrap_or(t);
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) if !negative => (true, rest),
        _ => (negative, t),
    };
    let lower = t.to_ascii_lowercase();
    let (number, scale) = if let Some(d) = lower.strip_suffix("bn") {
        (d, 1e9)
    } else if let Some(d) = lower.strip_suffix('m') {
        (d, 1e6)
    } else if let Some(d) = lower.strip_suffix('k') {
        (d, 1e3)
    } else {
        (lower.as_str(), 1.0)
    };
    let digits: String = number.chars().filter(|c| *c != ',' && *c != '_').collect();
    let well_formed = number.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1;
    if !well_formed {
        return None;
    }
    let value = digits.parse::<f64>().ok()? * scale;
    value
        .is_finite()
        .then_some(if negative { -value } else { value })
}

/// A probability as a whole percentage, never rounding a possibility away or a doubt into
/// certainty: `0%`, `under 1%`, `37%`, `over 99%`, `100%`.
///
/// ```
/// use dsg_core::money::format_percent;
/// assert_eq!(format_percent(0.372), "37%");
/// assert_eq!(format_percent(0.004), "under 1%");
/// assert_eq!(format_percent(0.999), "over 99%");
/// assert_eq!(format_percent(1.0), "100%");
/// ```
pub fn format_percent(p: f64) -> String {
    if p <= 0.0 {
        return "0%".to_string();
    }
    if p >= 1.0 {
        return "100%".to_string();
    }
    match format!("{:.0}", p * 100.0).as_str() {
        "0" => "under 1%".to_string(),
        "100" => "over 99%".to_string(),
        whole => format!("{whole}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_typed() {
        assert_eq!(parse_amount("£1.5bn"), Some(1_500_000_000.0));
        assert_eq!(parse_amount("£1.5BN"), Some(1_500_000_000.0));
        assert_eq!(parse_amount("-50m"), Some(-50_000_000.0));
        assert_eq!(parse_amount("-£50m"), Some(-50_000_000.0));
        assert_eq!(parse_amount("£-50M"), Some(-50_000_000.0));
        assert_eq!(parse_amount("250k"), Some(250_000.0));
        assert_eq!(parse_amount(" 1,000,000 "), Some(1_000_000.0));
        assert_eq!(parse_amount("10_000"), Some(10_000.0));
        assert_eq!(parse_amount("0.5m"), Some(500_000.0));
        assert_eq!(parse_amount(".5k"), Some(500.0));
    }

    #[test]
    fn malformed_amounts_are_refused() {
        for bad in [
            "--50m", "-£-50m", "£", "", "-", "m", "£k", "1e400", "1e6", "nan", "inf", "-inf", "+5",
            "1.2.3", "5 m", ",5", "50mk", "5bnm",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad:?}");
        }
        // Too large for a number: 10^400 pounds.
        assert_eq!(parse_amount(&format!("1{}", "0".repeat(400))), None);
        assert_eq!(parse_amount(&format!("1{}bn", "0".repeat(300))), None);
    }

    #[test]
    fn chances_never_round_to_impossible_or_certain() {
        assert_eq!(format_percent(0.0), "0%");
        assert_eq!(format_percent(-0.1), "0%");
        assert_eq!(format_percent(0.001), "under 1%");
        // 0.5% would round (to even) to 0%.
        assert_eq!(format_percent(0.005), "under 1%");
        assert_eq!(format_percent(0.006), "1%");
        assert_eq!(format_percent(0.28), "28%");
        assert_eq!(format_percent(0.994), "99%");
        assert_eq!(format_percent(0.996), "over 99%");
        assert_eq!(format_percent(1.0), "100%");
    }
}
