//! Benchmark: how fast `model::yaml` reads manifests, against the serde-saphyr reading it
//! replaced (`model::yaml::readings::serde`).
//!
//! Run: `cargo bench --bench yaml -- DIR` (every .yaml/.yml/.json file under DIR; the files of
//! a generated mesh can be taken out of its bare repositories with `git archive`). Prints MB/s
//! of each reading on one thread, how many files the direct reading took, and checks that both
//! give the same trees.

use std::path::PathBuf;
use std::time::Instant;

use meshdoc::model::yaml::{self, readings};

/// The same allocator as the `meshdoc` binary, so the figures are those of the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("content"));
    let texts: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path()
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| matches!(x, "yaml" | "yml" | "json"))
        })
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    println!("{} files, {mb:.1} MB under {}", texts.len(), dir.display());

    let started = Instant::now();
    let old: Vec<_> = texts.iter().map(|t| readings::serde(t)).collect();
    let serde_secs = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let new: Vec<_> = texts.iter().map(|t| yaml::parse_documents(t)).collect();
    let new_secs = started.elapsed().as_secs_f64();

    let direct = texts
        .iter()
        .filter(|t| readings::direct(t).is_some())
        .count();
    let same = old
        .iter()
        .zip(&new)
        .filter(|(a, b)| match (a, b) {
            (Ok(a), Ok(b)) => a == b,
            (Err(a), Err(b)) => a.pos == b.pos && a.message == b.message,
            _ => false,
        })
        .count();
    println!(
        "serde-saphyr: {serde_secs:.2} s, {:.1} MB/s",
        mb / serde_secs
    );
    println!(
        "parse_documents: {new_secs:.2} s, {:.1} MB/s ({:.1}x); {direct} of {} files read directly",
        mb / new_secs,
        serde_secs / new_secs,
        texts.len()
    );
    println!("same result for {same} of {} files", texts.len());
    assert_eq!(same, texts.len(), "the two readings differ");
}
