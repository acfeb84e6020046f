//! The compiled fragments of the default theme (`render::native`) write the bytes the templates
//! would: every contract and product page, each version included, rendered with them and with
//! the templates alone, must be equal — on the sample and on the shared corpora (real-world
//! contracts and every standard's examples, with enum objects, quality rules, synonyms, foreign
//! keys, nested fields and more). A theme that overrides a template they stand for gets none.

#[path = "support/shared.rs"]
mod shared;

use std::fs;
use std::path::{Path, PathBuf};

use meshdoc::config::{Config, SourceConfig};
use meshdoc::render::native::Native;
use meshdoc::render::{registry, PageKind, Theme};
use meshdoc::Catalog;

fn folder_catalog(dir: &Path) -> (Catalog, Config) {
    let mut config = Config::empty(dir);
    config.sources = vec![SourceConfig {
        name: Some("corpus".into()),
        dir: Some(PathBuf::from(".")),
        ..Default::default()
    }];
    (meshdoc::load_catalog(&config), config)
}

/// Renders every entity page of `catalog` with the compiled fragments and without; returns how
/// many pages used a fragment.
fn assert_same_pages(catalog: &Catalog, config: &Config) -> usize {
    let compiled = Theme::load(&Default::default()).unwrap();
    assert_eq!(
        compiled.native,
        Native {
            schema_table: true,
            product_lineage: true,
            contract_page: true,
            contract_source: true,
            lists: true,
        },
        "the built-in theme uses every fragment"
    );
    let mut templates = Theme::load(&Default::default()).unwrap();
    templates.native = Native::NONE;
    let plan = registry::plan(catalog, config, &compiled);
    let fast = registry::Site::new(catalog, config, &compiled, &plan).unwrap();
    let slow = registry::Site::new(catalog, config, &templates, &plan).unwrap();
    let mut compared = 0;
    for page in &plan.pages {
        if !matches!(
            page.kind,
            PageKind::Product(_)
                | PageKind::ProductVersion(..)
                | PageKind::Contract(_)
                | PageKind::ContractVersion(..)
                | PageKind::ContractSource(_)
                | PageKind::ContractVersionSource(..)
                | PageKind::Products { .. }
                | PageKind::Contracts { .. }
                | PageKind::Browse { .. }
        ) {
            continue;
        }
        let a = String::from_utf8(fast.render(page).unwrap().bytes).unwrap();
        let b = String::from_utf8(slow.render(page).unwrap().bytes).unwrap();
        if a != b {
            let at = a
                .bytes()
                .zip(b.bytes())
                .position(|(x, y)| x != y)
                .unwrap_or(a.len().min(b.len()));
            let from = at.saturating_sub(200);
            panic!(
                "{}: compiled and template pages differ at byte {at}\ncompiled: {}\ntemplate: {}",
                page.path,
                &a[from..(at + 200).min(a.len())],
                &b[from..(at + 200).min(b.len())]
            );
        }
        compared += 1;
    }
    compared
}

#[test]
fn the_sample_pages_are_the_same_with_compiled_fragments() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("meshdoc.toml")).unwrap();
    let catalog = meshdoc::load_catalog(&config);
    let pages = assert_same_pages(&catalog, &config);
    assert!(pages >= 32, "compared {pages} pages");
}

#[test]
fn the_shared_corpora_pages_are_the_same_with_compiled_fragments() {
    for rel in ["realworld/datacontract-cli", "standards"] {
        let Some(dir) = shared::fixtures(rel) else {
            return;
        };
        let (catalog, config) = folder_catalog(&dir);
        assert!(!catalog.contracts.is_empty(), "{rel}: no contracts");
        let pages = assert_same_pages(&catalog, &config);
        assert!(pages > 10, "{rel}: compared {pages} pages");
    }
}

/// Text a page must escape: markup, quotes, ampersands, entities, and text outside ASCII.
const HOSTILE: &str =
    "<script>alert('x')</script> & \"q\" &amp; <b>bold</b> ünïcödé 🚀 `code` *em* \\ back";

/// Keys whose values are text a reader sees (names, descriptions, notes, …).
const TEXT_KEYS: [&str; 16] = [
    "name",
    "description",
    "businessName",
    "title",
    "purpose",
    "usage",
    "limitations",
    "summary",
    "channel",
    "tool",
    "role",
    "username",
    "physicalName",
    "tags",
    "dimension",
    "unit",
];

/// The line with its text value replaced by `with` (a YAML double-quoted scalar), when it is
/// `key: value` of a text key with a plain one-line value.
fn rewrite_line(line: &str, with: &dyn Fn(&str) -> String) -> Option<String> {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let (dash, body) = match body.strip_prefix("- ") {
        Some(rest) => ("- ", rest),
        None => ("", body),
    };
    let (key, value) = body.split_once(": ")?;
    let value = value.trim();
    let plain = value
        .chars()
        .next()
        .is_some_and(|c| !"[{|>&*!#'\"".contains(c));
    if !TEXT_KEYS.contains(&key) || !plain {
        return None;
    }
    let text = with(value).replace('\\', "\\\\").replace('"', "\\\"");
    Some(format!("{indent}{dash}{key}: \"{text}\""))
}

/// A copy of every ODCS and DCS fixture with each text value rewritten by `with`.
fn rewritten_standards(with: &dyn Fn(&str) -> String) -> Option<tempfile::TempDir> {
    let dir = shared::fixtures("standards")?;
    let out = tempfile::tempdir().unwrap();
    for family in ["odcs", "datacontract-specification"] {
        for entry in walkdir::WalkDir::new(dir.join(family)).sort_by_file_name() {
            let entry = entry.unwrap();
            let path = entry.path();
            let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
            if !yaml {
                continue;
            }
            let Ok(text) = fs::read_to_string(path) else {
                continue;
            };
            let rewritten: Vec<String> = text
                .lines()
                .map(|line| rewrite_line(line, with).unwrap_or_else(|| line.to_string()))
                .collect();
            let target = out.path().join(path.strip_prefix(&dir).unwrap());
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(target, rewritten.join("\n")).unwrap();
        }
    }
    Some(out)
}

#[test]
fn hostile_and_empty_texts_give_the_same_contract_pages() {
    let hostile = |v: &str| format!("{v} {HOSTILE}");
    let empty = |_: &str| String::new();
    for (what, with) in [
        ("hostile", &hostile as &dyn Fn(&str) -> String),
        ("empty", &empty),
    ] {
        let Some(dir) = rewritten_standards(with) else {
            return;
        };
        let (catalog, mut config) = folder_catalog(dir.path());
        // Short pages, so that the listings paginate.
        config.build.page_size = 7;
        assert!(
            catalog.contracts.len() > 10,
            "{what}: {}",
            catalog.contracts.len()
        );
        let pages = assert_same_pages(&catalog, &config);
        assert!(pages > 10, "{what}: compared {pages} pages");
        if what == "hostile" {
            // The rewritten texts reached the pages, escaped.
            let theme = Theme::load(&Default::default()).unwrap();
            let plan = registry::plan(&catalog, &config, &theme);
            let site = registry::Site::new(&catalog, &config, &theme, &plan).unwrap();
            let page = plan
                .pages
                .iter()
                .find(|p| matches!(p.kind, PageKind::Contract(_)))
                .unwrap();
            let html = String::from_utf8(site.render(page).unwrap().bytes).unwrap();
            assert!(html.contains("&lt;script&gt;"), "{}", page.path);
            assert!(!html.contains("<script>alert"), "{}", page.path);
        }
    }
}

#[test]
fn an_override_of_a_template_a_fragment_stands_for_turns_it_off() {
    for (file, off) in [
        (
            "components.html",
            Native {
                contract_source: true,
                ..Native::NONE
            },
        ),
        (
            "browse.html",
            Native {
                lists: false,
                ..Theme::load(&Default::default()).unwrap().native
            },
        ),
        (
            "contract_source.html",
            Native {
                contract_source: false,
                ..Theme::load(&Default::default()).unwrap().native
            },
        ),
        (
            "contract.html",
            Native {
                schema_table: false,
                product_lineage: true,
                contract_page: false,
                contract_source: true,
                lists: true,
            },
        ),
        (
            "lineage_components.html",
            Native {
                schema_table: true,
                product_lineage: false,
                contract_page: false,
                contract_source: true,
                lists: true,
            },
        ),
        (
            "versions.html",
            Native {
                schema_table: true,
                product_lineage: true,
                contract_page: false,
                contract_source: true,
                lists: true,
            },
        ),
        (
            "onboard_components.html",
            Native {
                schema_table: true,
                product_lineage: true,
                contract_page: false,
                contract_source: true,
                lists: true,
            },
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let built_in = meshdoc::render::theme::TEMPLATES
            .iter()
            .find(|(n, _)| *n == file)
            .unwrap()
            .1;
        // An ejected file left as it was keeps the fragments; an edit turns them off.
        fs::write(dir.path().join(file), built_in).unwrap();
        let dirs = meshdoc::render::ThemeDirs {
            templates: vec![dir.path().to_path_buf()],
            statics: None,
        };
        assert_eq!(
            Theme::load(&dirs).unwrap().native,
            Theme::load(&Default::default()).unwrap().native
        );
        fs::write(dir.path().join(file), format!("{built_in}\n{{# edited #}}")).unwrap();
        assert_eq!(Theme::load(&dirs).unwrap().native, off, "{file}");
    }
}

#[test]
fn an_edited_schema_table_shows_on_contract_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    fs::write(
        repo.join("orders.odcs.yaml"),
        "apiVersion: v3.0.2\nkind: DataContract\nid: orders\nname: Orders\nversion: 1.0.0\nstatus: active\n\
         schema:\n  - name: orders\n    properties:\n      - name: order_id\n        logicalType: string\n",
    )
    .unwrap();
    let templates = tmp.path().join("templates");
    fs::create_dir_all(&templates).unwrap();
    let built_in = meshdoc::render::theme::TEMPLATES
        .iter()
        .find(|(n, _)| *n == "components.html")
        .unwrap()
        .1;
    let edited = built_in.replace("<th>Name<th>Type", "<th>Column (edited)<th>Type");
    assert_ne!(edited, built_in);
    fs::write(templates.join("components.html"), edited).unwrap();
    let mut config = Config::empty(tmp.path());
    config.sources = vec![SourceConfig {
        name: Some("repo".into()),
        dir: Some(PathBuf::from("repo")),
        ..Default::default()
    }];
    config.theme.templates = Some(templates);
    let out = tmp.path().join("public");
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let page = fs::read_to_string(out.join("contracts/orders/index.html")).unwrap();
    assert!(page.contains("<th>Column (edited)<th>Type"), "{page}");
    assert!(page.contains(">order_id</a>"), "{page}");
}

#[test]
fn an_edit_of_any_template_the_contract_page_uses_shows_on_it() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("meshdoc.toml")).unwrap();
    let catalog = meshdoc::load_catalog(&config);
    for (file, from, to) in [
        (
            "contract.html",
            "<h2 id=consumers-title>Consumers</h2>",
            "<h2 id=consumers-title>Readers (edited)</h2>",
        ),
        (
            "components.html",
            "<span class=\"provenance-label\">Source</span>",
            "<span class=\"provenance-label\">Read from (edited)</span>",
        ),
        (
            "onboard_components.html",
            "How to get access {{",
            "How to ask for access (edited) {{",
        ),
        (
            "versions.html",
            "aria-label=\"Breadcrumb\"",
            "aria-label=\"Trail (edited)\"",
        ),
        (
            "metrics.html",
            "Quality history {{",
            "Measured quality (edited) {{",
        ),
        ("base.html", "Skip to content", "Skip to the page (edited)"),
        (
            "contract_source.html",
            "<span aria-current=page>Source</span>",
            "<span aria-current=page>File (edited)</span>",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let built_in = meshdoc::render::theme::TEMPLATES
            .iter()
            .find(|(n, _)| *n == file)
            .unwrap()
            .1;
        let edited = built_in.replace(from, to);
        assert_ne!(edited, built_in, "{file}: {from} not found");
        fs::write(dir.path().join(file), edited).unwrap();
        let dirs = meshdoc::render::ThemeDirs {
            templates: vec![dir.path().to_path_buf()],
            statics: None,
        };
        let theme = Theme::load(&dirs).unwrap();
        let plan = registry::plan(&catalog, &config, &theme);
        let site = registry::Site::new(&catalog, &config, &theme, &plan).unwrap();
        let page = plan
            .pages
            .iter()
            .find(|p| match file {
                "contract_source.html" => {
                    p.path == "contracts/customer-profiles-v1/source/index.html"
                }
                _ => p.path == "contracts/customer-profiles-v1/index.html",
            })
            .expect("the sample's contract with a quality history");
        let html = String::from_utf8(site.render(page).unwrap().bytes).unwrap();
        let shown = to.trim_end_matches(" {{");
        assert!(html.contains(shown), "{file}: {shown} not on the page");
    }
}
