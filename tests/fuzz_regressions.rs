//! Replays every input the fuzzers found (tests/fuzz_regressions/<target>/*) through the same
//! harness the fuzz targets run (fuzz/harness.rs): a crash or a slow input fixed once stays fixed.
//! CI runs this corpus, not the fuzzer.

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::Path;
use std::time::Instant;

type Target = fn(&[u8]);

const TARGETS: &[(&str, Target)] = &[
    ("detect_parse", harness::detect_parse),
    ("yaml", harness::yaml),
    ("metrics", harness::metrics),
    ("config", harness::config),
    ("markdown", harness::markdown),
];

#[test]
fn every_kept_input_runs_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut replayed = 0;
    for (name, run) in TARGETS {
        let dir = root.join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for path in paths.iter().filter(|p| p.is_file()) {
            let bytes = std::fs::read(path).unwrap();
            let started = Instant::now();
            run(&bytes);
            // Not a speed assertion: a report of which kept input is the slow one, if any.
            eprintln!("{name}/{}: {:?}", path.display(), started.elapsed());
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no kept inputs under {}", root.display());
}

#[test]
fn every_kept_input_belongs_to_a_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    for entry in std::fs::read_dir(&root).unwrap().filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            assert!(
                TARGETS.iter().any(|(t, _)| *t == name),
                "tests/fuzz_regressions/{name} names no fuzz target"
            );
        }
    }
}
