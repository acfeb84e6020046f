//! Reading ODCS v2.2.x contracts (`uuid`, `datasetName`, `dataset[].columns[]`) into the model.

use model::yaml::Node;
use model::{DataContract, Labelled, Property, SchemaObject, SchemaProperty, Server, Standard};

use super::read::{price, roles, sla, PII_CLASSES};
use crate::quality;
use crate::read::{self, text, Ctx};
use crate::Document;

/// Top-level fields ODCS v2.2.x defines; anything else is kept as an extension.
const KNOWN_V2: &[&str] = &[
    "datasetDomain",
    "quantumName",
    "userConsumptionMode",
    "version",
    "status",
    "uuid",
    "description",
    "tenant",
    "productDl",
    "productSlackChannel",
    "productFeedbackUrl",
    "sourcePlatform",
    "sourceSystem",
    "datasetProject",
    "datasetName",
    "kind",
    "apiVersion",
    "type",
    "driver",
    "driverVersion",
    "server",
    "database",
    "username",
    "password",
    "schedulerAppName",
    "dataset",
    "price",
    "stakeholders",
    "roles",
    "slaDefaultColumn",
    "slaProperties",
    "tags",
    "customProperties",
    "systemInstance",
    "contractCreatedTs",
];

/// ODCS v2.2.x: `uuid`, `datasetName`, `dataset[].columns[]`.
pub(super) fn parse(ctx: &mut Ctx, doc: &Node, api: &str, out: &mut Vec<Document>) {
    let Some(id) = ctx.required_str(doc, "uuid", "the contract's unique id") else {
        return;
    };
    let (description, description_parts) = read::description(doc.get("description"));
    let schema = tables(ctx, doc);
    let support = support(doc);
    let members = ctx.list(doc, "stakeholders");
    let members = ctx.members(members);
    let contract = DataContract {
        slug: String::new(),
        name: text(doc, "datasetName")
            .or_else(|| text(doc, "quantumName"))
            .unwrap_or_else(|| id.clone()),
        id,
        version: text(doc, "version"),
        status: text(doc, "status"),
        domain: text(doc, "datasetDomain"),
        owner: None,
        data_product: text(doc, "quantumName"),
        description,
        description_parts,
        tags: ctx.str_list(doc, "tags"),
        schema,
        quality: Vec::new(),
        sla: sla(ctx, doc),
        servers: server(doc),
        support,
        members,
        roles: roles(ctx, doc),
        pricing: price(doc.get("price")),
        terms: Vec::<Labelled>::new(),
        links: Vec::new(),
        custom: ctx.custom_properties(doc),
        extensions: read::extensions(doc, KNOWN_V2),
        standard: Standard {
            family: "odcs",
            label: format!("ODCS {api}"),
        },
        origin: ctx.origin.clone(),
        history: Vec::new(),
        source_text: None,
        data_product_at: read::key_at(doc, "quantumName"),
        tenant: text(doc, "tenant"),
        created: text(doc, "contractCreatedTs"),
        ..Default::default()
    };
    out.push(Document::Contract(Box::new(contract)));
}

/// `dataset[]` tables with their `columns[]`, as schema objects.
fn tables(ctx: &mut Ctx, doc: &Node) -> Vec<SchemaObject> {
    let mut schema = Vec::new();
    for table in ctx.list(doc, "dataset") {
        let Some(name) = ctx.required_str(table, "table", "the table name") else {
            continue;
        };
        let mut properties = Vec::new();
        for col in ctx.list(table, "columns") {
            let Some(col_name) = ctx.required_str(col, "column", "the column name") else {
                continue;
            };
            properties.push(column(ctx, col, col_name));
        }
        schema.push(SchemaObject {
            name,
            physical_name: text(table, "physicalName"),
            kind: text(doc, "type"),
            business_name: None,
            description: text(table, "description"),
            properties,
            quality: quality::rules(ctx.list(table, "quality")),
            custom: Vec::new(),
            definitions: read::links(table.get("authoritativeDefinitions")),
            tags: Vec::new(),
            granularity: text(table, "dataGranularity"),
            relationships: Vec::new(),
            extensions: Vec::new(),
            ..Default::default()
        });
    }
    schema
}

fn column(ctx: &mut Ctx, col: &Node, name: String) -> SchemaProperty {
    let classification = text(col, "classification");
    SchemaProperty {
        name,
        business_name: text(col, "businessName"),
        logical_type: text(col, "logicalType"),
        physical_type: text(col, "physicalType"),
        description: text(col, "description"),
        required: ctx.bool(col, "isNullable").map(|n| !n).unwrap_or(false),
        unique: ctx.bool(col, "isUnique").unwrap_or(false),
        primary_key: ctx.bool(col, "isPrimary").unwrap_or(false),
        primary_key_position: ctx.int(col, "primaryKeyPosition").filter(|p| *p >= 0),
        partitioned: ctx.bool(col, "partitionStatus").unwrap_or(false),
        pii: classification
            .as_deref()
            .is_some_and(|c| PII_CLASSES.contains(&c.to_ascii_lowercase().as_str())),
        classification,
        examples: ctx.str_list(col, "sampleValues"),
        enum_values: Vec::new(),
        references: None,
        tags: ctx.str_list(col, "tags"),
        quality: quality::rules(ctx.list(col, "quality")),
        custom: Vec::new(),
        properties: Vec::new(),
        physical_name: None,
        type_options: Vec::new(),
        partition_key_position: ctx.int(col, "partitionKeyPosition").filter(|p| *p >= 0),
        critical: ctx.bool(col, "criticalDataElementStatus").unwrap_or(false),
        relationships: Vec::new(),
        definitions: read::links(col.get("authoritativeDefinitions")),
        transform: Vec::new(),
        extensions: Vec::new(),
        lineage: Vec::new(),
        ..Default::default()
    }
}

/// The product's Slack channel, mailing list and feedback URL as support channels.
fn support(doc: &Node) -> Vec<model::Support> {
    let mut support = Vec::new();
    for (key, label) in [
        ("productSlackChannel", "Slack"),
        ("productDl", "Mailing list"),
        ("productFeedbackUrl", "Feedback"),
    ] {
        if let Some(v) = text(doc, key) {
            support.push(model::Support {
                channel: format!("{label}: {v}"),
                url: v.starts_with("http").then(|| v.clone()),
                ..Default::default()
            });
        }
    }
    support
}

/// The source platform and system, database and driver, as one server.
fn server(doc: &Node) -> Vec<Server> {
    let mut details = Vec::new();
    for key in [
        "sourcePlatform",
        "sourceSystem",
        "datasetProject",
        "server",
        "database",
        "driver",
    ] {
        if let Some(v) = doc.get(key) {
            details.push(Property {
                key: key.to_string(),
                value: v.to_json(),
                ..Default::default()
            });
        }
    }
    if details.is_empty() {
        Vec::new()
    } else {
        vec![Server {
            name: text(doc, "sourceSystem").unwrap_or_else(|| "server".into()),
            kind: text(doc, "sourcePlatform"),
            environment: None,
            details,
        }]
    }
}
