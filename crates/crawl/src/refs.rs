//! Resolving a git source's ref without opening its repository, when the last build already
//! learnt what the ref's object peels to.
//!
//! Opening a repository with gix loads its pack indices, parses its config and follows its
//! alternates: at 1,000 repositories that was most of `prepare`, although a build where one
//! repository changed reads 999 of them from the parse cache and needs only their commit ids.
//! A ref itself is a few small files (HEAD, a loose ref or `packed-refs`), read here through
//! gix's ref store alone, afresh on every build (so a ref moved by a commit, a fetch,
//! `update-ref` or a `packed-refs` rewrite in the same second is always seen).
//!
//! What needs the object database is peeling the ref's object (an annotated tag) to its commit
//! and knowing that it is a commit at all. That is a fact about the object's content, the same
//! in every repository holding it (ids are content hashes), so it is remembered in the
//! [`RefMemo`] from the build that opened the repository: the next build trusts it only for that
//! exact object id. Any other id, a ref the store cannot read, or a spec that is more than a ref
//! name (`main~2`, an abbreviated id, `@{upstream}`) opens the repository as before.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gix::refs::file::ReferenceExt;
use gix::ObjectId;

/// The file in the cache folder holding the memo.
const FILE: &str = "refs.mpk";

/// The first bytes of the memo file: its layout's name and version.
const MAGIC: &[u8] = b"meshdoc ref memo v1\n";

/// How many symbolic refs are followed before giving up (git stops at 5 as well).
const MAX_SYMBOLIC_DEPTH: usize = 5;

/// What the last build learnt about its git sources' refs.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RefMemo {
    /// A source's path (as configured, or its clone's) → the git folder gix found there.
    git_dirs: HashMap<PathBuf, PathBuf>,
    /// An object a ref names (hex) → the commit it peels to (hex; the same id for a commit).
    peeled: HashMap<String, String>,
}

/// What resolving one source taught: kept for the next build.
#[derive(Debug, Clone)]
pub struct Learnt {
    path: PathBuf,
    git_dir: PathBuf,
    target: ObjectId,
    commit: ObjectId,
}

impl RefMemo {
    fn path(cache_dir: &Path) -> PathBuf {
        cache_dir.join(FILE)
    }

    /// The memo the last build stored, or an empty one (missing, damaged or of another layout).
    pub fn load(cache_dir: &Path) -> RefMemo {
        std::fs::read(Self::path(cache_dir))
            .ok()
            .and_then(|bytes| rmp_serde::from_slice(bytes.strip_prefix(MAGIC)?).ok())
            .unwrap_or_default()
    }

    /// The object `spec` names in the repository at `path` and the commit it peels to, read
    /// through the ref store alone; None when the repository must be opened to tell.
    pub fn resolve(&self, path: &Path, spec: &str) -> Option<(ObjectId, ObjectId)> {
        let git_dir = self.git_dirs.get(path)?;
        let store = gix::refs::file::Store::at(git_dir.clone(), gix::hash::Kind::Sha1);
        let target = direct_target(&store, spec)?;
        let commit = self.peeled.get(target.to_hex().to_string().as_str())?;
        Some((target, ObjectId::from_hex(commit.as_bytes()).ok()?))
    }

    /// Keep what this build learnt, for the sources it had (others are forgotten); written only
    /// when it changed. A memo that cannot be written only costs the next build time.
    pub fn store(self, cache_dir: &Path, learnt: &[Learnt], resolved: &[(PathBuf, ObjectId)]) {
        let mut next = RefMemo::default();
        for (path, target) in resolved {
            let Some(git_dir) = self.git_dirs.get(path) else {
                continue;
            };
            let hex = target.to_hex().to_string();
            if let Some(commit) = self.peeled.get(&hex) {
                next.git_dirs.insert(path.clone(), git_dir.clone());
                next.peeled.insert(hex, commit.clone());
            }
        }
        for l in learnt {
            next.git_dirs.insert(l.path.clone(), l.git_dir.clone());
            next.peeled
                .insert(l.target.to_hex().to_string(), l.commit.to_hex().to_string());
        }
        if next.git_dirs == self.git_dirs && next.peeled == self.peeled {
            return;
        }
        let mut bytes = MAGIC.to_vec();
        if rmp_serde::encode::write(&mut bytes, &next).is_err()
            || std::fs::create_dir_all(cache_dir).is_err()
        {
            return;
        }
        let path = Self::path(cache_dir);
        let tmp = cache_dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// Resolve `spec` in an opened repository through its own ref store, peeling to the commit with
/// its objects; with what it learnt for the memo. None when the spec is not a plain ref name
/// or does not name a commit: the caller then asks `rev_parse` as before (and reports it).
pub fn resolve_opened(
    repo: &gix::Repository,
    path: &Path,
    spec: &str,
) -> Option<(ObjectId, Option<Learnt>)> {
    let target = direct_target(&repo.refs, spec)?;
    let commit = repo.find_object(target).ok()?.peel_to_commit().ok()?.id;
    // A linked worktree or a namespace reads refs from more than the git folder: not memoised.
    let plain_store = repo.refs.common_dir().is_none() && repo.refs.namespace.is_none();
    let learnt = plain_store.then(|| Learnt {
        path: path.to_path_buf(),
        git_dir: repo.refs.git_dir().to_path_buf(),
        target,
        commit,
    });
    Some((commit, learnt))
}

/// The object `spec` names through refs alone (symbolic refs followed), when `spec` is a plain
/// ref name that `rev_parse` would look up the same way (see [`plain_ref_name`]).
fn direct_target(store: &gix::refs::file::Store, spec: &str) -> Option<ObjectId> {
    if !plain_ref_name(spec) {
        return None;
    }
    let mut reference = store.find(spec).ok()?;
    for _ in 0..=MAX_SYMBOLIC_DEPTH {
        match &reference.target {
            gix::refs::Target::Object(id) => return Some(*id),
            gix::refs::Target::Symbolic(_) => reference = reference.follow(store)?.ok()?,
        }
    }
    None
}

/// A spec `rev_parse` reads as a ref name and nothing else: no navigation (`~`, `^`, `:`, `@`,
/// `{}`), no range (`..`), not something it could take for an abbreviated object id (hex only)
/// or for `git describe` output (`…-g<hex>`).
fn plain_ref_name(spec: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '.');
    let hex_only = spec.len() >= 4 && spec.bytes().all(|b| b.is_ascii_hexdigit());
    !spec.is_empty()
        && spec.chars().all(allowed)
        && !spec.contains("..")
        && !spec.contains("-g")
        && !spec.starts_with(['-', '.', '/'])
        && !hex_only
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_ref_names_skip_rev_parse() {
        for plain in [
            "HEAD",
            "main",
            "refs/heads/main",
            "v1.2.0",
            "release/2024_q1",
        ] {
            assert!(plain_ref_name(plain), "{plain}");
        }
        for other in [
            "",
            "main~2",
            "HEAD^",
            "main^{commit}",
            "@",
            "main@{upstream}",
            "a..b",
            "HEAD:path",
            "deadbeef",
            "1234",
            "v1.0-3-gabc1234",
            "-main",
            "/main",
            "ma in",
        ] {
            assert!(!plain_ref_name(other), "{other}");
        }
    }

    #[test]
    fn a_damaged_or_foreign_memo_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), b"meshdoc ref memo v0\n\x80").unwrap();
        let memo = RefMemo::load(dir.path());
        assert!(memo.git_dirs.is_empty() && memo.peeled.is_empty());
        std::fs::write(dir.path().join(FILE), [MAGIC, b"\xc1garbage"].concat()).unwrap();
        assert!(RefMemo::load(dir.path()).peeled.is_empty());
    }
}
