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
    assert_eq!(json[0]["source"], "repo");
    assert_eq!(
        json[0]["path"], "repo/bad.yaml",
        "the path from where the check runs"
    );
    assert_eq!(json[0]["line"], 1);

    let o = meshdoc(
        dir.path(),
        &["check", "--source", "repo", "--format", "github"],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.starts_with("::error file=repo/bad.yaml,line=1"),
        "{out}"
    );
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

#[test]
fn an_ejected_theme_is_complete_and_its_edits_show() {
    let dir = tempfile::tempdir().unwrap();
    assert!(meshdoc(dir.path(), &["init"]).status.success());
    let o = meshdoc(dir.path(), &["init", "--theme"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let theme = dir.path().join("theme");
    let written = meshdoc::render::theme::default_files();
    for (path, bytes) in &written {
        assert_eq!(&fs::read(theme.join(path)).unwrap(), bytes, "{path}");
        assert!(stderr(&o).contains(path.as_str()), "prints {path}");
    }
    assert!(written.iter().any(|(p, _)| p == "templates/feed.xml"));
    assert!(written.iter().any(|(p, _)| p == "static/syntax.css"));
    // A second eject refuses to overwrite the edits, unless forced.
    let o = meshdoc(dir.path(), &["init", "--theme"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"));
    assert!(meshdoc(dir.path(), &["init", "--theme", "--force"])
        .status
        .success());

    let o = meshdoc(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let template = theme.join("templates/product.html");
    let edited = fs::read_to_string(&template).unwrap().replacen(
        "{% block content %}",
        "{% block content %}<p>Edited product page</p>",
        1,
    );
    fs::write(&template, edited).unwrap();
    let mut css = fs::read_to_string(theme.join("static/style.css")).unwrap();
    css.push_str("\n.edited-theme { color: rebeccapurple; }\n");
    fs::write(theme.join("static/style.css"), &css).unwrap();
    // No --force: the edits alone must make the build out of date.
    let o = meshdoc(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("up to date"), "{}", stderr(&o));
    let page = fs::read_to_string(dir.path().join("public/products/orders/index.html")).unwrap();
    assert!(page.contains("<p>Edited product page</p>"));
    let out_css = fs::read_to_string(dir.path().join("public/static/style.css")).unwrap();
    assert_eq!(out_css, css);
}

#[test]
fn a_theme_folder_elsewhere_is_configured_and_adds_static_files() {
    let dir = tempfile::tempdir().unwrap();
    assert!(meshdoc(dir.path(), &["init"]).status.success());
    fs::create_dir_all(dir.path().join("look/static/img")).unwrap();
    fs::write(dir.path().join("look/static/theme.js"), "// custom\n").unwrap();
    fs::write(dir.path().join("look/static/img/logo.svg"), "<svg/>").unwrap();
    let toml = fs::read_to_string(dir.path().join("meshdoc.toml")).unwrap();
    let toml = toml.replace("# dir = \"theme\"", "dir = \"look\"");
    fs::write(dir.path().join("meshdoc.toml"), toml).unwrap();
    let o = meshdoc(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public = dir.path().join("public/static");
    assert_eq!(
        fs::read_to_string(public.join("theme.js")).unwrap(),
        "// custom\n"
    );
    assert_eq!(
        fs::read_to_string(public.join("img/logo.svg")).unwrap(),
        "<svg/>"
    );
    assert!(public.join("style.css").exists(), "the rest stays built in");
    // A configured theme folder that is missing is a usage error, not a silent default.
    fs::remove_dir_all(dir.path().join("look")).unwrap();
    let o = meshdoc(dir.path(), &["build"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("init --theme"), "{}", stderr(&o));
}

/// CI checks out the repository and runs `meshdoc check` with a config whose sources are folders
/// deep inside it (`dir = "sub/*"`): every printer names the file by its path from the
/// repository root, the one GitHub attaches an annotation to.
#[test]
fn check_names_files_from_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    // A work tree (`.git` is all the lookup needs), the config in a folder of it.
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::create_dir_all(repo.join("catalog/sub/finance/broken")).unwrap();
    fs::create_dir_all(repo.join("catalog/sub/sales")).unwrap();
    fs::write(
        repo.join("catalog/sub/finance/broken/bad.odcs.yaml"),
        BROKEN,
    )
    .unwrap();
    fs::write(
        repo.join("catalog/meshdoc.toml"),
        "[site]\ntitle = \"t\"\n\n[[sources]]\ndir = \"sub/*\"\n",
    )
    .unwrap();
    // From the repository root and from the config's folder alike.
    for (cwd, config) in [
        (repo.to_path_buf(), "catalog/meshdoc.toml"),
        (repo.join("catalog"), "meshdoc.toml"),
    ] {
        let o = meshdoc(&cwd, &["check", "--config", config, "--format", "github"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            out.starts_with("::error file=catalog/sub/finance/broken/bad.odcs.yaml,line=1,col=1"),
            "{out}"
        );
    }
    let o = meshdoc(repo, &["check", "--config", "catalog/meshdoc.toml"]);
    let err = stderr(&o);
    assert!(
        err.contains("error[missing-field]: catalog/sub/finance/broken/bad.odcs.yaml:1:1"),
        "{err}"
    );
    let o = meshdoc(
        repo,
        &[
            "check",
            "--config",
            "catalog/meshdoc.toml",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json on stdout");
    assert_eq!(json[0]["source"], "finance");
    assert_eq!(json[0]["file"], "broken/bad.odcs.yaml");
    assert_eq!(json[0]["path"], "catalog/sub/finance/broken/bad.odcs.yaml");

    // The health page names the file inside its source, beside the source.
    let o = meshdoc(repo, &["build", "--config", "catalog/meshdoc.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let health = fs::read_to_string(repo.join("catalog/public/health/index.html")).unwrap();
    assert!(
        health.contains(
            "<code>broken/bad.odcs.yaml:1:1</code> <span class=\"muted small\">in finance</span>"
        ),
        "{health}"
    );
}
