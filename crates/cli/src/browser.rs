//! The headless browser behind `dsg report --pdf` and the report's browser tests: finding Chromium
//! (or Chrome), printing a page to PDF, taking a screenshot, and listing what goes wrong when a page
//! loads (console errors, uncaught exceptions, failed or external requests).
//!
//! Every call starts the browser as a child process in headless mode with a throw-away profile in a
//! temporary folder, without network (every host name resolves to nothing, so a page that reaches
//! outside fails the same way on every machine instead of fetching anything), and kills it if it
//! has not finished within [`TIMEOUT`].
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

/// Runs `browser` with `args`, killing it after [`TIMEOUT`].
fn run(browser: &Path, args: &[OsString]) -> anyhow::Result<Finished> {
    let mut child = Command::new(browser)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
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
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().context("cannot wait for the browser")? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "the browser {} did not finish within {} s and was stopped{}",
                browser.display(),
                TIMEOUT.as_secs(),
                tail(&output_of(&pipes))
            );
        }
        thread::sleep(Duration::from_millis(50));
    };
    for (_, ended) in &pipes {
        let _ = ended.recv_timeout(DRAIN);
    }
    Ok(Finished {
        status,
        output: output_of(&pipes),
    })
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

/// A browser started with `--remote-debugging-pipe`, with one page open and its events recorded.
///
/// The browser reads requests on its file descriptor 3 and writes answers and events on 4. The
/// standard library cannot hand a child more than standard input, output and error, so a shell
/// moves them there: `sh -c 'exec BROWSER … 3<&0 4>&1 0</dev/null 1>/dev/null'`, with the
/// child's standard input and output being the two pipes.
struct Page {
    /// The browser; killed when dropped if still running.
    child: Child,
    /// Requests go here; closed when dropped, which tells the browser to quit.
    requests: Option<ChildStdin>,
    /// Answers and events, parsed, from a thread reading the browser's pipe.
    messages: Receiver<Value>,
    /// The browser's standard error, for error messages.
    stderr: Collected,
    /// The id of the next request.
    next_id: u64,
    /// Every event received so far, in order.
    events: Vec<Value>,
    /// When the browser is given up on.
    deadline: Instant,
    /// The DevTools session of the page.
    session: String,
    /// The browser's profile folder; declared after `child` so that it is removed after the
    /// browser has been stopped.
    _profile: TempDir,
}

impl Page {
    /// Starts the browser, opens `url` in a new page (laid out `width` pixels wide if given) and
    /// waits for its load event and a moment after it.
    fn load(url: &str, width: Option<u32>) -> anyhow::Result<Self> {
        let browser = require()?;
        let profile = profile()?;
        let mut args = switches(profile.path());
        args.push("--remote-debugging-pipe".into());
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null"#)
            .arg(&browser)
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start the browser {}", browser.display()))?;
        let requests = child.stdin.take();
        let (stderr, _) = match child.stderr.take() {
            Some(err) => Collected::start(err),
            None => (Collected::default(), mpsc::channel().1),
        };
        let (sender, messages) = mpsc::channel();
        if let Some(out) = child.stdout.take() {
            thread::spawn(move || {
                let mut reader = BufReader::new(out);
                let mut message = Vec::new();
                loop {
                    message.clear();
                    match reader.read_until(0, &mut message) {
                        Ok(0) | Err(_) => break,
                        Ok(_) => {}
                    }
                    if message.last() == Some(&0) {
                        message.pop();
                    }
                    if let Ok(value) = serde_json::from_slice::<Value>(&message)
                        && sender.send(value).is_err()
                    {
                        break;
                    }
                }
            });
        }
        let mut page = Self {
            child,
            requests,
            messages,
            stderr,
            next_id: 1,
            events: Vec::new(),
            deadline: Instant::now() + TIMEOUT,
            session: String::new(),
            _profile: profile,
        };
        page.open(url, width)
            .with_context(|| format!("loading {url} in the browser {}", browser.display()))?;
        Ok(page)
    }

    /// Opens `url` in a new target and waits until it has loaded.
    fn open(&mut self, url: &str, width: Option<u32>) -> anyhow::Result<()> {
        let target = self.call(
            "Target.createTarget",
            json!({ "url": "about:blank" }),
            false,
        )?;
        let target_id = field(&target, "targetId")?;
        let attached = self.call(
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
            false,
        )?;
        self.session = field(&attached, "sessionId")?;
        for domain in ["Runtime", "Log", "Network", "Page"] {
            self.call(&format!("{domain}.enable"), json!({}), true)?;
        }
        if let Some(width) = width {
            self.call(
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": width, "height": 100, "deviceScaleFactor": 1, "mobile": false }),
                true,
            )?;
        }
        // The blank page may still send its own load event: wait until the page loaded is ours.
        let mut seen = self.events.len();
        let navigated = self.call("Page.navigate", json!({ "url": url }), true)?;
        if let Some(error) = navigated.get("errorText").and_then(Value::as_str)
            && !error.is_empty()
        {
            bail!("the browser could not open the page: {error}");
        }
        loop {
            seen = self.wait_for_load(seen)? + 1;
            let href = self.evaluate("location.href")?;
            if href.as_str() != Some("about:blank") {
                break;
            }
        }
        self.listen(SETTLE);
        Ok(())
    }

    /// Sends a request (to the page's session if `to_page`) and returns its result, recording the
    /// events that arrive meanwhile.
    fn call(&mut self, method: &str, params: Value, to_page: bool) -> anyhow::Result<Value> {
        let id = self.next_id;
        self.next_id += 1;
        let request = if to_page {
            json!({ "id": id, "method": method, "params": params, "sessionId": self.session })
        } else {
            json!({ "id": id, "method": method, "params": params })
        };
        let mut bytes = serde_json::to_vec(&request).context("cannot encode a browser request")?;
        bytes.push(0);
        let sent = match self.requests.as_mut() {
            Some(pipe) => pipe.write_all(&bytes).and_then(|()| pipe.flush()),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        };
        if let Err(e) = sent {
            bail!(
                "cannot talk to the browser ({e}){}",
                tail(&self.stderr.text())
            );
        }
        loop {
            let message = self.next_message()?;
            if message.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(error) = message.get("error") {
                    bail!("the browser refused {method}: {error}");
                }
                return Ok(message.get("result").cloned().unwrap_or(Value::Null));
            }
            if message.get("method").is_some() {
                self.events.push(message);
            }
        }
    }

    /// The value of the JavaScript expression `expression` in the page.
    fn evaluate(&mut self, expression: &str) -> anyhow::Result<Value> {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
            true,
        )?;
        if let Some(details) = result.get("exceptionDetails") {
            bail!("the browser could not evaluate {expression}: {details}");
        }
        Ok(result
            .get("result")
            .and_then(|r| r.get("value"))
            .cloned()
            .unwrap_or(Value::Null))
    }

    /// Waits for the page's load event at position `from` or later in [`Page::events`] and
    /// returns its position.
    fn wait_for_load(&mut self, from: usize) -> anyhow::Result<usize> {
        loop {
            let found = self
                .events
                .iter()
                .enumerate()
                .skip(from)
                .find(|(_, e)| {
                    method(e) == "Page.loadEventFired" && session(e) == self.session.as_str()
                })
                .map(|(i, _)| i);
            if let Some(i) = found {
                return Ok(i);
            }
            let message = self.next_message()?;
            match method(&message) {
                "" => {}
                "Inspector.detached" | "Inspector.targetCrashed"
                    if session(&message) == self.session =>
                {
                    let reason = text(&message, &["reason"]);
                    bail!(
                        "the browser lost the page before it loaded ({}){}",
                        if reason.is_empty() {
                            "it crashed"
                        } else {
                            reason
                        },
                        tail(&self.stderr.text())
                    );
                }
                _ => self.events.push(message),
            }
        }
    }

    /// Records the events that arrive within `time` (or until the browser goes away).
    fn listen(&mut self, time: Duration) {
        let until = (Instant::now() + time).min(self.deadline);
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match self.messages.recv_timeout(left) {
                Ok(message) if message.get("method").is_some() => self.events.push(message),
                Ok(_) => {}
                Err(_) => break,
            }
        }
    }

    /// The next message from the browser, or an error once it has gone or [`TIMEOUT`] has passed.
    fn next_message(&mut self) -> anyhow::Result<Value> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        match self.messages.recv_timeout(left) {
            Ok(message) => Ok(message),
            Err(RecvTimeoutError::Timeout) => bail!(
                "the browser did not answer within {} s and was stopped{}",
                TIMEOUT.as_secs(),
                tail(&self.stderr.text())
            ),
            Err(RecvTimeoutError::Disconnected) => {
                // Give the browser a moment to finish writing its last words.
                thread::sleep(Duration::from_millis(100));
                bail!(
                    "the browser stopped unexpectedly{}",
                    tail(&self.stderr.text())
                )
            }
        }
    }

    /// The events recorded so far, with any that are still waiting in the pipe.
    fn events(mut self) -> Vec<Value> {
        while let Ok(message) = self.messages.try_recv() {
            if message.get("method").is_some() {
                self.events.push(message);
            }
        }
        std::mem::take(&mut self.events)
    }
}

impl Drop for Page {
    /// Closes the pipe (the browser quits when it ends), gives the browser a moment to do so, then
    /// kills it.
    fn drop(&mut self) {
        drop(self.requests.take());
        let until = Instant::now() + DRAIN;
        while Instant::now() < until {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The text field `name` of a DevTools result.
fn field(result: &Value, name: &str) -> anyhow::Result<String> {
    result
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("the browser's answer has no {name}: {result}"))
}

/// The method of a DevTools event.
fn method(event: &Value) -> &str {
    event.get("method").and_then(Value::as_str).unwrap_or("")
}

/// The session a DevTools event belongs to (empty for the browser's own).
fn session(event: &Value) -> &str {
    event.get("sessionId").and_then(Value::as_str).unwrap_or("")
}

/// The text at `path` (keys from the event's `params`), or "".
fn text<'a>(event: &'a Value, path: &[&str]) -> &'a str {
    let mut value = event.get("params");
    for key in path {
        value = value.and_then(|v| v.get(key));
    }
    value.and_then(Value::as_str).unwrap_or("")
}

/// The schemes that fetch nothing from another machine.
const LOCAL_SCHEMES: [&str; 5] = ["file:", "data:", "blob:", "about:", "chrome-error:"];

/// The problems among the events of page session `page`, one line each, in order (see
/// [`console_errors`]).
fn problems(events: &[Value], page: &str) -> Vec<String> {
    let events: Vec<&Value> = events.iter().filter(|e| session(e) == page).collect();
    let mut urls: HashMap<&str, &str> = HashMap::new();
    let mut failed: HashSet<&str> = HashSet::new();
    for e in &events {
        match method(e) {
            "Network.requestWillBeSent" => {
                urls.insert(text(e, &["requestId"]), text(e, &["request", "url"]));
            }
            "Network.loadingFailed" => {
                failed.insert(text(e, &["requestId"]));
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    let mut external_reported = HashSet::new();
    for e in &events {
        let params = e.get("params").unwrap_or(&Value::Null);
        match method(e) {
            "Runtime.consoleAPICalled" => {
                let kind = text(e, &["type"]);
                if kind == "error" || kind == "assert" {
                    found.push(format!(
                        "console.{kind}: {}{}",
                        arguments(params),
                        place(params)
                    ));
                }
            }
            "Runtime.exceptionThrown" => {
                let details = params.get("exceptionDetails").unwrap_or(&Value::Null);
                let message = details
                    .get("exception")
                    .and_then(|x| x.get("description"))
                    .and_then(Value::as_str)
                    .or_else(|| details.get("text").and_then(Value::as_str))
                    .unwrap_or("(no description)");
                found.push(format!("uncaught exception: {message}"));
            }
            "Network.loadingFailed" => {
                let id = text(e, &["requestId"]);
                let url = urls.get(id).copied().unwrap_or("(unknown address)");
                let blocked = text(e, &["blockedReason"]);
                let error = text(e, &["errorText"]);
                let canceled = params.get("canceled").and_then(Value::as_bool) == Some(true);
                if !blocked.is_empty() {
                    found.push(format!("failed request: {url} (blocked: {blocked})"));
                } else if !canceled {
                    found.push(format!("failed request: {url} ({error})"));
                } else if !is_local(url) && external_reported.insert(id) {
                    found.push(format!("external request: {url}"));
                }
            }
            "Network.requestWillBeSent" => {
                let id = text(e, &["requestId"]);
                let url = text(e, &["request", "url"]);
                if !is_local(url) && !failed.contains(id) && external_reported.insert(id) {
                    found.push(format!("external request: {url}"));
                }
            }
            "Log.entryAdded" => {
                let level = text(e, &["entry", "level"]);
                // Failed requests are reported above, once each, with their address.
                let request = text(e, &["entry", "networkRequestId"]);
                if level == "error" && (request.is_empty() || !failed.contains(request)) {
                    let source = text(e, &["entry", "source"]);
                    let message = text(e, &["entry", "text"]);
                    let url = text(e, &["entry", "url"]);
                    let mut line = format!("{source}: {message}");
                    if !url.is_empty() && !message.contains(url) {
                        line.push_str(&format!(" ({url})"));
                    }
                    found.push(line);
                }
            }
            _ => {}
        }
    }
    found
}

/// Whether `url` names nothing on another machine.
fn is_local(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.is_empty() || LOCAL_SCHEMES.iter().any(|s| lower.starts_with(s))
}

/// The arguments of a console call, as the console would show them.
fn arguments(params: &Value) -> String {
    let args = params.get("args").and_then(Value::as_array);
    args.map(|args| {
        args.iter()
            .map(|a| match a.get("value") {
                Some(Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
                None => a
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    })
    .unwrap_or_default()
}

/// ` (URL:LINE)` for the top frame of a console call's stack, or "".
fn place(params: &Value) -> String {
    let frame = params
        .get("stackTrace")
        .and_then(|s| s.get("callFrames"))
        .and_then(Value::as_array)
        .and_then(|f| f.first());
    match frame {
        Some(frame) => {
            let url = frame.get("url").and_then(Value::as_str).unwrap_or("");
            let line = frame.get("lineNumber").and_then(Value::as_u64).unwrap_or(0) + 1;
            format!(" ({url}:{line})")
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `body` into a page in a new temporary folder.
    fn page(body: &str) -> (TempDir, PathBuf) {
        page_with("", body)
    }

    /// Writes `head` (after the page's title and style) and `body` into a page in a new temporary
    /// folder.
    fn page_with(head: &str, body: &str) -> (TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("page with space#1.html");
        let html = format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>t</title>\
             <style>body{{font-family:sans-serif}}</style>{head}</head><body>{body}</body></html>"
        );
        std::fs::write(&path, html).expect("write the page");
        (dir, path)
    }

    /// Whether the tests that need a browser can run here: if not, they are skipped with a note,
    /// unless `CI` or `DSG_REQUIRE_BROWSER` is set, when they fail.
    fn browser_here() -> bool {
        if find().is_some() {
            return true;
        }
        let required = ["CI", "DSG_REQUIRE_BROWSER"]
            .iter()
            .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
        assert!(
            !required,
            "no headless browser found, and CI or DSG_REQUIRE_BROWSER is set: install one \
             (apt-get install chromium poppler-utils) or set {BROWSER_ENV}"
        );
        eprintln!("note: no headless browser found: skipping a browser test");
        false
    }

    #[test]
    fn file_urls_are_absolute_and_escaped() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/r#1%.html")),
            "file:///tmp/a%20b/r%231%25.html"
        );
        assert_eq!(file_url(Path::new("/tmp/é")), "file:///tmp/%C3%A9");
    }

    #[test]
    fn programs_are_found_by_path_or_on_path() {
        assert_eq!(resolve(Path::new("/nonexistent/chromium")), None);
        assert_eq!(resolve(Path::new("no-such-program-dsg")), None);
        let sh = resolve(Path::new("sh")).expect("sh on PATH");
        assert!(sh.is_absolute() && sh.ends_with("sh"), "{}", sh.display());
        assert_eq!(resolve(&sh), Some(sh.clone()));
    }

    #[test]
    fn the_quoted_tail_leaves_out_dbus_noise() {
        let stderr = "[1:2:ERROR:dbus/bus.cc:405] Failed to connect to the bus\nreal problem\n";
        assert_eq!(
            tail(stderr),
            "\nThe browser's last messages:\n  real problem"
        );
        assert_eq!(tail("[1:2:ERROR:dbus/bus.cc:405] x\n"), "");
    }

    #[test]
    fn a_clean_page_has_no_console_errors() {
        if !browser_here() {
            return;
        }
        let (_dir, path) = page(
            "<h1>Clean</h1><svg role=\"img\" aria-label=\"a bar\" width=\"100\" height=\"40\">\
             <rect width=\"60\" height=\"20\" fill=\"#369\"/></svg>\
             <img alt=\"dot\" src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\">",
        );
        let errors = console_errors(&path).expect("console errors");
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn console_errors_and_exceptions_are_caught_but_not_logs() {
        if !browser_here() {
            return;
        }
        let (_dir, path) = page(
            "<p>x</p><script>console.error(\"boom\", 42); console.log(\"fine\"); \
             console.warn(\"careful\")</script><script>undefinedFunction()</script>",
        );
        let errors = console_errors(&path).expect("console errors");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("console.error: boom 42 (file://"),
            "{errors:?}"
        );
        assert!(
            errors[1].starts_with("uncaught exception: ReferenceError: undefinedFunction"),
            "{errors:?}"
        );
    }

    #[test]
    fn failed_and_external_requests_are_caught() {
        if !browser_here() {
            return;
        }
        let (_dir, path) = page(
            "<img alt=\"x\" src=\"http://example.invalid/x.png\">\
             <img alt=\"y\" src=\"missing.png\">\
             <div style=\"background:url(https://example.com/bg.png);height:10px\"></div>",
        );
        let errors = console_errors(&path).expect("console errors");
        let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
        assert!(
            has("failed request: http://example.invalid/x.png (net::ERR_NAME_NOT_RESOLVED)"),
            "{errors:?}"
        );
        assert!(has("missing.png (net::ERR_FILE_NOT_FOUND)"), "{errors:?}");
        // A real host fails too: no host name resolves, so nothing is fetched.
        assert!(
            has("failed request: https://example.com/bg.png (net::ERR_NAME_NOT_RESOLVED)"),
            "{errors:?}"
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    #[test]
    fn blocked_requests_are_caught() {
        if !browser_here() {
            return;
        }
        let (_dir, path) = page_with(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"img-src 'none'\">",
            "<img alt=\"x\" src=\"elsewhere.png\">",
        );
        let errors = console_errors(&path).expect("console errors");
        let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
        assert!(has("elsewhere.png (blocked: csp)"), "{errors:?}");
        assert!(
            has("security: ") && has("Content Security Policy"),
            "{errors:?}"
        );
    }

    #[test]
    fn prints_a_pdf_and_takes_a_screenshot() {
        if !browser_here() {
            return;
        }
        let (dir, path) = page("<h1>Hello</h1><p>A page to print.</p>");
        let pdf = dir.path().join("out.pdf");
        print_to_pdf(&path, &pdf).expect("print");
        let bytes = std::fs::read(&pdf).expect("read the PDF");
        assert!(bytes.starts_with(b"%PDF") && bytes.len() > 500);

        let height = content_height(&path, 400).expect("height");
        assert!((50..400).contains(&height), "height {height}");
        let png = dir.path().join("shot.png");
        screenshot(&path, &png, 400, height).expect("screenshot");
        let bytes = std::fs::read(&png).expect("read the PNG");
        assert!(bytes.starts_with(b"\x89PNG"));
        // The PNG header's width and height (big-endian, bytes 16..24).
        assert_eq!(bytes.get(16..20), Some(&400u32.to_be_bytes()[..]));
        assert_eq!(bytes.get(20..24), Some(&height.to_be_bytes()[..]));
    }

    #[test]
    fn a_missing_page_is_an_error_before_the_browser_starts() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let missing = dir.path().join("nothing.html");
        let error = print_to_pdf(&missing, &dir.path().join("x.pdf"))
            .expect_err("no page")
            .to_string();
        assert!(error.contains("cannot open the page"), "{error}");
    }
}
