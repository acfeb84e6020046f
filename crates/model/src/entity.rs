//! The normalised model every standard maps into. Templates and catalog.json read only this.

use serde::{Deserialize, Serialize};

/// Where an entity was read from.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub struct Origin {
    /// The source (repository) name as configured.
    pub source: String,
    /// Path of the file inside its source, with `/` separators.
    pub path: String,
    /// 1-based line of the document in the file (multi-document YAML).
    pub line: u32,
    /// Git sources: the ref that was read (branch, tag or commit as configured).
    #[serde(rename = "ref")]
    pub git_ref: Option<String>,
    /// Git sources: the commit id that was read.
    pub commit: Option<String>,
    /// Git sources: the last commit that changed this file.
    pub last_change: Option<Change>,
    /// Link to the file in the code host, from the source's `web` pattern.
    pub web_url: Option<String>,
    /// 1-based line and column of the key that holds the entity's id, where it was found
    /// (diagnostics about the id point there rather than at the document's start).
    #[serde(default, skip_serializing_if = "crate::cache_form::skip_none")]
    pub id_line: Option<u32>,
    #[serde(default, skip_serializing_if = "crate::cache_form::skip_none")]
    pub id_column: Option<u32>,
    /// A hash of the document's text: documents repeated word for word share it (and are read
    /// once).
    #[serde(default, skip_serializing_if = "crate::cache_form::skip_none")]
    pub fingerprint: Option<String>,
}

impl Origin {
    /// Line and column of the entity's id key, or the document's first line.
    pub fn id_pos(&self) -> (u32, u32) {
        match (self.id_line, self.id_column) {
            (Some(line), Some(column)) if line > 0 => (line, column.max(1)),
            _ => (self.line.max(1), 1),
        }
    }
}

/// One version of a product or contract: what its pages and catalog.json list about it. The
/// entity itself is (kind, id); its versions are (id, version).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    /// The version as declared (None: the document declares none).
    pub version: Option<String>,
    pub status: Option<String>,
    /// The version the entity's page, listings, lineage and search show.
    pub current: bool,
    /// Path segment of the version's own page (`v/<slug>/`); unique among the entity's versions.
    pub slug: String,
    pub origin: Origin,
}

/// One commit, as provenance.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub commit: String,
    pub author: String,
    pub email: String,
    /// Author time, ISO 8601 in UTC.
    pub time: String,
    /// Author time as seconds since the epoch (for sorting and ages).
    pub timestamp: i64,
    /// First line of the commit message.
    pub summary: String,
}

/// A file as it was at one commit that changed it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FileVersion {
    pub change: Change,
    /// The file's text at that commit (kept for contract files only; not written to catalog.json).
    /// Shared, not copied: the newest version's text is the contract's `source_text` too.
    pub content: Option<std::sync::Arc<str>>,
}

/// A key and value kept as written: custom properties and unknown (extension) fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Property {
    pub key: String,
    #[serde(default, with = "crate::cache_form::value")]
    pub value: serde_json::Value,
    /// What the custom property means, where the file says (ODCS/ODPS v3.1+ `description`).
    #[serde(default, skip_serializing_if = "crate::cache_form::skip_none")]
    pub description: Option<String>,
}

/// A link as written: its target, the title a reader sees, and (for authoritative definitions)
/// what kind of definition it is and what it says.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    pub title: String,
    /// Any scheme as written (`https:`, `jdbc:`, `s3://`); only http(s) and mailto become links
    /// on pages.
    pub url: String,
    /// The link's type (`businessDefinition`, `implementation`, SBOM `external`, …).
    pub kind: Option<String>,
    /// A description beside the title, where the file gives both.
    pub description: Option<String>,
}

impl Link {
    pub fn new(title: impl Into<String>, url: impl Into<String>) -> Link {
        Link {
            title: title.into(),
            url: url.into(),
            ..Link::default()
        }
    }
}

/// An alternative name of a product, port or schema element (ODPS/ODCS `synonyms`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Synonym {
    pub synonym: String,
    pub description: Option<String>,
    pub locale: Option<String>,
    pub source: Option<String>,
    pub status: Option<String>,
}

/// Guidance for AI agents and semantic tools (ODPS v1.1 / ODCS v3.2 `context`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Guidance {
    /// Natural language instructions on how to use the data.
    pub instructions: Option<String>,
    /// Canonical business questions, with their curated answers where given.
    pub statements: Vec<Statement>,
    /// What agents must not do.
    pub constraints: Vec<String>,
    /// Anything else the block holds, as written.
    pub details: Vec<Property>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Statement {
    pub question: String,
    pub answer: Option<String>,
}

/// The team block written inside a product or contract (ODPS `team`, ODCS v3.1 `team`): the
/// owner's own words about itself; members are kept on the entity.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TeamInfo {
    pub name: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub links: Vec<Link>,
    pub custom: Vec<Property>,
}

/// A table of a section that the model has no dedicated type for (opendataproducts.org `SLA` and
/// `dataQuality` packages): columns and rows as text, ready to show.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Table {
    /// The key of the section as written (`SLA`); its raw value is kept as a custom property of
    /// that name for catalog.json, which the page leaves out since the table shows it.
    pub key: Option<String>,
    /// The section it belongs to, e.g. "Service level agreement".
    pub section: String,
    /// e.g. "Premium package — declarative".
    pub caption: Option<String>,
    pub description: Option<String>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Example data (DCS `examples`), or a schema written in another language (DCS 0.9 `schema`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    /// csv, json, yaml, avro, …
    pub kind: Option<String>,
    /// The model the example belongs to.
    pub model: Option<String>,
    pub description: Option<String>,
    /// The data as written: text (CSV, a schema) or structured (a list of records).
    #[serde(default, with = "crate::cache_form::value")]
    pub data: serde_json::Value,
}

/// A management port of a product (Bitol ODPS `managementPorts`): where it is managed, observed or
/// discovered.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ManagementPort {
    pub name: String,
    /// discoverability, observability, control, dictionary, …
    pub content: Option<String>,
    /// rest or topic.
    pub kind: Option<String>,
    pub url: Option<String>,
    pub channel: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub tags: Vec<String>,
    pub links: Vec<Link>,
    pub custom: Vec<Property>,
    /// Other fields, as written.
    pub details: Vec<Property>,
}

/// One allowed value of a property, with its label and meaning (ODCS v3.2 `enum` objects).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EnumValue {
    pub value: String,
    pub label: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub definitions: Vec<Link>,
    pub custom: Vec<Property>,
}

/// Where a key stands in its file, for diagnostics raised after reading.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct At {
    pub line: u32,
    pub column: u32,
}

/// Standard a document was written to, e.g. "ODCS v3.1.0".
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Standard {
    /// Short machine name: odcs, odps, dcs, dps, backstage.
    pub family: &'static str,
    /// Human label with version, e.g. "ODCS v3.1.0".
    pub label: String,
}

/// How a standard is read back from the cache.
#[derive(Deserialize)]
struct StandardRepr {
    family: String,
    label: String,
}

impl<'de> Deserialize<'de> for Standard {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = StandardRepr::deserialize(d)?;
        Ok(Standard {
            family: crate::diagnostics::intern(r.family),
            label: r.label,
        })
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataProduct {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub version: Option<String>,
    pub domain: Option<String>,
    /// Team id of the owner.
    pub owner: Option<String>,
    pub status: Option<String>,
    /// source-aligned / aggregate / consumer-aligned (or what the manifest says).
    pub archetype: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    /// Extra labelled description parts (purpose, usage, limitations) as markdown.
    pub description_parts: Vec<Labelled>,
    pub tags: Vec<String>,
    pub input_ports: Vec<InputPort>,
    pub output_ports: Vec<OutputPort>,
    pub links: Vec<Link>,
    pub support: Vec<Support>,
    pub members: Vec<Member>,
    pub custom: Vec<Property>,
    /// Fields the standard does not define, kept and shown as extensions.
    pub extensions: Vec<Property>,
    pub standard: Standard,
    pub origin: Origin,
    /// The organisation the product belongs to (ODPS `tenant`).
    pub tenant: Option<String>,
    /// When the product was created, as written (ODPS `productCreatedTs`).
    pub created: Option<String>,
    /// Marked deprecated by its owner (ODPS v1.1 `deprecated: true`).
    pub deprecated: bool,
    pub synonyms: Vec<Synonym>,
    pub guidance: Option<Guidance>,
    pub management_ports: Vec<ManagementPort>,
    /// The owner team's own block (name, description, tags) as the manifest writes it.
    pub team: Option<TeamInfo>,
    /// Sections shown as tables (opendataproducts.org SLA and data quality packages).
    pub tables: Vec<Table>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Labelled {
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputPort {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub version: Option<String>,
    pub kind: Option<String>,
    /// The contract this port consumes (Bitol ODPS).
    pub contract_id: Option<String>,
    /// The upstream product, as declared or resolved through the contract.
    pub source_product: Option<String>,
    /// The upstream output port where known.
    pub source_port: Option<String>,
    /// A source system that is not a data product (DPS `sourceSystemId`).
    pub source_system: Option<String>,
    pub custom: Vec<Property>,
    /// Line of the port in its file, for diagnostics.
    pub line: u32,
    /// Where the port reads from, as written (DPS `location`).
    pub location: Option<String>,
    pub deprecated: bool,
    pub tags: Vec<String>,
    /// Links and authoritative definitions of the port.
    pub links: Vec<Link>,
    /// Other fields of the port, as written.
    pub details: Vec<Property>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputPort {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub version: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    /// Server or location the data is served from.
    pub server: Option<String>,
    pub contract_id: Option<String>,
    pub contains_pii: Option<bool>,
    /// Contracts this port is built from (Bitol ODPS `inputContracts`).
    pub input_contracts: Vec<String>,
    /// The versions of them it names (Bitol ODPS `inputContracts[].version`).
    #[serde(default)]
    pub input_contract_versions: Vec<ContractVersion>,
    pub tags: Vec<String>,
    pub links: Vec<Link>,
    pub custom: Vec<Property>,
    /// Line of the port in its file, for diagnostics.
    pub line: u32,
    /// Where the data is, as written (DPS `location`: an ARN, a table, a topic).
    pub location: Option<String>,
    /// Software bills of materials (Bitol ODPS `sbom`).
    pub sbom: Vec<Link>,
    pub deprecated: bool,
    pub synonyms: Vec<Synonym>,
    pub guidance: Option<Guidance>,
    /// Other fields of the port, as written.
    pub details: Vec<Property>,
}

/// A contract named together with one of its versions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ContractVersion {
    pub id: String,
    pub version: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Support {
    pub channel: String,
    pub url: Option<String>,
    pub tool: Option<String>,
    pub description: Option<String>,
    /// interactive, announcements, issues.
    pub scope: Option<String>,
    pub invitation_url: Option<String>,
    /// Other fields of the channel, as written.
    pub details: Vec<Property>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// Person id (username or email) when known.
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
    pub description: Option<String>,
    /// When the person joined and left the team, as written.
    pub date_in: Option<String>,
    pub date_out: Option<String>,
    /// Other fields (replacedByUsername, tags, custom properties, …), as written.
    pub details: Vec<Property>,
}

impl Member {
    pub fn new(id: impl Into<String>) -> Member {
        Member {
            id: id.into(),
            ..Member::default()
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataContract {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub version: Option<String>,
    pub status: Option<String>,
    pub domain: Option<String>,
    pub owner: Option<String>,
    /// The product this contract belongs to, when the contract says so.
    pub data_product: Option<String>,
    pub description: Option<String>,
    pub description_parts: Vec<Labelled>,
    pub tags: Vec<String>,
    pub schema: Vec<SchemaObject>,
    /// Contract-level quality rules.
    pub quality: Vec<QualityRule>,
    pub sla: Vec<SlaProperty>,
    pub servers: Vec<Server>,
    pub support: Vec<Support>,
    pub members: Vec<Member>,
    pub roles: Vec<Role>,
    pub pricing: Option<String>,
    pub terms: Vec<Labelled>,
    pub links: Vec<Link>,
    pub custom: Vec<Property>,
    pub extensions: Vec<Property>,
    pub standard: Standard,
    pub origin: Origin,
    /// Git sources: the commits that changed the contract's file, newest first.
    pub history: Vec<FileVersion>,
    /// The file's text as read, for the raw YAML view and download (kept in the parse cache,
    /// left out of catalog.json).
    pub source_text: Option<std::sync::Arc<str>>,
    /// The reader read this contract exactly as `meshdoc diff` reads the text of its newest
    /// history version alone (one contract in the file, no `$ref` to other files): the changelog
    /// takes it as that version instead of parsing the same text again. Never stored or shown.
    #[serde(skip)]
    pub read_as_newest_version: bool,
    /// Where `dataProduct` is written, for a reference that no product resolves (left out of
    /// catalog.json).
    pub data_product_at: Option<At>,
    /// The organisation the contract belongs to (ODCS `tenant`).
    pub tenant: Option<String>,
    /// When the contract was created, as written (ODCS `contractCreatedTs`).
    pub created: Option<String>,
    /// Example data (DCS `examples`).
    pub examples: Vec<Example>,
    /// Reusable field definitions (DCS `definitions`), each shown once and linked from its fields.
    pub definitions: Vec<SchemaProperty>,
    /// A schema written in another language (DCS 0.9 `schema: {type, specification}`).
    pub schema_specification: Option<Example>,
    /// The owner team's own block (ODCS v3.1 `team`).
    pub team: Option<TeamInfo>,
    pub guidance: Option<Guidance>,
}

/// A foreign key: this property (or object) refers to `to` (`table.column` or a contract path).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Relationship {
    pub kind: Option<String>,
    pub from: Vec<String>,
    pub to: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaObject {
    pub name: String,
    pub physical_name: Option<String>,
    pub kind: Option<String>,
    pub business_name: Option<String>,
    pub description: Option<String>,
    #[serde(with = "crate::cache_form::schema_properties")]
    pub properties: Vec<SchemaProperty>,
    pub quality: Vec<QualityRule>,
    pub custom: Vec<Property>,
    /// Authoritative definitions (business glossary, implementation) of the object.
    pub definitions: Vec<Link>,
    pub tags: Vec<String>,
    pub granularity: Option<String>,
    /// Object-level foreign keys.
    pub relationships: Vec<Relationship>,
    /// Fields the standard does not define here, kept and shown as extensions.
    pub extensions: Vec<Property>,
    /// The logical type where `kind` shows the physical one (ODCS `logicalType: object`).
    pub logical_type: Option<String>,
    /// The element's stable id (ODCS v3.1 `id`), for references that survive renames.
    pub element_id: Option<String>,
    /// The primary key as the object states it (DCS `primaryKey: [a, b]`).
    pub primary_key: Vec<String>,
    /// Example rows (DCS model `examples`), as written.
    pub examples: Vec<String>,
    pub synonyms: Vec<Synonym>,
    pub guidance: Option<Guidance>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaProperty {
    pub name: String,
    pub business_name: Option<String>,
    pub logical_type: Option<String>,
    pub physical_type: Option<String>,
    pub description: Option<String>,
    pub required: bool,
    pub unique: bool,
    pub primary_key: bool,
    pub primary_key_position: Option<i64>,
    pub partitioned: bool,
    pub classification: Option<String>,
    pub pii: bool,
    pub examples: Vec<String>,
    pub enum_values: Vec<String>,
    pub references: Option<String>,
    pub tags: Vec<String>,
    pub quality: Vec<QualityRule>,
    pub custom: Vec<Property>,
    /// Nested properties (objects, arrays of objects).
    #[serde(with = "crate::cache_form::schema_properties")]
    pub properties: Vec<SchemaProperty>,
    pub physical_name: Option<String>,
    /// Options of the logical type (maxLength, minimum, format, …), as written.
    pub type_options: Vec<Property>,
    pub partition_key_position: Option<i64>,
    /// Critical data element.
    pub critical: bool,
    pub relationships: Vec<Relationship>,
    /// Authoritative definitions of the property.
    pub definitions: Vec<Link>,
    /// How the value is derived: transform logic, description and source objects.
    pub transform: Vec<Labelled>,
    /// Fields the standard does not define here, kept and shown as extensions.
    pub extensions: Vec<Property>,
    /// Column-level lineage: the columns or objects this one is derived from, as written
    /// (ODCS `transformSourceObjects`; DCS `lineage.inputFields` as `name.field`).
    pub lineage: Vec<String>,
    /// What the value means (ODCS v3.2 `semanticType`).
    pub semantic_type: Option<String>,
    /// The element's stable id (ODCS v3.1 `id`), for references that survive renames.
    pub element_id: Option<String>,
    /// Allowed values with their labels and meanings (ODCS v3.2 `enum` objects).
    pub enum_details: Vec<EnumValue>,
    pub synonyms: Vec<Synonym>,
    /// The shared definition this field uses, as written (DCS `$ref: '#/definitions/sku'`).
    pub definition_ref: Option<String>,
    /// Tool-specific settings (DCS `config`: `oracleType`, `jsonFormat`, …), as written.
    pub config: Vec<Property>,
    /// Labelled facts of the element's parts (array items: name, description, examples).
    pub notes: Vec<Labelled>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QualityRule {
    /// The rule's `id` (ODCS v3.1): test results name the rule they checked by it.
    #[serde(default)]
    pub id: Option<String>,
    pub name: Option<String>,
    /// library / sql / text / custom.
    pub kind: Option<String>,
    /// A readable sentence, e.g. "row count must be greater than 1000".
    pub summary: String,
    pub dimension: Option<String>,
    pub severity: Option<String>,
    pub schedule: Option<String>,
    /// The comparison key as written (`mustBeGreaterThan`, …) and its threshold, for diffs.
    pub operator: Option<String>,
    #[serde(default, with = "crate::cache_form::option_value")]
    pub threshold: Option<serde_json::Value>,
    /// Metric, query, engine and the other details of the rule, as written.
    pub details: Vec<Property>,
    /// Metric, operator and threshold, where the rule states them (evaluated against snapshots).
    #[serde(default)]
    pub check: Option<crate::measure::Check>,
    pub description: Option<String>,
    /// The SQL (or other) query of the rule, as written.
    pub query: Option<String>,
    /// The engine-specific implementation, as written: text or structured.
    #[serde(default, with = "crate::cache_form::option_value")]
    pub implementation: Option<serde_json::Value>,
    pub custom: Vec<Property>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlaProperty {
    pub property: String,
    pub value: String,
    pub unit: Option<String>,
    pub element: Option<String>,
    pub driver: Option<String>,
    pub description: Option<String>,
    /// The value as a number for evaluation: seconds for durations, a ratio (0–1) for availability.
    #[serde(default)]
    pub threshold: Option<f64>,
    /// When it is checked (ODCS `schedule`, with its `scheduler`).
    pub schedule: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Server {
    pub name: String,
    pub kind: Option<String>,
    pub environment: Option<String>,
    /// The remaining connection details, as written.
    pub details: Vec<Property>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub name: String,
    pub access: Option<String>,
    pub description: Option<String>,
    /// First- and second-level approvers, as written.
    pub approvers: Vec<String>,
    /// Custom properties and other fields of the role, as written.
    pub details: Vec<Property>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub kind: Option<String>,
    pub description: Option<String>,
    pub domain: Option<String>,
    pub parent: Option<String>,
    pub email: Option<String>,
    pub members: Vec<Member>,
    pub links: Vec<Link>,
    pub custom: Vec<Property>,
    /// None for a team that only appears as an owner reference.
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub teams: Vec<String>,
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Domain {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub owner: Option<String>,
    pub parent: Option<String>,
    pub links: Vec<Link>,
    pub origin: Option<Origin>,
}

/// A data usage agreement (DPS): a consumer product uses a provider product's output port.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Agreement {
    pub id: String,
    pub provider_product: String,
    pub provider_port: Option<String>,
    pub consumer_product: Option<String>,
    pub consumer_team: Option<String>,
    pub purpose: Option<String>,
    pub status: Option<String>,
    pub origin: Origin,
}

/// A system that feeds data products but is not one (DPS source system, Backstage System).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceSystem {
    pub id: String,
    pub name: String,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub origin: Origin,
    /// The domain the system belongs to (Backstage `System.spec.domain`).
    pub domain: Option<String>,
}

/// A business term of the glossary: read from a definitions file (`definitions/<domain>/<term>.yaml`),
/// from a DCS contract's own `definitions`, or known only by the URL of an authoritative
/// definition that names it (an external term).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Term {
    pub id: String,
    pub slug: String,
    /// What a reader sees: `title`, else `name`, else the id.
    pub name: String,
    pub description: Option<String>,
    /// The term's data type as the definition gives it (`type`: string, integer, …).
    pub kind: Option<String>,
    pub example: Option<String>,
    /// Whether values of the term are personal data; None: the definition does not say.
    pub pii: Option<bool>,
    pub classification: Option<String>,
    /// Team id of the owner.
    pub owner: Option<String>,
    pub domain: Option<String>,
    pub tags: Vec<String>,
    pub synonyms: Vec<String>,
    /// Links and authoritative definitions of the term; an external term's own URL is first.
    pub links: Vec<Link>,
    /// Where the term comes from: `definitions` (a definitions file), `contract` (a DCS
    /// contract's `definitions`), `external` (only an authoritative definition's URL names it).
    pub source_kind: String,
    /// The DCS contract whose `definitions` section defines it.
    pub contract: Option<String>,
    /// The file (and line) of the definition; for an external term, the first reference to it.
    pub origin: Origin,
}
