//! The business glossary: terms from definitions files, from DCS contracts' own `definitions`, and
//! from the authoritative definitions (`businessDefinition`, `glossary`) that columns, contracts
//! and products link to; and, per term, where it is used. Every column of every current contract
//! is visited once, so the index costs one pass over the schemas however many terms there are.

use std::collections::HashMap;

use model::diagnostics::Diagnostic;
use model::display::humanize;
use model::slug::{slug, SlugSet};
use model::yaml::Pos;
use model::{Code, DataContract, Link, Origin, SchemaProperty, Term};

use crate::{locate, Catalog};

/// Link types that name a business term (ODCS/ODPS `authoritativeDefinitions[].type`).
const TERM_LINK_TYPES: &[&str] = &["businessdefinition", "glossary"];

/// How many alternative names a term collects from the columns that use it.
const MAX_COLLECTED_SYNONYMS: usize = 20;

/// The glossary, sorted by name; usages indexed per term.
#[derive(Debug, Default)]
pub struct Glossary {
    pub terms: Vec<Term>,
    pub by_id: HashMap<String, usize>,
    /// Per term: the columns, contracts and products that use it.
    pub usages: Vec<Usages>,
    /// (contract index, object name, column path) → the term the column links to.
    pub columns: HashMap<(usize, String, String), usize>,
    /// The A–Z index: each initial (`A`…`Z`, `#` for any other) with its first term.
    pub letters: Vec<(char, usize)>,
    /// Domain id → its terms, by domain id.
    pub domains: Vec<(String, Vec<usize>)>,
    /// Contract index → the terms its columns link to (what its page shows).
    pub contract_terms: HashMap<usize, Vec<usize>>,
}

/// The letter a term is filed under in the A–Z index.
pub fn initial(term: &Term) -> char {
    match term.name.trim().chars().next() {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase(),
        _ => '#',
    }
}

/// Where one term is used, as indices into the catalog's lists, each sorted and without repeats.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Usages {
    pub columns: Vec<ColumnUse>,
    pub contracts: Vec<usize>,
    pub products: Vec<usize>,
}

/// A column of a contract that uses a term.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnUse {
    pub contract: usize,
    pub object: String,
    /// The property's path under the object (`address.city` for nested properties).
    pub column: String,
    /// How it links: `authoritativeDefinitions`, `$ref`, `businessName`.
    pub via: &'static str,
}

impl Glossary {
    /// The term a column links to, if any.
    pub fn column_term(&self, contract: usize, object: &str, column: &str) -> Option<&Term> {
        let key = (contract, object.to_string(), column.to_string());
        self.columns.get(&key).map(|&t| &self.terms[t])
    }

    pub fn term(&self, id: &str) -> Option<&Term> {
        self.by_id.get(id).map(|&i| &self.terms[i])
    }
}

/// What a reference to a term turned out to be.
enum Resolved {
    Term(usize),
    Unknown,
}

/// The terms as they are gathered, with the lookups references are resolved against.
#[derive(Default)]
struct Builder {
    terms: Vec<Term>,
    usages: Vec<Usages>,
    /// Lower-cased id and slug of the id → term.
    by_key: HashMap<String, usize>,
    /// A term's own URLs (its links), trimmed of a trailing `/` → term.
    by_url: HashMap<String, usize>,
    /// Lower-cased name, title and synonyms → term, for `businessName`.
    by_name: HashMap<String, usize>,
    columns: HashMap<(usize, String, String), usize>,
    diagnostics: Vec<Diagnostic>,
}

impl Builder {
    fn add(&mut self, term: Term) -> usize {
        let i = self.terms.len();
        self.by_key.entry(term.id.to_lowercase()).or_insert(i);
        self.by_key.entry(slug(&term.id)).or_insert(i);
        self.by_key.entry(loose(&term.id)).or_insert(i);
        for link in &term.links {
            self.by_url.entry(url_key(&link.url)).or_insert(i);
        }
        for name in std::iter::once(&term.name).chain(&term.synonyms) {
            self.by_name.entry(name.trim().to_lowercase()).or_insert(i);
        }
        self.terms.push(term);
        self.usages.push(Usages::default());
        i
    }

    /// A term link's target: a known term by URL, by id, or by the URL's last segment; an external
    /// term for any other web address; unknown for an id that no definition defines.
    fn resolve(&mut self, link: &Link, origin: &Origin) -> Resolved {
        let url = link.url.trim();
        if let Some(&i) = self.by_url.get(&url_key(url)) {
            return Resolved::Term(i);
        }
        let is_web = url.starts_with("http://") || url.starts_with("https://");
        let last = last_segment(url);
        let found = [url.to_lowercase(), slug(url), slug(last), loose(last)]
            .into_iter()
            .find_map(|k| self.by_key.get(&k).copied());
        match found {
            Some(i) => Resolved::Term(i),
            None if is_web => Resolved::Term(self.external(link, last, origin)),
            None => Resolved::Unknown,
        }
    }

    /// The external term of a web address, made on its first mention.
    fn external(&mut self, link: &Link, last: &str, origin: &Origin) -> usize {
        let url = link.url.trim();
        if let Some(&i) = self.by_url.get(&url_key(url)) {
            return i;
        }
        let name = if link.title.trim().is_empty() || link.title == link.url {
            humanize(last)
        } else {
            link.title.clone()
        };
        let term = Term {
            id: url.to_string(),
            name,
            description: link.description.clone(),
            links: vec![Link {
                title: "Definition".into(),
                url: url.to_string(),
                kind: link.kind.clone(),
                description: None,
            }],
            source_kind: "external".into(),
            origin: origin.clone(),
            ..Term::default()
        };
        // External terms are matched by URL only: their names are not business names.
        let i = self.terms.len();
        self.by_url.insert(url_key(url), i);
        self.terms.push(term);
        self.usages.push(Usages::default());
        i
    }
}

/// Index the glossary of the catalog: `defined` are the terms of the definitions files.
pub fn attach(catalog: &mut Catalog, defined: Vec<Term>) {
    let (glossary, diagnostics) = build(catalog, defined);
    catalog.diagnostics.extend(diagnostics);
    catalog.glossary = glossary;
}

/// What [`attach`] adds, read from the catalog alone (so other passes can run beside it).
pub fn build(catalog: &Catalog, mut defined: Vec<Term>) -> (Glossary, Vec<Diagnostic>) {
    let mut b = Builder::default();
    defined.sort_by(|a, z| {
        (&a.origin.source, &a.origin.path, a.origin.line).cmp(&(
            &z.origin.source,
            &z.origin.path,
            z.origin.line,
        ))
    });
    let mut first: HashMap<String, Origin> = HashMap::new();
    for term in defined {
        if let Some(kept) = first.get(&term.id.to_lowercase()) {
            b.diagnostics.push(duplicate(&term, kept));
            continue;
        }
        first.insert(term.id.to_lowercase(), term.origin.clone());
        b.add(term);
    }
    let contract_terms = contract_definitions(catalog, &mut b);
    for (ci, c) in catalog.contracts.iter().enumerate() {
        contract_usages(&mut b, c, ci, &contract_terms[ci]);
    }
    product_usages(catalog, &mut b);
    finish(b)
}

/// A second definition of a term, named beside the first.
fn duplicate(term: &Term, kept: &Origin) -> Diagnostic {
    let (line, column) = term.origin.id_pos();
    Diagnostic::warning(
        Code::DuplicateTerm,
        format!(
            "the term `{}` is also defined in {}/{} (line {}); that definition is kept, this one is left out",
            term.id, kept.source, kept.path, kept.line.max(1)
        ),
    )
    .at_file(&term.origin.source, &term.origin.path)
    .at(line, column)
    .hint("keep one definition per term: merge the two files, or give this term its own id")
}

/// DCS contracts' own `definitions`: a definition whose name a definitions file already defines
/// is that term; any other becomes a term of its own (the first contract, by id, that defines a
/// name gives its text). Per contract: definition name → term.
fn contract_definitions(catalog: &Catalog, b: &mut Builder) -> Vec<HashMap<String, usize>> {
    catalog
        .contracts
        .iter()
        .map(|c| {
            let mut local = HashMap::new();
            for d in &c.definitions {
                let known = b.by_key.get(&d.name.to_lowercase());
                let i = match known.or_else(|| b.by_key.get(&loose(&d.name))) {
                    Some(&i) => i,
                    None => b.add(definition_term(c, d)),
                };
                local.insert(d.name.clone(), i);
            }
            local
        })
        .collect()
}

fn definition_term(c: &DataContract, d: &SchemaProperty) -> Term {
    Term {
        id: d.name.clone(),
        name: d.business_name.clone().unwrap_or_else(|| d.name.clone()),
        description: d.description.clone(),
        kind: d.logical_type.clone(),
        example: d.examples.first().cloned(),
        pii: d.pii.then_some(true),
        classification: d.classification.clone(),
        owner: c.owner.clone(),
        domain: c.domain.clone(),
        tags: d.tags.clone(),
        synonyms: d.synonyms.iter().map(|s| s.synonym.clone()).collect(),
        links: d.definitions.clone(),
        source_kind: "contract".into(),
        contract: Some(c.id.clone()),
        origin: c.origin.clone(),
        ..Term::default()
    }
}

fn is_term_link(link: &Link) -> bool {
    link.kind
        .as_deref()
        .is_some_and(|k| TERM_LINK_TYPES.contains(&k.to_ascii_lowercase().as_str()))
}

/// A reference that names no term, to be located in the contract's file.
struct Unknown {
    path: Vec<String>,
    key: &'static str,
    value: String,
}

/// Every column of one contract: the terms it links to, and the contract's own term links.
fn contract_usages(b: &mut Builder, c: &DataContract, ci: usize, local: &HashMap<String, usize>) {
    let mut unknown = Vec::new();
    for link in c.links.iter().filter(|l| is_term_link(l)) {
        match b.resolve(link, &c.origin) {
            Resolved::Term(t) => b.usages[t].contracts.push(ci),
            Resolved::Unknown => unknown.push(Unknown {
                path: Vec::new(),
                key: "url",
                value: link.url.clone(),
            }),
        }
    }
    for object in &c.schema {
        for link in object.definitions.iter().filter(|l| is_term_link(l)) {
            match b.resolve(link, &c.origin) {
                Resolved::Term(t) => b.usages[t].contracts.push(ci),
                Resolved::Unknown => unknown.push(Unknown {
                    path: vec![object.name.clone()],
                    key: "url",
                    value: link.url.clone(),
                }),
            }
        }
        let mut stack: Vec<(String, &SchemaProperty)> = object
            .properties
            .iter()
            .rev()
            .map(|p| (p.name.clone(), p))
            .collect();
        while let Some((path, p)) = stack.pop() {
            column_terms(b, c, ci, local, &object.name, &path, p, &mut unknown);
            stack.extend(
                p.properties
                    .iter()
                    .rev()
                    .map(|child| (format!("{path}.{}", child.name), child)),
            );
        }
    }
    if !unknown.is_empty() {
        b.diagnostics.extend(unknown_terms(c, unknown));
    }
}

/// The terms one column links to: its authoritative definitions, its `$ref`, else its business
/// name; the first is the one its contract page links.
#[allow(clippy::too_many_arguments)]
fn column_terms(
    b: &mut Builder,
    c: &DataContract,
    ci: usize,
    local: &HashMap<String, usize>,
    object: &str,
    path: &str,
    p: &SchemaProperty,
    unknown: &mut Vec<Unknown>,
) {
    let mut found: Vec<(usize, &'static str)> = Vec::new();
    for link in p.definitions.iter().filter(|l| is_term_link(l)) {
        match b.resolve(link, &c.origin) {
            Resolved::Term(t) => found.push((t, "authoritativeDefinitions")),
            Resolved::Unknown => unknown.push(Unknown {
                path: std::iter::once(object.to_string())
                    .chain(path.split('.').map(str::to_string))
                    .collect(),
                key: "url",
                value: link.url.clone(),
            }),
        }
    }
    if let Some(reference) = &p.definition_ref {
        let name = definition_name(reference);
        let term = local
            .get(name)
            .copied()
            .or_else(|| b.by_key.get(&name.to_lowercase()).copied())
            .or_else(|| b.by_key.get(&loose(name)).copied());
        match term {
            Some(t) => found.push((t, "$ref")),
            // A missing `#/definitions/x` is already reported by the DCS reader.
            None if !reference.starts_with("#/definitions/") && !reference.contains(".yaml") => {
                unknown.push(Unknown {
                    path: std::iter::once(object.to_string())
                        .chain(path.split('.').map(str::to_string))
                        .collect(),
                    key: "$ref",
                    value: reference.clone(),
                })
            }
            None => {}
        }
    }
    if found.is_empty() {
        let by_business_name = p
            .business_name
            .as_deref()
            .and_then(|n| b.by_name.get(&n.trim().to_lowercase()).copied());
        found.extend(by_business_name.map(|t| (t, "businessName")));
    }
    for (k, &(t, via)) in found.iter().enumerate() {
        if k == 0 {
            b.columns
                .insert((ci, object.to_string(), path.to_string()), t);
        }
        b.usages[t].columns.push(ColumnUse {
            contract: ci,
            object: object.to_string(),
            column: path.to_string(),
            via,
        });
        b.usages[t].contracts.push(ci);
        let term = &mut b.terms[t];
        for s in &p.synonyms {
            let known = term
                .synonyms
                .iter()
                .chain([&term.name])
                .any(|k| k.eq_ignore_ascii_case(&s.synonym));
            if term.synonyms.len() < MAX_COLLECTED_SYNONYMS && !known {
                term.synonyms.push(s.synonym.clone());
            }
        }
    }
}

/// `#/definitions/sku`, `definitions.sku`, `defs.yaml#/sku` → `sku`.
fn definition_name(reference: &str) -> &str {
    let r = reference.trim();
    if let Some(rest) = r.strip_prefix("#/definitions/") {
        return rest;
    }
    if let Some(rest) = r.strip_prefix("definitions.") {
        return rest;
    }
    r.rsplit(['/', '#']).next().unwrap_or(r)
}

/// The unknown-term warnings of one contract, each at its reference in the file.
fn unknown_terms(c: &DataContract, unknown: Vec<Unknown>) -> Vec<Diagnostic> {
    let doc = locate::document(c);
    unknown
        .into_iter()
        .map(|u| {
            let pos = doc.as_ref().and_then(|d| {
                let path: Vec<&str> = u.path.iter().map(String::as_str).collect();
                locate::value(locate::within(d, &path), &[u.key], &u.value, 0)
            });
            let (line, column) = match pos {
                Some(Pos { line, column }) if line > 0 => (line, column),
                _ => c.origin.id_pos(),
            };
            let what = if u.path.is_empty() {
                "the contract".to_string()
            } else {
                format!("`{}`", u.path.join("."))
            };
            Diagnostic::warning(
                Code::UnknownTerm,
                format!(
                    "{what} links to the glossary term `{}`, which no definition defines",
                    u.value
                ),
            )
            .at_file(&c.origin.source, &c.origin.path)
            .at(line, column)
            .hint("add a definitions file for the term (`definitions/<domain>/<term>.yaml`), fix the id, or link the term's web page by its https URL")
        })
        .collect()
}

/// Products: their own and their ports' term links, and the terms of the contracts their output
/// ports expose.
fn product_usages(catalog: &Catalog, b: &mut Builder) {
    for (pi, p) in catalog.products.iter().enumerate() {
        let links = p
            .links
            .iter()
            .chain(p.output_ports.iter().flat_map(|port| &port.links))
            .chain(p.input_ports.iter().flat_map(|port| &port.links))
            .filter(|l| is_term_link(l));
        for link in links {
            match b.resolve(link, &p.origin) {
                Resolved::Term(t) => b.usages[t].products.push(pi),
                Resolved::Unknown => {
                    let (line, column) = p.origin.id_pos();
                    b.diagnostics.push(
                        Diagnostic::warning(
                            Code::UnknownTerm,
                            format!(
                                "product `{}` links to the glossary term `{}`, which no definition defines",
                                p.id, link.url
                            ),
                        )
                        .at_file(&p.origin.source, &p.origin.path)
                        .at(line, column)
                        .hint("add a definitions file for the term, fix the id, or link the term's web page by its https URL"),
                    );
                }
            }
        }
    }
    // A product offers the terms of the contracts it exposes.
    for usages in &mut b.usages {
        let exposing: Vec<usize> = usages
            .contracts
            .iter()
            .filter_map(|&ci| catalog.contract_provider.get(&catalog.contracts[ci].id))
            .map(|&(pi, _)| pi)
            .collect();
        usages.products.extend(exposing);
    }
}

/// Sort the terms by name, give them slugs, and index them.
fn finish(b: Builder) -> (Glossary, Vec<Diagnostic>) {
    let Builder {
        terms,
        usages,
        columns,
        diagnostics,
        ..
    } = b;
    let mut order: Vec<usize> = (0..terms.len()).collect();
    order.sort_by(|&a, &z| {
        let key = |t: &Term| (t.name.to_lowercase(), t.id.clone());
        key(&terms[a]).cmp(&key(&terms[z]))
    });
    let mut new_index = vec![0; terms.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut terms: Vec<Option<Term>> = terms.into_iter().map(Some).collect();
    let mut usages: Vec<Option<Usages>> = usages.into_iter().map(Some).collect();
    let mut slugs = SlugSet::default();
    let mut g = Glossary::default();
    for &old in &order {
        let mut term = terms[old].take().expect("each term is moved once");
        term.slug = slugs.assign(if term.source_kind == "external" {
            last_segment(&term.id)
        } else {
            &term.id
        });
        let mut u = usages[old].take().expect("each usage list is moved once");
        u.columns.sort();
        u.columns.dedup();
        u.contracts.sort_unstable();
        u.contracts.dedup();
        u.products.sort_unstable();
        u.products.dedup();
        g.by_id.entry(term.id.clone()).or_insert(g.terms.len());
        g.terms.push(term);
        g.usages.push(u);
    }
    let mut domains: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for (i, t) in g.terms.iter().enumerate() {
        let c = initial(t);
        if !g.letters.iter().any(|l| l.0 == c) {
            g.letters.push((c, i));
        }
        if let Some(d) = &t.domain {
            domains.entry(d.clone()).or_default().push(i);
        }
    }
    g.domains = domains.into_iter().collect();
    g.columns = columns
        .into_iter()
        .map(|(k, t)| (k, new_index[t]))
        .collect();
    for (&(ci, _, _), &t) in &g.columns {
        g.contract_terms.entry(ci).or_default().push(t);
    }
    for terms in g.contract_terms.values_mut() {
        terms.sort_unstable();
        terms.dedup();
    }
    (g, diagnostics)
}

/// An id as a forgiving key: `customer_id`, `Customer-ID` and `customer id` are one term.
fn loose(id: &str) -> String {
    slug(id).replace('_', "-")
}

/// A URL as a lookup key: trimmed, without a trailing `/`.
fn url_key(url: &str) -> String {
    url.trim().trim_end_matches('/').to_string()
}

/// The last path segment of a URL or id, without query, fragment or file extension.
fn last_segment(url: &str) -> &str {
    let u = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .trim_end_matches('/');
    let last = u.rsplit(['/', ':']).next().unwrap_or(u);
    last.rsplit_once('.')
        .filter(|(_, ext)| matches!(*ext, "html" | "htm" | "md" | "yaml" | "yml" | "json"))
        .map_or(last, |(stem, _)| stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_their_term_by_the_last_part() {
        assert_eq!(
            last_segment("https://wiki.example/glossary/customer/"),
            "customer"
        );
        assert_eq!(
            last_segment("https://x.example/terms/order.html#top"),
            "order"
        );
        assert_eq!(last_segment("glossary:net-revenue"), "net-revenue");
        assert_eq!(definition_name("#/definitions/sku"), "sku");
        assert_eq!(definition_name("definitions.sku"), "sku");
        assert_eq!(definition_name("defs.yaml#/sku"), "sku");
    }
}
