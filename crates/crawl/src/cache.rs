//! The parse cache: what a source parsed into, stored under a key made of everything that decides
//! it (the commit id for git, the files' names, sizes and times for folders, meshdoc's version and
//! the read settings). An unchanged repository is then neither read nor parsed again.
//!
//! Entries are MessagePack (`rmp-serde`): binary and compact, so a build where 999 of 1,000
//! sources are unchanged decodes them several times faster than it re-parsed JSON. MessagePack
//! rather than postcard or bincode because it describes itself: the model holds free-form
//! `serde_json::Value`s (custom properties, quality rules) and fields skipped when empty, which
//! formats without field names or types cannot read back.

use std::fs;
use std::path::PathBuf;

use super::SourceDocuments;

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
        rmp_serde::from_slice(&bytes).ok()
    }

    /// Store an entry; a cache that cannot be written only costs speed, never the build.
    pub fn store(&self, key: &str, docs: &SourceDocuments) {
        let path = self.path(key);
        let Some(parent) = path.parent() else { return };
        if fs::create_dir_all(parent).is_err() {
            return;
        }
        let Ok(bytes) = rmp_serde::to_vec_named(docs) else {
            return;
        };
        let tmp = parent.join(format!(".{key}.{}.tmp", std::process::id()));
        if fs::write(&tmp, bytes).is_ok() && fs::rename(&tmp, &path).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }
}
