//! Lineage across repositories: a mesh of three repositories with one edge of every kind and the
//! usual breakage, built for real; we assert on catalog.json, the diagnostics and the pages.

#[path = "support/catalog_json.rs"]
mod catalog_json;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use meshdoc::config::Config;
use serde_json::Value;

fn write(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn odps(id: &str, domain: &str, inputs: &str, outputs: &str) -> String {
    format!(
        "apiVersion: v1.0.0\nkind: DataProduct\nid: {id}\nname: {id}\nstatus: active\ndomain: {domain}\n\
         team:\n  name: team-{domain}\ninputPorts:\n{inputs}outputPorts:\n{outputs}"
    )
}

fn odcs(id: &str, properties: &str) -> String {
    format!(
        "apiVersion: v3.0.2\nkind: DataContract\nid: {id}\nversion: 1.0.0\nstatus: active\n\
         schema:\n  - name: main\n    physicalName: {id}_main\n    properties:\n{properties}"
    )
}

fn dps(id: &str, domain: &str, inputs: &str, outputs: &str) -> String {
    format!(
        "dataProductSpecification: 0.0.1\nid: {id}\ninfo:\n  title: {id}\n  owner: team-{domain}\n  domain: {domain}\n\
         inputPorts:\n{inputs}outputPorts:\n{outputs}"
    )
}

/// Three repositories: `alpha` (ODPS + ODCS), `beta` (ODPS + ODCS with column lineage), `gamma`
/// (DPS products, DCS contract, source system, usage agreement) and every kind of breakage.
fn mesh(root: &Path) {
    write(
        root,
        "meshdoc.toml",
        "[site]\ntitle = \"Lineage test\"\n[[sources]]\ndir = \"repos/*\"\n",
    );
    // alpha: the orders product and its contract; a second product claims the same contract.
    write(
        root,
        "repos/alpha/orders.yaml",
        &odps(
            "orders",
            "sales",
            "  []\n",
            "  - name: main\n    contractId: orders-v1\n",
        ),
    );
    write(
        root,
        "repos/alpha/orders-copy.yaml",
        &odps(
            "orders-copy",
            "sales",
            "  []\n",
            "  - name: copy\n    contractId: orders-v1\n",
        ),
    );
    write(
        root,
        "repos/alpha/orders-v1.yaml",
        &odcs(
            "orders-v1",
            "      - name: order_id\n        logicalType: string\n      - name: amount\n        logicalType: number\n",
        ),
    );
    // beta: revenue reads orders through its contract (contract edge), is built from payments
    // (inputContracts), and names a contract nobody defines (typo of orders-v1).
    write(
        root,
        "repos/beta/revenue.yaml",
        &odps(
            "revenue",
            "finance",
            "  - name: orders-in\n    contractId: orders-v1\n  - name: typo\n    contractId: ordres-v1\n",
            "  - name: rev\n    contractId: revenue-v1\n    inputContracts:\n      - id: payments-v1\n",
        ),
    );
    write(
        root,
        "repos/beta/revenue-v1.yaml",
        &odcs(
            "revenue-v1",
            "      - name: net\n        logicalType: number\n        transformSourceObjects: [orders-v1.main.amount, legacy_db.tx.amount]\n",
        ),
    );
    // gamma: DPS products, a DCS contract with inputFields, a source system, an agreement.
    write(
        root,
        "repos/gamma/payments.yaml",
        &dps(
            "payments",
            "finance",
            "  - id: gateway\n    sourceSystemId: payment-gateway\n",
            "  - id: pay\n    dataContractId: payments-v1\n",
        ),
    );
    write(
        root,
        "repos/gamma/payment-gateway.yaml",
        "id: payment-gateway\nname: Payment Gateway\nowner: team-finance\n",
    );
    write(
        root,
        "repos/gamma/payments-v1.yaml",
        "dataContractSpecification: 1.1.0\nid: payments-v1\ninfo:\n  title: Payments\n  version: 1.0.0\n\
         models:\n  tx:\n    fields:\n      order_ref:\n        type: string\n        lineage:\n          inputFields:\n\
         \x20           - namespace: mesh\n              name: orders-v1.main\n              field: order_id\n",
    );
    write(
        root,
        "repos/gamma/marketing.yaml",
        &dps(
            "marketing",
            "marketing",
            "  - id: pay\n    dataProductId: payments\n    outputPortId: pay\n  - id: typo\n    dataProductId: paymnets\n",
            "  []\n",
        ),
    );
    write(
        root,
        "repos/gamma/agreement.yaml",
        "dataUsageAgreementSpecification: 0.0.1\nid: marketing-uses-orders\ninfo:\n  title: t\n\
         provider:\n  dataProductId: orders\n  outputPortId: main\nconsumer:\n  dataProductId: marketing\n",
    );
    // Breakage: a port with no source, a self-reference, a cycle.
    write(
        root,
        "repos/gamma/loner.yaml",
        &dps(
            "loner",
            "misc",
            "  - id: nothing\n    type: kafka\n",
            "  []\n",
        ),
    );
    write(
        root,
        "repos/gamma/selfish.yaml",
        &dps(
            "selfish",
            "misc",
            "  - id: me\n    dataProductId: selfish\n",
            "  []\n",
        ),
    );
    write(
        root,
        "repos/gamma/cyc-a.yaml",
        &dps(
            "cyc-a",
            "misc",
            "  - id: b\n    dataProductId: cyc-b\n",
            "  []\n",
        ),
    );
    write(
        root,
        "repos/gamma/cyc-b.yaml",
        &dps(
            "cyc-b",
            "misc",
            "  - id: a\n    dataProductId: cyc-a\n",
            "  []\n",
        ),
    );
}

fn build(root: &Path) -> (PathBuf, meshdoc::BuildReport) {
    let out = root.join("public");
    let config = Config::load(&root.join("meshdoc.toml")).unwrap();
    let report = meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    (out, report)
}

fn catalog_json(out: &Path) -> Value {
    catalog_json::read(&out.join("catalog.json"))
}

#[test]
fn every_edge_kind_across_three_repositories_with_evidence() {
    let dir = tempfile::tempdir().unwrap();
    mesh(dir.path());
    let (out, _) = build(dir.path());
    let json = catalog_json(&out);
    // The full graph, with evidence, is beside the lineage page; catalog.json has the edges.
    let lineage: Value =
        serde_json::from_slice(&fs::read(out.join("lineage/index.json")).unwrap()).unwrap();
    let compact: BTreeSet<(String, String, String)> = json["lineage"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |i: usize| e[i].as_str().unwrap().to_string();
            (s(0), s(1), s(2))
        })
        .collect();
    let edges: BTreeSet<(String, String, String, String, String)> = lineage["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |v: &Value| v.as_str().unwrap().to_string();
            (
                s(&e["from"]),
                s(&e["to"]),
                s(&e["kind"]),
                format!(
                    "{}/{}",
                    s(&e["evidence"]["source"]),
                    s(&e["evidence"]["file"])
                ),
                s(&e["evidence"]["field"]),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String, String, String, String)> = [
        (
            "orders",
            "revenue",
            "contract",
            "beta/revenue.yaml",
            "inputPorts[0].contractId",
        ),
        (
            "contract:ordres-v1",
            "revenue",
            "contract",
            "beta/revenue.yaml",
            "inputPorts[1].contractId",
        ),
        (
            "payments",
            "revenue",
            "inputContracts",
            "beta/revenue.yaml",
            "outputPorts[0].inputContracts[0]",
        ),
        (
            "orders",
            "revenue",
            "transformSourceObjects",
            "beta/revenue-v1.yaml",
            "schema[main].properties[net].transformSourceObjects",
        ),
        (
            "system:payment-gateway",
            "payments",
            "sourceSystem",
            "gamma/payments.yaml",
            "inputPorts[0].sourceSystemId",
        ),
        (
            "orders",
            "payments",
            "inputFields",
            "gamma/payments-v1.yaml",
            "models.tx.fields.order_ref.lineage.inputFields",
        ),
        (
            "payments",
            "marketing",
            "dataProduct",
            "gamma/marketing.yaml",
            "inputPorts[0].dataProductId",
        ),
        (
            "product:paymnets",
            "marketing",
            "dataProduct",
            "gamma/marketing.yaml",
            "inputPorts[1].dataProductId",
        ),
        (
            "orders",
            "marketing",
            "agreement",
            "gamma/agreement.yaml",
            "provider.dataProductId",
        ),
        (
            "cyc-b",
            "cyc-a",
            "dataProduct",
            "gamma/cyc-a.yaml",
            "inputPorts[0].dataProductId",
        ),
        (
            "cyc-a",
            "cyc-b",
            "dataProduct",
            "gamma/cyc-b.yaml",
            "inputPorts[0].dataProductId",
        ),
    ]
    .into_iter()
    .map(|(a, b, c, d, e)| (a.into(), b.into(), c.into(), d.into(), e.into()))
    .collect();
    assert_eq!(edges, expected);
    let without_evidence: BTreeSet<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c, _, _)| (a.clone(), b.clone(), c.clone()))
        .collect();
    assert_eq!(
        compact, without_evidence,
        "catalog.json lists the same edges"
    );

    // Evidence carries the line of the port.
    let typo = lineage["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["from"] == "contract:ordres-v1")
        .unwrap();
    assert_eq!(typo["evidence"]["line"], 12, "{typo}");

    // Nodes: products by their id; the unresolved things as external nodes.
    let nodes: BTreeSet<(String, String)> = lineage["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap().into(),
                n["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    for (id, kind) in [
        ("orders", "product"),
        ("revenue", "product"),
        ("contract:ordres-v1", "external"),
        ("product:paymnets", "external"),
        ("system:payment-gateway", "system"),
    ] {
        assert!(
            nodes.contains(&(id.to_string(), kind.to_string())),
            "{id} {kind}: {nodes:?}"
        );
    }
    // Column lineage: one resolved, one from outside the mesh.
    let columns = lineage["columns"].as_array().unwrap();
    assert_eq!(columns.len(), 3, "{columns:?}");
    assert!(columns.iter().any(|c| c["from"]["contract"] == "orders-v1"
        && c["from"]["column"] == "amount"
        && c["to"]["contract"] == "revenue-v1"
        && c["to"]["column"] == "net"));
    assert!(columns
        .iter()
        .any(|c| c["from"]["ref"] == "legacy_db.tx.amount" && c["from"].get("contract").is_none()));
    assert_eq!(lineage["cycles"], serde_json::json!([["cyc-a", "cyc-b"]]));
    // The product lists agree with the graph.
    let revenue = json["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "revenue")
        .unwrap();
    assert_eq!(
        revenue["upstream"],
        serde_json::json!(["orders", "payments"])
    );
}

#[test]
fn broken_references_become_located_diagnostics_with_hints() {
    let dir = tempfile::tempdir().unwrap();
    mesh(dir.path());
    let (_, report) = build(dir.path());
    let diags = &report.catalog.diagnostics;
    let find = |code: &str, needle: &str| {
        diags
            .iter()
            .find(|d| d.code == code && d.message.contains(needle))
            .unwrap_or_else(|| panic!("no {code} about {needle}: {diags:#?}"))
    };
    let typo = find("unresolved-reference", "ordres-v1");
    assert_eq!((typo.file.as_str(), typo.line), ("revenue.yaml", Some(12)));
    assert!(typo.hint.as_deref().unwrap().contains("orders-v1"));
    let product_typo = find("unresolved-reference", "paymnets");
    assert!(product_typo.hint.as_deref().unwrap().contains("`payments`"));
    let selfish = find("lineage-self-reference", "selfish");
    assert_eq!(selfish.file, "selfish.yaml");
    assert!(selfish.line.is_some());
    let cycle = find("lineage-cycle", "cyc-a → cyc-b → cyc-a");
    assert_eq!(cycle.file, "cyc-a.yaml");
    let loner = find("port-without-source", "nothing");
    assert_eq!((loner.file.as_str(), loner.line), ("loner.yaml", Some(8)));
    find("contract-claimed-twice", "orders-v1");
    let external = find("external-column-source", "legacy_db.tx.amount");
    assert_eq!(external.severity, meshdoc::Severity::Info);
}

#[test]
fn pages_show_diagrams_lists_impact_and_deeper_views_in_the_browser_data() {
    let dir = tempfile::tempdir().unwrap();
    mesh(dir.path());
    let (out, _) = build(dir.path());
    let orders = fs::read_to_string(out.join("products/orders/index.html")).unwrap();
    // orders feeds revenue, payments (columns) and marketing (agreement, and through payments).
    assert!(
        orders.contains("<strong>3</strong> products in <strong>2</strong> domains depend"),
        "impact"
    );
    assert!(orders.contains(r#"<svg xmlns="http://www.w3.org/2000/svg" class="lineage-svg""#));
    // The box's accessible name is its visible text; its <title> (tooltip, description) adds
    // what the box does not show.
    assert!(orders.contains(
        r#"<a href="../../products/revenue/index.html" aria-label="revenue, finance"><title>data product revenue"#
    ));
    assert!(orders.contains("via data usage agreement"));
    assert!(orders.contains("agreement.yaml:1"));
    // Deeper views are drawn in the browser: no static pages, a depth chooser and data files.
    assert!(!out.join("products/marketing/lineage").exists());
    assert!(
        !orders.contains("lineage-explorer"),
        "no depth chooser when nothing lies beyond one hop"
    );
    let marketing = fs::read_to_string(out.join("products/marketing/index.html")).unwrap();
    assert!(marketing.contains(r#"<div class="lineage-explorer" data-node=""#));
    assert!(marketing
        .contains(r#"<button type="button" data-hops="2" aria-pressed="false">2 hops</button>"#));
    assert!(marketing.contains(r#"<script src="../../static/lineage.js" defer></script>"#));
    // Without JavaScript: the products two hops away are listed, linked.
    let fallback = &marketing[marketing.find("lineage-fallback").unwrap()..];
    let two_hops = fallback
        .split(r#"<h4 class="chain-title">Upstream, 2 hops</h4>"#)
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap_or_default();
    // One item per node (HTML closes each `<li>` at the next one).
    let items: Vec<&str> = two_hops.split("<li ").map(str::trim).collect();
    assert!(
        items.contains(&r#"class="lg-sys">Payment Gateway"#),
        "2 hops reach the system behind payments: {fallback}"
    );
    let graph = fs::read_to_string(out.join("lineage/graph.js")).unwrap();
    assert!(
        graph.starts_with("meshdocLineage.load(\"graph\",{"),
        "{graph}"
    );
    let nodes = fs::read_to_string(out.join("lineage/n/0.js")).unwrap();
    assert!(
        nodes.contains(r#"["revenue","products/revenue/index.html","#),
        "{nodes}"
    );
    let revenue = fs::read_to_string(out.join("products/revenue/index.html")).unwrap();
    assert!(revenue.contains("ordres-v1") && revenue.contains("contract not found"));
    let contract = fs::read_to_string(out.join("contracts/revenue-v1/index.html")).unwrap();
    assert!(contract.contains("Column lineage"));
    assert!(contract.contains(r##"href="../../contracts/orders-v1/index.html#c-main.amount""##));
    assert!(contract.contains("legacy_db.tx.amount"));
    let mesh_page = fs::read_to_string(out.join("lineage/index.html")).unwrap();
    assert!(mesh_page.contains(r#"href="../domains/finance/index.html""#));
    assert!(mesh_page.contains("cyc-a"), "cycles are listed");
    let domain = fs::read_to_string(out.join("domains/finance/index.html")).unwrap();
    assert!(domain.contains("class=\"lineage-svg\""));
    let nav = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(nav.contains(r#"<a href="lineage/index.html">Lineage</a>"#));
}

#[test]
fn a_product_with_300_consumers_stays_small_and_readable_and_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "meshdoc.toml", "[[sources]]\ndir = \"repos/*\"\n");
    write(
        root,
        "repos/hub/hub.yaml",
        &odps(
            "hub",
            "core",
            "  []\n",
            "  - name: main\n    contractId: hub-v1\n",
        ),
    );
    write(
        root,
        "repos/hub/hub-v1.yaml",
        &odcs("hub-v1", "      - name: id\n"),
    );
    for i in 0..300 {
        let repo = ["east", "west"][i % 2];
        write(
            root,
            &format!("repos/{repo}/c{i:03}.yaml"),
            &odps(
                &format!("consumer-{i:03}"),
                &format!("d{}", i % 7),
                "  - name: in\n    contractId: hub-v1\n",
                "  []\n",
            ),
        );
    }
    let (out, report) = build(root);
    assert_eq!(
        report.catalog.lineage.downstream[report.catalog.product_by_id["hub"]].len(),
        300
    );
    let page = fs::read(out.join("products/hub/index.html")).unwrap();
    assert!(page.len() < 150_000, "product page is {} bytes", page.len());
    let html = String::from_utf8(page).unwrap();
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    // 11 consumers, the hub, and one "+289 more" node that links to the full list.
    assert_eq!(svg.matches("<a href=").count(), 13, "{svg}");
    assert!(svg.contains("+289 more"));
    assert!(svg.contains(r##"<a href="#lineage-lists""##));
    assert!(html.contains(r#"id="lineage-lists""#));
    // The list names the first 50 with their declarations and counts the rest.
    assert_eq!(html.matches("via input port (contract)").count(), 50);
    assert!(html.contains("… and 250 more (all in <code>lineage/index.json</code>)."));
    assert!(html.contains(r#"Read by <span class="count-badge">300</span>"#));
    assert!(html.contains("<strong>300</strong> products in <strong>7</strong> domains"));

    // Same input, second build into another folder: identical bytes.
    let svg_of = |p: &Path| {
        let h = fs::read_to_string(p).unwrap();
        let s = h.find("<svg").unwrap();
        h[s..h.find("</svg>").unwrap()].to_string()
    };
    let first: Vec<String> = [
        "products/hub/index.html",
        "lineage/index.html",
        "domains/core/index.html",
    ]
    .iter()
    .map(|p| svg_of(&out.join(p)))
    .collect();
    let out2 = root.join("again");
    let config = Config::load(&root.join("meshdoc.toml")).unwrap();
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out2.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let second: Vec<String> = [
        "products/hub/index.html",
        "lineage/index.html",
        "domains/core/index.html",
    ]
    .iter()
    .map(|p| svg_of(&out2.join(p)))
    .collect();
    assert_eq!(first, second);
    assert_eq!(
        fs::read(out.join("catalog.json")).unwrap(),
        fs::read(out2.join("catalog.json")).unwrap()
    );
}

#[path = "support/browser.rs"]
mod browser;

/// The deeper views are drawn by static/lineage.js from file:// (scripts, not fetch), with
/// boxes whose accessible names are their visible text, reachable by keyboard.
#[test]
fn deeper_lineage_is_drawn_in_the_browser_from_file_urls() {
    let Some(driver) =
        browser::browser_or_skip("deeper_lineage_is_drawn_in_the_browser_from_file_urls")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    mesh(dir.path());
    let (out, _) = build(dir.path());
    driver.goto(&format!(
        "file://{}/products/marketing/index.html",
        out.display()
    ));
    driver.wait_for(
        "return !document.querySelector('.lineage-explorer').hidden",
        vec![],
        10,
        "the depth chooser to appear",
    );
    assert_eq!(
        driver.js(
            "return document.querySelector('.lineage-fallback').hidden",
            vec![]
        ),
        Value::Bool(true),
        "the no-script list gives way to the chooser"
    );
    driver.click(&driver.find(r#"button[data-hops="2"]"#));
    let labels = driver.wait_for(
        "const a = [...document.querySelectorAll('.lineage-deeper svg a')]; \
         return a.length ? a.map(x => [x.getAttribute('aria-label'), \
           [...x.querySelectorAll('text')].map(t => t.textContent).join(' '), x.tabIndex]) : null",
        vec![],
        10,
        "the 2-hop diagram",
    );
    let labels = labels.as_array().unwrap();
    for l in labels {
        assert_eq!(l[0], l[1], "accessible name = visible text: {l}");
        assert!(l[2].as_i64().unwrap() >= 0, "focusable: {l}");
    }
    let names: Vec<&str> = labels.iter().map(|l| l[0].as_str().unwrap()).collect();
    assert!(names.iter().any(|n| n.starts_with("payments")), "{names:?}");
    assert!(driver.js("return document.querySelector('#lineage .lineage-figure:not(.lineage-deeper-figure)').hidden", vec![]) == Value::Bool(true));
    let status = driver.js(
        "return document.querySelector('.lineage-status').textContent",
        vec![],
    );
    assert!(status.as_str().unwrap().starts_with("2 hops:"), "{status}");
    // The full chains, then back to the one hop drawn at build time.
    driver.click(&driver.find(r#"button[data-hops="all"]"#));
    driver.wait_for(
        "return document.querySelector('.lineage-status').textContent.startsWith('Full chains')",
        vec![],
        10,
        "the full chains",
    );
    let list = driver.js(
        "return document.querySelector('#lineage-deeper-list').textContent",
        vec![],
    );
    assert!(list.as_str().unwrap().contains("Payment Gateway"), "{list}");
    driver.click(&driver.find(r#"button[data-hops="1"]"#));
    assert_eq!(
        driver.js("return [document.querySelector('#lineage .lineage-figure:not(.lineage-deeper-figure)').hidden, document.querySelectorAll('.lineage-deeper svg').length]", vec![]),
        serde_json::json!([false, 0])
    );
}
