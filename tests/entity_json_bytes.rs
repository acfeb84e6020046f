//! The entity records beside the pages (`products/<id>/index.json`, …) are written straight from
//! the model (`render::catalog_json`, through `json_record`). They must stay byte for byte what
//! the earlier writer made through `serde_json::Value` trees (kept below as the oracle): the same
//! keys in the same order — `Map::remove` with `preserve_order` is a swap-remove — the same
//! pruning of empty values and false field flags, the same escaping. Checked on the sample, on a
//! mesh of every standard's real files and on generated entities full of edge cases.

#[path = "support/shared.rs"]
mod shared;

use std::path::{Path, PathBuf};

use meshdoc::config::{Config, SourceConfig};
use meshdoc::render::catalog_json;
use meshdoc::Catalog;
use serde_json::{json, Map, Value};

/// The earlier writer, unchanged but for its error type.
mod oracle {
    use super::*;
    use meshdoc::render::{metrics, versions, views};

    fn entity(value: impl serde::Serialize, url: String) -> Value {
        let mut v = serde_json::to_value(value).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut v {
            map.remove("slug");
            map.remove("sourceText");
            map.remove("dataProductAt");
            if let Some(Value::Object(standard)) = map.remove("standard") {
                map.insert(
                    "standard".into(),
                    standard.get("family").cloned().unwrap_or(Value::Null),
                );
                map.insert(
                    "standardLabel".into(),
                    standard.get("label").cloned().unwrap_or(Value::Null),
                );
            }
            map.insert(
                "url".into(),
                Value::String(url.trim_end_matches("index.html").to_string()),
            );
        }
        v
    }

    fn finish(mut value: Value) -> Vec<u8> {
        prune(&mut value);
        serde_json::to_vec(&value).unwrap()
    }

    pub fn product(
        catalog: &Catalog,
        i: usize,
        access: &meshdoc::config::access::Access,
    ) -> Vec<u8> {
        let p = &catalog.products[i];
        let mut v = entity(p, views::product_url(&p.slug));
        if let Value::Object(map) = &mut v {
            let ids = |deps: &[meshdoc::catalog::Dependency]| -> Vec<String> {
                deps.iter()
                    .map(|d| catalog.products[d.product].id.clone())
                    .collect()
            };
            if let Some(Value::Array(ports)) = map.get_mut("outputPorts") {
                for (port, value) in p.output_ports.iter().zip(ports.iter_mut()) {
                    let facts = meshdoc::catalog::ports::output_port(catalog, port);
                    if let (Value::Object(map), Value::Object(derived)) = (value, json!(facts)) {
                        map.extend(derived);
                    }
                }
                for (port, value) in p.output_ports.iter().zip(ports.iter_mut()) {
                    let a = meshdoc::catalog::access::port_access(catalog, i, port);
                    let link = access.request_link(&[
                        ("product", Some(a.product)),
                        ("port", Some(a.port)),
                        ("contract", a.contract_id),
                        ("version", a.version),
                    ]);
                    if let (Value::Object(map), Some(url)) = (value, link) {
                        map.insert("access".into(), json!({ "requestUrl": url }));
                    }
                }
            }
            map.insert("upstream".into(), json!(ids(&catalog.upstream[i])));
            map.insert("downstream".into(), json!(ids(&catalog.downstream[i])));
            if let Some(metrics) = metrics::product_json(catalog, i) {
                map.insert("metrics".into(), metrics);
            }
            let mut versions = versions::catalog_json(catalog, versions::Kind::Product, i);
            without_current_origin(&mut versions);
            map.insert("versions".into(), versions);
        }
        finish(with_format("product", v))
    }

    pub fn contract(catalog: &Catalog, i: usize) -> Vec<u8> {
        let c = &catalog.contracts[i];
        let mut v = entity(c, views::contract_url(&c.slug));
        if let Some(Value::Array(history)) = v.get_mut("history") {
            for version in history.iter_mut() {
                if let Value::Object(map) = version {
                    map.remove("content");
                }
            }
        }
        if let Value::Object(map) = &mut v {
            for key in ["schema", "definitions"] {
                if let Some(Value::Array(fields)) = map.get_mut(key) {
                    fields.iter_mut().for_each(drop_false_flags);
                }
            }
            let mut versions = versions::catalog_json(catalog, versions::Kind::Contract, i);
            without_current_origin(&mut versions);
            map.insert("versions".into(), versions);
        }
        finish(with_format("contract", v))
    }

    fn without_current_origin(versions: &mut Value) {
        if let Value::Array(list) = versions {
            for version in list.iter_mut().filter(|v| v["current"] == true) {
                if let Value::Object(entry) = version {
                    entry.remove("origin");
                }
            }
        }
    }

    const FIELD_FLAGS: &[&str] = &[
        "required",
        "unique",
        "primaryKey",
        "partitioned",
        "pii",
        "critical",
    ];

    fn drop_false_flags(field: &mut Value) {
        let Value::Object(map) = field else { return };
        map.retain(|k, v| !(v == &Value::Bool(false) && FIELD_FLAGS.contains(&k.as_str())));
        if let Some(Value::Array(nested)) = map.get_mut("properties") {
            nested.iter_mut().for_each(drop_false_flags);
        }
    }

    pub fn team(catalog: &Catalog, i: usize) -> Vec<u8> {
        let t = &catalog.teams[i];
        let mut v = entity(t, views::team_url(&t.slug));
        if let Value::Object(map) = &mut v {
            if let Some(kind) = map.remove("kind") {
                map.insert("teamKind".into(), kind);
            }
        }
        finish(with_format("team", v))
    }

    pub fn domain(catalog: &Catalog, i: usize) -> Vec<u8> {
        let d = &catalog.domains[i];
        finish(with_format("domain", entity(d, views::domain_url(&d.slug))))
    }

    fn with_format(kind: &str, v: Value) -> Value {
        let mut map = Map::new();
        map.insert("formatVersion".into(), json!(catalog_json::FORMAT_VERSION));
        map.insert("kind".into(), json!(kind));
        if let Value::Object(fields) = v {
            map.extend(fields.into_iter().filter(|(k, _)| k != "kind"));
        }
        Value::Object(map)
    }

    fn prune(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|_, v| {
                    prune(v);
                    !(v.is_null()
                        || v.as_array().is_some_and(Vec::is_empty)
                        || v.as_object().is_some_and(Map::is_empty))
                });
            }
            Value::Array(items) => items.iter_mut().for_each(prune),
            _ => {}
        }
    }
}

/// Every product, contract, team and domain record of the catalog of `config` against the
/// oracle; returns how many were compared.
fn compare(config: &Config) -> usize {
    let catalog = meshdoc::load_catalog(config);
    let access = &config.access;
    let mut compared = 0;
    let mut check = |what: String, new: Vec<u8>, old: Vec<u8>| {
        if new != old {
            let at = new.iter().zip(&old).position(|(a, b)| a != b).unwrap_or(0);
            let from = at.saturating_sub(80);
            panic!(
                "{what}: differs at byte {at}\nnew: {}\nold: {}",
                String::from_utf8_lossy(&new[from..(at + 80).min(new.len())]),
                String::from_utf8_lossy(&old[from..(at + 80).min(old.len())])
            );
        }
        compared += 1;
    };
    for i in 0..catalog.products.len() {
        let new = catalog_json::product(&catalog, i, access).unwrap();
        check(
            format!("product {}", catalog.products[i].id),
            new,
            oracle::product(&catalog, i, access),
        );
    }
    for i in 0..catalog.contracts.len() {
        let new = catalog_json::contract(&catalog, i).unwrap();
        check(
            format!("contract {}", catalog.contracts[i].id),
            new,
            oracle::contract(&catalog, i),
        );
    }
    for i in 0..catalog.teams.len() {
        let new = catalog_json::team(&catalog, i).unwrap();
        check(
            format!("team {}", catalog.teams[i].id),
            new,
            oracle::team(&catalog, i),
        );
    }
    for i in 0..catalog.domains.len() {
        let new = catalog_json::domain(&catalog, i).unwrap();
        check(
            format!("domain {}", catalog.domains[i].id),
            new,
            oracle::domain(&catalog, i),
        );
    }
    compared
}

fn folder_config(dir: &Path) -> Config {
    let mut config = Config::empty(dir);
    config.sources = vec![SourceConfig {
        name: None,
        dir: Some(PathBuf::from("*")),
        ..Default::default()
    }];
    config
}

#[test]
fn the_records_of_the_sample_are_the_bytes_the_value_writer_made() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("meshdoc.toml")).unwrap();
    assert!(
        config.access.request_url.is_some(),
        "the sample links access requests"
    );
    assert!(compare(&config) >= 40);
}

#[test]
fn the_records_of_a_mesh_of_every_standard_are_the_bytes_the_value_writer_made() {
    let Some(dir) = shared::fixtures("standards") else {
        return;
    };
    assert!(compare(&folder_config(&dir)) >= 15);
}

/// Entities made to stress the writer: nested fields with every flag true and false, custom
/// properties holding nulls, empty lists and objects (alone and nested), numbers, escapes,
/// unicode, a team with a kind, ports with and without contracts.
#[test]
fn generated_edge_case_entities_are_the_bytes_the_value_writer_made() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("edge");
    std::fs::create_dir_all(repo.join("teams")).unwrap();
    let flags = ["required", "unique", "primaryKey", "partitioned"];
    for n in 0..6 {
        let mut props = String::new();
        for (k, flag) in flags.iter().enumerate() {
            let on = (n + k) % 2 == 0;
            props.push_str(&format!(
                "          - name: col_{k}\n            logicalType: string\n            {flag}: {on}\n            description: \"tab\\t quote \\\" <b>&amp; é ✓ {n}\"\n            customProperties:\n              - property: empty\n                value: {{}}\n              - property: nothing\n                value: null\n              - property: list\n                value: [1, 2.5, -3e2, null, {{}}, []]\n"
            ));
        }
        std::fs::write(
            repo.join(format!("contract-{n}.yaml")),
            format!(
                "apiVersion: v3.0.2\nkind: DataContract\nid: edge-contract-{n}\nname: Edge contract {n}\nversion: 1.{n}.0\nstatus: active\ndomain: edge\ndataProduct: edge-product-{n}\ndescription:\n  purpose: \"Edge case {n}: \\u00e9\\u2028 and </script>\"\nschema:\n  - name: orders_{n}\n    physicalType: table\n    properties:\n      - name: nested\n        logicalType: object\n        required: {}\n        properties:\n{props}\n"
                , n % 2 == 0
            ),
        )
        .unwrap();
        std::fs::write(
            repo.join(format!("product-{n}.yaml")),
            format!(
                "apiVersion: v1.0.0\nkind: DataProduct\nid: edge-product-{n}\nname: \"Edge product {n} ✓\"\nversion: 0.{n}.0\nstatus: {}\ndomain: edge\ndescription:\n  purpose: \"Line one\\nline two \\\"quoted\\\"\"\ntags: [{}]\ncustomProperties:\n  - property: ratio\n    value: 0.{n}5\n  - property: empty\n    value: []\n  - property: nested\n    value: {{ a: null, b: {{}}, c: [null] }}\ninputPorts:\n  - name: in\n    version: 1.0.0\n    contractId: edge-contract-{}\noutputPorts:\n  - name: out\n    version: 1.0.0\n    contractId: edge-contract-{n}\n  - name: bare\n    version: 2.0.0\n",
                if n % 3 == 0 { "active" } else { "draft" },
                if n % 2 == 0 { "a, b" } else { "" },
                (n + 1) % 6
            ),
        )
        .unwrap();
    }
    std::fs::write(
        repo.join("teams/edge.yml"),
        "id: edge-team\nname: Edge team\ntype: Domain Team\ndescription: \"\\u0007 bell\"\nmembers:\n  - emailAddress: ann@edge.example\n    name: Ann\n    role: owner\n",
    )
    .unwrap();
    let mut config = folder_config(dir.path());
    config.access.request_url =
        Some("https://desk.example/new?p={product}&port={port}&c={contract}&v={version}".into());
    let compared = compare(&config);
    // 6 products, 6 contracts, the team and the domain the products name.
    assert!(compared >= 13, "{compared} records compared");
}
