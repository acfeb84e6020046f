//! Versions on pages: the version list of a product or contract (on every version's page), the
//! banner of a version that is not current, the comparison of neighbouring contract versions, and
//! links from ports that name a version. URLs: `contracts/<slug>/v/<version>/` for a version that
//! is not current, `contracts/<slug>/diff/<version>/` for what changed in a version since the
//! next lower one.

use serde_json::{json, Value};

use catalog::versions::{self, Version};
use catalog::Catalog;
use model::{DataContract, DataProduct};

use crate::views::{self, CatalogRefs, Ref};

/// A product or a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Product,
    Contract,
}

impl Kind {
    fn section(self) -> &'static str {
        match self {
            Kind::Product => "products",
            Kind::Contract => "contracts",
        }
    }

    fn list(self, catalog: &Catalog, i: usize) -> &[Version] {
        let lists = match self {
            Kind::Product => &catalog.product_versions,
            Kind::Contract => &catalog.contract_versions,
        };
        lists.get(i).map(Vec::as_slice).unwrap_or_default()
    }

    fn slug(self, catalog: &Catalog, i: usize) -> &str {
        match self {
            Kind::Product => &catalog.products[i].slug,
            Kind::Contract => &catalog.contracts[i].slug,
        }
    }
}

/// The page of a version that is not current.
pub fn version_url(kind: Kind, slug: &str, version_slug: &str) -> String {
    format!("{}/{slug}/v/{version_slug}/index.html", kind.section())
}

/// What changed in a contract version since the next lower one (version slugs are unique within
/// a contract, so the newer one names the pair).
pub fn compare_url(slug: &str, newer: &str) -> String {
    format!("contracts/{slug}/diff/{newer}/index.html")
}

/// The page of version `k` of entity `i`: the entity's own page for the current version.
pub fn url_of(catalog: &Catalog, kind: Kind, i: usize, k: usize) -> String {
    let slug = kind.slug(catalog, i);
    match kind.list(catalog, i).get(k) {
        Some(v) if !v.is_current() => version_url(kind, slug, &v.info.slug),
        _ => match kind {
            Kind::Product => views::product_url(slug),
            Kind::Contract => views::contract_url(slug),
        },
    }
}

/// The contract whose page shows version `k` of contract `i` (None: the current one).
pub fn contract(catalog: &Catalog, i: usize, k: Option<usize>) -> &DataContract {
    match k.and_then(|k| catalog.contract_versions.get(i)?.get(k)) {
        Some(v) => versions::contract_of(catalog, i, v),
        None => &catalog.contracts[i],
    }
}

/// The product whose page shows version `k` of product `i` (None: the current one).
pub fn product(catalog: &Catalog, i: usize, k: Option<usize>) -> &DataProduct {
    match k.and_then(|k| catalog.product_versions.get(i)?.get(k)) {
        Some(v) => versions::product_of(catalog, i, v),
        None => &catalog.products[i],
    }
}

/// Index of the current version in entity `i`'s list.
fn current_index(list: &[Version]) -> usize {
    list.iter().position(Version::is_current).unwrap_or(0)
}

/// How many neighbours on each side the page of a version that is not current lists (the
/// current version's page lists every version): pages stay small however many versions there are.
const NEIGHBOURS: usize = 10;

/// The version list of entity `i` as its pages show it, marking the one page `k` shows (None:
/// the current one): every version on the current one's page, the nearest ones (and the current
/// one) on the others. Empty when the entity has a single version.
pub fn section(catalog: &Catalog, kind: Kind, i: usize, k: Option<usize>) -> Vec<Value> {
    let list = kind.list(catalog, i);
    if list.len() < 2 {
        return Vec::new();
    }
    let current = current_index(list);
    let shown = k.unwrap_or(current);
    let near = |n: usize| k.is_none() || n.abs_diff(shown) <= NEIGHBOURS || n == current;
    let slug = kind.slug(catalog, i);
    list.iter()
        .enumerate()
        .filter(|(n, _)| near(*n))
        .map(|(n, v)| {
            let changes = v
                .changes
                .as_ref()
                .zip(list.get(n + 1))
                .map(|(report, older)| {
                    json!({
                        "url": compare_url(slug, &v.info.slug),
                        "from": older.info.version,
                        "total": report.changes.len(),
                        "breaking": report.breaking(),
                    })
                });
            json!({
                "version": v.info.version,
                "status": v.info.status,
                "current": v.info.current,
                "shown": n == shown,
                "url": url_of(catalog, kind, i, n),
                "origin": v.info.origin,
                "changes": changes,
            })
        })
        .collect()
}

/// The banner of a version that is not current: which version this is, and the current one.
pub fn banner(catalog: &Catalog, kind: Kind, i: usize, k: Option<usize>) -> Value {
    banner_of(catalog, kind, i, k)
        .and_then(|b| serde_json::to_value(b).ok())
        .unwrap_or(Value::Null)
}

/// What the banner of a version that is not current says (None on the current one's page).
#[derive(Debug, serde::Serialize)]
pub struct Banner<'a> {
    pub version: Option<&'a str>,
    pub status: Option<&'a str>,
    pub current_version: Option<&'a str>,
    pub current_url: String,
    pub newer: bool,
}

/// [`banner`] as a struct, for pages written in Rust.
pub fn banner_of(catalog: &Catalog, kind: Kind, i: usize, k: Option<usize>) -> Option<Banner<'_>> {
    let list = kind.list(catalog, i);
    let v = k.and_then(|k| list.get(k)).filter(|v| !v.is_current())?;
    let current = &list[current_index(list)];
    let newer =
        versions::compare_declared(v.info.version.as_deref(), current.info.version.as_deref())
            .is_gt();
    Some(Banner {
        version: v.info.version.as_deref(),
        status: v.info.status.as_deref(),
        current_version: current.info.version.as_deref(),
        current_url: url_of(catalog, kind, i, current_index(list)),
        newer,
    })
}

/// A link to contract `id`, to the page of the version a reference names when the catalog holds
/// that version (the contract's own page otherwise); None when no source defines the contract.
pub fn contract_ref(catalog: &Catalog, id: &str, version: Option<&str>) -> Option<Ref> {
    let &ci = catalog.contract_by_id.get(id)?;
    let mut r = catalog.contract_ref(ci);
    if let Some(k) = version.and_then(|v| versions::find_contract_version(catalog, ci, v)) {
        r.url = Some(url_of(catalog, Kind::Contract, ci, k));
    }
    Some(r)
}

/// The versions of contract `id` that product `p` names (input ports, `inputContracts`).
fn pinned<'a>(p: &'a DataProduct, id: &str) -> Vec<&'a str> {
    let ports = p
        .input_ports
        .iter()
        .filter(|port| port.contract_id.as_deref() == Some(id))
        .filter_map(|port| port.version.as_deref());
    let built = p
        .output_ports
        .iter()
        .flat_map(|port| &port.input_contract_versions)
        .filter(|v| v.id == id)
        .map(|v| v.version.as_str());
    ports.chain(built).collect()
}

/// The products that read contract `ci`, as shown on the page of its version `k` (None: the
/// current one): on the current version's page every reader, with the version it names where
/// that is another one; on another version's page those that name that version.
pub fn consumers(catalog: &Catalog, ci: usize, k: Option<usize>) -> Vec<Value> {
    consumer_list(catalog, ci, k)
        .into_iter()
        .map(|(r, note)| json!({ "id": r.id, "name": r.name, "url": r.url, "note": note }))
        .collect()
}

/// [`consumers`] as links with their notes ("names version 1.0.0"), for pages written in Rust.
pub fn consumer_list(catalog: &Catalog, ci: usize, k: Option<usize>) -> Vec<(Ref, Option<String>)> {
    let c = &catalog.contracts[ci];
    let list = Kind::Contract.list(catalog, ci);
    let shown = k.unwrap_or_else(|| current_index(list));
    let names = |wanted: &str, n: usize| {
        list.get(n)
            .and_then(|v| v.info.version.as_deref())
            .is_some_and(|have| versions::names_version(wanted, have))
    };
    catalog
        .contract_consumers
        .get(&c.id)
        .into_iter()
        .flatten()
        .filter_map(|&pi| {
            let pins = pinned(&catalog.products[pi], &c.id);
            let reads_shown = pins.iter().any(|v| names(v, shown));
            let note = match k {
                Some(_) if !reads_shown => return None,
                Some(_) => None,
                None if pins.is_empty() || reads_shown => None,
                None => Some(format!("names version {}", pins.join(", "))),
            };
            Some((catalog.product_ref(pi), note))
        })
        .collect()
}

/// The page comparing version `k` of contract `ci` with the next lower version `k + 1`.
pub fn compare_page(catalog: &Catalog, ci: usize, k: usize) -> (String, Value) {
    let list = &catalog.contract_versions[ci];
    let c = &catalog.contracts[ci];
    let (newer, older) = (&list[k], &list[k + 1]);
    let label = |v: &Version| {
        v.info
            .version
            .clone()
            .unwrap_or_else(|| "(no version)".into())
    };
    let report = newer.changes.clone().unwrap_or_default();
    let changes: Vec<Value> = report
        .changes
        .iter()
        .map(|ch| {
            json!({
                "impact": ch.impact, "breaking": ch.breaking(), "code": ch.code,
                "path": ch.path, "message": ch.message,
            })
        })
        .collect();
    let side = |n: usize, v: &Version| {
        json!({
            "version": v.info.version,
            "label": label(v),
            "status": v.info.status,
            "current": v.info.current,
            "url": url_of(catalog, Kind::Contract, ci, n),
            "origin": v.info.origin,
        })
    };
    let title = format!("{}: {} → {}", c.name, label(older), label(newer));
    let context = json!({
        "contract": { "id": c.id, "name": c.name },
        "contract_url": views::contract_url(&c.slug),
        "older": side(k + 1, older),
        "newer": side(k, newer),
        "changes": changes,
        "breaking": report.breaking(),
        "warnings": report.warnings,
    });
    (title, context)
}

/// Every (entity, version) pair that gets a page of its own: the versions that are not current.
pub fn other_versions(list: &[Vec<Version>]) -> impl Iterator<Item = (usize, usize, &Version)> {
    list.iter().enumerate().flat_map(|(i, versions)| {
        versions
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_current())
            .map(move |(k, v)| (i, k, v))
    })
}

/// Every neighbouring pair of contract versions (newer `k`, older `k + 1`) that was compared.
pub fn comparisons(catalog: &Catalog) -> impl Iterator<Item = (usize, usize)> + '_ {
    catalog
        .contract_versions
        .iter()
        .enumerate()
        .flat_map(|(ci, list)| {
            list.iter()
                .enumerate()
                .filter(move |(k, v)| v.changes.is_some() && k + 1 < list.len())
                .map(move |(k, _)| (ci, k))
        })
}

/// The `versions` of an entity in catalog.json: every version, the current one marked, with its
/// page.
pub fn catalog_json(catalog: &Catalog, kind: Kind, i: usize) -> Value {
    let list = kind.list(catalog, i);
    Value::Array(
        list.iter()
            .enumerate()
            .map(|(k, v)| {
                let url = url_of(catalog, kind, i, k);
                json!({
                    "version": v.info.version,
                    "status": v.info.status,
                    "current": v.info.current,
                    "origin": v.info.origin,
                    "url": url.trim_end_matches("index.html"),
                })
            })
            .collect(),
    )
}
