//! Git repositories as sources, read with gix straight from the object database: no checkout,
//! so bare repositories and mirrors work. One first-parent history walk per repository gives every
//! manifest its last change and every contract its list of versions.

use model::Code;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;
use gix::ObjectId;

use super::filter::{Filter, IgnoreFile, Selection, IGNORE_FILE};
use super::{CrawlOptions, SourceFile};
use model::diagnostics::Diagnostic;
use model::{Change, FileVersion, Origin};

/// A bare repository: HEAD, objects/ and refs/ at the top. (A working tree is read as a folder.)
pub fn looks_like_repository(path: &Path) -> bool {
    path.join("HEAD").is_file() && path.join("objects").is_dir() && path.join("refs").is_dir()
}

/// A git source after configuration: which repository, which ref, which files.
#[derive(Debug, Clone)]
pub struct GitSource {
    pub name: String,
    /// Local path of the repository (for remotes: its clone in the cache, once fetched).
    pub path: PathBuf,
    /// The remote URL, when the repository is cloned from one.
    pub url: Option<String>,
    pub git_ref: Option<String>,
    /// `paths` and `exclude` of the source.
    pub filter: Filter,
    pub web: Option<String>,
}

/// Words that mark a file as a contract, whose content is kept for every version.
const CONTRACT_MARKERS: &[&[u8]] = &[b"DataContract", b"dataContractSpecification"];

/// Read the manifests of one repository at its ref, with provenance and history.
pub fn read(source: &GitSource, options: &CrawlOptions) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    match resolve(source, options.max_file_bytes) {
        Ok(opened) => read_opened(source, &opened, options),
        Err(d) => (Vec::new(), vec![*d]),
    }
}

/// `read` with the repository `resolve` opened when the build prepared its sources: each
/// repository is opened once per build.
pub fn read_opened(
    source: &GitSource,
    opened: &Opened,
    options: &CrawlOptions,
) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let files = match read_inner(source, opened, options, &mut diagnostics) {
        Ok(files) => files,
        Err(d) => {
            diagnostics.push(*d);
            Vec::new()
        }
    };
    (files, diagnostics)
}

/// A repository opened once per build (by `resolve`, when sources are prepared) and the commit
/// its ref names: reading it later neither opens it nor resolves the ref again.
#[derive(Clone)]
pub struct Opened {
    repo: gix::ThreadSafeRepository,
    commit: ObjectId,
}

impl Opened {
    /// The commit id (the key of the parse cache).
    pub fn commit_id(&self) -> String {
        self.commit.to_string()
    }
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("git_dir", &self.repo.git_dir())
            .field("commit", &self.commit)
            .finish()
    }
}

fn source_error(source: &GitSource, code: Code, message: String, hint: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(code, message)
            .at_file(&source.name, "")
            .hint(hint),
    )
}

/// Open the repository and resolve the source's ref to its commit. `max_file_bytes` bounds
/// what one object read may allocate (see `alloc_limit`).
pub fn resolve(source: &GitSource, max_file_bytes: u64) -> Result<Opened, Box<Diagnostic>> {
    resolve_learning(source, max_file_bytes).map(|(opened, _)| opened)
}

/// [`resolve`], with what the ref memo learns from it (see `refs`).
pub fn resolve_learning(
    source: &GitSource,
    max_file_bytes: u64,
) -> Result<(Opened, Option<super::refs::Learnt>), Box<Diagnostic>> {
    let repo = open(source, max_file_bytes)?;
    let spec = source.git_ref.as_deref().unwrap_or("HEAD");
    let (commit, learnt) = match super::refs::resolve_opened(&repo, &source.path, spec) {
        Some(resolved) => resolved,
        None => (resolve_commit(&repo, source)?.id, None),
    };
    let opened = Opened {
        repo: repo.into_sync(),
        commit,
    };
    Ok((opened, learnt))
}

/// Read the source at `commit` (resolved earlier without opening the repository, see
/// `refs`): the repository is opened only now, when its content is not in the parse cache.
pub fn read_at(
    source: &GitSource,
    commit: &str,
    options: &CrawlOptions,
) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let opened = open(source, options.max_file_bytes).and_then(|repo| {
        let commit = ObjectId::from_hex(commit.as_bytes()).map_err(|e| {
            source_error(
                source,
                Code::SourceUnreadable,
                format!("cannot read commit {commit}: {e}"),
                "the repository may be corrupt; try `git fsck`",
            )
        })?;
        Ok(Opened {
            repo: repo.into_sync(),
            commit,
        })
    });
    match opened {
        Ok(opened) => read_opened(source, &opened, options),
        Err(d) => (Vec::new(), vec![*d]),
    }
}

/// The most one object read may allocate: above the file size limit (a file over it is read
/// whole once, then skipped) but never below what a large tree or commit needs. An object
/// beyond it fails to read, and only then is its size looked up (`TreeReader::load`): each
/// manifest is read once, and a huge blob is never loaded.
fn alloc_limit(max_file_bytes: u64) -> u64 {
    max_file_bytes.max(32 << 20)
}

/// Open a repository to read it. Isolated: only the repository's own configuration is read, not
/// the system's, the user's or `GIT_*` variables — none of them changes which objects a commit
/// names, and loading them again for each of 1,000 repositories was most of `prepare`'s time.
fn open(source: &GitSource, max_file_bytes: u64) -> Result<gix::Repository, Box<Diagnostic>> {
    let options = gix::open::Options::isolated().config_overrides([format!(
        "gitoxide.objects.allocLimit={}",
        alloc_limit(max_file_bytes)
    )]);
    gix::open_opts(&source.path, options).map_err(|e| {
        source_error(
            source,
            Code::SourceUnreadable,
            format!("{} is not a readable git repository: {e}", source.path.display()),
            "point `git` at a repository (bare or with a .git folder), or use `dir` for a plain folder",
        )
    })
}

fn resolve_commit<'r>(
    repo: &'r gix::Repository,
    source: &GitSource,
) -> Result<gix::Commit<'r>, Box<Diagnostic>> {
    let spec = source.git_ref.as_deref().unwrap_or("HEAD");
    repo.rev_parse_single(spec)
        .ok()
        .and_then(|id| id.object().ok())
        .and_then(|o| o.peel_to_commit().ok())
        .ok_or_else(|| {
            let branches = branch_names(repo);
            let hint = if branches.is_empty() {
                "the repository has no commits yet, or the ref is misspelled".to_string()
            } else {
                format!("existing branches: {}", branches.join(", "))
            };
            source_error(
                source,
                Code::UnknownRef,
                format!("ref `{spec}` does not exist in {}", source.path.display()),
                &hint,
            )
        })
}

fn read_inner(
    source: &GitSource,
    opened: &Opened,
    options: &CrawlOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<SourceFile>, Box<Diagnostic>> {
    let mut repo = opened.repo.to_thread_local();
    with_caches(&mut repo);
    let spec = source.git_ref.as_deref().unwrap_or("HEAD");
    let commit_id = opened.commit_id();
    let commit = repo.find_commit(opened.commit).map_err(|e| {
        source_error(
            source,
            Code::SourceUnreadable,
            format!("cannot read commit {commit_id}: {e}"),
            "the repository may be corrupt; try `git fsck`",
        )
    })?;
    let entries = list_files(source, &commit, &commit_id)?;
    let mut reader = TreeReader {
        repo: &repo,
        source,
        spec,
        options,
        diagnostics,
    };
    let selected = reader.select(&entries);
    let mut files = reader.load(&selected, &commit_id, options.max_file_bytes);
    if files.is_empty() {
        diagnostics.push(
            Diagnostic::new(model::diagnostics::Severity::Info, Code::NoManifests, format!("no manifest files at {spec} ({commit_id:.8})"))
                .at_file(&source.name, "")
                .hint("manifests are .yaml, .yml, .json (and .csv metric series) files; check `paths` and `exclude` in meshdoc.toml and the repository's .meshdocignore"),
        );
        return Ok(files);
    }
    if repo.is_shallow().unwrap_or(false) || repo.git_dir().join("shallow").is_file() {
        diagnostics.push(
            Diagnostic::warning(
                Code::ShallowRepository,
                "shallow repository: history ends early, so last-change dates and contract versions may be incomplete",
            )
            .at_file(&source.name, "")
            .hint("use a full clone (`git fetch --unshallow`) for complete provenance"),
        );
    }
    history(
        &repo,
        commit.id,
        &mut files,
        options.history_depth,
        source,
        diagnostics,
    );
    Ok(files)
}

/// What one repository's read may keep decoded: enough for the trees, commits and manifests a
/// read touches more than once, far below what a build holds anyway (one reader per thread).
const OBJECT_CACHE_BYTES: usize = 4 << 20;
const DELTA_BASE_CACHE_BYTES: usize = 8 << 20;

/// Caches for one read of a repository. Without them every object is inflated again each time
/// it is asked for, and every delta again with its whole chain of bases: the history walk asks
/// for the same trees, commits and contract bases several times (a commit's tree is its
/// parent's next; the newest version of a contract is the base of the older ones), which made
/// zlib's inflate about a fifth of a cold read.
fn with_caches(repo: &mut gix::Repository) {
    repo.object_cache_size(OBJECT_CACHE_BYTES);
    repo.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            DELTA_BASE_CACHE_BYTES,
        ))
    });
}

/// Every file in the commit's tree, breadth first.
fn list_files(
    source: &GitSource,
    commit: &gix::Commit<'_>,
    commit_id: &str,
) -> Result<Vec<gix::traverse::tree::recorder::Entry>, Box<Diagnostic>> {
    let tree = commit.tree().map_err(|e| {
        source_error(
            source,
            Code::SourceUnreadable,
            format!("cannot read the tree of {commit_id}: {e}"),
            "the repository may be corrupt; try `git fsck`",
        )
    })?;
    tree.traverse().breadthfirst.files().map_err(|e| {
        source_error(
            source,
            Code::SourceUnreadable,
            format!("cannot list the files of {commit_id}: {e}"),
            "the repository may be corrupt; try `git fsck`",
        )
    })
}

/// Reads the manifests of one tree of a repository.
struct TreeReader<'a> {
    repo: &'a gix::Repository,
    source: &'a GitSource,
    spec: &'a str,
    /// The read settings are compiled (globs) only for a file over the size limit: rare, and
    /// every repository would otherwise pay for it.
    options: &'a CrawlOptions,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl TreeReader<'_> {
    /// The manifest files the source's `paths`, `exclude` and ignore file select (links followed
    /// inside the repository), sorted by path.
    fn select(
        &mut self,
        entries: &[gix::traverse::tree::recorder::Entry],
    ) -> Vec<(String, ObjectId)> {
        let by_path: HashMap<&[u8], &gix::traverse::tree::recorder::Entry> =
            entries.iter().map(|e| (e.filepath.as_bytes(), e)).collect();
        let ignore = self.ignore_file(&by_path);
        let selection = Selection::new(&self.source.filter, ignore);
        let mut selected: Vec<(String, ObjectId)> = Vec::new();
        for entry in entries {
            if !entry.mode.is_blob_or_symlink() {
                continue;
            }
            let Ok(path) = entry.filepath.to_str() else {
                continue;
            };
            if !safe_path(path) {
                self.diagnostics.push(
                    Diagnostic::warning(
                        Code::UnsafePath,
                        "a path git itself refuses (`..`, `.`, an empty component or a backslash); not read",
                    )
                    .at_file(&self.source.name, path)
                    .hint("the repository was written by a tool other than git; run `git fsck` on it"),
                );
                continue;
            }
            if !wanted(path, &selection) {
                continue;
            }
            if entry.mode.is_link() {
                match resolve_link(self.repo, path, entry.oid, &by_path) {
                    Some(target) => selected.push((path.to_string(), target)),
                    None => self.diagnostics.push(
                        Diagnostic::warning(
                            Code::SymlinkOutsideSource,
                            "symbolic link points outside its repository (or nowhere); not read",
                        )
                        .at_file(&self.source.name, path)
                        .hint("commit the file itself instead of a link to it"),
                    ),
                }
            } else {
                selected.push((path.to_string(), entry.oid));
            }
        }
        selected.sort();
        selected
    }

    /// The repository's ignore file at the commit (a plain file at the root; none: empty).
    fn ignore_file(
        &mut self,
        by_path: &HashMap<&[u8], &gix::traverse::tree::recorder::Entry>,
    ) -> IgnoreFile {
        let Some(entry) = by_path
            .get(IGNORE_FILE.as_bytes())
            .filter(|e| e.mode.is_blob())
        else {
            return IgnoreFile::default();
        };
        let Ok(object) = self.repo.find_object(entry.oid) else {
            return IgnoreFile::default();
        };
        let (ignore, diagnostics) = IgnoreFile::from_bytes(&object.data, &self.source.name);
        self.diagnostics.extend(diagnostics);
        ignore
    }

    /// Whether a file over the size limit was meant as a manifest (and so is worth a warning):
    /// judged from its name and the start of its content (from its name alone when it is huge).
    /// `data` is the content when it was read (a file beyond `alloc_limit` is not).
    fn meant_as_manifest(&self, path: &str, data: Option<&[u8]>, size: u64) -> bool {
        let head = match data {
            Some(data) if size <= 64 * super::HEAD_BYTES as u64 => {
                &data[..data.len().min(super::HEAD_BYTES)]
            }
            _ => &[],
        };
        formats::meant_as_manifest(path, head, &super::read_settings(self.options))
    }

    /// Report a file over the size limit if it was meant as a manifest.
    fn too_large(&mut self, path: &str, data: Option<&[u8]>, size: u64, max_file_bytes: u64) {
        if !self.meant_as_manifest(path, data, size) {
            return;
        }
        self.diagnostics.push(
            Diagnostic::warning(
                Code::FileTooLarge,
                format!("file is {size} bytes, over the limit of {max_file_bytes} bytes; skipped"),
            )
            .at_file(&self.source.name, path)
            .hint("raise [build] max_file_bytes in meshdoc.toml if this file is really a manifest"),
        );
    }

    /// The content of each selected file; files over the size limit that were meant as manifests
    /// are skipped and reported, others are passed over.
    fn load(
        &mut self,
        selected: &[(String, ObjectId)],
        commit_id: &str,
        max_file_bytes: u64,
    ) -> Vec<SourceFile> {
        let (repo, source, spec) = (self.repo, self.source, self.spec);
        let mut files = Vec::with_capacity(selected.len());
        for (path, oid) in selected {
            // One read per file; its size is looked up only when the read fails, which is how
            // an object beyond `alloc_limit` shows.
            let object = match repo.find_object(*oid) {
                Ok(object) => object,
                Err(e) => {
                    match repo.find_header(*oid).map(|h| h.size()) {
                        Ok(size) if size > max_file_bytes => {
                            self.too_large(path, None, size, max_file_bytes)
                        }
                        _ => self.diagnostics.push(
                            Diagnostic::error(
                                Code::FileUnreadable,
                                format!("cannot read blob {oid}: {e}"),
                            )
                            .at_file(&source.name, path)
                            .hint("the repository may be corrupt or shallow; try `git fsck`"),
                        ),
                    }
                    continue;
                }
            };
            let size = object.data.len() as u64;
            if size > max_file_bytes {
                self.too_large(path, Some(&object.data), size, max_file_bytes);
                continue;
            }
            files.push(SourceFile {
                origin: Origin {
                    source: source.name.clone(),
                    path: path.clone(),
                    git_ref: Some(spec.to_string()),
                    commit: Some(commit_id.to_string()),
                    web_url: web_url(source, spec, commit_id, path),
                    ..Origin::default()
                },
                bytes: object.detach().data,
                history: Vec::new(),
            });
        }
        files
    }
}

fn branch_names(repo: &gix::Repository) -> Vec<String> {
    let Ok(platform) = repo.references() else {
        return Vec::new();
    };
    let Ok(branches) = platform.local_branches() else {
        return Vec::new();
    };
    let mut names: Vec<String> = branches
        .filter_map(Result::ok)
        .map(|r| r.name().shorten().to_string())
        .take(10)
        .collect();
    names.sort();
    names
}

/// A path a crafted tree could hold but git never writes: reading it would let names like
/// `../x` into provenance, links and diagnostics.
fn safe_path(path: &str) -> bool {
    !path.contains('\\')
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != ".." && !c.eq_ignore_ascii_case(".git"))
}

fn wanted(path: &str, selection: &Selection) -> bool {
    let lower = path.to_ascii_lowercase();
    let ext_ok = super::dir::MANIFEST_EXTENSIONS
        .iter()
        .any(|e| lower.ends_with(&format!(".{e}")));
    let skipped = path
        .split('/')
        .any(|c| super::dir::SKIPPED_DIRS.contains(&c));
    (ext_ok || formats::narrative::is_narrative(path)) && !skipped && selection.wants(path)
}

/// Follow a symlink inside the tree: only to a regular file that stays inside the repository.
fn resolve_link(
    repo: &gix::Repository,
    path: &str,
    oid: ObjectId,
    by_path: &HashMap<&[u8], &gix::traverse::tree::recorder::Entry>,
) -> Option<ObjectId> {
    let object = repo.find_object(oid).ok()?;
    let target = object.data.to_str().ok()?.trim();
    if target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let resolved = parts.join("/");
    let entry = by_path.get(resolved.as_bytes())?;
    entry.mode.is_blob().then_some(entry.oid)
}

/// The provenance link of a file: published on its page, so never with credentials.
fn web_url(source: &GitSource, spec: &str, commit: &str, path: &str) -> Option<String> {
    let pattern = source.web.as_ref()?;
    Some(model::redact::url(
        &pattern
            .replace("{repo}", &source.name)
            .replace("{ref}", spec)
            .replace("{commit}", commit)
            .replace("{path}", path),
    ))
}

/// One first-parent walk from the tip: for each commit, compare its tree with its parent's,
/// descending only into sub-trees that differ and hold a tracked path.
fn history(
    repo: &gix::Repository,
    tip: ObjectId,
    files: &mut [SourceFile],
    depth: usize,
    source: &GitSource,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let paths: Vec<Vec<&str>> = files
        .iter()
        .map(|f| f.origin.path.split('/').collect())
        .collect();
    let mut found = FoundHistory::new(files);
    let walk = match repo.rev_walk([tip]).first_parent_only().all() {
        Ok(w) => w,
        Err(e) => {
            diagnostics.push(history_warning(source, &e.to_string()));
            return;
        }
    };
    let all_indices: Vec<usize> = (0..files.len()).collect();
    let mut trees = TreeCache::default();
    // The tree of the commit the walk visits next, learnt as the parent of the one before.
    let mut next_tree: Option<(ObjectId, ObjectId)> = None;
    for (n, info) in walk.enumerate() {
        if n >= depth || found.complete() {
            break;
        }
        let info = match info {
            Ok(i) => i,
            Err(e) => {
                // A shallow clone ends its history early: what was found stands.
                diagnostics.push(history_warning(source, &e.to_string()));
                break;
            }
        };
        let tree = match next_tree.take() {
            Some((commit, tree)) if commit == info.id => tree,
            _ => {
                let Some(tree) = commit_tree(repo, info.id) else {
                    break;
                };
                tree
            }
        };
        let parent = info.parent_ids().next().map(|p| p.detach());
        let parent_tree = parent.and_then(|p| commit_tree(repo, p));
        next_tree = parent.zip(parent_tree);
        let mut changed: Vec<(usize, Option<ObjectId>)> = Vec::new();
        compare(
            repo,
            &mut trees,
            Some(tree),
            parent_tree,
            &paths,
            &all_indices,
            0,
            &mut changed,
        );
        trees.next_commit();
        if !changed.is_empty() {
            let Ok(commit) = info.object() else { break };
            found.record(repo, &commit, changed);
        }
    }
    found.apply(files);
}

/// What the history walk has found so far, per file.
struct FoundHistory {
    /// Contracts keep the content of every version; other files only their last change.
    keep_content: Vec<bool>,
    last_change: Vec<Option<Change>>,
    versions: Vec<Vec<FileVersion>>,
}

impl FoundHistory {
    fn new(files: &[SourceFile]) -> Self {
        FoundHistory {
            keep_content: files
                .iter()
                .map(|f| CONTRACT_MARKERS.iter().any(|m| f.bytes.find(m).is_some()))
                .collect(),
            last_change: vec![None; files.len()],
            versions: vec![Vec::new(); files.len()],
        }
    }

    /// Whether walking further can find nothing new.
    fn complete(&self) -> bool {
        let found_all = self.last_change.iter().all(Option::is_some);
        found_all && !self.keep_content.iter().any(|k| *k)
    }

    /// `commit` changed these files (with their object ids in it; None: not in it).
    fn record(
        &mut self,
        repo: &gix::Repository,
        commit: &gix::Commit<'_>,
        changed: Vec<(usize, Option<ObjectId>)>,
    ) {
        let change = describe(commit);
        for (i, oid) in changed {
            let Some(oid) = oid else { continue };
            if self.last_change[i].is_none() {
                self.last_change[i] = Some(change.clone());
            }
            let content = self.keep_content[i]
                .then(|| {
                    repo.find_object(oid).ok().map(|o| {
                        // Taken, not copied; text that is not UTF-8 is read lossily as before.
                        let text = String::from_utf8(o.detach().data)
                            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                        std::sync::Arc::<str>::from(text)
                    })
                })
                .flatten();
            self.versions[i].push(FileVersion {
                change: change.clone(),
                content,
            });
        }
    }

    fn apply(mut self, files: &mut [SourceFile]) {
        for (i, file) in files.iter_mut().enumerate() {
            file.origin.last_change = self.last_change[i].take();
            file.history = std::mem::take(&mut self.versions[i]);
        }
    }
}

fn history_warning(source: &GitSource, error: &str) -> Diagnostic {
    Diagnostic::warning(Code::HistoryIncomplete, format!("history walk stopped early: {error}"))
        .at_file(&source.name, "")
        .hint("the repository may be shallow or corrupt; last-change dates may be missing (fetch with full history)")
}

fn commit_tree(repo: &gix::Repository, commit: ObjectId) -> Option<ObjectId> {
    repo.find_commit(commit)
        .ok()?
        .tree_id()
        .ok()
        .map(|id| id.detach())
}

/// Entries of a tree by name: (object id, is a tree).
type TreeEntries = HashMap<Vec<u8>, (ObjectId, bool)>;

/// The trees decoded for the commit the walk compares and the one before: a commit's parent
/// tree is the next commit's own, so each tree the walk descends into is decoded once.
#[derive(Default)]
struct TreeCache {
    current: HashMap<ObjectId, std::rc::Rc<TreeEntries>>,
    previous: HashMap<ObjectId, std::rc::Rc<TreeEntries>>,
}

impl TreeCache {
    fn get(&mut self, repo: &gix::Repository, id: Option<ObjectId>) -> std::rc::Rc<TreeEntries> {
        let Some(id) = id else {
            return std::rc::Rc::default();
        };
        if let Some(entries) = self.current.get(&id) {
            return entries.clone();
        }
        let entries = self
            .previous
            .remove(&id)
            .unwrap_or_else(|| std::rc::Rc::new(tree_entries(repo, id)));
        self.current.insert(id, entries.clone());
        entries
    }

    /// Keep what this commit decoded for the next one; drop the rest.
    fn next_commit(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }
}

/// Record into `changed` each tracked path (by index) whose object differs between tree `a`
/// (the commit) and tree `b` (its parent), with the path's object id in `a`.
#[allow(clippy::too_many_arguments)]
fn compare(
    repo: &gix::Repository,
    trees: &mut TreeCache,
    a: Option<ObjectId>,
    b: Option<ObjectId>,
    paths: &[Vec<&str>],
    indices: &[usize],
    level: usize,
    changed: &mut Vec<(usize, Option<ObjectId>)>,
) {
    if a == b {
        return;
    }
    let entries_a = trees.get(repo, a);
    let entries_b = trees.get(repo, b);
    // Group the tracked paths by their component at this level.
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for &i in indices {
        let Some(name) = paths[i].get(level) else {
            continue;
        };
        match groups.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => v.push(i),
            None => groups.push((name, vec![i])),
        }
    }
    for (name, members) in groups {
        let ea = entries_a.get(name.as_bytes()).copied();
        let eb = entries_b.get(name.as_bytes()).copied();
        if ea.map(|e| e.0) == eb.map(|e| e.0) {
            continue;
        }
        let is_tree = |e: Option<(ObjectId, bool)>| e.is_some_and(|(_, t)| t);
        if is_tree(ea) || is_tree(eb) {
            let sub_a = ea.filter(|e| e.1).map(|e| e.0);
            let sub_b = eb.filter(|e| e.1).map(|e| e.0);
            let deeper: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| paths[i].len() > level + 1)
                .collect();
            compare(
                repo,
                trees,
                sub_a,
                sub_b,
                paths,
                &deeper,
                level + 1,
                changed,
            );
        } else {
            for i in members {
                if paths[i].len() == level + 1 {
                    changed.push((i, ea.map(|e| e.0)));
                }
            }
        }
    }
}

fn tree_entries(repo: &gix::Repository, id: ObjectId) -> TreeEntries {
    let mut map = HashMap::new();
    let Ok(tree) = repo.find_tree(id) else {
        return map;
    };
    let Ok(decoded) = tree.decode() else {
        return map;
    };
    for entry in &decoded.entries {
        map.insert(
            entry.filename.to_vec(),
            (entry.oid.to_owned(), entry.mode.is_tree()),
        );
    }
    map
}

fn describe(commit: &gix::Commit<'_>) -> Change {
    let (author, email, timestamp) = match commit.author() {
        Ok(sig) => (sig.name.to_string(), sig.email.to_string(), sig.seconds()),
        Err(_) => (String::new(), String::new(), 0),
    };
    let summary = commit
        .message()
        .map(|m| m.summary().to_string())
        .unwrap_or_default();
    Change {
        commit: commit.id.to_string(),
        author,
        email,
        time: iso8601(timestamp),
        timestamp,
        summary,
    }
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (civil-from-days, no date library needed).
pub fn iso8601(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_764_000_000), "2025-11-24T16:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
    }
}
