//! Which files of a source are read: the source's `paths` (only these) and `exclude` (never these)
//! from `meshdoc.toml`, and the repository's own ignore file, [`IGNORE_FILE`], at its root.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use model::diagnostics::Diagnostic;
use model::Code;

/// The ignore file a repository may keep at its root: gitignore-style lines of globs.
pub const IGNORE_FILE: &str = ".meshdocignore";

/// Larger ignore files are not read (an ignore file is a few lines).
const MAX_IGNORE_BYTES: usize = 256 * 1024;

/// The `paths` and `exclude` globs of one `[[sources]]` entry.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    paths: Option<GlobSet>,
    exclude: Option<GlobSet>,
    /// The patterns as written, for the cache key.
    written: (Vec<String>, Vec<String>),
}

impl Filter {
    /// The filter of `paths` and `exclude`; the error names the setting and the bad pattern.
    pub fn new(paths: &[String], exclude: &[String]) -> Result<Filter, String> {
        let set = |name: &str, patterns: &[String]| -> Result<Option<GlobSet>, String> {
            if patterns.is_empty() {
                return Ok(None);
            }
            let mut builder = GlobSetBuilder::new();
            for p in patterns {
                builder.add(glob(p).map_err(|e| format!("invalid `{name}` pattern: {e}"))?);
            }
            builder
                .build()
                .map(Some)
                .map_err(|e| format!("invalid `{name}` pattern: {e}"))
        };
        Ok(Filter {
            paths: set("paths", paths)?,
            exclude: set("exclude", exclude)?,
            written: (paths.to_vec(), exclude.to_vec()),
        })
    }

    /// Everything that decides what the filter lets through, as text for a cache key.
    pub fn key(&self) -> String {
        format!("{:?}\u{0}{:?}", self.written.0, self.written.1)
    }

    fn excludes(&self, path: &str) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(path))
    }
}

fn glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).build()
}

/// One line of an ignore file.
#[derive(Debug, Clone)]
struct Rule {
    negated: bool,
    dir_only: bool,
}

/// A parsed [`IGNORE_FILE`]: the lines of a `.gitignore`, with the same meaning. `#` starts a
/// comment line, `!` re-includes, a trailing `/` matches folders only, a pattern without a `/`
/// (but for a trailing one) matches at any depth, one with a `/` is relative to the root; `*`
/// stays within a folder, `**` crosses folders; the last matching line decides; a file in an
/// ignored folder cannot be re-included.
#[derive(Debug, Clone, Default)]
pub struct IgnoreFile {
    rules: Vec<Rule>,
    set: GlobSet,
}

impl IgnoreFile {
    /// Parse an ignore file's text; a line that is not a valid pattern is skipped with a warning
    /// naming its line.
    pub fn parse(text: &str, source: &str) -> (IgnoreFile, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut rules = Vec::new();
        let mut builder = GlobSetBuilder::new();
        for (i, raw) in text.lines().take(10_000).enumerate() {
            let line = raw.trim_end();
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (negated, line) = match line.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            let line = line.strip_prefix('\\').unwrap_or(line);
            let (dir_only, line) = match line.strip_suffix('/') {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            let pattern = if line.contains('/') {
                line.trim_start_matches('/').to_string()
            } else {
                format!("**/{line}")
            };
            match glob(&pattern) {
                Ok(g) if !pattern.is_empty() && pattern != "**/" => {
                    builder.add(g);
                    rules.push(Rule { negated, dir_only });
                }
                Ok(_) => {}
                Err(e) => diagnostics.push(
                    Diagnostic::warning(
                        Code::IgnorePattern,
                        format!(
                            "`{}` is not a valid pattern: {e}; the line is skipped",
                            raw.trim()
                        ),
                    )
                    .at_file(source, IGNORE_FILE)
                    .at(i as u32 + 1, 1)
                    .hint("write gitignore-style globs, e.g. `charts/` or `**/*.template.yaml`"),
                ),
            }
        }
        let set = builder.build().unwrap_or_else(|_| GlobSet::empty());
        (IgnoreFile { rules, set }, diagnostics)
    }

    /// Parse an ignore file's bytes; a file that is too large or not text is passed over.
    pub fn from_bytes(bytes: &[u8], source: &str) -> (IgnoreFile, Vec<Diagnostic>) {
        match std::str::from_utf8(bytes) {
            Ok(text) if bytes.len() <= MAX_IGNORE_BYTES => IgnoreFile::parse(text, source),
            _ => (IgnoreFile::default(), Vec::new()),
        }
    }

    /// Whether the last line matching `path` ignores it (None: no line matches).
    fn verdict(&self, path: &str, is_dir: bool) -> Option<bool> {
        if self.rules.is_empty() {
            return None;
        }
        self.set
            .matches(path)
            .into_iter()
            .filter(|&i| is_dir || !self.rules[i].dir_only)
            .max()
            .map(|i| !self.rules[i].negated)
    }
}

/// What one source reads: its filter and its ignore file together.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    filter: &'a Filter,
    ignore: IgnoreFile,
}

impl<'a> Selection<'a> {
    pub fn new(filter: &'a Filter, ignore: IgnoreFile) -> Self {
        Selection { filter, ignore }
    }

    /// Whether a folder (relative path) is left out with everything in it.
    pub fn skips_dir(&self, dir: &str) -> bool {
        self.filter.excludes(dir) || self.ignore.verdict(dir, true) == Some(true)
    }

    /// Whether a file (relative path) is read: no folder above it is left out, `exclude` and the
    /// ignore file do not leave it out, and `paths` (if given) selects it.
    pub fn wants(&self, path: &str) -> bool {
        let mut folders = path.match_indices('/').map(|(i, _)| &path[..i]);
        !folders.any(|d| self.skips_dir(d))
            && !self.filter.excludes(path)
            && self.ignore.verdict(path, false) != Some(true)
            && self.filter.paths.as_ref().is_none_or(|g| g.is_match(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection<'a>(filter: &'a Filter, ignore: &str) -> Selection<'a> {
        let (ignore, diagnostics) = IgnoreFile::parse(ignore, "repo");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        Selection::new(filter, ignore)
    }

    #[test]
    fn exclude_globs_leave_out_files_and_folders() {
        let filter = Filter::new(
            &[],
            &[
                "charts".into(),
                "**/*.template.yaml".into(),
                "a/*.json".into(),
            ],
        )
        .unwrap();
        let s = selection(&filter, "");
        for out in [
            "charts/x/templates/deployment.yaml",
            "contracts/orders.template.yaml",
            "orders.template.yaml",
            "a/b.json",
        ] {
            assert!(!s.wants(out), "{out}");
        }
        for read in [
            "contracts/orders.odcs.yaml",
            "a/b/c.json",
            "x/charts/y.yaml",
        ] {
            assert!(s.wants(read), "{read}");
        }
        assert!(s.skips_dir("charts"));
    }

    #[test]
    fn paths_and_exclude_together() {
        let filter = Filter::new(&["contracts/**".into()], &["contracts/drafts".into()]).unwrap();
        let s = selection(&filter, "");
        assert!(s.wants("contracts/orders.yaml"));
        assert!(!s.wants("contracts/drafts/orders.yaml"));
        assert!(!s.wants("products/orders.yaml"));
    }

    #[test]
    fn ignore_file_reads_like_a_gitignore() {
        let filter = Filter::default();
        let s = selection(
            &filter,
            "# comment\n\n*.tmpl.yaml\n/root-only.yaml\nhelm/\ndata/**/*.json\n!data/keep/**\nbuild\n!build/x.yaml\n\\#hash.yaml\n",
        );
        for out in [
            "a/b.tmpl.yaml",
            "root-only.yaml",
            "helm/templates/x.yaml",
            "deep/helm/values.yaml",
            "data/x/y.json",
            "build/x.yaml",
            "#hash.yaml",
        ] {
            assert!(!s.wants(out), "{out}");
        }
        for read in [
            "sub/root-only.yaml",
            "helm.yaml",
            "data/keep/z.json",
            "data/x.yaml",
            "other/build.yaml",
        ] {
            assert!(s.wants(read), "{read}");
        }
    }

    #[test]
    fn bad_ignore_lines_are_reported_with_their_line() {
        let (ignore, diagnostics) = IgnoreFile::parse("ok.yaml\n[z-a].yaml\n", "repo");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(
            (
                diagnostics[0].code.as_str(),
                diagnostics[0].line,
                diagnostics[0].file.as_str()
            ),
            ("ignore-pattern", Some(2), ".meshdocignore")
        );
        let filter = Filter::default();
        let s = Selection::new(&filter, ignore);
        assert!(!s.wants("ok.yaml"));
    }

    #[test]
    fn bad_filter_patterns_name_their_setting() {
        let e = Filter::new(&[], &["[z-a]".into()]).unwrap_err();
        assert!(e.contains("`exclude`"), "{e}");
    }
}
