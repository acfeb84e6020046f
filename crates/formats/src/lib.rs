//! Formats: recognise each YAML document by its top-level keys and map it into the model. Each
//! standard is one module behind the `registry::Standard` trait; this file only drives them.

// One module per standard; `registry` lists them.
pub mod backstage;
pub mod bitol_odps;
pub mod dcs;
pub mod dpds;
pub mod dps;
pub mod metrics;
pub mod odcs;
pub mod opendataproducts_odps;
pub mod registry;

// Shared by the standards.
pub mod quality;
pub mod read;
pub mod thresholds;
pub mod validate;

use model::diagnostics::Diagnostic;
use model::yaml::{self, Node};
use model::Code;
use model::SourceFile;
use model::{Agreement, DataContract, DataProduct, Domain, Origin, Person, SourceSystem, Team};
use read::Ctx;
use registry::{Standard, STANDARDS};
use validate::user::UserSchemas;

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

/// What kind of document it is, and so which standard it follows; decided by the standards'
/// detection in `registry`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Odcs,
    /// Bitol Open Data Product Standard.
    BitolOdps,
    Dcs,
    DpsProduct,
    DpsAgreement,
    DpsTeam,
    DpsSourceSystem,
    Backstage,
    /// Open Data Product Specification (opendataproducts.org, Linux Foundation).
    OpenDataProducts,
    /// Open Data Mesh Data Product Descriptor Specification.
    Dpds,
    /// meshdoc's own metric snapshot (`apiVersion: meshdoc/v1`, `kind: MetricSnapshot`).
    MetricSnapshot,
}

/// Which standard a document follows, decided from its top-level keys alone.
pub fn sniff(doc: &Node) -> Option<Kind> {
    registry::detect(doc).map(|(_, kind)| kind)
}

/// Parse one file into model documents. Never fails: problems become diagnostics.
pub fn parse_file(file: &SourceFile) -> ParsedFile {
    parse_file_with(file, &UserSchemas::default())
}

/// Like [`parse_file`], also checking documents against the user's JSON Schemas.
pub fn parse_file_with(file: &SourceFile, schemas: &UserSchemas) -> ParsedFile {
    let origin = &file.origin;
    let text = match std::str::from_utf8(&file.bytes) {
        Ok(t) => t,
        Err(e) => return not_utf8(file, e),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(parsed) = STANDARDS.iter().find_map(|s| s.read_file(text, origin)) {
        return parsed;
    }
    let mut parsed = ParsedFile::default();
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
            parsed.diagnostics.push(yaml_error(text, origin, &e));
            return parsed;
        }
    };
    let shared_text: std::sync::Arc<str> = std::sync::Arc::from(text);
    for doc in &docs {
        let Some((standard, kind)) = registry::detect(doc) else {
            continue;
        };
        let doc_origin = Origin {
            line: doc.pos.line,
            ..origin.clone()
        };
        let mut ctx = Ctx::new(&doc_origin);
        check_placeholders(&mut ctx, doc);
        standard.read(&mut ctx, doc, kind, &mut parsed.documents);
        schema_diagnostics(&mut ctx, doc, standard, kind, schemas);
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

fn not_utf8(file: &SourceFile, e: std::str::Utf8Error) -> ParsedFile {
    let (line, column) = line_col(&file.bytes, e.valid_up_to());
    let origin = &file.origin;
    ParsedFile {
        documents: Vec::new(),
        diagnostics: vec![
            Diagnostic::error(Code::NotUtf8, "file is not valid UTF-8 text")
                .at_file(&origin.source, &origin.path)
                .at(line, column)
                .hint("save the file as UTF-8 (most editors offer this under 'encoding')"),
        ],
    }
}

/// Unreadable YAML is an error where it was meant as a manifest, else only a warning.
fn yaml_error(text: &str, origin: &Origin, e: &yaml::YamlError) -> Diagnostic {
    let message = format!("cannot read YAML: {}", e.message);
    let mut d = if registry::looks_like_manifest(text) {
        Diagnostic::error(Code::YamlSyntax, message)
    } else {
        Diagnostic::warning(Code::YamlSyntax, message)
    };
    d = d
        .at_file(&origin.source, &origin.path)
        .hint(syntax_hint(text, e));
    if let Some(pos) = e.pos {
        d = d.at(pos.line, pos.column);
    }
    d
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
    standard: &dyn Standard,
    kind: Kind,
    schemas: &UserSchemas,
) {
    let mut found: Vec<(String, validate::Issue)> = Vec::new();
    if let Some((rules, issues)) = validate::check_with(standard, doc, kind) {
        found.extend(issues.into_iter().map(|i| (rules.label(), i)));
    }
    if let Some(schema) = standard.user_schema(kind, schemas) {
        found.extend(
            schema
                .check(doc)
                .into_iter()
                .map(|i| (schema.name.clone(), i)),
        );
    }
    for (label, issue) in found {
        if issue.code != Code::Schema {
            // A note about the document's standard (deprecated, newer than meshdoc knows).
            ctx.report(
                issue.severity,
                issue.pos,
                issue.code,
                issue.message,
                &issue.hint,
            );
            continue;
        }
        // The rules point at a value's key, the reader at the value: one line, one finding.
        let reported = ctx
            .diagnostics
            .iter()
            .any(|d| d.line == Some(issue.pos.line).filter(|l| *l > 0));
        if reported {
            continue;
        }
        ctx.report(
            issue.severity,
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
