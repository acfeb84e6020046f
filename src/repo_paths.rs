//! Where a diagnostic's file is, seen from the root of the repository that holds it.
//!
//! Diagnostics name a file inside its source (`broken/bad.odcs.yaml` in source `finance`). A
//! folder source is a folder on disk, often deep inside the repository the CI job checks out
//! (`dir = "content/*"`): GitHub attaches an annotation only to a path from that repository's
//! root (`content/finance/broken/bad.odcs.yaml`), and an editor opens only a path it can find.
//! Git sources keep their paths: those are already paths from their repository's root.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use meshdoc::config::Config;
use meshdoc::crawl::{self, Source};
use meshdoc::diagnostics::Diagnostic;

/// Source name → the folder source's path from its repository root (`content/finance`).
pub struct RepoPaths {
    prefixes: HashMap<String, String>,
}

impl RepoPaths {
    pub fn new(config: &Config) -> RepoPaths {
        let cwd = std::env::current_dir().ok();
        let (sources, _) = crawl::resolve_sources(config);
        let prefixes = sources
            .iter()
            .filter_map(|s| match s {
                Source::Dir { name, root, .. } => {
                    Some((name.clone(), prefix(root, cwd.as_deref())?))
                }
                Source::Git(_) | Source::Bundle(_) => None,
            })
            .collect();
        RepoPaths { prefixes }
    }

    /// The file of `d` from its repository root, for diagnostics in a file of a folder source.
    pub fn path(&self, d: &Diagnostic) -> Option<String> {
        if d.file.is_empty() {
            return None;
        }
        let prefix = self.prefixes.get(&d.source)?;
        Some(if prefix.is_empty() {
            d.file.clone()
        } else {
            format!("{prefix}/{}", d.file)
        })
    }

    /// `d` with its file as a path from the repository root and no separate source name, for
    /// the printers that show one path (GitHub annotations, the human listing).
    pub fn rooted(&self, d: &Diagnostic) -> Diagnostic {
        let mut d = d.clone();
        if let Some(path) = self.path(&d) {
            d.file = path;
            d.source.clear();
        }
        d
    }
}

/// The path of `root` from the top of the git work tree that holds it; outside any work tree,
/// from the current folder (or as it is, when it lies elsewhere).
fn prefix(root: &Path, cwd: Option<&Path>) -> Option<String> {
    let root = root.canonicalize().ok()?;
    let base = root
        .ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
        .or_else(|| cwd.and_then(|c| c.canonicalize().ok()))
        .filter(|b| root.starts_with(b));
    let relative: PathBuf = match base {
        Some(b) => root.strip_prefix(b).ok()?.to_path_buf(),
        None => root.clone(),
    };
    Some(slashed(&relative))
}

/// A path with `/` separators whatever the platform, as GitHub and catalog paths write them.
fn slashed(path: &Path) -> String {
    let mut out = String::new();
    for c in path.components() {
        match c {
            Component::Normal(part) => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&part.to_string_lossy());
            }
            Component::RootDir => out.push('/'),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_source_inside_a_work_tree_is_rooted_at_the_work_tree() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).expect("git dir");
        std::fs::create_dir_all(repo.join("sub/finance")).expect("source dir");
        assert_eq!(
            prefix(&repo.join("sub/finance"), None).as_deref(),
            Some("sub/finance")
        );
        // Outside a work tree: from the current folder.
        let plain = tmp.path().join("plain/finance");
        std::fs::create_dir_all(&plain).expect("plain dir");
        assert_eq!(
            prefix(&plain, Some(&tmp.path().join("plain"))).as_deref(),
            Some("finance")
        );
    }
}
