//! The documentation pages of products, teams and domains (`<entity>/docs/…/`), their images
//! (`files/<hash>.<ext>`), and the list of them on the entity's own page. What each link leads
//! to was decided by `catalog::docs`; this module turns it into URLs relative to each page.

use serde_json::{json, Value};

use catalog::docs::{DocPage, Owner, Target};
use catalog::Catalog;

use super::doc_markdown::{self, Target as Shown};
use crate::views::{self, CatalogRefs};

/// The folder of an entity's page (`products/orders/`).
fn owner_folder(catalog: &Catalog, owner: Owner) -> String {
    let url = match owner {
        Owner::Product(i) => views::product_url(&catalog.products[i].slug),
        Owner::Team(i) => views::team_url(&catalog.teams[i].slug),
        Owner::Domain(i) => views::domain_url(&catalog.domains[i].slug),
    };
    url.trim_end_matches("index.html").to_string()
}

/// The site path of documentation page `k`.
pub fn page_path(catalog: &Catalog, k: usize) -> String {
    let p = &catalog.docs.pages[k];
    let folder = owner_folder(catalog, p.owner);
    if p.rel.is_empty() {
        format!("{folder}docs/index.html")
    } else {
        format!("{folder}docs/{}/index.html", p.rel)
    }
}

/// The site path of image `k`: named by a hash of where it came from, typed by its content.
pub fn image_path(catalog: &Catalog, k: usize) -> String {
    let img = &catalog.docs.images[k];
    let ext = formats::narrative::image_kind(&img.bytes).unwrap_or("bin");
    format!("files/{:016x}.{ext}", model::slug::fnv1a(&img.key()))
}

/// The page's title: its first `# heading`, else its file name (a README: "Overview").
pub fn title(page: &DocPage) -> String {
    if let Some(h) = first_heading(&page.text) {
        return h.to_string();
    }
    let name = page.origin.path.rsplit('/').next().unwrap_or_default();
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    if page.rel.is_empty() || stem.eq_ignore_ascii_case("readme") {
        "Overview".to_string()
    } else {
        model::display::humanize(stem)
    }
}

/// The text of the first line, when it is a `# heading` (before any other content).
fn first_heading(text: &str) -> Option<&str> {
    let line = text.lines().find(|l| !l.trim().is_empty())?;
    let h = line.strip_prefix("# ")?.trim().trim_end_matches('#').trim();
    (!h.is_empty()).then_some(h)
}

/// The owner's name, kind and page.
fn owner_ref(catalog: &Catalog, owner: Owner) -> (views::Ref, &'static str) {
    match owner {
        Owner::Product(i) => (catalog.product_ref(i), "Data products"),
        Owner::Team(i) => (
            catalog
                .team_ref(Some(&catalog.teams[i].id))
                .unwrap_or_else(|| plain(&catalog.teams[i].name)),
            "Teams",
        ),
        Owner::Domain(i) => (
            catalog
                .domain_ref(Some(&catalog.domains[i].id))
                .unwrap_or_else(|| plain(&catalog.domains[i].name)),
            "Domains",
        ),
    }
}

fn plain(name: &str) -> views::Ref {
    views::Ref {
        id: name.to_string(),
        name: name.to_string(),
        url: None,
    }
}

/// `docs` on an entity's page: its documentation pages, README first.
pub fn list(catalog: &Catalog, owner: Owner) -> Vec<Value> {
    catalog
        .docs
        .of(owner)
        .iter()
        .map(|&k| json!({ "title": title(&catalog.docs.pages[k]), "url": page_path(catalog, k) }))
        .collect()
}

/// A documentation page's title and context.
pub fn page(catalog: &Catalog, k: usize, root: &str) -> (String, Value) {
    let p = &catalog.docs.pages[k];
    let heading = title(p);
    // The first heading is the page's title; the body starts after it.
    let body = match first_heading(&p.text) {
        Some(_) => {
            let start = p.text.find("# ").unwrap_or(0);
            let end = p.text[start..]
                .find('\n')
                .map_or(p.text.len(), |e| start + e);
            &p.text[end..]
        }
        None => p.text.as_str(),
    };
    let rendered = doc_markdown::render(body, &mut |url, image| {
        let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
        let found = p
            .links
            .iter()
            .find(|l| l.image == image && l.written == path);
        let Some(link) = found else {
            return Shown::Inert("not resolved".into());
        };
        let anchor = if fragment.is_empty() {
            String::new()
        } else {
            format!("#{}", doc_markdown::anchor_of(fragment))
        };
        match &link.target {
            Target::Page(t) => Shown::Link(format!("{root}{}{anchor}", page_path(catalog, *t))),
            Target::Image(t) => Shown::Link(format!("{root}{}", image_path(catalog, *t))),
            Target::Product(t) => Shown::Link(format!(
                "{root}{}",
                views::product_url(&catalog.products[*t].slug)
            )),
            Target::Contract(t) => Shown::Link(format!(
                "{root}{}",
                views::contract_url(&catalog.contracts[*t].slug)
            )),
            Target::Inert(why) => Shown::Inert(why.clone()),
        }
    });
    let (owner, listing) = owner_ref(catalog, p.owner);
    let siblings: Vec<Value> = catalog
        .docs
        .of(p.owner)
        .iter()
        .map(|&s| {
            json!({
                "title": title(&catalog.docs.pages[s]),
                "url": page_path(catalog, s),
                "current": s == k,
            })
        })
        .collect();
    let context = json!({
        "title": heading,
        "owner": owner,
        "listing": listing,
        "listing_url": match p.owner {
            Owner::Product(_) => "products/index.html",
            Owner::Team(_) => "teams/index.html",
            Owner::Domain(_) => "domains/index.html",
        },
        "html": rendered.html,
        "toc": rendered.toc,
        "siblings": siblings,
        "origin": p.origin,
    });
    (format!("{heading} · {}", owner.name), context)
}
