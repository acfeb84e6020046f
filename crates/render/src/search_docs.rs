//! The search documents of products and contracts, kept between builds: tokenising every name,
//! description and column of 20,000 entities was most of what an incremental build paid for the
//! search index after a one-line change. Each document is kept under a key its caller computes
//! from everything the document reads (the entity, its domain's and owner's names, the contracts
//! whose columns it lists); a document whose key is unchanged is taken as it was.
//!
//! Terms are kept as numbers into a dictionary stored at the file's start ([`crate::search_terms`]):
//! a kept document is taken as a slice of the file, with no string made per term.
//!
//! One file, written beside, then renamed. It is a cache: a file that is missing, cut short,
//! from another format or otherwise unreadable is ignored as a whole, and every document is made
//! afresh.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use catalog::Catalog;

use crate::search::{field, DocFacets, Made};
use crate::search_terms::{Dictionary, Inverted, Terms, KEPT_WIDTH};

/// Names the format; a file that starts otherwise is not read.
const MAGIC: &[u8] = b"meshdoc search documents 2\n";
/// Larger files are not read (a 10,000-product catalog keeps about 20 MB).
const MAX_BYTES: u64 = 1 << 30;

/// Where the documents are kept and the input key of each product and contract (in catalog
/// order) this build.
pub struct Reuse<'a> {
    pub file: PathBuf,
    pub products: &'a [u64],
    pub contracts: &'a [u64],
}

/// The documents taken from the last build, in catalog order (None: to be made afresh), with
/// the dictionary their term numbers point into; all borrowed from the file's bytes.
pub(crate) struct Kept<'k> {
    pub(crate) products: Vec<Option<Made<'k>>>,
    pub(crate) contracts: Vec<Option<Made<'k>>>,
    pub(crate) dictionary: Vec<&'k str>,
}

impl Kept<'_> {
    pub(crate) fn none(catalog: &Catalog) -> Self {
        Kept {
            products: (0..catalog.products.len()).map(|_| None).collect(),
            contracts: (0..catalog.contracts.len()).map(|_| None).collect(),
            dictionary: Vec::new(),
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
    /// The file's bytes (none when it is missing or too large).
    pub(crate) fn read(&self) -> Vec<u8> {
        match std::fs::metadata(&self.file) {
            Ok(m) if m.len() <= MAX_BYTES => std::fs::read(&self.file).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The kept documents whose key is this build's, from the file's `bytes`.
    pub(crate) fn load<'k>(&self, bytes: &'k [u8], catalog: &Catalog) -> Kept<'k> {
        let Some(body) = bytes.strip_prefix(MAGIC) else {
            return Kept::none(catalog);
        };
        let mut taken = Kept::none(catalog);
        match decode(body, catalog, self, &mut taken) {
            Some(()) => taken,
            None => Kept::none(catalog),
        }
    }

    /// Keep every product and contract document of this build for the next one, their terms
    /// numbered into the dictionary of the terms in use.
    pub(crate) fn store(
        &self,
        catalog: &Catalog,
        (products, contracts): (&[Made], &[Made]),
        dictionary: &Dictionary,
        inverted: &Inverted,
    ) {
        let mut out = Vec::with_capacity(32 << 20);
        out.extend_from_slice(MAGIC);
        let terms: Vec<&str> = inverted.dictionary().collect();
        out.extend_from_slice(&(terms.len() as u32).to_le_bytes());
        for term in terms {
            text(&mut out, term);
        }
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
        let same_numbers = inverted.keeps_numbers(dictionary);
        for (kind, id, key, made) in all {
            out.push(kind);
            text(&mut out, id);
            out.extend_from_slice(&key.to_le_bytes());
            text(&mut out, &made.record);
            inverted.write_kept(dictionary, same_numbers, &made.terms, &mut out);
            facets(&mut out, &made.facets);
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

fn facets(out: &mut Vec<u8>, f: &DocFacets) {
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

/// Reads the file's dictionary and entries; None when any of it is malformed (nothing is then
/// taken).
fn decode<'k>(body: &'k [u8], catalog: &Catalog, reuse: &Reuse, kept: &mut Kept<'k>) -> Option<()> {
    let mut r = Reader(body);
    let n = r.len()?;
    let mut dictionary = Vec::with_capacity(n.min(r.0.len() / 4));
    for _ in 0..n {
        let term = r.str()?;
        // Sorted, each once: the index's terms are merged and inverted in this order.
        if dictionary.last().is_some_and(|&last| last >= term) {
            return None;
        }
        dictionary.push(term);
    }
    kept.dictionary = dictionary;
    let words = kept.dictionary.len();
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
            Some(slot) => *slot = Some(made(&mut r, kind, words)?),
            None => skip(&mut r)?,
        }
    }
    Some(())
}

fn made<'k>(r: &mut Reader<'k>, kind: u8, words: usize) -> Option<Made<'k>> {
    let record = Cow::Borrowed(r.str()?);
    let n = r.len()?;
    let terms = r.take(n.checked_mul(KEPT_WIDTH)?)?;
    // Numbers within the dictionary, ascending (so each term once), known field codes.
    let mut last = None;
    for entry in terms.chunks_exact(KEPT_WIDTH) {
        let number = u32::from_le_bytes(entry[..4].try_into().ok()?);
        if number as usize >= words || last.is_some_and(|l| l >= number) || entry[4] > field::EXACT
        {
            return None;
        }
        last = Some(number);
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
        terms: Terms::Kept(terms),
        facets,
    })
}

/// Past an entry this build does not take.
fn skip(r: &mut Reader) -> Option<()> {
    r.str()?;
    let n = r.len()?;
    r.take(n.checked_mul(KEPT_WIDTH)?)?;
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
