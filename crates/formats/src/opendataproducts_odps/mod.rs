//! Open Data Product Specification (opendataproducts.org, Linux Foundation) v3.x–v4.x products.
//! Not to be confused with Bitol's Open Data Product Standard (see `bitol_odps`).

mod read;
mod sections;
#[cfg(test)]
mod tests;

pub use read::{label, parse};

use model::yaml::Node;

use crate::read::{plain_text, Ctx};
use crate::registry::Standard;
use crate::validate::user::{UserSchema, UserSchemas};
use crate::{Document, Kind};

/// Where the standard's schema URLs live; a document names its version with one.
const SCHEMA_HOST: &str = "opendataproducts.org";

pub struct OpenDataProductsOdps;

impl Standard for OpenDataProductsOdps {
    fn kinds(&self) -> &'static [Kind] {
        &[Kind::OpenDataProducts]
    }

    fn declared(&self, _doc: &Node) -> Option<Kind> {
        None
    }

    /// Its schema URL, or `product.details` without it.
    fn shaped(&self, doc: &Node) -> Option<Kind> {
        (plain_text(doc, "schema").contains(SCHEMA_HOST)
            || doc
                .get("product")
                .and_then(|p| p.get("details"))
                .is_some_and(Node::is_map))
        .then_some(Kind::OpenDataProducts)
    }

    fn read(&self, ctx: &mut Ctx, doc: &Node, _kind: Kind, out: &mut Vec<Document>) {
        parse(ctx, doc, out);
    }

    fn user_schema<'u>(&self, _kind: Kind, user: &'u UserSchemas) -> Option<&'u UserSchema> {
        user.product.as_ref()
    }
}
