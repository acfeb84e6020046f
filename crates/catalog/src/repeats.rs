//! Documents repeated word for word — one document pasted twice into a file, or one file copied
//! into two folders — are one document: read once, with one `repeated-document` warning at each
//! extra copy. Whatever kind it is (products, contracts, teams, persons, domains, agreements,
//! source systems, Backstage entities), it is kept once, so nothing downstream (lineage edges,
//! "read by" lists, merged teams) sees it twice.

use std::collections::{HashMap, HashSet};

use formats::identity::entity_of;
use formats::Document;
use model::diagnostics::Diagnostic;
use model::{Code, Origin};

/// (kind, id, fingerprint) of a document that has a fingerprint, borrowed from it: every
/// document of every source passes through here on every build, so nothing is copied.
type Key<'a> = (&'static str, &'a str, &'a str);

fn key(doc: &Document) -> Option<(Key<'_>, &Origin)> {
    let (kind, id, origin) = entity_of(doc)?;
    let fingerprint = origin.fingerprint.as_deref()?;
    Some(((kind, id, fingerprint), origin))
}

fn order(o: &Origin) -> (&str, &str, u32) {
    (&o.source, &o.path, o.line)
}

/// Keep the first copy (by source, path and line) of every repeated document; warn at the others.
pub(crate) fn collapse(
    documents: Vec<Document>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Document> {
    // Per key, the index of the copy kept so far.
    let mut first: HashMap<Key, usize> = HashMap::with_capacity(documents.len());
    let mut repeats = false;
    for (i, doc) in documents.iter().enumerate() {
        let Some((k, origin)) = key(doc) else {
            continue;
        };
        match first.get_mut(&k) {
            Some(kept) => {
                repeats = true;
                let kept_origin = key(&documents[*kept]).map(|(_, o)| o);
                if kept_origin.is_some_and(|o| order(origin) < order(o)) {
                    *kept = i;
                }
            }
            None => {
                first.insert(k, i);
            }
        }
    }
    if !repeats {
        return documents;
    }
    let mut dropped = vec![false; documents.len()];
    let mut warned: HashSet<(&str, &str, u32)> = HashSet::new();
    for (i, doc) in documents.iter().enumerate() {
        let Some((k, origin)) = key(doc) else {
            continue;
        };
        let Some(&kept) = first.get(&k) else {
            continue;
        };
        if kept == i {
            continue;
        }
        dropped[i] = true;
        if warned.insert(order(origin)) {
            if let Some((_, kept_origin)) = key(&documents[kept]) {
                diagnostics.push(repeated(origin, kept_origin));
            }
        }
    }
    drop(first);
    drop(warned);
    documents
        .into_iter()
        .zip(dropped)
        .filter_map(|(doc, dropped)| (!dropped).then_some(doc))
        .collect()
}

fn repeated(copy: &Origin, kept: &Origin) -> Diagnostic {
    let there = if copy.source == kept.source && copy.path == kept.path {
        format!("the document at line {} of this file", kept.line)
    } else {
        format!("{}/{}:{}", kept.source, kept.path, kept.line)
    };
    Diagnostic::warning(
        Code::RepeatedDocument,
        format!("this document repeats {there} word for word; it is read once"),
    )
    .at_file(&copy.source, &copy.path)
    .at(copy.line.max(1), 1)
    .hint("delete one of the copies (or change one, if they were meant to differ)")
}
