//! The content block of contract.html (with the components it calls), compiled: the same bytes
//! as the template for the same contract, written straight from the catalog.
//!
//! Why: contract pages are half of a site's HTML. The schema tables were compiled already; what
//! was left was Tera walking the rest of the page and the page's JSON context built and
//! converted into template values for every page. Two rare sections whose components live in
//! other files and are shared with product pages (the quality history of metrics.html, the
//! versions table of versions.html) still go through their components, each with a context of
//! its own, so they stay written once.

use catalog::contracts::diff::Impact;
use catalog::Catalog;
use config::access::Access;
use model::{DataContract, Guidance, Property, Support, TeamInfo};

use super::html::{filled, Html};
use super::parts::{self, link_item, ref_link, synonym_list, tag_list};
use super::schema_table::{self, rule_more};
use crate::pages::{self, COLUMN_LIST_ROWS, CONSUMER_ROWS, HISTORY_ROWS};
use crate::versions::{self, Kind};
use crate::views::{self, CatalogRefs, Ref, RowView};
use crate::{glossary_pages, lineage_pages, markdown, quality_history};

/// The quality history, still written by its component of metrics.html (an override of that
/// file takes effect on compiled pages too).
pub const QUALITY_HISTORY: (&str, &str) = (
    "meshdoc/contract_quality_history.html",
    "{{ <quality_history q={q} /> }}",
);

/// What the page needs besides the catalog.
pub struct Input<'a> {
    pub catalog: &'a Catalog,
    /// The contract's index, and the version the page shows (None: the current one).
    pub index: usize,
    pub version: Option<usize>,
    /// Links start here (`../../`).
    pub root: &'a str,
    /// `[access]`: the access block is on the current version's page only.
    pub access: Option<&'a Access>,
    /// The theme's templates, for the sections written by their components.
    pub tera: &'a tera::Tera,
}

/// The content block of the contract page, as `{% block content %}` of contract.html writes it
/// (before the whitespace pass). None when the contract holds a value kept as written that is
/// not text (`parts::Unsupported`): that page is rendered by contract.html.
pub fn render(input: &Input) -> Result<Option<Html>, tera::Error> {
    let catalog = input.catalog;
    let (i, version, root) = (input.index, input.version, input.root);
    let c = versions::contract(catalog, i, version);
    let banner = versions::banner_of(catalog, Kind::Contract, i, version);
    let mut page = Page {
        h: Html::with_capacity(16 * 1024),
        catalog,
        root,
    };
    let about = About {
        description: c.description.as_deref().map(markdown::render),
        parts: views::parts(&c.description_parts),
        guidance: c.guidance.as_ref(),
    };
    let access = input
        .access
        .map(|config| (config, crate::access::contract_access(catalog, i)));
    let current = version.is_none();
    let column_lineage = current
        .then(|| lineage_pages::contract_columns(catalog, i, root))
        .flatten();
    let quality_history =
        Some(quality_history::contract(catalog, i)).filter(|q| current && !q.is_null());
    let definitions = views::rows_with("definitions", &c.definitions, &|to: &str| {
        pages::foreign_key(catalog, i, to)
    });
    let sections = versions::section(catalog, Kind::Contract, i, version);
    let history = pages::changelog(catalog, i, version);
    let team_info = c.team.as_ref().filter(|t| {
        t.name.is_some()
            || t.description.is_some()
            || !t.tags.is_empty()
            || !t.links.is_empty()
            || !t.custom.is_empty()
    });
    let members = views::members(catalog, &c.members);
    let custom = views::key_values(&c.custom);
    let extensions = views::key_values(&c.extensions);
    let source_file = c.source_text.as_ref().map(|_| pages::source_file_name(c));

    let shown_banner = banner.as_ref().map(|b| parts::Banner {
        version: b.version.filter(|v| !v.is_empty()),
        status: b.status.filter(|s| !s.is_empty()),
        current_version: b.current_version.filter(|v| !v.is_empty()),
        current_url: &b.current_url,
        newer: b.newer,
    });
    parts::version_crumbs(
        &mut page.h,
        shown_banner.as_ref(),
        "Data contracts",
        "contracts/index.html",
        &c.name,
        root,
    );
    page.header(c);
    parts::version_banner(&mut page.h, shown_banner.as_ref(), root);
    let diagnostics = pages::file_diagnostics(catalog, &c.origin.source, &c.origin.path);
    let lines = if c.source_text.is_some() {
        "source/index.html"
    } else {
        ""
    };
    parts::diagnostics_box(&mut page.h, &diagnostics, 0, lines, root);
    page.facts(c);
    let toc = Toc {
        about: about.shown(),
        access: access.is_some(),
        definitions: !definitions.is_empty(),
        examples: !c.examples.is_empty(),
        column_lineage: column_lineage.is_some(),
        quality: !c.quality.is_empty(),
        quality_history: quality_history.is_some(),
        sla: !c.sla.is_empty(),
        servers: !c.servers.is_empty(),
        roles: !c.roles.is_empty(),
        team: !members.is_empty() || team_info.is_some(),
        support: !c.support.is_empty() || !c.links.is_empty(),
        terms: !c.terms.is_empty(),
        custom: !custom.is_empty(),
        extensions: !extensions.is_empty(),
        versions: !sections.is_empty(),
        history: !history.is_empty(),
        source: source_file.is_some(),
    };
    page.toc(&toc);
    if let Some((config, a)) = &access {
        page.h.raw("\n<div class=\"section section-access\">");
        if parts::access_block(&mut page.h, catalog, config, a, "access", "h2", root).is_err() {
            return Ok(None);
        }
        page.h.raw("</div>");
    }
    page.about(&about);
    page.schema(c, i, version);
    if !definitions.is_empty() {
        page.definitions(&definitions);
    }
    page.examples(c);
    if let Some(lineage) = &column_lineage {
        page.column_lineage(lineage);
    }
    if !c.quality.is_empty() {
        page.h.section("quality", "Quality ");
        parts::help(&mut page.h, "quality-rule", "a quality rule", page.root);
        page.h.raw("</h2>\n");
        page.rules_table(&views::rules(&c.quality), "Contract quality rules");
        page.h.raw("\n</section>");
    }
    if let Some(q) = &quality_history {
        let mut context = tera::Context::new();
        context.insert("root", root);
        context.insert("q", q);
        page.h.raw("\n");
        page.h
            .html(&input.tera.render(QUALITY_HISTORY.0, &context)?);
    }
    page.sla(c);
    page.servers(c);
    page.consumers(i, version, banner.is_some());
    page.roles(c);
    if toc.team {
        page.h.section("team", "Team").raw("</h2>");
        if let Some(t) = team_info {
            page.team_block(t);
        }
        if !members.is_empty() {
            parts::members_table(&mut page.h, &members, root);
        }
        page.h.raw("\n</section>");
    }
    if page.support_and_links(c).is_err() {
        return Ok(None);
    }
    page.terms(c);
    if !custom.is_empty() {
        page.h.section("custom", "Custom properties").raw("</h2>\n");
        parts::props_table(&mut page.h, &custom, "Custom properties", false);
        page.h.raw("\n</section>");
    }
    if !extensions.is_empty() {
        page.h
            .section(
                "extensions",
                "Extension fields <span class=label-ext>extension</span>",
            )
            .raw(
                "</h2>\n<p class=\"muted small\">Fields in this contract that are not part of the ",
            )
            .text(&c.standard.label)
            .raw(" standard, shown as written.</p>\n");
        parts::props_table(&mut page.h, &extensions, "Extension fields", true);
        page.h.raw("\n</section>");
    }
    page.h.raw("\n");
    let total = catalog.contract_versions.get(i).map_or(1, Vec::len);
    let current_url = banner.as_ref().map_or("", |b| b.current_url.as_str());
    if parts::versions_section(&mut page.h, &sections, total, current_url, true, root).is_err() {
        return Ok(None);
    }
    page.history(history);
    if let Some(file) = &source_file {
        let lines = c.source_text.as_deref().map_or(0, |t| t.lines().count());
        page.h
            .section("source", "Source")
            .raw("</h2>\n<p><a href=source/index.html>View the contract file, highlighted</a> (")
            .num(lines)
            .raw(" line")
            .raw(parts::plural(lines))
            .raw(") · <a href=\"")
            .text(file)
            .raw("\" download>Download <code>")
            .text(file)
            .raw("</code></a></p>\n</section>");
    }
    page.h.raw("\n");
    if parts::provenance(&mut page.h, &c.origin).is_err() {
        return Ok(None);
    }
    page.h.raw("\n");
    Ok(Some(page.h))
}

/// The page title: the name, and the version on the page of one that is not current.
pub fn title(input: &Input) -> String {
    // The current version's name, as the template path titles it.
    let c = &input.catalog.contracts[input.index];
    let banner = versions::banner_of(input.catalog, Kind::Contract, input.index, input.version);
    match banner.and_then(|b| b.version) {
        Some(version) => format!("{} {version}", c.name),
        None => c.name.clone(),
    }
}

/// The About section's parts: it is shown when any is there.
struct About<'a> {
    description: Option<String>,
    parts: Vec<views::Part>,
    guidance: Option<&'a Guidance>,
}

impl About<'_> {
    fn shown(&self) -> bool {
        self.description.as_deref().is_some_and(|d| !d.is_empty())
            || !self.parts.is_empty()
            || self.guidance.is_some()
    }
}

/// Which sections the page has, for its table of contents.
struct Toc {
    about: bool,
    access: bool,
    definitions: bool,
    examples: bool,
    column_lineage: bool,
    quality: bool,
    quality_history: bool,
    sla: bool,
    servers: bool,
    roles: bool,
    team: bool,
    support: bool,
    terms: bool,
    custom: bool,
    extensions: bool,
    versions: bool,
    history: bool,
    source: bool,
}

struct Page<'a> {
    h: Html,
    catalog: &'a Catalog,
    root: &'a str,
}

impl Page<'_> {
    fn header(&mut self, c: &DataContract) {
        self.h
            .raw("\n<header class=page-header><div class=title-row><h1>")
            .text(&c.name)
            .raw("</h1> ");
        parts::status_pill(&mut self.h, &c.status);
        self.h.raw(" ");
        parts::standard_pill(&mut self.h, &c.standard);
        self.h.raw("</div>");
        parts::tags(&mut self.h, &c.tags);
        self.h.raw("</header>");
    }

    fn facts(&mut self, c: &DataContract) {
        let catalog = self.catalog;
        let provider = catalog.contract_provider.get(&c.id);
        let product = provider
            .map(|&(pi, _)| catalog.product_ref(pi))
            .or_else(|| {
                c.data_product.as_deref().map(|d| {
                    catalog.product_ref_by_id(d).unwrap_or_else(|| Ref {
                        id: d.to_string(),
                        name: d.to_string(),
                        url: None,
                    })
                })
            });
        let port = provider.map(|&(pi, oi)| catalog.products[pi].output_ports[oi].name.as_str());
        self.h
            .raw("\n<dl class=facts>\n<div class=fact><dt>ID<dd><code>")
            .text(&c.id)
            .raw("</code></div>\n<div class=fact><dt>Version ");
        parts::help(&mut self.h, "version", "a version", self.root);
        self.h.raw("<dd>");
        match filled(&c.version) {
            Some(v) => {
                self.h.raw("<code>").text(v).raw("</code>");
            }
            None => {
                self.h.raw("<span class=muted>—</span>");
            }
        }
        self.h.raw("</div>\n<div class=fact><dt>Data product ");
        parts::help(&mut self.h, "data-product", "a data product", self.root);
        self.h.raw("<dd>");
        parts::ref_or(&mut self.h, product.as_ref(), "—", self.root);
        if let Some(port) = port.filter(|p| !p.is_empty()) {
            self.h
                .raw(" <span class=\"muted small\">port <code>")
                .text(port)
                .raw("</code></span>");
        }
        self.h.raw("</div>\n<div class=fact><dt>Domain ");
        parts::help(&mut self.h, "domain", "a domain", self.root);
        self.h.raw("<dd>");
        parts::ref_or(
            &mut self.h,
            catalog.domain_ref(c.domain.as_deref()).as_ref(),
            "—",
            self.root,
        );
        self.h.raw("</div>\n<div class=fact><dt>Owner<dd>");
        parts::ref_or(
            &mut self.h,
            catalog.team_ref(c.owner.as_deref()).as_ref(),
            "—",
            self.root,
        );
        self.h.raw("</div>");
        if let Some(p) = filled(&c.pricing) {
            self.h
                .raw("\n<div class=fact><dt>Pricing<dd>")
                .text(p)
                .raw("</div>");
        }
        if let Some(t) = filled(&c.tenant) {
            self.h
                .raw("\n<div class=\"fact fact-wide\"><dt>Tenant<dd>")
                .text(t)
                .raw("</div>");
        }
        if let Some(created) = filled(&c.created) {
            self.h
                .raw("\n<div class=\"fact fact-wide\"><dt>Created<dd>");
            let shown = model::display::spoken(created, None);
            match shown.datetime.as_deref().filter(|d| !d.is_empty()) {
                Some(datetime) => {
                    self.h
                        .raw("<time datetime=\"")
                        .text(datetime)
                        .raw("\">")
                        .text(&shown.text)
                        .raw("</time> <span class=\"muted small\">as written: <code>")
                        .text(created)
                        .raw("</code></span>");
                }
                None => {
                    self.h.text(created);
                }
            }
            self.h.raw("</div>");
        }
        self.h.raw("\n</dl>");
    }

    fn toc(&mut self, t: &Toc) {
        let h = &mut self.h;
        h.raw("\n<nav class=page-toc aria-label=\"On this page\"><ul>");
        let mut item = |shown: bool, html: &str| {
            if shown {
                h.raw(html);
            }
        };
        item(t.about, "<li><a href=#about>About</a>");
        item(t.access, "<li><a href=#access-title>Access</a>");
        item(true, "\n<li><a href=#schema>Schema</a>");
        item(t.definitions, "<li><a href=#definitions>Definitions</a>");
        item(t.examples, "<li><a href=#examples>Examples</a>");
        item(
            t.column_lineage,
            "<li><a href=#column-lineage>Column lineage</a>",
        );
        item(t.quality, "<li><a href=#quality>Quality</a>");
        item(
            t.quality_history,
            "<li><a href=#quality-history>Quality history</a>",
        );
        item(t.sla, "<li><a href=#sla>Service levels</a>");
        item(t.servers, "<li><a href=#servers>Servers</a>");
        item(true, "\n<li><a href=#consumers>Consumers</a>");
        item(t.roles, "<li><a href=#roles>Roles</a>");
        item(t.team, "<li><a href=#team>Team</a>");
        item(t.support, "<li><a href=#support>Support &amp; links</a>");
        item(t.terms, "<li><a href=#terms>Terms</a>");
        item(t.custom, "<li><a href=#custom>Custom properties</a>");
        item(t.extensions, "<li><a href=#extensions>Extension fields</a>");
        item(t.versions, "<li><a href=#versions>Versions</a>");
        item(t.history, "<li><a href=#history>History</a>");
        item(t.source, "<li><a href=#source>Source</a>");
        h.raw("\n</ul></nav>");
    }

    fn about(&mut self, about: &About) {
        if !about.shown() {
            return;
        }
        self.h.section("about", "About").raw("</h2>");
        if let Some(d) = about.description.as_deref().filter(|d| !d.is_empty()) {
            self.h.raw("\n<div class=prose>").html(d).raw("</div>");
        }
        for part in &about.parts {
            self.h
                .raw("\n<h3 class=part-title>")
                .text(&part.label)
                .raw("</h3>\n<div class=prose>")
                .html(&part.html)
                .raw("</div>");
        }
        if let Some(g) = about.guidance {
            self.h
                .raw("\n<h3 class=part-title>Guidance for AI agents</h3>\n");
            parts::guidance_block(&mut self.h, g);
        }
        self.h.raw("\n</section>");
    }

    fn schema(&mut self, c: &DataContract, i: usize, version: Option<usize>) {
        let catalog = self.catalog;
        self.h.section("schema", "Schema ");
        parts::help(&mut self.h, "schema", "a schema", self.root);
        self.h.raw("</h2>");
        if let Some(s) = &c.schema_specification {
            self.h.raw("\n<h3 class=part-title>Schema");
            if let Some(kind) = filled(&s.kind) {
                self.h.pill("pill-quiet", kind);
            }
            self.h.raw("</h3>\n");
            self.data_block(&views::data(&s.data), "Schema specification");
        }
        let resolve = |to: &str| match version {
            None => pages::foreign_key(catalog, i, to),
            Some(k) => pages::version_foreign_key(catalog, i, k, to),
        };
        let rows: Vec<Vec<RowView>> = c
            .schema
            .iter()
            .map(|o| {
                glossary_pages::with_terms(
                    catalog,
                    (i, version),
                    &o.name,
                    views::rows_with(&o.name, &o.properties, &resolve),
                )
            })
            .collect();
        if c.schema.len() > 1 {
            self.h
                .raw("\n<nav class=object-toc aria-label=\"Schema objects\"><ul>");
            for (o, rows) in c.schema.iter().zip(&rows) {
                self.h
                    .raw("<li><a href=\"#")
                    .text(&views::anchor(&o.name))
                    .raw("\"><code>")
                    .text(&o.name)
                    .raw("</code></a> <span class=\"muted small\">")
                    .num(rows.len())
                    .raw(" field")
                    .raw(parts::plural(rows.len()))
                    .raw("</span>");
            }
            self.h.raw("</ul></nav>");
        }
        if c.schema.is_empty() {
            self.h
                .raw("\n<p class=muted>This contract does not describe a schema.</p>");
        }
        for (o, rows) in c.schema.iter().zip(&rows) {
            self.object(o, rows);
        }
        self.h.raw("\n</section>");
    }

    fn object(&mut self, o: &model::SchemaObject, rows: &[RowView]) {
        let anchor = views::anchor(&o.name);
        self.h
            .raw("\n<section class=schema-object aria-labelledby=\"")
            .text(&anchor)
            .raw("\">\n<h3 class=object-title id=\"")
            .text(&anchor)
            .raw("\"><a class=anchor-link href=\"#")
            .text(&anchor)
            .raw("\"><code>")
            .text(&o.name)
            .raw("</code></a>");
        if let Some(kind) = filled(&o.kind) {
            self.h.pill("pill-quiet", kind);
        }
        if let Some(t) = filled(&o.logical_type) {
            self.h
                .raw(" <span class=\"pill pill-quiet\" title=\"Logical type\">")
                .text(t)
                .raw("</span>");
        }
        if let Some(id) = filled(&o.element_id).filter(|id| *id != o.name) {
            self.h
                .raw(" <span class=\"muted small\" title=\"Stable id\">id <code>")
                .text(id)
                .raw("</code></span>");
        }
        self.h.raw("</h3>");
        let business = filled(&o.business_name);
        let physical = filled(&o.physical_name);
        if business.is_some() || physical.is_some() {
            self.h.raw("\n<p class=object-meta>");
            if let Some(b) = business {
                self.h.raw("<span>").text(b).raw("</span>");
            }
            if let Some(p) = physical {
                self.h
                    .raw(" <span class=muted>physical name</span> <code>")
                    .text(p)
                    .raw("</code>");
            }
            self.h.raw("</p>");
        }
        if let Some(d) = filled(&o.description) {
            self.h.raw("\n<p>").inline(d).raw("</p>");
        }
        if !o.synonyms.is_empty() {
            synonym_list(&mut self.h, &o.synonyms);
        }
        if !o.primary_key.is_empty() {
            self.h
                .raw("\n<p class=small><span class=label>Primary key</span> ");
            for (k, key) in o.primary_key.iter().enumerate() {
                if k > 0 {
                    self.h.raw(", ");
                }
                self.h.raw("<code>").text(key).raw("</code>");
            }
            self.h.raw("</p>");
        }
        if let Some(g) = filled(&o.granularity) {
            self.h
                .raw("\n<p class=small><span class=label>Granularity</span> ")
                .text(g)
                .raw("</p>");
        }
        if !o.tags.is_empty() {
            tag_list(&mut self.h, &o.tags);
        }
        if !o.definitions.is_empty() {
            self.h
                .raw("\n<div class=small><span class=label>Definitions</span> ");
            parts::links_list(&mut self.h, &o.definitions);
            self.h.raw("</div>");
        }
        for rel in &o.relationships {
            self.h
                .raw("\n<p class=small><span class=label>Foreign key</span> <code>")
                .text(&rel.from.join(", "))
                .raw("</code> → <code>")
                .text(&rel.to.join(", "))
                .raw("</code></p>");
        }
        if rows.len() > COLUMN_LIST_ROWS {
            self.h
                .raw("\n<details class=\"details column-toc\"><summary>Columns of <code>")
                .text(&o.name)
                .raw("</code> (")
                .num(rows.len())
                .raw(")</summary><ul class=column-list>");
            for r in rows {
                self.h
                    .raw("<li><a href=#")
                    .text(&r.anchor)
                    .raw(">")
                    .text(&r.path)
                    .raw("</a>");
            }
            self.h.raw("</ul></details>");
        }
        if rows.is_empty() {
            self.h
                .raw("\n<p class=muted>No fields are described for this object.</p>");
        } else {
            self.h.raw("\n");
            let caption = format!("Fields of {}", o.name);
            schema_table::write(&mut self.h, rows, &caption, &anchor, self.root);
        }
        if !o.examples.is_empty() {
            self.h
                .raw("\n<details class=details><summary>Example data of <code>")
                .text(&o.name)
                .raw("</code> (")
                .num(o.examples.len())
                .raw(")</summary>");
            for e in &o.examples {
                self.h
                    .raw("<pre class=data-text tabindex=0><code>")
                    .text(e)
                    .raw("</code></pre>");
            }
            self.h.raw("</details>");
        }
        if let Some(g) = &o.guidance {
            self.h
                .raw("\n<details class=details><summary>Guidance for AI agents on <code>")
                .text(&o.name)
                .raw("</code></summary>");
            parts::guidance_block(&mut self.h, g);
            self.h.raw("</details>");
        }
        if !o.quality.is_empty() {
            self.h
                .raw("\n<h4>Quality rules for <code>")
                .text(&o.name)
                .raw("</code></h4>\n");
            self.rules_table(&views::rules(&o.quality), "Quality rules");
        }
        let custom = views::key_values(&o.custom);
        if !custom.is_empty() {
            self.h
                .raw("\n<details class=details><summary>Custom properties (")
                .num(custom.len())
                .raw(")</summary>");
            parts::props_table(
                &mut self.h,
                &custom,
                "Custom properties of this object",
                false,
            );
            self.h.raw("</details>");
        }
        let extensions = views::key_values(&o.extensions);
        if !extensions.is_empty() {
            self.h
                .raw("\n<details class=details><summary>Extension fields (")
                .num(extensions.len())
                .raw(") <span class=label-ext>extension</span></summary>");
            parts::props_table(
                &mut self.h,
                &extensions,
                "Extension fields of this object",
                true,
            );
            self.h.raw("</details>");
        }
        self.h.raw("\n</section>");
    }

    fn definitions(&mut self, rows: &[RowView]) {
        self.h
            .section("definitions", "Definitions <span class=count-badge>")
            .num(rows.len())
            .raw("</span></h2>\n<p class=\"muted small\">Shared field definitions; fields that use one link here.</p>\n");
        schema_table::write(
            &mut self.h,
            rows,
            "Definitions",
            "definitions-title",
            self.root,
        );
        self.h.raw("\n</section>");
    }

    fn examples(&mut self, c: &DataContract) {
        if c.examples.is_empty() {
            return;
        }
        self.h
            .section("examples", "Examples <span class=count-badge>")
            .num(c.examples.len())
            .raw("</span></h2>");
        for e in &c.examples {
            self.h.raw("\n<figure class=example><figcaption>");
            if let Some(m) = filled(&e.model) {
                self.h.raw("<code>").text(m).raw("</code> ");
            }
            if let Some(k) = filled(&e.kind) {
                self.h
                    .raw("<span class=\"pill pill-quiet\">")
                    .text(k)
                    .raw("</span>");
            }
            if let Some(d) = filled(&e.description) {
                self.h.raw(" ").inline(d);
            }
            self.h.raw("</figcaption>\n");
            self.data_block(&views::data(&e.data), "Example data");
            self.h.raw("</figure>");
        }
        self.h.raw("\n</section>");
    }

    /// `data_block`: text as written, records as a table.
    fn data_block(&mut self, d: &views::DataView, label: &str) {
        if let Some(text) = filled(&d.text) {
            self.h
                .raw("<pre class=\"data-text\" tabindex=\"0\"><code>")
                .text(text)
                .raw("</code></pre>");
        } else if !d.columns.is_empty() {
            self.h
                .raw("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"")
                .text(label)
                .raw("\">\n<table class=\"table table-data\">\n<caption class=\"visually-hidden\">")
                .text(label)
                .raw("</caption>\n<thead><tr>");
            for c in &d.columns {
                self.h.raw("<th scope=\"col\">").text(c).raw("</th>");
            }
            self.h.raw("</tr></thead>\n<tbody>");
            for row in &d.rows {
                self.h.raw("<tr>");
                for cell in row {
                    self.h.raw("<td>").text(cell).raw("</td>");
                }
                self.h.raw("</tr>");
            }
            self.h.raw("</tbody>\n</table>\n</div>");
        }
    }

    fn column_lineage(&mut self, lineage: &serde_json::Value) {
        let caption = "Columns this contract's columns are derived from (left) and derived into (right). Each box links to its column.";
        self.h
            .section("column-lineage", "Column lineage").raw("</h2>\n<figure class=\"lineage-figure\">\n<div class=\"lineage-scroll\" tabindex=\"0\" aria-label=\"")
            .text(caption)
            .raw(" (scrollable)\">")
            .html(lineage["svg"].as_str().unwrap_or(""))
            .raw("</div>\n<figcaption class=\"lineage-caption\">\n<span>")
            .text(caption)
            .raw("</span>\n</figcaption>\n</figure>\n<div class=table-wrap tabindex=0 role=region aria-labelledby=column-lineage-title id=column-lineage-list>\n<table class=table><thead><tr><th>Column<th>Derived from<th>Declared in<tbody>");
        let rows = lineage["rows"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        for r in rows {
            self.h.raw("\n<tr><th>");
            self.column_end(&r["to"]);
            self.h.raw("<td>");
            self.column_end(&r["from"]);
            self.h
                .raw("<td><code class=small>")
                .text(r["field"].as_str().unwrap_or(""))
                .raw("</code>");
        }
        self.h.raw("\n</table></div>\n</section>");
    }

    /// One end of a column lineage row: the column, linked where it has a page, and its contract.
    fn column_end(&mut self, end: &serde_json::Value) {
        let label = end["label"].as_str().unwrap_or("");
        match end["url"].as_str().filter(|u| !u.is_empty()) {
            Some(url) => {
                self.h
                    .raw("<a href=\"")
                    .text(self.root)
                    .text(url)
                    .raw("\"><code>")
                    .text(label)
                    .raw("</code></a>");
            }
            None => {
                self.h.raw("<code>").text(label).raw("</code>");
            }
        }
        self.h
            .raw(" <span class=\"muted small\">")
            .text(end["contract"].as_str().unwrap_or(""))
            .raw("</span>");
    }

    /// `rules_table`: the columns no rule fills are left out.
    fn rules_table(&mut self, rules: &[views::RuleView], label: &str) {
        let dimension = rules.iter().any(|q| filled(q.dimension).is_some());
        let severity = rules.iter().any(|q| filled(q.severity).is_some());
        let schedule = rules.iter().any(|q| filled(q.schedule).is_some());
        self.h
            .raw("<div class=table-wrap tabindex=0 role=region aria-label=\"")
            .text(label)
            .raw("\"><table class=\"table table-rules\"><caption class=visually-hidden>")
            .text(label)
            .raw("</caption><thead><tr><th>Rule");
        self.optional_headers(&[
            (dimension, "<th>Dimension"),
            (severity, "<th>Severity"),
            (schedule, "<th>Schedule"),
        ]);
        self.h.raw("<th>Kind<tbody>");
        for q in rules {
            self.h.raw("\n<tr><td>");
            if let Some(name) = filled(q.name) {
                self.h
                    .raw("<strong class=rule-name>")
                    .text(name)
                    .raw("</strong>");
            }
            self.h
                .raw("<div class=rule-summary>")
                .inline(q.summary)
                .raw("</div>");
            if q.more {
                self.h
                    .raw("<details class=rule-details><summary class=small>Details</summary>");
                rule_more(&mut self.h, q);
                self.h.raw("</details>");
            }
            if dimension {
                self.h.raw("<td>");
                if let Some(d) = filled(q.dimension) {
                    self.h
                        .raw("<span class=\"pill pill-quiet\">")
                        .text(d)
                        .raw("</span>");
                }
            }
            if severity {
                self.h.raw("<td>").text(filled(q.severity).unwrap_or(""));
            }
            if schedule {
                self.h.raw("<td>");
                if let Some(s) = filled(q.schedule) {
                    self.h.raw("<code>").text(s).raw("</code>");
                }
            }
            self.h.raw("<td>").text(filled(q.kind).unwrap_or(""));
        }
        self.h.raw("\n</table></div>");
    }

    /// The header cells of the columns some row fills (a column no row fills is left out).
    fn optional_headers(&mut self, columns: &[(bool, &str)]) {
        for &(shown, cell) in columns {
            if shown {
                self.h.raw(cell);
            }
        }
    }

    fn sla(&mut self, c: &DataContract) {
        if c.sla.is_empty() {
            return;
        }
        let element = c.sla.iter().any(|s| s.element.is_some());
        let driver = c.sla.iter().any(|s| s.driver.is_some());
        let description = c
            .sla
            .iter()
            .any(|s| s.description.is_some() || s.schedule.is_some());
        self.h.section("sla", "Service levels ");
        parts::help(
            &mut self.h,
            "objective",
            "a service level objective",
            self.root,
        );
        self.h.raw("</h2>\n<div class=table-wrap tabindex=0 role=region aria-labelledby=sla-title>\n<table class=table><thead><tr><th>Property<th>Value");
        self.optional_headers(&[
            (element, "<th>Element"),
            (driver, "<th>Driver"),
            (description, "<th>Description"),
        ]);
        self.h.raw("<tbody>");
        for s in &c.sla {
            let label = model::display::humanize(&s.property);
            let shown = model::display::spoken(&s.value, s.unit.as_deref());
            let written = match &s.unit {
                Some(u) => format!("{} {u}", s.value),
                None => s.value.clone(),
            };
            self.h.raw("\n<tr><th>").text(&label);
            if label != s.property {
                self.h
                    .raw(" <code class=\"muted small\">")
                    .text(&s.property)
                    .raw("</code>");
            }
            self.h.raw("<td><strong>");
            match shown.datetime.as_deref().filter(|d| !d.is_empty()) {
                Some(datetime) => {
                    self.h
                        .raw("<time datetime=\"")
                        .text(datetime)
                        .raw("\">")
                        .text(&shown.text)
                        .raw("</time>");
                }
                None => {
                    self.h.text(&shown.text);
                }
            }
            self.h.raw("</strong>");
            if written != shown.text {
                self.h
                    .raw("<div class=\"muted small\">as written: <code>")
                    .text(&written)
                    .raw("</code></div>");
            }
            if element {
                self.h.raw("<td>");
                if let Some(e) = filled(&s.element) {
                    self.h.raw("<code>").text(e).raw("</code>");
                }
            }
            if driver {
                self.h.raw("<td>").text(filled(&s.driver).unwrap_or(""));
            }
            if description {
                self.h.raw("<td>");
                if let Some(d) = filled(&s.description) {
                    self.h.inline(d);
                }
                if let Some(sc) = filled(&s.schedule) {
                    self.h
                        .raw("<div class=\"muted small\">checked <code>")
                        .text(sc)
                        .raw("</code></div>");
                }
            }
        }
        self.h.raw("\n</table></div>\n</section>");
    }

    fn servers(&mut self, c: &DataContract) {
        if c.servers.is_empty() {
            return;
        }
        self.h
            .section("servers", "Servers")
            .raw("</h2>\n<div class=card-grid-wide>");
        for s in &c.servers {
            self.h
                .raw("\n<article class=card><header class=card-header><h3 class=card-title>")
                .text(&s.name)
                .raw("</h3>");
            if let Some(k) = filled(&s.kind) {
                self.h.pill("pill-quiet", k);
            }
            if let Some(e) = filled(&s.environment) {
                self.h.pill("env", e);
            }
            self.h.raw("</header>");
            let details = views::key_values(&s.details);
            if !details.is_empty() {
                self.h.raw("\n<dl class=kv>");
                for d in &details {
                    self.h.raw("<div><dt>").text(&d.key).raw("</dt><dd>");
                    if d.key == "description" {
                        self.h.inline(&d.value);
                    } else {
                        self.h.raw("<code>").text(&d.value).raw("</code>");
                    }
                    self.h.raw("</dd></div>");
                }
                self.h.raw("</dl>");
            }
            self.h.raw("\n</article>");
        }
        self.h.raw("\n</div>\n</section>");
    }

    fn consumers(&mut self, i: usize, version: Option<usize>, version_page: bool) {
        let consumers = versions::consumer_list(self.catalog, i, version);
        self.h.section("consumers", "Consumers").raw("</h2>");
        if consumers.is_empty() {
            self.h
                .raw("\n<p class=muted>No data product declares that it reads this ")
                .raw(if version_page { "version of the " } else { "" })
                .raw("contract.</p>");
        } else {
            self.h.raw("\n<ul class=\"plain-list columns\">");
            let shown = consumers.len().min(CONSUMER_ROWS);
            for (r, note) in &consumers[..shown] {
                self.h.raw("<li>");
                ref_link(&mut self.h, r, self.root);
                if let Some(note) = note.as_deref().filter(|n| !n.is_empty()) {
                    self.h
                        .raw(" <span class=\"muted small\">")
                        .text(note)
                        .raw("</span>");
                }
            }
            self.h.raw("</ul>");
            if consumers.len() > shown {
                self.h
                    .raw("\n<p class=\"muted small\">… and ")
                    .num(consumers.len() - shown)
                    .raw(" more (all in <code>lineage/index.json</code>).</p>");
            }
        }
        self.h.raw("\n</section>");
    }

    fn roles(&mut self, c: &DataContract) {
        if c.roles.is_empty() {
            return;
        }
        self.h.section("roles", "Roles ");
        parts::help(&mut self.h, "role", "a role", self.root);
        self.h.raw("</h2>\n<div class=table-wrap tabindex=0 role=region aria-labelledby=roles-title>\n<table class=table><thead><tr><th>Role<th>Access<th>Description<tbody>");
        for r in &c.roles {
            self.h
                .raw("\n<tr><th><code>")
                .text(&r.name)
                .raw("</code><td>");
            if let Some(a) = filled(&r.access) {
                self.h
                    .raw("<span class=\"pill pill-quiet\">")
                    .text(a)
                    .raw("</span>");
            }
            self.h
                .raw("<td>")
                .text(filled(&r.description).unwrap_or(""));
            if !r.approvers.is_empty() {
                self.h.raw("<div class=\"muted small\">Approvers: ");
                for (k, a) in r.approvers.iter().enumerate() {
                    if k > 0 {
                        self.h.raw(", ");
                    }
                    let approver = approver_ref(self.catalog, a);
                    ref_link(&mut self.h, &approver, self.root);
                }
                self.h.raw("</div>");
            }
            parts::kv_inline(&mut self.h, &views::flat_values(&r.details));
        }
        self.h.raw("\n</table></div>\n</section>");
    }

    fn team_block(&mut self, t: &TeamInfo) {
        self.h.raw("<div class=\"team-info\">");
        if let Some(n) = filled(&t.name) {
            self.h.raw("<p><strong>").text(n).raw("</strong></p>");
        }
        if let Some(d) = filled(&t.description) {
            self.h.raw("<p>").inline(d).raw("</p>");
        }
        self.h.raw("\n");
        if !t.tags.is_empty() {
            tag_list(&mut self.h, &t.tags);
        }
        if !t.links.is_empty() {
            self.h.raw("<ul class=\"link-list\">");
            for l in &t.links {
                self.h.raw("<li>");
                link_item(&mut self.h, l);
                self.h.raw("</li>");
            }
            self.h.raw("</ul>");
        }
        if !t.custom.is_empty() {
            self.raw_properties(&t.custom);
        }
        self.h.raw("\n</div>");
    }

    /// Properties as written (`{{ c.value }}` of a JSON value) in a compact list.
    fn raw_properties(&mut self, props: &[Property]) {
        self.h.raw("<dl class=\"kv-inline\">");
        for c in props {
            self.h
                .raw("<div><dt>")
                .text(&c.key)
                .raw("</dt><dd>")
                .text(&schema_table::template_text(&c.value))
                .raw("</dd></div>");
        }
        self.h.raw("</dl>");
    }

    fn support_and_links(&mut self, c: &DataContract) -> parts::Written {
        if c.support.is_empty() && c.links.is_empty() {
            return Ok(());
        }
        self.h
            .section("support", "Support &amp; links")
            .raw("</h2>\n<div class=grid-2>");
        if !c.support.is_empty() {
            self.h.raw("<div><h3>Support</h3>");
            let support: Vec<&Support> = c.support.iter().collect();
            parts::support_list(&mut self.h, &support)?;
            self.h.raw("</div>");
        }
        if !c.links.is_empty() {
            self.h.raw("<div><h3>Links</h3>");
            parts::links_list(&mut self.h, &c.links);
            self.h.raw("</div>");
        }
        self.h.raw("</div>\n</section>");
        Ok(())
    }

    fn terms(&mut self, c: &DataContract) {
        if c.terms.is_empty() {
            return;
        }
        self.h.section("terms", "Terms").raw("</h2>");
        for t in views::parts(&c.terms) {
            self.h
                .raw("\n<h3 class=part-title>")
                .text(&t.label)
                .raw("</h3>\n<div class=prose>")
                .html(&t.html)
                .raw("</div>");
        }
        self.h.raw("\n</section>");
    }

    fn history(&mut self, history: &[catalog::contracts::history::VersionChanges]) {
        if history.is_empty() {
            return;
        }
        let total = history.len();
        let shown = &history[..total.min(HISTORY_ROWS)];
        self.h
            .raw("\n<section class=section id=history aria-labelledby=history-h>\n<h2 id=history-h>History <span class=count-badge>")
            .num(total)
            .raw("</span></h2>\n<p class=\"muted small\">");
        if total > shown.len() {
            self.h
                .raw("The newest ")
                .num(shown.len())
                .raw(" of ")
                .num(total)
                .raw(" commits that changed this contract's file (all in the contract's <code>index.json</code>)");
        } else {
            self.h.raw("Every commit that changed this contract's file");
        }
        self.h.raw(", newest first, compared with the version before it.</p>\n<div class=table-wrap tabindex=0 role=region aria-labelledby=history-h>\n<table class=\"table table-history\"><thead><tr><th>Version<th>Changed<th>By<th>Commit<th>Changes<tbody>");
        for v in shown {
            self.h
                .raw("\n<tr id=v-")
                .text(parts::truncated(&v.commit, 12))
                .raw("><td>");
            if let Some(version) = filled(&v.version) {
                self.h.raw("<code>").text(version).raw("</code>");
            }
            self.h
                .raw("<td><time datetime=\"")
                .text(&v.time)
                .raw("\">")
                .text(parts::truncated(&v.time, 10))
                .raw("</time><td><span title=\"")
                .text(&v.email)
                .raw("\">")
                .text(&v.author)
                .raw("</span><td><code title=\"")
                .text(&v.commit)
                .raw("\">")
                .text(parts::truncated(&v.commit, 7))
                .raw("</code> ")
                .text(&v.summary)
                .raw("<td>");
            if v.breaking > 0 {
                self.h
                    .raw("<span class=\"pill status status-deprecated\">")
                    .num(v.breaking)
                    .raw(" breaking</span>");
            }
            if !v.changes.is_empty() {
                self.h.raw("<ul class=change-list>");
                for ch in &v.changes {
                    let (class, word) = match ch.impact {
                        Impact::Breaking => ("breaking", "breaking"),
                        Impact::NonBreaking => ("non-breaking", "change"),
                    };
                    self.h
                        .raw("<li class=\"change-")
                        .raw(class)
                        .raw("\"><span class=\"muted small\">")
                        .raw(word)
                        .raw("</span> <code>")
                        .text(&ch.path)
                        .raw("</code> ")
                        .inline(&ch.message);
                }
                self.h.raw("</ul>");
            } else if let Some(note) = filled(&v.note) {
                self.h
                    .raw("<span class=\"muted small\">")
                    .text(note)
                    .raw("</span>");
            } else {
                self.h
                    .raw("<span class=\"muted small\">no change to the contract's content</span>");
            }
        }
        self.h.raw("\n</table></div>\n</section>");
    }
}

/// An approver as written, linked to their person page where they have one.
fn approver_ref(catalog: &Catalog, approver: &str) -> Ref {
    match catalog.people.find(approver) {
        Some(p) => crate::people_pages::person_ref(p),
        None => Ref {
            id: approver.to_string(),
            name: approver.to_string(),
            url: None,
        },
    }
}
