//! What an output port serves, gathered from every place the standards carry it: the port itself
//! (DPS `containsPii`, a `server` custom property, DPDS promises) and the contract it exposes
//! (columns' `pii` / `classification` / `criticalDataElement`, the contract's servers). The
//! product page, the search facets and `catalog.json` all read these facts from here, so they
//! cannot disagree.

use model::{DataContract, DataProduct, OutputPort, SchemaProperty};
use serde::Serialize;

use crate::{versions, Catalog};

/// Classifications that mean personal data even where the standard has no `pii` flag (DCS
/// `classification: sensitive`); ODCS columns carry the same verdict in `pii` already.
const PERSONAL_CLASSES: &[&str] = &["pii", "personal", "sensitive", "restricted"];

/// Where a port's answer to "does it hold personal data?" comes from.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Stated {
    /// The port says so (`containsPii`, a `pii` custom property).
    Port,
    /// Read from the columns of the port's contract.
    Contract,
}

/// A server the port's data is served from.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PortServer {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
}

/// The facts of one output port.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PortFacts {
    /// None: neither the port nor a contract with columns says.
    pub contains_pii: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pii_stated_by: Option<Stated>,
    /// The contract's columns marked as personal data (`table.column`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pii_columns: Vec<String>,
    /// The contract's critical data elements (`table.column`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub critical_columns: Vec<String>,
    /// The version of the contract the port exposes, where the port itself names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract_version: Option<String>,
    /// The port's own server, else the servers of its contract.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<PortServer>,
}

/// A column holds personal data: flagged, or classified so.
pub fn personal(p: &SchemaProperty) -> bool {
    p.pii
        || p.classification.as_deref().is_some_and(|c| {
            PERSONAL_CLASSES
                .iter()
                .any(|k| c.trim().eq_ignore_ascii_case(k))
        })
}

/// The facts of `port`, whose contract is looked up in `catalog` (the version the port names
/// where the catalog holds it, else the current one).
pub fn output_port(catalog: &Catalog, port: &OutputPort) -> PortFacts {
    facts(port, port_contract(catalog, port))
}

/// Whether product `p` serves personal data: any of its output ports does.
pub fn product_pii(catalog: &Catalog, p: &DataProduct) -> Option<bool> {
    p.output_ports
        .iter()
        .map(|port| output_port(catalog, port).contains_pii)
        .fold(None, |acc, x| match (acc, x) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), _) | (_, Some(false)) => Some(false),
            _ => None,
        })
}

/// The contract a port exposes, in the version it names when that version is held.
pub fn port_contract<'a>(catalog: &'a Catalog, port: &OutputPort) -> Option<&'a DataContract> {
    let &ci = catalog.contract_by_id.get(port.contract_id.as_deref()?)?;
    let named = port
        .version
        .as_deref()
        .and_then(|v| versions::find_contract_version(catalog, ci, v))
        .and_then(|k| catalog.contract_versions[ci][k].other);
    Some(match named {
        Some(o) => &catalog.other_contracts[o],
        None => &catalog.contracts[ci],
    })
}

/// The facts of `port` with its contract (if any).
pub fn facts(port: &OutputPort, contract: Option<&DataContract>) -> PortFacts {
    let mut out = PortFacts::default();
    let mut columns = Vec::new();
    if let Some(c) = contract {
        for o in &c.schema {
            walk(&o.name, &o.properties, &mut columns);
        }
    }
    for (path, p) in &columns {
        if personal(p) {
            out.pii_columns.push(path.clone());
        }
        if p.critical {
            out.critical_columns.push(path.clone());
        }
    }
    let stated = port.contains_pii.or_else(|| custom_flag(port));
    // A contract that marks columns personal outweighs a port that says "no": the data is there.
    (out.contains_pii, out.pii_stated_by) = match stated {
        Some(true) => (Some(true), Some(Stated::Port)),
        _ if !out.pii_columns.is_empty() => (Some(true), Some(Stated::Contract)),
        Some(false) => (Some(false), Some(Stated::Port)),
        None if !columns.is_empty() => (Some(false), Some(Stated::Contract)),
        None => (None, None),
    };
    if port.version.is_none() {
        out.contract_version = contract.and_then(|c| c.version.clone());
    }
    out.servers = match &port.server {
        Some(name) => vec![PortServer {
            name: name.clone(),
            kind: None,
            environment: None,
        }],
        None => contract
            .map(|c| {
                c.servers
                    .iter()
                    .map(|s| PortServer {
                        name: s.name.clone(),
                        kind: s.kind.clone(),
                        environment: s.environment.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    out
}

/// A `pii` / `containsPii` custom property on the port (Bitol ODPS has no field for it).
fn custom_flag(port: &OutputPort) -> Option<bool> {
    port.custom
        .iter()
        .find(|p| p.key.eq_ignore_ascii_case("pii") || p.key.eq_ignore_ascii_case("containsPii"))
        .and_then(|p| match &p.value {
            serde_json::Value::Bool(b) => Some(*b),
            serde_json::Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" => Some(true),
                "false" | "no" => Some(false),
                _ => None,
            },
            _ => None,
        })
}

fn walk<'a>(
    prefix: &str,
    props: &'a [SchemaProperty],
    out: &mut Vec<(String, &'a SchemaProperty)>,
) {
    for p in props {
        let path = format!("{prefix}.{}", p.name);
        walk(&path, &p.properties, out);
        out.push((path, p));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::Server;

    fn column(name: &str, pii: bool, classification: Option<&str>) -> SchemaProperty {
        SchemaProperty {
            name: name.into(),
            pii,
            classification: classification.map(Into::into),
            ..SchemaProperty::default()
        }
    }

    fn contract(columns: Vec<SchemaProperty>) -> DataContract {
        DataContract {
            schema: vec![model::SchemaObject {
                name: "people".into(),
                properties: columns,
                ..Default::default()
            }],
            servers: vec![Server {
                name: "prod".into(),
                kind: Some("snowflake".into()),
                environment: Some("prod".into()),
                details: Vec::new(),
            }],
            version: Some("2.1.0".into()),
            ..DataContract::default()
        }
    }

    #[test]
    fn personal_columns_of_the_contract_make_the_port_personal() {
        let c = contract(vec![
            column("id", false, Some("internal")),
            column("email", true, None),
            column("phone", false, Some("Sensitive")),
        ]);
        let f = facts(&OutputPort::default(), Some(&c));
        assert_eq!(f.contains_pii, Some(true));
        assert_eq!(f.pii_stated_by, Some(Stated::Contract));
        assert_eq!(f.pii_columns, vec!["people.email", "people.phone"]);
        assert_eq!(f.servers[0].name, "prod");
        assert_eq!(f.contract_version.as_deref(), Some("2.1.0"));
    }

    #[test]
    fn the_port_speaks_first_but_cannot_hide_personal_columns() {
        let clean = contract(vec![column("id", false, None)]);
        let port = OutputPort {
            contains_pii: Some(true),
            server: Some("kafka-eu".into()),
            ..OutputPort::default()
        };
        let f = facts(&port, Some(&clean));
        assert_eq!(
            (f.contains_pii, f.pii_stated_by),
            (Some(true), Some(Stated::Port))
        );
        assert_eq!(f.servers.len(), 1);
        assert_eq!(f.servers[0].name, "kafka-eu");
        let denies = OutputPort {
            contains_pii: Some(false),
            ..OutputPort::default()
        };
        let dirty = contract(vec![column("email", true, None)]);
        assert_eq!(facts(&denies, Some(&dirty)).contains_pii, Some(true));
        assert_eq!(facts(&denies, Some(&clean)).contains_pii, Some(false));
        // A contract with columns, none personal: "no"; no contract, no flag: not stated.
        let f = facts(&OutputPort::default(), Some(&clean));
        assert_eq!(
            (f.contains_pii, f.pii_stated_by),
            (Some(false), Some(Stated::Contract))
        );
        assert_eq!(facts(&OutputPort::default(), None).contains_pii, None);
    }
}
