//! The search documents of products and contracts, kept between builds: tokenising every name,
//! description and column of 20,000 entities was most of what an incremental build paid for the
//! search index after a one-line change. Each document is kept under a key its caller computes
//! from everything the document reads (the entity, its domain's and owner's names, the contracts
//! whose columns it lists); a document whose key is unchanged is taken as it was.
//!
//! One file, written beside, then renamed. It is a cache: a file that is missing, cut short,
//! from another format or otherwise unreadable is ignored as a whole, and every document is made
//! afresh.

use std::path::{Path, PathBuf};

use catalog::Catalog;

use crate::search::{DocFacets, Made};

/// Names the format; a file that starts otherwise is not read.
const MAGIC: &[u8] = b"meshdoc search documents 1\n";
/// Larger files are not read (a 10,000-product catalog keeps about 20 MB).
const MAX_BYTES: u64 = 1 << 30;

/// Where the documents are kept and the input key of each product and contract (in catalog
/// order) this build.
pub struct Reuse<'a> {
    pub file: PathBuf,
    pub products: &'a [u64],
    pub contracts: &'a [u64],
}

/// The documents taken from the last build, in catalog order (None: to be made afresh).
pub(crate) struct Kept {
    pub(crate) products: Vec<Option<Made>>,
    pub(crate) contracts: Vec<Option<Made>>,
}

impl Kept {
    pub(crate) fn none(catalog: &Catalog) -> Kept {
        Kept {
            products: (0..catalog.products.len()).map(|_| None).collect(),
            contracts: (0..catalog.contracts.len()).map(|_| None).collect(),
        }
    }

    /// How many documents are to be made afresh.
    pub(crate) fn missing(&self) -> usize {
        self.products.iter().filter(|d| d.is_none()).count()
            + self.contracts.iter().filter(|d| d.is_none()).count()
    }
}

const PRODUCT: u8 = b'p';
const CONTRACT: u8 = b'c';

impl Reuse<'_> {
    /// The kept documents whose key is this build's.
    pub(crate) fn load(&self, catalog: &Catalog) -> Kept {
        let mut kept = Kept::none(catalog);
        let bytes = match std::fs::metadata(&self.file) {
            Ok(m) if m.len() <= MAX_BYTES => std::fs::read(&self.file).unwrap_or_default(),
            _ => return kept,
        };
        let Some(body) = bytes.strip_prefix(MAGIC) else {
            return kept;
        };
        let mut taken = Kept::none(catalog);
        if decode(body, catalog, self, &mut taken).is_some() {
            kept = taken;
        }
        kept
    }

    /// Keep every product and contract document of this build for the next one.
    pub(crate) fn store(&self, catalog: &Catalog, products: &[Made], contracts: &[Made]) {
        let mut out = Vec::with_capacity(32 << 20);
        out.extend_from_slice(MAGIC);
        let all = products
            .iter()
            .zip(&catalog.products)
            .zip(self.products)
            .map(|((m, p), &k)| (PRODUCT, p.id.as_str(), k, m))
            .chain(
                contracts
                    .iter()
                    .zip(&catalog.contracts)
                    .zip(self.contracts)
                    .map(|((m, c), &k)| (CONTRACT, c.id.as_str(), k, m)),
            );
        for (kind, id, key, made) in all {
            out.push(kind);
            text(&mut out, id);
            out.extend_from_slice(&key.to_le_bytes());
            encode(&mut out, made);
        }
        write_atomically(&self.file, &out);
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) {
    let Some(parent) = path.parent() else { return };
    if std::fs::create_dir_all(parent).is_err() {
        return;
    }
    let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

fn text(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn texts(out: &mut Vec<u8>, list: &[String]) {
    out.extend_from_slice(&(list.len() as u32).to_le_bytes());
    for s in list {
        text(out, s);
    }
}

fn encode(out: &mut Vec<u8>, made: &Made) {
    text(out, &made.record);
    out.extend_from_slice(&(made.terms.len() as u32).to_le_bytes());
    for (term, code) in &made.terms {
        text(out, term);
        out.push(*code);
    }
    let f = &made.facets;
    texts(out, &f.domain);
    texts(out, &f.team);
    match &f.status {
        Some(s) => {
            out.push(1);
            text(out, s);
        }
        None => out.push(0),
    }
    texts(out, &f.tags);
    out.push(match f.pii {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    });
}

/// Reads the file's entries; None when any of it is malformed (nothing is then taken).
fn decode(body: &[u8], catalog: &Catalog, reuse: &Reuse, kept: &mut Kept) -> Option<()> {
    let mut r = Reader(body);
    while !r.0.is_empty() {
        let kind = r.byte()?;
        let id = r.str()?;
        let key = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
        // Where this build wants it (if at all): a document is taken only under its own key.
        let slot = match kind {
            PRODUCT => catalog
                .product_by_id
                .get(id)
                .filter(|&&i| reuse.products.get(i) == Some(&key))
                .and_then(|&i| kept.products.get_mut(i)),
            CONTRACT => catalog
                .contract_by_id
                .get(id)
                .filter(|&&i| reuse.contracts.get(i) == Some(&key))
                .and_then(|&i| kept.contracts.get_mut(i)),
            _ => return None,
        };
        match slot {
            Some(slot) => *slot = Some(made(&mut r, kind)?),
            None => skip(&mut r)?,
        }
    }
    Some(())
}

fn made(r: &mut Reader, kind: u8) -> Option<Made> {
    let record = r.str()?.to_string();
    let n = r.len()?;
    let mut terms = Vec::with_capacity(n.min(r.0.len() / 5));
    for _ in 0..n {
        terms.push((r.str()?.to_string(), r.byte()?));
    }
    let domain = r.strings()?;
    let team = r.strings()?;
    let status = match r.byte()? {
        0 => None,
        _ => Some(r.str()?.to_string()),
    };
    let tags = r.strings()?;
    let pii = match r.byte()? {
        0 => None,
        1 => Some(false),
        _ => Some(true),
    };
    let facets = DocFacets {
        kind: if kind == PRODUCT {
            "product"
        } else {
            "contract"
        },
        domain,
        team,
        status,
        tags,
        pii,
    };
    Some(Made {
        record,
        terms,
        facets,
    })
}

/// Past an entry this build does not take.
fn skip(r: &mut Reader) -> Option<()> {
    r.str()?;
    for _ in 0..r.len()? {
        r.str()?;
        r.byte()?;
    }
    r.strings()?;
    r.strings()?;
    if r.byte()? != 0 {
        r.str()?;
    }
    r.strings()?;
    r.byte()?;
    Some(())
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn len(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let n = self.len()?;
        let mut out = Vec::with_capacity(n.min(self.0.len() / 4));
        for _ in 0..n {
            out.push(self.str()?.to_string());
        }
        Some(out)
    }
}
