//! The parse cache: what a source parsed into, stored under a key made of everything that decides
//! it (the commit id for git, the files' names, sizes and times for folders, meshdoc's version and
//! the read settings). An unchanged repository is then neither read nor parsed again.
//!
//! Entries are MessagePack (`rmp-serde`) with structs written positionally, without field names
//! (`model::cache_form`: every field written, even those JSON output skips when empty): a
//! build where 999 of 1,000 sources are unchanged decodes them all, and field names were most
//! of the bytes (a column's 36 names for a handful of values) and of the decoding time.
//! MessagePack rather than postcard or bincode because it describes itself: the model holds
//! free-form `serde_json::Value`s (custom properties, quality rules), which formats without
//! types cannot read back. Each entry starts with [`MAGIC`]: an entry of another layout is a
//! miss, never misread.

use std::fs;
use std::path::PathBuf;

use super::SourceDocuments;

/// The first bytes of an entry: the layout's name and version.
const MAGIC: &[u8] = b"meshdoc parse cache, positional v2\n";

pub struct ParseCache {
    dir: PathBuf,
}

impl ParseCache {
    pub fn new(cache_dir: &std::path::Path) -> Self {
        ParseCache {
            dir: cache_dir.join("parsed"),
        }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir
            .join(&key[..2.min(key.len())])
            .join(format!("{key}.mpk"))
    }

    /// A stored entry, or None (missing, unreadable or from an incompatible version: all misses).
    pub fn load(&self, key: &str) -> Option<SourceDocuments> {
        let bytes = fs::read(self.path(key)).ok()?;
        rmp_serde::from_slice(bytes.strip_prefix(MAGIC)?).ok()
    }

    /// Store an entry; a cache that cannot be written only costs speed, never the build.
    pub fn store(&self, key: &str, docs: &SourceDocuments) {
        let path = self.path(key);
        let Some(parent) = path.parent() else { return };
        if fs::create_dir_all(parent).is_err() {
            return;
        }
        let mut bytes = MAGIC.to_vec();
        let encoded =
            model::cache_form::keep_every_field(|| rmp_serde::encode::write(&mut bytes, docs));
        if encoded.is_err() {
            return;
        }
        let tmp = parent.join(format!(".{key}.{}.tmp", std::process::id()));
        if fs::write(&tmp, bytes).is_ok() && fs::rename(&tmp, &path).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{filter::Filter, CrawlOptions};

    /// The sample catalog (`content/`), read and parsed as a build reads a folder source.
    fn sample() -> SourceDocuments {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
        let options = CrawlOptions {
            max_file_bytes: 4 << 20,
            history_depth: 10,
            cache_dir: std::env::temp_dir(),
            fetch_jobs: 1,
            metric_paths: Vec::new(),
            definition_paths: Vec::new(),
        };
        let filter = Filter::new(&[], &[]).expect("no patterns");
        let (files, diagnostics) = crate::dir::read("sample", &root, &filter, &options);
        let settings = crate::read_settings(&options);
        let schemas = formats::validate::user::UserSchemas::default();
        let mut files = formats::parse_source(&files, &schemas, &settings);
        // Never stored (`#[serde(skip)]`): a cached contract is read as a plain one.
        for file in &mut files {
            for doc in &mut file.documents {
                if let formats::Document::Contract(c) = doc {
                    c.read_as_newest_version = false;
                }
            }
        }
        SourceDocuments { files, diagnostics }
    }

    #[test]
    fn an_entry_reads_back_as_every_field_was_stored() {
        let mut docs = sample();
        assert!(docs.files.len() > 20, "the sample holds manifests");
        // Fields JSON output skips when empty, each alone: a positional entry must not shift
        // the fields after them.
        let origin = docs
            .files
            .iter_mut()
            .flat_map(|f| &mut f.documents)
            .find_map(|d| match d {
                formats::Document::Product(p) => Some(&mut p.origin),
                _ => None,
            })
            .expect("the sample has a product");
        origin.id_line = None;
        origin.id_column = Some(7);
        origin.fingerprint = Some("f00d".into());
        let origin = origin.clone();
        let dir = tempfile::tempdir().unwrap();
        let cache = ParseCache::new(dir.path());
        cache.store("abcdef", &docs);
        let back = cache.load("abcdef").expect("the entry just stored");
        assert_eq!(format!("{back:?}"), format!("{docs:?}"));
        // JSON output still leaves the empty field out.
        let json = serde_json::to_value(&origin).unwrap();
        assert!(json.get("idLine").is_none(), "{json}");
        assert_eq!(json["idColumn"], 7, "{json}");
    }

    #[test]
    fn a_corrupt_cut_short_or_foreign_entry_is_a_miss() {
        let docs = sample();
        let dir = tempfile::tempdir().unwrap();
        let cache = ParseCache::new(dir.path());
        cache.store("abcdef", &docs);
        let path = cache.path("abcdef");
        let whole = fs::read(&path).unwrap();
        // Cut short.
        fs::write(&path, &whole[..whole.len() / 2]).unwrap();
        assert!(cache.load("abcdef").is_none());
        // Garbage after the header.
        let mut garbage = MAGIC.to_vec();
        garbage.extend_from_slice(b"\xff\x00garbage");
        fs::write(&path, garbage).unwrap();
        assert!(cache.load("abcdef").is_none());
        // The layout of earlier versions (field names, no header).
        fs::write(&path, rmp_serde::to_vec_named(&docs).unwrap()).unwrap();
        assert!(cache.load("abcdef").is_none());
        // Missing.
        assert!(cache.load("012345").is_none());
    }
}
