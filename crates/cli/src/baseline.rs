//! `dsg baseline`: a scenario's opening caseloads, unit costs and flow rates from a plan-level
//! case list, with a data-quality report; and `dsg synth-cases`: a synthetic case list with
//! planted errors to try it on.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use dsg_data::cases::generate::{Spec, Synthetic};
use dsg_data::cases::{Baseline, CaseList, Check, Date, Mapping, Provenance, dfe_tables, report};

use crate::error::bad_input;
use crate::load::sha256_of;
use crate::output::atomic::{Staging, announce};
use crate::{BaselineArgs, SynthArgs};

/// Census years in the DfE tables.
const DFE_YEARS: usize = 6;

/// Runs `dsg baseline`.
pub fn baseline(args: &BaselineArgs) -> anyhow::Result<ExitCode> {
    let as_at = Date::parse(&args.as_at).ok_or_else(|| {
        bad_input(format!(
            "--as-at {}: not a date (give YYYY-MM-DD, e.g. 2026-03-31)",
            args.as_at
        ))
    })?;
    let mut protect = vec![args.cases.clone()];
    protect.extend(args.mapping.clone());
    let staging = match &args.out {
        Some(dir) => Some(Staging::prepare(dir, &protect)?),
        None => None,
    };
    let sha = sha256_of(&args.cases)?;
    let list = CaseList::read(&args.cases).map_err(|e| bad_input(e.to_string()))?;
    let (map, mapping) = match &args.mapping {
        Some(m) => (
            Mapping::read(m).map_err(|e| bad_input(e.to_string()))?,
            Some((m.display().to_string(), sha256_of(m)?)),
        ),
        None => (Mapping::identity(&list.settings), None),
    };
    let b = Baseline::build(&list, &map, as_at, args.years);
    let from = Provenance {
        file: args.cases.display().to_string(),
        sha256: sha,
        mapping,
    };
    let mut text = summary(&b, &list);
    if let Some(staging) = staging {
        let dir = staging.path();
        let mut files: Vec<&str> = Vec::new();
        let mut put = |name: &'static str, body: &str| -> anyhow::Result<()> {
            std::fs::write(dir.join(name), body).with_context(|| format!("cannot write {name}"))?;
            files.push(name);
            Ok(())
        };
        put("baseline.toml", &b.fragment(&from))?;
        put("quality.html", &report::quality_html(&b, &list, &from))?;
        put("quality.csv", &report::quality_csv(&b, &list))?;
        put("quality-rows.csv", &report::findings_csv(&b, &list))?;
        let rows = dfe_tables::tables(&list, &b.quality, &map, as_at, DFE_YEARS);
        put("dfe-tables.csv", &dfe_tables::to_csv(&rows))?;
        write_dfe_xlsx(&rows, &dir.join("dfe-tables.xlsx"))?;
        files.push("dfe-tables.xlsx");
        files.push("manifest.json");
        let manifest = serde_json::json!({
            "format": "dsg-baseline/1",
            "generator": format!("dsg {}", env!("CARGO_PKG_VERSION")),
            "cases": { "file": from.file, "sha256": from.sha256 },
            "mapping": from.mapping.as_ref().map(|(f, s)| serde_json::json!({"file": f, "sha256": s})),
            "as_at": as_at.to_string(),
            "files": files,
        });
        crate::output::write_json(&dir.join("manifest.json"), &manifest)?;
        let outcome = staging.commit()?;
        if let Some(out) = &args.out {
            announce(out, outcome, &files.join(", "), args.quiet);
        }
        if args.quiet {
            text.clear();
        }
    } else {
        text.push_str("\nThe scenario fragment (save it with --out DIR):\n\n");
        text.push_str(&b.fragment(&from));
    }
    crate::print(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// A short summary for the terminal.
fn summary(b: &Baseline, list: &CaseList) -> String {
    use std::fmt::Write as _;
    let (read, bad, counted) = b.rows;
    let mut s = format!(
        "{}: {read} rows read, {bad} left out as unreadable; {counted} plans open on {}.\n\n",
        list.source, b.as_at
    );
    let _ = writeln!(
        s,
        "{:<28} {:>8} {:>12} {:>12}",
        "Provision", "Plans", "Mean cost", "Median"
    );
    for p in &b.provisions {
        let _ = writeln!(
            s,
            "{:<28} {:>8} {:>12.0} {:>12.0}",
            // A code from the file with a new line in it would break the table.
            dsg_data::escape::toml_comment(&p.name),
            p.caseload,
            p.mean,
            p.median
        );
    }
    let _ = writeln!(
        s,
        "\n{:<40} {:>6} {:>9} {:>14}",
        "Data-quality check", "Rows", "Children", "Pounds a year"
    );
    for c in Check::ALL {
        let found: Vec<_> = b.quality.of(c).collect();
        let children: u32 = found.iter().map(|f| f.children).sum();
        // From +0: an empty f64 sum is -0, which would show as "-0" pounds.
        let pounds: f64 = found.iter().map(|f| f.pounds).fold(0.0, |a, x| a + x);
        let _ = writeln!(
            s,
            "{:<40} {:>6} {:>9} {:>14.0}",
            c.title(),
            found.len(),
            children,
            pounds
        );
    }
    for p in list.problems.iter().take(5) {
        let _ = writeln!(
            s,
            "left out: {}:{}:{}: {}",
            list.source, p.row, p.column, p.message
        );
    }
    if list.problems.len() > 5 {
        let _ = writeln!(
            s,
            "... and {} more values that could not be read",
            list.problems.len() - 5
        );
    }
    if !list.unknown_columns.is_empty() {
        let _ = writeln!(s, "columns ignored: {}", list.unknown_columns.join(", "));
    }
    s
}

/// The DfE tables as a workbook: `By age` and `By need` in the long layout with lookup keys.
fn write_dfe_xlsx(rows: &[dfe_tables::DfeRow], path: &Path) -> anyhow::Result<()> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (table, sheet) in [("age", "By age"), ("need", "By need")] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet)?;
        let head = [
            "lookup_key",
            "census_year",
            "placement_category",
            if table == "age" {
                "age_group"
            } else {
                "primary_need"
            },
            "plans",
        ];
        for (c, h) in head.iter().enumerate() {
            ws.write_string(0, c as u16, *h)?;
        }
        for (i, r) in rows.iter().filter(|r| r.table == table).enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, r.key())?;
            ws.write_number(row, 1, f64::from(r.census_year))?;
            ws.write_string(row, 2, &r.category)?;
            ws.write_string(row, 3, &r.group)?;
            ws.write_number(row, 4, r.plans as f64)?;
        }
    }
    wb.save(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Runs `dsg synth-cases`.
pub fn synth(args: &SynthArgs) -> anyhow::Result<ExitCode> {
    let as_at = Date::parse(&args.as_at).ok_or_else(|| {
        bad_input(format!(
            "--as-at {}: not a date (give YYYY-MM-DD)",
            args.as_at
        ))
    })?;
    if args.rows == 0 || args.rows > 20_000_000 {
        return Err(bad_input("--rows: give a number from 1 to 20,000,000"));
    }
    let s = Synthetic::generate(&Spec {
        rows: args.rows,
        seed: args.seed,
        errors: args.errors,
        as_at,
        years: 6,
    });
    write_atomic(&args.output, |w| s.write_csv(w))?;
    if let Some(map) = &args.map {
        write_atomic(map, |w| w.write_all(s.mapping_csv().as_bytes()))?;
    }
    if let Some(truth) = &args.truth {
        let mut text = String::from("kind,row\n");
        for (k, r) in &s.planted {
            text.push_str(&format!("{k},{r}\n"));
        }
        write_atomic(truth, |w| w.write_all(text.as_bytes()))?;
    }
    eprintln!(
        "Wrote {} synthetic rows to {} ({} planted errors, seed {}).",
        s.rows(),
        args.output.display(),
        s.planted.len(),
        args.seed
    );
    Ok(ExitCode::SUCCESS)
}

use std::io::Write as _;

/// Writes a file through a temporary file beside it, renamed into place when complete.
fn write_atomic(
    path: &PathBuf,
    body: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(bad_input(format!(
            "{}: the folder {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    body(tmp.as_file_mut()).with_context(|| format!("cannot write {}", path.display()))?;
    // A temporary file is private (0600); the list is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
