//! The DevTools protocol over a pipe: a page loaded in the browser, the events it raises, and
//! the problems among them that DevTools would show in red.

use super::*;

/// A browser started with `--remote-debugging-pipe`, with one page open and its events recorded.
///
/// The browser reads requests on its file descriptor 3 and writes answers and events on 4. The
/// standard library cannot hand a child more than standard input, output and error, so a shell
/// moves them there: `sh -c 'exec BROWSER … 3<&0 4>&1 0</dev/null 1>/dev/null'`, with the
/// child's standard input and output being the two pipes.
pub(super) struct Page {
    /// The browser; killed when dropped if still running.
    pub(super) child: Child,
    /// Requests go here; closed when dropped, which tells the browser to quit.
    pub(super) requests: Option<ChildStdin>,
    /// Answers and events, parsed, from a thread reading the browser's pipe.
    pub(super) messages: Receiver<Value>,
    /// The browser's standard error, for error messages.
    pub(super) stderr: Collected,
    /// The id of the next request.
    pub(super) next_id: u64,
    /// Every event received so far, in order.
    pub(super) events: Vec<Value>,
    /// When the browser is given up on.
    pub(super) deadline: Instant,
    /// The DevTools session of the page.
    pub(super) session: String,
    /// The browser's profile folder; declared after `child` so that it is removed after the
    /// browser has been stopped.
    pub(super) _profile: TempDir,
}

impl Page {
    /// Starts the browser, opens `url` in a new page (laid out `width` pixels wide if given) and
    /// waits for its load event and a moment after it.
    pub(super) fn load(url: &str, width: Option<u32>) -> anyhow::Result<Self> {
        let browser = require()?;
        let profile = profile()?;
        let mut args = switches(profile.path());
        args.push("--remote-debugging-pipe".into());
        let mut child = spawn_in_group(
            Command::new("sh")
                .arg("-c")
                .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null"#)
                .arg(&browser)
                .args(&args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped()),
        )
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
    pub(super) fn open(&mut self, url: &str, width: Option<u32>) -> anyhow::Result<()> {
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
    pub(super) fn call(
        &mut self,
        method: &str,
        params: Value,
        to_page: bool,
    ) -> anyhow::Result<Value> {
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
    pub(super) fn evaluate(&mut self, expression: &str) -> anyhow::Result<Value> {
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
    pub(super) fn wait_for_load(&mut self, from: usize) -> anyhow::Result<usize> {
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
    pub(super) fn listen(&mut self, time: Duration) {
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
    pub(super) fn next_message(&mut self) -> anyhow::Result<Value> {
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
    pub(super) fn events(mut self) -> Vec<Value> {
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
    /// ends it and whatever it started that is still running (its process group).
    fn drop(&mut self) {
        drop(self.requests.take());
        let until = Instant::now() + DRAIN;
        while Instant::now() < until {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            thread::sleep(Duration::from_millis(20));
        }
        end(&mut self.child);
    }
}

/// The text field `name` of a DevTools result.
pub(super) fn field(result: &Value, name: &str) -> anyhow::Result<String> {
    result
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("the browser's answer has no {name}: {result}"))
}

/// The method of a DevTools event.
pub(super) fn method(event: &Value) -> &str {
    event.get("method").and_then(Value::as_str).unwrap_or("")
}

/// The session a DevTools event belongs to (empty for the browser's own).
pub(super) fn session(event: &Value) -> &str {
    event.get("sessionId").and_then(Value::as_str).unwrap_or("")
}

/// The text at `path` (keys from the event's `params`), or "".
pub(super) fn text<'a>(event: &'a Value, path: &[&str]) -> &'a str {
    let mut value = event.get("params");
    for key in path {
        value = value.and_then(|v| v.get(key));
    }
    value.and_then(Value::as_str).unwrap_or("")
}

/// The schemes that fetch nothing from another machine.
pub(super) const LOCAL_SCHEMES: [&str; 5] = ["file:", "data:", "blob:", "about:", "chrome-error:"];

/// The problems among the events of page session `page`, one line each, in order (see
/// [`console_errors`]).
pub(super) fn problems(events: &[Value], page: &str) -> Vec<String> {
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
pub(super) fn is_local(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.is_empty() || LOCAL_SCHEMES.iter().any(|s| lower.starts_with(s))
}

/// The arguments of a console call, as the console would show them.
pub(super) fn arguments(params: &Value) -> String {
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
pub(super) fn place(params: &Value) -> String {
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
