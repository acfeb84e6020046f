//! The JSON beside the pages is a documented interface: every record file (`catalog.json`, each
//! entity's `index.json`, the lineage and health records) names its `kind` and validates against
//! `schemas/<kind>.schema.json`, on the sample and on a mesh of every standard's real files.

#[path = "support/sample.rs"]
mod sample;
#[path = "support/shared.rs"]
mod shared;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use meshdoc::config::{Config, SourceConfig};
use serde_json::{json, Value};

/// Every schema in `schemas/` that describes a record kind, by kind.
fn schemas() -> BTreeMap<String, jsonschema::Validator> {
    let dir = sample::repo().join("schemas");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(kind) = name.strip_suffix(".schema.json") else {
            continue;
        };
        let schema: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let validator = jsonschema::validator_for(&schema)
            .unwrap_or_else(|e| panic!("{name} is not a valid JSON Schema: {e}"));
        out.insert(kind.to_string(), validator);
    }
    out
}

/// Every JSON file of a built site (each must be a record, with `formatVersion`).
fn records(site: &Path) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(site).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let rel = path
            .strip_prefix(site)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let value: Value = serde_json::from_slice(&std::fs::read(path).unwrap())
            .unwrap_or_else(|e| panic!("{rel}: not JSON: {e}"));
        // Every JSON file the site writes is a record: none may escape its schema.
        assert!(
            value.get("formatVersion").is_some(),
            "{rel}: no formatVersion"
        );
        out.push((rel, value));
    }
    out
}

/// Validates every record of `site`; returns how many were checked per kind.
fn validate_site(site: &Path) -> BTreeMap<String, usize> {
    let schemas = schemas();
    let mut counts = BTreeMap::new();
    let mut failures = Vec::new();
    for (rel, value) in records(site) {
        let first = value.as_object().and_then(|m| m.keys().next().cloned());
        assert_eq!(first.as_deref(), Some("formatVersion"), "{rel}: first key");
        let kind = value["kind"]
            .as_str()
            .unwrap_or_else(|| panic!("{rel}: no `kind`"));
        let validator = schemas
            .get(kind)
            .unwrap_or_else(|| panic!("{rel}: kind `{kind}` has no schemas/{kind}.schema.json"));
        for error in validator.iter_errors(&value).take(5) {
            failures.push(format!("{rel} at {}: {error}", error.instance_path()));
        }
        *counts.entry(kind.to_string()).or_insert(0) += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    counts
}

#[test]
fn every_record_of_the_sample_validates_against_the_schema_of_its_kind() {
    let counts = validate_site(sample::site());
    let catalog = sample::page("catalog.json");
    let catalog: Value = serde_json::from_str(&catalog).unwrap();
    for (kind, list) in [
        ("product", "products"),
        ("contract", "contracts"),
        ("team", "teams"),
        ("domain", "domains"),
    ] {
        let listed = catalog[list].as_array().unwrap().len();
        assert_eq!(counts.get(kind), Some(&listed), "{kind} records");
    }
    for kind in ["catalog", "lineage", "health"] {
        assert_eq!(counts.get(kind), Some(&1), "{kind}");
    }
}

#[test]
fn every_record_of_a_mesh_of_every_standard_validates() {
    let Some(dir) = shared::fixtures("standards") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let mut config = Config::empty(&dir);
    config.sources = vec![SourceConfig {
        name: None,
        dir: Some(PathBuf::from("*")),
        ..Default::default()
    }];
    let site = out.path().join("site");
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(site.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let counts = validate_site(&site);
    assert!(
        counts["product"] >= 5 && counts["contract"] >= 10,
        "{counts:?}"
    );
}

/// The schemas are tight: a renamed, removed or mistyped field is caught.
#[test]
fn the_schemas_reject_damaged_records() {
    let schemas = schemas();
    let site = sample::site();
    let product: Value = serde_json::from_str(&sample::page("products/orders/index.json")).unwrap();
    assert!(schemas["product"].is_valid(&product));
    let damaged = |f: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut v = product.clone();
        f(v.as_object_mut().unwrap());
        v
    };
    let cases = [
        ("id removed", damaged(&|m| drop(m.remove("id")))),
        (
            "outputPorts renamed",
            damaged(&|m| {
                let ports = m.remove("outputPorts").unwrap();
                m.insert("outPorts".into(), ports);
            }),
        ),
        (
            "name a number",
            damaged(&|m| drop(m.insert("name".into(), json!(7)))),
        ),
        (
            "port id removed",
            damaged(&|m| {
                m["outputPorts"][0].as_object_mut().unwrap().remove("id");
            }),
        ),
        (
            "version without url",
            damaged(&|m| {
                m["versions"][0].as_object_mut().unwrap().remove("url");
            }),
        ),
        (
            "wrong kind",
            damaged(&|m| drop(m.insert("kind".into(), json!("contract")))),
        ),
        (
            "other format",
            damaged(&|m| drop(m.insert("formatVersion".into(), json!(2)))),
        ),
    ];
    for (what, value) in cases {
        assert!(!schemas["product"].is_valid(&value), "{what} was accepted");
    }
    let catalog: Value =
        serde_json::from_slice(&std::fs::read(site.join("catalog.json")).unwrap()).unwrap();
    let mut broken = catalog.clone();
    broken["products"][0].as_object_mut().unwrap().remove("url");
    assert!(schemas["catalog"].is_valid(&catalog));
    assert!(!schemas["catalog"].is_valid(&broken), "product without url");
    let team: Value =
        serde_json::from_str(&sample::page("teams/checkout-team/index.json")).unwrap();
    let mut old = team.clone();
    old.as_object_mut()
        .unwrap()
        .insert("teamType".into(), json!("team"));
    assert!(schemas["team"].is_valid(&team));
    assert!(!schemas["team"].is_valid(&old), "unknown key accepted");
}

/// A contract record carries every version with its own page.
#[test]
fn a_contract_record_lists_its_versions_with_their_urls() {
    let catalog: Value = serde_json::from_str(&sample::page("catalog.json")).unwrap();
    let mut with_versions = 0;
    for c in catalog["contracts"].as_array().unwrap() {
        let url = c["url"].as_str().unwrap();
        let record: Value =
            serde_json::from_str(&sample::page(&format!("{url}index.json"))).unwrap();
        let versions = record["versions"].as_array().unwrap();
        assert_eq!(versions.iter().filter(|v| v["current"] == true).count(), 1);
        for v in versions {
            let page = v["url"].as_str().unwrap();
            assert!(
                sample::site().join(page).join("index.html").is_file(),
                "{page}"
            );
        }
        with_versions += usize::from(versions.len() > 1);
    }
    assert!(
        with_versions >= 1,
        "the sample has a contract with several versions"
    );
}
