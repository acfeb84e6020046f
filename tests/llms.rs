//! `llms.txt`, `llms-full.txt` and the markdown twin beside every entity page, on the sample.

#[path = "support/sample.rs"]
mod sample;

use std::path::Path;

use meshdoc::config::Config;
use serde_json::Value;

/// The targets of the markdown links `[text](target)` in a text.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        // `\]` is escaped text, not a link.
        let escaped = rest[..at].ends_with('\\');
        let after = &rest[at + 2..];
        let end = after.find(')').unwrap_or(after.len());
        if !escaped {
            out.push(after[..end].to_string());
        }
        rest = &after[end..];
    }
    out
}

fn catalog() -> Value {
    serde_json::from_str(&sample::page("catalog.json")).unwrap()
}

#[test]
fn llms_txt_follows_the_convention_and_every_link_resolves() {
    let site = sample::site();
    let text = sample::page("llms.txt");
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("# Northwind Provisions"));
    assert!(text.contains("\n> "), "a summary blockquote");
    for section in ["## Domains", "## Teams", "## Data products", "## Optional"] {
        assert!(text.contains(section), "{section}");
    }
    let targets = links(&text);
    let catalog = catalog();
    // Every product, team and domain of the sample is listed (it is small).
    let listed = catalog["products"].as_array().unwrap().len()
        + catalog["teams"].as_array().unwrap().len()
        + catalog["domains"].as_array().unwrap().len();
    assert!(targets.len() >= listed + 3, "{} links", targets.len());
    for target in &targets {
        assert!(
            !target.starts_with('/') && !target.contains("://"),
            "{target}"
        );
        assert!(
            site.join(target).is_file(),
            "llms.txt links to missing {target}"
        );
    }
    assert!(text.contains("- [Orders](products/orders/index.md): The single source of truth"));

    let full = sample::page("llms-full.txt");
    for p in catalog["products"].as_array().unwrap() {
        let name = meshdoc::render::markdown_twin::inline(p["name"].as_str().unwrap());
        assert!(
            full.contains(&format!("## {name}")),
            "llms-full.txt lacks {name}"
        );
    }
    for target in links(&full) {
        assert!(
            site.join(&target).is_file(),
            "llms-full.txt links to missing {target}"
        );
    }
}

#[test]
fn every_entity_page_has_a_markdown_twin_with_its_key_facts() {
    let site = sample::site();
    let catalog = catalog();
    let mut twins = 0;
    for list in ["products", "contracts", "teams", "domains"] {
        for e in catalog[list].as_array().unwrap() {
            let url = e["url"].as_str().unwrap();
            let html = sample::page(&format!("{url}index.html"));
            assert!(
                html.contains(r#"<link rel=alternate type=text/markdown title="This page as markdown" href="index.md">"#),
                "{url}index.html does not link its twin"
            );
            let md = sample::page(&format!("{url}index.md"));
            let name = e["name"].as_str().unwrap();
            let heading = md.lines().next().unwrap();
            assert!(heading.starts_with("# "), "{url}index.md: {heading}");
            assert!(
                md.contains(&format!("**Id:** `{}`", e["id"].as_str().unwrap())),
                "{url}"
            );
            // Links inside the twin are relative to it and resolve.
            for target in links(&md) {
                let file = site.join(url).join(&target);
                assert!(file.is_file(), "{url}index.md links to missing {target}");
            }
            assert!(!name.is_empty());
            twins += 1;
        }
    }
    assert!(twins >= 50, "{twins} twins");

    let orders = sample::page("products/orders/index.md");
    for fact in [
        "# Orders",
        "**Owner:** [Checkout](../../teams/checkout-team/index.md)",
        "**Domain:** [Sales & Checkout](../../domains/sales/index.md)",
        "## Output ports",
        "**orders\\_snowflake** (tables): contract [Orders](../../contracts/orders-v2/index.md)",
        "**Service levels:** meeting its objectives",
        "## Access",
        "role `SALES_ORDERS_READER` (read access)",
    ] {
        assert!(
            orders.contains(fact),
            "products/orders/index.md lacks {fact:?}:\n{orders}"
        );
    }
    let contract = sample::page("contracts/orders-v2/index.md");
    assert!(
        contract.contains("| `order_id` | string | yes |"),
        "{contract}"
    );
    assert!(contract.contains("**Data product:** [Orders](../../products/orders/index.md)"));
    let domain = sample::page("domains/sales/index.md");
    assert!(
        domain.contains("## Data products (3)")
            && domain.contains("[Orders](../../products/orders/index.md)")
    );
}

#[test]
fn with_a_base_url_the_links_are_absolute() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::load(&sample::repo().join("meshdoc.toml")).unwrap();
    config.site.base_url = "https://catalog.example.com/data".into();
    let out = dir.path().join("site");
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let read = |p: &str| std::fs::read_to_string(Path::new(&out).join(p)).unwrap();
    let llms = read("llms.txt");
    let targets = links(&llms);
    assert!(!targets.is_empty());
    for target in targets {
        let rel = target
            .strip_prefix("https://catalog.example.com/data/")
            .unwrap_or_else(|| panic!("not absolute: {target}"));
        assert!(out.join(rel).is_file(), "{target}");
    }
    let twin = read("products/orders/index.md");
    assert!(
        twin.contains("[Checkout](https://catalog.example.com/data/teams/checkout-team/index.md)")
    );
}
