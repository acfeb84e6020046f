//! `catalog.json` and the JSON records beside the pages, for scripts and other tools. Documented
//! in README.

use std::borrow::Cow;

use rayon::prelude::*;
use serde_json::{json, Map, Value};

use catalog::Catalog;
use model::error::{Error, Result};

use super::json_record::{Record, Shape};
use super::{versions, views};

/// Bumped only on incompatible changes; additions keep the number. 3: every record file names its
/// `kind`, so a team's own kind (`team`, `department`, …) moved to `teamKind`. 4: a contract's
/// fields leave out their flags that are false (`required`, `unique`, …; absent means false), and
/// a contract's or product's current version's entry in `versions` its origin (the record's own).
pub const FORMAT_VERSION: u32 = 4;

/// The record kinds, each with a JSON Schema `schemas/<kind>.schema.json` in the repository.
pub const KINDS: &[&str] = &["product", "contract", "team", "domain"];

/// An entity's members as its record shows them: the model's fields, less those kept for other
/// stages, the standard as two fields, and the page's folder URL. Edits are made in the order
/// (and with the swap-removes) of the `serde_json::Map` these records were once built in, so the
/// files keep their key order (tests/entity_json_bytes.rs holds them to that).
fn entity(
    value: &impl serde::Serialize,
    url: &str,
    skip: &[&str],
    shape: impl Fn(&str) -> Shape,
) -> serde_json::Result<Record> {
    let mut record = Record::of(value, skip, shape)?;
    record.remove("slug");
    record.remove("sourceText");
    record.remove("dataProductAt");
    if let Some(standard) = record.remove("standard") {
        if let Ok(standard) = serde_json::from_slice::<Map<String, Value>>(&standard) {
            record.insert("standard", &standard.get("family"))?;
            record.insert("standardLabel", &standard.get("label"))?;
        }
    }
    record.insert("url", &url.trim_end_matches("index.html"))?;
    Ok(record)
}

/// The model's fields a record leaves out (removed below in `entity`): never written.
const LEFT_OUT: &[&str] = &["slug", "sourceText", "dataProductAt"];

/// Every member of an entity written as it is.
fn plain(_: &str) -> Shape {
    Shape::Plain
}

fn failed(what: &str) -> impl FnOnce(serde_json::Error) -> Error + '_ {
    move |e| Error::Template(format!("{what}: {e}"))
}

/// `catalog.json`: one compact record per entity (ids, names, owners, links to the page and its
/// JSON, lineage, health), so that it stays small at any mesh size; the full records are in
/// [`product`], [`contract`], [`team`], [`domain`], [`lineage`] and [`health`].
pub fn render(catalog: &Catalog) -> Result<Vec<u8>> {
    render_kept(catalog, None)
}

/// [`render`], taking the product and contract records whose key is unchanged from the last
/// build (`kept`: products, then contracts; see [`crate::parts`]).
pub fn render_kept(
    catalog: &Catalog,
    kept: Option<&(crate::parts::Kept, crate::parts::Kept)>,
) -> Result<Vec<u8>> {
    let ids = |deps: &[catalog::Dependency]| -> Vec<&str> {
        deps.iter()
            .map(|d| catalog.products[d.product].id.as_str())
            .collect()
    };
    // The two long lists are written record by record in parallel (half of the file's time).
    let product = |i: usize| {
        let p = &catalog.products[i];
        let slo = catalog.metrics.product(i).map(super::metrics::state);
        compact(json!({
            "id": p.id, "name": p.name, "version": p.version, "status": p.status,
            "domain": p.domain, "owner": p.owner, "url": folder(&views::product_url(&p.slug)),
            "upstream": ids(&catalog.upstream[i]), "downstream": ids(&catalog.downstream[i]),
            "health": health_counts(catalog, &p.origin, slo),
        }))
    };
    let contract = |i: usize| {
        let c = &catalog.contracts[i];
        compact(json!({
            "id": c.id, "name": c.name, "version": c.version, "status": c.status,
            "domain": c.domain, "owner": c.owner, "dataProduct": c.data_product,
            "url": folder(&views::contract_url(&c.slug)),
            "health": health_counts(catalog, &c.origin, None),
        }))
    };
    let kept = kept.filter(|(p, c)| {
        p.keys.len() == catalog.products.len() && c.keys.len() == catalog.contracts.len()
    });
    let (products, contracts): (Vec<Cow<str>>, Vec<Cow<str>>) = match kept {
        // Kept records are borrowed from the kept files while catalog.json is joined.
        Some((kept_products, kept_contracts)) => {
            return kept_products.join(product, |products| {
                kept_contracts.join(contract, |contracts| {
                    with_records(catalog, products.to_vec(), contracts.to_vec())
                })
            });
        }
        None => (
            (0..catalog.products.len())
                .into_par_iter()
                .map(|i| Cow::Owned(product(i)))
                .collect(),
            (0..catalog.contracts.len())
                .into_par_iter()
                .map(|i| Cow::Owned(contract(i)))
                .collect(),
        ),
    };
    with_records(catalog, products, contracts)
}

/// catalog.json with its product and contract records (`products`, `contracts`, in catalog
/// order) and everything else made from the catalog.
fn with_records(
    catalog: &Catalog,
    products: Vec<Cow<str>>,
    contracts: Vec<Cow<str>>,
) -> Result<Vec<u8>> {
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
    lists: &[(&str, Vec<Cow<str>>)],
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
    product_record(catalog, i, access).map_err(failed("product JSON"))
}

fn product_record(
    catalog: &Catalog,
    i: usize,
    access: &config::access::Access,
) -> serde_json::Result<Vec<u8>> {
    let p = &catalog.products[i];
    let mut record = entity(p, &views::product_url(&p.slug), LEFT_OUT, plain)?;
    if record.get("outputPorts").is_some() {
        record.insert_raw("outputPorts", &output_ports(catalog, i, access)?);
    }
    let ids = |deps: &[catalog::Dependency]| -> Vec<&str> {
        deps.iter()
            .map(|d| catalog.products[d.product].id.as_str())
            .collect()
    };
    record.insert("upstream", &ids(&catalog.upstream[i]))?;
    record.insert("downstream", &ids(&catalog.downstream[i]))?;
    if let Some(metrics) = super::metrics::product_json(catalog, i) {
        record.insert("metrics", &metrics)?;
    }
    let mut versions = versions::catalog_json(catalog, versions::Kind::Product, i);
    without_current_origin(&mut versions);
    record.insert("versions", &versions)?;
    Ok(with_format_record("product", record)?.into_bytes())
}

/// `contracts/<id>/index.json`: the contract, its history as commits, its versions.
pub fn contract(catalog: &Catalog, i: usize) -> Result<Vec<u8>> {
    contract_record(catalog, i).map_err(failed("contract JSON"))
}

fn contract_record(catalog: &Catalog, i: usize) -> serde_json::Result<Vec<u8>> {
    let c = &catalog.contracts[i];
    // A field's flags that are false are left out: most fields set none, and six `"…":false` per
    // field made the record larger than the YAML it came from (the schema gives their default).
    let shape = |key: &str| match key {
        "schema" | "definitions" => Shape::Fields,
        _ => Shape::Plain,
    };
    // A contract's text, the largest string it holds, and its history, written again below
    // without each version's text, are not written from the model.
    let skip = ["slug", "sourceText", "dataProductAt", "history"];
    let mut record = entity(c, &views::contract_url(&c.slug), &skip, shape)?;
    // History keeps each version's text for later stages; the JSON lists the commits only.
    let commits: Vec<Commit> = c
        .history
        .iter()
        .map(|v| Commit { change: &v.change })
        .collect();
    record.insert("history", &commits)?;
    let mut versions = versions::catalog_json(catalog, versions::Kind::Contract, i);
    without_current_origin(&mut versions);
    record.insert("versions", &versions)?;
    Ok(with_format_record("contract", record)?.into_bytes())
}

/// One version of a contract's file in its record: the commit, not the text.
#[derive(serde::Serialize)]
struct Commit<'a> {
    change: &'a model::Change,
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

pub fn team(catalog: &Catalog, i: usize) -> Result<Vec<u8>> {
    let t = &catalog.teams[i];
    let write = || -> serde_json::Result<Vec<u8>> {
        let mut record = entity(t, &views::team_url(&t.slug), LEFT_OUT, plain)?;
        if let Some(kind) = record.remove("kind") {
            record.insert_raw("teamKind", &kind);
        }
        Ok(with_format_record("team", record)?.into_bytes())
    };
    write().map_err(failed("team JSON"))
}

pub fn domain(catalog: &Catalog, i: usize) -> Result<Vec<u8>> {
    let d = &catalog.domains[i];
    let write = || -> serde_json::Result<Vec<u8>> {
        let record = entity(d, &views::domain_url(&d.slug), LEFT_OUT, plain)?;
        Ok(with_format_record("domain", record)?.into_bytes())
    };
    write().map_err(failed("domain JSON"))
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
    let write = || -> serde_json::Result<Vec<u8>> {
        let mut record = entity(&value, &url, LEFT_OUT, plain)?;
        // The entity's own `kind` (a term's data type) would collide with the record's kind:
        // it becomes `<kind>Kind`, as a team's does (`teamKind`).
        if let Some(own) = record.remove("kind") {
            record.insert_raw(&format!("{kind}Kind"), &own);
        }
        if let Value::Object(extra) = &extra {
            for (key, value) in extra {
                record.insert(key, value)?;
            }
        }
        Ok(with_format_record(kind, record)?.into_bytes())
    };
    write().map_err(failed(what))
}

/// [`with_format`] for a record written by [`Record`].
fn with_format_record(kind: &str, mut fields: Record) -> serde_json::Result<Record> {
    fields.lead_with(&FORMAT_VERSION, kind)?;
    Ok(fields)
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

/// A product's output ports as its record shows them: each port with its facts as the product
/// page shows them — personal data and servers read from the port and its contract
/// (`catalog::ports`), not only what the port itself states — and its access-request link from
/// the `[access] request_url` template (the page's "How to get access" block,
/// `access.requestUrl`), so tools can offer it too.
fn output_ports(
    catalog: &Catalog,
    product: usize,
    access: &config::access::Access,
) -> serde_json::Result<Vec<u8>> {
    let p = &catalog.products[product];
    let mut out = vec![b'['];
    for (k, port) in p.output_ports.iter().enumerate() {
        let mut record = Record::of(port, &[], plain)?;
        let facts = Record::of(&catalog::ports::output_port(catalog, port), &[], plain)?;
        record.extend(&facts, "");
        let a = catalog::access::port_access(catalog, product, port);
        let link = access.request_link(&[
            ("product", Some(a.product)),
            ("port", Some(a.port)),
            ("contract", a.contract_id),
            ("version", a.version),
        ]);
        if let Some(url) = link {
            record.insert("access", &json!({ "requestUrl": url }))?;
        }
        if k > 0 {
            out.push(b',');
        }
        record.write_to(&mut out);
    }
    out.push(b']');
    Ok(out)
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
