//! Incremental builds: after a change, only the pages that read what changed are rendered and
//! rewritten, and the site is byte for byte the one a cold build of the same input writes.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use meshdoc::config::Config;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled sample mesh copied into a temp folder, with its own cache.
fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(repo().join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(repo()).unwrap();
        let to = dir.path().join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).unwrap();
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
    let config = fs::read_to_string(repo().join("meshdoc.toml")).unwrap();
    fs::write(
        dir.path().join("meshdoc.toml"),
        format!("{config}cache_dir = \"cache\"\n"),
    )
    .unwrap();
    dir
}

fn build(root: &Path, out: &str) -> meshdoc::BuildReport {
    let config = Config::load(&root.join("meshdoc.toml")).unwrap();
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(root.join(out)),
            ..Default::default()
        },
    )
    .unwrap()
}

/// Every file of a site: its bytes and its inode (a file kept from the previous build keeps it).
fn files(site: &Path) -> BTreeMap<String, (Vec<u8>, u64)> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site).unwrap();
            let inode = e.metadata().unwrap().ino();
            let bytes = fs::read(e.path()).unwrap();
            (rel.to_string_lossy().replace('\\', "/"), (bytes, inode))
        })
        .collect()
}

/// The files whose bytes a rebuild changed or added.
fn rewritten(
    before: &BTreeMap<String, (Vec<u8>, u64)>,
    after: &BTreeMap<String, (Vec<u8>, u64)>,
) -> Vec<String> {
    after
        .iter()
        .filter(|(path, (_, inode))| before.get(*path).is_none_or(|(_, old)| old != inode))
        .map(|(path, _)| path.clone())
        .collect()
}

/// A cold build of the same input (fresh cache, empty folder) writes the same files, byte for
/// byte.
fn assert_same_as_cold(root: &Path, site: &Path) {
    let cold_root = tempfile::tempdir().unwrap();
    let copy = |from: &Path, to: &Path| {
        for entry in walkdir::WalkDir::new(from) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(from).unwrap();
            let first = rel.components().next().map(|c| c.as_os_str().to_owned());
            if first.is_some_and(|f| f == "cache" || f == "site" || f == "cold") {
                continue;
            }
            let target = to.join(rel);
            if entry.file_type().is_dir() {
                fs::create_dir_all(&target).unwrap();
            } else {
                fs::copy(entry.path(), &target).unwrap();
            }
        }
    };
    copy(root, cold_root.path());
    let report = build(cold_root.path(), "cold");
    assert_eq!(
        report.rendered, report.counts.files,
        "a cold build renders every file"
    );
    let cold = files(&cold_root.path().join("cold"));
    let incremental = files(site);
    let names = |m: &BTreeMap<String, (Vec<u8>, u64)>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&incremental), names(&cold), "the same files");
    for (path, (bytes, _)) in &cold {
        assert!(
            &incremental[path].0 == bytes,
            "{path} differs from a cold build of the same input"
        );
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} holds {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_description_change_rewrites_only_the_pages_that_show_it() {
    let dir = sample();
    let root = dir.path();
    let first = build(root, "site");
    let before = files(&root.join("site"));
    assert_eq!(first.rendered, before.len());

    edit(
        &root.join("content/finance/dataproducts/cost-to-serve.yaml"),
        "What does it cost to serve one order?",
        "What does it cost to deliver one order?",
    );
    let second = build(root, "site");
    let after = files(&root.join("site"));
    assert_eq!(
        rewritten(&before, &after),
        // The product's page and its JSON record, the listings that show its description (all
        // products, its status, its tags), the search index shards that hold its words, its
        // markdown twin and those of its team and domain (their lists show its first sentence)
        // and llms.txt / llms-full.txt; not catalog.json, an index without descriptions.
        [
            "domains/finance/index.md",
            "llms-full.txt",
            "llms.txt",
            "products/cost-to-serve/index.html",
            "products/cost-to-serve/index.json",
            "products/cost-to-serve/index.md",
            "products/index.html",
            "search/d/0.js",
            "search/t/12.js",
            "status/active/index.html",
            "tags/margin/index.html",
            "tags/unit-economics/index.html",
            "teams/finance-team/index.md",
        ]
        .map(String::from)
        .to_vec(),
    );
    assert_eq!(second.written, 13);
    // The search index's shards are rendered again only where their bytes change.
    let shards: Vec<&str> = second
        .rendered_paths
        .iter()
        .map(String::as_str)
        .filter(|p| p.starts_with("search/") && p.ends_with(".js"))
        .collect();
    assert_eq!(shards, ["search/d/0.js", "search/t/12.js"]);
    // Rendered: the pages that read the product (besides those rewritten: the pages of its
    // lineage neighbours, contracts, team and domain, and the few catalog-wide pages); every
    // other file is kept without being rendered. On this small sample that is a quarter.
    assert!(
        second.rendered * 3 < before.len(),
        "{} of {} files rendered",
        second.rendered,
        before.len()
    );
    assert_same_as_cold(root, &root.join("site"));
}

#[test]
fn a_deleted_product_loses_its_pages() {
    let dir = sample();
    let root = dir.path();
    build(root, "site");
    assert!(root.join("site/products/cost-to-serve/index.html").exists());
    fs::remove_file(root.join("content/finance/dataproducts/cost-to-serve.yaml")).unwrap();
    build(root, "site");
    assert!(!root.join("site/products/cost-to-serve").exists());
    assert_same_as_cold(root, &root.join("site"));
}

#[test]
fn a_template_change_rerenders_every_page_of_that_template() {
    let dir = sample();
    let root = dir.path();
    let first = build(root, "site");
    let before = files(&root.join("site"));
    let templates = root.join("theme/templates");
    fs::create_dir_all(&templates).unwrap();
    let default = repo().join("themes/default/templates/product.html");
    let text = fs::read_to_string(default).unwrap();
    let marked = text.replacen("{% block content %}", "{% block content %}<p>marked</p>", 1);
    assert_ne!(text, marked, "the product template has a content block");
    fs::write(templates.join("product.html"), marked).unwrap();

    build(root, "site");
    let after = files(&root.join("site"));
    let changed = rewritten(&before, &after);
    let products: Vec<String> = after
        .keys()
        .filter(|p| {
            fs::read_to_string(root.join("site").join(p)).is_ok_and(|t| t.contains("<p>marked</p>"))
        })
        .cloned()
        .collect();
    assert!(
        products.len() >= first.counts.products,
        "every product page shows the change"
    );
    assert_eq!(changed, products, "only the product pages changed");
    assert_same_as_cold(root, &root.join("site"));
}

#[test]
fn a_config_change_rerenders_every_page() {
    let dir = sample();
    let root = dir.path();
    let first = build(root, "site");
    edit(
        &root.join("meshdoc.toml"),
        "Northwind Provisions — data catalog",
        "Northwind — catalog",
    );
    let second = build(root, "site");
    assert_eq!(second.rendered, first.counts.files);
    let index = fs::read_to_string(root.join("site/index.html")).unwrap();
    assert!(index.contains("Northwind — catalog"));
    assert_same_as_cold(root, &root.join("site"));
}

#[test]
fn a_site_changed_by_hand_is_rendered_whole() {
    let dir = sample();
    let root = dir.path();
    let first = build(root, "site");
    fs::write(root.join("site/catalog.json"), "{}").unwrap();
    edit(
        &root.join("content/finance/dataproducts/cost-to-serve.yaml"),
        "What does it cost",
        "What did it cost",
    );
    let second = build(root, "site");
    assert_eq!(second.rendered, first.counts.files);
    assert_same_as_cold(root, &root.join("site"));
}

/// Each of `pages` (paths in the built site) shows `name`: a re-rendered page carries the change.
fn assert_each_shows(root: &Path, pages: &[String], name: &str) {
    for page in pages {
        let text = fs::read_to_string(root.join("site").join(page)).unwrap();
        assert!(text.contains(name), "{page} shows the new name {name:?}");
    }
}

/// The product pages among the files a build rendered.
fn product_pages(report: &meshdoc::BuildReport) -> Vec<String> {
    let mut pages: Vec<String> = report
        .rendered_paths
        .iter()
        .filter(|p| p.starts_with("products/") && p.ends_with("/index.html"))
        .filter(|p| p.matches('/').count() == 2)
        .cloned()
        .collect();
    pages.sort();
    pages
}

#[test]
fn a_renamed_product_rerenders_its_lineage_neighbours_and_no_other_product_page() {
    let dir = sample();
    let root = dir.path();
    build(root, "site");
    edit(
        &root.join("content/finance/dataproducts/cost-to-serve.yaml"),
        "title: Cost to Serve",
        "title: Cost per Order",
    );
    let second = build(root, "site");
    // Its page and the pages that name it: its three upstream products (drawn and listed one
    // hop out) and the products two and three hops upstream (their no-script list of deeper
    // lineage). The other eight product pages are not rendered at all.
    let rendered = product_pages(&second);
    assert_eq!(
        rendered,
        [
            "cost-to-serve",
            "customer-profiles",
            "delivery-events",
            "delivery-performance",
            "delivery-routes",
            "fleet-telemetry",
            "orders",
            "payments",
            "revenue-daily",
            "stock-levels",
            "warehouse-picks",
        ]
        .map(|p| format!("products/{p}/index.html"))
        .to_vec(),
    );
    assert_each_shows(root, &rendered, "Cost per Order");
    assert_same_as_cold(root, &root.join("site"));
}

#[test]
fn a_description_change_does_not_rerender_the_neighbours() {
    let dir = sample();
    let root = dir.path();
    build(root, "site");
    edit(
        &root.join("content/finance/dataproducts/cost-to-serve.yaml"),
        "What does it cost to serve one order?",
        "What does it cost to deliver one order?",
    );
    let second = build(root, "site");
    // Neighbours show its name and link only: the description reaches no other product page.
    assert_eq!(
        product_pages(&second),
        vec!["products/cost-to-serve/index.html".to_string()]
    );
    assert_same_as_cold(root, &root.join("site"));
}

/// The first build after a cold one reuses the neighbourhood hashes the cold build kept: walking
/// every product's lineage neighbourhood again is seconds at 10,000 products.
#[test]
fn the_first_build_after_a_cold_one_reuses_the_neighbourhood_hashes() {
    let dir = sample();
    let root = dir.path();
    assert!(
        !root.join("cache").exists(),
        "a cold build starts without a cache"
    );
    let cold = build(root, "site");
    assert_eq!(
        cold.neighbourhoods_walked, cold.counts.products,
        "a cold build walks every product's neighbourhood"
    );
    edit(
        &root.join("content/finance/dataproducts/cost-to-serve.yaml"),
        "What does it cost to serve one order?",
        "What does it cost to deliver one order?",
    );
    let second = build(root, "site");
    assert_eq!(
        second.neighbourhoods_walked, 0,
        "a description change leaves the graph, names and links as they were"
    );
    // A rename changes what neighbours show: walked again, and the pages stay right.
    edit(
        &root.join("content/finance/dataproducts/cost-to-serve.yaml"),
        "title: Cost to Serve",
        "title: Cost of Serving",
    );
    let third = build(root, "site");
    assert_eq!(third.neighbourhoods_walked, third.counts.products);
    assert_same_as_cold(root, &root.join("site"));
}

#[test]
fn a_glossary_change_rewrites_the_term_and_the_pages_that_link_it() {
    let dir = sample();
    let root = dir.path();
    build(root, "site");
    let before = files(&root.join("site"));
    let term = root.join("content/finance/definitions/finance/net-revenue.yaml");

    // Its meaning: the term's page, its record, the glossary index and search; no contract or
    // product page shows a term's description.
    edit(&term, "What Northwind keeps", "What Northwind earns");
    let second = build(root, "site");
    let after = files(&root.join("site"));
    let changed = rewritten(&before, &after);
    for page in [
        "glossary/net-revenue/index.html",
        "glossary/net-revenue/index.json",
        "glossary/index.html",
    ] {
        assert!(changed.iter().any(|p| p == page), "{page} in {changed:?}");
    }
    assert!(
        changed
            .iter()
            .all(|p| p.starts_with("glossary/") || p.starts_with("search/")),
        "{changed:?}"
    );
    assert!(
        second.rendered * 3 < before.len(),
        "{} rendered",
        second.rendered
    );
    assert_same_as_cold(root, &root.join("site"));

    // Its title: the contract pages that name it beside a column are rendered again.
    let before = after;
    edit(&term, "title: Net revenue", "title: Net revenue (EUR)");
    build(root, "site");
    let after = files(&root.join("site"));
    let changed = rewritten(&before, &after);
    assert!(
        changed
            .iter()
            .any(|p| p == "contracts/revenue-daily-v1/index.html"),
        "{changed:?}"
    );
    assert!(!changed
        .iter()
        .any(|p| p == "contracts/orders-v2/index.html"));
    assert_same_as_cold(root, &root.join("site"));
}

#[test]
fn a_renamed_team_rerenders_the_pages_that_name_it() {
    let dir = sample();
    let root = dir.path();
    build(root, "site");
    let before = files(&root.join("site"));
    // Only the team file changes: the products it owns come from the cache of their source, yet
    // their pages show the owner's name, resolved by the catalog.
    edit(
        &root.join("content/fulfillment/teams/fulfillment.yml"),
        "name: Fulfillment\n",
        "name: Fulfilment Operations\n",
    );
    let second = build(root, "site");
    let after = files(&root.join("site"));
    let changed = rewritten(&before, &after);
    // Its products (stock-levels and warehouse-picks, which name it as owner and in their
    // lineage) and the products whose lineage diagram draws one of them with its owner; no
    // other product page is rendered.
    let rendered = product_pages(&second);
    assert_eq!(
        rendered,
        [
            "cost-to-serve",
            "delivery-routes",
            "orders",
            "stock-levels",
            "warehouse-picks",
        ]
        .map(|p| format!("products/{p}/index.html"))
        .to_vec(),
    );
    assert_each_shows(root, &rendered, "Fulfilment Operations");
    // The team's own files, and pages that list the team's products with their owner: the
    // glossary term pages of terms those products use.
    for page in [
        "teams/fulfillment/index.html",
        "teams/fulfillment/index.json",
        "teams/index.html",
        "glossary/order-id/index.html",
        "glossary/sku/index.html",
    ] {
        assert!(changed.iter().any(|p| p == page), "{page} in {changed:?}");
    }
    assert!(
        !changed
            .iter()
            .any(|p| p == "products/revenue-daily/index.html"),
        "{changed:?}"
    );
    assert_same_as_cold(root, &root.join("site"));
}

/// A product names an owner no team file describes (the page reads the id as missing, or as
/// the team the catalog makes for it): when the team's file appears, in a file of its own, the
/// product's page shows the team and is byte-equal to a cold build.
#[test]
fn a_team_named_before_it_exists_shows_once_it_appears() {
    let dir = sample();
    let root = dir.path();
    edit(
        &root.join("content/fulfillment/dataproducts/demand-forecast.yml"),
        "owner: inventory-planning",
        "owner: demand-science",
    );
    build(root, "site");
    let before = files(&root.join("site"));
    let page = "products/demand-forecast/index.html";
    let shows = |site: &BTreeMap<String, (Vec<u8>, u64)>| {
        String::from_utf8_lossy(&site[page].0).contains("Demand Science Guild")
    };
    assert!(!shows(&before));
    fs::write(
        root.join("content/fulfillment/teams/demand-science.yml"),
        "id: demand-science\nname: Demand Science Guild\ntype: Domain Team\n\
         description: Forecasts demand.\nmembers:\n  - emailAddress: ada@northwind.example\n    \
         name: Ada Lovelace\n    role: Data Product Owner\n",
    )
    .unwrap();
    build(root, "site");
    let after = files(&root.join("site"));
    assert!(shows(&after), "{page} names its new team");
    let changed = rewritten(&before, &after);
    assert!(changed.iter().any(|p| p == page), "{changed:?}");
    assert!(
        !changed
            .iter()
            .any(|p| p == "products/revenue-daily/index.html"),
        "{changed:?}"
    );
    assert_same_as_cold(root, &root.join("site"));
}

/// A patch trusts the last build's page hashes for the files it keeps (no stat of each of them):
/// a file deleted from the folder by hand stays deleted by a build that changes nothing it reads,
/// and `--force` writes the whole site again.
#[test]
fn a_file_deleted_by_hand_comes_back_with_force() {
    let dir = sample();
    let root = dir.path();
    build(root, "site");
    // The JSON record of a domain the change does not touch.
    let deleted = root.join("site/domains/logistics/index.json");
    let bytes = fs::read(&deleted).unwrap();
    fs::remove_file(&deleted).unwrap();
    edit(
        &root.join("content/finance/dataproducts/cost-to-serve.yaml"),
        "What does it cost to serve one order?",
        "What does it cost to deliver one order?",
    );
    let patched = build(root, "site");
    assert!(!patched.rendered_paths.is_empty());
    assert!(
        !patched
            .rendered_paths
            .contains(&"domains/logistics/index.json".to_string()),
        "the logistics record reads nothing that changed"
    );
    assert!(!deleted.exists());
    let config = Config::load(&root.join("meshdoc.toml")).unwrap();
    let forced = meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(root.join("site")),
            force: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(forced.rendered, forced.counts.files);
    assert_eq!(fs::read(&deleted).unwrap(), bytes);
    assert_same_as_cold(root, &root.join("site"));
}
