//! Defence in depth, as a user and an attacker meet it: no credential from a source URL reaches
//! any output, git runs only over allowed transports with no hooks or submodules, hostile refs
//! and paths stay inert, and builds into one folder recover from kills and do not interleave.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PRODUCT: &str = "apiVersion: v1.0.0\nkind: DataProduct\nid: orders\nname: Orders\nstatus: active\ndomain: sales\nteam:\n  name: sales-team\noutputPorts:\n  - name: table\n    version: 1.0.0\n    contractId: orders-v1\n";
const CONTRACT: &str = "apiVersion: v3.1.0\nkind: DataContract\nid: orders-v1\nname: Orders\nversion: 1.0.0\nstatus: active\nschema:\n  - name: orders\n    properties:\n      - name: order_id\n        logicalType: string\n";

/// Run git in `dir` with no user or system config, so the machine's settings do not leak in.
fn git(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Alice")
        .env("GIT_AUTHOR_EMAIL", "alice@example.com")
        .env("GIT_COMMITTER_NAME", "Alice")
        .env("GIT_COMMITTER_EMAIL", "alice@example.com")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A repository holding one product and its contract, committed on `main`.
fn repository(dir: &Path) -> PathBuf {
    fs::create_dir_all(dir.join("contracts")).unwrap();
    git(dir, &["init", "-q", "-b", "main"]);
    fs::write(dir.join("orders.odps.yaml"), PRODUCT).unwrap();
    fs::write(dir.join("contracts/orders.odcs.yaml"), CONTRACT).unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "orders"]);
    dir.to_path_buf()
}

/// `meshdoc` in `dir` with its own cache and no user git config.
fn meshdoc(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_meshdoc"));
    command
        .args(args)
        .current_dir(dir)
        .env("MESHDOC_CACHE_DIR", dir.join(".cache"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("MESHDOC_LOCK_WAIT");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("meshdoc runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            fs::read(e.path())
                .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
        })
        .map(|e| e.path().to_path_buf())
        .collect()
}

/// The id of a process that has exited: no process runs under it (for a while).
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

// ---------------------------------------------------------------------------------------------
// Credentials

#[test]
fn credentials_in_source_urls_reach_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repository(&dir.path().join("orders"));
    // A remote that fails at once (nothing listens on port 9), with a token as user-info and
    // another in the query; a working file:// remote whose URL has user-info; a provenance link
    // pattern with a token.
    let config = format!(
        r#"[site]
title = "Mesh"

[[sources]]
git = "https://deploy-bot:TOKEN-USERINFO-1@127.0.0.1:9/sales/billing.git?private_token=TOKEN-QUERY-2"

[[sources]]
git = "file://reader:TOKEN-FILE-3@{}"
web = "https://ci:TOKEN-WEB-4@git.example.com/sales/orders/blob/{{commit}}/{{path}}"
"#,
        repo.display()
    );
    fs::write(dir.path().join("meshdoc.toml"), config).unwrap();
    let secrets = [
        "TOKEN-USERINFO-1",
        "TOKEN-QUERY-2",
        "TOKEN-FILE-3",
        "TOKEN-WEB-4",
    ];
    for args in [
        &["build"][..],
        &["build", "--force", "--verbose"][..],
        &["check"][..],
        &["check", "--format", "json"][..],
        &["check", "--format", "github"][..],
    ] {
        let o = meshdoc(dir.path(), args, &[]);
        let shown = text(&o);
        for secret in secrets {
            assert!(
                !shown.contains(secret),
                "meshdoc {args:?} printed {secret}:\n{shown}"
            );
        }
        if args[0] == "build" {
            // The failure is still reported, with the URL masked.
            assert!(
                shown.contains("https://***@127.0.0.1:9/sales/billing.git?private_token=***"),
                "{shown}"
            );
        }
    }
    let public = dir.path().join("public");
    // The working source was read: its product has a page, its provenance link is masked.
    let product = fs::read_to_string(public.join("products/orders/index.html")).unwrap();
    assert!(
        product.contains("https://***@git.example.com/sales/orders/blob/"),
        "provenance link"
    );
    let health = fs::read_to_string(public.join("health/index.html")).unwrap();
    assert!(
        health.contains("clone-failed") || health.contains("cannot clone"),
        "{health}"
    );
    for secret in secrets {
        assert_eq!(
            files_containing(&public, secret),
            Vec::<PathBuf>::new(),
            "{secret}"
        );
    }
}

#[test]
fn a_config_error_does_not_quote_a_token() {
    let dir = tempfile::tempdir().unwrap();
    // A TOML syntax error on the line that holds the token: the parser quotes that line.
    fs::write(
        dir.path().join("meshdoc.toml"),
        "[[sources]]\ngit = \"https://bot:TOKEN-IN-TOML@h.example/r.git\" x\n",
    )
    .unwrap();
    let o = meshdoc(dir.path(), &["build"], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(!text(&o).contains("TOKEN-IN-TOML"), "{}", text(&o));
}

// ---------------------------------------------------------------------------------------------
// Git transports, hooks, submodules, hostile refs and paths

#[test]
fn only_allowed_transports_are_accepted_with_a_clear_config_error() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pwned");
    for (location, expected) in [
        (
            format!("ext::sh -c touch% {}", marker.display()),
            "remote helper `ext::`",
        ),
        ("fd::7".to_string(), "remote helper `fd::`"),
        ("http://h.example/r.git".to_string(), "`http` transport"),
        ("ftp://h.example/r.git".to_string(), "`ftp` transport"),
        (
            format!("--upload-pack=touch {}://x", marker.display()),
            "starts with `-`",
        ),
    ] {
        fs::write(
            dir.path().join("meshdoc.toml"),
            format!("[[sources]]\ngit = {}\n", toml_string(&location)),
        )
        .unwrap();
        let o = meshdoc(dir.path(), &["build"], &[]);
        assert_eq!(o.status.code(), Some(2), "{location}: {}", text(&o));
        assert!(text(&o).contains(expected), "{location}: {}", text(&o));
        assert!(
            text(&o).contains("meshdoc.toml"),
            "names the file: {}",
            text(&o)
        );
        assert!(!marker.exists(), "{location} ran a command");
    }
}

#[test]
fn sources_made_in_code_are_checked_too() {
    // A config built by a program skips the file check: the crawl checks again.
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pwned");
    let mut config = meshdoc::Config::empty(dir.path());
    config
        .sources
        .push(meshdoc::config::SourceConfig::git(format!(
            "ext::sh -c touch% {}",
            marker.display()
        )));
    let (sources, diagnostics) = meshdoc::crawl::resolve_sources(&config);
    assert!(sources.is_empty());
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0].code.as_str(),
        "bad-source",
        "{:?}",
        diagnostics[0]
    );
    assert!(
        diagnostics[0].message.contains("ext::"),
        "{:?}",
        diagnostics[0]
    );
    assert!(!marker.exists());
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A user git config whose hooks (any hook) touch `marker`.
fn hostile_git_config(dir: &Path, marker: &Path) -> PathBuf {
    let hooks = dir.join("hooks");
    fs::create_dir_all(&hooks).unwrap();
    for hook in [
        "reference-transaction",
        "post-checkout",
        "post-merge",
        "post-fetch",
    ] {
        let path = hooks.join(hook);
        fs::write(&path, format!("#!/bin/sh\ntouch {}\n", marker.display())).unwrap();
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let config = dir.join("gitconfig");
    fs::write(
        &config,
        format!(
            "[core]\n\thooksPath = {}\n[init]\n\ttemplateDir = {}\n[submodule]\n\trecurse = true\n[protocol \"ext\"]\n\tallow = always\n",
            hooks.display(),
            dir.join("template").display()
        ),
    )
    .unwrap();
    config
}

#[test]
fn hooks_and_submodules_never_run() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repository(&dir.path().join("orders"));
    // A submodule whose URL would run a command if git ever fetched it.
    let sub_marker = dir.path().join("submodule-ran");
    fs::write(
        repo.join(".gitmodules"),
        format!(
            "[submodule \"evil\"]\n\tpath = evil\n\turl = ext::sh -c touch% {}\n",
            sub_marker.display()
        ),
    )
    .unwrap();
    git(&repo, &["add", ".gitmodules"]);
    git(&repo, &["commit", "-q", "-m", "submodule"]);
    let hook_marker = dir.path().join("hook-ran");
    let user_config = hostile_git_config(&dir.path().join("user"), &hook_marker);
    // The test can fail: plain git with this user config does run the hook.
    let probe = Command::new("git")
        .args(["clone", "--bare", "-q", "--"])
        .arg(format!("file://{}", repo.display()))
        .arg(dir.path().join("probe.git"))
        .env("GIT_CONFIG_GLOBAL", &user_config)
        .output()
        .unwrap();
    assert!(
        probe.status.success(),
        "{}",
        String::from_utf8_lossy(&probe.stderr)
    );
    assert!(hook_marker.exists(), "the probe clone ran the hook");
    fs::remove_file(&hook_marker).unwrap();

    fs::write(
        dir.path().join("meshdoc.toml"),
        format!("[[sources]]\ngit = \"file://{}\"\n", repo.display()),
    )
    .unwrap();
    let env = [("GIT_CONFIG_GLOBAL", user_config.to_str().unwrap())];
    for args in [&["build"][..], &["build", "--force"][..]] {
        // First a clone, then a fetch into the cached clone.
        let o = meshdoc(dir.path(), args, &env);
        assert!(o.status.success(), "{}", text(&o));
        assert!(dir
            .path()
            .join("public/products/orders/index.html")
            .exists());
        assert!(!hook_marker.exists(), "a hook ran during meshdoc {args:?}");
        assert!(!sub_marker.exists(), "a submodule was fetched");
    }
}

#[test]
fn hostile_ref_names_reach_no_shell() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repository(&dir.path().join("orders"));
    let marker = dir.path().join("pwned");
    for git_ref in [
        format!("--upload-pack=touch {}", marker.display()),
        format!("$(touch {})", marker.display()),
        "../../../etc/passwd".to_string(),
        "main; touch pwned".to_string(),
    ] {
        for location in [
            repo.display().to_string(),
            format!("file://{}", repo.display()),
        ] {
            fs::write(
                dir.path().join("meshdoc.toml"),
                format!(
                    "[[sources]]\ngit = {}\nref = {}\n",
                    toml_string(&location),
                    toml_string(&git_ref)
                ),
            )
            .unwrap();
            let o = meshdoc(dir.path(), &["build"], &[]);
            assert!(
                text(&o).contains("unknown-ref") || text(&o).contains("does not exist"),
                "{git_ref}: {}",
                text(&o)
            );
            assert!(text(&o).contains("existing branches: main"), "{}", text(&o));
            assert!(
                !marker.exists() && !dir.path().join("pwned").exists(),
                "{git_ref} ran"
            );
        }
    }
}

/// Write a tree object with the given raw entries (mode, name, object id) as git would not.
fn literal_tree(repo: &Path, entries: &[(&str, &str, &str)]) -> String {
    let mut bytes = Vec::new();
    for (mode, name, oid) in entries {
        bytes.extend_from_slice(format!("{mode} {name}\0").as_bytes());
        for i in (0..40).step_by(2) {
            bytes.push(u8::from_str_radix(&oid[i..i + 2], 16).unwrap());
        }
    }
    let file = repo.join("tree.bin");
    fs::write(&file, bytes).unwrap();
    let out = git(
        repo,
        &["hash-object", "-t", "tree", "-w", "--literally", "tree.bin"],
    );
    fs::remove_file(&file).unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn hostile_paths_in_a_repository_stay_inside_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repository(&dir.path().join("orders"));
    let blob = |text: &str| {
        fs::write(repo.join("blob.txt"), text).unwrap();
        let out = git(&repo, &["hash-object", "-w", "blob.txt"]);
        fs::remove_file(repo.join("blob.txt")).unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let contract = blob(
        &CONTRACT
            .replace("orders-v1", "escape")
            .replace("Orders", "Escape"),
    );
    // Entries git itself refuses to write: `..`, names with slashes, a dotted page name.
    let inner = literal_tree(&repo, &[("100644", "escape.odcs.yaml", &contract)]);
    let root = literal_tree(
        &repo,
        &[
            ("40000", "..", &inner),
            ("100644", "../../outside.odcs.yaml", &contract),
            ("100644", "index.html.odcs.yaml", &contract),
        ],
    );
    let commit = git(&repo, &["commit-tree", &root, "-m", "hostile"]);
    let commit = String::from_utf8_lossy(&commit.stdout).trim().to_string();
    git(&repo, &["update-ref", "refs/heads/hostile", &commit]);
    fs::write(
        dir.path().join("meshdoc.toml"),
        format!(
            "[[sources]]\ngit = {}\nref = \"hostile\"\n\n[build]\nout_dir = \"site/public\"\n",
            toml_string(&repo.display().to_string())
        ),
    )
    .unwrap();
    let before: Vec<_> = listing(dir.path());
    let o = meshdoc(dir.path(), &["build"], &[]);
    assert!(o.status.code() != Some(101), "no panic: {}", text(&o));
    // The crafted entries are refused by name, and nothing under them is catalogued.
    assert!(
        text(&o).matches("warning[unsafe-path]").count() >= 2,
        "{}",
        text(&o)
    );
    assert!(!text(&o).contains("repeated-document"), "{}", text(&o));
    assert!(!dir.path().join("site/public/contracts/escape").exists());
    let after: Vec<_> = listing(dir.path());
    let outside: Vec<_> = after
        .iter()
        .filter(|p| !before.contains(p))
        .filter(|p| p.as_str() != "site" && !p.starts_with("site/") && !p.starts_with(".cache"))
        .collect();
    assert!(
        outside.is_empty(),
        "written outside the output: {outside:?}"
    );
    // Inside the site every file stays under the output folder, none named by the hostile path.
    for p in after.iter().filter(|p| p.starts_with("site/")) {
        assert!(p.starts_with("site/public"), "{p}");
        assert!(
            !p.contains("outside.odcs.yaml") || p.contains("contract-"),
            "{p}"
        );
    }
}

fn listing(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Killed and concurrent builds

fn site(dir: &Path) {
    fs::create_dir_all(dir.join("mesh")).unwrap();
    fs::write(dir.join("mesh/orders.odps.yaml"), PRODUCT).unwrap();
    fs::write(dir.join("mesh/orders.odcs.yaml"), CONTRACT).unwrap();
    fs::write(dir.join("meshdoc.toml"), "[[sources]]\ndir = \"mesh\"\n").unwrap();
}

#[test]
fn staging_folders_of_killed_builds_are_removed_by_the_next_build() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    let o = meshdoc(dir.path(), &["build"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    let dead = dead_pid();
    let stale_new = dir.path().join(format!(".public.meshdoc-new-{dead}"));
    let stale_old = dir.path().join(format!(".public.meshdoc-old-{dead}"));
    // A live process's staging folder (this test's own) is not another build's leftover.
    let live = dir
        .path()
        .join(format!(".public.meshdoc-new-{}", std::process::id()));
    for d in [&stale_new, &stale_old, &live] {
        fs::create_dir_all(d.join("products")).unwrap();
        fs::write(d.join("products/half.html"), "half-written").unwrap();
    }
    // Nothing changed, so the build is up to date: it still cleans up.
    let o = meshdoc(dir.path(), &["build"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        !stale_new.exists() && !stale_old.exists(),
        "stale staging left behind"
    );
    assert!(live.exists(), "a live process's folder was removed");
    assert!(dir.path().join("public/catalog.json").exists());
}

#[test]
fn a_site_retired_by_a_build_killed_between_its_renames_is_put_back() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    assert!(meshdoc(dir.path(), &["build"], &[]).status.success());
    let before = fs::read(dir.path().join("public/products/orders/index.html")).unwrap();
    // Killed after moving the old site aside, before moving the new one in.
    let dead = dead_pid();
    fs::rename(
        dir.path().join("public"),
        dir.path().join(format!(".public.meshdoc-old-{dead}")),
    )
    .unwrap();
    let recovered = meshdoc::output::lock::recover(dir.path(), "public");
    assert!(recovered.is_empty(), "nothing to remove: {recovered:?}");
    assert_eq!(
        fs::read(dir.path().join("public/products/orders/index.html")).unwrap(),
        before
    );
}

#[test]
fn a_build_killed_mid_write_leaves_the_previous_site_and_the_next_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    // Enough products that writing takes a while.
    for i in 0..1500 {
        fs::write(
            dir.path().join(format!("mesh/p{i}.odps.yaml")),
            PRODUCT
                .replace("id: orders", &format!("id: p{i}"))
                .replace("name: Orders", &format!("name: Product {i}")),
        )
        .unwrap();
    }
    assert!(meshdoc(dir.path(), &["build"], &[]).status.success());
    let snapshot = |root: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(root).unwrap().display().to_string(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot(&dir.path().join("public"));
    fs::write(
        dir.path().join("mesh/orders.odps.yaml"),
        PRODUCT.replace("name: Orders", "name: Orders 2"),
    )
    .unwrap();
    let mut killed = false;
    for _attempt in 0..5 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_meshdoc"))
            .args(["build", "--force"])
            .current_dir(dir.path())
            .env("MESHDOC_CACHE_DIR", dir.path().join(".cache"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let staging = dir
            .path()
            .join(format!(".public.meshdoc-new-{}", child.id()));
        // Wait for the staging folder to fill a little, then kill -9.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while std::time::Instant::now() < deadline {
            if fs::read_dir(staging.join("products")).is_ok_and(|d| d.count() > 10) {
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        if !finished && staging.exists() {
            killed = true;
            assert_eq!(
                snapshot(&dir.path().join("public")),
                before,
                "the previous site changed"
            );
            let lock = dir.path().join(".public.meshdoc-lock");
            assert!(lock.exists(), "the killed build's lock is left");
            let o = meshdoc(dir.path(), &["build"], &[]);
            assert!(o.status.success(), "{}", text(&o));
            assert!(
                !staging.exists(),
                "the killed build's staging folder is left"
            );
            assert!(!lock.exists(), "the stale lock was not released");
            let page =
                fs::read_to_string(dir.path().join("public/products/orders/index.html")).unwrap();
            assert!(page.contains("Orders 2"));
            break;
        }
        // The build finished before it could be caught: restore the old content and retry.
        fs::write(
            dir.path().join("mesh/orders.odps.yaml"),
            PRODUCT.replace("name: Orders", &format!("name: Orders 2{_attempt}")),
        )
        .unwrap();
    }
    assert!(killed, "no build could be caught mid-write");
}

#[test]
fn a_second_build_into_the_same_folder_waits_then_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    let lock = dir.path().join(".public.meshdoc-lock");
    let host = fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default();
    // Held by a live process (this test) on this host.
    fs::write(
        &lock,
        format!(
            "pid={}\nhost={host}\nstarted=1764000000\n",
            std::process::id()
        ),
    )
    .unwrap();
    let o = meshdoc(dir.path(), &["build"], &[("MESHDOC_LOCK_WAIT", "1")]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let shown = text(&o);
    assert!(
        shown.contains("waiting for another meshdoc build"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("pid {}", std::process::id())),
        "{shown}"
    );
    assert!(shown.contains("If no build is running, delete"), "{shown}");
    assert!(!dir.path().join("public").exists(), "it wrote while locked");
    assert!(lock.exists(), "another build's lock was removed");

    // Released while the second build waits: it goes on. The lock is removed once the build
    // says it is waiting (not after a fixed time, which a loaded machine can outrun).
    let mut command = Command::new(env!("CARGO_BIN_EXE_meshdoc"));
    command
        .arg("build")
        .current_dir(dir.path())
        .env("MESHDOC_CACHE_DIR", dir.path().join(".cache"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("MESHDOC_LOCK_WAIT", "120")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().expect("meshdoc runs");
    let stderr = child.stderr.take().unwrap();
    let reader = {
        let lock = lock.clone();
        std::thread::spawn(move || {
            use std::io::BufRead;
            let mut shown = String::new();
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if line.contains("waiting for another meshdoc build") && lock.exists() {
                    fs::remove_file(&lock).unwrap();
                }
                shown.push_str(&line);
                shown.push('\n');
            }
            shown
        })
    };
    let o = child.wait_with_output().unwrap();
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        reader.join().unwrap()
    );
    assert!(o.status.success(), "{shown}");
    assert!(
        shown.contains("waiting for another meshdoc build"),
        "{shown}"
    );
    assert!(dir.path().join("public/catalog.json").exists());
    assert!(!lock.exists(), "the lock outlived the build");
}

#[test]
fn a_lock_left_by_a_dead_build_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    let lock = dir.path().join(".public.meshdoc-lock");
    let host = fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default();
    fs::write(
        &lock,
        format!("pid={}\nhost={host}\nstarted=1764000000\n", dead_pid()),
    )
    .unwrap();
    let o = meshdoc(dir.path(), &["build"], &[("MESHDOC_LOCK_WAIT", "0")]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("waiting"), "{}", text(&o));
    assert!(!lock.exists());
}

#[test]
fn concurrent_builds_into_one_folder_both_succeed_one_after_the_other() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_meshdoc"))
            .args(["build", "--force"])
            .current_dir(dir.path())
            .env("MESHDOC_CACHE_DIR", dir.path().join(".cache"))
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert!(a.status.success(), "{}", text(&a));
    assert!(b.status.success(), "{}", text(&b));
    assert!(dir
        .path()
        .join("public/products/orders/index.html")
        .exists());
    let leftovers: Vec<_> = listing(dir.path())
        .into_iter()
        .filter(|p| p.starts_with(".public."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// ---------------------------------------------------------------------------------------------
// Content-Security-Policy

#[path = "support/browser.rs"]
mod browser;

/// The sample site, built into a temporary folder.
fn sample_site() -> (tempfile::TempDir, PathBuf) {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let config = meshdoc::Config::load(&repo.join("meshdoc.toml")).unwrap();
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    (dir, out)
}

/// One page of each kind (by folder and depth), so every template is seen.
fn one_page_per_kind(out: &Path) -> Vec<String> {
    let mut seen = std::collections::BTreeMap::new();
    for path in listing(out).into_iter().filter(|p| p.ends_with(".html")) {
        let parts: Vec<&str> = path.split('/').collect();
        // 404.html links from the server root by design: it is not opened from a file.
        if path == "404.html" {
            continue;
        }
        let kind = format!("{}/{}", parts[0], parts.len());
        seen.entry(kind).or_insert(path);
    }
    seen.into_values().collect()
}

/// The base64 SHA-256 of a text, as CSP hashes are written (python3, which CI has).
fn sha256_base64(text: &str) -> String {
    use std::io::Write as _;
    let mut child = Command::new("python3")
        .args(["-c", "import sys,hashlib,base64;print(base64.b64encode(hashlib.sha256(sys.stdin.buffer.read()).digest()).decode())"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn every_page_declares_a_strict_csp_and_holds_no_inline_code() {
    let (_dir, out) = sample_site();
    let mut pages = 0;
    for path in listing(&out).into_iter().filter(|p| p.ends_with(".html")) {
        let html = fs::read_to_string(out.join(&path)).unwrap();
        let csp = html
            .split("<meta http-equiv=\"Content-Security-Policy\" content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{path}: no Content-Security-Policy meta"));
        for rule in [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri '",
        ] {
            assert!(csp.contains(rule), "{path}: {rule} missing from {csp}");
        }
        assert!(!csp.contains("unsafe-"), "{path}: {csp}");
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains(" style=\""), "{path}: a style attribute");
        assert!(!lower.contains("<style"), "{path}: an inline style sheet");
        for (i, _) in lower.match_indices("<script") {
            let tag = &lower[i..i + lower[i..].find('>').unwrap()];
            if tag.contains(" src=\"") {
                continue;
            }
            // An inline script runs only if the policy names its hash.
            let start = i + tag.len() + 1;
            let body = &html[start..start + lower[start..].find("</script>").unwrap()];
            let hash = sha256_base64(body);
            assert!(
                csp.contains(&format!("'sha256-{hash}'")),
                "{path}: inline script sha256-{hash} not in {csp}"
            );
        }
        if !csp.contains("'sha256-") {
            assert!(csp.contains("base-uri 'none'"), "{path}: {csp}");
        }
        for handler in [
            " onclick=",
            " onload=",
            " onerror=",
            " onmouseover=",
            " onfocus=",
            " onsubmit=",
            " onchange=",
            " oninput=",
        ] {
            assert!(
                !lower.contains(handler),
                "{path}: an inline handler {handler}"
            );
        }
        assert!(!lower.contains("href=\"javascript:"), "{path}");
        pages += 1;
    }
    assert!(pages > 50, "only {pages} pages");
}

#[test]
fn pages_break_no_csp_rule_from_file_urls_and_a_sub_path() {
    let Some(driver) =
        browser::browser_or_skip("pages_break_no_csp_rule_from_file_urls_and_a_sub_path")
    else {
        return;
    };
    let (_dir, out) = sample_site();
    let port = browser::serve(&out, "/catalog/");
    let pages = one_page_per_kind(&out);
    assert!(pages.len() > 10, "{pages:?}");
    for base in [
        format!("file://{}/", out.display()),
        format!("http://127.0.0.1:{port}/catalog/"),
    ] {
        for page in &pages {
            // goto checks the page before for violations; search loads index shards.
            let query = if page.starts_with("search/") {
                "?q=orders"
            } else {
                ""
            };
            driver.goto(&format!("{base}{page}{query}"));
            driver.wait_for(
                "return document.readyState === 'complete'",
                vec![],
                20,
                page,
            );
            if !query.is_empty() {
                driver.wait_for(
                    "return document.querySelectorAll('#search-results .sr-item').length > 0",
                    vec![],
                    20,
                    "search results (index shards loaded under the policy)",
                );
            }
            // The header search box loads shards too. A contract's source view has no site
            // header (a small frame: the file and the way back), so no search box to try.
            if page.ends_with("/source/index.html") {
                continue;
            }
            let input = driver.find("#site-search-input");
            driver.type_into(&input, "cust");
            driver.wait_for(
                "return document.querySelectorAll('#site-search-list .sr-item').length > 0",
                vec![],
                20,
                &format!("header search results on {base}{page}"),
            );
        }
        driver.assert_no_csp_violations();
    }
}

#[test]
fn a_csp_violation_fails_the_browser_check() {
    // The check above can fail: code the policy forbids, added to a real page, is both blocked
    // and reported.
    let Some(driver) = browser::browser_or_skip("a_csp_violation_fails_the_browser_check") else {
        return;
    };
    let (_dir, out) = sample_site();
    driver.goto(&format!("file://{}/index.html", out.display()));
    driver.js(
        "var s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.head.appendChild(s);\
         document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>');",
        vec![],
    );
    assert_eq!(
        driver.js("return window.__ran === true", vec![]),
        serde_json::json!(false),
        "the inline script ran"
    );
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        driver.assert_no_csp_violations()
    }));
    let message = caught
        .err()
        .and_then(|e| e.downcast_ref::<String>().cloned())
        .expect("the violations were not reported");
    assert!(message.contains("Content Security Policy"), "{message}");
}
