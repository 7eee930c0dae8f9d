//! Small helpers for writing names as a finance officer reads them.

/// `s` with its first letter in capitals.
///
/// ```
/// use dsg_core::text::capitalise;
/// assert_eq!(capitalise("demand growth"), "Demand growth");
/// assert_eq!(capitalise(""), "");
/// ```
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Acronyms written in capitals in a name: `inmss_commissioning` is "INMSS commissioning".
const ACRONYMS: [&str; 8] = ["inmss", "sen", "send", "ehcp", "ap", "dsg", "sv", "fe"];

/// A snake-case name in words, capitalised, with known acronyms in capitals.
///
/// ```
/// use dsg_core::text::words;
/// assert_eq!(words("early_support_in_mainstream"), "Early support in mainstream");
/// assert_eq!(words("inmss_commissioning"), "INMSS commissioning");
/// ```
pub fn words(name: &str) -> String {
    let text: Vec<String> = name
        .split('_')
        .map(|w| {
            if ACRONYMS.contains(&w) {
                w.to_uppercase()
            } else {
                w.to_string()
            }
        })
        .collect();
    capitalise(&text.join(" "))
}
