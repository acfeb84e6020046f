//! What the catalog needs to tell documents apart: a fingerprint of each document's text (a
//! document repeated word for word is read once) and where the key holding each entity's id
//! stands (a duplicate id is reported there, not at the document's start).

use model::yaml::{Node, Pos, Value};
use model::Origin;

use crate::Document;

/// The fingerprint of each document's text, by the line its content starts on. A document's text
/// runs from its first line to the line before the next document's, without the trailing blank
/// lines, comments and `---` / `...` markers; line ends and trailing spaces do not count.
pub fn fingerprints(text: &str, docs: &[Node]) -> Vec<(u32, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut starts: Vec<u32> = docs.iter().map(|d| d.pos.line.max(1)).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut out = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts
            .get(i + 1)
            .map_or(lines.len(), |&next| (next as usize).saturating_sub(1));
        let begin = (start as usize).saturating_sub(1).min(lines.len());
        let mut body: Vec<&str> = lines[begin..end.max(begin)]
            .iter()
            .map(|l| l.trim_end())
            .collect();
        while body.last().is_some_and(|l| {
            let t = l.trim_start();
            t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
        }) {
            body.pop();
        }
        out.push((start, fingerprint(&body)));
    }
    out
}

/// A stable 128-bit hash of `lines` joined by line ends, as hex: FNV-1a of the text and of its
/// length, `\u{1}` and the text. Hashed line by line (every document of every file passes here,
/// and joining its lines first copied each text once more), both hashes in one loop: each is a
/// chain of multiplications, and two chains side by side cost about what one does.
fn fingerprint(lines: &[&str]) -> String {
    let len = lines.iter().map(|l| l.len()).sum::<usize>() + lines.len().saturating_sub(1);
    let a = Fnv::default();
    let mut b = Fnv::default();
    b.write(len.to_string().as_bytes());
    b.write("\u{1}".as_bytes());
    let (mut a, mut b) = (a.0, b.0);
    let mut step = |byte: u8| {
        a = (a ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
        b = (b ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
    };
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            step(b'\n');
        }
        line.bytes().for_each(&mut step);
    }
    format!("{a:016x}{b:016x}")
}

const FNV_PRIME: u64 = 0x100000001b3;

/// FNV-1a fed in pieces: the same value as [`model::slug::fnv1a`] of the pieces joined.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf29ce484222325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(FNV_PRIME);
        }
    }
}

/// Keys that usually hold an id, best first.
const ID_KEYS: &[&str] = &[
    "id",
    "name",
    "uuid",
    "fullyQualifiedName",
    "productID",
    "dataProductId",
];

/// How deep to look for the id key (Backstage keeps it at `metadata.name`, opendataproducts.org
/// ODPS at `product.en.productID`).
const ID_DEPTH: usize = 4;

/// Where the key holding `id` stands in a document: the shallowest mapping entry whose value is
/// exactly `id`, preferring the usual id keys, then file order.
pub fn id_position(doc: &Node, id: &str) -> Option<Pos> {
    let mut level: Vec<&Node> = vec![doc];
    for _ in 0..ID_DEPTH {
        let mut best: Option<(usize, Pos)> = None;
        let mut next = Vec::new();
        for node in level {
            match &node.value {
                Value::Map(entries) => {
                    for (key, value) in entries {
                        if value.scalar_text().as_deref() == Some(id) {
                            let rank =
                                ID_KEYS
                                    .iter()
                                    .position(|k| *k == key.text)
                                    .unwrap_or_else(|| {
                                        if key.text.to_ascii_lowercase().ends_with("id") {
                                            ID_KEYS.len()
                                        } else {
                                            ID_KEYS.len() + 1
                                        }
                                    });
                            if best.is_none_or(|(r, _)| rank < r) {
                                best = Some((rank, key.pos));
                            }
                        }
                        next.push(value);
                    }
                }
                Value::Seq(items) => next.extend(items.iter()),
                _ => {}
            }
        }
        if let Some((_, pos)) = best {
            return Some(pos);
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
    None
}

/// The id and origin of a document's entity (metric batches have neither).
fn id_and_origin(doc: &mut Document) -> Option<(String, &mut Origin)> {
    match doc {
        Document::Product(p) => Some((p.id.clone(), &mut p.origin)),
        Document::Contract(c) => Some((c.id.clone(), &mut c.origin)),
        Document::Team(t) => Some((t.id.clone(), t.origin.as_mut()?)),
        Document::Person(p) => Some((p.id.clone(), p.origin.as_mut()?)),
        Document::Domain(d) => Some((d.id.clone(), d.origin.as_mut()?)),
        Document::Agreement(a) => Some((a.id.clone(), &mut a.origin)),
        Document::System(s) => Some((s.id.clone(), &mut s.origin)),
        // Terms are told apart by the glossary (`catalog::glossary`), not here.
        Document::Metrics(_) | Document::Term(_) | Document::Narrative(_) => None,
    }
}

/// A document's kind, id and origin (metric batches have none).
pub fn entity_of(doc: &Document) -> Option<(&'static str, &str, &Origin)> {
    match doc {
        Document::Product(p) => Some(("product", p.id.as_str(), &p.origin)),
        Document::Contract(c) => Some(("contract", c.id.as_str(), &c.origin)),
        Document::Team(t) => Some(("team", t.id.as_str(), t.origin.as_ref()?)),
        Document::Person(p) => Some(("person", p.id.as_str(), p.origin.as_ref()?)),
        Document::Domain(d) => Some(("domain", d.id.as_str(), d.origin.as_ref()?)),
        Document::Agreement(a) => Some(("agreement", a.id.as_str(), &a.origin)),
        Document::System(s) => Some(("system", s.id.as_str(), &s.origin)),
        // Terms are told apart by the glossary (`catalog::glossary`), not here.
        Document::Metrics(_) | Document::Term(_) | Document::Narrative(_) => None,
    }
}

/// Give the entities read from `doc` its fingerprint and the position of their id keys.
pub fn stamp(documents: &mut [Document], doc: &Node, fingerprint: Option<&str>) {
    for d in documents {
        let Some((id, origin)) = id_and_origin(d) else {
            continue;
        };
        // Only what was read from this very document (a reader may add entities of other files).
        if origin.line != doc.pos.line {
            continue;
        }
        if origin.fingerprint.is_none() {
            origin.fingerprint = fingerprint.map(str::to_string);
        }
        if origin.id_line.is_none() {
            if let Some(pos) = id_position(doc, &id) {
                origin.id_line = Some(pos.line);
                origin.id_column = Some(pos.column);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::yaml::parse_documents;

    #[test]
    fn repeated_documents_share_a_fingerprint() {
        let text = "# a comment\nid: a\nversion: 1\n---\nid: a\nversion: 1\n\n# trailing\n---\nid: a\nversion: 2\n";
        let docs = parse_documents(text).unwrap();
        let f = fingerprints(text, &docs);
        assert_eq!(f.len(), 3);
        assert_eq!(f[0].1, f[1].1);
        assert_ne!(f[0].1, f[2].1);
        let crlf = text.replace('\n', "\r\n");
        let docs = parse_documents(&crlf).unwrap();
        assert_eq!(fingerprints(&crlf, &docs)[0].1, f[0].1);
    }

    #[test]
    fn a_fingerprint_is_the_hash_of_the_joined_text() {
        let text = "id: a\nversion: 1\n";
        let docs = parse_documents(text).unwrap();
        let joined = "id: a\nversion: 1";
        let a = model::slug::fnv1a(joined);
        let b = model::slug::fnv1a(&format!("{}\u{1}{joined}", joined.len()));
        assert_eq!(fingerprints(text, &docs)[0].1, format!("{a:016x}{b:016x}"));
    }

    #[test]
    fn the_id_key_is_found_where_it_stands() {
        let text = "kind: DataContract\nname: orders\nid: orders\n";
        let doc = &parse_documents(text).unwrap()[0];
        assert_eq!(id_position(doc, "orders"), Some(Pos { line: 3, column: 1 }));
        let text = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n";
        let doc = &parse_documents(text).unwrap()[0];
        assert_eq!(id_position(doc, "team-a"), Some(Pos { line: 4, column: 3 }));
        assert_eq!(id_position(doc, "nowhere"), None);
    }
}
