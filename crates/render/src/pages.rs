//! The context of each HTML page kind (the registry, `registry.rs`, says which page gets which).

use crate::views::CatalogRefs;
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use catalog::Catalog;
use model::diagnostics::{count, Severity};

use super::glossary_pages;
use super::lineage_pages;
use super::markdown;
use super::native::{self, Native};
use super::versions;
use super::views::{self, key_values, parts, DiagnosticView, Ref};

pub fn listing_path(section: &str, page: usize) -> String {
    if page <= 1 {
        format!("{section}/index.html")
    } else {
        format!("{section}/page/{page}/index.html")
    }
}

pub fn pages_for(total: usize, page_size: usize) -> usize {
    total.div_ceil(page_size).max(1)
}

/// Where a listing page is and what comes before and after it (`pagination` in templates).
#[derive(Serialize)]
pub struct Pagination {
    pub page: usize,
    pub pages: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// The one paginator of every listing: the range of `total` items on `page`, and its links
/// (`path` of a page number).
pub fn paginate(
    total: usize,
    page: usize,
    page_size: usize,
    path: impl Fn(usize) -> String,
) -> (std::ops::Range<usize>, Pagination) {
    let pages = pages_for(total, page_size);
    let start = ((page - 1) * page_size).min(total);
    let end = (start + page_size).min(total);
    (
        start..end,
        Pagination {
            page,
            pages,
            total,
            prev: (page > 1).then(|| path(page - 1)),
            next: (page < pages).then(|| path(page + 1)),
        },
    )
}

/// One listing row of a product (products listing, tag and status listings).
pub fn product_item(catalog: &Catalog, i: usize) -> Value {
    let p = &catalog.products[i];
    json!({
        "ref": catalog.product_ref(i),
        "description": views::summary(p.description.as_deref(), 160),
        "domain": catalog.domain_ref(p.domain.as_deref()),
        "owner": catalog.team_ref(p.owner.as_deref()),
        "status": p.status,
        "archetype": p.archetype,
        "standard": p.standard.label,
    })
}

pub fn products(catalog: &Catalog, n: usize, page_size: usize) -> (String, Value) {
    let (range, pagination) = paginate(catalog.products.len(), n, page_size, |page| {
        listing_path("products", page)
    });
    let items: Vec<Value> = range.map(|i| product_item(catalog, i)).collect();
    (
        "Data products".into(),
        json!({ "items": items, "pagination": pagination }),
    )
}

pub fn contracts(catalog: &Catalog, n: usize, page_size: usize) -> (String, Value) {
    let (range, pagination) = paginate(catalog.contracts.len(), n, page_size, |page| {
        listing_path("contracts", page)
    });
    let items: Vec<Value> = range
        .map(|i| {
            let c = &catalog.contracts[i];
            json!({
                "ref": catalog.contract_ref(i),
                "description": views::summary(c.description.as_deref(), 160),
                "domain": catalog.domain_ref(c.domain.as_deref()),
                "owner": catalog.team_ref(c.owner.as_deref()),
                "status": c.status,
                "version": c.version,
                "versions": catalog.contract_versions.get(i).map_or(1, Vec::len),
                "standard": c.standard.label,
                "product": c.data_product.as_deref().and_then(|p| catalog.product_ref_by_id(p)),
            })
        })
        .collect();
    (
        "Data contracts".into(),
        json!({ "items": items, "pagination": pagination }),
    )
}

pub fn teams(catalog: &Catalog, n: usize, page_size: usize) -> (String, Value) {
    let (range, pagination) = paginate(catalog.teams.len(), n, page_size, |page| {
        listing_path("teams", page)
    });
    let items: Vec<Value> = range
        .map(|i| {
            let t = &catalog.teams[i];
            json!({
                "ref": catalog.team_ref(Some(&t.id)),
                "kind": t.kind,
                "products": catalog.team_products[i].len(),
                "contracts": catalog.team_contracts[i].len(),
                "members": t.members.len(),
                "defined": t.origin.is_some(),
            })
        })
        .collect();
    (
        "Teams".into(),
        json!({ "items": items, "pagination": pagination }),
    )
}

pub fn domains(catalog: &Catalog, n: usize, page_size: usize) -> (String, Value) {
    let (range, pagination) = paginate(catalog.domains.len(), n, page_size, |page| {
        listing_path("domains", page)
    });
    let items: Vec<Value> = range
        .map(|i| {
            let d = &catalog.domains[i];
            json!({
                "ref": catalog.domain_ref(Some(&d.id)),
                "description": views::summary(d.description.as_deref(), 160),
                "products": catalog.domain_products[i].len(),
                "contracts": catalog.domain_contracts[i].len(),
                "owner": catalog.team_ref(d.owner.as_deref()),
            })
        })
        .collect();
    (
        "Domains".into(),
        json!({ "items": items, "pagination": pagination }),
    )
}

/// A product's page: its facts, then its lineage one hop out. `version` picks a version that is
/// not current (its own page: same facts, lineage only on the current version's page).
pub fn product_page(
    catalog: &Catalog,
    i: usize,
    version: Option<usize>,
    root: &str,
    native: Native,
) -> (String, Value) {
    let mut v = product(catalog, i, version);
    if version.is_none() {
        let lineage = lineage_pages::product_view(catalog, i, root);
        if native.product_lineage {
            v["lineage_html"] = native::product_lineage::render(&lineage, root).into();
        } else {
            v["lineage"] = lineage.to_json();
        }
    }
    (page_title(&catalog.products[i].name, &v), v)
}

/// A contract's page: its facts, then its column lineage. `version` as for products.
pub fn contract_page(
    catalog: &Catalog,
    i: usize,
    version: Option<usize>,
    root: &str,
    native: Native,
) -> (String, Value) {
    let tables = native.schema_table.then_some(root);
    let mut v = contract(catalog, i, version, tables);
    if version.is_none() {
        v["column_lineage"] = lineage_pages::contract_columns(catalog, i, root).into();
        v["quality_history"] = super::quality_history::contract(catalog, i);
    }
    (page_title(&catalog.contracts[i].name, &v), v)
}

/// The page title: the name, and the version on the page of one that is not current.
fn page_title(name: &str, context: &Value) -> String {
    match context["version_banner"]["version"].as_str() {
        Some(version) => format!("{name} {version}"),
        None => name.to_string(),
    }
}

/// A domain's page: its facts, then its lineage.
pub fn domain_page(catalog: &Catalog, i: usize, root: &str, page_size: usize) -> (String, Value) {
    let mut v = domain(catalog, i, page_size);
    v["lineage"] = lineage_pages::domain(catalog, i, root);
    (catalog.domains[i].name.clone(), v)
}

pub fn overview(catalog: &Catalog) -> Value {
    let counts = count(&catalog.diagnostics);
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    let mut standards: BTreeMap<String, usize> = BTreeMap::new();
    for p in &catalog.products {
        *statuses
            .entry(p.status.clone().unwrap_or_else(|| "unknown".into()))
            .or_default() += 1;
        *standards.entry(p.standard.label.clone()).or_default() += 1;
    }
    for c in &catalog.contracts {
        *standards.entry(c.standard.label.clone()).or_default() += 1;
    }
    let domains: Vec<Value> = catalog
        .domains
        .iter()
        .enumerate()
        .map(|(i, d)| {
            json!({
                "ref": catalog.domain_ref(Some(&d.id)),
                "products": catalog.domain_products[i].len(),
                "contracts": catalog.domain_contracts[i].len(),
                "owner": catalog.team_ref(d.owner.as_deref()),
            })
        })
        .collect();
    let mut teams: Vec<(usize, usize)> = catalog
        .team_products
        .iter()
        .map(Vec::len)
        .enumerate()
        .collect();
    teams.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let teams: Vec<Value> = teams
        .iter()
        .take(12)
        .map(
            |&(i, n)| json!({ "ref": catalog.team_ref(Some(&catalog.teams[i].id)), "products": n }),
        )
        .collect();
    let attention: Vec<Value> = catalog
        .products
        .iter()
        .enumerate()
        .filter(|(_, p)| is_retiring(p.status.as_deref()))
        .take(10)
        .map(|(i, p)| {
            let status = p.status.clone().unwrap_or_default();
            json!({ "ref": catalog.product_ref(i), "status": status, "reason": format!("{status}: consumers should move off it") })
        })
        .collect();
    json!({
        "stats": {
            "products": catalog.products.len(),
            "contracts": catalog.contracts.len(),
            "teams": catalog.teams.len(),
            "domains": catalog.domains.len(),
            "errors": counts.errors,
            "warnings": counts.warnings,
        },
        "statuses": statuses.into_iter().map(|(status, count)| json!({"status": status, "count": count})).collect::<Vec<_>>(),
        "standards": standards.into_iter().map(|(label, count)| json!({"label": label, "count": count})).collect::<Vec<_>>(),
        "domains": domains,
        "teams": teams,
        "teams_total": catalog.teams.len(),
        "attention": attention,
        "metrics_health": super::metrics::overview(catalog),
    })
}

fn is_retiring(status: Option<&str>) -> bool {
    matches!(
        status.map(str::to_ascii_lowercase).as_deref(),
        Some("deprecated" | "retired" | "sunset")
    )
}

pub(crate) fn file_diagnostics(catalog: &Catalog, source: &str, path: &str) -> Vec<DiagnosticView> {
    catalog
        .file_diagnostics
        .get(&(source.to_string(), path.to_string()))
        .into_iter()
        .flatten()
        .map(|&i| &catalog.diagnostics[i])
        .filter(|d| d.severity != Severity::Info)
        .map(DiagnosticView::from)
        .collect()
}

// Kept whole: one JSON context that mirrors product.html section by section.
fn product(catalog: &Catalog, i: usize, version: Option<usize>) -> Value {
    let p = versions::product(catalog, i, version);
    // Lineage, consumers and metrics are the current version's.
    let current = version.is_none();
    let inputs: Vec<Value> = p
        .input_ports
        .iter()
        .take(INPUT_ROWS)
        .map(|port| {
            json!({
                "id": (port.id != port.name).then_some(&port.id),
                "name": port.name,
                "description": port.description,
                "version": port.version,
                "kind": port.kind,
                "upstream": port.source_product.as_deref().and_then(|id| catalog.product_ref_by_id(id))
                    // Ports of a version that is not current are not resolved: its provider.
                    .or_else(|| port.contract_id.as_ref().and_then(|c| catalog.contract_provider.get(c)).map(|&(pi, _)| catalog.product_ref(pi))),
                "contract": port.contract_id.as_deref().map(|id| contract_or_missing(catalog, id, port.version.as_deref())),
                "system": port.source_system.as_deref().map(|id| system_name(catalog, id)),
                "custom": key_values(&port.custom),
                "location": port.location,
                "deprecated": port.deprecated,
                "tags": port.tags,
                "links": port.links,
                "details": views::flat_values(&port.details),
            })
        })
        .collect();
    // The first PORT_CONSUMERS_SHOWN readers of a port, and how many there are in all.
    let consumers_of = |contract: Option<&String>| -> (Vec<Ref>, usize) {
        let mut readers = catalog.downstream[i]
            .iter()
            .filter(|_| current)
            .filter(|d| contract.is_some() && d.contract.as_ref() == contract);
        let shown = readers
            .by_ref()
            .take(PORT_CONSUMERS_SHOWN)
            .map(|d| catalog.product_ref(d.product))
            .collect::<Vec<_>>();
        let total = shown.len() + readers.count();
        (shown, total)
    };
    let outputs: Vec<Value> = p
        .output_ports
        .iter()
        .map(|port| {
            let facts = catalog::ports::output_port(catalog, port);
            let (consumers, consumer_count) = consumers_of(port.contract_id.as_ref());
            json!({
                "id": port.id,
                "id_shown": (port.id != port.name).then_some(&port.id),
                "name": port.name,
                "description": port.description,
                "kind": port.kind,
                "version": port.version,
                "status": port.status,
                "servers": facts.servers,
                "location": port.location,
                "links": port.links,
                "sbom": port.sbom,
                "deprecated": port.deprecated,
                "synonyms": port.synonyms,
                "guidance": port.guidance,
                "details": views::flat_values(&port.details),
                "contains_pii": facts.contains_pii,
                "pii_stated_by": facts.pii_stated_by,
                "contract_version": facts.contract_version,
                "pii_columns": facts.pii_columns,
                "pii_columns_shown": facts.pii_columns.iter().take(PII_COLUMNS_SHOWN).collect::<Vec<_>>(),
                "pii_columns_more": facts.pii_columns.len().saturating_sub(PII_COLUMNS_SHOWN),
                "critical_columns": facts.critical_columns,
                "contract": port.contract_id.as_deref().map(|id| contract_or_missing(catalog, id, port.version.as_deref())),
                "built_from": built_from(catalog, port),
                "contract_missing": port.contract_id.as_ref().is_some_and(|id| !catalog.contract_by_id.contains_key(id)),
                "consumers_more": consumer_count - consumers.len(),
                "consumer_count": consumer_count,
                "consumers": consumers,
                "tags": port.tags,
                "custom": key_values(&port.custom),
            })
        })
        .collect();
    let diagnostics = file_diagnostics(catalog, &p.origin.source, &p.origin.path);
    let management: Vec<Value> = p
        .management_ports
        .iter()
        .map(|m| {
            json!({
                "name": m.name, "content": m.content, "kind": m.kind, "url": m.url,
                "channel": m.channel, "description": m.description, "deprecated": m.deprecated,
                "tags": m.tags, "links": m.links, "custom": key_values(&m.custom),
                "details": views::flat_values(&m.details),
            })
        })
        .collect();
    let v = json!({
        "product": {
            "id": p.id, "name": p.name, "version": p.version, "status": p.status, "archetype": p.archetype,
            "tags": p.tags, "standard": p.standard, "origin": p.origin,
            "tenant": p.tenant, "created": p.created, "deprecated": p.deprecated, "synonyms": p.synonyms,
            "created_shown": p.created.as_deref().map(|t| model::display::spoken(t, None)),
        },
        "team_info": p.team,
        "description_html": p.description.as_deref().map(markdown::render),
        "parts": parts(&p.description_parts),
        "domain": catalog.domain_ref(p.domain.as_deref()),
        "owner": catalog.team_ref(p.owner.as_deref()),
        "members": views::members(catalog, &p.members),
        "inputs_total": p.input_ports.len(),
        // Upstream and downstream products are the lineage section's (bounded) lists.
        "links": p.links,
        "support": p.support,
        // Sections shown as tables are not repeated as raw custom properties.
        "custom": key_values(&p.custom)
            .into_iter()
            .filter(|kv| !p.tables.iter().any(|t| t.key.as_deref() == Some(kv.key.as_str())))
            .collect::<Vec<_>>(),
        "extensions": key_values(&p.extensions),
        "origin": p.origin,
        "diagnostics_total": diagnostics.len(),
        "diagnostics": &diagnostics[..diagnostics.len().min(DIAGNOSTICS_SHOWN)],
        "versions_total": catalog.product_versions.get(i).map_or(1, Vec::len),
    });
    crate::context::with(
        v,
        [
            (
                "guidance",
                p.guidance.as_ref().map(guidance).unwrap_or_default(),
            ),
            ("management_ports", management.into()),
            ("table_sections", views::table_sections(&p.tables).into()),
            ("inputs", inputs.into()),
            ("outputs", outputs.into()),
            (
                "metrics",
                if current {
                    super::metrics::product(catalog, i)
                } else {
                    Value::Null
                },
            ),
            (
                "versions",
                versions::section(catalog, versions::Kind::Product, i, version).into(),
            ),
            (
                "version_banner",
                versions::banner(catalog, versions::Kind::Product, i, version),
            ),
        ],
    )
}

/// Guidance for AI agents, its instructions rendered as markdown.
fn guidance(g: &model::Guidance) -> Value {
    json!({
        "instructions_html": g.instructions.as_deref().map(markdown::render),
        "statements": g.statements,
        "constraints": g.constraints,
        "details": views::flat_values(&g.details),
    })
}

/// A contract link — to the page of the version a port names, when the catalog holds it — or
/// the bare id (no page) when no source defines it.
pub(crate) fn contract_or_missing(catalog: &Catalog, id: &str, version: Option<&str>) -> Ref {
    versions::contract_ref(catalog, id, version).unwrap_or_else(|| Ref {
        id: id.to_string(),
        name: id.to_string(),
        url: None,
    })
}

/// The contracts an output port is built from (Bitol ODPS `inputContracts`), each with the
/// version it names, linked to that version's page where the catalog holds it.
fn built_from(catalog: &Catalog, port: &model::OutputPort) -> Vec<Value> {
    port.input_contracts
        .iter()
        .map(|id| {
            let version = port
                .input_contract_versions
                .iter()
                .find(|v| &v.id == id)
                .map(|v| v.version.as_str());
            json!({ "contract": contract_or_missing(catalog, id, version), "version": version })
        })
        .collect()
}

pub(crate) fn system_name(catalog: &Catalog, id: &str) -> String {
    catalog
        .systems
        .binary_search_by(|s| s.id.as_str().cmp(id))
        .map(|i| catalog.systems[i].name.clone())
        .unwrap_or_else(|_| id.to_string())
}

/// A foreign key of contract `i`, as a link to the target column's anchor (on this page or
/// another) and the other contract's name.
pub(crate) fn foreign_key(
    catalog: &Catalog,
    i: usize,
    to: &str,
) -> Option<(String, Option<String>)> {
    let t = catalog
        .ref_index
        .resolve(&catalog.contracts, i, to)
        .ok()
        .flatten()?;
    let anchor = if t.path.is_empty() {
        views::anchor(&t.object)
    } else {
        views::anchor(&format!("{}.{}", t.object, t.path))
    };
    let target = &catalog.contracts[t.contract];
    Some((
        format!("{}#{anchor}", views::contract_url(&target.slug)),
        (t.contract != i).then(|| target.name.clone()),
    ))
}

/// A foreign key written in a version that is not current: to its own objects on its own page,
/// else as the current version's would lead.
pub(crate) fn version_foreign_key(
    catalog: &Catalog,
    i: usize,
    k: usize,
    to: &str,
) -> Option<(String, Option<String>)> {
    let c = versions::contract(catalog, i, Some(k));
    let t = catalog
        .ref_index
        .resolve_in_version(&catalog.contracts, i, c, to)
        .ok()
        .flatten()?;
    let own = t.contract == i && c.schema.iter().any(|o| o.name == t.object);
    if !own {
        return foreign_key(catalog, i, to);
    }
    let anchor = if t.path.is_empty() {
        views::anchor(&t.object)
    } else {
        views::anchor(&format!("{}.{}", t.object, t.path))
    };
    // The version's own page, addressed from the root like every other link.
    Some((
        format!(
            "{}#{anchor}",
            versions::url_of(catalog, versions::Kind::Contract, i, k)
        ),
        None,
    ))
}

/// The contracts that the foreign keys of contract `i` resolve to (the page links their columns).
pub fn foreign_key_targets(catalog: &Catalog, i: usize) -> Vec<usize> {
    fn walk(catalog: &Catalog, i: usize, props: &[model::SchemaProperty], out: &mut Vec<usize>) {
        for p in props {
            for to in p.relationships.iter().flat_map(|r| r.to.iter()) {
                let target = catalog.ref_index.resolve(&catalog.contracts, i, to);
                out.extend(target.ok().flatten().map(|t| t.contract));
            }
            walk(catalog, i, &p.properties, out);
        }
    }
    let mut out = Vec::new();
    for o in &catalog.contracts[i].schema {
        walk(catalog, i, &o.properties, &mut out);
    }
    out
}

/// An approver as written, linked to their person page where they have one.
fn approver_ref(catalog: &Catalog, approver: &str) -> views::Ref {
    match catalog.people.find(approver) {
        Some(p) => super::people_pages::person_ref(p),
        None => views::Ref {
            id: approver.to_string(),
            name: approver.to_string(),
            url: None,
        },
    }
}

/// The schema objects of contract `i` (of its version `version`), each with its rows (columns).
/// With `tables` (the page's root), each object's table comes written (`table_html`, the
/// compiled `schema_table`) and its rows are left out but for the column list of a long one.
fn schema_objects(
    catalog: &Catalog,
    i: usize,
    version: Option<usize>,
    tables: Option<&str>,
) -> Vec<Value> {
    let c = versions::contract(catalog, i, version);
    let resolve = |to: &str| match version {
        None => foreign_key(catalog, i, to),
        Some(k) => version_foreign_key(catalog, i, k, to),
    };
    c.schema
        .iter()
        .map(|o| {
            let rows = glossary_pages::with_terms(
                catalog,
                (i, version),
                &o.name,
                views::rows_with(&o.name, &o.properties, &resolve),
            );
            let row_count = rows.len();
            let (rows, table_html, columns) = match tables {
                Some(root) => {
                    let table = (!rows.is_empty()).then(|| {
                        native::schema_table::render(
                            &rows,
                            &format!("Fields of {}", o.name),
                            &views::anchor(&o.name),
                            root,
                        )
                    });
                    // Only the list of columns of a long table reads its rows.
                    let listed: Vec<Value> = if row_count > COLUMN_LIST_ROWS {
                        rows.iter()
                            .map(|r| json!({ "anchor": r.anchor, "path": r.path }))
                            .collect()
                    } else {
                        Vec::new()
                    };
                    (Value::Array(listed), table, Value::Null)
                }
                None => (
                    serde_json::to_value(&rows).unwrap_or_default(),
                    None,
                    views::schema_columns(&rows),
                ),
            };
            json!({
                "columns": columns,
                "row_count": row_count,
                "table_html": table_html,
                "name": o.name,
                "anchor": views::anchor(&o.name),
                "kind": o.kind,
                "physical_name": o.physical_name,
                "business_name": o.business_name,
                "description": o.description,
                "quality": views::rules(&o.quality),
                "custom": key_values(&o.custom),
                "extensions": key_values(&o.extensions),
                "definitions": o.definitions,
                "tags": o.tags,
                "granularity": o.granularity,
                "relations": o.relationships.iter().map(|r| json!({
                    "from": r.from.join(", "), "to": r.to.join(", "),
                })).collect::<Vec<_>>(),
                "rows": rows,
                "logical_type": o.logical_type,
                "element_id": o.element_id,
                "primary_key": o.primary_key,
                "examples": o.examples,
                "synonyms": o.synonyms,
                "guidance": o.guidance.as_ref().map(guidance),
            })
        })
        .collect()
}

fn contract(catalog: &Catalog, i: usize, version: Option<usize>, tables: Option<&str>) -> Value {
    let c = versions::contract(catalog, i, version);
    let objects = schema_objects(catalog, i, version, tables);
    let provider = catalog.contract_provider.get(&c.id);
    let mut consumers = versions::consumers(catalog, i, version);
    // A hub contract read by hundreds lists the first CONSUMER_ROWS and counts the rest.
    let consumer_count = consumers.len();
    consumers.truncate(CONSUMER_ROWS);
    let resolve = |to: &str| foreign_key(catalog, i, to);
    let definitions = views::rows_with("definitions", &c.definitions, &resolve);
    let definitions_count = definitions.len();
    // With compiled tables the definitions come written; their rows are not needed.
    let (definitions, definitions_html) = match tables {
        Some(root) if !definitions.is_empty() => {
            let html = native::schema_table::render(
                &definitions,
                "Definitions",
                "definitions-title",
                root,
            );
            (Vec::new(), Some(html))
        }
        _ => (definitions, None),
    };
    let history = changelog(catalog, i, version);
    let v = json!({
        "contract": {
            "id": c.id, "name": c.name, "version": c.version, "status": c.status, "tags": c.tags,
            "pricing": c.pricing, "standard": c.standard,
            "tenant": c.tenant, "created": c.created,
            "created_shown": c.created.as_deref().map(|t| model::display::spoken(t, None)),
        },
        // A team block that names only the owner (ODCS `team.name`) says nothing the facts do not.
        "team_info": c.team.as_ref().filter(|t| {
            t.name.is_some() || t.description.is_some() || !t.tags.is_empty()
                || !t.links.is_empty() || !t.custom.is_empty()
        }),
        "examples": views::examples(&c.examples),
        "schema_specification": c.schema_specification.as_ref().map(|s| json!({
            "kind": s.kind, "data": views::data(&s.data),
        })),
        "definitions": definitions,
        "definitions_count": definitions_count,
        "definitions_html": definitions_html,
        "definition_columns": views::schema_columns(&definitions),
        "description_html": c.description.as_deref().map(markdown::render),
        "parts": parts(&c.description_parts),
        "terms": parts(&c.terms),
        "domain": catalog.domain_ref(c.domain.as_deref()),
        "owner": catalog.team_ref(c.owner.as_deref()),
        "product": provider.map(|&(pi, _)| catalog.product_ref(pi))
            .or_else(|| c.data_product.as_deref().map(|d| catalog.product_ref_by_id(d).unwrap_or_else(|| Ref {
                id: d.to_string(),
                name: d.to_string(),
                url: None,
            }))),
        "port": provider.map(|&(pi, oi)| catalog.products[pi].output_ports[oi].name.clone()),
        "consumers": consumers,
        "consumer_count": consumer_count,
        "quality": views::rules(&c.quality),
        // Values in words ("30 minutes", "99.5 %", dates as dates), the written form kept.
        "sla": c.sla.iter().map(|s| json!({
            "property": s.property, "label": model::display::humanize(&s.property),
            "value": s.value, "unit": s.unit, "element": s.element,
            "driver": s.driver, "description": s.description, "schedule": s.schedule,
            "shown": model::display::spoken(&s.value, s.unit.as_deref()),
            "written": match &s.unit { Some(u) => format!("{} {u}", s.value), None => s.value.clone() },
        })).collect::<Vec<_>>(),
        // The columns of the service-level table that some objective fills.
        "sla_columns": {
            "element": c.sla.iter().any(|s| s.element.is_some()),
            "driver": c.sla.iter().any(|s| s.driver.is_some()),
            "description": c.sla.iter().any(|s| s.description.is_some() || s.schedule.is_some()),
        },
        "servers": c.servers.iter().map(|s| json!({
            "name": s.name, "kind": s.kind, "environment": s.environment, "details": key_values(&s.details),
        })).collect::<Vec<_>>(),
        "support": c.support,
        "members": views::members(catalog, &c.members),
        "roles": c.roles.iter().map(|r| json!({
            "name": r.name, "access": r.access, "description": r.description,
            "approvers": r.approvers, "details": views::flat_values(&r.details),
            "approver_refs": r.approvers.iter().map(|a| approver_ref(catalog, a)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "links": c.links,
        "custom": key_values(&c.custom),
        "extensions": key_values(&c.extensions),
        "origin": c.origin,
        // A file changed in hundreds of commits lists the newest HISTORY_ROWS and counts the rest.
        "history": &history[..history.len().min(HISTORY_ROWS)],
        "history_total": history.len(),
        "diagnostics": file_diagnostics(catalog, &c.origin.source, &c.origin.path),
        "source_file": c.source_text.as_ref().map(|_| source_file_name(c)),
        // The highlighted file beside the page, which diagnostics link into by line.
        "source_view": if c.source_text.is_some() { "source/index.html" } else { "" },
        "source_lines": c.source_text.as_deref().map(|t| t.lines().count()),
        "versions_total": catalog.contract_versions.get(i).map_or(1, Vec::len),
    });
    crate::context::with(
        v,
        [
            (
                "guidance",
                c.guidance.as_ref().map(guidance).unwrap_or_default(),
            ),
            ("objects", objects.into()),
            (
                "versions",
                versions::section(catalog, versions::Kind::Contract, i, version).into(),
            ),
            (
                "version_banner",
                versions::banner(catalog, versions::Kind::Contract, i, version),
            ),
        ],
    )
}

/// The git changelog of the file of contract `i`'s version `version`.
pub(crate) fn changelog(
    catalog: &Catalog,
    i: usize,
    version: Option<usize>,
) -> &[catalog::contracts::history::VersionChanges] {
    let log = match version.and_then(|k| catalog.contract_versions.get(i)?.get(k)?.other) {
        Some(o) => catalog.other_changelogs.get(o),
        None => catalog.changelogs.get(i),
    };
    log.map(Vec::as_slice).unwrap_or_default()
}

/// The name under which a contract's file is copied beside its page.
pub fn source_file_name(c: &model::DataContract) -> String {
    let base = c.origin.path.rsplit('/').next().unwrap_or("contract.yaml");
    let safe: String = base
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || "._-".contains(ch) {
                ch
            } else {
                '-'
            }
        })
        .collect();
    let lower = safe.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.starts_with('.') || lower == "index" || safe.is_empty() {
        format!("contract-{safe}.yaml")
    } else {
        safe
    }
}

pub fn contract_source(catalog: &Catalog, i: usize, version: Option<usize>) -> (String, Value) {
    let c = versions::contract(catalog, i, version);
    let text = c.source_text.as_deref().unwrap_or("");
    let page = match version {
        Some(k) => versions::url_of(catalog, versions::Kind::Contract, i, k),
        None => views::contract_url(&c.slug),
    };
    let context = json!({
        "contract": { "id": c.id, "name": c.name, "origin": c.origin, "version": c.version },
        "contract_url": page,
        "version_page": version.is_some(),
        "file": source_file_name(c),
        "lines": text.lines().count(),
        "bytes": text.len(),
        "source_html": markdown::highlight_manifest(text),
        "origin": c.origin,
    });
    let title = match (version, &c.version) {
        (Some(_), Some(v)) => format!("{} {v} (source)", c.name),
        _ => format!("{} (source)", c.name),
    };
    (title, context)
}

/// The rows of a team's or domain's contract list.
fn contract_rows(catalog: &Catalog, contracts: &[usize]) -> Vec<Value> {
    contracts
        .iter()
        .map(|&ci| {
            let c = &catalog.contracts[ci];
            json!({ "ref": catalog.contract_ref(ci), "status": c.status, "version": c.version })
        })
        .collect()
}

/// Which of a team's or domain's products and contracts page `page` lists: long lists paginate
/// together (page n shows the n-th slice of each), so that no page outgrows its budget.
pub struct ListPage {
    pub products: std::ops::Range<usize>,
    pub contracts: std::ops::Range<usize>,
    pub pagination: Pagination,
}

/// Pages a team or domain with this many products and contracts takes.
pub fn list_pages(products: usize, contracts: usize, page_size: usize) -> usize {
    pages_for(products.max(contracts), page_size)
}

/// The path of page `page` of an entity whose first page is `first` (`teams/x/index.html`).
pub fn entity_page_path(first: &str, page: usize) -> String {
    if page <= 1 {
        first.to_string()
    } else {
        first.replace("/index.html", &format!("/page/{page}/index.html"))
    }
}

pub fn list_page(
    first: &str,
    (products, contracts): (usize, usize),
    page: usize,
    page_size: usize,
) -> ListPage {
    let path = |n: usize| entity_page_path(first, n);
    let (range, pagination) = paginate(products.max(contracts), page, page_size, path);
    let clip = |total: usize| range.start.min(total)..range.end.min(total);
    ListPage {
        products: clip(products),
        contracts: clip(contracts),
        pagination,
    }
}

fn team_product_rows(catalog: &Catalog, products: &[usize]) -> Vec<Value> {
    products
        .iter()
        .map(|&pi| {
            let p = &catalog.products[pi];
            json!({
                "ref": catalog.product_ref(pi),
                "status": p.status,
                "domain": catalog.domain_ref(p.domain.as_deref()),
                "archetype": p.archetype,
            })
        })
        .collect()
}

fn domain_product_rows(catalog: &Catalog, products: &[usize]) -> Vec<Value> {
    products
        .iter()
        .map(|&pi| {
            let p = &catalog.products[pi];
            json!({
                "ref": catalog.product_ref(pi),
                "status": p.status,
                "owner": catalog.team_ref(p.owner.as_deref()),
                "archetype": p.archetype,
            })
        })
        .collect()
}

/// The lists of a team (`team: true`) or domain past their first page (`team.html` and
/// `domain.html` show the first).
pub fn entity_lists(
    catalog: &Catalog,
    team: bool,
    i: usize,
    page: usize,
    page_size: usize,
) -> (String, Value) {
    let (name, first, all_products, all_contracts, section) = if team {
        let t = &catalog.teams[i];
        let (p, c) = (&catalog.team_products[i], &catalog.team_contracts[i]);
        (&t.name, views::team_url(&t.slug), p, c, "Teams")
    } else {
        let d = &catalog.domains[i];
        let (p, c) = (&catalog.domain_products[i], &catalog.domain_contracts[i]);
        (&d.name, views::domain_url(&d.slug), p, c, "Domains")
    };
    let lp = list_page(
        &first,
        (all_products.len(), all_contracts.len()),
        page,
        page_size,
    );
    let products = &all_products[lp.products.clone()];
    let rows = if team {
        team_product_rows(catalog, products)
    } else {
        domain_product_rows(catalog, products)
    };
    (
        format!("{name}, page {page}"),
        json!({
            "name": name,
            "team": team,
            "section_title": section,
            "section_url": if team { "teams/index.html" } else { "domains/index.html" },
            "url": first,
            "products": rows,
            "contracts": contract_rows(catalog, &all_contracts[lp.contracts.clone()]),
            "product_count": all_products.len(),
            "contract_count": all_contracts.len(),
            "first_product": lp.products.start + 1,
            "first_contract": lp.contracts.start + 1,
            "pagination": lp.pagination,
        }),
    )
}

pub fn team(catalog: &Catalog, i: usize, page_size: usize) -> Value {
    let t = &catalog.teams[i];
    let lp = list_page(
        &views::team_url(&t.slug),
        (
            catalog.team_products[i].len(),
            catalog.team_contracts[i].len(),
        ),
        1,
        page_size,
    );
    let products = team_product_rows(catalog, &catalog.team_products[i][lp.products.clone()]);
    let contracts = contract_rows(catalog, &catalog.team_contracts[i][lp.contracts.clone()]);
    // The domains of what the team owns: its products and its contracts.
    let mut domain_ids: Vec<&str> = catalog.team_products[i]
        .iter()
        .filter_map(|&pi| catalog.products[pi].domain.as_deref())
        .chain(
            catalog.team_contracts[i]
                .iter()
                .filter_map(|&ci| catalog.contracts[ci].domain.as_deref()),
        )
        .collect();
    domain_ids.sort();
    domain_ids.dedup();
    // People who list the team in their own record (Backstage `memberOf`) count as members too.
    let mut members = t.members.clone();
    for p in catalog.team_persons[i]
        .iter()
        .map(|&pi| &catalog.persons[pi])
    {
        if !members.iter().any(|m| m.id == p.id) {
            members.push(model::Member {
                id: p.id.clone(),
                name: p.name.clone(),
                email: p.email.clone(),
                ..Default::default()
            });
        }
    }
    // What members own themselves (Backstage `spec.owner: user:…`).
    let owned_by_members: Vec<Value> = members
        .iter()
        .filter_map(|m| {
            let owns = catalog.person_owns.get(&m.id)?;
            let person = catalog.person_by_id.get(&m.id).map(|&i| &catalog.persons[i]);
            Some(json!({
                "anchor": views::person_anchor(&m.id),
                "name": m.name.clone().or_else(|| person.and_then(|p| p.name.clone())).unwrap_or_else(|| m.id.clone()),
                "products": owns.products.iter().map(|&pi| catalog.product_ref(pi)).collect::<Vec<_>>(),
                "contracts": owns.contracts.iter().map(|&ci| catalog.contract_ref(ci)).collect::<Vec<_>>(),
                "domains": owns.domains.iter().filter_map(|&di| catalog.domain_ref(Some(&catalog.domains[di].id))).collect::<Vec<_>>(),
                "systems": owns.systems.iter().map(|&si| &catalog.systems[si]).map(|s| json!({
                    "name": s.name, "id": s.id, "domain": catalog.domain_ref(s.domain.as_deref()),
                })).collect::<Vec<_>>(),
            }))
        })
        .collect();
    json!({
        "owned_by_members": owned_by_members,
        "team": {
            "id": t.id, "name": t.name, "kind": t.kind, "description": t.description, "email": t.email, "origin": t.origin,
        },
        "domain": catalog.domain_ref(t.domain.as_deref()),
        "owns_domains": catalog.domains.iter().filter(|d| d.owner.as_deref() == Some(t.id.as_str()))
            .filter_map(|d| catalog.domain_ref(Some(&d.id))).collect::<Vec<_>>(),
        "parent": catalog.team_ref(t.parent.as_deref()),
        "members": views::members(catalog, &members),
        "products": products,
        "contracts": contracts,
        "product_count": catalog.team_products[i].len(),
        "contract_count": catalog.team_contracts[i].len(),
        "pagination": lp.pagination,
        "domains": domain_ids.into_iter().filter_map(|d| catalog.domain_ref(Some(d))).collect::<Vec<_>>(),
        "links": t.links,
        "custom": key_values(&t.custom),
        "diagnostic_count": catalog.team_diagnostic_counts.get(&t.id).copied().unwrap_or(0),
        "defined": t.origin.is_some(),
        "metrics": super::metrics::team(catalog, i),
    })
}

fn domain(catalog: &Catalog, i: usize, page_size: usize) -> Value {
    let d = &catalog.domains[i];
    let lp = list_page(
        &views::domain_url(&d.slug),
        (
            catalog.domain_products[i].len(),
            catalog.domain_contracts[i].len(),
        ),
        1,
        page_size,
    );
    let products = domain_product_rows(catalog, &catalog.domain_products[i][lp.products.clone()]);
    let contracts = contract_rows(catalog, &catalog.domain_contracts[i][lp.contracts.clone()]);
    let mut teams: Vec<&str> = catalog.domain_products[i]
        .iter()
        .filter_map(|&pi| catalog.products[pi].owner.as_deref())
        .collect();
    teams.sort();
    teams.dedup();
    // Links between this domain and others: distinct pairs of products, as the Lineage page
    // counts them (several ports or contracts between two products are one link).
    let lineage = &catalog.lineage;
    let other_domain = |v: usize| -> Option<&str> {
        let n = &lineage.nodes[v];
        (n.kind == catalog::lineage::NodeKind::Product)
            .then_some(n.domain.as_deref())
            .flatten()
            .filter(|o| *o != d.id)
    };
    let mut upstream: BTreeMap<&str, usize> = BTreeMap::new();
    let mut downstream: BTreeMap<&str, usize> = BTreeMap::new();
    for &pi in &catalog.domain_products[i] {
        for other in lineage.upstream[pi].iter().filter_map(|&v| other_domain(v)) {
            *upstream.entry(other).or_default() += 1;
        }
        for other in lineage.downstream[pi]
            .iter()
            .filter_map(|&v| other_domain(v))
        {
            *downstream.entry(other).or_default() += 1;
        }
    }
    let domain_counts = |m: BTreeMap<&str, usize>| -> Vec<Value> {
        m.into_iter()
            .map(|(id, count)| json!({ "ref": catalog.domain_ref(Some(id)), "count": count }))
            .collect()
    };
    let systems: Vec<Value> = catalog.domain_systems[i]
        .iter()
        .map(|&si| &catalog.systems[si])
        .map(|s| {
            json!({
                "id": s.id, "name": s.name, "description": s.description,
                "owner": catalog.team_ref(s.owner.as_deref()),
            })
        })
        .collect();
    json!({
        "systems": systems,
        "domain": { "id": d.id, "name": d.name, "description": d.description, "origin": d.origin },
        "owner": catalog.team_ref(d.owner.as_deref()),
        "products": products,
        "contracts": contracts,
        "product_count": catalog.domain_products[i].len(),
        "contract_count": catalog.domain_contracts[i].len(),
        "pagination": lp.pagination,
        "teams": teams.into_iter().filter_map(|t| catalog.team_ref(Some(t))).collect::<Vec<_>>(),
        "upstream_domains": domain_counts(upstream),
        "downstream_domains": domain_counts(downstream),
        "links": d.links,
    })
}

/// The changes page shows this many of the newest versions (500 made a 190 KB page at 10,000
/// contracts; the budget is 150 KB); contract pages list all of theirs.
pub const CHANGES_SHOWN: usize = 300;

/// Every contract version with its contract, newest first (ties by contract id for stability).
pub fn change_entries(
    catalog: &Catalog,
) -> Vec<(usize, &catalog::contracts::history::VersionChanges)> {
    let mut all: Vec<(usize, &catalog::contracts::history::VersionChanges)> = catalog
        .changelogs
        .iter()
        .enumerate()
        .flat_map(|(ci, log)| log.iter().map(move |v| (ci, v)))
        .collect();
    all.sort_by(|a, b| {
        b.1.timestamp
            .cmp(&a.1.timestamp)
            .then_with(|| catalog.contracts[a.0].id.cmp(&catalog.contracts[b.0].id))
    });
    all
}

pub fn changes(catalog: &Catalog) -> Value {
    let all = change_entries(catalog);
    let entries: Vec<Value> = all
        .iter()
        .take(CHANGES_SHOWN)
        .map(|(ci, v)| {
            json!({
                "contract": catalog.contract_ref(*ci),
                "commit": v.commit, "time": v.time, "author": v.author, "summary": v.summary,
                "version": v.version, "changes": v.changes, "breaking": v.breaking, "note": v.note,
            })
        })
        .collect();
    json!({ "entries": entries, "shown": entries.len(), "total": all.len() })
}

/// Entries in the Atom feed.
const FEED_SHOWN: usize = 50;
/// Personal-data columns named on a port card; the rest are counted ("and 4 more").
pub const PII_COLUMNS_SHOWN: usize = 5;
/// Readers of an output port named on the product page; the rest are counted (and listed in
/// `lineage/index.json`), so a port read by thousands keeps the page within its budget.
pub const PORT_CONSUMERS_SHOWN: usize = 30;
/// Input ports in the product page's table; a product reading hundreds lists the rest in its
/// record (`index.json`), which keeps the page within its budget.
pub const INPUT_ROWS: usize = 100;
/// A manifest's problems shown on its product page; the health page lists them all.
pub const DIAGNOSTICS_SHOWN: usize = 50;

/// The Atom feed of the newest contract changes, for readers who subscribe rather than visit.
pub fn feed(catalog: &Catalog, title: &str) -> Value {
    let entries = change_entries(catalog);
    let updated = entries
        .first()
        .map_or("1970-01-01T00:00:00Z", |(_, v)| v.time.as_str());
    let items: Vec<Value> = entries
        .iter()
        .take(FEED_SHOWN)
        .map(|(ci, v)| {
            let c = &catalog.contracts[*ci];
            let what = if v.changes.is_empty() {
                v.note
                    .clone()
                    .unwrap_or_else(|| "no change to the content".into())
            } else {
                format!("{} change(s), {} breaking", v.changes.len(), v.breaking)
            };
            let mut summary = format!("{}\n", v.summary);
            let lines: Vec<String> = v
                .changes
                .iter()
                .map(|ch| {
                    let kind = if ch.breaking() { "BREAKING" } else { "change" };
                    format!("{kind}: {} {}", ch.path, ch.message)
                })
                .collect();
            summary.push_str(&lines.join("\n"));
            let anchor = &v.commit[..v.commit.len().min(12)];
            json!({
                "name": c.name,
                "version": v.version,
                "what": what,
                "contract": c.id,
                "commit": v.commit,
                "time": v.time,
                "author": v.author,
                "url": format!("{}#v-{anchor}", views::contract_url(&c.slug)),
                "summary": summary,
            })
        })
        .collect();
    json!({
        "feed_id": format!("{:016x}", model::slug::fnv1a(title)),
        "updated": updated,
        "entries": items,
    })
}

/// Consumers listed on a contract page; the rest are counted (all are in `lineage/index.json`).
pub const CONSUMER_ROWS: usize = 100;
/// A schema object with more rows than this lists its columns above its table (contract.html).
pub const COLUMN_LIST_ROWS: usize = 40;
/// Commits listed in a contract page's history (newest first); all are in its `index.json`.
pub const HISTORY_ROWS: usize = 50;

/// Diagnostics per health page: a mesh with thousands of problems lists them over several pages.
pub const HEALTH_PAGE: usize = 200;

/// Pages of the health listing.
pub fn health_pages(catalog: &Catalog) -> usize {
    pages_for(catalog.diagnostics.len(), HEALTH_PAGE)
}

/// Page `page` of the health listing: the diagnostics by owning team (named teams first), the
/// service levels on the first page.
pub fn health(catalog: &Catalog, page: usize) -> Value {
    let counts = count(&catalog.diagnostics);
    let mut groups: BTreeMap<Option<&str>, Vec<&model::diagnostics::Diagnostic>> = BTreeMap::new();
    for d in &catalog.diagnostics {
        groups.entry(d.team.as_deref()).or_default().push(d);
    }
    // Named teams first (alphabetically), unassigned last.
    let mut ordered: Vec<(Option<&str>, Vec<&model::diagnostics::Diagnostic>)> =
        groups.into_iter().collect();
    ordered.sort_by_key(|(team, _)| (team.is_none(), *team));
    let total = catalog.diagnostics.len();
    let (range, pagination) = paginate(total, page, HEALTH_PAGE, |n| listing_path("health", n));
    // Every team, with a link to the page where its diagnostics start.
    let mut toc = Vec::new();
    let mut groups = Vec::new();
    let mut at = 0;
    for (team, diags) in ordered {
        let anchor = format!("team-{}", team.unwrap_or("unassigned"));
        let first_page = at / HEALTH_PAGE + 1;
        toc.push(json!({
            "anchor": anchor,
            "url": format!("{}#{anchor}", listing_path("health", first_page)),
            "team": catalog.team_ref(team),
            "count": diags.len(),
        }));
        let (start, end) = (at.max(range.start), (at + diags.len()).min(range.end));
        if start < end {
            let c = count(diags.iter().copied());
            groups.push(json!({
                "anchor": anchor,
                "team": catalog.team_ref(team),
                "errors": c.errors,
                "warnings": c.warnings,
                "diagnostics": diags[start - at..end - at].iter().copied().map(DiagnosticView::from).collect::<Vec<_>>(),
            }));
        }
        at += diags.len();
    }
    json!({
        "stats": { "errors": counts.errors, "warnings": counts.warnings, "infos": counts.infos },
        "toc": toc,
        "groups": groups,
        "pagination": pagination,
        "metrics_health": if page == 1 { super::metrics::health(catalog, None) } else { Value::Null },
    })
}
