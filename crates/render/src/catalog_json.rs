//! `catalog.json`: the whole catalog as data, for scripts and other tools. Documented in README.

use serde_json::{json, Map, Value};

use catalog::Catalog;
use model::error::{Error, Result};

use super::{versions, views};

/// Bumped only on incompatible changes; additions keep the number.
pub const FORMAT_VERSION: u32 = 1;

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

// Kept whole: the shape of catalog.json as README documents it, one key after another.
pub fn render(catalog: &Catalog) -> Result<Vec<u8>> {
    let products: Vec<Value> = catalog
        .products
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut v = entity(p, views::product_url(&p.slug));
            if let Value::Object(map) = &mut v {
                let ids = |deps: &[catalog::Dependency]| -> Vec<String> {
                    deps.iter()
                        .map(|d| catalog.products[d.product].id.clone())
                        .collect()
                };
                if let Some(Value::Array(ports)) = map.get_mut("outputPorts") {
                    derived_port_facts(catalog, p, ports);
                }
                map.insert("upstream".into(), json!(ids(&catalog.upstream[i])));
                map.insert("downstream".into(), json!(ids(&catalog.downstream[i])));
                if let Some(metrics) = super::metrics::product_json(catalog, i) {
                    map.insert("metrics".into(), metrics);
                }
                map.insert(
                    "versions".into(),
                    versions::catalog_json(catalog, versions::Kind::Product, i),
                );
            }
            v
        })
        .collect();
    let contracts: Vec<Value> = catalog
        .contracts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut v = entity(c, views::contract_url(&c.slug));
            // History keeps each version's text for later stages; the JSON lists the commits only.
            if let Some(Value::Array(history)) = v.get_mut("history") {
                for version in history.iter_mut() {
                    if let Value::Object(map) = version {
                        map.remove("content");
                    }
                }
            }
            if let Value::Object(map) = &mut v {
                map.insert(
                    "versions".into(),
                    versions::catalog_json(catalog, versions::Kind::Contract, i),
                );
            }
            v
        })
        .collect();
    let teams: Vec<Value> = catalog
        .teams
        .iter()
        .map(|t| entity(t, views::team_url(&t.slug)))
        .collect();
    let domains: Vec<Value> = catalog
        .domains
        .iter()
        .map(|d| entity(d, views::domain_url(&d.slug)))
        .collect();
    let mut root = Map::new();
    root.insert("formatVersion".into(), json!(FORMAT_VERSION));
    root.insert(
        "generator".into(),
        json!(concat!("meshdoc ", env!("CARGO_PKG_VERSION"))),
    );
    root.insert("sources".into(), json!(catalog.sources));
    root.insert("products".into(), Value::Array(products));
    root.insert("contracts".into(), Value::Array(contracts));
    root.insert("teams".into(), Value::Array(teams));
    root.insert("domains".into(), Value::Array(domains));
    root.insert("persons".into(), json!(catalog.persons));
    root.insert("agreements".into(), json!(catalog.agreements));
    root.insert("systems".into(), json!(catalog.systems));
    root.insert("diagnostics".into(), json!(catalog.diagnostics));
    root.insert("metrics".into(), super::metrics::catalog_json(catalog));
    root.insert(
        "lineage".into(),
        super::lineage_pages::catalog_json(catalog),
    );
    let mut root = Value::Object(root);
    prune(&mut root);
    // One line: at 10,000 products the pretty form is several times larger for no reader's gain.
    serde_json::to_vec(&root).map_err(|e| Error::Template(format!("catalog.json: {e}")))
}

/// Each output port's facts as the product page shows them: personal data and servers read
/// from the port and its contract (`catalog::ports`), not only what the port itself states.
fn derived_port_facts(catalog: &Catalog, p: &model::DataProduct, ports: &mut [Value]) {
    for (port, value) in p.output_ports.iter().zip(ports.iter_mut()) {
        let facts = catalog::ports::output_port(catalog, port);
        if let (Value::Object(map), Value::Object(derived)) = (value, json!(facts)) {
            map.extend(derived);
        }
    }
}

/// Drop keys whose value is null or an empty list or object: absent means "not stated".
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
