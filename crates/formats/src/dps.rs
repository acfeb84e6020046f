//! Data Product Specification (datamesh-manager) 0.0.1: products, data usage agreements, teams
//! and source systems.

use model::Code;
use model::{Agreement, DataProduct, InputPort, OutputPort, Property, SourceSystem, Team};

use crate::read::{self, text, Ctx};
use crate::registry::Standard;
use crate::validate::user::{UserSchema, UserSchemas};
use crate::{Document, Kind};
use model::yaml::{Node, Value};

pub struct Dps;

impl Standard for Dps {
    fn kinds(&self) -> &'static [Kind] {
        &[
            Kind::DpsProduct,
            Kind::DpsAgreement,
            Kind::DpsTeam,
            Kind::DpsSourceSystem,
        ]
    }

    fn declared(&self, doc: &Node) -> Option<Kind> {
        if doc.get("dataProductSpecification").is_some() {
            Some(Kind::DpsProduct)
        } else if doc.get("dataUsageAgreementSpecification").is_some() {
            Some(Kind::DpsAgreement)
        } else {
            None
        }
    }

    /// Products without their version key, as many real repositories have them; teams and
    /// source systems, which have none.
    fn shaped(&self, doc: &Node) -> Option<Kind> {
        let has = |k: &str| doc.get(k).is_some();
        let keys_within = |allowed: &[&str]| {
            doc.entries()
                .iter()
                .all(|(k, _)| allowed.contains(&k.text.as_str()))
        };
        if has("id")
            && doc.get("info").is_some_and(Node::is_map)
            && (has("outputPorts") || has("inputPorts"))
        {
            Some(Kind::DpsProduct)
        } else if has("id") && has("name") && has("members") && keys_within(TEAM_KEYS) {
            Some(Kind::DpsTeam)
        } else if has("id") && has("name") && has("owner") && keys_within(SYSTEM_KEYS) {
            Some(Kind::DpsSourceSystem)
        } else {
            None
        }
    }

    fn read(&self, ctx: &mut Ctx, doc: &Node, kind: Kind, out: &mut Vec<Document>) {
        match kind {
            Kind::DpsProduct => parse_product(ctx, doc, out),
            Kind::DpsAgreement => parse_agreement(ctx, doc, out),
            Kind::DpsTeam => parse_team(ctx, doc, out),
            _ => parse_system(ctx, doc, out),
        }
    }

    fn user_schema<'u>(&self, kind: Kind, user: &'u UserSchemas) -> Option<&'u UserSchema> {
        (kind == Kind::DpsProduct)
            .then_some(user.product.as_ref())
            .flatten()
    }
}

/// The keys a team file may have (it has no version key to recognise it by).
const TEAM_KEYS: &[&str] = &[
    "id",
    "name",
    "type",
    "description",
    "members",
    "tags",
    "links",
    "custom",
    "domain",
    "parent",
];

/// The keys a source system file may have.
const SYSTEM_KEYS: &[&str] = &[
    "id",
    "name",
    "owner",
    "description",
    "tags",
    "links",
    "custom",
    "type",
];

const KNOWN: &[&str] = &[
    "dataProductSpecification",
    "id",
    "info",
    "inputPorts",
    "outputPorts",
    "links",
    "custom",
    "tags",
];

/// DPS `custom: {key: value}` as properties.
fn custom(node: &Node) -> Vec<Property> {
    node.get("custom")
        .map(|c| {
            c.entries()
                .iter()
                .map(|(k, v)| Property {
                    key: k.text.clone(),
                    value: v.to_json(),
                    ..Default::default()
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn parse_product(ctx: &mut Ctx, doc: &Node, out: &mut Vec<Document>) {
    let id = ctx.required_str(doc, "id", "a unique product id, e.g. `search-queries`");
    let info = ctx.map(doc, "info");
    if info.is_none() {
        ctx.error_at(
            doc.pos,
            Code::MissingField,
            "required field `info` is missing".into(),
            "add `info:` with at least `title` and `owner` (the owning team's id)",
        );
    }
    let (Some(id), Some(info)) = (id, info) else {
        return;
    };
    ctx.required_str(info, "title", "the product's display name");
    let owner = ctx.required_str(info, "owner", "the id of the owning team");
    let input_ports = ctx
        .list(doc, "inputPorts")
        .iter()
        .filter_map(|port| input_port(ctx, port))
        .collect();
    let output_ports = ctx
        .list(doc, "outputPorts")
        .iter()
        .filter_map(|port| output_port(ctx, port))
        .collect();
    let spec = text(doc, "dataProductSpecification");
    let product = DataProduct {
        slug: String::new(),
        name: text(info, "title").unwrap_or_else(|| id.clone()),
        version: None,
        domain: text(info, "domain"),
        owner,
        status: text(info, "status"),
        archetype: text(info, "archetype"),
        description: text(info, "description"),
        description_parts: text(info, "maturity")
            .map(|m| {
                vec![model::Labelled {
                    label: "Maturity".into(),
                    text: m,
                }]
            })
            .unwrap_or_default(),
        tags: ctx.str_list(doc, "tags"),
        input_ports,
        output_ports,
        links: read::links(doc.get("links")),
        support: Vec::new(),
        members: Vec::new(),
        custom: custom(doc),
        extensions: {
            let mut e = read::extensions(doc, KNOWN);
            e.extend(
                read::extensions(info, INFO_KEYS)
                    .into_iter()
                    .map(|p| Property {
                        key: format!("info.{}", p.key),
                        value: p.value,
                        ..Default::default()
                    }),
            );
            e
        },
        standard: model::Standard {
            family: "dps",
            label: match spec {
                Some(v) => format!("Data Product Specification {v}"),
                None => "Data Product Specification".into(),
            },
        },
        origin: ctx.origin.clone(),
        id,
        ..Default::default()
    };
    out.push(Document::Product(Box::new(product)));
}

/// `info` keys read into product fields.
const INFO_KEYS: &[&str] = &[
    "title",
    "description",
    "status",
    "archetype",
    "maturity",
    "owner",
    "domain",
];

/// Port keys read into port fields; the others are kept as details of the port.
const INPUT_PORT_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "type",
    "location",
    "sourceSystemId",
    "dataProductId",
    "outputPortId",
    "dataContractId",
    "links",
    "custom",
    "tags",
];
const OUTPUT_PORT_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "type",
    "status",
    "server",
    "location",
    "dataContractId",
    "containsPii",
    "links",
    "custom",
    "tags",
];

fn input_port(ctx: &mut Ctx, port: &Node) -> Option<InputPort> {
    let pid = ctx.required_str(port, "id", "the port id")?;
    let source_product = text(port, "dataProductId");
    Some(InputPort {
        name: text(port, "name").unwrap_or_else(|| pid.clone()),
        id: pid,
        description: text(port, "description"),
        version: None,
        kind: text(port, "type"),
        contract_id: text(port, "dataContractId"),
        source_port: text(port, "outputPortId"),
        source_system: text(port, "sourceSystemId").filter(|s| source_product.as_ref() != Some(s)),
        source_product,
        custom: custom(port),
        line: port.pos.line,
        location: text(port, "location"),
        deprecated: false,
        tags: ctx.str_list(port, "tags"),
        links: read::links(port.get("links")),
        details: read::extensions(port, INPUT_PORT_KEYS),
    })
}

fn output_port(ctx: &mut Ctx, port: &Node) -> Option<OutputPort> {
    let pid = ctx.required_str(port, "id", "the port id")?;
    let server = port.get("server").map(|s| match &s.value {
        Value::Map(entries) => entries
            .iter()
            .filter_map(|(k, v)| Some(format!("{}: {}", k.text, v.scalar_text()?)))
            .collect::<Vec<_>>()
            .join(", "),
        _ => read::display(s),
    });
    Some(OutputPort {
        name: text(port, "name").unwrap_or_else(|| pid.clone()),
        id: pid,
        description: text(port, "description"),
        version: None,
        kind: text(port, "type"),
        status: text(port, "status"),
        server,
        contract_id: text(port, "dataContractId"),
        contains_pii: ctx.bool(port, "containsPii"),
        input_contracts: Vec::new(),
        input_contract_versions: Vec::new(),
        tags: ctx.str_list(port, "tags"),
        links: read::links(port.get("links")),
        custom: custom(port),
        line: port.pos.line,
        location: text(port, "location"),
        details: read::extensions(port, OUTPUT_PORT_KEYS),
        ..Default::default()
    })
}

pub fn parse_agreement(ctx: &mut Ctx, doc: &Node, out: &mut Vec<Document>) {
    let id = ctx.required_str(doc, "id", "a unique agreement id");
    let provider = ctx.map(doc, "provider");
    if provider.is_none() {
        ctx.error_at(
            doc.pos,
            Code::MissingField,
            "required field `provider` is missing".into(),
            "add `provider:` with `dataProductId` and `outputPortId`",
        );
    }
    let (Some(id), Some(provider)) = (id, provider) else {
        return;
    };
    let Some(provider_product) =
        ctx.required_str(provider, "dataProductId", "the provider product's id")
    else {
        return;
    };
    let consumer = doc.get("consumer");
    let info = doc.get("info");
    out.push(Document::Agreement(Agreement {
        id,
        provider_product,
        provider_port: text(provider, "outputPortId"),
        consumer_product: consumer.and_then(|c| text(c, "dataProductId")),
        consumer_team: consumer.and_then(|c| text(c, "teamId")),
        purpose: info.and_then(|i| text(i, "purpose").or_else(|| text(i, "description"))),
        status: info.and_then(|i| text(i, "status")),
        origin: ctx.origin.clone(),
    }));
}

pub fn parse_team(ctx: &mut Ctx, doc: &Node, out: &mut Vec<Document>) {
    let (Some(id), Some(name)) = (ctx.str(doc, "id"), ctx.str(doc, "name")) else {
        return;
    };
    let members = ctx.list(doc, "members");
    let members = ctx.members(members);
    out.push(Document::Team(Team {
        slug: String::new(),
        id,
        name,
        kind: text(doc, "type"),
        description: text(doc, "description"),
        domain: text(doc, "domain"),
        parent: text(doc, "parent"),
        email: None,
        members,
        links: read::links(doc.get("links")),
        custom: custom(doc),
        origin: Some(ctx.origin.clone()),
    }));
}

pub fn parse_system(ctx: &mut Ctx, doc: &Node, out: &mut Vec<Document>) {
    let (Some(id), Some(name)) = (ctx.str(doc, "id"), ctx.str(doc, "name")) else {
        return;
    };
    out.push(Document::System(SourceSystem {
        id,
        name,
        owner: text(doc, "owner"),
        description: text(doc, "description"),
        origin: ctx.origin.clone(),
        domain: None,
    }));
}
