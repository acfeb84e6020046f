//! The lineage section of product.html (its `lineage_explorer`, `lineage_figure`,
//! `neighbour_list`, `node_link` and `lineage_fallback` components, from
//! lineage_components.html), compiled: the same bytes once the page's whitespace is collapsed.
//! It was a fifth of a product page's instructions, most of them turning the neighbour rows
//! into template values and walking them back out.

use super::html::Html;
use super::parts::ref_link;
use crate::lineage_explore::Fallback;
use crate::lineage_pages::{NeighbourRow, ProductLineage};

/// What the default product.html writes between its lineage heading and the section's end, for
/// the current version's page. Written with each line break as the whitespace pass leaves it.
pub fn render(l: &ProductLineage, root: &str) -> String {
    let mut h = Html::with_capacity(l.svg.len() + 4096);
    render_into(&mut h, l, root);
    h.0
}

/// [`render`] written into a page being written.
pub fn render_into(h: &mut Html, l: &ProductLineage, root: &str) {
    let (products, domains) = l.impact;
    h.raw("<p class=\"impact\">");
    if products > 0 {
        h.raw("<strong>")
            .num(products)
            .raw("</strong> product")
            .raw(plural(products))
            .raw(" in <strong>")
            .num(domains)
            .raw("</strong> domain")
            .raw(plural(domains))
            .raw(" depend")
            .raw(if products == 1 { "s" } else { "" })
            .raw(" on this, directly or indirectly.");
    } else {
        h.raw("No other data product depends on this one.");
    }
    h.raw("</p>");
    if !l.cycle.is_empty() {
        h.raw("\n<p class=\"callout callout-warning small\"><span aria-hidden=\"true\">⚠</span> Part of a lineage cycle with ")
            .text(&l.cycle.join(", "))
            .raw(".</p>");
    }
    h.raw("\n");
    if let Some(x) = &l.deeper {
        explorer(h, x, root);
    }
    h.raw("\n");
    if !l.svg.is_empty() {
        figure(h, l, root);
    }
    h.raw("\n<div class=\"grid-2\" id=\"lineage-lists\">\n<div class=\"panel\">\n<h3 class=\"panel-title\">Reads from <span class=\"count-badge\">")
        .num(l.upstream_count)
        .raw("</span></h3>\n");
    neighbour_list(h, &l.upstream, "No known upstream sources.", root);
    more_rows(h, l.upstream_count, l.upstream.len());
    h.raw("\n</div>\n<div class=\"panel\">\n<h3 class=\"panel-title\">Read by <span class=\"count-badge\">")
        .num(l.downstream_count)
        .raw("</span></h3>\n");
    neighbour_list(h, &l.downstream, "No known downstream data products.", root);
    more_rows(h, l.downstream_count, l.downstream.len());
    h.raw("\n</div>\n</div>\n");
    if let Some(x) = &l.deeper {
        fallback(h, x, root);
    }
}

/// Tera's `pluralize`.
fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn more_rows(h: &mut Html, count: usize, shown: usize) {
    if count > shown {
        h.raw("<p class=\"muted small\">… and ")
            .num(count - shown)
            .raw(" more (all in <code>lineage/index.json</code>).</p>");
    }
}

fn explorer(h: &mut Html, x: &Fallback, root: &str) {
    h.raw("\n<div class=\"lineage-explorer\" data-node=\"")
        .num(x.node)
        .raw(
            "\" hidden>\n<div class=\"lineage-views\" role=\"group\" aria-label=\"Lineage depth\">\n\
             <span class=\"label\">Show</span>\n\
             <button type=\"button\" data-hops=\"1\" aria-pressed=\"true\">1 hop</button>\n\
             <button type=\"button\" data-hops=\"2\" aria-pressed=\"false\">2 hops</button>\n\
             <button type=\"button\" data-hops=\"3\" aria-pressed=\"false\">3 hops</button>\n\
             <button type=\"button\" data-hops=\"all\" aria-pressed=\"false\">Full chains</button>\n\
             </div>\n<p class=\"lineage-status muted small\" role=\"status\"></p>\n\
             <div class=\"lineage-deeper\"></div>\n</div>\n<script src=\"",
        )
        .text(root)
        .raw("static/lineage.js\" defer></script>");
}

const CAPTION: &str = "One hop up and down; data flows left to right. Each box links to its page.";

fn figure(h: &mut Html, l: &ProductLineage, root: &str) {
    h.raw("<figure class=\"lineage-figure\">\n<div class=\"lineage-scroll\" tabindex=\"0\" aria-label=\"")
        .text(CAPTION)
        .raw(" (scrollable)\">")
        .html(&l.svg)
        .raw("</div>\n<figcaption class=\"lineage-caption\">\n<span>")
        .text(CAPTION)
        .raw("</span>");
    if !l.legend.is_empty() {
        h.raw("\n<ul class=\"lineage-legend\" aria-label=\"Domain colours\">");
        for (class, domain) in &l.legend {
            h.raw("<li class=\"lg-").text(class).raw("\">");
            match domain {
                Some(r) => ref_link(h, r, root),
                None => {
                    h.raw("No domain");
                }
            }
        }
        h.raw("\n</ul>");
    }
    h.raw("\n</figcaption>\n</figure>");
}

fn neighbour_list(h: &mut Html, rows: &[NeighbourRow], empty: &str, root: &str) {
    if rows.is_empty() {
        h.raw("<p class=\"muted\">").text(empty).raw("</p>");
        return;
    }
    h.raw("\n<ul class=\"plain-list lineage-list\">");
    for r in rows {
        h.raw("\n<li class=\"lg-").text(&r.class).raw("\">");
        match r.url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => {
                h.link(root, url, &r.node.name);
            }
            None => {
                h.raw("<span class=\"ref-plain\" title=\"")
                    .text(&r.kind)
                    .raw("\">")
                    .text(&r.node.name)
                    .raw("</span> <span class=\"pill pill-quiet\">")
                    .text(&r.kind)
                    .raw("</span>");
            }
        }
        if let Some(d) = &r.domain {
            h.raw(" <span class=\"muted small\">· ")
                .text(&d.name)
                .raw("</span>");
        }
        for (kind, evidence, field) in &r.via {
            h.raw("<div class=ev>via ")
                .text(kind)
                .raw(" · <code>")
                .text(field)
                .raw("</code> in <span class=ef>")
                .text(evidence)
                .raw("</span></div>");
        }
    }
    h.raw("\n</ul>");
}

fn fallback(h: &mut Html, x: &Fallback, root: &str) {
    h.raw("\n<div class=\"lineage-fallback panel\">\n<h3 class=\"panel-title\">Further upstream and downstream</h3>");
    for s in &x.sides {
        if s.groups.is_empty() {
            continue;
        }
        let direction = capitalized(s.direction);
        for (hops, nodes) in &s.groups {
            h.raw("\n<h4 class=\"chain-title\">")
                .text(&direction)
                .raw(", ")
                .num(hops)
                .raw(" hops</h4>\n<ul class=\"chain-list\">");
            for n in nodes {
                h.raw("<li class=\"lg-").text(&n.class).raw("\">");
                match n.url.as_deref().filter(|u| !u.is_empty()) {
                    Some(url) => {
                        h.link(root, url, &n.name);
                    }
                    None => {
                        h.text(&n.name);
                    }
                }
            }
            h.raw("\n</ul>");
        }
        if s.more > 0 {
            h.raw("<p class=\"muted small\">… and ").num(s.more);
            if s.capped {
                h.raw("+");
            }
            h.raw(" more within 3 hops");
            if s.capped {
                h.raw(", and possibly more beyond");
            }
            h.raw(".</p>");
        }
    }
    h.raw("\n</div>");
}

/// Tera's `capitalize`: the first letter upper case, the rest lower case.
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}
