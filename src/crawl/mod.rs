//! Crawl: read every manifest file of every source, in parallel, one task per source.

pub mod dir;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::catalog::model::Origin;
use crate::config::Config;
use crate::diagnostics::Diagnostic;

/// One source to read. Git repositories join this enum in their own variant.
#[derive(Debug, Clone)]
pub enum Source {
    /// A plain folder, read as it is on disk.
    Dir { name: String, root: PathBuf },
}

impl Source {
    pub fn name(&self) -> &str {
        match self {
            Source::Dir { name, .. } => name,
        }
    }
}

/// The bytes of one candidate manifest, with where they came from.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub origin: Origin,
    pub bytes: Vec<u8>,
}

/// What the crawl found: files and problems, never a hard failure for one bad source.
#[derive(Debug, Default)]
pub struct CrawlResult {
    pub sources: Vec<String>,
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Limits that protect the build from any one team's files.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: u64,
}

/// Turn configured sources into concrete ones (expanding `dir/*`), with a diagnostic for each
/// configured path that does not exist.
pub fn resolve_sources(config: &Config) -> (Vec<Source>, Vec<Diagnostic>) {
    let mut sources = Vec::new();
    let mut diagnostics = Vec::new();
    for sc in &config.sources {
        let text = sc.dir.to_string_lossy();
        let glob_parent = if text == "*" {
            Some("")
        } else {
            text.strip_suffix("/*")
        };
        if let Some(parent) = glob_parent {
            let parent = config.resolve(std::path::Path::new(parent));
            match dir::subfolders(&parent) {
                Ok(subs) => {
                    if subs.is_empty() {
                        diagnostics.push(
                            Diagnostic::warning("empty-source", format!("no folders match {text}"))
                                .at_file(&text, "")
                                .hint("check the path in meshdoc.toml"),
                        );
                    }
                    for (name, root) in subs {
                        sources.push(Source::Dir { name, root });
                    }
                }
                Err(e) => diagnostics.push(
                    Diagnostic::error("source-unreadable", format!("cannot list {}: {e}", parent.display()))
                        .at_file(&text, "")
                        .hint("check the path in meshdoc.toml (relative paths start at the config file's folder)"),
                ),
            }
            continue;
        }
        let path = config.resolve(&sc.dir);
        let name = sc.name.clone().unwrap_or_else(|| dir::folder_name(&path));
        sources.push(Source::Dir { name, root: path });
    }
    dedupe_names(&mut sources);
    (sources, diagnostics)
}

/// Two sources with the same name would mix their files' provenance: number the later ones.
fn dedupe_names(sources: &mut [Source]) {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for s in sources.iter_mut() {
        let Source::Dir { name, .. } = s;
        let n = seen.entry(name.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            *name = format!("{name}-{n}");
        }
    }
}

/// Read all sources in parallel. Files come back sorted by (source, path) for determinism.
pub fn crawl(sources: &[Source], limits: Limits) -> CrawlResult {
    let per_source: Vec<(Vec<SourceFile>, Vec<Diagnostic>)> = sources
        .par_iter()
        .map(|source| match source {
            Source::Dir { name, root } => dir::read(name, root, limits),
        })
        .collect();
    let mut result = CrawlResult {
        sources: sources.iter().map(|s| s.name().to_string()).collect(),
        ..CrawlResult::default()
    };
    for (files, diagnostics) in per_source {
        result.files.extend(files);
        result.diagnostics.extend(diagnostics);
    }
    result.files.sort_by(|a, b| {
        (&a.origin.source, &a.origin.path).cmp(&(&b.origin.source, &b.origin.path))
    });
    result
}
