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
            product_page: true,
            built_in_shell: true,
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

#[test]
fn an_override_of_a_template_a_fragment_stands_for_turns_it_off() {
    for (file, off) in [
        (
            "components.html",
            Native {
                built_in_shell: true,
                ..Native::NONE
            },
        ),
        (
            "contract.html",
            Native {
                schema_table: false,
                product_lineage: true,
                product_page: true,
                built_in_shell: true,
            },
        ),
        (
            "lineage_components.html",
            Native {
                schema_table: true,
                product_lineage: false,
                product_page: false,
                built_in_shell: true,
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
