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

/// A field's value that a sparse cache entry leaves out: the type's empty value.
trait Empty {
    fn is_empty_value(&self) -> bool;
}

impl Empty for bool {
    fn is_empty_value(&self) -> bool {
        !*self
    }
}

impl Empty for String {
    fn is_empty_value(&self) -> bool {
        self.is_empty()
    }
}

impl<T> Empty for Option<T> {
    fn is_empty_value(&self) -> bool {
        self.is_none()
    }
}

impl<T> Empty for Vec<T> {
    fn is_empty_value(&self) -> bool {
        self.is_empty()
    }
}

/// Schema properties (the columns of every contract: ~200k at 10,000 products, ~35 fields each,
/// most of them empty) in a sparse form: a bit mask of the fields that are not empty, then only
/// those fields. Decoding a dense entry visited every empty field of every column, which was
/// most of what reading the parse cache cost. The struct is destructured and rebuilt naming
/// every field, so a field added to [`SchemaProperty`](crate::SchemaProperty) without being
/// added here does not compile.
pub mod schema_properties {
    use super::*;
    use crate::SchemaProperty;
    use serde::de::{Error, SeqAccess, Visitor};
    use serde::ser::SerializeSeq;

    /// `#[serde(with)]` for a list of schema properties: the list itself in JSON, sparse in a
    /// cache.
    pub fn serialize<S: Serializer>(items: &[SchemaProperty], s: S) -> Result<S::Ok, S::Error> {
        if every_field() {
            Sparse(items).serialize(s)
        } else {
            items.serialize(s)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<SchemaProperty>, D::Error> {
        if reading() {
            SparseList::deserialize(d).map(|l| l.0)
        } else {
            Vec::<SchemaProperty>::deserialize(d)
        }
    }

    /// A list written sparse (nested properties too).
    struct Sparse<'a>(&'a [SchemaProperty]);

    impl Serialize for Sparse<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().map(One))
        }
    }

    struct One<'a>(&'a SchemaProperty);

    /// A list read back from its sparse form.
    struct SparseList(Vec<SchemaProperty>);

    impl<'de> Deserialize<'de> for SparseList {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Items;
            impl<'de> Visitor<'de> for Items {
                type Value = SparseList;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a list of sparse schema properties")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SparseList, A::Error> {
                    // Bounded: a damaged length must not allocate more than the entry holds.
                    let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                    while let Some(OneOwned(p)) = seq.next_element()? {
                        items.push(p);
                    }
                    Ok(SparseList(items))
                }
            }
            d.deserialize_seq(Items)
        }
    }

    struct OneOwned(SchemaProperty);

    macro_rules! sparse {
        ($($field:ident),* ; $nested:ident) => {
            impl Serialize for One<'_> {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    let SchemaProperty { $($field,)* $nested } = self.0;
                    let mut mask: u64 = 0;
                    let mut bit = 0;
                    $(
                        if !$field.is_empty_value() {
                            mask |= 1 << bit;
                        }
                        bit += 1;
                    )*
                    if !$nested.is_empty() {
                        mask |= 1 << bit;
                    }
                    let mut seq = s.serialize_seq(Some(1 + mask.count_ones() as usize))?;
                    seq.serialize_element(&mask)?;
                    $(
                        if !$field.is_empty_value() {
                            seq.serialize_element($field)?;
                        }
                    )*
                    if !$nested.is_empty() {
                        seq.serialize_element(&Sparse($nested))?;
                    }
                    seq.end()
                }
            }

            impl<'de> Deserialize<'de> for OneOwned {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    struct Fields;
                    impl<'de> Visitor<'de> for Fields {
                        type Value = OneOwned;
                        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                            f.write_str("a sparse schema property")
                        }
                        fn visit_seq<A: SeqAccess<'de>>(
                            self,
                            mut seq: A,
                        ) -> Result<OneOwned, A::Error> {
                            let missing = || A::Error::custom("a sparse schema property cut short");
                            let mask: u64 = seq.next_element()?.ok_or_else(missing)?;
                            let mut bit = 0;
                            $(
                                let $field = if mask & (1 << bit) != 0 {
                                    seq.next_element()?.ok_or_else(missing)?
                                } else {
                                    Default::default()
                                };
                                bit += 1;
                            )*
                            let $nested = if mask & (1 << bit) != 0 {
                                seq.next_element::<SparseList>()?.ok_or_else(missing)?.0
                            } else {
                                Vec::new()
                            };
                            if mask >> (bit + 1) != 0 {
                                return Err(A::Error::custom("a sparse schema property with unknown fields"));
                            }
                            Ok(OneOwned(SchemaProperty { $($field,)* $nested }))
                        }
                    }
                    d.deserialize_seq(Fields)
                }
            }
        };
    }

    sparse!(
        name, business_name, logical_type, physical_type, description, required, unique,
        primary_key, primary_key_position, partitioned, classification, pii, examples,
        enum_values, references, tags, quality, custom, physical_name, type_options,
        partition_key_position, critical, relationships, definitions, transform, extensions,
        lineage, semantic_type, element_id, enum_details, synonyms, definition_ref, config, notes;
        properties
    );
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
    #[test]
    fn schema_properties_round_trip_sparse_in_a_cache_only() {
        use crate::SchemaProperty;
        // Every field set (lists of one default element), nested twice; and one with none set.
        let full = SchemaProperty {
            name: "id".into(),
            business_name: Some("Id".into()),
            logical_type: Some("string".into()),
            physical_type: Some("varchar".into()),
            description: Some("The id.".into()),
            required: true,
            unique: true,
            primary_key: true,
            primary_key_position: Some(1),
            partitioned: true,
            classification: Some("public".into()),
            pii: true,
            examples: vec!["a".into()],
            enum_values: vec!["b".into()],
            references: Some("t.id".into()),
            tags: vec!["c".into()],
            quality: vec![Default::default()],
            custom: vec![crate::Property {
                key: "k".into(),
                value: serde_json::json!({"x": [1, -2, 0.5]}),
                description: None,
            }],
            properties: vec![SchemaProperty {
                name: "inner".into(),
                properties: vec![SchemaProperty {
                    name: "innermost".into(),
                    critical: true,
                    ..Default::default()
                }],
                ..Default::default()
            }],
            physical_name: Some("ID".into()),
            type_options: vec![Default::default()],
            partition_key_position: Some(2),
            critical: true,
            relationships: vec![crate::Relationship {
                kind: Some("fk".into()),
                from: vec!["id".into()],
                to: vec!["t.id".into()],
            }],
            definitions: vec![Default::default()],
            transform: vec![Default::default()],
            extensions: vec![Default::default()],
            lineage: vec!["d".into()],
            semantic_type: Some("e".into()),
            element_id: Some("f".into()),
            enum_details: vec![Default::default()],
            synonyms: vec![Default::default()],
            definition_ref: Some("g".into()),
            config: vec![Default::default()],
            notes: vec![Default::default()],
        };
        #[derive(Serialize, Deserialize)]
        struct Holder {
            #[serde(with = "schema_properties")]
            properties: Vec<SchemaProperty>,
        }
        let holder = Holder {
            properties: vec![full, SchemaProperty::default()],
        };
        let json = serde_json::to_value(&holder).unwrap();
        assert_eq!(
            json["properties"][0]["logicalType"], "string",
            "JSON as before"
        );
        let sparse = keep_every_field(|| serde_json::to_string(&holder).unwrap());
        assert!(!sparse.contains("logicalType"), "{sparse}");
        let back: Holder = read_cached(|| serde_json::from_str(&sparse).unwrap());
        assert_eq!(
            format!("{:?}", back.properties),
            format!("{:?}", holder.properties)
        );
        // A mask naming a field past the last, or more fields than given, is refused.
        for bad in [
            r#"{"properties":[[68719476736]]}"#,
            r#"{"properties":[[1]]}"#,
        ] {
            let read = read_cached(|| serde_json::from_str::<Holder>(bad));
            assert!(read.is_err(), "{bad}");
        }
    }
}
