//! The people pages: `people/` (everyone, paginated) and a page per person with their roles,
//! teams, and the products and contracts they appear on (capped with counts), and each person's
//! JSON record.

use serde_json::{json, Value};

use catalog::people::{PersonEntry, RoleOn};
use catalog::Catalog;
use model::error::Result;

use crate::pages::{self, listing_path};
use crate::registry::{Body, Named, Page, PageKind, Read};
use crate::views::{CatalogRefs, Ref};

/// How many products, contracts and roles a person's page names (the rest are counted).
pub const MAX_LISTED: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeoplePage {
    Index { page: usize },
    Person(usize),
    PersonJson(usize),
}

pub fn person_url(slug: &str) -> String {
    format!("people/{slug}/index.html")
}

pub fn person_ref(p: &PersonEntry) -> Ref {
    Ref {
        id: p.person.id.clone(),
        name: display_name(p),
        url: Some(person_url(&p.slug)),
    }
}

fn display_name(p: &PersonEntry) -> String {
    p.person.name.clone().unwrap_or_else(|| p.person.id.clone())
}

pub fn plan(catalog: &Catalog, page_size: usize, out: &mut Vec<Page>) {
    let people = &catalog.people.entries;
    for page in 1..=pages::pages_for(people.len(), page_size) {
        out.push(Page {
            path: listing_path("people", page),
            kind: PageKind::People(PeoplePage::Index { page }),
        });
    }
    for (i, p) in people.iter().enumerate() {
        out.push(Page {
            path: person_url(&p.slug),
            kind: PageKind::People(PeoplePage::Person(i)),
        });
    }
    for (i, p) in people.iter().enumerate() {
        out.push(Page {
            path: person_url(&p.slug).replace("index.html", "index.json"),
            kind: PageKind::People(PeoplePage::PersonJson(i)),
        });
    }
}

impl PeoplePage {
    pub fn template(self) -> Option<&'static str> {
        match self {
            PeoplePage::Index { .. } => Some("people.html"),
            PeoplePage::Person(_) => Some("person.html"),
            PeoplePage::PersonJson(_) => None,
        }
    }

    pub fn section(self) -> &'static str {
        match self {
            PeoplePage::PersonJson(_) => "",
            _ => "people",
        }
    }

    /// A person's page is made of the teams, products and contracts that name them (and their
    /// own record): those are what it reads. The index lists everyone, so it reads the catalog.
    pub fn reads<'a>(self, catalog: &'a Catalog, reads: &mut crate::registry::Reads<'_, 'a>) {
        let people = &catalog.people.entries;
        match self {
            // Who is on which page depends on everyone the catalog names.
            PeoplePage::Index { .. } => {
                reads.insert(Read::Catalog);
            }
            PeoplePage::Person(i) | PeoplePage::PersonJson(i) => person_reads(&people[i], reads),
        }
    }

    pub fn body(self, catalog: &Catalog, page_size: usize) -> Result<Body> {
        Ok(match self {
            PeoplePage::Index { page } => {
                let title = if page > 1 {
                    format!("People, page {page}")
                } else {
                    "People".into()
                };
                Body::Template(title, index(catalog, page, page_size))
            }
            PeoplePage::Person(i) => {
                let p = &catalog.people.entries[i];
                Body::Template(display_name(p), person_page(catalog, p))
            }
            PeoplePage::PersonJson(i) => Body::Bytes(person_json(catalog, i)?),
        })
    }
}

fn person_reads<'a>(p: &'a PersonEntry, reads: &mut crate::registry::Reads<'_, 'a>) {
    reads.named(Named::Person, Some(&p.person.id));
    for id in &p.person.teams {
        reads.named(Named::Team, Some(id));
    }
    for r in &p.roles {
        match r.on {
            RoleOn::Team(ti) => reads.insert(Read::Team(ti)),
            RoleOn::Product(pi) => reads.insert(Read::Product(pi)),
            RoleOn::Contract(ci) => reads.insert(Read::Contract(ci)),
        };
    }
}

fn index(catalog: &Catalog, n: usize, page_size: usize) -> Value {
    let people = &catalog.people.entries;
    let (range, pagination) = pages::paginate(people.len(), n, page_size, |page| {
        listing_path("people", page)
    });
    let items: Vec<Value> = people[range]
        .iter()
        .map(|p| {
            let teams: Vec<Ref> = p
                .person
                .teams
                .iter()
                .filter_map(|t| catalog.team_ref(Some(t)))
                .collect();
            json!({
                "ref": person_ref(p),
                "email": p.person.email,
                "email_parts": p.person.email.as_deref().map(email_parts),
                "teams": teams,
                "roles": roles_summary(p),
                "products": p.products.len(),
                "contracts": p.contracts.len(),
            })
        })
        .collect();
    json!({ "items": items, "pagination": pagination })
}

/// The distinct role names of a person, for the listing.
fn roles_summary(p: &PersonEntry) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut names: Vec<String> = p
        .roles
        .iter()
        .map(|r| r.role.clone())
        .filter(|r| seen.insert(r.to_lowercase()))
        .collect();
    names.sort_by_key(|r| r.to_lowercase());
    names.truncate(6);
    names
}

fn role_place(catalog: &Catalog, on: RoleOn) -> (&'static str, Ref) {
    match on {
        RoleOn::Team(ti) => (
            "team",
            catalog
                .team_ref(Some(&catalog.teams[ti].id))
                .unwrap_or_else(|| Ref {
                    id: catalog.teams[ti].id.clone(),
                    name: catalog.teams[ti].name.clone(),
                    url: None,
                }),
        ),
        RoleOn::Product(pi) => ("product", catalog.product_ref(pi)),
        RoleOn::Contract(ci) => ("contract", catalog.contract_ref(ci)),
    }
}

fn person_page(catalog: &Catalog, p: &PersonEntry) -> Value {
    let teams: Vec<Ref> = p
        .person
        .teams
        .iter()
        .filter_map(|t| catalog.team_ref(Some(t)))
        .collect();
    let roles: Vec<Value> = p
        .roles
        .iter()
        .take(MAX_LISTED)
        .map(|r| {
            let (kind, place) = role_place(catalog, r.on);
            json!({ "role": r.role, "kind": kind, "on": place })
        })
        .collect();
    let products: Vec<Value> = p
        .products
        .iter()
        .take(MAX_LISTED)
        .map(|&pi| pages::product_item(catalog, pi))
        .collect();
    let contracts: Vec<Value> = p
        .contracts
        .iter()
        .take(MAX_LISTED)
        .map(|&ci| {
            let c = &catalog.contracts[ci];
            json!({ "ref": catalog.contract_ref(ci), "status": c.status, "version": c.version })
        })
        .collect();
    json!({
        "person": {
            "id": p.person.id,
            "name": display_name(p),
            "email": p.person.email,
            "email_parts": p.person.email.as_deref().map(email_parts),
        },
        "teams": teams,
        "roles": roles,
        "role_count": p.roles.len(),
        "products": products,
        "product_count": p.products.len(),
        "contracts": contracts,
        "contract_count": p.contracts.len(),
        "max_listed": MAX_LISTED,
        "origin": p.person.origin,
    })
}

/// An email split before `@` and `.` so that it wraps there on a narrow screen, not mid-word
/// (the template joins the parts with `<wbr>`).
pub fn email_parts(email: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    for c in email.chars() {
        if (c == '@' || c == '.') && !current.is_empty() {
            parts.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// `people/<slug>/index.json`: the person, their roles and where they appear.
fn person_json(catalog: &Catalog, i: usize) -> Result<Vec<u8>> {
    let p = &catalog.people.entries[i];
    let roles: Vec<Value> = p
        .roles
        .iter()
        .map(|r| {
            let (kind, place) = role_place(catalog, r.on);
            json!({ "role": r.role, kind: place.id })
        })
        .collect();
    let extra = json!({
        "roles": roles,
        "products": p.products.iter().map(|&pi| &catalog.products[pi].id).collect::<Vec<_>>(),
        "contracts": p.contracts.iter().map(|&ci| &catalog.contracts[ci].id).collect::<Vec<_>>(),
    });
    crate::catalog_json::record(
        "person",
        &p.person,
        person_url(&p.slug),
        extra,
        "person JSON",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_break_before_the_at_and_the_dots() {
        assert_eq!(
            email_parts("jane.doe@northwind.example"),
            vec!["jane", ".doe", "@northwind", ".example"]
        );
    }
}
