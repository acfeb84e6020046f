//! Formats: recognise each YAML document by its top-level keys and map it into the model. Each
//! standard is one module behind the `registry::Standard` trait; this file only drives them.

// One module per standard; `registry` lists them.
pub mod about;
pub mod backstage;
pub mod bitol_odps;
pub mod dcs;
pub mod dpds;
pub mod dps;
pub mod glossary;
pub mod identity;
pub mod manifest;
pub mod metrics;
pub mod narrative;
pub mod odcs;
pub mod opendataproducts_odps;
pub mod registry;
pub mod results;

// Shared by the standards.
pub mod quality;
pub mod read;
pub mod refs;
pub mod thresholds;
pub mod validate;

use model::diagnostics::{Diagnostic, Severity};
use model::yaml::{self, Node};
use model::Code;
use model::SourceFile;
use model::{
    Agreement, DataContract, DataProduct, Domain, FileVersion, Origin, Person, SourceSystem, Team,
    Term,
};
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
    /// A business term of a definitions file (`[glossary] definitions`).
    Term(Box<Term>),
    /// A documentation file (markdown or an image) beside the manifests.
    Narrative(Box<model::narrative::Narrative>),
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
    /// datacontract-cli's `datacontract test` results (JSON, no `kind`).
    DatacontractTestResults,
    /// Bitol's draft Open Observability Results Standard (`kind: ObservabilityResults`).
    ObservabilityResults,
    /// A business term in a definitions file (Entropy Data / Data Mesh Manager layout).
    Definition,
}

/// Which standard a document follows, decided from its top-level keys alone.
pub fn sniff(doc: &Node) -> Option<Kind> {
    registry::detect(doc).map(|(_, kind)| kind)
}

/// What the crawl knows about a file beyond its bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    /// The file lies under a configured metrics path: a CSV there must be a metric series.
    pub metrics_path: bool,
    /// The file is fetched by a Backstage scaffolder template's steps (its `skeleton/`).
    pub scaffolder_content: bool,
    /// The user named this very file (`meshdoc diff`): it is read as a manifest whatever its name
    /// or placeholders look like.
    pub named_by_user: bool,
    /// The file lies under the glossary's definitions paths: each document is a business term.
    pub definitions_path: bool,
}

/// How files are read, from the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    metric_paths: globset::GlobSet,
    definition_paths: globset::GlobSet,
}

impl Settings {
    /// Where a CSV must be a metric series when `[metrics] paths` is not set.
    pub const DEFAULT_METRIC_PATHS: &'static [&'static str] = &["metrics/**"];

    /// Where every YAML file is a business term when `[glossary] definitions` is not set (the
    /// Entropy Data / Data Mesh Manager layout `definitions/<domain>/<term>.yaml`).
    pub const DEFAULT_DEFINITION_PATHS: &'static [&'static str] =
        &["definitions/**/*.yaml", "definitions/**/*.yml"];

    /// Settings with these metric paths (globs relative to the source root) and the default
    /// definitions paths.
    pub fn new(metric_paths: &[String]) -> Result<Settings, globset::Error> {
        let defaults: Vec<String> = Settings::DEFAULT_DEFINITION_PATHS
            .iter()
            .map(|p| p.to_string())
            .collect();
        Ok(Settings {
            metric_paths: glob_set(metric_paths)?,
            definition_paths: glob_set(&defaults)?,
        })
    }

    /// The same settings with these definitions paths (globs relative to the source root).
    pub fn with_definitions(self, paths: &[String]) -> Result<Settings, globset::Error> {
        Ok(Settings {
            definition_paths: glob_set(paths)?,
            ..self
        })
    }

    /// Whether a path lies under the glossary's definitions paths.
    pub fn is_definitions_path(&self, path: &str) -> bool {
        self.definition_paths.is_match(path)
    }

    /// Whether a path lies under the metric paths.
    pub fn is_metrics_path(&self, path: &str) -> bool {
        self.metric_paths.is_match(path)
    }
}

/// One set of globs; `*` stops at `/` as in `.gitignore`.
fn glob_set(patterns: &[String]) -> Result<globset::GlobSet, globset::Error> {
    let mut builder = globset::GlobSetBuilder::new();
    for p in patterns {
        builder.add(
            globset::GlobBuilder::new(p)
                .literal_separator(true)
                .build()?,
        );
    }
    builder.build()
}

impl Default for Settings {
    fn default() -> Self {
        static DEFAULT: std::sync::OnceLock<Settings> = std::sync::OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                let paths: Vec<String> = Settings::DEFAULT_METRIC_PATHS
                    .iter()
                    .map(|p| p.to_string())
                    .collect();
                Settings::new(&paths).expect("the default metric paths are valid globs")
            })
            .clone()
    }
}

/// Parse one file into model documents. Never fails: problems become diagnostics.
pub fn parse_file(file: &SourceFile) -> ParsedFile {
    parse_file_with(file, &UserSchemas::default())
}

/// Like [`parse_file`], also checking documents against the user's JSON Schemas.
pub fn parse_file_with(file: &SourceFile, schemas: &UserSchemas) -> ParsedFile {
    let settings = Settings::default();
    let place = Place {
        metrics_path: settings.is_metrics_path(&file.origin.path),
        definitions_path: settings.is_definitions_path(&file.origin.path),
        ..Place::default()
    };
    parse_file_in(file, schemas, place)
}

/// Parse a file the user named (`meshdoc diff FILE`): a manifest whatever it looks like, so a
/// template is read rather than noted, and unreadable text is an error.
pub fn parse_named_file(file: &SourceFile) -> ParsedFile {
    let place = Place {
        named_by_user: true,
        ..Place::default()
    };
    parse_file_in(file, &UserSchemas::default(), place)
}

/// Parse every file of one source. Backstage scaffolder templates are found first, so that the
/// files their steps fetch are known as templates wherever they lie.
pub fn parse_source(
    files: &[SourceFile],
    schemas: &UserSchemas,
    settings: &Settings,
) -> Vec<ParsedFile> {
    let content = scaffolder_content(files);
    let lookup = refs::SourceFiles::new(files);
    files
        .iter()
        .map(|f| {
            let path = f.origin.path.as_str();
            let place = Place {
                metrics_path: settings.is_metrics_path(path),
                scaffolder_content: content.iter().any(|c| {
                    path.strip_prefix(c.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                }),
                named_by_user: false,
                definitions_path: settings.is_definitions_path(path),
            };
            parse_in_source(f, schemas, place, Some(&lookup), Checks::All)
        })
        .collect()
}

/// The folders and files that the scaffolder templates among `files` fetch.
fn scaffolder_content(files: &[SourceFile]) -> Vec<String> {
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::str::from_utf8(&f.bytes) else {
            continue;
        };
        if !(text.contains("backstage.io") && text.contains("Template")) {
            continue;
        }
        for doc in yaml::parse_documents(text).unwrap_or_default() {
            out.extend(manifest::scaffolder_content(&doc, &f.origin.path).unwrap_or_default());
        }
    }
    out
}

/// Whether a file too large to read whole was meant as a manifest, from its name and its first
/// bytes (`head`): a metric CSV by its header or place, any other file by its name or the
/// top-level keys in its head. Only such a file is worth a `file-too-large` warning.
pub fn meant_as_manifest(path: &str, head: &[u8], settings: &Settings) -> bool {
    let head = String::from_utf8_lossy(head);
    if path.to_ascii_lowercase().ends_with(".csv") {
        let first = head
            .lines()
            .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .unwrap_or("");
        return settings.is_metrics_path(path) || metrics::is_metric_header(first);
    }
    results::is_results_head(&head)
        || manifest::head_is_manifest(path, head.strip_prefix('\u{feff}').unwrap_or(&head))
}

/// Like [`parse_file_with`], for a file whose place in its source is known.
pub fn parse_file_in(file: &SourceFile, schemas: &UserSchemas, place: Place) -> ParsedFile {
    parse_in_source(file, schemas, place, None, Checks::All)
}

/// Like [`parse_named_file`], without checking the documents against their standards' rules:
/// the same documents, and only the readers' own diagnostics. For the older versions of a
/// contract, which the changelog compares and whose findings nobody is shown; the checks were
/// about a tenth of the cost of reading one.
pub fn read_named_file(file: &SourceFile) -> ParsedFile {
    let place = Place {
        named_by_user: true,
        ..Place::default()
    };
    parse_in_source(file, &UserSchemas::default(), place, None, Checks::None)
}

/// Whether documents are checked against their standards' rules and the user's schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checks {
    All,
    None,
}

/// Like [`parse_file_in`], with the other files of the source at hand for references between
/// files (`$ref: definitions.yaml#/sku`).
fn parse_in_source(
    file: &SourceFile,
    schemas: &UserSchemas,
    place: Place,
    files: Option<&refs::SourceFiles>,
    checks: Checks,
) -> ParsedFile {
    let origin = &file.origin;
    if narrative::is_narrative(&origin.path) && !place.named_by_user {
        return narrative::read(file);
    }
    let text = match std::str::from_utf8(&file.bytes) {
        Ok(t) => t,
        Err(e) => return not_utf8(file, e, place),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(parsed) = STANDARDS
        .iter()
        .find_map(|s| s.read_file(text, origin, place))
    {
        return parsed;
    }
    let named = place.named_by_user || manifest::manifest_name(&origin.path);
    let template = manifest::template_path(&origin.path)
        .or_else(|| {
            place
                .scaffolder_content
                .then(|| "a Backstage scaffolder template fetches it".to_string())
        })
        .filter(|_| !place.named_by_user);
    let mut parsed = ParsedFile::default();
    if text.trim().is_empty() {
        if named && template.is_none() {
            parsed.diagnostics.push(empty_file(origin, "file is empty"));
        }
        return parsed;
    }
    let docs = match yaml::parse_documents(text) {
        Ok(docs) => docs,
        Err(e) => {
            parsed
                .diagnostics
                .extend(unreadable(text, origin, &e, place, template));
            return parsed;
        }
    };
    let recognised: Vec<(&Node, &'static dyn Standard, Kind)> = docs
        .iter()
        .filter_map(|d| registry::detect(d).map(|(s, k)| (d, s, k)))
        .collect();
    if let Some(note) = passed_over(origin, &docs, &recognised, place, named, template) {
        parsed.diagnostics.extend(note);
        return parsed;
    }
    let reader = Reader {
        origin,
        schemas,
        place,
        files,
        checks,
        // Reversed so that the first entry of a line wins, as a search from the front would.
        fingerprints: identity::fingerprints(text, &docs)
            .into_iter()
            .rev()
            .collect(),
    };
    reader.read(&recognised, &mut parsed);
    // The newest history version holds the same text (the commit that last changed the file):
    // one allocation serves both, and the parse cache stores it once.
    let shared_text: std::sync::Arc<str> = match file.history.first() {
        Some(FileVersion {
            content: Some(newest),
            ..
        }) if **newest == *text => newest.clone(),
        _ => std::sync::Arc::from(text),
    };
    let read_alone = read_as_newest_version(file, text, &recognised, &parsed);
    for doc in parsed.documents.iter_mut() {
        if let Document::Contract(c) = doc {
            c.source_text.get_or_insert_with(|| shared_text.clone());
            if !file.history.is_empty() {
                c.history = file.history.clone();
                c.read_as_newest_version = read_alone;
            }
        }
    }
    parsed
}

/// Whether the one contract read from `file` is what reading the text of the file's newest
/// history version on its own ([`parse_named_file`], as the changelog does) would give: the same
/// text, one recognised document that became one contract, and no `$ref` (the only thing that
/// reads other files of the source). The place of the file only decides whether it is read at
/// all, and the origin is not compared by the diff engine.
fn read_as_newest_version(
    file: &SourceFile,
    text: &str,
    recognised: &[(&Node, &'static dyn Standard, Kind)],
    parsed: &ParsedFile,
) -> bool {
    let newest = file.history.first().and_then(|v| v.content.as_deref());
    newest == Some(std::str::from_utf8(&file.bytes).unwrap_or_default())
        && recognised.len() == 1
        && parsed
            .documents
            .iter()
            .filter(|d| matches!(d, Document::Contract(_)))
            .count()
            == 1
        && !text.contains("$ref")
}

/// Why a file that parsed is not read at all, as the one note (or none) it gets: a Backstage
/// scaffolder template, a file of no standard, or a template beside the manifests. None: read it.
fn passed_over(
    origin: &Origin,
    docs: &[Node],
    recognised: &[(&Node, &'static dyn Standard, Kind)],
    place: Place,
    named: bool,
    template: Option<String>,
) -> Option<Vec<Diagnostic>> {
    if let Some(d) = docs
        .iter()
        .find(|d| !place.named_by_user && manifest::scaffolder_content(d, "").is_some())
    {
        let reason = "this is a Backstage scaffolder template".into();
        return Some(vec![template_note(origin, d.pos, reason)]);
    }
    if recognised.is_empty() {
        let noted = named && template.is_none() && !docs.iter().all(manifest::is_json_schema);
        return Some(if !noted {
            Vec::new()
        } else if docs.is_empty() {
            vec![empty_file(origin, "file holds only comments")]
        } else {
            vec![not_a_manifest(origin)]
        });
    }
    let reason = template?;
    // Point at a placeholder where there is one: it is what the author has to fill in.
    let placeholder = recognised
        .iter()
        .find_map(|(d, _, _)| manifest::placeholder_in_identity(d));
    let (pos, reason) = match placeholder {
        Some((key, value)) => (
            key.pos,
            format!("{reason}; `{}` holds the placeholder {value:?}", key.text),
        ),
        None => (recognised[0].0.pos, reason),
    };
    Some(vec![template_note(origin, pos, reason)])
}

/// What reading the recognised documents of one file needs.
struct Reader<'a> {
    origin: &'a Origin,
    schemas: &'a UserSchemas,
    place: Place,
    checks: Checks,
    files: Option<&'a refs::SourceFiles<'a>>,
    /// Document line → fingerprint of its text (a map: files may hold thousands of documents).
    fingerprints: std::collections::HashMap<u32, String>,
}

impl Reader<'_> {
    /// Read every recognised document into `parsed`; a document whose identity is a placeholder
    /// is left out, with one note for the file.
    fn read(&self, recognised: &[(&Node, &'static dyn Standard, Kind)], parsed: &mut ParsedFile) {
        let mut noted = false;
        for &(doc, standard, kind) in recognised {
            let placeholder =
                manifest::placeholder_in_identity(doc).filter(|_| !self.place.named_by_user);
            if let Some((key, value)) = placeholder {
                if !noted {
                    let reason = format!("`{}` holds the placeholder {value:?}", key.text);
                    parsed
                        .diagnostics
                        .push(template_note(self.origin, key.pos, reason));
                    noted = true;
                }
                continue;
            }
            self.document(doc, standard, kind, parsed);
        }
    }

    fn document(&self, doc: &Node, standard: &dyn Standard, kind: Kind, parsed: &mut ParsedFile) {
        let doc_origin = Origin {
            line: doc.pos.line,
            ..self.origin.clone()
        };
        let mut ctx = Ctx::new(&doc_origin);
        let first = parsed.documents.len();
        ctx.files = self.files;
        standard.read(&mut ctx, doc, kind, &mut parsed.documents);
        let fingerprint = self
            .fingerprints
            .get(&doc.pos.line.max(1))
            .map(String::as_str);
        identity::stamp(&mut parsed.documents[first..], doc, fingerprint);
        if self.checks == Checks::All {
            schema_diagnostics(&mut ctx, doc, standard, kind, self.schemas);
        }
        parsed.diagnostics.extend(ctx.diagnostics);
    }
}

fn empty_file(origin: &Origin, message: &str) -> Diagnostic {
    Diagnostic::warning(Code::EmptyFile, message)
        .at_file(&origin.source, &origin.path)
        .hint("delete the file or fill in the manifest")
}

fn not_a_manifest(origin: &Origin) -> Diagnostic {
    Diagnostic::new(
        Severity::Info,
        Code::NotAManifest,
        "named like a manifest, but no document in it declares a standard; not catalogued",
    )
    .at_file(&origin.source, &origin.path)
    .at(1, 1)
    .hint("declare the standard (`kind: DataContract` and `apiVersion`, `dataContractSpecification`, …), or rename the file if it is not a manifest")
}

/// The one note a template gets, at what gave it away.
fn template_note(origin: &Origin, pos: yaml::Pos, reason: String) -> Diagnostic {
    Diagnostic::new(
        Severity::Info,
        Code::TemplateFile,
        format!("looks like a template, not a manifest ({reason}); not catalogued"),
    )
    .at_file(&origin.source, &origin.path)
    .at(pos.line.max(1), pos.column.max(1))
    .hint("to publish it, fill in its placeholders and keep it outside template folders, without `template` in its name; to silence this note, list it in .meshdocignore or `exclude`")
}

/// A file that is not UTF-8: an error when it was meant as a manifest, else passed over.
fn not_utf8(file: &SourceFile, e: std::str::Utf8Error, place: Place) -> ParsedFile {
    let origin = &file.origin;
    let lossy = String::from_utf8_lossy(&file.bytes);
    let metric_csv = place.metrics_path && origin.path.to_ascii_lowercase().ends_with(".csv");
    let meant = place.named_by_user
        || metric_csv
        || manifest::manifest_name(&origin.path)
        || match yaml::parse_documents(&lossy) {
            Ok(docs) => docs.iter().any(|d| registry::detect(d).is_some()),
            Err(_) => manifest::sniff_unreadable(&lossy).is_some(),
        };
    if !meant || (manifest::template_path(&origin.path).is_some() && !place.named_by_user) {
        return ParsedFile::default();
    }
    let (line, column) = line_col(&file.bytes, e.valid_up_to());
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

/// Text YAML cannot read: an error when it was meant as a manifest (by its top-level keys or its
/// name), a note when template syntax is what broke it, nothing for any other file.
fn unreadable(
    text: &str,
    origin: &Origin,
    e: &yaml::YamlError,
    place: Place,
    template: Option<String>,
) -> Option<Diagnostic> {
    let named = place.named_by_user || manifest::manifest_name(&origin.path);
    if !named && manifest::sniff_unreadable(text).is_none() {
        return None;
    }
    let at_error = e.pos.unwrap_or(yaml::Pos { line: 1, column: 1 });
    if let Some(reason) = template {
        return Some(template_note(origin, at_error, reason));
    }
    let syntax = manifest::template_syntax_before(text, e.pos.map(|p| p.line));
    if let Some(pos) = syntax.filter(|_| !place.named_by_user) {
        return Some(template_note(
            origin,
            pos,
            "template syntax that YAML cannot read until it is rendered".into(),
        ));
    }
    let mut d = Diagnostic::error(Code::YamlSyntax, format!("cannot read YAML: {}", e.message))
        .at_file(&origin.source, &origin.path)
        .hint(syntax_hint(text, e));
    if let Some(pos) = e.pos {
        d = d.at(pos.line, pos.column);
    }
    Some(d)
}

fn syntax_hint(text: &str, e: &yaml::YamlError) -> String {
    let line = e
        .pos
        .and_then(|p| text.lines().nth(p.line.saturating_sub(1) as usize))
        .unwrap_or("");
    let json = text.trim_start().starts_with('{');
    if line.contains('\t') {
        "YAML does not allow tabs for indentation; use spaces".into()
    } else if e.message.contains("duplicate") {
        "each key may appear only once in a mapping; remove or rename the repeated key".into()
    } else if json && (text.contains("//") || text.contains("/*")) {
        "JSON does not allow comments; remove them (or write the manifest as YAML, where `#` starts a comment)".into()
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
/// (paths relative to the folder). For the format tests; None (the test skips, saying so) in a
/// checkout without `../shared`, unless `MESHDOC_REQUIRE_FIXTURES` is set (CI).
#[cfg(test)]
pub(crate) fn parse_fixture_dir(
    source: &str,
    root: &std::path::Path,
) -> Option<Vec<(String, ParsedFile)>> {
    if !root.is_dir() {
        assert!(
            std::env::var_os("MESHDOC_REQUIRE_FIXTURES").is_none(),
            "MESHDOC_REQUIRE_FIXTURES is set but {} is missing",
            root.display()
        );
        eprintln!(
            "skipped: {} not found (the shared fixtures sit beside a full checkout)",
            root.display()
        );
        return None;
    }
    let mut files = Vec::new();
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
        files.push(file);
    }
    let parsed = parse_source(&files, &UserSchemas::default(), &Settings::default());
    Some(
        files
            .into_iter()
            .map(|f| f.origin.path)
            .zip(parsed)
            .collect(),
    )
}
