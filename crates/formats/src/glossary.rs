//! Business terms from definitions files: the Entropy Data / Data Mesh Manager layout
//! `definitions/<domain>/<term>.yaml`, one term per document with `id, name, title, description,
//! type, example, pii, owner, domain, tags` (and `synonyms`, `links`, `authoritativeDefinitions`,
//! `classification` where written). Such files name no standard, so they are recognised by where
//! they lie (`[glossary] definitions`), not by their keys.

use model::diagnostics::Diagnostic;
use model::yaml::{self, Node, Value};
use model::{Code, Origin, Term};

use crate::read::{self, Ctx};
use crate::{Document, Kind, ParsedFile, Place};

pub struct Glossary;

impl crate::registry::Standard for Glossary {
    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Definition]
    }

    /// Definitions declare nothing: they are told by their path (see [`Glossary::read_file`]).
    fn declared(&self, _doc: &Node) -> Option<Kind> {
        None
    }

    fn read(&self, ctx: &mut Ctx, doc: &Node, _kind: Kind, out: &mut Vec<Document>) {
        if let Some(term) = read_term(ctx, doc) {
            out.push(Document::Term(Box::new(term)));
        }
    }

    /// A YAML file under the definitions paths: every document in it is a term; one that is not
    /// is an error at that document, and the file's other terms are still read.
    fn read_file(&self, text: &str, origin: &Origin, place: Place) -> Option<ParsedFile> {
        let lower = origin.path.to_ascii_lowercase();
        if !place.definitions_path || !(lower.ends_with(".yaml") || lower.ends_with(".yml")) {
            return None;
        }
        let mut parsed = ParsedFile::default();
        let docs = match yaml::parse_documents(text) {
            Ok(docs) => docs,
            Err(e) => {
                let pos = e.pos.unwrap_or(yaml::Pos { line: 1, column: 1 });
                parsed.diagnostics.push(
                    Diagnostic::error(
                        Code::YamlSyntax,
                        format!("cannot read the definitions file: {}", e.message),
                    )
                    .at_file(&origin.source, &origin.path)
                    .at(pos.line.max(1), pos.column.max(1))
                    .hint("check the indentation and quoting around this line; the file's terms are left out until it reads"),
                );
                return Some(parsed);
            }
        };
        for doc in &docs {
            let doc_origin = Origin {
                line: doc.pos.line,
                ..origin.clone()
            };
            let mut ctx = Ctx::new(&doc_origin);
            if let Some(term) = read_term(&mut ctx, doc) {
                parsed.documents.push(Document::Term(Box::new(term)));
            }
            parsed.diagnostics.extend(ctx.diagnostics);
        }
        Some(parsed)
    }
}

/// One term; None (with an `invalid-definition` error) for a document that is not a mapping or
/// names no `id` or `name`.
fn read_term(ctx: &mut Ctx, doc: &Node) -> Option<Term> {
    let hint = "a definition is a mapping with at least `id` or `name`, e.g. `id: customer-id`, `title: Customer ID`, `description: …`";
    if !doc.is_map() {
        let found = doc.value.kind_name();
        ctx.error_at(
            doc.pos,
            Code::InvalidDefinition,
            format!("a definition must be a mapping of fields, found {found}"),
            hint,
        );
        return None;
    }
    let name = ctx.str(doc, "name");
    let Some(id) = ctx.str(doc, "id").or_else(|| name.clone()) else {
        ctx.error_at(
            doc.pos,
            Code::InvalidDefinition,
            "the definition has neither `id` nor `name`; it is left out of the glossary".into(),
            hint,
        );
        return None;
    };
    let title = ctx.str(doc, "title");
    let pii = match doc.get("pii").map(|n| &n.value) {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::Null) | None => None,
        Some(_) => {
            ctx.bool(doc, "pii");
            None
        }
    };
    let mut links = read::links(doc.get("links"));
    links.extend(read::links(doc.get("authoritativeDefinitions")));
    let origin = Origin {
        id_line: doc.get("id").or(doc.get("name")).map(|n| n.pos.line),
        id_column: doc.get("id").or(doc.get("name")).map(|n| n.pos.column),
        ..ctx.origin.clone()
    };
    let domain = ctx
        .str(doc, "domain")
        .or_else(|| domain_folder(&ctx.origin.path));
    let shown = title.or(name).unwrap_or_else(|| id.clone());
    let mut also_called = synonyms(doc.get("synonyms"));
    // A synonym that repeats the name says nothing.
    also_called.retain(|s| !s.eq_ignore_ascii_case(&shown));
    Some(Term {
        name: shown,
        description: ctx.str(doc, "description"),
        kind: ctx.str(doc, "type"),
        example: example(doc.get("example")),
        pii,
        classification: ctx.str(doc, "classification"),
        owner: ctx.str(doc, "owner"),
        domain,
        tags: ctx.str_list(doc, "tags"),
        synonyms: also_called,
        links,
        source_kind: "definitions".into(),
        contract: None,
        slug: String::new(),
        id,
        origin,
    })
}

/// `example` as text: a scalar as written, a list or mapping as compact JSON.
fn example(node: Option<&Node>) -> Option<String> {
    let node = node?;
    match &node.value {
        Value::Null => None,
        Value::Seq(_) | Value::Map(_) => Some(node.to_json().to_string()),
        _ => node.scalar_text(),
    }
}

/// Synonyms as plain strings (`[a, b]`) or as ODCS/ODPS objects (`[{synonym: a}]`).
fn synonyms(node: Option<&Node>) -> Vec<String> {
    let Some(node) = node else { return Vec::new() };
    let mut out: Vec<String> = node
        .items()
        .iter()
        .filter_map(|n| n.scalar_text())
        .collect();
    out.extend(read::synonyms(Some(node)).into_iter().map(|s| s.synonym));
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| !s.trim().is_empty() && seen.insert(s.to_lowercase()));
    out
}

/// The domain folder of `definitions/<domain>/<term>.yaml`: the file's parent folder, unless
/// that is the definitions root itself.
fn domain_folder(path: &str) -> Option<String> {
    let parent = path.rsplit_once('/')?.0;
    let folder = parent.rsplit('/').next()?;
    (!folder.is_empty() && folder != "definitions").then(|| folder.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Standard;

    fn read(path: &str, text: &str) -> ParsedFile {
        let origin = Origin {
            source: "sales".into(),
            path: path.into(),
            ..Origin::default()
        };
        let place = Place {
            definitions_path: true,
            ..Place::default()
        };
        Glossary
            .read_file(text, &origin, place)
            .expect("a definitions file")
    }

    #[test]
    fn a_definition_becomes_a_term_with_its_domain_from_the_folder() {
        let parsed = read(
            "definitions/sales/customer-id.yaml",
            "id: customer-id\nname: customer_id\ntitle: Customer ID\ndescription: The customer.\ntype: string\nexample: C-1001\npii: true\nowner: sales-team\ntags: [core]\nsynonyms: [client id]\n",
        );
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let Document::Term(t) = &parsed.documents[0] else {
            panic!("a term")
        };
        assert_eq!(t.id, "customer-id");
        assert_eq!(t.name, "Customer ID");
        assert_eq!(t.domain.as_deref(), Some("sales"));
        assert_eq!(t.pii, Some(true));
        assert_eq!(t.example.as_deref(), Some("C-1001"));
        assert_eq!(t.synonyms, vec!["client id"]);
        assert_eq!(t.owner.as_deref(), Some("sales-team"));
    }

    #[test]
    fn a_broken_file_is_one_located_error_and_a_nameless_term_is_left_out() {
        let parsed = read("definitions/x.yaml", "id: a\n  bad: [\n");
        assert_eq!(parsed.diagnostics[0].code, Code::YamlSyntax);
        assert!(parsed.diagnostics[0].line.is_some());
        let parsed = read(
            "definitions/x.yaml",
            "id: a\n---\ndescription: no id\n---\n- a list\n",
        );
        assert_eq!(parsed.documents.len(), 1);
        let codes: Vec<_> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line))
            .collect();
        assert_eq!(
            codes,
            vec![
                (Code::InvalidDefinition, Some(3)),
                (Code::InvalidDefinition, Some(5))
            ]
        );
    }

    #[test]
    fn files_outside_the_definitions_paths_are_left_to_the_standards() {
        let origin = Origin {
            path: "definitions/x.yaml".into(),
            ..Origin::default()
        };
        assert!(Glossary
            .read_file("id: a", &origin, Place::default())
            .is_none());
    }
}
