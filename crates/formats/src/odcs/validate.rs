//! ODCS v3 rules, one spec per version (v3.0.0, v3.0.1, v3.0.2, v3.1.0, v3.2.0), written from the
//! facts of each version's official JSON Schema: which objects refuse unknown keys (v3.0: the top
//! level, schema objects and properties; v3.1+: every structure), required fields, types,
//! enumerations, and the cases (`if`/`then`) that add fields, such as a server's type or a
//! property's `logicalType`.
//!
//! Each version is the one before it plus its changes, so what a version added reads as such.

use std::sync::OnceLock;

use model::yaml::{Node, Value};

use crate::validate::bitol::{AUTH, CUSTOM, TAGS};
use crate::validate::engine::{Part, Path, Pattern, Spec, Ty, Walker};
use crate::validate::formats::is_variable;

/// The ODCS v3 versions meshdoc has rules for, oldest first.
pub const VERSIONS: &[&str] = &["v3.0.0", "v3.0.1", "v3.0.2", "v3.1.0", "v3.2.0"];

/// The rules of one ODCS v3 version (the latest for an unknown one).
pub fn spec(version: &str) -> &'static Spec {
    static SPECS: OnceLock<Vec<(&'static str, Spec)>> = OnceLock::new();
    let specs = SPECS.get_or_init(build_all);
    &specs
        .iter()
        .find(|(v, _)| *v == version)
        .unwrap_or_else(|| specs.last().expect("specs"))
        .1
}

fn build_all() -> Vec<(&'static str, Spec)> {
    let v300 = v3_0_0();
    let v301 = v3_0_1(v300.clone());
    let v302 = v3_0_2(v301.clone());
    let v310 = v3_1_0(v302.clone());
    let v320 = v3_2_0(v310.clone());
    vec![
        ("v3.0.0", v300),
        ("v3.0.1", v301),
        ("v3.0.2", v302),
        ("v3.1.0", v310),
        ("v3.2.0", v320),
    ]
}

/// "`physicalName` is defined from ODCS v3.0.2 on": the first later version whose object of the
/// same name defines the key.
fn elsewhere(label: &str, obj: &'static str, key: &str) -> Option<String> {
    let v = crate::validate::engine::defined_later(VERSIONS, spec, label, obj, key)?;
    Some(format!(
        "`{key}` is defined here from ODCS {v} on: declare `apiVersion: {v}` (or later) to use it, or move it under `customProperties`"
    ))
}

static STABLE_ID: Pattern =
    Pattern::new(r"^[A-Za-z0-9_-]+$", "an id of letters, digits, `_` and `-`");
static SFTP: Pattern = Pattern::new(r"^sftp://.*", "an `sftp://` URL");

const QUALITY: Ty = Ty::List(&Ty::Obj("quality"));

const FILE_FORMATS: &[&str] = &["parquet", "delta", "json", "csv"];
const DELIMITERS: &[&str] = &["new_line", "array"];
const DIMENSIONS: &[&str] = &[
    "accuracy",
    "completeness",
    "conformity",
    "consistency",
    "coverage",
    "timeliness",
    "uniqueness",
];
const QUALITY_TYPES: &[&str] = &["text", "library", "sql", "custom"];
const METRICS: &[&str] = &[
    "nullValues",
    "missingValues",
    "invalidValues",
    "duplicateValues",
    "rowCount",
];
/// The comparison operators of quality rules.
pub const OPERATORS: &[&str] = &[
    "mustBe",
    "mustNotBe",
    "mustBeGreaterThan",
    "mustBeGreaterOrEqualTo",
    "mustBeLessThan",
    "mustBeLessOrEqualTo",
    "mustBeBetween",
    "mustNotBeBetween",
];
const INT_FORMATS: &[&str] = &[
    "i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64", "u128",
];
const BETWEEN: Ty = Ty::Items {
    item: &Ty::Num,
    min: 2,
    max: 2,
    unique: true,
};

fn operator_fields() -> Vec<(&'static str, Ty)> {
    vec![
        ("mustBe", Ty::Any),
        ("mustNotBe", Ty::Any),
        ("mustBeGreaterThan", Ty::Num),
        ("mustBeGreaterOrEqualTo", Ty::Num),
        ("mustBeLessThan", Ty::Num),
        ("mustBeLessOrEqualTo", Ty::Num),
        ("mustBeBetween", BETWEEN),
        ("mustNotBeBetween", BETWEEN),
    ]
}

/// A server type, the fields it adds and those of them it requires.
type ServerType = (&'static str, Vec<(&'static str, Ty)>, Vec<&'static str>);

/// The server types of v3.0 and the fields each adds.
// Kept whole: the table of v3.0 server types and their fields, one entry per type as the schema lists them.
fn servers_v30() -> Vec<ServerType> {
    use Ty::{Enum, Int, Str};
    let db = |extra: &[(&'static str, Ty)]| {
        let mut f = vec![("host", Str), ("port", Int)];
        f.extend_from_slice(extra);
        f
    };
    vec![
        ("api", vec![("location", Str)], vec!["location"]),
        (
            "athena",
            vec![
                ("stagingDir", Str),
                ("schema", Str),
                ("catalog", Str),
                ("regionName", Str),
            ],
            // v3.0.0 and v3.0.1 name `staging_dir` here (fixed to `stagingDir` in v3.0.2).
            vec!["staging_dir", "schema"],
        ),
        (
            "azure",
            vec![
                ("location", Str),
                ("format", Enum(FILE_FORMATS)),
                ("delimiter", Enum(DELIMITERS)),
            ],
            vec!["location", "format"],
        ),
        (
            "bigquery",
            vec![("project", Str), ("dataset", Str)],
            vec!["project", "dataset"],
        ),
        (
            "clickhouse",
            db(&[("database", Str)]),
            vec!["host", "port", "database"],
        ),
        (
            "databricks",
            vec![("host", Str), ("catalog", Str), ("schema", Str)],
            vec!["catalog", "schema"],
        ),
        ("denodo", db(&[("database", Str)]), vec!["host", "port"]),
        ("dremio", db(&[("schema", Str)]), vec!["host", "port"]),
        // v3.0 types a DuckDB schema as a number (text from v3.1 on).
        (
            "duckdb",
            vec![("database", Str), ("schema", Int)],
            vec!["database"],
        ),
        (
            "glue",
            vec![
                ("account", Str),
                ("database", Str),
                ("location", Str),
                ("format", Str),
            ],
            vec!["account", "database"],
        ),
        (
            "cloudsql",
            db(&[("database", Str), ("schema", Str)]),
            vec!["host", "port", "database", "schema"],
        ),
        (
            "db2",
            db(&[("database", Str), ("schema", Str)]),
            vec!["host", "port", "database"],
        ),
        (
            "informix",
            db(&[("database", Str)]),
            vec!["host", "database"],
        ),
        (
            "custom",
            vec![
                ("account", Str),
                ("catalog", Str),
                ("database", Str),
                ("dataset", Str),
                ("delimiter", Str),
                ("endpointUrl", Str),
                ("format", Str),
                ("host", Str),
                ("location", Str),
                ("path", Str),
                ("port", Int),
                ("project", Str),
                ("region", Str),
                ("regionName", Str),
                ("schema", Str),
                ("serviceName", Str),
                ("stagingDir", Str),
                ("warehouse", Str),
            ],
            vec![],
        ),
        ("kafka", vec![("host", Str), ("format", Str)], vec!["host"]),
        ("kinesis", vec![("region", Str), ("format", Str)], vec![]),
        (
            "local",
            vec![("path", Str), ("format", Str)],
            vec!["path", "format"],
        ),
        (
            "mysql",
            db(&[("database", Str)]),
            vec!["host", "port", "database"],
        ),
        (
            "oracle",
            db(&[("serviceName", Str)]),
            vec!["host", "port", "serviceName"],
        ),
        (
            "postgresql",
            db(&[("database", Str), ("schema", Str)]),
            vec!["host", "port", "database", "schema"],
        ),
        (
            "postgres",
            db(&[("database", Str), ("schema", Str)]),
            vec!["host", "port", "database", "schema"],
        ),
        (
            "presto",
            vec![("host", Str), ("catalog", Str), ("schema", Str)],
            vec!["host"],
        ),
        ("pubsub", vec![("project", Str)], vec!["project"]),
        (
            "redshift",
            vec![
                ("host", Str),
                ("database", Str),
                ("schema", Str),
                ("region", Str),
                ("account", Str),
            ],
            vec!["database", "schema"],
        ),
        (
            "s3",
            vec![
                ("location", Str),
                ("endpointUrl", Str),
                ("format", Enum(FILE_FORMATS)),
                ("delimiter", Enum(DELIMITERS)),
            ],
            vec!["location"],
        ),
        (
            "sftp",
            vec![
                ("location", Ty::Pattern(&SFTP)),
                ("format", Enum(FILE_FORMATS)),
                ("delimiter", Enum(DELIMITERS)),
            ],
            vec!["location"],
        ),
        (
            "snowflake",
            db(&[
                ("account", Str),
                ("database", Str),
                ("schema", Str),
                ("warehouse", Str),
            ]),
            vec!["account", "database", "schema"],
        ),
        (
            "sqlserver",
            db(&[("database", Str), ("schema", Str)]),
            vec!["host", "database", "schema"],
        ),
        (
            "synapse",
            db(&[("database", Str)]),
            vec!["host", "port", "database"],
        ),
        (
            "trino",
            db(&[("catalog", Str), ("schema", Str)]),
            vec!["host", "port", "catalog", "schema"],
        ),
        (
            "vertica",
            db(&[("database", Str), ("schema", Str)]),
            vec!["host", "port", "database", "schema"],
        ),
    ]
}

/// Server types, in the order the schema lists them.
const SERVER_TYPES_30: &[&str] = &[
    "api",
    "athena",
    "azure",
    "bigquery",
    "clickhouse",
    "databricks",
    "denodo",
    "dremio",
    "duckdb",
    "glue",
    "cloudsql",
    "db2",
    "informix",
    "kafka",
    "kinesis",
    "local",
    "mysql",
    "oracle",
    "postgresql",
    "postgres",
    "presto",
    "pubsub",
    "redshift",
    "s3",
    "sftp",
    "snowflake",
    "sqlserver",
    "synapse",
    "trino",
    "vertica",
    "custom",
];
const SERVER_TYPES_31: &[&str] = &[
    "api",
    "athena",
    "azure",
    "bigquery",
    "clickhouse",
    "databricks",
    "denodo",
    "dremio",
    "duckdb",
    "glue",
    "cloudsql",
    "db2",
    "hive",
    "impala",
    "informix",
    "kafka",
    "kinesis",
    "local",
    "mysql",
    "oracle",
    "postgresql",
    "postgres",
    "presto",
    "pubsub",
    "redshift",
    "s3",
    "sftp",
    "snowflake",
    "sqlserver",
    "synapse",
    "trino",
    "vertica",
    "zen",
    "custom",
];
const SERVER_TYPES_32: &[&str] = &[
    "api",
    "athena",
    "azure",
    "bigquery",
    "clickhouse",
    "databricks",
    "denodo",
    "dremio",
    "duckdb",
    "exasol",
    "glue",
    "hana",
    "cloudsql",
    "db2",
    "hive",
    "iceberg",
    "impala",
    "informix",
    "kafka",
    "kinesis",
    "local",
    "mysql",
    "oracle",
    "postgresql",
    "postgres",
    "presto",
    "pubsub",
    "redshift",
    "s3",
    "sftp",
    "snowflake",
    "sqlserver",
    "synapse",
    "teradata",
    "trino",
    "vertica",
    "zen",
    "custom",
];

fn server_part(
    spec: &mut Spec,
    ty: &'static str,
    fields: Vec<(&'static str, Ty)>,
    required: Vec<&'static str>,
) {
    spec.part(
        format!("server:{ty}"),
        format!("`type: {ty}` servers"),
        &fields,
        &required,
    );
}

/// The parts of a server: those of its type (a variable as type: those of a custom server).
fn server_parts<'s>(spec: &'s Spec, node: &Node) -> Vec<&'s Part> {
    match node.get("type").map(|t| &t.value) {
        Some(Value::Str(t)) if is_variable(t) => {
            spec.find_part("server:custom").into_iter().collect()
        }
        Some(Value::Str(t)) => spec.find_part(&format!("server:{t}")).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// The parts of a property or array item, by `logicalType`. Without one, the schema's conditions
/// all hold at once: `lt:*` is their merger.
fn logical_type_parts<'s>(spec: &'s Spec, node: &Node) -> Vec<&'s Part> {
    match node.get("logicalType").map(|t| &t.value) {
        None => spec.find_part("lt:*").into_iter().collect(),
        Some(Value::Str(t)) => spec.find_part(&format!("lt:{t}")).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// v3.0: a rule of `type: library` (or no type) is a library rule.
fn quality_parts_30<'s>(spec: &'s Spec, node: &Node) -> Vec<&'s Part> {
    let name = match node.get("type").map(|t| &t.value) {
        None => "q:library",
        Some(Value::Str(t)) => match t.as_str() {
            "library" => "q:library",
            "sql" => "q:sql",
            "custom" => "q:custom",
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    spec.find_part(name).into_iter().collect()
}

/// v3.1+: a rule of `type: library`, or with a `metric`, is a library rule.
fn quality_parts_31<'s>(spec: &'s Spec, node: &Node) -> Vec<&'s Part> {
    let kind = match node.get("type").map(|t| &t.value) {
        Some(Value::Str(t)) => t.as_str(),
        _ => "",
    };
    let mut out = Vec::new();
    if kind == "library" || matches!(node.get("metric").map(|m| &m.value), Some(Value::Str(_))) {
        out.extend(spec.find_part("q:library"));
    }
    match kind {
        "sql" => out.extend(spec.find_part("q:sql")),
        "custom" => out.extend(spec.find_part("q:custom")),
        _ => {}
    }
    out
}

/// Join the `lt:` parts into `lt:*`, what applies to a property without `logicalType`: every
/// field of every type's part, and `logicalTypeOptions` as `options` says.
fn merge_logical_types(spec: &mut Spec, options: Ty, required_hint: Option<String>) {
    spec.remove_parts("lt:*");
    let mut fields: Vec<(&'static str, Ty)> = vec![("logicalTypeOptions", options)];
    let mut required: Vec<&'static str> = Vec::new();
    let names: Vec<String> = spec
        .part_names("lt:")
        .into_iter()
        .map(str::to_string)
        .collect();
    for name in names {
        let part = spec.find_part(&name).expect("listed").clone();
        for (k, ty) in part.fields {
            if !fields.iter().any(|(f, _)| *f == k) {
                fields.push((k, ty));
            }
        }
        for r in part.required {
            if !required.contains(&r) {
                required.push(r);
            }
        }
    }
    let part = spec.part(
        "lt:*",
        "properties without `logicalType`",
        &fields,
        &required,
    );
    part.hint = required_hint;
}

fn element_fields() -> Vec<(&'static str, Ty)> {
    vec![
        ("name", Ty::Str),
        ("physicalType", Ty::Str),
        ("description", Ty::Str),
        ("businessName", Ty::Str),
        ("authoritativeDefinitions", AUTH),
        ("tags", TAGS),
        ("customProperties", CUSTOM),
    ]
}

fn property_fields() -> Vec<(&'static str, Ty)> {
    let mut f = element_fields();
    f.extend([
        ("primaryKey", Ty::Bool),
        ("primaryKeyPosition", Ty::Int),
        (
            "logicalType",
            Ty::Enum(&[
                "string", "date", "number", "integer", "object", "array", "boolean",
            ]),
        ),
        ("logicalTypeOptions", Ty::Map),
        ("required", Ty::Bool),
        ("unique", Ty::Bool),
        ("partitioned", Ty::Bool),
        ("partitionKeyPosition", Ty::Int),
        ("classification", Ty::Str),
        ("encryptedName", Ty::Str),
        ("transformSourceObjects", Ty::List(&Ty::Str)),
        ("transformLogic", Ty::Str),
        ("transformDescription", Ty::Str),
        ("examples", Ty::List(&Ty::Any)),
        ("criticalDataElement", Ty::Bool),
        ("quality", QUALITY),
    ]);
    f
}

const EMPTY_OPTIONS: Ty = Ty::EmptyMap(
    "without `logicalType`, the options of every type apply at once and none of them fits all; declare the property's `logicalType`",
);

/// ODCS v3.0.0.
// Kept whole: a table of this version's schema (objects, fields, types), read side by side with it.
fn v3_0_0() -> Spec {
    use Ty::*;
    let mut s = Spec::new("ODCS v3.0.0", "contract");
    s.elsewhere = Some(elsewhere);
    s.obj(
        "contract",
        true,
        &[
            ("version", Str),
            ("kind", Enum(&["DataContract"])),
            (
                "apiVersion",
                Enum(&["v3.0.0", "v2.2.2", "v2.2.1", "v2.2.0"]),
            ),
            ("id", Str),
            ("name", Str),
            ("tenant", Str),
            ("tags", TAGS),
            ("status", Str),
            ("servers", List(&Obj("server"))),
            ("dataProduct", Str),
            ("description", Obj("description")),
            ("domain", Str),
            ("schema", List(&Obj("object"))),
            ("support", List(&Obj("support"))),
            ("price", Obj("price")),
            ("team", List(&Obj("member"))),
            ("roles", List(&Obj("role"))),
            ("slaDefaultElement", Str),
            ("slaProperties", List(&Obj("sla"))),
            ("customProperties", CUSTOM),
            ("contractCreatedTs", Str),
        ],
        &["version", "apiVersion", "kind", "id", "status"],
    );
    s.obj(
        "description",
        false,
        &[("usage", Str), ("purpose", Str), ("limitations", Str)],
        &[],
    );
    s.obj(
        "server",
        false,
        &[
            ("server", Str),
            ("type", Enum(SERVER_TYPES_30)),
            ("description", Str),
            ("environment", Str),
            ("roles", List(&Obj("role"))),
            ("customProperties", CUSTOM),
        ],
        &["server", "type"],
    )
    .when = Some(server_parts);
    for (ty, fields, required) in servers_v30() {
        server_part(&mut s, ty, fields, required);
    }
    let mut object = element_fields();
    object.extend([
        ("logicalType", Enum(&["object"])),
        ("physicalName", Str),
        ("dataGranularityDescription", Str),
        ("properties", List(&Obj("property"))),
        ("quality", QUALITY),
    ]);
    s.obj("object", true, &object, &["name"]);
    s.obj("property", true, &property_fields(), &["name"]).when = Some(logical_type_parts);
    let mut item = property_fields();
    item.push(("properties", List(&Obj("property"))));
    s.obj("item", true, &item, &[]).when = Some(logical_type_parts);
    s.obj(
        "opts.string",
        true,
        &[
            ("minLength", IntMin(0)),
            ("maxLength", IntMin(0)),
            ("pattern", Str),
            ("format", Str),
        ],
        &[],
    );
    s.obj(
        "opts.date",
        true,
        &[
            ("format", Str),
            ("exclusiveMaximum", Bool),
            ("maximum", Str),
            ("exclusiveMinimum", Bool),
            ("minimum", Str),
        ],
        &[],
    );
    for (name, formats) in [
        ("opts.integer", INT_FORMATS),
        ("opts.number", &["f32", "f64"] as &[&str]),
    ] {
        s.obj(
            name,
            true,
            &[
                ("multipleOf", NumAbove(0.0)),
                ("maximum", Num),
                ("exclusiveMaximum", Bool),
                ("minimum", Num),
                ("exclusiveMinimum", Bool),
                ("format", Enum(formats)),
            ],
            &[],
        );
    }
    s.obj(
        "opts.object",
        true,
        &[
            ("maxProperties", IntMin(0)),
            ("minProperties", IntMin(0)),
            (
                "required",
                Items {
                    item: &Str,
                    min: 1,
                    max: usize::MAX,
                    unique: true,
                },
            ),
        ],
        &[],
    );
    s.obj(
        "opts.array",
        true,
        &[
            ("maxItems", IntMin(0)),
            ("minItems", IntMin(0)),
            ("uniqueItems", Bool),
        ],
        &[],
    );
    for t in ["string", "date", "integer", "number"] {
        let opts: &'static str = match t {
            "string" => "opts.string",
            "date" => "opts.date",
            "integer" => "opts.integer",
            _ => "opts.number",
        };
        s.part(
            format!("lt:{t}"),
            format!("`logicalType: {t}` properties"),
            &[("logicalTypeOptions", Obj(opts))],
            &[],
        );
    }
    s.part(
        "lt:object",
        "`logicalType: object` properties",
        &[
            ("logicalTypeOptions", Obj("opts.object")),
            ("properties", List(&Obj("property"))),
        ],
        &[],
    );
    s.part(
        "lt:array",
        "`logicalType: array` properties",
        &[
            ("logicalTypeOptions", Obj("opts.array")),
            ("items", Obj("item")),
        ],
        &[],
    );
    merge_logical_types(&mut s, EMPTY_OPTIONS, None);
    s.obj(
        "quality",
        false,
        &[
            ("authoritativeDefinitions", AUTH),
            ("businessImpact", Str),
            ("customProperties", CUSTOM),
            ("description", Str),
            ("dimension", Enum(DIMENSIONS)),
            ("method", Str),
            ("name", Str),
            ("schedule", Str),
            ("scheduler", Str),
            ("severity", Str),
            ("tags", TAGS),
            ("type", Enum(QUALITY_TYPES)),
            ("unit", Str),
        ],
        &[],
    )
    .when = Some(quality_parts_30);
    let mut library = vec![("rule", Str)];
    library.extend(operator_fields());
    s.part(
        "q:library",
        "library rules (`type: library`, or no `type`)",
        &library,
        &["rule"],
    );
    s.part("q:sql", "`type: sql` rules", &[("query", Str)], &["query"]);
    s.part(
        "q:custom",
        "`type: custom` rules",
        &[("engine", Str), ("implementation", StrOrMap)],
        &["engine", "implementation"],
    );
    s.obj(
        "authoritativeDefinition",
        false,
        &[("url", Str), ("type", Str)],
        &["url", "type"],
    );
    s.obj(
        "support",
        false,
        &[
            ("channel", Str),
            ("url", Str),
            ("description", Str),
            ("tool", Str),
            ("scope", Str),
            ("invitationUrl", Str),
        ],
        &["channel", "url"],
    );
    s.obj(
        "price",
        false,
        &[
            ("priceAmount", Num),
            ("priceCurrency", Str),
            ("priceUnit", Str),
        ],
        &[],
    );
    s.obj(
        "member",
        false,
        &[
            ("username", Str),
            ("role", Str),
            ("dateIn", Str),
            ("dateOut", Str),
            ("replacedByUsername", Str),
        ],
        &[],
    );
    s.obj(
        "role",
        false,
        &[
            ("role", Str),
            ("description", Str),
            ("access", Str),
            ("firstLevelApprovers", Str),
            ("secondLevelApprovers", Str),
        ],
        &["role"],
    );
    s.obj(
        "sla",
        false,
        &[
            ("property", Str),
            ("value", Scalar),
            ("valueExt", Scalar),
            ("unit", Str),
            ("element", Str),
            ("driver", Str),
        ],
        &["property", "value"],
    );
    s.obj(
        "customProperty",
        false,
        &[("property", Str), ("value", Any)],
        &[],
    );
    v2_hints(&mut s);
    s
}

/// Keys of ODCS v2 that v3 renamed: the hint names the v3 key.
fn v2_hints(s: &mut Spec) {
    for (old, new) in [
        ("isNullable", "write `required: true` for a value that may not be null (the opposite of `isNullable`)"),
        ("isUnique", "`unique`"),
        ("isPrimaryKey", "`primaryKey`"),
        ("column", "`name`"),
        ("sampleValues", "`examples`"),
        ("criticalDataElementStatus", "`criticalDataElement`"),
        ("partitionStatus", "`partitioned`"),
        ("encryptedColumnName", "`encryptedName`"),
        ("transformSourceTables", "`transformSourceObjects`"),
        ("columns", "`properties`"),
        ("dataset", "`schema`"),
        ("uuid", "`id`"),
        ("stakeholders", "`team`"),
    ] {
        let hint = if new.starts_with('`') {
            format!("`{old}` is ODCS v2; in v3 it is {new}")
        } else {
            format!("`{old}` is ODCS v2; in v3 {new}")
        };
        s.hint(old, hint);
    }
}

/// v3.0.1: authoritative definitions at the top level and in `description`, custom properties on
/// roles and in `description`.
fn v3_0_1(mut s: Spec) -> Spec {
    s.label = "ODCS v3.0.1";
    s.set(
        "contract",
        "apiVersion",
        Ty::Enum(&["v3.0.1", "v3.0.0", "v2.2.2", "v2.2.1", "v2.2.0"]),
    );
    s.insert_after(
        "contract",
        "slaProperties",
        ("authoritativeDefinitions", AUTH),
    );
    s.add(
        "description",
        &[
            ("authoritativeDefinitions", AUTH),
            ("customProperties", CUSTOM),
        ],
    );
    s.add("role", &[("customProperties", CUSTOM)]);
    s
}

/// v3.0.2: `physicalName` on properties, `name` and `description` on team members, and the
/// Athena server's `stagingDir` spelled as its field is.
fn v3_0_2(mut s: Spec) -> Spec {
    s.label = "ODCS v3.0.2";
    s.set(
        "contract",
        "apiVersion",
        Ty::Enum(&["v3.0.2", "v3.0.1", "v3.0.0", "v2.2.2", "v2.2.1", "v2.2.0"]),
    );
    s.add("property", &[("physicalName", Ty::Str)]);
    s.add("item", &[("physicalName", Ty::Str)]);
    s.add("member", &[("name", Ty::Str), ("description", Ty::Str)]);
    s.edit_part("server:athena").required = vec!["stagingDir", "schema"];
    s
}

static SHORTHAND_31: Pattern = Pattern::new(
    r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$",
    "a reference such as `table.column`",
);
static QUALIFIED_31: Pattern = Pattern::new(
    r"^(?:(?:https?://)?[A-Za-z0-9._\-/]+\.yaml#)?/?[A-Za-z_][A-Za-z0-9_]*/[A-Za-z0-9_-]+(?:/[A-Za-z_][A-Za-z0-9_]*/[A-Za-z0-9_-]+)*$",
    "a reference such as `schema/<object id>/properties/<property id>`",
);
static SHORTHAND_32: Pattern = Pattern::new(
    r"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z_][A-Za-z0-9_\-]*)+$",
    "a reference such as `table.column`",
);
static QUALIFIED_32: Pattern = Pattern::new(
    r"^(?:(?:https?://)?[A-Za-z0-9._\-/]+\.ya?ml#)?/?[A-Za-z_][A-Za-z0-9_]*/[A-Za-z0-9_-]+(?:/[A-Za-z_][A-Za-z0-9_]*/[A-Za-z0-9_-]+)*$",
    "a reference such as `schema/<object id>/properties/<property id>`",
);

fn references(w: &mut Walker, node: &Node, path: Path, short: &Pattern, qualified: &Pattern) {
    let is_ref = |s: &str| short.is_match(s) || qualified.is_match(s);
    let bad = |w: &mut Walker, n: &Node, p: Path, s: &str| {
        w.error(
            n.pos,
            p,
            format!(
                "`{}` is {s:?}, which is not a reference to a property",
                p.name()
            ),
            "write `table.column`, or `schema/<object id>/properties/<property id>`",
        );
    };
    match &node.value {
        Value::Str(s) if is_ref(s) => {}
        Value::Str(s) => bad(w, node, path, s),
        Value::Seq(items) if items.is_empty() => w.error(
            w.at(node, path),
            path,
            format!("`{}` is an empty list", path.name()),
            "list at least one property, or write a single reference",
        ),
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let p = path.index(i);
                match &item.value {
                    Value::Str(s) if is_ref(s) => {}
                    Value::Str(s) => bad(w, item, p, s),
                    _ => w.type_error(item, p, "text"),
                }
            }
        }
        _ => w.type_error(node, path, "a reference (text) or a list of them"),
    }
}

fn references_31(w: &mut Walker, node: &Node, path: Path) {
    references(w, node, path, &SHORTHAND_31, &QUALIFIED_31);
}

fn references_32(w: &mut Walker, node: &Node, path: Path) {
    references(w, node, path, &SHORTHAND_32, &QUALIFIED_32);
}

/// A schema-level relationship joins one property to one (`from`/`to` as text) or a composite
/// key to a composite key (both lists).
fn same_shape(w: &mut Walker, node: &Node, path: Path) {
    let (Some(from), Some(to)) = (node.get("from"), node.get("to")) else {
        return;
    };
    let shape = |n: &Node| match n.value {
        Value::Str(_) => Some(false),
        Value::Seq(_) => Some(true),
        _ => None,
    };
    if let (Some(a), Some(b)) = (shape(from), shape(to)) {
        if a != b {
            let at = node
                .entries()
                .iter()
                .find(|(k, _)| k.text == "to")
                .map_or(to.pos, |(k, _)| k.pos);
            w.error(
                at,
                path.key("to"),
                "`from` and `to` must both be one reference, or both lists (a composite key)"
                    .into(),
                if a {
                    "write `to` as a list as long as `from`"
                } else {
                    "write `to` as a single reference, like `from`"
                },
            );
        }
    }
}

/// v3.1.0: stable ids everywhere, every structure closed, relationships, the team object,
/// timestamps, library rules by `metric` with exactly one comparison, and more server types.
// Kept whole: the list of v3.1.0's changes to v3.0.2, in the order of the standard's changelog.
fn v3_1_0(mut s: Spec) -> Spec {
    use Ty::*;
    s.label = "ODCS v3.1.0";
    s.set(
        "contract",
        "apiVersion",
        Enum(&[
            "v3.1.0", "v3.0.2", "v3.0.1", "v3.0.0", "v2.2.2", "v2.2.1", "v2.2.0",
        ]),
    );
    s.set("contract", "team", ObjOrList("team", "member"));
    let id = ("id", Pattern(&STABLE_ID));
    // Every structure is closed and has a stable `id` (the contract and `description` excepted).
    for name in [
        "server",
        "object",
        "property",
        "item",
        "quality",
        "authoritativeDefinition",
        "support",
        "price",
        "member",
        "role",
        "sla",
        "customProperty",
    ] {
        let o = s.edit(name);
        o.closed = true;
        o.fields.insert(0, id);
    }
    s.set("server", "type", Enum(SERVER_TYPES_31));
    // v3.1 leaves formats and delimiters open, and types a DuckDB schema as text.
    for t in ["azure", "s3", "sftp"] {
        let p = s.edit_part(&format!("server:{t}"));
        for (k, ty) in p.fields.iter_mut() {
            if *k == "format" || *k == "delimiter" {
                *ty = Str;
            }
        }
    }
    for (k, ty) in s.edit_part("server:duckdb").fields.iter_mut() {
        if *k == "schema" {
            *ty = Str;
        }
    }
    s.edit_part("server:custom").fields.push(("stream", Str));
    for t in ["hive", "impala", "zen"] {
        server_part(
            &mut s,
            t,
            vec![("host", Str), ("port", Int), ("database", Str)],
            vec!["host", "database"],
        );
    }
    s.add(
        "object",
        &[("relationships", List(&Obj("relationship.object")))],
    );
    let lt31: &'static [&'static str] = &[
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
    for name in ["property", "item"] {
        s.set(name, "logicalType", Enum(lt31));
        s.add(
            name,
            &[("relationships", List(&Obj("relationship.property")))],
        );
    }
    // The base property refuses unknown keys on its own in v3.1, so an array item's `properties`
    // count only where `logicalType: object` (or none) allows them.
    s.edit("item").fields.retain(|(k, _)| *k != "properties");
    s.set("opts.date", "exclusiveMaximum", Str);
    s.set("opts.date", "exclusiveMinimum", Str);
    let mut timestamp = s.get("opts.date").fields.clone();
    timestamp.extend([("timezone", Bool), ("defaultTimezone", Str)]);
    s.obj("opts.timestamp", true, &timestamp, &[]);
    for t in ["timestamp", "time"] {
        s.part(
            format!("lt:{t}"),
            format!("`logicalType: {t}` properties"),
            &[("logicalTypeOptions", Obj("opts.timestamp"))],
            &[],
        );
    }
    for name in ["opts.integer", "opts.number"] {
        s.set(name, "exclusiveMaximum", Num);
        s.set(name, "exclusiveMinimum", Num);
    }
    merge_logical_types(&mut s, EMPTY_OPTIONS, None);
    s.edit("quality").when = Some(quality_parts_31);
    let mut library = vec![("metric", Enum(METRICS)), ("rule", Str), ("arguments", Map)];
    library.extend(operator_fields());
    let p = s.part(
        "q:library",
        "library rules (`type: library`, or with a `metric`)",
        &library,
        &["metric"],
    );
    p.one_of = OPERATORS;
    let mut sql = vec![("query", Str)];
    sql.extend(operator_fields());
    let p = s.part("q:sql", "`type: sql` rules", &sql, &["query"]);
    p.one_of = OPERATORS;
    s.add("authoritativeDefinition", &[("description", Str)]);
    s.add("support", &[("customProperties", CUSTOM)]);
    s.edit("support").required = vec!["channel"];
    s.add(
        "member",
        &[
            ("tags", TAGS),
            ("customProperties", CUSTOM),
            ("authoritativeDefinitions", AUTH),
        ],
    );
    s.edit("member").required = vec!["username"];
    s.obj(
        "team",
        true,
        &[
            id,
            ("name", Str),
            ("description", Str),
            ("members", List(&Obj("member"))),
            ("tags", TAGS),
            ("customProperties", CUSTOM),
            ("authoritativeDefinitions", AUTH),
        ],
        &[],
    );
    s.add(
        "sla",
        &[("description", Str), ("scheduler", Str), ("schedule", Str)],
    );
    s.add("customProperty", &[("description", Str)]);
    s.edit("customProperty").required = vec!["property", "value"];
    let relationship = |refs: fn(&mut Walker, &Node, Path)| {
        vec![
            ("type", Enum(&["foreignKey"])),
            ("from", Custom(refs)),
            ("to", Custom(refs)),
            ("customProperties", CUSTOM),
        ]
    };
    s.obj(
        "relationship.object",
        true,
        &relationship(references_31),
        &["from", "to"],
    )
    .after = Some(same_shape);
    let mut property_level = relationship(references_31);
    property_level[1].1 =
        Never("at property level the relationship starts from the property itself");
    s.obj("relationship.property", true, &property_level, &["to"]);
    s
}

/// v3.2.0: AI context, synonyms, deprecation flags, enumerations of values, semantic types, map
/// and vector types, ports that may hold a variable, `status` optional, and more server types.
// Kept whole: the list of v3.2.0's changes to v3.1.0, in the order of the standard's changelog.
fn v3_2_0(mut s: Spec) -> Spec {
    use Ty::*;
    s.label = "ODCS v3.2.0";
    s.set(
        "contract",
        "apiVersion",
        Enum(&[
            "v3.2.0", "v3.1.0", "v3.0.2", "v3.0.1", "v3.0.0", "v2.2.2", "v2.2.1", "v2.2.0",
        ]),
    );
    s.edit("contract").required = vec!["version", "apiVersion", "kind", "id"];
    s.insert_after("contract", "domain", ("context", StrOrObj("context")));
    crate::validate::bitol::context(&mut s);
    s.set("server", "type", Enum(SERVER_TYPES_32));
    // A port may be a variable such as `${DB_PORT}` (RFC 0050).
    let names: Vec<String> = s
        .part_names("server:")
        .into_iter()
        .map(str::to_string)
        .collect();
    for name in &names {
        for (k, ty) in s.edit_part(name).fields.iter_mut() {
            if *k == "port" {
                *ty = IntOrStr;
            }
        }
    }
    for t in [
        "azure", "glue", "custom", "kafka", "kinesis", "local", "s3", "sftp",
    ] {
        s.edit_part(&format!("server:{t}"))
            .fields
            .push(("encoding", Str));
    }
    let athena = s.edit_part("server:athena");
    athena.fields.push(("workgroup", Str));
    athena.required = vec!["schema"];
    server_part(
        &mut s,
        "exasol",
        vec![("host", Str), ("port", IntOrStr), ("schema", Str)],
        vec!["host"],
    );
    server_part(
        &mut s,
        "hana",
        vec![
            ("host", Str),
            ("port", IntOrStr),
            ("database", Str),
            ("schema", Str),
        ],
        vec!["host"],
    );
    server_part(
        &mut s,
        "iceberg",
        vec![
            ("catalog", Str),
            ("catalogUrl", Str),
            ("namespace", Str),
            ("warehouse", Str),
        ],
        vec!["catalog", "catalogUrl"],
    );
    server_part(
        &mut s,
        "teradata",
        vec![("host", Str), ("port", IntOrStr), ("database", Str)],
        vec!["host"],
    );
    for name in ["object", "property", "item"] {
        let o = s.edit(name);
        let at = o
            .fields
            .iter()
            .position(|(k, _)| *k == "businessName")
            .map_or(0, |i| i + 1);
        o.fields.insert(at, ("deprecated", Bool));
        o.fields.insert(at + 1, ("synonyms", List(&Obj("synonym"))));
    }
    s.add("object", &[("context", StrOrObj("context"))]);
    let lt32: &'static [&'static str] = &[
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
        "vector",
    ];
    for name in ["property", "item"] {
        s.set(name, "logicalType", Enum(lt32));
        s.add(
            name,
            &[
                ("semanticType", Enum(&["column", "measure", "dimension"])),
                (
                    "enum",
                    Items {
                        item: &Obj("enumValue"),
                        min: 1,
                        max: usize::MAX,
                        unique: true,
                    },
                ),
            ],
        );
    }
    s.obj(
        "map",
        true,
        &[("key", Obj("item")), ("value", Obj("item"))],
        &["key", "value"],
    );
    s.part(
        "lt:map",
        "`logicalType: map` properties",
        &[("map", Obj("map"))],
        &["map"],
    );
    s.obj(
        "opts.vector",
        true,
        &[
            ("dimensions", IntMin(1)),
            (
                "elementType",
                Enum(&[
                    "bfloat16", "binary", "float16", "float32", "float64", "int8", "uint8",
                ]),
            ),
            (
                "distanceMetric",
                Enum(&["cosine", "dotProduct", "euclidean", "hamming", "manhattan"]),
            ),
            ("embeddingModel", Str),
            ("embeddingModelVersion", Str),
            ("normalized", Bool),
        ],
        &["dimensions"],
    );
    s.part(
        "lt:vector",
        "`logicalType: vector` properties",
        &[("logicalTypeOptions", Obj("opts.vector"))],
        &[],
    );
    // Without `logicalType`, the v3.2.0 schema applies the `map` case (which requires `map`) and
    // the `vector` case (whose options require `dimensions`) besides all the others.
    merge_logical_types(
        &mut s,
        Never("without `logicalType` the options of every type apply at once, and none fits all; declare the property's `logicalType`"),
        Some("declare the property's `logicalType`: without one, the ODCS v3.2.0 schema applies the `map` case, which needs `map`".into()),
    );
    s.obj(
        "enumValue",
        true,
        &[
            ("value", Scalar),
            ("label", Str),
            ("id", Pattern(&STABLE_ID)),
            ("description", Str),
            ("customProperties", CUSTOM),
            ("authoritativeDefinitions", AUTH),
            ("tags", TAGS),
        ],
        &["value"],
    );
    s.obj(
        "synonym",
        true,
        &[
            ("id", Pattern(&STABLE_ID)),
            ("synonym", Str),
            ("description", Str),
            ("locale", Str),
            ("source", Str),
            ("status", Str),
            ("customProperties", CUSTOM),
        ],
        &["synonym"],
    );
    s.add(
        "sla",
        &[
            ("customProperties", CUSTOM),
            ("authoritativeDefinitions", AUTH),
        ],
    );
    s.add("customProperty", &[("vendor", Str)]);
    for name in ["relationship.object", "relationship.property"] {
        let o = s.edit(name);
        for (k, ty) in o.fields.iter_mut() {
            if (*k == "from" && name == "relationship.object") || *k == "to" {
                *ty = Custom(references_32);
            }
        }
        o.fields.insert(0, ("id", Str));
    }
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
            assert_eq!(s.label, format!("ODCS {v}"));
        }
    }
}
