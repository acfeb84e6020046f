//! Gives every build of meshdoc an id made from its own source, templates and sample-independent
//! assets. Caches (parsed documents, up-to-date builds) are keyed by it, so a changed meshdoc never
//! reuses what an earlier one produced, even at the same version number.

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
    let mut h: u64 = 0xcbf29ce484222325;
    for dir in ["src", "themes"] {
        hash_dir(Path::new(dir), &mut h);
        println!("cargo:rerun-if-changed={dir}");
    }
    println!("cargo:rerun-if-changed=Cargo.lock");
    if let Ok(lock) = fs::read("Cargo.lock") {
        for b in lock {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    println!("cargo:rustc-env=MESHDOC_BUILD_ID={h:016x}");
}
