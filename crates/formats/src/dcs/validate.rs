//! Data Contract Specification rules, one spec per version (0.9.0–0.9.3, 1.1.0, 1.2.0, 1.2.1),
//! written from the facts of each version's official JSON Schema (draft-07): DCS is open (unknown
//! keys are allowed everywhere); types, enumerations, required fields, name patterns, URIs and
//! e-mail addresses are checked.
//!
//! What changes between versions: 0.9.x check each server by its type and know a top-level
//! `schema`, `examples` and `quality` object (`{type, specification}`), which 1.x leave open;
//! models come in 0.9.1, definitions in 0.9.2, service levels, links, nested fields and tags in
//! 0.9.3; 1.x check only a server's `type` (the schema's type-specific rules sit beside a `$ref`,
//! which draft-07 ignores) and add quality rules, lineage and primary keys to models and fields.

use std::sync::OnceLock;

use model::yaml::{Node, Value};

use super::VERSION_KEY;
use crate::validate::engine::{Issue, Part, Path, Pattern, Spec, Ty, Walker};
use model::{Code, Severity};

/// The DCS versions meshdoc has rules for, oldest first.
pub const VERSIONS: &[&str] = &[
    "0.9.0", "0.9.1", "0.9.2", "0.9.3", "1.1.0", "1.2.0", "1.2.1",
];

pub fn spec(version: &str) -> &'static Spec {
    static SPECS: OnceLock<Vec<(&'static str, Spec)>> = OnceLock::new();
    let specs = SPECS.get_or_init(|| {
        let v090 = v0_9_0();
        let v091 = v0_9_1(v090.clone());
        let v092 = v0_9_2(v091.clone());
        let v093 = v0_9_3(v092.clone());
        let v110 = v1_1_0(v093.clone());
        let v120 = v1_2_0(v110.clone());
        let v121 = v1_2_1(v120.clone());
        vec![
            ("0.9.0", v090),
            ("0.9.1", v091),
            ("0.9.2", v092),
            ("0.9.3", v093),
            ("1.1.0", v110),
            ("1.2.0", v120),
            ("1.2.1", v121),
        ]
    });
    &specs
        .iter()
        .find(|(v, _)| *v == version)
        .unwrap_or_else(|| specs.last().expect("specs"))
        .1
}

/// The one `info` every DCS contract gets: its authors deprecated the standard in favour of ODCS.
pub fn deprecated(doc: &Node) -> Issue {
    Issue {
        pos: crate::validate::key_pos(doc, VERSION_KEY),
        path: VERSION_KEY.to_string(),
        message: "the Data Contract Specification is deprecated by its authors (maintained until the end of 2026); its successor is the Open Data Contract Standard (ODCS v3.1.0)".to_string(),
        hint: "convert the contract to ODCS v3.1.0, e.g. with `datacontract import --format dcs --source <this file>` (datacontract-cli), see https://datacontract-specification.com/#migration".to_string(),
        severity: Severity::Info,
        code: Code::DcsDeprecated,
    }
}

static NAME: Pattern = Pattern::new(
    r"^[a-zA-Z0-9_-]+$",
    "a name of letters, digits, `_` and `-`",
);
static DEFINITION_NAME: Pattern = Pattern::new(
    r"^[a-zA-Z0-9/_-]+$",
    "a name of letters, digits, `/`, `_` and `-`",
);
static PERCENTAGE: Pattern = Pattern::new(r"^\d+(\.\d+)?%$", "a percentage such as `99.9%`");

const STRINGS: Ty = Ty::List(&Ty::Str);
const LINKS: Ty = Ty::Dict {
    value: &Ty::Uri,
    keys: Some(&NAME),
    min: 1,
};
const FILE_FORMATS: &[&str] = &["parquet", "delta", "json", "csv"];
const DELIMITERS: &[&str] = &["new_line", "array"];

const FIELD_TYPES_091: &[&str] = &[
    "number",
    "decimal",
    "numeric",
    "int",
    "integer",
    "long",
    "bigint",
    "float",
    "double",
    "string",
    "text",
    "varchar",
    "boolean",
    "timestamp",
    "timestamp_tz",
    "timestamp_ntz",
    "date",
    "array",
    "object",
    "record",
    "struct",
    "bytes",
    "null",
];
const FIELD_TYPES_093: &[&str] = &[
    "number",
    "decimal",
    "numeric",
    "int",
    "integer",
    "long",
    "bigint",
    "float",
    "double",
    "string",
    "text",
    "varchar",
    "boolean",
    "timestamp",
    "timestamp_tz",
    "timestamp_ntz",
    "date",
    "array",
    "map",
    "object",
    "record",
    "struct",
    "bytes",
    "null",
];
const FIELD_TYPES_120: &[&str] = &[
    "number",
    "decimal",
    "numeric",
    "int",
    "integer",
    "long",
    "bigint",
    "float",
    "double",
    "string",
    "text",
    "varchar",
    "boolean",
    "timestamp",
    "timestamp_tz",
    "timestamp_ntz",
    "date",
    "time",
    "array",
    "map",
    "object",
    "record",
    "struct",
    "bytes",
    "variant",
    "json",
    "null",
];

/// The parts of a 0.9.x server: those of its type; a type no branch knows is reported by the
/// server's `type` enumeration.
fn server_parts<'s>(spec: &'s Spec, node: &Node) -> Vec<&'s Part> {
    match node.get("type").map(|t| &t.value) {
        Some(Value::Str(t)) => spec.find_part(&format!("server:{t}")).into_iter().collect(),
        _ => Vec::new(),
    }
}

fn server(
    spec: &mut Spec,
    ty: &'static str,
    fields: &[(&'static str, Ty)],
    required: &[&'static str],
) {
    spec.part(
        format!("server:{ty}"),
        format!("`type: {ty}` servers"),
        fields,
        required,
    );
}

/// The server types each 0.9.x version knows (one branch of the schema each).
const SERVER_TYPES_090: &[&str] = &[
    "bigquery",
    "BigQuery",
    "s3",
    "redshift",
    "snowflake",
    "databricks",
    "kafka",
];
const SERVER_TYPES_092: &[&str] = &[
    "bigquery",
    "BigQuery",
    "s3",
    "redshift",
    "snowflake",
    "databricks",
    "postgres",
    "kafka",
    "pubsub",
    "local",
];
const SERVER_TYPES_093: &[&str] = &[
    "bigquery",
    "BigQuery",
    "s3",
    "gcs",
    "sftp",
    "redshift",
    "azure",
    "sqlserver",
    "snowflake",
    "databricks",
    "dataframe",
    "glue",
    "postgres",
    "oracle",
    "kafka",
    "pubsub",
    "kinesis",
    "trino",
    "local",
];

// Kept whole: a table of this version's schema (objects, fields, types), read side by side with it.
fn v0_9_0() -> Spec {
    use Ty::*;
    let mut s = Spec::new("Data Contract Specification 0.9.0", "contract");
    s.obj(
        "contract",
        false,
        &[
            (VERSION_KEY, Enum(&["0.9.0"])),
            ("id", Str),
            ("info", Obj("info")),
            (
                "servers",
                Dict {
                    value: &Obj("server"),
                    keys: None,
                    min: 0,
                },
            ),
            ("terms", Obj("terms")),
            ("schema", Obj("schemaSpec")),
            ("examples", List(&Obj("example"))),
            ("quality", Obj("qualitySpec")),
        ],
        &[VERSION_KEY, "id", "info"],
    );
    s.obj(
        "info",
        false,
        &[
            ("title", Str),
            ("version", Str),
            ("description", Str),
            ("owner", Str),
            ("dataProduct", Str),
            ("outputPort", Str),
            ("contact", Obj("contact")),
        ],
        &["title", "version"],
    );
    s.obj(
        "contact",
        false,
        &[("name", Str), ("url", Uri), ("email", Email)],
        &[],
    );
    s.obj(
        "terms",
        false,
        &[
            ("usage", Str),
            ("limitations", Str),
            ("billing", Str),
            ("noticePeriod", Str),
        ],
        &[],
    );
    s.obj("server", false, &[], &["type"]).when = Some(server_parts);
    for ty in ["bigquery", "BigQuery"] {
        server(
            &mut s,
            ty,
            &[("project", Str), ("dataset", Str)],
            &["project", "dataset"],
        );
    }
    server(&mut s, "s3", &[("location", Uri)], &["location"]);
    for ty in ["redshift", "snowflake"] {
        server(
            &mut s,
            ty,
            &[("account", Str), ("database", Str), ("schema", Str)],
            &["account", "database", "schema"],
        );
    }
    server(&mut s, "databricks", &[("share", Str)], &["share"]);
    server(
        &mut s,
        "kafka",
        &[("host", Str), ("topic", Str)],
        &["host", "topic"],
    );
    set_server_types(&mut s, SERVER_TYPES_090);
    s.obj(
        "schemaSpec",
        false,
        &[
            (
                "type",
                Enum(&[
                    "dbt",
                    "bigquery",
                    "json-schema",
                    "sql-ddl",
                    "avro",
                    "protobuf",
                    "custom",
                ]),
            ),
            ("specification", StrOrMap),
        ],
        &["type", "specification"],
    );
    s.obj(
        "example",
        false,
        &[
            ("type", Enum(&["csv", "json", "yaml", "custom"])),
            ("description", Str),
            ("model", Str),
            ("data", Str),
        ],
        &["type", "model", "data"],
    );
    s.obj(
        "qualitySpec",
        false,
        &[
            ("type", Enum(&["SodaCL", "montecarlo", "custom"])),
            ("specification", StrOrMap),
        ],
        &["type", "specification"],
    );
    s
}

fn set_server_types(s: &mut Spec, types: &'static [&'static str]) {
    debug_assert!(types
        .iter()
        .all(|t| s.find_part(&format!("server:{t}")).is_some()));
    let server = s.edit("server");
    server.fields.retain(|(k, _)| *k != "type");
    server.fields.insert(0, ("type", Ty::Enum(types)));
}

/// 0.9.1: models; `info.dataProduct` and `info.outputPort` gone; examples need no `model`.
fn v0_9_1(mut s: Spec) -> Spec {
    use Ty::*;
    s.label = "Data Contract Specification 0.9.1";
    s.set("contract", VERSION_KEY, Enum(&["0.9.1", "0.9.0"]));
    s.edit("info")
        .fields
        .retain(|(k, _)| *k != "dataProduct" && *k != "outputPort");
    s.edit("example").required = vec!["type", "data"];
    s.add(
        "contract",
        &[(
            "models",
            Dict {
                value: &Obj("model"),
                keys: Some(&NAME),
                min: 1,
            },
        )],
    );
    s.obj(
        "model",
        false,
        &[
            ("description", Str),
            ("type", Str),
            (
                "fields",
                Dict {
                    value: &Obj("field"),
                    keys: None,
                    min: 0,
                },
            ),
        ],
        &[],
    );
    s.obj(
        "field",
        false,
        &[
            ("$ref", Str),
            ("type", Enum(FIELD_TYPES_091)),
            ("description", Str),
            ("pii", Bool),
            ("classification", Str),
            ("tags", STRINGS),
        ],
        &[],
    );
    s
}

/// 0.9.2: definitions, model types, field constraints, examples as lists, servers checked one
/// type each (Databricks by catalog, Postgres, Pub/Sub, local files).
// Kept whole: a table of this version's schema (objects, fields, types), read side by side with it.
fn v0_9_2(mut s: Spec) -> Spec {
    use Ty::*;
    s.label = "Data Contract Specification 0.9.2";
    s.set("contract", VERSION_KEY, Enum(&["0.9.2", "0.9.1", "0.9.0"]));
    s.add(
        "contract",
        &[(
            "definitions",
            Dict {
                value: &Obj("definition"),
                keys: Some(&NAME),
                min: 0,
            },
        )],
    );
    s.set("model", "type", Enum(&["table", "view", "object"]));
    s.add(
        "field",
        &[
            ("required", Bool),
            ("primary", Bool),
            ("unique", Bool),
            (
                "enum",
                Items {
                    item: &Str,
                    min: 0,
                    max: usize::MAX,
                    unique: true,
                },
            ),
            ("minLength", Num),
            ("maxLength", Num),
            ("format", Str),
            ("pattern", Str),
            ("minimum", Num),
            ("exclusiveMinimum", Num),
            ("maximum", Num),
            ("exclusiveMaximum", Num),
            ("example", Str),
        ],
    );
    s.obj(
        "definition",
        false,
        &[
            ("domain", Str),
            ("name", Str),
            ("title", Str),
            ("description", Str),
            ("type", Str),
            ("minLength", Num),
            ("maxLength", Num),
            ("format", Str),
            ("pattern", Str),
            ("example", Str),
            ("pii", Bool),
            ("classification", Str),
            ("tags", STRINGS),
        ],
        &["name", "type"],
    );
    s.set("example", "data", StrOrList);
    s.remove_parts("server:databricks");
    server(
        &mut s,
        "databricks",
        &[("host", Str), ("catalog", Str), ("schema", Str)],
        &["host", "catalog", "schema"],
    );
    server(
        &mut s,
        "postgres",
        &[
            ("host", Str),
            ("port", Int),
            ("database", Str),
            ("schema", Str),
        ],
        &["host", "port", "database", "schema"],
    );
    server(
        &mut s,
        "kafka",
        &[("host", Str), ("topic", Str), ("format", Str)],
        &["host", "topic"],
    );
    server(
        &mut s,
        "pubsub",
        &[("project", Str), ("topic", Str)],
        &["project", "topic"],
    );
    server(
        &mut s,
        "local",
        &[("path", Str), ("format", Str)],
        &["path", "format"],
    );
    set_server_types(&mut s, SERVER_TYPES_092);
    s
}

/// 0.9.3: service levels, links, tags, status, model titles and configs, nested fields, items,
/// maps, references, more servers, and `great-expectations` quality.
// Kept whole: a table of this version's schema (objects, fields, types), read side by side with it.
fn v0_9_3(mut s: Spec) -> Spec {
    use Ty::*;
    s.label = "Data Contract Specification 0.9.3";
    s.set(
        "contract",
        VERSION_KEY,
        Enum(&["0.9.3", "0.9.2", "0.9.1", "0.9.0"]),
    );
    s.add(
        "contract",
        &[
            ("servicelevels", Obj("servicelevels")),
            ("links", LINKS),
            ("tags", STRINGS),
        ],
    );
    s.insert_after("info", "version", ("status", Str));
    s.set(
        "qualitySpec",
        "type",
        Enum(&["SodaCL", "montecarlo", "great-expectations", "custom"]),
    );
    let model = s.edit("model");
    model.fields.insert(2, ("title", Str));
    model.fields.push(("config", Obj("modelConfig")));
    s.obj("modelConfig", false, &[("avroNamespace", Str)], &[]);
    let nested = Dict {
        value: &Obj("field"),
        keys: None,
        min: 0,
    };
    s.obj(
        "field",
        false,
        &[
            ("description", Str),
            ("title", Str),
            ("type", Enum(FIELD_TYPES_093)),
            ("required", Bool),
            ("fields", nested),
            ("items", Obj("field")),
            ("keys", Obj("field")),
            ("values", Obj("field")),
            ("primary", Bool),
            ("references", Str),
            ("unique", Bool),
            (
                "enum",
                Items {
                    item: &Str,
                    min: 0,
                    max: usize::MAX,
                    unique: true,
                },
            ),
            ("minLength", Int),
            ("maxLength", Int),
            ("format", Str),
            ("precision", Num),
            ("scale", Num),
            ("pattern", Str),
            ("minimum", Num),
            ("exclusiveMinimum", Num),
            ("maximum", Num),
            ("exclusiveMaximum", Num),
            ("example", Str),
            ("pii", Bool),
            ("classification", Str),
            ("tags", STRINGS),
            ("links", LINKS),
            ("$ref", Str),
            ("config", Obj("fieldConfig")),
        ],
        &[],
    );
    s.obj(
        "fieldConfig",
        false,
        &[
            ("avroType", Str),
            ("avroLogicalType", Str),
            ("bigqueryType", Str),
            ("snowflakeType", Str),
            ("redshiftType", Str),
            ("sqlserverType", Str),
            ("databricksType", Str),
            ("glueType", Str),
        ],
        &[],
    );
    s.obj(
        "definition",
        false,
        &[
            ("domain", Str),
            ("name", Str),
            ("title", Str),
            ("description", Str),
            ("type", Enum(FIELD_TYPES_093)),
            ("fields", nested),
            ("items", Obj("field")),
            ("keys", Obj("field")),
            ("values", Obj("field")),
            ("minLength", Int),
            ("maxLength", Int),
            ("format", Str),
            ("precision", Int),
            ("scale", Int),
            ("pattern", Str),
            ("minimum", Num),
            ("exclusiveMinimum", Num),
            ("maximum", Num),
            ("exclusiveMaximum", Num),
            ("example", Str),
            ("pii", Bool),
            ("classification", Str),
            ("tags", STRINGS),
            ("links", LINKS),
        ],
        &["name", "type"],
    );
    s.obj(
        "servicelevels",
        false,
        &[
            ("availability", Obj("sl.availability")),
            ("retention", Obj("sl.retention")),
            ("latency", Obj("sl.latency")),
            ("freshness", Obj("sl.freshness")),
            ("frequency", Obj("sl.frequency")),
            ("support", Obj("sl.support")),
            ("backup", Obj("sl.backup")),
        ],
        &[],
    );
    s.obj(
        "sl.availability",
        false,
        &[("description", Str), ("percentage", Pattern(&PERCENTAGE))],
        &[],
    );
    s.obj(
        "sl.retention",
        false,
        &[
            ("description", Str),
            ("period", Str),
            ("unlimited", Bool),
            ("timestampField", Str),
        ],
        &[],
    );
    s.obj(
        "sl.latency",
        false,
        &[
            ("description", Str),
            ("threshold", Str),
            ("sourceTimestampField", Str),
            ("processedTimestampField", Str),
        ],
        &[],
    );
    s.obj(
        "sl.freshness",
        false,
        &[
            ("description", Str),
            ("threshold", Str),
            ("timestampField", Str),
        ],
        &[],
    );
    s.obj(
        "sl.frequency",
        false,
        &[
            ("description", Str),
            (
                "type",
                Enum(&["batch", "micro-batching", "streaming", "manual"]),
            ),
            ("interval", Str),
            ("cron", Str),
        ],
        &[],
    );
    s.obj(
        "sl.support",
        false,
        &[("description", Str), ("time", Str), ("responseTime", Str)],
        &[],
    );
    s.obj(
        "sl.backup",
        false,
        &[
            ("description", Str),
            ("interval", Str),
            ("cron", Str),
            ("recoveryTime", Str),
            ("recoveryPoint", Str),
        ],
        &[],
    );
    s.remove_parts("server:");
    for ty in ["bigquery", "BigQuery"] {
        server(
            &mut s,
            ty,
            &[("project", Str), ("dataset", Str)],
            &["project", "dataset"],
        );
    }
    let files = |location: Ty| {
        [
            ("location", location),
            ("format", Enum(FILE_FORMATS)),
            ("delimiter", Enum(DELIMITERS)),
        ]
    };
    let mut s3 = files(Uri).to_vec();
    s3.insert(1, ("endpointUrl", Uri));
    server(&mut s, "s3", &s3, &["location"]);
    server(&mut s, "gcs", &files(Uri), &["location"]);
    server(&mut s, "sftp", &files(Uri), &["location"]);
    server(
        &mut s,
        "redshift",
        &[
            ("account", Str),
            ("host", Str),
            ("database", Str),
            ("schema", Str),
            ("clusterIdentifier", Str),
            ("port", Int),
            ("endpoint", Str),
        ],
        &["account", "database", "schema"],
    );
    server(&mut s, "azure", &files(Uri), &["location", "format"]);
    server(
        &mut s,
        "sqlserver",
        &[
            ("host", Str),
            ("port", Int),
            ("database", Str),
            ("schema", Str),
        ],
        &["host", "database", "schema"],
    );
    server(
        &mut s,
        "snowflake",
        &[("account", Str), ("database", Str), ("schema", Str)],
        &["account", "database", "schema"],
    );
    server(
        &mut s,
        "databricks",
        &[("host", Str), ("catalog", Str), ("schema", Str)],
        &["catalog", "schema"],
    );
    server(&mut s, "dataframe", &[], &[]);
    server(
        &mut s,
        "glue",
        &[
            ("account", Str),
            ("database", Str),
            ("location", Uri),
            ("format", Str),
        ],
        &["account", "database"],
    );
    server(
        &mut s,
        "postgres",
        &[
            ("host", Str),
            ("port", Int),
            ("database", Str),
            ("schema", Str),
        ],
        &["host", "port", "database", "schema"],
    );
    server(
        &mut s,
        "oracle",
        &[("host", Str), ("port", Int), ("serviceName", Str)],
        &["host", "port", "serviceName"],
    );
    server(
        &mut s,
        "kafka",
        &[("host", Str), ("topic", Str), ("format", Str)],
        &["host", "topic"],
    );
    server(
        &mut s,
        "pubsub",
        &[("project", Str), ("topic", Str)],
        &["project", "topic"],
    );
    server(
        &mut s,
        "kinesis",
        &[("stream", Str), ("region", Str), ("format", Str)],
        &["stream"],
    );
    server(
        &mut s,
        "trino",
        &[
            ("host", Str),
            ("port", Int),
            ("catalog", Str),
            ("schema", Str),
        ],
        &["host", "port", "catalog", "schema"],
    );
    server(
        &mut s,
        "local",
        &[("path", Str), ("format", Str)],
        &["path", "format"],
    );
    set_server_types(&mut s, SERVER_TYPES_093);
    s
}

/// The quality rule of 1.x: its parts by `type`; without a type, every part applies at once.
fn quality_parts<'s>(spec: &'s Spec, node: &Node) -> Vec<&'s Part> {
    match node.get("type").map(|t| &t.value) {
        None => ["q:text", "q:sql", "q:library", "q:custom"]
            .iter()
            .filter_map(|n| spec.find_part(n))
            .collect(),
        Some(Value::Str(t)) => spec.find_part(&format!("q:{t}")).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// A value of any type but null (quality `arguments`).
fn not_null(w: &mut Walker, node: &Node, path: Path) {
    if node.is_null() {
        w.type_error(
            node,
            path,
            "a value (text, number, boolean, list or mapping)",
        );
    }
}

fn sql_operators(number: Ty) -> Vec<(&'static str, Ty)> {
    let between: Ty = match number {
        Ty::Int => Ty::Items {
            item: &Ty::Int,
            min: 2,
            max: 2,
            unique: false,
        },
        _ => Ty::Items {
            item: &Ty::Num,
            min: 2,
            max: 2,
            unique: false,
        },
    };
    vec![
        ("mustBe", number),
        ("mustNotBe", number),
        ("mustBeGreaterThan", number),
        ("mustBeGreaterThanOrEqualTo", number),
        ("mustBeLessThan", number),
        ("mustBeLessThanOrEqualTo", number),
        ("mustBeBetween", between),
        ("mustNotBeBetween", between),
    ]
}

fn library_operators() -> Vec<(&'static str, Ty)> {
    let between = Ty::Items {
        item: &Ty::Num,
        min: 2,
        max: 2,
        unique: true,
    };
    vec![
        ("mustBe", Ty::Any),
        ("mustNotBe", Ty::Any),
        ("mustBeGreaterThan", Ty::Num),
        ("mustBeGreaterOrEqualTo", Ty::Num),
        ("mustBeLessThan", Ty::Num),
        ("mustBeLessOrEqualTo", Ty::Num),
        ("mustBeBetween", between),
        ("mustNotBeBetween", between),
    ]
}

/// 1.1.0: servers checked by their `type` only, quality rules, lineage, primary keys and
/// examples on models and fields, term policies, definitions named with `/`; the 0.9 top-level
/// `schema`, `examples` and `quality` objects are gone (and so unchecked).
// Kept whole: a table of this version's schema (objects, fields, types), read side by side with it.
fn v1_1_0(mut s: Spec) -> Spec {
    use Ty::*;
    s.label = "Data Contract Specification 1.1.0";
    s.set(
        "contract",
        VERSION_KEY,
        Enum(&["1.1.0", "0.9.3", "0.9.2", "0.9.1", "0.9.0"]),
    );
    s.edit("contract")
        .fields
        .retain(|(k, _)| !matches!(*k, "schema" | "examples" | "quality"));
    s.set(
        "contract",
        "definitions",
        Dict {
            value: &Obj("definition"),
            keys: Some(&DEFINITION_NAME),
            min: 0,
        },
    );
    s.add("terms", &[("policies", List(&Obj("policy")))]);
    s.obj(
        "policy",
        false,
        &[("type", Str), ("description", Str), ("url", Uri)],
        &[],
    );
    s.remove_parts("server:");
    s.obj(
        "server",
        false,
        &[
            ("description", Str),
            ("environment", Str),
            (
                "type",
                Enum(&[
                    "bigquery",
                    "BigQuery",
                    "s3",
                    "sftp",
                    "redshift",
                    "azure",
                    "sqlserver",
                    "snowflake",
                    "databricks",
                    "dataframe",
                    "glue",
                    "postgres",
                    "oracle",
                    "kafka",
                    "pubsub",
                    "kinesis",
                    "trino",
                    "local",
                ]),
            ),
            ("roles", List(&Obj("serverRole"))),
        ],
        &["type"],
    );
    s.obj(
        "serverRole",
        false,
        &[("name", Str), ("description", Str)],
        &["name"],
    );
    s.add(
        "field",
        &[
            ("primaryKey", Bool),
            ("examples", List(&Any)),
            ("quality", List(&Obj("quality"))),
            ("lineage", Obj("lineage")),
        ],
    );
    s.add(
        "model",
        &[
            ("primaryKey", STRINGS),
            ("quality", List(&Obj("quality"))),
            ("examples", List(&Any)),
        ],
    );
    s.add("definition", &[("examples", List(&Any))]);
    s.edit("definition").required = vec!["type"];
    s.obj(
        "quality",
        false,
        &[
            ("type", Enum(&["text", "library", "sql", "custom"])),
            ("description", Str),
        ],
        &[],
    )
    .when = Some(quality_parts);
    s.part(
        "q:text",
        "`type: text` rules (and rules without a `type`)",
        &[],
        &["description"],
    );
    let mut sql = vec![("query", Str), ("dialect", Str)];
    sql.extend(sql_operators(Num));
    s.part(
        "q:sql",
        "`type: sql` rules (and rules without a `type`)",
        &sql,
        &["query"],
    );
    let mut library = vec![("rule", Str)];
    library.extend(library_operators());
    s.part(
        "q:library",
        "`type: library` rules (and rules without a `type`)",
        &library,
        &["rule"],
    );
    s.part(
        "q:custom",
        "`type: custom` rules (and rules without a `type`)",
        &[
            ("description", Str),
            ("engine", Str),
            ("implementation", StrListOrMap),
        ],
        &["engine"],
    );
    s.obj(
        "lineage",
        false,
        &[
            ("inputFields", List(&Obj("lineage.input"))),
            ("transformationDescription", Str),
            ("transformationType", Str),
        ],
        &["inputFields"],
    );
    s.obj(
        "lineage.input",
        false,
        &[
            ("namespace", Str),
            ("name", Str),
            ("field", Str),
            ("transformations", List(&Obj("lineage.transformation"))),
        ],
        &["namespace", "name", "field"],
    );
    s.obj(
        "lineage.transformation",
        false,
        &[
            ("type", Str),
            ("subtype", Str),
            ("description", Str),
            ("masking", Bool),
        ],
        &["type"],
    );
    s
}

/// 1.2.0: any server type, ClickHouse, `additionalFields`, the `time`, `variant` and `json` field
/// types, and whole numbers in SQL quality comparisons.
fn v1_2_0(mut s: Spec) -> Spec {
    s.label = "Data Contract Specification 1.2.0";
    s.set(
        "contract",
        VERSION_KEY,
        Ty::Enum(&["1.2.0", "1.1.0", "0.9.3", "0.9.2", "0.9.1", "0.9.0"]),
    );
    s.set("server", "type", Ty::Str);
    s.add("model", &[("additionalFields", Ty::Bool)]);
    s.set("field", "type", Ty::Enum(FIELD_TYPES_120));
    s.set("definition", "type", Ty::Enum(FIELD_TYPES_120));
    let sql = s.edit_part("q:sql");
    sql.fields.retain(|(k, _)| *k == "query" || *k == "dialect");
    sql.fields.extend(sql_operators(Ty::Int));
    s
}

/// 1.2.1: quality metrics (`metric`, `arguments`) and numbers again in SQL comparisons.
fn v1_2_1(mut s: Spec) -> Spec {
    use Ty::*;
    s.label = "Data Contract Specification 1.2.1";
    s.set(
        "contract",
        VERSION_KEY,
        Enum(&[
            "1.2.1", "1.2.0", "1.1.0", "0.9.3", "0.9.2", "0.9.1", "0.9.0",
        ]),
    );
    let sql = s.edit_part("q:sql");
    sql.fields.retain(|(k, _)| *k == "query" || *k == "dialect");
    sql.fields.extend(sql_operators(Num));
    sql.fields.push(("mustBeGreaterOrEqualTo", Num));
    sql.fields.push(("mustBeLessOrEqualTo", Num));
    let mut library = vec![
        ("metric", Str),
        ("rule", Str),
        (
            "arguments",
            Dict {
                value: &Custom(not_null),
                keys: None,
                min: 0,
            },
        ),
    ];
    library.extend(library_operators());
    let p = s.edit_part("q:library");
    p.fields = library;
    p.required = vec!["metric"];
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_is_complete() {
        for v in VERSIONS {
            let s = spec(v);
            assert_eq!(s.dangling(), Vec::<String>::new(), "{v}");
            assert_eq!(s.label, format!("Data Contract Specification {v}"));
        }
    }
}
