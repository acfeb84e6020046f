//! Typed reads from a YAML node tree that turn every mismatch into a located diagnostic.

use model::diagnostics::{Diagnostic, Severity};
use model::Code;
use model::{Link, Member, Origin, Property, Support};

use model::display::humanize;
use model::yaml::{Node, Pos, Value};

/// Reading state for one document: where it came from and what was wrong so far.
pub struct Ctx<'a> {
    pub origin: &'a Origin,
    pub diagnostics: Vec<Diagnostic>,
    /// The other files of the source, for references between files; None when a file is read
    /// on its own (`meshdoc diff FILE`): such references are then kept as written.
    pub files: Option<&'a crate::refs::SourceFiles<'a>>,
}

impl<'a> Ctx<'a> {
    pub fn new(origin: &'a Origin) -> Self {
        Ctx {
            origin,
            diagnostics: Vec::new(),
            files: None,
        }
    }

    /// Follow a reference to another file of the source (see [`crate::refs`]): the node it
    /// points at, cloned, and the file's path. A reference that leaves the source or names a
    /// missing file is a warning at `pos`; URLs and references without a file are not followed.
    pub fn follow(&mut self, pos: Pos, reference: &str) -> Option<(Node, String)> {
        use crate::refs::Target;
        let files = self.files?;
        match files.resolve(&self.origin.path, reference) {
            Target::Found {
                path,
                documents,
                fragment,
            } => {
                let found = documents
                    .iter()
                    .find_map(|d| crate::refs::pointer(d, &fragment))
                    .cloned();
                if found.is_none() {
                    self.warn_at(
                        pos,
                        Code::UnresolvedRef,
                        format!("`$ref` points to `#{fragment}` in {path}, which that file does not define"),
                        "check the path after `#` (a JSON pointer such as `#/definitions/sku`)",
                    );
                }
                found.map(|n| (n, path))
            }
            Target::Outside => {
                self.warn_at(
                    pos,
                    Code::UnresolvedRef,
                    format!("`$ref` to {reference} leaves this source; it is not followed"),
                    "refer to files inside the same repository, relative to this file",
                );
                None
            }
            Target::Missing(path) => {
                self.warn_at(
                    pos,
                    Code::UnresolvedRef,
                    format!("`$ref` points to {path}, which this source does not have"),
                    "fix the path (relative to this file) or add the file",
                );
                None
            }
            Target::Elsewhere => None,
        }
    }

    pub fn report(
        &mut self,
        severity: Severity,
        pos: Pos,
        code: Code,
        message: String,
        hint: &str,
    ) {
        self.diagnostics.push(
            Diagnostic::new(severity, code, message)
                .at_file(&self.origin.source, &self.origin.path)
                .at(pos.line, pos.column)
                .hint(hint),
        );
    }

    pub fn error_at(&mut self, pos: Pos, code: Code, message: String, hint: &str) {
        self.report(Severity::Error, pos, code, message, hint);
    }

    pub fn warn_at(&mut self, pos: Pos, code: Code, message: String, hint: &str) {
        self.report(Severity::Warning, pos, code, message, hint);
    }

    /// A scalar field as text; a list or mapping there is a `wrong-type` error.
    pub fn str(&mut self, node: &Node, key: &str) -> Option<String> {
        let value = node.get(key)?;
        match &value.value {
            Value::Null => None,
            Value::Seq(_) | Value::Map(_) => {
                self.error_at(
                    value.pos,
                    Code::WrongType,
                    format!(
                        "`{key}` must be a single value, found {}",
                        value.value.kind_name()
                    ),
                    "write the value on the same line as the key, e.g. `key: value`",
                );
                None
            }
            _ => value.scalar_text().filter(|s| !s.trim().is_empty()),
        }
    }

    /// A field that must be there: missing or empty is a `missing-field` error at the document.
    pub fn required_str(&mut self, node: &Node, key: &str, what: &str) -> Option<String> {
        let value = self.str(node, key);
        if value.is_none()
            && !node
                .get(key)
                .is_some_and(|v| !v.is_null() && v.scalar_text().is_none())
        {
            let pos = node.get(key).map_or(node.pos, |v| v.pos);
            self.error_at(
                pos,
                Code::MissingField,
                format!("required field `{key}` is missing or empty"),
                &format!("add `{key}:` with {what}"),
            );
        }
        value
    }

    pub fn bool(&mut self, node: &Node, key: &str) -> Option<bool> {
        let value = node.get(key)?;
        match &value.value {
            Value::Null => None,
            Value::Bool(b) => Some(*b),
            Value::Str(s) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("yes") => {
                Some(true)
            }
            Value::Str(s) if s.eq_ignore_ascii_case("false") || s.eq_ignore_ascii_case("no") => {
                Some(false)
            }
            _ => {
                self.error_at(
                    value.pos,
                    Code::WrongType,
                    format!("`{key}` must be true or false, found {}", describe(value)),
                    "write `true` or `false` without quotes",
                );
                None
            }
        }
    }

    pub fn int(&mut self, node: &Node, key: &str) -> Option<i64> {
        let value = node.get(key)?;
        match &value.value {
            Value::Null => None,
            Value::Int(i) => Some(*i),
            Value::Str(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            _ => {
                self.error_at(
                    value.pos,
                    Code::WrongType,
                    format!("`{key}` must be a whole number, found {}", describe(value)),
                    "write a number such as `1`",
                );
                None
            }
        }
    }

    /// A list of scalars; a single scalar is accepted as a list of one.
    pub fn str_list(&mut self, node: &Node, key: &str) -> Vec<String> {
        let Some(value) = node.get(key) else {
            return Vec::new();
        };
        match &value.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => items.iter().filter_map(Node::scalar_text).collect(),
            Value::Map(_) => {
                self.error_at(
                    value.pos,
                    Code::WrongType,
                    format!("`{key}` must be a list, found a mapping"),
                    "write the entries as a list: `- value`",
                );
                Vec::new()
            }
            _ => value.scalar_text().into_iter().collect(),
        }
    }

    /// The items of a list field; anything else there is a `wrong-type` error.
    pub fn list<'n>(&mut self, node: &'n Node, key: &str) -> &'n [Node] {
        let Some(value) = node.get(key) else {
            return &[];
        };
        match &value.value {
            Value::Seq(items) => items,
            Value::Null => &[],
            _ => {
                self.error_at(
                    value.pos,
                    Code::WrongType,
                    format!("`{key}` must be a list, found {}", value.value.kind_name()),
                    "start each entry on its own line with `- `",
                );
                &[]
            }
        }
    }

    /// A mapping field; anything else there is a `wrong-type` error.
    pub fn map<'n>(&mut self, node: &'n Node, key: &str) -> Option<&'n Node> {
        let value = node.get(key)?;
        match &value.value {
            Value::Map(_) => Some(value),
            Value::Null => None,
            _ => {
                self.error_at(
                    value.pos,
                    Code::WrongType,
                    format!(
                        "`{key}` must be a mapping (key: value pairs), found {}",
                        value.value.kind_name()
                    ),
                    "indent the nested keys below this one",
                );
                None
            }
        }
    }

    /// ODCS/ODPS `customProperties: [{property, value}]`.
    pub fn custom_properties(&mut self, node: &Node) -> Vec<Property> {
        let mut out = Vec::new();
        for item in self.list(node, "customProperties") {
            match item.get("property").and_then(Node::scalar_text) {
                Some(key) => out.push(Property {
                    key,
                    value: item
                        .get("value")
                        .map_or(serde_json::Value::Null, Node::to_json),
                    description: text(item, "description"),
                }),
                None => self.warn_at(
                    item.pos,
                    Code::MissingField,
                    "custom property without `property` name".into(),
                    "write custom properties as `- property: name` / `value: ...`",
                ),
            }
        }
        out
    }

    /// Lists of members: `{username|id|emailAddress, name, role, description, dateIn, dateOut}`;
    /// their other fields are kept as written.
    pub fn members(&mut self, list: &[Node]) -> Vec<Member> {
        list.iter().filter_map(member).collect()
    }
}

/// Member fields read into the model; the others are kept as details.
const MEMBER_KEYS: &[&str] = &[
    "username",
    "id",
    "email",
    "emailAddress",
    "name",
    "role",
    "description",
    "dateIn",
    "dateOut",
];

fn member(m: &Node) -> Option<Member> {
    if let Some(text) = m.scalar_text() {
        return Some(Member::new(text));
    }
    let email = m
        .get("email")
        .or(m.get("emailAddress"))
        .and_then(Node::scalar_text);
    let id = m
        .get("username")
        .or(m.get("id"))
        .and_then(Node::scalar_text)
        .or_else(|| email.clone())
        .or_else(|| m.get("name").and_then(Node::scalar_text))?;
    Some(Member {
        id,
        name: text(m, "name"),
        email,
        role: text(m, "role"),
        description: text(m, "description"),
        date_in: text(m, "dateIn"),
        date_out: text(m, "dateOut"),
        details: extensions(m, MEMBER_KEYS),
    })
}

/// Synonyms (ODPS v1.1, ODCS v3.2): `[{synonym, description, locale, source, status}]`; a plain
/// string is a synonym too.
pub fn synonyms(node: Option<&Node>) -> Vec<model::Synonym> {
    let Some(node) = node else { return Vec::new() };
    node.items()
        .iter()
        .filter_map(|s| {
            if let Some(t) = s.scalar_text() {
                return Some(model::Synonym {
                    synonym: t,
                    ..Default::default()
                });
            }
            Some(model::Synonym {
                synonym: text(s, "synonym")?,
                description: text(s, "description"),
                locale: text(s, "locale"),
                source: text(s, "source"),
                status: text(s, "status"),
            })
        })
        .collect()
}

/// Guidance for AI agents (`context: {instructions, verifiedStatements, constraints}`).
pub fn guidance(node: Option<&Node>) -> Option<model::Guidance> {
    let node = node.filter(|n| !n.is_null())?;
    if let Some(t) = node.scalar_text() {
        return Some(model::Guidance {
            instructions: Some(t),
            ..Default::default()
        });
    }
    let statements = node
        .get("verifiedStatements")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| {
            Some(model::Statement {
                question: s.scalar_text().or_else(|| text(s, "question"))?,
                answer: text(s, "answer"),
            })
        })
        .collect();
    let constraints = node
        .get("constraints")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|c| c.scalar_text().or_else(|| text(c, "constraint")))
        .collect();
    Some(model::Guidance {
        instructions: text(node, "instructions"),
        statements,
        constraints,
        details: extensions(node, &["instructions", "verifiedStatements", "constraints"]),
    })
}

/// A team block written inside a product or contract: its own name, description, tags, links
/// and custom properties (members are read separately).
pub fn team_info(ctx: &mut Ctx, team: &Node) -> Option<model::TeamInfo> {
    if !team.is_map() {
        return None;
    }
    let info = model::TeamInfo {
        name: text(team, "name"),
        description: text(team, "description"),
        tags: ctx.str_list(team, "tags"),
        links: links(team.get("authoritativeDefinitions")),
        custom: ctx.custom_properties(team),
    };
    (info != model::TeamInfo::default()).then_some(info)
}

fn describe(node: &Node) -> String {
    match node.scalar_text() {
        Some(text) => format!("{text:?}"),
        None => node.value.kind_name().to_string(),
    }
}

/// Fields of a mapping that are not in `known`, kept as extensions.
pub fn extensions(node: &Node, known: &[&str]) -> Vec<Property> {
    extensions_beyond(node, &[known])
}

/// Fields of a mapping that are in none of the `known` lists, kept as extensions.
pub fn extensions_beyond(node: &Node, known: &[&[&str]]) -> Vec<Property> {
    node.entries()
        .iter()
        .filter(|(k, _)| !known.iter().any(|list| list.contains(&k.text.as_str())))
        .map(|(k, v)| Property {
            key: k.text.clone(),
            value: v.to_json(),
            ..Default::default()
        })
        .collect()
}

/// Links written as a mapping (`title: url`) or as a list of `{url, title|name|description}`
/// (authoritative definitions keep their `type` and `description` too). A bare URL in the list is
/// a link to itself.
pub fn links(node: Option<&Node>) -> Vec<Link> {
    let Some(node) = node else { return Vec::new() };
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .filter_map(|(k, v)| Some(Link::new(k.text.clone(), v.scalar_text()?)))
            .collect(),
        Value::Seq(items) => items
            .iter()
            .filter_map(|item| {
                if let Some(url) = item.scalar_text() {
                    return Some(Link::new(url.clone(), url));
                }
                let url = text(item, "url").or_else(|| text(item, "href"))?;
                let kind = text(item, "type");
                let description = text(item, "description");
                let title = ["title", "name"]
                    .iter()
                    .find_map(|k| text(item, k))
                    .or_else(|| description.clone())
                    .unwrap_or_else(|| url.clone());
                Some(Link {
                    description: description.filter(|d| *d != title),
                    title,
                    url,
                    kind,
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Support channels: ODCS/ODPS `support: [{channel, url, tool, description, scope,
/// invitationUrl}]`; other fields are kept as written.
pub fn support(node: Option<&Node>) -> Vec<Support> {
    let Some(node) = node else { return Vec::new() };
    node.items()
        .iter()
        .filter_map(|s| {
            let url = s.get("url").and_then(Node::scalar_text);
            let channel = s
                .get("channel")
                .and_then(Node::scalar_text)
                .or_else(|| url.clone())?;
            Some(Support {
                channel,
                url,
                tool: text(s, "tool"),
                description: text(s, "description"),
                scope: text(s, "scope"),
                invitation_url: text(s, "invitationUrl"),
                details: extensions(
                    s,
                    &[
                        "channel",
                        "url",
                        "tool",
                        "description",
                        "scope",
                        "invitationUrl",
                    ],
                ),
            })
        })
        .collect()
}

/// A description written as text or as `{purpose, usage, limitations, ...}`.
/// Returns the main text and the remaining labelled parts.
pub fn description(node: Option<&Node>) -> (Option<String>, Vec<model::Labelled>) {
    let Some(node) = node else {
        return (None, Vec::new());
    };
    if let Some(text) = node.scalar_text() {
        return (Some(text), Vec::new());
    }
    let mut main = None;
    let mut parts = Vec::new();
    for (k, v) in node.entries() {
        let Some(text) = v.scalar_text().or_else(|| structured_part(&k.text, v)) else {
            continue;
        };
        if main.is_none() && (k.text == "purpose" || k.text == "description") {
            main = Some(text);
        } else {
            parts.push(model::Labelled {
                label: humanize(&k.text),
                text,
            });
        }
    }
    (main, parts)
}

/// Where a key of a mapping is written, else the mapping itself (diagnostics point at the key
/// they are about).
pub fn key_pos(node: &Node, key: &str) -> Pos {
    node.entries()
        .iter()
        .find(|(k, _)| k.text == key)
        .map_or(node.pos, |(k, _)| k.pos)
}

/// Where a key of a mapping is written (for diagnostics raised after reading).
pub fn key_at(node: &Node, key: &str) -> Option<model::At> {
    node.entries()
        .iter()
        .find(|(k, v)| k.text == key && !v.is_null())
        .map(|(k, _)| model::At {
            line: k.pos.line,
            column: k.pos.column,
        })
}

/// A structured part of a description (`authoritativeDefinitions`, `customProperties`, …) as
/// markdown: links where they are http(s), everything else as text.
fn structured_part(key: &str, v: &Node) -> Option<String> {
    if v.is_null() {
        return None;
    }
    let lines: Vec<String> = match key {
        "authoritativeDefinitions" => links(Some(v))
            .iter()
            .map(|l| {
                let kind = l
                    .kind
                    .as_deref()
                    .map(|k| format!("{k}: "))
                    .unwrap_or_default();
                let target = if l.url.starts_with("https://") || l.url.starts_with("http://") {
                    format!("[{}]({})", l.title, l.url)
                } else if l.title == l.url {
                    format!("`{}`", l.url)
                } else {
                    format!("{} `{}`", l.title, l.url)
                };
                match &l.description {
                    Some(d) => format!("- {kind}{target} — {d}"),
                    None => format!("- {kind}{target}"),
                }
            })
            .collect(),
        "customProperties" => v
            .items()
            .iter()
            .filter_map(|p| {
                let name = text(p, "property")?;
                Some(format!(
                    "- **{name}**: {}",
                    p.get("value").map(display).unwrap_or_default()
                ))
            })
            .collect(),
        _ => Vec::new(),
    };
    if lines.is_empty() {
        Some(format!("```\n{}\n```", display(v)))
    } else {
        Some(lines.join("\n"))
    }
}

/// Scalar text of a field, without diagnostics (for optional, loosely typed fields).
pub fn text(node: &Node, key: &str) -> Option<String> {
    node.get(key)
        .and_then(Node::scalar_text)
        .filter(|s| !s.trim().is_empty())
}

/// A field's scalar text as written, empty when absent (for recognising standards and versions).
pub fn plain_text(node: &Node, key: &str) -> String {
    node.get(key)
        .and_then(Node::scalar_text)
        .unwrap_or_default()
}

/// A scalar value shown as text, or a compact JSON rendering for structures.
pub fn display(node: &Node) -> String {
    node.scalar_text()
        .unwrap_or_else(|| node.to_json().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humanize_splits_identifiers() {
        assert_eq!(humanize("customerLifetimeValue"), "Customer lifetime value");
        assert_eq!(
            humanize("customer_lifetime_value"),
            "Customer lifetime value"
        );
        assert_eq!(humanize("purpose"), "Purpose");
    }
}
