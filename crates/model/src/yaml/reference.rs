//! The reference reading: serde-saphyr deserialises each value into `Spanned<RawValue>`.
//!
//! It is exact but slow (serde's per-node location machinery costs ~3x the scanning), so
//! `events` reads the common shape of a manifest itself and hands this path only what it does
//! not read: tags, anchors and aliases, merge keys, duplicate keys, values near a limit and
//! every error. That keeps each of those behaviours, messages and limits exactly as they were.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::{format_float, Key, Node, Pos, Value, YamlError};

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

/// Parse every document of a YAML (or JSON) text through serde-saphyr. Empty documents are
/// skipped.
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
