//! The parse cache: what a source parsed into, stored under a key made of everything that decides
//! it (the commit id for git, the files' names, sizes and times for folders, meshdoc's version and
//! the read settings). An unchanged repository is then neither read nor parsed again.
//!
//! Entries are bincode (varint lengths), with every field written in order
//! (`model::cache_form`: even those JSON output skips when empty): a build where 999 of 1,000
//! sources are unchanged decodes them all, about 200k schema properties of ~36 fields each at
//! 10,000 products. MessagePack, the earlier layout, spent most of that time describing each
//! value to itself; bincode reads what the types say comes next. Schema properties, mostly
//! empty, are written sparse (`cache_form::schema_properties`: a mask, then the fields set).
//! The model's free-form values (`serde_json::Value`), which a format
//! without types cannot read back, are written in a typed form (`cache_form::value`). Each entry
//! starts with [`MAGIC`]: an entry of another layout is a miss, never misread, and a damaged one
//! fails to decode (lengths are bounded by the entry's size, trailing bytes refused).
//!
//! A contract's text is stored once: its newest history version holds the same text as its
//! `source_text` (one shared allocation since the crawl), so that version is written without
//! it and given the contract's text back when read ([`Record::newest_is_source`]). Contract
//! texts are most of an entry's bytes.

use std::cell::RefCell;
use std::fs;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use super::SourceDocuments;

/// The first bytes of an entry: the layout's name and version.
const MAGIC: &[u8] = b"meshdoc parse cache, bincode v5\n";

/// A read buffer kept above this size is given back, not kept for the next entry.
const KEPT_BUFFER: usize = 16 << 20;

thread_local! {
    /// Each reading thread's buffer, reused from entry to entry: a fresh one per entry was
    /// memory the kernel had to clear again (`clear_page`) for every source of a build.
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// An entry as stored.
#[derive(serde::Serialize, serde::Deserialize)]
struct Record<D> {
    documents: D,
    /// The contracts (numbered in file and document order) whose newest history version was
    /// written without its text, which is the contract's `source_text`.
    newest_is_source: Vec<u32>,
}

pub struct ParseCache {
    dir: PathBuf,
}

impl ParseCache {
    pub fn new(cache_dir: &std::path::Path) -> Self {
        ParseCache {
            dir: cache_dir.join("parsed"),
        }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir
            .join(&key[..2.min(key.len())])
            .join(format!("{key}.mpk"))
    }

    /// A stored entry, or None (missing, unreadable or from an incompatible version: all misses).
    pub fn load(&self, key: &str) -> Option<SourceDocuments> {
        let mut file = fs::File::open(self.path(key)).ok()?;
        BUFFER.with(|buffer| {
            let mut bytes = buffer.try_borrow_mut().ok()?;
            bytes.clear();
            let read = file.read_to_end(&mut bytes);
            let record = read.ok().and_then(|_| decode(bytes.strip_prefix(MAGIC)?));
            if bytes.capacity() > KEPT_BUFFER {
                *bytes = Vec::new();
            }
            let mut record = record?;
            restore_newest(&mut record.documents, &record.newest_is_source)?;
            Some(record.documents)
        })
    }

    /// Store an entry; a cache that cannot be written only costs speed, never the build.
    /// `docs` is lent: newest versions' texts are taken out while it is written, then put back.
    pub fn store(&self, key: &str, docs: &mut SourceDocuments) {
        let path = self.path(key);
        let Some(parent) = path.parent() else { return };
        if fs::create_dir_all(parent).is_err() {
            return;
        }
        let newest_is_source = take_newest(docs);
        let mut bytes = MAGIC.to_vec();
        let record = Record {
            documents: &*docs,
            newest_is_source,
        };
        let encoded = encode(&mut bytes, &record);
        let newest_is_source = record.newest_is_source;
        restore_newest(docs, &newest_is_source);
        if encoded.is_err() {
            return;
        }
        let tmp = parent.join(format!(".{key}.{}.tmp", std::process::id()));
        if fs::write(&tmp, bytes).is_ok() && fs::rename(&tmp, &path).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }
}

/// The entry's form: varint lengths (entries as small as MessagePack's), little endian.
fn form() -> impl bincode::Options {
    bincode::DefaultOptions::new()
}

/// Append `record` to `bytes` in the entry's form.
fn encode<D: serde::Serialize>(bytes: &mut Vec<u8>, record: &Record<D>) -> bincode::Result<()> {
    use bincode::Options;
    model::cache_form::keep_every_field(|| form().serialize_into(bytes, record))
}

/// An entry's record; None when it does not decode whole (damaged, cut short or foreign). No
/// length it claims can allocate more than the entry holds.
fn decode(bytes: &[u8]) -> Option<Record<SourceDocuments>> {
    use bincode::Options;
    let limit = u64::try_from(bytes.len()).ok()?;
    model::cache_form::read_cached(|| form().with_limit(limit).deserialize(bytes)).ok()
}

/// Every contract of `docs`, numbered as [`Record::newest_is_source`] numbers them.
fn contracts(docs: &mut SourceDocuments) -> impl Iterator<Item = &mut model::DataContract> {
    docs.files
        .iter_mut()
        .flat_map(|f| &mut f.documents)
        .filter_map(|d| match d {
            formats::Document::Contract(c) => Some(&mut **c),
            _ => None,
        })
}

/// Take the text out of each newest version that holds the contract's own text; their numbers.
fn take_newest(docs: &mut SourceDocuments) -> Vec<u32> {
    let mut taken = Vec::new();
    for (n, c) in contracts(docs).enumerate() {
        let (Some(text), Some(newest)) = (&c.source_text, c.history.first_mut()) else {
            continue;
        };
        if newest.content.as_deref() == Some(&**text) {
            newest.content = None;
            taken.push(u32::try_from(n).unwrap_or(u32::MAX));
        }
    }
    taken
}

/// Give the contracts numbered in `taken` their text back as their newest version's; None when
/// a number names no contract whose newest version was taken out (a damaged entry: a miss).
fn restore_newest(docs: &mut SourceDocuments, taken: &[u32]) -> Option<()> {
    let mut taken = taken.iter().peekable();
    for (n, c) in contracts(docs).enumerate() {
        if taken.peek().is_none() {
            break;
        }
        if taken.next_if(|&&t| t as usize == n).is_none() {
            continue;
        }
        let text: Arc<str> = c.source_text.clone()?;
        let newest = c.history.first_mut()?;
        if newest.content.is_some() {
            return None;
        }
        newest.content = Some(text);
    }
    taken.peek().is_none().then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{filter::Filter, CrawlOptions};

    /// The sample catalog (`content/`), read and parsed as a build reads a folder source.
    fn sample() -> SourceDocuments {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
        let options = CrawlOptions {
            max_file_bytes: 4 << 20,
            history_depth: 10,
            cache_dir: std::env::temp_dir(),
            fetch_jobs: 1,
            metric_paths: Vec::new(),
            definition_paths: Vec::new(),
        };
        let filter = Filter::new(&[], &[]).expect("no patterns");
        let (files, diagnostics) = crate::dir::read("sample", &root, &filter, &options);
        let settings = crate::read_settings(&options);
        let schemas = formats::validate::user::UserSchemas::default();
        let mut files = formats::parse_source(&files, &schemas, &settings);
        // Never stored (`#[serde(skip)]`): a cached contract is read as a plain one.
        for file in &mut files {
            for doc in &mut file.documents {
                if let formats::Document::Contract(c) = doc {
                    c.read_as_newest_version = false;
                }
            }
        }
        SourceDocuments { files, diagnostics }
    }

    #[test]
    fn an_entry_reads_back_as_every_field_was_stored() {
        let mut docs = sample();
        assert!(docs.files.len() > 20, "the sample holds manifests");
        // Fields JSON output skips when empty, each alone: a positional entry must not shift
        // the fields after them.
        let origin = docs
            .files
            .iter_mut()
            .flat_map(|f| &mut f.documents)
            .find_map(|d| match d {
                formats::Document::Product(p) => Some(&mut p.origin),
                _ => None,
            })
            .expect("the sample has a product");
        origin.id_line = None;
        origin.id_column = Some(7);
        origin.fingerprint = Some("f00d".into());
        let origin = origin.clone();
        let dir = tempfile::tempdir().unwrap();
        let cache = ParseCache::new(dir.path());
        cache.store("abcdef", &mut docs);
        let back = cache.load("abcdef").expect("the entry just stored");
        assert_eq!(format!("{back:?}"), format!("{docs:?}"));
        // JSON output still leaves the empty field out.
        let json = serde_json::to_value(&origin).unwrap();
        assert!(json.get("idLine").is_none(), "{json}");
        assert_eq!(json["idColumn"], 7, "{json}");
    }

    #[test]
    fn a_corrupt_cut_short_or_foreign_entry_is_a_miss() {
        let mut docs = sample();
        let dir = tempfile::tempdir().unwrap();
        let cache = ParseCache::new(dir.path());
        cache.store("abcdef", &mut docs);
        let path = cache.path("abcdef");
        let whole = fs::read(&path).unwrap();
        // Cut short.
        fs::write(&path, &whole[..whole.len() / 2]).unwrap();
        assert!(cache.load("abcdef").is_none());
        // Garbage after the header.
        let mut garbage = MAGIC.to_vec();
        garbage.extend_from_slice(b"\xff\x00garbage");
        fs::write(&path, garbage).unwrap();
        assert!(cache.load("abcdef").is_none());
        // The layout of earlier versions (field names, no header).
        fs::write(&path, rmp_serde::to_vec_named(&docs).unwrap()).unwrap();
        assert!(cache.load("abcdef").is_none());
        // The positional layout before texts were stored once.
        let mut v2 = b"meshdoc parse cache, positional v2\n".to_vec();
        model::cache_form::keep_every_field(|| rmp_serde::encode::write(&mut v2, &docs)).unwrap();
        fs::write(&path, v2).unwrap();
        assert!(cache.load("abcdef").is_none());
        // The MessagePack layout before bincode.
        let mut v3 = b"meshdoc parse cache, positional v3\n".to_vec();
        let record = Record {
            documents: &docs,
            newest_is_source: Vec::new(),
        };
        model::cache_form::keep_every_field(|| rmp_serde::encode::write(&mut v3, &record)).unwrap();
        fs::write(&path, v3).unwrap();
        assert!(cache.load("abcdef").is_none());
        // Whole, then with a byte more: trailing bytes are refused.
        fs::write(&path, &whole).unwrap();
        assert!(cache.load("abcdef").is_some());
        fs::write(&path, [&whole[..], b"\0"].concat()).unwrap();
        assert!(cache.load("abcdef").is_none());
        // A length beyond the entry.
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&[0xfc, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
        fs::write(&path, huge).unwrap();
        assert!(cache.load("abcdef").is_none());
        // Missing.
        assert!(cache.load("012345").is_none());
    }

    /// Texts told apart by a comment, which nothing parsed holds.
    const NEW: &str = "# the newest text\napiVersion: v3.0.2\nkind: DataContract\nid: orders\nversion: 2.0.0\nstatus: active\nschema:\n  - name: orders\n";
    const OLD: &str = "# an older text\napiVersion: v3.0.2\nkind: DataContract\nid: orders\nversion: 1.0.0\nstatus: active\nschema:\n  - name: orders\n";

    /// A git source's contract file as the crawl reads it: its history, newest first.
    fn with_history(newest: &str, texts: &[&str]) -> SourceDocuments {
        let mut file = model::SourceFile::new("shop", "contracts/orders.odcs.yaml", newest);
        file.history = texts
            .iter()
            .map(|t| model::FileVersion {
                content: Some((*t).into()),
                ..model::FileVersion::default()
            })
            .collect();
        let settings = formats::Settings::default();
        let files = formats::parse_source(&[file], &Default::default(), &settings);
        let mut docs = SourceDocuments {
            files,
            diagnostics: Vec::new(),
        };
        for c in contracts(&mut docs) {
            c.read_as_newest_version = false;
        }
        docs
    }

    fn occurrences(haystack: &[u8], needle: &str) -> usize {
        haystack
            .windows(needle.len())
            .filter(|w| *w == needle.as_bytes())
            .count()
    }

    #[test]
    fn a_contract_text_is_stored_once_and_read_back_into_its_newest_version() {
        let mut docs = with_history(NEW, &[NEW, OLD]);
        let before = format!("{docs:?}");
        let dir = tempfile::tempdir().unwrap();
        let cache = ParseCache::new(dir.path());
        cache.store("abcdef", &mut docs);
        assert_eq!(
            format!("{docs:?}"),
            before,
            "the stored documents are given back whole"
        );
        let bytes = fs::read(cache.path("abcdef")).unwrap();
        assert_eq!(
            occurrences(&bytes, "the newest text"),
            1,
            "the newest text once"
        );
        assert_eq!(occurrences(&bytes, "an older text"), 1);
        let mut back = cache.load("abcdef").expect("the entry just stored");
        assert_eq!(format!("{back:?}"), before);
        let c = contracts(&mut back).next().expect("the contract");
        assert_eq!(c.history[0].content.as_deref(), Some(NEW));
        assert_eq!(c.history[1].content.as_deref(), Some(OLD));

        // A newest version whose text is not the file's (history from another commit) keeps it.
        let mut stale = with_history(NEW, &[OLD]);
        let before = format!("{stale:?}");
        cache.store("stale0", &mut stale);
        let bytes = fs::read(cache.path("stale0")).unwrap();
        assert_eq!(occurrences(&bytes, "an older text"), 1);
        assert_eq!(format!("{:?}", cache.load("stale0").unwrap()), before);
    }

    #[test]
    fn an_entry_naming_a_contract_it_lacks_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ParseCache::new(dir.path());
        for taken in [vec![1], vec![0, 0], vec![u32::MAX]] {
            let docs = with_history(NEW, &[NEW, OLD]);
            let mut bytes = MAGIC.to_vec();
            let record = Record {
                documents: &docs,
                newest_is_source: taken.clone(),
            };
            encode(&mut bytes, &record).unwrap();
            let path = cache.path("abcdef");
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, bytes).unwrap();
            assert!(cache.load("abcdef").is_none(), "{taken:?}");
        }
    }
}
