//! The listings of products and contracts (products.html, contracts.html and the tag and status
//! pages of browse.html), compiled: the same bytes as the templates for the same page.
//!
//! Why: a listing page is a hundred rows, each of them a map of template values and five
//! component calls; at 10,000 products the three listings are about 500 pages.

use catalog::Catalog;

use super::html::{filled, Html};
use super::parts::ref_link;
use crate::browse::{Facet, Group};
use crate::pages::{listing_path, paginate, Pagination};
use crate::views::{self, CatalogRefs, Ref};

/// The content block of products.html: page `n` of every product.
pub fn products(catalog: &Catalog, n: usize, page_size: usize, root: &str) -> Html {
    let (range, pagination) = paginate(catalog.products.len(), n, page_size, |page| {
        listing_path("products", page)
    });
    let mut h = Html::with_capacity(600 + range.len() * 600);
    listing_header(&mut h, "Data products", &pagination, "data product");
    if catalog.products.is_empty() {
        h.raw(
            "<p class=\"empty-state\">No data products were found in the configured sources.</p>\n",
        );
        return h;
    }
    product_table(&mut h, catalog, range, root, true);
    pager(&mut h, &pagination, root);
    h.raw("\n");
    h
}

/// The header of a whole-catalog listing: its title and how many it lists on which page.
fn listing_header(h: &mut Html, title: &str, pagination: &Pagination, noun: &str) {
    h.raw("\n<header class=\"page-header\">\n<h1>")
        .raw(title)
        .raw("</h1>\n");
    lead(h, pagination, noun);
    h.raw("\n</header>\n");
}

/// The content block of browse.html: page `n` of the products of one tag or status.
pub fn browse(
    catalog: &Catalog,
    facet: Facet,
    g: &Group,
    n: usize,
    page_size: usize,
    root: &str,
) -> Html {
    let (range, pagination) = paginate(g.products.len(), n, page_size, |page| {
        crate::browse::listing_path(facet.section(), &g.slug, page)
    });
    let mut h = Html::with_capacity(600 + range.len() * 600);
    h.raw("\n<header class=\"page-header\">\n<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><ol><li><a href=\"")
        .text(root)
        .raw("search/index.html\">Search</a></li><li>")
        .text(facet.heading())
        .raw("</li></ol></nav>\n<h1>")
        .text(facet.heading())
        .raw(": ")
        .text(&g.label)
        .raw("</h1>\n");
    lead(&mut h, &pagination, "data product");
    h.raw("\n</header>\n");
    product_table(
        &mut h,
        catalog,
        g.products[range].iter().copied(),
        root,
        false,
    );
    pager(&mut h, &pagination, root);
    h.raw("\n");
    h
}

/// The content block of contracts.html: page `n` of every contract.
pub fn contracts(catalog: &Catalog, n: usize, page_size: usize, root: &str) -> Html {
    let (range, pagination) = paginate(catalog.contracts.len(), n, page_size, |page| {
        listing_path("contracts", page)
    });
    let mut h = Html::with_capacity(600 + range.len() * 700);
    listing_header(&mut h, "Data contracts", &pagination, "data contract");
    if catalog.contracts.is_empty() {
        h.raw("<p class=\"empty-state\">No data contracts were found in the configured sources.</p>\n");
        return h;
    }
    h.raw("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Data contracts\">\n<table class=\"table table-list\">\n<thead>\n<tr>\n<th scope=\"col\">Name</th>\n<th scope=\"col\">Product</th>\n<th scope=\"col\">Domain</th>\n<th scope=\"col\">Owner</th>\n<th scope=\"col\">Status</th>\n<th scope=\"col\">Version</th>\n<th scope=\"col\">Standard</th>\n</tr>\n</thead>\n<tbody>");
    for i in range {
        let c = &catalog.contracts[i];
        let r = catalog.contract_ref(i);
        let product = c
            .data_product
            .as_deref()
            .and_then(|p| catalog.product_ref_by_id(p));
        name_cell(&mut h, &r, c.description.as_deref(), root);
        h.raw("\n<td>");
        ref_or_dash(&mut h, product.as_ref(), root);
        h.raw("</td>\n<td>");
        ref_or_dash(
            &mut h,
            catalog.domain_ref(c.domain.as_deref()).as_ref(),
            root,
        );
        h.raw("</td>\n<td>");
        ref_or_dash(&mut h, catalog.team_ref(c.owner.as_deref()).as_ref(), root);
        h.raw("</td>\n<td>");
        status_cell(&mut h, &c.status);
        h.raw("</td>\n<td>");
        match filled(&c.version) {
            Some(v) => {
                h.raw("<code>").text(v).raw("</code>");
            }
            None => {
                h.raw("<span class=\"muted\">—</span>");
            }
        }
        let versions = catalog.contract_versions.get(i).map_or(1, Vec::len);
        if versions > 1 {
            h.raw(" <a class=\"muted small\" href=\"")
                .text(root)
                .text(r.url.as_deref().unwrap_or(""))
                .raw("#versions\" title=\"Every version of this contract\">")
                .num(versions)
                .raw(" versions</a>");
        }
        h.raw("</td>\n<td>");
        standard_label(&mut h, &c.standard.label);
        h.raw("</td>\n</tr>");
    }
    h.raw("\n</tbody>\n</table>\n</div>\n");
    pager(&mut h, &pagination, root);
    h.raw("\n");
    h
}

/// `N data products · page x of y`.
fn lead(h: &mut Html, p: &Pagination, noun: &str) {
    h.raw("<p class=\"lead\">")
        .num(p.total)
        .raw(" ")
        .raw(noun)
        .raw(if p.total == 1 { "" } else { "s" });
    if p.pages > 1 {
        h.raw(" · page ").num(p.page).raw(" of ").num(p.pages);
    }
    h.raw("</p>");
}

/// The products table of products.html (with its archetype column) and browse.html.
fn product_table(
    h: &mut Html,
    catalog: &Catalog,
    products: impl Iterator<Item = usize>,
    root: &str,
    archetype: bool,
) {
    h.raw("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Data products\">\n<table class=\"table table-list\">\n<thead>\n<tr>\n<th scope=\"col\">Name</th>\n<th scope=\"col\">Domain</th>\n<th scope=\"col\">Owner</th>\n<th scope=\"col\">Status</th>\n");
    if archetype {
        h.raw("<th scope=\"col\">Archetype</th>\n");
    }
    h.raw("<th scope=\"col\">Standard</th>\n</tr>\n</thead>\n<tbody>");
    for i in products {
        let p = &catalog.products[i];
        name_cell(h, &catalog.product_ref(i), p.description.as_deref(), root);
        h.raw("\n<td>");
        ref_or_dash(h, catalog.domain_ref(p.domain.as_deref()).as_ref(), root);
        h.raw("</td>\n<td>");
        ref_or_dash(h, catalog.team_ref(p.owner.as_deref()).as_ref(), root);
        h.raw("</td>\n<td>");
        status_cell(h, &p.status);
        h.raw("</td>\n<td>");
        if archetype {
            h.text(filled(&p.archetype).unwrap_or("—"))
                .raw("</td>\n<td>");
        }
        standard_label(h, &p.standard.label);
        h.raw("</td>\n</tr>");
    }
    h.raw("\n</tbody>\n</table>\n</div>\n");
}

/// The first cell of a row: the entity's link and the start of its description.
fn name_cell(h: &mut Html, r: &Ref, description: Option<&str>, root: &str) {
    h.raw("\n<tr>\n<th scope=\"row\">\n<span class=\"cell-title\">");
    ref_link(h, r, root);
    h.raw("</span>");
    if let Some(d) = views::summary(description, 160).filter(|d| !d.is_empty()) {
        h.raw("<p class=\"cell-desc\">").inline(&d).raw("</p>");
    }
    h.raw("\n</th>");
}

fn ref_or_dash(h: &mut Html, r: Option<&Ref>, root: &str) {
    match r {
        Some(r) => ref_link(h, r, root),
        None => {
            h.raw("<span class=\"muted\">—</span>");
        }
    }
}

fn status_cell(h: &mut Html, status: &Option<String>) {
    match filled(status) {
        Some(s) => {
            h.raw("<span class=\"pill status status-")
                .text(&s.to_lowercase().replace(' ', "-"))
                .raw("\">")
                .text(s)
                .raw("</span>");
        }
        None => {
            h.raw("<span class=\"muted\">—</span>");
        }
    }
}

/// `standard_pill` of a plain label (lists): nothing for none.
fn standard_label(h: &mut Html, label: &str) {
    if !label.is_empty() {
        h.raw("<span class=\"pill standard\">")
            .text(label)
            .raw("</span>");
    }
}

/// `pager`: shown when there is more than one page.
fn pager(h: &mut Html, p: &Pagination, root: &str) {
    if p.pages <= 1 {
        return;
    }
    h.raw("<nav class=\"pager\" aria-label=\"Pagination\">\n");
    match filled(&p.prev) {
        Some(prev) => {
            h.raw("<a class=\"pager-link\" rel=\"prev\" href=\"")
                .text(root)
                .text(prev)
                .raw("\"><span aria-hidden=\"true\">←</span> Previous</a>");
        }
        None => {
            h.raw("<span class=\"pager-link is-disabled\" aria-hidden=\"true\">← Previous</span>");
        }
    }
    h.raw("\n<span class=\"pager-status\">Page ")
        .num(p.page)
        .raw(" of ")
        .num(p.pages)
        .raw("</span>\n");
    match filled(&p.next) {
        Some(next) => {
            h.raw("<a class=\"pager-link\" rel=\"next\" href=\"")
                .text(root)
                .text(next)
                .raw("\">Next <span aria-hidden=\"true\">→</span></a>");
        }
        None => {
            h.raw("<span class=\"pager-link is-disabled\" aria-hidden=\"true\">Next →</span>");
        }
    }
    h.raw("\n</nav>");
}

/// The content block of entity_lists.html: page `page` (≥ 2) of a team's (`team`) or domain's
/// products and contracts, `size` of each a page.
pub fn entity_lists(
    catalog: &Catalog,
    team: bool,
    i: usize,
    page: usize,
    size: usize,
    root: &str,
) -> (String, Html) {
    let (name, first, all_products, all_contracts, section, section_url) = if team {
        let t = &catalog.teams[i];
        let (p, c) = (&catalog.team_products[i], &catalog.team_contracts[i]);
        let url = views::team_url(&t.slug);
        (&t.name, url, p, c, "Teams", "teams/index.html")
    } else {
        let d = &catalog.domains[i];
        let (p, c) = (&catalog.domain_products[i], &catalog.domain_contracts[i]);
        let url = views::domain_url(&d.slug);
        (&d.name, url, p, c, "Domains", "domains/index.html")
    };
    let lp = crate::pages::list_page(
        &first,
        (all_products.len(), all_contracts.len()),
        page,
        size,
    );
    let p = &lp.pagination;
    let mut h = Html::with_capacity(4096 + (lp.products.len() + lp.contracts.len()) * 400);
    h.raw("\n<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\">\n<ol><li>")
        .link(root, section_url, section)
        .raw("</li><li>")
        .link(root, &first, name)
        .raw("</li><li><span aria-current=\"page\">Page ")
        .num(p.page)
        .raw("</span></li></ol>\n</nav>\n<header class=\"page-header\">\n<div class=\"title-row\">\n<h1>")
        .text(name)
        .raw(" <span class=\"muted\">· page ")
        .num(p.page)
        .raw(" of ")
        .num(p.pages)
        .raw("</span></h1>\n</div>\n<p class=\"lead\">")
        .num(all_products.len())
        .raw(" data product")
        .raw(plural(all_products.len()))
        .raw(" and ")
        .num(all_contracts.len())
        .raw(" data contract")
        .raw(plural(all_contracts.len()))
        .raw("; ")
        .link(root, &first, "the first page")
        .raw(" has the rest of what is known about ")
        .text(name)
        .raw(".</p>\n</header>\n<section class=\"section\" id=\"products\" aria-labelledby=\"products-title\">\n<h2 id=\"products-title\">Data products <span class=\"count-badge\">")
        .num(all_products.len())
        .raw("</span></h2>\n");
    if lp.products.is_empty() {
        h.raw("<p class=\"muted\">No more data products: all ")
            .num(all_products.len())
            .raw(" are on the earlier pages.</p>\n");
    } else {
        range_note(&mut h, &lp.products, all_products.len());
        entity_product_table(
            &mut h,
            catalog,
            &all_products[lp.products.clone()],
            team,
            root,
        );
    }
    h.raw("</section>\n<section class=\"section\" id=\"contracts\" aria-labelledby=\"contracts-title\">\n<h2 id=\"contracts-title\">Data contracts <span class=\"count-badge\">")
        .num(all_contracts.len())
        .raw("</span></h2>\n");
    if lp.contracts.is_empty() {
        h.raw("<p class=\"muted\">No more data contracts: all ")
            .num(all_contracts.len())
            .raw(" are on the earlier pages.</p>\n");
    } else {
        range_note(&mut h, &lp.contracts, all_contracts.len());
        entity_contract_table(&mut h, catalog, &all_contracts[lp.contracts.clone()], root);
    }
    pager(&mut h, p, root);
    h.raw("\n</section>\n");
    (format!("{name}, page {page}"), h)
}

/// `first–last of total` above a page of a list.
fn range_note(h: &mut Html, range: &std::ops::Range<usize>, total: usize) {
    h.raw("<p class=\"muted small\">")
        .num(range.start + 1)
        .raw("–")
        .num(range.end)
        .raw(" of ")
        .num(total)
        .raw("</p>\n");
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `product_table` of components.html: a team's products name their domain (`by_domain`), a
/// domain's their owner.
fn entity_product_table(
    h: &mut Html,
    catalog: &Catalog,
    products: &[usize],
    by_domain: bool,
    root: &str,
) {
    h.raw("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"products-title\">\n<table class=\"table\">\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">")
        .raw(if by_domain { "Domain" } else { "Owner" })
        .raw("</th><th scope=\"col\">Status</th><th scope=\"col\">Archetype</th></tr></thead>\n<tbody>");
    for &pi in products {
        let p = &catalog.products[pi];
        h.raw("\n<tr>\n<th scope=\"row\">");
        ref_link(h, &catalog.product_ref(pi), root);
        h.raw("</th>\n<td>");
        let other = if by_domain {
            catalog.domain_ref(p.domain.as_deref())
        } else {
            catalog.team_ref(p.owner.as_deref())
        };
        ref_or_dash(h, other.as_ref(), root);
        h.raw("</td>\n<td>");
        status_cell(h, &p.status);
        h.raw("</td>\n<td>")
            .text(filled(&p.archetype).unwrap_or("—"))
            .raw("</td>\n</tr>");
    }
    h.raw("\n</tbody>\n</table>\n</div>\n");
}

/// `contract_table` of components.html.
fn entity_contract_table(h: &mut Html, catalog: &Catalog, contracts: &[usize], root: &str) {
    h.raw("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"contracts-title\">\n<table class=\"table\">\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Status</th><th scope=\"col\">Version</th></tr></thead>\n<tbody>");
    for &ci in contracts {
        let c = &catalog.contracts[ci];
        h.raw("\n<tr>\n<th scope=\"row\">");
        ref_link(h, &catalog.contract_ref(ci), root);
        h.raw("</th>\n<td>");
        status_cell(h, &c.status);
        h.raw("</td>\n<td>");
        match filled(&c.version) {
            Some(v) => {
                h.raw("<code>").text(v).raw("</code>");
            }
            None => {
                h.raw("<span class=\"muted\">—</span>");
            }
        }
        h.raw("</td>\n</tr>");
    }
    h.raw("\n</tbody>\n</table>\n</div>\n");
}
