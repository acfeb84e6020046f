//! Open Data Contract Standard (Bitol ODCS): v3.x contracts, and v2.2.x read as well as it maps.

mod keys;
mod read;
mod read_v2;
mod validate;
mod validate_v2;

pub use read::parse;

use model::yaml::Node;

use crate::read::{plain_text, Ctx};
use crate::registry::Standard;
use crate::validate::engine::Checker;
use crate::validate::user::{UserSchema, UserSchemas};
use crate::validate::Rules;
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
        let api = plain_text(doc, "apiVersion");
        Some(
            if api.starts_with("v2")
                || (api.is_empty() && doc.get("id").is_none() && doc.get("uuid").is_some())
            {
                Rules::OdcsV2
            } else if api.starts_with("v3.0") {
                Rules::OdcsV3 { minor: 0 }
            } else if api.starts_with("v3.2") {
                Rules::OdcsV3 { minor: 2 }
            } else {
                Rules::OdcsV3 { minor: 1 }
            },
        )
    }

    fn validate(&self, c: &mut Checker, doc: &Node, rules: Rules) {
        match rules {
            Rules::OdcsV2 => validate_v2::check(c, doc),
            Rules::OdcsV3 { minor } => validate::check_v3(c, doc, validate::V3 { minor }),
            _ => {}
        }
    }

    fn user_schema<'u>(&self, _kind: Kind, user: &'u UserSchemas) -> Option<&'u UserSchema> {
        user.contract.as_ref()
    }
}
