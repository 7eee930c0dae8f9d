//! `dsg options`: the scenario's options and doing nothing, side by side on the same futures.

use std::process::ExitCode;

use anyhow::Context;
use dsg_analysis::options::{OptionsResult, compare_options};
use dsg_core::money::format_millions;
use dsg_montecarlo::Settings;

use crate::OptionsArgs;
use crate::error::bad_input;
use crate::headline::percent;
use crate::load::load_under;
use crate::output::atomic::announce;
use crate::table::render;

/// The comparison table, £m.
pub fn table(r: &OptionsResult) -> String {
    let by = r
        .override_ends
        .and_then(|o| {
            r.options
                .first()?
                .in_year_balance_by
                .iter()
                .position(|(y, _)| *y > o)
        })
        .unwrap_or(0);
    let by_year = r
        .options
        .first()
        .and_then(|o| o.in_year_balance_by.get(by))
        .map(|(y, _)| *y);
    let at_override = r
        .override_ends
        .map(|y| format!("31 Mar {}", y.end_year()))
        .unwrap_or_default();
    let at_horizon = format!("31 Mar {}", r.horizon.end_year());
    let mut headers: Vec<String> = vec!["Option".into(), "Cost\n£m".into()];
    if r.override_ends.is_some() {
        headers.push(format!("Deficit {at_override}\nmedian"));
        headers.push("\nP80".into());
    }
    headers.push(format!("Deficit {at_horizon}\nmedian"));
    headers.push("\nP80".into());
    if let Some(y) = by_year {
        headers.push(format!("Chance of in-year\nbalance by {y}"));
    }
    let reserves = r.options.iter().any(|o| o.exceeds_reserves.is_some());
    if reserves {
        headers.push(format!("Chance deficit exceeds\nreserves {at_override}"));
    }
    headers.push("Deficit avoided\nper £1 spent".into());
    let children = r.options.iter().any(|o| o.children_waiting.is_some());
    let children_year = r.override_ends.unwrap_or(r.horizon);
    if children {
        headers.push(format!(
            "Children waiting\n31 Mar {}",
            children_year.end_year()
        ));
        headers.push(format!("Plans within\n20 weeks {children_year}"));
    }
    let rows: Vec<Vec<String>> = r
        .options
        .iter()
        .map(|o| {
            let mut row = vec![o.name.clone(), format_millions(o.cost)];
            if let Some((m, p80)) = o.deficit_at_override {
                row.push(format_millions(m));
                row.push(format_millions(p80));
            }
            row.push(format_millions(o.deficit_at_horizon.0));
            row.push(format_millions(o.deficit_at_horizon.1));
            if by_year.is_some() {
                row.push(
                    o.in_year_balance_by
                        .get(by)
                        .map_or_else(|| "-".into(), |(_, p)| percent(*p)),
                );
            }
            if reserves {
                row.push(o.exceeds_reserves.map_or_else(|| "-".into(), percent));
            }
            row.push(
                o.avoided_per_pound
                    .map_or_else(|| "-".into(), |x| format!("£{x:.2}")),
            );
            if children {
                row.push(o.children_waiting.map_or_else(
                    || "-".into(),
                    |x| dsg_core::money::group_thousands(&format!("{x:.0}")),
                ));
                row.push(o.within_20_weeks.map_or_else(|| "-".into(), percent));
            }
            row
        })
        .collect();
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut out = format!(
        "Options compared on the same {} simulated futures (seed {}); deficits positive, £m.\n\n",
        dsg_core::money::group_thousands(&r.paths.to_string()),
        r.seed
    );
    out.push_str(&render(&header_refs, &rows));
    out.push_str(
        "\nCost: mean cost over the forecast of the mitigations (DSG and general fund) and contributions; savings are not\n\
         costed. P80: a 1 in 5 chance of a larger deficit. Deficit avoided per £1 spent: the mean deficit at the end of the\n\
         forecast, against no action, per pound of cost.\n",
    );
    for o in r.options.iter().filter(|o| !o.description.is_empty()) {
        out.push_str(&format!("  {}: {}\n", o.name, o.description));
    }
    out
}

/// Runs `dsg options`.
pub fn options(args: &OptionsArgs) -> anyhow::Result<ExitCode> {
    let loaded = load_under(&args.scenario, args.sim.policy.as_deref())?;
    crate::load::print_warnings(&loaded);
    if loaded.scenario.options().is_empty() {
        return Err(bad_input(format!(
            "{}: the scenario has no [[options]] to compare (docs/scenario-reference.md explains them)",
            args.scenario.display()
        )));
    }
    let (staging, threads) = args.sim.prepare(&args.scenario)?;
    let started = std::time::Instant::now();
    let settings = Settings {
        paths: args.sim.paths,
        seed: args.sim.seed,
        threads,
        precision: None,
    };
    let result =
        compare_options(&loaded.scenario, &settings).map_err(|e| bad_input(e.to_string()))?;
    let seconds = started.elapsed().as_secs_f64();
    if let Some(staging) = staging {
        let path = staging.path().join("options.json");
        crate::output::write_json(&path, &result).context("cannot write options.json")?;
        crate::output::xlsx::options(&result, &staging.path().join("options.xlsx"))
            .context("cannot write options.xlsx")?;
        let who = crate::labels::who(&loaded.scenario);
        dsg_plot::write_options(
            &result,
            &who,
            &staging.path().join(crate::output::charts::FOLDER),
        )
        .context("cannot draw the options chart")?;
        let outcome = staging.commit()?;
        if let Some(dir) = &args.sim.out {
            announce(
                dir,
                outcome,
                "options.json, options.xlsx and charts/options.png, .svg",
                args.sim.quiet,
            );
        }
    }
    crate::print(&table(&result))?;
    if !args.sim.quiet {
        eprintln!(
            "Compared {} options over {} paths in {seconds:.2} s.",
            result.options.len(),
            result.paths
        );
    }
    Ok(ExitCode::SUCCESS)
}
