//! Nothing dropped: for every product and contract document under ../shared/fixtures (the real
//! files of every standard and the real-world corpus), every scalar value of its YAML appears on its
//! rendered page, compared after normalising case, whitespace, punctuation and number formatting.
//! The few values not expected on a page are listed in `NOT_SHOWN`, each with the reason.
//!
//! Without ../shared the test says so and passes; CI (`MESHDOC_REQUIRE_FIXTURES=1`) makes it
//! mandatory.

#[path = "support/shared.rs"]
mod shared;

use std::collections::BTreeMap;
use std::path::PathBuf;

use meshdoc::config::{Config, SourceConfig};
use meshdoc::model::yaml::{parse_documents, Node, Value};
use meshdoc::model::Origin;

/// Keys whose values are not meant to be read on the page, and why.
const NOT_SHOWN: &[(&str, &str)] = &[
    (
        "apiVersion",
        "the standard and version are shown as one badge (`ODCS v3.1.0`)",
    ),
    ("kind", "the page kind says it (product or contract)"),
    ("dataContractSpecification", "shown in the standard badge"),
    ("dataProductSpecification", "shown in the standard badge"),
    ("$schema", "schema URL of the file itself"),
    (
        "/schema",
        "opendataproducts.org: the schema URL of the file itself, like `$schema`",
    ),
    (
        "synonyms[].id",
        "a synonym's stable id is for tools that cross-reference it; the synonym is shown",
    ),
];

/// Letters and digits only, lower case: what survives any formatting (markdown, thousands
/// separators, line breaks, entities turned into punctuation).
fn norm(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The visible text of an HTML page plus the targets of its links (a URL shown as a link reaches
/// the reader), entities decoded where they matter for comparison.
fn page_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut tag = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                if let Some(href) = tag
                    .split("href=\"")
                    .nth(1)
                    .and_then(|h| h.split('"').next())
                {
                    out.push(' ');
                    out.push_str(href);
                }
                out.push(' ');
            }
            _ if in_tag => tag.push(c),
            _ => out.push(c),
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
}

/// Every scalar of a document with its key path (`schema[].properties[].name`).
fn scalars(node: &Node, path: &str, out: &mut Vec<(String, String)>) {
    match &node.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                let p = if path.is_empty() {
                    k.text.clone()
                } else {
                    format!("{path}.{}", k.text)
                };
                scalars(v, &p, out);
            }
        }
        Value::Seq(items) => {
            for v in items {
                scalars(v, &format!("{path}[]"), out);
            }
        }
        Value::Null => {}
        _ => {
            if let Some(text) = node.scalar_text() {
                out.push((path.to_string(), text));
            }
        }
    }
}

/// A key path is skipped when its last key is listed, when it is listed from the document's root
/// (`/schema`), or when it ends with a listed path (`synonyms[].id`).
fn skipped(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    NOT_SHOWN.iter().any(|(k, _)| match k.strip_prefix('/') {
        Some(from_root) => from_root == path,
        None if k.contains('.') => path == *k || path.ends_with(&format!(".{k}")),
        None => *k == last,
    })
}

struct Site {
    sources: BTreeMap<String, PathBuf>,
    out: PathBuf,
}

impl Site {
    fn document(&self, origin: &Origin) -> Option<Node> {
        let file = self.sources.get(&origin.source)?.join(&origin.path);
        let text = std::fs::read_to_string(file).ok()?;
        let docs = parse_documents(&text).ok()?;
        docs.iter()
            .find(|d| d.pos.line == origin.line)
            .or(docs.first())
            .cloned()
    }
}

#[test]
fn every_scalar_of_every_document_reaches_its_page() {
    let Some(root) = shared::fixtures("") else {
        return;
    };
    let mut sources = BTreeMap::new();
    for group in ["standards", "realworld"] {
        for entry in std::fs::read_dir(root.join(group)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                let name = format!("{group}-{}", path.file_name().unwrap().to_string_lossy());
                sources.insert(name, path);
            }
        }
    }
    let out = tempfile::tempdir().unwrap();
    let mut config = Config::empty(&root);
    config.sources = sources
        .iter()
        .map(|(name, dir)| SourceConfig {
            name: Some(name.clone()),
            dir: Some(dir.clone()),
            ..Default::default()
        })
        .collect();
    let options = meshdoc::Options {
        out_dir: Some(out.path().join("site")),
        force: true,
        ..Default::default()
    };
    let report = meshdoc::build(&config, &options).expect("the fixtures build");
    let site = Site {
        sources,
        out: out.path().join("site"),
    };
    let catalog = &report.catalog;
    let mut pages: Vec<(&Origin, String)> = Vec::new();
    for p in &catalog.products {
        pages.push((&p.origin, format!("products/{}/index.html", p.slug)));
    }
    for c in &catalog.contracts {
        pages.push((&c.origin, format!("contracts/{}/index.html", c.slug)));
    }
    // Versions that are not current have pages of their own: they must not drop fields either.
    for (i, versions) in catalog.contract_versions.iter().enumerate() {
        for v in versions.iter().filter(|v| !v.is_current()) {
            let Some(other) = v.other else { continue };
            let page = format!(
                "contracts/{}/v/{}/index.html",
                catalog.contracts[i].slug, v.info.slug
            );
            pages.push((&catalog.other_contracts[other].origin, page));
        }
    }
    for (i, versions) in catalog.product_versions.iter().enumerate() {
        for v in versions.iter().filter(|v| !v.is_current()) {
            let Some(other) = v.other else { continue };
            let page = format!(
                "products/{}/v/{}/index.html",
                catalog.products[i].slug, v.info.slug
            );
            pages.push((&catalog.other_products[other].origin, page));
        }
    }
    // Missing values grouped by standard folder and key path, with one example each.
    let mut missing: BTreeMap<(String, String), (usize, String)> = BTreeMap::new();
    let (mut documents, mut values) = (0, 0);
    for (origin, page) in pages {
        let Some(doc) = site.document(origin) else {
            continue;
        };
        let Ok(html) = std::fs::read_to_string(site.out.join(&page)) else {
            panic!("{page} not written for {}/{}", origin.source, origin.path);
        };
        let text = norm(&page_text(&html));
        let mut found = Vec::new();
        scalars(&doc, "", &mut found);
        documents += 1;
        for (path, value) in found {
            if skipped(&path) || norm(&value).is_empty() {
                continue;
            }
            values += 1;
            // A flag is shown by its name (a `primary key` badge), and a false one by absence.
            let last = path.rsplit('.').next().unwrap_or(&path);
            let shown = match value.as_str() {
                "true" => text.contains(&norm(last)),
                "false" => true,
                v => text.contains(&norm(v)),
            };
            if !shown {
                let key = (origin.source.clone(), path);
                let e = missing.entry(key).or_insert((0, String::new()));
                e.0 += 1;
                if e.1.is_empty() {
                    e.1 = format!(
                        "{}:{} `{}` on {page}",
                        origin.path,
                        origin.line,
                        value.chars().take(60).collect::<String>()
                    );
                }
            }
        }
    }
    eprintln!("no-drop: {documents} documents, {values} values");
    let report: Vec<String> = missing
        .iter()
        .map(|((source, path), (n, example))| {
            format!("{source} {path}: {n} missing, e.g. {example}")
        })
        .collect();
    assert!(
        report.is_empty(),
        "{} key paths have values that never reach their page:\n{}",
        report.len(),
        report.join("\n")
    );
}
