//! Output budgets at scale: a mesh generated here with thousands of products in one domain and
//! one team (plus a hub read by hundreds, long chains and many broken references) builds into a
//! site whose every HTML page stays within 150 KB, while every entity is still reachable by links
//! from its listing, its team and its domain.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::path::Path;

use meshdoc::config::Config;

const PAGE_BUDGET: u64 = 150 * 1024;
const PRODUCTS: usize = 1200;

fn write(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// Product `i` in the one big domain and team: it reads product `i - 1` (long chains), the hub,
/// and every 5th product names a contract that does not exist (a warning each).
fn product(i: usize) -> String {
    let mut inputs = String::new();
    if i > 0 {
        inputs.push_str(&format!("  - name: prev\n    contractId: c{:05}\n", i - 1));
        inputs.push_str("  - name: hub\n    contractId: c00000\n");
    }
    if i.is_multiple_of(5) {
        inputs.push_str(&format!("  - name: typo\n    contractId: missing-{i}\n"));
    }
    if inputs.is_empty() {
        inputs.push_str("  []\n");
    }
    format!(
        "apiVersion: v1.0.0\nkind: DataProduct\nid: p{i:05}\nname: Product number {i} with a longish name\n\
         status: active\ndomain: everything\ndescription:\n  purpose: Product {i} of a mesh that is one big domain.\n\
         team:\n  name: the-one-team\ninputPorts:\n{inputs}outputPorts:\n  - name: main\n    contractId: c{i:05}\n"
    )
}

fn contract(i: usize) -> String {
    format!(
        "apiVersion: v3.0.2\nkind: DataContract\nid: c{i:05}\nname: Contract {i}\nversion: 1.0.0\nstatus: active\n\
         domain: everything\nschema:\n  - name: main\n    physicalName: t{i}\n    properties:\n\
         \x20     - name: id\n        logicalType: string\n        description: \"Key of row {i}\"\n\
         \x20     - name: amount\n        logicalType: number\n"
    )
}

/// Every `href` of an HTML page, resolved against the page's folder, without fragment or query.
fn links(site: &Path, page: &Path, html: &str) -> Vec<std::path::PathBuf> {
    let folder = page.parent().unwrap();
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|h| !h.starts_with('#') && !h.contains("://") && !h.starts_with("mailto:"))
        .map(|h| h.split(['#', '?']).next().unwrap_or(h))
        .filter(|h| !h.is_empty())
        .map(|h| normalise(&folder.join(h)))
        .filter(|p| p.starts_with(site))
        .collect()
}

fn normalise(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// The pages reachable from `start` by following links (HTML pages only).
fn reachable(
    site: &Path,
    start: &Path,
    within: impl Fn(&Path) -> bool,
) -> BTreeSet<std::path::PathBuf> {
    let mut seen = BTreeSet::from([start.to_path_buf()]);
    let mut queue = VecDeque::from([start.to_path_buf()]);
    while let Some(page) = queue.pop_front() {
        let html = fs::read_to_string(&page).unwrap_or_default();
        for link in links(site, &page, &html) {
            if link.extension().is_some_and(|e| e == "html") && !seen.contains(&link) {
                seen.insert(link.clone());
                if within(&link) {
                    queue.push_back(link);
                }
            }
        }
    }
    seen
}

#[test]
fn every_page_stays_within_its_budget_and_every_entity_stays_reachable() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "meshdoc.toml",
        "[site]\ntitle = \"Budgets\"\n[[sources]]\ndir = \"repos/*\"\n",
    );
    for i in 0..PRODUCTS {
        let repo = format!("repos/r{:02}", i % 20);
        write(root, &format!("{repo}/p{i:05}.yaml"), &product(i));
        write(root, &format!("{repo}/c{i:05}.yaml"), &contract(i));
    }
    let config = Config::load(&root.join("meshdoc.toml")).unwrap();
    let out = root.join("public");
    let report = meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(report.catalog.products.len(), PRODUCTS);
    assert_eq!(report.catalog.contracts.len(), PRODUCTS);
    assert!(
        report.catalog.diagnostics.len() >= PRODUCTS / 5,
        "the broken references are reported"
    );

    // No HTML page over budget.
    let mut sizes: BTreeMap<u64, String> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let size = entry.metadata().unwrap().len();
            sizes.insert(
                size,
                entry
                    .path()
                    .strip_prefix(&out)
                    .unwrap()
                    .display()
                    .to_string(),
            );
        }
    }
    let over: Vec<_> = sizes.range(PAGE_BUDGET + 1..).collect();
    assert!(over.is_empty(), "pages over 150 KB: {over:?}");
    assert!(
        !out.join("products/p00001/lineage").exists(),
        "no static deeper views"
    );

    // Every product and contract is reachable from its listing, from its team's page and from
    // its domain's page, following the pagination.
    let products = |p: &BTreeSet<std::path::PathBuf>| {
        p.iter()
            .filter(|x| x.starts_with(out.join("products")) && x.ends_with("index.html"))
            .filter(|x| x.parent().unwrap().parent() == Some(&out.join("products")))
            .count()
    };
    let contracts = |p: &BTreeSet<std::path::PathBuf>| {
        p.iter()
            .filter(|x| x.parent().unwrap().parent() == Some(&out.join("contracts")))
            .count()
    };
    let listing = reachable(&out, &out.join("products/index.html"), |p| {
        p.starts_with(out.join("products/page")) || p == out.join("products/index.html")
    });
    assert_eq!(products(&listing), PRODUCTS, "products listing");
    let listing = reachable(&out, &out.join("contracts/index.html"), |p| {
        p.starts_with(out.join("contracts/page")) || p == out.join("contracts/index.html")
    });
    assert_eq!(contracts(&listing), PRODUCTS, "contracts listing");
    for owner in ["domains/everything", "teams/the-one-team"] {
        let folder = out.join(owner);
        let pages = reachable(&out, &folder.join("index.html"), |p| p.starts_with(&folder));
        assert_eq!(products(&pages), PRODUCTS, "products from {owner}");
        assert_eq!(contracts(&pages), PRODUCTS, "contracts from {owner}");
        // The later pages' tables are the same labelled, keyboard-reachable scroll regions as
        // the first page's (a phone scrolls them sideways).
        let later: Vec<_> = pages
            .iter()
            .filter(|p| p.starts_with(folder.join("page")))
            .collect();
        assert!(!later.is_empty(), "{owner} has later pages");
        for page in later {
            let html = fs::read_to_string(page).unwrap();
            for wrap in html.split("<div class=\"table-wrap\"").skip(1) {
                let tag = &wrap[..wrap.find('>').unwrap()];
                assert!(
                    tag.contains("tabindex=\"0\"") && tag.contains("role=\"region\""),
                    "{}: a table scroll region without tabindex and role: {tag}",
                    page.display()
                );
            }
        }
    }
    // The health page lists every diagnostic, across its pages.
    let health = reachable(&out, &out.join("health/index.html"), |p| {
        p.starts_with(out.join("health"))
    });
    let text: String = health
        .iter()
        .filter(|p| p.starts_with(out.join("health")))
        .map(|p| fs::read_to_string(p).unwrap())
        .collect();
    for i in (0..PRODUCTS).step_by(5).skip(1) {
        assert!(
            text.contains(&format!("missing-{i}")),
            "diagnostic of p{i:05} on a health page"
        );
    }
    // catalog.json is an index; the records are beside the pages.
    let index = fs::metadata(out.join("catalog.json")).unwrap().len();
    assert!(
        index < 600 * PRODUCTS as u64,
        "catalog.json is {index} bytes"
    );
    assert!(out.join("products/p00001/index.json").exists());
}

/// One product that reads 300 others (an input port each) and whose one output port is read by
/// 2,000 products: its page stays within the budget and still names every input port and says
/// how many read it.
#[test]
fn a_product_with_hundreds_of_inputs_and_thousands_of_consumers_stays_within_its_budget() {
    const INPUTS: usize = 300;
    const CONSUMERS: usize = 2000;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "meshdoc.toml",
        "[site]\ntitle = \"Wide\"\n[[sources]]\ndir = \"repos/*\"\n",
    );
    let mut wide = String::from(
        "apiVersion: v1.0.0\nkind: DataProduct\nid: wide\nname: The wide product\nstatus: active\n\
         domain: everything\ndescription:\n  purpose: Reads many, read by many.\ninputPorts:\n",
    );
    for j in 0..INPUTS {
        wide.push_str(&format!(
            "  - name: input number {j}\n    contractId: c{j:05}\n"
        ));
    }
    wide.push_str("outputPorts:\n  - name: everything\n    contractId: c-wide\n");
    write(root, "repos/wide/wide.yaml", &wide);
    write(
        root,
        "repos/wide/c-wide.yaml",
        &contract(99_999).replace("c99999", "c-wide"),
    );
    for i in 0..INPUTS + CONSUMERS {
        let repo = format!("repos/r{:02}", i % 20);
        let product = if i < INPUTS {
            product(i)
        } else {
            format!(
                "apiVersion: v1.0.0\nkind: DataProduct\nid: p{i:05}\nname: Consumer {i}\nstatus: active\n\
                 domain: everything\ninputPorts:\n  - name: wide\n    contractId: c-wide\n\
                 outputPorts:\n  - name: main\n    contractId: c{i:05}\n"
            )
        };
        write(root, &format!("{repo}/p{i:05}.yaml"), &product);
        if i < INPUTS {
            write(root, &format!("{repo}/c{i:05}.yaml"), &contract(i));
        }
    }
    let config = Config::load(&root.join("meshdoc.toml")).unwrap();
    let out = root.join("public");
    let report = meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(report.catalog.products.len(), INPUTS + CONSUMERS + 1);

    let page = out.join("products/wide/index.html");
    let size = fs::metadata(&page).unwrap().len();
    assert!(
        size <= PAGE_BUDGET,
        "the wide product's page is {size} bytes"
    );
    let html = fs::read_to_string(&page).unwrap();
    // The first hundred input ports in the table, the count of all, the rest in the record.
    assert!(html.contains(&format!(
        "Input ports <span class=\"count-badge\">{INPUTS}</span>"
    )));
    for j in 0..100 {
        assert!(
            html.contains(&format!(">input number {j}<")),
            "input port {j} is named on the page"
        );
    }
    assert!(
        html.contains("… and 200 more (all in <code>index.json</code> beside this page)"),
        "the page says where the other input ports are"
    );
    let record = fs::read_to_string(out.join("products/wide/index.json")).unwrap();
    for j in 0..INPUTS {
        assert!(
            record.contains(&format!("\"input number {j}\"")),
            "input {j} in the record"
        );
    }
    // Its one port's readers: a count and the first few by name.
    assert!(
        html.contains(&format!("Read by</span> {CONSUMERS} products: ")),
        "the page says how many products read the port"
    );
    assert!(html.contains(&format!("and {} more", CONSUMERS - 30)));
    // Every input port lacks its version (an error each): the first 50 shown, all counted.
    assert!(
        html.contains(
            "problems in this manifest <span class=\"muted small\">(the first 50 shown)</span>"
        ),
        "the diagnostics are counted and capped"
    );
}
