//! The components of components.html, onboard_components.html and versions.html that more than
//! one compiled page writes (facts, pills, tags, links, the diagnostics box, the access block,
//! provenance, version banner and crumbs…), each the bytes its component writes once the
//! page's whitespace is collapsed. Line breaks stand where the template has a line break with
//! its indentation: the pass makes one `\n` of either.
//!
//! Where a component prints a value the model keeps as written JSON (a support channel's
//! details, a team block's custom properties), only text is written here: anything else is
//! [`Unsupported`], and the caller renders that page through its template instead, so no page
//! depends on how Tera would print a map or a number.

use super::html::{filled, Html};
use crate::views::{KeyValue, Ref};

/// A value this module does not write the way the templates would print it (see the module
/// documentation): the page goes through its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported;

/// What a writer that may meet an [`Unsupported`] value returns.
pub type Written = Result<(), Unsupported>;

/// Tera's `pluralize`.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `{{ x or "—" }}`.
pub fn text_or_dash(h: &mut Html, text: &Option<String>) {
    h.text(filled(text).unwrap_or("—"));
}

/// A value kept as written, as `{{ value }}` prints it: text only.
pub fn json_text(h: &mut Html, value: &serde_json::Value) -> Written {
    match value {
        serde_json::Value::String(s) => {
            h.text(s);
            Ok(())
        }
        _ => Err(Unsupported),
    }
}

/// `ref_link` with its `empty` text where there is no Ref.
pub fn ref_or(h: &mut Html, r: Option<&Ref>, empty: &str, root: &str) {
    match r {
        Some(r) => ref_link(h, r, root),
        None => {
            h.raw("<span class=\"muted\">").text(empty).raw("</span>");
        }
    }
}

/// `ref_list`: Refs separated by commas, `empty` when there are none.
pub fn ref_list(h: &mut Html, refs: &[Ref], empty: &str, root: &str) {
    if refs.is_empty() {
        h.raw("<span class=\"muted\">").text(empty).raw("</span>");
    }
    for (k, r) in refs.iter().enumerate() {
        ref_link(h, r, root);
        if k + 1 < refs.len() {
            h.raw(", ");
        }
    }
}

/// `help`: the "?" link to a concept's explanation.
pub fn help(h: &mut Html, term: &str, label: &str, root: &str) {
    h.raw("<a class=\"help-link\" href=\"")
        .text(root)
        .raw("concepts/index.html#")
        .text(term)
        .raw("\" aria-label=\"What is ")
        .text(label)
        .raw("?\">?</a>");
}

/// `status_pill`.
pub fn status_pill(h: &mut Html, status: &Option<String>) {
    if let Some(s) = filled(status) {
        h.raw("<span class=\"pill status status-")
            .text(&s.to_lowercase().replace(' ', "-"))
            .raw("\">")
            .text(s)
            .raw("</span>");
    }
}

/// `standard_pill` of a detail page (the standard as a map).
pub fn standard_pill(h: &mut Html, standard: &model::Standard) {
    h.raw("<span class=\"pill standard std-")
        .text(standard.family)
        .raw("\" title=\"Written to the ")
        .text(&standard.label)
        .raw(" standard\">")
        .text(&standard.label)
        .raw("</span>");
}

/// The pill beside a name marked deprecated by its owner.
pub const DEPRECATED_PILL: &str = "<span class=\"pill status status-deprecated\" title=\"Marked deprecated by its owner\">deprecated</span>";

/// `pii_badge`.
pub fn pii_badge(h: &mut Html, label: &str) {
    h.raw(
        "<span class=\"badge badge-pii\" title=\"Contains personally identifiable information\">",
    )
    .text(label)
    .raw("</span>");
}

/// `tag_list` (nothing without tags).
pub fn tags(h: &mut Html, tags: &[String]) {
    if !tags.is_empty() {
        tag_list(h, tags);
    }
}

/// `synonym_list` (nothing without synonyms).
pub fn synonyms(h: &mut Html, synonyms: &[model::Synonym]) {
    if !synonyms.is_empty() {
        synonym_list(h, synonyms);
    }
}

/// `kv_inline` of flattened values.
pub fn kv_inline(h: &mut Html, items: &[KeyValue]) {
    if items.is_empty() {
        return;
    }
    h.raw("<dl class=\"kv-inline\">");
    for d in items {
        h.raw("<div><dt>")
            .text(&d.key)
            .raw("</dt><dd><code>")
            .text(&d.value)
            .raw("</code>");
        if let Some(desc) = filled(&d.description) {
            h.raw(" <span class=\"muted\">— ")
                .inline(desc)
                .raw("</span>");
        }
        h.raw("</dd></div>");
    }
    h.raw("</dl>");
}

/// `kv_inline` of properties kept as written (a port's guidance details).
pub fn kv_inline_raw(h: &mut Html, items: &[model::Property]) -> Written {
    if items.is_empty() {
        return Ok(());
    }
    h.raw("<dl class=\"kv-inline\">");
    for d in items {
        h.raw("<div><dt>").text(&d.key).raw("</dt><dd><code>");
        json_text(h, &d.value)?;
        h.raw("</code>");
        if let Some(desc) = filled(&d.description) {
            h.raw(" <span class=\"muted\">— ")
                .inline(desc)
                .raw("</span>");
        }
        h.raw("</dd></div>");
    }
    h.raw("</dl>");
    Ok(())
}

/// The `<dl class="kv-inline">` of custom properties as key and text.
pub fn custom_inline(h: &mut Html, items: &[KeyValue]) {
    h.raw("<dl class=\"kv-inline\">");
    for c in items {
        h.raw("<div><dt>")
            .text(&c.key)
            .raw("</dt><dd>")
            .text(&c.value)
            .raw("</dd></div>");
    }
    h.raw("</dl>");
}

/// Links separated by ` · ` after a label (`<span class="label">Links</span> …`).
pub fn link_line(h: &mut Html, links: &[model::Link]) {
    for (k, l) in links.iter().enumerate() {
        link_item(h, l);
        if k + 1 < links.len() {
            h.raw(" · ");
        }
    }
}

/// `links_list`.
pub fn links_list(h: &mut Html, links: &[model::Link]) {
    h.raw("<ul class=\"link-list\">");
    for l in links {
        h.raw("\n<li>");
        link_item(h, l);
        h.raw("</li>");
    }
    h.raw("\n</ul>");
}

/// `support_list`.
pub fn support_list(h: &mut Html, support: &[&model::Support]) -> Written {
    h.raw("<ul class=\"support-list\">");
    for s in support {
        h.raw("\n<li>\n<span class=\"support-channel\">");
        match filled(&s.url) {
            Some(url) => ext_link(h, url, Some(&s.channel)),
            None => {
                h.text(&s.channel);
            }
        }
        h.raw("</span>");
        if let Some(tool) = filled(&s.tool) {
            h.pill("pill-quiet", tool);
        }
        if let Some(scope) = filled(&s.scope) {
            h.raw(" <span class=\"pill pill-quiet\" title=\"Scope of the channel\">")
                .text(scope)
                .raw("</span>");
        }
        if let Some(d) = filled(&s.description) {
            h.raw("<div class=\"muted small\">").inline(d).raw("</div>");
        }
        if let Some(url) = filled(&s.invitation_url) {
            h.raw("<div class=\"small\">");
            ext_link(h, url, Some("Request an invitation"));
            h.raw("</div>");
        }
        if !s.details.is_empty() {
            h.raw("<dl class=\"kv-inline\">");
            for d in &s.details {
                h.raw("<div><dt>").text(&d.key).raw("</dt><dd><code>");
                json_text(h, &d.value)?;
                h.raw("</code></dd></div>");
            }
            h.raw("</dl>");
        }
        h.raw("\n</li>");
    }
    h.raw("\n</ul>");
    Ok(())
}

/// `props_table`: `code` shows every value as code (extension fields).
pub fn props_table(h: &mut Html, props: &[KeyValue], label: &str, code: bool) {
    h.raw("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"")
        .text(label)
        .raw("\">\n<table class=\"table table-props\">\n<caption class=\"visually-hidden\">")
        .text(label)
        .raw("</caption>\n<thead><tr><th scope=\"col\">Key</th><th scope=\"col\">Value</th></tr></thead>\n<tbody>");
    for p in props {
        h.raw("\n<tr><th scope=\"row\"><code>")
            .text(&p.key)
            .raw("</code>");
        if let Some(d) = filled(&p.description) {
            h.raw("<div class=\"muted small\">").inline(d).raw("</div>");
        }
        h.raw("</th><td>");
        if code {
            h.raw("<code class=\"value\">")
                .text(&p.value)
                .raw("</code>");
        } else {
            h.text(&p.value);
        }
        h.raw("</td></tr>");
    }
    h.raw("\n</tbody>\n</table>\n</div>");
}

/// `guidance_block`'s parts after its instructions: questions, constraints, details.
pub fn guidance_rest(h: &mut Html, g: &model::Guidance) {
    if !g.statements.is_empty() {
        h.raw("\n<h4 class=\"part-title\">Verified questions</h4>\n<dl class=\"qa\">");
        for st in &g.statements {
            h.raw("<div><dt>").text(&st.question).raw("</dt><dd>");
            match filled(&st.answer) {
                Some(a) => h.text(a),
                None => h.raw("<span class=\"muted\">No curated answer; a sample question.</span>"),
            };
            h.raw("</dd></div>");
        }
        h.raw("\n</dl>");
    }
    if !g.constraints.is_empty() {
        h.raw("\n<h4 class=\"part-title\">Must not</h4>\n<ul>");
        for c in &g.constraints {
            h.raw("<li>").text(c).raw("</li>");
        }
        h.raw("</ul>");
    }
    h.raw("\n");
}

/// `guidance_block` of an entity: its instructions rendered as markdown, its details
/// flattened (what `pages::guidance` gives the template).
pub fn guidance_block(h: &mut Html, g: &model::Guidance) {
    h.raw("<div class=\"guidance\">");
    if let Some(text) = g.instructions.as_deref() {
        let html = crate::markdown::render(text);
        if !html.is_empty() {
            h.raw("<div class=\"prose\">").html(&html).raw("</div>");
        }
    }
    guidance_rest(h, g);
    kv_inline(h, &crate::views::flat_values(&g.details));
    h.raw("\n</div>");
}

/// `guidance_block` of a port's guidance as the model keeps it: the template finds no
/// `instructions_html` there, and prints its details as written.
pub fn guidance_block_as_written(h: &mut Html, g: &model::Guidance) -> Written {
    h.raw("<div class=\"guidance\">");
    guidance_rest(h, g);
    kv_inline_raw(h, &g.details)?;
    h.raw("\n</div>");
    Ok(())
}

/// `sev_icon`.
pub fn sev_icon(h: &mut Html, severity: &str) {
    h.raw("<span class=\"sev sev-")
        .text(severity)
        .raw("\"><span class=\"sev-icon\" aria-hidden=\"true\">")
        .raw(match severity {
            "error" => "✖",
            "warning" => "▲",
            _ => "ℹ",
        })
        .raw("</span> ")
        .text(severity)
        .raw("</span>");
}

/// `diagnostics_box`: `items` are the first of `total` (0: all of them); `lines` the page that
/// shows the file with line anchors ("" for none).
pub fn diagnostics_box(
    h: &mut Html,
    items: &[crate::views::DiagnosticView],
    total: usize,
    lines: &str,
    root: &str,
) {
    if items.is_empty() {
        return;
    }
    let has_error = items.iter().any(|d| d.severity == "error");
    let n = if total > 0 { total } else { items.len() };
    h.raw("<aside class=\"callout ")
        .raw(if has_error { "callout-error" } else { "callout-warning" })
        .raw("\" aria-labelledby=\"diagnostics-title\">\n<h2 class=\"callout-title\" id=\"diagnostics-title\">")
        .num(n)
        .raw(" problem")
        .raw(plural(n))
        .raw(" in this manifest");
    if n > items.len() {
        h.raw(" <span class=\"muted small\">(the first ")
            .num(items.len())
            .raw(" shown)</span>");
    }
    h.raw("</h2>\n<ul class=\"diag-list\">");
    for d in items {
        h.raw("\n<li class=\"diag\">");
        sev_icon(h, d.severity);
        h.raw(" <code class=\"diag-code\">")
            .text(d.code)
            .raw("</code> <span class=\"diag-message\">")
            .inline(&d.message)
            .raw("</span>");
        if !d.place.is_empty() {
            h.raw(" <span class=\"muted small\">at ");
            match d.line.filter(|&l| l != 0 && !lines.is_empty()) {
                Some(line) => {
                    h.raw("<a href=\"")
                        .text(lines)
                        .raw("#L")
                        .num(line)
                        .raw("\"><code>")
                        .text(&d.place)
                        .raw("</code></a>");
                }
                None => {
                    h.raw("<code>").text(&d.place).raw("</code>");
                }
            }
            h.raw("</span>");
        }
        if let Some(hint) = filled(&d.hint) {
            h.raw("<div class=\"diag-hint\">")
                .inline(hint)
                .raw("</div>");
        }
        h.raw("</li>");
    }
    h.raw("\n</ul>\n<p class=\"small\"><a href=\"")
        .text(root)
        .raw("health/index.html\">All diagnostics</a></p>\n</aside>");
}

/// `docs_section`: the documentation pages kept beside an entity's manifest.
pub fn docs_section(h: &mut Html, docs: &[(String, String)], root: &str) {
    if docs.is_empty() {
        return;
    }
    h.section_quoted("docs", "Documentation <span class=\"count-badge\">")
        .num(docs.len())
        .raw("</span></h2>\n<ul class=\"doc-pages\">");
    for (title, url) in docs {
        h.raw("<li>").link(root, url, title).raw("</li>");
    }
    h.raw("</ul>\n</section>");
}

/// `provenance`: where the entity was read, at which commit, and its last change.
pub fn provenance(h: &mut Html, origin: &model::Origin) -> Written {
    h.raw("<aside class=\"provenance\" aria-label=\"Provenance\">\n<span class=\"provenance-label\">Source</span>");
    match filled(&origin.web_url).filter(|u| u.starts_with("http")) {
        Some(url) => {
            h.raw("\n<a href=\"")
                .text(url)
                .raw("\" rel=\"noopener\"><code>");
            h.text(&origin.source)
                .raw("/")
                .text(&origin.path)
                .raw("</code></a>");
        }
        None => {
            h.raw("\n<code>")
                .text(&origin.source)
                .raw("/")
                .text(&origin.path)
                .raw("</code>");
        }
    }
    if origin.line > 1 {
        h.raw(" <span class=\"muted\">line ")
            .num(origin.line)
            .raw("</span>");
    }
    if let Some(commit) = filled(&origin.commit) {
        // `{{ origin.ref }}` of no ref: what Tera prints for none is its business.
        let git_ref = origin.git_ref.as_deref().ok_or(Unsupported)?;
        h.raw(" <span class=\"muted\">at</span> <code title=\"")
            .text(commit)
            .raw("\">")
            .text(git_ref)
            .raw("@")
            .text(truncated(commit, 7))
            .raw("</code>");
    }
    if let Some(c) = &origin.last_change {
        h.raw("\n<span class=\"provenance-change\">changed <time datetime=\"")
            .text(&c.time)
            .raw("\" data-relative>")
            .text(truncated(&c.time, 10))
            .raw("</time>\nby <span title=\"")
            .text(&c.email)
            .raw("\">")
            .text(&c.author)
            .raw("</span>\nin <code title=\"")
            .text(&c.summary)
            .raw("\">")
            .text(truncated(&c.commit, 7))
            .raw("</code></span>");
    }
    h.raw("\n</aside>");
    Ok(())
}

/// Tera's `truncate(length=n, end="")` (by characters: its `unicode` feature is off).
pub fn truncated(text: &str, n: usize) -> &str {
    match text.char_indices().nth(n) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// The banner of a version that is not current (`versions::banner`'s facts).
pub struct Banner<'a> {
    pub version: Option<&'a str>,
    pub status: Option<&'a str>,
    pub current_version: Option<&'a str>,
    pub current_url: &'a str,
    pub newer: bool,
}

impl<'a> Banner<'a> {
    /// From `versions::banner`'s value (None: the current version's page).
    pub fn of(v: &'a serde_json::Value) -> Option<Banner<'a>> {
        let text = |k: &str| v[k].as_str().filter(|s| !s.is_empty());
        v.is_object().then(|| Banner {
            version: text("version"),
            status: text("status"),
            current_version: text("current_version"),
            current_url: v["current_url"].as_str().unwrap_or(""),
            newer: v["newer"].as_bool().unwrap_or(false),
        })
    }
}

/// `version_crumbs`: listing › entity (› version).
pub fn version_crumbs(
    h: &mut Html,
    banner: Option<&Banner>,
    listing: &str,
    listing_url: &str,
    name: &str,
    root: &str,
) {
    h.raw("<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\">\n<ol><li>")
        .link(root, listing_url, listing)
        .raw("</li>");
    match banner {
        Some(b) => {
            h.raw("<li>")
                .link(root, b.current_url, name)
                .raw("</li><li><span aria-current=\"page\">version ")
                .text(b.version.unwrap_or("without a number"))
                .raw("</span></li>");
        }
        None => {
            h.raw("<li><span aria-current=\"page\">")
                .text(name)
                .raw("</span></li>");
        }
    }
    h.raw("</ol>\n</nav>");
}

/// `version_banner`.
pub fn version_banner(h: &mut Html, banner: Option<&Banner>, root: &str) {
    let Some(b) = banner else {
        return;
    };
    h.raw("<div class=\"callout callout-warning version-banner\" role=\"note\">\n<p><strong>You are reading version ");
    match b.version {
        Some(v) => h.raw("<code>").text(v).raw("</code>"),
        None => h.raw("without a number"),
    };
    if let Some(s) = b.status {
        h.raw(" (").text(s).raw(")");
    }
    h.raw(".</strong>\nThe current version is <a href=\"")
        .text(root)
        .text(b.current_url)
        .raw("\">");
    match b.current_version {
        Some(v) => h.raw("<code>").text(v).raw("</code>"),
        None => h.raw("the one without a number"),
    };
    h.raw("</a>");
    if b.newer {
        h.raw("; this one is newer, but ")
            .text(b.status.unwrap_or("not current"));
    }
    h.raw(".\nLineage, consumers and search follow the current version.</p>\n</div>");
}

/// `versions_section` of `versions::section`'s rows (empty: one version, nothing shown).
pub fn versions_section(
    h: &mut Html,
    versions: &[serde_json::Value],
    total: usize,
    current_url: &str,
    diffs: bool,
    root: &str,
) -> Written {
    if versions.is_empty() {
        return Ok(());
    }
    let text = |v: &'_ serde_json::Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_string);
    let shown_all = total <= versions.len();
    h.raw("<section class=\"section\" id=\"versions\" aria-labelledby=\"versions-title\">\n<h2 id=\"versions-title\">Versions <span class=\"count-badge\">")
        .num(if shown_all { versions.len() } else { total })
        .raw("</span></h2>\n<p class=\"muted small\">");
    if shown_all {
        h.raw("Every version in the catalog, newest first.");
    } else {
        h.raw("The nearest of ")
            .num(total)
            .raw(" versions, newest first; <a href=\"")
            .text(root)
            .text(current_url)
            .raw("#versions\">the current version's page</a> lists them all.");
    }
    h.raw(" The current one is the highest released version: drafts and proposals count after released versions, deprecated ones after those, retired ones last.</p>\n<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"versions-title\">\n<table class=\"table table-versions\">\n<thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Status</th><th scope=\"col\">File</th>");
    if diffs {
        h.raw("<th scope=\"col\">Changes since the version below</th>");
    }
    h.raw("</tr></thead>\n<tbody>");
    for v in versions {
        let shown = v["shown"].as_bool().unwrap_or(false);
        let current = v["current"].as_bool().unwrap_or(false);
        let version = text(&v["version"]);
        let version = version.as_deref().unwrap_or("—");
        h.raw("\n<tr")
            .raw(if shown { " class=\"is-shown\"" } else { "" })
            .raw(">\n<th scope=\"row\">");
        if shown {
            h.raw("<code aria-current=\"page\">")
                .text(version)
                .raw("</code>");
        } else {
            let url = v["url"].as_str().ok_or(Unsupported)?;
            h.raw("<a href=\"")
                .text(root)
                .text(url)
                .raw("\"><code>")
                .text(version)
                .raw("</code></a>");
        }
        if current {
            h.raw(" <span class=\"pill pill-quiet\" title=\"The version the catalog shows\">current</span>");
        }
        if shown && !current {
            h.raw(" <span class=\"muted small\">this page</span>");
        }
        h.raw("</th>\n<td>");
        let status = text(&v["status"]);
        status_pill(h, &status);
        if status.is_none() {
            h.raw("<span class=\"muted\">—</span>");
        }
        h.raw("</td>\n<td class=\"small\">");
        let origin: model::Origin =
            serde_json::from_value(v["origin"].clone()).map_err(|_| Unsupported)?;
        let file = |h: &mut Html| {
            h.raw("<code>")
                .text(&origin.source)
                .raw("/")
                .text(&origin.path)
                .raw("</code>");
        };
        match filled(&origin.web_url).filter(|u| u.starts_with("http")) {
            Some(url) => {
                h.raw("<a href=\"").text(url).raw("\" rel=\"noopener\">");
                file(h);
                h.raw("</a>");
            }
            None => file(h),
        }
        if origin.line > 1 {
            h.raw(" <span class=\"muted\">line ")
                .num(origin.line)
                .raw("</span>");
        }
        if let Some(c) = &origin.last_change {
            h.raw(" <span class=\"muted\">changed <time datetime=\"")
                .text(&c.time)
                .raw("\">")
                .text(truncated(&c.time, 10))
                .raw("</time> by ")
                .text(&c.author)
                .raw("</span>");
        }
        h.raw("</td>");
        if diffs {
            h.raw("\n<td>");
            let changes = &v["changes"];
            if changes.is_object() {
                let total = changes["total"].as_u64().ok_or(Unsupported)?;
                let breaking = changes["breaking"].as_u64().ok_or(Unsupported)?;
                h.raw("<a href=\"")
                    .text(root)
                    .text(changes["url"].as_str().ok_or(Unsupported)?)
                    .raw("\">");
                if total == 0 {
                    h.raw("no change");
                } else {
                    h.num(total).raw(" change").raw(plural(total as usize));
                }
                h.raw("</a>");
                if breaking > 0 {
                    h.raw(" <span class=\"pill status status-deprecated\">")
                        .num(breaking)
                        .raw(" breaking</span>");
                }
                h.raw("\n<span class=\"muted small\">since ")
                    .text(
                        changes["from"]
                            .as_str()
                            .filter(|s| !s.is_empty())
                            .unwrap_or("the version without a number"),
                    )
                    .raw("</span>");
            } else {
                h.raw("<span class=\"muted small\">the lowest version</span>");
            }
            h.raw("</td>");
        }
        h.raw("\n</tr>");
    }
    h.raw("\n</tbody>\n</table>\n</div>\n</section>");
    Ok(())
}
/// `ref_link` of a Ref that is there.
pub fn ref_link(h: &mut Html, r: &Ref, root: &str) {
    match r.url.as_deref().filter(|u| !u.is_empty()) {
        Some(url) => {
            h.link(root, url, &r.name);
        }
        None => {
            h.raw("<span class=\"ref-plain\" title=\"No page for ")
                .text(&r.id)
                .raw(" in this catalog\">")
                .text(&r.name)
                .raw("</span>");
        }
    }
}

pub fn tag_list(h: &mut Html, tags: &[String]) {
    h.raw("<ul class=\"tags\" aria-label=\"Tags\">");
    for t in tags {
        h.raw("<li class=\"tag\">").text(t).raw("</li>");
    }
    h.raw("</ul>");
}

pub fn synonym_list(h: &mut Html, synonyms: &[model::Synonym]) {
    h.raw("<p class=\"synonyms small\"><span class=\"label\">Also known as</span>");
    for (k, s) in synonyms.iter().enumerate() {
        let description = filled(&s.description);
        h.raw(" <span class=\"synonym\" ");
        if let Some(d) = description {
            h.raw("title=\"").text(d).raw("\"");
        }
        h.raw(">").text(&s.synonym).raw("</span>");
        let locale = filled(&s.locale);
        let source = filled(&s.source);
        let status = filled(&s.status);
        if locale.is_some() || source.is_some() || status.is_some() || description.is_some() {
            h.raw(" <span class=\"muted\">(");
            if let Some(l) = locale {
                h.text(l);
            }
            if let Some(s) = source {
                if locale.is_some() {
                    h.raw(", ");
                }
                h.text(s);
            }
            if let Some(s) = status {
                if locale.is_some() || source.is_some() {
                    h.raw(", ");
                }
                h.text(s);
            }
            if let Some(d) = description {
                if locale.is_some() || source.is_some() || status.is_some() {
                    h.raw("; ");
                }
                h.inline(d);
            }
            h.raw(")</span>");
        }
        if k + 1 < synonyms.len() {
            h.raw(",");
        }
    }
    h.raw("</p>");
}

/// `link_item` with its `ext_link`: only http(s) and mailto URLs become links.
pub fn link_item(h: &mut Html, l: &model::Link) {
    if let Some(kind) = filled(&l.kind) {
        h.raw("<span class=\"link-kind\">")
            .text(kind)
            .raw("</span> ");
    }
    ext_link(h, &l.url, Some(&l.title));
    if let Some(d) = filled(&l.description) {
        h.raw(" <span class=\"muted small\">— ")
            .inline(d)
            .raw("</span>");
    }
}

/// `ext_link`: only http(s) and mailto URLs from manifests become links; any other is shown as
/// text beside its label. `label` as `label or url`: an empty one is the URL.
pub fn ext_link(h: &mut Html, url: &str, label: Option<&str>) {
    let text = label.filter(|l| !l.is_empty()).unwrap_or(url);
    if url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:") {
        h.raw("<a class=\"external\" href=\"")
            .text(url)
            .raw("\" rel=\"noopener\">")
            .text(text)
            .raw("</a>");
    } else if text != url {
        h.raw("<span>")
            .text(text)
            .raw("</span> <code class=\"url\">")
            .text(url)
            .raw("</code>");
    } else {
        h.raw("<code class=\"url\">").text(url).raw("</code>");
    }
}

/// `members_table`.
pub fn members_table(h: &mut Html, members: &[crate::views::MemberView], root: &str) {
    h.raw("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Members\">\n<table class=\"table\">\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Role</th><th scope=\"col\">Email</th></tr></thead>\n<tbody>");
    for m in members {
        let id_is_email = m.id.contains('@');
        let name = filled(&m.name);
        let shown = name.unwrap_or(&m.id);
        h.raw("\n<tr id=\"")
            .text(&m.anchor)
            .raw("\">\n<th scope=\"row\">");
        match filled(&m.url) {
            Some(url) => {
                h.link(root, url, shown);
            }
            None => {
                h.text(shown);
            }
        }
        if let Some(n) = name {
            if m.id != n && m.email.as_deref() != Some(m.id.as_str()) && !id_is_email {
                h.raw(" <span class=\"muted small\">")
                    .text(&m.id)
                    .raw("</span>");
            }
        }
        let (date_in, date_out) = (filled(&m.date_in), filled(&m.date_out));
        if date_in.is_some() || date_out.is_some() {
            h.raw("<div class=\"muted small\">");
            if let Some(d) = date_in {
                h.raw("since <time datetime=\"")
                    .text(d)
                    .raw("\">")
                    .text(d)
                    .raw("</time>");
            }
            if date_in.is_some() && date_out.is_some() {
                h.raw(" · ");
            }
            if let Some(d) = date_out {
                h.raw("left <time datetime=\"")
                    .text(d)
                    .raw("\">")
                    .text(d)
                    .raw("</time>");
            }
            h.raw("</div>");
        }
        h.raw("\n");
        kv_inline(h, &m.details);
        h.raw("</th>\n<td>");
        text_or_dash(h, &m.role);
        if let Some(d) = filled(&m.description) {
            h.raw("<div class=\"muted small\">").inline(d).raw("</div>");
        }
        h.raw("</td>\n<td>");
        match filled(&m.email) {
            Some(e) => {
                h.raw("<a href=\"mailto:")
                    .text(e)
                    .raw("\">")
                    .text(e)
                    .raw("</a>");
            }
            None if id_is_email => {
                h.raw("<a href=\"mailto:")
                    .text(&m.id)
                    .raw("\">")
                    .text(&m.id)
                    .raw("</a>");
            }
            None => {
                h.raw("<span class=\"muted\">—</span>");
            }
        }
        h.raw("</td>\n</tr>");
    }
    h.raw("\n</tbody>\n</table>\n</div>");
}

/// `access_block`: how to get access to one port (`id` makes its headings' ids unique on the
/// page, `heading` is its heading's element), from `catalog::access` and the site's `[access]`.
pub fn access_block(
    h: &mut Html,
    catalog: &catalog::Catalog,
    config: &config::access::Access,
    a: &catalog::access::PortAccess,
    id: &str,
    heading: &str,
    root: &str,
) -> Written {
    use crate::views::CatalogRefs;
    let request_url = config.request_link(&[
        ("product", Some(a.product)),
        ("port", Some(a.port)),
        ("contract", a.contract_id),
        ("version", a.version),
    ]);
    h.raw("<section class=\"access\" aria-labelledby=\"")
        .text(id)
        .raw("-title\">\n<")
        .text(heading)
        .raw(" class=\"access-title\" id=\"")
        .text(id)
        .raw("-title\">How to get access ");
    help(h, "access", "an access request", root);
    h.raw("</")
        .text(heading)
        .raw(">\n<p class=\"access-request\">");
    if let Some(url) = request_url.as_deref().filter(|u| !u.is_empty()) {
        h.raw("<a class=\"button\" href=\"")
            .text(url)
            .raw("\" rel=\"noopener\">Request access</a>");
        if let Some(note) = filled(&config.note) {
            h.raw(" <span class=\"muted small\">")
                .text(note)
                .raw("</span>");
        }
    } else if !a.support.is_empty() {
        h.raw("<span class=\"muted small\">This catalog has no request form; ask the owners through the channels below.</span>");
    } else {
        h.raw("<span class=\"muted small\">This catalog has no request form and the owners list no support channel; ask the owning team.</span>");
    }
    h.raw("</p>");
    if !a.roles.is_empty() {
        h.raw("\n<div class=\"access-part\"><span class=\"label\">Roles ");
        help(h, "role", "a role", root);
        h.raw("</span>\n<ul class=\"access-roles\">");
        for r in a.roles {
            h.raw("\n<li><strong>").text(&r.name).raw("</strong>");
            if let Some(access) = filled(&r.access) {
                h.pill("pill-quiet", access);
            }
            if !r.approvers.is_empty() {
                h.raw(" <span class=\"small\">approved by ");
                for (k, p) in r.approvers.iter().enumerate() {
                    h.raw("<span class=\"approver\">").text(p).raw("</span>");
                    if k + 1 < r.approvers.len() {
                        h.raw(", then ");
                    }
                }
                h.raw("</span>");
            }
            if let Some(d) = r.description.as_deref().map(crate::markdown::inline) {
                if !d.is_empty() {
                    h.raw("<div class=\"muted small\">").html(&d).raw("</div>");
                }
            }
            h.raw("</li>");
        }
        h.raw("\n</ul>\n</div>");
    }
    if !a.notes.is_empty() {
        h.raw("\n<details class=\"access-part access-notes\"><summary>Read before you ask: ");
        for (k, n) in a.notes.iter().enumerate() {
            h.text(&n.label.to_lowercase());
            if k + 1 < a.notes.len() {
                h.raw(", ");
            }
        }
        h.raw("</summary>");
        for n in &a.notes {
            h.raw("\n<div class=\"access-note\"><span class=\"label\">")
                .text(&n.label)
                .raw("</span><div class=\"prose small\">")
                .html(&crate::markdown::render(&n.text))
                .raw("</div></div>");
        }
        h.raw("\n</details>");
    }
    h.raw("\n<div class=\"access-part\"><span class=\"label\">Current consumers ");
    help(h, "agreement", "a usage agreement", root);
    h.raw("</span>");
    if a.agreements.is_empty() {
        h.raw(" <span class=\"muted small\">No usage agreement names this port.</span>");
    } else {
        h.raw("\n<ul class=\"access-consumers\">");
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
            h.raw("\n<li>");
            match (&product, &team) {
                (Some(p), _) => ref_link(h, p, root),
                (None, Some(t)) => ref_link(h, t, root),
                (None, None) => {
                    h.raw("<code>").text(&g.id).raw("</code>");
                }
            }
            if let (Some(_), Some(t)) = (&product, &team) {
                h.raw(" <span class=\"muted small\">(");
                ref_link(h, t, root);
                h.raw(")</span>");
            }
            if let Some(s) = filled(&g.status) {
                h.pill("pill-quiet", s);
            }
            if let Some(p) = g.purpose.as_deref().map(crate::markdown::inline) {
                if !p.is_empty() {
                    h.raw("<div class=\"muted small\">").html(&p).raw("</div>");
                }
            }
            h.raw("</li>");
        }
        h.raw("\n</ul>");
    }
    h.raw("\n</div>");
    if !a.support.is_empty() {
        h.raw("\n<div class=\"access-part\"><span class=\"label\">Where to ask</span>");
        support_list(h, &a.support)?;
        h.raw("</div>");
    }
    h.raw("\n</section>");
    Ok(())
}
