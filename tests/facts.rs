//! The facts and sentences a reader takes from the built sample: what a port serves, counts and
//! summaries that match the catalog, text without raw markdown, service levels in words, and a
//! 404 page that works wherever it is served. Each check runs over every page of its kind, so a
//! fact wrong for one standard or one product fails here.

#[path = "support/catalog_json.rs"]
mod catalog_json;
#[path = "support/sample.rs"]
mod sample;
use std::collections::BTreeSet;
use std::fs;

use meshdoc::config::Config;
use sample::{page, repo, site};
use serde_json::Value;

/// catalog.json with each entity's full record (beside its page) in place.
fn catalog_json() -> Value {
    catalog_json::expanded(site())
}

/// `html` without the elements that open with `open` and close with `close`.
fn without(html: &str, open: &str, close: &str) -> String {
    let mut kept = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(open) {
        kept.push_str(&rest[..i]);
        rest = rest[i..]
            .find(close)
            .map_or("", |j| &rest[i + j + close.len()..]);
    }
    kept.push_str(rest);
    kept
}

/// The text a reader sees: tags, scripts and preformatted code removed, entities decoded,
/// white space collapsed.
fn visible(html: &str) -> String {
    let html = without(&without(html, "<script", "</script>"), "<pre", "</pre>");
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The output-port cards of a product page, in order.
fn port_cards(html: &str) -> Vec<&str> {
    let Some(start) = html.find(r#"id="outputs""#) else {
        return Vec::new();
    };
    let end = html[start..]
        .find(r#"id="inputs""#)
        .map_or(html.len(), |e| start + e);
    html[start..end]
        .split(r#"<article class="card port""#)
        .skip(1)
        .collect()
}

#[test]
fn every_output_port_shows_what_its_contract_says_about_personal_data_and_servers() {
    let catalog = catalog_json();
    let mut checked = 0;
    for p in catalog["products"].as_array().unwrap() {
        let slug = p["url"]
            .as_str()
            .unwrap()
            .trim_start_matches("products/")
            .trim_end_matches('/');
        let html = page(&format!("products/{slug}/index.html"));
        let cards = port_cards(&html);
        let ports = p["outputPorts"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        assert_eq!(cards.len(), ports.len(), "{slug}");
        for (port, card) in ports.iter().zip(cards) {
            let text = visible(card);
            let fact = text
                .split("Personal data")
                .nth(1)
                .unwrap_or_else(|| panic!("{slug}: no personal-data fact in {text}"))
                // The `?` beside the word is its help link (to concepts/#pii).
                .trim_start()
                .trim_start_matches('?');
            match port["containsPii"].as_bool() {
                Some(true) => assert!(fact.trim_start().starts_with("Yes"), "{slug}: {fact}"),
                Some(false) => assert!(fact.trim_start().starts_with("No"), "{slug}: {fact}"),
                None => assert!(
                    fact.trim_start().starts_with("Not stated"),
                    "{slug}: {fact}"
                ),
            }
            // Columns of the contract marked personal make the port personal, whatever the
            // standard of the product.
            if port["piiColumns"].as_array().is_some_and(|c| !c.is_empty()) {
                assert_eq!(port["containsPii"], true, "{slug}");
                assert!(card.contains("Contains PII"), "{slug}: the badge agrees");
            }
            // A port without a version of its own shows its contract's.
            if let (None, Some(v)) = (port["version"].as_str(), port["contractVersion"].as_str()) {
                assert!(
                    text.contains(&format!("Version {v} its contract's")),
                    "{slug}: {text}"
                );
            }
            for server in port["servers"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
                let name = server["name"].as_str().unwrap();
                assert!(
                    text.contains(name),
                    "{slug}: server {name} on the card: {text}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 19, "{checked} ports checked");

    // Customer Profiles (Bitol ODPS): its port names no server and no personal data, its
    // contract does both.
    let html = page("products/customer-profiles/index.html");
    let card = visible(port_cards(&html)[0]);
    // `?`: the word's help link.
    assert!(card.contains("Personal data ? Yes"), "{card}");
    assert!(card.contains("7 columns of its contract"), "{card}");
    assert!(card.contains("customers.email"), "{card}");
    assert!(card.contains("Server snowflake-prod"), "{card}");
    assert!(!card.contains("Not stated"), "{card}");
}

#[test]
fn the_pii_search_facet_counts_the_products_the_pages_call_personal() {
    let config = Config::load(&repo().join("meshdoc.toml")).unwrap();
    let catalog = meshdoc::load_catalog(&config);
    let json = catalog_json();
    for (p, j) in catalog
        .products
        .iter()
        .zip(json["products"].as_array().unwrap())
    {
        let from_ports = j["outputPorts"]
            .as_array()
            .is_some_and(|ports| ports.iter().any(|o| o["containsPii"] == true));
        assert_eq!(
            meshdoc::catalog::ports::product_pii(&catalog, p) == Some(true),
            from_ports,
            "{}: the facet's verdict (ports::product_pii) and catalog.json agree",
            p.id
        );
    }
    let customer = catalog.product("customer-profiles").unwrap();
    assert_eq!(
        meshdoc::catalog::ports::product_pii(&catalog, customer),
        Some(true)
    );
}

#[test]
fn the_lineage_page_counts_distinct_pairs_of_products() {
    let catalog = catalog_json();
    let domain_of: std::collections::BTreeMap<&str, Option<&str>> = catalog["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["domain"].as_str()))
        .collect();
    let mut pairs = BTreeSet::new();
    for p in catalog["products"].as_array().unwrap() {
        for d in p["downstream"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            pairs.insert((p["id"].as_str().unwrap(), d.as_str().unwrap()));
        }
    }
    let across = pairs
        .iter()
        .filter(|(a, b)| domain_of[a] != domain_of[b])
        .count();
    assert_eq!((pairs.len(), across), (29, 17), "the sample's links");
    let text = visible(&page("lineage/index.html"));
    assert!(
        text.contains(&format!("Product links {} pairs of products", pairs.len())),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Across domains {across} of these join two domains"
        )),
        "{text}"
    );
}

#[test]
fn team_pages_never_show_an_empty_domain_beside_the_domains_they_work_in() {
    let mut checked = 0;
    for entry in fs::read_dir(site().join("teams")).unwrap() {
        let path = entry.unwrap().path().join("index.html");
        let Ok(html) = fs::read_to_string(&path) else {
            continue;
        };
        let text = visible(&html);
        assert!(!text.contains("Domain —"), "{}: {text}", path.display());
        assert!(text.contains("Works in"), "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 6);
    let checkout = visible(&page("teams/checkout-team/index.html"));
    assert!(
        checkout.contains("Owns domain Sales & Checkout"),
        "{checkout}"
    );
    assert!(checkout.contains("Works in Sales & Checkout"), "{checkout}");
}

#[test]
fn text_has_no_raw_markdown_and_rules_read_as_sentences() {
    let mut pages = vec![
        "health/index.html".to_string(),
        "changes/index.html".to_string(),
    ];
    for entry in fs::read_dir(site().join("contracts")).unwrap() {
        let dir = entry.unwrap().path();
        if dir.join("index.html").exists() {
            pages.push(format!(
                "contracts/{}/index.html",
                dir.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    for entry in fs::read_dir(site().join("products")).unwrap() {
        let dir = entry.unwrap().path();
        if dir.join("index.html").exists() {
            pages.push(format!(
                "products/{}/index.html",
                dir.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(pages.len() > 30);
    for path in &pages {
        let text = visible(&page(path));
        assert!(!text.contains('`'), "{path}: raw backticks in {text}");
        assert!(
            !text.contains(".:"),
            "{path}: a sentence followed by a colon"
        );
    }
    let orders = page("contracts/orders-v2/index.html");
    assert!(
        orders.contains("join to <code>customer-profiles-v1</code>"),
        "inline code in a column description"
    );
    assert!(visible(&orders).contains("during opening hours. Result must be less than 30"));
    // Business names of columns.
    let profiles = page("contracts/customer-profiles-v1/index.html");
    assert!(profiles.contains(r#"<div class=business-name>E-mail address</div>"#));
}

#[test]
fn service_levels_read_in_words_with_machine_dates() {
    let html = page("contracts/orders-v2/index.html");
    let start = html.find("id=sla ").expect("service levels");
    let sla = &html[start..start + html[start..].find("</section>").unwrap()];
    let text = visible(sla);
    for words in ["30 minutes", "10 years", "99.5 %"] {
        assert!(text.contains(words), "{words}: {text}");
    }
    for raw in ["30 m", "10 y", "99.5 percent"] {
        assert!(
            text.contains(&format!("as written: {raw}")),
            "the written form stays as a note: {text}"
        );
    }
    assert!(
        sla.contains(r#"<time datetime="2023-02-01T00:00:00Z">1 February 2023</time>"#),
        "{sla}"
    );
}

#[test]
fn health_and_overview_do_not_call_a_failing_mesh_healthy() {
    // The sample's manifests are clean (notes only), but Customer Profiles misses an objective.
    let overview = visible(&page("index.html"));
    assert!(
        !overview.contains("All manifests are healthy"),
        "{overview}"
    );
    assert!(overview.contains("No errors or warnings in the manifests"));
    assert!(
        overview.contains("1 data product missing a service level"),
        "{overview}"
    );
    let health = visible(&page("health/index.html"));
    assert!(!health.contains("All manifests are healthy"));
    assert!(health.contains("0 errors 0 warnings"), "{health}");
    assert!(
        health.contains("Failing objectives 1 Customer Profiles"),
        "{health}"
    );
}

#[test]
fn the_one_hop_lineage_puts_direct_neighbours_in_one_column() {
    let mut checked = 0;
    for entry in fs::read_dir(site().join("products")).unwrap() {
        let path = entry.unwrap().path().join("index.html");
        let Ok(html) = fs::read_to_string(&path) else {
            continue;
        };
        let Some(start) = html.find(r#"class="lineage-svg""#) else {
            continue;
        };
        let svg = &html[start..start + html[start..].find("</svg>").unwrap()];
        let columns: BTreeSet<&str> = svg
            .split(r#"transform="translate("#)
            .skip(1)
            .filter_map(|t| t.split(' ').next())
            .collect();
        assert!(
            columns.len() <= 3,
            "{}: sources, the product and its consumers, {columns:?}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 15);
}

#[test]
fn the_404_page_works_from_the_root_a_sub_path_and_file_urls() {
    let html = page("404.html");
    assert!(!html.contains(r#"href="/"#) && !html.contains(r#"src="/"#));
    assert!(html.contains(r#"<link rel=stylesheet href="static/style.css">"#));
    assert!(
        html.contains(r#"<base href="#),
        "the script that finds the root"
    );
    // With a base URL the links are absolute and no guessing is needed.
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::load(&repo().join("meshdoc.toml")).unwrap();
    config.site.base_url = "https://example.org/catalog".into();
    let out = dir.path().join("site");
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let html = fs::read_to_string(out.join("404.html")).unwrap();
    assert!(html.contains(r#"href="https://example.org/catalog/static/style.css""#));
    assert!(!html.contains("<base href"));
}

#[test]
fn init_explains_base_url_as_it_behaves() {
    let starter = meshdoc::config::STARTER;
    assert!(!starter.contains("used for the sitemap only"));
    assert!(starter.contains("sitemap.xml") && starter.contains("404 page"));
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains("absolute links in the feed and 404 page"));
}
