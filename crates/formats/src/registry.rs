//! The standards meshdoc reads, and the one trait each implements.
//!
//! To add a standard: write one module that implements [`Standard`] (detection, reading, its key
//! lists and, if it has them, its validation rules), name its documents in [`Kind`] (and its rule
//! sets in [`Rules`], if it has rules), and add one line to [`STANDARDS`]. Nothing else changes:
//! recognising, reading and checking a file all go through this list.

use model::yaml::Node;
use model::Origin;

use crate::read::Ctx;
use crate::validate::engine::Checker;
use crate::validate::user::{UserSchema, UserSchemas};
use crate::validate::Rules;
use crate::{Document, Kind, ParsedFile, Place};

/// Every standard, in the order documents are recognised: where two could claim a document, the
/// earlier one wins.
pub static STANDARDS: &[&dyn Standard] = &[
    &crate::dcs::Dcs,
    &crate::opendataproducts_odps::OpenDataProductsOdps,
    &crate::dps::Dps,
    &crate::dpds::Dpds,
    &crate::backstage::Backstage,
    &crate::odcs::Odcs,
    &crate::bitol_odps::BitolOdps,
    &crate::metrics::Metrics,
    &crate::results::TestResults,
    &crate::glossary::Glossary,
];

/// One standard: how its documents are recognised, read and checked. Only `kinds`, `declared` and
/// `read` are required; the rest default to "nothing of this sort".
pub trait Standard: Sync {
    /// The kinds of document the standard defines (most have one).
    fn kinds(&self) -> &'static [Kind];

    /// The kind of a document that names this standard (its version key, `apiVersion` or `kind`).
    fn declared(&self, doc: &Node) -> Option<Kind>;

    /// The kind of a document that names no standard (no `kind`, no `apiVersion`) but has this
    /// one's shape. Asked only after no standard declared the document.
    fn shaped(&self, _doc: &Node) -> Option<Kind> {
        None
    }

    /// Read one recognised document into the model; problems become diagnostics in `ctx`.
    fn read(&self, ctx: &mut Ctx, doc: &Node, kind: Kind, out: &mut Vec<Document>);

    /// The rules (standard and version) a document is checked against; None: we have none.
    fn rules(&self, _doc: &Node, _kind: Kind) -> Option<Rules> {
        None
    }

    /// Check a document against the rules [`Standard::rules`] chose for it.
    fn validate(&self, _c: &mut Checker, _doc: &Node, _rules: Rules) {}

    /// The user's JSON Schema that documents of this kind are checked against, if any.
    fn user_schema<'u>(&self, _kind: Kind, _user: &'u UserSchemas) -> Option<&'u UserSchema> {
        None
    }

    /// A whole file this standard reads without YAML (metric CSV series); None leaves the file to
    /// the YAML readers.
    fn read_file(&self, _text: &str, _origin: &Origin, _place: Place) -> Option<ParsedFile> {
        None
    }
}

/// The standard a document follows and the kind of document it is, from its top-level keys alone.
pub fn detect(doc: &Node) -> Option<(&'static dyn Standard, Kind)> {
    if !doc.is_map() {
        return None;
    }
    let declared = STANDARDS
        .iter()
        .find_map(|s| s.declared(doc).map(|k| (*s, k)));
    if declared.is_some() {
        return declared;
    }
    // A document that names a standard we do not know is not guessed from its shape.
    if doc.get("kind").is_some() || doc.get("apiVersion").is_some() {
        return None;
    }
    STANDARDS
        .iter()
        .find_map(|s| s.shaped(doc).map(|k| (*s, k)))
}

/// The standard that defines a kind of document.
pub fn standard_of(kind: Kind) -> &'static dyn Standard {
    *STANDARDS
        .iter()
        .find(|s| s.kinds().contains(&kind))
        .expect("every kind belongs to a registered standard")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_kind_belongs_to_two_standards() {
        let kinds: Vec<Kind> = STANDARDS.iter().flat_map(|s| s.kinds()).copied().collect();
        for kind in &kinds {
            assert_eq!(kinds.iter().filter(|k| *k == kind).count(), 1, "{kind:?}");
        }
    }
}
