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
}

impl Shape {
    /// The shape of the items of an array of this shape.
    fn items(self) -> Shape {
        match self {
            Shape::Fields => Shape::Field,
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
}

impl Pruning<'_> {
    fn open(&mut self) {
        let frame = Frame {
            shape: self.next,
            kept: false,
            member: 0,
            key: 0..0,
            value: 0,
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
        self.open();
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
        self.open();
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
        if frame.kept {
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
        self.out.push(b':');
        frame.value = self.out.len();
        self.next = frame.shape.member(&self.out[frame.key.clone()]);
        Ok(())
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        let frame = self.frames.last_mut().expect("an object is open");
        let (key, value) = (frame.key.clone(), frame.value..self.out.len());
        if is_empty(&self.out[value.clone()]) || frame.shape.drops(&self.out[key], &self.out[value])
        {
            self.out.truncate(frame.member);
        } else {
            frame.kept = true;
        }
        Ok(())
    }
}

/// Write `value` pruned, as a value of `shape`, at the end of `out`; returns where it is.
fn write<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
    shape: Shape,
) -> serde_json::Result<Range<usize>> {
    let start = out.len();
    let formatter = Pruning {
        out,
        frames: Vec::new(),
        next: shape,
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
    /// The members of `value` (a struct or map), each written pruned as a value of the shape
    /// `shape` names for its key; members `skip` names keep their place (a later swap-remove
    /// must find them where the map had them) but are not written at all.
    pub fn of(
        value: &impl Serialize,
        skip: &[&str],
        shape: impl Fn(&str) -> Shape,
    ) -> serde_json::Result<Record> {
        let mut record = Record {
            buf: Vec::with_capacity(4096),
            members: Vec::with_capacity(48),
        };
        value.serialize(Capture {
            record: &mut record,
            skip,
            shape: &shape,
            key: None,
        })?;
        Ok(record)
    }

    /// An empty object.
    pub fn new() -> Record {
        Record {
            buf: Vec::with_capacity(1024),
            members: Vec::new(),
        }
    }

    /// Whether member `k` is named `key` (keys are kept quoted, as written).
    fn is_named(&self, k: usize, key: &str) -> bool {
        let quoted = &self.buf[self.members[k].key.clone()];
        quoted.len() == key.len() + 2 && &quoted[1..quoted.len() - 1] == key.as_bytes()
    }

    fn find(&self, key: &str) -> Option<usize> {
        (0..self.members.len()).find(|&k| self.is_named(k, key))
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

    /// Set the member whose key is `quoted` (as written) to `value` (as written).
    fn put_raw(&mut self, quoted: &[u8], value: &[u8]) {
        let found =
            (0..self.members.len()).find(|&k| self.buf[self.members[k].key.clone()] == *quoted);
        let start = self.buf.len();
        self.buf.extend_from_slice(value);
        let value = start..self.buf.len();
        match found {
            Some(k) => self.members[k].value = value,
            None => {
                let start = self.buf.len();
                self.buf.extend_from_slice(quoted);
                let key = start..self.buf.len();
                self.members.push(Member { key, value });
            }
        }
    }

    /// Put `formatVersion` and `kind` first, as a map of those two extended with these members
    /// but `kind` would be: a `formatVersion` of the model's keeps its value in first place, the
    /// model's own `kind` (renamed before this where it matters) is left out.
    pub fn lead_with(
        &mut self,
        format_version: &impl Serialize,
        kind: &str,
    ) -> serde_json::Result<()> {
        let own = self.find("formatVersion").map(|k| self.members.remove(k));
        if let Some(k) = self.find("kind") {
            self.members.remove(k);
        }
        let version = match own {
            Some(member) => member.value,
            None => write(&mut self.buf, format_version, Shape::Plain)?,
        };
        let kind = write(&mut self.buf, kind, Shape::Plain)?;
        let mut lead = Vec::with_capacity(self.members.len() + 2);
        for (key, value) in [("formatVersion", version), ("kind", kind)] {
            let start = self.buf.len();
            serde_json::to_writer(&mut self.buf, key)?;
            lead.push(Member {
                key: start..self.buf.len(),
                value,
            });
        }
        lead.append(&mut self.members);
        self.members = lead;
        Ok(())
    }

    /// Add every member of `other` after these, as `Map::extend` does (`skip` left out).
    pub fn extend(&mut self, other: &Record, skip: &str) {
        for (k, member) in other.members.iter().enumerate() {
            if !other.is_named(k, skip) {
                let value = &other.buf[member.value.clone()];
                self.put_raw(&other.buf[member.key.clone()], value);
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

/// The serializer of a record's top level: each member's value written by [`write`] (or, when
/// skipped, not at all) and its key kept in order, with `Map::insert`'s replace-in-place for a
/// key said twice.
struct Capture<'r, F> {
    record: &'r mut Record,
    skip: &'r [&'r str],
    shape: &'r F,
    /// The key of a map's entry, between `serialize_key` and `serialize_value`.
    key: Option<String>,
}

impl<F: Fn(&str) -> Shape> Capture<'_, F> {
    fn member(&mut self, key: &str, value: &(impl Serialize + ?Sized)) -> serde_json::Result<()> {
        let range = if self.skip.contains(&key) {
            // Empty, so never written: it only holds the member's place.
            let start = self.record.buf.len();
            self.record.buf.extend_from_slice(b"null");
            start..self.record.buf.len()
        } else {
            write(&mut self.record.buf, value, (self.shape)(key))?
        };
        self.record.put(key, range);
        Ok(())
    }
}

fn not_an_object() -> serde_json::Error {
    serde::ser::Error::custom("a record is written from a struct or map")
}

/// The scalar and sequence methods of [`Capture`]: a record's top level is an object.
macro_rules! refuse {
    ($($name:ident($($ty:ty),*) -> $ok:ty;)*) => {
        $(fn $name(self $(, _: $ty)*) -> serde_json::Result<$ok> {
            Err(not_an_object())
        })*
    };
}

impl<F: Fn(&str) -> Shape> serde::Serializer for Capture<'_, F> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeTuple = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeTupleStruct = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeTupleVariant = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = serde::ser::Impossible<(), serde_json::Error>;

    refuse! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> serde_json::Result<()> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> serde_json::Result<()> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> serde_json::Result<()> {
        Err(not_an_object())
    }

    fn serialize_map(self, _: Option<usize>) -> serde_json::Result<Self> {
        Ok(self)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> serde_json::Result<Self> {
        Ok(self)
    }
}

impl<F: Fn(&str) -> Shape> serde::ser::SerializeStruct for Capture<'_, F> {
    type Ok = ();
    type Error = serde_json::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> serde_json::Result<()> {
        self.member(key, value)
    }

    fn end(self) -> serde_json::Result<()> {
        Ok(())
    }
}

impl<F: Fn(&str) -> Shape> serde::ser::SerializeMap for Capture<'_, F> {
    type Ok = ();
    type Error = serde_json::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> serde_json::Result<()> {
        // A key as serde_json writes a map key: strings as they are, numbers and bools as text.
        let key = match serde_json::to_value(key)? {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        self.key = Some(key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> serde_json::Result<()> {
        let key = self.key.take().ok_or_else(not_an_object)?;
        self.member(&key, value)
    }

    fn end(self) -> serde_json::Result<()> {
        Ok(())
    }
}
