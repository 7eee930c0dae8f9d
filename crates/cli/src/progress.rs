//! Running a simulation with a progress bar on stderr.
//!
//! The bar appears only when stderr is a terminal, `--quiet` was not given and the run has taken
//! more than half a second: short runs print nothing extra. The engine calls the progress closure
//! from its worker threads once per chunk of paths, so the closure only updates atomics and the
//! bar (which redraws at most a few times a second).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use dsg_core::Scenario;
use dsg_montecarlo::{McError, PathTable, Record, Settings, Simulation, Summary};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs taking less than this show no bar.
const SHOW_AFTER: Duration = Duration::from_millis(500);

/// Simulates `scenario`; `label` names it on the bar. Returns the summary and the seconds taken.
pub fn simulate(
    scenario: &Scenario,
    settings: &Settings,
    label: &str,
    quiet: bool,
) -> Result<(Summary, f64), McError> {
    simulate_recording(scenario, settings, None, label, quiet).map(|(s, _, t)| (s, t))
}

/// [`simulate`], also keeping each path's inputs and outcomes as `record` asks.
pub fn simulate_recording(
    scenario: &Scenario,
    settings: &Settings,
    record: Option<&Record>,
    label: &str,
    quiet: bool,
) -> Result<(Summary, PathTable, f64), McError> {
    let started = Instant::now();
    let sim = match record {
        Some(r) => Simulation::new(scenario)?.record(r)?,
        None => Simulation::new(scenario)?,
    };
    let wanted = !quiet && std::io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(Some(settings.paths), ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template(
        "{prefix} [{bar:30}] {human_pos}/{human_len} paths, about {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(label.to_string());
    let shown = AtomicBool::new(false);
    let most = AtomicU64::new(0);
    let progress = |done: u64| {
        // Calls may arrive out of order from different threads: show the largest count seen.
        let before = most.fetch_max(done, Ordering::Relaxed);
        bar.set_position(before.max(done));
        if wanted
            && !shown.load(Ordering::Relaxed)
            && started.elapsed() >= SHOW_AFTER
            && !shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    };
    let result = sim.on_progress(&progress).run_with_paths(settings);
    bar.finish_and_clear();
    result.map(|(summary, paths)| (summary, paths, started.elapsed().as_secs_f64()))
}
