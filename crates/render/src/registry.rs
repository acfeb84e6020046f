//! The page registry: every file the site writes is a planned [`Page`], listed by [`plan`] before
//! anything is rendered, and turned into bytes by [`Site::render`] — through a theme template with
//! its context, or as raw bytes (JSON, the search index, copies). To add a kind of page: a
//! [`PageKind`] variant, its paths in `plan`, and its arms in `template`, `section`, `reads` and
//! `Site::body`.

use std::collections::HashMap;

use serde_json::{json, Value};

use catalog::Catalog;
use config::Config;
use model::diagnostics::count;
use model::error::{Error, Result};

use crate::browse::{self, Facet, Group};
use crate::markdown_twin::{self, Twin};
use crate::search::{self, Shard};
use crate::theme::Theme;
use crate::versions::{self, Kind};
use crate::{access, catalog_json, describe_tera_error, pages, views, OutputFile};
use crate::{glossary_pages, people_pages};
use crate::{glossary_pages::GlossaryPage, people_pages::PeoplePage};
use crate::{lineage_explore, lineage_pages, llms, onboard};

/// Which page, of which entity. Entities are catalog indexes; the context is built when the page
/// is rendered (in parallel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Overview,
    Products {
        page: usize,
    },
    Product(usize),
    /// A version of a product that is not its current one: (product, index in its versions).
    ProductVersion(usize, usize),
    Contracts {
        page: usize,
    },
    Contract(usize),
    /// A version of a contract that is not its current one: (contract, index in its versions).
    ContractVersion(usize, usize),
    /// What changed in a contract version (contract, index) since the next lower version.
    ContractDiff(usize, usize),
    /// The contract's file, highlighted, beside a copy for download.
    ContractSource(usize),
    /// The same for a version that is not current.
    ContractVersionSource(usize, usize),
    Teams {
        page: usize,
    },
    Team(usize),
    /// Page ≥ 2 of a team's product and contract lists (`size` items per list and page).
    TeamPage {
        team: usize,
        page: usize,
        size: usize,
    },
    Domains {
        page: usize,
    },
    Domain(usize),
    /// Page ≥ 2 of a domain's product and contract lists.
    DomainPage {
        domain: usize,
        page: usize,
        size: usize,
    },
    Health,
    /// Page ≥ 2 of the health listing.
    HealthPage(usize),
    Changes,
    NotFound,
    /// `lineage/`: the mesh aggregated to domains.
    Lineage,
    /// `lineage/graph.js`: every node's downstream neighbours, for the deeper views drawn in
    /// the browser.
    LineageGraph,
    /// `lineage/n/<k>.js`: display records of one shard of lineage nodes.
    LineageNodes(usize),
    /// `search/`: the search box and the browse lists.
    Search,
    /// One page of the products with a tag or a status (`group` indexes the plan's groups).
    Browse {
        facet: Facet,
        group: usize,
        page: usize,
    },
    /// `changes/feed.xml`: Atom feed of the newest contract changes.
    Feed,
    /// `sitemap.xml`, with a base URL only: every HTML page but the 404.
    Sitemap,
    /// `catalog.json`: the compact index of the catalog.
    CatalogJson,
    /// `<entity folder>/index.json`: an entity's full record, beside its page.
    ProductJson(usize),
    ContractJson(usize),
    TeamJson(usize),
    DomainJson(usize),
    /// `lineage/index.json`: every lineage node, edge with its evidence, column link and cycle.
    LineageJson,
    /// `health/index.json`: every diagnostic.
    HealthJson,
    SearchIndex(Shard),
    /// A contract's file, copied beside its page for download.
    ContractFile(usize),
    /// The same for a version that is not current.
    ContractVersionFile(usize, usize),
    /// A static file of the theme (an index into [`Theme::statics`]).
    Static(usize),
    /// `<entity folder>/index.md`: the markdown twin of an entity page.
    Markdown(Twin),
    /// `llms.txt`: a markdown index of the catalog for assistants.
    LlmsTxt,
    /// `llms-full.txt`: every product's essentials.
    LlmsFull,
    /// `glossary/…`: the glossary index, term pages and their JSON (`glossary_pages`).
    Glossary(GlossaryPage),
    /// `people/…`: everyone named in the catalog, a page and JSON each (`people_pages`).
    People(PeoplePage),
    /// `start/`: the maintainers' welcome and the catalog at a glance.
    Start,
    /// An image of the start page (an index into the plan's start images).
    StartFile(usize),
    /// `concepts/`: the words the site uses, explained.
    Concepts,
    /// `publish/`: how to publish a product here.
    Publish,
    /// A documentation page of a product, team or domain (index into the catalog's docs).
    Doc(usize, catalog::docs::Owner),
    /// An image that documentation shows (index into the catalog's doc images).
    DocImage(usize),
}

impl PageKind {
    /// The theme template that renders this page; None for files written as raw bytes.
    pub fn template(self) -> Option<&'static str> {
        Some(match self {
            PageKind::Glossary(g) => return g.template(),
            PageKind::People(p) => return p.template(),
            PageKind::Overview => "index.html",
            PageKind::Products { .. } => "products.html",
            PageKind::Product(_) | PageKind::ProductVersion(..) => "product.html",
            PageKind::Contracts { .. } => "contracts.html",
            PageKind::Contract(_) | PageKind::ContractVersion(..) => "contract.html",
            PageKind::ContractDiff(..) => "contract_diff.html",
            PageKind::ContractSource(_) | PageKind::ContractVersionSource(..) => {
                "contract_source.html"
            }
            PageKind::Teams { .. } => "teams.html",
            PageKind::Team(_) => "team.html",
            PageKind::Domains { .. } => "domains.html",
            PageKind::Domain(_) => "domain.html",
            PageKind::TeamPage { .. } | PageKind::DomainPage { .. } => "entity_lists.html",
            PageKind::Health | PageKind::HealthPage(_) => "health.html",
            PageKind::Changes => "changes.html",
            PageKind::NotFound => "404.html",
            PageKind::Lineage => "lineage.html",
            PageKind::Search => "search.html",
            PageKind::Browse { .. } => "browse.html",
            PageKind::Feed => "feed.xml",
            PageKind::Sitemap => "sitemap.xml",
            PageKind::Start => "start.html",
            PageKind::Concepts => "concepts.html",
            PageKind::Publish => "publish.html",
            PageKind::Doc(..) => "doc.html",
            PageKind::CatalogJson
            | PageKind::ProductJson(_)
            | PageKind::ContractJson(_)
            | PageKind::TeamJson(_)
            | PageKind::DomainJson(_)
            | PageKind::LineageJson
            | PageKind::HealthJson
            | PageKind::SearchIndex(_)
            | PageKind::LineageGraph
            | PageKind::LineageNodes(_)
            | PageKind::ContractFile(_)
            | PageKind::ContractVersionFile(..)
            | PageKind::StartFile(_)
            | PageKind::DocImage(_)
            | PageKind::Static(_)
            | PageKind::Markdown(_)
            | PageKind::LlmsTxt
            | PageKind::LlmsFull => return None,
        })
    }

    /// An HTML page (counted as a page, listed in the sitemap).
    pub fn is_html(self) -> bool {
        self.template().is_some_and(|t| t.ends_with(".html"))
    }

    /// The navigation section the page belongs to (`section` in its template).
    pub fn section(self) -> &'static str {
        match self {
            PageKind::Glossary(g) => g.section(),
            PageKind::People(p) => p.section(),
            PageKind::Overview => "overview",
            PageKind::NotFound => "notfound",
            PageKind::Products { .. } | PageKind::Product(_) | PageKind::ProductVersion(..) => {
                "products"
            }
            PageKind::Lineage => "lineage",
            PageKind::Contracts { .. }
            | PageKind::Contract(_)
            | PageKind::ContractVersion(..)
            | PageKind::ContractDiff(..)
            | PageKind::ContractSource(_)
            | PageKind::ContractVersionSource(..) => "contracts",
            PageKind::Teams { .. } | PageKind::Team(_) | PageKind::TeamPage { .. } => "teams",
            PageKind::Domains { .. } | PageKind::Domain(_) | PageKind::DomainPage { .. } => {
                "domains"
            }
            PageKind::Health | PageKind::HealthPage(_) => "health",
            PageKind::Changes | PageKind::Feed => "changes",
            PageKind::Search | PageKind::Browse { .. } => "search",
            PageKind::Start | PageKind::StartFile(_) => "start",
            PageKind::Concepts => "concepts",
            PageKind::Publish => "publish",
            PageKind::Doc(_, owner) => match owner {
                catalog::docs::Owner::Product(_) => "products",
                catalog::docs::Owner::Team(_) => "teams",
                catalog::docs::Owner::Domain(_) => "domains",
            },
            PageKind::DocImage(_) => "",
            PageKind::Sitemap
            | PageKind::CatalogJson
            | PageKind::ProductJson(_)
            | PageKind::ContractJson(_)
            | PageKind::TeamJson(_)
            | PageKind::DomainJson(_)
            | PageKind::LineageJson
            | PageKind::HealthJson
            | PageKind::SearchIndex(_)
            | PageKind::LineageGraph
            | PageKind::LineageNodes(_)
            | PageKind::ContractFile(_)
            | PageKind::ContractVersionFile(..)
            | PageKind::Static(_)
            | PageKind::Markdown(_)
            | PageKind::LlmsTxt
            | PageKind::LlmsFull => "",
        }
    }

    /// What the page's time is summed under (`build -v`).
    pub fn label(self) -> &'static str {
        match self {
            PageKind::CatalogJson => "catalog.json",
            PageKind::ProductJson(_)
            | PageKind::ContractJson(_)
            | PageKind::TeamJson(_)
            | PageKind::DomainJson(_)
            | PageKind::LineageJson
            | PageKind::HealthJson => "entity JSON",
            PageKind::SearchIndex(_) => "search index",
            PageKind::LineageGraph | PageKind::LineageNodes(_) => "lineage data",
            PageKind::ContractFile(_) | PageKind::ContractVersionFile(..) => "contract files",
            PageKind::Static(_) => "static files",
            PageKind::Markdown(_) | PageKind::LlmsTxt | PageKind::LlmsFull => "markdown",
            PageKind::Glossary(g) if g.template().is_none() => "entity JSON",
            PageKind::People(p) if p.template().is_none() => "entity JSON",
            PageKind::StartFile(_) => "start images",
            PageKind::DocImage(_) => "documentation images",
            kind => kind.template().unwrap_or_default(),
        }
    }
}

/// One file of the site.
#[derive(Debug, Clone)]
pub struct Page {
    /// Output path relative to the site root, with `/` separators.
    pub path: String,
    pub kind: PageKind,
}

impl Page {
    fn new(path: impl Into<String>, kind: PageKind) -> Page {
        Page {
            path: path.into(),
            kind,
        }
    }

    /// Relative prefix from this page back to the site root ("../../" for products/x/index.html).
    pub fn root(&self) -> String {
        "../".repeat(self.path.matches('/').count())
    }
}

/// A part of the catalog a page's bytes depend on (besides the config and the theme), so that a
/// change can re-render only the pages that read it. Entities are named by their place in the
/// catalog's lists (80,000 pages look up and sort their reads on every build: integers, not
/// ids); an id a manifest names is resolved once, when the read is gathered ([`Reads::named`]),
/// and one that names nothing is read as [`Read::Missing`], so that a page naming a missing team
/// changes when the team appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Read<'a> {
    /// An entity with its file's diagnostics, metric snapshots and history.
    Product(usize),
    Contract(usize),
    Team(usize),
    Domain(usize),
    Person(usize),
    /// A product as other pages name it: id, name, link, domain and owner (with their names).
    ProductRef(usize),
    /// What a product page's lineage block reads of the graph
    /// ([`crate::lineage_pages::product_inputs`]): a change elsewhere in the graph leaves it equal.
    Neighbourhood(usize),
    /// A glossary term with where it is used.
    Term(usize),
    /// The lineage graph as drawn: nodes with their names, domains and owners, and edges. Diagrams,
    /// impact counts and deeper views reach past the direct neighbours.
    Lineage,
    /// Catalog-wide figures: the counts in every page header, the time metrics are evaluated at.
    Totals,
    /// A tag or status group by its label and size (its pagination); its members are read one
    /// by one.
    Group(&'a str, usize),
    /// Everything: the overview, listings, search, feeds, catalog.json, sitemap.
    Catalog,
    /// A documentation page (its text, links and file's diagnostics), by its index in the
    /// catalog's docs.
    DocPage(usize),
    /// An image that documentation shows, by its index in the catalog's doc images.
    DocImage(usize),
    /// The commit ids a product's or contract's origins name (the provenance line, its versions'
    /// origins). `Product` and `Contract` leave them out: a new commit changes them for every
    /// file of its repository, and only the entity's own pages show them.
    ProductCommit(usize),
    ContractCommit(usize),
    /// An id a manifest names that no entity of that kind has (yet).
    Missing(Named, &'a str),
}

/// The kinds of entity a manifest names by id (an owner, a domain, a port's contract, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Named {
    Product,
    /// A product as other pages name it ([`Read::ProductRef`]).
    ProductRef,
    Contract,
    Team,
    Domain,
    Person,
}

/// The catalog's entities by id, for the ids manifests name: made once per build, and hashed
/// with foldhash (SipHash over ids, a few hundred thousand lookups per build, showed in the
/// profile of the input hashes).
pub struct Ids<'a> {
    products: IdMap<'a>,
    contracts: IdMap<'a>,
    teams: IdMap<'a>,
    domains: IdMap<'a>,
    persons: IdMap<'a>,
}

type IdMap<'a> = HashMap<&'a str, usize, foldhash::fast::FixedState>;

impl<'a> Ids<'a> {
    pub fn new(catalog: &'a Catalog) -> Ids<'a> {
        fn map<'a, T>(items: &'a [T], id: impl Fn(&'a T) -> &'a str) -> IdMap<'a> {
            let mut map = IdMap::with_capacity_and_hasher(items.len(), Default::default());
            // The first of a repeated id wins, as in the catalog's own maps' lookups.
            for (i, item) in items.iter().enumerate().rev() {
                map.insert(id(item), i);
            }
            map
        }
        Ids {
            products: map(&catalog.products, |p| &p.id),
            contracts: map(&catalog.contracts, |c| &c.id),
            teams: map(&catalog.teams, |t| &t.id),
            domains: map(&catalog.domains, |d| &d.id),
            persons: map(&catalog.persons, |p| &p.id),
        }
    }

    /// The read of the entity of kind `kind` that `id` names, or [`Read::Missing`].
    pub fn read(&self, kind: Named, id: &'a str) -> Read<'a> {
        let (by_id, read): (_, fn(usize) -> Read<'a>) = match kind {
            Named::Product => (&self.products, Read::Product),
            Named::ProductRef => (&self.products, Read::ProductRef),
            Named::Contract => (&self.contracts, Read::Contract),
            Named::Team => (&self.teams, Read::Team),
            Named::Domain => (&self.domains, Read::Domain),
            Named::Person => (&self.persons, Read::Person),
        };
        by_id.get(id).map_or(Read::Missing(kind, id), |&i| read(i))
    }
}

/// The reads of one page as they are gathered: pushed in any order and with repeats (the input
/// hashes sort and deduplicate what they make of them). One list is reused from page to page.
pub struct Reads<'r, 'a> {
    ids: &'r Ids<'a>,
    list: Vec<Read<'a>>,
}

impl<'r, 'a> Reads<'r, 'a> {
    pub fn new(ids: &'r Ids<'a>) -> Reads<'r, 'a> {
        Reads {
            ids,
            list: Vec::with_capacity(32),
        }
    }

    pub fn insert(&mut self, read: Read<'a>) {
        self.list.push(read);
    }

    /// The entity of kind `kind` that `id` names, when there is an id (see [`Ids::read`]).
    pub fn named(&mut self, kind: Named, id: Option<&'a str>) {
        if let Some(id) = id {
            self.list.push(self.ids.read(kind, id));
        }
    }

    /// An owner as manifests name it: a team or a person, by id.
    pub fn owner(&mut self, id: Option<&'a str>) {
        self.named(Named::Team, id);
        self.named(Named::Person, id);
    }

    /// The reads gathered so far, in the order they were pushed, with repeats.
    pub fn as_slice(&self) -> &[Read<'a>] {
        &self.list
    }

    pub fn clear(&mut self) {
        self.list.clear();
    }

    /// Sorted and without repeats.
    pub fn sorted(mut self) -> Vec<Read<'a>> {
        self.list.sort_unstable();
        self.list.dedup();
        self.list
    }
}

impl<'a> Extend<Read<'a>> for Reads<'_, 'a> {
    fn extend<I: IntoIterator<Item = Read<'a>>>(&mut self, iter: I) {
        self.list.extend(iter);
    }
}

impl Page {
    /// What this page reads from the catalog, sorted and without repeats.
    pub fn reads<'a>(&self, catalog: &'a Catalog) -> Vec<Read<'a>> {
        let ids = Ids::new(catalog);
        let mut reads = Reads::new(&ids);
        self.reads_into(catalog, &mut reads);
        reads.sorted()
    }

    /// [`Page::reads`] pushed into `reads`, unsorted and with repeats.
    pub fn reads_into<'a>(&self, catalog: &'a Catalog, reads: &mut Reads<'_, 'a>) {
        if self.kind.is_html() {
            reads.insert(Read::Totals);
        }
        match self.kind {
            PageKind::Product(i) | PageKind::ProductVersion(i, _) | PageKind::ProductJson(i) => {
                reads.insert(Read::ProductCommit(i));
            }
            // Its source pages and file copies show the file's place and bytes, no commit.
            PageKind::Contract(i)
            | PageKind::ContractVersion(i, _)
            | PageKind::ContractDiff(i, _)
            | PageKind::ContractJson(i) => {
                reads.insert(Read::ContractCommit(i));
            }
            _ => {}
        }
        match self.kind {
            PageKind::Product(i) | PageKind::ProductVersion(i, _) => {
                product_reads(catalog, i, reads)
            }
            PageKind::LineageGraph | PageKind::LineageJson => {
                reads.insert(Read::Lineage);
            }
            PageKind::ProductJson(i) => {
                let p = &catalog.products[i];
                reads.insert(Read::Product(i));
                // Its upstream and downstream ids; its metric objectives come from its contracts.
                for dep in catalog.upstream[i].iter().chain(&catalog.downstream[i]) {
                    reads.insert(Read::Product(dep.product));
                }
                for port in &p.output_ports {
                    reads.named(Named::Contract, port.contract_id.as_deref());
                }
            }
            PageKind::ContractJson(i) => {
                reads.insert(Read::Contract(i));
            }
            PageKind::TeamJson(i) => {
                reads.insert(Read::Team(i));
            }
            PageKind::DomainJson(i) => {
                reads.insert(Read::Domain(i));
            }
            PageKind::LineageNodes(k) => lineage_explore::shard_reads(catalog, k, reads),
            // A twin shows a subset of what its page shows, so it reads what the page reads.
            PageKind::Markdown(twin) => match twin {
                Twin::Product(i) => product_reads(catalog, i, reads),
                Twin::Contract(i) => contract_reads(catalog, i, reads),
                Twin::Team(i) => team_reads(catalog, i, reads),
                Twin::Domain(i) => domain_reads(catalog, i, reads),
                Twin::Term(i) => GlossaryPage::Term(i).reads(catalog, reads),
                Twin::Person(i) => PeoplePage::Person(i).reads(catalog, reads),
            },
            PageKind::Doc(k, _) => doc_reads(catalog, k, reads),
            PageKind::DocImage(k) => {
                reads.insert(Read::DocImage(k));
            }
            PageKind::Contract(i) | PageKind::ContractVersion(i, _) => {
                contract_reads(catalog, i, reads)
            }
            PageKind::ContractSource(i)
            | PageKind::ContractFile(i)
            | PageKind::ContractVersionSource(i, _)
            | PageKind::ContractVersionFile(i, _)
            | PageKind::ContractDiff(i, _) => {
                reads.insert(Read::Contract(i));
            }
            PageKind::Team(i) => team_reads(catalog, i, reads),
            PageKind::Domain(i) => domain_reads(catalog, i, reads),
            PageKind::TeamPage {
                team: i,
                page,
                size,
            } => {
                reads.insert(Read::Team(i));
                let lp = lists_of(catalog, true, i, page, size);
                list_reads(catalog, &catalog.team_products[i][lp.products], reads);
                for &ci in &catalog.team_contracts[i][lp.contracts] {
                    reads.insert(Read::Contract(ci));
                }
            }
            PageKind::DomainPage {
                domain: i,
                page,
                size,
            } => {
                reads.insert(Read::Domain(i));
                let lp = lists_of(catalog, false, i, page, size);
                list_reads(catalog, &catalog.domain_products[i][lp.products], reads);
                for &ci in &catalog.domain_contracts[i][lp.contracts] {
                    reads.insert(Read::Contract(ci));
                }
            }
            PageKind::Glossary(g) => g.reads(catalog, reads),
            PageKind::People(p) => p.reads(catalog, reads),
            // The concepts are the theme's; the start file and its images are global inputs.
            PageKind::NotFound
            | PageKind::Static(_)
            | PageKind::Concepts
            | PageKind::StartFile(_) => {}
            PageKind::Overview
            | PageKind::Products { .. }
            | PageKind::Contracts { .. }
            | PageKind::Teams { .. }
            | PageKind::Domains { .. }
            | PageKind::Health
            | PageKind::HealthPage(_)
            | PageKind::Changes
            | PageKind::Lineage
            | PageKind::Search
            | PageKind::Browse { .. }
            | PageKind::Feed
            | PageKind::Sitemap
            | PageKind::CatalogJson
            | PageKind::HealthJson
            | PageKind::SearchIndex(_)
            | PageKind::Start
            | PageKind::Publish
            | PageKind::LlmsTxt
            | PageKind::LlmsFull => {
                reads.insert(Read::Catalog);
            }
        }
    }
}

/// Which slices of its lists page `n` of a team or domain shows.
fn lists_of(catalog: &Catalog, team: bool, i: usize, n: usize, size: usize) -> pages::ListPage {
    let (first, p, c) = if team {
        let t = &catalog.teams[i];
        let (p, c) = (&catalog.team_products[i], &catalog.team_contracts[i]);
        (views::team_url(&t.slug), p.len(), c.len())
    } else {
        let d = &catalog.domains[i];
        let (p, c) = (&catalog.domain_products[i], &catalog.domain_contracts[i]);
        (views::domain_url(&d.slug), p.len(), c.len())
    };
    pages::list_page(&first, (p, c), n, size)
}

/// A listed product: its name and link, its domain and owner shown beside it.
fn list_reads<'a>(catalog: &'a Catalog, products: &[usize], reads: &mut Reads<'_, 'a>) {
    for &pi in products {
        let p = &catalog.products[pi];
        reads.insert(Read::Product(pi));
        reads.named(Named::Domain, p.domain.as_deref());
        reads.named(Named::Team, p.owner.as_deref());
    }
}

/// A documentation page: its own text, its owner (name, page), the titles of its siblings, and
/// the pages and images its links lead to (their places follow their owners' slugs).
fn doc_reads<'a>(catalog: &'a Catalog, k: usize, reads: &mut Reads<'_, 'a>) {
    use catalog::docs::{Owner, Target};
    let owner_read = |owner: Owner| match owner {
        Owner::Product(i) => Read::Product(i),
        Owner::Team(i) => Read::Team(i),
        Owner::Domain(i) => Read::Domain(i),
    };
    let page = &catalog.docs.pages[k];
    reads.insert(owner_read(page.owner));
    for &s in catalog.docs.of(page.owner) {
        reads.insert(Read::DocPage(s));
    }
    for link in &page.links {
        match link.target {
            Target::Page(t) => {
                reads.insert(Read::DocPage(t));
                reads.insert(owner_read(catalog.docs.pages[t].owner));
            }
            Target::Image(t) => reads.insert(Read::DocImage(t)),
            Target::Product(t) => reads.insert(Read::Product(t)),
            Target::Contract(t) => reads.insert(Read::Contract(t)),
            Target::Inert(_) => {}
        }
    }
}

/// The documentation an entity's page lists (titles and places).
fn doc_list_reads(catalog: &Catalog, owner: catalog::docs::Owner, reads: &mut Reads<'_, '_>) {
    for &k in catalog.docs.of(owner) {
        reads.insert(Read::DocPage(k));
    }
}

fn product_reads<'a>(catalog: &'a Catalog, i: usize, reads: &mut Reads<'_, 'a>) {
    doc_list_reads(catalog, catalog::docs::Owner::Product(i), reads);
    let p = &catalog.products[i];
    reads.insert(Read::Product(i));
    reads.insert(Read::Neighbourhood(i));
    reads.named(Named::Domain, p.domain.as_deref());
    reads.owner(p.owner.as_deref());
    for m in &p.members {
        reads.named(Named::Person, Some(&m.id));
    }
    // Other products are named and linked, no more.
    for port in &p.input_ports {
        reads.named(Named::Contract, port.contract_id.as_deref());
        reads.named(Named::ProductRef, port.source_product.as_deref());
    }
    for port in &p.output_ports {
        reads.named(Named::Contract, port.contract_id.as_deref());
    }
    for dep in catalog.upstream[i].iter().chain(&catalog.downstream[i]) {
        reads.insert(Read::ProductRef(dep.product));
    }
    agreement_reads(catalog, &p.id, reads);
}

/// The consumers named by a product's agreements (shown under "How to get access"); the
/// agreements themselves are part of the provider's hash.
fn agreement_reads<'a>(catalog: &'a Catalog, product: &str, reads: &mut Reads<'_, 'a>) {
    for &a in catalog.access.agreements_of(product) {
        let g = &catalog.agreements[a];
        reads.named(Named::Product, g.consumer_product.as_deref());
        reads.named(Named::Team, g.consumer_team.as_deref());
    }
}

fn contract_reads<'a>(catalog: &'a Catalog, i: usize, reads: &mut Reads<'_, 'a>) {
    let c = &catalog.contracts[i];
    reads.insert(Read::Contract(i));
    reads.named(Named::Domain, c.domain.as_deref());
    reads.owner(c.owner.as_deref());
    reads.named(Named::Product, c.data_product.as_deref());
    for m in &c.members {
        reads.named(Named::Person, Some(&m.id));
    }
    for role in &c.roles {
        for id in &role.approvers {
            reads.named(Named::Person, Some(id));
        }
    }
    if let Some(&(pi, _)) = catalog.contract_provider.get(&c.id) {
        reads.insert(Read::Product(pi));
        agreement_reads(catalog, &catalog.products[pi].id, reads);
    }
    for &pi in catalog.contract_consumers.get(&c.id).into_iter().flatten() {
        reads.insert(Read::Product(pi));
    }
    for target in pages::foreign_key_targets(catalog, i) {
        reads.insert(Read::Contract(target));
    }
    if catalog.lineage.contract_columns.contains_key(&i) {
        reads.insert(Read::Lineage);
    }
    for &t in catalog
        .glossary
        .contract_terms
        .get(&i)
        .into_iter()
        .flatten()
    {
        reads.insert(Read::Term(t));
    }
}

fn team_reads<'a>(catalog: &'a Catalog, i: usize, reads: &mut Reads<'_, 'a>) {
    doc_list_reads(catalog, catalog::docs::Owner::Team(i), reads);
    let t = &catalog.teams[i];
    reads.insert(Read::Team(i));
    reads.named(Named::Domain, t.domain.as_deref());
    reads.named(Named::Team, t.parent.as_deref());
    for m in &t.members {
        reads.named(Named::Person, Some(&m.id));
    }
    for &pi in &catalog.team_persons[i] {
        reads.insert(Read::Person(pi));
    }
    for &pi in &catalog.team_products[i] {
        reads.insert(Read::Product(pi));
        reads.named(Named::Domain, catalog.products[pi].domain.as_deref());
    }
    for &ci in &catalog.team_contracts[i] {
        reads.insert(Read::Contract(ci));
    }
    // What members own in person (products, contracts, domains; systems are read with them).
    let member_ids = t.members.iter().map(|m| m.id.as_str()).chain(
        catalog.team_persons[i]
            .iter()
            .map(|&pi| catalog.persons[pi].id.as_str()),
    );
    for id in member_ids {
        if let Some(owns) = catalog.person_owns.get(id) {
            reads.extend(owns.products.iter().map(|&pi| Read::Product(pi)));
            reads.extend(owns.contracts.iter().map(|&ci| Read::Contract(ci)));
            reads.extend(owns.domains.iter().map(|&di| Read::Domain(di)));
        }
    }
}

fn domain_reads<'a>(catalog: &'a Catalog, i: usize, reads: &mut Reads<'_, 'a>) {
    doc_list_reads(catalog, catalog::docs::Owner::Domain(i), reads);
    let d = &catalog.domains[i];
    reads.insert(Read::Domain(i));
    reads.insert(Read::Lineage);
    reads.owner(d.owner.as_deref());
    for &pi in &catalog.domain_products[i] {
        reads.insert(Read::Product(pi));
        reads.named(Named::Team, catalog.products[pi].owner.as_deref());
        for dep in catalog.upstream[pi].iter().chain(&catalog.downstream[pi]) {
            let domain = catalog.products[dep.product].domain.as_deref();
            reads.named(Named::Domain, domain);
        }
    }
    for &ci in &catalog.domain_contracts[i] {
        reads.insert(Read::Contract(ci));
    }
}

/// Every file of the site, and what its pages share.
pub struct Plan {
    pub pages: Vec<Page>,
    page_size: usize,
    tags: Vec<Group>,
    statuses: Vec<Group>,
    index: search::Index,
    /// The start page's own words and images.
    start: onboard::start::StartDoc,
}

impl Plan {
    /// What a page of this plan reads: [`Page::reads`], made precise where the plan knows more
    /// than the page (a listing page reads the entities it lists, not the whole catalog), so that
    /// a change re-renders few listing pages. Sorted and without repeats.
    pub fn reads<'a>(&'a self, page: &Page, catalog: &'a Catalog) -> Vec<Read<'a>> {
        let ids = Ids::new(catalog);
        let mut reads = Reads::new(&ids);
        self.reads_into(page, catalog, &mut reads);
        reads.sorted()
    }

    /// [`Plan::reads`] pushed into `reads`, unsorted and with repeats: the input hashes gather
    /// every page's reads this way, into one list per thread.
    pub fn reads_into<'a>(&'a self, page: &Page, catalog: &'a Catalog, reads: &mut Reads<'_, 'a>) {
        let size = self.page_size;
        let listed = |total: usize, n: usize| {
            let start = ((n.max(1) - 1) * size).min(total);
            start..(start + size).min(total)
        };
        match page.kind {
            PageKind::Products { page: n } => {
                reads.insert(Read::Totals);
                for i in listed(catalog.products.len(), n) {
                    listed_product(catalog, i, reads);
                }
            }
            PageKind::Browse {
                facet,
                group,
                page: n,
            } => {
                let groups = match facet {
                    Facet::Tag => &self.tags,
                    Facet::Status => &self.statuses,
                };
                let g = &groups[group];
                reads.insert(Read::Totals);
                reads.insert(Read::Group(&g.label, g.products.len()));
                for &i in &g.products[listed(g.products.len(), n)] {
                    listed_product(catalog, i, reads);
                }
            }
            PageKind::Contracts { page: n } => {
                reads.insert(Read::Totals);
                for i in listed(catalog.contracts.len(), n) {
                    let c = &catalog.contracts[i];
                    reads.insert(Read::Contract(i));
                    reads.named(Named::Domain, c.domain.as_deref());
                    reads.owner(c.owner.as_deref());
                    // Its product is named and linked.
                    reads.named(Named::ProductRef, c.data_product.as_deref());
                }
            }
            _ => page.reads_into(catalog, reads),
        }
    }
}

impl Plan {
    /// The hash of a page's bytes, with `global` (config, theme, meshdoc's build), where the plan
    /// holds them whole: the search index's shards. Such a page is rendered again only when its
    /// bytes change; its reads (the whole catalog) would re-render all of them on any change.
    pub fn content_hash(&self, page: &Page, global: u64) -> Option<u64> {
        use std::hash::BuildHasher;
        match page.kind {
            PageKind::SearchIndex(shard) => Some(foldhash::fast::FixedState::default().hash_one((
                global,
                &page.path,
                self.index.content_hash(shard),
            ))),
            _ => None,
        }
    }
}

/// A product as a listing shows it: its name, summary, domain and owner.
fn listed_product<'a>(catalog: &'a Catalog, i: usize, reads: &mut Reads<'_, 'a>) {
    let p = &catalog.products[i];
    reads.insert(Read::Product(i));
    reads.named(Named::Domain, p.domain.as_deref());
    reads.owner(p.owner.as_deref());
}

/// List every file the site writes. The order is that of the sitemap for HTML pages.
pub fn plan(catalog: &Catalog, config: &Config, theme: &Theme) -> Plan {
    plan_reusing(catalog, config, theme, None)
}

/// [`plan`], taking the search documents the last build kept where their inputs are unchanged
/// (see [`crate::search_docs`]).
pub fn plan_reusing(
    catalog: &Catalog,
    config: &Config,
    theme: &Theme,
    search_docs: Option<&crate::search_docs::Reuse>,
) -> Plan {
    let page_size = config.build.page_size.max(1);
    // The search index is most of the plan's time and needs none of the rest: made beside it.
    // Only its shards' pages wait for it: the pages before and after them are listed meanwhile.
    let (index, ((tags, statuses, head), tail)) = rayon::join(
        || search::Index::build_reusing(catalog, search_docs),
        || {
            rayon::join(
                || {
                    let mut pages = Vec::new();
                    entity_pages(catalog, page_size, &mut pages);
                    glossary_pages::plan(catalog, page_size, &mut pages);
                    people_pages::plan(catalog, page_size, &mut pages);
                    let (tags, statuses) =
                        (browse::tag_groups(catalog), browse::status_groups(catalog));
                    pages.push(Page::new("search/index.html", PageKind::Search));
                    browse_pages(&tags, &statuses, page_size, &mut pages);
                    file_pages(catalog, &mut pages);
                    (tags, statuses, pages)
                },
                || {
                    let mut pages = Vec::new();
                    pages_after_search(catalog, config, theme, &mut pages);
                    pages
                },
            )
        },
    );
    let mut pages = head;
    pages.reserve(tail.len() + index.shards().count() + 8);
    pages.extend(
        index
            .shards()
            .map(|shard| Page::new(shard.path(), PageKind::SearchIndex(shard))),
    );
    pages.extend(tail);
    let mut plan = Plan {
        pages,
        page_size,
        tags,
        statuses,
        index,
        start: Default::default(),
    };
    onboard_pages(catalog, config, &mut plan);
    plan
}

/// The tag and status listings, page by page.
fn browse_pages(tags: &[Group], statuses: &[Group], page_size: usize, pages: &mut Vec<Page>) {
    for (facet, groups) in [(Facet::Tag, tags), (Facet::Status, statuses)] {
        for (group, g) in groups.iter().enumerate() {
            for page in 1..=browse::pages(g, page_size) {
                let path = browse::listing_path(facet.section(), &g.slug, page);
                let kind = PageKind::Browse { facet, group, page };
                pages.push(Page::new(path, kind));
            }
        }
    }
}

/// The start, concepts and publish pages, and the start page's images. The start page's links
/// are checked against every other planned page, so it is planned last.
fn onboard_pages(catalog: &Catalog, config: &Config, plan: &mut Plan) {
    for (k, page) in catalog.docs.pages.iter().enumerate() {
        let path = onboard::docs::page_path(catalog, k);
        plan.pages
            .push(Page::new(path, PageKind::Doc(k, page.owner)));
    }
    for k in 0..catalog.docs.images.len() {
        let path = onboard::docs::image_path(catalog, k);
        plan.pages.push(Page::new(path, PageKind::DocImage(k)));
    }
    plan.pages
        .push(Page::new("concepts/index.html", PageKind::Concepts));
    plan.pages
        .push(Page::new("publish/index.html", PageKind::Publish));
    // Made only when the start page links somewhere: most sites have no start page.
    let planned: std::sync::OnceLock<std::collections::HashSet<&str>> = Default::default();
    let is_planned = |path: &str| {
        planned
            .get_or_init(|| {
                plan.pages
                    .iter()
                    .map(|p| p.path.as_str())
                    .chain(["start/index.html"])
                    .collect()
            })
            .contains(path)
    };
    let start = onboard::start::StartDoc::load(config, &is_planned);
    for (k, (path, _)) in start.images.iter().enumerate() {
        plan.pages
            .push(Page::new(path.clone(), PageKind::StartFile(k)));
    }
    plan.pages
        .push(Page::new("start/index.html", PageKind::Start));
    plan.start = start;
}

/// The overview, the listings and a page per entity.
fn entity_pages(catalog: &Catalog, page_size: usize, pages: &mut Vec<Page>) {
    pages.push(Page::new("index.html", PageKind::Overview));
    pages.push(Page::new("health/index.html", PageKind::Health));
    for n in 2..=pages::health_pages(catalog) {
        pages.push(Page::new(
            pages::listing_path("health", n),
            PageKind::HealthPage(n),
        ));
    }
    pages.push(Page::new("404.html", PageKind::NotFound));
    pages.push(Page::new("changes/index.html", PageKind::Changes));
    type Listing = (&'static str, usize, fn(usize) -> PageKind);
    let listings: [Listing; 4] = [
        ("products", catalog.products.len(), |page| {
            PageKind::Products { page }
        }),
        ("contracts", catalog.contracts.len(), |page| {
            PageKind::Contracts { page }
        }),
        ("teams", catalog.teams.len(), |page| PageKind::Teams {
            page,
        }),
        ("domains", catalog.domains.len(), |page| PageKind::Domains {
            page,
        }),
    ];
    for (section, total, kind) in listings {
        for page in 1..=pages::pages_for(total, page_size) {
            pages.push(Page::new(pages::listing_path(section, page), kind(page)));
        }
    }
    for (i, p) in catalog.products.iter().enumerate() {
        pages.push(Page::new(views::product_url(&p.slug), PageKind::Product(i)));
    }
    for (i, k, v) in versions::other_versions(&catalog.product_versions) {
        let path = versions::version_url(Kind::Product, &catalog.products[i].slug, &v.info.slug);
        pages.push(Page::new(path, PageKind::ProductVersion(i, k)));
    }
    pages.push(Page::new("lineage/index.html", PageKind::Lineage));
    for (i, c) in catalog.contracts.iter().enumerate() {
        pages.push(Page::new(
            views::contract_url(&c.slug),
            PageKind::Contract(i),
        ));
    }
    for (i, c) in catalog.contracts.iter().enumerate() {
        if c.source_text.is_some() {
            let path = format!("contracts/{}/source/index.html", c.slug);
            pages.push(Page::new(path, PageKind::ContractSource(i)));
        }
    }
    for (i, k, v) in versions::other_versions(&catalog.contract_versions) {
        let folder =
            versions::version_url(Kind::Contract, &catalog.contracts[i].slug, &v.info.slug);
        if versions::contract(catalog, i, Some(k))
            .source_text
            .is_some()
        {
            let path = folder.replace("/index.html", "/source/index.html");
            pages.push(Page::new(path, PageKind::ContractVersionSource(i, k)));
        }
        pages.push(Page::new(folder, PageKind::ContractVersion(i, k)));
    }
    for (i, k) in versions::comparisons(catalog) {
        let newer = &catalog.contract_versions[i][k].info.slug;
        let path = versions::compare_url(&catalog.contracts[i].slug, newer);
        pages.push(Page::new(path, PageKind::ContractDiff(i, k)));
    }
    for (i, t) in catalog.teams.iter().enumerate() {
        let counts = (
            catalog.team_products[i].len(),
            catalog.team_contracts[i].len(),
        );
        let later = |page| PageKind::TeamPage {
            team: i,
            page,
            size: page_size,
        };
        push_listed(
            pages,
            views::team_url(&t.slug),
            counts,
            page_size,
            later,
            PageKind::Team(i),
        );
    }
    for (i, d) in catalog.domains.iter().enumerate() {
        let counts = (
            catalog.domain_products[i].len(),
            catalog.domain_contracts[i].len(),
        );
        let later = |page| PageKind::DomainPage {
            domain: i,
            page,
            size: page_size,
        };
        push_listed(
            pages,
            views::domain_url(&d.slug),
            counts,
            page_size,
            later,
            PageKind::Domain(i),
        );
    }
}

/// A team's or domain's page, after the later pages of its product and contract lists (counts),
/// which only exist when the lists are longer than one page.
fn push_listed(
    out: &mut Vec<Page>,
    first: String,
    counts: (usize, usize),
    page_size: usize,
    later: impl Fn(usize) -> PageKind,
    kind: PageKind,
) {
    for page in 2..=pages::list_pages(counts.0, counts.1, page_size) {
        out.push(Page::new(
            pages::entity_page_path(&first, page),
            later(page),
        ));
    }
    out.push(Page::new(first, kind));
}

/// The files beside the pages before the search index: downloads and the lineage data.
fn file_pages(catalog: &Catalog, pages: &mut Vec<Page>) {
    for (i, c) in catalog.contracts.iter().enumerate() {
        if c.source_text.is_some() {
            let path = format!("contracts/{}/{}", c.slug, pages::source_file_name(c));
            pages.push(Page::new(path, PageKind::ContractFile(i)));
        }
    }
    for (i, k, v) in versions::other_versions(&catalog.contract_versions) {
        let c = versions::contract(catalog, i, Some(k));
        if c.source_text.is_some() {
            let folder = versions::version_url(Kind::Contract, &c.slug, &v.info.slug);
            let path = folder.replace("index.html", &pages::source_file_name(c));
            pages.push(Page::new(path, PageKind::ContractVersionFile(i, k)));
        }
    }
    pages.push(Page::new(
        lineage_explore::GRAPH_PATH,
        PageKind::LineageGraph,
    ));
    for k in 0..lineage_explore::shard_count(&catalog.lineage) {
        let path = lineage_explore::shard_path(k);
        pages.push(Page::new(path, PageKind::LineageNodes(k)));
    }
}

/// The files after the search index: the theme's static files, the feed, catalog.json, the
/// JSON records and markdown twins, the llms files and the sitemap.
fn pages_after_search(catalog: &Catalog, config: &Config, theme: &Theme, pages: &mut Vec<Page>) {
    for (i, (name, _)) in theme.statics.iter().enumerate() {
        pages.push(Page::new(format!("static/{name}"), PageKind::Static(i)));
    }
    pages.push(Page::new("changes/feed.xml", PageKind::Feed));
    pages.push(Page::new("catalog.json", PageKind::CatalogJson));
    json_pages(catalog, pages);
    for twin in markdown_twin::all(catalog) {
        pages.push(Page::new(twin.path(catalog), PageKind::Markdown(twin)));
    }
    pages.push(Page::new("llms.txt", PageKind::LlmsTxt));
    pages.push(Page::new("llms-full.txt", PageKind::LlmsFull));
    if !config.site.base_url.is_empty() {
        pages.push(Page::new("sitemap.xml", PageKind::Sitemap));
    }
}

/// The full JSON record of every entity beside its page (`products/<id>/index.json`, …), of the
/// lineage graph and of the diagnostics.
fn json_pages(catalog: &Catalog, pages: &mut Vec<Page>) {
    let beside = |url: String| url.replace("index.html", "index.json");
    for (i, p) in catalog.products.iter().enumerate() {
        pages.push(Page::new(
            beside(views::product_url(&p.slug)),
            PageKind::ProductJson(i),
        ));
    }
    for (i, c) in catalog.contracts.iter().enumerate() {
        pages.push(Page::new(
            beside(views::contract_url(&c.slug)),
            PageKind::ContractJson(i),
        ));
    }
    for (i, t) in catalog.teams.iter().enumerate() {
        pages.push(Page::new(
            beside(views::team_url(&t.slug)),
            PageKind::TeamJson(i),
        ));
    }
    for (i, d) in catalog.domains.iter().enumerate() {
        pages.push(Page::new(
            beside(views::domain_url(&d.slug)),
            PageKind::DomainJson(i),
        ));
    }
    pages.push(Page::new("lineage/index.json", PageKind::LineageJson));
    pages.push(Page::new("health/index.json", PageKind::HealthJson));
}

/// What a page turns into: a template's title and context, or the file's bytes.
pub enum Body {
    Template(String, Value),
    Bytes(Vec<u8>),
    /// A title and a content block written by `native` code, put in the theme's shell.
    Native(String, crate::native::Html),
}

/// Everything rendering a page needs, shared by all pages.
pub struct Site<'a> {
    catalog: &'a Catalog,
    config: &'a Config,
    theme: &'a Theme,
    plan: &'a Plan,
    page_size: usize,
    /// The context every template gets: site, counts, generator.
    base: tera::Context,
    /// `site_header.html` rendered per (section, root): the same bytes on every page of a section
    /// at one depth, so rendered once and reused.
    headers: std::sync::RwLock<HashMap<(&'static str, String), tera::Value>>,
    /// The shells of compiled pages per (section, root, has a markdown twin): None where the
    /// theme's base.html cannot be shared that way.
    shells: std::sync::RwLock<ShellCache>,
    /// Where `llms-full.txt`'s product parts are kept between builds, with this build's key of
    /// each (set by the incremental build: [`Site::keep_llms_parts`]).
    llms_parts: std::sync::OnceLock<crate::parts::Kept>,
    /// The same for `catalog.json`'s product and contract records ([`Site::keep_catalog_parts`]).
    catalog_parts: std::sync::OnceLock<(crate::parts::Kept, crate::parts::Kept)>,
}

type ShellCache =
    HashMap<(&'static str, String, bool), Option<std::sync::Arc<crate::native::page::Shell>>>;

impl<'a> Site<'a> {
    pub fn new(
        catalog: &'a Catalog,
        config: &'a Config,
        theme: &'a Theme,
        plan: &'a Plan,
    ) -> Result<Site<'a>> {
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
        Ok(Site {
            catalog,
            config,
            theme,
            plan,
            page_size: config.build.page_size.max(1),
            base,
            headers: Default::default(),
            shells: Default::default(),
            llms_parts: Default::default(),
            catalog_parts: Default::default(),
        })
    }

    /// Keep `catalog.json`'s product and contract records between builds, each under its key
    /// (catalog order): the hash of the entity as other pages read it (`Read::Product`,
    /// `Read::Contract`), which covers what its record shows.
    pub fn keep_catalog_parts(&self, products: crate::parts::Kept, contracts: crate::parts::Kept) {
        let _ = self.catalog_parts.set((products, contracts));
    }

    /// Keep `llms-full.txt`'s product parts in `kept.file`, each under its key in `kept.keys`
    /// (catalog order): the hash of the product's markdown twin, which reads what the part
    /// shows. Parts whose key is unchanged are taken from the last build.
    pub fn keep_llms_parts(&self, kept: crate::parts::Kept) {
        let _ = self.llms_parts.set(kept);
    }

    /// Render one planned page into its file.
    pub fn render(&self, page: &Page) -> Result<OutputFile> {
        let _timer = crate::PageTimer::start(page.kind.label());
        let bytes = match (self.body(page)?, page.kind.template()) {
            (Body::Bytes(bytes), _) => bytes,
            (Body::Template(title, context), Some(template)) => {
                self.fill(page, template, &title, context)?
            }
            (Body::Native(title, block), _) => self.native_page(page, &title, &block)?,
            (Body::Template(..), None) => {
                return Err(Error::Template(format!("{}: no template", page.path)))
            }
        };
        Ok(OutputFile {
            path: page.path.clone(),
            bytes,
        })
    }

    /// The template's context on top of the shared one, rendered.
    fn fill(&self, page: &Page, template: &str, title: &str, specific: Value) -> Result<Vec<u8>> {
        let mut context = self.shell(page, title)?;
        crate::context::extend(&mut context, specific)
            .map_err(|e| Error::Template(format!("{template} ({}): {e}", page.path)))?;
        // Bytes, not a String: Tera writes UTF-8, and the whitespace pass shortens them in place.
        let mut bytes = Vec::with_capacity(16 * 1024);
        self.theme
            .tera
            .render_to(template, &context, &mut bytes)
            .map_err(|e| {
                Error::Template(format!(
                    "{template} ({}): {}",
                    page.path,
                    describe_tera_error(&e)
                ))
            })?;
        if template.ends_with(".html") {
            crate::whitespace::collapse_in_place(&mut bytes);
        }
        Ok(bytes)
    }

    /// A contract page (current or a version) written by `native::contract_page`; None when
    /// the contract holds what only the template prints.
    fn native_contract(&self, page: &Page, i: usize, root: &str) -> Result<Option<Body>> {
        let version = match page.kind {
            PageKind::ContractVersion(_, k) => Some(k),
            _ => None,
        };
        let input = crate::native::contract_page::Input {
            catalog: self.catalog,
            index: i,
            version,
            root,
            access: version.is_none().then_some(&self.config.access),
            tera: &self.theme.tera,
        };
        let html = crate::native::contract_page::render(&input).map_err(|e| {
            Error::Template(format!(
                "{} ({}): {}",
                "contract.html",
                page.path,
                describe_tera_error(&e)
            ))
        })?;
        Ok(html.map(|html| Body::Native(crate::native::contract_page::title(&input), html)))
    }

    /// A compiled content block in the theme's shell: the shared shell of its section and
    /// depth where base.html is the built-in one, else base.html rendered for the page.
    fn native_page(
        &self,
        page: &Page,
        title: &str,
        block: &crate::native::Html,
    ) -> Result<Vec<u8>> {
        use crate::native::page;
        let failed = |e: tera::Error| {
            Error::Template(format!(
                "{} (base.html): {}",
                page.path,
                describe_tera_error(&e)
            ))
        };
        let splice = self.theme.native.built_in_shell;
        if splice {
            let key = (
                page.kind.section(),
                self.root(page),
                twin_of(page.kind).is_some(),
            );
            let cached = self
                .shells
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .get(&key)
                .cloned();
            let shell = match cached {
                Some(shell) => shell,
                None => {
                    let shell = page::Shell::of(&self.theme.tera, self.shell(page, "")?)
                        .map_err(failed)?
                        .map(std::sync::Arc::new);
                    let mut cache = self.shells.write().unwrap_or_else(|e| e.into_inner());
                    cache.insert(key, shell.clone());
                    shell
                }
            };
            if let Some(shell) = shell {
                return Ok(shell.page(title, &self.config.site.title, block));
            }
        }
        page::render(&self.theme.tera, self.shell(page, title)?, block, splice).map_err(failed)
    }

    /// What every page's template gets, base.html's part of it: site, root, section, title.
    fn shell(&self, page: &Page, title: &str) -> Result<tera::Context> {
        let mut context = self.base.clone();
        let root = self.root(page);
        let section = page.kind.section();
        context.insert_value("site_header", self.site_header(section, &root)?);
        context.insert("root", &root);
        context.insert("page_title", title);
        context.insert("section", section);
        if twin_of(page.kind).is_some() {
            context.insert("markdown_twin", "index.md");
        }
        Ok(context)
    }

    /// The site header of a section at one depth, from the cache or rendered once.
    fn site_header(&self, section: &'static str, root: &str) -> Result<tera::Value> {
        let key = (section, root.to_string());
        let cached = self.headers.read().unwrap_or_else(|e| e.into_inner());
        if let Some(header) = cached.get(&key) {
            return Ok(header.clone());
        }
        drop(cached);
        let mut context = self.base.clone();
        context.insert("root", root);
        context.insert("section", section);
        let html = self
            .theme
            .tera
            .render("site_header.html", &context)
            .map_err(|e| {
                Error::Template(format!("site_header.html: {}", describe_tera_error(&e)))
            })?;
        let header = tera::Value::safe_string(&html);
        let mut cache = self.headers.write().unwrap_or_else(|e| e.into_inner());
        cache.insert(key, header.clone());
        Ok(header)
    }

    /// Where a markdown file's links start: the base URL when there is one (a twin is often
    /// read away from the site), else relative to the file.
    fn link_root(&self, page: &Page) -> String {
        if self.config.site.base_url.is_empty() {
            page.root()
        } else {
            absolute_root(&self.config.site.base_url)
        }
    }

    /// `root` in a template: relative, except where the file is read from elsewhere (the 404
    /// page at any depth, the sitemap and feed by other programs), which link absolutely when
    /// they can.
    fn root(&self, page: &Page) -> String {
        let base_url = &self.config.site.base_url;
        match page.kind {
            PageKind::Sitemap => absolute_root(base_url),
            // Without a base URL, relative from the root; base.html adds the script that finds
            // the root when a server shows the page at a deeper address.
            PageKind::NotFound if base_url.is_empty() => String::new(),
            PageKind::NotFound => absolute_root(base_url),
            PageKind::Feed if !base_url.is_empty() => absolute_root(base_url),
            _ => page.root(),
        }
    }

    fn body(&self, page: &Page) -> Result<Body> {
        let catalog = self.catalog;
        let root = page.root();
        let (title, context) = match page.kind {
            PageKind::Overview => ("Overview".into(), pages::overview(catalog)),
            PageKind::Products { page: n } if self.theme.native.lists => {
                let html = crate::native::lists::products(catalog, n, self.page_size, &root);
                return Ok(Body::Native("Data products".into(), html));
            }
            PageKind::Contracts { page: n } if self.theme.native.lists => {
                let html = crate::native::lists::contracts(catalog, n, self.page_size, &root);
                return Ok(Body::Native("Data contracts".into(), html));
            }
            PageKind::Browse { facet, group, page } if self.theme.native.lists => {
                let groups = match facet {
                    Facet::Tag => &self.plan.tags,
                    Facet::Status => &self.plan.statuses,
                };
                let g = &groups[group];
                let html =
                    crate::native::lists::browse(catalog, facet, g, page, self.page_size, &root);
                let title = format!("{}: {}", facet.heading(), g.label);
                return Ok(Body::Native(title, html));
            }
            PageKind::Products { page: n } => pages::products(catalog, n, self.page_size),
            PageKind::Contracts { page: n } => pages::contracts(catalog, n, self.page_size),
            PageKind::Teams { page: n } => pages::teams(catalog, n, self.page_size),
            PageKind::Domains { page: n } => pages::domains(catalog, n, self.page_size),
            PageKind::Product(i) | PageKind::ProductVersion(i, _) => {
                let version = match page.kind {
                    PageKind::ProductVersion(_, k) => Some(k),
                    _ => None,
                };
                let native = self.theme.native;
                if native.product_page {
                    let access = &self.config.access;
                    let page = crate::native::product_page::render(
                        &self.theme.tera,
                        catalog,
                        i,
                        version,
                        &root,
                        access,
                    );
                    if let Some((title, block)) = page {
                        return Ok(Body::Native(title, block));
                    }
                }
                let (title, mut v) = pages::product_page(catalog, i, version, &root, native);
                access::attach_product(&mut v, catalog, i, version, &self.config.access);
                v["docs"] = onboard::docs::list(catalog, catalog::docs::Owner::Product(i)).into();
                (title, v)
            }
            PageKind::Contract(i) | PageKind::ContractVersion(i, _)
                if self.theme.native.contract_page =>
            {
                if let Some(body) = self.native_contract(page, i, &root)? {
                    return Ok(body);
                }
                match page.kind {
                    PageKind::ContractVersion(_, k) => {
                        pages::contract_page(catalog, i, Some(k), &root, self.theme.native)
                    }
                    _ => {
                        let native = self.theme.native;
                        let (title, mut v) = pages::contract_page(catalog, i, None, &root, native);
                        access::attach_contract(&mut v, catalog, i, &self.config.access);
                        (title, v)
                    }
                }
            }
            PageKind::Contract(i) => {
                let native = self.theme.native;
                let (title, mut v) = pages::contract_page(catalog, i, None, &root, native);
                access::attach_contract(&mut v, catalog, i, &self.config.access);
                (title, v)
            }
            PageKind::ContractVersion(i, k) => {
                pages::contract_page(catalog, i, Some(k), &root, self.theme.native)
            }
            PageKind::ContractDiff(i, k) => versions::compare_page(catalog, i, k),
            PageKind::ContractSource(i) | PageKind::ContractVersionSource(i, _)
                if self.theme.native.contract_source =>
            {
                let version = match page.kind {
                    PageKind::ContractVersionSource(_, k) => Some(k),
                    _ => None,
                };
                let root = self.root(page);
                return Ok(Body::Bytes(crate::native::contract_source::render(
                    catalog,
                    i,
                    version,
                    &root,
                    &self.config.site.title,
                )));
            }
            PageKind::ContractSource(i) => pages::contract_source(catalog, i, None),
            PageKind::ContractVersionSource(i, k) => pages::contract_source(catalog, i, Some(k)),
            PageKind::Team(i) => {
                let mut v = pages::team(catalog, i, self.page_size);
                v["docs"] = onboard::docs::list(catalog, catalog::docs::Owner::Team(i)).into();
                (catalog.teams[i].name.clone(), v)
            }
            PageKind::Domain(i) => {
                let (title, mut v) = pages::domain_page(catalog, i, &root, self.page_size);
                v["docs"] = onboard::docs::list(catalog, catalog::docs::Owner::Domain(i)).into();
                (title, v)
            }
            PageKind::TeamPage {
                team: i,
                page: n,
                size,
            } if self.theme.native.lists => {
                let (title, html) =
                    crate::native::lists::entity_lists(catalog, true, i, n, size, &root);
                return Ok(Body::Native(title, html));
            }
            PageKind::DomainPage {
                domain: i,
                page: n,
                size,
            } if self.theme.native.lists => {
                let (title, html) =
                    crate::native::lists::entity_lists(catalog, false, i, n, size, &root);
                return Ok(Body::Native(title, html));
            }
            PageKind::TeamPage { team, page, size } => {
                pages::entity_lists(catalog, true, team, page, size)
            }
            PageKind::DomainPage { domain, page, size } => {
                pages::entity_lists(catalog, false, domain, page, size)
            }
            PageKind::Lineage => lineage_pages::mesh(catalog, &root),
            PageKind::Health => ("Health".into(), pages::health(catalog, 1)),
            PageKind::HealthPage(n) => (format!("Health, page {n}"), pages::health(catalog, n)),
            PageKind::Changes => ("Contract changes".into(), pages::changes(catalog)),
            PageKind::NotFound => ("Page not found".into(), json!({})),
            PageKind::Search => (
                "Search".into(),
                browse::search_page(catalog, &self.plan.tags, &self.plan.statuses),
            ),
            PageKind::Browse { facet, group, page } => {
                let groups = match facet {
                    Facet::Tag => &self.plan.tags,
                    Facet::Status => &self.plan.statuses,
                };
                browse::listing(catalog, facet, &groups[group], page, self.page_size)
            }
            PageKind::Feed => (
                "Contract changes".into(),
                pages::feed(catalog, &self.config.site.title),
            ),
            PageKind::Sitemap => ("Sitemap".into(), self.sitemap()),
            PageKind::CatalogJson => {
                let kept = self.catalog_parts.get();
                return catalog_json::render_kept(catalog, kept).map(Body::Bytes);
            }
            PageKind::ProductJson(i) => {
                return catalog_json::product(catalog, i, &self.config.access).map(Body::Bytes)
            }
            PageKind::ContractJson(i) => {
                return catalog_json::contract(catalog, i).map(Body::Bytes)
            }
            PageKind::TeamJson(i) => return catalog_json::team(catalog, i).map(Body::Bytes),
            PageKind::DomainJson(i) => return catalog_json::domain(catalog, i).map(Body::Bytes),
            PageKind::LineageJson => return catalog_json::lineage(catalog).map(Body::Bytes),
            PageKind::HealthJson => return catalog_json::health(catalog).map(Body::Bytes),
            PageKind::SearchIndex(shard) => return Ok(Body::Bytes(self.plan.index.file(shard))),
            PageKind::LineageGraph => return Ok(Body::Bytes(lineage_explore::graph_file(catalog))),
            PageKind::LineageNodes(k) => {
                return Ok(Body::Bytes(lineage_explore::shard_file(catalog, k)))
            }
            PageKind::ContractFile(i) => {
                let text = catalog.contracts[i].source_text.as_deref();
                return Ok(Body::Bytes(text.unwrap_or_default().as_bytes().to_vec()));
            }
            PageKind::ContractVersionFile(i, k) => {
                let text = versions::contract(catalog, i, Some(k))
                    .source_text
                    .as_deref();
                return Ok(Body::Bytes(text.unwrap_or_default().as_bytes().to_vec()));
            }
            PageKind::Static(i) => return Ok(Body::Bytes(self.theme.statics[i].1.clone())),
            PageKind::Markdown(twin) => {
                let root = self.link_root(page);
                let links = markdown_twin::Links { root: &root };
                return Ok(Body::Bytes(
                    markdown_twin::render(catalog, twin, &links).into_bytes(),
                ));
            }
            PageKind::LlmsTxt => return Ok(Body::Bytes(llms::index(catalog, self.config))),
            PageKind::LlmsFull => {
                let kept = self.llms_parts.get();
                return Ok(Body::Bytes(llms::full(catalog, self.config, kept)));
            }
            PageKind::Glossary(g) => return g.body(catalog, self.page_size),
            PageKind::People(p) => return p.body(catalog, self.page_size),
            PageKind::Start => (
                "Start here".into(),
                onboard::start::page(catalog, &self.plan.start),
            ),
            PageKind::StartFile(k) => return Ok(Body::Bytes(self.plan.start.images[k].1.clone())),
            PageKind::Concepts => (
                "The words explained".into(),
                json!({ "concepts": onboard::concepts::view() }),
            ),
            PageKind::Publish => (
                "Publish a product here".into(),
                onboard::publish::page(catalog, self.config),
            ),
            PageKind::Doc(k, _) => onboard::docs::page(catalog, k, &root),
            PageKind::DocImage(k) => return Ok(Body::Bytes(catalog.docs.images[k].bytes.clone())),
        };
        Ok(Body::Template(title, context))
    }

    /// Every HTML page but the 404, in plan order, as URLs of folders where they are an index.
    fn sitemap(&self) -> Value {
        let urls: Vec<&str> = self
            .plan
            .pages
            .iter()
            .filter(|p| p.kind.is_html() && p.kind != PageKind::NotFound)
            .map(|p| p.path.strip_suffix("index.html").unwrap_or(&p.path))
            .collect();
        json!({ "urls": urls })
    }
}

/// The base URL ending in `/`, or `/` without one.
fn absolute_root(base_url: &str) -> String {
    if base_url.is_empty() {
        "/".to_string()
    } else if base_url.ends_with('/') {
        base_url.to_string()
    } else {
        format!("{base_url}/")
    }
}

/// The markdown twin of an entity page (the current version's; other versions have none).
pub fn twin_of(kind: PageKind) -> Option<Twin> {
    match kind {
        PageKind::Product(i) => Some(Twin::Product(i)),
        PageKind::Contract(i) => Some(Twin::Contract(i)),
        PageKind::Team(i) => Some(Twin::Team(i)),
        PageKind::Domain(i) => Some(Twin::Domain(i)),
        PageKind::Glossary(GlossaryPage::Term(i)) => Some(Twin::Term(i)),
        PageKind::People(PeoplePage::Person(i)) => Some(Twin::Person(i)),
        _ => None,
    }
}
