//! Reading Bitol ODPS products into the model.

use model::{DataProduct, InputPort, OutputPort, Property, Standard};

use crate::read::{self, text, Ctx};
use crate::Document;
use model::yaml::Node;

/// Custom property names that carry the product's archetype or owner in practice.
const ARCHETYPE_KEYS: &[&str] = &["archetype", "type", "dataProductType"];
const OWNER_KEYS: &[&str] = &["owner", "ownerTeam", "team"];

pub fn parse(ctx: &mut Ctx, doc: &Node, out: &mut Vec<Document>) {
    let id = ctx.required_str(doc, "id", "a unique product id, e.g. `customer-360`");
    ctx.required_str(doc, "status", "the product status, e.g. `active`");
    let Some(id) = id else { return };
    let api = text(doc, "apiVersion").unwrap_or_default();
    let custom = ctx.custom_properties(doc);
    let (description, description_parts) = read::description(doc.get("description"));
    let team = doc.get("team").filter(|t| t.is_map());
    let owner = team
        .and_then(|t| text(t, "id").or_else(|| text(t, "name")))
        .or_else(|| custom_text(&custom, OWNER_KEYS));
    let members = match team {
        Some(t) => {
            let list = ctx.list(t, "members");
            ctx.members(list)
        }
        None => Vec::new(),
    };
    let input_ports = ctx
        .list(doc, "inputPorts")
        .iter()
        .enumerate()
        .map(|(i, port)| input_port(ctx, port, i))
        .collect();
    let output_ports = ctx
        .list(doc, "outputPorts")
        .iter()
        .enumerate()
        .map(|(i, port)| output_port(ctx, port, i))
        .collect();
    let product = DataProduct {
        name: ctx.str(doc, "name").unwrap_or_else(|| id.clone()),
        slug: String::new(),
        version: ctx.str(doc, "version"),
        domain: ctx.str(doc, "domain"),
        owner,
        status: ctx.str(doc, "status"),
        archetype: custom_text(&custom, ARCHETYPE_KEYS),
        description,
        description_parts,
        tags: ctx.str_list(doc, "tags"),
        input_ports,
        output_ports,
        links: read::links(doc.get("authoritativeDefinitions")),
        support: read::support(doc.get("support")),
        members,
        custom,
        extensions: read::extensions(doc, super::TOP),
        standard: Standard {
            family: "odps",
            label: format!("Bitol ODPS {}", if api.is_empty() { "v1" } else { &api }),
        },
        origin: ctx.origin.clone(),
        id,
    };
    out.push(Document::Product(Box::new(product)));
}

fn input_port(ctx: &mut Ctx, port: &Node, i: usize) -> InputPort {
    let name = ctx
        .required_str(port, "name", "the port name")
        .unwrap_or_else(|| format!("input-{}", i + 1));
    let contract_id = ctx.required_str(
        port,
        "contractId",
        "the id of the contract this port consumes",
    );
    InputPort {
        id: name.clone(),
        name,
        description: text(port, "description"),
        version: text(port, "version"),
        kind: None,
        contract_id,
        source_product: None,
        source_port: None,
        source_system: None,
        custom: ctx.custom_properties(port),
        line: port.pos.line,
    }
}

/// An output port; its status and server are custom properties in practice.
fn output_port(ctx: &mut Ctx, port: &Node, i: usize) -> OutputPort {
    let name = ctx
        .required_str(port, "name", "the port name")
        .unwrap_or_else(|| format!("output-{}", i + 1));
    let custom = ctx.custom_properties(port);
    let inputs = ctx.list(port, "inputContracts");
    let input_contracts = inputs
        .iter()
        .filter_map(|c| text(c, "id").or_else(|| text(c, "contractId")))
        .collect();
    let input_contract_versions = inputs
        .iter()
        .filter_map(|c| {
            Some(model::ContractVersion {
                id: text(c, "id").or_else(|| text(c, "contractId"))?,
                version: text(c, "version")?,
            })
        })
        .collect();
    OutputPort {
        id: name.clone(),
        description: text(port, "description"),
        version: text(port, "version"),
        kind: text(port, "type"),
        status: custom_text(&custom, &["status"]),
        server: custom_text(&custom, &["server", "contractServer", "location"]),
        contract_id: text(port, "contractId"),
        contains_pii: None,
        input_contracts,
        input_contract_versions,
        tags: ctx.str_list(port, "tags"),
        links: read::links(port.get("authoritativeDefinitions")),
        custom,
        name,
        line: port.pos.line,
    }
}

fn custom_text(custom: &[Property], keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| {
        custom
            .iter()
            .find(|p| p.key.eq_ignore_ascii_case(k))
            .and_then(|p| match &p.value {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            })
    })
}
