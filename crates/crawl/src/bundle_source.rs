//! Bundle sources (`bundle = "…"` in meshdoc.toml): bundle files written by `meshdoc bundle`,
//! read in place of the repositories they were written in. A refused bundle (unreadable, bad
//! checksum, newer format) is one diagnostic and is skipped; the rest is built.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use config::{Config, SourceConfig};
use model::diagnostics::Diagnostic;
use model::{Code, SourceFile};

use super::bundle::{self, Loaded};
use super::{http, Source};

/// One bundle file or URL.
#[derive(Debug, Clone)]
pub struct BundleSource {
    /// The configured name, else the source name written in the bundle (once loaded).
    pub name: String,
    /// As shown and locked: the URL, or the path from the config's folder.
    pub location: String,
    /// Where it is read from: the URL, or the file's full path.
    pub fetch: String,
    /// Whether `name` was configured (and so is kept when the bundle is read).
    pub named: bool,
    pub loaded: Option<Arc<Loaded>>,
}

const TIMEOUT: Duration = Duration::from_secs(120);

impl BundleSource {
    fn source(name: Option<&str>, location: String, fetch: String) -> Source {
        let fallback = location
            .rsplit('/')
            .next()
            .unwrap_or(&location)
            .trim_end_matches(bundle::EXTENSION)
            .to_string();
        Source::Bundle(BundleSource {
            name: name.map_or(fallback, str::to_string),
            location,
            fetch,
            named: name.is_some(),
            loaded: None,
        })
    }

    /// The checksum of the bundle's content, once loaded: what the parse cache is keyed by.
    pub fn state(&self) -> Option<String> {
        self.loaded.as_ref().map(|l| l.header.checksum.clone())
    }

    /// The bundle's files and the diagnostics its crawl reported, under this source's name;
    /// files over this build's `max_file_bytes` are skipped as a folder's would be.
    pub fn read(&self, max_file_bytes: u64) -> (Vec<SourceFile>, Vec<Diagnostic>) {
        let Some(loaded) = &self.loaded else {
            return (Vec::new(), Vec::new());
        };
        let mut diagnostics: Vec<Diagnostic> = loaded
            .content
            .crawl_diagnostics
            .iter()
            .cloned()
            .map(|mut d| {
                d.source = self.name.clone();
                d
            })
            .collect();
        let mut files = loaded.source_files(&self.name);
        files.retain(|f| {
            let size = f.bytes.len() as u64;
            if size <= max_file_bytes {
                return true;
            }
            diagnostics.push(
                Diagnostic::warning(
                    Code::FileTooLarge,
                    format!("file is {size} bytes, over the limit of {max_file_bytes} bytes; skipped"),
                )
                .at_file(&self.name, &f.origin.path)
                .hint("raise [build] max_file_bytes in the central meshdoc.toml if this file is really a manifest"),
            );
            false
        });
        (files, diagnostics)
    }
}

/// The bundle sources a `bundle = "…"` entry stands for.
pub fn resolve(
    config: &Config,
    sc: &SourceConfig,
    location: &str,
    sources: &mut Vec<Source>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if http::is_url(location) {
        sources.push(BundleSource::source(
            sc.name.as_deref(),
            model::redact::url(location),
            location.to_string(),
        ));
        return;
    }
    let path = config.resolve(Path::new(location));
    let shown = |p: &Path| {
        p.strip_prefix(&config.root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let files: Vec<PathBuf> = if path.is_dir() {
        listed(&path, |n| n.ends_with(bundle::EXTENSION))
    } else if file_name.contains(['*', '?', '[']) {
        match globset::Glob::new(&file_name) {
            Ok(g) => {
                let m = g.compile_matcher();
                listed(path.parent().unwrap_or(Path::new(".")), |n| m.is_match(n))
            }
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(Code::BadSource, format!("invalid pattern {location}: {e}"))
                        .at_file(location, "")
                        .hint("only the last path component may hold a pattern, e.g. bundles/*.bundle.json.gz"),
                );
                return;
            }
        }
    } else {
        vec![path.clone()]
    };
    if files.is_empty() {
        diagnostics.push(
            Diagnostic::warning(Code::EmptySource, format!("no bundles match {location}"))
                .at_file(location, "")
                .hint("a folder of bundles holds files ending in .bundle.json.gz, as `meshdoc bundle` writes them"),
        );
    }
    // A configured name names one bundle; for several, each keeps its own.
    let name = sc.name.as_deref().filter(|_| files.len() == 1);
    for file in files {
        sources.push(BundleSource::source(
            name,
            shown(&file),
            file.to_string_lossy().into_owned(),
        ));
    }
}

/// The files of `folder` whose names `keep` accepts, sorted.
fn listed(folder: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| keep(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect();
    files.sort();
    files
}

/// Fetch (or read) and verify the bundle; name the source after the one it holds.
pub fn load(
    source: &mut BundleSource,
    _options: &super::CrawlOptions,
) -> Result<(), Box<Diagnostic>> {
    let fail = |code: Code, message: String, hint: &str| {
        Box::new(
            Diagnostic::error(
                code,
                format!("bundle {}: {message}; skipped", source.location),
            )
            .at_file(&source.name, "")
            .hint(hint),
        )
    };
    let bytes = http::load(&source.fetch, bundle::MAX_BYTES, TIMEOUT).map_err(|e| {
        fail(
            Code::SourceUnreadable,
            e,
            "check the path or URL in meshdoc.toml; the rest of the mesh is built without this bundle",
        )
    })?;
    let loaded = bundle::decode(&bytes).map_err(|r| fail(r.code, r.message, r.hint))?;
    if !source.named && !loaded.content.source.is_empty() {
        source.name = loaded.content.source.clone();
    }
    source.loaded = Some(Arc::new(loaded));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundled_file_over_the_central_limit_is_skipped_with_a_diagnostic() {
        let files = vec![
            SourceFile::new("orders", "small.yaml", "id: a\n"),
            SourceFile::new("orders", "big.yaml", "x".repeat(100)),
        ];
        let bytes =
            bundle::encode("orders", Default::default(), &files, Vec::new(), Vec::new()).unwrap();
        let source = BundleSource {
            name: "orders".into(),
            location: "orders.bundle.json.gz".into(),
            fetch: String::new(),
            named: false,
            loaded: Some(Arc::new(bundle::decode(&bytes).unwrap())),
        };
        let (read, diagnostics) = source.read(50);
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].origin.path, "small.yaml");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::FileTooLarge);
        assert_eq!(diagnostics[0].file, "big.yaml");
    }
}
