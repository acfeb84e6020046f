//! `meshdoc.lock`: which commit, bundle file or URL (with its checksum and format version) each
//! source of a central build came from. Sorted by source name, no timestamps: the same inputs
//! give the same bytes, so the lock diffs cleanly in review. `build --locked` refuses to build
//! when a source no longer matches its entry (a moved branch, a rewritten bundle); without it,
//! the lock is rewritten to what was read.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use config::Config;
use crawl::{Prepared, Source};
use model::{Error, Result};

pub const FILE: &str = "meshdoc.lock";
/// The lock's own format.
const VERSION: u32 = 1;

/// One source as it was read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Entry {
    pub name: String,
    pub kind: String,
    pub location: String,
    #[serde(default)]
    pub commit: Option<String>,
    #[serde(default, rename = "ref")]
    pub git_ref: Option<String>,
    #[serde(default)]
    pub checksum: Option<String>,
    #[serde(default)]
    pub format_version: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LockFile {
    version: u32,
    #[serde(default)]
    source: Vec<Entry>,
}

/// The lock of a build, from its prepared sources.
pub struct Lock {
    pub path: PathBuf,
    pub entries: Vec<Entry>,
    /// Whether this build keeps a lock: it has a bundle source, or a lock already exists.
    pub wanted: bool,
}

impl Lock {
    pub fn of(config: &Config, prepared: &[Prepared]) -> Lock {
        let path = config.root.join(FILE);
        let mut entries: Vec<Entry> = prepared.iter().map(|p| entry(config, p)).collect();
        entries.sort_by(|a, b| (&a.name, &a.location).cmp(&(&b.name, &b.location)));
        let wanted = path.is_file()
            || prepared
                .iter()
                .any(|p| matches!(p.source, Source::Bundle(_)));
        Lock {
            path,
            entries,
            wanted,
        }
    }

    /// The lock as written.
    pub fn text(&self) -> String {
        let mut s = format!(
            "# {FILE}: the sources of this catalog as the last build read them, written by `meshdoc build`.\n# `meshdoc build --locked` fails when a source no longer matches. Do not edit by hand.\nversion = {VERSION}\n"
        );
        for e in &self.entries {
            s.push_str("\n[[source]]\n");
            line(&mut s, "name", Some(&e.name));
            line(&mut s, "kind", Some(&e.kind));
            line(&mut s, "location", Some(&e.location));
            line(&mut s, "ref", e.git_ref.as_ref());
            line(&mut s, "commit", e.commit.as_ref());
            line(&mut s, "checksum", e.checksum.as_ref());
            if let Some(v) = e.format_version {
                s.push_str(&format!("format-version = {v}\n"));
            }
        }
        s
    }

    /// Write the lock when it changed (an unchanged lock keeps its time).
    pub fn write(&self) -> Result<bool> {
        let text = self.text();
        if std::fs::read_to_string(&self.path).ok().as_deref() == Some(text.as_str()) {
            return Ok(false);
        }
        std::fs::write(&self.path, text).map_err(|e| Error::Io {
            path: self.path.clone(),
            source: e,
        })?;
        Ok(true)
    }

    /// `--locked`: every source must be in the lock as it is now, and nothing else.
    pub fn verify(&self) -> Result<()> {
        let fail = |message: String| {
            Error::Usage(format!(
                "{}: {message}; run `meshdoc build` without --locked to update the lock, after review",
                self.path.display()
            ))
        };
        let text = std::fs::read_to_string(&self.path)
            .map_err(|e| fail(format!("cannot read it ({e})")))?;
        let locked: LockFile =
            toml::from_str(&text).map_err(|e| fail(format!("not a meshdoc lock: {e}")))?;
        if locked.version != VERSION {
            return Err(fail(format!(
                "lock version {} (this meshdoc writes {VERSION})",
                locked.version
            )));
        }
        for now in &self.entries {
            let Some(then) = locked.source.iter().find(|e| e.name == now.name) else {
                return Err(fail(format!("source `{}` is not in the lock", now.name)));
            };
            if then != now {
                return Err(fail(format!(
                    "source `{}` changed: locked {}, now {}",
                    now.name,
                    pin(then),
                    pin(now)
                )));
            }
        }
        if let Some(gone) = locked
            .source
            .iter()
            .find(|e| !self.entries.iter().any(|n| n.name == e.name))
        {
            return Err(fail(format!(
                "source `{}` is locked but no longer configured",
                gone.name
            )));
        }
        Ok(())
    }
}

/// What pins an entry, for a mismatch message.
fn pin(e: &Entry) -> String {
    let mut parts = vec![e.location.clone()];
    parts.extend(e.commit.as_ref().map(|c| format!("commit {c}")));
    parts.extend(e.checksum.clone());
    parts.extend(e.format_version.map(|v| format!("format {v}")));
    parts.join(", ")
}

fn entry(config: &Config, p: &Prepared) -> Entry {
    let relative = |path: &Path| {
        let path = path.strip_prefix(&config.root).unwrap_or(path);
        path.to_string_lossy().replace('\\', "/")
    };
    match &p.source {
        Source::Dir { name, root, .. } => Entry {
            name: name.clone(),
            kind: "dir".into(),
            location: relative(root),
            ..Entry::default()
        },
        Source::Git(g) => Entry {
            name: g.name.clone(),
            kind: "git".into(),
            location: g
                .url
                .as_deref()
                .map_or_else(|| relative(&g.path), model::redact::url),
            git_ref: g.git_ref.clone(),
            commit: p.state.clone(),
            ..Entry::default()
        },
        Source::Bundle(b) => {
            let loaded = b.loaded.as_ref();
            Entry {
                name: b.name.clone(),
                kind: "bundle".into(),
                location: b.location.clone(),
                git_ref: loaded.and_then(|l| l.content.provenance.git_ref.clone()),
                commit: loaded.and_then(|l| l.content.provenance.commit.clone()),
                checksum: loaded.map(|l| l.header.checksum.clone()),
                format_version: loaded.map(|l| l.header.format_version),
            }
        }
    }
}

/// `key = "value"` with TOML basic-string escapes; nothing for None.
fn line(s: &mut String, key: &str, value: Option<&String>) {
    let Some(value) = value else {
        return;
    };
    s.push_str(key);
    s.push_str(" = \"");
    for ch in value.chars() {
        match ch {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c if c.is_control() => s.push_str(&format!("\\u{:04X}", c as u32)),
            c => s.push(c),
        }
    }
    s.push_str("\"\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_reads_back_what_it_wrote_even_with_odd_characters() {
        let lock = Lock {
            path: PathBuf::from("meshdoc.lock"),
            entries: vec![Entry {
                name: "a \"quoted\" \\ name\n".into(),
                kind: "bundle".into(),
                location: "bundles/a.bundle.json.gz".into(),
                commit: Some("abc".into()),
                git_ref: None,
                checksum: Some("sha256:00".into()),
                format_version: Some(1),
            }],
            wanted: true,
        };
        let parsed: LockFile = toml::from_str(&lock.text()).expect("valid TOML");
        assert_eq!(parsed.source, lock.entries);
    }
}
