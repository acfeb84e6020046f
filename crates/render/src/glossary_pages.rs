//! The glossary's pages: `glossary/` (A–Z, paginated, and by domain), a page per term with where
//! it is used, and each term's JSON record. Usage lists are capped with counts, so a term used by
//! thousands of columns still has a small page.

use serde_json::{json, Value};

use catalog::Catalog;
use model::error::Result;
use model::Term;

use crate::markdown;
use crate::pages::{self, listing_path};
use crate::registry::{Body, Named, Page, PageKind, Read};
use crate::views::{self, CatalogRefs, Ref};

/// How many columns, contracts and products a term page names (the rest are counted).
pub const MAX_USAGES: usize = 50;
/// How many terms the index shows per domain (the rest are in the A–Z list).
const MAX_PER_DOMAIN: usize = 12;

/// A page of the glossary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlossaryPage {
    /// `glossary/` and its later pages.
    Index {
        page: usize,
    },
    Term(usize),
    /// `glossary/<term>/index.json`.
    TermJson(usize),
}

pub fn term_url(slug: &str) -> String {
    format!("glossary/{slug}/index.html")
}

/// A link to a term.
pub fn term_ref(t: &Term) -> Ref {
    Ref {
        id: t.id.clone(),
        name: t.name.clone(),
        url: Some(term_url(&t.slug)),
    }
}

/// A contract's schema rows with the terms their columns link to (the current version only: the
/// glossary indexes current contracts).
pub fn with_terms<'a>(
    catalog: &Catalog,
    (contract, version): (usize, Option<usize>),
    object: &str,
    mut rows: Vec<views::RowView<'a>>,
) -> Vec<views::RowView<'a>> {
    if version.is_none() {
        for r in &mut rows {
            r.term = catalog
                .glossary
                .column_term(contract, object, &r.path)
                .map(term_ref);
        }
    }
    rows
}

/// Every glossary page, in sitemap order.
pub fn plan(catalog: &Catalog, page_size: usize, out: &mut Vec<Page>) {
    let terms = &catalog.glossary.terms;
    for page in 1..=pages::pages_for(terms.len(), page_size) {
        out.push(Page {
            path: listing_path("glossary", page),
            kind: PageKind::Glossary(GlossaryPage::Index { page }),
        });
    }
    for (i, t) in terms.iter().enumerate() {
        out.push(Page {
            path: term_url(&t.slug),
            kind: PageKind::Glossary(GlossaryPage::Term(i)),
        });
    }
    for (i, t) in terms.iter().enumerate() {
        out.push(Page {
            path: term_url(&t.slug).replace("index.html", "index.json"),
            kind: PageKind::Glossary(GlossaryPage::TermJson(i)),
        });
    }
}

impl GlossaryPage {
    pub fn template(self) -> Option<&'static str> {
        match self {
            GlossaryPage::Index { .. } => Some("glossary.html"),
            GlossaryPage::Term(_) => Some("term.html"),
            GlossaryPage::TermJson(_) => None,
        }
    }

    pub fn section(self) -> &'static str {
        match self {
            GlossaryPage::TermJson(_) => "",
            _ => "glossary",
        }
    }

    /// What the page reads: an index page reads the catalog (its letters and domains span every
    /// term, and naming each would make the index quadratic in reads); a term page reads its term
    /// and what uses it.
    pub fn reads<'a>(self, catalog: &'a Catalog, reads: &mut crate::registry::Reads<'_, 'a>) {
        let g = &catalog.glossary;
        match self {
            GlossaryPage::Index { .. } => {
                reads.insert(Read::Catalog);
            }
            GlossaryPage::Term(i) | GlossaryPage::TermJson(i) => {
                let t = &g.terms[i];
                reads.insert(Read::Term(i));
                reads.owner(t.owner.as_deref());
                reads.named(Named::Domain, t.domain.as_deref());
                let u = &g.usages[i];
                for &ci in &u.contracts {
                    reads.insert(Read::Contract(ci));
                }
                // The products are listed with their domain and owner (`pages::product_item`).
                for &pi in &u.products {
                    let p = &catalog.products[pi];
                    reads.insert(Read::Product(pi));
                    reads.named(Named::Domain, p.domain.as_deref());
                    reads.named(Named::Team, p.owner.as_deref());
                }
                // The contract that defines the term is named and linked.
                reads.named(Named::Contract, t.contract.as_deref());
            }
        }
    }

    pub fn body(self, catalog: &Catalog, page_size: usize) -> Result<Body> {
        Ok(match self {
            GlossaryPage::Index { page } => {
                let title = if page > 1 {
                    format!("Glossary, page {page}")
                } else {
                    "Glossary".into()
                };
                Body::Template(title, index(catalog, page, page_size))
            }
            GlossaryPage::Term(i) => {
                let t = &catalog.glossary.terms[i];
                Body::Template(t.name.clone(), term_page(catalog, i))
            }
            GlossaryPage::TermJson(i) => Body::Bytes(term_json(catalog, i)?),
        })
    }
}

/// The page a term is listed on in the A–Z index, with its anchor.
fn index_link(i: usize, page_size: usize) -> String {
    listing_path("glossary", i / page_size + 1)
}

fn letter_anchor(c: char) -> String {
    if c == '#' {
        "letter-other".into()
    } else {
        format!("letter-{}", c.to_ascii_lowercase())
    }
}

fn index(catalog: &Catalog, n: usize, page_size: usize) -> Value {
    let g = &catalog.glossary;
    let (range, pagination) = pages::paginate(g.terms.len(), n, page_size, |page| {
        listing_path("glossary", page)
    });
    let letters: Vec<Value> = ('A'..='Z')
        .chain(['#'])
        .map(|c| {
            let first = g.letters.iter().find(|l| l.0 == c).map(|l| l.1);
            json!({
                "letter": c.to_string(),
                "url": first.map(|i| format!("{}#{}", index_link(i, page_size), letter_anchor(c))),
            })
        })
        .collect();
    // Terms of this page in letter groups; a group continued from the previous page says so.
    let mut groups: Vec<Value> = Vec::new();
    let mut current: Option<(char, Vec<Value>)> = None;
    for i in range.clone() {
        let t = &g.terms[i];
        let c = catalog::glossary::initial(t);
        if current.as_ref().map(|g| g.0) != Some(c) {
            if let Some((letter, items)) = current.take() {
                groups.push(group(letter, items));
            }
            current = Some((c, Vec::new()));
        }
        if let Some((_, items)) = current.as_mut() {
            items.push(index_item(catalog, i));
        }
    }
    if let Some((letter, items)) = current {
        groups.push(group(letter, items));
    }
    let domains: Vec<Value> = if n == 1 {
        g.domains
            .iter()
            .map(|(d, terms)| {
                let shown: Vec<Ref> = terms
                    .iter()
                    .take(MAX_PER_DOMAIN)
                    .map(|&i| term_ref(&g.terms[i]))
                    .collect();
                json!({
                    "domain": catalog.domain_ref(Some(d)),
                    "anchor": views::anchor(&format!("domain.{d}")),
                    "terms": shown,
                    "count": terms.len(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    json!({
        "letters": letters,
        "groups": groups,
        "domains": domains,
        "pagination": pagination,
        "external_count": if n == 1 { g.terms.iter().filter(|t| t.source_kind == "external").count() } else { 0 },
    })
}

fn group(letter: char, items: Vec<Value>) -> Value {
    json!({
        "letter": letter.to_string(),
        "anchor": letter_anchor(letter),
        "items": items,
    })
}

fn index_item(catalog: &Catalog, i: usize) -> Value {
    let g = &catalog.glossary;
    let t = &g.terms[i];
    let u = &g.usages[i];
    json!({
        "ref": term_ref(t),
        "summary": views::summary(t.description.as_deref(), 160),
        "domain": t.domain.as_deref().and_then(|d| catalog.domain_ref(Some(d))),
        "synonyms": t.synonyms.iter().take(5).collect::<Vec<_>>(),
        "pii": t.pii,
        "external": t.source_kind == "external",
        "columns": u.columns.len(),
        "contracts": u.contracts.len(),
        "products": u.products.len(),
    })
}

/// The owner as a team link, else a person link, else the text as written.
pub fn owner_ref(catalog: &Catalog, owner: Option<&str>) -> Option<Ref> {
    let owner = owner?;
    if catalog.team_by_id.contains_key(owner) {
        return catalog.team_ref(Some(owner));
    }
    if let Some(p) = catalog.people.find(owner) {
        return Some(crate::people_pages::person_ref(p));
    }
    catalog.team_ref(Some(owner))
}

fn term_page(catalog: &Catalog, i: usize) -> Value {
    let g = &catalog.glossary;
    let t = &g.terms[i];
    let u = &g.usages[i];
    let columns: Vec<Value> = u
        .columns
        .iter()
        .take(MAX_USAGES)
        .map(|col| {
            let c = &catalog.contracts[col.contract];
            let anchor = views::anchor(&format!("{}.{}", col.object, col.column));
            json!({
                "contract": catalog.contract_ref(col.contract),
                "object": col.object,
                "column": col.column,
                "url": format!("{}#{anchor}", views::contract_url(&c.slug)),
                "via": col.via,
            })
        })
        .collect();
    let contracts: Vec<Value> = u
        .contracts
        .iter()
        .take(MAX_USAGES)
        .map(|&ci| {
            let c = &catalog.contracts[ci];
            json!({
                "ref": catalog.contract_ref(ci),
                "status": c.status,
                "version": c.version,
            })
        })
        .collect();
    let products: Vec<Value> = u
        .products
        .iter()
        .take(MAX_USAGES)
        .map(|&pi| pages::product_item(catalog, pi))
        .collect();
    json!({
        "term": t,
        "description_html": t.description.as_deref().map(markdown::render),
        "owner": owner_ref(catalog, t.owner.as_deref()),
        "domain": t.domain.as_deref().and_then(|d| catalog.domain_ref(Some(d))),
        "domain_text": t.domain,
        "contract": t.contract.as_deref().and_then(|c| catalog.contract_ref_by_id(c)),
        "external": t.source_kind == "external",
        "columns": columns,
        "column_count": u.columns.len(),
        "contracts": contracts,
        "contract_count": u.contracts.len(),
        "products": products,
        "product_count": u.products.len(),
        "max_usages": MAX_USAGES,
        "origin": (t.source_kind == "definitions").then_some(&t.origin),
    })
}

/// `glossary/<term>/index.json`: the term, and the ids of what uses it.
fn term_json(catalog: &Catalog, i: usize) -> Result<Vec<u8>> {
    let g = &catalog.glossary;
    let t = &g.terms[i];
    let u = &g.usages[i];
    let columns: Vec<Value> = u
        .columns
        .iter()
        .map(|col| {
            json!({
                "contract": catalog.contracts[col.contract].id,
                "object": col.object,
                "column": col.column,
                "via": col.via,
            })
        })
        .collect();
    let extra = json!({
        "usedBy": {
            "columns": columns,
            "contracts": u.contracts.iter().map(|&ci| &catalog.contracts[ci].id).collect::<Vec<_>>(),
            "products": u.products.iter().map(|&pi| &catalog.products[pi].id).collect::<Vec<_>>(),
        }
    });
    crate::catalog_json::record("term", t, term_url(&t.slug), extra, "term JSON")
}
