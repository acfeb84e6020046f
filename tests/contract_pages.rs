//! Every field a user needs is on the contract page: for each ODCS and DCS fixture under
//! ../shared/fixtures/standards/, each property name (every depth), each quality rule and each SLA
//! property of the file appears on its page; foreign keys link; the source is downloadable.

#[path = "support/shared.rs"]
mod shared;

use std::path::{Path, PathBuf};

use meshdoc::config::{Config, SourceConfig};
use meshdoc::formats::{sniff, Kind};
use meshdoc::model::yaml::{parse_documents, Node};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/standards")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;")
}

fn contains(page: &str, text: &str) -> bool {
    page.contains(text)
        || page.contains(&escape(text))
        || page.contains(&meshdoc::render::markdown::escape(text))
}

/// Names of properties at every depth, quality nodes and SLA property names of one document.
fn expected(doc: &Node, kind: Kind) -> (Vec<String>, Vec<Node>, Vec<String>) {
    let mut names = Vec::new();
    let mut rules = Vec::new();
    let mut sla = Vec::new();
    fn quality(n: &Node, rules: &mut Vec<Node>) {
        match n.get("quality") {
            Some(q) if q.is_map() => rules.push(q.clone()),
            Some(q) => rules.extend(q.items().iter().cloned()),
            None => {}
        }
    }
    match kind {
        Kind::Odcs => {
            fn props(n: &Node, names: &mut Vec<String>, rules: &mut Vec<Node>) {
                let lists = [
                    n.get("properties"),
                    n.get("items").and_then(|i| i.get("properties")),
                ];
                for list in lists.into_iter().flatten() {
                    for p in list.items() {
                        if let Some(name) = p.get("name").and_then(Node::scalar_text) {
                            names.push(name);
                        }
                        quality(p, rules);
                        props(p, names, rules);
                    }
                }
            }
            for o in doc.get("schema").map(Node::items).unwrap_or_default() {
                names.extend(o.get("name").and_then(Node::scalar_text));
                quality(o, &mut rules);
                props(o, &mut names, &mut rules);
            }
            for (key, col) in [("dataset", "columns")] {
                for t in doc.get(key).map(Node::items).unwrap_or_default() {
                    names.extend(t.get("table").and_then(Node::scalar_text));
                    for c in t.get(col).map(Node::items).unwrap_or_default() {
                        names.extend(c.get("column").and_then(Node::scalar_text));
                    }
                }
            }
            quality(doc, &mut rules);
            for s in doc
                .get("slaProperties")
                .map(Node::items)
                .unwrap_or_default()
            {
                sla.extend(s.get("property").and_then(Node::scalar_text));
            }
        }
        Kind::Dcs => {
            fn fields(n: &Node, names: &mut Vec<String>, rules: &mut Vec<Node>) {
                let maps = [
                    n.get("fields"),
                    n.get("items").and_then(|i| i.get("fields")),
                ];
                for map in maps.into_iter().flatten() {
                    for (k, f) in map.entries() {
                        names.push(k.text.clone());
                        quality(f, rules);
                        fields(f, names, rules);
                    }
                }
            }
            for (k, m) in doc.get("models").map(Node::entries).unwrap_or_default() {
                names.push(k.text.clone());
                quality(m, &mut rules);
                fields(m, &mut names, &mut rules);
            }
            quality(doc, &mut rules);
            for (k, _) in doc
                .get("servicelevels")
                .map(Node::entries)
                .unwrap_or_default()
            {
                sla.push(k.text.clone());
            }
        }
        _ => {}
    }
    (names, rules, sla)
}

#[test]
fn every_property_quality_rule_and_sla_of_every_contract_fixture_is_on_its_page() {
    if shared::fixtures("standards").is_none() {
        return;
    }
    let root = fixtures();
    let (mut files, mut names_checked, mut rules_checked, mut sla_checked) = (0, 0, 0, 0);
    let mut missing = Vec::new();
    for source in ["odcs", "datacontract-specification"] {
        for entry in walkdir::WalkDir::new(root.join(source)).sort_by_file_name() {
            let entry = entry.unwrap();
            let rel = entry
                .path()
                .strip_prefix(root.join(source))
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if !(rel.ends_with(".yaml") || rel.ends_with(".yml")) || rel.starts_with("schema") {
                continue;
            }
            let Ok(docs) = parse_documents(&std::fs::read_to_string(entry.path()).unwrap()) else {
                continue;
            };
            let docs: Vec<(Node, Kind)> = docs
                .into_iter()
                .filter_map(|d| {
                    sniff(&d)
                        .filter(|k| matches!(k, Kind::Odcs | Kind::Dcs))
                        .map(|k| (d, k))
                })
                .collect();
            if docs.is_empty() {
                continue;
            }
            // One site per file: several fixtures share an id, and one id is one page.
            let site = tempfile::tempdir().unwrap();
            let input = site.path().join("in");
            std::fs::create_dir(&input).unwrap();
            std::fs::copy(entry.path(), input.join(entry.file_name())).unwrap();
            let mut config = Config::empty(site.path());
            config.sources = vec![SourceConfig {
                name: Some("repo".into()),
                dir: Some(input),
                ..Default::default()
            }];
            let out = site.path().join("out");
            let report = meshdoc::build(
                &config,
                &meshdoc::Options {
                    out_dir: Some(out.clone()),
                    ..Default::default()
                },
            )
            .unwrap();
            if report.catalog.contracts.is_empty() {
                missing.push(format!("{source}/{rel}: no contract page"));
                continue;
            }
            let page: String = report
                .catalog
                .contracts
                .iter()
                .map(|c| {
                    std::fs::read_to_string(out.join(format!("contracts/{}/index.html", c.slug)))
                        .unwrap()
                })
                .collect();
            files += 1;
            for (doc, kind) in &docs {
                let (names, rules, sla) = expected(doc, *kind);
                for n in names {
                    names_checked += 1;
                    if !contains(&page, &format!("<code>{n}</code>")) && !contains(&page, &n) {
                        missing.push(format!("{source}/{rel}: property `{n}`"));
                    }
                }
                for r in rules {
                    rules_checked += 1;
                    let rule = meshdoc::formats::quality::rule(&r);
                    let shown = rule.name.clone().unwrap_or(rule.summary.clone());
                    if !contains(&page, &shown) || !contains(&page, &rule.summary) {
                        missing.push(format!(
                            "{source}/{rel}: quality rule {shown:?} / {:?}",
                            rule.summary
                        ));
                    }
                }
                for s in sla {
                    sla_checked += 1;
                    if !contains(&page, &s) {
                        missing.push(format!("{source}/{rel}: SLA property `{s}`"));
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing on pages:\n{}",
        missing.join("\n")
    );
    assert!(files >= 25, "only {files} contract files checked");
    assert!(
        names_checked > 500 && rules_checked >= 20 && sla_checked >= 10,
        "{names_checked} names, {rules_checked} rules, {sla_checked} SLA"
    );
}

#[test]
fn source_is_copied_beside_the_page_and_highlighted() {
    if shared::fixtures("standards").is_none() {
        return;
    }
    let root = fixtures();
    let out = tempfile::tempdir().unwrap();
    let mut config = Config::empty(&root);
    config.sources = vec![SourceConfig {
        name: Some("odcs".into()),
        dir: Some(root.join("odcs/bitol-examples-v3.1.0/all")),
        ..Default::default()
    }];
    let report = meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.path().to_path_buf()),
            ..Default::default()
        },
    )
    .unwrap();
    let c = report
        .catalog
        .contracts
        .iter()
        .find(|c| c.origin.path == "full-example.odcs.yaml")
        .unwrap();
    let dir = out.path().join("contracts").join(&c.slug);
    let copy = std::fs::read(dir.join("full-example.odcs.yaml")).unwrap();
    assert_eq!(
        copy,
        std::fs::read(root.join("odcs/bitol-examples-v3.1.0/all/full-example.odcs.yaml")).unwrap()
    );
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(
        page.contains("href=\"full-example.odcs.yaml\" download"),
        "download link"
    );
    assert!(page.contains("<a href=source/index.html>View the contract file"));
    let source = std::fs::read_to_string(dir.join("source/index.html")).unwrap();
    assert!(
        source.contains("<pre class=\"src\" tabindex=\"0\"><code>"),
        "highlighted"
    );
    // Keys highlighted, one anchor per line (what links to a line point at), and the page within
    // about twice the file it shows.
    let lines = copy.split(|&b| b == b'\n').count();
    assert!(source.contains("<b id=L2>"), "line 2 is a key");
    for n in [1, lines / 2, lines - 1] {
        assert_eq!(
            source.matches(&format!(" id=L{n}>")).count(),
            1,
            "anchor of line {n}"
        );
    }
    assert!(
        source.len() < copy.len() * 2 + 1_500,
        "{} bytes for a {}-byte file",
        source.len(),
        copy.len()
    );
    assert!(source.contains("href=\"../full-example.odcs.yaml\" download"));
    // Fields the page must show beyond names: partition position, roles' approvers.
    assert!(
        page.contains("title=\"Partition key position\">part. 1"),
        "partition position"
    );
    assert!(page.contains("Approvers"), "role approvers");
}

#[test]
fn foreign_keys_link_to_the_target_column_and_dangling_ones_warn() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = "apiVersion: v3.1.0\nkind: DataContract\nversion: 1.0.0\nstatus: active\n";
    std::fs::write(d.join("customers.odcs.yaml"), format!("{base}id: customers\nschema:\n  - name: customers\n    properties:\n      - name: customer_id\n        logicalType: string\n")).unwrap();
    std::fs::write(d.join("orders.odcs.yaml"), format!("{base}id: orders\nschema:\n  - name: orders\n    properties:\n      - name: customer_id\n        logicalType: string\n        criticalDataElement: true\n        logicalTypeOptions:\n          maxLength: 12\n        relationships:\n          - to: customers.customer_id\n      - name: shop_id\n        logicalType: string\n        relationships:\n          - to: shops.shop_id\n")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut config = Config::empty(d);
    config.sources = vec![SourceConfig {
        name: Some("repo".into()),
        dir: Some(d.to_path_buf()),
        ..Default::default()
    }];
    let report = meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.path().to_path_buf()),
            ..Default::default()
        },
    )
    .unwrap();
    let page = std::fs::read_to_string(out.path().join("contracts/orders/index.html")).unwrap();
    assert!(
        page.contains("href=\"../../contracts/customers/index.html#c-customers.customer_id\""),
        "FK links to the column anchor"
    );
    let target =
        std::fs::read_to_string(out.path().join("contracts/customers/index.html")).unwrap();
    assert!(target.contains(
        "<tr id=c-customers.customer_id><th><a href=#c-customers.customer_id>customer_id</a>"
    ));
    assert!(page.contains("(not in this catalog)"));
    assert!(
        page.contains("title=\"Critical data element\"><span aria-hidden=\"true\">CDE"),
        "CDE flag"
    );
    assert!(page.contains("<code>maxLength: 12</code>"), "type options");
    let warning = report
        .catalog
        .diagnostics
        .iter()
        .find(|x| x.code == "unresolved-foreign-key")
        .expect("a warning");
    assert_eq!(warning.file, "orders.odcs.yaml");
    assert!(warning.message.contains("shops.shop_id"));
    assert!(warning
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("no contract in this catalog describes an object `shops`"));
    let health = std::fs::read_to_string(out.path().join("health/index.html")).unwrap();
    assert!(health.contains("unresolved-foreign-key"));
}

#[test]
fn schema_invalid_contract_still_renders_with_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("bad.odcs.yaml"), "apiVersion: v3.1.0\nkind: DataContract\nid: bad\nversion: 1.0\nstatus: active\nowner: me\nschema:\n  - name: t\n    properties:\n      - name: amount\n        logicalType: money\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut config = Config::empty(d);
    config.sources = vec![SourceConfig {
        name: Some("repo".into()),
        dir: Some(d.to_path_buf()),
        ..Default::default()
    }];
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.path().to_path_buf()),
            ..Default::default()
        },
    )
    .unwrap();
    let page = std::fs::read_to_string(out.path().join("contracts/bad/index.html")).unwrap();
    assert!(
        page.contains("<a href=#c-t.amount>amount</a>"),
        "the schema is still shown"
    );
    assert!(
        page.contains("3 problems in this manifest"),
        "diagnostics on the page"
    );
    assert!(
        page.contains("unknown field <code>owner</code>"),
        "inline code in the message"
    );
    assert!(
        page.contains("bad.odcs.yaml:11:9"),
        "located at the logicalType key"
    );
    let health = std::fs::read_to_string(out.path().join("health/index.html")).unwrap();
    assert!(
        health.contains("`logicalType` is &quot;money&quot;")
            || health.contains("`logicalType` is &#x22;money&#x22;")
            || health.contains("money")
    );
}
