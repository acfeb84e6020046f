//! Bitol Open Data Product Standard (ODPS) v0.9–v1.x products. Not to be confused with the
//! opendataproducts.org specification of the same short name (see `opendataproducts_odps`).

mod read;
pub(crate) mod validate;

pub use read::parse;

use model::yaml::Node;

use crate::read::{plain_text, Ctx};
use crate::registry::Standard;
use crate::validate::engine::Checker;
use crate::validate::user::{UserSchema, UserSchemas};
use crate::validate::{choose, Family, Rules};
use crate::{Document, Kind};

/// Top-level fields the standard defines: the reader keeps others as extensions, the rules refuse
/// them.
const TOP: &[&str] = &[
    "apiVersion",
    "kind",
    "id",
    "name",
    "version",
    "status",
    "domain",
    "tenant",
    "authoritativeDefinitions",
    "description",
    "customProperties",
    "tags",
    "inputPorts",
    "outputPorts",
    "managementPorts",
    "support",
    "team",
    "productCreatedTs",
];

pub struct BitolOdps;

impl Standard for BitolOdps {
    fn kinds(&self) -> &'static [Kind] {
        &[Kind::BitolOdps]
    }

    fn declared(&self, doc: &Node) -> Option<Kind> {
        (plain_text(doc, "kind") == "DataProduct" && doc.get("apiVersion").is_some())
            .then_some(Kind::BitolOdps)
    }

    fn read(&self, ctx: &mut Ctx, doc: &Node, _kind: Kind, out: &mut Vec<Document>) {
        parse(ctx, doc, out);
    }

    fn rules(&self, doc: &Node, _kind: Kind) -> Option<Rules> {
        let declared = crate::validate::declared(doc, "apiVersion");
        Some(choose(
            Family::BitolOdps,
            declared.as_deref(),
            validate::VERSIONS,
        ))
    }

    fn validate(&self, c: &mut Checker, doc: &Node, rules: Rules) {
        c.check(validate::spec(rules.version), doc);
    }

    fn user_schema<'u>(&self, _kind: Kind, user: &'u UserSchemas) -> Option<&'u UserSchema> {
        user.product.as_ref()
    }
}
