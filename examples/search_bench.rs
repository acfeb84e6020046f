//! Search benchmark: build a synthetic 10,000-product catalog (each product with a contract of
//! 12–30 columns), then measure in headless Chromium what a first query transfers and how long
//! queries take per keystroke.
//!
//! ```sh
//! cargo run --release --example search_bench            # 10,000 products
//! cargo run --release --example search_bench -- 50000   # another size
//! ```
//! Needs chromium + chromedriver for the browser part (index sizes are reported without them).

#[path = "../tests/support/browser.rs"]
mod browser;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{json, Value};

const DOMAINS: &[&str] = &[
    "customer",
    "sales",
    "finance",
    "logistics",
    "marketing",
    "supply",
    "risk",
    "product",
    "pricing",
    "hr",
    "support",
    "payments",
    "inventory",
    "procurement",
    "legal",
    "security",
    "web",
    "mobile",
    "partners",
    "stores",
];
const SUBJECTS: &[&str] = &[
    "customer",
    "order",
    "payment",
    "shipment",
    "invoice",
    "refund",
    "inventory",
    "stock",
    "campaign",
    "session",
    "device",
    "store",
    "supplier",
    "contract",
    "employee",
    "ticket",
    "product",
    "price",
    "promotion",
    "delivery",
    "route",
    "vehicle",
    "warehouse",
    "basket",
    "account",
    "subscription",
    "loyalty",
    "review",
    "return",
    "claim",
];
const QUALIFIERS: &[&str] = &[
    "daily",
    "weekly",
    "monthly",
    "events",
    "snapshot",
    "history",
    "forecast",
    "summary",
    "lifetime value",
    "segments",
    "metrics",
    "quality",
    "attribution",
    "churn",
    "scores",
    "audit",
    "changes",
    "balances",
    "margins",
    "lines",
];
const FIELD_WORDS: &[&str] = &[
    "id",
    "name",
    "amount",
    "total",
    "currency",
    "created",
    "updated",
    "status",
    "type",
    "code",
    "country",
    "city",
    "postal",
    "email",
    "phone",
    "score",
    "count",
    "rate",
    "date",
    "timestamp",
    "quantity",
    "price",
    "discount",
    "tax",
    "net",
    "gross",
    "channel",
    "source",
    "category",
    "segment",
    "region",
    "tracking",
    "number",
    "reference",
    "flag",
    "reason",
];
const PROSE: &[&str] = &[
    "every",
    "record",
    "captured",
    "from",
    "operational",
    "systems",
    "refreshed",
    "hourly",
    "used",
    "for",
    "reporting",
    "analytics",
    "forecasting",
    "compliance",
    "teams",
    "across",
    "company",
    "aggregated",
    "per",
    "day",
    "including",
    "late",
    "arriving",
    "corrections",
    "pseudonymised",
    "identifiers",
    "only",
    "golden",
    "source",
    "truth",
    "downstream",
    "consumers",
    "join",
    "on",
    "key",
    "partitioned",
    "by",
    "month",
];

/// A tiny deterministic generator (xorshift), so every run builds the same catalog.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() % list.len() as u64) as usize]
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(PROSE));
    }
    s
}

fn generate(dir: &Path, products: usize) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for repo in 0..20 {
        fs::create_dir_all(dir.join(format!("repo{repo:02}"))).unwrap();
    }
    for i in 0..products {
        let domain = DOMAINS[i % DOMAINS.len()];
        let subject = rng.pick(SUBJECTS);
        let qualifier = rng.pick(QUALIFIERS);
        let name = format!("{} {} {}", cap(subject), qualifier, i);
        let id = format!("{}-{}-{i}", subject, qualifier.replace(' ', "-"));
        let team = format!("{domain}-team-{}", rng.below(15));
        let status = ["active", "active", "active", "draft", "deprecated"][rng.below(5) as usize];
        let desc = sentence(&mut rng, 24);
        let product = format!(
            "apiVersion: v1.0.0\nkind: DataProduct\nid: {id}\nname: {name}\nstatus: {status}\ndomain: {domain}\n\
             description:\n  purpose: \"{desc}\"\ntags: [{subject}, {domain}]\nteam:\n  name: {team}\n\
             outputPorts:\n  - name: main\n    version: 1.0.0\n    contractId: {id}-v1\n"
        );
        let mut contract = format!(
            "apiVersion: v3.1.0\nkind: DataContract\nid: {id}-v1\nname: {name}\nversion: 1.0.0\nstatus: {status}\n\
             domain: {domain}\ndataProduct: {id}\nteam:\n  name: {team}\nschema:\n  - name: {table}\n    properties:\n",
            table = id.replace('-', "_"),
        );
        let columns = 12 + rng.below(19) as usize;
        let mut seen = Vec::new();
        for c in 0..columns {
            let col = if c == 0 {
                format!("{subject}_id")
            } else {
                format!("{}_{}", rng.pick(SUBJECTS), rng.pick(FIELD_WORDS))
            };
            if seen.contains(&col) {
                continue;
            }
            let pii = col.ends_with("_email") || col.ends_with("_phone");
            let _ = writeln!(
                contract,
                "      - name: {col}\n        logicalType: string\n        description: \"{}\"\n        classification: {}",
                sentence(&mut rng, 8),
                if pii { "restricted" } else { "internal" }
            );
            seen.push(col);
        }
        let repo = dir.join(format!("repo{:02}", i % 20));
        fs::write(repo.join(format!("{id}.odps.yaml")), product).unwrap();
        fs::write(repo.join(format!("{id}.odcs.yaml")), contract).unwrap();
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn dir_size(dir: &Path) -> (u64, usize, u64) {
    let (mut total, mut files, mut largest) = (0, 0, 0);
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            let (t, f, l) = dir_size(&p);
            total += t;
            files += f;
            largest = largest.max(l);
        } else {
            let n = e.metadata().unwrap().len();
            total += n;
            files += 1;
            largest = largest.max(n);
        }
    }
    (total, files, largest)
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

fn main() {
    let products: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let clock = Instant::now();
    generate(dir.path(), products);
    println!(
        "generated {products} products + {products} contracts in {:.1}s",
        clock.elapsed().as_secs_f64()
    );
    let mut config = meshdoc::config::Config::empty(dir.path());
    config.sources.push(meshdoc::config::SourceConfig {
        name: None,
        dir: Some(PathBuf::from("*")),
        ..Default::default()
    });
    let out = dir.path().join("site");
    let clock = Instant::now();
    let report = meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    println!(
        "built {} pages in {:.1}s ({:?})",
        report.pages,
        clock.elapsed().as_secs_f64(),
        report.timings
    );
    let search = out.join("search");
    let (total, files, _) = dir_size(&search);
    let (t_size, t_files, t_largest) = dir_size(&search.join("t"));
    let (d_size, d_files, d_largest) = dir_size(&search.join("d"));
    let facets = fs::metadata(search.join("facets.js")).unwrap().len();
    let meta = fs::metadata(search.join("meta.js")).unwrap().len();
    let script = fs::metadata(out.join("static/search.js")).unwrap().len();
    println!("index: {} in {files} files", kb(total));
    println!(
        "  term shards: {} in {t_files} files (largest {})",
        kb(t_size),
        kb(t_largest)
    );
    println!(
        "  doc shards:  {} in {d_files} files (largest {})",
        kb(d_size),
        kb(d_largest)
    );
    println!(
        "  meta.js {}, facets.js {}, static/search.js {}",
        kb(meta),
        kb(facets),
        kb(script)
    );

    let Some(driver) = browser::browser_or_skip("search_bench") else {
        return;
    };
    let port = browser::serve(&out, "/catalog/");
    let base = format!("http://127.0.0.1:{port}/catalog/");
    let size_of = |path: &str| fs::metadata(out.join(path)).map(|m| m.len()).unwrap_or(0);
    let queries = [
        "customer",
        "order total",
        "shipment_tracking_number",
        "customerLifetimeValue",
        "inventory forecast daily",
        "refund reason code",
        "payments weekly 42",
        "warehouse",
        "zzqx nothing",
    ];
    println!();
    println!(
        "header box, fresh page per query, typed key by key (ms from keystroke to results shown):"
    );
    let mut all_ms = Vec::new();
    let mut worst_first = 0;
    for q in queries {
        driver.goto(&format!("{base}index.html"));
        let input = driver.find("#site-search-input");
        let mut per_key = Vec::new();
        let mut first_transfer = None;
        let mut typed = String::new();
        for c in q.chars() {
            typed.push(c);
            driver.type_into(&input, &c.to_string());
            if typed.trim().is_empty() || typed.ends_with(' ') {
                continue;
            }
            let last = driver.wait_for(
                "const l = window.meshdocSearch && window.meshdocSearch.last; return l && l.query === arguments[0] && l",
                vec![json!(typed)],
                30,
                "results",
            );
            per_key.push(last["ms"].as_f64().unwrap_or(0.0));
            if first_transfer.is_none() {
                let loaded: u64 = last["loaded"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| size_of(p.as_str().unwrap()))
                    .sum::<u64>()
                    + script;
                first_transfer = Some(loaded);
            }
        }
        let last = driver.js("return window.meshdocSearch.last", vec![]);
        let loaded: u64 = last["loaded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| size_of(p.as_str().unwrap_or("")))
            .sum::<u64>()
            + script;
        let first = first_transfer.unwrap_or(0);
        worst_first = worst_first.max(first);
        let max = per_key.iter().cloned().fold(0.0, f64::max);
        let warm: Vec<f64> = per_key.iter().skip(1).cloned().collect();
        println!(
            "  {q:<28} {:>5} results  first keystroke: {:>6.1} ms, {:>8}  whole query: {:>8} loaded  max {:>6.1} ms  median {:>5.1} ms",
            last["total"],
            per_key.first().copied().unwrap_or(0.0),
            kb(first),
            kb(loaded),
            max,
            median(&warm),
        );
        all_ms.extend(per_key);
    }
    all_ms.sort_by(|a, b| a.total_cmp(b));
    println!(
        "keystrokes: {}  median {:.1} ms  p95 {:.1} ms  max {:.1} ms; worst first-result transfer {}",
        all_ms.len(),
        median(&all_ms),
        all_ms[(all_ms.len() * 95 / 100).min(all_ms.len() - 1)],
        all_ms.last().copied().unwrap_or(0.0),
        kb(worst_first)
    );

    // The search page (with facets) from a shared URL.
    driver.goto(&format!(
        "{base}search/index.html?q=customer+lifetime+value&domain=marketing"
    ));
    let v: Value = driver.wait_for(
        "const l = document.getElementById('search-results'); return l.getAttribute('data-facets') === 'ready' && window.meshdocSearch.last",
        vec![],
        30,
        "search page",
    );
    let loaded: u64 = v["loaded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| size_of(p.as_str().unwrap_or("")))
        .sum::<u64>()
        + script;
    println!(
        "search page ?q=customer+lifetime+value&domain=marketing: {} results in {:.1} ms, {} loaded (with facets)",
        v["total"],
        v["ms"].as_f64().unwrap_or(0.0),
        kb(loaded)
    );
}

fn median(v: &[f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    s[s.len() / 2]
}
