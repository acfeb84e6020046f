//! Git sources end to end: real repositories made with the `git` binary, read through gix.

#[path = "support/catalog_json.rs"]
mod catalog_json;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use meshdoc::config::{Config, SourceConfig};

const PRODUCT: &str = "apiVersion: v1.0.0\nkind: DataProduct\nid: orders\nname: Orders\nstatus: active\ndomain: sales\nteam:\n  name: sales-team\noutputPorts:\n  - name: table\n    version: 1.0.0\n    contractId: orders-v1\n";
const CONTRACT_V1: &str = "apiVersion: v3.1.0\nkind: DataContract\nid: orders-v1\nname: Orders\nversion: 1.0.0\nstatus: active\nschema:\n  - name: orders\n    properties:\n      - name: order_id\n        logicalType: string\n";

/// Run git with a fixed identity and date, so tests are reproducible.
fn git(dir: &Path, args: &[&str], author: (&str, &str), date: &str) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", author.0)
        .env("GIT_AUTHOR_EMAIL", author.1)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_NAME", author.0)
        .env("GIT_COMMITTER_EMAIL", author.1)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const ALICE: (&str, &str) = ("Alice Analyst", "alice@example.com");
const BOB: (&str, &str) = ("Bob Builder", "bob@example.com");

fn commit_file(
    repo: &Path,
    rel: &str,
    text: &str,
    author: (&str, &str),
    date: &str,
    message: &str,
) {
    let path = repo.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    git(repo, &["add", "-A"], author, date);
    git(repo, &["commit", "-q", "-m", message], author, date);
}

fn init(dir: &Path) -> PathBuf {
    fs::create_dir_all(dir).unwrap();
    git(
        dir,
        &["init", "-q", "-b", "main"],
        ALICE,
        "2026-01-01T00:00:00Z",
    );
    dir.to_path_buf()
}

/// A repository with history by two authors: product first, then the contract, then a change.
fn sales_repo(root: &Path) -> PathBuf {
    let repo = init(&root.join("sales"));
    commit_file(
        &repo,
        "products/orders.yaml",
        PRODUCT,
        ALICE,
        "2026-03-01T09:00:00Z",
        "Add orders product",
    );
    commit_file(
        &repo,
        "contracts/orders.yaml",
        CONTRACT_V1,
        BOB,
        "2026-03-02T09:00:00Z",
        "Add orders contract",
    );
    commit_file(
        &repo,
        "contracts/orders.yaml",
        &CONTRACT_V1.replace("version: 1.0.0", "version: 1.1.0"),
        ALICE,
        "2026-03-05T12:30:00Z",
        "Orders contract 1.1.0",
    );
    commit_file(
        &repo,
        "README.md",
        "not a manifest",
        BOB,
        "2026-03-06T08:00:00Z",
        "Docs",
    );
    repo
}

fn build(root: &Path, sources: Vec<SourceConfig>) -> (meshdoc::BuildReport, serde_json::Value) {
    let mut config = Config::empty(root);
    config.build.cache_dir = Some(root.join("cache"));
    config.sources = sources;
    let out = root.join("site");
    let report = meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let json = catalog_json::expanded(&out);
    (report, json)
}

fn find<'a>(json: &'a serde_json::Value, kind: &str, id: &str) -> &'a serde_json::Value {
    json[kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("{kind} {id} missing"))
}

#[test]
fn provenance_from_history_of_several_authors_and_a_bare_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let sales = sales_repo(root);
    // A second team publishes through a bare mirror (no working tree).
    let finance = init(&root.join("finance-src"));
    commit_file(
        &finance,
        "dp.yaml",
        &PRODUCT
            .replace("id: orders", "id: revenue")
            .replace("orders-v1", "revenue-v1"),
        BOB,
        "2026-04-01T10:00:00Z",
        "Add revenue",
    );
    git(
        root,
        &["clone", "-q", "--bare", "finance-src", "finance.git"],
        BOB,
        "2026-04-01T10:00:00Z",
    );

    let mut sales_source = SourceConfig::git(sales.to_string_lossy().into_owned());
    sales_source.web = Some("https://git.example.com/{repo}/blob/{commit}/{path}".into());
    let (report, json) = build(
        root,
        vec![
            sales_source,
            SourceConfig::git(root.join("finance.git").to_string_lossy().into_owned()),
        ],
    );
    assert_eq!(report.catalog.sources, vec!["sales", "finance"]);

    let product = find(&json, "products", "orders");
    let origin = &product["origin"];
    assert_eq!(origin["source"], "sales");
    assert_eq!(origin["path"], "products/orders.yaml");
    assert_eq!(origin["ref"], "HEAD");
    assert_eq!(origin["commit"].as_str().unwrap().len(), 40);
    assert_eq!(origin["lastChange"]["author"], "Alice Analyst");
    assert_eq!(origin["lastChange"]["time"], "2026-03-01T09:00:00Z");
    assert_eq!(origin["lastChange"]["summary"], "Add orders product");
    assert!(origin["webUrl"]
        .as_str()
        .unwrap()
        .starts_with("https://git.example.com/sales/blob/"));

    let contract = find(&json, "contracts", "orders-v1");
    assert_eq!(contract["origin"]["lastChange"]["author"], "Alice Analyst");
    assert_eq!(
        contract["origin"]["lastChange"]["time"],
        "2026-03-05T12:30:00Z"
    );
    let history = contract["history"].as_array().unwrap();
    assert_eq!(
        history.len(),
        2,
        "two commits changed the contract: {history:?}"
    );
    assert_eq!(history[1]["change"]["author"], "Bob Builder");
    assert!(
        history[0].get("content").is_none(),
        "contents stay out of catalog.json"
    );
    // The catalog keeps each version's text for later stages.
    let c = report.catalog.contract("orders-v1").unwrap();
    assert!(c.history[1]
        .content
        .as_deref()
        .unwrap()
        .contains("version: 1.0.0"));

    let revenue = find(&json, "products", "revenue");
    assert_eq!(revenue["origin"]["source"], "finance");
    assert_eq!(revenue["origin"]["lastChange"]["author"], "Bob Builder");

    // Pages show it.
    let page = fs::read_to_string(root.join("site/products/orders/index.html")).unwrap();
    assert!(
        page.contains("by <span title=\"alice@example.com\">Alice Analyst</span>"),
        "{page}"
    );
    assert!(
        page.contains(r#"<time datetime="2026-03-01T09:00:00Z" data-relative>2026-03-01</time>"#)
    );
    assert!(page.contains(r#"href="https://git.example.com/sales/blob/"#));
    let contract_page =
        fs::read_to_string(root.join("site/contracts/orders-v1/index.html")).unwrap();
    assert!(
        contract_page.contains("<code>1.0.0</code>")
            && contract_page.contains("<code>1.1.0</code>"),
        "versions listed"
    );
}

#[test]
fn refs_and_path_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let sales = sales_repo(root);
    git(
        &sales,
        &["tag", "v1", "HEAD~2"],
        ALICE,
        "2026-03-07T00:00:00Z",
    );
    let mut at_tag = SourceConfig::git(sales.to_string_lossy().into_owned());
    at_tag.git_ref = Some("v1".into());
    at_tag.paths = vec!["contracts/**".into()];
    let (report, json) = build(root, vec![at_tag]);
    assert!(
        report.catalog.product("orders").is_none(),
        "filtered out by `paths`"
    );
    let contract = find(&json, "contracts", "orders-v1");
    assert_eq!(
        contract["version"], "1.0.0",
        "read at the tag, before the bump"
    );
    assert_eq!(contract["origin"]["ref"], "v1");
}

#[test]
fn a_file_remote_is_cloned_then_fetched() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let sales = sales_repo(root);
    let url = format!("file://{}", sales.display());
    let (report, json) = build(root, vec![SourceConfig::git(url.clone())]);
    assert_eq!(find(&json, "contracts", "orders-v1")["version"], "1.1.0");
    assert_eq!(report.catalog.sources, vec!["sales"]);
    assert!(
        fs::read_dir(root.join("cache/git")).unwrap().count() == 1,
        "cloned into the cache"
    );

    commit_file(
        &sales,
        "contracts/orders.yaml",
        &CONTRACT_V1.replace("version: 1.0.0", "version: 2.0.0"),
        BOB,
        "2026-05-01T00:00:00Z",
        "Orders 2.0.0",
    );
    let (_, json) = build(root, vec![SourceConfig::git(url)]);
    let contract = find(&json, "contracts", "orders-v1");
    assert_eq!(
        contract["version"], "2.0.0",
        "the new commit's content shows after a fetch"
    );
    assert_eq!(contract["origin"]["lastChange"]["summary"], "Orders 2.0.0");
}

#[test]
fn a_broken_source_among_good_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let sales = sales_repo(root);
    fs::create_dir_all(root.join("not-a-repo")).unwrap();
    let mut bad_ref = SourceConfig::git(sales.to_string_lossy().into_owned());
    bad_ref.name = Some("sales-typo".into());
    bad_ref.git_ref = Some("mian".into());
    let sources = vec![
        SourceConfig::git(root.join("not-a-repo").to_string_lossy().into_owned()),
        SourceConfig::git(sales.to_string_lossy().into_owned()),
        bad_ref,
        SourceConfig::git(format!("file://{}/missing.git", root.display())),
    ];
    let (report, _) = build(root, sources);
    let catalog = &report.catalog;
    assert!(
        catalog.product("orders").is_some(),
        "the good repository still builds"
    );
    let codes: Vec<(&str, &str)> = catalog
        .diagnostics
        .iter()
        .map(|d| (d.source.as_str(), d.code.as_str()))
        .collect();
    assert!(
        codes.contains(&("not-a-repo", "source-unreadable")),
        "{codes:?}"
    );
    assert!(codes.contains(&("sales-typo", "unknown-ref")), "{codes:?}");
    assert!(codes.contains(&("missing", "clone-failed")), "{codes:?}");
    let typo = catalog
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-ref")
        .unwrap();
    assert!(
        typo.hint.as_deref().unwrap().contains("main"),
        "the hint lists existing branches: {typo:?}"
    );
    let health = fs::read_to_string(root.join("site/health/index.html")).unwrap();
    assert!(health.contains("ref <code>mian</code> does not exist"));
}

#[cfg(unix)]
#[test]
fn symlinks_in_a_repository_never_lead_out() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let repo = init(&root.join("links"));
    fs::create_dir_all(repo.join("p")).unwrap();
    fs::write(repo.join("p/real.yaml"), PRODUCT).unwrap();
    std::os::unix::fs::symlink("real.yaml", repo.join("p/alias.yaml")).unwrap();
    std::os::unix::fs::symlink("../../../../etc/passwd.yaml", repo.join("p/escape.yaml")).unwrap();
    git(&repo, &["add", "-A"], ALICE, "2026-01-02T00:00:00Z");
    git(
        &repo,
        &["commit", "-q", "-m", "links"],
        ALICE,
        "2026-01-02T00:00:00Z",
    );
    let (report, _) = build(
        root,
        vec![SourceConfig::git(repo.to_string_lossy().into_owned())],
    );
    let d = report
        .catalog
        .diagnostics
        .iter()
        .find(|d| d.file == "p/escape.yaml")
        .expect("escape diagnosed");
    assert_eq!(d.code, "symlink-outside-source");
    // The in-repo alias reads the real file (the same document again, read once and reported).
    assert!(report
        .catalog
        .diagnostics
        .iter()
        .any(|d| d.code == "repeated-document" && d.file == "p/real.yaml"));
}

#[test]
fn shallow_clones_are_read_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let sales = sales_repo(root);
    let url = format!("file://{}", sales.display());
    git(
        root,
        &["clone", "-q", "--depth", "1", &url, "shallow"],
        ALICE,
        "2026-01-01T00:00:00Z",
    );
    let (report, _) = build(
        root,
        vec![SourceConfig::git(
            root.join("shallow").to_string_lossy().into_owned(),
        )],
    );
    assert!(report.catalog.contract("orders-v1").is_some());
    assert!(report
        .catalog
        .diagnostics
        .iter()
        .any(|d| d.code == "shallow-repository"));
}

#[test]
fn unchanged_input_is_not_rebuilt_and_unchanged_repositories_are_not_reparsed() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let sales = sales_repo(root);
    let finance = init(&root.join("finance"));
    commit_file(
        &finance,
        "dp.yaml",
        &PRODUCT.replace("id: orders", "id: revenue"),
        BOB,
        "2026-04-01T10:00:00Z",
        "Add revenue",
    );
    let sources = || {
        vec![
            SourceConfig::git(sales.to_string_lossy().into_owned()),
            SourceConfig::git(finance.to_string_lossy().into_owned()),
        ]
    };
    let (first, _) = build(root, sources());
    assert!(!first.up_to_date);
    assert_eq!(first.stats.cached, 0);

    let (second, _) = build(root, sources());
    assert!(
        second.up_to_date,
        "same commits, same config: nothing to do"
    );
    assert_eq!(second.written, 0);

    // One repository moves on: only it is read and parsed again.
    commit_file(
        &finance,
        "dp.yaml",
        &PRODUCT
            .replace("id: orders", "id: revenue")
            .replace("Orders", "Revenue"),
        BOB,
        "2026-04-02T10:00:00Z",
        "Rename",
    );
    let (third, json) = build(root, sources());
    assert!(!third.up_to_date);
    assert_eq!(
        third.stats.cached, 1,
        "the sales repository came from the parse cache"
    );
    assert_eq!(find(&json, "products", "revenue")["name"], "Revenue");
    assert_eq!(
        find(&json, "products", "orders")["origin"]["lastChange"]["author"],
        "Alice Analyst",
        "cached provenance intact"
    );

    // The same repositories named another way (as a config read from another working folder
    // names them) are still the same sources: both come from the parse cache.
    let respelled = vec![
        SourceConfig::git(root.join("finance/../sales").to_string_lossy().into_owned()),
        SourceConfig::git(root.join("./finance").to_string_lossy().into_owned()),
    ];
    let (fourth, _) = build(root, respelled);
    assert_eq!(
        fourth.stats.cached, 2,
        "a path spelled differently keeps the parse cache"
    );

    // A site changed by hand is rebuilt even though the input is the same.
    fs::write(root.join("site/catalog.json"), "{}").unwrap();
    let (fourth, _) = build(root, sources());
    assert!(!fourth.up_to_date);
}

#[test]
fn folder_sources_are_reparsed_when_a_file_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("folder")).unwrap();
    fs::write(root.join("folder/p.yaml"), PRODUCT).unwrap();
    let (_, json) = build(root, vec![SourceConfig::dir(root.join("folder"))]);
    assert_eq!(find(&json, "products", "orders")["name"], "Orders");
    fs::write(
        root.join("folder/p.yaml"),
        PRODUCT.replace("name: Orders", "name: All orders"),
    )
    .unwrap();
    let (report, json) = build(root, vec![SourceConfig::dir(root.join("folder"))]);
    assert!(!report.up_to_date);
    assert_eq!(find(&json, "products", "orders")["name"], "All orders");
}

const CONTRACT_FULL: &str = "apiVersion: v3.1.0\nkind: DataContract\nid: shipments-v1\nname: Shipments\nversion: 1.0.0\nstatus: active\nschema:\n  - name: shipments\n    properties:\n      - name: shipment_id\n        logicalType: string\n        required: true\n      - name: carrier\n        logicalType: string\n    quality:\n      - metric: rowCount\n        mustBeGreaterThan: 1000\n";

#[test]
fn contract_history_classifies_changes_on_pages_feed_and_diff() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let repo = init(&root.join("logistics"));
    commit_file(
        &repo,
        "shipments.yaml",
        CONTRACT_FULL,
        ALICE,
        "2026-06-01T08:00:00Z",
        "Shipments contract",
    );
    // Loosen the threshold (not breaking) and bump the minor version.
    let loosened = CONTRACT_FULL
        .replace("mustBeGreaterThan: 1000", "mustBeGreaterThan: 100")
        .replace("version: 1.0.0", "version: 1.1.0");
    commit_file(
        &repo,
        "shipments.yaml",
        &loosened,
        BOB,
        "2026-06-02T08:00:00Z",
        "Loosen row count",
    );
    // Remove a column (breaking) without moving the version.
    let removed = loosened.replace("      - name: carrier\n        logicalType: string\n", "");
    commit_file(
        &repo,
        "shipments.yaml",
        &removed,
        BOB,
        "2026-06-03T08:00:00Z",
        "Drop carrier",
    );

    let (report, _) = build(
        root,
        vec![SourceConfig::git(repo.to_string_lossy().into_owned())],
    );
    let warning = report
        .catalog
        .diagnostics
        .iter()
        .find(|d| d.code == "version-not-bumped")
        .expect("a breaking change without a version bump is a warning");
    assert!(
        warning.message.contains("kept version 1.1.0"),
        "{}",
        warning.message
    );
    assert_eq!(warning.file, "shipments.yaml");

    let page = fs::read_to_string(root.join("site/contracts/shipments-v1/index.html")).unwrap();
    assert!(page.contains("1 breaking"), "breaking badge on the page");
    assert!(
        page.contains("<code>shipments.carrier</code>"),
        "the removed column is named: {page}"
    );
    let changes = fs::read_to_string(root.join("site/changes/index.html")).unwrap();
    assert!(changes.contains("Drop carrier") && changes.contains("Loosen row count"));
    let drop = changes.find("Drop carrier").unwrap();
    let loosen = changes.find("Loosen row count").unwrap();
    assert!(drop < loosen, "newest first");
    let feed = fs::read_to_string(root.join("site/changes/feed.xml")).unwrap();
    assert!(
        feed.starts_with("<?xml") && feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
    );
    assert!(
        feed.contains("1 breaking") && feed.contains("BREAKING: shipments.carrier"),
        "{feed}"
    );
    let health = fs::read_to_string(root.join("site/health/index.html")).unwrap();
    assert!(health.contains("version-not-bumped"));

    // meshdoc diff: the working file against an earlier commit, and two files.
    let bin = env!("CARGO_BIN_EXE_meshdoc");
    let run = |args: &[&str]| {
        Command::new(bin)
            .args(args)
            .current_dir(&repo)
            .output()
            .unwrap()
    };
    let o = run(&["diff", "shipments.yaml", "--against", "HEAD~1"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "breaking: exit 1; {}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("carrier"));
    fs::write(repo.join("v1.yaml"), CONTRACT_FULL).unwrap();
    fs::write(
        repo.join("v2.yaml"),
        CONTRACT_FULL.replace("mustBeGreaterThan: 1000", "mustBeGreaterThan: 100"),
    )
    .unwrap();
    assert_eq!(
        run(&["diff", "v1.yaml", "v2.yaml"]).status.code(),
        Some(0),
        "loosened only: exit 0"
    );
    assert_eq!(
        run(&["diff", "v2.yaml", "v1.yaml"]).status.code(),
        Some(1),
        "tightened: exit 1"
    );
    assert_eq!(
        run(&["diff", "shipments.yaml", "--against", "no-such-ref"])
            .status
            .code(),
        Some(2)
    );
}

/// Each blob is read once, its size checked after: a manifest over `max_file_bytes` is reported
/// (whether it was read, or was too large to read at all), a large data file is passed over,
/// and the files beside them are read as usual.
#[test]
fn files_over_the_size_limit_in_a_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let repo = sales_repo(root);
    let big_contract = format!(
        "{CONTRACT_V1}description:\n  purpose: \"{}\"\n",
        "x".repeat(3000)
    );
    fs::create_dir_all(repo.join("data")).unwrap();
    fs::write(repo.join("contracts/big.yaml"), big_contract).unwrap();
    // Beyond the 32 MiB a single object read may allocate: never loaded, its size looked up.
    let huge_contract = format!(
        "{CONTRACT_V1}description:\n  purpose: \"{}\"\n",
        "y".repeat(33 << 20)
    );
    fs::write(repo.join("contracts/huge.odcs.yaml"), huge_contract).unwrap();
    let rows: String = (0..200)
        .map(|i| format!("{{\"order_id\": {i}}}\n"))
        .collect();
    fs::write(repo.join("data/orders.json"), rows).unwrap();
    git(&repo, &["add", "-A"], ALICE, "2026-04-01T09:00:00Z");
    git(
        &repo,
        &["commit", "-q", "-m", "big files"],
        ALICE,
        "2026-04-01T09:00:00Z",
    );
    let mut config = Config::empty(root);
    config.build.cache_dir = Some(root.join("cache"));
    config.build.max_file_bytes = 1000;
    config.sources = vec![SourceConfig::git(repo.to_string_lossy().into_owned())];
    let catalog = meshdoc::load_catalog(&config);
    let mut found: Vec<(&str, &str, &str)> = catalog
        .diagnostics
        .iter()
        .filter(|d| d.code == "file-too-large")
        .map(|d| (d.file.as_str(), d.code.as_str(), d.message.as_str()))
        .collect();
    found.sort();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "contracts/big.yaml");
    assert!(found[0].2.starts_with("file is 3"), "{found:?}");
    // Judged by its name alone, as it is never read.
    assert_eq!(found[1].0, "contracts/huge.odcs.yaml");
    assert!(
        found[1].2.starts_with("file is 34603222 bytes"),
        "{found:?}"
    );
    assert!(
        catalog.product("orders").is_some(),
        "the small files are read"
    );
    assert!(catalog.contract("orders-v1").is_some());
}
