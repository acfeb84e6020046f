//! A YAML (and JSON) document as a tree of values that remember where they stand in the file.
//!
//! Formats read manifests through this tree rather than through typed serde structs so that every
//! field error can name its line and column, unknown fields can be kept, and one bad value costs one
//! diagnostic instead of the whole document.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

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

fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

/// The limits a manifest must stay within: many teams write them, so none may exhaust the builder.
fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 48;
    budget.max_documents = 1_000;
    budget.max_aliases = 1_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    // Aliases replay their anchor's events: nine levels of nine (`a: &a [*b, *b, …]`) would
    // replay a billion. A manifest reuses a few small blocks; this many replayed values is
    // far beyond any, and bounded in time and memory.
    options.alias_limits.max_total_replayed_events = 50_000;
    // YAML 1.2 core schema: `y`, `no` and `on` stay text (the Norway problem), and so does `0755`.
    options.strict_booleans = true;
    options.leading_zero_numbers_as_strings = true;
    options.emit_comments = false;
    options
}

/// Parse every document of a YAML (or JSON) text. Empty documents are skipped.
pub fn parse_documents(text: &str) -> Result<Vec<Node>, YamlError> {
    let docs: Vec<Option<SpannedValue>> = serde_saphyr::from_multiple_with_options(text, options())
        .map_err(|e| {
            let pos = e.location().map(|l| Pos {
                line: l.line() as u32,
                column: l.column() as u32,
            });
            YamlError {
                pos: pos.filter(|p| p.line > 0),
                message: first_line(&e.to_string()),
            }
        })?;
    Ok(docs
        .into_iter()
        .flatten()
        .map(SpannedValue::into_node)
        .collect())
}

fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    line.to_string()
}

/// Deserialization target: serde-saphyr fills `Spanned` with the location of each value.
struct SpannedValue(Spanned<RawValue>);

impl SpannedValue {
    fn into_node(self) -> Node {
        let loc = &self.0.referenced;
        Node {
            pos: Pos {
                line: loc.line() as u32,
                column: loc.column() as u32,
            },
            value: self.0.value.into_value(),
        }
    }
}

impl<'de> Deserialize<'de> for SpannedValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Spanned::<RawValue>::deserialize(d).map(SpannedValue)
    }
}

enum RawValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<SpannedValue>),
    Map(Vec<(Spanned<RawKey>, SpannedValue)>),
}

impl RawValue {
    fn into_value(self) -> Value {
        match self {
            RawValue::Null => Value::Null,
            RawValue::Bool(b) => Value::Bool(b),
            RawValue::Int(i) => Value::Int(i),
            RawValue::Float(f) => Value::Float(f),
            RawValue::Str(s) => Value::Str(s),
            RawValue::Seq(items) => {
                Value::Seq(items.into_iter().map(SpannedValue::into_node).collect())
            }
            RawValue::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let key = Key {
                            pos: Pos {
                                line: k.referenced.line() as u32,
                                column: k.referenced.column() as u32,
                            },
                            text: k.value.0,
                        };
                        (key, v.into_node())
                    })
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_none<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
        RawValue::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
        Ok(RawValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
        Ok(RawValue::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawValue, E> {
        Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<RawValue, E> {
        Ok(i64::try_from(v).map_or(RawValue::Str(v.to_string()), RawValue::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<RawValue, E> {
        Ok(i64::try_from(v).map_or(RawValue::Str(v.to_string()), RawValue::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawValue, E> {
        Ok(RawValue::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
        Ok(RawValue::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
        Ok(RawValue::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<RawValue, E> {
        Ok(RawValue::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<SpannedValue>()? {
            items.push(item);
        }
        Ok(RawValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<RawKey>>()? {
            let value = map.next_value::<SpannedValue>()?;
            entries.push((key, value));
        }
        Ok(RawValue::Map(entries))
    }
}

/// A mapping key: any scalar, kept as text (`200:` in an API spec is the key "200").
struct RawKey(String);

impl<'de> Deserialize<'de> for RawKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match RawValue::deserialize(d)? {
            RawValue::Str(s) => Ok(RawKey(s)),
            RawValue::Int(i) => Ok(RawKey(i.to_string())),
            RawValue::Float(f) => Ok(RawKey(format_float(f))),
            RawValue::Bool(b) => Ok(RawKey(b.to_string())),
            RawValue::Null => Ok(RawKey("null".into())),
            _ => Err(de::Error::custom(
                "a mapping key must be a plain value, not a list or mapping",
            )),
        }
    }
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
