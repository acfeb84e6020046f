//! The quality history on a contract page: the contract's objectives as evaluated on the product
//! that serves it (test results and metric snapshots are measured per product; see
//! `catalog::metrics`). The page reads that product, so a new run renders the page again.

use serde_json::{json, Value};

use catalog::Catalog;
use model::time::{format_timestamp, format_when};

use super::metrics::{objective_view, state_of};
use crate::views::CatalogRefs;

/// The product whose metrics hold the contract's history: the provider of one of its ports,
/// else the product the contract names.
pub fn serving_product(catalog: &Catalog, ci: usize) -> Option<(usize, Option<String>)> {
    let c = &catalog.contracts[ci];
    if let Some(&(pi, oi)) = catalog.contract_provider.get(&c.id) {
        let port = catalog.products[pi]
            .output_ports
            .get(oi)
            .map(|o| o.id.clone());
        return Some((pi, port));
    }
    let pi = *catalog.product_by_id.get(c.data_product.as_deref()?)?;
    Some((pi, None))
}

/// The `quality_history` of a contract page; null when nothing measures the contract.
pub fn contract(catalog: &Catalog, ci: usize) -> Value {
    let Some((pi, port)) = serving_product(catalog, ci) else {
        return Value::Null;
    };
    let Some(m) = catalog.metrics.product(pi) else {
        return Value::Null;
    };
    let evaluations: Vec<_> = m
        .evaluations
        .iter()
        .filter(|e| e.objective.contract == ci)
        .collect();
    if evaluations
        .iter()
        .all(|e| e.status == catalog::metrics::Status::NoData)
    {
        return Value::Null;
    }
    let objectives: Vec<Value> = evaluations
        .iter()
        .map(|e| objective_view(catalog, m, e))
        .collect();
    json!({
        "product": catalog.product_ref(pi),
        "port": port,
        "state": state_of(evaluations.iter().copied(), m.stale),
        "as_of": catalog.metrics.reference.map(format_when),
        "as_of_iso": catalog.metrics.reference.map(format_timestamp),
        "reference_kind": catalog.metrics.reference_kind,
        "objectives": objectives,
    })
}
