//! What `meshdoc serve` watches, and which file events concern the site.
//!
//! Folder sources are watched whole; a local git source only where a commit shows (HEAD,
//! packed-refs, refs/), since the build reads commits, not the working tree. The config's folder
//! is watched without its sub-folders: editors save by writing a new file and renaming it over
//! the old one, which a watch on the file itself would lose.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use config::Config;
use crawl::Source;

/// The watched paths of one config, and the rules that pick the events that matter.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Inputs {
    /// Each path to watch, and whether its sub-folders are watched too.
    pub watches: Vec<(PathBuf, bool)>,
    config_file: PathBuf,
    /// Folder sources and theme folders: any file below them counts.
    trees: Vec<PathBuf>,
    /// Folders of `dir = "parent/*"` globs: a sub-folder appearing or going is a source added or
    /// removed.
    glob_parents: Vec<PathBuf>,
    /// The git folders of local repositories.
    git_dirs: Vec<PathBuf>,
    /// Bundle files on disk (federation): a new bundle written over one is a change.
    bundle_files: Vec<PathBuf>,
    /// The output folder and the cache: the build itself writes there.
    ignored: Vec<PathBuf>,
    /// Remote repositories, which are read as fetched and not watched.
    pub remote: usize,
    /// Source name → where its files are on disk, to name a diagnostic's file by a path.
    pub places: HashMap<String, PathBuf>,
}

/// Names that editors and tools write beside the files they save.
fn scratch(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || [".swp", ".swx", ".swo", ".tmp"]
            .iter()
            .any(|s| name.ends_with(s))
        || name == "4913"
}

/// `path` absolute and, where it exists, with its links resolved (events name real paths).
fn real(path: &Path) -> PathBuf {
    path.canonicalize()
        .unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

impl Inputs {
    /// The inputs of `config`, read from `config_file`, building into `out_dir`.
    pub fn of(config: &Config, config_file: &Path, out_dir: &Path) -> Inputs {
        let mut inputs = Inputs {
            config_file: real(config_file),
            ignored: vec![real(out_dir), real(&config.cache_dir())],
            ..Inputs::default()
        };
        let root = real(&config.root);
        inputs.watches.push((root.clone(), false));
        let (sources, _) = crawl::resolve_sources(config);
        for source in &sources {
            match source {
                Source::Dir { name, root, .. } => {
                    let root = real(root);
                    inputs.places.insert(name.clone(), root.clone());
                    inputs.trees.push(root);
                }
                Source::Git(git) if git.url.is_none() => {
                    let repo = real(&git.path);
                    let git_dir = Some(repo.join(".git"))
                        .filter(|d| d.is_dir())
                        .unwrap_or_else(|| repo.clone());
                    inputs.places.insert(git.name.clone(), repo);
                    inputs.watches.push((git_dir.clone(), false));
                    if git_dir.join("refs").is_dir() {
                        inputs.watches.push((git_dir.join("refs"), true));
                    }
                    inputs.git_dirs.push(git_dir);
                }
                Source::Git(_) => inputs.remote += 1,
                Source::Bundle(b)
                    if b.fetch.starts_with("http://") || b.fetch.starts_with("https://") =>
                {
                    inputs.remote += 1
                }
                Source::Bundle(b) => {
                    let file = real(Path::new(&b.fetch));
                    if let Some(parent) = file.parent() {
                        inputs.watches.push((parent.to_path_buf(), false));
                    }
                    inputs.bundle_files.push(file);
                }
            }
        }
        for sc in &config.sources {
            let glob = sc.dir.as_ref().map(|d| d.to_string_lossy().into_owned());
            if let Some(parent) = glob.as_deref().and_then(|g| g.strip_suffix("/*")) {
                let parent = real(&config.resolve(Path::new(parent)));
                if parent.is_dir() {
                    inputs.watches.push((parent.clone(), false));
                    inputs.glob_parents.push(parent);
                }
            }
        }
        if let Ok(theme) = site::theme_dirs(config) {
            inputs.trees.extend(theme.templates.iter().map(|d| real(d)));
            inputs.trees.extend(theme.statics.iter().map(|d| real(d)));
        }
        inputs.trees.sort();
        inputs.trees.dedup();
        // A tree inside another is watched by the outer one already. Paths sort by component,
        // so a tree's descendants follow it directly: one pass finds the outer ones.
        let mut outer: Vec<PathBuf> = Vec::new();
        for tree in &inputs.trees {
            if !outer.last().is_some_and(|o| tree.starts_with(o)) {
                outer.push(tree.clone());
            }
        }
        inputs
            .watches
            .extend(outer.into_iter().filter(|t| t.is_dir()).map(|t| (t, true)));
        inputs.watches.sort();
        inputs.watches.dedup();
        inputs
    }

    /// Does a change at `path` (as the watcher reports it) change what the site is built from?
    pub fn concerns(&self, path: &Path) -> bool {
        if self.ignored.iter().any(|i| path.starts_with(i)) {
            return false;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if path == self.config_file || self.bundle_files.iter().any(|f| f == path) {
            return true;
        }
        if let Some(rel) = self.git_dirs.iter().find_map(|g| path.strip_prefix(g).ok()) {
            return !name.ends_with(".lock")
                && (rel == Path::new("HEAD")
                    || rel == Path::new("packed-refs")
                    || rel.starts_with("refs"));
        }
        if scratch(&name) || self.staging(path) {
            return false;
        }
        if let Some(rel) = self.trees.iter().find_map(|t| path.strip_prefix(t).ok()) {
            return !rel.components().any(|c| match c {
                Component::Normal(part) => {
                    crawl::dir::SKIPPED_DIRS.contains(&part.to_string_lossy().as_ref())
                }
                _ => false,
            });
        }
        if path
            .parent()
            .is_some_and(|p| self.glob_parents.iter().any(|g| g == p))
        {
            return !name.starts_with('.');
        }
        // A theme folder (or an older templates folder) appearing beside the config.
        path.parent() == self.config_file.parent() && (name == "theme" || name == "templates")
    }

    /// The build's own staging folders and lock, beside the output folder.
    fn staging(&self, path: &Path) -> bool {
        path.components().any(|c| match c {
            Component::Normal(part) => part.to_string_lossy().contains(".meshdoc-"),
            _ => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use config::SourceConfig;

    fn mesh() -> (tempfile::TempDir, Config, Inputs) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("repos/sales/.git")).unwrap();
        std::fs::create_dir_all(root.join("repos/sales/contracts")).unwrap();
        std::fs::create_dir_all(root.join("theme/templates")).unwrap();
        std::fs::create_dir_all(root.join("repos/sales-eu")).unwrap();
        std::fs::write(root.join("meshdoc.toml"), "").unwrap();
        let mut config = Config::empty(root);
        config.sources = vec![SourceConfig::dir("repos/*")];
        config.build.cache_dir = Some(root.join("cache"));
        let inputs = Inputs::of(&config, &root.join("meshdoc.toml"), &root.join("public"));
        (tmp, config, inputs)
    }

    #[test]
    fn edits_to_sources_theme_and_config_concern_the_site() {
        let (tmp, _, inputs) = mesh();
        let root = real(tmp.path());
        assert!(inputs.concerns(&root.join("meshdoc.toml")));
        assert!(inputs.concerns(&root.join("repos/sales/contracts/orders.odcs.yaml")));
        assert!(inputs.concerns(&root.join("repos/marketing")));
        assert!(inputs.concerns(&root.join("theme/templates/product.html")));
        assert!(inputs.concerns(&root.join("theme")));
    }

    #[test]
    fn the_builds_own_writes_and_editor_scratch_files_do_not() {
        let (tmp, _, inputs) = mesh();
        let root = real(tmp.path());
        assert!(!inputs.concerns(&root.join("public/index.html")));
        assert!(!inputs.concerns(&root.join(".public.meshdoc-new-42/index.html")));
        assert!(!inputs.concerns(&root.join("cache/parsed/x")));
        assert!(!inputs.concerns(&root.join("repos/sales/.git/index")));
        assert!(!inputs.concerns(&root.join("repos/sales/contracts/.orders.odcs.yaml.swp")));
        assert!(!inputs.concerns(&root.join("repos/sales/contracts/orders.odcs.yaml~")));
        assert!(!inputs.concerns(&root.join("notes.txt")));
    }

    #[test]
    fn folder_sources_are_watched_whole_and_the_config_folder_alone() {
        let (tmp, _, inputs) = mesh();
        let root = real(tmp.path());
        assert!(inputs.watches.contains(&(root.clone(), false)));
        assert!(inputs.watches.contains(&(root.join("repos"), false)));
        assert!(inputs.watches.contains(&(root.join("repos/sales"), true)));
        assert!(inputs
            .watches
            .contains(&(root.join("repos/sales-eu"), true)));
        assert!(inputs
            .watches
            .contains(&(root.join("theme/templates"), true)));
        assert_eq!(inputs.places.get("sales"), Some(&root.join("repos/sales")));
    }

    #[test]
    fn a_tree_inside_another_is_watched_once() {
        let tmp = tempfile::tempdir().unwrap();
        let root = real(tmp.path());
        for dir in ["mesh/sales", "mesh-eu", "mesh/sales/contracts"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        let mut config = Config::empty(&root);
        config.sources = ["mesh/sales/contracts", "mesh-eu", "mesh", "mesh/sales"]
            .into_iter()
            .map(SourceConfig::dir)
            .collect();
        let inputs = Inputs::of(&config, &root.join("meshdoc.toml"), &root.join("public"));
        let recursive: Vec<&PathBuf> = inputs
            .watches
            .iter()
            .filter(|(_, r)| *r)
            .map(|(p, _)| p)
            .collect();
        assert_eq!(recursive, [&root.join("mesh"), &root.join("mesh-eu")]);
    }

    #[test]
    fn a_local_repository_is_watched_where_commits_show() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("orders.git");
        std::fs::create_dir_all(repo.join("refs/heads")).unwrap();
        std::fs::create_dir_all(repo.join("objects")).unwrap();
        std::fs::write(repo.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        let mut config = Config::empty(tmp.path());
        config.sources = vec![SourceConfig::git(repo.to_string_lossy().into_owned())];
        let inputs = Inputs::of(
            &config,
            &tmp.path().join("meshdoc.toml"),
            &tmp.path().join("out"),
        );
        let repo = real(&repo);
        assert!(inputs.watches.contains(&(repo.join("refs"), true)));
        assert!(inputs.concerns(&repo.join("refs/heads/main")));
        assert!(inputs.concerns(&repo.join("HEAD")));
        assert!(inputs.concerns(&repo.join("packed-refs")));
        assert!(!inputs.concerns(&repo.join("refs/heads/main.lock")));
        assert!(!inputs.concerns(&repo.join("objects/ab/cdef")));
        assert!(!inputs.concerns(&repo.join("index")));
    }
}
