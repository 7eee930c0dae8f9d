//! Reading OpenDocument spreadsheet XML cell by cell (a case list's ODS, the ESFA allocation
//! files): the helpers both readers share.

use quick_xml::XmlVersion;
use quick_xml::events::BytesStart;

/// An element's or attribute's local name, as bytes.
pub(crate) fn local<N: AsRef<str> + ?Sized>(name: &N) -> &[u8] {
    name.as_ref().as_bytes()
}

/// The character an entity reference (`amp`, `#163`, `#xA3`) stands for.
pub(crate) fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let code = name.strip_prefix('#')?;
            let n = match code.strip_prefix('x').or_else(|| code.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => code.parse().ok()?,
            };
            char::from_u32(n)
        }
    }
}

/// The value of attribute `name` (by local name).
pub(crate) fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| local(&a.key.local_name()) == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Explicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// A `number-…-repeated` count: at least 1.
pub(crate) fn repeat(e: &BytesStart<'_>, name: &[u8]) -> u32 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}
