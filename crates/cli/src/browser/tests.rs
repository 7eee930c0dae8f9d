//! The browser helpers against pages made to fail in known ways, and a clean one.

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
    assert!(
        !skipping_refused(),
        "no headless browser found, and CI or DSG_REQUIRE_BROWSER is set: install one \
         (apt-get install chromium poppler-utils) or set {BROWSER_ENV}"
    );
    eprintln!("note: no headless browser found: skipping a browser test");
    false
}

/// Whether process `pid` is still running (gone, or a zombie waiting to be reaped, is not).
#[cfg(target_os = "linux")]
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        !stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z')
    })
}

/// Issue 30, fault 13: a hung browser was killed but the processes it had started were not. A
/// stand-in browser that starts a child and then hangs is ended with its child.
#[cfg(target_os = "linux")]
#[test]
fn a_hung_browser_is_ended_with_what_it_started() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let pid_file = dir.path().join("child.pid");
    let fake = dir.path().join("browser");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\nsleep 300 &\necho $! > '{}'\nsleep 300\n",
            pid_file.display()
        ),
    )
    .expect("write the stand-in");
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("make it executable");
    let started = Instant::now();
    let ran = run_once(&fake, &[], Duration::from_millis(700)).expect("starts");
    assert!(matches!(ran, Ran::Hung(_)), "the stand-in hangs");
    assert!(started.elapsed() < Duration::from_secs(10));
    let pid: u32 = std::fs::read_to_string(&pid_file)
        .expect("the stand-in wrote its child's id")
        .trim()
        .parse()
        .expect("a process id");
    let until = Instant::now() + Duration::from_secs(5);
    while running(pid) && Instant::now() < until {
        thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !running(pid),
        "the hung browser's child {pid} is still running"
    );
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
