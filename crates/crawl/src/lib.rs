//! Crawl: read every manifest file of every source, in parallel, one task per source.

pub mod bundle;
pub mod bundle_source;
pub mod cache;
pub mod dir;
pub mod filter;
pub mod git;
pub mod http;
pub mod refs;
pub mod remote;

use model::Code;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use config::{Config, SourceConfig};
use model::diagnostics::Diagnostic;

/// One source to read.
#[derive(Debug, Clone)]
pub enum Source {
    /// A plain folder, read as it is on disk.
    Dir {
        name: String,
        root: PathBuf,
        filter: filter::Filter,
    },
    /// A git repository, read at a commit.
    Git(git::GitSource),
    /// A bundle written by `meshdoc bundle` in the repository's own CI (federation).
    Bundle(bundle_source::BundleSource),
}

impl Source {
    pub fn name(&self) -> &str {
        match self {
            Source::Dir { name, .. } => name,
            Source::Git(g) => &g.name,
            Source::Bundle(b) => &b.name,
        }
    }

    fn name_mut(&mut self) -> &mut String {
        match self {
            Source::Dir { name, .. } => name,
            Source::Git(g) => &mut g.name,
            Source::Bundle(b) => &mut b.name,
        }
    }
}

pub use model::SourceFile;

/// Limits and settings of one crawl.
#[derive(Debug, Clone)]
pub struct CrawlOptions {
    pub max_file_bytes: u64,
    pub history_depth: usize,
    pub cache_dir: PathBuf,
    pub fetch_jobs: usize,
    /// `[metrics] paths`: where every CSV must be a metric series.
    pub metric_paths: Vec<String>,
    /// `[glossary] definitions`: where every YAML file is a business term.
    pub definition_paths: Vec<String>,
}

impl CrawlOptions {
    pub fn from_config(config: &Config) -> Self {
        CrawlOptions {
            max_file_bytes: config.build.max_file_bytes,
            history_depth: config.build.history_depth,
            cache_dir: config.cache_dir(),
            fetch_jobs: config.build.fetch_jobs,
            metric_paths: config.metrics.paths.clone(),
            definition_paths: config.glossary.definitions.clone(),
        }
    }
}

/// How much of a file too large to read is looked at to tell whether it was meant as a manifest.
const HEAD_BYTES: usize = 64 * 1024;

/// The read settings of the crawl (the config was checked when loaded; a config built in code
/// with a bad glob reads with the defaults).
fn read_settings(options: &CrawlOptions) -> formats::Settings {
    formats::Settings::new(&options.metric_paths)
        .and_then(|s| s.with_definitions(&options.definition_paths))
        .unwrap_or_default()
}

/// Turn configured sources into concrete ones (expanding `dir/*` and git globs), with a
/// diagnostic for each configured path that does not exist.
pub fn resolve_sources(config: &Config) -> (Vec<Source>, Vec<Diagnostic>) {
    let mut sources = Vec::new();
    let mut diagnostics = Vec::new();
    for sc in &config.sources {
        let filter = match filter::Filter::new(&sc.paths, &sc.exclude) {
            Ok(f) => f,
            Err(e) => {
                let location = sc
                    .dir
                    .as_ref()
                    .map(|d| d.to_string_lossy().into_owned())
                    .or_else(|| sc.git.clone())
                    .unwrap_or_default();
                diagnostics.push(
                    Diagnostic::error(Code::BadSource, format!("{e} (source {location})"))
                        .at_file(sc.name.as_deref().unwrap_or(&location), "")
                        .hint("patterns are globs relative to the repository root, e.g. \"contracts/**/*.yaml\" or \"charts/**\""),
                );
                continue;
            }
        };
        match (&sc.dir, &sc.git, &sc.bundle) {
            (Some(dir), None, None) => resolve_dir(config, sc, dir, filter, &mut sources, &mut diagnostics),
            (None, Some(git), None) => resolve_git(config, sc, git, filter, &mut sources, &mut diagnostics),
            (None, None, Some(bundle)) => bundle_source::resolve(config, sc, bundle, &mut sources, &mut diagnostics),
            _ => diagnostics.push(
                Diagnostic::error(Code::BadSource, "a [[sources]] entry needs exactly one of `dir`, `git` or `bundle`")
                    .at_file(sc.name.as_deref().unwrap_or("meshdoc.toml"), "")
                    .hint("write `dir = \"folder\"` for a plain folder or `git = \"url or path\"` for a repository"),
            ),
        }
    }
    dedupe_names(&mut sources);
    (sources, diagnostics)
}

fn resolve_dir(
    config: &Config,
    sc: &SourceConfig,
    dir: &Path,
    filter: filter::Filter,
    sources: &mut Vec<Source>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let text = dir.to_string_lossy();
    let glob_parent = if text == "*" {
        Some("")
    } else {
        text.strip_suffix("/*")
    };
    if let Some(parent) = glob_parent {
        let parent = config.resolve(Path::new(parent));
        match dir::subfolders(&parent) {
            Ok(subs) => {
                if subs.is_empty() {
                    diagnostics.push(
                        Diagnostic::warning(Code::EmptySource, format!("no folders match {text}"))
                            .at_file(&text, "")
                            .hint("check the path in meshdoc.toml"),
                    );
                }
                for (name, root) in subs {
                    sources.push(Source::Dir {
                        name,
                        root,
                        filter: filter.clone(),
                    });
                }
            }
            Err(e) => diagnostics.push(
                Diagnostic::error(Code::SourceUnreadable, format!("cannot list {}: {e}", parent.display()))
                    .at_file(&text, "")
                    .hint("check the path in meshdoc.toml (relative paths start at the config file's folder)"),
            ),
        }
        return;
    }
    let path = config.resolve(dir);
    let name = sc.name.clone().unwrap_or_else(|| dir::folder_name(&path));
    sources.push(Source::Dir {
        name,
        root: path,
        filter,
    });
}

fn resolve_git(
    config: &Config,
    sc: &SourceConfig,
    location: &str,
    filter: filter::Filter,
    sources: &mut Vec<Source>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let make = |name: String, path: PathBuf, url: Option<String>| {
        Source::Git(git::GitSource {
            name,
            path,
            url,
            git_ref: sc.git_ref.clone(),
            filter: filter.clone(),
            web: sc.web.clone(),
        })
    };
    match config::git_url::check(location) {
        Ok(config::git_url::Location::Remote) => {
            let name = sc
                .name
                .clone()
                .unwrap_or_else(|| remote::repository_name(location));
            sources.push(make(name, PathBuf::new(), Some(location.to_string())));
            return;
        }
        Ok(config::git_url::Location::Path) => {}
        Err(message) => {
            diagnostics.push(
                Diagnostic::error(Code::BadSource, message)
                    .at_file(sc.name.as_deref().unwrap_or("meshdoc.toml"), "")
                    .hint("pass credentials through a git credential helper, the SSH agent or the environment, never in the URL"),
            );
            return;
        }
    }
    let path = config.resolve(Path::new(location));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if file_name.contains('*') || file_name.contains('?') {
        for (name, p) in matching_repositories(location, &path, &file_name, diagnostics) {
            sources.push(make(name.trim_end_matches(".git").to_string(), p, None));
        }
        return;
    }
    let name = sc
        .name
        .clone()
        .unwrap_or_else(|| dir::folder_name(&path).trim_end_matches(".git").to_string());
    sources.push(make(name, path, None));
}

/// The folders beside `path` whose names match `pattern`, its last component (`/srv/git/*.git`).
fn matching_repositories(
    location: &str,
    path: &Path,
    pattern: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let matcher = match globset::Glob::new(pattern) {
        Ok(g) => g.compile_matcher(),
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(Code::BadSource, format!("invalid pattern {location}: {e}"))
                    .at_file(location, "")
                    .hint("only the last path component may hold a pattern, e.g. /srv/git/*.git"),
            );
            return Vec::new();
        }
    };
    match dir::subfolders(parent) {
        Ok(subs) => {
            let matched: Vec<_> = subs
                .into_iter()
                .filter(|(n, _)| matcher.is_match(n))
                .collect();
            if matched.is_empty() {
                diagnostics.push(
                    Diagnostic::warning(
                        Code::EmptySource,
                        format!("no repositories match {location}"),
                    )
                    .at_file(location, "")
                    .hint("check the pattern in meshdoc.toml"),
                );
            }
            matched
        }
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::SourceUnreadable,
                    format!("cannot list {}: {e}", parent.display()),
                )
                .at_file(location, "")
                .hint("check the path in meshdoc.toml"),
            );
            Vec::new()
        }
    }
}

/// Two sources with the same name would mix their files' provenance: number the later ones.
fn dedupe_names(sources: &mut [Source]) {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for s in sources.iter_mut() {
        let name = s.name_mut();
        let n = seen.entry(name.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            *name = format!("{name}-{n}");
        }
    }
}

/// A source made ready to read: remote fetched, ref resolved to a commit, folder fingerprinted.
#[derive(Debug)]
pub struct Prepared {
    pub source: Source,
    /// What the source's content is keyed by: the commit id (git) or a hash of the folder's
    /// file names, sizes and times (dir). None when the source cannot be read.
    pub state: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub fetched: Option<remote::Fetched>,
    /// A git source's repository, when it was opened to resolve its ref (the ref memo resolves
    /// most refs without opening it; see `refs`): read from then on.
    pub opened: Option<git::Opened>,
}

/// Phase one, cheap and parallel: fetch remotes, resolve refs, fingerprint folders.
pub fn prepare(
    sources: &[Source],
    options: &CrawlOptions,
    progress: &indicatif::ProgressBar,
) -> Vec<Prepared> {
    let slots = remote::FetchSlots::new(options.fetch_jobs);
    let memo = refs::RefMemo::load(&options.cache_dir);
    let prepare_all = || -> Vec<(Prepared, Resolution)> {
        sources
            .par_iter()
            .map(|source| {
                let prepared = prepare_one(source, options, &slots, &memo);
                progress.inc(1);
                prepared
            })
            .collect()
    };
    let (mut prepared, resolutions): (Vec<Prepared>, Vec<Resolution>) =
        match prepare_pool(sources.len()) {
            Some(pool) => pool.install(prepare_all),
            None => prepare_all(),
        }
        .into_iter()
        .unzip();
    let mut learnt = Vec::new();
    let mut remembered = Vec::new();
    for resolution in resolutions {
        match resolution {
            Resolution::Learnt(l) => learnt.push(l),
            Resolution::Remembered(path, target) => remembered.push((path, target)),
            Resolution::None => {}
        }
    }
    memo.store(&options.cache_dir, &learnt, &remembered);
    // Bundles are named by the source they hold, known only once read.
    let mut names: Vec<Source> = prepared.iter().map(|p| p.source.clone()).collect();
    dedupe_names(&mut names);
    for (p, s) in prepared.iter_mut().zip(names) {
        p.source = s;
    }
    prepared
}

/// Threads that prepare sources: preparing is mostly waiting for the file system (each
/// repository's HEAD, config, refs and pack index, cold on a fresh runner), so more threads
/// than cores overlap those reads; fetches stay bounded by `fetch_jobs` (`FetchSlots`).
const PREPARE_THREADS_PER_CORE: usize = 4;
const PREPARE_THREADS_MAX: usize = 16;

/// A pool for `prepare`, or None (few sources, or no threads to spare): the build's own pool
/// then prepares them.
fn prepare_pool(sources: usize) -> Option<rayon::ThreadPool> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = (cores * PREPARE_THREADS_PER_CORE)
        .min(PREPARE_THREADS_MAX)
        .min(sources);
    if threads <= rayon::current_num_threads() {
        return None;
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("meshdoc-prepare-{i}"))
        .build()
        .ok()
}

/// How a git source's ref was resolved, for the ref memo the next build reads.
enum Resolution {
    /// By opening the repository: what the memo learns.
    Learnt(refs::Learnt),
    /// By the memo alone: the source's path and the object its ref names, kept in the memo.
    Remembered(PathBuf, gix::ObjectId),
    None,
}

fn prepare_one(
    source: &Source,
    options: &CrawlOptions,
    slots: &remote::FetchSlots,
    memo: &refs::RefMemo,
) -> (Prepared, Resolution) {
    let mut resolution = Resolution::None;
    let mut prepared = Prepared {
        source: source.clone(),
        state: None,
        diagnostics: Vec::new(),
        fetched: None,
        opened: None,
    };
    match &mut prepared.source {
        Source::Dir { root, filter, name } => match dir::fingerprint(root, filter) {
            Ok(hash) => prepared.state = Some(hash),
            Err(d) => prepared.diagnostics.push(d.at_file(name, "")),
        },
        Source::Bundle(b) => match bundle_source::load(b, options) {
            Ok(()) => prepared.state = b.state(),
            Err(d) => prepared.diagnostics.push(*d),
        },
        Source::Git(g) => {
            if let Some(url) = g.url.clone() {
                match remote::ensure(&url, &options.cache_dir, slots, &g.name) {
                    Ok((path, how, warning)) => {
                        g.path = path;
                        prepared.fetched = Some(how);
                        prepared.diagnostics.extend(warning);
                    }
                    Err(d) => {
                        prepared.diagnostics.push(*d);
                        return (prepared, resolution);
                    }
                }
            }
            let spec = g.git_ref.as_deref().unwrap_or("HEAD");
            if let Some((target, commit)) = memo.resolve(&g.path, spec) {
                // Opened later, and only if its content is not in the parse cache.
                prepared.state = Some(commit.to_string());
                resolution = Resolution::Remembered(g.path.clone(), target);
                return (prepared, resolution);
            }
            match git::resolve_learning(g, options.max_file_bytes) {
                Ok((opened, learnt)) => {
                    prepared.state = Some(opened.commit_id());
                    prepared.opened = Some(opened);
                    if let Some(l) = learnt {
                        resolution = Resolution::Learnt(l);
                    }
                }
                Err(d) => prepared.diagnostics.push(*d),
            }
        }
    }
    (prepared, resolution)
}

/// A source's path as the file system resolves it, so that the same repository named through
/// another spelling (relative to another working folder, `./`, `..`, a link) keeps its cache.
fn canonical(path: &Path) -> std::borrow::Cow<'_, Path> {
    std::fs::canonicalize(path).map_or(std::borrow::Cow::Borrowed(path), std::borrow::Cow::Owned)
}

/// Everything that decides what a source parses into, as one cache key.
pub fn cache_key(prepared: &Prepared, options: &CrawlOptions) -> Option<String> {
    let state = prepared.state.as_ref()?;
    let identity = match &prepared.source {
        // The folder's fingerprint (the state) covers its ignore file's content.
        Source::Dir { name, root, filter } => {
            let root = canonical(root);
            format!("dir\u{0}{name}\u{0}{}\u{0}{}", root.display(), filter.key())
        }
        // The commit (the state) fixes the ignore file's content.
        Source::Git(g) => format!(
            "git\u{0}{}\u{0}{}\u{0}{:?}\u{0}{:?}\u{0}{}\u{0}{:?}",
            g.name,
            canonical(&g.path).display(),
            g.url,
            g.git_ref,
            g.filter.key(),
            g.web
        ),
        // The checksum (the state) fixes every byte of the bundle's files.
        Source::Bundle(b) => format!("bundle\u{0}{}\u{0}{}", b.name, b.location),
    };
    let text = format!(
        "{}\u{0}{identity}\u{0}{state}\u{0}{}\u{0}{}\u{0}{:?}\u{0}{:?}",
        env!("MESHDOC_BUILD_ID"),
        options.max_file_bytes,
        options.history_depth,
        options.metric_paths,
        options.definition_paths
    );
    Some(format!(
        "{:016x}{:016x}",
        fnv1a(&text),
        fnv1a(&format!("{text}\u{1}"))
    ))
}

fn fnv1a(s: &str) -> u64 {
    model::slug::fnv1a(s)
}

/// What one source parsed into (what the parse cache stores).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SourceDocuments {
    pub files: Vec<formats::ParsedFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Totals of a crawl, for the summary line.
#[derive(Debug, Default, Clone, Copy)]
pub struct CrawlStats {
    pub sources: usize,
    pub cached: usize,
    pub cloned: usize,
    pub fetched: usize,
    pub files: usize,
}

/// Phase two, parallel per source: read and parse, or take the parsed documents from the cache
/// when the source's content is unchanged since an earlier run.
pub fn read(
    prepared: &[Prepared],
    options: &CrawlOptions,
    progress: &indicatif::ProgressBar,
    schemas: &formats::validate::user::UserSchemas,
) -> (Vec<SourceDocuments>, CrawlStats) {
    // Findings against a user's own schema are not part of what the cache keys describe.
    let use_cache = schemas.is_empty();
    let settings = read_settings(options);
    let cache = cache::ParseCache::new(&options.cache_dir);
    let results: Vec<(SourceDocuments, bool)> = prepared
        .par_iter()
        .map(|p| {
            let mut out = SourceDocuments {
                diagnostics: p.diagnostics.clone(),
                ..SourceDocuments::default()
            };
            if p.state.is_none() {
                progress.inc(1);
                return (out, false);
            }
            let key = cache_key(p, options).filter(|_| use_cache);
            if let Some(hit) = key.as_deref().and_then(|k| cache.load(k)) {
                out.files = hit.files;
                out.diagnostics.extend(hit.diagnostics);
                progress.inc(1);
                return (out, true);
            }
            let (files, diagnostics) = match &p.source {
                Source::Dir { name, root, filter } => dir::read(name, root, filter, options),
                Source::Git(g) => match (&p.opened, &p.state) {
                    (Some(opened), _) => git::read_opened(g, opened, options),
                    (None, Some(commit)) => git::read_at(g, commit, options),
                    (None, None) => git::read(g, options),
                },
                Source::Bundle(b) => b.read(options.max_file_bytes),
            };
            let mut fresh = SourceDocuments {
                files: formats::parse_source(&files, schemas, &settings),
                diagnostics,
            };
            if let Some(k) = key.as_deref() {
                cache.store(k, &mut fresh);
            }
            out.files = fresh.files;
            out.diagnostics.extend(fresh.diagnostics);
            progress.inc(1);
            (out, false)
        })
        .collect();
    let mut stats = CrawlStats {
        sources: prepared.len(),
        ..CrawlStats::default()
    };
    for p in prepared {
        match p.fetched {
            Some(remote::Fetched::Cloned) => stats.cloned += 1,
            Some(remote::Fetched::Updated) => stats.fetched += 1,
            _ => {}
        }
    }
    let mut documents = Vec::with_capacity(results.len());
    for (docs, cached) in results {
        stats.cached += usize::from(cached);
        stats.files += docs.files.len();
        documents.push(docs);
    }
    (documents, stats)
}
