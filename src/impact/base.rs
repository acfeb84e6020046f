//! The contracts of a working tree compared with their versions at a base revision (the merge
//! base of `--base REF` and HEAD), through git and the contract diff engine.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use meshdoc::config::Config;
use meshdoc::contracts::diff::{self, Impact, Report};
use meshdoc::crawl::{self, Source};
use meshdoc::model::{DataContract, SourceFile};

/// One contract that changed since the base.
pub struct Changed {
    /// Path from the repository root (what GitHub annotates).
    pub file: String,
    pub contract: String,
    /// The base commit the contract was compared with.
    pub base_commit: String,
    pub report: Report,
    /// The line in the file as it is now of each change, in the order of `report.changes`.
    pub lines: Vec<u32>,
    /// The schema objects of the base version: a change whose path starts with none of them
    /// (`sla.latency`, `server.prod`, `id`) concerns the whole contract.
    pub objects: Vec<String>,
}

impl Changed {
    /// The column path of a change (`orders.total`), or "" for a change to the whole contract.
    pub fn column_path<'a>(&self, path: &'a str) -> &'a str {
        let first = path.split('.').next().unwrap_or("");
        if self.objects.iter().any(|o| o == first) {
            path
        } else {
            ""
        }
    }
}

/// What the comparison found, and what it could not compare.
#[derive(Default)]
pub struct Comparison {
    pub changed: Vec<Changed>,
    pub notes: Vec<String>,
}

/// Compare every contract file of the configured folder sources with the base.
/// `current`: the contracts of the catalog as it is now, by id, for a contract that moved to
/// another file (compared with where it is now, not reported as removed).
pub fn compare(
    config: &Config,
    base: &str,
    current: &HashMap<&str, &DataContract>,
) -> Result<Comparison, String> {
    let (sources, _) = crawl::resolve_sources(config);
    let mut out = Comparison::default();
    let mut repos: BTreeMap<PathBuf, (String, BTreeSet<String>)> = BTreeMap::new();
    for source in &sources {
        let Source::Dir { name, root, .. } = source else {
            out.notes.push(format!(
                "source `{}` is a git repository read at a ref: --base compares working trees only",
                source.name()
            ));
            continue;
        };
        let Ok(root) = root.canonicalize() else {
            continue;
        };
        let Some(top) = git(&root, &["rev-parse", "--show-toplevel"]).ok() else {
            out.notes.push(format!(
                "source `{name}` ({}) is not inside a git work tree: nothing to compare",
                root.display()
            ));
            continue;
        };
        let top = PathBuf::from(top.trim());
        if !repos.contains_key(&top) {
            let commit = base_commit(&top, base)?;
            let changed = git(
                &top,
                &["diff", "--name-only", "--no-renames", &commit, "--"],
            )?
            .lines()
            .map(str::to_string)
            .collect();
            repos.insert(top.clone(), (commit, changed));
        }
        let (commit, changed) = &repos[&top];
        let prefix = root
            .strip_prefix(top.canonicalize().unwrap_or(top.clone()))
            .map(slashed)
            .unwrap_or_default();
        for path in changed {
            let Some(inner) = inside(path, &prefix) else {
                continue;
            };
            if !source_filter_keeps(source, &inner) {
                continue;
            }
            let Ok(old) = git(&top, &["show", &format!("{commit}:{path}")]) else {
                continue; // a new file: nothing a consumer relied on
            };
            let new = std::fs::read(root.join(&inner)).unwrap_or_default();
            let file = FileAt {
                source: name,
                path,
                inner: &inner,
                commit,
            };
            compare_file(&file, old.into_bytes(), new, current, &mut out);
        }
    }
    out.changed
        .sort_by(|a, b| (&a.file, &a.contract).cmp(&(&b.file, &b.contract)));
    Ok(out)
}

/// The merge base of `base` and HEAD (what a merge request is compared with), else `base`.
fn base_commit(top: &Path, base: &str) -> Result<String, String> {
    if base.starts_with('-') {
        return Err(format!("--base {base:?}: a revision cannot start with `-`"));
    }
    let spec = format!("{base}^{{commit}}");
    let resolved = git(top, &["rev-parse", "--verify", "--quiet", &spec])
        .map_err(|_| format!("--base {base}: no such revision in {}", top.display()))?;
    let resolved = resolved.trim().to_string();
    Ok(git(top, &["merge-base", &resolved, "HEAD"])
        .map(|s| s.trim().to_string())
        .unwrap_or(resolved))
}

fn source_filter_keeps(source: &Source, path: &str) -> bool {
    match source {
        Source::Dir { filter, .. } => {
            crawl::filter::Selection::new(filter, crawl::filter::IgnoreFile::default()).wants(path)
        }
        _ => true,
    }
}

/// `path` (from the repository root) as a path inside the source at `prefix`.
fn inside(path: &str, prefix: &str) -> Option<String> {
    if prefix.is_empty() {
        return Some(path.to_string());
    }
    path.strip_prefix(prefix)?
        .strip_prefix('/')
        .map(str::to_string)
}

/// A changed file: its source, its path from the repository root and inside the source, and
/// the base commit.
struct FileAt<'a> {
    source: &'a str,
    path: &'a str,
    inner: &'a str,
    commit: &'a str,
}

fn compare_file(
    at: &FileAt,
    old: Vec<u8>,
    new: Vec<u8>,
    current: &HashMap<&str, &DataContract>,
    out: &mut Comparison,
) {
    let old_contracts = contracts(at.source, at.inner, old);
    if old_contracts.is_empty() {
        return;
    }
    let text = String::from_utf8_lossy(&new).into_owned();
    let new_contracts = contracts(at.source, at.inner, new);
    for old in &old_contracts {
        let here = new_contracts.iter().find(|c| c.id == old.id);
        let moved = here
            .is_none()
            .then(|| current.get(old.id.as_str()))
            .flatten();
        if let Some(now) = moved {
            out.notes.push(format!(
                "contract `{}` moved from {} to {}/{}: compared with it there",
                old.id, at.path, now.origin.source, now.origin.path
            ));
        }
        let report = match here.or(moved.copied()) {
            Some(new) => diff::diff(old, new),
            None => Report {
                old_version: old.version.clone(),
                new_version: None,
                changes: vec![diff::Change {
                    impact: Impact::Breaking,
                    code: "contract-removed",
                    path: String::new(),
                    message: format!("contract `{}` was removed", old.id),
                }],
                warnings: Vec::new(),
            },
        };
        if report.changes.is_empty() {
            continue;
        }
        let lines = report
            .changes
            .iter()
            .map(|c| super::locate::line(&text, &old.id, &c.path))
            .collect();
        out.changed.push(Changed {
            file: at.path.to_string(),
            contract: old.id.clone(),
            base_commit: at.commit.to_string(),
            report,
            lines,
            objects: old.schema.iter().map(|o| o.name.clone()).collect(),
        });
    }
}

fn contracts(source: &str, path: &str, bytes: Vec<u8>) -> Vec<DataContract> {
    let file = SourceFile::new(source, path, bytes);
    meshdoc::formats::parse_named_file(&file)
        .documents
        .into_iter()
        .filter_map(|d| match d {
            meshdoc::formats::Document::Contract(c) => Some(*c),
            _ => None,
        })
        .collect()
}

/// Run git in `dir`; stdout, or why it failed.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git ({e}); is git installed?"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_into_a_schema_object_are_column_changes() {
        let changed = Changed {
            file: "c.yaml".into(),
            contract: "orders".into(),
            base_commit: "abc".into(),
            report: Report::default(),
            lines: Vec::new(),
            objects: vec!["orders".into()],
        };
        assert_eq!(changed.column_path("orders.total"), "orders.total");
        assert_eq!(changed.column_path("orders"), "orders");
        // Service levels, servers and the id concern every consumer.
        assert_eq!(changed.column_path("sla.latency"), "");
        assert_eq!(changed.column_path("server.prod"), "");
        assert_eq!(changed.column_path("id"), "");
        assert_eq!(
            inside("content/a/x.yaml", "content/a").as_deref(),
            Some("x.yaml")
        );
        assert_eq!(inside("content/ab/x.yaml", "content/a"), None);
        assert_eq!(inside("x.yaml", "").as_deref(), Some("x.yaml"));
    }
}
