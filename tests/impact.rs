//! `meshdoc check --base REF --catalog …` on a three-repository mesh made with the git CLI:
//! repository A owns the `orders-v1` contract; B's `billing` reads all of it; C's `campaigns`
//! reads some columns (its input port's `columnsUsed`) and C's `loyalty` reads only
//! `customer_id` (column lineage in its own contract). A branch of A removes `coupon_code`: the
//! report names billing and campaigns, never loyalty.

#[path = "support/git.rs"]
mod git_cli;
#[path = "support/http_server.rs"]
mod http_server;

use git_cli::git;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn meshdoc(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meshdoc"));
    cmd.current_dir(dir)
        .args(args)
        .env_remove("GITHUB_STEP_SUMMARY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("meshdoc runs")
}

fn repo(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let file = dir.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, text).unwrap();
    }
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "first"]);
}

const ORDERS_PRODUCT: &str = "apiVersion: v1.0.0\nkind: DataProduct\nid: orders\nname: Orders\nstatus: active\ndomain: sales\nteam:\n  name: sales-team\noutputPorts:\n  - name: orders_table\n    version: 1.0.0\n    contractId: orders-v1\n";

const ORDERS_CONTRACT: &str = "apiVersion: v3.1.0
kind: DataContract
id: orders-v1
name: Orders
version: 1.0.0
status: active
schema:
  - name: orders
    properties:
      - name: order_id
        logicalType: string
      - name: customer_id
        logicalType: string
      - name: coupon_code
        logicalType: string
      - name: total
        logicalType: number
";

const BILLING: &str = "apiVersion: v1.0.0\nkind: DataProduct\nid: billing\nname: Billing\nstatus: active\ndomain: finance\nteam:\n  name: finance-team\n  members:\n    - username: fiona\n      name: Fiona Finance\n      role: owner\ninputPorts:\n  - name: orders\n    version: 1.0.0\n    contractId: orders-v1\n";

const CAMPAIGNS: &str = "apiVersion: v1.0.0\nkind: DataProduct\nid: campaigns\nname: Campaigns\nstatus: active\ndomain: marketing\nteam:\n  name: marketing-team\ninputPorts:\n  - name: orders\n    version: 1.0.0\n    contractId: orders-v1\n    customProperties:\n      - property: columnsUsed\n        value: [customer_id, coupon_code]\n";

const LOYALTY: &str = "apiVersion: v1.0.0\nkind: DataProduct\nid: loyalty\nname: Loyalty\nstatus: active\ndomain: marketing\nteam:\n  name: marketing-team\ninputPorts:\n  - name: orders\n    version: 1.0.0\n    contractId: orders-v1\noutputPorts:\n  - name: members\n    version: 1.0.0\n    contractId: loyalty-v1\n";

const LOYALTY_CONTRACT: &str = "apiVersion: v3.1.0
kind: DataContract
id: loyalty-v1
name: Loyalty members
version: 1.0.0
status: active
schema:
  - name: members
    properties:
      - name: customer_key
        logicalType: string
        transformSourceObjects: [orders-v1.orders.customer_id]
";

/// The mesh, its built site, and repository A on a branch that removed `coupon_code`.
fn mesh(root: &Path) {
    repo(
        &root.join("a"),
        &[
            ("products/orders.odps.yaml", ORDERS_PRODUCT),
            ("contracts/orders.odcs.yaml", ORDERS_CONTRACT),
        ],
    );
    repo(&root.join("b"), &[("billing.odps.yaml", BILLING)]);
    repo(
        &root.join("c"),
        &[
            ("campaigns.odps.yaml", CAMPAIGNS),
            ("loyalty/loyalty.odps.yaml", LOYALTY),
            ("loyalty/loyalty.odcs.yaml", LOYALTY_CONTRACT),
        ],
    );
    let out = meshdoc(
        root,
        &[
            "build", "--source", "a", "--source", "b", "--source", "c", "--out", "site",
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = root.join("a");
    git(&a, &["checkout", "-q", "-b", "drop-coupon"]);
    let contract = a.join("contracts/orders.odcs.yaml");
    let text = fs::read_to_string(&contract).unwrap();
    let dropped = text.replace(
        "      - name: coupon_code\n        logicalType: string\n",
        "",
    );
    assert_ne!(text, dropped);
    fs::write(&contract, dropped).unwrap();
    git(&a, &["commit", "-q", "-am", "drop coupon_code"]);
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_removed_column_names_exactly_the_consumers_that_read_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    mesh(root);
    let a = root.join("a");
    let catalog = root.join("site/catalog.json");
    let catalog = catalog.to_str().unwrap();
    let summary = root.join("summary.md");
    let step = root.join("step-summary.md");

    // Human.
    let out = meshdoc(
        &a,
        &[
            "check",
            "--source",
            ".",
            "--base",
            "main",
            "--catalog",
            catalog,
            "--summary",
            summary.to_str().unwrap(),
        ],
        &[("GITHUB_STEP_SUMMARY", &step)],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a breaking change fails the check"
    );
    let human = text(&out);
    assert!(
        human.contains("contracts/orders.odcs.yaml (orders-v1): 1 breaking"),
        "{human}"
    );
    assert!(human.contains("suggested version 2.0.0 (major)"), "{human}");
    assert!(
        human.contains(
            "affects billing (team finance-team; owner Fiona Finance) — reads the whole contract"
        ),
        "{human}"
    );
    assert!(
        human.contains("affects campaigns (team marketing-team) — reads coupon_code, customer_id"),
        "{human}"
    );
    assert!(
        !human.contains("loyalty"),
        "loyalty reads customer_id only: {human}"
    );

    // The markdown summary, in the file and appended to GitHub's step summary.
    let md = fs::read_to_string(&summary).unwrap();
    assert!(md.contains("| **breaking**: property"), "{md}");
    assert!(
        md.contains(
            "billing (team finance-team; owner Fiona Finance)<br>campaigns (team marketing-team)"
        ),
        "{md}"
    );
    assert!(!md.contains("loyalty"), "{md}");
    assert_eq!(fs::read_to_string(&step).unwrap(), md);

    // GitHub: an error on the line of the object that lost its column (line 8: `- name: orders`).
    let out = meshdoc(
        &a,
        &[
            "check",
            "--source",
            ".",
            "--base",
            "main",
            "--catalog",
            catalog,
            "--format",
            "github",
        ],
        &[],
    );
    let github = text(&out);
    let errors: Vec<&str> = github
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(errors.len(), 1, "{github}");
    assert!(
        errors[0].starts_with("::error file=contracts/orders.odcs.yaml,line=8,title=Breaking change in contract orders-v1::property `orders.coupon_code` was removed — breaks billing (team finance-team; owner Fiona Finance), campaigns (team marketing-team)"),
        "{github}"
    );

    // JSON: one MetadataDifference with impact counts, a suggested version and the consumers.
    let out = meshdoc(
        &a,
        &[
            "check",
            "--source",
            ".",
            "--base",
            "main",
            "--catalog",
            catalog,
            "--format",
            "json",
        ],
        &[],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let diffs = json["differences"].as_array().unwrap();
    assert_eq!(diffs.len(), 1);
    let d = &diffs[0];
    assert_eq!(d["kind"], "MetadataDifference");
    assert_eq!(d["subject"]["id"], "orders-v1");
    assert_eq!(d["summary"]["breaking"], 1);
    assert_eq!(d["summary"]["impactedProducts"], 2);
    assert_eq!(d["summary"]["impactedTeams"], 2);
    assert_eq!(d["suggestedVersion"], "2.0.0");
    let change = &d["changes"][0];
    assert_eq!(change["type"], "property-removed");
    assert_eq!(change["location"]["line"], 8);
    let ids: Vec<&str> = change["impact"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["billing", "campaigns"]);
    assert_eq!(change["impact"][0]["owners"][0], "Fiona Finance");
    assert_eq!(
        change["impact"][1]["columns"],
        serde_json::json!(["coupon_code", "customer_id"])
    );
}

#[test]
fn a_change_to_a_column_loyalty_reads_names_loyalty_through_column_lineage() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    mesh(root);
    let a = root.join("a");
    let contract = a.join("contracts/orders.odcs.yaml");
    let text_now = fs::read_to_string(&contract).unwrap();
    // customer_id becomes a number: a breaking type change for every reader of customer_id.
    fs::write(
        &contract,
        text_now.replace(
            "name: customer_id\n        logicalType: string",
            "name: customer_id\n        logicalType: integer",
        ),
    )
    .unwrap();
    let site = root.join("site");
    let out = meshdoc(
        &a,
        &[
            "check",
            "--source",
            ".",
            "--base",
            "main",
            "--catalog",
            site.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let changes = json["differences"][0]["changes"].as_array().unwrap();
    let typed = changes
        .iter()
        .find(|c| c["path"] == "orders.customer_id")
        .expect("the type change");
    let ids: Vec<&str> = typed["impact"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["billing", "campaigns", "loyalty"]);
    assert_eq!(
        typed["impact"][2]["columns"],
        serde_json::json!(["orders.customer_id"])
    );
}

#[test]
fn an_unreachable_catalog_still_runs_the_check_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    mesh(root);
    let a = root.join("a");
    for catalog in [
        "http://127.0.0.1:9/catalog.json",
        "../no-such-site/catalog.json",
        "products/orders.odps.yaml",
    ] {
        let out = meshdoc(
            &a,
            &[
                "check",
                "--source",
                ".",
                "--base",
                "main",
                "--catalog",
                catalog,
            ],
            &[],
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "the breaking change still fails the check"
        );
        let human = text(&out);
        assert!(
            human.contains("breaking: property `orders.coupon_code` was removed"),
            "{human}"
        );
        assert!(!human.contains("affects"), "{human}");
        assert!(
            human.contains("warning: the catalog could not be read"),
            "{catalog}: {human}"
        );
        let out = meshdoc(
            &a,
            &[
                "check",
                "--source",
                ".",
                "--base",
                "main",
                "--catalog",
                catalog,
                "--format",
                "github",
            ],
            &[],
        );
        let github = text(&out);
        assert!(
            github.contains("::warning title=meshdoc impact::the catalog could not be read"),
            "{github}"
        );
        assert!(
            github.contains("::error file=contracts/orders.odcs.yaml,line=8,"),
            "{github}"
        );
    }
    // No change since the base: success, and it says so.
    let out = meshdoc(&a, &["check", "--source", ".", "--base", "HEAD"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text(&out).contains("no contract changed since HEAD"));
    // A base that does not exist is a usage error, not a crash.
    let out = meshdoc(
        &a,
        &["check", "--source", ".", "--base", "no-such-branch"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-branch: no such revision"));
}

#[test]
fn a_catalog_served_over_http_names_the_same_consumers() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    mesh(root);
    let base = http_server::serve(&root.join("site"));
    let a = root.join("a");
    for catalog in [format!("{base}catalog.json"), base.clone()] {
        let out = meshdoc(
            &a,
            &[
                "check",
                "--source",
                ".",
                "--base",
                "main",
                "--catalog",
                &catalog,
                "--format",
                "json",
            ],
            &[],
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(json["warnings"], serde_json::json!([]), "{json}");
        let impact = &json["differences"][0]["changes"][0]["impact"];
        let ids: Vec<&str> = impact
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["billing", "campaigns"], "{json}");
        assert_eq!(impact[0]["url"], format!("{base}products/billing/"));
    }
    // A URL that answers 404: the check runs, with a warning.
    let out = meshdoc(
        &a,
        &[
            "check",
            "--source",
            ".",
            "--base",
            "main",
            "--catalog",
            &format!("{base}nowhere/catalog.json"),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let human = text(&out);
    assert!(
        human.contains("warning: the catalog could not be read"),
        "{human}"
    );
    assert!(human.contains("404"), "{human}");
}

#[test]
fn a_moved_contract_is_compared_where_it_is_and_a_deleted_one_breaks_every_reader() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    mesh(root);
    let a = root.join("a");
    let site = root.join("site");
    let site = site.to_str().unwrap();
    fs::create_dir_all(a.join("schemas")).unwrap();
    git(
        &a,
        &[
            "mv",
            "contracts/orders.odcs.yaml",
            "schemas/orders.odcs.yaml",
        ],
    );
    let out = meshdoc(
        &a,
        &[
            "check",
            "--source",
            ".",
            "--base",
            "main",
            "--catalog",
            site,
            "--format",
            "json",
        ],
        &[],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let changes = json["differences"][0]["changes"].as_array().unwrap();
    let types: Vec<&str> = changes
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["property-removed"], "{json}");
    assert!(
        json["warnings"][0]
            .as_str()
            .unwrap()
            .contains("moved from contracts/orders.odcs.yaml to a/schemas/orders.odcs.yaml"),
        "{json}"
    );
    // Deleted: every reader, whatever columns it reads.
    git(&a, &["rm", "-q", "-f", "schemas/orders.odcs.yaml"]);
    let out = meshdoc(
        &a,
        &[
            "check",
            "--source",
            ".",
            "--base",
            "main",
            "--catalog",
            site,
            "--format",
            "json",
        ],
        &[],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let change = &json["differences"][0]["changes"][0];
    assert_eq!(change["type"], "contract-removed", "{json}");
    let ids: Vec<&str> = change["impact"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["billing", "campaigns", "loyalty"]);
}
