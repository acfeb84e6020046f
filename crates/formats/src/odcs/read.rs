//! Reading ODCS v3.x contracts into the model.

use model::Code;
use model::{
    DataContract, Labelled, Property, Relationship, Role, SchemaObject, SchemaProperty, Server,
    SlaProperty, Standard,
};

use super::keys::{ELEMENT, KNOWN_V3, OBJECT, PROPERTY, PROPERTY_V32, V31};
use crate::quality;
use crate::read::{self, display, text, Ctx};
use crate::Document;
use model::display::humanize;
use model::yaml::{Node, Value};

/// Fields of the newest drafts (v3.2) the reader shows, beside the key lists the rules share:
/// they are read here, so they are no extension fields.
const READ_V32_TOP: &[&str] = &["context"];
const READ_V32_ELEMENT: &[&str] = &["synonyms", "context"];

/// Classifications that mark personal data.
pub(super) const PII_CLASSES: &[&str] =
    &["pii", "restricted", "confidential", "sensitive", "personal"];

pub fn parse(ctx: &mut Ctx, doc: &Node, out: &mut Vec<Document>) {
    let api = text(doc, "apiVersion").unwrap_or_default();
    if api.starts_with("v2") || (doc.get("id").is_none() && doc.get("uuid").is_some()) {
        return super::read_v2::parse(ctx, doc, &api, out);
    }
    let id = ctx.required_str(doc, "id", "a unique contract id, e.g. `orders-v1`");
    if api.is_empty() {
        ctx.required_str(doc, "apiVersion", "the ODCS version, e.g. `v3.1.0`");
    }
    ctx.required_str(doc, "status", "the contract status, e.g. `active`");
    let Some(id) = id else { return };
    let (description, description_parts) = read::description(doc.get("description"));
    let (owner, members) = team(ctx, doc);
    let team_info = doc
        .get("team")
        .and_then(|t| read::team_info(ctx, t))
        .map(|mut t| {
            // The name is the owner's when there is no id: shown once, as the owner.
            if owner.is_some() && t.name == owner {
                t.name = None;
            }
            t
        });
    let mut contract = DataContract {
        slug: String::new(),
        name: ctx.str(doc, "name").unwrap_or_else(|| id.clone()),
        id,
        version: ctx.str(doc, "version"),
        status: ctx.str(doc, "status"),
        domain: ctx.str(doc, "domain"),
        owner,
        data_product: ctx.str(doc, "dataProduct"),
        description,
        description_parts,
        tags: ctx.str_list(doc, "tags"),
        schema: Vec::new(),
        quality: Vec::new(),
        sla: sla(ctx, doc),
        servers: servers(ctx, doc),
        support: read::support(doc.get("support")),
        members,
        roles: roles(ctx, doc),
        pricing: price(doc.get("price")),
        terms: Vec::new(),
        links: read::links(doc.get("authoritativeDefinitions")),
        custom: ctx.custom_properties(doc),
        extensions: read::extensions_beyond(doc, &[KNOWN_V3, READ_V32_TOP]),
        standard: Standard {
            family: "odcs",
            label: format!("ODCS {}", if api.is_empty() { "v3" } else { &api }),
        },
        origin: ctx.origin.clone(),
        history: Vec::new(),
        source_text: None,
        data_product_at: read::key_at(doc, "dataProduct"),
        tenant: ctx.str(doc, "tenant"),
        created: text(doc, "contractCreatedTs"),
        team: team_info,
        guidance: read::guidance(doc.get("context")),
        ..Default::default()
    };
    for object in ctx.list(doc, "schema") {
        if let Some(o) = schema_object(ctx, object) {
            contract.schema.push(o);
        }
    }
    out.push(Document::Contract(Box::new(contract)));
}

/// ODCS v3.1 `team: {id, name, members}`; v3.0 `team: [members]`.
fn team(ctx: &mut Ctx, doc: &Node) -> (Option<String>, Vec<model::Member>) {
    let Some(team) = doc.get("team") else {
        return (None, Vec::new());
    };
    if team.is_map() {
        let owner = text(team, "id").or_else(|| text(team, "name"));
        let members = ctx.list(team, "members");
        (owner, ctx.members(members))
    } else {
        let members = ctx.list(doc, "team");
        (None, ctx.members(members))
    }
}

fn schema_object(ctx: &mut Ctx, node: &Node) -> Option<SchemaObject> {
    let name = ctx.required_str(node, "name", "the table or object name")?;
    let mut properties = Vec::new();
    for p in ctx.list(node, "properties") {
        if let Some(p) = property(ctx, p, 1) {
            properties.push(p);
        }
    }
    let physical_type = text(node, "physicalType");
    let logical_type = text(node, "logicalType");
    Some(SchemaObject {
        name,
        physical_name: text(node, "physicalName"),
        logical_type: logical_type
            .clone()
            .filter(|l| physical_type.as_ref().is_some_and(|p| p != l)),
        kind: physical_type.or(logical_type),
        business_name: text(node, "businessName"),
        description: text(node, "description"),
        properties,
        quality: quality::rules(ctx.list(node, "quality")),
        custom: ctx.custom_properties(node),
        definitions: read::links(node.get("authoritativeDefinitions")),
        tags: ctx.str_list(node, "tags"),
        granularity: text(node, "dataGranularityDescription"),
        relationships: relationships(node),
        extensions: read::extensions_beyond(node, &[V31, ELEMENT, OBJECT, READ_V32_ELEMENT]),
        synonyms: read::synonyms(node.get("synonyms")),
        guidance: read::guidance(node.get("context")),
        element_id: text(node, "id"),
        ..Default::default()
    })
}

/// ODCS v3.1 `relationships: [{type, from, to}]`; `from`/`to` are a reference or a list of them.
fn relationships(node: &Node) -> Vec<Relationship> {
    let ends = |r: &Node, key: &str| -> Vec<String> {
        match r.get(key) {
            Some(v) if !v.items().is_empty() => {
                v.items().iter().filter_map(Node::scalar_text).collect()
            }
            Some(v) => v.scalar_text().into_iter().collect(),
            None => Vec::new(),
        }
    };
    node.get("relationships")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|r| {
            let to = ends(r, "to");
            (!to.is_empty()).then(|| Relationship {
                kind: text(r, "type"),
                from: ends(r, "from"),
                to,
            })
        })
        .collect()
}

/// Nesting beyond this is refused: a schema is not a place for unbounded recursion.
const MAX_DEPTH: usize = 32;

fn property(ctx: &mut Ctx, node: &Node, depth: usize) -> Option<SchemaProperty> {
    let name = ctx.required_str(node, "name", "the column or field name")?;
    Some(element(ctx, node, name, depth))
}

/// A property, or a part of one that has no name of its own (a map's key and value).
fn element(ctx: &mut Ctx, node: &Node, name: String, depth: usize) -> SchemaProperty {
    let custom = ctx.custom_properties(node);
    let classification = text(node, "classification");
    let tags = ctx.str_list(node, "tags");
    let pii = is_pii(&custom, classification.as_deref(), &tags);
    let mut logical_type = text(node, "logicalType");
    let mut notes = Vec::new();
    let children = children(ctx, node, &name, depth, &mut logical_type, &mut notes);
    let enum_details = enum_objects(ctx, node.get("enum"));
    let enum_values = node
        .get("logicalTypeOptions")
        .and_then(|o| o.get("enum"))
        .or_else(|| node.get("enum"))
        .map(|e| {
            e.items()
                .iter()
                .map(|v| v.get("value").map_or_else(|| display(v), display))
                .collect()
        })
        .unwrap_or_default();
    let relationships = relationships(node);
    let references = relationships.first().and_then(|r| r.to.first().cloned());
    let type_options = node
        .get("logicalTypeOptions")
        .map(|o| read::extensions(o, &[]))
        .unwrap_or_default();
    let transform = transform(ctx, node);
    SchemaProperty {
        name,
        business_name: text(node, "businessName"),
        logical_type,
        physical_type: text(node, "physicalType"),
        description: text(node, "description"),
        required: ctx.bool(node, "required").unwrap_or(false),
        unique: ctx.bool(node, "unique").unwrap_or(false),
        primary_key: ctx.bool(node, "primaryKey").unwrap_or(false),
        primary_key_position: ctx.int(node, "primaryKeyPosition").filter(|p| *p >= 0),
        partitioned: ctx.bool(node, "partitioned").unwrap_or(false),
        classification,
        pii,
        examples: ctx.str_list(node, "examples"),
        enum_values,
        references,
        tags,
        quality: quality::rules(ctx.list(node, "quality")),
        custom,
        properties: children,
        physical_name: text(node, "physicalName"),
        type_options,
        partition_key_position: ctx.int(node, "partitionKeyPosition").filter(|p| *p >= 0),
        critical: ctx.bool(node, "criticalDataElement").unwrap_or(false),
        relationships,
        definitions: read::links(node.get("authoritativeDefinitions")),
        transform,
        extensions: read::extensions_beyond(
            node,
            &[V31, ELEMENT, PROPERTY, PROPERTY_V32, READ_V32_ELEMENT],
        ),
        lineage: ctx.str_list(node, "transformSourceObjects"),
        semantic_type: text(node, "semanticType"),
        element_id: text(node, "id"),
        enum_details,
        synonyms: read::synonyms(node.get("synonyms")),
        notes,
        ..Default::default()
    }
}

/// ODCS v3.2 `enum: [{value, label, description, tags, authoritativeDefinitions,
/// customProperties}]`; a list of plain values has no details.
fn enum_objects(ctx: &mut Ctx, node: Option<&Node>) -> Vec<model::EnumValue> {
    let Some(items) = node.map(Node::items) else {
        return Vec::new();
    };
    if !items.iter().any(Node::is_map) {
        return Vec::new();
    }
    items
        .iter()
        .map(|item| model::EnumValue {
            value: item
                .get("value")
                .map(display)
                .unwrap_or_else(|| display(item)),
            label: text(item, "label"),
            description: text(item, "description"),
            tags: ctx.str_list(item, "tags"),
            definitions: read::links(item.get("authoritativeDefinitions")),
            custom: ctx.custom_properties(item),
        })
        .collect()
}

/// Personal data: a `pii` custom property, a classification that says so, or a `pii` tag.
fn is_pii(custom: &[Property], classification: Option<&str>, tags: &[String]) -> bool {
    custom.iter().any(|p| {
        p.key.eq_ignore_ascii_case("pii")
            && (p.value == serde_json::json!(true) || p.value == "true")
    }) || classification.is_some_and(|c| PII_CLASSES.contains(&c.to_ascii_lowercase().as_str()))
        || tags.iter().any(|t| t.eq_ignore_ascii_case("pii"))
}

/// Nested `properties`, and those of `items`; an array's item type joins its logical type
/// (`array<string>`). Deeper than [`MAX_DEPTH`] is a warning.
fn children(
    ctx: &mut Ctx,
    node: &Node,
    name: &str,
    depth: usize,
    logical_type: &mut Option<String>,
    notes: &mut Vec<Labelled>,
) -> Vec<SchemaProperty> {
    let mut children = Vec::new();
    if depth >= MAX_DEPTH {
        ctx.warn_at(
            node.pos,
            Code::SchemaTooDeep,
            format!("property `{name}` is nested more than {MAX_DEPTH} levels deep; deeper levels are not shown"),
            "flatten the schema",
        );
        return children;
    }
    for p in ctx.list(node, "properties") {
        children.extend(property(ctx, p, depth + 1));
    }
    if let Some(items) = node.get("items") {
        for p in ctx.list(items, "properties") {
            children.extend(property(ctx, p, depth + 1));
        }
        if let (Some(lt), Some(item_type)) = (logical_type.as_ref(), item_type(items)) {
            *logical_type = Some(format!("{lt}<{item_type}>"));
        }
        item_notes(items, notes);
    }
    // ODCS v3.2 `map: {key, value}`: the key and the value as nested rows, `map<key, value>`.
    if let Some(map) = node.get("map").filter(|m| m.is_map()) {
        let mut types = Vec::new();
        for (part, label) in [("key", "<key>"), ("value", "<value>")] {
            if let Some(p) = map.get(part).filter(|p| p.is_map()) {
                let child = element(ctx, p, label.to_string(), depth + 1);
                types.push(child.logical_type.clone().unwrap_or_else(|| "?".into()));
                children.push(child);
            }
        }
        if types.len() == 2 {
            let lt = logical_type.clone().unwrap_or_else(|| "map".into());
            *logical_type = Some(format!("{lt}<{}, {}>", types[0], types[1]));
        }
    }
    children
}

/// The type of an array's items, with that of their own items (`array<array<string>>`).
fn item_type(items: &Node) -> Option<String> {
    let lt = text(items, "logicalType")?;
    Some(match items.get("items").and_then(item_type) {
        Some(inner) => format!("{lt}<{inner}>"),
        None => lt,
    })
}

/// What `items` says beside its type and properties (its name, description, examples, options),
/// as labelled notes of the array.
fn item_notes(items: &Node, notes: &mut Vec<Labelled>) {
    for (k, v) in items.entries() {
        if matches!(k.text.as_str(), "logicalType" | "properties") || v.is_null() {
            continue;
        }
        if k.text == "items" && v.is_map() {
            // Nested items: their type is already part of the array's type.
            item_notes(v, notes);
            continue;
        }
        let text = match &v.value {
            Value::Seq(list) if list.iter().all(|i| i.scalar_text().is_some()) => list
                .iter()
                .filter_map(Node::scalar_text)
                .collect::<Vec<_>>()
                .join(", "),
            Value::Map(entries) if entries.iter().all(|(_, v)| v.scalar_text().is_some()) => {
                entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", k.text, display(v)))
                    .collect::<Vec<_>>()
                    .join(" · ")
            }
            _ => display(v),
        };
        notes.push(Labelled {
            label: format!("Item {}", humanize(&k.text).to_lowercase()),
            text,
        });
    }
}

/// How the property's value is derived, as labelled texts.
fn transform(ctx: &mut Ctx, node: &Node) -> Vec<Labelled> {
    let mut transform = Vec::new();
    for (key, label) in [
        ("transformLogic", "Transform logic"),
        ("transformDescription", "Transform description"),
        ("encryptedName", "Encrypted name"),
    ] {
        if let Some(t) = text(node, key) {
            transform.push(Labelled {
                label: label.into(),
                text: t,
            });
        }
    }
    let sources = ctx.str_list(node, "transformSourceObjects");
    if !sources.is_empty() {
        transform.push(Labelled {
            label: "Source objects".into(),
            text: sources.join(", "),
        });
    }
    transform
}

pub(super) fn sla(ctx: &mut Ctx, doc: &Node) -> Vec<SlaProperty> {
    let default_element = text(doc, "slaDefaultElement").or_else(|| text(doc, "slaDefaultColumn"));
    ctx.list(doc, "slaProperties")
        .iter()
        .filter_map(|p| {
            let property = text(p, "property")?;
            let mut value = p.get("value").map(display).unwrap_or_default();
            if let Some(ext) = p.get("valueExt") {
                value = format!("{value} – {}", display(ext));
            }
            let unit = text(p, "unit");
            Some(SlaProperty {
                threshold: crate::thresholds::sla_threshold(
                    &property,
                    p.get("value"),
                    unit.as_deref(),
                ),
                property,
                value,
                unit,
                element: text(p, "element").or_else(|| default_element.clone()),
                driver: text(p, "driver"),
                description: text(p, "description"),
                schedule: text(p, "schedule").map(|s| match text(p, "scheduler") {
                    Some(by) => format!("{s} ({by})"),
                    None => s,
                }),
            })
        })
        .collect()
}

fn servers(ctx: &mut Ctx, doc: &Node) -> Vec<Server> {
    ctx.list(doc, "servers")
        .iter()
        .map(|s| Server {
            name: text(s, "server")
                .or_else(|| text(s, "id"))
                .unwrap_or_else(|| "server".into()),
            kind: text(s, "type"),
            environment: text(s, "environment"),
            // The id names the server when `server` does not; otherwise it is one more detail.
            details: if s.get("server").is_some() {
                read::extensions(s, &["server", "type", "environment"])
            } else {
                read::extensions(s, &["server", "id", "type", "environment"])
            },
        })
        .collect()
}

pub(super) fn roles(ctx: &mut Ctx, doc: &Node) -> Vec<Role> {
    ctx.list(doc, "roles")
        .iter()
        .filter_map(|r| {
            Some(Role {
                name: text(r, "role")?,
                access: text(r, "access"),
                description: text(r, "description"),
                approvers: ["firstLevelApprovers", "secondLevelApprovers"]
                    .iter()
                    .filter_map(|k| text(r, k))
                    .collect(),
                details: read::extensions(
                    r,
                    &[
                        "role",
                        "access",
                        "description",
                        "firstLevelApprovers",
                        "secondLevelApprovers",
                    ],
                ),
            })
        })
        .collect()
}

pub(super) fn price(node: Option<&Node>) -> Option<String> {
    let node = node?;
    let amount = text(node, "priceAmount")?;
    let currency = text(node, "priceCurrency").unwrap_or_default();
    Some(match text(node, "priceUnit") {
        Some(unit) => format!("{amount} {currency} per {unit}").replace("  ", " "),
        None => format!("{amount} {currency}").trim().to_string(),
    })
}
