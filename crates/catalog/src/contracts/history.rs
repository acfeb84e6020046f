//! A contract's changelog: each commit that changed its file, compared with the version before
//! it by the diff engine, so readers see what changed and whether it can break them.

use model::Code;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

use super::changelog_cache::{ChangelogCache, Derived};
use super::diff::{self, Change};
use crate::Catalog;
use model::diagnostics::Diagnostic;
use model::DataContract;

/// One version of a contract and what it changed against the version before.
#[derive(Debug, Clone, Serialize)]
pub struct VersionChanges {
    pub commit: String,
    pub time: String,
    pub timestamp: i64,
    pub author: String,
    pub email: String,
    pub summary: String,
    /// The `version` the contract declared at that commit.
    pub version: Option<String>,
    pub changes: Vec<Change>,
    pub breaking: usize,
    /// Why this version could not be compared (unreadable, or the first one).
    pub note: Option<String>,
}

/// Compute every contract's changelog (in parallel) and report versions that made breaking
/// changes without moving the declared version.
/// Changelogs whose file texts are unchanged since a build that used `cache` are read from it.
pub fn attach(catalog: &mut Catalog, cache: &ChangelogCache) {
    let found = all_changelogs(catalog, cache);
    found.apply(catalog);
}

/// The changelogs of the current and the other versions of every contract, and their warnings.
pub struct Changelogs {
    current: (Vec<Vec<VersionChanges>>, Vec<Diagnostic>),
    others: (Vec<Vec<VersionChanges>>, Vec<Diagnostic>),
}

impl Changelogs {
    pub fn apply(self, catalog: &mut Catalog) {
        catalog.changelogs = self.current.0;
        catalog.diagnostics.extend(self.current.1);
        catalog.other_changelogs = self.others.0;
        catalog.diagnostics.extend(self.others.1);
    }
}

/// What [`attach`] adds, read from the catalog alone (so other passes can run beside it).
pub fn all_changelogs(catalog: &Catalog, cache: &ChangelogCache) -> Changelogs {
    Changelogs {
        current: changelogs(&catalog.contracts, cache),
        // Other versions of a contract are files of their own, with their own history.
        others: changelogs(&catalog.other_contracts, cache),
    }
}

fn changelogs(
    contracts: &[DataContract],
    cache: &ChangelogCache,
) -> (Vec<Vec<VersionChanges>>, Vec<Diagnostic>) {
    let results: Vec<(Vec<VersionChanges>, Vec<Diagnostic>)> =
        contracts.par_iter().map(|c| changelog(c, cache)).collect();
    let mut logs = Vec::with_capacity(results.len());
    let mut all = Vec::new();
    for (log, diagnostics) in results {
        logs.push(log);
        all.extend(diagnostics);
    }
    (logs, all)
}

fn changelog(
    contract: &DataContract,
    cache: &ChangelogCache,
) -> (Vec<VersionChanges>, Vec<Diagnostic>) {
    if contract.history.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let key = ChangelogCache::key(contract);
    let derived = match cache.get(key, contract.history.len()) {
        Some(derived) => derived,
        None => {
            let derived = derive(contract);
            cache.put(key, &derived);
            derived
        }
    };
    let mut diagnostics = Vec::new();
    let mut log = Vec::with_capacity(derived.len());
    for (version, d) in contract.history.iter().zip(derived) {
        let entry = VersionChanges {
            commit: version.change.commit.clone(),
            time: version.change.time.clone(),
            timestamp: version.change.timestamp,
            author: version.change.author.clone(),
            email: version.change.email.clone(),
            summary: version.change.summary.clone(),
            version: d.version,
            changes: d.changes,
            breaking: d.breaking,
            note: d.note,
        };
        if d.unbumped {
            diagnostics.push(
                Diagnostic::warning(
                    Code::VersionNotBumped,
                    format!(
                        "commit {} ({}) made {} breaking change{} to contract `{}` but kept version {}",
                        &entry.commit[..entry.commit.len().min(7)],
                        &entry.time[..entry.time.len().min(10)],
                        entry.breaking,
                        if entry.breaking == 1 { "" } else { "s" },
                        contract.id,
                        entry.version.as_deref().unwrap_or("(none)")
                    ),
                )
                .at_file(&contract.origin.source, &contract.origin.path)
                .hint("raise the major version with every breaking change, so consumers can tell"),
            );
        }
        log.push(entry);
    }
    (log, diagnostics)
}

/// Parse every kept version and compare each with the next older one that could be read. The
/// newest version is the contract itself where the crawl read it just as a version is read
/// (`read_as_newest_version`): a cold build then parses each contract's text once, not twice.
fn derive(contract: &DataContract) -> Vec<Derived> {
    let parsed: Vec<Result<Cow<DataContract>, String>> = contract
        .history
        .iter()
        .enumerate()
        .map(|(i, v)| match &v.content {
            _ if i == 0 && contract.read_as_newest_version => Ok(Cow::Borrowed(contract)),
            Some(text) => diff::load_version(&contract.origin.path, text.as_bytes().to_vec())
                .map(Cow::Owned)
                .map_err(|e| e.replace(&contract.origin.path, "the file")),
            None => Err("its text was not kept".to_string()),
        })
        .collect();
    let mut out = Vec::with_capacity(parsed.len());
    for (i, this) in parsed.iter().enumerate() {
        let mut d = Derived {
            version: this.as_ref().ok().and_then(|c| c.version.clone()),
            changes: Vec::new(),
            breaking: 0,
            note: None,
            unbumped: false,
        };
        match this {
            Err(e) => {
                d.note = Some(format!(
                    "this version could not be read ({e}); it is skipped"
                ))
            }
            Ok(new) => match parsed[i + 1..].iter().find_map(|p| p.as_ref().ok()) {
                None => d.note = Some("first version".to_string()),
                Some(old) => {
                    let report = diff::diff(old, new);
                    d.breaking = report.breaking();
                    d.unbumped = d.breaking > 0 && !report.warnings.is_empty();
                    d.changes = report.changes;
                }
            },
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{FileVersion, SourceFile};

    const OLD: &str = "apiVersion: v3.0.2\nkind: DataContract\nid: orders\nversion: 1.0.0\nstatus: active\nschema:\n  - name: orders\n    properties:\n      - name: id\n        logicalType: string\n      - name: total\n        logicalType: number\n";
    const NEW: &str = "apiVersion: v3.0.2\nkind: DataContract\nid: orders\nversion: 1.0.0\nstatus: active\nschema:\n  - name: orders\n    properties:\n      - name: id\n        logicalType: integer\n";

    /// The contracts the crawl reads from a file whose history holds `texts`, newest first.
    fn crawled(texts: &[&str]) -> Vec<DataContract> {
        let mut file = SourceFile::new("shop", "contracts/orders.odcs.yaml", texts[0]);
        file.history = texts
            .iter()
            .map(|t| FileVersion {
                content: Some((*t).into()),
                ..FileVersion::default()
            })
            .collect();
        let settings = formats::Settings::default();
        let parsed = formats::parse_source(&[file], &Default::default(), &settings);
        parsed
            .into_iter()
            .flat_map(|f| f.documents)
            .filter_map(|d| match d {
                formats::Document::Contract(c) => Some(*c),
                _ => None,
            })
            .collect()
    }

    fn shown(derived: &[Derived]) -> String {
        format!("{derived:?}")
    }

    #[test]
    fn the_crawled_contract_stands_for_its_newest_version_with_the_same_changelog() {
        let contracts = crawled(&[NEW, OLD]);
        assert_eq!(contracts.len(), 1);
        let reused = &contracts[0];
        assert!(reused.read_as_newest_version);
        let reparsed = DataContract {
            read_as_newest_version: false,
            ..reused.clone()
        };
        let log = derive(reused);
        assert_eq!(shown(&log), shown(&derive(&reparsed)));
        // What a reader sees: the removed and retyped properties, breaking, on the newest version.
        assert!(log[0].breaking >= 2, "{log:?}");
        assert!(log[0].unbumped);
        assert_eq!(log[1].note.as_deref(), Some("first version"));
    }

    #[test]
    fn a_file_the_changelog_would_read_differently_is_parsed_again() {
        // The newest version's text differs from the file's (history kept from another commit).
        let mut contracts = crawled(&[NEW, OLD]);
        assert!(contracts[0].read_as_newest_version);
        let file = SourceFile::new("shop", "orders.odcs.yaml", NEW);
        let mut stale = file.clone();
        stale.history = vec![FileVersion {
            content: Some(OLD.into()),
            ..FileVersion::default()
        }];
        let parsed = formats::parse_source(&[stale], &Default::default(), &Default::default());
        let formats::Document::Contract(c) = &parsed[0].documents[0] else {
            panic!("a contract");
        };
        assert!(!c.read_as_newest_version);
        // A `$ref` may read another file of the source, which a version read alone cannot.
        let with_ref = NEW.replace(
            "logicalType: integer",
            "logicalType: integer\n        $ref: ./types.yaml#/id",
        );
        contracts = crawled(&[&with_ref, OLD]);
        assert!(!contracts[0].read_as_newest_version);
        // Two contracts in one file: a version read alone is refused, so no reuse.
        let two = format!("{NEW}---\n{}", NEW.replace("id: orders", "id: refunds"));
        assert!(crawled(&[&two, OLD])
            .iter()
            .all(|c| !c.read_as_newest_version));
    }
}
