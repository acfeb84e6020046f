//! A contract's changelog: each commit that changed its file, compared with the version before
//! it by the diff engine, so readers see what changed and whether it can break them.

use model::Code;
use rayon::prelude::*;
use serde::Serialize;

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
pub fn attach(catalog: &mut Catalog) {
    let (logs, diagnostics) = changelogs(&catalog.contracts);
    catalog.changelogs = logs;
    catalog.diagnostics.extend(diagnostics);
    // Other versions of a contract are files of their own, with their own history.
    let (logs, diagnostics) = changelogs(&catalog.other_contracts);
    catalog.other_changelogs = logs;
    catalog.diagnostics.extend(diagnostics);
}

fn changelogs(contracts: &[DataContract]) -> (Vec<Vec<VersionChanges>>, Vec<Diagnostic>) {
    let results: Vec<(Vec<VersionChanges>, Vec<Diagnostic>)> =
        contracts.par_iter().map(changelog).collect();
    let mut logs = Vec::with_capacity(results.len());
    let mut all = Vec::new();
    for (log, diagnostics) in results {
        logs.push(log);
        all.extend(diagnostics);
    }
    (logs, all)
}

fn changelog(contract: &DataContract) -> (Vec<VersionChanges>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    if contract.history.is_empty() {
        return (Vec::new(), diagnostics);
    }
    let parsed: Vec<Result<DataContract, String>> = contract
        .history
        .iter()
        .map(|v| match &v.content {
            Some(text) => diff::load_bytes(&contract.origin.path, text.clone().into_bytes())
                .map(|(c, _)| c)
                .map_err(|e| e.replace(&contract.origin.path, "the file")),
            None => Err("its text was not kept".to_string()),
        })
        .collect();
    let mut log = Vec::with_capacity(parsed.len());
    for (i, version) in contract.history.iter().enumerate() {
        let mut entry = VersionChanges {
            commit: version.change.commit.clone(),
            time: version.change.time.clone(),
            timestamp: version.change.timestamp,
            author: version.change.author.clone(),
            email: version.change.email.clone(),
            summary: version.change.summary.clone(),
            version: parsed[i].as_ref().ok().and_then(|c| c.version.clone()),
            changes: Vec::new(),
            breaking: 0,
            note: None,
        };
        match &parsed[i] {
            Err(e) => {
                entry.note = Some(format!(
                    "this version could not be read ({e}); it is skipped"
                ))
            }
            Ok(new) => {
                // Compare with the next older version that could be read.
                match parsed[i + 1..].iter().find_map(|p| p.as_ref().ok()) {
                    None => entry.note = Some("first version".to_string()),
                    Some(old) => {
                        let report = diff::diff(old, new);
                        entry.breaking = report.breaking();
                        if entry.breaking > 0 && !report.warnings.is_empty() {
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
                        entry.changes = report.changes;
                    }
                }
            }
        }
        log.push(entry);
    }
    (log, diagnostics)
}
