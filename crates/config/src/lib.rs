//! `meshdoc.toml`: what to read, where to write, how the site is titled.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use model::error::Error;

pub mod access;
pub mod git_url;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub site: Site,
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
    #[serde(default)]
    pub build: Build,
    #[serde(default)]
    pub theme: Theme,
    #[serde(default)]
    pub metrics: MetricsConfig,
    #[serde(default)]
    pub access: access::Access,
    /// Folder the config was read from; relative paths resolve against it.
    #[serde(skip)]
    pub root: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    #[serde(default = "default_title")]
    pub title: String,
    /// Absolute URL the site is published at (used only for the sitemap); links stay relative.
    #[serde(default)]
    pub base_url: String,
    #[serde(default)]
    pub description: String,
    /// The maintainers' markdown shown first on the start page (`start/`), relative to the config.
    #[serde(default)]
    pub start: Option<PathBuf>,
}

impl Default for Site {
    fn default() -> Self {
        Site {
            title: default_title(),
            base_url: String::new(),
            description: String::new(),
            start: None,
        }
    }
}

fn default_title() -> String {
    "Data catalog".to_string()
}

/// One place manifests are read from: a plain folder (`dir`) or a git repository (`git`).
/// A `dir` ending in `/*` stands for each of its sub-folders, one source per folder; a local `git`
/// path may end in a glob (`/srv/git/*.git`) for many repositories.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Display name; defaults to the folder or repository name.
    #[serde(default)]
    pub name: Option<String>,
    /// A plain folder, read as it is on disk.
    #[serde(default)]
    pub dir: Option<PathBuf>,
    /// A git repository: a local path (bare or not) or a remote URL (cloned into the cache).
    #[serde(default)]
    pub git: Option<String>,
    /// Branch, tag or commit to read; default: HEAD (for remotes, the remote's default branch).
    #[serde(default, rename = "ref")]
    pub git_ref: Option<String>,
    /// Only files matching one of these globs (relative to the repository root) are read.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Files matching one of these globs (relative to the repository root) are left out; a glob
    /// that matches a folder leaves out everything in it.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Link pattern to a file in the code host: `{repo}`, `{ref}`, `{commit}` and `{path}` are filled in.
    #[serde(default)]
    pub web: Option<String>,
}

impl SourceConfig {
    pub fn dir(path: impl Into<PathBuf>) -> Self {
        SourceConfig {
            dir: Some(path.into()),
            ..SourceConfig::default()
        }
    }

    pub fn git(location: impl Into<String>) -> Self {
        SourceConfig {
            git: Some(location.into()),
            ..SourceConfig::default()
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Build {
    #[serde(default = "default_out_dir")]
    pub out_dir: PathBuf,
    /// Files larger than this are skipped with a diagnostic.
    #[serde(default = "default_max_file_bytes")]
    pub max_file_bytes: u64,
    /// Products per page on the paginated product listing.
    #[serde(default = "default_page_size")]
    pub page_size: usize,
    /// Where remote repositories are cloned and parsed documents are cached.
    /// Default: `$MESHDOC_CACHE_DIR`, else `$XDG_CACHE_HOME/meshdoc`, else `~/.cache/meshdoc`.
    #[serde(default)]
    pub cache_dir: Option<PathBuf>,
    /// At most this many clones or fetches run at once.
    #[serde(default = "default_fetch_jobs")]
    pub fetch_jobs: usize,
    /// How many commits of each repository's history are walked for provenance and contract history.
    #[serde(default = "default_history_depth")]
    pub history_depth: usize,
}

impl Default for Build {
    fn default() -> Self {
        Build {
            out_dir: default_out_dir(),
            max_file_bytes: default_max_file_bytes(),
            page_size: default_page_size(),
            cache_dir: None,
            fetch_jobs: default_fetch_jobs(),
            history_depth: default_history_depth(),
        }
    }
}

fn default_out_dir() -> PathBuf {
    PathBuf::from("public")
}

fn default_max_file_bytes() -> u64 {
    4 * 1024 * 1024
}

fn default_page_size() -> usize {
    100
}

fn default_fetch_jobs() -> usize {
    4
}

fn default_history_depth() -> usize {
    1000
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Theme folder (default: `theme/` beside the config, if it exists): files in its
    /// `templates/` and `static/` replace the built-in ones of the same name.
    #[serde(default)]
    pub dir: Option<PathBuf>,
    /// Folder whose templates replace the built-in ones of the same name (and those of `dir`).
    #[serde(default)]
    pub templates: Option<PathBuf>,
}

/// `[metrics]`: how metric snapshots are evaluated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    /// A product whose newest snapshot is older than this is marked stale (`2d`, `36h`, `P1W`).
    #[serde(default = "default_stale_after")]
    pub stale_after: String,
    /// The time compliance is counted back from: `latest` (default: the newest snapshot in the
    /// catalog), `clock` (the time of the build) or an RFC 3339 timestamp. `--now` and
    /// `MESHDOC_NOW` override it.
    #[serde(default)]
    pub now: Option<String>,
    /// Where every CSV must be a metric series (globs relative to each source's root); elsewhere
    /// only a CSV whose header is exactly a metric header is one.
    #[serde(default = "default_metric_paths")]
    pub paths: Vec<String>,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            stale_after: default_stale_after(),
            now: None,
            paths: default_metric_paths(),
        }
    }
}

/// The same default as `formats::Settings::DEFAULT_METRIC_PATHS` (formats does not read config).
fn default_metric_paths() -> Vec<String> {
    vec!["metrics/**".to_string()]
}

fn default_stale_after() -> String {
    "2d".to_string()
}

impl MetricsConfig {
    /// The parsed settings, or what is wrong with them.
    pub fn settings(&self) -> Result<model::measure::Settings, String> {
        use model::measure::{parse_duration, Reference, Settings};
        let stale_after = parse_duration(&self.stale_after)
            .filter(|s| *s > 0.0)
            .ok_or_else(|| {
                format!(
                    "[metrics] stale_after = {:?} is not a duration; write e.g. \"2d\", \"36h\" or \"P1W\"",
                    self.stale_after
                )
            })?;
        for p in &self.paths {
            globset::GlobBuilder::new(p)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("[metrics] paths: {p:?} is not a glob: {e}"))?;
        }
        let reference = match &self.now {
            None => Reference::Latest,
            Some(now) => Reference::parse(now)
                .map_err(|e| format!("[metrics] now: {e} (or `latest`, `clock`)"))?,
        };
        Ok(Settings {
            reference,
            stale_after: stale_after.round() as i64,
        })
    }
}

impl Config {
    pub fn from_toml(text: &str, root: &Path, file: &Path) -> Result<Config, Error> {
        let mut config: Config = toml::from_str(text).map_err(|e| Error::Config {
            file: file.to_path_buf(),
            // The error quotes the offending line, which may be a URL with a token.
            message: model::redact::text(&e.to_string()).into_owned(),
        })?;
        config.root = root.to_path_buf();
        for source in &config.sources {
            if let Some(git) = &source.git {
                git_url::check(git).map_err(|message| Error::Config {
                    file: file.to_path_buf(),
                    message: format!("[[sources]] {message}"),
                })?;
            }
        }
        config.metrics.settings().map_err(|message| Error::Config {
            file: file.to_path_buf(),
            message,
        })?;
        config.access.check().map_err(|message| Error::Config {
            file: file.to_path_buf(),
            message,
        })?;
        Ok(config)
    }

    /// Read a config file; paths in it are relative to its folder.
    pub fn load(file: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(file).map_err(|e| Error::Io {
            path: file.to_path_buf(),
            source: e,
        })?;
        let root = file
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        Config::from_toml(&text, &root, file)
    }

    /// The config used when there is no file: sources given on the command line, defaults else.
    pub fn empty(root: &Path) -> Config {
        Config {
            site: Site::default(),
            sources: Vec::new(),
            build: Build::default(),
            theme: Theme::default(),
            metrics: MetricsConfig::default(),
            access: access::Access::default(),
            root: root.to_path_buf(),
        }
    }

    /// The cache folder: configured, else from the environment, else beside the config.
    pub fn cache_dir(&self) -> PathBuf {
        if let Some(dir) = &self.build.cache_dir {
            return self.resolve(dir);
        }
        if let Some(dir) = std::env::var_os("MESHDOC_CACHE_DIR") {
            return PathBuf::from(dir);
        }
        if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
            return PathBuf::from(dir).join("meshdoc");
        }
        match std::env::var_os("HOME") {
            Some(home) => PathBuf::from(home).join(".cache/meshdoc"),
            None => self.root.join(".meshdoc-cache"),
        }
    }

    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.root.join(path)
        }
    }
}

/// The commented starter config that `meshdoc init` writes.
pub const STARTER: &str = r#"# meshdoc configuration. Paths are relative to this file.

[site]
title = "Our data mesh"
# Absolute address the site is published at. With it: sitemap.xml, absolute links in the Atom
# feed and on the 404 page (which a web server shows at any missing address, however deep).
# Every other link stays relative, so the site works under any sub-path and from file://.
# base_url = "https://catalog.example.com/"
description = "Every data product, who owns it, and what it promises."
# Markdown shown first on the start page (start/): what this catalog is for, whom to ask.
# start = "START.md"

# One [[sources]] block per place manifests live. `dir = "repos/*"` reads each sub-folder
# as its own source (one per team repository).
[[sources]]
dir = "mesh"

# Git repositories are read from their commits (no checkout needed; bare repositories work):
# [[sources]]
# git = "https://git.example.com/sales/orders.git"  # cloned into the cache, fetched on later runs
# ref = "main"                                      # branch, tag or commit (default: HEAD)
# paths = ["dataproducts/**", "contracts/**"]       # optional filter
# exclude = ["charts/**", "**/*.template.yaml"]     # optional: files (or folders) left out
# web = "https://git.example.com/sales/orders/blob/{commit}/{path}"
# [[sources]]
# git = "/srv/git/*.git"                            # many local repositories

[build]
out_dir = "public"
# max_file_bytes = 4194304   # larger files are skipped with a diagnostic
# page_size = 100            # products per listing page

[theme]
# A theme folder: files in its templates/ and static/ replace the built-in ones of the same
# name (`meshdoc init --theme` writes the default theme there to edit). Default: theme/, if any.
# dir = "theme"

[metrics]
# A product whose newest metric snapshot is older than this is marked stale.
# stale_after = "2d"
# Compliance is counted back from the newest snapshot in the catalog (`latest`), or from
# `clock` (the time of the build), or from a fixed RFC 3339 time. --now overrides it.
# now = "latest"
# Every CSV under these paths (globs from each source's root) must be a metric series; elsewhere
# only a CSV whose header is exactly `timestamp,metric,value[,outputPort][,product]` is one.
# paths = ["metrics/**"]

[access]
# Where a reader asks for access to an output port: {product}, {port}, {contract} and {version}
# are filled in (URL-encoded). Only http(s) and mailto addresses are accepted.
# request_url = "https://servicedesk.example.com/new?product={product}&port={port}&contract={contract}&version={version}"
"#;
