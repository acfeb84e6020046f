//! Validation of documents against the rules of their standard and of the version they declare,
//! and against JSON Schemas that a user supplies (`meshdoc check --schema FILE`).
//!
//! The rules of each standard are our own data (`odcs/validate.rs`, `dcs/validate.rs`,
//! `bitol_odps/validate.rs`): for every version, the objects, fields, types, required fields and
//! closed objects of that version's official JSON Schema, checked by one engine (`engine`).
//! tests/validate.rs and the census (tests/census.rs) check that they reach the same verdict as
//! the official schemas, version by version.
//!
//! Two deliberate differences from the official schemas:
//! - a value written as a variable, `${NAME}`, passes where a number, a boolean or an enumerated
//!   text is expected (datacontract-cli and other tools resolve variables before use);
//! - a document that declares a version newer than any meshdoc knows (ODCS v3.3.0, say) is checked
//!   against the latest rules meshdoc has; its findings are warnings, not errors, and one `info`
//!   (`newer-standard-version`) says which rules were used.

pub mod bitol;
pub mod engine;
pub mod formats;
pub mod user;

pub use engine::Issue;

use crate::registry::{self, Standard};
use crate::Kind;
use model::yaml::{Node, Value};
use model::{Code, Severity};

/// A standard meshdoc has version-exact rules for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Odcs,
    Dcs,
    BitolOdps,
}

impl Family {
    pub fn name(self) -> &'static str {
        match self {
            Family::Odcs => "ODCS",
            Family::Dcs => "Data Contract Specification",
            Family::BitolOdps => "Bitol ODPS",
        }
    }
}

/// The standard and version whose rules a document was checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rules {
    pub family: Family,
    /// The version of the rules, as the standard writes it (`v3.0.2`, `1.2.1`).
    pub version: &'static str,
    /// The version the document declares is newer than any meshdoc knows: `version` is the
    /// latest meshdoc has, and its findings are only warnings.
    pub newer: bool,
}

impl Rules {
    /// "ODCS v3.0.2": names the rules in every message.
    pub fn label(self) -> String {
        format!("{} {}", self.family.name(), self.version)
    }
}

/// The rules of a family for a declared version: the version itself when known; the closest
/// older known one (marked `newer`) for a version above what meshdoc knows; the latest for a
/// missing, unreadable or older-than-known version (whose `apiVersion` the rules then report).
pub fn choose(family: Family, declared: Option<&str>, known: &[&'static str]) -> Rules {
    let latest = *known.last().expect("a family knows a version");
    let exact = declared.and_then(|d| known.iter().find(|k| **k == d));
    if let Some(v) = exact {
        return Rules {
            family,
            version: v,
            newer: false,
        };
    }
    // Only a version written in full (`v3.3.0`, `1.3.0`) can be a newer one.
    let parsed = declared.and_then(semver).filter(|_| {
        declared.is_some_and(|d| d.trim_start_matches(['v', 'V']).split('.').count() == 3)
    });
    let below = parsed.and_then(|d| known.iter().rfind(|k| semver(k).is_some_and(|k| k <= d)));
    let newer_than_all =
        parsed.is_some_and(|d| known.iter().all(|k| semver(k).is_some_and(|k| k < d)));
    match below {
        Some(v)
            if newer_than_all || semver(v).map(|k| (k.0, k.1)) == parsed.map(|d| (d.0, d.1)) =>
        {
            Rules {
                family,
                version: v,
                newer: true,
            }
        }
        _ => Rules {
            family,
            version: latest,
            newer: false,
        },
    }
}

/// `v3.1.0` / `3.1.0` / `3.1` as numbers.
fn semver(text: &str) -> Option<(u32, u32, u32)> {
    let t = text.trim().strip_prefix(['v', 'V']).unwrap_or(text.trim());
    let mut parts = t.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    let patch = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    parts.next().is_none().then_some((major, minor, patch))
}

/// A version key's value when it is text (a number there is the rules' type error to report).
pub fn declared(doc: &Node, key: &str) -> Option<String> {
    match doc.get(key).map(|n| &n.value) {
        Some(Value::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

/// The rules (as data) of a family's version.
pub fn spec(rules: Rules) -> &'static engine::Spec {
    match rules.family {
        Family::Odcs if rules.version.starts_with("v2") => {
            crate::odcs::validate_v2::spec(rules.version)
        }
        Family::Odcs => crate::odcs::validate::spec(rules.version),
        Family::Dcs => crate::dcs::validate::spec(rules.version),
        Family::BitolOdps => crate::bitol_odps::validate::spec(rules.version),
    }
}

/// Every version of a family meshdoc has rules for, oldest first.
pub fn versions(family: Family) -> Vec<&'static str> {
    match family {
        Family::Odcs => crate::odcs::validate_v2::VERSIONS
            .iter()
            .chain(crate::odcs::validate::VERSIONS)
            .copied()
            .collect(),
        Family::Dcs => crate::dcs::validate::VERSIONS.to_vec(),
        Family::BitolOdps => crate::bitol_odps::validate::VERSIONS.to_vec(),
    }
}

/// Which rules apply to a document, from its kind and its declared version.
pub fn rules_for(doc: &Node, kind: Kind) -> Option<Rules> {
    registry::standard_of(kind).rules(doc, kind)
}

/// Check a document against the rules of its standard; None when we have no rules for its kind.
pub fn check(doc: &Node, kind: Kind) -> Option<(Rules, Vec<Issue>)> {
    check_with(registry::standard_of(kind), doc, kind)
}

/// [`check`] when the standard is already known. Besides the broken rules (`schema` errors), the
/// issues may hold notes about the document's standard (`info`).
pub(crate) fn check_with(
    standard: &dyn Standard,
    doc: &Node,
    kind: Kind,
) -> Option<(Rules, Vec<Issue>)> {
    let rules = standard.rules(doc, kind)?;
    let mut c = engine::Checker::default();
    standard.validate(&mut c, doc, rules);
    let mut issues = c.issues;
    if rules.newer {
        let key = version_key(rules.family);
        issues.retain(|i| i.path != key || i.code != Code::Schema);
        for i in &mut issues {
            if i.severity == Severity::Error {
                i.severity = Severity::Warning;
            }
        }
        let declared = declared(doc, key).unwrap_or_default();
        issues.push(Issue {
            pos: key_pos(doc, key),
            path: key.to_string(),
            message: format!(
                "{} {declared} is newer than the rules meshdoc knows: checked against {}, and what they find is reported as warnings",
                rules.family.name(),
                rules.label()
            ),
            hint: "update meshdoc to check this version exactly".to_string(),
            severity: Severity::Info,
            code: Code::NewerStandardVersion,
        });
    }
    issues.sort_by(|a, b| a.pos.cmp(&b.pos).then_with(|| a.message.cmp(&b.message)));
    issues.dedup();
    Some((rules, issues))
}

/// Where a top-level key stands (the document's start when it is missing).
pub fn key_pos(doc: &Node, key: &str) -> model::yaml::Pos {
    doc.entries()
        .iter()
        .find(|(k, _)| k.text == key)
        .map_or(doc.pos, |(k, _)| k.pos)
}

/// The key that names a family's version.
pub fn version_key(family: Family) -> &'static str {
    match family {
        Family::Odcs | Family::BitolOdps => "apiVersion",
        Family::Dcs => "dataContractSpecification",
    }
}

/// Only the broken rules of a check (what decides valid or invalid).
pub fn errors(issues: &[Issue]) -> impl Iterator<Item = &Issue> {
    issues.iter().filter(|i| i.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sniff;
    use model::yaml::parse_documents;

    fn issues(text: &str) -> Vec<Issue> {
        let doc = &parse_documents(text).unwrap()[0];
        let (_, all) = check(doc, sniff(doc).unwrap()).unwrap();
        all.into_iter()
            .filter(|i| i.severity == Severity::Error)
            .collect()
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
    fn wrong_enum_and_type_point_at_the_key() {
        let text = format!(
            "{BASE}schema:\n  - name: t\n    properties:\n      - name: a\n        logicalType: strng\n        required: \"yes\"\n"
        );
        let found = issues(&text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].pos.line, 10);
        assert!(found[0].hint.contains("did you mean `string`"), "{found:?}");
        assert_eq!(found[0].path, "schema[0].properties[0].logicalType");
        assert_eq!((found[0].pos.line, found[0].pos.column), (10, 9));
        assert_eq!((found[1].pos.line, found[1].pos.column), (11, 9));
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

    #[test]
    fn every_dcs_contract_gets_one_deprecation_note() {
        for version in ["0.9.3", "1.2.1", "1.9.0"] {
            let text = format!(
                "dataContractSpecification: {version}\nid: c\ninfo:\n  title: C\n  version: 1.0.0\n"
            );
            let doc = &parse_documents(&text).unwrap()[0];
            let (_, found) = check(doc, sniff(doc).unwrap()).unwrap();
            let notes: Vec<&Issue> = found
                .iter()
                .filter(|i| i.code == Code::DcsDeprecated)
                .collect();
            assert_eq!(notes.len(), 1, "{version}: {found:?}");
            assert_eq!(notes[0].severity, Severity::Info);
            assert_eq!((notes[0].pos.line, notes[0].pos.column), (1, 1));
            assert!(notes[0].hint.contains("ODCS"), "{}", notes[0].hint);
        }
    }

    #[test]
    fn large_documents_are_checked_in_linear_time() {
        let mut text = BASE.replace("v3.1.0", "v3.2.0")
            + "schema:\n  - name: t\n    properties:\n      - name: a\n        logicalType: string\n        enum:\n";
        for i in 0..20_000 {
            text.push_str(&format!("          - value: v{i}\n"));
        }
        text.push_str("          - value: v7\n");
        let doc = &parse_documents(&text).unwrap()[0];
        let started = std::time::Instant::now();
        let (_, found) = check(doc, sniff(doc).unwrap()).unwrap();
        assert!(
            started.elapsed().as_secs_f64() < 2.0,
            "{:?}",
            started.elapsed()
        );
        assert_eq!(
            found.len(),
            1,
            "the one repeated value: {:?}",
            &found[..found.len().min(3)]
        );
    }

    #[test]
    fn versions_are_chosen_exactly() {
        let known = &["v3.0.0", "v3.0.1", "v3.1.0"];
        let pick = |d: Option<&str>| {
            let r = choose(Family::Odcs, d, known);
            (r.version, r.newer)
        };
        assert_eq!(pick(Some("v3.0.1")), ("v3.0.1", false));
        assert_eq!(pick(Some("v3.1.1")), ("v3.1.0", true));
        assert_eq!(pick(Some("v3.4.0")), ("v3.1.0", true));
        assert_eq!(pick(Some("v4.0.0")), ("v3.1.0", true));
        assert_eq!(pick(Some("v3.0.7")), ("v3.0.1", true));
        assert_eq!(pick(Some("v2.0.0")), ("v3.1.0", false));
        assert_eq!(pick(Some("latest")), ("v3.1.0", false));
        assert_eq!(pick(None), ("v3.1.0", false));
    }

    #[test]
    fn a_newer_version_is_checked_by_the_latest_rules_as_warnings() {
        let doc = &parse_documents(&format!("{}owner: me\n", BASE.replace("v3.1.0", "v3.9.0")))
            .unwrap()[0];
        let (rules, found) = check(doc, sniff(doc).unwrap()).unwrap();
        assert!(rules.newer);
        assert!(
            found.iter().all(|i| i.severity != Severity::Error),
            "{found:?}"
        );
        assert!(found.iter().any(|i| i.code == Code::NewerStandardVersion));
        assert!(found.iter().any(|i| i.message.contains("`owner`")));
    }
}
