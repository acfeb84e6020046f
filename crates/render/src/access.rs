//! "How to get access" on product and contract pages: the request link from `[access]`, the
//! contract's access notes, the consumers holding an agreement, and where to ask. The facts come
//! from `catalog::access`; this module only shapes them for the templates.

use serde_json::{json, Value};

use catalog::access::{self, PortAccess};
use catalog::Catalog;
use config::access::Access;

use crate::markdown;
use crate::views::CatalogRefs;

/// The request link of `[access]` filled in for one port.
pub fn request_url(config: &Access, a: &PortAccess) -> Option<String> {
    config.request_link(&[
        ("product", Some(a.product)),
        ("port", Some(a.port)),
        ("contract", a.contract_id),
        ("version", a.version),
    ])
}

/// One port's access block.
fn block(catalog: &Catalog, config: &Access, a: &PortAccess) -> Value {
    let request_url = request_url(config, a);
    let roles: Vec<Value> = a
        .roles
        .iter()
        .map(|r| {
            json!({
                "name": r.name, "access": r.access, "approvers": r.approvers,
                "description": r.description.as_deref().map(markdown::inline),
            })
        })
        .collect();
    let notes: Vec<Value> = a
        .notes
        .iter()
        .map(|n| json!({ "label": n.label, "html": markdown::render(&n.text) }))
        .collect();
    let consumers: Vec<Value> = a
        .agreements
        .iter()
        .map(|&k| {
            let g = &catalog.agreements[k];
            json!({
                "id": g.id,
                "product": g.consumer_product.as_deref().map(|id| catalog
                    .product_ref_by_id(id)
                    .unwrap_or_else(|| crate::views::Ref { id: id.into(), name: id.into(), url: None })),
                "team": catalog.team_ref(g.consumer_team.as_deref()),
                "purpose": g.purpose.as_deref().map(markdown::inline),
                "status": g.status,
            })
        })
        .collect();
    json!({
        "request_url": request_url,
        "request_note": config.note,
        "roles": roles,
        "notes": notes,
        "consumers": consumers,
        "support": a.support,
        "contract": a.contract.map(|c| catalog.contract_ref(c)),
    })
}

/// Adds `access` to each output port of a product page's context (`outputs`, in port order).
pub fn attach_product(
    context: &mut Value,
    catalog: &Catalog,
    i: usize,
    version: Option<usize>,
    config: &Access,
) {
    let p = crate::versions::product(catalog, i, version);
    let Some(outputs) = context["outputs"].as_array_mut() else {
        return;
    };
    for (view, port) in outputs.iter_mut().zip(&p.output_ports) {
        let a = access::port_access(catalog, i, port);
        view["access"] = block(catalog, config, &a);
    }
    context["access_configured"] = config.request_url.is_some().into();
}

/// Adds `access` to a contract page's context: the block of the port that serves it, or the
/// contract's own notes when no product in the catalog serves it.
pub fn attach_contract(context: &mut Value, catalog: &Catalog, i: usize, config: &Access) {
    let a = contract_access(catalog, i);
    context["access"] = block(catalog, config, &a);
}

/// The access facts a contract page shows: the port that serves the contract, or the contract's
/// own notes when no product in the catalog serves it.
pub fn contract_access(catalog: &Catalog, i: usize) -> PortAccess<'_> {
    let c = &catalog.contracts[i];
    let served = catalog
        .contract_provider
        .get(&c.id)
        .and_then(|&(pi, port)| {
            let port = catalog.products[pi].output_ports.get(port)?;
            Some(access::port_access(catalog, pi, port))
        });
    served.unwrap_or_else(|| PortAccess {
        product: c.data_product.as_deref().unwrap_or(""),
        port: "",
        contract_id: Some(&c.id),
        version: c.version.as_deref(),
        contract: Some(i),
        roles: &c.roles,
        notes: access::contract_notes(c),
        agreements: Vec::new(),
        support: c.support.iter().collect(),
    })
}
