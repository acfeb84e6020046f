//! `meshdoc mcp` driven by a real MCP client: the official Python SDK (`mcp` from PyPI, pinned,
//! installed by `.ci/run` into target/mcp-client/) runs tests/mcp_client.py, which starts the
//! server on the built sample, lists its tools and calls each one; the answers are checked here
//! against the built site (owners, lineage neighbours, page URLs that exist, errors for unknown
//! ids and paths out of the site), from a folder and over HTTP. The search ranking is compared
//! with the site's own search.js run in node.
//!
//! Without the client (or node) these tests skip with a message, unless
//! MESHDOC_REQUIRE_MCP_CLIENT is set (as `.ci/run` does), when they fail.

#[path = "support/browser.rs"]
mod browser;
#[path = "support/sample.rs"]
mod sample;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

const TOOLS: [&str; 9] = [
    "search",
    "get_product",
    "get_contract",
    "get_team",
    "get_term",
    "lineage",
    "who_owns",
    "breaching_objectives",
    "how_to_get_access",
];

fn required() -> bool {
    std::env::var_os("MESHDOC_REQUIRE_MCP_CLIENT").is_some()
}

fn skip(test: &str, why: &str) {
    assert!(
        !required(),
        "{test}: {why}, and MESHDOC_REQUIRE_MCP_CLIENT is set"
    );
    eprintln!("!! SKIPPED {test}: {why}. `bash .ci/run` installs it (pinned) and runs this test.");
}

/// The venv's Python when it has the `mcp` package.
fn python(test: &str) -> Option<PathBuf> {
    let py = sample::repo().join("target/mcp-client/bin/python");
    let ok = py.is_file()
        && Command::new(&py)
            .args(["-c", "import mcp.client.stdio"])
            .output()
            .is_ok_and(|o| o.status.success());
    if !ok {
        skip(
            test,
            "the Python MCP client is missing (target/mcp-client with `mcp` from PyPI)",
        );
        return None;
    }
    Some(py)
}

/// Run the client against `meshdoc mcp --site SITE` with these calls; its JSON report.
fn drive(py: &Path, site: &str, calls: &Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calls.json");
    fs::write(&file, calls.to_string()).unwrap();
    let out = Command::new(py)
        .arg(sample::repo().join("tests/mcp_client.py"))
        .arg(&file)
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_meshdoc"))
        .args(["mcp", "--site", site])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "client failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stdout));
    })
}

/// The answer of call `i`, checking that it succeeded (or failed) as expected.
fn answer(report: &Value, i: usize, error: bool) -> &Value {
    let call = &report["calls"][i];
    assert_eq!(
        call["isError"].as_bool(),
        Some(error),
        "call {i} {}: {}",
        call["args"],
        call["text"]
    );
    assert!(
        !call["text"].as_str().unwrap_or("").is_empty(),
        "call {i} has no text"
    );
    &call["structured"]
}

/// Every page URL in an answer, for checking that each exists.
fn urls(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                if let (true, Some(s)) = (k == "url" || k.ends_with("Url"), x.as_str()) {
                    out.push(s.to_string());
                }
                urls(x, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|x| urls(x, out)),
        _ => {}
    }
}

/// The built sample's catalog.json.
fn catalog() -> Value {
    serde_json::from_str(&sample::page("catalog.json")).unwrap()
}

fn record<'a>(catalog: &'a Value, list: &str, id: &str) -> &'a Value {
    catalog[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{list}/{id} not in catalog.json"))
}

fn ids(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

#[test]
fn a_real_client_lists_the_tools_and_each_answers_on_the_sample() {
    let Some(py) = python("mcp folder") else {
        return;
    };
    let site = sample::site();
    let cat = catalog();
    let hostile = format!(
        "{}\u{0}\u{1b}[2J.*+?()[]{{}}|^$\\ <script>alert(1)</script> ../../etc/passwd",
        "(a+)+".repeat(20_000)
    );
    let glossary = cat
        .get("terms")
        .and_then(|t| t.as_array()?.first()?.get("id").cloned());
    let calls = json!([
        {"tool": "search", "args": {"query": "orders"}},
        {"tool": "search", "args": {"query": "customer lifetime value", "kind": "product", "limit": 3}},
        {"tool": "search", "args": {"query": hostile}},
        {"tool": "get_product", "args": {"id": "orders"}},
        {"tool": "get_product", "args": {"id": "ordres"}},
        {"tool": "get_product", "args": {"id": "../../../etc/passwd"}},
        {"tool": "get_contract", "args": {"id": "loyalty-accounts-v1"}},
        {"tool": "get_contract", "args": {"id": "loyalty-accounts-v1", "version": "1.0.0"}},
        {"tool": "get_contract", "args": {"id": "loyalty-accounts-v1", "version": "7.7.7"}},
        {"tool": "get_team", "args": {"id": "checkout-team"}},
        {"tool": "get_term", "args": {"id": glossary.clone().unwrap_or(json!("order"))}},
        {"tool": "lineage", "args": {"id": "orders", "direction": "down", "hops": 1}},
        {"tool": "lineage", "args": {"id": "campaign-attribution", "direction": "up", "hops": 2}},
        {"tool": "who_owns", "args": {"id": "orders"}},
        {"tool": "breaching_objectives", "args": {}},
        {"tool": "how_to_get_access", "args": {"product": "orders", "port": "orders_snowflake"}},
        {"tool": "how_to_get_access", "args": {"product": "orders", "port": "nope"}},
        {"tool": "lineage", "args": {"id": "/etc/passwd"}},
        {"tool": "get_team", "args": {"id": "..\\..\\windows"}},
    ]);
    let r = drive(&py, site.to_str().unwrap(), &calls);

    let listed: BTreeSet<&str> = r["tools"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(listed, TOOLS.into_iter().collect());
    for t in r["tools"].as_array().unwrap() {
        assert!(t["description"].as_str().is_some_and(|d| d.len() > 20));
        assert_eq!(t["inputSchema"]["type"], "object", "{}", t["name"]);
    }

    // search: the product named "orders" first, its contract next.
    let s = answer(&r, 0, false);
    assert_eq!(s["results"][0]["id"], "orders");
    assert_eq!(s["results"][0]["kind"], "product");
    assert!(s["total"].as_u64().unwrap() >= 4);
    let s = answer(&r, 1, false);
    assert_eq!(s["results"][0]["id"], "customer-lifetime-value");
    let results = s["results"].as_array().unwrap();
    assert!(results.len() <= 3 && results.iter().all(|x| x["kind"] == "product"));
    // A hostile query is cut to size and treated as words: an answer, not a crash.
    let _ = &r["calls"][2]["text"];
    assert!(r["calls"][2]["structured"].is_object());

    // get_product: the record beside the page, with the page's address.
    let p = answer(&r, 3, false);
    assert_eq!(p["id"], "orders");
    assert_eq!(p["owner"], "checkout-team");
    assert!(r["calls"][3]["text"]
        .as_str()
        .unwrap()
        .contains("checkout-team"));
    let e = answer(&r, 4, true);
    assert!(ids(&e["didYouMean"]).contains("orders"), "{e}");
    assert!(r["calls"][4]["text"].as_str().unwrap().contains("orders"));
    answer(&r, 5, true);

    // get_contract: current, an earlier version, and an unknown version naming the known ones.
    let c = answer(&r, 6, false);
    assert_eq!(c["version"], "1.1.0");
    let old = answer(&r, 7, false);
    assert_eq!(old["version"], "1.0.0");
    assert!(old["pageUrl"].as_str().unwrap().contains("/v/1.0.0/"));
    let e = answer(&r, 8, true);
    assert_eq!(
        ids(&e["versions"]),
        ["1.0.0", "1.1.0"].map(String::from).into()
    );

    // get_team: members by name, the products it owns.
    let t = answer(&r, 9, false);
    let members: Vec<&str> = t["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    assert!(members.contains(&"Priya Raman"), "{members:?}");
    let owned: BTreeSet<String> = t["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    let expected: BTreeSet<String> = cat["products"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["owner"] == "checkout-team")
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(owned, expected);

    // get_term: the glossary when the site has one, a clear refusal when not.
    match &glossary {
        Some(id) => assert_eq!(answer(&r, 10, false)["id"], *id),
        None => {
            answer(&r, 10, true);
            assert!(r["calls"][10]["text"]
                .as_str()
                .unwrap()
                .contains("no glossary"));
        }
    }

    // lineage: the neighbours catalog.json lists, one hop and two.
    let down = answer(&r, 11, false);
    let found: BTreeSet<String> = down["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        found,
        ids(&record(&cat, "products", "orders")["downstream"])
    );
    let up = answer(&r, 12, false);
    let direct: BTreeSet<String> = up["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["hops"] == 1 && n["kind"] == "product")
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        direct,
        ids(&record(&cat, "products", "campaign-attribution")["upstream"])
    );
    assert!(up["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["hops"] == 2));

    // who_owns: the team, its people, whom to ask.
    let o = answer(&r, 13, false);
    assert_eq!(o["owner"]["id"], "checkout-team");
    assert_eq!(o["owner"]["kind"], "team");
    assert!(o["support"][0]["channel"] == "#data-orders", "{o}");
    assert!(o["ask"].as_str().unwrap().contains("#data-orders"));
    assert!(o["teamMembers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["email"] == "priya.raman@northwind.example"));

    // breaching_objectives: exactly the products whose metrics fail, with the failing rule.
    let b = answer(&r, 14, false);
    let failing: BTreeSet<String> = cat["products"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["health"]["metrics"] == "failing")
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    let listed: BTreeSet<String> = b["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!failing.is_empty());
    assert_eq!(listed, failing);
    for p in b["products"].as_array().unwrap() {
        let rules = p["failing"].as_array().unwrap();
        assert!(
            !rules.is_empty() && rules.iter().all(|o| o["status"] == "fail"),
            "{p}"
        );
    }

    // how_to_get_access: the contract's roles and approvers; an unknown port names the ports.
    let a = answer(&r, 15, false);
    let port = &a["ports"][0];
    assert_eq!(port["contract"]["contract"]["id"], "orders-v2");
    let roles = port["contract"]["roles"].as_array().unwrap();
    assert!(roles.iter().any(|x| x["name"] == "SALES_ORDERS_PII_READER"
        && ids(&x["approvers"]).contains("privacy-office")));
    let e = answer(&r, 16, true);
    assert!(ids(&e["ports"]).contains("orders_snowflake"));

    // Paths and ids that try to leave the site are unknown ids, nothing more.
    answer(&r, 17, true);
    answer(&r, 18, true);

    // Every URL in every answer is a file of the built site.
    let mut all = Vec::new();
    for call in r["calls"].as_array().unwrap() {
        urls(&call["structured"], &mut all);
    }
    let site_root = fs::canonicalize(site).unwrap();
    let prefix = format!("file://{}/", site_root.display());
    let pages: Vec<&String> = all.iter().filter(|u| u.starts_with("file://")).collect();
    assert!(pages.len() > 30, "{pages:?}");
    for u in pages {
        let rel = u
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{u} is outside the site"));
        let rel = rel.split('#').next().unwrap();
        assert!(site_root.join(rel).is_file(), "{u} does not exist");
    }
}

#[test]
fn a_hosted_site_is_read_over_http() {
    let Some(py) = python("mcp url") else {
        return;
    };
    let site = sample::site();
    let port = browser::serve(site, "/catalog/");
    let base = format!("http://127.0.0.1:{port}/catalog/");
    let calls = json!([
        {"tool": "search", "args": {"query": "payments"}},
        {"tool": "who_owns", "args": {"id": "payments"}},
        {"tool": "get_contract", "args": {"id": "orders-v2"}},
        {"tool": "lineage", "args": {"id": "payments", "hops": 2}},
        {"tool": "get_product", "args": {"id": "paymnts"}},
    ]);
    let r = drive(&py, base.trim_end_matches('/'), &calls);
    let s = answer(&r, 0, false);
    assert_eq!(s["results"][0]["id"], "payments");
    let o = answer(&r, 1, false);
    let cat = catalog();
    assert_eq!(
        o["owner"]["id"],
        record(&cat, "products", "payments")["owner"]
    );
    assert_eq!(answer(&r, 2, false)["id"], "orders-v2");
    answer(&r, 3, false);
    assert!(ids(&answer(&r, 4, true)["didYouMean"]).contains("payments"));
    let mut all = Vec::new();
    for call in r["calls"].as_array().unwrap() {
        urls(&call["structured"], &mut all);
    }
    let pages: Vec<&String> = all
        .iter()
        .filter(|u| u.starts_with("http://127.0.0.1"))
        .collect();
    assert!(pages.len() > 5);
    for u in pages {
        let rel = u
            .strip_prefix(&base)
            .unwrap_or_else(|| panic!("{u} is not under {base}"));
        let rel = rel.split('#').next().unwrap();
        let file = site.join(rel);
        let file = if rel.is_empty() || rel.ends_with('/') {
            file.join("index.html")
        } else {
            file
        };
        assert!(file.is_file(), "{u} does not exist");
    }
}

/// `meshdoc mcp` on something that is not a site: a clear message and exit 2, before serving.
fn refused(site: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_meshdoc"))
        .args(["mcp", "--site", site])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{site}");
    assert!(
        out.stdout.is_empty(),
        "stdout is the protocol's; nothing else goes there"
    );
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn what_is_not_a_site_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let missing = refused(dir.path().join("nope").to_str().unwrap());
    assert!(missing.contains("cannot open the site folder"), "{missing}");
    let empty = refused(dir.path().to_str().unwrap());
    assert!(empty.contains("no catalog.json here"), "{empty}");

    let html = dir.path().join("html");
    fs::create_dir(&html).unwrap();
    fs::write(
        html.join("catalog.json"),
        "<!doctype html><title>Login</title>",
    )
    .unwrap();
    assert!(refused(html.to_str().unwrap()).contains("HTML page"));
    let future = dir.path().join("future");
    fs::create_dir(&future).unwrap();
    fs::write(future.join("catalog.json"), r#"{"formatVersion": 99}"#).unwrap();
    assert!(refused(future.to_str().unwrap()).contains("formatVersion 99"));

    // A web server that answers every path with an HTML page (a login wall, a wrong base URL).
    let port = browser::serve(&html, "/");
    let served = refused(&format!("http://127.0.0.1:{port}/"));
    assert!(served.contains("HTML page"), "{served}");
    // Nothing listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = closed.local_addr().unwrap().port();
    drop(closed);
    let unreachable = refused(&format!("http://127.0.0.1:{dead}/"));
    assert!(
        unreachable.contains("could not be fetched"),
        "{unreachable}"
    );
    assert!(refused("ftp://example.invalid/").contains("only a folder or an http"));
    let via_file_url = refused(&format!("file://{}/", html.display()));
    assert!(via_file_url.contains("HTML page"), "{via_file_url}");
}

#[test]
fn the_format_version_read_is_the_one_written() {
    assert_eq!(
        meshdoc::mcp::FORMAT_VERSION,
        meshdoc::render::catalog_json::FORMAT_VERSION as u64
    );
}

#[test]
fn the_tokenizer_is_the_sites() {
    for text in [
        "customer_lifetime_value",
        "CustomerLifetimeValue HTMLParser orderV2Id",
        "Straße Größe 🚀 <b>\"x\"</b> .*+?",
        &"a".repeat(100),
    ] {
        assert_eq!(
            meshdoc::mcp::search::tokens(text),
            meshdoc::render::search::tokens(text),
            "{text}"
        );
    }
}

/// The same queries ranked by the server and by the site's search.js (in node, on the same
/// built index): the same documents in the same order.
#[test]
fn search_ranks_as_the_site_does() {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        skip("mcp search parity", "node is missing");
        return;
    }
    let site = sample::site();
    let queries = [
        "orders",
        "customer lifetime value",
        "cust",
        "email",
        "snowflake orders",
        "deliv",
        "priya",
        "order_id",
        "CustomerLifetime",
        "pii gdpr",
        "zzzz",
        "revenue by store daily",
    ];
    let script = sample::repo().join("tests/mcp_search_parity.js");
    let out = Command::new("node")
        .arg(&script)
        .arg(sample::repo().join("themes/default/static/search.js"))
        .arg(site)
        .args(queries)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let js: Value = serde_json::from_slice(&out.stdout).unwrap();
    let opened = meshdoc::mcp::Site::open(site.to_str().unwrap()).unwrap();
    let mut nonempty = 0;
    for q in queries {
        let ours =
            meshdoc::mcp::search::rank(&opened, &meshdoc::mcp::search::Query::parse(q)).unwrap();
        let theirs: Vec<usize> = serde_json::from_value(js[q].clone()).unwrap();
        assert_eq!(ours, theirs, "{q}");
        nonempty += usize::from(!ours.is_empty());
    }
    assert!(nonempty >= 10);
}
