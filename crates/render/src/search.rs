//! Search: a compact, sharded index written at build time, read by `static/search.js`. (The
//! search page and the tag and status listings it falls back to are in `browse`.)
//!
//! Layout under `search/` (every file is a small script that registers itself, so the index loads
//! from `file://` as well as from any web server sub-path):
//!
//! - `meta.js`: document count, document-shard boundaries, the term-shard keys.
//! - `t/<n>.js`: one term shard: the terms that start with its key, each with its postings; a key
//!   whose terms would be too large is split by the next character, and its own shard then holds
//!   the term equal to the key plus the union of the name-level postings of every term below it
//!   (so a short prefix typed so far still finds names without loading every sub-shard).
//! - `d/<n>.js`: display records of consecutive documents (title, url, facts, summary, columns).
//! - `facets.js`: per facet value, the documents that have it.
//!
//! Postings are delta-encoded document numbers, each shifted left by 3 bits with the field code
//! (what kind of text matched) in the low bits, written as base-45 digits with a continuation range.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde_json::{json, Value};

use catalog::Catalog;
use model::SchemaProperty;

use super::search_terms::{Dictionary, Inverted, Terms};
use super::{search_docs, views};

/// Field codes, best first: what kind of text a term came from in a document.
pub mod field {
    /// The whole name or id, joined into one token (`customerlifetimevalue`).
    pub const EXACT: u8 = 7;
    pub const NAME: u8 = 6;
    pub const ID: u8 = 5;
    pub const TAG: u8 = 4;
    pub const COLUMN: u8 = 3;
    pub const DESCRIPTION: u8 = 2;
    pub const COLUMN_DESCRIPTION: u8 = 1;
    pub const OTHER: u8 = 0;
}

/// Longest token kept (characters); longer ones are cut, in the browser too.
pub const MAX_TOKEN: usize = 40;
/// Longest joined name kept (characters).
pub const MAX_JOINED: usize = 64;
/// A term shard larger than this (bytes) is split by the next character.
const TERM_SHARD_BYTES: usize = 24 * 1024;
/// Deepest split: keys longer than this are never split further.
const MAX_KEY_CHARS: usize = 12;
/// A document shard is closed once it reaches this many bytes.
const DOC_SHARD_BYTES: usize = 12 * 1024;
/// Column names kept in a display record (contracts; products list their contracts' columns).
const MAX_COLUMNS: usize = 60;

/// Words too common in prose to help; they are indexed in names and ids only.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "the", "this", "to", "was", "with", "per", "all", "each", "one", "not", "only", "its",
    "we", "our", "can", "will", "may", "has", "have", "been", "that", "which", "e", "g", "i",
];

/// Split text into lowercase search tokens: runs of letters and digits, further split at
/// camelCase boundaries, so `customer_lifetime_value`, `customerLifetimeValue` and
/// `customer lifetime value` give the same tokens. `static/search.js` does exactly the same.
pub fn tokens(text: &str) -> Vec<String> {
    if text.is_ascii() {
        return ascii_tokens(text.as_bytes());
    }
    unicode_tokens(text)
}

/// [`tokens`] of ASCII text (nearly all of a catalog's text), byte by byte: the same tokens
/// without a `char` buffer and a second lowercase copy per token. The search index tokenises
/// every name, description and column of the catalog on every build.
fn ascii_tokens(text: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = None;
    let push = |from: usize, to: usize, out: &mut Vec<String>| {
        let token = &text[from..to.min(from + MAX_TOKEN)];
        // ASCII: each byte is one char, and lowercase keeps it ASCII.
        out.push(
            token
                .iter()
                .map(|b| b.to_ascii_lowercase() as char)
                .collect(),
        );
    };
    for (i, &c) in text.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if let Some(from) = start.take() {
                push(from, i, &mut out);
            }
            continue;
        }
        match start {
            None => start = Some(i),
            Some(from) if c.is_ascii_uppercase() => {
                let prev = text[i - 1];
                let next_lower = text.get(i + 1).is_some_and(u8::is_ascii_lowercase);
                if prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower)
                {
                    push(from, i, &mut out);
                    start = Some(i);
                }
            }
            Some(_) => {}
        }
    }
    if let Some(from) = start {
        push(from, text.len(), &mut out);
    }
    out
}

fn unicode_tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    let push = |current: &mut String, out: &mut Vec<String>| {
        if !current.is_empty() {
            let lower: String = current.to_lowercase().chars().take(MAX_TOKEN).collect();
            out.push(lower);
            current.clear();
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            push(&mut current, &mut out);
            continue;
        }
        if !current.is_empty() && c.is_uppercase() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_numeric() || (prev.is_uppercase() && next_lower) {
                push(&mut current, &mut out);
            }
        }
        current.push(c);
    }
    push(&mut current, &mut out);
    out
}

/// The tokens of a name joined into one, for exact and prefix matches of whole names.
pub fn joined(text: &str) -> String {
    tokens(text).concat().chars().take(MAX_JOINED).collect()
}

/// Base-45 digits with a continuation range, over 90 characters that need no escaping in a
/// JavaScript string: `#` to `}` without the backslash.
fn encode(mut v: u64, out: &mut String) {
    fn digit(d: u64) -> char {
        let c = 35 + d as u32;
        char::from_u32(if c >= 92 { c + 1 } else { c }).unwrap_or('#')
    }
    while v >= 45 {
        out.push(digit(45 + v % 45));
        v /= 45;
    }
    out.push(digit(v));
}

fn encode_postings(postings: &[(u32, u8)]) -> String {
    let mut out = String::with_capacity(postings.len() * 2);
    let mut last = 0u32;
    for (i, &(doc, code)) in postings.iter().enumerate() {
        let delta = if i == 0 { doc } else { doc - last };
        encode(((delta as u64) << 3) | code as u64, &mut out);
        last = doc;
    }
    out
}

fn encode_docs(docs: &[u32]) -> String {
    let mut out = String::with_capacity(docs.len() * 2);
    let mut last = 0u32;
    for (i, &doc) in docs.iter().enumerate() {
        encode(if i == 0 { doc } else { doc - last } as u64, &mut out);
        last = doc;
    }
    out
}

/// Maps over terms: filled once per token of the catalog on every build, where SipHash showed in
/// the profile. Their order never reaches the output (postings and terms are sorted).
type TermMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// The terms of one document with the best field each came from.
#[derive(Default)]
struct DocTerms {
    terms: TermMap<String, u8>,
}

impl DocTerms {
    fn put(&mut self, term: String, code: u8) {
        let slot = self.terms.entry(term).or_insert(code);
        if *slot < code {
            *slot = code;
        }
    }

    /// Every token of the text.
    fn text(&mut self, text: &str, code: u8) {
        for t in tokens(text) {
            if code <= field::DESCRIPTION && (STOP_WORDS.contains(&t.as_str()) || t.len() < 2) {
                continue;
            }
            self.put(t, code);
        }
    }

    /// A name: its tokens, and the whole name joined (`customerlifetimevalue`).
    fn name(&mut self, text: &str, word_code: u8, joined_code: u8) {
        self.text(text, word_code);
        let j = joined(text);
        if !j.is_empty() {
            self.put(j, joined_code);
        }
    }
}

/// One search result as the browser shows it.
struct Record {
    kind: &'static str,
    title: String,
    id: String,
    url: String,
    facts: Vec<String>,
    summary: String,
    columns: Vec<String>,
}

impl Record {
    fn to_json(&self) -> Value {
        json!([
            self.kind,
            self.title,
            self.id,
            self.url,
            self.facts.join(" · "),
            self.summary,
            self.columns.join(" ")
        ])
    }
}

/// Facet values of one document.
#[derive(Default)]
pub(crate) struct DocFacets {
    pub(crate) kind: &'static str,
    pub(crate) domain: Vec<String>,
    pub(crate) team: Vec<String>,
    pub(crate) status: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) pii: Option<bool>,
}

/// A document as the index takes it: its display record as JSON text, its terms with the best
/// field each came from, its facet values. Product and contract documents are kept between
/// builds in this form ([`super::search_docs`]), borrowed from the kept file's bytes (`'k`).
pub(crate) struct Made<'k> {
    pub(crate) record: Cow<'k, str>,
    pub(crate) terms: Terms<'k>,
    pub(crate) facets: DocFacets,
}

impl Made<'_> {
    fn of((record, terms, facets): Doc) -> Self {
        Made {
            record: Cow::Owned(record.to_json().to_string()),
            terms: Terms::Fresh(terms.terms.into_iter().collect()),
            facets,
        }
    }
}

fn columns<'a>(props: &'a [SchemaProperty], out: &mut Vec<&'a SchemaProperty>) {
    for p in props {
        out.push(p);
        columns(&p.properties, out);
    }
}

fn contract_columns(c: &model::DataContract) -> Vec<&SchemaProperty> {
    let mut out = Vec::new();
    for o in &c.schema {
        columns(&o.properties, &mut out);
    }
    out
}

fn description_text(main: Option<&str>, parts: &[model::Labelled]) -> String {
    let mut s = main.unwrap_or_default().to_string();
    for p in parts {
        s.push('\n');
        s.push_str(&p.text);
    }
    s
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    if list.len() < MAX_COLUMNS && !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

/// Everything the index is built from, in document order. Borrowed: the product and contract
/// documents are kept for the next build while the index is made from them.
struct Docs<'m, 'k>(Vec<&'m Made<'k>>);

/// One document: its display record, its terms and its facet values.
type Doc = (Record, DocTerms, DocFacets);

fn domain_name(catalog: &Catalog, id: Option<&str>) -> Option<String> {
    id.map(|d| catalog.domain(d).map_or(d, |x| &x.name).to_string())
}

/// An owner's name: the team's, or the person's where the owner is one.
fn team_name(catalog: &Catalog, id: Option<&str>) -> Option<String> {
    id.map(|t| match catalog.team(t) {
        Some(x) => x.name.clone(),
        None => catalog
            .person_by_id
            .get(t)
            .and_then(|&i| catalog.persons[i].name.clone())
            .unwrap_or_else(|| t.to_string()),
    })
}

/// The summary shown in a result: the description's start, else its first part's.
fn result_summary(main: Option<&str>, parts: &[model::Labelled]) -> String {
    views::summary(main, 160)
        .or_else(|| {
            parts
                .first()
                .and_then(|p| views::summary(Some(&p.text), 160))
        })
        .unwrap_or_default()
}

/// The product and contract documents, in catalog order: those the last build kept under the
/// same input key are taken as they are, the others made afresh (in parallel: each reads only
/// the catalog).
fn entity_docs<'k>(
    catalog: &Catalog,
    kept_products: Vec<Option<Made<'k>>>,
    kept_contracts: Vec<Option<Made<'k>>>,
) -> (Vec<Made<'k>>, Vec<Made<'k>>) {
    let products = kept_products
        .into_par_iter()
        .enumerate()
        .map(|(pi, kept)| kept.unwrap_or_else(|| Made::of(product_doc(catalog, pi))))
        .collect();
    let contracts = kept_contracts
        .into_par_iter()
        .enumerate()
        .map(|(ci, kept)| kept.unwrap_or_else(|| Made::of(contract_doc(catalog, ci))))
        .collect();
    (products, contracts)
}

/// Products, each followed by the contracts it exposes, then the other contracts, and `others`
/// ([`other_docs`]).
fn collect<'m, 'k>(
    catalog: &Catalog,
    products: &'m [Made<'k>],
    contracts: &'m [Made<'k>],
    others: &'m [Made<'k>],
) -> Docs<'m, 'k> {
    let mut docs = Vec::with_capacity(products.len() + contracts.len() + others.len());
    let mut placed = vec![false; contracts.len()];
    for (pi, made) in products.iter().enumerate() {
        docs.push(made);
        // A product's contracts follow it, so that both usually sit in one document shard.
        for ci in own_contracts(catalog, pi) {
            if !std::mem::replace(&mut placed[ci], true) {
                docs.push(&contracts[ci]);
            }
        }
    }
    docs.extend(
        contracts
            .iter()
            .zip(&placed)
            .filter(|(_, &placed)| !placed)
            .map(|(made, _)| made),
    );
    docs.extend(others);
    Docs(docs)
}

/// The domains, teams, people and glossary terms, in that order.
fn other_docs<'k>(catalog: &Catalog) -> Vec<Made<'k>> {
    let mut docs = Vec::new();
    for i in 0..catalog.domains.len() {
        docs.push(Made::of(domain_doc(catalog, i)));
    }
    for i in 0..catalog.teams.len() {
        docs.push(Made::of(team_doc(catalog, i)));
    }
    for person in &catalog.people.entries {
        docs.push(Made::of(person_doc(catalog, person)));
    }
    for i in 0..catalog.glossary.terms.len() {
        docs.push(Made::of(term_doc(catalog, i)));
    }
    docs
}

/// The contracts product `pi` exposes, in the order of its ports.
fn own_contracts(catalog: &Catalog, pi: usize) -> Vec<usize> {
    let p = &catalog.products[pi];
    p.output_ports
        .iter()
        .filter_map(|port| exposed_contract(catalog, pi, port))
        .collect()
}

/// A glossary term, found by its name, id and synonyms; its page lists where it is used.
fn term_doc(catalog: &Catalog, i: usize) -> Doc {
    let t = &catalog.glossary.terms[i];
    let u = &catalog.glossary.usages[i];
    let mut terms = DocTerms::default();
    terms.name(&t.name, field::NAME, field::EXACT);
    if t.source_kind != "external" {
        terms.name(&t.id, field::ID, field::EXACT);
    }
    for s in &t.synonyms {
        terms.name(s, field::NAME, field::EXACT);
    }
    for tag in &t.tags {
        terms.text(tag, field::TAG);
    }
    if let Some(d) = &t.description {
        terms.text(d, field::DESCRIPTION);
    }
    let mut facts = vec!["Glossary term".to_string()];
    facts.extend(domain_name(catalog, t.domain.as_deref()));
    let n = u.columns.len();
    facts.push(format!("{n} column{}", if n == 1 { "" } else { "s" }));
    let record = Record {
        kind: "g",
        title: t.name.clone(),
        id: t.id.clone(),
        url: super::glossary_pages::term_url(&t.slug),
        facts,
        summary: views::summary(t.description.as_deref(), 160).unwrap_or_default(),
        columns: t.synonyms.iter().take(8).cloned().collect(),
    };
    let facets = DocFacets {
        kind: "term",
        domain: t.domain.iter().cloned().collect(),
        team: t.owner.iter().cloned().collect(),
        tags: t.tags.clone(),
        pii: t.pii,
        ..DocFacets::default()
    };
    (record, terms, facets)
}

fn contract_doc(catalog: &Catalog, ci: usize) -> Doc {
    let c = &catalog.contracts[ci];
    let mut terms = DocTerms::default();
    terms.name(&c.name, field::NAME, field::EXACT);
    terms.name(&c.id, field::ID, field::EXACT);
    for t in &c.tags {
        terms.text(t, field::TAG);
    }
    terms.text(
        &description_text(c.description.as_deref(), &c.description_parts),
        field::DESCRIPTION,
    );
    let mut cols = Vec::new();
    let mut pii = false;
    for o in &c.schema {
        terms.name(&o.name, field::COLUMN, field::COLUMN);
        for n in [&o.physical_name, &o.business_name].into_iter().flatten() {
            terms.name(n, field::COLUMN, field::COLUMN);
        }
        if let Some(d) = &o.description {
            terms.text(d, field::COLUMN_DESCRIPTION);
        }
    }
    for p in contract_columns(c) {
        terms.name(&p.name, field::COLUMN, field::COLUMN);
        if let Some(b) = &p.business_name {
            terms.name(b, field::COLUMN, field::COLUMN);
        }
        for s in &p.synonyms {
            terms.name(&s.synonym, field::COLUMN, field::COLUMN);
        }
        if let Some(d) = &p.description {
            terms.text(d, field::COLUMN_DESCRIPTION);
        }
        for t in &p.tags {
            terms.text(t, field::COLUMN_DESCRIPTION);
        }
        push_unique(&mut cols, &p.name);
        pii |= catalog::ports::personal(p);
    }
    let mut facts = Vec::new();
    if let Some(v) = &c.version {
        facts.push(format!("v{v}"));
    }
    facts.extend(domain_name(catalog, c.domain.as_deref()));
    facts.extend(team_name(catalog, c.owner.as_deref()));
    facts.extend(c.status.clone());
    let record = Record {
        kind: "c",
        title: c.name.clone(),
        id: c.id.clone(),
        url: views::contract_url(&c.slug),
        facts,
        summary: result_summary(c.description.as_deref(), &c.description_parts),
        columns: cols,
    };
    let facets = DocFacets {
        kind: "contract",
        domain: c.domain.iter().cloned().collect(),
        team: c.owner.iter().cloned().collect(),
        status: c.status.as_deref().map(str::to_lowercase),
        tags: c.tags.clone(),
        pii: Some(pii),
    };
    (record, terms, facets)
}

/// A product's document: with the columns of the contracts it exposes (each exposed by this
/// product only).
fn product_doc(catalog: &Catalog, pi: usize) -> Doc {
    let p = &catalog.products[pi];
    let mut terms = DocTerms::default();
    terms.name(&p.name, field::NAME, field::EXACT);
    terms.name(&p.id, field::ID, field::EXACT);
    for t in &p.tags {
        terms.text(t, field::TAG);
    }
    // Other names of the product are found like its tags.
    for s in &p.synonyms {
        terms.text(&s.synonym, field::TAG);
    }
    terms.text(
        &description_text(p.description.as_deref(), &p.description_parts),
        field::DESCRIPTION,
    );
    for port in p
        .input_ports
        .iter()
        .map(|x| (&x.name, &x.description))
        .chain(p.output_ports.iter().map(|x| (&x.name, &x.description)))
    {
        terms.text(port.0, field::OTHER);
        if let Some(d) = port.1 {
            terms.text(d, field::OTHER);
        }
    }
    let mut cols = Vec::new();
    for ci in own_contracts(catalog, pi) {
        for col in contract_columns(&catalog.contracts[ci]) {
            terms.name(&col.name, field::COLUMN, field::COLUMN);
            if let Some(b) = &col.business_name {
                terms.name(b, field::COLUMN, field::COLUMN);
            }
            push_unique(&mut cols, &col.name);
        }
    }
    let mut facts = Vec::new();
    facts.extend(domain_name(catalog, p.domain.as_deref()));
    facts.extend(team_name(catalog, p.owner.as_deref()));
    facts.extend(p.status.clone());
    let record = Record {
        kind: "p",
        title: p.name.clone(),
        id: p.id.clone(),
        url: views::product_url(&p.slug),
        facts,
        summary: result_summary(p.description.as_deref(), &p.description_parts),
        columns: cols,
    };
    let facets = DocFacets {
        kind: "product",
        domain: p.domain.iter().cloned().collect(),
        team: p.owner.iter().cloned().collect(),
        status: p.status.as_deref().map(str::to_lowercase),
        tags: p.tags.clone(),
        // The same verdict as the product page's ports: not stated counts as "no" here.
        pii: Some(catalog::ports::product_pii(catalog, p) == Some(true)),
    };
    (record, terms, facets)
}

/// The contract of an output port, when product `pi` is the one that exposes it: only that
/// product carries the contract's columns.
fn exposed_contract(catalog: &Catalog, pi: usize, port: &model::OutputPort) -> Option<usize> {
    let &ci = port
        .contract_id
        .as_ref()
        .and_then(|id| catalog.contract_by_id.get(id))?;
    let provider = catalog.contract_provider.get(&catalog.contracts[ci].id);
    (provider.map(|x| x.0) == Some(pi)).then_some(ci)
}

fn domain_doc(catalog: &Catalog, i: usize) -> Doc {
    let d = &catalog.domains[i];
    let mut terms = DocTerms::default();
    terms.name(&d.name, field::NAME, field::EXACT);
    terms.name(&d.id, field::ID, field::EXACT);
    if let Some(text) = &d.description {
        terms.text(text, field::DESCRIPTION);
    }
    let n = catalog.domain_products[i].len();
    let mut facts = vec![format!("{n} product{}", if n == 1 { "" } else { "s" })];
    facts.extend(team_name(catalog, d.owner.as_deref()));
    let record = Record {
        kind: "d",
        title: d.name.clone(),
        id: d.id.clone(),
        url: views::domain_url(&d.slug),
        facts,
        summary: views::summary(d.description.as_deref(), 160).unwrap_or_default(),
        columns: Vec::new(),
    };
    let facets = DocFacets {
        kind: "domain",
        domain: vec![d.id.clone()],
        team: d.owner.iter().cloned().collect(),
        ..DocFacets::default()
    };
    (record, terms, facets)
}

fn team_doc(catalog: &Catalog, i: usize) -> Doc {
    let t = &catalog.teams[i];
    let mut terms = DocTerms::default();
    terms.name(&t.name, field::NAME, field::EXACT);
    terms.name(&t.id, field::ID, field::EXACT);
    if let Some(text) = &t.description {
        terms.text(text, field::DESCRIPTION);
    }
    let n = catalog.team_products[i].len();
    let mut facts = vec![format!("{n} product{}", if n == 1 { "" } else { "s" })];
    facts.extend(domain_name(catalog, t.domain.as_deref()));
    let record = Record {
        kind: "t",
        title: t.name.clone(),
        id: t.id.clone(),
        url: views::team_url(&t.slug),
        facts,
        summary: views::summary(t.description.as_deref(), 160).unwrap_or_default(),
        columns: Vec::new(),
    };
    let facets = DocFacets {
        kind: "team",
        domain: t.domain.iter().cloned().collect(),
        team: vec![t.id.clone()],
        ..DocFacets::default()
    };
    (record, terms, facets)
}

/// A person, found by name, id and email; the result opens their page.
fn person_doc(catalog: &Catalog, entry: &catalog::people::PersonEntry) -> Doc {
    let person = &entry.person;
    let title = person.name.clone().unwrap_or_else(|| person.id.clone());
    let mut terms = DocTerms::default();
    terms.name(&title, field::NAME, field::EXACT);
    terms.name(&person.id, field::ID, field::EXACT);
    if let Some(e) = &person.email {
        terms.text(e, field::ID);
    }
    let mut facts: Vec<String> = person
        .teams
        .iter()
        .filter_map(|t| team_name(catalog, Some(t)))
        .collect();
    facts.extend(person.email.clone());
    let record = Record {
        kind: "u",
        title,
        id: person.id.clone(),
        url: super::people_pages::person_url(&entry.slug),
        facts,
        summary: String::new(),
        columns: Vec::new(),
    };
    let facets = DocFacets {
        kind: "person",
        team: person.teams.clone(),
        ..DocFacets::default()
    };
    (record, terms, facets)
}

/// A term and its postings, sorted by document.
type Term<'a> = (&'a str, &'a [(u32, u8)]);

/// One term shard: its key, whether it was split, and its payload.
struct TermShard {
    key: String,
    split: bool,
    prefix_postings: String,
    lines: String,
}

fn term_size(t: &Term) -> usize {
    t.0.len() + t.1.len() * 2 + 2
}

/// Cut the sorted terms into shards by prefix; `terms` all start with `key` (in characters).
fn shard_terms(terms: &[Term], key: &str, depth: usize, out: &mut Vec<TermShard>) {
    if depth == 0 {
        // Each first character's shards are cut on their own thread, then joined in order.
        let parts: Vec<Vec<TermShard>> = first_character_groups(terms)
            .into_par_iter()
            .map(|(next, group)| {
                let mut shards = Vec::new();
                shard_terms(group, &next, 1, &mut shards);
                shards
            })
            .collect();
        out.extend(parts.into_iter().flatten());
        return;
    }
    let size: usize = terms.iter().map(term_size).sum();
    if depth > 0 && (size <= TERM_SHARD_BYTES || depth >= MAX_KEY_CHARS) {
        let mut lines = String::with_capacity(size);
        for t in terms {
            lines.push_str(t.0);
            lines.push('\t');
            lines.push_str(&encode_postings(t.1));
            lines.push('\n');
        }
        out.push(TermShard {
            key: key.to_string(),
            split: false,
            prefix_postings: String::new(),
            lines,
        });
        return;
    }
    let mut rest = terms;
    {
        // The term equal to the key (if any) sorts first; the prefix postings keep names only.
        let mut lines = String::new();
        if let Some(first) = terms.first().filter(|t| t.0 == key) {
            lines.push_str(first.0);
            lines.push('\t');
            lines.push_str(&encode_postings(first.1));
            lines.push('\n');
            rest = &terms[1..];
        }
        let mut union: Vec<(u32, u8)> = terms
            .iter()
            .flat_map(|t| t.1.iter().copied())
            .filter(|&(_, code)| code >= field::ID)
            .collect();
        union.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        union.dedup_by_key(|p| p.0);
        out.push(TermShard {
            key: key.to_string(),
            split: true,
            prefix_postings: encode_postings(&union),
            lines,
        });
    }
    // Group the remaining terms by their next character.
    let mut start = 0;
    while start < rest.len() {
        let next: String = rest[start].0.chars().take(depth + 1).collect();
        let mut end = start + 1;
        while end < rest.len() && rest[end].0.starts_with(next.as_str()) {
            end += 1;
        }
        shard_terms(&rest[start..end], &next, depth + 1, out);
        start = end;
    }
}

/// Sorted terms grouped by their first character, each group with that character as its key.
fn first_character_groups<'t, 'a>(terms: &'t [Term<'a>]) -> Vec<(String, &'t [Term<'a>])> {
    let mut groups = Vec::new();
    let mut start = 0;
    while start < terms.len() {
        let next: String = terms[start].0.chars().take(1).collect();
        let mut end = start + 1;
        while end < terms.len() && terms[end].0.starts_with(next.as_str()) {
            end += 1;
        }
        groups.push((next, &terms[start..end]));
        start = end;
    }
    groups
}

/// Facet name in the URL, and the values of one document.
const FACETS: &[&str] = &["kind", "domain", "team", "status", "tag", "pii"];

fn facet_values(f: &DocFacets, facet: &str) -> Vec<String> {
    match facet {
        "kind" => vec![f.kind.to_string()],
        "domain" => f.domain.clone(),
        "team" => f.team.clone(),
        "status" => f.status.iter().cloned().collect(),
        "tag" => {
            let mut tags: Vec<String> = f.tags.iter().map(|t| t.trim().to_lowercase()).collect();
            tags.sort();
            tags.dedup();
            tags
        }
        "pii" => f
            .pii
            .map(|p| if p { "yes" } else { "no" }.to_string())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

fn facets_json(catalog: &Catalog, docs: &Docs) -> Value {
    let mut out = serde_json::Map::new();
    for &facet in FACETS {
        let mut values: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (doc, made) in docs.0.iter().enumerate() {
            for v in facet_values(&made.facets, facet) {
                let list = values.entry(v).or_default();
                if list.last() != Some(&(doc as u32)) {
                    list.push(doc as u32);
                }
            }
        }
        let label = |v: &str| -> String {
            match facet {
                "domain" => catalog.domain(v).map_or(v, |d| &d.name).to_string(),
                "team" => catalog.team(v).map_or(v, |t| &t.name).to_string(),
                _ => v.to_string(),
            }
        };
        let mut ids = Vec::new();
        let mut labels = Vec::new();
        let mut docs = Vec::new();
        for (v, list) in &values {
            labels.push(label(v));
            ids.push(v.clone());
            docs.push(encode_docs(list));
        }
        out.insert(
            facet.to_string(),
            json!({ "values": ids, "labels": labels, "docs": docs }),
        );
    }
    Value::Object(out)
}

fn script(name: &str, payload: &Value) -> Vec<u8> {
    let name = serde_json::to_string(name).unwrap_or_default();
    format!("meshdocSearch.load({name},{payload});\n").into_bytes()
}

/// One file of the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shard {
    Docs(usize),
    Terms(usize),
    Facets,
    Meta,
}

impl Shard {
    pub fn path(self) -> String {
        match self {
            Shard::Docs(n) => format!("search/d/{n}.js"),
            Shard::Terms(n) => format!("search/t/{n}.js"),
            Shard::Facets => "search/facets.js".into(),
            Shard::Meta => "search/meta.js".into(),
        }
    }
}

/// The search index, built once per site; each shard is then written as a planned file.
pub struct Index {
    /// Per document shard: its first document and its records as one JSON array.
    docs: Vec<(usize, String)>,
    terms: Vec<TermShard>,
    facets: Value,
    documents: usize,
}

impl Index {
    pub fn build(catalog: &Catalog) -> Index {
        Self::build_reusing(catalog, None)
    }

    /// [`Index::build`], taking the product and contract documents whose input keys are those
    /// the last build kept, and keeping this build's for the next one.
    pub fn build_reusing(catalog: &Catalog, reuse: Option<&search_docs::Reuse>) -> Index {
        let bytes = reuse.map(search_docs::Reuse::read).unwrap_or_default();
        let kept = match reuse {
            Some(r) => r.load(&bytes, catalog),
            None => search_docs::Kept::none(catalog),
        };
        let made_afresh = kept.missing();
        let (mut products, mut contracts) = entity_docs(catalog, kept.products, kept.contracts);
        let mut others = other_docs(catalog);
        // Every term of this build numbered: the kept dictionary and the terms new to it.
        let every = || products.iter().chain(&contracts).chain(&others);
        let new = super::search_terms::new_terms(
            &kept.dictionary,
            &every().map(|m| &m.terms).collect::<Vec<_>>(),
        );
        let dictionary = Dictionary::merge(&kept.dictionary, &new);
        dictionary.number(
            &mut products
                .iter_mut()
                .chain(&mut contracts)
                .chain(&mut others)
                .map(|m| &mut m.terms)
                .collect::<Vec<_>>(),
        );
        let docs = collect(catalog, &products, &contracts, &others);
        let (inverted, (doc_shards, facets)) = rayon::join(
            || Inverted::of(&dictionary, docs.0.iter().map(|m| &m.terms)),
            || rayon::join(|| doc_shards(&docs), || facets_json(catalog, &docs)),
        );
        // The documents are kept for the next build while the term shards are cut.
        let (terms, ()) = rayon::join(
            || {
                let mut shards = Vec::new();
                shard_terms(&inverted.terms(), "", 0, &mut shards);
                shards
            },
            || {
                if let Some(r) = reuse.filter(|_| made_afresh > 0) {
                    r.store(catalog, (&products, &contracts), &dictionary, &inverted);
                }
            },
        );
        Index {
            docs: doc_shards,
            terms,
            facets,
            documents: docs.0.len(),
        }
    }

    /// Every shard, in the order they are written.
    pub fn shards(&self) -> impl Iterator<Item = Shard> + '_ {
        (0..self.docs.len())
            .map(Shard::Docs)
            .chain((0..self.terms.len()).map(Shard::Terms))
            .chain([Shard::Facets, Shard::Meta])
    }

    /// A hash of a shard's file, from what its bytes are made of (without writing them): a
    /// shard is written again only when it changes, not whenever any document does.
    pub fn content_hash(&self, shard: Shard) -> u64 {
        use std::hash::BuildHasher;
        let state = foldhash::fast::FixedState::default();
        match shard {
            Shard::Docs(n) => state.hash_one((0u8, n, &self.docs[n].1)),
            Shard::Terms(n) => {
                let s = &self.terms[n];
                state.hash_one((1u8, n, &s.key, s.split, &s.prefix_postings, &s.lines))
            }
            Shard::Facets | Shard::Meta => state.hash_one((2u8, self.file(shard))),
        }
    }

    pub fn file(&self, shard: Shard) -> Vec<u8> {
        match shard {
            Shard::Docs(n) => {
                format!("meshdocSearch.load(\"d{n}\",{});\n", self.docs[n].1).into_bytes()
            }
            Shard::Terms(n) => {
                let s = &self.terms[n];
                script(
                    &format!("t{n}"),
                    &json!({ "k": s.key, "s": s.split, "p": s.prefix_postings, "t": s.lines }),
                )
            }
            Shard::Facets => script("facets", &self.facets),
            Shard::Meta => {
                let starts: Vec<usize> = self.docs.iter().map(|d| d.0).collect();
                let keys: Vec<&str> = self.terms.iter().map(|s| s.key.as_str()).collect();
                script(
                    "meta",
                    &json!({
                        "version": 1,
                        "docs": self.documents,
                        "docShards": starts,
                        "termShards": keys,
                        "maxKey": MAX_KEY_CHARS,
                        "maxToken": MAX_TOKEN,
                        "maxJoined": MAX_JOINED,
                    }),
                )
            }
        }
    }
}

/// Document shards: consecutive records up to a byte budget.
fn doc_shards(docs: &Docs) -> Vec<(usize, String)> {
    let mut shards = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut size = 0;
    let mut first = 0;
    for (i, r) in docs.0.iter().map(|d| &*d.record).enumerate() {
        if current.is_empty() {
            first = i;
        }
        size += r.len() + 1;
        current.push(r);
        if size >= DOC_SHARD_BYTES {
            shards.push((first, format!("[{}]", current.join(","))));
            current.clear();
            size = 0;
        }
    }
    if !current.is_empty() {
        shards.push((first, format!("[{}]", current.join(","))));
    }
    shards
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_words_give_the_same_tokens() {
        let words = vec!["customer", "lifetime", "value"];
        assert_eq!(tokens("customer_lifetime_value"), words);
        assert_eq!(tokens("customerLifetimeValue"), words);
        assert_eq!(tokens("Customer lifetime value"), words);
        assert_eq!(tokens("CustomerLifetimeValue"), words);
        assert_eq!(tokens("customer-lifetime.value"), words);
        assert_eq!(joined("customer_lifetime_value"), "customerlifetimevalue");
    }

    #[test]
    fn ascii_text_gives_the_tokens_of_the_general_path() {
        let samples = [
            "customer_lifetime_value",
            "CustomerLifetimeValue HTMLParser orderV2Id address_line1",
            "ABCdef aB Ab AB ab1C 1A A1 a1b2C3 __x__ --Y-- z",
            "  The orders of the day, per customer (e.g. 3 per hour).  ",
            "",
            "X",
            "UUID2String toURLs iOSApp ALLCAPS",
        ];
        let long = format!("{}B{}", "a".repeat(70), "C".repeat(50));
        for text in samples.iter().copied().chain([long.as_str()]) {
            assert_eq!(
                ascii_tokens(text.as_bytes()),
                unicode_tokens(text),
                "{text:?}"
            );
        }
        // Every short string over a few significant characters.
        let alphabet = [b'a', b'B', b'1', b' ', b'_'];
        for n in 0..5u32 {
            for k in 0..alphabet.len().pow(n) {
                let mut k = k;
                let text: String = (0..n)
                    .map(|_| {
                        let c = alphabet[k % alphabet.len()] as char;
                        k /= alphabet.len();
                        c
                    })
                    .collect();
                assert_eq!(
                    ascii_tokens(text.as_bytes()),
                    unicode_tokens(&text),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn acronyms_digits_and_other_scripts() {
        assert_eq!(tokens("HTMLParser"), vec!["html", "parser"]);
        assert_eq!(tokens("address_line1"), vec!["address", "line1"]);
        assert_eq!(tokens("orderV2Id"), vec!["order", "v2", "id"]);
        assert_eq!(tokens("Straße Größe"), vec!["straße", "größe"]);
        assert_eq!(tokens("🚀 <b>\"x\"</b> .*+?"), vec!["b", "x", "b"]);
        assert!(tokens(&"a".repeat(1000))[0].chars().count() == MAX_TOKEN);
    }

    fn decode(s: &str) -> Vec<u64> {
        let mut out = Vec::new();
        let (mut v, mut mul) = (0u64, 1u64);
        for c in s.chars() {
            let mut d = c as u64 - 35;
            if c as u32 > 92 {
                d -= 1;
            }
            if d >= 45 {
                v += (d - 45) * mul;
                mul *= 45;
            } else {
                out.push(v + d * mul);
                v = 0;
                mul = 1;
            }
        }
        out
    }

    #[test]
    fn postings_round_trip_and_avoid_escapes() {
        let postings = vec![(0, 7), (3, 1), (4, 0), (300, 6), (100_000, 2)];
        let s = encode_postings(&postings);
        assert!(!s.contains('\\') && !s.contains('"'));
        let values = decode(&s);
        let mut doc = 0;
        let back: Vec<(u32, u8)> = values
            .iter()
            .map(|v| {
                doc += (v >> 3) as u32;
                (doc, (v & 7) as u8)
            })
            .collect();
        assert_eq!(back, postings);
    }

    fn catalog_of(descriptions: &[&str]) -> Catalog {
        let mut catalog = Catalog::default();
        for (i, d) in descriptions.iter().enumerate() {
            let id = format!("product-{i}");
            catalog.product_by_id.insert(id.clone(), i);
            catalog.products.push(model::DataProduct {
                name: format!("Product {i}"),
                slug: id.clone(),
                id,
                description: Some(d.to_string()),
                ..Default::default()
            });
        }
        catalog
    }

    fn files(index: &Index) -> Vec<(String, Vec<u8>)> {
        index.shards().map(|s| (s.path(), index.file(s))).collect()
    }

    /// Documents kept from the last build (their terms numbered into its dictionary) give the
    /// index a cold build gives, as terms come and go; a kept file whose numbers are out of
    /// order or out of range is ignored as a whole.
    #[test]
    fn kept_documents_give_the_index_of_a_cold_build() {
        let dir = std::env::temp_dir().join(format!("meshdoc-search-docs-{}", std::process::id()));
        let file = dir.join("kept.search");
        let rounds: [&[&str]; 4] = [
            &[
                "Orders of the shop",
                "Customers and their addresses",
                "Stock levels",
            ],
            &[
                "Orders of the shop",
                "Customers, deduplicated",
                "Stock levels",
            ],
            &[
                "Orders of the shop",
                "Customers, deduplicated",
                "Zebra crossings",
                "Apples",
            ],
            &["Apples", "Customers, deduplicated"],
        ];
        for descriptions in rounds {
            let catalog = catalog_of(descriptions);
            let keys: Vec<u64> = descriptions.iter().map(|d| model::slug::fnv1a(d)).collect();
            let reuse = search_docs::Reuse {
                file: file.clone(),
                products: &keys,
                contracts: &[],
            };
            let kept = Index::build_reusing(&catalog, Some(&reuse));
            assert_eq!(
                files(&kept),
                files(&Index::build(&catalog)),
                "{descriptions:?}"
            );
            // Taken again, every document from the file.
            let again = Index::build_reusing(&catalog, Some(&reuse));
            assert_eq!(files(&again), files(&Index::build(&catalog)));
        }
        let bytes = std::fs::read(&file).unwrap();
        let catalog = catalog_of(rounds[3]);
        let keys: Vec<u64> = rounds[3].iter().map(|d| model::slug::fnv1a(d)).collect();
        let reuse = search_docs::Reuse {
            file: file.clone(),
            products: &keys,
            contracts: &[],
        };
        let loaded = search_docs::Reuse::load(&reuse, &bytes, &catalog);
        assert_eq!(loaded.missing(), 0, "the file keeps both documents");
        // A term number past the dictionary's end: nothing is taken.
        let mut damaged = bytes.clone();
        let words = loaded.dictionary.len() as u32;
        let Some(super::Made {
            terms: Terms::Kept(first),
            ..
        }) = &loaded.products[0]
        else {
            panic!("the first product is kept");
        };
        let at = first.as_ptr() as usize - bytes.as_ptr() as usize;
        damaged[at..at + 4].copy_from_slice(&words.to_le_bytes());
        let loaded = search_docs::Reuse::load(&reuse, &damaged, &catalog);
        assert_eq!(loaded.missing(), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn large_prefixes_are_split_and_keep_name_postings() {
        let names: Vec<String> = (0..4000).map(|i| format!("customer{i:05}")).collect();
        let postings: Vec<[(u32, u8); 1]> = (0..4000).map(|i| [(i, field::NAME)]).collect();
        let mut terms: Vec<Term> = names
            .iter()
            .zip(&postings)
            .map(|(n, p)| (n.as_str(), &p[..]))
            .collect();
        terms.push(("zebra", &[(1, field::DESCRIPTION)]));
        terms.sort();
        let mut shards = Vec::new();
        shard_terms(&terms, "", 0, &mut shards);
        let c = shards.iter().find(|s| s.key == "c").unwrap();
        assert!(c.split && !c.prefix_postings.is_empty());
        assert!(shards.iter().any(|s| s.key == "z" && !s.split));
        assert!(shards
            .iter()
            .all(|s| s.lines.len() + s.prefix_postings.len() <= 2 * TERM_SHARD_BYTES));
        // Every term is in exactly one shard.
        let n: usize = shards.iter().map(|s| s.lines.lines().count()).sum();
        assert_eq!(n, terms.len());
    }
}
