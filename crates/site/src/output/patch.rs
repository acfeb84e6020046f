//! Patching a site in place, for builds that change a few files of a large site.
//!
//! Swapping in a whole new folder costs a hard link per unchanged file and the removal of the old
//! tree: at 10,000 products that is ~60,000 links and unlinks (tens of seconds on a loaded disk)
//! to write a few dozen files. When the previous build's page hashes describe the folder, the
//! build instead stages only the files whose bytes changed (in `.<out>.meshdoc-new-<pid>`, as a
//! full build does), then commits a journal `.<out>.meshdoc-journal-<pid>` that lists them and
//! the files to delete, and applies it with one rename per file.
//!
//! The guarantee: until the journal is committed (renamed into place, one atomic step) the site is
//! untouched, and a killed build leaves only a staging folder that the next build removes. Once
//! it is committed, the journal is applied to the end — by this build, or, if it was killed, by
//! the next build into the folder before anything else ([`recover`]). So the folder is never left
//! half-written: it is the old site or, after the renames, the new one. What a patch does not
//! give, like the swap before it (whose folder was briefly missing), is an atomic view for a
//! reader during the few milliseconds of renames.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The journal of the build `pid` into `<parent>/<name>`.
pub fn journal_path(parent: &Path, name: &str, pid: u32) -> PathBuf {
    parent.join(format!(".{name}.meshdoc-journal-{pid}"))
}

/// Commit a journal: written beside, then renamed into place (the commit point).
pub fn commit(journal: &Path, staged: &[String], removed: &[String]) -> std::io::Result<()> {
    let mut text = String::new();
    for path in staged {
        text.push_str("W\t");
        text.push_str(path);
        text.push('\n');
    }
    for path in removed {
        text.push_str("D\t");
        text.push_str(path);
        text.push('\n');
    }
    text.push_str("end\n");
    // Named so that [`recover`] removes it when a build dies while writing it.
    let tmp_name = journal
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .replace("meshdoc-journal-", "meshdoc-journaltmp-")
        })
        .unwrap_or_default();
    let tmp = journal.with_file_name(tmp_name);
    let mut file = fs::File::create(&tmp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    fs::rename(&tmp, journal)
}

/// Apply a committed journal: move the staged files into the site, delete the removed ones (and
/// folders they leave empty), then drop the journal and the staging folder. Steps already done
/// by a killed build are skipped, so it can run again. A journal without its last line was never
/// committed and is only removed.
pub fn apply(journal: &Path, staging: &Path, out_dir: &Path) -> std::io::Result<()> {
    let text = fs::read_to_string(journal)?;
    let mut first_error = None;
    if text.ends_with("end\n") {
        for line in text.lines() {
            let Some((op, path)) = line.split_once('\t') else {
                continue;
            };
            if !safe(path) {
                continue;
            }
            let target = out_dir.join(path);
            let result = match op {
                "W" => {
                    let source = staging.join(path);
                    if source.exists() {
                        target
                            .parent()
                            .map_or(Ok(()), fs::create_dir_all)
                            .and_then(|()| fs::rename(&source, &target))
                    } else {
                        Ok(())
                    }
                }
                "D" => {
                    let _ = fs::remove_file(&target);
                    remove_empty_parents(&target, out_dir);
                    Ok(())
                }
                _ => Ok(()),
            };
            if let Err(e) = result {
                first_error.get_or_insert(e);
            }
        }
    }
    let _ = fs::remove_file(journal);
    let _ = fs::remove_dir_all(staging);
    first_error.map_or(Ok(()), Err)
}

/// A journal path names a file inside the site, never outside it.
fn safe(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".")
}

fn remove_empty_parents(file: &Path, out_dir: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out_dir || !d.starts_with(out_dir) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committed_journal_moves_staged_files_in_and_deletes_removed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let (out, staging) = (
            dir.path().join("site"),
            dir.path().join(".site.meshdoc-new-1"),
        );
        fs::create_dir_all(out.join("gone/deep")).unwrap();
        fs::write(out.join("gone/deep/index.html"), "old").unwrap();
        fs::write(out.join("kept.html"), "old").unwrap();
        fs::create_dir_all(staging.join("new")).unwrap();
        fs::write(staging.join("kept.html"), "new").unwrap();
        fs::write(staging.join("new/index.html"), "new").unwrap();
        let journal = journal_path(dir.path(), "site", 1);
        commit(
            &journal,
            &["kept.html".into(), "new/index.html".into()],
            &["gone/deep/index.html".into(), "../outside".into()],
        )
        .unwrap();
        apply(&journal, &staging, &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("kept.html")).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(out.join("new/index.html")).unwrap(),
            "new"
        );
        assert!(!out.join("gone").exists(), "emptied folders are removed");
        assert!(!journal.exists() && !staging.exists());
        // Applying again (a recovery after a kill during the renames) changes nothing.
        commit(&journal, &["kept.html".into()], &[]).unwrap();
        apply(&journal, &staging, &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("kept.html")).unwrap(), "new");
    }

    #[test]
    fn the_next_build_finishes_the_committed_journal_of_a_killed_one() {
        let dir = tempfile::tempdir().unwrap();
        let dead = 4_000_000_000u32;
        let out = dir.path().join("site");
        let staging = dir.path().join(format!(".site.meshdoc-new-{dead}"));
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("a.html"), "old").unwrap();
        fs::write(out.join("gone.html"), "old").unwrap();
        fs::create_dir_all(&staging).unwrap();
        fs::write(staging.join("a.html"), "new").unwrap();
        let journal = journal_path(dir.path(), "site", dead);
        commit(&journal, &["a.html".into()], &["gone.html".into()]).unwrap();
        super::super::lock::recover(dir.path(), "site");
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "new");
        assert!(!out.join("gone.html").exists());
        assert!(!journal.exists() && !staging.exists());
    }

    #[test]
    fn a_journal_cut_short_was_never_committed_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (out, staging) = (
            dir.path().join("site"),
            dir.path().join(".site.meshdoc-new-1"),
        );
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("a.html"), "old").unwrap();
        fs::create_dir_all(&staging).unwrap();
        fs::write(staging.join("a.html"), "new").unwrap();
        let journal = journal_path(dir.path(), "site", 1);
        fs::write(&journal, "W\ta.html\n").unwrap();
        apply(&journal, &staging, &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "old");
        assert!(!journal.exists() && !staging.exists());
    }
}
