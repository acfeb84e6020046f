//! The terms of the search documents as numbers into one sorted dictionary, and the postings
//! inverted from those numbers by counting.
//!
//! Why: after a one-line change nearly every product and contract document is taken as the last
//! build kept it ([`crate::search_docs`]). Kept as numbers into the last build's dictionary, its
//! terms need no string each when loaded, and the index is inverted from arrays of numbers —
//! two passes of counting, no map keyed by text and no sort of postings — instead of hashing
//! two million strings.

use std::collections::HashMap;

use rayon::prelude::*;

/// Bytes per kept term: its number in the kept dictionary (u32, little-endian), then its field
/// code.
pub(crate) const KEPT_WIDTH: usize = 5;

/// A document's terms, each with the best field it came from (at most once per document).
pub(crate) enum Terms<'k> {
    /// Made this build: the terms themselves.
    Fresh(Vec<(String, u8)>),
    /// Taken from the last build: [`KEPT_WIDTH`] bytes per term, numbers into the kept
    /// dictionary in ascending order (checked when loaded).
    Kept(&'k [u8]),
    /// Made this build, numbered into this build's [`Dictionary`].
    Numbered(Vec<(u32, u8)>),
}

/// One kept term: its number in the kept dictionary and its field code.
fn kept_term(entry: &[u8]) -> (u32, u8) {
    (
        u32::from_le_bytes([entry[0], entry[1], entry[2], entry[3]]),
        entry[4],
    )
}

/// Every term of this build, sorted (byte order): the last build's dictionary merged with the
/// terms new in this one.
pub(crate) struct Dictionary<'a> {
    pub(crate) terms: Vec<&'a str>,
    /// The number in `terms` of each term of the kept dictionary.
    from_kept: Vec<u32>,
}

/// Finds a term's number in a sorted list: by binary search for a few look-ups, through a map
/// when there are many (a cold build numbers every term of the catalog).
enum Lookup<'a, 'd> {
    Sorted(&'d [&'a str]),
    Map(HashMap<&'a str, u32, foldhash::fast::FixedState>),
}

impl<'a, 'd> Lookup<'a, 'd> {
    fn new(sorted: &'d [&'a str], lookups: usize) -> Self {
        // A binary search costs about log2(n) comparisons, a map's build one insert per term.
        if lookups.saturating_mul(4) < sorted.len() || sorted.len() < 64 {
            Lookup::Sorted(sorted)
        } else {
            Lookup::Map(
                sorted
                    .iter()
                    .enumerate()
                    .map(|(i, &t)| (t, i as u32))
                    .collect(),
            )
        }
    }

    fn find(&self, term: &str) -> Option<u32> {
        match self {
            Lookup::Sorted(sorted) => sorted.binary_search(&term).ok().map(|i| i as u32),
            Lookup::Map(map) => map.get(term).copied(),
        }
    }
}

fn fresh_terms<'m>(terms: &'m Terms) -> &'m [(String, u8)] {
    match terms {
        Terms::Fresh(list) => list,
        _ => &[],
    }
}

/// The terms of `fresh` documents that the kept dictionary lacks, sorted, each once.
pub(crate) fn new_terms(kept: &[&str], fresh: &[&Terms]) -> Vec<String> {
    let lookups = fresh.iter().map(|t| fresh_terms(t).len()).sum();
    let known = Lookup::new(kept, lookups);
    // Gathered in a set per thread: a cold build sees each term about thirty times.
    type Set<'t> = std::collections::HashSet<&'t str, foldhash::fast::FixedState>;
    let new: Set = fresh
        .par_iter()
        .fold(Set::default, |mut out, terms| {
            out.extend(
                fresh_terms(terms)
                    .iter()
                    .map(|(t, _)| t.as_str())
                    .filter(|t| known.find(t).is_none()),
            );
            out
        })
        .reduce(Set::default, |a, b| {
            let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            big.extend(small);
            big
        });
    let mut new: Vec<String> = new.into_iter().map(str::to_string).collect();
    new.par_sort_unstable();
    new
}

impl<'a> Dictionary<'a> {
    /// `kept` (sorted) merged with `new` (sorted, none of them in `kept`).
    pub(crate) fn merge(kept: &[&'a str], new: &'a [String]) -> Self {
        let mut terms = Vec::with_capacity(kept.len() + new.len());
        let mut from_kept = Vec::with_capacity(kept.len());
        let mut new = new.iter().map(String::as_str).peekable();
        for &k in kept {
            while let Some(n) = new.next_if(|&n| n < k) {
                terms.push(n);
            }
            from_kept.push(terms.len() as u32);
            terms.push(k);
        }
        terms.extend(new);
        Dictionary { terms, from_kept }
    }

    /// Turn the terms of documents made this build into their numbers.
    pub(crate) fn number(&self, docs: &mut [&mut Terms]) {
        let lookups = docs.iter().map(|t| fresh_terms(t).len()).sum();
        let lookup = Lookup::new(&self.terms, lookups);
        docs.par_iter_mut().for_each(|terms| {
            if let Terms::Fresh(list) = &**terms {
                // Every fresh term is in the dictionary: it was merged from them.
                let numbered = list
                    .iter()
                    .filter_map(|(t, code)| Some((lookup.find(t)?, *code)))
                    .collect();
                **terms = Terms::Numbered(numbered);
            }
        });
    }

    /// Call `f` with the number and field code of each of a document's terms.
    fn each(&self, terms: &Terms, mut f: impl FnMut(u32, u8)) {
        match terms {
            Terms::Kept(bytes) => {
                for entry in bytes.chunks_exact(KEPT_WIDTH) {
                    let (n, code) = kept_term(entry);
                    // Checked against the kept dictionary's length when loaded.
                    if let Some(&n) = self.from_kept.get(n as usize) {
                        f(n, code);
                    }
                }
            }
            Terms::Numbered(list) => list.iter().for_each(|&(n, code)| f(n, code)),
            Terms::Fresh(list) => {
                let lookup = Lookup::Sorted(&self.terms);
                for (t, code) in list {
                    if let Some(n) = lookup.find(t) {
                        f(n, *code);
                    }
                }
            }
        }
    }
}

/// The postings of every term some document has: the documents (numbered in index order) with
/// the field each found the term in, ascending.
pub(crate) struct Inverted<'a> {
    /// The terms in use, sorted, each with the end of its postings in `postings`.
    terms: Vec<(&'a str, u32)>,
    postings: Vec<(u32, u8)>,
    /// The number in `terms` of each dictionary term (`u32::MAX`: no document has it).
    used: Vec<u32>,
}

impl<'a> Inverted<'a> {
    /// Invert the documents' terms: a count per term, then each posting put in its place.
    /// Documents are visited in order, so each term's postings come out ascending.
    pub(crate) fn of<'t, 'k: 't>(
        dictionary: &Dictionary<'a>,
        docs: impl Iterator<Item = &'t Terms<'k>> + Clone,
    ) -> Self {
        let mut next = vec![0u32; dictionary.terms.len()];
        for terms in docs.clone() {
            dictionary.each(terms, |n, _| next[n as usize] += 1);
        }
        let mut terms = Vec::new();
        let mut used = vec![u32::MAX; next.len()];
        let mut total = 0u32;
        for (n, count) in next.iter_mut().enumerate() {
            if *count > 0 {
                used[n] = terms.len() as u32;
                let start = total;
                total += *count;
                terms.push((dictionary.terms[n], total));
                *count = start;
            }
        }
        let mut postings = vec![(0u32, 0u8); total as usize];
        for (doc, doc_terms) in docs.enumerate() {
            dictionary.each(doc_terms, |n, code| {
                let slot = &mut next[n as usize];
                postings[*slot as usize] = (doc as u32, code);
                *slot += 1;
            });
        }
        Inverted {
            terms,
            postings,
            used,
        }
    }

    /// Every term in use with its postings, sorted by term.
    pub(crate) fn terms(&self) -> Vec<(&'a str, &[(u32, u8)])> {
        let mut start = 0;
        self.terms
            .iter()
            .map(|&(term, end)| {
                let postings = &self.postings[start as usize..end as usize];
                start = end;
                (term, postings)
            })
            .collect()
    }

    /// The terms in use, sorted: the dictionary kept for the next build.
    pub(crate) fn dictionary(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.terms.iter().map(|&(t, _)| t)
    }

    /// A document's terms as numbers into [`Inverted::dictionary`], ascending, each as
    /// [`KEPT_WIDTH`] bytes, appended to `out`. `same_numbers`: [`Inverted::keeps_numbers`],
    /// asked once for all documents.
    pub(crate) fn write_kept(
        &self,
        dictionary: &Dictionary,
        same_numbers: bool,
        terms: &Terms,
        out: &mut Vec<u8>,
    ) {
        if let Terms::Kept(bytes) = terms {
            if same_numbers {
                out.extend_from_slice(&((bytes.len() / KEPT_WIDTH) as u32).to_le_bytes());
                out.extend_from_slice(bytes);
                return;
            }
        }
        let mut list = Vec::new();
        dictionary.each(terms, |n, code| {
            let n = self.used[n as usize];
            // The document is one of the inverted ones: each of its terms is in use.
            if n != u32::MAX {
                list.push((n, code));
            }
        });
        // Kept numbers map to these in the same order (both dictionaries are sorted).
        if !matches!(terms, Terms::Kept(_)) {
            list.sort_unstable();
        }
        out.extend_from_slice(&(list.len() as u32).to_le_bytes());
        for (n, code) in list {
            out.extend_from_slice(&n.to_le_bytes());
            out.push(code);
        }
    }

    /// Whether the kept dictionary's numbers are this dictionary's: then kept documents are
    /// written back as they were read.
    pub(crate) fn keeps_numbers(&self, dictionary: &Dictionary) -> bool {
        self.terms.len() == dictionary.from_kept.len()
            && dictionary
                .from_kept
                .iter()
                .enumerate()
                .all(|(k, &n)| self.used[n as usize] == k as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(list: &[(u32, u8)]) -> Vec<u8> {
        list.iter()
            .flat_map(|&(n, c)| n.to_le_bytes().into_iter().chain([c]))
            .collect()
    }

    #[test]
    fn kept_and_fresh_documents_invert_to_the_postings_of_their_terms() {
        let old = ["apple", "kiwi", "pear"];
        let doc0 = kept(&[(0, 6), (2, 1)]); // apple, pear
        let doc2 = kept(&[(1, 3)]); // kiwi
        let mut docs = [
            Terms::Kept(&doc0),
            Terms::Fresh(vec![("banana".into(), 2), ("pear".into(), 7)]),
            Terms::Kept(&doc2),
            Terms::Fresh(vec![("zucchini".into(), 0), ("apple".into(), 4)]),
        ];
        let fresh: Vec<&Terms> = docs.iter().collect();
        let new = new_terms(&old, &fresh);
        assert_eq!(new, ["banana", "zucchini"]);
        let dictionary = Dictionary::merge(&old, &new);
        assert_eq!(
            dictionary.terms,
            ["apple", "banana", "kiwi", "pear", "zucchini"]
        );
        dictionary.number(&mut docs.iter_mut().collect::<Vec<_>>());
        let inverted = Inverted::of(&dictionary, docs.iter());
        let terms = inverted.terms();
        let want: Vec<(&str, Vec<(u32, u8)>)> = vec![
            ("apple", vec![(0, 6), (3, 4)]),
            ("banana", vec![(1, 2)]),
            ("kiwi", vec![(2, 3)]),
            ("pear", vec![(0, 1), (1, 7)]),
            ("zucchini", vec![(3, 0)]),
        ];
        let got: Vec<(&str, Vec<(u32, u8)>)> =
            terms.iter().map(|(t, p)| (*t, p.to_vec())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn unused_terms_leave_the_dictionary_and_kept_numbers_follow() {
        let old = ["apple", "kiwi", "pear"];
        let doc = kept(&[(2, 1)]); // pear only: apple and kiwi are no longer used
        let docs = [Terms::Kept(&doc), Terms::Numbered(Vec::new())];
        let dictionary = Dictionary::merge(&old, &[]);
        let inverted = Inverted::of(&dictionary, docs.iter());
        assert_eq!(inverted.dictionary().collect::<Vec<_>>(), ["pear"]);
        let mut out = Vec::new();
        assert!(!inverted.keeps_numbers(&dictionary));
        inverted.write_kept(&dictionary, false, &docs[0], &mut out);
        assert_eq!(
            out,
            [1, 0, 0, 0]
                .into_iter()
                .chain(kept(&[(0, 1)]))
                .collect::<Vec<_>>()
        );
    }
}
