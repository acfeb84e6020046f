//! Render: plan the pages of the catalog and turn each into bytes, in parallel.

pub mod catalog_json;
pub mod charts;
pub mod lineage_pages;
pub mod lineage_svg;
pub mod markdown;
pub mod metrics;
pub mod pages;
pub mod search;
pub mod views;

use std::path::Path;

use rayon::prelude::*;
use serde_json::json;

use catalog::Catalog;
use config::Config;
use model::diagnostics::count;
use model::error::{Error, Result};

/// Templates compiled into the binary, so an installed `meshdoc` needs no files beside it.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../../themes/default/templates/base.html"),
    ),
    (
        "components.html",
        include_str!("../../../themes/default/templates/components.html"),
    ),
    (
        "metrics.html",
        include_str!("../../../themes/default/templates/metrics.html"),
    ),
    (
        "index.html",
        include_str!("../../../themes/default/templates/index.html"),
    ),
    (
        "products.html",
        include_str!("../../../themes/default/templates/products.html"),
    ),
    (
        "product.html",
        include_str!("../../../themes/default/templates/product.html"),
    ),
    (
        "contracts.html",
        include_str!("../../../themes/default/templates/contracts.html"),
    ),
    (
        "contract.html",
        include_str!("../../../themes/default/templates/contract.html"),
    ),
    (
        "contract_source.html",
        include_str!("../../../themes/default/templates/contract_source.html"),
    ),
    (
        "teams.html",
        include_str!("../../../themes/default/templates/teams.html"),
    ),
    (
        "team.html",
        include_str!("../../../themes/default/templates/team.html"),
    ),
    (
        "domains.html",
        include_str!("../../../themes/default/templates/domains.html"),
    ),
    (
        "domain.html",
        include_str!("../../../themes/default/templates/domain.html"),
    ),
    (
        "lineage.html",
        include_str!("../../../themes/default/templates/lineage.html"),
    ),
    (
        "product_lineage.html",
        include_str!("../../../themes/default/templates/product_lineage.html"),
    ),
    (
        "lineage_components.html",
        include_str!("../../../themes/default/templates/lineage_components.html"),
    ),
    (
        "health.html",
        include_str!("../../../themes/default/templates/health.html"),
    ),
    (
        "404.html",
        include_str!("../../../themes/default/templates/404.html"),
    ),
    (
        "changes.html",
        include_str!("../../../themes/default/templates/changes.html"),
    ),
    (
        "search.html",
        include_str!("../../../themes/default/templates/search.html"),
    ),
    (
        "browse.html",
        include_str!("../../../themes/default/templates/browse.html"),
    ),
];

/// Static files of the theme, written under `static/`.
pub const STATIC_FILES: &[(&str, &str)] = &[
    (
        "style.css",
        include_str!("../../../themes/default/static/style.css"),
    ),
    (
        "theme.js",
        include_str!("../../../themes/default/static/theme.js"),
    ),
    (
        "search.js",
        include_str!("../../../themes/default/static/search.js"),
    ),
];

/// One output file: its path relative to the site root and its bytes.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Load the built-in templates, replacing any that the site's template folder overrides.
pub fn load_templates(overrides: Option<&Path>) -> Result<tera::Tera> {
    let mut sources: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    if let Some(dir) = overrides {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::Io {
            path: dir.to_path_buf(),
            source: e,
        })?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".html") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).map_err(|e| Error::Io {
                path: entry.path(),
                source: e,
            })?;
            match sources.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = text,
                None => sources.push((name, text)),
            }
        }
    }
    let mut tera = tera::Tera::new();
    tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| Error::Template(describe_tera_error(&e)))?;
    Ok(tera)
}

fn describe_tera_error(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// Render every page of the site plus its assets and catalog.json.
/// Time spent per template, summed over pages (shown by `build -v`).
static PAGE_TIMES: std::sync::Mutex<Vec<(&'static str, u128, usize)>> =
    std::sync::Mutex::new(Vec::new());

struct PageTimer(&'static str, std::time::Instant);

impl Drop for PageTimer {
    fn drop(&mut self) {
        let took = self.1.elapsed().as_micros();
        let mut times = PAGE_TIMES.lock().unwrap_or_else(|e| e.into_inner());
        match times.iter_mut().find(|(t, _, _)| *t == self.0) {
            Some(entry) => {
                entry.1 += took;
                entry.2 += 1;
            }
            None => times.push((self.0, took, 1)),
        }
    }
}

/// Per template: total time in microseconds (summed over threads) and page count, largest first.
pub fn page_times() -> Vec<(&'static str, u128, usize)> {
    let mut times = PAGE_TIMES.lock().unwrap_or_else(|e| e.into_inner()).clone();
    times.sort_by_key(|t| std::cmp::Reverse(t.1));
    times
}

/// Pages rendered (in parallel) before they are handed on to be written: bounds memory.
const BATCH: usize = 2048;

/// What a render produced.
#[derive(Debug, Default, Clone, Copy)]
pub struct RenderStats {
    pub pages: usize,
    pub files: usize,
}

/// Render the site batch by batch, handing each batch to `sink` (the site writer).
pub fn render_into(
    catalog: &Catalog,
    config: &Config,
    tera: &tera::Tera,
    sink: &mut dyn FnMut(Vec<OutputFile>) -> Result<()>,
) -> Result<RenderStats> {
    let page_size = config.build.page_size.max(1);
    let pages = pages::plan(catalog, page_size);
    let counts = count(&catalog.diagnostics);
    let base = json!({
        "site": { "title": config.site.title, "description": config.site.description },
        "counts": {
            "products": catalog.products.len(),
            "contracts": catalog.contracts.len(),
            "teams": catalog.teams.len(),
            "domains": catalog.domains.len(),
            "errors": counts.errors,
            "warnings": counts.warnings,
        },
        "generator": concat!("meshdoc ", env!("CARGO_PKG_VERSION")),
    });
    let base = tera::Context::from_serialize(&base)
        .map_err(|e| Error::Template(describe_tera_error(&e)))?;
    let mut stats = RenderStats::default();
    for chunk in pages.chunks(BATCH) {
        let batch: Vec<OutputFile> = chunk
            .par_iter()
            .map(|page| {
                let _timer = PageTimer(page.template(), std::time::Instant::now());
                let (title, specific) = pages::context(catalog, page, page_size);
                let mut context = base.clone();
                let root = if page.kind == pages::PageKind::NotFound {
                    not_found_root(&config.site.base_url)
                } else {
                    page.root()
                };
                context.insert("root", &root);
                context.insert("page_title", &title);
                context.insert("section", page.section());
                let specific = tera::Context::from_serialize(&specific)
                    .map_err(|e| Error::Template(describe_tera_error(&e)))?;
                context.extend(specific);
                let html = tera.render(page.template(), &context).map_err(|e| {
                    Error::Template(format!(
                        "{} ({}): {}",
                        page.template(),
                        page.path,
                        describe_tera_error(&e)
                    ))
                })?;
                Ok(OutputFile {
                    path: page.path.clone(),
                    bytes: html.into_bytes(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        stats.pages += batch.len();
        stats.files += batch.len();
        sink(batch)?;
    }
    let mut files: Vec<OutputFile> = Vec::new();
    // Each contract's file, copied beside its page for download.
    for c in &catalog.contracts {
        if let Some(text) = &c.source_text {
            files.push(OutputFile {
                path: format!("contracts/{}/{}", c.slug, pages::source_file_name(c)),
                bytes: text.as_bytes().to_vec(),
            });
        }
    }
    files.extend(search::render(catalog, page_size, tera, &base)?);
    for (name, text) in STATIC_FILES {
        files.push(OutputFile {
            path: format!("static/{name}"),
            bytes: text.as_bytes().to_vec(),
        });
    }
    files.push(OutputFile {
        path: "static/syntax.css".into(),
        bytes: markdown::syntax_css().into_bytes(),
    });
    files.push(OutputFile {
        path: "changes/feed.xml".into(),
        bytes: changes_feed(catalog, &config.site.title, &config.site.base_url).into_bytes(),
    });
    files.push(OutputFile {
        path: "catalog.json".into(),
        bytes: catalog_json::render(catalog)?,
    });
    if !config.site.base_url.is_empty() {
        files.push(OutputFile {
            path: "sitemap.xml".into(),
            bytes: sitemap(&config.site.base_url, &pages).into_bytes(),
        });
    }
    stats.files += files.len();
    stats.pages += files.iter().filter(|f| f.path.ends_with(".html")).count();
    sink(files)?;
    Ok(stats)
}

/// The 404 page is served at any depth, so its links must be absolute: the base URL, or `/`.
fn not_found_root(base_url: &str) -> String {
    if base_url.is_empty() {
        "/".to_string()
    } else if base_url.ends_with('/') {
        base_url.to_string()
    } else {
        format!("{base_url}/")
    }
}

/// Atom feed of the newest contract changes, for readers who subscribe rather than visit.
fn changes_feed(catalog: &Catalog, title: &str, base_url: &str) -> String {
    let entries = pages::change_entries(catalog);
    // Links are absolute with a base URL, else relative to the feed (changes/feed.xml).
    let link = |path: &str| {
        if base_url.is_empty() {
            format!("../{path}")
        } else {
            format!("{}{path}", not_found_root(base_url))
        }
    };
    let updated = entries
        .first()
        .map_or("1970-01-01T00:00:00Z", |(_, v)| v.time.as_str());
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.push_str(&format!(
        "  <title>{} — contract changes</title>\n  <id>urn:meshdoc:changes:{:016x}</id>\n  <updated>{}</updated>\n  <link rel=\"alternate\" href=\"{}\"/>\n",
        markdown::escape(title),
        model::slug::fnv1a(title),
        markdown::escape(updated),
        markdown::escape(&link("changes/index.html"))
    ));
    for (ci, v) in entries.iter().take(50) {
        let c = &catalog.contracts[*ci];
        let what = if v.changes.is_empty() {
            v.note
                .clone()
                .unwrap_or_else(|| "no change to the content".into())
        } else {
            format!("{} change(s), {} breaking", v.changes.len(), v.breaking)
        };
        let body: Vec<String> = v
            .changes
            .iter()
            .map(|ch| {
                format!(
                    "{}: {} {}",
                    if ch.breaking() { "BREAKING" } else { "change" },
                    ch.path,
                    ch.message
                )
            })
            .collect();
        let href = link(&format!(
            "{}#v-{}",
            views::contract_url(&c.slug),
            &v.commit[..v.commit.len().min(12)]
        ));
        xml.push_str(&format!(
            "  <entry>\n    <title>{}{}: {}</title>\n    <id>urn:meshdoc:change:{}:{}</id>\n    <updated>{}</updated>\n    <author><name>{}</name></author>\n    <link rel=\"alternate\" href=\"{}\"/>\n    <summary type=\"text\">{}</summary>\n  </entry>\n",
            markdown::escape(&c.name),
            v.version.as_deref().map(|x| format!(" {}", markdown::escape(x))).unwrap_or_default(),
            markdown::escape(&what),
            markdown::escape(&c.id),
            markdown::escape(&v.commit),
            markdown::escape(&v.time),
            markdown::escape(&v.author),
            markdown::escape(&href),
            markdown::escape(&format!("{}\n{}", v.summary, body.join("\n")))
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

fn sitemap(base_url: &str, pages: &[pages::Page]) -> String {
    let base = not_found_root(base_url);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for page in pages.iter().filter(|p| p.kind != pages::PageKind::NotFound) {
        let path = page.path.strip_suffix("index.html").unwrap_or(&page.path);
        xml.push_str("  <url><loc>");
        xml.push_str(&markdown::escape(&format!("{base}{path}")));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
