//! `llms.txt` and `llms-full.txt` at the site root (the llmstxt.org convention: an `# H1`, a
//! `> summary`, then `## sections` of `- [name](url): description` links).
//!
//! `llms.txt` is an index that stays small at any mesh size: every domain and team links to its
//! markdown twin (which lists its products), and products are listed one per line only up to
//! [`PRODUCT_LIMIT`]; a larger mesh is reached through the domains. `llms-full.txt` holds every
//! product's essentials (the product twin's section, one heading level down), so it grows with
//! the mesh by design: it is the one file an assistant reads whole.

use rayon::prelude::*;
use std::borrow::Cow;
use std::fmt::Write;

use catalog::Catalog;
use config::Config;

use crate::markdown_twin::{self, inline, summary, Links};
use crate::views::CatalogRefs;

/// Products listed one by one in llms.txt; above this, llms.txt lists domains and teams only.
pub const PRODUCT_LIMIT: usize = 500;
/// Teams and domains listed in llms.txt before "and N more".
pub const GROUP_LIMIT: usize = 1000;

/// Links from the site root: absolute with a base URL, else relative.
fn root(config: &Config) -> String {
    let base = config.site.base_url.trim();
    if base.is_empty() {
        String::new()
    } else {
        format!("{}/", base.trim_end_matches('/'))
    }
}

fn header(catalog: &Catalog, config: &Config, out: &mut String) {
    let title = if config.site.title.trim().is_empty() {
        "Data catalog"
    } else {
        config.site.title.as_str()
    };
    let _ = writeln!(out, "# {}\n", inline(title));
    let description = config.site.description.trim();
    let counts = format!(
        "{} data products, {} data contracts, {} teams, {} domains",
        catalog.products.len(),
        catalog.contracts.len(),
        catalog.teams.len(),
        catalog.domains.len()
    );
    if description.is_empty() {
        let _ = writeln!(out, "> A data catalog of {counts}.\n");
    } else {
        let _ = writeln!(
            out,
            "> {} The catalog lists {counts}.\n",
            inline(description)
        );
    }
}

/// `llms.txt`.
pub fn index(catalog: &Catalog, config: &Config) -> Vec<u8> {
    let root = root(config);
    let links = Links { root: &root };
    let mut out = String::new();
    header(catalog, config, &mut out);
    let _ = writeln!(
        out,
        "Each data product, contract, team and domain has a page (`index.html`), a markdown twin \
         (`index.md`) and a JSON record (`index.json`) in the same folder. A product's page says who \
         owns it, what its output ports serve under which contract, whether it meets its service \
         levels and how to get access.\n"
    );
    let _ = writeln!(out, "## Domains\n");
    for (i, d) in catalog.domains.iter().enumerate().take(GROUP_LIMIT) {
        let owner = catalog
            .team_ref(d.owner.as_deref())
            .map(|t| format!(", owned by {}", inline(&t.name)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- {}: {}{owner}{}",
            links.to(&catalog.domain_ref(Some(&d.id)).expect("a domain")),
            products(catalog.domain_products[i].len()),
            summary(d.description.as_deref()).replacen(": ", ". ", 1),
        );
    }
    more(&mut out, catalog.domains.len(), &root);
    let _ = writeln!(out, "## Teams\n");
    for (i, t) in catalog.teams.iter().enumerate().take(GROUP_LIMIT) {
        let _ = writeln!(
            out,
            "- {}: {}{}",
            links.to(&catalog.team_ref(Some(&t.id)).expect("a team")),
            products(catalog.team_products[i].len()),
            summary(t.description.as_deref()).replacen(": ", ". ", 1),
        );
    }
    more(&mut out, catalog.teams.len(), &root);
    let _ = writeln!(out, "## Data products\n");
    if catalog.products.len() <= PRODUCT_LIMIT {
        for (i, p) in catalog.products.iter().enumerate() {
            let _ = writeln!(
                out,
                "- {}{}",
                links.to(&catalog.product_ref(i)),
                summary(p.description.as_deref())
            );
        }
    } else {
        let _ = writeln!(
            out,
            "- [Every data product]({root}llms-full.txt): {} products, too many to list here; each \
             domain above lists its own",
            catalog.products.len()
        );
    }
    let _ = writeln!(out, "\n## Optional\n");
    let _ = writeln!(
        out,
        "- [llms-full.txt]({root}llms-full.txt): every data product's essentials in one file\n\
         - [catalog.json]({root}catalog.json): the machine-readable index (`formatVersion` {}); \
         each entity's full record is `index.json` beside its page\n\
         - [Health]({root}health/index.html): problems found in the manifests",
        crate::catalog_json::FORMAT_VERSION
    );
    out.into_bytes()
}

fn products(n: usize) -> String {
    match n {
        1 => "1 data product".into(),
        n => format!("{n} data products"),
    }
}

fn more(out: &mut String, total: usize, root: &str) {
    if total > GROUP_LIMIT {
        let _ = writeln!(
            out,
            "- [{} more]({root}catalog.json): every one is in catalog.json",
            total - GROUP_LIMIT
        );
    }
    out.push('\n');
}

/// `llms-full.txt`: every product's essentials.
pub fn full(catalog: &Catalog, config: &Config, kept: Option<&crate::parts::Kept>) -> Vec<u8> {
    let root = root(config);
    let links = Links { root: &root };
    let mut out = String::new();
    header(catalog, config, &mut out);
    let _ = writeln!(
        out,
        "Every data product with its owner, domain, description, output ports (with their contracts \
         and versions), service levels and access. Links lead to each entity's markdown twin.\n"
    );
    // Each product's part is written on its own (in parallel: 10,000 twins are most of the
    // file's time, rendered again whenever any product changes), then joined in catalog order.
    // The parts of products whose twin is unchanged since the last build are taken as kept.
    let part = |i: usize| {
        let mut part = String::new();
        markdown_twin::product(catalog, i, &links, 2, &mut part);
        let page = crate::views::product_url(&catalog.products[i].slug);
        let json = page.replace("index.html", "index.json");
        let _ = writeln!(
            part,
            "Page: [HTML]({root}{page}) · [JSON record]({root}{json})\n"
        );
        part
    };
    let join = |parts: &[Cow<str>]| {
        let mut bytes = out.into_bytes();
        bytes.reserve(parts.iter().map(|p| p.len()).sum());
        for part in parts {
            bytes.extend_from_slice(part.as_bytes());
        }
        bytes
    };
    match kept.filter(|k| k.keys.len() == catalog.products.len()) {
        Some(kept) => kept.join(part, join),
        None => join(
            &(0..catalog.products.len())
                .into_par_iter()
                .map(|i| Cow::Owned(part(i)))
                .collect::<Vec<_>>(),
        ),
    }
}
