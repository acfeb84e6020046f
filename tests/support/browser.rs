//! A small WebDriver client (chromedriver + headless Chromium) over std::net, and a static file
//! server for serving a built site under a sub-path. Shared by tests/search.rs and the search
//! benchmark (examples/search_bench.rs).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The WebDriver key for ArrowDown, Enter, etc.
pub const KEY_DOWN: &str = "\u{E015}";
pub const KEY_UP: &str = "\u{E013}";
pub const KEY_ENTER: &str = "\u{E007}";
pub const KEY_CONTROL: &str = "\u{E009}";

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Chromium and chromedriver, from MESHDOC_CHROMIUM / MESHDOC_CHROMEDRIVER or the PATH.
pub fn find_browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = std::env::var_os("MESHDOC_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| which("chromium"))
        .or_else(|| which("chromium-browser"))
        .or_else(|| which("google-chrome"))?;
    let driver = std::env::var_os("MESHDOC_CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| which("chromedriver"))?;
    Some((chromium, driver))
}

/// Start a browser, or explain loudly why the browser tests are skipped. With
/// MESHDOC_REQUIRE_BROWSER set (as .ci/run does), a missing browser is a failure instead.
pub fn browser_or_skip(test: &str) -> Option<Driver> {
    match find_browser() {
        Some((chromium, driver)) => Some(
            Driver::start(&chromium, &driver)
                .unwrap_or_else(|e| panic!("{test}: could not start chromedriver: {e}")),
        ),
        None => {
            if std::env::var_os("MESHDOC_REQUIRE_BROWSER").is_some() {
                panic!("{test}: chromium and chromedriver are required (MESHDOC_REQUIRE_BROWSER is set) but were not found");
            }
            eprintln!();
            eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            eprintln!("!! SKIPPED {test}: chromium and/or chromedriver not found.");
            eprintln!("!! Install them (Debian: apt-get install chromium chromium-driver) to run");
            eprintln!("!! the browser tests; .ci/run installs them and always runs these tests.");
            eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            None
        }
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Send one HTTP/1.1 request and return the status and body.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Result<(u16, Vec<u8>), String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(|e| e.to_string())?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    // chromedriver keeps the connection open: read the headers, then exactly the body.
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let split = loop {
        if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed before the HTTP headers ended".into());
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let mut payload = raw[split + 4..].to_vec();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no HTTP status")?;
    let length = head.lines().find_map(|l| {
        l.strip_prefix("content-length:")
            .and_then(|v| v.trim().parse::<usize>().ok())
    });
    let chunked =
        head.contains("transfer-encoding: chunked") || head.contains("transfer-encoding:chunked");
    loop {
        let done = match length {
            Some(len) => payload.len() >= len,
            None if chunked => payload.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if done {
            break;
        }
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        payload.extend_from_slice(&buf[..n]);
    }
    if chunked {
        payload = dechunk(&payload);
    }
    Ok((status, payload))
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..line_end])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        let end = (start + size).min(data.len());
        out.extend_from_slice(&data[start..end]);
        data = &data[(end + 2).min(data.len())..];
    }
    out
}

/// A chromedriver process with one headless Chromium session.
pub struct Driver {
    child: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Driver {
    pub fn start(chromium: &Path, chromedriver: &Path) -> Result<Driver, String> {
        let port = free_port().map_err(|e| e.to_string())?;
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", chromedriver.display()))?;
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut driver = Driver {
            child,
            port,
            session: String::new(),
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok((200, body)) = http(port, "GET", "/status", None) {
                let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                if v["value"]["ready"] == json!(true) {
                    break;
                }
            }
            if Instant::now() > deadline {
                return Err("chromedriver did not become ready".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", driver._profile.path().display()),
        ];
        let caps = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": { "binary": chromium.to_string_lossy(), "args": args },
                // The console log, read for Content-Security-Policy violations and errors.
                "goog:loggingPrefs": { "browser": "ALL" },
            }}
        });
        let v = driver.call("POST", "/session", Some(caps))?;
        driver.session = v["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session: {v}"))?
            .to_string();
        Ok(driver)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let body = body.or_else(|| (method == "POST").then(|| json!({})));
        let (status, bytes) = http(self.port, method, path, body.as_ref())?;
        let v: Value = serde_json::from_slice(&bytes)
            .map_err(|e| format!("{method} {path}: bad JSON ({e})"))?;
        if status != 200 {
            return Err(format!("{method} {path}: HTTP {status}: {}", v["value"]));
        }
        Ok(v["value"].clone())
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        self.call(method, &full, body)
            .unwrap_or_else(|e| panic!("WebDriver: {e}"))
    }

    /// Open `url`, after checking that the page being left broke no Content-Security-Policy
    /// rule (every test that navigates checks every page it saw).
    pub fn goto(&self, url: &str) {
        self.assert_no_csp_violations();
        self.session_call("POST", "/url", Some(json!({ "url": url })));
    }

    /// Fail on any Content-Security-Policy violation reported in the console: an inline
    /// script or style, an eval, or a resource from elsewhere that a page tried to use.
    pub fn assert_no_csp_violations(&self) {
        let violations: Vec<String> = self
            .console()
            .into_iter()
            .map(|(_, message)| message)
            .filter(|m| {
                m.contains("Content Security Policy") || m.contains("Content-Security-Policy")
            })
            .collect();
        assert!(
            violations.is_empty(),
            "Content-Security-Policy violations on {}:\n{}",
            self.url(),
            violations.join("\n")
        );
    }

    pub fn url(&self) -> String {
        self.session_call("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The element matching a CSS selector (panics when there is none).
    pub fn find(&self, css: &str) -> String {
        let v = self.session_call(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element id for {css}"))
            .to_string()
    }

    /// Type into an element as a user would (key events, one character at a time).
    pub fn type_into(&self, element: &str, text: &str) {
        self.session_call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    pub fn clear(&self, element: &str) {
        self.session_call("POST", &format!("/element/{element}/clear"), None);
    }

    pub fn click(&self, element: &str) {
        self.session_call("POST", &format!("/element/{element}/click"), None);
    }

    /// Press keys on whatever has focus (WebDriver actions): each string is one key,
    /// modifiers are held until the end.
    pub fn press(&self, keys: &[&str]) {
        let mut actions = Vec::new();
        for k in keys {
            actions.push(json!({ "type": "keyDown", "value": k }));
        }
        for k in keys.iter().rev() {
            actions.push(json!({ "type": "keyUp", "value": k }));
        }
        self.session_call(
            "POST",
            "/actions",
            Some(json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] })),
        );
        self.session_call("DELETE", "/actions", None);
    }

    /// Run a script in the page (synchronously) and return its value.
    pub fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Run a script that calls its last argument (the callback) when done; return that value.
    pub fn js_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.session_call(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Emulate a screen of `width` × `height` CSS pixels (below 600 px wide, a phone: overlay
    /// scrollbars, so the page has the whole width).
    pub fn set_viewport(&self, width: u32, height: u32) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 }),
        );
    }

    /// A Chrome DevTools Protocol command through chromedriver.
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.session_call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }

    /// The browser console's messages since the last call, as (level, text); CSP violations and
    /// uncaught script errors arrive here as SEVERE.
    pub fn console(&self) -> Vec<(String, String)> {
        let v = self.session_call("POST", "/se/log", Some(json!({ "type": "browser" })));
        v.as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| {
                        (
                            e["level"].as_str().unwrap_or_default().to_string(),
                            e["message"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A PNG of the whole page (up to `max_height` CSS pixels tall) at the current viewport width.
    pub fn screenshot(&self, max_height: u32) -> Vec<u8> {
        let size = self.js(
            "return [document.documentElement.clientWidth, document.documentElement.scrollHeight]",
            vec![],
        );
        let width = size[0].as_f64().unwrap_or(1280.0);
        let height = size[1].as_f64().unwrap_or(900.0).min(f64::from(max_height));
        let v = self.cdp(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true,
                    "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 } }),
        );
        base64_decode(v["data"].as_str().unwrap_or_default())
    }

    /// Poll a script until it returns a truthy value, or panic with `what` after `secs`.
    pub fn wait_for(&self, script: &str, args: Vec<Value>, secs: u64, what: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let v = self.js(script, args.clone());
            let truthy =
                !matches!(v, Value::Null | Value::Bool(false)) && v != json!("") && v != json!(0);
            if truthy {
                return v;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Standard base64 (the screenshots chromedriver returns); ignores anything outside the alphabet.
pub fn base64_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The last page a test saw is checked too (unless the test failed already).
        if !self.session.is_empty() && !std::thread::panicking() {
            let violations = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.assert_no_csp_violations()
            }));
            if let Err(e) = violations {
                let _ = http(
                    self.port,
                    "DELETE",
                    &format!("/session/{}", self.session),
                    None,
                );
                let _ = self.child.kill();
                let _ = self.child.wait();
                std::panic::resume_unwind(e);
            }
        }
        if !self.session.is_empty() {
            let _ = http(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves `dir` at `http://127.0.0.1:<port><prefix>` from a background thread until the
/// process ends. Only GET of files; enough for a static site.
pub fn serve(dir: &Path, prefix: &str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let port = listener.local_addr().expect("local addr").port();
    let dir = dir.to_path_buf();
    let prefix = prefix.to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            let prefix = prefix.clone();
            std::thread::spawn(move || {
                let _ = respond(stream, &dir, &prefix);
            });
        }
    });
    port
}

fn respond(mut stream: TcpStream, dir: &Path, prefix: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" {
            break;
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let found = path
        .strip_prefix(prefix)
        .filter(|rest| !rest.split('/').any(|seg| seg == ".."))
        .map(|rest| {
            let mut p = dir.join(percent_decode(rest));
            if p.is_dir() {
                p = p.join("index.html");
            }
            p
        })
        .and_then(|p| std::fs::read(&p).ok().map(|bytes| (p, bytes)));
    match found {
        Some((p, bytes)) => {
            let kind = match p.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                Some("css") => "text/css; charset=utf-8",
                Some("json") => "application/json",
                Some("svg") => "image/svg+xml",
                _ => "application/octet-stream",
            };
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                bytes.len()
            )?;
            stream.write_all(&bytes)
        }
        None => stream.write_all(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
        ),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            if let Ok(b) = u8::from_str_radix(s.get(i + 1..i + 3).unwrap_or(""), 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
