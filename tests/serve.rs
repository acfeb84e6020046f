//! `meshdoc serve` as a writer meets it: the served page changes when a manifest is saved and
//! open pages are told to reload; a save that breaks the manifest keeps the last good page and
//! names the file and line; the fix reloads; Ctrl-C exits cleanly.
//!
//! No timed assertions: every wait polls with a generous limit and only fails at that limit.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "support/browser.rs"]
mod browser;

/// Far above what a rebuild of a two-file mesh takes, even on a loaded CI machine.
const PATIENCE: Duration = Duration::from_secs(90);

/// A running `meshdoc serve`, stopped (killed) when dropped if the test did not stop it.
struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(dir: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_meshdoc"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(dir)
            .env("MESHDOC_CACHE_DIR", dir.join("cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("meshdoc serve starts");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        // The first line on stdout names the address (the build is done by then).
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!(
                    "no address on stdout: {line:?}\n{}",
                    log.lock().unwrap().as_str()
                )
            });
        Server { child, port, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// GET `path`: status and body.
    fn get(&self, path: &str) -> (u16, String) {
        self.get_as(path, "127.0.0.1")
    }

    /// GET `path` naming `host` in the Host header.
    fn get_as(&self, path: &str, host: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("server listens");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    fn status(&self) -> Value {
        let (code, body) = self.get("/__meshdoc/status.json");
        assert_eq!(code, 200, "{body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
    }

    /// Poll until `ok` holds for what `path` serves; its body then.
    fn wait_for_page(&self, path: &str, what: &str, ok: impl Fn(u16, &str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (code, body) = self.get(path);
            if ok(code, &body) {
                return body;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "{path} never showed {what}; last answer {code}:\n{body}\nserver log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Poll status.json until its state is `state`.
    fn wait_for_state(&self, state: &str) -> Value {
        let start = Instant::now();
        loop {
            let status = self.status();
            if status["state"] == state {
                return status;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the state never became {state}: {status}\nserver log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Connect to the event stream; each event arrives as (name, data).
    fn events(&self) -> Receiver<(String, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("server listens");
        write!(
            stream,
            "GET /__meshdoc/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            // The body is chunked: chunk-size lines are neither `event:` nor `data:` lines.
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    if tx.send((name.clone(), data.to_string())).is_err() {
                        return;
                    }
                }
            }
        });
        rx
    }

    /// Stop as Ctrl-C does, and wait for a clean exit.
    fn interrupt(mut self) {
        let killed = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "exit {status}:\n{}", self.log());
                assert!(self.log().contains("stopped"), "{}", self.log());
                return;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "serve did not stop on SIGINT:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Wait for an event named `name` (others are skipped); its data.
fn next_event(events: &Receiver<(String, String)>, name: &str, log: &dyn Fn() -> String) -> Value {
    let start = Instant::now();
    loop {
        let left = PATIENCE.saturating_sub(start.elapsed());
        match events.recv_timeout(left) {
            Ok((event, data)) if event == name => {
                return serde_json::from_str(&data).unwrap_or_else(|e| panic!("{e}: {data}"))
            }
            Ok(_) => continue,
            Err(RecvTimeoutError::Timeout) => panic!("no {name} event came\n{}", log()),
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the event stream closed before a {name} event\n{}", log())
            }
        }
    }
}

/// Save as editors do: a new file renamed over the old one.
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("yaml.saving");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn init(dir: &Path) -> PathBuf {
    let o = Command::new(env!("CARGO_BIN_EXE_meshdoc"))
        .arg("init")
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir.join("mesh/example.odps.yaml")
}

#[test]
fn a_save_reloads_a_broken_save_shows_where_and_the_fix_reloads() {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = init(tmp.path());
    let original = std::fs::read_to_string(&manifest).unwrap();
    assert!(original.contains("\nname: Orders\n"));
    let server = Server::start(tmp.path(), &["--out", "site"]);
    let log = || server.log();

    // Served pages carry the live script; the site on disk does not.
    let page = server.wait_for_page("/products/orders/", "the product", |c, _| c == 200);
    assert!(page.contains("<h1") && page.contains("Orders"), "{page}");
    assert!(
        page.contains("<script src=\"/__meshdoc/live.js?build="),
        "{page}"
    );
    let on_disk =
        std::fs::read_to_string(tmp.path().join("site/products/orders/index.html")).unwrap();
    assert!(!on_disk.contains("__meshdoc"));
    let (code, script) = server.get("/__meshdoc/live.js");
    assert_eq!(code, 200);
    assert!(script.contains("EventSource('/__meshdoc/events"));
    assert_eq!(server.status()["state"], "ok");

    let events = server.events();
    let first = next_event(&events, "status", &log);
    assert_eq!(first["state"], "ok");

    // An edit: a reload event, and the page shows the new name.
    save(
        &manifest,
        &original.replace("\nname: Orders\n", "\nname: Orders Renamed Live\n"),
    );
    let reload = next_event(&events, "reload", &log);
    assert_eq!(reload["state"], "ok");
    server.wait_for_page("/products/orders/", "the new name", |c, b| {
        c == 200 && b.contains("Orders Renamed Live")
    });

    // A broken save: held back, named by file and line; the last good page is still served.
    let good = original.replace("\nname: Orders\n", "\nname: Orders Renamed Live\n");
    let broken = good.replace(
        "\nstatus: active\n",
        "\nstatus: active\n  oops: [unclosed\n",
    );
    let bad_line = broken
        .lines()
        .position(|l| l.contains("oops: [unclosed"))
        .unwrap() as u64
        + 1;
    save(&manifest, &broken);
    let held = next_event(&events, "status", &log);
    let held = if held["state"] == "held" {
        held
    } else {
        server.wait_for_state("held")
    };
    let status = server.status();
    assert_eq!(status, held);
    let problem = &status["problems"][0];
    assert!(
        problem["path"]
            .as_str()
            .unwrap()
            .ends_with("mesh/example.odps.yaml"),
        "{status}"
    );
    assert_eq!(problem["line"], bad_line, "{status}");
    assert!(problem["column"].as_u64().is_some(), "{status}");
    assert!(!problem["message"].as_str().unwrap().is_empty());
    let (code, page) = server.get("/products/orders/");
    assert_eq!(code, 200);
    assert!(page.contains("Orders Renamed Live"), "{page}");
    assert!(log().contains("example.odps.yaml:"), "{}", log());

    // The fix: a reload, no overlay, the new text.
    save(
        &manifest,
        &original.replace("\nname: Orders\n", "\nname: Orders Fixed\n"),
    );
    let fixed = next_event(&events, "reload", &log);
    assert_eq!(fixed["state"], "ok");
    assert_eq!(fixed["problems"], Value::Array(Vec::new()));
    server.wait_for_page("/products/orders/", "the fixed name", |c, b| {
        c == 200 && b.contains("Orders Fixed")
    });
    assert_eq!(server.status()["problems"], Value::Array(Vec::new()));

    // Nothing outside the site is served.
    for path in [
        "/../meshdoc.toml",
        "/%2e%2e/meshdoc.toml",
        "/..%2fmeshdoc.toml",
    ] {
        let (code, body) = server.get(path);
        assert_eq!(code, 404, "{path}: {body}");
        assert!(!body.contains("[[sources]]"), "{path}: {body}");
    }
    // A page elsewhere whose host name points here (DNS rebinding) is not answered.
    let (code, body) = server.get_as("/products/orders/", "evil.example:80");
    assert_eq!(code, 403, "{body}");
    assert!(!body.contains("Orders"));
    drop(events);
    server.interrupt();
}

/// The live script in a real browser, under the site's Content-Security-Policy: the overlay
/// appears on a broken save and names the line; the fix reloads the page and the overlay is gone.
#[test]
fn the_overlay_and_the_reload_in_a_browser() {
    let Some(driver) = browser::browser_or_skip("serve overlay") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let manifest = init(tmp.path());
    let original = std::fs::read_to_string(&manifest).unwrap();
    let server = Server::start(tmp.path(), &[]);
    driver.goto(&format!(
        "http://127.0.0.1:{}/products/orders/",
        server.port
    ));
    let wait = |script: &str, what: &str| driver.wait_for(script, vec![], PATIENCE.as_secs(), what);
    wait(
        "return !!document.querySelector('link[href=\"/__meshdoc/live.css\"]')",
        "the live script to run",
    );

    let broken = original.replace(
        "\nstatus: active\n",
        "\nstatus: active\n  oops: [unclosed\n",
    );
    let bad_line = broken
        .lines()
        .position(|l| l.contains("oops: [unclosed"))
        .unwrap()
        + 1;
    save(&manifest, &broken);
    let overlay = wait(
        "const o = document.querySelector('.meshdoc-live'); return o && !o.hidden && o.textContent",
        "the overlay",
    );
    let overlay = overlay.as_str().unwrap().to_string();
    assert!(
        overlay.contains(&format!("mesh/example.odps.yaml:{bad_line}:")),
        "{overlay}\n{}",
        server.log()
    );
    assert!(
        overlay.contains("still serving the last good site"),
        "{overlay}"
    );
    assert_eq!(
        driver.js(
            "return document.querySelector('h1').textContent.trim()",
            vec![]
        ),
        json!("Orders")
    );

    // The fix: the page reloads (the mark set on this page is gone) with the new name, no overlay.
    driver.js("window.meshdocTestMark = 1; return 1", vec![]);
    save(
        &manifest,
        &original.replace("\nname: Orders\n", "\nname: Orders Fixed\n"),
    );
    wait(
        "return !window.meshdocTestMark && document.readyState === 'complete' && document.querySelector('h1').textContent.includes('Orders Fixed') && !document.querySelector('.meshdoc-live')",
        "the reload after the fix",
    );
    driver.assert_no_csp_violations();
    server.interrupt();
}

#[test]
fn a_commit_to_a_local_repository_rebuilds() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("SKIPPED a_commit_to_a_local_repository_rebuilds: git is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("orders");
    std::fs::create_dir_all(&repo).unwrap();
    let manifest = init(&repo);
    std::fs::remove_file(repo.join("meshdoc.toml")).unwrap();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(args)
            .current_dir(&repo)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "first"]);
    std::fs::write(
        tmp.path().join("meshdoc.toml"),
        "[[sources]]\ngit = \"orders\"\n",
    )
    .unwrap();
    let server = Server::start(tmp.path(), &[]);
    let log = || server.log();
    server.wait_for_page("/products/orders/", "the product", |c, b| {
        c == 200 && b.contains("Orders")
    });
    let events = server.events();
    next_event(&events, "status", &log);

    // An edit in the working tree is not what a git source reads: the commit is.
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("\nname: Orders\n", "\nname: Orders Committed\n"),
    )
    .unwrap();
    git(&["commit", "-q", "-am", "rename"]);
    next_event(&events, "reload", &log);
    server.wait_for_page("/products/orders/", "the committed name", |c, b| {
        c == 200 && b.contains("Orders Committed")
    });
    drop(events);
    server.interrupt();
}
