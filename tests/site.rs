//! Build the bundled sample mesh and check, on the HTML a reader gets, that what they need is there.

#[path = "support/catalog_json.rs"]
mod catalog_json;
#[path = "support/sample.rs"]
mod sample;
use std::fs;

use meshdoc::config::Config;
use sample::{page, repo, site};

#[test]
fn the_sample_is_clean() {
    let config = Config::load(&repo().join("meshdoc.toml")).unwrap();
    let catalog = meshdoc::load_catalog(&config);
    let problems: Vec<_> = catalog
        .diagnostics
        .iter()
        .filter(|d| d.severity != meshdoc::Severity::Info)
        .collect();
    assert!(
        problems.is_empty(),
        "the sample mesh should have no errors or warnings: {problems:#?}"
    );
    assert!(catalog.domains.len() >= 4 && catalog.teams.len() >= 6);
}

#[test]
fn product_page_shows_owner_domain_ports_and_custom_properties() {
    let html = page("products/orders/index.html");
    assert!(
        html.contains(r#"<a href="../../teams/checkout-team/index.html">Checkout</a>"#),
        "owner link"
    );
    assert!(
        html.contains(r#"<a href="../../domains/sales/index.html">Sales &amp; Checkout</a>"#),
        "domain link"
    );
    // Output port → contract link.
    assert!(html.contains("orders_snowflake"));
    assert!(
        html.contains(r#"href="../../contracts/orders-v2/index.html""#),
        "port links its contract"
    );
    // Custom properties are kept and shown.
    assert!(html.contains("costCenter") && html.contains("CC-1100-checkout"));
    // Markdown description rendered, provenance shown.
    assert!(html.contains("<strong>every order placed</strong>"));
    assert!(html.contains("dataproducts/orders.odps.yaml"));
    // Downstream products link back.
    assert!(html.contains(r#"href="../../products/revenue-daily/index.html""#));
}

#[test]
fn input_ports_link_their_upstream_products() {
    let html = page("products/warehouse-picks/index.html");
    assert!(
        html.contains(r#"<a href="../../products/orders/index.html">Orders</a>"#),
        "upstream product link"
    );
    assert!(
        html.contains(r#"href="../../contracts/order-events-v1/index.html""#),
        "contract resolved through the DPS port"
    );
}

#[test]
fn contract_page_shows_nested_columns_pii_quality_and_sla() {
    let html = page("contracts/orders-v2/index.html");
    // Nested properties get their own rows and anchors.
    assert!(
        html.contains(r#"<tr id=c-orders.delivery_slot.slot_start class=nested>"#),
        "nested row anchor"
    );
    assert!(
        html.contains(r#"<tr id=c-orders.line_items.sku class=nested>"#),
        "array item row"
    );
    assert!(html.contains("PII"), "PII badge");
    assert!(html.contains("restricted"), "classification");
    assert!(
        html.contains("null values must be 0"),
        "quality rule as a sentence"
    );
    assert!(
        html.contains("hl-keyword"),
        "SQL in the description is highlighted"
    );
    let dcs = page("contracts/order-events-v1/index.html");
    assert!(dcs.contains("x-event-catalog"), "extension field shown");
}

#[test]
fn team_and_domain_pages_list_what_they_own() {
    let team = page("teams/checkout-team/index.html");
    assert!(team.contains(r#"href="../../products/orders/index.html""#));
    assert!(team.contains(r#"href="../../contracts/orders-v2/index.html""#));
    let domain = page("domains/supply-chain/index.html");
    assert!(domain.contains(r#"href="../../products/stock-levels/index.html""#));
    assert!(
        domain.contains(r#"href="../../domains/sales/index.html""#),
        "cross-domain dependency listed"
    );
}

#[test]
fn overview_listing_and_catalog_json() {
    let index = page("index.html");
    assert!(index.contains(r#"href="domains/finance/index.html""#));
    assert!(index.contains("status-deprecated"), "products by status");
    let products = page("products/index.html");
    assert!(products.contains(r#"href="../products/orders/index.html""#));
    // The compact index: ids, names, owners, links.
    let index = catalog_json::read(&site().join("catalog.json"));
    assert_eq!(index["formatVersion"], 4);
    let entry = &index["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "orders")
        .unwrap();
    assert_eq!(entry["owner"], "checkout-team");
    assert!(
        entry.get("outputPorts").is_none(),
        "full records are beside the pages"
    );
    // The full records, each beside its page.
    let json = catalog_json::expanded(site());
    let orders = json["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "orders")
        .unwrap();
    assert_eq!(orders["owner"], "checkout-team");
    assert_eq!(orders["domain"], "sales");
    assert_eq!(orders["url"], "products/orders/");
    assert_eq!(orders["standard"], "odps");
    assert_eq!(orders["outputPorts"][0]["contractId"], "orders-v2");
    assert_eq!(orders["origin"]["source"], "checkout");
    let contract = json["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "orders-v2")
        .unwrap();
    assert_eq!(contract["owner"], "checkout-team");
    assert!(
        contract["schema"][0]["properties"]
            .as_array()
            .unwrap()
            .len()
            > 5
    );
    // Empty lists are left out of catalog.json; the sample's only diagnostics are the notes that
    // its DCS contracts follow a deprecated standard.
    let diagnostics = json["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(
        diagnostics.iter().all(|d| d["code"] == "dcs-deprecated"),
        "{}",
        json["diagnostics"]
    );
}

#[test]
fn every_internal_link_resolves() {
    let root = site();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        if entry.path().extension().and_then(|e| e.to_str()) != Some("html")
            || entry.file_name() == "404.html"
        {
            continue;
        }
        let html = fs::read_to_string(entry.path()).unwrap();
        let dir = entry.path().parent().unwrap();
        for href in html
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            if href.starts_with("http") || href.starts_with("mailto:") || href.starts_with('#') {
                continue;
            }
            let target = href.split('#').next().unwrap();
            assert!(
                dir.join(target).exists(),
                "{}: broken link {href}",
                entry.path().display()
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn health_page_lists_problems_by_team() {
    let dir = tempfile::tempdir().unwrap();
    let repo_dir = dir.path().join("repo");
    fs::create_dir_all(&repo_dir).unwrap();
    fs::write(
        repo_dir.join("good.yaml"),
        "apiVersion: v1.0.0\nkind: DataProduct\nid: p\nstatus: active\nteam:\n  name: blue-team\n",
    )
    .unwrap();
    fs::write(
        repo_dir.join("bad.yaml"),
        "apiVersion: v1.0.0\nkind: DataProduct\nid: q\nstatus: [x]\nteam:\n  name: blue-team\n",
    )
    .unwrap();
    let mut config = Config::empty(dir.path());
    config.sources = vec![meshdoc::config::SourceConfig {
        name: None,
        dir: Some("repo".into()),
        ..Default::default()
    }];
    let out = dir.path().join("site");
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let health = fs::read_to_string(out.join("health/index.html")).unwrap();
    assert!(
        health.contains(r#"id="team-blue-team""#),
        "grouped under the owning team"
    );
    assert!(
        health.contains("<code>bad.yaml:4:9</code> <span class=\"muted small\">in repo</span>"),
        "file, line and column, in its source: {health}"
    );
    assert!(health.contains("wrong-type"));
    let product = fs::read_to_string(out.join("products/q/index.html")).unwrap();
    assert!(
        product.contains("wrong-type") || product.contains("must be a single value"),
        "the page shows its own problem"
    );
}

#[test]
fn builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::load(&repo().join("meshdoc.toml")).unwrap();
    let a = dir.path().join("a");
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(a.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let second = meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(a.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        second.written, 0,
        "a rebuild with no change rewrites nothing"
    );
    assert!(second.unchanged > 60);
    for entry in walkdir::WalkDir::new(&a) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&a).unwrap();
            assert_eq!(
                fs::read(entry.path()).unwrap(),
                fs::read(site().join(rel)).unwrap(),
                "{}",
                rel.display()
            );
        }
    }
}

#[test]
fn sample_metrics_show_last_weeks_freshness_breach_and_a_stale_product() {
    let html = page("products/stock-levels/index.html");
    let at = html.find("freshness ≤ 2 h").expect("freshness objective");
    let row = &html[at..at + html[at..].find("</tr>").unwrap()];
    // Breached on 18–20 November, fine again since: met now, 5 of the last 7 days.
    assert!(
        row.contains("Met") && row.contains("<span class=\"c-count\">5/7</span>"),
        "{row}"
    );
    assert!(html.contains("<svg class=\"spark\""));
    let forecast = page("products/demand-forecast/index.html");
    assert!(forecast.contains("slo-stale") && forecast.contains("2026-11-21 06:00 UTC"));
    let profiles = page("products/customer-profiles/index.html");
    assert!(profiles.contains("email: null values = 0") && profiles.contains("Missed"));
}

#[test]
fn the_sitemap_lists_every_html_page_but_the_404() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::load(&repo().join("meshdoc.toml")).unwrap();
    config.site.base_url = "https://catalog.example.com/mesh".into();
    let out = dir.path().join("public");
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let listed: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<url><loc>"))
        .filter_map(|l| l.strip_suffix("</loc></url>"))
        .collect();
    for page in ["search/", "tags/finance/", "status/active/"] {
        let url = format!("https://catalog.example.com/mesh/{page}");
        assert!(listed.contains(&url.as_str()), "{url} in the sitemap");
    }
    let mut written: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&out).unwrap().to_string_lossy();
            rel.replace('\\', "/")
        })
        .filter(|rel| rel.ends_with(".html") && rel != "404.html")
        .map(|rel| {
            let folder = rel.strip_suffix("index.html").unwrap_or(&rel);
            format!("https://catalog.example.com/mesh/{folder}")
        })
        .collect();
    let mut in_sitemap: Vec<String> = listed.iter().map(|s| s.to_string()).collect();
    written.sort();
    in_sitemap.sort();
    assert_eq!(in_sitemap, written, "the sitemap lists every page, once");
}

#[test]
fn every_file_is_a_planned_page_that_declares_what_it_reads() {
    use meshdoc::render::{registry, PageKind, Read, Theme, ThemeDirs};
    let config = Config::load(&repo().join("meshdoc.toml")).unwrap();
    let catalog = meshdoc::load_catalog(&config);
    let theme = Theme::load(&ThemeDirs::default()).unwrap();
    let plan = registry::plan(&catalog, &config, &theme);
    let mut planned: Vec<&str> = plan.pages.iter().map(|p| p.path.as_str()).collect();
    planned.sort();
    let mut written: Vec<String> = walkdir::WalkDir::new(site())
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site()).unwrap().to_string_lossy();
            rel.replace('\\', "/")
        })
        .collect();
    written.sort();
    assert_eq!(planned, written, "the plan lists every file, once");

    for page in &plan.pages {
        let reads = page.reads(&catalog);
        assert_eq!(
            page.kind.is_html(),
            reads.contains(&Read::Totals),
            "{}",
            page.path
        );
        match page.kind {
            PageKind::Static(_) => assert!(reads.is_empty(), "{}", page.path),
            PageKind::Product(_)
            | PageKind::Contract(_)
            | PageKind::Team(_)
            | PageKind::Domain(_)
            | PageKind::ContractSource(_)
            | PageKind::ContractFile(_) => {
                assert!(!reads.contains(&Read::Catalog), "{}", page.path)
            }
            _ => {}
        }
    }
    let reads_of = |path: &str| {
        let page = plan.pages.iter().find(|p| p.path == path).unwrap();
        page.reads(&catalog)
    };
    // Entities are read by their place in the catalog's lists.
    let product = |id: &str| catalog.product_by_id[id];
    let contract_at = |id: &str| catalog.contract_by_id[id];
    let orders = reads_of("products/orders/index.html");
    for read in [
        Read::Product(product("orders")),
        // A neighbour by its name and link, the graph by the neighbourhood the page draws.
        Read::ProductRef(product("revenue-daily")),
        Read::Neighbourhood(product("orders")),
        Read::Domain(catalog.domain_by_id["sales"]),
        Read::Team(catalog.team_by_id["checkout-team"]),
        Read::Contract(contract_at("orders-v2")),
    ] {
        assert!(orders.contains(&read), "{read:?} in {orders:?}");
    }
    for read in [Read::Product(product("revenue-daily")), Read::Lineage] {
        assert!(!orders.contains(&read), "{read:?} in {orders:?}");
    }
    let contract = reads_of("contracts/orders-v2/index.html");
    assert!(contract.contains(&Read::Contract(contract_at("orders-v2"))));
    assert!(
        contract.contains(&Read::Product(product("orders"))),
        "its provider"
    );
    assert_eq!(reads_of("catalog.json"), vec![Read::Catalog]);
    // An entity's JSON record reads that entity (and the ids of its lineage neighbours) and the
    // commit its origin names, no more: it changes when the entity does.
    let record = reads_of("contracts/orders-v2/index.json");
    assert_eq!(
        record,
        vec![
            Read::Contract(contract_at("orders-v2")),
            Read::ContractCommit(contract_at("orders-v2"))
        ]
    );
    let record = reads_of("products/orders/index.json");
    assert!(record.contains(&Read::Product(product("orders"))));
    assert!(!record.contains(&Read::Catalog) && !record.contains(&Read::Totals));
    assert_eq!(reads_of("lineage/graph.js"), vec![Read::Lineage]);
}
