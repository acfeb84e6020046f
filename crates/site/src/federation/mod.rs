//! Federation: `meshdoc bundle` in a product repository, and what a central build does with
//! bundle sources beyond reading them (the lockfile, conflicts between bundles).

pub mod lock;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use config::Config;
use crawl::bundle::{self, Provenance};
use crawl::{Prepared, Source, SourceDocuments};
use model::{Change, Code, Diagnostic, Error, Result};

/// What `meshdoc bundle` wrote.
pub struct Written {
    pub bytes: Vec<u8>,
    pub source: String,
    pub files: usize,
    pub diagnostics: usize,
    pub provenance: Provenance,
}

/// Bundle the one source of `config` (a product repository's own config, or `--dir`): its
/// files as the crawl reads them, the crawl's and the check's diagnostics, its provenance.
pub fn bundle(config: &Config) -> Result<Written> {
    let (sources, resolve_diagnostics) = crawl::resolve_sources(config);
    if let Some(d) = resolve_diagnostics.iter().find(|d| d.is_error()) {
        return Err(Error::Usage(format!("cannot bundle: {}", d.message)));
    }
    let source = match sources.as_slice() {
        [one @ (Source::Dir { .. } | Source::Git(_))] => one.clone(),
        [Source::Bundle(_)] => {
            return Err(Error::Usage(
                "a bundle source cannot be bundled again; bundle the repository it came from"
                    .into(),
            ))
        }
        other => {
            let names: Vec<&str> = other.iter().map(Source::name).collect();
            return Err(Error::Usage(format!(
                "a bundle holds one repository, and this config has {} sources ({}); run `meshdoc bundle --dir FOLDER` for each",
                other.len(),
                names.join(", ")
            )));
        }
    };
    let options = crawl::CrawlOptions::from_config(config);
    let prepared = crawl::prepare(
        std::slice::from_ref(&source),
        &options,
        &indicatif::ProgressBar::hidden(),
    );
    let prepared = &prepared[0];
    if let Some(d) = prepared.diagnostics.iter().find(|d| d.is_error()) {
        return Err(Error::Usage(format!("cannot bundle: {}", d.message)));
    }
    let (files, crawl_diagnostics) = match &prepared.source {
        Source::Dir { name, root, filter } => crawl::dir::read(name, root, filter, &options),
        Source::Git(g) => crawl::git::read(g, &options),
        Source::Bundle(b) => b.read(options.max_file_bytes),
    };
    let provenance = provenance(&prepared.source, prepared.state.as_deref());
    let checked = super::load_catalog(config).diagnostics;
    let written = Written {
        source: source.name().to_string(),
        files: files.len(),
        diagnostics: checked.len(),
        bytes: bundle::encode(
            source.name(),
            provenance.clone(),
            &files,
            crawl_diagnostics,
            checked,
        )
        .map_err(Error::Usage)?,
        provenance,
    };
    Ok(written)
}

/// Where the source's files come from: the commit a git source was read at, or the work tree
/// a folder lies in (its HEAD, branch, remote, last commit, and whether it has local changes).
fn provenance(source: &Source, state: Option<&str>) -> Provenance {
    match source {
        Source::Git(g) => Provenance {
            repository: g.name.clone(),
            url: g.url.as_deref().map(model::redact::url),
            commit: state.map(str::to_string),
            git_ref: g.git_ref.clone(),
            last_change: last_change(&g.path, state.unwrap_or("HEAD")),
            dirty: false,
        },
        Source::Dir { name, root, .. } => {
            let top = git(root, &["rev-parse", "--show-toplevel"]);
            let Some(top) = top else {
                return Provenance {
                    repository: name.clone(),
                    ..Provenance::default()
                };
            };
            let branch = git(root, &["rev-parse", "--abbrev-ref", "HEAD"])
                .filter(|b| b != "HEAD")
                // CI checks out a detached HEAD and names the branch in the environment.
                .or_else(|| {
                    std::env::var("GITHUB_HEAD_REF")
                        .ok()
                        .filter(|v| !v.is_empty())
                })
                .or_else(|| {
                    std::env::var("GITHUB_REF_NAME")
                        .ok()
                        .filter(|v| !v.is_empty())
                })
                .or_else(|| {
                    std::env::var("CI_COMMIT_REF_NAME")
                        .ok()
                        .filter(|v| !v.is_empty())
                });
            Provenance {
                repository: Path::new(&top)
                    .file_name()
                    .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned()),
                url: git(root, &["remote", "get-url", "origin"]).map(|u| model::redact::url(&u)),
                commit: git(root, &["rev-parse", "HEAD"]),
                git_ref: branch,
                last_change: last_change(root, "HEAD"),
                dirty: git(
                    root,
                    &["status", "--porcelain", "--untracked-files=no", "--", "."],
                )
                .is_some_and(|s| !s.is_empty()),
            }
        }
        Source::Bundle(b) => b
            .loaded
            .as_ref()
            .map(|l| l.content.provenance.clone())
            .unwrap_or_default(),
    }
}

/// The commit `rev` as provenance.
fn last_change(dir: &Path, rev: &str) -> Option<Change> {
    let line = git(
        dir,
        &[
            "log",
            "-1",
            "--format=%H%x1f%an%x1f%ae%x1f%at%x1f%s",
            rev,
            "--",
        ],
    )?;
    let mut parts = line.split('\u{1f}');
    let commit = parts.next()?.to_string();
    let author = parts.next()?.to_string();
    let email = parts.next()?.to_string();
    let timestamp: i64 = parts.next()?.parse().ok()?;
    let summary = parts.next().unwrap_or("").to_string();
    Some(Change {
        commit,
        author,
        email,
        time: crawl::git::iso8601(timestamp),
        timestamp,
        summary,
    })
}

/// Trimmed stdout of a successful git command in `dir`.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The same product, contract, team or domain id in two different bundles: one warning at the
/// later copy naming both bundles (file or URL, commit) and files.
pub fn conflicts(prepared: &[Prepared], read: &[SourceDocuments]) -> Vec<Diagnostic> {
    let mut first: HashMap<(&'static str, String), (usize, String)> = HashMap::new();
    let mut out = Vec::new();
    for (i, (p, docs)) in prepared.iter().zip(read).enumerate() {
        let Source::Bundle(_) = &p.source else {
            continue;
        };
        for file in &docs.files {
            for doc in &file.documents {
                let Some((kind, id, path)) = identity(doc) else {
                    continue;
                };
                match first.get(&(kind, id.clone())) {
                    None => {
                        first.insert((kind, id), (i, path));
                    }
                    Some((j, _)) if *j == i => {}
                    Some((j, other_path)) => {
                        let here = describe(p);
                        let there = describe(&prepared[*j]);
                        out.push(
                            Diagnostic::warning(
                                Code::BundleConflict,
                                format!(
                                    "{kind} `{id}` is defined by two bundles: {there} ({other_path}) and {here} ({path})"
                                ),
                            )
                            .at_file(p.source.name(), &path)
                            .hint("one repository owns each id: remove the copy from one of the repositories, or give it its own id"),
                        );
                    }
                }
            }
        }
    }
    out
}

/// `bundle bundles/a.bundle.json.gz (source a, commit 1a2b3c4)`.
fn describe(p: &Prepared) -> String {
    match &p.source {
        Source::Bundle(b) => {
            let commit = b
                .loaded
                .as_ref()
                .and_then(|l| l.content.provenance.commit.clone())
                .map(|c| format!(", commit {}", &c[..c.len().min(12)]))
                .unwrap_or_default();
            format!("bundle {} (source {}{commit})", b.location, b.name)
        }
        other => format!("source {}", other.name()),
    }
}

fn identity(doc: &formats::Document) -> Option<(&'static str, String, String)> {
    use formats::Document as D;
    let (kind, id, origin) = match doc {
        D::Product(p) => ("product", &p.id, &p.origin),
        D::Contract(c) => ("contract", &c.id, &c.origin),
        D::Team(t) => ("team", &t.id, t.origin.as_ref()?),
        D::Domain(d) => ("domain", &d.id, d.origin.as_ref()?),
        _ => return None,
    };
    Some((kind, id.clone(), origin.path.clone()))
}
