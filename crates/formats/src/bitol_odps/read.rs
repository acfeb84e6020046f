//! Reading Bitol ODPS products into the model.

use model::{DataProduct, InputPort, ManagementPort, OutputPort, Property, Standard};

use crate::read::{self, text, Ctx};
use crate::Document;
use model::yaml::Node;

/// Top-level fields of v1.1 read into the model beside those the rules list in `TOP`.
const READ_V11: &[&str] = &["type", "deprecated", "synonyms", "context"];

/// Port fields read into the model; the others are kept as details of the port.
const INPUT_PORT_KEYS: &[&str] = &[
    "name",
    "description",
    "version",
    "type",
    "contractId",
    "customProperties",
    "deprecated",
    "tags",
    "authoritativeDefinitions",
];
const OUTPUT_PORT_KEYS: &[&str] = &[
    "name",
    "description",
    "version",
    "type",
    "contractId",
    "customProperties",
    "deprecated",
    "tags",
    "authoritativeDefinitions",
    "inputContracts",
    "sbom",
    "synonyms",
    "context",
];
const MANAGEMENT_PORT_KEYS: &[&str] = &[
    "name",
    "content",
    "type",
    "url",
    "channel",
    "description",
    "deprecated",
    "tags",
    "customProperties",
    "authoritativeDefinitions",
];

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
    let team_info = team.and_then(|t| read::team_info(ctx, t)).map(|mut t| {
        // The name is the owner's when there is no id: shown once, as the owner.
        if owner.is_some() && t.name == owner {
            t.name = None;
        }
        t
    });
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
    let management_ports = ctx
        .list(doc, "managementPorts")
        .iter()
        .enumerate()
        .map(|(i, port)| management_port(ctx, port, i))
        .collect();
    let product = DataProduct {
        name: ctx.str(doc, "name").unwrap_or_else(|| id.clone()),
        slug: String::new(),
        version: ctx.str(doc, "version"),
        domain: ctx.str(doc, "domain"),
        owner,
        status: ctx.str(doc, "status"),
        archetype: ctx
            .str(doc, "type")
            .or_else(|| custom_text(&custom, ARCHETYPE_KEYS)),
        description,
        description_parts,
        tags: ctx.str_list(doc, "tags"),
        input_ports,
        output_ports,
        links: read::links(doc.get("authoritativeDefinitions")),
        support: read::support(doc.get("support")),
        members,
        custom,
        extensions: read::extensions_beyond(doc, &[super::TOP, READ_V11]),
        standard: Standard {
            family: "odps",
            label: format!("Bitol ODPS {}", if api.is_empty() { "v1" } else { &api }),
        },
        origin: ctx.origin.clone(),
        id,
        tenant: ctx.str(doc, "tenant"),
        created: text(doc, "productCreatedTs"),
        deprecated: ctx.bool(doc, "deprecated").unwrap_or(false),
        synonyms: read::synonyms(doc.get("synonyms")),
        guidance: read::guidance(doc.get("context")),
        management_ports,
        team: team_info,
        tables: Vec::new(),
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
        kind: text(port, "type"),
        contract_id,
        custom: ctx.custom_properties(port),
        line: port.pos.line,
        deprecated: ctx.bool(port, "deprecated").unwrap_or(false),
        tags: ctx.str_list(port, "tags"),
        links: read::links(port.get("authoritativeDefinitions")),
        details: read::extensions(port, INPUT_PORT_KEYS),
        ..Default::default()
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
        location: None,
        sbom: sbom(port.get("sbom")),
        deprecated: ctx.bool(port, "deprecated").unwrap_or(false),
        synonyms: read::synonyms(port.get("synonyms")),
        guidance: read::guidance(port.get("context")),
        details: read::extensions(port, OUTPUT_PORT_KEYS),
    }
}

/// `sbom: [{type, url}]` as links.
fn sbom(node: Option<&Node>) -> Vec<model::Link> {
    node.map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| {
            let url = text(s, "url")?;
            Some(model::Link {
                kind: text(s, "type"),
                ..model::Link::new(url.clone(), url)
            })
        })
        .collect()
}

/// A management port: where the product is discovered, observed or controlled.
fn management_port(ctx: &mut Ctx, port: &Node, i: usize) -> ManagementPort {
    let name = ctx
        .required_str(port, "name", "the port name")
        .unwrap_or_else(|| format!("management-{}", i + 1));
    ManagementPort {
        name,
        content: text(port, "content"),
        kind: text(port, "type"),
        url: text(port, "url"),
        channel: text(port, "channel"),
        description: text(port, "description"),
        deprecated: ctx.bool(port, "deprecated").unwrap_or(false),
        tags: ctx.str_list(port, "tags"),
        links: read::links(port.get("authoritativeDefinitions")),
        custom: ctx.custom_properties(port),
        details: read::extensions(port, MANAGEMENT_PORT_KEYS),
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
