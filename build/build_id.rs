//! Build script shared by the crates that key caches (`crawl`: parsed documents; `catalog`:
//! contract changelogs; `site`: up-to-date builds): gives every build of meshdoc an id made from
//! the source it depends on, so a changed meshdoc never reuses what an earlier one produced, even at the same version number. The parse
//! cache depends on the stages up to the crawl; the site on all of meshdoc, templates included.

use std::fs;
use std::path::Path;

fn hash_dir(dir: &Path, h: &mut u64) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            hash_dir(&path, h);
        } else if let Ok(bytes) = fs::read(&path) {
            for b in path.to_string_lossy().bytes().chain(bytes) {
                *h ^= u64::from(b);
                *h = h.wrapping_mul(0x100000001b3);
            }
        }
    }
}

fn main() {
    // Read when the script runs, not baked in when it is compiled: a compiled script reused from
    // another checkout must still hash this one.
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let root = Path::new(&var("CARGO_MANIFEST_DIR")).join("../..");
    let dirs: &[&str] = match var("CARGO_PKG_NAME").as_str() {
        "meshdoc-crawl" => &[
            "crates/model",
            "crates/config",
            "crates/formats",
            "crates/crawl",
        ],
        // Changelogs: the parser and the diff engine.
        "meshdoc-catalog" => &[
            "crates/model",
            "crates/config",
            "crates/formats",
            "crates/catalog",
        ],
        _ => &["crates", "src", "themes"],
    };
    let mut h: u64 = 0xcbf29ce484222325;
    for dir in dirs {
        let dir = root.join(dir);
        hash_dir(&dir, &mut h);
        println!("cargo:rerun-if-changed={}", dir.display());
    }
    let lock = root.join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    if let Ok(lock) = fs::read(&lock) {
        for b in lock {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    println!("cargo:rustc-env=MESHDOC_BUILD_ID={h:016x}");
}
