//! `catalog.json` and the JSON records beside the pages, for scripts and other tools. Documented
//! in README.

use rayon::prelude::*;
use serde_json::{json, Map, Value};

use catalog::Catalog;
use model::error::{Error, Result};

use super::{versions, views};

/// Bumped only on incompatible changes; additions keep the number. 3: every record file names its
/// `kind`, so a team's own kind (`team`, `department`, …) moved to `teamKind`. 4: a contract's
/// fields leave out their flags that are false (`required`, `unique`, …; absent means false), and
/// a contract's or product's current version's entry in `versions` its origin (the record's own).
pub const FORMAT_VERSION: u32 = 4;

/// The record kinds, each with a JSON Schema `schemas/<kind>.schema.json` in the repository.
pub const KINDS: &[&str] = &["product", "contract", "team", "domain"];

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

/// `catalog.json`: one compact record per entity (ids, names, owners, links to the page and its
/// JSON, lineage, health), so that it stays small at any mesh size; the full records are in
/// [`product`], [`contract`], [`team`], [`domain`], [`lineage`] and [`health`].
pub fn render(catalog: &Catalog) -> Result<Vec<u8>> {
    let ids = |deps: &[catalog::Dependency]| -> Vec<&str> {
        deps.iter()
            .map(|d| catalog.products[d.product].id.as_str())
            .collect()
    };
    // The two long lists are written record by record in parallel (half of the file's time).
    let products: Vec<String> = (0..catalog.products.len())
        .into_par_iter()
        .map(|i| {
            let p = &catalog.products[i];
            let slo = catalog.metrics.product(i).map(super::metrics::state);
            compact(json!({
                "id": p.id, "name": p.name, "version": p.version, "status": p.status,
                "domain": p.domain, "owner": p.owner, "url": folder(&views::product_url(&p.slug)),
                "upstream": ids(&catalog.upstream[i]), "downstream": ids(&catalog.downstream[i]),
                "health": health_counts(catalog, &p.origin, slo),
            }))
        })
        .collect();
    let contracts: Vec<String> = catalog
        .contracts
        .par_iter()
        .map(|c| {
            compact(json!({
                "id": c.id, "name": c.name, "version": c.version, "status": c.status,
                "domain": c.domain, "owner": c.owner, "dataProduct": c.data_product,
                "url": folder(&views::contract_url(&c.slug)),
                "health": health_counts(catalog, &c.origin, None),
            }))
        })
        .collect();
    let teams: Vec<Value> = catalog
        .teams
        .iter()
        .map(|t| json!({ "id": t.id, "name": t.name, "domain": t.domain, "url": folder(&views::team_url(&t.slug)) }))
        .collect();
    let domains: Vec<Value> = catalog
        .domains
        .iter()
        .map(|d| json!({ "id": d.id, "name": d.name, "owner": d.owner, "url": folder(&views::domain_url(&d.slug)) }))
        .collect();
    let lineage = &catalog.lineage;
    // Nodes that are not products (systems, unresolved references): products are listed above.
    let nodes: Vec<Value> = lineage
        .nodes
        .iter()
        .filter(|n| n.kind != catalog::lineage::NodeKind::Product)
        .map(|n| json!({ "id": n.id, "kind": n.kind, "name": n.name }))
        .collect();
    let edges: Vec<Value> = lineage
        .edges
        .iter()
        .map(|e| json!([lineage.nodes[e.from].id, lineage.nodes[e.to].id, e.kind]))
        .collect();
    let counts = model::diagnostics::count(&catalog.diagnostics);
    let mut root = Map::new();
    root.insert("formatVersion".into(), json!(FORMAT_VERSION));
    root.insert("kind".into(), json!("catalog"));
    root.insert(
        "generator".into(),
        json!(concat!("meshdoc ", env!("CARGO_PKG_VERSION"))),
    );
    root.insert("sources".into(), json!(catalog.sources));
    let head = root;
    let mut root = Map::new();
    root.insert("teams".into(), Value::Array(teams));
    root.insert("domains".into(), Value::Array(domains));
    // Everyone the people pages list (Backstage users and every person named in a team,
    // product or contract), each with the folder of their page.
    let persons: Vec<Value> = catalog
        .people
        .entries
        .iter()
        .map(|e| {
            let mut v = json!(e.person);
            if let Value::Object(map) = &mut v {
                map.insert(
                    "url".into(),
                    json!(folder(&crate::people_pages::person_url(&e.slug))),
                );
            }
            v
        })
        .collect();
    let terms: Vec<Value> = catalog
        .glossary
        .terms
        .iter()
        .map(|t| {
            json!({
                "id": t.id, "name": t.name, "domain": t.domain, "owner": t.owner,
                "synonyms": t.synonyms, "sourceKind": t.source_kind,
                "url": folder(&crate::glossary_pages::term_url(&t.slug)),
            })
        })
        .collect();
    root.insert("persons".into(), Value::Array(persons));
    root.insert("terms".into(), Value::Array(terms));
    root.insert("agreements".into(), json!(catalog.agreements));
    root.insert("systems".into(), json!(catalog.systems));
    root.insert(
        "lineage".into(),
        json!({ "nodes": nodes, "edges": edges, "url": "lineage/" }),
    );
    root.insert(
        "health".into(),
        json!({ "errors": counts.errors, "warnings": counts.warnings, "infos": counts.infos, "url": "health/" }),
    );
    root.insert("metrics".into(), super::metrics::catalog_json(catalog));
    let lists = [("products", products), ("contracts", contracts)];
    let json = |e: serde_json::Error| Error::Template(format!("catalog.json: {e}"));
    object(head, &lists, root).map_err(json)
}

/// A record of a list written apart: pruned, then in the one-line form.
fn compact(mut record: Value) -> String {
    prune(&mut record);
    record.to_string()
}

/// One object as [`finish`] writes it: the fields of `head`, then `lists` (records already
/// written, see [`compact`]), then the fields of `tail`. Empty values are left out, as
/// [`prune`] leaves them out.
fn object(
    head: Map<String, Value>,
    lists: &[(&str, Vec<String>)],
    tail: Map<String, Value>,
) -> serde_json::Result<Vec<u8>> {
    let mut head_value = Value::Object(head);
    prune(&mut head_value);
    let mut tail_value = Value::Object(tail);
    prune(&mut tail_value);
    let mut fields: Vec<Vec<u8>> = Vec::new();
    for (key, value) in head_value
        .as_object()
        .into_iter()
        .flatten()
        .chain(tail_value.as_object().into_iter().flatten())
    {
        let mut field = serde_json::to_vec(key)?;
        field.push(b':');
        serde_json::to_writer(&mut field, value)?;
        fields.push(field);
    }
    let (head_fields, tail_fields) = fields.split_at(head_value.as_object().map_or(0, Map::len));
    let size: usize = lists
        .iter()
        .map(|(_, l)| l.iter().map(|r| r.len() + 1).sum::<usize>() + 16)
        .sum::<usize>()
        + fields.iter().map(|f| f.len() + 1).sum::<usize>();
    let mut out = Vec::with_capacity(size + 2);
    let separate = |out: &mut Vec<u8>| {
        if out.len() > 1 {
            out.push(b',');
        }
    };
    out.push(b'{');
    for field in head_fields {
        separate(&mut out);
        out.extend_from_slice(field);
    }
    for (key, records) in lists.iter().filter(|(_, l)| !l.is_empty()) {
        separate(&mut out);
        out.extend_from_slice(&serde_json::to_vec(key)?);
        out.extend_from_slice(b":[");
        for (k, record) in records.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            out.extend_from_slice(record.as_bytes());
        }
        out.push(b']');
    }
    for field in tail_fields {
        separate(&mut out);
        out.extend_from_slice(field);
    }
    out.push(b'}');
    Ok(out)
}

/// A page's folder URL (`products/orders/`): its JSON record is `index.json` in it.
fn folder(url: &str) -> String {
    url.trim_end_matches("index.html").to_string()
}

/// Diagnostics of the entity's file by severity, and the product's service-level state.
fn health_counts(catalog: &Catalog, origin: &model::Origin, slo: Option<&str>) -> Value {
    let key = (origin.source.clone(), origin.path.clone());
    let found = catalog.file_diagnostics.get(&key);
    let counts = model::diagnostics::count(
        found
            .into_iter()
            .flatten()
            .map(|&d| &catalog.diagnostics[d]),
    );
    json!({ "errors": counts.errors, "warnings": counts.warnings, "metrics": slo })
}

fn finish(mut value: Value, what: &str) -> Result<Vec<u8>> {
    prune(&mut value);
    // One line: at 10,000 products the pretty form is several times larger for no reader's gain.
    serde_json::to_vec(&value).map_err(|e| Error::Template(format!("{what}: {e}")))
}

/// `products/<id>/index.json`: the product as the model holds it, with lineage, metrics and
/// versions.
pub fn product(catalog: &Catalog, i: usize, access: &config::access::Access) -> Result<Vec<u8>> {
    let p = &catalog.products[i];
    let mut v = entity(p, views::product_url(&p.slug));
    if let Value::Object(map) = &mut v {
        let ids = |deps: &[catalog::Dependency]| -> Vec<String> {
            deps.iter()
                .map(|d| catalog.products[d.product].id.clone())
                .collect()
        };
        if let Some(Value::Array(ports)) = map.get_mut("outputPorts") {
            derived_port_facts(catalog, p, ports);
            request_links(catalog, i, access, ports);
        }
        map.insert("upstream".into(), json!(ids(&catalog.upstream[i])));
        map.insert("downstream".into(), json!(ids(&catalog.downstream[i])));
        if let Some(metrics) = super::metrics::product_json(catalog, i) {
            map.insert("metrics".into(), metrics);
        }
        let mut versions = versions::catalog_json(catalog, versions::Kind::Product, i);
        without_current_origin(&mut versions);
        map.insert("versions".into(), versions);
    }
    finish(with_format("product", v), "product JSON")
}

/// `contracts/<id>/index.json`: the contract, its history as commits, its versions.
pub fn contract(catalog: &Catalog, i: usize) -> Result<Vec<u8>> {
    let c = &catalog.contracts[i];
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
        for key in ["schema", "definitions"] {
            if let Some(Value::Array(fields)) = map.get_mut(key) {
                fields.iter_mut().for_each(drop_false_flags);
            }
        }
        let mut versions = versions::catalog_json(catalog, versions::Kind::Contract, i);
        without_current_origin(&mut versions);
        map.insert("versions".into(), versions);
    }
    finish(with_format("contract", v), "contract JSON")
}

/// The current version's origin is the record's own `origin`: said once (about 430 bytes of
/// every product and contract record).
fn without_current_origin(versions: &mut Value) {
    if let Value::Array(list) = versions {
        for version in list.iter_mut().filter(|v| v["current"] == true) {
            if let Value::Object(entry) = version {
                entry.remove("origin");
            }
        }
    }
}

/// The yes/no flags of a contract's field, false unless the file says otherwise.
const FIELD_FLAGS: &[&str] = &[
    "required",
    "unique",
    "primaryKey",
    "partitioned",
    "pii",
    "critical",
];

/// Leave out a field's flags that are false, in it and its nested fields: most fields set
/// none, and six `"…":false` per field made the record larger than the YAML it came from.
/// The schema gives their default (false).
fn drop_false_flags(field: &mut Value) {
    let Value::Object(map) = field else { return };
    map.retain(|k, v| !(v == &Value::Bool(false) && FIELD_FLAGS.contains(&k.as_str())));
    if let Some(Value::Array(nested)) = map.get_mut("properties") {
        nested.iter_mut().for_each(drop_false_flags);
    }
}

pub fn team(catalog: &Catalog, i: usize) -> Result<Vec<u8>> {
    let t = &catalog.teams[i];
    let mut v = entity(t, views::team_url(&t.slug));
    if let Value::Object(map) = &mut v {
        if let Some(kind) = map.remove("kind") {
            map.insert("teamKind".into(), kind);
        }
    }
    finish(with_format("team", v), "team JSON")
}

pub fn domain(catalog: &Catalog, i: usize) -> Result<Vec<u8>> {
    let d = &catalog.domains[i];
    finish(
        with_format("domain", entity(d, views::domain_url(&d.slug))),
        "domain JSON",
    )
}

/// `lineage/index.json`: every node, edge (with its evidence), column link and cycle.
pub fn lineage(catalog: &Catalog) -> Result<Vec<u8>> {
    let v = super::lineage_pages::catalog_json(catalog);
    finish(with_format("lineage", v), "lineage JSON")
}

/// `health/index.json`: every diagnostic.
pub fn health(catalog: &Catalog) -> Result<Vec<u8>> {
    finish(
        with_format("health", json!({ "diagnostics": catalog.diagnostics })),
        "health JSON",
    )
}

/// The JSON record of an entity that pages of their own module describe (glossary terms,
/// people): the entity with its page's URL, and `extra` fields beside it.
pub(crate) fn record(
    kind: &str,
    value: impl serde::Serialize,
    url: String,
    extra: Value,
    what: &str,
) -> Result<Vec<u8>> {
    let mut v = entity(value, url);
    if let (Value::Object(map), Value::Object(extra)) = (&mut v, extra) {
        // The entity's own `kind` (a term's data type) would collide with the record's kind:
        // it becomes `<kind>Kind`, as a team's does (`teamKind`).
        if let Some(own) = map.remove("kind") {
            map.insert(format!("{kind}Kind"), own);
        }
        map.extend(extra);
    }
    finish(with_format(kind, v), what)
}

/// The format version and the record's kind first in every record file, as in catalog.json: a
/// reader picks the schema (`schemas/<kind>.schema.json`) by `kind`.
pub fn with_format(kind: &str, v: Value) -> Value {
    let mut map = Map::new();
    map.insert("formatVersion".into(), json!(FORMAT_VERSION));
    map.insert("kind".into(), json!(kind));
    if let Value::Object(fields) = v {
        // A model field named `kind` is renamed before this (see `team`); the record's kind wins.
        map.extend(fields.into_iter().filter(|(k, _)| k != "kind"));
    }
    Value::Object(map)
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

/// Each output port's access-request link from the `[access] request_url` template, as the
/// page's "How to get access" block shows it (`access.requestUrl`), so tools can offer it too.
fn request_links(
    catalog: &Catalog,
    product: usize,
    access: &config::access::Access,
    ports: &mut [Value],
) {
    let p = &catalog.products[product];
    for (port, value) in p.output_ports.iter().zip(ports.iter_mut()) {
        let a = catalog::access::port_access(catalog, product, port);
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
