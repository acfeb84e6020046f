//! `start/`: where a newcomer begins. The maintainers' own words (the markdown file named by
//! `[site] start`), then what the catalog knows: the domains at a glance, the most-read products,
//! the newest contract changes, where to ask, and how to read the site. Every list is cut to a
//! few entries, so the page stays the same size at 10,000 products.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use serde_json::{json, Value};

use catalog::Catalog;
use config::Config;

use super::doc_markdown::{self, Target};
use crate::views::CatalogRefs;
use formats::narrative as images;

/// The start file is read up to this size (a welcome page, not a book).
pub const MAX_START_BYTES: u64 = 256 * 1024;
/// Entries in each generated list.
const DOMAINS_SHOWN: usize = 24;
const MOST_READ_SHOWN: usize = 10;
const CHANGES_SHOWN: usize = 8;
const CHANNELS_SHOWN: usize = 12;

/// The maintainers' page, read and rendered once per build; its images are copied beside it.
#[derive(Debug, Clone, Default)]
pub struct StartDoc {
    pub html: Option<String>,
    /// Why the file or a part of it is not shown (read by the maintainers on the page itself).
    pub notices: Vec<String>,
    /// (path in the site, bytes) of each image it shows.
    pub images: Vec<(String, Vec<u8>)>,
}

impl StartDoc {
    /// Read `[site] start`; relative images must stay inside the config's folder, relative links
    /// must name a page of the site (`pages`: every planned path).
    pub fn load(config: &Config, pages: &dyn Fn(&str) -> bool) -> StartDoc {
        let Some(rel) = &config.site.start else {
            return StartDoc::default();
        };
        let mut doc = StartDoc::default();
        let file = config.resolve(rel);
        let text = match std::fs::metadata(&file) {
            Ok(m) if m.len() > MAX_START_BYTES => {
                doc.notices.push(format!(
                    "{} is {} bytes, over the limit of {MAX_START_BYTES}; not shown",
                    rel.display(),
                    m.len()
                ));
                return doc;
            }
            _ => match std::fs::read(&file) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => {
                    doc.notices
                        .push(format!("cannot read {}: {e}", rel.display()));
                    return doc;
                }
            },
        };
        let root = config.root.canonicalize().unwrap_or(config.root.clone());
        let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut images_out = Vec::new();
        let mut notices = Vec::new();
        let rendered = doc_markdown::render(&text, &mut |url, image| {
            let path = url.split(['#', '?']).next().unwrap_or_default();
            if image {
                match read_image(&root, &folder, path) {
                    Ok((name, bytes)) => {
                        let target = format!("files/{name}");
                        images_out.push((format!("start/{target}"), bytes));
                        Target::Link(target)
                    }
                    Err(why) => {
                        notices.push(format!("image {url}: {why}"));
                        Target::Inert(why)
                    }
                }
            } else {
                site_link(path, url, pages).unwrap_or_else(|| {
                    notices.push(format!("link {url}: not a page of this site"));
                    Target::Inert("not a page of this site".into())
                })
            }
        });
        images_out.sort();
        images_out.dedup_by(|a, b| a.0 == b.0);
        doc.html = Some(rendered.html);
        doc.images = images_out;
        doc.notices = notices;
        doc
    }

    /// What the page's bytes depend on beyond the catalog (part of every page's global hash).
    pub fn fingerprint(&self) -> String {
        let mut text = self.html.clone().unwrap_or_default();
        for n in &self.notices {
            text.push_str(n);
        }
        for (path, bytes) in &self.images {
            text.push_str(path);
            text.push_str(&format!(
                "{:016x}",
                model::slug::fnv1a(&String::from_utf8_lossy(bytes))
            ));
        }
        text
    }
}

/// The start file and its images as text, for the up-to-date check and the global hash of the
/// incremental build (the file lies outside every source).
pub fn input_text(config: &Config) -> String {
    StartDoc::load(config, &|_| true).fingerprint()
}

/// A link written from the site's root (`products/orders/`, `concepts/#pii`) that names a
/// planned page, made relative to `start/`.
fn site_link(path: &str, url: &str, pages: &dyn Fn(&str) -> bool) -> Option<Target> {
    let clean = path.trim_start_matches("./");
    if clean.split('/').any(|s| s == "..") {
        return None;
    }
    let page = if clean.is_empty() || clean.ends_with('/') {
        format!("{clean}index.html")
    } else {
        clean.to_string()
    };
    pages(&page).then(|| {
        let rest = &url[path.len()..];
        Target::Link(format!("../{page}{rest}"))
    })
}

/// An image beside the start file, inside the config's folder, of a raster type within the limit.
fn read_image(root: &Path, folder: &Path, path: &str) -> Result<(String, Vec<u8>), String> {
    if path.is_empty() || Path::new(path).is_absolute() {
        return Err("not a relative path".into());
    }
    let mut joined = PathBuf::from(folder);
    for c in Path::new(path).components() {
        match c {
            Component::Normal(s) => joined.push(s),
            Component::ParentDir => {
                joined.pop();
            }
            _ => {}
        }
    }
    let real = joined
        .canonicalize()
        .map_err(|_| "no such file".to_string())?;
    if !real.starts_with(root) {
        return Err("outside the config's folder; not read".into());
    }
    let meta = std::fs::metadata(&real).map_err(|e| e.to_string())?;
    if meta.len() > images::MAX_IMAGE_BYTES as u64 {
        return Err(format!(
            "{} bytes, over the limit of {}",
            meta.len(),
            images::MAX_IMAGE_BYTES
        ));
    }
    let bytes = std::fs::read(&real).map_err(|e| e.to_string())?;
    let ext = images::image_kind(&bytes)
        .ok_or_else(|| "not a PNG, JPEG, GIF or WebP image".to_string())?;
    let name = format!("{:016x}.{ext}", model::slug::fnv1a(&real.to_string_lossy()));
    Ok((name, bytes))
}

/// The page's context.
pub fn page(catalog: &Catalog, doc: &StartDoc) -> Value {
    json!({
        "start_html": doc.html,
        "start_notices": doc.notices,
        "domains": domains(catalog),
        "domains_total": catalog.domains.len(),
        "most_read": most_read(catalog),
        "changes": changes(catalog),
        "channels": channels(catalog),
        "teams_with_email": team_emails(catalog),
    })
}

/// Each domain with its owner and how many products and contracts it holds; the largest first.
fn domains(catalog: &Catalog) -> Vec<Value> {
    let mut order: Vec<usize> = (0..catalog.domains.len()).collect();
    order.sort_by(|&a, &b| {
        catalog.domain_products[b]
            .len()
            .cmp(&catalog.domain_products[a].len())
            .then_with(|| catalog.domains[a].name.cmp(&catalog.domains[b].name))
    });
    order
        .into_iter()
        .take(DOMAINS_SHOWN)
        .map(|i| {
            let d = &catalog.domains[i];
            json!({
                "ref": catalog.domain_ref(Some(&d.id)),
                "owner": catalog.team_ref(d.owner.as_deref()),
                "description": d.description.as_deref().map(first_sentence),
                "products": catalog.domain_products[i].len(),
                "contracts": catalog.domain_contracts[i].len(),
            })
        })
        .collect()
}

/// The products most others depend on: the distinct products that read from it in the lineage,
/// plus the usage agreements that name it. This is what the catalog can count honestly; it does
/// not see query logs.
fn most_read(catalog: &Catalog) -> Vec<Value> {
    let mut scored: Vec<(usize, usize, usize)> = (0..catalog.products.len())
        .filter_map(|i| {
            let mut readers: Vec<usize> = catalog.downstream[i].iter().map(|d| d.product).collect();
            readers.sort_unstable();
            readers.dedup();
            let agreements = catalog.access.agreements_of(&catalog.products[i].id).len();
            (readers.len() + agreements > 0).then_some((i, readers.len(), agreements))
        })
        .collect();
    scored.sort_by(|a, b| {
        (b.1 + b.2)
            .cmp(&(a.1 + a.2))
            .then_with(|| catalog.products[a.0].name.cmp(&catalog.products[b.0].name))
    });
    scored
        .into_iter()
        .take(MOST_READ_SHOWN)
        .map(|(i, readers, agreements)| {
            let p = &catalog.products[i];
            json!({
                "ref": catalog.product_ref(i),
                "domain": catalog.domain_ref(p.domain.as_deref()),
                "readers": readers,
                "agreements": agreements,
            })
        })
        .collect()
}

/// The newest contract changes (the Changes page's first entries).
fn changes(catalog: &Catalog) -> Vec<Value> {
    crate::pages::change_entries(catalog)
        .into_iter()
        .take(CHANGES_SHOWN)
        .map(|(ci, v)| {
            json!({
                "contract": catalog.contract_ref(ci),
                "time": v.time, "summary": v.summary, "version": v.version,
                "changes": v.changes.len(), "breaking": v.breaking,
            })
        })
        .collect()
}

/// Support channels named by products and contracts, the most used first, with how many
/// products and contracts name them.
fn channels(catalog: &Catalog) -> Vec<Value> {
    let mut by_key: HashMap<(String, Option<String>), (usize, &model::Support)> = HashMap::new();
    let supports = catalog
        .products
        .iter()
        .flat_map(|p| &p.support)
        .chain(catalog.contracts.iter().flat_map(|c| &c.support));
    for s in supports {
        by_key
            .entry((s.channel.clone(), s.url.clone()))
            .or_insert((0, s))
            .0 += 1;
    }
    let mut list: Vec<(usize, &model::Support)> = by_key.into_values().collect();
    // Channel then address: two channels of one name tie otherwise, and the map's order would
    // decide which comes first, differently from build to build.
    list.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.channel.cmp(&b.1.channel))
            .then_with(|| a.1.url.cmp(&b.1.url))
    });
    list.into_iter()
        .take(CHANNELS_SHOWN)
        .map(|(n, s)| json!({ "support": s, "uses": n }))
        .collect()
}

/// Teams that give an e-mail address, by name (bounded like the other lists).
fn team_emails(catalog: &Catalog) -> Vec<Value> {
    let mut by_name: BTreeMap<&str, Value> = BTreeMap::new();
    for t in &catalog.teams {
        if let Some(email) = &t.email {
            by_name.insert(
                &t.name,
                json!({ "ref": catalog.team_ref(Some(&t.id)), "email": email }),
            );
        }
    }
    by_name.into_values().take(CHANNELS_SHOWN).collect()
}

/// The first sentence of a description, for a one-line summary.
fn first_sentence(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let end = line.find(". ").map_or(line.len(), |i| i + 1);
    let s = &line[..end];
    if s.chars().count() > 160 {
        let cut: String = s.chars().take(157).collect();
        format!("{cut}…")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_of_one_name_are_listed_by_address() {
        let support = |url: &str| model::Support {
            channel: "#data".into(),
            url: Some(url.into()),
            ..Default::default()
        };
        let mut catalog = Catalog::default();
        for url in [
            "https://c.example",
            "https://a.example",
            "https://b.example",
        ] {
            catalog.products.push(model::DataProduct {
                support: vec![support(url)],
                ..Default::default()
            });
        }
        let urls: Vec<String> = channels(&catalog)
            .iter()
            .map(|c| c["support"]["url"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(
            urls,
            [
                "https://a.example",
                "https://b.example",
                "https://c.example"
            ]
        );
    }
}
