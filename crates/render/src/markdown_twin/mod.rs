//! The markdown twin of each entity page (`index.md` beside `index.html`): the page's key facts
//! as plain markdown, for assistants and other readers that want text rather than HTML. One
//! mechanism for every kind: [`Twin`] names the entity, [`render`] writes it; adding a kind is
//! one variant and one arm. `llms.txt` and `llms-full.txt` (see `llms`) link to the twins and
//! reuse the product section.

use std::fmt::Write;

use catalog::Catalog;
use model::DataProduct;

use crate::views::{self, CatalogRefs, Ref};

mod escape;

use escape::{block, cell, url_text};
pub use escape::{code, inline, summary};

/// Items a twin lists per list (a team's products, a domain's contracts): a twin stays small at
/// any mesh size; the rest are on the HTML page's later pages and in catalog.json.
pub const LIST_LIMIT: usize = 100;

/// The entity a twin describes (a catalog index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Twin {
    Product(usize),
    Contract(usize),
    Team(usize),
    Domain(usize),
    /// A glossary term (`catalog.glossary.terms`).
    Term(usize),
    /// A person (`catalog.people.entries`).
    Person(usize),
}

impl Twin {
    /// The twin's path: `index.md` in the folder of the entity's page.
    pub fn path(self, catalog: &Catalog) -> String {
        self.page_url(catalog).replace("index.html", "index.md")
    }

    fn page_url(self, catalog: &Catalog) -> String {
        match self {
            Twin::Product(i) => views::product_url(&catalog.products[i].slug),
            Twin::Contract(i) => views::contract_url(&catalog.contracts[i].slug),
            Twin::Team(i) => views::team_url(&catalog.teams[i].slug),
            Twin::Domain(i) => views::domain_url(&catalog.domains[i].slug),
            Twin::Term(i) => crate::glossary_pages::term_url(&catalog.glossary.terms[i].slug),
            Twin::Person(i) => crate::people_pages::person_url(&catalog.people.entries[i].slug),
        }
    }
}

/// Every twin of the catalog, in page order.
pub fn all(catalog: &Catalog) -> impl Iterator<Item = Twin> {
    (0..catalog.products.len())
        .map(Twin::Product)
        .chain((0..catalog.contracts.len()).map(Twin::Contract))
        .chain((0..catalog.teams.len()).map(Twin::Team))
        .chain((0..catalog.domains.len()).map(Twin::Domain))
        .chain((0..catalog.glossary.terms.len()).map(Twin::Term))
        .chain((0..catalog.people.entries.len()).map(Twin::Person))
}

/// How links are written: `root` is prepended to site paths (`../../` on a twin, the base URL
/// when one is configured).
pub struct Links<'a> {
    pub root: &'a str,
}

impl Links<'_> {
    /// A link to a page's twin (`[Orders](../../products/orders/index.md)`), or the escaped name
    /// alone where the entity has no page.
    pub fn to(&self, r: &Ref) -> String {
        match &r.url {
            Some(url) => format!(
                "[{}]({}{})",
                inline(&r.name),
                self.root,
                url.replace("index.html", "index.md")
            ),
            None => inline(&r.name),
        }
    }

    fn opt(&self, r: Option<Ref>) -> String {
        r.map_or_else(|| "not stated".to_string(), |r| self.to(&r))
    }
}

/// The twin's markdown.
pub fn render(catalog: &Catalog, twin: Twin, links: &Links) -> String {
    let mut out = String::new();
    match twin {
        Twin::Product(i) => product(catalog, i, links, 1, &mut out),
        Twin::Contract(i) => contract(catalog, i, links, &mut out),
        Twin::Team(i) => team(catalog, i, links, &mut out),
        Twin::Domain(i) => domain(catalog, i, links, &mut out),
        Twin::Term(i) => term(catalog, i, links, &mut out),
        Twin::Person(i) => person(catalog, i, links, &mut out),
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    let page = twin.page_url(catalog);
    let json = page.replace("index.html", "index.json");
    let _ = writeln!(
        out,
        "\n---\nThis page: [HTML]({root}{page}) · [JSON record]({root}{json})",
        root = links.root
    );
    out
}

/// A product's essentials, with headings at `level` (1 on its twin, 2 in llms-full.txt).
pub fn product(catalog: &Catalog, i: usize, links: &Links, level: usize, out: &mut String) {
    let p = &catalog.products[i];
    let h = "#".repeat(level);
    let _ = writeln!(out, "{h} {}\n", inline(&p.name));
    facts(
        out,
        &[
            ("Kind", "data product".to_string()),
            ("Id", code(&p.id)),
            ("Version", p.version.as_deref().map_or("—".into(), code)),
            ("Status", p.status.as_deref().map_or("—".into(), inline)),
            ("Owner", links.opt(catalog.team_ref(p.owner.as_deref()))),
            ("Domain", links.opt(catalog.domain_ref(p.domain.as_deref()))),
            ("Service levels", service_levels(catalog, i)),
        ],
    );
    description(out, p.description.as_deref());
    output_ports(catalog, p, links, &h, out);
    access(catalog, p, &h, out);
    let upstream = &catalog.upstream[i];
    if !upstream.is_empty() {
        let _ = writeln!(out, "{h}# Reads from\n");
        for d in upstream {
            let _ = writeln!(out, "- {}", links.to(&catalog.product_ref(d.product)));
        }
        out.push('\n');
    }
}

/// Met / missed objectives of the product, from its metric snapshots and test results.
fn service_levels(catalog: &Catalog, i: usize) -> String {
    let Some(m) = catalog.metrics.product(i) else {
        return "not measured".into();
    };
    let state = match crate::metrics::state(m) {
        "failing" => "failing objectives",
        "stale" => "stale (no recent snapshot)",
        "ok" => "meeting its objectives",
        _ => "measured, no objective evaluated",
    };
    let mut parts = vec![state.to_string()];
    for e in &m.evaluations {
        let status = match e.status {
            catalog::metrics::Status::Pass => "met",
            catalog::metrics::Status::Fail => "missed",
            catalog::metrics::Status::NoData => continue,
        };
        parts.push(format!("{} ({status})", inline(&e.objective.label())));
    }
    parts.join("; ")
}

fn output_ports(catalog: &Catalog, p: &DataProduct, links: &Links, h: &str, out: &mut String) {
    if p.output_ports.is_empty() {
        return;
    }
    let _ = writeln!(out, "{h}# Output ports\n");
    for port in &p.output_ports {
        let mut line = format!("- **{}**", inline(&port.name));
        if let Some(kind) = &port.kind {
            let _ = write!(line, " ({})", inline(kind));
        }
        if let Some(cid) = &port.contract_id {
            let contract = catalog
                .contract_ref_by_id(cid)
                .map_or_else(|| code(cid), |r| links.to(&r));
            let version = port
                .version
                .clone()
                .or_else(|| {
                    catalog
                        .contract_by_id
                        .get(cid)
                        .and_then(|&ci| catalog.contracts[ci].version.clone())
                })
                .map(|v| format!(" version {}", code(&v)))
                .unwrap_or_default();
            let _ = write!(line, ": contract {contract}{version}");
        }
        if let Some(location) = port.location.as_deref().or(port.server.as_deref()) {
            let _ = write!(line, "; at {}", code(location));
        }
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
}

/// How to get access: the roles of the contracts its ports serve, and the support channels.
fn access(catalog: &Catalog, p: &DataProduct, h: &str, out: &mut String) {
    let mut lines = Vec::new();
    for port in &p.output_ports {
        let Some(c) = port
            .contract_id
            .as_ref()
            .and_then(|cid| catalog.contract_by_id.get(cid))
            .map(|&ci| &catalog.contracts[ci])
        else {
            continue;
        };
        for role in &c.roles {
            let mut line = format!("- role {}", code(&role.name));
            if let Some(a) = &role.access {
                let _ = write!(line, " ({} access)", inline(a));
            }
            if !role.approvers.is_empty() {
                let names: Vec<String> = role.approvers.iter().map(|a| inline(a)).collect();
                let _ = write!(line, ", approved by {}", names.join(", "));
            }
            let _ = write!(line, " — port {}", inline(&port.name));
            lines.push(line);
        }
    }
    for s in &p.support {
        let mut line = format!("- ask in {}", inline(&s.channel));
        if let Some(tool) = &s.tool {
            let _ = write!(line, " ({})", inline(tool));
        }
        if let Some(url) = &s.url {
            let _ = write!(line, ": <{}>", url_text(url));
        }
        lines.push(line);
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "{h}# Access\n\n{}\n", lines.join("\n"));
}

fn contract(catalog: &Catalog, i: usize, links: &Links, out: &mut String) {
    let c = &catalog.contracts[i];
    let _ = writeln!(out, "# {}\n", inline(&c.name));
    let product =
        crate::quality_history::serving_product(catalog, i).map(|(pi, _)| catalog.product_ref(pi));
    facts(
        out,
        &[
            ("Kind", "data contract".to_string()),
            ("Id", code(&c.id)),
            ("Version", c.version.as_deref().map_or("—".into(), code)),
            ("Status", c.status.as_deref().map_or("—".into(), inline)),
            ("Standard", inline(&c.standard.label)),
            ("Owner", links.opt(catalog.team_ref(c.owner.as_deref()))),
            ("Domain", links.opt(catalog.domain_ref(c.domain.as_deref()))),
            ("Data product", links.opt(product)),
        ],
    );
    description(out, c.description.as_deref());
    if !c.schema.is_empty() {
        let _ = writeln!(out, "## Schema\n");
        for o in &c.schema {
            let _ = writeln!(out, "### {}\n", inline(&o.name));
            if o.properties.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "| Column | Type | Required | Description |\n|---|---|---|---|"
            );
            for p in o.properties.iter().take(LIST_LIMIT * 5) {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    code(&p.name),
                    cell(
                        p.logical_type
                            .as_deref()
                            .or(p.physical_type.as_deref())
                            .unwrap_or("")
                    ),
                    if p.required { "yes" } else { "" },
                    cell(p.description.as_deref().unwrap_or("")),
                );
            }
            out.push('\n');
        }
    }
    let rules: Vec<String> = c
        .quality
        .iter()
        .chain(c.schema.iter().flat_map(|o| &o.quality))
        .chain(
            c.schema
                .iter()
                .flat_map(|o| o.properties.iter().flat_map(|p| &p.quality)),
        )
        .map(|r| format!("- {}", inline(&r.summary)))
        .collect();
    if !rules.is_empty() {
        let _ = writeln!(out, "## Quality rules\n\n{}\n", rules.join("\n"));
    }
    if !c.sla.is_empty() {
        let _ = writeln!(out, "## Service levels\n");
        for s in &c.sla {
            let unit = s
                .unit
                .as_deref()
                .map(|u| format!(" {}", inline(u)))
                .unwrap_or_default();
            let _ = writeln!(out, "- {}: {}{unit}", inline(&s.property), inline(&s.value));
        }
        out.push('\n');
    }
    let versions = &catalog.contract_versions[i];
    if versions.len() > 1 {
        let _ = writeln!(out, "## Versions\n");
        for v in versions {
            let version = v.info.version.as_deref().unwrap_or("unversioned");
            let status = v
                .info
                .status
                .as_deref()
                .map(|s| format!(" ({})", inline(s)))
                .unwrap_or_default();
            let current = if v.info.current { ", current" } else { "" };
            let _ = writeln!(out, "- {}{status}{current}", code(version));
        }
        out.push('\n');
    }
}

fn team(catalog: &Catalog, i: usize, links: &Links, out: &mut String) {
    let t = &catalog.teams[i];
    let _ = writeln!(out, "# {}\n", inline(&t.name));
    facts(
        out,
        &[
            ("Kind", "team".to_string()),
            ("Id", code(&t.id)),
            ("Domain", links.opt(catalog.domain_ref(t.domain.as_deref()))),
            ("E-mail", t.email.as_deref().map_or("—".into(), inline)),
        ],
    );
    description(out, t.description.as_deref());
    if !t.members.is_empty() {
        let _ = writeln!(out, "## Members\n");
        for m in t.members.iter().take(LIST_LIMIT) {
            let name = m.name.as_deref().unwrap_or(&m.id);
            let role = m
                .role
                .as_deref()
                .map(|r| format!(" ({})", inline(r)))
                .unwrap_or_default();
            let email = m
                .email
                .as_deref()
                .map(|e| format!(" <{}>", url_text(e)))
                .unwrap_or_default();
            let _ = writeln!(out, "- {}{role}{email}", inline(name));
        }
        more(out, t.members.len());
    }
    listed(
        catalog,
        &catalog.team_products[i],
        &catalog.team_contracts[i],
        links,
        out,
    );
}

fn domain(catalog: &Catalog, i: usize, links: &Links, out: &mut String) {
    let d = &catalog.domains[i];
    let _ = writeln!(out, "# {}\n", inline(&d.name));
    facts(
        out,
        &[
            ("Kind", "domain".to_string()),
            ("Id", code(&d.id)),
            ("Owner", links.opt(catalog.team_ref(d.owner.as_deref()))),
        ],
    );
    description(out, d.description.as_deref());
    listed(
        catalog,
        &catalog.domain_products[i],
        &catalog.domain_contracts[i],
        links,
        out,
    );
}

/// A team's or domain's products (with one line each) and contracts, bounded.
fn listed(
    catalog: &Catalog,
    products: &[usize],
    contracts: &[usize],
    links: &Links,
    out: &mut String,
) {
    if !products.is_empty() {
        let _ = writeln!(out, "## Data products ({})\n", products.len());
        for &pi in products.iter().take(LIST_LIMIT) {
            let summary = summary(catalog.products[pi].description.as_deref());
            let _ = writeln!(out, "- {}{summary}", links.to(&catalog.product_ref(pi)));
        }
        more(out, products.len());
    }
    if !contracts.is_empty() {
        let _ = writeln!(out, "## Data contracts ({})\n", contracts.len());
        for &ci in contracts.iter().take(LIST_LIMIT) {
            let _ = writeln!(out, "- {}", links.to(&catalog.contract_ref(ci)));
        }
        more(out, contracts.len());
    }
}

fn more(out: &mut String, total: usize) {
    if total > LIST_LIMIT {
        let _ = writeln!(
            out,
            "- … and {} more (all of them on the HTML page and in catalog.json)",
            total - LIST_LIMIT
        );
    }
    out.push('\n');
}

fn facts(out: &mut String, rows: &[(&str, String)]) {
    for (label, value) in rows {
        let _ = writeln!(out, "- **{label}:** {value}");
    }
    out.push('\n');
}

fn description(out: &mut String, text: Option<&str>) {
    if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
        let _ = writeln!(out, "{}\n", block(text));
    }
}

fn term(catalog: &Catalog, i: usize, links: &Links, out: &mut String) {
    let t = &catalog.glossary.terms[i];
    let used = &catalog.glossary.usages[i];
    let _ = writeln!(out, "# {}\n", inline(&t.name));
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    facts(
        out,
        &[
            ("Kind", "business term".to_string()),
            ("Id", code(&t.id)),
            ("Type", t.kind.as_deref().map_or("—".into(), code)),
            ("Personal data", t.pii.map_or("not stated".into(), yes_no)),
            ("Owner", links.opt(catalog.team_ref(t.owner.as_deref()))),
            ("Domain", links.opt(catalog.domain_ref(t.domain.as_deref()))),
            ("Example", t.example.as_deref().map_or("—".into(), code)),
        ],
    );
    if !t.synonyms.is_empty() {
        let names: Vec<String> = t.synonyms.iter().map(|s| inline(s)).collect();
        let _ = writeln!(out, "Also called: {}\n", names.join(", "));
    }
    description(out, t.description.as_deref());
    if !used.columns.is_empty() {
        let _ = writeln!(out, "## Columns that hold it\n");
        for c in used.columns.iter().take(LIST_LIMIT) {
            let _ = writeln!(
                out,
                "- {} in {}",
                code(&format!("{}.{}", c.object, c.column)),
                links.to(&catalog.contract_ref(c.contract))
            );
        }
        more(out, used.columns.len());
    }
    if !used.products.is_empty() {
        let _ = writeln!(out, "## Products that use it\n");
        for &p in used.products.iter().take(LIST_LIMIT) {
            let _ = writeln!(out, "- {}", links.to(&catalog.product_ref(p)));
        }
        more(out, used.products.len());
    }
}

fn person(catalog: &Catalog, i: usize, links: &Links, out: &mut String) {
    let p = &catalog.people.entries[i];
    let name = p.person.name.as_deref().unwrap_or(&p.person.id);
    let _ = writeln!(out, "# {}\n", inline(name));
    facts(
        out,
        &[
            ("Kind", "person".to_string()),
            ("Id", code(&p.person.id)),
            (
                "E-mail",
                p.person.email.as_deref().map_or("—".into(), url_text),
            ),
        ],
    );
    if !p.roles.is_empty() {
        let _ = writeln!(out, "## Roles\n");
        for r in p.roles.iter().take(LIST_LIMIT) {
            let place = match r.on {
                catalog::people::RoleOn::Team(t) => {
                    links.opt(catalog.team_ref(Some(&catalog.teams[t].id)))
                }
                catalog::people::RoleOn::Product(x) => links.to(&catalog.product_ref(x)),
                catalog::people::RoleOn::Contract(x) => links.to(&catalog.contract_ref(x)),
            };
            let _ = writeln!(out, "- {} of {place}", inline(&r.role));
        }
        more(out, p.roles.len());
    }
}
