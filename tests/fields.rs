//! Nothing dropped, on our own small files: every field the standards define reaches the page a
//! reader would look on (ports' locations and links, management ports, SBOMs, team blocks, business
//! names, enum objects, maps, quality rules' queries and implementations, DCS examples, config and
//! definitions), references between files stay inside their source, and Backstage user owners are
//! people, not teams. Each file here is our own case of a pattern seen in real repositories.

use std::fs;
use std::path::{Path, PathBuf};

use meshdoc::config::{Config, SourceConfig};
use meshdoc::{Catalog, Severity};

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A built site of one folder source named `repo`.
struct Site {
    _tmp: tempfile::TempDir,
    out: PathBuf,
    catalog: Catalog,
}

impl Site {
    fn build(files: &[(&str, &str)]) -> Site {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        for (rel, text) in files {
            write(&repo, rel, text);
        }
        // A file beside the source, which no reference may reach.
        write(
            tmp.path(),
            "outside.yaml",
            "secret:\n  type: string\n  description: TOPSECRET\n",
        );
        let mut config = Config::empty(tmp.path());
        config.build.cache_dir = Some(tmp.path().join(".cache"));
        config.sources = vec![SourceConfig {
            name: Some("repo".into()),
            dir: Some(repo),
            ..Default::default()
        }];
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

    fn page(&self, rel: &str) -> String {
        fs::read_to_string(self.out.join(rel)).unwrap_or_else(|_| panic!("{rel} written"))
    }

    fn product_page(&self, id: &str) -> String {
        let p = self.catalog.product(id).expect("product in the catalog");
        self.page(&format!("products/{}/index.html", p.slug))
    }

    fn contract_page(&self, id: &str) -> String {
        let c = self.catalog.contract(id).expect("contract in the catalog");
        self.page(&format!("contracts/{}/index.html", c.slug))
    }

    /// Warnings and errors, as `code path:line:column`.
    fn problems(&self) -> Vec<String> {
        self.catalog
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .map(|d| {
                format!(
                    "{} {}:{}:{}",
                    d.code.as_str(),
                    d.file,
                    d.line.unwrap_or(0),
                    d.column.unwrap_or(0)
                )
            })
            .collect()
    }
}

/// The page's text as a reader sees it: tags removed, entities decoded, whitespace collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shows(page: &str, wanted: &[&str]) {
    let t = text(page);
    let missing: Vec<&&str> = wanted.iter().filter(|w| !t.contains(**w)).collect();
    assert!(missing.is_empty(), "not on the page: {missing:?}");
}

const DPS_PRODUCT: &str = r#"dataProductSpecification: 0.0.1
id: stock
info:
  title: Stock
  owner: fulfillment
  maturity: managed
  costCenter: cc-42
inputPorts:
  - id: stock_topic
    name: Stock topic
    sourceSystemId: stock-service
    type: Kafka
    location: stock-updates-topic
    links:
      Console: https://kafka.example.com/topics/stock
    tags: [kafka, managed]
outputPorts:
  - id: stock_table_v1
    name: 'Stock table (v1)'
    type: Glue
    location: arn:aws:glue:eu-central-1:1234:table/stock
    links:
      Query editor: https://console.example.com/athena
      Bucket: s3://stock-bucket/raw
      Trap: javascript:alert(1)
    autoApprove: true
"#;

#[test]
fn dps_ports_show_their_location_links_and_ids() {
    let site = Site::build(&[("dataproduct.yaml", DPS_PRODUCT)]);
    let page = site.product_page("stock");
    shows(
        &page,
        &[
            "stock_table_v1",
            "arn:aws:glue:eu-central-1:1234:table/stock",
            "stock-updates-topic",
            "Query editor",
            "Bucket s3://stock-bucket/raw",
            "managed",
            "autoApprove",
            "cc-42",
        ],
    );
    assert!(page.contains(r#"href="https://console.example.com/athena""#));
    assert!(page.contains(r#"href="https://kafka.example.com/topics/stock""#));
    // Only http(s) and mailto become links; anything else is text.
    assert!(!page.contains(r#"href="s3:"#));
    assert!(!page.contains("href=\"javascript"), "no javascript: href");
}

const BITOL_PRODUCT: &str = r#"apiVersion: v1.1.0
kind: DataProduct
id: customers
name: Customers
status: active
type: consumerAligned
tenant: ExampleCorp
deprecated: true
productCreatedTs: "2024-03-01T08:00:00Z"
description:
  purpose: The customer master.
  authoritativeDefinitions:
    - type: privacyStatement
      url: https://example.com/privacy
  customProperties:
    - property: reviewCycle
      value: yearly
synonyms:
  - synonym: Clients
    locale: en-GB
context:
  instructions: Join on customer_id only.
  verifiedStatements:
    - question: How many active customers?
      answer: Count rows with status active.
  constraints:
    - constraint: Never expose e-mail addresses.
team:
  name: crm-team
  description: Keeps the customer master data.
  members:
    - username: ada@example.com
      name: Ada
      role: owner
      description: Product owner
      dateIn: "2023-05-01"
      dateOut: "2025-01-31"
      replacedByUsername: bob@example.com
inputPorts:
  - name: raw_customers
    version: 1.0.0
    contractId: raw-customers
    authoritativeDefinitions:
      - type: dataDictionary
        url: https://dict.example.com/raw
outputPorts:
  - name: customers
    version: 2.0.0
    contractId: customers-v2
    sbom:
      - type: external
        url: https://sbom.example.com/customers
    authoritativeDefinitions:
      - type: implementation
        url: jdbc:postgresql://db:5432/crm
managementPorts:
  - name: customer-events
    content: observability
    type: topic
    channel: crm.customer.events
    description: Changes to the customer master
support:
  - channel: crm-help
    url: https://chat.example.com/crm-help
    scope: interactive
    invitationUrl: https://chat.example.com/invite/crm
"#;

#[test]
fn bitol_odps_v1_1_fields_reach_the_product_page() {
    let site = Site::build(&[("customers.odps.yaml", BITOL_PRODUCT)]);
    let p = site.catalog.product("customers").unwrap();
    assert_eq!(p.archetype.as_deref(), Some("consumerAligned"));
    assert!(p.deprecated);
    assert_eq!(p.management_ports.len(), 1);
    let page = site.product_page("customers");
    shows(
        &page,
        &[
            "deprecated",
            "ExampleCorp",
            "2024-03-01T08:00:00Z",
            "Clients",
            "Join on customer_id only.",
            "How many active customers?",
            "Count rows with status active.",
            "Never expose e-mail addresses.",
            "Keeps the customer master data.",
            "Product owner",
            "since 2023-05-01",
            "left 2025-01-31",
            "bob@example.com",
            "dataDictionary",
            "implementation jdbc:postgresql://db:5432/crm",
            "customer-events",
            "observability",
            "crm.customer.events",
            "Changes to the customer master",
            "interactive",
            "Management ports",
            "SBOM",
            "privacyStatement",
            "reviewCycle : yearly",
        ],
    );
    assert!(page.contains(r#"href="https://example.com/privacy""#));
    assert!(page.contains(r#"href="https://sbom.example.com/customers""#));
    assert!(page.contains(r#"href="https://chat.example.com/invite/crm""#));
    assert!(!page.contains(r#"href="jdbc:"#));
}

const ODCS_CONTRACT: &str = r#"apiVersion: v3.2.0
kind: DataContract
id: orders
name: Orders
version: 1.0.0
status: active
tenant: ExampleCorp
contractCreatedTs: "2024-01-02T03:04:05Z"
dataProduct: order-hub
description:
  purpose: "<script>alert('x')</script> Orders as placed."
customProperties:
  - property: retention
    value: 7 years
    description: Kept for the tax office.
servers:
  - id: srv-1
    server: warehouse
    type: postgres
    description: The reporting replica.
team:
  - username: cwood
    role: Data Scientist
    dateIn: "2022-08-02"
    dateOut: "2022-10-01"
    comment: Moved to finance
schema:
  - name: orders
    physicalType: table
    logicalType: object
    properties:
      - name: order_id
        id: prop-order-id
        businessName: Order number
        logicalType: string
        primaryKey: true
        semanticType: identifier
        authoritativeDefinitions:
          - type: implementation
            url: jdbc:postgresql://db/orders/order_id
        quality:
          - type: sql
            description: no duplicates
            query: SELECT COUNT(*) FROM orders GROUP BY order_id HAVING COUNT(*) > 1
            mustBe: 0
            customProperties:
              - property: owner
                value: quality-team
          - type: custom
            engine: dqx
            implementation:
              criticality: error
              check:
                function: regex_match
                arguments:
                  regex: "^[A-Z]{2}-[0-9]+$"
      - name: status
        logicalType: string
        enum:
          - value: open
            label: Open
            description: Placed, not shipped.
          - value: shipped
            label: Shipped
            customProperties:
              - property: terminal
                value: true
      - name: attributes
        logicalType: map
        map:
          key:
            logicalType: string
            description: Attribute name.
          value:
            logicalType: integer
            description: Attribute value.
      - name: tags
        logicalType: array
        items:
          logicalType: string
          name: tag
          examples: [gift, express]
"#;

#[test]
fn odcs_fields_reach_the_contract_page_escaped() {
    let site = Site::build(&[("orders.odcs.yaml", ODCS_CONTRACT)]);
    let page = site.contract_page("orders");
    shows(
        &page,
        &[
            "ExampleCorp",
            "2024-01-02T03:04:05Z",
            "Order number",
            "identifier",
            "primary key",
            "implementation jdbc:postgresql://db/orders/order_id",
            "no duplicates",
            "SELECT COUNT(*) FROM orders GROUP BY order_id HAVING COUNT(*) > 1",
            "owner quality-team",
            "regex_match (dqx)",
            "check.arguments.regex ^[A-Z]{2}-[0-9]+$",
            "criticality error",
            "Open",
            "Placed, not shipped.",
            "terminal true",
            "map<string, integer>",
            "<key>",
            "Attribute name.",
            "Attribute value.",
            "Item name tag",
            "Item examples gift, express",
            "since 2022-08-02",
            "left 2022-10-01",
            "Moved to finance",
            "object",
            "Kept for the tax office.",
            "prop-order-id",
            "srv-1",
            "The reporting replica.",
        ],
    );
    assert!(
        !page.contains("<script>alert"),
        "descriptions are sanitised"
    );
    assert!(!page.contains(r#"href="jdbc:"#));
}

#[test]
fn a_data_product_no_source_defines_is_a_warning_at_its_key_and_shown_unlinked() {
    let site = Site::build(&[("orders.odcs.yaml", ODCS_CONTRACT)]);
    let line = ODCS_CONTRACT
        .lines()
        .position(|l| l.starts_with("dataProduct:"))
        .unwrap()
        + 1;
    assert!(
        site.problems()
            .contains(&format!("unresolved-reference orders.odcs.yaml:{line}:1")),
        "{:?}",
        site.problems()
    );
    let page = site.contract_page("orders");
    assert!(
        page.contains("ref-plain"),
        "the name is shown without a link"
    );
    shows(&page, &["order-hub"]);
}

const DCS_CONTRACT: &str = r#"dataContractSpecification: 1.1.0
id: shipments
info:
  title: Shipments
  version: 1.0.0
  dataProduct: shipping
models:
  shipments:
    type: table
    primaryKey: [shipment_id, line]
    fields:
      shipment_id:
        $ref: common/definitions.yaml#/definitions/shipment_id
      line:
        type: integer
      carrier:
        type: string
        config:
          oracleType: VARCHAR2
          jsonFormat: text
      secret:
        $ref: ../../outside.yaml#/secret
      weight:
        $ref: '#/definitions/weight'
    examples:
      - |
        shipment_id,line
        S-1,1
definitions:
  weight:
    title: Weight in grams
    type: integer
    domain: logistics
servicelevels:
  backup:
    interval: daily
    recoveryTime: 24 hours
    recoveryPoint: 1 week
terms:
  usage: Internal only.
  policies:
    - name: license
      url: https://example.com/license
      description: Licensed under agreement 42.
examples:
  - type: json
    model: shipments
    description: Two shipments
    data:
      - shipment_id: S-1
        carrier: DHL
      - shipment_id: S-2
        carrier: UPS
"#;

const DCS_DEFINITIONS: &str = r#"definitions:
  shipment_id:
    title: Shipment number
    type: string
    description: Unique per shipment.
"#;

#[test]
fn dcs_fields_and_references_within_the_source() {
    let site = Site::build(&[
        ("contracts/datacontract.yaml", DCS_CONTRACT),
        ("contracts/common/definitions.yaml", DCS_DEFINITIONS),
        (
            "dataproduct.yaml",
            "dataProductSpecification: 0.0.1\nid: shipping\ninfo:\n  title: Shipping\n  owner: logistics\n",
        ),
    ]);
    let c = site.catalog.contract("shipments").unwrap();
    let fields = &c.schema[0].properties;
    let id = fields.iter().find(|f| f.name == "shipment_id").unwrap();
    assert_eq!(id.business_name.as_deref(), Some("Shipment number"));
    assert_eq!(id.logical_type.as_deref(), Some("string"));
    assert!(id.primary_key && id.primary_key_position == Some(1));
    // A reference that leaves the source is refused with a warning at the `$ref`.
    let line = DCS_CONTRACT
        .lines()
        .position(|l| l.contains("outside.yaml"))
        .unwrap()
        + 1;
    let problems = site.problems();
    assert!(
        problems.contains(&format!(
            "unresolved-ref contracts/datacontract.yaml:{line}:9"
        )),
        "{problems:?}"
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    let page = site.contract_page("shipments");
    shows(
        &page,
        &[
            "Shipment number",
            "Unique per shipment.",
            "common/definitions.yaml#/definitions/shipment_id",
            "Primary key shipment_id , line",
            "oracleType: VARCHAR2",
            "jsonFormat: text",
            "recovery point 1 week",
            "Licensed under agreement 42.",
            "Definitions",
            "Weight in grams",
            "logistics",
            "Two shipments",
            "DHL",
            "UPS",
            "S-1,1",
        ],
    );
    assert!(page.contains("href=\"#c-definitions.weight\""));
    assert!(
        !page.contains("TOPSECRET"),
        "nothing outside the source is read"
    );
}

const DPDS_DESCRIPTOR: &str = r#"{
  "dataProductDescriptor": "1.0.0",
  "info": {
    "fullyQualifiedName": "urn:dpds:example:dataproducts:trips:1",
    "name": "trips",
    "version": "1.0.0",
    "domain": "transport",
    "owner": {"id": "jo@example.com", "name": "Jo"}
  },
  "interfaceComponents": {
    "outputPorts": [
      {"description": "Trip status, last 12 months", "$ref": "ports/status.json"},
      {"$ref": "../escape.json"}
    ]
  }
}"#;

const DPDS_PORT: &str = r#"{
  "fullyQualifiedName": "urn:dpds:example:dataproducts:trips:1:outputports:status",
  "name": "status",
  "displayName": "Trip status",
  "version": "2.1.0",
  "promises": {"platform": "azure::postgres", "servicesType": "datastore-services"}
}"#;

#[test]
fn dpds_port_files_are_followed_within_the_source() {
    let site = Site::build(&[
        ("trips/data-product-descriptor.json", DPDS_DESCRIPTOR),
        ("trips/ports/status.json", DPDS_PORT),
    ]);
    let p = site
        .catalog
        .product("urn:dpds:example:dataproducts:trips:1")
        .unwrap();
    let status = &p.output_ports[0];
    assert_eq!(status.id, "status");
    assert_eq!(status.name, "Trip status");
    assert_eq!(status.version.as_deref(), Some("2.1.0"));
    assert_eq!(status.server.as_deref(), Some("azure::postgres"));
    assert_eq!(
        status.description.as_deref(),
        Some("Trip status, last 12 months")
    );
    assert_eq!(
        site.problems(),
        ["unresolved-ref trips/data-product-descriptor.json:13:8"]
    );
}

const OPEN_ODPS: &str = r#"schema: https://opendataproducts.org/v4.1/schema/odps.yaml
version: 4.1
product:
  details:
    en:
      name: City events
      productID: city-events
      status: production
      type: dataset
  SLA:
    declarative:
      - dimension: uptime
        displaytitle:
          - en: Uptime
          - fi: Käytettävyys
        objective: 99
        unit: percent
    executable:
      - dimension: uptime
        type: prometheus
        spec: |-
          avg_over_time(up[7d])
  dataQuality:
    default:
      displaytitle:
        en: Basic quality
      dimensions:
        - dimension: completeness
          objective: 90
          unit: percentage
"#;

#[test]
fn opendataproducts_sla_and_data_quality_are_tables() {
    let site = Site::build(&[("city-events.odps.yaml", OPEN_ODPS)]);
    let page = site.product_page("city-events");
    shows(
        &page,
        &[
            "Service level agreement",
            "Declarative",
            "Executable",
            "Uptime · fi: Käytettävyys",
            "avg_over_time(up[7d])",
            "Data quality",
            "Basic quality",
            "completeness",
            "Objective",
        ],
    );
    assert!(
        !page.contains("{&quot;declarative"),
        "no raw JSON of the section"
    );
}

const BACKSTAGE: &str = r#"apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: frank.tiernan
spec:
  profile:
    displayName: Frank Tiernan
    email: frank@example.com
  memberOf: [team-a]
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata:
  name: artists
spec:
  owner: user:default/frank.tiernan
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: artist-portal
  description: Where artists manage their profiles
spec:
  owner: user:frank.tiernan
  domain: artists
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: ghost-system
spec:
  owner: user:ghost
  domain: artists
"#;

#[test]
fn backstage_user_owners_are_people_and_systems_keep_their_domain() {
    let site = Site::build(&[
        ("catalog-info.yaml", BACKSTAGE),
        (
            "products/lookup.yaml",
            "dataProductSpecification: 0.0.1\nid: artist-lookup\ninfo:\n  title: Artist lookup\n  owner: frank.tiernan\n  domain: artists\n",
        ),
        (
            "products/search.yaml",
            "dataProductSpecification: 0.0.1\nid: artist-search\ninfo:\n  title: Artist search\n  owner: user:ghost\n",
        ),
    ]);
    let c = &site.catalog;
    let teams: Vec<&str> = c.teams.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(teams, ["team-a"], "no team is made up for a person");
    assert_eq!(
        c.product("artist-lookup").unwrap().owner.as_deref(),
        Some("frank.tiernan")
    );
    assert_eq!(
        c.product("artist-search").unwrap().owner.as_deref(),
        Some("ghost")
    );
    assert_eq!(
        c.domain("artists").unwrap().owner.as_deref(),
        Some("frank.tiernan")
    );
    let portal = c.systems.iter().find(|s| s.id == "artist-portal").unwrap();
    assert_eq!(portal.owner.as_deref(), Some("frank.tiernan"));
    assert_eq!(portal.domain.as_deref(), Some("artists"));

    // The product links to the person's entry on their team's page.
    let page = site.product_page("artist-lookup");
    assert!(
        page.contains("teams/team-a/index.html#person-frank.tiernan\">Frank Tiernan</a>"),
        "owner link"
    );
    // The team page lists what the person owns.
    let team = site.page("teams/team-a/index.html");
    assert!(team.contains("id=\"person-frank.tiernan\""));
    shows(
        &team,
        &[
            "Owned by members",
            "Artist lookup",
            "artist-portal",
            "Frank Tiernan",
        ],
    );
    // The domain page lists its systems with their owners.
    let domain = site.page(&format!(
        "domains/{}/index.html",
        c.domain("artists").unwrap().slug
    ));
    shows(
        &domain,
        &[
            "Systems",
            "artist-portal",
            "Where artists manage their profiles",
            "ghost-system",
            "ghost",
        ],
    );
    assert!(site.problems().is_empty(), "{:?}", site.problems());
}
