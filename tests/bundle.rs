//! Federation end to end: three product repositories (git work trees made with the git CLI)
//! each run `meshdoc bundle`; a central build from the bundles gives the same catalog as a
//! direct build from the three folders, and meshdoc.lock pins every bundle. Tampered, future
//! and duplicate bundles are diagnosed and skipped (or named), and the rest is built.

#[path = "support/git.rs"]
mod git_cli;
#[path = "support/http_server.rs"]
mod http_server;

use git_cli::git;

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn meshdoc(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meshdoc"))
        .current_dir(dir)
        .args(args)
        // Outside every repository (the mesh lies in `mesh/` of the test's temporary folder).
        .env("MESHDOC_CACHE_DIR", cache_of(dir))
        .env_remove("GITHUB_REF_NAME")
        .env_remove("GITHUB_HEAD_REF")
        .env_remove("CI_COMMIT_REF_NAME")
        .output()
        .expect("meshdoc runs")
}

/// `<tmp>/cache` for any folder under `<tmp>/mesh`.
fn cache_of(dir: &Path) -> PathBuf {
    let mesh = dir
        .ancestors()
        .find(|a| a.file_name().is_some_and(|n| n == "mesh"))
        .expect("under the mesh folder");
    mesh.parent().unwrap().join("cache")
}

fn ok(out: Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    err
}

fn repo(dir: &Path, files: &[(&str, &str)]) -> String {
    for (path, text) in files {
        let file = dir.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, text).unwrap();
    }
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "first"]);
    git(dir, &["rev-parse", "HEAD"])
}

const ORDERS: &str = "apiVersion: v1.0.0\nkind: DataProduct\nid: orders\nname: Orders\nstatus: active\ndomain: sales\nteam:\n  name: sales-team\noutputPorts:\n  - name: orders_table\n    version: 1.0.0\n    contractId: orders-v1\n";
const ORDERS_CONTRACT: &str = "apiVersion: v3.1.0\nkind: DataContract\nid: orders-v1\nname: Orders\nversion: 1.0.0\nstatus: active\nschema:\n  - name: orders\n    properties:\n      - name: order_id\n        logicalType: string\n";
const BILLING: &str = "apiVersion: v1.0.0\nkind: DataProduct\nid: billing\nname: Billing\nstatus: active\ndomain: finance\nteam:\n  name: finance-team\ninputPorts:\n  - name: orders\n    version: 1.0.0\n    contractId: orders-v1\n";
// A broken file travels in the bundle and is diagnosed by the central build as by a direct one.
const BROKEN: &str = "apiVersion: v3.1.0\nkind: DataContract\nid: [unclosed\n";
const CAMPAIGNS: &str = "apiVersion: v1.0.0\nkind: DataProduct\nid: campaigns\nname: Campaigns\nstatus: active\ndomain: marketing\nteam:\n  name: marketing-team\ninputPorts:\n  - name: orders\n    version: 1.0.0\n    contractId: orders-v1\n";

struct Mesh {
    root: PathBuf,
    commits: Vec<String>,
}

/// Three repositories, each bundled from inside it into central/bundles.
fn mesh(root: &Path) -> Mesh {
    let commits = vec![
        repo(
            &root.join("orders"),
            &[
                ("products/orders.odps.yaml", ORDERS),
                ("contracts/orders.odcs.yaml", ORDERS_CONTRACT),
            ],
        ),
        repo(
            &root.join("billing"),
            &[("billing.odps.yaml", BILLING), ("broken.odcs.yaml", BROKEN)],
        ),
        repo(
            &root.join("marketing"),
            &[("campaigns.odps.yaml", CAMPAIGNS)],
        ),
    ];
    let bundles = root.join("central/bundles");
    fs::create_dir_all(&bundles).unwrap();
    for name in ["orders", "billing", "marketing"] {
        let out = bundles.join(format!("{name}.bundle.json.gz"));
        let said = ok(meshdoc(
            &root.join(name),
            &["bundle", "--out", out.to_str().unwrap()],
        ));
        assert!(said.contains(&format!("of source {name}")), "{said}");
    }
    fs::write(
        root.join("central/meshdoc.toml"),
        "[[sources]]\nbundle = \"bundles\"\n",
    )
    .unwrap();
    Mesh {
        root: root.to_path_buf(),
        commits,
    }
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every JSON file of a built site, by path inside it.
fn records(site: &Path) -> Vec<(String, serde_json::Value)> {
    let mut out: Vec<(String, serde_json::Value)> = walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            name == "index.json" || name == "catalog.json"
        })
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(site)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, json(e.path()))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn a_central_build_from_bundles_equals_a_direct_build_and_is_locked() {
    let tmp = tempfile::tempdir().unwrap();
    let m = mesh(&tmp.path().join("mesh"));
    let central = m.root.join("central");
    ok(meshdoc(&central, &["build", "--out", "site"]));
    // In the order a folder of bundles is read (by file name): the catalog lists sources in
    // the order they are configured.
    ok(meshdoc(
        &m.root,
        &[
            "build",
            "--source",
            "billing",
            "--source",
            "marketing",
            "--source",
            "orders",
            "--out",
            "direct",
        ],
    ));

    // The same catalog: catalog.json and every entity's JSON record, field for field. Nothing
    // differs: a folder source has no git provenance in its records, and neither has its bundle
    // (the repository's commit is in the bundle's provenance and the lock, not in the records).
    let direct = records(&m.root.join("direct"));
    let federated = records(&central.join("site"));
    let names =
        |r: &[(String, serde_json::Value)]| r.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&federated), names(&direct));
    assert!(
        direct.len() > 8,
        "products, contracts, teams, domains, lineage, health: {:?}",
        names(&direct)
    );
    for ((path, a), (_, b)) in direct.iter().zip(&federated) {
        assert_eq!(
            a, b,
            "{path} differs between the direct and the federated build"
        );
    }
    let catalog = json(&central.join("site/catalog.json"));
    assert_eq!(
        catalog["sources"],
        serde_json::json!(["billing", "marketing", "orders"])
    );
    assert_eq!(
        catalog["health"]["errors"], 1,
        "the broken file of billing is diagnosed: {catalog}"
    );

    // The lock pins each bundle: file, checksum, format version, commit and branch.
    let lock = fs::read_to_string(central.join("meshdoc.lock")).unwrap();
    for (name, commit) in ["orders", "billing", "marketing"].iter().zip(&m.commits) {
        let entry = format!(
            "[[source]]\nname = \"{name}\"\nkind = \"bundle\"\nlocation = \"bundles/{name}.bundle.json.gz\"\nref = \"main\"\ncommit = \"{commit}\"\nchecksum = \"sha256:"
        );
        assert!(lock.contains(&entry), "{entry}\nnot in\n{lock}");
    }
    assert!(lock.matches("format-version = 1\n").count() == 3, "{lock}");
    // Deterministic: a rebuild writes the same lock, and bundling again the same bytes.
    ok(meshdoc(&central, &["build", "--out", "site", "--force"]));
    assert_eq!(
        fs::read_to_string(central.join("meshdoc.lock")).unwrap(),
        lock
    );
    let again = m.root.join("again.bundle.json.gz");
    ok(meshdoc(
        &m.root.join("billing"),
        &["bundle", "--out", again.to_str().unwrap()],
    ));
    assert_eq!(
        fs::read(&again).unwrap(),
        fs::read(central.join("bundles/billing.bundle.json.gz")).unwrap()
    );

    // --locked passes while the bundles are those locked, and fails (exit 2, nothing built)
    // once a repository publishes a new bundle.
    ok(meshdoc(&central, &["build", "--out", "site", "--locked"]));
    fs::write(
        m.root.join("marketing/campaigns.odps.yaml"),
        CAMPAIGNS.replace("Campaigns", "Campaign Hub"),
    )
    .unwrap();
    git(
        &m.root.join("marketing"),
        &["commit", "-q", "-am", "rename"],
    );
    let bundle = central.join("bundles/marketing.bundle.json.gz");
    ok(meshdoc(
        &m.root.join("marketing"),
        &["bundle", "--out", bundle.to_str().unwrap()],
    ));
    let out = meshdoc(&central, &["build", "--out", "site2", "--locked"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("source `marketing` changed: locked bundles/marketing.bundle.json.gz, commit"),
        "{err}"
    );
    assert!(
        !central.join("site2").exists(),
        "nothing is built on a lock mismatch"
    );
    assert_eq!(
        fs::read_to_string(central.join("meshdoc.lock")).unwrap(),
        lock,
        "--locked never rewrites the lock"
    );
    // Without --locked the lock follows the new bundle.
    ok(meshdoc(&central, &["build", "--out", "site2"]));
    assert_ne!(
        fs::read_to_string(central.join("meshdoc.lock")).unwrap(),
        lock
    );
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .expect("a gzip stream");
    text
}

fn gzip(text: &str) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).expect("compress");
    gz.finish().expect("compress")
}

#[test]
fn tampered_future_and_duplicate_bundles_are_diagnosed_and_the_rest_is_built() {
    let tmp = tempfile::tempdir().unwrap();
    let m = mesh(&tmp.path().join("mesh"));
    let central = m.root.join("central");
    let bundles = central.join("bundles");

    // Tampered: billing's product renamed inside the bundle, the checksum left as it was.
    let billing = gunzip(&fs::read(bundles.join("billing.bundle.json.gz")).unwrap());
    assert!(billing.contains("name: Billing"));
    fs::write(
        bundles.join("billing.bundle.json.gz"),
        gzip(&billing.replace("name: Billing", "name: Billing!")),
    )
    .unwrap();
    // From the future: marketing's bundle claims format version 99.
    let marketing = gunzip(&fs::read(bundles.join("marketing.bundle.json.gz")).unwrap());
    fs::write(
        bundles.join("marketing.bundle.json.gz"),
        gzip(&marketing.replacen("\"formatVersion\":1", "\"formatVersion\":99", 1)),
    )
    .unwrap();
    // A duplicate: a second repository that also defines product `orders`.
    repo(&m.root.join("copycat"), &[("orders.odps.yaml", ORDERS)]);
    let copy = bundles.join("copycat.bundle.json.gz");
    ok(meshdoc(
        &m.root.join("copycat"),
        &["bundle", "--out", copy.to_str().unwrap()],
    ));

    let out = meshdoc(&central, &["build", "--out", "site", "--format", "json"]);
    ok(Output { ..out.clone() });
    let diagnostics: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let of = |code: &str| -> Vec<String> {
        diagnostics
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| d["message"].as_str().unwrap().to_string())
            .collect()
    };
    let checksum = of("bundle-checksum");
    assert_eq!(checksum.len(), 1, "{diagnostics}");
    assert!(
        checksum[0].starts_with("bundle bundles/billing.bundle.json.gz: checksum mismatch"),
        "{}",
        checksum[0]
    );
    assert!(checksum[0].ends_with("; skipped"));
    let version = of("bundle-version");
    assert_eq!(version.len(), 1, "{diagnostics}");
    assert!(
        version[0].contains("bundle format version 99"),
        "{}",
        version[0]
    );
    let conflict = of("bundle-conflict");
    assert_eq!(conflict.len(), 1, "{diagnostics}");
    assert!(
        conflict[0].contains("product `orders` is defined by two bundles: bundle bundles/copycat.bundle.json.gz (source copycat, commit")
            && conflict[0].contains("and bundle bundles/orders.bundle.json.gz (source orders, commit"),
        "{}",
        conflict[0]
    );

    // The rest is built: orders (and its copy) without billing and marketing.
    let catalog = json(&central.join("site/catalog.json"));
    let ids: Vec<&str> = catalog["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["orders"]);
    assert_eq!(catalog["contracts"][0]["id"], "orders-v1");
}

#[test]
fn bundles_are_read_by_url_and_an_unreachable_one_is_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let m = mesh(&tmp.path().join("mesh"));
    let central = m.root.join("central");
    let base = http_server::serve(&central.join("bundles"));
    fs::write(
        central.join("meshdoc.toml"),
        format!(
            "[[sources]]\nbundle = \"{base}orders.bundle.json.gz\"\n\n[[sources]]\nbundle = \"{base}billing.bundle.json.gz\"\n\n[[sources]]\nbundle = \"{base}gone.bundle.json.gz\"\n"
        ),
    )
    .unwrap();
    let out = meshdoc(&central, &["build", "--out", "site", "--format", "json"]);
    ok(out.clone());
    let diagnostics = String::from_utf8_lossy(&out.stdout);
    assert!(
        diagnostics.contains(&format!("bundle {base}gone.bundle.json.gz: cannot fetch")),
        "{diagnostics}"
    );
    let catalog = json(&central.join("site/catalog.json"));
    let ids: Vec<&str> = catalog["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["billing", "orders"]);
    let lock = fs::read_to_string(central.join("meshdoc.lock")).unwrap();
    assert!(
        lock.contains(&format!(
            "name = \"orders\"\nkind = \"bundle\"\nlocation = \"{base}orders.bundle.json.gz\""
        )),
        "{lock}"
    );
}

#[test]
fn a_glob_of_bundles_beside_a_git_source_is_locked_with_the_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let m = mesh(&tmp.path().join("mesh"));
    let central = m.root.join("central");
    git(
        &m.root,
        &["clone", "-q", "--bare", "billing", "billing.git"],
    );
    fs::write(
        central.join("meshdoc.toml"),
        "[[sources]]\nbundle = \"bundles/o*.bundle.json.gz\"\n\n[[sources]]\ngit = \"../billing.git\"\nref = \"main\"\n",
    )
    .unwrap();
    ok(meshdoc(&central, &["build", "--out", "site"]));
    let catalog = json(&central.join("site/catalog.json"));
    assert_eq!(
        catalog["sources"],
        serde_json::json!(["orders", "billing"]),
        "the glob matched orders only"
    );
    let lock = fs::read_to_string(central.join("meshdoc.lock")).unwrap();
    let git_entry = format!(
        "[[source]]\nname = \"billing\"\nkind = \"git\"\nlocation = \"../billing.git\"\nref = \"main\"\ncommit = \"{}\"\n",
        m.commits[1]
    );
    assert!(lock.contains(&git_entry), "{git_entry}\nnot in\n{lock}");
    assert!(
        lock.contains("location = \"bundles/orders.bundle.json.gz\""),
        "{lock}"
    );
    // A new commit on the git source breaks --locked like a new bundle does.
    ok(meshdoc(&central, &["build", "--out", "site", "--locked"]));
    git(
        &m.root.join("billing"),
        &["commit", "-q", "--allow-empty", "-m", "later"],
    );
    git(
        &m.root.join("billing"),
        &["push", "-q", "../billing.git", "main"],
    );
    let out = meshdoc(&central, &["build", "--out", "site", "--locked"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("source `billing` changed"));
}
