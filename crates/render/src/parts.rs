//! Parts of a whole-site file kept between builds: `llms-full.txt` is one part per product, and
//! a one-repository change rendered all 10,000 of them again to change ten. Each part is kept
//! under a key its caller computes from everything the part reads (for `llms-full.txt`: the hash
//! of the product's markdown twin, which shows the same); a part whose key is unchanged is taken
//! as it was, the others are made afresh. The file's bytes are the parts joined, so they are
//! what a cold build writes.
//!
//! One file per kind of part, written beside, then renamed. It is a cache: a file that is
//! missing, cut short or from another format is ignored as a whole.

use std::borrow::Cow;
use std::path::PathBuf;

use rayon::prelude::*;

/// Names the format; a file that starts otherwise is not read.
const MAGIC: &[u8] = b"meshdoc kept parts 1\n";
/// Larger files are not read.
const MAX_BYTES: u64 = 1 << 30;

/// Where the parts of one file are kept, and this build's key of each (in order).
pub struct Kept {
    pub file: PathBuf,
    pub keys: Vec<u64>,
}

impl Kept {
    /// Every part, in order, handed to `join`: taken from the last build where its key is the
    /// same (borrowed from the kept file, not copied), else made by `make` (in parallel).
    /// Stores the parts for the next build when any was made afresh.
    pub fn join<R>(
        &self,
        make: impl Fn(usize) -> String + Sync,
        join: impl FnOnce(&[Cow<str>]) -> R,
    ) -> R {
        let bytes = match std::fs::metadata(&self.file) {
            Ok(m) if m.len() <= MAX_BYTES => std::fs::read(&self.file).unwrap_or_default(),
            _ => Vec::new(),
        };
        // By key, not by place: a part added before the others moves them.
        let old: std::collections::HashMap<u64, &str> =
            decode(&bytes).unwrap_or_default().into_iter().collect();
        let made = std::sync::atomic::AtomicUsize::new(0);
        let parts: Vec<Cow<str>> = self
            .keys
            .par_iter()
            .enumerate()
            .map(|(i, key)| match old.get(key) {
                Some(&text) => Cow::Borrowed(text),
                None => {
                    made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    Cow::Owned(make(i))
                }
            })
            .collect();
        let joined = join(&parts);
        if made.into_inner() > 0 || old.len() != parts.len() {
            self.store(&parts);
        }
        joined
    }

    fn store(&self, parts: &[Cow<str>]) {
        let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 16).sum::<usize>() + 32);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(parts.len() as u64).to_le_bytes());
        for (part, key) in parts.iter().zip(&self.keys) {
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&(part.len() as u64).to_le_bytes());
            out.extend_from_slice(part.as_bytes());
        }
        if let Some(parent) = self.file.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let tmp = self
            .file
            .with_extension(format!("{}.tmp", std::process::id()));
        if std::fs::write(&tmp, out).is_ok() && std::fs::rename(&tmp, &self.file).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// The kept (key, part) pairs, in order; None when the file is not whole.
fn decode(bytes: &[u8]) -> Option<Vec<(u64, &str)>> {
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let word = |rest: &mut &[u8]| -> Option<u64> {
        let (w, tail) = rest.split_first_chunk::<8>()?;
        *rest = tail;
        Some(u64::from_le_bytes(*w))
    };
    let count = usize::try_from(word(&mut rest)?).ok()?;
    let mut parts = Vec::with_capacity(count.min(bytes.len() / 16));
    for _ in 0..count {
        let key = word(&mut rest)?;
        let len = usize::try_from(word(&mut rest)?).ok()?;
        let text = std::str::from_utf8(rest.get(..len)?).ok()?;
        rest = &rest[len..];
        parts.push((key, text));
    }
    rest.is_empty().then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts whose key is unchanged are taken as kept; the others are made; a damaged file makes
    /// every part again, with the same result.
    #[test]
    fn parts_are_taken_by_key_and_a_damaged_file_is_ignored() {
        let dir = std::env::temp_dir().join(format!("meshdoc-parts-{}", std::process::id()));
        let file = dir.join("cache/parts");
        let made = |tag: &'static str| move |i: usize| format!("{tag}{i}\n");
        let owned =
            |parts: &[Cow<str>]| -> Vec<String> { parts.iter().map(|p| p.to_string()).collect() };
        let first = Kept {
            file: file.clone(),
            keys: vec![1, 2, 3],
        };
        assert_eq!(first.join(made("a"), owned), ["a0\n", "a1\n", "a2\n"]);
        let second = Kept {
            file: file.clone(),
            keys: vec![1, 5, 3, 4],
        };
        assert_eq!(
            second.join(made("b"), owned),
            ["a0\n", "b1\n", "a2\n", "b3\n"]
        );
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 1]).unwrap();
        assert_eq!(
            second.join(made("c"), owned),
            ["c0\n", "c1\n", "c2\n", "c3\n"]
        );
        assert_eq!(
            second.join(made("d"), owned),
            ["c0\n", "c1\n", "c2\n", "c3\n"]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
