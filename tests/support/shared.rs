//! The shared fixtures (`../shared/fixtures/…` beside the checkout): present in a full checkout
//! and in CI, absent from a fresh clone. Tests that need them skip there, saying so; CI sets
//! `MESHDOC_REQUIRE_FIXTURES=1` so that they cannot skip.

use std::path::{Path, PathBuf};

/// `../shared/fixtures/<rel>`, or None (with a message) when it is missing and not required.
pub fn fixtures(rel: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures")
        .join(rel);
    if dir.exists() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("MESHDOC_REQUIRE_FIXTURES").is_none(),
        "MESHDOC_REQUIRE_FIXTURES is set but {} is missing",
        dir.display()
    );
    eprintln!(
        "skipped: {} not found (the shared fixtures sit beside a full checkout)",
        dir.display()
    );
    None
}
