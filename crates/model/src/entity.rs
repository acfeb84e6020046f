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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_column: Option<u32>,
    /// A hash of the document's text: documents repeated word for word share it (and are read
    /// once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    pub content: Option<String>,
}

/// A key and value kept as written: custom properties and unknown (extension) fields.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Property {
    pub key: String,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// Standard a document was written to, e.g. "ODCS v3.1.0".
#[derive(Debug, Clone, Serialize, PartialEq)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Labelled {
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
}

/// A contract named together with one of its versions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ContractVersion {
    pub id: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Support {
    pub channel: String,
    pub url: Option<String>,
    pub tool: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// Person id (username or email) when known.
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
}

/// A foreign key: this property (or object) refers to `to` (`table.column` or a contract path).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Relationship {
    pub kind: Option<String>,
    pub from: Vec<String>,
    pub to: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaObject {
    pub name: String,
    pub physical_name: Option<String>,
    pub kind: Option<String>,
    pub business_name: Option<String>,
    pub description: Option<String>,
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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QualityRule {
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
    pub threshold: Option<serde_json::Value>,
    /// Metric, query, engine and the other details of the rule, as written.
    pub details: Vec<Property>,
    /// Metric, operator and threshold, where the rule states them (evaluated against snapshots).
    #[serde(default)]
    pub check: Option<crate::measure::Check>,
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
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceSystem {
    pub id: String,
    pub name: String,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub origin: Origin,
}
