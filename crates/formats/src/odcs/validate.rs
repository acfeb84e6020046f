//! ODCS rules, per version, from the facts of the official JSON Schemas (v2.2.2, v3.0.2, v3.1.0,
//! and the v3.2.0 draft): required fields, types, enumerations, patterns and where unknown keys are
//! refused (v3: the top level, schema objects; v3.1+: every structure).

use std::sync::OnceLock;

use regex::Regex;

use super::keys::{ELEMENT, KNOWN_V3, OBJECT, PROPERTY, PROPERTY_V32};
use crate::validate::engine::{index, join, Checker};
use model::yaml::{Node, Value};

/// The ODCS v3 minor version a document is checked against (0, 1 or 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct V3 {
    pub minor: u8,
}

impl V3 {
    /// v3.1 and later refuse unknown keys everywhere (`unevaluatedProperties: false`).
    fn strict(self) -> bool {
        self.minor >= 1
    }
}

const SERVER_TYPES: &[(&str, &[&str], &[&str])] = &[
    // (type, required, allowed type-specific fields) — ODCS v3.1.0 ServerSource.
    ("api", &["location"], &["location"]),
    (
        "athena",
        &["stagingDir", "schema"],
        &["stagingDir", "schema", "catalog", "regionName"],
    ),
    (
        "azure",
        &["location", "format"],
        &["location", "format", "delimiter"],
    ),
    ("bigquery", &["project", "dataset"], &["project", "dataset"]),
    (
        "clickhouse",
        &["host", "port", "database"],
        &["host", "port", "database"],
    ),
    (
        "databricks",
        &["catalog", "schema"],
        &["host", "catalog", "schema"],
    ),
    ("denodo", &["host", "port"], &["host", "port", "database"]),
    ("dremio", &["host", "port"], &["host", "port", "schema"]),
    ("duckdb", &["database"], &["database", "schema"]),
    (
        "glue",
        &["account", "database"],
        &["account", "database", "location", "format"],
    ),
    (
        "cloudsql",
        &["host", "port", "database", "schema"],
        &["host", "port", "database", "schema"],
    ),
    (
        "db2",
        &["host", "port", "database"],
        &["host", "port", "database", "schema"],
    ),
    ("hive", &["host", "database"], &["host", "port", "database"]),
    (
        "impala",
        &["host", "database"],
        &["host", "port", "database"],
    ),
    (
        "informix",
        &["host", "database"],
        &["host", "port", "database"],
    ),
    ("zen", &["host", "database"], &["host", "port", "database"]),
    (
        "custom",
        &[],
        &[
            "account",
            "catalog",
            "database",
            "dataset",
            "delimiter",
            "endpointUrl",
            "format",
            "host",
            "location",
            "path",
            "port",
            "project",
            "region",
            "regionName",
            "schema",
            "serviceName",
            "stagingDir",
            "warehouse",
            "stream",
        ],
    ),
    ("kafka", &["host"], &["host", "format"]),
    ("kinesis", &[], &["region", "format"]),
    ("local", &["path", "format"], &["path", "format"]),
    (
        "mysql",
        &["host", "port", "database"],
        &["host", "port", "database"],
    ),
    (
        "oracle",
        &["host", "port", "serviceName"],
        &["host", "port", "serviceName"],
    ),
    (
        "postgresql",
        &["host", "port", "database", "schema"],
        &["host", "port", "database", "schema"],
    ),
    (
        "postgres",
        &["host", "port", "database", "schema"],
        &["host", "port", "database", "schema"],
    ),
    ("presto", &["host"], &["host", "catalog", "schema"]),
    ("pubsub", &["project"], &["project"]),
    (
        "redshift",
        &["database", "schema"],
        &["host", "database", "schema", "region", "account"],
    ),
    (
        "s3",
        &["location"],
        &["location", "endpointUrl", "format", "delimiter"],
    ),
    ("sftp", &["location"], &["location", "format", "delimiter"]),
    (
        "snowflake",
        &["account", "database", "schema"],
        &["host", "port", "account", "database", "schema", "warehouse"],
    ),
    (
        "sqlserver",
        &["host", "database", "schema"],
        &["host", "port", "database", "schema"],
    ),
    (
        "synapse",
        &["host", "port", "database"],
        &["host", "port", "database"],
    ),
    (
        "trino",
        &["host", "port", "catalog", "schema"],
        &["host", "port", "catalog", "schema"],
    ),
    (
        "vertica",
        &["host", "port", "database", "schema"],
        &["host", "port", "database", "schema"],
    ),
];

const DIMENSIONS: &[&str] = &[
    "accuracy",
    "completeness",
    "conformity",
    "consistency",
    "coverage",
    "timeliness",
    "uniqueness",
];
const METRICS: &[&str] = &[
    "nullValues",
    "missingValues",
    "invalidValues",
    "duplicateValues",
    "rowCount",
];
const OPERATORS: &[&str] = &[
    "mustBe",
    "mustNotBe",
    "mustBeGreaterThan",
    "mustBeGreaterOrEqualTo",
    "mustBeLessThan",
    "mustBeLessOrEqualTo",
    "mustBeBetween",
    "mustNotBeBetween",
];

fn stable_id() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[A-Za-z0-9_-]+$").expect("valid pattern"))
}

fn reference() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*",
            r"|(?:(?:https?://)?[A-Za-z0-9._\-/]+\.yaml#)?/?[A-Za-z_][A-Za-z0-9_]*/[A-Za-z0-9_-]+(?:/[A-Za-z_][A-Za-z0-9_]*/[A-Za-z0-9_-]+)*)$"
        ))
        .expect("valid pattern")
    })
}

/// Check an ODCS v3 document.
pub fn check_v3(c: &mut Checker, doc: &Node, v: V3) {
    if !c.object(doc, "", KNOWN_V3, true) {
        return;
    }
    c.required(doc, "", &["version", "apiVersion", "kind", "id", "status"]);
    let apis: &[&str] = match v.minor {
        0 => &["v3.0.2", "v3.0.1", "v3.0.0", "v2.2.2", "v2.2.1", "v2.2.0"],
        1 => &[
            "v3.1.0", "v3.0.2", "v3.0.1", "v3.0.0", "v2.2.2", "v2.2.1", "v2.2.0",
        ],
        _ => &[
            "v3.2.0", "v3.1.0", "v3.0.2", "v3.0.1", "v3.0.0", "v2.2.2", "v2.2.1", "v2.2.0",
        ],
    };
    c.one_of(doc, "", "apiVersion", apis);
    c.one_of(doc, "", "kind", &["DataContract"]);
    c.strings(
        doc,
        "",
        &[
            "version",
            "id",
            "name",
            "tenant",
            "status",
            "dataProduct",
            "domain",
            "slaDefaultElement",
            "contractCreatedTs",
        ],
    );
    c.string_list(doc, "", "tags");
    if let Some(d) = doc.get("description") {
        let known = &[
            "usage",
            "purpose",
            "limitations",
            "authoritativeDefinitions",
            "customProperties",
        ];
        if c.object(d, "description", known, false) {
            c.strings(d, "description", &["usage", "purpose", "limitations"]);
            authoritative(c, d, "description", v);
            custom_properties(c, d, "description", v);
        }
    }
    for (i, s) in c.list(doc, "", "servers").iter().enumerate() {
        server(c, s, &index("servers", i), v);
    }
    for (i, o) in c.list(doc, "", "schema").iter().enumerate() {
        schema_object(c, o, &index("schema", i), v);
    }
    for (i, s) in c.list(doc, "", "support").iter().enumerate() {
        support(c, s, &index("support", i), v);
    }
    if let Some(p) = doc.get("price") {
        let known = &["id", "priceAmount", "priceCurrency", "priceUnit"];
        if c.object(p, "price", known, true) {
            c.numbers(p, "price", &["priceAmount"]);
            c.strings(p, "price", &["priceCurrency", "priceUnit"]);
            ids(c, p, "price", v);
        }
    }
    if let Some(t) = doc.get("team") {
        team(c, t, v);
    }
    for (i, r) in c.list(doc, "", "roles").iter().enumerate() {
        role(c, r, &index("roles", i), v);
    }
    for (i, s) in c.list(doc, "", "slaProperties").iter().enumerate() {
        sla(c, s, &index("slaProperties", i), v);
    }
    authoritative(c, doc, "", v);
    custom_properties(c, doc, "", v);
}

fn ids(c: &mut Checker, node: &Node, path: &str, v: V3) {
    if v.minor >= 1 {
        c.pattern(
            node,
            path,
            "id",
            stable_id(),
            "an id of letters, digits, `_` and `-`",
        );
    }
}

fn with_id<'a>(v: V3, fields: &[&'a str]) -> Vec<&'a str> {
    let mut out = fields.to_vec();
    if v.minor >= 1 {
        out.push("id");
    }
    out
}

fn server(c: &mut Checker, s: &Node, path: &str, v: V3) {
    let Some(spec) = s
        .get("type")
        .and_then(|t| t.scalar_text())
        .and_then(|t| SERVER_TYPES.iter().find(|(name, _, _)| *name == t))
    else {
        if c.object(s, path, &[], false) {
            c.required(s, path, &["server", "type"]);
            let types: Vec<&str> = SERVER_TYPES.iter().map(|t| t.0).collect();
            c.one_of(s, path, "type", &types);
        }
        return;
    };
    let mut known = with_id(
        v,
        &[
            "server",
            "type",
            "description",
            "environment",
            "roles",
            "customProperties",
        ],
    );
    known.extend_from_slice(spec.2);
    if !c.object(s, path, &known, v.strict()) {
        return;
    }
    c.required(s, path, &["server", "type"]);
    c.required(s, path, spec.1);
    c.strings(s, path, &["server", "description", "environment"]);
    for key in spec.2 {
        if *key == "port" {
            c.integers(s, path, &["port"], None);
        } else {
            c.strings(s, path, &[key]);
        }
    }
    ids(c, s, path, v);
    for (i, r) in c.list(s, path, "roles").iter().enumerate() {
        role(c, r, &index(&join(path, "roles"), i), v);
    }
    custom_properties(c, s, path, v);
}

fn element(c: &mut Checker, n: &Node, path: &str, v: V3) {
    c.strings(
        n,
        path,
        &["name", "physicalType", "description", "businessName"],
    );
    c.string_list(n, path, "tags");
    ids(c, n, path, v);
    authoritative(c, n, path, v);
    custom_properties(c, n, path, v);
}

fn schema_object(c: &mut Checker, o: &Node, path: &str, v: V3) {
    let mut known = with_id(v, ELEMENT);
    known.extend_from_slice(OBJECT);
    if v.minor >= 1 {
        known.push("relationships");
    }
    if !c.object(o, path, &known, true) {
        return;
    }
    c.required(o, path, &["name"]);
    element(c, o, path, v);
    c.one_of(o, path, "logicalType", &["object"]);
    c.strings(o, path, &["physicalName", "dataGranularityDescription"]);
    for (i, p) in c.list(o, path, "properties").iter().enumerate() {
        property(c, p, &index(&join(path, "properties"), i), v, true, 0);
    }
    if v.minor >= 1 {
        for (i, r) in c.list(o, path, "relationships").iter().enumerate() {
            relationship(c, r, &index(&join(path, "relationships"), i), true);
        }
    }
    quality_list(c, o, path, v);
}

const MAX_DEPTH: usize = 32;

fn property(c: &mut Checker, p: &Node, path: &str, v: V3, named: bool, depth: usize) {
    let mut known = with_id(v, ELEMENT);
    known.extend_from_slice(PROPERTY);
    if v.minor >= 1 {
        known.push("relationships");
    }
    if v.minor >= 2 {
        known.extend_from_slice(PROPERTY_V32);
    }
    if !c.object(p, path, &known, v.strict()) {
        return;
    }
    if named {
        c.required(p, path, &["name"]);
    }
    element(c, p, path, v);
    property_fields(c, p, path, v);
    if let Some(opts) = p.get("logicalTypeOptions") {
        let lt = p
            .get("logicalType")
            .and_then(Node::scalar_text)
            .unwrap_or_default();
        type_options(c, opts, &join(path, "logicalTypeOptions"), &lt, v);
    }
    if v.minor >= 1 {
        for (i, r) in c.list(p, path, "relationships").iter().enumerate() {
            relationship(c, r, &index(&join(path, "relationships"), i), false);
        }
    }
    quality_list(c, p, path, v);
    if depth >= MAX_DEPTH {
        return;
    }
    for (i, child) in c.list(p, path, "properties").iter().enumerate() {
        property(
            c,
            child,
            &index(&join(path, "properties"), i),
            v,
            true,
            depth + 1,
        );
    }
    if let Some(items) = p.get("items") {
        property(c, items, &join(path, "items"), v, false, depth + 1);
    }
}

/// The typed fields of a property.
fn property_fields(c: &mut Checker, p: &Node, path: &str, v: V3) {
    c.booleans(
        p,
        path,
        &[
            "primaryKey",
            "required",
            "unique",
            "partitioned",
            "criticalDataElement",
        ],
    );
    c.integers(
        p,
        path,
        &["primaryKeyPosition", "partitionKeyPosition"],
        None,
    );
    c.strings(
        p,
        path,
        &[
            "physicalName",
            "classification",
            "encryptedName",
            "transformLogic",
            "transformDescription",
        ],
    );
    c.string_list(p, path, "transformSourceObjects");
    c.list(p, path, "examples");
    let types = match v.minor {
        0 => LOGICAL_TYPES_30,
        1 => LOGICAL_TYPES_31,
        _ => LOGICAL_TYPES_32,
    };
    c.one_of(p, path, "logicalType", types);
    if v.minor >= 2 {
        c.one_of(p, path, "semanticType", &["column", "measure", "dimension"]);
    }
}

/// The logical types of properties in v3.0, v3.1 and v3.2.
const LOGICAL_TYPES_30: &[&str] = &[
    "string", "date", "number", "integer", "object", "array", "boolean",
];
const LOGICAL_TYPES_31: &[&str] = &[
    "string",
    "date",
    "timestamp",
    "time",
    "number",
    "integer",
    "object",
    "array",
    "boolean",
];
const LOGICAL_TYPES_32: &[&str] = &[
    "string",
    "date",
    "timestamp",
    "time",
    "number",
    "integer",
    "object",
    "array",
    "boolean",
    "map",
];

/// Checks the options of one logical type; the flag says whether exclusive bounds are booleans.
type OptionsCheck = fn(&mut Checker, &Node, &str, bool);

fn type_options(c: &mut Checker, o: &Node, path: &str, logical_type: &str, v: V3) {
    // Numbers and dates: v3.0 reads exclusiveMinimum/Maximum as flags; v3.1+ as the bound itself.
    let exclusive_is_flag = v.minor == 0;
    let (known, check): (&[&str], OptionsCheck) = match logical_type {
        "string" => (
            &["minLength", "maxLength", "pattern", "format"],
            |c, o, p, _| {
                c.integers(o, p, &["minLength", "maxLength"], Some(0));
                c.strings(o, p, &["pattern", "format"]);
            },
        ),
        "date" | "timestamp" | "time" => (
            &[
                "format",
                "exclusiveMaximum",
                "maximum",
                "exclusiveMinimum",
                "minimum",
                "timezone",
                "defaultTimezone",
            ],
            |c, o, p, flag| {
                c.strings(o, p, &["format", "maximum", "minimum", "defaultTimezone"]);
                c.booleans(o, p, &["timezone"]);
                if flag {
                    c.booleans(o, p, &["exclusiveMaximum", "exclusiveMinimum"]);
                } else {
                    c.strings(o, p, &["exclusiveMaximum", "exclusiveMinimum"]);
                }
            },
        ),
        "integer" | "number" => (
            &[
                "multipleOf",
                "maximum",
                "exclusiveMaximum",
                "minimum",
                "exclusiveMinimum",
                "format",
            ],
            |c, o, p, flag| {
                c.numbers(o, p, &["multipleOf", "maximum", "minimum"]);
                c.strings(o, p, &["format"]);
                if flag {
                    c.booleans(o, p, &["exclusiveMaximum", "exclusiveMinimum"]);
                } else {
                    c.numbers(o, p, &["exclusiveMaximum", "exclusiveMinimum"]);
                }
            },
        ),
        "object" => (
            &["maxProperties", "minProperties", "required"],
            |c, o, p, _| {
                c.integers(o, p, &["maxProperties", "minProperties"], Some(0));
                c.string_list(o, p, "required");
            },
        ),
        "array" => (&["maxItems", "minItems", "uniqueItems"], |c, o, p, _| {
            c.integers(o, p, &["maxItems", "minItems"], Some(0));
            c.booleans(o, p, &["uniqueItems"]);
        }),
        _ => {
            c.object(o, path, &[], false);
            return;
        }
    };
    let known: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| v.minor >= 1 || !matches!(*k, "timezone" | "defaultTimezone"))
        .collect();
    if c.object(o, path, &known, true) {
        check(c, o, path, exclusive_is_flag);
    }
}

fn relationship(c: &mut Checker, r: &Node, path: &str, schema_level: bool) {
    if !c.object(r, path, &["type", "from", "to", "customProperties"], true) {
        return;
    }
    c.required(
        r,
        path,
        if schema_level {
            &["from", "to"]
        } else {
            &["to"]
        },
    );
    c.one_of(r, path, "type", &["foreignKey"]);
    for key in ["from", "to"] {
        let Some(end) = r.get(key) else { continue };
        let ends: Vec<&Node> = match &end.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![end],
        };
        for e in ends {
            match &e.value {
                Value::Str(s) if reference().is_match(s) => {}
                Value::Str(s) => c.error(
                    e.pos,
                    &join(path, key),
                    format!("`{key}` is {s:?}, which is not a reference to a column"),
                    "write `table.column`, or `schema/<object id>/properties/<property id>`",
                ),
                _ => c.error(
                    e.pos,
                    &join(path, key),
                    format!("`{key}` must be a column reference (text) or a list of them"),
                    "write `table.column`",
                ),
            }
        }
    }
    custom_properties(c, r, path, V3 { minor: 1 });
}

fn quality_list(c: &mut Checker, n: &Node, path: &str, v: V3) {
    for (i, q) in c.list(n, path, "quality").iter().enumerate() {
        quality(c, q, &index(&join(path, "quality"), i), v);
    }
}

fn quality(c: &mut Checker, q: &Node, path: &str, v: V3) {
    let kind = q.get("type").and_then(Node::scalar_text);
    let library = kind.as_deref() == Some("library")
        || (v.minor >= 1
            && kind.is_none()
            && matches!(q.get("metric").map(|m| &m.value), Some(Value::Str(_))));
    let known = quality_keys(v, kind.as_deref(), library);
    if !c.object(q, path, &known, v.strict()) {
        return;
    }
    c.one_of(q, path, "type", &["text", "library", "sql", "custom"]);
    c.one_of(q, path, "dimension", DIMENSIONS);
    c.strings(
        q,
        path,
        &[
            "businessImpact",
            "description",
            "method",
            "name",
            "schedule",
            "scheduler",
            "severity",
            "unit",
        ],
    );
    c.string_list(q, path, "tags");
    ids(c, q, path, v);
    authoritative(c, q, path, v);
    custom_properties(c, q, path, v);
    rule_fields(c, q, path, v, kind.as_deref(), library);
}

/// The keys a quality rule may have: the common ones and those of its type.
fn quality_keys(v: V3, kind: Option<&str>, library: bool) -> Vec<&'static str> {
    let mut known = with_id(
        v,
        &[
            "authoritativeDefinitions",
            "businessImpact",
            "customProperties",
            "description",
            "dimension",
            "method",
            "name",
            "schedule",
            "scheduler",
            "severity",
            "tags",
            "type",
            "unit",
        ],
    );
    match kind {
        _ if library => {
            known.extend_from_slice(OPERATORS);
            known.extend_from_slice(&["metric", "rule", "arguments"]);
        }
        Some("sql") => {
            known.extend_from_slice(OPERATORS);
            known.push("query");
        }
        Some("custom") => known.extend_from_slice(&["engine", "implementation"]),
        _ => {}
    }
    known
}

/// The fields of a library, SQL or custom rule.
fn rule_fields(c: &mut Checker, q: &Node, path: &str, v: V3, kind: Option<&str>, library: bool) {
    match kind {
        _ if library => {
            if v.minor == 0 {
                c.required(q, path, &["rule"]);
                c.strings(q, path, &["rule"]);
            } else {
                c.required(q, path, &["metric"]);
                c.one_of(q, path, "metric", METRICS);
                c.strings(q, path, &["rule"]);
                c.maps(q, path, &["arguments"]);
                operators(c, q, path, true);
            }
        }
        Some("sql") => {
            c.required(q, path, &["query"]);
            c.strings(q, path, &["query"]);
            operators(c, q, path, v.minor >= 1);
        }
        Some("custom") => {
            c.required(q, path, &["engine", "implementation"]);
            c.strings(q, path, &["engine"]);
            if let Some(imp) = q.get("implementation") {
                if !matches!(imp.value, Value::Str(_) | Value::Map(_)) {
                    c.error(
                        imp.pos,
                        &join(path, "implementation"),
                        "`implementation` must be text or a mapping".into(),
                        "write the check in the engine's own syntax, as text",
                    );
                }
            }
        }
        _ => {}
    }
}

/// Exactly one comparison operator (v3.1+), with numbers where the comparison needs them.
fn operators(c: &mut Checker, q: &Node, path: &str, exactly_one: bool) {
    let present: Vec<&str> = OPERATORS
        .iter()
        .copied()
        .filter(|o| q.get(o).is_some())
        .collect();
    if exactly_one && present.len() != 1 {
        let message = if present.is_empty() {
            "the rule has no comparison: add one of `mustBe`, `mustBeGreaterThan`, `mustBeLessThan`, …".to_string()
        } else {
            format!(
                "the rule has {} comparisons ({}); the standard allows exactly one",
                present.len(),
                present.join(", ")
            )
        };
        c.error(
            q.pos,
            path,
            message,
            "keep one comparison operator per rule",
        );
    }
    c.numbers(
        q,
        path,
        &[
            "mustBeGreaterThan",
            "mustBeGreaterOrEqualTo",
            "mustBeLessThan",
            "mustBeLessOrEqualTo",
        ],
    );
    for key in ["mustBeBetween", "mustNotBeBetween"] {
        let Some(b) = q.get(key) else { continue };
        let ok = match &b.value {
            Value::Seq(items) => {
                items.len() >= 2
                    && items
                        .iter()
                        .all(|i| matches!(i.value, Value::Int(_) | Value::Float(_)))
                    && items
                        .iter()
                        .enumerate()
                        .all(|(i, a)| items[..i].iter().all(|b| b.value != a.value))
            }
            _ => false,
        };
        if !ok {
            c.error(
                b.pos,
                &join(path, key),
                format!("`{key}` must be a list of two different numbers"),
                "write e.g. `[10, 20]`",
            );
        }
    }
}

fn support(c: &mut Checker, s: &Node, path: &str, v: V3) {
    let mut known = with_id(
        v,
        &[
            "channel",
            "url",
            "description",
            "tool",
            "scope",
            "invitationUrl",
        ],
    );
    if v.minor >= 1 {
        known.push("customProperties");
    }
    if c.object(s, path, &known, v.strict()) {
        c.required(
            s,
            path,
            if v.minor == 0 {
                &["channel", "url"]
            } else {
                &["channel"]
            },
        );
        c.strings(
            s,
            path,
            &[
                "channel",
                "url",
                "description",
                "tool",
                "scope",
                "invitationUrl",
            ],
        );
        ids(c, s, path, v);
        custom_properties(c, s, path, v);
    }
}

const MEMBER: &[&str] = &[
    "username",
    "name",
    "description",
    "role",
    "dateIn",
    "dateOut",
    "replacedByUsername",
    "tags",
    "customProperties",
    "authoritativeDefinitions",
];

fn member(c: &mut Checker, m: &Node, path: &str, v: V3) {
    let known = with_id(v, MEMBER);
    if c.object(m, path, &known, v.strict()) {
        c.required(m, path, &["username"]);
        c.strings(
            m,
            path,
            &[
                "username",
                "name",
                "description",
                "role",
                "dateIn",
                "dateOut",
                "replacedByUsername",
            ],
        );
        c.string_list(m, path, "tags");
        ids(c, m, path, v);
        authoritative(c, m, path, v);
        custom_properties(c, m, path, v);
    }
}

fn team(c: &mut Checker, t: &Node, v: V3) {
    match (&t.value, v.minor) {
        (Value::Seq(items), _) => {
            for (i, m) in items.iter().enumerate() {
                member(c, m, &index("team", i), v);
            }
        }
        (Value::Map(_), 0) => c.error(
            t.pos,
            "team",
            "`team` must be a list of members in ODCS v3.0".into(),
            "write `team:` as a list (`- username: …`), or declare `apiVersion: v3.1.0` to use a team object",
        ),
        (Value::Map(_), _) => {
            let known = with_id(v, &["name", "description", "members", "tags", "customProperties", "authoritativeDefinitions"]);
            if c.object(t, "team", &known, true) {
                c.strings(t, "team", &["name", "description"]);
                c.string_list(t, "team", "tags");
                ids(c, t, "team", v);
                for (i, m) in c.list(t, "team", "members").iter().enumerate() {
                    member(c, m, &index("team.members", i), v);
                }
                authoritative(c, t, "team", v);
                custom_properties(c, t, "team", v);
            }
        }
        _ => c.error(
            t.pos,
            "team",
            "`team` must be a team (mapping) or a list of members".into(),
            "write `team:` with `name:` and `members:`",
        ),
    }
}

fn role(c: &mut Checker, r: &Node, path: &str, v: V3) {
    let known = with_id(
        v,
        &[
            "role",
            "description",
            "access",
            "firstLevelApprovers",
            "secondLevelApprovers",
            "customProperties",
        ],
    );
    if c.object(r, path, &known, v.strict()) {
        c.required(r, path, &["role"]);
        c.strings(
            r,
            path,
            &[
                "role",
                "description",
                "access",
                "firstLevelApprovers",
                "secondLevelApprovers",
            ],
        );
        ids(c, r, path, v);
        custom_properties(c, r, path, v);
    }
}

fn sla(c: &mut Checker, s: &Node, path: &str, v: V3) {
    let known = with_id(
        v,
        &[
            "property",
            "value",
            "valueExt",
            "unit",
            "element",
            "driver",
            "description",
            "scheduler",
            "schedule",
        ],
    );
    if c.object(s, path, &known, v.strict()) {
        c.required(s, path, &["property", "value"]);
        c.strings(
            s,
            path,
            &[
                "property",
                "unit",
                "element",
                "driver",
                "description",
                "scheduler",
                "schedule",
            ],
        );
        c.scalars(s, path, &["value", "valueExt"]);
        ids(c, s, path, v);
    }
}

fn authoritative(c: &mut Checker, n: &Node, path: &str, v: V3) {
    let p = join(path, "authoritativeDefinitions");
    for (i, a) in c
        .list(n, path, "authoritativeDefinitions")
        .iter()
        .enumerate()
    {
        let ap = index(&p, i);
        let known = with_id(v, &["url", "type", "description"]);
        if c.object(a, &ap, &known, true) {
            c.required(a, &ap, &["url", "type"]);
            c.strings(a, &ap, &["url", "type", "description"]);
            ids(c, a, &ap, v);
        }
    }
}

fn custom_properties(c: &mut Checker, n: &Node, path: &str, v: V3) {
    let p = join(path, "customProperties");
    for (i, cp) in c.list(n, path, "customProperties").iter().enumerate() {
        let cpp = index(&p, i);
        let known = with_id(v, &["property", "value", "description"]);
        if c.object(cp, &cpp, &known, v.strict()) {
            c.required(cp, &cpp, &["property", "value"]);
            c.strings(cp, &cpp, &["property", "description"]);
            ids(c, cp, &cpp, v);
        }
    }
}
