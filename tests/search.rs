//! Search, tested in a real headless Chromium: a relevance suite of golden queries typed into the
//! real page of a built test catalog (served from a sub-path), hostile queries, keyboard use,
//! facets and the query in the URL, and the built sample opened from `file://`.
//!
//! Needs `chromium` and `chromedriver` (Debian: `apt-get install chromium chromium-driver`);
//! without them the browser tests are skipped with a loud message, unless
//! MESHDOC_REQUIRE_BROWSER is set (as `.ci/run` does), when they fail.

#[path = "support/browser.rs"]
mod browser;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use meshdoc::config::{Config, SourceConfig};
use serde_json::{json, Value};

use browser::{Driver, KEY_CONTROL, KEY_DOWN, KEY_ENTER};

struct Spec {
    id: &'static str,
    name: &'static str,
    domain: &'static str,
    owner: &'static str,
    status: &'static str,
    tags: &'static [&'static str],
    description: &'static str,
    /// (name, description, pii)
    columns: &'static [(&'static str, &'static str, bool)],
}

const CATALOG: &[Spec] = &[
    Spec {
        id: "customer_lifetime_value",
        name: "Customer Lifetime Value",
        domain: "marketing",
        owner: "growth-team",
        status: "active",
        tags: &["ltv", "finance"],
        description: "Predicted revenue per customer over the next 24 months.",
        columns: &[
            ("customer_id", "Pseudonymous customer id.", false),
            ("predicted_clv", "Predicted value in EUR.", false),
            ("email", "Contact address for campaigns.", true),
        ],
    },
    Spec {
        id: "lifetime-value-benchmarks",
        name: "Lifetime Value Benchmarks",
        domain: "marketing",
        owner: "growth-team",
        status: "draft",
        tags: &["ltv"],
        description: "Industry benchmarks to compare our models against.",
        columns: &[("segment", "Industry segment.", false)],
    },
    Spec {
        id: "marketing-spend",
        name: "Marketing Spend",
        domain: "marketing",
        owner: "growth-team",
        status: "active",
        tags: &["finance"],
        description: "Daily spend per channel, used to measure the customer lifetime value uplift of campaigns.",
        columns: &[("channel", "Paid channel.", false), ("spend_eur", "Spend.", false)],
    },
    Spec {
        id: "orders",
        name: "Orders",
        domain: "sales",
        owner: "checkout-team",
        status: "active",
        tags: &["orders"],
        description: "Every order placed in the webshop.",
        columns: &[
            ("order_id", "Order id.", false),
            ("customer_id", "Who ordered.", false),
            ("order_total", "Total in cents.", false),
        ],
    },
    Spec {
        id: "orders-archive",
        name: "Orders Archive",
        domain: "sales",
        owner: "checkout-team",
        status: "deprecated",
        tags: &["orders", "legacy"],
        description: "Orders placed before 2021.",
        columns: &[("order_id", "Order id.", false)],
    },
    Spec {
        id: "order-lines",
        name: "Order Lines",
        domain: "sales",
        owner: "checkout-team",
        status: "active",
        tags: &[],
        description: "One row per line item of an order.",
        columns: &[("sku", "Article.", false), ("quantity", "Units.", false)],
    },
    Spec {
        id: "customer-orders-summary",
        name: "Customer Orders Summary",
        domain: "sales",
        owner: "checkout-team",
        status: "active",
        tags: &[],
        description: "Orders per customer and month.",
        columns: &[("customer_id", "Customer.", false), ("orders_count", "Orders.", false)],
    },
    Spec {
        id: "parcel-events",
        name: "Parcel Events",
        domain: "logistics",
        owner: "logistics-team",
        status: "active",
        tags: &["events"],
        description: "Scans of parcels along the delivery route.",
        columns: &[
            ("event_id", "Scan id.", false),
            ("shipment_tracking_number", "Carrier tracking number of the parcel.", false),
            ("scanned_at", "When the parcel was scanned.", false),
        ],
    },
    Spec {
        id: "fleet-telemetry",
        name: "Fleet Telemetry",
        domain: "logistics",
        owner: "logistics-team",
        status: "proposed",
        tags: &["iot"],
        description: "GPS pings of delivery vans; tracking of vehicles, not parcels.",
        columns: &[("vehicle_id", "Van.", false), ("lat", "Latitude.", false)],
    },
];

const GROUPS: &str = r#"apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: growth-team, title: Growth, description: Acquisition and retention analytics. }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: checkout-team, title: Checkout }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: logistics-team, title: Last Mile Logistics }
spec: { type: team, children: [] }
"#;

/// Write the relevance catalog: one ODPS product and one ODCS contract per spec.
fn write_catalog(dir: &Path) {
    let repo = dir.join("repo");
    fs::create_dir_all(&repo).unwrap();
    fs::write(repo.join("groups.yaml"), GROUPS).unwrap();
    for s in CATALOG {
        let tags: Vec<String> = s.tags.iter().map(|t| format!("\"{t}\"")).collect();
        let product = format!(
            "apiVersion: v1.0.0\nkind: DataProduct\nid: {id}\nname: {name}\nstatus: {status}\ndomain: {domain}\n\
             description:\n  purpose: \"{desc}\"\ntags: [{tags}]\nteam:\n  name: {owner}\n\
             outputPorts:\n  - name: main\n    version: 1.0.0\n    contractId: {id}-contract\n",
            id = s.id,
            name = s.name,
            status = s.status,
            domain = s.domain,
            desc = s.description,
            tags = tags.join(", "),
            owner = s.owner,
        );
        let mut contract = format!(
            "apiVersion: v3.1.0\nkind: DataContract\nid: {id}-contract\nname: {name} contract\nversion: 1.0.0\n\
             status: {status}\ndomain: {domain}\ndataProduct: {id}\nteam:\n  name: {owner}\nschema:\n  - name: {table}\n    properties:\n",
            id = s.id,
            name = s.name,
            status = s.status,
            domain = s.domain,
            owner = s.owner,
            table = s.id.replace('-', "_"),
        );
        for (col, desc, pii) in s.columns {
            let _ = writeln!(
                contract,
                "      - name: {col}\n        logicalType: string\n        description: \"{desc}\"\n        classification: {}",
                if *pii { "restricted" } else { "internal" }
            );
        }
        fs::write(repo.join(format!("{}.odps.yaml", s.id)), product).unwrap();
        fs::write(repo.join(format!("{}.odcs.yaml", s.id)), contract).unwrap();
    }
}

fn build(sources: &Path, out: &Path) -> meshdoc::BuildReport {
    let mut config = Config::empty(sources);
    config.sources.push(SourceConfig {
        name: None,
        dir: Some(PathBuf::from("repo")),
        ..Default::default()
    });
    config.site.title = "Search test catalog".into();
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.to_path_buf()),
            ..Default::default()
        },
    )
    .unwrap()
}

const READ_RESULTS: &str = r#"
const list = document.getElementById(arguments[0]);
if (!list || list.getAttribute('data-query') !== arguments[1]) return null;
return Array.from(list.querySelectorAll('.sr-item')).map(li => ({
  kind: li.getAttribute('data-kind'),
  title: li.querySelector('.sr-title').textContent,
  href: li.querySelector('a').getAttribute('href'),
  marks: Array.from(li.querySelectorAll('mark')).map(m => m.textContent),
  columns: (li.querySelector('.sr-columns') || {textContent: ''}).textContent,
}));
"#;

/// Clear the box, type the query key by key and return the result list once it shows this query.
fn search(driver: &Driver, input_css: &str, list_id: &str, query: &str) -> Vec<Value> {
    let input = driver.find(input_css);
    driver.clear(&input);
    // chromedriver types only BMP characters; others (emoji) arrive as an IME would send them.
    let mut run = String::new();
    for c in query.chars() {
        if (c as u32) < 0x10000 {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            driver.type_into(&input, &run);
            run.clear();
        }
        driver.js(
            "const el = document.querySelector(arguments[0]); el.focus(); document.execCommand('insertText', false, arguments[1]);",
            vec![json!(input_css), json!(c.to_string())],
        );
    }
    if !run.is_empty() {
        driver.type_into(&input, &run);
    }
    // What the page sees as the query: the value of the box (which keeps at most 1,000 characters).
    let typed = driver.js(
        "return document.querySelector(arguments[0]).value",
        vec![json!(input_css)],
    );
    let v = driver.wait_for(
        READ_RESULTS,
        vec![json!(list_id), typed],
        20,
        &format!("results for {query:?}"),
    );
    v.as_array().cloned().unwrap_or_default()
}

fn titles(results: &[Value]) -> Vec<String> {
    results
        .iter()
        .map(|r| {
            format!(
                "{}: {}",
                r["kind"].as_str().unwrap_or(""),
                r["title"].as_str().unwrap_or("")
            )
        })
        .collect()
}

const ERRORS: &str = "window.__errors = []; window.addEventListener('error', e => window.__errors.push(String(e.message)));";

/// The golden queries: (query, expected results in this order at the top).
const GOLDEN: &[(&str, &[&str])] = &[
    // Exact name first, before names that only start with it.
    (
        "orders",
        &[
            "Product: Orders",
            "Contract: Orders contract",
            "Product: Orders Archive",
        ],
    ),
    // snake_case, camelCase, words and the exact id all find the same product first.
    (
        "customer_lifetime_value",
        &[
            "Product: Customer Lifetime Value",
            "Contract: Customer Lifetime Value contract",
        ],
    ),
    (
        "customerLifetimeValue",
        &[
            "Product: Customer Lifetime Value",
            "Contract: Customer Lifetime Value contract",
        ],
    ),
    (
        "customer lifetime value",
        &[
            "Product: Customer Lifetime Value",
            "Contract: Customer Lifetime Value contract",
        ],
    ),
    // One unmatched word does not empty the result.
    (
        "customer lifetime value zebra",
        &[
            "Product: Customer Lifetime Value",
            "Contract: Customer Lifetime Value contract",
        ],
    ),
    // Name prefix before name words, names before descriptions.
    (
        "lifetime value",
        &[
            "Product: Lifetime Value Benchmarks",
            "Contract: Lifetime Value Benchmarks contract",
            "Product: Customer Lifetime Value",
            "Contract: Customer Lifetime Value contract",
            "Product: Marketing Spend",
        ],
    ),
    // A prefix while typing.
    ("lifeti", &["Product: Lifetime Value Benchmarks"]),
    // A column name finds its contract and the product that exposes it.
    (
        "shipment_tracking_number",
        &["Product: Parcel Events", "Contract: Parcel Events contract"],
    ),
    (
        "shipmentTrackingNumber",
        &["Product: Parcel Events", "Contract: Parcel Events contract"],
    ),
    // Teams by name.
    ("growth", &["Team: Growth"]),
    ("last mile", &["Team: Last Mile Logistics"]),
    // Emoji are ignored, the words still count.
    ("🚀 orders", &["Product: Orders"]),
    // A typo-free word from a description only.
    ("benchmarks", &["Product: Lifetime Value Benchmarks"]),
];

#[test]
fn search_in_a_real_browser() {
    let Some(driver) = browser::browser_or_skip("search_in_a_real_browser") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    write_catalog(dir.path());
    let out = dir.path().join("site");
    let report = build(dir.path(), &out);
    assert_eq!(report.catalog.products.len(), CATALOG.len());
    // Served from a sub-path: every link and every shard must be relative.
    let port = browser::serve(&out, "/deep/sub/path/");
    let base = format!("http://127.0.0.1:{port}/deep/sub/path/");

    // ---- Relevance suite, typed into the header box of a product page ----
    driver.goto(&format!("{base}products/orders/index.html"));
    driver.js(ERRORS, vec![]);
    let mut failures = Vec::new();
    for (query, expected) in GOLDEN {
        let results = search(&driver, "#site-search-input", "site-search-list", query);
        let got = titles(&results);
        let top: Vec<&str> = got
            .iter()
            .take(expected.len())
            .map(String::as_str)
            .collect();
        if top != *expected {
            failures.push(format!(
                "query {query:?}\n  expected top: {expected:?}\n  got:          {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "relevance suite:\n{}",
        failures.join("\n")
    );

    // Matches are highlighted, and a column match names the column.
    let results = search(
        &driver,
        "#site-search-input",
        "site-search-list",
        "shipment_tracking",
    );
    assert!(
        results[0]["columns"]
            .as_str()
            .unwrap()
            .contains("shipment_tracking_number"),
        "{results:?}"
    );
    assert!(results[0]["marks"]
        .as_array()
        .unwrap()
        .contains(&json!("shipment")));
    let results = search(&driver, "#site-search-input", "site-search-list", "cust");
    assert!(
        results[0]["marks"]
            .as_array()
            .unwrap()
            .contains(&json!("Cust")),
        "the typed prefix is highlighted: {results:?}"
    );

    // ---- Hostile queries: no error, no injection, text shown as text ----
    let hostile = [
        ".*+?[(^$|\\",
        "<img src=x onerror=\"window.__xss=1\">",
        "\"quoted\" 'single' `back`",
        "'; DROP TABLE orders; --",
        "%00%2F..%2F",
        "🚀🔥💥",
    ];
    for q in hostile {
        search(&driver, "#site-search-input", "site-search-list", q);
    }
    let long = "orders ".repeat(150);
    let results = search(&driver, "#site-search-input", "site-search-list", &long);
    assert_eq!(titles(&results)[0], "Product: Orders", "1,000 characters");
    let state = driver.js(
        "return {errors: window.__errors, xss: window.__xss === undefined ? null : window.__xss, \
         imgs: document.querySelectorAll('#site-search-popup img').length, \
         status: document.querySelector('.sr-status').textContent}",
        vec![],
    );
    assert_eq!(state["errors"], json!([]), "no script errors: {state}");
    assert_eq!(state["xss"], Value::Null, "no injected script ran");
    assert_eq!(state["imgs"], json!(0), "no injected elements");
    // The HTML query is shown back as text.
    search(
        &driver,
        "#site-search-input",
        "site-search-list",
        "<zzqx>qqqz</zzqx>",
    );
    let status = driver.js(
        "return document.querySelector('.sr-status').textContent + '|' + document.querySelectorAll('zzqx').length",
        vec![],
    );
    assert_eq!(status, json!("No results for “<zzqx>qqqz</zzqx>”|0"));

    // ---- Keyboard: arrows and Enter open a result ----
    search(&driver, "#site-search-input", "site-search-list", "orders");
    driver.press(&[KEY_DOWN]);
    driver.press(&[KEY_DOWN]);
    let active = driver.js(
        "return document.querySelector('#site-search-list .is-active .sr-title').textContent",
        vec![],
    );
    assert_eq!(active, json!("Orders contract"));
    driver.press(&[KEY_ENTER]);
    driver.wait_for(
        "return location.pathname.endsWith('/deep/sub/path/contracts/orders-contract/index.html')",
        vec![],
        10,
        "navigation to the chosen result",
    );

    // ---- "/" and Ctrl-K focus the header box ----
    driver.js("document.activeElement.blur()", vec![]);
    driver.press(&["/"]);
    assert_eq!(
        driver.js("return document.activeElement.id", vec![]),
        json!("site-search-input")
    );
    driver.js("document.activeElement.blur()", vec![]);
    driver.press(&[KEY_CONTROL, "k"]);
    assert_eq!(
        driver.js("return document.activeElement.id", vec![]),
        json!("site-search-input")
    );

    // ---- The search page: query and facets from the URL, facet counts, URL kept in sync ----
    driver.goto(&format!("{base}search/index.html?q=customer&kind=contract"));
    let results = driver.wait_for(
        READ_RESULTS,
        vec![json!("search-results"), json!("customer")],
        20,
        "search page results from ?q=",
    );
    let got = titles(results.as_array().unwrap());
    assert!(!got.is_empty());
    assert!(
        got.iter().all(|t| t.starts_with("Contract: ")),
        "kind=contract filters: {got:?}"
    );
    // Both names start with "customer"; the tie is broken by catalog order, stably.
    assert_eq!(
        got[..2],
        [
            "Contract: Customer Orders Summary contract",
            "Contract: Customer Lifetime Value contract"
        ]
    );
    let facets = driver.wait_for(
        "return document.getElementById('search-results').getAttribute('data-facets') === 'ready' && \
         Array.from(document.querySelectorAll('.facet-option')).map(l => l.textContent)",
        vec![],
        20,
        "facet counts",
    );
    let facets: Vec<String> = facets
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    // Kind counts ignore the kind filter itself (so the user sees what else there is).
    // "customer" is in 4 products (names, a description, exposed columns) and 3 contracts.
    assert!(facets.contains(&"Product4".to_string()), "{facets:?}");
    assert!(facets.contains(&"Contract3".to_string()), "{facets:?}");
    // Other facets count within the contracts only; the PII facet knows the email column.
    assert!(facets.contains(&"sales2".to_string()), "{facets:?}");
    assert!(facets.contains(&"marketing1".to_string()), "{facets:?}");
    assert!(facets.contains(&"yes1".to_string()), "{facets:?}");
    // Narrow by a facet with a click; the URL follows.
    let pii = driver.find(".facet-option input[name=pii][value=yes]");
    driver.click(&pii);
    let results = driver.wait_for(
        "return location.search.includes('pii=yes') && document.querySelectorAll('#search-results .sr-item').length === 1 && \
         document.querySelector('#search-results .sr-title').textContent",
        vec![],
        20,
        "the PII filter",
    );
    assert_eq!(results, json!("Customer Lifetime Value contract"));
    let input = driver.find("#search-input");
    driver.type_into(&input, " value");
    driver.wait_for(
        "return new URLSearchParams(location.search).get('q') === 'customer value'",
        vec![],
        20,
        "the query in the URL",
    );

    // ---- Without JavaScript the page offers listings that reach every product ----
    let html = fs::read_to_string(out.join("search/index.html")).unwrap();
    for link in [
        "../status/active/index.html",
        "../status/deprecated/index.html",
        "../tags/ltv/index.html",
        "../domains/marketing/index.html",
        "../teams/growth-team/index.html",
    ] {
        assert!(html.contains(link), "search page links {link}");
    }
    let mut reached = std::collections::BTreeSet::new();
    for entry in walk(&out.join("status")) {
        let page = fs::read_to_string(entry).unwrap();
        for s in CATALOG {
            if page.contains(&format!("products/{}/index.html", s.id)) {
                reached.insert(s.id);
            }
        }
    }
    assert_eq!(
        reached.len(),
        CATALOG.len(),
        "status listings reach every product"
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_sample_searches_from_file_urls() {
    let Some(driver) = browser::browser_or_skip("the_sample_searches_from_file_urls") else {
        return;
    };
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let config = Config::load(&repo.join("meshdoc.toml")).unwrap();
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let url = |path: &str| format!("file://{}/{path}", out.display());

    // The header box on the overview page.
    driver.goto(&url("index.html"));
    driver.js(ERRORS, vec![]);
    let results = search(
        &driver,
        "#site-search-input",
        "site-search-list",
        "customer profiles",
    );
    let got = titles(&results);
    assert_eq!(got[0], "Product: Customer Profiles", "{got:?}");
    let results = search(
        &driver,
        "#site-search-input",
        "site-search-list",
        "marketing_consent",
    );
    let got = titles(&results);
    // The glossary term that defines the column may come first; the contract follows closely.
    assert_eq!(got[0], "Term: Marketing consent", "{got:?}");
    assert!(
        got.iter()
            .take(3)
            .any(|t| t == "Contract: Customer Profiles"),
        "a column finds its contract: {got:?}"
    );
    driver.press(&[KEY_DOWN]);
    driver.press(&[KEY_ENTER]);
    driver.wait_for(
        "return location.protocol === 'file:' && location.pathname.endsWith('/index.html') && !location.pathname.endsWith('/public/index.html')",
        vec![],
        10,
        "opening a result from file://",
    );

    // The search page reads ?q= from a file:// URL too.
    driver.goto(&format!("{}?q=orders", url("search/index.html")));
    let results = driver.wait_for(
        READ_RESULTS,
        vec![json!("search-results"), json!("orders")],
        20,
        "search page results from file://",
    );
    assert_eq!(titles(results.as_array().unwrap())[0], "Product: Orders");
    let errors = driver.js("return window.__errors || []", vec![]);
    assert_eq!(errors, json!([]));
}

/// Without a browser: the sample's index is written, every page has the search box, and the
/// listings the search page falls back to reach every product.
#[test]
fn the_sample_has_an_index_a_search_box_everywhere_and_listings_for_every_product() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let config = Config::load(&repo.join("meshdoc.toml")).unwrap();
    let report = meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let meta = fs::read_to_string(out.join("search/meta.js")).unwrap();
    let json_text = meta
        .strip_prefix("meshdocSearch.load(\"meta\",")
        .and_then(|s| s.strip_suffix(");\n"))
        .expect("meta.js registers itself");
    let meta: Value = serde_json::from_str(json_text).unwrap();
    let docs = meta["docs"].as_u64().unwrap() as usize;
    let c = &report.catalog;
    assert!(docs >= c.products.len() + c.contracts.len() + c.teams.len() + c.domains.len());
    for (i, _) in meta["termShards"].as_array().unwrap().iter().enumerate() {
        assert!(out.join(format!("search/t/{i}.js")).is_file());
    }
    for (i, _) in meta["docShards"].as_array().unwrap().iter().enumerate() {
        assert!(out.join(format!("search/d/{i}.js")).is_file());
    }
    for page in [
        "index.html",
        "products/orders/index.html",
        "contracts/orders-v2/index.html",
        "health/index.html",
    ] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        assert!(html.contains(r#"id="site-search-input""#), "{page}");
        assert!(html.contains("static/search.js"), "{page}");
    }
    let not_found = fs::read_to_string(out.join("404.html")).unwrap();
    assert!(not_found.contains(r#"action="search/index.html""#));
    // Every product is on a status listing (those without a status under "none").
    let mut listed = std::collections::BTreeSet::new();
    for file in walk(&out.join("status")) {
        let html = fs::read_to_string(file).unwrap();
        for p in &c.products {
            if html.contains(&format!("products/{}/index.html\"", p.slug)) {
                listed.insert(p.id.clone());
            }
        }
    }
    assert_eq!(listed.len(), c.products.len());
    // Tag listings are linked from the search page and list what they say.
    let search = fs::read_to_string(out.join("search/index.html")).unwrap();
    assert!(
        search.contains(r#"href="../tags/gdpr/index.html""#),
        "tag link"
    );
    let gdpr = fs::read_to_string(out.join("tags/gdpr/index.html")).unwrap();
    assert!(gdpr.contains("Customer Profiles"));
    assert!(gdpr.contains("<h1>Tag: gdpr</h1>"));
}
