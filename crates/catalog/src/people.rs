//! Everyone the catalog names: team members, Backstage `User`s, the members, owners and approvers
//! of products and contracts. One person is one entry however many places name them, told apart
//! by id (username or email) and by email, case-insensitively.

use std::collections::HashMap;

use model::slug::SlugSet;
use model::{Member, Person};

use crate::Catalog;

/// Every person, sorted by name, with where they appear.
#[derive(Debug, Default)]
pub struct People {
    pub entries: Vec<PersonEntry>,
    /// Lower-cased id and email → entry.
    pub by_key: HashMap<String, usize>,
}

#[derive(Debug, Clone)]
pub struct PersonEntry {
    /// The person as the catalog knows them: a Backstage `User`'s record where there is one, else
    /// what the first mention says; `teams` holds every team they belong to.
    pub person: Person,
    pub slug: String,
    /// Each role with where it is held, in the order found (teams, products, contracts).
    pub roles: Vec<PersonRole>,
    pub products: Vec<usize>,
    pub contracts: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRole {
    /// `member` where the file names no role.
    pub role: String,
    pub on: RoleOn,
}

/// Where a role is held, as an index into the catalog's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleOn {
    Team(usize),
    Product(usize),
    Contract(usize),
}

impl People {
    /// The entry of a person named by id or email.
    pub fn find(&self, key: &str) -> Option<&PersonEntry> {
        self.by_key
            .get(&key.trim().to_lowercase())
            .map(|&i| &self.entries[i])
    }

    /// The entry of a team, product or contract member: by id, else by email.
    pub fn of_member(&self, m: &Member) -> Option<&PersonEntry> {
        self.find(&m.id)
            .or_else(|| m.email.as_deref().and_then(|e| self.find(e)))
    }
}

/// Gathering state: entries in the order first met.
#[derive(Default)]
struct Builder {
    entries: Vec<PersonEntry>,
    by_key: HashMap<String, usize>,
}

impl Builder {
    /// The entry for this id (or email), made on first mention; names and emails fill in.
    fn person(&mut self, id: &str, name: Option<&str>, email: Option<&str>) -> Option<usize> {
        let id = id.trim();
        let email = email.map(str::trim).filter(|e| !e.is_empty());
        let key = if id.is_empty() { email? } else { id };
        let found = self
            .by_key
            .get(&key.to_lowercase())
            .or_else(|| email.and_then(|e| self.by_key.get(&e.to_lowercase())))
            .copied();
        let i = found.unwrap_or_else(|| {
            self.entries.push(PersonEntry {
                person: Person {
                    id: key.to_string(),
                    name: None,
                    email: None,
                    teams: Vec::new(),
                    origin: None,
                },
                slug: String::new(),
                roles: Vec::new(),
                products: Vec::new(),
                contracts: Vec::new(),
            });
            self.entries.len() - 1
        });
        let p = &mut self.entries[i].person;
        if p.name.is_none() {
            p.name = name
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(String::from);
        }
        if p.email.is_none() {
            p.email = email
                .map(String::from)
                .or_else(|| key.contains('@').then(|| key.to_string()));
        }
        self.by_key.entry(key.to_lowercase()).or_insert(i);
        if let Some(e) = &self.entries[i].person.email {
            self.by_key.entry(e.to_lowercase()).or_insert(i);
        }
        Some(i)
    }

    fn member(&mut self, m: &Member, on: RoleOn) -> Option<usize> {
        let i = self.person(&m.id, m.name.as_deref(), m.email.as_deref())?;
        self.role(i, m.role.as_deref().unwrap_or("member"), on);
        Some(i)
    }

    fn role(&mut self, i: usize, role: &str, on: RoleOn) {
        let role = PersonRole {
            role: role.to_string(),
            on,
        };
        let e = &mut self.entries[i];
        if !e.roles.contains(&role) {
            e.roles.push(role);
        }
        match on {
            RoleOn::Team(_) => {}
            RoleOn::Product(pi) => e.products.push(pi),
            RoleOn::Contract(ci) => e.contracts.push(ci),
        }
    }
}

/// Whether an owner or approver names a person rather than a team.
fn names_person(catalog: &Catalog, who: &str) -> bool {
    !catalog.team_by_id.contains_key(who)
        && (who.contains('@') || catalog.person_by_id.contains_key(who))
}

/// Index every person the catalog names.
pub fn attach(catalog: &mut Catalog) {
    catalog.people = build(catalog);
}

/// What [`attach`] adds, read from the catalog alone (so other passes can run beside it).
pub fn build(catalog: &Catalog) -> People {
    let mut b = Builder::default();
    for p in &catalog.persons {
        if let Some(i) = b.person(&p.id, p.name.as_deref(), p.email.as_deref()) {
            let e = &mut b.entries[i].person;
            e.origin = p.origin.clone();
            e.teams.extend(p.teams.iter().cloned());
        }
    }
    for (ti, t) in catalog.teams.iter().enumerate() {
        for m in &t.members {
            if let Some(i) = b.member(m, RoleOn::Team(ti)) {
                b.entries[i].person.teams.push(t.id.clone());
            }
        }
    }
    for (pi, p) in catalog.products.iter().enumerate() {
        if let Some(owner) = p.owner.as_deref().filter(|o| names_person(catalog, o)) {
            if let Some(i) = b.person(owner, None, None) {
                b.role(i, "owner", RoleOn::Product(pi));
            }
        }
        for m in &p.members {
            b.member(m, RoleOn::Product(pi));
        }
    }
    for (ci, c) in catalog.contracts.iter().enumerate() {
        if let Some(owner) = c.owner.as_deref().filter(|o| names_person(catalog, o)) {
            if let Some(i) = b.person(owner, None, None) {
                b.role(i, "owner", RoleOn::Contract(ci));
            }
        }
        for m in &c.members {
            b.member(m, RoleOn::Contract(ci));
        }
        for role in &c.roles {
            for approver in &role.approvers {
                // An approver that is not a person (a team, a role or a group mailbox) has no page.
                let known = b.by_key.contains_key(&approver.trim().to_lowercase());
                let person_like = approver.contains('@') || approver.trim().contains(' ');
                if catalog.team_by_id.contains_key(approver.as_str()) || !(known || person_like) {
                    continue;
                }
                if let Some(i) = b.person(approver, None, None) {
                    let what = format!("approver of {}", role.name);
                    b.role(i, &what, RoleOn::Contract(ci));
                }
            }
        }
    }
    finish(b)
}

/// Sort by name, give slugs, and index (every id and email met stays a key).
fn finish(b: Builder) -> People {
    let mut entries = b.entries;
    for e in &mut entries {
        e.person.teams.sort();
        e.person.teams.dedup();
        e.products.sort_unstable();
        e.products.dedup();
        e.contracts.sort_unstable();
        e.contracts.dedup();
    }
    let key = |e: &PersonEntry| {
        let name = e.person.name.as_deref().unwrap_or(&e.person.id);
        (name.to_lowercase(), e.person.id.to_lowercase())
    };
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&i| key(&entries[i]));
    let mut new_index = vec![0; entries.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut slots: Vec<Option<PersonEntry>> = entries.into_iter().map(Some).collect();
    let mut slugs = SlugSet::default();
    let entries: Vec<PersonEntry> = order
        .iter()
        .map(|&old| {
            let mut e = slots[old].take().expect("each entry is moved once");
            e.slug = slugs.assign(&e.person.id);
            e
        })
        .collect();
    let by_key = b
        .by_key
        .into_iter()
        .map(|(k, old)| (k, new_index[old]))
        .collect();
    People { entries, by_key }
}
