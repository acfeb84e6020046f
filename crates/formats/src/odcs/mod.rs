//! Open Data Contract Standard (Bitol ODCS): v3.x contracts, and v2.2.x read as well as it maps.

mod keys;
mod read;
mod read_v2;
pub(crate) mod validate;
pub(crate) mod validate_v2;

pub use read::parse;

use model::yaml::Node;

use crate::read::{plain_text, Ctx};
use crate::registry::Standard;
use crate::validate::engine::Checker;
use crate::validate::user::{UserSchema, UserSchemas};
use crate::validate::{choose, Family, Rules};
use crate::{Document, Kind};

pub struct Odcs;

impl Standard for Odcs {
    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Odcs]
    }

    fn declared(&self, doc: &Node) -> Option<Kind> {
        (plain_text(doc, "kind") == "DataContract").then_some(Kind::Odcs)
    }

    fn read(&self, ctx: &mut Ctx, doc: &Node, _kind: Kind, out: &mut Vec<Document>) {
        parse(ctx, doc, out);
    }

    fn rules(&self, doc: &Node, _kind: Kind) -> Option<Rules> {
        let declared = crate::validate::declared(doc, "apiVersion");
        let v2 = match declared.as_deref() {
            Some(v) => v.starts_with("v2"),
            None => doc.get("id").is_none() && doc.get("uuid").is_some(),
        };
        let known = if v2 {
            validate_v2::VERSIONS
        } else {
            validate::VERSIONS
        };
        Some(choose(Family::Odcs, declared.as_deref(), known))
    }

    fn validate(&self, c: &mut Checker, doc: &Node, rules: Rules) {
        let spec = if rules.version.starts_with("v2") {
            validate_v2::spec(rules.version)
        } else {
            validate::spec(rules.version)
        };
        c.check(spec, doc);
    }

    fn user_schema<'u>(&self, _kind: Kind, user: &'u UserSchemas) -> Option<&'u UserSchema> {
        user.contract.as_ref()
    }
}
