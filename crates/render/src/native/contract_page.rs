//! The content block of contract.html (with the components it calls), compiled: the same bytes
//! as the template for the same contract, written straight from the catalog.
//!
//! Why: contract pages are half of a site's HTML. The schema tables were compiled already; what
//! was left was Tera walking the rest of the page and the page's JSON context built and
//! converted into template values for every page. Two rare sections whose components live in
//! other files and are shared with product pages (the quality history of metrics.html, the
//! versions table of versions.html) still go through their components, each with a context of
//! its own, so they stay written once.

use catalog::access::PortAccess;
use catalog::contracts::diff::Impact;
use catalog::Catalog;
use config::access::Access;
use model::{DataContract, Guidance, Link, Property, Support, TeamInfo};

use super::html::{filled, Html};
use super::parts::{link_item, ref_link, synonym_list, tag_list};
use super::schema_table::{self, rule_more};
use crate::pages::{self, COLUMN_LIST_ROWS, CONSUMER_ROWS, HISTORY_ROWS};
use crate::versions::{self, Banner, Kind};
use crate::views::{self, CatalogRefs, DiagnosticView, KeyValue, MemberView, Ref, RowView};
use crate::{glossary_pages, lineage_pages, markdown, quality_history};

/// The template names of the sections still written by their components.
pub const QUALITY_HISTORY: &str = "meshdoc/contract_quality_history.html";
pub const VERSIONS_SECTION: &str = "meshdoc/contract_versions_section.html";

/// The templates behind [`QUALITY_HISTORY`] and [`VERSIONS_SECTION`]: one component call each.
pub const FRAGMENTS: [(&str, &str); 2] = [
    (QUALITY_HISTORY, "{{ <quality_history q={q} /> }}"),
    (
        VERSIONS_SECTION,
        "{{ <versions_section versions={versions} total={total} current_url={current_url} /> }}",
    ),
];

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
/// (before the whitespace pass, which the page goes through whole).
pub fn render(input: &Input) -> Result<String, tera::Error> {
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

    page.crumbs(&c.name, banner.as_ref());
    page.header(c);
    page.version_banner(banner.as_ref());
    let diagnostics = pages::file_diagnostics(catalog, &c.origin.source, &c.origin.path);
    page.diagnostics(&diagnostics, c.source_text.is_some());
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
        page.access_block(config, a);
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
        page.h.raw("\n<section class=section id=quality aria-labelledby=quality-title>\n<h2 id=quality-title>Quality ");
        page.help("quality-rule", "a quality rule");
        page.h.raw("</h2>\n");
        page.rules_table(&views::rules(&c.quality), "Contract quality rules");
        page.h.raw("\n</section>");
    }
    if let Some(q) = &quality_history {
        let mut context = tera::Context::new();
        context.insert("root", root);
        context.insert("q", q);
        page.h.raw("\n");
        page.h.raw(&input.tera.render(QUALITY_HISTORY, &context)?);
    }
    page.sla(c);
    page.servers(c);
    page.consumers(i, version, banner.is_some());
    page.roles(c);
    if toc.team {
        page.h.raw("\n<section class=section id=team aria-labelledby=team-title>\n<h2 id=team-title>Team</h2>");
        if let Some(t) = team_info {
            page.team_block(t);
        }
        if !members.is_empty() {
            page.members_table(&members);
        }
        page.h.raw("\n</section>");
    }
    page.support_and_links(c);
    page.terms(c);
    if !custom.is_empty() {
        page.h.raw("\n<section class=section id=custom aria-labelledby=custom-title>\n<h2 id=custom-title>Custom properties</h2>\n");
        page.props_table(&custom, "Custom properties", false);
        page.h.raw("\n</section>");
    }
    if !extensions.is_empty() {
        page.h.raw("\n<section class=section id=extensions aria-labelledby=extensions-title>\n<h2 id=extensions-title>Extension fields <span class=label-ext>extension</span></h2>\n<p class=\"muted small\">Fields in this contract that are not part of the ")
            .text(&c.standard.label)
            .raw(" standard, shown as written.</p>\n");
        page.props_table(&extensions, "Extension fields", true);
        page.h.raw("\n</section>");
    }
    page.h.raw("\n");
    if !sections.is_empty() {
        let mut context = tera::Context::new();
        context.insert("root", root);
        context.insert("versions", &sections);
        context.insert(
            "total",
            &catalog.contract_versions.get(i).map_or(1, Vec::len),
        );
        context.insert(
            "current_url",
            banner.as_ref().map_or("", |b| b.current_url.as_str()),
        );
        page.h.raw(&input.tera.render(VERSIONS_SECTION, &context)?);
    }
    page.history(history);
    if let Some(file) = &source_file {
        let lines = c.source_text.as_deref().map_or(0, |t| t.lines().count());
        page.h.raw("\n<section class=section id=source aria-labelledby=source-title>\n<h2 id=source-title>Source</h2>\n<p><a href=source/index.html>View the contract file, highlighted</a> (")
            .num(lines)
            .raw(" line")
            .raw(plural(lines))
            .raw(") · <a href=\"")
            .text(file)
            .raw("\" download>Download <code>")
            .text(file)
            .raw("</code></a></p>\n</section>");
    }
    page.h.raw("\n");
    page.provenance(&c.origin);
    page.h.raw("\n");
    Ok(page.h.0)
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

/// `pluralize`: "s" but for one.
fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `truncate(length=n, end="")`.
fn first_chars(text: &str, n: usize) -> &str {
    match text.char_indices().nth(n) {
        Some((at, _)) => &text[..at],
        None => text,
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
    /// `help`: the "?" link to a concept.
    fn help(&mut self, term: &str, label: &str) {
        self.h
            .raw("<a class=\"help-link\" href=\"")
            .text(self.root)
            .raw("concepts/index.html#")
            .text(term)
            .raw("\" aria-label=\"What is ")
            .text(label)
            .raw("?\">?</a>");
    }

    /// `ref_link` with its "—" for nothing.
    fn ref_or_dash(&mut self, r: Option<&Ref>) {
        match r {
            Some(r) => ref_link(&mut self.h, r, self.root),
            None => {
                self.h.raw("<span class=\"muted\">—</span>");
            }
        }
    }

    fn crumbs(&mut self, name: &str, banner: Option<&Banner>) {
        self.h
            .raw("<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\">\n<ol><li><a href=\"")
            .text(self.root)
            .raw("contracts/index.html\">Data contracts</a></li>");
        match banner {
            Some(b) => {
                self.h
                    .raw("<li><a href=\"")
                    .text(self.root)
                    .text(&b.current_url)
                    .raw("\">")
                    .text(name)
                    .raw("</a></li><li><span aria-current=\"page\">version ")
                    .text(
                        b.version
                            .filter(|v| !v.is_empty())
                            .unwrap_or("without a number"),
                    )
                    .raw("</span></li>");
            }
            None => {
                self.h
                    .raw("<li><span aria-current=\"page\">")
                    .text(name)
                    .raw("</span></li>");
            }
        }
        self.h.raw("</ol>\n</nav>");
    }

    fn header(&mut self, c: &DataContract) {
        self.h
            .raw("\n<header class=page-header><div class=title-row><h1>")
            .text(&c.name)
            .raw("</h1> ");
        if let Some(status) = filled(&c.status) {
            self.h
                .raw("<span class=\"pill status status-")
                .text(&status.to_lowercase().replace(' ', "-"))
                .raw("\">")
                .text(status)
                .raw("</span>");
        }
        self.h
            .raw(" <span class=\"pill standard std-")
            .text(c.standard.family)
            .raw("\" title=\"Written to the ")
            .text(&c.standard.label)
            .raw(" standard\">")
            .text(&c.standard.label)
            .raw("</span></div>");
        if !c.tags.is_empty() {
            tag_list(&mut self.h, &c.tags);
        }
        self.h.raw("</header>");
    }

    fn version_banner(&mut self, banner: Option<&Banner>) {
        let Some(b) = banner else { return };
        self.h.raw("<div class=\"callout callout-warning version-banner\" role=\"note\">\n<p><strong>You are reading version ");
        match b.version.filter(|v| !v.is_empty()) {
            Some(v) => {
                self.h.raw("<code>").text(v).raw("</code>");
            }
            None => {
                self.h.raw("without a number");
            }
        }
        let status = b.status.filter(|s| !s.is_empty());
        if let Some(s) = status {
            self.h.raw(" (").text(s).raw(")");
        }
        self.h
            .raw(".</strong>\nThe current version is <a href=\"")
            .text(self.root)
            .text(&b.current_url)
            .raw("\">");
        match b.current_version.filter(|v| !v.is_empty()) {
            Some(v) => {
                self.h.raw("<code>").text(v).raw("</code>");
            }
            None => {
                self.h.raw("the one without a number");
            }
        }
        self.h.raw("</a>");
        if b.newer {
            self.h
                .raw("; this one is newer, but ")
                .text(status.unwrap_or("not current"));
        }
        self.h
            .raw(".\nLineage, consumers and search follow the current version.</p>\n</div>");
    }

    /// `diagnostics_box` of the contract's file; `lines`: the source view exists.
    fn diagnostics(&mut self, items: &[DiagnosticView], lines: bool) {
        if items.is_empty() {
            return;
        }
        let has_error = items.iter().any(|d| d.severity == "error");
        let n = items.len();
        self.h
            .raw("<aside class=\"callout ")
            .raw(if has_error {
                "callout-error"
            } else {
                "callout-warning"
            })
            .raw("\" aria-labelledby=\"diagnostics-title\">\n<h2 class=\"callout-title\" id=\"diagnostics-title\">")
            .num(n)
            .raw(" problem")
            .raw(plural(n))
            .raw(" in this manifest</h2>\n<ul class=\"diag-list\">");
        for d in items {
            let icon = match d.severity {
                "error" => "✖",
                "warning" => "▲",
                _ => "ℹ",
            };
            self.h
                .raw("\n<li class=\"diag\"><span class=\"sev sev-")
                .text(d.severity)
                .raw("\"><span class=\"sev-icon\" aria-hidden=\"true\">")
                .raw(icon)
                .raw("</span> ")
                .text(d.severity)
                .raw("</span> <code class=\"diag-code\">")
                .text(d.code)
                .raw("</code> <span class=\"diag-message\">")
                .inline(&d.message)
                .raw("</span>");
            if !d.place.is_empty() {
                self.h.raw(" <span class=\"muted small\">at ");
                match d.line.filter(|l| lines && *l != 0) {
                    Some(line) => {
                        self.h
                            .raw("<a href=\"source/index.html#L")
                            .num(line)
                            .raw("\"><code>")
                            .text(&d.place)
                            .raw("</code></a>");
                    }
                    None => {
                        self.h.raw("<code>").text(&d.place).raw("</code>");
                    }
                }
                self.h.raw("</span>");
            }
            if let Some(hint) = filled(&d.hint) {
                self.h
                    .raw("<div class=\"diag-hint\">")
                    .inline(hint)
                    .raw("</div>");
            }
            self.h.raw("</li>");
        }
        self.h
            .raw("\n</ul>\n<p class=\"small\"><a href=\"")
            .text(self.root)
            .raw("health/index.html\">All diagnostics</a></p>\n</aside>");
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
        self.help("version", "a version");
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
        self.help("data-product", "a data product");
        self.h.raw("<dd>");
        self.ref_or_dash(product.as_ref());
        if let Some(port) = port.filter(|p| !p.is_empty()) {
            self.h
                .raw(" <span class=\"muted small\">port <code>")
                .text(port)
                .raw("</code></span>");
        }
        self.h.raw("</div>\n<div class=fact><dt>Domain ");
        self.help("domain", "a domain");
        self.h.raw("<dd>");
        self.ref_or_dash(catalog.domain_ref(c.domain.as_deref()).as_ref());
        self.h.raw("</div>\n<div class=fact><dt>Owner<dd>");
        self.ref_or_dash(catalog.team_ref(c.owner.as_deref()).as_ref());
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

    /// `access_block` with `id="access"`, `h="h2"`.
    fn access_block(&mut self, config: &Access, a: &PortAccess) {
        let catalog = self.catalog;
        self.h.raw("<section class=\"access\" aria-labelledby=\"access-title\">\n<h2 class=\"access-title\" id=\"access-title\">How to get access ");
        self.help("access", "an access request");
        self.h.raw("</h2>\n<p class=\"access-request\">");
        match crate::access::request_url(config, a).filter(|u| !u.is_empty()) {
            Some(url) => {
                self.h
                    .raw("<a class=\"button\" href=\"")
                    .text(&url)
                    .raw("\" rel=\"noopener\">Request access</a>");
                if let Some(note) = filled(&config.note) {
                    self.h
                        .raw(" <span class=\"muted small\">")
                        .text(note)
                        .raw("</span>");
                }
            }
            None if !a.support.is_empty() => {
                self.h.raw("<span class=\"muted small\">This catalog has no request form; ask the owners through the channels below.</span>");
            }
            None => {
                self.h.raw("<span class=\"muted small\">This catalog has no request form and the owners list no support channel; ask the owning team.</span>");
            }
        }
        self.h.raw("</p>");
        if !a.roles.is_empty() {
            self.h
                .raw("\n<div class=\"access-part\"><span class=\"label\">Roles ");
            self.help("role", "a role");
            self.h.raw("</span>\n<ul class=\"access-roles\">");
            for r in a.roles {
                self.h.raw("\n<li><strong>").text(&r.name).raw("</strong>");
                if let Some(access) = filled(&r.access) {
                    self.h
                        .raw(" <span class=\"pill pill-quiet\">")
                        .text(access)
                        .raw("</span>");
                }
                if !r.approvers.is_empty() {
                    self.h.raw(" <span class=\"small\">approved by ");
                    for (k, p) in r.approvers.iter().enumerate() {
                        if k > 0 {
                            self.h.raw(", then ");
                        }
                        self.h
                            .raw("<span class=\"approver\">")
                            .text(p)
                            .raw("</span>");
                    }
                    self.h.raw("</span>");
                }
                let description = r.description.as_deref().map(markdown::inline);
                if let Some(d) = description.filter(|d| !d.is_empty()) {
                    self.h
                        .raw("<div class=\"muted small\">")
                        .raw(&d)
                        .raw("</div>");
                }
                self.h.raw("</li>");
            }
            self.h.raw("\n</ul>\n</div>");
        }
        if !a.notes.is_empty() {
            self.h.raw(
                "\n<details class=\"access-part access-notes\"><summary>Read before you ask: ",
            );
            for (k, n) in a.notes.iter().enumerate() {
                if k > 0 {
                    self.h.raw(", ");
                }
                self.h.text(&n.label.to_lowercase());
            }
            self.h.raw("</summary>");
            for n in &a.notes {
                self.h
                    .raw("\n<div class=\"access-note\"><span class=\"label\">")
                    .text(&n.label)
                    .raw("</span><div class=\"prose small\">")
                    .raw(&markdown::render(&n.text))
                    .raw("</div></div>");
            }
            self.h.raw("\n</details>");
        }
        self.h
            .raw("\n<div class=\"access-part\"><span class=\"label\">Current consumers ");
        self.help("agreement", "a usage agreement");
        self.h.raw("</span>");
        if a.agreements.is_empty() {
            self.h
                .raw(" <span class=\"muted small\">No usage agreement names this port.</span>");
        } else {
            self.h.raw("\n<ul class=\"access-consumers\">");
            for &k in &a.agreements {
                let g = &catalog.agreements[k];
                let product = g.consumer_product.as_deref().map(|id| {
                    catalog.product_ref_by_id(id).unwrap_or_else(|| Ref {
                        id: id.into(),
                        name: id.into(),
                        url: None,
                    })
                });
                let team = catalog.team_ref(g.consumer_team.as_deref());
                self.h.raw("\n<li>");
                match (&product, &team) {
                    (Some(p), _) => ref_link(&mut self.h, p, self.root),
                    (None, Some(t)) => ref_link(&mut self.h, t, self.root),
                    (None, None) => {
                        self.h.raw("<code>").text(&g.id).raw("</code>");
                    }
                }
                if let (Some(_), Some(t)) = (&product, &team) {
                    self.h.raw(" <span class=\"muted small\">(");
                    ref_link(&mut self.h, t, self.root);
                    self.h.raw(")</span>");
                }
                if let Some(s) = filled(&g.status) {
                    self.h
                        .raw(" <span class=\"pill pill-quiet\">")
                        .text(s)
                        .raw("</span>");
                }
                let purpose = g.purpose.as_deref().map(markdown::inline);
                if let Some(p) = purpose.filter(|p| !p.is_empty()) {
                    self.h
                        .raw("<div class=\"muted small\">")
                        .raw(&p)
                        .raw("</div>");
                }
                self.h.raw("</li>");
            }
            self.h.raw("\n</ul>");
        }
        self.h.raw("\n</div>");
        if !a.support.is_empty() {
            self.h
                .raw("\n<div class=\"access-part\"><span class=\"label\">Where to ask</span>");
            self.support_list(&a.support);
            self.h.raw("</div>");
        }
        self.h.raw("\n</section>");
    }

    fn about(&mut self, about: &About) {
        if !about.shown() {
            return;
        }
        self.h.raw("\n<section class=section id=about aria-labelledby=about-title>\n<h2 id=about-title>About</h2>");
        if let Some(d) = about.description.as_deref().filter(|d| !d.is_empty()) {
            self.h.raw("\n<div class=prose>").raw(d).raw("</div>");
        }
        for part in &about.parts {
            self.h
                .raw("\n<h3 class=part-title>")
                .text(&part.label)
                .raw("</h3>\n<div class=prose>")
                .raw(&part.html)
                .raw("</div>");
        }
        if let Some(g) = about.guidance {
            self.h
                .raw("\n<h3 class=part-title>Guidance for AI agents</h3>\n");
            self.guidance_block(g);
        }
        self.h.raw("\n</section>");
    }

    fn guidance_block(&mut self, g: &Guidance) {
        self.h.raw("<div class=\"guidance\">");
        let instructions = g.instructions.as_deref().map(markdown::render);
        if let Some(html) = instructions.filter(|h| !h.is_empty()) {
            self.h.raw("<div class=\"prose\">").raw(&html).raw("</div>");
        }
        if !g.statements.is_empty() {
            self.h
                .raw("\n<h4 class=\"part-title\">Verified questions</h4>\n<dl class=\"qa\">");
            for st in &g.statements {
                self.h.raw("<div><dt>").text(&st.question).raw("</dt><dd>");
                match filled(&st.answer) {
                    Some(a) => {
                        self.h.text(a);
                    }
                    None => {
                        self.h.raw(
                            "<span class=\"muted\">No curated answer; a sample question.</span>",
                        );
                    }
                }
                self.h.raw("</dd></div>");
            }
            self.h.raw("\n</dl>");
        }
        if !g.constraints.is_empty() {
            self.h.raw("\n<h4 class=\"part-title\">Must not</h4>\n<ul>");
            for c in &g.constraints {
                self.h.raw("<li>").text(c).raw("</li>");
            }
            self.h.raw("</ul>");
        }
        self.h.raw("\n");
        self.kv_inline(&views::flat_values(&g.details));
        self.h.raw("\n</div>");
    }

    /// `kv_inline`: `[{key, value, description}]` as a compact list.
    fn kv_inline(&mut self, items: &[KeyValue]) {
        if items.is_empty() {
            return;
        }
        self.h.raw("<dl class=\"kv-inline\">");
        for d in items {
            self.h
                .raw("<div><dt>")
                .text(&d.key)
                .raw("</dt><dd><code>")
                .text(&d.value)
                .raw("</code>");
            if let Some(desc) = filled(&d.description) {
                self.h
                    .raw(" <span class=\"muted\">— ")
                    .inline(desc)
                    .raw("</span>");
            }
            self.h.raw("</dd></div>");
        }
        self.h.raw("</dl>");
    }

    fn schema(&mut self, c: &DataContract, i: usize, version: Option<usize>) {
        let catalog = self.catalog;
        self.h.raw("\n<section class=section id=schema aria-labelledby=schema-title>\n<h2 id=schema-title>Schema ");
        self.help("schema", "a schema");
        self.h.raw("</h2>");
        if let Some(s) = &c.schema_specification {
            self.h.raw("\n<h3 class=part-title>Schema");
            if let Some(kind) = filled(&s.kind) {
                self.h
                    .raw(" <span class=\"pill pill-quiet\">")
                    .text(kind)
                    .raw("</span>");
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
                    .raw(plural(rows.len()))
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
            self.h
                .raw(" <span class=\"pill pill-quiet\">")
                .text(kind)
                .raw("</span>");
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
            self.links_list(&o.definitions);
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
            self.h
                .raw(&schema_table::render(rows, &caption, &anchor, self.root));
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
            self.guidance_block(g);
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
            self.props_table(&custom, "Custom properties of this object", false);
            self.h.raw("</details>");
        }
        let extensions = views::key_values(&o.extensions);
        if !extensions.is_empty() {
            self.h
                .raw("\n<details class=details><summary>Extension fields (")
                .num(extensions.len())
                .raw(") <span class=label-ext>extension</span></summary>");
            self.props_table(&extensions, "Extension fields of this object", true);
            self.h.raw("</details>");
        }
        self.h.raw("\n</section>");
    }

    fn definitions(&mut self, rows: &[RowView]) {
        self.h
            .raw("\n<section class=section id=definitions aria-labelledby=definitions-title>\n<h2 id=definitions-title>Definitions <span class=count-badge>")
            .num(rows.len())
            .raw("</span></h2>\n<p class=\"muted small\">Shared field definitions; fields that use one link here.</p>\n")
            .raw(&schema_table::render(
                rows,
                "Definitions",
                "definitions-title",
                self.root,
            ))
            .raw("\n</section>");
    }

    fn examples(&mut self, c: &DataContract) {
        if c.examples.is_empty() {
            return;
        }
        self.h
            .raw("\n<section class=section id=examples aria-labelledby=examples-title>\n<h2 id=examples-title>Examples <span class=count-badge>")
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
            .raw("\n<section class=section id=column-lineage aria-labelledby=column-lineage-title>\n<h2 id=column-lineage-title>Column lineage</h2>\n<figure class=\"lineage-figure\">\n<div class=\"lineage-scroll\" tabindex=\"0\" aria-label=\"")
            .text(caption)
            .raw(" (scrollable)\">")
            .raw(lineage["svg"].as_str().unwrap_or(""))
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
        if dimension {
            self.h.raw("<th>Dimension");
        }
        if severity {
            self.h.raw("<th>Severity");
        }
        if schedule {
            self.h.raw("<th>Schedule");
        }
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
        self.h.raw("\n<section class=section id=sla aria-labelledby=sla-title>\n<h2 id=sla-title>Service levels ");
        self.help("objective", "a service level objective");
        self.h.raw("</h2>\n<div class=table-wrap tabindex=0 role=region aria-labelledby=sla-title>\n<table class=table><thead><tr><th>Property<th>Value");
        if element {
            self.h.raw("<th>Element");
        }
        if driver {
            self.h.raw("<th>Driver");
        }
        if description {
            self.h.raw("<th>Description");
        }
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
        self.h.raw("\n<section class=section id=servers aria-labelledby=servers-title>\n<h2 id=servers-title>Servers</h2>\n<div class=card-grid-wide>");
        for s in &c.servers {
            self.h
                .raw("\n<article class=card><header class=card-header><h3 class=card-title>")
                .text(&s.name)
                .raw("</h3>");
            if let Some(k) = filled(&s.kind) {
                self.h
                    .raw(" <span class=\"pill pill-quiet\">")
                    .text(k)
                    .raw("</span>");
            }
            if let Some(e) = filled(&s.environment) {
                self.h
                    .raw(" <span class=\"pill env\">")
                    .text(e)
                    .raw("</span>");
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
        self.h.raw("\n<section class=section id=consumers aria-labelledby=consumers-title>\n<h2 id=consumers-title>Consumers</h2>");
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
        self.h.raw("\n<section class=section id=roles aria-labelledby=roles-title>\n<h2 id=roles-title>Roles ");
        self.help("role", "a role");
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
            self.kv_inline(&views::flat_values(&r.details));
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

    fn members_table(&mut self, members: &[MemberView]) {
        self.h.raw("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Members\">\n<table class=\"table\">\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Role</th><th scope=\"col\">Email</th></tr></thead>\n<tbody>");
        for m in members {
            let id_is_email = m.id.contains('@');
            let name = filled(&m.name);
            let shown = name.unwrap_or(&m.id);
            self.h
                .raw("\n<tr id=\"")
                .text(&m.anchor)
                .raw("\">\n<th scope=\"row\">");
            match filled(&m.url) {
                Some(url) => {
                    self.h.link(self.root, url, shown);
                }
                None => {
                    self.h.text(shown);
                }
            }
            if let Some(n) = name {
                if m.id != n && Some(m.id.as_str()) != m.email.as_deref() && !id_is_email {
                    self.h
                        .raw(" <span class=\"muted small\">")
                        .text(&m.id)
                        .raw("</span>");
                }
            }
            let date_in = filled(&m.date_in);
            let date_out = filled(&m.date_out);
            if date_in.is_some() || date_out.is_some() {
                self.h.raw("<div class=\"muted small\">");
                if let Some(d) = date_in {
                    self.h
                        .raw("since <time datetime=\"")
                        .text(d)
                        .raw("\">")
                        .text(d)
                        .raw("</time>");
                }
                if date_in.is_some() && date_out.is_some() {
                    self.h.raw(" · ");
                }
                if let Some(d) = date_out {
                    self.h
                        .raw("left <time datetime=\"")
                        .text(d)
                        .raw("\">")
                        .text(d)
                        .raw("</time>");
                }
                self.h.raw("</div>");
            }
            self.h.raw("\n");
            self.kv_inline(&m.details);
            self.h
                .raw("</th>\n<td>")
                .text(filled(&m.role).unwrap_or("—"));
            if let Some(d) = filled(&m.description) {
                self.h
                    .raw("<div class=\"muted small\">")
                    .inline(d)
                    .raw("</div>");
            }
            self.h.raw("</td>\n<td>");
            match filled(&m.email) {
                Some(e) => {
                    self.h
                        .raw("<a href=\"mailto:")
                        .text(e)
                        .raw("\">")
                        .text(e)
                        .raw("</a>");
                }
                None if id_is_email => {
                    self.h
                        .raw("<a href=\"mailto:")
                        .text(&m.id)
                        .raw("\">")
                        .text(&m.id)
                        .raw("</a>");
                }
                None => {
                    self.h.raw("<span class=\"muted\">—</span>");
                }
            }
            self.h.raw("</td>\n</tr>");
        }
        self.h.raw("\n</tbody>\n</table>\n</div>");
    }

    fn support_and_links(&mut self, c: &DataContract) {
        if c.support.is_empty() && c.links.is_empty() {
            return;
        }
        self.h.raw("\n<section class=section id=support aria-labelledby=support-title>\n<h2 id=support-title>Support &amp; links</h2>\n<div class=grid-2>");
        if !c.support.is_empty() {
            self.h.raw("<div><h3>Support</h3>");
            let support: Vec<&Support> = c.support.iter().collect();
            self.support_list(&support);
            self.h.raw("</div>");
        }
        if !c.links.is_empty() {
            self.h.raw("<div><h3>Links</h3>");
            self.links_list(&c.links);
            self.h.raw("</div>");
        }
        self.h.raw("</div>\n</section>");
    }

    fn links_list(&mut self, links: &[Link]) {
        self.h.raw("<ul class=\"link-list\">");
        for l in links {
            self.h.raw("\n<li>");
            link_item(&mut self.h, l);
            self.h.raw("</li>");
        }
        self.h.raw("\n</ul>");
    }

    /// `ext_link`: only http(s) and mailto URLs become links.
    fn ext_link(&mut self, url: &str, label: &str) {
        let text = if label.is_empty() { url } else { label };
        if url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:") {
            self.h
                .raw("<a class=\"external\" href=\"")
                .text(url)
                .raw("\" rel=\"noopener\">")
                .text(text)
                .raw("</a>");
        } else if text != url {
            self.h
                .raw("<span>")
                .text(text)
                .raw("</span> <code class=\"url\">")
                .text(url)
                .raw("</code>");
        } else {
            self.h.raw("<code class=\"url\">").text(url).raw("</code>");
        }
    }

    fn support_list(&mut self, support: &[&Support]) {
        self.h.raw("<ul class=\"support-list\">");
        for s in support {
            self.h.raw("\n<li>\n<span class=\"support-channel\">");
            match filled(&s.url) {
                Some(url) => self.ext_link(url, &s.channel),
                None => {
                    self.h.text(&s.channel);
                }
            }
            self.h.raw("</span>");
            if let Some(t) = filled(&s.tool) {
                self.h
                    .raw(" <span class=\"pill pill-quiet\">")
                    .text(t)
                    .raw("</span>");
            }
            if let Some(sc) = filled(&s.scope) {
                self.h
                    .raw(" <span class=\"pill pill-quiet\" title=\"Scope of the channel\">")
                    .text(sc)
                    .raw("</span>");
            }
            if let Some(d) = filled(&s.description) {
                self.h
                    .raw("<div class=\"muted small\">")
                    .inline(d)
                    .raw("</div>");
            }
            if let Some(u) = filled(&s.invitation_url) {
                self.h.raw("<div class=\"small\">");
                self.ext_link(u, "Request an invitation");
                self.h.raw("</div>");
            }
            if !s.details.is_empty() {
                self.h.raw("<dl class=\"kv-inline\">");
                for d in &s.details {
                    self.h
                        .raw("<div><dt>")
                        .text(&d.key)
                        .raw("</dt><dd><code>")
                        .text(&schema_table::template_text(&d.value))
                        .raw("</code></dd></div>");
                }
                self.h.raw("</dl>");
            }
            self.h.raw("\n</li>");
        }
        self.h.raw("\n</ul>");
    }

    fn terms(&mut self, c: &DataContract) {
        if c.terms.is_empty() {
            return;
        }
        self.h.raw("\n<section class=section id=terms aria-labelledby=terms-title>\n<h2 id=terms-title>Terms</h2>");
        for t in views::parts(&c.terms) {
            self.h
                .raw("\n<h3 class=part-title>")
                .text(&t.label)
                .raw("</h3>\n<div class=prose>")
                .raw(&t.html)
                .raw("</div>");
        }
        self.h.raw("\n</section>");
    }

    /// `props_table`: `code` shows every value as code (extension fields).
    fn props_table(&mut self, props: &[KeyValue], label: &str, code: bool) {
        self.h
            .raw("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"")
            .text(label)
            .raw("\">\n<table class=\"table table-props\">\n<caption class=\"visually-hidden\">")
            .text(label)
            .raw("</caption>\n<thead><tr><th scope=\"col\">Key</th><th scope=\"col\">Value</th></tr></thead>\n<tbody>");
        for p in props {
            self.h
                .raw("\n<tr><th scope=\"row\"><code>")
                .text(&p.key)
                .raw("</code>");
            if let Some(d) = filled(&p.description) {
                self.h
                    .raw("<div class=\"muted small\">")
                    .inline(d)
                    .raw("</div>");
            }
            self.h.raw("</th><td>");
            if code {
                self.h
                    .raw("<code class=\"value\">")
                    .text(&p.value)
                    .raw("</code>");
            } else {
                self.h.text(&p.value);
            }
            self.h.raw("</td></tr>");
        }
        self.h.raw("\n</tbody>\n</table>\n</div>");
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
                .text(first_chars(&v.commit, 12))
                .raw("><td>");
            if let Some(version) = filled(&v.version) {
                self.h.raw("<code>").text(version).raw("</code>");
            }
            self.h
                .raw("<td><time datetime=\"")
                .text(&v.time)
                .raw("\">")
                .text(first_chars(&v.time, 10))
                .raw("</time><td><span title=\"")
                .text(&v.email)
                .raw("\">")
                .text(&v.author)
                .raw("</span><td><code title=\"")
                .text(&v.commit)
                .raw("\">")
                .text(first_chars(&v.commit, 7))
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

    /// `provenance`: where the contract was read, and its last change.
    fn provenance(&mut self, o: &model::Origin) {
        self.h.raw("<aside class=\"provenance\" aria-label=\"Provenance\">\n<span class=\"provenance-label\">Source</span>");
        match filled(&o.web_url).filter(|u| u.starts_with("http")) {
            Some(url) => {
                self.h
                    .raw("\n<a href=\"")
                    .text(url)
                    .raw("\" rel=\"noopener\"><code>")
                    .text(&o.source)
                    .raw("/")
                    .text(&o.path)
                    .raw("</code></a>");
            }
            None => {
                self.h
                    .raw("\n<code>")
                    .text(&o.source)
                    .raw("/")
                    .text(&o.path)
                    .raw("</code>");
            }
        }
        if o.line > 1 {
            self.h
                .raw(" <span class=\"muted\">line ")
                .num(o.line)
                .raw("</span>");
        }
        if let Some(commit) = filled(&o.commit) {
            self.h
                .raw(" <span class=\"muted\">at</span> <code title=\"")
                .text(commit)
                .raw("\">")
                .text(o.git_ref.as_deref().unwrap_or(""))
                .raw("@")
                .text(first_chars(commit, 7))
                .raw("</code>");
        }
        if let Some(ch) = &o.last_change {
            self.h
                .raw("\n<span class=\"provenance-change\">changed <time datetime=\"")
                .text(&ch.time)
                .raw("\" data-relative>")
                .text(first_chars(&ch.time, 10))
                .raw("</time>\nby <span title=\"")
                .text(&ch.email)
                .raw("\">")
                .text(&ch.author)
                .raw("</span>\nin <code title=\"")
                .text(&ch.summary)
                .raw("\">")
                .text(first_chars(&ch.commit, 7))
                .raw("</code></span>");
        }
        self.h.raw("\n</aside>");
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
