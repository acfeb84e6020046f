//! A YAML (and JSON) document as a tree of values that remember where they stand in the file.
//!
//! Formats read manifests through this tree rather than through typed serde structs so that every
//! field error can name its line and column, unknown fields can be kept, and one bad value costs one
//! diagnostic instead of the whole document.

mod block;
mod events;
mod reference;
mod scalar;

/// Where a value starts in its file (1-based; 0 where unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// One YAML value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Mapping entries in file order; keys are scalars turned into text.
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub pos: Pos,
    pub text: String,
}

/// A failure to read the YAML itself.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub pos: Option<Pos>,
    pub message: String,
}

impl Value {
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The value under `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.text == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The scalar as text (numbers and booleans too: `version: 1.0` is the text "1.0"), else None.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(format_float(*f)),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The whole subtree as JSON, for custom fields that are kept and shown as they are.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or_else(|| serde_json::Value::String(format_float(*f))),
            Value::Str(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.text.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// Visit every node of the subtree (this one included), depth first.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Node)) {
        f(self);
        match &self.value {
            Value::Seq(items) => items.iter().for_each(|n| n.walk(f)),
            Value::Map(entries) => entries.iter().for_each(|(_, n)| n.walk(f)),
            _ => {}
        }
    }
}

pub(crate) fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

/// Parse every document of a YAML (or JSON) text. Empty documents are skipped.
///
/// Block YAML as manifests are written is read by a line reader (`block`), the rest straight
/// from the parser's events; what that reading leaves to the reference path (see `reference`)
/// is read there, with the same result it always had.
pub fn parse_documents(text: &str) -> Result<Vec<Node>, YamlError> {
    match block::parse_documents(text).or_else(|| events::parse_documents(text)) {
        Some(docs) => Ok(docs),
        None => reference::parse_documents(text),
    }
}

/// The readings `parse_documents` combines, apart, for tests/yaml_equivalence.rs: the line
/// reader of block YAML and the direct one (each `None` where it hands the text on) and the
/// serde-saphyr one.
#[doc(hidden)]
pub mod readings {
    pub use super::block::parse_documents as block;
    pub use super::events::parse_documents as direct;
    pub use super::reference::parse_documents as serde;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_kept_for_nested_values() {
        let docs = parse_documents("a: 1\nb:\n  - x: hello\n    y: [1, 2]\n").unwrap();
        assert_eq!(docs.len(), 1);
        let doc = &docs[0];
        let b = doc.get("b").unwrap();
        assert_eq!(b.pos.line, 3);
        let x = b.items()[0].get("x").unwrap();
        assert_eq!(x.scalar_text().as_deref(), Some("hello"));
        assert_eq!((x.pos.line, x.pos.column), (3, 8));
        let key = &b.items()[0].entries()[1].0;
        assert_eq!((key.text.as_str(), key.pos.line), ("y", 4));
    }

    #[test]
    fn multi_document_and_empty_documents() {
        let docs = parse_documents("a: 1\n---\n---\nb: 2\n").unwrap();
        assert_eq!(docs.len(), 2);
    }

    #[test]
    fn syntax_error_has_a_position() {
        let err = parse_documents("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(err.pos.is_some(), "{err:?}");
    }

    #[test]
    fn json_is_read_too() {
        let docs = parse_documents("{\"id\": \"x\", \"n\": 2.5}").unwrap();
        assert_eq!(
            docs[0].get("id").unwrap().scalar_text().as_deref(),
            Some("x")
        );
    }

    #[test]
    fn alias_expansion_is_bounded() {
        let mut text = "a0: &a0 \"lol\"\n".to_string();
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let err = parse_documents(&text).unwrap_err();
        assert!(
            err.message.contains("alias") || err.message.contains("replay"),
            "{err:?}"
        );
        // Ordinary reuse of an anchor still reads.
        let docs = parse_documents("base: &b {x: 1}\nothers: [*b, *b, *b]\n").unwrap();
        assert_eq!(docs[0].get("others").unwrap().items().len(), 3);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(200) + &"]".repeat(200);
        assert!(parse_documents(&text).is_err());
    }
}
