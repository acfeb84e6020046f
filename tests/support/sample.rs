//! The bundled sample (`content/` with the repository's `meshdoc.toml`), built once per test
//! binary into a temp folder that the tests of that binary read.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use meshdoc::config::Config;

/// The repository root (where `meshdoc.toml`, `content/` and README.md are).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The built sample site; the first call builds it.
pub fn site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let config = Config::load(&repo().join("meshdoc.toml")).unwrap();
        let report = meshdoc::build(
            &config,
            &meshdoc::Options {
                out_dir: Some(out.clone()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(report.catalog.products.len() >= 16 && report.catalog.contracts.len() >= 16);
        (dir, out)
    });
    out
}

/// One page of the built sample, by its path in the site.
pub fn page(path: &str) -> String {
    fs::read_to_string(site().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}
