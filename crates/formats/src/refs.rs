//! References from one file of a source to another (`$ref: definitions.yaml#/sku`, a DPDS port
//! `$ref: ports/orders.json`). They are looked up among the files the crawl read from the same
//! source, never on disk or the network, so a reference can reach nothing outside its source.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use model::yaml::{self, Node, Value};
use model::SourceFile;

/// The files of one source, by path, with each referenced file parsed once.
pub struct SourceFiles<'a> {
    files: HashMap<&'a str, &'a SourceFile>,
    parsed: Mutex<HashMap<String, Option<Arc<Vec<Node>>>>>,
}

/// What a reference to another file leads to.
#[derive(Debug)]
pub enum Target {
    /// The documents of the file (its path inside the source) and the fragment (`/definitions/x`,
    /// empty for the whole file).
    Found {
        path: String,
        documents: Arc<Vec<Node>>,
        fragment: String,
    },
    /// The reference climbs above the source's root.
    Outside,
    /// No file of the source has that path (or it cannot be read as YAML or JSON).
    Missing(String),
    /// A URL or other reference that is not a file of the source; not followed.
    Elsewhere,
}

impl<'a> SourceFiles<'a> {
    pub fn new(files: &'a [SourceFile]) -> Self {
        SourceFiles {
            files: files.iter().map(|f| (f.origin.path.as_str(), f)).collect(),
            parsed: Mutex::new(HashMap::new()),
        }
    }

    /// The documents of one file of the source, parsed once.
    pub fn documents(&self, path: &str) -> Option<Arc<Vec<Node>>> {
        if let Ok(cache) = self.parsed.lock() {
            if let Some(hit) = cache.get(path) {
                return hit.clone();
            }
        }
        let docs = self.files.get(path).and_then(|f| {
            let text = std::str::from_utf8(&f.bytes).ok()?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            yaml::parse_documents(text).ok().map(Arc::new)
        });
        if let Ok(mut cache) = self.parsed.lock() {
            cache.insert(path.to_string(), docs.clone());
        }
        docs
    }

    /// Follow `reference` written in the file at `from` (a path inside the source).
    pub fn resolve(&self, from: &str, reference: &str) -> Target {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = file.trim();
        if file.is_empty() || has_scheme(file) || file.starts_with(['/', '\\']) {
            return Target::Elsewhere;
        }
        let Some(path) = join(from, file) else {
            return Target::Outside;
        };
        match self.documents(&path) {
            Some(documents) => Target::Found {
                path,
                documents,
                fragment: fragment.to_string(),
            },
            None => Target::Missing(path),
        }
    }
}

/// `https:`, `s3:`, `c:` … : a reference that names a place outside the source's files.
fn has_scheme(reference: &str) -> bool {
    let Some((scheme, _)) = reference.split_once(':') else {
        return false;
    };
    !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The path of `reference` relative to the folder of `from`, normalised; None when it climbs
/// above the root.
pub fn join(from: &str, reference: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in reference.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// A JSON pointer (`/definitions/sku`, `~1` for `/`, `~0` for `~`) into a node; the empty pointer
/// is the node itself.
pub fn pointer<'n>(node: &'n Node, pointer: &str) -> Option<&'n Node> {
    let mut at = node;
    for raw in pointer.split('/').skip_while(|s| s.is_empty()) {
        let token = raw.replace("~1", "/").replace("~0", "~");
        at = match &at.value {
            Value::Map(_) => at.get(&token)?,
            Value::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<SourceFile> {
        list.iter()
            .map(|(p, t)| SourceFile::new("s", p, t.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn paths_are_relative_to_the_referring_file_and_stay_in_the_source() {
        assert_eq!(join("a/b/c.yaml", "d.yaml").as_deref(), Some("a/b/d.yaml"));
        assert_eq!(join("a/b/c.yaml", "../d.yaml").as_deref(), Some("a/d.yaml"));
        assert_eq!(join("c.yaml", "./x/./d.yaml").as_deref(), Some("x/d.yaml"));
        assert_eq!(join("a/c.yaml", "../../etc/passwd"), None);
        assert_eq!(join("c.yaml", "../d.yaml"), None);
    }

    #[test]
    fn references_resolve_among_the_sources_files_only() {
        let f = files(&[
            ("contracts/orders.yaml", "x: 1"),
            (
                "contracts/defs.yaml",
                "definitions:\n  sku:\n    type: string\n",
            ),
        ]);
        let source = SourceFiles::new(&f);
        match source.resolve("contracts/orders.yaml", "defs.yaml#/definitions/sku") {
            Target::Found {
                path,
                documents,
                fragment,
            } => {
                assert_eq!(path, "contracts/defs.yaml");
                let sku = pointer(&documents[0], &fragment).unwrap();
                assert_eq!(
                    sku.get("type").and_then(Node::scalar_text).unwrap(),
                    "string"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            source.resolve("contracts/orders.yaml", "../../secret.yaml"),
            Target::Outside
        ));
        assert!(matches!(
            source.resolve("contracts/orders.yaml", "nope.yaml#/a"),
            Target::Missing(p) if p == "contracts/nope.yaml"
        ));
        for elsewhere in [
            "https://example.com/defs.yaml#/a",
            "/etc/passwd",
            "file:///etc/passwd",
            "#/definitions/sku",
        ] {
            assert!(
                matches!(
                    source.resolve("contracts/orders.yaml", elsewhere),
                    Target::Elsewhere
                ),
                "{elsewhere}"
            );
        }
    }

    #[test]
    fn pointers_walk_maps_and_lists() {
        let doc = &yaml::parse_documents("a:\n  - b: {c~d: 1, e/f: 2}\n").unwrap()[0];
        assert_eq!(
            pointer(doc, "/a/0/b/c~0d")
                .and_then(Node::scalar_text)
                .as_deref(),
            Some("1")
        );
        assert_eq!(
            pointer(doc, "/a/0/b/e~1f")
                .and_then(Node::scalar_text)
                .as_deref(),
            Some("2")
        );
        assert!(pointer(doc, "/a/1").is_none());
        assert!(pointer(doc, "").is_some());
    }
}
