//! How a reader gets access to an output port: the contract's access notes (roles with their
//! approvers, terms, usage and limitations), the consumers that already hold an agreement, and
//! where to ask. The product page and the contract page both ask this module, so they cannot
//! disagree about who may read what.

use std::collections::HashMap;

use model::{Agreement, Labelled, OutputPort, Role, Support};

use crate::Catalog;

/// The agreements of each provider product, by product id (built once per catalog, so a product
/// page never scans every agreement).
#[derive(Debug, Default, Clone)]
pub struct Index {
    by_provider: HashMap<String, Vec<usize>>,
}

impl Index {
    pub fn new(agreements: &[Agreement]) -> Index {
        let mut by_provider: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, a) in agreements.iter().enumerate() {
            by_provider
                .entry(a.provider_product.clone())
                .or_default()
                .push(i);
        }
        Index { by_provider }
    }

    /// The agreements whose provider is this product, in catalog order.
    pub fn agreements_of(&self, product: &str) -> &[usize] {
        self.by_provider.get(product).map_or(&[], Vec::as_slice)
    }
}

/// Description parts of a contract that are access notes (ODCS `description.usage`,
/// `description.limitations`; DCS `terms` are taken whole).
const NOTE_LABELS: &[&str] = &["Usage", "Limitations", "Privacy", "Terms"];

/// Everything a reader needs to ask for access to one output port.
#[derive(Debug, Clone)]
pub struct PortAccess<'a> {
    /// Values for the request link template.
    pub product: &'a str,
    pub port: &'a str,
    pub contract_id: Option<&'a str>,
    pub version: Option<&'a str>,
    /// The port's contract, when the catalog has it.
    pub contract: Option<usize>,
    /// Who may read what, and who approves (the contract's roles).
    pub roles: &'a [Role],
    /// Terms, usage and limitations of the contract.
    pub notes: Vec<&'a Labelled>,
    /// Agreements that already grant this port (or the whole product) to a consumer.
    pub agreements: Vec<usize>,
    /// Where to ask: the contract's channels first, then the product's.
    pub support: Vec<&'a Support>,
}

/// The access facts of a product's output port.
pub fn port_access<'a>(
    catalog: &'a Catalog,
    product: usize,
    port: &'a OutputPort,
) -> PortAccess<'a> {
    let p = &catalog.products[product];
    let contract = port
        .contract_id
        .as_ref()
        .and_then(|id| catalog.contract_by_id.get(id).copied());
    let c = contract.map(|ci| &catalog.contracts[ci]);
    let agreements = catalog
        .access
        .agreements_of(&p.id)
        .iter()
        .copied()
        .filter(|&a| {
            let port_of = catalog.agreements[a].provider_port.as_deref();
            port_of.is_none_or(|id| id == port.id || id == port.name)
        })
        .collect();
    let mut support: Vec<&Support> = c.map(|c| c.support.iter().collect()).unwrap_or_default();
    for s in &p.support {
        if !support
            .iter()
            .any(|t| t.channel == s.channel && t.url == s.url)
        {
            support.push(s);
        }
    }
    PortAccess {
        product: &p.id,
        port: &port.id,
        contract_id: port.contract_id.as_deref(),
        version: port
            .version
            .as_deref()
            .or_else(|| c.and_then(|c| c.version.as_deref())),
        contract,
        roles: c.map_or(&[], |c| c.roles.as_slice()),
        notes: c.map(contract_notes).unwrap_or_default(),
        agreements,
        support,
    }
}

/// The access notes of a contract: its terms, then the usage and limitation parts of its
/// description.
pub fn contract_notes(c: &model::DataContract) -> Vec<&Labelled> {
    c.terms
        .iter()
        .chain(
            c.description_parts
                .iter()
                .filter(|l| NOTE_LABELS.iter().any(|n| l.label.eq_ignore_ascii_case(n))),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agreement(id: &str, provider: &str, port: Option<&str>) -> Agreement {
        Agreement {
            id: id.into(),
            provider_product: provider.into(),
            provider_port: port.map(str::to_string),
            consumer_product: Some("reader".into()),
            consumer_team: None,
            purpose: None,
            status: None,
            origin: model::Origin::default(),
        }
    }

    #[test]
    fn agreements_count_for_their_port_or_the_whole_product() {
        let mut catalog = Catalog::default();
        catalog.products.push(model::DataProduct {
            id: "orders".into(),
            output_ports: vec![
                OutputPort {
                    id: "daily".into(),
                    name: "daily".into(),
                    ..OutputPort::default()
                },
                OutputPort {
                    id: "stream".into(),
                    name: "stream".into(),
                    ..OutputPort::default()
                },
            ],
            ..model::DataProduct::default()
        });
        catalog.agreements = vec![
            agreement("a1", "orders", Some("daily")),
            agreement("a2", "orders", None),
            agreement("a3", "orders", Some("stream")),
            agreement("a4", "other", Some("daily")),
        ];
        catalog.access = Index::new(&catalog.agreements);
        let p = &catalog.products[0];
        let daily = port_access(&catalog, 0, &p.output_ports[0]);
        assert_eq!(daily.agreements, vec![0, 1]);
        let stream = port_access(&catalog, 0, &p.output_ports[1]);
        assert_eq!(stream.agreements, vec![1, 2]);
        assert!(daily.roles.is_empty() && daily.contract.is_none());
    }
}
