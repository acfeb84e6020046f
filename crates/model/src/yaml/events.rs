//! The located tree built straight from granit-parser's events (serde-saphyr's own parser,
//! with the options serde-saphyr gives it), one pass, no serde.
//!
//! This reads what manifests are made of: untagged scalars, sequences and mappings with
//! scalar keys, any number of documents. Anything else returns `None` and `reference` reads
//! the whole text, so its rules stay the only ones: tags and `%YAML` directives, anchors and
//! aliases (with their replay budget), merge keys (`<<`), complex keys, duplicate keys,
//! non-finite floats, values near a budget limit (depth, documents, nodes, scalar bytes) and
//! every parse error, with its message and position. A text given up on costs at most one
//! extra scan up to that point.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle, Span};

use super::scalar::{self, Scalar};
use super::{format_float, Key, Node, Pos, Value};

/// Below the reference budget (nesting depth 48, 1,000 documents, 250,000 nodes, 64 MiB of
/// scalars, 1,000,000 events) with room to spare: a text that comes near one is left to the
/// reference reading, which reports the breach exactly as before.
const MAX_DEPTH: usize = 40;
const MAX_DOCUMENTS: usize = 900;
const MAX_NODES: usize = 200_000;
const MAX_SCALAR_BYTES: usize = 48 << 20;

/// Every document of `text`, empty ones skipped; `None` when the reference path must decide.
pub fn parse_documents(text: &str) -> Option<Vec<Node>> {
    let mut options = granit_parser::Options::default();
    options.emit_comments = false;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut builder = Builder::default();
    while let Some(next) = parser.next_event() {
        let (event, span) = next.ok()?;
        if !builder.event(event, &span)? {
            break;
        }
    }
    builder.finished.then_some(builder.documents)
}

#[derive(Default)]
pub(super) struct Builder {
    documents: Vec<Node>,
    /// Open sequences and mappings, innermost last.
    stack: Vec<Frame>,
    /// The finished root of the current document.
    root: Option<Node>,
    document_count: usize,
    nodes: usize,
    scalar_bytes: usize,
    finished: bool,
}

enum Frame {
    Seq(Pos, Vec<Node>),
    /// Entries so far and the key waiting for its value.
    Map(Pos, Vec<(Key, Node)>, Option<Key>),
}

impl Builder {
    /// Take one event; `None` gives the text to the reference path, `Some(false)` ends the stream.
    fn event(&mut self, event: Event<'_>, span: &Span) -> Option<bool> {
        match event {
            Event::StreamStart => {}
            Event::StreamEnd => {
                self.finished = self.stack.is_empty();
                return Some(false);
            }
            // A `%YAML` directive may change how the reference reading resolves values.
            Event::DocumentStart(_, Some(_)) => return None,
            Event::DocumentStart(..) => self.document_start()?,
            Event::DocumentEnd => self.document_end()?,
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                self.scalar(value, style == ScalarStyle::Plain, position(span))?;
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                let seq = matches!(event, Event::SequenceStart(..));
                self.open(seq, position(span))?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close()?,
            // Aliases replay their anchor under the reference budget; comments are not asked for.
            _ => return None,
        }
        Some(true)
    }

    pub(super) fn document_start(&mut self) -> Option<()> {
        self.document_count += 1;
        (self.document_count <= MAX_DOCUMENTS).then_some(())
    }

    pub(super) fn document_end(&mut self) -> Option<()> {
        if !self.stack.is_empty() {
            return None;
        }
        // An empty document, or one that is only a null, is skipped.
        if let Some(root) = self.root.take().filter(|root| !root.is_null()) {
            self.documents.push(root);
        }
        Some(())
    }

    /// An untagged scalar (`plain`: neither quoted nor a block scalar): a key when a mapping
    /// waits for one, else a value.
    pub(super) fn scalar(&mut self, value: Cow<'_, str>, plain: bool, pos: Pos) -> Option<()> {
        self.count_node()?;
        self.scalar_bytes += value.len();
        if self.scalar_bytes > MAX_SCALAR_BYTES {
            return None;
        }
        if let Some(Frame::Map(_, _, pending @ None)) = self.stack.last_mut() {
            *pending = Some(key(value, plain, pos)?);
            Some(())
        } else {
            let value = scalar_value(value, plain)?;
            self.finish(Node { pos, value })
        }
    }

    /// The start of a sequence (`seq`) or mapping.
    pub(super) fn open(&mut self, seq: bool, pos: Pos) -> Option<()> {
        if self.stack.len() >= MAX_DEPTH {
            return None;
        }
        // A mapping or list as a mapping key (`? [a, b]`).
        if let Some(Frame::Map(_, _, None)) = self.stack.last() {
            return None;
        }
        self.count_node()?;
        self.stack.push(if seq {
            Frame::Seq(pos, Vec::new())
        } else {
            Frame::Map(pos, Vec::new(), None)
        });
        Some(())
    }

    /// The end of the innermost open sequence or mapping.
    pub(super) fn close(&mut self) -> Option<()> {
        let node = match self.stack.pop()? {
            Frame::Seq(pos, items) => Node {
                pos,
                value: Value::Seq(items),
            },
            Frame::Map(pos, entries, None) => {
                if has_duplicate_keys(&entries) {
                    return None;
                }
                Node {
                    pos,
                    value: Value::Map(entries),
                }
            }
            Frame::Map(_, _, Some(_)) => return None,
        };
        self.finish(node)
    }

    /// The documents read, once the stream ended with nothing left open.
    pub(super) fn end_stream(self) -> Option<Vec<Node>> {
        self.stack.is_empty().then_some(self.documents)
    }

    fn count_node(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(())
    }

    /// Place a finished value: in its list, under its key, or as the document's root.
    fn finish(&mut self, node: Node) -> Option<()> {
        match self.stack.last_mut() {
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => entries.push((pending.take()?, node)),
            None => {
                if self.root.replace(node).is_some() {
                    return None;
                }
            }
        }
        Some(())
    }
}

/// Where serde-saphyr locates an event: the start of its span, column made 1-based.
fn position(span: &Span) -> Pos {
    Pos {
        line: u32::try_from(span.start.line()).unwrap_or(u32::MAX),
        column: u32::try_from(span.start.col() + 1).unwrap_or(u32::MAX),
    }
}

fn scalar_value(text: Cow<'_, str>, plain: bool) -> Option<Value> {
    Some(match scalar::resolve(&text, plain) {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::Int(i),
        Scalar::Float(f) => Value::Float(f),
        Scalar::Text => Value::Str(text.into_owned()),
        Scalar::Refused => return None,
    })
}

/// A key as text, as the reference path's `RawKey` turns any scalar into text; a merge key
/// (`<<`) is the reference path's to resolve.
fn key(text: Cow<'_, str>, plain: bool, pos: Pos) -> Option<Key> {
    if plain && text == "<<" {
        return None;
    }
    let text = match scalar_value(text, plain)? {
        Value::Str(s) => s,
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format_float(f),
        Value::Bool(b) => b.to_string(),
        _ => "null".to_string(),
    };
    Some(Key { pos, text })
}

/// Whether two keys of one mapping read as the same text. The reference path refuses some
/// duplicates and decides about the rest, so any such mapping is left to it.
fn has_duplicate_keys(entries: &[(Key, Node)]) -> bool {
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, (a, _))| entries[..i].iter().any(|(b, _)| a.text == b.text));
    }
    let mut texts: Vec<&str> = entries.iter().map(|(k, _)| k.text.as_str()).collect();
    texts.sort_unstable();
    texts.windows(2).any(|pair| pair[0] == pair[1])
}
