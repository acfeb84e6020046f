//! Formats: recognise each YAML document by its top-level keys and map it into the model.

pub mod backstage;
pub mod dcs;
pub mod dpds;
pub mod dps;
pub mod metrics;
pub mod odcs;
pub mod odps;
pub mod opendataproducts;
pub mod quality;
pub mod read;
pub mod validate;

use model::diagnostics::Diagnostic;
use model::yaml::{self, Node};
use model::Code;
use model::SourceFile;
use model::{Agreement, DataContract, DataProduct, Domain, Origin, Person, SourceSystem, Team};
use read::Ctx;

/// One recognised document, already in the normalised model.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Document {
    Product(Box<DataProduct>),
    Contract(Box<DataContract>),
    Team(Team),
    Person(Person),
    Domain(Domain),
    Agreement(Agreement),
    System(SourceSystem),
    /// Metric snapshots of one file (YAML `kind: MetricSnapshot` or a CSV series).
    Metrics(Box<model::measure::MetricBatch>),
}

/// The documents of one file and what was wrong with it.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ParsedFile {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Which standard a document follows, decided from its top-level keys alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Odcs,
    Odps,
    Dcs,
    DpsProduct,
    DpsAgreement,
    DpsTeam,
    DpsSourceSystem,
    Backstage,
    /// Open Data Product Specification (opendataproducts.org).
    OpenDataProducts,
    /// Open Data Mesh Data Product Descriptor Specification.
    Dpds,
    /// meshdoc's own metric snapshot (`apiVersion: meshdoc/v1`, `kind: MetricSnapshot`).
    MetricSnapshot,
}

/// Words whose presence makes an unreadable file worth an error rather than a warning.
const MANIFEST_MARKERS: &[&str] = &[
    "dataContractSpecification",
    "dataProductSpecification",
    "dataUsageAgreementSpecification",
    "kind: DataContract",
    "kind: DataProduct",
    "apiVersion",
    "outputPorts",
    "dataProductDescriptor",
    "opendataproducts.org",
    "kind: MetricSnapshot",
];

pub fn sniff(doc: &Node) -> Option<Kind> {
    if !doc.is_map() {
        return None;
    }
    let has = |k: &str| doc.get(k).is_some();
    let text = |k: &str| doc.get(k).and_then(Node::scalar_text).unwrap_or_default();
    if has("dataContractSpecification") {
        return Some(Kind::Dcs);
    }
    if has("dataProductSpecification") {
        return Some(Kind::DpsProduct);
    }
    if has("dataUsageAgreementSpecification") {
        return Some(Kind::DpsAgreement);
    }
    if has("dataProductDescriptor") {
        return Some(Kind::Dpds);
    }
    let api = text("apiVersion");
    let kind = text("kind");
    if api.starts_with("backstage.io/") {
        return Some(Kind::Backstage);
    }
    if kind == "DataContract" {
        return Some(Kind::Odcs);
    }
    if kind == "DataProduct" && has("apiVersion") {
        return Some(Kind::Odps);
    }
    if kind == "MetricSnapshot" && (api.is_empty() || api.starts_with("meshdoc/")) {
        return Some(Kind::MetricSnapshot);
    }
    if has("kind") || has("apiVersion") {
        return None;
    }
    // Open Data Product Specification: its schema URL, or `product.details` without it.
    if text("schema").contains("opendataproducts.org")
        || doc
            .get("product")
            .and_then(|p| p.get("details"))
            .is_some_and(Node::is_map)
    {
        return Some(Kind::OpenDataProducts);
    }
    // DPS files without their version key, as many real repositories have them.
    if has("id")
        && doc.get("info").is_some_and(Node::is_map)
        && (has("outputPorts") || has("inputPorts"))
    {
        return Some(Kind::DpsProduct);
    }
    let keys_within = |allowed: &[&str]| {
        doc.entries()
            .iter()
            .all(|(k, _)| allowed.contains(&k.text.as_str()))
    };
    const TEAM_KEYS: &[&str] = &[
        "id",
        "name",
        "type",
        "description",
        "members",
        "tags",
        "links",
        "custom",
        "domain",
        "parent",
    ];
    if has("id") && has("name") && has("members") && keys_within(TEAM_KEYS) {
        return Some(Kind::DpsTeam);
    }
    const SYSTEM_KEYS: &[&str] = &[
        "id",
        "name",
        "owner",
        "description",
        "tags",
        "links",
        "custom",
        "type",
    ];
    if has("id") && has("name") && has("owner") && keys_within(SYSTEM_KEYS) {
        return Some(Kind::DpsSourceSystem);
    }
    None
}

/// Parse one file into model documents. Never fails: problems become diagnostics.
pub fn parse_file(file: &SourceFile) -> ParsedFile {
    parse_file_with(file, &crate::validate::user::UserSchemas::default())
}

/// Like [`parse_file`], also checking documents against the user's JSON Schemas.
pub fn parse_file_with(
    file: &SourceFile,
    schemas: &crate::validate::user::UserSchemas,
) -> ParsedFile {
    let origin = &file.origin;
    let mut parsed = ParsedFile::default();
    let text = match std::str::from_utf8(&file.bytes) {
        Ok(t) => t,
        Err(e) => {
            let (line, column) = line_col(&file.bytes, e.valid_up_to());
            parsed.diagnostics.push(
                Diagnostic::error(Code::NotUtf8, "file is not valid UTF-8 text")
                    .at_file(&origin.source, &origin.path)
                    .at(line, column)
                    .hint("save the file as UTF-8 (most editors offer this under 'encoding')"),
            );
            return parsed;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if origin.path.to_ascii_lowercase().ends_with(".csv") {
        // CSV files carry metric series.
        let (batch, diagnostics) = metrics::parse_csv(text, origin);
        parsed
            .documents
            .extend(batch.map(|b| Document::Metrics(Box::new(b))));
        parsed.diagnostics = diagnostics;
        return parsed;
    }
    if text.trim().is_empty() {
        if is_yaml_name(&origin.path) {
            parsed.diagnostics.push(
                Diagnostic::warning(Code::EmptyFile, "file is empty")
                    .at_file(&origin.source, &origin.path)
                    .hint("delete the file or fill in the manifest"),
            );
        }
        return parsed;
    }
    let docs = match yaml::parse_documents(text) {
        Ok(docs) => docs,
        Err(e) => {
            let looks_like_manifest = MANIFEST_MARKERS.iter().any(|m| text.contains(m));
            let mut d = if looks_like_manifest {
                Diagnostic::error(Code::YamlSyntax, format!("cannot read YAML: {}", e.message))
            } else {
                Diagnostic::warning(Code::YamlSyntax, format!("cannot read YAML: {}", e.message))
            };
            d = d
                .at_file(&origin.source, &origin.path)
                .hint(syntax_hint(text, &e));
            if let Some(pos) = e.pos {
                d = d.at(pos.line, pos.column);
            }
            parsed.diagnostics.push(d);
            return parsed;
        }
    };
    let shared_text: std::sync::Arc<str> = std::sync::Arc::from(text);
    for doc in &docs {
        let Some(kind) = sniff(doc) else { continue };
        let doc_origin = Origin {
            line: doc.pos.line,
            ..origin.clone()
        };
        let mut ctx = Ctx::new(&doc_origin);
        check_placeholders(&mut ctx, doc);
        match kind {
            Kind::Odcs => odcs::parse(&mut ctx, doc, &mut parsed.documents),
            Kind::Odps => odps::parse(&mut ctx, doc, &mut parsed.documents),
            Kind::Dcs => dcs::parse(&mut ctx, doc, &mut parsed.documents),
            Kind::DpsProduct => dps::parse_product(&mut ctx, doc, &mut parsed.documents),
            Kind::DpsAgreement => dps::parse_agreement(&mut ctx, doc, &mut parsed.documents),
            Kind::DpsTeam => dps::parse_team(&mut ctx, doc, &mut parsed.documents),
            Kind::DpsSourceSystem => dps::parse_system(&mut ctx, doc, &mut parsed.documents),
            Kind::Backstage => backstage::parse(&mut ctx, doc, &mut parsed.documents),
            Kind::OpenDataProducts => opendataproducts::parse(&mut ctx, doc, &mut parsed.documents),
            Kind::Dpds => dpds::parse(&mut ctx, doc, &mut parsed.documents),
            Kind::MetricSnapshot => metrics::parse_snapshot(&mut ctx, doc, &mut parsed.documents),
        }
        schema_diagnostics(&mut ctx, doc, kind, schemas);
        for d in parsed.documents.iter_mut() {
            if let Document::Contract(c) = d {
                if c.source_text.is_none() {
                    c.source_text = Some(shared_text.clone());
                }
            }
        }
        parsed.diagnostics.extend(ctx.diagnostics);
    }
    if !file.history.is_empty() {
        for doc in parsed.documents.iter_mut() {
            if let Document::Contract(c) = doc {
                c.history = file.history.clone();
            }
        }
    }
    parsed
}

fn is_yaml_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// A template that was never filled in (`{{TEAM_NAME}}`) is a manifest nobody finished.
fn check_placeholders(ctx: &mut Ctx, doc: &Node) {
    let mut first = None;
    let mut count = 0usize;
    doc.walk(&mut |n| {
        if let yaml::Value::Str(s) = &n.value {
            if let Some(start) = s.find("{{") {
                if s[start..].contains("}}") {
                    count += 1;
                    if first.is_none() {
                        first = Some((n.pos, s.clone()));
                    }
                }
            }
        }
    });
    if let Some((pos, value)) = first {
        ctx.warn_at(
            pos,
            Code::TemplatePlaceholder,
            format!("unfilled template placeholder {value:?} ({count} in this document)"),
            "replace the {{...}} placeholders with real values before publishing this manifest",
        );
    }
}

fn syntax_hint(text: &str, e: &yaml::YamlError) -> String {
    let line = e
        .pos
        .and_then(|p| text.lines().nth(p.line.saturating_sub(1) as usize))
        .unwrap_or("");
    if line.contains('\t') {
        "YAML does not allow tabs for indentation; use spaces".into()
    } else if line.contains("{{") || line.contains("{%") {
        "this looks like an unrendered template; render it before committing, or quote the value"
            .into()
    } else if e.message.contains("duplicate") {
        "each key may appear only once in a mapping; remove or rename the repeated key".into()
    } else {
        "check the indentation and quoting around this line (values containing ': ' or '#' need quotes)".into()
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(bytes: &[u8], offset: usize) -> (u32, u32) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line as u32, col as u32)
}

/// Diagnostics from the standard's own rules and the user's schemas; a place the reader already
/// reported on is not reported twice.
fn schema_diagnostics(
    ctx: &mut Ctx,
    doc: &Node,
    kind: Kind,
    schemas: &crate::validate::user::UserSchemas,
) {
    let mut found: Vec<(String, crate::validate::Issue)> = Vec::new();
    if let Some((rules, issues)) = crate::validate::check(doc, kind) {
        found.extend(issues.into_iter().map(|i| (rules.label().to_string(), i)));
    }
    let user = match kind {
        Kind::Odcs | Kind::Dcs => schemas.contract.as_ref(),
        Kind::Odps | Kind::DpsProduct | Kind::OpenDataProducts | Kind::Dpds => {
            schemas.product.as_ref()
        }
        _ => None,
    };
    if let Some(schema) = user {
        found.extend(
            schema
                .check(doc)
                .into_iter()
                .map(|i| (schema.name.clone(), i)),
        );
    }
    for (label, issue) in found {
        let reported = ctx.diagnostics.iter().any(|d| {
            d.line == Some(issue.pos.line) && d.column == Some(issue.pos.column).filter(|c| *c > 0)
        });
        if reported {
            continue;
        }
        ctx.error_at(
            issue.pos,
            Code::Schema,
            format!("{label}: {}", issue.message),
            &issue.hint,
        );
    }
}

/// Every file under a fixture folder that the crawler would offer, with its parse result
/// (paths relative to the folder). For the format tests.
#[cfg(test)]
pub(crate) fn parse_fixture_dir(source: &str, root: &std::path::Path) -> Vec<(String, ParsedFile)> {
    assert!(root.is_dir(), "fixtures missing at {}", root.display());
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.expect("fixtures readable");
        let ext = entry.path().extension().and_then(|e| e.to_str());
        if !entry.file_type().is_file() || !matches!(ext, Some("json" | "yaml" | "yml")) {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .expect("under root")
            .to_string_lossy()
            .replace('\\', "/");
        let file = SourceFile::new(
            source,
            &rel,
            std::fs::read(entry.path()).expect("fixture readable"),
        );
        out.push((rel, parse_file(&file)));
    }
    out
}
