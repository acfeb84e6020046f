//! A census of a real corpus nobody here wrote (datacontract-cli's fixtures and examples, under
//! ../shared/fixtures/realworld/): every ODCS and DCS document is in the catalog (as an entity or
//! one of its versions) or has a diagnostic; meshdoc's valid/invalid verdict on each equals the
//! official JSON Schema's of the document's own version; and no file that belongs to no standard
//! (data samples, SQL, Avro, NDJSON, JSON with comments, other tools' configs) gets an error or a
//! warning.
//!
//! The corpus is not part of a fresh clone: without it the test says so and passes; CI
//! (`MESHDOC_REQUIRE_FIXTURES=1`) makes it mandatory.

#[path = "support/shared.rs"]
mod shared;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use meshdoc::config::{Config, SourceConfig};
use meshdoc::model::yaml::parse_documents;
use meshdoc::{Catalog, Severity};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures")
}

/// The corpus folder, or None (with a message) when this checkout has no `../shared` beside it.
fn corpus() -> Option<PathBuf> {
    shared::fixtures("realworld/datacontract-cli")
}

/// Which standard and version a document declares, judged from its own keys.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Standard {
    Odcs(String),
    Dcs(String),
}

fn standard_of(doc: &serde_json::Value) -> Option<Standard> {
    let text = |k: &str| {
        doc.get(k).map(|v| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    };
    if let Some(v) = text("dataContractSpecification") {
        return Some(Standard::Dcs(v));
    }
    if doc.get("kind").and_then(|k| k.as_str()) == Some("DataContract") {
        return Some(Standard::Odcs(text("apiVersion").unwrap_or_default()));
    }
    None
}

/// The official schema of a standard's version, from ../shared/fixtures/standards.
fn official_schema(standard: &Standard) -> Option<PathBuf> {
    let root = shared().join("standards");
    let path = match standard {
        Standard::Odcs(v) => match v.as_str() {
            "v3.2.0" => {
                root.join("odcs/schema_dev-v3.2.0-in-progress/odcs-json-schema-v3.2.0.json")
            }
            v => root.join(format!("odcs/schema/odcs-json-schema-{v}.json")),
        },
        Standard::Dcs(v) => root.join(format!(
            "datacontract-specification/schema/versions/{v}/datacontract.schema.json"
        )),
    };
    path.is_file().then_some(path)
}

struct Verdicts {
    cache: BTreeMap<PathBuf, jsonschema::Validator>,
}

impl Verdicts {
    /// The official schema's errors on one document (empty: valid).
    fn errors(&mut self, schema: &Path, doc: &serde_json::Value) -> Vec<String> {
        let validator = self.cache.entry(schema.to_path_buf()).or_insert_with(|| {
            let text = std::fs::read_to_string(schema).expect("schema readable");
            let json: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
            jsonschema::validator_for(&json).expect("schema compiles")
        });
        validator
            .iter_errors(doc)
            .map(|e| format!("{}: {e}", e.instance_path().as_str()))
            .collect()
    }
}

fn catalog_of(dir: &Path) -> Catalog {
    let mut config = Config::empty(dir);
    config.sources = vec![SourceConfig {
        name: Some("corpus".into()),
        dir: Some(PathBuf::from(".")),
        ..Default::default()
    }];
    meshdoc::load_catalog(&config)
}

/// (file, document line) of every contract and product the catalog holds, every version included.
fn catalogued(catalog: &Catalog) -> HashSet<(String, u32)> {
    let mut out = HashSet::new();
    for c in &catalog.contracts {
        out.insert((c.origin.path.clone(), c.origin.line));
    }
    for p in &catalog.products {
        out.insert((p.origin.path.clone(), p.origin.line));
    }
    for v in catalog
        .contract_versions
        .iter()
        .chain(&catalog.product_versions)
        .flatten()
    {
        out.insert((v.info.origin.path.clone(), v.info.origin.line));
    }
    out
}

/// A contract document's id and declared version (DCS keeps the version under `info`).
fn id_and_version(doc: &serde_json::Value) -> (String, Option<String>) {
    let text = |v: Option<&serde_json::Value>| {
        v.map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
    };
    let id = text(doc.get("id")).unwrap_or_default();
    let version = text(doc.get("version")).or_else(|| text(doc.pointer("/info/version")));
    (id, version)
}

/// Every version of contract `id` the catalog holds.
fn versions_of(catalog: &Catalog, id: &str) -> Vec<Option<String>> {
    let Some(&ci) = catalog.contract_by_id.get(id) else {
        return Vec::new();
    };
    catalog.contract_versions[ci]
        .iter()
        .map(|v| v.info.version.clone())
        .collect()
}

/// Templates whose placeholders make them valid or not depending on what fills them in.
const EITHER_WAY: &str = "__PORT__";

/// One file of the corpus: its diagnostics (info left out) and the standard documents in it.
struct File {
    rel: String,
    text: String,
    diagnostics: Vec<meshdoc::Diagnostic>,
    /// (document line, standard, the document as JSON)
    documents: Vec<(u32, Standard, serde_json::Value)>,
}

impl File {
    /// The diagnostics that fall on the document starting at `line`.
    fn of_document(&self, i: usize) -> Vec<&meshdoc::Diagnostic> {
        let line = self.documents[i].0;
        let end = self.documents.get(i + 1).map_or(u32::MAX, |d| d.0);
        self.diagnostics
            .iter()
            .filter(|d| {
                let l = d.line.unwrap_or(line);
                l >= line && l < end
            })
            .collect()
    }
}

fn describe(diagnostics: &[&meshdoc::Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{} {} {} {}",
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
                d.severity.as_str(),
                d.code,
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The corpus, read once per test: its catalog and every file with its standard documents.
fn census(dir: &Path) -> (Catalog, Vec<File>) {
    let catalog = catalog_of(dir);
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("corpus readable");
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
        let diagnostics = catalog
            .diagnostics
            .iter()
            .filter(|d| d.file == rel && d.severity != Severity::Info)
            .cloned()
            .collect();
        let documents = parse_documents(&text)
            .unwrap_or_default()
            .iter()
            .filter_map(|d| {
                let json = d.to_json();
                standard_of(&json).map(|s| (d.pos.line, s, json))
            })
            .collect();
        files.push(File {
            rel,
            text,
            diagnostics,
            documents,
        });
    }
    (catalog, files)
}

#[test]
fn no_file_that_belongs_to_no_standard_gets_an_error_or_a_warning() {
    let Some(dir) = corpus() else { return };
    let (_, files) = census(&dir);
    let others: Vec<&File> = files.iter().filter(|f| f.documents.is_empty()).collect();
    assert!(others.len() >= 100, "expected the data files too");
    let failures: Vec<String> = others
        .iter()
        .filter(|f| !f.diagnostics.is_empty())
        .map(|f| {
            format!(
                "{}: belongs to no standard, yet: {}",
                f.rel,
                describe(&f.diagnostics.iter().collect::<Vec<_>>())
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} files:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_document_is_in_the_catalog_or_diagnosed() {
    let Some(dir) = corpus() else { return };
    let (catalog, files) = census(&dir);
    let in_catalog = catalogued(&catalog);
    let mut failures = Vec::new();
    let mut documents = 0;
    for f in &files {
        for (i, (line, standard, _)) in f.documents.iter().enumerate() {
            documents += 1;
            let catalogued = in_catalog.contains(&(f.rel.clone(), *line));
            let diagnosed = f.of_document(i);
            if catalogued {
                continue;
            }
            if diagnosed.is_empty() {
                failures.push(format!(
                    "{}:{line}: {standard:?} document neither in the catalog nor diagnosed",
                    f.rel
                ));
            } else if diagnosed.iter().all(|d| d.code == "duplicate-id") {
                // Left out as a duplicate: only right when the catalog holds this very version.
                let (id, version) = id_and_version(&f.documents[i].2);
                let kept = versions_of(&catalog, &id);
                if !kept.contains(&version) {
                    failures.push(format!(
                        "{}:{line}: version {version:?} of `{id}` is hidden as a duplicate (the catalog holds {kept:?})",
                        f.rel
                    ));
                }
            }
        }
    }
    assert!(
        documents >= 190,
        "expected about 200 contracts, found {documents}"
    );
    assert!(
        failures.is_empty(),
        "{} documents:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn verdicts_equal_the_official_schemas() {
    let Some(dir) = corpus() else { return };
    let (_, files) = census(&dir);
    let mut verdicts = Verdicts {
        cache: BTreeMap::new(),
    };
    let mut failures = Vec::new();
    let mut compared = 0;
    for f in &files {
        for (i, (line, standard, json)) in f.documents.iter().enumerate() {
            let Some(schema) = official_schema(standard) else {
                failures.push(format!("{}: no official schema for {standard:?}", f.rel));
                continue;
            };
            if f.text.contains(EITHER_WAY) {
                continue;
            }
            compared += 1;
            let official = verdicts.errors(&schema, json);
            let ours = f.of_document(i);
            // The schema judges one document; a clash of ids between files is the catalog's
            // finding, not part of the document's verdict.
            let ours_invalid = ours
                .iter()
                .any(|d| d.severity == Severity::Error && d.code != "duplicate-id");
            if ours_invalid == official.is_empty() {
                failures.push(format!(
                    "{}:{line} ({standard:?}): meshdoc says {}, the official schema {}\n  meshdoc: {}\n  official: {}",
                    f.rel,
                    if ours_invalid { "invalid" } else { "valid" },
                    if official.is_empty() { "valid" } else { "invalid" },
                    describe(&ours),
                    official.join(" | ")
                ));
            }
        }
    }
    assert!(compared >= 180, "compared only {compared} documents");
    assert!(
        failures.is_empty(),
        "{} documents:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
