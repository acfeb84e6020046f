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
    let info = ctx.map(doc, "info");
    if info.is_none() {
        ctx.error_at(
            doc.pos,
            Code::MissingField,
            "required field `info` is missing".into(),
            "add `info:` with at least `title` and `version`",
        );
    }
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
        extensions: read::extensions(doc, KNOWN),
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
    };
    out.push(Document::Contract(Box::new(contract)));
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
        schema.push(SchemaObject {
            name: name.text.clone(),
            physical_name: None,
            kind: text(model, "type"),
            business_name: text(model, "title"),
            description: text(model, "description"),
            properties,
            quality: quality_of(ctx, model),
            definitions: Vec::new(),
            tags: ctx.str_list(model, "tags"),
            granularity: None,
            relationships: Vec::new(),
            extensions: Vec::new(),
            custom: read::extensions(model, MODEL_KEYS),
        });
    }
    schema
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
                tool: None,
                description: text(contact, "email"),
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
                        match text(p, "url") {
                            Some(url) => format!("- [{name}]({url})"),
                            None => format!("- {}", text(p, "description").unwrap_or(name)),
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
    let field = Field {
        node,
        definition: definition(ctx, node, definitions),
    };
    let mut logical_type = field.text("type");
    let children = if depth < MAX_DEPTH {
        children(ctx, node, definitions, depth, &mut logical_type)
    } else {
        Vec::new()
    };
    let references = field.text("references");
    let lineage = lineage(node);
    SchemaProperty {
        physical_name: None,
        partition_key_position: None,
        critical: false,
        relationships: references.as_deref().map(foreign_key).into_iter().collect(),
        definitions: read::links(node.get("links")),
        transform: if lineage.is_empty() {
            Vec::new()
        } else {
            vec![Labelled {
                label: "Lineage".into(),
                text: lineage.join(", "),
            }]
        },
        extensions: Vec::new(),
        type_options: TYPE_OPTIONS
            .iter()
            .filter_map(|k| {
                field.get(k).map(|v| model::Property {
                    key: k.to_string(),
                    value: v.to_json(),
                })
            })
            .collect(),
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

/// DCS `servicelevels` blocks, each as one SLA line.
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
            let value = value_keys
                .iter()
                .filter_map(|key| text(v, key))
                .collect::<Vec<_>>()
                .join(" · ");
            SlaProperty {
                threshold: crate::thresholds::servicelevel_threshold(&k.text, v),
                property: k.text.clone(),
                value: if value.is_empty() { display(v) } else { value },
                unit: None,
                element: text(v, "timestampField").or_else(|| text(v, "sourceTimestampField")),
                driver: None,
                description: text(v, "description"),
            }
        })
        .collect()
}
