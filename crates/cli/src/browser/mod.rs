//! The headless browser behind `dsg report --pdf` and the report's browser tests: finding Chromium
//! (or Chrome), printing a page to PDF, taking a screenshot, and listing what goes wrong when a page
//! loads (console errors, uncaught exceptions, failed or external requests).
//!
//! Every call starts the browser as a child process in headless mode with a throw-away profile in a
//! temporary folder, without network (every host name resolves to nothing, so a page that reaches
//! outside fails the same way on every machine instead of fetching anything), and kills it if it
//! has not finished within [`TIMEOUT`]. A browser that hangs is started once more before the call
//! fails: headless Chromium's `--screenshot` has been seen, rarely, never to exit on a page it
//! rendered in a second on the next try.
//!
//! Printing and screenshots use the browser's own command-line switches (`--print-to-pdf`,
//! `--screenshot`). Console errors cannot be read that way: with `--enable-logging=stderr` Chromium
//! logs every console message of a web page at the same level (`INFO:CONSOLE:2] "boom", source:
//! file:///…/page.html (2)`, whether it came from `console.log` or `console.error`) and logs
//! nothing at all for a failed request. [`console_errors`] therefore speaks the DevTools protocol
//! with the browser over a pipe (`--remote-debugging-pipe`: requests on the browser's file
//! descriptor 3, answers on 4, each message JSON ended by a NUL byte) and collects the events that
//! DevTools itself would show in red.

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use serde_json::{Value, json};
use tempfile::TempDir;

/// The environment variable naming the browser to use instead of searching `PATH`: a path, or a
/// program name looked up on `PATH`.
pub const BROWSER_ENV: &str = "DSG_BROWSER";

/// The programs looked for on `PATH` when [`BROWSER_ENV`] is not set, in this order.
pub const CANDIDATES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// How long the browser may take over one page (start, load, print or screenshot, exit) before it
/// is killed.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// How long [`console_errors`] keeps listening after the page's load event, for messages that
/// arrive just after it.
const SETTLE: Duration = Duration::from_millis(300);

/// How many lines of the browser's standard error an error message quotes.
const STDERR_TAIL: usize = 15;

/// How long to wait for the browser's output to end once it has exited (a helper process it
/// started may hold the pipe open a little longer).
const DRAIN: Duration = Duration::from_secs(2);

/// The switches every run uses. `--host-resolver-rules` makes every host name unresolvable, so no
/// request leaves the machine; `--disable-dev-shm-usage` keeps the browser working in containers
/// whose `/dev/shm` is small.
///
/// `--no-pdf-header-footer` is not among them: it is only for printing, and with it Chromium 148
/// loses the page's renderer ("Render process gone.") in two runs out of three when the page is
/// opened over the DevTools pipe.
const BASE_SWITCHES: [&str; 11] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--run-all-compositor-stages-before-draw",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--mute-audio",
];

/// The headless browser to use: the program named by `DSG_BROWSER` if that is set (a path, or a
/// name looked up on `PATH`), otherwise the first of [`CANDIDATES`] found on `PATH`.
///
/// `None` when there is none, or when `DSG_BROWSER` names something that is not an executable
/// file (a wrong `DSG_BROWSER` is not silently replaced by another browser).
pub fn find() -> Option<PathBuf> {
    match std::env::var_os(BROWSER_ENV) {
        Some(value) if !value.is_empty() => resolve(Path::new(&value)),
        _ => CANDIDATES.iter().find_map(|name| on_path(OsStr::new(name))),
    }
}

/// Whether a test that needs a browser must fail rather than be skipped when there is none:
/// when `CI` or `DSG_REQUIRE_BROWSER` is set (to anything but the empty string).
#[cfg(test)]
pub fn skipping_refused() -> bool {
    ["CI", "DSG_REQUIRE_BROWSER"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// [`find`], or an error that says what to install or set.
pub fn require() -> anyhow::Result<PathBuf> {
    if let Some(browser) = find() {
        return Ok(browser);
    }
    match std::env::var_os(BROWSER_ENV) {
        Some(value) if !value.is_empty() => bail!(
            "{BROWSER_ENV} is set to {}, which is not an executable program: point it at \
             Chromium or Google Chrome, or unset it to look for one on PATH",
            Path::new(&value).display()
        ),
        _ => bail!(
            "no headless browser found (looked on PATH for {}): a PDF needs Chromium or Google \
             Chrome. Install Chromium (on Debian or Ubuntu: `apt-get install chromium`) or set \
             {BROWSER_ENV} to the browser's path",
            CANDIDATES.join(", ")
        ),
    }
}

/// Prints the page `html` to the PDF file `pdf` with the page's print stylesheet, without the
/// browser's header and footer, and checks that the result is a PDF.
///
/// An existing `pdf` is replaced.
#[allow(dead_code)] // Until `dsg report --pdf` calls it.
pub fn print_to_pdf(html: &Path, pdf: &Path) -> anyhow::Result<()> {
    let url = page_url(html)?;
    let browser = require()?;
    let pdf = absolute(pdf)?;
    remove_stale(&pdf)?;
    let profile = profile()?;
    let mut args = switches(profile.path());
    args.push("--no-pdf-header-footer".into());
    args.push(flag("--print-to-pdf=", pdf.as_os_str()));
    args.push(url.into());
    let out = run(&browser, &args)?;
    check_output(&out, &pdf, b"%PDF", "PDF", &browser)
        .with_context(|| format!("printing {} to PDF", html.display()))
}

/// Takes a screenshot of the page `html` in a `width` × `height` pixel window (no scroll bars) and
/// writes it to `png`. Only the window is captured: a longer page is cut off at `height`, which
/// [`content_height`] can choose.
///
/// An existing `png` is replaced.
#[allow(dead_code)] // Until the report's tests and docs use it through the binary.
pub fn screenshot(html: &Path, png: &Path, width: u32, height: u32) -> anyhow::Result<()> {
    if width == 0 || height == 0 {
        bail!("a screenshot needs a positive width and height, not {width} × {height}");
    }
    let url = page_url(html)?;
    let browser = require()?;
    let png = absolute(png)?;
    remove_stale(&png)?;
    let profile = profile()?;
    let mut args = switches(profile.path());
    args.push(flag("--screenshot=", png.as_os_str()));
    args.push(format!("--window-size={width},{height}").into());
    args.push("--hide-scrollbars".into());
    args.push(url.into());
    let out = run(&browser, &args)?;
    check_output(&out, &png, b"\x89PNG", "PNG", &browser)
        .with_context(|| format!("taking a screenshot of {}", html.display()))
}

/// Everything that goes wrong while the page `html` loads, one line each, in the order it
/// happened; empty for a clean page:
///
/// - `console.error: MESSAGE (URL:LINE)` (also `console.assert`),
/// - `uncaught exception: MESSAGE`,
/// - `failed request: URL (net::ERR_…)` or `(blocked: REASON)`, for example an image whose file is
///   missing, or anything outside the machine (host names do not resolve),
/// - `external request: URL` for a request to another machine that did not fail,
/// - any other error the browser logs against the page, as `SOURCE: TEXT`, for example
///   `security: Loading the image … violates the following Content Security Policy directive …`.
///
/// Warnings and `console.log` messages are not errors and are left out.
#[allow(dead_code)] // Used by the report's browser tests.
pub fn console_errors(html: &Path) -> anyhow::Result<Vec<String>> {
    let url = page_url(html)?;
    let page = Page::load(&url, None)?;
    let session = page.session.clone();
    Ok(problems(&page.events(), &session))
}

/// The height in pixels of the page `html` laid out `width` pixels wide: the window height that
/// makes a [`screenshot`] show all of it.
#[allow(dead_code)] // Used by the report's browser tests.
pub fn content_height(html: &Path, width: u32) -> anyhow::Result<u32> {
    if width == 0 {
        bail!("a page cannot be laid out 0 pixels wide");
    }
    let url = page_url(html)?;
    let mut page = Page::load(&url, Some(width))?;
    let height = page.evaluate(
        "Math.ceil(Math.max(document.documentElement.scrollHeight, \
         document.body ? document.body.scrollHeight : 0))",
    )?;
    height
        .as_f64()
        .filter(|h| h.is_finite() && *h >= 1.0 && *h <= f64::from(u32::MAX))
        // In range: checked just above.
        .map(|h| h as u32)
        .ok_or_else(|| anyhow!("the browser gave the page height as {height}"))
}

// ---------------------------------------------------------------------------------------------
// Finding programs.

/// `program` if it is a path to an executable file, or the program of that name on `PATH`.
fn resolve(program: &Path) -> Option<PathBuf> {
    if program.is_absolute() || program.components().count() > 1 {
        is_executable(program).then(|| program.to_path_buf())
    } else {
        on_path(program.as_os_str())
    }
}

/// The first executable file called `name` in the folders on `PATH`.
fn on_path(name: &OsStr) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .flat_map(|dir| {
            let plain = dir.join(name);
            let exe = cfg!(windows).then(|| dir.join(name).with_extension("exe"));
            std::iter::once(plain).chain(exe)
        })
        .find(|candidate| is_executable(candidate))
}

/// Whether `path` is a file this user may run.
#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Whether `path` is a file this user may run.
#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

// ---------------------------------------------------------------------------------------------
// Paths and switches.

/// The `file://` URL of the existing file `html`, made absolute and percent-encoded.
fn page_url(html: &Path) -> anyhow::Result<String> {
    let path = std::fs::canonicalize(html)
        .with_context(|| format!("cannot open the page {}", html.display()))?;
    if !path.is_file() {
        bail!("{} is not a file", html.display());
    }
    Ok(file_url(&path))
}

/// The `file://` URL of the absolute path `path`.
fn file_url(path: &Path) -> String {
    let text = path.to_string_lossy();
    // On Windows the path is `C:\…` (or `\\?\C:\…` from `canonicalize`).
    let text = text
        .strip_prefix(r"\\?\")
        .unwrap_or(&text)
        .replace('\\', "/");
    let mut url = String::from("file://");
    if !text.starts_with('/') {
        url.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~:".contains(&byte) {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// `path` made absolute against the current folder (the folder it names must exist).
fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    let path = std::path::absolute(path)
        .with_context(|| format!("cannot resolve the path {}", path.display()))?;
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() && !parent.is_dir() => {
            bail!("the folder {} does not exist", parent.display())
        }
        _ => Ok(path),
    }
}

/// Removes an earlier output file, so that a browser that writes nothing is not mistaken for one
/// that succeeded.
fn remove_stale(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot replace {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// A fresh browser profile, removed when dropped.
fn profile() -> anyhow::Result<TempDir> {
    tempfile::Builder::new()
        .prefix("dsg-browser-")
        .tempdir()
        .context("cannot make a temporary folder for the browser's profile")
}

/// [`BASE_SWITCHES`] with the profile folder.
fn switches(profile: &Path) -> Vec<OsString> {
    let mut args: Vec<OsString> = BASE_SWITCHES.iter().map(OsString::from).collect();
    args.push(flag("--user-data-dir=", profile.as_os_str()));
    args
}

/// `--name=` followed by `value`, which need not be UTF-8.
fn flag(name: &str, value: &OsStr) -> OsString {
    let mut flag = OsString::from(name);
    flag.push(value);
    flag
}

// ---------------------------------------------------------------------------------------------
// Running the browser.

/// Bytes a child process writes to a pipe, collected by a thread of their own.
#[derive(Clone, Default)]
struct Collected {
    bytes: Arc<Mutex<Vec<u8>>>,
}

impl Collected {
    /// Starts a thread copying `pipe` into a new buffer until it ends. The receiver hears once the
    /// pipe has ended.
    fn start(pipe: impl Read + Send + 'static) -> (Self, Receiver<()>) {
        let collected = Self::default();
        let sink = collected.clone();
        let (done, ended) = mpsc::channel();
        thread::spawn(move || {
            let mut pipe = pipe;
            let mut chunk = [0u8; 8192];
            loop {
                match pipe.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => sink
                        .bytes
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .extend_from_slice(chunk.get(..n).unwrap_or_default()),
                }
            }
            let _ = done.send(());
        });
        (collected, ended)
    }

    /// What has been collected so far, as text.
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes.lock().unwrap_or_else(PoisonError::into_inner))
            .into_owned()
    }
}

/// The last lines of the browser's standard error worth quoting, indented, after a blank line;
/// empty if there are none. Chromium's complaints about the missing D-Bus, which it prints on
/// every start on a server, are left out.
fn tail(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.contains("dbus") && !line.contains("D-Bus"))
        .collect();
    let start = lines.len().saturating_sub(STDERR_TAIL);
    let quoted: Vec<String> = lines
        .get(start..)
        .unwrap_or_default()
        .iter()
        .map(|line| format!("  {line}"))
        .collect();
    if quoted.is_empty() {
        String::new()
    } else {
        format!("\nThe browser's last messages:\n{}", quoted.join("\n"))
    }
}

/// What a finished browser run left behind.
struct Finished {
    /// How it exited.
    status: ExitStatus,
    /// Its standard output and standard error, together.
    output: String,
}

/// Runs `browser` with `args`, killing it after [`TIMEOUT`]; a run that hangs is tried once more.
fn run(browser: &Path, args: &[OsString]) -> anyhow::Result<Finished> {
    let mut tries = 0;
    loop {
        tries += 1;
        match run_once(browser, args, TIMEOUT)? {
            Ran::Finished(done) => return Ok(done),
            Ran::Hung(output) if tries == 2 => bail!(
                "the browser {} did not finish within {} s, twice, and was stopped{}",
                browser.display(),
                TIMEOUT.as_secs(),
                tail(&output)
            ),
            Ran::Hung(_) => {}
        }
    }
}

/// The browsers running, each the leader of a process group of its own: ended by [`end_all`] if
/// dsg is interrupted (they are not in the terminal's group, so Ctrl-C does not reach them).
static RUNNING: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Spawns `command` in a process group of its own (on Linux), so that [`end`] can stop it with
/// every process it starts: a browser runs its pages in child processes, which outlive it when
/// only the browser is killed.
pub(super) fn spawn_in_group(command: &mut Command) -> std::io::Result<Child> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    // Held while spawning: an interrupt meanwhile ends the browser once it is listed.
    let mut running = RUNNING.lock().unwrap_or_else(PoisonError::into_inner);
    let child = command.spawn()?;
    running.push(child.id());
    Ok(child)
}

/// Ends `child` started with [`spawn_in_group`] and every process of its group, then waits for
/// it.
pub(super) fn end(child: &mut Child) {
    end_group(child.id());
    let _ = child.kill();
    let _ = child.wait();
    RUNNING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|&id| id != child.id());
}

/// Ends every browser still running and what it started (on an interrupt, before dsg exits).
#[allow(dead_code)] // The binary's interrupt handler calls it; the browser tests include this file.
pub fn end_all() {
    for &id in RUNNING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
    {
        end_group(id);
    }
}

/// Sends SIGKILL to the process group led by `id` (gone already if all its processes ended).
fn end_group(id: u32) {
    #[cfg(target_os = "linux")]
    if let Some(pid) = rustix::process::Pid::from_raw(id as i32) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = id;
}

/// How one run of the browser ended.
enum Ran {
    Finished(Finished),
    /// Killed after [`TIMEOUT`], with what it had printed.
    Hung(String),
}

/// Runs `browser` with `args` once, killing it (and all it started) after `timeout`.
fn run_once(browser: &Path, args: &[OsString], timeout: Duration) -> anyhow::Result<Ran> {
    let mut child = spawn_in_group(
        Command::new(browser)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    )
    .with_context(|| format!("cannot start the browser {}", browser.display()))?;
    let mut pipes = Vec::new();
    if let Some(out) = child.stdout.take() {
        pipes.push(Collected::start(out));
    }
    if let Some(err) = child.stderr.take() {
        pipes.push(Collected::start(err));
    }
    let output_of = |pipes: &[(Collected, Receiver<()>)]| -> String {
        pipes
            .iter()
            .map(|(c, _)| c.text())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().context("cannot wait for the browser")? {
            break status;
        }
        if Instant::now() >= deadline {
            end(&mut child);
            return Ok(Ran::Hung(output_of(&pipes)));
        }
        thread::sleep(Duration::from_millis(50));
    };
    // Whatever the browser started and left running (which would also hold its output open).
    end(&mut child);
    for (_, ended) in &pipes {
        let _ = ended.recv_timeout(DRAIN);
    }
    Ok(Ran::Finished(Finished {
        status,
        output: output_of(&pipes),
    }))
}

/// Checks that the browser exited cleanly and wrote a non-empty `file` starting with `magic`.
fn check_output(
    out: &Finished,
    file: &Path,
    magic: &[u8],
    kind: &str,
    browser: &Path,
) -> anyhow::Result<()> {
    if !out.status.success() {
        bail!(
            "the browser {} failed ({}){}",
            browser.display(),
            out.status,
            tail(&out.output)
        );
    }
    let mut start = Vec::new();
    let read =
        std::fs::File::open(file).and_then(|f| f.take(magic.len() as u64).read_to_end(&mut start));
    match read {
        Err(e) => bail!(
            "the browser {} exited without writing {} ({e}){}",
            browser.display(),
            file.display(),
            tail(&out.output)
        ),
        Ok(0) => bail!(
            "the browser {} wrote an empty {}{}",
            browser.display(),
            file.display(),
            tail(&out.output)
        ),
        Ok(_) if start != magic => bail!(
            "the browser {} wrote {}, but it is not a {kind} file{}",
            browser.display(),
            file.display(),
            tail(&out.output)
        ),
        Ok(_) => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// The DevTools protocol.

mod devtools;
#[cfg(test)]
mod tests;

use devtools::{Page, problems};
