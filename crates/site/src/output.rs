//! Output: write the site atomically. The new site is assembled in a temporary folder beside the
//! target and swapped in with renames, so readers never see a half-written site; files whose
//! bytes did not change are hard-linked from the previous build and keep their timestamps, so
//! incremental uploads (rsync, `aws s3 sync`) move only what changed.

use std::fs;
use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use model::error::{Error, Result};
use render::OutputFile;

pub mod lock;
pub mod patch;

/// Every meshdoc site has this file; a folder without it is not ours to replace.
const MARKER: &str = "catalog.json";

#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes a site batch by batch into a staging folder beside the output, then swaps it in.
/// Pages stream through it as they are rendered, so memory stays bounded at any catalog size.
pub struct SiteWriter {
    out_dir: PathBuf,
    staging: PathBuf,
    retired: PathBuf,
    dirs: std::collections::HashSet<PathBuf>,
    stats: WriteStats,
    /// Files written and linked by [`SiteWriter::put`], from many threads at once.
    put_written: AtomicUsize,
    put_linked: AtomicUsize,
    /// Patch the folder in place ([`patch`]) rather than swap in a whole new one.
    patch: Option<Patch>,
    /// Whether a previous site exists to compare with and link from: a first build skips a
    /// failing `stat` per file.
    has_previous: bool,
    /// Released when the writer is dropped: after the swap, or when it is abandoned.
    _lock: lock::OutputLock,
}

/// What a patch changes: files staged (to be moved in) and files to delete.
struct Patch {
    journal: PathBuf,
    staged: Vec<String>,
    removed: Vec<String>,
}

impl SiteWriter {
    /// Take the output folder's lock (waiting for another build into it), clean up after killed
    /// builds, then open a fresh staging folder.
    pub fn begin(out_dir: &Path) -> Result<SiteWriter> {
        Self::open(out_dir, None)
    }

    /// Like [`SiteWriter::begin`], but only changed files are staged and then moved into the
    /// existing site, and `removed` (files of the last build that this one does not make) are
    /// deleted: for a folder the last build's page hashes still describe. See [`patch`].
    pub fn begin_patch(out_dir: &Path, removed: Vec<String>) -> Result<SiteWriter> {
        Self::open(out_dir, Some(removed))
    }

    fn open(out_dir: &Path, removed: Option<Vec<String>>) -> Result<SiteWriter> {
        let parent = out_dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(io(parent))?;
        let name = out_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        let lock = lock::OutputLock::acquire(parent, &name, &mut |message| {
            eprintln!("meshdoc: {message}")
        })?;
        lock::recover(parent, &name);
        if out_dir.exists() {
            let is_empty = fs::read_dir(out_dir).map_err(io(out_dir))?.next().is_none();
            if !is_empty && !out_dir.join(MARKER).exists() {
                return Err(Error::Usage(format!(
                    "{} exists and is not a meshdoc site (no {MARKER}); refusing to replace it. Choose another --out or empty the folder",
                    out_dir.display()
                )));
            }
        }
        let staging = parent.join(format!(".{name}.meshdoc-new-{}", std::process::id()));
        let retired = parent.join(format!(".{name}.meshdoc-old-{}", std::process::id()));
        let _ = fs::remove_dir_all(&staging);
        fs::create_dir_all(&staging).map_err(io(&staging))?;
        let patch = removed
            .filter(|_| out_dir.join(MARKER).exists())
            .map(|removed| Patch {
                journal: patch::journal_path(parent, &name, std::process::id()),
                staged: Vec::new(),
                removed,
            });
        Ok(SiteWriter {
            out_dir: out_dir.to_path_buf(),
            staging,
            retired,
            dirs: std::collections::HashSet::new(),
            stats: WriteStats::default(),
            put_written: AtomicUsize::new(0),
            put_linked: AtomicUsize::new(0),
            patch,
            has_previous: out_dir.join(MARKER).exists(),
            _lock: lock,
        })
    }

    /// Write one batch. In a patch, files whose bytes equal the previous build's stay in place
    /// and the others are staged; in a whole site, each file goes through [`SiteWriter::put`].
    pub fn write(&mut self, files: Vec<OutputFile>) -> Result<()> {
        if self.patch.is_none() {
            self.make_dirs(files.iter().map(|f| f.path.as_str()))?;
            return files.into_par_iter().try_for_each(|file| self.put(file));
        }
        // A file with the old bytes is already in place; the others are staged.
        let (same, changed): (Vec<OutputFile>, Vec<OutputFile>) = files
            .into_par_iter()
            .partition(|file| self.same_as_old(file));
        self.stats.unchanged += same.len();
        self.stats.written += changed.len();
        let paths: Vec<String> = changed.iter().map(|f| f.path.clone()).collect();
        self.make_dirs(paths.iter().map(String::as_str))?;
        changed.par_iter().try_for_each(|file| {
            let target = self.staging.join(&file.path);
            fs::write(&target, &file.bytes).map_err(io(&target))
        })?;
        if let Some(patch) = self.patch.as_mut() {
            patch.staged.extend(paths);
        }
        Ok(())
    }

    /// Whether the previous build left a file at `file.path` with exactly these bytes.
    fn same_as_old(&self, file: &OutputFile) -> bool {
        let old = self.out_dir.join(&file.path);
        self.has_previous
            && fs::metadata(&old).is_ok_and(|m| m.len() == file.bytes.len() as u64)
            && fs::read(&old).is_ok_and(|b| b == file.bytes)
    }

    /// Whether files can be handed over one at a time, from any thread ([`SiteWriter::put`]):
    /// a whole site staged afresh, rather than a patch of the folder in place.
    pub fn streams(&self) -> bool {
        self.patch.is_none()
    }

    /// Make every folder the files at `paths` go into, once each, before any is written: the
    /// folders of one depth in parallel, the shallower first (a folder's parent exists when it is
    /// made, so no call walks up the path, and none is made twice).
    pub fn make_all_dirs<'p>(&mut self, paths: impl Iterator<Item = &'p str>) -> Result<()> {
        let mut wanted: std::collections::HashSet<&Path> = std::collections::HashSet::new();
        for path in paths {
            let mut dir = Path::new(path).parent();
            while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
                if !wanted.insert(d) {
                    break;
                }
                dir = d.parent();
            }
        }
        let mut by_depth: Vec<Vec<&Path>> = Vec::new();
        for dir in wanted {
            let depth = dir.components().count();
            if by_depth.len() < depth {
                by_depth.resize_with(depth, Vec::new);
            }
            by_depth[depth - 1].push(dir);
        }
        let staging = &self.staging;
        for level in &by_depth {
            level.par_iter().try_for_each(|dir| {
                let d = staging.join(dir);
                match fs::create_dir(&d) {
                    Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(io(&d)(e)),
                    _ => Ok(()),
                }
            })?;
        }
        self.dirs
            .extend(by_depth.into_iter().flatten().map(Path::to_path_buf));
        Ok(())
    }

    /// Write one file of a whole site (see [`SiteWriter::streams`]) into its folder, made
    /// beforehand by [`SiteWriter::make_all_dirs`]: hard-linked from the previous build when
    /// its bytes are the same, else written. Called from the threads that render, so a file
    /// is written as soon as it is made, not held until a batch is done.
    pub fn put(&self, file: OutputFile) -> Result<()> {
        debug_assert!(self.patch.is_none(), "a patch stages through write");
        let target = self.staging.join(&file.path);
        if self.same_as_old(&file) && fs::hard_link(self.out_dir.join(&file.path), &target).is_ok()
        {
            self.put_linked.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        fs::write(&target, &file.bytes).map_err(io(&target))?;
        self.put_written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Count `count` files of a patch as kept: they are in place, as the last build's page
    /// hashes say, and are not looked at. Those hashes are used only while the site's marker is
    /// as that build left it (see `PageHashes::load`), so this trusts the folder as the build
    /// state does; a stat of each of 80,000 kept files cost a tenth of a one-repository build.
    /// A file deleted from the folder by hand comes back with `build --force`.
    pub fn keep_in_place(&mut self, count: usize) {
        debug_assert!(self.patch.is_some(), "a whole site links its kept files");
        self.stats.unchanged += count;
    }

    /// Take files known to be unchanged (the incremental plan) from the previous build by hard
    /// link, without reading them. Returns the paths that could not be linked, to be rendered.
    pub fn keep(&mut self, paths: Vec<String>) -> Result<Vec<String>> {
        if self.patch.is_some() {
            self.keep_in_place(paths.len());
            return Ok(Vec::new());
        }
        self.make_dirs(paths.iter().map(String::as_str))?;
        let (staging, previous) = (&self.staging, &self.out_dir);
        let total = paths.len();
        let missing: Vec<String> = paths
            .into_par_iter()
            .filter(|path| fs::hard_link(previous.join(path), staging.join(path)).is_err())
            .collect();
        self.stats.unchanged += total - missing.len();
        Ok(missing)
    }

    fn make_dirs<'p>(&mut self, paths: impl Iterator<Item = &'p str>) -> Result<()> {
        let mut new_dirs: Vec<PathBuf> = paths
            .filter_map(|p| Path::new(p).parent().map(Path::to_path_buf))
            .filter(|d| !self.dirs.contains(d))
            .collect();
        new_dirs.sort();
        new_dirs.dedup();
        for dir in new_dirs {
            let d = self.staging.join(&dir);
            fs::create_dir_all(&d).map_err(io(&d))?;
            self.dirs.insert(dir);
        }
        Ok(())
    }

    /// Swap the new site in; when nothing changed at all, keep the old folder as it is.
    pub fn finish(mut self) -> Result<WriteStats> {
        self.stats.written += self.put_written.swap(0, Ordering::Relaxed);
        self.stats.unchanged += self.put_linked.swap(0, Ordering::Relaxed);
        if let Some(patch) = self.patch.take() {
            let staged = patch.staged;
            if staged.is_empty() && patch.removed.is_empty() {
                let _ = fs::remove_dir_all(&self.staging);
                return Ok(self.stats);
            }
            patch::commit(&patch.journal, &staged, &patch.removed).map_err(io(&patch.journal))?;
            patch::apply(&patch.journal, &self.staging, &self.out_dir)
                .map_err(io(&self.out_dir))?;
            return Ok(self.stats);
        }
        let total = self.stats.written + self.stats.unchanged;
        if self.stats.written == 0 && count_files(&self.out_dir) == total {
            let _ = fs::remove_dir_all(&self.staging);
            return Ok(self.stats);
        }
        if self.out_dir.exists() {
            fs::rename(&self.out_dir, &self.retired).map_err(io(&self.out_dir))?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.out_dir) {
            // Put the previous site back rather than leave nothing.
            let _ = fs::rename(&self.retired, &self.out_dir);
            return Err(io(&self.out_dir)(e));
        }
        let _ = fs::remove_dir_all(&self.retired);
        Ok(self.stats)
    }

    /// Give up: the previous site stays as it was.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

/// Clean up after builds into `out_dir` that were killed (see [`lock::recover`]); run by every
/// build, including one that finds the site up to date.
pub fn recover(out_dir: &Path) {
    let parent = out_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let Some(name) = out_dir.file_name() {
        lock::recover(parent, &name.to_string_lossy());
    }
}

fn count_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .count()
}

/// What the last build into an output folder was made from, kept in the cache (not in the site).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct BuildState {
    pub fingerprint: String,
    pub counts: crate::SiteCounts,
    pub diagnostics: Vec<model::Diagnostic>,
    /// Size and modification time of the site's catalog.json: a site changed by hand is rebuilt.
    pub marker: Option<(u64, u128)>,
}

impl BuildState {
    pub fn path(cache_dir: &Path, out_dir: &Path) -> PathBuf {
        let abs = crate::absolute(out_dir);
        cache_dir.join("builds").join(format!(
            "{:016x}.json",
            model::slug::fnv1a(&abs.to_string_lossy())
        ))
    }

    pub fn marker_of(out_dir: &Path) -> Option<(u64, u128)> {
        let meta = fs::metadata(out_dir.join(MARKER)).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        Some((meta.len(), modified))
    }

    /// The stored state, if the input is the same and the site is still as it was written.
    pub fn load(path: &Path, fingerprint: &str, out_dir: &Path) -> Option<BuildState> {
        let state: BuildState = serde_json::from_slice(&fs::read(path).ok()?).ok()?;
        let marker = Self::marker_of(out_dir);
        (state.fingerprint == fingerprint && marker.is_some() && state.marker == marker)
            .then_some(state)
    }

    pub fn store(&self, path: &Path) {
        let Some(parent) = path.parent() else { return };
        if fs::create_dir_all(parent).is_err() {
            return;
        }
        if let Ok(bytes) = serde_json::to_vec(self) {
            let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
            if fs::write(&tmp, bytes).is_ok() && fs::rename(&tmp, path).is_err() {
                let _ = fs::remove_file(&tmp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn file(path: &str, bytes: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: bytes.as_bytes().to_vec(),
        }
    }

    /// A whole site written file by file from many threads into folders made up front: every
    /// file lands with its bytes; a second build links the files whose bytes did not change.
    #[test]
    fn a_site_streamed_from_many_threads_is_complete_and_links_what_did_not_change() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let files = |version: &str| -> Vec<OutputFile> {
            let mut files = vec![file("catalog.json", "{}"), file("index.html", version)];
            for i in 0..300 {
                let deep = format!("products/p-{i}/v/1.{}/source/index.html", i % 7);
                files.push(file(&deep, &format!("deep {i}")));
                files.push(file(&format!("products/p-{i}/index.json"), &format!("{i}")));
            }
            files
        };
        let deep = out.join("products/p-12/v/1.5/source/index.html");
        let mut inodes = Vec::new();
        for (version, written, unchanged) in [("one", 602, 0), ("two", 1, 601)] {
            let mut writer = SiteWriter::begin(&out).unwrap();
            assert!(writer.streams());
            let files = files(version);
            writer
                .make_all_dirs(files.iter().map(|f| f.path.as_str()))
                .unwrap();
            files
                .into_par_iter()
                .try_for_each(|f| writer.put(f))
                .unwrap();
            let stats = writer.finish().unwrap();
            assert_eq!((stats.written, stats.unchanged), (written, unchanged));
            inodes.push(fs::metadata(&deep).unwrap().ino());
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(&deep).unwrap(), "deep 12");
        assert_eq!(count_files(&out), 602);
        // The unchanged file is the first build's, linked into the second: the same inode.
        assert_eq!(inodes[0], inodes[1]);
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n != "site")
            .collect();
        assert!(
            leftovers
                .iter()
                .all(|n| n.to_string_lossy().contains("lock")),
            "{leftovers:?}"
        );
    }
}
