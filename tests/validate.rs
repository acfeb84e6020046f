//! Our validator against the official JSON Schemas: the same verdict (valid / invalid) for every
//! contract and product fixture of ODCS, DCS and Bitol ODPS under ../shared/fixtures/standards/,
//! and for hand-made broken documents. The official schemas are read from the fixtures folder only.

use std::path::{Path, PathBuf};

use meshdoc::formats::{sniff, Kind};
use meshdoc::model::yaml::parse_documents;
use meshdoc::validate::{check, Rules};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/standards")
}

fn official(rules: Rules) -> &'static str {
    match rules {
        Rules::OdcsV2 => "odcs/schema/odcs-json-schema-v2.2.2.json",
        Rules::OdcsV3 { minor: 0 } => "odcs/schema/odcs-json-schema-v3.0.2.json",
        Rules::OdcsV3 { minor: 1 } => "odcs/schema/odcs-json-schema-v3.1.0.json",
        Rules::OdcsV3 { .. } => "odcs/schema_dev-v3.2.0-in-progress/odcs-json-schema-v3.2.0.json",
        Rules::Dcs { v09: true } => {
            "datacontract-specification/schema/datacontract.schema.v0.9.3.json"
        }
        Rules::Dcs { v09: false } => "datacontract-specification/schema/datacontract.schema.json",
        Rules::BitolOdps { v1: false } => "odps-bitol/schema/odps-json-schema-v0.9.0.json",
        Rules::BitolOdps { v1: true } => "odps-bitol/schema/odps-json-schema-v1.0.0.json",
    }
}

fn official_verdict(rules: Rules, doc: &serde_json::Value) -> (bool, Vec<String>) {
    let path = fixtures().join(official(rules));
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path().as_str()))
        .collect();
    (errors.is_empty(), errors)
}

/// Compare verdicts on one YAML text; returns how many documents were compared.
fn compare(name: &str, text: &str, failures: &mut Vec<String>) -> usize {
    let Ok(docs) = parse_documents(text) else {
        return 0;
    };
    let mut compared = 0;
    for doc in &docs {
        let Some(kind) = sniff(doc) else { continue };
        if !matches!(kind, Kind::Odcs | Kind::Dcs | Kind::BitolOdps) {
            continue;
        }
        let (rules, ours) = check(doc, kind).unwrap();
        let (theirs_valid, theirs) = official_verdict(rules, &doc.to_json());
        compared += 1;
        if ours.is_empty() != theirs_valid {
            failures.push(format!(
                "{name} ({}): ours {} {:?}; official {} {:?}",
                rules.label(),
                if ours.is_empty() { "valid" } else { "invalid" },
                ours.iter()
                    .map(|i| format!("{}:{} {}", i.pos.line, i.pos.column, i.message))
                    .collect::<Vec<_>>(),
                if theirs_valid { "valid" } else { "invalid" },
                theirs
            ));
        }
    }
    compared
}

#[test]
fn same_verdict_as_the_official_schemas_on_every_fixture() {
    let root = fixtures();
    let mut failures = Vec::new();
    let mut compared = 0;
    let mut invalid = 0;
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let is_manifest = [".yaml", ".yml", ".json"].iter().any(|e| rel.ends_with(e));
        if !entry.file_type().is_file() || !is_manifest || rel.contains("/schema") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let before = failures.len();
        let n = compare(&rel, &text, &mut failures);
        compared += n;
        if n > 0 && failures.len() == before {
            let docs = parse_documents(&text).unwrap();
            invalid += docs
                .iter()
                .filter_map(|d| sniff(d).and_then(|k| check(d, k)))
                .filter(|(_, issues)| !issues.is_empty())
                .count();
        }
    }
    assert!(
        failures.is_empty(),
        "verdicts differ:\n{}",
        failures.join("\n\n")
    );
    // ODCS, DCS and Bitol ODPS documents among the fixtures, some of them invalid.
    assert!(compared >= 30, "compared only {compared} documents");
    assert!(
        invalid >= 4,
        "expected several invalid fixtures, found {invalid}"
    );
}

#[test]
fn same_verdict_on_broken_documents() {
    const ODCS: &str =
        "apiVersion: v3.1.0\nkind: DataContract\nid: orders\nversion: 1.0.0\nstatus: active\n";
    const DCS: &str =
        "dataContractSpecification: 1.2.1\nid: c\ninfo:\n  title: C\n  version: 1.0.0\n";
    const ODPS: &str = "apiVersion: v1.0.0\nkind: DataProduct\nid: p\nstatus: active\n";
    let cases: Vec<(String, bool)> = vec![
        (ODCS.to_string(), true),
        (format!("{ODCS}owner: me\n"), false),
        (ODCS.replace("status: active\n", ""), false),
        (ODCS.replace("version: 1.0.0", "version: 1.0"), false),
        (ODCS.replace("v3.1.0", "v9.9.9"), false),
        (format!("{ODCS}schema:\n  - name: t\n    properties:\n      - name: a\n        logicalType: strng\n"), false),
        (format!("{ODCS}schema:\n  - name: t\n    properties:\n      - name: a\n        logicalType: string\n        required: maybe\n"), false),
        (format!("{ODCS}schema:\n  - name: t\n    properties:\n      - name: a\n        logicalType: string\n        logicalTypeOptions:\n          maxLength: -1\n"), false),
        (format!("{ODCS}schema:\n  - name: t\n    quality:\n      - metric: rowCount\n        mustBeGreaterThan: 10\n        dimension: completeness\n"), true),
        (format!("{ODCS}schema:\n  - name: t\n    quality:\n      - metric: rowCount\n        mustBeGreaterThan: ten\n"), false),
        (format!("{ODCS}schema:\n  - name: t\n    quality:\n      - metric: rowCount\n        dimension: speed\n        mustBe: 1\n"), false),
        (format!("{ODCS}schema:\n  - name: t\n    quality:\n      - type: sql\n        mustBe: 0\n"), false),
        (format!("{ODCS}servers:\n  - server: prod\n    type: snowflake\n    account: a\n    database: d\n"), false),
        (format!("{ODCS}servers:\n  - server: prod\n    type: postgres\n    host: h\n    port: 5432\n    database: d\n    schema: s\n"), true),
        (format!("{ODCS}slaProperties:\n  - property: latency\n    value: 4\n    unit: d\n"), true),
        (format!("{ODCS}slaProperties:\n  - property: latency\n    value: [4]\n"), false),
        (format!("{ODCS}team:\n  name: t\n  members:\n    - name: no-username\n"), false),
        (format!("{ODCS}schema:\n  - name: t\n    properties:\n      - name: a\n        relationships:\n          - to: customers.id\n"), true),
        (format!("{ODCS}schema:\n  - name: t\n    properties:\n      - name: a\n        relationships:\n          - to: not a ref\n"), false),
        (format!("{ODCS}customProperties:\n  - property: x\n"), false),
        (DCS.to_string(), true),
        (DCS.replace("  version: 1.0.0\n", ""), false),
        (format!("{DCS}models:\n  orders:\n    fields:\n      id:\n        type: strng\n"), false),
        (format!("{DCS}models:\n  orders:\n    fields:\n      id:\n        type: string\n        required: true\n"), true),
        (format!("{DCS}servers:\n  prod:\n    type: snowflake\n    account: a\n"), true),
        (format!("{DCS}servers:\n  prod:\n    account: a\n"), false),
        (format!("{DCS}links:\n  docs: not a url\n"), false),
        (ODPS.to_string(), true),
        (format!("{ODPS}owner: x\n"), false),
        (format!("{ODPS}outputPorts:\n  - name: o\n"), false),
        (format!("{ODPS}outputPorts:\n  - name: o\n    version: 1.0.0\n    contractId: c\n"), true),
    ];
    let mut failures = Vec::new();
    for (i, (text, expect_valid)) in cases.iter().enumerate() {
        let name = format!("case {i}");
        assert_eq!(
            compare(&name, text, &mut failures),
            1,
            "{name} not compared"
        );
        let doc = &parse_documents(text).unwrap()[0];
        let (_, issues) = check(doc, sniff(doc).unwrap()).unwrap();
        if issues.is_empty() != *expect_valid {
            failures.push(format!(
                "{name}: expected valid={expect_valid}, ours: {issues:?}\n{text}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
