//! Plain folders as sources: the working tree as it is on disk.

use model::Code;
use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::filter::{Filter, IgnoreFile, Selection, IGNORE_FILE};
use super::{CrawlOptions, SourceFile};
use model::diagnostics::Diagnostic;
use model::Origin;

/// File endings that may hold manifests (CSV: metric series).
pub const MANIFEST_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "csv"];

/// Folders never worth reading: VCS metadata, dependencies, build output.
pub const SKIPPED_DIRS: &[&str] = &[".git", "node_modules", "target", ".venv", "__pycache__"];

pub fn folder_name(path: &Path) -> String {
    path.canonicalize()
        .ok()
        .as_deref()
        .unwrap_or(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

/// Sub-folders of `parent`, sorted by name, for `dir = "repos/*"`.
pub fn subfolders(parent: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut subs = Vec::new();
    for entry in fs::read_dir(parent)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with('.') {
                subs.push((name, entry.path()));
            }
        }
    }
    subs.sort();
    Ok(subs)
}

/// Read every manifest-like file under `root` that the source's filter and ignore file select.
/// Symlinks are followed only while they stay inside the source: a link out of it is refused with
/// a diagnostic.
pub fn read(
    source: &str,
    root: &Path,
    filter: &Filter,
    limits: &CrawlOptions,
) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let canonical_root = match open_root(source, root) {
        Ok(p) => p,
        Err(d) => return (Vec::new(), vec![*d]),
    };
    let (ignore, diagnostics) = ignore_file(source, &canonical_root);
    let selection = Selection::new(filter, ignore);
    let mut reader = DirReader {
        source,
        root: &canonical_root,
        max_file_bytes: limits.max_file_bytes,
        limits,
        diagnostics,
    };
    let mut files = Vec::new();
    for entry in walk(&canonical_root, &selection) {
        match entry {
            Ok(entry) => files.extend(reader.file(&entry)),
            Err(e) => {
                let rel = e
                    .path()
                    .map(|p| relative(&canonical_root, p))
                    .unwrap_or_default();
                reader.diagnostics.push(
                    Diagnostic::error(Code::FileUnreadable, format!("cannot read: {e}"))
                        .at_file(source, &rel)
                        .hint("check the file's permissions"),
                );
            }
        }
    }
    (files, reader.diagnostics)
}

/// The canonical path of a `dir` source's folder.
fn open_root(source: &str, root: &Path) -> Result<PathBuf, Box<Diagnostic>> {
    let d = match root.canonicalize() {
        Ok(p) if p.is_dir() => return Ok(p),
        Ok(_) => Diagnostic::error(
            Code::SourceUnreadable,
            format!("{} is not a folder", root.display()),
        )
        .at_file(source, "")
        .hint("a `dir` source must name a folder"),
        Err(e) => Diagnostic::error(Code::SourceUnreadable, format!("cannot read {}: {e}", root.display()))
            .at_file(source, "")
            .hint("check the path in meshdoc.toml or on the command line (relative paths start at the config file's folder)"),
    };
    Err(Box::new(d))
}

/// The source's ignore file (none: an empty one), with warnings for its bad lines.
fn ignore_file(source: &str, root: &Path) -> (IgnoreFile, Vec<Diagnostic>) {
    match fs::read(root.join(IGNORE_FILE)) {
        Ok(bytes) => IgnoreFile::from_bytes(&bytes, source),
        Err(_) => (IgnoreFile::default(), Vec::new()),
    }
}

/// The manifest-like files under `root` that `selection` reads, in file-name order (folders it
/// leaves out and the `SKIPPED_DIRS` are not entered; links not followed).
fn walk<'a>(
    root: &'a Path,
    selection: &'a Selection<'a>,
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> + 'a {
    WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            let rel = relative(root, e.path());
            if e.file_type().is_dir() {
                !(SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref())
                    || selection.skips_dir(&rel))
            } else {
                (has_manifest_extension(e.path()) || formats::narrative::is_narrative(&rel))
                    && selection.wants(&rel)
            }
        })
}

/// Reads the files of one `dir` source.
struct DirReader<'a> {
    source: &'a str,
    root: &'a Path,
    max_file_bytes: u64,
    /// The read settings are compiled (globs) only for a file over the size limit.
    limits: &'a CrawlOptions,
    diagnostics: Vec<Diagnostic>,
}

impl DirReader<'_> {
    /// The entry's content, when it is a manifest-like file that can be read within the limits.
    fn file(&mut self, entry: &walkdir::DirEntry) -> Option<SourceFile> {
        let source = self.source;
        let path = entry.path();
        if entry.file_type().is_dir() {
            return None;
        }
        let rel = relative(self.root, path);
        let target = self.target(entry, &rel)?;
        let size = match fs::metadata(&target) {
            Ok(m) => m.len(),
            Err(e) => {
                self.diagnostics.push(
                    Diagnostic::error(Code::FileUnreadable, format!("cannot read: {e}"))
                        .at_file(source, &rel),
                );
                return None;
            }
        };
        if size > self.max_file_bytes {
            if !formats::meant_as_manifest(&rel, &head(&target), &super::read_settings(self.limits))
            {
                return None;
            }
            self.diagnostics.push(
                Diagnostic::warning(
                    Code::FileTooLarge,
                    format!("file is {size} bytes, over the limit of {} bytes; skipped", self.max_file_bytes),
                )
                .at_file(source, &rel)
                .hint("raise [build] max_file_bytes in meshdoc.toml if this file is really a manifest"),
            );
            return None;
        }
        match fs::read(&target) {
            Ok(bytes) => Some(SourceFile {
                origin: Origin {
                    source: source.to_string(),
                    path: rel,
                    ..Origin::default()
                },
                bytes,
                history: Vec::new(),
            }),
            Err(e) => {
                self.diagnostics.push(
                    Diagnostic::error(Code::FileUnreadable, format!("cannot read: {e}"))
                        .at_file(source, &rel)
                        .hint("check the file's permissions"),
                );
                None
            }
        }
    }

    /// The file to read for an entry: itself, or a link's target inside the source. Folders and
    /// links to folders give None; a link out of the source is reported.
    fn target(&mut self, entry: &walkdir::DirEntry, rel: &str) -> Option<PathBuf> {
        let path = entry.path();
        if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(real) if real.starts_with(self.root) && real.is_file() => Some(real),
                Ok(real) if real.starts_with(self.root) => None,
                _ => {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            Code::SymlinkOutsideSource,
                            "symbolic link points outside its source (or nowhere); not read",
                        )
                        .at_file(self.source, rel)
                        .hint("copy the file into the repository instead of linking to it"),
                    );
                    None
                }
            }
        } else if !entry.file_type().is_file() {
            None
        } else {
            Some(path.to_path_buf())
        }
    }
}

/// The first bytes of a file, enough to tell a manifest from its name and top-level keys.
fn head(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut head = Vec::new();
    if let Ok(f) = fs::File::open(path) {
        let _ = f.take(super::HEAD_BYTES as u64).read_to_end(&mut head);
    }
    head
}

fn has_manifest_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        MANIFEST_EXTENSIONS
            .iter()
            .any(|m| e.eq_ignore_ascii_case(m))
    })
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A fingerprint of a folder's manifest files (names, sizes and modification times) and of its
/// ignore file's content. Equal fingerprints mean the parse cache may be used.
pub fn fingerprint(root: &Path, filter: &Filter) -> Result<String, Box<Diagnostic>> {
    let canonical = root.canonicalize().map_err(|e| {
        Box::new(Diagnostic::error(Code::SourceUnreadable, format!("cannot read {}: {e}", root.display()))
            .hint("check the path in meshdoc.toml or on the command line (relative paths start at the config file's folder)"))
    })?;
    if !canonical.is_dir() {
        return Err(Box::new(
            Diagnostic::error(
                Code::SourceUnreadable,
                format!("{} is not a folder", root.display()),
            )
            .hint("a `dir` source must name a folder"),
        ));
    }
    let ignore_text = fs::read(canonical.join(IGNORE_FILE)).unwrap_or_default();
    let (ignore, _) = IgnoreFile::from_bytes(&ignore_text, "");
    let selection = Selection::new(filter, ignore);
    let mut text = format!(
        "{:016x}\n",
        model::slug::fnv1a(&String::from_utf8_lossy(&ignore_text))
    );
    for entry in walk(&canonical, &selection).filter_map(Result::ok) {
        if entry.file_type().is_dir() {
            continue;
        }
        // Links are followed for the fingerprint, so a changed target changes it too.
        let meta = fs::metadata(entry.path()).ok();
        let (len, modified) = meta
            .map(|m| {
                let t = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                (m.len(), t)
            })
            .unwrap_or_default();
        text.push_str(&format!(
            "{}\u{0}{len}\u{0}{modified}\n",
            relative(&canonical, entry.path())
        ));
    }
    let h = model::slug::fnv1a(&text);
    Ok(format!("{h:016x}-{}", text.len()))
}
