//! A small checker over the positioned YAML tree: every finding carries the line and column of the
//! offending value. The per-standard rules (each standard's `validate` module) are written with it.

use model::yaml::{Node, Pos, Value};

/// One way a document breaks the rules of its standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub pos: Pos,
    /// Where in the document, e.g. `schema[0].properties[2].logicalType`.
    pub path: String,
    pub message: String,
    pub hint: String,
}

#[derive(Default)]
pub struct Checker {
    pub issues: Vec<Issue>,
}

/// `a.b`, `a[0]`: the path of a child.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

fn kind(node: &Node) -> String {
    match node.scalar_text() {
        Some(t) if matches!(node.value, Value::Str(_)) => format!("the text {t:?}"),
        Some(t) => format!("{} ({t})", node.value.kind_name()),
        None => node.value.kind_name().to_string(),
    }
}

impl Checker {
    pub fn error(&mut self, pos: Pos, path: &str, message: String, hint: impl Into<String>) {
        self.issues.push(Issue {
            pos,
            path: path.to_string(),
            message,
            hint: hint.into(),
        });
    }

    /// The node must be a mapping; with `strict`, only `known` keys are allowed.
    pub fn object(&mut self, node: &Node, path: &str, known: &[&str], strict: bool) -> bool {
        if !node.is_map() {
            let at = if path.is_empty() {
                "the document"
            } else {
                path
            };
            self.error(
                node.pos,
                path,
                format!(
                    "`{at}` must be a mapping (key: value pairs), found {}",
                    kind(node)
                ),
                "indent the nested keys below this one",
            );
            return false;
        }
        if strict {
            for (key, _) in node.entries() {
                if !known.contains(&key.text.as_str()) {
                    let closest = known
                        .iter()
                        .map(|k| (strsim::jaro_winkler(k, &key.text), *k))
                        .filter(|(score, _)| *score > 0.85)
                        .max_by(|a, b| a.0.total_cmp(&b.0))
                        .map(|(_, k)| k);
                    let hint = match closest {
                        Some(k) => format!("did you mean `{k}`?"),
                        None if known.contains(&"customProperties") => format!(
                            "the standard does not define `{}` here; move it under `customProperties` as `- property: {}` / `value: …`",
                            key.text, key.text
                        ),
                        None => format!("the standard does not define `{}` here; remove it", key.text),
                    };
                    self.error(
                        key.pos,
                        &join(path, &key.text),
                        format!(
                            "unknown field `{}`{}",
                            key.text,
                            if path.is_empty() {
                                String::new()
                            } else {
                                format!(" in `{path}`")
                            }
                        ),
                        hint,
                    );
                }
            }
        }
        true
    }

    pub fn required(&mut self, node: &Node, path: &str, keys: &[&str]) {
        for key in keys {
            if node.get(key).is_none() {
                let at = if path.is_empty() {
                    "the document"
                } else {
                    path
                };
                self.error(
                    node.pos,
                    &join(path, key),
                    format!("required field `{key}` is missing in {at}"),
                    format!("add `{key}:`"),
                );
            }
        }
    }

    fn typed(&mut self, node: &Node, path: &str, key: &str, ok: fn(&Value) -> bool, want: &str) {
        if let Some(v) = node.get(key) {
            if !ok(&v.value) {
                self.error(
                    v.pos,
                    &join(path, key),
                    format!("`{key}` must be {want}, found {}", kind(v)),
                    type_hint(want),
                );
            }
        }
    }

    pub fn strings(&mut self, node: &Node, path: &str, keys: &[&str]) {
        for key in keys {
            self.typed(node, path, key, |v| matches!(v, Value::Str(_)), "text");
        }
    }

    pub fn booleans(&mut self, node: &Node, path: &str, keys: &[&str]) {
        for key in keys {
            self.typed(
                node,
                path,
                key,
                |v| matches!(v, Value::Bool(_)),
                "true or false",
            );
        }
    }

    pub fn integers(&mut self, node: &Node, path: &str, keys: &[&str], min: Option<i64>) {
        for key in keys {
            self.typed(
                node,
                path,
                key,
                |v| matches!(v, Value::Int(_)),
                "a whole number",
            );
            if let (Some(min), Some(v)) = (min, node.get(key)) {
                if let Value::Int(i) = v.value {
                    if i < min {
                        self.error(
                            v.pos,
                            &join(path, key),
                            format!("`{key}` must be at least {min}, found {i}"),
                            "use a number that is not negative",
                        );
                    }
                }
            }
        }
    }

    pub fn numbers(&mut self, node: &Node, path: &str, keys: &[&str]) {
        for key in keys {
            self.typed(
                node,
                path,
                key,
                |v| matches!(v, Value::Int(_) | Value::Float(_)),
                "a number",
            );
        }
    }

    /// Scalars only (text, number, boolean or null): no lists or mappings.
    pub fn scalars(&mut self, node: &Node, path: &str, keys: &[&str]) {
        for key in keys {
            self.typed(
                node,
                path,
                key,
                |v| !matches!(v, Value::Seq(_) | Value::Map(_)),
                "a single value",
            );
        }
    }

    pub fn maps(&mut self, node: &Node, path: &str, keys: &[&str]) {
        for key in keys {
            self.typed(node, path, key, |v| matches!(v, Value::Map(_)), "a mapping");
        }
    }

    /// A text field whose value must be one of `values`.
    pub fn one_of(&mut self, node: &Node, path: &str, key: &str, values: &[&str]) {
        let Some(v) = node.get(key) else { return };
        match &v.value {
            Value::Str(s) if values.contains(&s.as_str()) => {}
            Value::Str(s) => {
                let closest = values
                    .iter()
                    .map(|k| (strsim::jaro_winkler(k, s), *k))
                    .filter(|(score, _)| *score > 0.8)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, k)| k);
                self.error(
                    v.pos,
                    &join(path, key),
                    format!("`{key}` is {s:?}, which the standard does not allow here"),
                    match closest {
                        Some(c) => format!("did you mean `{c}`? allowed: {}", values.join(", ")),
                        None => format!("allowed: {}", values.join(", ")),
                    },
                );
            }
            _ => self.strings(node, path, &[key]),
        }
    }

    /// A text field that must match a pattern (`what` says in words what is expected).
    pub fn pattern(&mut self, node: &Node, path: &str, key: &str, re: &regex::Regex, what: &str) {
        let Some(v) = node.get(key) else { return };
        match &v.value {
            Value::Str(s) if re.is_match(s) => {}
            Value::Str(s) => self.error(
                v.pos,
                &join(path, key),
                format!("`{key}` is {s:?}, which is not {what}"),
                format!("write {what}"),
            ),
            _ => self.strings(node, path, &[key]),
        }
    }

    /// The items of a list field (a type error when it is not a list).
    pub fn list<'n>(&mut self, node: &'n Node, path: &str, key: &str) -> &'n [Node] {
        let Some(v) = node.get(key) else { return &[] };
        match &v.value {
            Value::Seq(items) => items,
            _ => {
                self.error(
                    v.pos,
                    &join(path, key),
                    format!("`{key}` must be a list, found {}", kind(v)),
                    "start each entry on its own line with `- `",
                );
                &[]
            }
        }
    }

    /// A list of texts.
    pub fn string_list(&mut self, node: &Node, path: &str, key: &str) {
        let p = join(path, key);
        for (i, item) in self.list(node, path, key).iter().enumerate() {
            if !matches!(item.value, Value::Str(_)) {
                self.error(
                    item.pos,
                    &index(&p, i),
                    format!("each entry of `{key}` must be text, found {}", kind(item)),
                    "quote the value",
                );
            }
        }
    }

    /// The entries of a mapping field (a type error when it is not a mapping).
    pub fn entries<'n>(
        &mut self,
        node: &'n Node,
        path: &str,
        key: &str,
    ) -> &'n [(model::yaml::Key, Node)] {
        let Some(v) = node.get(key) else { return &[] };
        if v.is_map() {
            v.entries()
        } else {
            self.error(
                v.pos,
                &join(path, key),
                format!(
                    "`{key}` must be a mapping (key: value pairs), found {}",
                    kind(v)
                ),
                "indent the nested keys below this one",
            );
            &[]
        }
    }
}

fn type_hint(want: &str) -> &'static str {
    match want {
        "text" => "quote the value, e.g. `\"1.0\"`, so YAML reads it as text",
        "true or false" => "write `true` or `false` without quotes",
        "a whole number" | "a number" => "write the number without quotes",
        "a mapping" => "indent the nested keys below this one",
        _ => "write a plain value on the same line as the key",
    }
}
