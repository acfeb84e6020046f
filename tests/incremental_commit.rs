//! A new commit in one git repository: every file of that repository now names the new commit in
//! its origin, but only the entity's own pages show it. Pages of other repositories that read
//! those entities (a consumer's product page reads the contract it consumes) are not rendered
//! again, and the site stays byte for byte what a cold build writes.

#[path = "support/git.rs"]
mod support_git;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use meshdoc::config::Config;
use support_git::git_at;

fn commit(repo: &Path, files: &[(String, String)], date: &str) {
    for (rel, text) in files {
        let path = repo.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    git_at(repo, &["add", "-A"], date);
    git_at(repo, &["commit", "-q", "-m", "change"], date);
}

/// Product `p-{i}` (ODPS) serving contract `c-{i}`, consuming the contracts `inputs`.
fn product(i: usize, inputs: &[usize], purpose: &str) -> String {
    let inputs: String = inputs
        .iter()
        .map(|u| format!("  - name: in-{u}\n    version: 1.0.0\n    contractId: c-{u}\n"))
        .collect();
    format!(
        "apiVersion: v1.0.0\nkind: DataProduct\nid: p-{i}\nname: Product {i}\nversion: 1.0.0\n\
         status: active\ndomain: sales\ndescription:\n  purpose: {purpose}\nteam:\n  name: team-a\n\
         inputPorts:{}\noutputPorts:\n  - name: table-{i}\n    version: 1.0.0\n    contractId: c-{i}\n",
        if inputs.is_empty() {
            " []".to_string()
        } else {
            format!("\n{}", inputs.trim_end())
        }
    )
}

fn contract(i: usize) -> String {
    format!(
        "apiVersion: v3.1.0\nkind: DataContract\nid: c-{i}\nname: Contract {i}\nversion: 1.0.0\n\
         status: active\ndomain: sales\ndataProduct: p-{i}\nschema:\n  - name: t_{i}\n    \
         properties:\n      - name: id\n        logicalType: string\n"
    )
}

fn files_of(products: &[(usize, &[usize], &str)]) -> Vec<(String, String)> {
    products
        .iter()
        .flat_map(|&(i, inputs, purpose)| {
            [
                (format!("p-{i}.yaml"), product(i, inputs, purpose)),
                (format!("c-{i}.yaml"), contract(i)),
            ]
        })
        .collect()
}

/// Two repositories: `sales` with p-0 and p-1, `finance` with p-2, which consumes p-0's contract.
fn mesh(root: &Path) {
    for name in ["sales", "finance"] {
        let repo = root.join(name);
        fs::create_dir_all(&repo).unwrap();
        git_at(&repo, &["init", "-q", "-b", "main"], "2026-01-01T00:00:00Z");
    }
    commit(
        &root.join("sales"),
        &files_of(&[(0, &[], "Orders."), (1, &[], "Customers.")]),
        "2026-03-01T09:00:00Z",
    );
    commit(
        &root.join("finance"),
        &files_of(&[(2, &[0], "Revenue.")]),
        "2026-03-02T09:00:00Z",
    );
    fs::write(
        root.join("meshdoc.toml"),
        "[site]\ntitle = \"Commits\"\n[[sources]]\ngit = \"sales\"\n[[sources]]\ngit = \"finance\"\n\
         [build]\ncache_dir = \"cache\"\n",
    )
    .unwrap();
}

fn build(root: &Path, out: &str) -> meshdoc::BuildReport {
    build_with(root, "meshdoc.toml", out)
}

fn build_with(root: &Path, config: &str, out: &str) -> meshdoc::BuildReport {
    let config = Config::load(&root.join(config)).unwrap();
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(root.join(out)),
            ..Default::default()
        },
    )
    .unwrap()
}

fn files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The entity pages (HTML and JSON record) among the files a build rendered.
fn entity_pages(report: &meshdoc::BuildReport) -> Vec<String> {
    let mut pages: Vec<String> = report
        .rendered_paths
        .iter()
        .filter(|p| p.starts_with("products/p-") || p.starts_with("contracts/c-"))
        .filter(|p| p.ends_with("/index.html") || p.ends_with("/index.json"))
        .cloned()
        .collect();
    pages.sort();
    pages
}

#[test]
fn a_new_commit_rerenders_the_pages_of_its_repository_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    mesh(root);
    build(root, "site");
    let before = files(&root.join("site"));
    commit(
        &root.join("sales"),
        &files_of(&[(1, &[], "Customers, deduplicated.")]),
        "2026-03-05T12:00:00Z",
    );
    let second = build(root, "site");
    // The pages of the sales repository's entities name the new commit; p-2 reads c-0 (it
    // consumes it) and c-2 reads p-2, but neither shows a commit of the sales repository.
    assert_eq!(
        entity_pages(&second),
        [
            "contracts/c-0/index.html",
            "contracts/c-0/index.json",
            "contracts/c-1/index.html",
            "contracts/c-1/index.json",
            "products/p-0/index.html",
            "products/p-0/index.json",
            "products/p-1/index.html",
            "products/p-1/index.json",
        ]
        .map(String::from)
        .to_vec()
    );
    let after = files(&root.join("site"));
    let head = support_git::git(&root.join("sales"), &["rev-parse", "HEAD"]);
    for page in ["products/p-0/index.html", "contracts/c-0/index.html"] {
        let text = String::from_utf8_lossy(&after[page]);
        assert!(text.contains(&head[..7]), "{page} shows the new commit");
    }
    assert!(String::from_utf8_lossy(&after["products/p-1/index.html"])
        .contains("Customers, deduplicated."));
    assert_eq!(
        before["products/p-2/index.html"], after["products/p-2/index.html"],
        "the consumer's page is kept"
    );

    assert_same_as_cold(root, &after);
}

/// A cold build of the same repositories (its own cache, its own folder) writes these files.
fn assert_same_as_cold(root: &Path, site: &BTreeMap<String, Vec<u8>>) {
    let config = fs::read_to_string(root.join("meshdoc.toml")).unwrap();
    fs::write(
        root.join("cold.toml"),
        config.replace("\"cache\"", "\"cold-cache\""),
    )
    .unwrap();
    let _ = fs::remove_dir_all(root.join("cold-cache"));
    let _ = fs::remove_dir_all(root.join("cold"));
    let cold = build_with(root, "cold.toml", "cold");
    assert_eq!(cold.rendered, cold.counts.files);
    let cold = files(&root.join("cold"));
    assert_eq!(
        cold.keys().collect::<Vec<_>>(),
        site.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &cold {
        assert!(&site[path] == bytes, "{path} differs from a cold build");
    }
}

/// The search documents kept for the next build (one file per output folder).
fn kept_search_documents(root: &Path) -> Vec<std::path::PathBuf> {
    fs::read_dir(root.join("cache/builds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "search"))
        .collect()
}

/// Every file of the site's search index, one after the other.
fn search_index(root: &Path) -> String {
    walkdir::WalkDir::new(root.join("site/search"))
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| fs::read_to_string(e.path()).unwrap())
        .collect()
}

#[test]
fn search_documents_kept_from_the_last_build_match_a_cold_build_even_when_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    mesh(root);
    build(root, "site");
    let kept = kept_search_documents(root);
    assert_eq!(kept.len(), 1, "the build kept its search documents");
    assert!(!search_index(root).contains("deduplicated"));

    // Taken as they were for the unchanged products and contracts; the edited one is new.
    commit(
        &root.join("sales"),
        &files_of(&[(1, &[], "Customers, deduplicated.")]),
        "2026-03-05T12:00:00Z",
    );
    build(root, "site");
    assert!(search_index(root).contains("deduplicated"));
    assert_same_as_cold(root, &files(&root.join("site")));

    // A file cut short, or not one at all, is ignored: every document is made afresh.
    let bytes = fs::read(&kept[0]).unwrap();
    for (n, damaged) in [bytes[..bytes.len() / 2].to_vec(), b"not a cache".to_vec()]
        .into_iter()
        .enumerate()
    {
        fs::write(&kept[0], &damaged).unwrap();
        let purpose = format!("Revenue, round {n}.");
        commit(
            &root.join("finance"),
            &files_of(&[(2, &[0], &purpose)]),
            &format!("2026-03-0{}T12:00:00Z", 6 + n),
        );
        build(root, "site");
        assert!(search_index(root).contains(&format!("round {n}")));
        assert_same_as_cold(root, &files(&root.join("site")));
    }
}
