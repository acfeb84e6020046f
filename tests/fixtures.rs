//! Every real file of every standard under ../shared/fixtures/standards/ either becomes part of
//! the catalog or yields a located diagnostic — and none makes meshdoc panic.

#[path = "support/shared.rs"]
mod shared;

use std::path::{Path, PathBuf};

use meshdoc::config::{Config, SourceConfig};
use meshdoc::Severity;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/standards")
}

/// Words that mark a file as a product or contract manifest of a standard we read.
const MARKERS: &[&str] = &[
    "kind: DataContract",
    "kind: DataProduct",
    "kind: \"DataProduct\"",
    "dataContractSpecification",
    "dataProductSpecification:",
    "\"dataProductDescriptor\"",
    "schema: https://opendataproducts.org",
];

fn catalog_of_fixtures() -> meshdoc::Catalog {
    let mut config = Config::empty(&fixtures());
    config.sources = vec![SourceConfig {
        name: None,
        dir: Some(PathBuf::from("*")),
        ..Default::default()
    }];
    meshdoc::load_catalog(&config)
}

fn manifest_files() -> Vec<(String, String)> {
    let root = fixtures();
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.expect("fixtures readable");
        let path = entry.path();
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let is_manifest_ext = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        );
        if !entry.file_type().is_file() || !is_manifest_ext || rel.contains("/schema") {
            continue;
        }
        out.push((rel, std::fs::read_to_string(path).unwrap_or_default()));
    }
    out
}

#[test]
fn every_fixture_manifest_is_in_the_catalog_or_diagnosed_with_a_line() {
    if shared::fixtures("standards").is_none() {
        return;
    }
    let catalog = catalog_of_fixtures();
    let mut checked = 0;
    for (rel, text) in manifest_files() {
        if !MARKERS.iter().any(|m| text.contains(m)) {
            continue;
        }
        // Source is the first folder, path the rest.
        let (source, path) = rel.split_once('/').unwrap();
        // As the current version of its id or as one of its other versions.
        let in_catalog = catalog
            .products
            .iter()
            .chain(&catalog.other_products)
            .any(|p| p.origin.source == source && p.origin.path == path)
            || catalog
                .contracts
                .iter()
                .chain(&catalog.other_contracts)
                .any(|c| c.origin.source == source && c.origin.path == path);
        let diagnosed = catalog
            .diagnostics
            .iter()
            .any(|d| d.source == source && d.file == path && d.line.is_some());
        assert!(
            in_catalog || diagnosed,
            "{rel}: neither in the catalog nor diagnosed with a line; diagnostics for it: {:?}",
            catalog
                .diagnostics
                .iter()
                .filter(|d| d.file == path)
                .collect::<Vec<_>>()
        );
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} manifest files found");
}

#[test]
fn known_fixtures_map_into_the_model() {
    if shared::fixtures("standards").is_none() {
        return;
    }
    let catalog = catalog_of_fixtures();
    // ODCS v3.1 full example: nested schema, quality and SLA.
    let full = catalog
        .contracts
        .iter()
        .find(|c| {
            c.origin
                .path
                .ends_with("bitol-examples-v3.1.0/all/postgresql-adventureworks-contract.odcs.yaml")
        })
        .expect("adventureworks contract");
    assert!(
        full.schema.len() > 50,
        "adventureworks has many tables: {}",
        full.schema.len()
    );
    // DCS orders-latest: $ref-resolved fields, PII, quality and service levels.
    let orders = catalog
        .contract("orders-latest")
        .expect("DCS orders-latest");
    let order_obj = orders.schema.iter().find(|o| o.name == "orders").unwrap();
    let email = order_obj
        .properties
        .iter()
        .find(|p| p.name == "customer_email_address")
        .unwrap();
    assert!(email.pii && email.required);
    let line_items = orders
        .schema
        .iter()
        .find(|o| o.name == "line_items")
        .unwrap();
    let sku = line_items
        .properties
        .iter()
        .find(|p| p.name == "sku")
        .unwrap();
    assert_eq!(
        sku.description.as_deref(),
        Some("The purchased article number"),
        "the field's own keys win"
    );
    assert_eq!(
        sku.business_name.as_deref(),
        Some("Stock Keeping Unit"),
        "the rest comes from the $ref"
    );
    assert!(orders
        .sla
        .iter()
        .any(|s| s.property == "freshness" && s.value.contains("25h")));
    assert!(order_obj
        .quality
        .iter()
        .any(|q| q.summary.contains("must be less than 3,600")));
    // DPS product without its version key, with its team and source system.
    let stock = catalog.product("stock_updated").expect("DPS stock_updated");
    assert_eq!(stock.owner.as_deref(), Some("fulfillment"));
    assert_eq!(stock.output_ports.len(), 2);
    assert_eq!(
        catalog.team("fulfillment").map(|t| t.name.as_str()),
        Some("Fulfillment")
    );
    // Bitol ODPS with team, ports and custom properties.
    let customer = catalog
        .product("fbe8d147-28db-4f1d-bedf-a3fe9f458427")
        .expect("ODPS customer product");
    assert_eq!(customer.input_ports.len(), 4);
    assert!(customer
        .output_ports
        .iter()
        .any(|p| p.input_contracts.len() == 2));
    // Backstage: groups, users, domains.
    assert!(catalog.team("team-a").is_some());
    assert!(catalog.domain("artists").is_some());
    assert!(catalog.persons.iter().any(|p| p.id == "breanna.davison"));
}

#[test]
fn broken_fixtures_give_precise_diagnostics() {
    if shared::fixtures("standards").is_none() {
        return;
    }
    let catalog = catalog_of_fixtures();
    let find = |path_end: &str, code: &str| {
        catalog
            .diagnostics
            .iter()
            .find(|d| d.file.ends_with(path_end) && d.code == code)
            .unwrap_or_else(|| panic!("no {code} diagnostic for {path_end}"))
            .clone()
    };
    // The DPS example is truncated to its version line.
    let d = find(
        "datamesh-architecture_dataproduct-specification/example.yaml",
        "missing-field",
    );
    assert!(d.message.contains("`id`") && d.hint.is_some());
    // The builder's template is a template: one note at its first placeholder, not catalogued.
    let d = find("templates/data-product.odps.yaml", "template-file");
    assert_eq!((d.severity, d.line), (Severity::Info, Some(3)));
    // The ODPS 4.1 inline example is mis-indented.
    let d = find("DataContract/datacontract-inline.yml", "yaml-syntax");
    assert_eq!(d.line, Some(26));
}
