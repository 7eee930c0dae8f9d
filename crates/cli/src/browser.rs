//! Temporary stand-in until the browser module lands.
use std::path::Path;
pub fn print_to_pdf(_html: &Path, _pdf: &Path) -> anyhow::Result<()> {
    anyhow::bail!("PDF not yet available")
}
