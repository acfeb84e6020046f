//! Data Contract Specification rules (1.x and 0.9.x), from the facts of its official JSON Schemas.
//! DCS is open: unknown keys are allowed almost everywhere; types, enumerations and the fields each
//! server type needs are checked.

use std::sync::OnceLock;

use regex::Regex;

use super::VERSION_KEY;
use crate::validate::engine::{index, join, Checker};
use model::yaml::{Node, Value};

const FIELD_TYPES: &[&str] = &[
    "number",
    "decimal",
    "numeric",
    "int",
    "integer",
    "long",
    "bigint",
    "float",
    "double",
    "string",
    "text",
    "varchar",
    "boolean",
    "timestamp",
    "timestamp_tz",
    "timestamp_ntz",
    "date",
    "time",
    "array",
    "map",
    "object",
    "record",
    "struct",
    "bytes",
    "variant",
    "json",
    "null",
];

/// DCS 0.9.x has no `time`, `json`, `variant` field types.
const FIELD_TYPES_09: &[&str] = &[
    "number",
    "decimal",
    "numeric",
    "int",
    "integer",
    "long",
    "bigint",
    "float",
    "double",
    "string",
    "text",
    "varchar",
    "boolean",
    "timestamp",
    "timestamp_tz",
    "timestamp_ntz",
    "date",
    "array",
    "object",
    "record",
    "struct",
    "bytes",
    "null",
];

fn name_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[a-zA-Z0-9_-]+$").expect("valid pattern"))
}

fn uri() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$").expect("valid pattern"))
}

/// Check a document; `v09` for the 0.9.x rules, else 1.x.
pub fn check(c: &mut Checker, doc: &Node, v09: bool) {
    if !c.object(doc, "", &[], false) {
        return;
    }
    c.required(doc, "", &[VERSION_KEY, "id", "info"]);
    let versions: &[&str] = if v09 {
        &["0.9.3", "0.9.2", "0.9.1", "0.9.0"]
    } else {
        &[
            "1.2.1", "1.2.0", "1.1.0", "0.9.3", "0.9.2", "0.9.1", "0.9.0",
        ]
    };
    c.one_of(doc, "", VERSION_KEY, versions);
    c.strings(doc, "", &["id"]);
    c.string_list(doc, "", "tags");
    if let Some(info) = doc.get("info") {
        if c.object(info, "info", &[], false) {
            c.required(info, "info", &["title", "version"]);
            c.strings(
                info,
                "info",
                &["title", "version", "status", "description", "owner"],
            );
            c.maps(info, "info", &["contact"]);
        }
    }
    servers(c, doc);
    if let Some(t) = doc.get("terms") {
        if c.object(t, "terms", &[], false) {
            c.strings(
                t,
                "terms",
                &["usage", "limitations", "billing", "noticePeriod"],
            );
        }
    }
    let types = if v09 { FIELD_TYPES_09 } else { FIELD_TYPES };
    models(c, doc, types, v09);
    for (name, def) in c.entries(doc, "", "definitions") {
        let dp = join("definitions", &name.text);
        if c.object(def, &dp, &[], false) {
            c.required(def, &dp, &["type"]);
            c.one_of(def, &dp, "type", types);
            c.booleans(def, &dp, &["pii"]);
            c.string_list(def, &dp, "tags");
        }
    }
    links(c, doc);
    c.maps(doc, "", &["servicelevels"]);
    quality(c, doc, "", v09);
}

fn servers(c: &mut Checker, doc: &Node) {
    for (name, server) in c.entries(doc, "", "servers") {
        let sp = join("servers", &name.text);
        if !c.object(server, &sp, &[], false) {
            continue;
        }
        c.required(server, &sp, &["type"]);
        c.strings(server, &sp, &["type", "description", "environment"]);
        // The official schema lists the fields each server type needs, but beside a `$ref`, which
        // draft-07 ignores: only `type` is in force, and so only `type` is required here.
        c.integers(server, &sp, &["port"], None);
        for (i, r) in c.list(server, &sp, "roles").iter().enumerate() {
            let rp = index(&join(&sp, "roles"), i);
            if c.object(r, &rp, &[], false) {
                c.required(r, &rp, &["name"]);
                c.strings(r, &rp, &["name", "description"]);
            }
        }
    }
}

fn models(c: &mut Checker, doc: &Node, types: &[&str], v09: bool) {
    let models = c.entries(doc, "", "models");
    if doc.get("models").is_some_and(|m| m.is_map()) && models.is_empty() {
        if let Some(m) = doc.get("models") {
            c.error(
                m.pos,
                "models",
                "`models` is empty".into(),
                "describe at least one model, or remove `models:`",
            );
        }
    }
    for (name, model) in models {
        let mp = join("models", &name.text);
        name_check(c, name, "model");
        if !c.object(model, &mp, &[], false) {
            continue;
        }
        c.strings(model, &mp, &["description", "type", "title"]);
        for (fname, field) in c.entries(model, &mp, "fields") {
            self::field(c, field, &join(&join(&mp, "fields"), &fname.text), types, 0);
        }
        quality(c, model, &mp, v09);
    }
}

fn links(c: &mut Checker, doc: &Node) {
    let Some(links) = doc.get("links") else {
        return;
    };
    for (k, v) in c.entries(doc, "", "links") {
        name_check(c, k, "link");
        match &v.value {
            Value::Str(s) if uri().is_match(s) => {}
            _ => c.error(
                v.pos,
                &join("links", &k.text),
                format!("link `{}` must be a URL", k.text),
                "write a full URL such as `https://…`",
            ),
        }
    }
    if links.is_map() && links.entries().is_empty() {
        c.error(
            links.pos,
            "links",
            "`links` is empty".into(),
            "remove `links:` or add a link",
        );
    }
}

fn name_check(c: &mut Checker, key: &model::yaml::Key, what: &str) {
    if !name_pattern().is_match(&key.text) {
        c.error(
            key.pos,
            &key.text,
            format!(
                "{what} name `{}` may only use letters, digits, `_` and `-`",
                key.text
            ),
            "rename it, e.g. with `_` instead of spaces or dots",
        );
    }
}

fn field(c: &mut Checker, f: &Node, path: &str, types: &[&str], depth: usize) {
    if !c.object(f, path, &[], false) {
        return;
    }
    c.one_of(f, path, "type", types);
    c.booleans(
        f,
        path,
        &["required", "unique", "primaryKey", "primary", "pii"],
    );
    c.strings(f, path, &["title", "description", "classification", "$ref"]);
    c.string_list(f, path, "tags");
    c.list(f, path, "enum");
    if depth > 32 {
        return;
    }
    for (k, child) in c.entries(f, path, "fields") {
        field(
            c,
            child,
            &join(&join(path, "fields"), &k.text),
            types,
            depth + 1,
        );
    }
    if let Some(items) = f.get("items") {
        field(c, items, &join(path, "items"), types, depth + 1);
    }
}

fn quality(c: &mut Checker, n: &Node, path: &str, v09: bool) {
    let Some(q) = n.get("quality") else { return };
    if v09 && q.is_map() {
        c.required(q, &join(path, "quality"), &["type", "specification"]);
        return;
    }
    for (i, rule) in c.list(n, path, "quality").iter().enumerate() {
        let rp = index(&join(path, "quality"), i);
        if c.object(rule, &rp, &[], false) {
            c.one_of(rule, &rp, "type", &["text", "library", "sql", "custom"]);
            c.strings(rule, &rp, &["description"]);
            if rule.get("type").and_then(Node::scalar_text).as_deref() == Some("text") {
                c.required(rule, &rp, &["description"]);
            }
        }
    }
}
