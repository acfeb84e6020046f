//! The parse cache: what a source parsed into, stored under a key made of everything that decides
//! it (the commit id for git, the files' names, sizes and times for folders, meshdoc's version and
//! the read settings). An unchanged repository is then neither read nor parsed again.

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
            .join(format!("{key}.json"))
    }

    /// A stored entry, or None (missing, unreadable or from an incompatible version: all misses).
    pub fn load(&self, key: &str) -> Option<SourceDocuments> {
        let bytes = fs::read(self.path(key)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Store an entry; a cache that cannot be written only costs speed, never the build.
    pub fn store(&self, key: &str, docs: &SourceDocuments) {
        let path = self.path(key);
        let Some(parent) = path.parent() else { return };
        if fs::create_dir_all(parent).is_err() {
            return;
        }
        let Ok(bytes) = serde_json::to_vec(docs) else {
            return;
        };
        let tmp = parent.join(format!(".{key}.{}.tmp", std::process::id()));
        if fs::write(&tmp, bytes).is_ok() && fs::rename(&tmp, &path).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }
}
