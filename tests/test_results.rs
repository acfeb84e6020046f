//! Test results in: real `datacontract test` output (three runs of one contract, failing then
//! passing, from ../shared/fixtures/results/datacontract-cli/) dropped into a repository's
//! metrics folder shows up as quality history on the contract page and on the page of the
//! product whose port serves the contract; a broken results file costs one located diagnostic.

#[path = "support/shared.rs"]
mod shared;

use std::fs;
use std::path::Path;

use meshdoc::config::{Config, SourceConfig};

const PRODUCT: &str = "apiVersion: v1.0.0
kind: DataProduct
id: orders
name: Orders
status: active
domain: sales
outputPorts:
  - name: orders-csv
    version: 1.0.0
    contractId: orders-contract
";

/// A repository with the fixture's contract, a product serving it, and the three runs a day
/// apart (the real runs are seconds apart), plus `extra` metric files of our own.
fn build(fixtures: &Path, extra: &[(&str, &str)]) -> (tempfile::TempDir, meshdoc::BuildReport) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("orders");
    for sub in ["contracts", "dataproducts", "metrics"] {
        fs::create_dir_all(repo.join(sub)).unwrap();
    }
    fs::copy(
        fixtures.join("orders.odcs.yaml"),
        repo.join("contracts/orders.odcs.yaml"),
    )
    .unwrap();
    fs::write(repo.join("dataproducts/orders.odps.yaml"), PRODUCT).unwrap();
    for (n, day) in [(1, "2026-11-26"), (2, "2026-11-27"), (3, "2026-11-28")] {
        let run = fs::read_to_string(fixtures.join(format!("run-{n}.json"))).unwrap();
        let run = run.replace("\"2026-11-28T", &format!("\"{day}T"));
        fs::write(repo.join(format!("metrics/run-{n}.json")), run).unwrap();
    }
    for (name, text) in extra {
        fs::write(repo.join("metrics").join(name), text).unwrap();
    }
    let mut config = Config::empty(dir.path());
    config.sources = vec![SourceConfig {
        name: None,
        dir: Some("orders".into()),
        ..Default::default()
    }];
    let out = dir.path().join("site");
    let report = meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out),
            ..Default::default()
        },
    )
    .unwrap();
    (dir, report)
}

/// The table row of one objective, as text without tags.
fn row<'h>(html: &'h str, label: &str) -> &'h str {
    let at = html
        .find(&format!("<span class=\"cell-title\">{label}</span>"))
        .unwrap_or_else(|| panic!("no objective `{label}`"));
    let end = html[at..].find("</tr>").unwrap() + at;
    &html[at..end]
}

/// The runs of a row, oldest first, as the screen reader hears them (`met` / `missed`).
fn runs(row: &str) -> Vec<&str> {
    row.split("<span class=\"visually-hidden\">")
        .skip(1)
        .filter_map(|s| s.split_whitespace().next())
        .filter(|w| *w == "met" || *w == "missed")
        .collect()
}

#[test]
fn three_datacontract_cli_runs_show_as_quality_history_on_contract_and_product_pages() {
    let Some(fixtures) = shared::fixtures("results/datacontract-cli") else {
        return;
    };
    let (dir, _) = build(&fixtures, &[]);
    let site = dir.path().join("site");
    let contract = fs::read_to_string(site.join("contracts/orders-contract/index.html")).unwrap();
    let product = fs::read_to_string(site.join("products/orders/index.html")).unwrap();

    assert!(
        contract.contains("id=\"quality-history\""),
        "contract page has no quality history"
    );
    for page in [&contract, &product] {
        // customer_id had one null in the first run, none after: missed, then met twice.
        let nulls = row(page, "customer_id: null values = 0");
        assert_eq!(runs(nulls), ["missed", "met", "met"]);
        assert!(nulls.contains("2/3"), "compliance 2 of 3 runs: {nulls}");
        assert!(nulls.contains("Met"), "latest run met it");
        // Freshness exceeded 24 h in the first two runs.
        let fresh = row(page, "freshness ≤ 1 d");
        assert_eq!(runs(fresh), ["missed", "missed", "met"]);
        assert!(fresh.contains("1/3"));
        assert_eq!(runs(row(page, "row count &gt; 3")), ["met", "met", "met"]);
    }
    // The product page keeps its sparklines of the run's counts too.
    assert!(product.contains("<code>checks.passed</code>"));
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(site.join("products/orders/index.json")).unwrap())
            .unwrap();
    assert_eq!(json["metrics"]["state"], "ok");
}

#[test]
fn a_broken_or_misaddressed_results_file_is_reported_and_the_rest_is_read() {
    let Some(fixtures) = shared::fixtures("results/datacontract-cli") else {
        return;
    };
    let cut = "{\n  \"datacontractCliVersion\": \"1.2.8\",\n  \"dataContractId\": \"orders-contract\",\n  \"checks\": [\n    {\"result\": \"passed\"\n";
    let other = "{\"datacontractCliVersion\": \"1.2.8\", \"dataContractId\": \"ordres-contract\",\n \"timestampStart\": \"2026-11-28T08:00:00Z\", \"result\": \"passed\", \"checks\": []}\n";
    let (dir, report) = build(&fixtures, &[("cut.json", cut), ("typo.json", other)]);
    let found = |code: &str| {
        report
            .catalog
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == code)
            .unwrap_or_else(|| panic!("no {code}: {:?}", report.catalog.diagnostics))
    };
    let broken = found("test-results");
    assert_eq!(broken.file, "metrics/cut.json");
    assert!(broken.line.is_some_and(|l| l >= 5), "{broken:?}");
    let typo = found("metric-unknown-contract");
    assert_eq!(
        (typo.file.as_str(), typo.line),
        ("metrics/typo.json", Some(1))
    );
    assert!(typo
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("orders-contract"));
    // The three good runs are still there.
    let contract =
        fs::read_to_string(dir.path().join("site/contracts/orders-contract/index.html")).unwrap();
    assert_eq!(
        runs(row(&contract, "customer_id: null values = 0")),
        ["missed", "met", "met"]
    );
}

const OWN_CONTRACT: &str = "apiVersion: v3.1.0
kind: DataContract
id: payments-v1
name: Payments
version: 1.0.0
status: active
schema:
  - name: payments
    properties:
      - name: amount
        logicalType: number
        quality:
          - id: amount-present
            metric: nullValues
            mustBe: 0
slaProperties:
  - property: freshness
    value: 6
    unit: h
";

const OWN_PRODUCT: &str = "apiVersion: v1.0.0
kind: DataProduct
id: payments
name: Payments
status: active
outputPorts:
  - name: main
    version: 1.0.0
    contractId: payments-v1
";

/// An OORS envelope of our own: the null count of `amount` and the data's age in hours.
fn envelope(day: &str, nulls: u32, age_hours: u32) -> String {
    let status = |ok: bool| if ok { "pass" } else { "fail" };
    format!(
        "apiVersion: v0.8.1\nkind: ObservabilityResults\nid: run-{day}\nobservedAt: \"{day}T06:00:00Z\"\n\
         source:\n  process: nightly\ncontract:\n  contractId: payments-v1\nresults:\n\
         \x20 - id: nulls\n    type: check\n    name: Amount present\n    status: {}\n\
         \x20   relatesTo: schema/payments/properties/amount/quality/amount-present\n\
         \x20   measure:\n      metric: nullValues\n      value: {nulls}\n\
         \x20 - id: age\n    type: metric\n    name: Fresh\n    status: {}\n\
         \x20   measure:\n      metric: age\n      value: {age_hours}\n      unit: hours\n",
        status(nulls == 0),
        status(age_hours <= 6),
    )
}

#[test]
fn observability_results_envelopes_show_as_quality_history_too() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("payments");
    for sub in ["contracts", "dataproducts", "metrics"] {
        fs::create_dir_all(repo.join(sub)).unwrap();
    }
    fs::write(repo.join("contracts/payments.odcs.yaml"), OWN_CONTRACT).unwrap();
    fs::write(repo.join("dataproducts/payments.odps.yaml"), OWN_PRODUCT).unwrap();
    for (day, nulls, age) in [
        ("2026-11-01", 3, 2),
        ("2026-11-02", 0, 9),
        ("2026-11-03", 0, 1),
    ] {
        let text = envelope(day, nulls, age);
        fs::write(repo.join(format!("metrics/{day}.oors.yaml")), text).unwrap();
    }
    let mut config = Config::empty(dir.path());
    config.sources = vec![SourceConfig {
        name: None,
        dir: Some("payments".into()),
        ..Default::default()
    }];
    let out = dir.path().join("site");
    let report = meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        report
            .catalog
            .diagnostics
            .iter()
            .all(|d| !d.code.as_str().starts_with("metric") && d.code.as_str() != "test-results"),
        "{:?}",
        report.catalog.diagnostics
    );
    let contract = fs::read_to_string(out.join("contracts/payments-v1/index.html")).unwrap();
    assert_eq!(
        runs(row(&contract, "amount: null values = 0")),
        ["missed", "met", "met"]
    );
    assert_eq!(
        runs(row(&contract, "freshness ≤ 6 h")),
        ["met", "missed", "met"]
    );
    let product = fs::read_to_string(out.join("products/payments/index.html")).unwrap();
    assert_eq!(
        runs(row(&product, "amount: null values = 0")),
        ["missed", "met", "met"]
    );
}
