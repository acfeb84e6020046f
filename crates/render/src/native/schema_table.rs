//! `schema_table` of components.html (with the components it calls: `ref_link`,
//! `synonym_list`, `tag_list`, `link_item`, `ext_link`, `pii_badge`, `rule_more`), compiled:
//! the same bytes for the same rows. A wide contract has thousands of rows and every one was a
//! map of template values walked field by field.

use super::html::{filled, Html};
use super::parts::{link_item, ref_link, synonym_list, tag_list};
use crate::views::{KeyValue, RowView, RuleView};

/// The table of `rows`, as `{{ <schema_table rows caption labelledby columns /> }}` writes it.
pub fn render(rows: &[RowView], caption: &str, labelledby: &str, root: &str) -> String {
    let mut h = Html::with_capacity(400 + rows.len() * 200);
    write(&mut h, rows, caption, labelledby, root);
    h.0
}

/// [`render`] into a page's buffer (which then knows whether the table needs the whitespace
/// pass).
pub fn write(h: &mut Html, rows: &[RowView], caption: &str, labelledby: &str, root: &str) {
    let (flags, classification) = crate::views::columns_of(rows);
    h.raw("<div class=table-wrap tabindex=0 role=region aria-labelledby=\"")
        .text(labelledby)
        .raw("\">\n<table class=\"table schema");
    if flags {
        h.raw(" with-flags");
    }
    h.raw("\"><caption class=visually-hidden>")
        .text(caption)
        .raw("</caption><thead><tr><th>Name<th>Type");
    if flags {
        h.raw("<th>Flags");
    }
    if classification {
        h.raw("<th>Classification");
    }
    h.raw("<th>Description<tbody>");
    for r in rows {
        row(h, r, flags, classification, root);
    }
    h.raw("\n</table></div>");
}

fn row(h: &mut Html, r: &RowView, flags: bool, classification: bool, root: &str) {
    h.raw("\n<tr id=").text(&r.anchor);
    if r.depth > 1 {
        h.raw(" class=nested");
    }
    h.raw("><th>");
    if r.depth > 1 {
        for _ in 0..r.depth - 2 {
            h.raw("<span class=indent aria-hidden=true></span>");
        }
        h.raw("<span class=tree aria-hidden=true>└</span>");
    }
    h.raw("<a href=#").text(&r.anchor);
    if r.path != r.name {
        h.raw(" title=\"").text(&r.path).raw("\"");
    }
    h.raw(">").text(r.name).raw("</a>");
    if let Some(b) = filled(r.business_name) {
        h.raw("<div class=business-name>").text(b).raw("</div>");
    }
    if let Some(term) = &r.term {
        h.raw("<div class=\"small term-link\"><span class=muted>term</span> ");
        ref_link(h, term, root);
        h.raw("</div>");
    }
    if let Some(id) = filled(r.element_id).filter(|id| *id != r.name) {
        h.raw("<div class=\"muted small\" title=\"Stable id\">id <code>")
            .text(id)
            .raw("</code></div>");
    }
    h.raw("<td>").text(filled(r.logical_type).unwrap_or(""));
    if let Some(p) = filled(r.physical_type).filter(|p| Some(*p) != r.logical_type.as_deref()) {
        h.raw("<div class=\"muted small\"><code>")
            .text(p)
            .raw("</code></div>");
    }
    if let Some(s) = filled(r.semantic_type) {
        h.raw("<div class=small title=\"Semantic type\"><span class=muted>means</span> <code>")
            .text(s)
            .raw("</code></div>");
    }
    if flags {
        flag_cell(h, r);
    }
    if classification {
        h.raw("<td>");
        if let Some(c) = filled(r.classification) {
            h.raw("<span class=\"pill pill-quiet class-")
                .text(&c.to_lowercase())
                .raw("\">")
                .text(c)
                .raw("</span>");
        }
    }
    h.raw("<td>");
    if let Some(d) = filled(r.description) {
        h.inline(d);
    }
    description_extras(h, r, root);
}

fn flag_cell(h: &mut Html, r: &RowView) {
    h.raw("<td>");
    if r.primary_key {
        h.raw("<span class=\"flag flag-pk\" title=\"Primary key\"><span aria-hidden=\"true\">PK</span><span class=\"visually-hidden\">primary key</span>");
        if let Some(n) = r.pk_position.filter(|n| *n != 0) {
            h.raw(" ").num(n);
        }
        h.raw("</span>");
    }
    if r.required {
        h.raw("<span class=flag>required</span>");
    }
    if r.unique {
        h.raw("<span class=flag>unique</span>");
    }
    if r.partitioned {
        h.raw("<span class=flag>partitioned</span>");
    }
    if let Some(n) = r.partition_position.filter(|n| *n != 0) {
        h.raw("<span class=\"flag\" title=\"Partition key position\">part. ")
            .num(n)
            .raw("</span>");
    }
    if r.critical {
        h.raw("<span class=\"flag flag-cde\" title=\"Critical data element\"><span aria-hidden=\"true\">CDE</span><span class=\"visually-hidden\">critical data element</span></span>");
    }
    if r.pii {
        h.raw("<span class=\"badge badge-pii\" title=\"Contains personally identifiable information\">PII</span>");
    }
}

/// Everything else the file says about a field, after its description.
fn description_extras(h: &mut Html, r: &RowView, root: &str) {
    if let Some(d) = filled(r.definition_ref) {
        h.raw("<div class=field-extra><span class=label>Definition</span> ");
        match r.definition_anchor.as_deref().filter(|a| !a.is_empty()) {
            Some(a) => {
                h.raw("<a href=\"#")
                    .text(a)
                    .raw("\"><code>")
                    .text(d)
                    .raw("</code></a>");
            }
            None => {
                h.raw("<code>").text(d).raw("</code>");
            }
        }
        h.raw("</div>");
    }
    if !r.synonyms.is_empty() {
        synonym_list(h, r.synonyms);
    }
    if let Some(e) = r.examples.as_deref().filter(|e| !e.is_empty()) {
        h.raw("<div class=field-extra><span class=label>Examples</span> <code>")
            .text(e)
            .raw("</code></div>");
    }
    let enum_values = r.enum_values.as_deref().unwrap_or("");
    if !r.enum_details.is_empty() {
        h.raw("<details class=\"field-extra enum-details\"><summary><span class=label>Allowed values</span> <code>")
            .text(enum_values)
            .raw("</code></summary><dl class=\"kv small\">");
        for e in r.enum_details {
            enum_value(h, e);
        }
        h.raw("</dl></details>");
    } else if !enum_values.is_empty() {
        h.raw("<div class=field-extra><span class=label>Allowed values</span> <code>")
            .text(enum_values)
            .raw("</code></div>");
    }
    if let Some(p) = filled(r.physical_name) {
        h.raw("<div class=field-extra><span class=label>Physical name</span> <code>")
            .text(p)
            .raw("</code></div>");
    }
    for (label, list) in [("Type options", &r.type_options), ("Config", &r.config)] {
        if list.is_empty() {
            continue;
        }
        h.raw("<div class=field-extra><span class=label>")
            .raw(label)
            .raw("</span> ");
        for (k, t) in list.iter().enumerate() {
            h.raw("<code>")
                .text(&t.key)
                .raw(": ")
                .text(&t.value)
                .raw("</code>");
            if k + 1 < list.len() {
                h.raw(" · ");
            }
        }
        h.raw("</div>");
    }
    for n in r.notes {
        labelled(h, n);
    }
    for rel in &r.relations {
        h.raw("<div class=field-extra><span class=label>Foreign key</span> ");
        match rel.url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => {
                h.raw("<a href=\"")
                    .text(root)
                    .text(url)
                    .raw("\"><code>")
                    .text(&rel.to)
                    .raw("</code></a>");
                if let Some(c) = rel.contract.as_deref().filter(|c| !c.is_empty()) {
                    h.raw(" <span class=\"muted small\">in ")
                        .text(c)
                        .raw("</span>");
                }
            }
            None => {
                h.raw("<code>")
                    .text(&rel.to)
                    .raw("</code> <span class=\"muted small\">(not in this catalog)</span>");
            }
        }
        h.raw("</div>");
    }
    for q in &r.quality {
        column_rule(h, q);
    }
    for t in r.transform {
        labelled(h, t);
    }
    if !r.definitions.is_empty() {
        h.raw("<div class=field-extra><span class=label>Definitions</span><ul class=link-list>");
        for l in r.definitions {
            h.raw("<li>");
            link_item(h, l);
            h.raw("</li>");
        }
        h.raw("</ul></div>");
    }
    for p in &r.custom {
        h.raw("<div class=field-extra><span class=label>Custom</span> <code>")
            .text(&p.key)
            .raw("</code>: ")
            .text(&p.value);
        if let Some(d) = p.description.as_deref().filter(|d| !d.is_empty()) {
            h.raw(" <span class=\"muted small\">— ")
                .inline(d)
                .raw("</span>");
        }
        h.raw("</div>");
    }
    for p in &r.extensions {
        h.raw("<div class=field-extra><span class=\"label label-ext\">Extension</span> <code>")
            .text(&p.key)
            .raw("</code>: <code>")
            .text(&p.value)
            .raw("</code></div>");
    }
    if !r.tags.is_empty() {
        tag_list(h, r.tags);
    }
}

fn labelled(h: &mut Html, n: &model::Labelled) {
    h.raw("<div class=field-extra><span class=label>")
        .text(&n.label)
        .raw("</span> <code>")
        .text(&n.text)
        .raw("</code></div>");
}

fn enum_value(h: &mut Html, e: &model::EnumValue) {
    h.raw("<div><dt><code>")
        .text(&e.value)
        .raw("</code></dt><dd>");
    let label = filled(&e.label);
    let description = filled(&e.description);
    if let Some(l) = label {
        h.raw("<strong>").text(l).raw("</strong>");
    }
    if label.is_some() && description.is_some() {
        h.raw(" — ");
    }
    if let Some(d) = description {
        h.inline(d);
    }
    if !e.tags.is_empty() {
        tag_list(h, &e.tags);
    }
    if !e.definitions.is_empty() {
        h.raw("<ul class=link-list>");
        for l in &e.definitions {
            h.raw("<li>");
            link_item(h, l);
            h.raw("</li>");
        }
        h.raw("</ul>");
    }
    if !e.custom.is_empty() {
        h.raw("<dl class=kv-inline>");
        for c in &e.custom {
            h.raw("<div><dt>")
                .text(&c.key)
                .raw("</dt><dd>")
                .text(&template_text(&c.value))
                .raw("</dd></div>");
        }
        h.raw("</dl>");
    }
    h.raw("</dd></div>");
}

/// A JSON value as `{{ value }}` prints it (Tera's own formatting of numbers, lists and maps).
pub(super) fn template_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => tera::Value::try_from_serializable(other)
            .map(|v| v.to_string())
            .unwrap_or_default(),
    }
}

/// A quality rule of one column, in its description cell.
fn column_rule(h: &mut Html, q: &RuleView) {
    h.raw("<div class=field-extra><span class=label>Quality</span> ");
    if let Some(name) = filled(q.name) {
        h.raw("<strong>").text(name).raw("</strong>: ");
    }
    h.inline(q.summary);
    let kind = filled(q.kind);
    let dimension = filled(q.dimension);
    let severity = filled(q.severity);
    let schedule = filled(q.schedule);
    if dimension.is_some() || severity.is_some() || schedule.is_some() || kind.is_some() {
        h.raw(" <span class=\"muted small\">");
        if let Some(k) = kind {
            h.text(k);
        }
        if let Some(d) = dimension {
            if kind.is_some() {
                h.raw(" · ");
            }
            h.text(d);
        }
        if let Some(s) = severity {
            h.raw(" · ").text(s);
        }
        if let Some(s) = schedule {
            h.raw(" · <code>").text(s).raw("</code>");
        }
        h.raw("</span>");
    }
    if q.more {
        h.raw("<details class=rule-details><summary class=small>Details</summary>");
        rule_more(h, q);
        h.raw("</details>");
    }
    h.raw("</div>");
}

/// `rule_more`: the parts of a rule beyond its summary.
pub(super) fn rule_more(h: &mut Html, q: &RuleView) {
    if let Some(d) = q.description.filter(|d| !d.is_empty()) {
        h.raw("<div class=\"rule-description\">")
            .inline(d)
            .raw("</div>");
    }
    if let Some(query) = filled(q.query) {
        h.raw("<pre class=\"rule-query\"><code>")
            .text(query)
            .raw("</code></pre>");
    }
    if let Some(text) = q.implementation_text.filter(|t| !t.is_empty()) {
        h.raw("<div class=\"small\"><span class=\"label\">Implementation</span></div><pre class=\"rule-query\"><code>")
            .text(text)
            .raw("</code></pre>");
    }
    if !q.implementation.is_empty() {
        h.raw("<div class=\"small\"><span class=\"label\">Implementation</span></div>");
        key_values(h, &q.implementation, true);
    }
    if !q.custom.is_empty() {
        h.raw("<div class=\"small\"><span class=\"label\">Custom properties</span></div>");
        key_values(h, &q.custom, false);
    }
    if !q.details.is_empty() {
        key_values(h, &q.details, true);
    }
}

fn key_values(h: &mut Html, items: &[KeyValue], code: bool) {
    h.raw("<dl class=\"kv small\">");
    for d in items {
        h.raw("<div><dt>").text(&d.key).raw("</dt><dd>");
        if code {
            h.raw("<code>").text(&d.value).raw("</code>");
        } else {
            h.text(&d.value);
        }
        h.raw("</dd></div>");
    }
    h.raw("</dl>");
}
