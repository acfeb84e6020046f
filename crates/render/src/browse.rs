//! The search page and the product listings by tag and by status it links to, which readers
//! without JavaScript browse instead.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use catalog::Catalog;
use model::slug::SlugSet;

use crate::pages::{paginate, product_item};
use crate::views::CatalogRefs;

/// A group of products for a browse listing (one tag or one status).
pub struct Group {
    pub label: String,
    pub slug: String,
    pub products: Vec<usize>,
}

/// What products are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Tag,
    Status,
}

impl Facet {
    pub fn section(self) -> &'static str {
        match self {
            Facet::Tag => "tags",
            Facet::Status => "status",
        }
    }

    pub fn heading(self) -> &'static str {
        match self {
            Facet::Tag => "Tag",
            Facet::Status => "Status",
        }
    }
}

fn groups(catalog: &Catalog, values: impl Fn(usize) -> Vec<String>) -> Vec<Group> {
    let mut map: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for i in 0..catalog.products.len() {
        let mut seen: Vec<String> = Vec::new();
        for v in values(i) {
            let key = v.trim().to_lowercase();
            if key.is_empty() || seen.contains(&key) {
                continue;
            }
            seen.push(key.clone());
            map.entry(key)
                .or_insert_with(|| (v.trim().to_string(), Vec::new()))
                .1
                .push(i);
        }
    }
    let mut slugs = SlugSet::default();
    map.into_iter()
        .map(|(key, (label, products))| Group {
            slug: slugs.assign(&key),
            label,
            products,
        })
        .collect()
}

pub fn tag_groups(catalog: &Catalog) -> Vec<Group> {
    groups(catalog, |i| catalog.products[i].tags.clone())
}

/// Every product has a status group; those without one are listed under "none".
pub fn status_groups(catalog: &Catalog) -> Vec<Group> {
    groups(catalog, |i| {
        vec![catalog.products[i]
            .status
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "none".into())]
    })
}

pub fn listing_path(section: &str, slug: &str, page: usize) -> String {
    if page <= 1 {
        format!("{section}/{slug}/index.html")
    } else {
        format!("{section}/{slug}/page/{page}/index.html")
    }
}

/// Listing pages of a group.
pub fn pages(group: &Group, page_size: usize) -> usize {
    crate::pages::pages_for(group.products.len(), page_size)
}

/// One page of a tag or status listing: title and context.
pub fn listing(
    catalog: &Catalog,
    facet: Facet,
    g: &Group,
    page: usize,
    page_size: usize,
) -> (String, Value) {
    let (range, pagination) = paginate(g.products.len(), page, page_size, |page| {
        listing_path(facet.section(), &g.slug, page)
    });
    let items: Vec<Value> = g.products[range]
        .iter()
        .map(|&i| product_item(catalog, i))
        .collect();
    (
        format!("{}: {}", facet.heading(), g.label),
        json!({
            "heading": facet.heading(),
            "label": g.label,
            "items": items,
            "pagination": pagination,
        }),
    )
}

/// The search page: the browse lists shown beside the search box.
pub fn search_page(catalog: &Catalog, tags: &[Group], statuses: &[Group]) -> Value {
    let group_links = |facet: Facet, groups: &[Group]| -> Vec<Value> {
        groups
            .iter()
            .map(|g| {
                json!({ "label": g.label, "url": listing_path(facet.section(), &g.slug, 1), "count": g.products.len() })
            })
            .collect()
    };
    let domains: Vec<Value> = catalog
        .domains
        .iter()
        .enumerate()
        .map(|(i, d)| json!({ "ref": catalog.domain_ref(Some(&d.id)), "count": catalog.domain_products[i].len() }))
        .collect();
    let teams: Vec<Value> = catalog
        .teams
        .iter()
        .enumerate()
        .map(|(i, t)| json!({ "ref": catalog.team_ref(Some(&t.id)), "count": catalog.team_products[i].len() }))
        .collect();
    let no_domain = catalog
        .products
        .iter()
        .filter(|p| {
            p.domain
                .as_deref()
                .and_then(|d| catalog.domain(d))
                .is_none()
        })
        .count();
    json!({
        "browse": {
            "domains": domains,
            "teams": teams,
            "tags": group_links(Facet::Tag, tags),
            "statuses": group_links(Facet::Status, statuses),
            "products_without_domain": no_domain,
        },
    })
}
