//! The command line as CI and users meet it: exit codes, output formats, init.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn meshdoc(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meshdoc"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("meshdoc runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const BROKEN: &str = "apiVersion: v3.1.0\nkind: DataContract\nstatus: active\n";

#[test]
fn init_then_build_then_check_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let o = meshdoc(dir.path(), &["init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("meshdoc.toml").exists());
    let o = meshdoc(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 products and 1 contracts"),
        "{}",
        stderr(&o)
    );
    let o = meshdoc(dir.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = fs::read_to_string(dir.path().join("public/products/orders/index.html")).unwrap();
    assert!(page.contains("Orders"));
    // A second init refuses to overwrite.
    let o = meshdoc(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"));
}

#[test]
fn check_exit_codes_follow_errors() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("repo")).unwrap();
    fs::write(dir.path().join("repo/bad.yaml"), BROKEN).unwrap();
    let o = meshdoc(dir.path(), &["check", "--source", "repo"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error[missing-field]: repo/bad.yaml:1:1"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");

    let o = meshdoc(
        dir.path(),
        &["check", "--source", "repo", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json on stdout");
    assert_eq!(json[0]["code"], "missing-field");
    assert_eq!(json[0]["file"], "bad.yaml");
    assert_eq!(json[0]["line"], 1);

    let o = meshdoc(
        dir.path(),
        &["check", "--source", "repo", "--format", "github"],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("::error file=bad.yaml,line=1"), "{out}");
}

#[test]
fn build_writes_the_site_even_with_errors_unless_strict() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("repo")).unwrap();
    fs::write(dir.path().join("repo/bad.yaml"), BROKEN).unwrap();
    let o = meshdoc(dir.path(), &["build", "--source", "repo", "--out", "site"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let health = fs::read_to_string(dir.path().join("site/health/index.html")).unwrap();
    assert!(
        health.contains("bad.yaml"),
        "the health page lists the broken file"
    );
    let o = meshdoc(
        dir.path(),
        &["build", "--source", "repo", "--out", "site", "--strict"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn usage_and_io_failures_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = meshdoc(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("meshdoc init"), "{}", stderr(&o));
    let o = meshdoc(dir.path(), &["build", "--config", "missing.toml"]);
    assert_eq!(o.status.code(), Some(2));
    fs::write(dir.path().join("meshdoc.toml"), "[site]\ntitel = 'typo'\n").unwrap();
    let o = meshdoc(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("titel"), "{}", stderr(&o));
}

#[test]
fn build_never_replaces_a_folder_that_is_not_a_site() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("repo")).unwrap();
    fs::create_dir_all(dir.path().join("docs")).unwrap();
    fs::write(dir.path().join("docs/precious.txt"), "keep me").unwrap();
    let o = meshdoc(dir.path(), &["build", "--source", "repo", "--out", "docs"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        fs::read_to_string(dir.path().join("docs/precious.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn a_templates_folder_overrides_built_in_pages() {
    let dir = tempfile::tempdir().unwrap();
    assert!(meshdoc(dir.path(), &["init"]).status.success());
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(
        dir.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Custom not found</p>{% endblock content %}",
    )
    .unwrap();
    let o = meshdoc(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = fs::read_to_string(dir.path().join("public/404.html")).unwrap();
    assert!(page.contains("Custom not found"));
    assert!(
        page.contains("<nav"),
        "the override still extends the built-in base"
    );
}
