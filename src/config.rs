//! `meshdoc.toml`: what to read, where to write, how the site is titled.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;

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
}

impl Default for Site {
    fn default() -> Self {
        Site {
            title: default_title(),
            base_url: String::new(),
            description: String::new(),
        }
    }
}

fn default_title() -> String {
    "Data catalog".to_string()
}

/// One place manifests are read from. A `dir` ending in `/*` stands for each of its sub-folders,
/// one source per folder (one per repository in a checkout-of-many layout).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Display name; defaults to the folder name.
    #[serde(default)]
    pub name: Option<String>,
    pub dir: PathBuf,
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
}

impl Default for Build {
    fn default() -> Self {
        Build {
            out_dir: default_out_dir(),
            max_file_bytes: default_max_file_bytes(),
            page_size: default_page_size(),
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

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Folder whose templates replace the built-in ones of the same name.
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
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            stale_after: default_stale_after(),
            now: None,
        }
    }
}

fn default_stale_after() -> String {
    "2d".to_string()
}

impl MetricsConfig {
    /// The parsed settings, or what is wrong with them.
    pub fn settings(&self) -> Result<crate::catalog::metrics::Settings, String> {
        use crate::catalog::metrics::{parse_duration, Reference, Settings};
        let stale_after = parse_duration(&self.stale_after)
            .filter(|s| *s > 0.0)
            .ok_or_else(|| {
                format!(
                    "[metrics] stale_after = {:?} is not a duration; write e.g. \"2d\", \"36h\" or \"P1W\"",
                    self.stale_after
                )
            })?;
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
            message: e.to_string(),
        })?;
        config.root = root.to_path_buf();
        config.metrics.settings().map_err(|message| Error::Config {
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
            root: root.to_path_buf(),
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
# Absolute address the site is published at; used for the sitemap only (links stay relative).
# base_url = "https://catalog.example.com/"
description = "Every data product, who owns it, and what it promises."

# One [[sources]] block per place manifests live. `dir = "repos/*"` reads each sub-folder
# as its own source (one per team repository).
[[sources]]
dir = "mesh"

[build]
out_dir = "public"
# max_file_bytes = 4194304   # larger files are skipped with a diagnostic
# page_size = 100            # products per listing page

[theme]
# A folder of templates that replace the built-in ones with the same file name.
# templates = "templates"

[metrics]
# A product whose newest metric snapshot is older than this is marked stale.
# stale_after = "2d"
# Compliance is counted back from the newest snapshot in the catalog (`latest`), or from
# `clock` (the time of the build), or from a fixed RFC 3339 time. --now overrides it.
# now = "latest"
"#;
