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
/// many pages were compared and how many product pages the compiled page wrote (the others
/// hold a value it leaves to the template).
fn assert_same_pages(catalog: &Catalog, config: &Config) -> (usize, usize) {
    let compiled = Theme::load(&Default::default()).unwrap();
    assert_eq!(
        compiled.native,
        Native {
            schema_table: true,
            product_lineage: true,
            product_page: true,
            built_in_shell: true,
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
    let (mut compared, mut compiled_products) = (0, 0);
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
                | PageKind::TeamPage { .. }
                | PageKind::DomainPage { .. }
        ) {
            continue;
        }
        let version = match page.kind {
            PageKind::Product(_) => Some(None),
            PageKind::ProductVersion(_, k) => Some(Some(k)),
            _ => None,
        };
        if let (Some(version), PageKind::Product(i) | PageKind::ProductVersion(i, _)) =
            (version, page.kind)
        {
            let block = meshdoc::render::native::product_page::render(
                &compiled.tera,
                catalog,
                i,
                version,
                &page.root(),
                &config.access,
            );
            compiled_products += usize::from(block.is_some());
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
        assert!(
            !a.contains("<script>alert"),
            "{}: unescaped text",
            page.path
        );
        compared += 1;
    }
    (compared, compiled_products)
}

#[test]
fn the_sample_pages_are_the_same_with_compiled_fragments() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("meshdoc.toml")).unwrap();
    let catalog = meshdoc::load_catalog(&config);
    let (pages, products) = assert_same_pages(&catalog, &config);
    assert!(pages >= 32, "compared {pages} pages");
    // Short pages: every listing paginates, teams and domains get later pages.
    let mut short = config.clone();
    short.build.page_size = 2;
    let plan = registry::plan(&catalog, &short, &Theme::load(&Default::default()).unwrap());
    assert!(plan
        .pages
        .iter()
        .any(|p| matches!(p.kind, PageKind::TeamPage { .. })));
    assert!(plan
        .pages
        .iter()
        .any(|p| matches!(p.kind, PageKind::DomainPage { .. })));
    assert_same_pages(&catalog, &short);
    // Every product page of the sample is written by the compiled page, service levels too.
    assert_eq!(products, catalog.products.len() + versions_of(&catalog));
}

#[test]
fn the_shared_corpora_pages_are_the_same_with_compiled_fragments() {
    for rel in ["realworld/datacontract-cli", "standards"] {
        let Some(dir) = shared::fixtures(rel) else {
            return;
        };
        let (catalog, config) = folder_catalog(&dir);
        assert!(!catalog.contracts.is_empty(), "{rel}: no contracts");
        let (pages, products) = assert_same_pages(&catalog, &config);
        assert!(pages > 10, "{rel}: compared {pages} pages");
        assert!(products > 0 || catalog.products.is_empty(), "{rel}");
    }
}

#[test]
fn an_override_of_a_template_a_fragment_stands_for_turns_it_off() {
    let all = Theme::load(&Default::default()).unwrap().native;
    for (file, off) in [
        (
            "components.html",
            Native {
                built_in_shell: true,
                contract_source: true,
                ..Native::NONE
            },
        ),
        (
            "contract.html",
            Native {
                schema_table: false,
                contract_page: false,
                ..all
            },
        ),
        (
            "lineage_components.html",
            Native {
                product_lineage: false,
                product_page: false,
                contract_page: false,
                ..all
            },
        ),
        (
            "versions.html",
            Native {
                product_page: false,
                contract_page: false,
                ..all
            },
        ),
        (
            "onboard_components.html",
            Native {
                product_page: false,
                contract_page: false,
                ..all
            },
        ),
        (
            "contract_source.html",
            Native {
                contract_source: false,
                ..all
            },
        ),
        (
            "browse.html",
            Native {
                lists: false,
                ..all
            },
        ),
        (
            "entity_lists.html",
            Native {
                lists: false,
                ..all
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

/// Pages of product versions that are not current.
fn versions_of(catalog: &Catalog) -> usize {
    catalog
        .product_versions
        .iter()
        .map(|v| v.len().saturating_sub(1))
        .sum()
}

/// Text that must come out escaped, in every field a product page shows.
const HOSTILE: &str =
    "<script>alert(\"x&y\")</script> 'q' & ünï 🙂 **b** `c` [l](javascript:alert(1))";

/// A product manifest (Bitol ODPS v1.1, written as JSON, which YAML reads) with every field the
/// page shows, each holding hostile text; `n` numbers it, `inputs` input ports.
fn hostile_product(n: usize, version: &str, inputs: usize) -> serde_json::Value {
    use serde_json::json;
    let h = |what: &str| format!("{what} {n} {HOSTILE}");
    let input_ports: Vec<_> = (0..inputs)
        .map(|k| {
            json!({
                "name": h(&format!("input {k}")), "version": if k.is_multiple_of(2) { "1.0.0" } else { "" },
                "contractId": if k.is_multiple_of(3) { "c-hostile".to_string() } else { format!("missing-{k}") },
                "description": h("reads"), "deprecated": k.is_multiple_of(4), "tags": [h("tag"), "plain"],
                "customProperties": [{"property": h("key"), "value": h("value")}, {"property": "n", "value": k}],
                "authoritativeDefinitions": [{"type": h("kind"), "url": "https://example.com/?a=1&b=<2>"},
                                              {"type": "file", "url": "s3://bucket/<x>"}],
                "location": h("location"), "extra": {"nested": [1, h("x")]},
            })
        })
        .collect();
    json!({
        "apiVersion": "v1.1.0", "kind": "DataProduct", "id": format!("p-{n}"),
        "name": format!("{}\n   second line  ", h("Name")), "version": version, "status": if n.is_multiple_of(2) { "active" } else { "Deprecated Soon" },
        "domain": h("domain"), "tenant": h("tenant"), "productCreatedTs": if n.is_multiple_of(2) { "2024-05-01T10:20:30Z" } else { "yesterday <b>" },
        "deprecated": !n.is_multiple_of(2),
        "description": {"purpose": h("purpose\n\n- a\n- b\n\n```\ncode <x>\n   kept\n```"), "usage": h("usage"), "limitations": h("limits")},
        "tags": [h("t1"), "t2"],
        "synonyms": [{"synonym": h("syn"), "description": h("d"), "locale": "de", "source": h("s"), "status": "ok"}, {"synonym": "plain"}],
        "context": {"instructions": h("Do **this**"), "verifiedStatements": [{"question": h("q?"), "answer": h("a")}, {"question": "only a question"}],
                    "constraints": [h("never")], "model": h("m"), "depth": {"a": 1, "b": [h("x"), 2]}},
        "inputPorts": input_ports,
        "outputPorts": [
            {"name": h("out"), "description": h("out desc"), "version": version, "type": h("tables"),
             "contractId": "c-hostile", "tags": [h("ot")], "sbom": [{"type": "external", "url": "https://sbom.example/<x>"}],
             "inputContracts": [{"id": "c-hostile", "version": "1.0.0"}, {"id": "missing-contract", "version": h("v")}],
             "authoritativeDefinitions": [{"type": "doc", "url": "mailto:a@b.example"}],
             "customProperties": [{"property": h("ck"), "value": h("cv"), "description": h("cd")}],
             "synonyms": [{"synonym": h("osyn")}], "context": {"instructions": h("port"), "constraints": ["x"], "note": h("n")},
             "server": {"account": h("acct")}, "containsPii": n.is_multiple_of(2)},
            {"name": "second", "contractId": "nowhere"},
            {"name": "third"},
        ],
        "managementPorts": [{"name": h("mp"), "content": "dictionary", "type": "topic", "url": "https://x.example/<t>",
                             "channel": h("ch"), "description": h("md"), "tags": [h("mt")], "deprecated": true,
                             "customProperties": [{"property": "k", "value": h("v")}],
                             "authoritativeDefinitions": [{"type": "t", "url": "ftp://x"}]},
                            {"name": "bare"}],
        "support": [{"channel": h("chan"), "url": "https://chat.example/<c>", "tool": h("tool"), "scope": "issues",
                     "description": h("sd"), "invitationUrl": "https://invite.example", "extra": h("e")},
                    {"channel": "", "url": "jdbc:weird"}],
        "team": {"name": h("team"), "description": h("td"), "tags": [h("tt")],
                 "members": [{"username": "a@b.example", "name": h("member"), "role": h("role"), "description": h("md"),
                              "dateIn": "2023-01-01", "dateOut": h("out"), "extra": h("x")},
                             {"username": h("u"), "name": h("u")}, {"username": "plain"}],
                 "authoritativeDefinitions": [{"type": "t", "url": "https://team.example"}],
                 "customProperties": if n == 1 { json!([{"property": "size", "value": 5}]) } else { json!([{"property": "k", "value": h("v")}]) }},
        "customProperties": [{"property": h("prop"), "value": {"a": [1, 2, h("v")]}, "description": h("pd")},
                             {"property": "owner", "value": h("owner")}, {"property": "flag", "value": true}],
        "unknownField": h("extension"), "another": {"deep": [h("x"), null, 1.5]},
    })
}

/// The edge cases of a product page, generated: hostile text in every field, empty and missing
/// fields, more input ports and readers than a page lists, versions, diagnostics, docs, access
/// roles and agreements — each product page the same with the compiled page as without.
#[test]
fn hostile_and_edge_case_products_are_the_same_with_the_compiled_page() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    fs::create_dir_all(repo.join("docs")).unwrap();
    let write = |name: &str, value: serde_json::Value| {
        fs::write(
            repo.join(name),
            serde_json::to_string_pretty(&value).unwrap(),
        )
        .unwrap();
    };
    write("p0.odps.yaml", hostile_product(0, "1.0.0", 3));
    write("p0-v2.odps.yaml", hostile_product(0, "2.0.0", 0));
    write("p0-draft.odps.yaml", hostile_product(0, "", 1));
    write("p1.odps.yaml", hostile_product(1, "1.0.0", 130));
    // Empty and missing fields: only what a product must have.
    write(
        "bare.odps.yaml",
        serde_json::json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": "bare", "status": ""}),
    );
    // A broken manifest: located diagnostics in its page's box.
    fs::write(
        repo.join("broken.odps.yaml"),
        "apiVersion: v1.0.0\nkind: DataProduct\nid: broken\nstatus: active\ntags: 5\ninputPorts: nope\noutputPorts:\n  - name: 7\n    contractId: [1]\n",
    )
    .unwrap();
    // Thirty-five readers of the hostile contract: more than a port card names.
    for k in 0..35 {
        write(
            &format!("reader{k}.odps.yaml"),
            serde_json::json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": format!("reader-{k}"),
                "name": format!("Reader {k} <&>"), "status": "active",
                "inputPorts": [{"name": "in", "version": "1.0.0", "contractId": "c-hostile"}]}),
        );
    }
    fs::write(
        repo.join("c-hostile.odcs.yaml"),
        format!(
            "apiVersion: v3.0.2\nkind: DataContract\nid: c-hostile\nname: '{h}'\nversion: 1.0.0\nstatus: active\n\
             dataProduct: p-0\nroles:\n  - role: '{h}'\n    access: read\n    firstLevelApprovers: '{h}'\n    secondLevelApprovers: boss\n    description: '{h}'\n\
             schema:\n  - name: t\n    properties:\n      - name: email\n        logicalType: string\n        classification: restricted\n        criticalDataElement: true\n\
                   customProperties:\n          - property: pii\n            value: true\n",
            h = HOSTILE.replace('\'', "''")
        ),
    )
    .unwrap();
    fs::write(
        repo.join("agreement.yaml"),
        format!(
            "dataUsageAgreementSpecification: 0.0.1\nid: agr\ninfo:\n  title: A\n  purpose: '{h}'\n  status: approved\n\
             provider:\n  dataProductId: p-0\n  outputPortId: out\nconsumer:\n  teamId: '{h}'\n  dataProductId: reader-1\n",
            h = HOSTILE.replace('\'', "''")
        ),
    )
    .unwrap();
    fs::write(
        repo.join("p0.odps.md"),
        format!("# Guide {HOSTILE}\n\nText.\n"),
    )
    .unwrap();
    let (catalog, mut config) = folder_catalog(&repo);
    config.access.request_url =
        Some("https://desk.example/new?product={product}&port={port}&contract={contract}".into());
    config.access.note = Some(HOSTILE.into());
    assert!(catalog.products.len() >= 38, "{}", catalog.products.len());
    assert!(
        catalog.product_versions.iter().any(|v| v.len() >= 3),
        "a product with versions"
    );
    let (pages, products) = assert_same_pages(&catalog, &config);
    assert!(pages >= 40, "compared {pages} pages");
    // All but the one whose team block holds a number (left to the template).
    assert_eq!(products, catalog.products.len() + versions_of(&catalog) - 1);
}

/// An edit of any template file a compiled product page stands for (or of the shell around it,
/// or of metrics.html, which it still calls) shows on the sample's product page.
#[test]
fn an_edit_of_any_file_a_product_page_stands_for_shows_on_it() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("meshdoc.toml")).unwrap();
    let catalog = meshdoc::load_catalog(&config);
    for (file, from, to, compiled) in [
        (
            "base.html",
            "<main id=main",
            "<main data-edited id=main",
            true,
        ),
        (
            "site_header.html",
            "<a class=brand",
            "<a data-edited class=brand",
            true,
        ),
        (
            "metrics.html",
            "id=\"metrics-title\">Service levels",
            "id=\"metrics-title\">Service levels (edited)",
            true,
        ),
        (
            "product.html",
            "Output ports <span",
            "Output ports (edited) <span",
            false,
        ),
        (
            "components.html",
            "<aside class=\"provenance\"",
            "<aside data-edited class=\"provenance\"",
            false,
        ),
        (
            "onboard_components.html",
            "How to get access",
            "How to get access (edited)",
            false,
        ),
        (
            "versions.html",
            "<nav class=\"breadcrumbs\"",
            "<nav data-edited class=\"breadcrumbs\"",
            false,
        ),
        (
            "lineage_components.html",
            "<figure class=\"lineage-figure\"",
            "<figure data-edited class=\"lineage-figure\"",
            false,
        ),
    ] {
        let built_in = meshdoc::render::theme::TEMPLATES
            .iter()
            .find(|(n, _)| *n == file)
            .unwrap()
            .1;
        let edited = built_in.replace(from, to);
        assert_ne!(edited, built_in, "{file}: {from}");
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(file), edited).unwrap();
        let dirs = meshdoc::render::ThemeDirs {
            templates: vec![dir.path().to_path_buf()],
            statics: None,
        };
        let theme = Theme::load(&dirs).unwrap();
        assert_eq!(theme.native.product_page, compiled, "{file}");
        assert_eq!(theme.native.built_in_shell, file != "base.html", "{file}");
        let plan = registry::plan(&catalog, &config, &theme);
        let site = registry::Site::new(&catalog, &config, &theme, &plan).unwrap();
        let page = plan
            .pages
            .iter()
            .find(|p| p.path == "products/orders/index.html")
            .unwrap();
        let html = String::from_utf8(site.render(page).unwrap().bytes).unwrap();
        assert!(html.contains(to), "{file}: {to} not on the page");
        // The rest of the page is still there.
        assert!(html.contains("<h1>Orders</h1>"), "{file}");
    }
}

/// Text a page must escape: markup, quotes, ampersands, entities, and text outside ASCII.
const HOSTILE_TEXT: &str =
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
    let hostile = |v: &str| format!("{v} {HOSTILE_TEXT}");
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
        let (pages, _) = assert_same_pages(&catalog, &config);
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

#[test]
fn every_contract_page_of_the_sample_and_corpora_is_written_by_the_compiled_page() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sample = Config::load(&root.join("meshdoc.toml")).unwrap();
    let mut sites = vec![(meshdoc::load_catalog(&sample), sample)];
    if let Some(dir) = shared::fixtures("realworld/datacontract-cli") {
        sites.push(folder_catalog(&dir));
    }
    let theme = Theme::load(&Default::default()).unwrap();
    for (catalog, config) in &sites {
        let plan = registry::plan(catalog, config, &theme);
        for page in &plan.pages {
            let (index, version) = match page.kind {
                PageKind::Contract(i) => (i, None),
                PageKind::ContractVersion(i, k) => (i, Some(k)),
                _ => continue,
            };
            let input = meshdoc::render::native::contract_page::Input {
                catalog,
                index,
                version,
                root: &page.root(),
                access: version.is_none().then_some(&config.access),
                tera: &theme.tera,
            };
            let block = meshdoc::render::native::contract_page::render(&input).unwrap();
            assert!(block.is_some(), "{}: left to the template", page.path);
        }
    }
}
