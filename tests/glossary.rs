//! The business glossary and the people pages, on a small mesh of two repositories: terms from
//! definitions files (and a broken one), an ODCS contract linking columns by authoritative
//! definitions, business name and an unknown id, a DCS contract with its own definitions and
//! `$ref`s, a duplicate term, a Bitol ODPS product exposing the contract, Backstage users and
//! groups. Assertions are on what a reader sees: the rendered pages, their links, the JSON beside
//! them, the search index and the diagnostics.

use std::fs;
use std::path::{Path, PathBuf};

use meshdoc::config::{Config, SourceConfig};
use meshdoc::{Catalog, Severity};
use serde_json::Value;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const CUSTOMER_ID: &str = "id: customer-id
name: customer_id
title: Customer ID
type: string
example: C-1001
pii: true
owner: sales-team
tags: [key]
synonyms: [client number]
description: |
  The **stable** id of a customer account. <script>alert(1)</script>
";

const ORDERS_ODCS: &str = "apiVersion: v3.2.0
kind: DataContract
id: orders
name: Orders
version: 1.0.0
status: active
domain: sales
team:
  - username: jdoe
    role: owner
roles:
  - role: orders_reader
    access: read
    firstLevelApprovers: jane.doe@example.com
schema:
  - name: orders
    properties:
      - name: customer_id
        logicalType: string
        authoritativeDefinitions:
          - type: businessDefinition
            url: https://wiki.example/glossary/customer-id
        synonyms:
          - synonym: buyer id
      - name: total
        businessName: Order total
        logicalType: number
      - name: channel
        logicalType: string
        authoritativeDefinitions:
          - type: glossary
            url: sales-chanel
      - name: region
        logicalType: string
        authoritativeDefinitions:
          - type: businessDefinition
            url: https://elsewhere.example/terms/sales-region
";

const STOCK_DCS: &str = "dataContractSpecification: 1.1.0
id: stock
info:
  title: Stock
  version: 1.0.0
  owner: ops-team
definitions:
  sku:
    name: sku
    title: Stock keeping unit
    type: string
    description: The article number of one sellable pack.
models:
  stock:
    type: table
    fields:
      sku:
        $ref: '#/definitions/sku'
      units:
        type: integer
";

const PRODUCT: &str = "apiVersion: v1.0.0
kind: DataProduct
id: orders-product
name: Orders Product
status: active
domain: sales
authoritativeDefinitions:
  - type: businessDefinition
    url: customer-id
outputPorts:
  - name: orders
    version: 1.0.0
    contractId: orders
";

const BACKSTAGE: &str = "apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: sales-team
  title: Sales Team
spec:
  type: team
  children: []
  members: [jdoe]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: jdoe
spec:
  profile:
    displayName: Jane Doe
    email: jane.doe@example.com
  memberOf: [sales-team]
";

struct Site {
    _tmp: tempfile::TempDir,
    out: PathBuf,
    catalog: Catalog,
}

impl Site {
    fn page(&self, rel: &str) -> String {
        fs::read_to_string(self.out.join(rel)).unwrap_or_else(|_| panic!("{rel} written"))
    }

    fn json(&self, rel: &str) -> Value {
        serde_json::from_str(&self.page(rel)).unwrap()
    }

    /// Warnings and errors, as `code source/path:line`.
    fn problems(&self) -> Vec<String> {
        self.catalog
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .map(|d| format!("{} {}:{}", d.code, d.file, d.line.unwrap_or(0)))
            .collect()
    }

    fn message(&self, code: &str) -> String {
        let d = self
            .catalog
            .diagnostics
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("a {code} diagnostic"));
        format!("{} / {}", d.message, d.hint.as_deref().unwrap_or(""))
    }
}

fn build(glossary_paths: Option<Vec<String>>, files: &[(&str, &str, &str)]) -> Site {
    let tmp = tempfile::tempdir().unwrap();
    for (repo, rel, text) in files {
        write(&tmp.path().join(repo), rel, text);
    }
    let mut config = Config::empty(tmp.path());
    config.build.cache_dir = Some(tmp.path().join(".cache"));
    if let Some(paths) = glossary_paths {
        config.glossary.definitions = paths;
    }
    let mut repos: Vec<&str> = files.iter().map(|f| f.0).collect();
    repos.dedup();
    config.sources = repos
        .into_iter()
        .map(|r| SourceConfig {
            name: Some(r.into()),
            dir: Some(tmp.path().join(r)),
            ..Default::default()
        })
        .collect();
    let out = tmp.path().join("site");
    let options = meshdoc::Options {
        out_dir: Some(out.clone()),
        force: true,
        ..Default::default()
    };
    let report = meshdoc::build(&config, &options).expect("the site builds");
    Site {
        out,
        catalog: report.catalog,
        _tmp: tmp,
    }
}

fn mesh() -> Site {
    build(
        None,
        &[
            ("ops", "contracts/stock.yaml", STOCK_DCS),
            ("ops", "catalog/org.yaml", BACKSTAGE),
            ("sales", "definitions/sales/customer-id.yaml", CUSTOMER_ID),
            (
                "sales",
                "definitions/sales/order-total.yaml",
                "id: order-total\ntitle: Order total\ndescription: What the customer paid.\n",
            ),
            (
                "sales",
                "definitions/sales/zz-customer-id.yaml",
                "id: customer-id\ntitle: Customer identifier\n",
            ),
            (
                "sales",
                "definitions/sales/broken.yaml",
                "id: x\n  title: [\n",
            ),
            (
                "sales",
                "definitions/sales/two.yaml",
                "id: two\ntitle: Two\n---\ndescription: no id here\n",
            ),
            ("sales", "contracts/orders.odcs.yaml", ORDERS_ODCS),
            ("sales", "products/orders.odps.yaml", PRODUCT),
        ],
    )
}

#[test]
fn terms_from_definitions_link_their_columns_contracts_and_products() {
    let site = mesh();
    let index = site.page("glossary/index.html");
    for name in [
        "Customer ID",
        "Order total",
        "Stock keeping unit",
        "Sales region",
        "Two",
    ] {
        assert!(index.contains(name), "{name} on the glossary index");
    }
    assert!(
        index.contains(r#"id="letter-c""#),
        "A–Z groups with anchors"
    );
    assert!(index.contains(r##"href="../glossary/index.html#letter-s""##));
    assert!(index.contains("By domain"), "terms by domain");
    assert!(
        !index.contains("Customer identifier"),
        "the duplicate is left out"
    );

    let term = site.page("glossary/customer-id/index.html");
    // Where it is used: the column (at its row on the contract page), the contract, the product.
    assert!(term.contains(r##"href="../../contracts/orders/index.html#c-orders.customer_id""##));
    assert!(term.contains(r#"href="../../products/orders-product/index.html""#));
    assert!(
        term.contains(r#"href="../../teams/sales-team/index.html""#),
        "owner linked"
    );
    assert!(term.contains("C-1001") && term.contains("Yes — handle as PII"));
    assert!(
        term.contains("client number") && term.contains("buyer id"),
        "synonyms"
    );
    assert!(
        term.contains("<strong>stable</strong>"),
        "markdown rendered"
    );
    assert!(!term.contains("<script>alert"), "markdown sanitised");

    // The business name links a column without any link in the file.
    let total = site.page("glossary/order-total/index.html");
    assert!(total.contains("#c-orders.total"));
    // An unmatched web address becomes an external term, linked to its page.
    let region = site.page("glossary/sales-region/index.html");
    assert!(region.contains(r#"href="https://elsewhere.example/terms/sales-region""#));
    assert!(region.contains("#c-orders.region"));
    // A DCS contract's own definition is a term, linked from the field that `$ref`s it.
    let sku = site.page("glossary/sku/index.html");
    assert!(sku.contains(r##"href="../../contracts/stock/index.html#c-stock.sku""##));

    // The contract page links each column to its term.
    let contract = site.page("contracts/orders/index.html");
    assert!(contract.contains(r#"href="../../glossary/customer-id/index.html""#));
    assert!(contract.contains(r#"href="../../glossary/order-total/index.html""#));

    let json = site.json("glossary/customer-id/index.json");
    assert_eq!(json["id"], "customer-id");
    assert_eq!(json["pii"], true);
    assert_eq!(json["usedBy"]["columns"][0]["column"], "customer_id");
    assert_eq!(json["usedBy"]["contracts"][0], "orders");
    assert_eq!(json["usedBy"]["products"][0], "orders-product");
}

#[test]
fn bad_definitions_and_references_are_located_and_the_rest_is_read() {
    let site = mesh();
    let problems = site.problems();
    let has = |p: &str| problems.iter().any(|x| x == p);
    assert!(
        has("duplicate-term definitions/sales/zz-customer-id.yaml:1"),
        "{problems:?}"
    );
    assert!(site
        .message("duplicate-term")
        .contains("sales/definitions/sales/customer-id.yaml"));
    // At the `url:` of the reference (line 32 of the contract).
    assert!(
        has("unknown-term contracts/orders.odcs.yaml:32"),
        "{problems:?}"
    );
    assert_eq!(problems.len(), 4, "nothing else: {problems:?}");
    assert!(site.message("unknown-term").contains("sales-chanel"));
    assert!(
        has("yaml-syntax definitions/sales/broken.yaml:2"),
        "{problems:?}"
    );
    assert!(
        has("invalid-definition definitions/sales/two.yaml:4"),
        "{problems:?}"
    );
    // The broken file cost only itself: the other terms of its folder are there.
    assert!(site.catalog.glossary.term("two").is_some());
    assert!(site.catalog.glossary.term("order-total").is_some());
}

#[test]
fn people_pages_name_roles_teams_and_what_they_appear_on() {
    let site = mesh();
    // The ODCS member `jdoe`, the approver by e-mail and the Backstage user are one person.
    let person = site.page("people/jdoe/index.html");
    assert!(person.contains("Jane Doe"));
    assert!(person.contains(r#"href="mailto:jane.doe@example.com""#));
    assert!(
        person.contains("jane<wbr>.doe<wbr>@example<wbr>.com"),
        "the address wraps at its dots"
    );
    assert!(person.contains(r#"href="../../teams/sales-team/index.html""#));
    assert!(person.contains(r#"href="../../contracts/orders/index.html""#));
    assert!(person.contains("approver of orders_reader"));
    assert!(person.contains(">owner<"));
    let people = site.page("people/index.html");
    assert!(people.contains(r#"href="../people/jdoe/index.html""#));
    assert_eq!(
        site.catalog.people.entries.len(),
        1,
        "one person, not three"
    );
    // Members and approvers elsewhere link to the person's page.
    let contract = site.page("contracts/orders/index.html");
    assert_eq!(
        contract
            .matches(r#"href="../../people/jdoe/index.html""#)
            .count(),
        2,
        "the team member and the approver"
    );
    let json = site.json("people/jdoe/index.json");
    assert_eq!(json["email"], "jane.doe@example.com");
    assert_eq!(json["contracts"][0], "orders");
}

#[test]
fn terms_and_people_are_in_the_search_index() {
    let site = mesh();
    let mut all = String::new();
    for entry in walk(&site.out.join("search")) {
        all.push_str(&fs::read_to_string(entry).unwrap());
    }
    assert!(all.contains("glossary/customer-id/index.html"));
    assert!(all.contains("Customer ID"));
    assert!(all.contains("client"), "synonyms are indexed");
    assert!(all.contains("people/jdoe/index.html"));
    assert!(all.contains(r#""term""#), "a Term facet value");
}

#[test]
fn the_definitions_paths_are_configurable() {
    let site = build(
        Some(vec!["glossary/*.yml".into()]),
        &[
            (
                "repo",
                "glossary/net-revenue.yml",
                "id: net-revenue\ntitle: Net revenue\n",
            ),
            // Outside the configured paths: not a term (and no standard claims it).
            (
                "repo",
                "definitions/sales/x.yaml",
                "id: x\ntitle: Ignored\n",
            ),
        ],
    );
    assert!(site.catalog.glossary.term("net-revenue").is_some());
    assert!(site.catalog.glossary.term("x").is_none());
    assert!(site.page("glossary/index.html").contains("Net revenue"));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
