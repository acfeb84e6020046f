//! Output: write the site atomically. The new site is assembled in a temporary folder beside the
//! target and swapped in with renames, so readers never see a half-written site; files whose
//! bytes did not change are hard-linked from the previous build and keep their timestamps, so
//! incremental uploads (rsync, `aws s3 sync`) move only what changed.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::render::OutputFile;

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

pub fn write_site(out_dir: &Path, files: &[OutputFile]) -> Result<WriteStats> {
    if out_dir.exists() {
        let is_empty = fs::read_dir(out_dir).map_err(io(out_dir))?.next().is_none();
        if !is_empty && !out_dir.join(MARKER).exists() {
            return Err(Error::Usage(format!(
                "{} exists and is not a meshdoc site (no {MARKER}); refusing to replace it. Choose another --out or empty the folder",
                out_dir.display()
            )));
        }
    }
    let parent = out_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io(parent))?;
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let staging = parent.join(format!(".{name}.meshdoc-new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.meshdoc-old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let result = fill(&staging, out_dir, files);
    let stats = match result {
        Ok(stats) => stats,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    if out_dir.exists() {
        fs::rename(out_dir, &retired).map_err(io(out_dir))?;
    }
    if let Err(e) = fs::rename(&staging, out_dir) {
        // Put the previous site back rather than leave nothing.
        let _ = fs::rename(&retired, out_dir);
        return Err(io(out_dir)(e));
    }
    let _ = fs::remove_dir_all(&retired);
    Ok(stats)
}

fn fill(staging: &Path, previous: &Path, files: &[OutputFile]) -> Result<WriteStats> {
    let mut stats = WriteStats::default();
    fs::create_dir_all(staging).map_err(io(staging))?;
    for file in files {
        let target: PathBuf = staging.join(&file.path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(io(dir))?;
        }
        let old = previous.join(&file.path);
        let same = fs::metadata(&old).is_ok_and(|m| m.len() == file.bytes.len() as u64)
            && fs::read(&old).is_ok_and(|b| b == file.bytes);
        if same && fs::hard_link(&old, &target).is_ok() {
            stats.unchanged += 1;
            continue;
        }
        fs::write(&target, &file.bytes).map_err(io(&target))?;
        stats.written += 1;
    }
    Ok(stats)
}
