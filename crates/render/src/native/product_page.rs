//! The content block of product.html, compiled: the bytes the template writes (once the
//! page's whitespace is collapsed), straight from the catalog, with no JSON context in
//! between. It is the largest page kind of a site (one per product) and building its context,
//! converting it into template values and interpreting the template were most of its cost.
//!
//! Each part follows product.html section by section; the components it calls are in
//! [`super::parts`] (shared with the other compiled pages) and [`super::product_lineage`].
//! The service-level section stays metrics.html's `metrics_section`, called through a small
//! internal template ([`METRICS_TEMPLATE`]) on the pages that have one, so an override of
//! metrics.html still takes effect. A product with a value kept as written that is not text
//! ([`parts::Unsupported`]) gets `None`: its page is rendered by product.html, with the
//! context it always had.

use catalog::Catalog;
use config::access::Access;

use super::html::{filled, Html};
use super::parts::{self, Banner, Written};
use crate::pages::{self, INPUT_ROWS, PII_COLUMNS_SHOWN, PORT_CONSUMERS_SHOWN};
use crate::views::{self, CatalogRefs, KeyValue};
use crate::{lineage_pages, markdown, versions};

/// The title and content block of product `i`'s page (`version`: a version that is not
/// current), or None where the template must write it.
pub fn render(
    tera: &tera::Tera,
    catalog: &Catalog,
    i: usize,
    version: Option<usize>,
    root: &str,
    access: &Access,
) -> Option<(String, Html)> {
    let mut h = Html::with_capacity(24 * 1024);
    Page {
        tera,
        catalog,
        i,
        version,
        root,
        access,
    }
    .write(&mut h)
    .ok()?;
    // As `pages::product_page` titles it: the version on the page of one that is not current.
    let p = versions::product(catalog, i, version);
    let banner = versions::banner(catalog, versions::Kind::Product, i, version);
    let title = match banner["version"].as_str() {
        Some(v) => format!("{} {v}", p.name),
        None => p.name.clone(),
    };
    Some((title, h))
}

/// `metrics_section` of metrics.html on its own: `metrics` is `metrics::product`'s view.
pub const METRICS_TEMPLATE: (&str, &str) = (
    "meshdoc/metrics_section.html",
    "{{ <metrics_section m={metrics} /> }}",
);

/// What every part of the page reads.
struct Page<'a> {
    tera: &'a tera::Tera,
    catalog: &'a Catalog,
    i: usize,
    version: Option<usize>,
    root: &'a str,
    access: &'a Access,
}

impl Page<'_> {
    fn write(&self, h: &mut Html) -> Written {
        let (catalog, i, root) = (self.catalog, self.i, self.root);
        let p = versions::product(catalog, i, self.version);
        let banner_json = versions::banner(catalog, versions::Kind::Product, i, self.version);
        let banner = Banner::of(&banner_json);
        let domain = catalog.domain_ref(p.domain.as_deref());
        let owner = catalog.team_ref(p.owner.as_deref());
        let description = p.description.as_deref().map(markdown::render);
        let description = description.filter(|d| !d.is_empty());
        let sections = views::table_sections(&p.tables);
        let docs = docs(catalog, i);
        let members = views::members(catalog, &p.members);
        let custom: Vec<KeyValue> = views::key_values(&p.custom)
            .into_iter()
            .filter(|kv| {
                !p.tables
                    .iter()
                    .any(|t| t.key.as_deref() == Some(kv.key.as_str()))
            })
            .collect();
        let extensions = views::key_values(&p.extensions);
        let versions = versions::section(catalog, versions::Kind::Product, i, self.version);
        let about =
            description.is_some() || !p.description_parts.is_empty() || p.guidance.is_some();

        h.raw("\n");
        parts::version_crumbs(
            h,
            banner.as_ref(),
            "Data products",
            "products/index.html",
            &p.name,
            root,
        );
        self.header(h, p);
        h.raw("\n");
        parts::version_banner(h, banner.as_ref(), root);
        h.raw("\n");
        let diagnostics = pages::file_diagnostics(catalog, &p.origin.source, &p.origin.path);
        let shown = &diagnostics[..diagnostics.len().min(pages::DIAGNOSTICS_SHOWN)];
        parts::diagnostics_box(h, shown, diagnostics.len(), "", root);
        self.facts(h, p, domain.as_ref(), owner.as_ref());

        // The table of contents.
        h.raw("\n<nav class=\"page-toc\" aria-label=\"On this page\">\n<ul>");
        if about {
            h.raw("<li><a href=\"#about\">About</a></li>");
        }
        if self.version.is_none() && catalog.metrics.product(i).is_some() {
            h.raw("<li><a href=\"#metrics\">Service levels</a></li>");
        }
        for sec in &sections {
            h.raw("<li><a href=\"#")
                .text(sec["anchor"].as_str().unwrap_or(""))
                .raw("\">")
                .text(sec["title"].as_str().unwrap_or(""))
                .raw("</a></li>");
        }
        if !docs.is_empty() {
            h.raw("<li><a href=\"#docs\">Documentation</a></li>");
        }
        h.raw("\n<li><a href=\"#outputs\">Output ports</a></li>\n<li><a href=\"#inputs\">Input ports</a></li>");
        if !p.management_ports.is_empty() {
            h.raw("<li><a href=\"#management\">Management ports</a></li>");
        }
        h.raw("\n<li><a href=\"#lineage\">Lineage</a></li>");
        if !members.is_empty() || p.team.is_some() {
            h.raw("<li><a href=\"#team\">Team</a></li>");
        }
        if !p.support.is_empty() || !p.links.is_empty() {
            h.raw("<li><a href=\"#support\">Support &amp; links</a></li>");
        }
        if !custom.is_empty() {
            h.raw("<li><a href=\"#custom\">Custom properties</a></li>");
        }
        if !extensions.is_empty() {
            h.raw("<li><a href=\"#extensions\">Extension fields</a></li>");
        }
        if !versions.is_empty() {
            h.raw("<li><a href=\"#versions\">Versions</a></li>");
        }
        h.raw("\n</ul>\n</nav>\n");

        if about {
            h.section_quoted("about", "About").raw("</h2>\n");
            if let Some(d) = &description {
                h.raw("<div class=\"prose\">").html(d).raw("</div>");
            }
            for part in views::parts(&p.description_parts) {
                h.raw("\n<h3 class=\"part-title\">")
                    .text(&part.label)
                    .raw("</h3>\n<div class=\"prose\">")
                    .html(&part.html)
                    .raw("</div>");
            }
            if let Some(g) = &p.guidance {
                h.raw("\n<h3 class=\"part-title\">Guidance for AI agents</h3>\n");
                parts::guidance_block(h, g);
            }
            h.raw("\n</section>\n");
        }
        h.raw("\n");
        if self.version.is_none() {
            self.metrics(h)?;
        }
        table_sections(h, &sections);
        parts::docs_section(h, &docs, root);
        h.raw("\n");
        self.outputs(h, p)?;
        h.raw("\n");
        self.inputs(h, p);
        h.raw("\n");
        management(h, &p.management_ports);
        h.raw("\n");
        self.lineage(h, banner.as_ref());
        h.raw("\n");
        if !members.is_empty() || p.team.is_some() {
            h.section_quoted("team", "Team").raw("</h2>\n");
            if let Some(o) = &owner {
                h.raw("<p class=\"muted\">Owned by ");
                parts::ref_link(h, o, root);
                h.raw("</p>");
            }
            h.raw("\n");
            if let Some(t) = &p.team {
                team_block(h, t)?;
            }
            h.raw("\n");
            if !members.is_empty() {
                parts::members_table(h, &members, root);
            }
            h.raw("\n</section>\n");
        }
        h.raw("\n");
        if !p.support.is_empty() || !p.links.is_empty() {
            h.section_quoted("support", "Support &amp; links")
                .raw("</h2>\n<div class=\"grid-2\">\n");
            if !p.support.is_empty() {
                h.raw("<div><h3>Support</h3>");
                parts::support_list(h, &p.support.iter().collect::<Vec<_>>())?;
                h.raw("</div>");
            }
            h.raw("\n");
            if !p.links.is_empty() {
                h.raw("<div><h3>Links</h3>");
                parts::links_list(h, &p.links);
                h.raw("</div>");
            }
            h.raw("\n</div>\n</section>\n");
        }
        h.raw("\n");
        if !custom.is_empty() {
            h.section_quoted("custom", "Custom properties")
                .raw("</h2>\n");
            parts::props_table(h, &custom, "Custom properties", false);
            h.raw("\n</section>\n");
        }
        h.raw("\n");
        if !extensions.is_empty() {
            h.section_quoted(
                "extensions",
                "Extension fields <span class=\"label-ext\">extension</span>",
            )
            .raw(
                "</h2>\n<p class=\"muted small\">Fields in this manifest that are not part of the ",
            )
            .text(&p.standard.label)
            .raw(" standard, shown as written.</p>\n");
            parts::props_table(h, &extensions, "Extension fields", true);
            h.raw("\n</section>\n");
        }
        h.raw("\n");
        let total = catalog.product_versions.get(i).map_or(1, Vec::len);
        let current_url = banner.as_ref().map_or("", |b| b.current_url);
        parts::versions_section(h, &versions, total, current_url, false, root)?;
        h.raw("\n");
        parts::provenance(h, &p.origin)?;
        h.raw("\n");
        Ok(())
    }

    /// The service-level section, through metrics.html (current version's page only).
    fn metrics(&self, h: &mut Html) -> Written {
        let view = crate::metrics::product(self.catalog, self.i);
        if view.is_null() {
            return Ok(());
        }
        let mut context = tera::Context::new();
        context.insert("root", self.root);
        context.insert_value("metrics", crate::context::tera_value(view));
        // An error is the template's to report: the page is rendered the template's way.
        let html = self
            .tera
            .render(METRICS_TEMPLATE.0, &context)
            .map_err(|_| parts::Unsupported)?;
        h.html(&html);
        Ok(())
    }

    /// The page header: name, pills, tags, synonyms.
    fn header(&self, h: &mut Html, p: &model::DataProduct) {
        h.raw("\n<header class=\"page-header\">\n<div class=\"title-row\">\n<h1>")
            .text(&p.name)
            .raw("</h1>\n");
        parts::status_pill(h, &p.status);
        h.raw("\n");
        if p.deprecated {
            h.raw(parts::DEPRECATED_PILL);
        }
        h.raw("\n");
        parts::standard_pill(h, &p.standard);
        h.raw("\n</div>\n");
        parts::tags(h, &p.tags);
        h.raw("\n");
        parts::synonyms(h, &p.synonyms);
        h.raw("\n</header>\n");
    }

    /// The facts list: id, domain, owner, archetype, version, tenant, created.
    fn facts(
        &self,
        h: &mut Html,
        p: &model::DataProduct,
        domain: Option<&views::Ref>,
        owner: Option<&views::Ref>,
    ) {
        let root = self.root;
        h.raw("\n<dl class=\"facts\">\n<div class=\"fact\"><dt>ID</dt><dd><code>")
            .text(&p.id)
            .raw("</code></dd></div>\n<div class=\"fact\"><dt>Domain ");
        parts::help(h, "domain", "a domain", root);
        h.raw("</dt><dd>");
        parts::ref_or(h, domain, "—", root);
        h.raw("</dd></div>\n<div class=\"fact\"><dt>Owner ");
        parts::help(h, "team", "an owning team", root);
        h.raw("</dt><dd>");
        parts::ref_or(h, owner, "—", root);
        h.raw("</dd></div>\n<div class=\"fact\"><dt>Archetype ");
        parts::help(h, "archetype", "an archetype", root);
        h.raw("</dt><dd>");
        parts::text_or_dash(h, &p.archetype);
        h.raw("</dd></div>\n<div class=\"fact\"><dt>Version ");
        parts::help(h, "version", "a version", root);
        h.raw("</dt><dd>");
        match filled(&p.version) {
            Some(v) => h.raw("<code>").text(v).raw("</code>"),
            None => h.raw("<span class=\"muted\">—</span>"),
        };
        h.raw("</dd></div>");
        if let Some(t) = filled(&p.tenant) {
            h.raw("\n<div class=\"fact fact-wide\"><dt>Tenant</dt><dd>")
                .text(t)
                .raw("</dd></div>");
        }
        if let Some(created) = filled(&p.created) {
            h.raw("\n<div class=\"fact fact-wide\"><dt>Created</dt><dd>");
            let shown = model::display::spoken(created, None);
            match shown.datetime.as_deref().filter(|d| !d.is_empty()) {
                Some(dt) => {
                    h.raw("<time datetime=\"")
                        .text(dt)
                        .raw("\">")
                        .text(&shown.text)
                        .raw("</time> <span class=\"muted small\">as written: <code>")
                        .text(created)
                        .raw("</code></span>");
                }
                None => {
                    h.text(created);
                }
            }
            h.raw("</dd></div>");
        }
        h.raw("\n</dl>\n");
    }

    /// The output port cards, each with its access block.
    fn outputs(&self, h: &mut Html, p: &model::DataProduct) -> Written {
        let (catalog, root) = (self.catalog, self.root);
        h.section_quoted("outputs", "Output ports <span class=\"count-badge\">")
            .num(p.output_ports.len())
            .raw("</span> ");
        parts::help(h, "output-port", "an output port", root);
        h.raw("</h2>");
        for (k, port) in p.output_ports.iter().enumerate() {
            let n = k + 1;
            self.output(h, p, port, n)?;
        }
        if p.output_ports.is_empty() {
            h.raw("\n<p class=\"muted\">This data product declares no output ports.</p>");
        }
        h.raw("\n</section>\n");
        let _ = catalog;
        Ok(())
    }

    fn output(
        &self,
        h: &mut Html,
        p: &model::DataProduct,
        port: &model::OutputPort,
        n: usize,
    ) -> Written {
        let (catalog, root) = (self.catalog, self.root);
        let facts = catalog::ports::output_port(catalog, port);
        h.raw("\n<article class=\"card port\" id=\"output-")
            .num(n)
            .raw("\" aria-labelledby=\"output-")
            .num(n)
            .raw("-title\">\n<header class=\"card-header\">\n<h3 class=\"card-title\" id=\"output-")
            .num(n)
            .raw("-title\">")
            .text(&port.name)
            .raw("</h3>\n");
        if port.id != port.name && !port.id.is_empty() {
            h.raw("<code class=\"muted small\">")
                .text(&port.id)
                .raw("</code>");
        }
        h.raw("\n");
        if let Some(kind) = filled(&port.kind) {
            h.raw("<span class=\"pill pill-quiet\">")
                .text(kind)
                .raw("</span>");
        }
        h.raw("\n");
        parts::status_pill(h, &port.status);
        h.raw("\n");
        if port.deprecated {
            h.raw(parts::DEPRECATED_PILL);
        }
        h.raw("\n");
        if facts.contains_pii == Some(true) {
            parts::pii_badge(h, "Contains PII");
        }
        h.raw("\n</header>\n");
        if let Some(d) = filled(&port.description) {
            h.raw("<p class=\"card-desc\">").inline(d).raw("</p>");
        }
        h.raw("\n");
        parts::synonyms(h, &port.synonyms);
        h.raw("\n<dl class=\"facts facts-compact\">\n<div class=\"fact\"><dt>Contract ");
        parts::help(h, "contract", "a data contract", root);
        h.raw("</dt><dd>");
        match port.contract_id.as_deref() {
            Some(id) if !catalog.contract_by_id.contains_key(id) => {
                h.raw("<span class=\"missing\" title=\"No contract file defines this id\"><span aria-hidden=\"true\">⚠</span> <code>")
                    .text(id)
                    .raw("</code> not found</span>");
            }
            Some(id) => {
                let r = pages::contract_or_missing(catalog, id, port.version.as_deref());
                parts::ref_link(h, &r, root);
            }
            None => {
                h.raw("<span class=\"muted\">None</span>");
            }
        }
        h.raw("</dd></div>\n<div class=\"fact\"><dt>Version</dt><dd>");
        if let Some(v) = filled(&port.version) {
            h.raw("<code>").text(v).raw("</code>");
        } else if let Some(v) = filled(&facts.contract_version) {
            h.raw("<code>")
                .text(v)
                .raw("</code> <span class=\"muted small\">its contract's</span>");
        } else {
            h.raw("<span class=\"muted\">Not stated</span>");
        }
        h.raw("</dd></div>");
        let location = filled(&port.location);
        if let Some(l) = location {
            h.raw("\n<div class=\"fact fact-wide\"><dt>Location</dt><dd><code class=\"url\">")
                .text(l)
                .raw("</code></dd></div>");
        }
        if !facts.servers.is_empty() || location.is_none() {
            h.raw("\n<div class=\"fact\"><dt>")
                .raw(if facts.servers.len() > 1 {
                    "Servers"
                } else {
                    "Server"
                })
                .raw("</dt><dd>");
            for (k, s) in facts.servers.iter().enumerate() {
                h.raw("<code>").text(&s.name).raw("</code>");
                let (kind, env) = (filled(&s.kind), filled(&s.environment));
                if kind.is_some() || env.is_some() {
                    h.raw(" <span class=\"muted small\">")
                        .text(s.kind.as_deref().unwrap_or(""));
                    if kind.is_some() && env.is_some() {
                        h.raw(", ");
                    }
                    h.text(s.environment.as_deref().unwrap_or(""))
                        .raw("</span>");
                }
                if k + 1 < facts.servers.len() {
                    h.raw("; ");
                }
            }
            if facts.servers.is_empty() {
                h.raw("<span class=\"muted\">Not stated</span>");
            }
            h.raw("</dd></div>");
        }
        h.raw("\n<div class=\"fact")
            .raw(if facts.pii_columns.is_empty() {
                ""
            } else {
                " fact-wide"
            })
            .raw("\"><dt>Personal data ");
        parts::help(h, "pii", "personal data (PII)", root);
        h.raw("</dt><dd>");
        let stated_by = facts.pii_stated_by;
        match facts.contains_pii {
            Some(true) => {
                h.raw("Yes");
                let columns = &facts.pii_columns;
                if !columns.is_empty() {
                    h.raw(" <span class=\"muted small\">— ")
                        .num(columns.len())
                        .raw(" column")
                        .raw(parts::plural(columns.len()))
                        .raw(" of its contract: ");
                    let shown = &columns[..columns.len().min(PII_COLUMNS_SHOWN)];
                    for (k, c) in shown.iter().enumerate() {
                        h.raw("<code>").text(c).raw("</code>");
                        if k + 1 < shown.len() {
                            h.raw(", ");
                        }
                    }
                    if columns.len() > shown.len() {
                        h.raw(" and ").num(columns.len() - shown.len()).raw(" more");
                    }
                    h.raw("</span>");
                } else if stated_by == Some(catalog::ports::Stated::Port) {
                    h.raw(" <span class=\"muted small\">(stated on the port)</span>");
                }
            }
            None => {
                h.raw("<span class=\"muted\">Not stated</span>");
            }
            Some(false) if stated_by == Some(catalog::ports::Stated::Contract) => {
                h.raw("No <span class=\"muted small\">— no column of its contract is marked personal</span>");
            }
            Some(false) => {
                h.raw("No");
            }
        }
        h.raw("</dd></div>");
        if !facts.critical_columns.is_empty() {
            let n = facts.critical_columns.len();
            h.raw("\n<div class=\"fact\"><dt>Critical data elements ");
            parts::help(h, "cde", "a critical data element", root);
            h.raw("</dt><dd>")
                .num(n)
                .raw(" <span class=\"muted small\">column")
                .raw(parts::plural(n))
                .raw(" of its contract</span></dd></div>");
        }
        if !port.input_contracts.is_empty() {
            h.raw("\n<div class=\"fact\"><dt>Built from</dt><dd>");
            for (k, id) in port.input_contracts.iter().enumerate() {
                let version = port
                    .input_contract_versions
                    .iter()
                    .find(|v| &v.id == id)
                    .map(|v| v.version.as_str());
                parts::ref_link(h, &pages::contract_or_missing(catalog, id, version), root);
                if let Some(v) = version.filter(|v| !v.is_empty()) {
                    h.raw(" <span class=\"muted small\">version <code>")
                        .text(v)
                        .raw("</code></span>");
                }
                if k + 1 < port.input_contracts.len() {
                    h.raw(", ");
                }
            }
            h.raw("</dd></div>");
        }
        h.raw("\n</dl>\n<p class=\"consumers\"><span class=\"label\">Read by</span> ");
        let (consumers, count) = self.consumers(port.contract_id.as_ref());
        let more = count - consumers.len();
        if more > 0 {
            h.num(count).raw(" products: ");
        }
        parts::ref_list(h, &consumers, "No known consumers", root);
        if more > 0 {
            h.raw(" and ")
                .num(more)
                .raw(" more (all in <code>lineage/index.json</code>)");
        }
        h.raw("</p>");
        if !port.links.is_empty() {
            h.raw("<div class=\"port-links small\"><span class=\"label\">Links</span> ");
            parts::link_line(h, &port.links);
            h.raw("</div>");
        }
        if !port.sbom.is_empty() {
            h.raw("<div class=\"port-links small\"><span class=\"label\">SBOM</span> ");
            parts::link_line(h, &port.sbom);
            h.raw("</div>");
        }
        h.raw("\n");
        parts::tags(h, &port.tags);
        h.raw("\n");
        parts::kv_inline(h, &views::flat_values(&port.details));
        h.raw("\n");
        if let Some(g) = &port.guidance {
            h.raw("\n<details class=\"details\">\n<summary>Guidance for AI agents</summary>\n");
            parts::guidance_block_as_written(h, g)?;
            h.raw("\n</details>\n");
        }
        h.raw("\n");
        let custom = views::key_values(&port.custom);
        if !custom.is_empty() {
            h.raw("\n<details class=\"details\">\n<summary>Custom properties (")
                .num(custom.len())
                .raw(")</summary>\n");
            parts::props_table(h, &custom, "Custom properties of this port", false);
            h.raw("\n</details>\n");
        }
        let a = catalog::access::port_access(catalog, self.i, port);
        let id = format!("output-{n}-access");
        parts::access_block(h, catalog, self.access, &a, &id, "h4", root)?;
        h.raw("\n</article>");
        let _ = p;
        Ok(())
    }

    /// The first readers of a port's contract (the current version's page only), and how many
    /// there are in all.
    fn consumers(&self, contract: Option<&String>) -> (Vec<views::Ref>, usize) {
        let catalog = self.catalog;
        if self.version.is_some() || contract.is_none() {
            return (Vec::new(), 0);
        }
        let mut readers = catalog.downstream[self.i]
            .iter()
            .filter(|d| d.contract.as_ref() == contract);
        let shown: Vec<views::Ref> = readers
            .by_ref()
            .take(PORT_CONSUMERS_SHOWN)
            .map(|d| catalog.product_ref(d.product))
            .collect();
        let total = shown.len() + readers.count();
        (shown, total)
    }

    /// The input ports table (its first [`INPUT_ROWS`]).
    fn inputs(&self, h: &mut Html, p: &model::DataProduct) {
        let (catalog, root) = (self.catalog, self.root);
        h.section_quoted("inputs", "Input ports <span class=\"count-badge\">")
            .num(p.input_ports.len())
            .raw("</span> ");
        parts::help(h, "input-port", "an input port", root);
        h.raw("</h2>\n");
        if p.input_ports.is_empty() {
            h.raw(
                "\n<p class=\"muted\">This data product declares no input ports.</p>\n</section>\n",
            );
            return;
        }
        h.raw("\n<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"inputs-title\">\n<table class=\"table\">\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Reads from</th><th scope=\"col\">Contract</th><th scope=\"col\">Kind</th><th scope=\"col\">Version</th></tr></thead>\n<tbody>");
        let shown = &p.input_ports[..p.input_ports.len().min(INPUT_ROWS)];
        for port in shown {
            h.raw("\n<tr>\n<th scope=\"row\">\n<span class=\"cell-title\">")
                .text(&port.name)
                .raw("</span>");
            if port.id != port.name && !port.id.is_empty() {
                h.raw(" <code class=\"muted small\">")
                    .text(&port.id)
                    .raw("</code>");
            }
            if port.deprecated {
                h.raw(" <span class=\"pill status status-deprecated\">deprecated</span>");
            }
            if let Some(d) = filled(&port.description) {
                h.raw("<p class=\"cell-desc\">").inline(d).raw("</p>");
            }
            if let Some(l) = filled(&port.location) {
                h.raw("<div class=\"small\"><span class=\"label\">Location</span> <code class=\"url\">")
                    .text(l)
                    .raw("</code></div>");
            }
            if !port.links.is_empty() {
                h.raw("<div class=\"small\"><span class=\"label\">Links</span> ");
                parts::link_line(h, &port.links);
                h.raw("</div>");
            }
            let custom = views::key_values(&port.custom);
            if !custom.is_empty() {
                h.raw("\n");
                parts::custom_inline(h, &custom);
            }
            h.raw("\n");
            parts::kv_inline(h, &views::flat_values(&port.details));
            parts::tags(h, &port.tags);
            h.raw("\n</th>\n<td>");
            let upstream = port
                .source_product
                .as_deref()
                .and_then(|id| catalog.product_ref_by_id(id))
                // Ports of a version that is not current are not resolved: its provider.
                .or_else(|| {
                    let c = port.contract_id.as_ref()?;
                    let &(pi, _) = catalog.contract_provider.get(c)?;
                    Some(catalog.product_ref(pi))
                });
            if let Some(u) = &upstream {
                parts::ref_link(h, u, root);
            } else if let Some(s) = port.source_system.as_deref() {
                let name = pages::system_name(catalog, s);
                if name.is_empty() {
                    h.raw("<span class=\"muted\">—</span>");
                } else {
                    h.text(&name).raw(" <span class=\"pill pill-quiet\" title=\"A source system, not a data product\">system</span>");
                }
            } else {
                h.raw("<span class=\"muted\">—</span>");
            }
            h.raw("</td>\n<td>");
            match port.contract_id.as_deref() {
                Some(id) => {
                    let r = pages::contract_or_missing(catalog, id, port.version.as_deref());
                    if filled(&r.url).is_some() {
                        parts::ref_link(h, &r, root);
                    } else {
                        h.raw("<span class=\"missing\" title=\"No contract file defines this id\"><span aria-hidden=\"true\">⚠</span> <code>")
                            .text(&r.id)
                            .raw("</code></span>");
                    }
                }
                None => {
                    h.raw("<span class=\"muted\">—</span>");
                }
            }
            h.raw("</td>\n<td>");
            parts::text_or_dash(h, &port.kind);
            h.raw("</td>\n<td>");
            match filled(&port.version) {
                Some(v) => h.raw("<code>").text(v).raw("</code>"),
                None => h.raw("<span class=\"muted\">—</span>"),
            };
            h.raw("</td>\n</tr>");
        }
        h.raw("\n</tbody>\n</table>\n</div>");
        if p.input_ports.len() > shown.len() {
            h.raw("<p class=\"muted small\">… and ")
                .num(p.input_ports.len() - shown.len())
                .raw(" more (all in <code>index.json</code> beside this page).</p>");
        }
        h.raw("\n</section>\n");
    }

    /// The lineage section: the compiled one of the current version, a pointer to it on others.
    fn lineage(&self, h: &mut Html, banner: Option<&Banner>) {
        let root = self.root;
        h.section_quoted("lineage", "Lineage ");
        parts::help(h, "lineage", "lineage", root);
        h.raw("</h2>");
        match banner {
            Some(b) => {
                h.raw("\n<p class=\"muted\">Lineage follows the current version: see <a href=\"")
                    .text(root)
                    .text(b.current_url)
                    .raw("#lineage\">its page</a>.</p>");
            }
            None => {
                let view = lineage_pages::product_view(self.catalog, self.i, root);
                h.raw("\n");
                super::product_lineage::render_into(h, &view, root);
            }
        }
        h.raw("\n</section>\n");
    }
}

/// The documentation pages of product `i`: (title, url).
fn docs(catalog: &Catalog, i: usize) -> Vec<(String, String)> {
    use crate::onboard::docs;
    catalog
        .docs
        .of(catalog::docs::Owner::Product(i))
        .iter()
        .map(|&k| {
            (
                docs::title(&catalog.docs.pages[k]),
                docs::page_path(catalog, k),
            )
        })
        .collect()
}

/// The SLA and data-quality tables (`views::table_sections`).
fn table_sections(h: &mut Html, sections: &[serde_json::Value]) {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    for sec in sections {
        let (anchor, title) = (text(&sec["anchor"]), text(&sec["title"]));
        h.raw("\n<section class=\"section\" id=\"")
            .text(&anchor)
            .raw("\" aria-labelledby=\"")
            .text(&anchor)
            .raw("-title\">\n<h2 id=\"")
            .text(&anchor)
            .raw("-title\">")
            .text(&title)
            .raw("</h2>");
        for t in sec["tables"].as_array().into_iter().flatten() {
            let caption = t["caption"].as_str().filter(|c| !c.is_empty());
            if let Some(c) = caption {
                h.raw("<h3 class=\"part-title\">").text(c).raw("</h3>");
            }
            if let Some(d) = t["description"].as_str().filter(|d| !d.is_empty()) {
                h.raw("<p>").inline(d).raw("</p>");
            }
            let rows = t["rows"].as_array().map_or(&[][..], Vec::as_slice);
            if rows.is_empty() {
                continue;
            }
            h.raw("\n<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"")
                .text(&anchor)
                .raw("-title\">\n<table class=\"table\">\n<caption class=\"visually-hidden\">")
                .text(caption.unwrap_or(&title))
                .raw("</caption>\n<thead><tr>");
            for c in t["columns"].as_array().into_iter().flatten() {
                h.raw("<th scope=\"col\">")
                    .text(c.as_str().unwrap_or(""))
                    .raw("</th>");
            }
            h.raw("</tr></thead>\n<tbody>");
            for row in rows {
                h.raw("\n<tr>");
                for cell in row.as_array().into_iter().flatten() {
                    let text = cell["text"].as_str().unwrap_or("");
                    h.raw("<td>");
                    if cell["pre"].as_bool() == Some(true) {
                        h.raw("<pre class=\"data-text\" tabindex=\"0\"><code>")
                            .text(text)
                            .raw("</code></pre>");
                    } else {
                        h.text(text);
                    }
                    h.raw("</td>");
                }
                h.raw("</tr>");
            }
            h.raw("\n</tbody>\n</table>\n</div>");
        }
        h.raw("\n</section>");
    }
}

/// The management ports table.
fn management(h: &mut Html, ports: &[model::ManagementPort]) {
    if ports.is_empty() {
        return;
    }
    h.section_quoted("management", "Management ports <span class=\"count-badge\">")
        .num(ports.len())
        .raw("</span></h2>\n<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"management-title\">\n<table class=\"table\">\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Content</th><th scope=\"col\">Type</th><th scope=\"col\">Where</th></tr></thead>\n<tbody>");
    for m in ports {
        h.raw("\n<tr>\n<th scope=\"row\">\n<span class=\"cell-title\">")
            .text(&m.name)
            .raw("</span>");
        if m.deprecated {
            h.raw(" <span class=\"pill status status-deprecated\">deprecated</span>");
        }
        if let Some(d) = filled(&m.description) {
            h.raw("<p class=\"cell-desc\">").inline(d).raw("</p>");
        }
        if !m.links.is_empty() {
            h.raw("<div class=\"small\"><span class=\"label\">Links</span> ");
            parts::link_line(h, &m.links);
            h.raw("</div>");
        }
        let custom = views::key_values(&m.custom);
        if !custom.is_empty() {
            parts::custom_inline(h, &custom);
        }
        h.raw("\n");
        parts::kv_inline(h, &views::flat_values(&m.details));
        parts::tags(h, &m.tags);
        h.raw("\n</th>\n<td>");
        parts::text_or_dash(h, &m.content);
        h.raw("</td>\n<td>");
        parts::text_or_dash(h, &m.kind);
        h.raw("</td>\n<td>");
        let (url, channel) = (filled(&m.url), filled(&m.channel));
        if let Some(u) = url {
            parts::ext_link(h, u, None);
        }
        if let Some(c) = channel {
            if url.is_some() {
                h.raw("<br>");
            }
            h.raw("<span class=\"muted small\">channel</span> ").text(c);
        }
        if url.is_none() && channel.is_none() {
            h.raw("<span class=\"muted\">—</span>");
        }
        h.raw("</td>\n</tr>");
    }
    h.raw("\n</tbody>\n</table>\n</div>\n</section>\n");
}

/// `team_block`: the owner team's own words, as the manifest writes them.
fn team_block(h: &mut Html, t: &model::TeamInfo) -> Written {
    h.raw("<div class=\"team-info\">");
    if let Some(n) = filled(&t.name) {
        h.raw("<p><strong>").text(n).raw("</strong></p>");
    }
    if let Some(d) = filled(&t.description) {
        h.raw("<p>").inline(d).raw("</p>");
    }
    h.raw("\n");
    parts::tags(h, &t.tags);
    if !t.links.is_empty() {
        h.raw("<ul class=\"link-list\">");
        for l in &t.links {
            h.raw("<li>");
            parts::link_item(h, l);
            h.raw("</li>");
        }
        h.raw("</ul>");
    }
    if !t.custom.is_empty() {
        h.raw("<dl class=\"kv-inline\">");
        for c in &t.custom {
            h.raw("<div><dt>").text(&c.key).raw("</dt><dd>");
            parts::json_text(h, &c.value)?;
            h.raw("</dd></div>");
        }
        h.raw("</dl>");
    }
    h.raw("\n</div>");
    Ok(())
}
