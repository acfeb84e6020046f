//! The rule engine: a standard version's rules are data (a [`Spec`] of named objects, each with its
//! fields and their types, required fields, whether unknown keys are refused, and conditional
//! [`Part`]s such as "a `type: postgres` server also needs `host`"), and one walker checks a
//! positioned YAML tree against them. Every finding carries the line and column of the offending
//! key or value and a hint (did-you-mean where it applies).
//!
//! The specs themselves live with their standards (`odcs/validate.rs`, `dcs/validate.rs`,
//! `bitol_odps/validate.rs`), each written from the facts of that version's official JSON Schema.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use model::yaml::{Node, Pos, Value};
use model::{Code, Severity};
use regex::Regex;

use super::formats;

/// One way a document breaks the rules of its standard (or a note about how it was checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub pos: Pos,
    /// Where in the document, e.g. `schema[0].properties[2].logicalType`.
    pub path: String,
    pub message: String,
    pub hint: String,
    /// `Error` for a broken rule; lowered where the rules are not those the document declares.
    pub severity: Severity,
    /// `schema` for a broken rule; other codes for notes about the document's standard.
    pub code: Code,
}

impl Issue {
    pub fn error(pos: Pos, path: String, message: String, hint: String) -> Issue {
        Issue {
            pos,
            path,
            message,
            hint,
            severity: Severity::Error,
            code: Code::Schema,
        }
    }
}

/// Collects the issues of one document.
#[derive(Default)]
pub struct Checker {
    pub issues: Vec<Issue>,
}

impl Checker {
    pub fn error(&mut self, pos: Pos, path: &str, message: String, hint: impl Into<String>) {
        self.issues
            .push(Issue::error(pos, path.to_string(), message, hint.into()));
    }

    /// Check `doc` against a spec, from its root object.
    pub fn check(&mut self, spec: &Spec, doc: &Node) {
        let mut walker = Walker { spec, c: self };
        walker.check(doc, &Ty::Obj(spec.root), Path::ROOT, 0);
    }
}

/// Nesting beyond this is not followed (the YAML reader already limits depth).
const MAX_DEPTH: usize = 64;

/// A text pattern of a spec, compiled on first use.
pub struct Pattern {
    pub source: &'static str,
    /// In words, for messages: "an id of letters, digits, `_` and `-`".
    pub what: &'static str,
    re: OnceLock<Regex>,
}

impl Pattern {
    pub const fn new(source: &'static str, what: &'static str) -> Pattern {
        Pattern {
            source,
            what,
            re: OnceLock::new(),
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.re
            .get_or_init(|| Regex::new(self.source).expect("spec patterns are valid"))
            .is_match(text)
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.source)
    }
}

/// What a value must be.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// Anything.
    Any,
    Str,
    /// A whole number (`5`, or `5.0`).
    Int,
    /// A whole number of at least this.
    IntMin(i64),
    Num,
    /// A number greater than this.
    NumAbove(f64),
    Bool,
    /// Text, a number, a boolean or null: no list or mapping.
    Scalar,
    /// One of these texts.
    Enum(&'static [&'static str]),
    /// Text matching a pattern.
    Pattern(&'static Pattern),
    /// Text that is a URI (RFC 3986, with a scheme).
    Uri,
    /// Text that is a URI with a pattern besides (SFTP locations).
    UriPattern(&'static Pattern),
    /// Text that is an e-mail address.
    Email,
    /// A whole number or text (a port that may hold a variable).
    IntOrStr,
    /// Text or a number.
    StrOrNum,
    /// Text or a mapping (any keys).
    StrOrMap,
    /// Text or a list.
    StrOrList,
    /// Text, a list or a mapping.
    StrListOrMap,
    /// A mapping with any keys.
    Map,
    /// A mapping that must be empty (`{}`), with the reason it must be.
    EmptyMap(&'static str),
    /// A key that may not appear here, with the reason.
    Never(&'static str),
    List(&'static Ty),
    /// A list with bounds on its length and, optionally, no repeated entry.
    Items {
        item: &'static Ty,
        min: usize,
        max: usize,
        unique: bool,
    },
    /// An object of the spec, by name.
    Obj(&'static str),
    /// Text, or an object of the spec.
    StrOrObj(&'static str),
    /// An object of the spec (first), or a list of objects (second).
    ObjOrList(&'static str, &'static str),
    /// A mapping whose keys are names (matching a pattern, if given) and whose values all have one
    /// type; `min` entries at least.
    Dict {
        value: &'static Ty,
        keys: Option<&'static Pattern>,
        min: usize,
    },
    /// A check written as code, for what the data above cannot say.
    Custom(fn(&mut Walker, &Node, Path)),
}

/// One object of a spec: its fields, which are required, whether other keys are refused, and the
/// parts that apply depending on the object's own values.
#[derive(Debug, Clone, Default)]
pub struct Obj {
    /// The object's name in the spec (for hints that look it up in other versions).
    pub name: &'static str,
    pub fields: Vec<(&'static str, Ty)>,
    pub required: Vec<&'static str>,
    /// Unknown keys are errors (`additionalProperties`/`unevaluatedProperties: false`).
    pub closed: bool,
    /// The conditional parts that apply to a given object.
    pub when: Option<When>,
    /// A last check over the whole object, for rules between its fields.
    pub after: Option<fn(&mut Walker, &Node, Path)>,
}

/// Chooses the conditional parts that apply to an object (JSON Schema `if`/`then`).
pub type When = for<'s> fn(&'s Spec, &Node) -> Vec<&'s Part>;

/// Fields and requirements that apply to an object only in some case.
#[derive(Debug, Clone, Default)]
pub struct Part {
    /// The case, for messages: "`type: postgres` servers".
    pub why: String,
    pub fields: Vec<(&'static str, Ty)>,
    pub required: Vec<&'static str>,
    /// Exactly one of these keys must be present.
    pub one_of: &'static [&'static str],
    /// Keys that may not be present.
    pub forbidden: &'static [&'static str],
    /// What to do when a required field of the part is missing (default: add it).
    pub hint: Option<String>,
}

/// (spec label, object name, key) → a hint naming the version that defines the key there.
pub type Elsewhere = fn(&str, &'static str, &str) -> Option<String>;

/// For an [`Elsewhere`] hint: the first version after the one `label` names (`versions` in order)
/// whose object `obj` defines `key`.
pub fn defined_later(
    versions: &[&'static str],
    spec: fn(&str) -> &'static Spec,
    label: &str,
    obj: &str,
    key: &str,
) -> Option<&'static str> {
    let current = versions.iter().position(|v| label.ends_with(v))?;
    versions[current + 1..].iter().copied().find(|v| {
        let spec = spec(v);
        spec.has(obj) && spec.get(obj).fields.iter().any(|(k, _)| *k == key)
    })
}

/// The rules of one version of one standard.
#[derive(Debug, Clone)]
pub struct Spec {
    /// "ODCS v3.0.2": prefixed to every message.
    pub label: &'static str,
    /// The object the document itself is.
    pub root: &'static str,
    objects: HashMap<&'static str, Obj>,
    parts: HashMap<String, Part>,
    /// Hints for keys the version does not define but a reader may expect (renamed, other
    /// version): key → hint.
    hints: HashMap<&'static str, String>,
    /// The first other version whose object (by name) defines a key this one refuses: for the hint
    /// "`physicalName` is defined from ODCS v3.0.2 on".
    pub elsewhere: Option<Elsewhere>,
}

impl Spec {
    pub fn new(label: &'static str, root: &'static str) -> Spec {
        Spec {
            label,
            root,
            objects: HashMap::new(),
            parts: HashMap::new(),
            hints: HashMap::new(),
            elsewhere: None,
        }
    }

    /// Define (or replace) an object.
    pub fn obj(
        &mut self,
        name: &'static str,
        closed: bool,
        fields: &[(&'static str, Ty)],
        required: &[&'static str],
    ) -> &mut Obj {
        self.objects.insert(
            name,
            Obj {
                name,
                fields: fields.to_vec(),
                required: required.to_vec(),
                closed,
                when: None,
                after: None,
            },
        );
        self.objects.get_mut(name).expect("just inserted")
    }

    /// An object defined before, to change for another version.
    pub fn edit(&mut self, name: &str) -> &mut Obj {
        self.objects
            .get_mut(name)
            .unwrap_or_else(|| panic!("spec {} has no object {name}", self.label))
    }

    /// Set the type of a field of an object (adding the field if it has none).
    pub fn set(&mut self, obj: &str, key: &'static str, ty: Ty) {
        let o = self.edit(obj);
        match o.fields.iter_mut().find(|(k, _)| *k == key) {
            Some(f) => f.1 = ty,
            None => o.fields.push((key, ty)),
        }
    }

    /// Add fields to an object (or set their types).
    pub fn add(&mut self, obj: &str, fields: &[(&'static str, Ty)]) {
        for (k, ty) in fields {
            self.set(obj, k, *ty);
        }
    }

    /// Add a field after another (at the end when that one is missing).
    pub fn insert_after(&mut self, obj: &str, after: &str, field: (&'static str, Ty)) {
        let o = self.edit(obj);
        let at = o
            .fields
            .iter()
            .position(|(k, _)| *k == after)
            .map_or(o.fields.len(), |i| i + 1);
        o.fields.insert(at, field);
    }

    pub fn has(&self, name: &str) -> bool {
        self.objects.contains_key(name)
    }

    pub fn get(&self, name: &str) -> &Obj {
        self.objects
            .get(name)
            .unwrap_or_else(|| panic!("spec {} has no object {name}", self.label))
    }

    /// Define (or replace) a conditional part.
    pub fn part(
        &mut self,
        name: impl Into<String>,
        why: impl Into<String>,
        fields: &[(&'static str, Ty)],
        required: &[&'static str],
    ) -> &mut Part {
        let name = name.into();
        self.parts.insert(
            name.clone(),
            Part {
                why: why.into(),
                fields: fields.to_vec(),
                required: required.to_vec(),
                one_of: &[],
                forbidden: &[],
                hint: None,
            },
        );
        self.parts.get_mut(&name).expect("just inserted")
    }

    pub fn edit_part(&mut self, name: &str) -> &mut Part {
        self.parts
            .get_mut(name)
            .unwrap_or_else(|| panic!("spec {} has no part {name}", self.label))
    }

    pub fn find_part(&self, name: &str) -> Option<&Part> {
        self.parts.get(name)
    }

    /// Remove the parts whose names start with `prefix`.
    pub fn remove_parts(&mut self, prefix: &str) {
        self.parts.retain(|name, _| !name.starts_with(prefix));
    }

    /// The names of the parts whose names start with `prefix`, sorted.
    pub fn part_names(&self, prefix: &str) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .parts
            .keys()
            .filter(|n| n.starts_with(prefix))
            .map(String::as_str)
            .collect();
        names.sort_unstable();
        names
    }

    pub fn hint(&mut self, key: &'static str, hint: impl Into<String>) {
        self.hints.insert(key, hint.into());
    }

    /// Every object name a type of this spec refers to, with the referring object (for the test
    /// that a spec is complete).
    pub fn dangling(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut look = |from: &str, ty: &Ty| {
            let mut names = Vec::new();
            collect_names(ty, &mut names);
            for n in names {
                if !self.objects.contains_key(n) {
                    out.push(format!("{from} → {n}"));
                }
            }
        };
        look("root", &Ty::Obj(self.root));
        for (name, obj) in &self.objects {
            for (_, ty) in &obj.fields {
                look(name, ty);
            }
        }
        for (name, part) in &self.parts {
            for (_, ty) in &part.fields {
                look(name, ty);
            }
        }
        out.sort();
        out
    }
}

fn collect_names(ty: &Ty, out: &mut Vec<&'static str>) {
    match ty {
        Ty::Obj(n) | Ty::StrOrObj(n) => out.push(n),
        Ty::ObjOrList(a, b) => {
            out.push(a);
            out.push(b);
        }
        Ty::List(t) => collect_names(t, out),
        Ty::Items { item, .. } => collect_names(item, out),
        Ty::Dict { value, .. } => collect_names(value, out),
        _ => {}
    }
}

/// Where a value stands in its document, built on the stack as the walk descends and written out
/// only for a finding.
#[derive(Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Seg<'a>,
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Root,
    /// A key, with where it stands when it is in the document.
    Key(&'a str, Option<Pos>),
    Index(usize),
}

impl<'a> Path<'a> {
    pub const ROOT: Path<'static> = Path {
        parent: None,
        seg: Seg::Root,
    };

    /// The path to a key by name (one that may be missing).
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            seg: Seg::Key(key, None),
        }
    }

    /// The path to a key of the document, which remembers where the key stands.
    pub fn entry(&'a self, key: &'a model::yaml::Key) -> Path<'a> {
        Path {
            parent: Some(self),
            seg: Seg::Key(&key.text, Some(key.pos)),
        }
    }

    /// Where the key of this value stands, if the value is under a key of the document.
    pub fn key_pos(&self) -> Option<Pos> {
        match self.seg {
            Seg::Key(_, pos) => pos,
            _ => None,
        }
    }

    pub fn index(&'a self, i: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            seg: Seg::Index(i),
        }
    }

    /// The key this value stands under (for a list entry, the list's key).
    pub fn name(&self) -> &str {
        match self.seg {
            Seg::Key(k, _) => k,
            Seg::Index(_) => self.parent.map_or("", |p| p.name()),
            Seg::Root => "",
        }
    }

    fn is_entry(&self) -> bool {
        matches!(self.seg, Seg::Index(_))
    }

    fn is_root(&self) -> bool {
        matches!(self.seg, Seg::Root)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut segs = Vec::new();
        let mut at = Some(self);
        while let Some(p) = at {
            segs.push(p.seg);
            at = p.parent;
        }
        let mut first = true;
        for seg in segs.iter().rev() {
            match seg {
                Seg::Root => {}
                Seg::Key(k, _) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                    first = false;
                }
                Seg::Index(i) => {
                    write!(f, "[{i}]")?;
                    first = false;
                }
            }
        }
        Ok(())
    }
}

/// "`servers[0]`", or "the document" for the root.
fn place(path: Path) -> String {
    if path.is_root() {
        "the document".to_string()
    } else {
        format!("`{path}`")
    }
}

/// How a value is described in a message: `the text "x"`, `a number (5)`, `a list`.
pub fn kind(node: &Node) -> String {
    match (&node.value, node.scalar_text()) {
        (Value::Str(s), _) => format!("the text {s:?}"),
        (_, Some(t)) => format!("{} ({t})", node.value.kind_name()),
        _ => node.value.kind_name().to_string(),
    }
}

fn is_int(node: &Node) -> Option<f64> {
    match node.value {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) if f.is_finite() && f.fract() == 0.0 => Some(f),
        _ => None,
    }
}

fn is_num(node: &Node) -> Option<f64> {
    match node.value {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) if f.is_finite() => Some(f),
        _ => None,
    }
}

/// A value written as a variable (`${DB_PORT}`), which tools resolve before they use it: it stands
/// for a value of whatever type the field asks for.
fn is_variable(node: &Node) -> bool {
    matches!(&node.value, Value::Str(s) if formats::is_variable(s))
}

/// The closest of `candidates` to `word`, if one is close enough to be a typo.
pub fn closest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    at: f64,
) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|k| (strsim::jaro_winkler(k, word), k))
        .filter(|(score, _)| *score > at)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Walks a document against a spec.
pub struct Walker<'s, 'c> {
    pub spec: &'s Spec,
    c: &'c mut Checker,
}

impl Walker<'_, '_> {
    pub fn error(&mut self, pos: Pos, path: Path, message: String, hint: impl Into<String>) {
        self.c.error(pos, &path.to_string(), message, hint);
    }

    /// Where a finding about a value points: at its key when it has one, else at the value.
    pub fn at(&self, node: &Node, path: Path) -> Pos {
        path.key_pos().unwrap_or(node.pos)
    }

    /// "`port` must be a whole number, found the text …" (for a list entry: "each entry of …").
    pub fn type_error(&mut self, node: &Node, path: Path, want: &str) {
        let name = path.name();
        let subject = if path.is_root() {
            "the document".to_string()
        } else if path.is_entry() {
            format!("each entry of `{name}`")
        } else {
            format!("`{name}`")
        };
        let hint = match want {
            "text" => "quote the value, e.g. `\"1.0\"`, so YAML reads it as text",
            "true or false" => "write `true` or `false` without quotes",
            "a whole number" | "a number" => "write the number without quotes",
            w if w.starts_with("a mapping") => "indent the nested keys below this one",
            w if w.starts_with("a list") => "start each entry on its own line with `- `",
            _ => "write a plain value on the same line as the key",
        };
        self.error(
            self.at(node, path),
            path,
            format!("{subject} must be {want}, found {}", kind(node)),
            hint,
        );
    }

    /// Check one value against a type.
    // Kept whole: one match arm per kind of type in a spec; each arm is short and they read as one rule book.
    pub fn check(&mut self, node: &Node, ty: &Ty, path: Path, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match *ty {
            Ty::Any => {}
            Ty::Str => {
                if !matches!(node.value, Value::Str(_)) {
                    self.type_error(node, path, "text");
                }
            }
            Ty::Int => {
                if is_int(node).is_none() && !is_variable(node) {
                    self.type_error(node, path, "a whole number");
                }
            }
            Ty::IntMin(min) => match is_int(node) {
                Some(i) if i < min as f64 => self.error(
                    self.at(node, path),
                    path,
                    format!("`{}` must be at least {min}, found {i}", path.name()),
                    if min == 0 {
                        "use a number that is not negative".to_string()
                    } else {
                        format!("use a number of {min} or more")
                    },
                ),
                Some(_) => {}
                None if is_variable(node) => {}
                None => self.type_error(node, path, "a whole number"),
            },
            Ty::Num => {
                if is_num(node).is_none() && !is_variable(node) {
                    self.type_error(node, path, "a number");
                }
            }
            Ty::NumAbove(bound) => match is_num(node) {
                Some(n) if n <= bound => self.error(
                    self.at(node, path),
                    path,
                    format!("`{}` must be greater than {bound}, found {n}", path.name()),
                    format!("use a number above {bound}"),
                ),
                Some(_) => {}
                None if is_variable(node) => {}
                None => self.type_error(node, path, "a number"),
            },
            Ty::Bool => {
                if !matches!(node.value, Value::Bool(_)) && !is_variable(node) {
                    self.type_error(node, path, "true or false");
                }
            }
            Ty::Scalar => {
                if matches!(node.value, Value::Seq(_) | Value::Map(_)) {
                    self.type_error(node, path, "a single value (text, number, boolean or null)");
                }
            }
            Ty::Enum(values) => self.one_of(node, path, values),
            Ty::Pattern(p) => match &node.value {
                Value::Str(s) if p.is_match(s) => {}
                Value::Str(s) => self.error(
                    self.at(node, path),
                    path,
                    format!("`{}` is {s:?}, which is not {}", path.name(), p.what),
                    format!("write {}", p.what),
                ),
                _ => self.type_error(node, path, "text"),
            },
            Ty::Uri | Ty::UriPattern(_) => match &node.value {
                Value::Str(s) if !formats::is_uri(s) => self.error(
                    self.at(node, path),
                    path,
                    format!("`{}` is {s:?}, which is not a URI", path.name()),
                    "write a full URI with its scheme, e.g. `https://…`; encode spaces and braces as %20, %7B, %7D",
                ),
                Value::Str(s) => {
                    if let Ty::UriPattern(p) = ty {
                        if !p.is_match(s) {
                            self.error(
                                self.at(node, path),
                                path,
                                format!("`{}` is {s:?}, which is not {}", path.name(), p.what),
                                format!("write {}", p.what),
                            );
                        }
                    }
                }
                _ => self.type_error(node, path, "text"),
            },
            Ty::Email => match &node.value {
                Value::Str(s) if formats::is_email(s) => {}
                Value::Str(s) => self.error(
                    self.at(node, path),
                    path,
                    format!("`{}` is {s:?}, which is not an e-mail address", path.name()),
                    "write an address such as `team@example.com`",
                ),
                _ => self.type_error(node, path, "text"),
            },
            Ty::IntOrStr => {
                if is_int(node).is_none() && !matches!(node.value, Value::Str(_)) {
                    self.type_error(node, path, "a whole number or text");
                }
            }
            Ty::StrOrNum => {
                if is_num(node).is_none() && !matches!(node.value, Value::Str(_)) {
                    self.type_error(node, path, "text or a number");
                }
            }
            Ty::StrOrMap => {
                if !matches!(node.value, Value::Str(_) | Value::Map(_)) {
                    self.type_error(node, path, "text or a mapping");
                }
            }
            Ty::StrOrList => {
                if !matches!(node.value, Value::Str(_) | Value::Seq(_)) {
                    self.type_error(node, path, "text or a list");
                }
            }
            Ty::StrListOrMap => {
                if !matches!(node.value, Value::Str(_) | Value::Seq(_) | Value::Map(_)) {
                    self.type_error(node, path, "text, a list or a mapping");
                }
            }
            Ty::Map => {
                if !node.is_map() {
                    self.type_error(node, path, "a mapping (key: value pairs)");
                }
            }
            Ty::EmptyMap(why) => match &node.value {
                Value::Map(entries) if entries.is_empty() => {}
                Value::Map(entries) => {
                    let key = &entries[0].0;
                    self.error(
                        key.pos,
                        path.entry(key),
                        format!("`{}` cannot hold `{}` here: {why}", path.name(), key.text),
                        format!("remove `{}`, or {why}", key.text),
                    );
                }
                _ => self.type_error(node, path, "a mapping (key: value pairs)"),
            },
            Ty::Never(why) => self.error(
                self.at(node, path),
                path,
                format!("`{}` is not allowed here: {why}", path.name()),
                format!("remove `{}`", path.name()),
            ),
            Ty::List(item) => self.list(node, item, 0, usize::MAX, false, path, depth),
            Ty::Items {
                item,
                min,
                max,
                unique,
            } => self.list(node, item, min, max, unique, path, depth),
            Ty::Obj(name) => {
                let obj = self.spec.get(name);
                self.object(node, obj, path, depth);
            }
            Ty::StrOrObj(name) => match &node.value {
                Value::Str(_) => {}
                Value::Map(_) => {
                    let obj = self.spec.get(name);
                    self.object(node, obj, path, depth);
                }
                _ => self.type_error(node, path, "text or a mapping"),
            },
            Ty::ObjOrList(obj, item) => match &node.value {
                Value::Map(_) => {
                    let o = self.spec.get(obj);
                    self.object(node, o, path, depth);
                }
                Value::Seq(_) => self.list(node, &Ty::Obj(item), 0, usize::MAX, false, path, depth),
                _ => self.type_error(node, path, "a mapping or a list"),
            },
            Ty::Dict { value, keys, min } => {
                let Value::Map(entries) = &node.value else {
                    self.type_error(node, path, "a mapping (key: value pairs)");
                    return;
                };
                if entries.len() < min {
                    self.error(
                        self.at(node, path),
                        path,
                        format!("`{}` is empty", path.name()),
                        format!("add at least one entry under `{}`, or remove it", path.name()),
                    );
                }
                for (k, v) in entries {
                    let p = path.entry(k);
                    if let Some(pat) = keys {
                        if !pat.is_match(&k.text) {
                            self.error(
                                k.pos,
                                p,
                                format!("the name `{}` is not {}", k.text, pat.what),
                                "rename it, e.g. with `_` instead of spaces or dots",
                            );
                        }
                    }
                    self.check(v, value, p, depth + 1);
                }
            }
            Ty::Custom(f) => f(self, node, path),
        }
    }

    /// A text field whose value must be one of `values` (a variable passes).
    pub fn one_of(&mut self, node: &Node, path: Path, values: &[&str]) {
        match &node.value {
            Value::Str(s) if values.contains(&s.as_str()) || formats::is_variable(s) => {}
            Value::Str(s) => {
                let hint = match closest(s, values.iter().copied(), 0.8) {
                    Some(c) => format!("did you mean `{c}`? allowed: {}", values.join(", ")),
                    None => format!("allowed: {}", values.join(", ")),
                };
                self.error(
                    self.at(node, path),
                    path,
                    format!(
                        "`{}` is {s:?}, which the standard does not allow here",
                        path.name()
                    ),
                    hint,
                );
            }
            _ => self.type_error(node, path, "text"),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn list(
        &mut self,
        node: &Node,
        item: &Ty,
        min: usize,
        max: usize,
        unique: bool,
        path: Path,
        depth: usize,
    ) {
        let Value::Seq(items) = &node.value else {
            self.type_error(node, path, "a list");
            return;
        };
        if items.len() < min || items.len() > max {
            let at = self.at(node, path);
            let want = if min == max {
                format!("exactly {min}")
            } else if max == usize::MAX {
                format!("at least {min}")
            } else {
                format!("{min} to {max}")
            };
            self.error(
                at,
                path,
                format!(
                    "`{}` must have {want} entr{}, found {}",
                    path.name(),
                    if min == 1 && max == usize::MAX {
                        "y"
                    } else {
                        "ies"
                    },
                    items.len()
                ),
                if min == 2 && max == 2 {
                    "write two values, e.g. `[10, 20]`".to_string()
                } else {
                    format!("give `{}` {want} entries, or remove it", path.name())
                },
            );
        }
        if unique {
            let mut seen = std::collections::HashSet::with_capacity(items.len());
            for (i, a) in items.iter().enumerate() {
                if !seen.insert(canonical(a)) {
                    self.error(
                        a.pos,
                        path.index(i),
                        format!("`{}` repeats a value; its entries must differ", path.name()),
                        "remove the repeated entry",
                    );
                }
            }
        }
        for (i, it) in items.iter().enumerate() {
            self.check(it, item, path.index(i), depth + 1);
        }
    }

    /// Check a mapping against an object of the spec.
    pub fn object(&mut self, node: &Node, obj: &Obj, path: Path, depth: usize) {
        let Value::Map(entries) = &node.value else {
            self.type_error(node, path, "a mapping (key: value pairs)");
            return;
        };
        let spec = self.spec;
        let parts: Vec<&Part> = obj.when.map(|w| w(spec, node)).unwrap_or_default();
        if obj.closed {
            self.unknown_keys(entries, obj, &parts, path);
        }
        self.required_fields(node, obj, &parts, path);
        for part in &parts {
            self.forbidden_keys(entries, part, path);
            self.one_of_keys(node, part, path);
        }
        self.entry_types(entries, obj, &parts, path, depth);
        if let Some(after) = obj.after {
            after(self, node, path);
        }
    }

    /// Keys neither the object nor its parts define, in a closed object.
    fn unknown_keys(
        &mut self,
        entries: &[(model::yaml::Key, Node)],
        obj: &Obj,
        parts: &[&Part],
        path: Path,
    ) {
        for (key, _) in entries {
            let known = obj.fields.iter().any(|(k, _)| *k == key.text)
                || parts
                    .iter()
                    .any(|p| p.fields.iter().any(|(k, _)| *k == key.text));
            if !known {
                self.unknown(key, obj, parts, path);
            }
        }
    }

    /// The object's required fields first, then those of each part, naming the part's case.
    fn required_fields(&mut self, node: &Node, obj: &Obj, parts: &[&Part], path: Path) {
        for (req, part) in obj.required.iter().map(|r| (r, None)).chain(
            parts
                .iter()
                .flat_map(|p| p.required.iter().map(move |r| (r, Some(*p)))),
        ) {
            if node.get(req).is_none() {
                let message = match part {
                    Some(p) => format!(
                        "required field `{req}` is missing in {} ({} need it)",
                        place(path),
                        p.why
                    ),
                    None => format!("required field `{req}` is missing in {}", place(path)),
                };
                let hint = part
                    .and_then(|p| p.hint.clone())
                    .unwrap_or_else(|| format!("add `{req}:`"));
                self.error(node.pos, path.key(req), message, hint);
            }
        }
    }

    /// Keys a part does not allow, at the key.
    fn forbidden_keys(&mut self, entries: &[(model::yaml::Key, Node)], part: &Part, path: Path) {
        for key in part.forbidden {
            if let Some((k, _)) = entries.iter().find(|(k, _)| k.text == *key) {
                self.error(
                    k.pos,
                    path.key(key),
                    format!("`{key}` is not allowed in {}: {}", place(path), part.why),
                    format!("remove `{key}`"),
                );
            }
        }
    }

    /// A part's `one_of`: exactly one of its keys present.
    fn one_of_keys(&mut self, node: &Node, part: &Part, path: Path) {
        if part.one_of.is_empty() {
            return;
        }
        let present: Vec<&str> = part
            .one_of
            .iter()
            .copied()
            .filter(|k| node.get(k).is_some())
            .collect();
        if present.len() != 1 {
            let message = if present.is_empty() {
                format!(
                    "{} has none of {}; {} need exactly one",
                    place(path),
                    list_keys(part.one_of, 3),
                    part.why
                )
            } else {
                format!(
                    "{} has {} of {} ({}); {} allow exactly one",
                    place(path),
                    present.len(),
                    list_keys(part.one_of, 3),
                    present.join(", "),
                    part.why
                )
            };
            self.error(
                node.pos,
                path,
                message,
                format!("keep one of {}", list_keys(part.one_of, 8)),
            );
        }
    }

    /// Each value against its type in the object, then in each part, in document order.
    fn entry_types(
        &mut self,
        entries: &[(model::yaml::Key, Node)],
        obj: &Obj,
        parts: &[&Part],
        path: Path,
        depth: usize,
    ) {
        for (key, value) in entries {
            let p = path.entry(key);
            for (_, ty) in obj.fields.iter().filter(|(k, _)| *k == key.text) {
                self.check(value, ty, p, depth + 1);
            }
            for part in parts {
                for (_, ty) in part.fields.iter().filter(|(k, _)| *k == key.text) {
                    self.check(value, ty, p, depth + 1);
                }
            }
        }
    }

    fn unknown(&mut self, key: &model::yaml::Key, obj: &Obj, parts: &[&Part], path: Path) {
        let known: Vec<&str> = obj
            .fields
            .iter()
            .map(|(k, _)| *k)
            .chain(parts.iter().flat_map(|p| p.fields.iter().map(|(k, _)| *k)))
            .collect();
        let elsewhere = self
            .spec
            .elsewhere
            .and_then(|f| f(self.spec.label, obj.name, &key.text));
        let hint = if let Some(h) = self.spec.hints.get(key.text.as_str()) {
            h.clone()
        } else if let Some(h) = elsewhere {
            h
        } else if let Some(k) = closest(&key.text, known.iter().copied(), 0.85) {
            format!("did you mean `{k}`?")
        } else if known.contains(&"customProperties") {
            format!(
                "the standard does not define `{}` here; move it under `customProperties` as `- property: {}` / `value: …`",
                key.text, key.text
            )
        } else {
            format!(
                "the standard does not define `{}` here; remove it",
                key.text
            )
        };
        let at = if path.is_root() {
            String::new()
        } else {
            format!(" in `{path}`")
        };
        self.error(
            key.pos,
            path.entry(key),
            format!("unknown field `{}`{at}", key.text),
            hint,
        );
    }
}

fn list_keys(keys: &[&str], max: usize) -> String {
    let shown: Vec<String> = keys.iter().take(max).map(|k| format!("`{k}`")).collect();
    if keys.len() > max {
        format!("{}, …", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// A value written so that values JSON holds equal are written alike (`1` and `1.0` are one
/// number, mappings ignore key order): to find repeated entries in one pass.
fn canonical(node: &Node) -> String {
    let mut out = String::new();
    write_canonical(node, &mut out, 0);
    out
}

fn write_canonical(node: &Node, out: &mut String, depth: usize) {
    use std::fmt::Write as _;
    if depth > MAX_DEPTH {
        return;
    }
    match &node.value {
        Value::Null => out.push('n'),
        Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Value::Int(i) => {
            let _ = write!(out, "#{}", *i as f64);
        }
        Value::Float(f) => {
            let _ = write!(out, "#{f}");
        }
        Value::Str(s) => {
            let _ = write!(out, "s{}:{s}", s.len());
        }
        Value::Seq(items) => {
            out.push('[');
            for i in items {
                write_canonical(i, out, depth + 1);
                out.push(',');
            }
            out.push(']');
        }
        Value::Map(entries) => {
            let mut parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    let mut s = format!("{}:{}=", k.text.len(), k.text);
                    write_canonical(v, &mut s, depth + 1);
                    s
                })
                .collect();
            parts.sort_unstable();
            out.push('{');
            for p in parts {
                out.push_str(&p);
                out.push(',');
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_the_document() {
        let root = Path::ROOT;
        let schema = root.key("schema");
        let first = schema.index(0);
        let props = first.key("properties");
        let p = props.index(2);
        let lt = p.key("logicalType");
        assert_eq!(lt.to_string(), "schema[0].properties[2].logicalType");
        assert_eq!(p.name(), "properties");
        assert_eq!(Path::ROOT.to_string(), "");
    }

    #[test]
    fn repeated_values_are_found_as_json_sees_them() {
        let docs = model::yaml::parse_documents(
            "- 1\n- 1.0\n- {a: 1, b: 2}\n- {b: 2, a: 1}\n- \"1\"\n- [1]\n",
        )
        .unwrap();
        let items = docs[0].items();
        assert_eq!(canonical(&items[0]), canonical(&items[1]));
        assert_eq!(canonical(&items[2]), canonical(&items[3]));
        assert_ne!(canonical(&items[0]), canonical(&items[4]));
        assert_ne!(canonical(&items[0]), canonical(&items[5]));
    }
}
