//! Changelogs kept between builds. A contract's changelog re-parses every kept version of its
//! file and diffs each against the one before: at 10,000 contracts that was half the CPU of a
//! build whose sources all came from the parse cache. What it derives is a pure function of the
//! file's path and the texts of its versions (and of meshdoc's own parser and diff engine), so it
//! is stored under a 128-bit hash of exactly those, in one MessagePack file beside the parse cache.
//!
//! The file holds only the entries the last build used (no growth without bound); a missing,
//! unreadable or foreign file is an empty cache; writing it can fail without failing the build.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use siphasher::sip128::{Hasher128, SipHasher13};

use super::diff::{known_code, Change, Impact};
use model::DataContract;

/// What a changelog entry derives from the texts (the commit details are copied from the
/// history itself, so they are not stored).
#[derive(Debug, Clone)]
pub struct Derived {
    pub version: Option<String>,
    pub changes: Vec<Change>,
    pub breaking: usize,
    pub note: Option<String>,
    /// The version made breaking changes and did not move its declared version.
    pub unbumped: bool,
}

#[derive(Serialize, Deserialize, Default)]
struct Stored {
    /// meshdoc's build id: another build's entries may have been derived differently.
    build: String,
    entries: Vec<(u128, Vec<StoredVersion>)>,
}

/// [`Derived`] as stored: a change's code as text, read back through [`known_code`] (a code this
/// build does not know makes the entry a miss).
#[derive(Serialize, Deserialize)]
struct StoredVersion {
    version: Option<String>,
    changes: Vec<(Impact, String, String, String)>,
    breaking: usize,
    note: Option<String>,
    unbumped: bool,
}

impl StoredVersion {
    fn of(d: &Derived) -> Self {
        StoredVersion {
            version: d.version.clone(),
            changes: d
                .changes
                .iter()
                .map(|c| {
                    (
                        c.impact,
                        c.code.to_string(),
                        c.path.clone(),
                        c.message.clone(),
                    )
                })
                .collect(),
            breaking: d.breaking,
            note: d.note.clone(),
            unbumped: d.unbumped,
        }
    }

    fn derived(self) -> Option<Derived> {
        let changes = self
            .changes
            .into_iter()
            .map(|(impact, code, path, message)| {
                Some(Change {
                    impact,
                    code: known_code(&code)?,
                    path,
                    message,
                })
            })
            .collect::<Option<Vec<Change>>>()?;
        Some(Derived {
            version: self.version,
            changes,
            breaking: self.breaking,
            note: self.note,
            unbumped: self.unbumped,
        })
    }
}

/// The cache of one build: entries found in the file, which of them this build used, and the
/// ones it made.
pub struct ChangelogCache {
    file: Option<PathBuf>,
    found: HashMap<u128, Vec<Derived>>,
    used: Mutex<HashSet<u128>>,
    made: Mutex<HashMap<u128, Vec<Derived>>>,
}

const BUILD: &str = env!("MESHDOC_BUILD_ID");

impl ChangelogCache {
    /// No file: every changelog is computed (tests, `load_catalog` without a cache folder).
    pub fn none() -> Self {
        ChangelogCache {
            file: None,
            found: HashMap::new(),
            used: Mutex::new(HashSet::new()),
            made: Mutex::new(HashMap::new()),
        }
    }

    /// The cache in `cache_dir` (read now; written by [`ChangelogCache::store`]).
    pub fn open(cache_dir: &Path) -> Self {
        let file = cache_dir.join("changelogs.mpk");
        let found = std::fs::read(&file)
            .ok()
            .and_then(|bytes| rmp_serde::from_slice::<Stored>(&bytes).ok())
            .filter(|stored| stored.build == BUILD)
            .map(|stored| {
                stored
                    .entries
                    .into_iter()
                    .filter_map(|(key, versions)| {
                        let derived = versions
                            .into_iter()
                            .map(StoredVersion::derived)
                            .collect::<Option<Vec<Derived>>>()?;
                        Some((key, derived))
                    })
                    .collect()
            })
            .unwrap_or_default();
        ChangelogCache {
            file: Some(file),
            found,
            used: Mutex::new(HashSet::new()),
            made: Mutex::new(HashMap::new()),
        }
    }

    /// The key of a contract file's changelog: its path and the text of every kept version,
    /// hashed once by a 128-bit SipHash (texts are most of what a build holds in memory).
    pub fn key(contract: &DataContract) -> u128 {
        let mut h = SipHasher13::new_with_keys(0xc4a9, 0x6368_616e_6765_6c6f);
        contract.origin.path.hash(&mut h);
        contract.history.len().hash(&mut h);
        for v in &contract.history {
            v.content.hash(&mut h);
        }
        h.finish128().as_u128()
    }

    /// A stored changelog that matches the history's length, kept for the next build.
    pub fn get(&self, key: u128, versions: usize) -> Option<Vec<Derived>> {
        let hit = self.found.get(&key).filter(|d| d.len() == versions)?;
        if let Ok(mut used) = self.used.lock() {
            used.insert(key);
        }
        Some(hit.clone())
    }

    pub fn put(&self, key: u128, derived: &[Derived]) {
        if self.file.is_some() {
            if let Ok(mut made) = self.made.lock() {
                made.insert(key, derived.to_vec());
            }
        }
    }

    /// Write the entries this build used, when they differ from what was read.
    pub fn store(self) {
        let Some(file) = self.file else { return };
        let (Ok(used), Ok(made)) = (self.used.into_inner(), self.made.into_inner()) else {
            return;
        };
        if made.is_empty() && used.len() == self.found.len() {
            return;
        }
        let kept = self.found.iter().filter(|(key, _)| used.contains(key));
        let mut entries: Vec<(u128, Vec<StoredVersion>)> = kept
            .chain(&made)
            .map(|(&key, derived)| (key, derived.iter().map(StoredVersion::of).collect()))
            .collect();
        entries.sort_by_key(|(key, _)| *key);
        let stored = Stored {
            build: BUILD.to_string(),
            entries,
        };
        let Ok(bytes) = rmp_serde::to_vec_named(&stored) else {
            return;
        };
        let Some(parent) = file.parent() else { return };
        if std::fs::create_dir_all(parent).is_err() {
            return;
        }
        let tmp = parent.join(format!(".changelogs.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, &file).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::FileVersion;

    fn contract(texts: &[&str]) -> DataContract {
        let mut c = DataContract::default();
        c.origin.path = "orders.odcs.yaml".into();
        c.history = texts
            .iter()
            .map(|t| FileVersion {
                content: Some((*t).into()),
                ..FileVersion::default()
            })
            .collect();
        c
    }

    fn derived() -> Vec<Derived> {
        vec![Derived {
            version: Some("2.0.0".into()),
            changes: vec![Change {
                impact: Impact::Breaking,
                code: "property-removed",
                path: "orders.id".into(),
                message: "removed".into(),
            }],
            breaking: 1,
            note: None,
            unbumped: true,
        }]
    }

    #[test]
    fn a_stored_changelog_is_found_by_the_next_build_and_kept_only_while_used() {
        let dir = tempfile::tempdir().unwrap();
        let one = contract(&["a: 1"]);
        let key = ChangelogCache::key(&one);
        assert_ne!(key, ChangelogCache::key(&contract(&["a: 2"])));
        let first = ChangelogCache::open(dir.path());
        assert!(first.get(key, 1).is_none());
        first.put(key, &derived());
        first.store();

        let second = ChangelogCache::open(dir.path());
        let hit = second.get(key, 1).expect("stored changelog");
        assert_eq!(hit[0].changes, derived()[0].changes);
        assert!(hit[0].unbumped);
        assert!(
            second.get(key, 2).is_none(),
            "another history length is a miss"
        );
        second.store();

        // A build that does not use the entry drops it from the file.
        ChangelogCache::open(dir.path()).store();
        assert!(ChangelogCache::open(dir.path()).get(key, 1).is_none());
    }

    #[test]
    fn an_unknown_change_code_or_a_broken_file_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let mut version = StoredVersion::of(&derived()[0]);
        version.changes[0].1 = "no-such-code".into();
        let stored = Stored {
            build: BUILD.into(),
            entries: vec![(7, vec![version])],
        };
        std::fs::write(
            dir.path().join("changelogs.mpk"),
            rmp_serde::to_vec_named(&stored).unwrap(),
        )
        .unwrap();
        assert!(ChangelogCache::open(dir.path()).get(7, 1).is_none());
        std::fs::write(dir.path().join("changelogs.mpk"), b"\xff\x00garbage").unwrap();
        assert!(ChangelogCache::open(dir.path()).get(7, 1).is_none());
    }
}
