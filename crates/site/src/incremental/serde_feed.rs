//! A serde `Serializer` that feeds a value straight into a [`StreamHash`]: no JSON text, no
//! escaping, no intermediate strings. The input hashes of an incremental build serialise every
//! entity on every build, so this is what a one-repository change pays for most of the catalog.
//!
//! What is fed is stable across runs and machines (lengths and numbers as little-endian words,
//! strings as their bytes, a field by its place in its struct, variant names as written in the
//! model): the hashes are kept in the build state (and compared only with the same meshdoc
//! build's, which is part of every page's hash). Every value is framed (a tag before it, a length or an end mark around
//! sequences and maps), so that a field skipped when empty cannot make two different values feed
//! the same stream.

use std::fmt::Display;
use std::hash::Hasher;

use serde::ser::{self, Serialize};

use super::StreamHash;

/// Tags in front of each kind of value.
mod tag {
    pub const NONE: u64 = 1;
    pub const SOME: u64 = 2;
    pub const UNIT: u64 = 3;
    pub const BOOL: u64 = 4;
    pub const INT: u64 = 5;
    pub const FLOAT: u64 = 6;
    pub const STR: u64 = 7;
    pub const BYTES: u64 = 8;
    pub const SEQ: u64 = 9;
    pub const MAP: u64 = 10;
    pub const STRUCT: u64 = 11;
    pub const VARIANT: u64 = 12;
    pub const END: u64 = 13;
    pub const FIELD: u64 = 14;
    pub const SKIPPED: u64 = 15;
    pub const CHAR: u64 = 16;
    pub const I128: u64 = 17;
}

/// Feed `value` into `h`. Never fails for the model's types; the error exists because serde
/// lets a `Serialize` impl report one (it is then fed as text, so the hash still changes with it).
pub fn feed<T: Serialize + ?Sized>(h: &mut StreamHash, value: &T) {
    if let Err(e) = value.serialize(Feed::new(h, None)) {
        Feed::new(h, None).text(&e.0);
    }
}

/// Feed `value` into `h`, except the commit id of every `Origin` in it, which goes into `aside`.
/// A new commit changes the `origin.commit` of every file of its repository, but only the
/// entity's own pages show it: pages that read the entity from elsewhere depend on `h` alone.
pub fn feed_apart<T: Serialize + ?Sized>(h: &mut StreamHash, aside: &mut StreamHash, value: &T) {
    if let Err(e) = value.serialize(Feed::new(h, Some(aside))) {
        Feed::new(h, None).text(&e.0);
    }
}

/// A custom error of a `Serialize` impl, kept as its message.
#[derive(Debug)]
pub struct FeedError(String);

impl Display for FeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FeedError {}

impl ser::Error for FeedError {
    fn custom<M: Display>(msg: M) -> Self {
        FeedError(msg.to_string())
    }
}

struct Feed<'a> {
    h: &'a mut StreamHash,
    /// Where the commit ids of origins go, when they are set apart (see [`feed_apart`]).
    aside: Option<&'a mut StreamHash>,
    /// This value is an `Origin` struct.
    origin: bool,
    /// Fields of this struct fed or skipped so far: a field is named by its place, which the
    /// derived `Serialize` keeps fixed (a field left out when empty calls `skip_field`).
    fields: u64,
}

impl<'a> Feed<'a> {
    fn new(h: &'a mut StreamHash, aside: Option<&'a mut StreamHash>) -> Self {
        Feed {
            h,
            aside,
            origin: false,
            fields: 0,
        }
    }
}

impl Feed<'_> {
    fn word(&mut self, w: u64) {
        self.h.number(w);
    }

    /// A string or byte run: its tag and length in one word, then its bytes (the length keeps
    /// neighbours apart).
    fn bytes(&mut self, tag: u64, bytes: &[u8]) {
        self.word(tag | (bytes.len() as u64) << 8);
        Hasher::write(self.h, bytes);
    }

    fn text(&mut self, s: &str) {
        self.bytes(tag::STR, s.as_bytes());
    }

    fn name(&mut self, tag: u64, name: &str) {
        self.bytes(tag, name.as_bytes());
    }
}

type Done = Result<(), FeedError>;

impl<'a> ser::Serializer for Feed<'a> {
    type Ok = ();
    type Error = FeedError;
    type SerializeSeq = Feed<'a>;
    type SerializeTuple = Feed<'a>;
    type SerializeTupleStruct = Feed<'a>;
    type SerializeTupleVariant = Feed<'a>;
    type SerializeMap = Feed<'a>;
    type SerializeStruct = Feed<'a>;
    type SerializeStructVariant = Feed<'a>;

    fn serialize_bool(mut self, v: bool) -> Done {
        self.word(tag::BOOL);
        self.word(u64::from(v));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Done {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Done {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Done {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(mut self, v: i64) -> Done {
        self.word(tag::INT);
        self.word(v as u64);
        Ok(())
    }
    fn serialize_i128(mut self, v: i128) -> Done {
        self.word(tag::I128);
        self.word(v as u64);
        self.word((v >> 64) as u64);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Done {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Done {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Done {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(mut self, v: u64) -> Done {
        self.word(tag::INT);
        self.word(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Done {
        self.serialize_i128(v as i128)
    }
    fn serialize_f32(self, v: f32) -> Done {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(mut self, v: f64) -> Done {
        self.word(tag::FLOAT);
        self.word(v.to_bits());
        Ok(())
    }
    fn serialize_char(mut self, v: char) -> Done {
        self.word(tag::CHAR);
        self.word(u64::from(v));
        Ok(())
    }
    fn serialize_str(mut self, v: &str) -> Done {
        self.text(v);
        Ok(())
    }
    fn serialize_bytes(mut self, v: &[u8]) -> Done {
        self.bytes(tag::BYTES, v);
        Ok(())
    }
    fn serialize_none(mut self) -> Done {
        self.word(tag::NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(mut self, value: &T) -> Done {
        self.word(tag::SOME);
        value.serialize(self)
    }
    fn serialize_unit(mut self) -> Done {
        self.word(tag::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(mut self, name: &'static str) -> Done {
        self.name(tag::UNIT, name);
        Ok(())
    }
    fn serialize_unit_variant(mut self, _: &'static str, _: u32, variant: &'static str) -> Done {
        self.name(tag::VARIANT, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.name(tag::VARIANT, variant);
        value.serialize(self)
    }
    fn serialize_seq(mut self, _: Option<usize>) -> Result<Self, FeedError> {
        self.word(tag::SEQ);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, FeedError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, FeedError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, FeedError> {
        self.name(tag::VARIANT, variant);
        self.word(tag::SEQ);
        Ok(self)
    }
    fn serialize_map(mut self, _: Option<usize>) -> Result<Self, FeedError> {
        self.word(tag::MAP);
        Ok(self)
    }
    fn serialize_struct(mut self, name: &'static str, _: usize) -> Result<Self, FeedError> {
        self.word(tag::STRUCT);
        self.origin = name == "Origin";
        Ok(self)
    }
    fn serialize_struct_variant(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, FeedError> {
        self.name(tag::VARIANT, variant);
        self.word(tag::STRUCT);
        Ok(self)
    }
    fn collect_str<T: Display + ?Sized>(mut self, value: &T) -> Done {
        self.text(&value.to_string());
        Ok(())
    }
}

impl Feed<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(Feed::new(self.h, self.aside.as_deref_mut()))
    }

    fn end(mut self) -> Done {
        self.word(tag::END);
        Ok(())
    }
}

impl ser::SerializeSeq for Feed<'_> {
    type Ok = ();
    type Error = FeedError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Done {
        Feed::end(self)
    }
}

impl ser::SerializeTuple for Feed<'_> {
    type Ok = ();
    type Error = FeedError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Done {
        Feed::end(self)
    }
}

impl ser::SerializeTupleStruct for Feed<'_> {
    type Ok = ();
    type Error = FeedError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Done {
        Feed::end(self)
    }
}

impl ser::SerializeTupleVariant for Feed<'_> {
    type Ok = ();
    type Error = FeedError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Done {
        Feed::end(self)
    }
}

impl ser::SerializeMap for Feed<'_> {
    type Ok = ();
    type Error = FeedError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        self.element(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Done {
        Feed::end(self)
    }
}

impl Feed<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        let place = self.fields << 8;
        self.fields += 1;
        if self.origin && key == "commit" && self.aside.is_some() {
            self.word(tag::SKIPPED | place);
            if let Some(aside) = self.aside.as_deref_mut() {
                return value.serialize(Feed::new(aside, None));
            }
        }
        self.word(tag::FIELD | place);
        self.element(value)
    }

    /// A field left out when empty feeds nothing: the next field fed names its own place, and
    /// the struct's end mark closes it, so which fields were there is still told apart (most
    /// of a schema property's 36 fields are empty, 200,000 properties on every build).
    fn skipped(&mut self, _: &'static str) -> Done {
        self.fields += 1;
        Ok(())
    }
}

impl ser::SerializeStruct for Feed<'_> {
    type Ok = ();
    type Error = FeedError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.field(key, value)
    }
    fn skip_field(&mut self, key: &'static str) -> Done {
        self.skipped(key)
    }
    fn end(self) -> Done {
        Feed::end(self)
    }
}

impl ser::SerializeStructVariant for Feed<'_> {
    type Ok = ();
    type Error = FeedError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.field(key, value)
    }
    fn skip_field(&mut self, key: &'static str) -> Done {
        self.skipped(key)
    }
    fn end(self) -> Done {
        Feed::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn hash<T: Serialize>(value: &T) -> u64 {
        let mut h = StreamHash::default();
        feed(&mut h, value);
        h.finish()
    }

    #[derive(Serialize)]
    struct Two {
        #[serde(skip_serializing_if = "Option::is_none")]
        a: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        b: Option<String>,
    }

    #[test]
    fn a_value_skipped_in_one_field_is_not_taken_for_the_other() {
        let a = Two {
            a: Some("x".into()),
            b: None,
        };
        let b = Two {
            a: None,
            b: Some("x".into()),
        };
        assert_ne!(hash(&a), hash(&b));
    }

    #[test]
    fn neighbouring_strings_do_not_run_together() {
        assert_ne!(hash(&("ab", "c")), hash(&("a", "bc")));
        assert_ne!(hash(&vec!["a", ""]), hash(&vec!["a"]));
        assert_ne!(
            hash(&(Some(1u32), None::<u32>)),
            hash(&(None::<u32>, Some(1u32)))
        );
    }

    #[test]
    fn the_same_value_hashes_the_same_and_any_change_shows() {
        let value = serde_json::json!({"name": "orders", "rows": 12, "ratio": 0.5, "tags": ["a"]});
        assert_eq!(hash(&value), hash(&value.clone()));
        let changed =
            serde_json::json!({"name": "orders", "rows": 13, "ratio": 0.5, "tags": ["a"]});
        assert_ne!(hash(&value), hash(&changed));
        // Stored in the build state: the same on every machine and run.
        assert_eq!(hash(&"orders"), hash(&String::from("orders")));
    }

    #[test]
    fn commits_set_apart_leave_the_rest_of_the_hash_alone() {
        let origin = |commit: &str, path: &str| model::Origin {
            source: "sales".into(),
            path: path.into(),
            commit: Some(commit.into()),
            ..Default::default()
        };
        let apart = |o: &model::Origin| {
            let (mut h, mut aside) = (StreamHash::default(), StreamHash::default());
            feed_apart(&mut h, &mut aside, &vec![o.clone()]);
            (h.finish(), aside.finish())
        };
        let (a, b) = (origin("aaaa", "p.yaml"), origin("bbbb", "p.yaml"));
        assert_eq!(apart(&a).0, apart(&b).0, "a new commit alone");
        assert_ne!(apart(&a).1, apart(&b).1, "the commit is kept aside");
        assert_ne!(apart(&a).0, apart(&origin("aaaa", "q.yaml")).0);
        // Fed whole, the commit counts.
        assert_ne!(hash(&a), hash(&b));
    }
}
