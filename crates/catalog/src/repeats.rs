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

/// (kind, id, fingerprint) of a document that has a fingerprint.
type Key = (&'static str, String, String);

fn key(doc: &Document) -> Option<(Key, &Origin)> {
    let (kind, id, origin) = entity_of(doc)?;
    let fingerprint = origin.fingerprint.clone()?;
    Some(((kind, id.to_string(), fingerprint), origin))
}

fn order(o: &Origin) -> (&str, &str, u32) {
    (&o.source, &o.path, o.line)
}

/// Keep the first copy (by source, path and line) of every repeated document; warn at the others.
pub(crate) fn collapse(
    documents: Vec<Document>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Document> {
    let mut first: HashMap<Key, (Origin, usize)> = HashMap::new();
    for (i, doc) in documents.iter().enumerate() {
        let Some((k, origin)) = key(doc) else {
            continue;
        };
        match first.get_mut(&k) {
            Some(slot) if order(origin) < order(&slot.0) => *slot = (origin.clone(), i),
            Some(_) => {}
            None => {
                first.insert(k, (origin.clone(), i));
            }
        }
    }
    let mut warned: HashSet<(String, String, u32)> = HashSet::new();
    let mut kept = Vec::with_capacity(documents.len());
    for (i, doc) in documents.into_iter().enumerate() {
        let Some((k, origin)) = key(&doc) else {
            kept.push(doc);
            continue;
        };
        let Some((kept_origin, kept_index)) = first.get(&k) else {
            kept.push(doc);
            continue;
        };
        if *kept_index == i {
            kept.push(doc);
            continue;
        }
        if warned.insert((origin.source.clone(), origin.path.clone(), origin.line)) {
            diagnostics.push(repeated(origin, kept_origin));
        }
    }
    kept
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
