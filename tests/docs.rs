//! README's promises that code can check: the diagnostics table lists exactly the registry.

use meshdoc::model::Code;

/// The `| code | severity | meaning |` rows of README's Diagnostics section.
fn readme_rows() -> Vec<(String, String, String)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md beside Cargo.toml");
    let section = readme
        .split("\n## Diagnostics")
        .nth(1)
        .expect("a Diagnostics section");
    section
        .lines()
        .skip_while(|l| !l.starts_with("| code |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(cells.len(), 3, "a row of three cells: {l}");
            (
                cells[0].trim_matches('`').to_string(),
                cells[1].to_string(),
                cells[2].to_string(),
            )
        })
        .collect()
}

#[test]
fn readme_diagnostics_table_equals_the_registry() {
    let expected: Vec<(String, String, String)> = Code::ALL
        .iter()
        .map(|c| {
            (
                c.as_str().to_string(),
                c.severity().as_str().to_string(),
                c.meaning().to_string(),
            )
        })
        .collect();
    let found = readme_rows();
    if found != expected {
        let table: String = expected
            .iter()
            .map(|(c, s, m)| format!("| `{c}` | {s} | {m} |\n"))
            .collect();
        panic!("README's diagnostics table differs from crates/model/src/codes.rs; the rows should read:\n{table}");
    }
}

/// The rows of the first table after `marker` in README, as cells.
fn readme_table_after(marker: &str) -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md beside Cargo.toml");
    let section = readme.split(marker).nth(1).expect("the marker in README");
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn readme_manifest_name_conventions_equal_the_code() {
    let expected: Vec<Vec<String>> = meshdoc::formats::manifest::MANIFEST_NAMES
        .iter()
        .map(|(word, examples)| vec![format!("`{word}`"), examples.to_string()])
        .collect();
    let found = readme_table_after("\n### Which files are manifests");
    assert_eq!(
        found, expected,
        "README's table of manifest names differs from formats::manifest::MANIFEST_NAMES"
    );
}
