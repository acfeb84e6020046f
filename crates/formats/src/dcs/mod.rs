//! Data Contract Specification (datacontract.com) 0.9.x–1.2.x contracts.

mod read;
pub(crate) mod validate;

pub use read::parse;

use model::yaml::Node;

use crate::read::Ctx;
use crate::registry::Standard;
use crate::validate::engine::Checker;
use crate::validate::user::{UserSchema, UserSchemas};
use crate::validate::{choose, Family, Rules};
use crate::{Document, Kind};

/// The key that names the standard and its version.
const VERSION_KEY: &str = "dataContractSpecification";

pub struct Dcs;

impl Standard for Dcs {
    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Dcs]
    }

    fn declared(&self, doc: &Node) -> Option<Kind> {
        doc.get(VERSION_KEY).map(|_| Kind::Dcs)
    }

    fn read(&self, ctx: &mut Ctx, doc: &Node, _kind: Kind, out: &mut Vec<Document>) {
        parse(ctx, doc, out);
    }

    fn rules(&self, doc: &Node, _kind: Kind) -> Option<Rules> {
        let declared = crate::validate::declared(doc, VERSION_KEY);
        Some(choose(Family::Dcs, declared.as_deref(), validate::VERSIONS))
    }

    fn validate(&self, c: &mut Checker, doc: &Node, rules: Rules) {
        c.check(validate::spec(rules.version), doc);
        c.issues.push(validate::deprecated(doc));
    }

    fn user_schema<'u>(&self, _kind: Kind, user: &'u UserSchemas) -> Option<&'u UserSchema> {
        user.contract.as_ref()
    }
}
