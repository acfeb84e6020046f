//! Entity records written straight from the model as JSON bytes, pruned as they are written.
//!
//! The records beside the pages (`products/<id>/index.json`, …) used to be built as
//! `serde_json::Value` trees (one allocation per key and value), edited, pruned and printed:
//! 20,000 records took a third of the render time of everything but the two entity pages. Here
//! serde_json's own serializer writes the model into one buffer through a [`Formatter`] that
//! drops each member whose value came out `null`, `[]` or `{}` as soon as it is written (what
//! `prune` did to the tree), so the bytes and their escaping are serde_json's.
//!
//! Only a record's top level is edited (fields removed, renamed, added): [`Record`] keeps its
//! members as ranges of one buffer, in the order a `serde_json::Map` with `preserve_order` would
//! hold them after the same edits — `remove` there is a swap-remove, and [`Record::remove`] is
//! one too, so the files keep their exact key order.

use std::io;
use std::ops::Range;

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter};

/// What a value is, for the few nested edits a record makes while it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Written as it is (then pruned).
    Plain,
    /// A contract's field list (`schema`, `definitions`, a field's `properties`): its items are
    /// [`Shape::Field`].
    Fields,
    /// A contract's field: its yes/no flags that are false are left out (absent means false),
    /// and its `properties` are [`Shape::Fields`].
    Field,
    /// A contract's history: its items are [`Shape::Commit`].
    History,
    /// One version of a contract's file: its text (`content`) is left out, the commit kept.
    Commit,
}

impl Shape {
    /// The shape of the items of an array of this shape.
    fn items(self) -> Shape {
        match self {
            Shape::Fields => Shape::Field,
            Shape::History => Shape::Commit,
            _ => Shape::Plain,
        }
    }

    /// The shape of member `key` (quoted, as written) of an object of this shape.
    fn member(self, key: &[u8]) -> Shape {
        match self {
            Shape::Field if key == b"\"properties\"" => Shape::Fields,
            _ => Shape::Plain,
        }
    }

    /// Whether member `key` with `value` (both as written) is left out of an object of this shape.
    fn drops(self, key: &[u8], value: &[u8]) -> bool {
        match self {
            Shape::Field => value == b"false" && FIELD_FLAGS.contains(&key),
            Shape::Commit => key == b"\"content\"",
            _ => false,
        }
    }
}

/// The yes/no flags of a contract's field, false unless the file says otherwise (quoted).
const FIELD_FLAGS: &[&[u8]] = &[
    b"\"required\"",
    b"\"unique\"",
    b"\"primaryKey\"",
    b"\"partitioned\"",
    b"\"pii\"",
    b"\"critical\"",
];

/// A value that stands for "not stated": its member is left out.
fn is_empty(value: &[u8]) -> bool {
    matches!(value, b"null" | b"[]" | b"{}")
}

/// An object or array being written.
struct Frame {
    shape: Shape,
    /// Whether a member or item has been kept (a comma goes before the next one).
    kept: bool,
    /// Where the current member starts (its comma, if any), its key ends, its value starts.
    member: usize,
    key: Range<usize>,
    value: usize,
    /// The record's top level: members are recorded in `captured`, none dropped or joined.
    capture: bool,
}

/// A member of the top level: key (quoted) and value, as ranges of the buffer.
#[derive(Debug, Clone)]
struct Member {
    key: Range<usize>,
    value: Range<usize>,
}

/// serde_json's compact output, written into `out` (the writer serde_json is given is ignored:
/// every byte goes through the formatter), with members pruned and edited as they end.
struct Pruning<'a> {
    out: &'a mut Vec<u8>,
    frames: Vec<Frame>,
    /// The shape of the next value to begin.
    next: Shape,
    /// The next object is the record's top level.
    capture_next: bool,
    captured: &'a mut Vec<Member>,
    /// The shape of each top-level member, by key.
    top: &'a dyn Fn(&str) -> Shape,
}

impl Pruning<'_> {
    fn open(&mut self, object: bool) {
        let frame = Frame {
            shape: self.next,
            kept: false,
            member: 0,
            key: 0..0,
            value: 0,
            capture: std::mem::take(&mut self.capture_next) && object,
        };
        self.next = Shape::Plain;
        self.frames.push(frame);
    }
}

/// Forwards to serde_json's compact formatter, writing into the buffer.
macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $name<W: ?Sized + io::Write>(&mut self, _: &mut W $(, $arg: $ty)*) -> io::Result<()> {
            CompactFormatter.$name(self.out $(, $arg)*)
        })*
    };
}

impl Formatter for Pruning<'_> {
    forward! {
        write_null();
        write_bool(value: bool);
        write_i8(value: i8);
        write_i16(value: i16);
        write_i32(value: i32);
        write_i64(value: i64);
        write_i128(value: i128);
        write_u8(value: u8);
        write_u16(value: u16);
        write_u32(value: u32);
        write_u64(value: u64);
        write_u128(value: u128);
        write_f32(value: f32);
        write_f64(value: f64);
        write_number_str(value: &str);
        begin_string();
        end_string();
        write_string_fragment(fragment: &str);
        write_char_escape(char_escape: CharEscape);
        write_raw_fragment(fragment: &str);
    }

    fn write_byte_array<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        value: &[u8],
    ) -> io::Result<()> {
        self.begin_array(w)?;
        for (k, byte) in value.iter().enumerate() {
            self.begin_array_value(w, k == 0)?;
            self.write_u8(w, *byte)?;
        }
        self.end_array(w)
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.open(false);
        self.out.push(b'[');
        Ok(())
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.frames.pop();
        self.out.push(b']');
        Ok(())
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, _: &mut W, _: bool) -> io::Result<()> {
        let frame = self.frames.last_mut().expect("an array is open");
        // Items are never dropped, so every item but the first follows a comma.
        if std::mem::replace(&mut frame.kept, true) {
            self.out.push(b',');
        }
        self.next = frame.shape.items();
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.open(true);
        self.out.push(b'{');
        Ok(())
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.frames.pop();
        self.out.push(b'}');
        Ok(())
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, _: &mut W, _: bool) -> io::Result<()> {
        let frame = self.frames.last_mut().expect("an object is open");
        frame.member = self.out.len();
        if frame.kept && !frame.capture {
            self.out.push(b',');
        }
        frame.key.start = self.out.len();
        Ok(())
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        let frame = self.frames.last_mut().expect("an object is open");
        frame.key.end = self.out.len();
        Ok(())
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        let frame = self.frames.last_mut().expect("an object is open");
        if !frame.capture {
            self.out.push(b':');
        }
        frame.value = self.out.len();
        let key = &self.out[frame.key.clone()];
        self.next = if frame.capture {
            (self.top)(std::str::from_utf8(&key[1..key.len() - 1]).unwrap_or_default())
        } else {
            frame.shape.member(key)
        };
        Ok(())
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        let frame = self.frames.last_mut().expect("an object is open");
        let (key, value) = (frame.key.clone(), frame.value..self.out.len());
        if frame.capture {
            // Kept even when empty: a later swap-remove must see it where the map had it.
            let member = Member { key, value };
            match self
                .captured
                .iter_mut()
                .find(|m| self.out[m.key.clone()] == self.out[member.key.clone()])
            {
                Some(old) => old.value = member.value,
                None => self.captured.push(member),
            }
        } else if is_empty(&self.out[value.clone()])
            || frame.shape.drops(&self.out[key], &self.out[value])
        {
            self.out.truncate(frame.member);
        } else {
            frame.kept = true;
        }
        Ok(())
    }
}

/// Write `value` pruned, as a value of `shape`, at the end of `out`; returns where it is.
fn write(
    out: &mut Vec<u8>,
    value: &impl Serialize,
    shape: Shape,
) -> serde_json::Result<Range<usize>> {
    let start = out.len();
    let formatter = Pruning {
        out,
        frames: Vec::new(),
        next: shape,
        capture_next: false,
        captured: &mut Vec::new(),
        top: &|_| Shape::Plain,
    };
    value.serialize(&mut serde_json::Serializer::with_formatter(
        io::sink(),
        formatter,
    ))?;
    Ok(start..out.len())
}

/// One JSON object whose top-level members can be edited before it is written: the members
/// of a model value, each already pruned, with members removed, renamed and added as a
/// `serde_json::Map` with `preserve_order` would order them.
pub struct Record {
    buf: Vec<u8>,
    members: Vec<Member>,
}

impl Record {
    /// The members of `value` (a struct or map). `shape` names the shape of each member.
    pub fn of(value: &impl Serialize, shape: impl Fn(&str) -> Shape) -> serde_json::Result<Record> {
        let (mut buf, mut members) = (Vec::with_capacity(4096), Vec::new());
        let formatter = Pruning {
            out: &mut buf,
            frames: Vec::new(),
            next: Shape::Plain,
            capture_next: true,
            captured: &mut members,
            top: &shape,
        };
        value.serialize(&mut serde_json::Serializer::with_formatter(
            io::sink(),
            formatter,
        ))?;
        Ok(Record { buf, members })
    }

    /// An empty object.
    pub fn new() -> Record {
        Record {
            buf: Vec::with_capacity(1024),
            members: Vec::new(),
        }
    }

    /// The key of member `k`, unquoted (keys of the model need no escaping).
    fn key_of(&self, k: usize) -> &str {
        let key = &self.buf[self.members[k].key.clone()];
        std::str::from_utf8(&key[1..key.len() - 1]).unwrap_or_default()
    }

    fn find(&self, key: &str) -> Option<usize> {
        (0..self.members.len()).find(|&k| self.key_of(k) == key)
    }

    /// The value of member `key` as written, if there is one.
    pub fn get(&self, key: &str) -> Option<&[u8]> {
        self.find(key)
            .map(|k| &self.buf[self.members[k].value.clone()])
    }

    /// Remove member `key` as `Map::remove` does with `preserve_order` (a swap-remove: the last
    /// member takes its place); returns its value as written.
    pub fn remove(&mut self, key: &str) -> Option<Vec<u8>> {
        let k = self.find(key)?;
        let member = self.members.swap_remove(k);
        Some(self.buf[member.value].to_vec())
    }

    /// Set member `key` to a value already written (JSON bytes): in its place when it exists,
    /// else last, as `Map::insert` does.
    pub fn insert_raw(&mut self, key: &str, value: &[u8]) {
        let start = self.buf.len();
        self.buf.extend_from_slice(value);
        let range = start..self.buf.len();
        self.put(key, range);
    }

    /// Set member `key` to `value`, pruned (see [`Record::insert_raw`]).
    pub fn insert(&mut self, key: &str, value: &impl Serialize) -> serde_json::Result<()> {
        let range = write(&mut self.buf, value, Shape::Plain)?;
        self.put(key, range);
        Ok(())
    }

    fn put(&mut self, key: &str, value: Range<usize>) {
        match self.find(key) {
            Some(k) => self.members[k].value = value,
            None => {
                let start = self.buf.len();
                serde_json::to_writer(&mut self.buf, key).expect("a string is written");
                let key = start..self.buf.len();
                self.members.push(Member { key, value });
            }
        }
    }

    /// Add every member of `other` after these, as `Map::extend` does (`skip` left out).
    pub fn extend(&mut self, other: &Record, skip: &str) {
        for k in 0..other.members.len() {
            let key = other.key_of(k);
            if key != skip {
                self.insert_raw(key, &other.buf[other.members[k].value.clone()]);
            }
        }
    }

    /// The object as JSON bytes: members whose value is empty are left out.
    pub fn into_bytes(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.buf.len() + 2);
        self.write_to(&mut out);
        out
    }

    /// Append the object to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        let mut first = true;
        for m in &self.members {
            let value = &self.buf[m.value.clone()];
            if is_empty(value) {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            out.extend_from_slice(&self.buf[m.key.clone()]);
            out.push(b':');
            out.extend_from_slice(value);
        }
        out.push(b'}');
    }
}

impl Default for Record {
    fn default() -> Self {
        Record::new()
    }
}
