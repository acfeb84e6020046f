//! Test results name the contract they checked, not the product: each such series is measured
//! on the product whose output port serves the contract (or the product the contract names).

use std::collections::HashSet;

use super::Catalog;
use model::measure::MetricBatch;
use model::{Code, Diagnostic};

/// Give every contract-addressed series of `batches` its product and port; series of a contract
/// that no product serves are dropped with one warning per file and contract.
pub(super) fn address(
    catalog: &Catalog,
    batches: &mut [MetricBatch],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for batch in batches {
        if !batch
            .series
            .iter()
            .any(|s| s.product.is_empty() && s.contract.is_some())
        {
            continue;
        }
        let origin = batch.origin.clone();
        let mut reported = HashSet::new();
        batch.series.retain_mut(|s| {
            let Some(contract) = s.contract.as_deref().filter(|_| s.product.is_empty()) else {
                return true;
            };
            match serving(catalog, contract) {
                Ok((product, port)) => {
                    s.product = product;
                    if s.port.is_none() {
                        s.port = port;
                    }
                    true
                }
                Err((message, hint)) => {
                    if reported.insert(contract.to_string()) {
                        diagnostics.push(
                            Diagnostic::warning(Code::MetricUnknownContract, message)
                                .at_file(&origin.source, &origin.path)
                                .at(s.line, 1)
                                .hint(hint),
                        );
                    }
                    false
                }
            }
        });
    }
}

/// The product (id) and output port (id) that serve a contract.
fn serving(
    catalog: &Catalog,
    contract: &str,
) -> Result<(String, Option<String>), (String, String)> {
    let Some(&ci) = catalog.contract_by_id.get(contract) else {
        let hint = match crate::resolve::nearest(contract, catalog.contract_by_id.keys()) {
            Some(k) => format!("did you mean `{k}`? (the results' contract id must match exactly)"),
            None => "test the contract under the id one of the sources gives it".to_string(),
        };
        return Err((
            format!("test results for unknown contract `{contract}`"),
            hint,
        ));
    };
    if let Some(&(pi, oi)) = catalog.contract_provider.get(contract) {
        let p = &catalog.products[pi];
        return Ok((p.id.clone(), p.output_ports.get(oi).map(|o| o.id.clone())));
    }
    if let Some(p) = catalog.contracts[ci]
        .data_product
        .as_ref()
        .filter(|p| catalog.product_by_id.contains_key(p.as_str()))
    {
        return Ok((p.clone(), None));
    }
    Err((
        format!("test results for contract `{contract}`, which no data product serves; they are not shown"),
        "name the contract in an output port (`contractId`) of the product that serves it".to_string(),
    ))
}
