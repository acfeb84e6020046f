//! Validation of documents against the rules of their standard and version, and against JSON
//! Schemas that a user supplies (`meshdoc check --schema FILE`).
//!
//! The rules of each standard are our own code, in that standard's module, written from the facts
//! of the official JSON Schemas (which stay out of this repository); tests/validate.rs checks that
//! they reach the same verdict as the official schemas on every fixture.

pub mod engine;
pub mod user;

pub use engine::Issue;

use crate::registry::{self, Standard};
use crate::Kind;
use model::yaml::Node;

/// The standard and version whose rules a document was checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    OdcsV2,
    OdcsV3 { minor: u8 },
    Dcs { v09: bool },
    BitolOdps { v1: bool },
}

impl Rules {
    pub fn label(self) -> &'static str {
        match self {
            Rules::OdcsV2 => "ODCS v2.2.2",
            Rules::OdcsV3 { minor: 0 } => "ODCS v3.0.2",
            Rules::OdcsV3 { minor: 1 } => "ODCS v3.1.0",
            Rules::OdcsV3 { .. } => "ODCS v3.2.0",
            Rules::Dcs { v09: true } => "Data Contract Specification 0.9.3",
            Rules::Dcs { v09: false } => "Data Contract Specification 1.2.1",
            Rules::BitolOdps { v1: false } => "Bitol ODPS v0.9.0",
            Rules::BitolOdps { v1: true } => "Bitol ODPS v1.0.0",
        }
    }
}

/// Which rules apply to a document, from its kind and its declared version. Unknown or missing
/// versions are checked against the latest released rules.
pub fn rules_for(doc: &Node, kind: Kind) -> Option<Rules> {
    registry::standard_of(kind).rules(doc, kind)
}

/// Check a document against the rules of its standard; None when we have no rules for its kind.
pub fn check(doc: &Node, kind: Kind) -> Option<(Rules, Vec<Issue>)> {
    check_with(registry::standard_of(kind), doc, kind)
}

/// [`check`] when the standard is already known.
pub(crate) fn check_with(
    standard: &dyn Standard,
    doc: &Node,
    kind: Kind,
) -> Option<(Rules, Vec<Issue>)> {
    let rules = standard.rules(doc, kind)?;
    let mut c = engine::Checker::default();
    standard.validate(&mut c, doc, rules);
    let mut issues = c.issues;
    issues.sort_by(|a, b| a.pos.cmp(&b.pos).then_with(|| a.message.cmp(&b.message)));
    issues.dedup();
    Some((rules, issues))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sniff;
    use model::yaml::parse_documents;

    fn issues(text: &str) -> Vec<Issue> {
        let doc = &parse_documents(text).unwrap()[0];
        check(doc, sniff(doc).unwrap()).unwrap().1
    }

    const BASE: &str =
        "apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\n";

    #[test]
    fn valid_minimal_contract() {
        assert_eq!(issues(BASE), vec![]);
    }

    #[test]
    fn unknown_top_level_key_is_located() {
        let found = issues(&format!("{BASE}owner: me\n"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].pos.line, found[0].pos.column), (6, 1));
        assert!(found[0].message.contains("unknown field `owner`"));
        assert!(found[0].hint.contains("customProperties"));
    }

    #[test]
    fn wrong_enum_and_type_point_at_the_value() {
        let text = format!(
            "{BASE}schema:\n  - name: t\n    properties:\n      - name: a\n        logicalType: strng\n        required: \"yes\"\n"
        );
        let found = issues(&text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].pos.line, 10);
        assert!(found[0].hint.contains("did you mean `string`"), "{found:?}");
        assert_eq!(found[0].path, "schema[0].properties[0].logicalType");
        assert_eq!((found[1].pos.line, found[1].pos.column), (11, 19));
    }

    #[test]
    fn version_as_number_is_a_type_error() {
        let found = issues(&BASE.replace("version: 1.0.0", "version: 1.0"));
        assert!(found[0].message.contains("must be text"), "{found:?}");
    }

    #[test]
    fn v30_rules_differ_from_v31() {
        let text = BASE.replace("v3.1.0", "v3.0.2")
            + "schema:\n  - name: t\n    properties:\n      - name: a\n        logicalType: timestamp\n";
        assert_eq!(issues(&text).len(), 1);
        assert_eq!(issues(&text.replace("v3.0.2", "v3.1.0")).len(), 0);
    }

    #[test]
    fn missing_required_fields() {
        let found = issues("kind: DataContract\napiVersion: v3.1.0\n");
        let msgs: Vec<&str> = found.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("`status`")));
    }

    #[test]
    fn odps_is_strict_and_dcs_is_open() {
        let odps = "apiVersion: v1.0.0\nkind: DataProduct\nid: p\nstatus: active\nowner: x\n";
        assert_eq!(issues(odps).len(), 1);
        let dcs = "dataContractSpecification: 1.2.1\nid: c\ninfo:\n  title: C\n  version: 1.0.0\nowner: x\n";
        assert_eq!(issues(dcs).len(), 0);
        let dcs_bad = dcs.replace("  version: 1.0.0\n", "");
        assert_eq!(issues(&dcs_bad).len(), 1);
    }
}
