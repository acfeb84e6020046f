//! Bad input costs one diagnostic each, names file, line and column with a hint, and never stops
//! the rest of the catalog from building.

use std::fs;
use std::path::Path;

use meshdoc::config::{Config, SourceConfig};
use meshdoc::Severity;

const GOOD_PRODUCT: &str = "apiVersion: v1.0.0\nkind: DataProduct\nid: good\nname: Good product\nstatus: active\nteam:\n  name: team-a\n";

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

fn load(dir: &Path) -> meshdoc::Catalog {
    let mut config = Config::empty(dir);
    config.sources = vec![SourceConfig {
        name: Some("repo".into()),
        dir: Some(dir.to_path_buf()),
        ..Default::default()
    }];
    meshdoc::load_catalog(&config)
}

fn only(catalog: &meshdoc::Catalog, file: &str) -> meshdoc::Diagnostic {
    let found: Vec<_> = catalog
        .diagnostics
        .iter()
        .filter(|d| d.file == file)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one diagnostic for {file}: {found:#?}"
    );
    let d = found[0].clone();
    assert_eq!(d.source, "repo");
    assert!(d.hint.is_some(), "{d:?} has no hint");
    d
}

#[test]
fn each_broken_file_gives_one_located_diagnostic_and_the_rest_builds() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "good.odps.yaml", GOOD_PRODUCT.as_bytes());
    write(
        d,
        "invalid.yaml",
        b"apiVersion: v3.1.0\nkind: DataContract\nid: x\nschema:\n  - name: a\n   properties: []\n",
    );
    write(
        d,
        "wrong-type.yaml",
        b"apiVersion: v3.1.0\nkind: DataContract\nid: wt\nversion: 1.0.0\nstatus: active\nschema:\n  - name: t\n    properties:\n      - name: c\n        required: maybe\n",
    );
    write(
        d,
        "missing.yaml",
        b"apiVersion: v3.1.0\nkind: DataContract\nversion: 1.0.0\nstatus: active\nname: No id\n",
    );
    write(
        d,
        "zz-dup.yaml",
        GOOD_PRODUCT.replace("Good product", "Copy").as_bytes(),
    );
    write(d, "empty.odcs.yaml", b"");
    write(d, "latin1.datacontract.yaml", b"id: caf\xe9\n");
    // Not manifests (by name or keys): passed over, broken or not.
    write(d, "empty.yaml", b"");
    write(d, "latin1-data.yaml", b"city: caf\xe9\n");
    write(
        d,
        "unrelated.json",
        b"{\"name\": \"some-npm-package\", \"version\": \"1.0.0\"}",
    );

    let catalog = load(d);
    let good = catalog
        .product("good")
        .expect("the good product still builds");
    assert_eq!(good.name, "Good product", "the first definition wins");

    let syntax = only(&catalog, "invalid.yaml");
    assert_eq!(
        (syntax.code.as_str(), syntax.severity, syntax.line),
        ("yaml-syntax", Severity::Error, Some(6))
    );
    assert!(syntax.column.is_some());

    let wrong = only(&catalog, "wrong-type.yaml");
    assert_eq!(
        (wrong.code.as_str(), wrong.line, wrong.column),
        ("wrong-type", Some(10), Some(19))
    );
    assert!(wrong.message.contains("\"maybe\""), "{}", wrong.message);
    assert!(
        catalog.contract("wt").is_some(),
        "a wrong field does not drop the contract"
    );

    let missing = only(&catalog, "missing.yaml");
    assert_eq!(
        (missing.code.as_str(), missing.line),
        ("missing-field", Some(1))
    );
    assert!(missing.message.contains("`id`"));

    let dup = only(&catalog, "zz-dup.yaml");
    assert_eq!(dup.code, "duplicate-id");
    assert!(
        dup.message.contains("good.odps.yaml"),
        "names the first definition: {}",
        dup.message
    );

    let empty = only(&catalog, "empty.odcs.yaml");
    assert_eq!(empty.code, "empty-file");

    let latin = only(&catalog, "latin1.datacontract.yaml");
    assert_eq!(
        (latin.code.as_str(), latin.line, latin.column),
        ("not-utf8", Some(1), Some(8))
    );

    for unrelated in ["unrelated.json", "empty.yaml", "latin1-data.yaml"] {
        assert!(
            catalog.diagnostics.iter().all(|d| d.file != unrelated),
            "unrelated files are ignored quietly: {unrelated}"
        );
    }
}

#[test]
fn hostile_input_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let deep = format!(
        "apiVersion: v3.1.0\nkind: DataContract\nid: deep\nx: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    write(d, "deep.yaml", deep.as_bytes());
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nkind: DataContract\n";
    write(d, "bomb.yaml", bomb.as_bytes());
    write(d, "scalar.yaml", b"just a string");
    write(d, "list.yaml", b"- kind: DataContract\n- 1\n");
    write(
        d,
        "nulls.yaml",
        b"apiVersion: v1.0.0\nkind: DataProduct\nid: ~\nstatus:\n",
    );
    write(d, "types.yaml", b"apiVersion: v1.0.0\nkind: DataProduct\nid: [1, 2]\nstatus: {a: b}\ninputPorts: 5\noutputPorts: {x: 1}\n");
    write(
        d,
        "tabs.yaml",
        b"kind: DataContract\napiVersion: v3.1.0\nid: t\n\tstatus: active\n",
    );
    write(
        d,
        "dupkey.yaml",
        b"kind: DataContract\napiVersion: v3.1.0\nid: k\nid: k2\n",
    );
    let catalog = load(d);
    for file in [
        "deep.yaml",
        "bomb.yaml",
        "nulls.yaml",
        "types.yaml",
        "tabs.yaml",
        "dupkey.yaml",
    ] {
        assert!(
            catalog
                .diagnostics
                .iter()
                .any(|x| x.file == file && x.line.is_some()),
            "{file} should be diagnosed with a line: {:#?}",
            catalog.diagnostics
        );
    }
}

#[cfg(unix)]
#[test]
fn symlinks_never_lead_out_of_a_source() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret.yaml",
        GOOD_PRODUCT.replace("id: good", "id: secret").as_bytes(),
    );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "inside.yaml", GOOD_PRODUCT.as_bytes());
    std::os::unix::fs::symlink(outside.path().join("secret.yaml"), d.join("link.yaml")).unwrap();
    std::os::unix::fs::symlink(d.join("inside.yaml"), d.join("alias.yaml")).unwrap();
    let catalog = load(d);
    assert!(
        catalog.product("secret").is_none(),
        "a link out of the source is not followed"
    );
    let d = only(&catalog, "link.yaml");
    assert_eq!(d.code, "symlink-outside-source");
}

#[test]
fn oversized_files_are_skipped_with_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "big.yaml",
        format!("{GOOD_PRODUCT}description: \"{}\"\n", "x".repeat(2000)).as_bytes(),
    );
    let mut config = Config::empty(d);
    config.build.max_file_bytes = 1000;
    config.sources = vec![SourceConfig {
        name: Some("repo".into()),
        dir: Some(d.to_path_buf()),
        ..Default::default()
    }];
    let catalog = meshdoc::load_catalog(&config);
    assert!(catalog.product("good").is_none());
    assert_eq!(only(&catalog, "big.yaml").code, "file-too-large");
}

#[test]
fn a_missing_source_is_a_diagnostic_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "repo/good.yaml", GOOD_PRODUCT.as_bytes());
    let mut config = Config::empty(dir.path());
    config.sources = vec![
        SourceConfig {
            name: None,
            dir: Some("nope".into()),
            ..Default::default()
        },
        SourceConfig {
            name: None,
            dir: Some("repo".into()),
            ..Default::default()
        },
    ];
    let catalog = meshdoc::load_catalog(&config);
    assert!(catalog.product("good").is_some());
    let d = catalog
        .diagnostics
        .iter()
        .find(|d| d.code == "source-unreadable")
        .expect("diagnostic");
    assert_eq!(d.source, "nope");
    assert!(d.hint.as_deref().unwrap_or("").contains("meshdoc.toml"));
}
