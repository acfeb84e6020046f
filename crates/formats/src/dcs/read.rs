//! Reading DCS contracts into the model.

use model::Code;
use model::{
    DataContract, Labelled, Role, SchemaObject, SchemaProperty, Server, SlaProperty, Standard,
    Support,
};

use super::VERSION_KEY;
use crate::quality;
use crate::read::{self, display, text, Ctx};
use crate::Document;
use model::display::humanize;
use model::yaml::{Node, Value};

const KNOWN: &[&str] = &[
    VERSION_KEY,
    "id",
    "info",
    "servers",
    "terms",
    "models",
    "definitions",
    "servicelevels",
    "links",
    "tags",
    "examples",
    "quality",
    "schema",
];

/// `info` keys read into model fields; the others are kept as custom properties.
const INFO_KEYS: &[&str] = &[
    "title",
    "version",
    "status",
    "description",
    "owner",
    "contact",
    "domain",
    "dataProduct",
];

/// Model keys read into schema object fields; the others are kept as custom properties.
const MODEL_KEYS: &[&str] = &[
    "type",
    "title",
    "description",
    "fields",
    "quality",
    "examples",
    "primaryKey",
    "config",
    "links",
    "tags",
];

/// Field keys that constrain the type's values, shown as type options.
const TYPE_OPTIONS: &[&str] = &[
    "format",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "precision",
    "scale",
];

/// Field keys read into property fields (with [`TYPE_OPTIONS`]); the others are kept as custom
/// properties.
const FIELD_KEYS: &[&str] = &[
    "$ref",
    "type",
    "title",
    "description",
    "required",
    "unique",
    "primaryKey",
    "primary",
    "pii",
    "classification",
    "examples",
    "example",
    "enum",
    "references",
    "tags",
    "quality",
    "fields",
    "items",
    "config",
    "lineage",
    "links",
];

/// `config` keys that name the physical type, most specific first.
const PHYSICAL_TYPE_KEYS: &[&str] = &[
    "physicalType",
    "snowflakeType",
    "bigqueryType",
    "databricksType",
    "postgresType",
    "jsonType",
];

const MAX_DEPTH: usize = 32;

pub fn parse(ctx: &mut Ctx, doc: &Node, out: &mut Vec<Document>) {
    let id = ctx.required_str(doc, "id", "a unique contract id, e.g. `orders-latest`");
    let info = required_info(ctx, doc);
    let Some(id) = id else { return };
    let empty = Node {
        pos: doc.pos,
        value: Value::Map(Vec::new()),
    };
    let info = info.unwrap_or(&empty);
    if doc.get("info").is_some() {
        ctx.required_str(info, "title", "the contract's display name");
        ctx.required_str(info, "version", "the contract version, e.g. `1.0.0`");
    }
    let spec = text(doc, VERSION_KEY).unwrap_or_default();
    let schema = models(ctx, doc);
    let (servers, roles) = servers(doc);
    let definitions = top_definitions(ctx, doc);
    let mut extensions = read::extensions(doc, KNOWN);
    let schema_specification = schema_specification(doc, &mut extensions);
    let contract = DataContract {
        slug: String::new(),
        name: text(info, "title").unwrap_or_else(|| id.clone()),
        version: text(info, "version"),
        status: text(info, "status"),
        domain: text(info, "domain"),
        owner: text(info, "owner"),
        data_product: text(info, "dataProduct"),
        description: text(info, "description"),
        description_parts: Vec::new(),
        tags: ctx.str_list(doc, "tags"),
        schema,
        quality: quality_of(ctx, doc),
        sla: servicelevels(doc.get("servicelevels")),
        servers,
        support: contact(info),
        members: Vec::new(),
        roles,
        pricing: doc.get("terms").and_then(|t| text(t, "billing")),
        terms: terms(doc),
        links: read::links(doc.get("links")),
        custom: read::extensions(info, INFO_KEYS),
        extensions,
        standard: Standard {
            family: "dcs",
            label: format!("Data Contract Specification {spec}")
                .trim()
                .to_string(),
        },
        origin: ctx.origin.clone(),
        history: Vec::new(),
        source_text: None,
        id,
        data_product_at: read::key_at(info, "dataProduct"),
        examples: examples_of(doc),
        definitions,
        schema_specification,
        ..Default::default()
    };
    out.push(Document::Contract(Box::new(contract)));
}

/// `info`, or an error when it is missing (reported before a missing `id` stops the contract).
fn required_info<'n>(ctx: &mut Ctx, doc: &'n Node) -> Option<&'n Node> {
    let info = ctx.map(doc, "info");
    if info.is_none() {
        ctx.error_at(
            doc.pos,
            Code::MissingField,
            "required field `info` is missing".into(),
            "add `info:` with at least `title` and `version`",
        );
    }
    info
}

/// Top-level `definitions` as properties, for the contract's definitions section.
fn top_definitions(ctx: &mut Ctx, doc: &Node) -> Vec<SchemaProperty> {
    doc.get("definitions")
        .map(|d| {
            d.entries()
                .iter()
                .map(|(name, def)| field_to_property(ctx, &name.text, def, None, 1))
                .collect()
        })
        .unwrap_or_default()
}

/// `schema: {type, specification}` as the contract's schema; any other `schema` value is kept
/// as an extension.
fn schema_specification(
    doc: &Node,
    extensions: &mut Vec<model::Property>,
) -> Option<model::Example> {
    match doc.get("schema") {
        Some(s) if s.get("specification").is_some() || s.get("type").is_some() => {
            Some(model::Example {
                kind: text(s, "type"),
                data: s
                    .get("specification")
                    .map_or(serde_json::Value::Null, Node::to_json),
                ..Default::default()
            })
        }
        Some(other) if !other.is_null() => {
            extensions.push(model::Property {
                key: "schema".into(),
                value: other.to_json(),
                ..Default::default()
            });
            None
        }
        _ => None,
    }
}

/// `models: {name: {fields: {...}}}` as schema objects.
fn models(ctx: &mut Ctx, doc: &Node) -> Vec<SchemaObject> {
    let mut schema = Vec::new();
    let Some(models) = ctx.map(doc, "models") else {
        return schema;
    };
    let definitions = doc.get("definitions");
    for (name, model) in models.entries() {
        let mut properties = Vec::new();
        if let Some(fields) = ctx.map(model, "fields") {
            for (field_name, field) in fields.entries() {
                properties.push(field_to_property(
                    ctx,
                    &field_name.text,
                    field,
                    definitions,
                    1,
                ));
            }
        }
        // A composite key is written on the model: its fields are the primary key, in order.
        let primary_key: Vec<String> = match model.get("primaryKey") {
            Some(k) => match &k.value {
                Value::Seq(items) => items.iter().filter_map(Node::scalar_text).collect(),
                _ => k.scalar_text().into_iter().collect(),
            },
            None => Vec::new(),
        };
        for (position, key) in primary_key.iter().enumerate() {
            if let Some(p) = properties.iter_mut().find(|p| &p.name == key) {
                p.primary_key = true;
                if primary_key.len() > 1 {
                    p.primary_key_position = Some(position as i64 + 1);
                }
            }
        }
        let mut custom = read::extensions(model, MODEL_KEYS);
        if let Some(config) = model.get("config") {
            custom.extend(config.entries().iter().map(|(k, v)| model::Property {
                key: format!("config.{}", k.text),
                value: v.to_json(),
                ..Default::default()
            }));
        }
        schema.push(SchemaObject {
            name: name.text.clone(),
            physical_name: None,
            kind: text(model, "type"),
            business_name: text(model, "title"),
            description: text(model, "description"),
            properties,
            quality: quality_of(ctx, model),
            definitions: read::links(model.get("links")),
            tags: ctx.str_list(model, "tags"),
            granularity: None,
            relationships: Vec::new(),
            extensions: Vec::new(),
            custom,
            primary_key,
            examples: model
                .get("examples")
                .map(|e| match &e.value {
                    Value::Seq(items) => items.iter().map(display).collect(),
                    _ => vec![display(e)],
                })
                .unwrap_or_default(),
            ..Default::default()
        });
    }
    schema
}

/// Top-level `examples: [{type, description, model, data}]`.
fn examples_of(doc: &Node) -> Vec<model::Example> {
    doc.get("examples")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|e| model::Example {
            kind: text(e, "type"),
            model: text(e, "model"),
            description: text(e, "description"),
            data: e.get("data").map_or(serde_json::Value::Null, Node::to_json),
        })
        .collect()
}

/// `info.contact` as a support channel.
fn contact(info: &Node) -> Vec<Support> {
    let mut support = Vec::new();
    if let Some(contact) = info.get("contact") {
        let name = text(contact, "name");
        let url =
            text(contact, "url").or_else(|| text(contact, "email").map(|e| format!("mailto:{e}")));
        if let Some(channel) = name.clone().or_else(|| url.clone()) {
            support.push(Support {
                channel,
                url,
                description: text(contact, "email"),
                ..Default::default()
            });
        }
    }
    support
}

/// `terms`, each as a labelled text (a list of policies as a markdown list).
fn terms(doc: &Node) -> Vec<Labelled> {
    let mut terms = Vec::new();
    if let Some(t) = doc.get("terms") {
        for (k, v) in t.entries() {
            let value = match &v.value {
                Value::Seq(items) => items
                    .iter()
                    .map(|p| {
                        let name = text(p, "name").unwrap_or_default();
                        let description = text(p, "description");
                        match (text(p, "url"), description) {
                            (Some(url), Some(d)) => format!("- [{name}]({url}): {d}"),
                            (Some(url), None) => format!("- [{name}]({url})"),
                            (None, Some(d)) if !name.is_empty() => format!("- {name}: {d}"),
                            (None, d) => format!("- {}", d.unwrap_or(name)),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => display(v),
            };
            terms.push(Labelled {
                label: humanize(&k.text),
                text: value,
            });
        }
    }
    terms
}

/// `servers: {name: {...}}` as servers, and the roles they grant.
fn servers(doc: &Node) -> (Vec<Server>, Vec<Role>) {
    let mut roles = Vec::new();
    let mut servers = Vec::new();
    if let Some(s) = doc.get("servers") {
        for (name, server) in s.entries() {
            for r in server.get("roles").map(Node::items).unwrap_or_default() {
                if let Some(role) = text(r, "name") {
                    roles.push(Role {
                        name: role,
                        access: None,
                        description: text(r, "description"),
                        approvers: Vec::new(),
                        details: read::extensions(r, &["name", "description"]),
                    });
                }
            }
            servers.push(Server {
                name: name.text.clone(),
                kind: text(server, "type"),
                environment: text(server, "environment"),
                details: read::extensions(server, &["type", "environment", "roles"]),
            });
        }
    }
    (servers, roles)
}

/// DCS 1.x quality is a list of rules; 0.9.x wrote `{type, specification}`.
fn quality_of(ctx: &mut Ctx, node: &Node) -> Vec<model::QualityRule> {
    match node.get("quality") {
        Some(q) if q.is_map() => vec![quality::rule(q)],
        Some(_) => quality::rules(ctx.list(node, "quality")),
        None => Vec::new(),
    }
}

/// A field's own key, else its definition's.
struct Field<'n> {
    node: &'n Node,
    definition: Option<&'n Node>,
}

impl<'n> Field<'n> {
    fn get(&self, key: &str) -> Option<&'n Node> {
        self.node
            .get(key)
            .or_else(|| self.definition.and_then(|d| d.get(key)))
    }

    fn text(&self, key: &str) -> Option<String> {
        text(self.node, key).or_else(|| self.definition.and_then(|d| text(d, key)))
    }

    fn flag(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| matches!(v.value, Value::Bool(true)))
    }
}

/// A DCS field (with `$ref` to `definitions` resolved, the field's own keys winning).
fn field_to_property(
    ctx: &mut Ctx,
    name: &str,
    node: &Node,
    definitions: Option<&Node>,
    depth: usize,
) -> SchemaProperty {
    let external = external_definition(ctx, node);
    let field = Field {
        node,
        definition: match &external {
            Some(d) => Some(d),
            None => definition(ctx, node, definitions),
        },
    };
    let mut logical_type = field.text("type");
    let children = if depth < MAX_DEPTH {
        children(ctx, node, definitions, depth, &mut logical_type)
    } else {
        Vec::new()
    };
    let references = field.text("references");
    let config = config_properties(node);
    let mut notes = Vec::new();
    if let Some(items) = node.get("items") {
        item_notes(items, &mut notes);
    }
    SchemaProperty {
        physical_name: None,
        partition_key_position: None,
        critical: false,
        relationships: references.as_deref().map(foreign_key).into_iter().collect(),
        definitions: read::links(node.get("links")),
        transform: transform(node),
        extensions: Vec::new(),
        type_options: type_options(&field),
        name: name.to_string(),
        business_name: field.text("title"),
        logical_type,
        physical_type: node
            .get("config")
            .and_then(|c| PHYSICAL_TYPE_KEYS.iter().find_map(|k| text(c, k))),
        description: field.text("description"),
        required: field.flag("required"),
        unique: field.flag("unique"),
        primary_key: field.flag("primaryKey") || field.flag("primary"),
        primary_key_position: None,
        partitioned: false,
        pii: field.flag("pii"),
        classification: field.text("classification"),
        examples: examples(&field),
        enum_values: field
            .get("enum")
            .map(|e| e.items().iter().map(display).collect())
            .unwrap_or_default(),
        references,
        tags: field
            .get("tags")
            .map(|t| t.items().iter().filter_map(Node::scalar_text).collect())
            .unwrap_or_default(),
        quality: quality_of(ctx, node),
        custom: read::extensions_beyond(node, &[FIELD_KEYS, TYPE_OPTIONS]),
        properties: children,
        lineage: input_fields(node),
        definition_ref: text(node, "$ref"),
        config,
        notes,
        ..Default::default()
    }
}

/// `config` without the key that gave the physical type, which is shown on its own.
fn config_properties(node: &Node) -> Vec<model::Property> {
    let config = node.get("config");
    let physical_key = config.and_then(|c| {
        PHYSICAL_TYPE_KEYS
            .iter()
            .find(|k| text(c, k).is_some())
            .copied()
    });
    config
        .map(|c| {
            c.entries()
                .iter()
                .filter(|(k, _)| Some(k.text.as_str()) != physical_key)
                .map(|(k, v)| model::Property {
                    key: k.text.clone(),
                    value: v.to_json(),
                    ..Default::default()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The lineage inputs as one transform line, none without inputs.
fn transform(node: &Node) -> Vec<Labelled> {
    let lineage = lineage(node);
    if lineage.is_empty() {
        Vec::new()
    } else {
        vec![Labelled {
            label: "Lineage".into(),
            text: lineage.join(", "),
        }]
    }
}

/// The [`TYPE_OPTIONS`] the field (or its definition) sets, in that list's order.
fn type_options(field: &Field) -> Vec<model::Property> {
    TYPE_OPTIONS
        .iter()
        .filter_map(|k| {
            field.get(k).map(|v| model::Property {
                key: k.to_string(),
                value: v.to_json(),
                ..Default::default()
            })
        })
        .collect()
}

/// What an array's `items` says beside its type and fields, as labelled notes of the array.
fn item_notes(items: &Node, notes: &mut Vec<Labelled>) {
    for (k, v) in items.entries() {
        if matches!(k.text.as_str(), "type" | "fields") || v.is_null() {
            continue;
        }
        let text = match &v.value {
            Value::Seq(list) if list.iter().all(|i| i.scalar_text().is_some()) => list
                .iter()
                .filter_map(Node::scalar_text)
                .collect::<Vec<_>>()
                .join(", "),
            _ => display(v),
        };
        notes.push(Labelled {
            label: format!("Item {}", humanize(&k.text).to_lowercase()),
            text,
        });
    }
}

/// `references: table.column` as a foreign key relationship.
fn foreign_key(to: &str) -> model::Relationship {
    model::Relationship {
        kind: Some("foreignKey".into()),
        from: Vec::new(),
        to: vec![to.to_string()],
    }
}

/// The definition in another file of the source that a field's `$ref` points to
/// (`$ref: definitions.yaml#/sku`).
fn external_definition(ctx: &mut Ctx, field: &Node) -> Option<Node> {
    let reference = text(field, "$ref")?;
    if reference.starts_with('#') {
        return None;
    }
    ctx.follow(read::key_pos(field, "$ref"), &reference)
        .map(|(node, _)| node)
        .filter(Node::is_map)
}

/// The definition a field's `$ref` points to; a reference to a missing one is a warning.
fn definition<'n>(ctx: &mut Ctx, field: &Node, definitions: Option<&'n Node>) -> Option<&'n Node> {
    let name = text(field, "$ref")?
        .strip_prefix("#/definitions/")?
        .to_string();
    let found = definitions.and_then(|d| d.get(&name));
    if found.is_none() {
        if let Some(rnode) = field.get("$ref") {
            ctx.warn_at(
                rnode.pos,
                Code::UnresolvedRef,
                format!(
                    "`$ref` points to definition `{name}`, which this contract does not define"
                ),
                "add it under `definitions:` or fix the reference",
            );
        }
    }
    found
}

/// Nested `fields`, and those of `items`; an array's item type joins its logical type
/// (`array<string>`).
fn children(
    ctx: &mut Ctx,
    field: &Node,
    definitions: Option<&Node>,
    depth: usize,
    logical_type: &mut Option<String>,
) -> Vec<SchemaProperty> {
    let mut children = Vec::new();
    if let Some(fields) = field.get("fields") {
        for (k, f) in fields.entries() {
            children.push(field_to_property(ctx, &k.text, f, definitions, depth + 1));
        }
    }
    if let Some(items) = field.get("items") {
        if let Some(fields) = items.get("fields") {
            for (k, f) in fields.entries() {
                children.push(field_to_property(ctx, &k.text, f, definitions, depth + 1));
            }
        }
        if let (Some(lt), Some(item_type)) = (logical_type.as_ref(), text(items, "type")) {
            *logical_type = Some(format!("{lt}<{item_type}>"));
        }
    }
    children
}

/// `examples` (or a single `example`), from the field or its definition.
fn examples(field: &Field) -> Vec<String> {
    field
        .node
        .get("examples")
        .or_else(|| field.node.get("example"))
        .or_else(|| field.definition.and_then(|d| d.get("examples")))
        .map(|e| match &e.value {
            Value::Seq(items) => items.iter().map(display).collect(),
            _ => vec![display(e)],
        })
        .unwrap_or_default()
}

/// `lineage.inputFields[]` as `namespace.name.field` texts, for the transform line.
fn lineage(field: &Node) -> Vec<String> {
    field
        .get("lineage")
        .and_then(|l| l.get("inputFields"))
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|f| {
            ["namespace", "name", "field"]
                .iter()
                .filter_map(|k| text(f, k))
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect()
}

/// DCS `lineage.inputFields[]` (OpenLineage style) as `name.field` references.
fn input_fields(field: &Node) -> Vec<String> {
    let Some(inputs) = field.get("lineage").and_then(|l| l.get("inputFields")) else {
        return Vec::new();
    };
    inputs
        .items()
        .iter()
        .filter_map(|i| {
            let name = text(i, "name")?;
            Some(match text(i, "field") {
                Some(f) => format!("{name}.{f}"),
                None => name,
            })
        })
        .collect()
}

/// DCS `servicelevels` blocks, each as one SLA line: the value keys as they are, the other
/// facts (`recoveryPoint`, `unlimited`, …) with their names.
fn servicelevels(node: Option<&Node>) -> Vec<SlaProperty> {
    let Some(node) = node else { return Vec::new() };
    node.entries()
        .iter()
        .map(|(k, v)| {
            let value_keys = [
                "percentage",
                "period",
                "threshold",
                "interval",
                "time",
                "cron",
                "type",
                "responseTime",
                "recoveryTime",
            ];
            let shown_elsewhere = ["description", "timestampField", "sourceTimestampField"];
            let mut parts: Vec<String> = value_keys.iter().filter_map(|key| text(v, key)).collect();
            for (key, value) in v.entries() {
                let key = key.text.as_str();
                if value_keys.contains(&key) || shown_elsewhere.contains(&key) {
                    continue;
                }
                if let Some(t) = value.scalar_text().filter(|t| !t.trim().is_empty()) {
                    parts.push(format!("{} {t}", humanize(key).to_lowercase()));
                } else if !value.is_null() {
                    parts.push(format!(
                        "{} {}",
                        humanize(key).to_lowercase(),
                        display(value)
                    ));
                }
            }
            let value = parts.join(" · ");
            SlaProperty {
                threshold: crate::thresholds::servicelevel_threshold(&k.text, v),
                property: k.text.clone(),
                value: if value.is_empty() { display(v) } else { value },
                unit: None,
                element: text(v, "timestampField").or_else(|| text(v, "sourceTimestampField")),
                driver: None,
                schedule: None,
                description: text(v, "description"),
            }
        })
        .collect()
}
