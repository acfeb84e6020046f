//! View models: what each template receives, computed from the catalog so templates stay simple.

use serde::Serialize;

use catalog::Catalog;
use model::diagnostics::Diagnostic;
use model::{Member, Property, QualityRule, SchemaProperty};

use super::markdown;

/// A link to another entity; `url` is None for things without a page.
#[derive(Debug, Clone, Serialize)]
pub struct Ref {
    pub id: String,
    pub name: String,
    pub url: Option<String>,
}

pub fn product_url(slug: &str) -> String {
    format!("products/{slug}/index.html")
}
pub fn contract_url(slug: &str) -> String {
    format!("contracts/{slug}/index.html")
}
pub fn team_url(slug: &str) -> String {
    format!("teams/{slug}/index.html")
}
pub fn domain_url(slug: &str) -> String {
    format!("domains/{slug}/index.html")
}

/// Links from the catalog's entities to their pages (a trait: the catalog type belongs to the
/// catalog stage, the URLs to this one).
pub trait CatalogRefs {
    fn product_ref(&self, index: usize) -> Ref;
    fn contract_ref(&self, index: usize) -> Ref;
    fn contract_ref_by_id(&self, id: &str) -> Option<Ref>;
    fn product_ref_by_id(&self, id: &str) -> Option<Ref>;
    fn team_ref(&self, id: Option<&str>) -> Option<Ref>;
    fn domain_ref(&self, id: Option<&str>) -> Option<Ref>;
}

impl CatalogRefs for Catalog {
    fn product_ref(&self, index: usize) -> Ref {
        let p = &self.products[index];
        Ref {
            id: p.id.clone(),
            name: p.name.clone(),
            url: Some(product_url(&p.slug)),
        }
    }

    fn contract_ref(&self, index: usize) -> Ref {
        let c = &self.contracts[index];
        Ref {
            id: c.id.clone(),
            name: c.name.clone(),
            url: Some(contract_url(&c.slug)),
        }
    }

    fn contract_ref_by_id(&self, id: &str) -> Option<Ref> {
        self.contract_by_id.get(id).map(|&i| self.contract_ref(i))
    }

    fn product_ref_by_id(&self, id: &str) -> Option<Ref> {
        self.product_by_id.get(id).map(|&i| self.product_ref(i))
    }

    /// A team, or a person where the owner is one (Backstage `user:…`): a person has no page of
    /// their own and links to their entry on their first team's page.
    fn team_ref(&self, id: Option<&str>) -> Option<Ref> {
        let id = id?;
        Some(match self.team(id) {
            Some(t) => Ref {
                id: t.id.clone(),
                name: t.name.clone(),
                url: Some(team_url(&t.slug)),
            },
            None => match self.person_by_id.get(id).map(|&i| &self.persons[i]) {
                Some(p) => Ref {
                    id: p.id.clone(),
                    name: p.name.clone().unwrap_or_else(|| p.id.clone()),
                    url: p
                        .teams
                        .iter()
                        .find_map(|t| self.team(t))
                        .map(|t| format!("{}#{}", team_url(&t.slug), person_anchor(&p.id))),
                },
                None => Ref {
                    id: id.to_string(),
                    name: id.to_string(),
                    url: None,
                },
            },
        })
    }

    fn domain_ref(&self, id: Option<&str>) -> Option<Ref> {
        let id = id?;
        Some(match self.domain(id) {
            Some(d) => Ref {
                id: d.id.clone(),
                name: d.name.clone(),
                url: Some(domain_url(&d.slug)),
            },
            None => Ref {
                id: id.to_string(),
                name: id.to_string(),
                url: None,
            },
        })
    }
}

#[derive(Debug, Serialize)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
    /// What the key means, where the file says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Structured values as `key.path: value` lines a reader can scan (`check.arguments.regex:
/// ^[A-Z]{2}$`), lists of plain values joined; scalars as they are.
pub fn flat_values(props: &[Property]) -> Vec<KeyValue> {
    let mut out = Vec::new();
    for p in props {
        let first = out.len();
        flatten_json(&p.key, &p.value, &mut out);
        if let Some(kv) = out.get_mut(first) {
            kv.description = p.description.clone();
        }
    }
    out
}

/// One structured value as `path: value` lines under `prefix`.
pub fn flatten_json(prefix: &str, value: &serde_json::Value, out: &mut Vec<KeyValue>) {
    use serde_json::Value;
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                flatten_json(&join(k), v, out);
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            out.push(KeyValue {
                key: prefix.to_string(),
                value: items.iter().map(scalar).collect::<Vec<_>>().join(", "),
                description: None,
            });
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten_json(&format!("{prefix}[{i}]"), v, out);
            }
        }
        other => out.push(KeyValue {
            key: prefix.to_string(),
            value: scalar(other),
            description: None,
        }),
    }
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub fn key_values(props: &[Property]) -> Vec<KeyValue> {
    props
        .iter()
        .map(|p| KeyValue {
            key: p.key.clone(),
            value: match &p.value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            },
            description: p.description.clone(),
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct Part {
    pub label: String,
    pub html: String,
}

pub fn parts(parts: &[model::Labelled]) -> Vec<Part> {
    parts
        .iter()
        .map(|p| Part {
            label: p.label.clone(),
            html: markdown::render(&p.text),
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct DiagnosticView {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
    pub location: String,
    /// The file inside its source with line and column (`broken/bad.odcs.yaml:3:1`), shown
    /// beside the source's name: `source/file` would read as a path that may not exist (a
    /// folder source deep in a repository, a git source named after its URL).
    pub place: String,
    pub source: String,
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl From<&Diagnostic> for DiagnosticView {
    fn from(d: &Diagnostic) -> Self {
        DiagnosticView {
            severity: d.severity.as_str(),
            code: d.code.as_str(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            location: d.location(),
            place: {
                let mut place = d.file.clone();
                if let Some(line) = d.line {
                    place.push_str(&format!(":{line}"));
                    if let Some(column) = d.column {
                        place.push_str(&format!(":{column}"));
                    }
                }
                place
            },
            source: d.source.clone(),
            file: d.file.clone(),
            line: d.line,
            column: d.column,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct RuleView<'a> {
    pub name: &'a Option<String>,
    pub kind: &'a Option<String>,
    pub summary: &'a str,
    pub dimension: &'a Option<String>,
    pub severity: &'a Option<String>,
    pub schedule: &'a Option<String>,
    /// The description where the summary does not already say it.
    pub description: Option<&'a str>,
    pub query: &'a Option<String>,
    /// A written implementation (text), or its parts as `path: value` lines.
    pub implementation_text: Option<&'a str>,
    pub implementation: Vec<KeyValue>,
    pub custom: Vec<KeyValue>,
    pub details: Vec<KeyValue>,
    /// Whether the rule has more to show than its one-line summary.
    pub more: bool,
}

pub fn rules(rules: &[QualityRule]) -> Vec<RuleView<'_>> {
    rules
        .iter()
        .map(|r| {
            let mut implementation = Vec::new();
            let implementation_text = match &r.implementation {
                Some(serde_json::Value::String(s)) => Some(s.as_str()),
                Some(other) => {
                    flatten_json("", other, &mut implementation);
                    None
                }
                None => None,
            };
            let mut view = RuleView {
                name: &r.name,
                kind: &r.kind,
                summary: &r.summary,
                dimension: &r.dimension,
                severity: &r.severity,
                schedule: &r.schedule,
                description: r
                    .description
                    .as_deref()
                    .filter(|d| !r.summary.contains(d.trim())),
                query: &r.query,
                implementation_text,
                implementation,
                custom: flat_values(&r.custom),
                details: flat_values(&r.details),
                more: false,
            };
            view.more = view.description.is_some()
                || view.query.is_some()
                || view.implementation_text.is_some()
                || !view.implementation.is_empty()
                || !view.custom.is_empty()
                || !view.details.is_empty();
            view
        })
        .collect()
}

/// One row of a schema table; nested properties are flattened with their depth. Only what the
/// row has is serialised (the template tests each field): a wide contract has thousands of rows,
/// most of them with a handful of the fields below.
#[derive(Debug, Serialize)]
pub struct RowView<'a> {
    pub depth: usize,
    pub name: &'a str,
    pub path: String,
    pub anchor: String,
    #[serde(skip_serializing_if = "absent")]
    pub logical_type: &'a Option<String>,
    #[serde(skip_serializing_if = "absent")]
    pub physical_type: &'a Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub primary_key: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pk_position: Option<i64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partitioned: bool,
    #[serde(skip_serializing_if = "absent")]
    pub classification: &'a Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pii: bool,
    #[serde(skip_serializing_if = "absent")]
    pub description: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub examples: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<String>,
    #[serde(skip_serializing_if = "absent")]
    pub references: &'a Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quality: Vec<RuleView<'a>>,
    #[serde(skip_serializing_if = "empty")]
    pub tags: &'a [String],
    #[serde(skip_serializing_if = "absent")]
    pub physical_name: &'a Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub type_options: Vec<KeyValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_position: Option<i64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub critical: bool,
    /// Foreign keys, each a link to the target column where it resolves.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<RelationView>,
    #[serde(skip_serializing_if = "empty")]
    pub definitions: &'a [model::Link],
    #[serde(skip_serializing_if = "empty")]
    pub transform: &'a [model::Labelled],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub custom: Vec<KeyValue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<KeyValue>,
    #[serde(skip_serializing_if = "absent")]
    pub business_name: &'a Option<String>,
    #[serde(skip_serializing_if = "absent")]
    pub semantic_type: &'a Option<String>,
    #[serde(skip_serializing_if = "empty")]
    pub enum_details: &'a [model::EnumValue],
    #[serde(skip_serializing_if = "empty")]
    pub synonyms: &'a [model::Synonym],
    /// The shared definition as written, and its anchor on this page when it is one of the
    /// contract's own definitions.
    #[serde(skip_serializing_if = "absent")]
    pub definition_ref: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition_anchor: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub config: Vec<KeyValue>,
    #[serde(skip_serializing_if = "empty")]
    pub notes: &'a [model::Labelled],
    #[serde(skip_serializing_if = "absent")]
    pub element_id: &'a Option<String>,
    /// The glossary term the column links to (set by the contract page, which knows the catalog).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<Ref>,
}

/// For `skip_serializing_if` on borrowed fields of [`RowView`].
fn absent<T>(value: &&Option<T>) -> bool {
    value.is_none()
}

fn empty<T>(value: &&[T]) -> bool {
    value.is_empty()
}

/// The anchor of a DCS definition on its contract's page.
pub fn definition_anchor(name: &str) -> String {
    anchor(&format!("definitions.{name}"))
}

/// A foreign key as shown: the reference as written, and a link where it resolves.
#[derive(Debug, Serialize)]
pub struct RelationView {
    pub to: String,
    /// Relative to the site root (with `#anchor`).
    pub url: Option<String>,
    /// The contract the link leads to, when it is another one.
    pub contract: Option<String>,
}

/// Resolves a reference to (site-relative url, other contract's name).
pub type Resolver<'r> = &'r dyn Fn(&str) -> Option<(String, Option<String>)>;

pub fn rows<'a>(object: &str, props: &'a [SchemaProperty]) -> Vec<RowView<'a>> {
    rows_with(object, props, &|_| None)
}

/// Which optional columns of a schema table some row fills (flags, classification): the table
/// leaves out a column that would be empty in every row.
pub fn schema_columns(rows: &[RowView]) -> serde_json::Value {
    let (flags, classification) = columns_of(rows);
    serde_json::json!({ "flags": flags, "classification": classification })
}

/// Whether some row fills the flags column, and the classification column.
pub fn columns_of(rows: &[RowView]) -> (bool, bool) {
    let flags = rows.iter().any(|r| {
        r.required
            || r.unique
            || r.primary_key
            || r.partitioned
            || r.partition_position.is_some()
            || r.critical
            || r.pii
    });
    let classification = rows.iter().any(|r| r.classification.is_some());
    (flags, classification)
}

/// Rows with foreign keys resolved to links.
pub fn rows_with<'a>(
    object: &str,
    props: &'a [SchemaProperty],
    resolve: Resolver<'_>,
) -> Vec<RowView<'a>> {
    let mut out = Vec::new();
    flatten(object, props, 1, "", resolve, &mut out);
    out
}

fn flatten<'a>(
    object: &str,
    props: &'a [SchemaProperty],
    depth: usize,
    prefix: &str,
    resolve: Resolver<'_>,
    out: &mut Vec<RowView<'a>>,
) {
    for p in props {
        let path = if prefix.is_empty() {
            p.name.clone()
        } else {
            format!("{prefix}.{}", p.name)
        };
        let join = |v: &[String]| (!v.is_empty()).then(|| v.join(", "));
        out.push(RowView {
            depth,
            name: &p.name,
            anchor: anchor(&format!("{object}.{path}")),
            logical_type: &p.logical_type,
            physical_type: &p.physical_type,
            required: p.required,
            unique: p.unique,
            primary_key: p.primary_key,
            pk_position: p.primary_key_position,
            partitioned: p.partitioned,
            classification: &p.classification,
            pii: p.pii,
            description: &p.description,
            examples: join(&p.examples),
            enum_values: join(&p.enum_values),
            references: &p.references,
            quality: rules(&p.quality),
            tags: &p.tags,
            physical_name: &p.physical_name,
            type_options: key_values(&p.type_options),
            partition_position: p.partition_key_position,
            critical: p.critical,
            relations: p
                .relationships
                .iter()
                .flat_map(|r| r.to.iter())
                .map(|to| {
                    let (url, contract) = match resolve(to) {
                        Some((url, contract)) => (Some(url), contract),
                        None => (None, None),
                    };
                    RelationView {
                        to: to.clone(),
                        url,
                        contract,
                    }
                })
                .collect(),
            definitions: &p.definitions,
            transform: &p.transform,
            custom: key_values(&p.custom),
            extensions: key_values(&p.extensions),
            business_name: &p.business_name,
            semantic_type: &p.semantic_type,
            enum_details: &p.enum_details,
            synonyms: &p.synonyms,
            definition_ref: &p.definition_ref,
            definition_anchor: p
                .definition_ref
                .as_deref()
                .and_then(|r| r.strip_prefix("#/definitions/"))
                .map(definition_anchor),
            config: key_values(&p.config),
            notes: &p.notes,
            element_id: &p.element_id,
            term: None,
            path: path.clone(),
        });
        flatten(object, &p.properties, depth + 1, &path, resolve, out);
    }
}

/// The anchor of a person's entry on a team page.
pub fn person_anchor(id: &str) -> String {
    format!("person-{}", model::slug::slug(id))
}

/// An HTML id from any text: stable, readable, safe.
pub fn anchor(text: &str) -> String {
    // Sized once: a wide contract takes one anchor per column.
    let mut s = String::with_capacity(text.len() + 2);
    s.push_str("c-");
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
            s.push(c.to_ascii_lowercase());
        } else {
            s.push('-');
        }
    }
    s
}

#[derive(Debug, Serialize)]
pub struct MemberView {
    /// The member's anchor on the page (`person-<id>`), which person owners link to.
    pub anchor: String,
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
    pub description: Option<String>,
    pub date_in: Option<String>,
    pub date_out: Option<String>,
    pub details: Vec<KeyValue>,
    /// The person's own page (`people/<slug>/`), relative to the site root.
    pub url: Option<String>,
}

/// Members with names and emails filled in from person records where the file left them out.
pub fn members(catalog: &Catalog, members: &[Member]) -> Vec<MemberView> {
    members
        .iter()
        .map(|m| {
            let person = catalog
                .person_by_id
                .get(&m.id)
                .map(|&i| &catalog.persons[i]);
            MemberView {
                anchor: person_anchor(&m.id),
                id: m.id.clone(),
                name: m
                    .name
                    .clone()
                    .or_else(|| person.and_then(|p| p.name.clone())),
                email: m
                    .email
                    .clone()
                    .or_else(|| person.and_then(|p| p.email.clone())),
                role: m.role.clone(),
                description: m.description.clone(),
                date_in: m.date_in.clone(),
                date_out: m.date_out.clone(),
                details: flat_values(&m.details),
                url: catalog
                    .people
                    .of_member(m)
                    .map(|p| crate::people_pages::person_url(&p.slug)),
            }
        })
        .collect()
}

/// First sentence-ish of a markdown description, as plain text for listings.
pub fn summary(text: Option<&str>, max: usize) -> Option<String> {
    let text = text?;
    let plain: String = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("```") && !l.starts_with('#') && !l.starts_with('|')
        })
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['*', '`', '_'], "");
    if plain.is_empty() {
        return None;
    }
    if plain.chars().count() <= max {
        return Some(plain);
    }
    let cut: String = plain.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    Some(format!("{cut}…"))
}

/// Data as shown: text as it is (CSV, a schema), a list of records as a table, anything else as
/// indented JSON.
#[derive(Debug, Serialize)]
pub struct DataView {
    pub text: Option<String>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn data(value: &serde_json::Value) -> DataView {
    use serde_json::Value;
    match value {
        Value::String(s) => DataView {
            text: Some(s.clone()),
            columns: Vec::new(),
            rows: Vec::new(),
        },
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object) => {
            let mut columns: Vec<String> = Vec::new();
            for item in items.iter().filter_map(Value::as_object) {
                for k in item.keys() {
                    if !columns.contains(k) {
                        columns.push(k.clone());
                    }
                }
            }
            let rows = items
                .iter()
                .filter_map(Value::as_object)
                .map(|item| {
                    columns
                        .iter()
                        .map(|c| item.get(c).map(scalar).unwrap_or_default())
                        .collect()
                })
                .collect();
            DataView {
                text: None,
                columns,
                rows,
            }
        }
        Value::Null => DataView {
            text: None,
            columns: Vec::new(),
            rows: Vec::new(),
        },
        other => DataView {
            text: Some(serde_json::to_string_pretty(other).unwrap_or_default()),
            columns: Vec::new(),
            rows: Vec::new(),
        },
    }
}

#[derive(Debug, Serialize)]
pub struct ExampleView<'a> {
    pub kind: &'a Option<String>,
    pub model: &'a Option<String>,
    pub description: &'a Option<String>,
    pub data: DataView,
}

pub fn examples(examples: &[model::Example]) -> Vec<ExampleView<'_>> {
    examples
        .iter()
        .map(|e| ExampleView {
            kind: &e.kind,
            model: &e.model,
            description: &e.description,
            data: data(&e.data),
        })
        .collect()
}

/// Tables grouped by their section, in the order the sections first appear.
pub fn table_sections(tables: &[model::Table]) -> Vec<serde_json::Value> {
    let mut sections: Vec<(&str, Vec<serde_json::Value>)> = Vec::new();
    for t in tables {
        let rows: Vec<Vec<serde_json::Value>> = t
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| serde_json::json!({ "text": cell, "pre": cell.trim_end().contains('\n') }))
                    .collect()
            })
            .collect();
        let table = serde_json::json!({
            "caption": t.caption, "description": t.description, "columns": t.columns, "rows": rows,
        });
        match sections.iter_mut().find(|(s, _)| *s == t.section) {
            Some((_, list)) => list.push(table),
            None => sections.push((&t.section, vec![table])),
        }
    }
    sections
        .into_iter()
        .map(|(section, tables)| {
            serde_json::json!({ "title": section, "anchor": anchor(section), "tables": tables })
        })
        .collect()
}
