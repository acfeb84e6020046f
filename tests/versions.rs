//! Versions as first-class: versions kept side by side are one entity with a current version and
//! pages for the others; one id and version in two files is a duplicate, reported at both `id:`
//! lines; a document repeated word for word is read once with one warning. Every file here is our
//! own small case of a pattern seen in real repositories.

#[path = "support/catalog_json.rs"]
mod catalog_json;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use meshdoc::config::{Config, SourceConfig};
use meshdoc::{Catalog, Diagnostic, Severity};

/// An ODCS contract `orders` at `version` with `status`; `columns` as YAML property items.
fn contract(version: &str, status: &str, columns: &str) -> String {
    format!(
        "apiVersion: v3.1.0\nkind: DataContract\nid: orders\nname: Orders\nversion: {version}\nstatus: {status}\nschema:\n  - name: orders\n    properties:\n{columns}"
    )
}

const V1_COLUMNS: &str = "      - name: order_id\n        logicalType: string\n        primaryKey: true\n      - name: amount\n        logicalType: integer\n";
const V2_COLUMNS: &str = "      - name: order_id\n        logicalType: string\n        primaryKey: true\n      - name: total\n        logicalType: number\n";

/// A Bitol ODPS product whose input port reads `orders` at version 1.0.0 (pinned), and whose
/// output port is built from it.
const CONSUMER: &str = "apiVersion: v1.0.0\nkind: DataProduct\nid: billing\nname: Billing\nstatus: active\nversion: 1.0.0\ninputPorts:\n  - name: orders-in\n    version: 1.0.0\n    contractId: orders\noutputPorts:\n  - name: invoices\n    version: 1.0.0\n    inputContracts:\n      - id: orders\n        version: 2.0.0\n";

const HELM_TEMPLATE: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  replicas: {{ .Values.replicas }}\n";
const DATA_CSV: &str = "order_id,created_timestamp,total\n1,2026-01-01T10:00:00Z,12.5\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn config(dir: &Path) -> Config {
    let mut config = Config::empty(dir);
    config.build.cache_dir = Some(dir.join(".cache"));
    config.site.base_url = "https://catalog.example.com/".into();
    config.sources = vec![SourceConfig {
        name: Some("repo".into()),
        dir: Some(dir.join("repo")),
        ..Default::default()
    }];
    config
}

fn load(dir: &Path) -> Catalog {
    meshdoc::load_catalog(&config(dir))
}

fn build(dir: &Path) -> std::path::PathBuf {
    let out = dir.join("site");
    meshdoc::build(
        &config(dir),
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            force: true,
            ..Default::default()
        },
    )
    .expect("the site builds");
    out
}

fn page(site: &Path, rel: &str) -> String {
    fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn check(dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meshdoc"))
        .args(["check", "--source", "repo"])
        .current_dir(dir)
        .output()
        .expect("meshdoc runs")
}

fn problems(catalog: &Catalog) -> Vec<&Diagnostic> {
    catalog
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect()
}

fn with_code<'a>(catalog: &'a Catalog, code: &str) -> Vec<&'a Diagnostic> {
    catalog
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

#[test]
fn versions_side_by_side_are_one_contract_with_its_versions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "repo/contracts/v1/orders.odcs.yaml",
        &contract("1.0.0", "active", V1_COLUMNS),
    );
    write(
        root,
        "repo/contracts/v2/orders.odcs.yaml",
        &contract("2.0.0", "active", V2_COLUMNS),
    );
    write(root, "repo/billing.odps.yaml", CONSUMER);
    // What repositories keep beside their manifests raises nothing.
    write(root, "repo/chart/templates/deployment.yaml", HELM_TEMPLATE);
    write(root, "repo/data/orders.csv", DATA_CSV);

    let catalog = load(root);
    assert!(problems(&catalog).is_empty(), "{:#?}", problems(&catalog));
    assert_eq!(catalog.contracts.len(), 1, "one entity per id");
    let orders = &catalog.contracts[0];
    assert_eq!(
        orders.version.as_deref(),
        Some("2.0.0"),
        "the highest is current"
    );
    assert_eq!(orders.origin.path, "contracts/v2/orders.odcs.yaml");
    let versions = &catalog.contract_versions[0];
    let listed: Vec<(Option<&str>, bool)> = versions
        .iter()
        .map(|v| (v.info.version.as_deref(), v.info.current))
        .collect();
    assert_eq!(listed, vec![(Some("2.0.0"), true), (Some("1.0.0"), false)]);
    assert_eq!(catalog.other_contracts.len(), 1);
    assert_eq!(
        catalog.other_contracts[0].origin.path,
        "contracts/v1/orders.odcs.yaml"
    );

    let out = check(root);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let site = build(root);
    let current = page(&site, "contracts/orders/index.html");
    assert!(current.contains(r#"id="versions""#), "the version list");
    assert!(current.contains(r#"href="../../contracts/orders/v/1.0.0/index.html""#));
    assert!(
        current.contains("contracts/v1/orders.odcs.yaml")
            && current.contains("contracts/v2/orders.odcs.yaml")
    );
    assert!(
        current.contains(r#"href="../../contracts/orders/diff/2.0.0/index.html""#),
        "diff linked"
    );
    assert!(
        !current.contains("You are reading version"),
        "no banner on the current page"
    );

    let old = page(&site, "contracts/orders/v/1.0.0/index.html");
    assert!(
        old.contains("You are reading version <code>1.0.0</code>"),
        "banner"
    );
    assert!(
        old.contains(r#"href="../../../../contracts/orders/index.html""#),
        "links back"
    );
    assert!(old.contains("amount"), "the old version's own schema");
    assert!(page(&site, "contracts/orders/v/1.0.0/source/index.html").contains("amount"));
    assert!(page(&site, "contracts/orders/v/1.0.0/orders.odcs.yaml").contains("version: 1.0.0"));

    let diff = page(&site, "contracts/orders/diff/2.0.0/index.html");
    assert!(
        diff.contains("breaking"),
        "removing a column breaks consumers"
    );
    assert!(diff.contains("orders.amount"));

    // A port that names a version links to that version's page; the current one to the entity.
    let billing = page(&site, "products/billing/index.html");
    assert!(billing.contains(r#"href="../../contracts/orders/v/1.0.0/index.html""#));
    assert!(billing.contains("version <code>2.0.0</code>"));

    let json = catalog_json::expanded(&site);
    let versions = json["contracts"][0]["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["version"], "2.0.0");
    assert_eq!(versions[0]["current"], true);
    assert_eq!(versions[0]["url"], "contracts/orders/");
    assert_eq!(versions[1]["url"], "contracts/orders/v/1.0.0/");
    assert_eq!(
        versions[1]["origin"]["path"],
        "contracts/v1/orders.odcs.yaml"
    );
    let sitemap = page(&site, "sitemap.xml");
    assert!(sitemap.contains("contracts/orders/v/1.0.0/"));
    assert!(sitemap.contains("contracts/orders/diff/2.0.0/"));
}

#[test]
fn a_deprecated_higher_version_is_not_current() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "repo/v3/orders.odcs.yaml",
        &contract("3.0.0", "deprecated", V2_COLUMNS),
    );
    write(
        root,
        "repo/v2/orders.odcs.yaml",
        &contract("2.1.0", "active", V2_COLUMNS),
    );
    write(
        root,
        "repo/v1/orders.odcs.yaml",
        &contract("v1.0.0", "retired", V1_COLUMNS),
    );
    let catalog = load(root);
    assert!(problems(&catalog).is_empty(), "{:#?}", problems(&catalog));
    assert_eq!(catalog.contracts[0].version.as_deref(), Some("2.1.0"));
    let order: Vec<&str> = catalog.contract_versions[0]
        .iter()
        .map(|v| v.info.version.as_deref().unwrap())
        .collect();
    assert_eq!(order, vec!["3.0.0", "2.1.0", "v1.0.0"], "newest first");

    let site = build(root);
    let newer = page(&site, "contracts/orders/v/3.0.0/index.html");
    assert!(
        newer.contains("this one is newer, but deprecated"),
        "{newer}"
    );

    // Every version retired: the highest is current.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "repo/a.odcs.yaml",
        &contract("1.0.0", "retired", V1_COLUMNS),
    );
    write(
        root,
        "repo/b.odcs.yaml",
        &contract("1.1.0", "retired", V1_COLUMNS),
    );
    assert_eq!(load(root).contracts[0].version.as_deref(), Some("1.1.0"));
}

#[test]
fn one_id_and_version_in_two_files_is_an_error_at_both_id_lines() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "repo/a/orders.odcs.yaml",
        &contract("1.0.0", "active", V1_COLUMNS),
    );
    // The same version, written differently, with its `id:` on another line.
    let b = contract("1.0.0", "draft", V2_COLUMNS)
        .replace("id: orders\nname: Orders\n", "name: Orders\nid: orders\n");
    write(root, "repo/b/orders.odcs.yaml", &b);
    let catalog = load(root);
    let errors = with_code(&catalog, "duplicate-id");
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let a = errors
        .iter()
        .find(|d| d.file == "a/orders.odcs.yaml")
        .unwrap();
    let b = errors
        .iter()
        .find(|d| d.file == "b/orders.odcs.yaml")
        .unwrap();
    assert_eq!((a.line, a.column), (Some(3), Some(1)));
    assert_eq!((b.line, b.column), (Some(4), Some(1)));
    assert_eq!(a.severity, Severity::Error);
    assert!(
        a.message.contains("repo/b/orders.odcs.yaml:4:1"),
        "{}",
        a.message
    );
    assert!(
        b.message.contains("repo/a/orders.odcs.yaml:3:1"),
        "{}",
        b.message
    );
    assert_eq!(catalog.contracts.len(), 1);
    assert_eq!(
        catalog.contracts[0].origin.path, "a/orders.odcs.yaml",
        "the first is kept"
    );
    assert_eq!(catalog.contract_versions[0].len(), 1);
    assert_eq!(check(root).status.code(), Some(1));

    // Both without a version: a duplicate too.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let unversioned = |columns| contract("x", "active", columns).replace("version: x\n", "");
    write(root, "repo/a.odcs.yaml", &unversioned(V1_COLUMNS));
    write(root, "repo/b.odcs.yaml", &unversioned(V2_COLUMNS));
    assert_eq!(with_code(&load(root), "duplicate-id").len(), 2);
}

#[test]
fn a_document_repeated_word_for_word_is_read_once_with_one_warning() {
    // Twice in one file.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let doc = contract("1.0.0", "active", V1_COLUMNS);
    write(root, "repo/orders.odcs.yaml", &format!("{doc}---\n{doc}"));
    let catalog = load(root);
    assert!(with_code(&catalog, "duplicate-id").is_empty());
    let warnings = with_code(&catalog, "repeated-document");
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].severity, Severity::Warning);
    assert_eq!(warnings[0].line, Some(16), "at the second copy");
    assert!(
        warnings[0].message.contains("line 1 of this file"),
        "{}",
        warnings[0].message
    );
    assert_eq!(catalog.contracts.len(), 1);
    assert_eq!(catalog.contract_versions[0].len(), 1);
    assert_eq!(check(root).status.code(), Some(0));

    // One file copied into two folders.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "repo/a/orders.odcs.yaml", &doc);
    write(root, "repo/b/orders.odcs.yaml", &doc);
    let catalog = load(root);
    assert!(with_code(&catalog, "duplicate-id").is_empty());
    let warnings = with_code(&catalog, "repeated-document");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].file, "b/orders.odcs.yaml");
    assert!(warnings[0].message.contains("repo/a/orders.odcs.yaml"));
    assert_eq!(catalog.contracts.len(), 1);
}

const PROVIDER: &str = "dataProductSpecification: 0.0.1\nid: payments\ninfo:\n  title: Payments\n  owner: finance\noutputPorts:\n  - id: payments_v1\n    name: Payments\n    type: snowflake\n";
const CONSUMER_DPS: &str = "dataProductSpecification: 0.0.1\nid: attribution\ninfo:\n  title: Attribution\n  owner: marketing\n";
const AGREEMENT: &str = "dataUsageAgreementSpecification: 0.0.1\nid: attribution-uses-payments\ninfo:\n  title: Attribution uses Payments\n  purpose: net revenue\n  status: approved\nprovider:\n  teamId: finance\n  dataProductId: payments\n  outputPortId: payments_v1\nconsumer:\n  teamId: marketing\n  dataProductId: attribution\n";
const TEAM: &str = "id: finance\nname: Finance\ntype: Domain Team\nmembers:\n  - emailAddress: ana@example.com\n    name: Ana\n";

#[test]
fn a_repeated_agreement_or_team_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "repo/payments.yaml", PROVIDER);
    write(root, "repo/attribution.yaml", CONSUMER_DPS);
    write(
        root,
        "repo/agreements.yaml",
        &format!("{AGREEMENT}---\n{AGREEMENT}"),
    );
    write(root, "repo/teams/finance.yaml", TEAM);
    write(root, "repo/teams/copy/finance.yaml", TEAM);
    let catalog = load(root);
    assert_eq!(catalog.agreements.len(), 1);
    let agreement_edges = catalog
        .lineage
        .edges
        .iter()
        .filter(|e| e.kind == "agreement")
        .count();
    assert_eq!(agreement_edges, 1, "one lineage edge");
    let payments = catalog.product_by_id["payments"];
    assert_eq!(catalog.downstream[payments].len(), 1, "read by once");
    let finance = catalog.team("finance").unwrap();
    assert_eq!(finance.members.len(), 1);
    let warnings = with_code(&catalog, "repeated-document");
    let files: Vec<&str> = warnings.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(
        files,
        vec!["agreements.yaml", "teams/finance.yaml"],
        "{warnings:#?}"
    );
}

#[test]
fn findings_point_at_the_key_they_are_about() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let text = "apiVersion: v3.1.0\nkind: DataContract\nid: lines\nname: Lines\nversion: 1.0.0\nstatus: active\nschema:\n  - name: lines\n    properties:\n      - name: order_id\n        logicalType: string\n        relationships:\n          - type: foreignKey\n            to: ordres.order_id\n      - name: region\n        logicalType: string\n        transformSourceObjects:\n          - crm_db.accounts.region\n";
    write(root, "repo/lines.odcs.yaml", text);
    let catalog = load(root);
    let fk = with_code(&catalog, "unresolved-foreign-key");
    assert_eq!(fk.len(), 1, "{fk:#?}");
    assert_eq!((fk[0].line, fk[0].column), (Some(14), Some(13)));
    let column = with_code(&catalog, "external-column-source");
    assert_eq!(column.len(), 1, "{column:#?}");
    assert_eq!((column[0].line, column[0].column), (Some(18), Some(13)));
}
