//! `meshdoc diff OLD NEW` and `meshdoc check --schema FILE` as a CI job runs them.

use std::path::Path;
use std::process::{Command, Output};

fn meshdoc(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meshdoc"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

const V1: &str = "apiVersion: v3.1.0
kind: DataContract
id: orders
version: 1.0.0
status: active
schema:
  - name: orders
    properties:
      - name: order_id
        logicalType: string
        required: true
      - name: coupon
        logicalType: string
    quality:
      - metric: rowCount
        mustBeGreaterThan: 1000
";

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn removed_column_is_breaking_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.yaml", V1);
    write(
        dir.path(),
        "new.yaml",
        &V1.replace("      - name: coupon\n        logicalType: string\n", ""),
    );
    let out = meshdoc(dir.path(), &["diff", "old.yaml", "new.yaml"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("BREAKING [property-removed] property `orders.coupon` was removed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning: 1 breaking change but the declared version stayed at 1.0.0"),
        "{stdout}"
    );
    assert!(stdout.contains("1 change, 1 breaking"), "{stdout}");

    let json = meshdoc(
        dir.path(),
        &["diff", "old.yaml", "new.yaml", "--format", "json"],
    );
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["changes"][0]["impact"], "breaking");
    assert_eq!(report["changes"][0]["code"], "property-removed");
    assert_eq!(report["changes"][0]["path"], "orders.coupon");
    assert_eq!(report["oldVersion"], "1.0.0");
}

#[test]
fn loosened_threshold_is_not_breaking_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.yaml", V1);
    write(
        dir.path(),
        "new.yaml",
        &V1.replace("mustBeGreaterThan: 1000", "mustBeGreaterThan: 10")
            .replace("version: 1.0.0", "version: 1.0.1"),
    );
    let out = meshdoc(dir.path(), &["diff", "old.yaml", "new.yaml"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("[threshold-loosened]"), "{stdout}");
    assert!(
        stdout.contains("row count must be greater than 1,000 → row count must be greater than 10"),
        "{stdout}"
    );
    assert!(!stdout.contains("warning"), "{stdout}");
}

#[test]
fn unreadable_input_exits_2_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.yaml", V1);
    write(
        dir.path(),
        "product.yaml",
        "apiVersion: v1.0.0\nkind: DataProduct\nid: p\nstatus: active\n",
    );
    let missing = meshdoc(dir.path(), &["diff", "old.yaml", "nope.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read nope.yaml"));
    let product = meshdoc(dir.path(), &["diff", "old.yaml", "product.yaml"]);
    assert_eq!(product.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&product.stderr).contains("not a readable data contract"));
}

#[test]
fn check_with_a_user_schema_reports_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("mesh")).unwrap();
    write(
        dir.path(),
        "mesh/orders.odcs.yaml",
        &V1.replace("status: active", "status: draft"),
    );
    write(
        dir.path(),
        "house-rules.json",
        r#"{"type": "object", "required": ["domain"], "properties": {"status": {"enum": ["active", "deprecated"]}}}"#,
    );
    let out = meshdoc(
        dir.path(),
        &["check", "--source", "mesh", "--schema", "house-rules.json"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("mesh/orders.odcs.yaml:5:9"),
        "status value is located: {stderr}"
    );
    assert!(stderr.contains("house-rules.json"), "{stderr}");
    assert!(
        stderr.contains("\"domain\" is a required property"),
        "{stderr}"
    );
    let clean = meshdoc(dir.path(), &["check", "--source", "mesh"]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    write(dir.path(), "broken.json", "{\"type\": 12}");
    let bad = meshdoc(
        dir.path(),
        &["check", "--source", "mesh", "--schema", "broken.json"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a usable JSON Schema"));
}
