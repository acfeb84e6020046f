//! The newcomer's pages on a mesh built in a temp dir: the start page, the words explained, the
//! publish page, how to get access on output ports and contracts, and the documentation kept
//! beside manifests (README, docs folder with images and relative links), with the bad input the
//! issue names — a link out of the repository, a missing image, raw `<script>` HTML, a file
//! posing as an image — each a located diagnostic and never a broken or unsafe page.

use std::fs;
use std::path::{Path, PathBuf};

use meshdoc::config::Config;

/// The smallest bytes our image check accepts as a PNG.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

const PRODUCT: &str = "apiVersion: v1.0.0
kind: DataProduct
id: orders
name: Orders
version: 1.0.0
status: active
domain: sales
team:
  name: shop-team
outputPorts:
  - name: orders_tables
    version: 1.0.0
    contractId: orders-v1
support:
  - channel: '#data-orders'
    url: https://chat.example/orders
";

const CONTRACT: &str = "apiVersion: v3.1.0
kind: DataContract
id: orders-v1
name: Orders tables
version: 1.0.0
status: active
description:
  purpose: Every order.
  usage: Use for demand analytics only.
  limitations: No customer contact data.
schema:
  - name: orders
    properties:
      - name: order_id
        logicalType: string
roles:
  - role: orders_reader
    access: read
    firstLevelApprovers: Shop Data Owner
    secondLevelApprovers: Privacy Office
";

const AGREEMENT: &str = "dataUsageAgreementSpecification: 0.0.1
id: reporting-uses-orders
info:
  title: Reporting uses Orders
  purpose: Weekly sales report for the board.
  status: approved
provider:
  dataProductId: orders
  outputPortId: orders_tables
consumer:
  dataProductId: weekly-report
";

const README: &str = "# Orders guide

Start with [the setup](docs/setup.md#run-it) or read [the contract](../contracts/orders.odcs.yaml).

![How orders flow](docs/img/flow.png)

<script>alert('readme')</script>

```sql
SELECT order_id FROM orders;
```

See [the secrets](../../outside.md) and ![a lost picture](docs/img/missing.png).

## Columns

### order_id
";

const SETUP: &str = "# Setup

## Run it

Back to [the guide](../README.md). A [broken page](nowhere.md).
";

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// The mesh (one repository) and the site config, with `[access]` and `[site] start`.
fn mesh(root: &Path) -> Config {
    let repo = root.join("repo");
    write(&repo, "orders/product.odps.yaml", PRODUCT.as_bytes());
    write(&repo, "orders/README.md", README.as_bytes());
    write(&repo, "orders/docs/setup.md", SETUP.as_bytes());
    write(&repo, "orders/docs/img/flow.png", PNG);
    write(
        &repo,
        "orders/docs/img/evil.png",
        b"<svg onload=alert(1)></svg>",
    );
    write(&repo, "contracts/orders.odcs.yaml", CONTRACT.as_bytes());
    write(&repo, "agreements/reporting.yaml", AGREEMENT.as_bytes());
    write(&repo, "teams/shop.yaml", b"id: shop-team\nname: Shop team\nmembers:\n  - emailAddress: ana@example.com\n    name: Ana\n");
    write(
        &repo,
        "teams/shop.md",
        b"# Shop team\n\nWe run the web shop. Ask in #shop.\n",
    );
    write(root, "outside.md", b"secret");
    write(root, "site/START.md", b"# Welcome\n\nRead [Orders](products/orders/) first, not [this](products/nope/).\n\n![Team photo](img/welcome.png) ![escape](../outside.png)\n");
    write(root, "site/img/welcome.png", PNG);
    write(root, "outside.png", PNG);
    let toml = r#"
[site]
title = "Test catalog"
start = "START.md"

[[sources]]
name = "repo"
dir = "../repo"

[access]
request_url = "https://desk.example/new?product={product}&port={port}&contract={contract}&version={version}"
"#;
    write(root, "site/meshdoc.toml", toml.as_bytes());
    Config::load(&root.join("site/meshdoc.toml")).unwrap()
}

fn build(config: &Config, out: &Path) -> meshdoc::BuildReport {
    meshdoc::build(
        config,
        &meshdoc::Options {
            out_dir: Some(out.to_path_buf()),
            ..Default::default()
        },
    )
    .unwrap()
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every relative `href` and `src` of a page, resolved against the page's folder.
fn relative_targets(out: &Path, rel: &str) -> Vec<(String, PathBuf)> {
    let html = read(out, rel);
    let folder = out.join(rel).parent().unwrap().to_path_buf();
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            let url = part.split('"').next().unwrap_or_default();
            if url.is_empty() || url.starts_with('#') || url.contains(':') || url.starts_with('/') {
                continue;
            }
            let path = url.split(['#', '?']).next().unwrap();
            let mut target = folder.join(path);
            if path.ends_with('/') {
                target = target.join("index.html");
            }
            found.push((url.to_string(), target));
        }
    }
    found
}

#[test]
fn newcomers_pages_docs_and_access_on_a_mesh() {
    let dir = tempfile::tempdir().unwrap();
    let config = mesh(dir.path());
    let out = dir.path().join("public");
    let report = build(&config, &out);
    let diags = &report.catalog.diagnostics;
    let find = |code: &str| {
        diags
            .iter()
            .filter(|d| d.code.as_str() == code)
            .collect::<Vec<_>>()
    };

    // Bad input: each a located warning with a hint; nothing outside the repository is read.
    let outside = find("doc-link-outside");
    assert_eq!(outside.len(), 1, "{diags:#?}");
    assert_eq!(
        (outside[0].file.as_str(), outside[0].line, outside[0].column),
        ("orders/README.md", Some(13), Some(5))
    );
    assert!(outside[0].hint.is_some());
    let missing = find("doc-link-missing");
    let missing: Vec<(&str, Option<u32>)> =
        missing.iter().map(|d| (d.file.as_str(), d.line)).collect();
    assert!(
        missing.contains(&("orders/README.md", Some(13))),
        "{missing:?}"
    );
    assert!(
        missing.contains(&("orders/docs/setup.md", Some(5))),
        "{missing:?}"
    );
    let invalid = find("doc-image-invalid");
    assert_eq!(invalid.len(), 1);
    assert_eq!(invalid[0].file, "orders/docs/img/evil.png");

    // The README: a page under the product, title, table of contents, highlighted code, raw
    // HTML as text, the image copied, the escaping link and the missing image inert.
    let guide = read(&out, "products/orders/docs/index.html");
    assert!(guide.contains("<h1>Orders guide</h1>"), "{guide}");
    assert!(
        guide.contains("href=\"#s-columns\">Columns</a>"),
        "table of contents"
    );
    assert!(
        guide.contains("<h4 id=\"s-order_id\">"),
        "a ### heading one level down"
    );
    assert!(guide.contains("class=\"hl\""), "code is highlighted");
    assert!(!guide.contains("<script>alert"), "raw HTML never runs");
    assert!(
        guide.contains("&lt;script&gt;alert"),
        "raw HTML is shown as text"
    );
    assert!(guide.contains("../../../products/orders/docs/setup/index.html#s-run-it"));
    assert!(
        guide.contains("../../../contracts/orders-v1/index.html"),
        "manifest link → page"
    );
    assert!(guide.contains("class=\"inert\" title=\"outside the repository\">the secrets</span>"));
    assert!(guide.contains("[image: a lost picture]"));
    assert!(!guide.contains("outside.md\""), "{guide}");
    let setup = read(&out, "products/orders/docs/setup/index.html");
    assert!(setup.contains("href=\"../../../../products/orders/docs/index.html\" rel=\"noopener noreferrer\">the guide</a>"), "{setup}");
    assert!(
        setup.contains("class=\"inert\""),
        "the broken page link is inert"
    );

    // The team's documentation (`<stem>.md` beside its file) and the lists on entity pages.
    let team_doc = read(&out, "teams/shop-team/docs/index.html");
    assert!(team_doc.contains("We run the web shop."));
    assert!(read(&out, "teams/shop-team/index.html").contains("docs/index.html\">Shop team</a>"));
    let product = read(&out, "products/orders/index.html");
    assert!(product.contains("docs/setup/index.html\">Setup</a>"));

    // How to get access: the prefilled request link, approvers, notes, consumers, channels.
    assert!(product.contains(
        "href=\"https://desk.example/new?product=orders&amp;port=orders_tables&amp;contract=orders-v1&amp;version=1.0.0\""
    ), "{product}");
    assert!(product.contains("orders_reader"));
    assert!(product.contains("Shop Data Owner"));
    assert!(product.contains("Use for demand analytics only."));
    assert!(product.contains("Weekly sales report for the board."));
    assert!(
        product.contains("weekly-report"),
        "the consumer of the agreement"
    );
    assert!(product.contains("#data-orders"));
    let contract = read(&out, "contracts/orders-v1/index.html");
    assert!(contract.contains("id=\"access-title\">How to get access"));
    assert!(contract.contains("Privacy Office"));

    // Help links beside the words, landing on the concepts page.
    assert!(product.contains(
        "href=\"../../concepts/index.html#output-port\" aria-label=\"What is an output port?\""
    ));
    let concepts = read(&out, "concepts/index.html");
    for anchor in [
        "output-port",
        "contract",
        "pii",
        "cde",
        "archetype",
        "lineage",
        "objective",
    ] {
        assert!(concepts.contains(&format!("id=\"{anchor}\"")), "{anchor}");
    }

    // The start page: the maintainers' words, links to pages checked, images from the config
    // folder only; first in the header.
    let start = read(&out, "start/index.html");
    assert!(start.contains("Welcome"));
    assert!(start.contains("href=\"../products/orders/index.html\">Orders</a>"));
    assert!(start.contains("class=\"inert\" title=\"not a page of this site\">this</span>"));
    assert!(
        start.contains("src=\"files/"),
        "the welcome image is copied"
    );
    assert!(
        start.contains("[image: escape]"),
        "an image outside the config folder is inert"
    );
    assert!(
        start.contains("image ../outside.png: outside the config"),
        "{start}"
    );
    assert!(start.contains("Most-read products"));
    let nav = product.split("class=\"site-nav\"").nth(1).unwrap();
    assert!(nav.find(">Start<").unwrap() < nav.find(">Overview<").unwrap());

    // The publish page: the standards from the registry, with examples.
    let publish = read(&out, "publish/index.html");
    assert!(publish.contains("Open Data Contract Standard"));
    assert!(publish.contains("Data Contract Specification"));
    assert!(publish.contains("kind: DataContract"));
    assert!(publish.contains("meshdoc check"));
    assert!(publish.contains("Shop team"));

    // Every relative link and image of the new pages leads to a file of the site.
    for page in [
        "start/index.html",
        "concepts/index.html",
        "publish/index.html",
        "products/orders/docs/index.html",
        "products/orders/docs/setup/index.html",
        "teams/shop-team/docs/index.html",
        "products/orders/index.html",
        "contracts/orders-v1/index.html",
    ] {
        for (url, target) in relative_targets(&out, page) {
            assert!(
                target.is_file(),
                "{page}: {url} → {} is missing",
                target.display()
            );
        }
    }

    // Change one docs page: only the pages that read it are rendered again.
    write(
        &dir.path().join("repo"),
        "orders/docs/setup.md",
        b"# Setup\n\n## Run it\n\nBack to [the guide](../README.md). A [broken page](nowhere.md).\nNow with `make run`.\n",
    );
    let again = build(&config, &out);
    assert!(read(&out, "products/orders/docs/setup/index.html").contains("make run"));
    assert!(
        again.rendered <= 6,
        "a docs change re-rendered {} files",
        again.rendered
    );
}
