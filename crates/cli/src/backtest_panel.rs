//! `dsg backtest --panel`: the pooled growth model's track record over every council's published
//! count of EHC plans (docs/forecast-evaluation.md): rolling origins, horizons 1..H, scores pooled,
//! by horizon, by origin and per council, England's series, a reliability diagram and the PIT
//! histogram.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dsg_data::growth::{AreaLevels, Evaluation, PooledSettings, Scores, evaluate, evaluate_total};
use dsg_data::public::{AGE_BAND_NAMES, AGE_BANDS, AgeEvaluation, Panel, evaluate_by_age};

use crate::backtest::BacktestArgs;
use crate::error::bad_input;
use crate::output::atomic::{Staging, announce};

/// England's area code in the panel.
const ENGLAND: &str = "E92000001";

/// The series the panel backtest forecasts.
const SERIES: &str = "caseload";

/// Reads `--origins FROM-TO` (or a single year).
fn origins(text: &str) -> anyhow::Result<Vec<i32>> {
    let bad = || {
        bad_input(format!(
            "--origins {text}: give two years as FROM-TO (2014-2022) or one year"
        ))
    };
    let (from, to) = match text.split_once('-') {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (text.trim(), text.trim()),
    };
    let from: i32 = from.parse().map_err(|_| bad())?;
    let to: i32 = to.parse().map_err(|_| bad())?;
    if !(2000..=2100).contains(&from) || to < from || to > 2100 {
        return Err(bad());
    }
    Ok((from..=to).collect())
}

/// The panel the backtest reads: `--panel-file`, or the one built into the program.
fn load_panel(file: Option<&Path>) -> anyhow::Result<(Cow<'static, Panel>, String)> {
    match file {
        None => Ok((
            Cow::Borrowed(Panel::shipped()?),
            "the built-in panel".to_string(),
        )),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| bad_input(format!("{}: cannot read: {e}", path.display())))?;
            let panel = Panel::read_csv(&text, &path.display().to_string())
                .map_err(|e| bad_input(e.to_string()))?;
            Ok((Cow::Owned(panel), path.display().to_string()))
        }
    }
}

/// One line of scores.
fn line(label: &str, s: &Scores) -> String {
    let pct = |x: f64| format!("{:.1}%", 100.0 * x);
    format!(
        "{label:<12} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>6.3} {:>7.4} {:>+6.2} {:>+6.2}\n",
        s.forecasts,
        pct(s.coverage_50),
        pct(s.coverage_80),
        pct(s.coverage_90),
        pct(s.below_p5),
        pct(s.below_p10),
        pct(s.above_p90),
        pct(s.above_p95),
        s.mean_pit,
        s.crps,
        s.skill_last_growth(),
        s.skill_mean_growth()
    )
}

const HEADER: &str = "             forecasts  in 50%  in 80%  in 90%    <P5    <P10    >P90    >P95  m.PIT    CRPS  skill: last  mean\n";

/// What the terminal shows.
fn report(e: &Evaluation, england: Option<&Evaluation>, what: &str) -> String {
    let mut out = format!(
        "Track record of the pooled growth model on {what}\n(CRPS of the log level: about the relative error; skill against the last and the mean growth carried forward)\n\n{HEADER}"
    );
    out.push_str(&line("all", &e.pooled));
    for (h, s) in &e.by_horizon {
        let label = if *h == 1 {
            "1 year".to_string()
        } else {
            format!("{h} years")
        };
        out.push_str(&line(&label, s));
    }
    for (o, s) in &e.by_origin {
        out.push_str(&line(&format!("from {o}"), s));
    }
    if let Some(england) = england {
        out.push_str(&line("England", &england.pooled));
    }
    let hist: Vec<String> = e
        .pooled
        .pit_histogram
        .iter()
        .map(|x| format!("{:.1}%", 100.0 * x))
        .collect();
    let _ = writeln!(
        out,
        "\nPIT histogram (tenths; 10.0% each when calibrated): {}",
        hist.join(" ")
    );
    out
}

/// Scores per area, from every scored forecast.
fn by_area(e: &Evaluation) -> Vec<(String, Scores)> {
    let mut groups: std::collections::BTreeMap<&str, Vec<dsg_data::growth::Scored>> =
        Default::default();
    for (area, s) in &e.forecasts {
        groups.entry(area.as_str()).or_default().push(*s);
    }
    groups
        .into_iter()
        .map(|(a, v)| (a.to_string(), dsg_data::growth::score(&v)))
        .collect()
}

/// The CSV rows of an evaluation's scores: pooled, by horizon, by origin.
fn evaluation_rows(e: &Evaluation) -> Vec<Vec<String>> {
    let mut rows = vec![score_row("all", "", &e.pooled)];
    rows.extend(
        e.by_horizon
            .iter()
            .map(|(h, s)| score_row("horizon", &h.to_string(), s)),
    );
    rows.extend(
        e.by_origin
            .iter()
            .map(|(o, s)| score_row("origin", &o.to_string(), s)),
    );
    rows
}

/// A CSV row of scores.
fn score_row(group: &str, key: &str, s: &Scores) -> Vec<String> {
    let mut row = vec![group.to_string(), key.to_string(), s.forecasts.to_string()];
    row.extend(
        [
            s.coverage_50,
            s.coverage_80,
            s.coverage_90,
            s.below_p5,
            s.below_p10,
            s.above_p90,
            s.above_p95,
            s.mean_pit,
            s.crps,
            s.crps_last_growth,
            s.crps_mean_growth,
            s.skill_last_growth(),
            s.skill_mean_growth(),
        ]
        .iter()
        .chain(s.pit_histogram.iter())
        .map(|x| format!("{x:.6}")),
    );
    row
}

/// The columns of a row of scores ([`score_row`]).
fn score_header() -> Vec<String> {
    let mut header: Vec<String> = [
        "group",
        "key",
        "forecasts",
        "coverage_50",
        "coverage_80",
        "coverage_90",
        "below_p5",
        "below_p10",
        "above_p90",
        "above_p95",
        "mean_pit",
        "crps_log",
        "crps_last_growth",
        "crps_mean_growth",
        "skill_last_growth",
        "skill_mean_growth",
    ]
    .map(String::from)
    .to_vec();
    header.extend((0..10).map(|i| format!("pit_{:02}_{:02}", i * 10, i * 10 + 10)));
    header
}

/// Writes `panel-scores.csv`: pooled, by horizon, by origin, England and per area.
fn write_scores(
    path: &Path,
    e: &Evaluation,
    england: Option<&Evaluation>,
    panel: &Panel,
) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    let mut header = score_header();
    header.push("name".into());
    w.write_record(&header)?;
    let mut rows = evaluation_rows(e);
    if let Some(england) = england {
        rows.push(score_row("england", ENGLAND, &england.pooled));
    }
    rows.extend(by_area(e).iter().map(|(a, s)| score_row("area", a, s)));
    let names: std::collections::BTreeMap<&str, &str> = panel
        .areas()
        .into_iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    for mut row in rows {
        let name = names.get(row[1].as_str()).copied().unwrap_or("");
        row.push(name.to_string());
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes `panel-backtest.csv`: every forecast scored.
fn write_forecasts(path: &Path, e: &Evaluation) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record([
        "area",
        "origin",
        "horizon",
        "pit",
        "crps_log",
        "error_last_growth",
        "error_mean_growth",
    ])?;
    for (area, s) in &e.forecasts {
        w.write_record(forecast_fields(area, s))?;
    }
    w.flush()?;
    Ok(())
}

/// Runs `dsg backtest --panel`.
pub fn run(args: &BacktestArgs) -> anyhow::Result<ExitCode> {
    let horizons = args.horizons.unwrap_or(3);
    if horizons == 0 || horizons > 10 {
        return Err(bad_input("--horizons must be from 1 to 10"));
    }
    let origins = origins(args.origins.as_deref().unwrap_or("2014-2022"))?;
    let (panel, from) = load_panel(args.panel_file.as_deref())?;
    let all: Vec<AreaLevels> = panel.levels(SERIES);
    for code in &args.area {
        if !all.iter().any(|a| &a.area == code) {
            return Err(bad_input(format!(
                "--area {code}: {from} has no council with that code and a count of plans"
            )));
        }
    }
    let settings = PooledSettings::default();
    // The model is always fitted on every council; --area only chooses whose forecasts count.
    let span = format!("{}-{}", origins[0], origins[origins.len() - 1]);
    let too_little = |e: dsg_data::DataError| {
        bad_input(format!(
            "--origins {span}: {from} cannot be fitted at every origin ({e}); the model uses growth from {}",
            settings.first_year
        ))
    };
    if args.by_age {
        let e = evaluate_by_age(&panel, &origins, horizons as u32, settings).map_err(too_little)?;
        return run_by_age(args, e, &from, &origins, horizons);
    }
    let mut e = evaluate(&all, &origins, horizons as u32, settings).map_err(too_little)?;
    if !args.area.is_empty() {
        e.forecasts.retain(|(a, _)| args.area.contains(a));
        e = Evaluation::from_forecasts(e.forecasts);
    }
    if e.pooled.forecasts == 0 {
        return Err(bad_input(format!(
            "no forecast could be scored from origins {span} with outcomes in {from}"
        )));
    }
    let england_levels: Vec<(i32, f64)> = panel
        .series(ENGLAND, SERIES)
        .into_iter()
        .filter_map(|(y, v)| v.number().map(|v| (y, v)))
        .collect();
    let england = if args.area.is_empty() && england_levels.len() > 2 {
        let total = AreaLevels {
            area: ENGLAND.to_string(),
            levels: england_levels,
        };
        Some(
            evaluate_total(&total, &all, &origins, horizons as u32, settings)
                .map_err(too_little)?,
        )
    } else {
        None
    };
    let councils = by_area(&e).len();
    let what = format!(
        "{councils} councils' EHC plans ({from}), origins {}-{}, 1-{horizons} years ahead",
        origins[0],
        origins[origins.len() - 1]
    );
    let text = report(&e, england.as_ref(), &what);
    if let Some(dir) = &args.out {
        let mut protect: Vec<PathBuf> = Vec::new();
        protect.extend(args.panel_file.clone());
        let staging = Staging::prepare(dir, &protect)?;
        let mut files = save(staging.path(), &e, england.as_ref(), &panel)?;
        if !args.no_charts {
            let subject = format!("{councils} councils' EHC plans, 1-{horizons} years ahead");
            files.extend(
                dsg_plot::write_track_record(
                    &crate::track_record::chart_data(&e, &subject),
                    staging.path(),
                )
                .map_err(|e| anyhow::anyhow!("cannot draw the track record charts: {e}"))?,
            );
        }
        crate::output::manifest::write_listing(
            staging.path(),
            "backtest --panel",
            serde_json::json!({
                "panel": from,
                "series": SERIES,
                "origins": origins,
                "horizons": horizons,
            }),
            &files,
        )?;
        files.push("manifest.json".into());
        let outcome = staging.commit()?;
        announce(dir, outcome, &files.join(", "), args.quiet);
    }
    if args.quiet {
        let s = &e.pooled;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{} forecasts: {:.1}% in the 80% range, {:.1}% below P10, {:.1}% above P90, mean PIT {:.3}",
            s.forecasts,
            100.0 * s.coverage_80,
            100.0 * s.below_p10,
            100.0 * s.above_p90,
            s.mean_pit
        )?;
    } else {
        crate::print(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the CSV files; returns their names.
fn save(
    dir: &Path,
    e: &Evaluation,
    england: Option<&Evaluation>,
    panel: &Panel,
) -> anyhow::Result<Vec<String>> {
    write_forecasts(&dir.join("panel-backtest.csv"), e)?;
    write_scores(&dir.join("panel-scores.csv"), e, england, panel)?;
    Ok(vec!["panel-backtest.csv".into(), "panel-scores.csv".into()])
}

/// Keeps only the forecasts of `areas` (all when empty).
fn only_areas(e: &Evaluation, areas: &[String]) -> Evaluation {
    if areas.is_empty() {
        return e.clone();
    }
    Evaluation::from_forecasts(
        e.forecasts
            .iter()
            .filter(|(a, _)| areas.contains(a))
            .cloned()
            .collect(),
    )
}

/// What the terminal shows for `--by-age`: each band pooled and by horizon, then with the
/// opening share held, and how far the projected bands' sum strays from the opening count.
fn report_by_age(e: &AgeEvaluation, what: &str) -> String {
    let mut out = format!(
        "Track record of the forecast by age band on {what}\n(a band's share of the plans projected with the ages' arithmetic and the rates `init --la` fits, times the pooled model's forecast of all plans; CRPS of the log level; skill against the band's own last and mean growth carried forward)\n\n{HEADER}"
    );
    for b in &e.bands {
        out.push_str(&line(b.name, &b.evaluation.pooled));
        for (h, s) in &b.evaluation.by_horizon {
            out.push_str(&line(&format!("  {h} ahead"), s));
        }
    }
    out.push_str("\nThe same forecasts with each band's share held at the origin's:\n");
    out.push_str(HEADER);
    for b in &e.bands {
        out.push_str(&line(b.name, &b.held.pooled));
    }
    let empty: Vec<String> = e
        .bands
        .iter()
        .filter(|b| b.projected_empty > 0)
        .map(|b| format!("{} {}", b.name, b.projected_empty))
        .collect();
    if !empty.is_empty() {
        let _ = writeln!(
            out,
            "\nNot scored, the band projected to hold no plans: {}",
            empty.join(", ")
        );
    }
    let drift: Vec<String> = e
        .total_drift
        .iter()
        .map(|(h, (mean, largest))| {
            format!(
                "{h} ahead {:.1}% (largest {:.0}%)",
                100.0 * mean.exp_m1(),
                100.0 * largest.exp_m1()
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "The projected bands' sum against the opening count (mean absolute log change, as a %): {}",
        drift.join(", ")
    );
    out
}

/// Writes `age-scores.csv` (each band's scores pooled, by horizon and by origin, with the
/// projected and with the held shares) and `age-backtest.csv` (every forecast scored).
fn save_by_age(dir: &Path, e: &AgeEvaluation) -> anyhow::Result<Vec<String>> {
    let mut w = csv::Writer::from_path(dir.join("age-scores.csv"))?;
    let mut header = vec!["band".to_string(), "shares".to_string()];
    header.extend(score_header());
    w.write_record(&header)?;
    for b in &e.bands {
        for (shares, ev) in [("projected", &b.evaluation), ("held", &b.held)] {
            for row in evaluation_rows(ev) {
                let mut full = vec![b.name.to_string(), shares.to_string()];
                full.extend(row);
                w.write_record(&full)?;
            }
        }
    }
    w.flush()?;
    let mut w = csv::Writer::from_path(dir.join("age-backtest.csv"))?;
    w.write_record([
        "band",
        "area",
        "origin",
        "horizon",
        "pit",
        "crps_log",
        "error_last_growth",
        "error_mean_growth",
    ])?;
    for b in &e.bands {
        for (area, s) in &b.evaluation.forecasts {
            w.write_record(std::iter::once(b.name.to_string()).chain(forecast_fields(area, s)))?;
        }
    }
    w.flush()?;
    Ok(vec!["age-backtest.csv".into(), "age-scores.csv".into()])
}

/// Runs `dsg backtest --panel --by-age` on the evaluation `e` of every council.
fn run_by_age(
    args: &BacktestArgs,
    mut e: AgeEvaluation,
    from: &str,
    origins: &[i32],
    horizons: usize,
) -> anyhow::Result<ExitCode> {
    for b in &mut e.bands {
        b.evaluation = only_areas(&b.evaluation, &args.area);
        b.held = only_areas(&b.held, &args.area);
    }
    let scored: usize = e.bands.iter().map(|b| b.evaluation.pooled.forecasts).sum();
    let (first, last) = (origins[0], origins[origins.len() - 1]);
    if scored == 0 {
        return Err(bad_input(format!(
            "no forecast by age band could be scored from origins {first}-{last} with outcomes in {from} (no bands are published for January 2023)"
        )));
    }
    let what = format!(
        "the councils' plans by age band ({from}; {} projections of a council from an origin), origins {first}-{last}, 1-{horizons} years ahead",
        e.projected
    );
    if let Some(dir) = &args.out {
        let protect: Vec<PathBuf> = args.panel_file.iter().cloned().collect();
        let staging = Staging::prepare(dir, &protect)?;
        let mut files = save_by_age(staging.path(), &e)?;
        crate::output::manifest::write_listing(
            staging.path(),
            "backtest --panel --by-age",
            serde_json::json!({
                "panel": from,
                "series": AGE_BANDS,
                "bands": AGE_BAND_NAMES,
                "total": SERIES,
                "origins": origins,
                "horizons": horizons,
                "areas": args.area,
                "projected": e.projected,
            }),
            &files,
        )?;
        files.push("manifest.json".into());
        let outcome = staging.commit()?;
        announce(dir, outcome, &files.join(", "), args.quiet);
    }
    if args.quiet {
        let mut out = std::io::stdout().lock();
        for b in &e.bands {
            let s = &b.evaluation.pooled;
            writeln!(
                out,
                "{}: {} forecasts: {:.1}% in the 90% range, {:.1}% below P5, {:.1}% above P95, mean PIT {:.3}",
                b.name,
                s.forecasts,
                100.0 * s.coverage_90,
                100.0 * s.below_p5,
                100.0 * s.above_p95,
                s.mean_pit
            )?;
        }
    } else {
        crate::print(&report_by_age(&e, &what))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One scored forecast's fields in the forecasts' CSV: area, origin, horizon, PIT, CRPS of the
/// log level and the naive forecasts' errors.
fn forecast_fields(area: &str, s: &dsg_data::growth::Scored) -> [String; 7] {
    [
        area.to_string(),
        s.origin.to_string(),
        s.horizon.to_string(),
        format!("{:.6}", s.pit),
        format!("{:.6}", s.crps),
        format!("{:.6}", s.error_last_growth),
        format!("{:.6}", s.error_mean_growth),
    ]
}
