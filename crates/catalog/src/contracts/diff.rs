//! Compare two versions of a data contract and classify every change as breaking or not.
//!
//! The engine takes two parsed contracts (the normalised model), so the same code serves
//! `meshdoc diff OLD NEW` on two files and, later, consecutive versions from a file's git history.
//!
//! The rule of thumb: a change is breaking when something a consumer may rely on disappears or
//! becomes stricter, so that data, queries or the contract's own checks that passed before can now
//! fail — a property or object removed, a type changed or narrowed, a property made required or
//! unique, a primary key changed, allowed values removed, an SLA or quality threshold tightened, a
//! server removed. Additions, descriptions and loosened thresholds are not breaking.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use model::{DataContract, QualityRule, SchemaProperty, SlaProperty};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    Breaking,
    NonBreaking,
}

/// One difference between two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub impact: Impact,
    /// Stable code, e.g. `property-removed`, `threshold-tightened`.
    pub code: &'static str,
    /// What changed: `orders.order_id`, `sla.latency`, `server.production`, …
    pub path: String,
    pub message: String,
}

/// The classified changes and the warnings about them (a version that did not move).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub old_version: Option<String>,
    pub new_version: Option<String>,
    pub changes: Vec<Change>,
    pub warnings: Vec<String>,
}

impl Change {
    pub fn breaking(&self) -> bool {
        self.impact == Impact::Breaking
    }
}

impl Report {
    pub fn breaking(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.impact == Impact::Breaking)
            .count()
    }
}

/// Every code a [`Change`] can carry: a stored changelog is read back through this list, so
/// `code` stays a `&'static str` (and an unknown code, from a cache of another build, is a miss).
pub const CODES: &[&str] = &[
    "classification-changed",
    "constraint-relaxed",
    "description-changed",
    "enum-narrowed",
    "enum-relaxed",
    "enum-widened",
    "id-changed",
    "made-required",
    "made-unique",
    "object-added",
    "object-removed",
    "primary-key-changed",
    "property-added",
    "property-removed",
    "quality-added",
    "quality-removed",
    "server-added",
    "server-changed",
    "server-removed",
    "sla-added",
    "sla-changed",
    "sla-loosened",
    "sla-removed",
    "sla-tightened",
    "status-changed",
    "threshold-changed",
    "threshold-loosened",
    "threshold-tightened",
    "type-changed",
    "type-declared",
    "type-narrowed",
    "type-widened",
];

/// The code of `CODES` written as `text`.
pub fn known_code(text: &str) -> Option<&'static str> {
    CODES.iter().find(|&&c| c == text).copied()
}

fn change(impact: Impact, code: &'static str, path: String, message: String) -> Change {
    // Every diff test passes through here: a code missing from `CODES` fails them.
    debug_assert!(
        CODES.contains(&code),
        "change code `{code}` missing from CODES"
    );
    Change {
        impact,
        code,
        path,
        message,
    }
}

use Impact::{Breaking, NonBreaking};

/// Compare `old` with `new`.
pub fn diff(old: &DataContract, new: &DataContract) -> Report {
    let mut out = Vec::new();
    if old.id != new.id {
        out.push(change(
            Breaking,
            "id-changed",
            "id".into(),
            format!("contract id changed from `{}` to `{}`", old.id, new.id),
        ));
    }
    if old.status != new.status {
        out.push(change(
            NonBreaking,
            "status-changed",
            "status".into(),
            format!(
                "status changed from {} to {}",
                shown(&old.status),
                shown(&new.status)
            ),
        ));
    }
    if old.description != new.description
        || old.description_parts.len() != new.description_parts.len()
        || old
            .description_parts
            .iter()
            .zip(&new.description_parts)
            .any(|(a, b)| a.text != b.text)
    {
        out.push(change(
            NonBreaking,
            "description-changed",
            "description".into(),
            "description changed".into(),
        ));
    }
    schema(old, new, &mut out);
    rules(&old.quality, &new.quality, "quality", &mut out);
    sla(&old.sla, &new.sla, &mut out);
    servers(old, new, &mut out);
    let mut report = Report {
        old_version: old.version.clone(),
        new_version: new.version.clone(),
        changes: out,
        warnings: Vec::new(),
    };
    if report.breaking() > 0 && !major_moved(old.version.as_deref(), new.version.as_deref()) {
        report.warnings.push(format!(
            "{} breaking change{} but the declared version {} did not move to a new major version",
            report.breaking(),
            if report.breaking() == 1 { "" } else { "s" },
            match (&old.version, &new.version) {
                (Some(a), Some(b)) if a == b => format!("stayed at {a}"),
                (Some(a), Some(b)) => format!("went from {a} to {b}"),
                _ => "is not declared".to_string(),
            }
        ));
    }
    report
}

fn shown(v: &Option<String>) -> String {
    v.as_deref()
        .map_or_else(|| "(none)".into(), |s| format!("`{s}`"))
}

/// Semantic versioning: a breaking change needs a new major version (a new minor below 1.0).
fn major_moved(old: Option<&str>, new: Option<&str>) -> bool {
    let parse = |v: &str| -> Option<(u64, u64)> {
        let v = v.trim().trim_start_matches(['v', 'V']);
        let mut parts = v.split(['.', '-', '+']);
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
        Some((major, minor))
    };
    match (old, new) {
        (Some(a), Some(b)) => match (parse(a), parse(b)) {
            (Some((0, a_minor)), Some((b_major, b_minor))) => b_major > 0 || b_minor > a_minor,
            (Some((a_major, _)), Some((b_major, _))) => b_major > a_major,
            _ => a != b,
        },
        _ => false,
    }
}

fn schema(old: &DataContract, new: &DataContract, out: &mut Vec<Change>) {
    let new_objects: BTreeMap<&str, usize> = new
        .schema
        .iter()
        .enumerate()
        .map(|(i, o)| (o.name.as_str(), i))
        .collect();
    let old_names: Vec<&str> = old.schema.iter().map(|o| o.name.as_str()).collect();
    for o in &old.schema {
        let Some(&ni) = new_objects.get(o.name.as_str()) else {
            out.push(change(
                Breaking,
                "object-removed",
                o.name.clone(),
                format!(
                    "object `{}` was removed ({} propert{})",
                    o.name,
                    count(&o.properties),
                    if count(&o.properties) == 1 {
                        "y"
                    } else {
                        "ies"
                    }
                ),
            ));
            continue;
        };
        let n = &new.schema[ni];
        if o.description != n.description {
            out.push(change(
                NonBreaking,
                "description-changed",
                o.name.clone(),
                format!("description of object `{}` changed", o.name),
            ));
        }
        let old_props = flatten(&o.properties);
        let new_props = flatten(&n.properties);
        for (path, p) in &old_props {
            let full = format!("{}.{path}", o.name);
            match new_props.get(path) {
                None => out.push(change(
                    Breaking,
                    "property-removed",
                    full.clone(),
                    format!("property `{full}` was removed"),
                )),
                Some(q) => property(&full, p, q, out),
            }
        }
        for (path, q) in &new_props {
            if !old_props.contains_key(path) {
                let full = format!("{}.{path}", o.name);
                out.push(change(
                    NonBreaking,
                    "property-added",
                    full.clone(),
                    format!(
                        "property `{full}` was added{}",
                        if q.required { " (required)" } else { "" }
                    ),
                ));
            }
        }
        rules(&o.quality, &n.quality, &o.name, out);
    }
    for n in &new.schema {
        if !old_names.contains(&n.name.as_str()) {
            out.push(change(
                NonBreaking,
                "object-added",
                n.name.clone(),
                format!("object `{}` was added", n.name),
            ));
        }
    }
}

fn count(props: &[SchemaProperty]) -> usize {
    props.iter().map(|p| 1 + count(&p.properties)).sum()
}

/// Every property at every depth, by dotted path.
fn flatten(props: &[SchemaProperty]) -> BTreeMap<String, &SchemaProperty> {
    fn walk<'a>(
        props: &'a [SchemaProperty],
        prefix: &str,
        out: &mut BTreeMap<String, &'a SchemaProperty>,
    ) {
        for p in props {
            let path = if prefix.is_empty() {
                p.name.clone()
            } else {
                format!("{prefix}.{}", p.name)
            };
            walk(&p.properties, &path, out);
            out.insert(path, p);
        }
    }
    let mut out = BTreeMap::new();
    walk(props, "", &mut out);
    out
}

/// Every change to one property, in a fixed order: types, bounds, constraints, key, allowed
/// values, classification, description, quality rules.
fn property(path: &str, old: &SchemaProperty, new: &SchemaProperty, out: &mut Vec<Change>) {
    types(path, old, new, out);
    for opt in ["maxLength", "maximum", "exclusiveMaximum", "maxItems"] {
        bound(path, opt, old, new, true, out);
    }
    for opt in ["minLength", "minimum", "exclusiveMinimum", "minItems"] {
        bound(path, opt, old, new, false, out);
    }
    constraints(path, old, new, out);
    enum_values(path, old, new, out);
    if old.classification != new.classification {
        out.push(change(
            NonBreaking,
            "classification-changed",
            path.to_string(),
            format!(
                "classification of `{path}` changed: {} → {}",
                shown(&old.classification),
                shown(&new.classification)
            ),
        ));
    }
    if old.description != new.description {
        out.push(change(
            NonBreaking,
            "description-changed",
            path.to_string(),
            format!("description of `{path}` changed"),
        ));
    }
    rules(&old.quality, &new.quality, path, out);
}

/// Logical and physical type changes, classified by `classify_type`.
fn types(path: &str, old: &SchemaProperty, new: &SchemaProperty, out: &mut Vec<Change>) {
    for (what, a, b) in [
        ("logical type", &old.logical_type, &new.logical_type),
        ("physical type", &old.physical_type, &new.physical_type),
    ] {
        if a == b {
            continue;
        }
        let (impact, code, how) = match (a, b) {
            (None, Some(_)) => (NonBreaking, "type-declared", "declared"),
            (Some(x), Some(y)) => classify_type(x, y),
            _ => (Breaking, "type-changed", "removed"),
        };
        out.push(change(
            impact,
            code,
            path.to_string(),
            format!("{what} of `{path}` {how}: {} → {}", shown(a), shown(b)),
        ));
    }
}

/// Required and unique added (breaking) or dropped, and primary-key membership changed.
fn constraints(path: &str, old: &SchemaProperty, new: &SchemaProperty, out: &mut Vec<Change>) {
    for (what, a, b, code) in [
        ("required", old.required, new.required, "made-required"),
        ("unique", old.unique, new.unique, "made-unique"),
    ] {
        if !a && b {
            out.push(change(
                Breaking,
                code,
                path.to_string(),
                format!("`{path}` is now {what}"),
            ));
        } else if a && !b {
            out.push(change(
                NonBreaking,
                "constraint-relaxed",
                path.to_string(),
                format!("`{path}` is no longer {what}"),
            ));
        }
    }
    if old.primary_key != new.primary_key || old.primary_key_position != new.primary_key_position {
        out.push(change(
            Breaking,
            "primary-key-changed",
            path.to_string(),
            format!(
                "`{path}` {} the primary key",
                if new.primary_key {
                    if old.primary_key {
                        "moved within"
                    } else {
                        "joined"
                    }
                } else {
                    "left"
                }
            ),
        ));
    }
}

/// Allowed values removed or newly restricted (breaking), added or unrestricted.
fn enum_values(path: &str, old: &SchemaProperty, new: &SchemaProperty, out: &mut Vec<Change>) {
    let removed: Vec<&String> = old
        .enum_values
        .iter()
        .filter(|v| !new.enum_values.contains(v))
        .collect();
    let added: Vec<&String> = new
        .enum_values
        .iter()
        .filter(|v| !old.enum_values.contains(v))
        .collect();
    if !old.enum_values.is_empty() && new.enum_values.is_empty() {
        out.push(change(
            NonBreaking,
            "enum-relaxed",
            path.to_string(),
            format!("`{path}` no longer restricts its values"),
        ));
    } else if !removed.is_empty() {
        out.push(change(
            Breaking,
            "enum-narrowed",
            path.to_string(),
            format!("allowed values of `{path}` removed: {}", join(&removed)),
        ));
    }
    if !added.is_empty() && !old.enum_values.is_empty() {
        out.push(change(
            NonBreaking,
            "enum-widened",
            path.to_string(),
            format!("allowed values of `{path}` added: {}", join(&added)),
        ));
    } else if old.enum_values.is_empty() && !new.enum_values.is_empty() {
        out.push(change(
            Breaking,
            "enum-narrowed",
            path.to_string(),
            format!("`{path}` now only allows: {}", join(&added)),
        ));
    }
}

fn join(values: &[&String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Type changes: same base with a smaller size is narrowed, with a larger one (or a known wider
/// integer/float type) widened; anything else changed.
fn classify_type(old: &str, new: &str) -> (Impact, &'static str, &'static str) {
    let norm = |t: &str| t.trim().to_ascii_lowercase();
    let (old, new) = (norm(old), norm(new));
    if old == new {
        return (NonBreaking, "type-declared", "changed in spelling");
    }
    let split = |t: &str| -> (String, Vec<i64>) {
        match t.split_once('(') {
            Some((base, rest)) => (
                base.trim().to_string(),
                rest.trim_end_matches(')')
                    .split(',')
                    .filter_map(|n| n.trim().parse().ok())
                    .collect(),
            ),
            None => (t.to_string(), Vec::new()),
        }
    };
    let (ob, os) = split(&old);
    let (nb, ns) = split(&new);
    if ob == nb && !os.is_empty() && os.len() == ns.len() {
        return if ns.iter().zip(&os).all(|(n, o)| n >= o) {
            (NonBreaking, "type-widened", "widened")
        } else {
            (Breaking, "type-narrowed", "narrowed")
        };
    }
    if ob == nb && os.is_empty() != ns.is_empty() {
        return if ns.is_empty() {
            (NonBreaking, "type-widened", "widened")
        } else {
            (Breaking, "type-narrowed", "narrowed")
        };
    }
    const WIDER: &[(&str, &str)] = &[
        ("tinyint", "smallint"),
        ("smallint", "int"),
        ("smallint", "integer"),
        ("int", "bigint"),
        ("integer", "bigint"),
        ("int", "long"),
        ("integer", "long"),
        ("integer", "number"),
        ("int", "number"),
        ("float", "double"),
        ("integer", "float"),
        ("integer", "double"),
        ("date", "timestamp"),
        ("char", "varchar"),
        ("varchar", "string"),
        ("varchar", "text"),
    ];
    let wider = |a: &str, b: &str| {
        let mut frontier = vec![a.to_string()];
        let mut seen = Vec::new();
        while let Some(t) = frontier.pop() {
            if t == b {
                return true;
            }
            for (x, y) in WIDER {
                if *x == t && !seen.contains(y) {
                    seen.push(*y);
                    frontier.push(y.to_string());
                }
            }
        }
        false
    };
    if wider(&ob, &nb) {
        (NonBreaking, "type-widened", "widened")
    } else if wider(&nb, &ob) {
        (Breaking, "type-narrowed", "narrowed")
    } else {
        (Breaking, "type-changed", "changed")
    }
}

fn option_number(p: &SchemaProperty, key: &str) -> Option<f64> {
    p.type_options
        .iter()
        .find(|o| o.key == key)
        .and_then(|o| match &o.value {
            serde_json::Value::Number(n) => n.as_f64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
}

/// A type option bound: an upper bound that goes down (or a lower bound that goes up) narrows.
fn bound(
    path: &str,
    key: &str,
    old: &SchemaProperty,
    new: &SchemaProperty,
    upper: bool,
    out: &mut Vec<Change>,
) {
    let (a, b) = (option_number(old, key), option_number(new, key));
    let narrowed = match (a, b) {
        (Some(a), Some(b)) if a == b => return,
        (Some(a), Some(b)) => (upper && b < a) || (!upper && b > a),
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (None, None) => return,
    };
    let fmt = |v: Option<f64>| v.map_or_else(|| "none".to_string(), number);
    out.push(change(
        if narrowed { Breaking } else { NonBreaking },
        if narrowed {
            "type-narrowed"
        } else {
            "type-widened"
        },
        path.to_string(),
        format!(
            "`{key}` of `{path}` {}: {} → {}",
            if narrowed { "narrowed" } else { "widened" },
            fmt(a),
            fmt(b)
        ),
    ));
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        v.to_string()
    }
}

/// Quality rules matched by name, else by what they check (metric, query, description).
fn rules(old: &[QualityRule], new: &[QualityRule], scope: &str, out: &mut Vec<Change>) {
    let key = |r: &QualityRule| -> String {
        r.name.clone().unwrap_or_else(|| {
            let detail = |k: &str| {
                r.details
                    .iter()
                    .find(|d| d.key == k)
                    .map(|d| d.value.to_string())
            };
            detail("metric")
                .or_else(|| detail("rule"))
                .or_else(|| r.query.as_ref().map(|q| serde_json::json!(q).to_string()))
                .or_else(|| {
                    r.description
                        .as_ref()
                        .map(|d| serde_json::json!(d).to_string())
                })
                .unwrap_or_else(|| r.summary.clone())
        })
    };
    let mut unmatched: Vec<(String, &QualityRule)> = new.iter().map(|r| (key(r), r)).collect();
    for r in old {
        let k = key(r);
        match unmatched.iter().position(|(nk, _)| *nk == k) {
            Some(i) => {
                let (_, n) = unmatched.remove(i);
                threshold(scope, r, n, out);
            }
            None => out.push(change(
                NonBreaking,
                "quality-removed",
                scope.to_string(),
                format!("quality rule on `{scope}` removed: {}", r.summary),
            )),
        }
    }
    for (_, n) in unmatched {
        out.push(change(
            NonBreaking,
            "quality-added",
            scope.to_string(),
            format!("quality rule on `{scope}` added: {}", n.summary),
        ));
    }
}

fn numbers(v: &Option<serde_json::Value>) -> Vec<f64> {
    match v {
        Some(serde_json::Value::Number(n)) => n.as_f64().into_iter().collect(),
        Some(serde_json::Value::Array(items)) => items.iter().filter_map(|i| i.as_f64()).collect(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok().into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Tightened: a value that passed the old rule may fail the new one.
fn threshold(scope: &str, old: &QualityRule, new: &QualityRule, out: &mut Vec<Change>) {
    if old.operator == new.operator && old.threshold == new.threshold {
        return;
    }
    let (a, b) = (numbers(&old.threshold), numbers(&new.threshold));
    let tightened = match (old.operator.as_deref(), new.operator.as_deref()) {
        (Some(o), Some(n)) if o == n && a.len() == b.len() && !a.is_empty() => match o {
            "mustBeGreaterThan" | "mustBeGreaterOrEqualTo" | "mustBeGreaterThanOrEqualTo" => {
                Some(b[0] > a[0])
            }
            "mustBeLessThan" | "mustBeLessOrEqualTo" | "mustBeLessThanOrEqualTo" => {
                Some(b[0] < a[0])
            }
            "mustBeBetween" if a.len() == 2 => Some(b[0] > a[0] || b[1] < a[1]),
            "mustNotBeBetween" if a.len() == 2 => Some(b[0] < a[0] || b[1] > a[1]),
            _ => None,
        },
        _ => None,
    };
    let (impact, code, how) = match tightened {
        Some(true) => (Breaking, "threshold-tightened", "tightened"),
        Some(false) => (NonBreaking, "threshold-loosened", "loosened"),
        None => (Breaking, "threshold-changed", "changed"),
    };
    out.push(change(
        impact,
        code,
        scope.to_string(),
        format!(
            "quality threshold on `{scope}` {how}: {} → {}",
            old.summary, new.summary
        ),
    ));
}

/// SLA properties where a larger value is the stricter promise; for the others (latency,
/// frequency, time to recover, …) a smaller value is stricter.
const HIGHER_IS_STRICTER: &[&str] = &[
    "availability",
    "retention",
    "completeness",
    "uptime",
    "coverage",
    "support",
];
const LOWER_IS_STRICTER: &[&str] = &[
    "latency",
    "frequency",
    "freshness",
    "timeofavailability",
    "responsetime",
    "recoverytime",
    "errorrate",
    "rto",
    "rpo",
    "timetodetect",
    "timetonotify",
    "timetorepair",
];

fn sla(old: &[SlaProperty], new: &[SlaProperty], out: &mut Vec<Change>) {
    let key = |s: &SlaProperty| format!("{}|{}", s.property, s.element.as_deref().unwrap_or(""));
    // One-to-one, in order: a contract may list the same property twice (for different drivers).
    let mut used = vec![false; new.len()];
    for s in old {
        let path = format!("sla.{}", s.property);
        let found = (0..new.len()).find(|&i| !used[i] && key(&new[i]) == key(s));
        if let Some(i) = found {
            used[i] = true;
        }
        match found.map(|i| &new[i]) {
            None => out.push(change(
                Breaking,
                "sla-removed",
                path,
                format!("service level `{}` was removed", s.property),
            )),
            Some(n) if n.value == s.value && n.unit == s.unit => {}
            Some(n) => {
                let (a, b) = (sla_value(s), sla_value(n));
                let name = s.property.to_ascii_lowercase().replace(['_', '-', ' '], "");
                let tightened = match (a, b) {
                    (Some(a), Some(b)) if HIGHER_IS_STRICTER.contains(&name.as_str()) => {
                        Some(b > a)
                    }
                    (Some(a), Some(b)) if LOWER_IS_STRICTER.contains(&name.as_str()) => Some(b < a),
                    _ => None,
                };
                let show = |x: &SlaProperty| {
                    format!(
                        "{}{}",
                        x.value,
                        x.unit
                            .as_deref()
                            .map(|u| format!(" {u}"))
                            .unwrap_or_default()
                    )
                };
                let (impact, code, how) = match tightened {
                    Some(true) => (Breaking, "sla-tightened", "tightened"),
                    Some(false) => (NonBreaking, "sla-loosened", "loosened"),
                    None => (Breaking, "sla-changed", "changed"),
                };
                out.push(change(
                    impact,
                    code,
                    path,
                    format!(
                        "service level `{}` {how}: {} → {}",
                        s.property,
                        show(s),
                        show(n)
                    ),
                ));
            }
        }
    }
    for (n, _) in new.iter().zip(&used).filter(|(_, u)| !**u) {
        {
            out.push(change(
                NonBreaking,
                "sla-added",
                format!("sla.{}", n.property),
                format!("service level `{}` was added: {}", n.property, n.value),
            ));
        }
    }
}

/// The first number of an SLA value, in seconds when it has a time unit.
fn sla_value(s: &SlaProperty) -> Option<f64> {
    let text = s.value.trim();
    let start = text.find(|c: char| c.is_ascii_digit() || c == '-' || c == '.')?;
    let digits: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    let v: f64 = digits.parse().ok()?;
    let rest = text[start + digits.len()..].trim();
    let unit = s
        .unit
        .as_deref()
        .unwrap_or(rest)
        .trim()
        .to_ascii_lowercase();
    let seconds = match unit.as_str() {
        "s" | "sec" | "second" | "seconds" => 1.0,
        "m" | "min" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86_400.0,
        "w" | "week" | "weeks" => 604_800.0,
        "y" | "yr" | "year" | "years" => 31_536_000.0,
        _ => 1.0,
    };
    Some(v * seconds)
}

fn servers(old: &DataContract, new: &DataContract, out: &mut Vec<Change>) {
    for s in &old.servers {
        match new.servers.iter().find(|n| n.name == s.name) {
            None => out.push(change(
                Breaking,
                "server-removed",
                format!("server.{}", s.name),
                format!("server `{}` was removed", s.name),
            )),
            Some(n)
                if n.kind != s.kind || n.details != s.details || n.environment != s.environment =>
            {
                out.push(change(
                    NonBreaking,
                    "server-changed",
                    format!("server.{}", s.name),
                    format!("connection details of server `{}` changed", s.name),
                ))
            }
            Some(_) => {}
        }
    }
    for n in &new.servers {
        if !old.servers.iter().any(|s| s.name == n.name) {
            out.push(change(
                NonBreaking,
                "server-added",
                format!("server.{}", n.name),
                format!("server `{}` was added", n.name),
            ));
        }
    }
}

/// Read the one data contract of a file (for `meshdoc diff`), with the file's diagnostics.
pub fn load(path: &std::path::Path) -> Result<(DataContract, Vec<model::Diagnostic>), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    load_bytes(&path.display().to_string(), bytes)
}

/// Like [`load`], from bytes (a file at a git revision, a version from the history).
pub fn load_bytes(
    name: &str,
    bytes: Vec<u8>,
) -> Result<(DataContract, Vec<model::Diagnostic>), String> {
    let file = model::SourceFile::new("", name, bytes);
    let parsed = formats::parse_named_file(&file);
    let mut contracts = parsed.documents.into_iter().filter_map(|d| match d {
        formats::Document::Contract(c) => Some(*c),
        _ => None,
    });
    let Some(first) = contracts.next() else {
        let why = parsed
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .map(|d| format!(": {}: {}", d.location(), d.message))
            .unwrap_or_else(|| ": no ODCS or Data Contract Specification document in it".into());
        return Err(format!("{name} is not a readable data contract{why}"));
    };
    if contracts.next().is_some() {
        return Err(format!(
            "{name} holds more than one data contract; diff compares one contract with another"
        ));
    }
    Ok((first, parsed.diagnostics))
}

/// The one data contract of a version of a file kept in its history, as [`load_bytes`] reads
/// it, without checking it against its standard's rules (the changelog shows no diagnostics of
/// older versions). A file that is not one readable contract is read again by [`load_bytes`],
/// so the reason given is word for word the same.
pub fn load_version(name: &str, bytes: Vec<u8>) -> Result<DataContract, String> {
    let file = model::SourceFile::new("", name, bytes);
    let parsed = formats::read_named_file(&file);
    let mut contracts = parsed.documents.into_iter().filter_map(|d| match d {
        formats::Document::Contract(c) => Some(*c),
        _ => None,
    });
    match (contracts.next(), contracts.next()) {
        (Some(only), None) => Ok(only),
        _ => load_bytes(name, file.bytes).map(|(contract, _)| contract),
    }
}

/// The report as readable lines: breaking changes first, then the others, then warnings.
pub fn render_human(report: &Report, old_name: &str, new_name: &str) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{old_name} ({}) → {new_name} ({})",
        report.old_version.as_deref().unwrap_or("no version"),
        report.new_version.as_deref().unwrap_or("no version")
    );
    let mut changes: Vec<&Change> = report.changes.iter().collect();
    changes.sort_by_key(|c| c.impact);
    for c in changes {
        let tag = match c.impact {
            Impact::Breaking => "BREAKING",
            Impact::NonBreaking => "ok      ",
        };
        let _ = writeln!(s, "  {tag} [{}] {}", c.code, c.message);
    }
    for w in &report.warnings {
        let _ = writeln!(s, "  warning: {w}");
    }
    let _ = writeln!(
        s,
        "{} change{}, {} breaking",
        report.changes.len(),
        if report.changes.len() == 1 { "" } else { "s" },
        report.breaking()
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::yaml::parse_documents;

    /// A version read for the changelog is the contract `meshdoc diff` reads from the same text,
    /// and a text that is not one contract is refused in the same words.
    #[test]
    fn a_version_reads_as_the_named_file_does() {
        fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
                let path = entry.path();
                if path.is_dir() {
                    files(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut paths = Vec::new();
        files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content"),
            &mut paths,
        );
        let mut contracts = 0;
        for path in &paths {
            if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                continue;
            }
            let bytes = std::fs::read(path).unwrap();
            let name = path.display().to_string();
            let full = load_bytes(&name, bytes.clone()).map(|(c, _)| c);
            contracts += usize::from(full.is_ok());
            assert_eq!(
                format!("{:?}", load_version(&name, bytes)),
                format!("{full:?}"),
                "{name}"
            );
        }
        assert!(contracts >= 10, "only {contracts} contracts in content/");
        let odcs = "apiVersion: v3.0.2\nkind: DataContract\nid: a\nversion: 1\nstatus: active\n";
        for text in [
            "a: [1\n".to_string(),
            "id: x\n".to_string(),
            format!("{odcs}---\n{}", odcs.replace("id: a", "id: b")),
            odcs.replace("status: active", "status: [1]"),
            odcs.replace("id: a", "id: {{ name }}"),
        ] {
            let full = load_bytes("v.yaml", text.clone().into_bytes()).map(|(c, _)| c);
            assert_eq!(
                format!("{:?}", load_version("v.yaml", text.clone().into_bytes())),
                format!("{full:?}"),
                "{text}"
            );
        }
    }

    fn contract(yaml: &str) -> DataContract {
        let full =
            format!("apiVersion: v3.1.0\nkind: DataContract\nid: orders\nstatus: active\n{yaml}");
        let origin = model::Origin::default();
        let mut ctx = formats::read::Ctx::new(&origin);
        let mut out = Vec::new();
        formats::odcs::parse(&mut ctx, &parse_documents(&full).unwrap()[0], &mut out);
        match out.pop() {
            Some(formats::Document::Contract(c)) => *c,
            _ => panic!("not a contract"),
        }
    }

    const BASE: &str = "version: 1.0.0
schema:
  - name: orders
    description: All orders
    properties:
      - name: id
        logicalType: string
        physicalType: varchar(64)
        required: true
        primaryKey: true
      - name: amount
        logicalType: number
        logicalTypeOptions:
          maximum: 1000
      - name: note
        logicalType: string
        description: Free text
      - name: state
        logicalType: string
        logicalTypeOptions:
          enum: [open, shipped]
      - name: address
        logicalType: object
        properties:
          - name: city
            logicalType: string
    quality:
      - metric: rowCount
        mustBeGreaterThan: 1000
  - name: returns
    properties:
      - name: id
        logicalType: string
slaProperties:
  - property: latency
    value: 4
    unit: h
  - property: retention
    value: 3
    unit: y
servers:
  - server: production
    type: postgres
  - server: staging
    type: postgres
";

    fn changes(new: &str) -> Vec<(Impact, &'static str)> {
        let report = diff(&contract(BASE), &contract(new));
        report.changes.iter().map(|c| (c.impact, c.code)).collect()
    }

    #[test]
    fn identical_contracts_have_no_changes() {
        let report = diff(&contract(BASE), &contract(BASE));
        assert!(report.changes.is_empty(), "{:?}", report.changes);
        assert!(report.warnings.is_empty());
    }

    #[test]
    fn removed_property_at_any_depth_is_breaking() {
        assert_eq!(
            changes(&BASE.replace(
                "      - name: note\n        logicalType: string\n        description: Free text\n",
                ""
            )),
            vec![(Breaking, "property-removed")]
        );
        let nested = BASE.replace(
            "          - name: city\n            logicalType: string\n",
            "",
        );
        let report = diff(&contract(BASE), &contract(&nested));
        assert_eq!(report.changes[0].code, "property-removed");
        assert_eq!(report.changes[0].path, "orders.address.city");
    }

    #[test]
    fn removed_object_is_breaking() {
        let new = BASE.replace(
            "  - name: returns\n    properties:\n      - name: id\n        logicalType: string\n",
            "",
        );
        assert_eq!(changes(&new), vec![(Breaking, "object-removed")]);
    }

    #[test]
    fn type_changed_or_narrowed_is_breaking_and_widened_is_not() {
        assert_eq!(
            changes(&BASE.replace("physicalType: varchar(64)", "physicalType: varchar(32)")),
            vec![(Breaking, "type-narrowed")]
        );
        assert_eq!(
            changes(&BASE.replace("physicalType: varchar(64)", "physicalType: varchar(128)")),
            vec![(NonBreaking, "type-widened")]
        );
        assert_eq!(
            changes(&BASE.replace(
                "name: amount\n        logicalType: number",
                "name: amount\n        logicalType: string"
            )),
            vec![(Breaking, "type-changed")]
        );
        assert_eq!(
            changes(&BASE.replace("maximum: 1000", "maximum: 10")),
            vec![(Breaking, "type-narrowed")]
        );
        assert_eq!(
            changes(&BASE.replace("maximum: 1000", "maximum: 100000")),
            vec![(NonBreaking, "type-widened")]
        );
    }

    #[test]
    fn made_required_is_breaking_and_relaxed_is_not() {
        let new = BASE.replace(
            "      - name: note\n        logicalType: string\n",
            "      - name: note\n        logicalType: string\n        required: true\n",
        );
        assert_eq!(changes(&new), vec![(Breaking, "made-required")]);
        let reverse = diff(&contract(&new), &contract(BASE));
        assert_eq!(reverse.changes[0].code, "constraint-relaxed");
        assert_eq!(reverse.breaking(), 0);
    }

    #[test]
    fn quality_threshold_tightened_vs_loosened() {
        assert_eq!(
            changes(&BASE.replace("mustBeGreaterThan: 1000", "mustBeGreaterThan: 5000")),
            vec![(Breaking, "threshold-tightened")]
        );
        assert_eq!(
            changes(&BASE.replace("mustBeGreaterThan: 1000", "mustBeGreaterThan: 10")),
            vec![(NonBreaking, "threshold-loosened")]
        );
    }

    #[test]
    fn sla_tightened_vs_loosened_across_units() {
        assert_eq!(
            changes(&BASE.replace("value: 4\n    unit: h", "value: 30\n    unit: m")),
            vec![(Breaking, "sla-tightened")]
        );
        assert_eq!(
            changes(&BASE.replace("value: 4\n    unit: h", "value: 1\n    unit: d")),
            vec![(NonBreaking, "sla-loosened")]
        );
        assert_eq!(
            changes(&BASE.replace("value: 3\n    unit: y", "value: 5\n    unit: y")),
            vec![(Breaking, "sla-tightened")]
        );
        assert_eq!(
            changes(&BASE.replace("  - property: retention\n    value: 3\n    unit: y\n", "")),
            vec![(Breaking, "sla-removed")]
        );
    }

    #[test]
    fn server_removed_is_breaking_added_is_not() {
        assert_eq!(
            changes(&BASE.replace("  - server: staging\n    type: postgres\n", "")),
            vec![(Breaking, "server-removed")]
        );
        assert_eq!(
            changes(&format!("{BASE}  - server: dev\n    type: postgres\n")),
            vec![(NonBreaking, "server-added")]
        );
    }

    #[test]
    fn additions_and_descriptions_are_not_breaking() {
        let new = BASE
            .replace("description: Free text", "description: Free text, trimmed")
            .replace(
                "    description: All orders\n",
                "    description: Every order\n",
            )
            .replace(
                "      - name: address\n",
                "      - name: channel\n        logicalType: string\n      - name: address\n",
            );
        let mut found = changes(&new);
        found.sort();
        assert_eq!(
            found,
            vec![
                (NonBreaking, "description-changed"),
                (NonBreaking, "description-changed"),
                (NonBreaking, "property-added")
            ]
        );
        let more = format!("{BASE}  - property: frequency\n    value: 1\n    unit: d\n")
            .replace("servers:", "servers:");
        assert!(changes(&more).iter().all(|(i, _)| *i == NonBreaking));
    }

    #[test]
    fn enum_values_removed_is_breaking_added_is_not() {
        assert_eq!(
            changes(&BASE.replace("enum: [open, shipped]", "enum: [open]")),
            vec![(Breaking, "enum-narrowed")]
        );
        assert_eq!(
            changes(&BASE.replace("enum: [open, shipped]", "enum: [open, shipped, lost]")),
            vec![(NonBreaking, "enum-widened")]
        );
    }

    #[test]
    fn version_not_moved_on_breaking_change_is_a_warning() {
        let removed = BASE.replace("  - server: staging\n    type: postgres\n", "");
        let report = diff(&contract(BASE), &contract(&removed));
        assert_eq!(report.warnings.len(), 1);
        assert!(
            report.warnings[0].contains("stayed at 1.0.0"),
            "{:?}",
            report.warnings
        );
        let minor = diff(
            &contract(BASE),
            &contract(&removed.replace("version: 1.0.0", "version: 1.1.0")),
        );
        assert!(minor.warnings[0].contains("went from 1.0.0 to 1.1.0"));
        let major = diff(
            &contract(BASE),
            &contract(&removed.replace("version: 1.0.0", "version: 2.0.0")),
        );
        assert!(major.warnings.is_empty());
        let loosened = diff(
            &contract(BASE),
            &contract(&BASE.replace("mustBeGreaterThan: 1000", "mustBeGreaterThan: 10")),
        );
        assert!(
            loosened.warnings.is_empty(),
            "no warning without a breaking change"
        );
    }

    #[test]
    fn zero_versions_need_a_minor_bump() {
        assert!(major_moved(Some("0.3.1"), Some("0.4.0")));
        assert!(!major_moved(Some("0.3.1"), Some("0.3.2")));
        assert!(major_moved(Some("v1.2.0"), Some("v2.0.0")));
        assert!(!major_moved(Some("1.2.0"), Some("1.9.0")));
    }
}
