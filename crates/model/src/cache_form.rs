//! The form of the model that caches store: every field written, in order, without names.
//!
//! A few fields are left out of JSON output when empty (`skip_serializing_if`). A cache that
//! stores structs positionally (no field names: a third of the bytes and most of the decoding
//! time of the parse cache) cannot tell which field was left out, so while [`keep_every_field`]
//! runs on a thread, those fields are written even when empty. JSON output is unchanged.
//!
//! Free-form values (`serde_json::Value`: custom properties, examples, quality thresholds) are
//! written in a typed form ([`value`]) while [`keep_every_field`] runs and read back from it
//! while [`read_cached`] runs: a cache in a format that does not describe itself (bincode)
//! cannot read a `Value` back, since a `Value` asks the format what comes next.

use std::cell::Cell;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

thread_local! {
    static EVERY_FIELD: Cell<bool> = const { Cell::new(false) };
    static READING: Cell<bool> = const { Cell::new(false) };
}

/// Set a thread's flag for the time of `f`, then put it back as it was (even on a panic).
fn with_flag<R>(flag: &'static std::thread::LocalKey<Cell<bool>>, f: impl FnOnce() -> R) -> R {
    struct Restore(&'static std::thread::LocalKey<Cell<bool>>, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            self.0.with(|c| c.set(self.1));
        }
    }
    let _restore = Restore(flag, flag.with(|c| c.replace(true)));
    f()
}

/// Run `f` (a serialisation into a positional cache) with every field written.
pub fn keep_every_field<R>(f: impl FnOnce() -> R) -> R {
    with_flag(&EVERY_FIELD, f)
}

/// Run `f` (a deserialisation of what [`keep_every_field`] wrote) with free-form values read
/// in their typed form.
pub fn read_cached<R>(f: impl FnOnce() -> R) -> R {
    with_flag(&READING, f)
}

fn every_field() -> bool {
    EVERY_FIELD.with(Cell::get)
}

fn reading() -> bool {
    READING.with(Cell::get)
}

/// A free-form value as a cache writes it: every variant says what it holds.
#[derive(Serialize)]
enum TypedRef<'a> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    String(&'a str),
    Array(Vec<TypedRef<'a>>),
    Object(Vec<(&'a str, TypedRef<'a>)>),
}

/// [`TypedRef`] as read back (the same variants, in the same order).
#[derive(Deserialize)]
enum Typed {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    String(String),
    Array(Vec<Typed>),
    Object(Vec<(String, Typed)>),
}

impl<'a> From<&'a serde_json::Value> for TypedRef<'a> {
    fn from(value: &'a serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => TypedRef::Null,
            Value::Bool(b) => TypedRef::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => TypedRef::U64(u),
                (None, Some(i)) => TypedRef::I64(i),
                _ => TypedRef::F64(n.as_f64().unwrap_or_default()),
            },
            Value::String(s) => TypedRef::String(s),
            Value::Array(items) => TypedRef::Array(items.iter().map(TypedRef::from).collect()),
            Value::Object(map) => TypedRef::Object(
                map.iter()
                    .map(|(k, v)| (k.as_str(), TypedRef::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<Typed> for serde_json::Value {
    fn from(typed: Typed) -> Self {
        use serde_json::Value;
        match typed {
            Typed::Null => Value::Null,
            Typed::Bool(b) => Value::Bool(b),
            Typed::U64(u) => Value::from(u),
            Typed::I64(i) => Value::from(i),
            Typed::F64(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            Typed::String(s) => Value::String(s),
            Typed::Array(items) => Value::Array(items.into_iter().map(Value::from).collect()),
            Typed::Object(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, Value::from(v)))
                    .collect(),
            ),
        }
    }
}

/// `#[serde(with)]` for a free-form value: itself in JSON, [`TypedRef`] in a cache.
pub mod value {
    use super::*;

    pub fn serialize<S: Serializer>(value: &serde_json::Value, s: S) -> Result<S::Ok, S::Error> {
        if every_field() {
            TypedRef::from(value).serialize(s)
        } else {
            value.serialize(s)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<serde_json::Value, D::Error> {
        if reading() {
            Typed::deserialize(d).map(serde_json::Value::from)
        } else {
            serde_json::Value::deserialize(d)
        }
    }
}

/// `#[serde(with)]` for an optional free-form value (see [`value`]).
pub mod option_value {
    use super::*;

    pub fn serialize<S: Serializer>(
        value: &Option<serde_json::Value>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        if every_field() {
            value.as_ref().map(TypedRef::from).serialize(s)
        } else {
            value.serialize(s)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<serde_json::Value>, D::Error> {
        if reading() {
            Option::<Typed>::deserialize(d).map(|v| v.map(serde_json::Value::from))
        } else {
            Option::<serde_json::Value>::deserialize(d)
        }
    }
}

/// `skip_serializing_if` for an optional field: left out when empty, except in a cache.
pub fn skip_none<T>(value: &Option<T>) -> bool {
    value.is_none() && !every_field()
}

/// `skip_serializing_if` for a list: left out when empty, except in a cache.
pub fn skip_empty<T>(value: &[T]) -> bool {
    value.is_empty() && !every_field()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_are_skipped_outside_a_cache_only() {
        assert!(skip_none::<u32>(&None));
        assert!(skip_empty::<u8>(&[]));
        keep_every_field(|| {
            assert!(!skip_none::<u32>(&None));
            assert!(!skip_empty::<u8>(&[]));
        });
        assert!(skip_none::<u32>(&None), "the flag is restored afterwards");
        assert!(!skip_none(&Some(1)));
    }

    #[test]
    fn free_form_values_are_typed_in_a_cache_only() {
        let value = serde_json::json!({
            "n": 3, "neg": -4, "f": 0.5, "big": u64::MAX, "s": "x", "b": true, "z": null,
            "list": [1, "two", {"three": [3.0]}], "empty": {}
        });
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Holder {
            #[serde(with = "value")]
            v: serde_json::Value,
            #[serde(with = "option_value")]
            o: Option<serde_json::Value>,
        }
        let holder = Holder {
            v: value.clone(),
            o: Some(value.clone()),
        };
        let json = serde_json::to_value(&holder).unwrap();
        assert_eq!(json["v"], value, "JSON output holds the value itself");
        let typed = keep_every_field(|| serde_json::to_string(&holder).unwrap());
        assert!(typed.contains("\"Object\""), "{typed}");
        let back: Holder = read_cached(|| serde_json::from_str(&typed).unwrap());
        assert_eq!(back, holder);
        // Key order is kept (`preserve_order`), as the parser wrote it.
        assert_eq!(back.v.to_string(), value.to_string());
    }
}
