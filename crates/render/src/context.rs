//! Page contexts handed to Tera without a serde round trip: `tera::Context::from_serialize` walks
//! a `serde_json::Value` through Serde's serializer and rebuilds every map and string (a profile
//! of a full render showed it, with its hashing, among the largest costs). Here the context is
//! consumed and each value converted directly.

use serde_json::Value as Json;

/// `specific`'s top-level entries added to `context` (a later key replaces an earlier one).
/// A page's context must be an object, as `from_serialize` required: anything else is an error
/// rather than a page rendered without its data.
pub fn extend(context: &mut tera::Context, specific: Json) -> Result<(), String> {
    let Json::Object(map) = specific else {
        return Err(format!(
            "a page's context must be a JSON object, not {}",
            kind_of(&specific)
        ));
    };
    for (key, value) in map {
        context.insert_value(key, tera_value(value));
    }
    Ok(())
}

/// `object` with `fields` moved in. `json!` copies every value it is given through serde (a
/// `Vec<Value>` of a page's ports or schema rows is rebuilt, then the original dropped): page
/// builders put the parts they built before into the object with this instead.
pub fn with(mut object: Json, fields: impl IntoIterator<Item = (&'static str, Json)>) -> Json {
    if let Json::Object(map) = &mut object {
        for (key, value) in fields {
            map.insert(key.to_string(), value);
        }
    }
    object
}

fn kind_of(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// One JSON value as the Tera value `from_serialize` would give: numbers keep their kind
/// (unsigned, signed, float), null is Tera's none.
pub fn tera_value(value: Json) -> tera::Value {
    match value {
        Json::Null => tera::Value::none(),
        Json::Bool(b) => b.into(),
        Json::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into()
            } else if let Some(i) = n.as_i64() {
                i.into()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into()
            }
        }
        Json::String(s) => s.as_str().into(),
        // Arrays and objects through Tera's own serializer, which builds each map once: a
        // `tera::Map` built here and converted with `.into()` is rebuilt (every key hashed and
        // inserted again) by `From<HashMap>`. A JSON value always serialises; none is a guard.
        nested => {
            tera::Value::try_from_serializable(&nested).unwrap_or_else(|_| tera::Value::none())
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn converts_like_from_serialize() {
        let value = json!({
            "s": "a <b>", "n": null, "t": true, "u": 3, "i": -4, "f": 1.5,
            "list": [1, "two", {"k": [null]}], "map": {"x": {"y": "z"}},
        });
        let by_serde = tera::Context::from_serialize(&value).unwrap();
        let mut direct = tera::Context::new();
        super::extend(&mut direct, value).unwrap();
        let mut tera = tera::Tera::new();
        tera.add_raw_template(
            "t",
            "{{ s }}|{{ n is none }}|{{ t }}|{{ u + 1 }}|{{ i }}|{{ f }}|{{ list | length }}\
             {% for x in list %}[{{ x }}]{% endfor %}|{{ map.x.y }}|{{ list[2].k | length }}",
        )
        .unwrap();
        let expected = tera.render("t", &by_serde).unwrap();
        assert_eq!(tera.render("t", &direct).unwrap(), expected);
        assert_eq!(
            expected,
            "a <b>|true|true|4|-4|1.5|3[1][two][{\"k\": []}]|z|1"
        );
    }

    #[test]
    fn with_moves_built_values_into_the_object() {
        let built = vec![json!({"name": "a"}), json!({"name": "b"})];
        let v = super::with(json!({"n": 2}), [("rows", built.into())]);
        assert_eq!(v, json!({"n": 2, "rows": [{"name": "a"}, {"name": "b"}]}));
    }

    #[test]
    fn a_context_that_is_not_an_object_is_an_error() {
        let mut context = tera::Context::new();
        let err = super::extend(&mut context, json!(["a"])).unwrap_err();
        assert!(err.contains("not an array"), "{err}");
    }
}
