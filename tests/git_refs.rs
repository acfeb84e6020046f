//! A git source's ref is resolved without opening its repository when the last build learnt
//! what the ref's object peels to (`crawl::refs`). Every way a ref moves must still be seen:
//! a commit, `update-ref`, `pack-refs`, a `packed-refs` rewritten within the same second, a
//! detached or switched HEAD, a branch or a tag named in the config, a fetched remote. Each case
//! checks the commit `prepare` resolves (and that it did not open the repository when the ref
//! had not moved), then that the site shows the new content, byte for byte a cold build's.

#[path = "support/catalog_json.rs"]
mod catalog_json;
#[path = "support/git.rs"]
mod support_git;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use meshdoc::config::{Config, SourceConfig};
use support_git::{git, git_at};

fn product(name: &str) -> String {
    format!(
        "apiVersion: v1.0.0\nkind: DataProduct\nid: orders\nname: {name}\nstatus: active\n\
         domain: sales\nteam:\n  name: sales-team\n"
    )
}

/// Commit `name` as the product's name; the new commit's id.
fn commit(repo: &Path, name: &str, date: &str) -> String {
    fs::write(repo.join("orders.yaml"), product(name)).unwrap();
    git_at(repo, &["add", "-A"], date);
    git_at(repo, &["commit", "-q", "-m", name], date);
    git(repo, &["rev-parse", "HEAD"])
}

/// A repository with a working tree whose `main` has three commits: names One, Two, Three.
fn repo(root: &Path) -> (PathBuf, [String; 3]) {
    let repo = root.join("sales");
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    let one = commit(&repo, "One", "2026-03-01T09:00:00Z");
    let two = commit(&repo, "Two", "2026-03-02T09:00:00Z");
    let three = commit(&repo, "Three", "2026-03-03T09:00:00Z");
    (repo, [one, two, three])
}

fn config(root: &Path, cache: &str, location: &Path, git_ref: Option<&str>) -> Config {
    let mut config = Config::empty(root);
    config.build.cache_dir = Some(root.join(cache));
    let mut source = SourceConfig::git(location.to_string_lossy().into_owned());
    source.git_ref = git_ref.map(str::to_string);
    config.sources = vec![source];
    config
}

/// What `prepare` resolves the single source to: its commit, and whether it opened the
/// repository to tell.
fn prepared(config: &Config) -> (String, bool) {
    let (sources, diagnostics) = meshdoc::crawl::resolve_sources(config);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let options = meshdoc::crawl::CrawlOptions::from_config(config);
    let hidden = indicatif::ProgressBar::hidden();
    let mut prepared = meshdoc::crawl::prepare(&sources, &options, &hidden);
    let p = prepared.pop().expect("one source");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    (p.state.expect("resolved"), p.opened.is_some())
}

/// `prepare` resolves the source to `commit`, then again without opening the repository (the
/// memo learnt the ref's object): the ref's move was seen, and is remembered.
fn resolves_to(config: &Config, commit: &str, why: &str) {
    assert_eq!(prepared(config).0, commit, "{why}");
    assert_eq!(
        prepared(config),
        (commit.to_string(), false),
        "{why}: resolved again without opening the repository"
    );
}

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Build into `site` with the kept cache, and cold into a fresh folder with a fresh cache: the
/// product's name as the site shows it, after checking both sites are byte-identical.
fn built_name(root: &Path, location: &Path, git_ref: Option<&str>) -> String {
    let site = root.join("site");
    let run = |cache: &str, out: &Path| {
        meshdoc::build(
            &config(root, cache, location, git_ref),
            &meshdoc::Options {
                out_dir: Some(out.to_path_buf()),
                ..Default::default()
            },
        )
        .unwrap()
    };
    run("cache", &site);
    let cold = root.join("cold-site");
    let _ = fs::remove_dir_all(&cold);
    let _ = fs::remove_dir_all(root.join("cold-cache"));
    run("cold-cache", &cold);
    let (kept, fresh) = (files(&site), files(&cold));
    assert_eq!(
        kept.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &kept {
        assert!(
            bytes == &fresh[path],
            "{} differs from a cold build",
            path.display()
        );
    }
    let json = catalog_json::expanded(&site);
    json["products"][0]["name"].as_str().unwrap().to_string()
}

#[test]
fn refs_moved_by_commit_update_ref_and_pack_refs_are_seen() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let (repo, [one, two, three]) = repo(root);
    let config = config(root, "cache", &repo, None);

    assert_eq!(
        prepared(&config),
        (three.clone(), true),
        "learnt by opening"
    );
    assert_eq!(
        prepared(&config),
        (three.clone(), false),
        "the ref has not moved: resolved without opening the repository"
    );
    assert_eq!(built_name(root, &repo, None), "Three");

    let four = commit(&repo, "Four", "2026-03-04T09:00:00Z");
    resolves_to(&config, &four, "a new commit");
    assert_eq!(built_name(root, &repo, None), "Four");

    git(&repo, &["update-ref", "refs/heads/main", &two]);
    resolves_to(&config, &two, "moved back by update-ref");
    assert_eq!(built_name(root, &repo, None), "Two");

    // Packed: the loose ref is gone, `packed-refs` names the commit.
    git(&repo, &["pack-refs", "--all"]);
    assert!(!repo.join(".git/refs/heads/main").exists());
    resolves_to(&config, &two, "packed");

    // A loose ref written over a packed one wins.
    git(&repo, &["update-ref", "refs/heads/main", &one]);
    resolves_to(&config, &one, "a loose ref over a packed one");
    assert_eq!(built_name(root, &repo, None), "One");

    // `packed-refs` rewritten within the same second, same size, same time stamp.
    git(&repo, &["pack-refs", "--all"]);
    let packed = repo.join(".git/packed-refs");
    let text = fs::read_to_string(&packed).unwrap();
    assert!(text.contains(&one), "{text}");
    let modified = fs::metadata(&packed).unwrap().modified().unwrap();
    fs::write(&packed, text.replace(&one, &three)).unwrap();
    fs::File::options()
        .write(true)
        .open(&packed)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    resolves_to(&config, &three, "packed-refs rewritten");
    assert_eq!(built_name(root, &repo, None), "Three");
}

#[test]
fn a_detached_or_switched_head_is_seen() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let (repo, [one, two, three]) = repo(root);
    let config = config(root, "cache", &repo, None);
    assert_eq!(built_name(root, &repo, None), "Three");

    git(&repo, &["checkout", "-q", "--detach", &two]);
    resolves_to(&config, &two, "a detached HEAD");
    assert_eq!(built_name(root, &repo, None), "Two");

    git(&repo, &["checkout", "-q", "-b", "other", &one]);
    resolves_to(&config, &one, "HEAD on another branch");
    assert_eq!(built_name(root, &repo, None), "One");

    git(&repo, &["checkout", "-q", "main"]);
    resolves_to(&config, &three, "back on main");
    assert_eq!(built_name(root, &repo, None), "Three");
}

#[test]
fn a_branch_or_tag_named_in_the_config_is_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let (repo, [one, two, three]) = repo(root);

    git(&repo, &["branch", "release", &one]);
    let release = config(root, "cache", &repo, Some("release"));
    resolves_to(&release, &one, "a branch");
    assert_eq!(built_name(root, &repo, Some("release")), "One");
    git(&repo, &["branch", "-f", "release", &two]);
    resolves_to(&release, &two, "the branch moved");
    assert_eq!(built_name(root, &repo, Some("release")), "Two");

    // An annotated tag peels to its commit; the tag moved is another tag object.
    git_at(
        &repo,
        &["tag", "-a", "v1", "-m", "v1", &one],
        "2026-03-05T09:00:00Z",
    );
    let tagged = config(root, "cache", &repo, Some("v1"));
    resolves_to(&tagged, &one, "an annotated tag");
    assert_eq!(built_name(root, &repo, Some("v1")), "One");
    git_at(
        &repo,
        &["tag", "-f", "-a", "v1", "-m", "v1 again", &three],
        "2026-03-05T09:00:00Z",
    );
    resolves_to(&tagged, &three, "the tag moved");
    assert_eq!(built_name(root, &repo, Some("v1")), "Three");

    // A spec that is more than a ref name is always resolved by opening the repository.
    let back = config(root, "cache", &repo, Some("main~1"));
    assert_eq!(prepared(&back), (two.clone(), true));
    assert_eq!(prepared(&back), (two, true));
}

#[test]
fn a_damaged_memo_is_ignored() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let (repo, [_, _, three]) = repo(root);
    let config = config(root, "cache", &repo, None);
    assert_eq!(prepared(&config), (three.clone(), true));
    let memo = root.join("cache/refs.mpk");
    let bytes = fs::read(&memo).expect("the memo is stored in the cache folder");
    fs::write(&memo, &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(prepared(&config), (three, true), "learnt again");
}

#[test]
fn a_remote_source_is_fetched_before_its_ref_is_resolved() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let (origin, [_, _, three]) = repo(root);
    let url = PathBuf::from(format!("file://{}", origin.display()));
    let config = config(root, "cache", &url, None);
    assert_eq!(prepared(&config), (three.clone(), true));
    assert_eq!(prepared(&config), (three, false));
    assert_eq!(built_name(root, &url, None), "Three");

    let four = commit(&origin, "Four", "2026-03-04T09:00:00Z");
    resolves_to(&config, &four, "fetched, then resolved");
    assert_eq!(built_name(root, &url, None), "Four");
}

#[test]
fn a_source_resolved_by_the_memo_is_read_when_its_parse_cache_is_gone() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let (repo, [_, two, three]) = repo(root);
    assert_eq!(built_name(root, &repo, None), "Three");
    let config = config(root, "cache", &repo, None);
    // The ref moves to a commit the memo knows, whose parsed content is no longer cached: the
    // repository is opened only to read it, at the commit the memo gave.
    git(&repo, &["update-ref", "refs/heads/main", &two]);
    resolves_to(&config, &two, "moved back");
    fs::remove_dir_all(root.join("cache/parsed")).unwrap();
    assert_eq!(built_name(root, &repo, None), "Two");
    git(&repo, &["update-ref", "refs/heads/main", &three]);
    assert_eq!(built_name(root, &repo, None), "Three");
}
