//! Compiled fragments of the default theme: the parts of the largest pages (a contract's schema
//! tables, a product's lineage section) written in Rust instead of interpreted by Tera.
//!
//! Why: contract and product pages are two thirds of a site's HTML, and most of their cost was
//! Tera calling components row by row and the conversion of every row into template values
//! (callgrind). A fragment is used only while the templates it stands for are the built-in ones
//! ([`Native`]): a theme that overrides any of them gets the template path, with the same
//! context as before. `tests` render the sample's pages both ways and compare the bytes.

pub mod contract_page;
pub mod contract_source;
pub mod html;
pub mod lists;
pub mod page;
pub mod parts;
pub mod product_lineage;
pub mod product_page;
pub mod schema_table;

pub use html::Html;

/// Which compiled fragments a theme can use: each needs the built-in text of every template
/// file it replaces (an ejected theme that left a file as it was still counts as built-in).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Native {
    /// `schema_table` of components.html, on contract.html.
    pub schema_table: bool,
    /// The lineage section of product.html (lineage_components.html, `ref_link`).
    pub product_lineage: bool,
    /// The whole content block of product.html ([`product_page`]).
    pub product_page: bool,
    /// base.html is the built-in one: a compiled block is joined into its collapsed shell
    /// ([`page`]) instead of the whole page being collapsed again.
    pub built_in_shell: bool,
    /// The whole content block of contract.html ([`contract_page`]).
    pub contract_page: bool,
    /// The whole of contract_source.html ([`contract_source`]).
    pub contract_source: bool,
    /// The content blocks of products.html, contracts.html, browse.html and entity_lists.html
    /// ([`lists`]).
    pub lists: bool,
}

impl Native {
    /// Nothing compiled: every page through its templates (what an override gets).
    pub const NONE: Native = Native {
        schema_table: false,
        product_lineage: false,
        product_page: false,
        built_in_shell: false,
        contract_page: false,
        contract_source: false,
        lists: false,
    };

    /// From the final template sources: `built_in(name)` says whether `name` is unchanged.
    pub fn of(built_in: impl Fn(&str) -> bool) -> Native {
        let components = built_in("components.html");
        Native {
            schema_table: components && built_in("contract.html"),
            product_lineage: components
                && built_in("lineage_components.html")
                && built_in("product.html"),
            // Every file whose components product.html calls (metrics.html's only on pages that
            // show service levels, which stay with the templates).
            product_page: components
                && built_in("product.html")
                && built_in("lineage_components.html")
                && built_in("onboard_components.html")
                && built_in("versions.html"),
            built_in_shell: built_in("base.html"),
            contract_page: components
                && built_in("contract.html")
                && built_in("versions.html")
                && built_in("onboard_components.html")
                && built_in("lineage_components.html"),
            contract_source: built_in("contract_source.html"),
            lists: components
                && built_in("products.html")
                && built_in("contracts.html")
                && built_in("browse.html")
                && built_in("entity_lists.html"),
        }
    }
}
