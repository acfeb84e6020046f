//! Build the catalog: de-duplicate ids, resolve owners, domains, contracts and dependencies.
//! Every reference that cannot be resolved is kept visible and reported, never dropped.

use model::Code;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

use super::versions::{self, Version};
use super::{Catalog, Dependency};
use formats::Document;
use model::diagnostics::Diagnostic;
use model::slug::SlugSet;
use model::{
    Agreement, DataContract, DataProduct, Domain, InputPort, Origin, OutputPort, Person,
    SourceSystem, Team,
};

/// Build the catalog from all parsed documents (in crawl order) and the diagnostics so far.
pub(crate) fn resolve(
    sources: Vec<String>,
    documents: Vec<Document>,
    mut diagnostics: Vec<Diagnostic>,
) -> Catalog {
    let documents = super::repeats::collapse(documents, &mut diagnostics);
    let mut e = Entities::partition(documents);
    e.dedupe(&mut diagnostics);
    e.resolve_owners();

    let mut catalog = Catalog {
        sources,
        ..Catalog::default()
    };
    catalog.product_by_id = index(&e.products, |p| &p.id);
    catalog.contract_by_id = index(&e.contracts, |c| &c.id);
    assign_contract_providers(&mut catalog, &e.products, &mut diagnostics);
    check_contract_products(&catalog, &e.contracts, &mut diagnostics);
    inherit_from_providers(&catalog, &e.products, &mut e.contracts);
    inherit_from_providers(&catalog, &e.products, &mut e.other_contracts);
    e.add_named_domains();

    assign_slugs(
        &mut e.products,
        &mut e.contracts,
        &mut e.teams,
        &mut e.domains,
    );
    e.share_slugs_with_versions();
    catalog.team_by_id = index(&e.teams, |t| &t.id);
    catalog.domain_by_id = index(&e.domains, |d| &d.id);
    catalog.person_by_id = index(&e.persons, |p| &p.id);

    resolve_dependencies(
        &mut catalog,
        &mut e.products,
        &e.agreements,
        &e.systems,
        &mut diagnostics,
    );

    group_by_team_and_domain(&mut catalog, &e);
    build_indices(&mut catalog, &e.products, &e.teams, &e.persons);
    e.move_into(&mut catalog);
    // Routed, sorted and indexed with those of the later passes (`index_diagnostics`).
    catalog.diagnostics = diagnostics;
    catalog
}

/// The lineage graph of a resolved catalog, and its warnings.
pub(crate) fn lineage(catalog: &Catalog) -> (super::lineage::Lineage, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let lineage = super::lineage::build(
        catalog,
        &catalog.products,
        &catalog.contracts,
        &catalog.agreements,
        &catalog.systems,
        &mut diagnostics,
    );
    (lineage, diagnostics)
}

/// [`versions::split`] of boxed entities: each is moved out of its box once, into its final
/// list (a product or contract is a large struct, and the split moves entities several times).
fn split_boxed<T: versions::Versioned>(
    items: Vec<Box<T>>,
    what: &str,
) -> (versions::Split<T>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let split = versions::split(items, what, &mut diagnostics);
    let unbox = |list: Vec<Box<T>>| list.into_iter().map(|b| *b).collect::<Vec<T>>();
    let split = versions::Split {
        current: unbox(split.current),
        others: unbox(split.others),
        versions: split.versions,
    };
    (split, diagnostics)
}

/// The entities of all documents, by kind, while `resolve` normalises them.
struct Entities {
    /// The current version of each product and contract id, sorted by id.
    products: Vec<DataProduct>,
    contracts: Vec<DataContract>,
    /// The products and contracts of the documents, boxed as read, until `dedupe` splits them:
    /// sorting and grouping then moves pointers, not the large structs.
    #[allow(clippy::vec_box)]
    read_products: Vec<Box<DataProduct>>,
    #[allow(clippy::vec_box)]
    read_contracts: Vec<Box<DataContract>>,
    /// Their other versions, and per current entity its version list.
    other_products: Vec<DataProduct>,
    other_contracts: Vec<DataContract>,
    product_versions: Vec<Vec<Version>>,
    contract_versions: Vec<Vec<Version>>,
    teams: Vec<Team>,
    persons: Vec<Person>,
    domains: Vec<Domain>,
    agreements: Vec<Agreement>,
    systems: Vec<SourceSystem>,
}

impl Entities {
    fn partition(documents: Vec<Document>) -> Self {
        // Sized first, so that the lists are not grown (and copied) again and again.
        let (mut products, mut contracts) = (0, 0);
        for doc in &documents {
            match doc {
                Document::Product(_) => products += 1,
                Document::Contract(_) => contracts += 1,
                _ => {}
            }
        }
        let mut e = Entities {
            products: Vec::new(),
            contracts: Vec::new(),
            read_products: Vec::with_capacity(products),
            read_contracts: Vec::with_capacity(contracts),
            other_products: Vec::new(),
            other_contracts: Vec::new(),
            product_versions: Vec::new(),
            contract_versions: Vec::new(),
            teams: Vec::new(),
            persons: Vec::new(),
            domains: Vec::new(),
            agreements: Vec::new(),
            systems: Vec::new(),
        };
        for doc in documents {
            match doc {
                Document::Product(p) => e.read_products.push(p),
                Document::Contract(c) => e.read_contracts.push(c),
                Document::Team(t) => e.teams.push(t),
                Document::Person(p) => e.persons.push(p),
                Document::Domain(d) => e.domains.push(d),
                Document::Agreement(a) => e.agreements.push(a),
                Document::System(s) => e.systems.push(s),
                // Snapshots are merged after the catalog is built (`catalog::metrics::attach`).
                // Terms are indexed by `catalog::glossary` after the catalog is built.
                Document::Metrics(_) | Document::Term(_) => {}
                // Documentation is attached after the catalog is built (`catalog::docs`).
                Document::Narrative(_) => {}
            }
        }
        e
    }

    /// Sort every kind by id; split products and contracts into their versions (reporting two
    /// documents of one version), merge the rest.
    fn dedupe(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        // Products and contracts are split side by side; their reports keep this order.
        let (products, contracts) = (
            std::mem::take(&mut self.read_products),
            std::mem::take(&mut self.read_contracts),
        );
        let ((products, product_reports), (contracts, contract_reports)) = rayon::join(
            || split_boxed(products, "data product"),
            || split_boxed(contracts, "data contract"),
        );
        diagnostics.extend(product_reports);
        diagnostics.extend(contract_reports);
        self.products = products.current;
        self.other_products = products.others;
        self.product_versions = products.versions;
        self.contracts = contracts.current;
        self.other_contracts = contracts.others;
        self.contract_versions = contracts.versions;

        // Teams and domains defined in several places are merged: first definition wins per field.
        self.teams = merge_teams(std::mem::take(&mut self.teams));
        self.domains = merge_domains(std::mem::take(&mut self.domains));
        self.persons.sort_by(|a, b| a.id.cmp(&b.id));
        self.persons.dedup_by(|a, b| a.id == b.id);
        self.systems.sort_by(|a, b| a.id.cmp(&b.id));
        self.systems.dedup_by(|a, b| a.id == b.id);
        self.agreements.sort_by(|a, b| a.id.cmp(&b.id));
    }

    /// Owners: a reference may be a team id, a team's display name, or a Backstage ref. A
    /// Backstage user (`user:frank.tiernan`, or a bare name that only a `User` defines) is a
    /// person: the owner is the person's id and no team is made up for it. Any other owner no
    /// team defines becomes an implicit team, so that it still gets a page.
    fn resolve_owners(&mut self) {
        let owner_lookup = OwnerLookup::new(&self.teams);
        let person_ids: std::collections::HashSet<String> =
            self.persons.iter().map(|p| p.id.clone()).collect();
        let mut implicit_teams: BTreeMap<String, String> = BTreeMap::new();
        let mut resolve_owner = |owner: &mut Option<String>| {
            if let Some(o) = owner.as_mut() {
                if let Some(person) = person_owner(o, &person_ids, &owner_lookup) {
                    *o = person;
                    return;
                }
                match owner_lookup.find(o) {
                    Some(id) => *o = id,
                    None => {
                        let id = model::slug::slug(&formats::backstage::entity_name(o));
                        implicit_teams
                            .entry(id.clone())
                            .or_insert_with(|| o.clone());
                        *o = id;
                    }
                }
            }
        };
        self.products
            .iter_mut()
            .for_each(|p| resolve_owner(&mut p.owner));
        self.contracts
            .iter_mut()
            .for_each(|c| resolve_owner(&mut c.owner));
        self.domains
            .iter_mut()
            .for_each(|d| resolve_owner(&mut d.owner));
        // Other versions add no team: they name a defined team or person, an implicit team of
        // the current versions (when written the same way), or else an owner that stays as
        // written, so that their page still shows it.
        let other_owner = |owner: &mut Option<String>| {
            if let Some(o) = owner.as_mut() {
                let implicit = || {
                    let id = model::slug::slug(&formats::backstage::entity_name(o));
                    (implicit_teams.get(&id) == Some(&*o)).then_some(id)
                };
                if let Some(id) = person_owner(o, &person_ids, &owner_lookup)
                    .or_else(|| owner_lookup.find(o))
                    .or_else(implicit)
                {
                    *o = id;
                }
            }
        };
        self.other_products
            .iter_mut()
            .for_each(|p| other_owner(&mut p.owner));
        self.other_contracts
            .iter_mut()
            .for_each(|c| other_owner(&mut c.owner));
        // Systems name their owner but do not make up teams: one that no file defines stays as
        // written.
        for s in self.systems.iter_mut() {
            if let Some(o) = s.owner.as_mut() {
                if let Some(person) = person_owner(o, &person_ids, &owner_lookup) {
                    *o = person;
                } else if let Some(id) = owner_lookup.find(o) {
                    *o = id;
                }
            }
        }
        self.teams.extend(
            implicit_teams
                .into_iter()
                .map(|(id, name)| implicit_team(id, name)),
        );
        self.teams.sort_by(|a, b| a.id.cmp(&b.id));
    }

    /// Domains named anywhere but defined nowhere still get a page.
    fn add_named_domains(&mut self) {
        let mut domain_refs: Vec<String> = self
            .products
            .iter()
            .filter_map(|p| p.domain.clone())
            .chain(self.contracts.iter().filter_map(|c| c.domain.clone()))
            .chain(self.teams.iter().filter_map(|t| t.domain.clone()))
            .chain(self.systems.iter().filter_map(|s| s.domain.clone()))
            .collect();
        domain_refs.sort();
        domain_refs.dedup();
        // Defined domains are sorted by id (`merge_domains`): a search each, not a scan.
        let defined = self.domains.len();
        for d in domain_refs {
            if self.domains[..defined]
                .binary_search_by(|x| x.id.as_str().cmp(&d))
                .is_err()
            {
                self.domains.push(Domain {
                    slug: String::new(),
                    name: d.clone(),
                    id: d,
                    description: None,
                    owner: None,
                    parent: None,
                    links: Vec::new(),
                    origin: None,
                });
            }
        }
        self.domains.sort_by(|a, b| a.id.cmp(&b.id));
    }

    /// Other versions live under their current version's page, so they take its slug.
    fn share_slugs_with_versions(&mut self) {
        for (pi, list) in self.product_versions.iter().enumerate() {
            for o in list.iter().filter_map(|v| v.other) {
                self.other_products[o].slug = self.products[pi].slug.clone();
            }
        }
        for (ci, list) in self.contract_versions.iter().enumerate() {
            for o in list.iter().filter_map(|v| v.other) {
                self.other_contracts[o].slug = self.contracts[ci].slug.clone();
            }
        }
    }

    fn move_into(self, catalog: &mut Catalog) {
        catalog.products = self.products;
        catalog.contracts = self.contracts;
        catalog.other_products = self.other_products;
        catalog.other_contracts = self.other_contracts;
        catalog.product_versions = self.product_versions;
        catalog.contract_versions = self.contract_versions;
        catalog.teams = self.teams;
        catalog.persons = self.persons;
        catalog.domains = self.domains;
        catalog.agreements = self.agreements;
        catalog.systems = self.systems;
    }
}

/// Record which product exposes each contract; a second product claiming it is reported.
fn assign_contract_providers(
    catalog: &mut Catalog,
    products: &[DataProduct],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (pi, p) in products.iter().enumerate() {
        for (oi, port) in p.output_ports.iter().enumerate() {
            if let Some(cid) = &port.contract_id {
                match catalog.contract_provider.get(cid) {
                    Some(&(other, _)) if other != pi => diagnostics.push(
                        Diagnostic::warning(
                            Code::ContractClaimedTwice,
                            format!(
                                "output port `{}` exposes contract `{cid}`, which product `{}` already exposes",
                                port.name, products[other].id
                            ),
                        )
                        .at_file(&p.origin.source, &p.origin.path)
                        .at(if port.line > 0 { port.line } else { p.origin.line.max(1) }, 1)
                        .hint("a contract belongs to one provider; give this port its own contract"),
                    ),
                    Some(_) => {}
                    None => {
                        catalog.contract_provider.insert(cid.clone(), (pi, oi));
                    }
                }
            }
        }
    }
}

/// A contract's `dataProduct` that names no product of the mesh is a warning at that key (the
/// page still shows the name, unlinked).
fn check_contract_products(
    catalog: &Catalog,
    contracts: &[DataContract],
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Many contracts name the same missing product: look for its nearest id once.
    let mut suggestions: HashMap<&str, Option<&String>> = HashMap::new();
    for c in contracts {
        let Some(wanted) = c.data_product.as_deref() else {
            continue;
        };
        if catalog.product_by_id.contains_key(wanted) {
            continue;
        }
        let at = c.data_product_at.unwrap_or(model::At {
            line: c.origin.line,
            column: 1,
        });
        let near = *suggestions
            .entry(wanted)
            .or_insert_with(|| nearest(wanted, catalog.product_by_id.keys()));
        let hint = match near {
            Some(k) => format!("did you mean `{k}`? (ids must match exactly)"),
            None => format!("write the id of the product that exposes this contract; no source defines `{wanted}` (is its repository listed in meshdoc.toml?)"),
        };
        diagnostics.push(
            Diagnostic::warning(
                Code::UnresolvedReference,
                format!(
                    "contract `{}` names data product `{wanted}`, which no source defines",
                    c.id
                ),
            )
            .at_file(&c.origin.source, &c.origin.path)
            .at(at.line.max(1), at.column.max(1))
            .hint(hint),
        );
    }
}

/// Contracts inherit domain, owner and product from the product that exposes them.
fn inherit_from_providers(
    catalog: &Catalog,
    products: &[DataProduct],
    contracts: &mut [DataContract],
) {
    for c in contracts.iter_mut() {
        if let Some(&(pi, _)) = catalog.contract_provider.get(&c.id) {
            let p = &products[pi];
            if c.domain.is_none() {
                c.domain = p.domain.clone();
            }
            if c.owner.is_none() {
                c.owner = p.owner.clone();
            }
            if c.data_product.is_none()
                || c.data_product
                    .as_deref()
                    .is_some_and(|d| !catalog.product_by_id.contains_key(d))
            {
                c.data_product = Some(p.id.clone());
            }
        }
    }
}

/// Per team and per domain: the products and contracts it owns.
fn group_by_team_and_domain(catalog: &mut Catalog, e: &Entities) {
    catalog.team_products = vec![Vec::new(); e.teams.len()];
    catalog.team_contracts = vec![Vec::new(); e.teams.len()];
    catalog.domain_products = vec![Vec::new(); e.domains.len()];
    catalog.domain_contracts = vec![Vec::new(); e.domains.len()];
    catalog.domain_systems = vec![Vec::new(); e.domains.len()];
    for (i, p) in e.products.iter().enumerate() {
        if let Some(&t) = p.owner.as_ref().and_then(|o| catalog.team_by_id.get(o)) {
            catalog.team_products[t].push(i);
        }
        if let Some(&d) = p.domain.as_ref().and_then(|o| catalog.domain_by_id.get(o)) {
            catalog.domain_products[d].push(i);
        }
    }
    for (i, s) in e.systems.iter().enumerate() {
        if let Some(&d) = s.domain.as_ref().and_then(|o| catalog.domain_by_id.get(o)) {
            catalog.domain_systems[d].push(i);
        }
    }
    let persons = &catalog.person_by_id;
    let owns = &mut catalog.person_owns;
    person_owned(owns, persons, e.systems.iter().map(|s| &s.owner), |o| {
        &mut o.systems
    });
    person_owned(owns, persons, e.products.iter().map(|p| &p.owner), |o| {
        &mut o.products
    });
    person_owned(owns, persons, e.domains.iter().map(|d| &d.owner), |o| {
        &mut o.domains
    });
    person_owned(owns, persons, e.contracts.iter().map(|c| &c.owner), |o| {
        &mut o.contracts
    });
    for (i, c) in e.contracts.iter().enumerate() {
        if let Some(&t) = c.owner.as_ref().and_then(|o| catalog.team_by_id.get(o)) {
            catalog.team_contracts[t].push(i);
        }
        if let Some(&d) = c.domain.as_ref().and_then(|o| catalog.domain_by_id.get(o)) {
            catalog.domain_contracts[d].push(i);
        }
    }
}

/// Index the entities of one kind (given as their owners, in catalog order) under the person
/// that owns each (Backstage `spec.owner: user:…`); owners that are teams are left out.
fn person_owned<'a>(
    owns: &mut HashMap<String, super::PersonOwns>,
    persons: &HashMap<String, usize>,
    owners: impl Iterator<Item = &'a Option<String>>,
    list: fn(&mut super::PersonOwns) -> &mut Vec<usize>,
) {
    for (i, owner) in owners.enumerate() {
        if let Some(o) = owner.as_ref().filter(|o| persons.contains_key(*o)) {
            list(owns.entry(o.clone()).or_default()).push(i);
        }
    }
}

fn index<T>(items: &[T], id: impl Fn(&T) -> &String) -> HashMap<String, usize> {
    items
        .iter()
        .enumerate()
        .map(|(i, t)| (id(t).clone(), i))
        .collect()
}

fn merge_teams(mut teams: Vec<Team>) -> Vec<Team> {
    teams.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.origin.cmp(&b.origin)));
    let mut out: Vec<Team> = Vec::with_capacity(teams.len());
    for t in teams {
        match out.last_mut().filter(|last| last.id == t.id) {
            Some(last) => {
                if last.name == last.id && t.name != t.id {
                    last.name = t.name;
                }
                last.kind = last.kind.take().or(t.kind);
                last.description = last.description.take().or(t.description);
                last.domain = last.domain.take().or(t.domain);
                last.parent = last.parent.take().or(t.parent);
                last.email = last.email.take().or(t.email);
                for m in t.members {
                    if !last.members.iter().any(|x| x.id == m.id) {
                        last.members.push(m);
                    }
                }
                last.links.extend(t.links);
                last.custom.extend(t.custom);
            }
            None => out.push(t),
        }
    }
    out
}

fn merge_domains(mut domains: Vec<Domain>) -> Vec<Domain> {
    domains.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.origin.cmp(&b.origin)));
    let mut out: Vec<Domain> = Vec::with_capacity(domains.len());
    for d in domains {
        match out.last_mut().filter(|last| last.id == d.id) {
            Some(last) => {
                last.description = last.description.take().or(d.description);
                last.owner = last.owner.take().or(d.owner);
                last.links.extend(d.links);
            }
            None => out.push(d),
        }
    }
    out
}

/// The person an owner reference names: `user:name` always (defined or not), a bare name only
/// when a person has that id and no team answers to it.
fn person_owner(
    reference: &str,
    persons: &std::collections::HashSet<String>,
    teams: &OwnerLookup,
) -> Option<String> {
    if let Some((kind, _)) = reference.split_once(':') {
        if kind.eq_ignore_ascii_case("user") {
            return Some(formats::backstage::entity_name(reference));
        }
    }
    (persons.contains(reference) && teams.find(reference).is_none()).then(|| reference.to_string())
}

/// Finds a team by id, by display name (any case), or by Backstage reference.
struct OwnerLookup {
    ids: HashMap<String, String>,
    names: HashMap<String, String>,
}

impl OwnerLookup {
    fn new(teams: &[Team]) -> Self {
        OwnerLookup {
            ids: teams.iter().map(|t| (t.id.clone(), t.id.clone())).collect(),
            names: teams
                .iter()
                .map(|t| (t.name.to_lowercase(), t.id.clone()))
                .collect(),
        }
    }

    fn find(&self, reference: &str) -> Option<String> {
        self.ids
            .get(reference)
            .or_else(|| self.ids.get(&formats::backstage::entity_name(reference)))
            .or_else(|| self.names.get(&reference.to_lowercase()))
            .or_else(|| self.ids.get(&model::slug::slug(reference)))
            .cloned()
    }
}

fn assign_slugs(
    products: &mut [DataProduct],
    contracts: &mut [DataContract],
    teams: &mut [Team],
    domains: &mut [Domain],
) {
    let mut set = SlugSet::default();
    products.iter_mut().for_each(|p| p.slug = set.assign(&p.id));
    let mut set = SlugSet::default();
    contracts
        .iter_mut()
        .for_each(|c| c.slug = set.assign(&c.id));
    let mut set = SlugSet::default();
    teams.iter_mut().for_each(|t| t.slug = set.assign(&t.id));
    let mut set = SlugSet::default();
    domains.iter_mut().for_each(|d| d.slug = set.assign(&d.id));
}

/// The known id closest to `wanted`, for "did you mean" hints.
pub fn nearest<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a String>,
) -> Option<&'a String> {
    candidates
        .map(|c| (strsim::normalized_damerau_levenshtein(wanted, c), c))
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

fn unresolved(
    origin: &Origin,
    line: u32,
    what: String,
    wanted: &str,
    known: Option<&String>,
) -> Diagnostic {
    let hint = match known {
        Some(k) => format!("did you mean `{k}`? (ids must match exactly)"),
        None => format!("check the id; no source defines `{wanted}` (is its repository listed in meshdoc.toml?)"),
    };
    Diagnostic::warning(Code::UnresolvedReference, what)
        .at_file(&origin.source, &origin.path)
        .at(if line > 0 { line } else { origin.line }, 1)
        .hint(hint)
}

/// Connect input ports to the products they read, through contracts, declared product ids and
/// data usage agreements. Each product's ports are resolved on their own (on every core); the
/// warnings keep product order.
fn resolve_dependencies(
    catalog: &mut Catalog,
    products: &mut [DataProduct],
    agreements: &[Agreement],
    systems: &[SourceSystem],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let pass = DependencyPass::new(catalog, products, systems);
    let found: Vec<Found> = products
        .par_iter_mut()
        .enumerate()
        .map(|(pi, p)| {
            let consumer = Consumer {
                index: pi,
                id: &p.id,
                origin: &p.origin,
            };
            let mut found = Found::default();
            for port in p.input_ports.iter_mut() {
                pass.input_port(&consumer, port, &mut found);
            }
            for port in &p.output_ports {
                pass.output_port(&consumer, port, &mut found);
            }
            found
        })
        .collect();
    let mut upstream = Vec::with_capacity(found.len());
    for f in found {
        upstream.push(f.upstream);
        diagnostics.extend(f.diagnostics);
    }
    for a in agreements {
        pass.agreement(a, &mut upstream, diagnostics);
    }
    let downstream = downstream_of(&mut upstream);
    catalog.upstream = upstream;
    catalog.downstream = downstream;
}

/// What resolving one product's ports found: the products it reads from, and warnings.
#[derive(Default)]
struct Found {
    upstream: Vec<Dependency>,
    diagnostics: Vec<Diagnostic>,
}

/// The product whose ports a `DependencyPass` is resolving.
struct Consumer<'c> {
    index: usize,
    id: &'c str,
    origin: &'c Origin,
}

/// The state of `resolve_dependencies`: lookups, the upstream links found so far, diagnostics.
struct DependencyPass<'a> {
    catalog: &'a Catalog,
    system_ids: HashMap<&'a String, ()>,
    // Read-only copies, since the pass rewrites ports in place.
    ids: Vec<String>,
    port_names: Vec<Vec<String>>,
    port_contracts: Vec<Vec<(String, Option<String>)>>,
}

impl<'a> DependencyPass<'a> {
    fn new(catalog: &'a Catalog, products: &[DataProduct], systems: &'a [SourceSystem]) -> Self {
        DependencyPass {
            catalog,
            system_ids: systems.iter().map(|s| (&s.id, ())).collect(),
            ids: products.iter().map(|p| p.id.clone()).collect(),
            port_names: products
                .iter()
                .map(|p| p.output_ports.iter().map(|o| o.id.clone()).collect())
                .collect(),
            port_contracts: products
                .iter()
                .map(|p| {
                    p.output_ports
                        .iter()
                        .map(|o| (o.id.clone(), o.contract_id.clone()))
                        .collect()
                })
                .collect(),
        }
    }

    fn input_port(&self, consumer: &Consumer, port: &mut InputPort, found: &mut Found) {
        if let Some(cid) = port.contract_id.clone() {
            self.input_contract(consumer, port, cid, found);
        }
        // DPS names the upstream port rather than its contract: take the contract from there.
        if port.contract_id.is_none() {
            if let (Some(sp), Some(spp)) = (&port.source_product, &port.source_port) {
                if let Some(&provider) = self.catalog.product_by_id.get(sp) {
                    port.contract_id = self.port_contracts[provider]
                        .iter()
                        .find(|(id, _)| id == spp)
                        .and_then(|(_, c)| c.clone());
                }
            }
        }
        if port.contract_id.is_none() || port.source_product.is_some() {
            if let Some(sp) = port.source_product.clone() {
                self.input_product(consumer, port, sp, found);
            }
        }
        // DPS writes upstream products into `sourceSystemId` too.
        if let Some(sys) = port.source_system.clone() {
            self.input_system(consumer, port, sys, found);
        }
    }

    /// An input port that reads a contract links to the product exposing it.
    fn input_contract(
        &self,
        consumer: &Consumer,
        port: &mut InputPort,
        cid: String,
        found: &mut Found,
    ) {
        let pi = consumer.index;
        match self.catalog.contract_provider.get(&cid) {
            Some(&(provider, oport)) => {
                port.source_product = Some(self.ids[provider].clone());
                port.source_port = Some(self.port_names[provider][oport].clone());
                if provider != pi {
                    found.upstream.push(Dependency {
                        product: provider,
                        contract: Some(cid.clone()),
                        via: "inputPort",
                    });
                }
            }
            None if self.catalog.contract_by_id.contains_key(&cid) => {}
            None => found.diagnostics.push(unresolved(
                consumer.origin,
                port.line,
                format!(
                    "input port `{}` of `{}` reads contract `{cid}`, which no product exposes",
                    port.name, consumer.id
                ),
                &cid,
                nearest(&cid, self.catalog.contract_provider.keys()),
            )),
        }
    }

    /// An input port that names its upstream product directly.
    fn input_product(&self, consumer: &Consumer, port: &InputPort, sp: String, found: &mut Found) {
        let pi = consumer.index;
        match self.catalog.product_by_id.get(&sp) {
            Some(&provider) if provider != pi => {
                if !found.upstream.iter().any(|d| d.product == provider) {
                    found.upstream.push(Dependency {
                        product: provider,
                        contract: port.contract_id.clone(),
                        via: "inputPort",
                    });
                }
            }
            Some(_) => {}
            None => {
                found.diagnostics.push(unresolved(
                    consumer.origin,
                    port.line,
                    format!(
                        "input port `{}` of `{}` reads data product `{sp}`, which no source defines",
                        port.name, consumer.id
                    ),
                    &sp,
                    nearest(&sp, self.catalog.product_by_id.keys()),
                ));
            }
        }
    }

    /// A source system that is really a data product becomes the port's source product.
    fn input_system(
        &self,
        consumer: &Consumer,
        port: &mut InputPort,
        sys: String,
        found: &mut Found,
    ) {
        let pi = consumer.index;
        if let Some(&provider) = self.catalog.product_by_id.get(&sys) {
            port.source_product = Some(sys);
            port.source_system = None;
            if provider != pi && !found.upstream.iter().any(|d| d.product == provider) {
                found.upstream.push(Dependency {
                    product: provider,
                    contract: None,
                    via: "inputPort",
                });
            }
        } else if !self.system_ids.contains_key(&sys) {
            found.diagnostics.push(
                Diagnostic::new(
                    model::diagnostics::Severity::Info,
                    Code::ExternalSystem,
                    format!(
                        "input port `{}` of `{}` reads from `{sys}`, which is neither a data product nor a described source system",
                        port.name, consumer.id
                    ),
                )
                .at_file(&consumer.origin.source, &consumer.origin.path)
                .at(port.line, 1)
                .hint("describe the system in a source-system file to give it a name and owner"),
            );
        }
    }

    /// An output port links to the products exposing its `inputContracts`; its own contract must
    /// exist.
    fn output_port(&self, consumer: &Consumer, port: &OutputPort, found: &mut Found) {
        let pi = consumer.index;
        for cid in &port.input_contracts {
            match self.catalog.contract_provider.get(cid) {
                Some(&(provider, _)) if provider != pi => {
                    if !found.upstream
                        .iter()
                        .any(|d| d.product == provider && d.contract.as_ref() == Some(cid))
                    {
                        found.upstream.push(Dependency {
                            product: provider,
                            contract: Some(cid.clone()),
                            via: "inputContracts",
                        });
                    }
                }
                Some(_) => {}
                None if self.catalog.contract_by_id.contains_key(cid) => {}
                None => found.diagnostics.push(unresolved(
                    consumer.origin,
                    port.line,
                    format!(
                        "output port `{}` of `{}` is built from contract `{cid}`, which no product exposes",
                        port.name, consumer.id
                    ),
                    cid,
                    nearest(cid, self.catalog.contract_provider.keys()),
                )),
            }
        }
        if let Some(cid) = &port.contract_id {
            if !self.catalog.contract_by_id.contains_key(cid) {
                found.diagnostics.push(unresolved(
                    consumer.origin,
                    port.line,
                    format!(
                        "output port `{}` of `{}` names contract `{cid}`, which no source defines",
                        port.name, consumer.id
                    ),
                    cid,
                    nearest(cid, self.catalog.contract_by_id.keys()),
                ));
            }
        }
    }

    /// A data usage agreement links its consumer product to its provider product.
    fn agreement(
        &self,
        a: &Agreement,
        upstream: &mut [Vec<Dependency>],
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let catalog = self.catalog;
        let provider = catalog.product_by_id.get(&a.provider_product).copied();
        let consumer = a
            .consumer_product
            .as_ref()
            .and_then(|c| catalog.product_by_id.get(c))
            .copied();
        match (provider, consumer) {
            (Some(p), Some(c)) if p != c && !upstream[c].iter().any(|d| d.product == p) => {
                let contract = a
                    .provider_port
                    .as_ref()
                    .and_then(|port| self.port_contracts[p].iter().find(|(id, _)| id == port))
                    .and_then(|(_, c)| c.clone());
                upstream[c].push(Dependency {
                    product: p,
                    contract,
                    via: "agreement",
                });
            }
            (Some(_), Some(_)) => {}
            (None, _) => diagnostics.push(unresolved(
                &a.origin,
                0,
                format!(
                    "agreement `{}` names provider product `{}`, which no source defines",
                    a.id, a.provider_product
                ),
                &a.provider_product,
                nearest(&a.provider_product, catalog.product_by_id.keys()),
            )),
            (_, None) if a.consumer_product.is_some() => {
                let wanted = a.consumer_product.clone().unwrap_or_default();
                diagnostics.push(unresolved(
                    &a.origin,
                    0,
                    format!(
                        "agreement `{}` names consumer product `{wanted}`, which no source defines",
                        a.id
                    ),
                    &wanted,
                    nearest(&wanted, catalog.product_by_id.keys()),
                ));
            }
            _ => {}
        }
    }
}

/// Sort and de-duplicate each product's upstream links; return the reverse (downstream) links.
fn downstream_of(upstream: &mut [Vec<Dependency>]) -> Vec<Vec<Dependency>> {
    let mut downstream: Vec<Vec<Dependency>> = vec![Vec::new(); upstream.len()];
    for (pi, ups) in upstream.iter_mut().enumerate() {
        ups.sort();
        ups.dedup_by(|a, b| a.product == b.product);
        for d in ups.iter() {
            downstream[d.product].push(Dependency {
                product: pi,
                contract: d.contract.clone(),
                via: d.via,
            });
        }
    }
    downstream.iter_mut().for_each(|d| d.sort());
    downstream
}

/// Each diagnostic goes to the team that owns its file (or, for a file nothing could be read
/// from, the team that owns most of its source), so the health page can route it.
pub(crate) fn assign_diagnostic_teams(
    diagnostics: &mut [Diagnostic],
    products: [&[DataProduct]; 2],
    contracts: [&[DataContract]; 2],
    teams: &[Team],
) {
    // The owner maps cover every entity: not built when no diagnostic waits for a team.
    if diagnostics.iter().all(|d| d.team.is_some()) {
        return;
    }
    let mut by_file: HashMap<(&str, &str), &str> = HashMap::new();
    let mut by_source: HashMap<&str, BTreeMap<&str, usize>> = HashMap::new();
    let owned = products
        .into_iter()
        .flatten()
        .filter_map(|p| Some((&p.origin, p.owner.as_deref()?)))
        .chain(
            contracts
                .into_iter()
                .flatten()
                .filter_map(|c| Some((&c.origin, c.owner.as_deref()?))),
        )
        .chain(
            teams
                .iter()
                .filter_map(|t| Some((t.origin.as_ref()?, t.id.as_str()))),
        );
    for (origin, owner) in owned {
        by_file
            .entry((origin.source.as_str(), origin.path.as_str()))
            .or_insert(owner);
        *by_source
            .entry(origin.source.as_str())
            .or_default()
            .entry(owner)
            .or_default() += 1;
    }
    for d in diagnostics.iter_mut() {
        if d.team.is_some() {
            continue;
        }
        let team = by_file
            .get(&(d.source.as_str(), d.file.as_str()))
            .copied()
            .or_else(|| {
                by_source
                    .get(d.source.as_str())
                    .and_then(|counts| {
                        counts
                            .iter()
                            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    })
                    .map(|(team, _)| *team)
            });
        d.team = team.map(str::to_string);
    }
}

/// Reverse indices the pages need, built once so that no page scans the whole catalog.
fn build_indices(
    catalog: &mut Catalog,
    products: &[DataProduct],
    teams: &[Team],
    persons: &[Person],
) {
    for (pi, p) in products.iter().enumerate() {
        let read = p
            .input_ports
            .iter()
            .filter_map(|ip| ip.contract_id.as_ref())
            .chain(
                p.output_ports
                    .iter()
                    .flat_map(|op| op.input_contracts.iter()),
            );
        for cid in read {
            let consumers = catalog.contract_consumers.entry(cid.clone()).or_default();
            if consumers.last() != Some(&pi) {
                consumers.push(pi);
            }
        }
    }
    catalog.team_persons = vec![Vec::new(); teams.len()];
    for (i, person) in persons.iter().enumerate() {
        for t in &person.teams {
            if let Some(&ti) = catalog.team_by_id.get(t) {
                catalog.team_persons[ti].push(i);
            }
        }
    }
}

/// Route, sort and index the catalog's diagnostics. Later stages (foreign keys, contract history,
/// metrics) only push theirs; `load_catalog` calls this once more after the last of them, so pages
/// and the health page see every one.
pub(crate) fn index_diagnostics(catalog: &mut Catalog) {
    let mut diagnostics = std::mem::take(&mut catalog.diagnostics);
    // Files of other versions go to the team that owns them, like those of current ones.
    assign_diagnostic_teams(
        &mut diagnostics,
        [&catalog.products[..], &catalog.other_products[..]],
        [&catalog.contracts[..], &catalog.other_contracts[..]],
        &catalog.teams,
    );
    diagnostics.sort();
    diagnostics.dedup();
    catalog.file_diagnostics.clear();
    catalog.team_diagnostic_counts.clear();
    for (i, d) in diagnostics.iter().enumerate() {
        catalog
            .file_diagnostics
            .entry((d.source.clone(), d.file.clone()))
            .or_default()
            .push(i);
        if let Some(team) = &d.team {
            if d.severity != model::diagnostics::Severity::Info {
                *catalog
                    .team_diagnostic_counts
                    .entry(team.clone())
                    .or_default() += 1;
            }
        }
    }
    catalog.diagnostics = diagnostics;
}

/// A team that only an owner reference names: it gets a page, with nothing but its name.
fn implicit_team(id: String, name: String) -> Team {
    Team {
        slug: String::new(),
        id,
        name,
        kind: None,
        description: None,
        domain: None,
        parent: None,
        email: None,
        members: Vec::new(),
        links: Vec::new(),
        custom: Vec::new(),
        origin: None,
    }
}
