//! Reading DCS contracts into the model.

use model::Code;
use model::{
    DataContract, Labelled, Role, SchemaObject, SchemaProperty, Server, SlaProperty, Standard,
    Support,
};

use crate::quality;
use crate::read::{self, display, text, Ctx};
use crate::Document;
use model::display::humanize;
use model::yaml::{Node, Value};

const KNOWN: &[&str] = &[
    "dataContractSpecification",
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
    let spec = text(doc, "dataContractSpecification").unwrap_or_default();
    let definitions = doc.get("definitions");
    let mut schema = Vec::new();
    if let Some(models) = ctx.map(doc, "models") {
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
                custom: read::extensions(
                    model,
                    &[
                        "type",
                        "title",
                        "description",
                        "fields",
                        "quality",
                        "examples",
                        "primaryKey",
                        "config",
                    ],
                ),
            });
        }
    }
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
        support,
        members: Vec::new(),
        roles,
        pricing: doc.get("terms").and_then(|t| text(t, "billing")),
        terms,
        links: read::links(doc.get("links")),
        custom: read::extensions(
            info,
            &[
                "title",
                "version",
                "status",
                "description",
                "owner",
                "contact",
                "domain",
                "dataProduct",
            ],
        ),
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

/// DCS 1.x quality is a list of rules; 0.9.x wrote `{type, specification}`.
fn quality_of(ctx: &mut Ctx, node: &Node) -> Vec<model::QualityRule> {
    match node.get("quality") {
        Some(q) if q.is_map() => vec![quality::rule(q)],
        Some(_) => quality::rules(ctx.list(node, "quality")),
        None => Vec::new(),
    }
}

/// A DCS field (with `$ref` to `definitions` resolved, the field's own keys winning).
fn field_to_property(
    ctx: &mut Ctx,
    name: &str,
    field: &Node,
    definitions: Option<&Node>,
    depth: usize,
) -> SchemaProperty {
    let definition = text(field, "$ref")
        .and_then(|r| r.strip_prefix("#/definitions/").map(str::to_string))
        .and_then(|r| {
            let found = definitions.and_then(|d| d.get(&r));
            if found.is_none() {
                if let Some(rnode) = field.get("$ref") {
                    ctx.warn_at(
                        rnode.pos,
                        Code::UnresolvedRef,
                        format!("`$ref` points to definition `{r}`, which this contract does not define"),
                        "add it under `definitions:` or fix the reference",
                    );
                }
            }
            found
        });
    let get = |key: &str| text(field, key).or_else(|| definition.and_then(|d| text(d, key)));
    let get_bool = |key: &str| {
        field
            .get(key)
            .or_else(|| definition.and_then(|d| d.get(key)))
            .is_some_and(|v| matches!(v.value, Value::Bool(true)))
    };
    let examples_node = field
        .get("examples")
        .or_else(|| field.get("example"))
        .or_else(|| definition.and_then(|d| d.get("examples")));
    let mut children = Vec::new();
    let mut logical_type = get("type");
    if depth < MAX_DEPTH {
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
            if let (Some(lt), Some(item_type)) = (&logical_type, text(items, "type")) {
                logical_type = Some(format!("{lt}<{item_type}>"));
            }
        }
    }
    let classification = get("classification");
    let references = get("references");
    let type_options: Vec<model::Property> = [
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
    ]
    .iter()
    .filter_map(|k| {
        field
            .get(k)
            .or_else(|| definition.and_then(|d| d.get(k)))
            .map(|v| model::Property {
                key: k.to_string(),
                value: v.to_json(),
            })
    })
    .collect();
    let lineage: Vec<String> = field
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
        .collect();
    SchemaProperty {
        physical_name: None,
        partition_key_position: None,
        critical: false,
        relationships: references
            .iter()
            .map(|to| model::Relationship {
                kind: Some("foreignKey".into()),
                from: Vec::new(),
                to: vec![to.clone()],
            })
            .collect(),
        definitions: read::links(field.get("links")),
        transform: if lineage.is_empty() {
            Vec::new()
        } else {
            vec![Labelled {
                label: "Lineage".into(),
                text: lineage.join(", "),
            }]
        },
        extensions: Vec::new(),
        type_options,
        name: name.to_string(),
        business_name: get("title"),
        logical_type,
        physical_type: field.get("config").and_then(|c| {
            [
                "physicalType",
                "snowflakeType",
                "bigqueryType",
                "databricksType",
                "postgresType",
                "jsonType",
            ]
            .iter()
            .find_map(|k| text(c, k))
        }),
        description: get("description"),
        required: get_bool("required"),
        unique: get_bool("unique"),
        primary_key: get_bool("primaryKey") || get_bool("primary"),
        primary_key_position: None,
        partitioned: false,
        pii: get_bool("pii"),
        classification,
        examples: examples_node
            .map(|e| match &e.value {
                Value::Seq(items) => items.iter().map(display).collect(),
                _ => vec![display(e)],
            })
            .unwrap_or_default(),
        enum_values: field
            .get("enum")
            .or_else(|| definition.and_then(|d| d.get("enum")))
            .map(|e| e.items().iter().map(display).collect())
            .unwrap_or_default(),
        references,
        tags: field
            .get("tags")
            .or_else(|| definition.and_then(|d| d.get("tags")))
            .map(|t| t.items().iter().filter_map(Node::scalar_text).collect())
            .unwrap_or_default(),
        quality: quality_of(ctx, field),
        custom: read::extensions(
            field,
            &[
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
                "links",
            ],
        ),
        properties: children,
        lineage: input_fields(field),
    }
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
